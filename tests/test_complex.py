"""Complex numbers: Python complex arguments, literals, arithmetic with CPython's algorithms and
errors, ``==``, ``abs``, ``.real``/``.imag``/``.conjugate()``, ``complex(...)``; complex arrays
(elements, views of parts, array expressions and NumPy functions as NumPy's loops compute them).
Each compared with CPython or NumPy running the same function."""

from __future__ import annotations

import cmath
import linecache
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, njit


def define(src, name="f"):
    filename = f"<complex-{abs(hash(src))}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    g = {"np": np, "math": math, "cmath": cmath}
    exec(compile(src, filename, "exec"), g)
    return g[name]


def same_complex(want, got):
    """Bit for bit: both parts, NaNs and signed zeros included."""
    assert type(got) is type(want), (type(got), type(want))
    if isinstance(want, tuple):
        assert len(want) == len(got)
        for w, g in zip(want, got):
            same_complex(w, g)
        return
    if isinstance(want, complex):
        for w, g in ((want.real, got.real), (want.imag, got.imag)):
            assert math.isnan(w) == math.isnan(g) and (
                math.isnan(w) or (w == g and math.copysign(1, w) == math.copysign(1, g))
            ), (want, got)
        return
    if isinstance(want, float):
        assert (math.isnan(want) and math.isnan(got)) or (
            want == got and math.copysign(1, want) == math.copysign(1, got)
        ), (want, got)
        return
    assert want == got, (want, got)


def check(src, *args):
    """CPython's outcome of `f(*args)` against the compiled one: value or exception and message."""
    f = define(src)
    try:
        want = f(*args)
    except Exception as e:  # noqa: BLE001 - the exception is the answer under test
        with pytest.raises(type(e)) as info:
            njit(f)(*args)
        assert str(info.value) == str(e)
        return
    same_complex(want, njit(f)(*args))


parts = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 1e300, 1e-300]),
)
complexes = st.builds(complex, parts, parts)
numbers = st.one_of(complexes, st.floats(), st.integers(-(2**53), 2**53), st.booleans())


@settings(max_examples=300, deadline=None)
@given(a=complexes, b=numbers)
@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
def test_arithmetic_is_cpythons(op, a, b):
    check(f"def f(a, b):\n    return a {op} b, b {op} a\n", a, b) if op != "**" else check(
        f"def f(a, b):\n    return a {op} b\n", a, b
    )


@settings(max_examples=200, deadline=None)
@given(z=complexes)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 16, 17, -1, -2])
def test_integer_powers_are_cpythons(n, z):
    check(f"def f(z):\n    return z ** {n}\n", z)


@settings(max_examples=200, deadline=None)
@given(z=complexes, w=numbers)
def test_comparisons_truth_abs_parts(z, w):
    src = "def f(z, w):\n    return z == w, z != w, w == z, bool(z), not z, -z, +z, z.real, z.imag, z.conjugate()\n"
    check(src, z, w)
    check("def f(z):\n    return abs(z)\n", z)


def test_literals_and_the_constructor():
    check(
        "def f(x):\n    return 1j, 2 + 3j, -1.5j * x, complex(), complex(x), complex(x, 2), complex(1j, 1j), complex(x, -0.0)\n",
        2.5,
    )
    check("def f(x):\n    return (x + 1j).real, (x * 1j).imag, x.real, x.imag, True.real\n", 3)


def test_errors_are_cpythons():
    check("def f(a, b):\n    return a / b\n", 1 + 2j, 0j)
    check("def f(a, b):\n    return a / b\n", 1 + 2j, 0)
    check("def f(a, b):\n    return a ** b\n", 0j, -1)
    check("def f(a, b):\n    return a ** b\n", 0j, 1j)
    check("def f(a, b):\n    return a ** b\n", 1e200 + 1j, 2)
    check("def f(a):\n    return abs(a)\n", complex(1.5e308, 1.5e308))


def test_ordering_and_floor_division_are_compile_errors():
    for body in ["a < b", "a // b", "a % b", "~a", "int(a)", "float(a)"]:
        with pytest.raises(CompileError):
            njit(define(f"def f(a, b):\n    return {body}\n"))(1j, 2j)


def test_numpy_complex_scalars_and_globals():
    z = 1.5 - 2j
    # A NumPy complex128 is a Python complex; the result is handed back as Python's complex.
    f = define("def f(a, b):\n    return a * b + 1\n")
    same_complex(complex(f(np.complex128(z), np.complex128(2j))), njit(f)(np.complex128(z), np.complex128(2j)))
    g = define("K = 2 - 1j\ndef f(a):\n    return a * K\n")
    assert njit(g)(3.0) == g(3.0)
    # complex64 arrives as its value, computed in complex128 (as float32 scalars are).
    assert njit(define("def f(a):\n    return a * 2\n"))(np.complex64(1 + 2j)) == (2 + 4j)


def test_tuples_hold_complex_numbers():
    check("def f(t):\n    a, b = t\n    return (a * b, b), a\n", (1 + 1j, 2.0))


# ---------------------------------------------------------------------------------------------
# arrays


def np_check(src, *args, exact=True):
    f = define(src)
    want = f(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = njit(f)(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    for w, g in zip(want, got) if isinstance(want, tuple) else [(want, got)]:
        w, g = np.asarray(w), np.asarray(g)
        assert (g.dtype, g.shape) == (w.dtype, w.shape), (g.dtype, g.shape, w.dtype, w.shape)
        if exact:
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(g, w, rtol=4 * np.finfo(w.dtype).eps, atol=0)


def random_complex(n, dtype=np.complex128, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)


ARRAY_BODIES = [
    "a * b",
    "a / b",
    "a + b - 2j",
    "a ** 2",
    "a ** 3",
    "a ** b",
    "-a",
    "np.abs(a)",
    "np.absolute(a)",
    "np.exp(a)",
    "np.sqrt(a)",
    "np.log(a)",
    "np.sin(a)",
    "np.tanh(a)",
    "np.square(a)",
    "np.conj(a)",
    "a.conjugate()",
    "np.angle(a)",
    "a.real",
    "a.imag",
    "np.real(a)",
    "np.imag(a)",
    "a == b",
    "a != a",
    "a * 2.5",
    "a + 1",
]


@pytest.mark.parametrize("body", ARRAY_BODIES)
def test_array_expressions_are_numpys(body):
    a, b = random_complex(37, seed=1), random_complex(37, seed=2)
    # NumPy's arctan2 of arrays is its own SIMD code, not the C library's (as for real arrays).
    np_check(f"def f(a, b):\n    return {body}\n", a, b, exact=body != "np.angle(a)")


@pytest.mark.parametrize("body", ARRAY_BODIES)
def test_complex64_array_expressions_are_close_to_numpys(body):
    a, b = random_complex(37, np.complex64, 1), random_complex(37, np.complex64, 2)
    exact = body in {
        "-a",
        "np.conj(a)",
        "a.conjugate()",
        "a.real",
        "a.imag",
        "np.real(a)",
        "np.imag(a)",
        "a == b",
        "a != a",
        "a + b - 2j",
        "a + 1",
    }
    np_check(f"def f(a, b):\n    return {body}\n", a, b, exact=exact)


# Parts at the edges of NumPy's complex division and of glibc's `cexp` (inlined where both parts
# are finite and the real part is at most 709): signed zeros, subnormals, the smallest normal,
# 709 and beyond, underflow, infinities and NaN.
EDGE_PARTS = [
    0.0,
    -0.0,
    1e-310,
    -1e-310,
    2.2250738585072014e-308,
    -2.2250738585072014e-308,
    1.0,
    -1.5,
    3.0,
    708.9,
    709.0,
    709.5,
    710.0,
    -745.0,
    -800.0,
    1e300,
    -1e300,
    np.inf,
    -np.inf,
    np.nan,
]


def same_bits(got, want):
    """Equal as NumPy's, bit for bit (signed zeros too), any NaN matching any NaN."""
    g, w = got.view(np.float64), want.view(np.float64)
    both_nan = np.isnan(g) & np.isnan(w)
    bad = ~both_nan & (g.view(np.uint64) != w.view(np.uint64))
    where = np.flatnonzero(bad)[:4]
    assert not bad.any(), [(i, g[i], w[i]) for i in where]


def test_complex_division_and_exp_of_arrays_at_the_edges():
    z = np.array([complex(r, i) for r in EDGE_PARTS for i in EDGE_PARTS])
    a, b = np.repeat(z, len(z)), np.tile(z, len(z))
    f = define("def f(a, b):\n    return a / b, np.exp(a), np.exp(b * 0.5)\n")
    with np.errstate(all="ignore"):
        want = f(a, b)
    for g, w in zip(njit(f)(a, b), want, strict=True):
        same_bits(g, w)


def test_elements_views_and_new_arrays():
    src = """
def f(a):
    out = np.zeros(a.shape, dtype=np.complex128)
    c = np.empty((2, 3), np.complex64)
    for i in range(a.shape[0]):
        out[i] = a[i] * a[i] + 1j
    for i in range(2):
        for j in range(3):
            c[i, j] = complex(i, j)
    a.imag[:] = 0.0
    return out, c, a, a[::2].real, np.ones(3, dtype=np.complex128)
"""
    np_check(src, random_complex(6))
    src = """
def f(a):
    b = a.reshape(2, 3)
    return np.full(3, 1 - 2j), np.zeros_like(a), np.ones_like(b), b.T.copy(), b.T, np.transpose(b)[1], b[1, ::-1]
"""
    np_check(src, random_complex(6))


def test_out_arguments_masks_and_mandelbrot_step():
    src = """
def f(Z, C):
    np.multiply(Z, Z, out=Z)
    np.add(Z, C, out=Z)
    I = np.absolute(Z) > 2.0
    return Z[I], I, Z
"""
    np_check(src, random_complex(50, seed=3) * 2, random_complex(50, seed=4))


def test_augmented_assignment_of_elements_and_arrays():
    src = """
def f(a, b):
    for i in range(a.shape[0]):
        a[i] += 1j * b[i]
    a *= 2
    a += b
    return a
"""
    np_check(src, random_complex(9), random_complex(9, seed=5))


def test_unsupported_complex_array_operations_are_compile_errors():
    a = random_complex(4)
    for body in [
        "a.max()",
        "np.argmin(a)",
        "a.reshape(2, 2).sum(axis=0)",
        "a < a",
        "a // 2",
        "np.floor(a)",
    ]:
        with pytest.raises(CompileError):
            njit(define(f"def f(a):\n    return {body}\n"))(a)
    # A complex number into a real array is refused (NumPy would drop the imaginary part).
    with pytest.raises(CompileError):
        njit(define("def f(a):\n    a[0] = 1j\n    return a\n"))(np.zeros(2))


def test_positional_out_and_transpose_axes():
    # NPBench's mandelbrot2 and stockham_fft.
    src = """
def f(Z, C, y):
    np.multiply(Z, Z, Z)
    np.add(Z, C, Z)
    np.negative(C, C)
    np.sqrt(C, C)
    t = np.transpose(y, axes=(1, 0, 2)).copy()
    return Z, C, t, np.transpose(y, (2, 0, 1))
"""
    np_check(src, random_complex(8, seed=6), random_complex(8, seed=7), random_complex(24, seed=8).reshape(2, 3, 4))


@njit
def _grid(n):
    X = np.empty((n,), dtype=np.float64)
    for i in range(n):
        X[i] = i * 0.75
    return X


def test_a_callees_array_compared_then_indexed():
    # NPBench's mandelbrot1: `inside = np.less(np.absolute(Z), horizon)` where Z comes from a
    # callee's array, typed before the callee's result is known; `I[j, k]` read after.
    def f(n, horizon=2.0):
        X = _grid(n)
        Z = X + np.reshape(X, (n, 1)) * 1j
        inside = np.less(np.absolute(Z), horizon)
        N = np.zeros(Z.shape, dtype=np.int64)
        for j in range(n):
            for k in range(n):
                if inside[j, k]:
                    N[j, k] = j + k
        return N, inside

    want = f(4)
    got = njit(f)(4)
    for w, g in zip(want, got):
        np.testing.assert_array_equal(g, w)


def test_array_literals_copies_and_dtype_conversions():
    src = """
def f(x, a):
    return np.array([1j, x]), np.array([[x, 2], [3j, 1]], dtype=np.complex64), a.astype(np.complex128), np.copy(a * 1j), np.zeros_like(a * 1j, dtype=np.float64)
"""
    np_check(src, 2.5, np.arange(4.0))
    # Converting complex to real would drop the imaginary part (NumPy warns): refused.
    for body in [
        "(a * 1j).astype(np.float64)",
        "np.array(a * 1j, dtype=np.float64)",
        "np.full(3, 1j, dtype=np.float64)",
        "np.array([1j], dtype=np.int64)",
        "np.arange(3, dtype=np.complex128)",
    ]:
        with pytest.raises(CompileError):
            njit(define(f"def f(x, a):\n    return {body}\n"))(1.0, np.arange(3.0))


def test_complex_into_real_arrays_is_refused_and_the_other_way_converts():
    r, c = np.arange(3.0), random_complex(3, seed=9)
    for body in ["r[:] = c", "r += c", "r[0:2] = c[0:2]", "r[r > 0] = c[:2]", "np.add(c, c, out=r)"]:
        with pytest.raises(CompileError):
            njit(define(f"def f(r, c):\n    {body}\n    return r\n"))(r, c)
    src = """
def f(r, c):
    c[:] = r
    c += r
    c[c.real > 0] = 1j
    c[np.array([0, 1])] = 2j * c[1:]
    s = 0j
    for z in c:
        s += z
    return c, s
"""
    f = define(src)
    want = f(r.copy(), c.copy())
    got = njit(f)(r.copy(), c.copy())
    np.testing.assert_array_equal(got[0], want[0])
    assert got[1] == want[1]


def test_whole_array_reductions():
    # Summed in order (NumPy sums pairwise: the last bits may differ, as for real arrays).
    a = random_complex(200, seed=10)
    f = define(
        "def f(a):\n    return a.sum(), np.sum(a[::3]), a[:7].prod(), a.mean(), np.mean(a.reshape(10, 20)), a.any(), (a * 0).all()\n"
    )
    want, got = f(a), njit(f)(a)
    for w, g in zip(want, got):
        assert type(g) in (complex, bool)
        np.testing.assert_allclose(g, w, rtol=1e-13)
    # The sum of up to 3 elements is NumPy's exactly (its pairwise summation adds fewer than 8
    # parts in order).
    small = random_complex(3, seed=11)
    g = define("def f(a):\n    return a.sum(), a.prod(), a.mean()\n")
    assert njit(g)(small) == tuple(complex(x) for x in g(small))
