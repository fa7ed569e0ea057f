//! The `math` functions compiled code calls that CPython computes with its own code rather than
//! the C library's: `gamma`, `lgamma` (a Lanczos approximation), and the integer `gcd` and `isqrt`.
//!
//! The same method, constants and order of operations as CPython's `Modules/mathmodule.c`
//! (3.11), with the same C library calls (`exp`, `pow`, `log`, `sin`, `cos`, `fmod`, `round`):
//! the same bits. Errors are not reported here: compiled code tests the argument and the result
//! as CPython's `errno` would be set (`codegen/calls.rs`), so these are pure functions.

// The constants are written as CPython writes them (g and g - 1/2 are exact doubles, written
// out in full; the others have more digits than a double keeps): the same doubles.
#![allow(clippy::excessive_precision)]

use std::f64::consts::PI;

const LANCZOS_N: usize = 13;
/// The Lanczos parameter g, and g - 1/2 (both exact doubles).
const LANCZOS_G: f64 = 6.024_680_040_776_729_583_740_234_375;
const LANCZOS_G_MINUS_HALF: f64 = 5.524_680_040_776_729_583_740_234_375;
/// ln(pi).
const LOG_PI: f64 = 1.144_729_885_849_400_174_143_427_351_353_058_711_647;

/// The numerator's coefficients of the Lanczos sum as a rational function (Boost's, N = 13).
const NUM: [f64; LANCZOS_N] = [
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
];

/// The denominator's: the coefficients of x (x + 1) ... (x + 11).
const DEN: [f64; LANCZOS_N] = [
    0.0,
    39916800.0,
    120543840.0,
    150917976.0,
    105258076.0,
    45995730.0,
    13339535.0,
    2637558.0,
    357423.0,
    32670.0,
    1925.0,
    66.0,
    1.0,
];

/// Gamma of the integers 1 to 23 (exact doubles).
const GAMMA_INTEGRAL: [f64; 23] = [
    1.0,
    1.0,
    2.0,
    6.0,
    24.0,
    120.0,
    720.0,
    5040.0,
    40320.0,
    362880.0,
    3628800.0,
    39916800.0,
    479001600.0,
    6227020800.0,
    87178291200.0,
    1307674368000.0,
    20922789888000.0,
    355687428096000.0,
    6402373705728000.0,
    121645100408832000.0,
    2432902008176640000.0,
    51090942171709440000.0,
    1124000727777607680000.0,
];

/// The Lanczos sum of `x > 0`, as a rational function; in 1/x from 5 on (no overflow).
fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..LANCZOS_N).rev() {
            num = num * x + NUM[i];
            den = den * x + DEN[i];
        }
    } else {
        for i in 0..LANCZOS_N {
            num = num / x + NUM[i];
            den = den / x + DEN[i];
        }
    }
    num / den
}

/// sin(pi x) of a finite `x`, exact at the integers and half-integers.
fn sinpi(x: f64) -> f64 {
    let y = x.abs() % 2.0;
    let r = match (2.0 * y).round() as i32 {
        0 => (PI * y).sin(),
        1 => (PI * (y - 0.5)).cos(),
        // Not -sin(pi (y - 1)): that is -0.0 at y = 1.
        2 => (PI * (1.0 - y)).sin(),
        3 => -(PI * (y - 1.5)).cos(),
        _ => (PI * (y - 2.0)).sin(),
    };
    1.0_f64.copysign(x) * r
}

/// `math.gamma(x)`. NaN for the domain errors (-inf, the non-positive integers) except at ±0
/// (±inf), inf where it overflows; the caller raises.
pub extern "C" fn sj_rt_gamma(x: f64) -> f64 {
    if !x.is_finite() {
        return if x.is_nan() || x > 0.0 { x } else { f64::NAN };
    }
    if x == 0.0 {
        return f64::INFINITY.copysign(x);
    }
    if x == x.floor() {
        if x < 0.0 {
            return f64::NAN;
        }
        if x <= GAMMA_INTEGRAL.len() as f64 {
            return GAMMA_INTEGRAL[x as usize - 1];
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return 1.0 / x;
    }
    if absx > 200.0 {
        return if x < 0.0 { 0.0 / sinpi(x) } else { f64::INFINITY };
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    // The rounding error of y, for the correction below.
    let z = if absx > LANCZOS_G_MINUS_HALF { (y - absx) - LANCZOS_G_MINUS_HALF } else { (y - LANCZOS_G_MINUS_HALF) - absx };
    let z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -PI / sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= y.powf(absx - 0.5);
        } else {
            let half = y.powf(absx / 2.0 - 0.25);
            r /= half;
            r /= half;
        }
    } else {
        r = lanczos_sum(absx) / y.exp();
        r += z * r;
        if absx < 140.0 {
            r *= y.powf(absx - 0.5);
        } else {
            let half = y.powf(absx / 2.0 - 0.25);
            r *= half;
            r *= half;
        }
    }
    r
}

/// `math.lgamma(x)`: ln |gamma(x)|. inf at the non-positive integers (a domain error) and where
/// it overflows; the caller raises.
pub extern "C" fn sj_rt_lgamma(x: f64) -> f64 {
    if !x.is_finite() {
        return if x.is_nan() { x } else { f64::INFINITY };
    }
    if x == x.floor() && x <= 2.0 {
        return if x <= 0.0 { f64::INFINITY } else { 0.0 };
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return -absx.ln();
    }
    let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
    r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        // The reflection formula.
        r = LOG_PI - sinpi(absx).abs().ln() - absx.ln() - r;
    }
    r
}

/// The greatest common divisor of `a` and `b`, non-negative (`gcd(i64::MIN, 0)` wraps to
/// `i64::MIN`, as integers wrap in compiled code).
pub extern "C" fn sj_rt_gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

/// The integer square root of `n >= 0` (0 for a negative `n`, which the caller raises for).
pub extern "C" fn sj_rt_isqrt(n: i64) -> i64 {
    if n < 0 {
        0
    } else {
        (n as u64).isqrt() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_of_integers_and_halves() {
        assert_eq!(sj_rt_gamma(5.0), 24.0);
        assert!((sj_rt_gamma(0.5) - PI.sqrt()).abs() < 1e-15);
        assert!((sj_rt_gamma(-0.5) + 2.0 * PI.sqrt()).abs() < 1e-14);
        assert!(sj_rt_gamma(-2.0).is_nan());
        assert_eq!(sj_rt_gamma(-0.0), f64::NEG_INFINITY);
        assert_eq!(sj_rt_gamma(172.0), f64::INFINITY);
    }

    #[test]
    fn lgamma_is_the_log_of_gamma() {
        for x in [0.1, 0.7, 1.5, 3.25, 10.5, 30.0, -0.5, -3.7] {
            let g = sj_rt_gamma(x).abs().ln();
            assert!((sj_rt_lgamma(x) - g).abs() < 1e-12 * g.abs().max(1.0), "{x}");
        }
        assert_eq!(sj_rt_lgamma(1.0), 0.0);
        assert_eq!(sj_rt_lgamma(-3.0), f64::INFINITY);
    }

    #[test]
    fn gcd_is_non_negative() {
        assert_eq!(sj_rt_gcd(12, -18), 6);
        assert_eq!(sj_rt_gcd(0, 0), 0);
        assert_eq!(sj_rt_gcd(-7, 0), 7);
    }

    #[test]
    fn isqrt_is_the_floor() {
        for n in [0, 1, 2, 3, 4, 15, 16, 17, i64::MAX, (1 << 62) - 1, 1 << 62] {
            let s = sj_rt_isqrt(n) as i128;
            assert!(s * s <= n as i128 && (s + 1) * (s + 1) > n as i128, "{n}");
        }
    }
}
