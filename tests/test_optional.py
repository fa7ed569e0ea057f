"""Optional values (issue 19, point 8): a variable, a conditional expression or a return that
is None on one path and a number, array, list or string on another (Numba's `Optional`), with
`is None` / `is not None`; None arguments and `None` defaults (a test the types answer compiles
only the branch taken, as Numba prunes it); `d.get(k)` without a default. Each compared with
CPython running the same function. An optional value read as a value while it is None is a
TypeError (CPython's message names the operation; compiled code's says a None was read).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check, rss_growth
from stickyjit import CompileError, njit

FLOATS = st.floats(-1e6, 1e6, allow_nan=False)


@njit
def find(a, x):
    for i in range(len(a)):
        if a[i] == x:
            return i
    return None


@njit
def smallest(a):
    best = None
    for x in a:
        if best is None or x < best:
            best = x
    return best


@njit
def index_or_minus_one(a, x):
    i = find(a, x)
    if i is None:
        return -1
    return i * 10


@njit
def plus_one(a, x):
    i = find(a, x)
    return i + 1


@given(st.lists(st.integers(0, 5), max_size=8), st.integers(0, 5))
def test_a_function_returning_none_or_an_int(items, x):
    a = np.array(items, dtype=np.int64)
    check(find, a, x)
    check(index_or_minus_one, a, x)


@given(st.lists(FLOATS, max_size=8))
def test_a_variable_none_until_a_loop_assigns_it(items):
    # (An empty Python list has no item type to compile for: an empty array stands for it.)
    if items:
        check(smallest, items)
    check(smallest, np.array(items), py_args=(items,))


def test_an_optional_read_as_a_value_while_none_is_a_type_error():
    a = np.arange(5.0)
    check(plus_one, a, 3.0)
    with pytest.raises(TypeError, match="None"):
        plus_one(a, 9.0)
    with pytest.raises(TypeError):
        plus_one.py_func(a, 9.0)


@njit
def scale(x, factor=None):
    if factor is None:
        return x
    return x * factor


@njit
def fill(a, out=None):
    if out is None:
        out = np.empty_like(a)
    out[:] = a * 2.0
    return out


@njit
def calls_with_default(x):
    return scale(x) + scale(x, 3.0)


@given(FLOATS, st.one_of(st.none(), FLOATS, st.integers(-5, 5)))
def test_none_arguments_and_defaults_compile_the_branch_taken(x, factor):
    check(scale, x)
    check(scale, x, factor)
    check(calls_with_default, x)


def test_a_none_default_array_argument():
    a = np.arange(4.0)
    np.testing.assert_array_equal(fill(a), fill.py_func(a))
    out = np.zeros(4)
    got = fill(a, out)
    assert got is out or np.shares_memory(got, out)
    np.testing.assert_array_equal(out, 2.0 * a)


@njit
def maybe(c, kind):
    if kind == 0:
        r = None
        if c:
            r = np.ones(3)
        return r
    return None


@njit
def maybe_list(n):
    r = None
    if n > 0:
        r = [i * i for i in range(n)]
    return r


@njit
def maybe_text(n):
    r = None
    for i in range(n):
        if r is None:
            r = "a"
        else:
            r = r + str(i)
    return r


@njit
def conditional(c):
    x = None if c > 0 else 2.5
    if x is not None:
        return x * 2
    return -1.0


@njit
def none_tests(x=None):
    return x is None, x is not None, x is not None


@given(st.integers(-3, 5))
def test_optional_lists_strings_and_conditional_expressions(n):
    check(maybe_list, n)
    check(maybe_text, n)
    check(conditional, n)


def test_optional_arrays_and_tests():
    assert maybe(False, 0) is None
    np.testing.assert_array_equal(maybe(True, 0), np.ones(3))
    for x in (None, 2.0, 3):
        check(none_tests, x)
    check(none_tests)


@njit
def optional_parameter(x):
    if x is None:
        return 0.0
    return x + 1.0


@njit
def passes_optional(c):
    v = None
    if c:
        v = 2.0
    return optional_parameter(v)


def test_an_optional_passed_to_a_jitted_function():
    check(passes_optional, True)
    check(passes_optional, False)


@njit
def prints_optional(c):
    x = None
    if c:
        x = 3
    print(x, "end")


def test_print_of_an_optional(capsys):
    for c in (True, False):
        prints_optional(c)
        got = capsys.readouterr().out
        prints_optional.py_func(c)
        assert got == capsys.readouterr().out


@njit
def lookup(keys, k):
    d = {}
    for i in range(len(keys)):
        d[keys[i]] = i * 1.5
    v = d.get(k)
    w = d.get(k, None)
    if v is None:
        return -1.0, w is None
    return v, w is None


@given(st.lists(st.integers(0, 6), max_size=6), st.integers(0, 6))
def test_dict_get_without_a_default_is_optional(keys, k):
    check(lookup, keys, k)


def test_is_between_numbers_is_a_compile_error():
    # Object identity, which compiled code does not keep (Enum members and bools: test_enums.py).
    @njit
    def same(a, b):
        return a is b

    with pytest.raises(CompileError, match="compares object identity"):
        same(1, 2)
    with pytest.raises(CompileError, match="compares object identity"):
        same(np.zeros(2), np.zeros(2))


def test_none_read_as_a_value_is_a_compile_error():
    @njit
    def none_plus(n):
        x = None
        return x + n

    with pytest.raises(CompileError, match="None"):
        none_plus(1)


def test_optional_values_do_not_leak(tmp_path):
    grew = rss_growth(
        tmp_path,
        """
        import numpy as np

        @njit
        def build(n):
            r = None
            s = None
            for i in range(n):
                r = [i, i + 1]
                s = np.ones(i % 7)
            t = None
            if n > 1:
                t = "x" * n
            return r, s
        """,
    )
    assert grew < 8 * 1024 * 1024


@njit
def positive(b=None):
    if b is not None and b > 0:
        return 1
    return 0


@njit
def negative_or_none(b=None):
    if b is None or b < 0:
        return -1.0
    return b * 2.0


@given(st.one_of(st.none(), st.integers(-3, 3), FLOATS))
def test_and_or_of_a_test_the_types_answer(b):
    check(positive, b)
    check(negative_or_none, b)
    check(positive)
    check(negative_or_none)


@njit
def noisy():
    print("called")


@njit
def calls_in_a_pruned_test():
    if noisy() is None:
        return 1
    return 2


def test_a_pruned_test_is_still_evaluated(capsys):
    assert calls_in_a_pruned_test() == calls_in_a_pruned_test.py_func()
    out = capsys.readouterr().out
    assert out == "called\ncalled\n"


@njit
def truth_of_optional(n, k):
    x = None
    if n > 0:
        x = n - k
    lst = None
    if k > 0:
        lst = [1] * (k - 1)
    return (1 if x else 0), not x, (1 if lst else 0), (x or -5)


@given(st.integers(-2, 3), st.integers(-2, 3))
def test_an_optional_condition_is_false_when_none(n, k):
    check(truth_of_optional, n, k)
