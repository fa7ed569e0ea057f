"""Matrix products and np.linalg of complex arrays, checked against NumPy's own answer on the
same inputs: `a @ b`, `np.matmul`, `np.dot`, `a.dot(b)` of complex64 and complex128 vectors and
matrices (C and Fortran order, transposed, strided and reversed views, mixed real and complex
operands), bit for bit where NumPy and stickyjit make the same BLAS call or the same loop;
`inv`, `solve`, `det`, `slogdet` bit for bit (the same LAPACK routines on the same Fortran-ordered
copy, NumPy's arithmetic on the factors); NumPy's errors in child processes; the functions not
compiled for complex matrices are CompileErrors naming them."""

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

from stickyjit import njit


@njit
def matmul_op(a, b):
    return a @ b


@njit
def matmul_fn(a, b):
    return np.matmul(a, b)


@njit
def dot_fn(a, b):
    return np.dot(a, b)


@njit
def dot_method(a, b):
    return a.dot(b)


MATMULS = [(matmul_op, np.matmul), (matmul_fn, np.matmul)]
DOTS = [(dot_fn, np.dot), (dot_method, np.dot)]
COMPLEX = [np.complex128, np.complex64]


def make(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-3, 4, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def number_as(got, want):
    """`got` as an array; a number (a complex64 result is a Python complex, as Numba's) in
    want's dtype."""
    if want.ndim == 0:
        assert not isinstance(got, np.ndarray), got
        assert isinstance(got, complex) or want.dtype.kind != "c", type(got)
        return np.asarray(got, dtype=want.dtype)
    return np.asarray(got)


def close(got, want):
    """NumPy's dtype and shape, and values within the precision of a sum in another order."""
    want = np.asarray(want)
    got = number_as(got, want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    single = want.dtype == np.complex64
    k = max(1, int(np.sqrt(max(want.size, 1))))
    tol = (1e-4 if single else 1e-12) * k
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def exact(got, want):
    """NumPy's answer bit for bit (NaNs in the same places)."""
    want = np.asarray(want)
    got_a = number_as(got, want)
    assert got_a.dtype == want.dtype, (got_a.dtype, want.dtype)
    assert got_a.shape == want.shape
    np.testing.assert_array_equal(got_a, want)


def views(a):
    """`a` and views of it with other layouts: Fortran order, transposed storage, a step in
    both axes (not BLAS-readable along rows), reversed."""
    out = [a]
    if a.ndim == 2:
        out.append(np.asfortranarray(a))
        big = np.zeros((a.shape[0] * 2, a.shape[1] * 3), a.dtype)
        big[::2, ::3] = a
        out.append(big[::2, ::3])
        out.append(a[::-1, ::-1].copy()[::-1, ::-1])
    else:
        big = np.zeros(a.shape[0] * 2, a.dtype)
        big[::2] = a
        out.append(big[::2])
        out.append(a[::-1].copy()[::-1])
    return out


# Shapes on both sides of the cut-offs below which complex products are loops (dot products of
# 8 elements, matrix-vector products of 128 multiplications, matrix products of 1024).
SHAPES = [
    ((3,), (3,)),
    ((0,), (0,)),
    ((8,), (8,)),
    ((500,), (500,)),
    ((3, 3), (3, 3)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((4, 1), (1, 5)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
    ((20, 30), (30,)),
    ((30,), (30, 20)),
    ((30, 40), (40, 20)),
    ((1, 50), (50, 1)),
    ((1, 70), (70, 90)),
    ((90, 70), (70, 1)),
]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
def test_complex_products_of_every_shape_and_layout(shapes, dtype):
    a0, b0 = make(shapes[0], dtype, 1), make(shapes[1], dtype, 2)
    for ours, numpys in MATMULS + DOTS:
        for a in views(a0):
            for b in views(b0):
                close(ours(a, b), numpys(a, b))


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
def test_blas_products_are_numpys_bit_for_bit(dtype):
    """Where NumPy calls BLAS (`?gemm` of C/Fortran/transposed operands, `?gemv`, `?dotu_sub`)
    stickyjit makes the same call: the same bits."""
    a, b = make((40, 50), dtype, 3), make((50, 30), dtype, 4)
    v, w = make((50,), dtype, 5), make((40,), dtype, 6)
    cases = [
        (a, b),
        (np.asfortranarray(a), b),
        (a, np.asfortranarray(b)),
        (b.T, a.T),
        (a[::2], b),
        (a, v),
        (w, a),
        (v, v),
        (v, a.T),
        (np.asfortranarray(a), v),
    ]
    for ours, numpys in MATMULS + DOTS:
        for x, y in cases:
            exact(ours(x, y), numpys(x, y))


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
def test_strided_products_are_numpys_bit_for_bit(dtype):
    """An operand BLAS cannot read (a step along its rows) is copied and given to BLAS, as NumPy
    2.4's matmul does; a dot product of vectors with a negative stride, and an outer product,
    are NumPy's own loops (`@TYPE@_dot`, `matmul_inner_noblas`), summed in their order, infinities
    and NaNs included."""
    a, b = make((30, 80), dtype, 7), make((40, 20), dtype, 8)
    v = make((40,), dtype, 9)
    w = v.copy()
    w[2] = complex(np.inf, 0)
    w[5] = complex(np.nan, 1)
    for ours, numpys in MATMULS + DOTS:
        exact(ours(a[:, ::2], b), numpys(a[:, ::2], b))
        exact(ours(a[::3, ::2], b[:, ::-1]), numpys(a[::3, ::2], b[:, ::-1]))
        # Strided vectors: BLAS's ?dotu_sub reads them in place; reversed ones: NumPy's
        # matmul sums them in its loop, np.dot copies them for BLAS (above the cut-off).
        exact(ours(v[:40:2], v[1:40:2]), numpys(v[:40:2], v[1:40:2]))
        exact(ours(v[19::-1], v[:20]), numpys(v[19::-1], v[:20]))
        exact(ours(w[20::-1], v[:21]), numpys(w[20::-1], v[:21]))
    for ours, numpys in MATMULS:
        exact(ours(v[2::-1], v[:3]), numpys(v[2::-1], v[:3]))
        c, d = make((4, 1), dtype, 10), make((1, 5), dtype, 11)
        c[1, 0] = complex(np.inf, 0)
        exact(ours(c, d), numpys(c, d))


MIXED = [np.float64, np.float32, np.int64, np.complex64, np.complex128]


@given(
    m=st.integers(1, 6),
    k=st.integers(0, 6),
    n=st.integers(1, 6),
    left_vec=st.booleans(),
    right_vec=st.booleans(),
    da=st.sampled_from(MIXED),
    db=st.sampled_from(MIXED),
    big=st.booleans(),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=120, deadline=None)
def test_mixed_real_and_complex_operands_promote_as_numpy(m, k, n, left_vec, right_vec, da, db, big, seed):
    """float32 @ complex64 is complex64, float64 @ complex64 complex128, int64 @ complex64
    complex128 (NumPy's promotion), computed as NumPy computes it."""
    if np.dtype(da).kind != "c" and np.dtype(db).kind != "c":
        da = np.complex64
    if big:
        m, k, n = m * 7, k * 7 + 1, n * 7
    a = make((k,) if left_vec else (m, k), da, seed)
    b = make((k,) if right_vec else (k, n), db, seed + 1)
    for ours, numpys in MATMULS + DOTS:
        close(ours(a, b), numpys(a, b))


def test_small_products_in_a_loop_like_scattering_self_energies():
    """NPBench's scattering_self_energies: `G[...] @ dH[...]` of 3 × 3 complex blocks, then a
    product with a scaled block added into a view."""

    @njit
    def kernel(G, dH, D, Sigma):
        for k in range(G.shape[0]):
            for a in range(dH.shape[0]):
                for i in range(dH.shape[1]):
                    dHG = G[k, a] @ dH[a, i]
                    dHD = dH[a, i] * D[k, a, i]
                    Sigma[k, a] += dHG @ dHD
        return Sigma

    def reference(G, dH, D, Sigma):
        for k in range(G.shape[0]):
            for a in range(dH.shape[0]):
                for i in range(dH.shape[1]):
                    Sigma[k, a] += (G[k, a] @ dH[a, i]) @ (dH[a, i] * D[k, a, i])
        return Sigma

    G = make((2, 4, 3, 3), np.complex128, 1)
    dH = make((4, 2, 3, 3), np.complex128, 2)
    D = make((2, 4, 2), np.complex128, 3)
    S0 = make((2, 4, 3, 3), np.complex128, 4)
    close(kernel(G, dH, D, S0.copy()), reference(G, dH, D, S0.copy()))


def run_child(code, env=None):
    """Runs `code` as a script in a child process; its stdout."""
    full = dict(os.environ)
    full.update(env or {})
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "child.py")
        with open(path, "w") as f:
            f.write(code)
        p = subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=120, env=full)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_shape_mismatches_of_complex_products_are_numpys_value_errors():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def mm(a, b):
            return a @ b
        @stickyjit.njit
        def dot(a, b):
            return np.dot(a, b)
        for f, g in ((mm, np.matmul), (dot, np.dot)):
            for sa, sb in (((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 5))):
                a, b = np.ones(sa, np.complex128), np.ones(sb, np.float64)
                try:
                    g(a, b)
                except ValueError as e:
                    want = str(e)
                try:
                    f(a, b)
                except ValueError as e:
                    assert str(e) == want, (str(e), want)
                else:
                    raise AssertionError("no error")
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"


def test_complex_products_without_blas_use_numpys_loops():
    """A `STICKYJIT_BLAS` naming no library: complex products are loops, with NumPy's answer."""
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def mm(a, b):
            return a @ b
        rng = np.random.default_rng(0)
        a = rng.standard_normal((60, 50)) + 1j * rng.standard_normal((60, 50))
        b = rng.standard_normal((50, 40)) + 1j * rng.standard_normal((50, 40))
        np.testing.assert_allclose(mm(a, b), a @ b, rtol=1e-12)
        np.testing.assert_allclose(mm(a[0], b), a[0] @ b, rtol=1e-12)
        np.testing.assert_allclose(mm(a[0], a[1]), a[0] @ a[1], rtol=1e-12)
        print(stickyjit.blas_library())
        """
    )
    assert run_child(code, {"STICKYJIT_BLAS": "/nonexistent/libblas.so"}).strip() == "None"


# np.linalg


@njit
def inv(a):
    return np.linalg.inv(a)


@njit
def solve(a, b):
    return np.linalg.solve(a, b)


@njit
def det(a):
    return np.linalg.det(a)


@njit
def slogdet(a):
    return np.linalg.slogdet(a)


def matrices(n, dtype, seed):
    a = make((n, n), dtype, seed)
    return [a, np.asfortranarray(a), a.T, make((2 * n, 2 * n), dtype, seed + 1)[::2, 1::2]]


@pytest.mark.parametrize("n", [0, 1, 3, 8, 40])
@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
def test_inv_det_slogdet_of_complex_matrices_are_numpys_bit_for_bit(n, dtype):
    for a in matrices(n, dtype, n):
        exact(inv(a), np.linalg.inv(a))
        exact(det(a), np.linalg.det(a))
        sign, logdet = slogdet(a)
        want_sign, want_logdet = np.linalg.slogdet(a)
        exact(sign, want_sign)
        exact(logdet, want_logdet)


@pytest.mark.parametrize("n", [1, 4, 30])
@pytest.mark.parametrize("da", MIXED, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("db", MIXED, ids=lambda d: np.dtype(d).name)
def test_solve_of_complex_systems_is_numpys_bit_for_bit(n, da, db):
    if np.dtype(da).kind != "c" and np.dtype(db).kind != "c":
        return
    a = make((n, n), da, 1) + (3 * np.eye(n)).astype(da)
    for b in [
        make((n,), db, 2),
        make((n, 3), db, 3),
        np.asfortranarray(make((n, 2), db, 4)),
        make((n, 4), db, 5)[:, ::2],
    ]:
        exact(solve(a, b), np.linalg.solve(a, b))
        exact(solve(a.T, b), np.linalg.solve(a.T, b))


def test_singular_complex_matrices_are_numpys_errors():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def inv(a):
            return np.linalg.inv(a)
        @stickyjit.njit
        def solve(a, b):
            return np.linalg.solve(a, b)
        @stickyjit.njit
        def det(a):
            return np.linalg.det(a)
        s = np.array([[1 + 1j, 2 + 2j], [2 + 2j, 4 + 4j]])
        for f, g, args in ((inv, np.linalg.inv, (s,)), (solve, np.linalg.solve, (s, np.ones(2))),
                           (inv, np.linalg.inv, (np.ones((2, 3), np.complex64),)),
                           (solve, np.linalg.solve, (np.eye(2, dtype=complex), np.ones(3)))):
            try:
                g(*args)
            except Exception as e:
                want = (type(e), str(e))
            try:
                f(*args)
            except Exception as e:
                assert (type(e), str(e)) == want, ((type(e), str(e)), want)
            else:
                raise AssertionError("no error")
        assert det(s) == np.linalg.det(s)
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"
