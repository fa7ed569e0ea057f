"""Type stubs for the native extension ``stickyjit._native``."""

from collections.abc import Callable
from types import GenericAlias
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, final, overload

_P = ParamSpec("_P")
_P2 = ParamSpec("_P2")
_R_co = TypeVar("_R_co", covariant=True)
_R2 = TypeVar("_R2")
_T = TypeVar("_T")

__all__ = [
    "Dispatcher",
    "Global",
    "StickyJitError",
    "CompileError",
    "CacheWarning",
    "ParallelWarning",
    "stats",
    "_parse_function",
    "blas_library",
    "_blas_looked_up",
    "set_num_threads",
    "get_num_threads",
    "get_thread_id",
    "_max_threads",
    "note_definition",
    "sticky_identity",
    "cache_entries",
    "cache_clear",
    "cache_prune",
    "cache_export_entries",
    "cache_import_entries",
    "versions",
    "_wait_for_compiles",
    "registry",
    "_make_ufunc",
    "__version__",
]

__version__: str

class StickyJitError(Exception):
    """Base class of stickyjit's own errors."""

class CompileError(StickyJitError):
    """Code outside the compiled subset; `filename`, `lineno`, `col_offset` and `construct` say where and what."""

    filename: str
    lineno: int
    col_offset: int
    construct: str

class CacheWarning(UserWarning):
    """The on-disk cache could not be used (a damaged entry, an unusable directory); stickyjit compiled instead."""

class ParallelWarning(UserWarning):
    """A ``prange`` loop runs serially: its iterations could race, so it runs as ``range`` (CPython's answer)."""

# A pyo3 class: it cannot be subclassed.
@final
class Dispatcher(Generic[_P, _R_co]):
    """A jitted function (what ``@jit`` returns): called as the function it wraps, ``py_func``,
    with the same parameter types (``_P``) and return type (``_R_co``)."""

    __name__: str
    __qualname__: str
    __wrapped__: Callable[_P, _R_co]
    def __new__(
        cls,
        py_func: Callable[_P, _R_co],
        opt_level: int = 3,
        cache: bool = True,
        boundscheck: bool = True,
        fastmath: list[str] = ...,
        error_model: str = "python",
        nogil: bool = False,
        parallel: bool = False,
        signatures: list[tuple[list[Any], Any, str]] = ...,
        locals: list[tuple[str, str]] = ...,
    ) -> Self: ...
    # `Dispatcher[[float, int], float]` evaluated at run time (set by stickyjit/__init__.py).
    @classmethod
    def __class_getitem__(cls, item: Any, /) -> GenericAlias: ...
    def _compile_declared(self) -> None: ...
    def _warm(self, descriptors: list[Any]) -> str:
        """Compiles (or loads) the specialization for these argument types; the return type's name."""
    # Numba's `compile(sig)` (set by stickyjit/__init__.py).
    def compile(self, sig: Any) -> Self:
        """Compiles (or loads) the specialization for the signature's argument types now."""
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...
    # Stored in a class, a dispatcher is a method, as a plain function is: bound to an
    # instance, it takes the remaining parameters.
    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None, /) -> Self: ...
    @overload
    def __get__(
        self: Dispatcher[Concatenate[_T, _P2], _R2], instance: _T, owner: type[Any] | None = None, /
    ) -> Callable[_P2, _R2]: ...
    @property
    def signatures(self) -> list[tuple[str, ...]]:
        """The argument-type signatures compiled so far, as tuples of type names."""
    @property
    def py_func(self) -> Callable[_P, _R_co]:
        """The Python function this dispatcher compiles."""
    @overload
    def inspect_types(self, signature: None = None) -> dict[tuple[str, ...], str]: ...
    @overload
    def inspect_types(self, signature: tuple[str, ...]) -> str: ...
    @overload
    def inspect_llvm(self, signature: None = None) -> dict[tuple[str, ...], str]: ...
    @overload
    def inspect_llvm(self, signature: tuple[str, ...]) -> str: ...
    @overload
    def inspect_asm(self, signature: None = None) -> dict[tuple[str, ...], str]: ...
    @overload
    def inspect_asm(self, signature: tuple[str, ...]) -> str: ...
    def explain(self) -> str:
        """Why the last compile was (or was not) a cache hit: which parts of the code key differ."""
    def _adopt(self, func: Callable[..., Any]) -> None: ...
    def _recheck(self) -> bool:
        """Whether code was dropped because a jitted function it calls was redefined."""

@final
class Global:
    """What a global name is bound to, as `_support.resolve_globals` tells the compiler."""

    VALUE: Global
    MODULE: Global
    MATH: Global
    NUMPY: Global
    NUMPY_DTYPE: Global
    BUILTIN: Global
    SELF: Global
    JITTED: Global
    LIBRARY: Global
    VECTORIZED: Global
    CFUNC: Global
    UNSUPPORTED: Global
    UNSUPPORTED_FUNCTION: Global
    UNDEFINED: Global

def stats() -> dict[str, int]:
    """Process-wide counters: compiles, cache_hits, cache_misses, cache_writes."""

def _parse_function(lines: list[str], first_line: int, filename: str) -> tuple[str, int, int, str] | None:
    """Only the parse stage over `lines`: None when it parses, else (construct, line, col, message)."""

def _make_ufunc(
    name: str,
    doc: str,
    nin: int,
    nout: int,
    identity: int,
    loops: list[tuple[Dispatcher, list[Any]]],
    core: list[list[int]],
    signature: str | None = None,
) -> Any:
    """A numpy.ufunc whose loops call the compiled loop functions (@vectorize, @guvectorize)."""

def blas_library() -> str | None:
    """The path of the BLAS library matrix products call; None when there is none (plain loops)."""

def _blas_looked_up() -> bool: ...
def set_num_threads(n: int) -> None:
    """Sets the number of threads `prange` loops use, from 1 to the maximum (ValueError else)."""

def get_num_threads() -> int:
    """The number of threads `prange` loops use now."""

def get_thread_id() -> int:
    """0 outside the thread pool; 1 and up on the pool's threads."""

def _max_threads() -> int: ...
def _wait_for_compiles() -> None: ...
def sticky_identity(func: Callable[..., Any], options: tuple[Any, ...]) -> str:
    """The sticky identity of `func` decorated with `options` (a tuple of option values), as hex."""

def note_definition() -> None:
    """Called by `jit()` for each decoration: callers re-check the jitted functions they call."""

def cache_entries() -> dict[str, Any]:
    """The cache directory and every entry (with its status); OSError when the directory is unsafe."""

def cache_clear() -> dict[str, Any]:
    """removed, freed, temporaries, left, failed [(path, why)], unsafe_dirs; OSError when not stickyjit's."""

def cache_prune(cap: int | None = None) -> dict[str, Any]:
    """As cache_clear, plus cap and cap_error (STICKYJIT_CACHE_SIZE not a size)."""

def cache_export_entries() -> tuple[list[tuple[str, list[tuple[str, str]], bytes]], list[tuple[str, str]]]:
    """Every usable entry (key, metadata pairs, object), verified; and (path, why) of those left out."""

def cache_import_entries(entries: list[tuple[str, list[tuple[str, str]], bytes]]) -> list[str]:
    """Writes entries into the cache directory; per entry "imported", "present" or why it was refused."""

def versions() -> dict[str, Any]:
    """stickyjit, llvm and cache_format versions."""

def registry(statuses: bool = False) -> dict[str, tuple[Any, ...]]:
    """The compiler's registry: builtins, numpy_functions ((name, kind)), array_attributes,
    array_methods, dtypes ((name, numpy attribute, kind character, item size, Python type
    name)), and with statuses=True statuses ((code, name, exception class name, message))."""
