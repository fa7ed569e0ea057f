"""Lists in compiled code (issue 19, item 1, first part): literals, `[]` then `append`, `pop`,
items read and written with Python's index rules and messages, `len`, truth, `for x in l`,
`+` and `*`, lists of tuples, lists passed between jitted functions (one list: a callee's
changes are the caller's), and lists returned to Python as `list`; each compared with CPython
running the same function. Memory: a child process builds and returns lists 10^5 times with
its RSS flat.
"""

from __future__ import annotations

import linecache

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check, rss_growth, run_py, same
from stickyjit import CompileError, njit


@njit
def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


@njit
def evens_then_pop(n, k):
    out = [0]
    for i in range(n):
        if i % 2 == 0:
            out.append(i)
    x = out.pop(k)
    return x, out, len(out)


@njit
def pop_all(n):
    stack = [1, 2, 3]
    for i in range(n):
        stack.append(i * 10)
    total = 0
    while stack:
        total = (total * 3 + stack.pop()) % 1000003
    return total, stack


@njit
def read_item(n, i):
    out = [2.5, -1.0]
    for k in range(n):
        out.append(k * 0.5)
    return out[i]


@njit
def write_item(n, i, v):
    out = [1, 2, 3]
    for k in range(n):
        out.append(k)
    out[i] = v
    return out


@njit
def sum_of_list(a):
    vals = []
    for x in a:
        if x > 0.0:
            vals.append(x)
    s = 0.0
    for v in vals:
        s += v
    return s, len(vals), bool(vals)


@njit
def repeated(n, k):
    base = [1, 2] * k
    zeros = [0.0] * n
    return base, zeros, len(base) + len(zeros)


@njit
def repeated_left(k):
    return k * [3, 4, 5]


@njit
def concatenated(n):
    a = [1, 2, 3]
    b = []
    for i in range(n):
        b.append(i)
    return a + b


@njit
def pairs(n):
    out = [(0, 0.5)]
    for i in range(n):
        out.append((i, i / 4))
    first = out[0]
    out[-1] = (99, -1.0)
    return out, first


@njit
def bools(n):
    flags = [True]
    for i in range(n):
        flags.append(i % 3 == 0)
    return flags


@njit
def complexes(n):
    zs = [1j]
    for i in range(n):
        zs.append(complex(i, -i))
    return zs


@njit
def fill(out, n):
    for i in range(n):
        out.append(i + 100)


@njit
def caller_sees_callee_appends(n):
    out = [1]
    fill(out, n)
    alias = out
    alias.append(-1)
    return out, len(alias)


@njit
def made_by_callee(n):
    return squares(n)


@njit
def empty_list():
    return []


@given(st.integers(0, 40), st.integers(-45, 45))
def test_append_pop_and_index_equal_cpython(n, i):
    check(squares, n)
    check(evens_then_pop, n, i)
    check(pop_all, n)
    check(read_item, n, i)
    check(write_item, n, i, 7)


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), max_size=20))
def test_loops_over_lists(v):
    a = np.array(v, dtype=np.float64)
    expected = sum_of_list.py_func(a)
    assert sum_of_list(a) == tuple(float(x) if isinstance(x, np.floating) else x for x in expected)


@given(st.integers(-3, 30), st.integers(-3, 10))
def test_repetition_and_concatenation(n, k):
    check(repeated, n, k)
    check(repeated_left, k)
    check(concatenated, max(n, 0))


def test_items_of_every_kind():
    check(pairs, 5)
    check(bools, 7)
    check(complexes, 4)
    check(empty_list)
    assert squares(0) == []


def test_one_list_between_functions():
    check(caller_sees_callee_appends, 4)
    check(made_by_callee, 6)


def test_ints_appended_to_a_float_list_widen_it():
    # The documented deviation: a list holds one item type, so ints and floats put in one list
    # make a list of floats (CPython keeps each item's type); values are equal.
    @njit
    def widened(n):
        out = [1, 2]
        for i in range(n):
            out.append(i * 0.5)
        return out

    expected = widened.py_func(3)
    got = widened(3)
    assert got == expected
    assert all(type(x) is float for x in got)


def _compile_error(src: str, name: str, *args) -> CompileError:
    ns = {"np": np}
    filename = f"<lists-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    exec(compile(src, filename, "exec"), ns)
    with pytest.raises(CompileError) as info:
        njit(ns[name])(*args)
    return info.value


def test_unsupported_list_uses_are_named():
    e = _compile_error("def f(a):\n    l = [{1: a}]\n    return len(l)\n", "f", 2)
    assert "a list of dict(int64, int64) is not compiled" in str(e)
    e = _compile_error("def g(n):\n    l = [1, 2]\n    l[1:] = l\n    return l\n", "g", 1)
    assert "assignment to a slice of a list is not compiled yet" in str(e)
    e = _compile_error("def h(n):\n    l = [1, (1, 2)]\n    return len(l)\n", "h", 1)
    assert "list of mixed types" in str(e)


@njit
def scale_in_place(values, k):
    for i in range(len(values)):
        values[i] = values[i] * k
    return len(values)


@njit
def collect_into(out, n):
    for i in range(n):
        if i % 3 == 0:
            out.append(i * 0.5)
    if len(out) > 4:
        out.pop(0)


@njit
def total_of(values):
    s = 0.0
    for v in values:
        s += v
    return s


@njit
def fails_after_a_change(values):
    values.append(7)
    values[0] = values[99]


def _twin(f, *args):
    """Runs CPython's f and the compiled f on copies of the same lists; compares the results
    and the lists afterwards (types included: an unchanged int in a float list stays an int)."""
    py_args = [list(a) if isinstance(a, list) else a for a in args]
    jit_args = [list(a) if isinstance(a, list) else a for a in args]
    kind, expected = run_py(f, tuple(py_args), {})
    if kind == "raise":
        with pytest.raises(type(expected), match=str(expected)):
            f(*jit_args)
    else:
        same(expected, f(*jit_args))
    for a, b in zip(py_args, jit_args):
        if isinstance(a, list):
            same(a, b)


@given(st.lists(st.integers(-1000, 1000), max_size=12), st.integers(-5, 5))
def test_list_arguments_are_the_callers_lists(v, k):
    # Numba's reflected lists: what compiled code changes in a list passed in is in the
    # caller's list afterwards.
    _twin(scale_in_place, v, k)
    _twin(scale_in_place, [float(x) for x in v], k)
    _twin(collect_into, [float(x) for x in v], len(v) + 3)
    _twin(total_of, v + [0.5])
    _twin(collect_into, [], len(v))


def test_list_argument_changes_before_an_exception_are_kept():
    _twin(fails_after_a_change, [1, 2])
    _twin(total_of, [True, 2, 3.5])


def test_list_argument_errors_name_the_parameter():
    with pytest.raises(TypeError, match="argument 'values' is a list holding both strings and numbers"):
        total_of([1.0, "x"])
    e = _compile_error("def g(values):\n    values.append(1.5)\n    return len(values)\n", "g", [1, 2])
    assert "the list argument 'values' holds int64; it cannot take float64" in str(e)


def test_building_and_returning_lists_keeps_memory_flat(tmp_path):
    build = """
@njit
def build(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    tmp = out + [1.0] * n
    return out if len(tmp) > 0 else out
"""
    grew = rss_growth(tmp_path, build)
    assert grew < 8 * 2**20, f"RSS grew {grew} bytes over 10^5 calls"


@njit
def comprehension_filtered(n):
    return [i * i for i in range(n) if i % 3 != 1]


@njit
def comprehension_scope(a):
    i = 100
    doubled = [float(i) * 2.0 for i in a]
    return doubled, i


@njit
def comprehension_nested(n):
    return [(i, j) for i in range(n) for j in range(i) if (i + j) % 2 == 0]


@njit
def comprehension_as_iterable(a, b):
    s = 0.0
    for v in [x * y for x, y in zip(a, b)]:
        s += float(v)
    return s


@njit
def comprehension_in_expression(n):
    return len([1 for _ in range(n)]) + len([k for k in range(n) if k > 2]) * 10


@njit
def comprehension_of_comprehension(n):
    return [x + 1 for x in [y * 3 for y in range(n)] if x % 2 == 0]


@njit
def breadth_first(n):
    seen = [0] * n
    queue = [0]
    seen[0] = 1
    order = []
    for node in queue:
        order.append(node)
        for nb in ((node * 2 + 1) % n, (node * 3 + 2) % n):
            if seen[nb] == 0:
                seen[nb] = 1
                queue.append(nb)
    return order


@njit
def shrinking_walk(n):
    items = [i for i in range(n)]
    out = 0
    for i, x in enumerate(items):
        out += x * (i + 1)
        if len(items) > 3:
            items.pop()
    return out, items


@given(st.integers(0, 25))
def test_comprehensions_equal_cpython(n):
    check(comprehension_filtered, n)
    check(comprehension_nested, n % 8)
    check(comprehension_in_expression, n)
    check(comprehension_of_comprehension, n)
    check(comprehension_scope, np.arange(float(n)))
    a = np.linspace(-1.0, 1.0, n)
    check(comprehension_as_iterable, a, a[::-1].copy())


@given(st.integers(1, 60))
def test_a_loop_over_a_list_sees_it_change_as_cpython(n):
    # CPython's list iterator reads the length before each item: items appended in the body
    # are visited (a work queue), items popped are not.
    check(breadth_first, n)
    check(shrinking_walk, n)


def test_comprehension_in_a_lazy_position_is_named():
    e = _compile_error("def f(n):\n    return n > 0 and len([i for i in range(n)]) > 1\n", "f", 3)
    assert "list comprehension" in str(e)
    assert e.lineno == 2


@njit
def methods(v, x, i):
    out = [0]
    out.clear()
    for a in v:
        out.append(a)
    out.extend([x, x + 1])
    out.insert(i, 99)
    n_x = out.count(x)
    where = out.index(x)
    out.remove(x)
    out.reverse()
    ordered = sorted(out)
    backwards = sorted(out, reverse=True)
    copied = out.copy()
    copied.sort(reverse=True)
    out.sort()
    return out, n_x, where, ordered, backwards, copied, x in out, x not in out, sum(out), min(out), max(out)


@njit
def float_methods(v, x):
    out = [0.5]
    for a in v:
        out.append(a)
    found = out.index(x) if x in out else -1
    out.sort()
    return out, found, sum(out), min(out), max(out), 2.5 in (1, 2.5), list(range(3)), list(out)


@njit
def index_missing(x):
    return [1.5, 2.5].index(x)


@njit
def remove_missing(x):
    out = [1, 2]
    out.remove(x)
    return out


@njit
def extreme_of_empty(n, biggest):
    out = [i for i in range(n)]
    return max(out) if biggest else min(out)


@njit
def array_copy_and_sort(a):
    b = a.copy()
    b.sort()
    return b


ints = st.lists(st.integers(-20, 20), max_size=15)


@given(ints, st.integers(-20, 20), st.integers(-30, 30))
def test_list_methods_equal_cpython(v, x, i):
    check(methods, tuple(v) if v else (0,), x, i)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=12), st.floats(-1e6, 1e6, allow_nan=False))
def test_float_list_methods_equal_cpython(v, x):
    t = tuple(v) if v else (0.25,)
    check(float_methods, t, x)
    check(float_methods, t, t[0])


def test_list_method_errors_are_cpythons():
    check(index_missing, 3.5)
    check(index_missing, 2.5)
    check(remove_missing, 5)
    check(extreme_of_empty, 0, True)
    check(extreme_of_empty, 0, False)
    check(extreme_of_empty, 4, True)


def test_copy_and_sort_of_an_array_stay_the_arrays():
    a = np.array([3.0, 1.0, 2.0])
    assert np.array_equal(array_copy_and_sort(a), np.sort(a))
    assert np.array_equal(a, [3.0, 1.0, 2.0])


@njit
def sliced(n, a, b, c):
    items = [i * i for i in range(n)]
    return items[a:b], items[a:], items[:b], items[::c], items[::-1], items[a:b:c]


@njit
def to_array(n):
    evens = [i * 0.5 for i in range(n) if i % 2 == 0]
    flags = [i % 3 == 0 for i in range(n)]
    counts = [i for i in range(n)]
    return np.array(evens), np.array(flags), np.array(counts), np.array(counts, dtype=np.float32), np.array([])


@given(st.integers(0, 20), st.integers(-25, 25), st.integers(-25, 25), st.integers(-4, 4).filter(lambda c: c != 0))
def test_slices_of_lists_equal_cpython(n, a, b, c):
    check(sliced, n, a, b, c)


def test_a_zero_slice_step_is_cpythons_value_error():
    check(sliced, 5, 0, 3, 0)


@given(st.integers(1, 30))
def test_np_array_of_a_list_is_numpys(n):
    # n >= 1: an empty list's array is float64 in NumPy whatever the list was to hold; compiled
    # code types it by its item type (documented).
    for got, want in zip(to_array(n), to_array.py_func(n)):
        assert got.dtype == want.dtype
        assert got.shape == want.shape
        assert np.array_equal(got, want)


@njit
def in_place_operators(n):
    items = [1, 2]
    alias = items
    items += [n, n + 1]
    items *= 2
    s = {1, 2}
    t = s
    s |= {n}
    s -= {1}
    s &= {2, n, 7}
    s ^= {9, 2}
    return items, alias, sorted(t), sorted(s)


@given(st.integers(-3, 10))
def test_in_place_operators_change_the_list_or_set_itself(n):
    # (`l += v` was an internal compiler error before: its new list was never put in `l`.)
    check(in_place_operators, n)


@njit
def extend_argument(values):
    values += [0.5]
    return len(values)


def test_in_place_add_to_a_list_argument_is_copied_back():
    mine, theirs = [1.0, 2.0], [1.0, 2.0]
    assert extend_argument(mine) == extend_argument.py_func(theirs)
    assert mine == theirs


@njit
def delete_item(i):
    items = [1, 2, 3, 4]
    del items[i]
    return items


@given(st.integers(-6, 6))
def test_del_of_a_list_item_is_cpythons(i):
    check(delete_item, i)


@njit
def comprehensions_over_ranges(a, b, c, items):
    r1 = [i * 2 for i in range(a, b, c) if i % 3 != 1]
    r2 = [x + 0.5 for x in items]
    r3 = list(items)
    r4 = [i for i in range(b)]
    r5 = [j for i in range(a) for j in range(i)]
    return r1, r2, r3, r4, r5, len(r1) + len(r4)


@given(st.integers(-6, 6), st.integers(-6, 6), st.integers(-3, 3), st.lists(st.floats(-10, 10), min_size=1, max_size=8))
def test_comprehensions_with_room_reserved_before_their_loop(a, b, c, items):
    # Room for range(a, b, c)'s items is made before the loop (none for an empty range, and
    # a zero step raises CPython's ValueError in the loop itself).
    check(comprehensions_over_ranges, a, b, c, items)


@njit
def _grow(items, x):
    if x < 50:
        items.append(x + 5)
    return x


@njit
def comprehension_over_a_growing_list(n):
    items = [i for i in range(n)]
    # The walk visits what _grow appends (CPython's list iterator does): more items than the
    # room reserved at the start, which the appends must not overrun.
    return [_grow(items, x) for x in items], [x for x in items if _grow(items, x + 40) >= 0]


def test_a_comprehension_over_a_list_its_body_grows():
    for n in (0, 1, 3, 40):
        check(comprehension_over_a_growing_list, n)
