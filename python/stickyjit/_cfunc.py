"""``@cfunc``: C callbacks compiled by stickyjit (docs/cfunc.md), and ``carray``/``farray``.

``cfunc(signature)(func)`` compiles ``func`` at once, as ``@jit`` would for the signature's argument types, together
with a C callback with the plain C ABI of the signature (jit-core's ``cfunc``): the object returned has its address
(``.address``), a ctypes function pointer to it (``.ctypes``, which ``scipy.LowLevelCallable`` takes) and its symbol
(``.native_name``). The compiled code goes through ``@jit``'s on-disk cache, under a key that says it has the
callback and its C signature, and the object is sticky: decorating an unchanged function again returns it.

Imported at the first ``cfunc``, never by ``import stickyjit`` (``carray`` and ``farray`` are defined in
``stickyjit/__init__.py`` and come here when called from Python).
"""

from __future__ import annotations

import ctypes
import weakref

from . import types
from ._native import sticky_identity

# Sticky identity -> the CFunc made for it (while something still holds it).
_STICKY: weakref.WeakValueDictionary[str, CFunc] = weakref.WeakValueDictionary()

# The ctypes type of each scalar type of a C signature (Numba's numba.core.typing.ctypes_utils).
_CTYPES = {
    "bool": ctypes.c_bool,
    "int8": ctypes.c_int8,
    "int16": ctypes.c_int16,
    "int32": ctypes.c_int32,
    "int64": ctypes.c_int64,
    "uint8": ctypes.c_uint8,
    "uint16": ctypes.c_uint16,
    "uint32": ctypes.c_uint32,
    "uint64": ctypes.c_uint64,
    "float32": ctypes.c_float,
    "float64": ctypes.c_double,
}

# The options cfunc takes besides jit's: Numba's, which change nothing here.
_IGNORED = {"pipeline_class"}


def _ctype(t, sig, result=False):
    """The ctypes type of the type ``t`` of the signature ``sig`` (None for void); ``result``: its return type."""
    if result and isinstance(t, (types.CPointer, types.VoidPointer)):
        raise TypeError(f"the signature {sig} returns the pointer {t}: a @cfunc returns a number or void")
    if isinstance(t, types.NoneType):
        return None
    if isinstance(t, types.VoidPointer):
        return ctypes.c_void_p
    if isinstance(t, types.CPointer):
        return ctypes.POINTER(_CTYPES[t.dtype.name])
    if isinstance(t, types.Scalar) and t.name in _CTYPES:
        return _CTYPES[t.name]
    raise TypeError(
        f"the signature {sig} has the type {t}: a @cfunc takes and returns numbers (bool, int8-int64, "
        "uint8-uint64, float32, float64), CPointer(T) and voidptr arguments, and returns a number or void"
    )


class CFunc:
    """What ``@cfunc`` returns: a compiled C callback (Numba's ``CFunc``).

    ``address`` is the address of the C function, ``ctypes`` a ctypes function pointer to it (callable from Python;
    ``scipy.LowLevelCallable(f.ctypes)`` and ``scipy.integrate.quad(f.ctypes, a, b)`` take it), ``native_name`` its
    symbol, ``cffi`` a cffi ``void *`` to it (when cffi is installed), ``py_func`` the Python function. Calling the
    object calls the compiled code through ``ctypes``; a NumPy array passed for a pointer argument passes the
    address of its data.
    """

    def __init__(self, py_func, sig, opts):
        from . import _decorate

        self.py_func = py_func
        self.__wrapped__ = py_func
        self.__name__ = py_func.__name__
        self.__qualname__ = getattr(py_func, "__qualname__", self.__name__)
        self.__module__ = py_func.__module__
        self.__doc__ = py_func.__doc__
        self._sig = sig
        if sig.return_type is None:
            raise TypeError(
                f"@cfunc needs an explicit return type: write the signature as 'float64{sig}', or 'void{sig}'"
            )
        self._argtypes = [_ctype(t, sig) for t in sig.args]
        self._restype = _ctype(sig.return_type, sig, result=True)
        args, ret = types.native_signature(sig)
        # The compiled program: a dispatcher of the one declared signature (its return type is
        # the entry's), not sticky itself (this object is).
        self._dispatcher = _decorate(py_func, opts, [((args, ret), str(sig))], None, None)
        self._args, self._ret = args, ret
        self._address, self._symbol = self._dispatcher._compile_cfunc(args, ret, self.__qualname__)
        self._ctypes = None

    @property
    def address(self):
        """The address of the compiled C callback (an int)."""
        return self._address

    @property
    def native_name(self):
        """The process-wide symbol the C callback is defined as (its code key's)."""
        return self._symbol

    @property
    def ctypes(self):
        """A ctypes function pointer (``CFUNCTYPE`` of the signature) to the C callback."""
        if self._ctypes is None:
            self._ctypes = ctypes.CFUNCTYPE(self._restype, *self._argtypes)(self._address)
        return self._ctypes

    @property
    def cffi(self):
        """A cffi ``void *`` to the C callback (cffi must be installed)."""
        import cffi

        return cffi.FFI().cast("void *", self._address)

    def __call__(self, *args):
        if len(args) != len(self._argtypes):
            raise TypeError(
                f"{self.__name__}() takes {len(self._argtypes)} argument(s) ({self._sig}), {len(args)} given"
            )
        converted = []
        for a, t, st in zip(args, self._argtypes, self._sig.args):
            if type(a).__module__ == "numpy":
                if type(a).__name__ != "ndarray":
                    a = a.item()  # a NumPy scalar: the Python number ctypes takes
                elif isinstance(st, (types.CPointer, types.VoidPointer)):
                    if isinstance(st, types.CPointer) and a.dtype.name != st.dtype.name:
                        raise TypeError(f"{self.__name__}(): an array of {a.dtype} passed for a {st} argument")
                    a = a.ctypes.data_as(t)
            converted.append(a)
        return self.ctypes(*converted)

    def __repr__(self):
        return f"<stickyjit C callback {self.__qualname__!r}>"

    def __reduce__(self):
        """Pickled as a jitted function is (docs/scaling.md): by reference when its module can be imported
        elsewhere, else by value (the function and the decorator's arguments; the other process compiles again
        or loads from the cache). Only the object is pickled: an address means nothing in another process."""
        from . import _pickle

        if _pickle._importable(self, self.__module__, self.__qualname__):
            return _by_reference, (self.__module__, self.__qualname__)
        return _by_value, (self._sig, self._options, self._dispatcher)


def _by_reference(module, qualname):
    import importlib
    import pickle

    from . import _pickle

    obj = _pickle._lookup(importlib.import_module(module), qualname)
    if not isinstance(obj, CFunc):
        raise pickle.UnpicklingError(
            f"{module}.{qualname} was a @cfunc where it was pickled, but is {type(obj).__name__} here"
        )
    return obj


def _by_value(sig, options, dispatcher):
    return cfunc(sig, **options)(dispatcher.py_func)


def cfunc(sig, locals=None, cache=True, pipeline_class=None, **options):
    """Numba's ``@cfunc``: see ``stickyjit.cfunc``."""
    from . import _options

    if callable(sig) and hasattr(sig, "__code__"):
        raise TypeError("@cfunc needs a signature: write @cfunc('float64(float64)'), as in Numba")
    if pipeline_class is not None:
        raise TypeError("cfunc(pipeline_class=...) is Numba's compiler pipeline: stickyjit has none to replace")
    parsed = types.parse_signature(sig)
    if parsed.return_type is None:
        raise TypeError(
            f"@cfunc needs an explicit return type: write the signature as 'float64{parsed}' or 'void{parsed}'"
        )
    if locals:
        options["locals"] = locals
    given = dict(options, cache=cache)
    opts = _options(given)
    text = str(parsed)
    # The C types are checked at decoration, before any compile.
    for t in parsed.args:
        _ctype(t, parsed)
    _ctype(parsed.return_type, parsed, result=True)

    def wrap(func):
        if not hasattr(func, "__code__"):
            raise TypeError(f"cfunc() takes a Python function, not {type(func).__name__}")
        key = sticky_identity(func, ("cfunc", opts, text))
        hit = _STICKY.get(key)
        if hit is not None:
            hit._dispatcher._adopt(func)
            return hit
        c = CFunc(func, parsed, opts)
        c._options = given
        _STICKY[key] = c
        return c

    return wrap


def pointer_view(ptr, shape, dtype, order):
    """``carray``/``farray`` called from Python: the NumPy array of ``shape`` (C or Fortran ``order``) over the
    memory a ctypes pointer points to (a typed pointer, ``POINTER(c_double)``, or a ``c_void_p`` with ``dtype``)."""
    import numpy as np

    name = "farray" if order == "F" else "carray"
    if isinstance(ptr, ctypes.c_void_p):
        address, pointee = ptr.value, None
    elif isinstance(ptr, ctypes._Pointer):
        address, pointee = ctypes.cast(ptr, ctypes.c_void_p).value, np.dtype(ptr._type_)
    else:
        raise TypeError(f"{name}() takes a ctypes pointer (POINTER(T) or c_void_p), not {type(ptr).__name__}")
    if dtype is not None:
        dtype = np.dtype(dtype.name if isinstance(dtype, types.Scalar) else dtype)
        if pointee is not None and dtype != pointee:
            raise TypeError(f"mismatching dtype '{dtype}' for pointer type '{pointee}*'")
    elif pointee is None:
        raise TypeError(f"{name}() of a void pointer needs its dtype: {name}(ptr, shape, dtype)")
    else:
        dtype = pointee
    shape = (int(shape),) if not isinstance(shape, tuple) else tuple(int(n) for n in shape)
    if any(n < 0 for n in shape):
        raise ValueError("negative dimensions are not allowed")
    count = 1
    for n in shape:
        count *= n
    if count == 0:
        return np.empty(shape, dtype, order=order)
    if not address:
        raise ValueError(f"{name}() of a NULL pointer")
    buffer = (ctypes.c_char * (count * dtype.itemsize)).from_address(address)
    return np.frombuffer(buffer, dtype).reshape(shape, order=order)
