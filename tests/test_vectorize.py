"""@vectorize and @guvectorize: real NumPy ufuncs and gufuncs whose loops are compiled.

The oracle is the decorated Python function itself, run by CPython on each element (through
``np.vectorize`` with the output dtype the signature names), or NumPy's own ufunc for simple
cases; results are compared exactly.
"""

from __future__ import annotations

import itertools
import linecache
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import stickyjit
from stickyjit import CompileError, guvectorize, jit, vectorize


def oracle(func, *args, otype):
    """``func`` applied by CPython to each element of the broadcast arguments."""
    return np.vectorize(func, otypes=[otype])(*args)


@vectorize(["float64(float64, float64)", "float32(float32, float32)", "int64(int64, int64)"])
def axpy(a, b):
    return 2 * a + b


@vectorize
def lazy_div(a, b):
    return a / b


@vectorize(["float64(float64)"])
def bumpy(x):
    if x < 0.0:
        return -x * 0.5
    return math.sqrt(x) + 1.0


def test_explicit_signatures_make_a_real_ufunc():
    assert isinstance(axpy.ufunc, np.ufunc)
    assert axpy.types == ["dd->d", "ff->f", "ll->l"]
    assert (axpy.nin, axpy.nout, axpy.nargs, axpy.ntypes) == (2, 1, 3, 3)
    assert axpy.__name__ == "axpy" and axpy.ufunc.__name__ == "axpy"


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_each_signature_gives_the_python_functions_values(dtype):
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(1001) * 100).astype(dtype)
    b = (rng.standard_normal(1001) * 100).astype(dtype)
    got = axpy(a, b)
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(got, oracle(axpy.py_func, a, b, otype=dtype))


def test_branchy_kernel_equals_cpython_per_element():
    x = np.linspace(-5, 5, 1003)
    # LLVM computes both sides of the branch for a vector of elements and selects: the sqrt of
    # the negative ones raises the invalid flag NumPy reports, as under Numba (docs/vectorize.md).
    with np.errstate(invalid="ignore"):
        got = bumpy(x)
    np.testing.assert_array_equal(got, oracle(bumpy.py_func, x, otype="float64"))


def test_broadcasting_strides_and_scalars():
    a = np.arange(12.0).reshape(3, 4)
    b = np.array([1.0, -2.0, 3.0, 0.5])
    np.testing.assert_array_equal(axpy(a, b), 2 * a + b)
    np.testing.assert_array_equal(axpy(a[:, ::2], b[::2]), 2 * a[:, ::2] + b[::2])  # strided
    np.testing.assert_array_equal(axpy(a.T, 1.5), 2 * a.T + 1.5)  # Fortran order
    np.testing.assert_array_equal(axpy(a[::-1], b), 2 * a[::-1] + b)  # negative strides
    assert axpy(2.0, 3.0) == 7.0 and isinstance(axpy(2.0, 3.0), np.float64)
    assert axpy(np.empty((0, 4)), b).shape == (0, 4)


def test_out_where_and_dtype():
    a = np.arange(10.0)
    out = np.full(10, -1.0)
    r = axpy(a, a, out=out)
    assert r is out
    np.testing.assert_array_equal(out, 3 * a)
    out2 = np.full(10, -1.0)
    axpy(a, a, out=out2, where=a > 4)
    np.testing.assert_array_equal(out2, np.where(a > 4, 3 * a, -1.0))
    # dtype= picks the float32 loop (the inputs are cast to it, as for NumPy's ufuncs).
    got = axpy(a, a, dtype="float32")
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np.add(2 * a.astype(np.float32), a.astype(np.float32)))


def test_reduce_accumulate_reduceat_outer_at():
    a = np.arange(1.0, 9.0)
    # axpy(acc, x) = 2 * acc + x, folded left to right as NumPy folds.
    expected = a[0]
    acc = [a[0]]
    for x in a[1:]:
        expected = 2 * expected + x
        acc.append(expected)
    assert axpy.reduce(a) == expected
    np.testing.assert_array_equal(axpy.accumulate(a), acc)
    m = a.reshape(2, 4)
    np.testing.assert_array_equal(axpy.reduce(m, axis=1), [axpy.reduce(m[0]), axpy.reduce(m[1])])
    np.testing.assert_array_equal(axpy.reduceat(a, [0, 4]), [axpy.reduce(a[:4]), axpy.reduce(a[4:])])
    np.testing.assert_array_equal(axpy.outer(a[:3], a[:2]), 2 * a[:3, None] + a[None, :2])
    b = np.zeros(4)
    axpy.at(b, [0, 0, 2], 1.0)
    np.testing.assert_array_equal(b, [3.0, 0.0, 1.0, 0.0])


def test_identity_makes_reduce_of_empty_work():
    @vectorize(["int64(int64, int64)"], identity=0)
    def plus(a, b):
        return a + b

    assert plus.identity == 0
    assert plus.reduce(np.array([], dtype=np.int64)) == 0
    assert plus.reduce(np.arange(100)) == sum(range(100))
    with pytest.raises(ValueError):
        axpy.reduce(np.array([]))  # no identity: NumPy's error
    with pytest.raises(ValueError, match="identity"):
        vectorize(["int64(int64, int64)"], identity=5)


def test_lazy_form_compiles_a_loop_per_input_dtype_tuple():
    assert lazy_div.types == [] or "ll->d" in lazy_div.types
    got = lazy_div(np.arange(6), 4)
    np.testing.assert_array_equal(got, np.arange(6) / 4)
    assert "ll->d" in lazy_div.types
    n = lazy_div.ntypes
    lazy_div(np.arange(3), 7)  # the same dtypes: no new loop
    assert lazy_div.ntypes == n
    f32 = lazy_div(np.arange(1, 4, dtype=np.float32), np.float32(3))
    assert f32.dtype == np.float32 and "ff->f" in lazy_div.types
    np.testing.assert_array_equal(f32, np.arange(1, 4, dtype=np.float32) / np.float32(3))
    np.testing.assert_array_equal(lazy_div.reduce(np.array([64.0, 2.0, 4.0])), 8.0)


@vectorize
def lazy_twice(a):
    return a * 2


def test_lazy_loops_are_in_numpys_order_so_each_dtype_finds_its_own():
    # float64 first: an int64 call then still runs 'l->l' (NumPy takes the first loop its inputs
    # cast to safely, and int64 casts safely to float64).
    assert lazy_twice(np.array([1.5])).dtype == np.float64
    got = lazy_twice(np.array([2**62 + 1, 3]))
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, [(2**62 + 1) * 2 - 2**64, 6])  # int64 wraps, as NumPy's
    assert lazy_twice.types == ["l->l", "d->d"]
    assert lazy_twice(np.array([True])).dtype == np.int64  # bool * 2 is an int in Python


@vectorize
def lazy_third(a):
    return a / 3


def test_lazy_dtype_compiles_the_loop_of_that_dtype():
    x = np.array([1.0, 2.0], dtype=np.float32)
    got = lazy_third(x, dtype="float64")  # the float64 loop, x cast to float64 (safely)
    assert got.dtype == np.float64 and got.tolist() == [1.0 / 3, 2.0 / 3]
    assert lazy_third.types == ["d->d"]
    with pytest.raises(TypeError, match="No loop matching"):
        lazy_third(np.array([1, 2]), dtype="float32")  # int64 -> float32 is not safe: NumPy refuses


def test_division_by_zero_follows_numpy_and_error_model_python_raises():
    with np.errstate(divide="ignore", invalid="ignore"):
        got = lazy_div(np.array([1.0, -1.0, 0.0]), 0.0)
    np.testing.assert_array_equal(got, np.array([1.0, -1.0, 0.0]) / np.zeros(3) if False else [np.inf, -np.inf, np.nan])
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        lazy_div(np.array([1.0]), 0.0)

    @vectorize(["float64(float64)"], error_model="python")
    def inverse(x):
        return 1.0 / x

    with pytest.raises(ZeroDivisionError, match="float division by zero"):
        inverse(np.array([1.0, 0.0, 2.0]))
    with pytest.raises(ZeroDivisionError):
        inverse.ufunc(np.array([0.0]))  # the bare ufunc raises it too


def test_math_errors_raise_as_in_python():
    with pytest.raises(ValueError, match="math domain error"):
        math.sqrt(-1.0)

    @vectorize(["float64(float64)"])
    def root(x):
        return math.sqrt(x)

    np.testing.assert_array_equal(root(np.array([4.0, 9.0])), [2.0, 3.0])
    with pytest.raises(ValueError, match="math domain error"):
        root(np.array([4.0, -1.0, 9.0]))


def test_an_unbound_local_names_the_variable():
    @vectorize(["float64(float64)"])
    def maybe(x):
        if x > 0:
            y = 1.0
        return y  # noqa: F821 - unbound for x <= 0, as the test wants

    with pytest.raises(UnboundLocalError, match="cannot access local variable 'y'"):
        maybe.py_func(-1.0)
    with pytest.raises(UnboundLocalError, match="cannot access local variable 'y'"):
        maybe(np.array([1.0, -1.0]))


def test_unsupported_dtype_is_numpys_type_error():
    with pytest.raises(TypeError, match="not supported for the input types"):
        axpy(np.array(["a"]), np.array(["b"]))
    with pytest.raises(TypeError, match="not supported for the input types"):
        bumpy(np.array([1 + 2j]))

    @vectorize
    def lazy_neg(x):
        return -x

    with pytest.raises(TypeError, match="lazy_neg"):
        lazy_neg(np.array([1], dtype=np.float16))  # float16 arrays: not compiled, NumPy says so
    # Complex arrays have loops of their own.
    np.testing.assert_array_equal(lazy_neg(np.array([1 + 2j])), [-1 - 2j])
    np.testing.assert_array_equal(lazy_neg(np.array([1, 2], dtype=np.int16)), [-1, -2])


@pytest.mark.parametrize(
    "sig, match",
    [
        ("float64(float64, float64", "invalid signature"),
        ("float64(nosuchtype)", "not a stickyjit type"),
        ("float64(float64[:], float64)", "a ufunc's types are"),
        ("float64(float64)", "has 1 argument type"),
        (["float64(float64, float64)", "int64(float64, float64)"], "the same argument types as an earlier one"),
    ],
)
def test_bad_signatures_are_clear_errors(sig, match):
    with pytest.raises(TypeError, match=match):

        @vectorize(sig if isinstance(sig, list) else [sig])
        def two(a, b):
            return a + b


def test_kernel_that_does_not_compile_is_a_compile_error():
    with pytest.raises(CompileError):

        @vectorize(["float64(float64)"])
        def bad(x):
            return [x]


def test_jitted_code_calls_the_scalar_kernel():
    @jit
    def use(x, y):
        return axpy(x, y) + bumpy(y)

    assert use(1.5, 4.0) == axpy.py_func(1.5, 4.0) + bumpy.py_func(4.0)
    assert use(3, 4.0) == axpy.py_func(3, 4.0) + bumpy.py_func(4.0)


@vectorize
def larger(a, b):
    if a > b:
        return a
    return b


def test_jitted_code_calls_the_ufunc_on_arrays():
    # tests/test_vectorize_jitted.py tests this in depth.
    @jit
    def use(x, y):
        return axpy(x, y)

    @jit
    def use_branch(x, y):
        return larger(x, y)

    x, y = np.arange(4.0), np.full(4, 0.5)
    np.testing.assert_array_equal(use(x, y), axpy(x, y))
    assert use_branch(1.0, 2.0) == 2.0
    np.testing.assert_array_equal(use_branch(x, y), larger(x, y))


def test_jitted_code_calls_a_gufunc():
    # tests/test_vectorize_jitted.py tests this in depth.
    @jit
    def use(x, out):
        gu_add(x, 1.0, out)

    out = np.zeros(3)
    use(np.arange(3.0), out)
    np.testing.assert_array_equal(out, gu_add(np.arange(3.0), 1.0))


# --- stickiness and the cache -----------------------------------------------------------------

_cells = itertools.count()


def run_cell(src):
    src = textwrap.dedent(src)
    name = f"<vec-cell-{next(_cells)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {}
    exec(compile(src, name, "exec"), ns)
    return ns


CELL = """
from stickyjit import vectorize, guvectorize

@vectorize(["float64(float64, float64)"])
def hyp(a, b):
    return (a * a + b * b) ** 0.5

@vectorize
def lazy_hyp(a, b):
    return (a * a + b * b) ** 0.5

@guvectorize(["void(float64[:], float64[:])"], "(n)->()")
def norm(x, out):
    s = 0.0
    for v in x:
        s += v * v
    out[0] = s ** 0.5
"""


def test_rerunning_an_unchanged_cell_returns_the_same_objects():
    first = run_cell(CELL)
    first["lazy_hyp"](np.ones(3), np.ones(3))
    before = stickyjit.stats()["compiles"]
    again = run_cell("# a comment changes nothing\n" + CELL)
    for name in ("hyp", "lazy_hyp", "norm"):
        assert again[name] is first[name]
    assert again["lazy_hyp"].types == ["dd->d"]
    np.testing.assert_array_equal(again["hyp"](3.0, 4.0), 5.0)
    assert stickyjit.stats()["compiles"] == before
    changed = run_cell(CELL.replace("** 0.5\n\n@vectorize", "** 0.5 + 0.0\n\n@vectorize"))
    assert changed["hyp"] is not first["hyp"] and changed["lazy_hyp"] is first["lazy_hyp"]


def test_a_fresh_process_loads_every_loop_from_the_cache(tmp_path):
    script = tmp_path / "vec_cache.py"
    script.write_text(
        textwrap.dedent(
            """
            import numpy as np
            import stickyjit
            from stickyjit import vectorize, guvectorize

            @vectorize(["float64(float64, float64)", "int64(int64, int64)"])
            def mix(a, b):
                return a * 3 + b

            @vectorize
            def lazy(a):
                return a * 0.5

            @guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")
            def shift(x, y, out):
                for i in range(x.shape[0]):
                    out[i] = x[i] + y

            assert list(mix(np.arange(4.0), 1.0)) == [1.0, 4.0, 7.0, 10.0]
            assert list(lazy(np.arange(3))) == [0.0, 0.5, 1.0]
            assert shift(np.arange(3.0), 1.0).tolist() == [1.0, 2.0, 3.0]
            print(stickyjit.stats()["compiles"], stickyjit.stats()["cache_hits"])
            """
        )
    )
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(tmp_path / "cache"))
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs.append(tuple(int(v) for v in proc.stdout.split()))
    assert runs[0][0] > 0
    assert runs[1] == (0, runs[0][0])  # nothing compiled: every loop (and probe) loaded


# --- guvectorize ------------------------------------------------------------------------------


@guvectorize(["void(float64[:], float64, float64[:])", "void(int64[:], int64, int64[:])"], "(n),()->(n)")
def gu_add(x, y, out):
    for i in range(x.shape[0]):
        out[i] = x[i] + y


@guvectorize(["void(float64[:, :], float64[:, :], float64[:, :])"], "(m,n),(n,p)->(m,p)")
def gu_matmul(a, b, out):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            out[i, j] = s


@guvectorize(["void(float64[:], float64[:])"], "(n)->()")
def gu_sum(x, out):
    s = 0.0
    for v in x:
        s += v
    out[0] = s


def test_gufunc_is_a_real_generalized_ufunc():
    assert isinstance(gu_add.ufunc, np.ufunc)
    assert gu_add.signature == "(n),()->(n)"
    assert gu_add.types == ["dd->d", "ll->l"]


def test_gufunc_scalar_core_broadcasts_over_the_outer_loop():
    x = np.arange(12.0).reshape(3, 4)
    y = np.array([10.0, 20.0, 30.0])
    np.testing.assert_array_equal(gu_add(x, y[:, None][:, 0]), x + y[:, None])
    np.testing.assert_array_equal(gu_add(np.arange(5), 3), np.arange(5) + 3)
    out = np.zeros((3, 4))
    gu_add(x[:, ::-1], 1.0, out=out)
    np.testing.assert_array_equal(out, x[:, ::-1] + 1.0)


def test_gufunc_matmul_over_a_stack():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((5, 3, 4))
    b = rng.standard_normal((4, 2))
    got = gu_matmul(a, b)
    assert got.shape == (5, 3, 2)
    expected = np.array(
        [[[sum(a[s, i, k] * b[k, j] for k in range(4)) for j in range(2)] for i in range(3)] for s in range(5)]
    )
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(gu_matmul(a.transpose(0, 2, 1).copy().transpose(0, 2, 1), b), expected, rtol=1e-15)


def test_gufunc_output_core_scalar_as_one_element_array():
    x = np.arange(20.0).reshape(4, 5)
    np.testing.assert_array_equal(gu_sum(x), [sum(row) for row in x.tolist()])
    np.testing.assert_array_equal(gu_sum(x, axis=0), [sum(col) for col in x.T.tolist()])


def test_gufunc_kernel_temporaries_are_freed():
    @guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
    def twice(x, out):
        tmp = np.empty(x.shape[0])
        for i in range(x.shape[0]):
            tmp[i] = 2 * x[i]
        out[:] = tmp

    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(twice(x), 2 * x)


def test_gufunc_inputs_are_read_only_in_the_kernel():
    @guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
    def scribble(x, out):
        x[0] = 1.0
        out[:] = x

    a = np.zeros(3)
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        scribble(a)
    assert not a.any()

    @guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", writable_args=(0,))
    def scribble_ok(x, out):
        x[0] = 1.0
        out[:] = x

    np.testing.assert_array_equal(scribble_ok(a), [1.0, 0.0, 0.0])
    assert a[0] == 1.0


@pytest.mark.parametrize(
    "args, match",
    [
        ((["void(float64[:], float64[:])"], "(n)->"), "invalid gufunc layout"),
        ((["void(float64[:], float64[:])"], "(n)(n)"), "invalid gufunc layout"),
        ((["void(float64[:, :], float64[:])"], "(n)->(n)"), "2 dimension"),
        ((["float64(float64[:], float64[:])"], "(n)->(n)"), "returns nothing"),
        ((["void(float64[:], float64[:])"], "(n)->(n)", "extra"), "one or two positional"),
    ],
)
def test_gufunc_bad_layouts_and_signatures(args, match):
    with pytest.raises((TypeError, ValueError), match=match):

        @guvectorize(*args)
        def copy(x, out):
            for i in range(x.shape[0]):
                out[i] = x[i]


@guvectorize("(n),()->(n)")
def gu_dynamic(x, y, out):
    for i in range(x.shape[0]):
        out[i] = x[i] * y


def test_dynamic_gufunc_compiles_a_loop_per_operand_dtypes():
    x = np.arange(6.0).reshape(2, 3)
    out = np.zeros((2, 3))
    gu_dynamic(x, 2.0, out)
    np.testing.assert_array_equal(out, x * 2.0)
    assert gu_dynamic.types == ["dd->d"]
    iout = np.zeros(4, dtype=np.int64)
    gu_dynamic(np.arange(4), 3, out=iout)
    np.testing.assert_array_equal(iout, np.arange(4) * 3)
    assert gu_dynamic.types == ["ll->l", "dd->d"]  # in NumPy's order: int64 inputs find their own loop
    with pytest.raises(TypeError, match="Too few arguments"):
        gu_dynamic(x, 2.0)


def test_pickling_by_reference_and_by_value(tmp_path):
    import pickle

    lazy_twice(np.arange(2.0))
    for obj in (axpy, lazy_twice, gu_add, gu_dynamic):
        assert pickle.loads(pickle.dumps(obj)) is obj  # importable: by reference, the live object
    script = tmp_path / "vec_pickle.py"
    script.write_text(
        textwrap.dedent(
            """
            import pickle, subprocess, sys
            import numpy as np
            from stickyjit import vectorize

            from stickyjit import guvectorize

            @vectorize
            def cube(a):
                return a * a * a

            @guvectorize(["void(float64[:, ::1], float64[:])"], "(m,n)->(m)")
            def row_sums(x, out):
                for i in range(x.shape[0]):
                    out[i] = x[i].sum()

            cube(np.arange(3))
            child = (
                "import pickle, sys, numpy as np; c = pickle.loads(sys.stdin.buffer.read()); "
                "print(c.types, c(np.arange(4)).tolist(), c(np.arange(3.0)).tolist())"
            )
            proc = subprocess.run([sys.executable, "-c", child], input=pickle.dumps(cube), capture_output=True, timeout=120)
            sys.stdout.write(proc.stdout.decode() + proc.stderr.decode())
            child = (
                "import pickle, sys, numpy as np; g = pickle.loads(sys.stdin.buffer.read()); "
                "print(g.signature, g(np.arange(6.0).reshape(1, 2, 3)).tolist())"
            )
            proc = subprocess.run([sys.executable, "-c", child], input=pickle.dumps(row_sums), capture_output=True, timeout=120)
            sys.stdout.write(proc.stdout.decode() + proc.stderr.decode())
            """
        )
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    # By value: the loop compiled at a call in the parent travels, the other is compiled there.
    assert proc.stdout.strip().splitlines() == ["['l->l'] [0, 1, 8, 27] [0.0, 1.0, 8.0]", "(m,n)->(m) [[3.0, 12.0]]"], (
        proc.stdout
    )


def test_threads_meeting_new_dtypes_compile_each_loop_once():
    from concurrent.futures import ThreadPoolExecutor

    @vectorize
    def poly(x):
        return x * x - 3 * x + 1

    dtypes = ["int64", "float64", "float32", "int32", "uint8", "bool"] * 4
    arrays = [np.arange(50).astype(d) for d in dtypes]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(poly, arrays))
    for a, got in zip(arrays, results):
        np.testing.assert_array_equal(got, oracle(poly.py_func, a, otype=got.dtype))
    assert len(poly.types) == len(set(poly.types)) == 6


def test_ctrl_c_stops_a_long_ufunc_loop(tmp_path):
    import signal
    import time

    script = tmp_path / "vec_sigint.py"
    script.write_text(
        textwrap.dedent(
            """
            import signal, sys
            signal.signal(signal.SIGINT, signal.default_int_handler)
            import numpy as np
            from stickyjit import vectorize

            @vectorize(["int64(int64)"])
            def spin(n):
                x = 0
                while n > 0:
                    x = (x * 31 + 7) % 1000003
                return x

            spin(np.zeros(3, dtype=np.int64))
            print("ready", flush=True)
            try:
                spin(np.ones(100000, dtype=np.int64))
                print("finished", flush=True)
            except KeyboardInterrupt:
                print("KeyboardInterrupt", flush=True)
            """
        )
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert out.strip() == "KeyboardInterrupt", err
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_redefining_a_jitted_function_the_kernel_calls_is_seen_by_the_ufunc():
    ns = {}
    for src in (
        """
        from stickyjit import jit, vectorize, guvectorize

        @jit
        def step(x):
            return x + 1.0

        @vectorize(["float64(float64)"])
        def stepped(x):
            return step(x) * 2.0

        @guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
        def gstepped(x, out):
            for i in range(x.shape[0]):
                out[i] = step(x[i])
        """,
    ):
        src = textwrap.dedent(src)
        name = f"<vec-cell-{next(_cells)}>"
        linecache.cache[name] = (len(src), None, src.splitlines(True), name)
        exec(compile(src, name, "exec"), ns)
    assert ns["stepped"](1.0) == 4.0
    np.testing.assert_array_equal(ns["gstepped"](np.array([1.0])), [2.0])
    src = "from stickyjit import jit\n\n@jit\ndef step(x):\n    return x + 2.0\n"
    name = f"<vec-cell-{next(_cells)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    exec(compile(src, name, "exec"), ns)
    assert ns["stepped"](1.0) == 6.0
    np.testing.assert_array_equal(ns["gstepped"](np.array([1.0])), [3.0])


@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n)->(),()")
def gu_minmax(x, lo, hi):
    a = x[0]
    b = x[0]
    for v in x:
        a = min(a, v)
        b = max(b, v)
    lo[0] = a
    hi[0] = b


@guvectorize(["void(float64[:], float64[:], float64[:])"], "(3),(3)->(3)")
def gu_cross(a, b, out):
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]


def test_gufunc_with_two_outputs_and_fixed_core_dimensions():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 5))
    lo, hi = gu_minmax(x)
    np.testing.assert_array_equal(lo, [min(r) for r in x.tolist()])
    np.testing.assert_array_equal(hi, [max(r) for r in x.tolist()])
    a, b = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    expected = [
        [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]]
        for p, q in zip(a.tolist(), b.tolist())
    ]
    np.testing.assert_array_equal(gu_cross(a, b), expected)
    with pytest.raises(ValueError, match="mismatch in its core dimension"):
        gu_cross(np.ones((2, 4)), np.ones((2, 4)))  # NumPy checks the fixed size


def test_numbas_spellings_are_accepted():
    import stickyjit as nb

    @nb.vectorize([nb.float64(nb.float64, nb.float64), nb.int64(nb.int64, nb.int64)], nopython=True, cache=True)
    def sub(a, b):
        return a - b

    assert sub.types == ["dd->d", "ll->l"]
    np.testing.assert_array_equal(sub(np.arange(3), 1), [-1, 0, 1])

    @nb.vectorize("float64(float64)", fastmath=True)
    def half(x):
        return x * 0.5

    assert half(3.0) == 1.5

    @nb.vectorize(nopython=True)
    def lazy_sub(a, b):
        return a - b

    assert lazy_sub(5, 3) == 2
    with pytest.raises(ValueError, match="Unsupported target"):
        nb.vectorize(["float64(float64)"], target="cuda")
    with pytest.raises(TypeError, match="unknown option"):
        nb.vectorize(["float64(float64)"], turbo=True)


# --- property: any broadcastable shapes, strides and dtypes -----------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402


@vectorize
def mixed(a, b):
    if a > b:
        return a * 2 - b
    return b - a + 1


_DTYPES = ["int8", "int32", "int64", "uint8", "float32", "float64", "bool"]


@st.composite
def operand_pairs(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=5))
    out = []
    for shape in shapes.input_shapes:
        dtype = draw(st.sampled_from(_DTYPES))
        elements = st.integers(-50, 50) if dtype not in ("bool", "uint8") else None
        if dtype == "uint8":
            elements = st.integers(0, 100)
        a = draw(hnp.arrays(dtype, shape, elements=elements))
        if a.ndim and draw(st.booleans()):
            a = a[..., ::-1]  # a negative stride
        out.append(a)
    return out


@given(operand_pairs())
def test_property_lazy_ufunc_equals_cpython_per_element(pair):
    a, b = pair
    got = mixed(a, b)
    expected = np.vectorize(mixed.py_func, otypes=[got.dtype])(a.astype(object), b.astype(object))
    if got.dtype.kind == "f":
        # The kernel computes in the loop's float type (float32 for two float32 operands, as
        # NumPy's own float32 loops); CPython computes in double, rounded to it here.
        expected = np.vectorize(lambda x, y: mixed.py_func(float(x), float(y)), otypes=[got.dtype])(a, b)
    np.testing.assert_array_equal(got, expected)


def test_a_complex_signature_compiles_a_complex_loop():
    @vectorize(["complex128(complex128, complex128)"])
    def mul(x, y):
        return x * y.conjugate()

    @vectorize(["float64(complex128)"])
    def mag(z):
        return abs(z)

    a, b = np.array([1 + 2j, 3 - 1j]), np.array([2j, 1 + 1j])
    np.testing.assert_array_equal(mul(a, b), a * b.conjugate())
    np.testing.assert_array_equal(mag(a), np.abs(a))
