"""A @vectorize object called from jitted code is a ufunc there too (Numba's DUFunc in nopython
code): its kernel elementwise over the broadcast arguments, in the loop NumPy picks.

The oracle is the same ufunc object called from Python on the same inputs (NumPy's
broadcasting, loop selection, casting and `out=`); results are compared exactly, dtypes too.
"""

from __future__ import annotations

import itertools
import linecache
import math
import textwrap
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, guvectorize, jit, vectorize

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]


@vectorize(["float64(float64, float64)", "float32(float32, float32)", "int64(int64, int64)"])
def sig_branch(a, b):
    if a > b:
        return a - b
    return b * 2 - a


@vectorize(["int32(int32, int32)", "float64(float64, float64)"])
def sig_int32_first(a, b):
    return a * 3 + b


@vectorize(["int8(int8, int8)", "float32(float32, float32)"])
def sig_narrow(a, b):
    return a * 3 + b


@vectorize(["int64(float64, float64)"])
def sig_truncating(a, b):
    return a / 3 + b


@vectorize
def lazy_loop(x, y):
    acc = 0
    for k in range(3):
        if x > y:
            acc += x - k
        else:
            acc -= y
    return acc * 0.5 + x


@vectorize
def lazy_div(x, y):
    return x / y


@vectorize
def lazy_unary(x):
    if x < 0:
        return -x
    return math.sqrt(x) + 1


@jit
def call_sig_branch(a, b):
    return sig_branch(a, b)


@jit
def call_sig_int32_first(a, b):
    return sig_int32_first(a, b)


@jit
def call_sig_narrow(a, b):
    return sig_narrow(a, b)


@jit
def call_sig_truncating(a, b):
    return sig_truncating(a, b)


@jit
def call_lazy_loop(a, b):
    return lazy_loop(a, b)


@jit
def call_lazy_div(a, b):
    return lazy_div(a, b)


# Each ufunc and a jitted function calling it.
@vectorize(["float64(float64, float64)"], error_model="python")
def strict_div(a, b):
    return a / b


@vectorize(["float64(float64, float64)"], target="parallel")
def par(a, b):
    return a * b + 1.0


KERNELS = [
    (sig_branch, call_sig_branch),
    (sig_int32_first, call_sig_int32_first),
    (sig_narrow, call_sig_narrow),
    (sig_truncating, call_sig_truncating),
    (lazy_loop, call_lazy_loop),
    (lazy_div, call_lazy_div),
]


def python_outcome(f, *args, **kwargs):
    """The ufunc from Python: ('ok', array) or ('raise', exception class)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", f(*args, **kwargs)
        except (TypeError, ValueError, OverflowError) as e:
            return "raise", type(e)


def same(expected, got):
    expected = np.asarray(expected)
    got = np.asarray(got)
    assert got.dtype == expected.dtype, f"dtype: from Python {expected.dtype}, jitted {got.dtype}"
    assert got.shape == expected.shape, f"shape: from Python {expected.shape}, jitted {got.shape}"
    np.testing.assert_array_equal(got, expected)


def elements(dtype):
    d = np.dtype(dtype)
    if d.kind == "f":
        return st.floats(-1e6, 1e6, width=d.itemsize * 8)
    if d.kind == "b":
        return st.booleans()
    info = np.iinfo(d)
    return st.integers(max(info.min, -1000), min(info.max, 1000))


def layout(draw, a):
    """`a` as a C, Fortran, reversed or strided array (the same values)."""
    kind = draw(st.sampled_from(["C", "F", "reversed", "strided"]))
    if kind == "F" and a.ndim:  # (np.asfortranarray makes a 0-d array 1-d: not the same shape)
        return np.asfortranarray(a)
    if kind == "reversed" and a.ndim:
        return np.ascontiguousarray(a[::-1])[::-1]
    if kind == "strided" and a.ndim:
        wide = np.zeros((*a.shape[:-1], 2 * a.shape[-1]), dtype=a.dtype)
        wide[..., ::2] = a
        return wide[..., ::2]
    return a


@st.composite
def operand_pairs(draw, numbers=True):
    """Two operands of broadcastable shapes (0-size and 0-d included): arrays of any dtypes and
    layouts, or (`numbers`) an array and a Python number."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=0, max_side=4))
    out = []
    for k, shape in enumerate(shapes.input_shapes):
        kinds = ["array", "array", "array", "int", "float", "bool"] if numbers and k else ["array"]
        kind = draw(st.sampled_from(kinds))
        if kind == "array":
            d = draw(st.sampled_from(DTYPES))
            out.append(layout(draw, draw(hnp.arrays(d, shape, elements=elements(d)))))
        elif kind == "int":
            out.append(draw(st.integers(-100, 100)))
        elif kind == "float":
            out.append(draw(st.floats(-1e3, 1e3)))
        else:
            out.append(draw(st.booleans()))
    if draw(st.booleans()):
        out.reverse()
    return out


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KERNELS), st.data())
def test_ufunc_called_from_jitted_code_matches_the_ufunc_called_from_python(kernel, data):
    f, call2 = kernel
    # A lazy object called from Python with a number beside an array may run a loop compiled
    # at an earlier call, one NumPy finds first for that number (its loops depend on the calls
    # made before); compiled code compiles the kernel for the number's own type, as Numba does.
    # Lazy objects get arrays only here (numbers: the tests below).
    args = data.draw(operand_pairs(numbers=f._frozen))
    kind, expected = python_outcome(f, *args)
    if kind == "raise":
        # NumPy's TypeError (no loop for those dtypes) is a CompileError in compiled code.
        assert expected is TypeError
        with pytest.raises(CompileError, match="not supported for the input types"):
            call2(*args)
        return
    with np.errstate(all="ignore"):
        same(expected, call2(*args))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(DTYPES), st.data())
def test_unary_lazy_kernel_on_each_dtype_and_layout(d, data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
    a = layout(data.draw, data.draw(hnp.arrays(d, shape, elements=elements(d))))

    @jit
    def use(x):
        return lazy_unary(x)

    with np.errstate(all="ignore"):
        same(lazy_unary(a), use(a))


def test_kernel_with_a_branch_on_arrays():
    @jit
    def use(x, y):
        return sig_branch(x, y)

    x, y = np.arange(6.0).reshape(2, 3), np.array([1.0, 5.0, 2.0])
    same(sig_branch(x, y), use(x, y))
    same(sig_branch(x.astype(np.float32), y.astype(np.float32)), use(x.astype(np.float32), y.astype(np.float32)))


def test_numbers_mixed_with_arrays_broadcast():
    @jit
    def use(x):
        return sig_branch(2.5, x), sig_branch(x, 1), lazy_loop(x, True)

    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    got = use(x)
    same(sig_branch(2.5, x), got[0])
    same(sig_branch(x, 1), got[1])
    same(lazy_loop(x, True), got[2])


def test_numbers_alone_run_the_loop_numpy_picks():
    @jit
    def use(a, b):
        return sig_int32_first(a, b), sig_branch(a, b), lazy_loop(a, b), sig_truncating(a, b)

    for a, b in [(2, 3), (7, 1), (2.5, 3), (True, 4)]:
        got = use(a, b)
        for f, g in zip([sig_int32_first, sig_branch, lazy_loop, sig_truncating], got):
            expected = f(a, b)
            assert g == expected and type(g) is type(expected.item()), (f.__name__, a, b, g, expected)


def test_result_dtype_of_each_loop():
    @jit
    def use(a, b):
        return sig_narrow(a, b)

    a = np.array([100, -120, 7], dtype=np.int8)
    same(sig_narrow(a, a), use(a, a))  # int8: wraps as the loop stores it
    same(sig_narrow(a, 2), use(a, 2))  # a weak int fits the int8 loop
    # A float beside integers is a float64 (NEP 50), which neither loop takes.
    with pytest.raises(TypeError):
        sig_narrow(a, 2.5)
    with pytest.raises(CompileError, match="not supported for the input types"):
        use(a, 2.5)
    same(sig_narrow(a.astype(np.float32), 2.5), use(a.astype(np.float32), 2.5))  # the float32 loop
    same(sig_narrow(a.astype(np.int16), a), use(a.astype(np.int16), a))  # no int8 loop for int16: float32
    same(sig_truncating(a, a), call_sig_truncating(a, a))  # a float stored into int64: truncated


def test_out_is_written_and_returned():
    @jit
    def use(x, y, o):
        r = sig_branch(x, y, out=o)
        return r

    @jit
    def positional(x, y, o):
        return lazy_loop(x, y, o)

    x, y = np.arange(6.0).reshape(2, 3), np.array([1.0, 5.0, 2.0])
    o = np.zeros((2, 3))
    r = use(x, y, o)
    same(sig_branch(x, y), o)
    assert np.shares_memory(r, o)
    same(o, r)
    # Inputs broadcast to the output's shape, and the result is cast to its dtype.
    o2, e2 = np.zeros((4, 2, 3), np.float32), np.zeros((4, 2, 3), np.float32)
    use(x, y, o2)
    sig_branch(x, y, out=e2)
    same(e2, o2)
    o3, e3 = np.zeros((2, 3)), np.zeros((2, 3))
    positional(x, y, o3)
    lazy_loop(x, y, e3)
    same(e3, o3)


def test_out_view_of_an_input():
    @jit
    def use(x):
        return sig_branch(x[:, ::-1], 1.0, out=x)

    x = np.arange(8.0).reshape(2, 4)
    expected = x.copy()
    sig_branch(expected[:, ::-1], 1.0, out=expected)
    use(x)
    same(expected, x)


def test_shape_mismatch_is_numpys_value_error():
    @jit
    def use(x, y):
        return sig_branch(x, y)

    x, y = np.ones(3), np.ones(4)
    with pytest.raises(ValueError) as numpy_error:
        sig_branch(x, y)
    with pytest.raises(ValueError) as jitted_error:
        use(x, y)
    assert str(jitted_error.value) == str(numpy_error.value)

    @jit
    def into(x, o):
        return sig_branch(x, x, out=o)

    with pytest.raises(ValueError):
        sig_branch(x, x, out=np.zeros(4))
    with pytest.raises(ValueError):
        into(x, np.zeros(4))


def test_fuses_with_the_expression_around_it():
    @jit
    def use(x, y):
        return sig_branch(x, y) * 2.0 + lazy_loop(x, y) - np.sqrt(np.abs(x))

    x, y = np.linspace(-3, 3, 7), np.linspace(2, -2, 7)
    same(sig_branch(x, y) * 2.0 + lazy_loop(x, y) - np.sqrt(np.abs(x)), use(x, y))


def test_kernel_follows_its_own_error_model():
    # error_model='numpy' (the decorator's default): x / 0.0 is inf or nan, whatever the caller's.
    @jit(error_model="python")
    def use(x, y):
        return lazy_div(x, y), lazy_div(1.0, 0.0)

    x, y = np.array([1.0, 0.0, -2.0]), np.zeros(3)
    got = use(x, y)
    with np.errstate(all="ignore"):
        same(lazy_div(x, y), got[0])
    assert got[1] == math.inf

    @jit
    def use_strict(x, y):
        return strict_div(x, y)

    with pytest.raises(ZeroDivisionError):
        strict_div(x, y)
    with pytest.raises(ZeroDivisionError):
        use_strict(x, y)


def test_errors():
    @jit
    def no_loop(x):
        return sig_int32_first(x, x)

    with pytest.raises(TypeError):
        sig_int32_first(np.ones(2, np.complex128), 1)
    with pytest.raises(CompileError, match="takes numbers and arrays of bool, integers or floats"):
        no_loop(np.ones(2, np.complex128))

    @jit
    def too_many(x):
        return lazy_unary(x, x, x)

    with pytest.raises(CompileError, match="takes 1 argument"):
        too_many(np.ones(2))

    @jit
    def dtype_kw(x):
        return lazy_unary(x, dtype=np.float32)

    with pytest.raises(CompileError, match="'dtype=' is not compiled"):
        dtype_kw(np.ones(2))


def test_parallel_target_runs_as_cpu():
    x3 = np.arange(12.0).reshape(4, 3)
    out, expected = np.zeros(4), np.zeros(4)
    gu_norm3(x3, expected)
    call_gu_norm3(x3, out)
    same(np.sqrt((x3 * x3).sum(axis=1)), expected)
    same(expected, out)

    @jit
    def use(x):
        return par(x, x)

    x = np.arange(5.0)
    same(x * x + 1.0, par(x, x))
    same(par(x, x), use(x))


# --- @guvectorize ----------------------------------------------------------------------------


@guvectorize(["void(float64[:], float64, float64[:])", "void(int64[:], int64, int64[:])"], "(n),()->(n)")
def gu_shift(x, y, out):
    for i in range(x.shape[0]):
        if x[i] > y:
            out[i] = x[i] - y
        else:
            out[i] = x[i] + y


@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->()")
def gu_dot(x, y, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    out[0] = s


@guvectorize(["void(float64[:, :], float64[:, :], float64[:, :])"], "(m,n),(n,p)->(m,p)")
def gu_matmul(a, b, out):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            out[i, j] = s


@guvectorize("(n)->(n),()")
def gu_cumsum(x, out, total):
    s = 0
    for i in range(x.shape[0]):
        s += x[i]
        out[i] = s
    total[0] = s


@guvectorize(["void(float64[:], float64[:])"], "(3)->()", target="parallel")
def gu_norm3(x, out):
    out[0] = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) ** 0.5


@jit
def call_gu_shift(x, y, out):
    gu_shift(x, y, out)


@jit
def call_gu_dot(x, y, out):
    return gu_dot(x, y, out=out)


@jit
def call_gu_matmul(a, b, out):
    gu_matmul(a, b, out)


@jit
def call_gu_cumsum(x, out, total):
    gu_cumsum(x, out, total)


@jit
def call_gu_norm3(x, out):
    gu_norm3(x, out)


GUFUNCS = {
    "(n),()->(n)": (gu_shift, call_gu_shift),
    "(n),(n)->()": (gu_dot, call_gu_dot),
    "(m,n),(n,p)->(m,p)": (gu_matmul, call_gu_matmul),
    "(n)->(n),()": (gu_cumsum, call_gu_cumsum),
    "(3)->()": (gu_norm3, call_gu_norm3),
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(GUFUNCS)), st.data())
def test_gufunc_called_from_jitted_code_matches_the_gufunc_called_from_python(layout_text, data):
    g, call = GUFUNCS[layout_text]
    # (Hypothesis draws shapes for one output: gu_cumsum's are drawn as "(n)->(n)"'s.)
    signature = "(n)->(n)" if g is gu_cumsum else layout_text
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(signature=signature, min_dims=0, max_dims=2, min_side=0, max_side=4)
    )
    ins, outs = layout_text.split("->")
    nout = outs.count("(")
    dtype = "int64" if g is gu_cumsum or (g is gu_shift and data.draw(st.booleans())) else "float64"
    inputs = []
    for shape in shapes.input_shapes:
        a = data.draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
        if g is gu_shift and len(inputs) == 1 and data.draw(st.booleans()):
            inputs.append(
                float(data.draw(st.integers(-50, 50))) if dtype == "float64" else data.draw(st.integers(-50, 50))
            )
            continue
        inputs.append(layout(data.draw, a))
    result_shapes = [shapes.result_shape]
    if nout == 2:
        result_shapes = [shapes.result_shape, shapes.result_shape[:-1]]
    expected = [np.zeros(s, dtype) for s in result_shapes]
    got = [np.zeros(s, dtype) for s in result_shapes]
    try:
        g(*inputs, *expected)
    except TypeError:
        # NumPy's loop for those operands writes another dtype than the outputs': compiled
        # code does not cast a gufunc's outputs (a CompileError says so).
        with pytest.raises(CompileError):
            call(*inputs, *got)
        return
    call(*inputs, *got)
    for e, o in zip(expected, got):
        same(e, o)


def test_gufunc_mismatched_core_dimension_is_numpys_value_error():
    x, y = np.ones((2, 3)), np.ones(4)
    with pytest.raises(ValueError) as numpy_error:
        gu_dot(x, y, np.zeros(2))
    with pytest.raises(ValueError) as jitted_error:
        call_gu_dot(x, y, np.zeros(2))
    # NumPy's message, but for the sizes it ends with.
    assert str(numpy_error.value).startswith(str(jitted_error.value))
    with pytest.raises(ValueError):
        gu_norm3(np.ones(4), np.zeros(()))
    with pytest.raises(ValueError, match="mismatch in its core dimension"):
        call_gu_norm3(np.ones(4), np.zeros(()))
    with pytest.raises(ValueError):
        gu_shift(x, 1.0, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="could not be broadcast"):
        call_gu_shift(x, 1.0, np.zeros((3, 3)))


def test_gufunc_errors_at_compile_time():
    @jit
    def no_output(x):
        return gu_dot(x, x)

    with pytest.raises(CompileError, match="takes 3 operands, its outputs included, 2 given"):
        no_output(np.ones(3))
    with pytest.raises(CompileError, match="convert it with astype"):
        call_gu_dot(np.ones(3, np.float32), np.ones(3), np.zeros(()))
    with pytest.raises(CompileError, match="output operand 1 of the gufunc 'gu_dot' must be an array"):
        call_gu_dot(np.ones(3), np.ones(3), 0.0)


@guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
def gu_writes_input(x, out):
    x[0] = 1.0
    out[0] = x[0]


@guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", writable_args=(0,))
def gu_writes_input_allowed(x, out):
    x[0] = 5.0
    out[:] = x


@jit
def call_gu_writes_input(x, out):
    gu_writes_input(x, out)


@jit
def call_gu_writes_input_allowed(x, out):
    gu_writes_input_allowed(x, out)


def test_gufunc_inputs_are_read_only_unless_writable():
    with pytest.raises(ValueError, match="read-only"):
        gu_writes_input(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="read-only"):
        call_gu_writes_input(np.zeros(3), np.zeros(3))
    x, out, ex, eout = np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3))
    gu_writes_input_allowed(ex, eout)
    call_gu_writes_input_allowed(x, out)
    same(ex, x)
    same(eout, out)


# --- stickiness -------------------------------------------------------------------------------

_cells = itertools.count()


def run_cell(src, ns):
    src = textwrap.dedent(src)
    name = f"<vecjit-cell-{next(_cells)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    exec(compile(src, name, "exec"), ns)
    return ns


def test_redefining_the_kernel_recompiles_the_jitted_caller():
    ns = run_cell(
        """
        from stickyjit import jit, vectorize

        @vectorize(["float64(float64)"])
        def k(x):
            return x + 1.0

        @vectorize
        def lazy(x):
            return x * 2

        @jit
        def use(a):
            return k(a) + lazy(a)
        """,
        {},
    )
    a = np.arange(3.0)
    same(a + 1.0 + a * 2, ns["use"](a))
    run_cell(
        """
        @vectorize(["float64(float64)"])
        def k(x):
            if x > 1.0:
                return x - 1.0
            return x
        """,
        ns,
    )
    same(ns["k"](a) + a * 2, ns["use"](a))
    run_cell(
        """
        @vectorize
        def lazy(x):
            return x * 3
        """,
        ns,
    )
    same(ns["k"](a) + a * 3, ns["use"](a))


def test_redefining_a_gufunc_recompiles_the_jitted_caller():
    ns = run_cell(
        """
        from stickyjit import jit, guvectorize

        @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
        def total(x, out):
            out[0] = x.sum()

        @jit
        def use(a, o):
            total(a, o)
        """,
        {},
    )
    a, o = np.arange(6.0).reshape(2, 3), np.zeros(2)
    ns["use"](a, o)
    same(a.sum(axis=1), o)
    run_cell(
        """
        @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
        def total(x, out):
            out[0] = x.max()
        """,
        ns,
    )
    ns["use"](a, o)
    same(a.max(axis=1), o)
