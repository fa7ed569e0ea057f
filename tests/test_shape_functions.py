"""Shape functions (issue 17, item 4): `a.reshape(...)`/`np.reshape` (with -1; a view of a
C-contiguous array, else a copy), `a.T`/`np.transpose`/`a.transpose(...)`, `a.ravel()`/
`np.ravel`, `a.flatten()`, `a.copy()`/`np.copy`, `a.astype(dtype)`, compared with NumPy's answer
for the same call on every kind of view.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_arrays import arrays

from stickyjit import CompileError, njit


def reshape_flat(a):
    return a.reshape(-1)


def reshape_two(a):
    return a.reshape(2, -1)


def reshape_fn(a):
    return np.reshape(a, (-1, 1, a.shape[-1]))


def transpose_attr(a):
    return a.T


def transpose_fn(a):
    return np.transpose(a)


def transpose_method_reversed(a):
    return a.transpose()


def ravel(a):
    return a.ravel()


def ravel_fn(a):
    return np.ravel(a)


def flatten(a):
    return a.flatten()


def copy_fn(a):
    return np.copy(a)


def transpose_then_reshape(a):
    return a.T.reshape(-1)


def astype_f32(a):
    return a.astype(np.float32)


def astype_i64(a):
    return a.astype(np.int64)


def astype_bool(a):
    return a.astype(bool)


FUNCS = [
    reshape_flat,
    reshape_fn,
    transpose_attr,
    transpose_fn,
    transpose_method_reversed,
    ravel,
    ravel_fn,
    flatten,
    copy_fn,
    transpose_then_reshape,
    astype_f32,
    astype_bool,
]
JIT = {f.__name__: njit(f) for f in [*FUNCS, reshape_two, astype_i64]}


def same(expected, got):
    assert isinstance(got, np.ndarray)
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape)
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(FUNCS), arrays())
def test_shape_functions_equal_numpy(f, a):
    try:
        expected = f(a)
    except ValueError:  # a size-0 array reshaped with -1 beside a 0
        with pytest.raises(ValueError):
            JIT[f.__name__](a)
        return
    got = JIT[f.__name__](a)
    same(expected, got)
    # A view where NumPy's is one of a C-contiguous array; never the caller's memory otherwise.
    if f in (copy_fn, flatten, astype_f32, astype_bool):
        assert not np.shares_memory(got, a)


@settings(max_examples=200, deadline=None)
@given(arrays(dtypes=["int8", "int32", "float64", "uint64"]))
def test_reshape_into_two_rows_equals_numpy_or_raises_its_error(a):
    try:
        expected = reshape_two(a)
    except ValueError:
        with pytest.raises(ValueError, match="reshape"):
            JIT["reshape_two"](a)
        return
    same(expected, JIT["reshape_two"](a))


@settings(max_examples=200, deadline=None)
@given(arrays(dtypes=["float64", "float32"]))
def test_astype_float_to_int_equals_numpy_for_values_in_range(a):
    # NumPy's conversion of NaN or an out-of-range float to an integer is undefined behaviour
    # of C (it warns); the values drawn here are in range.
    same(astype_i64(a), JIT["astype_i64"](a))


def write_through_reshape(a):
    v = a.reshape(3, 2)
    v[0, 1] = 100.0
    w = a.T
    w[1] += 5.0
    return v.sum()


def test_reshape_and_transpose_of_a_contiguous_array_are_views_as_in_numpy():
    a, b = np.arange(6.0), np.arange(6.0)
    # a.T of a 1-D array is the array itself.
    assert njit(write_through_reshape)(a) == write_through_reshape(b)
    np.testing.assert_array_equal(a, b)


def reshape_of_slice(a):
    v = a[:, ::2].reshape(-1)
    v[0] = -1.0
    return v


def test_reshape_of_a_non_contiguous_view_is_a_copy():
    a = np.arange(12.0).reshape(3, 4)
    got = njit(reshape_of_slice)(a)
    np.testing.assert_array_equal(got, [-1.0, 2, 4, 6, 8, 10])
    assert a[0, 0] == 0.0  # NumPy copies here too


def transposes(a):
    return np.transpose(a, (1, 0, 2)), a.transpose(2, 0, 1), a.transpose((0, -1, 1)), np.transpose(a, None)


def test_transpose_with_axes_equals_numpy():
    a = np.arange(24).reshape(2, 3, 4)
    for got, want in zip(njit(transposes)(a), transposes(a)):
        same(want, got)
    f = njit(transposes)
    for view in (a[:, ::-1], np.asfortranarray(a), a[..., ::2]):
        for got, want in zip(f(view), transposes(view)):
            same(want, got)


def expression_of_transposes(a, b):
    c = np.empty((a.shape[1], a.shape[0]))
    c[:] = a.T * 2.0 + b.reshape(a.shape[1], a.shape[0])
    a[:] = a.T  # square: an overlapping assignment, which NumPy takes a copy for
    return c


def test_transposed_and_reshaped_operands_in_array_expressions():
    a = np.arange(9.0).reshape(3, 3)
    b = np.arange(9.0)
    a2 = a.copy()
    got = njit(expression_of_transposes)(a, b)
    want = expression_of_transposes(a2, b)
    same(want, got)
    same(a2, a)


def softmax(x):
    new_shape = (x.shape[0], x.shape[1], x.shape[2], 1)
    tmp_max = np.empty(new_shape, dtype=x.dtype)
    for i in range(x.shape[3]):
        tmp_max[:, :, :, 0] = np.max(x[:, :, :, i])
    tmp_out = np.exp(x - tmp_max)
    tmp_sum = np.reshape(np.sum(tmp_out, axis=-1), new_shape)
    return tmp_out / tmp_sum


def test_npbench_softmax_shape_idiom():
    x = np.random.default_rng(0).random((2, 3, 4, 5)).astype(np.float32)
    np.testing.assert_allclose(njit(softmax)(x), softmax(x), rtol=1e-6)


def two_unknown(a):
    return a.reshape(-1, -1)


def bad_reshape(a):
    return a.reshape(4)


def empty_unknown(a):
    return a.reshape(0, -1)


@pytest.mark.parametrize("f", [two_unknown, bad_reshape, empty_unknown])
def test_bad_shapes_raise_numpys_value_error(f):
    a = np.arange(6.0)
    with pytest.raises(ValueError) as want:
        f(a)
    with pytest.raises(ValueError) as got:
        njit(f)(a)
    if "unknown" in str(want.value):
        assert str(got.value) == str(want.value)


def bad_axes(a):
    return np.transpose(a, (0, 0))


def axes_not_literal(a, k):
    return a.transpose(k, 0)


def reshape_of_number(x):
    return np.reshape(x, 1)


def test_bad_calls_are_compile_errors_naming_the_construct():
    with pytest.raises(CompileError, match="repeated axis"):
        njit(bad_axes)(np.zeros((2, 2)))
    with pytest.raises(CompileError, match="integer literals"):
        njit(axes_not_literal)(np.zeros((2, 2)), 1)
    with pytest.raises(TypeError, match="must be an array"):
        njit(reshape_of_number)(1.5)


def expand(a):
    return np.expand_dims(a, 0), np.expand_dims(a, 1), np.expand_dims(a, axis=1)


@settings(max_examples=100, deadline=None)
@given(arrays())
def test_expand_dims_equals_numpy(a):
    for got, want in zip(njit(expand)(a), expand(a)):
        same(want, got)
