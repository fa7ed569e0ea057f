"""Numerical routines: interp, trapezoid, convolve, cross, average, vdot, polyval (1-D arrays),
kron (1-D to 3-D), cov and corrcoef (2-D)."""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import jit
from .base import NO_VALUE, _axis, _check_1d, _check_2d, _is_no_value, _unsupported


@jit
def interp(x, xp, fp, left=NO_VALUE, right=NO_VALUE, period=()):
    """a number or an array x of any number of dimensions, 1-D arrays xp (increasing) and fp of
    one length (lists of numbers taken as NumPy takes them), numbers left and right (left out:
    fp[0] and fp[-1]); float64 result (period= is not supported)."""
    _unsupported(period)
    xp = np.asarray(xp)
    fp = np.asarray(fp)
    n = _check_1d(xp)
    if n == 0:
        raise ValueError("array of sample points is empty")
    if _check_1d(fp) != n:
        raise ValueError("fp and xp are not of the same length.")
    lval = fp[0] * 1.0
    if not _is_no_value(left):
        lval = left * 1.0
    rval = fp[n - 1] * 1.0
    if not _is_no_value(right):
        rval = right * 1.0
    if np.ndim(x) == 0:
        xs = np.full(1, x * 1.0)
    else:
        xs = np.asarray(x).ravel()
    out = np.empty(len(xs))
    if n == 1:
        # NumPy's own branch for one point (a NaN x gives fp[0]).
        x0 = xp[0] * 1.0
        f0 = fp[0] * 1.0
        for i in range(len(xs)):
            v = xs[i] * 1.0
            r = f0
            if v < x0:
                r = lval
            elif v > x0:
                r = rval
            out[i] = r
        return _shaped_as(out, x)
    first = xp[0] * 1.0
    last = xp[n - 1] * 1.0
    for i in range(len(xs)):
        v = xs[i] * 1.0
        if v != v:
            out[i] = v
        elif v > last:
            out[i] = rval
        elif v < first:
            out[i] = lval
        else:
            # j: the last index with xp[j] <= v (NumPy's binary_search_with_guess).
            lo = 0
            hi = n
            while lo < hi:
                mid = (lo + hi) // 2
                if v >= xp[mid]:
                    lo = mid + 1
                else:
                    hi = mid
            j = lo - 1
            if j == n - 1 or xp[j] == v:
                out[i] = fp[j] * 1.0
            else:
                x0 = xp[j] * 1.0
                x1 = xp[j + 1] * 1.0
                f0 = fp[j] * 1.0
                f1 = fp[j + 1] * 1.0
                slope = (f1 - f0) / (x1 - x0)
                r = slope * (v - x0) + f0
                if r != r:
                    # NumPy: NaN in one direction, try the other.
                    r = slope * (v - x1) + f1
                    if r != r and f0 == f1:
                        r = f0
                out[i] = r
    return _shaped_as(out, x)


@jit
def _shaped_as(out, x):
    """The values `out` computed for the elements of `x`, in x's shape: a float for a number."""
    if np.ndim(x) == 0:
        return out[0]
    return out.reshape(np.asarray(x).shape)


@jit
def trapezoid(y, x=NO_VALUE, dx=1.0, axis=-1):
    """a 1-D array y, a 1-D array x of sample points or a number dx (x left out), axis 0 or -1;
    the trapezoids summed in order, as a float."""
    _check_1d(y)
    _axis(axis, 1)
    xa = x * np.ones(1, dtype=np.bool_)
    _check_1d(xa)
    # NumPy's d * (y[1:] + y[:-1]) in NumPy's dtypes (bools: or; integers wrap; d and the
    # pairs broadcast), then each / 2.0 summed in order (a loop: an array `/ 2.0` is slower).
    if len(xa) == 1 and _is_no_value(xa[0] * 1.0):
        return _half_sum(dx * (y[1:] + y[:-1]))
    return _half_sum((xa[1:] - xa[:-1]) * (y[1:] + y[:-1]))


@jit
def _half_sum(t):
    """The sum of t[i] / 2.0 over the 1-D array t, in order."""
    s = 0.0
    for i in range(len(t)):
        s += t[i] / 2.0
    return s


@jit
def convolve(a, v):
    """two non-empty 1-D arrays (mode="full" only: other modes are strings, which the subset
    does not compile); summed in order in NumPy's result dtype."""
    _check_1d(a)
    _check_1d(v)
    # len(), not _check_1d's result: `ac[:] = a` below into an array whose length is a jitted
    # callee's result is a CompileError (slice) of the compiler's inference for now.
    n = len(a)
    m = len(v)
    if n == 0:
        raise ValueError("a cannot be empty")
    if m == 0:
        raise ValueError("v cannot be empty")
    # Products and sums in NumPy's result dtype (a float32 array times an int16 one: float32).
    p = np.zeros(1, dtype=a.dtype) * np.zeros(1, dtype=v.dtype)
    ac = np.empty(n, dtype=p.dtype)
    ac[:] = a
    vc = np.empty(m, dtype=p.dtype)
    vc[:] = v
    out = np.zeros(n + m - 1, dtype=p.dtype)
    for k in range(n + m - 1):
        lo = max(0, k - m + 1)
        hi = min(n, k + 1)
        s = p[0]
        for j in range(lo, hi):
            s = s + ac[j] * vc[k - j]
        out[k] = s
    return out


def _numpy_crosses_2_vectors():
    """Whether the installed NumPy takes a 2-element vector beside a 3-element one in
    ``np.cross`` (deprecated in NumPy 2.0, a ValueError from 2.5), asked of NumPy itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            np.cross(np.zeros(2), np.zeros(3))
        except ValueError:
            return False
    return True


# A frozen global of `cross` (part of its code key): NumPy's own rule where stickyjit runs.
CROSS_2_VECTORS = _numpy_crosses_2_vectors()


@jit
def cross(a, b):
    """two 1-D arrays of numbers (not both bool) of 3 elements, or of 2 and 3 where the
    installed NumPy takes that (before NumPy 2.5; two 2-vectors, whose NumPy cross product is a
    number, are not supported): a 3-vector in NumPy's result dtype. Lists of numbers are taken
    as NumPy takes them (`np.cross([0, 0, 1], h)`)."""
    a = np.asarray(a)
    b = np.asarray(b)
    n = _check_1d(a)
    m = _check_1d(b)
    if (n != 2 and n != 3) or (m != 2 and m != 3) or (n == 2 and m == 2):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    if (n == 2 or m == 2) and not CROSS_2_VECTORS:
        raise ValueError("np.cross() of 2-vectors is not supported with this NumPy")
    # Products and differences in NumPy's result dtype (float32 for float32 and int16).
    p = np.zeros(1, dtype=a.dtype) * np.zeros(1, dtype=b.dtype)
    if np.full(1, 2, dtype=p.dtype)[0] == 1:
        # Two bool arrays: NumPy's bool subtraction is a TypeError.
        raise TypeError(
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."
        )
    c = np.zeros(6, dtype=p.dtype)
    c[:n] = a
    c[3 : 3 + m] = b
    a0 = c[0]
    a1 = c[1]
    a2 = c[2]
    b0 = c[3]
    b1 = c[4]
    b2 = c[5]
    out = np.empty(3, dtype=p.dtype)
    out[2] = a0 * b1 - a1 * b0
    if n == 3 and m == 3:
        out[0] = a1 * b2 - a2 * b1
        out[1] = a2 * b0 - a0 * b2
    elif n == 2:
        out[0] = a1 * b2
        out[1] = -(a0 * b2)
    else:
        out[0] = -(a2 * b1)
        out[1] = a2 * b0
    return out


@jit
def average(a, axis=(), weights=NO_VALUE):
    """a 1-D array and weights a 1-D array of its length (left out: the mean); float64 result,
    summed in order (axis=, returned= are not supported)."""
    _unsupported(axis)
    n = _check_1d(a)
    w = weights * np.ones(1, dtype=np.bool_)
    _check_1d(w)
    if len(w) == 1 and _is_no_value(w[0] * 1.0):
        if n == 0:
            return math.nan
        return a.mean() * 1.0
    if len(w) != n:
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    scl = 0.0
    s = 0.0
    for i in range(n):
        wi = w[i] * 1.0
        scl += wi
        s += a[i] * wi
    if scl == 0.0:
        # NumPy: ZeroDivisionError("Weights sum to zero, can't be normalized").
        return s / 0.0
    return s / scl


@jit
def ediff1d(ary):
    """an array of any number of dimensions, flattened (to_end=, to_begin= are not supported):
    the differences of consecutive elements in its dtype."""
    v = ary.ravel()
    return v[1:] - v[:-1]


@jit
def vdot(a, b):
    """two arrays of any number of dimensions, flattened, of one size (else ValueError): the
    dot product of a's conjugate with b, in NumPy's result dtype."""
    return np.dot(np.conj(a.ravel()), b.ravel())


@jit
def inner(a, b):
    """two arrays of one or two dimensions (more are not supported): the sums of
    products over their last axes, `a @ b.T` (no conjugate), in NumPy's result dtype."""
    if a.ndim > 2 or b.ndim > 2:
        raise ValueError("np.inner() of arrays of more than two dimensions is not supported")
    return a @ b.T


@jit
def kron(a, b):
    """two arrays of one to three dimensions, any dtypes: NumPy's Kronecker product (the one
    of fewer dimensions taken with leading axes of length 1), of shape a.shape * b.shape, in
    NumPy's product dtype (numbers and 0-d arrays are not supported)."""
    # Each branch is compiled only for the numbers of dimensions it names (docs/language.md,
    # Statements: conditions the argument types decide).
    if a.ndim == 1 and b.ndim == 1:
        return (a[:, None] * b[None, :]).ravel()
    elif a.ndim <= 2 and b.ndim <= 2:
        x = _at_least_2d(a)
        y = _at_least_2d(b)
        n0, n1 = x.shape
        m0, m1 = y.shape
        return (x[:, None, :, None] * y[None, :, None, :]).reshape(n0 * m0, n1 * m1)
    else:
        x = _at_least_3d(a)
        y = _at_least_3d(b)
        n0, n1, n2 = x.shape
        m0, m1, m2 = y.shape
        p = x[:, None, :, None, :, None] * y[None, :, None, :, None, :]
        return p.reshape(n0 * m0, n1 * m1, n2 * m2)


@jit
def _at_least_2d(a):
    """A 1-D array as a view of one row; a 2-D array itself."""
    if a.ndim == 1:
        return a[None, :]
    else:
        _check_2d(a)
        return a


@jit
def _at_least_3d(a):
    """An array of one or two dimensions as a view with leading axes of length 1 (NumPy's
    ndmin); a 3-D array itself (more dimensions: a CompileError)."""
    if a.ndim == 1:
        return a[None, None, :]
    elif a.ndim == 2:
        return a[None, :, :]
    else:
        _check_3d(a)
        return a


@jit
def _check_3d(a):
    """A CompileError (tuple unpacking) unless `a` is a 3-D array."""
    n, m, k = a.shape
    return n


@jit
def polyval(p, x):
    """p a 1-D array of coefficients (the highest power first), x an array of any number of
    dimensions or a number: Horner's rule in NumPy's result dtype, of x's shape (a number x:
    a number)."""
    n = _check_1d(p)
    # xa has x's shape, () for a number: `[()]` makes a 0-d result the number it holds.
    xa = x + np.zeros((), dtype=np.bool_)
    xs = (x * np.ones(1, dtype=np.bool_)).ravel()
    proto = np.zeros(1, dtype=p.dtype) + np.zeros(1, dtype=xs.dtype)
    pc = np.empty(n, dtype=proto.dtype)
    pc[:] = p
    xc = np.empty(len(xs), dtype=proto.dtype)
    xc[:] = xs
    out = np.empty(len(xs), dtype=proto.dtype)
    for j in range(len(xs)):
        xv = xc[j]
        y = proto[0]
        for i in range(n):
            y = y * xv + pc[i]
        out[j] = y
    return out.reshape(xa.shape)[()]


@jit
def cov(m, y=(), rowvar=True, bias=False, ddof=NO_VALUE, fweights=(), aweights=(), dtype=()):
    """a 2-D array of variables (its rows; its columns with rowvar=False), rowvar, bias and an
    int ddof; a 2-D float64 result, computed as NumPy does (y=, fweights=, aweights=, dtype= are
    not supported; NumPy squeezes the result of a single variable to 0-d: here it stays 1x1)."""
    _unsupported(y)
    _unsupported(fweights)
    _unsupported(aweights)
    _unsupported(dtype)
    _check_2d(m)
    if rowvar:
        x = m.astype(np.float64)
    else:
        x = m.T.astype(np.float64)
    nvar, nobs = x.shape
    d = ddof * 1.0
    if _is_no_value(d):
        d = 0.0
        if not bias:
            d = 1.0
    fact = nobs - d
    if fact <= 0:
        fact = 0.0
    avg = x.sum(axis=1) / nobs
    x -= avg.reshape(nvar, 1)
    c = x @ x.T
    if fact == 0.0:
        c *= math.inf  # NumPy's 1 / 0 (with a warning)
    else:
        c *= 1.0 / fact
    return c


@jit
def corrcoef(x, y=(), rowvar=True, dtype=()):
    """as cov: the correlation coefficients of the rows of a 2-D array (its columns with
    rowvar=False), clipped to [-1, 1] as NumPy clips them."""
    c = cov(x, y, rowvar, False, NO_VALUE, (), (), dtype)
    n = c.shape[0]
    s = np.empty(n)
    for i in range(n):
        s[i] = np.sqrt(c[i, i])
    c /= s.reshape(n, 1)
    c /= s.reshape(1, n)
    for i in range(n):
        for j in range(n):
            if c[i, j] > 1.0:
                c[i, j] = 1.0
            elif c[i, j] < -1.0:
                c[i, j] = -1.0
    return c
