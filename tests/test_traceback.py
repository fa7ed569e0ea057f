"""An exception raised by compiled code has a traceback line for each jitted function it went
through, naming the function's file, name and the line that failed (issue 19, point 5; Numba
shows none), after the caller's own line, as CPython shows nested calls."""

from __future__ import annotations

import inspect
import traceback

import numpy as np
import pytest

from stickyjit import njit


def line_of(f, text: str) -> int:
    """The file line of the first line of `f`'s source containing `text`."""
    lines, first = inspect.getsourcelines(f)
    return first + next(i for i, line in enumerate(lines) if text in line)


def jitted_frames(e: BaseException) -> list[tuple[str, str, int]]:
    """(file, function, line) of each traceback entry after the test's own."""
    return [(f.filename, f.name, f.lineno) for f in traceback.extract_tb(e.__traceback__)[1:]]


@njit
def checked(x):
    if x > 1:
        raise ValueError(f"too big: {x}")
    return x


@njit
def calls_checked(x):
    y = x + 1
    return checked(y) * 2


@njit
def reads(a, i):
    s = 0.0
    for k in range(3):
        s += a[i + k]
    return s


@njit
def divides(a, b):
    return a // b


@njit
def catches_then_fails(a, i):
    try:
        a[i] = 1.0
    except IndexError:
        pass
    return 1 // (i - i)


def test_a_raise_names_the_jitted_function_and_its_line():
    with pytest.raises(ValueError, match="too big") as info:
        checked(5)
    assert jitted_frames(info.value) == [(__file__, "checked", line_of(checked.py_func, "raise ValueError"))]


def test_each_jitted_caller_has_its_line():
    with pytest.raises(ValueError) as info:
        calls_checked(3)
    assert jitted_frames(info.value) == [
        (__file__, "calls_checked", line_of(calls_checked.py_func, "return checked(y)")),
        (__file__, "checked", line_of(checked.py_func, "raise ValueError")),
    ]
    # The same as CPython's own frames for the pure-Python functions.
    with pytest.raises(ValueError) as py_info:
        calls_checked.py_func(3)
    py_frames = [(f.name, f.lineno) for f in traceback.extract_tb(py_info.value.__traceback__)[1:]]
    assert py_frames[0] == ("calls_checked", line_of(calls_checked.py_func, "return checked(y)"))


def test_run_time_errors_name_their_line():
    with pytest.raises(IndexError) as info:
        reads(np.zeros(4), 2)
    assert jitted_frames(info.value) == [(__file__, "reads", line_of(reads.py_func, "s += a[i + k]"))]
    with pytest.raises(ZeroDivisionError) as info:
        divides(3, 0)
    assert jitted_frames(info.value) == [(__file__, "divides", line_of(divides.py_func, "return a // b"))]


def test_a_caught_exception_leaves_no_frames_behind():
    with pytest.raises(ZeroDivisionError) as info:
        catches_then_fails(np.zeros(2), 5)
    assert jitted_frames(info.value) == [
        (__file__, "catches_then_fails", line_of(catches_then_fails.py_func, "return 1 // (i - i)"))
    ]
    # And a later failure shows only its own frames.
    with pytest.raises(ValueError) as info:
        checked(7)
    assert len(jitted_frames(info.value)) == 1


def test_the_traceback_prints_the_source_line():
    with pytest.raises(ValueError) as info:
        checked(9)
    text = "".join(traceback.format_exception(info.value))
    assert 'raise ValueError(f"too big: {x}")' in text
    assert f'File "{__file__}", line {line_of(checked.py_func, "raise ValueError")}, in checked' in text


SAME_SOURCE = """
from stickyjit import njit


@njit
def halve(a, b):
    return a // b
"""


def test_the_same_code_at_other_lines_names_its_own(tmp_path, monkeypatch):
    # Two files with the same function at different lines share one code key (positions are not
    # part of it): each failure names its own file and line.
    import importlib

    (tmp_path / "tb_first.py").write_text(SAME_SOURCE)
    (tmp_path / "tb_second.py").write_text("\n\n\n# moved down\n" + SAME_SOURCE)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name, line in (("tb_first", 7), ("tb_second", 11)):
        mod = importlib.import_module(name)
        with pytest.raises(ZeroDivisionError) as info:
            mod.halve(1, 0)
        assert jitted_frames(info.value) == [(str(tmp_path / f"{name}.py"), "halve", line)]


@njit
def twice_called(x):
    return 10 // x


@njit
def calls_twice(x):
    a = twice_called(x + 1)
    return a + twice_called(x)


def test_a_function_called_from_two_places_shows_its_own_line_only():
    with pytest.raises(ZeroDivisionError) as info:
        calls_twice(0)
    assert jitted_frames(info.value) == [(__file__, "twice_called", line_of(twice_called.py_func, "return 10 // x"))]


@njit
def unbound(c):
    if c:
        y = 1
    return y  # noqa: F821 - unbound when c is false, on purpose


def test_an_unbound_local_is_named_as_before():
    with pytest.raises(UnboundLocalError, match="'y'"):
        unbound(False)
    assert unbound(True) == 1
