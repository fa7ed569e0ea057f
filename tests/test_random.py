"""np.random's legacy API inside jitted code: after ``np.random.seed(s)`` in compiled code, the
values drawn equal, bit for bit, what NumPy draws after ``np.random.seed(s)`` (the oracle is
NumPy itself, run on the same seed and arguments); scalar draws, ``size=`` arrays and
``rand``/``randn``; the stream continued across calls; compiled code's own per-thread state,
apart from NumPy's; NumPy's exceptions for bad parameters; CompileErrors for calls that are not
compiled."""

from __future__ import annotations

import linecache
import math
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stickyjit import CompileError, _native, jit

SEEDS = st.sampled_from([0, 1, 12345, 2**32 - 1]) | st.integers(0, 2**32 - 1)

# (function, parameters): every compiled np.random function, each algorithm branch at least once.
CASES = [
    ("random", ()),
    ("random_sample", ()),
    ("rand", ()),
    ("randn", ()),
    ("standard_normal", ()),
    ("standard_exponential", ()),
    ("normal", (1.5, 2.0)),
    ("normal", (-3, 0.0)),
    ("uniform", (-2.0, 3.0)),
    ("uniform", (1, 5)),
    ("uniform", (5.0, 1.0)),
    ("randint", (-5, 17)),
    ("randint", (10,)),
    ("randint", (3, 4)),
    ("randint", (0, 2**32)),
    ("randint", (-(2**40), 2**40)),
    ("randint", (-(2**63), 2**63 - 1)),
    ("exponential", (2.5,)),
    ("poisson", (3.0,)),
    ("poisson", (0.0,)),
    ("poisson", (25.0,)),
    ("poisson", (1e6,)),
    ("binomial", (10, 0.3)),
    ("binomial", (5, 0.9)),
    ("binomial", (0, 0.5)),
    ("binomial", (1000, 0.4)),
    ("binomial", (1000, 0.7)),
    ("binomial", (100000, 0.01)),
    ("geometric", (0.1,)),
    ("geometric", (0.5,)),
    ("geometric", (1.0,)),
    ("standard_gamma", (0.5,)),
    ("standard_gamma", (1.0,)),
    ("standard_gamma", (0.0,)),
    ("standard_gamma", (3.5,)),
    ("gamma", (2.0, 1.5)),
    ("gamma", (0.3, 2.0)),
    ("beta", (0.5, 0.7)),
    ("beta", (2.0, 3.0)),
    ("chisquare", (3.0,)),
    ("lognormal", (0.5, 0.25)),
    ("laplace", (1.0, 2.0)),
    ("logistic", (1.0, 2.0)),
    ("gumbel", (1.0, 2.0)),
    ("weibull", (1.5,)),
    ("weibull", (0.0,)),
    ("pareto", (2.0,)),
    ("rayleigh", (2.0,)),
    ("triangular", (0.0, 1.0, 3.0)),
    ("triangular", (-1.0, -1.0, 2.0)),
    ("power", (0.5,)),
    ("power", (3.0,)),
    ("standard_cauchy", ()),
    ("standard_t", (2.5,)),
    ("standard_t", (0.5,)),
    ("f", (3.0, 7.0)),
    ("noncentral_chisquare", (3.0, 2.0)),
    ("noncentral_chisquare", (0.5, 2.0)),
    ("noncentral_chisquare", (3.0, 0.0)),
    ("noncentral_f", (3.0, 7.0, 1.5)),
    ("wald", (1.0, 2.0)),
    ("vonmises", (0.5, 4.0)),
    ("vonmises", (-1.0, 1e-9)),
    ("vonmises", (0.0, 1e-6)),
    ("negative_binomial", (3.0, 0.4)),
    ("negative_binomial", (0.5, 0.9)),
    ("zipf", (2.5,)),
    ("zipf", (1.1,)),
    ("logseries", (0.6,)),
    ("logseries", (0.99,)),
]
INT_RESULTS = {"randint", "poisson", "binomial", "geometric", "negative_binomial", "zipf", "logseries"}
_compiled: dict = {}


def define(src, tag):
    """The function `src` defines, compiled by @jit (its source registered for the compiler)."""
    if (src, tag) not in _compiled:
        filename = f"<test_random {tag} {len(_compiled)}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        ns = {"np": np}
        exec(compile(src, filename, "exec"), ns)
        _compiled[(src, tag)] = (jit(ns["f"]), ns["f"])
    return _compiled[(src, tag)]


def params(args):
    return "".join(f", p{k}" for k in range(len(args)))


def scalar_draws(name, args):
    """A jitted function: seed, then n scalar draws of np.random.<name>(*args) into an array."""
    dtype = ", np.int64" if name in INT_RESULTS else ""
    call = ", ".join(f"p{k}" for k in range(len(args)))
    src = (
        f"def f(s, n{params(args)}):\n"
        f"    np.random.seed(s)\n"
        f"    out = np.empty(n{dtype})\n"
        f"    for i in range(n):\n"
        f"        out[i] = np.random.{name}({call})\n"
        f"    return out\n"
    )
    return define(src, name)[0]


def sized_draws(name, args, keyword=True):
    """A jitted function: seed, then np.random.<name>(*args, size=shape)."""
    call = ", ".join([f"p{k}" for k in range(len(args))] + ["size=shape" if keyword else "shape"])
    if name in ("rand", "randn"):
        call = "shape[0], shape[1]"
    src = f"def f(s, shape{params(args)}):\n    np.random.seed(s)\n    return np.random.{name}({call})\n"
    return define(src, name + ("kw" if keyword else "pos"))[0]


def numpy_draws(seed, name, args, n):
    np.random.seed(seed)
    f = getattr(np.random, name)
    dtype = np.int64 if name in INT_RESULTS else np.float64
    return np.array([f(*args) for _ in range(n)], dtype=dtype)


def identical(got, want):
    """The same dtype, shape and bytes: floats equal bit for bit."""
    assert isinstance(got, np.ndarray), got
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, want.dtype, want.shape)
    assert got.flags.c_contiguous
    assert got.tobytes() == want.tobytes(), (got, want)


def test_every_compiled_function_is_tested():
    # choice, shuffle and permutation take arrays: tests/test_random_choice.py.
    own = {"seed", "choice", "shuffle", "permutation"}
    assert {name for name, _ in CASES} == set(_native.registry()["random_functions"]) - own


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}{a}" for n, a in CASES])
@given(seed=SEEDS)
def test_scalar_draws_equal_numpys_stream(name, args, seed):
    n = 40
    identical(scalar_draws(name, args)(seed, n, *args), numpy_draws(seed, name, args, n))


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}{a}" for n, a in CASES])
@given(seed=SEEDS, shape=st.sampled_from([(7, 3), (0, 3), (1, 1), (5, 0)]))
def test_size_arrays_equal_numpys(name, args, seed, shape):
    np.random.seed(seed)
    if name in ("rand", "randn"):
        want = getattr(np.random, name)(*shape)
    else:
        want = getattr(np.random, name)(*args, size=shape)
    identical(sized_draws(name, args)(seed, shape, *args), want)


@pytest.mark.parametrize(("name", "args"), [c for c in CASES if c[0] not in ("rand", "randn")][::3])
def test_size_as_an_int_positional_or_keyword(name, args):
    for keyword in (True, False):
        f = sized_draws(name, args, keyword)
        for n in (0, 1, 9):
            np.random.seed(3)
            identical(f(3, n, *args), getattr(np.random, name)(*args, size=n))


def test_randint_of_one_bound_and_scalar_types():
    @jit
    def f(s):
        np.random.seed(s)
        return np.random.randint(7), np.random.random(), np.random.poisson(), np.random.rand(), np.random.randn()

    got = f(99)
    np.random.seed(99)
    want = (np.random.randint(7), np.random.random(), np.random.poisson(), np.random.rand(), np.random.randn())
    assert got == want
    assert [type(v) for v in got] == [int, float, int, float, float]


def test_keywords_and_defaults_bind_as_numpy():
    @jit
    def f(s):
        np.random.seed(s)
        a = np.random.normal(scale=3.0)
        b = np.random.uniform(high=2.0, low=1.0)
        c = np.random.gamma(2.0, scale=0.5, size=None)
        d = np.random.randint(low=2, high=9, size=(2, 2))
        e = np.random.exponential(size=3)
        return a, b, c, d, e

    a, b, c, d, e = f(5)
    np.random.seed(5)
    assert (a, b, c) == (
        np.random.normal(scale=3.0),
        np.random.uniform(high=2.0, low=1.0),
        np.random.gamma(2.0, scale=0.5),
    )
    identical(d, np.random.randint(low=2, high=9, size=(2, 2)))
    identical(e, np.random.exponential(size=3))


def test_rand_and_randn_take_dimensions():
    @jit
    def f(s):
        np.random.seed(s)
        return np.random.rand(3), np.random.randn(2, 3, 4), np.random.rand(0, 2)

    got = f(8)
    np.random.seed(8)
    for g, w in zip(got, (np.random.rand(3), np.random.randn(2, 3, 4), np.random.rand(0, 2))):
        identical(g, w)


# ---------------------------------------------------------------------------------------------
# the stream: continued across calls, the gauss cache, separate from NumPy's, per thread


@jit
def _seed(s):
    np.random.seed(s)


@jit
def _normal():
    return np.random.normal()


@jit
def _uniforms(n):
    return np.random.random(n)


@given(seed=SEEDS)
def test_the_stream_continues_across_jitted_calls(seed):
    _seed(seed)
    got = [_normal(), _normal(), _normal()]  # the second is the first's cached partner
    got.extend(_uniforms(5))
    got.append(_normal())
    np.random.seed(seed)
    want = [np.random.normal() for _ in range(3)] + list(np.random.random(5)) + [np.random.normal()]
    assert got == want


def test_seed_clears_the_cached_normal():
    _seed(4)
    _normal()  # leaves its partner cached
    _seed(4)
    np.random.seed(4)
    assert _normal() == np.random.normal()


def test_jitted_state_is_apart_from_numpys():
    np.random.seed(21)
    want = np.random.random(6)
    # Drawing and seeding in Python does not move the compiled stream ...
    _seed(21)
    first = _uniforms(3)
    np.random.seed(0)
    np.random.random(100)
    rest = _uniforms(3)
    assert list(first) + list(rest) == list(want)
    # ... nor the reverse.
    np.random.seed(21)
    a = np.random.random(3)
    _seed(77)
    _uniforms(10)
    assert list(a) + list(np.random.random(3)) == list(want)


def test_each_thread_has_its_own_generator():
    _seed(11)
    mine = [_uniforms(2)]
    theirs = []

    def other():
        _seed(12)
        theirs.append(_uniforms(4))

    t = threading.Thread(target=other)
    t.start()
    t.join()
    mine.append(_uniforms(2))
    np.random.seed(11)
    assert list(np.concatenate(mine)) == list(np.random.random(4))
    np.random.seed(12)
    assert list(theirs[0]) == list(np.random.random(4))


def test_unseeded_code_is_seeded_from_the_os(tmp_path):
    src = (
        "import numpy as np\nfrom stickyjit import jit\n"
        "@jit\ndef f():\n    return np.random.random(4)\n"
        "np.random.seed(0)\nprint(list(f()))\n"
    )
    script = tmp_path / "unseeded.py"
    script.write_text(src)
    outs = [
        subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True).stdout
        for _ in range(2)
    ]
    assert outs[0] != outs[1]
    np.random.seed(0)
    assert str(list(np.random.random(4))) + "\n" not in outs


@jit
def _seed_none():
    np.random.seed()
    return np.random.random()


def test_seed_without_a_value_reseeds_from_the_os():
    assert _seed_none() != _seed_none()


# ---------------------------------------------------------------------------------------------
# NumPy's exceptions for bad parameters


ERROR_CASES = [
    ("normal", (0.0, -1.0)),
    ("normal", (0.0, -0.0)),
    ("lognormal", (0.0, -1.0)),
    ("uniform", (0.0, math.inf)),
    ("uniform", (math.nan, 1.0)),
    ("randint", (5, 5)),
    ("randint", (0,)),
    ("randint", (-3,)),
    ("randint", (6, 2)),
    ("exponential", (-2.0,)),
    ("poisson", (-1.0,)),
    ("poisson", (math.nan,)),
    ("poisson", (1e19,)),
    ("binomial", (10, 1.5)),
    ("binomial", (-1, 0.5)),
    ("geometric", (0.0,)),
    ("geometric", (1.5,)),
    ("standard_gamma", (-1.0,)),
    ("gamma", (1.0, -1.0)),
    ("beta", (0.0, 1.0)),
    ("beta", (1.0, -1.0)),
    ("chisquare", (0.0,)),
    ("laplace", (0.0, -1.0)),
    ("logistic", (0.0, -1.0)),
    ("gumbel", (0.0, -1.0)),
    ("weibull", (-1.0,)),
    ("pareto", (0.0,)),
    ("rayleigh", (-1.0,)),
    ("triangular", (2.0, 1.0, 3.0)),
    ("triangular", (0.0, 4.0, 3.0)),
    ("triangular", (1.0, 1.0, 1.0)),
    ("power", (0.0,)),
    ("standard_t", (0.0,)),
    ("f", (0.0, 1.0)),
    ("f", (1.0, -1.0)),
    ("noncentral_chisquare", (1.0, -1.0)),
    ("noncentral_f", (1.0, 1.0, -1.0)),
    ("wald", (0.0, 1.0)),
    ("wald", (1.0, 0.0)),
    ("vonmises", (0.0, -1.0)),
    ("negative_binomial", (0.0, 0.5)),
    ("negative_binomial", (1.0, 1.5)),
    ("zipf", (1.0,)),
    ("zipf", (math.nan,)),
    ("logseries", (1.0,)),
    ("logseries", (-0.5,)),
]


def numpy_error(f, *args, **kwargs):
    with pytest.raises(Exception) as e:
        f(*args, **kwargs)
    return type(e.value), str(e.value)


@pytest.mark.parametrize(("name", "args"), ERROR_CASES, ids=[f"{n}{a}" for n, a in ERROR_CASES])
def test_bad_parameters_raise_numpys_exception(name, args):
    want = numpy_error(getattr(np.random, name), *args)
    assert want[0] in (ValueError, OverflowError)
    assert numpy_error(scalar_draws(name, args), 0, 1, *args) == want
    assert numpy_error(sized_draws(name, args), 0, (2, 2), *args) == want


@pytest.mark.parametrize("seed", [-1, 2**32, 2**40])
def test_seed_out_of_range(seed):
    assert numpy_error(_seed, seed) == numpy_error(np.random.seed, seed)


def test_randint_of_no_values_checks_nothing_as_numpy():
    f = sized_draws("randint", (5, 5))
    identical(f(0, (0, 4), 5, 5), np.random.randint(5, 5, size=(0, 4)))


# ---------------------------------------------------------------------------------------------
# calls that are not compiled


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("np.random.uniform(1.0, 2.0, 3, 4)", "np.random.uniform() takes at most 3 arguments"),
        ("np.random.normal(np.zeros(3))", "np.random.normal() takes a number"),
        ("np.random.randint(1.5, 3)", "np.random.randint() takes an int for 'low'"),
        ("np.random.binomial(2.0, 0.5)", "np.random.binomial() takes an int for 'n'"),
        ("np.random.beta(1.0)", "np.random.beta() missing required argument 'b'"),
        ("np.random.normal(sigma=1.0)", "np.random.normal() got an unexpected keyword argument 'sigma'"),
        ("np.random.normal(0.0, loc=1.0)", "np.random.normal() got multiple values for argument 'loc'"),
        ("np.random.rand(size=3)", "np.random.rand() takes no keyword arguments"),
        ("np.random.random(size=1.5)", "takes a size that is an int or a tuple of ints"),
        ("np.random.hypergeometric(5, 5, 2)", "'np.random.hypergeometric' is not compiled"),
    ],
)
def test_calls_not_compiled_are_compile_errors_naming_the_call(body, needle):
    src = f"def f():\n    return {body}\n"
    f = define(src, "bad")[0]
    with pytest.raises(CompileError, match=needle.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        f()


def test_numpy_random_module_imported_by_name():
    src = "import numpy.random as npr\n\ndef f(s):\n    npr.seed(s)\n    return npr.normal(2.0, 3.0, 4)\n"
    filename = "<test_random npr>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns: dict = {}
    exec(compile(src, filename, "exec"), ns)
    np.random.seed(6)
    identical(jit(ns["f"])(6), np.random.normal(2.0, 3.0, 4))


@given(
    seed=SEEDS,
    low=st.integers(-(2**63), 2**63 - 1),
    width=st.sampled_from([1, 2, 3, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**40]) | st.integers(1, 2**64 - 1),
)
def test_randint_of_any_int64_range_equals_numpys(seed, low, width):
    high = min(low + width, 2**63 - 1)
    if high <= low:
        return
    n = 20
    identical(scalar_draws("randint", (low, high))(seed, n, low, high), numpy_draws(seed, "randint", (low, high), n))
    np.random.seed(seed)
    identical(sized_draws("randint", (low, high))(seed, n, low, high), np.random.randint(low, high, size=n))


def test_fastmath_draws_the_same_values():
    # The inlined uniform's arithmetic is exact, so fast-math flags cannot change it.
    @jit(fastmath=True)
    def f(s, n):
        np.random.seed(s)
        out = np.empty(n)
        for i in range(n):
            out[i] = np.random.random() + np.random.normal(0.5, 2.0) * 0.0 + np.random.randint(0, 7) * 0.0
        return out

    np.random.seed(31)
    want = np.empty(50)
    for i in range(50):
        want[i] = np.random.random() + np.random.normal(0.5, 2.0) * 0.0 + np.random.randint(0, 7) * 0.0
    identical(f(31, 50), want)


def test_a_failed_size_draw_releases_its_array(tmp_path):
    # Calls raising after their array is made: the process's data size stays flat (the block is
    # freed with the call's others; the failed fill never touches it, so VmRSS would not show a
    # leak, VmData does).
    src = (
        "import numpy as np\nfrom stickyjit import jit\n"
        "@jit\ndef f(n):\n    return np.random.normal(0.0, -1.0, size=n)\n"
        "def rss():\n    return int(open('/proc/self/status').read().split('VmData:')[1].split()[0])\n"
        "for i in range(200):\n    try:\n        f(10000)\n    except ValueError:\n        pass\n"
        "before = rss()\n"
        "for i in range(2000):\n    try:\n        f(10000)\n    except ValueError:\n        pass\n"
        "print(rss() - before)\n"
    )
    script = tmp_path / "leak.py"
    script.write_text(src)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True)
    assert int(out.stdout) < 40_000, out.stdout  # KiB; leaking would be 2000 * 80 KB = 160 MB


def test_functions_imported_from_numpy_random_by_name():
    src = (
        "from numpy.random import normal, randint, seed\nfrom numpy import random\n\n"
        "def f(s):\n    seed(s)\n    return normal(2.0, 3.0), randint(9, size=3), random.uniform(1.0, 2.0, (2,))\n"
    )
    filename = "<test_random from-import>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns: dict = {}
    exec(compile(src, filename, "exec"), ns)
    a, b, c = jit(ns["f"])(6)
    np.random.seed(6)
    assert a == np.random.normal(2.0, 3.0)
    identical(b, np.random.randint(9, size=3))
    identical(c, np.random.uniform(1.0, 2.0, (2,)))


@jit
def aliases(n):
    np.random.seed(3)
    return np.random.ranf(n), np.random.sample(2), np.random.ranf()


def test_ranf_and_sample_are_random_sample():
    got, want = aliases(3), aliases.py_func(3)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert got[2] == want[2]
