"""Stickiness and the cache through the real programs: IPython's InteractiveShell running the
same cell twice, and a notebook executed twice by nbclient in two fresh ipykernel kernels."""

from __future__ import annotations

import os

CELL = """
from stickyjit import jit

@jit
def work(n):
    s = 0.0
    for i in range(n):
        s += (i % 13) * 0.5
    return s

result = work(10_000)
"""


def test_ipython_shell_rerunning_a_cell_keeps_the_object_and_compiles_nothing():
    from IPython.core.interactiveshell import InteractiveShell

    import stickyjit

    shell = InteractiveShell.instance()
    try:
        first = shell.run_cell(CELL)
        assert first.success, first.error_in_exec
        obj = shell.user_ns["work"]
        before = stickyjit.stats()["compiles"]
        second = shell.run_cell(CELL)
        assert second.success, second.error_in_exec
        assert shell.user_ns["work"] is obj
        assert stickyjit.stats()["compiles"] == before
        assert shell.user_ns["result"] == obj.py_func(10_000)
        changed = shell.run_cell(CELL.replace("0.5", "0.25"))
        assert changed.success and shell.user_ns["work"] is not obj
        assert shell.user_ns["result"] == shell.user_ns["work"].py_func(10_000)
    finally:
        InteractiveShell.clear_instance()


NOTEBOOK_CELLS = [
    "import stickyjit, math\nfrom stickyjit import jit",
    "@jit\ndef harmonic(n):\n    s = 0.0\n    for i in range(1, n + 1):\n        s += 1.0 / i\n    return s\n\nh = harmonic(1000)",
    "@jit\ndef fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\nf = fib(20)",
    "print(h == harmonic.py_func(1000), f, stickyjit.stats()['compiles'], stickyjit.stats()['cache_hits'])",
]


def run_notebook(cache_dir: str, cells=NOTEBOOK_CELLS):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    env = dict(os.environ, STICKYJIT_CACHE_DIR=cache_dir)
    old = dict(os.environ)
    os.environ.update(env)  # the kernel inherits the environment of this process
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    out = nb.cells[-1].outputs[0]["text"].split()
    if cells is not NOTEBOOK_CELLS:
        return out
    return out[0] == "True", int(out[1]), int(out[2]), int(out[3])


def test_a_notebook_run_twice_in_fresh_kernels_loads_everything_the_second_time(tmp_path):
    cache = str(tmp_path / "cache")
    ok, fib20, compiles, hits = run_notebook(cache)
    assert ok and fib20 == 6765 and compiles == 2 and hits == 0
    ok, fib20, compiles, hits = run_notebook(cache)
    assert ok and fib20 == 6765 and compiles == 0 and hits == 2


REDEFINITION_CELLS = [
    "import stickyjit\nfrom stickyjit import jit",
    "@jit\ndef helper(x):\n    return x * 2.0 + 1.0",
    "@jit\ndef caller(n):\n    s = 0.0\n    for i in range(n):\n        s += helper(i * 0.5)\n    return s\n\nr1 = caller(100)",
    "@jit\ndef helper(x):\n    return x * 3.0 - 1.0",  # a real change; the caller's cell is not re-run
    "r2 = caller(100)",
    "print(r1 == sum(i * 0.5 * 2.0 + 1.0 for i in range(100)), r2 == sum(i * 0.5 * 3.0 - 1.0 for i in range(100)),"
    " \"'helper'\" in caller.explain(), stickyjit.stats()['compiles'])",
]


def test_redefining_a_helper_in_a_notebook_changes_its_callers_next_call(tmp_path):
    out = run_notebook(str(tmp_path / "cache"), REDEFINITION_CELLS)
    assert out == ["True", "True", "True", "2"]  # caller compiled against each helper
    # A fresh kernel running the same notebook loads both callers from the cache.
    out = run_notebook(str(tmp_path / "cache"), REDEFINITION_CELLS)
    assert out == ["True", "True", "True", "0"]
