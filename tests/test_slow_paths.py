"""The slow paths of real code closed for speed (issue 16) keep CPython's exact answers and its
exceptions at the same point: a loop-invariant `dx ** 2` computed once before the loop (pow is
pure to LLVM), `sin` and `cos` of one value paired into one `sincos` call, `sin`/`cos`/`tan`
checking their argument for an infinity before the call."""

from __future__ import annotations

import linecache
import math
import struct
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Floats, outcome, pure_python, same
from stickyjit import jit


@jit
def scaled_sum(a, dx):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] / dx**2
    return s


@jit
def sin_cos(a):
    s = 0.0
    for i in range(a.shape[0]):
        t = a[i] * 0.5
        s += math.sin(t) * math.cos(t)
    return s


@jit
def tan_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += math.tan(a[i])
    return s


FLOATS = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), max_size=20), FLOATS)
def test_a_loop_invariant_pow_gives_cpythons_answer(xs, dx):
    a = np.array(xs, dtype=np.float64)
    r, e = outcome(pure_python(scaled_sum), Floats(xs), dx)
    got, got_e = outcome(scaled_sum, a, dx)
    assert got_e == e
    if e is None:
        same(r, got)


@pytest.mark.parametrize("dx", [1e200, -1e200, 0.0, -0.0, math.inf, math.nan, 3.0])
@pytest.mark.parametrize("n", [0, 1, 5])
def test_pow_errors_come_where_cpython_raises_them(dx, n):
    # 1e200 ** 2 overflows and 1 / 0.0 ** 2 divides by zero: only once the loop runs (n > 0).
    a = np.arange(n, dtype=np.float64)
    expected, expected_e = outcome(pure_python(scaled_sum), Floats(a.tolist()), dx)
    got, got_e = outcome(scaled_sum, a, dx)
    assert got_e == expected_e
    if expected_e is None:
        same(expected, got)


@settings(max_examples=300, deadline=None)
@given(st.lists(FLOATS, max_size=20))
def test_sin_and_cos_paired_give_cpythons_answer(xs):
    a = np.array(xs, dtype=np.float64)
    r, e = outcome(pure_python(sin_cos), Floats(xs))
    got, got_e = outcome(sin_cos, a)
    assert got_e == e
    if e is None:
        same(r, got)


@pytest.mark.parametrize("x", [math.inf, -math.inf, math.nan, 1e300, -0.0, 1.5707963267948966])
def test_tan_of_an_infinity_is_cpythons_value_error(x):
    xs = [0.25, x, 1.0]
    expected, expected_e = outcome(pure_python(tan_sum), Floats(xs))
    got, got_e = outcome(tan_sum, np.array(xs))
    assert got_e == expected_e
    if expected_e is None:
        same(expected, got)


@jit
def constant_powers():
    return 1.1**2, 2.0**0.5, 0.1**3.0, 1e-5**-2


@jit
def constant_overflow(n):
    s = 0.0
    for i in range(n):
        s += 10.0**400
    return s


@jit
def squares(xs):
    out = np.empty(xs.shape[0])
    for i in range(xs.shape[0]):
        out[i] = xs[i] ** 2
    return out


@jit
def math_squares(xs):
    out = np.empty(xs.shape[0])
    for i in range(xs.shape[0]):
        out[i] = math.pow(xs[i], 2)
    return out


def _bits_equal(got, want):
    g, w = np.asarray(got), np.asarray(want)
    same_bits = (g.view(np.uint64) == w.view(np.uint64)) | (np.isnan(g) & np.isnan(w))
    bad = np.flatnonzero(~same_bits)[:5]
    assert same_bits.all(), [(float(g[i]), float(w[i])) for i in bad]


def test_squares_are_cpythons_pow_bit_for_bit():
    # `x ** 2` is the product where the exact square is far from a rounding midpoint, else
    # pow (codegen `pow_value`): the values where this machine's pow(x, 2.0) is not x * x are
    # found first and checked among the others, with every magnitude and the edges.
    rng = np.random.default_rng(16)
    xs = np.concatenate(
        [
            rng.uniform(-1, 1, 200_000),
            rng.standard_normal(200_000) * 1e3,
            np.exp(rng.uniform(-350, 350, 200_000)) * rng.choice([-1.0, 1.0], 200_000),
        ]
    )
    xs = xs[np.abs(xs) < 1e154]
    differ = np.array([x for x in xs if math.pow(x, 2.0) != x * x])
    assert differ.size > 0  # the fallback to pow is exercised
    edges = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        2.0**-480,
        2.0**-500,
        2.0**-540,
        2.0**500,
        2.0**511,
        1e-160,
        1e-300,
        5e-324,
        2.2250738585072014e-308,
        1e150,
        -1e153,
        1.5,
        3.0,
        math.inf,
        -math.inf,
        math.nan,
    ]
    xs = np.concatenate([xs, differ, np.array(edges)])
    want = [x**2 for x in xs.tolist()]
    _bits_equal(squares(xs), want)
    _bits_equal(math_squares(xs), [math.pow(x, 2) for x in xs.tolist()])


@jit
def powers(xs):
    out = np.empty((4, xs.shape[0]))
    for i in range(xs.shape[0]):
        x = xs[i]
        out[0, i] = x**3
        out[1, i] = x**6
        out[2, i] = math.pow(x, 16)
        out[3, i] = abs(x) ** 0.5
    return out


def test_integer_powers_and_square_roots_are_cpythons_pow_bit_for_bit():
    # `x ** n` (n from 2 to 16) is the double-double power's head where its tail is far from a
    # rounding midpoint, and `x ** 0.5` the square root where its exact remainder says so,
    # else pow (codegen `exact_pow.rs`). The values where this machine's pow is not the
    # correctly rounded power (exact with Fraction) are found first and checked among the
    # others, with every magnitude that does not overflow and the edges.
    rng = np.random.default_rng(17)
    xs = np.concatenate(
        [
            rng.uniform(-3, 3, 40_000),
            np.exp(rng.uniform(-44, 44, 40_000)) * rng.choice([-1.0, 1.0], 40_000),
        ]
    )
    columns = [(0, 3), (1, 6), (2, 16)]
    differ = []
    for row, n in columns:
        found = [x for x in xs.tolist() if math.pow(x, n) != float(Fraction(x) ** n)]
        assert found, n  # the fallback to pow is exercised for this exponent
        differ += found
    roots = [x for x in np.abs(xs).tolist() if math.pow(x, 0.5) != math.sqrt(x)]
    assert roots
    edges = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 3.0, 2.0**-63, 2.0**63, 1e-19, 1e19, 5e-324, 2.2250738585072014e-308]
    edges += [1e-60, -1e-30, math.inf, -math.inf, math.nan]
    xs = np.concatenate([xs, differ, roots, edges])
    got = powers(xs)
    plain = xs.tolist()
    _bits_equal(got[0], [x**3 for x in plain])
    _bits_equal(got[1], [x**6 for x in plain])
    _bits_equal(got[2], [math.pow(x, 16) for x in plain])
    _bits_equal(got[3], [abs(x) ** 0.5 for x in plain])


@pytest.mark.parametrize("x", [1e155, -1e200, 1.7e308])
def test_a_square_that_overflows_is_cpythons_overflow_error(x):
    want = outcome(pure_python(squares), Floats([x]))[1]
    assert want is not None and want[0] is OverflowError
    assert outcome(squares, np.array([x]))[1] == want


def test_powers_of_constants_fold_to_cpythons_values():
    for expected, got in zip(pure_python(constant_powers)(), constant_powers(), strict=True):
        same(expected, got)
    assert outcome(constant_overflow, 0) == outcome(pure_python(constant_overflow), 0)
    assert (
        outcome(constant_overflow, 3)[1]
        == outcome(pure_python(constant_overflow), 3)[1]
        == (
            OverflowError,
            "(34, 'Numerical result out of range')",
        )
    )


def compare_literals(x):
    # A float against int literals: a plain float compare where the literal is a double exactly
    # (|c| <= 2**53), the exact int/float comparison beyond.
    r = 0
    if x == 0:
        r += 1
    if x != 0:
        r += 2
    if x < -3:
        r += 4
    if x >= 1:
        r += 8
    if 0 < x:
        r += 16
    if x > 9007199254740992:
        r += 32
    if x == 9007199254740993:
        r += 64
    if x <= -9007199254740993:
        r += 128
    return r


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(
            [0.0, -0.0, 1.0, -3.0, 2.0**53, 2.0**53 + 2, -(2.0**53) - 2, math.nan, math.inf, -math.inf, 5e-324]
        ),
    )
)
def test_float_against_int_literals_is_cpythons_comparison(x):
    assert jit(compare_literals)(x) == compare_literals(x)


@jit
def exp_of_elements(a):
    s = 0.0
    for i in range(a.shape[0]):
        t = a[i] * 0.5
        s += math.exp(t)
    return s


@jit
def exp_of_a_constant(a, c):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * math.exp(c)
    return out


@jit
def sines(a):
    return np.sin(a) + 1.0


def vectorized(f):
    asm = f.inspect_asm(f.signatures[-1])
    return any(r in asm for r in ("%ymm", "%zmm"))


def test_loops_calling_the_math_library_for_each_element_are_not_vectorized():
    # LLVM would call exp once per vector lane with shuffles around, for no speed and much
    # longer compiles; a call with invariant arguments is hoisted, and the loop vectorizes.
    a = np.linspace(-3.0, 3.0, 101)
    assert exp_of_elements(a) == pure_python(exp_of_elements)(a)
    np.testing.assert_array_equal(exp_of_a_constant(a, 0.25), a * math.exp(0.25))
    np.testing.assert_array_equal(sines(a), np.array([math.sin(x) for x in a]) + 1.0)
    assert not vectorized(exp_of_elements)
    assert not vectorized(sines)
    assert vectorized(exp_of_a_constant)


def _generated(name: str, head: str, branch: str, n: int):
    """A function of `n` generated branches, registered in linecache (its source is read)."""
    src = f"def {name}(x, y):\n" + head + "".join(branch.format(k=k, k1=k + 1, k2=k + 2, m=-k) for k in range(n))
    src += "    return s\n"
    filename = f"<generated {name} {n}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns: dict = {"np": np}
    exec(compile(src, filename, "exec"), ns)
    return ns[name]


@pytest.mark.parametrize(
    ("head", "branch", "args"),
    [
        # `if ...: s += k` thousands of times in one loop: a block of thousands of selects (a huge
        # module: no vectorizers, select chains rewritten as adds, no machine LICM).
        ("    s = 0\n    for i in range(x):\n", "        if i % {k2} == 0:\n            s += {k}\n", (300, 2)),
        # The mirrored form (the add on the select's false side), negative constants.
        ("    s = 0\n    for i in range(-x, x):\n", "        if i % {k2} != 0:\n            s += {m}\n", (40, 2)),
        (
            "    s = 0.0\n    for i in range(x.shape[0]):\n",
            "        if x[i] > {k}.5:\n            s += x[i] / {k1}.0\n",
            None,
        ),
    ],
)
def test_functions_of_thousands_of_branches_give_cpythons_answers(head, branch, args):
    f = _generated("branchy", head, branch, 1500)
    if args is None:
        args = (np.linspace(-3.0, 1600.0, 64), 2.0)
    assert jit(f)(*args) == f(*args)


@jit
def divisible_counts(n, k):
    counts = [0, 0, 0, 0]
    for i in range(n):
        if i % 3 == 0:
            counts[0] += 1
        if i % -4 == 0:
            counts[1] += 1
        if (i - k) % 5 == 0:
            counts[2] += 1
        if i % 7 != 0:
            counts[3] += 1
    return counts


@given(n=st.integers(-3, 200), k=st.integers(-50, 50))
def test_divisibility_of_a_range_variable_is_cpythons(n, k):
    # `i % 3 == 0` of a `range` variable (non-negative) by a positive literal is an unsigned
    # remainder; by a negative literal, or of a value that may be negative, the signed one.
    assert divisible_counts(n, k) == pure_python(divisible_counts)(n, k)


def _last_finite(f):
    """The largest double whose f CPython computes without OverflowError (bisection on bits)."""
    lo, hi = _bits(700.0), _bits(720.0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            f(_float(mid))
            lo = mid
        except OverflowError:
            hi = mid
    return _float(lo)


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _float(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<q", bits))[0]


@jit
def math_one(k, x):
    if k == 0:
        return math.exp(x)
    if k == 1:
        return math.expm1(x)
    if k == 2:
        return math.sinh(x)
    if k == 3:
        return math.cosh(x)
    if k == 4:
        return math.log(x)
    if k == 5:
        return math.log2(x)
    if k == 6:
        return math.log10(x)
    if k == 7:
        return math.log1p(x)
    if k == 8:
        return math.asin(x)
    if k == 9:
        return math.acos(x)
    if k == 10:
        return math.sqrt(x)
    return math.log(x, 2.0)


MATH_ONE = [math.exp, math.expm1, math.sinh, math.cosh, math.log, math.log2, math.log10, math.log1p]
MATH_ONE += [math.asin, math.acos, math.sqrt, lambda x: math.log(x, 2.0)]


def test_math_errors_are_decided_by_the_argument_as_cpython_decides_them_by_the_result():
    # codegen `check_math1` asks the argument (x <= 0 for the logs, beyond the last finite
    # argument for exp and the like) instead of the result: every edge on both sides.
    near = []
    for f in MATH_ONE[:4]:
        t = _last_finite(f)
        near += [t, float(np.nextafter(t, math.inf)), -t, float(np.nextafter(-t, -math.inf))]
    edges = near + [0.0, -0.0, 5e-324, -5e-324, 1.0, -1.0, 2.0, -2.0, math.inf, -math.inf, math.nan]
    edges += [float(np.nextafter(1.0, 2.0)), float(np.nextafter(-1.0, -2.0)), float(np.nextafter(-1.0, 0.0))]
    for k, f in enumerate(MATH_ONE):
        for x in edges:
            (got, got_e), (want, want_e) = outcome(math_one, k, x), outcome(f, x)
            assert got_e == want_e, (k, x)
            if want_e is None:
                same(want, got)


POW_EXPONENTS = ["2", "3", "6", "16", "0.5", "1.5", "2.5", "7.0", "100.0", "1", "0.25"]


def _power_function(y: str):
    """A jitted `x ** <y>` with the exponent a literal (the threshold of codegen `float_pow`)."""
    import linecache

    src = f"def power(x):\n    return x ** {y}\n"
    name = f"<power-{y}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns: dict = {}
    exec(compile(src, name, "exec"), ns)
    return ns["power"], jit(ns["power"])


@pytest.mark.parametrize("y", POW_EXPONENTS)
def test_a_constant_powers_overflow_is_decided_by_the_base_as_cpython_decides_it(y):
    # codegen `float_pow` asks |x| > t (t the last base whose power is finite) before the power:
    # both sides of t, for positive and negative bases, and the edges.
    py, compiled = _power_function(y)
    lo, hi = _bits(1.0), _bits(sys.float_info.max)
    while hi - lo > 1:  # the last finite base, as CPython computes it
        mid = (lo + hi) // 2
        try:
            py(_float(mid))
            lo = mid
        except OverflowError:
            hi = mid
    t = _float(lo)
    xs = [t, float(np.nextafter(t, math.inf)), 0.0, -0.0, 1.5, math.inf, -math.inf, math.nan, 1e308, 5e-324]
    if float(y).is_integer():
        # (A negative base to a fractional power is a documented ValueError, not a complex.)
        xs += [-t, float(np.nextafter(-t, -math.inf)), -1.5, -1e308]
    for x in xs:
        (got, got_e), (want, want_e) = outcome(compiled, x), outcome(py, x)
        assert got_e == want_e, (y, x)
        if want_e is None:
            same(want, got)
