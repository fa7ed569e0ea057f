"""stickyjit.types: Numba-style type objects and aliases, array slicing rules, signatures from type objects and
strings, the list forms, every error path, and the plain descriptors handed to the native side.
"""

from __future__ import annotations

import builtins
import copy
import pickle
import struct

import pytest

from stickyjit import types as sjt

CANONICAL = [
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
]

# alias -> canonical name (on a 64-bit Linux/macOS machine, as Numba sizes intp, intc, long_ ...)
ALIASES = {
    "boolean": "bool",
    "bool_": "bool",
    "b1": "bool",
    "int8": "int8",
    "i1": "int8",
    "char": "int8",
    "int16": "int16",
    "i2": "int16",
    "short": "int16",
    "int32": "int32",
    "i4": "int32",
    "intc": "int32",
    "int64": "int64",
    "i8": "int64",
    "intp": "int64",
    "int_": "int64",
    "long_": f"int{8 * struct.calcsize('l')}",  # C long: 32 bits on Windows
    "longlong": "int64",
    "uint8": "uint8",
    "u1": "uint8",
    "byte": "uint8",
    "uchar": "uint8",
    "uint16": "uint16",
    "u2": "uint16",
    "ushort": "uint16",
    "uint32": "uint32",
    "u4": "uint32",
    "uintc": "uint32",
    "uint64": "uint64",
    "u8": "uint64",
    "uintp": "uint64",
    "uint": "uint64",
    "ulong": f"uint{8 * struct.calcsize('L')}",
    "ulonglong": "uint64",
    "float32": "float32",
    "f4": "float32",
    "single": "float32",
    "float_": "float32",  # as in Numba: float_ is float32
    "float64": "float64",
    "f8": "float64",
    "double": "float64",
    "complex64": "complex64",
    "c8": "complex64",
    "complex128": "complex128",
    "c16": "complex128",
}


def raises(exc, match_text, fn, *args, **kwargs):
    """`fn(*args, **kwargs)` raises `exc` whose message contains `match_text` literally; the exception."""
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert match_text in str(info.value), f"{match_text!r} not in {str(info.value)!r}"
    return info.value


# --- scalars and aliases -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alias, canonical", sorted(ALIASES.items()))
def test_alias_is_its_canonical_type(alias, canonical):
    t = getattr(sjt, alias)
    assert isinstance(t, sjt.Scalar)
    assert t.name == canonical
    assert str(t) == repr(t) == canonical
    assert t == sjt.Scalar(canonical) and hash(t) == hash(sjt.Scalar(canonical))
    assert sjt.Scalar(alias) is t
    assert alias in sjt.__all__


def test_canonical_names_are_exactly_numbas():
    assert sorted({getattr(sjt, a).name for a in ALIASES}) == sorted(CANONICAL)
    assert sjt.int64 == sjt.i8 and sjt.int64 is sjt.i8
    assert sjt.float64 != sjt.float32 and sjt.int64 != sjt.uint64 and sjt.boolean != sjt.int8
    assert len({sjt.int64, sjt.i8, sjt.intp, sjt.int_}) == 1


def test_scalar_constructor_refuses_unknown_names():
    raises(ValueError, "'float'", sjt.Scalar, "float")


def test_none_and_void():
    assert sjt.none is sjt.void and sjt.NoneType() is sjt.none
    assert isinstance(sjt.none, sjt.Type)
    assert sjt.none.name == str(sjt.void) == "none"
    assert sjt.none != sjt.int64


def test_types_are_immutable_and_compare_only_to_types():
    with pytest.raises(AttributeError):
        sjt.float64.name = "float32"
    with pytest.raises(AttributeError):
        sjt.float64[:].ndim = 2
    assert sjt.float64 != "float64"
    assert (sjt.float64 == 1) is False


@pytest.mark.parametrize(
    "t", [sjt.float64, sjt.none, sjt.float64[:, ::1], sjt.Array(sjt.b1, 3, "F", readonly=True), sjt.UniTuple(sjt.i4, 3)]
)
def test_types_pickle_and_copy(t):
    assert pickle.loads(pickle.dumps(t)) == t
    assert copy.deepcopy(t) == t
    mixed = sjt.Tuple((sjt.i8, sjt.f8[:]))
    assert pickle.loads(pickle.dumps(mixed)) == mixed
    assert pickle.loads(pickle.dumps(sjt.float64)) is sjt.float64


# --- arrays --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, ndim, layout",
    [
        (lambda: sjt.float64[:], 1, "A"),
        (lambda: sjt.float64[::1], 1, "C"),
        (lambda: sjt.float64[::1,], 1, "C"),
        (lambda: sjt.float64[:, :], 2, "A"),
        (lambda: sjt.float64[:, ::1], 2, "C"),
        (lambda: sjt.float64[::1, :], 2, "F"),
        (lambda: sjt.float64[:, :, :], 3, "A"),
        (lambda: sjt.float64[:, :, ::1], 3, "C"),
        (lambda: sjt.float64[::1, :, :], 3, "F"),
        (lambda: sjt.float64[None:None:None, :], 2, "A"),
    ],
)
def test_slicing_makes_arrays(make, ndim, layout):
    a = make()
    assert isinstance(a, sjt.Array)
    assert (a.dtype, a.ndim, a.layout, a.readonly) == (sjt.float64, ndim, layout, False)
    assert a == sjt.Array(sjt.float64, ndim, layout)
    assert hash(a) == hash(sjt.Array(sjt.f8, ndim, layout))


def test_array_names():
    assert sjt.float64[:, ::1].name == "array(float64, 2d, C)"
    assert str(sjt.int32[:]) == repr(sjt.int32[:]) == "array(int32, 1d, A)"
    assert sjt.Array(sjt.boolean, 3, "F").name == "array(bool, 3d, F)"
    assert sjt.Array(sjt.float64, 2, "C", readonly=True).name == "readonly array(float64, 2d, C)"


def test_array_defaults_and_equality():
    assert sjt.Array(sjt.f8, 2) == sjt.float64[:, :]
    assert sjt.Array(sjt.f8, 2, "C", readonly=True) != sjt.float64[:, ::1]
    assert sjt.Array(sjt.f8, 1, "C") != sjt.Array(sjt.f8, 1, "A")
    assert sjt.Array(sjt.f8, 1) != sjt.Array(sjt.f4, 1)
    assert sjt.Array(sjt.i8, 1) == sjt.Array(sjt.intp, 1)


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda: sjt.float64[1:], "float64[1:]"),
        (lambda: sjt.float64[:3], "float64[:3]"),
        (lambda: sjt.float64[:, 0:2], "float64[:, 0:2]"),
        (lambda: sjt.float64[::2], "float64[::2]"),
        (lambda: sjt.float64[::-1], "float64[::-1]"),
        (lambda: sjt.float64[::1.0], "float64[::1.0]"),
        (lambda: sjt.float64[::True], "float64[::True]"),
        (lambda: sjt.float64[::1, ::1], "float64[::1, ::1]"),
        (lambda: sjt.float64[:, ::1, ::1], "float64[:, ::1, ::1]"),
        (lambda: sjt.float64[:, ::1, :], "float64[:, ::1, :]"),
        (lambda: sjt.float64[3], "float64[3]"),
        (lambda: sjt.float64[:, 3], "float64[:, 3]"),
        (lambda: sjt.float64[..., :], "float64[..., :]"),
        (lambda: sjt.float64["C"], "float64['C']"),
        (lambda: sjt.float64[()], "float64[()]"),
    ],
)
def test_slicing_errors_name_what_was_written(make, text):
    raises(TypeError, text, make)


def test_only_scalars_are_sliced():
    raises(TypeError, "array(float64, 1d, A)[:]", lambda: sjt.float64[:][:])
    raises(TypeError, "none[:]", lambda: sjt.none[:])
    assert sjt.complex128[:] == sjt.Array(sjt.complex128, 1, "A")


def test_array_constructor_errors():
    assert sjt.native(sjt.Array(sjt.complex64, 1)) == ("array", "complex64", 1, "A", False)
    raises(TypeError, "'float64'", sjt.Array, "float64", 1)
    raises(TypeError, "array(float64, 1d, A)", sjt.Array, sjt.float64[:], 1)
    raises(TypeError, "none", sjt.Array, sjt.none, 1)
    raises(ValueError, "ndim=0", sjt.Array, sjt.float64, 0)
    raises(ValueError, "ndim=-1", sjt.Array, sjt.float64, -1)
    raises(ValueError, "ndim=65", sjt.Array, sjt.float64, 65)
    raises(TypeError, "ndim=2.0", sjt.Array, sjt.float64, 2.0)
    raises(TypeError, "ndim=True", sjt.Array, sjt.float64, True)
    raises(ValueError, "layout='K'", sjt.Array, sjt.float64, 2, "K")
    raises(ValueError, "layout='c'", sjt.Array, sjt.float64, 2, "c")
    raises(ValueError, "layout=None", sjt.Array, sjt.float64, 2, None)


# --- tuples --------------------------------------------------------------------------------------------------------


def test_tuples():
    u = sjt.UniTuple(sjt.float64, 3)
    assert isinstance(u, sjt.BaseTuple) and isinstance(u, sjt.Type)
    assert (u.name, u.dtype, u.count, u.types) == ("UniTuple(float64 x 3)", sjt.float64, 3, (sjt.float64,) * 3)
    t = sjt.Tuple((sjt.int64, sjt.float64))
    assert isinstance(t, sjt.Tuple) and isinstance(t, sjt.BaseTuple)
    assert (t.name, t.count, t.types) == ("Tuple(int64, float64)", 2, (sjt.int64, sjt.float64))
    assert sjt.Tuple([sjt.f8, sjt.float64, sjt.double]) == u  # all equal: the UniTuple, as in Numba
    assert isinstance(sjt.Tuple([sjt.f8, sjt.f8]), sjt.UniTuple)
    assert sjt.Tuple(x for x in (sjt.i8, sjt.f8)) == t  # an iterator is read once
    assert sjt.Tuple((sjt.i8, sjt.f8)) != sjt.Tuple((sjt.f8, sjt.i8))
    assert sjt.Tuple(()).name == "Tuple()"
    nested = sjt.Tuple((sjt.float64[:, ::1], sjt.UniTuple(sjt.b1, 2)))
    assert nested.name == "Tuple(array(float64, 2d, C), UniTuple(bool x 2))"
    assert hash(sjt.Tuple((sjt.i8, sjt.i8))) == hash(sjt.UniTuple(sjt.int64, 2))


def test_tuple_errors():
    raises(TypeError, "3 is not a type", sjt.Tuple, (sjt.int64, 3))
    raises(TypeError, "Tuple(int64)", sjt.Tuple, sjt.int64)
    raises(TypeError, "Tuple('int64')", sjt.Tuple, "int64")
    raises(TypeError, "Tuple(5)", sjt.Tuple, 5)
    raises(TypeError, "UniTuple('float64', 2)", sjt.UniTuple, "float64", 2)
    raises(TypeError, "UniTuple(float64, -1)", sjt.UniTuple, sjt.float64, -1)
    raises(TypeError, "UniTuple(float64, 2.0)", sjt.UniTuple, sjt.float64, 2.0)


# --- signatures from type objects ----------------------------------------------------------------------------------


def test_calling_a_type_makes_a_signature():
    s = sjt.float64(sjt.float64[:], sjt.int64)
    assert isinstance(s, sjt.Signature)
    assert s.return_type == sjt.float64
    assert s.args == (sjt.Array(sjt.float64, 1, "A"), sjt.int64)
    assert s == sjt.Signature(return_type=sjt.float64, args=(sjt.Array(sjt.float64, 1, "A"), sjt.int64))
    assert str(s) == "float64(array(float64, 1d, A), int64)"
    assert repr(s) == "Signature('float64(array(float64, 1d, A), int64)')"
    assert hash(s) == hash(sjt.f8(sjt.f8[:], sjt.i8))
    assert s != sjt.float64(sjt.float64[:], sjt.int32)
    assert s != sjt.float32(sjt.float64[:], sjt.int64)
    assert s != "float64(float64[:], int64)"


def test_void_none_array_and_tuple_return_types():
    v = sjt.void(sjt.int32[::1])
    assert v.return_type is sjt.none and v == sjt.none(sjt.int32[::1])
    assert str(v) == "none(array(int32, 1d, C))"
    a = sjt.float64[:, ::1](sjt.float64[:, ::1], sjt.int32)
    assert a.return_type == sjt.Array(sjt.float64, 2, "C")
    assert str(a) == "array(float64, 2d, C)(array(float64, 2d, C), int32)"
    t = sjt.UniTuple(sjt.f8, 2)(sjt.f8)
    assert t.return_type == sjt.UniTuple(sjt.f8, 2) and t.args == (sjt.f8,)
    assert str(sjt.int64()) == "int64()" and sjt.int64().args == ()


def test_argument_only_signatures():
    s = sjt.Signature(None, [sjt.int64, sjt.float64])
    assert s.return_type is None and s.args == (sjt.int64, sjt.float64)
    assert str(s) == "(int64, float64)"
    assert str(sjt.Signature(None, (sjt.int64,))) == "(int64,)"
    assert str(sjt.Signature(None, ())) == "()"
    assert s != sjt.none(sjt.int64, sjt.float64)


def test_signature_errors():
    raises(TypeError, "float64(3)", sjt.float64, 3)
    raises(TypeError, "'float64' is not a type", sjt.float64, "float64")
    raises(TypeError, "keywords", lambda: sjt.float64(x=sjt.int64))
    raises(TypeError, "'int64' is not a type", sjt.Signature, "int64", ())
    raises(TypeError, "2 is not a type", sjt.Signature, None, (sjt.int64, 2))
    s = sjt.int64(sjt.int64)
    with pytest.raises(AttributeError):
        s.args = ()


def test_signature_pickles():
    s = sjt.float64(sjt.float64[:, ::1], sjt.Tuple((sjt.i8, sjt.f4)))
    assert pickle.loads(pickle.dumps(s)) == s
    assert copy.copy(s) == s


# --- parsing -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("float64(float64[:], int64)", sjt.float64(sjt.float64[:], sjt.int64)),
        ("float64(float64[:, ::1], int32)", sjt.float64(sjt.float64[:, ::1], sjt.int32)),
        ("f8(f8[::1, :], i4)", sjt.float64(sjt.float64[::1, :], sjt.int32)),
        ("int64(int64)", sjt.int64(sjt.int64)),
        ("void(float32[:, :, ::1])", sjt.none(sjt.float32[:, :, ::1])),
        ("none(intp)", sjt.none(sjt.int64)),
        ("boolean(bool_, b1, bool)", sjt.boolean(sjt.boolean, sjt.boolean, sjt.boolean)),
        ("types.float64(types.int32, types.float64[::1])", sjt.float64(sjt.int32, sjt.float64[::1])),
        ("float64[:](float64[:])", sjt.float64[:](sjt.float64[:])),
        ("int64(Array(float64, 2, 'C'))", sjt.int64(sjt.float64[:, ::1])),
        ("int64(Array(float64, 2, 'C', readonly=True))", sjt.int64(sjt.Array(sjt.f8, 2, "C", True))),
        ("int64(Array(dtype=float64, ndim=1, layout='F'))", sjt.int64(sjt.Array(sjt.f8, 1, "F"))),
        ("UniTuple(int64, 2)(UniTuple(int64, 2))", sjt.UniTuple(sjt.i8, 2)(sjt.UniTuple(sjt.i8, 2))),
        ("float64(Tuple((int64, float64[:])))", sjt.float64(sjt.Tuple((sjt.i8, sjt.f8[:])))),
        ("float64(Tuple([int64, int64]))", sjt.float64(sjt.UniTuple(sjt.i8, 2))),
        ("  float64(\n  int64)\n", sjt.float64(sjt.int64)),
        ("int64()", sjt.int64()),
        ("uint8(u1, byte, uint8)", sjt.uint8(sjt.uint8, sjt.uint8, sjt.uint8)),
    ],
)
def test_parse_strings(text, expected):
    s = sjt.parse_signature(text)
    assert s == expected
    assert s.return_type == expected.return_type and s.args == expected.args


@pytest.mark.parametrize(
    "text, args",
    [
        ("(int64, float64)", (sjt.int64, sjt.float64)),
        ("int64,", (sjt.int64,)),
        ("(int64,)", (sjt.int64,)),
        ("float64[:], int64", (sjt.float64[:], sjt.int64)),
        ("()", ()),
    ],
)
def test_parse_argument_only_strings(text, args):
    s = sjt.parse_signature(text)
    assert s.return_type is None and s.args == args


def test_argument_only_str_reads_back():
    for s in (sjt.Signature(None, (sjt.int64,)), sjt.Signature(None, (sjt.i8, sjt.f8)), sjt.Signature(None, ())):
        assert sjt.parse_signature(str(s)) == s
    assert sjt.parse_signature(str(sjt.b1(sjt.i8, sjt.f4))) == sjt.b1(sjt.i8, sjt.f4)


def test_parse_type_objects_and_sequences():
    s = sjt.float64(sjt.float64[:], sjt.int64)
    assert sjt.parse_signature(s) is s
    t = sjt.parse_signature((sjt.float64[:], sjt.int64))
    assert t == sjt.Signature(None, (sjt.float64[:], sjt.int64)) and t.return_type is None
    assert sjt.parse_signature([sjt.float64[:], sjt.int64]) == t
    assert sjt.parse_signature(()) == sjt.Signature(None, ())


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("int64", "it names the type int64"),
        ("float64[:]", "it names the type array(float64, 1d, A)"),
        ("int64(", "'int64('"),
        ("int64(int64", "was never closed"),
        ("float64(float64[:], int64))", "unmatched ')'"),
        ("foo(int64)", "'foo'"),
        ("float(int64)", "'float'"),
        ("int64(int)", "'int'"),
        ("numba.float64(int64)", "'numba.float64'"),
        ("types.foo(int64)", "'types.foo'"),
        ("types.parse_signature('int64(int64)')", "'types.parse_signature'"),
        ("int64.__class__", "'int64.__class__'"),
        ("float64[1:](int64)", "float64[1:]"),
        ("float64(float64[:, ::1, :])", "float64[:, ::1, :]"),
        ("int64(Array(float64, 0))", "ndim=0"),
        ("int64(Array(float64, 2, 'K'))", "layout='K'"),
        ("(int64, 3)", "3 is not a type"),
        ("[int64, float64]", "'[int64, float64]' is not a signature"),
        ("3", "'3' is not a signature"),
        ("'int64(int64)'", "is not a signature"),
        ("", "invalid signature ''"),
        ("int64 + int64", "binop"),
        ("[t for t in (int64,)]", "listcomp"),
        ("(lambda: int64)()", "lambda"),
        ("9**9**9**9", "binop"),
        ("float64(3)", "3 is not a type"),
    ],
)
def test_parse_string_errors(text, fragment):
    e = raises(TypeError, fragment, sjt.parse_signature, text)
    assert repr(text) in str(e) or text.strip() in str(e)


def test_string_errors_chain_the_original_exception():
    e = raises(TypeError, "'int64(int64'", sjt.parse_signature, "int64(int64")
    assert isinstance(e.__cause__, SyntaxError)
    e = raises(TypeError, "'int64(Array(float64, 0))'", sjt.parse_signature, "int64(Array(float64, 0))")
    assert isinstance(e.__cause__, ValueError)


def test_eval_has_no_builtins(monkeypatch, capfd):
    called = []
    real_import = builtins.__import__

    def spy(name, *args, **kwargs):
        called.append(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", spy)
    for text in [
        "__import__('os')",
        "__import__('os').system('echo hacked')",
        "open('/etc/passwd')",
        "print(int64)",
        "int64.__class__.__mro__[1].__subclasses__()",
        "().__class__.__base__",
        "__builtins__",
        "types.sys.modules",
        "eval('1')",
    ]:
        raises(TypeError, repr(text), sjt.parse_signature, text)
    monkeypatch.undo()
    assert "os" not in called
    out, err = capfd.readouterr()
    assert "hacked" not in out + err and "int64" not in out


@pytest.mark.parametrize(
    "obj, fragment",
    [
        (sjt.int64, "int64 is not a signature"),
        (sjt.float64[:], "array(float64, 1d, A) is not a signature"),
        (3, "3 is not a signature"),
        (None, "None is not a signature"),
        (b"int64(int64)", "b'int64(int64)' is not a signature"),
        ({"int64": "int64"}, "is not a signature"),
        ((sjt.int64, "float64"), "'float64' is not a type"),
        ([sjt.int64, 2], "2 is not a type"),
    ],
)
def test_parse_signature_refuses_non_signatures(obj, fragment):
    e = raises(TypeError, fragment, sjt.parse_signature, obj)
    assert "float64(float64[:], int64)" in str(e)  # it shows how to write one


# --- lists of signatures -------------------------------------------------------------------------------------------


def test_parse_signatures_single_forms():
    assert sjt.parse_signatures("int64(int64)") == [sjt.int64(sjt.int64)]
    assert sjt.parse_signatures(sjt.f8(sjt.f8)) == [sjt.f8(sjt.f8)]
    assert sjt.parse_signatures((sjt.i8, sjt.f8)) == [sjt.Signature(None, (sjt.i8, sjt.f8))]
    assert sjt.parse_signatures("int64, float64") == [sjt.Signature(None, (sjt.i8, sjt.f8))]


def test_parse_signatures_lists():
    assert sjt.parse_signatures(["int64(int64)", "float64(float64)"]) == [
        sjt.int64(sjt.int64),
        sjt.float64(sjt.float64),
    ]
    mixed = sjt.parse_signatures(["int64(int64)", sjt.f8(sjt.f8[:]), (sjt.f4, sjt.f4), "(int32,)"])
    assert mixed == [
        sjt.int64(sjt.int64),
        sjt.f8(sjt.f8[:]),
        sjt.Signature(None, (sjt.f4, sjt.f4)),
        sjt.Signature(None, (sjt.int32,)),
    ]
    # repeats (spelled with aliases or not) are dropped; the order is kept
    assert sjt.parse_signatures(["float64(float64)", "int64(int64)", "f8(double)"]) == [
        sjt.float64(sjt.float64),
        sjt.int64(sjt.int64),
    ]


def test_a_list_of_types_is_one_argument_only_signature():
    assert sjt.parse_signatures([sjt.int64, sjt.float64[:]]) == [sjt.Signature(None, (sjt.int64, sjt.float64[:]))]
    assert sjt.parse_signatures([sjt.int64]) == [sjt.Signature(None, (sjt.int64,))]


def test_parse_signatures_errors():
    raises(TypeError, "int64 is a type, not a signature", sjt.parse_signatures, [sjt.int64, "int64(int64)"])
    raises(TypeError, "[] is not a list of signatures", sjt.parse_signatures, [])
    raises(TypeError, "'nope(int64)'", sjt.parse_signatures, ["int64(int64)", "nope(int64)"])
    raises(TypeError, "3 is not a signature", sjt.parse_signatures, ["int64(int64)", 3])
    raises(TypeError, "3 is not a signature", sjt.parse_signatures, 3)
    raises(TypeError, "'int64'", sjt.parse_signatures, ["int64"])


# --- descriptors for the native side -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in CANONICAL if not n.startswith("complex")])
def test_native_scalar_is_its_canonical_name(name):
    assert sjt.native(sjt.Scalar(name)) == name


def test_native_descriptors():
    assert sjt.native(sjt.b1) == "bool"
    assert sjt.native(sjt.intp) == "int64"
    assert sjt.native(sjt.none) == "none"
    assert sjt.native(sjt.float64[:, ::1]) == ("array", "float64", 2, "C", False)
    assert sjt.native(sjt.Array(sjt.uint8, 3, "F", readonly=True)) == ("array", "uint8", 3, "F", True)
    assert sjt.native(sjt.UniTuple(sjt.f8, 2)) == ("tuple", ["float64", "float64"])
    assert sjt.native(sjt.Tuple((sjt.i8, sjt.f4[:], sjt.UniTuple(sjt.b1, 1)))) == (
        "tuple",
        ["int64", ("array", "float32", 1, "A", False), ("tuple", ["bool"])],
    )
    assert sjt.native(sjt.Tuple(())) == ("tuple", [])


def test_native_errors():
    assert sjt.native(sjt.complex128) == "complex128"
    assert sjt.native(sjt.c8) == "complex64"
    assert sjt.native(sjt.Tuple((sjt.i8, sjt.c16))) == ("tuple", ["int64", "complex128"])
    raises(TypeError, "'float64' is not a stickyjit type", sjt.native, "float64")
    raises(TypeError, "use native_signature", sjt.native, sjt.f8(sjt.f8))


def test_native_signature():
    assert sjt.native_signature(sjt.float64(sjt.float64[:], sjt.int64)) == (
        [("array", "float64", 1, "A", False), "int64"],
        "float64",
    )
    assert sjt.native_signature("void(float64[:, ::1], UniTuple(int32, 2))") == (
        [("array", "float64", 2, "C", False), ("tuple", ["int32", "int32"])],
        "none",
    )
    assert sjt.native_signature("(int64, boolean)") == (["int64", "bool"], None)
    assert sjt.native_signature((sjt.f4,)) == (["float32"], None)
    assert sjt.native_signature("int64()") == ([], "int64")


@pytest.mark.parametrize(
    "sig",
    [
        "complex128(float64)",
        "float64(complex128)",
        "float64(c16, int64)",
        (sjt.int64, sjt.complex128),
        sjt.float64(sjt.Tuple((sjt.int64, sjt.complex128))),
    ],
)
def test_native_signature_with_complex_names_it(sig):
    args, ret = sjt.native_signature(sig)
    assert "complex128" in repr((args, ret))


def test_native_signature_refuses_non_signatures():
    raises(TypeError, "'int64' is not a signature", sjt.native_signature, "int64")
    raises(TypeError, "3 is not a signature", sjt.native_signature, 3)


def test_eval_itself_runs_without_builtins(monkeypatch):
    # The syntax check refuses unknown names before eval; with it out of the way, eval alone still finds no builtins.
    monkeypatch.setattr(sjt, "_check_syntax", lambda text, tree: None)
    for text in ["__import__('os')", "open('/etc/passwd')", "int64(int)", "len(())"]:
        e = raises(TypeError, repr(text), sjt.parse_signature, text)
        assert isinstance(e.__cause__, NameError)
