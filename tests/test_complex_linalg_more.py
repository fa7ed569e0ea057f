"""np.linalg of complex matrices beyond inv/solve/det/slogdet: cholesky (`zpotrf`), eigh and
eigvalsh (`zheevd`), svd, svdvals, matrix_rank and cond (`zgesdd`), qr (`zgeqrf` + `zungqr`), pinv (NumPy's steps on `zgesdd`'s factors), lstsq (`zgelsd`) called as NumPy's `umath_linalg` calls them, so NumPy's bit for bit
(complex64 computed in complex128 and rounded, as NumPy); matrix_power by NumPy's products
(bit for bit where NumPy and stickyjit both call BLAS's zgemm); NumPy's errors in child
processes."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_complex_linalg import run_child

from stickyjit import njit


@njit
def cholesky(a):
    return np.linalg.cholesky(a)


@njit
def eigh(a):
    return np.linalg.eigh(a)


@njit
def eigvalsh(a):
    return np.linalg.eigvalsh(a)


@njit
def svd(a):
    return np.linalg.svd(a)


@njit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@njit
def svd_values(a):
    return np.linalg.svd(a, compute_uv=False)


@njit
def svdvals(a):
    return np.linalg.svdvals(a)


@njit
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@njit
def matrix_rank_tol(a, tol):
    return np.linalg.matrix_rank(a, tol)


@njit
def qr(a):
    return np.linalg.qr(a)


@njit
def pinv(a):
    return np.linalg.pinv(a)


@njit
def pinv_rcond(a, rcond):
    return np.linalg.pinv(a, rcond)


@njit
def lstsq(a, b):
    return np.linalg.lstsq(a, b)


@njit
def lstsq_rcond(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond)


@njit
def cond(a):
    return np.linalg.cond(a)


@njit
def matrix_power(a, k):
    return np.linalg.matrix_power(a, k)


def exactly(got, want):
    assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, (got, want)
    np.testing.assert_array_equal(got, want)


def hermitian(n, dtype, seed):
    """A Hermitian positive definite matrix."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
    return (z @ z.conj().T + n * np.eye(n)).astype(dtype)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 12), st.sampled_from([np.complex128, np.complex64]), st.integers(0, 2**32 - 1))
def test_cholesky_eigh_eigvalsh_match_numpy_bit_for_bit(n, dtype, seed):
    h = hermitian(n, dtype, seed)
    for m in (h, np.asfortranarray(h), h.T, h[::-1, ::-1]):
        exactly(cholesky(m), np.linalg.cholesky(m))
        w, v = eigh(m)
        want = np.linalg.eigh(m)
        exactly(w, want.eigenvalues)
        exactly(v, want.eigenvectors)
        exactly(eigvalsh(m), np.linalg.eigvalsh(m))


def test_eigh_reads_the_lower_triangle_only():
    h = hermitian(6, np.complex128, 3)
    junk = h.copy()
    junk[np.triu_indices(6, 1)] = 99 + 7j
    exactly(eigvalsh(junk), np.linalg.eigvalsh(junk))
    exactly(cholesky(junk), np.linalg.cholesky(junk))


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_matrix_power_of_complex_matrices(dtype):
    small = hermitian(4, dtype, 1) / 4
    big = hermitian(32, dtype, 2) / 32
    for k in (-3, -1, 0, 1, 2, 3, 6):
        # 32 x 32: BLAS's zgemm in both (bit for bit); 4 x 4: stickyjit's loops, NumPy's BLAS.
        exactly(matrix_power(big, k), np.linalg.matrix_power(big, k))
        got, want = matrix_power(small, k), np.linalg.matrix_power(small, k)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.complex64 else 1e-13)


def test_errors_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def cholesky(a):
            return np.linalg.cholesky(a)
        @stickyjit.njit
        def mp(a, k):
            return np.linalg.matrix_power(a, k)
        @stickyjit.njit
        def eigh(a):
            return np.linalg.eigh(a)
        def both(f, g, *args):
            try:
                g(*args)
            except Exception as e:
                want = e
            try:
                f(*args)
            except Exception as e:
                assert type(e) is type(want) and str(e) == str(want), (e, want)
            else:
                raise AssertionError("no error")
        not_pd = np.array([[1, 2j], [-2j, 1]])
        both(cholesky, np.linalg.cholesky, not_pd)
        both(cholesky, np.linalg.cholesky, np.ones((2, 3), complex))
        both(eigh, np.linalg.eigh, np.ones((2, 3), complex))
        both(mp, np.linalg.matrix_power, np.zeros((2, 2), complex), -1)
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"


def test_matrix_power_3_multiplies_as_numpy():
    """NumPy computes a**3 as (a @ a) @ a (not by binary decomposition): bit for bit in BLAS."""
    a = np.random.default_rng(5).standard_normal((32, 32)) / 8
    for m in (a, a.astype(np.complex128) * (1 - 0.5j)):
        exactly(matrix_power(m, 3), np.linalg.matrix_power(m, 3))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.sampled_from([np.complex128, np.complex64]), st.integers(0, 2**32 - 1))
def test_svd_svdvals_matrix_rank_cond_match_numpy_bit_for_bit(m, n, dtype, seed):
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal((m, n)) + 1j * rng.standard_normal((m, n))).astype(dtype)
    if m > 1 and n > 1 and seed % 3 == 0:
        a[:, 0] = a[:, 1] * (2 - 1j)  # rank deficient
    for x in (a, a.T, np.asfortranarray(a)[::-1]):
        for ours, theirs in ((svd, np.linalg.svd), (svd_reduced, lambda z: np.linalg.svd(z, full_matrices=False))):
            got, want = ours(x), theirs(x)
            for g, w in zip(got, want):
                exactly(g, w)
        exactly(svd_values(x), np.linalg.svd(x, compute_uv=False))
        for g, w in zip(qr(x), np.linalg.qr(x)):
            exactly(g, w)
        exactly(svdvals(x), np.linalg.svdvals(x))
        assert matrix_rank(x) == np.linalg.matrix_rank(x)
        assert matrix_rank_tol(x, 0.5) == np.linalg.matrix_rank(x, 0.5)
        if min(m, n) > 0:
            got, want = cond(x), np.linalg.cond(x)
            assert type(got) is float and (got == want or (np.isnan(got) and np.isnan(want))), (got, want)


def test_svd_errors_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def svd(a):
            return np.linalg.svd(a)
        @stickyjit.njit
        def cond(a):
            return np.linalg.cond(a)
        for f, g, a in ((svd, np.linalg.svd, np.array([[np.nan, 1j], [0, 1]])),
                        (cond, np.linalg.cond, np.zeros((0, 2), complex))):
            try:
                g(a)
            except Exception as e:
                want = e
            try:
                f(a)
            except Exception as e:
                assert type(e) is type(want) and str(e) == str(want), (e, want)
            else:
                raise AssertionError("no error")
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_pinv_of_complex_matrices(dtype):
    rng = np.random.default_rng(11)
    for shape in ((0, 3), (3, 0), (40, 30), (30, 40), (5, 5), (4, 7), (7, 3)):
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
        if min(shape) > 1:
            a[:, 0] = a[:, 1]  # rank deficient: a singular value below the cut-off
        for x in (a, a.T, a[::-1]):
            want = np.linalg.pinv(x)
            got = pinv(x)
            if min(shape) >= 30:
                # The final product above the BLAS cut-off: zgemm in both, bit for bit.
                exactly(got, want)
                exactly(pinv_rcond(x, 0.3), np.linalg.pinv(x, 0.3))
            else:
                # Below it, stickyjit's loops where NumPy calls BLAS: to rounding.
                assert got.dtype == want.dtype and got.shape == want.shape
                np.testing.assert_allclose(got, want, rtol=1e-4 if dtype == np.complex64 else 1e-12, atol=1e-6)


def same_lstsq(got, want):
    x, resid, rank, s = got
    exactly(x, want[0])
    exactly(resid, want[1])
    assert type(rank) is int and rank == want[2]
    exactly(s, want[3])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 7),
    st.integers(0, 7),
    st.sampled_from(
        [
            (np.complex128, np.complex128),
            (np.complex64, np.complex64),
            (np.float64, np.complex128),
            (np.complex128, np.float64),
            (np.float32, np.complex64),
            (np.complex64, np.float64),
        ]
    ),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_lstsq_of_complex_systems_matches_numpy_bit_for_bit(m, n, dtypes, vector, seed):
    rng = np.random.default_rng(seed)

    def sample(shape, dtype):
        x = rng.standard_normal(shape)
        if np.dtype(dtype).kind == "c":
            x = x + 1j * rng.standard_normal(shape)
        return x.astype(dtype)

    a = sample((m, n), dtypes[0])
    b = sample((m,) if vector else (m, 2), dtypes[1])
    same_lstsq(lstsq(a, b), np.linalg.lstsq(a, b))
    same_lstsq(lstsq_rcond(a.T.copy().T, b, 0.5), np.linalg.lstsq(a, b, 0.5))
    if m > 1:
        same_lstsq(lstsq(a[::-1], b[::-1]), np.linalg.lstsq(a[::-1], b[::-1]))


def test_lstsq_incompatible_dimensions_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def lstsq(a, b):
            return np.linalg.lstsq(a, b)
        a, b = np.ones((3, 2), complex), np.ones(4, complex)
        try:
            np.linalg.lstsq(a, b)
        except Exception as e:
            want = e
        try:
            lstsq(a, b)
        except Exception as e:
            assert type(e) is type(want) and str(e) == str(want), (e, want)
        else:
            raise AssertionError("no error")
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"
