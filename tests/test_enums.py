"""Members of `enum.Enum` classes in compiled code, as Numba compiles them (pynndescent's
optimal-transport solver tests `if result == ProblemStatus.INFEASIBLE`): members as arguments,
globals (`Color.RED`) and results; `==`, `!=`, `is`, `is not`, `in` a tuple; `.value`. An
`IntEnum`'s members are ints. The oracle is CPython running the same function.
"""

from __future__ import annotations

import enum
import itertools
import linecache

import pytest

from conftest import cached_runs, check
from stickyjit import CompileError, jit


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1  # an alias: the same member as RED


class Other(enum.Enum):
    RED = 1


class Unit(enum.Enum):
    M = 1.0
    KM = 1000.0


class Label(enum.Enum):
    A = "alpha"
    B = "beta"


class Status(enum.IntEnum):
    OPTIMAL = 0
    INFEASIBLE = 1
    UNBOUNDED = 2


MEMBERS = [*Color, Other.RED, Unit.KM, Label.A]


def identity(c):
    return c


def pick(i):
    if i == 0:
        return Color.RED
    elif i == 1:
        return Color.GREEN
    return Color.BLUE


def compare(a, b):
    return a == b, a != b, a is b, a is not b


def against_numbers(a, x):
    return a == Other.RED, a is Other.RED, a == x, a != x, a is x, x is a


def in_tuple(c):
    return c in (Color.RED, Color.BLUE), c in (Color.GREEN,)


def value(c):
    return c.value


def scaled(u, x):
    return x * u.value


def labelled(b):
    return b.value + "!"


def count(cs, which):
    n = 0
    for c in cs:
        if c is which:
            n += 1
    return n


def in_containers(c):
    seen = [Color.RED, Color.GREEN]
    seen.append(c)
    k = 0
    for x in seen:
        if x == c:
            k += 1
    weights = {Color.RED: 1.0, Color.GREEN: 2.0}
    return k, weights.get(c, -1.0)


def alias():
    return Color.CRIMSON is Color.RED, Color.CRIMSON, (Color.CRIMSON, Color.BLUE)


def solve(status, x):
    # pynndescent's pattern: an IntEnum status tested and combined with ints.
    if status == Status.INFEASIBLE:
        return -1
    return x * 2 + status


@pytest.mark.parametrize("c", MEMBERS, ids=str)
def test_a_member_passed_in_comes_back_as_itself(c):
    got = jit(identity)(c)
    assert got is c


@pytest.mark.parametrize("i", [0, 1, 2])
def test_a_member_global_is_returned_as_the_member(i):
    assert jit(pick)(i) is pick(i)


def test_members_compare_as_cpython_compares_them():
    f = jit(compare)
    for a, b in itertools.product(MEMBERS, repeat=2):
        assert f(a, b) == compare(a, b), (a, b)


@pytest.mark.parametrize("x", [1, 1.0, 2, True])
def test_a_member_is_never_equal_to_a_number_or_another_classs_member(x):
    check(jit(against_numbers), Color.RED, x)
    check(jit(against_numbers), Other.RED, x)


@pytest.mark.parametrize("c", list(Color), ids=str)
def test_in_a_tuple_of_members(c):
    check(jit(in_tuple), c)


def test_values_of_every_kind_are_read():
    check(jit(value), Color.GREEN)
    check(jit(value), Unit.KM)
    check(jit(scaled), Unit.KM, 2.5)
    check(jit(labelled), Label.B)


def test_members_in_tuples_lists_dicts_and_loops():
    check(jit(count), (Color.GREEN, Color.RED, Color.GREEN), Color.GREEN)
    check(jit(count), (Color.GREEN, Color.RED, Color.GREEN), Color.BLUE)
    for c in Color:
        check(jit(in_containers), c)
    assert jit(alias)() == alias()


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_intenum_members_are_ints(status):
    check(jit(solve), status, 5)
    # Passed in as an argument or read as a global, an IntEnum member is its int: the same
    # specialization as an int's.
    f = jit(solve)
    f(status, 5)
    f(int(status), 5)
    assert len(f.signatures) == 1


def test_an_intenum_member_returned_is_its_int():
    # A documented deviation from Numba (which hands back the member): compiled code keeps an
    # IntEnum member as its int, which compares equal to the member.
    @jit
    def unbounded():
        return Status.UNBOUNDED

    got = unbounded()
    assert got == Status.UNBOUNDED and type(got) is int


def ordered(a, b):
    return a < b


def named(c):
    return c.name


def made(v):
    return Color(v)


def missing():
    return Color.PURPLE


def ints_identical(a, b):
    return a is b


def printed(c):
    print(c)


@pytest.mark.parametrize(
    ("f", "args", "says"),
    [
        (ordered, (Color.RED, Color.BLUE), "'<' not supported between instances of enum"),
        (named, (Color.RED,), "reads '.value' only, not '.name'"),
        (made, (1,), "Enum class"),
        (missing, (), "'Color.PURPLE'"),
        (ints_identical, (1, 2), "compares object identity"),
        (printed, (Color.RED,), "print"),
    ],
    ids=["ordering", "name", "call", "missing-member", "is-of-ints", "print"],
)
def test_what_is_not_compiled_is_a_compile_error_naming_it(f, args, says):
    with pytest.raises(CompileError, match=None) as info:
        jit(f)(*args)
    assert says in str(info.value), str(info.value)


def run_cell(src: str, namespace: dict) -> dict:
    name = f"<enum-cell-{next(_cells)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    exec(compile(src, name, "exec"), namespace)  # noqa: S102 - what a notebook does with a cell
    return namespace


_cells = itertools.count()


def test_a_class_defined_again_with_other_values_is_another_program():
    namespace = {"enum": enum, "jit": jit}
    source = """
class Mode(enum.Enum):
    FAST = {fast}
    SLOW = 2

@jit
def speed(fast):
    m = Mode.FAST if fast else Mode.SLOW
    return m.value
"""
    # A notebook cell run twice, the second time with another value for the member.
    first = run_cell(source.format(fast=1), namespace)["speed"]
    assert first(True) == 1
    again = run_cell(source.format(fast=7), namespace)["speed"]
    assert again is not first
    assert again(True) == 7


CACHED = """
import enum, json, sys
import stickyjit
from stickyjit import jit

class Mode(enum.Enum):
    FAST = int(sys.argv[1])
    SLOW = 2

@jit
def speed(fast):
    return Mode.FAST if fast else Mode.SLOW

got = speed(True)
print(json.dumps({"same": got is Mode.FAST, "value": got.value, "stats": stickyjit.stats()}))
"""


def test_the_disk_cache_keys_members_by_value(tmp_path):
    runs = cached_runs(tmp_path, CACHED, [["1"], ["9"], ["1"]])
    assert [r["value"] for r in runs] == [1, 9, 1]
    assert all(r["same"] for r in runs)
    assert [r["stats"]["compiles"] for r in runs] == [1, 1, 0]
