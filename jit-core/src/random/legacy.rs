//! NumPy's legacy distributions (`numpy/random/src/legacy/legacy-distributions.c` and the
//! `distributions.c` functions `RandomState` uses), each drawing from one generator exactly as
//! NumPy's C code does, operation for operation, so that the values are NumPy's bit for bit.

use super::standard_gamma::GammaDraws;
use super::State;

impl GammaDraws for State {
    fn uniform(&mut self) -> f64 {
        self.next_double()
    }
    fn exponential(&mut self) -> f64 {
        self.standard_exponential()
    }
    fn normal(&mut self) -> f64 {
        self.gauss()
    }
}

impl State {
    /// `legacy_standard_gamma`: the shared algorithm over the legacy draws (`gauss`).
    pub(super) fn standard_gamma(&mut self, shape: f64) -> f64 {
        super::standard_gamma::standard_gamma(self, shape)
    }

    /// `legacy_beta`.
    pub(super) fn beta(&mut self, a: f64, b: f64) -> f64 {
        if a <= 1.0 && b <= 1.0 {
            loop {
                let u = self.next_double();
                let v = self.next_double();
                let x = u.powf(1.0 / a);
                let y = v.powf(1.0 / b);
                if x + y <= 1.0 {
                    if x + y > 0.0 {
                        return x / (x + y);
                    }
                    let mut log_x = u.ln() / a;
                    let mut log_y = v.ln() / b;
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

    /// `legacy_standard_cauchy`: the numerator drawn first (as NumPy's build evaluates it).
    pub(super) fn standard_cauchy(&mut self) -> f64 {
        let num = self.gauss();
        num / self.gauss()
    }

    /// `legacy_standard_t`.
    pub(super) fn standard_t(&mut self, df: f64) -> f64 {
        let num = self.gauss();
        let denom = self.standard_gamma(df / 2.0);
        (df / 2.0).sqrt() * num / denom.sqrt()
    }

    fn chisquare(&mut self, df: f64) -> f64 {
        2.0 * self.standard_gamma(df / 2.0)
    }

    /// `legacy_f`: the numerator's chi-square drawn first.
    pub(super) fn f(&mut self, dfnum: f64, dfden: f64) -> f64 {
        let num = self.chisquare(dfnum) * dfden;
        num / (self.chisquare(dfden) * dfnum)
    }

    /// `legacy_noncentral_chisquare`.
    pub(super) fn noncentral_chisquare(&mut self, df: f64, nonc: f64) -> f64 {
        if nonc == 0.0 {
            return self.chisquare(df);
        }
        if 1.0 < df {
            let chi2 = self.chisquare(df - 1.0);
            let n = self.gauss() + nonc.sqrt();
            return chi2 + n * n;
        }
        let i = self.poisson(nonc / 2.0);
        let out = self.chisquare(df + 2.0 * i as f64);
        if nonc.is_nan() {
            f64::NAN
        } else {
            out
        }
    }

    /// `legacy_noncentral_f`.
    pub(super) fn noncentral_f(&mut self, dfnum: f64, dfden: f64, nonc: f64) -> f64 {
        let t = self.noncentral_chisquare(dfnum, nonc) * dfden;
        t / (self.chisquare(dfden) * dfnum)
    }

    /// `legacy_wald`.
    pub(super) fn wald(&mut self, mean: f64, scale: f64) -> f64 {
        let mu_2l = mean / (2.0 * scale);
        let mut y = self.gauss();
        y = mean * y * y;
        let x = mean + mu_2l * (y - (4.0 * scale * y + y * y).sqrt());
        let u = self.next_double();
        if u <= mean / (mean + x) {
            x
        } else {
            mean * mean / x
        }
    }

    /// `legacy_vonmises`.
    pub(super) fn vonmises(&mut self, mu: f64, kappa: f64) -> f64 {
        use std::f64::consts::PI;
        if kappa.is_nan() {
            return f64::NAN;
        }
        if kappa < 1e-8 {
            return PI * (2.0 * self.next_double() - 1.0);
        }
        let s = if kappa < 1e-5 {
            1.0 / kappa + kappa
        } else {
            let r = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
            let rho = (r - (2.0 * r).sqrt()) / (2.0 * kappa);
            (1.0 + rho * rho) / (2.0 * rho)
        };
        let w = loop {
            let u = self.next_double();
            let z = (PI * u).cos();
            let w = (1.0 + s * z) / (s + z);
            let y = kappa * (s - w);
            let v = self.next_double();
            if y * (2.0 - y) - v >= 0.0 || (y / v).ln() + 1.0 - y >= 0.0 {
                break w;
            }
        };
        let u = self.next_double();
        let mut result = w.acos();
        if u < 0.5 {
            result = -result;
        }
        result += mu;
        let neg = result < 0.0;
        let mut m = result.abs();
        m = (m + PI) % (2.0 * PI) - PI;
        if neg {
            m *= -1.0;
        }
        m
    }

    /// `legacy_random_zipf` (values past int64 drawn again).
    pub(super) fn zipf(&mut self, a: f64) -> i64 {
        let am1 = a - 1.0;
        let b = 2.0f64.powf(am1);
        loop {
            let u = 1.0 - self.next_double();
            let v = self.next_double();
            let x = u.powf(-1.0 / am1).floor();
            if x > i64::MAX as f64 || x < 1.0 {
                continue;
            }
            let t = (1.0 + 1.0 / x).powf(am1);
            if v * x * (t - 1.0) / (b - 1.0) <= t / b {
                return x as i64;
            }
        }
    }

    /// `legacy_logseries`.
    pub(super) fn logseries(&mut self, p: f64) -> i64 {
        let r = (1.0 - p).ln();
        loop {
            let v = self.next_double();
            if v >= p {
                return 1;
            }
            let u = self.next_double();
            let q = 1.0 - (r * u).exp();
            if v <= q * q {
                let result = (1.0 + v.ln() / q.ln()).floor() as i64;
                if result < 1 || v == 0.0 {
                    continue;
                }
                return result;
            }
            if v >= q {
                return 1;
            }
            return 2;
        }
    }

    /// `random_laplace` (U == 0 drawn again).
    pub(super) fn laplace(&mut self, loc: f64, scale: f64) -> f64 {
        loop {
            let u = self.next_double();
            if u >= 0.5 {
                return loc - scale * (2.0 - u - u).ln();
            }
            if u > 0.0 {
                return loc + scale * (u + u).ln();
            }
        }
    }

    /// `random_gumbel` (U == 1 drawn again).
    pub(super) fn gumbel(&mut self, loc: f64, scale: f64) -> f64 {
        loop {
            let u = 1.0 - self.next_double();
            if u < 1.0 {
                return loc - scale * (-u.ln()).ln();
            }
        }
    }

    /// `random_logistic` (U == 0 drawn again).
    pub(super) fn logistic(&mut self, loc: f64, scale: f64) -> f64 {
        loop {
            let u = self.next_double();
            if u > 0.0 {
                return loc + scale * (u / (1.0 - u)).ln();
            }
        }
    }

    pub(super) fn triangular(&mut self, left: f64, mode: f64, right: f64) -> f64 {
        let base = right - left;
        let leftbase = mode - left;
        let ratio = leftbase / base;
        let leftprod = leftbase * base;
        let rightprod = (right - mode) * base;
        let u = self.next_double();
        if u <= ratio {
            left + (u * leftprod).sqrt()
        } else {
            right - ((1.0 - u) * rightprod).sqrt()
        }
    }

    /// `random_poisson`: multiplication below 10, else Hörmann's PTRS.
    pub(super) fn poisson(&mut self, lam: f64) -> i64 {
        if lam >= 10.0 {
            let slam = lam.sqrt();
            let loglam = lam.ln();
            let b = 0.931 + 2.53 * slam;
            let a = -0.059 + 0.02483 * b;
            let invalpha = 1.1239 + 1.1328 / (b - 3.4);
            let vr = 0.9277 - 3.6224 / (b - 2.0);
            loop {
                let u = self.next_double() - 0.5;
                let v = self.next_double();
                let us = 0.5 - u.abs();
                let k = ((2.0 * a / us + b) * u + lam + 0.43).floor() as i64;
                if us >= 0.07 && v <= vr {
                    return k;
                }
                if k < 0 || (us < 0.013 && v > us) {
                    continue;
                }
                if v.ln() + invalpha.ln() - (a / (us * us) + b).ln() <= -lam + k as f64 * loglam - loggam(k as f64 + 1.0) {
                    return k;
                }
            }
        }
        if lam == 0.0 {
            return 0;
        }
        let enlam = (-lam).exp();
        let mut x = 0;
        let mut prod = 1.0;
        loop {
            prod *= self.next_double();
            if prod > enlam {
                x += 1;
            } else {
                return x;
            }
        }
    }

    /// `legacy_random_geometric`.
    pub(super) fn geometric(&mut self, p: f64) -> i64 {
        if p >= 0.333_333_333_333_333_3 {
            let mut x = 1;
            let mut sum = p;
            let mut prod = p;
            let q = 1.0 - p;
            let u = self.next_double();
            while u > sum {
                prod *= q;
                sum += prod;
                x += 1;
            }
            return x;
        }
        ((-self.next_double()).ln_1p() / (1.0 - p).ln()).ceil() as i64
    }

    /// `legacy_random_binomial`: inversion when `n * min(p, 1 - p) <= 30`, else BTPE.
    pub(super) fn binomial(&mut self, n: i64, p: f64) -> i64 {
        if p <= 0.5 {
            if p * n as f64 <= 30.0 {
                self.binomial_inversion(n, p)
            } else {
                self.binomial_btpe(n, p)
            }
        } else {
            let q = 1.0 - p;
            if q * n as f64 <= 30.0 {
                n - self.binomial_inversion(n, q)
            } else {
                n - self.binomial_btpe(n, q)
            }
        }
    }

    fn binomial_inversion(&mut self, n: i64, p: f64) -> i64 {
        let q = 1.0 - p;
        let qn = (n as f64 * q.ln()).exp();
        let np = n as f64 * p;
        let bound = (n as f64).min(np + 10.0 * (np * q + 1.0).sqrt()) as i64;
        let mut x = 0;
        let mut px = qn;
        let mut u = self.next_double();
        while u > px {
            x += 1;
            if x > bound {
                x = 0;
                px = qn;
                u = self.next_double();
            } else {
                u -= px;
                px = ((n - x + 1) as f64 * p * px) / (x as f64 * q);
            }
        }
        x
    }

    /// `legacy_random_binomial_btpe` (with its historical Stirling terms).
    fn binomial_btpe(&mut self, n: i64, p: f64) -> i64 {
        let nf = n as f64;
        let r = p.min(1.0 - p);
        let q = 1.0 - r;
        let fm = nf * r + r;
        let m = fm.floor() as i64;
        let mf = m as f64;
        let p1 = (2.195 * (nf * r * q).sqrt() - 4.6 * q).floor() + 0.5;
        let xm = mf + 0.5;
        let xl = xm - p1;
        let xr = xm + p1;
        let c = 0.134 + 20.5 / (15.3 + mf);
        let a = (fm - xl) / (fm - xl * r);
        let laml = a * (1.0 + a / 2.0);
        let a = (xr - fm) / (xr * q);
        let lamr = a * (1.0 + a / 2.0);
        let p2 = p1 * (1.0 + 2.0 * c);
        let p3 = p2 + c / laml;
        let p4 = p3 + c / lamr;
        let stirling = |v: f64| {
            let v2 = v * v;
            (13680. - (462. - (132. - (99. - 140. / v2) / v2) / v2) / v2) / v / 166320.
        };
        let y = 'step10: loop {
            let nrq = nf * r * q;
            let u = self.next_double() * p4;
            let mut v = self.next_double();
            let y;
            if u <= p1 {
                break 'step10 (xm - p1 * v + u).floor() as i64;
            } else if u <= p2 {
                let x = xl + (u - p1) / c;
                v = v * c + 1.0 - (mf - x + 0.5).abs() / p1;
                if v > 1.0 {
                    continue;
                }
                y = x.floor() as i64;
            } else if u <= p3 {
                y = (xl + v.ln() / laml).floor() as i64;
                if y < 0 || v == 0.0 {
                    continue;
                }
                v = v * (u - p2) * laml;
            } else {
                y = (xr - v.ln() / lamr).floor() as i64;
                if y > n || v == 0.0 {
                    continue;
                }
                v = v * (u - p3) * lamr;
            }
            // Step 50.
            let k = (y - m).abs();
            if !(k > 20 && (k as f64) < nrq / 2.0 - 1.0) {
                let s = r / q;
                let a = s * (nf + 1.0);
                let mut f = 1.0;
                if m < y {
                    for i in m + 1..=y {
                        f *= a / i as f64 - s;
                    }
                } else if m > y {
                    for i in y + 1..=m {
                        f /= a / i as f64 - s;
                    }
                }
                if v > f {
                    continue;
                }
                break y;
            }
            // Step 52.
            let kf = k as f64;
            let rho = (kf / nrq) * ((kf * (kf / 3.0 + 0.625) + 0.166_666_666_666_666_66) / nrq + 0.5);
            let t = -kf * kf / (2.0 * nrq);
            let big_a = v.ln();
            if big_a < t - rho {
                break y;
            }
            if big_a > t + rho {
                continue;
            }
            let x1 = y as f64 + 1.0;
            let f1 = mf + 1.0;
            let z = nf + 1.0 - mf;
            let w = nf - y as f64 + 1.0;
            let bound = xm * (f1 / x1).ln()
                + ((n - m) as f64 + 0.5) * (z / w).ln()
                + (y - m) as f64 * (w * r / (x1 * q)).ln()
                + stirling(f1)
                + stirling(z)
                + stirling(x1)
                + stirling(w);
            if big_a > bound {
                continue;
            }
            break y;
        };
        if p > 0.5 {
            n - y
        } else {
            y
        }
    }
}

/// `random_loggam`: log(Γ(x)).
fn loggam(x: f64) -> f64 {
    const A: [f64; 10] = [
        8.333333333333333e-02,
        -2.777777777777778e-03,
        7.936507936507937e-04,
        -5.952380952380952e-04,
        8.417508417508418e-04,
        -1.917526917526918e-03,
        6.41025641025641e-03,
        -2.955065359477124e-02,
        1.796443723688307e-01,
        -1.39243221690590e+00,
    ];
    if x == 1.0 || x == 2.0 {
        return 0.0;
    }
    let n = if x < 7.0 { (7.0 - x) as i64 } else { 0 };
    let mut x0 = x + n as f64;
    let x2 = (1.0 / x0) * (1.0 / x0);
    let lg2pi = 1.8378770664093453e+00;
    let mut gl0 = A[9];
    for k in (0..=8).rev() {
        gl0 *= x2;
        gl0 += A[k];
    }
    let mut gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * x0.ln() - x0;
    if x < 7.0 {
        for _ in 1..=n {
            gl -= (x0 - 1.0).ln();
            x0 -= 1.0;
        }
    }
    gl
}
