"""`np.array(rows)` of a list of lists of numbers (a nested comprehension, rows appended in a
loop): a 2-D array of NumPy's values and dtype, and NumPy's ValueError for rows of different
lengths."""

from __future__ import annotations

import numpy as np
import pytest

from stickyjit import jit


@jit
def table(n, m):
    return np.array([[i * j - 1 for j in range(m)] for i in range(n)])


def rows(n):
    out = []
    for i in range(n):
        out.append([float(i), i + 0.5, -i / 3.0])
    return out


@jit
def appended(n):
    return np.array(rows_jit(n), dtype=np.float64)


@jit
def appended32(n):
    return np.array(rows_jit(n), dtype=np.float32)


rows_jit = jit(rows)


@jit
def ragged(extra):
    out = [[1, 2], [3, 4]]
    out.append([5] * extra)
    return np.array(out)


@pytest.mark.parametrize("n,m", [(3, 4), (1, 1), (4, 1), (2, 0)])
def test_a_nested_comprehension(n, m):
    got, want = table(n, m), table.py_func(n, m)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    if n * m:
        assert got.dtype == want.dtype


@pytest.mark.parametrize("f", [appended, appended32])
def test_rows_appended_with_a_dtype(f):
    got, want = f(4), np.array(rows(4), dtype=np.float32 if f is appended32 else np.float64)
    assert got.dtype == want.dtype and got.flags.c_contiguous
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("extra", [0, 1, 3])
def test_rows_of_different_lengths_are_numpys_value_error(extra):
    with pytest.raises(ValueError) as want:
        ragged.py_func(extra)
    with pytest.raises(ValueError) as got:
        ragged(extra)
    assert str(got.value) == str(want.value)
    np.testing.assert_array_equal(ragged(2), ragged.py_func(2))
