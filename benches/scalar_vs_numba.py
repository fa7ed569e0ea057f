"""Scalar kernels side by side: CPython, Numba (njit) and stickyjit, measured in one run.

    .venv/bin/python benches/scalar_vs_numba.py          # needs numba in .venv (never a dependency)

Prints per kernel the steady-state time of each engine (best of N), stickyjit's speed as a
ratio of Numba's, the first-call compile time of each, and the import times. The permanent,
extensible harness comes with the benchmark issue; this script is the check for the scalar
compiler's targets.
"""
from __future__ import annotations

import math
import subprocess
import sys
import time

KERNELS_SRC = '''
import math

def int_arith(n):
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) % 1000003
        acc ^= i << 3
    return acc

def float_accum(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i - 0.5 / (i + 1.0)
    return s

def nested_while(n):
    total = 0
    i = 0
    while i < n:
        j = 0
        while j < i % 97:
            total += (i ^ j) & 7
            j += 1
        i += 1
    return total

def math_calls(n):
    s = 0.0
    for i in range(n):
        x = i * 0.001
        s += math.sin(x) * math.exp(-x * 0.01) + math.sqrt(x + 1.0)
    return s

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def collatz_total(n):
    total = 0
    for k in range(1, n):
        m = k
        while m != 1:
            m = m // 2 if m % 2 == 0 else 3 * m + 1
            total += 1
    return total
'''

ARGS = {
    "int_arith": (2_000_000,),
    "float_accum": (2_000_000,),
    "nested_while": (20_000,),
    "math_calls": (500_000,),
    "fib": (27,),
    "collatz_total": (100_000,),
}
CPY_ARGS = {"int_arith": (200_000,), "float_accum": (200_000,), "nested_while": (2_000,),
            "math_calls": (50_000,), "fib": (20,), "collatz_total": (10_000,)}


def load(decorator_src: str, name: str):
    import linecache
    filename = f"<bench-{name}>"
    src = decorator_src + KERNELS_SRC.replace("\ndef ", "\n@_dec\ndef ")
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns: dict = {}
    exec(compile(src, filename, "exec"), ns)
    return ns


def best(f, args, repeat=5):
    t = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        f(*args)
        t = min(t, time.perf_counter() - t0)
    return t


def best_pair(f, g, args, rounds=15):
    """Best-of-N of two engines, interleaved so that both see the same machine noise."""
    tf = tg = math.inf
    for _ in range(rounds):
        tf = min(tf, best(f, args, 1))
        tg = min(tg, best(g, args, 1))
    return tf, tg


# A 20-line function (the compile-time yardstick): loops, branches, a math call.
TWENTY_LINES = '''
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
'''


def compile_times(decorator, copies: int = 30) -> list[float]:
    """First-call time (compile + a negligible run) of `copies` distinct 20-line functions."""
    import linecache
    out = []
    for seed in range(copies + 1):
        src = TWENTY_LINES.format(seed=seed)
        filename = f"<bench-20-lines-{decorator.__module__}-{seed}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        ns = {"math": math}
        exec(compile(src, filename, "exec"), ns)
        f = decorator(ns["kernel"])
        t0 = time.perf_counter()
        f(3, 1.0)
        if seed:  # the first one also pays for initialising LLVM
            out.append(time.perf_counter() - t0)
    return sorted(out)


def import_time(mod: str) -> float:
    code = f"import time; t=time.perf_counter(); import {mod}; print(time.perf_counter()-t)"
    times = [float(subprocess.check_output([sys.executable, "-c", code])) for _ in range(5)]
    return min(times)


def main():
    py = load("_dec = lambda f: f\n", "py")
    sj = load("from stickyjit import jit as _dec\n", "sj")
    nb = load("from numba import njit as _dec\n", "nb")
    print(f"{'kernel':15} {'cpython*':>10} {'numba':>10} {'stickyjit':>10} {'sj/nb speed':>11} {'nb compile':>11} {'sj compile':>11}")
    ratios = []
    for name, args in ARGS.items():
        t0 = time.perf_counter(); r_sj = sj[name](*args); c_sj = time.perf_counter() - t0
        t0 = time.perf_counter(); r_nb = nb[name](*args); c_nb = time.perf_counter() - t0
        r_py = py[name](*CPY_ARGS[name])
        assert sj[name](*CPY_ARGS[name]) == r_py, name
        assert r_sj == r_nb or abs(r_sj - r_nb) <= 1e-9 * abs(r_nb), (name, r_sj, r_nb)
        t_sj, t_nb = best_pair(sj[name], nb[name], args)
        t_py = best(py[name], CPY_ARGS[name], 2) * (args[0] / CPY_ARGS[name][0] if name != "fib" else 1.618 ** (args[0] - CPY_ARGS[name][0]))
        ratio = t_nb / t_sj
        ratios.append(ratio)
        print(f"{name:15} {t_py*1e3:9.1f}ms {t_nb*1e3:9.2f}ms {t_sj*1e3:9.2f}ms {ratio:10.2f}x {(c_nb - t_nb)*1e3:9.1f}ms {(c_sj - t_sj)*1e3:9.1f}ms")
    geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"geometric mean of stickyjit speed / Numba speed: {geo:.2f}x (min {min(ratios):.2f}x)")
    print("(* CPython time extrapolated from a smaller input)")
    from stickyjit import jit
    from numba import njit
    for label, dec, copies in (("stickyjit", jit, 30), ("numba", njit, 5)):
        ts = compile_times(dec, copies)
        print(f"compile a 20-line function, {label}: median {ts[len(ts) // 2]*1e3:.1f} ms, min {ts[0]*1e3:.1f} ms, max {ts[-1]*1e3:.1f} ms ({len(ts)} functions)")
    print(f"import stickyjit: {import_time('stickyjit')*1e3:.1f} ms   import numba: {import_time('numba')*1e3:.1f} ms")


if __name__ == "__main__":
    main()
