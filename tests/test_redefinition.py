"""A variable rebound to a value of another type by a statement of the function's body itself
(`x = conv(x)` giving float32 after float64, `a = a.reshape(n, -1)`, `x = (x, 1)`), as Numba
allows: each such assignment starts a new variable under the same name. Compared with CPython.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, njit


def retyped_scalars(n):
    x = n  # int
    s = 0
    for i in range(n):
        s += x * i
    x = s / 3  # float
    t = x + 1
    x = (x, s)  # tuple
    a, b = x
    x = a > b  # bool
    return x, t, a, b


def parameter_rebound(x, k):
    y = x * 2
    x = float(x) / 4
    if k > 0:
        y = y + k
    x = x * y
    return x, y


def rebound_in_loop_after(n):
    v = 1
    v = v * 2.5
    acc = 0.0
    for i in range(n):
        v = v + i  # nested: the same float version
        acc += v
    return acc, v


def swap_types(a, b):
    a, b = b, a
    a = a + 0.5
    return a, b


JIT = {f.__name__: njit(f) for f in (retyped_scalars, parameter_rebound, rebound_in_loop_after, swap_types)}


@settings(max_examples=200, deadline=None)
@given(st.integers(-20, 20), st.integers(-5, 5))
def test_rebinding_to_another_type_equals_cpython(n, k):
    for f, args in (
        (retyped_scalars, (abs(n),)),
        (parameter_rebound, (n, k)),
        (rebound_in_loop_after, (abs(n),)),
        (swap_types, (n, k + 0.25)),
    ):
        want, got = f(*args), JIT[f.__name__](*args)
        assert got == want, f.__name__
        assert [type(x) for x in got] == [type(x) for x in want], f.__name__


def arrays_rebound(a, n):
    a = a.reshape(n, -1)
    total = a.sum()
    a = a.astype(np.float32) * 2
    a = a.T
    return a, total


def test_array_rebound_to_another_ndim_and_dtype():
    x = np.arange(12.0)
    got, want = njit(arrays_rebound)(x, 3), arrays_rebound(x, 3)
    np.testing.assert_array_equal(got[0], want[0])
    assert got[0].dtype == want[0].dtype and got[1] == want[1]


def merged_types(k):
    x = 1
    if k > 0:
        x = (1, 2)
    return x


def test_a_merge_of_two_types_is_still_a_compile_error():
    with pytest.raises(CompileError, match="mixed types"):
        njit(merged_types)(1)


def read_before_rebinding(k):
    if k > 0:
        y = 1
    y = y + 1.5
    return y


def test_unbound_reads_are_still_unbound_local_errors():
    assert njit(read_before_rebinding)(1) == read_before_rebinding(1)
    with pytest.raises(UnboundLocalError):
        read_before_rebinding(0)
    with pytest.raises(UnboundLocalError):
        njit(read_before_rebinding)(0)
