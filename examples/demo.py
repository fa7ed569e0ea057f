"""stickyjit demo: the three things that set it apart, each checked as it is shown.

    .venv/bin/python examples/demo.py        (or: make demo)

1. A notebook cell re-run keeps its compiled code: the cell is exec'd twice, as Jupyter runs
   it; the second run hands back the same function object and compiles nothing.
2. A second process loads from the on-disk cache: two fresh processes run the same functions
   against one cache directory; the first compiles, the second compiles nothing.
3. An array kernel beside CPython (and Numba, when it is installed): the same answer, and the
   time of the first call and of a steady call.

The demo uses private temporary cache directories (``STICKYJIT_CACHE_DIR``, as the tests do),
so what it shows never depends on the state of ``~/.cache/stickyjit``. It exits with status 1
when a claim does not hold or an answer differs from CPython's. ``STICKYJIT_DEMO_QUICK=1``
runs smaller sizes (the test suite uses it).
"""

from __future__ import annotations

import json
import linecache
import os
import shutil
import subprocess
import sys
import tempfile
import time

CHILD = sys.argv[1:] == ["--cache-child"]  # section 2's fresh processes (given their cache dir)
# Before stickyjit opens its cache (at the first compile): this process's own private cache.
_PARENT_CACHE = None if CHILD else tempfile.mkdtemp(prefix="stickyjit-demo-")
if not CHILD:
    os.environ["STICKYJIT_CACHE_DIR"] = _PARENT_CACHE
    os.environ.pop("STICKYJIT_CACHE", None)  # the demo shows the cache: never off here

import numpy as np  # noqa: E402

import stickyjit  # noqa: E402
from stickyjit import jit  # noqa: E402

QUICK = os.environ.get("STICKYJIT_DEMO_QUICK") == "1"
GRID, STEPS = (40, 5) if QUICK else (80, 10)


# --- the functions the second process loads --------------------------------------------------


@jit
def relax(grid, steps):
    """Jacobi relaxation: every interior point becomes the mean of its four neighbours."""
    a = grid.copy()
    b = grid.copy()
    n, m = a.shape
    for _ in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                b[i, j] = (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1]) * 0.25
        a, b = b, a
    return a


@jit
def harmonic(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i
    return s


def start_grid(n):
    g = np.zeros((n, n))
    g[0, :] = 100.0  # a hot edge
    g[:, 0] = np.linspace(0.0, 50.0, n)
    return g


# --- helpers ---------------------------------------------------------------------------------

_failures: list[str] = []


def claim(ok: bool, what: str) -> str:
    """Records a failed claim; returns a mark for the line that shows it."""
    if not ok:
        _failures.append(what)
    return "ok" if ok else "<-- FAILED"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.0f} µs"


def compiles() -> int:
    return stickyjit.stats()["compiles"]


def best_of(run, repeat):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t0)
    return best, result


# --- 1. a notebook cell re-run ---------------------------------------------------------------

CELL = """
from stickyjit import jit

@jit
def leibniz(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * s

result = leibniz(100_000)
"""


def run_cell(namespace: dict, number: int) -> float:
    """Runs CELL as Jupyter does: the text registered in linecache under a new name, then
    compiled and exec'd in the notebook's namespace. Returns the wall time."""
    name = f"<demo-cell-{number}>"
    linecache.cache[name] = (len(CELL), None, CELL.splitlines(True), name)
    t0 = time.perf_counter()
    exec(compile(CELL, name, "exec"), namespace)
    return time.perf_counter() - t0


def section_cell() -> None:
    print("1. A notebook cell re-run keeps its compiled code")
    ns: dict = {}
    c0 = compiles()
    t1 = run_cell(ns, 1)
    first, answer = ns["leibniz"], ns["result"]
    c1 = compiles()
    print(f"   run 1: {c1 - c0} compile,  the cell took {ms(t1)} (it compiles leibniz, then runs it)")
    t2 = run_cell(ns, 2)
    c2 = compiles()
    same = ns["leibniz"] is first
    print(f"   run 2: {c2 - c1} compiles, the cell took {ms(t2)}; the same function object: {same}  ", end="")
    print(claim(same and c2 == c1 and c1 - c0 == 1, "a re-run cell kept its compiled code"))
    expected = first.py_func(100_000)
    print(f"   leibniz(10**5) = {answer!r}, CPython: {expected!r}  {claim(answer == expected, 'leibniz')}")


# --- 2. a second process ---------------------------------------------------------------------


def cache_child() -> None:
    """Run in a fresh process: the first calls of the module's functions, timed, as JSON."""
    g = start_grid(GRID)
    t0 = time.perf_counter()
    grid = relax(g, STEPS)  # the process's first compile or load also starts LLVM's JIT
    t1 = time.perf_counter()
    h = harmonic(1000)
    t2 = time.perf_counter()
    answer = [float(grid.sum()), h]
    print(json.dumps({"stats": stickyjit.stats(), "first_calls": [t1 - t0, t2 - t1], "answer": answer}))


def run_child(cache_dir: str) -> dict:
    env = dict(os.environ, STICKYJIT_CACHE_DIR=cache_dir)
    out = subprocess.run(
        [sys.executable, __file__, "--cache-child"], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def section_cache() -> None:
    print("\n2. A second process loads from the on-disk cache")
    cache_dir = tempfile.mkdtemp(prefix="stickyjit-demo-cache-")
    try:
        runs = [run_child(cache_dir), run_child(cache_dir)]
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    for n, r in enumerate(runs, 1):
        s = r["stats"]
        print(
            f"   process {n}: {s['compiles']} compiles, {s['cache_hits']} cache hits; "
            f"first call of relax {ms(r['first_calls'][0])}, of harmonic {ms(r['first_calls'][1])}"
        )
    print("   (relax is each process's first compile or load, which also starts LLVM's JIT)")
    ok = runs[0]["stats"]["compiles"] == 2 and runs[1]["stats"]["compiles"] == 0
    ok = ok and runs[1]["stats"]["cache_hits"] == 2
    print(f"   the second process compiled nothing  {claim(ok, 'the second process loaded from the cache')}")
    same = runs[0]["answer"] == runs[1]["answer"]
    print(f"   both processes gave the same answers  {claim(same, 'cached code gave another answer')}")


# --- 3. an array kernel ----------------------------------------------------------------------


def section_arrays() -> None:
    print(f"\n3. An array kernel: relax({GRID}x{GRID} grid, {STEPS} steps), Jacobi relaxation")
    grid = start_grid(GRID)
    rows = []

    t_py, expected = best_of(lambda: relax.py_func(grid, STEPS), 1)
    rows.append(("CPython", None, t_py, True))

    t0 = time.perf_counter()
    got = relax(grid, STEPS)
    first = time.perf_counter() - t0
    steady, got = best_of(lambda: relax(grid, STEPS), 5)
    rows.append(("stickyjit", first, steady, np.array_equal(got, expected)))

    try:
        import numba
    except ImportError:
        numba = None
    if numba is not None:
        nb_relax = numba.njit(relax.py_func)
        t0 = time.perf_counter()
        nb_got = nb_relax(grid, STEPS)
        nb_first = time.perf_counter() - t0
        nb_steady, nb_got = best_of(lambda: nb_relax(grid, STEPS), 5)
        rows.append((f"Numba {numba.__version__}", nb_first, nb_steady, np.array_equal(nb_got, expected)))

    print(f"   {'':14} {'first call':>11} {'steady':>11} {'vs CPython':>11}  same answer as CPython")
    for label, first_call, t, same in rows:
        fc = "" if first_call is None else ms(first_call)
        if label == "CPython":
            print(f"   {label:14} {fc:>11} {ms(t):>11}")
            continue
        mark = claim(same, f"{label}'s answer differs from CPython's")
        print(f"   {label:14} {fc:>11} {ms(t):>11} {t_py / t:10.0f}x  {mark}")
    if numba is None:
        print("   (Numba is not installed here; `make bench` installs it into .venv)")
    print("   first call = compile + run (Numba compiles in Python, stickyjit in Rust); steady = best of 5")


def main() -> int:
    try:
        print(f"stickyjit {stickyjit.__version__} demo\n")
        section_cell()
        section_cache()
        section_arrays()
    finally:
        shutil.rmtree(_PARENT_CACHE, ignore_errors=True)
    if _failures:
        print(f"\nFAILED: {'; '.join(_failures)}", file=sys.stderr)
        return 1
    print("\nevery claim held and every answer matches CPython's")
    return 0


if __name__ == "__main__":
    if CHILD:
        cache_child()
    else:
        sys.exit(main())
