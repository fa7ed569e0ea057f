"""Shared helpers for the stickyjit test suite.

* A hypothesis profile: no deadline (the first example of a test includes a compile),
  ``max_examples`` from ``STICKYJIT_HYPOTHESIS_EXAMPLES`` (default 60).
* ``same(expected, actual)``: CPython's value and the compiled value are the same
  type (int/float/bool/None) and value; floats compare bit for bit (every NaN equals every
  NaN, -0.0 differs from 0.0).
* ``close_ulp(expected, actual, ulps=1)``: floats within ``ulps`` units in the last place
  (for libm functions).
* ``check(f, *args, **kwargs)``: runs ``f.py_func`` and ``f`` on the same arguments and compares
  results, or, when CPython raises, asserts the compiled call raises the same exception class
  with the same message. (``f.py_func`` runs as a copy whose recursive calls stay in CPython:
  see ``pure_python``.)

Ints: int64 wraparound is stickyjit's one documented deviation, so tests generate inputs for
which CPython's results stay inside int64. ``check`` fails loudly if CPython's answer is an int
outside int64 (a test design error, not a compiler bug).
"""

from __future__ import annotations

import atexit
import math
import os
import shutil
import struct
import tempfile

from purepy import pure_python  # noqa: F401 - re-exported for the tests

# The tests compile with a private, empty on-disk cache (never the user's ~/.cache/stickyjit);
# set before stickyjit opens it, at its first compile. Child processes inherit it.
os.environ["STICKYJIT_CACHE_DIR"] = _CACHE_DIR = tempfile.mkdtemp(prefix="stickyjit-tests-")
atexit.register(shutil.rmtree, _CACHE_DIR, True)

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "stickyjit",
    deadline=None,
    max_examples=int(os.environ.get("STICKYJIT_HYPOTHESIS_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("STICKYJIT_HYPOTHESIS_PROFILE", "stickyjit"))

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_SCALAR_TYPES = (bool, int, float, type(None), str)


# ---------------------------------------------------------------------------------------------
# comparisons


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _describe(x) -> str:
    if isinstance(x, float):
        return f"{x!r} (bits {_bits(x) & 0xFFFFFFFFFFFFFFFF:#018x})"
    return f"{x!r} ({type(x).__name__})"


class Floats(list):
    """The CPython side's array: a list of Python floats with the `shape` the functions read,
    so that CPython computes with floats (an ndarray's elements are NumPy scalars, whose
    division by zero is a warning, not Python's ZeroDivisionError that compiled code raises)."""

    @property
    def shape(self):
        return (len(self),)


def outcome(f, *args):
    """(result, None) or (None, (exception type, message)), for comparing with CPython."""
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001 - any exception is the outcome being compared
        return None, (type(e), str(e))


def same(expected, actual) -> None:
    """``expected`` (CPython) and ``actual`` (compiled) are the same type and value.

    Floats must be bit-for-bit equal, except that any NaN equals any NaN; -0.0 != 0.0.
    Tuples and lists: the same container type and length, item by item; dicts: the same keys in
    the same order, each with the same value; complex numbers part by part.
    """
    if type(expected) in (tuple, list):
        assert type(actual) is type(expected), (
            f"type differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
        )
        assert len(actual) == len(expected), f"length differs: CPython {expected!r}, compiled {actual!r}"
        for x, y in zip(expected, actual):
            same(x, y)
        return
    if type(expected) is set:
        # Sets compare as sets (their iteration order is docs/language.md's deviation).
        assert type(actual) is set, f"type differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
        assert actual == expected, f"CPython {expected!r}, compiled {actual!r}"
        assert {type(x) for x in actual} == {type(x) for x in expected}, (expected, actual)
        return
    if type(expected) is dict:
        assert type(actual) is dict, f"type differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
        # The same keys in the same (insertion) order, each with the same value.
        same(list(expected), list(actual))
        for k in expected:
            same(expected[k], actual[k])
        return
    if type(expected) is complex:
        assert type(actual) is complex, f"type differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
        same(expected.real, actual.real)
        same(expected.imag, actual.imag)
        return
    assert type(expected) in _SCALAR_TYPES, f"CPython gave an unexpected type: {_describe(expected)}"
    assert type(actual) is type(expected), f"type differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
    if isinstance(expected, float):
        if math.isnan(expected):
            assert math.isnan(actual), f"CPython {_describe(expected)}, compiled {_describe(actual)}"
        else:
            assert _bits(expected) == _bits(actual), f"CPython {_describe(expected)}, compiled {_describe(actual)}"
    elif isinstance(expected, (int, str)):
        assert expected == actual, f"CPython {_describe(expected)}, compiled {_describe(actual)}"


def _ordinal(x: float) -> int:
    """Floats mapped to integers so that adjacent floats are adjacent integers (-0.0 == 0.0)."""
    b = _bits(x)
    return b if b >= 0 else -(b & 0x7FFFFFFFFFFFFFFF)


def ulp_distance(a: float, b: float) -> int:
    return abs(_ordinal(a) - _ordinal(b))


def close_ulp(expected, actual, ulps: int = 1) -> None:
    """Floats within ``ulps`` units in the last place; NaN matches NaN, infinities must be equal."""
    assert isinstance(expected, float), f"CPython gave {_describe(expected)}, expected a float"
    assert type(actual) is float, f"type differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
    if math.isnan(expected) or math.isnan(actual):
        assert math.isnan(expected) and math.isnan(actual), (
            f"CPython {_describe(expected)}, compiled {_describe(actual)}"
        )
        return
    if math.isinf(expected) or math.isinf(actual):
        assert expected == actual, f"CPython {_describe(expected)}, compiled {_describe(actual)}"
        return
    if expected == 0.0 and actual == 0.0:
        assert math.copysign(1.0, expected) == math.copysign(1.0, actual), (
            f"sign of zero differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
        )
        return
    d = ulp_distance(expected, actual)
    assert d <= ulps, f"{d} ulps apart: CPython {_describe(expected)}, compiled {_describe(actual)}"


def loose_equal(expected, actual) -> None:
    """For documented type deviations (int on one path and float on another is float; min/max
    mixing int and float give float): the values are equal as numbers, NaN matching NaN."""
    assert type(actual) in (int, float, bool), f"compiled gave {_describe(actual)}"
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(actual, float) and math.isnan(actual), (
            f"CPython {_describe(expected)}, compiled {_describe(actual)}"
        )
        return
    if isinstance(actual, float) and not isinstance(expected, float):
        # The compiled value is the int converted to float (rounded like float(int)).
        assert float(expected) == actual, f"CPython {_describe(expected)}, compiled {_describe(actual)}"
        return
    assert expected == actual, f"CPython {_describe(expected)}, compiled {_describe(actual)}"
    if isinstance(expected, float) and expected == 0.0:
        assert math.copysign(1.0, expected) == math.copysign(1.0, float(actual)), (
            f"sign of zero differs: CPython {_describe(expected)}, compiled {_describe(actual)}"
        )


def _assert_fits_int64(value, args) -> None:
    if type(value) is int:
        assert INT64_MIN <= value <= INT64_MAX, (
            f"test design error: CPython's result {value} for {args!r} is outside int64 "
            "(int64 wraparound is a documented deviation; restrict the inputs)"
        )


def run_py(f, args, kwargs, py_args=None):
    """CPython's outcome: ('ok', value) or ('raise', exception)."""
    call_args = args if py_args is None else py_args
    try:
        return ("ok", pure_python(f)(*call_args, **kwargs))
    except Exception as e:  # noqa: BLE001 - any exception is part of the semantics under test
        return ("raise", e)


def check(f, *args, ulps: int | None = None, loose: bool = False, py_args=None, **kwargs):
    """Compare ``f.py_func(*args, **kwargs)`` (CPython) with ``f(*args, **kwargs)`` (compiled).

    ``ulps``: compare floats within that many ulps (libm functions) instead of bit for bit.
    ``loose``: compare as numbers only (for the documented int/float unification deviation).
    ``py_args``: the arguments CPython gets instead of ``args`` (e.g. NumPy scalars widened
    to Python int/float, which is what compiled code sees).

    Returns CPython's value (or None when it raised).
    """
    kind, expected = run_py(f, args, kwargs, py_args)
    if kind == "raise":
        with pytest.raises(Exception) as info:  # noqa: PT011 - the class is checked just below
            result = f(*args, **kwargs)
            pytest.fail(
                f"CPython raised {type(expected).__name__}({expected}) for {args!r} {kwargs or ''}, "
                f"compiled code returned {_describe(result)}"
            )
        got = info.value
        assert type(got) is type(expected), (
            f"for {args!r}: CPython raised {type(expected).__name__}({expected}), "
            f"compiled raised {type(got).__name__}({got})"
        )
        assert str(got) == str(expected), (
            f"for {args!r}: message differs: CPython {str(expected)!r}, compiled {str(got)!r}"
        )
        return None
    _assert_fits_int64(expected, args)
    actual = f(*args, **kwargs)
    try:
        if loose:
            loose_equal(expected, actual)
        elif ulps is not None and isinstance(expected, float):
            close_ulp(expected, actual, ulps)
        else:
            same(expected, actual)
    except AssertionError as e:
        raise AssertionError(f"{getattr(f, '__name__', f)}{args!r} {kwargs or ''}: {e}") from None
    return expected


# ---------------------------------------------------------------------------------------------
# strategies

SPECIAL_FLOATS = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    3.0,
    0.1,
    -0.1,
    math.inf,
    -math.inf,
    math.nan,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2.0**52,
    2.0**53,
    -(2.0**53),
    2.0**63,
    -(2.0**63),
    1e300,
    -1e300,
    1e-300,
    math.pi,
    -math.pi,
    math.e,
]

EDGE_INTS = [
    0,
    1,
    -1,
    2,
    -2,
    3,
    7,
    -7,
    10,
    255,
    256,
    -256,
    2**31 - 1,
    -(2**31),
    2**32,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**62,
    -(2**62),
    INT64_MAX,
    INT64_MIN,
    INT64_MAX - 1,
    INT64_MIN + 1,
]

int64s = st.integers(INT64_MIN, INT64_MAX)
small_ints = st.integers(-1000, 1000)
#: ints biased to small values, int64 edges and the full range.
ints = st.one_of(small_ints, st.sampled_from(EDGE_INTS), int64s)
#: any float, NaN, the infinities and signed zeros included, plus a set of edge values.
floats = st.one_of(st.sampled_from(SPECIAL_FLOATS), st.floats(allow_nan=True, allow_infinity=True))
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
#: floats whose int() fits in int64.
int_range_floats = st.one_of(
    st.sampled_from([0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 1e18, -1e18, 2.0**62, -(2.0**63), 9.2e18]),
    st.floats(min_value=-(2.0**63), max_value=2.0**63, exclude_max=True, allow_nan=False),
)
bools = st.booleans()
numbers = st.one_of(ints, floats, bools)


def in_int64(v: int) -> bool:
    return INT64_MIN <= v <= INT64_MAX


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def int_pair_for(op: str, a_strategy=ints):
    """Pairs (a, b) of int64s for which CPython's ``a op b`` stays inside int64."""

    def bounds(a):
        if op == "+":
            return max(INT64_MIN, INT64_MIN - a), min(INT64_MAX, INT64_MAX - a)
        if op == "-":
            return max(INT64_MIN, a - INT64_MAX), min(INT64_MAX, a - INT64_MIN)
        if op == "*":
            if a == 0:
                return INT64_MIN, INT64_MAX
            if a > 0:
                return _ceil_div(INT64_MIN, a), INT64_MAX // a
            return _ceil_div(INT64_MAX, a), INT64_MIN // a
        raise ValueError(op)

    def pair(a):
        lo, hi = bounds(a)
        lo, hi = max(lo, INT64_MIN), min(hi, INT64_MAX)
        choices = [st.integers(lo, hi), st.sampled_from([lo, hi])]
        small_lo, small_hi = max(lo, -1000), min(hi, 1000)
        if small_lo <= small_hi:
            choices.append(st.integers(small_lo, small_hi))
        return st.tuples(st.just(a), st.one_of(*choices))

    return a_strategy.flatmap(pair)


def iroot(n: int, k: int) -> int:
    """Largest r >= 0 with r**k <= n."""
    if n < 2:
        return n
    r = int(round(n ** (1.0 / k)))
    while r**k > n:
        r -= 1
    while (r + 1) ** k <= n:
        r += 1
    return r


@st.composite
def int_pow_pairs(draw):
    """(base, exp) with exp >= 0 and base ** exp inside int64."""
    e = draw(st.one_of(st.integers(0, 64), st.integers(0, 10**6)))
    if e <= 1:
        b = draw(ints)
    else:
        r = iroot(INT64_MAX, e)
        b = draw(st.integers(-r, r))
    return b, e


def rss_growth(tmp_path, build_source: str, arg: int = 100, calls: int = 100_000) -> int:
    """Bytes the RSS of a child process grew over `calls` calls of `build(arg)`, a jitted function
    defined by `build_source` (after 2000 calls to warm up): memory tests of values compiled code
    builds and returns."""
    import subprocess
    import sys
    import textwrap

    child = textwrap.dedent(
        """
        from stickyjit import njit

        def rss():
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmRSS"):
                        return int(line.split()[1]) * 1024

        """
    )
    child += textwrap.dedent(build_source)
    child += textwrap.dedent(
        f"""
        for _ in range(2000):
            build({arg})
        before = rss()
        for _ in range({calls}):
            build({arg})
        print(rss() - before)
        """
    )
    script = tmp_path / "rss_child.py"
    script.write_text(child)
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=True)
    return int(r.stdout.strip().splitlines()[-1])


def cached_runs(tmp_path, source: str, argvs) -> list:
    """Runs `source` as a script once per argument list in `argvs`, each a fresh process sharing
    one stickyjit cache directory under `tmp_path`: the JSON object each printed last."""
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(source)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("STICKYJIT_CACHE", None)
    runs = []
    for argv in argvs:
        proc = subprocess.run(
            [sys.executable, str(script), *argv], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return runs
