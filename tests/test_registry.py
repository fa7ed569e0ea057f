"""The compiler's registry (jit-core/src/registry.rs, as ``_native.registry()``) and the Python
side agree: every name the registry lists is what Python and NumPy call it and compiles to what
CPython or NumPy computes, and every name ``_support`` treats specially comes from the registry."""

import builtins
import cmath
import linecache
import math

import numpy as np

from stickyjit import _native, _support, jit

REGISTRY = _native.registry(statuses=True)


def outcome(f, *args):
    """('ok', value) or (exception class name, message)."""
    try:
        return "ok", f(*args)
    except Exception as e:  # noqa: BLE001 - the outcome itself is compared
        return type(e).__name__, str(e)


def same(f, *args):
    """Compiles `f`, checks it returns (or raises) what CPython does, and returns the outcome."""
    want = outcome(f, *args)
    got = outcome(jit(f), *args)
    if want[0] == "ok" and isinstance(want[1], np.ndarray):
        assert got[0] == "ok" and got[1].dtype == want[1].dtype and got[1].shape == want[1].shape
    else:
        assert got == want
    return want


def define(src, filename):
    """The function `src` defines, its source registered under `filename` (as a notebook does)."""
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np}
    exec(compile(src, filename, "exec"), ns)
    return ns["f"]


# ---------------------------------------------------------------------------------------------
# the Python side takes its names from the registry


def test_support_names_come_from_the_registry():
    assert _support._BUILTIN_NAMES == REGISTRY["builtins"]
    assert _support._NUMPY_FUNCTIONS == tuple(n for n, _ in REGISTRY["numpy_functions"])
    assert _support._NUMPY_DTYPES == tuple(attr for _, attr, _, _, _ in REGISTRY["dtypes"])


def test_support_classifies_every_registry_name():
    for name in REGISTRY["builtins"]:
        assert hasattr(builtins, name), name
    for name, _ in REGISTRY["numpy_functions"]:
        # Two names of one object (np.absolute is np.abs) resolve to the first.
        first = next(n for n, _ in REGISTRY["numpy_functions"] if getattr(np, n) is getattr(np, name))
        assert _support._numpy_name(getattr(np, name)) == first
    for name, attr, _, _, python in REGISTRY["dtypes"]:
        assert _support._numpy_dtype(getattr(np, attr)) == attr
        value = getattr(np, attr)(1)
        assert _support.classify_scalar(value) == (name, value.item())
        assert type(value.item()).__name__ == python
    assert _support._numpy_name(np.kron) is None
    assert _support._numpy_dtype(np.float16) is None
    assert _support.classify_scalar(np.float16(1)) is None


def test_cmath_names_are_cpythons_whole_module():
    """Every function and constant of CPython's cmath is compiled (tests/test_cmath.py checks
    their values); every name the registry lists is cmath's."""
    public = {n for n in dir(cmath) if not n.startswith("_")}
    functions = {n for n in public if callable(getattr(cmath, n))}
    assert set(REGISTRY["cmath_functions"]) == functions
    assert set(REGISTRY["cmath_constants"]) == public - functions
    src = (
        "import cmath\n\n\ndef f(z):\n    return "
        + ", ".join(f"cmath.{n}" for n in REGISTRY["cmath_constants"])
        + ", "
        + ", ".join(
            f"cmath.{n}(z, 0.5)" if n in ("rect", "isclose") else f"cmath.{n}(z)"
            for n in REGISTRY["cmath_functions"]
            if n != "rect"
        )
        + ", cmath.rect(1.5, 0.5)\n"
    )
    f = define(src, "<registry-cmath>")
    want = f(0.25 + 0.5j)
    got = jit(f)(0.25 + 0.5j)
    assert repr(got) == repr(want)


def test_dtypes_are_numpys():
    for name, attr, kind, size, _ in REGISTRY["dtypes"]:
        d = np.dtype(name)
        assert (d.name, d.kind, d.itemsize) == (name, kind, size)
        assert getattr(np, attr) is d.type


# ---------------------------------------------------------------------------------------------
# every registry name compiles to what CPython or NumPy computes


def _abs(x):
    return abs(x)


def _min(x, y):
    return min(x, y)


def _max(x, y):
    return max(x, y)


def _int(x):
    return int(x)


def _float(x):
    return float(x)


def _bool(x):
    return bool(x)


def _round(x):
    return round(x, 1)


def _range(n):
    s = 0
    for i in range(1, n, 2):
        s += i
    return s


def _len(t):
    return len(t)


def _sum(a):
    return sum(a)


def _complex(x):
    return complex(x, -x)


def _enumerate(n):
    s = 0
    for i, x in enumerate(range(n), 3):
        s += i * x
    return s


def _zip(n):
    s = 0
    for x, y in zip(range(n), range(n, 0, -1)):
        s += x * y
    return s


def _reversed(n):
    s = 0
    for i in reversed(range(n)):
        s = 2 * s + i
    return s


def _list_get(i):
    return [1, 2][i]


def _range_get(i):
    return range(1, 9, 3)[i]


def _list_set(i):
    out = [1, 2]
    out[i] = 3
    return out


def _list_pop(n, i):
    out = [0]
    for _ in range(n):
        out.pop()
    return out.pop(i)


def _sorted(n):
    return sorted([(i * 7) % 5 for i in range(n)])


def _list(n):
    return list(range(n))


def _remove_missing(x):
    out = [1]
    out.remove(x)
    return out


def _min_of_list(n):
    return min([i for i in range(n)])


def _max_of_list(n):
    return max([i for i in range(n)])


def _cabs(z):
    return abs(z)


def _dict(n):
    d = dict()
    for i in range(n):
        d[i % 3] = d.get(i % 3, 0.5) + i
    return d


def _set(n):
    s = set()
    for i in range(n):
        s.add(i % 3)
    return sorted(s)


def _str(x):
    return str(x) + "!"


def _repr(x):
    return repr(x)


def _ord(s):
    return ord(s[0])


def _chr(i):
    return chr(i)


def _iter(n):
    it = iter([i * 2 for i in range(n)])
    next(it)
    return sum([x for x in it])


def _next(n):
    it = iter(range(n))
    return next(it) + next(it, -1) + next(it, -1)


def _pow(x, n):
    return pow(x, n) + pow(n, 2) + pow(2.0, -n)


def _print(x):
    print("x is", x, sep=": ")
    return x


BUILTIN_CASES = {
    "abs": (_abs, -2.5),
    "min": (_min, 3, -1),
    "max": (_max, 3.5, 4),
    "int": (_int, -7.9),
    "float": (_float, 3),
    "bool": (_bool, 0.0),
    "round": (_round, 2.675),
    "range": (_range, 10),
    "len": (_len, (1, 2.0, True)),
    "sum": (_sum, np.array([0.5, 2.0, -1.25])),
    "print": (_print, 1.5),  # its output: tests/test_print.py
    "complex": (_complex, 2.5),
    "enumerate": (_enumerate, 6),
    "zip": (_zip, 6),
    "reversed": (_reversed, 6),
    "sorted": (_sorted, 6),
    "list": (_list, 4),
    "dict": (_dict, 7),
    "set": (_set, 7),
    "str": (_str, 2.5),
    "repr": (_repr, "it's"),
    "ord": (_ord, "é"),
    "chr": (_chr, 9731),
    "iter": (_iter, 5),
    "next": (_next, 1),
    "pow": (_pow, 1.5, 3),
}


def test_every_builtin_compiles_as_cpython_runs_it():
    assert set(BUILTIN_CASES) == set(REGISTRY["builtins"])
    for name, (f, *args) in BUILTIN_CASES.items():
        assert same(f, *args)[0] == "ok", name


def _numpy_case(name, kind):
    """A function calling np.<name> (reached as an attribute of the module), and its arguments."""
    a = np.array([[0.5, -1.5, 2.0], [3.25, 0.0, -0.75]])
    if kind == "scalar" and name == "where":
        src, args = "def f(x):\n    return np.where(x > 0.5, x, -x)\n", (0.7,)
    elif (
        kind == "scalar"
        and name in ("arctan2", "hypot", "minimum", "maximum", "fmin", "fmax", "fmod", "float_power")
        or ("logical_" in name)
    ):
        arg = "x" if name == "logical_not" else "x, 0.25"
        src, args = f"def f(x):\n    return np.{name}({arg})\n", (0.7,)
    elif kind == "scalar":
        src, args = f"def f(x):\n    return np.{name}(x)\n", (0.7,)
    elif kind == "reduce" or kind == "array" and name not in ("reshape", "expand_dims"):
        src, args = f"def f(a):\n    return np.{name}(a)\n", (a,)
    elif kind == "array" and name == "expand_dims":
        src, args = "def f(a):\n    return np.expand_dims(a, 1)\n", (a,)
    elif kind == "array":
        src, args = f"def f(a):\n    return np.{name}(a, (3, 2))\n", (a,)
    elif kind == "operator" and name in ("negative", "positive", "invert"):
        src, args = f"def f(a):\n    return np.{name}(a)\n", ((a * 4).astype(np.int64),)
    elif kind == "operator" and name in ("matmul", "dot"):
        src, args = f"def f(a):\n    return np.{name}(a, a.T * 3 - 1)\n", ((a * 4).astype(np.int64),)
    elif kind == "operator":
        src, args = f"def f(a):\n    return np.{name}(a, a * 0 + 2)\n", ((a * 4).astype(np.int64),)
    elif kind == "iterator":
        index = "idx, v in np.ndenumerate(a)" if name == "ndenumerate" else "idx in np.ndindex(a.shape)"
        src = f"def f(a):\n    s = 0.0\n    for {index}:\n        s = s * 0.5 + a[idx] * (idx[1] + 1)\n    return s\n"
        args = (a,)
    elif name.endswith("_like"):
        fill = ", 2.5" if name.startswith("full") else ""
        src, args = f"def f(a):\n    return np.{name}(a{fill})\n", (a,)
    elif name == "full":
        src, args = "def f(n):\n    return np.full(n, 2.5)\n", (4,)
    elif name == "array":
        src, args = "def f(x):\n    return np.array([[x, 2.0], [3.0, x]])\n", (0.5,)
    elif name == "arange":
        src, args = "def f(n):\n    return np.arange(1, n, 2)\n", (9,)
    else:
        src, args = f"def f(n):\n    return np.{name}(n)\n", (4,)
    return define(src, f"<registry np.{name}>"), args


def test_every_numpy_function_compiles_as_numpy_runs_it():
    kinds = dict(REGISTRY["numpy_functions"])
    assert set(kinds.values()) == {"new", "reduce", "scalar", "array", "operator", "iterator"}
    for name, kind in REGISTRY["numpy_functions"]:
        f, args = _numpy_case(name, kind)
        want = f(*args)
        got = jit(f)(*args)
        assert type(got) is type(want) or np.asarray(got).dtype == np.asarray(want).dtype, name
        if name.startswith("empty"):
            assert (got.shape, got.dtype) == (want.shape, want.dtype), name
        elif kind == "scalar":
            # The C library's float functions and NumPy's own may differ in the last bit.
            np.testing.assert_allclose(got, want, rtol=4e-16, err_msg=name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)


def test_every_array_attribute_and_method_compiles_as_numpy_runs_it():
    a = np.arange(6.0).reshape(2, 3)
    for name in REGISTRY["array_attributes"]:
        f = define(f"def f(a):\n    return a.{name}\n", f"<registry a.{name}>")
        # The parts are read from a complex array (tests/test_complex.py has the rest).
        x = a * (1 - 2j) if name in ("real", "imag") else a
        np.testing.assert_array_equal(jit(f)(x), getattr(x, name), err_msg=name)
    # The methods that need an argument get one NumPy accepts.
    needed = {"reshape": "3, 2", "astype": "np.int8", "dot": "a.T"}
    values = {"reshape": [3, 2], "astype": [np.int8], "dot": [a.T]}
    for name in REGISTRY["array_methods"]:
        arg = needed.get(name, "")
        f = define(f"def f(a):\n    return a.{name}({arg})\n", f"<registry a.{name}()>")
        want = getattr(a, name)(*values.get(name, []))
        np.testing.assert_array_equal(jit(f)(a), want, err_msg=name)


# The arguments each library method is called with here (after the array), NumPy's way.
LIBRARY_METHOD_ARGS = {
    "clip": "1.0, 2.5",
    "repeat": "2",
    "searchsorted": "1.5",
    "fill": "7.0",
    "item": "2",
}


def test_every_library_method_is_in_the_library_and_compiles_as_numpy_runs_it():
    from stickyjit import _numpy_lib

    assert set(REGISTRY["library_methods"]) == set(_numpy_lib.METHODS)
    for name in REGISTRY["library_methods"]:
        arg = LIBRARY_METHOD_ARGS.get(name, "")
        if name in ("sort", "fill"):
            # In place: the array afterwards.
            f = define(f"def f(a):\n    a.{name}({arg})\n    return a\n", f"<registry a.{name}()>")
        else:
            f = define(f"def f(a):\n    return a.{name}({arg})\n", f"<registry a.{name}()>")
        a = np.array([3.0, 0.5, 2.0, -1.0]) if name not in ("trace", "diagonal") else np.arange(9.0).reshape(3, 3)
        if name == "searchsorted":
            a = np.sort(a)
        want, got = f(a.copy()), jit(f)(a.copy())
        if name == "nonzero":
            want, got = want[0], got[0]
        np.testing.assert_array_equal(got, want, err_msg=name)


def _first(a):
    return a[0]


def _zeros_of(attr):
    return define(f"def f(n):\n    return np.zeros(n, dtype=np.{attr})\n", f"<registry dtype {attr}>")


def test_every_dtype_is_read_and_made_as_numpy_does():
    for name, attr, _, _, _ in REGISTRY["dtypes"]:
        a = np.array([1, 0, 1], dtype=name)
        assert jit(_first)(a) == a[0], name
        assert jit(_zeros_of(attr))(3).dtype == np.dtype(name), name
        assert jit(_abs)(getattr(np, attr)(1)) == 1, name


# ---------------------------------------------------------------------------------------------
# every status: the registry's exception and message are CPython's (or NumPy's) for the same code


def _truediv(a, b):
    return a / b


def _floordiv(a, b):
    return a // b


def _mod(a, b):
    return a % b


def _sqrt(x):
    return math.sqrt(x)


def _exp(x):
    return math.exp(x)


def _pow(x, y):
    return x**y


def _shift(x, n):
    return x << n


def _range_step(n, step):
    s = 0
    for i in range(0, n, step):
        s += i
    return s


def _log(x, base):
    return math.log(x, base)


def _index(t, i):
    return t[i]


def _matmul(a, b):
    return a @ b


def _inv(a):
    return np.linalg.inv(a)


def _raise(x):
    if x > 0:
        raise ValueError("boom")
    return x


def _solve(a, b):
    return np.linalg.solve(a, b)


def _store(a):
    a[0] = 1.0
    return 0


def _min_of(a):
    return a.min()


def _max_of(a):
    return a.max()


def _step(a, s):
    return a[::s].sum()


def _zeros(n):
    return np.zeros(n)


def _arange(stop):
    return np.arange(0.0, stop)


def _argmin_of(a):
    return a.argmin()


def _argmax_of(a):
    return np.argmax(a)


def _randint(low, high):
    return np.random.randint(low, high)


def _uniform(low, high):
    return np.random.uniform(low, high)


def _reshape_twice_unknown(a):
    return a.reshape(-1, -1)


def _readonly():
    a = np.zeros(3)
    a.flags.writeable = False
    return a


def _isqrt(n):
    return math.isqrt(n)


def _unbound(c):
    if c:
        x = 1
    return x  # noqa: F821 - unbound when c is false, on purpose


STATUS_CASES = {
    "UnboundLocal": (_unbound, False),
    "IntTrueDivZero": (_truediv, 1, 0),
    "IntFloorDivZero": (_floordiv, 1, 0),
    "IntModZero": (_mod, 1, 0),
    "FloatDivZero": (_truediv, 1.0, 0.0),
    "FloatFloorDivZero": (_floordiv, 1.0, 0.0),
    "FloatModZero": (_mod, 1.0, 0.0),
    "MathDomain": (_sqrt, -1.0),
    "MathRange": (_exp, 1000.0),
    "ZeroToNegativePower": (_pow, 0.0, -1.0),
    "PowOverflow": (_pow, 10.0, 400.0),
    "NegativeShift": (_shift, 1, -1),
    "FloatNanToInt": (_int, float("nan")),
    "FloatInfToInt": (_int, float("inf")),
    "RangeStepZero": (_range_step, 5, 0),
    "LogBaseOne": (_log, 2.0, 1.0),
    "TupleIndexOutOfRange": (_index, (1, 2), 5),
    "ArrayIndexOutOfBounds": (_index, np.arange(3.0), 5),
    # The message names the shapes (`linalg::shapes_message`): compared with NumPy's by `same`.
    "MatmulShapes": (_matmul, np.ones((2, 3)), np.ones((4, 5))),
    "LinAlg": (_inv, np.zeros((2, 2))),
    "Raised": (_raise, 1),
    "LinAlgValue": (_solve, np.eye(3), np.ones(2)),
    "ReadOnlyArray": (_store, _readonly()),
    "EmptyMinimum": (_min_of, np.zeros(0)),
    "EmptyMaximum": (_max_of, np.zeros(0)),
    "SliceStepZero": (_step, np.arange(3.0), 0),
    "NegativeDimensions": (_zeros, -1),
    "ArangeLength": (_arange, float("nan")),
    "ReshapeUnknown": (_reshape_twice_unknown, np.zeros(4)),
    "EmptyArgmin": (_argmin_of, np.zeros(0)),
    "EmptyArgmax": (_argmax_of, np.zeros(0)),
    "RandomValue": (_randint, 5, 5),
    "RandomRange": (_uniform, 0.0, float("inf")),
    "ComplexDivZero": (_truediv, 1j, 0j),
    "ComplexPowZero": (_pow, 0j, -1j),
    "ComplexPowOverflow": (_pow, 1e200 + 1j, 2),
    "ComplexAbsOverflow": (_cabs, complex(1.5e308, 1.5e308)),
    "ListIndex": (_list_get, 2),
    "ListAssignIndex": (_list_set, -3),
    "ListPopEmpty": (_list_pop, 1, 0),
    "ListPopIndex": (_list_pop, 0, 1),
    "ListRemoveMissing": (_remove_missing, 2),
    "MinEmpty": (_min_of_list, 0),
    "MaxEmpty": (_max_of_list, 0),
    "RangeIndex": (_range_get, 3),
    "IsqrtNegative": (_isqrt, -1),
}
# Failures CPython or NumPy do not have, or cannot be made to happen here: compiled code's own
# message (a float too large for int64, int ** negative int typed as int, a negative base to a
# fractional power giving a complex, a value rounded past float range, a full stack, a failed
# allocation, an array or arange larger than memory, shapes that do not broadcast or reshape:
# NumPy's message names the shapes; an optional value read while None: CPython's message names
# the operation).
OWN_MESSAGES = {
    "NoneValue",
    "BroadcastShapes",
    "ReshapeSize",
    "MaskShape",
    "IndexedStoreSize",
    "FloatTooLargeForInt",
    "IntPowNegativeExponent",
    "NegativeToFractionalPower",
    "RoundedTooLarge",
    "RecursionTooDeep",
    "OutOfMemory",
    "ArrayTooBig",
    "ArangeTooBig",
    "AxisOutOfBounds",
}


def test_every_status_is_cpythons_or_listed_as_compiled_codes_own():
    names = {name for _, name, _, _ in REGISTRY["statuses"]}
    assert set(STATUS_CASES) | OWN_MESSAGES == names
    assert not set(STATUS_CASES) & OWN_MESSAGES
    codes = [code for code, _, _, _ in REGISTRY["statuses"]]
    assert codes == list(range(1, len(codes) + 1))
    for code, name, exception, message in REGISTRY["statuses"]:
        cls = {"AxisError": np.exceptions.AxisError, "LinAlgError": np.linalg.LinAlgError}.get(exception)
        cls = cls or getattr(builtins, exception)
        assert issubclass(cls, Exception), name
        if name in STATUS_CASES:
            f, *args = STATUS_CASES[name]
            kind, text = same(f, *args)
            # Raised: the class is the one `raise` named (here ValueError).
            assert kind == exception or (name == "Raised" and kind == "ValueError"), name
            if name == "ArrayIndexOutOfBounds":
                assert message.format(index=5, axis=0, size=3) == text
            elif name == "UnboundLocal":
                assert message.format(name="x") == text
            elif name == "RandomValue":
                # The runtime records NumPy's message for each bad parameter (tests/test_random.py).
                assert message.format(message="low >= high") == text
            elif name not in ("MatmulShapes", "LinAlg", "LinAlgValue", "Raised"):
                assert text == message, name
