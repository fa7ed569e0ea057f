"""More NumPy functions compiled from stickyjit's library (python/stickyjit/_numpy_lib/): the
nan* variance family and accumulations, axis= of concatenate and the stacks, diag, interp,
trapezoid, convolve, cross, average, and the ndarray-method implementations of ``METHODS``;
each checked against NumPy's own answer on the same inputs, and NumPy's error classes."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_numpy_library import ND, _warnings_ignored, arrays, same_array, same_scalar

import stickyjit
from stickyjit import CompileError, jit
from stickyjit._numpy_lib import METHODS
from stickyjit._numpy_lib import reductions as _reductions

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


def close_to(got, want, rel, abs=0.0):
    """A Python float close to NumPy's scalar (NaN to NaN, inf to inf)."""
    assert type(got) is float, type(got)
    w = float(want)
    if math.isnan(w) or math.isinf(w):
        assert got == w or (math.isnan(got) and math.isnan(w)), (got, w)
    else:
        assert got == pytest.approx(w, rel=rel, abs=max(abs, rel * 1e-300)), (got, w)


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


# ---------------------------------------------------------------------------------------------
# axis= of cumsum/cumprod (1-D), concatenate, stack, vstack, hstack (1-D and 2-D)


@jit
def call_cum_axis(a, k):
    return np.cumsum(a, axis=k), np.cumprod(a, k), np.nancumsum(a, axis=k), np.nancumprod(a, k)


@jit
def call_concatenate_axis(a, b, k):
    return np.concatenate((a, b), axis=k), np.concatenate((b, a, b), k)


@jit
def call_stack_axis(a, b, k):
    return np.stack((a, b, a), axis=k)


@jit
def call_vstack(a, b):
    return np.vstack((a, b))


@jit
def call_hstack(a, b):
    return np.hstack((a, b, a))


def raises_numpys_error(numpy_call, our_call):
    """Both raise; ours is a ValueError where NumPy's error is one (an AxisError is a ValueError
    and an IndexError: documented)."""
    with pytest.raises(Exception) as want:
        numpy_call()
    assert isinstance(want.value, ValueError), want.value
    with pytest.raises(ValueError):
        our_call()


DTS = [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_]
AXES = st.integers(-3, 2)


@given(arrays(dtypes=[np.float64, np.int64, np.int32, np.uint8, np.bool_], nan=False, inf=False, width=16), AXES)
def test_accumulations_along_the_axis_of_a_1d_array_match_numpy(a, k):
    try:
        with np.errstate(all="ignore"):
            want = (np.cumsum(a, axis=k), np.cumprod(a, axis=k), np.nancumsum(a, axis=k), np.nancumprod(a, axis=k))
    except ValueError:
        raises_numpys_error(lambda: np.cumsum(a, axis=k), lambda: call_cum_axis(a, k))
        return
    with np.errstate(all="ignore"):
        got = call_cum_axis(a, k)
    for g, w in zip(got, want):
        same_array(g, w)


@jit
def call_cum_methods(a, k):
    return a.cumsum(axis=k), a.cumprod(k), a.cumsum()


@given(
    st.sampled_from(DTS).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=4))
    ),
    AXES,
)
def test_accumulations_along_an_axis_of_an_nd_array_match_numpy(a, k):
    """axis= given: the accumulation along that axis in a's shape (axis=None, the default,
    flattens: the branch on it is pruned by the argument's type)."""
    try:
        with np.errstate(all="ignore"):
            want = (np.cumsum(a, axis=k), np.cumprod(a, axis=k), np.nancumsum(a, axis=k), np.nancumprod(a, axis=k))
    except ValueError:
        raises_numpys_error(lambda: np.cumsum(a, axis=k), lambda: call_cum_axis(a, k))
        with pytest.raises(ValueError, match=f"axis {k} is out of bounds for array of dimension {a.ndim}"):
            call_cum_axis(a, k)
        return
    with np.errstate(all="ignore"):
        got = call_cum_axis(a, k)
        methods = call_cum_methods(a, k)
    for g, w in zip(got, want):
        same_array(g, w)
    with np.errstate(all="ignore"):
        for g, w in zip(methods, (a.cumsum(axis=k), a.cumprod(k), a.cumsum())):
            same_array(g, w)


def two_d_pairs(dt, shape_a, shape_b):
    return st.tuples(hnp.arrays(dt, shape_a), hnp.arrays(dt, shape_b))


@given(st.data(), st.sampled_from(DTS), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), AXES)
def test_concatenate_2d_along_each_axis_matches_numpy(data, dt, r, c, m, k):
    # b matches a except (maybe) along axis k; some draws mismatch on purpose.
    along = k % 2 if -2 <= k <= 1 else 0
    shape_b = (m, c) if along == 0 else (r, m)
    if data.draw(st.booleans()):
        shape_b = (m, m + 1)
    a, b = data.draw(two_d_pairs(dt, (r, c), shape_b))
    try:
        want = (np.concatenate((a, b), axis=k), np.concatenate((b, a, b), axis=k))
    except ValueError:
        raises_numpys_error(lambda: np.concatenate((a, b), axis=k), lambda: call_concatenate_axis(a, b, k))
        return
    got = call_concatenate_axis(a, b, k)
    same_array(got[0], want[0])
    same_array(got[1], want[1])
    assert got[0].flags.c_contiguous


@given(arrays(dtypes=DTS, max_size=6), st.data(), AXES)
def test_concatenate_1d_with_an_axis_matches_numpy(a, data, k):
    b = data.draw(hnp.arrays(a.dtype, st.integers(0, 6)))
    try:
        want = (np.concatenate((a, b), axis=k), np.concatenate((b, a, b), axis=k))
    except ValueError:
        raises_numpys_error(lambda: np.concatenate((a, b), axis=k), lambda: call_concatenate_axis(a, b, k))
        return
    got = call_concatenate_axis(a, b, k)
    same_array(got[0], want[0])
    same_array(got[1], want[1])


def test_concatenate_of_strided_and_transposed_arrays():
    x = np.arange(24.0).reshape(4, 6)
    for a, b in ((x[:, ::2], x[:, 1::2]), (x.T[:3], x.T[3:]), (x[::-1], x[::2])):
        for k in (0, 1, -1):
            try:
                want = np.concatenate((a, b), axis=k)
            except ValueError:
                continue
            same_array(call_concatenate_axis(a, b, k)[0], want)


@given(
    st.sampled_from(DTS).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4))
    ),
    st.integers(-4, 3),
)
def test_stack_along_each_new_axis_matches_numpy(a, k):
    b = a[::-1].copy() if a.size else a.copy()
    try:
        want = np.stack((a, b, a), axis=k)
    except ValueError:
        raises_numpys_error(lambda: np.stack((a, b, a), axis=k), lambda: call_stack_axis(a, b, k))
        return
    same_array(call_stack_axis(a, b, k), want)


def test_stack_of_different_shapes_is_a_value_error():
    raises_numpys_error(
        lambda: np.stack((np.zeros((2, 2)), np.zeros((2, 3)))),
        lambda: call_stack_axis(np.zeros((2, 2)), np.zeros((2, 3)), 0),
    )


@given(st.data(), st.sampled_from(DTS), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))
def test_vstack_hstack_of_2d_arrays_match_numpy(data, dt, r, c, r2, c2):
    a, b = data.draw(two_d_pairs(dt, (r, c), (r2, c2)))
    for ours, theirs in (
        (lambda: call_vstack(a, b), lambda: np.vstack((a, b))),
        (lambda: call_hstack(a, b), lambda: np.hstack((a, b, a))),
    ):
        try:
            want = theirs()
        except ValueError:
            raises_numpys_error(theirs, ours)
            continue
        same_array(ours(), want)


@given(arrays(dtypes=DTS, max_size=6), st.data())
def test_vstack_hstack_of_1d_arrays_match_numpy(a, data):
    b = data.draw(hnp.arrays(a.dtype, st.integers(0, 6)))
    same_array(call_hstack(a, b), np.hstack((a, b, a)))
    if len(b) == len(a):
        same_array(call_vstack(a, b), np.vstack((a, b)))
    else:
        raises_numpys_error(lambda: np.vstack((a, b)), lambda: call_vstack(a, b))


def test_a_middle_axis_of_3d_arrays_is_a_value_error():
    # Not supported (documented): NumPy answers.
    a = np.zeros((2, 3, 4))
    with pytest.raises(ValueError):
        call_concatenate_axis(a, a, 1)
    for k in (1, 2):
        with pytest.raises(ValueError):
            call_stack_axis(a, a, k)
    same_array(call_concatenate_axis(a, a + 1, 2)[0], np.concatenate((a, a + 1), axis=2))
    same_array(call_stack_axis(a, a + 1, 3), np.stack((a, a + 1, a), axis=3))


# ---------------------------------------------------------------------------------------------
# diag, diagonal, interp, trapezoid, asarray, ascontiguousarray, convolve, cross, average


@jit
def call_diag(v, k):
    return np.diag(v, k), np.diag(v)


@jit
def call_diagonal(a, offset, axis1, axis2):
    return np.diagonal(a, offset, axis1, axis2), np.diagonal(a), np.diagonal(a, offset=offset)


@jit
def call_interp(x, xp, fp):
    return np.interp(x, xp, fp)


@jit
def call_interp_lr(x, xp, fp, left, right):
    return np.interp(x, xp, fp, left=left, right=right), np.interp(x, xp, fp, left), np.interp(x, xp, fp, right=right)


@jit
def call_trapezoid(y, x, dx):
    return np.trapezoid(y), np.trapezoid(y, x), np.trapezoid(y, dx=dx), np.trapezoid(y, x=x, axis=0)


@jit
def call_asarray(a):
    return np.asarray(a), np.ascontiguousarray(a)


@jit
def call_convolve(a, v):
    return np.convolve(a, v)


@jit
def call_cross(a, b):
    return np.cross(a, b)


@jit
def call_average(a, w):
    return np.average(a), np.average(a, weights=w)


INT_DTS = [np.int64, np.int32, np.int8, np.uint8]


@given(arrays(dtypes=DTS, max_size=6), st.integers(-8, 8))
def test_diag_of_a_1d_array_matches_numpy(v, k):
    got = call_diag(v, k)
    same_array(got[0], np.diag(v, k))
    same_array(got[1], np.diag(v))


@given(
    st.sampled_from(DTS).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5))
    ),
    st.integers(-6, 6),
)
def test_diag_of_a_2d_array_is_its_diagonal_as_numpys(a, k):
    got = call_diag(a, k)
    same_array(got[0], np.diag(a, k))
    same_array(got[1], np.diag(a))
    same_array(call_diag(a.T, k)[0], np.diag(a.T, k))


def test_diag_of_other_dimensions_is_a_compile_error_naming_it():
    with pytest.raises(ValueError):
        np.diag(np.zeros((2, 2, 2)))
    with pytest.raises(CompileError, match=r"np\.diag\(\) is compiled from stickyjit's implementation"):
        call_diag(np.zeros((2, 2, 2)), 0)


@given(
    st.sampled_from(DTS).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5))
    ),
    st.integers(-6, 6),
    st.integers(-3, 2),
    st.integers(-3, 2),
)
def test_diagonal_matches_numpy(a, offset, axis1, axis2):
    try:
        want = np.diagonal(a, offset, axis1, axis2)
    except ValueError:
        raises_numpys_error(
            lambda: np.diagonal(a, offset, axis1, axis2), lambda: call_diagonal(a, offset, axis1, axis2)
        )
        return
    got = call_diagonal(a, offset, axis1, axis2)
    same_array(got[0], want)
    same_array(got[1], np.diagonal(a))
    same_array(got[2], np.diagonal(a, offset=offset))
    got[0][...] = 0  # a new array (NumPy's is a read-only view)


FLOATS = st.floats(-1e6, 1e6)
EDGY = st.one_of(FLOATS, st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0]))


@st.composite
def interp_tables(draw, dt=np.float64):
    n = draw(st.integers(1, 8))
    # xp increasing (NumPy's requirement; ties allowed), fp anything.
    xp = np.sort(draw(hnp.arrays(dt, n, elements=st.integers(-20, 20) if np.dtype(dt).kind == "i" else FLOATS)))
    fp = draw(hnp.arrays(np.float64, n, elements=EDGY))
    return xp, fp


@given(
    interp_tables(),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=6), elements=EDGY),
)
def test_interp_matches_numpy(table, x):
    xp, fp = table
    same_array(call_interp(x, xp, fp), np.interp(x, xp, fp))


@given(interp_tables(), st.data())
def test_interp_at_and_between_the_sample_points_matches_numpy(table, data):
    xp, fp = table
    pts = np.concatenate((xp, (xp[:-1] + xp[1:]) / 2, xp - 1, xp + 1))
    x = np.array(data.draw(st.permutations(pts)), dtype=np.float64)
    same_array(call_interp(x, xp, fp), np.interp(x, xp, fp))


@given(interp_tables(np.int64), hnp.arrays(np.int32, st.integers(0, 8), elements=st.integers(-25, 25)), EDGY, EDGY)
def test_interp_of_integers_and_left_right_match_numpy(table, x, left, right):
    xp, fp = table
    got = call_interp_lr(x, xp, fp, left, right)
    same_array(got[0], np.interp(x, xp, fp, left=left, right=right))
    same_array(got[1], np.interp(x, xp, fp, left))
    same_array(got[2], np.interp(x, xp, fp, right=right))


def test_interp_errors_are_numpys():
    x = np.array([0.5])
    raises_numpys_error(
        lambda: np.interp(x, np.array([]), np.array([])), lambda: call_interp(x, np.zeros(0), np.zeros(0))
    )
    raises_numpys_error(
        lambda: np.interp(x, np.zeros(2), np.zeros(3)), lambda: call_interp(x, np.zeros(2), np.zeros(3))
    )
    # A number x gives a number, as NumPy's (tests/test_numpy_library4.py); a tuple x is taken
    # as NumPy takes it, the array of its numbers.
    xp, fp = np.array([0.0, 1.0]), np.array([1.0, 3.0])
    for t in [(0.5, 1.0), (0.5, 2), (0.25,)]:
        same_array(call_interp(t, xp, fp), np.interp(t, xp, fp))


@given(
    arrays(dtypes=[np.float64, np.float32, np.int64, np.int32, np.bool_], max_size=12),
    st.data(),
    st.sampled_from([1.0, 0.5, 3, -2.0]),
)
def test_trapezoid_matches_numpy(y, data, dx):
    x = data.draw(hnp.arrays(st.sampled_from([np.float64, np.int64]), len(y), elements=st.integers(-100, 100)))
    with np.errstate(all="ignore"):
        want = (np.trapezoid(y), np.trapezoid(y, x), np.trapezoid(y, dx=dx), np.trapezoid(y, x=x, axis=0))
        got = call_trapezoid(y, x, dx)
    # Summed in order (NumPy pairwise; a float32 y in float32): close, not always equal, the
    # error relative to the terms' size.
    rel = 1e-5 if y.dtype == np.float32 else 1e-12
    with np.errstate(all="ignore"):
        scale = rel * 100 * float(np.abs(y.astype(np.float64)).max(initial=0.0)) * len(y)
    for g, w in zip(got, want):
        close_to(g, w, rel, scale)


def test_trapezoid_of_mismatched_lengths_and_a_bad_axis():
    y = np.arange(4.0)
    raises_numpys_error(lambda: np.trapezoid(y, np.arange(3.0)), lambda: call_trapezoid(y, np.arange(3.0), 1.0))

    @jit
    def axis1(y):
        return np.trapezoid(y, axis=1)

    # NumPy fails with an IndexError inside its own slicing; the library checks the axis first
    # and raises ValueError (documented).
    with pytest.raises(IndexError):
        np.trapezoid(y, axis=1)
    with pytest.raises(ValueError):
        axis1(y)


@given(st.one_of(arrays(dtypes=DTS), hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3))))
def test_asarray_and_ascontiguousarray_of_an_array(a):
    for v in (a, a[::2], a.T, a[::-1]):
        got = call_asarray(v)
        same_array(got[0], np.asarray(v))
        same_array(got[1], np.ascontiguousarray(v))
        assert got[1].flags.c_contiguous
        if v.size:
            assert np.shares_memory(got[0], v)
            # The array itself when C-contiguous, else a copy: as NumPy's.
            assert np.shares_memory(got[1], v) == np.shares_memory(np.ascontiguousarray(v), v)


@given(
    arrays(dtypes=INT_DTS + [np.bool_], min_size=1, max_size=10),
    arrays(dtypes=INT_DTS + [np.bool_], min_size=1, max_size=10),
)
def test_convolve_of_integers_matches_numpy(a, v):
    with np.errstate(all="ignore"):
        same_array(call_convolve(a, v), np.convolve(a, v))


@given(
    hnp.arrays(st.sampled_from([np.float64, np.float32]), st.integers(1, 12), elements=st.integers(-100, 100)),
    hnp.arrays(st.sampled_from([np.float64, np.int64]), st.integers(1, 12), elements=st.integers(-100, 100)),
)
def test_convolve_of_floats_matches_numpy(a, v):
    # Integer values: exact in any order of summation.
    same_array(call_convolve(a, v), np.convolve(a, v))


def test_convolve_of_random_floats_and_empty_inputs():
    rng = np.random.default_rng(5)
    a, v = rng.normal(size=300), rng.normal(size=40)
    np.testing.assert_allclose(call_convolve(a, v), np.convolve(a, v), rtol=1e-12, atol=1e-12)
    for x, y in ((np.zeros(0), np.ones(3)), (np.ones(3), np.zeros(0))):
        raises_numpys_error(lambda: np.convolve(x, y), lambda: call_convolve(x, y))


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.int8]),
    st.sampled_from([np.float64, np.int64, np.int16]),
    st.sampled_from([(3, 3), (2, 3), (3, 2)]),
    st.data(),
)
def test_cross_matches_numpy(dt_a, dt_b, lengths, data):
    el = lambda dt: EDGY if np.dtype(dt).kind == "f" else st.integers(-100, 100)  # noqa: E731
    a = data.draw(hnp.arrays(dt_a, lengths[0], elements=el(dt_a)))
    b = data.draw(hnp.arrays(dt_b, lengths[1], elements=el(dt_b)))
    with np.errstate(all="ignore"), _warnings_ignored():
        try:
            want = np.cross(a, b)
        except ValueError:  # NumPy 2.5 and later: a 2-vector beside a 3-vector
            with pytest.raises(ValueError):
                call_cross(a, b)
            return
    with np.errstate(all="ignore"):
        same_array(call_cross(a, b), want)


def test_cross_of_other_lengths_is_a_value_error():
    raises_numpys_error(lambda: np.cross(np.ones(4), np.ones(3)), lambda: call_cross(np.ones(4), np.ones(3)))
    raises_numpys_error(lambda: np.cross(np.ones(3), np.ones(1)), lambda: call_cross(np.ones(3), np.ones(1)))
    # Two 2-vectors: NumPy's answer is a number (deprecated); not supported.
    with pytest.raises(ValueError):
        call_cross(np.ones(2), np.ones(2))
    # Two bool arrays: NumPy's TypeError (bool subtraction), with its message.
    t = np.array([True, False, True])
    with pytest.raises(TypeError) as want:
        np.cross(t, t)
    with pytest.raises(TypeError) as got:
        call_cross(t, t)
    assert str(got.value) == str(want.value)
    same_array(call_cross(t, np.arange(3)), np.cross(t, np.arange(3)))


@given(
    arrays(dtypes=[np.float64, np.float32, np.int64, np.int32, np.bool_], max_size=12, nan=False, inf=False, width=16),
    st.data(),
)
def test_average_matches_numpy(a, data):
    w = data.draw(hnp.arrays(st.sampled_from([np.float64, np.int64]), len(a), elements=st.integers(0, 5)))
    with np.errstate(all="ignore"), _warnings_ignored():
        want0 = np.average(a)
    try:
        want = np.average(a, weights=w)
    except ZeroDivisionError:
        with pytest.raises(ZeroDivisionError):
            call_average(a, w)
        return
    got = call_average(a, w)
    # Summed in order (NumPy pairwise): the error is relative to the terms' size.
    rel = 1e-5 if a.dtype == np.float32 else 1e-12
    scale = rel * float(np.abs(a.astype(np.float64)).max(initial=0.0)) * 8
    close_to(got[0], want0, rel, scale)
    close_to(got[1], want, rel, scale)


def test_average_with_weights_of_another_length_is_an_error():
    # NumPy's TypeError, with its message.
    with pytest.raises(TypeError) as want:
        np.average(np.ones(3), weights=np.ones(2))
    with pytest.raises(TypeError) as got:
        call_average(np.ones(3), np.ones(2))
    assert str(got.value) == str(want.value)


@jit
def call_nonzero(a):
    return np.nonzero(a)


def test_nonzero_of_a_2d_array_is_a_compile_error_not_a_flattened_answer():
    # It returned (flatnonzero(a),), one array, where NumPy returns one per axis.
    with pytest.raises(CompileError, match=r"np\.nonzero\(\) is compiled from stickyjit's implementation"):
        call_nonzero(np.eye(2))
    (got,) = call_nonzero(np.array([0.0, 2.0, np.nan]))
    same_array(got, np.nonzero(np.array([0.0, 2.0, np.nan]))[0])


# ---------------------------------------------------------------------------------------------
# METHODS: ndarray method name -> implementation taking the array first, called directly here
# (the compiler's a.name(...) syntax is wired separately).

M_CUMSUM = METHODS["cumsum"]
M_CUMPROD = METHODS["cumprod"]
M_ARGSORT = METHODS["argsort"]
M_NONZERO = METHODS["nonzero"]
M_REPEAT = METHODS["repeat"]
M_SEARCHSORTED = METHODS["searchsorted"]
M_TRACE = METHODS["trace"]
M_CLIP = METHODS["clip"]
M_DIAGONAL = METHODS["diagonal"]
M_SORT = METHODS["sort"]
M_FILL = METHODS["fill"]


@jit
def m_flat(a):
    return M_CUMSUM(a), M_CUMPROD(a), M_ARGSORT(a), M_REPEAT(a, 2)


@jit
def m_1d(a, v):
    return M_NONZERO(a), M_SEARCHSORTED(a, v), a.dot(a), M_CUMSUM(a, 0), M_CUMPROD(a, -1)


@jit
def m_2d(a, k):
    return M_TRACE(a), M_DIAGONAL(a), M_DIAGONAL(a, k), M_DIAGONAL(a, offset=k, axis1=1, axis2=0)


@jit
def m_clip(a, lo, hi):
    return M_CLIP(a, lo, hi), M_CLIP(a, min=lo, max=hi)


@jit
def m_sort(a):
    return M_SORT(a)


@jit
def m_fill(a, v):
    return M_FILL(a, v)


def test_methods_lists_the_method_names():
    assert set(METHODS) == {
        "cumsum",
        "cumprod",
        "argsort",
        "nonzero",
        "repeat",
        "searchsorted",
        "trace",
        "clip",
        "diagonal",
        "sort",
        "fill",
        "item",
    }
    for name, impl in METHODS.items():
        assert hasattr(np.ndarray, name)
        assert isinstance(impl, stickyjit.Dispatcher), name
    # The function and the method take the same parameters: the same implementation.
    from stickyjit._numpy_lib import IMPLEMENTATIONS

    for name in ("cumsum", "cumprod", "argsort", "nonzero", "repeat", "searchsorted", "trace", "diagonal"):
        assert METHODS[name] is IMPLEMENTATIONS[getattr(np, name)], name


@given(
    st.one_of(arrays(dtypes=[np.float64, np.int64, np.int32, np.uint8, np.bool_], nan=False, inf=False, width=16), ND)
)
def test_flattening_and_sorting_methods_match_numpys(a):
    got = m_flat(a)
    with np.errstate(all="ignore"):
        for g, w in zip(got, (a.cumsum(), a.cumprod(), a.argsort(kind="stable"), a.repeat(2))):
            same_array(g, w)


@given(arrays(dtypes=[np.float64, np.int64, np.int32, np.bool_], nan=False, inf=False, width=16), st.integers(-5, 5))
def test_1d_methods_match_numpys(a, v):
    s = np.sort(a)
    got = m_1d(s, v)
    same_array(got[0][0], s.nonzero()[0])
    same_scalar(got[1], s.searchsorted(v))
    with np.errstate(all="ignore"):
        assert (
            got[2] == pytest.approx(s.dot(s).item(), rel=1e-12)
            if s.dtype.kind == "f"
            else same_scalar(got[2], s.dot(s)) is None
        )
        same_array(got[3], s.cumsum(0))
        same_array(got[4], s.cumprod(-1))


@given(
    st.sampled_from(DTS).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5))
    ),
    st.integers(-6, 6),
)
def test_2d_methods_match_numpys(a, k):
    got = m_2d(a, k)
    with np.errstate(all="ignore"):
        want_trace = a.trace()
    if a.dtype.kind == "f":
        assert got[0] == pytest.approx(float(want_trace), rel=1e-5, nan_ok=True)
    else:
        same_scalar(got[0], want_trace)
    same_array(got[1], a.diagonal())
    same_array(got[2], a.diagonal(k))
    same_array(got[3], a.diagonal(offset=k, axis1=1, axis2=0))


@given(arrays(dtypes=[np.float64, np.int64, np.float32, np.int32]), st.integers(-5, 5), st.integers(-5, 5))
def test_clip_method_matches_numpys(a, lo, hi):
    got = m_clip(a, lo, hi)
    same_array(got[0], a.clip(lo, hi))
    same_array(got[1], a.clip(min=lo, max=hi))


@given(
    st.one_of(
        arrays(),
        st.sampled_from([np.float64, np.int32]).flatmap(
            lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=3, min_side=0))
        ),
    )
)
def test_sort_method_sorts_in_place_as_numpys(a):
    want = a.copy()
    want.sort()
    got = a.copy()
    assert m_sort(got) is None
    same_array(got, want)


def test_sort_method_of_a_strided_view_sorts_the_viewed_elements():
    base = np.array([[5.0, 1.0, np.nan, 3.0], [2.0, -1.0, 0.0, 7.0]])
    want = base.copy()
    want[:, ::2].sort()
    want.T.sort()
    got = base.copy()
    m_sort(got[:, ::2])
    m_sort(got.T)
    same_array(got, want)


@given(
    st.sampled_from(DTS).flatmap(
        lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    ),
    st.sampled_from([0, 1, -3, 2.5, -0.5, True, math.nan, math.inf, -math.inf, 300, -3.0, 255.9, 1e30]),
)
def test_fill_method_sets_every_element_as_numpys(a, v):
    want = a.copy()
    try:
        with np.errstate(all="ignore"):
            want.fill(v)
    except (ValueError, OverflowError) as e:
        # NumPy refuses NaN (ValueError), an infinity or a value out of an integer dtype's
        # range (OverflowError): the same error.
        with pytest.raises(type(e)):
            m_fill(a.copy(), v)
        return
    got = a.copy()
    assert m_fill(got, v) is None
    same_array(got, want)
    strided = np.zeros((4, 6), dtype=a.dtype)
    m_fill(strided[::2, 1::2], v)
    want2 = np.zeros((4, 6), dtype=a.dtype)
    with np.errstate(all="ignore"):
        want2[::2, 1::2].fill(v)
    same_array(strided, want2)


@jit
def call_ascontiguousarray(a):
    return np.ascontiguousarray(a)


def test_ascontiguousarray_of_a_0d_array_is_a_compile_error():
    # NumPy gives a 1-D array of one element: another number of dimensions, not compiled.
    assert np.ascontiguousarray(np.array(5.0)).shape == (1,)
    with pytest.raises(CompileError, match=r"np\.ascontiguousarray\(\) is compiled from stickyjit's implementation"):
        call_ascontiguousarray(np.array(5.0))


@jit(fastmath=True)
def call_nan_functions_under_fastmath(a, xp, fp):
    return np.nanvar(a), np.nanstd(a), np.nanprod(a), np.nancumsum(a), np.nancumprod(a), np.interp(a, xp, fp)


def test_nan_functions_keep_numpys_answers_under_the_callers_fastmath():
    a = np.array([1.0, np.nan, 3.0, np.nan, -2.0])
    xp, fp = np.array([0.0, 2.0]), np.array([0.0, 1.0])
    got = call_nan_functions_under_fastmath(a, xp, fp)
    close_to(got[0], np.nanvar(a), 1e-12)
    close_to(got[1], np.nanstd(a), 1e-12)
    close_to(got[2], np.nanprod(a), 1e-12)
    same_array(got[3], np.nancumsum(a))
    same_array(got[4], np.nancumprod(a))
    same_array(got[5], np.interp(a, xp, fp))


# The defaults that stand for NumPy's None (a NaN with its sign bit set) survive the on-disk
# cache: a second process loads the code and gives NumPy's answers.
CACHE_SCRIPT = """
import json
import numpy as np
import stickyjit
from stickyjit import jit

@jit
def f(x, xp, fp, y):
    return np.interp(x, xp, fp), np.interp(x, xp, fp, left=-7.0), np.trapezoid(y), np.average(y)

x = np.array([-1.0, 0.5, 9.0, np.nan])
xp = np.array([0.0, 1.0])
fp = np.array([3.0, 5.0])
y = np.array([1.0, 2.0, 4.0])
got = f(x, xp, fp, y)
want = (np.interp(x, xp, fp), np.interp(x, xp, fp, left=-7.0), np.trapezoid(y), np.average(y))
ok = all(np.array_equal(g, w, equal_nan=True) for g, w in zip(got, want))
print(json.dumps({"ok": bool(ok), "stats": stickyjit.stats()}))
"""


def test_a_second_process_loads_the_cached_code_with_none_defaults(tmp_path):
    script = tmp_path / "cached_interp.py"
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


# The accumulation along an axis of an array of any number of dimensions, ready for np.cumsum's
# axis= once the compiler can pick it (see _cum_along's docstring): called directly.
_CUM_ALONG = _reductions._cum_along


@jit
def call_cum_along(a, k):
    return (
        _CUM_ALONG(a, k, False, False),
        _CUM_ALONG(a, k, True, False),
        _CUM_ALONG(a, k, False, True),
        _CUM_ALONG(a, k, True, True),
    )


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_]).flatmap(
        lambda dt: hnp.arrays(
            dt,
            hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
            elements=(
                st.one_of(st.just(math.nan), st.integers(-3, 3).map(float))
                if np.dtype(dt).kind == "f"
                else (st.booleans() if dt is np.bool_ else st.integers(0, 3))
            ),
        )
    ),
    st.integers(-4, 3),
)
def test_accumulation_along_an_axis_of_any_array_matches_numpy(a, k):
    for v in (a, a.T):
        try:
            want = (np.cumsum(v, axis=k), np.cumprod(v, axis=k), np.nancumsum(v, axis=k), np.nancumprod(v, axis=k))
        except ValueError:
            with pytest.raises(ValueError):
                call_cum_along(v, k)
            continue
        for g, w in zip(call_cum_along(v, k), want):
            same_array(g, w)


# ---------------------------------------------------------------------------------------------
# np.ndim: a constant of the argument's type, which prunes an `if` on it


@jit
def ndim_dispatch(a, bins):
    # The two branches type differently (a number times a sum; a sum of an array): only the
    # branch the argument's type takes is compiled, as in histogram's int-or-edges `bins`.
    if np.ndim(bins) == 0:
        return a.sum() * bins
    return a.sum() + bins.sum()


@jit
def ndims(a, x):
    return np.ndim(a), np.ndim(x), np.ndim(a[0]) if a.ndim > 0 else -1


def test_np_ndim_is_numpys_and_prunes_the_branch_it_decides():
    for a in (np.ones(3), np.ones((2, 2)), np.ones((1, 2, 3))):
        for x in (2, 2.5, True, np.ones(2)):
            want = (np.ndim(a), np.ndim(x), np.ndim(a[0]))
            assert ndims(a, x) == want
    assert ndim_dispatch(np.ones(3), 2) == 6.0
    assert ndim_dispatch(np.ones(3), np.ones((2, 2))) == 7.0
    # A list is NumPy's array of it: 1, or 2 for a list of lists (sktime's `np.interp(list, ...)`).
    assert jit(lambda_free_ndim_of_a_list)([1, 2]) == np.ndim([1, 2])
    with pytest.raises(CompileError, match="np.ndim"):
        jit(lambda_free_ndim_of_a_list)("ab")


def lambda_free_ndim_of_a_list(x):
    return np.ndim(x)


# ---------------------------------------------------------------------------------------------
# the library's errors: NumPy's class (an AxisError as the ValueError it also is) and message


def e_bincount(x):
    return np.bincount(x)


def e_cumsum_axis(a):
    return np.cumsum(a, axis=5)


def e_linspace(n):
    return np.linspace(0.0, 1.0, n)


def e_geomspace(x):
    return np.geomspace(x, 1.0, 3)


def e_hist_bins(a):
    return np.histogram(a, 0)


def e_hist_range(a):
    return np.histogram(a, 3, range=(2.0, 1.0))


def e_hist_inf(a):
    return np.histogram(a, 3, range=(0.0, np.inf))


def e_hist_nan(a):
    return np.histogram(a, 3)


def e_interp(xp, fp):
    return np.interp(np.ones(2), xp, fp)


def e_convolve(a, v):
    return np.convolve(a, v)


def e_cross(a, b):
    return np.cross(a, b)


def e_nanmin(a):
    return np.nanmin(a)


def e_quantile(a):
    return np.quantile(a, 1.5)


def e_percentile(a):
    return np.percentile(a, 150.0)


def e_digitize(x, b):
    return np.digitize(x, b)


def e_diagonal(a):
    return np.diagonal(a, 0, 0, 0)


def e_stack(a, b):
    return np.stack((a, b))


ERRORS = [
    (e_bincount, (np.array([1, -1]),)),
    (e_cumsum_axis, (np.ones((2, 2)),)),
    (e_linspace, (-1,)),
    (e_geomspace, (0.0,)),
    (e_hist_bins, (np.ones(3),)),
    (e_hist_range, (np.ones(3),)),
    (e_hist_inf, (np.ones(3),)),
    (e_hist_nan, (np.array([1.0, np.nan]),)),
    (e_interp, (np.arange(3.0), np.arange(2.0))),
    (e_interp, (np.arange(0.0), np.arange(0.0))),
    (e_convolve, (np.ones(0), np.ones(2))),
    (e_convolve, (np.ones(2), np.ones(0))),
    (e_cross, (np.ones(4), np.ones(3))),
    (e_nanmin, (np.ones(0),)),
    (e_quantile, (np.ones(3),)),
    (e_percentile, (np.ones(3),)),
    (e_digitize, (np.ones(3), np.array([1.0, 0.0, 2.0]))),
    (e_diagonal, (np.ones((2, 2)),)),
    (e_stack, (np.ones(2), np.ones(3))),
]


@pytest.mark.parametrize("f,args", ERRORS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(ERRORS)])
def test_the_librarys_errors_are_numpys_class_and_message(f, args):
    with pytest.raises(Exception) as want:
        f(*args)
    with pytest.raises(Exception) as got:
        jit(f)(*args)
    expected = ValueError if isinstance(want.value, ValueError) else type(want.value)
    assert type(got.value) is expected, got.value
    assert str(got.value) == str(want.value)
