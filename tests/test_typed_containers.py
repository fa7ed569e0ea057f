"""`stickyjit.typed.List` and `Dict` (Numba's `numba.typed` containers): made in compiled code
by their constructors and `List.empty_list(t)` / `Dict.empty(key_type=, value_type=)`, passed in
from Python as the lists they are. Answers are CPython's."""

from __future__ import annotations

import numpy as np
import pytest

import stickyjit
from stickyjit import CompileError, float64, int64, jit
from stickyjit.typed import Dict, List


@jit
def made(n):
    items = List()
    for i in range(n):
        items.append(i * 0.5)
    empty = List.empty_list(float64)
    empty.append(1.0)
    squares = Dict.empty(key_type=int64, value_type=float64)
    for i in range(n):
        squares[i] = i * 2.0
    plain = Dict()
    plain[1] = 2
    return items, empty, squares, plain, List(range(n))


@jit
def grows(items, x):
    items.append(x)
    return len(items)


@jit
def other_method():
    return List.something(3)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_made_in_compiled_code_as_cpython_makes_them(n):
    # Equal contents; compiled code hands back plain lists and dicts (docs/language.md).
    got, want = made(n), made.py_func(n)
    assert got == tuple(type(w).__mro__[1](w) for w in want)
    assert [type(g) for g in got] == [list, list, dict, dict, list]


def test_a_typed_list_argument_is_a_list_copied_back():
    items = List([1.0, 2.0])
    assert grows(items, 3.5) == 3
    assert items == [1.0, 2.0, 3.5] and type(items) is List
    assert List.empty_list(float64) == [] and Dict.empty(int64, float64) == {}


def test_the_module_is_reachable_as_numba_code_reaches_it():
    assert stickyjit.typed.List is List and stickyjit.experimental.jitclass is not None


def test_another_attribute_is_a_compile_error():
    with pytest.raises(CompileError, match=r"'List\.something' is not compiled"):
        other_method()


def test_a_typed_list_of_arrays_from_python_is_a_type_error_naming_the_parameter():
    # As a Python list of arrays is (a list passed in holds numbers or strings).
    @jit
    def norms(rows):
        out = np.empty(len(rows))
        for i in range(len(rows)):
            out[i] = np.sqrt((rows[i] ** 2).sum())
        return out

    rows = List([np.array([3.0, 4.0]), np.array([6.0, 8.0])])
    assert norms.py_func(rows).tolist() == [5.0, 10.0]
    with pytest.raises(TypeError, match="argument 'rows' is a list holding ndarray"):
        norms(rows)
