"""NumPy's index iterators and the array methods compiled from the library (issue 17, item 6):
`for idx in np.ndindex(shape)`, `for idx, v in np.ndenumerate(a)`, `for v in a.flat`, and
`a.cumsum()`, `a.argsort()`, `a.nonzero()`, `np.where(c)`, `a.round(d)`, ..., each compared
with CPython running the same function on NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from test_arrays import arrays

from stickyjit import CompileError, njit


def ndindex_dims(n, m):
    s = 0
    k = 1
    for i, j in np.ndindex(n, m):
        s += k * (3 * i + j)
        k += 1
    return s


def ndindex_shape(a):
    out = np.zeros(a.shape)
    k = 0.0
    for idx in np.ndindex(a.shape):
        out[idx] = k
        k += 1.0
    return out


def ndindex_int(n):
    s = 0
    for (i,) in np.ndindex(n):
        s = 2 * s + i
    return s


def ndindex_tuple_literal(n):
    s = 0
    for idx in np.ndindex((n, 2, 3)):
        s += idx[0] * 100 + idx[1] * 10 + idx[2]
    return s


def ndindex_nothing():
    s = 0
    for idx in np.ndindex():
        s += 1 + len(idx)
    return s


def ndenumerate_weighted(a):
    s = 0.0
    k = 1.0
    for idx, v in np.ndenumerate(a):
        s += k * float(v) + idx[0]
        k += 0.5
    return s


def ndenumerate_unpacked(a):
    s = 0
    for (i, j), v in np.ndenumerate(a):
        if v > 0:
            s += i * 7 + j
    return s


def flat_sequence(a):
    s = 0.0
    for v in a.flat:
        s = s * 0.5 + float(v)
    return s


def flat_break_else(a, stop):
    n = 0
    for v in a.flat:
        if v == stop:
            break
        n += 1
    else:
        n = -1
    return n


def ndindex_continue(n, m):
    s = 0
    for i, j in np.ndindex(n, m):
        if (i + j) % 2 == 0:
            continue
        s += i * j + 1
    return s


def same(f, *args):
    expect = f(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = njit(f)(*args)
    if isinstance(expect, np.ndarray):
        assert got.dtype == expect.dtype and got.shape == expect.shape
        np.testing.assert_array_equal(got, expect)
    else:
        assert got == expect, (got, expect)
        assert type(got) is type(expect) or isinstance(expect, np.generic)


@pytest.mark.parametrize("n, m", [(3, 4), (0, 5), (5, 0), (1, 1), (-1, 3), (4, -2)])
def test_ndindex_of_dims(n, m):
    # NumPy raises ValueError for a negative dimension; see the deviation test below.
    if n < 0 or m < 0:
        with pytest.raises(ValueError):
            ndindex_dims(n, m)
        assert njit(ndindex_dims)(n, m) == 0
        return
    same(ndindex_dims, n, m)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 0, 3), (2, 2, 2), ()])
def test_ndindex_of_a_shape(shape):
    same(ndindex_shape, np.ones(shape))


@pytest.mark.parametrize("n", [0, 1, 6])
def test_ndindex_of_an_int_and_a_literal_shape(n):
    same(ndindex_int, n)
    same(ndindex_tuple_literal, n)


def test_ndindex_of_no_dimensions_gives_one_empty_index():
    assert njit(ndindex_nothing)() == ndindex_nothing()


@pytest.mark.parametrize("n, m", [(3, 4), (4, 1), (0, 2)])
def test_ndindex_continue(n, m):
    same(ndindex_continue, n, m)


@settings(max_examples=60, deadline=None)
@given(arrays())
def test_ndenumerate_and_flat_follow_c_order_on_every_view(a):
    same(ndenumerate_weighted, a)
    same(flat_sequence, a)


@settings(max_examples=30, deadline=None)
@given(arrays(ndim=2))
def test_ndenumerate_unpacks_the_index(a):
    same(ndenumerate_unpacked, a)


@pytest.mark.parametrize("stop", [5.0, 0.0, 11.0, 99.0])
def test_flat_break_and_else(stop):
    a = np.arange(12.0).reshape(3, 4).T
    same(flat_break_else, a, stop)


def ndindex_outside_loop(n):
    return np.ndindex(n)


def ndenumerate_two(a):
    s = 0.0
    for idx, v in np.ndenumerate(a, a):
        s += v
    return s


def flat_of_number(x):
    s = 0.0
    for v in x.flat:
        s += v
    return s


def test_iterators_outside_their_place_are_compile_errors():
    with pytest.raises(CompileError, match="only as the iterable of a for loop"):
        njit(ndindex_outside_loop)(3)
    with pytest.raises(CompileError, match=r"ndenumerate\(\) takes one array, 2 given"):
        njit(ndenumerate_two)(np.ones(2))
    # The error points at the loop (the iterable is evaluated once, into a hidden local).
    with pytest.raises(CompileError, match="float64 has no attribute") as e:
        njit(flat_of_number)(2.0)
    assert "for v in x.flat" in str(e.value)


# Array methods compiled from the library (`_numpy_lib.METHODS`), and `a.round()`.


def m_cumsum(a):
    return a.cumsum()


def m_cumprod(a):
    return a.cumprod()


def m_argsort(a):
    return a.argsort()


def m_nonzero(a):
    return a.nonzero()[0]


def where_one(a):
    return np.where(a > 0.5)[0]


def m_round(a):
    return a.round()


def m_round_2(a):
    return a.round(2)


def m_round_kw(a):
    return a.round(decimals=1)


def m_repeat(a):
    return a.repeat(2)


def m_searchsorted(a, v):
    return a.searchsorted(v)


def m_trace(a):
    return a.trace()


def m_clip(a):
    return a.clip(0.25, 0.75)


def m_dot(a, b):
    return a.dot(b)


def m_of_expression(a):
    return (a * 2).cumsum()[-1]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_library_methods_match_numpy(dtype):
    rng = np.random.default_rng(7)
    a = (rng.random(9) * 10).astype(dtype)
    for f in (m_cumsum, m_cumprod, m_nonzero, m_repeat, m_of_expression):
        same(f, a)
    # Distinct values: NumPy's default sort is not stable, so ties may come in another order.
    same(m_argsort, rng.permutation(9).astype(dtype))
    same(m_searchsorted, np.sort(a), a[3])
    # NumPy's dot sums in another order: equal to rounding.
    b = a[::-1].copy()
    assert njit(m_dot)(a, b) == pytest.approx(m_dot(a, b), rel=1e-6)
    if dtype in (np.float64, np.float32):
        same(m_clip, a / 10)
        same(where_one, a / 10)
        for f in (m_round, m_round_2, m_round_kw):
            same(f, a * 1.01)
    same(m_trace, np.arange(16, dtype=dtype).reshape(4, 4))


def test_library_methods_of_empty_arrays():
    a = np.zeros(0)
    for f in (m_cumsum, m_argsort, m_nonzero, where_one):
        same(f, a)


def m_cumsum_of_number(x):
    return x.cumsum()


def m_round_bad_keyword(a):
    return a.round(digits=2)


def test_library_method_errors():
    with pytest.raises((CompileError, TypeError), match=r"\.cumsum\(\)"):
        njit(m_cumsum_of_number)(2.0)
    with pytest.raises(CompileError, match="'digits=' is not compiled for '.round\\(\\)'"):
        njit(m_round_bad_keyword)(np.ones(2))


def test_a_method_call_does_not_depend_on_a_global_named_like_it():
    # The method's implementation is bound to NumPy's method, not to a global: a later
    # global named `cumsum` changes nothing, and the specialization is reused.
    import linecache

    src = "def f(a):\n    return a.cumsum()\n"
    name = "<method-global-test>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    g = {"np": np}
    exec(compile(src, name, "exec"), g)
    f = njit(g["f"])
    a = np.arange(4.0)
    np.testing.assert_array_equal(f(a), np.cumsum(a))
    g["cumsum"] = len

    def fresh(x):
        return x + 1

    njit(fresh)  # a decoration: jitted functions check what their globals are bound to
    np.testing.assert_array_equal(f(a), np.cumsum(a))
    assert "redefined" not in f.explain()


def m_sort_in_place(a):
    a.sort()
    return a


def m_fill_rows(a, v):
    a[1:].fill(v)
    return a


def test_in_place_methods_change_the_callers_array_as_numpy():
    rng = np.random.default_rng(5)
    for a in (rng.random(11), rng.random((3, 4)), rng.integers(-9, 9, 7), rng.random(12)[::-2]):
        want, got = a.copy(), a.copy()
        m_sort_in_place(want)
        njit(m_sort_in_place)(got)
        np.testing.assert_array_equal(got, want)
        want, got = a.copy(), a.copy()
        m_fill_rows(want, 3)
        njit(m_fill_rows)(got, 3)
        np.testing.assert_array_equal(got, want)


def ndindex_nested_restarts(a, m):
    # The inner loop restarts at position 0 on each outer iteration: its index tuple is
    # recomputed, not carried on from where the last run stopped.
    s = 0
    for (i,) in np.ndindex(a.shape[0]):
        for j, k in np.ndindex(m, 3):
            if k == 1:
                continue
            s += (i + 1) * (10 * j + k)
    return s


@pytest.mark.parametrize("n, m", [(3, 4), (1, 1), (4, 0), (0, 2)])
def test_ndindex_restarted_in_an_outer_loop(n, m):
    same(ndindex_nested_restarts, np.zeros(n), m)
