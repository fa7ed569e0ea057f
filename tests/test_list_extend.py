"""`l.extend(x)` of what a `for` loop walks besides a list: a range, a tuple of numbers of one
type, a 1-D array (numba-examples' and QuantEcon's `l.extend(range(n))`), the list's item type
widened as appending each item would widen it. Answers are CPython's."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit


@jit
def of_range(start, stop, step):
    out = [-1]
    out.extend(range(start, stop, step))
    return out


@jit
def of_tuple(t):
    out = [0.5]
    out.extend(t)
    out.extend(())
    return out


@jit
def of_array(a):
    out = [0]
    out.extend(a)
    return out


@jit
def self_extend(n):
    out = list(range(n))
    out.extend(out)
    return out


@pytest.mark.parametrize("args", [(0, 5, 1), (5, 0, -2), (3, 3, 1), (-4, 7, 3)])
def test_extend_with_a_range(args):
    check(of_range, *args)


@pytest.mark.parametrize("t", [(1, 2, 3), (1.5, -2.0), (True, False), ()])
def test_extend_with_a_tuple(t):
    # Equal values; the list is one of float64 (a list has one item type, as in Numba:
    # docs/language.md, Lists), where CPython's holds the ints as they came.
    got, want = of_tuple(t), of_tuple.py_func(t)
    assert got == want and all(type(x) is float for x in got)


@pytest.mark.parametrize(
    "a", [np.arange(4), np.linspace(0, 1, 3), np.array([True, False]), np.arange(10)[::3], np.zeros(0, np.int32)]
)
def test_extend_with_a_1d_array(a):
    got, want = of_array(a), of_array.py_func(a)
    assert got == [x.item() if hasattr(x, "item") else x for x in want]


def test_extend_with_itself_reads_the_length_once():
    check(self_extend, 3)


@jit
def of_matrix(a):
    out = [0.0]
    out.extend(a)
    return out


@jit
def of_mixed(t):
    out = [0.0]
    out.extend(t)
    return out


def test_what_is_not_compiled_is_a_compile_error():
    with pytest.raises(CompileError, match=r"\.extend\(\) takes a list, a range"):
        of_matrix(np.ones((2, 2)))
    with pytest.raises(CompileError, match=r"\.extend\(\) takes a list, a range"):
        of_mixed((1, 2.5))
