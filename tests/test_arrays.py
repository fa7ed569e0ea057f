"""NumPy arrays: differential tests against CPython running the same function on the same
arrays (hypothesis-generated: every supported dtype, 1 to 3 dimensions, C or Fortran order,
reversed, strided and broadcast views), and the errors of bad input, each in a child process
so that a crash fails the test instead of the run.

Elements read by compiled code are int64, uint64, float64, float32 or bool (docs/language.md,
"Arrays"; uint64 has tests/test_uint64.py of its own); the
kernels here convert what they read with int()/float() where NumPy's own scalar arithmetic
would differ from that (float32 arithmetic, small-integer wraparound).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conftest import close_ulp, pure_python
from stickyjit import jit

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]


def elements(dtype: np.dtype):
    if dtype.kind == "f":
        return hnp.from_dtype(dtype, allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
    return hnp.from_dtype(dtype)


@st.composite
def arrays(draw, ndim=None, dtypes=DTYPES):
    """An array of any supported dtype and the given (or any 1-3) ndim, as some view: C or F
    order, reversed axes, steps, a transpose, or a broadcast (zero strides, read-only)."""
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    nd = ndim or draw(st.integers(1, 3))
    shape = draw(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0, max_side=5))
    base = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    how = draw(st.sampled_from(["c", "f", "reversed", "stepped", "transposed", "broadcast"]))
    if how == "f":
        return np.asfortranarray(base)
    if how == "reversed":
        return base[tuple(slice(None, None, -1) for _ in range(nd))]
    if how == "stepped":
        bigger = np.repeat(base, 2, axis=0)
        return bigger[::2]
    if how == "transposed":
        return base.T
    if how == "broadcast" and nd >= 2 and shape[0] > 0:
        return np.broadcast_to(base[:1], shape)
    return base


@jit
def weighted_sum_1d(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += float(a[i]) * (i + 1)
    return s


@jit
def weighted_sum_2d(a):
    n, m = a.shape
    s = 0.0
    for i in range(n):
        for j in range(m):
            s += float(a[i, j]) * (i * 7 + j + 1)
    return s


@jit
def weighted_sum_3d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                s += float(a[i, j, k]) * (i * 31 + j * 7 + k + 1)
    return s


SUMS = {1: weighted_sum_1d, 2: weighted_sum_2d, 3: weighted_sum_3d}


@given(arrays())
def test_reads_of_every_dtype_ndim_and_layout(a):
    f = SUMS[a.ndim]
    assert f(a) == pure_python(f)(a)


@jit
def shape_facts(a):
    return a.ndim, a.size, len(a), a.shape[0], a.shape[-1]


@given(arrays())
def test_shape_ndim_size_len(a):
    if a.shape[0] == 0:
        return
    assert shape_facts(a) == pure_python(shape_facts)(a)


@jit
def iterate(a):
    s = 0.0
    k = 0
    for x in a:
        s += float(x) * (k + 3)
        k += 1
    return s


@given(arrays(ndim=1))
def test_for_over_a_1d_array(a):
    assert iterate(a) == pure_python(iterate)(a)


@jit
def copy_plus_one_2d(a, out):
    n, m = a.shape
    for i in range(n):
        for j in range(m):
            out[i, j] = a[i, j] + 1
    return n * m


def writable(a):
    return a.copy(order="F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C")


@given(
    arrays(ndim=2, dtypes=["int8", "int16", "int32", "int64", "uint8", "uint16", "float32", "float64"]), st.booleans()
)
def test_writes_convert_as_numpy_does(a, reverse):
    out = np.zeros(a.shape, dtype=a.dtype)
    ref = np.zeros(a.shape, dtype=a.dtype)
    if reverse:
        out, ref = out[::-1], ref[::-1]
    with np.errstate(over="ignore"):
        expected = pure_python(copy_plus_one_2d)(a, ref)
    assert copy_plus_one_2d(a, out) == expected
    np.testing.assert_array_equal(out, ref)


@jit
def store_floats(out, v, first):
    for i in range(out.shape[0]):
        out[i] = v * (i + first)
    return out.shape[0]


@pytest.mark.parametrize("dtype", ["bool", "int8", "int32", "int64", "uint8", "uint16", "float32", "float64"])
def test_a_float_stored_into_an_int_array_truncates(dtype):
    # Unsigned arrays get values >= 0 only: NumPy leaves negative float -> unsigned undefined.
    first = 0 if dtype.startswith("uint") else -2
    out, ref = np.zeros(5, dtype=dtype), np.zeros(5, dtype=dtype)
    pure_python(store_floats)(ref, 1.75, first)
    store_floats(out, 1.75, first)
    np.testing.assert_array_equal(out, ref)


@jit
def aug(a, i, v):
    a[i] += v
    a[-1] *= 2
    return a[i]


@given(st.integers(-6, 5), st.integers(-100, 100))
def test_augmented_assignment_and_negative_indices(i, v):
    a, b = np.arange(6, dtype=np.int64), np.arange(6, dtype=np.int64)
    assert aug(a, i, v) == pure_python(aug)(b, i, v)
    np.testing.assert_array_equal(a, b)


@jit
def get(a, i):
    return a[i]


@jit
def get2(a, i, j):
    return a[i, j]


@pytest.mark.parametrize("i", [5, 6, -6, -7, 10**12, -(10**12), 2**62])
def test_out_of_bounds_is_numpys_index_error(i):
    a = np.arange(5.0)
    with pytest.raises(IndexError) as expected:
        pure_python(get)(a, i)
    with pytest.raises(IndexError) as got:
        get(a, i)
    assert str(got.value) == str(expected.value)


def test_out_of_bounds_names_the_axis():
    a = np.zeros((3, 4))
    for i, j in [(3, 0), (0, 4), (-4, 0), (0, -5)]:
        with pytest.raises(IndexError) as expected:
            pure_python(get2)(a, i, j)
        with pytest.raises(IndexError) as got:
            get2(a, i, j)
        assert str(got.value) == str(expected.value)


# --- bad input, each in a child process -----------------------------------------------------

CHILD = """
import numpy as np
from stickyjit import jit

@jit
def put(a, i, v):
    a[i] = v
    return a[i]

@jit
def bump(a, i):
    a[i] += 1
    return a[i]

{body}
"""

BAD = {
    "read-only array": (
        "a = np.zeros(3); a.flags.writeable = False\nput(a, 0, 1.0)",
        "ValueError",
        "assignment destination is read-only",
    ),
    "broadcast view": (
        "a = np.broadcast_to(np.zeros(1), (3,))\nput(a, 0, 1.0)",
        "ValueError",
        "assignment destination is read-only",
    ),
    "object array": (
        "put(np.array([1, 'x'], dtype=object), 0, 1)",
        "TypeError",
        "argument 'a' is an array of dtype 'object'",
    ),
    "string array": ("put(np.array(['ab']), 0, 1)", "TypeError", "argument 'a' is an array of dtype '<U2'"),
    "structured array": (
        "put(np.zeros(2, dtype=[('x', 'f8')]), 0, 1)",
        "TypeError",
        "argument 'a' is an array of a structured dtype",
    ),
    "float16 array": (
        "put(np.zeros(2, dtype=np.float16), 0, 1)",
        "TypeError",
        "argument 'a' is an array of dtype 'float16'",
    ),
    "big-endian array": ("put(np.zeros(2, dtype='>f8'), 0, 1)", "TypeError", "non-native byte order"),
    "a list of lists where an array was used": (
        "a = np.zeros(3)\nput(a, 0, 1.0)\nput([[1.0], [2.0]], 0, 1.0)",
        "TypeError",
        "argument 'a' is a list holding list",
    ),
    "an int where an array was used": (
        "a = np.zeros(3)\nput(a, 0, 1.0)\nput(5, 0, 1.0)",
        "TypeError",
        "put() argument 'a' must be an array here, not int64",
    ),
    "an int where an array is incremented": (
        "bump(5, 0)",
        "TypeError",
        "bump() argument 'a' must be an array here, not int64",
    ),
    "a tuple where an array was used": (
        "put((1.0, 2.0), 0, 1.0)",
        "TypeError",
        "put() argument 'a' must be an array here, not tuple(float64, float64)",
    ),
    "index out of range": ("put(np.zeros(3), 3, 1.0)", "IndexError", "index 3 is out of bounds for axis 0 with size 3"),
    "huge negative index": (
        "put(np.zeros(3), -10**12, 1.0)",
        "IndexError",
        "index -1000000000000 is out of bounds for axis 0 with size 3",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=BAD)
def test_bad_input_raises_and_never_crashes(case, tmp_path):
    body, exc, message = BAD[case]
    script = tmp_path / "bad.py"
    script.write_text(
        CHILD.format(
            body=textwrap.indent(
                f"try:\n    {body.replace(chr(10), chr(10) + '    ')}\nexcept {exc} as e:\n    print('RAISED', e)\n", ""
            )
        )
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr  # a crash (a signal) fails here
    assert "RAISED" in proc.stdout and message in proc.stdout, proc.stdout + proc.stderr


@jit(boundscheck=False)
def get_unchecked(a, i):
    return a[i]


@given(arrays(ndim=1, dtypes=["int32", "float64"]), st.integers(-5, 5))
def test_boundscheck_false_still_wraps_negative_indices(a, i):
    if not -a.shape[0] <= i < a.shape[0]:
        return  # out of range is undefined without the checks (as in Numba); never done here
    assert get_unchecked(a, i) == pure_python(get_unchecked)(a, i)


def test_boundscheck_takes_a_bool():
    with pytest.raises(TypeError, match=r"jit\(boundscheck=...\) takes True or False"):
        jit(boundscheck=1)


def test_boundscheck_false_compiles_without_checks():
    a = np.arange(5.0)
    get_unchecked(a, 1)
    llvm = get_unchecked.inspect_llvm(get_unchecked.signatures[-1])
    assert "sj_rt_index_error" not in llvm
    get(a, 1)
    assert "sj_rt_index_error" in get.inspect_llvm(get.signatures[-1])


CACHED = """
import json, numpy as np, stickyjit
from stickyjit import jit

@jit
def scaled_sum(a, k):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * k
    return s

a = np.arange(12.0).reshape(3, 4)
print(json.dumps({"c": scaled_sum(a, 2.0), "f": scaled_sum(np.asfortranarray(a), 2.0), "stats": stickyjit.stats()}))
"""


def test_array_specializations_are_cached_across_processes(tmp_path):
    import json
    import os

    script = tmp_path / "cached_arrays.py"
    script.write_text(CACHED)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("STICKYJIT_CACHE", None)
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    expected = float(np.arange(12.0).sum() * 2.0)
    assert runs[0]["c"] == runs[0]["f"] == runs[1]["c"] == runs[1]["f"] == expected
    assert runs[0]["stats"]["compiles"] == 2  # C and F layouts: two specializations
    assert runs[1]["stats"]["compiles"] == 0 and runs[1]["stats"]["cache_hits"] == 2


# --- reductions and NumPy functions on scalars ------------------------------------------------


def py_scalar(x):
    """A NumPy scalar as the Python number compiled code returns (tuples element-wise)."""
    if isinstance(x, tuple):
        return tuple(py_scalar(v) for v in x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    return x


def exact_elements(dtype: np.dtype):
    """Elements whose sums are exact in float64 (so that NumPy's pairwise summation and a
    running sum agree), and whose int64 sums do not wrap."""
    if dtype.kind == "f":
        return st.integers(-4000, 4000).map(lambda v: v / 4)
    if dtype.kind == "b":
        return st.booleans()
    info = np.iinfo(dtype)
    return st.integers(max(info.min, -(2**40)), min(info.max, 2**40))


@st.composite
def reducible(draw):
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    a = draw(hnp.arrays(dtype, shape, elements=exact_elements(dtype)))
    return draw(st.sampled_from([a, a.T, a[::-1], np.asfortranarray(a)]))


@jit
def reductions(a):
    return a.sum(), a.min(), a.max(), a.mean(), np.sum(a), np.min(a), np.max(a), np.mean(a)


@given(reducible())
def test_reductions_of_every_dtype_and_layout(a):
    # A float32 array's sum and mean are accumulated in float64 here (docs/language.md,
    # "Arrays"); NumPy accumulates in float32. The float32 case is compared with NumPy on the
    # widened array (its min and max are the same values either way).
    reference = a.astype(np.float64) if a.dtype == np.float32 else a
    expected = py_scalar(pure_python(reductions)(reference))
    got = reductions(a)
    assert got == expected, (got, expected)
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_reductions_propagate_nan_and_refuse_empty_arrays():
    a = np.array([1.0, np.nan, -2.0])
    got, expected = reductions(a), py_scalar(pure_python(reductions)(a))
    assert all(np.isnan(v) for v in got) and all(np.isnan(v) for v in expected)
    with pytest.raises(ValueError) as expected_error:
        pure_python(reductions)(np.zeros(0))
    with pytest.raises(ValueError) as got_error:
        reductions(np.zeros(0))
    assert str(got_error.value) == str(expected_error.value)


@jit
def numpy_on_scalars(x):
    return (
        np.sqrt(x),
        np.exp(x),
        np.log(x),
        np.sin(x),
        np.cos(x),
        np.tan(x),
        np.abs(x),
        np.floor(x),
        np.ceil(x),
        np.pi,
        np.inf,
    )


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000)))
def test_numpy_functions_on_scalars_follow_numpy(x):
    with np.errstate(all="ignore"):
        expected = py_scalar(pure_python(numpy_on_scalars)(x))
    got = numpy_on_scalars(x)
    assert len(got) == len(expected)
    # exp, log, sin, cos, tan: NumPy has its own (vectorized) implementations, the C library's
    # may differ from them in the last bit; sqrt, abs, floor, ceil are exact everywhere.
    transcendental = {1, 2, 3, 4, 5}
    for k, (e, g) in enumerate(zip(expected, got)):
        assert type(e) is type(g), (x, expected, got)
        if k in transcendental:
            close_ulp(e, g, ulps=2)
        else:
            assert (np.isnan(e) and np.isnan(g)) or e == g, (x, expected, got)


# --- views ------------------------------------------------------------------------------------


@jit
def slice_1d(a, lo, hi, st):
    v = a[lo:hi:st]
    s = 0.0
    for i in range(v.shape[0]):
        s += float(v[i]) * (i + 1)
    return v.shape[0], s


slice_bounds = st.one_of(st.integers(-8, 8), st.sampled_from([-(10**12), 10**12]))


@given(arrays(ndim=1), slice_bounds, slice_bounds, st.integers(-4, 4).filter(lambda s: s != 0))
def test_slices_follow_pythons_rules(a, lo, hi, step):
    assert slice_1d(a, lo, hi, step) == pure_python(slice_1d)(a, lo, hi, step)


@jit
def rows_and_columns(a, i, j):
    row, col = a[i], a[:, j]
    inner = a[1:-1, ::-1]
    t = 0.0
    for r in a:
        t += r.sum()
    return row.sum(), col.sum(), inner.sum(), t, len(row), len(col), inner.shape


@given(
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5).flatmap(
        lambda shape: hnp.arrays(np.float64, shape, elements=exact_elements(np.dtype(np.float64)))
    ),
    st.integers(-3, 3),
    st.integers(-3, 3),
)
def test_rows_columns_and_2d_iteration(a, i, j):  # exact sums: NumPy's summation order cannot matter
    try:
        expected = py_scalar(pure_python(rows_and_columns)(a, i, j))
    except IndexError as e:
        with pytest.raises(IndexError) as got:
            rows_and_columns(a, i, j)
        assert str(got.value) == str(e)
        return
    got = rows_and_columns(a, i, j)
    assert got == expected


def test_a_zero_slice_step_is_pythons_value_error():
    @jit
    def stepped(a, k):
        return a[::k].shape[0]

    with pytest.raises(ValueError) as expected:
        pure_python(stepped)(np.zeros(3), 0)
    with pytest.raises(ValueError) as got:
        stepped(np.zeros(3), 0)
    assert str(got.value) == str(expected.value)


def test_views_of_contiguous_arrays_stay_contiguous():
    a = np.arange(12.0).reshape(3, 4)
    rows_and_columns(a, 0, 0)
    typed = rows_and_columns.inspect_types(rows_and_columns.signatures[-1])
    assert "row: array(float64, 1d, C)" in typed  # a row of a C array
    assert "col: array(float64, 1d, A)" in typed  # a column is strided


# --- float32 ----------------------------------------------------------------------------------


@jit
def f32_ops(a, i, j):
    x, y = a[i], a[j]
    s = x + y
    p = x * y
    q = x / (y + y) if y != 0 else x
    acc = a[0]
    for k in range(a.shape[0]):
        acc += a[k] * a[k]
    return s, p, q, acc, x + True, -x


f32 = st.floats(-1e3, 1e3, width=32)


@given(
    st.lists(f32, min_size=2, max_size=8).map(lambda v: np.array(v, dtype=np.float32)),
    st.integers(0, 1),
    st.integers(0, 1),
)
def test_float32_arithmetic_stays_float32(a, i, j):
    # NumPy's float32 scalars give float32 results for float32 op float32 (and op bool);
    # compiled code computes the same values (returned as Python floats).
    with np.errstate(all="ignore"):
        expected = py_scalar(pure_python(f32_ops)(a, i, j))
    assert f32_ops(a, i, j) == expected


@jit
def f32_mixed(a):
    return a[0] + 1, a[0] * 0.1, a[0] + a[1]


def test_float32_with_an_int_or_a_float_is_float64():
    # Numba's rule (NumPy 2 keeps float32 + 0.1 in float32): with an int64 or a float64
    # operand the arithmetic is float64.
    a = np.array([0.1, 0.2], dtype=np.float32)
    one, tenth, both = f32_mixed(a)
    assert one == float(a[0]) + 1
    assert tenth == float(a[0]) * 0.1
    assert both == float(np.float32(a[0] + a[1]))  # float32 + float32 stays float32
    typed = f32_mixed.inspect_types(f32_mixed.signatures[-1])
    assert "-> tuple(float64, float64, float32)" in typed


# --- new arrays, returned arrays ----------------------------------------------------------------


@jit
def constructors(n, m, v):
    a = np.zeros((n, m))
    b = np.ones(n, dtype=np.int32)
    c = np.full((m, 2), v)
    d = np.arange(n)
    e = np.arange(1, n * 3, 2)
    f = np.arange(0.0, 1.0, 0.125)
    g = np.zeros_like(a, dtype=np.float32)
    h = np.full_like(b, 7)
    k = np.ones((2, n), dtype=np.bool_)
    for i in range(n):
        for j in range(m):
            a[i, j] = i * m + j
    return a, b, c, d, e, f, g, h, k, a.copy(), a[1:, ::-1], np.empty(n).shape[0]


def assert_same_array(got, expected):
    assert isinstance(got, np.ndarray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@given(st.integers(0, 6), st.integers(0, 5), st.one_of(st.integers(-5, 5), st.floats(-10, 10), st.booleans()))
def test_new_arrays_match_numpy(n, m, v):
    got = constructors(n, m, v)
    expected = pure_python(constructors)(n, m, v)
    for g, e in zip(got[:-1], expected[:-1]):
        assert_same_array(g, e)
    assert got[-1] == expected[-1]


def test_returned_arrays_own_their_memory_and_views_keep_their_base():
    a, *_ = constructors(3, 4, 1.0)
    copy, view = constructors(3, 4, 1.0)[9:11]
    assert a.flags.writeable and a.flags.c_contiguous
    a[0, 0] = 99.0  # writable, and its own memory
    assert copy[0, 0] != 99.0
    assert view.base is not None and view[0, -1] == 4.0

    @jit
    def every_other(x):
        return x[::2]

    src = np.arange(10.0)
    v = every_other(src)
    assert v.base is src and np.shares_memory(v, src)
    src[0] = -1.0
    assert v[0] == -1.0


def test_negative_dimensions_raise_numpys_value_error():
    @jit
    def make(n):
        return np.zeros(n)

    with pytest.raises(ValueError) as expected:
        np.zeros(-1)
    with pytest.raises(ValueError) as got:
        make(-1)
    assert str(got.value) == str(expected.value)


LEAK = """
import numpy as np
from stickyjit import jit

@jit
def churn(n):
    t = 0.0
    for k in range(5):
        x = np.ones(n)
        t += x.sum()
    y = np.zeros(n)
    return y, y[::2], t

def rss_kb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 // 1024

for _ in range(2000):
    churn(2000)
before = rss_kb()
for _ in range(100_000):
    churn(2000)
print(before, rss_kb())
"""


def test_allocating_calls_leak_nothing(tmp_path):
    # 10^5 calls, each allocating six 16 KB arrays (five temporaries, one returned with a view):
    # 9.6 GB if anything leaked.
    script = tmp_path / "leak.py"
    script.write_text(LEAK)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    before, after = map(int, proc.stdout.split())
    assert after - before < 20_000, (before, after)  # KB: flat, not 9.6 GB


@jit
def inner_sum(v):
    s = 0.0
    for x in v:
        s += x
    return s


@jit
def passes_views(a):
    return inner_sum(a[1:-1]), inner_sum(a[::-2]), inner_sum(a[2:5]), np.nan, np.e


def test_views_passed_to_another_jitted_function():
    a = np.arange(7.0)
    got, expected = passes_views(a), py_scalar(pure_python(passes_views)(a))
    assert got[:3] == expected[:3] and np.isnan(got[3]) and got[4] == expected[4]


@pytest.mark.parametrize("shape", [(2**32, 2**32), (2**62, 4), (2**61, 2**3, 2)])
def test_a_shape_too_big_is_numpys_value_error_not_a_small_buffer(shape):
    @jit
    def big(s):
        return np.zeros(s, dtype=np.float64)

    with pytest.raises(ValueError) as expected:
        np.zeros(shape)
    with pytest.raises((ValueError, MemoryError)) as got:
        big(shape)
    if isinstance(got.value, ValueError):
        assert str(got.value) == str(expected.value)


def test_an_array_larger_than_memory_is_a_memory_error():
    @jit
    def huge(n):
        return np.empty(n, dtype=np.int8)

    with pytest.raises(MemoryError):
        huge(2**62)


@pytest.mark.parametrize(
    "args",
    [
        (0, 1, 0),
        (0.0, 1.0, 0.0),
        (0.0, 1e30, 1e-30),
        (0.0, float("nan"), 1.0),
        (0.0, float("inf"), 1.0),
        (5, 1, 1),
        (1.0, 0.0, -0.25),
    ],
)
def test_arange_lengths_and_errors_are_numpys(args):
    @jit
    def ar(a, b, c):
        return np.arange(a, b, c)

    try:
        expected = np.arange(*args)
    except Exception as e:  # noqa: BLE001 - NumPy's exception is the expectation
        with pytest.raises(type(e)) as got:
            ar(*args)
        assert str(got.value) == str(e)
        return
    assert_same_array(ar(*args), expected)
