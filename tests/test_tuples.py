"""Tuples: literals returned to Python as tuples, unpacking, literal and variable indexing,
len(), iteration, and tuple arguments (homogeneous, mixed, nested, NumPy scalars), each
checked against CPython running the same function; and the errors each misuse gets.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import floats, pure_python, same, small_ints
from stickyjit import CompileError, jit


def same_value(expected, actual):
    """`same` for numbers, element by element for (nested) tuples."""
    if isinstance(expected, tuple):
        assert type(actual) is tuple and len(actual) == len(expected), f"CPython {expected!r}, compiled {actual!r}"
        for e, a in zip(expected, actual):
            same_value(e, a)
    else:
        same(expected, actual)


def check_t(f, *args):
    expected = pure_python(f)(*args)
    same_value(expected, f(*args))


@jit
def divmod_and_more(a, b):
    return a // b, a % b, (a > b, a * 0.5)


@jit
def unpack_from_callee(a, b):
    q, r, (gt, half) = divmod_and_more(a, b)
    t = divmod_and_more(b, a)
    return q + r + gt + half + t[0] + t[-1][1] + len(t)


@jit
def indexed(t, i):
    return t[i] + t[0] + t[-1] + len(t)


@jit
def summed(t):
    s = 0
    for x in t:
        if x < 0:
            break
        s += x
    else:
        s += 1000
    return s


@jit
def mixed_arg(t):
    a, (b, c) = t
    return t[0] * b + c, (c, a)


@jit
def nested_loops(t, u):
    s = 0.0
    for x in t:
        for y in u:
            s += x * y
    return s


nonzero = small_ints.filter(lambda v: v != 0)


@given(small_ints, nonzero)
def test_tuple_literals_return_to_python_as_tuples(a, b):
    check_t(divmod_and_more, a, b)


@given(nonzero, nonzero)
def test_unpacking_and_indexing_what_a_callee_returns(a, b):
    check_t(unpack_from_callee, a, b)


@given(st.lists(small_ints, min_size=1, max_size=6).map(tuple), st.integers(-8, 8))
def test_variable_index_into_a_homogeneous_tuple(t, i):
    expected = None
    try:
        expected = pure_python(indexed)(t, i)
    except IndexError as e:
        with pytest.raises(IndexError, match=str(e)):
            indexed(t, i)
        return
    same(expected, indexed(t, i))


@given(st.lists(st.one_of(small_ints), max_size=8).map(tuple))
def test_iteration_with_break_and_else(t):
    check_t(summed, t)


@given(st.lists(floats, max_size=5).map(tuple), st.lists(floats, max_size=5).map(tuple))
def test_nested_iteration_over_float_tuples(t, u):
    check_t(nested_loops, t, u)


@given(small_ints, floats, st.booleans())
def test_mixed_and_nested_tuple_arguments(a, b, c):
    check_t(mixed_arg, (a, (b, c)))


def test_numpy_scalars_in_a_tuple_are_widened():
    got = mixed_arg((np.int32(2), (np.float32(3.5), np.bool_(True))))
    assert got == mixed_arg.py_func((2, (3.5, True)))
    assert ("tuple(int32, tuple(float32, bool))",) in mixed_arg.signatures


def test_a_tuple_holding_bytes_is_a_type_error_naming_the_parameter():
    with pytest.raises(TypeError, match="argument 't' has unsupported type 'bytes'"):
        summed((1, b"x"))


def compile_error(src_func, *args) -> CompileError:
    with pytest.raises(CompileError) as info:
        src_func(*args)
    return info.value


@jit
def literal_index_out_of_range(t):
    return t[3]


@jit
def variable_index_mixed(t, i):
    return t[i]


@jit
def iterate_int(n):
    s = 0
    for x in n:
        s += x
    return s


@jit
def len_of_int(n):
    return len(n)


@jit
def returns_none_inside(n):
    return (n, None)


def test_a_returned_tuple_holds_none_as_cpython():
    # (A CompileError before: a tuple written out in a return may hold None now.)
    assert returns_none_inside(1) == returns_none_inside.py_func(1) == (1, None)


@pytest.mark.parametrize(
    "func,args,construct",
    [
        (literal_index_out_of_range, ((1, 2),), "tuple index out of range"),
        (variable_index_mixed, ((1, 2.0), 0), "variable index into a tuple of mixed types"),
        (iterate_int, (3,), "len() argument"),
    ],
)
def test_misuses_are_compile_errors_naming_the_construct(func, args, construct):
    e = compile_error(func, *args)
    assert e.construct == construct, str(e)
    assert e.lineno >= func.py_func.__code__.co_firstlineno


def test_len_of_a_number_argument_is_a_type_error_as_in_cpython():
    with pytest.raises(TypeError) as expected:
        pure_python(len_of_int)(3)
    with pytest.raises(TypeError, match="argument 'n'") as got:
        len_of_int(3)
    assert type(got.value) is type(expected.value)
