"""Loops whose float checks wait (codegen/defer.rs, issue 16): an innermost `range` loop that
changes only its own number locals runs first with the checks of `**`, float `/` and the `math`
functions recorded instead of raised (so that it vectorizes), and again from its start, exactly,
when one was recorded. Whatever the inputs, the answer, the exception, its message and the
iteration it is raised in (what an `except` clause then sees of the locals) are CPython's."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Floats, outcome, pure_python, same
from stickyjit import jit, prange


def check(f, *arrays):
    """`f` compiled and `f` in CPython on the same float arrays: the same outcome."""
    expected, expected_e = outcome(pure_python(f), *[Floats(a) for a in arrays])
    got, got_e = outcome(f, *[np.array(a, dtype=np.float64) for a in arrays])
    assert got_e == expected_e
    if expected_e is None:
        same(expected, got)


@jit
def in_circle(us, vs):
    # calculate_pi's loop (numba/numba-examples): squares, a square root, an int count.
    n = us.shape[0]
    count = 0
    for i in range(n):
        u, v = us[i], vs[i]
        d = math.sqrt((u - 0.5) ** 2 + (v - 0.5) ** 2)
        if d < 0.5:
            count += 1
    return count


@jit
def ratios(a, b):
    # A float division in every iteration, an int count and a last value.
    above = 0
    last = 0.0
    for i in range(a.shape[0]):
        last = a[i] / b[i]
        if last > 1.0:
            above += 1
    return above, last


@jit
def logs_and_roots(a):
    k = 0
    for i in range(a.shape[0]):
        x = math.log(a[i]) + math.sqrt(a[i]) + math.exp(a[i]) + a[i] ** 0.5 + a[i] ** 6
        k += x > 2.0
    return k


@jit
def int_then_float(a, d):
    # An int division (not deferred) after a float power (deferred) in the loop: the first
    # failure in iteration order is the one raised.
    k = 0
    for i in range(a.shape[0]):
        t = a[i] ** 2
        k += 7 // d[i] + (t > 1.0)
    return k


@jit
def index_after_power(a, idx):
    k = 0
    for i in range(a.shape[0]):
        t = a[i] ** 2
        k += idx[int(t > 1.0) * 1000]
    return k


@jit
def caught(a, b):
    # The locals an `except` clause sees are those of the iteration that raised.
    count = 0
    j = -1
    try:
        for i in range(a.shape[0]):
            j = i
            q = a[i] / b[i]
            count += q > 0.0
    except ZeroDivisionError:
        return count, j, -1
    return count, j, 1


SQUARES = st.floats(-1e200, 1e200) | st.sampled_from([1e160, -1e155, 0.0, -0.0, math.inf, -math.inf, math.nan])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(SQUARES, SQUARES), max_size=40))
def test_a_count_over_squares_is_cpythons_and_overflows_where_cpython_does(pairs):
    check(in_circle, [p[0] for p in pairs], [p[1] for p in pairs])


def test_a_count_over_many_squares_is_cpythons():
    # Long enough for the vectorized loop (and every value where pow(x, 2.0) is not x * x).
    rng = np.random.default_rng(23)
    us, vs = rng.random(50_000), rng.random(50_000)
    check(in_circle, us.tolist(), vs.tolist())


DIVISORS = st.floats(-4.0, 4.0) | st.sampled_from([0.0, -0.0, math.inf, math.nan])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-10.0, 10.0), DIVISORS), max_size=40))
def test_a_division_by_zero_is_raised_in_its_iteration(pairs):
    check(ratios, [p[0] for p in pairs], [p[1] for p in pairs])
    check(caught, [p[0] for p in pairs], [p[1] for p in pairs])


@pytest.mark.parametrize("bad", [0.0, -1.0, 800.0, -math.inf, math.nan, 1e60])
@pytest.mark.parametrize("at", [0, 3, 17])
def test_math_errors_are_raised_in_their_iteration(bad, at):
    a = [0.5 + 0.01 * i for i in range(20)]
    a[at] = bad
    check(logs_and_roots, a)


@pytest.mark.parametrize(
    ("values", "divisors"),
    [
        ([1.0, 1e200, 1.0], [1.0, 1.0, 0.0]),  # the power overflows first
        ([1.0, 1.0, 1e200], [1.0, 0.0, 1.0]),  # the int division fails first
        ([1e200, 1.0], [0.0, 1.0]),  # both in the same iteration: the power is first
        ([1.0, 2.0], [1.0, 3.0]),
    ],
)
def test_the_first_failure_in_iteration_order_is_raised(values, divisors):
    expected = outcome(pure_python(int_then_float), Floats(values), [int(d) for d in divisors])
    got = outcome(int_then_float, np.array(values), np.array(divisors, dtype=np.int64))
    assert got == expected


def test_an_index_error_after_a_deferred_overflow_is_not_raised_first():
    idx = np.arange(10)
    a = [1.0, 1e200, 5.0]
    expected = outcome(pure_python(index_after_power), Floats(a), idx.tolist())
    got = outcome(index_after_power, np.array(a), idx)
    assert got == expected
    assert expected[1][0] is OverflowError


@jit
def carried_sum(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] / b[i]
    return s


def test_a_float_sum_keeps_its_order_and_its_errors():
    # Carried floats are not deferred (nothing to vectorize), but the answer is the same either way.
    check(carried_sum, [1.0, 2.0, 3.0], [3.0, 7.0, 11.0])
    check(carried_sum, [1.0, 2.0, 3.0], [3.0, 0.0, 11.0])


@jit(parallel=True)
def rows_in_circle(us, vs, n, m):
    # The deferred loop inside each parallel chunk: a worker's OverflowError reaches the caller
    # once, as CPython raises it for the first bad row.
    counts = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        c = 0
        for j in range(m):
            d = (us[i * m + j] - 0.5) ** 2 + (vs[i * m + j] - 0.5) ** 2
            if d < 0.25:
                c += 1
        counts[i] = c
    return int(counts.sum())


@pytest.mark.parametrize("bad", [None, 0, 703, 6399])
def test_a_deferred_loop_in_a_parallel_chunk_is_cpythons(bad):
    rng = np.random.default_rng(5)
    us, vs = rng.random(64 * 100), rng.random(64 * 100)
    if bad is not None:
        us[bad] = 1e200
    expected = outcome(pure_python(rows_in_circle), Floats(us.tolist()), Floats(vs.tolist()), 64, 100)
    got = outcome(rows_in_circle, us, vs, 64, 100)
    assert got == expected
