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

class NumbaWarning(Warning): ...
class NumbaPerformanceWarning(NumbaWarning): ...
class NumbaDeprecationWarning(NumbaWarning, DeprecationWarning): ...
class NumbaPendingDeprecationWarning(NumbaWarning, PendingDeprecationWarning): ...
class NumbaTypeSafetyWarning(NumbaWarning): ...
class NumbaExperimentalFeatureWarning(NumbaWarning): ...
class NumbaParallelSafetyWarning(NumbaWarning): ...
