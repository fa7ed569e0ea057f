"""`stickyjit.extending`, Numba's extension names that modules written for Numba import
(QuantEcon, numba-stats): `register_jitable` compiles, `get_cython_function_address` gives
SciPy's C functions, and `overload` records without compiling (a call of the overloaded
function from compiled code is a CompileError that says so).
"""

from __future__ import annotations

import ctypes
import math

import numpy as np
import pytest

import stickyjit as nb
from stickyjit import CompileError, jit
from stickyjit.extending import get_cython_function_address, overload, register_jitable

special = pytest.importorskip("scipy.special")


@register_jitable
def clipped(x, lo, hi):
    return min(max(x, lo), hi)


def uses_clipped(a):
    s = 0.0
    for x in a:
        s += clipped(x, -1.0, 1.0)
    return s


def test_register_jitable_compiles_and_runs_from_python():
    a = np.array([-3.0, 0.25, 0.5, 7.0])
    want = sum(min(max(x, -1.0), 1.0) for x in a)
    assert jit(uses_clipped)(a) == want
    assert clipped(5.0, -1.0, 1.0) == 1.0


@pytest.mark.parametrize("name", ["ndtri", "erfcinv", "gammaln"])
def test_cython_function_address_is_scipys_function(name):
    addr = get_cython_function_address("scipy.special.cython_special", name)
    c = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(addr)
    for x in (0.1, 0.5, 0.975):
        assert c(x) == getattr(special, name)(x)


def test_cython_function_address_of_a_missing_name():
    with pytest.raises(ValueError, match="No function 'nope' found in __pyx_capi__"):
        get_cython_function_address("scipy.special.cython_special", "nope")


def square_sum(a):  # the stand-in QuantEcon overloads
    pass


@overload(square_sum)
def _square_sum_ol(a):
    return lambda a: (a * a).sum()


def calls_overloaded(a):
    return square_sum(a)


def does_not_call_it(a):
    return (a * a).sum()


def test_overload_records_and_the_rest_of_the_module_compiles():
    a = np.arange(4.0)
    assert jit(does_not_call_it)(a) == does_not_call_it(a)
    assert square_sum.__stickyjit_overloads__ == [_square_sum_ol]
    with pytest.raises(CompileError, match="@overload"):
        jit(calls_overloaded)(a)


class _Ndtri(nb.types.WrapperAddressProtocol):
    def __wrapper_address__(self):
        return get_cython_function_address("scipy.special.cython_special", "ndtri")

    def signature(self):
        return nb.types.float64(nb.types.float64)


ndtri = _Ndtri()


def calls_by_address(p):
    return ndtri(p) + math.sqrt(p)


def test_wrapper_address_protocol_objects_are_a_clear_compile_error():
    assert ndtri.signature() == nb.types.float64(nb.types.float64)
    with pytest.raises(CompileError, match="WrapperAddressProtocol"):
        jit(calls_by_address)(0.5)
