"""Helpers of the library implementations, linspace, logspace, geomspace."""

from __future__ import annotations

import math

import numpy as np

from .. import jit


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
def _axis(axis, d):
    """axis (an int) normalized into [0, d): ValueError (NumPy's AxisError is a ValueError) when
    it is outside [-d, d)."""
    k = axis
    if k < 0:
        k += d
    if k < 0 or k >= d:
        raise ValueError("axis " + str(axis) + " is out of bounds for array of dimension " + str(d))
    return k


# NumPy's None for a number or an array parameter (interp's left=, trapezoid's x=): a NaN with
# its sign bit set, which no computation gives (the subset has no None; a parameter takes one
# type, so the default must be a number).
NO_VALUE = -math.nan


@jit
def _is_no_value(v):
    """True when the number v is NO_VALUE (a NaN with its sign bit set)."""
    return v != v and math.copysign(1.0, v) < 0


@jit
def _unsupported(x):
    """A TypeError (len() of a number) unless `x` is left at its default (), which stands for
    a NumPy parameter that is not compiled (axis=, dtype=, out=)."""
    return len(x)


@jit
def _outer_inner(shape, d, k):
    """The products of the lengths before axis k and after it, of a shape of d lengths."""
    outer = 1
    for i in range(k):
        outer *= shape[i]
    inner = 1
    for i in range(k + 1, d):
        inner *= shape[i]
    return outer, inner


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


@jit
def _has_nan(a):
    for i in range(len(a)):
        if a[i] != a[i]:
            return True
    return False


@jit
def linspace(start, stop, num=50):
    """numbers start and stop, an int num (endpoint=True); float64 result."""
    if num < 0:
        raise ValueError("Number of samples, " + str(num) + ", must be non-negative.")
    y = np.empty(num)
    _fill_linspace(y, start, stop)
    return y


@jit
def logspace(start, stop, num=50, base=10.0):
    """numbers start, stop and base, an int num (endpoint=True); float64 result, NumPy's
    power(base, linspace(start, stop, num))."""
    return np.power(base * 1.0, linspace(start, stop, num))


@jit
def geomspace(start, stop, num=50):
    """non-zero numbers start and stop (real), an int num (endpoint=True); float64 result."""
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    if num < 0:
        raise ValueError("Number of samples, " + str(num) + ", must be non-negative.")
    sign = 1.0
    if start < 0:
        sign = -1.0
    if start != start:
        sign = start * 1.0
    s = start / sign
    t = stop / sign
    y = logspace(np.log10(s), np.log10(t), num, 10.0)
    if num > 0:
        y[0] = s
        if num > 1:
            y[num - 1] = t
    for i in range(num):
        y[i] = y[i] * sign
    return y
