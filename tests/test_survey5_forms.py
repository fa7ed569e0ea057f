"""Forms from survey 5 (hapsira's orbital mechanics, librosa, tslearn, sktime), each checked
against CPython running the same function: `np.asarray` of arrays and lists, library functions
given a list (`np.cross([0, 0, 1], h)`), `np.expand_dims` with a negative axis.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import stickyjit
from stickyjit import CompileError, jit


def same_arrays(f, *args):
    """`f`'s arrays (a tuple of them) compiled and in CPython: equal values, shapes and dtypes."""
    want, got = f(*args), jit(f)(*args)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)


def write_through_asarray(a):
    b = np.asarray(a)
    b[0] = 5.0
    return float(a[0]), b.shape


def write_through_asarray_of_a_view(a):
    b = np.asarray(a[::2])
    b[1] = -1.0
    return a


def asarray_of_lists(n):
    xs = [0.5 * i for i in range(n)]
    rows = [[1, 2, 3], [4, 5, 6]]
    return np.asarray(xs), np.asarray(rows), np.asarray([1, 2, 3]) * 2


def orbit_normal(h):
    # hapsira's rv2coe: the node vector.
    return np.cross([0, 0, 1], h), np.cross(h, [1.0, 0.0, 0.0])


def expanded(a):
    return np.expand_dims(a, -1), np.expand_dims(a, -2), np.expand_dims(a, 0)


@pytest.mark.parametrize("f", [write_through_asarray, write_through_asarray_of_a_view])
def test_asarray_of_an_array_is_the_array_itself(f):
    a, b = np.arange(6.0), np.arange(6.0)
    want, got = f(a), jit(f)(b)
    np.testing.assert_equal(got, want)
    np.testing.assert_array_equal(b, a)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_asarray_of_a_list_copies_it_as_np_array_does(n):
    same_arrays(asarray_of_lists, n)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, 3, elements=st.floats(-1e3, 1e3)))
def test_library_functions_take_a_list_where_numpy_does(h):
    same_arrays(orbit_normal, h)
    same_arrays(orbit_normal, h.astype(np.int64))


@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 3, 4)])
def test_expand_dims_with_a_negative_axis(shape):
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    got = jit(expanded)(a)
    want = expanded(a)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_array_equal(g, w)
    # A view: a store through it reaches the array.
    got[0][(0,) * (a.ndim + 1)] = -7.0
    assert a.flat[0] == -7.0


def asarray_of_a_string(x):
    return np.asarray("abc")


def asarray_with_dtype(a):
    return np.asarray(a, np.float32)


@pytest.mark.parametrize(
    ("f", "arg", "says"),
    [
        (asarray_of_a_string, 2.0, "np.asarray() takes an array, a number or a list of numbers here, not str"),
        (asarray_with_dtype, np.ones(2), "dtype= and order= are not compiled"),
    ],
)
def test_what_asarray_does_not_take_is_a_compile_error(f, arg, says):
    with pytest.raises(CompileError) as info:
        jit(f)(arg)
    assert says in str(info.value)


def compare_tuples(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


small_tuples = st.lists(st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False)), max_size=3).map(tuple)


@settings(max_examples=200, deadline=None)
@given(small_tuples, small_tuples)
def test_tuples_compare_item_by_item_as_cpython_compares_them(a, b):
    # tslearn's and librosa's path walks: `while (i, j) != (0, 0)`. (A NaN item is never equal
    # here; CPython's `t == t` of one tuple object holding a NaN is True, by identity.)
    assert jit(compare_tuples)(a, b) == compare_tuples(a, b)


def nested_and_strings():
    return ((1, 2), 3) == ((1, 2), 3), ("a", 1) < ("b", 0), ((1, 2), "x") <= ((1, 2), "w")


def test_nested_tuples_and_strings_compare():
    assert jit(nested_and_strings)() == nested_and_strings()


def ordered_with_complex(a):
    return (a, 1) < (1j, 2)


def tuple_against_a_number(a):
    return (a, 1) == a


@pytest.mark.parametrize("f", [ordered_with_complex, tuple_against_a_number])
def test_tuples_compared_with_what_has_no_order_are_compile_errors(f):
    with pytest.raises(CompileError, match="tuples are compared with tuples"):
        jit(f)(1.0)


def rounded(x):
    return np.round(x, decimals=2), round(x, ndigits=1), np.round(x, 1)


@pytest.mark.parametrize("x", [2.567, -0.125, 1e10 / 3])
def test_round_takes_its_digits_by_keyword(x):
    assert jit(rounded)(x) == rounded(x)


def extremes_of_tuples(a, b, c):
    # librosa's DTW step: `min(cost_options)` of a tuple.
    t = (a, b, c)
    return min(t), max(t), min((a, 2.5)), max((b,))


@pytest.mark.parametrize("args", [(1.0, -2.0, 2.5), (0.0, -0.0, 3.0), (3, 1, 2), (-0.0, 0.0, -0.0), (np.nan, 1.0, 2.0)])
def test_min_and_max_of_a_tuple_are_of_its_items(args):
    got, want = jit(extremes_of_tuples)(*args), extremes_of_tuples(*args)
    assert repr(got).replace(".0", "") == repr(want).replace(".0", "")  # ints come back as floats beside floats


def to_3d(x):
    # sktime's `_make_3d_series`: the branch on a local holding `x.ndim` is decided by the
    # argument's type, as a branch on `x.ndim` is (the other branches do not type for it).
    num_dims = x.ndim
    is_matrix = num_dims == 2
    if num_dims == 1:
        shape = x.shape
        _x = np.reshape(x, (shape[0], 1, 1))
    elif is_matrix:
        shape = x.shape
        _x = np.reshape(x, (shape[0], 1, shape[1]))
    elif num_dims > 3:
        raise ValueError("too many dimensions")
    else:
        _x = x
    return _x


@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 3, 4)])
def test_a_branch_on_a_local_holding_ndim_is_pruned(shape):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    got, want = jit(to_3d)(x), to_3d(x)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def rotation_shape(a):
    # poliastro's `rotation_matrix`: `np.zeros(angle.shape + (3, 3))`.
    r = np.zeros(a.shape + (3, 3))
    t = (1, 2.5) + () + (a.shape[0],)
    return r.shape, t, () + (), (a.ndim,) + a.shape[1:]


@pytest.mark.parametrize("shape", [(2,), (2, 4), (1, 2, 3)])
def test_tuples_concatenate_with_plus(shape):
    a = np.ones(shape)
    assert jit(rotation_shape)(a) == rotation_shape(a)


def unpack_rows(m):
    # poliastro's maneuvers: `r, v = rv` of a (2, 3) array.
    r, v = m
    r[0] = 7.0  # a view: the store reaches `m`
    a, b = np.ones((2, 2)) * 3.0  # rows of a temporary, kept alive by the views
    return r + v, m[0, 0], a, b


@pytest.mark.parametrize("order", ["C", "F"])
def test_unpacking_an_array_gives_its_rows(order):
    m1 = np.asarray(np.arange(6.0).reshape(2, 3), order=order)
    m2 = m1.copy(order=order)
    got, want = jit(unpack_rows)(m1), unpack_rows(m2)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(m1, m2)


def unpack_too_many(m):
    a, b, c = m
    return a


def test_unpacking_rows_checks_the_count_as_cpython():
    m = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"not enough values to unpack \(expected 3, got 2\)"):
        jit(unpack_too_many)(m)
    with pytest.raises(ValueError, match=r"not enough values to unpack \(expected 3, got 2\)"):
        unpack_too_many(m)


def rotation_of_a_scalar_angle(angle, axis):
    # poliastro's `rotation_matrix` for a float angle: a 0-d array through np.cos, stored
    # through `R[..., i, j]`.
    angle = np.asarray(angle)
    c = np.cos(angle)
    s = np.sin(angle)
    a1 = (axis + 1) % 3
    a2 = (axis + 2) % 3
    R = np.zeros(angle.shape + (3, 3))
    R[..., axis, axis] = 1.0
    R[..., a1, a1] = c
    R[..., a1, a2] = -s
    R[..., a2, a1] = s
    R[..., a2, a2] = c
    return R


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("angle", [0.3, -2.0, 7])
def test_asarray_of_a_number_is_a_0d_array(angle, axis):
    got, want = jit(rotation_of_a_scalar_angle)(angle, axis), rotation_of_a_scalar_angle(angle, axis)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def windows(m):
    # librosa's beat tracker: `np.hanning(window)`.
    return np.hanning(m), np.hamming(m), np.blackman(m), np.bartlett(m)


@settings(max_examples=40, deadline=None)
@given(st.integers(-3, 400))
def test_window_functions_are_numpys(m):
    for got, want in zip(jit(windows)(m), windows(m)):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-15, atol=1e-16)  # NumPy's cos may differ in the last bit


def test_numba_core_names_import_and_mean_what_they_say():
    # sktime: `from numba.core.errors import NumbaWarning`; code catching Numba's TypingError.
    import warnings

    from stickyjit.core import errors, types

    assert issubclass(errors.NumbaWarning, Warning)
    assert issubclass(errors.NumbaPerformanceWarning, errors.NumbaWarning)
    assert types.float64 is __import__("stickyjit").float64
    warnings.simplefilter("ignore", category=errors.NumbaWarning)

    def bad(x):
        return x.no_such_attribute

    with pytest.raises(errors.TypingError):
        jit(bad)(1.0)


def cross_correlation(x):
    # tslearn's cycc: an objmode block around NumPy's FFT.
    with stickyjit.objmode(cc="float64[:]"):
        cc = np.fft.ifft(np.fft.fft(x)).real
    return cc


def test_objmode_runs_as_python_and_is_a_compile_error_in_compiled_code():
    x = np.arange(4.0)
    np.testing.assert_allclose(cross_correlation(x), x, atol=1e-12)
    with pytest.raises(CompileError, match="with statement"):
        jit(cross_correlation)(x)


def sakoe_band(n):
    # sktime's lower bounding: `np.interp(list(range(n)), [0, n - 1], [lo, hi])`.
    return np.interp(list(range(n)), [0, n - 1], [0.5, n - 0.5])


@pytest.mark.parametrize("n", [2, 3, 8])
def test_interp_takes_lists(n):
    got, want = jit(sakoe_band)(n), sakoe_band(n)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def interquartile(x):
    # sktime's `iqr`: `p75, p25 = np.percentile(X, [75, 25])`.
    p75, p25 = np.percentile(x, [75, 25])
    return p75 - p25, np.percentile(x, np.array([10.0, 50.0, 90.0]))


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e3, 1e3)))
def test_percentile_of_a_list_of_percentiles(x):
    (g0, g1), (w0, w1) = jit(interquartile)(x), interquartile(x)
    assert g0 == w0
    np.testing.assert_array_equal(g1, w1)


def ndims(n):
    return np.ndim([1.0, 2.0]), np.ndim([[1, 2], [3, 4]]), np.ndim(n), np.ndim(np.zeros((2, 2, 2)))


def test_ndim_of_lists():
    assert jit(ndims)(3) == ndims(3)
