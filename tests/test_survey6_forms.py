"""Forms from survey 6 (umap, QuantEcon.py, numba-stats), each checked against CPython running
the same function: `type(x)` of a number called as a conversion (numba-stats' `T = type(z);
T(0.5) * z`), a scalar type held in a variable called (`T = np.float32; T(x)`), and a float32
number raised to an integer power, which stays float32 (umap's `(x[i] - y[i]) ** 2`).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, jit


def generic_kernel(z, n, b):
    # numba-stats' _trans / norm kernels: generic over the float type through type(z).
    T = type(z)
    return T(0.5) * z + type(z)(1), type(n)(2.7), type(b)(3), type(z)(n), type(n)(-3.9)


def scalar_type_in_a_variable(x):
    T = np.float32
    U = int
    return T(x), U(x), np.zeros(2, T)


@given(st.floats(-1e6, 1e6), st.integers(-1000, 1000), st.booleans())
@settings(max_examples=40, deadline=None)
def test_type_of_a_number_called_as_a_conversion(z, n, b):
    assert jit(generic_kernel)(z, n, b) == generic_kernel(z, n, b)


def test_type_of_a_float32_under_a_signature():
    # numba-stats compiles its kernels for float32 and float64 through signatures.
    f = jit(["float32(float32)", "float64(float64)"])(lambda z: type(z)(0.5) * z + type(z)(1))
    for z in (np.float32(3.0), np.float32(0.1), 3.0, 0.1):
        want = (lambda z: type(z)(0.5) * z + type(z)(1))(z)
        assert f(z) == want


@given(st.floats(-1e6, 1e6))
@settings(max_examples=30, deadline=None)
def test_scalar_type_held_in_a_variable_is_called(x):
    got, want = jit(scalar_type_in_a_variable)(x), scalar_type_in_a_variable(x)
    assert got[0] == want[0] and got[1] == want[1]
    assert got[2].dtype == want[2].dtype == np.float32


def type_of_an_array(a):
    return type(a)


def test_type_of_what_is_not_a_number_is_a_compile_error():
    with pytest.raises(CompileError, match=r"type\(\) of array"):
        jit(type_of_an_array)(np.ones(2))


def squares(a):
    return a**2, a[0] ** 2, a[0] * a[0]


def powers(a, n):
    x = a[0]
    y = x
    y **= 3
    return x**n, y, x**-1


@given(st.floats(-1048576.0, 1048576.0, width=32))
@settings(max_examples=60, deadline=None)
def test_float32_squared_stays_float32(x):
    a = np.array([x], dtype=np.float32)
    arr, sq, prod = jit(squares)(a)
    want_arr, _, want_prod = squares(a)
    # CPython's float32 product and NumPy's a ** 2 of a float32 array: the rounded square.
    assert np.float32(sq) == sq  # a float32 value, not the float64 square
    assert np.float32(sq) == want_prod == want_arr[0] == np.float32(prod)
    assert arr.dtype == np.float32 and arr[0] == want_arr[0]


@given(st.floats(0.0625, 100.0, width=32), st.integers(1, 6))
@settings(max_examples=60, deadline=None)
def test_float32_to_an_integer_power_is_float32(x, n):
    a = np.array([x], dtype=np.float32)
    got = jit(powers)(a, n)
    want = powers(a, n)
    for g, w in zip(got, want):
        assert isinstance(w, np.float32)
        # The value is a float32 (rounded once); NumPy's scalar power calls powf, which may
        # differ from the correctly rounded power in the last bit.
        assert np.float32(g) == g
        assert abs(np.float32(g) - w) <= np.spacing(w)


def pivot_columns(t):
    return np.empty(t.shape[1], dtype=t.dtype)


pivot = jit(pivot_columns)


def linprog_like(n, tableau=None):
    # QuantEcon's linprog_simplex: a work array made when the caller gives none.
    if tableau is None:
        tableau = np.zeros((n, n + 1))
    return pivot(tableau).shape, tableau.sum()


def default_unless_given(n, out=None):
    if out is not None:
        out[:] = n
        return out
    out = np.full(n, 2.0)
    return out * 2


@pytest.mark.parametrize("args", [(3,), (2, np.ones((2, 5)))])
def test_omitted_none_argument_assigned_in_its_if(args):
    assert jit(linprog_like)(*args) == linprog_like(*args)


@pytest.mark.parametrize("given", [False, True])
def test_omitted_none_argument_tested_with_is_not_none(given):
    args = (3, np.zeros(3)) if given else (3,)
    np.testing.assert_array_equal(jit(default_unless_given)(*args), default_unless_given(*args))


linprog_jitted = jit(linprog_like)


def calls_with_and_without(n):
    return linprog_jitted(n), linprog_jitted(n, None), linprog_jitted(n, np.ones((n, 2)))


def filled_in_a_loop(n, acc=None):
    if acc is None:
        acc = np.zeros(n)
        for i in range(n):
            acc[i] = i
    return acc.shape, acc.sum()


def read_in_its_own_if(n, x=None):
    if x is None:
        y = x
        x = n
    return x


def test_none_parameter_filled_in_whoever_calls():
    assert linprog_jitted(3, None) == linprog_like(3, None)
    assert jit(calls_with_and_without)(3) == calls_with_and_without(3)
    for args in [(4,), (4, None), (2, np.ones(5))]:
        assert jit(filled_in_a_loop)(*args) == filled_in_a_loop(*args)
    for args in [(4,), (4, 2.5)]:
        assert jit(read_in_its_own_if)(*args) == read_in_its_own_if(*args)


def seeded_uniform(size, seed):
    # numba-stats' _rvs_jit: a seed that may be None.
    if seed is not None:
        np.random.seed(seed)
    return np.random.uniform(0.0, 1.0, size)


@pytest.mark.parametrize(
    "signature",
    [
        "float64[:](int64, optional(int64))",
        ["float64[:](int64, optional(int64))"],
        "float64[:](uint64, optional(uint64))",
    ],
)
def test_optional_argument_in_a_signature(signature):
    import stickyjit as nb

    for f in (jit(signature)(seeded_uniform), jit(nb.float64[:](nb.int64, nb.optional(nb.int64)))(seeded_uniform)):
        np.testing.assert_array_equal(f(3, 42), seeded_uniform(3, 42))
        got = f(4, None)
        assert got.shape == (4,) and np.all((got >= 0.0) & (got < 1.0))


def test_optional_return_type_is_refused():
    import stickyjit as nb

    with pytest.raises(TypeError, match="optional return type"):
        jit(nb.optional(nb.float64)(nb.float64))(lambda x: x)


def ratio(s, x):
    return (x - s) / s


def float32_kernel(s, x):
    # numba-stats' expon/cmsshape kernels compiled for float32: arithmetic of float32 values.
    z = (x - s) / s
    return z, s / np.float32(3), s * s + x, type(s)(1) / s


@given(st.floats(0.0625, 100.0, width=32), st.floats(-100.0, 100.0, width=32))
@settings(max_examples=40, deadline=None)
def test_a_float32_argument_computes_in_float32(s, x):
    s, x = np.float32(s), np.float32(x)
    want = float32_kernel(s, x)
    for f in (jit(float32_kernel), jit("float32(float32, float32)")(ratio)):
        got = f(s, x)
        got = got if isinstance(got, tuple) else (got,)
        for g, w in zip(got, want):
            assert isinstance(w, np.float32)
            assert g == w
