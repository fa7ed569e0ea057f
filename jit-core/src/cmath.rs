//! The run-time side of Python's `cmath` module: a port of CPython's `Modules/cmathmodule.c`
//! (its algorithms, its C99 Annex G special-value tables and its `errno` rules, calling the same
//! C library functions), so compiled `cmath.f(z)` gives CPython's answers and errors bit for bit.

use crate::complex::{py_quot, C64};
use crate::registry::cmath::CmathFn;
use crate::runtime::Status;

/// The C library's real functions CPython's `cmath` calls (called, never Rust's own versions:
/// Rust's `asinh` is not the C library's), and `errno`.
mod c {
    extern "C" {
        pub fn atan2(y: f64, x: f64) -> f64;
        pub fn hypot(x: f64, y: f64) -> f64;
        pub fn log(x: f64) -> f64;
        pub fn log1p(x: f64) -> f64;
        pub fn exp(x: f64) -> f64;
        pub fn sqrt(x: f64) -> f64;
        pub fn sin(x: f64) -> f64;
        pub fn cos(x: f64) -> f64;
        pub fn tan(x: f64) -> f64;
        pub fn sinh(x: f64) -> f64;
        pub fn cosh(x: f64) -> f64;
        pub fn tanh(x: f64) -> f64;
        pub fn asinh(x: f64) -> f64;
        pub fn ldexp(x: f64, e: i32) -> f64;
        pub fn __errno_location() -> *mut i32;
    }
}

/// Safe wrappers of the C library's functions of one double.
macro_rules! libm1 {
    ($($name:ident),*) => {$(
        fn $name(x: f64) -> f64 {
            // SAFETY: a pure function of a double.
            unsafe { c::$name(x) }
        }
    )*};
}
libm1!(log, log1p, exp, sqrt, sin, cos, tan, sinh, cosh, tanh, asinh);

fn atan2(y: f64, x: f64) -> f64 {
    // SAFETY: a pure function of two doubles.
    unsafe { c::atan2(y, x) }
}

fn hypot(x: f64, y: f64) -> f64 {
    // SAFETY: a pure function of two doubles.
    unsafe { c::hypot(x, y) }
}

fn ldexp(x: f64, e: i32) -> f64 {
    // SAFETY: a pure function.
    unsafe { c::ldexp(x, e) }
}

/// This thread's `errno`.
fn errno() -> *mut i32 {
    // SAFETY: glibc's thread-local errno.
    unsafe { c::__errno_location() }
}

const EDOM: i32 = 33;
const ERANGE: i32 = 34;

/// `errno` as CPython's `math_error` reports it: no error, or its status.
fn status_of(e: i32) -> Status {
    match e {
        0 => Status::Ok,
        ERANGE => Status::MathRange,
        _ => Status::MathDomain,
    }
}

const fn z(re: f64, im: f64) -> C64 {
    C64 { re, im }
}

const PI: f64 = std::f64::consts::PI;
const P14: f64 = 0.25 * PI;
const P12: f64 = 0.5 * PI;
const P34: f64 = 0.75 * PI;
const INF: f64 = f64::INFINITY;
const N: f64 = f64::NAN;
/// CPython's placeholder in the tables' finite cells (never read).
const U: f64 = -9.542_631_940_771_103e33;
/// CPython's `M_LN2` and `M_LN10` (the same doubles).
const LN2: f64 = std::f64::consts::LN_2;
const LN10: f64 = std::f64::consts::LN_10;
const E: f64 = std::f64::consts::E;
const LARGE: f64 = f64::MAX / 4.0;
const DBL_MIN: f64 = f64::MIN_POSITIVE;
const MANT_DIG: i32 = 53;
const SCALE_UP: i32 = 2 * (MANT_DIG / 2) + 1;
const SCALE_DOWN: i32 = -(SCALE_UP + 1) / 2;

/// CPython's `CM_SQRT_LARGE_DOUBLE` and `CM_LOG_LARGE_DOUBLE` (`sqrt` and `log` of
/// `DBL_MAX/4`, which it computes at each use; the test below checks these are the C library's).
const SQRT_LARGE: f64 = 6.703_903_964_971_298e153;
const LOG_LARGE: f64 = 708.396_418_532_264_1;
/// CPython's `CM_SQRT_DBL_MIN`.
const SQRT_DBL_MIN: f64 = 1.491_668_146_240_041_3e-154;

/// CPython's `special_type`: the row/column of a double in the special-value tables.
fn special_type(d: f64) -> usize {
    if d.is_finite() {
        match (d != 0.0, d.is_sign_positive()) {
            (true, true) => 4,
            (true, false) => 1,
            (false, true) => 3,
            (false, false) => 2,
        }
    } else if d.is_nan() {
        6
    } else if d > 0.0 {
        5
    } else {
        0
    }
}

type Table = [[C64; 7]; 7];

fn special(t: &Table, v: C64) -> C64 {
    t[special_type(v.re)][special_type(v.im)]
}

fn finite(v: C64) -> bool {
    v.re.is_finite() && v.im.is_finite()
}

macro_rules! table {
    ($([$($re:expr, $im:expr);*]),*) => { [$([$(z($re, $im)),*]),*] };
}

#[rustfmt::skip]
static ACOS: Table = table!(
    [P34,INF; PI,INF; PI,INF; PI,-INF; PI,-INF; P34,-INF; N,INF],
    [P12,INF; U,U; U,U; U,U; U,U; P12,-INF; N,N],
    [P12,INF; U,U; P12,0.; P12,-0.; U,U; P12,-INF; P12,N],
    [P12,INF; U,U; P12,0.; P12,-0.; U,U; P12,-INF; P12,N],
    [P12,INF; U,U; U,U; U,U; U,U; P12,-INF; N,N],
    [P14,INF; 0.,INF; 0.,INF; 0.,-INF; 0.,-INF; P14,-INF; N,INF],
    [N,INF; N,N; N,N; N,N; N,N; N,-INF; N,N]
);
/// CPython 3.11 to 3.13's (3.14 made `acosh(±0 + nanj)` `nan + pi/2 j`).
#[rustfmt::skip]
static ACOSH: Table = table!(
    [INF,-P34; INF,-PI; INF,-PI; INF,PI; INF,PI; INF,P34; INF,N],
    [INF,-P12; U,U; U,U; U,U; U,U; INF,P12; N,N],
    [INF,-P12; U,U; 0.,-P12; 0.,P12; U,U; INF,P12; N,N],
    [INF,-P12; U,U; 0.,-P12; 0.,P12; U,U; INF,P12; N,N],
    [INF,-P12; U,U; U,U; U,U; U,U; INF,P12; N,N],
    [INF,-P14; INF,-0.; INF,-0.; INF,0.; INF,0.; INF,P14; INF,N],
    [INF,N; N,N; N,N; N,N; N,N; INF,N; N,N]
);
#[rustfmt::skip]
static ASINH: Table = table!(
    [-INF,-P14; -INF,-0.; -INF,-0.; -INF,0.; -INF,0.; -INF,P14; -INF,N],
    [-INF,-P12; U,U; U,U; U,U; U,U; -INF,P12; N,N],
    [-INF,-P12; U,U; -0.,-0.; -0.,0.; U,U; -INF,P12; N,N],
    [INF,-P12; U,U; 0.,-0.; 0.,0.; U,U; INF,P12; N,N],
    [INF,-P12; U,U; U,U; U,U; U,U; INF,P12; N,N],
    [INF,-P14; INF,-0.; INF,-0.; INF,0.; INF,0.; INF,P14; INF,N],
    [INF,N; N,N; N,-0.; N,0.; N,N; INF,N; N,N]
);
#[rustfmt::skip]
static ATANH: Table = table!(
    [-0.,-P12; -0.,-P12; -0.,-P12; -0.,P12; -0.,P12; -0.,P12; -0.,N],
    [-0.,-P12; U,U; U,U; U,U; U,U; -0.,P12; N,N],
    [-0.,-P12; U,U; -0.,-0.; -0.,0.; U,U; -0.,P12; -0.,N],
    [0.,-P12; U,U; 0.,-0.; 0.,0.; U,U; 0.,P12; 0.,N],
    [0.,-P12; U,U; U,U; U,U; U,U; 0.,P12; N,N],
    [0.,-P12; 0.,-P12; 0.,-P12; 0.,P12; 0.,P12; 0.,P12; 0.,N],
    [0.,-P12; N,N; N,N; N,N; N,N; 0.,P12; N,N]
);
#[rustfmt::skip]
static COSH: Table = table!(
    [INF,N; U,U; INF,0.; INF,-0.; U,U; INF,N; INF,N],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [N,0.; U,U; 1.,0.; 1.,-0.; U,U; N,0.; N,0.],
    [N,0.; U,U; 1.,-0.; 1.,0.; U,U; N,0.; N,0.],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [INF,N; U,U; INF,-0.; INF,0.; U,U; INF,N; INF,N],
    [N,N; N,N; N,0.; N,0.; N,N; N,N; N,N]
);
#[rustfmt::skip]
static EXP: Table = table!(
    [0.,0.; U,U; 0.,-0.; 0.,0.; U,U; 0.,0.; 0.,0.],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [N,N; U,U; 1.,-0.; 1.,0.; U,U; N,N; N,N],
    [N,N; U,U; 1.,-0.; 1.,0.; U,U; N,N; N,N],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [INF,N; U,U; INF,-0.; INF,0.; U,U; INF,N; INF,N],
    [N,N; N,N; N,-0.; N,0.; N,N; N,N; N,N]
);
#[rustfmt::skip]
static LOG: Table = table!(
    [INF,-P34; INF,-PI; INF,-PI; INF,PI; INF,PI; INF,P34; INF,N],
    [INF,-P12; U,U; U,U; U,U; U,U; INF,P12; N,N],
    [INF,-P12; U,U; -INF,-PI; -INF,PI; U,U; INF,P12; N,N],
    [INF,-P12; U,U; -INF,-0.; -INF,0.; U,U; INF,P12; N,N],
    [INF,-P12; U,U; U,U; U,U; U,U; INF,P12; N,N],
    [INF,-P14; INF,-0.; INF,-0.; INF,0.; INF,0.; INF,P14; INF,N],
    [INF,N; N,N; N,N; N,N; N,N; INF,N; N,N]
);
#[rustfmt::skip]
static SINH: Table = table!(
    [INF,N; U,U; -INF,-0.; -INF,0.; U,U; INF,N; INF,N],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [0.,N; U,U; -0.,-0.; -0.,0.; U,U; 0.,N; 0.,N],
    [0.,N; U,U; 0.,-0.; 0.,0.; U,U; 0.,N; 0.,N],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [INF,N; U,U; INF,-0.; INF,0.; U,U; INF,N; INF,N],
    [N,N; N,N; N,-0.; N,0.; N,N; N,N; N,N]
);
#[rustfmt::skip]
static SQRT: Table = table!(
    [INF,-INF; 0.,-INF; 0.,-INF; 0.,INF; 0.,INF; INF,INF; N,INF],
    [INF,-INF; U,U; U,U; U,U; U,U; INF,INF; N,N],
    [INF,-INF; U,U; 0.,-0.; 0.,0.; U,U; INF,INF; N,N],
    [INF,-INF; U,U; 0.,-0.; 0.,0.; U,U; INF,INF; N,N],
    [INF,-INF; U,U; U,U; U,U; U,U; INF,INF; N,N],
    [INF,-INF; INF,-0.; INF,-0.; INF,0.; INF,0.; INF,INF; INF,N],
    [INF,-INF; N,N; N,N; N,N; N,N; INF,INF; N,N]
);
/// CPython 3.11 to 3.13's (3.14 made `tanh(±0 + nanj)` `±0 + nanj`).
#[rustfmt::skip]
static TANH: Table = table!(
    [-1.,0.; U,U; -1.,-0.; -1.,0.; U,U; -1.,0.; -1.,0.],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [N,N; U,U; -0.,-0.; -0.,0.; U,U; N,N; N,N],
    [N,N; U,U; 0.,-0.; 0.,0.; U,U; N,N; N,N],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [1.,0.; U,U; 1.,-0.; 1.,0.; U,U; 1.,0.; 1.,0.],
    [N,N; N,N; N,-0.; N,0.; N,N; N,N; N,N]
);
#[rustfmt::skip]
static RECT: Table = table!(
    [INF,N; U,U; -INF,0.; -INF,-0.; U,U; INF,N; INF,N],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [0.,0.; U,U; -0.,0.; -0.,-0.; U,U; 0.,0.; 0.,0.],
    [0.,0.; U,U; 0.,-0.; 0.,0.; U,U; 0.,0.; 0.,0.],
    [N,N; U,U; U,U; U,U; U,U; N,N; N,N],
    [INF,N; U,U; INF,-0.; INF,0.; U,U; INF,N; INF,N],
    [N,N; N,N; N,0.; N,0.; N,N; N,N; N,N]
);

/// A result and the `errno` CPython's function leaves.
type Out = (C64, i32);

fn neg(v: C64) -> C64 {
    z(-v.re, -v.im)
}

/// `cmath.sqrt` (never an error).
fn c_sqrt(v: C64) -> C64 {
    if !finite(v) {
        return special(&SQRT, v);
    }
    if v.re == 0.0 && v.im == 0.0 {
        return z(0.0, v.im);
    }
    let (mut ax, ay) = (v.re.abs(), v.im.abs());
    let s = if ax < DBL_MIN && ay < DBL_MIN {
        // hypot(ax, ay) may be subnormal: scale up first.
        ax = ldexp(ax, SCALE_UP);
        ldexp(sqrt(ax + hypot(ax, ldexp(ay, SCALE_UP))), SCALE_DOWN)
    } else {
        ax /= 8.0;
        2.0 * sqrt(ax + hypot(ax, ay / 8.0))
    };
    let d = ay / (2.0 * s);
    if v.re >= 0.0 {
        z(s, d.copysign(v.im))
    } else {
        z(d, s.copysign(v.im))
    }
}

fn c_acos(v: C64) -> Out {
    if !finite(v) {
        return (special(&ACOS, v), 0);
    }
    let r = if v.re.abs() > LARGE || v.im.abs() > LARGE {
        z(atan2(v.im.abs(), v.re), -(log(hypot(v.re / 2.0, v.im / 2.0)) + LN2 * 2.0).copysign(v.im))
    } else {
        let s1 = c_sqrt(z(1.0 - v.re, -v.im));
        let s2 = c_sqrt(z(1.0 + v.re, v.im));
        z(2.0 * atan2(s1.re, s2.re), asinh(s2.re * s1.im - s2.im * s1.re))
    };
    (r, 0)
}

fn c_acosh(v: C64) -> Out {
    if !finite(v) {
        return (special(&ACOSH, v), 0);
    }
    let r = if v.re.abs() > LARGE || v.im.abs() > LARGE {
        z(log(hypot(v.re / 2.0, v.im / 2.0)) + LN2 * 2.0, atan2(v.im, v.re))
    } else {
        let s1 = c_sqrt(z(v.re - 1.0, v.im));
        let s2 = c_sqrt(z(v.re + 1.0, v.im));
        z(asinh(s1.re * s2.re + s1.im * s2.im), 2.0 * atan2(s1.im, s2.re))
    };
    (r, 0)
}

fn c_asinh(v: C64) -> Out {
    if !finite(v) {
        return (special(&ASINH, v), 0);
    }
    let r = if v.re.abs() > LARGE || v.im.abs() > LARGE {
        let l = log(hypot(v.re / 2.0, v.im / 2.0)) + LN2 * 2.0;
        let re = if v.im >= 0.0 { l.copysign(v.re) } else { -l.copysign(-v.re) };
        z(re, atan2(v.im, v.re.abs()))
    } else {
        let s1 = c_sqrt(z(1.0 + v.im, -v.re));
        let s2 = c_sqrt(z(1.0 - v.im, v.re));
        z(asinh(s1.re * s2.im - s2.re * s1.im), atan2(v.im, s1.re * s2.re - s1.im * s2.im))
    };
    (r, 0)
}

fn c_atanh(v: C64) -> Out {
    if !finite(v) {
        return (special(&ATANH, v), 0);
    }
    if v.re < 0.0 {
        let (r, e) = c_atanh(neg(v));
        return (neg(r), e);
    }
    let ay = v.im.abs();
    if v.re > SQRT_LARGE || ay > SQRT_LARGE {
        // |z| large: atanh(z) ~ 1/z +- i pi/2.
        let h = hypot(v.re / 2.0, v.im / 2.0);
        (z(v.re / 4.0 / h / h, (PI / 2.0).copysign(v.im)), 0)
    } else if v.re == 1.0 && ay < SQRT_DBL_MIN {
        if ay == 0.0 {
            (z(INF, v.im), EDOM)
        } else {
            (z(-log(sqrt(ay) / sqrt(hypot(ay, 2.0))), (atan2(2.0, -ay) / 2.0).copysign(v.im)), 0)
        }
    } else {
        let re = log1p(4.0 * v.re / ((1.0 - v.re) * (1.0 - v.re) + ay * ay)) / 4.0;
        let im = -atan2(-2.0 * v.im, (1.0 - v.re) * (1.0 + v.re) - ay * ay) / 2.0;
        (z(re, im), 0)
    }
}

/// The result of `f(inf + iy)` for finite nonzero `y` shared by exp, cosh and sinh: infinities
/// (or zeros) signed by `cos(y)` and `sin(y)`.
fn signed_by_trig(y: f64, mag: f64, re_sign: f64, im_sign: f64) -> C64 {
    z(re_sign * mag.copysign(cos(y)), im_sign * mag.copysign(sin(y)))
}

fn c_cosh(v: C64) -> Out {
    if !finite(v) {
        let r = if v.re.is_infinite() && v.im.is_finite() && v.im != 0.0 {
            signed_by_trig(v.im, INF, 1.0, if v.re > 0.0 { 1.0 } else { -1.0 })
        } else {
            special(&COSH, v)
        };
        let e = if v.im.is_infinite() && !v.re.is_nan() { EDOM } else { 0 };
        return (r, e);
    }
    let r = if v.re.abs() > LOG_LARGE {
        // cosh(x) may overflow where cosh(z) does not.
        let xm1 = v.re - 1.0f64.copysign(v.re);
        z(cos(v.im) * cosh(xm1) * E, sin(v.im) * sinh(xm1) * E)
    } else {
        z(cos(v.im) * cosh(v.re), sin(v.im) * sinh(v.re))
    };
    (r, if r.re.is_infinite() || r.im.is_infinite() { ERANGE } else { 0 })
}

fn c_sinh(v: C64) -> Out {
    if !finite(v) {
        let r = if v.re.is_infinite() && v.im.is_finite() && v.im != 0.0 {
            signed_by_trig(v.im, INF, if v.re > 0.0 { 1.0 } else { -1.0 }, 1.0)
        } else {
            special(&SINH, v)
        };
        let e = if v.im.is_infinite() && !v.re.is_nan() { EDOM } else { 0 };
        return (r, e);
    }
    let r = if v.re.abs() > LOG_LARGE {
        let xm1 = v.re - 1.0f64.copysign(v.re);
        z(cos(v.im) * sinh(xm1) * E, sin(v.im) * cosh(xm1) * E)
    } else {
        z(cos(v.im) * sinh(v.re), sin(v.im) * cosh(v.re))
    };
    (r, if r.re.is_infinite() || r.im.is_infinite() { ERANGE } else { 0 })
}

fn c_exp(v: C64) -> Out {
    if !finite(v) {
        let r = if v.re.is_infinite() && v.im.is_finite() && v.im != 0.0 {
            signed_by_trig(v.im, if v.re > 0.0 { INF } else { 0.0 }, 1.0, 1.0)
        } else {
            special(&EXP, v)
        };
        let e = if v.im.is_infinite() && (v.re.is_finite() || (v.re.is_infinite() && v.re > 0.0)) { EDOM } else { 0 };
        return (r, e);
    }
    let r = if v.re > LOG_LARGE {
        let l = exp(v.re - 1.0);
        z(l * cos(v.im) * E, l * sin(v.im) * E)
    } else {
        let l = exp(v.re);
        z(l * cos(v.im), l * sin(v.im))
    };
    (r, if r.re.is_infinite() || r.im.is_infinite() { ERANGE } else { 0 })
}

fn c_tanh(v: C64) -> Out {
    if !finite(v) {
        let r = if v.re.is_infinite() && v.im.is_finite() && v.im != 0.0 {
            z(if v.re > 0.0 { 1.0 } else { -1.0 }, 0.0f64.copysign(2.0 * sin(v.im) * cos(v.im)))
        } else {
            special(&TANH, v)
        };
        let e = if v.im.is_infinite() && v.re.is_finite() { EDOM } else { 0 };
        return (r, e);
    }
    let r = if v.re.abs() > LOG_LARGE {
        z(1.0f64.copysign(v.re), 4.0 * sin(v.im) * cos(v.im) * exp(-2.0 * v.re.abs()))
    } else {
        let tx = tanh(v.re);
        let ty = tan(v.im);
        let cx = 1.0 / cosh(v.re);
        let txty = tx * ty;
        let denom = 1.0 + txty * txty;
        z(tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx)
    };
    (r, 0)
}

/// CPython's `c_log`.
fn c_log(v: C64) -> Out {
    if !finite(v) {
        return (special(&LOG, v), 0);
    }
    let (ax, ay) = (v.re.abs(), v.im.abs());
    let re = if ax > LARGE || ay > LARGE {
        log(hypot(ax / 2.0, ay / 2.0)) + LN2
    } else if ax < DBL_MIN && ay < DBL_MIN {
        if ax > 0.0 || ay > 0.0 {
            // hypot(ax, ay) may be subnormal: scale up first.
            log(hypot(ldexp(ax, MANT_DIG), ldexp(ay, MANT_DIG))) - MANT_DIG as f64 * LN2
        } else {
            return (z(-INF, atan2(v.im, v.re)), EDOM);
        }
    } else {
        let h = hypot(ax, ay);
        if (0.71..=1.73).contains(&h) {
            let (am, an) = if ax > ay { (ax, ay) } else { (ay, ax) };
            log1p((am - 1.0) * (am + 1.0) + an * an) / 2.0
        } else {
            log(h)
        }
    };
    (z(re, atan2(v.im, v.re)), 0)
}

/// `f(iz)` turned back (`r = -i f(iz)`): asin, atan, sin and tan from their hyperbolic twins.
fn rotated(f: fn(C64) -> Out, v: C64) -> Out {
    let (s, e) = f(z(-v.im, v.re));
    (z(s.im, -s.re), e)
}

/// CPython's `_Py_c_abs` (`errno` ERANGE where the modulus overflows; a NaN leaves it).
fn c_abs(v: C64, errno: &mut i32) -> f64 {
    if !finite(v) {
        if v.re.is_infinite() {
            *errno = 0;
            return v.re.abs();
        }
        if v.im.is_infinite() {
            *errno = 0;
            return v.im.abs();
        }
        return f64::NAN;
    }
    let r = hypot(v.re, v.im);
    *errno = if r.is_finite() { 0 } else { ERANGE };
    r
}

/// `atan2(y, x)` and the `errno` the C library leaves (glibc's is ERANGE where it underflows).
fn atan2_errno(y: f64, x: f64) -> (f64, i32) {
    let loc = errno();
    // SAFETY: this thread's errno.
    unsafe {
        *loc = 0;
        let r = atan2(y, x);
        (r, *loc)
    }
}

fn c_rect(r: f64, phi: f64) -> Out {
    if !r.is_finite() || !phi.is_finite() {
        let v = if r.is_infinite() && phi.is_finite() && phi != 0.0 {
            let s = if r > 0.0 { 1.0 } else { -1.0 };
            signed_by_trig(phi, INF, s, s)
        } else {
            special(&RECT, z(r, phi))
        };
        let e = if r != 0.0 && !r.is_nan() && phi.is_infinite() { EDOM } else { 0 };
        (v, e)
    } else if phi == 0.0 {
        (z(r, r * phi), 0)
    } else {
        (z(r * cos(phi), r * sin(phi)), 0)
    }
}

/// CPython's `cmath.isclose(a, b)` with its default tolerances.
fn c_isclose(a: C64, b: C64) -> bool {
    let (rel_tol, abs_tol) = (1e-9, 0.0);
    if a.re == b.re && a.im == b.im {
        return true;
    }
    if a.re.is_infinite() || a.im.is_infinite() || b.re.is_infinite() || b.im.is_infinite() {
        return false;
    }
    let mut e = 0;
    let diff = c_abs(z(a.re - b.re, a.im - b.im), &mut e);
    diff <= rel_tol * c_abs(b, &mut e) || diff <= rel_tol * c_abs(a, &mut e) || diff <= abs_tol
}

/// The op code of `cmath.log(z, base)` (the others are `CmathFn`'s).
pub const LOG_BASE: i32 = 100;

/// `cmath.f(a)` (or of `a` and `b`: log's base, rect's `(r, phi)` as `a`'s parts, isclose's
/// second number) with CPython's result and error. `out` gets the complex result's parts, or
/// phase's float, polar's `(r, phi)`, isclose's truth as 0.0/1.0.
pub fn eval(op: i32, a: C64, b: C64) -> Result<C64, Status> {
    use CmathFn as F;
    let (r, e) = if op == LOG_BASE {
        // errno from the base's log replaces the number's; a zero divisor is EDOM.
        let (x, _) = c_log(a);
        let (y, mut e) = c_log(b);
        let q = py_quot(x, y).unwrap_or_else(|| {
            e = EDOM;
            z(0.0, 0.0)
        });
        (q, e)
    } else {
        let Some(f) = F::from_code(op) else {
            return Err(Status::OutOfMemory);
        };
        match f {
            F::Sqrt => (c_sqrt(a), 0),
            F::Exp => c_exp(a),
            F::Log => c_log(a),
            F::Log10 => {
                let (r, e) = c_log(a);
                (z(r.re / LN10, r.im / LN10), e)
            }
            F::Sin => rotated(c_sinh, a),
            F::Cos => c_cosh(z(-a.im, a.re)),
            F::Tan => rotated(c_tanh, a),
            F::Asin => rotated(c_asinh, a),
            F::Acos => c_acos(a),
            F::Atan => rotated(c_atanh, a),
            F::Sinh => c_sinh(a),
            F::Cosh => c_cosh(a),
            F::Tanh => c_tanh(a),
            F::Asinh => c_asinh(a),
            F::Acosh => c_acosh(a),
            F::Atanh => c_atanh(a),
            F::Phase => {
                let (phi, e) = atan2_errno(a.im, a.re);
                (z(phi, 0.0), e)
            }
            F::Polar => {
                let (phi, mut e) = atan2_errno(a.im, a.re);
                let r = c_abs(a, &mut e);
                (z(r, phi), e)
            }
            F::Rect => c_rect(a.re, a.im),
            F::Isclose => (z(if c_isclose(a, b) { 1.0 } else { 0.0 }, 0.0), 0),
            F::Isnan => (z(f64::from(u8::from(a.re.is_nan() || a.im.is_nan())), 0.0), 0),
            F::Isinf => (z(f64::from(u8::from(a.re.is_infinite() || a.im.is_infinite())), 0.0), 0),
            F::Isfinite => (z(f64::from(u8::from(finite(a))), 0.0), 0),
        }
    };
    match status_of(e) {
        Status::Ok => Ok(r),
        s => Err(s),
    }
}

/// [`eval`] for compiled code: the result's two doubles to `out`; a status.
///
/// # Safety
/// `out` points to two writable doubles.
#[no_mangle]
pub unsafe extern "C" fn sj_rt_cmath(op: i32, ar: f64, ai: f64, br: f64, bi: f64, out: *mut f64) -> u32 {
    match eval(op, z(ar, ai), z(br, bi)) {
        Ok(r) => {
            // SAFETY: the caller's contract.
            unsafe {
                *out = r.re;
                *out.add(1) = r.im;
            }
            Status::Ok as u32
        }
        Err(s) => s as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(f: CmathFn, re: f64, im: f64) -> Result<C64, Status> {
        eval(f as i32, z(re, im), z(0.0, 0.0))
    }

    #[test]
    fn errors_are_cpythons() {
        assert_eq!(ev(CmathFn::Log, 0.0, 0.0), Err(Status::MathDomain));
        assert_eq!(ev(CmathFn::Exp, 1000.0, 0.0), Err(Status::MathRange));
        assert_eq!(ev(CmathFn::Atanh, 1.0, 0.0), Err(Status::MathDomain));
        assert!(ev(CmathFn::Sqrt, -4.0, 0.0).is_ok());
        assert_eq!(eval(LOG_BASE, z(2.0, 0.0), z(1.0, 0.0)), Err(Status::MathDomain));
    }

    #[test]
    fn exact_values() {
        assert_eq!(ev(CmathFn::Sqrt, -4.0, 0.0), Ok(z(0.0, 2.0)));
        assert_eq!(ev(CmathFn::Exp, 0.0, 0.0), Ok(z(1.0, 0.0)));
        assert_eq!(ev(CmathFn::Rect, 2.0, 0.0), Ok(z(2.0, 0.0)));
        let s = ev(CmathFn::Sqrt, -0.0, -0.0).unwrap();
        assert!(s.re == 0.0 && s.re.is_sign_positive() && s.im.is_sign_negative());
    }

    #[test]
    fn scale_constants_are_the_c_librarys() {
        assert_eq!(SQRT_LARGE.to_bits(), sqrt(LARGE).to_bits());
        assert_eq!(LOG_LARGE.to_bits(), log(LARGE).to_bits());
        assert_eq!(SQRT_DBL_MIN.to_bits(), sqrt(DBL_MIN).to_bits());
    }

    #[test]
    fn every_fn_has_its_code() {
        for f in CmathFn::ALL {
            assert_eq!(CmathFn::from_code(f as i32), Some(f));
            assert_eq!(CmathFn::from_name(f.name()), Some(f));
        }
        assert_eq!(CmathFn::from_code(LOG_BASE), None);
    }
}
