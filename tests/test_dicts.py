"""Dicts in compiled code (issue 19, item 2, first part): literals, `{}`/`dict()` then stores,
`d[k]` with CPython's `KeyError(key)`, `in`/`not in`, `len`, truth, `get`/`setdefault`/`pop`/
`update`/`copy`/`clear`, `keys`/`values`/`items`, `for k in d` and `for k, v in d.items()` in
insertion order, number and tuple keys, and dicts returned to Python as `dict`; each compared
with CPython running the same function. Memory: a child process builds and returns dicts 10^5
times with its RSS flat. Sets (the same runtime): literals, `set()`, `add`/`discard`/`remove`/
`update`/`copy`/`clear`, `in`, `len`, `| & - ^`, `sorted(s)`, returned as `set`.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check, rss_growth, same
from stickyjit import CompileError, njit


@njit
def histogram(values):
    counts = {}
    for x in values:
        counts[x] = counts.get(x, 0) + 1
    return counts


@njit
def literal_then_store(k, v):
    d = {1: 2.5, 3: -4.0}
    d[k] = v
    d[3] = d[3] * 2.0
    return d, len(d), d[k]


@njit
def lookup(k):
    d = {(1, 2): 3.5, (4, 5): 6.5, (-1, 0): 0.25}
    return d[k]


@njit
def lookup_float(k):
    d = {0.0: 1, 1.5: 2, -2.5: 3}
    return d[k]


@njit
def membership(n, k):
    d = dict()
    for i in range(n):
        d[i * 3] = i
    return k in d, k not in d, len(d), bool(d)


@njit
def walk(n):
    d = {}
    for i in range(n):
        d[(i * 7) % 11] = i * 0.5
    keys_total = 0
    for k in d:
        keys_total = keys_total * 31 + k
    pairs = 0.0
    for k, v in d.items():
        pairs += k * v
    return keys_total, pairs, d.keys(), d.values(), d.items()


@njit
def pops(n, k):
    d = {}
    for i in range(n):
        d[i] = i * i
    a = d.pop(k, -1)
    b = d.pop(n - 1)
    return a, b, d


@njit
def pop_missing(k):
    d = {1: 10, 2: 20}
    return d.pop(k)


@njit
def set_default(n):
    d = {}
    for i in range(n):
        d.setdefault(i % 5, i)
    return d


@njit
def update_copy_clear(n):
    d = {1: 1.0}
    e = {2: 2.0, 1: -1.0}
    for i in range(n):
        e[i + 10] = i * 1.5
    d.update(e)
    c = d.copy()
    c[99] = 9.0
    e.clear()
    return d, c, e, len(e), bool(e)


@njit
def delete_then_reinsert(n):
    d = {}
    for i in range(n):
        d[i] = i
    for i in range(0, n, 2):
        d.pop(i)
    for i in range(0, n, 4):
        d[i] = -i
    return d


@njit
def signed_zero_keys():
    d = {0.0: 1}
    d[-0.0] = 2
    return d, len(d), d[0.0], d[-0.0]


@njit
def empty():
    return {}


@njit
def augmented(n, k):
    counts = {}
    items = [0, 0, 0]
    for i in range(n):
        if i % 5 in counts:
            counts[i % 5] += 0.5 * i
        else:
            counts[i % 5] = 1.0
        items[i % 3] += i
        items[-1] *= 1
    counts[k] -= 1.0
    return counts, items


@given(st.lists(st.integers(-5, 5), max_size=40))
def test_counting_matches_cpython(values):
    a = np.array(values, dtype=np.int64)
    same(histogram.py_func(values), histogram(a))


@given(st.integers(-3, 5), st.floats(allow_nan=False))
def test_literals_and_stores_match_cpython(k, v):
    check(literal_then_store, k, v)


@pytest.mark.parametrize("k", [(1, 2), (4, 5), (-1, 0), (2, 1), (0, 0)])
def test_tuple_keys_and_key_errors_match_cpython(k):
    check(lookup, k)


@pytest.mark.parametrize("k", [0.0, -0.0, 1.5, -2.5, 2.0, float("inf"), float("nan")])
def test_float_keys_match_cpython(k):
    check(lookup_float, k)


def test_key_error_carries_the_key_itself():
    with pytest.raises(KeyError) as info:
        lookup((7, 8))
    assert info.value.args == ((7, 8),)
    with pytest.raises(KeyError) as info:
        lookup_float(2.25)
    assert info.value.args == (2.25,)
    with pytest.raises(KeyError) as info:
        pop_missing(3)
    assert info.value.args == (3,)


@given(st.integers(0, 30), st.integers(-5, 100))
def test_membership_len_and_truth_match_cpython(n, k):
    check(membership, n, k)


@given(st.integers(0, 40))
def test_iteration_is_in_insertion_order(n):
    expected = walk.py_func(n)
    got = walk(n)
    same(expected[:2], got[:2])
    # keys()/values()/items() are lists here (docs/language.md): the same items in order.
    for e, g in zip(expected[2:], got[2:], strict=True):
        same(list(e), g)


@given(st.integers(1, 30), st.integers(-3, 40))
def test_pop_matches_cpython(n, k):
    check(pops, n, k)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_pop_of_a_missing_key_raises_key_error(k):
    check(pop_missing, k)


@given(st.integers(0, 30))
def test_setdefault_update_copy_clear_match_cpython(n):
    check(set_default, n)
    check(update_copy_clear, n)


@given(st.integers(0, 200))
def test_deleted_entries_keep_the_order_of_the_rest(n):
    check(delete_then_reinsert, n)


@given(st.integers(0, 30), st.integers(-2, 6))
def test_augmented_assignment_to_items_matches_cpython(n, k):
    check(augmented, n, k)


def test_signed_zero_keys_are_one_key_as_in_cpython():
    check(signed_zero_keys)
    same(empty.py_func(), empty())


@njit
def set_ops(n, m, k):
    a = set()
    for i in range(n):
        a.add(i % 11)
    b = {3, 4, 5, -1}
    for i in range(m):
        b.add(i * 2)
    a.discard(k)
    c = a.copy()
    c.update(b)
    total = 0
    for x in a:
        total += x * x
    return a, b, a | b, a & b, a - b, b - a, a ^ b, c, k in a, len(a), bool(a), sorted(b), total


@njit
def set_remove(k):
    s = {1, 2, (3)}
    s.remove(k)
    s.clear()
    return s, len(s)


@njit
def sorted_keys(n):
    d = {}
    for i in range(n):
        d[(i * 7) % 13] = i
    return sorted(d), sorted(d, reverse=True)


@given(st.integers(0, 30), st.integers(0, 10), st.integers(-2, 12))
def test_sets_match_cpython(n, m, k):
    check(set_ops, n, m, k)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_set_remove_matches_cpython(k):
    check(set_remove, k)


@given(st.integers(0, 30))
def test_sorted_of_a_dict_matches_cpython(n):
    check(sorted_keys, n)


def test_unsupported_dict_uses_are_compile_errors():
    @njit
    def setdefault_without_default(k):
        d = {1: 2}
        return d.setdefault(k)

    with pytest.raises(CompileError, match="without a default"):
        setdefault_without_default(1)

    @njit
    def mixed_values(k):
        d = {1: 2}
        d[k] = (1, 2)
        return d

    with pytest.raises(CompileError, match="dict"):
        mixed_values(1)


def test_building_and_returning_dicts_keeps_memory_flat(tmp_path):
    build = """
@njit
def build(n):
    d = {}
    for i in range(n):
        d[i] = i * 0.5
    e = d.copy()
    e.update(d)
    return d if len(e) > 0 else d
"""
    grew = rss_growth(tmp_path, build)
    assert grew < 8 * 2**20, f"RSS grew {grew} bytes over 10^5 calls"


# ---------------------------------------------------------------------------------------------
# dict and set comprehensions


@njit
def comprehensions(n):
    squares = {i: i * i for i in range(n) if i % 3}
    residues = {i % 5 for i in range(n)}
    pairs = {(i, j): i - j for i in range(4) for j in range(i) if (i + j) % 2}
    last_wins = {i % 4: i for i in range(n)}
    i = -1  # the comprehension's own `i` is not this one
    return squares, residues, pairs, last_wins, i


@given(st.integers(0, 40))
def test_dict_and_set_comprehensions_match_cpython(n):
    check(comprehensions, n)


@njit
def of_an_array(a):
    return {int(x * 10): x for x in a}, {x > 0.5 for x in a}


def test_comprehensions_over_an_array():
    a = np.array([0.05, 0.55, 0.95, 0.51])
    d, s = of_an_array(a)
    ed, es = of_an_array.py_func(a)
    assert d == {k: float(v) for k, v in ed.items()} and list(d) == list(ed)
    assert s == {bool(x) for x in es}


@njit
def set_comparisons(a, b):
    s = set()
    for x in a:
        s.add(x)
    t = set()
    for x in b:
        t.add(x)
    return s == t, s != t, s <= t, s < t, s >= t, s > t, s < t < {99} | t


@given(st.lists(st.integers(0, 5), max_size=6), st.lists(st.integers(0, 5), max_size=6))
def test_set_comparisons_are_cpythons(a, b):
    check(set_comparisons, np.array(a, dtype=np.int64), np.array(b, dtype=np.int64))


@njit
def delete_key(k):
    d = {1: 2.5, 3: 4.5, 5: 6.5}
    del d[k]
    d[k + 10] = 1.0
    return d


@given(st.integers(0, 6))
def test_del_of_a_dict_key_is_cpythons(k):
    check(delete_key, k)


@njit
def pop_items(n):
    d = {}
    for i in range(n):
        d[i % 4] = i * 0.5
    out = []
    while d:
        out.append(d.popitem())
    return out


@given(st.integers(0, 9))
def test_popitem_takes_the_last_pair_inserted(n):
    check(pop_items, n)


def test_popitem_of_an_empty_dict_is_cpythons_key_error():
    @njit
    def empty(n):
        d = {1: 2.0}
        d.popitem()
        return d.popitem()

    check(empty, 0)
