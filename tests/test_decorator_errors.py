"""Bad input around the decorator: methods, closures and Numba's option values (issue 14, item 11).
Each answer is compared with what CPython does with the same plain function.
"""

from __future__ import annotations

import pytest

from stickyjit import CompileError, jit


def plain_python(x):
    return x + 1


def test_a_jitted_method_binds_its_instance_like_a_function():
    # Issue 14: a method decorated with @jit said "missing argument 'x'"; it binds self as a
    # plain function does (and as Numba's dispatcher does), so the instance's type is the error.
    class Plain:
        def m(self, x):
            return x + 1

    class Jitted:
        @jit
        def m(self, x):
            return x + 1

    with pytest.raises(TypeError, match=r"m[(][)] argument 'self' has unsupported type 'Jitted'.*method"):
        Jitted().m(3)
    assert Jitted.m(1, 3) == Plain.m(1, 3)
    assert Jitted.__dict__["m"] is Jitted.m


def test_closure_variables_are_frozen_as_globals_are():
    # Numba's FAQ pattern: a factory returning a jitted function over its arguments.
    @jit
    def square(x):
        return x * x

    @jit
    def cube(x):
        return x * x * x

    def outer(k, g):
        @jit
        def inner(x):
            return g(x) + k

        return inner

    f3, f5, fc = outer(3, square), outer(5, square), outer(3, cube)
    assert (f3(4), f5(4), fc(2)) == (19, 21, 11)
    assert f3 is not f5 and f3 is not fc  # each closure's values are in its identity
    assert outer(3, square) is f3  # the same values: the sticky function


def test_a_closure_variable_without_a_value_is_named():
    def outer():
        @jit
        def inner(x):
            return x + later

        result = inner
        try:
            inner(1)
        except CompileError as e:
            result = e
        later = 3  # noqa: F841
        return result

    with pytest.raises(CompileError, match=r"'later' is a variable of the enclosing function .*outer.* no value yet"):
        raise outer()


def test_numba_style_option_values():
    # Issue 14: nopython=1 was reported as nopython=False; opt_level=300 as an integer conversion.
    assert jit(nopython=1)(plain_python)(1) == plain_python(1)
    with pytest.raises(TypeError, match=r"nopython=0\)"):
        jit(nopython=0)
    for bad in (300, -1, 1, "3", 3.0, True):
        with pytest.raises(TypeError, match=r"opt_level=\.\.\.\) takes 2 or 3, not"):
            jit(opt_level=bad)
