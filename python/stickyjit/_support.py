"""Compile-time support the native dispatcher calls: find a function's source and resolve its globals.

Imported at the first compile, never by ``import stickyjit``.
"""

from __future__ import annotations

import builtins
import itertools
import math
import sys
import types

from stickyjit import _native
from stickyjit import types as _sjtypes

from ._native import Global

# The names the compiler gives a meaning to come from its registry (jit-core/src/registry.rs).
_REGISTRY = _native.registry()
_BUILTIN_NAMES = _REGISTRY["builtins"]
# In the registry's order: where two names are one function object (np.absolute is np.abs),
# the first names it.
_NUMPY_FUNCTIONS = tuple(name for name, _kind in _REGISTRY["numpy_functions"])
# The np.random functions compiled code calls (registry/random.rs): a global bound to one
# (`from numpy.random import normal`) resolves as the NumPy function "random.normal".
_RANDOM_FUNCTIONS = _REGISTRY["random_functions"]
# The functions of Python's `random` module compiled code calls (registry/pyrandom.rs): a global
# bound to one (`from random import gauss`) resolves as "pyrandom.gauss".
_PY_RANDOM_FUNCTIONS = _REGISTRY["py_random_functions"]
_NUMPY_DTYPES = tuple(attr for _name, attr, _kind, _size, _python in _REGISTRY["dtypes"])
# A dtype's name -> NumPy's attribute for it ("bool" -> "bool_"): stickyjit's (Numba's) scalar types
# (`types.float64`) name dtypes as NumPy's scalar types do (`dtype=types.float64`).
_DTYPE_ATTRS = {name: attr for name, attr, _kind, _size, _python in _REGISTRY["dtypes"]}
# A NumPy scalar type's __name__ (its dtype's name, or its numpy attribute: bool_ before NumPy 2)
# -> (the dtype's name, the Python type its value is handed over as).
_NUMPY_SCALARS = {
    n: (name, getattr(builtins, python))
    for name, attr, _kind, _size, python in _REGISTRY["dtypes"]
    for n in (name, attr)
}


def source_lines(func):
    """(filename, lines from the def's first line on, first line number), or lines None.

    Files, and cells IPython and Jupyter register, come from linecache. linecache imports
    tokenize and re (about 2.5 ms, a quarter of a first compile) to read a file; when no one has
    imported it yet and the function comes from a UTF-8 file, the file is read here directly,
    which is what linecache would do. A function typed at a prompt that registers nothing
    (ptpython, the plain ``python`` prompt: filename ``<stdin>``) is looked up in that prompt's
    history (``recover_source``).
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
    if filename.startswith("<"):
        # A pseudo-file (a notebook cell, an exec'd string, a prompt): its text is used only if
        # it reproduces the function's code, else the prompt's history is searched.
        if lines and _reproduces(func, "".join(lines)):
            return filename, lines[first - 1 :], first
        block = recover_source(func)
        if block is not None:
            return filename, block[first - 1 :], first
        return filename, None, first
    if not lines or first > len(lines):
        return filename, None, first
    return filename, lines[first - 1 :], first


# ---------------------------------------------------------------------------------------------
# source recovery for prompts that register nothing: every candidate text is accepted only if
# compiling it reproduces the function's own code object


# CO_FUTURE_DIVISION ... CO_FUTURE_ANNOTATIONS: inherited from the code that called compile().
_FUTURE_FLAGS = 0x1FE0000


def _same_code(a, b) -> bool:
    """Code objects equal in what the compiler produced (bytecode, constants, names), nested
    code objects compared the same way; line numbers and the filename are not compared."""
    if a.co_code != b.co_code or a.co_names != b.co_names or a.co_name != b.co_name:
        return False
    if (a.co_argcount, a.co_posonlyargcount, a.co_kwonlyargcount, a.co_flags & ~_FUTURE_FLAGS) != (
        b.co_argcount,
        b.co_posonlyargcount,
        b.co_kwonlyargcount,
        b.co_flags & ~_FUTURE_FLAGS,
    ):
        return False
    if a.co_varnames != b.co_varnames or len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if isinstance(x, types.CodeType) or isinstance(y, types.CodeType):
            if not (isinstance(x, types.CodeType) and isinstance(y, types.CodeType) and _same_code(x, y)):
                return False
        elif type(x) is not type(y) or x != y:
            if not (isinstance(x, float) and x != x and y != y):  # NaN constants
                return False
    return True


def _codes(code):
    yield code
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            yield from _codes(c)


def _reproduces(func, text: str) -> bool:
    """Whether compiling `text` (as the prompt did) yields `func`'s code at its first line."""
    target = func.__code__
    try:
        # Prompts compile with top-level await allowed (ptpython, IPython); it changes no
        # function's code, and lets an input that awaits at top level compile here too.
        # The function's own __future__ flags are applied too.
        top = compile(
            text, target.co_filename, "exec", flags=0x2000 | (target.co_flags & _FUTURE_FLAGS), dont_inherit=True
        )
    except (SyntaxError, ValueError):
        return False
    return any(
        c.co_name == target.co_name and c.co_firstlineno == target.co_firstlineno and _same_code(c, target)
        for c in _codes(top)
    )


def _ptpython_inputs(func):
    """The inputs of the running ptpython REPL (newest first), reached through the
    ``get_ptpython`` it puts in the namespace."""
    get = getattr(func, "__globals__", {}).get("get_ptpython")
    if get is None:
        return []
    try:
        strings = list(get().history.get_strings())
    except Exception:  # noqa: BLE001 - any failure: no candidates from here
        return []
    return strings[::-1][:1000]


def _readline_blocks():
    """Blocks of the lines the plain prompt's readline history holds (newest first): each
    top-level line with the indented lines after it, at every possible end."""
    readline = sys.modules.get("readline")
    if readline is None:
        return
    try:
        n = readline.get_current_history_length()
        lines = [readline.get_history_item(i) or "" for i in range(max(1, n - 2000), n + 1)]
    except Exception:  # noqa: BLE001
        return
    for start in range(len(lines) - 1, -1, -1):
        head = lines[start]
        if not head or head[0].isspace():
            continue
        block = [head]
        for line in lines[start + 1 :]:
            if (
                line
                and not line[0].isspace()
                and not line.startswith(("else", "elif", "except", "finally", ")", "]", "}"))
            ):
                break
            block.append(line)
            yield "\n".join(block) + "\n"
        if len(block) == 1:
            yield head + "\n"


def recover_source(func):
    """The text of the input that defined `func` at a prompt, as lines, or None: the newest
    candidate from ptpython's history or readline's whose compilation reproduces
    ``func.__code__`` exactly (so a wrong or edited text is never used)."""
    candidates = itertools.chain(_ptpython_inputs(func), _readline_blocks())
    for text in candidates:
        if func.__code__.co_name in text and _reproduces(func, text):
            return text.splitlines(True)
    return None


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


def _numpy_dtype(value):
    """The name of the NumPy scalar type `value` is (`np.float32` → "float32"), else None."""
    numpy = sys.modules.get("numpy")
    if numpy is None or not isinstance(value, type):
        return None
    for n in _NUMPY_DTYPES:
        if getattr(numpy, n, None) is value:
            return n
    return None


def _numpy_name(value):
    """The name of a NumPy function the compiler knows that `value` is, else None (NumPy is
    never imported here: a function of it can only be bound when it is)."""
    numpy = sys.modules.get("numpy")
    if numpy is None or not callable(value):
        return None
    for n in _NUMPY_FUNCTIONS:
        if getattr(numpy, n, None) is value:
            return n
    return None


def _numpy_info(value):
    """`"iinfo"` or `"finfo"` when `value` is NumPy's `np.iinfo` or `np.finfo` (compiled as their
    fields' constants: `np.iinfo(np.int32).max`), else None."""
    numpy = sys.modules.get("numpy")
    for n in ("iinfo", "finfo") if numpy is not None else ():
        if getattr(numpy, n, None) is value:
            return n
    return None


def _random_name(value):
    """``"random.normal"`` when `value` is NumPy's ``np.random.normal`` (a method of the global
    RandomState) and compiled code calls it, ``"pyrandom.gauss"`` when it is Python's
    ``random.gauss``, else None."""
    module = sys.modules.get("numpy.random")
    for n in (*_RANDOM_FUNCTIONS, *_REGISTRY["random_aliases"], "default_rng") if module is not None else ():
        if getattr(module, n, None) is value:
            return "random." + n
    # `random.gauss` is a bound method of the module's hidden Random instance, made once.
    module = sys.modules.get("random")
    for n in _PY_RANDOM_FUNCTIONS if module is not None else ():
        if getattr(module, n, None) is value:
            return "pyrandom." + n
    return None


def _vectorized(value, dispatcher_type):
    """(Global member, payload) of a ``@vectorize`` or ``@guvectorize`` object; None otherwise.

    Compiled code calls a ``@vectorize`` object as a ufunc: its kernel elementwise over the
    broadcast arguments, in the loop NumPy would pick among its loops (given as
    ``[(input dtype names, output dtype name)]`` when it has type signatures, else None: the
    kernel is compiled for the arguments' element types), with the decorator's error model. A
    ``@guvectorize`` object likewise, its kernel called on the operands' core views; its payload
    adds ``(nin, layout, core dimensions, kinds, writable)``.
    """
    vec = sys.modules.get("stickyjit._vectorize")
    if vec is None or not isinstance(value, vec._Base) or not isinstance(value._kernel, dispatcher_type):
        return None
    nin = value._nin
    if isinstance(value, vec.DUFunc):
        loops = [(list(loop[:nin]), loop[nin]) for loop in value._loops] if value._frozen else None
        return Global.VECTORIZED, (value, value._kernel, loops, value._opts[4], None, value._identity)
    # A gufunc: its loops list every operand's dtype; the layout's core dimensions (names
    # numbered in order, sizes as ints), how the kernel takes each operand, which it may write.
    loops = [(list(loop), loop[-1]) for loop in value._loops] if value._frozen else None
    ins, outs = vec._parse_layout(value._layout)
    names = []
    core = []
    for dims in ins + outs:
        row = []
        for d in dims:
            if d.isdigit():
                row.append(("fixed", int(d)))
            else:
                if d not in names:
                    names.append(d)
                row.append(("named", names.index(d)))
        core.append(row)
    if value._shapes is not None:
        kinds = list(value._shapes)
    else:  # the dynamic form: an input () is a number, an output () a 1-element view
        kinds = ["view" if dims else ("scalar" if k < nin else "one") for k, dims in enumerate(ins + outs)]
    writable = [k >= nin or k in value._writable for k in range(len(core))]
    gufunc = (nin, value._layout, core, kinds, writable)
    return Global.VECTORIZED, (value, value._kernel, loops, value._opts[4], gufunc, value._identity)


def _cfunc(value):
    """(Global member, payload) of a ``@cfunc`` object, else None: compiled code calls its function as it calls a
    jitted one (the code of its dispatcher), bound to the object."""
    module = sys.modules.get("stickyjit._cfunc")
    if module is None or not isinstance(value, module.CFunc):
        return None
    return Global.CFUNC, (value, value._dispatcher)


# What _dotted_value gives for a name the compiler resolves itself, and for a missing attribute.
_SKIPPED = object()
_MISSING = object()


def _enum_meta():
    """The metaclass of Enum classes (``enum`` is imported by the interpreter's start-up)."""
    import enum

    return enum.EnumMeta


def _dotted_value(root, name):
    """The value of ``m.attr`` (``m.sub.attr``: through submodules, ``numba.config.NUMBA_NUM_THREADS``)
    with ``m`` bound to ``root``: ``_SKIPPED`` when ``root`` or a step is not a module, or is math
    or cmath (the compiler knows theirs); ``_MISSING`` when the module has no such attribute."""
    _, *path, attr = name.split(".")
    if not path and isinstance(root, type) and isinstance(root, _enum_meta()):
        # `Color.RED`: a member of an Enum class (anything else of it is not compiled).
        return root.__members__[attr] if attr in root.__members__ else _SKIPPED
    module = root
    for part in path:
        module = getattr(module, part, None) if isinstance(module, types.ModuleType) else None
    if not isinstance(module, types.ModuleType) or module is math or module is sys.modules.get("cmath"):
        return _SKIPPED
    if not hasattr(module, attr):
        return _MISSING
    return getattr(module, attr)


def resolve_globals(func, names, dispatcher, dispatcher_type):
    """For each global name the function reads: (name, Global member, payload) for the compiler.

    ``Global`` (``stickyjit._native``) says what the name is bound to, and the payload what the
    compiler needs of it: VALUE (the value: the compiler decides whether it is frozen into the
    code), MODULE, MATH, NUMPY, NUMPY_DTYPE, BUILTIN (a name), SELF, JITTED (the dispatcher),
    LIBRARY ((the NUMPY function, its jitted implementation)),
    UNSUPPORTED, UNSUPPORTED_FUNCTION (why), UNDEFINED. A dotted name ``m.attr`` (an attribute
    of a global) is resolved when ``m`` is a module other than math and cmath (the compiler
    knows theirs), and left out otherwise.
    """
    g = func.__globals__
    code = func.__code__
    closure = dict(zip(code.co_freevars, func.__closure__ or ()))
    out = []
    for name in names:
        if name.startswith(LIBRARY_METHOD_PREFIX):
            # `a.cumsum()`: the library's implementation of the array method, if it has one.
            method = name[len(LIBRARY_METHOD_PREFIX) :]
            impl = _library_method(method)
            bound = getattr(sys.modules.get("numpy") and sys.modules["numpy"].ndarray, method, None)
            if impl is None or bound is None:
                out.append((name, Global.UNDEFINED, None))
            else:
                out.append((name, Global.LIBRARY, (bound, impl)))
            continue
        if name.split(".", 1)[0] in closure:
            # A variable of an enclosing function (`make_f(g)` returning a jitted `f` that calls
            # `g`): its value when the function is compiled, resolved as a global's is (frozen
            # the same way; docs/language.md, Globals).
            base = name.split(".", 1)[0]
            try:
                cell_value = closure[base].cell_contents
            except ValueError:  # an empty cell: assigned later in the enclosing function
                where = (
                    code.co_qualname.rsplit(".<locals>.", 1)[0]
                    if hasattr(code, "co_qualname")
                    else "an enclosing function"
                )
                out.append(
                    (
                        base,
                        Global.UNSUPPORTED,
                        f"a variable of the enclosing function '{where}' that has no value yet when the function is compiled",
                    )
                )
                continue
            value = _dotted_value(cell_value, name) if "." in name else cell_value
        elif "." in name:
            value = _dotted_value(g.get(name.split(".", 1)[0]), name)
        elif name in g:
            value = g[name]
        elif hasattr(builtins, name):
            out.append((name, Global.BUILTIN, name))
            continue
        else:
            out.append((name, Global.UNDEFINED, None))
            continue
        if value is _SKIPPED:
            continue
        if value is _MISSING:
            out.append((name, Global.UNDEFINED, None))
            continue
        if value is math:
            out.append((name, Global.MODULE, "math"))
        elif isinstance(value, types.ModuleType):
            out.append((name, Global.MODULE, value.__name__))
        elif not callable(value):
            # Data (numbers, tuples, anything else): whether it is frozen is the compiler's call.
            out.append((name, Global.VALUE, value))
        elif value is dispatcher:
            out.append((name, Global.SELF, None))
        elif isinstance(value, dispatcher_type):
            out.append((name, Global.JITTED, value))
        elif (vectorized := _vectorized(value, dispatcher_type)) is not None:
            out.append((name, *vectorized))
        elif (callback := _cfunc(value)) is not None:
            out.append((name, *callback))
        elif isinstance(getattr(value, "__stickyjit_builtin__", None), str):
            # stickyjit.prange: the builtin it compiles as.
            out.append((name, Global.BUILTIN, value.__stickyjit_builtin__))
        elif _numpy_name(value) is not None:
            out.append((name, Global.NUMPY, _numpy_name(value)))
        elif (info := _numpy_info(value)) is not None:
            out.append((name, Global.NUMPY, info))
        elif (random_name := _random_name(value)) is not None:
            out.append((name, Global.NUMPY, random_name))
        elif _numpy_dtype(value) is not None:
            out.append((name, Global.NUMPY_DTYPE, _numpy_dtype(value)))
        elif isinstance(value, _sjtypes.Scalar) and value.name in _DTYPE_ATTRS:
            out.append((name, Global.NUMPY_DTYPE, _DTYPE_ATTRS[value.name]))
        elif (
            isinstance(value, types.BuiltinFunctionType)
            and getattr(math, getattr(value, "__name__", ""), None) is value
        ):
            out.append((name, Global.MATH, value.__name__))
        elif (
            isinstance(value, types.BuiltinFunctionType)
            # cmath is not imported here (a quarter of a millisecond at a process's first
            # compile): a function of it can only be bound here if someone imported it.
            and getattr(sys.modules.get("cmath"), getattr(value, "__name__", ""), None) is value
        ):
            # `from cmath import sqrt`: the compiler's "cmath.sqrt".
            out.append((name, Global.MATH, "cmath." + value.__name__))
        elif any(value is getattr(builtins, b) for b in _BUILTIN_NAMES):
            out.append((name, Global.BUILTIN, next(b for b in _BUILTIN_NAMES if value is getattr(builtins, b))))
        elif (impl := _library(value)) is not None:
            # A NumPy function stickyjit implements in the subset (_numpy_lib): the code calls
            # the implementation and depends on `name` still being bound to `value`.
            out.append((name, Global.LIBRARY, (value, impl)))
        else:
            out.append((name, Global.VALUE, value))
    return out


# The global names under which jitted code's `a.cumsum()` reaches the library's implementation
# of the method (the compiler's registry::LIBRARY_METHOD_PREFIX).
LIBRARY_METHOD_PREFIX = "<ndarray>."


def _library_method(method):
    """The jitted implementation (``_numpy_lib.METHODS``) of the ndarray method `method`, or None."""
    if sys.modules.get("numpy") is None:
        return None
    from . import _numpy_lib

    return getattr(_numpy_lib, "METHODS", {}).get(method)


def _library(value):
    """The jitted implementation (``_numpy_lib``) of the NumPy function `value` is, or None.
    The library is imported the first time a NumPy function is looked up in it."""
    if sys.modules.get("numpy") is None or not callable(value):
        return None
    from . import _numpy_lib

    return _numpy_lib.implementation(value)


def classify_scalar(value):
    """(kind name, python value) for a NumPy scalar, or None for anything else."""
    t = type(value)
    if getattr(t, "__module__", None) != "numpy":
        return None
    entry = _NUMPY_SCALARS.get(t.__name__)
    if entry is None:
        return None
    name, kind = entry
    return name, kind(value)
