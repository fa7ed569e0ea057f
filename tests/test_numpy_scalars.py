"""NumPy scalar types in compiled code: `np.float32(x)`, `np.int8(x)`, ... as conversions, and
NumPy scalars (and strings) bound to globals, frozen as numbers are.

The oracle is NumPy itself on the same value: `np.<dtype>(v)` of the value as NumPy holds it in
compiled code (an int64, a float64), so an int out of a narrow dtype's range wraps, as NumPy's
C cast of an int64 does, and a float out of range gives what a store into an array of the
dtype gives (tests/test_float_to_int_store.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import same
from stickyjit import CompileError, jit


@jit
def to_int8(x):
    return np.int8(x)


@jit
def to_uint8(x):
    return np.uint8(x)


@jit
def to_int16(x):
    return np.int16(x)


@jit
def to_uint16(x):
    return np.uint16(x)


@jit
def to_int32(x):
    return np.int32(x)


@jit
def to_uint32(x):
    return np.uint32(x)


@jit
def to_int64(x):
    return np.int64(x)


@jit
def to_uint64(x):
    return np.uint64(x)


@jit
def to_float32(x):
    return np.float32(x)


@jit
def to_float64(x):
    return np.float64(x)


@jit
def to_bool(x):
    return np.bool_(x)


@jit
def to_complex64(x):
    return np.complex64(x)


CASTS = [
    (to_int8, np.int8),
    (to_uint8, np.uint8),
    (to_int16, np.int16),
    (to_uint16, np.uint16),
    (to_int32, np.int32),
    (to_uint32, np.uint32),
    (to_int64, np.int64),
    (to_uint64, np.uint64),
    (to_float32, np.float32),
    (to_float64, np.float64),
    (to_bool, np.bool_),
    (to_complex64, np.complex64),
]


def numpy_answer(dt, x):
    """NumPy's conversion of `x` held as compiled code holds it (int64 or float64), as the
    Python value compiled code returns."""
    held = (
        np.int64(x)
        if isinstance(x, int) and not isinstance(x, bool)
        else (np.bool_(x) if isinstance(x, bool) else np.float64(x))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dt is np.uint32 and isinstance(x, float):
            # NumPy's scalar cast of a float into uint32 (through int64; see the module doc).
            v = int(x) % 2**32 if (x == x and -(2.0**63) <= x < 2.0**63) else 0
            return v
        r = np.array([held]).astype(dt)[0] if isinstance(x, float) else dt(held)
    return r.item()


ints = st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers(-70000, 70000))
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e5, 1e5))


@pytest.mark.parametrize(("f", "dt"), CASTS, ids=lambda v: getattr(v, "__name__", str(v)))
@given(x=st.one_of(ints, floats, st.booleans()))
@example(300)
@example(-3)
@example(-3.7)
@example(300.5)
@example(2**63 - 1)
@example(True)
@example(16777217)
@example(0.1)
def test_numpy_scalar_types_convert_as_numpy_does(f, dt, x):
    if dt in (np.float32, np.float64, np.complex64) and isinstance(x, int) and not isinstance(x, bool):
        want = dt(x).item()
    else:
        want = numpy_answer(dt, x)
    got = f(x)
    if isinstance(want, complex):
        got = complex(got)
        same(want.real, got.real)
        same(want.imag, got.imag)
        return
    same(want, got)


@jit
def float32_sum(a):
    s = np.float32(0.0)
    for v in a:
        s += v
    return s


def test_a_float32_accumulator_stays_float32():
    a = (np.arange(1000, dtype=np.float32) * np.float32(0.1)).astype(np.float32)
    s = np.float32(0.0)
    for v in a:
        s += v
    assert float32_sum(a) == float(s)


@jit
def cast_of_an_array(a):
    return np.float32(a)


def test_a_cast_of_an_array_names_astype():
    with pytest.raises(CompileError, match=r"astype\(np.float32\)"):
        cast_of_an_array(np.ones(3))


ZERO32 = np.int32(0)
HALF32 = np.float32(0.1)
BIG64 = np.uint64(2**64 - 5)
YES = np.bool_(True)
Z64 = np.complex64(1.5 - 0.1j)
F64 = np.float64(0.25)
MSG = "negative input"
PAIR = ("a", np.int16(7))


@jit
def reads_numpy_scalar_globals(a):
    return ZERO32 + a[0], HALF32 * a[1], BIG64 + 1, YES, Z64 * 2, F64 + a[0]


def test_numpy_scalar_globals_are_numpys_values_and_types():
    a = np.array([3.5, 2.0], dtype=np.float32)
    got = reads_numpy_scalar_globals(a)
    want = reads_numpy_scalar_globals.py_func(a)
    for g, w in zip(got, want):
        # Compiled code returns Python numbers; NumPy's scalars compare by value and precision.
        assert g == w.item() if hasattr(w, "item") else g == w, (got, want)
    # float32 * float32 stays float32 (rounded), as NumPy's.
    assert got[1] == float(np.float32(HALF32 * np.float32(2.0)))


@jit
def checks(x):
    if x < 0:
        raise ValueError(MSG)
    return PAIR[0], PAIR[1] + x


def test_str_globals_are_frozen_strings():
    text, n = checks.py_func(2)
    same((text, int(n)), checks(2))
    with pytest.raises(ValueError, match="negative input"):
        checks(-1)


def info_function(which: str, dtype: str, attr: str):
    """A jitted `f()` returning `np.<which>(np.<dtype>).<attr>`, its source registered."""
    import linecache

    src = f"def f():\n    return np.{which}(np.{dtype}).{attr}\n"
    filename = f"<info {which} {dtype} {attr}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(src, filename, "exec"), {"np": np}, namespace)  # noqa: S102
    return jit(namespace["f"])


IINFO = [
    (d, a)
    for d in ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "intp")
    for a in ("min", "max", "bits")
]
FINFO = [
    (d, a)
    for d in ("float32", "float64")
    for a in ("eps", "epsneg", "max", "min", "tiny", "smallest_normal", "resolution", "bits", "precision")
]


@pytest.mark.parametrize(("dtype", "attr"), IINFO)
def test_iinfo_fields_are_numpys(dtype, attr):
    want = getattr(np.iinfo(getattr(np, dtype)), attr)
    got = info_function("iinfo", dtype, attr)()
    assert got == want and type(got) is int


@pytest.mark.parametrize(("dtype", "attr"), FINFO)
def test_finfo_fields_are_numpys(dtype, attr):
    want = getattr(np.finfo(getattr(np, dtype)), attr)
    got = info_function("finfo", dtype, attr)()
    assert got == want
    assert type(got) is (int if isinstance(want, int) else float)


@jit
def float32_eps_stays_float32(x):
    return np.finfo(np.float32).eps + np.float32(x)


def test_a_float32_field_is_a_float32():
    assert float32_eps_stays_float32(1.0) == float(np.finfo(np.float32).eps + np.float32(1.0))


def test_an_unknown_field_is_a_compile_error():
    with pytest.raises(CompileError, match=r"np.finfo\(float64\).dtype is not compiled"):
        info_function("finfo", "float64", "dtype")()
