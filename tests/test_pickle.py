"""Pickling jitted functions (docs/scaling.md), in real processes: by reference when importable,
by value otherwise (a script's ``__main__``, a notebook cell), with ``pickle`` and
``cloudpickle``; unpickled in another process on the same cache directory, a function loads its
machine code from the cache (``stickyjit.stats()``: no compile, a cache hit). Process pools
(``multiprocessing.Pool`` under fork, spawn and forkserver, ``ProcessPoolExecutor``) get their
answers checked against CPython's, computed by the parent from the Python functions.
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import subprocess
import sys
import textwrap

import pytest

from stickyjit import jit

# An importable module (pickled by reference) and a script whose functions live in __main__
# (pickled by value). `kern.poly` is a callee of a __main__ function; `kern.clamp` has options.
KERN = """
from stickyjit import jit

@jit
def poly(x):
    return 3.0 * x * x - 2.0 * x + 1.0

@jit(boundscheck=False, fastmath={"nsz"})
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
"""

SCRIPT = '''
import json, math, os, pickle, sys
import stickyjit
from stickyjit import jit
import kern
from purepy import pure_python

SCALE = 2.5
TABLE = (1.0, 4.0, 9.0)


@jit
def fact(n):
    """Recursive: it reads itself as a global."""
    if n <= 1:
        return 1
    return n * fact(n - 1)


@jit
def scaled(x):
    # A callee by reference (kern.poly through a module), frozen globals, math.
    return kern.poly(x) * SCALE + math.sqrt(abs(x)) + TABLE[1]


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


@jit("float64(float64, int64)", error_model="numpy")
def declared(x, k):
    return x / k


CASES = [
    (fact, (12,)),
    (scaled, (1.5,)),
    (scaled, (-4.0,)),
    (is_even, (7,)),
    (declared, (3.0, 0)),
    (kern.poly, (2.0,)),
    (kern.clamp, (5.0, 0.0, 1.0)),
]


def python_answer(f, args):
    if f is declared:  # error_model="numpy": x / 0 is inf, as NumPy
        return math.inf
    return pure_python(f)(*args)


BASELINE = {}


def start_worker():
    """A pool's initializer: a forked worker starts with its parent's counters."""
    BASELINE.update(stickyjit.stats())


def task(f, args):
    """What a worker runs: the compiled answer, its pid and its counters since it started."""
    result = f(*args)
    return result, os.getpid(), {k: v - BASELINE.get(k, 0) for k, v in stickyjit.stats().items()}


def call_case(i):
    return task(*CASES[i])


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "dump":
        dumps = pickle.dumps
        if sys.argv[3] == "cloudpickle":
            import cloudpickle

            dumps = cloudpickle.dumps
        for f, args in CASES:
            f(*args)  # compiled here: the cache holds every specialization
        compiled = stickyjit.stats()
        blobs = [dumps((f, args)) for f, args in CASES]
        expected = [python_answer(f, args) for f, args in CASES]
        with open(path, "wb") as out:
            pickle.dump((blobs, expected), out)
        print(json.dumps(compiled))
    elif mode == "load":
        with open(path, "rb") as inp:
            blobs, expected = pickle.load(inp)
        got = []
        for blob in blobs:
            f, args = pickle.loads(blob)
            got.append(f(*args))
        print(json.dumps({"got": got, "expected": expected, "stats": stickyjit.stats()}))
    elif mode == "pool":
        import concurrent.futures
        import multiprocessing

        kind, method = sys.argv[3], sys.argv[4]
        ctx = multiprocessing.get_context(None if method == "default" else method)
        for f, args in CASES:
            f(*args)  # the parent compiles first: workers find everything in the cache
        parent = stickyjit.stats()
        jobs = [CASES[i % len(CASES)] for i in range(4 * len(CASES))]
        if kind == "pool":
            with ctx.Pool(2, initializer=start_worker) as pool:
                results = pool.starmap(task, jobs, chunksize=1)
        else:
            with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx, initializer=start_worker) as ex:
                results = list(ex.map(task, *zip(*jobs)))
        expected = [python_answer(f, args) for f, args in jobs]
        workers = {}
        for _, pid, stats in results:
            old = workers.get(pid, {"compiles": -1})
            workers[pid] = max(old, stats, key=lambda s: (s["compiles"], s.get("cache_hits", 0)))
        print(json.dumps({"got": [r[0] for r in results], "expected": expected, "workers": list(workers.values()),
                          "parent": parent}))
'''


def run(tmp_path, *args, cache=None, timeout=180):
    (tmp_path / "kern.py").write_text(KERN)
    (tmp_path / "main.py").write_text(SCRIPT)
    here = os.path.dirname(os.path.abspath(__file__))  # purepy.py
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache or tmp_path / "cache"), PYTHONPATH=here)
    env.pop("STICKYJIT_CACHE", None)
    p = subprocess.run(
        [sys.executable, "main.py", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def same_answers(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert type(g) is type(e) and g == e, (got, expected)


@pytest.mark.parametrize("pickler", ["pickle", "cloudpickle"])
def test_a_fresh_process_unpickles_and_loads_every_function_from_the_cache(tmp_path, pickler):
    if pickler == "cloudpickle":
        pytest.importorskip("cloudpickle")  # a test dependency (Makefile); never skipped in CI
    stats = run(tmp_path, "dump", "cases.pkl", pickler)
    # The six distinct specializations the cases call (is_even's code includes is_odd's).
    assert stats["compiles"] == 6
    out = run(tmp_path, "load", "cases.pkl")
    same_answers(out["got"], out["expected"])
    # Nothing compiled: each of the six came from the cache the first process wrote.
    assert out["stats"]["compiles"] == 0
    assert out["stats"]["cache_hits"] == 6


@pytest.mark.parametrize(
    "kind, method",
    [("pool", "fork"), ("pool", "spawn"), ("pool", "forkserver"), ("executor", "spawn"), ("executor", "default")],
)
def test_process_pool_workers_get_the_right_answers_without_compiling(tmp_path, kind, method):
    out = run(tmp_path, "pool", "-", kind, method)
    same_answers(out["got"], out["expected"])
    assert out["parent"]["compiles"] == 6
    assert out["workers"], "no worker reported"
    for stats in out["workers"]:
        assert stats["compiles"] == 0, out["workers"]
    # The pool hands the tasks to whichever worker is free: a worker may have run none (all its
    # counts 0). Each one that ran a task in a fresh interpreter loaded the code from the cache
    # directory the parent wrote.
    # (A forked worker has the parent's compiled code already: its counts are all 0.)
    if method in ("spawn", "forkserver"):
        ran = [s for s in out["workers"] if any(s.values())]
        assert ran and all(s["cache_hits"] >= 1 for s in ran), out["workers"]


# ---------------------------------------------------------------------------------------------
# in this process


@jit
def module_level(x):
    return x * 2 + 1


def test_an_importable_function_pickles_by_reference():
    data = pickle.dumps(module_level)
    assert b"module_level" in data and b"return x * 2" not in data
    assert pickle.loads(data) is module_level
    assert copy.copy(module_level) is module_level and copy.deepcopy(module_level) is module_level


def test_a_main_function_pickles_by_value_and_unpickles_to_the_live_dispatcher(tmp_path):
    src = textwrap.dedent(
        """
        import pickle
        from stickyjit import jit

        @jit
        def area(r):
            return 3.0 * r * r

        data = pickle.dumps(area)
        assert b"return 3.0 * r * r" in data, data
        again = pickle.loads(data)
        assert again is area, (again, area)   # the same sticky identity: the live dispatcher
        print("ok")
        """
    )
    (tmp_path / "area.py").write_text(src)
    p = subprocess.run([sys.executable, "area.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr


def test_a_function_without_source_cannot_be_pickled_by_value_and_says_why():
    ns: dict = {"jit": jit, "__name__": "__main__"}
    exec("@jit\ndef no_source(x):\n    return x + 1\n", ns)
    with pytest.raises(pickle.PicklingError, match="no_source.*by value: its source cannot be found"):
        pickle.dumps(ns["no_source"])


def test_a_closure_cannot_be_pickled_by_value_and_says_why():
    k = 3

    @jit
    def add_k(x):
        return x + k

    with pytest.raises(pickle.PicklingError, match="enclosing function \\(k\\)"):
        pickle.dumps(add_k)


def test_a_notebook_cell_function_pickles_by_value(tmp_path):
    import linecache

    cell = "@jit(fastmath=True)\ndef cell_fn(x):\n    return x * x + OFFSET\n"
    name = "<cell-pickle-test>"
    linecache.cache[name] = (len(cell), None, cell.splitlines(True), name)
    ns: dict = {"jit": jit, "__name__": "__main__", "OFFSET": 0.5}
    exec(compile(cell, name, "exec"), ns)
    f = ns["cell_fn"]
    assert f(2.0) == f.py_func(2.0)
    data = pickle.dumps(f)
    assert b"x * x + OFFSET" in data and b"@jit" not in data
    # Another process (the test's cache directory, inherited) loads it without compiling.
    src = (
        "import pickle, sys, stickyjit\n"
        "f = pickle.loads(sys.stdin.buffer.read())\n"
        "print(f(2.0), f(3.0), stickyjit.stats()['compiles'], stickyjit.stats()['cache_hits'])\n"
    )
    p = subprocess.run([sys.executable, "-c", src], input=data, capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    a, b, compiles, hits = p.stdout.decode().split()
    assert (float(a), float(b)) == (f.py_func(2.0), f.py_func(3.0))
    assert (compiles, hits) == ("0", "1")


TASKS = """
import os
import stickyjit

BASELINE = {}


def start():
    BASELINE.update(stickyjit.stats())


def task(f, args):
    result = f(*args)
    return result, os.getpid(), {k: v - BASELINE.get(k, 0) for k, v in stickyjit.stats().items()}
"""


def test_a_notebook_function_runs_in_a_spawn_pool_loading_from_the_cache(tmp_path):
    # A real kernel (nbclient): the function lives in the kernel's __main__, which a spawned
    # worker cannot import, so it travels by value; the workers load its code from the cache.
    from test_notebooks import run_notebook

    (tmp_path / "nb_tasks.py").write_text(TASKS)
    cells = [
        f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nimport multiprocessing as mp\n"
        "import stickyjit, nb_tasks\nfrom stickyjit import jit",
        "@jit\ndef work(n):\n    s = 0.0\n    for i in range(n):\n        s += (i % 7) * 0.25\n    return s\n\nwork(10)",
        "with mp.get_context('spawn').Pool(2, initializer=nb_tasks.start) as pool:\n"
        "    out = pool.starmap(nb_tasks.task, [(work, (n,)) for n in range(100, 120)])",
        "print(all(r == work.py_func(n) for (r, _, _), n in zip(out, range(100, 120))),"
        " max(s['compiles'] for _, _, s in out), min(s['cache_hits'] for _, _, s in out),"
        " len({pid for _, pid, _ in out}))",
    ]
    right, compiles, hits, workers = run_notebook(str(tmp_path / "cache"), cells)
    assert (right, compiles, hits) == ("True", "0", "1"), (right, compiles, hits, workers)


def test_cloudpickle_register_pickle_by_value_is_honoured():
    cloudpickle = pytest.importorskip("cloudpickle")  # a test dependency (Makefile)
    module = sys.modules[__name__]
    cloudpickle.register_pickle_by_value(module)
    try:
        data = cloudpickle.dumps(module_level)
    finally:
        cloudpickle.unregister_pickle_by_value(module)
    assert b"return x * 2 + 1" in data
    assert pickle.loads(data) is module_level  # same sticky identity in this process
    assert b"return x * 2 + 1" not in cloudpickle.dumps(module_level)
