"""Parallel loops against the serial loop (issue 21, point 7): embarrassingly parallel kernels
(mandelbrot, a pairwise distance matrix, a stencil over a large grid) and reductions, each
compiled serially (`prange` is `range`) and with `parallel=True`, by stickyjit and by Numba, in
fresh processes (each engine in its own, `--rounds` of them taking turns: on a shared machine
one process can be slowed throughout). Prints, per engine, the median over its processes of
each one's best of 5 calls, and the speed-ups; every answer is checked against stickyjit's
serial one.

    .venv/bin/python benches/parallel_speedup.py [--rounds 3] [--kernels mandelbrot,...]
    .venv/bin/python benches/parallel_speedup.py --scaling [--png scaling.png]

`--scaling` reports the scaling curve instead: stickyjit's parallel time of each kernel with 1,
2, 4, ... threads up to the machine's (`set_num_threads`), as a table of speed-ups over one
thread, and as a PNG chart when matplotlib is installed.
"""

from __future__ import annotations

import linecache
import math
import time

import numpy as np

KERNELS = {
    "mandelbrot": (
        """
def mandelbrot(size, max_iter):
    out = np.zeros((size, size), dtype=np.int64)
    for py in prange(size):
        for px in range(size):
            cr = -2.0 + 2.5 * px / size
            ci = -1.25 + 2.5 * py / size
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            out[py, px] = k
    return out
""",
        lambda: (800, 100),
    ),
    "pairwise distances": (
        """
def pairwise(x):
    n = x.shape[0]
    d = np.empty((n, n))
    for i in prange(n):
        for j in range(n):
            s = 0.0
            for k in range(x.shape[1]):
                t = x[i, k] - x[j, k]
                s += t * t
            d[i, j] = math.sqrt(s)
    return d
""",
        lambda: (np.random.default_rng(1).random((3000, 8)),),
    ),
    "stencil 4000x4000": (
        """
def stencil(u, v):
    for i in prange(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            v[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1]) + 0.5 * math.sin(u[i, j])
    return v
""",
        lambda: (np.random.default_rng(2).random((4000, 4000)), np.zeros((4000, 4000))),
    ),
    "reduction: sum of a function": (
        """
def reduce_sum(a):
    s = 0.0
    m = -1.0
    for i in prange(a.shape[0]):
        x = math.sqrt(a[i]) * math.exp(-a[i])
        s += x
        m = max(m, x)
    return s, m
""",
        lambda: (np.random.default_rng(3).random(20_000_000),),
    ),
    "reduction: histogram rows": (
        """
def hist_rows(x, nbins):
    h = np.zeros(nbins, dtype=np.int64)
    for b in prange(64):
        row = np.zeros(nbins, dtype=np.int64)
        for i in range(b * (x.shape[0] // 64), (b + 1) * (x.shape[0] // 64)):
            row[int(x[i] * nbins)] += 1
        h += row
    return h
""",
        lambda: (np.random.default_rng(4).random(20_000_000), 100),
    ),
}


def build(src, deco, prange):
    name = f"<speedup-{abs(hash((src, id(deco))))}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {"np": np, "math": math, "prange": prange}
    exec(compile(src, name, "exec"), ns)  # noqa: S102 - the benchmark's own source
    fname = src.split("def ", 1)[1].split("(", 1)[0]
    return deco(ns[fname])


def best(f, args, repeat=5):
    f(*args)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = f(*args)
        times.append(time.perf_counter() - t)
    return min(times), out


def same(a, b):
    if isinstance(a, tuple):
        return all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return np.allclose(a, b, rtol=1e-12, atol=0)
    return math.isclose(a, b, rel_tol=1e-9)


def scaling(png: str | None) -> None:
    import stickyjit

    top = stickyjit._native._max_threads()
    counts = [1]
    while counts[-1] * 2 <= top:
        counts.append(counts[-1] * 2)
    if counts[-1] != top:
        counts.append(top)
    curves = {}
    for kname, (src, make) in KERNELS.items():
        f = build(src, stickyjit.njit(parallel=True), stickyjit.prange)
        args = make()
        times = []
        for n in counts:
            stickyjit.set_num_threads(n)
            fresh = tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args)
            times.append(best(f, fresh)[0])
        curves[kname] = [times[0] / t for t in times]
    stickyjit.set_num_threads(top)
    print("| kernel | " + " | ".join(f"{n} thread{'s' if n > 1 else ''}" for n in counts) + " |")
    print("| --- |" + " ---: |" * len(counts))
    for kname, ups in curves.items():
        print(f"| {kname} | " + " | ".join(f"{u:.2f}x" for u in ups) + " |")
    if png:
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("no matplotlib: no chart")
            return
        fig, ax = plt.subplots(figsize=(6, 4))
        for kname, ups in curves.items():
            ax.plot(counts, ups, marker="o", label=kname)
        ax.plot(counts, counts, linestyle=":", color="grey", label="ideal")
        ax.set_xlabel("threads")
        ax.set_ylabel("speed-up over one thread")
        ax.legend(fontsize="small")
        fig.tight_layout()
        fig.savefig(png)
        print(f"written: {png}")


ENGINES = ("stickyjit serial", "stickyjit parallel", "Numba serial", "Numba parallel")


def engine(name):
    """(decorator, prange) of an engine of ENGINES."""
    if name.startswith("stickyjit"):
        import stickyjit as m
    else:
        import numba as m
    if name.endswith("parallel"):
        return m.njit(parallel=True), m.prange
    return m.njit, range


def child(kname: str, ename: str, out: str) -> None:
    """One engine on one kernel in this (fresh) process: the best of 5 calls after the first,
    and the answer, pickled to `out`."""
    import pickle

    src, make = KERNELS[kname]
    deco, pr = engine(ename)
    t, answer = best(build(src, deco, pr), make())
    with open(out, "wb") as f:
        pickle.dump({"best": t, "answer": answer}, f)


def measure(kname: str, engines, rounds: int) -> dict:
    """Each engine on kernel `kname` in `rounds` fresh processes each, the engines taking turns;
    per engine the median over the processes of each one's best time. Every answer is checked
    against the first engine's."""
    import pickle
    import subprocess
    import sys
    import tempfile

    bests = {e: [] for e in engines}
    ref = None
    with tempfile.TemporaryDirectory() as d:
        for _ in range(rounds):
            for e in engines:
                out = f"{d}/out.pkl"
                subprocess.run([sys.executable, __file__, "--child", kname, e, out], check=True)
                with open(out, "rb") as f:
                    got = pickle.load(f)
                ref = got["answer"] if ref is None else ref
                assert same(ref, got["answer"]), f"{kname}: {e}'s answer differs from {engines[0]}'s"
                bests[e].append(got["best"])
    return {e: sorted(ts) for e, ts in bests.items()}


def main():
    import argparse
    import statistics

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scaling", action="store_true", help="the scaling curve over thread counts instead")
    ap.add_argument("--png", help="with --scaling: write the chart to this file")
    ap.add_argument("--rounds", type=int, default=3, help="fresh processes per engine and kernel")
    ap.add_argument("--kernels", help="comma-separated kernel names (default: all)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    if a.scaling:
        scaling(a.png)
        return
    import stickyjit

    try:
        import numba  # noqa: F401

        engines = ENGINES
    except ImportError:
        engines = ENGINES[:2]
    names = a.kernels.split(",") if a.kernels else list(KERNELS)
    print(
        f"threads: {stickyjit.get_num_threads()}; each figure the median over {a.rounds} processes of the best of 5 calls"
    )
    head = " | ".join(engines)
    print(
        f"| kernel | {head} | stickyjit parallel speed-up | stickyjit parallel vs Numba parallel | range of that ratio |"
    )
    print("| --- |" + " ---: |" * (len(engines) + 3))
    for kname in names:
        bests = measure(kname, engines, a.rounds)
        t = {e: statistics.median(ts) for e, ts in bests.items()}
        cells = " | ".join(f"{t[e] * 1e3:.1f} ms" for e in engines)
        sj = "stickyjit parallel"
        if "Numba parallel" in t:
            nb = bests["Numba parallel"]
            vs, lo, hi = t["Numba parallel"] / t[sj], nb[0] / bests[sj][-1], nb[-1] / bests[sj][0]
            extra = f"{vs:.2f}x | {lo:.2f}-{hi:.2f}x"
        else:
            extra = "n/a | n/a"
        print(f"| {kname} | {cells} | {t['stickyjit serial'] / t[sj]:.2f}x | {extra} |", flush=True)


if __name__ == "__main__":
    main()
