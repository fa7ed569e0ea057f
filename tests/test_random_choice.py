"""np.random.choice, shuffle and permutation inside jitted code: after ``np.random.seed(s)`` in
compiled code, the values equal NumPy's after ``np.random.seed(s)`` (NumPy itself is the
oracle, on the same seeds, arrays and arguments), for int and array populations, with and
without replacement, with ``p=``, every size form; the stream continued after them; NumPy's
exceptions and messages for bad input."""

from __future__ import annotations

import linecache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickyjit import CompileError, jit

SEEDS = st.sampled_from([0, 1, 12345, 2**32 - 1]) | st.integers(0, 2**32 - 1)
_compiled: dict = {}


def define(src):
    """The function `src` defines, compiled by @jit (its source registered for the compiler)."""
    if src not in _compiled:
        filename = f"<test_random_choice {len(_compiled)}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        ns = {"np": np}
        exec(compile(src, filename, "exec"), ns)
        _compiled[src] = jit(ns["f"])
    return _compiled[src]


def seeded(call, params="a"):
    """A jitted `f(s, <params>)`: seed, then `call`, then one uniform (the stream after it)."""
    return define(f"def f(s, {params}):\n    np.random.seed(s)\n    r = {call}\n    return r, np.random.random()\n")


def numpy_seeded(seed, fn):
    np.random.seed(seed)
    r = fn()
    return r, np.random.random()


def same(got, want):
    """Equal values of the same type; arrays of the same dtype, shape and bytes."""
    (g, gu), (w, wu) = got, want
    assert gu == wu, (gu, wu)
    if isinstance(w, np.ndarray):
        assert isinstance(g, np.ndarray), g
        assert (g.dtype, g.shape) == (w.dtype, w.shape), (g.dtype, g.shape, w.dtype, w.shape)
        assert g.tobytes() == w.tobytes(), (g, w)
    else:
        assert type(g) is type(w.item() if isinstance(w, np.generic) else w), (g, w)
        assert g == w, (g, w)


SHUFFLE = "def f(s, a):\n    np.random.seed(s)\n    np.random.shuffle(a)\n    return 0, np.random.random()\n"


def probabilities(rng_seed, n, zeros=0):
    r = np.random.RandomState(rng_seed).random_sample(n)
    r[:zeros] = 0.0
    return r / r.sum()


SIZES = st.sampled_from([None, 0, 1, 5, (2, 3), (0, 2), ()])


@given(seed=SEEDS, n=st.integers(1, 40) | st.sampled_from([2**31, 2**32 + 5, 2**40]), size=SIZES)
def test_choice_of_an_int_with_replacement(seed, n, size):
    f = seeded("np.random.choice(a, size)", "a, size") if size is not None else seeded("np.random.choice(a)")
    args = (n, size) if size is not None else (n,)
    same(f(seed, *args), numpy_seeded(seed, lambda: np.random.choice(n, size)))


@given(seed=SEEDS, n=st.integers(0, 40), size=SIZES)
def test_choice_of_an_int_without_replacement(seed, n, size):
    f = seeded("np.random.choice(a, size, replace=False)", "a, size")
    g = seeded("np.random.choice(a, replace=False)")
    k = 1 if size is None else int(np.prod(size))
    if k > n:
        return
    if size is None:
        same(g(seed, n), numpy_seeded(seed, lambda: np.random.choice(n, replace=False)))
    else:
        same(f(seed, n, size), numpy_seeded(seed, lambda: np.random.choice(n, size, replace=False)))


ARRAYS = [
    np.arange(10.0) * 1.5,
    np.arange(7, dtype=np.int32) - 3,
    np.array([True, False, True]),
    np.linspace(0, 1, 9, dtype=np.float32)[::2],
    np.arange(20, dtype=np.uint8)[3:17],
]


def choice_call(size, p):
    """A jitted choice of `a` (with `r` as replace), size and p written in or passed."""
    params = ["a", "r"] + (["size"] if size is not None else []) + (["p"] if p is not None else [])
    call = "np.random.choice(a" + (", size" if size is not None else "") + ", replace=r"
    call += ", p=p)" if p is not None else ", p=None)"
    return seeded(call, ", ".join(params)), (lambda *xs: [x for x in xs if x is not None])


@pytest.mark.parametrize("a", ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
@given(seed=SEEDS, size=SIZES, replace=st.booleans(), with_p=st.booleans(), zeros=st.integers(0, 2))
def test_choice_of_an_array_with_and_without_p(a, seed, size, replace, with_p, zeros):
    p = probabilities(seed, len(a), zeros) if with_p else None
    k = 1 if size is None else int(np.prod(size))
    if not replace and k > len(a) - (zeros if with_p else 0):
        return
    f, given_ = choice_call(size, p)
    got = f(seed, a, replace, *given_(size, p))
    same(got, numpy_seeded(seed, lambda: np.random.choice(a, size, replace, p)))


@given(seed=SEEDS, n=st.integers(1, 30), size=st.integers(0, 30), replace=st.booleans())
@settings(max_examples=60)
def test_choice_with_p_of_other_dtypes_and_strides(seed, n, size, replace):
    p64 = probabilities(seed, 2 * n)[::2]
    p64 = p64 / p64.sum()
    p32 = p64.astype(np.float32)
    weights = np.arange(1, n + 1)
    pint = (weights == weights.max()).astype(np.int64)  # one certain outcome: sums to 1
    f = seeded("np.random.choice(a, size, r, p)", "a, size, r, p")
    for p in (p64, p32, pint):
        if not replace and size > np.count_nonzero(p):
            continue
        same(f(seed, n, size, replace, p), numpy_seeded(seed, lambda p=p: np.random.choice(n, size, replace, p)))


@given(seed=SEEDS, shape=st.sampled_from([(0,), (1,), (9,), (5, 3), (4, 0), (3, 2, 2), (6, 4)]))
def test_shuffle_equals_numpys_for_every_shape(seed, shape):
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    f = define(SHUFFLE)
    y = x.copy()
    got = f(seed, y)
    want = numpy_seeded(seed, lambda: np.random.shuffle(x) or 0)
    same(got, want)
    assert y.tobytes() == x.tobytes()


def test_shuffle_of_views_and_dtypes():
    f = define(SHUFFLE)
    for make in (
        lambda: np.arange(24, dtype=np.int16).reshape(4, 6)[:, ::2],
        lambda: np.arange(24.0).reshape(6, 4).T,
        lambda: np.arange(30, dtype=np.int8)[::-3],
        lambda: np.arange(10, dtype=np.float32),
    ):
        x, y = make(), make()
        for seed in (0, 7, 99):
            same(f(seed, y), numpy_seeded(seed, lambda x=x: np.random.shuffle(x) or 0))
            assert y.tobytes() == x.tobytes() and y.dtype == x.dtype


@given(seed=SEEDS, n=st.integers(-3, 50) | st.sampled_from([2**16 + 1]))
def test_permutation_of_an_int(seed, n):
    same(seeded("np.random.permutation(a)")(seed, n), numpy_seeded(seed, lambda: np.random.permutation(n)))


@given(seed=SEEDS, shape=st.sampled_from([(0,), (6,), (5, 3), (2, 0), (3, 2, 4)]))
def test_permutation_of_an_array_copies(seed, shape):
    x = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    before = x.copy()
    f = seeded("np.random.permutation(a)")
    same(f(seed, x), numpy_seeded(seed, lambda: np.random.permutation(x)))
    assert x.tobytes() == before.tobytes()
    same(f(seed, x.T), numpy_seeded(seed, lambda: np.random.permutation(x.T)))


def test_a_loop_of_choices_continues_the_stream():
    @jit
    def f(s, a, p):
        np.random.seed(s)
        out = np.empty(50)
        for i in range(50):
            out[i] = np.random.choice(a, p=p) + np.random.choice(a) + np.random.normal()
        return out

    a = np.arange(5.0) ** 2
    p = probabilities(3, 5)
    np.random.seed(11)
    want = np.array([np.random.choice(a, p=p) + np.random.choice(a) + np.random.normal() for _ in range(50)])
    assert f(11, a, p).tobytes() == want.tobytes()


# ---------------------------------------------------------------------------------------------
# NumPy's exceptions


def numpy_error(f, *args):
    with pytest.raises(Exception) as e:
        f(*args)
    return type(e.value), str(e.value)


ERRORS = [
    (0, None, True, None),
    (-4, 3, True, None),
    (np.zeros(0), 2, True, None),
    (5, 6, False, None),
    (-3, 0, False, None),
    (3, None, True, np.array([0.5, 0.5])),
    (3, None, True, np.array([0.5, np.nan, 0.5])),
    (3, None, True, np.array([0.5, 0.6, -0.1])),
    (3, None, True, np.array([0.5, 0.6, 0.1])),
    (3, None, True, np.array([0.5, 0.5001, 0.0])),
    (3, None, True, np.array([0.5, 0.5005, 0.0], dtype=np.float32)),
    (3, 2, False, np.array([1.0, 0.0, 0.0])),
    (np.arange(3.0), 4, False, None),
]


@pytest.mark.parametrize(("a", "size", "replace", "p"), ERRORS)
def test_bad_choices_raise_numpys_exception(a, size, replace, p):
    f, given_ = choice_call(size, p)
    want = numpy_error(np.random.choice, a, size, replace, p)
    assert numpy_error(f, 0, a, replace, *given_(size, p)) == want


def test_no_samples_from_an_empty_population_are_no_error():
    f, _ = choice_call(0, None)
    for a, size, replace in ((0, 0, True), (-2, (0, 3), True), (0, 0, False), (np.zeros(0), 0, True)):
        same(f(4, a, replace, size), numpy_seeded(4, lambda: np.random.choice(a, size, replace)))


def test_shuffling_a_read_only_array_is_numpys_error_before_any_draw():
    x = np.arange(5.0)
    x.flags.writeable = False
    f = define("def f(s, a):\n    np.random.seed(s)\n    np.random.shuffle(a)\n")
    assert numpy_error(f, 0, x) == numpy_error(np.random.shuffle, x)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("np.random.choice(np.zeros((2, 2)))", "np.random.choice() takes an int or a 1-dimensional array as 'a'"),
        ("np.random.choice(3, p=np.ones((1, 3)))", "np.random.choice() takes None or a 1-dimensional array as 'p'"),
        ("np.random.choice(3, 2, True, None, 1)", "np.random.choice() takes at most 4 arguments"),
        ("np.random.choice(size=3)", "np.random.choice() missing required argument 'a'"),
        ("np.random.shuffle(3)", "np.random.shuffle() takes an array of at least one dimension"),
        ("np.random.permutation(2.5)", "np.random.permutation() takes an int or an array"),
        ("np.random.choice(3, replace=1.5)", "np.random.choice() takes a bool as 'replace'"),
    ],
)
def test_calls_not_compiled_are_compile_errors(body, needle):
    f = define(f"def f():\n    return {body}\n")
    with pytest.raises(CompileError, match=needle.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        f()
