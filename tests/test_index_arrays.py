"""Indexing by an array (issue 17, item 5): a boolean mask of the array's shape (`a[a > 0]`,
`a[mask] = v`) and an integer array on the first axis (`x[idx]`, `x[idx] = v`), compared with
NumPy's answer for the same call on every kind of view, with NumPy's errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_arrays import arrays

from stickyjit import CompileError, njit


def masked(a, m):
    return a[m]


def positive(a):
    return a[a > 0]


def taken(a, idx):
    return a[idx]


def mask_store(a, m, v):
    a[m] = v
    return a


def index_store(a, idx, v):
    a[idx] = v
    return a


JIT = {f.__name__: njit(f) for f in [masked, positive, taken, mask_store, index_store]}


def same(expected, got):
    assert isinstance(got, np.ndarray)
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape)
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=300, deadline=None)
@given(arrays(), st.data())
def test_mask_reads_equal_numpy(a, data):
    m = data.draw(hnp.arrays(bool, a.shape))
    same(masked(a, m), JIT["masked"](a, m))
    # A mask that is itself a view (reversed) of another array.
    m2 = np.ascontiguousarray(m[::-1])[::-1]
    same(masked(a, m2), JIT["masked"](a, m2))
    same(positive(a), JIT["positive"](a))


@settings(max_examples=300, deadline=None)
@given(arrays(), st.sampled_from(["int64", "int32", "uint8", "int8", "uint64"]), st.data())
def test_integer_index_reads_equal_numpy(a, idx_dtype, data):
    n = a.shape[0]
    lo = -n if np.dtype(idx_dtype).kind == "i" else 0
    if n == 0:
        idx = np.zeros(0, idx_dtype)
    else:
        shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4))
        idx = data.draw(hnp.arrays(idx_dtype, shape, elements=st.integers(max(lo, -128), min(n - 1, 127))))
    same(taken(a, idx), JIT["taken"](a, idx))


@settings(max_examples=300, deadline=None)
@given(arrays(ndim=None, dtypes=["int16", "int64", "float32", "float64", "bool", "uint64"]), st.data())
def test_mask_stores_equal_numpy(a, data):
    if not a.flags.writeable:
        a = a.copy()
    m = data.draw(hnp.arrays(bool, a.shape))
    kind = data.draw(st.sampled_from(["number", "array", "one"]))
    if kind == "number":
        v = data.draw(st.integers(0 if a.dtype.kind == "u" else -100, 100))
    else:
        length = 1 if kind == "one" else int(m.sum())
        v = data.draw(
            hnp.arrays(a.dtype, length, elements=st.integers(0, 1) if a.dtype == bool else st.integers(0, 50))
        )
    want, got = a.copy(), a.copy()
    mask_store(want, m, v)
    JIT["mask_store"](got, m, v)
    same(want, got)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.sampled_from(["int64", "float64", "int32"]), st.data())
def test_integer_index_stores_equal_numpy(n, dtype, data):
    a = np.arange(n, dtype=dtype)
    # Distinct positions (NumPy leaves the order of repeated stores unspecified), some negative.
    positions = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.booleans()), unique_by=lambda t: t[0], max_size=n)
    )
    idx = np.array([p - n if negative else p for p, negative in positions], dtype=np.int64)
    kind = data.draw(st.sampled_from(["number", "array", "one"]))
    v = 7 if kind == "number" else np.arange(100, 100 + (1 if kind == "one" else len(idx)), dtype=dtype)
    want, got = a.copy(), a.copy()
    index_store(want, idx, v)
    JIT["index_store"](got, idx, v)
    same(want, got)


def test_a_2d_array_indexed_by_an_integer_array_gives_rows():
    a = np.arange(12.0).reshape(4, 3)
    idx = np.array([[3, 0], [-1, 1]])
    same(taken(a, idx), JIT["taken"](a, idx))
    want, got = a.copy(), a.copy()
    index_store(want, np.array([0, 2]), -1.0)
    JIT["index_store"](got, np.array([0, 2]), -1.0)
    same(want, got)


def test_stores_see_positions_and_values_as_they_were_before_the_store():
    # `x[x] = 5` reads every position before writing (a store in place would index with 5).
    x, y = np.array([1, 2, 0]), np.array([1, 2, 0])
    index_store(x, x, 5)
    JIT["index_store"](y, y, 5)
    same(x, y)
    # The value overlaps the array being written: through an integer array NumPy reads it
    # whole first; through a mask it stores as it reads (a later value sees an earlier store).
    for store, index in (("index_store", lambda a: np.array([3, 4, 5])), ("mask_store", lambda a: a > 2)):
        a, b = np.arange(6.0), np.arange(6.0)
        {"index_store": index_store, "mask_store": mask_store}[store](a, index(a), a[::-1][:3])
        JIT[store](b, index(b), b[::-1][:3])
        same(a, b)


def azimint_naive(data, radius, npt):
    rmax = radius.max()
    res = np.zeros(npt, dtype=np.float64)
    for i in range(npt):
        r1 = rmax * i / npt
        r2 = rmax * (i + 1) / npt
        mask_r12 = np.logical_and((r1 <= radius), (radius < r2))
        values_r12 = data[mask_r12]
        res[i] = values_r12.mean()
    return res


def test_npbench_azimint_naive():
    rng = np.random.default_rng(1)
    data, radius = rng.random(2000), rng.random(2000)
    np.testing.assert_allclose(njit(azimint_naive)(data, radius, 50), azimint_naive(data, radius, 50), rtol=1e-12)


BAD_CALLS = [
    (taken, lambda: (np.arange(3.0), np.array([3]))),
    (taken, lambda: (np.arange(3.0), np.array([-4]))),
    (masked, lambda: (np.arange(3.0), np.array([True, False]))),
    (mask_store, lambda: (np.arange(3.0), np.array([True, True, False]), np.arange(3.0))),
    (index_store, lambda: (np.arange(3.0), np.array([0, 1]), np.arange(3.0))),
    (index_store, lambda: (np.arange(3.0), np.array([5]), 1.0)),
]


@pytest.mark.parametrize(("f", "args"), BAD_CALLS)
def test_bad_indices_and_lengths_raise_numpys_exception_class(f, args):
    with pytest.raises((IndexError, ValueError)) as want:
        f(*args())
    with pytest.raises(type(want.value)):
        JIT[f.__name__](*args())


def read_only(a, m):
    a[m] = 1.0


def test_store_into_a_read_only_array_is_numpys_value_error():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        njit(read_only)(a, np.array([False, False, False]))


def float_index(a, f):
    return a[f]


def mask_aug(a, m, v):
    a[m] += v
    a[a > 50] *= 2
    return a


def index_aug(a, idx, v):
    a[idx] -= v
    return a


@settings(max_examples=200, deadline=None)
@given(arrays(dtypes=["int16", "int64", "float32", "float64"]), st.data())
def test_augmented_assignment_through_a_mask_equals_numpy(a, data):
    if not a.flags.writeable:
        a = a.copy()
    m = data.draw(hnp.arrays(bool, a.shape))
    v = data.draw(st.integers(0, 40))
    want, got = a.copy(), a.copy()
    mask_aug(want, m, v)
    njit(mask_aug)(got, m, v)
    same(want, got)


def test_augmented_assignment_through_integer_indices_equals_numpy():
    # A repeated position: NumPy gathers, operates and stores back, so it is decremented once.
    for a, idx, v in [
        (np.arange(6.0), np.array([1, 1, -1]), 2.5),
        (np.arange(12).reshape(4, 3), np.array([3, 0]), np.array([1, 2, 3])),
        (np.arange(5), np.array([0, 4]), np.array([7, 8])),
    ]:
        want, got = a.copy(), a.copy()
        index_aug(want, idx, v)
        njit(index_aug)(got, idx, v)
        same(want, got)


def test_unsupported_forms_are_compile_errors():
    with pytest.raises(CompileError, match="integer"):
        njit(float_index)(np.zeros(3), np.zeros(2))
    with pytest.raises(CompileError, match="too many indices for array"):
        njit(masked)(np.zeros(3), np.zeros((3, 2), bool))
    with pytest.raises(CompileError, match="a mask of a's shape"):
        njit(mask_store)(np.zeros((3, 2)), np.ones(3, bool), np.zeros(2))


def mask_rows_aug(a, m, v):
    a[m] *= v
    return a


@settings(max_examples=200, deadline=None)
@given(arrays(dtypes=["int16", "int64", "float32", "float64", "bool"]), st.data())
def test_a_mask_of_the_first_axes_selects_sub_arrays_as_numpy(a, data):
    # `a[m]` with `m` of the shape of a's first k axes: the selected rows (sub-arrays), read,
    # stored into with a number, and updated in place.
    k = data.draw(st.integers(1, a.ndim))
    m = data.draw(hnp.arrays(bool, a.shape[:k]))
    same(masked(a, m), JIT["masked"](a, m))
    if not a.flags.writeable:
        a = a.copy()
    v = data.draw(st.integers(0, 1) if a.dtype == bool else st.integers(0, 9))
    want, got = a.copy(), a.copy()
    mask_store(want, m, v)
    JIT["mask_store"](got, m, v)
    same(want, got)
    if a.dtype != bool:
        want, got = a.copy(), a.copy()
        mask_rows_aug(want, m, v)
        njit(mask_rows_aug)(got, m, v)
        same(want, got)


def test_a_mask_of_the_first_axes_of_another_length_is_numpys_index_error():
    with pytest.raises(IndexError):
        masked(np.ones((3, 4)), np.ones(4, bool))
    with pytest.raises(IndexError, match="boolean index did not match"):
        JIT["masked"](np.ones((3, 4)), np.ones(4, bool))
    with pytest.raises(IndexError, match="boolean index did not match"):
        JIT["mask_store"](np.ones((3, 4)), np.ones(2, bool), 1.0)


def columns(a, idx):
    return a[:, idx]


def middle(a, idx):
    return a[:, idx, :]


def last_of_three(a, idx):
    return a[:, :, idx] * 2


def rows_written_out(a, idx):
    return a[idx, :]


ALONG = {f.__name__: njit(f) for f in [columns, middle, last_of_three, rows_written_out]}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["float64", "float32", "int64", "int16", "uint8", "bool"]),
    hnp.array_shapes(min_dims=3, max_dims=3, min_side=0, max_side=4),
    st.sampled_from(["int64", "int32", "uint8"]),
    st.data(),
)
def test_an_index_array_among_full_slices_gathers_along_its_axis_as_numpy(dtype, shape, idx_dtype, data):
    """`a[:, idx]`, `a[:, idx, :]`, `a[:, :, idx]`, `a[idx, :]`: NumPy's one advanced index, which
    keeps its place (the result's axes: a's before it, the index array's, a's after it); an index
    array of any shape and integer dtype, negative positions counting from the end, a position
    out of range NumPy's IndexError with its message."""
    a = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    for name, ndim, axis in (("columns", 2, 1), ("middle", 3, 1), ("last_of_three", 3, 2), ("rows_written_out", 2, 0)):
        x = a if ndim == 3 else a.reshape(shape[0], shape[1] * shape[2])
        size = x.shape[axis]
        lo = -size if idx_dtype != "uint8" else 0
        idx = data.draw(
            hnp.arrays(
                idx_dtype,
                hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=3),
                elements=st.integers(lo, size),
            )
        )
        try:
            want = globals()[name](x, idx)
        except IndexError as e:
            with pytest.raises(IndexError, match=str(e).replace("(", r"\(").replace(")", r"\)")):
                ALONG[name](x, idx)
            continue
        same(want, ALONG[name](x, idx))
