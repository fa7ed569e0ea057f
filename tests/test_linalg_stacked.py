"""`np.linalg` of stacks of matrices (arrays of 3 or more dimensions, NumPy's gufunc loop over
the leading axes): inv, solve, det, slogdet, cholesky, eigh, eigvalsh, eig, eigvals and
matrix_power, checked against NumPy's own answer on the same inputs (float64 and complex128 bit
for bit, each matrix computed by the routine NumPy calls; float32 and complex64 to their
precision), in C order, transposed, strided and broadcast views, with empty stacks and empty
matrices; NumPy's errors (LinAlgError, ValueError) with NumPy's messages."""

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
def eig(a):
    return np.linalg.eig(a)


@njit
def eigvals(a):
    return np.linalg.eigvals(a)


@njit
def solve(a, b):
    return np.linalg.solve(a, b)


@njit
def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


@njit
def svd(a):
    return np.linalg.svd(a)


@njit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@njit
def svdvals(a):
    return np.linalg.svdvals(a)


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
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@njit
def matrix_rank_tol(a, tol):
    return np.linalg.matrix_rank(a, tol)


@njit
def cond(a):
    return np.linalg.cond(a)


NUMPY = {
    inv: np.linalg.inv,
    det: np.linalg.det,
    slogdet: np.linalg.slogdet,
    cholesky: np.linalg.cholesky,
    eigh: np.linalg.eigh,
    eigvalsh: np.linalg.eigvalsh,
    eig: np.linalg.eig,
    eigvals: np.linalg.eigvals,
    solve: np.linalg.solve,
    matrix_power: np.linalg.matrix_power,
    svd: np.linalg.svd,
    svd_reduced: lambda a: np.linalg.svd(a, full_matrices=False),
    svdvals: np.linalg.svdvals,
    qr: np.linalg.qr,
    pinv: np.linalg.pinv,
    pinv_rcond: np.linalg.pinv,
    matrix_rank: np.linalg.matrix_rank,
    matrix_rank_tol: np.linalg.matrix_rank,
    cond: np.linalg.cond,
}

DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.int64]


def stack(shape, dtype, seed=0):
    """Random matrices of `shape` (the last two axes the matrix), of dtype."""
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-4, 5, shape).astype(dtype)
    x = rng.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def hermitian_pd(shape, dtype, seed=0):
    """Hermitian (symmetric) positive definite matrices of `shape`."""
    x = stack(shape, np.complex128 if np.issubdtype(dtype, np.complexfloating) else np.float64, seed)
    n = shape[-1]
    s = x @ np.conj(np.swapaxes(x, -1, -2)) + n * np.eye(n)
    return s.astype(dtype)


def views(a):
    """a in C order, with its matrices transposed (F order each), and as a strided view."""
    big = np.zeros(a.shape[:-2] + (a.shape[-2] * 2, a.shape[-1] * 3), a.dtype)
    big[..., ::2, ::3] = a
    t = np.ascontiguousarray(np.swapaxes(a, -1, -2))
    return [a, np.swapaxes(t, -1, -2), big[..., ::2, ::3]]


def same(got, want, vectors=False, close=False):
    """NumPy's answer: dtype and shape, values bit for bit in double precision (to single
    precision's in single; `close`: to double precision's); `vectors`: eigenvectors in single
    precision are compared by the caller (close eigenvalues make them ill-conditioned)."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, vectors and i == 1)
        return
    want = np.asarray(want)
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
    if close and want.dtype in (np.float64, np.complex128):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(want).max(initial=0.0))))
    elif want.dtype in (np.float32, np.complex64):
        if not vectors:
            scale = max(1.0, float(np.abs(want).max(initial=0.0)))
            np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-4 * scale)
    else:
        np.testing.assert_array_equal(got, want)


def check(f, *args, vectors=False):
    want = NUMPY[f](*args)
    got = f(*args)
    # matrix_power's and pinv's products: small ones are stickyjit's loops, NumPy's BLAS (to
    # rounding).
    close = f in (matrix_power, pinv, pinv_rcond)
    same(got, tuple(want) if isinstance(want, tuple) else want, vectors, close=close)
    return got


SHAPES = [(3, 4, 4), (2, 3, 2, 2), (0, 3, 3), (2, 0, 0), (1, 1, 1), (4, 5, 5)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_stacks_of_general_matrices(shape, dtype):
    for a in views(stack(shape, dtype)):
        check(det, a)
        check(slogdet, a)
        check(matrix_power, a, 3)
        if dtype is not np.int64:
            check(matrix_power, a, -2)
        check(inv, a)
        if np.issubdtype(dtype, np.complexfloating):
            check(eigvals, a)
            w, v = check(eig, a, vectors=True)
            # Eigenvectors: a v = v w, matrix by matrix.
            scale = max(1.0, float(np.abs(a).max(initial=0.0))) * max(1, shape[-1])
            tol = 1e-3 if dtype is np.complex64 else 1e-10
            np.testing.assert_allclose(a @ v, v * w[..., None, :], atol=tol * scale)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64], ids=lambda d: np.dtype(d).name)
def test_stacks_of_hermitian_matrices(shape, dtype):
    for s in views(hermitian_pd(shape, dtype)):
        check(cholesky, s)
        check(eigvalsh, s)
        w, v = check(eigh, s, vectors=True)
        scale = max(1.0, float(np.abs(s).max(initial=0.0))) * max(1, shape[-1])
        tol = 1e-3 if dtype in (np.float32, np.complex64) else 1e-10
        np.testing.assert_allclose(s @ v, v * w[..., None, :], atol=tol * scale)
        if not np.issubdtype(dtype, np.complexfloating):
            # Real symmetric matrices have real eigenvalues: eig gives real arrays, as NumPy.
            check(eigvals, s)


RECT = [(2, 4, 3), (3, 2, 5), (2, 2, 3, 3), (0, 3, 2), (2, 1, 1)]


@pytest.mark.parametrize("shape", RECT, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_stacks_of_factorizations(shape, dtype):
    for a in views(stack(shape, dtype, 5)):
        for f in (svd, svd_reduced, svdvals, qr, pinv, matrix_rank, cond):
            check(f, a)
        check(pinv_rcond, a, 0.5)
        check(matrix_rank_tol, a, 1.0)
    # Rank-deficient matrices in the stack: NumPy's ranks, conds of inf.
    d = stack(shape, dtype, 6)
    d[..., :, -1] = 0
    check(matrix_rank, d)
    if d.size:
        with np.errstate(all="ignore"):
            check(cond, d)


def test_cond_of_empty_matrices_is_numpys_error_and_of_an_empty_stack_an_empty_array():
    got, want = numpys_error(cond, np.zeros((2, 0, 3)))
    assert got == want
    got, want = numpys_error(cond, np.zeros((0, 3, 0)))
    assert got == want
    check(cond, np.zeros((0, 3, 3)))


@pytest.mark.parametrize(
    "sa,sb",
    [
        ((2, 3, 3), (3,)),  # b 1-D: one vector for every matrix (NumPy 2)
        ((2, 3, 3), (2, 3, 2)),
        ((2, 1, 3, 3), (4, 3, 2)),  # leading axes broadcast
        ((3, 3), (5, 3, 1)),  # one matrix, a stack of right-hand sides
        ((1, 3, 3), (2, 3, 4)),
        ((0, 2, 2), (2, 1)),
        ((2, 2, 2), (2, 0)),
    ],
    ids=str,
)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_solve_of_stacks_broadcasts_as_numpy(sa, sb, dtype):
    a = stack(sa, dtype, 1) + 4 * np.eye(sa[-1], dtype=dtype)
    b = stack(sb, dtype, 2)
    for x in views(a) if len(sa) >= 2 else [a]:
        check(solve, x, b)
    # Mixed dtypes: the common one.
    check(solve, a, b.astype(np.complex64 if np.iscomplexobj(b) else np.float32))
    # A broadcast stack (read-only, stride 0 along its first axis).
    if a.ndim > 2 and a.shape[0] > 0:
        check(solve, np.broadcast_to(a[:1], a.shape), b)


@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=2),
    st.integers(0, 4),
    st.sampled_from([np.float64, np.complex128]),
    st.integers(0, 2**16),
)
@settings(max_examples=40, deadline=None)
def test_random_stacks(lead, n, dtype, seed):
    a = stack((*lead, n, n), dtype, seed)
    check(det, a)
    check(slogdet, a)
    if n and all(lead):
        a = a + 3 * n * np.eye(n)
        check(inv, a)
        check(solve, a, stack((*lead, n, 2), dtype, seed + 1))
    check(cholesky, hermitian_pd((*lead, n, n), dtype, seed))


def numpys_error(f, *args):
    with pytest.raises(Exception) as want:
        NUMPY[f](*args)
    with pytest.raises(Exception) as got:
        f(*args)
    assert type(got.value) is type(want.value), (got.value, want.value)
    return str(got.value), str(want.value)


def test_errors_are_numpys():
    singular = np.stack([np.eye(3), np.zeros((3, 3))])
    not_pd = np.stack([np.eye(3), -np.eye(3)])
    cases = [
        (inv, (singular,)),
        (solve, (singular, np.ones((2, 3, 1)))),
        (solve, (singular, np.ones(3))),
        (cholesky, (not_pd,)),
        (inv, (np.ones((2, 2, 3)),)),  # not square
        (det, (np.ones((0, 2, 3)),)),  # not square: an empty stack is checked too
        (eigh, (np.ones((2, 3, 2)),)),
        (matrix_power, (np.ones((2, 3, 2)), 2)),
        (solve, (np.ones((2, 3, 3)), np.ones((2, 4, 1)))),  # core sizes differ
        (solve, (np.ones((2, 3, 3)), np.ones(4))),
    ]
    for f, args in cases:
        got, want = numpys_error(f, *args)
        assert got == want


def test_a_real_stack_with_a_complex_eigenvalue_is_numbas_value_error():
    # NumPy returns complex arrays then; compiled code's result type is real (docs/language.md).
    a = np.stack([np.eye(2), np.array([[0.0, -1.0], [1.0, 0.0]])])
    assert np.iscomplexobj(np.linalg.eigvals(a))
    with pytest.raises(ValueError, match=r"^eigvals\(\) argument must not cause a domain change.$"):
        eigvals(a)


def test_leading_axes_that_do_not_broadcast_are_a_value_error():
    got, want = numpys_error(solve, np.ones((2, 3, 3)), np.ones((4, 3, 1)))
    assert got.startswith("operands could not be broadcast together") and want.startswith(got[:40])


def test_det_of_a_singular_matrix_in_a_stack_is_zero():
    a = np.stack([np.eye(2) * 2, np.ones((2, 2))])
    check(det, a)
    check(slogdet, a)


def test_functions_that_do_not_take_stacks_are_compile_errors():
    @njit
    def lstsq(a, b):
        return np.linalg.lstsq(a, b)

    @njit
    def norm(a):
        return np.linalg.norm(a, 2)

    with pytest.raises(CompileError, match="3-D array: NumPy's lstsq takes a 2-D matrix only"):
        lstsq(np.ones((2, 2, 2)), np.ones((2, 2, 1)))
    with pytest.raises(CompileError, match="3-D array"):
        norm(np.ones((2, 2, 2)))


def test_errors_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def f(a):
            return np.linalg.inv(a)
        try:
            f(np.stack([np.eye(2), np.zeros((2, 2))]))
        except np.linalg.LinAlgError as e:
            print("LinAlgError", e)
        print(f(np.stack([np.eye(2) * 2.0, np.eye(2) * 4.0])).tolist())
        """
    )
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "child.py")
        with open(path, "w") as f:
            f.write(code)
        p = subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    want = np.linalg.inv(np.stack([np.eye(2) * 2.0, np.eye(2) * 4.0])).tolist()
    assert p.stdout.splitlines() == ["LinAlgError Singular matrix", str(want)]
