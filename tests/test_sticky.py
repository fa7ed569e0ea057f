"""Sticky definitions: re-running an unchanged cell hands back the same dispatcher, with what it
compiled; a real change gives a new one. Cells are run as IPython runs them: the text is
registered in linecache under a new ``<cell-N>`` name and exec'd.
"""

from __future__ import annotations

import importlib
import itertools
import linecache
import os
import subprocess
import sys
import textwrap

import pytest

import stickyjit

_cells = itertools.count(1)

BASE = '''
from stickyjit import jit

@jit
def work(n, scale=0.5):
    """Sum of scaled residues."""
    s = 0.0
    for i in range(n):
        s += (i % 13) * scale
    return s
'''


def run_cell(src: str, namespace: dict | None = None) -> dict:
    src = textwrap.dedent(src)
    name = f"<cell-{next(_cells)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {} if namespace is None else namespace
    exec(compile(src, name, "exec"), ns)
    return ns


def compiles() -> int:
    return stickyjit.stats()["compiles"]


def test_rerunning_an_unchanged_cell_gives_the_same_object_and_compiles_nothing():
    first = run_cell(BASE)["work"]
    assert first(100) == first.py_func(100)
    before = compiles()
    for _ in range(3):
        again = run_cell(BASE)["work"]
        assert again is first
        assert again(100) == first.py_func(100)
    assert compiles() == before
    assert again.signatures == [("int64", "omitted(float64)")]  # the default, left out, is a constant


NOT_CHANGES = {
    "docstring": BASE.replace('"""Sum of scaled residues."""', '"""Another docstring."""'),
    "no docstring": BASE.replace('    """Sum of scaled residues."""\n', ""),
    "comments and blank lines": BASE.replace("    s = 0.0\n", "    # start at zero\n\n    s = 0.0  # float\n"),
    "formatting": BASE.replace("s += (i % 13) * scale", "s += ( i%13 )*scale"),
    "annotations": BASE.replace("def work(n, scale=0.5):", "def work(n: int, scale: float = 0.5) -> float:"),
    "local names": BASE.replace("s = 0.0", "acc = 0.0").replace("s += ", "acc += ").replace("return s", "return acc"),
}


@pytest.mark.parametrize("variant", NOT_CHANGES, ids=NOT_CHANGES)
def test_edits_that_are_not_changes(variant):
    first = run_cell(BASE)["work"]
    assert run_cell(NOT_CHANGES[variant])["work"] is first


REAL_CHANGES = {
    "a constant": BASE.replace("i % 13", "i % 11"),
    "an operator": BASE.replace("s += ", "s -= "),
    "a parameter name": BASE.replace("scale", "factor"),
    "a default": BASE.replace("scale=0.5", "scale=0.25"),
    "a default's type": BASE.replace("scale=0.5", "scale=1"),
    "an option": BASE.replace("@jit\n", "@jit(opt_level=2)\n"),
    "the name": BASE.replace("def work(", "def work2(").replace('"""Sum', '"""Sum'),
}


@pytest.mark.parametrize("variant", REAL_CHANGES, ids=REAL_CHANGES)
def test_real_changes_give_a_new_object_running_the_new_code(variant):
    old = run_cell(BASE)["work"]
    ns = run_cell(REAL_CHANGES[variant])
    new = ns.get("work") or ns["work2"]
    assert new is not old
    assert new(50) == new.py_func(50)
    # The old object, still held here, keeps its behaviour.
    assert old(50) == old.py_func(50)


def test_a_fresh_namespace_per_cell_still_sticks():
    # Jupyter-like tools may exec each run into a new dict: identity never uses the dict.
    a = run_cell(BASE, {})["work"]
    b = run_cell(BASE, {})["work"]
    assert a is b


def test_reload_of_a_module_keeps_its_jitted_functions(tmp_path, monkeypatch):
    mod = tmp_path / "sticky_mod.py"
    mod.write_text(BASE)
    monkeypatch.syspath_prepend(str(tmp_path))
    m = importlib.import_module("sticky_mod")
    f = m.work
    assert f(10) == f.py_func(10)
    before = compiles()
    m = importlib.reload(m)
    assert m.work is f
    assert compiles() == before
    mod.write_text(BASE.replace("i % 13", "i % 5"))
    linecache.checkcache(str(mod))
    m = importlib.reload(m)
    assert m.work is not f and m.work(10) == m.work.py_func(10)


def test_the_sticky_identity_is_the_same_in_every_process(tmp_path):
    script = tmp_path / "ident.py"
    script.write_text(
        BASE + "\nfrom stickyjit import sticky_identity\nprint(sticky_identity(work.py_func, (3, True)))\n"
    )
    outs = set()
    for seed in ("0", "1", "4242", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout.strip())
    assert len(outs) == 1 and len(outs.pop()) == 64


def test_a_changed_numeric_global_is_a_real_change():
    # The compiled code freezes G: the object made when G was 1 must not come back when it is 2.
    ns: dict = {}
    run_cell("G = 1\n", ns)
    cell = "from stickyjit import jit\n\n@jit\ndef with_global(x):\n    return x + G\n"
    first = run_cell(cell, ns)["with_global"]
    assert first(1) == 2
    assert run_cell(cell, ns)["with_global"] is first
    run_cell("G = 2\n", ns)
    second = run_cell(cell, ns)["with_global"]
    assert second is not first
    assert second(1) == 3
    run_cell("G = 2.0\n", ns)
    third = run_cell(cell, ns)["with_global"]
    assert third is not second and third(1) == 3.0


def test_a_changed_tuple_global_is_a_real_change():
    ns: dict = {}
    run_cell("W = (1.0, 2.0)\n", ns)
    cell = "from stickyjit import jit\n\n@jit\ndef affine_w(x):\n    a, b = W\n    return a * x + b\n"
    first = run_cell(cell, ns)["affine_w"]
    assert first(3.0) == 5.0
    run_cell("W = (1.0, 2.5)\n", ns)
    second = run_cell(cell, ns)["affine_w"]
    assert second is not first and second(3.0) == 5.5
