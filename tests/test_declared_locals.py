"""Numba's `@jit(locals={name: type})` (pynndescent declares its distance accumulators float32
and its loop counters uint16 this way): a variable declared a number type holds that dtype's
values, every value stored into it converted as NumPy converts to the dtype. The oracle is
CPython running the same function with each store written out as NumPy's conversion.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import stickyjit
from stickyjit import CompileError, jit


def euclidean(x, y):
    result = 0.0
    for i in range(x.shape[0]):
        diff = x[i] - y[i]
        result += diff * diff
    return np.sqrt(result)


def euclidean_written_out(x, y):
    # What the declarations make of `euclidean`: each store converted to float32, and the
    # arithmetic of float32 values in float32 (NumPy's and Numba's), sqrt included.
    result = np.float32(0.0)
    for i in range(x.shape[0]):
        diff = np.float32(x[i] - y[i])
        result = result + diff * diff
    return np.sqrt(result)


EUCLIDEAN = jit(locals={"result": stickyjit.float32, "diff": stickyjit.float32})(euclidean)


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, st.integers(0, 40), elements=st.floats(-1e6, 1e6)), st.data())
def test_float32_accumulators_round_every_store_as_numpy(x, data):
    y = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-1e6, 1e6)))
    got = EUCLIDEAN(x, y)
    want = euclidean_written_out(x, y)
    assert got == want or (np.isnan(got) and np.isnan(want))
    # Undeclared, the same code keeps float64 throughout (CPython's answer).
    assert jit(euclidean)(x, y) == euclidean(x, y)


def wraps(start, step, n):
    u = start
    for _ in range(n):
        u += step
    return u


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int16", "uint32", "int32", "int64"])
@pytest.mark.parametrize(
    ("start", "step", "n"), [(250, 3, 4), (-5, 7, 3), (30000, 1000, 5), (2**31 - 2, 1, 3), (0, -1, 1)]
)
def test_a_declared_integer_wraps_as_numpys_conversion(dtype, start, step, n):
    f = jit(locals={"u": getattr(stickyjit, dtype)})(wraps)
    # Each store is NumPy's conversion of the int64 value to the dtype (wrapping).
    u = np.array(start).astype(dtype)
    for _ in range(n):
        u = np.array(int(u) + step).astype(dtype)
    assert f(start, step, n) == int(u)


def test_a_declared_uint64_holds_values_past_int64():
    f = jit(locals={"u": stickyjit.uint64})(wraps)
    assert f(2**63 - 3, 2, 2) == 2**63 + 1


def truncated(x):
    k = x
    return k


@pytest.mark.parametrize("x", [2.7, -2.7, 0.0, 1e10])
def test_a_float_stored_into_a_declared_integer_is_truncated_as_numpy(x):
    f = jit(locals={"k": stickyjit.int64})(truncated)
    assert f(x) == int(np.array(x).astype(np.int64))
    assert type(f(x)) is int


def rounded(x):
    return x


def test_a_declared_parameter_is_converted_on_entry():
    f = jit(locals={"x": stickyjit.float32})(rounded)
    assert f(0.1) == float(np.float32(0.1))
    assert f(3) == 3.0


def counted(n):
    s = 0
    for i in range(n):
        s += i
    return s


def test_a_declared_loop_counter_counts_as_python_within_its_range():
    f = jit(locals={"i": stickyjit.uint16})(counted)
    assert f(1000) == counted(1000)


def test_declarations_are_part_of_the_code_and_the_sticky_identity():
    plain = jit(euclidean)
    declared = jit(locals={"result": stickyjit.float32, "diff": stickyjit.float32})(euclidean)
    assert plain is not declared
    x, y = np.array([0.1, 0.2, 0.3]), np.array([0.7, 0.5, 0.05])
    assert plain(x, y) == euclidean(x, y)
    assert declared(x, y) == euclidean_written_out(x, y)
    assert plain(x, y) != declared(x, y)


def test_an_array_declared_is_accepted_and_leaves_the_type_to_the_value():
    def f(a):
        b = a * 2
        return b

    g = jit(locals={"b": stickyjit.float64[:]})(f)
    np.testing.assert_array_equal(g(np.arange(3.0)), f(np.arange(3.0)))


def test_a_declared_number_assigned_an_array_is_a_compile_error_naming_it():
    def f(a):
        r = a
        return r

    with pytest.raises(CompileError, match="'r' is declared float64 by locals=, and is assigned array"):
        jit(locals={"r": stickyjit.float64})(f)(np.zeros(2))


@pytest.mark.parametrize(
    ("local_types", "match"),
    [
        ({"x": 3}, "takes stickyjit types"),
        ({"x": float}, "takes stickyjit types"),
        ({1: stickyjit.float64}, "variable names"),
        ([("x", stickyjit.float64)], "a dict"),
    ],
)
def test_bad_declarations_are_type_errors(local_types, match):
    with pytest.raises(TypeError, match=match):
        jit(locals=local_types)


def test_cfunc_takes_declarations_too():
    def f(x):
        r = x * 3.0
        return r

    c = stickyjit.cfunc("float64(float64)", locals={"r": stickyjit.float32})(f)
    assert c.ctypes(0.1) == float(np.float32(0.1 * 3.0))
