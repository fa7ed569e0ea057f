"""Lists of lists and lists of arrays (issue 19, point 1), and dicts whose values are lists or
arrays (point 2): built, read, changed and returned as CPython (and NumPy) do; an item that is a list or an array is the same object wherever it is
held (`[[0] * n] * 2` shares its row, as in CPython); lists of strings sort as CPython sorts
them. The answers are CPython's for the same function."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import check, rss_growth
from stickyjit import CompileError, njit

small = st.integers(0, 6)


@njit
def table(n, m):
    rows = [[i * m + j for j in range(m)] for i in range(n)]
    for r in rows:
        r.append(len(r))
    if n > 1:
        rows[1][0] = -1
        rows.insert(0, [99])
        rows.append(rows.pop(1))
    return rows, [sum(r) for r in rows], len(rows)


@njit
def shared_rows(n):
    grid = [[0] * n] * 3
    if n:
        grid[0][0] = 5
    other = grid.copy()
    other.reverse()
    return grid, other, grid[1:], grid + [[7]]


@njit
def ragged(values):
    out = []
    run = []
    for v in values:
        if v < 0:
            out.append(run)
            run = []
        else:
            run.append(v)
    out.append(run)
    out.extend([[1.5], []])
    return out


@given(small, small)
@settings(max_examples=60, deadline=None)
def test_lists_of_lists_are_cpythons(n, m):
    check(table, n, m)
    check(shared_rows, n)


@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_a_list_of_runs_built_by_append(values):
    check(ragged, np.array(values), py_args=(list(values),))


@njit
def arrays(n):
    parts = [np.arange(float(i)) for i in range(n)]
    parts.append(np.ones(2))
    for p in parts:
        if len(p):
            p[0] = -1.0
    total = 0.0
    for p in parts:
        total += p.sum()
    return parts, total, [len(p) for p in parts]


def test_lists_of_arrays_are_numpys():
    for n in range(5):
        got, total, lengths = arrays(n)
        want, want_total, want_lengths = arrays.py_func(n)
        assert (total, lengths) == (want_total, want_lengths)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert isinstance(g, np.ndarray) and g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)


@njit
def rows_of(a):
    rows = [a[i] for i in range(a.shape[0])]
    for r in rows:
        r[0] = 0.0
    return rows


def test_a_list_of_views_writes_through_and_keeps_its_base():
    a = np.arange(12.0).reshape(4, 3)
    want = a.copy()
    rows_of.py_func(want)
    rows = rows_of(a)
    np.testing.assert_array_equal(a, want)
    del a
    # The rows are views of the argument, which they keep alive.
    np.testing.assert_array_equal(np.array(rows), want)


@njit
def words_sorted(words, reverse):
    out = sorted(words, reverse=reverse)
    words.sort()
    return out, words, sorted({w: len(w) for w in words})


@given(st.lists(st.text(alphabet="abcé€\U0001f600", max_size=4), min_size=1, max_size=8), st.booleans())
@settings(max_examples=80, deadline=None)
def test_lists_of_strings_sort_as_cpython(words, reverse):
    check(words_sorted, list(words), reverse, py_args=(list(words), reverse))


def test_what_lists_of_lists_and_arrays_refuse():
    for src, pattern in [
        ("def f(n):\n    return [np.zeros(2), np.zeros((2, 2))]\n", "list of mixed types"),
        ("def f(n):\n    return [1] in [[1], [2]]\n", "'in' compares numbers here"),
        ("def f(n):\n    return min([[1], [0]])\n", "list of real numbers"),
    ]:
        ns: dict = {"np": np}
        import linecache

        filename = f"<nested-{abs(hash(src))}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        exec(compile(src, filename, "exec"), ns)  # noqa: S102 - test source
        with pytest.raises(CompileError, match=pattern):
            njit(ns["f"])(1)
    with pytest.raises(TypeError, match="argument 'rows' is a list holding list"):
        njit(lambda rows: len(rows))([[1, 2]])


def test_building_and_returning_nested_lists_keeps_memory_flat(tmp_path):
    build = """
import numpy as np

@njit
def build(n):
    rows = [[i, i + 1] for i in range(n)]
    parts = []
    for i in range(8):
        parts.append(np.zeros(n))
    rows.insert(0, [n])
    return rows, parts
"""
    grew = rss_growth(tmp_path, build, calls=20_000)
    assert grew < 8 * 2**20, f"RSS grew {grew} bytes over 2*10^4 calls"


@njit
def group_by_length(words):
    groups = {}
    for w in words:
        groups.setdefault(len(w), []).append(w)
    by_first = {}
    for w in words:
        if w[:1] in by_first:
            by_first[w[:1]].append(len(w))
        else:
            by_first[w[:1]] = [len(w)]
    return groups, by_first, sorted(groups)


@given(st.lists(st.text(alphabet="abc", max_size=4), min_size=1, max_size=12))
@settings(max_examples=80, deadline=None)
def test_grouping_into_a_dict_of_lists(words):
    check(group_by_length, list(words), py_args=(list(words),))


@njit
def rows_by_key(n):
    d = {}
    for i in range(n):
        d[i % 3] = np.full(2, float(i))
    if n:
        d[0][1] = -1.0
    return d


def test_a_dict_of_arrays_is_numpys():
    for n in range(6):
        got, want = rows_by_key(n), rows_by_key.py_func(n)
        assert list(got) == list(want)
        for k in want:
            np.testing.assert_array_equal(got[k], want[k])


def test_augmented_assignment_to_a_list_value_is_refused():
    src = "def f(n):\n    d = {1: [1]}\n    d[1] += [n]\n    return d\n"
    ns: dict = {}
    import linecache

    filename = "<nested-aug>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    exec(compile(src, filename, "exec"), ns)  # noqa: S102 - test source
    with pytest.raises(CompileError, match="augmented assignment to a container's item"):
        njit(ns["f"])(1)
