"""`raise` of a user's exception class (librosa's `ParameterError`, a `ValueError`): the caller
gets an instance of that class with the message, as CPython raises it; an `except` of a builtin
base inside compiled code catches it. The oracle is CPython running the same function.
"""

from __future__ import annotations

import pytest

from conftest import cached_runs
from stickyjit import CompileError, jit


class ParameterError(ValueError):
    """librosa's."""


class SolverFailed(Exception):
    pass


def check_hop(hop):
    if hop <= 0:
        raise ParameterError(f"hop_length={hop} must be positive")
    if hop > 100:
        raise ParameterError("hop_length is too large")
    if hop == 7:
        raise SolverFailed
    if hop == 8:
        raise SolverFailed()
    return hop * 2


def outcome(f, *args):
    try:
        return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return (type(e), e.args)


@pytest.mark.parametrize("hop", [-3, 0, 5, 7, 8, 101])
def test_the_caller_gets_the_users_class_and_message(hop):
    assert outcome(jit(check_hop), hop) == outcome(check_hop, hop)


@jit
def checked(hop):
    return check_hop_jitted(hop) + 1


check_hop_jitted = jit(check_hop)


def test_through_a_jitted_caller_and_caught_by_its_builtin_base_in_python():
    with pytest.raises(ValueError, match="must be positive") as info:
        checked(-1)
    assert type(info.value) is ParameterError


def caught_inside(hop):
    try:
        return check_hop_jitted(hop)
    except ValueError as e:
        return len(str(e))


@pytest.mark.parametrize("hop", [-3, 101, 5])
def test_an_except_of_a_builtin_base_in_compiled_code_catches_it(hop):
    want = (
        len(f"hop_length={hop} must be positive")
        if hop <= 0
        else (len("hop_length is too large") if hop > 100 else hop * 2)
    )
    assert jit(caught_inside)(hop) == want


class NotAnException:
    pass


def raises_a_class_that_is_no_exception():
    raise NotAnException("x")


def test_a_class_that_is_no_exception_is_a_compile_error():
    with pytest.raises(CompileError, match="not a builtin exception class"):
        jit(raises_a_class_that_is_no_exception)()


CACHED = """
import json, sys
import stickyjit
from stickyjit import jit

class ParameterError(ValueError):
    pass

@jit
def check(hop):
    if hop <= 0:
        raise ParameterError(f"hop_length={hop} must be positive")
    return hop

try:
    check(-2)
    got = None
except ParameterError as e:
    got = [type(e).__name__, str(e)]
print(json.dumps({"got": got, "stats": stickyjit.stats()}))
"""


def test_a_later_process_loads_the_entry_and_raises_its_own_class(tmp_path):
    runs = cached_runs(tmp_path, CACHED, [[], []])
    for r in runs:
        assert r["got"] == ["ParameterError", "hop_length=-2 must be positive"]
    assert runs[0]["stats"]["compiles"] == 1 and runs[1]["stats"]["compiles"] == 0
