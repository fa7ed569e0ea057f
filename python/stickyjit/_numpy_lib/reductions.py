"""Reductions and accumulations: cumsum, count_nonzero, the nan* functions, isclose, ..."""

from __future__ import annotations

import math

import numpy as np

from .. import jit
from .base import _acc, _axis, _check_1d, _outer_inner, _unsupported


@jit
def _cum_along(a, axis, mul, skip_nan):
    """cumsum (cumprod when `mul`; NaN counting as 0 or 1 when `skip_nan`) of an array of one or
    more dimensions along `axis` (ValueError outside [-ndim, ndim)): an array of a's shape in
    NumPy's accumulation dtype: np.cumsum and its kin with axis= given (`axis is None`, the
    default, is known from the arguments' types: only the branch taken is compiled)."""
    d = a.ndim
    k = _axis(axis, d)
    outer, inner = _outer_inner(a.shape, d, k)
    n = a.shape[k]
    p = _acc(a, 0)
    if mul:
        p = _acc(a, 1)
    out = np.empty(a.shape, dtype=p.dtype)
    a3 = a.reshape(outer, n, inner)
    o3 = out.reshape(outer, n, inner)
    for i in range(outer):
        for j in range(n):
            for m in range(inner):
                x = a3[i, j, m]
                s = p[0]
                if j > 0:
                    s = o3[i, j - 1, m]
                if not skip_nan or x == x:
                    if mul:
                        s = s * x
                    else:
                        s = s + x
                o3[i, j, m] = s
    return out


@jit
def cumsum(a, axis=None):
    """an array of any number of dimensions, flattened, or along axis= (an int) in a's shape
    (dtype= is not supported)."""
    if axis is None:
        return _cumsum1(a.ravel())
    return _cum_along(a, axis, False, False)


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
def cumprod(a, axis=None):
    """an array of any number of dimensions, flattened, or along axis= (an int) in a's shape
    (dtype= is not supported)."""
    if axis is None:
        return _cumprod1(a.ravel())
    return _cum_along(a, axis, True, False)


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
    return np.all(isclose(a, b, rtol, atol, equal_nan))


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
        raise ValueError("zero-size array to reduction operation fmin which has no identity")
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
        raise ValueError("zero-size array to reduction operation fmax which has no identity")
    best = a[0]
    for i in range(1, n):
        x = a[i]
        if x > best or best != best:
            best = x
    return best


@jit
def ptp(a):
    """an array of any number of dimensions, not bool (axis= is not supported): max - min in
    a's dtype (narrow integers wrap, as NumPy's)."""
    c = np.empty(1, dtype=a.dtype)
    c[0] = a.max() - a.min()
    return c[0]


@jit
def array_equal(a1, a2, equal_nan=False):
    """two arrays: True when their shapes and elements are equal."""
    if a1.ndim != a2.ndim:
        return False
    for i in range(a1.ndim):
        if a1.shape[i] != a2.shape[i]:
            return False
    if equal_nan:
        return np.all((a1 == a2) | (np.isnan(a1 * 1.0) & np.isnan(a2 * 1.0)))
    return np.all(a1 == a2)


@jit
def _is_float(a):
    """True when a's dtype is a float dtype (0.5 survives conversion to it)."""
    return np.full(1, 0.5, dtype=a.dtype)[0] == 0.5


@jit
def nanvar(a, axis=(), dtype=(), out=(), ddof=0):
    """an array of any number of dimensions (axis=, dtype=, out= are not supported) and a number
    ddof; float64 result, computed in float64, NaN ignored."""
    _unsupported(axis)
    _unsupported(dtype)
    _unsupported(out)
    return _nanvar1(a.ravel(), ddof)


@jit
def _nanvar1(a, ddof):
    """a 1-D array and a number ddof: NumPy's nanvar (np.var for integers), in float64."""
    n = _check_1d(a)
    s = 0.0
    k = 0
    for i in range(n):
        x = a[i]
        if x == x:
            s += x
            k += 1
    mean = math.nan
    if k > 0:
        mean = s / k
    ss = 0.0
    for i in range(n):
        x = a[i]
        if x == x:
            d = x - mean
            ss += d * d
    dof = k - ddof
    if dof > 0:
        return ss / dof
    # NumPy: NaN for floats (nanvar's own rule), ss / 0 for integers (np.var: inf, or NaN for 0).
    if ss > 0 and not _is_float(a):
        return math.inf
    return math.nan


@jit
def nanstd(a, axis=(), dtype=(), out=(), ddof=0):
    """an array of any number of dimensions (axis=, dtype=, out= are not supported) and a number
    ddof; float64 result, computed in float64, NaN ignored."""
    _unsupported(axis)
    _unsupported(dtype)
    _unsupported(out)
    return math.sqrt(_nanvar1(a.ravel(), ddof))


@jit
def nanprod(a):
    """an array of any number of dimensions (axis= is not supported); multiplied in order in
    NumPy's prod dtype, NaN ignored (1 when every element is NaN)."""
    return _nanprod1(a.ravel())


@jit
def _nanprod1(a):
    """a 1-D array (axis= is not supported); multiplied in order, NaN ignored."""
    n = _check_1d(a)
    s = _acc(a, 1)[0]
    for i in range(n):
        x = a[i]
        if x == x:
            s = s * x
    return s


@jit
def nancumsum(a, axis=None):
    """an array of any number of dimensions, flattened, or along axis= (an int) in a's shape
    (dtype= is not supported); NaN counts as 0."""
    if axis is None:
        return _nancumsum1(a.ravel())
    return _cum_along(a, axis, False, True)


@jit
def _nancumsum1(a):
    """a 1-D array (axis= and dtype= are not supported); NaN counts as 0."""
    n = _check_1d(a)
    p = _acc(a, 0)
    out = np.empty(n, dtype=p.dtype)
    if n > 0:
        s = p[0]
        for i in range(n):
            x = a[i]
            if x == x:
                s = s + x
            out[i] = s
    return out


@jit
def nancumprod(a, axis=None):
    """an array of any number of dimensions, flattened, or along axis= (an int) in a's shape
    (dtype= is not supported); NaN counts as 1."""
    if axis is None:
        return _nancumprod1(a.ravel())
    return _cum_along(a, axis, True, True)


@jit
def _nancumprod1(a):
    """a 1-D array (axis= and dtype= are not supported); NaN counts as 1."""
    n = _check_1d(a)
    p = _acc(a, 1)
    out = np.empty(n, dtype=p.dtype)
    if n > 0:
        s = p[0]
        for i in range(n):
            x = a[i]
            if x == x:
                s = s * x
            out[i] = s
    return out


@jit
def clip_method(a, min, max):
    """ndarray.clip(min, max): arrays (broadcast together) or numbers; min and max must both be
    given."""
    return clip(a, min, max)
