"""The leftovers of the linear-algebra issue: `np.dot` (and `a.dot`) with a number or a 0-d
array operand (NumPy's `a * b` in the operands' promoted dtype, every number strong), and the
in-place matrix product `a @= b` (NumPy's `a[...] = a @ b` with its shape check), checked
against NumPy's own answers on the same inputs (shapes, dtypes, views), errors with NumPy's
class and message."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit

DTYPES = [np.float32, np.float64, np.complex64, np.complex128, np.int8, np.int64, np.bool_]


@njit
def dot(a, b):
    return np.dot(a, b)


@njit
def dot_method(a, b):
    return a.dot(b)


@njit
def dot_element(a, i, b):
    # a[i] of a float32 or complex64 array is a number of that dtype.
    return np.dot(a[i], b)


@njit
def imatmul(a, b):
    a @= b
    return a


@njit
def imatmul_copy(a, b):
    c = a.copy()
    c @= b
    return c


def same(got, want, dtype=None):
    """`got` is NumPy's `want`: type (array or number), dtype, shape, values (float32 and
    complex64 products computed in double and rounded once may differ from NumPy's float32
    arithmetic in the last bit, complex128 ones from NumPy's SIMD loop in the last bit)."""
    assert isinstance(got, np.ndarray) == isinstance(want, np.ndarray), (got, want)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
    else:
        assert np.asarray(got).dtype.kind == np.asarray(want).dtype.kind, (got, want)
    d = np.asarray(want).dtype
    if d in (np.float32, np.complex64):
        np.testing.assert_allclose(got, want, rtol=2e-7, atol=0)
    elif d == np.complex128:
        # NumPy's complex multiply loop may fuse a product into the sum (an FMA): an ulp.
        np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)
    else:
        np.testing.assert_array_equal(got, want)


def arrays(dtype, min_dims=1, max_dims=3):
    # Finite elements: NumPy hands a contiguous float or complex array and a number to BLAS's
    # `?scal`, whose zero factor writes zeros (inf * 0 is 0 there, NaN here: docs/language.md).
    elements = None
    if np.dtype(dtype).kind == "f":
        elements = st.floats(-1e3, 1e3, width=32)
    elif np.dtype(dtype).kind == "c":
        elements = st.complex_numbers(
            max_magnitude=1e3, allow_infinity=False, allow_nan=False, width=np.dtype(dtype).itemsize * 8
        )
    return hnp.arrays(
        dtype, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0, max_side=4), elements=elements
    )


NUMBERS = st.one_of(
    st.booleans(),
    st.integers(-100, 100),
    st.floats(-1e3, 1e3),
    st.complex_numbers(max_magnitude=1e3),
)


@given(st.sampled_from(DTYPES).flatmap(arrays), NUMBERS, st.booleans())
@settings(max_examples=120, deadline=None)
def test_dot_of_an_array_and_a_number_is_numpys_product(a, s, left):
    args = (s, a) if left else (a, s)
    same(dot(*args), np.dot(*args))
    if not left:
        same(dot_method(a, s), a.dot(s))


@given(st.sampled_from(DTYPES).flatmap(lambda d: arrays(d, 2, 3)), NUMBERS)
@settings(max_examples=40, deadline=None)
def test_dot_of_views_and_a_number(a, s):
    for v in (a.T, a[::-1], a[..., ::2]):
        same(dot(v, s), np.dot(v, s))


@pytest.mark.parametrize("x", [2, 2.5, 1 - 2j, True])
@pytest.mark.parametrize("y", [3, -0.5, 2j, False])
def test_dot_of_two_numbers_is_a_number(x, y):
    same(dot(x, y), np.dot(x, y))


@pytest.mark.parametrize("dx", DTYPES)
@pytest.mark.parametrize("dy", [np.float32, np.int8, np.complex64, np.float64])
def test_dot_with_a_0d_array_promotes_as_numpy(dx, dy):
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((3, 2)) * 10).astype(dx)
    z = np.array(7, dtype=dy)
    same(dot(a, z), np.dot(a, z))
    same(dot(z, a), np.dot(z, a))
    same(dot(z, np.array(3, dtype=dx)), np.dot(z, np.array(3, dtype=dx)))


def test_dot_of_a_float32_element_keeps_float32():
    a = np.array([1.5, 2.25], dtype=np.float32)
    b = np.arange(4, dtype=np.float32).reshape(2, 2)
    same(dot_element(a, 1, b), np.dot(a[1], b))
    c = np.array([1 + 2j], dtype=np.complex64)
    same(dot_element(c, 0, b), np.dot(c[0], b))


def test_dot_of_int8_wraps_as_numpy():
    z = np.array(100, dtype=np.int8)
    same(dot(z, np.array(2, dtype=np.int8)), np.dot(z, np.array(2, dtype=np.int8)))
    same(dot(np.arange(4, dtype=np.int8) * 40, z), np.dot(np.arange(4, dtype=np.int8) * 40, z))


def test_matmul_of_a_number_is_still_a_compile_error():
    @njit
    def mm(a, b):
        return a @ b

    with pytest.raises(CompileError, match="matmul takes two arrays"):
        mm(np.ones(2), 2.0)


SQUARE_CASES = [
    ((3,), (3, 3)),
    ((2, 3), (3, 3)),
    ((4, 2, 3), (3, 3)),
    ((2, 3, 3), (2, 3, 3)),
    ((2, 3, 3), (1, 3, 3)),
    ((0, 3), (3, 3)),
    ((2, 0), (0, 0)),
]


@given(
    st.sampled_from(SQUARE_CASES),
    st.sampled_from([np.float32, np.float64, np.complex64, np.complex128]),
    st.sampled_from([np.float32, np.float64, np.complex64, np.complex128, np.int64]),
    st.integers(0, 2**16),
)
@settings(max_examples=80, deadline=None)
def test_imatmul_is_numpys(shapes, da, db, seed):
    if np.dtype(db).kind == "c" and np.dtype(da).kind != "c":
        return  # NumPy's same_kind error: test_imatmul_errors
    rng = np.random.default_rng(seed)
    sa, sb = shapes
    a = rng.standard_normal(sa).astype(da)
    b = rng.standard_normal(sb).astype(db)
    if np.dtype(da).kind == "c":
        a = a + 1j * rng.standard_normal(sa).astype(da)
    want = a.copy()
    want @= b
    got = a.copy()
    out = imatmul(got, b)
    assert got.size == 0 or np.shares_memory(out, got)  # in place, into a's memory
    assert got.dtype == want.dtype and got.shape == want.shape
    # Below BLAS's cut-offs the sums are stickyjit's loops, NumPy's BLAS groups them otherwise
    # (docs/language.md, "Matrix products"): equal to rounding, bounded by k eps (|a| @ |b|).
    eps = np.finfo(want.dtype).eps
    bound = (np.abs(a).astype(np.float64) @ np.abs(b).astype(np.float64)) * eps * (sb[-2] + 2) * 2
    assert np.all(np.abs(got.astype(np.complex128) - want) <= bound), (got, want)
    # a[...] = a @ b, as NumPy's
    ref = a.copy()
    ref[...] = a @ b
    assert np.all(np.abs(got.astype(np.complex128) - ref) <= bound), (got, ref)


def test_imatmul_of_views_writes_through():
    base = np.arange(24.0).reshape(4, 6)
    b = np.arange(9.0).reshape(3, 3) / 7
    for view in (lambda x: x[:, ::2], lambda x: x[::2, 1:4], lambda x: x.T[:2, 1:]):
        want, got = base.copy(), base.copy()
        v = view(want)
        v @= b
        imatmul(view(got), b)
        np.testing.assert_allclose(got, want, rtol=1e-14)  # to rounding (loops vs BLAS)
    # b a view of a: the product is made first, as NumPy's
    want, got = base[:3, :3].copy(), base[:3, :3].copy()
    want @= want.T
    imatmul(got, got.T)
    np.testing.assert_allclose(got, want, rtol=1e-14)  # to rounding (loops vs BLAS)


def test_imatmul_converts_to_as_dtype():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.linspace(0, 1, 9).reshape(3, 3)
    want = a.copy()
    want @= b
    got = imatmul_copy(a, b)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-6)
    i = np.arange(6).reshape(2, 3)
    want = i.copy()
    want @= np.eye(3, dtype=np.int8) * 3
    same(imatmul_copy(i, np.eye(3, dtype=np.int8) * 3), want)


@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((2, 3), (3, 2)),
        ((3, 3), (4, 3)),
        ((3,), (3, 4)),
        ((3,), (4, 3)),
        ((2, 3, 3), (2, 3, 4)),
        ((1, 3, 3), (2, 3, 3)),
        ((1, 2, 3, 4), (5, 2, 4, 4)),
    ],
)
def test_imatmul_shape_errors_are_numpys(sa, sb):
    with pytest.raises(Exception) as want:
        x = np.ones(sa)
        x @= np.ones(sb)
    with pytest.raises(Exception) as got:
        imatmul(np.ones(sa), np.ones(sb))
    assert type(got.value) is type(want.value) is ValueError
    assert str(got.value) == str(want.value)


def test_imatmul_errors_known_when_compiling():
    with pytest.raises(CompileError, match="inplace matrix multiplication requires the first operand"):
        imatmul(np.ones((2, 3)), np.ones(3))
    with pytest.raises(CompileError, match="output operand requires a reduction"):
        imatmul(np.ones((3, 3)), np.ones((2, 3, 3)))
    with pytest.raises(
        CompileError, match="Cannot cast ufunc 'matmul' output from dtype\\('complex128'\\) to dtype\\('float64'\\)"
    ):
        imatmul(np.ones((3, 3)), np.ones((3, 3), complex))
    with pytest.raises(CompileError, match="matmul takes two arrays"):
        imatmul(np.ones((3, 3)), 2.0)

    @njit
    def number(x, b):
        x @= b
        return x

    with pytest.raises(CompileError, match="matmul takes two arrays"):
        number(2.0, np.ones((2, 2)))

    @njit
    def element(a, b):
        a[0] @= b
        return a

    with pytest.raises(CompileError, match="'@='"):
        element(np.ones((2, 2)), np.ones((2, 2)))


def test_imatmul_of_a_read_only_array_is_numpys_error():
    a = np.ones((2, 2))
    a.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        imatmul(a, np.eye(2))


@njit
def norm_axis(x, axis):
    return np.linalg.norm(x, axis=axis)


@njit
def norm_2_axis(x, axis):
    return np.linalg.norm(x, 2, axis)


@given(
    st.integers(1, 300),
    st.integers(1, 12),
    st.sampled_from([np.float32, np.float64, np.complex64, np.complex128]),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=40, deadline=None)
def test_2_norms_along_an_axis_of_long_lines_are_numpys_bit_for_bit(m, n, dtype, seed):
    # The sums of squares read each line as a slice and fuse as NumPy's loops do: NumPy's
    # pairwise sums (lines of 8, 128 and more elements) and its in-order sums across lines.
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((m, n))
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal((m, n))
    x = x.astype(dtype)
    for v in (x, x.T, np.asfortranarray(x), x[::2], x[:, ::-1], x.T[::-1]):
        for axis in (0, 1, -1):
            want = np.linalg.norm(v, axis=axis)
            for f in (norm_axis, norm_2_axis):
                got = f(v, axis)
                assert got.dtype == want.dtype and got.shape == want.shape
                np.testing.assert_array_equal(got, want)


NORM_ORDS = [None, 2, 1, 0, -1, np.inf, -np.inf, 3]


def norm_along(ord, axis):
    """A jitted `norm(x, ord, axis)` with both literal (the axis of an N-D array must be)."""
    ns = {"np": np}
    src = f"def f(x):\n    return np.linalg.norm(x, {ord!r}, {axis})\n".replace("inf", "np.inf").replace(
        "np.np.", "np."
    )
    import linecache

    name = f"<norm {ord} {axis}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    exec(compile(src, name, "exec"), ns)
    return njit(ns["f"])


NORMS = {(o, a): norm_along(o, a) for o in NORM_ORDS for a in (0, 1, 2, -1, -3)}


@given(
    hnp.array_shapes(min_dims=3, max_dims=4, min_side=1, max_side=6),
    st.sampled_from([np.float32, np.float64, np.complex64, np.complex128]),
    st.sampled_from(NORM_ORDS),
    st.sampled_from([0, 1, 2, -1, -3]),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=60, deadline=None)
def test_vector_norms_along_an_axis_of_nd_arrays_are_numpys(shape, dtype, ord, axis, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    x = x.astype(dtype)
    f = NORMS[(ord, axis)]
    for v in (x, x.transpose(), x[::-1], x[..., ::2], np.asfortranarray(x)):
        want = np.linalg.norm(v, ord, axis)
        got = f(v)
        assert got.dtype == want.dtype and got.shape == want.shape
        if ord == 3:  # NumPy's ** may be its SIMD pow: to rounding (docs/language.md)
            np.testing.assert_allclose(got, want, rtol=1e-5 if want.dtype == np.float32 else 1e-13)
        else:
            np.testing.assert_array_equal(got, want)


def test_norms_of_nd_arrays_that_are_not_compiled():
    @njit
    def no_axis(x):
        return np.linalg.norm(x, 2)

    @njit
    def tuple_axis(x):
        return np.linalg.norm(x, 2, (1, 2))

    @njit
    def variable_axis(x, k):
        return np.linalg.norm(x, 2, k)

    with pytest.raises(CompileError, match="3-D array takes axis as an int literal"):
        no_axis(np.ones((2, 2, 2)))
    with pytest.raises(CompileError, match="a tuple of axes is not compiled"):
        tuple_axis(np.ones((2, 2, 2)))
    with pytest.raises(CompileError, match="int literal"):
        variable_axis(np.ones((2, 2, 2)), 1)
    with pytest.raises(CompileError, match="axis 3 is out of bounds for array of dimension 3"):
        norm_along(None, 3)(np.ones((2, 2, 2)))


def test_lstsq_of_a_stack_is_a_compile_error_naming_numpys_refusal():
    @njit
    def lstsq(a, b):
        return np.linalg.lstsq(a, b)

    with pytest.raises(np.linalg.LinAlgError, match="3-dimensional array given"):
        np.linalg.lstsq(np.ones((2, 3, 3)), np.ones((2, 3)))
    with pytest.raises(CompileError, match="3-D array: NumPy's lstsq takes a 2-D matrix only"):
        lstsq(np.ones((2, 3, 3)), np.ones((2, 3)))
