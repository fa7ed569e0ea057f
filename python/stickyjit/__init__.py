"""stickyjit: a sticky, cached just-in-time compiler for numeric Python.

    from stickyjit import jit

    @jit
    def f(n): ...

The first call compiles ``f`` for the argument types it sees; later calls with the same
types run the native code.
"""

from __future__ import annotations

import weakref

from ._native import (
    CacheWarning,
    CompileError,
    Dispatcher,
    StickyJitError,
    __version__,
    note_definition,
    stats,
    sticky_identity,
)

__all__ = [
    "jit",
    "CompileError",
    "CacheWarning",
    "StickyJitError",
    "Dispatcher",
    "stats",
    "sticky_identity",
    "__version__",
]

_OPTIONS = {"opt_level", "nopython", "cache", "boundscheck"}

# Sticky identity -> the dispatcher made for it (while something still holds that dispatcher).
# Re-running an unchanged cell decorates a new function object with the same identity and gets
# the same dispatcher back, with everything it already compiled (docs/caching.md).
_STICKY: weakref.WeakValueDictionary[str, Dispatcher] = weakref.WeakValueDictionary()


def jit(func=None, /, **options):
    """Compile ``func`` on its first call. Use as ``@jit`` or ``@jit(opt_level=2)``.

    Options: ``opt_level`` (2 or 3, default 3); ``cache`` (default true: compiled code is kept
    in and loaded from the on-disk cache, see docs/caching.md; ``STICKYJIT_CACHE=0`` turns it
    off for the process); ``boundscheck`` (default true: an array index out of range raises
    IndexError; false leaves indices unchecked, as Numba's default does); ``nopython`` (accepted for Numba compatibility; stickyjit always
    compiles without the interpreter, so it must be true). An unknown option is a ``TypeError``.

    Decorating a function whose sticky identity (docs/caching.md) matches one decorated before
    returns the same dispatcher: re-running an unchanged cell keeps its compiled code.
    """
    if func is not None and not options and hasattr(func, "__code__"):
        return _decorate(func, 3, True, True, sticky_identity(func, (3, True, True)))  # plain @jit: every re-run cell
    unknown = set(options) - _OPTIONS
    if unknown:
        raise TypeError(
            f"jit() got unknown option(s): {', '.join(sorted(unknown))}; supported: {', '.join(sorted(_OPTIONS))}"
        )
    nopython = options.get("nopython", True)
    if not nopython:  # Numba takes any true value (nopython=1)
        raise TypeError(f"jit(nopython={nopython!r}) is not supported: stickyjit always compiles in nopython mode")
    opt_level = options.get("opt_level", 3)
    if type(opt_level) is not int or opt_level not in (2, 3):
        raise TypeError(f"jit(opt_level=...) takes 2 or 3, not {opt_level!r}")
    cache = options.get("cache", True)
    boundscheck = options.get("boundscheck", True)
    for name, value in (("cache", cache), ("boundscheck", boundscheck)):
        if not isinstance(value, bool):
            raise TypeError(f"jit({name}=...) takes True or False, not {value!r}")

    def decorate(f):
        identity = sticky_identity(f, (opt_level, cache, boundscheck)) if hasattr(f, "__code__") else None
        return _decorate(f, opt_level, cache, boundscheck, identity)

    if func is None:
        return decorate
    if not callable(func):
        raise TypeError(f"jit() takes a function, not {type(func).__name__}")
    return decorate(func)


def _decorate(f, opt_level, cache, boundscheck, identity):
    """The dispatcher of `f`: the one made before for the same sticky identity, or a new one."""
    # A global name may be about to refer to another jitted function: callers compiled against
    # the old one re-check their bindings on their next call (docs/caching.md).
    note_definition()
    if identity is not None:
        d = _STICKY.get(identity)
        if d is not None:
            d._adopt(f)
            f.__stickyjit_dispatcher__ = d
            return d
    d = Dispatcher(f, opt_level, cache, boundscheck)
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(d, attr, getattr(f, attr))
        except AttributeError:
            pass
    d.__wrapped__ = f
    f.__stickyjit_dispatcher__ = d
    if identity is not None:
        _STICKY[identity] = d
    return d
