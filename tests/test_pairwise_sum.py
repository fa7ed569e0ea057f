"""`a.sum()` and `a.mean()` of a float64 array in NumPy's order of additions (its pairwise
summation): bit for bit NumPy's answer for contiguous arrays of any dimensions and for every 1-D
array (strided, reversed), on sizes around each block boundary of the algorithm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import jit


@jit
def totals(a):
    return a.sum(), np.sum(a), a.mean(), np.mean(a)


def numpys(a):
    with np.errstate(all="ignore"):
        return a.sum(), np.sum(a), np.mean(a) if a.size else np.nan, np.mean(a) if a.size else np.nan


def same(got, want):
    for g, w in zip(got, want):
        assert (g == w and np.signbit(g) == np.signbit(w)) or (np.isnan(g) and np.isnan(w)), (got, want)


SIZES = [0, 1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1000, 8191, 8192, 8193, 65537]


@pytest.mark.parametrize("n", SIZES)
def test_1d_views_are_numpys_to_the_bit(n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 10.0 ** rng.uniform(-8, 8, n)
    for view in (x, x[::2], x[::-1], x[::-3], x[1:]):
        same(totals(view), numpys(view))


@pytest.mark.parametrize("shape", [(3, 5), (64, 33), (300, 77), (2, 3, 129)])
def test_contiguous_arrays_in_memory_order(shape):
    rng = np.random.default_rng(len(shape))
    y = rng.standard_normal(shape) * 1e3
    for arr in (y, np.asfortranarray(y), y.T):
        same(totals(arr), numpys(arr))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=300))
def test_special_values_and_signed_zeros(values):
    a = np.array(values, dtype=np.float64)
    same(totals(a), numpys(a))
