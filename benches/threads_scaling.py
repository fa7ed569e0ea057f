"""Python threads calling one jitted function at once (issue 21, point 5): the same total work
split over 1, 2, 4 and 8 threads, for `nogil=True` and for `parallel=True` (both release the
GIL), beside Numba's `nogil=True`. Prints the wall time of each and the speed-up over one thread.

    .venv/bin/python benches/threads_scaling.py
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np

SRC = """
def work(a, reps):
    s = 0.0
    for r in range(reps):
        for i in range(a.shape[0]):
            s += math.sqrt(a[i] + r)
    return s
"""


def compiled(deco):
    import linecache

    name = f"<threads-{id(deco)}>"
    linecache.cache[name] = (len(SRC), None, SRC.splitlines(True), name)
    ns = {"math": math}
    exec(compile(SRC, name, "exec"), ns)  # noqa: S102 - the benchmark's own source
    return deco(ns["work"])


def run(f, a, total_reps, threads):
    per = total_reps // threads
    f(a, 1)
    out = [None] * threads

    def go(k):
        out[k] = f(a, per)

    ts = [threading.Thread(target=go, args=(k,)) for k in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    took = time.perf_counter() - t0
    expected = f(a, per)
    assert all(o == expected for o in out), "a thread got another answer"
    return took


def main():
    import stickyjit

    engines = [
        ("stickyjit nogil=True", stickyjit.njit(nogil=True)),
        ("stickyjit parallel=True", stickyjit.njit(parallel=True)),
    ]
    try:
        import numba

        engines.append(("numba nogil=True", numba.njit(nogil=True)))
    except ImportError:
        pass
    a = np.random.default_rng(0).random(100_000)
    total = 160
    print("| engine | 1 thread | 2 threads | 4 threads | 8 threads | speed-up at 8 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, deco in engines:
        f = compiled(deco)
        times = [min(run(f, a, total, n) for _ in range(3)) for n in (1, 2, 4, 8)]
        cells = " | ".join(f"{t * 1e3:.0f} ms" for t in times)
        print(f"| {name} | {cells} | {times[0] / times[3]:.2f}x |")


if __name__ == "__main__":
    main()
