"""`range` objects as values (issue 19, item 4): `r = range(a, b, c)`, then `len(r)`, `r[i]`
(negative indices, CPython's IndexError), `x in r`, `r.start`/`r.stop`/`r.step`, truth, and
`for` loops over `r`, `reversed(r)`, `enumerate(r)`, `zip(r, ...)` and `list(r)`; a zero step is
CPython's ValueError when the range is made. Each compared with CPython running the same
function. A range does not cross the boundary with Python (argument or return value).
"""

from __future__ import annotations

import linecache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check
from stickyjit import CompileError, njit


@njit
def range_facts(start, stop, step, x):
    r = range(start, stop, step)
    return len(r), r.start, r.stop, r.step, x in r, x not in r, bool(r)


@njit
def range_item(start, stop, step, i):
    r = range(start, stop, step)
    return r[i]


@njit
def range_loops(start, stop, step):
    r = range(start, stop, step)
    s = 0
    for x in r:
        s = (s * 31 + x) % 1000003
    for x in reversed(r):
        s = (s * 17 + x) % 1000003
    for k, x in enumerate(r):
        s = (s + k * x) % 1000003
    for x, y in zip(r, reversed(r)):
        s = (s + x * y) % 1000003
    return s, list(r)


@njit
def range_defaults(n, m):
    a = range(n)
    b = range(n, m)
    return len(a), len(b), list(a), list(b), a[-1] if a else -1


@njit
def range_break_restarts(n, k):
    # A range is an iterable, not an iterator: each loop starts from its first item.
    r = range(n)
    first = -1
    for x in r:
        if x == k:
            first = x
            break
    total = 0
    for x in r:
        total += x
    return first, total


@njit
def range_inline(n, i, x):
    return len(range(n)), x in range(0, n, 2), range(n, 0, -1)[i]


@njit
def range_chosen(c, n):
    r = range(n) if c else range(n, 0, -2)
    r = range(r.start + 1, r.stop, r.step)
    return list(r), len(r)


@njit
def range_zero_step_late(n, step):
    # The ValueError happens when the range is made, after its arguments are evaluated.
    out = [0]
    out.append(n)
    r = range(out[0], out[1], step)
    return len(r)


@njit
def sum_of(r):
    s = 0
    for x in r:
        s += x
    return s


@njit
def passes_range(n, step):
    return sum_of(range(0, n, step)) + range_len_of(range(n))


@njit
def range_len_of(r):
    return len(r)


small = st.integers(-25, 25)
steps = st.integers(-7, 7)


@given(small, small, steps, st.integers(-30, 30))
def test_range_values_equal_cpython(start, stop, step, x):
    # A zero step raises CPython's ValueError, with its message; an index outside the items
    # CPython's IndexError.
    check(range_facts, start, stop, step, x)
    check(range_item, start, stop, step, x)
    check(range_loops, start, stop, step)


@given(st.integers(-3, 20), st.integers(-3, 20), st.integers(-12, 12))
def test_range_defaults_loops_and_inline(n, m, i):
    check(range_defaults, n, m)
    check(range_break_restarts, n, i)
    check(range_inline, n, i, m)
    check(range_chosen, True, n)
    check(range_chosen, False, n)


def test_errors_are_cpythons():
    check(range_zero_step_late, 5, 0)
    check(range_item, 0, 10, 3, 4)
    check(range_item, 0, 10, 3, -5)
    check(range_item, 0, 10, 3, -4)


@given(st.integers(-20, 40), st.integers(-5, 5).filter(bool))
def test_ranges_passed_between_jitted_functions(n, step):
    check(passes_range, n, step)


def test_wide_ranges():
    big = 2**62
    for args in [
        (-big, big, 3, big - 2),
        (big, -big, -7, 5),
        (-big, big - 1, 1, -big),
        (big, -big + 1, -1, big),
        (0, big, big // 3, big // 3 * 2),
    ]:
        check(range_facts, *args)
        check(range_item, *args[:3], -1)
        check(range_item, *args[:3], 0)


def _compile_error(src: str, name: str, *args) -> CompileError:
    ns: dict = {}
    filename = f"<ranges-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    exec(compile(src, filename, "exec"), ns)
    with pytest.raises(CompileError) as info:
        njit(ns[name])(*args)
    return info.value


def test_a_range_is_not_returned_to_python():
    e = _compile_error("def f(n):\n    r = range(n)\n    return r\n", "f", 3)
    assert "does not hand a range object back to Python" in str(e)
    e = _compile_error("def g(n):\n    return (1, range(n))\n", "g", 3)
    assert "does not hand a range object back to Python" in str(e)


def test_bad_range_arguments_are_cpythons_messages():
    e = _compile_error("def f(x):\n    r = range(x)\n    return len(r)\n", "f", 2.5)
    assert "'float' object cannot be interpreted as an integer" in str(e)
    assert e.lineno == 2
    e = _compile_error("def g(n):\n    r = range(n)\n    return r[1:]\n", "g", 3)
    assert "slicing one (a new range) is not compiled" in str(e)
    e = _compile_error("def h(n):\n    r = range(n)\n    return 1.5 in r\n", "h", 3)
    assert "'in' of a range is compiled for an int" in str(e)


def test_a_range_argument_from_python_is_a_type_error():
    with pytest.raises(TypeError, match="'r'"):
        range_len_of(range(3))
