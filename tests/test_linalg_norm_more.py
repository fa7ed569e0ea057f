"""np.linalg.norm with ord='fro' and ord='nuc', and the default norm of complex arrays, against
NumPy's own answer: 'nuc' is NumPy's bit for bit (the same dgesdd/zgesdd, NumPy's pairwise sum of
the singular values); 'fro' is the default norm of a matrix (NumPy's own fast path), NumPy's to
rounding (small dot products are summed by stickyjit's loops where NumPy calls BLAS)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, njit


@njit
def norm(x):
    return np.linalg.norm(x)


@njit
def fro(x):
    return np.linalg.norm(x, "fro")


@njit
def fro_keyword(x):
    return np.linalg.norm(x, ord="fro", axis=None)


@njit
def nuc(x):
    return np.linalg.norm(x, "nuc")


DTYPES = [np.float64, np.float32, np.int64, np.complex128, np.complex64]


def sample(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * 3
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def rtol(dtype):
    return 1e-5 if dtype in (np.float32, np.complex64) else 1e-13


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 12), st.integers(0, 12), st.sampled_from(DTYPES), st.integers(0, 2**32 - 1))
def test_fro_and_nuc_match_numpy(m, n, dtype, seed):
    x = sample((m, n), dtype, seed)
    for v in (x, x.T, x[::-1], np.asfortranarray(x)):
        got = nuc(v)
        want = np.linalg.norm(v, "nuc")
        assert type(got) is float and got == want, (got, want)
        got = fro(v)
        assert type(got) is float and got == norm(v) == fro_keyword(v)
        assert got == pytest.approx(float(np.linalg.norm(v, "fro")), rel=rtol(dtype), abs=0)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_default_norm_of_complex_arrays(dtype):
    for shape in ((0,), (5,), (40,), (3, 4), (30, 40), (2, 3, 4)):
        x = sample(shape, dtype, 7)
        got = norm(x)
        want = np.linalg.norm(x)
        assert type(got) is float
        assert got == pytest.approx(float(want), rel=rtol(dtype), abs=0)
    # Above the BLAS cut-off, read in place: NumPy's own dot products of the parts.
    x = sample((64, 64), dtype, 8)
    assert norm(x) == np.linalg.norm(x)


def test_fro_and_nuc_of_vectors_and_with_an_axis_are_compile_errors():
    # NumPy: ValueError ("Invalid norm order 'fro' for vectors"); the dimensions are known when
    # compiling.
    with pytest.raises(ValueError):
        np.linalg.norm(np.ones(3), "fro")
    with pytest.raises(CompileError, match="takes a 2-D array"):
        fro(np.ones(3))
    with pytest.raises(CompileError, match="takes a 2-D array"):
        nuc(np.ones(3))

    @njit
    def fro_axis(x):
        return np.linalg.norm(x, "fro", 0)

    @njit
    def other(x):
        return np.linalg.norm(x, "max")

    with pytest.raises(CompileError, match="'fro' is not compiled here"):
        fro_axis(np.ones((2, 2)))
    with pytest.raises(CompileError, match="'max' is not compiled here"):
        other(np.ones((2, 2)))
