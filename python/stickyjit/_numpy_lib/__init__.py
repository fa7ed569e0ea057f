"""NumPy functions implemented in the compiled subset itself.

Each function here is an ordinary ``@jit`` function; when jitted code calls the NumPy function
it stands for (``np.histogram(a, 10)``, ``from numpy import cumsum``), the compiler calls the
implementation instead (``_support.resolve_globals``, ``Global.LIBRARY``), compiled into the
caller's program like any jitted callee. ``IMPLEMENTATIONS`` maps each NumPy function object to
its implementation; ``METHODS`` maps an ndarray method's name to its implementation (the array
first). The first paragraph of each docstring says which inputs it supports: a compile
error inside an implementation is prefixed with it (docs/language.md, "NumPy functions
compiled from stickyjit's library").

Conventions: an array parameter is used only through the operations the subset compiles, so
an input outside what an implementation supports (another number of dimensions, a tuple) is a
CompileError (or TypeError) naming the NumPy function. NumPy's errors for bad values are raised
with NumPy's class and message (``raise ValueError(...)``; NumPy's AxisError, which the subset
cannot raise, as the ValueError it also is, with its message).
"""

from __future__ import annotations

import numpy as np

from .arrays import (
    append,
    argwhere,
    ascontiguousarray,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    bincount,
    concatenate,
    diag,
    diagonal,
    diff,
    eye,
    fill,
    fill_diagonal,
    flatnonzero,
    flip,
    fliplr,
    flipud,
    hstack,
    identity,
    item,
    meshgrid,
    nonzero,
    outer,
    repeat,
    roll,
    rot90,
    stack,
    take,
    tile,
    trace,
    tril,
    triu,
    vstack,
)
from .base import geomspace, linspace, logspace
from .histogram import histogram
from .numeric import average, convolve, corrcoef, cov, cross, ediff1d, inner, interp, kron, polyval, trapezoid, vdot
from .reductions import (
    allclose,
    array_equal,
    clip,
    clip_method,
    count_nonzero,
    cumprod,
    cumsum,
    isclose,
    nancumprod,
    nancumsum,
    nanmax,
    nanmean,
    nanmin,
    nanprod,
    nanstd,
    nansum,
    nanvar,
    ptp,
)
from .sorting import (
    argpartition,
    argsort,
    digitize,
    median,
    nanmedian,
    nanpercentile,
    nanquantile,
    partition,
    percentile,
    quantile,
    searchsorted,
    sort,
    sort_method,
    unique,
)
from .windows import bartlett, blackman, hamming, hanning

IMPLEMENTATIONS = {
    np.histogram: histogram,
    np.linspace: linspace,
    np.hanning: hanning,
    np.hamming: hamming,
    np.blackman: blackman,
    np.bartlett: bartlett,
    np.cumsum: cumsum,
    np.cumprod: cumprod,
    np.diff: diff,
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
    np.partition: partition,
    np.argpartition: argpartition,
    np.searchsorted: searchsorted,
    np.median: median,
    np.bincount: bincount,
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
    np.vstack: vstack,
    np.stack: stack,
    np.hstack: hstack,
    np.meshgrid: meshgrid,
    np.nonzero: nonzero,
    np.repeat: repeat,
    np.array_equal: array_equal,
    np.nanstd: nanstd,
    np.nanvar: nanvar,
    np.nanprod: nanprod,
    np.nancumsum: nancumsum,
    np.nancumprod: nancumprod,
    np.diag: diag,
    np.diagonal: diagonal,
    np.interp: interp,
    np.trapezoid: trapezoid,
    np.ascontiguousarray: ascontiguousarray,
    np.cross: cross,
    np.convolve: convolve,
    np.average: average,
    np.digitize: digitize,
    np.logspace: logspace,
    np.geomspace: geomspace,
    np.tile: tile,
    np.append: append,
    np.take: take,
    np.flipud: flipud,
    np.fliplr: fliplr,
    np.rot90: rot90,
    np.fill_diagonal: fill_diagonal,
    np.ediff1d: ediff1d,
    np.vdot: vdot,
    np.inner: inner,
    np.kron: kron,
    np.nanmedian: nanmedian,
    np.nanpercentile: nanpercentile,
    np.nanquantile: nanquantile,
    np.argwhere: argwhere,
    np.polyval: polyval,
    np.cov: cov,
    np.corrcoef: corrcoef,
    np.atleast_1d: atleast_1d,
    np.atleast_2d: atleast_2d,
    np.atleast_3d: atleast_3d,
}
# np.trapz (removed in NumPy 2.4) where the installed NumPy still has it.
if hasattr(np, "trapz"):
    IMPLEMENTATIONS[np.trapz] = trapezoid

# ndarray method name -> its implementation, which takes the array first and then the method's
# own arguments, as `a.name(...)` takes them: the compiler calls METHODS["cumsum"](a) for
# a.cumsum() in jitted code. `sort` and `fill` work in place and return None, as NumPy's.
METHODS: dict[str, object] = {
    "cumsum": cumsum,
    "cumprod": cumprod,
    "argsort": argsort,
    "nonzero": nonzero,
    "repeat": repeat,
    "searchsorted": searchsorted,
    "trace": trace,
    "clip": clip_method,
    "diagonal": diagonal,
    "sort": sort_method,
    "fill": fill,
    "item": item,
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
