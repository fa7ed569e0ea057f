"""What a global name is bound to crosses from Python (``_support.resolve_globals``) to the
compiler as a typed ``stickyjit._native.Global``, never a string tag; which values are frozen
into the code is decided in one place (the extension's ``program::freeze``), and the values it
refuses keep their messages."""

from __future__ import annotations

import linecache
import warnings

import numpy as np
import pytest

import stickyjit._support as support
from conftest import check
from stickyjit import CompileError, jit
from stickyjit._native import Global

BIG = 2**70
MIXED = (1, [2])
NESTED_BIG = (1, (2, 2**70))
NESTED = ((1, 2.5), True, (-(2**63), 2**63 - 1))
SCALE = 2.5
FLAG = True


class Box:
    pass


BOX = Box()


def helper():
    return 1


@pytest.mark.parametrize("tag", ["int", "intt", "undefined", 5])
def test_a_category_that_is_not_a_global_member_is_refused(monkeypatch, tag):
    # Before, a string tag was matched by text: "int" worked, and a mistyped one ("intt")
    # silently meant "undefined". Now anything but a Global member is a TypeError.
    def f():
        return SCALE

    real = support.resolve_globals

    def with_tags(func, names, dispatcher, dispatcher_type):
        return [(name, tag, value) for name, _, value in real(func, names, dispatcher, dispatcher_type)]

    monkeypatch.setattr(support, "resolve_globals", with_tags)
    with pytest.raises(TypeError, match="Global"):
        jit(cache=False)(f)()


def test_global_members_are_the_categories_the_compiler_matches():
    names = {n for n in dir(Global) if n.isupper()}
    assert names == {
        "VALUE",
        "MODULE",
        "MATH",
        "NUMPY",
        "NUMPY_DTYPE",
        "BUILTIN",
        "SELF",
        "JITTED",
        "LIBRARY",
        "VECTORIZED",
        "CFUNC",
        "UNSUPPORTED",
        "UNSUPPORTED_FUNCTION",
        "UNDEFINED",
    }
    with pytest.raises(AttributeError):
        Global.INT  # noqa: B018 - a category that does not exist is an error where it is written


def test_numbers_and_tuples_of_them_are_frozen():
    @jit
    def f(x):
        return NESTED[0][1] * x + SCALE if FLAG else 0.0

    @jit
    def g():
        return NESTED

    check(f, 3.0)
    # repr tells 1, 1.0 and True apart, at every level of the tuple.
    assert repr(g()) == repr(g.py_func())


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("return BIG", "'BIG' is an int outside the int64 range"),
        ("return MIXED", "'MIXED' is a tuple holding something other than numbers and strings"),
        ("return NESTED_BIG", "'NESTED_BIG' is a tuple holding something other than numbers and strings"),
        ("return BOX", "'BOX' is a Box;"),
        ("return helper()", "'helper' is the Python function 'helper';"),
    ],
)
def test_values_that_are_not_frozen_say_what_they_are(body, said):
    # A function reading this module's globals, with its source registered where stickyjit reads it.
    src = f"def f():\n    {body}\n"
    filename = f"<test_globals {body}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {}
    exec(compile(src, filename, "exec"), globals(), namespace)  # noqa: S102
    with pytest.raises(CompileError) as info:
        jit(cache=False)(namespace["f"])()
    assert said in str(info.value)


def test_decorating_warns_of_nothing_a_module_global_does_not_have():
    """The sticky identity looks for numbers among a module's attributes the code names; it
    reads the module's dict, so NumPy's `__getattr__` is not asked for `str` (the builtin in
    `str(x)`), which NumPy 2 answers with a FutureWarning."""

    def show(x):
        return str(x) + str(np.pi)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        f = jit(show)
        assert f(3) == show(3)
    assert [str(w.message) for w in seen] == []


def test_a_value_reached_through_submodules_is_frozen_as_a_global():
    # stumpy reads `numba.config.NUMBA_NUM_THREADS` inside its parallel kernels.
    import os

    import stickyjit as nb

    def threads():
        return nb.config.NUMBA_NUM_THREADS

    def separator():
        return os.path.sep

    assert jit(threads)() == nb.config.NUMBA_NUM_THREADS == nb._native._max_threads()
    assert jit(separator)() == os.path.sep
    assert nb.config.DISABLE_JIT is False
