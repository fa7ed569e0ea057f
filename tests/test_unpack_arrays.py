"""Unpacking a 1-D array into names (`x, y = a`), as CPython unpacks any sequence: its
elements in order, CPython's ValueError (and message) when the lengths differ."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import check
from stickyjit import jit


@jit
def two(a):
    x, y = a
    return x + y, x


@jit
def three_into_slots(a, out):
    out[2], out[0], out[1] = a
    return out


@jit
def swap_sorted(arr):
    # numba-examples' mergesort: the two elements of a 2-element array, ordered.
    a, b = arr
    arr[0], arr[1] = (a, b) if a <= b else (b, a)
    return arr


@pytest.mark.parametrize(
    "a",
    [np.array([1.5, 2.0]), np.array([3, 4]), np.array([True, False]), np.arange(6.0)[::3], np.float32([0.1, 0.2])],
    ids=lambda a: f"{a.dtype}{a.strides}",
)
def test_two_elements_unpack_as_cpython(a):
    got, want = two(a), two.py_func(a)
    assert got == tuple(w.item() for w in want)


@pytest.mark.parametrize("n", [0, 1, 3, 4])
def test_a_length_mismatch_is_cpythons_value_error(n):
    check(two, np.arange(float(n)))


def test_targets_may_be_elements_and_read_first():
    a = np.array([7.0, 8.0, 9.0])
    np.testing.assert_array_equal(three_into_slots(a, np.zeros(3)), three_into_slots.py_func(a, np.zeros(3)))
    for pair in ([2.0, 1.0], [1.0, 2.0]):
        np.testing.assert_array_equal(swap_sorted(np.array(pair)), swap_sorted.py_func(np.array(pair)))


@jit
def rows(a):
    x, y = a
    return x


def test_rows_of_a_2d_array_are_its_rows():
    # Views, as NumPy's iteration gives them (tests/test_survey5_forms.py: stores through them).
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(rows(a), rows.py_func(a))
    with pytest.raises(ValueError, match="too many values to unpack"):
        rows(np.ones((3, 2)))
