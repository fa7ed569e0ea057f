"""print() in compiled code: numbers, bools, None, strings, arrays, tuples, lists, dicts and sets
written as CPython's print writes them (arrays as NumPy's str(), and repr() inside containers) (floats by their shortest repr: checked against CPython on any float), with sep= and
end=, through sys.stdout (so pytest and notebooks capture it); an exception sys.stdout.write
raises reaches the caller; what is not compiled is a CompileError naming it."""

from __future__ import annotations

import io
import linecache
import sys

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stickyjit import CompileError, njit


def define(src, filename):
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np}
    exec(compile(src, filename, "exec"), ns)
    return ns["f"]


def printed(f, *args):
    """What f(*args) writes to sys.stdout, and its result."""
    old, sys.stdout = sys.stdout, io.StringIO()
    try:
        r = f(*args)
        return sys.stdout.getvalue(), r
    finally:
        sys.stdout = old


SRC = """
def f(x, n, b):
    print("x =", x, "n =", n, b, None)
    print(x, x / 3, -x, sep="|", end="!\\n")
    print()
    print(n, end="")
    print(" done", 2**63 - 1, -(2**63))
    return n
"""


@given(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
)
# x / 3 is ...629.25, a tie between two shortest 17-digit reprs: Python's is the even one; at
# 2**-24 the even 16-digit neighbour does not read back.
@example(4952964032917888.0, 0, False)
@example(2.0**-24, 0, False)
def test_print_writes_what_cpython_writes(x, n, b):
    f = define(SRC, "<print-src>")
    assert printed(njit(f), x, n, b) == printed(f, x, n, b)


@pytest.mark.parametrize(
    "x",
    [0.1, 1.0, 1e16, 1e15, 1e-5, 1e-4, 5e-324, 1.7976931348623157e308, 123456789.125, 2.0**60, -0.0, 1 / 3]
    # Exactly 562949953421312.25: ...312.2 and ...312.3 both read back; Python's repr (the
    # nearest, ties to even) writes ...312.2.
    + [562949953421312.2, -562949953421312.2],
)
def test_float_edge_cases(x):
    f = define("def f(x):\n    print(x, x * 10.0, x / 7.0)\n", "<print-float>")
    assert printed(njit(f), x) == printed(f, x)


def test_uint64_and_float32():
    f = define("def f(u, a):\n    print(u, a[0], a[1])\n", "<print-u64-f32>")
    a = np.array([0.1, 1e20], dtype=np.float32)
    got, _ = printed(njit(f), np.uint64(2**64 - 1), a)
    assert got == f"{2**64 - 1} {str(a[0])} {str(a[1])}\n"  # as print(np.float32) writes it


def test_print_inside_loops_and_callees_in_order():
    src = """
def f(n):
    for i in range(n):
        if i % 2 == 0:
            print("even", i)
        else:
            print("odd", i, i * 0.5)
    return n
"""
    f = define(src, "<print-loop>")
    assert printed(njit(f), 5) == printed(f, 5)


def test_print_under_nogil_is_captured():
    f = define("def f(x):\n    print('nogil', x)\n    return x\n", "<print-nogil>")
    assert printed(njit(nogil=True)(f), 3) == ("nogil 3\n", 3)


class Failing:
    def write(self, s):
        raise OSError("disk full")


def test_an_exception_from_sys_stdout_write_reaches_the_caller():
    f = njit(define("def f(x):\n    print(x)\n    return x + 1\n", "<print-fail>"))
    old, sys.stdout = sys.stdout, Failing()
    try:
        with pytest.raises(OSError, match="disk full"):
            f(1)
    finally:
        sys.stdout = old
    assert printed(f, 1) == ("1\n", 2)


@pytest.mark.parametrize(
    "body, construct",
    [
        ("print(np.random.default_rng(1))", "print() argument"),
        ("print(x, file=None)", "keyword argument to a builtin"),
        ("print(x, sep=str(x))", "keyword argument to a builtin"),
        ("y = print(x)", "print() outside a statement"),
        ("print((x, np.random.default_rng(1)))", "print() argument"),
    ],
)
def test_what_is_not_compiled_is_a_compile_error(body, construct):
    f = define(f"def f(x, a):\n    {body}\n    return x\n", f"<print {body}>")
    with pytest.raises(CompileError) as e:
        njit(f)(1.0, np.ones(2))
    assert e.value.construct == construct


@given(st.complex_numbers(allow_nan=True, allow_infinity=True))
def test_complex_numbers_print_as_cpython_prints_them(z):
    f = define("def f(z):\n    print(z, -z, z * 1j, complex(0.0, z.imag))\n", "<print-complex>")
    assert printed(njit(f), z) == printed(f, z)


def test_complex64_elements_print_as_numpy_writes_them():
    f = define("def f(a):\n    print(a[0], a[1])\n", "<print-c64>")
    a = np.array([0.1 + 0.2j, -1e20 - 0.0j], dtype=np.complex64)
    got, _ = printed(njit(f), a)
    assert got == f"{str(a[0])} {str(a[1])}\n"  # as print(np.complex64) writes it


CONTAINERS = """
def f(n, x):
    l = [i * x for i in range(n)]
    print(l, (n, x), (x,), (), [], sep=" | ")
    print([i % 2 == 0 for i in range(n)], [(i, i * x) for i in range(n)], (True, None, 2 ** 40))
    return len(l)
"""


@given(st.integers(0, 6), st.floats(allow_nan=True, allow_infinity=True))
def test_print_of_tuples_and_lists_is_cpythons(n, x):
    f = define(CONTAINERS, "<print-containers>")
    assert printed(njit(f), n, x) == printed(f, n, x)


ARRAYS = """
def f(a, b, n):
    print("a =", a, "first", a.ravel()[:1])
    print((a[:2], n), b, a.T)
    print(np.zeros(0), a[0, 1:], np.arange(n) * 0.5)
    return n
"""


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (2, 0), (40, 40)])
def test_arrays_print_as_numpy_writes_them(shape):
    f = define(ARRAYS, "<print-arrays>")
    a = np.arange(float(np.prod(shape))).reshape(shape) / 7
    b = np.array([True, False, True])
    want = printed(f, a, b, 5)
    assert printed(njit(f), a, b, 5) == want


DICTS_SETS = """
def f(n):
    d = {"a": 1.5, "it's": -2.0}
    e = {}
    for i in range(n):
        e[i] = (i, i * 0.5)
    s = set()
    t = set()
    for i in range(n):
        t.add(i)
    w = {"x": "y"}
    print(d, e, s, t, w, ["p", "q"], ("r", 1))
    print({}, [], ())
    return n
"""


@pytest.mark.parametrize("n", [0, 1, 4])
def test_dicts_sets_and_strings_print_as_cpython_prints_them(n):
    # (Sets print in insertion order, CPython's in hash order: small ints added in increasing
    # order are in both.)
    f = define(DICTS_SETS, "<print-dicts-sets>")
    assert printed(njit(f), n) == printed(f, n)


class _Flushes(io.StringIO):
    def __init__(self):
        super().__init__()
        self.flushes = 0

    def flush(self):
        self.flushes += 1


def test_flush_true_flushes_sys_stdout_after_the_line():
    f = define(
        "def f(n):\n    for i in range(n):\n        print(i, end=' ', flush=True)\n    print('done', flush=False)\n    return n\n",
        "<print-flush>",
    )
    for g in (f, njit(f)):
        old, sys.stdout = sys.stdout, _Flushes()
        try:
            g(3)
            out, flushes = sys.stdout.getvalue(), sys.stdout.flushes
        finally:
            sys.stdout = old
        assert (out, flushes) == ("0 1 2 done\n", 3)
