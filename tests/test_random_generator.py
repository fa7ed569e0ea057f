"""NumPy's Generator API inside jitted code: ``np.random.default_rng(seed)`` made in compiled code
and a ``numpy.random.Generator`` passed in draw, bit for bit, what NumPy's Generator draws (the
oracle is NumPy itself, on the same seed and arguments); scalar draws in a loop and ``size=``
arrays; a Generator passed in is NumPy's own state, advanced as NumPy would advance it (drawn from
in Python afterwards, it continues the stream), whatever its bit generator; NumPy's exceptions and
messages for bad parameters; CompileErrors for what is not compiled."""

from __future__ import annotations

import json
import linecache
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from stickyjit import CompileError, _native, jit

SEEDS = [0, 1, 42, 12345, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1]

# (method, parameters): every compiled drawing method, each algorithm branch at least once.
CASES = [
    ("random", ()),
    ("standard_normal", ()),
    ("normal", ()),
    ("normal", (1.5, 2.0)),
    ("normal", (-3, 0.0)),
    ("uniform", ()),
    ("uniform", (-2.0, 3.0)),
    ("uniform", (1, 5)),
    ("uniform", (2.0, 2.0)),
    ("integers", (10,)),
    ("integers", (-5, 17)),
    ("integers", (3, 4)),
    ("integers", (0, 2**32 - 1)),
    ("integers", (0, 2**32)),
    ("integers", (0, 2**32 + 1)),
    # Ranges whose Lemire rejection rejects about half the draws (32- and 64-bit).
    ("integers", (0, 2**31 + 1)),
    ("integers", (-(2**62), 2**62 + 1)),
    ("integers", (-(2**40), 2**40)),
    ("integers", (-(2**63), 2**63 - 1)),
    ("exponential", ()),
    ("exponential", (2.5,)),
    ("standard_exponential", ()),
    # Johnk's algorithm (both at most 1), two gammas (either above 1).
    ("beta", (0.5, 0.7)),
    ("beta", (2.0, 3.0)),
    ("beta", (0.3, 5.0)),
    # NaN parameters pass NumPy's checks and give NaN (never a draw loop that does not end).
    ("beta", (1.0, float("nan"))),
    ("gamma", (float("nan"),)),
    # Below 1 (Johnk's rejection), 1 (an exponential), above 1 (Marsaglia and Tsang), 0.
    ("gamma", (0.4,)),
    ("gamma", (1.0, 2.0)),
    ("gamma", (3.5, 2.0)),
    ("gamma", (0.0, 1.0)),
    ("standard_gamma", (0.3,)),
    ("standard_gamma", (7.25,)),
    # The search (p >= 1/3) and the inversion.
    ("geometric", (0.5,)),
    ("geometric", (1.0,)),
    ("geometric", (0.01,)),
    ("geometric", (1e-300,)),
]
INT_RESULTS = {"integers", "geometric"}
_compiled: dict = {}


def define(src, tag):
    """The function `src` defines, compiled by @jit (its source registered for the compiler)."""
    if (src, tag) not in _compiled:
        filename = f"<test_random_generator {tag} {len(_compiled)}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        ns = {"np": np}
        exec(compile(src, filename, "exec"), ns)
        _compiled[(src, tag)] = jit(ns["f"])
    return _compiled[(src, tag)]


def params(args):
    return "".join(f", p{k}" for k in range(len(args)))


def scalar_draws(name, args, made_here):
    """A jitted function: n scalar draws of rng.<name>(*args) into an array, from
    ``np.random.default_rng(s)`` made in compiled code or from the Generator passed as `s`."""
    dtype = ", np.int64" if name in INT_RESULTS else ""
    call = ", ".join(f"p{k}" for k in range(len(args)))
    rng = "np.random.default_rng(s)" if made_here else "s"
    src = (
        f"def f(s, n{params(args)}):\n"
        f"    rng = {rng}\n"
        f"    out = np.empty(n{dtype})\n"
        f"    for i in range(n):\n"
        f"        out[i] = rng.{name}({call})\n"
        f"    return out\n"
    )
    return define(src, f"{name} {made_here}")


def sized_draws(name, args, keyword=True):
    """A jitted function: rng.<name>(*args, size=shape) of the Generator passed in."""
    call = ", ".join([f"p{k}" for k in range(len(args))] + ["size=shape" if keyword else "shape"])
    return define(
        f"def f(rng, shape{params(args)}):\n    return rng.{name}({call})\n", name + ("kw" if keyword else "pos")
    )


def numpy_draws(rng, name, args, n):
    f = getattr(rng, name)
    dtype = np.int64 if name in INT_RESULTS else np.float64
    return np.array([f(*args) for _ in range(n)], dtype=dtype)


def same_state(a, b):
    """Two bit generators' `state` dicts are equal (arrays element by element)."""
    a, b = a.bit_generator.state, b.bit_generator.state

    def eq(x, y):
        if isinstance(x, dict):
            return isinstance(y, dict) and x.keys() == y.keys() and all(eq(x[k], y[k]) for k in x)
        return np.array_equal(x, y)

    return eq(a, b)


def identical(got, want):
    """The same dtype, shape and bytes: floats equal bit for bit."""
    assert isinstance(got, np.ndarray), got
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, want.dtype, want.shape)
    assert got.flags.c_contiguous
    assert got.tobytes() == want.tobytes(), (got, want)


def test_every_compiled_method_is_tested_and_is_numpys():
    methods = set(_native.registry()["generator_methods"])
    assert all(callable(getattr(np.random.Generator, m)) for m in methods)
    assert {name for name, _ in CASES} == methods - {"choice", "shuffle", "permutation"}


def test_a_generator_method_not_compiled_is_a_compile_error_naming_it():
    compiled = _native.registry()["generator_methods"]
    others = [n for n in dir(np.random.Generator) if not n.startswith("_") and n not in compiled]
    for name in others:
        if name == "bit_generator":
            continue
        f = define(f"def f(rng):\n    return rng.{name}(1.0)\n", "not compiled " + name)
        with pytest.raises(
            CompileError, match=f"'Generator.{name}' is not compiled yet; compiled Generator methods: random, "
        ):
            f(np.random.default_rng(0))


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}{a}" for n, a in CASES])
def test_scalar_draws_of_default_rng_in_compiled_code_equal_numpys(name, args):
    # 3000 normals and exponentials reach the ziggurats' rare branches (the tail, the wedges).
    n = 3000 if name in ("standard_normal", "normal", "exponential", "standard_exponential") else 300
    f = scalar_draws(name, args, True)
    for seed in SEEDS:
        identical(f(seed, n, *args), numpy_draws(np.random.default_rng(seed), name, args, n))


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}{a}" for n, a in CASES])
def test_a_generator_passed_in_draws_numpys_stream_and_is_advanced(name, args):
    f = scalar_draws(name, args, False)
    for seed in SEEDS[:4]:
        rng, twin = np.random.default_rng(seed), np.random.default_rng(seed)
        identical(f(rng, 101, *args), numpy_draws(twin, name, args, 101))
        # Python continues the stream compiled code left (the 32-bit buffer too), and so does
        # the next call.
        assert rng.integers(0, 1000, size=3).tolist() == twin.integers(0, 1000, size=3).tolist()
        assert rng.random() == twin.random()
        identical(f(rng, 5, *args), numpy_draws(twin, name, args, 5))
        assert same_state(rng, twin)


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}{a}" for n, a in CASES])
def test_size_arrays_equal_numpys(name, args):
    f = sized_draws(name, args)
    for seed in SEEDS[:3]:
        for shape in [(7, 3), (0, 3), (1, 1), (5, 0), (2, 3, 4)]:
            rng, twin = np.random.default_rng(seed), np.random.default_rng(seed)
            identical(f(rng, shape, *args), getattr(twin, name)(*args, size=shape))
            assert same_state(rng, twin)


# Every parameter given, so that `size` is the next positional argument.
FULL = [("random", ()), ("standard_normal", ()), ("normal", (1.5, 2.0)), ("uniform", (-2.0, 3.0))]
FULL += [("integers", (-5, 17)), ("exponential", (2.5,)), ("standard_exponential", ())]


@pytest.mark.parametrize(("name", "args"), FULL)
def test_size_as_an_int_positional_or_keyword(name, args):
    for keyword in (True, False):
        f = sized_draws(name, args, keyword)
        for n in (0, 1, 9):
            rng, twin = np.random.default_rng(3), np.random.default_rng(3)
            identical(f(rng, n, *args), getattr(twin, name)(*args, size=n))


@pytest.mark.parametrize(
    "bit_generator", [np.random.PCG64, np.random.PCG64DXSM, np.random.MT19937, np.random.Philox, np.random.SFC64]
)
def test_any_bit_generator_passed_in_is_drawn_through(bit_generator):
    @jit
    def f(rng):
        a = rng.standard_normal(5)
        b = rng.integers(0, 7, size=5)
        c = rng.random()
        d = rng.exponential(2.0, 3)
        return a, b, c, d, rng.integers(-(2**40), 2**40)

    rng, twin = np.random.Generator(bit_generator(11)), np.random.Generator(bit_generator(11))
    got = f(rng)
    want = (
        twin.standard_normal(5),
        twin.integers(0, 7, size=5),
        twin.random(),
        twin.exponential(2.0, 3),
        twin.integers(-(2**40), 2**40),
    )
    for g, w in zip(got, want):
        assert np.array_equal(g, w)
    assert same_state(rng, twin)


def test_integers_endpoint_and_keywords():
    @jit
    def f(rng, n):
        out = np.empty((4, n), np.int64)
        for i in range(n):
            out[0, i] = rng.integers(3, 9, endpoint=True)
            out[1, i] = rng.integers(low=0, high=2**32 - 1, endpoint=True)
            out[2, i] = rng.integers(5, dtype=np.int64)
            out[3, i] = rng.integers(-(2**63), 2**63 - 1, endpoint=True)
        return out, rng.integers(1, 2, size=3, endpoint=True)

    rng, twin = np.random.default_rng(8), np.random.default_rng(8)
    got, arr = f(rng, 50)
    want = np.empty((4, 50), np.int64)
    for i in range(50):
        want[0, i] = twin.integers(3, 9, endpoint=True)
        want[1, i] = twin.integers(low=0, high=2**32 - 1, endpoint=True)
        want[2, i] = twin.integers(5, dtype=np.int64)
        want[3, i] = twin.integers(-(2**63), 2**63 - 1, endpoint=True)
    identical(got, want)
    identical(arr, twin.integers(1, 2, size=3, endpoint=True))


def test_seeding_types_and_default_rng_without_a_seed():
    @jit
    def seeded(s):
        return np.random.default_rng(seed=s).random(3)

    for seed in (0, True, np.int64(7), np.uint64(2**64 - 1), 2**63 + 5):
        identical(seeded(seed), np.random.default_rng(seed).random(3))

    @jit
    def unseeded():
        return np.random.default_rng().random(4), np.random.default_rng(None).random(4)

    @jit
    def passed_through(rng):
        return np.random.default_rng(rng).random()

    rng, twin = np.random.default_rng(2), np.random.default_rng(2)
    assert passed_through(rng) == twin.random() and rng.random() == twin.random()

    a, b = unseeded()
    c, _ = unseeded()
    # Fresh OS entropy each time: 4 equal doubles would be a 2**-200 coincidence.
    assert not np.array_equal(a, b) and not np.array_equal(a, c)
    assert ((0 <= a) & (a < 1)).all()


@jit
def draw(rng, n):
    return rng.normal(0.0, 1.0, n)


def test_generators_in_a_loop_a_callee_and_an_expression():
    @jit
    def f(k):
        out = np.empty((k, 3))
        for i in range(k):
            out[i] = draw(np.random.default_rng(i), 3)
        return out, np.random.default_rng(k).integers(100)

    out, last = f(2000)
    for i in (0, 1, 1999):
        identical(out[i], np.random.default_rng(i).normal(0.0, 1.0, 3))
    assert last == np.random.default_rng(2000).integers(100)


def choice_cases():
    a_float = np.linspace(-1.0, 1.0, 12)
    a_int32 = np.arange(30, dtype=np.int32)[::2]
    p = np.arange(12.0) / np.arange(12.0).sum()
    return [
        ("int", 10, {}),
        ("int", 1, {}),
        ("array", a_float, {}),
        ("strided int32", a_int32, {}),
        ("p", a_float, {"p": p}),
        ("p float32", a_float, {"p": p.astype(np.float32)}),
        ("no replace", 10, {"replace": False}),
        ("no replace no shuffle", a_float, {"replace": False, "shuffle": False}),
        ("no replace p", a_float, {"replace": False, "p": p}),
        ("tail shuffle", 20000, {"replace": False}),
        ("floyd large", 20000, {"replace": False, "shuffle": False}),
    ]


@pytest.mark.parametrize(("tag", "a", "kw"), choice_cases(), ids=[c[0] for c in choice_cases()])
def test_choice_equals_numpys(tag, a, kw):
    replace, p, shuffle = kw.get("replace", True), kw.get("p"), kw.get("shuffle", True)
    # `p` is an argument when given (None is not an argument compiled code takes).
    pp, pa = ("p", ", p") if p is not None else ("None", "")
    one = define(
        f"def f(rng, a, replace{pa}, shuffle):\n    return rng.choice(a, None, replace, {pp}, 0, shuffle)\n", "c1"
    )
    many = define(
        f"def f(rng, a, size, replace{pa}, shuffle):\n    return rng.choice(a, size=size, replace=replace, p={pp}, shuffle=shuffle)\n",
        "cn",
    )
    ps = (p,) if p is not None else ()
    for seed in (0, 5):
        rng, twin = np.random.default_rng(seed), np.random.default_rng(seed)
        got = [one(rng, a, replace, *ps, shuffle) for _ in range(3)]
        want = [twin.choice(a, None, replace, p, 0, shuffle) for _ in range(3)]
        assert got == want and [type(g) for g in got] == [type(np.asarray(w).item()) for w in want]
        sizes = [(3,), (2, 2)] if tag in ("int", "tail shuffle", "floyd large", "no replace") else [(3,), (0,)]
        sizes += [(1000,)] if tag in ("tail shuffle", "floyd large") else [(4,)]
        for size in sizes:
            identical(many(rng, a, size, replace, *ps, shuffle), twin.choice(a, size, replace, p, shuffle=shuffle))
        assert same_state(rng, twin)


def test_shuffle_and_permutation_equal_numpys():
    @jit
    def f(rng, x, y, z, n):
        rng.shuffle(x)
        rng.shuffle(y)
        rng.shuffle(z[::2])
        return rng.permutation(n), rng.permutation(x), rng.permutation(y)

    def inputs():
        return np.arange(10.0), np.arange(24, dtype=np.int16).reshape(6, 4), np.arange(9)

    for seed in (0, 3):
        rng, twin = np.random.default_rng(seed), np.random.default_rng(seed)
        x, y, z = inputs()
        got = f(rng, x, y, z, 7)
        wx, wy, wz = inputs()
        twin.shuffle(wx)
        twin.shuffle(wy)
        twin.shuffle(wz[::2])
        want = (twin.permutation(7), twin.permutation(wx), twin.permutation(wy))
        for g, w in zip(got + (x, y, z), want + (wx, wy, wz)):
            identical(np.ascontiguousarray(g), np.ascontiguousarray(w))
        assert same_state(rng, twin)

    @jit
    def empty(rng, x):
        rng.shuffle(x)
        return rng.permutation(x), rng.permutation(-3), rng.random()

    rng, twin = np.random.default_rng(1), np.random.default_rng(1)
    e = np.empty((0, 3))
    got = empty(rng, e)
    identical(got[0], twin.permutation(e))
    identical(got[1], twin.permutation(-3))
    assert got[2] == twin.random()


def numpy_error(call):
    try:
        call()
    except Exception as e:  # noqa: BLE001 -- NumPy's exception, whatever it is, is the oracle
        return type(e), str(e)
    raise AssertionError("NumPy raised nothing")


ERROR_CASES = [
    ("normal", "rng.normal(0.0, -1.0)", lambda g: g.normal(0.0, -1.0)),
    ("normal size", "rng.normal(0.0, -0.0, size=3)", lambda g: g.normal(0.0, -0.0, size=3)),
    ("normal -0.0", "rng.normal(1.0, -0.0)", lambda g: g.normal(1.0, -0.0)),
    ("uniform nan scalar", "rng.uniform(0.0, np.nan)", lambda g: g.uniform(0.0, np.nan)),
    ("exponential", "rng.exponential(-2.0)", lambda g: g.exponential(-2.0)),
    ("exponential size 0", "rng.exponential(-2.0, 0)", lambda g: g.exponential(-2.0, 0)),
    ("uniform reversed", "rng.uniform(3.0, 1.0)", lambda g: g.uniform(3.0, 1.0)),
    ("beta a", "rng.beta(0.0, 1.0)", lambda g: g.beta(0.0, 1.0)),
    ("beta b", "rng.beta(1.0, -2.0, 2)", lambda g: g.beta(1.0, -2.0, 2)),
    ("gamma shape", "rng.gamma(-1.0)", lambda g: g.gamma(-1.0)),
    ("gamma scale", "rng.gamma(1.0, -0.0, size=2)", lambda g: g.gamma(1.0, -0.0, size=2)),
    ("standard_gamma", "rng.standard_gamma(-0.5)", lambda g: g.standard_gamma(-0.5)),
    ("geometric 0", "rng.geometric(0.0)", lambda g: g.geometric(0.0)),
    ("geometric above 1", "rng.geometric(1.5, 3)", lambda g: g.geometric(1.5, 3)),
    ("geometric nan", "rng.geometric(np.nan)", lambda g: g.geometric(np.nan)),
    ("uniform overflow", "rng.uniform(-1e308, 1e308)", lambda g: g.uniform(-1e308, 1e308)),
    ("uniform nan", "rng.uniform(0.0, np.inf, 4)", lambda g: g.uniform(0.0, np.inf, 4)),
    ("integers empty", "rng.integers(5, 5)", lambda g: g.integers(5, 5)),
    ("integers zero", "rng.integers(0)", lambda g: g.integers(0)),
    ("integers negative", "rng.integers(-3, size=2)", lambda g: g.integers(-3, size=2)),
    ("integers endpoint", "rng.integers(5, 4, endpoint=True)", lambda g: g.integers(5, 4, endpoint=True)),
    ("integers endpoint 0", "rng.integers(0, -1, endpoint=True)", lambda g: g.integers(0, -1, endpoint=True)),
    ("choice int 0", "rng.choice(0)", lambda g: g.choice(0)),
    ("choice empty", "rng.choice(np.empty(0), 2)", lambda g: g.choice(np.empty(0), 2)),
    ("choice p size", "rng.choice(3, p=np.ones(2) / 2)", lambda g: g.choice(3, p=np.ones(2) / 2)),
    ("choice p sum", "rng.choice(3, 4, p=np.ones(3) / 4)", lambda g: g.choice(3, 4, p=np.ones(3) / 4)),
    ("choice p nan", "rng.choice(2, p=np.array([0.5, np.nan]))", lambda g: g.choice(2, p=np.array([0.5, np.nan]))),
    ("choice p negative", "rng.choice(2, p=np.array([1.5, -0.5]))", lambda g: g.choice(2, p=np.array([1.5, -0.5]))),
    ("choice too many", "rng.choice(3, 4, replace=False)", lambda g: g.choice(3, 4, replace=False)),
    (
        "choice few nonzero",
        "rng.choice(3, 3, replace=False, p=np.array([0.5, 0.5, 0.0]))",
        lambda g: g.choice(3, 3, replace=False, p=np.array([0.5, 0.5, 0.0])),
    ),
]


@pytest.mark.parametrize(("tag", "src", "call"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_bad_parameters_raise_numpys_exception_and_message(tag, src, call):
    f = define(f"def f(rng):\n    return {src}\n", "error " + tag)
    cls, message = numpy_error(lambda: call(np.random.default_rng(0)))
    with pytest.raises(cls, match=f"^{re.escape(message)}$"):
        f(np.random.default_rng(0))


def test_read_only_shuffle_and_negative_seed_raise_numpys_errors():
    @jit
    def shuffle(rng, x):
        rng.shuffle(x)

    x = np.arange(4.0)
    x.flags.writeable = False
    cls, message = numpy_error(lambda: np.random.default_rng(0).shuffle(x))
    with pytest.raises(cls, match=f"^{re.escape(message)}$"):
        shuffle(np.random.default_rng(0), x)

    @jit
    def seeded(s):
        return np.random.default_rng(s).random()

    cls, message = numpy_error(lambda: np.random.default_rng(-1))
    with pytest.raises(cls, match=f"^{re.escape(message)}$"):
        seeded(-1)


@pytest.mark.parametrize(
    ("src", "why"),
    [
        ("return np.random.default_rng(s)", "returns a numpy.random.Generator"),
        ("return np.random.default_rng(1.5).random()", "takes an int seed"),
        ("return np.random.default_rng(s).normal(size=1.5)", "size that is an int or a tuple of ints"),
        ("return np.random.default_rng(s).integers(1.5)", "takes an int for 'high'"),
        ("return np.random.default_rng(s).integers(1.5, 3)", "takes an int for 'low'"),
        ("return np.random.default_rng(s).integers(5, dtype=np.int32)", "dtype, np.int64, only"),
        ("return np.random.default_rng(s).permutation(np.ones((2, 2)), axis=1)", "axis=0 only"),
        ("return np.random.default_rng(s).random(dtype=np.float32)", "unexpected keyword argument 'dtype'"),
        ("x = 3\n    return x.normal()", "method of a numpy.random.Generator, not of int64"),
    ],
)
def test_what_is_not_compiled_is_a_compile_error(src, why):
    f = define(f"def f(s):\n    {src}\n", "compile error")
    with pytest.raises(CompileError, match=re.escape(why)):
        f(1)


def test_passing_other_objects_is_a_type_error():
    @jit
    def f(rng):
        return rng.random()

    with pytest.raises(TypeError, match="numpy.random.Generator"):
        f(np.random.RandomState(0))
    assert f.signatures == []


def test_signatures_name_the_generator():
    @jit
    def f(rng):
        return rng.random()

    f(np.random.default_rng(0))
    f(np.random.Generator(np.random.MT19937(0)))
    assert f.signatures == [("Generator",)]


def test_many_generators_in_one_call_are_freed_when_it_returns(tmp_path):
    code = (
        "import numpy as np, resource\n"
        "from stickyjit import jit\n"
        "@jit\n"
        "def f(n):\n"
        "    s = 0.0\n"
        "    for i in range(n):\n"
        "        s += np.random.default_rng(i).random()\n"
        "    return s\n"
        "f(10)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "for _ in range(20):\n"
        "    f(50000)\n"
        "grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before\n"
        "print(grown)\n"
    )
    script = tmp_path / "many.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    # 20 calls of 50000 generators (~200 bytes each): about one call's worth, not twenty.
    assert int(out.stdout) < 60_000, out.stdout


def test_generator_code_loaded_from_the_disk_cache_draws_numpys_stream(tmp_path):
    code = (
        "import json, numpy as np, stickyjit\n"
        "from stickyjit import jit\n"
        "@jit\n"
        "def f(rng, s, n):\n"
        "    own = np.random.default_rng(s)\n"
        "    out = np.empty(n)\n"
        "    for i in range(n):\n"
        "        out[i] = rng.standard_normal() + own.normal(1.0, 2.0) + rng.integers(0, 9)\n"
        "    return out, own.choice(5, 3, replace=False)\n"
        "rng = np.random.default_rng(4)\n"
        "got, c = f(rng, 9, 2000)\n"
        "r, own = np.random.default_rng(4), np.random.default_rng(9)\n"
        "want = np.array([r.standard_normal() + own.normal(1.0, 2.0) + r.integers(0, 9) for _ in range(2000)])\n"
        "ok = got.tobytes() == want.tobytes() and c.tolist() == own.choice(5, 3, replace=False).tolist()\n"
        "print(json.dumps({'ok': ok and rng.random() == r.random(), 'stats': stickyjit.stats()}))\n"
    )
    script = tmp_path / "cached.py"
    script.write_text(code)
    env = {**os.environ, "STICKYJIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("STICKYJIT_CACHE", None)
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0, out.stderr
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert runs[0]["ok"] and runs[0]["stats"]["compiles"] == 1
    assert runs[1]["ok"] and runs[1]["stats"]["compiles"] == 0 and runs[1]["stats"]["cache_hits"] == 1
