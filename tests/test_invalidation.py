"""Code compiled against a jitted callee never outlives the callee: in a notebook, re-running
the cell that redefines a helper changes what its callers run on their next call (without
re-running theirs); across processes, the code key of a caller covers every function below it
(a Merkle key), so editing a callee in another file gives a new answer and a fresh compile,
while anything unchanged still loads from the cache. Cells are run as IPython runs them
(linecache-registered text, exec'd); files are real modules run by child processes.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

from purepy import pure_python
from test_sticky import run_cell

import stickyjit

HELPER = """
from stickyjit import jit

@jit
def helper(x):
    return x * 2.0 + 1.0
"""

CALLER = """
from stickyjit import jit

@jit
def caller(n):
    s = 0.0
    for i in range(n):
        s += helper(i * 0.5)
    return s
"""


def compiles() -> int:
    return stickyjit.stats()["compiles"]


def test_redefining_a_callee_changes_what_its_callers_run():
    ns: dict = {}
    run_cell(HELPER, ns)
    caller = run_cell(CALLER, ns)["caller"]
    assert caller(10) == pure_python(caller)(10)

    run_cell(HELPER.replace("x * 2.0 + 1.0", "x * 3.0 - 1.0"), ns)  # a real change
    assert ns["caller"] is caller  # the caller's cell was not re-run
    assert caller(10) == pure_python(caller)(10) == sum(i * 0.5 * 3.0 - 1.0 for i in range(10))
    assert "'helper'" in caller.explain() and "redefined" in caller.explain()

    # Back to the first helper: the caller's first code is still loaded, so nothing compiles.
    before = compiles()
    run_cell(HELPER, ns)
    assert caller(10) == pure_python(caller)(10) == sum(i * 0.5 * 2.0 + 1.0 for i in range(10))
    assert compiles() == before


def test_a_callee_whose_types_change_recompiles_the_caller():
    ns: dict = {}
    run_cell(HELPER.replace("x * 2.0 + 1.0", "int(x) * 2"), ns)
    run_cell(CALLER.replace("s = 0.0", "s = 0").replace("i * 0.5", "i"), ns)
    caller = ns["caller"]
    got = caller(7)
    assert type(got) is int and got == pure_python(caller)(7)
    run_cell(HELPER.replace("x * 2.0 + 1.0", "x / 2"), ns)  # now returns a float: s becomes float
    got = caller(7)  # the caller's cell is not re-run
    assert type(got) is float and got == pure_python(caller)(7)


def test_a_type_error_the_new_callee_causes_is_reported_at_the_next_call():
    ns: dict = {}
    run_cell(HELPER, ns)
    caller = run_cell(CALLER, ns)["caller"]
    assert caller(3) == pure_python(caller)(3)
    run_cell(HELPER.replace("return x * 2.0 + 1.0", "return (x, x)"), ns)
    try:
        caller(3)
    except stickyjit.CompileError as e:
        assert "helper" in str(e)
    else:
        raise AssertionError("the caller kept running code compiled against the old helper")


def test_unrelated_decorations_recompile_nothing():
    ns: dict = {}
    run_cell(HELPER, ns)
    caller = run_cell(CALLER, ns)["caller"]
    caller(5)
    before = compiles()
    for i in range(5):
        run_cell(f"from stickyjit import jit\n@jit\ndef unrelated_{i}(x):\n    return x + {i}\n", ns)
        assert caller(5) == pure_python(caller)(5)
    assert compiles() == before
    assert caller.signatures == [("int64",)]


def test_rebinding_through_a_module_attribute(tmp_path, monkeypatch):
    (tmp_path / "helpmod.py").write_text(HELPER)
    monkeypatch.syspath_prepend(str(tmp_path))
    import helpmod

    ns: dict = {"helpmod": helpmod}
    caller = run_cell(CALLER.replace("helper(", "helpmod.helper("), ns)["caller"]
    assert caller(4) == pure_python(caller)(4)
    cell = HELPER.replace("x * 2.0 + 1.0", "x - 7.0")
    src = textwrap.dedent(cell)
    import linecache

    linecache.cache["<helpmod-cell>"] = (len(src), None, src.splitlines(True), "<helpmod-cell>")
    exec(compile(src, "<helpmod-cell>", "exec"), helpmod.__dict__)  # redefine inside the module
    assert caller(4) == pure_python(caller)(4) == sum(i * 0.5 - 7.0 for i in range(4))


# --- across processes, modules in files ------------------------------------------------------

CHILD = """
import json, sys
sys.path.insert(0, {tests!r})
sys.path.insert(0, {dir!r})
import stickyjit
from purepy import pure_python
import top
out = {{"jit": top.run(50), "py": pure_python(top.run)(50), "other": top.other(9), "stats": stickyjit.stats()}}
print(json.dumps(out))
"""


def run_child(workdir: Path, cache: Path) -> dict:
    script = workdir / "child.py"
    script.write_text(CHILD.format(tests=str(Path(__file__).parent), dir=str(workdir)))
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
    env.pop("STICKYJIT_CACHE", None)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


LEAF = "from stickyjit import jit\n\nK = {k}\n\n@jit\ndef leaf(x):\n    return x {op} K\n"
MID = "from stickyjit import jit\nfrom leafmod import leaf\n\n@jit\ndef mid(x, y=2):\n    return leaf(x) * {m} + leaf(y)\n"
TOP = (
    "from stickyjit import jit\nimport midmod\n\n@jit\ndef run(n):\n    t = 0\n    for i in range(n):\n"
    "        t += midmod.mid(i % {t}) - i\n    return t\n\n@jit\ndef other(n):\n    return n * 3 + 1\n"
)


def write_chain(d: Path, v: dict) -> None:
    (d / "leafmod.py").write_text(LEAF.format(k=v["k"], op=v["op"]))
    (d / "midmod.py").write_text(MID.format(m=v["m"]))
    (d / "top.py").write_text(TOP.format(t=v["t"]))


def test_editing_a_callee_in_another_file_gives_a_new_answer_in_a_new_process(tmp_path):
    cache = tmp_path / "cache"
    v = {"k": 3, "op": "+", "m": 2, "t": 7}
    write_chain(tmp_path, v)
    first = run_child(tmp_path, cache)
    assert first["jit"] == first["py"] and first["stats"]["compiles"] == 2  # run and other
    again = run_child(tmp_path, cache)
    assert again["jit"] == first["jit"] and again["stats"]["compiles"] == 0  # all from the cache
    v["k"] = 4  # a constant two files below `run`
    write_chain(tmp_path, v)
    edited = run_child(tmp_path, cache)
    assert edited["jit"] == edited["py"] != first["jit"]
    assert edited["stats"]["compiles"] == 1  # run, fresh; `other` still from the cache


def test_twenty_random_edits_never_serve_a_stale_callee(tmp_path):
    cache = tmp_path / "cache"
    rng = random.Random(20261126)
    v = {"k": 3, "op": "+", "m": 2, "t": 7}
    choices = {"k": [1, 2, 3, 4], "op": ["+", "-", "*"], "m": [1, 2, 5], "t": [3, 7]}
    seen = set()
    for _ in range(20):
        field = rng.choice(sorted(choices))
        v[field] = rng.choice(choices[field])
        write_chain(tmp_path, v)
        out = run_child(tmp_path, cache)
        assert out["jit"] == out["py"], (v, out)
        state = tuple(sorted(v.items()))
        if state in seen:
            assert out["stats"]["compiles"] == 0, (v, out)  # a combination seen before: a cache hit
        seen.add(state)
    assert len(seen) > 5


def test_a_changed_module_constant_is_a_real_change(tmp_path, monkeypatch):
    (tmp_path / "constmod.py").write_text("G = 2.0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import constmod

    ns: dict = {"constmod": constmod}
    cell = "from stickyjit import jit\n\n@jit\ndef scaled(x):\n    return constmod.G * x\n"
    first = run_cell(cell, ns)["scaled"]
    assert first(3.0) == 6.0
    assert run_cell(cell, ns)["scaled"] is first
    constmod.G = 5.0
    second = run_cell(cell, ns)["scaled"]
    assert second is not first and second(3.0) == 15.0
