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


# ---------------------------------------------------------------------------------------------
# axis= of cumsum/cumprod (1-D), concatenate, stack, vstack, hstack (1-D and 2-D)


@jit
def call_cum_axis(a, k):
    return np.cumsum(a, axis=k), np.cumprod(a, k)


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
def test_cumsum_cumprod_along_the_axis_of_a_1d_array_match_numpy(a, k):
    try:
        with np.errstate(all="ignore"):
            want = (np.cumsum(a, axis=k), np.cumprod(a, axis=k))
    except ValueError:
        raises_numpys_error(lambda: np.cumsum(a, axis=k), lambda: call_cum_axis(a, k))
        return
    with np.errstate(all="ignore"):
        got = call_cum_axis(a, k)
    same_array(got[0], want[0])
    same_array(got[1], want[1])


def test_cumsum_along_an_axis_of_a_2d_array_is_a_value_error():
    # Not supported (the result of the flattened default has another number of dimensions).
    with pytest.raises(ValueError):
        call_cum_axis(np.ones((2, 3)), 0)


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
