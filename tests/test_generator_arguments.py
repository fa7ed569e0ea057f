"""`sum(x * x for x in a)`, `min`/`max`/`sorted`/`list`/`set` of a generator expression: compiled
as the builtin of the comprehension with the same parts; `any`/`all` of one as a loop that stops
at the answer, as CPython's do. Answers are CPython's."""

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
    g = (x > 0 for x in a)
    return g


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


@jit
def answers(a, n):
    return (
        any(x > 0.5 for x in a),
        all(x >= 0 for x in a),
        any(x > 5 for x in a),
        all(x < 0.5 for x in a),
        any(i * j == 6 for i in range(n) for j in range(i)),
        all(i + j < 10 for i in range(n) for j in range(n) if j > i),
        any(False for _ in range(0)),
        all(False for _ in range(0)),
    )


@jit
def stops_early(a):
    # CPython stops at the first true item: 1.0 / 0.0 is never computed for [0.5, 0.0].
    return any(1.0 / x > 1.0 for x in a), all(1.0 / x < 1.0 for x in a)


@jit
def in_a_test(a):
    if any(x < 0 for x in a):
        return -1
    return 1


@pytest.mark.parametrize("n", [0, 3, 5])
def test_any_and_all_of_a_generator_expression(n):
    a = np.linspace(0.0, 1.0, n + 2)
    assert answers(a, n) == answers.py_func(a, n)
    assert in_a_test(a) == in_a_test.py_func(a) and in_a_test(-a - 1) == in_a_test.py_func(-a - 1)


def test_any_and_all_stop_at_the_answer_as_cpython():
    b = np.array([0.5, 0.0])
    assert stops_early(b) == stops_early.py_func(b)
    with pytest.raises(ZeroDivisionError):
        stops_early(np.array([0.0, 0.5]))
    with pytest.raises(ZeroDivisionError):
        stops_early.py_func(np.array([0.0, 0.5]).tolist())


@jit
def of_sequences(a, lst, t):
    return any(a), all(a), any(lst), all(lst), any(t), all(t), any(range(0)), all(range(3))


@jit
def of_list_comprehension(a):
    # A list comprehension is made whole first (CPython), so an item that raises raises.
    return any([1.0 / x > 1.0 for x in a])


def test_any_and_all_of_sequences():
    for a, lst, t in [(np.array([0.0, 1.0]), [1, 2, 3], (0, 0)), (np.zeros(0), [0], (1.5,))]:
        assert of_sequences(a, lst, t) == of_sequences.py_func(a, lst, t)
    with pytest.raises(ZeroDivisionError):
        of_list_comprehension(np.array([0.5, 0.0]))
    with pytest.raises(ZeroDivisionError):
        of_list_comprehension.py_func([0.5, 0.0])
