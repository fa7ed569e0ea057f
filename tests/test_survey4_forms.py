"""Forms found in pynndescent and stumpy (the survey of their jitted functions): `typeof`,
`numba.typed.List.empty_list` reached through the package, a set's operator methods
(`set(a).intersection(set(b))`), and `argsort`/`sort` with `kind=` and `axis=`; each against
CPython and NumPy on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import stickyjit as nb
from stickyjit import CompileError, njit


@pytest.mark.parametrize(
    "value",
    [
        3,
        2.5,
        True,
        np.float32(1.5),
        np.int16(3),
        np.uint64(7),
        np.zeros(3, np.float32),
        np.zeros((2, 3)),
        np.asfortranarray(np.zeros((2, 3))),
        np.zeros((4, 6))[:, ::2],
        np.arange(3)[::-1],
        (np.int32(-1), np.int32(-1)),
        (1, 2.5),
    ],
    ids=repr,
)
def test_typeof_is_the_type_a_call_compiles_for(value):
    def f(x):
        return 0

    g = njit(f)
    g(value)
    # The specialization the call made (the dispatcher is sticky: one per test run) has exactly
    # the argument type typeof gives.
    assert (shown(nb.typeof(value)),) in g.signatures


def shown(t):
    """A type as the dispatcher's signatures spell it (a tuple as `tuple(int32, int32)`)."""
    if isinstance(t, nb.types.BaseTuple):
        return f"tuple({', '.join(shown(item) for item in t.types)})"
    return str(t)


def test_typeof_of_a_read_only_array_and_of_what_has_no_type():
    a = np.zeros(3)
    a.flags.writeable = False
    assert nb.typeof(a) == nb.types.Array(nb.float64, 1, "C", readonly=True)
    assert nb.typeof((np.int32(1), np.int32(2))) == nb.types.UniTuple(nb.int32, 2)
    with pytest.raises(ValueError, match="cannot determine the stickyjit type of list"):
        nb.typeof([1, 2])


def grow(n):
    out = nb.typed.List.empty_list(nb.types.int32)
    for i in range(n):
        out.append(i * 2)
    return out


def test_typed_list_empty_list_through_the_package():
    assert njit(grow)(4) == grow(4)


def overlap(a, b):
    sa, sb = set(a), set(b)
    return (
        len(sa.intersection(sb)),
        sorted(sa.union(sb)),
        sorted(sa.difference(sb)),
        sorted(sa.symmetric_difference(sb)),
        sa.issubset(sb),
        sa.issuperset(sb),
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [([1, 2, 3], [2, 3, 4]), ([1, 2], [1, 2, 3]), ([5], []), ([], []), ([3, 2, 1], [1, 2])],
)
def test_set_operator_methods_are_cpythons(a, b):
    a, b = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    assert njit(overlap)(a, b) == overlap(a, b)


def test_a_set_method_of_a_non_set_is_a_compile_error():
    def f(a, b):
        return set(a).intersection(b)

    with pytest.raises(CompileError):
        njit(f)(np.arange(3), np.arange(2))


def ranks(a):
    return a.argsort(kind="mergesort"), np.argsort(a, kind="quicksort"), np.sort(a, kind="stable")


def flat(a):
    return np.argsort(a, axis=None), np.sort(a, axis=None), np.argsort(a, axis=-1)


@pytest.mark.parametrize(
    "a",
    [np.array([3.0, 1.0, 2.0, 1.0]), np.array([2, 2, 2, 1]), np.array([np.nan, 1.0, -1.0])],
    ids=repr,
)
def test_sort_kinds_give_numpys_stable_order(a):
    # Stable kinds are NumPy's exactly; a quicksort's order of ties is one NumPy's may give
    # (here the stable one, which NumPy's also gives for these small arrays).
    for got, want in zip(njit(ranks)(a), ranks(a)):
        np.testing.assert_array_equal(got, want)


def test_sort_along_none_flattens_as_numpy():
    a = np.array([[3, 1], [2, 0]])
    for got, want in zip(njit(flat)(a), flat(a)):
        np.testing.assert_array_equal(got, want)


def test_a_sort_kind_numpy_does_not_know_is_its_value_error():
    def f(a):
        return np.argsort(a, kind="bogus")

    with pytest.raises(ValueError) as want:
        f(np.arange(3))
    with pytest.raises(ValueError) as got:
        njit(f)(np.arange(3))
    assert str(got.value) == str(want.value)


def test_list_and_dict_types_are_types():
    t = nb.types.ListType(nb.types.int32)
    assert t == nb.types.ListType(nb.int32) and t != nb.types.ListType(nb.float32)
    assert str(t) == "ListType[int32]"
    assert str(nb.types.DictType(nb.int64, nb.float64)) == "DictType[int64,float64]"
    with pytest.raises(TypeError):
        nb.types.ListType(3)


def merged(ind1, data1, ind2, data2):
    # pynndescent's sparse_sum, shortened: two typed lists built and returned.
    result_ind = nb.typed.List.empty_list(nb.types.int32)
    result_data = nb.typed.List.empty_list(nb.types.float32)
    for i in range(ind1.shape[0]):
        result_ind.append(ind1[i])
        result_data.append(data1[i])
    for i in range(ind2.shape[0]):
        result_ind.append(ind2[i])
        result_data.append(data2[i])
    return result_ind, result_data


def test_a_signature_naming_a_typed_container_is_left_out():
    readonly_i4 = nb.types.Array(nb.types.int32, 1, "C", readonly=True)
    readonly_f4 = nb.types.Array(nb.types.float32, 1, "C", readonly=True)
    sig = nb.types.Tuple((nb.types.ListType(nb.types.int32), nb.types.ListType(nb.types.float32)))(
        readonly_i4, readonly_f4, readonly_i4, readonly_f4
    )
    f = njit([sig], locals={"result_ind": nb.types.ListType(nb.types.int32), "i": nb.int64})(merged)
    assert f.signatures == []  # nothing compiled when decorated: the signature is left out
    args = (
        np.array([1, 3], np.int32),
        np.array([0.5, 1.5], np.float32),
        np.array([2], np.int32),
        np.array([2.5], np.float32),
    )
    got = f(*args)
    want = merged(*args)
    assert [list(x) for x in got] == [list(x) for x in want]
