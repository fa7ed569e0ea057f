"""NumPy array globals (`COEFFS = np.array([...])` at module level), frozen into the compiled
code as Numba freezes them: read (elements, views, methods, iteration) as CPython reads them,
read-only in compiled code, copied when handed back, part of the code key and the sticky
identity (a changed array is a new function)."""

from __future__ import annotations

import json
import linecache
import os
import subprocess
import sys

import numpy as np
import pytest

from stickyjit import CompileError, jit

COEFFS = np.array([1.0, -2.0, 0.5, 3.0])
TABLE = np.arange(12, dtype=np.int32).reshape(3, 4)
STRIDED = np.arange(20.0)[::3]
FLAGS = np.array([True, False, True])
EMPTY = np.zeros((0, 3))
SCALAR_ARRAY = np.array(2.5)
RECORDS = np.zeros(2, dtype=[("x", "f8"), ("y", "i4")])


@jit
def horner(x):
    s = 0.0
    for c in COEFFS:
        s = s * x + c
    return s


@jit
def reads():
    return (
        COEFFS.sum(),
        COEFFS.shape[0],
        TABLE[1, 2],
        TABLE.sum(),
        TABLE.T[0, 1],
        TABLE[:, 1].sum(),
        STRIDED[2],
        len(STRIDED),
        FLAGS[1],
        EMPTY.shape[0],
        np.dot(COEFFS, COEFFS),
    )


@jit
def handed_back():
    return COEFFS, TABLE[1:], STRIDED


@jit
def writes():
    COEFFS[0] = 5.0
    return COEFFS[0]


@jit
def zero_d():
    return SCALAR_ARRAY + 1.0


@jit
def structured():
    return RECORDS[0]


@pytest.mark.parametrize("x", [0.0, 2.0, -1.5])
def test_a_global_array_is_read_as_cpython_reads_it(x):
    assert horner(x) == horner.py_func(x)


def test_elements_views_and_methods():
    got, want = reads(), reads.py_func()
    assert got == tuple(w.item() if hasattr(w, "item") else w for w in want)


def test_handed_back_as_copies_equal_to_the_globals():
    for got, want in zip(handed_back(), handed_back.py_func()):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype and not np.shares_memory(got, want)


def test_compiled_code_does_not_write_into_a_frozen_global():
    # As in Numba (a global array is a constant of the code): NumPy's read-only error.
    with pytest.raises(ValueError, match="read-only"):
        writes()
    assert COEFFS[0] == 1.0


def test_what_is_not_frozen_is_a_compile_error():
    with pytest.raises(CompileError, match="0-d array"):
        zero_d()
    with pytest.raises(CompileError, match="dtype compiled code does not have"):
        structured()


def jitted(src: str):
    filename = f"<global array {hash(src)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace: dict = {"np": np}
    exec(compile(src, filename, "exec"), namespace)  # noqa: S102
    return jit(namespace["f"]), namespace


def test_the_frozen_values_are_part_of_the_sticky_identity():
    src = "G = np.array([1.0, 2.0])\ndef f():\n    return G.sum()\n"
    f1, ns = jitted(src)
    assert f1() == 3.0
    f2, _ = jitted(src.replace("2.0]", "5.0]"))
    assert f2 is not f1 and f2() == 6.0


CHILD = """
import json
import numpy as np
import stickyjit
from stickyjit import jit

W = np.linspace(0.0, 1.0, {n})

@jit
def f():
    return W.sum()

print(json.dumps({{"value": f(), "stats": stickyjit.stats()}}))
"""


def test_another_array_value_never_loads_this_code_from_the_cache(tmp_path):
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("STICKYJIT_CACHE", None)

    def child(n):
        script = tmp_path / f"child_{n}.py"
        script.write_text(CHILD.format(n=n))
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    first = child(5)
    assert first["value"] == np.linspace(0.0, 1.0, 5).sum() and first["stats"]["cache_writes"] == 1
    again = child(5)
    assert again["value"] == first["value"] and again["stats"]["cache_hits"] == 1
    other = child(7)
    assert other["value"] == np.linspace(0.0, 1.0, 7).sum() and other["stats"]["cache_hits"] == 0
