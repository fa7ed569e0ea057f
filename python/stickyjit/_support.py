"""Compile-time support the native dispatcher calls: find a function's source and resolve its globals.

Imported at the first compile, never by ``import stickyjit``.
"""
from __future__ import annotations

import builtins
import math
import sys
import types

_BUILTIN_NAMES = ("abs", "min", "max", "int", "float", "bool", "round", "range", "len")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def source_lines(func):
    """(filename, lines from the def's first line on, first line number) via linecache.

    linecache imports tokenize and re (about 2.5 ms, a quarter of a first compile) to read a
    file; when no one has imported it yet and the function comes from a UTF-8 file, the file is
    read here directly, which is what linecache would do.
    """
    code = func.__code__
    filename = code.co_filename
    first = code.co_firstlineno
    lines = None
    linecache = sys.modules.get("linecache")
    if linecache is None and not filename.startswith("<"):
        lines = _read_utf8_lines(filename)
    if lines is None:
        import linecache

        lines = linecache.getlines(filename, getattr(func, "__globals__", None))
    if not lines or first > len(lines):
        return filename, None, first
    return filename, lines[first - 1 :], first


def _read_utf8_lines(filename):
    """The file's lines as linecache would give them, or None to let linecache decide."""
    try:
        with open(filename, "rb") as f:
            data = f.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    head = text.split("\n", 2)[:2]
    if any("coding" in line and line.lstrip().startswith("#") for line in head):
        return None  # an encoding declaration: let linecache (tokenize) honour it
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _describe(value) -> str:
    if isinstance(value, types.ModuleType):
        return f"the module '{value.__name__}'"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return f"the Python function '{getattr(value, '__qualname__', getattr(value, '__name__', '?'))}'"
    return f"a {type(value).__name__}"


def _frozen_tuple(value):
    """[(tag, payload), ...] for a tuple of int64, float, bool (or such tuples), else None."""
    items = []
    for v in value:
        t = type(v)
        if t is bool:
            items.append(("bool", v))
        elif t is int and INT64_MIN <= v <= INT64_MAX:
            items.append(("int", v))
        elif t is float:
            items.append(("float", v))
        elif t is tuple:
            inner = _frozen_tuple(v)
            if inner is None:
                return None
            items.append(("tuple", inner))
        else:
            return None
    return items


def resolve_globals(func, names, dispatcher, dispatcher_type):
    """For each global name the function reads: (name, tag, payload) for the compiler.

    Tags: int, float, bool, tuple (payload: [(tag, payload), ...]), module, math, builtin, self,
    jitted (payload: the dispatcher), unsupported, unsupported_fn, undefined. A dotted name
    ``m.attr`` (an attribute of a global) is resolved when ``m`` is a module other than math,
    and left out otherwise.
    """
    g = func.__globals__
    out = []
    for name in names:
        if "." in name:
            base, attr = name.split(".", 1)
            module = g.get(base)
            if not isinstance(module, types.ModuleType) or module is math:
                continue
            if not hasattr(module, attr):
                out.append((name, "undefined", None))
                continue
            value = getattr(module, attr)
        elif name in g:
            value = g[name]
        elif hasattr(builtins, name):
            value = getattr(builtins, name)
            if name in _BUILTIN_NAMES:
                out.append((name, "builtin", name))
                continue
            out.append((name, "unsupported_builtin", name))
            continue
        else:
            out.append((name, "undefined", None))
            continue
        t = type(value)
        if t is bool:
            out.append((name, "bool", value))
        elif t is int:
            if INT64_MIN <= value <= INT64_MAX:
                out.append((name, "int", value))
            else:
                out.append((name, "unsupported", "an int outside the int64 range"))
        elif t is float:
            out.append((name, "float", value))
        elif t is tuple:
            frozen = _frozen_tuple(value)
            if frozen is None:
                out.append((name, "unsupported", "a tuple holding something other than int, float or bool"))
            else:
                out.append((name, "tuple", frozen))
        elif value is math:
            out.append((name, "module", "math"))
        elif isinstance(value, types.ModuleType):
            out.append((name, "module", value.__name__))
        elif value is dispatcher:
            out.append((name, "self", None))
        elif isinstance(value, dispatcher_type):
            out.append((name, "jitted", value))
        elif isinstance(value, types.BuiltinFunctionType) and getattr(math, getattr(value, "__name__", ""), None) is value:
            out.append((name, "math", value.__name__))
        elif any(value is getattr(builtins, b) for b in _BUILTIN_NAMES):
            out.append((name, "builtin", next(b for b in _BUILTIN_NAMES if value is getattr(builtins, b))))
        else:
            out.append((name, "unsupported_fn" if callable(value) else "unsupported", _describe(value)))
    return out


_NUMPY_SCALARS = {
    "int8": "int", "int16": "int", "int32": "int", "int64": "int",
    "uint8": "int", "uint16": "int", "uint32": "int", "uint64": "int",
    "float32": "float", "float64": "float", "bool": "bool", "bool_": "bool",
}


def classify_scalar(value):
    """(kind name, python value) for a NumPy scalar, or None for anything else."""
    t = type(value)
    if getattr(t, "__module__", None) != "numpy":
        return None
    name = t.__name__
    kind = _NUMPY_SCALARS.get(name)
    if kind is None:
        return None
    if name == "bool_":
        name = "bool"
    if kind == "int":
        return name, int(value)
    if kind == "float":
        return name, float(value)
    return name, bool(value)
