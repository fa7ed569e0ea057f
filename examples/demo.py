"""stickyjit demo: a few numeric kernels, compiled on first call and checked against CPython.

    .venv/bin/python examples/demo.py        (or: make demo)

For each kernel it prints the compiled answer next to CPython's (``f.py_func``, the undecorated
function, run with its recursive calls kept in CPython), the time of the first call (which
compiles, or loads the machine code from the on-disk cache when an earlier run compiled it), and
the steady-state speed-up over CPython (best of a few runs, timed with
``time.perf_counter``). It exits with status 1 if any
answer differs from CPython's, in value or in type.
"""

from __future__ import annotations

import math
import sys
import time
import types

import stickyjit
from stickyjit import jit


@jit
def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


@jit
def harmonic(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i
    return s


@jit
def coprime_pairs(n):
    """How many pairs 1 <= a, b <= n have gcd(a, b) == 1: three nested while loops."""
    count = 0
    a = 1
    while a <= n:
        b = 1
        while b <= n:
            x, y = a, b
            while y != 0:
                x, y = y, x % y
            if x == 1:
                count += 1
            b += 1
        a += 1
    return count


@jit
def damped_wave(n):
    s = 0.0
    for i in range(n):
        t = i * 1e-3
        s += math.exp(-0.1 * t) * math.sin(t) + math.sqrt(t) * math.cos(2.0 * t) / (1.0 + math.log1p(t))
    return s


@jit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def collatz_table(f, limit):
    """Sum of collatz_steps(k) for k < limit: one call per k, so this also times the call path."""
    total = 0
    for k in range(1, limit):
        total += f(k)
    return total


# (label, jitted function, how to run a workload with a given function, its argument)
KERNELS = [
    ("collatz_steps", collatz_steps, lambda f, n: collatz_table(f, n), 100_000),
    ("harmonic", harmonic, lambda f, n: f(n), 3_000_000),
    ("coprime_pairs", coprime_pairs, lambda f, n: f(n), 300),
    ("damped_wave", damped_wave, lambda f, n: f(n), 1_000_000),
    ("fib", fib, lambda f, n: f(n), 27),
]


def interpreted(f):
    """The CPython version of jitted ``f``: its ``py_func``, with the function's own name bound to
    that Python function, so that recursive calls stay in CPython too (in the module's globals
    the name is the jitted dispatcher, which ``f.py_func``'s recursive calls would reach)."""
    py = f.py_func
    g = dict(py.__globals__)
    copy = types.FunctionType(py.__code__, g, py.__name__, py.__defaults__, py.__closure__)
    g[py.__name__] = copy
    return copy


def best_of(run, repeat):
    best = math.inf
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t0)
    return best, result


def same(a, b):
    return type(a) is type(b) and a == b


def main() -> int:
    print(f"stickyjit {stickyjit.__version__}\n")
    header = f"{'kernel':15} {'argument':>9} {'stickyjit':>22} {'CPython':>22} {'first call':>11} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    failures = 0
    for label, f, run, arg in KERNELS:
        py = interpreted(f)
        t0 = time.perf_counter()
        small = f(1)  # the first call compiles f for (int64,); running it on 1 takes no time
        first_call = time.perf_counter() - t0
        t_jit, got = best_of(lambda run=run, f=f, arg=arg: run(f, arg), 5)
        t_py, expected = best_of(lambda run=run, py=py, arg=arg: run(py, arg), 2)
        ok = same(got, expected) and same(small, py(1))
        failures += not ok
        print(
            f"{label:15} {arg:>9} {got!r:>22} {expected!r:>22} {first_call * 1e3:9.1f}ms "
            f"{t_py / t_jit:8.0f}x{'' if ok else '   <-- DIFFERS FROM CPYTHON'}"
        )
    print()
    print("first call = f(1): compiles f for (int64,) (or loads it from the on-disk cache), then runs it on 1")
    print("speed-up = CPython time / compiled time for the workload (best of 2 and of 5 runs);")
    print("  collatz_steps is called from a Python loop once per start value, so its time includes the call path")
    print(f"signatures compiled: {', '.join(f'{f.__name__}{f.signatures}' for _, f, _, _ in KERNELS)}")
    print(f"stickyjit.stats(): {stickyjit.stats()}  (run it again: the cache serves every function)")
    if failures:
        print(f"\n{failures} kernel(s) gave an answer different from CPython's", file=sys.stderr)
        return 1
    print("\nall answers match CPython")
    return 0


if __name__ == "__main__":
    sys.exit(main())
