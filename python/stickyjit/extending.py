"""``numba.extending``'s names that code written for Numba imports, so that its modules load
(``from numba.extending import overload, register_jitable``): ``register_jitable`` compiles
as ``jit`` does; ``get_cython_function_address`` gives the address of a Cython module's C
function (SciPy's ``scipy.special.cython_special``), as Numba's does, which a
``stickyjit.types.WrapperAddressProtocol`` object hands to compiled code.

``overload`` and ``overload_method`` record their implementation generator and return it, so
that the module defining them loads and its other functions compile; compiled code does not
call the Python function an ``@overload`` stands for: such a call is a ``CompileError``
naming it (docs/language.md, "Numba's extension API").
"""

from __future__ import annotations

import ctypes
import importlib
from collections.abc import Callable
from typing import Any

from . import jit

__all__ = ["get_cython_function_address", "overload", "overload_method", "register_jitable"]


def register_jitable(*args: Any, **kwargs: Any) -> Any:
    """Numba's ``@register_jitable`` (a function callable from Python and from jitted code):
    here it is ``@jit`` with the same options."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return jit(args[0])
    return jit(*args, **kwargs)


def overload(
    func: Callable[..., Any], *_args: Any, **_kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Records ``@overload(func)``'s implementation generator on ``func`` (its
    ``__stickyjit_overloads__``) and returns the generator unchanged. Compiled code does not
    compile a call of ``func`` through it (a ``CompileError`` says so)."""

    def decorate(generator: Callable[..., Any]) -> Callable[..., Any]:
        _record(func, generator)
        return generator

    return decorate


def overload_method(
    typ: Any, name: str, *_args: Any, **_kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Numba's ``@overload_method(typ, name)``: the generator returned unchanged (compiled code
    never calls it)."""

    def decorate(generator: Callable[..., Any]) -> Callable[..., Any]:
        return generator

    return decorate


def _record(func: Any, generator: Callable[..., Any]) -> None:
    try:
        func.__stickyjit_overloads__ = [*getattr(func, "__stickyjit_overloads__", ()), generator]
    except (AttributeError, TypeError):
        pass  # a builtin or a NumPy function: nothing to mark


def get_cython_function_address(module_name: str, function_name: str) -> int:
    """The address of the C function ``function_name`` that the Cython module ``module_name``
    exports (its ``__pyx_capi__`` capsule), as Numba's: ``ImportError`` for a missing module,
    ``ValueError`` for a name it does not export."""
    module = importlib.import_module(module_name)
    capi = getattr(module, "__pyx_capi__", None)
    if capi is None or function_name not in capi:
        raise ValueError(f"No function '{function_name}' found in __pyx_capi__ of '{module_name}'")
    capsule = capi[function_name]
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype = ctypes.c_char_p
    get_name.argtypes = [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return int(get_pointer(capsule, get_name(capsule)))
