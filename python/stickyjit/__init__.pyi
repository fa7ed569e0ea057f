"""Type stubs for ``stickyjit`` (docs/typing.md).

A jitted function keeps its parameter and return types: ``@jit`` (bare, with options, or with
Numba's signatures) and ``@njit`` turn a ``Callable[P, R]`` into a ``Dispatcher[P, R]``, whose
call takes ``P`` and returns ``R`` and whose ``py_func`` is the ``Callable[P, R]``.
"""

from collections.abc import Callable, Iterable
from typing import Any, Literal, ParamSpec, Protocol, SupportsIndex, TypeAlias, TypeVar, overload, type_check_only

from . import types as types
from ._native import (
    CacheWarning as CacheWarning,
)
from ._native import (
    CompileError as CompileError,
)
from ._native import (
    Dispatcher as Dispatcher,
)
from ._native import (
    StickyJitError as StickyJitError,
)
from ._native import (
    __version__ as __version__,
)
from ._native import (
    blas_library as blas_library,
)
from ._native import (
    stats as stats,
)
from ._native import (
    sticky_identity as sticky_identity,
)
from ._vectorize import DUFunc, GUFunc
from .types import (
    Signature,
    Type,
)
from .types import (
    b1 as b1,
)
from .types import (
    bool_ as bool_,
)
from .types import (
    boolean as boolean,
)
from .types import (
    byte as byte,
)
from .types import (
    c8 as c8,
)
from .types import (
    c16 as c16,
)
from .types import (
    char as char,
)
from .types import (
    complex64 as complex64,
)
from .types import (
    complex128 as complex128,
)
from .types import (
    double as double,
)
from .types import (
    f4 as f4,
)
from .types import (
    f8 as f8,
)
from .types import (
    float32 as float32,
)
from .types import (
    float64 as float64,
)
from .types import (
    float_ as float_,
)
from .types import (
    i1 as i1,
)
from .types import (
    i2 as i2,
)
from .types import (
    i4 as i4,
)
from .types import (
    i8 as i8,
)
from .types import (
    int8 as int8,
)
from .types import (
    int16 as int16,
)
from .types import (
    int32 as int32,
)
from .types import (
    int64 as int64,
)
from .types import (
    int_ as int_,
)
from .types import (
    intc as intc,
)
from .types import (
    intp as intp,
)
from .types import (
    long_ as long_,
)
from .types import (
    longlong as longlong,
)
from .types import (
    none as none,
)
from .types import (
    short as short,
)
from .types import (
    single as single,
)
from .types import (
    u1 as u1,
)
from .types import (
    u2 as u2,
)
from .types import (
    u4 as u4,
)
from .types import (
    u8 as u8,
)
from .types import (
    uchar as uchar,
)
from .types import (
    uint as uint,
)
from .types import (
    uint8 as uint8,
)
from .types import (
    uint16 as uint16,
)
from .types import (
    uint32 as uint32,
)
from .types import (
    uint64 as uint64,
)
from .types import (
    uintc as uintc,
)
from .types import (
    uintp as uintp,
)
from .types import (
    ulong as ulong,
)
from .types import (
    ulonglong as ulonglong,
)
from .types import (
    ushort as ushort,
)
from .types import (
    void as void,
)

__all__ = [
    "jit",
    "njit",
    "vectorize",
    "guvectorize",
    "prange",
    "types",
    "CompileError",
    "CacheWarning",
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
    """Numba's parallel ``range`` (loops over it run serially for now)."""

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
