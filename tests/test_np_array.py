"""`np.array([...])` of list (and tuple) literals of numbers, nested for more axes, with NumPy's
dtype or a given one; `np.array(a)` of an array copies it. Each compared with NumPy running the
same function."""

from __future__ import annotations

import linecache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, njit


def define(src, name):
    filename = f"<np-array-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    g = {"np": np}
    exec(compile(src, filename, "exec"), g)
    return g["f"]


def same(f, *args):
    want = f(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = njit(f)(*args)
    for w, g in zip(want, got) if isinstance(want, tuple) else [(want, got)]:
        assert isinstance(g, np.ndarray)
        assert (g.dtype, g.shape) == (w.dtype, w.shape), (g.dtype, g.shape, w.dtype, w.shape)
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize(
    "body",
    [
        "np.array([x, 2.0, 3.0])",
        "np.array([n, 2, 3])",
        "np.array([c, True, c])",
        "np.array([c, 2])",
        "np.array([[x, 1], [2, 3]])",
        "np.array([[[x, n], [n, x]], [[1, 2], [3, 4]]])",
        "np.array(((x, 1.0), (2.0, 3.0)))",
        "np.array([n, 2], dtype=np.float32)",
        "np.array([x, 2.5], np.int32)",
        "np.array([x, n], dtype=bool)",
        "np.array([])",
        "np.array([[x], [n]]).T * 2",
    ],
)
def test_literals_give_numpys_array(body):
    f = define(f"def f(x, n, c):\n    return {body}\n", body)
    same(f, 1.5, 7, False)
    same(f, -0.25, -3, True)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.integers(-(2**40), 2**40), st.floats(-1e9, 1e9), st.booleans()), min_size=1, max_size=4),
    st.integers(1, 3),
)
def test_literal_rows_of_mixed_numbers(values, rows):
    # The numbers come in as arguments: the literal is rows of them, NumPy's dtype promotion.
    names = [f"v{i}" for i in range(len(values))]
    row = "[" + ", ".join(names) + "]"
    f = define(
        f"def f({', '.join(names)}):\n    return np.array([{', '.join([row] * rows)}])\n", f"rows{len(values)}x{rows}"
    )
    same(f, *values)


def copies(a):
    b = np.array(a)
    b[0] = 99
    return a, b


def test_np_array_of_an_array_is_a_copy():
    same(copies, np.arange(4.0))
    same(copies, np.arange(6).reshape(3, 2)[::-1])


def test_ragged_rows_and_lists_elsewhere_are_compile_errors():
    ragged = define("def f(x):\n    return np.array([[x, 1], [2]])\n", "ragged")
    with pytest.raises(ValueError):
        ragged(1)
    with pytest.raises(CompileError, match="inhomogeneous shape"):
        njit(ragged)(1)
    elsewhere = define("def f(x):\n    y = [{1: x}]\n    return x\n", "elsewhere")
    with pytest.raises(CompileError, match="list item"):
        njit(elsewhere)(2)
