//! NumPy's standard gamma draw (`random_standard_gamma`, and `legacy_standard_gamma` for
//! RandomState): Marsaglia and Tsang's method from shape 1 on, Johnk's rejection below, over a
//! generator's uniform, exponential and normal draws, so that each caller gets NumPy's values.

/// The draws [`standard_gamma`] takes from a generator: RandomState's legacy ones or a
/// Generator's.
pub(crate) trait GammaDraws {
    fn uniform(&mut self) -> f64;
    fn exponential(&mut self) -> f64;
    fn normal(&mut self) -> f64;
}

/// A standard gamma draw of `shape` (checked `>= 0` or NaN by the caller, as NumPy checks it).
/// A NaN shape draws NaN, as NumPy's C code does: its `do ... while (V <= 0.0)` leaves on a
/// NaN `V`, where a loop waiting for `V > 0.0` would never end.
pub(crate) fn standard_gamma(d: &mut impl GammaDraws, shape: f64) -> f64 {
    if shape == 1.0 {
        return d.exponential();
    }
    if shape == 0.0 {
        return 0.0;
    }
    if shape < 1.0 {
        loop {
            let u = d.uniform();
            let v = d.exponential();
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
        let (x, v) = loop {
            let x = d.normal();
            let v = 1.0 + c * x;
            if v > 0.0 || v.is_nan() {
                break (x, v);
            }
        };
        let v = v * v * v;
        let u = d.uniform();
        if u < 1.0 - 0.0331 * (x * x) * (x * x) {
            return b * v;
        }
        if u.ln() < 0.5 * x * x + b * (1.0 - v + v.ln()) {
            return b * v;
        }
    }
}
