"""Two indexing forms real Numba code uses (the survey of numba-examples and numba-benchmark):
an index array among integers and slices (`A[labels == 1, 0]`, `x[i, idx]`), and an index held
in a tuple value with fewer integers than the array has axes (`m[i]` with `i` from
`np.ndindex(m.shape[:2])`), each compared with NumPy's answer for the same call, with NumPy's
errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit


def mask_then_int(a, m, i):
    return a[m, i]


def int_then_mask(a, i, m):
    return a[i, m]


def mask_then_slice(a, m):
    return a[m, 1:]


def slice_then_mask(a, m):
    return a[::-1, m]


def int_then_index(a, i, idx):
    return a[i, idx]


def index_then_int(a, idx, i):
    return a[idx, i]


def index_slice_int(a, idx, i):
    # The array and the integer apart, the array first: NumPy's gathered axes come first, which
    # is where the array's axis is.
    return a[idx, :, i]


def mask_slice_int(a, m, i):
    return a[m, :, i]


JIT = {
    f.__name__: njit(f)
    for f in [
        mask_then_int,
        int_then_mask,
        mask_then_slice,
        slice_then_mask,
        int_then_index,
        index_then_int,
        index_slice_int,
        mask_slice_int,
    ]
}


def same(expected, got):
    assert isinstance(got, np.ndarray)
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape)
    np.testing.assert_array_equal(got, expected)


def agree(name, *args):
    """The compiled function gives NumPy's array, or raises NumPy's IndexError message."""
    try:
        want = globals()[name](*args)
    except IndexError as e:
        with pytest.raises(IndexError) as got:
            JIT[name](*args)
        if "boolean index" not in str(e):
            assert str(got.value) == str(e)
        return
    same(want, JIT[name](*args))


def views(a):
    """`a` and views of it: reversed along every axis, Fortran order, every other column."""
    yield a
    yield a[::-1, ::-1]
    yield np.asfortranarray(a)
    if a.shape[1] > 1:
        yield a[:, ::2]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["float64", "int64", "int16", "uint8", "bool", "float32"]),
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5),
    st.data(),
)
def test_a_mask_or_an_index_array_among_integers_and_slices_equals_numpy(dtype, shape, data):
    base = (np.arange(int(np.prod(shape))).reshape(shape) * 3 + 1).astype(dtype)
    for a in views(base):
        rows, cols = a.shape
        m0 = data.draw(hnp.arrays(bool, rows))
        m1 = data.draw(hnp.arrays(bool, cols))
        i = data.draw(st.integers(-cols - 1, cols))
        agree("mask_then_int", a, m0, i)
        j = data.draw(st.integers(-rows - 1, rows))
        agree("int_then_mask", a, j, m1)
        agree("mask_then_slice", a, m0)
        agree("slice_then_mask", a, m1)
        idx = data.draw(
            hnp.arrays(
                data.draw(st.sampled_from(["int64", "int32", "uint8"])),
                hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=3),
                elements=st.integers(0, max(cols, 1)),
            )
        )
        agree("int_then_index", a, j, idx)
        agree("index_then_int", a, np.minimum(idx, max(rows, 1)), i)


@settings(max_examples=100, deadline=None)
@given(hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=4), st.data())
def test_the_array_and_an_integer_apart_put_the_gathered_axis_first_as_numpy(shape, data):
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    idx = data.draw(hnp.arrays(np.int64, data.draw(st.integers(0, 4)), elements=st.integers(-shape[0], shape[0] - 1)))
    i = data.draw(st.integers(-shape[2], shape[2] - 1))
    agree("index_slice_int", a, idx, i)
    agree("mask_slice_int", a, data.draw(hnp.arrays(bool, shape[0])), i)


def test_the_surveyed_kernel_sums_a_column_of_the_labelled_rows():
    def f(A, labels):
        return np.sum(A[labels == 1, 0])

    A = np.arange(8.0).reshape(4, 2)
    labels = np.array([1, 0, 1, 0])
    assert njit(f)(A, labels) == f(A, labels)


def test_a_mask_of_another_length_is_numpys_index_error():
    with pytest.raises(IndexError):
        mask_then_int(np.ones((3, 4)), np.ones(4, bool), 0)
    with pytest.raises(IndexError, match="boolean index did not match"):
        JIT["mask_then_int"](np.ones((3, 4)), np.ones(4, bool), 0)


def test_integers_on_both_sides_of_a_slice_with_an_array_after_it_are_a_compile_error():
    def f(b, idx):
        return b[0, :, idx]

    with pytest.raises(CompileError, match=r"b\[0\]\[:, idx\]"):
        njit(f)(np.ones((2, 3, 4)), np.array([0, 1]))


def row_sums(m):
    out = np.empty(m.shape[:2])
    for i in np.ndindex(out.shape):
        out[i] = m[i].sum()
    return out


def rows_written(m, v):
    for i in np.ndindex(m.shape[:1]):
        m[i] = v
    return m


def rows_updated(m, t):
    m[t] += 1
    return m


def row_at(m, t):
    return m[t]


TUPLES = {f.__name__: njit(f) for f in [row_sums, rows_written, rows_updated, row_at]}


@settings(max_examples=100, deadline=None)
@given(hnp.array_shapes(min_dims=3, max_dims=3, min_side=0, max_side=4), st.data())
def test_an_index_held_in_a_shorter_tuple_is_a_view_as_numpy(shape, data):
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    for m in (a, np.asfortranarray(a), a[::-1, :, ::-1]):
        same(row_sums(m), TUPLES["row_sums"](m))
        v = data.draw(st.floats(-5, 5))
        want, got = m.copy(), m.copy()
        same(rows_written(want, v), TUPLES["rows_written"](got, v))
        if shape[0] and shape[1]:
            t = (data.draw(st.integers(-shape[0], shape[0] - 1)), data.draw(st.integers(-shape[1], shape[1] - 1)))
            want, got = m.copy(), m.copy()
            same(rows_updated(want, t), TUPLES["rows_updated"](got, t))
            same(row_at(m, t), TUPLES["row_at"](m, t))
            same(row_at(m, t[:1]), TUPLES["row_at"](m, t[:1]))


def test_a_shorter_tuple_index_out_of_range_is_numpys_index_error():
    m = np.zeros((2, 3, 4))
    for t in [(2, 0), (0, -4), (-3,)]:
        with pytest.raises(IndexError) as want:
            row_at(m, t)
        with pytest.raises(IndexError) as got:
            TUPLES["row_at"](m, t)
        assert str(got.value) == str(want.value)


def test_a_row_of_a_shorter_tuple_index_is_a_view_writes_go_through():
    def f(m):
        r = m[(1, 2)]
        r[0] = 7.0
        return m

    m = np.zeros((2, 3, 4))
    assert njit(f)(m.copy())[1, 2, 0] == f(m.copy())[1, 2, 0] == 7.0


def test_a_store_through_an_index_array_among_integers_says_how_to_write_it():
    def f(A, m):
        A[m, 0] = 1.0
        return A

    def g(A, m):
        A[:, 0][m] = 1.0
        return A

    with pytest.raises(CompileError, match=r"A\[:, 0\]\[m\] = v"):
        njit(f)(np.zeros((3, 2)), np.array([True, False, True]))
    m = np.array([True, False, True])
    same(g(np.zeros((3, 2)), m), njit(g)(np.zeros((3, 2)), m))
