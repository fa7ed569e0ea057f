"""Slicing a tuple with literal bounds (`t[1:]`, `a.shape[:2]`, `t[::-1]`) gives CPython's tuple.

Every slice form below, on tuples of every length from 0 to 6 (each a specialization of its
own), against CPython on the same tuple (conftest.check: the same items, types and order).
"""

from __future__ import annotations

import linecache

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit

SLICES = [
    "1:",
    ":2",
    "::-1",
    "-2:",
    "5:",
    ":0",
    "1::2",
    "-1:-4:-1",
    "::2",
    ":-1",
    "-8:8",
    "3:1:-1",
    "::-3",
    "2:-2",
    "-1::-2",
    ":",
    "8::-1",
    ":-8:-1",
]


def jitted(body: str):
    """A jitted function `f(t)` whose body is `body`, its source registered where stickyjit reads it."""
    src = f"def f(t):\n    return {body}\n"
    filename = f"<tuple slice {body}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(src, filename, "exec"), {"np": np}, namespace)  # noqa: S102
    return jit(namespace["f"])


@pytest.mark.parametrize("s", SLICES)
def test_a_literal_slice_of_a_tuple_is_cpythons(s):
    f = jitted(f"t[{s}]")
    for n in range(7):
        t = tuple(k if k % 2 else k + 0.5 for k in range(n))
        check(f, t)


@jit
def leading_axes(a):
    return np.zeros(a.shape[:2]) + a.shape[-1]


def test_a_slice_of_a_shape_makes_an_array():
    a = np.ones((2, 3, 4))
    np.testing.assert_array_equal(leading_axes(a), leading_axes.py_func(a))


def test_a_slice_with_a_variable_bound_names_the_rule():
    f = jitted("t[len(t) - 1:]")
    with pytest.raises(CompileError, match="literal bounds"):
        f((1, 2))


def test_a_zero_step_is_cpythons_message():
    f = jitted("t[::0]")
    with pytest.raises(CompileError, match="slice step cannot be zero"):
        f((1, 2))
