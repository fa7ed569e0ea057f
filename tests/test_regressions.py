"""Regression tests: each bug below was found, recorded with a failing test, then fixed.

1. ``0.0 ** -inf`` (also ``-0.0``, ``0`` or ``False`` as the base) raised
   ``ZeroDivisionError``; CPython returns ``inf`` (``float_pow`` handles an infinite exponent
   before the zero-base check).
2. ``CompileError.col_offset`` for a generator expression passed as the only argument of a
   call (``sum(i for i in range(x))``) was the column of the element expression; CPython's ast
   puts the generator expression at the ``(``.
3. ``CompileError.col_offset`` for ``jit(lambda x: ...)`` was the column of the ``jit(`` call,
   not of the lambda.
4. A ``**`` (or ``math.pow``) with a constant exponent of 2 or -1, or a constant base of 2,
   did not give CPython's value: LLVM's library-call simplifier rewrote the ``pow`` call
   (``pow(x, 2.0)`` -> ``x * x``, ``pow(x, -1.0)`` -> ``1.0 / x``, ``pow(2.0, x)`` ->
   ``exp2(x)``), while CPython calls the C library's ``pow``; results differed by 1 ulp for
   about 1 input in 1000. The call is now marked ``nobuiltin``.
5. ``np.arange(start, stop, float_step)`` filled ``start + i * step``; NumPy stores ``start`` and
   ``start + step``, then fills ``b[0] + i * (b[1] - b[0])`` (``np.arange(0.5, 1, 0.1)[3]`` is
   ``0.7999999999999999``), in the dtype's own arithmetic.
6. ``np.arange`` with int64 bounds far apart computed ``stop - start`` in 64 bits (wrapping):
   ``np.arange(0, 2**63 - 1, 2**62)`` was empty, ``np.arange(2, -2**63, 2)`` raised "array is
   too big". The difference needs 65 bits and the division is rounded as Python's.
7. ``np.full(-1, 0 ** -1)`` raised the shape's ValueError before the fill value's
   ZeroDivisionError: the fill value was evaluated after the shape checks (CPython evaluates
   every argument first). ``np.arange`` also evaluated its operands twice.
8. Spurious CompileErrors while a callee's type was still unknown: slicing the array a callee
   returns (``v = h(x); w = v[1:]``), and a variable index into (or ``for`` over) a tuple that
   holds a callee's result.
9. Two arrays of one dtype and ndim but different layout or writeability on two paths were a
   CompileError labelled "return of None on one path and a value on another"; they unify to
   the general layout, read-only if either is (Numba's rule), and a real mismatch of two
   values is "return of mixed types".
10. A line indented with spaces then a tab (``"    \\tif x:"``) was a syntax error ("Tabs not
    allowed as part of indentation after spaces"); CPython reads tabs to the next multiple of 8.
11. ``S[k, a] += x`` with fewer indices (names or integers) than ``S`` has axes was a CompileError
    ("fewer indices than axes"): lowering held the index in a tuple temporary, which makes an
    element, never a view. Such an index now stays written out in the statement.
"""

from __future__ import annotations

import ast
import linecache
import math
import random

import numpy as np
import pytest
from hypothesis import assume, example, given

from conftest import check, floats, ints, pure_python, same
from stickyjit import CompileError, jit

HERE = __file__


# =============================================================================================
# 1. 0.0 ** -inf


@jit
def power(a, b):
    return a**b


def _complex_pow(a, b) -> bool:
    """CPython gives a complex number (stickyjit: ValueError, a documented deviation)."""
    return a < 0 and math.isfinite(a) and math.isfinite(b) and b != math.floor(b)


def test_zero_to_the_minus_infinity():
    # CPython: inf for every zero base (float_pow checks for an infinite exponent first).
    for base in (0.0, -0.0, 0, False):
        assert power.py_func(base, -math.inf) == math.inf
        check(power, base, -math.inf)


def test_zero_to_the_minus_infinity_with_a_literal():
    @jit
    def literal(x):
        return x**-math.inf

    same(math.inf, literal.py_func(0.0))
    check(literal, 0.0)


# The hypothesis tests of test_semantics.py without their exclusion of this bug.
@given(a=floats, b=floats)
@example(0.0, -math.inf)
@example(-0.0, -math.inf)
def test_pow_float(a, b):
    assume(not _complex_pow(a, b))
    check(power, a, b)


@given(a=ints, b=floats)
@example(0, -math.inf)
def test_pow_mixed(a, b):
    for x, y in ((a, b), (b, a)):
        if not _complex_pow(x, y):
            check(power, x, y)


# =============================================================================================
# 2. and 3. CompileError positions


def _marked(name: str) -> int:
    lines = linecache.getlines(HERE)
    hits = [i for i, line in enumerate(lines, 1) if line.rstrip().endswith(f"# MARK: {name}")]
    assert len(hits) == 1
    return hits[0]


def _node(marker: str, node_type):
    line = _marked(marker)
    tree = ast.parse("".join(linecache.getlines(HERE)))
    (node,) = [n for n in ast.walk(tree) if isinstance(n, node_type) and getattr(n, "lineno", None) == line]
    return node.lineno, node.col_offset


@jit
def genexp_argument(x):
    return tuple(i for i in range(x))  # MARK: genexp-arg


def test_generator_expression_as_call_argument_position():
    # CPython's ast: the generator expression starts at the `(` after `tuple` (`sum(...)` or `any(...)` of one
    # compiles: tests/test_generator_arguments.py).
    with pytest.raises(CompileError) as info:
        genexp_argument(3)
    assert info.value.construct == "generator expression"
    assert (info.value.lineno, info.value.col_offset) == _node("genexp-arg", ast.GeneratorExp)


def _first(f, _other):
    return f


def test_lambda_passed_to_jit_position():
    # Two lambdas in the statement: which one was jitted is not known from the source; the error
    # points at the first.
    f = _first(jit(lambda x: x + 1), lambda y: y)  # MARK: jit-lambda
    with pytest.raises(CompileError) as info:
        f(3)
    assert info.value.construct == "lambda", str(info.value)
    line = _marked("jit-lambda")
    tree = ast.parse("".join(linecache.getlines(HERE)))
    first = min((n.col_offset, n.lineno) for n in ast.walk(tree) if isinstance(n, ast.Lambda) and n.lineno == line)
    assert (info.value.lineno, info.value.col_offset) == (first[1], first[0])


# =============================================================================================
# 4. pow with a constant exponent of 2 or -1, or a constant base of 2


@jit
def square_f(x):
    return x**2.0


@jit
def square_i(x):
    return x**2


@jit
def reciprocal_f(x):
    return x**-1.0


@jit
def reciprocal_i(x):
    return x**-1


@jit
def two_to_the(y):
    return 2.0**y


@jit
def math_pow_square(x):
    return math.pow(x, 2.0)


@jit
def math_pow_two_to_the(y):
    return math.pow(2.0, y)


@jit
def aug_square(x):
    x **= 2.0
    return x


@pytest.mark.parametrize(
    "f,x",
    [
        (square_f, 1.9262929934645214e-83),
        (square_i, 1.9262929934645214e-83),
        (math_pow_square, 1.9262929934645214e-83),
        (aug_square, 1.9262929934645214e-83),
        (reciprocal_f, -93.39318505776552),
        (reciprocal_i, -93.39318505776552),
        (reciprocal_i, 1923),
        (reciprocal_i, 3846),
        (two_to_the, 32.982189510611235),
        (math_pow_two_to_the, 32.982189510611235),
    ],
    ids=lambda v: v.__name__ if callable(v) else repr(v),
)
def test_pow_with_constant_two_or_minus_one(f, x):
    check(f, x)


@pytest.mark.parametrize(
    "f", [square_f, reciprocal_f, two_to_the, math_pow_square, math_pow_two_to_the], ids=lambda f: f.__name__
)
def test_pow_with_constant_two_or_minus_one_many_inputs(f):
    rng = random.Random(12345)
    for _ in range(20000):
        x = rng.uniform(-60.0, 60.0) if f in (two_to_the, math_pow_two_to_the) else rng.uniform(-100.0, 100.0)
        check(f, x)


def test_pow_reciprocal_of_ints():
    for i in range(1, 20000):
        check(reciprocal_i, i)


# =============================================================================================
# 5, 6. np.arange as NumPy computes it


def _same_array_or_error(f, args, numpy_call):
    """``f(*args)`` gives NumPy's array (dtype, shape, bytes) or raises NumPy's exception."""
    try:
        expected = numpy_call(*args)
    except MemoryError:
        with pytest.raises(MemoryError):
            f(*args)
        return
    except Exception as e:  # noqa: BLE001 - NumPy's exception is the expectation
        with pytest.raises(type(e)) as got:
            f(*args)
        assert str(got.value) == str(e)
        return
    got = f(*args)
    assert got.dtype == expected.dtype and got.shape == expected.shape, (args, got, expected)
    assert got.tobytes() == expected.tobytes(), (args, got, expected)


@jit
def arange3(a, b, c):
    return np.arange(a, b, c)


@jit
def arange3_f32(a, b, c):
    return np.arange(a, b, c, dtype=np.float32)


@jit
def arange3_i64(a, b, c):
    return np.arange(a, b, c, dtype=np.int64)


@pytest.mark.parametrize(
    "args",
    [
        (0.5, 1, 0.1),
        (1, 2, 0.3),
        (0.1, 1.0, 0.1),
        (-1.0, 1.0, 0.2),
        (0, 1, 0.1),
        (3.0, 0.0, -0.7),
        (1e16, 1e16 + 64, 3.0),
    ],
)
def test_arange_float_step_elements_are_numpys(args):
    _same_array_or_error(arange3, args, lambda a, b, c: np.arange(a, b, c))
    _same_array_or_error(arange3_f32, args, lambda a, b, c: np.arange(a, b, c, dtype=np.float32))
    _same_array_or_error(arange3_i64, args, lambda a, b, c: np.arange(a, b, c, dtype=np.int64))


@pytest.mark.parametrize(
    "args",
    [
        (0, 2**63 - 1, 2**62),
        (2, -(2**63), 2),
        (0, 2**62 + 1, 2**61),  # 2 + 2**-61 rounds to 2.0: NumPy's length is 2
        (-(2**63), 2**63 - 1, 2**62),
        (-(2**63), 2**63 - 1, 1),  # Maximum allowed size exceeded
        (2**63 - 1, -(2**63), -1),
        (-(2**63), 0, 1),  # the length rounds to exactly 2**63: NumPy gives an empty array
        (2**63 - 1, -(2**63), 1),
        (-3, 2**63 - 1, 2**62),
        (0.0, 2**63 - 1, 2**62),
        (0, 2**63 - 1, 2.0**62),
    ],
)
def test_arange_far_apart_int64_bounds_are_numpys(args):
    _same_array_or_error(arange3, args, lambda a, b, c: np.arange(a, b, c))


def test_arange_many_operands_match_numpy():
    rng = random.Random(14)
    pool_i = [0, 1, -1, 2, 3, 7, -10, 2**62, 2**63 - 1, -(2**63), 2**62 + 1, 2**53 + 1, 3 * 2**51, 10**6]
    pool_f = [0.5, 0.1, -0.1, 0.3, 2.5, 1e-300, 1e300, math.inf, math.nan, -0.0, 1e-320, 1 / 3, 2.0**63]
    for _ in range(400):
        args = []
        for _k in range(3):
            if rng.random() < 0.5:
                args.append(rng.choice(pool_i) if rng.random() < 0.5 else rng.randint(-20, 20))
            else:
                args.append(
                    rng.choice(pool_f) if rng.random() < 0.4 else round(rng.uniform(-10, 10), rng.randint(0, 3))
                )
        _same_array_or_error(arange3, tuple(args), lambda a, b, c: np.arange(a, b, c))


# =============================================================================================
# 7. Arguments of NumPy constructors are evaluated before any check


def test_fill_value_is_evaluated_before_the_shape_is_checked():
    @jit
    def full_bad(n, z):
        return np.full(n, 0.0**z)

    @jit
    def full_like_bad(a, z):
        return np.full_like(a, 1 // z)

    for f, args in [(full_bad, (-1, -1)), (full_like_bad, (np.zeros(3), 0))]:
        with pytest.raises(ZeroDivisionError) as expected:
            pure_python(f)(*args)
        with pytest.raises(ZeroDivisionError) as got:
            f(*args)
        assert str(got.value) == str(expected.value)


def test_arange_operands_are_evaluated_once():
    @jit
    def count_calls(t):
        a = np.arange(_bump(t), 10, _bump(t))
        return a.sum() + t[0] * 1000

    t = np.zeros(1, dtype=np.int64)
    expected = pure_python(count_calls)(t.copy())
    assert count_calls(t) == expected


# =============================================================================================
# 8. A callee's result used before its type is known


@jit
def _callee_array(x):
    return x.copy()


@jit
def _bump(t):
    t[0] += 1
    return t[0]


@jit
def _callee_scalar(x):
    return x + 1


def test_slicing_an_array_a_callee_returns():
    @jit
    def slice_result(x):
        v = _callee_array(x)
        w = v[1:]
        return w.sum() + v[::2].sum()

    x = np.arange(5.0)
    assert slice_result(x) == pure_python(slice_result)(x)


def test_tuple_holding_a_callee_result_iterated_and_indexed():
    @jit
    def tuple_of_results(n, i):
        t = (_callee_scalar(n), n, 3)
        s = 0
        for x in t:
            s += x
        return s * 10 + t[i]

    for i in range(-3, 3):
        assert tuple_of_results(4, i) == pure_python(tuple_of_results)(4, i)


# =============================================================================================
# 9. Arrays of different layout or writeability on two paths


def test_arrays_of_two_layouts_unify_to_the_general_layout():
    @jit
    def pick(c, a):
        if c:
            return np.zeros(3)
        return a

    @jit
    def pick_var(c, a):
        v = a
        if c:
            v = np.ones(3)
        return v.sum() + v[1]

    a = np.arange(6.0)[::2]
    ro = np.arange(3.0)
    ro.flags.writeable = False
    for arg in (a, ro):
        for c in (True, False):
            np.testing.assert_array_equal(pick(c, arg), pure_python(pick)(c, arg))
            assert pick_var(c, arg) == pure_python(pick_var)(c, arg)


def test_return_of_mixed_types_names_them():
    @jit
    def mixed(c):
        if c:
            return (1, 2)
        return 1.5

    with pytest.raises(CompileError) as e:
        mixed(True)
    assert e.value.construct == "return of mixed types"
    assert "None" not in str(e.value)


# =============================================================================================
# 10. A line indented with spaces then a tab


def test_indentation_of_spaces_then_a_tab_parses_as_cpython():
    # CPython: a tab moves to the next multiple of 8 (and the indentation must read the same
    # with tabs of 1); the parser rejected "Tabs not allowed as part of indentation after spaces".
    src = "def tabbed(x):\n    \tif x:\n    \t    return 1\n    \treturn 2\n"
    name = "<regression-tabs>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    g = {}
    exec(compile(src, name, "exec"), g)
    f = jit(g["tabbed"])
    for x in (0, 1):
        assert f(x) == g["tabbed"](x)


def test_augmented_assignment_to_a_view_indexed_by_names():
    """`S[k, a] += x` with fewer indices (names, integers) than axes is a view, as NumPy's
    (NPBench's scattering_self_energies: `Sigma[k, E, a] += dHG @ dHD`); with one index per axis
    it is still an element."""

    @jit
    def rows(S, x):
        for k in range(S.shape[0]):
            for a in range(S.shape[1]):
                S[k, a] += x[a]
                S[k, 0] *= 2.0
                S[k, a, 1] += 1.0
        return S

    def reference(S, x):
        for k in range(S.shape[0]):
            for a in range(S.shape[1]):
                S[k, a] += x[a]
                S[k, 0] *= 2.0
                S[k, a, 1] += 1.0
        return S

    S = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    x = np.linspace(0.0, 1.0, 12).reshape(3, 4)
    np.testing.assert_array_equal(rows(S.copy(), x), reference(S.copy(), x))
