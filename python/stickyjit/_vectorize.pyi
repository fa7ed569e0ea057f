"""Type stubs for ``stickyjit._vectorize``: the objects ``@vectorize`` and ``@guvectorize`` return."""

from collections.abc import Callable, Iterable
from typing import Any, LiteralString

import numpy as np

from .types import Signature, Type

# One type signature: Numba's string syntax, a Signature, or the argument types alone.
_Sig = str | Signature | tuple[Type, ...]

class _Base:
    """What both share: the NumPy ufunc built from the loops compiled so far, and its attributes."""

    py_func: Callable[..., Any]
    __wrapped__: Callable[..., Any]
    def __init__(self, py_func: Callable[..., Any], kernel: Any, identity: int, opts: tuple[Any, ...]) -> None: ...
    @property
    def ufunc(self) -> np.ufunc:
        """The ``numpy.ufunc`` made of the loops compiled so far."""
    @property
    def nin(self) -> int: ...
    @property
    def nout(self) -> int: ...
    @property
    def nargs(self) -> int: ...
    @property
    def ntypes(self) -> int: ...
    @property
    def types(self) -> list[LiteralString]: ...
    @property
    def identity(self) -> Any: ...
    @property
    def signature(self) -> LiteralString | None: ...
    def disable_compile(self) -> None:
        """No more loops are compiled at call time; calls use the loops there are."""

class DUFunc(_Base):
    """What ``@vectorize`` returns: calls its ufunc (broadcasting, ``out=``, ``where=``, ``dtype=``)."""

    def __init__(
        self,
        py_func: Callable[..., Any],
        kernel: Any,
        identity: int,
        opts: tuple[Any, ...],
        signatures: Iterable[_Sig],
    ) -> None: ...
    def add(self, sig: _Sig) -> None:
        """Compiles the loop of one more signature (``'float64(float64, float64)'``)."""
    # NumPy's: an array, or a NumPy scalar for scalar operands.
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    def reduce(self, array: Any, *args: Any, **kwargs: Any) -> Any:
        """The ufunc's ``reduce`` (a loop for the array's dtype compiled first when lazy)."""
    def accumulate(self, array: Any, *args: Any, **kwargs: Any) -> Any:
        """The ufunc's ``accumulate``."""
    def reduceat(self, array: Any, indices: Any, *args: Any, **kwargs: Any) -> Any:
        """The ufunc's ``reduceat``."""
    def outer(self, a: Any, b: Any, **kwargs: Any) -> Any:
        """The ufunc's ``outer``."""
    def at(self, a: Any, indices: Any, b: Any = None) -> None:
        """The ufunc's ``at``: in place, unbuffered."""

class GUFunc(_Base):
    """What ``@guvectorize`` returns: a generalized ufunc whose kernel writes its outputs in place."""

    def __init__(
        self,
        py_func: Callable[..., Any],
        kernel: Any,
        identity: int,
        opts: tuple[Any, ...],
        signatures: Iterable[_Sig],
        layout: str,
        writable: Iterable[int],
        dynamic: bool,
    ) -> None: ...
    def add(self, sig: _Sig) -> None:
        """Compiles the loop of one more signature (``'void(float64[:], float64[:])'``)."""
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...

def vectorize(ftylist_or_function: str | Signature | Iterable[_Sig] | Callable[..., Any] = (), **kws: Any) -> Any: ...
def guvectorize(*args: Any, **kwargs: Any) -> Any: ...
