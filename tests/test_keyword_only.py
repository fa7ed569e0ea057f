"""Keyword-only parameters (`def f(X, *, factor=1, axis=-1)`, librosa's `__shear_dense`),
bound as CPython binds them, from Python and from compiled code, each call checked against
CPython running the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, jit


def shear(X, *, factor=1, axis=-1):
    return X * factor + axis


def required(a, *, scale):
    return a * scale


def with_varargs(a, *rest, scale=2.0):
    s = a
    for r in rest:
        s += r
    return s * scale


def caller(x):
    return shear(x, factor=3), shear(x, axis=2, factor=-1), required(x, scale=0.5)


shear_jitted = jit(shear)
required_jitted = jit(required)


def jitted_caller(x):
    return shear_jitted(x, factor=3), shear_jitted(x, axis=2, factor=-1), required_jitted(x, scale=0.5)


def positional_into_keyword_only(x):
    return shear_jitted(x, 2)


@given(st.floats(-1e6, 1e6), st.integers(-5, 5), st.integers(-3, 3))
@settings(max_examples=30, deadline=None)
def test_keyword_only_parameters_from_python(x, factor, axis):
    f = jit(shear)
    a = np.array([x, 1.0])
    np.testing.assert_array_equal(f(a, factor=factor, axis=axis), shear(a, factor=factor, axis=axis))
    np.testing.assert_array_equal(f(a), shear(a))
    np.testing.assert_array_equal(f(a, axis=axis), shear(a, axis=axis))
    assert jit(required)(x, scale=factor) == required(x, scale=factor)


def test_keyword_only_after_varargs():
    f = jit(with_varargs)
    for args, kw in [((1.0,), {}), ((1.0, 2.0, 3.0), {}), ((1.0, 2.0), {"scale": -1.0})]:
        assert f(*args, **kw) == with_varargs(*args, **kw)


def test_keyword_only_parameters_from_compiled_code():
    x = np.arange(3.0)
    for g, w in zip(jit(jitted_caller)(x), caller(x)):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: f(np.ones(2), 2), "positional argument"),
        (lambda f: f(np.ones(2), factr=2), "unexpected keyword argument"),
    ],
)
def test_bad_calls_from_python_are_cpythons_type_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call(shear)
    with pytest.raises(TypeError, match=message):
        call(jit(shear))


def test_missing_keyword_only_argument_is_cpythons_type_error():
    with pytest.raises(TypeError, match="keyword-only argument: 'scale'") as want:
        required(1.0)
    with pytest.raises(TypeError) as got:
        jit(required)(1.0)
    assert str(got.value) == str(want.value)


def test_positional_argument_into_keyword_only_parameter_from_compiled_code():
    with pytest.raises(CompileError, match="positional argument"):
        jit(positional_into_keyword_only)(np.ones(2))
