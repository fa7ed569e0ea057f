"""``@vectorize`` and ``@guvectorize``: NumPy ufuncs and generalized ufuncs whose inner loops are
compiled by stickyjit (docs/vectorize.md).

Each type signature's inner loop is a jitted function generated here, which takes one array per
operand (the outer loop's axis, then the operand's core dimensions) and calls the kernel, the
decorated function, on each element (or on each element's views); NumPy calls it through a native
loop (jit-py's ufunc.rs) that describes its chunk as those arrays, without copying. The kernel is
compiled into the loop, where LLVM inlines and vectorizes it. Loops go through ``@jit``'s on-disk
cache like any other compiled code, and the objects made here are sticky: decorating an unchanged
function again returns the same object, with the loops it compiled.

Imported at the first ``vectorize``/``guvectorize``, never by ``import stickyjit``.
"""

from __future__ import annotations

import hashlib
import linecache
import re
import threading
import weakref

import numpy as np

from . import _native, types
from ._native import sticky_identity

# Numba's identities (numba/np/ufunc/ufuncbuilder.py parse_identity) -> NumPy's PyUFunc_* codes.
_PYUFUNC_ZERO, _PYUFUNC_ONE, _PYUFUNC_NONE, _PYUFUNC_REORDERABLE_NONE = 0, 1, -1, -2
_IDENTITIES = {0: _PYUFUNC_ZERO, 1: _PYUFUNC_ONE, None: _PYUFUNC_NONE, "reorderable": _PYUFUNC_REORDERABLE_NONE}

# The options @vectorize and @guvectorize take besides @jit's.
# What a NumPy dtype is called in stickyjit's types (they are the same names), for array dtypes the
# compiled code supports.
_ARRAY_DTYPES = {
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
}

# Sticky identity -> the object made for it (while something still holds it).
_STICKY: weakref.WeakValueDictionary[str, object] = weakref.WeakValueDictionary()


def _split_options(kind, options):
    """(identity code, jit options tuple, writable_args) from Numba's keyword arguments."""
    from . import _options

    options = dict(options)
    identity = options.pop("identity", None)
    if not (identity is None or identity == "reorderable" or (type(identity) is int and identity in (0, 1))):
        raise ValueError(f"Invalid identity value {identity!r}: {kind} takes None, 0, 1 or 'reorderable'")
    target = options.pop("target", "cpu")
    if target not in ("cpu", "parallel"):
        raise ValueError(f"Unsupported target: {target!r} (stickyjit compiles for 'cpu'; 'parallel' runs as 'cpu')")
    writable = tuple(options.pop("writable_args", ()))
    options.pop("is_dynamic", None)
    # A ufunc's kernel follows NumPy's rules for division by zero (inf, nan, 0), as Numba's does,
    # unless error_model='python' is asked for; indices are unchecked, as in Numba.
    options.setdefault("error_model", "numpy")
    options.setdefault("boundscheck", False)
    options.setdefault("cache", True)
    return _IDENTITIES[identity], _options(options), writable


def _make_loop(name, params, body, kernel, opts):
    """A dispatcher of the loop ``def loop(params): body`` whose global ``kernel`` is the kernel.

    The source is registered in linecache under a name made of its hash, which is how stickyjit
    reads a function's source; the loop is not sticky itself (each ufunc has its own, whose
    kernel differs) but its compiled code is cached under the kernel's key like any caller's.
    """
    from . import _decorate

    src = f"def {name}({', '.join(params)}):\n{body}"
    filename = f"<stickyjit-ufunc-loop-{hashlib.blake2s(src.encode()).hexdigest()[:16]}>"
    lines = src.splitlines(True)
    linecache.cache[filename] = (len(src), None, lines, filename)
    namespace = {"__name__": "stickyjit._vectorize_loops", "kernel": kernel}
    exec(compile(src, filename, "exec"), namespace)
    return _decorate(namespace[name], opts, [], None, None)


def _nparams(func):
    code = getattr(func, "__code__", None)
    if code is None:
        raise TypeError(f"vectorize() takes a Python function, not {type(func).__name__}")
    if code.co_flags & 0xC or code.co_kwonlyargcount:
        raise TypeError(f"{func.__name__}() has *args, **kwargs or keyword-only parameters: a ufunc kernel cannot")
    return code.co_argcount


def _array(dtype, ndim, readonly):
    return ("array", dtype, ndim, "A", readonly)


def _scalar_name(t, sig):
    if not isinstance(t, types.Scalar) or t.name not in _ARRAY_DTYPES:
        raise TypeError(
            f"the signature {sig} has the type {t}: a ufunc's types are bool, int8-int64, uint8-uint64, "
            "float32, float64, complex64 or complex128"
        )
    return t.name


class _Base:
    """What @vectorize's and @guvectorize's objects share: the NumPy ufunc built from the loops
    compiled so far (``.ufunc``), and NumPy's attributes and methods forwarded to it."""

    def __init__(self, py_func, kernel, identity, opts):
        self.py_func = py_func
        self._kernel = kernel
        self._identity = identity
        self._opts = opts
        self._loops = []  # [(operand dtype names, inputs first)]
        self._seen = set()  # DUFunc: the input dtypes (and scalar types) with a loop
        self._lock = threading.RLock()
        self._frozen = False
        self.__name__ = py_func.__name__
        self.__qualname__ = getattr(py_func, "__qualname__", self.__name__)
        self.__module__ = py_func.__module__
        self.__doc__ = py_func.__doc__
        self.__wrapped__ = py_func

    @property
    def ufunc(self):
        """The ``numpy.ufunc`` made of the loops compiled so far."""
        return self._ufunc

    nin = property(lambda self: self._ufunc.nin)
    nout = property(lambda self: self._ufunc.nout)
    nargs = property(lambda self: self._ufunc.nargs)
    ntypes = property(lambda self: self._ufunc.ntypes)
    types = property(lambda self: self._ufunc.types)
    identity = property(lambda self: self._ufunc.identity)
    signature = property(lambda self: self._ufunc.signature)

    def _fresh(self):
        """A jitted function the kernel calls was redefined (a notebook cell run again): the
        loops compiled against the old one are compiled again, as a jitted caller's would be."""
        loop = getattr(self, "_loop", None)  # a dynamic gufunc has none before its first call
        if loop is not None and loop._recheck():
            self._rebuild()

    def disable_compile(self):
        """No more loops are compiled at call time (Numba's name); calls use the loops there are."""
        self._frozen = True

    def _rebuild(self):
        self._ufunc = _native._make_ufunc(
            self.__name__,
            self.__doc__ or "",
            self._nin,
            self._nout,
            self._identity,
            [(self._loop, [self._descriptor(k, d) for k, d in enumerate(dtypes)]) for dtypes in self._loops],
            self._core,
            self._layout,
        )

    def __repr__(self):
        return f"<stickyjit.{type(self).__name__} {self.__name__!r}>"

    def __reduce__(self):
        """Pickled as a jitted function is (docs/scaling.md): by reference when its module can
        be imported elsewhere, else by value: the kernel (a jitted function, pickled by value),
        the decorator's arguments and the dtypes of the loops compiled at calls, which the other
        process compiles again (or loads from the cache)."""
        from . import _pickle

        if _pickle._importable(self, self.__module__, self.__qualname__):
            return _by_reference, (self.__module__, self.__qualname__)
        name, args, kwargs = self._decorator
        return _by_value, (name, args, kwargs, self._kernel, [] if self._frozen else list(self._loops))


class DUFunc(_Base):
    """What ``@vectorize`` returns: a NumPy ufunc (``.ufunc``) whose loops are compiled by stickyjit,
    with a loop per type signature given, or, when none was (the lazy form), a loop compiled at the
    first call with each new tuple of input dtypes. Called, it calls the ufunc: NumPy broadcasts,
    takes ``out=``, ``where=``, ``dtype=``, ``casting=``; ``reduce``, ``accumulate``, ``reduceat``,
    ``outer`` and ``at`` are the ufunc's.
    """

    def __init__(self, py_func, kernel, identity, opts, signatures):
        super().__init__(py_func, kernel, identity, opts)
        self._nin = _nparams(py_func)
        if self._nin < 1:
            raise TypeError(f"{py_func.__name__}() takes no arguments: a ufunc kernel takes at least one")
        self._nout = 1
        self._core = [[] for _ in range(self._nin + 1)]
        self._layout = None
        params = [f"a{k}" for k in range(self._nin)]
        items = ", ".join(f"a{k}[i]" for k in range(self._nin))
        body = f"    for i in range(out.shape[0]):\n        out[i] = kernel({items})\n"
        self._loop = _make_loop("ufunc_loop", [*params, "out"], body, kernel, opts)
        for sig in signatures:
            self._add(sig, rebuild=False)
        self._rebuild()
        if signatures:
            self._frozen = True

    def _descriptor(self, k, dtype):
        return _array(dtype, 1, k < self._nin)

    def add(self, sig):
        """Compiles the loop of one more signature (``'float64(float64, float64)'``)."""
        self._add(sig)

    def _add(self, sig, rebuild=True):
        parsed = types.parse_signature(sig)
        if len(parsed.args) != self._nin:
            raise TypeError(
                f"the signature {parsed} has {len(parsed.args)} argument type(s); {self.__name__}() takes {self._nin}"
            )
        inputs = tuple(_scalar_name(t, parsed) for t in parsed.args)
        for loop in self._loops:
            if loop[: self._nin] == inputs:
                raise TypeError(
                    f"the signature {parsed} takes the same argument types as an earlier one "
                    f"({', '.join(loop[: self._nin])} -> {loop[-1]}): NumPy would never run its loop"
                )
        if parsed.return_type is None:
            out = self._infer_return(inputs)
        else:
            out = _scalar_name(parsed.return_type, parsed)
        self._add_loop((*inputs, out), rebuild)

    def _add_loop(self, dtypes, rebuild=True):
        if any(loop[: self._nin] == dtypes[: self._nin] for loop in self._loops):
            return
        if self._frozen or rebuild is False:
            self._loops.append(dtypes)  # a signature given: in the order given, as Numba keeps them
        else:
            _insert_sorted(self._loops, dtypes, self._nin)
        if rebuild:
            try:
                self._rebuild()
            except BaseException:
                self._loops.remove(dtypes)
                raise

    def _infer_return(self, inputs):
        """The dtype the kernel returns on elements of arrays of these dtypes (what the loop sees)."""
        probe = getattr(self, "_probe", None)
        if probe is None:
            params = [f"a{k}" for k in range(self._nin)]
            body = f"    return kernel({', '.join(f'{p}[0]' for p in params)})\n"
            probe = self._probe = _make_loop("ufunc_return_type", params, body, self._kernel, self._opts)
        ret = probe._warm([_array(d, 1, True) for d in inputs])
        if ret not in _ARRAY_DTYPES:
            raise TypeError(
                f"{self.__name__}() returns {ret} for arguments of type(s) {', '.join(inputs)}: a ufunc's kernel "
                "returns a number (bool, an integer, a float or a complex number)"
            )
        return ret

    def _add_dtypes(self, dtypes):
        self._add_loop(tuple(dtypes))

    def _compile_for(self, inputs):
        """Compiles the loop for these input values' dtypes if it is new (the lazy form); dtypes
        stickyjit does not compile are left to NumPy, whose TypeError names them."""
        if self._frozen:
            return
        # The inputs' array dtypes and scalar types seen before need nothing more.
        seen = tuple(x.dtype if type(x) is np.ndarray else type(x) for x in inputs)
        # An int's dtype depends on its value: int64 in its range (else NumPy decides).
        ints_fit = int not in seen or all(-(2**63) <= x < 2**63 for x in inputs if type(x) is int)
        if ints_fit and seen in self._seen:
            return
        dtypes = tuple(_dtype_name(x) for x in inputs)
        if None in dtypes:
            return
        with self._lock:  # two threads with new dtypes: one compiles, the other finds its loop
            if not any(loop[: self._nin] == dtypes for loop in self._loops):
                self._add_loop((*dtypes, self._infer_return(dtypes)))
        if ints_fit:
            self._seen.add(seen)

    def __call__(self, *args, **kwargs):
        if self._loop._recheck():  # self._fresh(), inlined: this is every call's path
            self._rebuild()
        if not self._frozen:
            if kwargs.get("dtype") is not None:
                self._compile_for_dtype(kwargs["dtype"])
            else:
                self._compile_for(args[: self._nin])
        return self._ufunc(*args, **kwargs)

    def _compile_for_dtype(self, dtype):
        """``dtype=`` given to a lazy object: the loop computing in that dtype (inputs cast to it,
        as NumPy does for its own ufuncs' ``dtype=``)."""
        try:
            name = np.dtype(dtype).name
        except TypeError:
            return  # NumPy's error
        if name in _ARRAY_DTYPES:
            dtypes = (name,) * self._nin
            with self._lock:
                if not any(loop[: self._nin] == dtypes for loop in self._loops):
                    self._add_loop((*dtypes, self._infer_return(dtypes)))

    def reduce(self, array, *args, **kwargs):
        self._fresh()
        if not self._frozen and self._nin == 2:
            self._compile_for((array, array))
        return self._ufunc.reduce(array, *args, **kwargs)

    def accumulate(self, array, *args, **kwargs):
        self._fresh()
        if not self._frozen and self._nin == 2:
            self._compile_for((array, array))
        return self._ufunc.accumulate(array, *args, **kwargs)

    def reduceat(self, array, indices, *args, **kwargs):
        self._fresh()
        if not self._frozen and self._nin == 2:
            self._compile_for((array, array))
        return self._ufunc.reduceat(array, indices, *args, **kwargs)

    def outer(self, a, b, **kwargs):
        self._fresh()
        if not self._frozen and self._nin == 2:
            self._compile_for((a, b))
        return self._ufunc.outer(a, b, **kwargs)

    def at(self, a, indices, b=None):
        self._fresh()
        if not self._frozen:
            self._compile_for((a,) if b is None else (a, b))
        if b is None:
            return self._ufunc.at(a, indices)
        return self._ufunc.at(a, indices, b)


def _insert_sorted(loops, dtypes, nin):
    """Inserts a loop compiled at a call where NumPy's own ufuncs would have it: ordered by the
    input dtypes' type numbers (bool, int8, uint8, ..., int64, uint64, float32, float64). NumPy
    takes the first loop its inputs cast to safely, so an int64 call finds 'll->l' before
    'dd->d'."""
    nums = tuple(np.dtype(d).num for d in dtypes[:nin])
    at = next((k for k, loop in enumerate(loops) if tuple(np.dtype(d).num for d in loop[:nin]) > nums), len(loops))
    loops.insert(at, dtypes)


def _dtype_name(x):
    """The dtype NumPy gives the value ``x`` as a ufunc operand, if stickyjit compiles it."""
    if isinstance(x, (np.ndarray, np.generic)):
        name = x.dtype.name
    elif type(x) is bool:
        name = "bool"
    elif type(x) is int:
        name = "int64" if -(2**63) <= x < 2**63 else None
    elif type(x) is float:
        name = "float64"
    else:
        try:
            name = np.asarray(x).dtype.name
        except Exception:
            return None
    return name if name in _ARRAY_DTYPES else None


# --- guvectorize ------------------------------------------------------------------------------

_DIM = r"\s*\w+\s*"
_OPERAND = rf"\(\s*(?:{_DIM}(?:,{_DIM})*)?,?\s*\)"
_LAYOUT = re.compile(rf"^\s*{_OPERAND}(?:\s*,\s*{_OPERAND})*\s*->\s*{_OPERAND}(?:\s*,\s*{_OPERAND})*\s*$")


def _parse_layout(layout):
    """``'(m,n),(n)->(m)'`` -> ([['m', 'n'], ['n']], [['m']]); a ValueError for anything else."""
    if not isinstance(layout, str) or not _LAYOUT.match(layout):
        raise ValueError(
            f"invalid gufunc layout {layout!r}: write the core dimensions of each input and output as NumPy does, "
            "e.g. '(m,n),(n)->(m)' or '(n),()->(n)'"
        )
    ins, outs = layout.split("->")

    def operands(text):
        return [[d.strip() for d in group.split(",") if d.strip()] for group in re.findall(r"\(([^)]*)\)", text)]

    return operands(ins), operands(outs)


class GUFunc(_Base):
    """What ``@guvectorize`` returns: a NumPy generalized ufunc (``.ufunc``) with a loop per type
    signature. The kernel takes each operand's core dimensions as an array view (a scalar input
    ``()`` as a number when its type is a scalar) and writes its outputs in place."""

    def __init__(self, py_func, kernel, identity, opts, signatures, layout, writable, dynamic):
        super().__init__(py_func, kernel, identity, opts)
        ins, outs = _parse_layout(layout)
        self._ins = ins
        self._layout = layout.replace(" ", "")
        self._nin, self._nout = len(ins), len(outs)
        nparams = _nparams(py_func)
        if nparams != self._nin + self._nout:
            raise TypeError(
                f"the layout {layout!r} has {self._nin + self._nout} operand(s); {py_func.__name__}() takes {nparams}"
            )
        names = []
        for dims in ins + outs:
            for d in dims:
                if d not in names:
                    names.append(d)
        self._core = [[names.index(d) for d in dims] for dims in ins + outs]
        self._writable = set(writable)
        if not signatures and not dynamic:
            raise TypeError(
                "guvectorize() needs type signatures, as in guvectorize(['void(float64[:], float64[:])'], '(n)->(n)'), "
                "or none at all for the dynamic form, guvectorize('(n)->(n)')"
            )
        self._shapes = None
        for sig in signatures:
            self._add(sig)
        self._rebuild()
        self._frozen = bool(signatures)

    def _descriptor(self, k, dtype):
        readonly = k < self._nin and k not in self._writable
        return _array(dtype, 1 + len(self._core[k]), readonly)

    def _add(self, sig):
        parsed = types.parse_signature(sig)
        nargs = self._nin + self._nout
        if parsed.return_type not in (None, types.void):
            raise TypeError(
                f"the signature {parsed} returns {parsed.return_type}: a gufunc's kernel returns nothing (void)"
            )
        if len(parsed.args) != nargs:
            raise TypeError(
                f"the signature {parsed} has {len(parsed.args)} argument type(s); the layout has {nargs} operand(s)"
            )
        shapes, dtypes = [], []
        for k, t in enumerate(parsed.args):
            core = len(self._core[k])
            if isinstance(t, types.Array):
                dtypes.append(t.dtype.name)
                if t.ndim == core:
                    shapes.append("view")
                elif core == 0 and t.ndim == 1:
                    shapes.append("one")  # a () operand given as a 1-element array
                else:
                    raise TypeError(
                        f"the signature {parsed} gives operand {k + 1} {t.ndim} dimension(s); the layout gives it {core}"
                    )
            else:
                dtypes.append(_scalar_name(t, parsed))
                if core != 0 or k >= self._nin:
                    raise TypeError(
                        f"the signature {parsed} gives operand {k + 1} the scalar type {t}: only an input with "
                        "no core dimensions '()' may be a scalar (an output is an array the kernel writes)"
                    )
                shapes.append("scalar")
        if self._shapes is None:
            self._shapes = shapes
            params = [f"a{k}" for k in range(nargs)]
            items = ", ".join(f"a{k}[i:i + 1]" if s == "one" else f"a{k}[i]" for k, s in enumerate(shapes))
            body = f"    for i in range(a0.shape[0]):\n        kernel({items})\n"
            self._loop = _make_loop("gufunc_loop", params, body, self._kernel, self._opts)
        elif shapes != self._shapes:
            raise TypeError(
                f"the signature {parsed} passes scalars and arrays differently from the first signature; "
                "give every signature the same kinds of operands"
            )
        if tuple(dtypes) in self._loops:
            raise TypeError(f"the signature {parsed} has the same operand types as an earlier one")
        self._loops.append(tuple(dtypes))
        self._added = tuple(dtypes)

    def add(self, sig):
        """Compiles the loop of one more signature (``'void(float64[:], float64[:])'``)."""
        before = list(self._loops)
        try:
            self._add(sig)
            if not self._frozen:  # the dynamic form: where NumPy's own ufuncs would have it
                self._loops = before
                _insert_sorted(self._loops, self._added, self._nin)
            self._rebuild()
        except BaseException:
            self._loops = before
            raise

    def __call__(self, *args, **kwargs):
        self._fresh()
        if self._frozen:
            return self._ufunc(*args, **kwargs)
        # The dynamic form (Numba's): every operand is given, the outputs too, and their dtypes
        # choose the loop, compiled at the first call with them.
        operands = args
        if "out" in kwargs:
            out = kwargs.pop("out")
            operands = args + (tuple(out) if isinstance(out, tuple) else (out,))
        if len(operands) != self._nin + self._nout:
            raise TypeError(
                f"Too few arguments for function '{self.__name__}'. Note that the pattern "
                "`out = gufunc(Arg1, Arg2, ..., ArgN)` is not allowed. Use `gufunc(Arg1, Arg2, ..., ArgN, out)` instead."
            )
        dtypes = tuple(_dtype_name(x) for x in operands)
        if None not in dtypes:
            self._add_dtypes(dtypes)
        return self._ufunc(*operands, **kwargs)

    def _add_dtypes(self, dtypes):
        with self._lock:
            self._add_dtypes_locked(dtypes)

    def _add_dtypes_locked(self, dtypes):
        if tuple(dtypes) in self._loops:
            return
        sig = [
            types.Scalar(d)
            if k < self._nin and not self._ins[k]
            else types.Array(types.Scalar(d), max(1, len(core)), "A")
            for k, (d, core) in enumerate(zip(dtypes, self._core))
        ]
        self.add(types.void(*sig))


# --- pickling ---------------------------------------------------------------------------------


def _by_reference(module, qualname):
    import importlib
    import pickle

    from . import _pickle

    obj = _pickle._lookup(importlib.import_module(module), qualname)
    if not isinstance(obj, _Base):
        raise pickle.UnpicklingError(
            f"{module}.{qualname} was a @vectorize/@guvectorize object where it was pickled, but is "
            f"{type(obj).__name__} here"
        )
    return obj


def _by_value(name, args, kwargs, kernel, loops):
    decorator = vectorize if name == "vectorize" else guvectorize
    obj = decorator(*args, **kwargs)(kernel.py_func)
    for dtypes in loops:
        obj._add_dtypes(dtypes)
    return obj


# --- the decorators ---------------------------------------------------------------------------


def _kernel(func, opts):
    """The kernel's dispatcher: the one ``jit`` with the same options gives (sticky as that)."""
    from . import _decorate

    identity_options = (*opts, ())
    return _decorate(func, opts, [], sticky_identity(func, identity_options), identity_options)


def vectorize(ftylist_or_function=(), **kws):
    """Numba's ``@vectorize``: see ``stickyjit.vectorize``."""
    if isinstance(ftylist_or_function, str):
        signatures = [ftylist_or_function]
    elif callable(ftylist_or_function) and hasattr(ftylist_or_function, "__code__"):
        return vectorize(**kws)(ftylist_or_function)
    elif isinstance(ftylist_or_function, types.Signature):
        signatures = [ftylist_or_function]
    else:
        signatures = list(ftylist_or_function or ())
    identity, opts, _ = _split_options("vectorize", kws)
    texts = tuple(str(types.parse_signature(s)) for s in signatures)

    def wrap(func):
        _nparams(func)
        key = sticky_identity(func, ("vectorize", opts, texts, identity))
        hit = _STICKY.get(key)
        if hit is not None:
            hit._kernel._adopt(func)
            return hit
        d = DUFunc(func, _kernel(func, opts), identity, opts, signatures)
        # Signature objects (their text does not always read back: "array(float64, 1d, A)").
        d._decorator = ("vectorize", ([types.parse_signature(s) for s in signatures],) if texts else (), dict(kws))
        _STICKY[key] = d
        return d

    return wrap


def guvectorize(*args, **kwargs):
    """Numba's ``@guvectorize``: see ``stickyjit.guvectorize``."""
    dynamic = len(args) == 1
    if len(args) == 1:
        signatures, layout = [], args[0]
    elif len(args) == 2:
        signatures, layout = args
    else:
        raise TypeError("guvectorize() takes one or two positional arguments: the type signatures and the layout")
    if isinstance(signatures, (str, types.Signature)):
        signatures = [signatures]
    signatures = list(signatures)
    _parse_layout(layout)
    dynamic = kwargs.pop("is_dynamic", dynamic)
    identity, opts, writable = _split_options("guvectorize", kwargs)
    texts = tuple(str(types.parse_signature(s)) for s in signatures)

    def wrap(func):
        _nparams(func)
        key = sticky_identity(func, ("guvectorize", opts, texts, layout, identity, writable, bool(dynamic)))
        hit = _STICKY.get(key)
        if hit is not None:
            hit._kernel._adopt(func)
            return hit
        g = GUFunc(func, _kernel(func, opts), identity, opts, signatures, layout, writable, dynamic)
        parsed = [types.parse_signature(s) for s in signatures]
        g._decorator = ("guvectorize", (parsed, layout) if texts else (layout,), dict(kwargs))
        _STICKY[key] = g
        return g

    return wrap
