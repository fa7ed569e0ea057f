"""np.linalg.eig and np.linalg.eigvals: LAPACK `dgeev` and `zgeev` called as NumPy's
`umath_linalg` calls them (the same routine on the same Fortran-ordered copy, the same
workspace query), so results are NumPy's bit for bit. Real matrices give real arrays, as
Numba's: tested on matrices whose eigenvalues are real (symmetric, triangular), and a complex
eigenvalue is Numba's ValueError; complex matrices give complex arrays. Errors in child
processes."""

from __future__ import annotations

import textwrap

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_complex_linalg import run_child

from stickyjit import njit


@njit
def eig(a):
    return np.linalg.eig(a)


@njit
def eigvals(a):
    return np.linalg.eigvals(a)


@njit
def eig_unpacked(a):
    w, v = np.linalg.eig(a)
    return w.sum() + v[0, 0]


def exactly(got, want):
    assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, (got, want)
    np.testing.assert_array_equal(got, want)


def same_eig(a):
    w, v = eig(a)
    want = np.linalg.eig(a)
    exactly(w, want.eigenvalues)
    exactly(v, want.eigenvectors)
    exactly(eigvals(a), np.linalg.eigvals(a))


def real_spectrum(kind, n, dtype, seed):
    """A matrix with real eigenvalues: symmetric, upper or lower triangular, or diagonal."""
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((n, n))
    if kind == "symmetric":
        m = m + m.T
    elif kind == "upper":
        m = np.triu(m)
    elif kind == "lower":
        m = np.tril(m)
    else:
        m = np.diag(np.diag(m))
    return m.astype(dtype)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["symmetric", "upper", "lower", "diagonal"]),
    st.integers(0, 12),
    st.sampled_from([np.float64, np.float32]),
    st.integers(0, 2**32 - 1),
)
def test_real_matrices_with_real_eigenvalues_match_numpy(kind, n, dtype, seed):
    a = real_spectrum(kind, n, dtype, seed)
    same_eig(a)
    same_eig(np.asfortranarray(a))
    same_eig(a.T)
    same_eig(a[::-1, ::-1])


def test_integer_and_bool_free_inputs_and_a_large_matrix():
    same_eig(np.triu(np.arange(16).reshape(4, 4)))
    same_eig(np.eye(3, dtype=np.int32) * 5)
    same_eig(real_spectrum("symmetric", 200, np.float64, 7))
    a = real_spectrum("symmetric", 5, np.float64, 3)
    w, v = np.linalg.eig(a)
    assert eig_unpacked(a) == w.sum() + v[0, 0]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10), st.sampled_from([np.complex128, np.complex64]), st.integers(0, 2**32 - 1))
def test_complex_matrices_match_numpy(n, dtype, seed):
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))).astype(dtype)
    same_eig(a)
    same_eig(a.T)
    same_eig(np.asfortranarray(a)[:, ::-1])


def test_a_real_matrix_of_complex_eigenvalues_has_a_complex_twin():
    """The documented way around Numba's ValueError: the matrix as complex128."""
    rot = np.array([[0.0, 1.0], [-1.0, 0.0]])
    same_eig(rot.astype(np.complex128))


def test_errors_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def eig(a):
            return np.linalg.eig(a)
        @stickyjit.njit
        def eigvals(a):
            return np.linalg.eigvals(a)
        def message(f, a, cls):
            try:
                f(a)
            except Exception as e:
                assert type(e) is cls, (type(e), e)
                return str(e)
            raise AssertionError("no error")
        rot = np.array([[0.0, 1.0], [-1.0, 0.0]])
        # Numba's error for a real matrix with complex eigenvalues (NumPy returns complex arrays).
        assert np.iscomplexobj(np.linalg.eigvals(rot))
        assert message(eig, rot, ValueError) == "eig() argument must not cause a domain change."
        assert message(eigvals, rot, ValueError) == "eigvals() argument must not cause a domain change."
        # NumPy's LinAlgErrors, with its messages.
        LinAlgError = np.linalg.LinAlgError
        for bad in (np.array([[np.nan, 1.0], [0.0, 1.0]]), np.array([[1.0, np.inf], [0.0, 1.0]]),
                    np.array([[1j * np.nan, 0], [0, 1]])):
            for f, g in ((eig, np.linalg.eig), (eigvals, np.linalg.eigvals)):
                try:
                    g(bad)
                except LinAlgError as e:
                    want = str(e)
                assert message(f, bad, LinAlgError) == want
        for f, g in ((eig, np.linalg.eig), (eigvals, np.linalg.eigvals)):
            try:
                g(np.ones((2, 3)))
            except LinAlgError as e:
                want = str(e)
            assert message(f, np.ones((2, 3)), LinAlgError) == want
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"


def test_eig_of_stacks_is_numpys_per_matrix():
    # Symmetric matrices: real eigenvalues, so NumPy's answer is real too (test_linalg_stacked.py
    # covers stacks in general).
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 4, 4))
    a = x + np.swapaxes(x, -1, -2)
    w, v = eig(a)
    want_w, want_v = np.linalg.eig(a)
    np.testing.assert_array_equal(w, want_w)
    np.testing.assert_array_equal(v, want_v)
