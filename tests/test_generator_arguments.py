"""`sum(x * x for x in a)`, `min`/`max`/`sorted`/`list`/`set` of a generator expression: compiled
as the builtin of the comprehension with the same parts; answers are CPython's."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit


@jit
def consumers(n, k):
    return (
        sum(i * i for i in range(n)),
        max(i % k - i // k for i in range(1, n + 1)),
        min(-i for i in range(1, n + 1) if i % 2),
        sorted((i * 7) % 5 for i in range(n)),
        list(i for i in range(n) if i % k == 0),
        len(set(i % k for i in range(n))),
        sum(1 for _ in range(n)),
    )


@jit
def of_array(a):
    return sum(x * x for x in a), max(abs(x - 0.5) for x in a), sorted(-x for x in a)


@jit
def nested(n):
    return sum(i * j for i in range(n) for j in range(i))


@jit
def anything_else(a):
    return any(x > 0 for x in a)


@pytest.mark.parametrize("n,k", [(1, 1), (5, 2), (12, 5)])
def test_consumed_generator_expressions_are_cpythons(n, k):
    check(consumers, n, k)


def test_over_arrays_and_nested():
    a = np.linspace(0.0, 1.0, 9)
    got, want = of_array(a), of_array.py_func(a)
    assert got[0] == want[0] and got[1] == want[1] and got[2] == [float(v) for v in want[2]]
    for n in (0, 1, 6):
        check(nested, n)


def test_a_generator_expression_elsewhere_is_a_compile_error():
    with pytest.raises(CompileError, match="generator expression"):
        anything_else(np.ones(2))
