"""`...` in an array's index (stumpy's `a[..., zone_start : zone_stop + 1] = val`): reads and
stores compared with NumPy's on the same arrays, C, Fortran and strided views of several
shapes; the forms not compiled are CompileErrors naming what to write instead."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit


def whole(a):
    return a[...]


def last_first(a):
    return a[..., 0]


def last_negative(a):
    return a[..., -1]


def last_slice(a):
    return a[..., 1:3]


def last_reversed(a):
    return a[..., ::-1]


def new_last(a):
    return a[..., None] * 2


def first_then(a):
    return a[0, ...]


def around(a):
    return a[1:, ..., 0]


def last_two(a):
    return a[..., 0, 1:]


READS = {
    f.__name__: njit(f)
    for f in [whole, last_first, last_negative, last_slice, last_reversed, new_last, first_then, around, last_two]
}


def views(a):
    yield a
    yield np.asfortranarray(a)
    yield a[::-1]
    if a.ndim > 1:
        yield a[:, ::2]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["float64", "int32", "bool"]), hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=4))
def test_reads_through_an_ellipsis_equal_numpy(dtype, shape):
    base = (np.arange(int(np.prod(shape))).reshape(shape) % 7).astype(dtype)
    for a in views(base):
        for name, f in READS.items():
            want = globals()[name](a)
            got = f(a)
            assert isinstance(got, np.ndarray), name
            assert (got.dtype, got.shape) == (want.dtype, want.shape), name
            np.testing.assert_array_equal(got, want, err_msg=name)


def test_a_read_through_an_ellipsis_is_a_view():
    def f(a):
        v = a[..., 1]
        v[0] = 99.0
        return a

    a = np.zeros((3, 4))
    assert njit(f)(a.copy())[0, 1] == f(a.copy())[0, 1] == 99.0


def test_an_ellipsis_taking_every_axis_gives_the_element():
    # NumPy gives a 0-d array there; compiled code gives its value (docs/language.md).
    def f(a):
        return a[..., 2]

    a = np.arange(5.0)
    assert njit(f)(a) == f(a)[()]


def exclusion_zone(a, idx, excl_zone, val):
    zone_start = max(0, idx - excl_zone)
    zone_stop = min(a.shape[-1], idx + excl_zone)
    a[..., zone_start : zone_stop + 1] = val


def fill_all(a, v):
    a[...] = v
    return a


def add_last(a, v):
    a[..., 0] += v
    return a


def first_row(a, v):
    a[0, ...] = v
    return a


@pytest.mark.parametrize("shape", [(10,), (3, 10), (2, 3, 10)])
@pytest.mark.parametrize("idx", [0, 4, 9])
def test_stumpys_exclusion_zone_equals_numpy(shape, idx):
    a = np.arange(float(np.prod(shape))).reshape(shape)
    want, got = a.copy(), a.copy()
    exclusion_zone(want, idx, 2, np.inf)
    njit(exclusion_zone)(got, idx, 2, np.inf)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 4)])
def test_stores_through_an_ellipsis_equal_numpy(shape):
    a = np.arange(float(np.prod(shape))).reshape(shape)
    for f, v in [
        (fill_all, 2.5),
        (fill_all, np.arange(shape[-1], dtype=float)),
        (add_last, 1.5),
        (first_row, -1.0),
    ]:
        want, got = a.copy(), a.copy()
        f(want, v)
        njit(f)(got, v)
        np.testing.assert_array_equal(got, want, err_msg=f.__name__)


def store_last(a, v):
    a[..., 0] = v
    return a


def add_window(y, t):
    # librosa's overlap-add: `y[..., a:b] += t[..., :n]`.
    y[..., 1:3] += t[..., :2]
    return y


@pytest.mark.parametrize(
    ("f", "a", "v"),
    [
        (store_last, np.zeros((3, 4)), np.arange(3.0)),
        (store_last, np.zeros((3, 4, 2)), np.arange(12.0).reshape(3, 4)),
        (store_last, np.zeros((3, 4, 2)), np.arange(4.0).reshape(1, 4)),  # broadcast along a size-1 axis
        (store_last, np.zeros((3, 4, 2)), np.asarray(5.0)),
        (add_window, np.zeros((2, 4)), np.arange(6.0).reshape(2, 3)),
        (add_window, np.zeros((2, 3, 4)), np.ones((2, 3, 3))),
    ],
)
def test_an_array_of_the_targets_axes_stored_through_items_after_an_ellipsis(f, a, v):
    want, got = a.copy(), a.copy()
    f(want, v)
    njit(f)(got, v)
    np.testing.assert_array_equal(got, want)


def test_an_array_of_fewer_axes_than_the_target_after_an_ellipsis_is_a_compile_error():
    # NumPy matches it against the target's last axes; the transposed target would match its first.
    with pytest.raises(CompileError, match=r"write the axes out \(a\[:, i\] = v\)"):
        njit(store_last)(np.zeros((3, 4, 2)), np.ones(4))


def test_two_ellipses_and_an_ellipsis_as_a_value_are_compile_errors():
    def two(a):
        return a[..., 0, ...]

    def value():
        return ...

    with pytest.raises(CompileError, match="single ellipsis"):
        njit(two)(np.zeros((2, 2)))
    with pytest.raises(CompileError, match="Ellipsis"):
        njit(value)()


def contains(a, x):
    return x in a, x not in a


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["float64", "int64", "uint8", "bool", "float32"]),
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
    st.one_of(st.integers(-3, 12), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.just(2.5)),
)
def test_a_number_in_an_array_is_numpys_any_of_equals(dtype, shape, x):
    # stumpy's `if idx in I[...]`: NumPy's `(a == x).any()`, on views too.
    a = (np.arange(int(np.prod(shape))).reshape(shape) % 9).astype(dtype)
    for v in (a, a[::-1], np.asfortranarray(a)):
        assert njit(contains)(v, x) == contains(v, x)


def test_an_array_in_an_array_is_a_compile_error():
    with pytest.raises(CompileError, match="compares a number with its elements"):
        njit(contains)(np.zeros(3), np.zeros(2))
