"""``f.reduce(a, axis=k)`` and ``f.accumulate(a, axis=k)`` of a @vectorize object called from
jitted code (Numba's DUFunc.reduce in nopython code): the kernel folded along the axis in the
loop NumPy picks for ``(a.dtype, a.dtype)``; reduce from the identity when the object has one,
else (and accumulate always) from the first element.

The oracle is the same object's ``reduce`` / ``accumulate`` called from Python on the same array (NumPy's loop
selection, fold order, identity and errors); results are compared exactly, dtypes too.
"""

from __future__ import annotations

import functools
import linecache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from stickyjit import CompileError, jit, vectorize


@vectorize(["int64(int64, int64)", "float64(float64, float64)"])
def sig_sub(a, b):
    return a - b


@vectorize(["int64(int64, int64)", "float64(float64, float64)"], identity=1)
def sig_sub_one(a, b):
    return a - b + 1


@vectorize(["float64(float64, float64)"], identity=0)
def sig_float_only(a, b):
    return a * 0.5 - b


@vectorize
def lazy_gap(a, b):
    if a > b:
        return a - b
    return b - a * 2


@vectorize(identity=0)
def lazy_gap_zero(a, b):
    if a > b:
        return a - b
    return b - a * 2


@vectorize(identity="reorderable")
def lazy_reorderable(a, b):
    return a - b


OBJECTS = {
    "sig_sub": sig_sub,
    "sig_sub_one": sig_sub_one,
    "sig_float_only": sig_float_only,
    "lazy_gap": lazy_gap,
    "lazy_gap_zero": lazy_gap_zero,
    "lazy_reorderable": lazy_reorderable,
}

_cells = iter(range(1 << 30))


@functools.cache
def reducer(name, axis, method="reduce"):
    """A jitted ``lambda a: f.reduce(a, axis=axis)`` (``axis`` "default": no axis given)."""
    call = f"{name}.{method}(a)" if axis == "default" else f"{name}.{method}(a, axis={axis})"
    src = f"def call(a):\n    return {call}\n"
    filename = f"<ureduce-{next(_cells)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {name: OBJECTS[name]}
    exec(compile(src, filename, "exec"), ns)
    return jit(ns["call"])


def python_reduce(f, a, axis, method="reduce"):
    m = getattr(f, method)
    return m(a) if axis == "default" else m(a, axis=axis)


def outcome(fn):
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the oracle's exception is compared
        return "raise", e


def same(expected, got):
    expected = np.asarray(expected)
    got = np.asarray(got)
    assert got.dtype == expected.dtype, f"dtype: from Python {expected.dtype}, jitted {got.dtype}"
    assert got.shape == expected.shape, f"shape: from Python {expected.shape}, jitted {got.shape}"
    np.testing.assert_array_equal(got, expected)


def elements(dtype):
    if dtype == "float64":
        return st.floats(-100, 100)
    return st.integers(-100, 100)


@st.composite
def cases(draw):
    name = draw(st.sampled_from(sorted(OBJECTS)))
    dtype = draw(st.sampled_from(["int64", "float64"]))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    a = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    n = len(shape)
    axis = draw(st.sampled_from(["default", None, *range(-n, n)]))
    if axis is not None and n > 1 and draw(st.booleans()):
        a = a.T  # an F-ordered view: the fold along an axis is in index order all the same
    method = draw(st.sampled_from(["reduce", "accumulate"]))
    return name, a, axis, method


@settings(max_examples=500, deadline=None)
@given(cases())
def test_reduce_from_jitted_code_matches_reduce_from_python(case):
    name, a, axis, method = case
    f = OBJECTS[name]
    kind, expected = outcome(lambda: python_reduce(f, a, axis, method))
    got_kind, got = outcome(lambda: reducer(name, axis, method)(a))
    if kind == "raise":
        # No identity and an empty axis, or axis=None over several axes of a ufunc that is not
        # reorderable (accumulate: over several axes): NumPy's ValueError and message.
        assert got_kind == "raise", f"expected {expected!r}, got {got!r}"
        assert type(got) is type(expected) and str(got) == str(expected)
        return
    assert got_kind == "ok", f"expected {expected!r}, raised {got!r}"
    same(expected, got)


@pytest.mark.parametrize("name", ["sig_sub", "lazy_gap", "sig_float_only", "sig_sub_one"])
@pytest.mark.parametrize("dtype", ["int64", "float64"])
def test_one_dimensional_reduce_is_a_left_fold(name, dtype):
    f = OBJECTS[name]
    a = np.array([7, -3, 11, 2, 5], dtype=dtype)
    for axis in ("default", None, 0, -1):
        for method in ("reduce", "accumulate"):
            same(python_reduce(f, a, axis, method), reducer(name, axis, method)(a))


def test_empty_axis_without_identity_raises_numpys_value_error():
    for name, a, axis in [
        ("sig_sub", np.zeros(0), "default"),
        ("lazy_gap", np.zeros((2, 0), dtype=np.int64), 1),
        ("sig_sub", np.zeros((0, 3)), 0),
        ("lazy_reorderable", np.zeros((0, 2)), None),
    ]:
        with pytest.raises(ValueError) as expected:
            python_reduce(OBJECTS[name], a, axis)
        with pytest.raises(ValueError) as got:
            reducer(name, axis)(a)
        assert str(got.value) == str(expected.value)


def test_axis_none_over_several_axes_needs_a_reorderable_ufunc():
    a = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError) as expected:
        sig_sub.reduce(a, axis=None)
    with pytest.raises(ValueError) as got:
        reducer("sig_sub", None)(a)
    assert str(got.value) == str(expected.value)
    same(lazy_reorderable.reduce(a, axis=None), reducer("lazy_reorderable", None)(a))


def test_accumulate_axis_none_over_several_axes_raises_numpys_value_error():
    a = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError) as expected:
        lazy_reorderable.accumulate(a, axis=None)
    with pytest.raises(ValueError) as got:
        reducer("lazy_reorderable", None, "accumulate")(a)
    assert str(got.value) == str(expected.value)


def test_axis_out_of_bounds_is_a_compile_error():
    a = np.arange(4.0)
    with pytest.raises(np.exceptions.AxisError):
        sig_sub.reduce(a, axis=1)
    with pytest.raises(CompileError, match="axis 1 is out of bounds for array of dimension 1"):
        reducer("sig_sub", 1)(a)


def test_reduce_inside_a_larger_computation():
    @jit
    def use(m):
        rows = sig_sub.reduce(m, axis=1)
        return rows * 2.0, sig_sub_one.reduce(rows)

    m = np.arange(12.0).reshape(3, 4)
    got = use(m)
    same(sig_sub.reduce(m, axis=1) * 2.0, got[0])
    same(sig_sub_one.reduce(sig_sub.reduce(m, axis=1)), got[1])


@vectorize(["float64(int64, int64)"])
def sig_widening(a, b):
    return a - b


def test_a_loop_whose_output_is_not_its_input_dtype_is_a_compile_error():
    a = np.arange(4)
    with pytest.raises(TypeError):
        sig_widening.reduce(a)

    @jit
    def use(x):
        return sig_widening.reduce(x)

    with pytest.raises(CompileError, match=r"reduces with a loop \(d, d\) -> d only"):
        use(a)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("sig_sub.accumulate(a, dtype=np.float64)", "'dtype=' is not compiled for 'sig_sub.accumulate()'"),
        ("sig_sub.reduceat(a, [0, 2])", "'sig_sub.reduceat' is not compiled"),
        ("sig_sub.outer(a, a)", "'sig_sub.outer' is not compiled"),
        ("sig_sub.at(a, [0], 1.0)", "'sig_sub.at' is not compiled"),
        ("sig_sub.reduce(a, dtype=np.float64)", "'dtype=' is not compiled for 'sig_sub.reduce()'"),
        ("sig_sub.reduce(a, out=a)", "'out=' is not compiled for 'sig_sub.reduce()'"),
        ("sig_sub.reduce(a, keepdims=True)", "'keepdims=' is not compiled for 'sig_sub.reduce()'"),
        ("sig_sub.reduce(a, axis=k)", "int literal or None only"),
    ],
)
def test_other_methods_and_keywords_are_compile_errors(call, message):
    src = f"def call(a, k):\n    return {call}\n"
    filename = f"<ureduce-{next(_cells)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"sig_sub": sig_sub, "np": np}
    exec(compile(src, filename, "exec"), ns)
    with pytest.raises(CompileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        jit(ns["call"])(np.arange(4.0), 0)
