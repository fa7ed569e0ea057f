"""Python's iteration helpers in `for` loops (issue 19, item 4): `enumerate`, `zip` and
`reversed` over arrays, tuples and `range`, nested in one another, each compared with CPython
running the same function.
"""

from __future__ import annotations

import linecache

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conftest
from conftest import run_py, same
from stickyjit import CompileError, njit


def check(f, *args):
    """As ``conftest.check``, with CPython's NumPy scalars (items read from arrays) as the
    Python numbers compiled code returns."""
    kind, expected = run_py(f, args, {})
    if kind == "raise":
        conftest.check(f, *args)
        return
    if isinstance(expected, np.generic):
        expected = expected.item()
    same(expected, f(*args))


@njit
def enumerate_weighted(a):
    s = 0.0
    for i, x in enumerate(a):
        s += (i + 1) * x
    return s


@njit
def enumerate_start(a, k):
    s = 0.0
    for i, x in enumerate(a, k):
        s += i * x
    return s


@njit
def enumerate_start_keyword(a):
    s = 0.0
    for i, x in enumerate(a, start=-3):
        s = s * 0.5 + i * x
    return s


@njit
def enumerate_whole_item(a):
    s = 0.0
    for t in enumerate(a, 1):
        s += t[0] * t[1]
    return s


@njit
def zip_dot(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


@njit
def zip_three(a, b, c):
    s = 0.0
    for x, y, z in zip(a, b, c):
        s = s * 0.25 + x * y - z
    return s


@njit
def zip_tuple_and_array(a):
    s = 0.0
    for w, x in zip((1.0, -2.0, 0.5), a):
        s += w * x
    return s


@njit
def zip_rows(m, v):
    s = 0.0
    for row, x in zip(m, v):
        s += row.sum() * x
    return s


@njit
def enumerate_zip(a, b):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * (x - y)
    return s


@njit
def zip_enumerate(a, b):
    s = 0.0
    for (i, x), y in zip(enumerate(a), b):
        s += i * x + y
    return s


@njit
def reversed_range(start, stop, step):
    s = 0
    for i in reversed(range(start, stop, step)):
        s = (s * 7 + i) % 1000003
    return s


@njit
def enumerate_range(start, stop, step):
    s = 0
    for k, i in enumerate(range(start, stop, step)):
        s = (s * 5 + k * i) % 1000003
    return s


@njit
def zip_ranges(n, m):
    s = 0
    for i, j in zip(range(n), range(m, 0, -2)):
        s = (s * 3 + i - j) % 1000003
    return s


@njit
def reversed_array(a):
    s = 0.0
    for x in reversed(a):
        s = s * 0.5 + x
    return s


@njit
def reversed_tuple(x):
    s = 0.0
    for v in reversed((1.0, x, 3.0)):
        s = s * 10.0 + v
    return s


@njit
def reversed_one_arg(n):
    s = 0
    for i in reversed(range(n)):
        s = s * 2 + i
    return s


@njit
def zip_break_else(a, b, limit):
    s = 0.0
    for x, y in zip(a, b):
        if x * y > limit:
            break
        s += x * y
    else:
        s = -s
    return s


@njit
def enumerate_writes(a):
    for i, x in enumerate(a):
        a[i] = x * i
        if i + 1 < len(a):
            a[i + 1] += 1.0
    return a.sum()


floats = st.floats(-1e3, 1e3, allow_nan=False)
vectors = st.lists(floats, max_size=12).map(lambda v: np.array(v, dtype=np.float64))


@given(vectors, st.integers(-50, 50))
def test_enumerate_equals_cpython(a, k):
    check(enumerate_weighted, a)
    check(enumerate_start, a, k)
    check(enumerate_start_keyword, a)
    check(enumerate_whole_item, a)


@given(vectors, vectors, vectors)
def test_zip_equals_cpython(a, b, c):
    check(zip_dot, a, b)
    check(zip_three, a, b, c)
    check(zip_tuple_and_array, a)
    check(enumerate_zip, a, b)
    check(zip_enumerate, a, b)
    check(zip_break_else, a, b, 100.0)
    check(reversed_array, a)


@given(st.integers(-20, 20), st.integers(-20, 20), st.integers(-6, 6))
def test_ranges_equal_cpython(start, stop, step):
    # A zero step raises CPython's ValueError, with its message.
    check(reversed_range, start, stop, step)
    check(enumerate_range, start, stop, step)


@given(st.integers(-3, 30), st.integers(-3, 30))
def test_zip_of_ranges(n, m):
    check(zip_ranges, n, m)
    check(reversed_one_arg, n)


def test_rows_tuples_and_writes():
    m = np.arange(12.0).reshape(4, 3)
    check(zip_rows, m, np.array([1.0, -1.0, 2.0]))
    check(reversed_tuple, 2.0)
    a = np.linspace(0.0, 1.0, 9)
    expected = enumerate_writes.py_func(a.copy())
    b = a.copy()
    assert enumerate_writes(b) == expected
    c = a.copy()
    enumerate_writes.py_func(c)
    assert np.array_equal(b, c)


def test_large_range_lengths():
    # The length is CPython's for wide ranges and for steps that do not divide them.
    check(reversed_range, -(10**6), 10**6, 99_991)
    check(enumerate_range, 10**6, -(10**6), -77_777)


def _compile_error(src: str, name: str) -> CompileError:
    ns = {"np": np}
    filename = f"<iter-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    exec(compile(src, filename, "exec"), ns)
    with pytest.raises(CompileError) as info:
        njit(ns[name])(np.arange(3.0))
    return info.value


def test_outside_a_for_loop_only_where_always_evaluated():
    # Outside a for loop, enumerate/zip/reversed are iterators over the list of their items,
    # made before the statement (tests/test_iterators.py): not in a lazily evaluated place.
    e = _compile_error("def f(a):\n    e = enumerate(a) if a.size > 5 else enumerate(a[:1])\n    return 0\n", "f")
    assert "enumerate() as a value is compiled where it is always evaluated" in str(e)
    assert e.lineno == 2


def test_reversed_of_an_iterator_is_cpythons_type_error_at_compile_time():
    e = _compile_error(
        "def g(a):\n    s = 0.0\n    for x, y in reversed(zip(a, a)):\n        s += x\n    return s\n", "g"
    )
    assert "'zip' object is not reversible" in str(e)
    e = _compile_error(
        "def h(a):\n    s = 0.0\n    for x in reversed(enumerate(a)):\n        s += 1.0\n    return s\n", "h"
    )
    assert "'enumerate' object is not reversible" in str(e)


def test_unsupported_keywords_are_named():
    e = _compile_error(
        "def k(a):\n    s = 0.0\n    for x, y in zip(a, a, strict=True):\n        s += x\n    return s\n", "k"
    )
    assert "'strict=' is not compiled for zip()" in str(e)
