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


def test_a_closure_variable_is_named_as_a_closure():
    def outer(k):
        @jit
        def inner(x):
            return x + k

        return inner

    with pytest.raises(
        CompileError, match=r"'k' is a variable of the enclosing function .*outer.* closures are not compiled yet"
    ):
        outer(3)(4)


def test_numba_style_option_values():
    # Issue 14: nopython=1 was reported as nopython=False; opt_level=300 as an integer conversion.
    assert jit(nopython=1)(plain_python)(1) == plain_python(1)
    with pytest.raises(TypeError, match=r"nopython=0\)"):
        jit(nopython=0)
    for bad in (300, -1, 1, "3", 3.0, True):
        with pytest.raises(TypeError, match=r"opt_level=\.\.\.\) takes 2 or 3, not"):
            jit(opt_level=bad)
