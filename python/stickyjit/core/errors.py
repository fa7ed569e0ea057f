"""``numba.core.errors``: the classes code written for Numba names, mostly to filter Numba's
warnings (sktime: ``warnings.simplefilter("ignore", category=NumbaWarning)``). stickyjit's own
errors are these: a ``TypingError`` or ``UnsupportedError`` is stickyjit's ``CompileError``."""

from __future__ import annotations

from .._native import CompileError, StickyJitError

__all__ = [
    "NumbaError",
    "TypingError",
    "UnsupportedError",
    "NumbaWarning",
    "NumbaPerformanceWarning",
    "NumbaDeprecationWarning",
    "NumbaPendingDeprecationWarning",
    "NumbaTypeSafetyWarning",
    "NumbaExperimentalFeatureWarning",
    "NumbaParallelSafetyWarning",
]

NumbaError = StickyJitError
TypingError = CompileError
UnsupportedError = CompileError


class NumbaWarning(Warning):
    """The base of Numba's warnings (stickyjit gives none of these)."""


class NumbaPerformanceWarning(NumbaWarning):
    pass


class NumbaDeprecationWarning(NumbaWarning, DeprecationWarning):
    pass


class NumbaPendingDeprecationWarning(NumbaWarning, PendingDeprecationWarning):
    pass


class NumbaTypeSafetyWarning(NumbaWarning):
    pass


class NumbaExperimentalFeatureWarning(NumbaWarning):
    pass


class NumbaParallelSafetyWarning(NumbaWarning):
    pass
