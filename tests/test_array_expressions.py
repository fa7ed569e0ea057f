"""Array expressions (issue 17, item 2): elementwise operators on arrays and scalars with NumPy's
broadcasting and result dtypes, fused into one loop; assignment into slices and rows (with
NumPy's overlap semantics). Every answer is NumPy's own for the same function run by CPython.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def div(a, b):
    return a / b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def power(a, b):
    return a**b


def bit_and(a, b):
    return a & b


def bit_or(a, b):
    return a | b


def bit_xor(a, b):
    return a ^ b


def lt(a, b):
    return a < b


def le(a, b):
    return a <= b


def eq(a, b):
    return a == b


def ne(a, b):
    return a != b


def gt(a, b):
    return a > b


def ge(a, b):
    return a >= b


def neg(a):
    return -a


def pos(a):
    return +a


def invert(a):
    return ~a


def fused(a, b):
    # Intermediate values wrap to their dtype (an int8 sum wraps before the division).
    return ((a + b) * 3 - a * b) // 5


BINARY = [add, sub, mul, div, floordiv, mod, power, bit_and, bit_or, bit_xor, lt, le, eq, ne, gt, ge]
JIT = {f.__name__: njit(f) for f in [*BINARY, neg, pos, invert, fused]}


def numpy_outcome(f, *args):
    """NumPy's ('ok', array) or ('raise', exception class)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", f(*args)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError) as e:
            return "raise", type(e)


def same_array(expected, got, loose=False):
    expected = np.asarray(expected)
    assert isinstance(got, np.ndarray), f"got {type(got)}"
    assert got.dtype == expected.dtype, f"dtype: NumPy {expected.dtype}, compiled {got.dtype}"
    assert got.shape == expected.shape, f"shape: NumPy {expected.shape}, compiled {got.shape}"
    if loose and expected.dtype.kind == "f":
        rtol = 2e-6 if expected.dtype == np.float32 else 5e-16
        np.testing.assert_allclose(got, expected, rtol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


def elements(dtype):
    """Values of `dtype` where NumPy's and Python's semantics agree: integers within ±2**40 when
    they may meet floats (NumPy converts an int64 to float64 before comparing or dividing)."""
    d = np.dtype(dtype)
    if d.kind == "f":
        return st.floats(width=d.itemsize * 8, allow_nan=True, allow_infinity=True)
    if d.kind == "b":
        return st.booleans()
    info = np.iinfo(d)
    return st.integers(max(info.min, -(2**40)), min(info.max, 2**40))


@st.composite
def operands(draw):
    """Two arrays (or an array and a Python scalar) of broadcastable shapes and any dtypes."""
    da, db = draw(st.sampled_from(DTYPES)), draw(st.sampled_from(DTYPES))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=4))
    a = draw(hnp.arrays(da, shapes.input_shapes[0], elements=elements(da)))
    kind = draw(st.sampled_from(["array", "array", "int", "float", "bool"]))
    if kind == "array":
        b = draw(hnp.arrays(db, shapes.input_shapes[1], elements=elements(db)))
    elif kind == "int":
        b = draw(st.integers(-100, 100))
    elif kind == "float":
        b = draw(st.floats(-1e3, 1e3))
    else:
        b = draw(st.booleans())
    if draw(st.booleans()):
        a, b = b, a
    return a, b


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(BINARY), operands())
def test_binary_operators_equal_numpy(f, ab):
    a, b = ab
    expected = numpy_outcome(f, a, b)
    if expected == ("raise", OverflowError):
        return  # a Python int outside the array's dtype: NumPy raises, stickyjit wraps (documented)
    if f is power and np.asarray(a).dtype == np.bool_ and type(b) is int and b == 2:
        return  # NumPy's `a ** 2` is np.square(a): int8 for bools, by the exponent's value (documented)
    if expected[0] == "raise":
        # NumPy rejects the operand types (a float bitwise op, bool subtract, ...): stickyjit
        # refuses them at compile time, or at run time for negative integer powers.
        with pytest.raises((CompileError, ValueError, TypeError)):
            JIT[f.__name__](a, b)
        return
    result = expected[1]
    if np.ndim(result) == 0:
        return  # two scalars: not an array expression
    got = JIT[f.__name__](a, b)
    # float32: computed in float64 and rounded; float64 power: NumPy's AVX-512 loop is its own
    # (SVML) pow, which differs from the C library's, compiled code's, in the last bit at times.
    loose = (f in (power, floordiv, mod) and result.dtype == np.float32) or (f is power and result.dtype == np.float64)
    same_array(result, got, loose=loose)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(DTYPES), st.data())
def test_unary_operators_equal_numpy(dtype, data):
    a = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=elements(dtype)))
    for f in (neg, pos, invert):
        kind, expected = numpy_outcome(f, a)
        if kind == "raise":
            with pytest.raises(CompileError):
                JIT[f.__name__](a)
        else:
            same_array(expected, JIT[f.__name__](a))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["int8", "uint8", "int16", "int32", "int64", "float32", "float64"]), st.data())
def test_fused_intermediates_wrap_like_numpy(dtype, data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=5))
    a = data.draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    b = data.draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    kind, expected = numpy_outcome(fused, a, b)
    same_array(expected, JIT["fused"](a, b), loose=dtype == "float32")


def stencil(a):
    return 0.2 * (a[1:-1] + a[:-2] + a[2:])


def test_views_strided_reversed_and_fortran_operands():
    a = np.arange(24.0).reshape(4, 6)
    f = njit(add)
    for x, y in [
        (a[::2, ::-1], a[1::2, :]),
        (np.asfortranarray(a), a),
        (a.T, a.T.copy()),
        (a[:, 1:2], a[0]),
        (a[:0], a[:0]),
    ]:
        same_array(x + y, f(x, y))
    same_array(stencil(np.linspace(0, 1, 11)), njit(stencil)(np.linspace(0, 1, 11)))


def test_shape_mismatch_is_numpys_value_error():
    with pytest.raises(ValueError, match="could not be broadcast"):
        JIT["add"](np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="could not be broadcast"):
        JIT["mul"](np.ones((2, 3)), np.ones((3, 2)))


def not_array(a):
    return not a


def chained(a, b):
    return a < b < 1.0


def bool_sub(a, b):
    return a - b


def test_what_numpy_rejects_is_a_compile_error():
    with pytest.raises(CompileError, match="truth value of an array is ambiguous"):
        njit(not_array)(np.ones(2))
    with pytest.raises(CompileError, match="chained comparison of arrays"):
        njit(chained)(np.ones(2), np.ones(2))
    with pytest.raises(CompileError, match="bool arrays"):
        njit(bool_sub)(np.ones(2, bool), np.ones(2, bool))


# ---------------------------------------------------------------------------------------------
# assignment into views


def assign_slice(a, i, j, v):
    a[i:j] = v


def assign_expr(a, b):
    a[1:-1] = 0.5 * (b[2:] - b[:-2])


def shift_right(a):
    a[1:] = a[:-1] * 2 + 1


def shift_left(a):
    a[:-1] = a[1:] + a[:-1]


def reverse_into(a):
    a[:] = a[::-1]


def rows_and_columns(m, v):
    m[0] = v
    m[:, 1] = m[:, 0] * 2
    m[1:, 2:] = m[:-1, :-2] + 1
    m[-1, :] = 7


def broadcast_row(m, row):
    m[:, :] = row


def chain_targets(a, b):
    a[:] = b[:] = 3


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["int8", "int32", "int64", "uint16", "float32", "float64", "bool"]),
    st.integers(0, 12),
    st.integers(-14, 14),
    st.integers(-14, 14),
    st.one_of(st.integers(-3, 3), st.floats(-5, 5), st.booleans()),
)
def test_slice_assignment_of_a_number_equals_numpy(dtype, n, i, j, v):
    a = np.arange(n).astype(dtype)
    expected, got = a.copy(), a.copy()
    if numpy_outcome(assign_slice, expected, i, j, v) == ("raise", OverflowError):
        return  # a negative int into an unsigned array: NumPy raises, stickyjit wraps (documented)
    njit(assign_slice)(got, i, j, v)
    same_array(expected, got)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["int16", "int64", "float32", "float64"]), st.integers(2, 12), st.data())
def test_overlapping_assignments_equal_numpy(dtype, n, data):
    a = data.draw(hnp.arrays(dtype, n, elements=elements(dtype).filter(lambda x: abs(x) < 1e6)))
    for f in (shift_right, shift_left, reverse_into):
        expected, got = a.copy(), a.copy()
        numpy_outcome(f, expected)
        njit(f)(got)
        same_array(expected, got)
    b = a.astype(np.float64)
    expected, got = np.zeros(n, dtype), np.zeros(n, dtype)
    numpy_outcome(assign_expr, expected, b)
    njit(assign_expr)(got, b)
    same_array(expected, got)


def test_rows_columns_and_broadcast_rows_equal_numpy():
    for dtype in ("int32", "float64"):
        m = np.arange(20).reshape(4, 5).astype(dtype)
        expected, got = m.copy(), m.copy()
        rows_and_columns(expected, 9)
        njit(rows_and_columns)(got, 9)
        same_array(expected, got)
        expected, got = m.copy(), m.copy()
        row = np.arange(5.0) / 3
        broadcast_row(expected, row)
        njit(broadcast_row)(got, row)
        same_array(expected, got)
        f = np.asfortranarray(m)
        expected, got = f.copy(order="F"), f.copy(order="F")
        rows_and_columns(expected, -1)
        njit(rows_and_columns)(got, -1)
        same_array(expected, got)
    a, b = np.zeros(3), np.zeros(3)
    njit(chain_targets)(a, b)
    assert a.tolist() == b.tolist() == [3.0, 3.0, 3.0]


def test_assignment_errors_are_numpys():
    with pytest.raises(ValueError, match="could not be broadcast"):
        njit(broadcast_row)(np.zeros((3, 4)), np.ones(5))
    ro = np.zeros(4)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        njit(assign_slice)(ro, 0, 2, 1.0)
    with pytest.raises(CompileError, match="could not broadcast a 2-dimensional array"):
        njit(assign_all)(np.zeros(3), np.ones((3, 3)))


def assign_all(a, v):
    a[:] = v


def aug_add(a, b):
    a += b


def aug_ops(a, b):
    a -= b
    a *= 2
    a[1:] += a[:-1]
    a[::-1] += a
    a[: len(a) // 2] //= 3


def aug_rows(c, beta):
    for i in range(c.shape[0]):
        c[i, : i + 1] *= beta


def fdtd_step(ey, hz):
    ey[1:, :] -= 0.5 * (hz[1:, :] - hz[:-1, :])
    hz[:-1, :-1] -= 0.7 * (ey[1:, :-1] - ey[:-1, :-1])


def aug_scalar(x, a):
    x += a
    return x


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["int8", "uint8", "int32", "int64", "float32", "float64"]),
    st.sampled_from(["int8", "int64", "float64", "bool", "int", "float"]),
    st.integers(1, 9),
    st.data(),
)
def test_augmented_assignment_writes_in_place_as_numpy(dtype, other, n, data):
    a = data.draw(hnp.arrays(dtype, n, elements=elements(dtype).filter(lambda x: abs(x) < 50)))
    if other in ("int", "float"):
        b = data.draw(st.integers(-5, 5) if other == "int" else st.floats(-5, 5))
    else:
        b = data.draw(hnp.arrays(other, n, elements=elements(other).filter(lambda x: abs(x) < 50)))
    for f in (aug_add, aug_ops):
        expected, got = a.copy(), a.copy()
        kind, err = numpy_outcome(f, expected, b)
        if kind == "raise":
            if err is OverflowError:
                continue  # a Python int outside the dtype: NumPy raises, stickyjit wraps (documented)
            # NumPy's same_kind rule (float into an int array): a CompileError here.
            with pytest.raises(CompileError, match="same_kind"):
                njit(f)(got, b)
            continue
        alias = got  # the caller's array itself is written
        njit(f)(got, b)
        assert alias is got
        same_array(expected, got, loose=dtype == "float32")


def test_augmented_assignment_into_views_and_rows():
    c = np.random.default_rng(1).random((5, 5))
    expected, got = c.copy(), c.copy()
    aug_rows(expected, 0.5)
    njit(aug_rows)(got, 0.5)
    same_array(expected, got)
    ey, hz = np.random.default_rng(2).random((6, 7)), np.random.default_rng(3).random((6, 7))
    e1, h1, e2, h2 = ey.copy(), hz.copy(), ey.copy(), hz.copy()
    fdtd_step(e1, h1)
    njit(fdtd_step)(e2, h2)
    same_array(e1, e2)
    same_array(h1, h2)


def test_augmented_assignment_errors():
    with pytest.raises(
        CompileError, match=r"Cannot cast ufunc 'add' output from dtype\('float64'\) to dtype\('int64'\)"
    ):
        njit(aug_add)(np.arange(3), 1.5)
    with pytest.raises(CompileError, match="would make it an array"):
        njit(aug_scalar)(1.0, np.ones(2))
    with pytest.raises(ValueError, match="could not be broadcast"):
        njit(aug_add)(np.ones(3), np.ones(4))
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        njit(aug_add)(ro, 1.0)


def new_axes(a, b):
    return a[:, None] * b[None, :], a[:, np.newaxis] - b, a[None], a[None, :, None]


def new_axis_2d(x, i):
    y = x[:, None, :]
    return y, y[i, 0, 1:], x[i, None], x[None, ::-1, i]


def outer_into(out, a, b):
    out[:, :] = a[:, None] + b


def test_new_axes_equal_numpy():
    a, b = np.arange(3.0), np.arange(4.0) * 0.5
    for e, g in zip(new_axes(a, b), njit(new_axes)(a, b)):
        same_array(e, g)
    x = np.arange(12).reshape(3, 4)
    for i in (0, 2, -1):
        for e, g in zip(new_axis_2d(x, i), njit(new_axis_2d)(x, i)):
            same_array(e, g)
    expected, got = np.zeros((3, 4)), np.zeros((3, 4))
    outer_into(expected, a, b)
    njit(outer_into)(got, a, b)
    same_array(expected, got)
    with pytest.raises(IndexError):
        njit(new_axis_2d)(x, 3)


def column_updates(q):
    for j in range(1, q.shape[1]):
        q[:, j] = q[:, j - 1] * 2 + 1


def strided_pairs(m, r0, c0, r1, c1, step):
    # Two 1-D views of one array, of one stride: element-disjoint, or sharing elements.
    m[r0:, c0][::step] = m[r1:, c1][::step][: len(m[r0:, c0][::step])] + 1


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(2, 6), st.data())
def test_interleaved_views_equal_numpy(rows, cols, data):
    m = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols)
    expected, got = m.copy(), m.copy()
    column_updates(expected)
    njit(column_updates)(got)
    same_array(expected, got)
    r0, r1 = data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, rows - 1))
    c0, c1 = data.draw(st.integers(0, cols - 1)), data.draw(st.integers(0, cols - 1))
    step = data.draw(st.integers(1, 2))
    if len(m[r1:, c1][::step]) < len(m[r0:, c0][::step]):
        return
    expected, got = m.copy(), m.copy()
    strided_pairs(expected, r0, c0, r1, c1, step)
    njit(strided_pairs)(got, r0, c0, r1, c1, step)
    same_array(expected, got)


def through_two_names(a, b, i, j):
    # `a` and `b` are two locals: the same array, views of one array, or arrays apart.
    a[i:] = b[: len(a) - i] * 2 + b[j : j + len(a) - i] - 1


def columns_through_two_names(p, q, j):
    for k in range(1, p.shape[1]):
        p[1:, k] = q[:-1, k - j] + 0.5 * p[1:, k - 1]


def alias_in_body(a, i):
    b = a
    c = a[::-1]
    a[i:] = b[: len(a) - i] + c[: len(a) - i]
    return a


@settings(max_examples=150, deadline=None)
@given(
    st.integers(4, 12),
    st.integers(0, 3),
    st.integers(0, 3),
    st.sampled_from(["same", "shifted", "reversed", "apart", "strided"]),
)
def test_arrays_reached_through_two_names_equal_numpy(n, i, j, how):
    """The overlap check asks whether two locals' whole arrays meet before it looks at their views:
    an argument passed twice, a view of the other argument, or arrays apart all give NumPy's
    answer (the whole value read before any element is written)."""
    base = np.arange(2 * n, dtype=np.float64) * 1.5
    views = {
        "same": lambda x: (x[:n], x[:n]),
        "shifted": lambda x: (x[:n], x[1 : n + 1]),
        "reversed": lambda x: (x[:n], x[n - 1 :: -1]),
        "apart": lambda x: (x[:n], x[n:].copy()),
        "strided": lambda x: (x[: 2 * n : 2], x[1 : 2 * n : 2]),
    }
    expected_base, got_base = base.copy(), base.copy()
    i = min(i, n - 1)
    j = min(j, i)
    through_two_names(*views[how](expected_base), i, j)
    njit(through_two_names)(*views[how](got_base), i, j)
    same_array(expected_base, got_base)
    expected, got = base[:n].copy(), base[:n].copy()
    alias_in_body(expected, i)
    njit(alias_in_body)(got, i)
    same_array(expected, got)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6), st.integers(2, 6), st.integers(0, 1), st.sampled_from(["same", "shifted", "apart"]))
def test_columns_reached_through_two_names_equal_numpy(rows, cols, j, how):
    m = np.arange(rows * (cols + 1), dtype=np.float64).reshape(rows, cols + 1)
    pick = {
        "same": lambda x: (x[:, :cols], x[:, :cols]),
        "shifted": lambda x: (x[:, :cols], x[:, 1:]),
        "apart": lambda x: (x[:, :cols], x[:, :cols].copy()),
    }
    expected, got = m.copy(), m.copy()
    columns_through_two_names(*pick[how](expected), j)
    njit(columns_through_two_names)(*pick[how](got), j)
    same_array(expected, got)


def outer_new_axes(a, b):
    return a[:, None] * b[None, :]


def outer_into_copy(a, b, out):
    out[:] = a[:, None] + b
    return out


def outer_three(a, b, c):
    return c + a[:, None, None] * b[:, None] + c[0, 0, :]


def with_zero_d(a, z):
    return a * z + 1


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["float64", "float32", "int64", "int16", "bool"]),
    st.integers(0, 6),
    st.integers(0, 6),
    st.sampled_from(["c", "reversed", "stepped"]),
)
def test_a_new_last_axis_is_read_once_per_row_as_numpy_broadcasts_it(dtype, n, m, how):
    # `a[:, None]` has a last axis of size 1 by construction: the contiguous loop reads it once
    # per row (with any strides of `a` and `b`).
    rng = np.random.default_rng(n * 7 + m)
    a = (rng.random(2 * n + 1) * 10).astype(dtype)
    b = (rng.random(2 * m + 1) * 10).astype(dtype)
    view = {"c": lambda x: x[: len(x) // 2 + 1], "reversed": lambda x: x[::-1], "stepped": lambda x: x[::2]}[how]
    a, b = view(a), view(b)
    same_array(outer_new_axes(a, b), njit(outer_new_axes)(a, b))
    out = np.zeros((len(a), len(b)), dtype=np.float64)
    same_array(outer_into_copy(a, b, out.copy()), njit(outer_into_copy)(a, b, out.copy()))
    c = (rng.random((len(a), len(b), 3)) * 10).astype(dtype)
    same_array(outer_three(a, b, c), njit(outer_three)(a, b, c))
    z = np.array(3, dtype=dtype)
    same_array(with_zero_d(a, z), njit(with_zero_d)(a, z))


def affine(a):
    return a * 2.0 + 1.0


def test_one_c_operand_makes_one_loop_nest_right_for_every_shape_and_stride():
    # One C-contiguous array and numbers: the contiguous loop is the only one made (nothing is
    # broadcast; along a last axis of one element the stride does not matter). Shapes with
    # axes of one or zero elements, and a C-contiguous array whose axis of one element has a
    # stride NumPy ignores.
    f = njit(affine)
    x = np.arange(12.0)
    odd = np.lib.stride_tricks.as_strided(x, shape=(4, 1), strides=(8, 800))
    assert odd.flags.c_contiguous
    for a in [
        np.arange(12.0).reshape(3, 4),
        np.arange(3.0).reshape(3, 1),
        np.arange(3.0).reshape(1, 3),
        np.zeros((0, 3)),
        np.zeros((3, 0)),
        odd,
        np.arange(5.0),
    ]:
        same_array(affine(a), f(a))
    # (jit-core's pattern test `one_c_array_in_an_expression_makes_the_contiguous_loop_alone`
    # checks that only the contiguous loop is made.)


def plane_update(a, b, k):
    b[:, :] = a[:, :, k] * 2.0 + b
    a[:, :, k] += b
    return a[:, :, k] - b


def column_update(p, j):
    p[1:, j] = p[:-1, j] * 0.5 + p[1:, j - 1]
    p[:, j - 1] *= 3


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 4),
    st.integers(0, 4),
    st.integers(1, 3),
    st.sampled_from(["float64", "float32", "int64"]),
    st.data(),
)
def test_planes_and_columns_of_c_arrays_equal_numpy_whatever_their_strides(n, m, kk, dtype, data):
    # `a[:, :, k]` and `p[1:, j]` of C arrays get the strided loop alone (their last axis is
    # an earlier axis of the array); with one element in the axes after it, the view's last
    # axis is contiguous after all, and with two columns of one array the value overlaps the
    # target element by element in one and not in the other.
    k = data.draw(st.integers(-kk, kk - 1))
    a = np.arange(n * m * kk).reshape(n, m, kk).astype(dtype)
    b = (np.arange(n * m).reshape(n, m) % 5).astype(dtype)
    ea, eb, ga, gb = a.copy(), b.copy(), a.copy(), b.copy()
    same_array(plane_update(ea, eb, k), njit(plane_update)(ga, gb, k))
    same_array(ea, ga)
    same_array(eb, gb)
    j = data.draw(st.integers(1, max(1, m - 1)))
    if m < 2:
        return
    p = np.arange(n * m).reshape(n, m).astype(dtype)
    expected, got = p.copy(), p.copy()
    column_update(expected, j)
    njit(column_update)(got, j)
    same_array(expected, got)
