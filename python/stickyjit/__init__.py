"""stickyjit: a sticky, cached just-in-time compiler for numeric Python.

    from stickyjit import jit

    @jit
    def f(n): ...

The first call compiles ``f`` for the argument types it sees; later calls with the same
types run the native code.
"""

from __future__ import annotations

import weakref
from types import GenericAlias

from . import _native, config, experimental, typed, types
from ._native import (
    CacheWarning,
    CompileError,
    Dispatcher,
    ParallelWarning,
    StickyJitError,
    __version__,
    blas_library,
    note_definition,
    stats,
    sticky_identity,
)

# Numba's scalar type names at the top level, as `numba.float64`: `stickyjit.float64[:, ::1]`.
_TYPE_NAMES = [*types._SCALAR_NAMES, "none", "void", "optional"]
globals().update({name: getattr(types, name) for name in _TYPE_NAMES})
typeof = types.typeof

__all__ = [
    "jit",
    "njit",
    "vectorize",
    "guvectorize",
    "stencil",
    "objmode",
    "cfunc",
    "carray",
    "farray",
    "prange",
    "set_num_threads",
    "get_num_threads",
    "get_thread_id",
    "types",
    "typed",
    "experimental",
    "config",
    "typeof",
    "CompileError",
    "CacheWarning",
    "ParallelWarning",
    "StickyJitError",
    "Dispatcher",
    "stats",
    "blas_library",
    "sticky_identity",
    "__version__",
    *_TYPE_NAMES,
]

# Numba's options for CPU code (docs/language.md, "Decorator options"), and stickyjit's opt_level.
_OPTIONS = {
    "opt_level",
    "nopython",
    "forceobj",
    "looplift",
    "cache",
    "boundscheck",
    "fastmath",
    "error_model",
    "nogil",
    "parallel",
    "inline",
    "locals",
    "debug",
}
_FASTMATH_FLAGS = {"fast", "reassoc", "nnan", "ninf", "nsz", "arcp", "contract", "afn"}

# Sticky identity -> the dispatcher made for it (while something still holds that dispatcher).
# Re-running an unchanged cell decorates a new function object with the same identity and gets
# the same dispatcher back, with everything it already compiled (docs/caching.md).
_STICKY: weakref.WeakValueDictionary[str, Dispatcher] = weakref.WeakValueDictionary()

# The options of a plain @jit, as _options returns them.
_DEFAULTS = (3, True, True, (), "python", False, False, "never", ())


def prange(*args):
    """Numba's parallel ``range``. Under ``@jit(parallel=True)`` the iterations of a loop over
    it run on the thread pool, with reductions (``s += ...``) combined per thread; otherwise,
    and in CPython, it is ``range`` (docs/parallel.md)."""
    return range(*args)


prange.__stickyjit_builtin__ = "prange"


def set_num_threads(n):
    """Sets the number of threads ``prange`` loops use, from 1 to the maximum
    (``STICKYJIT_NUM_THREADS``, default the CPUs this process may use); ValueError otherwise.
    Callable from compiled code too (docs/parallel.md)."""
    _native.set_num_threads(n)


def get_num_threads():
    """The number of threads ``prange`` loops use now (from compiled code too)."""
    return _native.get_num_threads()


def get_thread_id():
    """The calling thread's number: 0 outside the thread pool of ``prange`` loops (the thread
    that called compiled code), 1 and up on its threads (from compiled code too)."""
    return _native.get_thread_id()


for _f in (set_num_threads, get_num_threads, get_thread_id):
    _f.__stickyjit_builtin__ = _f.__name__


def jit(signature_or_function=None, /, **options):
    """Compile a function on its first call. Use as ``@jit``, ``@jit(**options)``, or with
    Numba's signatures: ``@jit("float64(float64[:], int64)")``, a list of them, or type objects
    (``@jit(float64(float64[:, ::1], int32))``), which compile when the function is decorated;
    a call then runs the signature its argument types convert to, or raises TypeError.

    Options (Numba's, docs/language.md): ``cache`` (default true: compiled code is kept in and
    loaded from the on-disk cache, docs/caching.md); ``boundscheck`` (default true: an index
    out of range raises IndexError; false leaves indices unchecked, Numba's default);
    ``fastmath`` (True, or a set of LLVM fast-math flag names: inexact float rewrites such as
    ``x ** 2`` into ``x * x``); ``error_model`` (``'python'``: division by zero raises
    ZeroDivisionError; ``'numpy'``: it gives inf, nan or 0 as NumPy does); ``nogil`` (compiled
    code runs with the GIL released); ``parallel`` (``prange`` loops run on threads,
    docs/parallel.md); ``inline``, ``looplift``, ``debug`` (accepted, no effect: LLVM decides
    inlining);
    ``nopython`` (must be true) and ``forceobj`` (must be false): stickyjit has no object mode;
    ``opt_level`` (2 or 3, default 3). An unknown option is a ``TypeError``.

    Decorating a function whose sticky identity (docs/caching.md) matches one decorated before
    returns the same dispatcher: re-running an unchanged cell keeps its compiled code.
    """
    func = signature_or_function
    if func is not None and not options and hasattr(func, "__code__"):
        # Plain @jit: every re-run cell.
        return _decorate(func, _DEFAULTS, [], sticky_identity(func, _DEFAULTS), _DEFAULTS)
    signatures = []
    if func is not None and not callable(func) or isinstance(func, types.Type):
        # A signature naming a typed container (pynndescent's `Tuple((ListType(int32), ...))(...)`)
        # is left out: the function compiles for each call's types, as with no signature.
        kept = [sig for sig in types.parse_signatures(func) if not types.names_a_container(sig)]
        signatures = [(types.native_signature(sig), str(sig)) for sig in kept]
        func = None
    opts = _options(options)

    def decorate(f):
        identity = None
        identity_options = (*opts, tuple(text for _, text in signatures))
        if hasattr(f, "__code__"):
            identity = sticky_identity(f, identity_options)
        d = _decorate(f, opts, signatures, identity, identity_options)
        if signatures:
            d._compile_declared()
        return d

    if func is None:
        return decorate
    return decorate(func)


def njit(signature_or_function=None, /, **options):
    """``jit`` (stickyjit always compiles without the interpreter, as Numba's ``njit`` does)."""
    return jit(signature_or_function, **options)


def vectorize(ftylist_or_function=(), /, **options):
    """Numba's ``@vectorize``: makes a NumPy ufunc of a scalar function (docs/vectorize.md).

    ``@vectorize(['float64(float64, float64)', 'float32(float32, float32)'])`` compiles a loop per
    signature now; ``@vectorize`` (or ``@vectorize(**options)``) compiles one at each call with a
    new tuple of input dtypes. The object returned calls its ufunc (``.ufunc``, a real
    ``numpy.ufunc``: broadcasting, ``out=``, ``dtype=``, ``where=``; ``reduce``, ``accumulate``,
    ``reduceat``, ``outer``, ``at``). Options: ``identity`` (None, 0, 1 or 'reorderable'),
    ``cache`` and ``jit``'s options; ``error_model`` defaults to ``'numpy'`` (division by zero gives
    inf, nan or 0 as NumPy's ufuncs do), ``boundscheck`` to False. Decorating an unchanged function
    again returns the same object, with its loops.
    """
    from . import _vectorize

    return _vectorize.vectorize(ftylist_or_function, **options)


def guvectorize(*args, **options):
    """Numba's ``@guvectorize``: makes a NumPy generalized ufunc (docs/vectorize.md).

    ``@guvectorize(['void(float64[:], float64, float64[:])'], '(n),()->(n)')``: the kernel takes
    each operand's core dimensions as an array view (an input ``()`` whose type is a scalar as a
    number) and writes its outputs in place. Options as ``vectorize``, plus ``writable_args``.
    """
    from . import _vectorize

    return _vectorize.guvectorize(*args, **options)


def objmode(*args, **types):
    """Numba's ``objmode`` context manager (``with objmode(out="float64[:]"): ...``), so that code
    written for Numba imports (tslearn's metrics). Where the block runs as Python (a function's
    ``py_func``, ``DISABLE_JIT``) it runs as written; compiled code does not run Python inside
    a jitted function: a ``with`` block there is a ``CompileError`` naming it."""
    import contextlib

    return contextlib.nullcontext()


def stencil(func_or_mode="constant", /, **options):
    """Numba's ``@stencil``: a kernel that reads its arrays at indices relative to the element it
    computes (``x[-1] + x[0] + x[1]``), applied at every element whose neighborhood lies inside the
    arrays; the others are ``cval`` (0). Options: ``neighborhood`` (``((low, high), ...)``, needed
    when an index is not a constant), ``cval``, ``standard_indexing`` (arrays read at plain
    indices), and ``jit``'s options. The object returned is a jitted function of the kernel's
    parameters, called from Python or from jitted code (docs/language.md, "Stencils").
    """
    from . import _stencil

    return _stencil.stencil(func_or_mode, **options)


def cfunc(sig, /, locals=None, cache=True, pipeline_class=None, **options):
    """Numba's ``@cfunc``: compiles a function now into a C callback of the signature ``sig`` (docs/cfunc.md).

    ``@cfunc("float64(float64, float64)")`` (or type objects: ``cfunc(types.intc(types.CPointer(types.float64),
    types.intp))``) returns an object with ``address`` (the C function's address), ``ctypes`` (a ctypes function
    pointer, which ``scipy.LowLevelCallable`` and ``scipy.integrate.quad`` take), ``native_name`` and ``py_func``;
    calling it calls the compiled code. Arguments are numbers, ``CPointer(T)`` and ``voidptr`` (index a pointer as
    ``p[i]``, or view it with ``carray(p, shape)``); the result a number or ``void``. An exception in the callback
    is printed through ``sys.unraisablehook`` and the callback returns 0. Options as ``jit``'s; the code is cached
    on disk and the object is sticky, as ``jit``'s.
    """
    from . import _cfunc

    return _cfunc.cfunc(sig, locals=locals, cache=cache, pipeline_class=pipeline_class, **options)


def carray(ptr, shape, dtype=None):
    """Numba's ``carray``: a C-ordered array of ``shape`` over the memory ``ptr`` points to (no copy).

    In compiled code ``ptr`` is a ``@cfunc``'s ``CPointer(T)`` argument (``dtype``, if given, must be ``T``) or its
    ``voidptr`` one (``dtype`` needed); from Python, a ctypes pointer (``POINTER(c_double)``, or ``c_void_p`` with
    ``dtype``). ``shape`` is an int or a tuple of ints.
    """
    from . import _cfunc

    return _cfunc.pointer_view(ptr, shape, dtype, "C")


def farray(ptr, shape, dtype=None):
    """Numba's ``farray``: ``carray`` in Fortran order (the first index varies fastest)."""
    from . import _cfunc

    return _cfunc.pointer_view(ptr, shape, dtype, "F")


# Compiled code calls them as the compiler's own functions (jit-core's registry::stickyjit_function).
carray.__stickyjit_builtin__ = "carray"
farray.__stickyjit_builtin__ = "farray"


def _options(options):
    """The options as one tuple (opt_level, cache, boundscheck, fastmath flags, error_model,
    nogil, parallel, inline), checked as Numba checks them."""
    unknown = set(options) - _OPTIONS
    if unknown:
        raise TypeError(
            f"jit() got unknown option(s): {', '.join(sorted(unknown))}; supported: {', '.join(sorted(_OPTIONS))}"
        )
    nopython = options.get("nopython", True)
    if not nopython:  # Numba takes any true value (nopython=1)
        raise TypeError(f"jit(nopython={nopython!r}) is not supported: stickyjit always compiles in nopython mode")
    if options.get("forceobj", False):
        raise TypeError("jit(forceobj=True) is not supported: stickyjit has no object mode")
    opt_level = options.get("opt_level", 3)
    if type(opt_level) is not int or opt_level not in (2, 3):
        raise TypeError(f"jit(opt_level=...) takes 2 or 3, not {opt_level!r}")
    boundscheck = options.get("boundscheck", True)
    if boundscheck is None:  # Numba's default: its environment variable decides; ours is on
        boundscheck = True
    for name in ("cache", "boundscheck", "nogil", "looplift", "debug"):
        value = boundscheck if name == "boundscheck" else options.get(name, False)
        if not isinstance(value, bool):
            raise TypeError(f"jit({name}=...) takes True or False, not {value!r}")
    parallel = options.get("parallel", False)
    if not isinstance(parallel, (bool, dict)):
        raise TypeError(f"jit(parallel=...) takes True, False or a dict of options, not {parallel!r}")
    error_model = options.get("error_model", "python")
    if error_model not in ("python", "numpy"):
        raise ValueError(f"jit(error_model=...) takes 'python' or 'numpy', not {error_model!r}")
    inline = options.get("inline", "never")
    if inline not in ("never", "always"):
        raise TypeError(f"jit(inline=...) takes 'never' or 'always', not {inline!r}")
    local_types = options.get("locals", {})
    if not isinstance(local_types, dict):
        raise TypeError(f"jit(locals=...) takes a dict of variable names to types, not {local_types!r}")
    declared = _declared_locals(local_types)
    return (
        opt_level,
        options.get("cache", True),
        boundscheck,
        _fastmath(options.get("fastmath", False)),
        error_model,
        options.get("nogil", False),
        bool(parallel),
        inline,
        declared,
    )


def _declared_locals(local_types):
    """Numba's ``locals={name: type}`` as sorted ``(name, dtype name)`` pairs for the numbers
    declared (docs/language.md, "Decorator options"): each such variable holds that type, every
    value stored into it converted as NumPy converts to the dtype. An array or tuple type
    declared is accepted and not applied (the variable's type is its value's)."""
    declared = []
    for name, t in local_types.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"jit(locals=...) takes variable names as its keys, not {name!r}")
        if not isinstance(t, types.Type):
            raise TypeError(f"jit(locals=...) takes stickyjit types (stickyjit.float32, ...), not {t!r} for {name!r}")
        if types.names_a_container(t):
            continue  # a typed list or dict: its type comes from what is put in
        d = types.native(t)
        if isinstance(d, str) and d != "none":
            declared.append((name, d))
    return tuple(sorted(declared))


def _fastmath(value):
    """Numba's fastmath option as a sorted tuple of flag names (True is ``fast``, every flag)."""
    if value is True:
        return ("fast",)
    if value is False:
        return ()
    if isinstance(value, dict):
        value = {flag for flag, on in value.items() if on}
    if not isinstance(value, (set, frozenset)):
        raise ValueError(f"Expected fastmath option(s) to be either a bool, dict or set, not {value!r}")
    bad = {str(v) for v in value} - _FASTMATH_FLAGS if all(isinstance(v, str) for v in value) else value
    if bad:
        raise ValueError(f"Unrecognized fastmath flags: {sorted(map(str, bad))}; known: {sorted(_FASTMATH_FLAGS)}")
    return tuple(sorted(value))


def _decorate(f, opts, signatures, identity, identity_options):
    """The dispatcher of `f`: the one made before for the same sticky identity, or a new one.
    `identity_options` are the options `identity` was computed with (kept for pickling)."""
    # A global name may be about to refer to another jitted function: callers compiled against
    # the old one re-check their bindings on their next call (docs/caching.md).
    note_definition()
    if identity is not None:
        d = _STICKY.get(identity)
        if d is not None:
            d._adopt(f)
            f.__stickyjit_dispatcher__ = d
            return d
    if not callable(f):
        raise TypeError(f"jit() takes a function, not {type(f).__name__}")
    opt_level, cache, boundscheck, fastmath, error_model, nogil, parallel, _inline, declared = opts
    d = Dispatcher(
        f,
        opt_level,
        cache,
        boundscheck,
        list(fastmath),
        error_model,
        nogil,
        parallel,
        [(args, ret, text) for (args, ret), text in signatures],
        list(declared),
    )
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(d, attr, getattr(f, attr))
        except AttributeError:
            pass
    d.__wrapped__ = f
    # What pickling by value needs to decorate the function again (_pickle.py).
    d.__stickyjit_options__ = (opts, tuple(text for _, text in signatures), identity_options)
    f.__stickyjit_dispatcher__ = d
    if identity is not None:
        _STICKY[identity] = d
    return d


def _rebuild(f, opts, signature_texts, identity_options):
    """The dispatcher of function `f` rebuilt by unpickling (_pickle.py): the live one of the
    same sticky identity (left as it is: its globals are this process's own), or a new one
    decorated with the pickled options, whose declared signatures compile (or load) now."""
    identity = sticky_identity(f, identity_options)
    d = _STICKY.get(identity)
    if d is not None:
        return d
    signatures = [
        (types.native_signature(sig), str(sig)) for text in signature_texts for sig in types.parse_signatures(text)
    ]
    d = _decorate(f, opts, signatures, identity, identity_options)
    if signatures:
        d._compile_declared()
    return d


def _reduce(d):
    from . import _pickle

    return _pickle.reduce(d)


def _setstate(d, state):
    from . import _pickle

    _pickle.set_state(d, state)


def _compile(self, sig):
    """Numba's ``Dispatcher.compile(sig)``: compiles (or loads from the cache) the specialization
    for the argument types of ``sig`` (a signature string or object, as ``@jit`` takes) now, without
    calling the function; returns the dispatcher. Its return type, if given, is not checked."""
    args, _ret = types.native_signature(sig)
    self._warm(list(args))
    return self


Dispatcher.compile = _compile
# Pickling (by reference when importable, else by value) and copying: docs/scaling.md.
Dispatcher.__reduce__ = _reduce
Dispatcher.__setstate__ = _setstate
# Generic in the stubs (docs/typing.md): `Dispatcher[[float, int], float]` in an annotation that is
# evaluated at run time is a GenericAlias, as a generic class's subscription is.
Dispatcher.__class_getitem__ = classmethod(GenericAlias)
