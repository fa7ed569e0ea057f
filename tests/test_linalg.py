"""`np.linalg` in compiled code: solve, inv, det, slogdet, cholesky, eigh, eigvalsh, norm and
matrix_power, checked against NumPy's own answer on the same inputs (float64, float32 and
integer matrices, C and Fortran order, strided views, empty matrices). The LAPACK functions
call the routines NumPy calls on the same Fortran-ordered copy, so their answers are NumPy's
bit for bit; NumPy's errors (LinAlgError, ValueError) with NumPy's messages, in child processes
too."""

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
from numpy import linalg  # a global bound to the module numpy.linalg

from stickyjit import CompileError, njit


@njit
def solve(a, b):
    return np.linalg.solve(a, b)


@njit
def inv(a):
    return np.linalg.inv(a)


@njit
def det(a):
    return np.linalg.det(a)


@njit
def slogdet(a):
    return np.linalg.slogdet(a)


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
def norm(a):
    return np.linalg.norm(a)


@njit
def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


def matrix(n, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-4, 5, (n, n)).astype(dtype)
    return rng.standard_normal((n, n)).astype(dtype)


def spd(n, dtype=np.float64, seed=0):
    """A symmetric positive definite matrix."""
    a = matrix(n, np.float64, seed)
    return (a @ a.T + n * np.eye(n)).astype(dtype)


def layouts(a):
    """`a` in C order, Fortran order, and as a strided view (equal values)."""
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 2), a.dtype)
    big[::2, ::2] = a
    return [a, np.asfortranarray(a), big[::2, ::2]]


def exactly(got, want):
    """NumPy's answer bit for bit (float32: to its last bits): the same dtype, shape and values
    (tuples item by item)."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            exactly(g, w)
        return
    want = np.asarray(want)
    got_a = np.asarray(got, dtype=want.dtype) if want.ndim == 0 else got
    assert got_a.dtype == want.dtype, (got_a.dtype, want.dtype)
    assert got_a.shape == want.shape
    if want.dtype == np.float32:
        # OpenBLAS's single-precision kernels may round last bits otherwise for other buffer
        # addresses (seen in solve with several right-hand sides, and in eigenvectors).
        scale = float(np.abs(want).max()) if want.size else 1.0
        np.testing.assert_allclose(got_a, want, rtol=1e-4, atol=1e-5 * max(1.0, scale))
    else:
        np.testing.assert_array_equal(got_a, want)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 40])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: np.dtype(d).name)
def test_lapack_functions_are_numpys_bit_for_bit(n, dtype):
    for a in layouts(matrix(n, dtype)):
        b1 = np.arange(n, dtype=dtype) + 1
        b2 = np.ones((n, 3), dtype) * np.arange(3, dtype=dtype)
        if n:
            exactly(solve(a, b1), np.linalg.solve(a, b1))
            exactly(solve(a, b2), np.linalg.solve(a, b2))
            exactly(inv(a), np.linalg.inv(a))
        exactly(det(a), np.linalg.det(a))
        exactly(slogdet(a), tuple(np.linalg.slogdet(a)))
    for s in layouts(spd(n, dtype if dtype != np.int64 else np.float64)):
        exactly(cholesky(s), np.linalg.cholesky(s))
        exactly(eigvalsh(s), np.linalg.eigvalsh(s))
        same_eigh(s)


def same_eigh(s):
    """eigh's answer: NumPy's bit for bit in float64; in float32, NumPy's eigenvalues to their
    precision and eigenvectors that are eigenvectors (those of close eigenvalues are
    ill-conditioned: float32's last bits move them)."""
    got, want = eigh(s), tuple(np.linalg.eigh(s))
    if s.dtype != np.float32:
        exactly(got, want)
        return
    w, v = got
    exactly(w, want[0])
    assert v.dtype == np.float32 and v.shape == want[1].shape
    scale = max(1.0, float(np.abs(s).max(initial=0.0))) * max(1, s.shape[0])
    np.testing.assert_allclose(s.astype(np.float64) @ v, v * w, atol=1e-5 * scale)
    np.testing.assert_allclose(v.T.astype(np.float64) @ v, np.eye(s.shape[0]), atol=1e-5 * max(1, s.shape[0]))


@given(n=st.integers(1, 8), seed=st.integers(0, 2**16), dtype=st.sampled_from([np.float64, np.float32]))
@settings(max_examples=60, deadline=None)
def test_random_matrices(n, seed, dtype):
    a = matrix(n, dtype, seed)
    exactly(det(a), np.linalg.det(a))
    exactly(slogdet(a), tuple(np.linalg.slogdet(a)))
    s = spd(n, dtype, seed)
    exactly(cholesky(s), np.linalg.cholesky(s))
    same_eigh(s)


def test_mixed_dtypes_of_solve():
    a, b = matrix(4, np.float32), np.arange(4.0)
    exactly(solve(a, b), np.linalg.solve(a, b))
    exactly(
        solve(matrix(4, np.int32), np.arange(4, dtype=np.int8)),
        np.linalg.solve(matrix(4, np.int32), np.arange(4, dtype=np.int8)),
    )


@pytest.mark.parametrize("shape", [(7,), (40,), (3, 4), (6, 7), (2, 3, 4)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: np.dtype(d).name)
def test_norm_is_the_square_root_of_the_sum_of_squares(shape, dtype):
    x = (np.arange(np.prod(shape)).reshape(shape) - 5).astype(dtype)
    for v in (x, x.T):
        got, want = norm(v), np.linalg.norm(v)
        assert np.asarray(got, dtype=want.dtype).dtype == want.dtype
        assert got == pytest.approx(float(want), rel=1e-6 if dtype == np.float32 else 1e-14)


@pytest.mark.parametrize("p", [0, 1, 2, 3, 5, 8, -1, -3])
def test_matrix_power(p):
    a = matrix(5) / 3
    np.testing.assert_allclose(matrix_power(a, p), np.linalg.matrix_power(a, p), rtol=1e-10, atol=1e-12)
    if p >= 0:
        m = matrix(4, np.int64)
        exactly(matrix_power(m, p), np.linalg.matrix_power(m, p))


def test_matrix_power_of_an_integer_matrix_to_a_negative_power_is_a_value_error():
    with pytest.raises(ValueError, match="astype"):
        matrix_power(np.eye(2, dtype=np.int64), -1)


def test_errors_are_numpys():
    cases = [
        (inv, (np.zeros((3, 3)),)),
        (solve, (np.zeros((2, 2)), np.ones(2))),
        (inv, (np.ones((2, 3)),)),
        (det, (np.ones((2, 3)),)),
        (eigh, (np.ones((3, 2)),)),
        (cholesky, (-np.eye(3),)),
        (solve, (np.eye(3), np.ones(2))),
        (solve, (np.eye(3), np.ones((2, 2)))),
    ]
    numpy_f = {
        inv: np.linalg.inv,
        solve: np.linalg.solve,
        det: np.linalg.det,
        eigh: np.linalg.eigh,
        cholesky: np.linalg.cholesky,
    }
    for f, args in cases:
        with pytest.raises(Exception) as want:
            numpy_f[f](*args)
        with pytest.raises(Exception) as got:
            f(*args)
        assert type(got.value) is type(want.value), (f, got.value, want.value)
        assert str(got.value) == str(want.value)


def test_singular_det_is_zero():
    exactly(det(np.zeros((3, 3))), np.linalg.det(np.zeros((3, 3))))
    exactly(slogdet(np.zeros((3, 3))), tuple(np.linalg.slogdet(np.zeros((3, 3)))))


def test_results_in_expressions_and_loops():
    @njit
    def newton(a, x, steps):
        for _ in range(steps):
            x = x - np.linalg.solve(a, a @ x - 1.0) * 0.5
        return x, np.linalg.norm(a @ x - 1.0)

    a = spd(6)
    x0 = np.zeros(6)
    want = x0
    for _ in range(30):
        want = want - np.linalg.solve(a, a @ want - 1.0) * 0.5
    got = newton(a, x0, 30)
    np.testing.assert_allclose(got[0], want, rtol=1e-12)
    assert got[1] == pytest.approx(np.linalg.norm(a @ want - 1.0), abs=1e-9)


def test_linalg_as_a_module_global():
    @njit
    def f(a):
        return linalg.det(a) + linalg.norm(a)

    a = matrix(3)
    assert f(a) == pytest.approx(np.linalg.det(a) + np.linalg.norm(a), rel=1e-14)


def test_unsupported_uses_are_compile_errors():
    @njit
    def multi_dot(a):
        return np.linalg.multi_dot((a, a))

    @njit
    def stacked(a):
        return np.linalg.norm(a, 1)

    @njit
    def keyword(a):
        return np.linalg.eigh(a, UPLO="U")

    with pytest.raises(CompileError, match="np.linalg.multi_dot' is not compiled"):
        multi_dot(np.eye(2))
    with pytest.raises(CompileError, match="3-D array"):
        stacked(np.ones((2, 2, 2)))
    with pytest.raises(CompileError, match="UPLO="):
        keyword(np.eye(2))


def test_errors_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def f(a):
            return np.linalg.inv(a)
        try:
            f(np.zeros((2, 2)))
        except np.linalg.LinAlgError as e:
            print("LinAlgError", e)
        print(f(np.eye(2) * 2.0).tolist())
        """
    )
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "child.py")
        with open(path, "w") as f:
            f.write(code)
        p = subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["LinAlgError Singular matrix", "[[0.5, 0.0], [0.0, 0.5]]"]


@njit
def covs(m, ddof):
    return (
        np.cov(m),
        np.cov(m, rowvar=False),
        np.cov(m, bias=True),
        np.cov(m, ddof=ddof),
        np.corrcoef(m),
        np.corrcoef(m, rowvar=False),
    )


@given(
    rows=st.integers(2, 6),
    cols=st.integers(2, 8),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float64, np.float32, np.int64, np.int8]),
    # ddof below the number of observations (2 or more): at N - ddof <= 0 NumPy divides by zero or
    # a negative count, and whether an entry is inf or NaN then hangs on a rounding-level zero
    # (BLAS's order of additions against compiled code's; seen as a flake).
    ddof=st.integers(0, 1),
)
@settings(max_examples=60, deadline=None)
def test_cov_and_corrcoef_match_numpy(rows, cols, seed, dtype, ddof):
    """np.cov and np.corrcoef (from the library, with `@`) of 2-D arrays give NumPy's float64
    answer (to rounding: NumPy's mean sums pairwise), NaN where NumPy's is (a constant row)."""
    rng = np.random.default_rng(seed)
    m = (rng.standard_normal((rows, cols)) * 4).astype(dtype)
    got = covs(m, ddof)
    with np.errstate(all="ignore"), __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        want = (
            np.cov(m),
            np.cov(m, rowvar=False),
            np.cov(m, bias=True),
            np.cov(m, ddof=ddof),
            np.corrcoef(m),
            np.corrcoef(m, rowvar=False),
        )
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12, equal_nan=True)
