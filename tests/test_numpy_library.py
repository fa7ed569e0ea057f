"""NumPy functions compiled from stickyjit's library of jitted implementations
(python/stickyjit/_numpy_lib/): each checked against NumPy itself on the same inputs, plus
errors, the dependency on the bound NumPy function (no recompiles), and the on-disk cache.

np.argmin, argmax, any, all, prod, var and std began in the library and are now compiled by
the compiler itself (which wins: _support._numpy_name); their tests here stay, as differential
tests of those."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import stickyjit
from stickyjit import CompileError, jit
from stickyjit._numpy_lib import IMPLEMENTATIONS

# ---------------------------------------------------------------------------------------------
# callers: ordinary user code calling the NumPy functions


@jit
def call_histogram(a, n):
    return np.histogram(a, n)


@jit
def call_histogram_kw(a, n):
    return np.histogram(a, bins=n)


@jit
def call_histogram_default(a):
    return np.histogram(a)


@jit
def call_histogram_range(a, n, lo, hi):
    return np.histogram(a, n, (lo, hi))


@jit
def call_histogram_range_kw(a, n, lo, hi):
    return np.histogram(a, range=(lo, hi), bins=n)


@jit
def call_linspace(a, b, n):
    return np.linspace(a, b, n)


@jit
def call_linspace_default(a, b):
    return np.linspace(a, b)


@jit
def call_cumsum(a):
    return np.cumsum(a)


@jit
def call_cumprod(a):
    return np.cumprod(a)


@jit
def call_diff(a):
    return np.diff(a)


@jit
def call_argmin(a):
    return np.argmin(a)


@jit
def call_argmax(a):
    return np.argmax(a)


@jit
def call_any(a):
    return np.any(a)


@jit
def call_all(a):
    return np.all(a)


@jit
def call_count_nonzero(a):
    return np.count_nonzero(a)


@jit
def call_clip(a, lo, hi):
    return np.clip(a, lo, hi)


@jit
def call_isclose(a, b):
    return np.isclose(a, b)


@jit
def call_isclose_nan(a, b):
    return np.isclose(a, b, equal_nan=True)


@jit
def call_isclose_tol(a, b, rtol, atol):
    return np.isclose(a, b, rtol, atol)


@jit
def call_allclose(a, b):
    return np.allclose(a, b)


@jit
def call_eye(n, m, k):
    return np.eye(n), np.eye(n, m), np.eye(n, m, k), np.eye(n, k=k), np.identity(n)


@jit
def call_trace(a):
    return np.trace(a)


@jit
def call_tri(a, k):
    return np.triu(a), np.tril(a), np.triu(a, k), np.tril(a, k)


@jit
def call_flip(a):
    return np.flip(a)


@jit
def call_sort(a):
    return np.sort(a)


@jit
def call_argsort(a):
    return np.argsort(a)


@jit
def call_searchsorted(a, v):
    return np.searchsorted(a, v)


@jit
def call_median(a):
    return np.median(a)


@jit
def call_bincount(a, minlength):
    return np.bincount(a), np.bincount(a, minlength=minlength)


@jit
def call_prod(a):
    return np.prod(a)


@jit
def call_var_std(a):
    return np.var(a), np.std(a)


@jit
def call_nan_reductions(a):
    return np.nansum(a), np.nanmean(a)


@jit
def call_nanmin_nanmax(a):
    return np.nanmin(a), np.nanmax(a)


# ---------------------------------------------------------------------------------------------
# comparisons


def same_array(got, want):
    """Same shape, dtype and elements (NaN equal to NaN, -0.0 and 0.0 compared by value)."""
    assert isinstance(got, np.ndarray), type(got)
    want = np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.array_equal(got, want, equal_nan=want.dtype.kind == "f"), (got, want)


def same_scalar(got, want):
    """NumPy's scalar as the Python value stickyjit returns for it."""
    want = want.item() if isinstance(want, np.generic) else want
    assert type(got) is type(want), (type(got), type(want), got, want)
    if isinstance(want, float) and math.isnan(want):
        assert math.isnan(got)
    else:
        assert got == want, (got, want)


def raises_like(numpy_call, our_call):
    """Both raise, ours a ValueError where NumPy's is one (messages differ: documented)."""
    with pytest.raises(Exception) as want:
        numpy_call()
    with pytest.raises(Exception) as got:
        our_call()
    assert isinstance(got.value, type(want.value)) or type(want.value) is ValueError and type(got.value) is ValueError


DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int8, np.uint8, np.bool_]
FLOAT_DTYPES = [np.float64, np.float32]


def arrays(dtypes=DTYPES, min_size=0, max_size=40, nan=True, inf=True, width=None):
    """1-D arrays of the given dtypes; floats include NaN and infinities unless told not to."""

    def elements(dt):
        if np.dtype(dt).kind == "f":
            return st.floats(allow_nan=nan, allow_infinity=inf, width=width or np.dtype(dt).itemsize * 8)
        return None

    return st.sampled_from(dtypes).flatmap(
        lambda dt: hnp.arrays(dt, st.integers(min_size, max_size), elements=elements(dt))
    )


# Arrays of 2 and 3 dimensions, small integer values (exact in any order of arithmetic).
ND = st.sampled_from([np.float64, np.int64, np.int32]).flatmap(
    lambda dt: hnp.arrays(
        dt,
        hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=5),
        elements=st.integers(-20, 20).map(float) if np.dtype(dt).kind == "f" else st.integers(-20, 20),
    )
)


# Values with many ties and values on bin edges: the cases NumPy's rounding correction is for.
def edgy_floats(dt):
    if np.dtype(dt).kind == "i":
        return hnp.arrays(dt, st.integers(0, 60), elements=st.integers(-120, 120))
    return hnp.arrays(
        dt,
        st.integers(0, 60),
        elements=st.one_of(
            st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.5, 1.0, 1.1, 2.0, -0.7, 1e-300, 3.3]),
            st.floats(-1e6, 1e6, width=np.dtype(dt).itemsize * 8),
        ),
    )


# ---------------------------------------------------------------------------------------------
# histogram and linspace


def check_histogram(a, n):
    try:
        want = np.histogram(a, n)
    except ValueError:
        with pytest.raises(ValueError):
            call_histogram(a, n)
        return
    except IndexError:
        # Values whose range overflows float64 (hi - lo is inf): NumPy fails inside its own
        # index arithmetic; the library raises ValueError (NaN to int) instead of an answer.
        with pytest.raises((ValueError, IndexError)):
            call_histogram(a, n)
        return
    hist, edges = call_histogram(a, n)
    same_array(hist, want[0])
    same_array(edges, want[1])


@given(st.sampled_from(DTYPES).flatmap(lambda dt: hnp.arrays(dt, st.integers(0, 60))), st.integers(1, 40))
def test_histogram_matches_numpy(a, n):
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)  # NumPy converts bool (with a warning) to uint8
    check_histogram(a, n)


@given(st.sampled_from(FLOAT_DTYPES).flatmap(edgy_floats), st.integers(1, 30))
def test_histogram_values_on_bin_edges_match_numpy(a, n):
    check_histogram(a, n)


def test_histogram_large_and_equal_values():
    rng = np.random.default_rng(0)
    for a in [
        rng.normal(size=10_000),
        rng.normal(size=10_000).astype(np.float32),
        rng.integers(-50, 50, 10_000),
        np.full(7, 3.0),
        np.full(7, 4, np.int32),
        np.full(3, 1e20),  # lo - 0.5 == lo: linspace's zero-step branch
        np.array([], np.float32),
        np.array([], np.int64),
        np.linspace(0, 1, 1001),
    ]:
        for n in [1, 2, 10, 100]:
            check_histogram(a, n)
    for a in [np.array([1.0, np.nan]), np.array([np.inf, 1.0]), np.zeros(3)]:
        for n in [0, -1, 3]:
            check_histogram(a, n)


@given(
    st.sampled_from(FLOAT_DTYPES),
    st.sampled_from([0.0, 1.0, 1000.0, -3e4, 1.7e9, 1e15]),
    st.sampled_from([1e-6, 1e-3, 1.0, 1e3]),
    st.sampled_from([1, 3, 10, 100, 1000, 10**5]),
    st.integers(0, 2**32 - 1),
)
def test_histogram_narrow_ranges_at_large_offsets(dt, offset, spread, bins, seed):
    """Bins a few ulps wide (where the edges' rounding decides) and many bins: the estimate of
    the bin and NumPy's correction of it must agree with NumPy in every regime."""
    rng = np.random.default_rng(seed)
    a = (offset + spread * rng.random(rng.integers(1, 300))).astype(dt)
    a[: a.size // 4] = a[-1]  # ties
    check_histogram(a, bins)


RANGE_ENDS = st.one_of(
    st.integers(-100, 100),
    st.floats(-1e6, 1e6),
    st.sampled_from([0.1, 0.3, 0.7, 1e20, math.inf, -math.inf]),
)


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int32]).flatmap(edgy_floats),
    st.integers(1, 40),
    RANGE_ENDS,
    RANGE_ENDS,
)
def test_histogram_with_range_matches_numpy(a, n, lo, hi):
    try:
        want = np.histogram(a, n, (lo, hi))
    except ValueError:
        with pytest.raises(ValueError):
            call_histogram_range(a, n, lo, hi)
        return
    for got in (call_histogram_range(a, n, lo, hi), call_histogram_range_kw(a, n, lo, hi)):
        same_array(got[0], want[0])
        same_array(got[1], want[1])


def test_histogram_with_range_and_nan_values():
    a = np.array([np.nan, 0.5, 1.0, 2.0, -1.0, np.inf])
    for got, want in zip(call_histogram_range(a, 4, 0.0, 1.0), np.histogram(a, 4, (0.0, 1.0))):
        same_array(got, want)


def test_histogram_of_subnormal_ranges():
    """Bins so narrow that bins / (hi - lo) overflows: NumPy's division, not a reciprocal
    (found by hypothesis: an OverflowError converting inf to int)."""
    for a in (np.array([2.22507386e-309, 0.0]), np.array([5e-324, 0.0, 1e-323, 2e-323])):
        for n in (1, 2, 3):
            check_histogram(a, n)
            try:
                want = np.histogram(a, n, (0.0, 2e-323))
            except ValueError:
                with pytest.raises(ValueError):
                    call_histogram_range(a, n, 0.0, 2e-323)
                continue
            for got, w in zip(call_histogram_range(a, n, 0.0, 2e-323), want):
                same_array(got, w)


@jit
def call_histogram_edges(a, edges):
    return np.histogram(a, edges)


@jit
def call_histogram_edges_kw(a, edges, lo, hi):
    return np.histogram(a, bins=edges, range=(lo, hi))


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int32]).flatmap(edgy_floats),
    st.sampled_from([np.float64, np.float32, np.int64]).flatmap(
        lambda dt: hnp.arrays(
            dt, st.integers(0, 8), elements=st.integers(-130, 130).map(lambda v: v / 2 if dt != np.int64 else v)
        )
    ),
)
def test_histogram_with_edges_matches_numpy(a, edges):
    """bins as an array of edges: NumPy's counts (the last bin closed, values outside and NaN
    not counted; the elements and edges compared in their common dtype), the edges returned as
    given, NumPy's ValueError for edges that decrease; range= is ignored, as NumPy ignores it."""
    edges = np.sort(edges)
    if edges.size > 2:
        edges[1] = edges[2]  # an empty bin between equal edges
    want = np.histogram(a, edges)
    for got in (call_histogram_edges(a, edges), call_histogram_edges_kw(a, edges, 0.0, 1.0)):
        same_array(got[0], want[0])
        same_array(got[1], want[1])
    if edges.size > 1 and edges[0] != edges[-1]:
        with pytest.raises(ValueError, match="`bins` must increase monotonically, when an array"):
            call_histogram_edges(a, edges[::-1].copy())
    with pytest.raises(ValueError, match="`bins` must be 1d, when an array"):
        call_histogram_edges(a, edges.reshape(1, -1))


def test_histogram_keyword_and_default_bins():
    a = np.random.default_rng(1).normal(size=500)
    for got, want in zip(call_histogram_kw(a, 7), np.histogram(a, bins=7)):
        same_array(got, want)
    for got, want in zip(call_histogram_default(a), np.histogram(a)):
        same_array(got, want)


@given(
    st.one_of(st.integers(-1000, 1000), st.floats(-1e10, 1e10)),
    st.one_of(st.integers(-1000, 1000), st.floats(-1e10, 1e10)),
    st.integers(0, 60),
)
def test_linspace_matches_numpy(a, b, n):
    same_array(call_linspace(a, b, n), np.linspace(a, b, n))


def test_linspace_default_num_and_negative_num():
    same_array(call_linspace_default(0.5, 7), np.linspace(0.5, 7))
    raises_like(lambda: np.linspace(0, 1, -1), lambda: call_linspace(0, 1, -1))


# ---------------------------------------------------------------------------------------------
# 1-D functions of one array


def check_elementwise(ours, theirs, a):
    """Compare an implementation with NumPy's on a: arrays exactly, scalars by value; when
    NumPy raises, ours raises too."""
    try:
        want = theirs(a)
    except (ValueError, TypeError):
        with pytest.raises((ValueError, TypeError)):
            ours(a)
        return
    got = ours(a)
    if isinstance(want, np.ndarray):
        same_array(got, want)
    else:
        same_scalar(got, want)


@given(arrays(nan=False, inf=False, width=16))
def test_cumsum_cumprod_diff_match_numpy(a):
    check_elementwise(call_cumsum, np.cumsum, a)
    check_elementwise(call_cumprod, np.cumprod, a)
    check_elementwise(call_diff, np.diff, a)


@given(arrays())
def test_cumsum_and_diff_with_nan_and_inf(a):
    with np.errstate(all="ignore"):
        check_elementwise(call_cumsum, np.cumsum, a)
        check_elementwise(call_diff, np.diff, a)


@given(arrays())
def test_argmin_argmax_match_numpy(a):
    # NaN: NumPy returns the first NaN's index; empty arrays: ValueError.
    check_elementwise(call_argmin, np.argmin, a)
    check_elementwise(call_argmax, np.argmax, a)


def test_argmin_argmax_first_occurrence_and_nan():
    for a in [np.array([3, 1, 1, 0, 0]), np.array([np.nan, 1.0]), np.array([1.0, np.nan, 0.0, np.nan])]:
        check_elementwise(call_argmin, np.argmin, a)
        check_elementwise(call_argmax, np.argmax, a)


@given(arrays())
def test_any_all_count_nonzero_match_numpy(a):
    check_elementwise(call_any, np.any, a)
    check_elementwise(call_all, np.all, a)
    check_elementwise(call_count_nonzero, np.count_nonzero, a)


@given(st.sampled_from(DTYPES).flatmap(lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=3, min_side=0))))
def test_any_all_count_nonzero_of_nd_arrays(a):
    check_elementwise(call_any, np.any, a)
    check_elementwise(call_all, np.all, a)
    check_elementwise(call_count_nonzero, np.count_nonzero, a)


@given(arrays())
def test_sort_matches_numpy(a):
    check_elementwise(call_sort, np.sort, a)


@given(arrays())
def test_argsort_is_numpys_stable_argsort(a):
    check_elementwise(call_argsort, lambda x: np.argsort(x, kind="stable"), a)


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_]).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=6))
    )
)
def test_sort_and_argsort_along_the_last_axis_of_nd_arrays(a):
    for v in (a, a.T, a[..., ::-1]):
        same_array(call_sort(v), np.sort(v))
        same_array(call_argsort(v), np.argsort(v, kind="stable"))


@given(arrays(dtypes=[np.float64, np.int64]).map(np.unique))
def test_argsort_of_distinct_values_is_numpys_default(a):
    check_elementwise(call_argsort, np.argsort, a)


@given(arrays(), st.one_of(st.integers(-100, 100), st.floats()))
def test_searchsorted_matches_numpy(a, v):
    s = np.sort(a)
    same_scalar(call_searchsorted(s, v), np.searchsorted(s, v))


@jit
def call_searchsorted_sides(a, v):
    return np.searchsorted(a, v, side="right"), np.searchsorted(a, v, side="left"), a.searchsorted(v, "right")


@given(arrays(dtypes=[np.float64, np.int64]), st.data())
def test_searchsorted_sides_and_arrays_of_values_match_numpy(a, data):
    """side='right' after the elements equal to v (NaN after every number), and v an array of
    any shape: int64 indices of its shape."""
    s = np.sort(a)
    v = data.draw(
        st.one_of(
            st.floats(allow_nan=True),
            hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=3)),
        )
    )
    if a.size:
        v = np.where(np.arange(np.size(v)).reshape(np.shape(v)) % 2 == 0, v, s[0]) if np.ndim(v) else v
    got = call_searchsorted_sides(s, v)
    for g, side in zip(got, ("right", "left", "right")):
        want = np.searchsorted(s, v, side=side)
        if np.ndim(v):
            same_array(g, want)
        else:
            same_scalar(g, want)
    with pytest.raises(ValueError, match=r"search side must be 'left' or 'right' \(got 'up'\)"):
        bad_side(s)


@jit
def bad_side(a):
    return np.searchsorted(a, 1.0, side="up")


@jit
def call_diff_n(a, n):
    return np.diff(a, n), np.diff(a, n=n)


@given(arrays(dtypes=[np.float64, np.int64, np.int8, np.uint8, np.bool_], nan=False, inf=False), st.integers(0, 5))
def test_diff_of_any_order_matches_numpy(a, n):
    with np.errstate(all="ignore"):
        want = np.diff(a, n)
        for got in call_diff_n(a, n):
            same_array(got, want)
    with pytest.raises(ValueError, match="order must be non-negative but got -1"):
        call_diff_n(a, -1)


@given(arrays(dtypes=[np.float64, np.int64, np.int32, np.bool_]))
def test_median_matches_numpy(a):
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning) if a.size == 0 else _nothing():
        want = np.median(a)
    same_scalar(call_median(a), float(want))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@given(
    hnp.arrays(st.sampled_from([np.int64, np.int32, np.uint8]), st.integers(0, 40), elements=st.integers(0, 50)),
    st.integers(0, 60),
)
def test_bincount_matches_numpy(a, minlength):
    got = call_bincount(a, minlength)
    same_array(got[0], np.bincount(a))
    same_array(got[1], np.bincount(a, minlength=minlength))


def test_bincount_negative_is_a_value_error():
    raises_like(lambda: np.bincount(np.array([1, -1])), lambda: call_bincount(np.array([1, -1]), 0))


@given(
    st.one_of(
        hnp.arrays(st.sampled_from([np.int64, np.int32]), st.integers(0, 20), elements=st.integers(-3, 3)),
        hnp.arrays(np.bool_, st.integers(0, 20)),
    )
)
def test_prod_of_ints_matches_numpy(a):
    check_elementwise(call_prod, np.prod, a)


@given(hnp.arrays(np.float64, st.integers(0, 20), elements=st.sampled_from([0.5, 2.0, -1.0, 4.0, np.nan, np.inf, 0.0])))
def test_prod_of_floats_matches_numpy(a):
    # Powers of two multiply exactly, so the order of the products does not matter.
    with np.errstate(all="ignore"):
        check_elementwise(call_prod, np.prod, a)


@given(
    st.one_of(
        arrays(dtypes=[np.float64, np.bool_], nan=False, inf=False, width=32, min_size=1),
        hnp.arrays(st.sampled_from([np.int64, np.int32]), st.integers(1, 40), elements=st.integers(-(10**6), 10**6)),
    )
)
def test_var_std_match_numpy(a):
    # NumPy sums pairwise, stickyjit in order: equal to a few ulps.
    got = call_var_std(a)
    with np.errstate(all="ignore"):
        want = (np.var(a), np.std(a))
    for g, w in zip(got, want):
        assert type(g) is float
        assert g == pytest.approx(float(w), rel=1e-9, abs=1e-300) or (math.isnan(g) and math.isnan(w))


def test_var_std_of_nd_and_empty_arrays():
    a = np.arange(12.0).reshape(3, 4) ** 1.5
    got = call_var_std(a)
    assert got == pytest.approx((np.var(a), np.std(a)), rel=1e-12)
    assert all(math.isnan(x) for x in call_var_std(np.array([])))


@given(
    st.one_of(
        arrays(dtypes=[np.float64], width=32),
        hnp.arrays(st.sampled_from([np.int64, np.int32]), st.integers(0, 40), elements=st.integers(-(10**9), 10**9)),
    )
)
def test_nansum_nanmean_match_numpy(a):
    with np.errstate(all="ignore"), _warnings_ignored():
        want = (np.nansum(a), np.nanmean(a))
    got = call_nan_reductions(a)
    if a.dtype.kind == "i":
        same_scalar(got[0], want[0])
    else:
        assert got[0] == pytest.approx(float(want[0]), rel=1e-9, nan_ok=True)
    assert got[1] == pytest.approx(float(want[1]), rel=1e-9, nan_ok=True)


@given(arrays(dtypes=[np.float64, np.float32, np.int64, np.int32]))
def test_nanmin_nanmax_match_numpy(a):
    try:
        with _warnings_ignored():
            want = (np.nanmin(a), np.nanmax(a))
    except ValueError:
        with pytest.raises(ValueError):
            call_nanmin_nanmax(a)
        return
    got = call_nanmin_nanmax(a)
    for g, w in zip(got, want):
        same_scalar(g, w)


def test_nanmin_nanmax_skip_leading_nans():
    for a in (
        np.array([np.nan, 1.0, -2.0]),
        np.array([np.nan, np.nan, 3.0]),
        np.array([np.nan] * 3),
        np.array([2.0, np.nan, 5.0]),
    ):
        with _warnings_ignored():
            want = (np.nanmin(a), np.nanmax(a))
        for g, w in zip(call_nanmin_nanmax(a), want):
            same_scalar(g, w)


class _warnings_ignored:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)


@given(arrays())
def test_flip_matches_numpy_and_is_a_view(a):
    got = call_flip(a)
    same_array(got, np.flip(a))
    if a.size:
        assert np.shares_memory(got, a)


@jit
def call_unique(a):
    return np.unique(a)


@jit
def call_roll(a, k):
    return np.roll(a, k)


@jit
def call_outer(a, b):
    return np.outer(a, b)


@jit
def call_ptp(a):
    return np.ptp(a)


@jit
def call_flatnonzero(a):
    return np.flatnonzero(a)


@jit
def call_concatenate(a, b):
    return np.concatenate((a, b)), np.concatenate((b, a, b))


@jit
def call_quantile(a, q):
    return np.quantile(a, q)


@jit
def call_percentile(a, q):
    return np.percentile(a, q)


@given(arrays())
def test_unique_flatnonzero_match_numpy(a):
    check_elementwise(call_unique, np.unique, a)
    check_elementwise(call_flatnonzero, np.flatnonzero, a)


@given(arrays(), st.integers(-50, 50))
def test_roll_matches_numpy(a, k):
    same_array(call_roll(a, k), np.roll(a, k))


@given(arrays(max_size=8), st.data())
def test_outer_matches_numpy(a, data):
    b = data.draw(hnp.arrays(a.dtype, st.integers(0, 8)))
    with np.errstate(all="ignore"):
        same_array(call_outer(a, b), np.outer(a, b))


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.int8, np.uint8]).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    )
)
def test_ptp_matches_numpy(a):
    # Narrow integers wrap, as NumPy's.
    with np.errstate(all="ignore"):
        check_elementwise(call_ptp, np.ptp, a)


@given(arrays(), st.data())
def test_concatenate_matches_numpy(a, data):
    b = data.draw(hnp.arrays(a.dtype, st.integers(0, 10)))
    got = call_concatenate(a, b)
    same_array(got[0], np.concatenate((a, b)))
    same_array(got[1], np.concatenate((b, a, b)))


QS = st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 0.25, 0.5, 1.0, 0.49999999999999994, 0.5000000000000001]))


@given(arrays(dtypes=[np.float64, np.float32, np.int64, np.int32], width=32), QS)
def test_quantile_percentile_match_numpy(a, q):
    for ours, theirs, qq in ((call_quantile, np.quantile, q), (call_percentile, np.percentile, q * 100)):
        try:
            with np.errstate(all="ignore"):
                want = theirs(a, qq)
        except IndexError:
            with pytest.raises(IndexError):
                ours(a, qq)
            continue
        got = ours(a, qq)
        assert type(got) is float
        assert got == float(want) or (math.isnan(got) and math.isnan(want)), (got, want)


def test_quantile_interpolates_as_numpy_on_both_sides_of_one_half():
    """NumPy's _lerp computes a + (b - a) * t below t = 0.5 and b - (b - a) * (1 - t) from it
    on; the two differ in the last bit for many inputs."""
    rng = np.random.default_rng(7)
    for dt in (np.float64, np.float32, np.int64):
        for _ in range(200):
            a = (rng.normal(size=int(rng.integers(2, 9))) * 1000).astype(dt)
            q = float(rng.random())
            assert call_quantile(a, q) == float(np.quantile(a, q)), (a, q)
            assert call_percentile(a, q * 100) == float(np.percentile(a, q * 100)), (a, q)


def test_median_and_quantile_of_larger_arrays_with_ties():
    """Selection (quickselect) instead of a sort: sizes where it partitions many times, many
    equal elements, sorted and reversed inputs."""
    rng = np.random.default_rng(11)
    for n in (2, 3, 50, 51, 1000, 1001, 4096):
        for a in (
            rng.normal(size=n),
            rng.integers(0, 3, n),
            rng.integers(-5, 5, n).astype(np.float32),
            np.arange(n, dtype=np.float64),
            np.arange(n)[::-1].copy(),
            np.full(n, 7.0),
        ):
            same_scalar(call_median(a), float(np.median(a)))
            for q in (0.0, 0.1, 0.5, 0.77, 1.0):
                assert call_quantile(a, q) == float(np.quantile(a, q)), (n, a[:5], q)


def test_unique_collapses_nans_and_keeps_one():
    a = np.array([np.nan, 2.0, np.nan, -1.0, 2.0, np.nan])
    same_array(call_unique(a), np.unique(a))
    same_array(call_unique(a.astype(np.float32)), np.unique(a.astype(np.float32)))


def test_quantile_out_of_range_is_a_value_error():
    for q in (-0.1, 1.5, math.nan):
        raises_like(lambda: np.quantile(np.zeros(3), q), lambda: call_quantile(np.zeros(3), q))
    raises_like(lambda: np.percentile(np.zeros(3), 101.0), lambda: call_percentile(np.zeros(3), 101.0))


@jit
def call_dot(a, b):
    return np.dot(a, b)


@jit
def call_stacks(a, b):
    return np.vstack((a, b)), np.stack((a, b, a)), np.hstack((a, b))


@jit
def call_meshgrid(x, y):
    return np.meshgrid(x, y)


@jit
def call_nonzero(a):
    return np.nonzero(a)


@given(st.data(), st.sampled_from([np.int64, np.int32, np.int8, np.bool_, np.float64, np.float32]), st.integers(0, 30))
def test_dot_of_vectors_matches_numpy(data, dt, n):
    # Integer-valued floats: exact in any order of summation (NumPy's BLAS pairs them otherwise).
    el = st.integers(-1000, 1000).map(float) if np.dtype(dt).kind == "f" else None
    a = data.draw(hnp.arrays(dt, n, elements=el))
    b = data.draw(hnp.arrays(dt, n, elements=el))
    with np.errstate(all="ignore"):
        same_scalar(call_dot(a, b), np.dot(a, b))


def test_dot_of_random_floats_and_mismatched_lengths():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=1000), rng.normal(size=1000)
    assert call_dot(a, b) == pytest.approx(float(np.dot(a, b)), rel=1e-12)
    raises_like(lambda: np.dot(a, b[:-1]), lambda: call_dot(a, b[:-1]))


@given(arrays(), st.data())
def test_stacks_match_numpy(a, data):
    b = data.draw(hnp.arrays(a.dtype, a.shape))
    got = call_stacks(a, b)
    for g, w in zip(got, (np.vstack((a, b)), np.stack((a, b, a)), np.hstack((a, b)))):
        same_array(g, w)


def test_vstack_of_different_lengths_is_a_value_error():
    raises_like(lambda: np.vstack((np.zeros(2), np.zeros(3))), lambda: call_stacks(np.zeros(2), np.zeros(3)))


@jit
def vstack_two(a, b):
    return np.vstack((a, b))


@pytest.mark.parametrize("da", [np.int32, np.float32, np.int64, np.bool_, np.uint8])
@pytest.mark.parametrize("db", [np.float32, np.float64, np.int16, np.bool_])
def test_vstack_of_two_arrays_of_any_dtypes_and_dimensions_matches_numpy(da, db):
    # pynndescent's np.vstack((hyperplane_inds, hyperplane_data)): int32 and float32 rows.
    a = (np.arange(6) % 3).astype(da)
    for x, y in [(a[:3], np.ones(3, db)), (a.reshape(2, 3), np.ones(3, db)), (a[:3], np.ones((2, 3), db))]:
        same_array(vstack_two(x, y), np.vstack((x, y)))
    raises_like(lambda: np.vstack((a[:2], np.ones(3, db))), lambda: vstack_two(a[:2], np.ones(3, db)))


@given(arrays(max_size=10), arrays(max_size=10))
def test_meshgrid_and_nonzero_match_numpy(x, y):
    for g, w in zip(call_meshgrid(x, y), np.meshgrid(x, y)):
        same_array(g, w)
    (got,) = call_nonzero(x)
    (want,) = np.nonzero(x)
    same_array(got, want)


@jit
def call_repeat(a, k):
    return np.repeat(a, k)


@jit
def call_array_equal(a, b):
    return np.array_equal(a, b), np.array_equal(a, b, equal_nan=True)


@given(st.one_of(arrays(), ND), st.integers(0, 4))
def test_repeat_matches_numpy(a, k):
    same_array(call_repeat(a, k), np.repeat(a, k))


def test_repeat_negative_is_a_value_error():
    raises_like(lambda: np.repeat(np.arange(3), -1), lambda: call_repeat(np.arange(3), -1))


@given(arrays(dtypes=[np.float64, np.int64]), st.data())
def test_array_equal_matches_numpy(a, data):
    b = data.draw(st.one_of(st.just(a.copy()), hnp.arrays(a.dtype, st.integers(0, 3)), hnp.arrays(np.float64, a.shape)))
    got = call_array_equal(a, b)
    assert got == (np.array_equal(a, b), np.array_equal(a, b, equal_nan=True))


def test_array_equal_of_other_shapes_and_dimensions():
    pairs = [
        (np.zeros(3), np.zeros((3, 1))),
        (np.zeros((2, 3)), np.zeros((3, 2))),
        (np.zeros((2, 3)), np.zeros((2, 3))),
        (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
        (np.array([True, False]), np.array([1, 0])),
    ]
    for a, b in pairs:
        assert call_array_equal(a, b) == (np.array_equal(a, b), np.array_equal(a, b, equal_nan=True))


# ---------------------------------------------------------------------------------------------
# clip, isclose, allclose


SPECIAL = st.sampled_from([0.0, -0.0, 1.0, 1.00000001, 1.0001, np.nan, np.inf, -np.inf, 1e-9, -1e-9, 1e300])


@given(arrays(dtypes=[np.float64, np.int64, np.float32, np.int32]), st.integers(-5, 5), st.integers(-5, 5))
def test_clip_matches_numpy(a, lo, hi):
    same_array(call_clip(a, lo, hi), np.clip(a, lo, hi))
    same_array(call_clip(a, float(lo), float(hi)), np.clip(a, float(lo), float(hi)))


def test_clip_of_numbers_and_nan():
    for args in [(5, 0, 3), (-1, 0, 3), (2.5, 0, 3), (np.nan, 0.0, 1.0), (1.0, np.nan, 2.0), (4, 3, 1)]:
        same_scalar(call_clip(*args), np.clip(*args))
    a = np.array([-1.0, np.nan, 3.0])
    same_array(call_clip(a, np.array([0.0, 0.0, np.nan]), 2.0), np.clip(a, np.array([0.0, 0.0, np.nan]), 2.0))


@given(
    hnp.arrays(np.float64, st.integers(0, 20), elements=st.one_of(SPECIAL, st.floats())),
    st.data(),
)
def test_isclose_matches_numpy(a, data):
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=st.one_of(SPECIAL, st.floats())))
    with np.errstate(all="ignore"):
        b = np.where(np.arange(a.size) % 3 == 0, a * (1 + 1e-6), b) if a.size else b
        same_array(call_isclose(a, b), np.isclose(a, b))
        same_array(call_isclose_nan(a, b), np.isclose(a, b, equal_nan=True))
        same_array(call_isclose_tol(a, b, 0.1, 0.5), np.isclose(a, b, 0.1, 0.5))
        same_scalar(call_allclose(a, b), np.allclose(a, b))
        same_scalar(call_allclose(a, a), np.allclose(a, a))


def test_isclose_numbers_ints_and_broadcasting():
    same_scalar(call_isclose(1.0, 1.0 + 1e-9), np.isclose(1.0, 1.0 + 1e-9))
    same_scalar(call_isclose(math.inf, math.inf), np.isclose(math.inf, math.inf))
    same_scalar(call_isclose(math.inf, -math.inf), np.isclose(math.inf, -math.inf))
    same_array(call_isclose(np.arange(4), np.arange(4)[::-1]), np.isclose(np.arange(4), np.arange(4)[::-1]))
    a = np.array([[1.0, 2.0], [3.0, np.inf]])
    same_array(call_isclose(a, np.array([1.0, np.inf])), np.isclose(a, np.array([1.0, np.inf])))


# ---------------------------------------------------------------------------------------------
# eye, identity, trace, triu, tril


@given(st.integers(0, 8), st.integers(0, 8), st.integers(-9, 9))
def test_eye_identity_match_numpy(n, m, k):
    got = call_eye(n, m, k)
    want = (np.eye(n), np.eye(n, m), np.eye(n, m, k), np.eye(n, k=k), np.identity(n))
    for g, w in zip(got, want):
        same_array(g, w)


@given(
    st.sampled_from([np.float64, np.int64, np.int32, np.bool_, np.float32]).flatmap(
        lambda dt: hnp.arrays(
            dt,
            hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=7),
            elements=None if dt != np.float32 else st.integers(-100, 100).map(float),
        )
    ),
    st.integers(-8, 8),
)
def test_trace_triu_tril_match_numpy(a, k):
    for b in (a, a.T, a[::-1]):
        with np.errstate(all="ignore"):
            want = np.trace(b)
        got = call_trace(b)
        if b.dtype.kind == "f" and b.size:
            assert got == pytest.approx(float(want), rel=1e-12, nan_ok=True)
        else:
            same_scalar(got, want)
        for g, w in zip(call_tri(b, k), (np.triu(b), np.tril(b), np.triu(b, k), np.tril(b, k))):
            same_array(g, w)


@given(arrays(dtypes=[np.float64, np.int64, np.float32], min_size=1, nan=False, inf=False, width=16))
def test_strided_reversed_and_read_only_arrays(a):
    """Views of any layout, and read-only arrays, are inputs like any other."""
    ro = a.copy()
    ro.flags.writeable = False
    for v in (a[::2], a[::-1], ro):
        same_array(call_cumsum(v), np.cumsum(v))
        same_array(call_sort(v), np.sort(v))
        same_array(call_diff(v), np.diff(v))
        check_histogram(v, 5)
        same_scalar(call_argmax(v), np.argmax(v))
    m = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    for got, want in zip(call_tri(m, 1), (np.triu(m), np.tril(m), np.triu(m, 1), np.tril(m, 1))):
        same_array(got, want)


@given(ND, st.integers(-10, 10))
def test_flattening_functions_take_any_number_of_dimensions(a, k):
    """NumPy's axis=None: these functions work on the array flattened (roll keeps the shape)."""
    for v in (a, a.T):
        same_array(call_cumsum(v), np.cumsum(v))
        same_array(call_cumprod(v), np.cumprod(v))
        same_scalar(call_argmin(v), np.argmin(v))
        same_scalar(call_argmax(v), np.argmax(v))
        same_scalar(call_median(v), float(np.median(v)))
        assert call_quantile(v, 0.3) == float(np.quantile(v, 0.3))
        same_array(call_unique(v), np.unique(v))
        if v.dtype.kind == "f":  # products beyond 2**53 round by the order of multiplication
            assert call_prod(v) == pytest.approx(float(np.prod(v)), rel=1e-12)
        else:
            same_scalar(call_prod(v), np.prod(v))
        got = call_nan_reductions(v)
        assert got[0] == float(np.nansum(v)) and got[1] == pytest.approx(float(np.nanmean(v)), rel=1e-12)
        for g, w in zip(call_nanmin_nanmax(v), (np.nanmin(v), np.nanmax(v))):
            same_scalar(g, w)
        same_array(call_flatnonzero(v), np.flatnonzero(v))
        same_array(call_outer(v, v[..., :2]), np.outer(v, v[..., :2]))
        same_array(call_roll(v, k), np.roll(v, k))
        check_histogram(v, 4)


# ---------------------------------------------------------------------------------------------
# errors


def test_wrong_dimensions_are_compile_errors_naming_the_function():
    with pytest.raises(
        CompileError, match=r"np\.searchsorted\(\) is compiled from stickyjit's implementation.*1-D"
    ) as e:
        call_searchsorted(np.zeros((2, 2)), 3.0)
    # The docstring's whole first paragraph says what is supported.
    assert "(a 0-d array v and sorter= are not\nsupported). Here: " in str(e.value) or (
        "(a 0-d array v and sorter= are not supported). Here: " in str(e.value)
    )
    assert "_numpy_lib" in str(e.value)
    for f, arg in [(call_diff, np.zeros((2, 2))), (call_flip, np.zeros((2, 2))), (call_trace, np.zeros(3))]:
        with pytest.raises(CompileError, match=r"np\.\w+\(\) is compiled from stickyjit's implementation"):
            f(arg)


def test_a_number_where_an_array_is_needed_names_the_function():
    with pytest.raises((CompileError, TypeError), match=r"np\.cumsum\(\)"):
        call_cumsum(3.0)


def test_bad_values_are_value_errors():
    raises_like(lambda: np.histogram(np.array([np.nan]), 3), lambda: call_histogram(np.array([np.nan]), 3))
    raises_like(lambda: np.histogram(np.zeros(3), 0), lambda: call_histogram(np.zeros(3), 0))
    raises_like(lambda: np.argmin(np.zeros(0)), lambda: call_argmin(np.zeros(0)))
    raises_like(lambda: np.nanmax(np.zeros(0)), lambda: call_nanmin_nanmax(np.zeros(0)))


def test_errors_do_not_crash_the_process(tmp_path):
    """Bad inputs of every kind, in a child process: each an exception, never a signal."""
    script = tmp_path / "bad_inputs.py"
    script.write_text(
        textwrap.dedent(
            """
            import numpy as np
            from stickyjit import jit

            @jit
            def h(a, n):
                return np.histogram(a, n)

            @jit
            def b(a):
                return np.bincount(a)

            @jit
            def s(a, v):
                return np.searchsorted(a, v)

            @jit
            def e(n):
                return np.eye(n)

            caught = 0
            for call in [
                lambda: h(np.zeros(3), 2.5),
                lambda: h(np.array([np.inf]), 2),
                lambda: h(np.zeros(3), -5),
                lambda: h((1.0, 2.0), 2),
                lambda: b(np.array([0.5])),
                lambda: b(np.array([3, -7])),
                lambda: s(np.zeros((2, 2)), 1.0),
                lambda: e(-3),
            ]:
                try:
                    call()
                except Exception:
                    caught += 1
            print(caught)
            """
        )
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[-1] == "8"


# ---------------------------------------------------------------------------------------------
# the mechanism: resolution, dependencies, the cache


@jit
def _with_tuple_default(x, r=(1, (2.5, True))):
    return x + r[0] + r[1][0] + r[1][1]


@jit
def call_with_tuple_default(x):
    return _with_tuple_default(x), _with_tuple_default(x, (10, (0.5, False)))


def test_a_jitted_callee_takes_a_tuple_default():
    """Defaults may be tuples of numbers (histogram's range= needs it)."""
    assert call_with_tuple_default(1) == (
        _with_tuple_default.py_func(1),
        _with_tuple_default.py_func(1, (10, (0.5, False))),
    )


def test_every_implementation_is_jitted_and_not_a_native_numpy_function():
    from stickyjit import _support

    for f, impl in IMPLEMENTATIONS.items():
        assert isinstance(impl, stickyjit.Dispatcher), f
        # The compiler's own NumPy functions win: an implementation of one is dead code.
        assert _support._numpy_name(f) is None, (
            f"np.{f.__name__} is compiled natively now: drop its library implementation"
        )


def test_a_function_imported_by_name_resolves_too():
    from numpy import cumsum as my_cumsum

    ns = {"my_cumsum": my_cumsum}
    src = "def f(a):\n    return my_cumsum(a)\n"
    import linecache

    linecache.cache["<lib-import>"] = (len(src), None, src.splitlines(True), "<lib-import>")
    exec(compile(src, "<lib-import>", "exec"), ns)
    f = jit(ns["f"])
    same_array(f(np.arange(5)), np.cumsum(np.arange(5)))


def test_a_library_call_does_not_recompile_after_other_definitions():
    a = np.arange(20.0)

    @jit
    def uses_histogram(x):
        return np.histogram(x, 4)

    uses_histogram(a)
    before = stickyjit.stats()

    # Another decoration moves the definition counter: the dispatcher re-checks the bindings its
    # code depends on; the one of np.histogram must still hold (it is np.histogram itself).
    @jit
    def unrelated(x):
        return x

    for _ in range(3):
        for got, want in zip(uses_histogram(a), np.histogram(a, 4)):
            same_array(got, want)
    after = stickyjit.stats()
    assert after["compiles"] == before["compiles"]
    assert after["cache_hits"] == before["cache_hits"]
    assert uses_histogram.signatures == [("array(float64, 1d, C)",)]
    # Code dropped because a dependency failed to hold would be found loaded again without a
    # compile; explain() says whether that happened.
    assert "redefined" not in uses_histogram.explain(), uses_histogram.explain()


def test_rebinding_the_numpy_name_is_seen():
    """The dependency is on the global's binding: bound to a jitted function instead, callers
    compile again and call that."""
    import linecache

    src = "def f(a):\n    return mylib.total(a)\n"
    linecache.cache["<lib-rebind>"] = (len(src), None, src.splitlines(True), "<lib-rebind>")

    import types

    mylib = types.ModuleType("mylib")
    mylib.total = np.count_nonzero
    ns = {"mylib": mylib}
    exec(compile(src, "<lib-rebind>", "exec"), ns)
    f = jit(ns["f"])
    a = np.array([0.0, 2.0, 3.0])
    assert f(a) == 2

    @jit
    def total(x):
        return x.sum()

    mylib.total = total
    stickyjit.note_definition()
    assert f(a) == 5.0


STICKY_CELL = """
import numpy as np
from stickyjit import jit

@jit
def binned(r, n):
    return np.histogram(r, n)[0].sum()
"""


def test_rerunning_a_cell_that_calls_the_library_keeps_its_code():
    import itertools
    import linecache

    ns = {}  # one notebook's namespace

    def run_cell(src, k):
        name = f"<lib-cell-{k}>"
        linecache.cache[name] = (len(src), None, src.splitlines(True), name)
        exec(compile(src, name, "exec"), ns)
        return ns["binned"]

    counter = itertools.count()
    r = np.linspace(0.0, 1.0, 101)
    first = run_cell(STICKY_CELL, next(counter))
    assert first(r, 7) == np.histogram(r, 7)[0].sum()
    before = stickyjit.stats()
    again = run_cell(STICKY_CELL + "\n# a comment\n", next(counter))
    assert again is first
    assert again(r, 7) == np.histogram(r, 7)[0].sum()
    after = stickyjit.stats()
    assert (after["compiles"], after["cache_hits"]) == (before["compiles"], before["cache_hits"])
    assert "redefined" not in again.explain()


CACHE_SCRIPT = """
import json
import numpy as np
import stickyjit
from stickyjit import jit

@jit
def radial(r, n):
    hist, edges = np.histogram(r, n)
    return hist, edges, np.cumsum(hist)

r = np.linspace(0.0, 3.0, 1001) ** 2
hist, edges, cum = radial(r, 17)
want = np.histogram(r, 17)
ok = bool(np.array_equal(hist, want[0]) and np.array_equal(edges, want[1]) and np.array_equal(cum, np.cumsum(want[0])))
print(json.dumps({"ok": ok, "stats": stickyjit.stats()}))
"""


def test_a_second_process_loads_the_cached_code(tmp_path):
    script = tmp_path / "cached_histogram.py"
    script.write_text(CACHE_SCRIPT)
    env = dict(os.environ)
    env["STICKYJIT_CACHE_DIR"] = str(tmp_path / "cache")
    env.pop("STICKYJIT_CACHE", None)

    def run():
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    first = run()
    assert first["ok"] and first["stats"]["compiles"] == 1 and first["stats"]["cache_writes"] == 1
    second = run()
    assert second["ok"] and second["stats"]["compiles"] == 0 and second["stats"]["cache_hits"] == 1


@jit(fastmath=True)
def _histogram_under_fastmath(a, n):
    return np.histogram(a, n)[0]


@jit(fastmath=True)
def _nanmax_under_fastmath(a):
    return np.nanmax(a)


def test_library_functions_keep_numpys_answers_under_the_callers_fastmath():
    # The library tests for NaN (histogram's default range is a NaN sentinel, nanmax skips
    # NaNs); fastmath's no-NaN flags on its code made every count 0 (NPBench azimint_hist).
    a = np.random.default_rng(3).random(1000)
    np.testing.assert_array_equal(_histogram_under_fastmath(a, 10), np.histogram(a, 10)[0])
    b = np.array([1.0, np.nan, 3.0])
    assert _nanmax_under_fastmath(b) == np.nanmax(b)
