"""Type stubs for ``stickyjit`` (docs/typing.md).

A jitted function keeps its parameter and return types: ``@jit`` (bare, with options, or with
Numba's signatures) and ``@njit`` turn a ``Callable[P, R]`` into a ``Dispatcher[P, R]``, whose
call takes ``P`` and returns ``R`` and whose ``py_func`` is the ``Callable[P, R]``.
"""

import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, ParamSpec, Protocol, SupportsIndex, TypeAlias, TypeVar, overload, type_check_only

import numpy as np

from . import config, experimental, typed, types
from ._cfunc import CFunc
from ._native import (
    CacheWarning,
    CompileError,
    Dispatcher,
    ParallelWarning,
    StickyJitError,
    __version__,
    blas_library,
    stats,
    sticky_identity,
)
from ._vectorize import DUFunc, GUFunc
from .types import (
    Signature,
    Type,
    b1,
    bool_,
    boolean,
    byte,
    c8,
    c16,
    char,
    complex64,
    complex128,
    double,
    f4,
    f8,
    float32,
    float64,
    float_,
    i1,
    i2,
    i4,
    i8,
    int8,
    int16,
    int32,
    int64,
    int_,
    intc,
    intp,
    long_,
    longlong,
    none,
    optional,
    short,
    single,
    typeof,
    u1,
    u2,
    u4,
    u8,
    uchar,
    uint,
    uint8,
    uint16,
    uint32,
    uint64,
    uintc,
    uintp,
    ulong,
    ulonglong,
    ushort,
    void,
)

# Everything in __all__ is exported (re-exported from _native and types).
__all__ = [
    "jit",
    "njit",
    "vectorize",
    "guvectorize",
    "stencil",
    "objmode",
    "cfunc",
    "carray",
    "farray",
    "prange",
    "set_num_threads",
    "get_num_threads",
    "get_thread_id",
    "types",
    "typed",
    "experimental",
    "config",
    "typeof",
    "CompileError",
    "CacheWarning",
    "ParallelWarning",
    "StickyJitError",
    "Dispatcher",
    "stats",
    "blas_library",
    "sticky_identity",
    "__version__",
    "boolean",
    "bool_",
    "b1",
    "int8",
    "i1",
    "int16",
    "i2",
    "int32",
    "i4",
    "int64",
    "i8",
    "uint8",
    "u1",
    "uint16",
    "u2",
    "uint32",
    "u4",
    "uint64",
    "u8",
    "float32",
    "f4",
    "single",
    "float64",
    "f8",
    "double",
    "complex64",
    "c8",
    "complex128",
    "c16",
    "intp",
    "int_",
    "uintp",
    "uint",
    "intc",
    "uintc",
    "char",
    "byte",
    "uchar",
    "short",
    "ushort",
    "long_",
    "ulong",
    "longlong",
    "ulonglong",
    "float_",
    "none",
    "void",
    "optional",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")

# One explicit signature, as Numba takes it: "float64(float64[:], int64)", float64(float64[:],
# int64) (type objects), or the argument types alone, (float64[:], int64).
_Sig: TypeAlias = str | Signature | tuple[Type, ...]
# jit's first argument when it is not the function: one signature, a list of them, or a list
# of types (the one signature of those argument types).
_Signatures: TypeAlias = _Sig | list[str] | list[Signature] | list[tuple[Type, ...]] | list[_Sig] | list[Type]
# vectorize's: one signature, or any iterable of them.
_UfuncSignatures: TypeAlias = str | Signature | Iterable[_Sig]

_FastMath: TypeAlias = bool | set[str] | frozenset[str] | dict[str, bool]

@type_check_only
class _JitDecorator(Protocol):
    """What ``jit(...)`` with options or signatures returns: the decorator that makes the dispatcher."""

    def __call__(self, func: Callable[_P, _R], /) -> Dispatcher[_P, _R]: ...

@type_check_only
class _UfuncDecorator(Protocol):
    """What ``vectorize(...)`` with signatures or options returns."""

    def __call__(self, func: Callable[..., Any], /) -> DUFunc: ...

@type_check_only
class _GufuncDecorator(Protocol):
    """What ``guvectorize(...)`` returns: its kernel writes its outputs in place and returns nothing."""

    def __call__(self, func: Callable[..., None], /) -> GUFunc: ...

def prange(*args: SupportsIndex) -> range:
    """Numba's parallel ``range``: on the thread pool under ``parallel=True``."""

def set_num_threads(n: SupportsIndex) -> None:
    """Sets the number of threads ``prange`` loops use (1 to the maximum; ValueError else)."""

def get_num_threads() -> int:
    """The number of threads ``prange`` loops use now."""

def get_thread_id() -> int:
    """0 outside the thread pool of ``prange`` loops; 1 and up on its threads."""

# jit's options (docs/language.md, "Decorator options"). nopython must be true and forceobj
# false (stickyjit has no object mode); locals takes only {} for now.
@overload
def jit(
    signature_or_function: Callable[_P, _R],
    /,
    *,
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = True,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "python",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> Dispatcher[_P, _R]: ...
@overload
def jit(
    signature_or_function: _Signatures | None = None,
    /,
    *,
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = True,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "python",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> _JitDecorator: ...
@overload
def njit(
    signature_or_function: Callable[_P, _R],
    /,
    *,
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = True,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "python",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> Dispatcher[_P, _R]: ...
@overload
def njit(
    signature_or_function: _Signatures | None = None,
    /,
    *,
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = True,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "python",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> _JitDecorator: ...

# vectorize's and guvectorize's options: identity and target, then jit's (error_model defaults
# to 'numpy' and boundscheck to False there).
@overload
def vectorize(
    ftylist_or_function: Callable[..., Any],
    /,
    *,
    identity: Literal[0, 1, "reorderable"] | None = None,
    target: Literal["cpu", "parallel"] = "cpu",
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = False,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "numpy",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> DUFunc: ...
@overload
def vectorize(
    ftylist_or_function: _UfuncSignatures = (),
    /,
    *,
    identity: Literal[0, 1, "reorderable"] | None = None,
    target: Literal["cpu", "parallel"] = "cpu",
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = False,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "numpy",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> _UfuncDecorator: ...
@overload
def guvectorize(
    layout: str,
    /,
    *,
    identity: Literal[0, 1, "reorderable"] | None = None,
    target: Literal["cpu", "parallel"] = "cpu",
    writable_args: Iterable[int] = (),
    is_dynamic: bool = True,
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = False,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "numpy",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> _GufuncDecorator: ...
@overload
def guvectorize(
    signatures: _UfuncSignatures,
    layout: str,
    /,
    *,
    identity: Literal[0, 1, "reorderable"] | None = None,
    target: Literal["cpu", "parallel"] = "cpu",
    writable_args: Iterable[int] = (),
    is_dynamic: bool = False,
    opt_level: Literal[2, 3] = 3,
    nopython: Literal[True] = True,
    forceobj: Literal[False] = False,
    looplift: bool = False,
    cache: bool = True,
    boundscheck: bool | None = False,
    fastmath: _FastMath = False,
    error_model: Literal["python", "numpy"] = "numpy",
    nogil: bool = False,
    parallel: bool | dict[str, Any] = False,
    inline: Literal["never", "always"] = "never",
    locals: dict[str, Any] = ...,
    debug: bool = False,
) -> _GufuncDecorator: ...

# Numba's ``objmode``: a no-op context manager where the block runs as Python.
def objmode(*args: Any, **types: Any) -> contextlib.AbstractContextManager[None]: ...

# ``@stencil``: a relative-index kernel applied over its arrays (docs/language.md, "Stencils").
@overload
def stencil(func_or_mode: Callable[_P, _R], /, **options: Any) -> Dispatcher[_P, Any]: ...
@overload
def stencil(
    func_or_mode: Literal["constant"] = "constant",
    /,
    *,
    neighborhood: Sequence[tuple[int, int]] | None = None,
    cval: complex = 0,
    standard_indexing: Iterable[str] = (),
    **options: Any,
) -> Callable[[Callable[_P, _R]], Dispatcher[_P, Any]]: ...

# ``@cfunc(sig)``: a C callback compiled now (docs/cfunc.md).
def cfunc(
    sig: str | Signature,
    /,
    locals: dict[str, Any] | None = None,
    cache: bool = True,
    pipeline_class: Any = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], CFunc]: ...

# ``carray``/``farray``: an array view of ``shape`` over the memory a pointer points to.
def carray(ptr: Any, shape: int | tuple[int, ...], dtype: Any = None) -> np.ndarray[Any, Any]: ...
def farray(ptr: Any, shape: int | tuple[int, ...], dtype: Any = None) -> np.ndarray[Any, Any]: ...
