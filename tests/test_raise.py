"""`raise` and `assert` in compiled code: the builtin exception class named, with the string
literal it was given (or none), as CPython raises it (checked against CPython running the same
function), from callees and loops too; what is not compiled is a CompileError naming it."""

from __future__ import annotations

import linecache

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import stickyjit
from stickyjit import CompileError, njit


def outcome(f, *args):
    try:
        return "ok", f(*args)
    except Exception as e:  # noqa: BLE001 - the exception itself is compared
        return type(e).__name__, str(e), e.args


def define(src, filename):
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np}
    exec(compile(src, filename, "exec"), ns)
    return ns["f"]


# Defined from source: pytest rewrites the asserts of a test module (adding messages).
CHECKS = """
def f(x):
    if x < 0:
        raise ValueError("x must be non-negative")
    if x == 0:
        raise ZeroDivisionError
    if x == 1:
        raise KeyError("k")
    if x == 5:
        raise RuntimeError()
    if x == 6:
        raise NotImplementedError("not yet")
    if x == 7:
        raise IndexError("index out of range")
    assert x != 2, "two is not allowed"
    assert x != 3
    assert x < 100 and x != 50
    return x * 2
"""


@given(st.integers(-3, 120))
def test_raise_and_assert_are_cpythons(x):
    checks = define(CHECKS, "<raise-checks>")
    assert outcome(njit(checks), x) == outcome(checks, x)


CALLS = """
def helper(a, i):
    if i >= a.shape[0]:
        raise IndexError("helper: i too large")
    return a[i]


def caller(a, n):
    s = 0.0
    for i in range(n):
        s += helper(a, i)
    return s
"""


def test_a_raise_in_a_callee_reaches_the_caller():
    linecache.cache["<raise-calls>"] = (len(CALLS), None, CALLS.splitlines(True), "<raise-calls>")
    pure, jitted = {"np": np}, {"np": np}
    exec(compile(CALLS, "<raise-calls>", "exec"), pure)
    exec(compile(CALLS, "<raise-calls>", "exec"), jitted)
    jitted["helper"] = njit(jitted["helper"])
    caller = njit(jitted["caller"])
    a = np.arange(5.0)
    assert caller(a, 5) == pure["caller"](a, 5)
    assert outcome(caller, a, 6) == outcome(pure["caller"], a, 6)


def test_a_raise_inside_a_loop_making_arrays_leaks_nothing():
    @njit
    def f(n):
        total = 0.0
        for i in range(n):
            b = np.ones(1000) * i
            total += b.sum()
            if i == n - 1:
                raise ValueError("stop")
        return total

    for _ in range(200):
        with pytest.raises(ValueError, match="stop"):
            f(10)


def test_a_function_that_only_raises():
    @njit
    def f(x):
        raise TypeError("never")

    with pytest.raises(TypeError, match="never"):
        f(1)


@pytest.mark.parametrize(
    "body, construct",
    [
        ("raise", "bare raise"),  # outside an except clause
        ("raise ValueError('a') from None", "raise statement"),
        ("raise ValueError('a', 'b')", "raise statement"),
        ("raise ValueError(x)", "exception message"),
        ("raise MyError('a')", "raise statement"),
        ("assert x, x", "exception message"),
    ],
)
def test_what_is_not_compiled_is_a_compile_error(body, construct):
    f = define(f"def f(x):\n    {body}\n", f"<raise {body}>")
    with pytest.raises(CompileError) as e:
        njit(f)(1)
    assert e.value.construct == construct


def test_the_message_is_part_of_the_function_key():
    a = define("def f(x):\n    raise ValueError('one')\n", "<raise-one>")
    b = define("def f(x):\n    raise ValueError('two')\n", "<raise-two>")
    assert stickyjit.sticky_identity(a, ()) != stickyjit.sticky_identity(b, ())
    with pytest.raises(ValueError, match="one"):
        njit(a)(1)
    with pytest.raises(ValueError, match="two"):
        njit(b)(1)
