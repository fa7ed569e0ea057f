"""The forms of a `dtype` argument (issue 17, item 4, first part): a NumPy scalar type by keyword
or by position, `np.dtype(...)`, a global bound to a type, a builtin, and another array's
`.dtype`; each array compared with the one NumPy makes for the same call.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy import int32

from stickyjit import CompileError, njit

DT = np.float32


def by_position(n):
    return (
        np.zeros((n, 2), np.int32),
        np.ones(n, np.uint8),
        np.full(n, 2.5, np.float32),
        np.full_like(np.zeros(n), 7, np.int16),
        np.zeros_like(np.ones(n), np.bool_),
        np.arange(0, n, 1, np.int8),
    )


def by_keyword_and_global(n):
    return (
        np.zeros(n, dtype=np.dtype(np.int64)),
        np.ones(n, dtype=int32),
        np.full(n, 3, dtype=DT),
        np.ones((n, n), dtype=float),
        np.arange(n, dtype=np.dtype(np.float32)),
    )


def like_another(u, n):
    v = np.empty(u.shape, dtype=u.dtype)
    r = np.zeros((n, n), dtype=u.dtype)
    v[:] = 1
    return v, r, np.full(n, 1.5, u.dtype)


def same(expected, got):
    assert len(expected) == len(got)
    for e, g in zip(expected, got):
        assert g.dtype == e.dtype, (g.dtype, e.dtype)
        np.testing.assert_array_equal(g, e)


def test_dtype_by_position():
    same(by_position(4), njit(by_position)(4))


def test_dtype_by_keyword_np_dtype_and_globals():
    same(by_keyword_and_global(3), njit(by_keyword_and_global)(3))


@pytest.mark.parametrize("dtype", ["float32", "int16", "uint64", "bool", "float64"])
def test_dtype_of_another_array(dtype):
    u = np.ones((2, 3), dtype)
    same(like_another(u, 2), njit(like_another)(u, 2))


def twice(n):
    return np.zeros(n, np.float64, dtype=np.float32)


def of_a_number(x):
    return np.zeros(3, dtype=x.dtype)


def test_bad_dtype_arguments():
    with pytest.raises(CompileError, match="got multiple values for argument 'dtype'"):
        njit(twice)(2)
    with pytest.raises(CompileError, match="'x' holds float64, which has no .dtype"):
        njit(of_a_number)(1.5)


def by_string(n):
    return (
        np.zeros(n, dtype="float32"),
        np.ones((n, 2), "i4"),
        np.arange(n, dtype=np.dtype("uint8")),
        np.full(n, 3, "<f8"),
        np.zeros(n, "?"),
        np.zeros(n, "int16").astype("u2"),
    )


def test_dtype_named_by_a_string_as_numpy_names_it():
    got, want = njit(by_string)(3), by_string(3)
    for g, w in zip(got, want):
        same(w, g)


def complex_string(n):
    return np.zeros(n, dtype="float16")


def string_value(n):
    s = "text"
    return n


def test_strings_other_than_compiled_dtypes_are_compile_errors():
    with pytest.raises(CompileError, match="'float16' is not a dtype compiled code has"):
        njit(complex_string)(2)
    # A string that names no dtype is an ordinary string value.
    assert njit(string_value)(2) == 2


@njit
def filled(n, dtype):
    X = np.empty((n,), dtype=dtype)
    for i in range(n):
        X[i] = i / 2
    return X


def passes_dtypes(n):
    return filled(n, np.float32), filled(n, dtype=np.int64), filled(n, float), filled(n, np.complex128)


def test_a_dtype_passed_to_a_jitted_function():
    # NPBench's mandelbrot kernels: linspace(start, stop, num, dtype=np.float64).
    want = (
        filled.py_func(5, np.float32),
        filled.py_func(5, np.int64),
        filled.py_func(5, float),
        filled.py_func(5, np.complex128),
    )
    same(want, njit(passes_dtypes)(5))


def dtype_local_holding_a_number(n):
    d = n
    return np.zeros(3, dtype=d)


def test_a_local_used_as_a_dtype_must_hold_one():
    with pytest.raises(CompileError, match="not a dtype"):
        njit(dtype_local_holding_a_number)(2)


def dtype_of_a_redefined_array(a):
    # `a` is another array after its first line: each `a.dtype` reads the `a` of its line.
    before = np.zeros(2, dtype=a.dtype)
    a = a.astype(np.float32)
    after = np.zeros(2, dtype=a.dtype)
    ones = np.ones((2, 2), a.dtype)
    a = np.arange(3).astype(np.int8)
    return before, after, ones, np.full(2, 7, dtype=a.dtype), np.zeros_like(before, dtype=a.dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.uint8])
def test_a_dtype_of_an_array_redefined_reads_the_array_of_its_line(dtype):
    a = np.arange(4).astype(dtype)
    want = dtype_of_a_redefined_array(a)
    got = njit(dtype_of_a_redefined_array)(a)
    for w, g in zip(want, got):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)
