"""Peak memory of fused array statements (issue 17, point 7): how much memory one call of a
stencil written as array expressions takes beyond its arguments, under stickyjit and under
Numba, each in a fresh process.

    .venv/bin/python benches/peak_memory.py [--n 3000]

Each engine's child compiles the kernel on small arrays first (so that the compiler's own memory
is not counted), then makes the n x n float64 arguments, notes its resident set, calls the
kernel once and reads the peak resident set (`ru_maxrss`): the difference is the memory the call
added at its peak (temporaries, the result). Arguments (and copies of them, for NumPy's answer,
computed after the peak is read) are made after the compile, so the compile's peak is below the
level measured from. Every answer is checked against NumPy's.

The kernels are NPBench's stencil statements (`jacobi_2d`, `heat_3d` in 2-D, `cavity_flow`'s
pressure update) with the shapes as written there: `B[1:-1, 1:-1] = ...` into another array
needs no temporary when the expression is fused into one loop; an update of an array from
overlapping slices of itself (`A[1:-1] = A[1:-1] + A[:-2]`) needs one temporary of the target's
size (NumPy's semantics: the right side is read before any of it is written).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

KERNELS = {
    "jacobi_2d": """
def kernel(A, B):
    B[1:-1, 1:-1] = 0.2 * (A[1:-1, 1:-1] + A[1:-1, :-2] + A[1:-1, 2:] + A[2:, 1:-1] + A[:-2, 1:-1])
    return B
""",
    "heat_2d": """
def kernel(A, B):
    B[1:-1, 1:-1] = (0.125 * (A[2:, 1:-1] - 2.0 * A[1:-1, 1:-1] + A[:-2, 1:-1])
                     + 0.125 * (A[1:-1, 2:] - 2.0 * A[1:-1, 1:-1] + A[1:-1, :-2]) + A[1:-1, 1:-1])
    return B
""",
    "pressure_poisson": """
def kernel(p, b):
    pn = p.copy()
    p[1:-1, 1:-1] = (((pn[1:-1, 2:] + pn[1:-1, 0:-2]) * 0.01 + (pn[2:, 1:-1] + pn[0:-2, 1:-1]) * 0.01)
                     / (2 * (0.01 + 0.01)) - 0.0001 / (2 * (0.01 + 0.01)) * b[1:-1, 1:-1])
    return p
""",
    "overlapping_update": """
def kernel(A, B):
    A[1:-1, :] = A[1:-1, :] + A[:-2, :] + B[1:-1, :]
    return A
""",
}

CHILD = r"""
import json, resource, sys
import numpy as np
engine, src, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if engine == "numba":
    import numba as jit_mod
else:
    import stickyjit as jit_mod
ns = {"np": np}
exec(compile(src, "<peak-memory>", "exec"), ns)
import linecache
linecache.cache["<peak-memory>"] = (len(src), None, src.splitlines(True), "<peak-memory>")
py = ns["kernel"]
f = jit_mod.njit(py)
small = [np.random.default_rng(k).random((8, 8)) for k in range(2)]
f(*[a.copy() for a in small])
args = [np.random.default_rng(k).random((n, n)) for k in range(2)]
copies = [a.copy() for a in args]


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


before = rss()
got = f(*args)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
want = py(*copies)  # after the peak is read: NumPy's own temporaries are not counted
assert np.array_equal(got, want) or np.allclose(got, want, rtol=1e-12, atol=0), "wrong answer"
print(json.dumps({"added": max(peak - before, 0), "array": n * n * 8}))
"""


def measure(engine: str, src: str, n: int) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, engine, src, str(n)], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="the arrays are n x n float64")
    ap.add_argument("--engines", default="stickyjit,numba")
    args = ap.parse_args(argv)
    engines = args.engines.split(",")
    mb = 2**20
    print(f"arrays {args.n} x {args.n} float64 ({args.n * args.n * 8 / mb:.0f} MB each)")
    print("| kernel | " + " | ".join(f"{e} peak added" for e in engines) + " |")
    print("| --- | " + " | ".join("---:" for _ in engines) + " |")
    for name, src in KERNELS.items():
        cells = []
        for e in engines:
            r = measure(e, src, args.n)
            cells.append(
                r["error"] if "error" in r else f"{r['added'] / mb:.0f} MB ({r['added'] / r['array']:.2f} arrays)"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
