"""Runs jitted functions on a real ``distributed.LocalCluster`` whose worker processes share one
stickyjit cache directory, and prints what happened as JSON (tests/test_dask.py reads it).

    python dask_driver.py CACHE_DIR OUT_DIR

Phases, each through ``client.submit``, ``client.map``, ``dask.delayed`` and
``dask.array.map_blocks``, with functions of an importable module (``dask_kernels``: pickled by
reference) and of a notebook-like cell (``exec`` of registered source: pickled by value):

* ``warm``: everything runs on the first worker only (it compiles);
* ``others``: the same runs on each other worker (their first calls: cache hits, 0 compiles);
* ``spread``: many tasks over every worker, answers checked (nothing compiles);
* ``stampede``: rounds of a new function each, called by every worker at the same instant (all
  compile the same key at once); the functions are pickled to OUT_DIR for a fresh process to
  load from the cache.

Every answer is compared here with the Python function's own (``py_func``) on the same input.
"""

from __future__ import annotations

import json
import linecache
import logging
import math
import os
import sys
import time

import cloudpickle
import dask
import dask.array as da
import dask_kernels
import numpy as np
from dask_kernels import counted, harmonic, smooth
from distributed import Client, LocalCluster, wait

import stickyjit
from stickyjit import jit

TIMEOUT = 90  # seconds for any one wait on the cluster

# A notebook cell: source registered in linecache under a pseudo-file name, exec'd into a
# namespace whose __name__ is __main__, so the functions travel by value.
CELL = """
@jit
def wave(x):
    return math.sqrt(x * x + 1.0) * SCALE - x / 3.0


@jit
def scale_rows(block):
    rows, cols = block.shape
    out = np.empty((rows, cols))
    for i in range(rows):
        w = 1.0 / (i + 1.0)
        for j in range(cols):
            out[i, j] = block[i, j] * w + SCALE
    return out
"""


def cell(source, name, **namespace):
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    ns = {"__name__": "__main__", "jit": jit, "math": math, "np": np, **namespace}
    exec(compile(source, name, "exec"), ns)
    return ns


def results(futures):
    wait(futures, timeout=TIMEOUT)
    return [f.result(timeout=TIMEOUT) for f in futures]


def main():
    cache_dir, out_dir = sys.argv[1], sys.argv[2]
    ns = cell(CELL, "<cell 1>", SCALE=2.5)
    wave, scale_rows = ns["wave"], ns["scale_rows"]
    grid = np.arange(48 * 30, dtype=np.float64).reshape(48, 30) % 17.0 - 4.0
    out = {"checks": []}

    def check(what, got, expected):
        if isinstance(expected, np.ndarray):
            ok = isinstance(got, np.ndarray) and got.dtype == expected.dtype and np.array_equal(got, expected)
        else:
            ok = type(got) is type(expected) and got == expected
        out["checks"].append([what, bool(ok), repr(got)[:200], repr(expected)[:200]])

    # The workers' cache directory is given in their environment (the parent's own is another).
    with (
        LocalCluster(
            n_workers=3,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            env={"STICKYJIT_CACHE_DIR": cache_dir},
        ) as cluster,
        Client(cluster, timeout=TIMEOUT) as client,
    ):
        client.wait_for_workers(3, timeout=TIMEOUT)
        workers = sorted(client.scheduler_info()["workers"])
        out["environment"] = list(client.run(dask_kernels.environment).values())
        before = client.run(stickyjit.stats)

        def run_everything(where, tag):
            """Each function through each API once, on workers `where` (None: anywhere)."""
            pin = {"workers": where, "allow_other_workers": False} if where else {}
            calls = []
            f1 = client.submit(counted, harmonic, 2000, pure=False, **pin)
            f2 = client.submit(counted, wave, 1.5, pure=False, **pin)
            calls += [("submit harmonic", f1, harmonic.py_func(2000)), ("submit wave", f2, wave.py_func(1.5))]
            ns_ = [500 + k for k in range(6)]
            xs = [0.25 * k - 1.0 for k in range(6)]
            m1 = client.map(harmonic, ns_, pure=False, **pin)
            m2 = client.map(wave, xs, pure=False, **pin)
            calls += [(f"map harmonic {n}", f, harmonic.py_func(n)) for n, f in zip(ns_, m1)]
            calls += [(f"map wave {x}", f, wave.py_func(x)) for x, f in zip(xs, m2)]
            # Keys of their own in each phase (pure=False, a named array): a phase must not reuse a
            # result the scheduler still holds from the one before, which would run nothing.
            d = lambda f: dask.delayed(f, pure=False)  # noqa: E731
            total = d(sum)([d(harmonic)(n) for n in ns_] + [d(wave)(x) for x in xs])
            calls.append(
                (
                    "delayed sum",
                    client.compute(total, **pin),
                    sum([harmonic.py_func(n) for n in ns_] + [wave.py_func(x) for x in xs]),
                )
            )
            arr = da.from_array(grid, chunks=(12, 30), name=f"grid-{tag}")  # by rows: C-contiguous blocks
            meta = np.empty((0, 0))
            sm = arr.map_blocks(smooth, dtype=np.float64, meta=meta)
            sc = arr.map_blocks(scale_rows, dtype=np.float64, meta=meta)
            sc_expected = np.concatenate([scale_rows.py_func(grid[r : r + 12]) for r in range(0, 48, 12)])
            calls.append(("map_blocks smooth", client.compute(sm, **pin), smooth.py_func(grid)))
            calls.append(("map_blocks scale_rows", client.compute(sc, **pin), sc_expected))
            for what, fut, expected in calls:
                got = fut.result(timeout=TIMEOUT)
                if what.startswith("submit"):
                    got = got[0]
                check(f"{tag}: {what}", got, expected)

        run_everything([workers[0]], "warm")
        out["after_warm"] = delta(client.run(stickyjit.stats), before)
        for w in workers[1:]:
            run_everything([w], f"others {w}")
        out["after_others"] = delta(client.run(stickyjit.stats), before)
        run_everything(None, "spread")
        out["after_spread"] = delta(client.run(stickyjit.stats), before)
        out["workers"] = workers

        # Stampede: every worker calls a new function (a new code key) at the same instant.
        rounds, blobs = [], []
        for r in range(6):
            src = f"@jit\ndef fresh_{r}(x, n):\n    s = x\n    for i in range(n):\n        s = s * 0.5 + {r + 1}.0 / (i + 1)\n    return s\n"
            f = cell(src, f"<cell stampede {r}>")[f"fresh_{r}"]
            start = time.time() + 1.0
            futs = [
                client.submit(
                    counted, f, 1.5, 4000 + r, start_at=start, workers=[w], allow_other_workers=False, pure=False
                )
                for w in workers
            ]
            got = results(futs)
            expected = f.py_func(1.5, 4000 + r)
            for (value, _pid, _stats), w in zip(got, workers):
                check(f"stampede {r} {w}", value, expected)
            rounds.append([s for _, _, s in got])
            blobs.append((f, (1.5, 4000 + r), expected))
        out["stampede"] = rounds
        out["after_stampede"] = delta(client.run(stickyjit.stats), before)
    with open(os.path.join(out_dir, "stampede.pkl"), "wb") as fh:
        cloudpickle.dump(blobs, fh)
    print(json.dumps(out))


def delta(now, before):
    return {w: {k: v - before.get(w, {}).get(k, 0) for k, v in s.items()} for w, s in now.items()}


if __name__ == "__main__":
    main()
