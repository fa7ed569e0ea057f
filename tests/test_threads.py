"""Threads: first calls, new signatures and sticky redefinitions raced from many threads never
hang and always give CPython's answer (issue 14: a lock held while Python code ran deadlocked
two threads making the same first call). Each scenario runs in a child process under a timeout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

PRELUDE = '''
import json, sys, threading
import numpy as np
from stickyjit import jit
import stickyjit

def race(n, work):
    """Runs work(k) for k in range(n) on n threads released at the same moment."""
    barrier = threading.Barrier(n)
    out = [None] * n
    errors = []
    def run(k):
        barrier.wait()
        try:
            out[k] = work(k)
        except BaseException as e:  # reported, never swallowed
            errors.append(repr(e))
    ts = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out, errors
'''


def run_child(tmp_path, body: str, timeout: float = 90) -> dict:
    script = tmp_path / "threads_child.py"
    script.write_text(PRELUDE + textwrap.dedent(body))
    try:
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child process hung (no answer in {timeout} s)")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("threads", [2, 4, 16])
def test_threads_racing_on_the_first_call(tmp_path, threads):
    r = run_child(
        tmp_path,
        f"""
        @jit
        def total(n):
            s = 0
            for i in range(n):
                s += i * i % 7
            return s

        def expected(n):
            return sum(i * i % 7 for i in range(n))

        out, errors = race({threads}, lambda k: total(1000 + k))
        print(json.dumps({{"ok": out == [expected(1000 + k) for k in range({threads})], "errors": errors,
                          "signatures": len(total.signatures)}}))
    """,
    )
    assert r == {"ok": True, "errors": [], "signatures": 1}


def test_threads_racing_on_compiles_of_new_signatures(tmp_path):
    r = run_child(
        tmp_path,
        """
        @jit
        def scale(x, y):
            return x * 3 + y

        args = [(1, 2), (1.5, 2), (True, 2.5), (7, False), (np.float32(2.0), 1), (np.int32(4), 2),
                (2.0, 3.0), (-4, -5)] * 2
        out, errors = race(len(args), lambda k: scale(*args[k]))
        want = [x * 3 + y for x, y in args]
        print(json.dumps({"ok": [float(v) for v in out] == [float(v) for v in want], "errors": errors,
                          "distinct_signatures": len(scale.signatures) == len(set(scale.signatures))}))
    """,
    )
    assert r == {"ok": True, "errors": [], "distinct_signatures": True}


def test_threads_racing_on_first_calls_of_a_program_with_callees_and_arrays(tmp_path):
    r = run_child(
        tmp_path,
        """
        @jit
        def helper(a, i):
            return a[i] * 2.0

        @jit
        def outer(a):
            s = 0.0
            for i in range(a.shape[0]):
                s += helper(a, i)
            return s

        a = np.arange(100.0)
        out, errors = race(12, lambda k: outer(a[k:]))
        print(json.dumps({"ok": out == [float((a[k:] * 2.0).sum()) for k in range(12)], "errors": errors}))
    """,
    )
    assert r == {"ok": True, "errors": []}


def test_threads_racing_on_sticky_redefinitions(tmp_path):
    # Each thread runs the same cell (a definition) in a fresh namespace and calls the result:
    # every one gets the same dispatcher back, and the answer is CPython's.
    r = run_child(
        tmp_path,
        """
        import linecache
        cell = "from stickyjit import jit\\n@jit\\ndef work(n):\\n    s = 1\\n    for i in range(n):\\n        s = (s * 31 + i) % 1000003\\n    return s\\n"
        linecache.cache["<cell-1>"] = (len(cell), None, cell.splitlines(True), "<cell-1>")
        def plain(n):
            s = 1
            for i in range(n):
                s = (s * 31 + i) % 1000003
            return s
        def run_cell(k):
            ns = {}
            exec(compile(cell, "<cell-1>", "exec"), ns)
            return id(ns["work"]), ns["work"](500 + k)
        out, errors = race(8, run_cell)
        print(json.dumps({"ok": [v for _, v in out] == [plain(500 + k) for k in range(8)], "errors": errors,
                          "one_dispatcher": len({i for i, _ in out}) == 1}))
    """,
    )
    assert r == {"ok": True, "errors": [], "one_dispatcher": True}


def test_a_forked_child_compiles(tmp_path):
    # multiprocessing's default start method here is fork: the child has the parent's compile
    # queue but not its compile thread, and must start its own (a first version hung forever).
    r = run_child(
        tmp_path,
        """
        import multiprocessing as mp

        @jit(cache=False)
        def parent_side(x):
            return x + 1

        def child(q):
            @jit(cache=False)
            def child_side(x):
                return x * 3 - 17
            q.put(child_side(5) + parent_side(2))

        parent_side(1)  # the parent's compile thread exists
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        p = ctx.Process(target=child, args=(q,))
        p.start()
        got = q.get(timeout=60)
        p.join(timeout=60)
        print(json.dumps({"got": got, "want": (5 * 3 - 17) + (2 + 1), "exitcode": p.exitcode}))
    """,
    )
    assert r["got"] == r["want"] and r["exitcode"] == 0
