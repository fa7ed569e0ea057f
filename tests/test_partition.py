"""np.partition and np.argpartition (umap's fast_knn_indices, sktime's median), checked against
NumPy on the same inputs: the elements at kth are NumPy's (a sort's), none larger before them
and none smaller after, and the errors are NumPy's. NumPy leaves the order of the other
elements to its introselect, so they are compared as the guarantee says, not position by
position.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import jit


def part(a, k):
    return np.partition(a, k)


def argpart(a, k):
    return np.argpartition(a, k)


def knn_indices(x, k):
    # umap's fast_knn_indices, for one row.
    return np.sort(x[np.argpartition(x, k)[:k]])


def two_kth(a):
    return np.partition(a, [1, 2])[..., 1], np.partition(a, (0, -1))[..., -1]


def check_partitioned(got, a, ks):
    want_sorted = np.sort(a, axis=-1)
    n = a.shape[-1]
    for k in ks:
        k = k % n
        np.testing.assert_array_equal(got[..., k], want_sorted[..., k])
        pivot = got[..., k : k + 1]
        before, after = got[..., :k], got[..., k + 1 :]
        # NaN sorts last; comparisons with a NaN pivot are vacuous.
        assert np.all((before <= pivot) | np.isnan(pivot))
        assert np.all((after >= pivot) | np.isnan(after))


arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
    elements=st.floats(-100, 100) | st.just(np.nan),
)


@given(arrays, st.data())
@settings(max_examples=60, deadline=None)
def test_partition_keeps_numpys_guarantee(a, data):
    n = a.shape[-1]
    k = data.draw(st.integers(-n, n - 1))
    got = jit(part)(a, k)
    assert got.shape == a.shape and got.dtype == a.dtype
    np.testing.assert_array_equal(np.sort(got, axis=-1), np.sort(a, axis=-1))
    check_partitioned(got, a, [k])
    idx = jit(argpart)(a, k)
    assert idx.dtype == np.intp and idx.shape == a.shape
    check_partitioned(np.take_along_axis(a, idx, axis=-1), a, [k])


@given(hnp.arrays(np.int64, st.integers(3, 20), elements=st.integers(-50, 50)), st.integers(1, 2))
@settings(max_examples=40, deadline=None)
def test_k_nearest_as_umap_takes_them(x, k):
    np.testing.assert_array_equal(jit(knn_indices)(x, k), knn_indices(x, k))


def test_several_kth():
    a = np.array([[3.0, 1.0, 2.0, 0.5], [9.0, -1.0, 4.0, 4.0]])
    got = jit(two_kth)(a)
    want = two_kth(a)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize(("a", "k"), [(np.arange(4.0), 5), (np.arange(4.0), -9), (np.arange(3), 3)])
def test_kth_out_of_bounds_is_numpys_error(a, k):
    for f in (part, argpart):
        with pytest.raises(ValueError) as want:
            f(a, k)
        with pytest.raises(ValueError) as got:
            jit(f)(a, k)
        assert str(got.value) == str(want.value)


def test_zero_dimensional_array_as_numpy():
    # np.partition of a 0-d array is NumPy's AxisError; np.argpartition takes its one element.
    a = np.array(3.0)
    with pytest.raises(ValueError) as want:
        part(a, 0)
    with pytest.raises(ValueError) as got:
        jit(part)(a, 0)
    assert str(got.value) == str(want.value)
    np.testing.assert_array_equal(jit(argpart)(a, 0), argpart(a, 0))
    with pytest.raises(ValueError) as want:
        argpart(a, 1)
    with pytest.raises(ValueError) as got:
        jit(argpart)(a, 1)
    assert str(got.value) == str(want.value)
