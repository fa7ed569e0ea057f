//! The run-time side of complex arithmetic: CPython's complex division and power (its
//! algorithms and errors, so scalar results are Python's bit for bit) and NumPy's complex
//! functions (the C library's `cexp`, `csqrt`, ... that NumPy's loops call, its own `npy_cpow`).

use crate::runtime::Status;

/// A complex number as C's `double _Complex` (two doubles: the same registers and memory).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct C64 {
    pub re: f64,
    pub im: f64,
}

const fn c(re: f64, im: f64) -> C64 {
    C64 { re, im }
}

/// What [`sj_rt_complex`] computes (its `op` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ComplexOp {
    /// CPython's `a / b` (`_Py_c_quot`; dividing by zero is an error).
    PyDiv = 0,
    /// CPython's `a ** b` (`complex_pow`, its small-integer path and its errors).
    PyPow = 1,
    /// NumPy's complex division loop (dividing by zero gives infinities and NaNs).
    NpDiv = 2,
    /// NumPy's `npy_cpow`.
    NpPow = 3,
    Exp = 10,
    Log = 11,
    Sqrt = 12,
    Sin = 13,
    Cos = 14,
    Tan = 15,
    Sinh = 16,
    Cosh = 17,
    Tanh = 18,
    Arcsin = 19,
    Arccos = 20,
    Arctan = 21,
    Arcsinh = 22,
    Arccosh = 23,
    Arctanh = 24,
}

impl ComplexOp {
    pub const ALL: [ComplexOp; 19] = [
        ComplexOp::PyDiv,
        ComplexOp::PyPow,
        ComplexOp::NpDiv,
        ComplexOp::NpPow,
        ComplexOp::Exp,
        ComplexOp::Log,
        ComplexOp::Sqrt,
        ComplexOp::Sin,
        ComplexOp::Cos,
        ComplexOp::Tan,
        ComplexOp::Sinh,
        ComplexOp::Cosh,
        ComplexOp::Tanh,
        ComplexOp::Arcsin,
        ComplexOp::Arccos,
        ComplexOp::Arctan,
        ComplexOp::Arcsinh,
        ComplexOp::Arccosh,
        ComplexOp::Arctanh,
    ];

    fn from_code(op: i32) -> Option<ComplexOp> {
        ComplexOp::ALL.into_iter().find(|o| *o as i32 == op)
    }
}

extern "C" {
    fn cexp(z: C64) -> C64;
    fn clog(z: C64) -> C64;
    fn csqrt(z: C64) -> C64;
    fn csin(z: C64) -> C64;
    fn ccos(z: C64) -> C64;
    fn ctan(z: C64) -> C64;
    fn csinh(z: C64) -> C64;
    fn ccosh(z: C64) -> C64;
    fn ctanh(z: C64) -> C64;
    fn casin(z: C64) -> C64;
    fn cacos(z: C64) -> C64;
    fn catan(z: C64) -> C64;
    fn casinh(z: C64) -> C64;
    fn cacosh(z: C64) -> C64;
    fn catanh(z: C64) -> C64;
    fn cpow(x: C64, y: C64) -> C64;
}

/// `op` of `(ar + ai j)` and `(br + bi j)` (the second unused by the functions of one
/// argument) written to `out`; a status (only CPython's division and power fail).
///
/// # Safety
/// `out` points to two writable doubles.
#[no_mangle]
pub unsafe extern "C" fn sj_rt_complex(op: i32, ar: f64, ai: f64, br: f64, bi: f64, out: *mut f64) -> u32 {
    let (a, b) = (c(ar, ai), c(br, bi));
    let Some(op) = ComplexOp::from_code(op) else {
        return Status::OutOfMemory as u32;
    };
    let r = match op {
        ComplexOp::PyDiv => py_quot(a, b).ok_or(Status::ComplexDivZero),
        ComplexOp::PyPow => py_pow(a, b),
        ComplexOp::NpDiv => Ok(np_div(a, b)),
        ComplexOp::NpPow => Ok(np_pow(a, b)),
        // SAFETY: the C library's complex functions are pure functions of their argument.
        f => Ok(unsafe { libm_unary(f)(a) }),
    };
    match r {
        Ok(z) => {
            // SAFETY: the caller's contract.
            unsafe {
                *out = z.re;
                *out.add(1) = z.im;
            }
            Status::Ok as u32
        }
        Err(s) => s as u32,
    }
}

/// The C library's function for a one-argument `op`.
fn libm_unary(op: ComplexOp) -> unsafe extern "C" fn(C64) -> C64 {
    match op {
        ComplexOp::Exp => cexp,
        ComplexOp::Log => clog,
        ComplexOp::Sqrt => csqrt,
        ComplexOp::Sin => csin,
        ComplexOp::Cos => ccos,
        ComplexOp::Tan => ctan,
        ComplexOp::Sinh => csinh,
        ComplexOp::Cosh => ccosh,
        ComplexOp::Tanh => ctanh,
        ComplexOp::Arcsin => casin,
        ComplexOp::Arccos => cacos,
        ComplexOp::Arctan => catan,
        ComplexOp::Arcsinh => casinh,
        ComplexOp::Arccosh => cacosh,
        ComplexOp::Arctanh => catanh,
        ComplexOp::PyDiv | ComplexOp::PyPow | ComplexOp::NpDiv | ComplexOp::NpPow => unreachable!("two arguments"),
    }
}

/// CPython's `_Py_c_prod`.
fn prod(a: C64, b: C64) -> C64 {
    c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
}

/// CPython's `_Py_c_quot` (`None` where it sets EDOM: a zero divisor).
pub fn py_quot(a: C64, b: C64) -> Option<C64> {
    let (abs_br, abs_bi) = (b.re.abs(), b.im.abs());
    if abs_br >= abs_bi {
        if abs_br == 0.0 {
            return None;
        }
        let ratio = b.im / b.re;
        let denom = b.re + b.im * ratio;
        Some(c((a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom))
    } else if abs_bi >= abs_br {
        let ratio = b.re / b.im;
        let denom = b.re * ratio + b.im;
        Some(c((a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom))
    } else {
        // At least one of b's parts is a NaN.
        Some(c(f64::NAN, f64::NAN))
    }
}

/// CPython's `c_powu`: `x ** n` by repeated squaring, from `1 + 0j`.
pub fn py_powu(x: C64, n: i64) -> C64 {
    let (mut r, mut p, mut mask) = (c(1.0, 0.0), x, 1i64);
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = prod(r, p);
        }
        mask <<= 1;
        p = prod(p, p);
    }
    r
}

/// The C library's functions CPython's complex power calls, and its `errno` (CPython reads it
/// after the call: a domain error is its ZeroDivisionError, a range error its OverflowError).
mod libm {
    extern "C" {
        pub fn pow(x: f64, y: f64) -> f64;
        pub fn hypot(x: f64, y: f64) -> f64;
        pub fn atan2(y: f64, x: f64) -> f64;
        pub fn exp(x: f64) -> f64;
        pub fn log(x: f64) -> f64;
        pub fn cos(x: f64) -> f64;
        pub fn sin(x: f64) -> f64;
        pub fn __errno_location() -> *mut i32;
    }
    pub const EDOM: i32 = 33;
    pub const ERANGE: i32 = 34;
}

/// CPython's `_Py_c_pow` (the C library sets `errno` as it goes).
fn py_c_pow(a: C64, b: C64, errno: &mut i32) -> C64 {
    if b.re == 0.0 && b.im == 0.0 {
        return c(1.0, 0.0);
    }
    if a.re == 0.0 && a.im == 0.0 {
        if b.im != 0.0 || b.re < 0.0 {
            *errno = libm::EDOM;
        }
        return c(0.0, 0.0);
    }
    // SAFETY: the C library's math functions; errno is this thread's.
    unsafe {
        let loc = libm::__errno_location();
        *loc = *errno;
        let vabs = libm::hypot(a.re, a.im);
        let mut len = libm::pow(vabs, b.re);
        let at = libm::atan2(a.im, a.re);
        let mut phase = at * b.re;
        if b.im != 0.0 {
            len /= libm::exp(at * b.im);
            phase += b.im * libm::log(vabs);
        }
        let r = c(len * libm::cos(phase), len * libm::sin(phase));
        *errno = *loc;
        r
    }
}

/// CPython's `complex_pow`: `Err` with the status of its ZeroDivisionError or OverflowError.
pub fn py_pow(a: C64, b: C64) -> Result<C64, Status> {
    let mut errno = 0;
    let p = if b.im == 0.0 && b.re == b.re.floor() && b.re.abs() <= 100.0 {
        // c_powi
        let n = b.re as i64;
        if n > 0 {
            py_powu(a, n)
        } else {
            py_quot(c(1.0, 0.0), py_powu(a, -n)).unwrap_or_else(|| {
                errno = libm::EDOM;
                c(0.0, 0.0)
            })
        }
    } else {
        py_c_pow(a, b, &mut errno)
    };
    // _Py_ADJUST_ERANGE2: an infinite part is a range error; a range error with finite parts
    // (an underflow) is none.
    if p.re.is_infinite() || p.im.is_infinite() {
        if errno == 0 {
            errno = libm::ERANGE;
        }
    } else if errno == libm::ERANGE {
        errno = 0;
    }
    match errno {
        0 => Ok(p),
        libm::EDOM => Err(Status::ComplexPowZero),
        _ => Err(Status::ComplexPowOverflow),
    }
}

/// NumPy's complex division loop (`loops.c.src`, `@TYPE@_divide`).
pub fn np_div(a: C64, b: C64) -> C64 {
    let (in2r_abs, in2i_abs) = (b.re.abs(), b.im.abs());
    if in2r_abs >= in2i_abs {
        if in2r_abs == 0.0 && in2i_abs == 0.0 {
            // Dividing by zero: a complex infinity or NaN.
            c(a.re / in2r_abs, a.im / in2r_abs)
        } else {
            let rat = b.im / b.re;
            let scl = 1.0 / (b.re + b.im * rat);
            c((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl)
        }
    } else {
        let rat = b.re / b.im;
        let scl = 1.0 / (b.im + b.re * rat);
        c((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl)
    }
}

/// NumPy's `cdiv` of `npy_math_complex.c.src` (used by `npy_cpow`; by zero it gives
/// `1/|re|, 1/|im|`, unlike the division loop).
fn np_cdiv(a: C64, b: C64) -> C64 {
    let (abs_br, abs_bi) = (b.re.abs(), b.im.abs());
    if abs_br >= abs_bi {
        if abs_br == 0.0 && abs_bi == 0.0 {
            return c(1.0 / abs_br, 1.0 / abs_bi);
        }
        let rat = b.im / b.re;
        let scl = 1.0 / (b.re + b.im * rat);
        c((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl)
    } else {
        let rat = b.re / b.im;
        let scl = 1.0 / (b.im + b.re * rat);
        c((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl)
    }
}

/// NumPy's complex multiplication (`cmul` of `npy_math_complex.c.src`).
fn np_mul(a: C64, b: C64) -> C64 {
    c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
}

/// NumPy's `npy_cpow`: small integer exponents by multiplication, the rest by the C library's
/// `cpow`.
pub fn np_pow(a: C64, b: C64) -> C64 {
    if b.re == 0.0 && b.im == 0.0 {
        return c(1.0, 0.0);
    }
    if a.re == 0.0 && a.im == 0.0 {
        return if b.re > 0.0 { c(0.0, 0.0) } else { c(f64::NAN, f64::NAN) };
    }
    if b.im == 0.0 && b.re == (b.re as i64) as f64 {
        let n = b.re as i64;
        if n == 1 {
            return a;
        } else if n == 2 {
            return np_mul(a, a);
        } else if n == 3 {
            return np_mul(a, np_mul(a, a));
        } else if n > -100 && n < 100 {
            let (mut mask, mut aa, mut p) = (1i64, c(1.0, 0.0), c(a.re, a.im));
            let m = n.abs();
            loop {
                if m & mask != 0 {
                    aa = np_mul(aa, p);
                }
                mask <<= 1;
                if m < mask || mask <= 0 {
                    break;
                }
                p = np_mul(p, p);
            }
            if n < 0 {
                return np_cdiv(c(1.0, 0.0), aa);
            }
            return aa;
        }
    }
    // SAFETY: a pure function of two complex numbers.
    unsafe { cpow(a, b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_division_and_its_zero() {
        assert_eq!(py_quot(c(1.0, 2.0), c(3.0, 4.0)), Some(c(0.44, 0.08)));
        assert_eq!(py_quot(c(1.0, 2.0), c(0.0, 0.0)), None);
        let q = py_quot(c(1.0, 0.0), c(f64::NAN, 0.0)).unwrap();
        assert!(q.re.is_nan() && q.im.is_nan());
    }

    #[test]
    fn python_power_paths() {
        assert_eq!(py_pow(c(1.0, 1.0), c(2.0, 0.0)), Ok(c(0.0, 2.0)));
        assert_eq!(py_pow(c(0.0, 0.0), c(-1.0, 0.0)), Err(Status::ComplexPowZero));
        assert_eq!(py_pow(c(0.0, 0.0), c(0.5, 1.0)), Err(Status::ComplexPowZero));
        assert_eq!(py_pow(c(1e200, 0.0), c(2.0, 0.0)), Err(Status::ComplexPowOverflow));
        assert_eq!(py_pow(c(2.0, 0.0), c(0.0, 0.0)), Ok(c(1.0, 0.0)));
    }

    #[test]
    fn every_op_has_its_code() {
        for op in ComplexOp::ALL {
            assert_eq!(ComplexOp::from_code(op as i32), Some(op));
        }
    }
}
