"""`stickyjit.extending`, Numba's extension names that modules written for Numba import
(QuantEcon, numba-stats): `register_jitable` compiles, `get_cython_function_address` gives
SciPy's C functions, and `overload` records without compiling (a call of the overloaded
function from compiled code is a CompileError that says so).
"""

from __future__ import annotations

import ctypes
import ctypes.util
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


_libm = ctypes.CDLL(ctypes.util.find_library("m"))


class _Libm(nb.types.WrapperAddressProtocol):
    """A C library function by its address, with the signature given."""

    def __init__(self, name, signature):
        self._address = ctypes.cast(getattr(_libm, name), ctypes.c_void_p).value
        self._signature = signature

    def __wrapper_address__(self):
        return self._address

    def signature(self):
        return self._signature


ldexp = _Libm("ldexp", nb.types.float64(nb.types.float64, nb.types.int32))
powf = _Libm("powf", nb.types.float32(nb.types.float32, nb.types.float32))
labs = _Libm("labs", nb.types.int64(nb.types.int64))
complex_sig = _Libm("cabs", nb.types.float64(nb.types.complex128))


def calls_libm(x, n):
    return ldexp(x, n), powf(x, 0.5), labs(n - 10)


def calls_with_a_complex_signature(z):
    return complex_sig(z)


@pytest.mark.parametrize("p", [0.025, 0.5, 0.975, 1e-300])
def test_wrapper_address_protocol_calls_scipys_c_function(p):
    # numba-stats reaches scipy.special this way; Python cannot call the object itself.
    assert jit(calls_by_address)(p) == special.ndtri(p) + math.sqrt(p)


@pytest.mark.parametrize(("x", "n"), [(1.5, 3), (-0.75, -2), (3.0, 0)])
def test_c_functions_of_other_types_convert_as_numba(x, n):
    got = jit(calls_libm)(x, n)
    assert got[0] == math.ldexp(x, n)
    with np.errstate(invalid="ignore"):
        want = float(np.float32(x) ** np.float32(0.5))  # NumPy's float32 power is the C library's powf
    assert got[1] == want or (math.isnan(got[1]) and math.isnan(want))
    assert got[2] == abs(n - 10)


def test_c_function_of_a_signature_not_of_real_numbers_is_a_compile_error():
    with pytest.raises(CompileError, match="not of real numbers"):
        jit(calls_with_a_complex_signature)(1j)
