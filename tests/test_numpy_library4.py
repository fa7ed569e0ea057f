"""More of NumPy's library compiled from stickyjit's implementations: `np.interp` of a number,
`np.atleast_1d`/`atleast_2d`/`atleast_3d`. Each against NumPy on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stickyjit import jit


@jit
def interp_number(x, xp, fp):
    return np.interp(x, xp, fp)


@jit
def interp_number_bounds(x, xp, fp):
    return np.interp(x, xp, fp, left=-1.0, right=7.5)


XP = np.array([0.0, 1.0, 1.0, 3.0, 10.0])
FP = np.array([1.0, 2.0, 4.0, 0.0, -5.0])


@given(x=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-2, 12), st.integers(-3, 12)))
@example(1.0)
@example(3.0)
@example(10.0)
@example(float("nan"))
def test_interp_of_a_number_is_numpys(x):
    for f in (interp_number, interp_number_bounds):
        got = f(x, XP, FP)
        want = f.py_func(x, XP, FP)
        assert type(got) is float
        assert got == want or (got != got and want != want), (x, got, want)


def test_interp_of_a_number_with_one_point_is_numpys():
    xp, fp = np.array([2.0]), np.array([5.0])
    for x in (1.0, 2.0, 3.0, float("nan")):
        got, want = interp_number(x, xp, fp), interp_number.py_func(x, xp, fp)
        assert got == want or (got != got and want != want)


@jit
def at_least(a):
    return np.atleast_1d(a), np.atleast_2d(a), np.atleast_3d(a)


@pytest.mark.parametrize(
    "a",
    [3.5, 2, True, np.arange(3.0), np.arange(6).reshape(2, 3), np.ones((2, 3, 4), np.float32), np.arange(8.0)[::2]],
    ids=lambda a: f"{type(a).__name__}{getattr(a, 'shape', '')}",
)
def test_atleast_nd_is_numpys(a):
    for got, want in zip(at_least(a), at_least.py_func(a)):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_atleast_2d_of_a_1d_array_is_a_view():
    v = np.arange(4.0)[::2]
    at_least(v)[1][0, 1] = 99.0
    assert v[1] == 99.0


@jit
def item_alone(a):
    return a.item()


@jit
def item_at(a, k):
    return a.item(k)


@jit
def item_at_2(a, i, j):
    return a.item(i, j)


ITEM_ARRAYS = [
    np.array(2.5),
    np.array([7], np.int16),
    np.ones((1, 1), np.float32) * 0.1,
    np.arange(6.0).reshape(2, 3),
    np.arange(12, dtype=np.int64).reshape(3, 4)[::-1, ::2],
    np.asfortranarray(np.arange(6).reshape(2, 3)),
    np.array([True, False]),
]


def outcome(f, *args):
    try:
        return ("value", f(*args))
    except (ValueError, IndexError) as e:
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("a", ITEM_ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_item_is_numpys(a):
    # `.item()` of a size-1 array, NumPy's ValueError otherwise; `.item(k)` at every flat
    # position, negative ones and out of range; `.item(i, j)` of a 2-D array.
    got, want = outcome(item_alone, a), outcome(item_alone.py_func, a)
    assert got == want and type(got[1]) is type(want[1])
    for k in range(-a.size - 2, a.size + 2):
        assert outcome(item_at, a, k) == outcome(item_at.py_func, a, k), k
    if a.ndim == 2:
        for i in range(-a.shape[0], a.shape[0] + 1):
            for j in range(-a.shape[1], a.shape[1]):
                assert outcome(item_at_2, a, i, j) == outcome(item_at_2.py_func, a, i, j), (i, j)
