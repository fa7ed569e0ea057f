"""Numba's decorator surface (issue 17, item 1): ``njit``, ``prange``, the options ``fastmath``,
``error_model``, ``nogil``, ``parallel``, ``inline``, ``looplift``, ``debug``, ``forceobj``, and
signatures compiled at decoration. Answers are CPython's (or NumPy's, for ``error_model='numpy'``)
for the same plain function.
"""

from __future__ import annotations

import math
import re
import threading
import time
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stickyjit
import stickyjit as nb
from conftest import SPECIAL_FLOATS, same
from stickyjit import CompileError, jit, njit, prange

# ---------------------------------------------------------------------------------------------
# njit, prange, parallel


def sum_prange(n):
    s = 0
    for i in prange(n):
        s += i * i
    return s


def sum_nb_prange(n, k):
    s = 0.0
    for i in nb.prange(2, n, k):
        s += i / 2
    return s


def test_njit_and_prange_run_as_range():
    for f, args in ((sum_prange, (100,)), (sum_nb_prange, (50, 3))):
        for deco in (njit, njit(parallel=True), jit(nopython=True, parallel=True, fastmath=False)):
            g = deco(f)
            assert g(*args) == f(*args)
    assert list(prange(3, 10, 2)) == list(range(3, 10, 2))


def test_npbench_style_decorator_line():
    # NPBench's numba_n kernels: @nb.jit(nopython=True, parallel=False, fastmath=True).
    @nb.jit(nopython=True, parallel=False, fastmath=True)
    def kernel(a, b):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * b[i]
        return s

    a, b = np.arange(10.0), np.arange(10.0) + 1
    assert kernel(a, b) == pytest.approx(kernel.py_func(a, b))


# ---------------------------------------------------------------------------------------------
# fastmath


def squares(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] ** 2
    return s


def divide(x, y):
    return x / y


def test_fastmath_true_multiplies_and_sets_every_flag():
    f = jit(fastmath=True)(squares)
    a = np.linspace(-3, 3, 1001)
    assert f(a) == pytest.approx(squares(a), rel=1e-12)
    ir = f.inspect_llvm(("array(float64, 1d, C)",))
    assert not re.search(r"call [a-z ]*double @pow\(", ir)  # x ** 2 is x * x
    assert "fmul fast" in ir or "fadd fast" in ir
    exact = jit(squares)
    exact(a)
    ir_exact = exact.inspect_llvm(("array(float64, 1d, C)",))
    assert "call double @pow" in ir_exact and " fast " not in ir_exact


def test_fastmath_set_and_dict_choose_flags():
    g = jit(fastmath={"nsz", "arcp"})(squares)
    a = np.linspace(0, 1, 17)
    assert g(a) == pytest.approx(squares(a))
    ir = g.inspect_llvm(("array(float64, 1d, C)",))
    assert "nsz arcp" in ir
    assert re.search(r"call nsz arcp double @pow\(", ir)  # no afn: pow stays the library's
    h = jit(fastmath={"afn": True, "nnan": False})(squares)
    assert h(a) == pytest.approx(squares(a))
    ir = h.inspect_llvm(("array(float64, 1d, C)",))
    assert "afn" in ir and "nnan" not in ir


def test_fastmath_keeps_pythons_zero_division():
    f = jit(fastmath=True)(divide)
    assert f(1.0, 4.0) == 0.25
    with pytest.raises(ZeroDivisionError, match="float division by zero"):
        f(1.0, 0.0)


@pytest.mark.parametrize(
    "bad, error",
    [({"fast", "turbo"}, "Unrecognized fastmath flags"), ("fast", "Expected fastmath option"), (1, "Expected")],
)
def test_fastmath_bad_values(bad, error):
    with pytest.raises(ValueError, match=error):
        jit(fastmath=bad)


def test_fastmath_is_part_of_the_code_key():
    exact = jit(squares)
    fast = jit(fastmath=True)(squares)
    a = np.ones(4)
    exact(a)
    fast(a)
    assert exact is not fast
    assert exact.inspect_llvm(("array(float64, 1d, C)",)) != fast.inspect_llvm(("array(float64, 1d, C)",))


# ---------------------------------------------------------------------------------------------
# error_model


def arith(x, y):
    return x / y, x // y, x % y


def divisible(x, y):
    return x % y == 0


def same_items(expected, actual):
    assert len(expected) == len(actual)
    for e, a in zip(expected, actual):
        same(e, a)


def numpy_arith(x, y):
    """NumPy's answers for scalars of the arguments' types (what error_model='numpy' gives)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(v.item() for v in (np.true_divide(x, y), np.floor_divide(x, y), np.remainder(x, y)))


numpy_model = jit(error_model="numpy")(arith)
python_model = jit(error_model="python")(arith)
numpy_divisible = jit(error_model="numpy")(divisible)

floats = st.one_of(st.sampled_from(SPECIAL_FLOATS), st.floats(allow_nan=True, allow_infinity=True))
int64s = st.integers(-(2**63), 2**63 - 1)


@settings(max_examples=300, deadline=None)
@given(floats, st.one_of(st.just(0.0), st.just(-0.0), floats))
def test_numpy_error_model_floats_equal_numpy(x, y):
    same_items(numpy_arith(np.float64(x), np.float64(y)), numpy_model(x, y))


@settings(max_examples=300, deadline=None)
@given(int64s, st.one_of(st.just(0), st.integers(-5, 5), int64s))
def test_numpy_error_model_ints_equal_numpy(x, y):
    expected = numpy_arith(np.int64(x), np.int64(y))
    got = numpy_model(x, y)
    same_items(expected[1:], got[1:])
    # int / int: NumPy converts both to float64 first; CPython's exact quotient differs in the
    # last bit for values beyond 2**53, where stickyjit keeps CPython's answer.
    if y == 0 or (abs(x) <= 2**53 and abs(y) <= 2**53):
        same(expected[0], got[0])
    else:
        same(x / y, got[0])
    if y == 0:
        assert numpy_divisible(x, y) is True


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**64 - 1), st.one_of(st.just(0), st.integers(0, 2**64 - 1)))
def test_numpy_error_model_uint64_equal_numpy(x, y):
    expected = numpy_arith(np.uint64(x), np.uint64(y))
    same_items(expected[1:], numpy_model(np.uint64(x), np.uint64(y))[1:])
    if y == 0:
        same(expected[0], numpy_model(np.uint64(x), np.uint64(y))[0])


def float_power(x, y):
    return x**y


numpy_power = jit(error_model="numpy")(float_power)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.sampled_from([-0.5, -8.0, 0.0, -0.0, 1e300, -1e300]), floats),
    st.one_of(st.sampled_from([-0.67, 0.5, -1.0, 3.0]), floats),
)
def test_numpy_error_model_float_power_is_numpys(x, y):
    # A negative base to a fractional power is nan, 0.0 ** -1.0 inf, an overflow inf, as NumPy's
    # float64 (and Numba) give; the default model raises CPython's exceptions.
    with np.errstate(all="ignore"):
        same(float(np.float64(x) ** np.float64(y)), numpy_power(x, y))


@pytest.mark.parametrize("x, y", [(1.0, 0.0), (5, 0), (0, 0), (-2.5, -0.0)])
def test_python_error_model_raises_as_cpython(x, y):
    for f in (python_model, jit(arith)):
        with pytest.raises(ZeroDivisionError) as got:
            f(x, y)
        with pytest.raises(ZeroDivisionError) as expected:
            arith(x, y)
        assert str(got.value) == str(expected.value)


def test_bad_error_model():
    with pytest.raises(ValueError, match="'python' or 'numpy', not 'c'"):
        jit(error_model="c")


# ---------------------------------------------------------------------------------------------
# nogil


def spin(n):
    x = 1
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
    return x


def test_nogil_releases_the_gil_while_compiled_code_runs():
    f = jit(nogil=True)(spin)
    n = 10
    assert f(n) == spin(n)
    # Size the call to take ~0.5 s here, then count how often this thread runs meanwhile: with
    # the GIL held by the call it could not run at all.
    t = time.perf_counter()
    f(10**7)
    n = max(10**7, int(10**7 * 0.5 / max(time.perf_counter() - t, 1e-6)))
    done = threading.Event()
    worker = threading.Thread(target=lambda: (f(n), done.set()))
    ticks = 0
    worker.start()
    time.sleep(0.05)
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    assert ticks >= 20, f"the main thread ran {ticks} times during a nogil call"


def test_nogil_threads_give_the_same_answers():
    f = jit(nogil=True)(spin)
    results = [None] * 4
    threads = [threading.Thread(target=lambda k=k: results.__setitem__(k, f(1000 + k))) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [spin(1000 + k) for k in range(4)]


# ---------------------------------------------------------------------------------------------
# the other options


def test_options_numba_accepts():
    def f(x):
        return x * 2 + 1

    for opts in (
        {"inline": "always"},
        {"inline": "never"},
        {"looplift": True},
        {"debug": False},
        {"forceobj": False},
        {"locals": {}},
        {"boundscheck": None},
        {"parallel": {"prange": True}},
        {"cache": False, "nogil": True, "boundscheck": True, "error_model": "numpy", "fastmath": True},
    ):
        assert jit(**opts)(f)(20) == f(20), opts


@pytest.mark.parametrize(
    "opts, error, match",
    [
        ({"forceobj": True}, TypeError, "no object mode"),
        ({"nogil": 1}, TypeError, r"nogil=\.\.\.\) takes True or False"),
        ({"inline": "sometimes"}, TypeError, "'never' or 'always'"),
        ({"parallel": "yes"}, TypeError, "parallel"),
        ({"locals": {"x": "float64"}}, TypeError, "locals"),
        ({"target": "cuda"}, TypeError, "unknown option"),
    ],
)
def test_bad_option_values(opts, error, match):
    with pytest.raises(error, match=match):
        jit(**opts)


def test_options_change_the_sticky_identity():
    def f(x):
        return x + 1

    assert jit(f) is jit(f)
    assert jit(nogil=True)(f) is not jit(f)
    assert jit(error_model="numpy")(f) is not jit(error_model="python")(f)
    assert jit("int64(int64)")(f) is not jit(f)


# ---------------------------------------------------------------------------------------------
# signatures


def scaled(a, k):
    return a[k] * 2


def add(i, x):
    return i + x


def test_string_signature_compiles_at_decoration():
    before = stickyjit.stats()["compiles"] + stickyjit.stats()["cache_hits"]
    f = jit("float64(float64[:], int64)", cache=False)(scaled)
    assert f.signatures == [("array(float64, 1d, A)", "int64")]
    assert stickyjit.stats()["compiles"] + stickyjit.stats()["cache_hits"] > before
    a = np.arange(6.0)
    assert f(a, 3) == scaled(a, 3)
    assert f(a[::2], 1) == scaled(a[::2], 1)  # a strided view fits the A layout
    assert f(a, True) == scaled(a, 1)  # bool converts to int64 (as in Numba; NumPy would mask)
    assert f.signatures == [("array(float64, 1d, A)", "int64")]  # nothing new compiled


def test_type_object_and_list_signatures():
    f = njit([nb.float32(nb.int32, nb.float32), "float64(float64, float64)"])(add)
    assert f.signatures == [("int32", "float32"), ("float64", "float64")]
    # int32 + float32 computed as Numba does (in float64), returned rounded to float32.
    assert f(np.int32(3), np.float32(1.1)) == float(np.float32(3 + float(np.float32(1.1))))
    # (int64, float64) converts to both; the float64 signature takes fewer conversions.
    same(add(3, 1.1), f(3, 1.1))
    same(add(2.5, 0.25), f(2.5, 0.25))
    f2 = jit(nb.types.float64(nb.types.float64[:, ::1], nb.types.int64))(lambda_free_sum)
    m = np.arange(12.0).reshape(3, 4)
    assert f2(m, 1) == lambda_free_sum(m, 1)
    with pytest.raises(TypeError, match="No matching definition"):
        f2(np.asfortranarray(m), 1)  # a C-contiguous signature takes no F array


def lambda_free_sum(m, k):
    s = 0.0
    for j in range(m.shape[1]):
        s += m[k, j]
    return s


def test_a_call_matching_no_signature_names_them():
    f = jit(["int64(int64, int64)", "float64[:](float64[:], int64)"])(first)
    assert f(5, 1) == first(5, 1)
    with pytest.raises(
        TypeError, match=r"No matching definition for argument type\(s\) \(float64, int64\).*int64\(int64, int64\)"
    ):
        f(2.5, 1)  # a float does not convert to int64
    with pytest.raises(TypeError, match="has 1 argument type"):
        jit("int64(int64)")(first)  # every parameter needs a type, defaults too (as in Numba)


def first(x, k=0):
    return x


def test_narrow_integer_signature_overflow():
    f = jit("int64(int32, float64)")(lambda_free_add)
    assert f(2**31 - 1, 1.0) == lambda_free_add(2**31 - 1, 1.0)
    with pytest.raises(OverflowError, match="does not fit in int32"):
        f(2**31, 1.0)


def lambda_free_add(i, x):
    return int(i + x)


def test_return_type_converts_or_is_a_compile_error():
    def half(n):
        return n // 2

    f = jit("float64(int64)")(half)
    assert f(7) == 3.0 and type(f(7)) is float
    # A float returned where the signature declares an int is truncated, as Numba casts it.
    d = jit("int64(float64)")(divide_one)
    assert d(-7.9) == int(np.array(-7.9).astype(np.int64)) and type(d(-7.9)) is int
    with pytest.raises(CompileError, match="returns array"):
        jit("int64(float64)")(an_array)
    g = jit("void(float64[:])")(fill)
    a = np.zeros(3)
    assert g(a) is None and a.tolist() == [1.0, 1.0, 1.0]


def divide_one(x):
    return x / 1.0


def an_array(x):
    return np.full(2, x)


def fill(a):
    for i in range(a.shape[0]):
        a[i] = 1.0


@pytest.mark.parametrize(
    "sig, match",
    [
        ("float64(float64)", "1 argument"),
        ("float64(float64[:], nonsense)", "nonsense"),
        (3, "not a signature"),
    ],
)
def test_bad_signatures(sig, match):
    with pytest.raises(TypeError, match=match):
        jit(sig)(scaled)


def test_math_in_a_signature_function():
    f = jit("float64(float64)", fastmath=True)(math_fn)
    assert f(0.5) == pytest.approx(math_fn(0.5))


def math_fn(x):
    return math.sqrt(x) + x**0.5


def test_dispatcher_compile_of_a_signature_compiles_without_calling():
    def sum2d(arr):
        return arr.sum()

    f = jit(sum2d)
    assert f.compile(stickyjit.float64(stickyjit.float64[:, ::1])) is f
    assert f.signatures == [("array(float64, 2d, C)",)]
    f.compile("float64(int64[:])")
    assert ("array(int64, 1d, A)",) in f.signatures
    a = np.arange(6.0).reshape(2, 3)
    assert f(a) == sum2d(a)


# ---------------------------------------------------------------------------------------------
# a return type the signatures declare converts what is returned, whoever calls


def xor_first_two(s):
    return s[0] ^ s[1]


def tau_rand_int(state):
    # pynndescent's utils.tau_rand_int, declared 'i4(i8[:])': int64 arithmetic, an int32 result.
    state[0] = (((state[0] & 4294967294) << 12) & 0xFFFFFFFF) ^ ((((state[0] << 13) & 0xFFFFFFFF) ^ state[0]) >> 19)
    state[1] = (((state[1] & 4294967288) << 4) & 0xFFFFFFFF) ^ ((((state[1] << 2) & 0xFFFFFFFF) ^ state[1]) >> 25)
    state[2] = (((state[2] & 4294967280) << 17) & 0xFFFFFFFF) ^ ((((state[2] << 3) & 0xFFFFFFFF) ^ state[2]) >> 11)
    return state[0] ^ state[1] ^ state[2]


TAU_RAND_INT = jit("i4(i8[:])")(tau_rand_int)


@jit
def tau_rand(state):
    integer = TAU_RAND_INT(state)
    return abs(float(integer) / 0x7FFFFFFF)


def draws(state, n):
    out = np.empty(n)
    for i in range(n):
        out[i] = tau_rand(state)
    return out


def as_int32(v):
    return int(np.array(v, dtype=np.int64).astype(np.int32))


def test_a_declared_int32_return_wraps_as_numba_casts():
    f = jit("i4(i8[:])")(xor_first_two)
    for s in ([3222375155, 0], [5, 3], [2**40 + 7, 1], [-(2**35), 12]):
        s = np.array(s, np.int64)
        assert f(s) == as_int32(xor_first_two(s))
    g = jit("i4(i8)")(lambda x: x)
    assert g(2**32 + 5) == 5


def test_a_declared_return_applies_where_compiled_callers_call_it():
    # tau_rand calls the declared tau_rand_int from compiled code: its int32 result is what
    # Numba gives (a uniform draw in [0, 1]), not the int64 before the cast.
    want_state = np.array([12345, 67890, 13579], np.int64)
    want = np.empty(50)
    for i in range(50):
        want[i] = abs(float(as_int32(tau_rand_int(want_state))) / 0x7FFFFFFF)
    state = np.array([12345, 67890, 13579], np.int64)
    got = jit(draws)(state, 50)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(state, want_state)
    assert (got <= 1.0).all()


def test_a_declared_bool_return_takes_any_number():
    def has_been_visited(table, candidate):
        loc = candidate >> 3
        mask = 1 << (candidate & 7)
        return table[loc] & mask

    f = jit("b1(u1[::1], i4)")(has_been_visited)
    table = np.array([0, 4, 255], np.uint8)
    for c in range(24):
        assert f(table, c) is bool(has_been_visited(table, c))


def test_complex_signatures_compile_as_declared():
    def f(z, x):
        return z * x + 1j

    def g(a):
        return np.abs(a).sum()

    jf = jit("complex128(complex128, float64)")(f)
    assert jf(2 + 3j, 0.5) == f(2 + 3j, 0.5)
    assert jf.signatures == [("complex128", "float64")]
    a = np.array([3 + 4j, 1j])
    assert jit("float64(complex128[:])")(g)(a) == g(a)
    with pytest.raises(TypeError, match="No matching definition"):
        jf("x", 1.0)
