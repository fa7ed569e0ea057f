"""Type stubs for the native extension ``stickyjit._native``."""

from collections.abc import Callable
from typing import Any

__version__: str

class StickyJitError(Exception): ...

class CompileError(StickyJitError):
    filename: str
    lineno: int
    col_offset: int
    construct: str

class CacheWarning(UserWarning): ...

class Dispatcher:
    def __init__(
        self,
        py_func: Callable[..., Any],
        opt_level: int = 3,
        cache: bool = True,
        boundscheck: bool = True,
        fastmath: list[str] = ...,
        error_model: str = "python",
        nogil: bool = False,
        signatures: list[tuple[list[Any], Any, str]] = ...,
    ) -> None: ...
    def _compile_declared(self) -> None: ...
    def _warm(self, descriptors: list[Any]) -> str:
        """Compiles (or loads) the specialization for these argument types; the return type's name."""
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    @property
    def signatures(self) -> list[tuple[str, ...]]: ...
    @property
    def py_func(self) -> Callable[..., Any]: ...
    def inspect_types(self, signature: tuple[str, ...] | None = None) -> dict[tuple[str, ...], str] | str: ...
    def inspect_llvm(self, signature: tuple[str, ...] | None = None) -> dict[tuple[str, ...], str] | str: ...
    def inspect_asm(self, signature: tuple[str, ...] | None = None) -> dict[tuple[str, ...], str] | str: ...
    def explain(self) -> str: ...
    def _adopt(self, func: Callable[..., Any]) -> None: ...
    def _recheck(self) -> bool:
        """Whether code was dropped because a jitted function it calls was redefined."""

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
    UNSUPPORTED: Global
    UNSUPPORTED_FUNCTION: Global
    UNDEFINED: Global

def stats() -> dict[str, int]: ...
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

def blas_library() -> str | None: ...
def _blas_looked_up() -> bool: ...
def _wait_for_compiles() -> None: ...
def sticky_identity(func: Callable[..., Any], options: tuple[Any, ...]) -> str: ...
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

def registry() -> dict[str, tuple[Any, ...]]:
    """The compiler's registry: builtins, numpy_functions ((name, kind)), array_attributes,
    array_methods, dtypes ((name, numpy attribute, kind character, item size, Python type
    name)), statuses ((code, name, exception class name, message)), unbound_local ((first
    code, exception class name, message template))."""
