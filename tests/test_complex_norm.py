"""np.linalg.norm of complex arrays with a number as `ord` or an `axis`, against NumPy's own
answer: NumPy's formulas on `abs(x)` (its SIMD `absolute`: `larger * sqrt(1 + r*r)`, fused
where the CPU has FMA; the C library's `cabs` for a 1-D array of negative stride, as NumPy's
scalar loop) and on `(x.conj() * x).real` (fused as NumPy's complex product), with NumPy's
orders of additions: bit for bit, except generic powers (`abs(x) ** 3`: NumPy's SIMD pow, to
rounding) and 2-norms of short vectors (a dot product: stickyjit's loop below 32 elements,
NumPy's BLAS)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import njit


@njit
def norm_ord(x, ord):
    return np.linalg.norm(x, ord)


@njit
def norm_axis_only(x, axis):
    return np.linalg.norm(x, axis=axis)


def norm_axis(x, _none, axis):
    """norm(x, axis=axis) (ord left out), called as NumPy's norm(x, None, axis)."""
    return norm_axis_only(x, axis)


@njit
def norm_ord_axis(x, ord, axis):
    return np.linalg.norm(x, ord, axis)


DTYPES = [np.complex128, np.complex64]
VECTOR_ORDS = [1, 0, np.inf, -np.inf, -1, 0.5, 3, -2.5]
MATRIX_ORDS = [1, -1, 2, -2, np.inf, -np.inf]


def sample(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 4, shape) + 1j * rng.standard_normal(shape)
    x = x.astype(dtype)
    if x.size > 3:
        x.flat[3] = 0  # a zero element (ord 0 counts the others)
    return x


def views(x):
    """x, a strided view of it, reversed (1-D: a negative stride) and transposed."""
    big = np.zeros(tuple(2 * n for n in x.shape), x.dtype)
    big[tuple(slice(None, None, 2) for _ in x.shape)] = x
    out = [x, big[tuple(slice(None, None, 2) for _ in x.shape)]]
    if x.shape[0] != 1:
        # (One element reversed is C-contiguous to stickyjit, which reads it with a positive
        # stride: NumPy's SIMD absolute where NumPy takes its scalar loop, docs/language.md.)
        out.append(x[::-1])
    if x.ndim == 2:
        out += [x.T, np.asfortranarray(x), x[:, ::-1]]
    return out


def same(ours, args, ord, short=False):
    """ours(*args) is NumPy's `norm(*args)`: a float (NumPy's 0-d result) or an array of
    NumPy's dtype and shape, bit for bit unless `ord` is a generic power or the 2-norm of a
    short vector; or NumPy's ValueError with its message."""
    try:
        with np.errstate(all="ignore"):
            want = np.linalg.norm(*args)
    except ValueError as e:
        with pytest.raises(ValueError) as got:
            ours(*args)
        assert str(got.value) == str(e)
        return
    with np.errstate(all="ignore"):
        got = ours(*args)
    want = np.asarray(want)
    if want.ndim == 0:
        assert type(got) is float, type(got)
        got = np.asarray(got, dtype=want.dtype)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
    if ord in (3, -2.5) or short:
        np.testing.assert_allclose(got, want, rtol=1e-5 if want.dtype == np.float32 else 1e-13)
    else:
        np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 70), st.sampled_from(DTYPES), st.integers(0, 2**32 - 1))
def test_vector_norms_are_numpys(n, dtype, seed):
    for x in views(sample((n,), dtype, seed)):
        for ord in VECTOR_ORDS:
            same(norm_ord, (x, ord), ord)
            same(norm_ord_axis, (x, ord, 0), ord)
        same(norm_ord, (x, 2), 2, short=n < 32)
        same(norm_axis, (x, None, -1), None)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from(DTYPES), st.integers(0, 2**32 - 1))
def test_matrix_norms_and_norms_along_an_axis_are_numpys(m, n, dtype, seed):
    for x in views(sample((m, n), dtype, seed)):
        for ord in MATRIX_ORDS:
            same(norm_ord, (x, ord), ord)
        for axis in (0, 1, -1, -2):
            same(norm_axis, (x, None, axis), None)
            for ord in VECTOR_ORDS:
                same(norm_ord_axis, (x, ord, axis), ord)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_special_values(dtype):
    nan, inf = np.nan, np.inf
    x = np.array(
        [complex(inf, nan), complex(nan, 1), complex(-0.0, -0.0), complex(0, -inf), complex(3, 4), 1e-30 + 1e-30j],
        dtype,
    )
    for v in (x, x[1:], x[2:], x[4:]):
        for ord in VECTOR_ORDS + [2]:
            same(norm_ord, (v, ord), ord, short=True)
    m = x.reshape(2, 3)
    for ord in MATRIX_ORDS[:2] + MATRIX_ORDS[4:]:
        same(norm_ord, (m, ord), ord)


def test_errors_are_numpys():
    m = sample((3, 3), np.complex128, 1)
    for args in ((m, 3), (m, 0)):
        with pytest.raises(ValueError) as want:
            np.linalg.norm(*args)
        with pytest.raises(ValueError) as got:
            norm_ord(*args)
        assert str(got.value) == str(want.value)
    with pytest.raises(ValueError) as want:
        np.linalg.norm(m, axis=2)
    with pytest.raises(ValueError) as got:
        norm_axis_only(m, 2)
    assert str(got.value) == str(want.value)
