"""More NumPy functions compiled from stickyjit's library (python/stickyjit/_numpy_lib/):
digitize, logspace, geomspace, tile, append, take, flipud, fliplr, rot90, fill_diagonal,
ediff1d, vdot, kron, nanmedian, nanquantile, nanpercentile, argwhere and polyval; each checked
against NumPy's own answer on the same inputs (dtypes, empty arrays, NaN, reversed and strided
views), and NumPy's error class for the values NumPy rejects."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_numpy_library import _warnings_ignored, arrays, same_array, same_scalar

from stickyjit import CompileError, jit
from stickyjit._numpy_lib import IMPLEMENTATIONS


def same(got, want):
    """NumPy's array (dtype, shape, elements) or scalar (as the Python value stickyjit returns)."""
    if isinstance(want, np.ndarray) and want.ndim > 0:
        same_array(got, want)
    else:
        same_scalar(got, want[()] if isinstance(want, np.ndarray) else want)


def numpy_or_error(f, *args):
    """NumPy's answer, or the exception it raises."""
    try:
        with np.errstate(all="ignore"), _warnings_ignored():
            return f(*args)
    except Exception as e:  # noqa: BLE001 - NumPy's error is the expected answer
        return e


def check_like_numpy(numpy_f, ours, *args, close=None):
    """ours(*args) gives NumPy's answer, or raises NumPy's error class (ValueError for
    NumPy's ValueError subclasses); `close` (an rtol) compares floats within it."""
    want = numpy_or_error(numpy_f, *args)
    if isinstance(want, Exception):
        with pytest.raises(Exception) as got:
            ours(*args)
        if isinstance(want, ValueError):
            assert isinstance(got.value, ValueError), (got.value, want)
        else:
            assert isinstance(got.value, type(want)), (got.value, want)
        return
    with np.errstate(all="ignore"):
        got = ours(*args)
    if close is None:
        same(got, want)
    else:
        assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
        np.testing.assert_allclose(got, want, rtol=close, atol=0, equal_nan=True)


def views(a):
    """a, a reversed view and a strided view of it."""
    return [a, a[::-1], a[::2]]


# ---------------------------------------------------------------------------------------------
# digitize


@jit
def call_digitize(x, bins):
    return np.digitize(x, bins)


@jit
def call_digitize_right(x, bins, right):
    return np.digitize(x, bins, right=right)


BINS = [
    np.array([1.0, 2.0, 3.0]),
    np.array([0, 2, 2, 5, 9]),
    np.array([9, 5, 2, 2, 0]),
    np.array([3.0, 2.0, 1.0], dtype=np.float32),
    np.array([], dtype=np.float64),
    np.array([2.0, 2.0, 2.0]),
    np.array([1.0, np.nan]),  # NumPy: decreasing (1 < nan is false)
    np.array([np.nan, 1.0, 2.0]),  # neither: ValueError
    np.array([1, 3, 2]),  # neither: ValueError
    np.array([-np.inf, 0.0, np.inf]),
    np.array([1, 2, 3], dtype=np.uint8),
    np.array([False, True]),
]
XS = [
    np.array([0.5, 1.0, 2.0, 2.5, 3.0, 4.0, np.nan, -np.inf, np.inf, -0.0]),
    np.arange(-1, 11).reshape(3, 4),
    np.arange(-1, 11, dtype=np.int8)[::-3],
    np.array([], dtype=np.float32),
    np.array([1.5, 2.0], dtype=np.float32),
    np.array([True, False]),
    2.0,
    2,
    math.nan,
]


@pytest.mark.parametrize("bins", BINS, ids=lambda b: f"{b.dtype}{b.shape}")
def test_digitize_matches_numpy(bins):
    for b in views(bins):
        for x in XS:
            check_like_numpy(np.digitize, call_digitize, x, b)
            for right in (False, True):
                check_like_numpy(lambda x, b, r: np.digitize(x, b, right=r), call_digitize_right, x, b, right)


@given(
    arrays(dtypes=[np.float64, np.int64, np.int32], max_size=12, inf=False),
    hnp.arrays(np.float64, st.integers(0, 30), elements=st.integers(-15, 15).map(float)),
    st.booleans(),
    st.booleans(),
)
def test_digitize_of_sorted_bins_matches_numpy(bins, x, right, decreasing):
    b = np.sort(bins)
    if decreasing:
        b = b[::-1]
    check_like_numpy(lambda x, b, r: np.digitize(x, b, right=r), call_digitize_right, x, b, right)


def test_digitize_of_unsorted_bins_is_a_value_error():
    with pytest.raises(ValueError):
        np.digitize([1.0], [1.0, 3.0, 2.0])
    with pytest.raises(ValueError):
        call_digitize(np.array([1.0]), np.array([1.0, 3.0, 2.0]))


def test_digitize_of_2d_bins_is_a_compile_error_naming_it():
    with pytest.raises(CompileError, match=r"np.digitize\(\) is compiled from stickyjit's implementation"):
        call_digitize(np.ones(3), np.ones((2, 2)))


# ---------------------------------------------------------------------------------------------
# logspace, geomspace


@jit
def call_logspace(start, stop, num):
    return np.logspace(start, stop, num)


@jit
def call_logspace_base(start, stop, num, base):
    return np.logspace(start, stop, num=num, base=base)


@jit
def call_logspace_default(start, stop):
    return np.logspace(start, stop)


@jit
def call_geomspace(start, stop, num):
    return np.geomspace(start, stop, num)


@jit
def call_geomspace_default(start, stop):
    return np.geomspace(start, stop)


# np.power and np.log10 may use SIMD kernels that round differently from libm's pow and log10
# in the last bit (documented), and 10 ** x magnifies the last bit of x by ln(10) * x (about 9
# for x near 4, which hypothesis found: 2.1e-15 apart): compared within 1e-14.
RTOL = 1e-14
NUMBERS = st.one_of(st.floats(-30, 30), st.integers(-30, 30))


@given(NUMBERS, NUMBERS, st.integers(-2, 60), st.sampled_from([10.0, 2.0, 2, -2.0, 0.5, math.e, 0.0, 1.0]))
def test_logspace_matches_numpy(start, stop, num, base):
    check_like_numpy(np.logspace, call_logspace, start, stop, num, close=RTOL)
    check_like_numpy(
        lambda a, b, n, base: np.logspace(a, b, num=n, base=base),
        call_logspace_base,
        start,
        stop,
        num,
        base,
        close=RTOL,
    )


def test_logspace_and_geomspace_defaults_and_special_values():
    check_like_numpy(np.logspace, call_logspace_default, 0.0, 3.0, close=RTOL)
    check_like_numpy(np.geomspace, call_geomspace_default, 1.0, 1000.0, close=RTOL)
    check_like_numpy(np.logspace, call_logspace, 0, 3, 4, close=RTOL)
    check_like_numpy(np.logspace, call_logspace, math.nan, 3.0, 4, close=RTOL)
    # A float32 start: float64 here (as linspace's), NumPy 2 keeps float32.
    np.testing.assert_allclose(call_logspace(np.float32(0.5), 3.0, 4), np.logspace(0.5, 3.0, 4), rtol=RTOL)
    for start, stop in [
        (1, 1000),
        (-1.0, -1000.0),
        (-1.0, 1000.0),  # NaN between the ends, as NumPy
        (1e-300, 1e300),
        (np.float32(1.5), 7.0),
        (math.nan, 2.0),
        (1.0, math.inf),
        (2.0, 2.0),
        (5, 3),
    ]:
        for num in (0, 1, 2, 7, 50):
            check_like_numpy(np.geomspace, call_geomspace, start, stop, num, close=RTOL)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.integers(-1, 40))
@example(-392338.2683681614, -3.8833535024330335e-171, 4)  # found on a CPython 3.13 run
def test_geomspace_matches_numpy(start, stop, num):
    # geomspace is power(10, linspace(log10 |start|, log10 |stop|)): a last-bit difference
    # between libm's log10 and NumPy's is multiplied by the exponent (ln 10 * |log10 x| units in
    # the last place: 1.6e-14 relative for an end of 1e-171).
    exponent = max(abs(math.log10(abs(x))) for x in (start, stop) if x != 0) if start and stop else 0.0
    check_like_numpy(np.geomspace, call_geomspace, start, stop, num, close=RTOL + 4 * math.log(10) * exponent * 2**-52)


def test_geomspace_with_zero_and_negative_num_are_value_errors():
    for start, stop, num in [(0.0, 1.0, 3), (1.0, 0, 3), (-0.0, 5.0, 1), (1.0, 2.0, -1)]:
        check_like_numpy(np.geomspace, call_geomspace, start, stop, num)


# ---------------------------------------------------------------------------------------------
# tile, append, take, flipud, fliplr, rot90


@jit
def call_tile(a, reps):
    return np.tile(a, reps)


@jit
def call_append(a, b):
    return np.append(a, b)


@jit
def call_take(a, indices):
    return np.take(a, indices)


@jit
def call_flips(m):
    return np.flipud(m), np.fliplr(m), np.rot90(m)


@jit
def call_flipud(m):
    return np.flipud(m)


@jit
def call_rot90(m, k):
    return np.rot90(m, k)


ONE_D = [
    np.array([1.0, -2.5, np.nan, 4.0, -0.0]),
    np.arange(7, dtype=np.int8),
    np.array([True, False, True]),
    np.array([], dtype=np.float32),
    np.array([2**63 + 1, 3], dtype=np.uint64),
    np.array([1.5, 2.5, 3.5], dtype=np.float32),
]
ONE_D_VIEWS = [v for a in ONE_D for v in views(a)]
TWO_D = [
    np.arange(12.0).reshape(3, 4),
    np.arange(6, dtype=np.int8).reshape(3, 2),
    np.zeros((0, 3)),
    np.zeros((2, 0), dtype=np.int32),
    np.arange(24).reshape(4, 6)[::-1, ::2],
    np.array([[True, False, True]]),
    np.arange(6.0).reshape(2, 3).T,
]


@pytest.mark.parametrize("a", ONE_D_VIEWS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_tile_matches_numpy(a):
    for reps in (0, 1, 3, -1):
        check_like_numpy(np.tile, call_tile, a, reps)


@pytest.mark.parametrize("a", ONE_D_VIEWS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_append_matches_numpy(a):
    for b in ONE_D + [2, 2.5, True, np.arange(6).reshape(2, 3)]:
        check_like_numpy(np.append, call_append, a, b)
        check_like_numpy(np.append, call_append, b, a)
    for m in TWO_D:
        check_like_numpy(np.append, call_append, m, a)


@given(arrays(max_size=12), st.lists(st.integers(-14, 14), max_size=6))
def test_take_matches_numpy(a, idx):
    check_like_numpy(np.take, call_take, a, np.array(idx, dtype=np.int64))
    for i in idx:
        check_like_numpy(np.take, call_take, a, i)


def test_take_of_views_shapes_and_index_dtypes():
    a = np.arange(24.0).reshape(4, 6)[::-1, 1::2]
    for idx in [
        np.array([[0, -1], [3, 11]]),
        np.array([], dtype=np.int64),
        np.array([2, 0], dtype=np.uint8),
        np.array([5, 1], dtype=np.int32)[::-1],
        np.array([True, False]),
        0,
        -12,
    ]:
        check_like_numpy(np.take, call_take, a, idx)
    # Out of bounds: NumPy's IndexError.
    for idx in (12, -13, np.array([0, 12])):
        check_like_numpy(np.take, call_take, a, idx)
    # Float indices: NumPy's TypeError, a CompileError here (the index of an element).
    with pytest.raises(TypeError):
        np.take(a, np.array([1.0]))
    with pytest.raises(CompileError, match=r"np.take\(\) is compiled from stickyjit's implementation"):
        call_take(a, np.array([1.0]))


@pytest.mark.parametrize("m", TWO_D, ids=lambda m: f"{m.dtype}{m.shape}{m.strides}")
def test_flipud_fliplr_rot90_match_numpy(m):
    got = call_flips(m)
    for g, w in zip(got, (np.flipud(m), np.fliplr(m), np.rot90(m))):
        same_array(g, w)
        # Views, as NumPy's.
        assert np.shares_memory(g, m) or m.size == 0
    for k in range(-6, 7):
        same_array(call_rot90(m, k), np.rot90(m, k))


@jit
def call_fliplr(m):
    return np.fliplr(m)


def test_flipud_of_1d_and_3d_arrays_fliplr_of_3d_arrays_and_flips_of_too_few_dimensions():
    for a in ONE_D_VIEWS + [np.arange(24).reshape(2, 3, 4)]:
        same_array(call_flipud(a), np.flipud(a))
    for a in (np.arange(24).reshape(2, 3, 4), np.arange(24.0).reshape(2, 3, 4)[:, ::-1, 1:]):
        same_array(call_fliplr(a), np.fliplr(a))
    # NumPy's ValueError for fliplr of a 1-D array: not compiled here (the 2-D unpacking).
    with pytest.raises(ValueError):
        np.fliplr(np.ones(3))
    with pytest.raises(CompileError, match=r"np.fliplr\(\) is compiled from stickyjit's implementation"):
        call_flips(np.ones(3))


# ---------------------------------------------------------------------------------------------
# fill_diagonal, ediff1d, vdot, kron


@jit
def call_fill_diagonal(a, val):
    np.fill_diagonal(a, val)
    return a


@jit
def call_fill_diagonal_result(a, val):
    return np.fill_diagonal(a, val)


@jit
def call_ediff1d(a):
    return np.ediff1d(a)


@jit
def call_vdot(a, b):
    return np.vdot(a, b)


@jit
def call_kron(a, b):
    return np.kron(a, b)


def numpy_fill_diagonal(a, val):
    np.fill_diagonal(a, val)
    return a


@pytest.mark.parametrize(
    "m", TWO_D + [np.zeros((5, 2)), np.ones((2, 5), dtype=np.uint8)], ids=lambda m: f"{m.dtype}{m.shape}"
)
def test_fill_diagonal_matches_numpy(m):
    for val in (
        7,
        2.5,
        True,
        np.array([1, 2]),
        np.array([9.0]),
        np.array([], dtype=np.int64),
        np.arange(4).reshape(2, 2),
    ):
        if m.dtype == np.bool_ and not isinstance(val, bool):
            continue
        want = numpy_fill_diagonal(m.copy(), val)
        same_array(call_fill_diagonal(m.copy(), val), want)
        assert call_fill_diagonal_result(m.copy(), val) is None
    # In place through a view.
    big = np.zeros((6, 6))
    want = big.copy()
    np.fill_diagonal(want[::2, 1:], 5.0)
    call_fill_diagonal(big[::2, 1:], 5.0)
    same_array(big, want)


@pytest.mark.parametrize(
    "a",
    [v for a in ONE_D if a.dtype != np.bool_ for v in views(a)] + [np.arange(12, dtype=np.int32).reshape(3, 4)],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
def test_ediff1d_matches_numpy(a):
    with np.errstate(all="ignore"):
        same_array(call_ediff1d(a), np.ediff1d(a))


def test_ediff1d_of_bools_is_numpys_type_error_as_a_compile_error():
    with pytest.raises(TypeError):
        np.ediff1d(np.array([True, False]))
    with pytest.raises(CompileError, match=r"np.ediff1d\(\) is compiled"):
        call_ediff1d(np.array([True, False]))


SMALL_INTS = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_])


@given(
    SMALL_INTS,
    SMALL_INTS,
    st.integers(0, 9),
    st.integers(0, 9),
    st.data(),
)
def test_vdot_and_kron_match_numpy(dta, dtb, n, m, data):
    def elems(dt):
        return st.booleans() if dt is np.bool_ else st.integers(0, 20)

    a = data.draw(hnp.arrays(dta, n, elements=elems(dta)))
    b = data.draw(hnp.arrays(dtb, m, elements=elems(dtb)))
    check_like_numpy(np.kron, call_kron, a, b)
    # Small integers: exact in any order of summation. Lengths that differ: ValueError.
    check_like_numpy(np.vdot, call_vdot, a, b)
    check_like_numpy(np.vdot, call_vdot, a[::-1], a[::-1])


def test_vdot_of_2d_arrays_and_kron_of_views():
    a = np.arange(6.0).reshape(2, 3)
    same_scalar(call_vdot(a, a.T), np.vdot(a, a.T))
    for x in ONE_D_VIEWS:
        for y in (np.array([2.0, np.nan]), np.arange(3, dtype=np.int8)[::-1]):
            with np.errstate(all="ignore"):
                check_like_numpy(np.kron, call_kron, x, y)


# ---------------------------------------------------------------------------------------------
# nanmedian, nanquantile, nanpercentile


@jit
def call_nanmedian(a):
    return np.nanmedian(a)


@jit
def call_nanq(a, q):
    return np.nanquantile(a, q), np.nanpercentile(a, q * 100)


WITH_NAN = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8]).flatmap(
    lambda dt: hnp.arrays(
        dt,
        hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=7),
        elements=(
            st.one_of(st.just(math.nan), st.floats(-1e6, 1e6, width=np.dtype(dt).itemsize * 8))
            if np.dtype(dt).kind == "f"
            else st.integers(0, 100)
        ),
    )
)


def close_float(got, want, rel, tiny=1e-300):
    assert type(got) is float, type(got)
    w = float(want)
    if math.isnan(w):
        assert math.isnan(got), (got, w)
    else:
        assert got == pytest.approx(w, rel=rel, abs=tiny), (got, w)


@given(WITH_NAN, st.floats(0.0, 1.0))
@example(np.array([0.0, 9.4e-44], dtype=np.float32), 0.0)
def test_nanmedian_nanquantile_nanpercentile_match_numpy(a, q):
    with np.errstate(all="ignore"), _warnings_ignored():
        want = (np.nanmedian(a), np.nanquantile(a, q), np.nanpercentile(a, q * 100))
    got = (call_nanmedian(a),) + call_nanq(a, q)
    # float32: NumPy's answer is float32; ours float64 (median) or float32 returned as float:
    # apart by up to half a float32 ulp, relative for normal numbers, at most 2**-150 among
    # subnormals (the median of 0 and 67 * 2**-149 is 33.5 * 2**-149 here, 34 * 2**-149 there).
    rel, tiny = (1e-6, 2.0**-149) if a.dtype == np.float32 else (1e-15, 1e-300)
    for g, w in zip(got, want):
        close_float(g, w, rel, tiny)


def test_nan_quantiles_of_all_nan_empty_and_views():
    for a in [
        np.array([np.nan, np.nan]),
        np.array([], dtype=np.float64),
        np.array([np.nan]),
        np.array([1.0, np.nan, 3.0, -np.inf, np.inf, 2.0])[::-1],
        np.arange(20.0).reshape(4, 5)[::2, ::-1],
        np.array([5, 1, 4], dtype=np.int8)[::2],
    ]:
        with np.errstate(all="ignore"), _warnings_ignored():
            want = (np.nanmedian(a), np.nanquantile(a, 0.25), np.nanpercentile(a, 25.0))
            got = (call_nanmedian(a),) + call_nanq(a, 0.25)
        for g, w in zip(got, want):
            close_float(g, w, 1e-15)


def test_nanquantile_outside_0_1_is_a_value_error():
    a = np.array([1.0, np.nan, 2.0])
    for q in (-0.1, 1.5, math.nan):
        with pytest.raises(ValueError):
            np.nanquantile(a, q)
        with pytest.raises(ValueError):
            call_nanq(a, q)


# ---------------------------------------------------------------------------------------------
# argwhere, polyval


@jit
def call_argwhere(a):
    return np.argwhere(a)


@jit
def call_polyval(p, x):
    return np.polyval(p, x)


@pytest.mark.parametrize(
    "a",
    ONE_D_VIEWS + TWO_D + [np.array([[[0, 1], [2, 0]], [[3, 0], [0, 0]]]), np.array([0.0, np.nan, -0.0])],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
def test_argwhere_matches_numpy(a):
    same_array(call_argwhere(a), np.argwhere(a))


@given(
    st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.uint8]).flatmap(
        lambda dt: hnp.arrays(
            dt, st.integers(1, 6), elements=st.integers(-5, 5) if dt != np.uint8 else st.integers(0, 5)
        )
    ),
    st.one_of(
        st.integers(-4, 4),
        st.floats(-4, 4),
        hnp.arrays(
            st.sampled_from([np.float64, np.float32, np.int64, np.int32]),
            hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4),
            elements=st.integers(-4, 4),
        ),
    ),
)
def test_polyval_matches_numpy(p, x):
    with np.errstate(all="ignore"):
        want = np.polyval(p, x)
        got = call_polyval(p, x)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
        rtol = 1e-6 if want.dtype == np.float32 else 1e-15
        np.testing.assert_allclose(got, want, rtol=rtol, equal_nan=True)
    else:
        w = want.item()
        assert type(got) is type(w), (got, want)
        assert got == pytest.approx(w, rel=1e-6 if want.dtype == np.float32 else 1e-15), (got, w)


def test_polyval_with_nan_infinity_and_views():
    p = np.array([1.0, -2.0, 0.5])
    for x in (np.array([np.nan, np.inf, -np.inf, 0.0]), np.arange(10.0)[::-3], math.nan, 3):
        with np.errstate(all="ignore"):
            same(call_polyval(p[::-1], x), np.polyval(p[::-1], x))


# ---------------------------------------------------------------------------------------------
# registration


def test_every_new_function_is_registered():
    for name in [
        "digitize",
        "logspace",
        "geomspace",
        "tile",
        "append",
        "take",
        "flipud",
        "fliplr",
        "rot90",
        "fill_diagonal",
        "ediff1d",
        "vdot",
        "kron",
        "nanmedian",
        "nanpercentile",
        "nanquantile",
        "argwhere",
        "polyval",
    ]:
        assert getattr(np, name) in IMPLEMENTATIONS, name


MIXED = [np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float32, np.bool_]


@pytest.mark.parametrize("dp", MIXED)
@pytest.mark.parametrize("dx", MIXED)
def test_mixed_dtypes_and_narrow_integer_wrapping_match_numpy(dp, dx):
    # Values up to 119: int8 and uint8 products and Horner sums wrap, as NumPy's do.
    rng = np.random.default_rng(MIXED.index(dp) * 10 + MIXED.index(dx))
    p = rng.integers(0, 120, 4).astype(dp)
    x = rng.integers(0, 120, 3).astype(dx)
    for f, ours in ((np.polyval, call_polyval), (np.kron, call_kron), (np.append, call_append)):
        check_like_numpy(f, ours, p, x)
    if dp is not np.bool_ and dx is not np.bool_:
        check_like_numpy(np.vdot, call_vdot, p[:3], x)
    for v in (7, -3, 1.25):
        check_like_numpy(np.polyval, call_polyval, p, v)
    for v in (300, -1, 2.5):
        check_like_numpy(np.append, call_append, p, v)


def test_inputs_of_other_dimensions_are_compile_errors_where_numpy_raises_value_error():
    one_d = np.ones(3)
    for numpy_f, ours in (
        (lambda a: np.fill_diagonal(a, 1.0), lambda a: call_fill_diagonal(a, 1.0)),
        (lambda a: np.rot90(a, 1), lambda a: call_rot90(a, 1)),
    ):
        with pytest.raises(ValueError):
            numpy_f(one_d.copy())
        with pytest.raises(CompileError, match=r"is compiled from stickyjit's implementation, which supports"):
            ours(one_d.copy())
    with pytest.raises(ValueError):
        np.flipud(np.float64(1.0))
    # A number: a TypeError naming the function (it must be an array).
    with pytest.raises(TypeError, match=r"np.flipud\(\) is compiled"):
        call_flipud(1.0)


def test_fill_diagonal_of_a_read_only_array_is_numpys_value_error():
    a = np.zeros((3, 3))
    a.flags.writeable = False
    with pytest.raises(ValueError):
        np.fill_diagonal(a, 1.0)
    with pytest.raises(ValueError):
        call_fill_diagonal(a, 1.0)
    same_array(a, np.zeros((3, 3)))


@jit
def eyes_with_dtypes(a, n, k):
    return (
        np.eye(n, dtype=a.dtype),
        np.eye(n, n + 2, k, np.int8),
        np.eye(n, M=n - 1, k=k, dtype=np.float32),
        np.identity(n, dtype=np.uint16),
        np.identity(n, np.bool_),
    )


@given(st.integers(1, 6), st.integers(-3, 3), st.sampled_from([np.float32, np.int64, np.uint8, np.bool_]))
def test_eye_and_identity_take_numpys_dtype_arguments(n, k, dt):
    """dtype= (keyword or positional, a NumPy type or another array's .dtype) of np.eye and
    np.identity, as NumPy makes them (correlation's `np.eye(M, dtype=data.dtype)`)."""
    got = eyes_with_dtypes(np.ones(1, dt), n, k)
    want = (
        np.eye(n, dtype=dt),
        np.eye(n, n + 2, k, np.int8),
        np.eye(n, M=n - 1, k=k, dtype=np.float32),
        np.identity(n, dtype=np.uint16),
        np.identity(n, np.bool_),
    )
    for g, w in zip(got, want):
        same_array(g, w)
