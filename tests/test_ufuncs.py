"""NumPy's element functions (issue 17, item 3, first part): `np.sqrt`, `np.tanh`, `np.arctan2`,
`np.minimum`, `np.logical_and`, `np.where`, ... on numbers and on arrays (elementwise, with
broadcasting), each compared with NumPy's own answer for the same call.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, njit

UNARY_FLOAT = ["sqrt", "exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arcsin", "arccos", "arctan"]
UNARY_FLOAT += ["log2", "log10", "log1p", "expm1", "exp2", "cbrt", "arcsinh", "arccosh", "arctanh"]
UNARY_FLOAT += ["rint", "fabs", "deg2rad", "rad2deg", "radians", "degrees"]
UNARY_SAME = ["abs", "absolute", "floor", "ceil", "square", "trunc", "sign", "round", "around", "reciprocal"]
UNARY_BOOL = ["logical_not", "isnan", "isinf", "isfinite", "signbit"]
BINARY = ["arctan2", "hypot", "minimum", "maximum", "fmin", "fmax", "logical_and", "logical_or", "logical_xor"]
BINARY += ["fmod", "float_power"]
DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64", "uint32", "uint64", "float32", "float64"]


# One jitted function per NumPy function, written out so that stickyjit reads their source.
def f_sqrt(x):
    return np.sqrt(x)


def f_exp(x):
    return np.exp(x)


def f_log(x):
    return np.log(x)


def f_sin(x):
    return np.sin(x)


def f_cos(x):
    return np.cos(x)


def f_tan(x):
    return np.tan(x)


def f_tanh(x):
    return np.tanh(x)


def f_sinh(x):
    return np.sinh(x)


def f_cosh(x):
    return np.cosh(x)


def f_arcsin(x):
    return np.arcsin(x)


def f_arccos(x):
    return np.arccos(x)


def f_arctan(x):
    return np.arctan(x)


def f_log2(x):
    return np.log2(x)


def f_log10(x):
    return np.log10(x)


def f_log1p(x):
    return np.log1p(x)


def f_expm1(x):
    return np.expm1(x)


def f_abs(x):
    return np.abs(x)


def f_absolute(x):
    return np.absolute(x)


def f_floor(x):
    return np.floor(x)


def f_ceil(x):
    return np.ceil(x)


def f_square(x):
    return np.square(x)


def f_logical_not(x):
    return np.logical_not(x)


def f_isnan(x):
    return np.isnan(x)


def f_isinf(x):
    return np.isinf(x)


def f_isfinite(x):
    return np.isfinite(x)


def f_arctan2(x, y):
    return np.arctan2(x, y)


def f_hypot(x, y):
    return np.hypot(x, y)


def f_minimum(x, y):
    return np.minimum(x, y)


def f_maximum(x, y):
    return np.maximum(x, y)


def f_fmin(x, y):
    return np.fmin(x, y)


def f_fmax(x, y):
    return np.fmax(x, y)


def f_logical_and(x, y):
    return np.logical_and(x, y)


def f_logical_or(x, y):
    return np.logical_or(x, y)


def f_logical_xor(x, y):
    return np.logical_xor(x, y)


def f_exp2(x):
    return np.exp2(x)


def f_cbrt(x):
    return np.cbrt(x)


def f_arcsinh(x):
    return np.arcsinh(x)


def f_arccosh(x):
    return np.arccosh(x)


def f_arctanh(x):
    return np.arctanh(x)


def f_rint(x):
    return np.rint(x)


def f_fabs(x):
    return np.fabs(x)


def f_deg2rad(x):
    return np.deg2rad(x)


def f_rad2deg(x):
    return np.rad2deg(x)


def f_radians(x):
    return np.radians(x)


def f_degrees(x):
    return np.degrees(x)


def f_trunc(x):
    return np.trunc(x)


def f_sign(x):
    return np.sign(x)


def f_signbit(x):
    return np.signbit(x)


def f_fmod(x, y):
    return np.fmod(x, y)


def f_float_power(x, y):
    return np.float_power(x, y)


def f_round(x):
    return np.round(x)


def f_around(x):
    return np.around(x)


def f_reciprocal(x):
    return np.reciprocal(x)


def f_where(c, x, y):
    return np.where(c, x, y)


PY = {name: globals()[f"f_{name}"] for name in UNARY_FLOAT + UNARY_SAME + UNARY_BOOL + BINARY + ["where"]}
JIT = {name: njit(f) for name, f in PY.items()}


def numpy_answer(f, *args):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args)


def expected_dtype(name, result):
    """NumPy's result dtype, except float16 (not compiled): float32 there, as Numba gives."""
    d = np.asarray(result).dtype
    return np.dtype(np.float32) if d == np.float16 else d


def close(name, expected, got):
    expected = np.asarray(expected)
    got_arr = np.asarray(got)
    assert got_arr.shape == expected.shape
    if expected.dtype.kind == "f" and name in UNARY_FLOAT + ["arctan2", "hypot"]:
        # NumPy's own SIMD routines and the C library's differ in the last bits (float32 ones
        # are computed in float64 here and rounded).
        rtol = 2e-6 if expected.dtype == np.float32 else 4e-15
        np.testing.assert_allclose(
            got_arr.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=0, equal_nan=True
        )
    else:
        np.testing.assert_array_equal(got_arr, expected)


def elements(dtype):
    d = np.dtype(dtype)
    if d.kind == "f":
        return st.floats(width=d.itemsize * 8, allow_nan=True, allow_infinity=True)
    if d.kind == "b":
        return st.booleans()
    info = np.iinfo(d)
    return st.integers(max(info.min, -(2**40)), min(info.max, 2**40))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(UNARY_FLOAT + UNARY_SAME + UNARY_BOOL), st.sampled_from(DTYPES), st.data())
def test_unary_functions_on_arrays_equal_numpy(name, dtype, data):
    if name in ("sign", "round", "around", "reciprocal") and dtype == "bool":
        return  # NumPy has no bool loop (round gives float16): a CompileError, tested below
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=elements(dtype)))
    if name == "reciprocal" and x.dtype.kind in "iu" and (x == 0).any():
        return  # 1 // 0 in C: NumPy's answer is undefined (documented)
    expected = numpy_answer(PY[name], x)
    if expected.dtype == np.float16:
        # NumPy computes small integers in float16, which is not compiled: float32 here, as
        # Numba resolves it, so NumPy's float32 answer is the oracle.
        expected = numpy_answer(PY[name], x.astype(np.float32))
    got = JIT[name](x)
    assert got.dtype == expected_dtype(name, expected), f"{name}({x.dtype}): {got.dtype} vs {expected.dtype}"
    close(name, expected, got)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BINARY), st.sampled_from(DTYPES), st.sampled_from(DTYPES), st.data())
def test_binary_functions_on_arrays_equal_numpy(name, da, db, data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=4))
    x = data.draw(hnp.arrays(da, shapes.input_shapes[0], elements=elements(da)))
    y = data.draw(
        st.one_of(
            hnp.arrays(db, shapes.input_shapes[1], elements=elements(db)),
            st.floats(-10, 10),
            st.integers(0, 100),
        )
    )
    if data.draw(st.booleans()):
        x, y = y, x
    expected = numpy_answer(PY[name], x, y)
    if expected.dtype == np.float16:
        wide = [v.astype(np.float32) if isinstance(v, np.ndarray) else v for v in (x, y)]
        expected = numpy_answer(PY[name], *wide)
    got = JIT[name](x, y)
    assert got.dtype == expected_dtype(name, expected), f"{name}: {got.dtype} vs {expected.dtype}"
    close(name, expected, got)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(DTYPES), st.sampled_from(DTYPES), st.data())
def test_where_equals_numpy(dx, dy, data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=1, max_dims=2, max_side=4))
    c = data.draw(hnp.arrays("bool", shapes.input_shapes[0]))
    x = data.draw(hnp.arrays(dx, shapes.input_shapes[1], elements=elements(dx)))
    y = data.draw(st.one_of(hnp.arrays(dy, shapes.input_shapes[2], elements=elements(dy)), st.floats(-5, 5)))
    expected = np.where(c, x, y)
    got = JIT["where"](c, x, y)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", UNARY_FLOAT + UNARY_SAME + UNARY_BOOL)
@pytest.mark.parametrize("x", [0.0, -0.0, 0.5, -2.5, 3, -7, True, float("nan"), float("inf"), 1e300])
def test_functions_of_numbers_equal_numpy(name, x):
    if name in ("sign", "round", "around", "reciprocal") and x is True:
        return  # NumPy has no bool loop for it: tested as a CompileError below
    # A bool in compiled code is a number: NumPy's float16 answer for a Python bool is not
    # compiled, its float64 one is the oracle.
    expected = numpy_answer(PY[name], float(x) if x is True and name in UNARY_FLOAT else x)
    got = JIT[name](x)
    close(name, expected, got)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize(
    "x, y", [(0.0, -0.0), (-0.0, 0.0), (1.5, float("nan")), (float("nan"), 2), (3, 4), (-1, 2.5), (True, 0)]
)
def test_binary_functions_of_numbers_and_signed_zeros_equal_numpy(name, x, y):
    expected = numpy_answer(PY[name], x, y)
    got = JIT[name](x, y)
    close(name, expected, got)
    if isinstance(expected, np.floating) and expected == 0:
        assert np.signbit(expected) == np.signbit(got), f"{name}({x}, {y}): the sign of zero"


def kernel(a, b):
    # compute (NPBench) and arc_distance's shape: functions fused with operators.
    return np.minimum(np.maximum(a, 2), 10) * 3 + 2 * np.arctan2(np.sqrt(np.abs(b)), np.sqrt(1 + np.abs(b)))


def test_functions_fuse_with_operators():
    a = np.arange(-5, 20).reshape(5, 5)
    b = np.linspace(-1, 1, 25).reshape(5, 5)
    np.testing.assert_allclose(njit(kernel)(a, b), kernel(a, b), rtol=1e-15)


def takes_tuple(t):
    return np.sqrt(t)


def test_what_is_not_compiled_says_so():
    with pytest.raises(CompileError, match=r"numpy.sqrt\(\) takes numbers and arrays, not tuple"):
        njit(takes_tuple)((1.0, 2.0))
    with pytest.raises(CompileError, match="no bool loop for it"):
        JIT["sign"](np.ones(2, bool))


OPERATORS = {
    "add": "+",
    "subtract": "-",
    "multiply": "*",
    "divide": "/",
    "true_divide": "/",
    "floor_divide": "//",
    "remainder": "%",
    "mod": "%",
    "power": "**",
    "bitwise_and": "&",
    "bitwise_or": "|",
    "bitwise_xor": "^",
    "left_shift": "<<",
    "right_shift": ">>",
    "greater": ">",
    "greater_equal": ">=",
    "less": "<",
    "less_equal": "<=",
    "equal": "==",
    "not_equal": "!=",
}


def operator_ufuncs(a, b):
    return (
        np.add(a, b),
        np.subtract(a, b),
        np.multiply(a, b),
        np.divide(a, b),
        np.true_divide(a, b),
        np.floor_divide(a, b),
        np.remainder(a, b),
        np.mod(a, b),
        np.power(a, b),
        np.bitwise_and(a, b),
        np.bitwise_or(a, b),
        np.bitwise_xor(a, b),
        np.left_shift(a, b),
        np.right_shift(a, b),
        np.greater(a, b),
        np.greater_equal(a, b),
        np.less(a, b),
        np.less_equal(a, b),
        np.equal(a, b),
        np.not_equal(a, b),
        np.negative(a),
        np.positive(a),
        np.invert(a),
    )


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_operator_ufuncs_equal_numpy(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=2, max_side=4))
    a = data.draw(hnp.arrays("int64", shapes.input_shapes[0], elements=st.integers(-100, 100)))
    b = data.draw(hnp.arrays("int64", shapes.input_shapes[1], elements=st.integers(1, 5)))
    for want, got in zip(numpy_answer(operator_ufuncs, a, b), njit(operator_ufuncs)(a, b)):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def with_out(a, b, o):
    np.sqrt(a, out=o)
    r = np.add(o, b, out=o)
    np.multiply(a[1:], 2, out=o[1:])
    return r


def with_out_number(o):
    np.sqrt(4.0, out=o)
    return o


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.sampled_from(["float64", "float32"]), st.data())
def test_out_argument_writes_into_the_array_as_numpy(n, dtype, data):
    a = data.draw(hnp.arrays("float64", n, elements=st.floats(0, 100)))
    b = data.draw(hnp.arrays("float64", 1, elements=st.floats(-5, 5)))
    want_o, got_o = np.zeros(n, dtype), np.zeros(n, dtype)
    want = numpy_answer(with_out, a, b, want_o)
    got = njit(with_out)(a, b, got_o)
    np.testing.assert_allclose(got_o, want_o, rtol=1e-6 if dtype == "float32" else 0)
    assert np.shares_memory(got, got_o) and got.dtype == want.dtype
    np.testing.assert_array_equal(njit(with_out_number)(np.zeros(3)), with_out_number(np.zeros(3)))


def out_int(a, o):
    return np.sqrt(a, out=o)


def out_not_array(a):
    return np.sqrt(a, out=1.0)


def test_bad_out_arguments_are_compile_errors():
    with pytest.raises(CompileError, match="Cannot cast ufunc output from dtype\\('float64'\\) to dtype\\('int64'\\)"):
        njit(out_int)(np.ones(3), np.zeros(3, np.int64))
    with pytest.raises(CompileError, match="out= must be an array"):
        njit(out_not_array)(np.ones(3))


def round_to(x, d):
    return np.round(x, d)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["float64", "float32", "int64", "int32"]), st.integers(-3, 4), st.data())
def test_round_to_decimals_equals_numpy(dtype, d, data):
    el = (
        st.floats(-1e6, 1e6, width=np.dtype(dtype).itemsize * 8)
        if dtype.startswith("float")
        else st.integers(-(10**6), 10**6)
    )
    x = data.draw(hnp.arrays(dtype, st.integers(1, 6), elements=el))
    want = np.round(x, d)
    got = njit(round_to)(x, d)
    assert got.dtype == want.dtype
    # float32 is rounded in float64 here, in float32 by NumPy: the scaled value may differ by an ulp.
    np.testing.assert_allclose(got, want, rtol=1e-6 if dtype == "float32" else 1e-15)


def builtin_abs_of_array(a):
    return abs(a), abs(a - 1) * 2, abs(a[::-1]).max()


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "uint16", "bool"])
def test_the_builtin_abs_of_an_array_is_numpys_absolute(dtype):
    a = (np.arange(-4, 5) * 1.5).astype(dtype)
    want = builtin_abs_of_array(a)
    got = njit(builtin_abs_of_array)(a)
    for w, g in zip(want, got):
        w = np.asarray(w)
        assert np.asarray(g).dtype == w.dtype or w.ndim == 0
        np.testing.assert_array_equal(g, w)


def round_elements(x, d):
    return np.round(x, d), x.round(d)


@pytest.mark.parametrize("d", [0, 1, 2, -1])
def test_round_of_float32_is_computed_in_float32_as_numpy(d):
    # 1.15f * 10 is exactly 11.5 in float32 (NumPy rounds it to even, 12: 1.2); in float64 it
    # is 11.4999997..., which would give 1.1.
    x = np.array([1.15, 2.675, 0.125, 1234.5, -3.45, 0.5, 1.25e-3, 7.5e5], dtype=np.float32)
    want = round_elements(x, d)
    got = njit(round_elements)(x, d)
    for g, w in zip(got, want):
        assert g.dtype == np.float32
        np.testing.assert_array_equal(g, w)


def float32_functions(x, y):
    return (
        np.sqrt(x),
        np.abs(x),
        np.floor(x),
        np.square(x),
        np.maximum(x, 2.0),
        np.minimum(x, y),
        np.cos(x),
        np.log(np.abs(x)),
        np.power(np.abs(x), 0.5),
        np.arctan2(x, y),
        np.tanh(x),
    )


EXACT_FLOAT32 = 6  # the first six are exact in float32: NumPy's answers bit for bit


@given(
    st.floats(-1e4, 1e4, width=32, allow_subnormal=False),
    st.floats(-1e4, 1e4, width=32, allow_subnormal=False),
)
@settings(max_examples=200, deadline=None)
def test_numpy_functions_of_float32_numbers_are_float32_as_numpys(x, y):
    # pynndescent's float32 distance kernels: `np.sqrt(result)` of a float32 accumulator is a
    # float32 in NumPy and Numba, not a float64.
    x32, y32 = np.float32(x), np.float32(y)
    with np.errstate(all="ignore"):
        want = float32_functions(x32, y32)
    got = njit(float32_functions)(x32, y32)
    for k, (g, w) in enumerate(zip(got, want)):
        assert w.dtype == np.float32, k
        if np.isnan(w):
            assert np.isnan(g), k
        elif k < EXACT_FLOAT32 or np.isinf(w):
            assert g == w, (k, g, w)
        else:
            # Transcendental: the float64 result rounded to float32 (correctly rounded but for
            # the float64 function's own error), which NumPy's float32 loops miss by up to a few
            # units (arctan2(4168, 3944): NumPy 0.8130047, the exact value rounds to 0.81300455).
            with np.errstate(all="ignore"):
                exact = float32_functions(np.float64(x32), np.float64(y32))[k]
            assert g == np.float32(exact), (k, g, w)
            assert abs(g - w) <= 4 * abs(np.spacing(w)), (k, g, w)
