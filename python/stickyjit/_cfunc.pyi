"""Type stubs for ``stickyjit._cfunc``: the object ``@cfunc`` returns (docs/cfunc.md)."""

import ctypes
from collections.abc import Callable
from typing import Any

import numpy as np

from .types import Signature, Type

# A C signature: Numba's string syntax or a Signature of type objects.
_CSig = str | Signature

class CFunc:
    """A compiled C callback (Numba's ``CFunc``): ``address``, ``ctypes``, ``native_name``, ``cffi``."""

    py_func: Callable[..., Any]
    __wrapped__: Callable[..., Any]
    def __init__(self, py_func: Callable[..., Any], sig: Signature, opts: tuple[Any, ...]) -> None: ...
    @property
    def address(self) -> int:
        """The address of the compiled C callback."""
    @property
    def native_name(self) -> str:
        """The symbol the C callback is defined as."""
    @property
    def ctypes(self) -> Any:
        """A ctypes function pointer (``CFUNCTYPE`` of the signature) to the C callback."""
    @property
    def cffi(self) -> Any:
        """A cffi ``void *`` to the C callback (cffi must be installed)."""
    def __call__(self, *args: Any) -> Any: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def cfunc(
    sig: _CSig, locals: dict[str, Any] | None = None, cache: bool = True, pipeline_class: Any = None, **options: Any
) -> Callable[[Callable[..., Any]], CFunc]: ...
def pointer_view(
    ptr: ctypes._Pointer[Any] | ctypes.c_void_p | int,
    shape: int | tuple[int, ...],
    dtype: Type | type | None,
    order: str,
) -> np.ndarray[Any, Any]: ...
