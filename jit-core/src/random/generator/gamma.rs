//! The Generator's gamma family and geometric draws: NumPy's `random_standard_gamma` (shared
//! with RandomState: `random/standard_gamma.rs`), `random_beta` and `random_geometric`
//! (numpy/random/src/distributions/distributions.c), the same operations on the same draws, so
//! the same values as NumPy's Generator.

use super::BitGen;
use crate::random::standard_gamma::GammaDraws;

impl GammaDraws for BitGen {
    fn uniform(&mut self) -> f64 {
        self.next_double()
    }
    fn exponential(&mut self) -> f64 {
        self.standard_exponential()
    }
    fn normal(&mut self) -> f64 {
        self.standard_normal()
    }
}

impl BitGen {
    /// `random_standard_gamma(shape)`: the shared algorithm over the Generator's draws.
    pub(super) fn standard_gamma(&mut self, shape: f64) -> f64 {
        crate::random::standard_gamma::standard_gamma(self, shape)
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
