"""More NumPy functions compiled from stickyjit's library (python/stickyjit/_numpy_lib/): the
nan* variance family and accumulations, axis= of concatenate and the stacks, diag, interp,
trapezoid, convolve, cross, average, and the ndarray-method implementations of ``METHODS``;
each checked against NumPy's own answer on the same inputs, and NumPy's error classes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_numpy_library import _warnings_ignored, arrays, same_array, same_scalar

from stickyjit import jit

# ---------------------------------------------------------------------------------------------
# nanvar, nanstd, nanprod, nancumsum, nancumprod


@jit
def call_nanvar_nanstd(a, ddof):
    return np.nanvar(a), np.nanstd(a), np.nanvar(a, ddof=ddof), np.nanstd(a, ddof=ddof)


@jit
def call_nanprod(a):
    return np.nanprod(a)


@jit
def call_nancum(a):
    return np.nancumsum(a), np.nancumprod(a)


@jit
def call_nanvar_axis(a):
    return np.nanvar(a, 0)


def close_to(got, want, rel):
    """A Python float close to NumPy's scalar (NaN to NaN, inf to inf)."""
    assert type(got) is float, type(got)
    w = float(want)
    if math.isnan(w) or math.isinf(w):
        assert got == w or (math.isnan(got) and math.isnan(w)), (got, w)
    else:
        assert got == pytest.approx(w, rel=rel, abs=rel * 1e-300), (got, w)


SMALL = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_]).flatmap(
    lambda dt: hnp.arrays(
        dt,
        hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=8),
        elements=(
            st.one_of(st.just(math.nan), st.integers(-50, 50).map(float))
            if np.dtype(dt).kind == "f"
            else (st.booleans() if dt is np.bool_ else st.integers(0, 50))
        ),
    )
)


@given(SMALL, st.integers(-1, 3))
def test_nanvar_nanstd_match_numpy(a, ddof):
    with np.errstate(all="ignore"), _warnings_ignored():
        want = (np.nanvar(a), np.nanstd(a), np.nanvar(a, ddof=ddof), np.nanstd(a, ddof=ddof))
    got = call_nanvar_nanstd(a, ddof)
    # Computed in float64: a float32 array's answer is NumPy's float32 one to float32's precision.
    rel = 1e-5 if a.dtype == np.float32 else 1e-12
    for g, w in zip(got, want):
        close_to(g, w, rel)


def test_nanvar_nanstd_all_nan_empty_and_ddof_beyond_the_count():
    with np.errstate(all="ignore"), _warnings_ignored():
        for a, ddof in (
            (np.array([np.nan, np.nan]), 0),
            (np.array([], dtype=np.float64), 0),
            (np.array([], dtype=np.int64), 0),
            (np.array([1.0, np.nan, 2.0]), 2),
            (np.array([1, 2], dtype=np.int64), 2),  # np.var: 0.5 / 0 is inf
            (np.array([3, 3], dtype=np.int32), 5),  # 0 / 0 is NaN
            (np.array([1.0, 2.0]), -1),
            (np.array([1.0, 2.0]), 0.5),
        ):
            got = call_nanvar_nanstd(a, ddof)
            close_to(got[2], np.nanvar(a, ddof=ddof), 1e-12)
            close_to(got[3], np.nanstd(a, ddof=ddof), 1e-12)


def test_nanvar_positional_axis_is_not_compiled():
    with pytest.raises(TypeError, match=r"np.nanvar\(\) is compiled from stickyjit's implementation"):
        call_nanvar_axis(np.zeros(3))


@given(SMALL)
def test_nanprod_matches_numpy(a):
    with _warnings_ignored():
        want = np.nanprod(a)
    got = call_nanprod(a)
    if a.dtype.kind == "f":
        close_to(got, want, 1e-5 if a.dtype == np.float32 else 1e-12)
    else:
        same_scalar(got, want)


@given(SMALL)
def test_nancumsum_nancumprod_match_numpy(a):
    got = call_nancum(a)
    # Small integer values: exact in any dtype, and in order as NumPy accumulates.
    same_array(got[0], np.nancumsum(a))
    with np.errstate(all="ignore"):
        same_array(got[1], np.nancumprod(a))


@given(arrays(dtypes=[np.float64, np.float32]))
def test_nan_accumulations_with_infinities_match_numpy(a):
    got = call_nancum(a)
    with np.errstate(all="ignore"):
        same_array(got[0], np.nancumsum(a))
        same_array(got[1], np.nancumprod(a))
