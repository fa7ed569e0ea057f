"""A float stored into an integer array gives NumPy's and Numba's answer, in range and out of it.

In range, the value truncated toward zero. Out of the dtype's range C leaves the conversion
undefined; NumPy's scalar cast and Numba's store both give x86-64's: through a 32-bit integer
(8, 16, 32 bits) or a 64-bit one (uint32, int64), the low bits kept (`-3.7` into uint8 is 253,
as numba-examples' `harris` on a uint8 image relies on). The oracle is NumPy's cast of a
one-element array (its scalar loop); for uint32, whose vectorized NumPy loop differs from its
scalar one out of range, the 64-bit conversion written out in Python.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from stickyjit import jit

INT_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]

EDGES = [
    -3.7,
    300.5,
    1e10 + 3,
    -1e10 - 3,
    3e9,
    -3e9,
    5e18,
    1e19,
    2e19,
    -1e19,
    np.nan,
    np.inf,
    -np.inf,
    65535.9,
    -0.5,
    2.0**63,
    2.0**64 + 5000,
    -(2.0**63),
    -(2.0**31) - 0.5,
    -(2.0**31) - 1,
    2.0**31 - 0.5,
    2.0**31,
    127.9,
    -128.9,
    255.5,
    32767.5,
    -32768.5,
]


def values():
    rng = np.random.default_rng(7)
    parts = [EDGES, rng.uniform(-1e3, 1e3, 300), rng.uniform(-1e10, 1e10, 300), rng.uniform(-2e19, 2e19, 300)]
    return np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])


def expected(vals, dt):
    if dt == np.uint32:
        return np.array(
            [(int(v) % 2**32) if (v == v and -(2.0**63) <= v < 2.0**63) else 0 for v in vals], dtype=np.uint32
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.array([vals[i : i + 1].astype(dt)[0] for i in range(len(vals))], dtype=dt)


@jit
def store_each(out, x):
    for i in range(x.shape[0]):
        out[i] = x[i]


@jit
def store_slice(out, x):
    out[:] = x


@jit
def astype_like(x, proto):
    return x.astype(proto.dtype)


@pytest.mark.parametrize("dt", INT_DTYPES, ids=lambda d: d.__name__)
def test_a_float_stored_into_an_integer_array_is_numpys_cast(dt):
    vals = values()
    want = expected(vals, dt)
    each = np.zeros(len(vals), dt)
    store_each(each, vals)
    np.testing.assert_array_equal(each, want)
    whole = np.zeros(len(vals), dt)
    store_slice(whole, vals)
    np.testing.assert_array_equal(whole, want)
    np.testing.assert_array_equal(astype_like(vals, np.zeros(1, dt)), want)


def test_a_float32_stored_into_uint8_is_numpys_cast():
    x = np.array([-3.7, 300.5, 1e10, np.nan], dtype=np.float32)
    out = np.zeros(4, np.uint8)
    store_each(out, x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        np.testing.assert_array_equal(out, np.array([x[i : i + 1].astype(np.uint8)[0] for i in range(4)]))
