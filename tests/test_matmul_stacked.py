"""`@` and np.matmul of stacks of matrices (3 or more dimensions): NumPy's broadcasting over the
leading axes, a vector operand a row or a column, one 2-D product per matrix (BLAS where the
2-D path calls it), checked against NumPy's own answer: exactly for small integers (exact in
any order of summation) and for products above the BLAS cut-off, to rounding below it; the
errors (inner sizes, leading axes that do not broadcast) in a child process."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_complex_linalg import run_child

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


DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_, np.complex128, np.complex64]


def small(shape, dtype, rng):
    if dtype is np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    x = rng.integers(0 if dtype is np.uint8 else -4, 5, shape).astype(dtype)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.integers(-4, 5, shape)
    return x.astype(dtype)


def exactly(got, want):
    assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, (got, want)
    np.testing.assert_array_equal(got, want)


@st.composite
def stacked_shapes(draw):
    """Two matmul operands' shapes (one of 3 or more dimensions) whose leading axes broadcast."""
    m, k, n = draw(st.integers(0, 4)), draw(st.integers(0, 4)), draw(st.integers(0, 4))
    batch = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    a_batch = [d if draw(st.booleans()) else 1 for d in batch][draw(st.integers(0, len(batch))) :]
    b_batch = [d if draw(st.booleans()) else 1 for d in batch][draw(st.integers(0, len(batch))) :]
    a = [k] if draw(st.integers(0, 4)) == 0 else [*a_batch, m, k]
    b = [k] if draw(st.integers(0, 4)) == 0 else [*b_batch, k, n]
    if len(a) < 3 and len(b) < 3:
        a = [*batch, m, k]
    return tuple(a), tuple(b)


@settings(max_examples=150, deadline=None)
@given(stacked_shapes(), st.sampled_from(DTYPES), st.sampled_from(DTYPES), st.integers(0, 2**32 - 1))
def test_stacks_match_numpy(shapes, dta, dtb, seed):
    rng = np.random.default_rng(seed)
    a, b = small(shapes[0], dta, rng), small(shapes[1], dtb, rng)
    want = np.matmul(a, b)
    exactly(matmul_op(a, b), want)
    exactly(matmul_fn(a, b), want)
    # Views: reversed leading axes, transposed matrices.
    if a.ndim >= 3:
        exactly(matmul_op(a[::-1], b), np.matmul(a[::-1], b))
        at = np.swapaxes(a, -1, -2).copy()
        exactly(matmul_op(np.swapaxes(at, -1, -2), b), want)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64])
def test_large_stacks_call_blas_as_numpy(dtype):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 48, 40)).astype(dtype)
    b = rng.standard_normal((40, 36)).astype(dtype)
    c = rng.standard_normal((2, 1, 40, 36)).astype(dtype)
    exactly(matmul_op(a, b), a @ b)
    exactly(matmul_op(a, c), a @ c)
    exactly(matmul_op(np.swapaxes(a, 1, 2), a), np.swapaxes(a, 1, 2) @ a)
    exactly(matmul_op(a[::-1], np.asfortranarray(b)), a[::-1] @ np.asfortranarray(b))
    # Below the BLAS cut-off, stickyjit's loops: NumPy's to rounding.
    s = rng.standard_normal((4, 3, 5)).astype(dtype)
    np.testing.assert_allclose(matmul_op(s, s.swapaxes(1, 2)), s @ s.swapaxes(1, 2), rtol=1e-5)


def test_matmul_out_and_in_expressions():
    @njit
    def into(a, b, c):
        np.matmul(a, b, out=c)
        return c

    @njit
    def expr(a, b):
        return 2.0 * (a @ b) + 1.0

    a = np.arange(24.0).reshape(2, 3, 4)
    b = np.arange(8.0).reshape(4, 2)
    exactly(into(a, b, np.empty((2, 3, 2))), a @ b)
    exactly(expr(a, b), 2.0 * (a @ b) + 1.0)


@njit
def dot_method(a, b):
    return a.dot(b)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=0, max_size=2),
    st.lists(st.integers(0, 3), min_size=0, max_size=2),
    st.integers(0, 4),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from(DTYPES),
    st.sampled_from(DTYPES),
    st.integers(0, 2**16),
)
def test_np_dot_of_more_dimensions_is_numpys(a_lead, b_lead, k, n, b_vector, dta, dtb, seed):
    # NumPy's dot: the sums over a's last axis and b's second-to-last (its only one if 1-D),
    # small integers (exact in any order of summation).
    rng = np.random.default_rng(seed)
    sa = (*a_lead, k)
    sb = (k,) if b_vector else (*b_lead, k, n)
    if len(sa) <= 2 and len(sb) <= 2:
        sa = (2, *sa)
    a, b = small(sa, dta, rng), small(sb, dtb, rng)
    exactly(dot_fn(a, b), np.dot(a, b))
    exactly(dot_method(a, b), a.dot(b))
    # Views: a reversed along its first axis, b transposed (its last two axes swapped).
    if b.ndim >= 2:
        bt = np.ascontiguousarray(np.swapaxes(b, -1, -2))
        exactly(dot_fn(a[::-1], np.swapaxes(bt, -1, -2)), np.dot(a[::-1], b))


def test_np_dot_of_more_dimensions_with_long_sums_is_numpys_bit_for_bit():
    # From 32 terms each dot product is BLAS's, as NumPy's per element.
    rng = np.random.default_rng(3)
    for dtype in (np.float64, np.complex128):
        a = small((2, 3, 40), dtype, rng) + rng.standard_normal((2, 3, 40))
        b = small((4, 40, 5), dtype, rng) + rng.standard_normal((4, 40, 5))
        exactly(dot_fn(a, b), np.dot(a, b))
        exactly(dot_fn(a, b[0, :, 0]), np.dot(a, b[0, :, 0]))
    # Short sums: stickyjit's loop where NumPy calls BLAS (to rounding).
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4, 2))
    np.testing.assert_allclose(dot_fn(a, b), np.dot(a, b), rtol=1e-13)


def test_np_dot_inner_sizes_that_differ_are_numpys_value_error():
    with pytest.raises(ValueError) as want:
        np.dot(np.ones((2, 3, 4)), np.ones(5))
    with pytest.raises(ValueError) as got:
        dot_fn(np.ones((2, 3, 4)), np.ones(5))
    # NumPy's message names the full shapes; stickyjit's the last two axes of each operand.
    assert str(want.value) == "shapes (2,3,4) and (5,) not aligned: 4 (dim 2) != 5 (dim 0)"
    assert str(got.value) == "shapes (3,4) and (5,) not aligned: 4 (dim 1) != 5 (dim 0)"
    with pytest.raises(ValueError, match="not aligned"):
        dot_fn(np.ones((2, 3, 4)), np.ones((2, 5, 3)))
    # np.dot with a number is NumPy's product (tests/test_linalg_leftovers.py).
    np.testing.assert_array_equal(dot_fn(np.ones((2, 2, 2)), 2.0), np.dot(np.ones((2, 2, 2)), 2.0))


def test_errors_in_a_child_process():
    code = textwrap.dedent(
        """
        import numpy as np, stickyjit
        @stickyjit.njit
        def mm(a, b):
            return a @ b
        def error(f, *args):
            try:
                f(*args)
            except ValueError as e:
                return str(e)
            raise AssertionError("no error")
        # Inner sizes: NumPy's message.
        for sa, sb in (((2, 3, 4), (5, 6)), ((2, 3, 4), (5,)), ((3,), (2, 4, 5))):
            a, b = np.ones(sa), np.ones(sb)
            assert error(mm, a, b) == error(np.matmul, a, b)
        # Leading axes that do not broadcast: a ValueError (NumPy's message names the shapes).
        assert "broadcast" in error(mm, np.ones((2, 3, 4)), np.ones((3, 4, 5)))
        print("ok")
        """
    )
    assert run_child(code).strip() == "ok"
