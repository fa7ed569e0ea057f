"""Iterators as values (issue 19, item 4): `it = iter(x)` over lists, tuples, arrays (1-D and
2-D), ranges, strings, dicts (their keys) and sets; `enumerate(...)`, `zip(...)` and
`reversed(...)` as values; `next(it)` (CPython's `StopIteration` when exhausted, caught by
`try`/`except` or reaching Python), `next(it, default)`; `for x in it` continuing from the
iterator's position and advancing it; an iterator passed to another jitted function sharing
its position; a list grown or shrunk while it is walked. Each compared with CPython running the
same function. An iterator does not cross the boundary with Python, and does not go into a
list, dict or set.
"""

from __future__ import annotations

import linecache

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check, rss_growth
from stickyjit import CompileError, ParallelWarning, njit, prange


@njit
def take_then_loop(xs, k):
    # k items by next() (the default once exhausted), then the loop takes the rest.
    it = iter(xs)
    head = []
    for _ in range(k):
        head.append(next(it, -1))
    rest = []
    for x in it:
        rest.append(x)
    return head, rest, next(it, -2)


@njit
def next_past_end(xs, k):
    it = iter(xs)
    s = 0
    for _ in range(k):
        s += next(it)
    return s


@njit
def catch_stop(xs, k):
    it = iter(xs)
    got = 0
    try:
        for _ in range(k):
            got += next(it)
    except StopIteration:
        return -got - 1
    return got


@njit
def while_next_none(xs):
    it = iter(xs)
    out = []
    while True:
        x = next(it, None)
        if x is None:
            break
        out.append(x * 2)
    return out


@njit
def break_then_resume(xs, stop):
    it = iter(xs)
    first = []
    for x in it:
        if x == stop:
            break
        first.append(x)
    else:
        first.append(-100)
    second = []
    for x in it:
        second.append(x)
    return first, second


@njit
def pairs_of_one_iterator(n):
    # The inner loop advances the outer loop's iterator.
    it = iter(range(n))
    out = []
    for x in it:
        for y in it:
            out.append((x, y))
            break
    return out


@njit
def every_iterable(a, b, s, n):
    out = []
    it = iter(a)
    out.append(float(next(it)))
    for x in it:
        out.append(float(x))
    rows = iter(b)
    r = next(rows)
    out.append(float(r.sum()))
    for r in rows:
        out.append(float(r[0]))
    t = iter((1.5, 2.5, 3.5))
    next(t)
    for x in t:
        out.append(x)
    rg = iter(range(n, 0, -3))
    out.append(float(next(rg, -1)))
    for x in rg:
        out.append(float(x))
    d = {}
    for i in range(n):
        d[(i * 7) % 5] = i
    keys = iter(d)
    out.append(float(next(keys, -1)))
    for k in keys:
        out.append(float(k * 10))
    st = set()
    for i in range(n):
        st.add(i % 4)
    total = 0
    for k in iter(st):
        total += k
    out.append(float(total))
    chars = iter(s)
    text = next(chars, "?")
    for c in chars:
        text = c + text
    return out, text


@njit
def iter_of_iterator(xs):
    it = iter(xs)
    same = iter(it)
    a = next(same, 0)
    b = next(it, 0)
    return a, b, next(iter(same), 0)


@njit
def iterator_values(xs, m):
    e = enumerate(xs)
    z = zip(xs, m)
    r = reversed(xs)
    first = next(z, (-1, -1.0))
    out = [next(e, (-1, -1)), (first[0], int(first[1]))]
    for i, x in e:
        out.append((i, x))
    for x, y in z:
        out.append((x, int(y)))
    out.append((next(r, -1), 0))
    out.append((next(iter(zip(xs, xs)), (-5, -5))[0], 1))
    return out


@njit
def grow_while_walking(arg, limit):
    # The length is read before each item, as CPython's list iterator reads it: appended items
    # are walked, popped ones are not.
    xs = list(arg)
    it = iter(xs)
    out = []
    for x in it:
        out.append(x)
        if x < limit:
            xs.append(x + 5)
        elif len(xs) > 2:
            xs.pop()
    return out, xs


@njit
def exhausted_stays_exhausted(arg):
    xs = list(arg)
    it = iter(xs)
    for x in it:
        pass
    xs.append(99)
    # CPython's list iterator, once exhausted, does not see items appended later.
    return next(it, -1), len(xs)


@njit
def advance(it):
    return next(it)


@njit
def advance_by(it, k):
    s = 0
    for _ in range(k):
        s += next(it, 0)
    return s


@njit
def consume_rest(it):
    s = 0
    for x in it:
        s += x
    return s


@njit
def shared_with_callees(xs, k):
    it = iter(xs)
    a = advance_by(it, k)
    pair = (it, 1)
    b = advance_by(pair[0], 1)
    c = consume_rest(it)
    return a, b, c, next(it, -1)


@njit
def callee_raises_stop(xs):
    it = iter(xs)
    total = 0
    try:
        while True:
            total += advance(it)
    except StopIteration:
        total += 1000
    return total


@njit
def optional_iterator(xs, use):
    it = iter(xs) if use else None
    if it is None:
        return -1
    return next(it, -2)


@njit
def next_default_types(xs):
    it = iter(xs)
    return next(it, 0.5), next(it, 7), next(it, 0.25)


@njit
def closure_over_iterator(n):
    it = iter(range(n))

    def take():
        return next(it, -1)

    return take(), take(), next(it, -1)


@njit
def comprehension_over_iterator(xs):
    it = iter(xs)
    next(it, 0)
    return [x * 3 for x in it], next(it, -1)


# (An empty list from Python has no item type: `[]` is a CompileError for any loop over it.)
int_lists = st.lists(st.integers(-50, 50), min_size=1, max_size=12)


@given(int_lists, st.integers(0, 15))
def test_next_then_for_equals_cpython(xs, k):
    check(take_then_loop, list(xs), k)
    # StopIteration (no message) reaches Python when next() runs out.
    check(next_past_end, list(xs), k)
    check(catch_stop, list(xs), k)


@given(int_lists, st.integers(-50, 50))
def test_loops_over_one_iterator(xs, stop):
    check(while_next_none, list(xs))
    check(break_then_resume, list(xs), stop)
    check(iter_of_iterator, list(xs))
    check(comprehension_over_iterator, list(xs))
    check(exhausted_stays_exhausted, list(xs))
    check(shared_with_callees, list(xs), stop % 5)
    check(callee_raises_stop, list(xs))


@given(st.integers(-3, 20))
def test_an_inner_loop_advances_the_outer_iterator(n):
    check(pairs_of_one_iterator, n)
    check(closure_over_iterator, n)


@given(
    st.lists(st.integers(-9, 9), max_size=8),
    st.lists(st.integers(-9, 9), min_size=1, max_size=5),
    st.text(alphabet="abcé☃", max_size=6),
    st.integers(0, 12),
)
def test_every_iterable_equals_cpython(a, rows, s, n):
    b = np.array([[x, x * 2] for x in rows], dtype=np.float64)
    check(every_iterable, np.array(a, dtype=np.int64), b, s, n)
    check(every_iterable, np.array(a, dtype=np.float32), np.asfortranarray(b), s, n)


@given(st.lists(st.integers(-9, 9), min_size=1, max_size=6), st.lists(st.floats(-9, 9), min_size=1, max_size=6))
def test_enumerate_zip_reversed_as_values(xs, m):
    check(iterator_values, list(xs), list(m))


@given(st.lists(st.integers(0, 20), min_size=1, max_size=8), st.integers(0, 20))
def test_a_list_changed_while_walked(xs, limit):
    check(grow_while_walking, list(xs), limit)


def test_optional_and_defaults():
    check(optional_iterator, [3, 4], True)
    check(optional_iterator, [3, 4], False)
    # The item and the default unify (an int default beside float items is a float: the
    # int/float unification of language.md).
    for xs in ([1.5, 2.5], [1.5]):
        expected = next_default_types.py_func(list(xs))
        got = next_default_types(list(xs))
        assert got == expected and all(type(x) is float for x in got), (got, expected)


def test_stop_iteration_reaches_python():
    with pytest.raises(StopIteration):
        next_past_end([1, 2], 3)
    assert next_past_end([1, 2], 2) == 3


def test_an_iterator_from_python_is_a_type_error_naming_the_parameter():
    with pytest.raises(TypeError, match="'it'"):
        advance(iter([1, 2]))


def _compile_error(src: str, name: str, *args) -> CompileError:
    ns: dict = {}
    filename = f"<iterators-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    exec(compile(src, filename, "exec"), ns)
    with pytest.raises(CompileError) as info:
        njit(ns[name])(*args)
    return info.value


def test_an_iterator_is_not_returned_to_python():
    e = _compile_error("def f(n):\n    it = iter([n])\n    return it\n", "f", 3)
    assert "does not hand an iterator back to Python" in str(e)
    e = _compile_error("def g(n):\n    return (1, zip([n], [n]))\n", "g", 3)
    assert "does not hand an iterator back to Python" in str(e)


def test_iterators_stay_out_of_containers():
    e = _compile_error("def f(n):\n    xs = [iter([n])]\n    return len(xs)\n", "f", 3)
    assert "list" in str(e) and e.lineno == 2
    e = _compile_error("def g(n):\n    d = {1: iter([n])}\n    return len(d)\n", "g", 3)
    assert "iterator" in str(e) and e.lineno == 2


def test_what_is_not_an_iterator_is_cpythons_message():
    e = _compile_error("def f(n):\n    return next([n])\n", "f", 3)
    assert "'list' object is not an iterator" in str(e)
    e = _compile_error("def g(n):\n    return next(iter(n))\n", "g", 3)
    assert "'int' object is not iterable" in str(e)
    e = _compile_error("def h(n):\n    it = iter([n])\n    return len(it)\n", "h", 3)
    assert "has no len()" in str(e) and e.lineno == 3
    e = _compile_error("def k(n):\n    return next(iter((n, 2.5)))\n", "k", 3)
    assert "items have one type" in str(e)


def test_making_iterators_in_a_loop_does_not_leak(tmp_path):
    build = """
        @njit
        def build(n):
            xs = [i for i in range(n)]
            s = 0
            for k in range(n):
                it = iter(xs)
                s += next(it)
                z = zip(xs, xs)
                s += next(z)[0]
                for x in it:
                    s += x
            return s
        """
    grew = rss_growth(tmp_path, build, arg=50, calls=20_000)
    assert grew < 8 * 2**20, f"RSS grew {grew} bytes over 2*10^4 calls"


def test_iterators_made_in_one_call_are_freed_as_they_go(tmp_path):
    # The dispatcher frees whatever a call left behind when it returns: this measures inside
    # one call, where each iterator's position block must be freed when its local is assigned
    # again (2 * 10^6 leaked blocks would be hundreds of MB).
    import subprocess
    import sys
    import textwrap

    child = textwrap.dedent(
        """
        from stickyjit import njit

        def rss():
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmRSS"):
                        return int(line.split()[1]) * 1024

        @njit
        def churn(n):
            xs = [1, 2, 3]
            s = 0
            for k in range(n):
                it = iter(xs)
                s += next(it)
                e = enumerate(xs)
                s += next(e)[1]
            return s

        churn(10)
        before = rss()
        assert churn(2_000_000) == 4_000_000
        print(rss() - before)
        """
    )
    script = tmp_path / "churn.py"
    script.write_text(child)
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=True)
    grew = int(r.stdout.strip().splitlines()[-1])
    assert grew < 32 * 2**20, f"RSS grew {grew} bytes within one call"


def test_an_iterator_made_outside_a_prange_loop_makes_it_serial():
    src = (
        "from stickyjit import prange\n"
        "def f(n):\n"
        "    it = iter(range(n))\n"
        "    s = 0\n"
        "    for i in prange(n):\n"
        "        s += next(it, 0)\n"
        "    return s\n"
    )
    ns: dict = {}
    filename = "<iterators-prange>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    exec(compile(src, filename, "exec"), ns)
    with pytest.warns(ParallelWarning, match="would change 'it' on several threads"):
        assert njit(parallel=True)(ns["f"])(10) == ns["f"](10)


@njit(parallel=True)
def iterator_per_iteration(n):
    xs = [1, 2, 3]
    out = np.zeros(n)
    for i in prange(n):
        it = iter(xs)
        out[i] = next(it) + next(it, 0) * i
    return float(out.sum())


def test_an_iterator_made_inside_a_prange_body_is_its_own():
    check(iterator_per_iteration, 1000)


def test_enumerate_zip_reversed_of_an_iterator_are_refused():
    for call in ("enumerate(it)", "zip(it, [n, n])", "reversed(it)"):
        src = f"def f(n):\n    it = iter([n, n + 1])\n    s = 0\n    for t in {call}:\n        s += 1\n    return s\n"
        e = _compile_error(src, "f", 3)
        assert "of an iterator" in str(e) and e.lineno == 4, (call, str(e))


@njit
def grow_if_small(xs, x):
    if x < 40:
        xs.append(x + 5)
    return x


@njit
def comprehension_over_a_growing_list(n):
    # The comprehension reserves room for the items the list has when it starts; the list grows
    # while it is walked, and the appends beyond that room make more.
    xs = [i for i in range(n)]
    return [grow_if_small(xs, x) for x in iter(xs)]


@given(st.integers(0, 12))
def test_a_comprehension_over_an_iterator_whose_list_grows(n):
    check(comprehension_over_a_growing_list, n)


@njit
def iterator_before_the_first_item(n):
    # The list's item type is known only from the append after iter(): the iterator's type
    # follows it, as the list's does.
    xs = []
    it = iter(xs)
    for i in range(n):
        xs.append(i * 3)
    first = next(it, -1)
    return first, [x for x in it]


@given(st.integers(0, 6))
def test_an_iterator_over_a_list_typed_later(n):
    check(iterator_before_the_first_item, n)


def test_stop_iteration_has_the_line_of_the_next_call():
    import inspect
    import traceback

    with pytest.raises(StopIteration) as info:
        callee_raises_stop_outside([1, 2])
    frames = [(f.name, f.lineno) for f in traceback.extract_tb(info.value.__traceback__)[1:]]
    lines, first = inspect.getsourcelines(advance)
    at = first + next(i for i, line in enumerate(lines) if "next(it)" in line)
    assert ("advance", at) in frames, frames


@njit
def callee_raises_stop_outside(xs):
    it = iter(xs)
    total = 0
    for _ in range(3):
        total += advance(it)
    return total


@njit
def loop_keeps_its_iterator(n):
    # Rebinding the name in the body does not change what the loop walks (CPython's loop holds
    # the iterator it started with).
    it = iter(range(n))
    out = []
    for x in it:
        out.append(x)
        it = iter(range(100, 102))
    return out, next(it, -1)


@njit
def next_inside_the_loop(n):
    it = iter(range(n))
    out = []
    for x in it:
        out.append((x, next(it, -1)))
    return out


@njit
def iterator_over_a_tuple_of_arrays(a):
    it = iter((a, a * 2.0))
    s = next(it).sum()
    for b in it:
        s += b[0] if len(b) else 0.0
    return float(s)


@given(st.integers(-2, 9))
def test_loops_and_next_interleave_as_in_cpython(n):
    check(loop_keeps_its_iterator, n)
    check(next_inside_the_loop, n)
    check(iterator_over_a_tuple_of_arrays, np.arange(float(max(n, 0))))


def test_next_before_a_comprehension_over_the_same_iterator_is_refused():
    # A comprehension is evaluated before the rest of its statement (language.md): here that
    # would be before the next(), so the statement is refused rather than run out of order.
    src = "def f(n):\n    it = iter([n, n + 1, n + 2])\n    return next(it), [x for x in it]\n"
    e = _compile_error(src, "f", 3)
    assert "assign the next() on a line of its own first" in str(e) and e.lineno == 3
    e = _compile_error("def g(n):\n    it = iter([n, n + 1])\n    return next(it, 0), list(it)\n", "g", 3)
    assert "next(it)" in str(e)


@njit
def next_beside_an_unrelated_comprehension(n):
    it = iter(range(n))
    return next(it, -1), [i * i for i in range(n)], next(it, -1)


def test_next_beside_an_unrelated_comprehension():
    check(next_beside_an_unrelated_comprehension, 4)
    check(next_beside_an_unrelated_comprehension, 0)
