//! The Generator's gamma family and geometric draws: NumPy's `random_standard_gamma`,
//! `random_beta` and `random_geometric` (numpy/random/src/distributions/distributions.c), the
//! same operations on the same draws, so the same values as NumPy's Generator.

use super::BitGen;

impl BitGen {
    /// `random_standard_gamma(shape)`: Marsaglia and Tsang's method from 1 on, Johnk's
    /// rejection below (`shape >= 0`, NaN passed through the comparisons as NumPy does).
    pub(super) fn standard_gamma(&mut self, shape: f64) -> f64 {
        if shape == 1.0 {
            return self.standard_exponential();
        }
        if shape == 0.0 {
            return 0.0;
        }
        if shape < 1.0 {
            loop {
                let u = self.next_double();
                let v = self.standard_exponential();
                if u <= 1.0 - shape {
                    let x = u.powf(1.0 / shape);
                    if x <= v {
                        return x;
                    }
                } else {
                    let y = -((1.0 - u) / shape).ln();
                    let x = (1.0 - shape + shape * y).powf(1.0 / shape);
                    if x <= v + y {
                        return x;
                    }
                }
            }
        }
        let b = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * b).sqrt();
        loop {
            let (mut x, mut v);
            // `do ... while (V <= 0.0)`: a NaN V (a NaN shape) leaves too.
            loop {
                x = self.standard_normal();
                v = 1.0 + c * x;
                if v > 0.0 || v.is_nan() {
                    break;
                }
            }
            v = v * v * v;
            let u = self.next_double();
            if u < 1.0 - 0.0331 * (x * x) * (x * x) {
                return b * v;
            }
            if u.ln() < 0.5 * x * x + b * (1.0 - v + v.ln()) {
                return b * v;
            }
        }
    }

    /// `random_beta(a, b)`: Johnk's algorithm when both are at most 1, else two gammas.
    pub(super) fn beta(&mut self, a: f64, b: f64) -> f64 {
        if a <= 1.0 && b <= 1.0 {
            loop {
                let u = self.next_double();
                let v = self.next_double();
                let x = u.powf(1.0 / a);
                let y = v.powf(1.0 / b);
                let xpy = x + y;
                if xpy <= 1.0 && u + v > 0.0 {
                    if xpy > 0.0 {
                        return x / xpy;
                    }
                    // Both underflowed: the ratio from the logarithms.
                    let (mut log_x, mut log_y) = (u.ln() / a, v.ln() / b);
                    let log_m = if log_x > log_y { log_x } else { log_y };
                    log_x -= log_m;
                    log_y -= log_m;
                    return (log_x - (log_x.exp() + log_y.exp()).ln()).exp();
                }
            }
        }
        let ga = self.standard_gamma(a);
        let gb = self.standard_gamma(b);
        ga / (ga + gb)
    }

    /// `random_geometric(p)` as a double (an integer value; compiled code converts it): a
    /// search from p = 1/3 on, else the inversion, capped at `i64::MAX` (as the double 2**63).
    pub(super) fn geometric(&mut self, p: f64) -> f64 {
        // NumPy's constant 0.333333333333333333333333 (the double nearest 1/3).
        if p >= 1.0 / 3.0 {
            let (mut x, mut sum, mut prod, q) = (1i64, p, p, 1.0 - p);
            let u = self.next_double();
            while u > sum {
                prod *= q;
                sum += prod;
                x += 1;
            }
            return x as f64;
        }
        let z = (-self.standard_exponential() / (-p).ln_1p()).ceil();
        if z >= 9.223_372_036_854_776e18 {
            return i64::MAX as f64;
        }
        z
    }
}
