"""Numba's `@stencil` (librosa applies three at import: its local maxima, zero crossings and
pitch interpolation): the kernel, run by CPython at every element whose neighborhood lies
inside the arrays with its arrays read at indices relative to that element, is the oracle; the
other elements are `cval`, and the result has the kernel's return dtype.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import stickyjit
from stickyjit import guvectorize, jit, stencil


class _At:
    """An array read at indices relative to `at` (what a stencil kernel's array is)."""

    def __init__(self, a, at):
        self.a, self.at = a, at

    def __getitem__(self, k):
        k = k if isinstance(k, tuple) else (k,)
        return self.a[tuple(i + d for i, d in zip(self.at, k))]


def reference(kernel, arrays, reach, cval, dtype, standard=()):
    """CPython applying `kernel` where every index `reach` (per axis, (low, high)) lies inside."""
    shape = arrays[0].shape
    out = np.full(shape, cval, dtype=dtype)
    for at in np.ndindex(*shape):
        if all(-lo <= i < n - hi for i, n, (lo, hi) in zip(at, shape, reach)):
            args = [a if k in standard else _At(a, at) for k, a in enumerate(arrays)]
            out[at] = kernel(*args)
    return out


def same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def localmax(x):
    return (x[0] > x[-1]) & (x[0] >= x[1])


def parabolic(x):
    a = x[1] + x[-1] - 2 * x[0]
    b = (x[1] - x[-1]) / 2
    if np.abs(b) >= np.abs(a):
        return 0
    return -b / a


def four_neighbors(a, b):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0]) + b[0, 0]


def window_sum(a):
    s = 0.0
    for k in range(-2, 3):
        s += a[k]
    return s


def weighted(a, w):
    return a[-1] * w[0] + a[0] * w[1] + a[1] * w[2]


def forward(a):
    return a[0] + a[1]


floats_1d = hnp.arrays(np.float64, st.integers(0, 12), elements=st.floats(-10, 10))


@settings(max_examples=60, deadline=None)
@given(floats_1d)
def test_a_one_dimensional_kernel_of_bools(x):
    same(stencil(localmax)(x), reference(localmax, [x], [(-1, 1)], 0, np.bool_))


@settings(max_examples=60, deadline=None)
@given(floats_1d)
def test_returns_of_an_int_and_a_float_give_a_float_result(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        want = reference(parabolic, [x], [(-1, 1)], 0, np.float64)
    same(stencil(parabolic)(x), want)


@pytest.mark.parametrize("shape", [(4, 5), (1, 3), (3, 3), (6, 2)])
def test_two_dimensions_two_arrays_and_cval(shape):
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) ** 1.5
    b = np.ones(shape)
    got = stencil(cval=-1.0)(four_neighbors)(a, b)
    same(got, reference(four_neighbors, [a, b], [(-1, 1), (-1, 1)], -1.0, np.float64))


def test_neighborhood_for_an_index_that_is_not_a_constant():
    x = np.arange(9.0) ** 2
    got = stencil(neighborhood=((-2, 2),))(window_sum)(x)
    same(got, reference(window_sum, [x], [(-2, 2)], 0, np.float64))


def test_standard_indexing_reads_an_array_at_plain_indices():
    x, w = np.arange(7.0), np.array([1.0, -2.0, 0.5])
    got = stencil(standard_indexing=("w",))(weighted)(x, w)
    same(got, reference(weighted, [x, w], [(-1, 1)], 0, np.float64, standard=(1,)))


def test_int_arrays_keep_their_dtype_and_a_one_sided_reach():
    x = np.arange(6)
    same(stencil(forward)(x), reference(forward, [x], [(0, 1)], 0, np.int64))


LOCALMAX = stencil(localmax)


@jit
def count_peaks(x):
    return LOCALMAX(x).sum()


@guvectorize("void(float64[:], bool_[:])", "(n)->(n)")
def peaks_of_rows(x, y):
    # librosa's `_localmax`: a stencil called from a gufunc kernel.
    y[:] = LOCALMAX(x)


def test_called_from_jitted_code_and_from_a_gufunc():
    x = np.random.default_rng(0).random((3, 9))
    assert count_peaks(x[0]) == reference(localmax, [x[0]], [(-1, 1)], 0, np.bool_).sum()
    want = np.stack([reference(localmax, [row], [(-1, 1)], 0, np.bool_) for row in x])
    same(peaks_of_rows(x), want)


def test_a_stencil_is_a_jitted_function():
    assert isinstance(LOCALMAX, stickyjit.Dispatcher)
    assert LOCALMAX.__name__ == "localmax"


def variable_index(a, k):
    return a[k]


def no_relative_read(a):
    return 1.0


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: stencil(variable_index), "give neighborhood="),
        (lambda: stencil(no_relative_read), "reads none of its arrays at a relative index"),
        (lambda: stencil("wrap"), "only 'constant' is"),
        (lambda: stencil(neighborhood=((-1, 1), (0, 1)))(localmax), "for each of the 1 dimensions"),
    ],
)
def test_bad_stencils_are_errors_at_decoration(make, says):
    with pytest.raises((ValueError, TypeError), match=None) as info:
        make()
    assert says in str(info.value)
