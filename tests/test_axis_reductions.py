"""Reductions along an axis (issue 17, item 6, first part): `a.sum(axis=k)`, `np.mean(a, k)`,
`min`, `max`, as methods and functions, compared with NumPy's answer for the same call.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit

DTYPES = ["bool", "int8", "uint16", "int32", "int64", "uint64", "float32", "float64"]


def sum0(a):
    return a.sum(axis=0)


def sum_last(a):
    return np.sum(a, axis=-1)


def mean1(a):
    return a.mean(1)


def max0(a):
    return np.max(a, 0)


def min_last(a):
    return a.min(axis=-1)


def mean_last(a):
    return np.mean(a, -1)


def prod0(a):
    return a.prod(axis=0)


def any_last(a):
    return np.any(a, axis=-1)


def all0(a):
    return a.all(0)


def argmin1(a):
    return np.argmin(a, axis=1)


def argmax0(a):
    return a.argmax(axis=0)


def var_last(a):
    return a.var(axis=-1)


def std0(a):
    return np.std(a, 0)


FUNCS = [sum0, sum_last, mean1, max0, min_last, mean_last, prod0, any_last, all0, argmin1, argmax0, var_last, std0]
JIT = {f.__name__: njit(f) for f in FUNCS}


def elements(dtype):
    d = np.dtype(dtype)
    if d.kind == "f":
        return st.floats(-1e6, 1e6, width=d.itemsize * 8)
    if d.kind == "b":
        return st.booleans()
    info = np.iinfo(d)
    return st.integers(max(info.min, -(2**20)), min(info.max, 2**20))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FUNCS), st.sampled_from(DTYPES), st.data())
def test_axis_reductions_equal_numpy(f, dtype, data):
    a = data.draw(
        hnp.arrays(dtype, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=4), elements=elements(dtype))
    )
    if data.draw(st.booleans()):
        a = a[..., ::-1]  # a strided view
    if f in (prod0,):
        a = small_factors(a)
    with np.errstate(all="ignore"):
        expected = f(a)
    got = JIT[f.__name__](a)
    assert got.dtype == expected.dtype, f"{f.__name__}({a.dtype}): {got.dtype} vs {expected.dtype}"
    assert got.shape == expected.shape
    if expected.dtype.kind == "f":
        # NumPy sums pairwise (float32 in float32); here in order, in float64.
        rtol = 1e-5 if expected.dtype == np.float32 else 1e-9
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-6 * float(np.abs(a).max()), equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


def small_factors(a):
    """`a` with values whose products fit: integers wrap in int64 in both, and a float32
    product is computed here in float64 (documented), so it does not overflow where NumPy's does;
    nor underflow, in var and std."""
    if a.dtype.kind in "iu":
        return a % 7
    if a.dtype.kind == "f":
        a = (a / max(1.0, float(np.abs(a).max())) * 3).astype(a.dtype)
        # Values whose squares underflow float32 (NumPy's var computes in float32, here in
        # float64: documented) are zeroed.
        return np.where(np.abs(a) < 1e-10, 0, a).astype(a.dtype)
    return a


def whole(a):
    return a.prod(), np.any(a), a.all(), np.argmin(a), a.argmax(), a.var(), np.std(a)


JIT["whole"] = njit(whole)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DTYPES), st.data())
def test_whole_array_reductions_equal_numpy(dtype, data):
    a = data.draw(
        hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), elements=elements(dtype))
    )
    if data.draw(st.booleans()):
        a = a[..., ::-1]
    a = small_factors(a)
    with np.errstate(all="ignore"):
        expected = whole(a)
    got = JIT["whole"](a)
    for name, g, w in zip(["prod", "any", "all", "argmin", "argmax", "var", "std"], got, expected):
        if isinstance(w, np.floating):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6 * float(np.abs(a).max()), err_msg=name)
        elif name == "prod" and a.dtype.kind == "u":
            # A product past int64 wraps: compiled code's int64 and NumPy's uint64 (its prod dtype
            # for unsigned arrays; docs/language.md) hold the same 64 bits.
            assert (int(g) - int(w)) % 2**64 == 0, (name, g, w)
        else:
            assert g == w, (name, g, w)


def with_nan(a):
    return a.argmin(), np.argmax(a), np.argmin(a, axis=0), a.any(), np.all(a)


def test_argmin_and_argmax_find_the_first_nan_as_numpy():
    a = np.array([[3.0, np.nan, 1.0], [np.nan, -1.0, 0.0]])
    for g, w in zip(njit(with_nan)(a), with_nan(a)):
        np.testing.assert_array_equal(g, w)


def test_one_dimensional_and_empty_axes():
    a = np.arange(5.0)
    assert JIT["sum0"](a) == a.sum(axis=0)
    assert JIT["mean_last"](a) == np.mean(a, -1)
    empty_rows = np.zeros((0, 3))
    np.testing.assert_array_equal(JIT["sum0"](empty_rows), empty_rows.sum(axis=0))
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum"):
        JIT["max0"](empty_rows)
    with pytest.raises(ValueError, match="attempt to get argmax of an empty sequence"):
        JIT["argmax0"](empty_rows)
    with pytest.raises(ValueError, match="attempt to get argmin of an empty sequence"):
        JIT["whole"](np.zeros(0))


def sum_axis2(a):
    return a.sum(axis=2)


def sum_axis_variable(a, k):
    return a.sum(axis=k)


def test_bad_axes():
    with pytest.raises(CompileError, match="axis 2 is out of bounds for array of dimension 2"):
        njit(sum_axis2)(np.ones((2, 2)))
    with pytest.raises(CompileError, match="axis must be an integer, not float64"):
        njit(sum_axis_variable)(np.ones((2, 2)), 0.0)
    with pytest.raises(TypeError):
        sum_axis_variable(np.ones((2, 2)), True)
    with pytest.raises(CompileError, match="axis must be an integer, not bool"):
        njit(sum_axis_variable)(np.ones((2, 2)), True)
    with pytest.raises(CompileError, match="out of bounds for array of dimension 0"):
        njit(sum_axis_variable)(np.ones(()), 0)


def var_axis_sum(a, k):
    return a.sum(axis=k)


def var_axis_mean(a, k):
    return np.mean(a, k)


def var_axis_max(a, k):
    return np.max(a, axis=k)


def var_axis_argmin(a, k):
    return a.argmin(axis=k)


def var_axis_std(a, k):
    return np.std(a, axis=k)


def var_axis_any(a, k):
    return a.any(k)


def var_axis_prod(a, k):
    return np.prod(a, axis=k)


VAR_FUNCS = [var_axis_sum, var_axis_mean, var_axis_max, var_axis_argmin, var_axis_std, var_axis_any, var_axis_prod]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VAR_FUNCS), st.sampled_from(DTYPES), st.data())
def test_an_axis_known_only_at_run_time_equals_numpy(f, dtype, data):
    # `axis=k` with `k` a variable: one specialization for every axis, checked when it runs.
    a = data.draw(
        hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), elements=elements(dtype))
    )
    if data.draw(st.booleans()):
        a = a[..., ::-1]
    a = small_factors(a)
    k = data.draw(st.integers(-a.ndim - 1, a.ndim))
    try:
        with np.errstate(all="ignore"):
            expected = f(a, k)
    except np.exceptions.AxisError:
        with pytest.raises(np.exceptions.AxisError):
            njit(f)(a, k)
        return
    got = njit(f)(a, k)
    if a.ndim == 1:
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6 * float(np.abs(a).max()))
        return
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape)
    if expected.dtype.kind == "f":
        rtol = 1e-5 if expected.dtype == np.float32 else 1e-9
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-6 * float(np.abs(a).max()), equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


def test_a_run_time_axis_out_of_bounds_is_numpys_axis_error():
    for a, k in [(np.ones((2, 3)), 2), (np.ones((2, 3)), -3), (np.ones(4), 1), (np.ones(4), -2)]:
        with pytest.raises(np.exceptions.AxisError):
            var_axis_sum(a, k)
        with pytest.raises(np.exceptions.AxisError, match="axis is out of bounds"):
            njit(var_axis_sum)(a, k)
    # An AxisError is also a ValueError and an IndexError, as NumPy's is.
    with pytest.raises(IndexError):
        njit(var_axis_sum)(np.ones(2), 5)


def builtin_sum(a):
    return sum(a)


@pytest.mark.parametrize("dtype", ["float64", "int64", "bool", "int32"])
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2), (0,), (0, 3)])
def test_the_builtin_sum_of_an_array_adds_its_items_as_python_does(dtype, shape):
    # Python's sum adds the items along the first axis: a number for 1-D, an array otherwise.
    a = (np.arange(int(np.prod(shape))).reshape(shape) % 5).astype(dtype)
    want, got = builtin_sum(a), njit(builtin_sum)(a)
    if a.ndim > 1 and len(a) == 0:
        # Python's sum of no rows is its start, 0; here np.sum(a, axis=0), zeros (documented).
        assert want == 0
        want = np.sum(a, axis=0)
    if a.ndim == 1:
        assert got == want
    else:
        np.testing.assert_array_equal(got, want)
        assert got.shape == np.asarray(want).shape


def builtin_sum_start(a):
    return sum(a, 1.0)


def test_the_builtin_sum_with_a_start_is_a_compile_error():
    with pytest.raises(CompileError, match="a start value is not compiled"):
        njit(builtin_sum_start)(np.ones(2))


@njit
def sum_axis0(a):
    return a.sum(axis=0)


@njit
def sum_axis1(a):
    return np.sum(a, axis=1)


@njit
def mean_axis0(a):
    return np.mean(a, axis=0)


@njit
def var_axis0(a):
    return a.var(axis=0)


@njit
def std_axis0(a):
    return np.std(a, axis=0)


@settings(max_examples=150, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=5),
        elements=st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0]),
    ),
    st.sampled_from([0, 1]),
)
def test_a_sum_along_a_leading_axis_adds_the_slices_in_order_from_zero(a, k):
    """Along any axis but the last, the slices are added into the result one after the other
    (so that the loop along the last axis vectorizes): each element is still 0.0 + a[0] + a[1]
    + ..., the order a loop over that axis alone adds in, to the bit (-0.0 sums to 0.0); the
    mean, var and std along axis 0 likewise."""
    k = min(k, a.ndim - 2)
    f = sum_axis0 if k == 0 else sum_axis1
    expected = np.zeros(a.shape[:k] + a.shape[k + 1 :])
    with np.errstate(all="ignore"):
        for row in np.moveaxis(a, k, 0):
            expected = expected + row
        got = f(a)
        assert got.tobytes() == expected.tobytes(), (a, got, expected)
        if k == 0:
            mean = expected / a.shape[0]
            assert mean_axis0(a).tobytes() == mean.tobytes()
            # var and std: the mean, then the squared deviations from it, added in order.
            ss = np.zeros_like(mean)
            for row in a:
                ss = ss + (row - mean) * (row - mean)
            assert var_axis0(a).tobytes() == (ss / a.shape[0]).tobytes()
            assert std_axis0(a).tobytes() == np.sqrt(ss / a.shape[0]).tobytes()
