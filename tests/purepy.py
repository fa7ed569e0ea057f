"""``pure_python(f)``: a jitted function as CPython alone would run it (for differential tests,
imported by conftest and by the child processes of the cache tests)."""

from __future__ import annotations

import types


def pure_python(f):
    """A copy of ``f.py_func`` that runs entirely in CPython.

    ``f.py_func`` looks names up in its module's globals, where it finds jitted functions (itself,
    for a recursive call; the helpers it calls), so it would run compiled code. The copy gets a
    copy of the globals in which every jitted function, and every module holding one, is
    replaced by such a pure copy, transitively.
    """
    from stickyjit import Dispatcher

    dicts: dict[int, dict] = {}
    funcs: dict[int, types.FunctionType] = {}

    def copy_globals(src: dict) -> dict:
        if id(src) not in dicts:
            g = dicts[id(src)] = dict(src)
            for k, v in src.items():
                if isinstance(v, Dispatcher):
                    g[k] = copy_function(v)
                elif isinstance(v, types.ModuleType) and any(isinstance(x, Dispatcher) for x in vars(v).values()):
                    g[k] = types.SimpleNamespace(**copy_globals(vars(v)))
        return dicts[id(src)]

    def copy_function(d) -> types.FunctionType:
        if id(d) not in funcs:
            fn = d.py_func
            g = copy_globals(fn.__globals__)  # may copy `d` itself (recursion) on the way
            if id(d) not in funcs:
                copy = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)
                copy.__kwdefaults__ = fn.__kwdefaults__
                funcs[id(d)] = copy
        return funcs[id(d)]

    return copy_function(f)
