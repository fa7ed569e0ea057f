"""Loop versioning (jit-core/src/codegen/version.rs): an innermost `range` loop whose indices are
its variable plus constants runs without those bounds checks when one test before the loop
shows them all in range, and the checked loop otherwise. Whichever copy runs, the answer, the
exception and everything written before it must be CPython's."""

import linecache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import jit


def define(src, filename):
    """The function `k` of `src`, run as a module named `filename` (its text in linecache, where
    the compiler reads it)."""
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns: dict = {}
    exec(compile(src, filename, "exec"), ns)
    return ns["k"]


def run_both(f, *args):
    """CPython's outcome and stickyjit's on copies of the same arguments: (result or exception
    type, the arrays afterwards)."""

    def outcome(g):
        copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        try:
            r = g(*copies)
        except Exception as e:  # noqa: BLE001 - the exception's type is the outcome
            r = type(e)
        return r, [c for c in copies if isinstance(c, np.ndarray)]

    return outcome(f), outcome(jit(f))


def assert_same(f, *args):
    (r0, a0), (r1, a1) = run_both(f, *args)
    assert r0 == r1
    for x, y in zip(a0, a1, strict=True):
        np.testing.assert_array_equal(x, y)


def shifted(x, out, start, stop):
    for i in range(start, stop):
        out[i] = x[i + 1] - x[i - 1]
    return out[0]


def recurrence(x0, n):
    x = np.empty(n + 1)
    x[0] = x0
    for t in range(n):
        x[t + 1] = 3.5 * x[t] * (1.0 - x[t])
    return x[n]


def aug2d(a, n, m):
    for i in range(n):
        for j in range(m):
            a[i, j + 1] += a[i, j] * 0.5
    return a[0, 0]


def with_break_else(a, n, stop_at):
    s = 0.0
    for i in range(n):
        if a[i] > stop_at:
            break
        s += a[i + 1]
    else:
        s = -s
    return s


def rebinds_array(a, b, n):
    s = 0.0
    for i in range(n):
        s += a[i]
        a = b
    return s


def test_in_range_and_out_of_range_calls_agree_with_cpython():
    x = np.arange(10.0) ** 2
    for start, stop in [(1, 9), (0, 9), (1, 10), (1, 11), (5, 5), (7, 3), (-3, 2), (2, 3)]:
        assert_same(shifted, x, np.zeros(10), start, stop)


def test_a_recurrence_into_a_new_array():
    for n in [0, 1, 2, 50]:
        assert_same(recurrence, 0.3, n)


def test_augmented_assignment_through_the_index_temporary():
    def aug1(a, b, n):
        for i in range(n):
            a[i] += b[i + 2]
        return a[0]

    for n in [0, 3, 8, 9, 10]:
        assert_same(aug1, np.ones(10), np.arange(10.0), n)


def test_a_tuple_index_in_an_inner_loop():
    for n, m in [(3, 4), (3, 5), (4, 4), (0, 2)]:
        assert_same(aug2d, np.arange(20.0).reshape(4, 5), n, m)


def test_break_and_else():
    a = np.arange(6.0)
    for n in [0, 3, 5, 6]:
        for stop_at in [2.0, 100.0]:
            assert_same(with_break_else, a, n, stop_at)


def test_an_array_rebound_in_the_loop_is_checked_as_before():
    assert_same(rebinds_array, np.arange(5.0), np.arange(3.0), 5)
    assert_same(rebinds_array, np.arange(5.0), np.arange(3.0), 3)


def test_negative_offsets_wrap_as_in_python():
    def wraps(x, n):
        s = 0.0
        for i in range(n):
            s = s * 2.0 + x[i - 2]
        return s

    assert_same(wraps, np.arange(5.0), 5)
    assert_same(wraps, np.arange(5.0), 7)


def test_bounds_near_the_ends_of_int64():
    # The test before the loop is computed in 128 bits: `stop - 1 + c` does not wrap. (An index
    # that itself overflows int64 wraps in compiled code, a documented deviation, so the offsets
    # here keep `i + c` inside int64.)
    big = 2**63 - 1

    def below(x, start, stop):
        s = 0.0
        for i in range(start, stop):
            s += x[i - 5]
        return s

    def above(x, start, stop):
        s = 0.0
        for i in range(start, stop):
            s += x[i + 5]
        return s

    for start, stop in [(big - 3, big), (big - 1, big), (0, big)]:
        assert_same(below, np.arange(4.0), start, stop)
    for start, stop in [(-(2**63), -(2**63) + 2), (-(2**63), 0), (-5, -1)]:
        assert_same(above, np.arange(4.0), start, stop)


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(0, 12),
    start=st.integers(-15, 15),
    stop=st.integers(-15, 15),
    c1=st.integers(-4, 4),
    c2=st.integers(-4, 4),
)
def test_random_offsets_and_bounds(size, start, stop, c1, c2):
    src = (
        "def k(x, y, start, stop):\n"
        "    s = 0.0\n"
        "    for i in range(start, stop):\n"
        f"        y[i + {c2}] = x[i + {c1}] * 2.0 + s\n"
        "        s += 1.0\n"
        "    return s\n"
    )
    assert_same(define(src, f"<versioning-{c1}-{c2}>"), np.arange(float(size)), np.zeros(size), start, stop)


def test_a_row_index_fixed_in_the_inner_loop():
    # `i + 1` is the same on every iteration of the `j` loop: tested once at the loop's entry.
    def rows(a, out, n, m):
        for i in range(n):
            for j in range(1, m):
                out[i + 1, j] = a[i, j - 1] + a[i - 2, j]
        return out[0, 0]

    a = np.arange(20.0).reshape(4, 5)
    for n, m in [(3, 5), (4, 5), (5, 5), (2, 6), (0, 5), (3, 1)]:
        assert_same(rows, a, np.zeros((4, 5)), n, m)


def test_linear_indices_with_invariant_parts():
    def reversed_dot(r, y, k):
        s = 0.0
        for i in range(k):
            s += r[k - i - 1] * y[i]
        return s

    def window(image, filt, i, j, h, w):
        num = 0.0
        for jj in range(filt.shape[1]):
            num += filt[0, w - 1 - jj] * image[i - h, j - w + jj]
        return num

    def negated(a, k, n):
        s = 0.0
        for i in range(n):
            s = s * 0.5 + a[-i + k]
        return s

    r, y = np.arange(6.0), np.arange(6.0) * 0.5
    for k in [0, 3, 6, 7]:
        assert_same(reversed_dot, r, y, k)
    image, filt = np.arange(30.0).reshape(5, 6), np.arange(3.0).reshape(1, 3)
    for i, j, h, w in [(2, 2, 1, 1), (0, 0, 1, 1), (4, 5, 0, 3), (2, 3, 2, 3), (2, 4, 1, -1)]:
        assert_same(window, image, filt, i, j, h, w)
    for k, n in [(5, 6), (5, 7), (3, 2), (8, 4), (0, 1)]:
        assert_same(negated, np.arange(6.0), k, n)


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(0, 10),
    start=st.integers(-12, 12),
    stop=st.integers(-12, 12),
    p=st.integers(-12, 12),
    sign=st.sampled_from(["+", "-"]),
    c=st.integers(-3, 3),
)
def test_random_linear_indices(size, start, stop, p, sign, c):
    src = (
        "def k(x, y, start, stop, p):\n"
        "    s = 0.0\n"
        "    for i in range(start, stop):\n"
        f"        y[p {sign} i + {c}] = x[i - p + {c}] + s\n"
        "        s += 1.0\n"
        "    return s\n"
    )
    assert_same(define(src, f"<versioning-linear-{sign}-{c}>"), np.arange(float(size)), np.zeros(size), start, stop, p)
