"""np.histogram: NumPy's bin edges and bin indices, exactly."""

from __future__ import annotations

import math

import numpy as np

from .. import jit
from .base import _fill_linspace


@jit
def histogram(a, bins=10, range=None):
    """an array of numbers of any number of dimensions (flattened), bins an int or a 1-D array
    of increasing edges, range= a tuple of two numbers or None (weights= and density= are not
    supported). What is compiled is what the arguments' types select: a call without range=
    compiles neither _histogram_range nor _histogram_edges."""
    # `range` is NumPy's parameter name.
    v = a.ravel()
    if np.ndim(bins) != 0:
        # The edges given: NumPy ignores range= then.
        return _histogram_edges(v, bins)
    if range is None:
        return _histogram_auto(v, bins)
    return _histogram_range(v, bins, range[0], range[1])


@jit
def _count_bins(a, hist, edges, checked, klo, khi, lo, scale, tol):
    """Counts a's elements from klo to khi (all of them unless `checked`) into the bins `edges`
    bound (lo, edges[0], in the edges' dtype), as NumPy does: an estimate of the bin, then one step down or up where the edges say
    so, which gives the bin whose edges hold x whenever the estimate is within one bin of it.
    The estimate and the edges are within a few rounding errors of the exact position, less
    than `tol` bins, so an estimate further than `tol` from a bin boundary needs no look at the
    edges (`tol` 1: always look)."""
    c = np.empty(1, dtype=edges.dtype)
    bins = len(hist)
    last = bins - 1
    for i in range(len(a)):
        x = a[i]
        if not checked or (x >= klo and x <= khi):
            c[0] = x
            xf = c[0]
            f = (xf - lo) * scale
            k = int(f)
            r = f - k
            if r <= tol or r >= 1.0 - tol or k >= last:
                if k >= bins:
                    k = last
                if xf < edges[k]:
                    k -= 1
                elif k != last and xf >= edges[k + 1]:
                    k += 1
            hist[k] += 1


@jit
def _histogram_tol(bins, lo, hi, edges):
    """A bound, in bins, of the rounding errors of the bin estimate and of the edges (64 times
    the epsilon of the edges' dtype, float32's or float64's), or 1 when that is not small or the
    bins are too narrow for their reciprocal (subnormal)."""
    eps = 2.3e-16
    c = np.empty(1, dtype=edges.dtype)
    c[0] = 1.0 + 2.0**-40
    if c[0] == 1.0:
        eps = 1.2e-7  # float32 edges: 1 + 2**-40 rounded to 1
    tol = 64 * eps * (bins + max(abs(lo), abs(hi)) / (hi - lo) * bins + 1)
    if tol >= 0.25 or not math.isfinite(bins / (hi - lo)):
        return 1.0
    return tol


@jit
def _count_bins_exact(a, hist, edges, checked, klo, khi, lo, denom, nbins):
    """_count_bins by NumPy's own steps: int((x - lo) / denom * nbins), x and lo in the edges'
    dtype, denom and nbins in the dtypes NumPy has them in."""
    c = np.empty(1, dtype=edges.dtype)
    bins = len(hist)
    last = bins - 1
    for i in range(len(a)):
        x = a[i]
        if not checked or (x >= klo and x <= khi):
            c[0] = x
            xf = c[0]
            k = int((xf - lo) / denom * nbins)
            if k == bins:
                k = last
            if xf < edges[k]:
                k -= 1
            elif k != last and xf >= edges[k + 1]:
                k += 1
            hist[k] += 1


@jit
def _too_many_bins(edges):
    """NumPy's ValueError ("Too many bins for data range") unless the edges increase."""
    for i in range(len(edges) - 1):
        if edges[i] >= edges[i + 1]:
            raise ValueError(
                "Too many bins for data range. Cannot create " + str(len(edges) - 1) + " finite-sized bins."
            )


@jit
def _not_finite(which, lo, hi):
    """NumPy's ValueError for a range that is not finite (`which`: "supplied" or
    "autodetected"), made out of line: the text is built only on this error's path."""
    raise ValueError(which + " range of [" + str(lo) + ", " + str(hi) + "] is not finite")


@jit
def _histogram_range(a, bins, first, last):
    """histogram with range=(first, last)."""
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if first > last:
        raise ValueError("max must be larger than min in range parameter.")
    lo64 = first * 1.0
    hi64 = last * 1.0
    if not (math.isfinite(lo64) and math.isfinite(hi64)):
        _not_finite("supplied", lo64, hi64)
    if lo64 == hi64:
        lo64 = lo64 - 0.5
        hi64 = hi64 + 0.5
    # NumPy's edges: linspace of the Python numbers (float64), cast to the edges' dtype
    # (float32 for a float32 array, else float64); a is compared with the bounds in that dtype.
    proto = np.zeros(1, dtype=a.dtype) * 0.5
    e64 = np.empty(bins + 1)
    _fill_linspace(e64, lo64, hi64)
    edges = np.empty(bins + 1, dtype=proto.dtype)
    edges[:] = e64
    _too_many_bins(edges)
    c = np.empty(2, dtype=proto.dtype)
    c[0] = lo64
    c[1] = hi64
    hist = np.zeros(bins, dtype=np.int64)
    tol = _histogram_tol(bins, lo64, hi64, edges)
    if tol < 1.0:
        _count_bins(a, hist, edges, True, c[0], c[1], c[0], bins / (hi64 - lo64), tol)
    else:
        # NumPy: (x - lo, in the edges' dtype) / (hi - lo of the Python numbers) * bins
        _count_bins_exact(a, hist, edges, True, c[0], c[1], c[0], hi64 - lo64, bins * 1.0)
    return hist, edges


@jit
def _histogram_auto(a, bins):
    """histogram with the range of a's values."""
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    n = len(a)
    # The edges' dtype is NumPy's: float32 for a float32 array, else float64. `c` holds values
    # converted to it, so that the arithmetic below is done in that dtype, as NumPy does.
    proto = np.zeros(1, dtype=a.dtype) * 0.5
    c = np.empty(4, dtype=proto.dtype)
    if n == 0:
        c[0] = 0
        c[1] = 1
    else:
        c[0] = a.min()
        c[1] = a.max()
    lo = c[0]
    hi = c[1]
    if not (math.isfinite(lo) and math.isfinite(hi)):
        _not_finite("autodetected", lo, hi)
    if lo == hi:
        c[2] = 0.5
        lo = lo - c[2]
        hi = hi + c[2]
    edges = np.empty(bins + 1, dtype=proto.dtype)
    if n == 0:
        # NumPy's edges of an empty array come from the Python ints 0 and 1: float64 arithmetic
        # (0.0 and 1.0 are those values, and the same compiled `_fill_linspace` as the call
        # below for float64 edges, not a second one for ints).
        e64 = np.empty(bins + 1)
        _fill_linspace(e64, 0.0, 1.0)
        edges[:] = e64
    else:
        _fill_linspace(edges, lo, hi)
    _too_many_bins(edges)
    hist = np.zeros(bins, dtype=np.int64)
    denom = hi - lo
    tol = _histogram_tol(bins, lo, hi, edges)
    if tol < 1.0:
        # Every element is in range (a is free of NaN, and an int beyond 2**53 converted may
        # be beyond lo or hi).
        _count_bins(a, hist, edges, False, lo, hi, lo, bins / (hi - lo), tol)
        return hist, edges
    # Rounding errors may exceed a bin: NumPy's own steps, in the edges' dtype.
    c[3] = bins
    _count_bins_exact(a, hist, edges, False, lo, hi, lo, denom, c[3])
    return hist, edges


@jit
def _histogram_edges(a, edges):
    """histogram with the bins' edges given (a 1-D array, increasing): NumPy's counts, x in
    [edges[i], edges[i + 1]) for each bin but the last, which holds its right edge too; NaN and
    values outside the edges are not counted. Elements and edges are compared in the dtype NumPy
    compares them in (their common type, as `searchsorted` does). The edges are returned as
    given, as NumPy returns them."""
    if edges.ndim != 1:
        raise ValueError("`bins` must be 1d, when an array")
    n = len(edges)
    for i in range(n - 1):
        if edges[i] > edges[i + 1]:
            raise ValueError("`bins` must increase monotonically, when an array")
    nbins = max(n - 1, 0)
    hist = np.zeros(nbins, dtype=np.int64)
    if nbins == 0:
        return hist, edges
    # The common dtype of the elements and the edges, and the edges in it.
    common = np.zeros(1, dtype=a.dtype) + np.zeros(1, dtype=edges.dtype)
    e = np.empty(n, dtype=common.dtype)
    e[:] = edges
    c = np.empty(1, dtype=common.dtype)
    lo = e[0]
    hi = e[n - 1]
    for j in range(len(a)):
        c[0] = a[j]
        x = c[0]
        if not (x >= lo and x <= hi):
            continue
        if x == hi:
            hist[nbins - 1] += 1
            continue
        # The last edge at or below x (below the last edge: one of the first n - 1).
        k = 0
        top = n - 1
        while top - k > 1:
            mid = (k + top) // 2
            if e[mid] <= x:
                k = mid
            else:
                top = mid
        hist[k] += 1
    return hist, edges
