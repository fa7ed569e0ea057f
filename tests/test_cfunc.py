"""@cfunc: C callbacks with an explicit signature, called by SciPy (quad, LowLevelCallable,
ndimage.generic_filter) and through ctypes.

The oracle is the decorated Python function run by CPython on the same inputs (or SciPy given the
Python function): quad and generic_filter must give the same answers either way.
"""

from __future__ import annotations

import ctypes
import itertools
import linecache
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import LowLevelCallable, integrate, ndimage

import stickyjit
import stickyjit as nb
from stickyjit import CompileError, carray, cfunc, farray, types

# --- the basic forms --------------------------------------------------------------------------------------------


def add_py(x, y):
    return x + y


add = cfunc("float64(float64, float64)")(add_py)


def test_the_object_exposes_the_c_function():
    assert isinstance(add.address, int) and add.address != 0
    assert add.native_name.endswith("_cfunc")
    assert add.py_func is add_py and add.__name__ == "add_py"
    proto = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double, ctypes.c_double)
    assert isinstance(add.ctypes, proto)
    assert ctypes.cast(add.ctypes, ctypes.c_void_p).value == add.address
    # The address called through a prototype of one's own.
    assert proto(add.address)(4.0, 5.0) == add_py(4.0, 5.0)
    assert "stickyjit C callback" in repr(add)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True), st.floats(allow_nan=True))
def test_ctypes_and_direct_calls_give_the_python_answer(x, y):
    want = add_py(x, y)
    for got in (add.ctypes(x, y), add(x, y)):
        assert got == want or (math.isnan(got) and math.isnan(want))


def test_type_object_signatures_and_numba_spellings():
    @nb.cfunc(nb.types.intc(nb.types.intc, nb.types.intc))
    def mul(a, b):
        return a * b

    assert mul.ctypes.restype is ctypes.c_int
    assert mul(6, 7) == 42
    # int32 wraps as C's int does (the int64 product truncated, as Numba's).
    assert mul(2**16, 2**16) == np.int32(np.int64(2**32).astype(np.int32))

    @cfunc(types.float32(types.float32, types.uint8, types.boolean))
    def scale(x, k, flag):
        return x * k if flag else x

    for x, k, flag in itertools.product([1.5, -2.25, 1e30], [0, 3, 255], [True, False]):
        want = np.float32(np.float32(x) * np.float32(k)) if flag else np.float32(x)
        assert scale(x, k, flag) == want


@settings(max_examples=100, deadline=None)
@given(st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1))
def test_int_arguments_are_c_ints(a, b):
    @cfunc("int64(int32, int32)")
    def widen(a, b):
        return a * b - (a // 7 if a != 0 else 0)

    assert widen(a, b) == a * b - (int(math.floor(a / 7)) if a != 0 else 0)


# --- scipy.integrate.quad ---------------------------------------------------------------------------------------


def integrand_py(t):
    return math.exp(-t) / t**2


integrand = cfunc("float64(float64)")(integrand_py)


def test_quad_takes_ctypes_and_a_low_level_callable():
    want = integrate.quad(integrand_py, 1, np.inf)
    assert integrate.quad(integrand.ctypes, 1, np.inf) == want
    assert integrate.quad(LowLevelCallable(integrand.ctypes), 1, np.inf) == want


def f_nxx_py(x, a, b):
    return math.sin(a * x) + b * x * x


@cfunc("float64(intc, CPointer(float64))")
def f_nxx(n, xx):
    # `double f(int n, double *xx)`: xx[0] is x, the rest quad's extra args.
    return math.sin(xx[1] * xx[0]) + xx[2] * xx[0] * xx[0]


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-5, 5),
    st.floats(-5, 5),
    st.floats(-10, 10),
    st.floats(0.1, 10),
)
def test_quad_of_the_n_xx_form_with_extra_args(a, b, lo, width):
    want = integrate.quad(f_nxx_py, lo, lo + width, args=(a, b))
    got = integrate.quad(LowLevelCallable(f_nxx.ctypes), lo, lo + width, args=(a, b))
    assert got == want


# --- scipy.ndimage.generic_filter -------------------------------------------------------------------------------


@cfunc(types.intc(types.CPointer(types.float64), types.intp, types.CPointer(types.float64), types.voidptr))
def nb_spread(values_ptr, len_values, result, data):
    values = carray(values_ptr, (len_values,), dtype=types.float64)
    lo = values[0]
    hi = values[0]
    total = 0.0
    for v in values:
        lo = min(lo, v)
        hi = max(hi, v)
        total += v
    result[0] = hi - lo + total / len_values
    return 1


def spread_py(values):
    total = 0.0
    for v in values:
        total += v
    return values.max() - values.min() + total / len(values)


@pytest.mark.parametrize("size", [3, (2, 4), 5])
def test_generic_filter_with_a_low_level_callable(size):
    image = np.random.default_rng(7).standard_normal((24, 31))
    want = ndimage.generic_filter(image, spread_py, size=size)
    got = ndimage.generic_filter(image, LowLevelCallable(nb_spread.ctypes), size=size)
    np.testing.assert_array_equal(got, want)


def test_generic_filter_with_numpy_median_and_float64_dtype_arg():
    @cfunc(types.intc(types.CPointer(types.float64), types.intp, types.CPointer(types.float64), types.voidptr))
    def nb_median(values_ptr, len_values, result, data):
        values = carray(values_ptr, (len_values,), dtype=np.float64)
        result[0] = np.median(values)
        return 1

    image = np.random.default_rng(3).random((20, 17))
    want = ndimage.generic_filter(image, np.median, size=3)
    np.testing.assert_array_equal(ndimage.generic_filter(image, LowLevelCallable(nb_median.ctypes), size=3), want)


# --- pointers, carray and farray --------------------------------------------------------------------------------


def test_pointer_reads_and_writes_convert_as_array_elements():
    @cfunc("int64(CPointer(int32), intp)")
    def bump(p, n):
        total = 0
        for i in range(n):
            total += p[i]
            p[i] += 1
        p[0] = 2**40 + 5  # stored as an int32 is: wrapped
        return total

    a = np.array([3, -4, 2**31 - 1, 7], dtype=np.int32)
    expect = a.copy()
    total = bump(a, len(a))
    assert total == int(expect.astype(np.int64).sum())
    expect += 1
    expect[0] = np.array(2**40 + 5).astype(np.int32)
    np.testing.assert_array_equal(a, expect)


@pytest.mark.parametrize("order", ["C", "F"])
def test_carray_and_farray_view_with_numpys_strides(order):
    @cfunc(types.void(types.CPointer(types.float64), types.CPointer(types.float64), types.intc, types.intc))
    def twice_c(in_, out, m, n):
        a = carray(in_, (m, n))
        b = carray(out, (m, n))
        for i in range(m):
            for j in range(n):
                b[i, j] = 2 * a[i, j] + i

    @cfunc(types.void(types.CPointer(types.float64), types.CPointer(types.float64), types.intc, types.intc))
    def twice_f(in_, out, m, n):
        a = farray(in_, (m, n))
        b = farray(out, (m, n))
        for i in range(m):
            for j in range(n):
                b[i, j] = 2 * a[i, j] + i

    src = np.arange(12.0)
    out = np.zeros(12)
    (twice_c if order == "C" else twice_f)(src, out, 3, 4)
    a = src.reshape(3, 4, order=order)
    want = (2 * a + np.arange(3)[:, None]).ravel(order=order)
    np.testing.assert_array_equal(out, want)


@cfunc(types.float64(types.CPointer(types.float64), types.intc, types.intc, types.boolean))
def weighted(p, m, n, fortran):
    a = farray(p, (m, n)) if fortran else carray(p, (m, n))
    s = 0.0
    for i in range(m):
        for j in range(n):
            s += a[i, j] * (i + 1) * (j + 2)
    return s + a.shape[0] * 1000.0 + a.shape[1] * 100000.0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 6), st.integers(0, 6), st.booleans())
def test_carray_shapes_as_numpy_reshapes(m, n, fortran):
    data = np.arange(1.0, m * n + 1.0) * 0.5
    a = data.reshape(m, n, order="F" if fortran else "C")
    want = sum(a[i, j] * (i + 1) * (j + 2) for i in range(m) for j in range(n)) + m * 1000.0 + n * 100000.0
    assert weighted(data, np.int32(m), n, np.bool_(fortran)) == want


def test_carray_of_a_void_pointer_takes_the_dtype():
    @cfunc("float64(voidptr, intc)")
    def total(p, n):
        return carray(p, n, np.int16).sum() * 1.0

    a = np.array([1, -2, 300, 7], dtype=np.int16)
    assert total(a, 4) == float(a.sum())


def test_carray_and_farray_from_python_match_numpy():
    a = np.arange(12.0)
    ptr = a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    np.testing.assert_array_equal(carray(ptr, (3, 4)), a.reshape(3, 4))
    np.testing.assert_array_equal(farray(ptr, (3, 4)), a.reshape(3, 4, order="F"))
    view = carray(ctypes.c_void_p(a.ctypes.data), 12, dtype=np.float64)
    view[0] = 99.0
    assert a[0] == 99.0
    with pytest.raises(TypeError, match="mismatching dtype"):
        carray(ptr, 3, dtype=np.int32)
    with pytest.raises(TypeError, match="needs its dtype"):
        carray(ctypes.c_void_p(a.ctypes.data), 3)


def test_pointer_misuse_is_a_compile_error_naming_it():
    with pytest.raises(CompileError, match="void\\* cannot be indexed"):

        @cfunc("float64(voidptr)")
        def f(p):
            return p[0]

    with pytest.raises(CompileError, match="mismatching dtype 'int32' for pointer type 'float64\\*'"):

        @cfunc("float64(CPointer(float64), intc)")
        def g(p, n):
            return carray(p, n, np.int32)[0] * 1.0

    with pytest.raises(CompileError, match="needs its dtype"):

        @cfunc("float64(voidptr, intc)")
        def h(p, n):
            return carray(p, n)[0]

    with pytest.raises(CompileError, match="one integer index"):

        @cfunc("float64(CPointer(float64))")
        def k(p):
            return p[0:2][0]

    with pytest.raises(CompileError, match="carray\\(\\) takes a pointer"):

        @cfunc("float64(float64)")
        def m(x):
            return carray(x, 3)[0]


# --- signatures -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sig", "match"),
    [
        ("float64(float64", "invalid signature"),
        ("float64(floot64)", "floot64"),
        ("(float64,)", "explicit return type"),
        ("complex128(float64)", "complex128"),
        ("float64(float64[:])", "array"),
        ("CPointer(float64)(float64)", "float64\\*"),
    ],
)
def test_bad_signatures_are_type_errors_at_decoration(sig, match):
    with pytest.raises(TypeError, match=match):
        cfunc(sig)


def test_a_signature_must_fit_the_function():
    with pytest.raises(TypeError, match="2 argument"):

        @cfunc("float64(float64, float64)")
        def one(x):
            return x

    with pytest.raises(TypeError, match="needs a signature"):

        @cfunc
        def bare(x):
            return x


def test_an_unsupported_body_is_a_compile_error_with_its_place():
    with pytest.raises(CompileError) as e:

        @cfunc("float64(float64)")
        def bad(x):
            return tuple(x for i in range(2))

    assert e.value.filename.endswith("test_cfunc.py")


# --- failures at run time: reported, never a crash (in child processes) -----------------------------------------


def run_child(src, tmp_path, timeout=120):
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(src))
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=timeout)


def test_an_exception_is_unraisable_and_the_callback_returns_zero(tmp_path):
    proc = run_child(
        """
        import sys
        import numpy as np
        from scipy import LowLevelCallable, integrate
        from stickyjit import cfunc, carray, types

        seen = []
        sys.unraisablehook = lambda u: seen.append((type(u.exc_value).__name__, str(u.exc_value), u.object))

        @cfunc("float64(float64, float64)")
        def div(x, y):
            return x / y

        assert div(1.0, 0.0) == 0.0 and div(1.0, 4.0) == 0.25
        assert seen == [("ZeroDivisionError", "float division by zero", "<stickyjit C callback 'div'>")], seen

        @cfunc(types.float64(types.CPointer(types.float64), types.intc))
        def past_end(p, n):
            a = carray(p, n)
            return a[n]

        seen.clear()
        assert past_end(np.arange(4.0), 4) == 0.0
        assert seen[0][0] == "IndexError" and "index 4 is out of bounds for axis 0 with size 4" in seen[0][1], seen

        @cfunc("float64(float64)")
        def bad_log(x):
            return 1.0 / (x - 1.0)

        # quad calls it from C: each failing point is reported, quad goes on with 0.
        seen.clear()
        integrate.quad(bad_log.ctypes, 0.0, 2.0)  # 1.0 is the rule's middle node
        print(len(seen) >= 1, all(s[0] == "ZeroDivisionError" for s in seen))
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_the_default_hook_prints_to_stderr(tmp_path):
    proc = run_child(
        """
        from stickyjit import cfunc

        @cfunc("int32(int32)")
        def inv(n):
            return 10 // n

        print(inv(0), inv(3))
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", str(10 // 3)]
    assert "Exception ignored in" in proc.stderr and "<stickyjit C callback 'inv'>" in proc.stderr
    assert "ZeroDivisionError: integer division or modulo by zero" in proc.stderr


def test_a_failure_from_a_thread_without_the_gil(tmp_path):
    # ctypes releases the GIL around a call through a CFUNCTYPE pointer: the report takes it back.
    proc = run_child(
        """
        import sys, threading
        from stickyjit import cfunc

        seen = []
        sys.unraisablehook = lambda u: seen.append(type(u.exc_value).__name__)

        @cfunc("float64(float64)")
        def recip(x):
            return 1.0 / x

        out = []
        threads = [threading.Thread(target=lambda: out.append(recip.ctypes(0.0))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(out == [0.0] * 4, seen == ["ZeroDivisionError"] * 4)
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


# --- the cache and stickiness -----------------------------------------------------------------------------------


def test_a_fresh_process_loads_the_callbacks_from_the_cache(tmp_path):
    src = """
        import numpy as np
        import stickyjit
        from scipy import LowLevelCallable, integrate
        from stickyjit import cfunc, carray, types

        @cfunc("float64(float64)")
        def g(x):
            return x * x + 1.0

        @cfunc(types.intc(types.CPointer(types.float64), types.intp, types.CPointer(types.float64), types.voidptr))
        def mean(values_ptr, n, result, data):
            result[0] = carray(values_ptr, n).mean()
            return 1

        assert integrate.quad(LowLevelCallable(g.ctypes), 0, 3)[0] == integrate.quad(lambda x: x * x + 1.0, 0, 3)[0]
        print(stickyjit.stats()["compiles"], stickyjit.stats()["cache_hits"], g.native_name)
        """
    runs = []
    for _ in range(2):
        proc = run_child(src, tmp_path)
        assert proc.returncode == 0, proc.stderr
        compiles, hits, name = proc.stdout.split()
        runs.append((int(compiles), int(hits), name))
    assert runs[0][0] == 2
    assert runs[1][:2] == (0, 2)  # nothing compiled: both callbacks loaded
    assert runs[0][2] == runs[1][2]  # the same code key


def test_a_cfunc_and_a_jit_of_one_function_have_keys_of_their_own():
    def sq(x):
        return x * x

    c = cfunc("float64(float64)")(sq)
    j = stickyjit.jit("float64(float64)")(sq)
    assert c(3.0) == j(3.0) == 9.0
    assert c.native_name != "sj_" + c.native_name  # the callback is a symbol of its own
    other = cfunc("float32(float32)")(sq)
    assert other.native_name != c.native_name


_cells = itertools.count()


def run_cell(src):
    src = textwrap.dedent(src)
    name = f"<cfunc-cell-{next(_cells)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {}
    exec(compile(src, name, "exec"), ns)
    return ns


CELL = """
from stickyjit import cfunc

@cfunc("float64(float64, float64)")
def hyp(a, b):
    return (a * a + b * b) ** 0.5
"""


def test_rerunning_an_unchanged_cell_returns_the_same_callback():
    first = run_cell(CELL)
    before = stickyjit.stats()["compiles"]
    again = run_cell("# a comment changes nothing\n" + CELL)
    assert again["hyp"] is first["hyp"]
    assert again["hyp"].address == first["hyp"].address
    assert stickyjit.stats()["compiles"] == before
    changed = run_cell(CELL.replace("** 0.5", "** 0.5 + 1.0"))
    assert changed["hyp"] is not first["hyp"]
    assert changed["hyp"](3.0, 4.0) == 6.0 and first["hyp"](3.0, 4.0) == 5.0


# --- called from jitted code, pickled, types -------------------------------------------------------------------


@cfunc("float64(float64)")
def cube(x):
    return x * x * x


def test_jitted_code_calls_a_cfuncs_function():
    @stickyjit.jit
    def use(x):
        return cube(x) + 1.0

    for x in (0.5, -2.0, 3.0):
        assert use(x) == cube.py_func(x) + 1.0


def test_pickled_by_reference_is_the_same_object():
    import pickle

    assert pickle.loads(pickle.dumps(cube)) is cube


def test_pickled_by_value_into_another_process(tmp_path):
    proc = run_child(
        """
        import pickle, subprocess, sys
        from stickyjit import cfunc

        @cfunc("float64(float64)")
        def sq(x):
            return x * x + 1.0

        child = "import pickle, sys; f = pickle.loads(sys.stdin.buffer.read()); print(f(3.0), f.ctypes(0.5))"
        p = subprocess.run([sys.executable, "-c", child], input=pickle.dumps(sq), capture_output=True, timeout=120)
        print(p.returncode, p.stdout.decode().strip(), p.stderr.decode()[-500:])
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[:3] == ["0", str(3.0 * 3.0 + 1.0), str(0.5 * 0.5 + 1.0)], proc.stdout


def test_pointer_types_read_as_numba_writes_them():
    sig = types.parse_signature("intc(CPointer(float64), intp, CPointer(float64), voidptr)")
    assert sig == types.intc(types.CPointer(types.float64), types.intp, types.CPointer(types.float64), types.voidptr)
    assert str(sig) == "int32(float64*, int64, float64*, void*)"
    assert types.CPointer(types.float64) == types.CPointer(types.f8) and types.voidptr is types.VoidPointer()
    assert types.native(types.CPointer(types.int16)) == ("pointer", "int16")
    assert types.native(types.voidptr) == ("pointer", None)
    with pytest.raises(TypeError, match="real scalar"):
        types.CPointer(types.complex128)


@pytest.mark.parametrize(
    ("sig", "args"),
    [
        ("bool(float64)", [(1.0,), (-1.0,), (0.0,)]),
        ("int8(int64)", [(300,), (-129,), (5,)]),
        ("uint16(int64)", [(-1,), (70000,), (12,)]),
        ("int32(int64)", [(2**40 + 3,), (-(2**31) - 1,)]),
    ],
)
def test_results_convert_to_the_c_type_as_numpy_casts(sig, args):
    def positive(x):
        return x > 0

    def identity(x):
        return x

    if sig.startswith("bool"):
        identity = positive
    f = cfunc(sig)(identity)
    dtype = np.dtype(sig.split("(")[0])
    for a in args:
        assert f(*a) == np.array(identity(*a)).astype(dtype).item()


def test_unsigned_64_bit_arguments_and_results():
    @cfunc("uint64(uint64, int16)")
    def big(x, y):
        return x + y

    assert big(2**64 - 5, -1) == (2**64 - 5 - 1)
    assert big(3, -4) == (3 - 4) % 2**64
