"""`set(it)` of an array, a list, a tuple or a range: the set CPython makes of the same items
(compared as sets: the iteration order of a set is docs/language.md's deviation)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit


@jit
def distinct(a, items, t):
    s = set(a)
    return len(s), len(set(items)), sorted(set(t)), set(range(4)), 3 in set(a), set(a) == s


@pytest.mark.parametrize(
    ("a", "items", "t"),
    [
        (np.array([1, 2, 2, 3]), [1.5, 1.5, 2.0], (3, 1, 3)),
        (np.array([]), [0.0], (1,)),
        (np.array([np.nan, 1.0, 1.0]), [2.5], (2, 2, 2)),
    ],
)
def test_set_of_an_iterable_is_cpythons(a, items, t):
    check(distinct, a, items, t, py_args=(a.tolist(), items, t))


@jit
def two_arguments(a):
    return set(a, a)


def test_set_of_two_arguments_is_a_compile_error():
    with pytest.raises(CompileError, match="set"):
        two_arguments(np.ones(2))
