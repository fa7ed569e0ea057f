"""Parallel loops (issue 21): ``prange`` under ``@jit(parallel=True)`` runs on the thread pool,
with reductions combined per chunk; a loop with a loop-carried dependence that would race runs
serially instead, with a ParallelWarning naming the variable and the line. Answers are CPython's for the same function (``prange`` is
``range`` there); float sums are compared within rounding, and reruns must agree bit for bit.
"""

from __future__ import annotations

import copy
import linecache
import math
import random
import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stickyjit
from conftest import check, same
from stickyjit import ParallelWarning, njit, prange

par = njit(parallel=True)


def _py(v):
    """CPython's result with NumPy scalars (what indexing an array gives there) as Python's."""
    if isinstance(v, tuple | list):
        return type(v)(_py(x) for x in v)
    return v.item() if isinstance(v, np.generic) else v


def check_np(f, *args):
    """``check`` for functions whose CPython result is an array or holds NumPy scalars: equal
    bit for bit (arrays: same dtype, shape and values)."""
    _equal(f.py_func(*args), f(*args))


def _equal(expected, actual):
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray) and actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected, strict=True)
    elif isinstance(expected, tuple) and any(isinstance(e, np.ndarray) for e in expected):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for e, a in zip(expected, actual, strict=True):
            _equal(e, a)
    else:
        same(_py(expected), actual)


@pytest.fixture(autouse=True)
def _all_threads():
    stickyjit.set_num_threads(stickyjit._native._max_threads())
    yield
    stickyjit.set_num_threads(stickyjit._native._max_threads())


# ---------------------------------------------------------------------------------------------
# reductions


@par
def int_reductions(n):
    s = 0
    p = 1
    d = 100
    bits_or = 0
    bits_and = -1
    bits_xor = 0
    for i in prange(n):
        s += i * i
        p *= -1 if i % 5 == 0 else 1
        d -= i
        bits_or |= i
        bits_and &= i | 1024
        bits_xor ^= i * 7
    return s, p, d, bits_or, bits_and, bits_xor


@pytest.mark.parametrize("n", [0, 1, 2, 7, 100, 1000, 12345])
def test_int_reductions_equal_cpython(n):
    check(int_reductions, n)


@par
def min_max(a):
    lo = np.inf
    hi = -np.inf
    lo_i = 10**18
    for i in prange(a.shape[0]):
        lo = min(lo, a[i])
        hi = max(hi, a[i])
        lo_i = min(lo_i, i * 3 - 7)
    return lo, hi, lo_i


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_min_max_reductions_equal_cpython(seed):
    a = np.random.default_rng(seed).standard_normal(10_001)
    a[17] = np.nan  # never chosen by min()/max() after the first element, as in CPython
    check_np(min_max, a)
    check_np(min_max, np.array([-0.0, 0.0, -0.0]))
    check_np(min_max, np.array([], dtype=np.float64))


@par
def float_sum(a):
    s = 0.0
    t = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
        t = t + a[i] * a[i]
    return s, t


def test_float_sum_is_close_to_cpython_and_reruns_agree_bit_for_bit():
    a = np.random.default_rng(5).random(100_003)
    s, t = float_sum(a)
    es, et = float_sum.py_func(a)
    assert math.isclose(s, es, rel_tol=1e-12)
    assert math.isclose(t, et, rel_tol=1e-12)
    for _ in range(5):
        assert float_sum(a) == (s, t)
    # Exact when every partial sum is exact.
    check_np(float_sum, np.arange(1000.0))


@par
def conditional_reduction(a):
    # Numba issue #4922: a reduction inside a conditional.
    s = 0.0
    count = 0
    for i in prange(a.shape[0]):
        if a[i] > 0.5:
            s += 1.0
            count += 1
        elif a[i] < 0.1:
            s -= 2.0
    return s, count


def test_reduction_in_a_conditional():
    check_np(conditional_reduction, np.random.default_rng(1).random(5000))


@par
def two_loops_one_variable(n):
    # Numba issue #7630: two prange loops reducing into one variable.
    s = 0
    for i in prange(n):
        s += i
    for j in prange(n):
        s += 2 * j
    return s


def test_two_parallel_loops_reduce_into_one_variable():
    for n in (0, 1, 10, 1001):
        check(two_loops_one_variable, n)


# ---------------------------------------------------------------------------------------------
# private locals, arrays, shapes of loops


@par
def map_rows(a):
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        row = out[i]
        s = 0.0
        for j in range(a.shape[1]):
            s += a[i, j]
        for j in range(a.shape[1]):
            row[j] = a[i, j] - s / a.shape[1]
    return out


def test_rows_written_through_a_view_taken_in_the_body():
    a = np.random.default_rng(2).random((257, 33))
    check_np(map_rows, a)


@par
def stencil(a):
    out = np.zeros_like(a)
    for i in prange(1, a.shape[0] - 1):
        t = a[i - 1] + a[i + 1]
        out[i] = t * 0.5
    return out


def test_neighbours_read_from_an_array_the_loop_does_not_write():
    check_np(stencil, np.random.default_rng(3).random(10_000))


@par
def last_values(n):
    x = -1
    k = 0
    for i in prange(n):
        x = i * 2 + 1
        k = i
    return x, k, i  # noqa: F821 - the loop variable after the loop, as in CPython


def test_private_locals_keep_the_last_iterations_value_after_the_loop():
    for n in (1, 2, 9, 1000):
        check(last_values, n)


@par
def steps(a, b, c):
    s = 0
    for i in prange(a, b, c):
        s += i * (i % 7)
    return s


@pytest.mark.parametrize("args", [(0, 100, 1), (5, 1000, 3), (1000, -5, -7), (10, 10, 1), (10, 0, 1), (-50, 50, 2)])
def test_ranges_with_steps_and_signs(args):
    check(steps, *args)


def test_a_zero_step_raises_as_cpython():
    check(steps, 0, 10, 0)


@par
def allocating_body(n, m):
    out = np.empty(n)
    for i in prange(n):
        tmp = np.arange(m) * (i + 1.0)
        out[i] = tmp.sum()
    return out


def test_arrays_made_in_the_body():
    check_np(allocating_body, 500, 37)


@par
def nested(n):
    out = np.zeros((n, n))
    for i in prange(n):
        for j in prange(n):  # the inner one runs serially
            out[i, j] = i * n + j
    return out


def test_nested_prange_runs_the_inner_loop_serially():
    check_np(nested, 40)


@njit(parallel=True)
def helper_reads(a, i):
    return a[i] * 2.0


@par
def calls_a_helper(a):
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        out[i] = helper_reads(a, i)
    return out


def test_calls_of_jitted_functions_in_the_body():
    check_np(calls_a_helper, np.arange(1000.0))


def test_thread_count_changes_nothing_but_speed():
    a = np.random.default_rng(9).random((300, 20))
    expected = map_rows(a)
    stickyjit.set_num_threads(1)
    np.testing.assert_array_equal(map_rows(a), expected)
    assert stickyjit.get_num_threads() == 1
    with pytest.raises(ValueError, match="between 1 and"):
        stickyjit.set_num_threads(0)


def test_prange_without_parallel_is_range():
    def f(n):
        s = 0.0
        for i in prange(n):
            s += 1.0 / (i + 1)
        return s

    assert njit(f)(1000) == f(1000)


# ---------------------------------------------------------------------------------------------
# errors raised in workers


@par
def index_error(a, bad):
    out = np.zeros(a.shape[0])
    for i in prange(a.shape[0]):
        j = i if i != bad else a.shape[0] + 5
        out[i] = a[j]
    return out


@par
def zero_division(a):
    s = 0
    for i in prange(a.shape[0]):
        s += 100 // int(a[i])
    return s


@par
def raises(n):
    s = 0
    for i in prange(n):
        if i == n - 3:
            raise ValueError("bad item")
        s += i
    return s


def test_an_exception_in_a_worker_reaches_the_caller_once_as_that_exception():
    a = np.arange(1.0, 10_001.0)
    for bad in (0, 5000, 9999):
        check(index_error, a, bad)
    b = a.copy()
    b[7777] = 0.0
    check(zero_division, b)
    check(raises, 10_000)
    # And the function still works afterwards.
    check_np(index_error, a, -1)


# ---------------------------------------------------------------------------------------------
# what runs serially (with a ParallelWarning) instead of racing


def _fresh(args):
    """Copies of the arrays and generators among `args` (each run gets its own)."""
    return tuple(copy.deepcopy(a) if isinstance(a, np.ndarray | np.random.Generator) else a for a in args)


def _module(src: str) -> tuple[str, dict]:
    """``src`` run as a module of its own (``np`` and ``prange`` bound), its text registered in
    linecache for the compiler to read: (its file name, its namespace)."""
    filename = f"<parallel-test-{len(linecache.cache)}-{hash(src)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np, "prange": prange}
    exec(compile(src, filename, "exec"), ns)  # noqa: S102 - test source
    return filename, ns


def _serial(src: str, pattern: str):
    """The ``prange`` loop of ``src``'s ``f`` cannot run in parallel: it runs serially, with a
    ``ParallelWarning`` matching ``pattern`` at the line of ``src`` it names, and gives
    CPython's answer. Returns the warning's text."""
    filename, ns = _module(src)
    f = njit(parallel=True)(ns["f"])
    args = ns.get("ARGS", (np.zeros(10),))
    with pytest.warns(ParallelWarning, match=pattern) as record:
        got = f(*_fresh(args))
    _equal(ns["f"](*_fresh(args)), got)
    warning = next(w for w in record if issubclass(w.category, ParallelWarning))
    assert warning.filename == filename
    assert "runs serially" in str(warning.message)
    return str(warning.message)


@par
def documentation_race(x):
    # Numba issue #9938: the first example of Numba's parallel documentation races (every
    # iteration adds into all of `y`). Here `y[:] += ...` is a reduction into the whole array.
    y = np.zeros(4)
    for i in prange(x.shape[0]):
        y[:] += x[i]
    return y


def test_numba_documentation_race_is_computed_correctly():
    check_np(documentation_race, np.arange(10_000) / 8.0)  # eighths: exact in any order


@par
def histogram_bins(x):
    # Two iterations may add into one bin: the bins become a reduction into a whole array
    # (each chunk counts into bins of its own), where Numba races.
    h = np.zeros(4)
    counts = np.zeros(4, dtype=np.int64)
    for i in prange(x.shape[0]):
        h[i % 4] += x[i]
        counts[int(x[i] * 4)] += 1
    return h, counts


def test_histogram_into_a_shared_array_is_computed_correctly():
    x = np.arange(1, 20_001) / 32768.0  # multiples of 2**-15: exact sums in any order
    check_np(histogram_bins, x)


def test_a_write_another_iteration_reads_runs_serially():
    _serial(
        "def f(a):\n    for i in prange(a.shape[0] - 1):\n        a[i + 1] = a[i]\n    return a\n",
        "same element of 'a'",
    )


def test_a_scalar_carried_between_iterations_runs_serially():
    msg = _serial(
        "def f(a):\n    s = 0.0\n    for i in prange(a.shape[0]):\n        s = s * 0.5 + a[i]\n    return s\n",
        "loop-carried variable",
    )
    assert "'s'" in msg


def test_an_append_to_a_shared_list_runs_serially():
    _serial(
        "def f(a):\n    out = [0.0]\n    for i in prange(a.shape[0]):\n        out.append(a[i])\n    return out\n",
        "change of a shared container",
    )


def test_return_and_break_in_a_prange_loop_run_serially():
    _serial("def f(a):\n    for i in prange(3):\n        return i\n    return 0\n", "return in a prange loop")
    _serial("def f(a):\n    for i in prange(3):\n        break\n    return 0\n", "break out of a prange loop")


def test_a_prange_nested_in_a_serial_one_is_checked_in_turn():
    # The outer loop returns from its body (serial); the inner one writes its own row element
    # and runs on the pool: one warning, for the outer loop, and CPython's answer.
    src = (
        "ARGS = (np.arange(12.0).reshape(3, 4),)\n"
        "def f(a):\n"
        "    out = np.zeros(a.shape)\n"
        "    for i in prange(a.shape[0]):\n"
        "        for j in prange(a.shape[1]):\n"
        "            out[i, j] = 2.0 * a[i, j]\n"
        "        if out[i, 0] > 1e9:\n"
        "            return out\n"
        "    return out\n"
    )
    _, ns = _module(src)
    a = ns["ARGS"][0]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        got = njit(parallel=True)(ns["f"])(a)
    _equal(ns["f"](a), got)
    said = [str(w.message) for w in record if issubclass(w.category, ParallelWarning)]
    assert len(said) == 1 and "return in a prange loop" in said[0] and "line 4" in said[0], said


def _parallel(src: str):
    """``src``'s ``f`` runs its ``prange`` loop on the pool: no ParallelWarning, and CPython's
    answer."""
    _, ns = _module(src)
    args = ns.get("ARGS", (np.zeros(10),))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelWarning)
        got = njit(parallel=True)(ns["f"])(*_fresh(args))
    _equal(ns["f"](*_fresh(args)), got)


def test_a_local_assigned_again_before_it_is_read_after_the_loop_stays_parallel():
    # NumPy-style pairwise distances: `t` is the loop's temporary (assigned only when the
    # inner loop runs) and a new `t` starts after it; nothing reads the loop's `t` after it.
    _parallel(
        "ARGS = (np.arange(24.0).reshape(6, 4) / 8.0,)\n"
        "def f(x):\n"
        "    n = x.shape[0]\n"
        "    d = np.empty((n, n))\n"
        "    for i in prange(n):\n"
        "        for j in range(n):\n"
        "            s = 0.0\n"
        "            for k in range(x.shape[1]):\n"
        "                t = x[i, k] - x[j, k]\n"
        "                s += t * t\n"
        "            d[i, j] = s\n"
        "    t = 0.0\n"
        "    for i in range(n):\n"
        "        t += d[i, n - 1 - i]\n"
        "    return t, d\n"
    )
    # Assigned again on both branches of an `if`, in a `while` loop's body before its read.
    _parallel(
        "ARGS = (np.arange(10.0), 3)\n"
        "def f(a, m):\n"
        "    for i in prange(a.shape[0]):\n"
        "        if a[i] > 4.0:\n"
        "            t = a[i] * 2.0\n"
        "            a[i] = t\n"
        "    if m > 2:\n"
        "        t = 1.0\n"
        "    else:\n"
        "        t = 2.0\n"
        "    k = 0\n"
        "    while k < m:\n"
        "        t = t + a[k]\n"
        "        k += 1\n"
        "    return t, a\n"
    )


def test_a_local_read_after_the_loop_on_some_path_runs_serially():
    # `t` may be read after the loop before any new assignment: only on one branch, after a
    # `break` out of an outer loop, or at the head of the outer loop's next pass.
    for src in (
        "def f(a):\n"
        "    t = -1.0\n"
        "    for i in prange(a.shape[0]):\n"
        "        if i == 3:\n"
        "            t = a[i]\n"
        "    if a.shape[0] > 5:\n"
        "        return t\n"
        "    t = 0.0\n"
        "    return t\n",
        "def f(a):\n"
        "    t = -1.0\n"
        "    for r in range(3):\n"
        "        for i in prange(a.shape[0]):\n"
        "            if i == 3:\n"
        "                t = a[i] + r\n"
        "        if r == 1:\n"
        "            break\n"
        "        t = 0.0\n"
        "    return t\n",
        "def f(a):\n"
        "    t = -1.0\n"
        "    out = 0.0\n"
        "    for r in range(3):\n"
        "        out += t\n"
        "        t = 5.0\n"
        "        for i in prange(a.shape[0]):\n"
        "            if i == 3:\n"
        "                t = a[i] + r\n"
        "    return out\n",
    ):
        msg = _serial(src, "variable of a prange loop")
        assert "'t'" in msg and "not every iteration assigns it" in msg


def test_a_parallel_warning_made_an_error_stops_the_call():
    # A body of its own: a function compiled before in the process (stickiness) is not
    # compiled again, and its warning is not given again (as Python gives one once per place).
    src = "def f(a):\n    s = 1.0\n    for i in prange(a.shape[0]):\n        s = s * 0.25 - a[i]\n    return s\n"
    _, ns = _module(src)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelWarning)
        with pytest.raises(ParallelWarning, match="loop-carried variable"):
            njit(parallel=True)(ns["f"])(np.ones(3))


def test_a_shared_generator_runs_serially():
    _serial(
        "ARGS = (np.random.default_rng(1), np.zeros(5))\n"
        "def f(rng, a):\n"
        "    for i in prange(a.shape[0]):\n"
        "        a[i] = rng.random()\n"
        "    return a\n",
        "Generator shared by a prange loop",
    )


# ---------------------------------------------------------------------------------------------
# threads, print, random, caching


def test_eight_python_threads_call_one_parallel_function():
    a = np.random.default_rng(4).random((200, 50))
    expected = map_rows.py_func(a)
    errors = []

    def run():
        try:
            for _ in range(20):
                np.testing.assert_allclose(map_rows(a), expected, rtol=1e-12)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_print_in_a_parallel_loop_prints_every_line(capsys):
    @par
    def shout(n):
        for i in prange(n):
            print("item", i)

    shout(200)
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines) == sorted(f"item {i}" for i in range(200))


def test_random_draws_in_workers_are_in_range():
    @par
    def draws(n):
        out = np.empty(n)
        for i in prange(n):
            out[i] = np.random.random()
        return out

    x = draws(100_000)
    assert x.min() >= 0.0 and x.max() < 1.0
    assert len(np.unique(x)) > 99_000  # the threads do not share one stream


def test_thread_ids():
    assert stickyjit.get_thread_id() == 0
    assert 1 <= stickyjit.get_num_threads() <= stickyjit._native._max_threads()


def test_a_parallel_function_loads_from_the_disk_cache_in_a_new_process(tmp_path):
    src = tmp_path / "kern.py"
    src.write_text(
        "import numpy as np, stickyjit\n"
        "from stickyjit import njit, prange\n"
        "@njit(parallel=True)\n"
        "def f(a):\n"
        "    s = 0.0\n"
        "    for i in prange(a.shape[0]):\n"
        "        s += a[i]\n"
        "    return s\n"
        "print(f(np.arange(1000.0)), stickyjit.stats()['cache_hits'])\n"
    )
    env = {"STICKYJIT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    outs = [
        subprocess.run([sys.executable, str(src)], capture_output=True, text=True, env=env, check=True).stdout.split()
        for _ in range(2)
    ]
    assert outs[0] == ["499500.0", "0"]
    assert outs[1] == ["499500.0", "1"]


def test_env_var_sets_the_maximum(tmp_path):
    code = "import stickyjit; print(stickyjit._native._max_threads(), stickyjit.get_num_threads())"
    env = {"STICKYJIT_NUM_THREADS": "3", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["3", "3"]


# ---------------------------------------------------------------------------------------------
# more of Numba's prange bugs, each computed correctly (in parallel, or serially with a warning)


@par
def negative_start(n):
    # Numba issue #4489: a prange from a negative start, its variable used as an index.
    total = 0.0
    x = np.arange(1.0, n + 1.0)
    for i in prange(-n, 5):
        total += x[i]
        for j in range(-n, 5):
            total += x[j]
    return total


def test_prange_from_a_negative_start():
    check_np(negative_start, 10)


@par
def consecutive_loops(n):
    # Numba issue #8515: the second loop reads what the first wrote.
    counters = np.zeros(n, dtype=np.int64)
    results = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        for _j in range(i):
            counters[i] += 1
    for i in prange(n):
        if i == 0:
            continue
        results[i] = counters[i] - counters[i - 1]
    return results[1:]


def test_consecutive_prange_loops_stay_apart():
    check_np(consecutive_loops, 50)


def test_floor_division_update_runs_serially():
    # Numba issue #7867: `acc //= 2` is not a reduction Numba can combine.
    _serial(
        "def f(a):\n    acc = 10000\n    for i in prange(4):\n        acc //= 2\n    return acc\n",
        "loop-carried variable",
    )


def test_an_array_shared_by_every_iteration_as_scratch_runs_serially():
    # Numba issue #8184: a scratch array made before the loop and written by every iteration.
    msg = _serial(
        "def f(a):\n"
        "    out = np.empty((a.shape[0], 3))\n"
        "    v = np.empty(3)\n"
        "    for i in prange(a.shape[0]):\n"
        "        v[0] = a[i]\n"
        "        v[1] = 2 * a[i]\n"
        "        v[2] = 3 * a[i]\n"
        "        out[i] = v * 2\n"
        "    return out\n",
        "same element of 'v'",
    )
    assert "line 5" in msg


@par
def if_extrema(a):
    hi = -1.0
    lo = 10.0
    hi_last = -5
    lo_first = 100
    for i in prange(a.shape[0]):
        if a[i] > hi:
            hi = a[i]
        if lo >= a[i]:
            lo = a[i]
        if i % 7 >= hi_last:
            hi_last = i % 7
        if lo_first > i % 5:
            lo_first = i % 5
    return hi, lo, hi_last, lo_first


@pytest.mark.parametrize("seed", [0, 3])
def test_if_greater_then_assign_is_a_reduction(seed):
    a = np.random.default_rng(seed).standard_normal(20_001)
    a[100] = np.nan
    check_np(if_extrema, a)
    check_np(if_extrema, np.array([0.0, -0.0, 0.0, -0.0]))


def test_argmax_pattern_runs_serially():
    # Two variables updated under one test: not a reduction stickyjit (or Numba) can combine.
    _serial(
        "def f(a):\n"
        "    best = -np.inf\n"
        "    at = -1\n"
        "    for i in prange(a.shape[0]):\n"
        "        if a[i] > best:\n"
        "            best = a[i]\n"
        "            at = i\n"
        "    return at\n",
        "loop-carried variable",
    )


def test_random_module_and_generators_made_in_the_body():
    @par
    def draws(n):
        out = np.empty((n, 2))
        for i in prange(n):
            rng = np.random.default_rng(i)
            out[i, 0] = rng.random()
            out[i, 1] = random.random()
        return out

    x = draws(2000)
    # A Generator made from seed i in iteration i draws NumPy's stream for that seed.
    np.testing.assert_array_equal(x[:, 0], [np.random.default_rng(i).random() for i in range(2000)])
    assert 0.0 <= x[:, 1].min() and x[:, 1].max() < 1.0


def test_many_calls_of_every_size_agree_with_cpython():
    # Races between the calling thread and the pool's (chunks taken, helpers woken late, loops
    # short and long) show up as wrong answers or IndexErrors over many calls.
    rng = np.random.default_rng(8)
    for k in range(300):
        n = int(rng.integers(0, 5000)) if k % 3 else int(rng.integers(0, 40))
        a = rng.standard_normal(n)
        check_np(min_max, a)
        assert int_reductions(n) == int_reductions.py_func(n)
        if n:
            np.testing.assert_array_equal(stencil(a), stencil.py_func(a))


# ---------------------------------------------------------------------------------------------
# reductions into whole arrays


@par
def histogram_rows(x, nbins):
    # Each iteration adds a row of counts; the rows of all iterations are summed.
    hist = np.zeros(nbins, dtype=np.int64)
    for i in prange(x.shape[0]):
        row = np.zeros(nbins, dtype=np.int64)
        row[int(x[i] * nbins)] = 1
        hist += row
    return hist


def test_whole_array_reduction_with_plus_equals():
    x = np.random.default_rng(6).random(20_000)
    check_np(histogram_rows, x, 16)


@par
def array_reductions(a):
    acc = np.ones((3, 4))
    prod = np.ones(4, dtype=np.int64)
    sub = np.zeros(4, dtype=np.float32)
    half = np.full(2, 0.5, dtype=np.float32)
    for i in prange(a.shape[0]):
        acc[:] += a[i]
        prod *= 1 + (i % 3 == 0)
        sub -= half[i % 2] * a[i, 0]
    return acc, prod, sub


def test_array_reductions_of_every_operator():
    a = np.arange(2 * 3 * 4 * 50, dtype=np.float64).reshape(100, 3, 4) / 4.0
    acc, prod, sub = array_reductions(a)
    e_acc, e_prod, e_sub = array_reductions.py_func(a)
    np.testing.assert_array_equal(acc, e_acc)  # sums of quarters: exact in any order
    np.testing.assert_array_equal(prod, e_prod)
    assert sub.dtype == np.float32
    np.testing.assert_allclose(sub, e_sub, rtol=1e-6)


@par
def strided_accumulator(a, out):
    acc = out[::2]
    for i in prange(a.shape[0]):
        acc += a[i]
    return out


def test_accumulating_into_a_strided_view():
    a = np.arange(40.0).reshape(10, 4)
    out = np.zeros(8)
    check_np(strided_accumulator, a, out.copy())


def test_an_array_reduction_read_elsewhere_in_the_body_runs_serially():
    _serial(
        "ARGS = (np.zeros((5, 3)),)\n"
        "def f(a):\n"
        "    h = np.zeros(3)\n"
        "    for i in prange(a.shape[0]):\n"
        "        h += a[i]\n"
        "        a[i, 0] = h[0]\n"
        "    return h\n",
        "'h'",
    )


@par
def who_ran(n):
    ids = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        x = 0.0
        for k in range(20_000):
            x += math.sqrt(k + i)
        ids[i] = stickyjit.get_thread_id() if x > 0 else -1
    return ids, stickyjit.get_num_threads(), stickyjit.get_thread_id()


def test_thread_functions_in_compiled_code():
    ids, count, outside = who_ran(64)
    assert count == stickyjit.get_num_threads()
    assert outside == 0
    assert set(ids.tolist()) <= set(range(stickyjit._native._max_threads() + 1))

    @njit
    def set_threads(n):
        stickyjit.set_num_threads(n)
        return stickyjit.get_num_threads()

    assert set_threads(1) == 1
    assert stickyjit.get_num_threads() == 1
    with pytest.raises(ValueError, match="between 1 and"):
        set_threads(0)


@njit(parallel=True)
def parallel_callee(n):
    ids = np.zeros(n, dtype=np.int64)
    total = 0
    for i in prange(n):
        x = 0.0
        for k in range(100_000):
            x += math.sqrt(k + i)
        ids[i] = stickyjit.get_thread_id() + (x < 0)
        total += i
    return ids, total


@njit
def serial_caller(n):
    ids, total = parallel_callee(n)
    return ids, total + 1


@njit
def serial_callee(n):
    ids = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        x = 0.0
        for k in range(5_000):
            x += math.sqrt(k + i)
        ids[i] = stickyjit.get_thread_id() + (x < 0)
    return ids


@par
def parallel_caller(n):
    return serial_callee(n)


def test_each_function_runs_prange_as_its_own_decorator_says():
    # As Numba compiles each function with its own options: a parallel=True callee runs its
    # loops on the pool under a plain caller, a plain callee serially under a parallel caller.
    ids, total = serial_caller(256)
    assert total == sum(range(256)) + 1
    if stickyjit.get_num_threads() > 1:
        # Some iteration ran on a pool thread (tens of milliseconds of chunks after the first:
        # a loaded machine may still start the pool's thread late, hence a few tries).
        assert any(serial_caller(256)[0].max() >= 1 for _ in range(5))
    assert not parallel_caller(64).any()  # every iteration on the calling thread (id 0)


@par
def subtracting_reduction(test, pre, err1, err2):
    # Numba issue #9518: `x = x - e` after a serial loop gave err2 == err1.
    for k in range(0, 100):
        pre = pre + test[k, 0]
    for k in prange(0, 100):
        err1 = err1 + test[k, 0]
        err2 = err2 - test[k, 0]
    return err1, err2


def test_subtracting_reduction_after_a_serial_loop():
    test = np.arange(10000).reshape((100, 100))
    check_np(subtracting_reduction, test, 0, 0, 0)


@par
def shared_element(x):
    # Numba issue #3681: `y[0, 1] += x[i, j]` races there.
    y = np.zeros_like(x)
    for i in prange(x.shape[0]):
        for j in range(x.shape[0]):
            if i == j:
                continue
            y[0, 1] += x[i, j]
    return y


def test_a_shared_element_accumulated_by_every_iteration_is_computed_correctly():
    check_np(shared_element, np.arange(400.0).reshape(20, 20))


@par
def normalized(a):
    # Numba issue #9139: `A / A.max()` fused the reduction into the division's loop.
    return a / a.max()


@par
def nested_reduction():
    # Numba issue #6414: a reduction inside a nested prange.
    acc = 0
    for k in prange(1):
        for i in prange(1):
            if i == 0:
                acc += 1
    return acc


def test_reduction_then_division_and_a_reduction_in_a_nested_loop():
    for n in (3, 100_000, 300_000):
        a = np.linspace(0.0, 3.0, n)
        np.testing.assert_array_equal(normalized(a), a / a.max())
    assert nested_reduction() == nested_reduction.py_func()


@par
def shapes_kernel(a, start, stop, step):
    out = np.zeros(a.shape[0])
    s = 0
    m = -(10**9)
    f = 0.0
    for i in prange(start, stop, step):
        j = i % a.shape[0]
        s += i * 3 - 1
        m = max(m, (i * 7) % 11)
        f += a[j] * 0.25
        if i >= 0 and i < a.shape[0]:
            out[i] = i * 0.5
    return s, m, f, out


@given(
    st.integers(-300, 300),
    st.integers(-300, 300),
    st.integers(-40, 40).filter(lambda k: k != 0),
    st.sampled_from([1, 2, 0]),
)
@settings(max_examples=150, deadline=None)
def test_random_loop_shapes_equal_cpython(start, stop, step, threads):
    # Bounds, steps (negative ones too), empty ranges and thread counts drawn at random; the
    # float sum adds quarters of integers, exact in any order.
    stickyjit.set_num_threads(threads or stickyjit._native._max_threads())
    a = np.arange(64, dtype=np.float64)
    s, m, f, out = shapes_kernel(a, start, stop, step)
    es, em, ef, eout = shapes_kernel.py_func(a, start, stop, step)
    assert (s, m, f) == (es, em, float(ef))
    np.testing.assert_array_equal(out, eout)


@par
def complex_accumulate(z):
    p = np.zeros((2, 3), dtype=np.complex128)
    for i in prange(z.shape[0]):
        x = np.full((2, 3), z[i])
        if abs(z[i]) < 1.0:
            x = -x
        p += x
    return p


def test_reduction_into_a_complex_array():
    # NPBench's contour_integral adds complex matrices in a prange loop.
    z = (np.arange(200) - 100) / 16.0 + 1j * (np.arange(200) % 7) / 8.0  # exact in any order
    check_np(complex_accumulate, z)


@par
def target_reused_by_later_loops(n):
    out = np.zeros((n, n))
    for j in prange(n):
        for k in prange(n):
            out[j, k] = j * n + k
    total = 0.0
    for j in prange(n):
        for k in range(n):
            total += out[j, k]
    return total


def test_a_variable_reused_as_a_later_loops_target_is_private():
    # NPBench's mandelbrot1: `k`, an inner loop's target in two prange loops, is no value the
    # first loop hands to the code after it.
    check_np(target_reused_by_later_loops, 30)


@njit(parallel=True)
def covariance_triangles(m, data):
    cov = np.zeros((m, m))
    for i in prange(m):
        cov[i:m, i] = cov[i, i:m] = data[:, i] @ data[:, i:m]
    return cov


@njit(parallel=True)
def correlation_triangles(m, data):
    corr = np.eye(m)
    for i in prange(m - 1):
        corr[i + 1 : m, i] = corr[i, i + 1 : m] = data[:, i] @ data[:, i + 1 : m]
    return corr


@njit(parallel=True)
def covariance_by_elements(m, data):
    cov = np.zeros((m, m))
    for i in prange(m):
        for j in range(i, m):
            cov[i, j] = np.sum(data[:, i] * data[:, j])
            cov[j, i] = cov[i, j]
    return cov


@given(st.integers(1, 12), st.integers(1, 6))
@settings(max_examples=40, deadline=None)
def test_rows_and_columns_from_the_diagonal_fill_both_triangles(m, n):
    data = np.random.default_rng(m * 7 + n).random((n, m))
    want = data.T @ data
    np.testing.assert_allclose(covariance_triangles(m, data), covariance_triangles.py_func(m, data), rtol=1e-12)
    np.testing.assert_allclose(covariance_triangles(m, data), want, rtol=1e-12)
    np.testing.assert_allclose(covariance_by_elements(m, data), covariance_by_elements.py_func(m, data), rtol=1e-12)
    np.testing.assert_allclose(correlation_triangles(m, data), correlation_triangles.py_func(m, data), rtol=1e-12)


def test_rows_and_columns_that_meet_off_the_diagonal_run_serially():
    _serial(
        "ARGS = (np.zeros((5, 5)),)\n"
        "def f(a):\n    for i in prange(a.shape[0] - 1):\n        a[i, i:] = 1.0\n        a[i:, i + 1] = 2.0\n    return a\n",
        "same element of 'a'",
    )
    _serial(
        "ARGS = (np.zeros((5, 5)),)\n"
        "def f(a):\n    for i in prange(a.shape[0] - 1):\n        for j in range(i, a.shape[0]):\n            a[i, j] = a[j, i + 1] + 1.0\n    return a\n",
        "same element of 'a'",
    )
