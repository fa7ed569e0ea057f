"""Jitted functions a Dask worker imports (pickled by reference: module and name), and the task
wrapper that reports what a call cost the worker (tests/test_dask.py, tests/dask_driver.py)."""

from __future__ import annotations

import os
import time

import numpy as np

import stickyjit
from stickyjit import jit


@jit
def harmonic(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i
    return s


@jit
def smooth(block):
    """A three-point moving average along each row (rows are independent: blocks split by rows
    give the whole array's answer)."""
    rows, cols = block.shape
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            lo = j - 1 if j > 0 else 0
            hi = j + 1 if j + 1 < cols else cols - 1
            out[i, j] = (block[i, lo] + block[i, j] + block[i, hi]) / 3.0
    return out


def counted(f, *args, start_at=None):
    """Runs ``f(*args)`` in the worker: (the answer, the worker's pid, what the call changed in
    its ``stickyjit.stats()``). ``start_at`` (a ``time.time()``) makes tasks on several workers
    call at the same moment."""
    if start_at is not None:
        while time.time() < start_at:
            time.sleep(0.001)
    before = stickyjit.stats()
    result = f(*args)
    after = stickyjit.stats()
    return result, os.getpid(), {k: after[k] - before[k] for k in after}


def environment():
    """What a worker sees: its cache directory and pid."""
    return os.environ.get("STICKYJIT_CACHE_DIR"), os.getpid()
