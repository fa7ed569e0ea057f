"""The ``cmath`` module in compiled code: every function compiled is compared with CPython's
``cmath`` running the same function, bit for bit (both parts, signed zeros; a NaN matches a NaN,
its sign bit unspecified as in CPython's own tests), and its errors (class and message): finite
values over every magnitude, the special values (±0, ±inf, NaN in each part), CPython's own
``cmath_testcases.txt`` inputs where an interpreter ships them, real and int arguments."""

from __future__ import annotations

import cmath
import glob
import itertools
import linecache
import math
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, njit

UNARY = [
    "sqrt",
    "exp",
    "log",
    "log10",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    "phase",
    "polar",
    "isnan",
    "isinf",
    "isfinite",
]

_compiled: dict[str, tuple] = {}


def define(src, name="f"):
    filename = f"<cmath-{abs(hash(src))}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    g = {"cmath": cmath, "math": math}
    exec(compile(src, filename, "exec"), g)
    return g[name]


def pair(src):
    """(the Python function, its jitted twin), made once per source text."""
    if src not in _compiled:
        f = define(src)
        _compiled[src] = (f, njit(f))
    return _compiled[src]


def same(want, got):
    """Bit for bit: both parts, signed zeros; a NaN matches any NaN."""
    assert type(got) is type(want), (type(got), type(want), want, got)
    if isinstance(want, tuple):
        assert len(want) == len(got)
        for w, g in zip(want, got):
            same(w, g)
    elif isinstance(want, complex):
        same(want.real, got.real)
        same(want.imag, got.imag)
    elif isinstance(want, float):
        assert (math.isnan(want) and math.isnan(got)) or (
            want == got and math.copysign(1, want) == math.copysign(1, got)
        ), (want, got)
    else:
        assert want == got, (want, got)


def check(src, *args):
    """CPython's outcome of `f(*args)` against the compiled one: value, or exception and message."""
    f, jf = pair(src)
    try:
        want = f(*args)
    except Exception as e:  # noqa: BLE001 - the exception is the answer under test
        with pytest.raises(type(e)) as info:
            jf(*args)
        assert str(info.value) == str(e), args
        return
    same(want, jf(*args))


def unary(name):
    return f"def f(z):\n    return cmath.{name}(z)\n"


SPECIAL = [-math.inf, -2.5, -1.0, -0.0, 0.0, 1.0, 2.5, math.inf, math.nan, 1e-320, 1e308, -1e-300]

# Finite parts over every magnitude (subnormals to near DBL_MAX) and the special values.
parts = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-4.0, max_value=4.0),
    st.sampled_from(SPECIAL),
)
complexes = st.builds(complex, parts, parts)


@pytest.mark.parametrize("name", UNARY)
@settings(max_examples=250, deadline=None)
@given(z=complexes)
def test_each_function_is_cpythons(name, z):
    check(unary(name), z)


@pytest.mark.parametrize("name", UNARY)
def test_special_values_grid_is_cpythons(name):
    """Every pair of special parts (C99 Annex G's tables, CPython's errno rules)."""
    for re, im in itertools.product(SPECIAL, SPECIAL):
        check(unary(name), complex(re, im))


@pytest.mark.parametrize("name", UNARY)
def test_real_int_and_bool_arguments_convert_to_complex(name):
    src = unary(name)
    for x in (0.0, -0.0, 0.5, -3.25, 2.0, math.inf, -math.inf, math.nan, 1e300):
        check(src, x)
    for n in (0, 1, -1, 7, -(2**53) - 1, 2**62):
        check(src, n)
    check(src, True)


def _testcases():
    """The inputs of CPython's own cmath test cases (any interpreter's copy of the file)."""
    roots = {sys.prefix, sys.base_prefix, os.path.expanduser("~/.pyenv/versions/*")}
    paths = []
    for r in roots:
        paths += glob.glob(os.path.join(r, "lib/python3*/test/**/cmath_testcases.txt"), recursive=True)
    if not paths:
        return []
    out = []
    with open(sorted(paths)[-1]) as fh:
        for line in fh:
            line = line.split("--")[0].strip()
            if "->" not in line:
                continue
            lhs = line.split("->")[0].split()
            if len(lhs) == 4 and lhs[1] in UNARY:
                out.append((lhs[1], complex(float(lhs[2]), float(lhs[3]))))
    return out


TESTCASES = _testcases()


@pytest.mark.skipif(not TESTCASES, reason="no interpreter here ships cmath_testcases.txt")
def test_cpythons_own_test_inputs():
    for name, z in TESTCASES:
        check(unary(name), z)


@settings(max_examples=300, deadline=None)
@given(z=complexes, base=st.one_of(complexes, st.sampled_from([1, 2, 10, 0, -1, 1.0, math.e])))
def test_log_with_a_base(z, base):
    check("def f(z, b):\n    return cmath.log(z, b)\n", z, base)


def test_log_with_a_base_special_and_errors():
    src = "def f(z, b):\n    return cmath.log(z, b)\n"
    for z, b in itertools.product([0, 1, 2, -1, 0j, 1j, complex(math.inf, 0), complex(math.nan, 1)], [1, 2, 0, 1j, -1]):
        check(src, z, b)


@settings(max_examples=300, deadline=None)
@given(r=parts, phi=parts)
def test_rect(r, phi):
    check("def f(r, phi):\n    return cmath.rect(r, phi)\n", r, phi)


def test_rect_special_grid_and_ints():
    src = "def f(r, phi):\n    return cmath.rect(r, phi)\n"
    for r, phi in itertools.product(SPECIAL, SPECIAL):
        check(src, r, phi)
    check(src, 2, 0)
    check(src, 3, 1)


def test_errors_are_cpythons():
    check(unary("log"), 0)
    check(unary("log"), -0.0)
    check(unary("log10"), 0j)
    check(unary("exp"), 1000)
    check(unary("exp"), complex(710, 1))
    check(unary("cosh"), complex(1000, 1))
    check(unary("sinh"), complex(-1000, 1))
    check(unary("atanh"), 1)
    check(unary("atanh"), -1.0)
    check(unary("atan"), 1j)
    check(unary("exp"), complex(1, math.inf))
    check(unary("sin"), complex(math.inf, 1))
    # glibc's atan2 sets ERANGE where its result underflows: CPython's phase raises.
    check(unary("phase"), complex(1e10, 1e-320))
    check(unary("polar"), complex(1e308, 1e308))
    # sqrt never raises.
    for z in (0j, -1, complex(-math.inf, math.nan), complex(1e308, 1e308)):
        check(unary("sqrt"), z)


def test_constants():
    check("def f():\n    return cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.nan, cmath.infj, cmath.nanj\n")
    check("def f(z):\n    return z * cmath.infj + cmath.nanj\n", 1.0)


@settings(max_examples=200, deadline=None)
@given(a=complexes, b=st.one_of(complexes, st.sampled_from([1, 0, 1.0000000001])))
def test_isclose_with_default_tolerances(a, b):
    check("def f(a, b):\n    return cmath.isclose(a, b)\n", a, b)
    check("def f(a):\n    return cmath.isclose(a, a * (1 + 1e-10))\n", a)


def test_in_a_loop_and_a_tuple_result():
    src = (
        "def f(n):\n"
        "    s = 0j\n"
        "    for k in range(n):\n"
        "        z = cmath.rect(1.0, 2 * cmath.pi * k / n)\n"
        "        s += cmath.exp(cmath.log(z) * 0.5) + cmath.sqrt(z)\n"
        "    r, phi = cmath.polar(s)\n"
        "    return s, r, phi, cmath.isfinite(s)\n"
    )
    check(src, 17)


def test_unsupported_uses_are_clear_compile_errors():
    with pytest.raises(CompileError, match=r"'cmath.nope' is not supported; supported: sqrt, exp"):
        njit(define("def f(z):\n    return cmath.nope(z)\n"))(1j)
    with pytest.raises(CompileError, match=r"'cmath.sqrt' can only be called"):
        njit(define("def f(z):\n    g = cmath.sqrt\n    return z\n"))(1j)
    with pytest.raises(CompileError, match=r"cmath.rect\(\) takes real numbers, not complex128"):
        njit(define("def f(z):\n    return cmath.rect(z, 1.0)\n"))(1j)
    with pytest.raises(CompileError, match=r"sqrt\(\) takes 1 argument, 2 given"):
        njit(define("def f(z):\n    return cmath.sqrt(z, z)\n"))(1j)


def test_names_imported_from_cmath_and_the_module_renamed():
    src = "def f(z):\n    return sqrt(z), cm.exp(z), cm.pi\n"
    filename = "<cmath-imported>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    g = {"sqrt": cmath.sqrt, "cm": cmath}
    exec(compile(src, filename, "exec"), g)
    for z in (-1, 1j, complex(-0.0, -0.0), complex(math.inf, math.nan)):
        same(g["f"](z), njit(g["f"])(z))


def test_isclose_tolerances_are_a_clear_compile_error():
    with pytest.raises(CompileError, match=r"'rel_tol=' is not compiled for 'cmath.isclose\(\)'"):
        njit(define("def f(z):\n    return cmath.isclose(z, z, rel_tol=0.1)\n"))(1j)


def test_numpy_scalar_arguments():
    """NumPy scalars convert as CPython converts them (`__complex__`, `__float__`, `__index__`)."""
    np = pytest.importorskip("numpy")
    for name in UNARY:
        for x in (
            np.complex64(1.5 - 2.25j),
            np.complex128(-3 + 0.1j),
            np.float32(0.3),
            np.uint64(2**64 - 1),
            np.int64(-5),
        ):
            check(unary(name), x)
    check("def f(r, phi):\n    return cmath.rect(r, phi)\n", np.float32(2.5), np.uint64(3))
