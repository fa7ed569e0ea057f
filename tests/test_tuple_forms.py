"""Tuples as real code uses them (survey 5: sktime, librosa), each checked against CPython
running the same function: a tuple of arrays of different layouts indexed or walked at run
time (`np.concatenate((zero_arr, x[i, :]))`), numbers written out stored into a slice
(`v[:-1] = (a, b)`), `np.array(t)` of a tuple value, and a returned tuple whose item is `None`
on one path (`return None, counts`).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import jit


def assert_same(got, want):
    """Equal values, and for arrays equal shapes and dtypes, item by item through tuples."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    elif want is None:
        assert got is None
    else:
        assert got == want


# ---- a tuple of arrays of different layouts ----------------------------------------------


def pad_rows(x):
    # sktime's pad_ts: a C array beside a row view.
    zero_arr = np.array([0.0])
    out = np.zeros((x.shape[0], x.shape[1] + 1))
    for i in range(x.shape[0]):
        out[i, :] = np.concatenate((zero_arr, x[i, :]))
    return out


def concatenate_and_stack(x):
    z = np.zeros(x.shape[1])
    return (
        np.concatenate((z, x[0, :], x[:, 1], x.T[0])),
        np.stack((x[0, :], x[-1, ::-1], z)),
        np.vstack((z, x[1])),
    )


def walk_mixed_layouts(x):
    s = 0.0
    k = 0
    for a in (x[0], x[:, 0], x.T[1], x[1, ::2]):
        s += a.sum() * (k + 1) + a[0]
        k += 1
    return s


def pick_at_run_time(x, i):
    t = (x[0], x[:, 0], np.ones(3))
    return t[i].copy(), t[-1 - i][1]


@pytest.mark.parametrize("f", [pad_rows, concatenate_and_stack, walk_mixed_layouts])
def test_tuple_of_arrays_of_different_layouts(f):
    x = np.arange(12.0).reshape(4, 3) * 0.5 - 1.0
    x = x[:3]  # 3 x 3, so that rows and columns are alike in length
    assert_same(jit(f)(x), f(x))


@given(st.integers(-3, 2))
@settings(max_examples=20, deadline=None)
def test_variable_index_into_a_tuple_of_mixed_layouts(i):
    x = np.arange(9.0).reshape(3, 3)
    assert_same(jit(pick_at_run_time)(x, i), pick_at_run_time(x, i))


def test_index_out_of_range_into_a_tuple_of_mixed_layouts():
    x = np.arange(9.0).reshape(3, 3)
    with pytest.raises(IndexError):
        pick_at_run_time(x, 3)
    with pytest.raises(IndexError):
        jit(pick_at_run_time)(x, 3)


def mixed_dtypes(x, i):
    t = (x, x.astype(np.int64))
    return t[i]


def test_tuple_of_arrays_of_different_dtypes_stays_an_error():
    with pytest.raises(Exception, match="mixed types"):
        jit(mixed_dtypes)(np.ones(2), 0)


# ---- numbers written out, stored into a slice --------------------------------------------


def rqa_step(a, b):
    # librosa's __rqa_dp: `score_values[:-1] = (score[i - 1, j - 1], score[i - 1, j - 2])`.
    v = np.zeros(3)
    v[:-1] = (a, b)
    return v


def list_into_slice(a, n):
    v = np.full(5, -1, dtype=np.int64)
    v[1:4] = [n, 2 * n, a > 0]
    w = np.zeros((3, 3))
    w[0, :] = (a, n, 1)
    w[1:, 1:] = ((a, 2.0), (3, n))
    w[:, 0] = [7, 8, 9]
    return v, w


def too_many(a, b):
    v = np.zeros(3)
    v[:2] = (a, b, a)
    return v


@given(st.floats(-1e6, 1e6), st.integers(-1000, 1000))
@settings(max_examples=30, deadline=None)
def test_numbers_written_out_into_a_slice(a, n):
    assert_same(jit(rqa_step)(a, float(n)), rqa_step(a, float(n)))
    assert_same(jit(list_into_slice)(a, n), list_into_slice(a, n))


def test_numbers_written_out_of_the_wrong_length():
    with pytest.raises(ValueError) as want:
        too_many(1.0, 2.0)
    with pytest.raises(ValueError) as got:
        jit(too_many)(1.0, 2.0)
    assert "broadcast" in str(got.value) and "broadcast" in str(want.value)


# ---- np.array of a tuple value -----------------------------------------------------------


def array_of_tuple(a, n):
    t = (a, n, True)
    u = (n, n)
    return np.array(t), np.asarray(u), np.array(t, dtype=np.float32), np.array(u, np.int8), np.array((n, a)) * 2


@given(st.floats(-1e6, 1e6), st.integers(-100, 100))
@settings(max_examples=30, deadline=None)
def test_array_of_a_tuple_value(a, n):
    assert_same(jit(array_of_tuple)(a, n), array_of_tuple(a, n))


# ---- a returned tuple whose item is None on one path -------------------------------------


def unique_count(n):
    # sktime's unique_count: `return None, np.zeros(0, dtype=np.int_)` when empty.
    if n > 0:
        return np.ones(n), np.zeros(n, dtype=np.int_)
    return None, np.zeros(0, dtype=np.int_)


counted = jit(unique_count)


def use_optional_item(n):
    a, b = counted(n)
    if a is None:
        return -1.0, len(b)
    return a.sum() + b.sum(), len(b)


def optional_number(x):
    if x > 0:
        return x, 1
    return None, 0


@pytest.mark.parametrize("n", [0, 1, 4])
def test_returned_tuple_with_an_optional_item(n):
    assert_same(jit(unique_count)(n), unique_count(n))


@pytest.mark.parametrize("n", [0, 3])
def test_optional_item_unpacked_in_compiled_code(n):
    assert_same(jit(use_optional_item)(n), use_optional_item(n))


@pytest.mark.parametrize("x", [-2.5, 0.0, 3.25])
def test_optional_number_in_a_returned_tuple(x):
    assert_same(jit(optional_number)(x), optional_number(x))


def membership(n, with_distances):
    # umap's compute_membership_strengths: `return rows, cols, vals, dists` where dists is
    # None unless asked for (None on every path of this specialization).
    rows = np.arange(n)
    vals = np.ones(n) * 0.5
    dists = None
    if with_distances:
        dists = vals * 2
    return rows, vals, dists


def all_none(n):
    return n, None, (None, n)


@pytest.mark.parametrize("flag", [False, True])
def test_returned_tuple_with_a_none_item(flag):
    assert_same(jit(membership)(3, flag), membership(3, flag))
    assert_same(jit(all_none)(2), all_none(2))
