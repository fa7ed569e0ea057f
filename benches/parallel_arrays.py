"""Array expressions under ``parallel=True`` (issue 21, point 4), in one process: stickyjit
``parallel=True`` against serial stickyjit and Numba's ``parallel=True`` (and serial Numba),
each kernel's best of ``--repeat`` calls on ``--n`` elements; then, with ``--threshold``, the
time of one cheap expression at sizes around the threshold, parallel and serial.

    python benches/parallel_arrays.py [--n 10000000] [--repeat 7] [--threshold]

Needs Numba importable (the main venv has it) and this checkout's stickyjit (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import linecache
import time

import numpy as np

SOURCES = {
    "mul_add_sin": "def mul_add_sin(a, b):\n    return a * b + np.sin(a)\n",
    "axpy": "def axpy(a, b):\n    return 2.5 * a + b\n",
    "poly": "def poly(a, b):\n    return (a - 1.5) * (b + a) / (np.abs(b) + 1.0) - np.sqrt(np.abs(a))\n",
    "stencil": "def stencil(a, b):\n    out = np.empty_like(a)\n    out[1:-1] = a[2:] - a[:-2]\n    return out\n",
    "iadd": "def iadd(a, b):\n    a += b\n    return a\n",
    "rows": "def rows(a, b):\n    m = a.reshape(1000, -1)\n    return m * b[: m.shape[1]] + 1.0\n",
    "max": "def max(a, b):\n    return a.max()\n",
    "int_sum": "def int_sum(a, b):\n    return a.sum()\n",
    "float_sum": "def float_sum(a, b):\n    return a.sum()\n",
}


def compile_all(engine: str, parallel: bool):
    if engine == "numba":
        from numba import njit
    else:
        from stickyjit import njit
    out = {}
    for name, src in SOURCES.items():
        ns = {"np": np}
        filename = f"<parallel_arrays {name}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        exec(compile(src, filename, "exec"), ns)
        out[name] = njit(parallel=parallel)(ns[name])
    return out


def best(f, args, repeat):
    f(*args)  # compile and warm
    times = []
    for _ in range(repeat):
        fresh = [a.copy() for a in args]  # `iadd` writes its first argument
        t = time.perf_counter()
        f(*fresh)
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threshold", action="store_true")
    opts = ap.parse_args()
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(opts.n), rng.standard_normal(opts.n)
    engines = {
        "sj parallel": compile_all("stickyjit", True),
        "sj serial": compile_all("stickyjit", False),
        "numba parallel": compile_all("numba", True),
        "numba serial": compile_all("numba", False),
    }
    print(f"n = {opts.n}, best of {opts.repeat}, milliseconds")
    print(f"{'kernel':14}" + "".join(f"{e:>16}" for e in engines) + f"{'sj par/serial':>15}{'sj/numba par':>14}")
    ints = (a * 1000).astype(np.int64)
    for name in SOURCES:
        args = (ints, b) if name == "int_sum" else (a, b)
        ms = {e: best(fs[name], args, opts.repeat) * 1e3 for e, fs in engines.items()}
        row = "".join(f"{ms[e]:16.2f}" for e in engines)
        speedup = ms["sj serial"] / ms["sj parallel"]
        vs = ms["numba parallel"] / ms["sj parallel"]
        print(f"{name:14}{row}{speedup:14.2f}x{vs:13.2f}x")
    if opts.threshold:
        par, ser = engines["sj parallel"]["axpy"], engines["sj serial"]["axpy"]
        par2, ser2 = engines["sj parallel"]["mul_add_sin"], engines["sj serial"]["mul_add_sin"]
        print("\nsize: axpy serial/parallel us, mul_add_sin serial/parallel us")
        for k in range(10, 21):
            n = 1 << k
            x, y = a[:n].copy(), b[:n].copy()
            r = max(opts.repeat, 200)
            t = [best(f, (x, y), r) * 1e6 for f in (ser, par, ser2, par2)]
            print(f"2^{k:<3} {t[0]:9.1f} {t[1]:9.1f}   {t[2]:9.1f} {t[3]:9.1f}")


if __name__ == "__main__":
    main()
