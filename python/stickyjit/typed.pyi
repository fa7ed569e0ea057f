"""Type stubs for ``stickyjit.typed``: Numba's typed containers as a list and a dict."""

from typing import Any, TypeVar

__all__ = ["List", "Dict"]

_T = TypeVar("_T")
_K = TypeVar("_K")
_V = TypeVar("_V")

class List(list[_T]):
    __stickyjit_builtin__: str
    @classmethod
    def empty_list(cls, item_type: Any = None, allocated: int = 0) -> List[Any]: ...

class Dict(dict[_K, _V]):
    __stickyjit_builtin__: str
    @classmethod
    def empty(cls, key_type: Any = None, value_type: Any = None, n_keys: int = 0) -> Dict[Any, Any]: ...
