"""Arguments left out of a call (issue 16, issue 17 item 7): a parameter whose default is a
number, a bool, a string or a tuple of them is a constant of the code compiled for calls that leave it
out (Numba's "omitted" arguments), so `def crc16(data, poly=0x8408)` compiles as if `poly` were
written `0x8408`. Results are CPython's for every way of calling; the default's value is in the
code key, so another default never loads this code from the cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from stickyjit import njit


def crc16(data, poly=0x8408):
    crc = 0xFFFF
    for b in data:
        cur_byte = 0xFF & b
        for _ in range(0, 8):
            if (crc & 0x0001) ^ (cur_byte & 0x0001):
                crc = (crc >> 1) ^ poly
            else:
                crc >>= 1
            cur_byte >>= 1
    crc = ~crc & 0xFFFF
    crc = (crc << 8) | ((crc >> 8) & 0xFF)
    return crc & 0xFFFF


def scaled(x, k=3, shift=0.5, flag=True, shape=(2, 3)):
    k += 1  # a parameter that is a constant may still be reassigned
    s = x * k + shift
    if flag:
        s += shape[0] * 10 + shape[1]
    return s


def offset(x, k=3, shift=0.5):
    return x * k + shift


@njit
def recursive_sum(n, acc=0, step=1):
    if n <= 0:
        return acc
    return recursive_sum(n - step, acc=acc + n, step=step)


@njit
def mutual_a(n, acc=0):
    if n <= 0:
        return acc
    return mutual_b(n - 1, acc + n)


@njit
def mutual_b(n, acc):
    return mutual_a(n, acc * 2)


def with_array_default(x, d=np.arange(3.0)):  # noqa: B008 - a default that is not a constant
    return x + d.sum()


def test_the_crc_kernel_with_and_without_its_default():
    data = np.random.default_rng(3).integers(0, 256, 500).astype(np.uint8)
    f = njit(crc16)
    want = crc16(data)
    assert f(data) == want
    assert f(data, 0x8408) == want
    assert f(data, poly=0x8408) == want
    assert f(data, 0xA001) == crc16(data, 0xA001)
    assert ("array(uint8, 1d, C)", "omitted(int64)") in f.signatures
    assert ("array(uint8, 1d, C)", "int64") in f.signatures
    # The code of each: the left-out `poly` is a constant there.
    omitted = f.inspect_types(("array(uint8, 1d, C)", "omitted(int64)"))
    passed = f.inspect_types(("array(uint8, 1d, C)", "int64"))
    assert "33800" in omitted and "33800" not in passed


@pytest.mark.parametrize(
    "call",
    [
        ((2.0,), {}),
        ((2.0, 5), {}),
        ((2.0,), {"shift": -1.0}),
        ((2.0,), {"flag": False}),
        ((2,), {"shape": (4, 4)}),
        ((2.0, 1, 2.0, False, (1, 1)), {}),
        ((), {"x": 1.5, "k": 7}),
    ],
)
def test_every_way_of_calling_gives_cpythons_answer(call):
    args, kwargs = call
    f = njit(scaled)
    assert f(*args, **kwargs) == scaled(*args, **kwargs)
    # Twice: the second call finds the specialization the first compiled.
    assert f(*args, **kwargs) == scaled(*args, **kwargs)


def test_each_set_of_omitted_arguments_is_its_own_specialization():
    f = njit(offset)
    assert f(2.0) == offset(2.0)
    assert f(2.0, 3) == offset(2.0, 3)
    assert f(2.0, k=3) == offset(2.0, k=3)
    assert f(2.0, shift=0.5) == offset(2.0, shift=0.5)
    names = [s[1:3] for s in f.signatures]
    assert ("omitted(int64)", "omitted(float64)") in names
    assert ("int64", "omitted(float64)") in names
    assert ("omitted(int64)", "float64") in names
    # f(2.0, 3) and f(2.0, k=3) pass the same argument: one specialization.
    assert len(f.signatures) == 3


def test_a_function_that_calls_itself_back_gets_every_argument():
    # The recursive calls pass `acc` and `step`: the code cannot take them as constants.
    for n in (0, 1, 5, 17):
        assert recursive_sum(n) == sum(range(n, 0, -1))
        assert recursive_sum(n, step=2) == sum(range(n, 0, -2))
        want, k = 0, n
        while k > 0:
            want, k = 2 * (want + k), k - 1
        assert mutual_a(n) == want


def test_a_default_that_is_not_a_constant_is_passed_as_before():
    f = njit(with_array_default)
    assert f(1.0) == with_array_default(1.0)
    assert all("omitted" not in t for s in f.signatures for t in s)


CHILD = """
import json, linecache, stickyjit
src = "def f(x, k={k}):\\n    return x * k\\n"
linecache.cache["<omitted-child>"] = (len(src), None, src.splitlines(True), "<omitted-child>")
g = {{}}
exec(compile(src, "<omitted-child>", "exec"), g)
f = stickyjit.njit(g["f"])
print(json.dumps({{"value": f(2), "stats": stickyjit.stats()}}))
"""


def test_another_default_never_loads_this_code_from_the_cache(tmp_path):
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("STICKYJIT_CACHE", None)

    def child(k):
        script = tmp_path / f"child_{k}.py"
        script.write_text(textwrap.dedent(CHILD.format(k=k)))
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    first = child(3)
    assert first["value"] == 6 and first["stats"]["cache_writes"] == 1
    again = child(3)
    assert again["value"] == 6 and again["stats"]["cache_hits"] == 1
    other = child(5)
    assert other["value"] == 10 and other["stats"]["cache_hits"] == 0


RTOL = 4 * np.finfo(float).eps
THREE = np.int64(3)
TRUE = np.bool_(True)


@njit
def tolerant(x, rtol=RTOL, n=THREE, flag=TRUE, z=0.5j):
    # QuantEcon.py's brentq: `rtol=4*np.finfo(float).eps` is a numpy.float64.
    return x + rtol, n * 2, flag, z * 2


@njit
def calls_tolerant(x):
    return tolerant(x), tolerant(x, 0.5), tolerant(x, n=5)


def test_numpy_scalar_defaults_are_filled_in_for_compiled_callers_too():
    assert calls_tolerant(1.0) == calls_tolerant.py_func(1.0)
    assert tolerant(2.0) == tolerant.py_func(2.0)


def shift_insert(a, idx, v, shift="right"):
    # stumpy's core._shift_insert_at_index: a string default chooses the direction.
    if shift == "right":
        if 0 <= idx < len(a):
            a[idx + 1 :] = a[idx:-1]
            a[idx] = v
    elif shift == "left":
        if 0 < idx <= len(a):
            a[: idx - 1] = a[1:idx]
            a[idx - 1] = v


def inserts_both_ways(a):
    # Left out, given by position and by keyword, from compiled code.
    shift_insert_jit(a, 1, 9.0)
    shift_insert_jit(a, 3, 7.0, "left")
    shift_insert_jit(a, 2, 5.0, shift="left")
    return a


def inserts_both_ways_in_python(a):
    shift_insert(a, 1, 9.0)
    shift_insert(a, 3, 7.0, "left")
    shift_insert(a, 2, 5.0, shift="left")
    return a


shift_insert_jit = njit(shift_insert)


def test_a_string_default_is_a_constant_of_the_code_as_python_runs_it():
    a = np.arange(6.0)
    for args in [(2, 5.0), (2, 5.0, "left"), (0, -1.0, "right"), (3, 4.0, "neither")]:
        want, got = a.copy(), a.copy()
        shift_insert(want, *args)
        shift_insert_jit(got, *args)
        np.testing.assert_array_equal(got, want, err_msg=str(args))
    want, got = a.copy(), a.copy()
    inserts_both_ways_in_python(want)
    njit(inserts_both_ways)(got)
    np.testing.assert_array_equal(got, want)
