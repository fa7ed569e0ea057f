"""`*args`: a jitted function's `*args` parameter (the extra positional arguments as a tuple)
and `f(x, *t)` in a call of a jitted function or of a function passed as a value, as
QuantEcon's root finders write `func(x, *args)`. Answers and exceptions are CPython's."""

from __future__ import annotations

import linecache

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit


@jit
def total(x, *args):
    s = x
    for a in args:
        s += a
    return s, len(args)


@jit
def from_compiled(t):
    return total(1.0, 2.0, 3.0), total(5), total(*t), total(0.5, *t), total(*t, t[0])


@jit
def forward(*args):
    return total(*args)


@jit
def shifted(x, a, b):
    return a * x + b


@jit
def newton(func, fprime, x0, args=(), tol=1.48e-8, maxiter=50):
    # QuantEcon.py's optimize.newton, its core: `func(p0, *args)`.
    p0 = x0
    for _ in range(maxiter):
        fval = func(p0, *args)
        fder = fprime(p0, *args)
        p = p0 - fval / fder
        if abs(p - p0) < tol:
            return p
        p0 = p
    return p0


@jit
def cubic(x, c):
    return x**3 - c


@jit
def cubic_prime(x, c):
    return 3 * x**2


@jit
def square_minus_two(x):
    return x * x - 2.0


@jit
def twice(x):
    return 2.0 * x


@jit
def sums(*arrays):
    s = 0.0
    for a in arrays:
        s += a.sum()
    return s


@jit
def apply(f, t):
    return f(*t)


@pytest.mark.parametrize("extra", [(), (2,), (2.5, 3.5), (1, 2, 3), (True, False)])
def test_star_args_parameter_from_python(extra):
    check(total, 1, *extra)
    check(total, 1.5, *extra)


def test_calls_from_compiled_code_bind_as_cpython():
    for t in [(1.0, 2.0), (1, 2)]:
        assert from_compiled(t) == from_compiled.py_func(t)
    assert forward(1, 2, 3) == forward.py_func(1, 2, 3)
    assert forward(4) == forward.py_func(4)


def test_quantecon_newton_passes_its_args_tuple_through_function_values():
    for c in (2.0, 27.0, 0.5):
        assert newton(cubic, cubic_prime, 1.0, (c,)) == newton.py_func(cubic, cubic_prime, 1.0, (c,))
    # `args` left out: its default, the empty tuple.
    assert newton(square_minus_two, twice, 1.0) == newton.py_func(square_minus_two, twice, 1.0)


def test_star_of_a_tuple_into_a_function_value():
    for t in [(1.0, 2.0, 3.0), (2, 0, -1)]:
        assert apply(shifted, t) == apply.py_func(shifted, t)


def test_arrays_in_star_args_are_passed_without_copies():
    a, b = np.ones(3), np.arange(4.0)
    assert sums(a, b) == sums.py_func(a, b)
    assert sums(b) == sums.py_func(b)


def test_a_keyword_naming_star_args_is_cpythons_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument 'args'"):
        total(1, args=2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'args'"):
        total.py_func(1, args=2)
    assert total(x=4) == total.py_func(x=4)


@jit
def star_of_number(x):
    return shifted(*x)


@jit
def star_with_keyword(t):
    return shifted(*t, b=1.0)


@jit
def star_too_short(t):
    return shifted(*t)


def test_what_is_not_compiled_is_a_compile_error():
    with pytest.raises(CompileError, match=r"`\*` of int64"):
        star_of_number(3)
    with pytest.raises(CompileError, match="keyword argument with"):
        star_with_keyword((1.0, 2.0))
    with pytest.raises(CompileError, match=r"takes 3 positional arguments but 2 were given"):
        star_too_short((1.0, 2.0))


def jitted(src: str, name: str):
    filename = f"<star args {name} {hash(src)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(src, filename, "exec"), {}, namespace)  # noqa: S102
    return jit(namespace[name])


def test_star_args_is_part_of_the_code_key():
    # The same body under `(a, *b)` and `(a, b)`: two functions, not one sticky hit.
    star = jitted("def h(a, *b):\n    return len(b)\n", "h")
    plain = jitted("def h(a, b):\n    return len(b)\n", "h")
    assert star is not plain
    assert star(1, 2, 3) == 2
    assert plain(1, (2, 3, 4)) == 3
