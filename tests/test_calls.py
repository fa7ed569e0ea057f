"""Every way Python can call a dispatcher gives the same answer and the same errors.

CPython calls a dispatcher through the vectorcall protocol (arguments in a C array), except
where C code calls it with a tuple and a dict (``tp_call``: ``type(f).__call__(f, ...)``,
``PyObject_Call``); both paths must agree with each other and with the Python function.
"""

from __future__ import annotations

import functools
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stickyjit import jit


@jit
def affine(x, a=2, b=1):
    return a * x + b


@jit
def no_args():
    return 42


@jit
def many(a, b, c, d, e, f, g, h, i, j):
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j


def via_tp_call(f, *args, **kwargs):
    return type(f).__call__(f, *args, **kwargs)


CALLERS = {
    "vectorcall": lambda f, *a, **k: f(*a, **k),
    "tp_call": via_tp_call,
    "partial": lambda f, *a, **k: functools.partial(f, *a, **k)(),
    "map": lambda f, *a, **k: list(map(functools.partial(f, **k), *[[x] for x in a]))[0] if a else f(**k),
    "methodcaller": lambda f, *a, **k: operator.methodcaller("__call__", *a, **k)(f),
}


@pytest.mark.parametrize("caller", CALLERS.values(), ids=CALLERS.keys())
@given(x=st.integers(-(2**40), 2**40), a=st.integers(-1000, 1000), b=st.floats(-1e6, 1e6))
def test_every_calling_path_agrees_with_python(caller, x, a, b):
    for args, kwargs in [((x,), {}), ((x, a), {}), ((x, a, b), {}), ((x,), {"b": b}), ((), {"x": x, "a": a})]:
        expected = affine.py_func(*args, **kwargs)
        got = caller(affine, *args, **kwargs)
        assert got == expected and type(got) is type(expected), (args, kwargs)


def test_no_arguments_and_more_than_eight():
    assert no_args() == via_tp_call(no_args) == 42
    args = tuple(range(1, 11))
    assert many(*args) == via_tp_call(many, *args) == many.py_func(*args)
    floats = tuple(x / 3 for x in args)
    assert many(*floats) == many.py_func(*floats)


@pytest.mark.parametrize("caller", [CALLERS["vectorcall"], CALLERS["tp_call"]], ids=["vectorcall", "tp_call"])
@pytest.mark.parametrize("args,kwargs", [((), {}), ((1, 2, 3, 4), {}), ((1,), {"zz": 2}), ((1,), {"x": 2})])
def test_bad_calls_raise_cpythons_type_error_on_both_paths(caller, args, kwargs):
    with pytest.raises(TypeError) as theirs:
        affine.py_func(*args, **kwargs)
    with pytest.raises(TypeError) as ours:
        caller(affine, *args, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_errors_from_compiled_code_on_both_paths():
    @jit
    def inv(x):
        return 1 // x

    for caller in (CALLERS["vectorcall"], CALLERS["tp_call"]):
        with pytest.raises(ZeroDivisionError):
            caller(inv, 0)
        with pytest.raises(TypeError, match="argument 'x'"):
            caller(inv, b"s")
        with pytest.raises(OverflowError):
            caller(inv, 2**70)
        assert caller(inv, -3) == -1
