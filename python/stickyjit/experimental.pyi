"""Type stubs for ``stickyjit.experimental``: ``jitclass`` (docs/language.md, "jitclass")."""

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar, overload

from .types import Type

__all__ = ["jitclass"]

_C = TypeVar("_C", bound=type)
_Spec = Iterable[tuple[str, Type]] | Mapping[str, Type]

@overload
def jitclass(cls_or_spec: _C, spec: _Spec | None = None) -> _C: ...
@overload
def jitclass(cls_or_spec: _Spec | None = None, spec: _Spec | None = None) -> Callable[[_C], _C]: ...
