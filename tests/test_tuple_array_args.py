"""Tuples holding arrays as arguments (`f((x, y, 3.0), i)`, `solve(params)` with
`params = (alpha, grid, n)`), as QuantEcon's lectures and numba-examples pass their
parameters: each array is passed without a copy (a write is seen by the caller), bounds are
checked, and an array of the tuple handed back keeps the caller's array alive."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from stickyjit import jit


@jit
def weighted(t, i):
    a, b, c = t
    return a[i] + b[i] * c


@jit
def trace_of(p):
    (m, n), scale = p
    s = 0.0
    for i in range(n):
        s += m[i, i]
    return s * scale


@jit
def bellman(v, params):
    # A QuantEcon-style update: parameters and grids travel together in one tuple.
    beta, grid, reward = params
    out = np.empty_like(v)
    for i in range(grid.shape[0]):
        best = -np.inf
        for j in range(grid.shape[0]):
            x = reward[i, j] + beta * v[j]
            if x > best:
                best = x
        out[i] = best
    return out


@jit
def fill(t, value):
    dest, idx = t
    for k in idx:
        dest[k] = value
    return dest.sum()


@jit
def second(t):
    return t[1]


@jit
def at(t, i):
    return t[0][i]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64, np.uint8, np.bool_])
def test_arrays_in_a_tuple_compute_as_cpython(dtype):
    x = np.arange(6).astype(dtype)
    y = (np.arange(6) % 3).astype(dtype)
    for i in (0, 3, -1):
        got, want = weighted((x, y, 3.0), i), weighted.py_func((x, y, 3.0), i)
        assert got == pytest.approx(want) and type(got) is type(float(want))


@pytest.mark.parametrize("m", [np.eye(3), np.arange(16.0).reshape(4, 4).T, np.arange(25.0).reshape(5, 5)[::2, ::2]])
def test_nested_tuples_and_layouts(m):
    p = ((m, m.shape[0]), 0.5)
    assert trace_of(p) == trace_of.py_func(p)


def test_a_parameter_tuple_of_scalars_and_arrays():
    rng = np.random.default_rng(3)
    n = 7
    grid = np.linspace(0.0, 1.0, n)
    reward = rng.standard_normal((n, n))
    v = rng.standard_normal(n)
    for beta in (0.5, 0.96):
        params = (beta, grid, reward)
        np.testing.assert_array_equal(bellman(v, params), bellman.py_func(v, params))


def test_a_write_through_a_tuple_is_seen_by_the_caller():
    a, b = np.zeros(5), np.zeros(5)
    idx = np.array([0, 3, 4])
    assert fill((a, idx), 2.5) == fill.py_func((b, idx), 2.5)
    np.testing.assert_array_equal(a, b)
    assert a[3] == 2.5


def test_an_array_handed_back_keeps_the_callers_array_alive():
    a = np.arange(4.0)
    r = second((1, a))
    assert np.shares_memory(r, a)
    np.testing.assert_array_equal(r, a)
    r2 = second((1, np.arange(8.0) * 2))  # the only reference to the array is the tuple's
    gc.collect()
    np.testing.assert_array_equal(r2, np.arange(8.0) * 2)


def test_indexing_is_bounds_checked():
    a = np.arange(4.0)
    assert at((a,), -1) == at.py_func((a,), -1)
    with pytest.raises(IndexError, match="out of bounds"):
        at((a,), 4)
    with pytest.raises(IndexError):
        at.py_func((a,), 4)


def test_a_read_only_array_in_a_tuple_is_not_written():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fill((a, np.array([1])), 1.0)
    with pytest.raises(ValueError, match="read-only"):
        fill.py_func((a, np.array([1])), 1.0)
    assert not a.any()


def test_each_element_type_is_its_own_specialization():
    x = np.arange(3.0)
    assert at((x,), 1) == 1.0
    assert at((x.astype(np.int16),), 2) == 2
    assert at((x.reshape(3, 1),), 0).tolist() == [0.0]
    kinds = {s[0] for s in at.signatures}
    assert len(kinds) == 3, kinds


def test_a_list_or_generator_in_a_tuple_is_a_type_error_naming_the_parameter():
    for bad in (([1.0],), (np.random.default_rng(0),)):
        with pytest.raises(TypeError, match=r"at\(\) argument 't' has unsupported type"):
            at(bad, 0)
