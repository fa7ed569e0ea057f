"""`stickyjit.experimental.jitclass`, as QuantEcon's lectures use Numba's: instances made in
Python, passed to jitted functions that read their fields and call their methods (`og.f(k)`,
`f = og.f; f(k)`, methods calling methods). Answers are CPython's for the same functions on the
same instances; what compiled code does not do (return an instance, assign a field, treat one
as a tuple) is a CompileError."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from stickyjit import CompileError, float64, int64, jit
from stickyjit.experimental import jitclass

growth_spec = [("alpha", float64), ("beta", float64), ("grid", float64[:]), ("n", int64)]


@jitclass(growth_spec)
class Growth:
    def __init__(self, alpha=0.4, beta=0.96, n=6):
        self.alpha, self.beta = alpha, beta
        self.grid = np.linspace(1e-5, 4.0, n)
        self.n = n

    def f(self, k):
        return k**self.alpha

    def u(self, c):
        return np.log(c)

    def value(self, k, v):
        # A method calling methods of its own instance.
        return self.u(self.f(k)) + self.beta * v

    def scaled(self, s):
        return self.grid * s


@jitclass
class Annotated:
    x: float64
    k: int64

    def __init__(self, x, k):
        self.x = x
        self.k = k

    def power(self):
        return self.x**self.k


@jit
def bellman(v, og):
    f, u, beta = og.f, og.u, og.beta
    out = np.empty_like(v)
    for i in range(og.n):
        y = og.grid[i]
        out[i] = u(f(y)) + beta * v[i] + og.value(y, v[i])
    return out


@jit
def inner(og, k):
    return og.f(k) * og.beta


@jit
def outer(og, ks):
    s = 0.0
    for k in ks:
        s += inner(og, k)
    return s


@jit
def pair(t):
    og, s = t
    return og.scaled(s).sum() + og.alpha


@jit
def write_grid(og):
    for i in range(og.grid.shape[0]):
        og.grid[i] = 2.0 * i
    return og.grid


@jit
def power_of(a):
    return a.power() + a.k


def test_fields_and_methods_compute_as_cpython():
    og = Growth(alpha=1, n=6)  # an int in a float64 field: a float, as Numba stores it
    v = np.linspace(0.5, 1.5, 6)
    np.testing.assert_allclose(bellman(v, og), bellman.py_func(v, og), rtol=1e-15)
    ks = np.linspace(0.1, 2.0, 7)
    assert outer(og, ks) == pytest.approx(outer.py_func(og, ks), rel=1e-15)
    assert pair((og, 0.5)) == pytest.approx(pair.py_func((og, 0.5)), rel=1e-15)
    a = Annotated(1.5, 3)
    assert power_of(a) == power_of.py_func(a)


def test_fields_are_read_at_each_call_and_arrays_are_shared():
    og = Growth(n=4)
    first = inner(og, 2.0)
    og.alpha = 0.5
    assert inner(og, 2.0) == inner.py_func(og, 2.0) != first
    back = write_grid(og)
    np.testing.assert_array_equal(og.grid, [0.0, 2.0, 4.0, 6.0])
    assert np.shares_memory(back, og.grid)


@jit
def returns_instance(og):
    return og


@jit
def assigns_field(og):
    og.alpha = 2.0
    return 0


@jit
def unknown_field(og):
    return og.gamma_


@jit
def length(og):
    return len(og)


@jit
def index(og):
    return og[0]


@jit
def unpack(og):
    a, b, c, d = og
    return a


@jit
def shows(og):
    print(og)
    return 0


def test_what_compiled_code_does_not_do_is_a_compile_error():
    og = Growth()
    with pytest.raises(CompileError, match="return of a jitclass instance"):
        returns_instance(og)
    with pytest.raises(CompileError, match="attribute assignment"):
        assigns_field(og)
    with pytest.raises(
        CompileError, match="has no field 'gamma_'; its fields: alpha, beta, grid, n; its methods: f, u"
    ):
        unknown_field(og)
    for f in (length, index, unpack):
        with pytest.raises(TypeError):
            f.py_func(og)
        with pytest.raises(CompileError, match="is not a tuple"):
            f(og)
    with pytest.raises(CompileError, match="print"):
        shows(og)


def test_an_instance_missing_a_field_is_a_type_error():
    og = Growth()
    del og.n
    with pytest.raises(TypeError, match="has no field 'n'"):
        inner(og, 1.0)


CACHED = """
import json
import numpy as np
import stickyjit
from stickyjit import jit, float64
from stickyjit.experimental import jitclass

@jitclass([("a", float64), ("xs", float64[:])])
class Poly:
    def __init__(self, a, n):
        self.a = a
        self.xs = np.arange(float(n))
    def at(self, x):
        return self.a * x * x

@jit
def total(p):
    s = 0.0
    for x in p.xs:
        s += p.at(x)
    return s

print(json.dumps({"value": total(Poly(2.0, 4)), "stats": stickyjit.stats()}))
"""


def test_a_later_process_loads_code_that_calls_methods(tmp_path):
    script = tmp_path / "poly.py"
    script.write_text(CACHED)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("STICKYJIT_CACHE", None)
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert [r["value"] for r in runs] == [2.0 * (0 + 1 + 4 + 9)] * 2
    assert runs[0]["stats"]["compiles"] >= 1 and runs[1]["stats"]["compiles"] == 0


def test_jitclass_forms_and_bad_specs():
    class Plain:
        def __init__(self):
            self.x = 1.0

    Same = jitclass(Plain, [("x", float64)])
    assert Same is Plain and Plain.__stickyjit_jitclass__.fields == ("x",)
    with pytest.raises(TypeError, match="not a \\(name, type\\) pair"):
        jitclass([("x",)])(type("Bad", (), {}))


@jitclass([("a", float64)])
class Scaled:
    def __init__(self, a):
        self.a = a

    def f(self, x, scale=2.0, shift=(1, 0.5)):
        return self.a * x * scale + shift[0] - shift[1]


@jit
def method_defaults(m):
    g = m.f
    return m.f(1.0), m.f(1.0, 3.0), g(2.0), m.f(1.0, 1.0, (0, 0.0))


@jit
def with_defaults(x, k=3, w=0.5):
    return x * k + w


@jit
def through_value(f, x):
    return f(x), f(x, 2)


def test_defaults_of_methods_and_function_values_are_filled_in():
    m = Scaled(3.0)
    assert method_defaults(m) == method_defaults.py_func(m)
    assert through_value(with_defaults, 1.5) == through_value.py_func(with_defaults, 1.5)


@jitclass([("a", float64)])
class Named:
    # Method names that are also list, dict, array and Generator methods.
    def __init__(self, a):
        self.a = a

    def update(self, x):
        return self.a + x

    def sum(self):
        return 2.0 * self.a

    def append(self, x):
        return self.a * x

    def normal(self, x):
        return -x


@jit
def both_kinds(m, arr):
    d = {1: 1.0}
    d.update({2: 2.0})
    lst = [1.0]
    lst.append(m.append(3.0))
    return m.update(1.0) + m.sum() + m.normal(0.5) + arr.sum() + len(d) + lst[-1]


def test_methods_named_like_container_methods_are_the_jitclass_methods():
    m, arr = Named(2.0), np.arange(4.0)
    assert both_kinds(m, arr) == both_kinds.py_func(m, arr)
