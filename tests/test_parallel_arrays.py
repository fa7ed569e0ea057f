"""Array expressions under ``@jit(parallel=True)`` (issue 21, point 4): a fused loop nest of at
least 2**16 elements runs its outermost axis in chunks on the thread pool. Every element is
computed as the serial nest computes it, so each result must equal NumPy's own bit for bit
(``assert_array_equal(strict=True)``), below and above the threshold, whatever the layout of
the operands; errors are NumPy's.
"""

from __future__ import annotations

import numpy as np
import pytest

import stickyjit
from stickyjit import njit, prange, vectorize

par = njit(parallel=True)
THRESHOLD = 1 << 16  # (1 << 12 for a nest that calls np.sin and its kin per element)
SIZES = [7, 1000, 4095, 4096, 5001, THRESHOLD - 1, THRESHOLD, 300_001]


@pytest.fixture(autouse=True)
def _all_threads():
    stickyjit.set_num_threads(stickyjit._native._max_threads())
    yield
    stickyjit.set_num_threads(stickyjit._native._max_threads())


def same_array(actual, expected):
    assert isinstance(actual, np.ndarray)
    np.testing.assert_array_equal(actual, expected, strict=True)


def rng_floats(n, seed=0):
    return np.random.default_rng(seed).standard_normal(n)


def rng_ints(n, dtype, seed=0):
    info = np.iinfo(dtype)
    return np.random.default_rng(seed).integers(info.min, info.max, n, dtype=dtype, endpoint=True)


# ---------------------------------------------------------------------------------------------
# new arrays


@par
def mul_add_sin(a, b):
    return a * b + np.sin(a)


@par
def poly(a, b, c):
    return (a - 1.5) * (b + c) / (np.abs(c) + 1.0) - np.sqrt(np.abs(a)) * 2.5


@par
def int_mix(a, b):
    return a * 3 + b // 7 - (a ^ b) + (b % 5)


@par
def compare_where(a, b):
    return np.where(a > b, a, -b), a >= 0.0


@pytest.mark.parametrize("n", SIZES)
def test_float_expressions_equal_numpy(n):
    a, b, c = rng_floats(n, 1), rng_floats(n, 2), rng_floats(n, 3)
    same_array(mul_add_sin(a, b), a * b + np.sin(a))
    same_array(poly(a, b, c), (a - 1.5) * (b + c) / (np.abs(c) + 1.0) - np.sqrt(np.abs(a)) * 2.5)
    w, m = compare_where(a, b)
    same_array(w, np.where(a > b, a, -b))
    same_array(m, a >= 0.0)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint16])
@pytest.mark.parametrize("n", [1000, THRESHOLD, 200_003])
def test_int_expressions_wrap_as_numpy(dtype, n):
    a, b = rng_ints(n, dtype, 4), rng_ints(n, dtype, 5)
    b[b == 0] = 1
    with np.errstate(all="ignore"):
        expected = a * 3 + b // 7 - (a ^ b) + (b % 5)
    same_array(int_mix(a, b), expected)


@par
def mul_sub_div(a, b):
    return a * b - a / (np.abs(b) + 2)


@pytest.mark.parametrize("n", [1000, 300_001])
def test_float32_and_mixed_dtypes(n):
    # (No np.sin of float32 here: NumPy's float32 sin is not correctly rounded, stickyjit's is.)
    a = rng_floats(n, 6).astype(np.float32)
    b = rng_ints(n, np.int16, 7)
    same_array(mul_sub_div(a, a), a * a - a / (np.abs(a) + 2))
    same_array(mul_sub_div(a, b), a * b - a / (np.abs(b) + 2))


# ---------------------------------------------------------------------------------------------
# 2-D, broadcasting, strided and transposed views


@par
def add_row_col(m, row, col):
    return m * row + col[:, None] - 0.25


@par
def transposed(m, k):
    return m.T * 2.0 + k.T


@par
def strided(a, m):
    return a[::3] + 1.0, m[:, ::2] * m[:, 1::2], m[::-1, 3:] - 1.0


@pytest.mark.parametrize("shape", [(3, 5), (400, 300), (3, 40_000), (1, 70_000), (70_000, 1), (256, 256)])
def test_broadcast_rows_and_columns(shape):
    m = rng_floats(shape[0] * shape[1], 8).reshape(shape)
    row, col = rng_floats(shape[1], 9), rng_floats(shape[0], 10)
    same_array(add_row_col(m, row, col), m * row + col[:, None] - 0.25)


@pytest.mark.parametrize("shape", [(3, 5), (300, 400), (40_000, 3)])
def test_transposed_and_strided_views(shape):
    m = rng_floats(shape[0] * shape[1], 11).reshape(shape)
    k = np.asfortranarray(rng_floats(shape[0] * shape[1], 12).reshape(shape))
    same_array(transposed(m, k), m.T * 2.0 + k.T)
    a = rng_floats(3 * shape[0] * shape[1], 13)
    wide = rng_floats(shape[0] * 8, 14).reshape(shape[0], 8)
    x, y, z = strided(a, wide)
    same_array(x, a[::3] + 1.0)
    same_array(y, wide[:, ::2] * wide[:, 1::2])
    same_array(z, wide[::-1, 3:] - 1.0)


@par
def three_d(t, v):
    return t * v + t[::-1] * 0.5


def test_three_axes():
    t = rng_floats(20 * 60 * 70, 15).reshape(20, 60, 70)
    v = rng_floats(70, 16)
    same_array(three_d(t, v), t * v + t[::-1] * 0.5)


# ---------------------------------------------------------------------------------------------
# writes into arrays: in place, slices, out=


@par
def add_into(a, b):
    a += b
    return a


@par
def scaled_into(m, row):
    m *= row
    m[::2] += 1.0
    return m


@par
def stencil_new(u):
    out = np.zeros_like(u)
    out[1:-1] = u[2:] - u[:-2]
    return out


@par
def stencil_in_place(u):
    u[1:-1] = u[2:] - u[:-2]  # reads what it writes: NumPy's whole value first
    return u


@par
def add_out(a, b, c):
    np.add(a, b, out=c)
    return c


@pytest.mark.parametrize("n", SIZES)
def test_in_place_and_slices(n):
    a, b = rng_floats(n, 17), rng_floats(n, 18)
    expected = a + b
    same_array(add_into(a.copy(), b), expected)
    ai, bi = rng_ints(n, np.int32, 19), rng_ints(n, np.int32, 20)
    with np.errstate(all="ignore"):
        expected_i = ai + bi
    same_array(add_into(ai.copy(), bi), expected_i)
    u = rng_floats(n, 21)
    out = np.zeros_like(u)
    out[1:-1] = u[2:] - u[:-2]
    same_array(stencil_new(u), out)
    v = u.copy()
    v[1:-1] = v[2:] - v[:-2]
    same_array(stencil_in_place(u.copy()), v)
    c = np.empty(n)
    same_array(add_out(a, b, c), a + b)


@pytest.mark.parametrize("shape", [(5, 4), (500, 300)])
def test_in_place_rows(shape):
    m = rng_floats(shape[0] * shape[1], 22).reshape(shape)
    row = rng_floats(shape[1], 23)
    expected = m * row
    expected[::2] += 1.0
    same_array(scaled_into(m.copy(), row), expected)


def test_same_bits_with_any_thread_count():
    a, b = rng_floats(500_000, 24), rng_floats(500_000, 25)
    first = mul_add_sin(a, b)
    stickyjit.set_num_threads(1)
    same_array(mul_add_sin(a, b), first)
    same_array(first, a * b + np.sin(a))


def test_large_nests_are_outlined_only_under_parallel():
    mul_add_sin(np.ones(3), np.ones(3))
    assert "sj_rt_parallel_for" in mul_add_sin.inspect_llvm(mul_add_sin.signatures[-1])
    serial = njit(mul_add_sin.py_func)
    serial(np.ones(3), np.ones(3))
    assert "sj_rt_parallel_for" not in serial.inspect_llvm(serial.signatures[-1])


def test_order_free_reductions_are_pooled_float_sums_are_not():
    order_free(np.arange(5))
    assert ".reduce" in order_free.inspect_llvm(order_free.signatures[-1])
    float_reductions(np.ones(5))
    ir = float_reductions.inspect_llvm(float_reductions.signatures[-1])
    assert ir.count("sj_rt_parallel_for(") == 1 + 2  # its declaration, min and max


# ---------------------------------------------------------------------------------------------
# errors


@par
def add_two(a, b):
    return a + b


@par
def assign_into(out, a):
    out[:] = a * 2.0
    return out


@par
def assign_row(m, i, a):
    m[i] = a + 1.0
    return m


def numpy_error(f):
    with pytest.raises(Exception) as info:
        f()
    return info.type, str(info.value)


@pytest.mark.parametrize("n", [10, 100_000])
def test_broadcast_errors_are_numpys(n):
    a, b = np.ones(n), np.ones(n - 1)
    kind, message = numpy_error(lambda: a + b)
    with pytest.raises(kind) as got:
        add_two(a, b)
    assert str(got.value) == message
    out = np.zeros(n + 1)
    kind, message = numpy_error(lambda: out.__setitem__(slice(None), a * 2.0))
    with pytest.raises(kind, match="could not be broadcast|could not broadcast"):
        assign_into(out, a)
    assert not out.any()  # nothing written


def test_index_error_before_the_nest():
    m = np.zeros((3, 100_000))
    a = np.ones(100_000)
    kind, _ = numpy_error(lambda: m.__setitem__(5, a + 1.0))
    with pytest.raises(kind):
        assign_row(m, 5, a)
    same_array(assign_row(m, -1, a)[-1], a + 1.0)


@vectorize(["float64(float64, float64)"], error_model="python")
def strict_div(a, b):
    return a / b


@par
def use_strict(x, y):
    return strict_div(x, y) + 1.0


@pytest.mark.parametrize("zero_at", [5, 150_000, 299_999])
def test_error_inside_a_chunk_reaches_the_caller(zero_at):
    x, y = rng_floats(300_000, 26), rng_floats(300_000, 27)
    same_array(use_strict(x, y), x / y + 1.0)
    y[zero_at] = 0.0
    with pytest.raises(ZeroDivisionError):
        strict_div(x, y)
    with pytest.raises(ZeroDivisionError):
        use_strict(x, y)
    # And the pool still works afterwards.
    y[zero_at] = 1.0
    same_array(use_strict(x, y), x / y + 1.0)


# ---------------------------------------------------------------------------------------------
# whole-array reductions: min/max of any real dtype, sum/prod of integers, any/all on the pool
# (order-free: equal to NumPy's exactly); float sums stay serial.


@par
def order_free(a):
    return a.min(), np.max(a), a.sum(), np.prod(a), a.any(), np.all(a)


@par
def float_reductions(a):
    return a.min(), a.max(), a.sum(), a.mean()


@par
def strided_reductions(m):
    return m.T.max(), m[::2, 1:].min(), m[:, ::3].sum()


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.int16, np.bool_])
@pytest.mark.parametrize("n", [7, 1000, THRESHOLD, 300_001])
def test_integer_reductions_equal_numpy(dtype, n):
    if dtype is np.bool_:
        a = np.random.default_rng(28).random(n) < 0.999
    else:
        a = rng_ints(n, dtype, 28)
    got = order_free(a)
    expected = (a.min(), np.max(a), a.sum(), np.prod(a), a.any(), np.all(a))
    for g, e in zip(got, expected):
        assert g == e and type(g) is type(e.item()), (g, e)


@pytest.mark.parametrize("n", [1000, THRESHOLD, 300_001])
def test_float_min_max_equal_numpy(n):
    a = rng_floats(n, 29)
    mn, mx, s, m = float_reductions(a)
    assert (mn, mx) == (a.min(), a.max())
    # Serial sums: the order of C-order addition, as serial stickyjit's.
    serial = njit(float_reductions.py_func)
    assert (s, m) == serial(a)[2:]
    a[n // 2] = np.nan
    mn, mx, _, _ = float_reductions(a)
    assert np.isnan(mn) and np.isnan(mx)
    f32 = a.astype(np.float32)
    f32[n // 2] = -7.5
    assert float_reductions(f32)[0] == f32.min()


@pytest.mark.parametrize("shape", [(10, 20), (600, 300)])
def test_strided_reductions(shape):
    m = rng_ints(shape[0] * shape[1], np.int64, 30).reshape(shape) // 1000
    got = strided_reductions(m)
    assert got == (m.T.max(), m[::2, 1:].min(), m[:, ::3].sum())


@par
def column_extrema(x, j):
    # A column `x[:, :, j]` has an innermost stride of a cache line or more: each element costs
    # a line, and the pool takes it from 2**12 elements (a contiguous one from 2**16).
    return x[:, :, j].max(), np.min(x[::-1, ::-1, j]), np.max(x[:, j, :])


@par
def int_columns(k, j):
    return k[:, j].sum(), k[::-2, j].min(), k[:, j].max()


@pytest.mark.parametrize("shape", [(4, 10, 9), (40, 300, 9), (300, 300, 9)])
def test_column_reductions_equal_numpy(shape):
    x = rng_floats(shape[0] * shape[1] * shape[2], 31).reshape(shape)
    for j in (0, 4, 8):
        assert column_extrema(x, j) == (x[:, :, j].max(), np.min(x[::-1, ::-1, j]), np.max(x[:, j, :]))
    x[shape[0] // 2, shape[1] - 1, 4] = np.nan
    got = column_extrema(x, 4)
    assert np.isnan(got[0]) and np.isnan(got[1])
    k = rng_ints(shape[0] * shape[1] * 8, np.int64, 32).reshape(-1, 8) // 7
    for j in (0, 7):
        assert int_columns(k, j) == (k[:, j].sum(), k[::-2, j].min(), k[:, j].max())


def test_empty_reduction_error_is_numpys():
    a = np.zeros(0, dtype=np.int64)
    with pytest.raises(ValueError) as expected:
        a.min()
    with pytest.raises(ValueError) as got:
        order_free(a)
    assert str(got.value) == str(expected.value)


# ---------------------------------------------------------------------------------------------
# complex numbers, and array expressions inside parallel loops and recursive programs


@par
def complex_expr(z, w):
    return z * w + 1j * np.conj(z) - w / 3.0


@pytest.mark.parametrize("n", [100, 200_000])
def test_complex_expressions(n):
    z = rng_floats(n, 31) + 1j * rng_floats(n, 32)
    w = rng_floats(n, 33) - 2j * rng_floats(n, 34)
    same_array(complex_expr(z, w), z * w + 1j * np.conj(z) - w / 3.0)


@njit
def scale_rows(m, s):
    return m * s + 1.0


@par
def rows_in_prange(m, k):
    out = np.empty_like(m)
    for i in prange(m.shape[0]):
        out[i] = m[i] * k + np.cos(m[i])  # a nest inside a parallel chunk: serial there
    big = scale_rows(m, k)  # a callee's nest: on the pool when called here
    return out, big


def test_nests_inside_parallel_loops_and_callees():
    m = rng_floats(40 * 70_000, 35).reshape(40, 70_000)
    out, big = rows_in_prange(m, 3.0)
    same_array(out, m * 3.0 + np.cos(m))
    same_array(big, m * 3.0 + 1.0)


@par
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


@par
def recursive_program(a):
    return a * fact(5) + np.exp(a) + strict_div(a, a + 10.0)


def test_recursive_program():
    a = rng_floats(100_000, 36)
    # (NumPy's own np.exp is not correctly rounded: compared with serial stickyjit's result.)
    same_array(recursive_program(a), njit(recursive_program.py_func)(a))
    np.testing.assert_allclose(recursive_program(a), a * 120 + np.exp(a) + a / (a + 10.0), rtol=1e-12)
