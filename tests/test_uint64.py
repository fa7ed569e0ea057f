"""uint64: elements, arguments and arithmetic over the full 0..2**64-1 range, differential
against CPython running the same function on the same NumPy values (NumPy 2's scalar rules;
docs/language.md, "Arrays", for the table and the documented differences: an int64 beside a
uint64 is taken as a Python int).

CPython's NumPy scalars are turned into the Python int/float/bool the compiled code returns
(`plain`), then compared exactly (`same`: type and value, floats bit for bit).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import pure_python, same
from stickyjit import CompileError, jit

U64 = st.integers(0, 2**64 - 1)
I64 = st.integers(-(2**63), 2**63 - 1)
EDGES = [0, 1, 2**63 - 1, 2**63, 2**63 + 5, 2**64 - 1]


def plain(x):
    """A NumPy scalar (or a tuple of them) as the Python value compiled code gives."""
    if isinstance(x, tuple):
        return tuple(plain(v) for v in x)
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return float(x)
    return x


def expect(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's overflow warnings for wrapping uint64 scalars
        return plain(pure_python(f)(*args))


def check(f, *args):
    expected = expect(f, *args)
    actual = f(*args)
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected), (expected, actual)
        for e, a in zip(expected, actual):
            same(e, a)
    else:
        same(expected, actual)


def u64(*values):
    return np.array(values, dtype=np.uint64)


@jit
def between_uint64(a):
    x, y = a[0], a[1]
    return x + y, x - y, x * y, -x, ~x, x & y, x | y, x ^ y, x > y, x == y, x <= y


@jit
def divisions(a):
    x, y = a[0], a[1]
    return x // y, x % y, x / y


@jit
def with_literals(a):
    x = a[0]
    return x + 1, x - 1, x * 31 + 7, x >> 3, x << 2, x // 10, x % 10, 3 * x, x > 0, x == 4611686018427387904


@jit
def with_int(x, k):
    return x + k, x - k, x * k, x & k, x | k, x > k, x < k, x == k, x >= k


@jit
def with_int64_element(a, b):
    x, k = a[0], b[0]
    return x + k, x * k, x > k, x == k


@jit
def count_bits(a):
    c = 0
    for x in a:
        while x > 0:
            c += x & 1
            x >>= 1
    return c


@jit
def total(a):
    t = 0
    for x in a:
        t += x
    return t


@jit
def with_float(a, f):
    x = a[0]
    return x + f, x * f, x > f, x < f, x == f, float(x)


@jit
def builtins(a):
    x, y = a[0], a[1]
    return int(x), abs(x), min(x, y), max(x, y), bool(x)


@jit
def reductions(a):
    return a.sum(), a.min(), a.max()


@jit
def mean(a):
    return a.mean()


@jit
def fnv1a(data):
    # A 64-bit hash: the kind of loop uint64 arrays are for (wrapping multiply, xor).
    h = data[0] * 0 + 14695981039346656037
    for i in range(data.shape[0]):
        h = (h ^ data[i]) * 1099511628211
    return h


@jit
def splitmix64(seeds, out):
    # The constants are above 2**63: uint64 literals (Numba types them so).
    for i in range(seeds.shape[0]):
        z = seeds[i] + 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB
        out[i] = z ^ (z >> 31)
    return out[0]


@jit
def int64_times_big_literal(h):
    return h * 0x9E3779B97F4A7C15 + 1


@jit
def counts_up(c, k):
    c[k] += 1
    return c[k]


@jit
def echo(x):
    return x


@jit
def echo_plus_one(x):
    return x + 1


@given(U64, U64)
@settings(max_examples=200)
def test_arithmetic_between_uint64_wraps_and_compares_as_numpy(x, y):
    check(between_uint64, u64(x, y))


@given(U64, U64.filter(lambda v: v != 0))
def test_division_and_modulo_are_unsigned(x, y):
    check(divisions, u64(x, y))


@pytest.mark.parametrize("x", EDGES + [12345678901234567890])
def test_literals_take_the_uint64_type(x):
    check(with_literals, u64(x))


@given(U64, st.integers(0, 2**63 - 1))
def test_an_int_beside_a_uint64_is_taken_as_numpy_takes_a_python_int(x, k):
    # NEP 50: CPython with numpy.uint64 and a non-negative Python int gives uint64.
    check(with_int, np.uint64(x), k)


@given(U64, I64)
def test_an_int64_element_beside_a_uint64_wraps_and_compares_exactly(x, k):
    # Documented: uint64 (NumPy gives float64 for two arrays' elements); the comparisons are
    # CPython's exact ones between the two Python ints.
    got = with_int64_element(u64(x), np.array([k], dtype=np.int64))
    expected = pure_python(with_int64_element)(np.array([x], dtype=object), np.array([k], dtype=object))
    assert got == ((expected[0]) % 2**64, expected[1] % 2**64, expected[2], expected[3])
    assert all(type(v) is int for v in got[:2])


@given(st.lists(U64, max_size=6))
def test_a_sum_or_count_started_at_zero_stays_uint64(values):
    check(count_bits, u64(*values))
    check(total, u64(*values))


@pytest.mark.parametrize("x", EDGES)
@pytest.mark.parametrize("f", [0.5, -1.0, 9.223372036854776e18, 1.8446744073709552e19, 2.0**62 + 2048.0, float("nan")])
def test_uint64_against_floats_is_exact(x, f):
    check(with_float, u64(x), f)


@given(U64, U64)
def test_builtins_keep_uint64(x, y):
    check(builtins, u64(x, y))


@given(st.lists(U64, min_size=1, max_size=8))
def test_reductions(values):
    check(reductions, u64(*values))


@given(st.lists(st.integers(0, 2**40), min_size=1, max_size=8))
def test_mean(values):
    # Exact sums (NumPy's pairwise float summation and this in-order one round alike).
    check(mean, u64(*values))


@given(st.lists(U64, min_size=1, max_size=8))
def test_hash_loop_matches_numpy(values):
    check(fnv1a, u64(*values))


@given(st.lists(U64, min_size=1, max_size=8))
def test_uint64_literals_in_a_mixing_function(values):
    seeds = u64(*values)
    out, py_out = np.zeros_like(seeds), np.zeros_like(seeds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = plain(pure_python(splitmix64)(seeds, py_out))
    same(expected, splitmix64(seeds, out))
    assert (out == py_out).all()


@given(I64)
def test_a_big_literal_with_an_int64_is_uint64(h):
    # The literal is a uint64 and the int64 beside it is taken as one: CPython's exact product
    # modulo 2**64 (the bits Numba's int64 answer has too).
    same(pure_python(int64_times_big_literal)(h) % 2**64, int64_times_big_literal(h))


def test_augmented_store_into_uint64_array_keeps_every_bit():
    c = u64(2**64 - 2, 2**63)
    assert counts_up(c, 0) == 2**64 - 1 and c[0] == np.uint64(2**64 - 1)
    assert counts_up(c, 0) == 0 and c[0] == 0  # wraps, as NumPy's uint64 does
    assert counts_up(c, 1) == 2**63 + 1


@pytest.mark.parametrize("x", [2**63, 2**64 - 2, np.uint64(2**64 - 1), np.uint64(7)])
def test_uint64_arguments(x):
    # An int from 2**63 up is a uint64 (Numba's typing); np.uint64(2**64 - 1) + 1 wraps as in NumPy.
    assert echo(x) == int(x) and type(echo(x)) is int
    check(echo_plus_one, x)
    assert ("uint64",) in echo.signatures


@jit
def beyond_uint64():
    return 18446744073709551616


def test_a_literal_beyond_uint64_is_a_compile_error_naming_it():
    with pytest.raises(CompileError, match="integer literal"):
        beyond_uint64()


def test_int_beyond_uint64_is_still_an_overflow_error():
    with pytest.raises(OverflowError, match="'x'"):
        echo(2**64)


@jit
def index_with(a, i):
    return a[i]


def test_a_uint64_index_beyond_int64_is_out_of_range_not_wrapped():
    a = np.arange(5.0)
    assert index_with(a, np.uint64(3)) == 3.0
    with pytest.raises(IndexError):
        index_with(a, np.uint64(2**64 - 1))  # its bits are -1: must not read a[-1]
