"""Matrix products: `a @ b`, `np.matmul`, `np.dot` and `a.dot(b)` of 1-D and 2-D arrays, checked
against NumPy's own answer on the same inputs (every dtype and mixed dtypes, empty axes, C and
Fortran order, transposed, strided and reversed views, sizes below and above the BLAS cut-off),
NumPy's errors for mismatched shapes (in child processes), and the BLAS lookup (never at import;
`STICKYJIT_BLAS` pointing at another library, one with 32-bit sizes)."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stickyjit
from stickyjit import CompileError, njit


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


PRODUCTS = [(matmul_op, np.matmul), (matmul_fn, np.matmul), (dot_fn, np.dot), (dot_method, np.dot)]

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int16, np.int8, np.uint8, np.uint64, np.bool_]


def make(shape, dtype, seed):
    """An array of `shape` and `dtype` with small values (integer products stay exact)."""
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.integer):
        return rng.integers(0, 5, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def same_product(got, want):
    """NumPy's product: the same dtype and shape; integers and bools exactly, floats within
    their precision (BLAS and NumPy may sum in another order)."""
    want = np.asarray(want)
    if want.ndim == 0:
        assert not isinstance(got, np.ndarray), got
        got = np.asarray(got, dtype=want.dtype)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind == "f":
        rtol = 1e-4 if want.dtype == np.float32 else 1e-11
        k = 1 if want.size == 0 else max(1, int(np.sqrt(want.size)))
        np.testing.assert_allclose(got, want, rtol=rtol * k, atol=rtol * k)
    else:
        np.testing.assert_array_equal(got, want)


def views(a):
    """`a` itself and views of it with other layouts (all with a's shape)."""
    out = [a]
    if a.ndim == 2:
        out.append(np.asfortranarray(a))
        out.append(np.ascontiguousarray(a.T).T)
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


# (left shape, right shape): every combination of vectors and matrices, empty axes, and sizes
# on both sides of the cut-offs below which products are loops rather than BLAS calls (dot
# products of 32 elements, matrix-vector products of 512 multiplications, matrix products of 4096).
SHAPES = [
    ((3,), (3,)),
    ((0,), (0,)),
    ((21,), (21,)),
    ((33,), (33,)),
    ((5000,), (5000,)),
    ((8, 40), (40,)),
    ((40,), (40, 8)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
    ((2, 3), (3, 0)),
    ((60, 70), (70,)),
    ((70,), (70, 80)),
    ((40, 50), (50, 30)),
    ((1, 50), (50, 1)),
    ((1, 70), (70, 90)),
    ((90, 70), (70, 1)),
]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.bool_], ids=lambda d: np.dtype(d).name)
def test_products_of_every_shape_and_layout(shapes, dtype):
    a0, b0 = make(shapes[0], dtype, 1), make(shapes[1], dtype, 2)
    for ours, numpys in PRODUCTS:
        for a in views(a0):
            for b in views(b0)[:3]:
                same_product(ours(a, b), numpys(a, b))


@given(
    m=st.integers(0, 7),
    k=st.integers(0, 7),
    n=st.integers(0, 7),
    left_vec=st.booleans(),
    right_vec=st.booleans(),
    da=st.sampled_from(DTYPES),
    db=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=150, deadline=None)
def test_products_of_any_dtypes_like_numpy(m, k, n, left_vec, right_vec, da, db, seed):
    """Mixed dtypes give NumPy's result dtype (int8 @ uint8 is int16, float32 @ int64 float64,
    bool @ bool bool), computed as NumPy computes it (integers wrap in their dtype)."""
    a = make((k,) if left_vec else (m, k), da, seed)
    b = make((k,) if right_vec else (k, n), db, seed + 1)
    for ours, numpys in PRODUCTS:
        same_product(ours(a, b), numpys(a, b))


@given(size=st.integers(60, 90), trans_a=st.booleans(), trans_b=st.booleans(), step=st.sampled_from([1, 2, -1]))
@settings(max_examples=40, deadline=None)
def test_blas_sized_products_of_views(size, trans_a, trans_b, step):
    """Above the cut-off, views BLAS can read in place (transposed) and views it cannot (a
    step, reversed) give NumPy's product."""
    a = make((size, size + 3), np.float64, size)
    b = make((size + 3, size - 5), np.float64, size + 1)
    a = a if not trans_a else np.ascontiguousarray(a.T).T
    b = b if not trans_b else np.asfortranarray(b)
    a, b = a[::step], b[:, ::step]
    if a.shape[1] != b.shape[0]:
        b = make((a.shape[1], b.shape[1]), np.float64, 3)[::-1]
    same_product(matmul_op(a, b), a @ b)


def test_integer_products_wrap_in_their_dtype():
    a = np.full((2, 3), 100, np.int8)
    b = np.full((3, 2), 3, np.int8)
    same_product(matmul_op(a, b), a @ b)
    a = np.full(4, 2**62, np.int64)
    same_product(dot_fn(a, a), np.dot(a, a))


def test_a_product_inside_an_array_expression():
    """NPBench's gemm: `C[:] = alpha * A @ B + beta * C` (`alpha * A` first, then the product,
    then the elementwise rest into C)."""

    @njit
    def gemm(alpha, beta, C, A, B):
        C[:] = alpha * A @ B + beta * C

    @njit
    def chain(A, B, C, D):
        return A @ B @ C @ D

    @njit
    def mixed(A, x):
        return (A @ x) @ A + 1.0

    A, B, C, D = (make((30, 30), np.float64, s) for s in range(4))
    got, want = C.copy(), C.copy()
    gemm(1.5, 1.2, got, A, B)
    want[:] = 1.5 * A @ B + 1.2 * want
    same_product(got, want)
    same_product(chain(A, B, C, D), A @ B @ C @ D)
    x = make(30, np.float64, 9)
    same_product(mixed(A, x), (A @ x) @ A + 1.0)


def test_out_argument_of_matmul():
    @njit
    def f(a, b, out):
        np.matmul(a, b, out=out)
        return out

    a, b = make((3, 4), np.float64, 1), make((4, 5), np.float64, 2)
    same_product(f(a, b, np.zeros((3, 5))), a @ b)


def test_product_in_a_loop_is_freed():
    """A product made in each iteration is freed when the next replaces it (constant memory)."""

    @njit
    def power(a, n):
        r = a.copy()
        for _ in range(n):
            r = r @ a
            r = r / np.abs(r).max()
        return r

    a = make((8, 8), np.float64, 5)
    want = a.copy()
    for _ in range(50):
        want = want @ a
        want = want / np.abs(want).max()
    same_product(power(a, 50), want)


def test_unsupported_products_are_compile_errors():
    @njit
    def f(a, b):
        return a @ b

    with pytest.raises(CompileError, match="arrays of 1 or more dimensions"):
        f(np.ones(()), np.ones((2, 2)))
    with pytest.raises(CompileError, match="matmul takes two arrays"):
        f(2.0, np.ones(2))
    # np.dot of a number or a 0-d array is NumPy's product (tests/test_linalg_leftovers.py).
    np.testing.assert_array_equal(dot_fn(2.0, np.ones(2)), np.dot(2.0, np.ones(2)))
    np.testing.assert_array_equal(dot_fn(np.ones(()), np.ones((2, 2))), np.dot(np.ones(()), np.ones((2, 2))))


def test_in_place_matmul_is_numpys():
    @njit
    def f(a, b):
        a @= b
        return a

    a, b = np.arange(4.0).reshape(2, 2), np.arange(4.0).reshape(2, 2) + 1
    want = a.copy()
    want @= b
    np.testing.assert_array_equal(f(a.copy(), b), want)


CHILD = textwrap.dedent(
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
            a, b = np.ones(sa), np.ones(sb)
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


def run_child(code, env=None):
    """Runs `code` as a script in a child process (jitted functions need a file for their source)."""
    import tempfile

    full = dict(os.environ)
    full.update(env or {})
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "child.py")
        with open(path, "w") as f:
            f.write(code)
        p = subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=120, env=full)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_shape_mismatches_are_numpys_value_errors():
    assert run_child(CHILD).strip() == "ok"


def test_no_blas_is_looked_up_at_import():
    out = run_child(
        textwrap.dedent(
            """
            import os, stickyjit, stickyjit._native as n
            # The mapped files' names (not their directories, which may say "blas" themselves).
            maps = [os.path.basename(line.split()[-1]) for line in open("/proc/self/maps") if "/" in line]
            print(n._blas_looked_up(), any("blas" in m.lower() for m in maps))
            import numpy as np
            before = n._blas_looked_up()
            @stickyjit.njit
            def f(a, b):
                return a @ b
            f(np.ones((2, 2)), np.ones((2, 2)))  # small: loops, no lookup
            small = n._blas_looked_up()
            f(np.ones((50, 50)), np.ones((50, 50)))
            print(before, small, n._blas_looked_up(), stickyjit.blas_library() is not None)
            """
        )
    )
    assert out.split() == ["False", "False", "False", "False", "True", "True"]


def test_another_blas_named_by_the_environment():
    """SciPy's OpenBLAS takes 32-bit sizes under plain CBLAS names (`scipy_cblas_dgemm`):
    products through it give NumPy's answer, and blas_library() names it."""
    import scipy  # a test dependency (Makefile)

    libs = glob.glob(os.path.join(os.path.dirname(scipy.__file__), "..", "scipy.libs", "libscipy_openblas-*.so"))
    assert libs, "SciPy's wheel ships its OpenBLAS in scipy.libs"
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def mm(a, b):
            return a @ b
        rng = np.random.default_rng(0)
        for sa, sb in (((80, 90), (90, 70)), ((80, 90), (90,)), ((90,), (90, 70)), ((5000,), (5000,))):
            for dt in (np.float64, np.float32):
                a = rng.standard_normal(sa).astype(dt)
                b = rng.standard_normal(sb).astype(dt)
                np.testing.assert_allclose(mm(a, b), a @ b, rtol=1e-3 if dt == np.float32 else 1e-10)
                np.testing.assert_allclose(mm(np.asfortranarray(a), b), a @ b, rtol=1e-3 if dt == np.float32 else 1e-10)
        print(stickyjit.blas_library())
        """
    )
    out = run_child(code, {"STICKYJIT_BLAS": libs[0]})
    assert os.path.basename(out.strip()) == os.path.basename(libs[0])


def test_no_blas_at_all_still_multiplies():
    """A `STICKYJIT_BLAS` that names no library: products use loops, with NumPy's answer."""
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def mm(a, b):
            return a @ b
        a = np.arange(100 * 90, dtype=np.float64).reshape(100, 90) / 1000
        b = np.arange(90 * 80, dtype=np.float64).reshape(90, 80) / 1000
        np.testing.assert_allclose(mm(a, b), a @ b, rtol=1e-12)
        print(stickyjit.blas_library())
        """
    )
    assert run_child(code, {"STICKYJIT_BLAS": "/nonexistent/libblas.so"}).strip() == "None"


def test_blas_library_is_public():
    import numpy  # noqa: F401 - NumPy is loaded, so its OpenBLAS is

    assert stickyjit.blas_library() is not None
