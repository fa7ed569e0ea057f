"""Calls between jitted functions: differential tests against CPython (the callers and callees
run by CPython as plain functions: conftest.pure_python), errors that name the callee and its
file, and functions imported from other modules.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check, finite_floats, pure_python, small_ints
from stickyjit import CompileError, jit

SCALE = 3


@jit
def affine(x, a=2.0, b=0.5):
    return a * x + b


@jit
def uses_keywords(x):
    return affine(x) + affine(x, b=1.0) + affine(b=-1.0, x=x, a=3.0) + affine(x, 4.0)


@jit
def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@jit
def clamp_sum(n, lo, hi):
    s = 0
    for i in range(n):
        s += clamp(i * SCALE - n, lo, hi)
    return s


@jit
def mixed_types(n):
    # The same callee specialized twice: for (int, int, int) and (float, float, float).
    return clamp(n, 0, 10) + clamp(n * 0.5, 0.0, 10.0)


@jit
def level3(x):
    return x * x - 1


@jit
def level2(x, k):
    return level3(x) + level3(k)


@jit
def level1(n):
    t = 0
    for i in range(n):
        t += level2(i % 17, 3) - level3(i % 5)
    return t


@jit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@jit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


@jit
def divides(a, b):
    return a // b


@jit
def calls_divides(a, b):
    return divides(a, b) + 1


@jit
def maybe_unbound(n):
    for i in range(n):
        last = i
    return last


@jit
def calls_maybe_unbound(n):
    x = n + 1
    return maybe_unbound(n) + x


@given(finite_floats.filter(lambda v: abs(v) < 1e300))
def test_keyword_arguments_and_defaults_at_the_call_site(x):
    check(uses_keywords, x)


@given(st.integers(0, 200), small_ints, small_ints)
def test_a_helper_inside_a_loop(n, lo, hi):
    check(clamp_sum, n, lo, hi)


@given(small_ints)
def test_the_callee_is_specialized_per_call_site(n):
    check(mixed_types, n)


@given(st.integers(0, 300))
def test_a_three_level_chain(n):
    check(level1, n)


@given(st.integers(0, 400))  # CPython's own recursion limit bounds the reference run
def test_mutual_recursion(n):
    check(is_even, n)
    check(is_odd, n)


def test_a_runtime_error_in_the_callee_reaches_the_caller():
    check(calls_divides, 7, 2)
    check(calls_divides, 7, 0)  # ZeroDivisionError, CPython's message


def test_an_unbound_local_in_the_callee_is_named():
    check(calls_maybe_unbound, 3)
    check(calls_maybe_unbound, 0)  # UnboundLocalError naming 'last', the callee's local


def test_deep_mutual_recursion_raises_recursion_error_in_a_child(tmp_path):
    script = tmp_path / "pingpong.py"
    script.write_text(
        textwrap.dedent(
            """
        from stickyjit import jit
        @jit
        def ping(n):
            if n == 0:
                return 0
            return pong(n - 1) + 1
        @jit
        def pong(n):
            if n == 0:
                return 0
            return ping(n - 1) + 1
        assert ping(10000) == 10000
        try:
            ping(10**9)
        except RecursionError:
            print("RecursionError")
        assert pong(101) == 101
        """
        )
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "RecursionError"


def not_jitted(x):
    return x + 1


@jit
def calls_plain(x):
    return not_jitted(x)


def test_a_call_to_a_plain_python_function_names_it_and_suggests_jit():
    with pytest.raises(CompileError) as info:
        calls_plain(1)
    e = info.value
    assert e.construct == "call to a function that is not jitted"
    assert "not_jitted" in str(e) and "@jit" in str(e)
    assert e.lineno == calls_plain.py_func.__code__.co_firstlineno + 2


@jit
def broken_callee(x):
    y = tuple(i for i in range(x))
    return y


@jit
def calls_broken(x):
    return broken_callee(x) + 1


def test_an_error_in_a_callee_points_into_the_callee():
    with pytest.raises(CompileError) as info:
        calls_broken(1)
    e = info.value
    assert e.construct == "generator expression"
    assert e.filename == __file__
    assert e.lineno == broken_callee.py_func.__code__.co_firstlineno + 2


def test_a_global_of_another_type_is_named():
    ns = {}
    src = "from stickyjit import jit\nTABLE = [1, 2]\n@jit\ndef f(i):\n    return TABLE + i\n"
    import linecache

    linecache.cache["<table-cell>"] = (len(src), None, src.splitlines(True), "<table-cell>")
    exec(compile(src, "<table-cell>", "exec"), ns)
    with pytest.raises(CompileError) as info:
        ns["f"](0)
    assert info.value.construct == "global of an unsupported type"
    assert "'TABLE' is a list" in str(info.value)


PHYSICS = """
from stickyjit import jit
G = 6.674e-11
DIMS = (3, 2.5)

@jit
def force(m1, m2, r=1.0):
    return G * m1 * m2 / (r * r)
"""

SIM = """
from stickyjit import jit
import {mod}
from {mod} import force

@jit
def total(n, r):
    s = 0.0
    for i in range(n - 1):
        s += force(i + 1.0, i + 2.0, r)
    return s

@jit
def total_attr(n, r):
    s = 0.0
    d0, d1 = {mod}.DIMS
    for i in range(n - 1):
        s += {mod}.force(i + 1.0, m2=i + 2.0) * {mod}.G / r + d0 - d1 + {mod}.DIMS[-1] * len({mod}.DIMS)
    return s
"""


def test_functions_and_constants_imported_from_another_module(tmp_path, monkeypatch):
    (tmp_path / "physics_a.py").write_text(PHYSICS)
    (tmp_path / "sim_a.py").write_text(SIM.format(mod="physics_a"))
    monkeypatch.syspath_prepend(str(tmp_path))
    sim = importlib.import_module("sim_a")
    for n in (0, 1, 5, 50):
        check(sim.total, n, 2.0)
        check(sim.total_attr, n, 3.0)


def test_a_missing_module_attribute_is_a_name_error(tmp_path, monkeypatch):
    (tmp_path / "physics_b.py").write_text(PHYSICS)
    (tmp_path / "sim_b.py").write_text(
        "from stickyjit import jit\nimport physics_b\n@jit\ndef f(x):\n    return physics_b.nothing(x)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sim = importlib.import_module("sim_b")
    with pytest.raises(CompileError) as info:
        sim.f(1.0)
    assert "module 'physics_b' has no attribute 'nothing'" in str(info.value)


def test_calls_are_inlined_where_llvm_chooses():
    clamp_sum(3, 1, 2)
    llvm = clamp_sum.inspect_llvm(("int64", "int64", "int64"))
    calls = [line for line in llvm.splitlines() if " call " in line]
    # clamp was inlined: only intrinsics left, and the Ctrl-C poll on its cold path
    assert all("@llvm." in line or "@sj_rt_poll()" in line for line in calls), calls
    assert llvm.count("define ") == 1


def test_a_helper_called_in_a_loop_compiles_to_the_same_instructions_as_its_body_inline():
    # The benchmark pair of benches/kernels.py: the call costs nothing because none is left.
    import linecache
    import re

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benches"))
    try:
        from harness import module_source

        from kernels import BY_NAME
    finally:
        sys.path.pop(0)
    ns: dict = {}
    for name in ("call_helper", "call_inline"):
        src = module_source("stickyjit", BY_NAME[name].source)
        filename = f"<bench-{name}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        exec(compile(src, filename, "exec"), ns)
    helper, inline = ns["call_helper"], ns["call_inline"]
    assert helper(1000) == inline(1000) == pure_python(helper)(1000)

    def opcodes(f):
        asm = f.inspect_asm(("int64",))
        lines = [line.split("#")[0].strip() for line in asm.splitlines()]
        return sorted(
            re.split(r"\s", line)[0] for line in lines if line and not line.startswith(".") and not line.endswith(":")
        )

    # The same instructions (registers may differ), except the Ctrl-C poll: the helper's loop is
    # the outermost loop of its own function, so it polls once per chunk of 2^16 iterations (a
    # compare and a cold call, docs/architecture.md), where the inline copy, an inner loop, does
    # not. The harness times the two equal (call_pair).
    from collections import Counter

    h, i = Counter(opcodes(helper)), Counter(opcodes(inline))
    assert sum((h - i).values()) <= 8 and sum((i - h).values()) <= 8, (h - i, i - h)
    assert any("sj_rt_poll" in line for line in helper.inspect_asm(("int64",)).splitlines())
