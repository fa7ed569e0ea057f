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
from conftest import rss_growth
from stickyjit import CompileError, ParallelWarning, jit, prange


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
    elif isinstance(expected, np.generic):  # compiled code returns NumPy scalars as Python's
        assert got == expected.item() and type(got) is type(expected.item()), (f, args, got, expected)
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


# ---------------------------------------------------------------------------------------------
# Inner functions, closures and lambdas, compiled with their parent.


@jit
def inner_without_captures(x):
    def poly(y):
        return 3.0 * y * y - y + 1.0

    return poly(x) + poly(x + 1.0) + apply(poly, x)


@jit
def closure_over_scalars(x, k):
    offset = k * 0.5

    def scale(y):
        return y * k + offset

    return scale(x) + apply(scale, x) + twice(scale, x)


@jit
def lambdas(x, k):
    inc = lambda y: y + 1  # noqa: E731 - a lambda bound to a name is the feature under test
    return inc(x) + apply(lambda y: y * k, x) + compose(lambda y: y - k, inc, x)


@jit
def nested_closures(x, k):
    def outer(y):
        def inner(z):
            return z * k + y

        return inner(y + 1.0) + apply(inner, y)

    return outer(x)


@jit
def closure_over_an_array(a, k):
    def at(i):
        return a[i] * k

    s = 0.0
    for i in range(a.shape[0]):
        s += at(i) + apply(at, i)
    return s


@jit
def closure_over_a_new_array(n):
    b = np.arange(n) * 1.5
    get = lambda i: b[i] + 1.0  # noqa: E731
    return apply(get, 0) + get(n - 1)


@jit
def lambda_in_a_comprehension(n, k):
    return [(lambda y: y * k + i)(i) for i in range(n)]


@jit
def tuple_of_closures(x, k):
    fs = (lambda y: y + k, lambda y: y * k)
    return fs[0](x) + fs[1](x)


@given(finite, st.integers(-100, 100))
def test_inner_functions_closures_and_lambdas(x, k):
    same_as_cpython(inner_without_captures, x)
    same_as_cpython(closure_over_scalars, x, k)
    same_as_cpython(closure_over_scalars, x, float(k))
    same_as_cpython(lambdas, x, k)
    same_as_cpython(nested_closures, x, k)
    same_as_cpython(tuple_of_closures, x, k)


@given(st.integers(1, 30), st.integers(-5, 5))
def test_closures_over_arrays_and_in_comprehensions(n, k):
    same_as_cpython(closure_over_an_array, np.arange(n) * 0.25, k)
    same_as_cpython(closure_over_a_new_array, n)
    same_as_cpython(lambda_in_a_comprehension, n, k)


def test_closures_over_arrays_do_not_leak(tmp_path):
    src = """
import numpy as np
from stickyjit import jit

@jit
def apply(f, x):
    return f(x)

@jit
def build(n):
    b = np.ones(n)
    g = lambda i: b[i] + 1.0
    return apply(g, 0) + g(n - 1)
"""
    assert rss_growth(tmp_path, src, arg=1000) < 8 * 1024 * 1024


def test_captured_variable_assigned_again_is_a_compile_error():
    @jit
    def rebound(x):
        k = 2
        f = lambda y: y * k  # noqa: E731
        k = 3
        return f(x)

    @jit
    def in_a_loop(n):
        s = 0
        for i in range(n):

            def add(y):
                return y + i

            s += add(1)
        return s

    with pytest.raises(CompileError, match=r"the lambda reads 'k', which is assigned again at line") as info:
        rebound(1.0)
    assert info.value.lineno == rebound.py_func.__code__.co_firstlineno + 3
    with pytest.raises(CompileError, match=r"inner function 'add' reads 'i', which is assigned again .* in a loop"):
        in_a_loop(3)


def test_unsupported_inner_functions_are_compile_errors():
    @jit
    def recursive_inner(n):
        def fact(m):
            return 1 if m <= 1 else m * fact(m - 1)

        return fact(n)

    @jit
    def returns_inner(x):
        def f(y):
            return y

        return f

    @jit
    def wrong_arity(x):
        f = lambda a, b: a + b  # noqa: E731
        return f(x)

    @jit
    def with_default(x):
        def f(y=1):
            return y

        return f(x)

    with pytest.raises(CompileError, match="recursive inner function"):
        recursive_inner(5)
    with pytest.raises(CompileError, match=r"return of a function: 'returns_inner' returns function\(f\)"):
        returns_inner(1.0)
    with pytest.raises(CompileError, match=r"<lambda>\(\) \(called through 'f'\) takes 2 positional arguments but 1"):
        wrong_arity(1.0)
    with pytest.raises(CompileError, match="default value of an inner function's parameter"):
        with_default(1.0)


# ---------------------------------------------------------------------------------------------
# Loops over a tuple of functions: unrolled.


@jit
def loop_over_functions(x, k):
    s = 0.0
    for f in (square, cube, lambda y: y * k, math_like):
        s = s * 0.5 + f(x)
    else:
        s += 1.0
    return s


@jit
def loop_over_functions_nested(x):
    s = 0.0
    for f in (square, cube):
        for g in (square, lambda y: y + 1.0):
            s += f(g(x))
    return s


@given(finite, st.integers(-100, 100))
def test_loop_over_a_tuple_of_functions(x, k):
    same_as_cpython(loop_over_functions, x, k)
    same_as_cpython(loop_over_functions_nested, x / 1000.0)


def test_break_in_a_loop_over_functions_is_a_compile_error():
    @jit
    def with_break(x):
        for f in (square, cube):
            if f(x) > 10:
                break
        return x

    with pytest.raises(CompileError, match="tuple of mixed types"):
        with_break(2.0)


def test_function_values_in_prange_loops():
    @jit(parallel=True)
    def mapped(f, a):
        out = np.empty_like(a)
        for i in prange(a.shape[0]):
            out[i] = f(a[i])
        return out

    @jit(parallel=True)
    def closure_writes_shared(a):
        def bump(i):
            a[0] += i
            return 0.0

        s = 0.0
        for i in prange(a.shape[0]):
            s += bump(i)
        return s

    a = np.linspace(-2.0, 2.0, 101)
    np.testing.assert_array_equal(mapped(square, a), pure_python(mapped)(pure_python(square), a))
    # Every iteration's closure writes a[0]: the loop runs serially, as CPython runs it.
    a1, a2 = np.zeros(10), np.zeros(10)
    with pytest.warns(ParallelWarning, match="prange loop"):
        got = closure_writes_shared(a1)
    assert got == pure_python(closure_writes_shared)(a2)
    np.testing.assert_array_equal(a1, a2)
