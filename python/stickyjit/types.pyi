"""Type stubs for ``stickyjit.types``: Numba-style type objects and signatures (docs/typing.md)."""

from collections.abc import Iterable
from typing import Any, Literal, Never, NoReturn, Self, TypeAlias

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
    "typeof",
    "boolean",
    "bool_",
    "b1",
    "int8",
    "i1",
    "int16",
    "i2",
    "int32",
    "i4",
    "int64",
    "i8",
    "uint8",
    "u1",
    "uint16",
    "u2",
    "uint32",
    "u4",
    "uint64",
    "u8",
    "float32",
    "f4",
    "single",
    "float64",
    "f8",
    "double",
    "complex64",
    "c8",
    "complex128",
    "c16",
    "intp",
    "int_",
    "uintp",
    "uint",
    "intc",
    "uintc",
    "char",
    "byte",
    "uchar",
    "short",
    "ushort",
    "long_",
    "ulong",
    "longlong",
    "ulonglong",
    "float_",
    "none",
    "void",
]

# What names a signature: a Signature, Numba's string syntax, or the argument types alone.
_SignatureLike: TypeAlias = Signature | str | tuple[Type, ...] | list[Type]

class Type:
    """The base of every stickyjit type object: immutable, named, equal by a canonical key."""

    name: str
    def __init__(self, name: str, key: tuple[Any, ...]) -> None: ...
    def __setattr__(self, attr: str, value: object) -> NoReturn: ...
    def __delattr__(self, attr: str) -> NoReturn: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __call__(self, *args: Type, **kwargs: Never) -> Signature:
        """``float64(float64[:], int64)``: the signature returning this type and taking ``args``."""
    # Only a scalar type is sliced into an array type (Scalar.__getitem__); other types raise.
    def __getitem__(self, key: Any) -> Array: ...

class Scalar(Type):
    """A scalar type: ``bool``, ``int8`` ... ``uint64``, ``float32``, ``float64``, ``complex64``, ``complex128``."""

    def __new__(cls, name: str) -> Self: ...
    def __init__(self, name: str) -> None: ...
    # ``float64[:]``, ``float64[::1]``, ``float64[:, ::1]``, ``float64[::1, :]``.
    def __getitem__(self, key: slice | tuple[slice, ...]) -> Array: ...

class NoneType(Type):
    """The type of ``None``: one object, ``none`` (``void``)."""

    def __new__(cls) -> Self: ...
    def __init__(self) -> None: ...

class CPointer(Type):
    """A C pointer to ``dtype`` (``CPointer(float64)``, named ``float64*``): a ``@cfunc`` parameter."""

    dtype: Scalar
    def __init__(self, dtype: Scalar) -> None: ...

class VoidPointer(Type):
    """C's ``void *``: one object, ``voidptr``."""

    def __new__(cls) -> Self: ...
    def __init__(self) -> None: ...

class Array(Type):
    """A NumPy array type, ``Array(dtype, ndim, layout="A", readonly=False)`` as in Numba."""

    dtype: Scalar
    ndim: int
    layout: Literal["C", "F", "A"]
    readonly: bool
    def __init__(
        self, dtype: Scalar, ndim: int, layout: Literal["C", "F", "A"] = "A", readonly: bool = False
    ) -> None: ...

class BaseTuple(Type):
    """The base of ``UniTuple`` and ``Tuple``."""

    types: tuple[Type, ...]
    count: int

class UniTuple(BaseTuple):
    """A tuple of ``count`` items of one type, ``UniTuple(float64, 3)``."""

    dtype: Type
    def __init__(self, dtype: Type, count: int) -> None: ...

class Tuple(BaseTuple):
    """A tuple of items of the given types, ``Tuple((int64, float64))``; one repeated type makes a ``UniTuple``."""

    # A non-empty tuple of one repeated type is made as the UniTuple (Numba's rule), so the
    # object made is a BaseTuple, not always a Tuple. There is no __init__ here (the runtime's
    # takes the same `types`): mypy types a call by __init__ when a class defines both, and
    # would say Tuple (tests/test_typing.py allows the difference to stubtest).
    def __new__(cls, types: Iterable[Type]) -> BaseTuple: ...  # type: ignore[misc]

class Signature:
    """A function's signature: ``args`` (types) and ``return_type`` (a type, or None: inferred)."""

    return_type: Type | None
    args: tuple[Type, ...]
    def __init__(self, return_type: Type | None, args: Iterable[Type]) -> None: ...
    def __setattr__(self, attr: str, value: object) -> NoReturn: ...
    def __delattr__(self, attr: str) -> NoReturn: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def parse_signature(sig: _SignatureLike) -> Signature:
    """The ``Signature`` ``sig`` means: a Signature, a string in Numba's syntax, or argument types alone."""

def parse_signatures(obj: _SignatureLike | list[str | Signature | tuple[Type, ...]]) -> list[Signature]:
    """The signatures ``obj`` means, in order, without repeats: ``jit(obj)``'s explicit signatures."""

def native(t: Type) -> str | tuple[Any, ...]:
    """The plain descriptor of type ``t`` the native side reads."""

def native_signature(sig: _SignatureLike) -> tuple[list[Any], object]:
    """``(argument descriptors, return descriptor or None)`` of ``sig``."""

# The scalar types and their aliases (Numba's names); the C-named ones are sized for the machine.
boolean: Scalar
bool_: Scalar
b1: Scalar
int8: Scalar
i1: Scalar
int16: Scalar
i2: Scalar
int32: Scalar
i4: Scalar
int64: Scalar
i8: Scalar
uint8: Scalar
u1: Scalar
uint16: Scalar
u2: Scalar
uint32: Scalar
u4: Scalar
uint64: Scalar
u8: Scalar
float32: Scalar
f4: Scalar
single: Scalar
float64: Scalar
f8: Scalar
double: Scalar
complex64: Scalar
c8: Scalar
complex128: Scalar
c16: Scalar
intp: Scalar
int_: Scalar
uintp: Scalar
uint: Scalar
intc: Scalar
uintc: Scalar
char: Scalar
byte: Scalar
uchar: Scalar
short: Scalar
ushort: Scalar
long_: Scalar
ulong: Scalar
longlong: Scalar
ulonglong: Scalar
float_: Scalar
none: NoneType

class Optional(Type):
    type: Type
    def __init__(self, t: Type) -> None: ...

def optional(t: Type) -> Optional: ...

voidptr: VoidPointer

class WrapperAddressProtocol:
    def __wrapper_address__(self) -> int: ...
    def signature(self) -> Signature: ...

void: NoneType

def typeof(value: object, purpose: object = None) -> Type: ...

class ListType(Type):
    item_type: Type
    def __init__(self, item_type: Type) -> None: ...

class DictType(Type):
    key_type: Type
    value_type: Type
    def __init__(self, key_type: Type, value_type: Type) -> None: ...

def names_a_container(t: Type | Signature | None) -> bool: ...
