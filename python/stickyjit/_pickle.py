"""Pickling jitted functions (docs/scaling.md): by reference when another process can import
them, by value otherwise.

``Dispatcher.__reduce__`` is ``reduce`` (``stickyjit/__init__.py`` sets it), so ``pickle``,
``cloudpickle``, ``multiprocessing``, ``concurrent.futures`` and ``copy`` all treat a jitted
function the same way:

* **by reference** (module and qualified name) when the function's module is not ``__main__``
  and looking the qualified name up in it gives this very dispatcher: the other process
  imports the module, which decorates the function again;
* **by value** otherwise (a notebook, a REPL, a script's ``__main__``, a function defined
  inside another): its source (the ``def`` block without its decorators), its defaults, its
  options and signatures, and the globals it reads. Numbers and tuples of numbers (the values
  compiled code freezes), modules (by name) and other plain values travel with the function;
  jitted functions it calls travel after it (as its state, ``set_state``), so that recursion
  and mutual recursion pickle.

Unpickling by value rebuilds the function from its source (registered in ``linecache`` under a
pseudo-file name, where the compiler finds it) and decorates it with the same options, which
gives back the dispatcher of the same sticky identity when the process has one. Its first call
loads the machine code from the on-disk cache when the directory is shared (the code key does
not depend on the process, the file name or the line numbers).

Imported at the first pickling or unpickling, never by ``import stickyjit``.
"""

from __future__ import annotations

import builtins
import dis
import importlib
import linecache
import pickle
import sys
import textwrap
import types

import stickyjit

from . import _support

# The layout of a by-value pickle; another layout is refused with a clear error.
_FORMAT = 1

# CO_NESTED: set on a function defined inside another; a by-value copy is rebuilt at top level.
_CO_NESTED = 0x10

# Marks a globals dict made by unpickling (only such a dict is ever filled by `set_state`).
_MARK = "__stickyjit_unpickled__"

_GLOBAL_OPS = {"LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL", "LOAD_NAME"}


def reduce(d):
    """The reduce value of dispatcher `d` (``copyreg``'s protocol)."""
    module, qualname = getattr(d, "__module__", None), getattr(d, "__qualname__", None)
    if _importable(d, module, qualname):
        return by_reference, (module, qualname)
    return _by_value(d)


def _importable(d, module, qualname) -> bool:
    if not isinstance(module, str) or not isinstance(qualname, str) or module == "__main__":
        return False
    if "<locals>" in qualname or _cloudpickle_by_value(module):
        return False
    try:
        return _lookup(sys.modules.get(module) or importlib.import_module(module), qualname) is d
    except Exception:  # noqa: BLE001 - not importable: by value
        return False


def _cloudpickle_by_value(module: str) -> bool:
    """Whether cloudpickle was told to pickle `module` by value
    (``cloudpickle.register_pickle_by_value``)."""
    cp = sys.modules.get("cloudpickle.cloudpickle")
    registered = getattr(cp, "_PICKLE_BY_VALUE_MODULES", ())
    return any(module == m or module.startswith(m + ".") for m in registered)


def _lookup(obj, qualname: str):
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def by_reference(module: str, qualname: str):
    """The jitted function `module.qualname` of this process (importing the module)."""
    obj = _lookup(importlib.import_module(module), qualname)
    if not isinstance(obj, stickyjit.Dispatcher):
        raise pickle.UnpicklingError(
            f"{module}.{qualname} was a jitted function where it was pickled, but is {type(obj).__name__} here"
        )
    return obj


# ---------------------------------------------------------------------------------------------
# by value


def _by_value(d):
    func = d.py_func
    name = func.__name__
    options = getattr(d, "__stickyjit_options__", None)
    if options is None:
        raise pickle.PicklingError(f"cannot pickle jitted function {name!r}: it was not made by stickyjit.jit")
    if func.__code__.co_freevars:
        raise pickle.PicklingError(
            f"cannot pickle jitted function {func.__qualname__!r} by value: it reads variables of an enclosing "
            f"function ({', '.join(func.__code__.co_freevars)}), whose values its source does not carry: "
            "make them arguments or module globals"
        )
    filename, text, def_line = _def_source(func)
    plain, modules, jitted = _split_globals(func)
    spec = {
        "format": _FORMAT,
        "name": name,
        "qualname": func.__qualname__,
        "module": func.__module__,
        "filename": filename,
        "text": text,
        "def_line": def_line,
        # `from __future__` flags the module compiled it with (they are part of its code).
        "future": func.__code__.co_flags & _support._FUTURE_FLAGS,
        "defaults": func.__defaults__,
        "kwdefaults": func.__kwdefaults__,
        "options": options,
        "doc": func.__doc__,
    }
    return by_value, (spec, plain, modules), jitted or None


def _def_source(func):
    """(file name, the function's ``def`` block without decorators, dedented and preceded by
    blank lines so that the ``def`` keeps its line number, that line number)."""
    import ast
    import inspect

    filename, lines, first = _support.source_lines(func)
    why = None
    if lines is None:
        why = "its source cannot be found (see docs/repls.md)"
    else:
        try:
            block = textwrap.dedent("".join(inspect.getblock(lines)))
            tree = ast.parse(block)
            fdef = tree.body[0]
            if not isinstance(fdef, ast.FunctionDef) or fdef.name != func.__name__:
                raise SyntaxError("not the function's def")
        except (SyntaxError, IndexError, ValueError) as e:
            why = f"its source could not be read as a def ({e})"
        else:
            body = block.splitlines(True)[fdef.lineno - 1 :]
            def_line = first + fdef.lineno - 1
            text = "\n" * (def_line - 1) + "".join(body)
            for trailer in _import_trailers(func):
                code = _function_code(text + trailer, filename, func.__name__, func.__code__.co_flags)
                if code is not None and _same(code, func.__code__):
                    return filename, text + trailer, def_line
            why = "its source does not reproduce its code (edited since it was defined?)"
    raise pickle.PicklingError(
        f"cannot pickle jitted function {func.__qualname__!r} by value: {why}; "
        f"define it in an importable module to pickle it by reference"
    )


def _import_trailers(func):
    """Lines to append to the ``def`` so that it compiles to the function's own bytecode.

    CPython compiles ``m.f(x)`` differently when ``m`` is bound by an import statement of the
    module (``is_import_originated`` in its compiler): the def alone may not reproduce the code
    the module made. An import statement after the def (never run: only the code object is
    used) marks the names as the module did; the candidates are none, the modules the function
    reads, and every global it reads.
    """
    g = func.__globals__
    names = sorted(n for n in _global_names(func.__code__) if n in g and n.isidentifier())
    modules = [n for n in names if isinstance(g[n], types.ModuleType)]
    yield ""
    if modules:
        yield f"import {', '.join(modules)}\n"
    if names and names != modules:
        yield f"import {', '.join(names)}\n"


def _function_code(text, filename, name, flags):
    try:
        top = compile(text, filename, "exec", flags=flags & _support._FUTURE_FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return next((c for c in top.co_consts if isinstance(c, types.CodeType) and c.co_name == name), None)


def _same(rebuilt, original) -> bool:
    """The rebuilt code is the original's (`_support._same_code`), but for CO_NESTED."""
    return _support._same_code(rebuilt.replace(co_flags=rebuilt.co_flags | (original.co_flags & _CO_NESTED)), original)


def _global_names(code):
    names = set()
    for c in _support._codes(code):
        names.update(i.argval for i in dis.get_instructions(c) if i.opname in _GLOBAL_OPS)
    return names


def _split_globals(func):
    """The globals `func` reads, as (plain values, modules by name, jitted functions)."""
    g = func.__globals__
    plain, modules, jitted = {}, {}, {}
    for name in sorted(_global_names(func.__code__)):
        if name not in g:
            continue  # a builtin (or undefined: the compiler says so)
        value = g[name]
        if isinstance(value, types.ModuleType):
            modules[name] = value.__name__
        elif isinstance(value, stickyjit.Dispatcher):
            jitted[name] = value
        else:
            plain[name] = value
    return plain, modules, jitted


def _pseudo_filename(filename: str, qualname: str, lines: list[str]) -> str:
    """Where the rebuilt function's source is registered: its own name when that is a
    pseudo-file (a notebook cell, a prompt's input) this process holds nothing else under, else
    ``<pickled QUALNAME from FILENAME>`` (a real file may have changed since: never read it)."""
    if filename.startswith("<") and filename.endswith(">"):
        entry = linecache.cache.get(filename)
        if entry is None or (len(entry) == 4 and entry[2] == lines):
            return filename
    n = 0
    while True:
        candidate = f"<pickled {qualname} from {filename}>" + (f" #{n}" if n else "")
        entry = linecache.cache.get(candidate)
        if entry is None or (len(entry) == 4 and entry[2] == lines):
            return candidate
        n += 1


def by_value(spec, plain, modules):
    """The dispatcher of a function pickled by value: the one this process has for the same
    sticky identity, or a new one decorated with the pickled options."""
    if not isinstance(spec, dict) or spec.get("format") != _FORMAT:
        raise pickle.UnpicklingError(
            "this jitted function was pickled by another version of stickyjit "
            f"(pickle format {spec.get('format') if isinstance(spec, dict) else '?'}, this one reads {_FORMAT})"
        )
    lines = spec["text"].splitlines(True)
    filename = _pseudo_filename(spec["filename"], spec["qualname"], lines)
    code = _function_code(spec["text"], filename, spec["name"], spec["future"])
    if code is None:
        raise pickle.UnpicklingError(f"the pickled source of {spec['qualname']!r} does not compile here")
    g = {"__name__": spec["module"], "__builtins__": builtins, _MARK: True}
    g.update(plain)
    for name, module in modules.items():
        g[name] = importlib.import_module(module)
    func = types.FunctionType(code, g, spec["name"], spec["defaults"])
    func.__kwdefaults__ = spec["kwdefaults"]
    func.__qualname__ = spec["qualname"]
    func.__doc__ = spec["doc"]
    linecache.cache[filename] = (len(spec["text"]), None, lines, filename)
    opts, signature_texts, identity_options = spec["options"]
    return stickyjit._rebuild(func, opts, signature_texts, identity_options)


def set_state(d, jitted):
    """``Dispatcher.__setstate__``: binds the jitted functions a by-value function calls, in the globals dict unpickling
    made for it (a dispatcher this process already had keeps its own globals)."""
    g = d.py_func.__globals__
    if g.get(_MARK):
        g.update(jitted)
