"""`np.linalg` of m x n matrices in compiled code: svd (full, reduced, singular values),
svdvals, qr, lstsq, pinv, matrix_rank and cond, checked against NumPy's own answer on the same
inputs (square, tall and wide; float64, float32 and integer; C order, Fortran order and
strided views; empty). They call the LAPACK routines NumPy calls (dgesdd, dgeqrf + dorgqr,
dgelsd) the way NumPy calls them, in float64 for float32 input too (as NumPy computes), so the
answers are NumPy's bit for bit, signs of singular vectors included."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, njit


@njit
def svd(a):
    return np.linalg.svd(a)


@njit
def svd_reduced(a):
    return np.linalg.svd(a, False)


@njit
def svd_keywords(a):
    return np.linalg.svd(a, full_matrices=False), np.linalg.svd(a, compute_uv=False), np.linalg.svdvals(a)


@njit
def qr(a):
    return np.linalg.qr(a)


@njit
def lstsq(a, b):
    return np.linalg.lstsq(a, b)


@njit
def lstsq_rcond(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond)


@njit
def pinv(a):
    return np.linalg.pinv(a)


@njit
def pinv_rcond(a, rcond):
    return np.linalg.pinv(a, rcond=rcond)


@njit
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@njit
def matrix_rank_tol(a, tol):
    return np.linalg.matrix_rank(a, tol)


@njit
def cond(a):
    return np.linalg.cond(a)


SHAPES = [(1, 1), (3, 3), (5, 3), (3, 5), (8, 2), (2, 8), (30, 20), (20, 30), (0, 3), (3, 0)]
DTYPES = [np.float64, np.float32, np.int64]


def matrix(shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-4, 5, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def layouts(a):
    """`a` in C order, Fortran order, and as a strided view (equal values)."""
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 2), a.dtype)
    big[::2, ::2] = a
    return [a, np.asfortranarray(a), big[::2, ::2]]


def exactly(got, want):
    """NumPy's answer bit for bit: the same dtype, shape and values (tuples item by item; a
    NumPy scalar as the Python number compiled code returns)."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            exactly(g, w)
        return
    want = np.asarray(want)
    if want.ndim == 0:
        assert not isinstance(got, np.ndarray)
        got = np.asarray(got, dtype=want.dtype)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_svd_and_qr_are_numpys_bit_for_bit(shape, dtype):
    for a in layouts(matrix(shape, dtype)):
        exactly(svd(a), tuple(np.linalg.svd(a)))
        exactly(svd_reduced(a), tuple(np.linalg.svd(a, False)))
        exactly(
            svd_keywords(a),
            (tuple(np.linalg.svd(a, full_matrices=False)), np.linalg.svd(a, compute_uv=False), np.linalg.svdvals(a)),
        )
        exactly(qr(a), tuple(np.linalg.qr(a)))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_lstsq_is_numpys_bit_for_bit(shape, dtype):
    m = shape[0]
    for a in layouts(matrix(shape, dtype)):
        for b in (matrix((m,), dtype, 1), matrix((m, 3), dtype, 2), matrix((m, 0), dtype, 3)):
            exactly(lstsq(a, b), tuple(np.linalg.lstsq(a, b)))
        b2 = matrix((m, 2), dtype, 4)
        for b in (b2, np.asfortranarray(b2), b2[:, ::-1]):
            exactly(lstsq(a, b), tuple(np.linalg.lstsq(a, b)))
            exactly(lstsq_rcond(a, b, 0.3), tuple(np.linalg.lstsq(a, b, 0.3)))


def test_lstsq_residuals_and_rank():
    """Residuals only for a tall matrix of full rank (else an empty array, as NumPy); the
    rank of a rank-deficient matrix; mixed dtypes (float32 only when both are)."""
    tall = matrix((7, 3))
    deficient = np.hstack([tall, tall[:, :1] * 2.0])
    for a in (tall, deficient, deficient.T, tall.T):
        for b in (np.arange(a.shape[0], dtype=np.float64), np.ones((a.shape[0], 2))):
            got, want = lstsq(a, b), tuple(np.linalg.lstsq(a, b))
            exactly(got, want)
            assert isinstance(got[2], int)
    a32 = tall.astype(np.float32)
    exactly(lstsq(a32, np.ones(7, np.float32)), tuple(np.linalg.lstsq(a32, np.ones(7, np.float32))))
    exactly(lstsq(a32, np.ones(7)), tuple(np.linalg.lstsq(a32, np.ones(7))))
    exactly(lstsq(tall.astype(np.int32), np.arange(7)), tuple(np.linalg.lstsq(tall.astype(np.int32), np.arange(7))))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_matrix_rank_cond_and_pinv(shape, dtype):
    for a in layouts(matrix(shape, dtype)):
        exactly(matrix_rank(a), np.linalg.matrix_rank(a))
        exactly(matrix_rank_tol(a, 1.5), np.linalg.matrix_rank(a, 1.5))
        if a.size:
            exactly(cond(a), np.linalg.cond(a))
        # The product vt.T @ (s * u.T) of small matrices is summed by loops, not BLAS's kernel:
        # NumPy's answer to rounding. An empty integer matrix's pinv is float64 (NumPy: int64).
        want_dtype = np.float32 if dtype == np.float32 else np.float64
        for got, want in ((pinv(a), np.linalg.pinv(a)), (pinv_rcond(a, 0.5), np.linalg.pinv(a, 0.5))):
            assert got.dtype == want_dtype and got.shape == want.shape
            scale = max(1.0, float(np.abs(want).max(initial=0.0)))
            np.testing.assert_allclose(got, want, rtol=0, atol=(1e-4 if dtype == np.float32 else 1e-12) * scale)


def test_rank_deficient_and_singular_matrices():
    a = matrix((6, 4))
    a[:, 3] = a[:, 0] + a[:, 1]
    for m in (a, a.T, a.astype(np.float32), np.zeros((3, 3)), np.eye(4), np.ones((5, 5))):
        exactly(matrix_rank(m), np.linalg.matrix_rank(m))
        with np.errstate(all="ignore"):
            exactly(cond(m), np.linalg.cond(m))
        exactly(svd(m), tuple(np.linalg.svd(m)))


@given(
    m=st.integers(1, 12),
    n=st.integers(1, 12),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float64, np.float32]),
)
@settings(max_examples=60, deadline=None)
def test_random_matrices(m, n, seed, dtype):
    a = matrix((m, n), dtype, seed)
    exactly(svd(a), tuple(np.linalg.svd(a)))
    exactly(svd_reduced(a), tuple(np.linalg.svd(a, False)))
    exactly(qr(a), tuple(np.linalg.qr(a)))
    b = matrix((m, 2), dtype, seed + 1)
    exactly(lstsq(a, b), tuple(np.linalg.lstsq(a, b)))
    exactly(matrix_rank(a), np.linalg.matrix_rank(a))
    exactly(cond(a), np.linalg.cond(a))


def test_results_in_a_loop():
    @njit
    def fit(a, b, steps):
        total = 0.0
        for _ in range(steps):
            x, res, rank, s = np.linalg.lstsq(a, b)
            q, r = np.linalg.qr(a)
            u, sv, vh = np.linalg.svd(a, False)
            total += x.sum() + res.sum() + rank + s[0] + r[0, 0] + sv[-1]
        return total

    a, b = matrix((9, 4)), matrix((9,), seed=1)
    x, res, rank, s = np.linalg.lstsq(a, b)
    want = 0.0
    for _ in range(5):
        want += x.sum() + res.sum() + rank + s[0] + np.linalg.qr(a)[1][0, 0] + np.linalg.svd(a, False)[1][-1]
    assert fit(a, b, 5) == pytest.approx(want, rel=1e-12)


def test_errors_are_numpys():
    nan = np.full((3, 3), np.nan)
    cases = [
        (svd, np.linalg.svd, (nan,)),
        (cond, np.linalg.cond, (np.zeros((0, 3)),)),
        (lstsq, np.linalg.lstsq, (np.ones((3, 2)), np.ones(4))),
        (lstsq, np.linalg.lstsq, (np.ones((3, 2)), np.ones((2, 2)))),
        (lstsq, np.linalg.lstsq, (nan, np.ones(3))),
        (matrix_rank, np.linalg.matrix_rank, (nan,)),
    ]
    for f, numpy_f, args in cases:
        with pytest.raises(Exception) as want:
            numpy_f(*args)
        with pytest.raises(Exception) as got:
            f(*args)
        assert type(got.value) is type(want.value), (f, got.value, want.value)
        assert str(got.value) == str(want.value)


def test_unsupported_uses_are_compile_errors():
    @njit
    def full_matrices_variable(a, full):
        return np.linalg.svd(a, full)

    @njit
    def hermitian(a):
        return np.linalg.svd(a, hermitian=True)

    @njit
    def stacked(a, b):
        return np.linalg.lstsq(a, b)

    @njit
    def mode(a):
        return np.linalg.qr(a, "r")

    with pytest.raises(CompileError, match="literal True or False"):
        full_matrices_variable(np.eye(2), False)
    with pytest.raises(CompileError, match="hermitian="):
        hermitian(np.eye(2))
    with pytest.raises(CompileError, match="3-D array"):
        stacked(np.ones((2, 2, 2)), np.ones((2, 2)))
    with pytest.raises(CompileError, match="np.linalg.qr"):
        mode(np.eye(2))


def test_svd_error_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def f(a):
            return np.linalg.svd(a)[1]
        try:
            f(np.full((2, 3), np.nan))
        except np.linalg.LinAlgError as e:
            print("LinAlgError", e)
        print(f(np.diag([3.0, 2.0])).tolist())
        """
    )
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "child.py")
        with open(path, "w") as f:
            f.write(code)
        p = subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["LinAlgError SVD did not converge", "[3.0, 2.0]"]


@njit
def norm_ord(x, ord):
    return np.linalg.norm(x, ord)


@njit
def norm_axis(x, axis):
    return np.linalg.norm(x, axis=axis)


@njit
def norm_ord_axis(x, ord, axis):
    return np.linalg.norm(x, ord, axis)


@njit
def norm_defaults(x):
    return np.linalg.norm(x), np.linalg.norm(x, None), np.linalg.norm(x, ord=None, axis=None)


# Orders whose answer is NumPy's bit for bit; the others take powers (NumPy's `**` may use
# its own SIMD pow): NumPy's answer to rounding.
EXACT_ORDS = [2, 1, 0, np.inf, -np.inf, -1, 0.5]
POWER_ORDS = [3, -2.5]


def same_norm(got, want, ord, exact=True):
    if ord in EXACT_ORDS and exact:
        exactly(got, want)
    else:
        want = np.asarray(want)
        got = np.asarray(got, dtype=want.dtype) if want.ndim == 0 else got
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5 if want.dtype == np.float32 else 1e-13)


def vectors(n, dtype):
    x = matrix((n,), dtype, n)
    if n > 3:
        x[3] = 0
    big = np.zeros(2 * n, dtype)
    big[::2] = x
    return [x, big[::2], x[::-1]]


@pytest.mark.parametrize("n", [1, 5, 40, 300])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_vector_norms_are_numpys(n, dtype):
    for x in vectors(n, dtype):
        # The default norm, and ord 2 of a vector, are sqrt(dot(x, x)): BLAS's dot (NumPy's bit
        # for bit) from 32 elements, stickyjit's own loop below (to rounding).
        if n >= 32:
            exactly(norm_defaults(x), (np.linalg.norm(x),) * 3)
            exactly(norm_ord(x, 2), np.linalg.norm(x, 2))
        else:
            rtol = 1e-6 if dtype == np.float32 else 1e-15
            np.testing.assert_allclose(norm_defaults(x), (np.linalg.norm(x),) * 3, rtol=rtol)
            np.testing.assert_allclose(norm_ord(x, 2), np.linalg.norm(x, 2), rtol=rtol)
        for ord in EXACT_ORDS[1:] + POWER_ORDS:
            same_norm(norm_ord(x, ord), np.linalg.norm(x, ord), ord)
        for ord in EXACT_ORDS + POWER_ORDS:
            same_norm(norm_ord_axis(x, ord, 0), np.linalg.norm(x, ord, 0), ord)
            same_norm(norm_ord_axis(x, ord, -1), np.linalg.norm(x, ord, -1), ord)
        exactly(norm_axis(x, 0), np.linalg.norm(x, axis=0))


@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (3, 5), (40, 30), (2, 200), (200, 2)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_matrix_norms_and_norms_along_an_axis_are_numpys(shape, dtype):
    for x in layouts(matrix(shape, dtype)):
        for ord in [1, -1, 2, -2, np.inf, -np.inf]:
            exactly(norm_ord(x, ord), np.linalg.norm(x, ord))
        # An integer matrix is converted to a C-order float64 copy (NumPy's keeps a Fortran
        # matrix's order): its sums along an axis may associate otherwise.
        exact = not (dtype == np.int64 and x.flags.f_contiguous and not x.flags.c_contiguous)
        for axis in (0, 1, -1, -2):
            exactly(norm_axis(x, axis), np.linalg.norm(x, axis=axis))
            for ord in EXACT_ORDS + POWER_ORDS:
                same_norm(norm_ord_axis(x, ord, axis), np.linalg.norm(x, ord, axis), ord, exact)


def test_norm_errors_are_numpys():
    x = matrix((3, 4))
    for ord in (0, 3, 0.5):
        with pytest.raises(ValueError) as want:
            np.linalg.norm(x, ord)
        with pytest.raises(ValueError) as got:
            norm_ord(x, ord)
        assert str(got.value) == str(want.value)
    # NumPy raises AxisError (a ValueError) with this message.
    with pytest.raises(ValueError) as want:
        np.linalg.norm(x, axis=2)
    with pytest.raises(ValueError) as got:
        norm_axis(x, 2)
    assert str(got.value) == str(want.value)


def test_norm_strings_and_axis_tuples_are_compile_errors():
    @njit
    def fro(x):
        return np.linalg.norm(x, "max")

    @njit
    def axes(x):
        return np.linalg.norm(x, axis=(0, 1))

    with pytest.raises(CompileError, match="ord"):
        fro(np.eye(2))
    with pytest.raises(CompileError, match="axis"):
        axes(np.eye(2))


@given(
    m=st.integers(1, 40),
    n=st.integers(1, 40),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float64, np.float32]),
    ord=st.sampled_from([1, -1, 2, -2, np.inf, -np.inf]),
    fortran=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_random_norms(m, n, seed, dtype, ord, fortran):
    x = matrix((m, n), dtype, seed)
    if fortran:
        x = np.asfortranarray(x)
    exactly(norm_ord(x, ord), np.linalg.norm(x, ord))
    for axis in (0, 1):
        if abs(ord) != 2:
            same_norm(norm_ord_axis(x, ord, axis), np.linalg.norm(x, ord, axis), ord)
