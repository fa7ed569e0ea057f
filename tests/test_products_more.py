"""np.vdot, np.inner, np.outer, np.kron and np.trace with NumPy's semantics for complex operands
too (vdot conjugates its first argument), inner of 1-D and 2-D operands and trace with offset=
and axis1=/axis2=; each checked against NumPy's own answer on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_numpy_library import same_scalar

from stickyjit import CompileError, jit


@jit
def call_vdot(a, b):
    return np.vdot(a, b)


@jit
def call_inner(a, b):
    return np.inner(a, b)


@jit
def call_outer(a, b):
    return np.outer(a, b)


@jit
def call_kron(a, b):
    return np.kron(a, b)


@jit
def call_trace(a):
    return np.trace(a)


@jit
def call_trace_offset(a, k):
    return np.trace(a, k)


@jit
def call_trace_axes(a, k, ax1, ax2):
    return np.trace(a, offset=k, axis1=ax1, axis2=ax2)


@jit
def call_trace_method(a, k):
    return a.trace(k)


DTYPES = [np.complex128, np.complex64, np.float64, np.float32, np.int64, np.int8, np.uint8, np.bool_]


def small(dt):
    """Small integral values (exact in any order of summation), complex ones for complex dtypes."""
    if dt is np.bool_:
        return st.booleans()
    if np.issubdtype(dt, np.complexfloating):
        return st.builds(complex, st.integers(-9, 9), st.integers(-9, 9))
    if np.issubdtype(dt, np.unsignedinteger):
        return st.integers(0, 9)
    return st.integers(-9, 9)


def same(got, want):
    """NumPy's array (dtype, shape, elements) or scalar (the Python value stickyjit returns)."""
    if isinstance(want, np.ndarray) and want.ndim > 0:
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, (got, want)
        np.testing.assert_array_equal(got, want)
    else:
        same_scalar(got, want[()] if isinstance(want, np.ndarray) else want)


@given(st.sampled_from(DTYPES), st.sampled_from(DTYPES), st.integers(0, 12), st.data())
def test_vdot_inner_outer_kron_of_vectors_match_numpy(dta, dtb, n, data):
    a = data.draw(hnp.arrays(dta, n, elements=small(dta)))
    b = data.draw(hnp.arrays(dtb, n, elements=small(dtb)))
    same(call_vdot(a, b), np.vdot(a, b))
    same(call_vdot(a[::-1], b), np.vdot(a[::-1], b))
    same(call_inner(a, b), np.inner(a, b))
    same(call_outer(a, b[::-1]), np.outer(a, b[::-1]))
    same(call_kron(a, b), np.kron(a, b))


def view_of(x, how):
    """x itself, reversed along its first axis, transposed, or a strided view of a copy of x
    spread over twice the memory along its last axis."""
    if how == 1:
        return x[::-1]
    if how == 2:
        return x.T
    if how == 3:
        wide = np.zeros(x.shape[:-1] + (2 * x.shape[-1],), dtype=x.dtype)
        wide[..., ::2] = x
        return wide[..., ::2]
    return x


@given(
    st.sampled_from(DTYPES),
    st.sampled_from(DTYPES),
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
    st.integers(0, 3),
    st.integers(0, 3),
    st.data(),
)
def test_kron_of_arrays_of_one_to_three_dimensions_matches_numpy(dta, dtb, sa, sb, va, vb, data):
    a = view_of(data.draw(hnp.arrays(dta, sa, elements=small(dta))), va)
    b = view_of(data.draw(hnp.arrays(dtb, sb, elements=small(dtb))), vb)
    same(call_kron(a, b), np.kron(a, b))


def test_kron_of_matrices_keeps_numpys_layout_and_values():
    # Complex values with signed zeros, infinities and NaN: NumPy's products, one by one.
    a = np.array([[1 + 2j, -0.0 + 0j], [np.inf + 1j, 3 - 1j]])
    b = np.array([[2.0, -1.0, np.nan], [0.5, -0.0, 4.0]])
    with np.errstate(all="ignore"):
        want = np.kron(a, b)
        got = call_kron(a, b)
    assert got.dtype == want.dtype and got.shape == want.shape and got.flags.c_contiguous
    np.testing.assert_array_equal(got.view(np.float64), want.view(np.float64))
    # Fortran-ordered and 0-size operands.
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    same(call_kron(f, f), np.kron(f, f))
    same(call_kron(np.zeros((0, 3)), f), np.kron(np.zeros((0, 3)), f))
    same(
        call_kron(np.ones(3, dtype=np.float32), np.zeros((2, 0), dtype=np.int8)),
        np.kron(np.ones(3, dtype=np.float32), np.zeros((2, 0), dtype=np.int8)),
    )


def test_kron_of_four_dimensions_or_of_a_number_is_an_error_naming_it():
    with pytest.raises(CompileError, match=r"np.kron\(\) is compiled from stickyjit's implementation"):
        call_kron(np.ones((1, 1, 1, 2)), np.ones(2))
    with pytest.raises(TypeError, match=r"np.kron\(\) is compiled"):
        call_kron(2.0, np.ones(2))


def test_vdot_conjugates_its_first_argument():
    a = np.array([1 + 2j, 3 - 4j, -5j])
    b = np.array([2 - 1j, 1j, 7 + 0j])
    same(call_vdot(a, b), np.vdot(a, b))
    same(call_vdot(b, a), np.vdot(b, a))
    # Of any dimensions, flattened; a real operand with a complex one.
    m = (np.arange(6) - 1j * np.arange(6)).reshape(2, 3)
    same(call_vdot(m, m.T), np.vdot(m, m.T))
    same(call_vdot(np.arange(6.0), m), np.vdot(np.arange(6.0), m))
    same(call_vdot(m, np.arange(6.0).reshape(3, 2)), np.vdot(m, np.arange(6.0).reshape(3, 2)))
    # A long complex vector (BLAS's zdotu on the conjugate, NumPy's zdotc): NumPy's to rounding.
    rng = np.random.default_rng(1)
    x = rng.standard_normal(1000) + 1j * rng.standard_normal(1000)
    y = rng.standard_normal(1000) + 1j * rng.standard_normal(1000)
    assert call_vdot(x, y) == pytest.approx(np.vdot(x, y), rel=1e-12)
    with pytest.raises(ValueError):
        call_vdot(a, np.ones(2, dtype=complex))


@given(
    st.sampled_from(DTYPES), st.sampled_from(DTYPES), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.data()
)
def test_inner_of_matrices_matches_numpy(dta, dtb, m, k, p, data):
    a = data.draw(hnp.arrays(dta, (m, k), elements=small(dta)))
    b = data.draw(hnp.arrays(dtb, (p, k), elements=small(dtb)))
    v = data.draw(hnp.arrays(dtb, k, elements=small(dtb)))
    same(call_inner(a, b), np.inner(a, b))
    same(call_inner(a, v), np.inner(a, v))
    same(call_inner(v, b), np.inner(v, b))
    same(call_inner(a.T.copy().T, b[::-1]), np.inner(a, b[::-1]))


def test_inner_errors():
    with pytest.raises(ValueError):
        np.inner(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        call_inner(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        call_inner(np.ones((2, 3)), np.ones((2, 4)))
    # Three dimensions: not supported (NumPy computes it): a CompileError naming np.inner(),
    # or the implementation's ValueError where the product itself would compile.
    with pytest.raises((ValueError, CompileError), match="inner|negative"):
        call_inner(np.ones((2, 2, 3)), np.ones(3))


TRACE_MATRICES = [
    np.arange(12.0).reshape(3, 4),
    np.arange(12, dtype=np.int8).reshape(4, 3) * 20,
    np.arange(12, dtype=np.uint8).reshape(4, 3) * 30,
    (np.arange(12) % 3 == 0).reshape(3, 4),
    np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
    (np.arange(12) + 1j * np.arange(12)[::-1]).reshape(4, 3),
    (np.arange(9) - 2j).reshape(3, 3).astype(np.complex64),
    np.zeros((0, 3)),
]


@pytest.mark.parametrize("a", TRACE_MATRICES, ids=lambda a: f"{a.dtype}{a.shape}")
def test_trace_with_offsets_and_axes_matches_numpy(a):
    for m in (a, a[::-1], a.T, a[:, ::2]):
        same(call_trace(m), np.trace(m))
        for k in range(-5, 6):
            same(call_trace_offset(m, k), np.trace(m, k))
            same(call_trace_method(m, k), m.trace(k))
            for ax1, ax2 in ((0, 1), (1, 0), (-1, 0), (0, -1)):
                same(call_trace_axes(m, k, ax1, ax2), np.trace(m, offset=k, axis1=ax1, axis2=ax2))


def test_trace_bad_axes_are_value_errors():
    a = np.ones((2, 2))
    for ax1, ax2 in ((0, 0), (0, 2), (-3, 1)):
        with pytest.raises(ValueError):
            np.trace(a, 0, ax1, ax2)
        with pytest.raises(ValueError):
            call_trace_axes(a, 0, ax1, ax2)
