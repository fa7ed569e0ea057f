"""Jitted functions as values (issue 19, point 7): a jitted function passed as an argument to
another jitted function and called there (from Python and from compiled code), held in a local
or a tuple, and the errors for what is not compiled. Each function value is a type of its own
(as each dispatcher is in Numba), so a call through it is a direct call. Every answer is
compared with CPython's for the same functions (``pure_python``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from purepy import pure_python
from test_sticky import run_cell

import stickyjit
from stickyjit import CompileError, jit


@jit
def square(x):
    return x * x


@jit
def cube(x):
    return x * x * x


@jit
def shifted(x, k):
    return x + k


@jit
def apply(f, x):
    return f(x)


@jit
def apply2(f, x, k):
    return f(x, k)


@jit
def twice(f, x):
    return f(f(x))


@jit
def compose(f, g, x):
    return f(g(x))


@jit
def from_jitted(x):
    # Globals bound to jitted functions passed along; the callee's callee is a value too.
    return apply(square, x) + apply(cube, x) + twice(square, x) + compose(cube, square, x)


@jit
def held_in_a_local(x):
    g = cube
    return g(x) - square(x)


@jit
def through_two_levels(f, x):
    return apply(f, x) + 1.0


@jit
def map_array(f, a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = f(a[i])
    return out


@jit
def sum_terms(f, n):
    s = 0.0
    for i in range(n):
        s += f(i * 0.5)
    return s


@jit
def recursive_with_value(f, n):
    if n <= 0:
        return 0.0
    return f(n) + recursive_with_value(f, n - 1)


@jit
def tuple_of_functions(x):
    fs = (square, cube, math_like)
    return fs[0](x) + fs[1](x) * 2.0 + fs[-1](x)


@jit
def math_like(x):
    return math.sqrt(abs(x)) + 1.0


@jit
def tuple_argument(fs, x):
    return fs[0](x) - fs[1](x)


def same_as_cpython(f, *args):
    """The compiled answer equals CPython's for the same functions (jitted ones replaced by
    their pure-Python copies, arguments included)."""
    py_args = [pure_python(a) if isinstance(a, stickyjit.Dispatcher) else a for a in args]
    py_args = [tuple(pure_python(x) for x in a) if isinstance(a, tuple) else a for a in py_args]
    expected = pure_python(f)(*py_args)
    got = f(*args)
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected and type(got) is type(expected), (f, args, got, expected)


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite)
def test_function_passed_from_python(x):
    for f in (square, cube, math_like):
        same_as_cpython(apply, f, x)
        same_as_cpython(twice, f, x)
        same_as_cpython(through_two_levels, f, x)
    same_as_cpython(compose, square, cube, x)
    same_as_cpython(apply2, shifted, x, 3)


@given(st.integers(-1000, 1000))
def test_int_arguments_specialize_per_function_and_type(n):
    same_as_cpython(apply, square, n)
    same_as_cpython(apply, cube, n)
    same_as_cpython(apply, square, float(n))


@given(finite)
def test_function_passed_from_jitted_code(x):
    same_as_cpython(from_jitted, x)
    same_as_cpython(held_in_a_local, x)


def test_arrays_loops_and_recursion():
    a = np.linspace(-3.0, 3.0, 13)
    same_as_cpython(map_array, square, a)
    same_as_cpython(map_array, cube, a)
    same_as_cpython(sum_terms, cube, 50)
    same_as_cpython(recursive_with_value, square, 10)


@given(finite)
def test_tuples_of_functions(x):
    same_as_cpython(tuple_of_functions, x)
    same_as_cpython(tuple_argument, (square, cube), x)
    same_as_cpython(tuple_argument, (cube, math_like), x)


def test_each_function_is_its_own_specialization():
    @jit
    def run(f, x):
        return f(x)

    run(square, 2.0)
    run(cube, 2.0)
    run(square, 3.0)
    assert run.signatures == [("function(square)", "float64"), ("function(cube)", "float64")]


def test_not_jitted_function_is_a_type_error_naming_the_parameter():
    def plain(x):
        return x

    for bad in (plain, abs, lambda y: y):
        with pytest.raises(TypeError, match=r"apply\(\) argument 'f' .*decorate it with @jit"):
            apply(bad, 1.0)
    with pytest.raises(CompileError, match=r"call of a value that is not a function: 'f' is float64"):
        apply(2.5, 1.0)


def test_wrong_number_of_arguments_names_the_function():
    @jit
    def calls_with_two(f, x):
        return f(x, x)

    with pytest.raises(CompileError, match=r"square\(\) \(called through 'f'\) takes 1 positional argument but 2"):
        calls_with_two(square, 1.0)


def test_keywords_and_returning_a_function_are_compile_errors():
    @jit
    def by_keyword(f, x):
        return f(x=x)

    @jit
    def gives_back(x):
        return square

    @jit
    def calls_a_number(x):
        y = 3
        return y(x)

    with pytest.raises(CompileError, match="keyword argument to a function value"):
        by_keyword(square, 1.0)
    with pytest.raises(CompileError, match=r"return of a function: 'gives_back' returns function\(square\)"):
        gives_back(1.0)
    with pytest.raises(CompileError, match=r"'y' is int64, not a function"):
        calls_a_number(1.0)


def test_two_functions_in_one_variable_is_a_compile_error():
    @jit
    def either(x):
        f = square
        if x > 1:
            f = cube
        return f(x)

    with pytest.raises(CompileError, match=r"'f' holds function\(square\) on one path and function\(cube\)"):
        either(2.0)


CALLEE = """
from stickyjit import jit

@jit
def g(x):
    return x * 2.0
"""

APPLY = """
from stickyjit import jit

@jit
def run(f, x):
    return f(x) + 1.0

@jit
def run_g(x):
    return run(g, x)
"""


def test_redefining_the_function_passed_recompiles_and_stickiness_holds():
    ns: dict = {}
    run_cell(CALLEE, ns)
    run_cell(APPLY, ns)
    run, run_g = ns["run"], ns["run_g"]
    assert run(ns["g"], 3.0) == 7.0 == pure_python(run)(pure_python(ns["g"]), 3.0)
    assert run_g(3.0) == 7.0 == pure_python(run_g)(3.0)
    g_before = ns["g"]
    run_cell(CALLEE, ns)  # re-run unchanged: the same function object (sticky)
    assert ns["g"] is g_before
    run_cell(CALLEE.replace("x * 2.0", "x * 5.0"), ns)  # a real change
    assert run(ns["g"], 3.0) == 16.0 == pure_python(run)(pure_python(ns["g"]), 3.0)
    assert run_g(3.0) == 16.0 == pure_python(run_g)(3.0)
    # Back to the first definition: its code is still loaded, nothing compiles.
    run_cell(CALLEE, ns)
    before = stickyjit.stats()["compiles"]
    assert run(ns["g"], 3.0) == 7.0
    assert run_g(3.0) == 7.0
    assert stickyjit.stats()["compiles"] == before
