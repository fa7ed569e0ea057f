"""`if` conditions the argument types decide (docs/language.md, Statements): only the branch
taken is typed, so each branch may give a variable another type, as Numba's branch pruning."""

import numpy as np
import pytest

import stickyjit
from stickyjit import jit

FROZEN_TRUE = True


def first_or_row(a):
    if a.ndim == 1:
        r = a[0] * 1.0
    elif len(a.shape) == 2 and not (FROZEN_TRUE == 0):
        r = a[0]
    else:
        r = a[0, 0]
    return r


def neither(a):
    if a.ndim == 1:
        return a[0]
    elif a.ndim == 2:
        return a[0, 0]


def shape_branch(a, t):
    if len(t) == 2 or a.ndim > 5:
        x = a.reshape(t)
    else:
        x = a.ravel()
    return x


def runtime_part(a, n):
    # `n > 0` is only known at run time: both branches are typed (and unify).
    if a.ndim == 1 and n > 0:
        r = a[0]
    else:
        r = a[0] + 0.5
    return r


def unbound(a):
    if a.ndim == 2:
        m = 1
    return m


@pytest.mark.parametrize(
    "fn,args",
    [
        (first_or_row, (np.arange(3),)),
        (first_or_row, (np.arange(6.0).reshape(2, 3),)),
        (first_or_row, (np.arange(24).reshape(2, 3, 4),)),
        (neither, (np.arange(3.0),)),
        (neither, (np.ones((2, 2), dtype=np.int32),)),
        (neither, (np.ones((2, 2, 2)),)),
        (shape_branch, (np.arange(6), (2, 3))),
        (shape_branch, (np.arange(6).reshape(2, 3), (6,))),
        (runtime_part, (np.arange(3), 1)),
        (runtime_part, (np.arange(3), -1)),
    ],
)
def test_pruned_branches_agree_with_python(fn, args):
    want = fn(*args)
    got = jit(fn)(*args)
    np.testing.assert_array_equal(got, want)
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape
    else:
        assert not isinstance(got, np.ndarray)


def test_a_local_assigned_only_in_the_branch_left_out_is_unbound_at_run_time():
    f = jit(unbound)
    assert f(np.ones((2, 2))) == 1
    with pytest.raises(UnboundLocalError) as want:
        unbound(np.ones(2))
    with pytest.raises(UnboundLocalError) as got:
        f(np.ones(2))
    assert str(got.value) == str(want.value)


def test_the_branch_left_out_may_hold_code_that_does_not_compile():
    @jit
    def f(a):
        if a.ndim == 1:
            return a.sum()
        else:
            return a.reshape(2, 2, 2, 2)[0, 0, 0, 0, 0]  # too many indices for a 2-D array

    assert f(np.arange(4)) == 6
    with pytest.raises(stickyjit.CompileError):
        f(np.arange(16).reshape(4, 4))


def first_or_corner(a):
    # A conditional expression, and code after an `if` whose branch returns.
    x = a[0] if a.ndim == 1 else a[0, 0]
    if a.ndim == 1:
        return x * 2
    return x + a[1, 1]


@pytest.mark.parametrize("a", [np.arange(3.0), np.arange(4).reshape(2, 2)], ids=["1-D", "2-D"])
def test_conditional_expressions_and_code_after_a_return_are_pruned(a):
    assert jit(first_or_corner)(a) == first_or_corner(a)
