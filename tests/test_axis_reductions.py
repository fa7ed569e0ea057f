"""Reductions along an axis (issue 17, item 6, first part): `a.sum(axis=k)`, `np.mean(a, k)`,
`min`, `max`, as methods and functions, compared with NumPy's answer for the same call.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit

DTYPES = ["bool", "int8", "uint16", "int32", "int64", "uint64", "float32", "float64"]


def sum0(a):
    return a.sum(axis=0)


def sum_last(a):
    return np.sum(a, axis=-1)


def mean1(a):
    return a.mean(1)


def max0(a):
    return np.max(a, 0)


def min_last(a):
    return a.min(axis=-1)


def mean_last(a):
    return np.mean(a, -1)


FUNCS = [sum0, sum_last, mean1, max0, min_last, mean_last]
JIT = {f.__name__: njit(f) for f in FUNCS}


def elements(dtype):
    d = np.dtype(dtype)
    if d.kind == "f":
        return st.floats(-1e6, 1e6, width=d.itemsize * 8)
    if d.kind == "b":
        return st.booleans()
    info = np.iinfo(d)
    return st.integers(max(info.min, -(2**20)), min(info.max, 2**20))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FUNCS), st.sampled_from(DTYPES), st.data())
def test_axis_reductions_equal_numpy(f, dtype, data):
    a = data.draw(
        hnp.arrays(dtype, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=4), elements=elements(dtype))
    )
    if data.draw(st.booleans()):
        a = a[..., ::-1]  # a strided view
    expected = f(a)
    got = JIT[f.__name__](a)
    assert got.dtype == expected.dtype, f"{f.__name__}({a.dtype}): {got.dtype} vs {expected.dtype}"
    assert got.shape == expected.shape
    if expected.dtype.kind == "f":
        # NumPy sums pairwise (float32 in float32); here in order, in float64.
        np.testing.assert_allclose(got, expected, rtol=1e-5 if expected.dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, expected)


def test_one_dimensional_and_empty_axes():
    a = np.arange(5.0)
    assert JIT["sum0"](a) == a.sum(axis=0)
    assert JIT["mean_last"](a) == np.mean(a, -1)
    empty_rows = np.zeros((0, 3))
    np.testing.assert_array_equal(JIT["sum0"](empty_rows), empty_rows.sum(axis=0))
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum"):
        JIT["max0"](empty_rows)


def sum_axis2(a):
    return a.sum(axis=2)


def sum_axis_variable(a, k):
    return a.sum(axis=k)


def test_bad_axes():
    with pytest.raises(CompileError, match="axis 2 is out of bounds for array of dimension 2"):
        njit(sum_axis2)(np.ones((2, 2)))
    with pytest.raises(CompileError, match="axis= must be an integer literal"):
        njit(sum_axis_variable)(np.ones((2, 2)), 0)
