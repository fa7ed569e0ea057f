"""The `math` functions beyond the C library's basic ones: compiled code gives CPython's bits.

gamma and lgamma are CPython's own Lanczos code (not the C library's), acosh/asinh/atanh/cbrt/
exp2/remainder/nextafter/ldexp/frexp the C library's as CPython calls them, and CPython's
errors (`ValueError("math domain error")`, `OverflowError("math range error")`, isqrt's and the
TypeErrors of a float where an int is taken). Every comparison is bit for bit against
`f.py_func` on the same input (conftest.check).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import bools, check, floats, ints, small_ints
from stickyjit import CompileError, jit


@jit
def m_acosh(x):
    return math.acosh(x)


@jit
def m_asinh(x):
    return math.asinh(x)


@jit
def m_atanh(x):
    return math.atanh(x)


@jit
def m_cbrt(x):
    return math.cbrt(x)


@jit
def m_exp2(x):
    return math.exp2(x)


@jit
def m_degrees(x):
    return math.degrees(x)


@jit
def m_radians(x):
    return math.radians(x)


@jit
def m_gamma(x):
    return math.gamma(x)


@jit
def m_lgamma(x):
    return math.lgamma(x)


@jit
def m_ulp(x):
    return math.ulp(x)


@jit
def m_frexp(x):
    return math.frexp(x)


@jit
def m_modf(x):
    return math.modf(x)


@jit
def m_remainder(x, y):
    return math.remainder(x, y)


@jit
def m_nextafter(x, y):
    return math.nextafter(x, y)


@jit
def m_ldexp(x, n):
    return math.ldexp(x, n)


@jit
def m_gcd2(a, b):
    return math.gcd(a, b)


@jit
def m_gcd3(a, b, c):
    return math.gcd(a, b, c)


@jit
def m_gcd0():
    return math.gcd()


@jit
def m_lcm2(a, b):
    return math.lcm(a, b)


@jit
def m_lcm1(a):
    return math.lcm(a)


@jit
def m_isqrt(n):
    return math.isqrt(n)


ONE_ARGUMENT = [
    m_acosh,
    m_asinh,
    m_atanh,
    m_cbrt,
    m_exp2,
    m_degrees,
    m_radians,
    m_gamma,
    m_lgamma,
    m_ulp,
    m_frexp,
    m_modf,
]

# Where gamma's and lgamma's branches change: the poles, the Lanczos sum's cutoff (5), g - 1/2,
# 140 and 200 (gamma's power split and overflow), the tiny and the huge.
gamma_inputs = st.one_of(
    floats,
    st.floats(min_value=-210.0, max_value=210.0),
    st.floats(min_value=-8.0, max_value=8.0),
    st.integers(-30, 200).map(float),
    st.integers(-60, 60).map(lambda k: k / 2),
    small_ints,
    bools,
)


@pytest.mark.parametrize("f", ONE_ARGUMENT, ids=lambda f: f.__name__)
@given(x=gamma_inputs)
@example(0.0)
@example(-0.0)
@example(1.0)
@example(-1.0)
@example(2.0)
@example(0.5)
@example(-0.5)
@example(5.0)
@example(4.999999999999999)
@example(5.524680040776729)
@example(139.9)
@example(140.5)
@example(171.6)
@example(171.7)
@example(200.5)
@example(-200.5)
@example(-171.5)
@example(1e-21)
@example(-1e-21)
@example(5e-324)
@example(1e300)
@example(-1e300)
@example(1023.9999999999999)
@example(1024.0)
@example(-1100.0)
@example(1.7976931348623157e308)
@example(math.inf)
@example(-math.inf)
@example(math.nan)
@example(3)
@example(-3)
@example(True)
def test_one_argument_functions_are_cpythons(f, x):
    check(f, x)


@pytest.mark.parametrize("f", [m_remainder, m_nextafter], ids=lambda f: f.__name__)
@given(x=st.one_of(floats, small_ints), y=st.one_of(floats, small_ints))
@example(5.0, 0.0)
@example(math.inf, 2.0)
@example(5.0, math.inf)
@example(math.nan, 0.0)
@example(7.5, 2.5)
@example(-0.0, 1.0)
@example(0.0, -0.0)
def test_two_argument_functions_are_cpythons(f, x, y):
    check(f, x, y)


@given(x=st.one_of(floats, small_ints, bools), n=st.one_of(ints, bools))
@example(1.0, 1024)
@example(1.0, 1023)
@example(1.0, -1075)
@example(1.5, 2**40)
@example(-1.5, -(2**40))
@example(0.0, 2**62)
@example(math.inf, -5)
@example(1e-320, 100)
def test_ldexp_is_cpythons(x, n):
    check(m_ldexp, x, n)


# |INT64_MIN| is 2**63, beyond int64 (integers wrap: a documented deviation).
no_min = ints.filter(lambda v: v != -(2**63))


@given(a=no_min, b=no_min, c=st.one_of(small_ints, bools))
@example(0, 0, 0)
@example(-12, 18, 0)
@example(2**62, -(2**62), 6)
def test_gcd_and_lcm_are_cpythons(a, b, c):
    check(m_gcd2, a, b)
    check(m_gcd3, a, b, c)
    check(m_lcm1, a)
    if abs(a * b) < 2**63:
        check(m_lcm2, a, b)


def test_gcd_of_nothing_is_zero():
    assert m_gcd0() == math.gcd() == 0


@given(n=st.one_of(ints, bools))
@example(0)
@example(-1)
@example(2**63 - 1)
@example(2**62)
@example(15)
@example(16)
def test_isqrt_is_cpythons(n):
    check(m_isqrt, n)


def test_errors_are_cpythons():
    for f, x in [
        (m_gamma, 0.0),
        (m_gamma, -2.0),
        (m_gamma, -math.inf),
        (m_gamma, 180.0),
        (m_gamma, 5e-324),
        (m_lgamma, -3.0),
        (m_lgamma, 1e306),
        (m_acosh, 0.5),
        (m_atanh, 1.0),
        (m_exp2, 1024.0),
    ]:
        assert check(f, x) is None, (f.__name__, x)
    assert check(m_remainder, math.inf, 1.0) is None
    assert check(m_ldexp, 1.0, 5000) is None
    assert check(m_isqrt, -4) is None


@jit
def m_gcd_float(x):
    return math.gcd(x, 4)


@jit
def m_ldexp_float(x):
    return math.ldexp(x, 2.0)


def test_a_float_where_an_int_is_taken_is_a_compile_error_with_cpythons_message():
    with pytest.raises(TypeError) as expected:
        math.gcd(1.5, 4)
    with pytest.raises(CompileError, match=str(expected.value)):
        m_gcd_float(1.5)
    with pytest.raises(TypeError) as expected:
        math.ldexp(1.5, 2.0)
    with pytest.raises(CompileError, match=str(expected.value).replace(".", r"\.")):
        m_ldexp_float(1.5)


@jit
def gamma_sum(xs):
    s = 0.0
    for x in xs:
        s += math.lgamma(x) + math.gamma(x / 10.0)
    return s


def test_gamma_in_a_loop_is_cpythons():
    import numpy as np

    xs = np.linspace(0.05, 150.0, 2001)
    check(gamma_sum, xs, py_args=(list(xs),))
