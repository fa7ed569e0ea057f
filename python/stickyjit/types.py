"""Numba-style explicit signatures: the type objects, their parsing, and the plain descriptors the native side reads.

    from stickyjit import types as sjt

    sjt.float64(sjt.float64[:, ::1], sjt.int32)            # a Signature built from type objects
    sjt.parse_signature("float64(float64[:, ::1], int32)")  # the same, from Numba's string syntax
    sjt.native_signature("float64(float64[:, ::1], int32)")
    # -> ([("array", "float64", 2, "C", False), "int32"], "float64"): the plain descriptor the native side reads

Names and aliases are Numba's (``numba.types``), so ``import stickyjit as nb`` accepts signatures written for
Numba. Nothing here compiles or imports the native extension.
"""

from __future__ import annotations

import ast
import struct
import sys

__all__ = [
    "Type",
    "ListType",
    "DictType",
    "Scalar",
    "NoneType",
    "Array",
    "BaseTuple",
    "UniTuple",
    "Tuple",
    "Signature",
    "CPointer",
    "VoidPointer",
    "voidptr",
    "WrapperAddressProtocol",
    "Optional",
    "optional",
    "parse_signature",
    "parse_signatures",
    "native",
    "native_signature",
    # scalar types and their aliases (filled in below)
]


class Type:
    """The base of every stickyjit type object: immutable, named, equal (and hashed) by a canonical key.

    Aliases are the same object (``int64 is i8``); two types built separately with the same meaning are equal
    (``Array(float64, 1, "C") == float64[::1]``).
    """

    __slots__ = ("name", "_key")

    def __init__(self, name: str, key: tuple):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_key", key)

    def __setattr__(self, attr, value):
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, attr):
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __eq__(self, other):
        if isinstance(other, Type):
            return self._key == other._key
        return NotImplemented

    def __hash__(self):
        return hash(self._key)

    def __str__(self):
        return self.name

    def __repr__(self):
        return self.name

    def __call__(self, *args, **kwargs):
        """``float64(float64[:], int64)``: the signature returning this type and taking ``args``."""
        if kwargs:
            raise TypeError(f"{self.name}(...) takes argument types only, not keywords ({', '.join(kwargs)})")
        return Signature(self, args)

    def __getitem__(self, key):
        raise TypeError(
            f"{self.name}[{_written(key)}]: only a scalar type is sliced into an array type, as in float64[:, ::1]"
        )


# --- scalars -------------------------------------------------------------------------------------------------------

# Canonical name -> the scalar object; filled in by _scalar() below, read by Scalar("...").
_SCALARS: dict[str, Scalar] = {}
_COMPLEX = frozenset({"complex64", "complex128"})


class Scalar(Type):
    """A scalar type: ``bool``, ``int8`` ... ``uint64``, ``float32``, ``float64``, ``complex64``, ``complex128``.

    There is one object per type: ``Scalar("float64")`` (or an alias, ``Scalar("f8")``) is ``float64``. Slicing
    one makes an array type as in Numba: ``float64[:]`` (1d, any layout), ``float64[::1]`` (1d C),
    ``float64[:, ::1]`` (2d C), ``float64[::1, :]`` (2d F).
    """

    __slots__ = ()

    def __new__(cls, name: str):
        scalar = _SCALARS.get(name) or _ALIASES.get(name)
        if scalar is None:
            raise ValueError(f"{name!r} is not a scalar type; the scalar types are {', '.join(_SCALARS)}")
        return scalar

    def __init__(self, name: str):  # the object was made once, by _scalar(); __new__ hands it back
        pass

    def __reduce__(self):
        return (Scalar, (self.name,))

    def __getitem__(self, key):
        ndim, layout = _array_spec(self, key)
        return Array(self, ndim, layout)


def _scalar(name: str) -> Scalar:
    s = object.__new__(Scalar)
    Type.__init__(s, name, ("scalar", name))
    _SCALARS[name] = s
    return s


boolean = bool_ = b1 = _scalar("bool")
int8 = i1 = _scalar("int8")
int16 = i2 = _scalar("int16")
int32 = i4 = _scalar("int32")
int64 = i8 = _scalar("int64")
uint8 = u1 = _scalar("uint8")
uint16 = u2 = _scalar("uint16")
uint32 = u4 = _scalar("uint32")
uint64 = u8 = _scalar("uint64")
float32 = f4 = single = _scalar("float32")
float64 = f8 = double = _scalar("float64")
complex64 = c8 = _scalar("complex64")
complex128 = c16 = _scalar("complex128")

# The C-named aliases, sized for this machine as Numba sizes them (NumPy 2: ``int_`` is ``intp``).
_INT = {1: int8, 2: int16, 4: int32, 8: int64}
_UINT = {1: uint8, 2: uint16, 4: uint32, 8: uint64}
intp = int_ = _INT[struct.calcsize("P")]
uintp = uint = _UINT[struct.calcsize("P")]
intc = _INT[struct.calcsize("i")]
uintc = _UINT[struct.calcsize("I")]
char = int8
byte = uchar = uint8
short = _INT[struct.calcsize("h")]
ushort = _UINT[struct.calcsize("H")]
long_ = _INT[struct.calcsize("l")]
ulong = _UINT[struct.calcsize("L")]
longlong = _INT[struct.calcsize("q")]
ulonglong = _UINT[struct.calcsize("Q")]
# As in Numba (numba/core/types/__init__.py), ``float_`` is float32, not float64: NumPy's C ``float``.
float_ = float32

_SCALAR_NAMES = (
    "boolean bool_ b1 int8 i1 int16 i2 int32 i4 int64 i8 uint8 u1 uint16 u2 uint32 u4 uint64 u8 "
    "float32 f4 single float64 f8 double complex64 c8 complex128 c16 "
    "intp int_ uintp uint intc uintc char byte uchar short ushort long_ ulong longlong ulonglong float_"
).split()
# Every alias -> its scalar, for Scalar("f8") and the string namespace.
_ALIASES: dict[str, Scalar] = {alias: globals()[alias] for alias in _SCALAR_NAMES}


# --- none ----------------------------------------------------------------------------------------------------------


class NoneType(Type):
    """The type of ``None``: the return type of a function that returns nothing. One object: ``none`` (``void``)."""

    __slots__ = ()
    _the: NoneType | None = None

    def __new__(cls):
        if NoneType._the is None:
            t = object.__new__(cls)
            Type.__init__(t, "none", ("none",))
            NoneType._the = t
        return NoneType._the

    def __init__(self):
        pass

    def __reduce__(self):
        return (NoneType, ())


none = void = NoneType()


class Optional(Type):
    """Numba's ``optional(T)``: ``None`` or a value of ``T``, as a signature's argument type
    (``float64[:](uint64, optional(uint64))``, numba-stats' seeds). A signature with it stands for
    the signatures of each choice, ``T`` and ``none``, compiled alike (``parse_signatures``)."""

    __slots__ = ("type",)

    def __init__(self, t: Type):
        if not isinstance(t, Type) or isinstance(t, (NoneType, Optional)):
            raise TypeError(f"optional() takes a type other than none, not {t!r}")
        Type.__init__(self, f"OptionalType({t.name})", ("optional", t._key))
        object.__setattr__(self, "type", t)


def optional(t: Type) -> Optional:
    """``optional(T)``: ``None`` or a ``T``, as Numba's."""
    return Optional(t)


# --- C pointers ----------------------------------------------------------------------------------------------------


class CPointer(Type):
    """A C pointer to ``dtype``, ``CPointer(float64)`` as in Numba, named ``float64*``: a ``@cfunc`` parameter
    (docs/cfunc.md), indexed as ``p[i]`` or viewed as an array with ``carray``. ``dtype`` is a non-complex scalar.
    """

    __slots__ = ("dtype",)

    def __init__(self, dtype: Scalar):
        if not isinstance(dtype, Scalar) or dtype.name in _COMPLEX:
            raise TypeError(f"CPointer({dtype!r}): the pointee must be a real scalar type such as float64 or intc")
        Type.__init__(self, f"{dtype.name}*", ("pointer", dtype.name))
        object.__setattr__(self, "dtype", dtype)

    def __reduce__(self):
        return (CPointer, (self.dtype,))


class VoidPointer(Type):
    """C's ``void *``: one object, ``voidptr`` (Numba's name), named ``void*``. A ``@cfunc`` receives it and may
    view it with ``carray(ptr, shape, dtype)``."""

    __slots__ = ()
    _the: VoidPointer | None = None

    def __new__(cls):
        if VoidPointer._the is None:
            t = object.__new__(cls)
            Type.__init__(t, "void*", ("pointer", None))
            VoidPointer._the = t
        return VoidPointer._the

    def __init__(self):
        pass

    def __reduce__(self):
        return (VoidPointer, ())


voidptr = VoidPointer()


class WrapperAddressProtocol:
    """Numba's base class of an object standing for a C function by its address
    (``__wrapper_address__()``) and signature (``signature()``), as numba-stats wraps SciPy's
    special functions. Compiled code calls such an object's C function directly when its
    signature is of real numbers (integers and floats); the address is the process's, so code
    calling one is compiled again in each new process (it is part of the code key)."""

    def __wrapper_address__(self) -> int:
        raise NotImplementedError

    def signature(self) -> Signature:
        raise NotImplementedError


# --- arrays --------------------------------------------------------------------------------------------------------

_LAYOUTS = ("C", "F", "A")
_MAX_NDIM = 64  # NumPy 2's limit


class Array(Type):
    """A NumPy array type, ``Array(dtype, ndim, layout="A", readonly=False)`` as in Numba.

    ``layout`` is ``"C"`` (C-contiguous), ``"F"`` (Fortran-contiguous) or ``"A"`` (any strides). Named as Numba
    names it: ``array(float64, 2d, C)``, ``readonly array(float64, 2d, C)``. Unlike Numba, ``ndim`` is at least 1
    and ``dtype`` is a non-complex scalar type.
    """

    __slots__ = ("dtype", "ndim", "layout", "readonly")

    def __init__(self, dtype: Scalar, ndim: int, layout: str = "A", readonly: bool = False):
        if not isinstance(dtype, Scalar):
            raise TypeError(f"Array(dtype={dtype!r}, ...): the dtype must be a scalar type such as float64")
        if type(ndim) is not int:
            raise TypeError(f"Array({dtype.name}, ndim={ndim!r}): ndim must be an int")
        if not 1 <= ndim <= _MAX_NDIM:
            raise ValueError(
                f"Array({dtype.name}, ndim={ndim}): ndim must be between 1 and {_MAX_NDIM} "
                "(stickyjit has no 0-d array type: pass a 0-d array's value as a scalar)"
            )
        if not isinstance(layout, str) or layout not in _LAYOUTS:
            raise ValueError(
                f"Array({dtype.name}, {ndim}, layout={layout!r}): layout must be 'C' (C-contiguous), "
                "'F' (Fortran-contiguous) or 'A' (any)"
            )
        readonly = bool(readonly)
        name = f"{'readonly ' if readonly else ''}array({dtype.name}, {ndim}d, {layout})"
        Type.__init__(self, name, ("array", dtype.name, ndim, layout, readonly))
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "ndim", ndim)
        object.__setattr__(self, "layout", layout)
        object.__setattr__(self, "readonly", readonly)

    def __reduce__(self):
        return (Array, (self.dtype, self.ndim, self.layout, self.readonly))


def _written(key) -> str:
    """The subscript ``key`` as it was written between the brackets (``:, ::1``; ``1:``; ``...``)."""

    def one(item):
        if isinstance(item, slice):
            text = ("" if item.start is None else repr(item.start)) + ":"
            text += "" if item.stop is None else repr(item.stop)
            if item.step is not None:
                text += ":" + repr(item.step)
            return text
        return "..." if item is Ellipsis else repr(item)

    if isinstance(key, tuple):
        if len(key) == 0:
            return "()"
        if len(key) == 1:
            return one(key[0]) + ","
        return ", ".join(one(item) for item in key)
    return one(key)


def _array_spec(dtype: Scalar, key) -> tuple[int, str]:
    """``(ndim, layout)`` of ``dtype[key]``, by Numba's rules; a TypeError naming what was written otherwise."""
    written = f"{dtype.name}[{_written(key)}]"
    items = key if isinstance(key, tuple) else (key,)
    if not items:
        raise TypeError(f"{written} is not an array type: an array has at least one dimension, written ':'")
    contiguous = []
    for i, item in enumerate(items):
        if not isinstance(item, slice):
            raise TypeError(
                f"{written} is not an array type: each dimension is written ':' (or '::1' for the contiguous "
                f"one), not {_written(item)}"
            )
        if item.start is not None or item.stop is not None:
            raise TypeError(
                f"{written} is not an array type: a dimension is written ':' or '::1', with no start or stop "
                f"(got '{_written(item)}')"
            )
        if item.step is not None:
            if type(item.step) is not int or item.step != 1:
                raise TypeError(
                    f"{written} is not an array type: a dimension's step is none (':', any stride) or 1 "
                    f"('::1', contiguous), not {item.step!r}"
                )
            contiguous.append(i)
    ndim = len(items)
    if not contiguous:
        return ndim, "A"
    if len(contiguous) > 1:
        raise TypeError(
            f"{written} is not an array type: only one dimension can be marked contiguous with '::1' "
            "(the last for C order, the first for Fortran order)"
        )
    if contiguous[0] == ndim - 1:  # also 1-d `[::1]` and `[::1,]`: C (Numba makes the 1-tuple form F)
        return ndim, "C"
    if contiguous[0] == 0:
        return ndim, "F"
    raise TypeError(
        f"{written} is not an array type: '::1' marks the contiguous dimension, which is the last "
        "(C order) or the first (Fortran order), not a middle one"
    )


# --- tuples --------------------------------------------------------------------------------------------------------


class BaseTuple(Type):
    """The base of ``UniTuple`` and ``Tuple``: ``types`` is the tuple of item types, ``count`` their number."""

    __slots__ = ("types", "count")

    def _init_items(self, name: str, items: tuple[Type, ...]):
        Type.__init__(self, name, ("tuple", tuple(t._key for t in items)))
        object.__setattr__(self, "types", items)
        object.__setattr__(self, "count", len(items))


class UniTuple(BaseTuple):
    """A tuple of ``count`` items of one type, ``UniTuple(float64, 3)``, named ``UniTuple(float64 x 3)``."""

    __slots__ = ("dtype",)

    def __init__(self, dtype: Type, count: int):
        if not isinstance(dtype, Type):
            raise TypeError(f"UniTuple({dtype!r}, {count!r}): the item type must be a type such as float64")
        if type(count) is not int or count < 0:
            raise TypeError(f"UniTuple({dtype}, {count!r}): the count must be an int >= 0")
        self._init_items(f"UniTuple({dtype} x {count})", (dtype,) * count)
        object.__setattr__(self, "dtype", dtype)

    def __reduce__(self):
        return (UniTuple, (self.dtype, self.count))


class Tuple(BaseTuple):
    """A tuple of items of the given types, ``Tuple((int64, float64))``, named ``Tuple(int64, float64)``.

    As in Numba, a non-empty tuple of one repeated type is made as the ``UniTuple``: ``Tuple((f8, f8))`` is
    ``UniTuple(float64 x 2)``.
    """

    __slots__ = ()

    def __new__(cls, types):
        items = _tuple_items(types)
        if items and all(t == items[0] for t in items):
            return UniTuple(items[0], len(items))
        self = super().__new__(cls)
        self._init_items(f"Tuple({', '.join(t.name for t in items)})", items)
        return self

    def __init__(self, types):  # made by __new__ (which reads `types` once: it may be an iterator)
        pass

    def __reduce__(self):
        return (Tuple, (self.types,))


def _tuple_items(types) -> tuple[Type, ...]:
    if isinstance(types, Type) or isinstance(types, str):
        raise TypeError(f"Tuple({types!r}): give the item types as a sequence, e.g. Tuple((int64, float64))")
    try:
        items = tuple(types)
    except TypeError:
        raise TypeError(f"Tuple({types!r}): give the item types as a sequence, e.g. Tuple((int64, float64))") from None
    for t in items:
        if not isinstance(t, Type):
            raise TypeError(f"Tuple({types!r}): {t!r} is not a type")
    return items


# --- signatures ----------------------------------------------------------------------------------------------------


# --- typed containers ---------------------------------------------------------------------------------------------


class ListType(Type):
    """Numba's ``types.ListType(item_type)``, the type of a ``typed.List``: accepted where Numba code
    names it (``List.empty_list``'s argument, ``locals=``, a signature) and not applied: compiled lists
    take their item type from what is put in, and a signature naming a container type is left out
    (the function compiles for each call's argument types: docs/language.md, Signatures)."""

    __slots__ = ("item_type",)

    def __init__(self, item_type: Type):
        if not isinstance(item_type, Type):
            raise TypeError(f"ListType({item_type!r}): the item type must be a type such as float64")
        Type.__init__(self, f"ListType[{item_type}]", ("list", item_type._key))
        object.__setattr__(self, "item_type", item_type)

    def __reduce__(self):
        return (ListType, (self.item_type,))


class DictType(Type):
    """Numba's ``types.DictType(key_type, value_type)``, the type of a ``typed.Dict``: accepted and
    not applied, as ``ListType``."""

    __slots__ = ("key_type", "value_type")

    def __init__(self, key_type: Type, value_type: Type):
        for t in (key_type, value_type):
            if not isinstance(t, Type):
                raise TypeError(f"DictType({key_type!r}, {value_type!r}): the key and value types must be types")
        Type.__init__(self, f"DictType[{key_type},{value_type}]", ("dict", key_type._key, value_type._key))
        object.__setattr__(self, "key_type", key_type)
        object.__setattr__(self, "value_type", value_type)

    def __reduce__(self):
        return (DictType, (self.key_type, self.value_type))


def names_a_container(t) -> bool:
    """Whether a type (or a signature) names a ``ListType`` or ``DictType`` anywhere."""
    if isinstance(t, Signature):
        return any(names_a_container(a) for a in (t.return_type, *t.args) if a is not None)
    if isinstance(t, (ListType, DictType)):
        return True
    if isinstance(t, BaseTuple):
        return any(names_a_container(item) for item in t.types)
    return False


class Signature:
    """A function's signature: ``args``, a tuple of types, and ``return_type``, a type or None when only the
    argument types were given (the return type is then inferred). Made by calling a type:
    ``float64(float64[:], int64)``; printed as Numba prints it, ``float64(array(float64, 1d, A), int64)``, or
    ``(int64, float64)`` without a return type.
    """

    __slots__ = ("return_type", "args")

    def __init__(self, return_type: Type | None, args):
        if return_type is not None and not isinstance(return_type, Type):
            raise TypeError(f"{return_type!r} is not a type, so it cannot be a signature's return type")
        args = tuple(args)
        for a in args:
            if not isinstance(a, Type):
                shown = ", ".join(repr(x) for x in args)
                raise TypeError(
                    f"{return_type or ''}({shown}) is not a signature: {a!r} is not a type "
                    "(write the argument types, e.g. float64(float64[:], int64))"
                )
        object.__setattr__(self, "return_type", return_type)
        object.__setattr__(self, "args", args)

    def __setattr__(self, attr, value):
        raise AttributeError("Signature objects are immutable")

    def __delattr__(self, attr):
        raise AttributeError("Signature objects are immutable")

    def __eq__(self, other):
        if isinstance(other, Signature):
            return (self.args, self.return_type) == (other.args, other.return_type)
        return NotImplemented

    def __hash__(self):
        return hash((self.args, self.return_type))

    def __str__(self):
        args = ", ".join(a.name for a in self.args)
        if self.return_type is None:
            return f"({args},)" if len(self.args) == 1 else f"({args})"  # a tuple, as Python writes one
        return f"{self.return_type.name}({args})"

    def __repr__(self):
        return f"Signature({str(self)!r})"

    def __reduce__(self):
        return (Signature, (self.return_type, self.args))


# --- parsing -------------------------------------------------------------------------------------------------------

_HOW = (
    "write it as 'float64(float64[:], int64)' (a string), float64(float64[:], int64) (type objects), "
    "or give the argument types alone as a tuple, (float64[:], int64)"
)

# The names a signature string may use: every type name and alias, the type constructors, and `types` (this module,
# so "types.float64(types.int32)" works).
_NAMESPACE: dict[str, object] = {
    **_ALIASES,
    "bool": boolean,  # the canonical name, as str() writes it: "bool(int64)" reads back
    "none": none,
    "void": void,
    "optional": optional,
    "Array": Array,
    "UniTuple": UniTuple,
    "Tuple": Tuple,
    "CPointer": CPointer,
    "voidptr": voidptr,
    "types": sys.modules[__name__],
}

# What a signature string may be made of: names, `types.<name>`, calls, subscripts and slices, tuples and lists,
# constants (Array(float64, 2, "C"), readonly=True, ::1). Anything else (an operator, a lambda, a comprehension, a
# dunder) is refused before eval, which moreover runs with no builtins.
_ALLOWED_NODES = (
    ast.Expression,
    ast.Call,
    ast.keyword,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Tuple,
    ast.List,
    ast.Constant,
    ast.Load,
    ast.UnaryOp,
    ast.USub,
)


def _check_syntax(text: str, tree: ast.Expression) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise TypeError(
                f"invalid signature {text!r}: {type(node).__name__.lower()} is not allowed in a signature "
                "(only type names, calls, subscripts and tuples)"
            )
        if isinstance(node, ast.Name) and node.id not in _NAMESPACE:
            raise TypeError(f"invalid signature {text!r}: name {node.id!r} is not a stickyjit type")
        if isinstance(node, ast.Attribute) and not (
            isinstance(node.value, ast.Name) and node.value.id == "types" and node.attr in _NAMESPACE
        ):
            raise TypeError(
                f"invalid signature {text!r}: {ast.unparse(node)!r} is not a stickyjit type "
                "(only types.<name> may be written with a dot)"
            )


def _parse_string(text: str) -> Signature:
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as e:
        raise TypeError(f"invalid signature {text!r}: {e.msg}") from e
    _check_syntax(text, tree)
    try:
        value = eval(compile(tree, "<signature>", "eval"), {"__builtins__": {}}, dict(_NAMESPACE))
    except Exception as e:
        raise TypeError(f"invalid signature {text!r}: {e}") from e
    if isinstance(value, Signature):
        return value
    if isinstance(value, tuple):
        return _args_only(value, text)
    if isinstance(value, Type):
        raise TypeError(
            f"{text!r} is not a signature: it names the type {value}; write it as '{value}(argument types)' for a "
            f"function returning {value}, or as '({value},)' for one taking a single {value} argument"
        )
    raise TypeError(f"{text!r} is not a signature: {_HOW}")


def _args_only(items, shown) -> Signature:
    for t in items:
        if not isinstance(t, Type):
            raise TypeError(f"{shown!r} is not a signature: {t!r} is not a type; {_HOW}")
    return Signature(None, items)


def parse_signature(sig) -> Signature:
    """The ``Signature`` ``sig`` means. ``sig`` is one of:

    * a ``Signature``: ``float64(float64[:], int64)``;
    * a string in Numba's syntax: ``"float64(float64[:], int64)"``, ``"void(types.int32[::1])"``; a string that is
      a tuple of types (``"(int64, float64)"``, ``"int64,"``) gives the argument types alone;
    * a tuple or list of types: the argument types alone (the return type is then inferred).

    A string is evaluated as Numba evaluates it, with the type names and aliases, ``Array``, ``UniTuple``,
    ``Tuple``, ``none``/``void`` and ``types`` in scope and no builtins; it may contain only names, calls,
    subscripts, tuples and constants. Anything else, or a string that does not evaluate to a signature or a tuple
    of types (``"int64"`` names a type, not a signature), is a ``TypeError`` naming it.
    """
    if isinstance(sig, Signature):
        return sig
    if isinstance(sig, str):
        return _parse_string(sig)
    if isinstance(sig, (tuple, list)):
        return _args_only(tuple(sig), sig)
    raise TypeError(f"{sig!r} is not a signature: {_HOW}")


def _choices(sig: Signature) -> list[Signature]:
    """``sig`` with each ``optional(T)`` argument made ``T``, then ``none``: the signatures it
    stands for (one compile each), in that order. An optional return type is a ``TypeError``."""
    if isinstance(sig.return_type, Optional):
        raise TypeError(f"{sig}: an optional return type is not compiled (leave the return type out)")
    out = [()]
    for a in sig.args:
        choices = [a.type, none] if isinstance(a, Optional) else [a]
        out = [done + (c,) for done in out for c in choices]
    return [Signature(sig.return_type, args) for args in out]


def parse_signatures(obj) -> list[Signature]:
    """The signatures ``obj`` means, in order, without repeats: ``jit(obj)``'s explicit signatures.

    ``obj`` is one signature (a ``Signature``, a string or a tuple of types: see ``parse_signature``) or a list.
    A list is read as Numba reads it, a list of signatures (``["int64(int64)", "float64(float64)"]``, and its
    items may be tuples of argument types), except that a list whose items are all types (``[int64, float64]``),
    which Numba refuses, is the one signature of those argument types, as ``parse_signature`` reads it. A list
    mixing types with other signatures is ambiguous and a ``TypeError``; so is an empty list.
    """
    if not isinstance(obj, list):
        return _choices(parse_signature(obj))
    if not obj:
        raise TypeError("[] is not a list of signatures: give at least one signature, or none to compile lazily")
    if all(isinstance(item, Type) for item in obj):
        return _choices(parse_signature(obj))
    for item in obj:
        if isinstance(item, Type):
            raise TypeError(
                f"{obj!r} is not a list of signatures: {item!r} is a type, not a signature; {_HOW} "
                "(a list holding only types is one signature of those argument types)"
            )
    out: list[Signature] = []
    for item in obj:
        for sig in _choices(parse_signature(item)):
            if sig not in out:
                out.append(sig)
    return out


# --- descriptors for the native side -------------------------------------------------------------------------------


def native(t: Type):
    """The plain descriptor of type ``t`` the native side reads.

    A scalar: its canonical name (``"float64"``, ``"bool"``); ``none``: ``"none"``; an array:
    ``("array", dtype_name, ndim, layout, readonly)``; a tuple: ``("tuple", [native(item), ...])``.
    """
    if isinstance(t, Scalar):
        return t.name
    if isinstance(t, NoneType):
        return "none"
    if isinstance(t, Array):
        return ("array", t.dtype.name, t.ndim, t.layout, t.readonly)
    if isinstance(t, BaseTuple):
        return ("tuple", [native(item) for item in t.types])
    if isinstance(t, CPointer):
        return ("pointer", t.dtype.name)
    if isinstance(t, VoidPointer):
        return ("pointer", None)
    if isinstance(t, Signature):
        raise TypeError(f"{t} is a signature, not a type: use native_signature()")
    raise TypeError(f"{t!r} is not a stickyjit type")


def native_signature(sig) -> tuple[list, object]:
    """``(argument descriptors, return descriptor or None)`` of ``sig`` (anything ``parse_signature`` takes)."""
    s = parse_signature(sig)
    try:
        args = [native(a) for a in s.args]
        ret = None if s.return_type is None else native(s.return_type)
    except TypeError as e:
        raise TypeError(f"{e} (in the signature {s})") from e
    return args, ret


def typeof(value, purpose=None) -> Type:
    """Numba's ``numba.typeof``: the type compiled code gives ``value`` when it is passed in (an
    int is ``int64``, a float ``float64``, a NumPy scalar its dtype's type, an array
    ``Array(dtype, ndim, layout, readonly)`` with layout ``C``, ``F`` or ``A`` from its strides,
    a tuple its items' ``UniTuple``/``Tuple``); ``ValueError`` for a value of any other type.
    ``purpose`` is Numba's and is not read."""
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        return boolean
    if isinstance(value, np.generic):
        return _SCALARS[value.dtype.name] if value.dtype.name in _SCALARS else _no_type(value)
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return float64
    if isinstance(value, complex):
        return complex128
    if isinstance(value, np.ndarray):
        if value.dtype.name not in _SCALARS or not value.dtype.isnative:
            return _no_type(value)
        flags = value.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return Array(_SCALARS[value.dtype.name], value.ndim, layout, readonly=not flags.writeable)
    if isinstance(value, tuple):
        return Tuple(tuple(typeof(v) for v in value))
    return _no_type(value)


def _no_type(value):
    raise ValueError(f"cannot determine the stickyjit type of {type(value).__name__} {value!r:.60}")


__all__ += _SCALAR_NAMES + ["none", "void", "typeof"]
