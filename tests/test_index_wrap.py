"""Array indices with and without the negative-index wrap (issue 16).

An index proven non-negative (a ``range`` variable with a non-negative start and a positive
literal step, or with a negative literal step and a stop of at least -1, ``i + 1``, ``i - c``
with ``c`` at most the variable's least value) gets no wrap; every other
index still counts from the end when negative. Each case runs checked and with
``boundscheck=False`` and is compared with CPython/NumPy (result, or exception and message);
the cases near the edge of the proof (a variable reassigned, a negative start, a negative step,
a start read from another variable) are the ones a wrong proof would get wrong.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import check
from stickyjit import jit


def diff(a, b):
    for i in range(a.shape[0] - 1):
        b[i] = a[i + 1] - a[i]
    s = 0.0
    for i in range(b.shape[0]):
        s = s * 0.5 + b[i]
    return float(s)


def prev(a):
    # i - 1 at i = 0 is -1: the last element.
    s = 0.0
    for i in range(a.shape[0]):
        s = s * 0.5 + a[i - 1]
    return float(s)


def prev_from_one(a):
    s = 0.0
    for i in range(1, a.shape[0] + 1):
        s = s * 0.5 + a[i - 1]
    return float(s)


def up_to(a, n):
    # checked: IndexError at i = a.shape[0] (proven non-negative, out of range).
    s = 0.0
    for i in range(0, n):
        s = s * 0.5 + a[i]
    return float(s)


def negative_range(a, lo):
    s = 0.0
    for i in range(lo, 0):
        s = s * 0.5 + a[i]
    return float(s)


def down(a):
    s = 0.0
    for i in range(a.shape[0] - 1, -3, -1):
        s = s * 0.5 + a[i]
    return float(s)


def down_to_zero(a):
    # Counting down to -1 exclusive, i >= 0 (no wrap); i - 1 at i = 0 is -1 (the last element).
    s = 0.0
    for i in range(a.shape[0] - 1, -1, -1):
        s = s * 0.5 + a[i] + a[i - 1] * 0.25
    return float(s)


def down_plus_one(a):
    # i + 1 of a loop counting down to -1 exclusive: proven, no wrap.
    s = 0.0
    for i in range(a.shape[0] - 2, -1, -1):
        s = s * 0.5 + a[i + 1] - a[i]
    return float(s)


def down_from_three(a):
    # i runs 3, 2, 1: i - 3 is 0, -1, -2, counting from the end. A floor taken from the start
    # (as a loop counting up narrows its variable) would call them proven.
    s = 0.0
    for i in range(3, 0, -1):
        s = s * 0.5 + a[i - 3]
    return float(s)


def down_triangle(a):
    # nussinov's shape: i counts down, j from i + 1 up; j - 1 >= i >= 0.
    n = a.shape[0]
    s = 0.0
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            s = s * 0.5 + a[j - 1] * a[i] - a[j]
    return float(s)


def reassigned(a):
    s = 0.0
    for i in range(a.shape[0]):
        i -= 2
        s = s * 0.5 + a[i]
    return float(s)


def assigned_too(a):
    s = 0.0
    for i in range(a.shape[0]):
        s = s * 0.5 + a[i]
    i = -1
    return float(s + a[i])


def two_loops(a):
    s = 0.0
    for i in range(3):
        s = s * 0.5 + a[i]
    for i in range(-2, 0):
        s = s * 0.5 + a[i]
    return float(s)


def from_other(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(i - 1, a.shape[0]):
            s = s * 0.5 + a[j]
        for j in range(i + 1, a.shape[0]):
            s = s * 0.25 + a[j]
    return float(s)


def narrowed(a):
    # j runs from 0 in one loop and from 1 in the other: j - 1 needs no wrap in the second only.
    s = 0.0
    for j in range(a.shape[0]):
        s = s * 0.5 + a[j - 1]
    for j in range(1, a.shape[0]):
        s = s * 0.25 + a[j - 1]
    return float(s)


def inner_loop_reuses_the_variable(a):
    # The inner loop leaves i at 0: a[i - 1] is the last element although the outer i >= 1.
    s = 0.0
    for i in range(1, a.shape[0]):
        for i in range(0, 1):
            s = s * 0.5 + a[i]
        s = s * 0.5 + a[i - 1]
    return float(s)


def copy_in_body(a):
    # i is copied from k (0) inside its own loop: a[i - 1] is a[-1], whatever the loop's start.
    k = 0
    s = 0.0
    for i in range(1, a.shape[0]):
        i = k
        s = s * 0.5 + a[i - 1]
    return float(s)


def aug_1d(a):
    # `a[j] op= v` indexes with a copy of j ($i = j); a[j - 1] at j = 0 is the last element.
    for j in range(a.shape[0]):
        a[j - 1] += a[j] * 0.5
    for j in range(1, a.shape[0]):
        a[j] -= a[j - 1] * 0.25
    s = 0.0
    for j in range(a.shape[0]):
        s = s * 0.5 + a[j]
    return float(s)


def tuple_index_aug(a):
    # `a[i, j] op= v` indexes with a tuple local ($i = (i, j)); j - 1 at j = 0 wraps.
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j - 1] += a[i, j] * 0.5
            a[i - 1, j] -= 0.25
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s = s * 0.5 + a[i, j]
    return float(s)


def plus_two(a):
    s = 0.0
    for i in range(a.shape[0] - 2):
        s = s * 0.5 + a[i + 2] - a[i - 2]
    return float(s)


def stencil_2d(u):
    m, n = u.shape
    s = 0.0
    for i in range(m):
        for j in range(1, n):
            s = s * 0.5 + u[i - 1, j - 1] + u[i, j + 1 - 2] - u[i + 1 - 1, j]
    return float(s)


def stencil_2d_edge(u, di, dj):
    m, n = u.shape
    s = 0.0
    for i in range(m):
        for j in range(n):
            s = s * 0.5 + u[i + di, j + dj]
    return float(s)


FUNCS = [
    diff,
    prev,
    prev_from_one,
    down,
    down_to_zero,
    down_plus_one,
    down_from_three,
    down_triangle,
    reassigned,
    assigned_too,
    two_loops,
    from_other,
    narrowed,
    inner_loop_reuses_the_variable,
    copy_in_body,
    aug_1d,
    tuple_index_aug,
    plus_two,
    stencil_2d,
]


@pytest.fixture(params=[True, False], ids=["checked", "boundscheck_false"])
def boundscheck(request):
    return request.param


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [3, 7])
def test_in_range_indices_match_numpy(f, n, boundscheck):
    g = jit(boundscheck=boundscheck)(f)
    rng = np.random.default_rng(n)
    if f is stencil_2d:
        args = (rng.random((n, n + 1)),)
    elif f in (tuple_index_aug, aug_1d):
        # (the function writes into its argument: each side gets its own copy)
        m = rng.random((n, n + 2)) if f is tuple_index_aug else rng.random(n)
        g_args, py = (m.copy(),), (m.copy(),)
        check(g, *g_args, py_args=py)
        return
    elif f is diff:
        args = (rng.random(n), np.zeros(n))
    else:
        args = (rng.random(n),)
    check(g, *args)


@pytest.mark.parametrize("lo", [-1, -5, -6, -9])
def test_negative_range_wraps_or_raises_like_numpy(lo, boundscheck):
    a = np.arange(5.0)
    if not boundscheck and lo < -5:
        return  # out of range is undefined without the checks (as in Numba)
    check(jit(boundscheck=boundscheck)(negative_range), a, lo)


@pytest.mark.parametrize("n", [0, 4, 5, 6, 9])
def test_proven_non_negative_index_out_of_range_raises_numpys_error(n):
    check(jit(up_to), np.arange(5.0), n)


@pytest.mark.parametrize(("di", "dj"), [(0, 0), (0, -1), (-1, 0), (-1, -1), (-3, 0), (0, -5), (1, 0), (0, 1)])
def test_2d_offsets_wrap_or_raise_like_numpy(di, dj, boundscheck):
    u = np.random.default_rng(7).random((3, 4))
    if not boundscheck and (di < -3 or dj < -4 or di > 0 or dj > 0):
        return  # out of range is undefined without the checks
    check(jit(boundscheck=boundscheck)(stencil_2d_edge), u, di, dj)


def test_range_index_has_no_wrap_in_the_optimized_code():
    g = jit(diff)
    a = np.arange(6.0)
    check(g, a, np.zeros(6))
    llvm = g.inspect_llvm(g.signatures[-1])
    optimized = llvm[llvm.index("optimized") :] if "optimized" in llvm else llvm
    assert "wrapped" not in optimized, "a[i + 1] of range(0, n - 1) still wraps negative indices"


def test_an_index_of_a_range_counting_down_to_zero_has_no_wrap():
    g = jit(down_plus_one)
    check(g, np.arange(6.0))
    llvm = g.inspect_llvm(g.signatures[-1])
    optimized = llvm[llvm.index("optimized") :] if "optimized" in llvm else llvm
    assert "wrapped" not in optimized, "a[i + 1] of range(n - 2, -1, -1) still wraps negative indices"


def reversed_dot(r, y, k):
    # durbin's dot product: `r[k - i - 1]` is not proven non-negative (a difference of two
    # variables), so it would keep its wrap; versioned (codegen/version.rs), the loop runs a copy
    # without it when one test shows every index in range, with bounds checks on or off.
    s = 0.0
    for i in range(k):
        s += r[k - i - 1] * y[i]
    return float(s)


def reversed_copy(r, out, k):
    for i in range(k):
        out[i] = r[k - i - 1] * 2.0
    s = 0.0
    for i in range(out.shape[0]):
        s = s * 0.5 + out[i]
    return float(s)


@pytest.mark.parametrize("k", [0, 1, 5, 8, 9, 12, -2])
@pytest.mark.parametrize("f", [reversed_dot, reversed_copy], ids=lambda f: f.__name__)
def test_a_reversed_index_gives_numpys_answer_in_range_and_out_of_it(f, k, boundscheck):
    # k beyond the arrays' length: the index is negative for the first iterations (it wraps,
    # or, checked, the last ones are out of range): the test before the loop picks the copy
    # with the wrap, which gives NumPy's answer or error.
    r = np.arange(1.0, 9.0)
    y = np.arange(8.0) * 0.5
    args = (r, y, k) if f is reversed_dot else (r, np.zeros(12), k)
    if not boundscheck and k > 8 and f is reversed_copy:
        return  # an index out of range without bounds checks is undefined behaviour
    if not boundscheck and k > 8:
        k = 8  # likewise
        args = (r, y, k)
    check(jit(boundscheck=boundscheck)(f), *args)


def test_a_reversed_index_without_bounds_checks_vectorizes():
    # Unchecked, the copy without the wrap (which rejoined the loop, so LLVM kept it inside and
    # did not vectorize) is what runs for indices in range.
    f = jit(boundscheck=False)(reversed_copy)
    r, out = np.arange(1.0, 65.0), np.zeros(64)
    assert f(r, out, 64) == reversed_copy(r, np.zeros(64), 64)
    ir = next(iter(f.inspect_llvm().values()))
    assert "x double>" in ir, ir
