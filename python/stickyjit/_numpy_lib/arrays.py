"""Functions that make or rearrange arrays: eye, triu, flip, roll, concatenate, stack, tile, take, rot90, ..."""

from __future__ import annotations

import math

import numpy as np

from .. import jit
from .base import _acc, _axis, _check_1d, _check_2d, _outer_inner


@jit
def diff(a, n=1):
    """a 1-D array and an int n >= 0, the order (axis=, prepend=, append= are not supported;
    n=0 gives a copy of a, NumPy a itself)."""
    if n < 0:
        raise ValueError("order must be non-negative but got " + str(n))
    size = _check_1d(a)
    out = np.empty(size, dtype=a.dtype)
    out[:] = a
    # Each order in place: out[i] is read before out[i + 1] is written.
    for k in range(min(n, size)):
        for i in range(size - 1 - k):
            out[i] = out[i + 1] - out[i]
    return out[: max(size - n, 0)]


@jit
def eye(N, M=-1, k=0):
    """ints N, M (-1, the default, stands for NumPy's None: M = N) and k; float64 result
    (np.eye(..., dtype=d) is this converted to d: the compiler's `eye_with_dtype`)."""
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
    """an int n; float64 result (np.identity(n, dtype=d): converted to d, as np.eye)."""
    return eye(n)


@jit
def trace(a, offset=0, axis1=0, axis2=1):
    """a 2-D array, an int offset and the axes axis1, axis2 (0 and 1, either way round; dtype=
    and out= are not supported): the sum of the diagonal, in NumPy's sum dtype, in order."""
    d = diagonal(a, offset, axis1, axis2)
    # NumPy's sum dtype (int64 for bool and signed ints, uint64 for unsigned, a's for floats and
    # complex numbers: the accumulator of |d|'s dtype promoted with a's dtype).
    s = (_acc(np.abs(d[:0]), 0) + np.zeros(1, dtype=a.dtype))[0]
    for i in range(len(d)):
        s = s + d[i]
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
            raise ValueError("'list' argument must have no negative elements")
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
def concatenate(arrays, axis=0):
    """a tuple of arrays of one dtype, number of dimensions and layout, joined along axis 0 or
    the last axis (every axis of 1-D and 2-D arrays; axis=None and a middle axis of 3-D arrays
    are not supported)."""
    first = arrays[0]
    d = first.ndim
    k = _axis(axis, d)
    if k != 0 and k != d - 1:
        raise ValueError("np.concatenate() along an axis other than the first or the last is not supported")
    total = 0
    src = first
    for x in arrays:
        for i in range(d):
            if i != k and x.shape[i] != first.shape[i]:
                raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        m = x.shape[k]
        total += m
        if m > 0:
            src = x
    # The result's shape is first's with `total` at axis k: a tuple of d lengths, which the
    # subset makes only as the shape of an array, here a broadcast of bools of a view of src
    # (1 long along axis k: src is not empty along it unless total is 0) against `total` bools
    # (a pass over bools of the result's shape; the subset has no tuple slicing or `+`).
    z = np.zeros(total, dtype=np.bool_)
    if k == 0:
        out = np.empty(((src[0:1] != 0).T | z).T.shape, dtype=first.dtype)
    else:
        out = np.empty(((src.T[0:1].T != 0) | z).shape, dtype=first.dtype)
    outer, inner = _outer_inner(out.shape, d, k)
    o2 = out.reshape(outer, total * inner)
    off = 0
    for x in arrays:
        m = x.shape[k] * inner
        o2[:, off : off + m] = x.reshape(outer, m)
        off += m
    return out


@jit
def _vstack2(a, b):
    """vstack((a, b)) of two 1-D or 2-D arrays of any dtypes and layouts (pynndescent's
    `np.vstack((hyperplane_inds, hyperplane_data))` of int32 and float32): NumPy's common dtype."""
    if a.ndim > 2 or b.ndim > 2:
        raise ValueError("np.vstack() of arrays of more than two dimensions is not supported")
    a2 = np.atleast_2d(a)
    b2 = np.atleast_2d(b)
    if a2.shape[1] != b2.shape[1]:
        raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
    proto = np.zeros(1, dtype=a.dtype) + np.zeros(1, dtype=b.dtype)
    n = a2.shape[0]
    out = np.empty((n + b2.shape[0], a2.shape[1]), dtype=proto.dtype)
    out[:n, :] = a2
    out[n:, :] = b2
    return out


@jit
def vstack(tup):
    """a tuple of 1-D or 2-D arrays of one dtype, number of dimensions and layout: 1-D arrays
    become rows (of one length), 2-D arrays are joined along axis 0 (3-D arrays are not
    supported); two arrays may be of any dtypes (the result NumPy's common one) and mix 1-D
    and 2-D."""
    if len(tup) == 2:
        return _vstack2(tup[0], tup[1])
    first = tup[0]
    d = first.ndim
    if d > 2:
        raise ValueError("np.vstack() of arrays of more than two dimensions is not supported")
    cols = first.shape[d - 1]
    rows = 0
    for x in tup:
        if x.shape[d - 1] != cols:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        r = 1
        if d == 2:
            r = x.shape[0]
        rows += r
    out = np.empty((rows, cols), dtype=first.dtype)
    i = 0
    for x in tup:
        r = 1
        if d == 2:
            r = x.shape[0]
        out[i : i + r, :] = x.reshape(r, cols)
        i += r
    return out


@jit
def stack(arrays, axis=0):
    """a tuple of arrays of one shape, dtype and layout, joined along a new axis 0 or last
    (every axis of 1-D and 2-D arrays; a middle axis of 3-D arrays is not supported)."""
    first = arrays[0]
    d = first.ndim
    k = _axis(axis, d + 1)
    if k != 0 and k != d and (k != 1 or d != 2):
        raise ValueError("np.stack() along an axis other than the first or the last is not supported")
    n = len(arrays)
    for x in arrays:
        for i in range(d):
            if x.shape[i] != first.shape[i]:
                raise ValueError("all input arrays must have the same shape")
    # The result's shape (first's with n inserted at axis k), made as in concatenate.
    z = np.zeros(n, dtype=np.bool_)
    if k == d:
        out = np.empty(((first.T[None].T != 0) | z).shape, dtype=first.dtype)
    elif k == 0:
        out = np.empty(((first[None] != 0).T | z).T.shape, dtype=first.dtype)
    else:
        # k == 1 of a 2-D array: (rows, 1, cols) against (n, 1).
        out = np.empty(((first[:, None] != 0) | z.reshape(n, 1)).shape, dtype=first.dtype)
    outer, inner = _outer_inner(out.shape, d + 1, k)
    o2 = out.reshape(outer, n * inner)
    j = 0
    for x in arrays:
        o2[:, j : j + inner] = x.reshape(outer, inner)
        j += inner
    return out


@jit
def hstack(tup):
    """a tuple of 1-D arrays (joined along axis 0) or of arrays of more dimensions (joined
    along axis 1, the last axis of 2-D arrays) of one dtype, number of dimensions and layout."""
    k = 1
    if tup[0].ndim == 1:
        k = 0
    return concatenate(tup, k)


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
    _check_1d(a)
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
def diag(v, k=0):
    """a 1-D array v and an int k: the 2-D array with v on its k-th diagonal; a 2-D v: its k-th
    diagonal, a new 1-D array (NumPy's is a read-only view)."""
    # Each branch is compiled only for the number of dimensions it names (docs/language.md,
    # Statements: conditions the argument types decide).
    if v.ndim == 2:
        return diagonal(v, k)
    else:
        return _diag_matrix(v, k)


@jit
def _diag_matrix(v, k):
    """The 2-D array with the 1-D v on its k-th diagonal."""
    n = _check_1d(v)
    m = n + abs(k)
    out = np.zeros((m, m), dtype=v.dtype)
    for i in range(n):
        if k >= 0:
            out[i, i + k] = v[i]
        else:
            out[i - k, i] = v[i]
    return out


@jit
def diagonal(a, offset=0, axis1=0, axis2=1):
    """a 2-D array, an int offset and the axes axis1, axis2 (0 and 1, either way round): a new
    array (NumPy's is a read-only view)."""
    _check_2d(a)
    a1 = _axis(axis1, 2)
    a2 = _axis(axis2, 2)
    if a1 == a2:
        raise ValueError("axis1 and axis2 cannot be the same")
    k = offset
    if a1 == 1:
        k = -offset
    r, c = a.shape
    i0 = 0
    j0 = k
    if k < 0:
        i0 = -k
        j0 = 0
    m = min(r - i0, c - j0)
    if m < 0:
        m = 0
    out = np.empty(m, dtype=a.dtype)
    for i in range(m):
        out[i] = a[i0 + i, j0 + i]
    return out


@jit
def ascontiguousarray(a):
    """an array of one or more dimensions (dtype= is not supported): the array itself when it
    is C-contiguous, else a C-contiguous copy, as NumPy's."""
    # A CompileError (tuple index) for a 0-d array, which NumPy turns into a 1-D one.
    a.shape[0]  # noqa: B018
    return a.reshape(a.shape)


@jit
def _overflow_error(x):
    """Raises OverflowError for x = inf (the subset has no raise: CPython's int(inf) error)."""
    return int(x)


@jit
def fill(a, value):
    """ndarray.fill(value): an array of one or more dimensions and a number, set into every
    element (converted to a's dtype as NumPy's); returns None."""
    if np.full(1, 0.5, dtype=a.dtype)[0] == 0:
        # An integer array, as NumPy: int(value) (NaN: ValueError, an infinity: OverflowError),
        # then OverflowError when that is out of the dtype's range.
        t = int(value)
        c = np.empty(1, dtype=a.dtype)
        c[0] = t
        if c[0] != t:
            _overflow_error(math.inf)
    a[:] = value


@jit
def item(a, *args):
    """ndarray.item(): the one element of an array of size 1 (else NumPy's ValueError);
    item(k): the element at flat position k in C order (negative from the end; out of range,
    NumPy's IndexError); item(i, j, ...): a[i, j, ...]. A number of the array's dtype."""
    if len(args) == 0:
        if a.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return a.ravel()[0]
    if len(args) == 1:
        k = args[0]
        if a.ndim == 1:
            return a[k]  # NumPy's message names the axis then
        n = a.size
        if k < -n or k >= n:
            raise IndexError("index " + str(k) + " is out of bounds for size " + str(n))
        return a.ravel()[k]
    return a[args]


@jit
def tile(a, reps):
    """a 1-D array and an int reps (a tuple of reps is not supported): a new array."""
    n = _check_1d(a)
    r = reps
    if r < 0:
        # NumPy: a ValueError from repeat, unless a is empty.
        if n > 0:
            raise ValueError("negative dimensions are not allowed")
        r = 0
    out = np.empty(n * r, dtype=a.dtype)
    for k in range(r):
        out[k * n : k * n + n] = a
    return out


@jit
def _as_1d(v):
    """An array or a number v as a 1-D array (a number: of one element), in NumPy's dtype for
    it (a Python int: int64, a float: float64)."""
    return (v * np.ones(1, dtype=np.bool_)).ravel()


@jit
def append(arr, values):
    """arrays of any number of dimensions or numbers, flattened (axis= is not supported):
    a 1-D array of NumPy's common dtype."""
    a = _as_1d(arr)
    b = _as_1d(values)
    p = np.zeros(1, dtype=a.dtype) + np.zeros(1, dtype=b.dtype)
    n = len(a)
    m = len(b)
    out = np.empty(n + m, dtype=p.dtype)
    out[:n] = a
    out[n:] = b
    return out


@jit
def flipud(m):
    """an array of one or more dimensions: a view with its first axis reversed."""
    m.shape[0]  # noqa: B018 - a CompileError (tuple index) for a 0-d array or a number
    return m[::-1]


@jit
def fliplr(m):
    """an array of two or more dimensions: a view with its second axis reversed."""
    m.shape[1]  # noqa: B018 - a CompileError (tuple index) for fewer dimensions
    return m[:, ::-1]


@jit
def rot90(m, k=1):
    """a 2-D array and an int k (axes= is not supported): a view, as NumPy's."""
    _check_2d(m)
    j = k % 4
    if j == 1:
        return m[:, ::-1].T
    if j == 2:
        return m[::-1, ::-1]
    if j == 3:
        return m.T[:, ::-1]
    return m[:, :]


@jit
def fill_diagonal(a, val):
    """a 2-D array, filled in place (wrap=False), and a number or an array val (flattened and
    repeated along the diagonal, as NumPy's); returns None."""
    _check_2d(a)
    r, c = a.shape
    v = _as_1d(val)
    k = len(v)
    if k > 0:
        for i in range(min(r, c)):
            a[i, i] = v[i % k]


@jit
def argwhere(a):
    """an array of one or more dimensions: the int64 indices of its non-zero elements, one row
    of ndim of them per element (NaN is non-zero)."""
    d = a.ndim
    idx = _flatnonzero1(a.ravel())
    m = len(idx)
    out = np.empty((m, d), dtype=np.int64)
    for i in range(m):
        f = idx[i]
        for j in range(d - 1, -1, -1):
            s = a.shape[j]
            out[i, j] = f % s
            f = f // s
    return out


@jit
def take(a, indices):
    """an array of any number of dimensions, flattened (axis=None), and an integer array of
    any number of dimensions or an int (mode="raise"; axis=, out=, mode= are not supported):
    a's elements at those indices, in an array of the indices' shape (an int: one element)."""
    v = a.ravel()
    # ia has the indices' shape, () for an int: `[()]` makes a 0-d result its element.
    ia = indices + np.zeros((), dtype=np.bool_)
    ix = ia.ravel()
    out = np.empty(len(ix), dtype=a.dtype)
    for i in range(len(ix)):
        out[i] = v[ix[i] + 0]
    return out.reshape(ia.shape)[()]


@jit
def atleast_1d(a):
    """one array or number (not several): the array itself when it has axes, a number as a
    1-element array, as NumPy's."""
    if np.ndim(a) == 0:
        return np.full(1, a)
    return a


@jit
def atleast_2d(a):
    """one array or number (not several): a 1-D array viewed as one row (1, n), a number as a
    (1, 1) array, an array of two or more axes itself, as NumPy's."""
    if np.ndim(a) == 0:
        return np.full((1, 1), a)
    if np.ndim(a) == 1:
        return a[None, :]
    return a


@jit
def atleast_3d(a):
    """one array or number (not several): (n,) viewed as (1, n, 1), (m, n) as (m, n, 1), a number
    as a (1, 1, 1) array, an array of three or more axes itself, as NumPy's."""
    if np.ndim(a) == 0:
        return np.full((1, 1, 1), a)
    if np.ndim(a) == 1:
        return a[None, :, None]
    if np.ndim(a) == 2:
        return a[:, :, None]
    return a
