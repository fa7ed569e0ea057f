"""Side-by-side benchmark harness: CPython, Numba (``njit(cache=True)``) and stickyjit.

    make bench                                   # set-up, criterion stage benches, then this
    .venv/bin/python benches/harness.py --quick  # a one-minute run while developing

Every figure comes from a fresh process (``harness.py --child SPEC`` prints one JSON line):

* ``import``: time of ``import numba`` / ``import stickyjit`` (best of ``--repeat`` processes);
* ``cold``: first call (compile + run) of a kernel with an empty cache directory;
* ``warm``: first call in a new process given the cache directory the cold run filled;
* ``steady``: best of ``--repeat`` batches of calls after the first, best over ``--rounds``
  fresh processes per engine, run in turn so that all engines see the same machine noise;
* the answer, which must equal CPython's (a wrong one is printed in red and fails the run);
* ``overhead``: ns per call of ``add1(x)`` (``return x + 1``) in a loop of 10^6, beside a plain
  ``def``;
* ``cell``: re-running an unchanged notebook cell that defines the kernel, then calling it
  (``exec`` of the same source under a new ``<cell-N>`` filename registered in linecache, as
  IPython does): the re-run (compile + exec) and the call.

Results go to ``bench-results/``: ``results.json`` (every figure, with machine, CPU, versions
and date), ``results.md`` (the table) and ``results.png`` (stickyjit's time as a ratio of
Numba's and of CPython's, per kernel and phase, log scale). The kernels live in kernels.py.

``--suite realcode`` runs instead the real-code suite (realcode.py: kernels from public Numba
code, issue 16), steady speed only, every kernel also with ``boundscheck=False``, into
``bench-results/realcode/`` (``make bench-realcode``); it reports the geometric means against
Numba and the five slowest kernels, and leaves docs/performance.md alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realcode import KERNELS as REALCODE  # noqa: E402

from kernels import BY_NAME, KERNELS  # noqa: E402

SUITES = {"kernels": KERNELS, "realcode": REALCODE}
# Children look kernels up by name in either suite (the names are distinct).
ALL_BY_NAME = {**BY_NAME, **{k.name: k for k in REALCODE}}

ENGINES = ("cpython", "numba", "stickyjit")
# stickyjit with @jit(boundscheck=False), measured on the array kernels only (steady speed):
# stickyjit checks indices by default and Numba does not, so both are compared with Numba.
NOBC = "stickyjit-nobc"
RED, GREEN, BOLD, RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"

# The bounds each run is checked against, mostly as ratios of stickyjit's figure to Numba's
# (docs/performance-design.md says where they come from).
TARGETS = {
    "import": ("import stickyjit / import numba", "<=", 0.1),
    "overhead": ("call overhead, stickyjit / numba", "<=", 0.6),
    "cold": ("cold first call, median over the suite, stickyjit / numba", "<=", 0.1),
    "warm": ("warm first call, import included, worst kernel, stickyjit / numba", "<=", 0.05),
    "cell_us": ("re-run of the five-line `work` cell (compile + exec + call), stickyjit, µs", "<=", 100),
    "steady_geomean": ("steady speed, geometric mean, stickyjit vs numba", ">=", 1.0),
    "steady_min": ("steady speed, slowest kernel, stickyjit vs numba", ">=", 0.8),
    # Not a ratio to Numba: stickyjit's own steady time of call_helper over call_inline (the same
    # work with the helper written inline). The machine code is the same (tests/test_program.py
    # compares it); the bound leaves room for process-to-process noise.
    "call_pair": ("helper call in a loop vs the same body inline, stickyjit time ratio", "<=", 1.05),
    # The array kernels, stickyjit with bounds checks (its default) and without, against Numba
    # (which does not check).
    "arrays_geomean": ("array kernels, steady speed, geometric mean, stickyjit (checked) vs numba", ">=", 0.9),
    "arrays_min": ("array kernels, steady speed, slowest kernel, stickyjit (checked) vs numba", ">=", 0.75),
    "arrays_nobc_geomean": ("array kernels, geometric mean, stickyjit boundscheck=False vs numba", ">=", 1.0),
    "bounds_cost": ("array kernels, cost of the bounds checks (checked / unchecked time), geometric mean", "<=", 1.15),
    # Issue 16: a generated function of 3,000 branches (the slowest of the BRANCHY shapes), and
    # its growth from 1,000 branches (3 is linear; the bound leaves room for noise).
    "compile_3000": ("first call of a generated 3,000-branch function, slowest shape, s", "<=", 2.0),
    "compile_growth": ("its time over the 1,000-branch function's, slowest-growing shape", "<=", 3.5),
}

# The real-code suite's bounds (issue 16): steady speed only, every kernel.
REALCODE_TARGETS = {
    "steady_geomean": ("real code, steady speed, geometric mean, stickyjit (checked) vs numba", ">=", 1.1),
    "steady_min": ("real code, steady speed, slowest kernel, stickyjit (checked) vs numba", ">=", 0.8),
    "nobc_geomean": ("real code, geometric mean, stickyjit boundscheck=False vs numba", ">=", 1.1),
}

# ---------------------------------------------------------------------------------------------
# child processes


def module_source(engine: str, kernel_source: str) -> str:
    """The module a child imports: the kernel decorated for `engine`. A kernel that loops over
    `prange` is compiled with `parallel=True` (and `prange` is `range` in CPython). Under Numba,
    `TypedList()` is `numba.typed.List()` (Numba's typed list, which issue 19 compares with);
    elsewhere it is `[]`."""
    if "TypedList()" in kernel_source:
        typed = "from numba.typed import List as TypedList\n" if engine == "numba" else ""
        kernel_source = typed + kernel_source if engine == "numba" else kernel_source.replace("TypedList()", "[]")
    if "prange(" in kernel_source:
        head = {
            "cpython": "prange = range\n\ndef _dec(f):\n    return f\n",
            "numba": "from numba import njit, prange\n_dec = njit(parallel=True, cache=True)\n",
            "stickyjit": "from stickyjit import jit as _jit, prange\n_dec = _jit(parallel=True)\n",
            NOBC: "from stickyjit import jit as _jit, prange\n_dec = _jit(boundscheck=False, parallel=True)\n",
        }[engine]
    else:
        head = {
            "cpython": "def _dec(f):\n    return f\n",
            "numba": "from numba import njit\n_dec = njit(cache=True)\n",
            "stickyjit": "from stickyjit import jit as _dec\n",
            NOBC: "from stickyjit import jit as _jit\n_dec = _jit(boundscheck=False)\n",
        }[engine]
    return "import math\n" + head + kernel_source.replace("\ndef ", "\n@_dec\ndef ")


def child_main(spec: dict) -> dict:
    """Runs one measurement in this (fresh) process; returns its figures."""
    mode = spec["mode"]
    engine = spec["engine"]
    if mode == "import":
        t0 = time.perf_counter()
        __import__({"numba": "numba", "stickyjit": "stickyjit", "cpython": "math"}[engine])
        return {"import": time.perf_counter() - t0}
    if mode == "work_cell":
        return run_work_cell()
    if mode == "compile20":
        return compile_twenty_lines(engine, spec["copies"])
    if mode == "compile_scaling":
        return compile_scaling()
    sys.path.insert(0, spec["dir"])
    if mode == "overhead":
        t0 = time.perf_counter()
        mod = __import__(spec["module"])
        f = mod.add1
        f(1)
        n = spec["calls"]
        best = math.inf
        for _ in range(3):
            t = time.perf_counter()
            for i in range(n):
                f(i)
            best = min(best, time.perf_counter() - t)
        return {"overhead_ns": best / n * 1e9}
    kernel = ALL_BY_NAME[spec["kernel"]]
    if mode == "cell":
        return run_cells(engine, kernel, spec["repeat"])
    mod = __import__(spec["module"])
    f = getattr(mod, kernel.name)
    args = eval(kernel.setup, vars(mod)) if kernel.setup else kernel.args
    t0 = time.perf_counter()
    result = f(*args)
    first = time.perf_counter() - t0
    if type(result).__module__ == "numpy" and hasattr(result, "item"):
        result = result.item()  # CPython on array elements gives NumPy scalars: compare values
    out = {"first": first, "result": repr(result), "result_type": type(result).__name__}
    if mode in ("cold", "steady"):
        # Best of `repeat` batches, each of enough calls to last about 20 ms.
        t = time.perf_counter()
        f(*args)
        once = max(time.perf_counter() - t, 1e-7)
        batch = max(1, min(10_000, int(0.02 / once)))
        best = math.inf
        for _ in range(spec["repeat"]):
            t = time.perf_counter()
            for _ in range(batch):
                f(*args)
            best = min(best, (time.perf_counter() - t) / batch)
        out["steady"] = best
    return out


# The cell re-run figure: a five-line function defined and called once, as a notebook cell.
WORK_CELL = """
from stickyjit import jit

@jit
def work(n):
    s = 0.0
    for i in range(n):
        s += (i % 13) * 0.5
    return s

work(1000)
"""


def run_work_cell() -> dict:
    """Best total time (CPython's compile + exec + the call) of re-running WORK_CELL."""
    import linecache

    totals = []
    for n in range(1, 202):
        filename = f"<cell-{n}>"
        linecache.cache[filename] = (len(WORK_CELL), None, WORK_CELL.splitlines(True), filename)
        t0 = time.perf_counter()
        exec(compile(WORK_CELL, filename, "exec"), {"__name__": "__main__"})
        totals.append(time.perf_counter() - t0)
    compiles = []
    for n in range(200):
        t0 = time.perf_counter()
        compile(WORK_CELL, f"<compile-{n}>", "exec")
        compiles.append(time.perf_counter() - t0)
    return {"work_cell_first": totals[0], "work_cell_rerun": min(totals[1:]), "work_cell_compile": min(compiles)}


def run_cells(engine: str, kernel, repeat: int) -> dict:
    """Runs the cell that defines the kernel as <cell-1> and calls it; then re-runs the same
    cell text as <cell-2>, <cell-3>, ... (IPython registers each run's text in linecache under
    a new name), each followed by the same call. Reported: the best re-run of the cell
    (``compile`` + ``exec``: what stickiness is about) and, apart, its call."""
    import linecache

    cell = module_source(engine, kernel.source).replace("cache=True", "")
    args = eval(kernel.setup, {}) if kernel.setup else kernel.args
    defines, calls = [], []
    runs = 3 if engine == "numba" else 30  # Numba recompiles on every re-run, a tenth of a second
    for n in range(1, runs + 2):
        filename = f"<cell-{n}>"
        linecache.cache[filename] = (len(cell), None, cell.splitlines(True), filename)
        ns = {"__name__": "__main__"}
        t0 = time.perf_counter()
        exec(compile(cell, filename, "exec"), ns)
        t1 = time.perf_counter()
        result = ns[kernel.name](*args)
        t2 = time.perf_counter()
        defines.append(t1 - t0)
        calls.append(t2 - t1)
    compiles = []
    for n in range(runs):
        t0 = time.perf_counter()
        compile(cell, f"<compile-{n}>", "exec")
        compiles.append(time.perf_counter() - t0)
    return {
        "cell_compile": min(compiles),
        "cell_rerun": min(defines[1:]) + min(calls[1:]),
        "cell_define": min(defines[1:]),
        "result": repr(result),
    }


# The compile-time yardstick: a 20-line function with loops, branches and a math call.
TWENTY_LINES = """
def kernel(n, x0):
    s = 0.0
    t = {seed}
    x = x0
    for i in range(n):
        if i % 3 == 0:
            s += math.sqrt(x * x + 1.0)
        elif i % 3 == 1:
            s -= x / (i + 1)
        else:
            t = (t * 7 + i) % 1009
        j = 0
        while j < 3:
            x = x * 0.5 + 0.25 * j
            j += 1
        if s > 1e6:
            break
    else:
        s += 1
    return s + t
"""


def define(src: str, filename: str) -> dict:
    """The namespace of `src` run as a module named `filename`, its text in linecache (where
    the compilers read a function's source)."""
    import linecache

    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns: dict = {}
    exec(compile(src, filename, "exec"), ns)
    return ns


def compile_twenty_lines(engine: str, copies: int) -> dict:
    """Median first-call time of `copies` distinct 20-line functions (after one untimed compile
    that pays for initialising the compiler)."""
    times = []
    for seed in range(copies + 1):
        src = module_source(engine, TWENTY_LINES.format(seed=seed)).replace("cache=True", "")
        ns = define(src, f"<twenty-lines-{seed}>")
        t0 = time.perf_counter()
        ns["kernel"](3, 1.0)
        if seed:
            times.append(time.perf_counter() - t0)
    return {"compile20": statistics.median(times)}


# Compile-time scaling (issue 16: a generated function of 3,000 branches compiled in at most 2 s,
# and growing no faster than linearly with its size): four shapes of `n` branches each.
BRANCHY = {
    "in a row": ("(5, 2.0)", "    s = 0.0\n", "    if x > {k}:\n        s += {k} * y\n"),
    "on array elements": (
        "(np.arange(10.0), 2.0)",
        "    s = 0.0\n",
        "    if x[{k7}] > {k}.5:\n        s += x[{k5}] * y + {k}\n",
    ),
    "in a loop over an array": (
        "(np.arange(10.0), 2.0)",
        "    s = 0.0\n    for i in range(x.shape[0]):\n",
        "        if x[i] > {k}.5:\n            s += x[i] / {k1}.0\n",
    ),
    "in an integer loop": (
        "(5, 2)",
        "    s = 0\n    for i in range(x):\n",
        "        if i % {k2} == 0:\n            s += {k}\n",
    ),
}


def branchy_source(shape: str, n: int) -> str:
    """A function `f(x, y)` of `n` branches of the given BRANCHY shape."""
    _, head, branch = BRANCHY[shape]
    body = "".join(branch.format(k=k, k1=k + 1, k2=k + 2, k5=k % 5, k7=k % 7) for k in range(n))
    return "import numpy as np\n\ndef f(x, y):\n" + head + body + "    return s\n"


def compile_scaling(sizes=(1000, 3000)) -> dict:
    """stickyjit's first-call time of each BRANCHY shape at each size (the compile, nearly all)."""
    import stickyjit

    out: dict = {}
    for shape, (args, _, _) in BRANCHY.items():
        for n in sizes:
            ns = define(branchy_source(shape, n), f"<branchy-{shape}-{n}>")
            f = stickyjit.jit(ns["f"])
            a = eval(args, ns)
            t0 = time.perf_counter()
            f(*a)
            out.setdefault(shape, {})[str(n)] = time.perf_counter() - t0
    return {"compile_scaling": out}


def child_env(cache_dir: str) -> dict:
    env = dict(os.environ)
    # Measure as users run: with bytecode caches (this machine's shell disables them).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NUMBA_CACHE_DIR"] = cache_dir
    env["STICKYJIT_CACHE_DIR"] = cache_dir
    env.pop("STICKYJIT_TIMINGS", None)
    env.pop("STICKYJIT_DUMP", None)
    return env


def run_child(spec: dict, cache_dir: str, timeout: float = 600) -> dict:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        env=child_env(cache_dir),
        timeout=timeout,
        cwd=spec.get("dir") or HERE,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# the parent: plan, progress, results


class Progress:
    def __init__(self, total: int):
        self.total, self.done, self.t0 = total, 0, time.perf_counter()

    def step(self, label: str):
        self.done += 1
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.t0
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {elapsed:5.0f}s {label[:40]:40}")
        sys.stderr.flush()
        if self.done == self.total:
            sys.stderr.write("\n")


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for mod in ("numba", "llvmlite", "numpy", "stickyjit"):
        try:
            m = __import__(mod)
            versions[mod] = getattr(m, "__version__", "?")
        except ImportError:
            versions[mod] = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "versions": versions,
    }


def measure(
    kernels, engines, repeat: int, import_repeat: int, overhead_calls: int, rounds: int, steady_only: bool = False
) -> dict:
    """Every figure of `kernels` on `engines`. `steady_only` (the real-code suite): no figures
    but the kernels' steady speed (and first call), and every kernel also with boundscheck=False."""
    work = tempfile.mkdtemp(prefix="sj-bench-")
    compilers = [e for e in engines if e != "cpython"]

    def engines_of(kernel):
        nobc = (steady_only or kernel.category == "arrays") and "stickyjit" in engines
        return engines + ([NOBC] if nobc else [])

    per_kernel = [
        sum(1 if steady_only or e == NOBC else 3 for e in engines_of(k)) + (rounds - 1) * len(engines_of(k))
        for k in kernels
    ]
    general = 0 if steady_only else len(compilers) * (import_repeat + 1) + len(engines)
    progress = Progress(general + sum(per_kernel))
    results: dict = {"kernels": {}, "import": {}, "overhead_ns": {}, "compile20": {}}
    try:
        for engine in [] if steady_only else engines:
            times = []
            for _ in range(import_repeat if engine != "cpython" else 0):
                r = run_child({"mode": "import", "engine": engine}, os.path.join(work, "import-cache"))
                if "import" in r:
                    times.append(r["import"])
                progress.step(f"import {engine}")
            if engine != "cpython":
                results["import"][engine] = min(times) if times else None
        for engine in [] if steady_only else engines:
            d = os.path.join(work, f"overhead-{engine}")
            os.makedirs(d)
            src = module_source(engine, "\ndef add1(x):\n    return x + 1\n").replace("cache=True", "")
            Path(d, f"ovh_{engine}.py").write_text(src)
            r = run_child(
                {"mode": "overhead", "engine": engine, "dir": d, "module": f"ovh_{engine}", "calls": overhead_calls}, d
            )
            results["overhead_ns"][engine] = r.get("overhead_ns")
            progress.step(f"call overhead {engine}")
        if "stickyjit" in engines and not steady_only:
            r = run_child({"mode": "work_cell", "engine": "stickyjit"}, os.path.join(work, "work-cell-cache"))
            results["work_cell"] = r
        for engine in [] if steady_only else compilers:
            r = run_child({"mode": "compile20", "engine": engine, "copies": 5 if engine == "numba" else 20}, work)
            results["compile20"][engine] = r.get("compile20")
            progress.step(f"compile a 20-line function, {engine}")
        if "stickyjit" in compilers and not steady_only:
            r = run_child({"mode": "compile_scaling", "engine": "stickyjit"}, os.path.join(work, "scaling-cache"))
            results["compile_scaling"] = r.get("compile_scaling")
        for kernel in kernels:
            row = results["kernels"].setdefault(kernel.name, {"category": kernel.category})
            kernel_engines = engines_of(kernel)
            for engine in kernel_engines:
                d = os.path.join(work, f"{kernel.name}-{engine}")
                cache = os.path.join(d, "cache")
                os.makedirs(cache)
                module = f"k_{kernel.name}_{engine}"
                Path(d, f"{module}.py").write_text(module_source(engine, kernel.source))
                spec = {"engine": engine, "dir": d, "module": module, "kernel": kernel.name, "repeat": repeat}
                cold = run_child({**spec, "mode": "cold"}, cache)
                progress.step(f"{kernel.name} {engine} cold")
                if engine == NOBC or steady_only:  # only its steady speed is of interest
                    warm = cell = {}
                else:
                    warm = run_child({**spec, "mode": "warm"}, cache)
                    progress.step(f"{kernel.name} {engine} warm")
                    cell = run_child({**spec, "mode": "cell", "repeat": min(repeat, 3)}, os.path.join(d, "cell-cache"))
                    progress.step(f"{kernel.name} {engine} cell")
                row[engine] = {
                    "cold": cold.get("first"),
                    "warm": warm.get("first"),
                    "steady": cold.get("steady"),
                    "steady_runs": [cold.get("steady")],
                    "result": cold.get("result"),
                    "result_type": cold.get("result_type"),
                    "cell_rerun": cell.get("cell_rerun"),
                    "cell_first": cell.get("cell_first"),
                    "cell_define": cell.get("cell_define"),
                    "cell_compile": cell.get("cell_compile"),
                    "error": cold.get("error") or warm.get("error") or cell.get("error"),
                }
            # More steady figures, each engine in turn in a fresh process, so that all engines
            # see the machine's slow and fast moments alike; the best is kept.
            for _ in range(rounds - 1):
                for engine in kernel_engines:
                    d = os.path.join(work, f"{kernel.name}-{engine}")
                    spec = {
                        "engine": engine,
                        "dir": d,
                        "module": f"k_{kernel.name}_{engine}",
                        "kernel": kernel.name,
                        "repeat": repeat,
                    }
                    r = run_child({**spec, "mode": "steady"}, os.path.join(d, "cache"))
                    entry = row[engine]
                    entry["steady_runs"].append(r.get("steady"))
                    entry["steady"] = min((t for t in entry["steady_runs"] if t), default=None)
                    progress.step(f"{kernel.name} {engine} steady")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def check_answers(results: dict) -> list[str]:
    wrong = []
    for name, row in results["kernels"].items():
        ref = row.get("cpython", {})
        # A real-code kernel tagged numba_inexact: Numba's float answer may differ from
        # CPython's in the last bits (the kernel's header says why); it is marked, not wrong.
        inexact = "numba_inexact" in ALL_BY_NAME[name].tags
        for engine in (*ENGINES, NOBC):
            r = row.get(engine)
            if r is None or engine == "cpython":
                continue
            ok = (
                r.get("error") is None
                and r.get("result") == ref.get("result")
                and r.get("result_type") == ref.get("result_type")
            )
            if not ok and inexact and engine == "numba" and r.get("result_type") == "float" == ref.get("result_type"):
                ok = r["inexact"] = math.isclose(float(r["result"]), float(ref["result"]), rel_tol=1e-12)
            r["correct"] = ok if "cpython" in row else None
            if "cpython" in row and not ok:
                wrong.append(f"{name}/{engine}: {r.get('result')} ({r.get('error')}) != CPython's {ref.get('result')}")
    return wrong


def summarize(results: dict) -> dict:
    k = results["kernels"]
    s: dict = {}

    def ratio(a, b):
        return a / b if a and b else None

    imp = results["import"]
    s["import"] = ratio(imp.get("stickyjit"), imp.get("numba"))
    ovh = results["overhead_ns"]
    s["overhead"] = ratio(ovh.get("stickyjit"), ovh.get("numba"))
    colds = [ratio(r["stickyjit"]["cold"], r["numba"]["cold"]) for r in k.values() if "stickyjit" in r and "numba" in r]
    colds = [c for c in colds if c]
    s["cold"] = statistics.median(colds) if colds else None
    warms = []
    for r in k.values():
        if "stickyjit" in r and "numba" in r and r["stickyjit"].get("warm") and r["numba"].get("warm"):
            sj = r["stickyjit"]["warm"] + (imp.get("stickyjit") or 0)
            nb = r["numba"]["warm"] + (imp.get("numba") or 0)
            warms.append(sj / nb)
    s["warm"] = max(warms) if warms else None
    wc = results.get("work_cell", {}).get("work_cell_rerun")
    s["cell_us"] = wc * 1e6 if wc else None
    # What stickyjit adds to CPython's own compile of the cell (the sticky lookup, the exec).
    extra = [
        r["stickyjit"]["cell_define"] - r["stickyjit"]["cell_compile"]
        for r in k.values()
        if "stickyjit" in r and r["stickyjit"].get("cell_compile") is not None
    ]
    s["cell_extra_us"] = max(extra) * 1e6 if extra else None
    speeds = {
        n: ratio(r["numba"]["steady"], r["stickyjit"]["steady"])
        for n, r in k.items()
        if "stickyjit" in r and "numba" in r
    }
    s["steady_by_kernel"] = speeds
    s["steady_geomean"] = geomean(speeds.values())
    s["steady_min"] = min((v for v in speeds.values() if v), default=None)
    arrays = {n: r for n, r in k.items() if r.get("category") == "arrays" and "stickyjit" in r and "numba" in r}
    checked = {n: ratio(r["numba"]["steady"], r["stickyjit"]["steady"]) for n, r in arrays.items()}
    unchecked = {n: ratio(r["numba"]["steady"], r.get(NOBC, {}).get("steady")) for n, r in arrays.items()}
    cost = {n: ratio(r["stickyjit"]["steady"], r.get(NOBC, {}).get("steady")) for n, r in arrays.items()}
    s["arrays_by_kernel"] = {n: {"checked": checked[n], "unchecked": unchecked[n], "cost": cost[n]} for n in arrays}
    s["arrays_geomean"] = geomean(checked.values()) if arrays else None
    s["arrays_min"] = min((v for v in checked.values() if v), default=None)
    s["arrays_nobc_geomean"] = geomean(unchecked.values()) if arrays else None
    s["bounds_cost"] = geomean(cost.values()) if arrays else None
    pair = [k.get(n, {}).get("stickyjit", {}).get("steady") for n in ("call_helper", "call_inline")]
    s["call_pair"] = ratio(pair[0], pair[1])
    # Every kernel run with boundscheck=False (all of the real-code suite), and the five slowest.
    nobc = {n: ratio(r["numba"]["steady"], r[NOBC]["steady"]) for n, r in k.items() if NOBC in r and "numba" in r}
    s["nobc_by_kernel"] = nobc
    s["nobc_geomean"] = geomean(nobc.values()) if nobc else None
    s["slowest"] = sorted((n for n, v in speeds.items() if v), key=speeds.get)[:5]
    scaling = results.get("compile_scaling") or {}
    s["compile_3000"] = max((t["3000"] for t in scaling.values()), default=None)
    s["compile_growth"] = max((t["3000"] / t["1000"] for t in scaling.values()), default=None)
    s["targets"] = {}
    targets = REALCODE_TARGETS if results.get("options", {}).get("suite") == "realcode" else TARGETS
    for key, (label, op, bound) in targets.items():
        v = s.get(key)
        met = None if v is None else (v <= bound if op == "<=" else v >= bound)
        s["targets"][key] = {"label": label, "value": v, "bound": f"{op} {bound}", "met": met}
    return s


def fmt_time(t):
    if t is None:
        return "n/a"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} µs"


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}x"


def table_md(results: dict, color: bool = False) -> str:
    k = results["kernels"]
    s = results["summary"]
    out = []
    out.append(
        "| kernel | category | CPython steady | Numba steady | stickyjit steady | speed vs Numba | speed vs CPython "
        "| Numba cold | stickyjit cold | Numba warm | stickyjit warm | Numba cell re-run | stickyjit cell re-run | answer |"
    )
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, row in k.items():
        py, nb, sj = row.get("cpython", {}), row.get("numba", {}), row.get("stickyjit", {})
        vs_nb = nb.get("steady") / sj["steady"] if nb.get("steady") and sj.get("steady") else None
        vs_py = py.get("steady") / sj["steady"] if py.get("steady") and sj.get("steady") else None
        correct = all(row.get(e, {}).get("correct") is not False for e in ("numba", "stickyjit"))
        answer = "ok" if correct else "WRONG"
        if color:
            answer = f"{GREEN}ok{RESET}" if correct else f"{RED}WRONG{RESET}"
        sj_warm = fmt_time(sj.get("warm"))
        out.append(
            f"| {name} | {row['category']} | {fmt_time(py.get('steady'))} | {fmt_time(nb.get('steady'))} | "
            f"{fmt_time(sj.get('steady'))} | {fmt_ratio(vs_nb)} | {fmt_ratio(vs_py)} | {fmt_time(nb.get('cold'))} | "
            f"{fmt_time(sj.get('cold'))} | {fmt_time(nb.get('warm'))} | {sj_warm} | {fmt_time(nb.get('cell_rerun'))} | "
            f"{fmt_time(sj.get('cell_rerun'))} | {answer} |"
        )
    out.append("")
    if s.get("arrays_by_kernel"):
        out.append(
            "| array kernel | Numba steady | stickyjit steady (bounds checked) | stickyjit `boundscheck=False` | checked vs Numba | unchecked vs Numba | cost of the checks |"
        )
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, a in s["arrays_by_kernel"].items():
            row = k[name]
            cost = "n/a" if a["cost"] is None else f"{(a['cost'] - 1) * 100:+.0f}%"
            out.append(
                f"| {name} | {fmt_time(row['numba'].get('steady'))} | {fmt_time(row['stickyjit'].get('steady'))} | "
                f"{fmt_time(row.get(NOBC, {}).get('steady'))} | {fmt_ratio(a['checked'])} | {fmt_ratio(a['unchecked'])} | {cost} |"
            )
        out.append("")
    imp, ovh = results["import"], results["overhead_ns"]
    out.append("| figure | CPython | Numba | stickyjit |")
    out.append("| --- | ---: | ---: | ---: |")
    out.append(f"| `import` | — | {fmt_time(imp.get('numba'))} | {fmt_time(imp.get('stickyjit'))} |")
    o = {e: (f"{ovh[e]:.0f} ns" if ovh.get(e) else "n/a") for e in ENGINES}
    out.append(f"| call overhead, `add1(x)` | {o['cpython']} (plain def) | {o['numba']} | {o['stickyjit']} |")
    wc = results.get("work_cell", {})
    if wc.get("work_cell_rerun"):
        out.append(
            f"| re-run of the five-line `work` cell: total, of which CPython's `compile` | — | — | "
            f"{wc['work_cell_rerun'] * 1e6:.0f} µs, {wc.get('work_cell_compile', 0) * 1e6:.0f} µs |"
        )
    extra = s.get("cell_extra_us")
    out.append(
        f"| cell re-run beyond CPython's own `compile` of the cell (worst kernel) | — | — | {'n/a' if extra is None else f'{extra:.0f} µs'} |"
    )
    c20 = results.get("compile20", {})
    out.append(
        f"| first call of a 20-line function (median; compile) | — | {fmt_time(c20.get('numba'))} | {fmt_time(c20.get('stickyjit'))} |"
    )
    for shape, t in (results.get("compile_scaling") or {}).items():
        out.append(
            f"| first call of a generated function of 1,000 / 3,000 branches, {shape} | — | — | "
            f"{fmt_time(t['1000'])} / {fmt_time(t['3000'])} |"
        )
    out.append("")
    out += targets_md(s["targets"], color)
    return "\n".join(out)


def targets_md(targets: dict, color: bool = False) -> list[str]:
    """The table of targets: each figure, its bound, and whether it is met."""
    out = ["| target | measured | bound | met |", "| --- | ---: | ---: | --- |"]
    for t in targets.values():
        met = {True: "yes", False: "NO", None: "n/a"}[t["met"]]
        if color and t["met"] is not None:
            met = f"{GREEN}yes{RESET}" if t["met"] else f"{RED}NO{RESET}"
        v = "n/a" if t["value"] is None else f"{t['value']:.3f}"
        out.append(f"| {t['label']} | {v} | {t['bound']} | {met} |")
    return out


def table_realcode(results: dict, color: bool = False) -> str:
    """The real-code suite's table (steady speed only), its five slowest kernels and its bounds."""
    k = results["kernels"]
    s = results["summary"]
    out = [
        "| kernel | category | CPython | Numba | stickyjit | stickyjit `boundscheck=False` | speed vs Numba "
        "| unchecked vs Numba | speed vs CPython | answer |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in k.items():
        py, nb, sj, nc = (row.get(e, {}) for e in ("cpython", "numba", "stickyjit", NOBC))
        vs_py = py.get("steady") / sj["steady"] if py.get("steady") and sj.get("steady") else None
        correct = all(row.get(e, {}).get("correct") is not False for e in ("numba", "stickyjit", NOBC))
        answer = ("ok (Numba's to 1e-12)" if nb.get("inexact") else "ok") if correct else "WRONG"
        if color:
            answer = f"{GREEN}ok{RESET}" if correct else f"{RED}WRONG{RESET}"
        out.append(
            f"| {name} | {row['category']} | {fmt_time(py.get('steady'))} | {fmt_time(nb.get('steady'))} | "
            f"{fmt_time(sj.get('steady'))} | {fmt_time(nc.get('steady'))} | {fmt_ratio(s['steady_by_kernel'].get(name))} | "
            f"{fmt_ratio(s['nobc_by_kernel'].get(name))} | {fmt_ratio(vs_py)} | {answer} |"
        )
    out += [
        "",
        "Five slowest kernels against Numba (bounds checked): "
        + ", ".join(
            f"{n} {fmt_ratio(s['steady_by_kernel'][n])} (unchecked {fmt_ratio(s['nobc_by_kernel'].get(n))})"
            for n in s["slowest"]
        )
        + ".",
        "",
    ]
    out += targets_md(s["targets"], color)
    return "\n".join(out)


def chart(results: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    k = results["kernels"]
    names = [n for n, r in k.items() if "stickyjit" in r]
    phases = [("steady", "steady call"), ("cold", "cold first call"), ("cell_rerun", "cell re-run")]
    fig, axes = plt.subplots(1, 2, figsize=(14, 0.45 * len(names) + 2.5), sharey=True)
    for ax, ref, title in (
        (axes[0], "numba", "stickyjit time / Numba time"),
        (axes[1], "cpython", "stickyjit time / CPython time"),
    ):
        h = 0.8 / len(phases)
        for i, (phase, label) in enumerate(phases):
            vals = []
            for n in names:
                a, b = k[n]["stickyjit"].get(phase), k[n].get(ref, {}).get(phase)
                vals.append(a / b if a and b else float("nan"))
            ys = [j + i * h for j in range(len(names))]
            ax.barh(ys, vals, height=h, label=label)
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_title(title + " (log; < 1 is faster)")
        ax.set_yticks([j + h for j in range(len(names))])
        ax.set_yticklabels(names)
        ax.invert_yaxis()
        ax.legend(loc="best", fontsize="small", framealpha=0.8)
    fig.suptitle(f"stickyjit vs Numba and CPython — {results['machine']['cpu']}, {results['machine']['date'][:10]}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


# docs/performance.md is written whole here, from the latest run: hand-written measurements
# (the ones behind design choices) belong in docs/performance-design.md, which this never touches.
def write_docs(results: dict, table: str, png: Path | None) -> None:
    docs = HERE.parent / "docs"
    (docs / "img").mkdir(parents=True, exist_ok=True)
    chart_md = ""
    if png is not None:
        shutil.copy(png, docs / "img" / "performance.png")
        chart_md = "![stickyjit time as a ratio of Numba's and CPython's](img/performance.png)\n\n"
    opts = results["options"]
    text = f"""# Performance

The latest run of the benchmark harness (`benches/harness.py`, kernels in `benches/kernels.py`),
every figure measured in a fresh process on the machine named below. Ratios are only meaningful
within one run: the machines this project runs on are shared and noisy. NPBench's Numba
kernels under stickyjit and Numba (`make bench-npbench`) are in [npbench.md](npbench.md).

## How to reproduce

    make bench                                   # installs Numba and matplotlib into .venv,
                                                 # runs the criterion stage benches and the harness
    .venv/bin/python benches/harness.py --quick  # about a minute
    .venv/bin/python benches/harness.py --kernels fib,tak --engines numba,stickyjit --repeat 9
    .venv/bin/python benches/harness.py --docs   # also rewrite this page

Columns: *steady* is the best of {opts["repeat"]} batches of calls (each about 20 ms) after the first call, in
the best of {opts.get("rounds", 1)} fresh processes per engine run in turn; *cold* the first
call (compile + run) in a new process with an empty cache directory; *warm* the first call in
a new process given the cache directory the cold run filled; *cell re-run* the re-run of an unchanged notebook cell that defines and calls the kernel.
*Speed vs Numba* is Numba's steady time divided by stickyjit's (above 1: stickyjit is faster).
The array kernels are also run with `@jit(boundscheck=False)` (the second table): stickyjit
checks array indices by default, Numba does not.

## Latest results

{table}

{chart_md}"""
    criterion = HERE.parent / "bench-results" / "criterion.txt"
    if criterion.exists():
        text += (
            "## Compiler stages (criterion, `benches/stages/`)\n\n"
            "Time of each stage for three functions (`add1`, the 20-line kernel, recursive `fib`),\n"
            "from the same `make bench` run (`[low estimate, estimate, high estimate]`):\n\n"
            + "\n".join("    " + line.strip() for line in criterion.read_text().splitlines() if line.strip())
            + "\n"
        )
    (docs / "performance.md").write_text(text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", choices=sorted(SUITES), default="kernels", help="kernels.py (default) or realcode.py")
    ap.add_argument("--kernels", help="comma-separated kernel names (default: all)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: cpython,numba,stickyjit")
    ap.add_argument("--repeat", type=int, default=7, help="calls for the best-of steady figure, and import processes")
    ap.add_argument("--rounds", type=int, default=3, help="fresh processes per engine and kernel for the steady figure")
    ap.add_argument("--quick", action="store_true", help="a one-minute run: five kernels, fewer repeats")
    ap.add_argument("--out", help="directory for results.{json,md,png} (bench-results/, or bench-results/realcode/)")
    ap.add_argument("--docs", action="store_true", help="also write docs/performance.md and docs/img/performance.png")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(child_main(json.loads(a.child))))
        return 0
    engines = [e for e in a.engines.split(",") if e]
    for e in engines:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r}; choose from {', '.join(ENGINES)}")
    realcode = a.suite == "realcode"
    if realcode and a.docs:
        ap.error("--docs writes docs/performance.md from the default suite only")
    by_name = {k.name: k for k in SUITES[a.suite]}
    if a.kernels:
        unknown = [n for n in a.kernels.split(",") if n not in by_name]
        if unknown:
            ap.error(f"unknown kernel(s) {', '.join(unknown)}; choose from {', '.join(by_name)}")
        kernels = [by_name[n] for n in a.kernels.split(",")]
    elif a.quick:
        quick = ("centdiff_1d", "quadratic_map", "quicksort", "ident_loops", "jacobi_1d") if realcode else None
        quick = quick or ("int_arith", "float_accum", "collatz_total", "math_calls", "fib")
        kernels = [by_name[n] for n in quick]
    else:
        kernels = SUITES[a.suite]
    repeat = 3 if a.quick else a.repeat
    results = {
        "machine": machine_info(),
        "options": {"suite": a.suite, "kernels": [k.name for k in kernels], "engines": engines, "repeat": repeat},
    }
    rounds = 1 if a.quick else max(1, a.rounds)
    results["options"]["rounds"] = rounds
    results.update(
        measure(
            kernels,
            engines,
            repeat,
            import_repeat=3 if a.quick else a.repeat,
            overhead_calls=10**6,
            rounds=rounds,
            steady_only=realcode,
        )
    )
    wrong = check_answers(results)
    results["summary"] = summarize(results)
    results["wrong_answers"] = wrong
    out = Path(a.out or HERE.parent / "bench-results" / ("realcode" if realcode else ""))
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))
    table = table_realcode if realcode else table_md
    md = table(results)
    header = (
        f"Measured {results['machine']['date']} on {results['machine']['cpu']} ({results['machine']['cpus']} CPUs), "
        f"Python {results['machine']['versions']['python']}, Numba {results['machine']['versions']['numba']}, "
        f"stickyjit {results['machine']['versions']['stickyjit']}.\n\n"
    )
    (out / "results.md").write_text(header + md + "\n")
    has_png = chart(results, out / "results.png")
    print()
    print(table(results, color=sys.stdout.isatty()))
    print(
        f"\nwritten: {out / 'results.json'}, {out / 'results.md'}"
        + (f", {out / 'results.png'}" if has_png else " (no matplotlib: no chart)")
    )
    if a.docs:
        write_docs(results, header + md, out / "results.png" if has_png else None)
    for w in wrong:
        print(f"{RED}{BOLD}wrong answer: {w}{RESET}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
