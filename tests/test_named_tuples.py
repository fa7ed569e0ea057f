"""Namedtuples (`collections.namedtuple`, `typing.NamedTuple`), as scientific code uses them to
carry a model's parameters into jitted functions and results out of them: passed in, read by
field, index, unpacking and iteration, made in compiled code (by position, keyword or `*t`),
handed back as instances of their class, frozen as globals, printed as CPython prints them.
Every answer is compared with CPython's for the same function."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import namedtuple
from typing import NamedTuple

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit

Model = namedtuple("Model", ("beta", "R", "grid", "T"))
Results = namedtuple("Results", "root function_calls iterations converged")
Shadowing = namedtuple("Shadowing", "size shape start step T ndim x")


class Point(NamedTuple):
    x: float
    y: float


class Segment(NamedTuple):
    a: Point
    b: Point


@jit
def fields(m):
    return m.beta * m.R + m.grid.sum() + m.T, m[0], m[-1], len(m)


@jit
def unpacked(m):
    beta, R, grid, T = m
    return beta + R + grid[-1] + T


@jit
def length(s):
    return ((s.b.x - s.a.x) ** 2 + (s.b.y - s.a.y) ** 2) ** 0.5


@jit
def total(p):
    s = 0.0
    for v in p:
        s += v
    return s


@jit
def attribute_names(p):
    return p.size + p.shape + p.start + p.step + p.ndim + p.x, p.T + 1.0


def test_a_namedtuple_argument_is_read_as_cpython_reads_it():
    m = Model(0.96, 1.01, np.linspace(0.0, 1.0, 5), 10)
    got, want = fields(m), fields.py_func(m)
    assert got[0] == pytest.approx(want[0]) and got[1:] == want[1:]
    assert unpacked(m) == unpacked.py_func(m)
    seg = Segment(Point(0.0, 0.0), Point(3.0, 4.0))
    assert length(seg) == length.py_func(seg) == 5.0
    check(total, Point(1.5, 2.5))


def test_fields_named_like_array_or_range_attributes_are_fields():
    p = Shadowing(1, 2, 3, 4, np.ones(3), 6, 7)
    got, want = attribute_names(p), attribute_names.py_func(p)
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], want[1])


@jit
def make_results(r):
    x, calls, iterations, flag = r
    return Results(x, calls, iterations, flag == 0)


@jit
def by_keyword(x, y):
    return Point(y=y, x=x)


@jit
def by_star(t):
    return Results(*t)


@jit
def identity(p):
    return p


def test_a_namedtuple_made_in_compiled_code_is_an_instance_of_its_class():
    for r in [(1.5, 3, 2, 0), (-2.0, 9, 5, -1)]:
        got = make_results(r)
        assert type(got) is Results and got == make_results.py_func(r)
    got = by_keyword(1.0, 2.0)
    assert type(got) is Point and got == by_keyword.py_func(1.0, 2.0)
    got = by_star((0.5, 1, 1, True))
    assert type(got) is Results and got == (0.5, 1, 1, True)
    m = Model(0.9, 1.0, np.arange(3.0), 4)
    back = identity(m)
    assert type(back) is Model and back.beta == 0.9 and np.shares_memory(back.grid, m.grid)


WithDefaults = namedtuple("WithDefaults", "x y z", defaults=(2.0, 3))


class Settings(NamedTuple):
    a: float
    b: float = 0.5


@jit
def defaults_filled(x):
    return WithDefaults(x), WithDefaults(x, 1.0), WithDefaults(x, z=7), Settings(1.0), Settings(2.0, b=4.0)


def test_fields_left_out_take_their_defaults():
    got, want = defaults_filled(1.5), defaults_filled.py_func(1.5)
    assert got == want and [type(g) for g in got] == [type(w) for w in want]


@jit
def choose(c):
    if c:
        q = Point(1.0, 2.0)
    else:
        q = Point(3.0, 4.0)
    return q.x - q.y, q


@jit
def walk(n):
    out = [Point(0.0, 0.0)]
    for i in range(n):
        out.append(Point(float(i), 2.0 * i))
    return out


@jit
def callee(p):
    return p.x * p.y


@jit
def caller(x):
    return callee(Point(x, x + 1.0)) + callee(Point(y=2.0, x=x))


def test_namedtuples_flow_through_branches_lists_and_calls():
    for c in (True, False):
        assert choose(c) == choose.py_func(c)
    assert walk(3) == walk.py_func(3)
    assert all(type(p) is Point for p in walk(2))
    assert caller(1.5) == caller.py_func(1.5)


DEFAULTS = Point(3.0, 4.0)


@jit
def from_global():
    return DEFAULTS.x * DEFAULTS.y, DEFAULTS, DEFAULTS[1]


def test_a_namedtuple_global_is_frozen_like_a_tuple():
    got = from_global()
    assert got == from_global.py_func()
    assert type(got[1]) is Point


@jit
def shows(p, s):
    print(p, s)
    return 0


def test_print_writes_a_namedtuple_as_its_repr(capsys):
    p, s = Point(1.0, 2.5), Segment(Point(0.0, 1.0), Point(2.0, 3.0))
    shows(p, s)
    compiled = capsys.readouterr().out
    shows.py_func(p, s)
    assert compiled == capsys.readouterr().out


@jit
def no_such_field(q):
    return q.z


@jit
def missing():
    return Point(1.0)


@jit
def too_many():
    return Point(1.0, 2.0, 3.0)


@jit
def unknown_keyword():
    return Point(x=1.0, w=2.0)


@jit
def wrong_star(t):
    return Point(*t)


@jit
def field_of_plain_tuple(t):
    return t.x


def test_bad_uses_are_compile_errors_with_cpythons_messages():
    with pytest.raises(CompileError, match="namedtuple '.*Point' has no field 'z'; its fields: x, y"):
        no_such_field(Point(1.0, 2.0))
    for f in (missing, too_many, unknown_keyword):
        with pytest.raises(TypeError) as py:
            f.py_func()
        with pytest.raises(CompileError) as compiled:
            f()
        assert str(py.value) in str(compiled.value)
    with pytest.raises(CompileError, match=r"Point\(\) takes 2 arguments \(its fields x, y\) but 3 were given"):
        wrong_star((1.0, 2.0, 3.0))
    with pytest.raises(CompileError, match=r"'\.x' of tuple\(int64, int64\)"):
        field_of_plain_tuple((1, 2))


Other = namedtuple("Other", "x y")


def test_each_class_is_its_own_specialization():
    assert type(identity(Other(1.0, 2.0))) is Other
    assert type(identity(Point(1.0, 2.0))) is Point
    kinds = {s[0] for s in identity.signatures}
    assert any("Other" in k for k in kinds) and any("Point" in k for k in kinds)


@jit
def f_cubic(x, c):
    return x**3 - c


@jit
def f_cubic_prime(x, c):
    return 3.0 * x**2


@jit
def newton(func, fprime, x0, args=(), tol=1.48e-8, maxiter=50):
    # The shape of QuantEcon.py's optimize.newton: `func(x, *args)`, a namedtuple result.
    p0 = 1.0 * x0
    status = -1
    calls = 0
    p = p0
    itr = 0
    for itr in range(maxiter):
        fval = func(p0, *args)
        fder = fprime(p0, *args)
        calls += 2
        if fder == 0:
            break
        p = p0 - fval / fder
        if abs(p - p0) < tol:
            status = 0
            break
        p0 = p
    return Results(p, calls, itr + 1, status == 0)


def test_a_quantecon_style_root_finder():
    for c in (2.0, 27.0):
        got = newton(f_cubic, f_cubic_prime, 1.0, (c,))
        assert type(got) is Results and got == newton.py_func(f_cubic, f_cubic_prime, 1.0, (c,))
        assert got.converged and abs(got.root**3 - c) < 1e-9


CACHED = """
import json, sys
from collections import namedtuple
import numpy as np
import stickyjit
from stickyjit import jit

Params = namedtuple("Params", "alpha grid")
Out = namedtuple("Out", "total best")

@jit
def solve(p):
    return Out(p.alpha * p.grid.sum(), p.grid.max())

got = solve(Params(2.0, np.arange(4.0)))
print(json.dumps({"type": type(got).__name__, "same": type(got) is Out, "value": list(got), "stats": stickyjit.stats()}))
"""


def test_a_later_process_loads_the_entry_and_makes_its_own_class(tmp_path):
    script = tmp_path / "named.py"
    script.write_text(CACHED)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("STICKYJIT_CACHE", None)
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    for r in runs:
        assert r["same"] and r["type"] == "Out" and r["value"] == [12.0, 3.0]
    assert runs[0]["stats"]["compiles"] == 1 and runs[1]["stats"]["compiles"] == 0
    assert runs[1]["stats"]["cache_hits"] == 1
