"""Compiled code raises the running interpreter's own message for the failures CPython reports
with a fixed text: the message is read from the interpreter (jit-py/src/errors.rs, ``PROBES``),
not from a table of one CPython version. ``1.0 % 0.0`` is "float modulo" on CPython 3.11 and
3.12 and "float modulo by zero" on 3.13; every CPython stickyjit supports runs this file
(``make test-pythons``).
"""

from __future__ import annotations

import math

import pytest

from conftest import check
from stickyjit import jit


def true_div(a, b):
    return a / b


def floor_div(a, b):
    return a // b


def modulo(a, b):
    return a % b


def power(a, b):
    return a**b


def shift(a, b):
    return a << b


def to_int(x):
    return int(x)


def range_sum(step):
    s = 0
    for i in range(0, 10, step):
        s += i
    return s


def round_to(x, n):
    return round(x, n)


def log_base(x, base):
    return math.log(x, base)


def tuple_item(i):
    t = (1, 2, 3)
    return t[i]


CASES = [
    (true_div, (1, 0)),
    (floor_div, (1, 0)),
    (modulo, (1, 0)),
    (true_div, (1.0, 0.0)),
    (floor_div, (1.0, 0.0)),
    (modulo, (1.0, 0.0)),
    (modulo, (-3.5, 0.0)),
    (power, (0.0, -1.0)),
    (power, (1e300, 2.0)),
    (shift, (1, -1)),
    (to_int, (math.nan,)),
    (to_int, (math.inf,)),
    (range_sum, (0,)),
    (round_to, (1.7e308, -308)),
    (log_base, (2.0, 1.0)),
    (tuple_item, (5,)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f"{f.__name__}{args}" for f, args in CASES])
def test_the_message_is_the_running_interpreters(f, args):
    with pytest.raises((ZeroDivisionError, ValueError, OverflowError, IndexError)):
        f(*args)  # CPython raises here (the case tests a message)
    check(jit(f), *args)  # the same class and message as CPython's


def test_float_modulo_by_zero_says_what_this_cpython_says():
    with pytest.raises(ZeroDivisionError) as python_error:
        modulo(1.0, 0.0)
    expected = str(python_error.value)
    with pytest.raises(ZeroDivisionError) as info:
        jit(modulo)(1.0, 0.0)
    assert str(info.value) == expected
