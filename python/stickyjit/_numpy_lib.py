"""NumPy functions implemented in the compiled subset itself.

Each function here is an ordinary ``@jit`` function; when jitted code calls the NumPy function
it stands for (``np.histogram(a, 10)``, ``from numpy import cumsum``), the compiler calls the
implementation instead (``_support.resolve_globals``, ``Global.LIBRARY``), compiled into the
caller's program like any jitted callee. ``IMPLEMENTATIONS`` maps each NumPy function object to
its implementation. The first line of each docstring says which inputs it supports: a compile
error inside an implementation is prefixed with it (docs/language.md, "NumPy functions
compiled from stickyjit's library").

Conventions: an array parameter is used only through the operations the subset compiles, so
an input outside what an implementation supports (another number of dimensions, a tuple) is a
CompileError (or TypeError) naming the NumPy function. NumPy's errors for bad values are raised
as ValueError through ``_value_error`` (the subset has no ``raise``), with another message.
"""

from __future__ import annotations

import math

import numpy as np

from . import jit

# ---------------------------------------------------------------------------------------------
# helpers


@jit
def _value_error():
    """Raises ValueError ("negative dimensions are not allowed"): the subset has no raise."""
    return np.empty(-1)


@jit
def _check_1d(a):
    """A CompileError (tuple unpacking) unless `a` is a 1-D array."""
    (n,) = a.shape
    return n


@jit
def _check_2d(a):
    """A CompileError (tuple unpacking) unless `a` is a 2-D array."""
    n, m = a.shape
    return n


@jit
def _acc(a, v):
    """A 1-element array holding v in the dtype NumPy accumulates a's elements in (sum, cumsum,
    prod): int64 for bool and signed integers, uint64 for unsigned, float32, float64."""
    return np.full((1, 1), v, dtype=a.dtype).sum(axis=0)


@jit
def _lt(x, y):
    """NumPy's sort order: NaN after every number."""
    return x < y or (y != y and x == x)


@jit
def _fill_linspace(y, start, stop):
    """Fills y with NumPy's linspace(start, stop, len(y)) computed in y's dtype."""
    num = len(y)
    div = num - 1
    c = np.empty(4, dtype=y.dtype)
    c[0] = start
    c[1] = stop
    lo = c[0]
    hi = c[1]
    delta = hi - lo
    if div > 0:
        c[2] = div
        d = c[2]
        step = delta / d
        if step == 0:
            for i in range(num):
                c[3] = i
                y[i] = c[3] / d * delta + lo
        else:
            for i in range(num):
                c[3] = i
                y[i] = c[3] * step + lo
        y[num - 1] = hi
    else:
        for i in range(num):
            c[3] = i
            y[i] = c[3] * delta + lo


# ---------------------------------------------------------------------------------------------
# the implementations


@jit
def linspace(start, stop, num=50):
    """numbers start and stop, an int num (endpoint=True); float64 result."""
    if num < 0:
        _value_error()
    y = np.empty(num)
    _fill_linspace(y, start, stop)
    return y


@jit
def histogram(a, bins=10, range=(math.nan, math.nan)):
    """an array of numbers of any number of dimensions (flattened), an int bins, range= a tuple
    of two numbers (weights= and density= are not supported)."""
    # `range` is NumPy's parameter name; (nan, nan) stands for NumPy's default None.
    first = range[0]
    last = range[1]
    v = a.ravel()
    if first == first or last == last:
        return _histogram_range(v, bins, first, last)
    return _histogram_auto(v, bins)


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
def _histogram_tol(bins, lo, hi):
    """A bound, in bins, of the rounding errors of the bin estimate and of the edges (float32's
    epsilon with a margin: it bounds both dtypes'), or 1 when that is not small or the bins
    are too narrow for their reciprocal (subnormal)."""
    tol = 64 * 1.2e-7 * (bins + max(abs(lo), abs(hi)) / (hi - lo) * bins + 1)
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
            _value_error()


@jit
def _histogram_range(a, bins, first, last):
    """histogram with range=(first, last)."""
    if bins < 1:
        _value_error()
    if first > last:
        _value_error()
    lo64 = first * 1.0
    hi64 = last * 1.0
    if not (math.isfinite(lo64) and math.isfinite(hi64)):
        _value_error()
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
    tol = _histogram_tol(bins, lo64, hi64)
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
        _value_error()
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
        _value_error()
    if lo == hi:
        c[2] = 0.5
        lo = lo - c[2]
        hi = hi + c[2]
    edges = np.empty(bins + 1, dtype=proto.dtype)
    if n == 0:
        # NumPy's edges of an empty array come from the Python ints 0 and 1: float64 arithmetic.
        e64 = np.empty(bins + 1)
        _fill_linspace(e64, 0, 1)
        edges[:] = e64
    else:
        _fill_linspace(edges, lo, hi)
    _too_many_bins(edges)
    hist = np.zeros(bins, dtype=np.int64)
    denom = hi - lo
    tol = _histogram_tol(bins, lo, hi)
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
def cumsum(a):
    """an array of any number of dimensions, flattened (axis= and dtype= are not supported)."""
    return _cumsum1(a.ravel())


@jit
def _cumsum1(a):
    """a 1-D array (axis= and dtype= are not supported)."""
    n = _check_1d(a)
    p = _acc(a, 0)
    out = np.empty(n, dtype=p.dtype)
    if n > 0:
        s = p[0]
        for i in range(n):
            s = s + a[i]
            out[i] = s
    return out


@jit
def cumprod(a):
    """an array of any number of dimensions, flattened (axis= and dtype= are not supported)."""
    return _cumprod1(a.ravel())


@jit
def _cumprod1(a):
    """a 1-D array (axis= and dtype= are not supported)."""
    n = _check_1d(a)
    p = _acc(a, 1)
    out = np.empty(n, dtype=p.dtype)
    if n > 0:
        s = p[0]
        for i in range(n):
            s = s * a[i]
            out[i] = s
    return out


@jit
def diff(a):
    """a 1-D array (n=1; axis=, prepend=, append= are not supported)."""
    n = _check_1d(a)
    m = n - 1
    if m < 0:
        m = 0
    out = np.empty(m, dtype=a.dtype)
    for i in range(m):
        out[i] = a[i + 1] - a[i]
    return out


@jit
def argmin(a):
    """a non-empty array of any number of dimensions: the index into it flattened (axis= is not supported)."""
    return _argmin1(a.ravel())


@jit
def _argmin1(a):
    """a non-empty 1-D array (axis= is not supported)."""
    n = _check_1d(a)
    if n == 0:
        _value_error()
    k = 0
    best = a[0]
    if best == best:
        for i in range(1, n):
            x = a[i]
            if x != x:
                k = i
                break
            if x < best:
                best = x
                k = i
    return k


@jit
def argmax(a):
    """a non-empty array of any number of dimensions: the index into it flattened (axis= is not supported)."""
    return _argmax1(a.ravel())


@jit
def _argmax1(a):
    """a non-empty 1-D array (axis= is not supported)."""
    n = _check_1d(a)
    if n == 0:
        _value_error()
    k = 0
    best = a[0]
    if best == best:
        for i in range(1, n):
            x = a[i]
            if x != x:
                k = i
                break
            if x > best:
                best = x
                k = i
    return k


@jit
def any(a):
    """an array of any number of dimensions (axis= is not supported)."""
    return (a != 0).sum() > 0


@jit
def all(a):
    """an array of any number of dimensions (axis= is not supported)."""
    return (a == 0).sum() == 0


@jit
def count_nonzero(a):
    """an array of any number of dimensions (axis= is not supported)."""
    return (a != 0).sum()


@jit
def clip(a, a_min, a_max):
    """arrays (broadcast together) or numbers; a_min and a_max must both be given."""
    return np.minimum(np.maximum(a, a_min), a_max)


@jit
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """arrays (broadcast together) or numbers."""
    y = b * 1.0
    r = ((np.abs(a - y) <= atol + rtol * np.abs(y)) & np.isfinite(y)) | (a == y)
    if equal_nan:
        r = r | (np.isnan(a) & np.isnan(y))
    return r


@jit
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """arrays (broadcast together; at least one of a and b an array)."""
    return all(isclose(a, b, rtol, atol, equal_nan))


@jit
def eye(N, M=-1, k=0):
    """ints N, M (-1, the default, stands for NumPy's None: M = N) and k; float64 result
    (dtype= is not supported)."""
    m = M
    if M == -1:
        m = N
    out = np.zeros((N, m))
    for i in range(N):
        j = i + k
        if j >= 0 and j < m:
            out[i, j] = 1.0
    return out


@jit
def identity(n):
    """an int n; float64 result (dtype= is not supported)."""
    return eye(n)


@jit
def trace(a):
    """a 2-D array (offset=, axis1=, axis2=, dtype= are not supported)."""
    _check_2d(a)
    n, m = a.shape
    s = _acc(a, 0)[0]
    for i in range(min(n, m)):
        s = s + a[i, i]
    return s


@jit
def triu(m, k=0):
    """a 2-D array and an int k."""
    _check_2d(m)
    r, c = m.shape
    out = m.copy()
    for i in range(r):
        for j in range(min(c, i + k)):
            out[i, j] = 0
    return out


@jit
def tril(m, k=0):
    """a 2-D array and an int k."""
    _check_2d(m)
    r, c = m.shape
    out = m.copy()
    for i in range(r):
        for j in range(max(0, i + k + 1), c):
            out[i, j] = 0
    return out


@jit
def flip(m):
    """a 1-D array (axis= is not supported); a view, as NumPy's."""
    _check_1d(m)
    return m[::-1]


# Sorting: NaNs are set apart first (NumPy puts them last, in their order), then the numbers are
# sorted with plain comparisons by a stable merge sort over insertion-sorted runs.
_RUN = 24


@jit
def _merge_sort(v, m):
    """Sorts v[:m] (numbers, no NaN) in place, stably."""
    for lo in range(0, m, _RUN):
        hi = min(lo + _RUN, m)
        for i in range(lo + 1, hi):
            x = v[i]
            j = i - 1
            while j >= lo and x < v[j]:
                v[j + 1] = v[j]
                j -= 1
            v[j + 1] = x
    src = v
    dst = np.empty(len(v), dtype=v.dtype)
    in_v = True
    width = _RUN
    while width < m:
        for lo in range(0, m, 2 * width):
            mid = min(lo + width, m)
            hi = min(lo + 2 * width, m)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                # Branch-free: a random input mispredicts half of the branches otherwise.
                x = src[i]
                y = src[j]
                b = y < x
                dst[k] = y if b else x
                j += b
                i += 1 - b
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        t = src
        src = dst
        dst = t
        in_v = not in_v
        width *= 2
    if not in_v:
        v[:m] = src[:m]


@jit
def _merge_argsort(a, idx, m):
    """Sorts the indices idx[:m] (of numbers of a, no NaN) by a's elements, stably."""
    for lo in range(0, m, _RUN):
        hi = min(lo + _RUN, m)
        for i in range(lo + 1, hi):
            p = idx[i]
            x = a[p]
            j = i - 1
            while j >= lo and x < a[idx[j]]:
                idx[j + 1] = idx[j]
                j -= 1
            idx[j + 1] = p
    src = idx
    dst = np.empty(len(idx), dtype=np.int64)
    in_idx = True
    width = _RUN
    while width < m:
        for lo in range(0, m, 2 * width):
            mid = min(lo + width, m)
            hi = min(lo + 2 * width, m)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if a[src[j]] < a[src[i]]:
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        t = src
        src = dst
        dst = t
        in_idx = not in_idx
        width *= 2
    if not in_idx:
        idx[:m] = src[:m]


@jit
def _argsort_row(a, idx):
    """Writes into idx (int64, len(a) of them) the indices that sort the 1-D array a, stably,
    NaN last."""
    n = len(a)
    m = 0
    for i in range(n):
        if a[i] == a[i]:
            idx[m] = i
            m += 1
    k = m
    for i in range(n):
        if a[i] != a[i]:
            idx[k] = i
            k += 1
    _merge_argsort(a, idx, m)


@jit
def _sort_row(a, out):
    """Writes the 1-D array a sorted into out, NaN last."""
    n = len(a)
    m = 0
    for i in range(n):
        x = a[i]
        if x == x:
            out[m] = x
            m += 1
    k = m
    for i in range(n):
        x = a[i]
        if x != x:
            out[k] = x
            k += 1
    _merge_sort(out, m)


@jit
def argsort(a):
    """an array of any number of dimensions, along its last axis (axis=-1; kind=, order= are
    not supported): a stable sort, NaN last."""
    if a.size == 0:
        return np.zeros(a.shape, dtype=np.int64)
    n = a.shape[-1]
    v = a.reshape(-1, n)
    out = np.empty((len(v), n), dtype=np.int64)
    for i in range(len(v)):
        _argsort_row(v[i], out[i])
    return out.reshape(a.shape)


@jit
def sort(a):
    """an array of any number of dimensions, sorted along its last axis (axis=-1; kind=, order=
    are not supported): a new array, NaN last."""
    if a.size == 0:
        return np.zeros(a.shape, dtype=a.dtype)
    n = a.shape[-1]
    v = a.reshape(-1, n)
    out = np.empty((len(v), n), dtype=a.dtype)
    for i in range(len(v)):
        _sort_row(v[i], out[i])
    return out.reshape(a.shape)


@jit
def _select(s, k):
    """Reorders s (numbers, no NaN) so that s[k] is the element a sort would put there, with no
    larger element before it and no smaller one after: quickselect with median-of-three
    pivots, and a sort of what is left after 100 rounds (an adversarial input)."""
    lo = 0
    hi = len(s) - 1
    rounds = 0
    while hi > lo:
        rounds += 1
        if rounds > 100:
            _merge_sort(s[lo : hi + 1], hi + 1 - lo)
            return
        mid = (lo + hi) // 2
        if s[mid] < s[lo]:
            t = s[mid]
            s[mid] = s[lo]
            s[lo] = t
        if s[hi] < s[lo]:
            t = s[hi]
            s[hi] = s[lo]
            s[lo] = t
        if s[hi] < s[mid]:
            t = s[hi]
            s[hi] = s[mid]
            s[mid] = t
        pivot = s[mid]
        i = lo
        j = hi
        while i <= j:
            while s[i] < pivot:
                i += 1
            while pivot < s[j]:
                j -= 1
            if i <= j:
                t = s[i]
                s[i] = s[j]
                s[j] = t
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return


@jit
def _has_nan(a):
    for i in range(len(a)):
        if a[i] != a[i]:
            return True
    return False


@jit
def searchsorted(a, v):
    """a sorted 1-D array and a number v (side='left'; an array v is not supported)."""
    n = _check_1d(a)
    lo = 0
    hi = n
    while lo < hi:
        mid = (lo + hi) // 2
        if _lt(a[mid], v):
            lo = mid + 1
        else:
            hi = mid
    return lo


@jit
def median(a):
    """an array of any number of dimensions, flattened (axis= is not supported); float64 result."""
    return _median1(a.ravel())


@jit
def _median1(a):
    """a 1-D array (axis= is not supported); float64 result."""
    n = _check_1d(a)
    if n == 0 or _has_nan(a):
        return math.nan
    s = a.copy()
    h = n // 2
    _select(s, h)
    if n % 2 == 1:
        return s[h] * 1.0
    below = s[0]
    for i in range(1, h):
        if s[i] > below:
            below = s[i]
    return (below * 1.0 + s[h]) / 2.0


@jit
def bincount(x, minlength=0):
    """a 1-D array of non-negative integers and an int minlength (weights= is not supported)."""
    n = _check_1d(x)
    top = -1
    for i in range(n):
        v = x[i]
        if v < 0:
            _value_error()
        if v > top:
            top = v
    size = top + 1
    if minlength > size:
        size = minlength
    out = np.zeros(size, dtype=np.int64)
    for i in range(n):
        out[x[i]] += 1
    return out


@jit
def prod(a):
    """an array of any number of dimensions (axis= and dtype= are not supported); multiplied in
    order."""
    return _prod1(a.ravel())


@jit
def _prod1(a):
    """a 1-D array (axis= and dtype= are not supported); multiplied in order."""
    n = _check_1d(a)
    s = _acc(a, 1)[0]
    for i in range(n):
        s = s * a[i]
    return s


@jit
def var(a):
    """an array of any number of dimensions (ddof=0; axis= and dtype= are not supported)."""
    n = a.size
    if n == 0:
        return math.nan
    d = a - a.mean()
    return (d * d).sum() / n


@jit
def std(a):
    """an array of any number of dimensions (ddof=0; axis= and dtype= are not supported)."""
    return math.sqrt(var(a))


@jit
def nansum(a):
    """an array of any number of dimensions (axis= is not supported); summed in order."""
    return _nansum1(a.ravel())


@jit
def _nansum1(a):
    """a 1-D array (axis= is not supported); summed in order."""
    n = _check_1d(a)
    s = _acc(a, 0)[0]
    for i in range(n):
        x = a[i]
        if x == x:
            s = s + x
    return s


@jit
def nanmean(a):
    """an array of any number of dimensions (axis= is not supported); float64 result, NaN when
    every element is NaN."""
    return _nanmean1(a.ravel())


@jit
def _nanmean1(a):
    """a 1-D array (axis= is not supported); float64 result, NaN when every element is NaN."""
    n = _check_1d(a)
    s = 0.0
    k = 0
    for i in range(n):
        x = a[i]
        if x == x:
            s += x
            k += 1
    if k == 0:
        return math.nan
    return s / k


@jit
def nanmin(a):
    """a non-empty array of any number of dimensions (axis= is not supported); NaN when every
    element is NaN."""
    return _nanmin1(a.ravel())


@jit
def _nanmin1(a):
    """a non-empty 1-D array (axis= is not supported); NaN when every element is NaN."""
    n = _check_1d(a)
    if n == 0:
        _value_error()
    best = a[0]
    for i in range(1, n):
        x = a[i]
        if x < best or best != best:
            best = x
    return best


@jit
def nanmax(a):
    """a non-empty array of any number of dimensions (axis= is not supported); NaN when every
    element is NaN."""
    return _nanmax1(a.ravel())


@jit
def _nanmax1(a):
    """a non-empty 1-D array (axis= is not supported); NaN when every element is NaN."""
    n = _check_1d(a)
    if n == 0:
        _value_error()
    best = a[0]
    for i in range(1, n):
        x = a[i]
        if x > best or best != best:
            best = x
    return best


@jit
def unique(ar):
    """an array of any number of dimensions, flattened (return_index=, return_inverse=,
    return_counts=, axis= are not supported): the sorted distinct values, NaNs collapsed into one
    at the end (NumPy's equal_nan=True)."""
    return _unique1(ar.ravel())


@jit
def _unique1(ar):
    """a 1-D array (return_index=, return_inverse=, return_counts=, axis= are not supported):
    the sorted distinct values, NaNs collapsed into one at the end (NumPy's equal_nan=True)."""
    s = sort(ar)
    n = len(s)
    out = np.empty(n, dtype=s.dtype)
    m = 0
    for i in range(n):
        x = s[i]
        if m == 0:
            out[0] = x
            m = 1
        else:
            y = out[m - 1]
            if x != y and not (x != x and y != y):
                out[m] = x
                m += 1
    return out[:m].copy()


@jit
def roll(a, shift):
    """an array of any number of dimensions (rolled flattened, as NumPy's axis=None) and an int
    shift (axis= and tuple shifts are not supported)."""
    return _roll1(a.ravel(), shift).reshape(a.shape)


@jit
def _roll1(a, shift):
    """a 1-D array and an int shift (axis= and tuple shifts are not supported)."""
    n = _check_1d(a)
    out = np.empty(n, dtype=a.dtype)
    if n > 0:
        k = shift % n
        for i in range(n):
            j = i - k
            if j < 0:
                j += n
            out[i] = a[j]
    return out


@jit
def outer(a, b):
    """two arrays of any number of dimensions, flattened."""
    return _outer1(a.ravel(), b.ravel())


@jit
def _outer1(a, b):
    """two 1-D arrays."""
    _check_1d(a)
    _check_1d(b)
    return a[:, None] * b[None, :]


@jit
def ptp(a):
    """an array of any number of dimensions, not bool (axis= is not supported): max - min in
    a's dtype (narrow integers wrap, as NumPy's)."""
    c = np.empty(1, dtype=a.dtype)
    c[0] = a.max() - a.min()
    return c[0]


@jit
def flatnonzero(a):
    """an array of any number of dimensions: the indices of its non-zero elements, flattened
    (NaN is non-zero)."""
    return _flatnonzero1(a.ravel())


@jit
def _flatnonzero1(a):
    """a 1-D array: the indices of its non-zero elements (NaN is non-zero)."""
    n = _check_1d(a)
    m = 0
    for i in range(n):
        if a[i] != 0:
            m += 1
    out = np.empty(m, dtype=np.int64)
    m = 0
    for i in range(n):
        if a[i] != 0:
            out[m] = i
            m += 1
    return out


@jit
def concatenate(arrays):
    """a tuple of 1-D arrays of one dtype and layout (axis= is not supported)."""
    total = 0
    for x in arrays:
        total += _check_1d(x)
    first = arrays[0]
    out = np.empty(total, dtype=first.dtype)
    k = 0
    for x in arrays:
        m = len(x)
        out[k : k + m] = x
        k += m
    return out


@jit
def quantile(a, q):
    """an array of numbers (not bool) of any number of dimensions, flattened, and a number q in
    [0, 1] (method="linear"; an array q, axis=, weights= are not supported)."""
    return _quantile1(a.ravel(), q)


@jit
def _quantile1(a, q):
    """a 1-D array of numbers (not bool) and a number q in [0, 1] (method="linear"; an array
    q, axis=, weights= are not supported)."""
    n = _check_1d(a)
    if not (q >= 0.0 and q <= 1.0):
        _value_error()
    if _has_nan(a):
        return math.nan
    s = a.copy()
    # NumPy's _quantile and _lerp for one weak (Python) q: the result in float32 for a
    # float32 array, else float64.
    vi = (n - 1) * (q * 1.0)
    prev = math.floor(vi)
    nxt = prev + 1
    if vi >= n - 1:
        prev = -1
        nxt = -1
    gamma = vi - prev
    proto = np.zeros(1, dtype=a.dtype) * 0.5
    c = np.empty(4, dtype=proto.dtype)
    kp = prev
    if prev < 0:
        kp = n - 1
    _select(s, kp)
    c[0] = s[kp]
    c[1] = s[kp]
    if nxt > 0:
        above = s[nxt]
        for i in range(nxt + 1, n):
            if s[i] < above:
                above = s[i]
        c[1] = above
    c[2] = gamma
    c[3] = 1 - gamma
    lo = c[0]
    hi = c[1]
    diff = hi - lo
    r = lo + diff * c[2]
    if gamma >= 0.5:
        r = hi - diff * c[3]
    return r * 1.0


@jit
def percentile(a, q):
    """a 1-D array of numbers (not bool) and a number q in [0, 100] (method="linear"; an array
    q, axis=, weights= are not supported)."""
    return quantile(a, q / 100)


@jit
def dot(a, b):
    """two 1-D arrays of one length (2-D arrays, matrix products, are not supported); summed
    in order."""
    n = _check_1d(a)
    if _check_1d(b) != n:
        _value_error()
    c = np.zeros(1, dtype=a.dtype) * np.zeros(1, dtype=b.dtype)
    s = c[0]
    for i in range(n):
        s = s + a[i] * b[i]
    c[0] = s
    return c[0]


@jit
def vstack(tup):
    """a tuple of 1-D arrays of one length, dtype and layout: a 2-D array of them as rows."""
    first = tup[0]
    n = len(first)
    out = np.empty((len(tup), n), dtype=first.dtype)
    i = 0
    for x in tup:
        if _check_1d(x) != n:
            _value_error()
        out[i] = x
        i += 1
    return out


@jit
def stack(arrays):
    """a tuple of 1-D arrays of one length, dtype and layout (axis=0 only)."""
    return vstack(arrays)


@jit
def hstack(tup):
    """a tuple of 1-D arrays of one dtype and layout."""
    return concatenate(tup)


@jit
def meshgrid(x, y):
    """two 1-D arrays (indexing="xy"; more arrays, sparse= and copy= are not supported)."""
    nx = _check_1d(x)
    ny = _check_1d(y)
    xx = np.empty((ny, nx), dtype=x.dtype)
    yy = np.empty((ny, nx), dtype=y.dtype)
    for i in range(ny):
        for j in range(nx):
            xx[i, j] = x[j]
            yy[i, j] = y[i]
    return xx, yy


@jit
def nonzero(a):
    """a 1-D array: a tuple of one array, the indices of its non-zero elements."""
    return (flatnonzero(a),)


@jit
def repeat(a, repeats):
    """an array of any number of dimensions, flattened, and an int repeats (axis= and an array
    of repeats are not supported)."""
    v = a.ravel()
    n = len(v)
    out = np.empty(n * repeats, dtype=a.dtype)
    k = 0
    for i in range(n):
        x = v[i]
        for _j in range(repeats):
            out[k] = x
            k += 1
    return out


@jit
def array_equal(a1, a2, equal_nan=False):
    """two arrays: True when their shapes and elements are equal."""
    if a1.ndim != a2.ndim:
        return False
    for i in range(a1.ndim):
        if a1.shape[i] != a2.shape[i]:
            return False
    if equal_nan:
        return all((a1 == a2) | (np.isnan(a1 * 1.0) & np.isnan(a2 * 1.0)))
    return all(a1 == a2)


IMPLEMENTATIONS = {
    np.histogram: histogram,
    np.linspace: linspace,
    np.cumsum: cumsum,
    np.cumprod: cumprod,
    np.diff: diff,
    np.argmin: argmin,
    np.argmax: argmax,
    np.any: any,
    np.all: all,
    np.count_nonzero: count_nonzero,
    np.clip: clip,
    np.isclose: isclose,
    np.allclose: allclose,
    np.eye: eye,
    np.identity: identity,
    np.trace: trace,
    np.triu: triu,
    np.tril: tril,
    np.flip: flip,
    np.sort: sort,
    np.argsort: argsort,
    np.searchsorted: searchsorted,
    np.median: median,
    np.bincount: bincount,
    np.prod: prod,
    np.var: var,
    np.std: std,
    np.nansum: nansum,
    np.nanmean: nanmean,
    np.nanmin: nanmin,
    np.nanmax: nanmax,
    np.unique: unique,
    np.roll: roll,
    np.outer: outer,
    np.ptp: ptp,
    np.flatnonzero: flatnonzero,
    np.concatenate: concatenate,
    np.quantile: quantile,
    np.percentile: percentile,
    np.dot: dot,
    np.vstack: vstack,
    np.stack: stack,
    np.hstack: hstack,
    np.meshgrid: meshgrid,
    np.nonzero: nonzero,
    np.repeat: repeat,
    np.array_equal: array_equal,
}

# id(NumPy function) -> (the function, its implementation): looked up by identity, since a
# global may be bound to anything (unhashable objects included).
_BY_ID = {id(f): (f, impl) for f, impl in IMPLEMENTATIONS.items()}


def implementation(value):
    """The implementation of the NumPy function `value` is, or None."""
    entry = _BY_ID.get(id(value))
    if entry is not None and entry[0] is value:
        return entry[1]
    return None
