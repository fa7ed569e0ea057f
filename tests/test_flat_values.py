"""`a.flat` as a value (numba-benchmark's iteration benchmarks): indexed and iterated (also in
`zip`) as the elements in C order. A store through it changes a C-contiguous `a`, as NumPy's;
through a non-contiguous `a`'s it raises NumPy's read-only error instead of being lost."""

from __future__ import annotations

import numpy as np
import pytest

from stickyjit import jit


@jit
def flat_reads(a, b):
    flat = a.flat
    t = flat[2] + flat[-1]
    for u, v in zip(a.flat, b.flat):
        t += u * v
    return t


@jit
def flat_write(a, i, v):
    a.flat[i] = v
    return a


@jit
def flat_sum(a):
    s = 0.0
    n = a.size
    for i in range(n):
        s += a.flat[i]
    return s


@pytest.mark.parametrize(
    "a",
    [
        np.arange(6).reshape(2, 3),
        np.arange(12.0).reshape(3, 4)[:, ::2],
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    ],
    ids=["C", "strided", "F"],
)
def test_reads_in_c_order(a):
    b = a + 1
    assert flat_reads(a, b) == flat_reads.py_func(a, b)
    assert flat_sum(a) == flat_sum.py_func(a)


def test_a_store_into_a_c_contiguous_array_is_seen():
    a, b = np.zeros((2, 3)), np.zeros((2, 3))
    flat_write(a, 4, 7.0)
    flat_write.py_func(b, 4, 7.0)
    np.testing.assert_array_equal(a, b)


def test_a_store_through_a_copy_raises_instead_of_being_lost():
    a = np.zeros((4, 4))[:, ::2]
    with pytest.raises(ValueError, match="read-only"):
        flat_write(a, 1, 7.0)
    assert not a.any()


def test_an_index_outside_is_an_index_error():
    with pytest.raises(IndexError):
        np.zeros((2, 2)).flat[9]  # noqa: B018 - NumPy's, for comparison
    with pytest.raises(IndexError):
        flat_write(np.zeros((2, 2)), 9, 1.0)
