"""Sorting and selection: sort, argsort, searchsorted, digitize, median, quantile, percentile, their nan* forms, unique."""

from __future__ import annotations

import math

import numpy as np

from .. import jit
from .base import _check_1d, _has_nan, _lt

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
def _check_sort_args(ndim, axis, kind, name):
    """NumPy's ValueError for a sort kind it does not know (it reads the first letter:
    quicksort, heapsort, mergesort, stable), and a ValueError for an axis other than the last
    or None, which is not compiled."""
    if kind is not None:
        c = kind[0] if len(kind) > 0 else " "
        if not (c == "q" or c == "h" or c == "m" or c == "s"):
            raise ValueError("sort kind must be one of 'quick', 'heap', or 'stable' (got '" + kind + "')")
    if axis is not None and axis != -1 and axis != ndim - 1:
        raise ValueError(name + "() is compiled along the last axis only (axis=-1 or None)")


@jit
def argsort(a, axis=-1, kind=None):
    """an array of any number of dimensions, along its last axis (axis=-1, or None: of the
    flattened array; order= is not supported): a stable sort, NaN last, whatever kind= says
    (every kind NumPy has; a stable order is one a quicksort or heapsort may give, though
    NumPy's own may order ties otherwise)."""
    _check_sort_args(a.ndim, axis, kind, "argsort")
    if axis is None:
        return argsort(a.ravel(), -1, kind)  # NumPy's: of the flattened array
    if a.size == 0:
        return np.zeros(a.shape, dtype=np.int64)
    n = a.shape[-1]
    v = a.reshape(-1, n)
    out = np.empty((len(v), n), dtype=np.int64)
    for i in range(len(v)):
        _argsort_row(v[i], out[i])
    return out.reshape(a.shape)


@jit
def sort(a, axis=-1, kind=None):
    """an array of any number of dimensions, sorted along its last axis (axis=-1, or None: the
    flattened array; order= is not supported): a new array, NaN last, by a stable sort whatever kind= says."""
    _check_sort_args(a.ndim, axis, kind, "sort")
    if axis is None:
        return sort(a.ravel(), -1, kind)  # NumPy's: of the flattened array
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
def searchsorted(a, v, side=None):
    """a sorted 1-D array, v a number or an array of one or more dimensions (int64 indices of
    its shape), side 'left' (the default) or 'right' (a 0-d array v and sorter= are not
    supported)."""
    # None stands for NumPy's default 'left' (a string default is not compiled).
    right = False
    if side is not None:
        if side != "left" and side != "right":
            raise ValueError("search side must be 'left' or 'right' (got '" + side + "')")
        right = side == "right"
    if np.ndim(v) == 0:
        return _search1(a, v, right)
    out = np.empty(v.shape, dtype=np.int64)
    flat = out.reshape(-1)
    vf = v.ravel()
    for i in range(len(vf)):
        flat[i] = _search1(a, vf[i], right)
    return out


@jit
def _search1(a, v, right):
    """Where v goes in the sorted 1-D array a (NaN after every number): before the elements
    equal to it, or after them when `right`."""
    n = _check_1d(a)
    if n == 0:
        return 0
    # Elements and v compared in their common type, as NumPy's (an int64 element above 2**53
    # equals the float64 it rounds to): each plus a zero of the other's type (`min(0, x - x)`:
    # 0 of x's type, also when x - x is NaN; an int and a float give a float).
    a0 = a[0]
    w = v + min(0, a0 - a0)
    vz = min(0, v - v)
    lo = 0
    hi = n
    while lo < hi:
        mid = (lo + hi) // 2
        x = a[mid] + vz
        if _lt(x, w) or (right and not _lt(w, x)):
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
        raise ValueError("Quantiles must be in the range [0, 1]")
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
    """a 1-D array of numbers (not bool) and q a number in [0, 100] or a 1-D list or array of
    them (an array of the percentiles, in q's order) (method="linear"; axis=, weights= are not
    supported)."""
    if np.ndim(q) == 1:
        qs = np.asarray(q)
        out = np.empty(len(qs))
        for i in range(len(qs)):
            out[i] = percentile(a, qs[i])
        return out
    if not (q >= 0.0 and q <= 100.0):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return quantile(a, q / 100)


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
def sort_method(a, axis=-1, kind=None):
    """ndarray.sort(): an array of one or more dimensions sorted in place along its last axis
    (axis=-1 only; order= is not supported), NaN last, stably whatever kind= says; returns None."""
    a[:] = sort(a, axis, kind)


@jit
def _monotonicity(bins):
    """NumPy's _monotonicity of a 1-D array, its elements compared as float64: 1 when
    increasing (all equal and empty included), -1 when decreasing, 0 otherwise."""
    n = _check_1d(bins)
    if n == 0:
        return 1
    last = bins[0] * 1.0
    i = 1
    while i < n and bins[i] * 1.0 == last:
        i += 1
    if i == n:
        return 1
    nxt = bins[i] * 1.0
    if last < nxt:
        for j in range(i + 1, n):
            last = nxt
            nxt = bins[j] * 1.0
            if last > nxt:
                return 0
        return 1
    for j in range(i + 1, n):
        last = nxt
        nxt = bins[j] * 1.0
        if last < nxt:
            return 0
    return -1


@jit
def _search_side(a, v, right):
    """searchsorted(a, v, side="right" if right else "left") of the sorted 1-D array a (NaN
    last) and a number v."""
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        go = _lt(a[mid], v)
        if right:
            go = not _lt(v, a[mid])
        if go:
            lo = mid + 1
        else:
            hi = mid
    return lo


@jit
def digitize(x, bins, right=False):
    """x an array of any number of dimensions or a number, bins a 1-D array, increasing or
    decreasing, and a bool right: int64 bin indices of x's shape."""
    mono = _monotonicity(bins)
    if mono == 0:
        raise ValueError("bins must be monotonically increasing or decreasing")
    n = len(bins)
    # xa has x's shape, () for a number: the result is reshaped to it and `[()]` makes a 0-d
    # result the number it holds (an array's `[()]` is the array).
    xa = x + np.zeros((), dtype=np.bool_)
    xs = xa.ravel()
    out = np.empty(len(xs), dtype=np.int64)
    if mono == 1:
        for i in range(len(xs)):
            out[i] = _search_side(bins, xs[i], not right)
    else:
        rev = bins[::-1]
        for i in range(len(xs)):
            out[i] = n - _search_side(rev, xs[i], not right)
    return out.reshape(xa.shape)[()]


@jit
def _non_nan(a):
    """The elements of the 1-D array a that are not NaN, in order, in a new array."""
    n = len(a)
    m = 0
    for i in range(n):
        if a[i] == a[i]:
            m += 1
    out = np.empty(m, dtype=a.dtype)
    m = 0
    for i in range(n):
        x = a[i]
        if x == x:
            out[m] = x
            m += 1
    return out


@jit
def nanmedian(a):
    """an array of any number of dimensions, flattened (axis= is not supported), NaN ignored;
    float64 result, NaN when every element is NaN."""
    return _median1(_non_nan(a.ravel()))


@jit
def nanquantile(a, q):
    """an array of numbers (not bool) of any number of dimensions, flattened, NaN ignored, and
    a number q in [0, 1] (method="linear"; an array q, axis=, weights= are not supported); NaN
    when every element is NaN."""
    if not (q >= 0.0 and q <= 1.0):
        raise ValueError("Quantiles must be in the range [0, 1]")
    v = _non_nan(a.ravel())
    if len(v) == 0:
        return math.nan
    return _quantile1(v, q)


@jit
def nanpercentile(a, q):
    """an array of numbers (not bool) of any number of dimensions, flattened, NaN ignored, and
    a number q in [0, 100] (method="linear"; an array q, axis=, weights= are not supported);
    NaN when every element is NaN."""
    if not (q >= 0.0 and q <= 100.0):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return nanquantile(a, q / 100)


@jit
def _check_kth(kth, n):
    """NumPy's ValueError for a kth outside the axis of length n (a negative kth counts from
    its end)."""
    if np.ndim(kth) == 0:
        _check_one_kth(kth, n)
    else:
        for k in kth:
            _check_one_kth(k, n)


@jit
def _check_one_kth(k, n):
    """NumPy's message names a negative kth after adding n."""
    if k < 0:
        k = k + n
    if k < 0 or k >= n:
        raise ValueError("kth(=" + str(k) + ") out of bounds (" + str(n) + ")")


@jit
def _check_partition(a, kth, axis, name):
    """NumPy's errors of np.partition/np.argpartition (of an array of one or more
    dimensions): another axis than the last (not compiled), a kth out of bounds."""
    _check_sort_args(a.ndim, axis, None, name)
    _check_kth(kth, a.shape[-1])


@jit
def partition(a, kth, axis=-1, kind=None):
    """an array of one or more dimensions, along its last axis (axis=-1, or None: the flattened
    array), kth an int or a sequence of ints: a new array whose kth elements are where a sort
    puts them, none larger before and none smaller after (NumPy's guarantee, NaN last). It is
    sorted, which keeps the guarantee; the other elements' order, which NumPy leaves to its
    introselect, may differ from NumPy's."""
    if axis is None:
        return partition(a.ravel(), kth, -1, kind)
    if a.ndim == 0:
        # (here, not in the helper: the branch is decided when compiling, the rest not typed)
        raise ValueError("axis -1 is out of bounds for array of dimension 0")
    _check_partition(a, kth, axis, "partition")
    return sort(a)


@jit
def argpartition(a, kth, axis=-1, kind=None):
    """The indices that partition a (as np.partition): a stable argsort along the last axis,
    which keeps NumPy's guarantee for every kth."""
    if axis is None:
        return argpartition(a.ravel(), kth, -1, kind)
    if a.ndim == 0:
        # NumPy's argpartition of a 0-d array is that of the array of its one element.
        return argpartition(a.ravel(), kth, -1, kind)
    _check_partition(a, kth, axis, "argpartition")
    return argsort(a)
