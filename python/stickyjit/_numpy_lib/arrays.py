"""Functions that make or rearrange arrays: eye, triu, flip, roll, concatenate, stack, meshgrid, ..."""

from __future__ import annotations

import numpy as np

from .. import jit
from .base import _acc, _check_1d, _check_2d, _value_error


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
