//! The random number generator compiled code draws from: NumPy's legacy `RandomState` (the
//! MT19937 Mersenne Twister, `np.random.seed(int)` seeding and NumPy's legacy algorithm for
//! each distribution), so that after `np.random.seed(s)` compiled code draws exactly the values
//! NumPy draws after `np.random.seed(s)`.
//!
//! Each thread has its own generator (`thread_local`), apart from NumPy's: seeding or drawing in
//! Python does not move it, nor the reverse (as Numba). A thread that draws before any
//! `np.random.seed` in compiled code gets a generator seeded from the operating system's entropy
//! (`getrandom`), as `np.random.seed()` without a seed does.
//!
//! The helpers are `extern "C"` (`sj_rt_random_*`, resolved by the engine through
//! [`crate::runtime::helper_symbols`]); a bad parameter is NumPy's exception, as a status whose
//! message [`last_error`] gives.

use std::cell::{Cell, UnsafeCell};

mod choice;
pub mod generator;
mod legacy;
pub mod pyrandom;
mod standard_gamma;
pub(crate) mod ziggurat;

pub use choice::{sj_rt_random_choice, sj_rt_random_shuffle, ShuffleMode};

use crate::registry::random::RandomFn;
use crate::runtime::Status;

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// One generator's state: MT19937's key and position, the cached second value of the polar
/// Box–Muller method (`legacy_gauss`), and whether it has been seeded yet. Compiled code draws
/// 32-bit words itself ([`STATE_KEY_WORDS`], [`STATE_POS_OFFSET`]).
#[repr(C)]
struct State {
    key: [u32; N],
    pos: usize,
    has_gauss: bool,
    gauss: f64,
    seeded: bool,
}

/// How many words the key has: a position at or past it asks for [`sj_rt_random_generate`].
pub const STATE_KEY_WORDS: u64 = N as u64;
/// The byte offset of the position (a 64-bit index into the key, which starts at offset 0).
pub const STATE_POS_OFFSET: u64 = std::mem::offset_of!(State, pos) as u64;
const _: () = assert!(std::mem::offset_of!(State, key) == 0 && std::mem::size_of::<usize>() == 8);

thread_local! {
    static STATE: UnsafeCell<State> =
        const { UnsafeCell::new(State { key: [0; N], pos: N, has_gauss: false, gauss: 0.0, seeded: false }) };
    /// The message of the last [`Status::RandomValue`] on this thread.
    static LAST_ERROR: Cell<&'static str> = const { Cell::new("") };
}

/// Runs `f` on the calling thread's generator, seeding it from the OS first if it never was.
fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|s| {
        // SAFETY: the state is the calling thread's own, and no helper re-enters another while
        // it holds the reference.
        let st = unsafe { &mut *s.get() };
        if !st.seeded {
            st.seed_from_os();
        }
        f(st)
    })
}

/// The message of the last bad parameter a helper reported on this thread.
pub fn last_error() -> &'static str {
    LAST_ERROR.with(|c| c.get())
}

/// Sets what [`last_error`] gives (a worker's error handed to the calling thread).
pub(crate) fn set_last_error(message: &'static str) {
    LAST_ERROR.with(|c| c.set(message));
}

fn value_error(message: &'static str) -> Status {
    LAST_ERROR.with(|c| c.set(message));
    Status::RandomValue
}

impl State {
    /// `mt19937_seed`: Knuth's initialisation, as `np.random.seed(s)` for an int `s`.
    fn seed(&mut self, seed: u32) {
        let mut s = seed;
        for pos in 0..N {
            self.key[pos] = s;
            s = 1_812_433_253u32.wrapping_mul(s ^ (s >> 30)).wrapping_add(pos as u32 + 1);
        }
        self.pos = N;
        self.has_gauss = false;
        self.gauss = 0.0;
        self.seeded = true;
    }

    /// As `np.random.seed()` without a seed: the key from the OS's entropy, its first word's
    /// top bit set (never all zero).
    fn seed_from_os(&mut self) {
        let mut key = [0u32; N];
        let bytes = std::mem::size_of_val(&key);
        let mut filled = 0;
        while filled < bytes {
            // SAFETY: writes at most the `bytes - filled` bytes left in `key`.
            let n = unsafe { libc::getrandom((key.as_mut_ptr() as *mut u8).add(filled).cast(), bytes - filled, 0) };
            if n <= 0 {
                break;
            }
            filled += n as usize;
        }
        if filled < bytes {
            // No entropy from the kernel: the clock and the thread's address, mixed by seeding.
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            self.seed((t as u32) ^ ((t >> 32) as u32) ^ (self as *const State as usize as u32));
            return;
        }
        self.key = key;
        self.key[0] = 0x8000_0000;
        self.pos = N;
        self.has_gauss = false;
        self.gauss = 0.0;
        self.seeded = true;
    }

    fn generate(&mut self) {
        let k = &mut self.key;
        let mix = |a: u32, b: u32| (a & UPPER_MASK) | (b & LOWER_MASK);
        let twist = |y: u32| (y >> 1) ^ ((y & 1).wrapping_neg() & MATRIX_A);
        for i in 0..N - M {
            k[i] = k[i + M] ^ twist(mix(k[i], k[i + 1]));
        }
        for i in N - M..N - 1 {
            k[i] = k[i + M - N] ^ twist(mix(k[i], k[i + 1]));
        }
        k[N - 1] = k[M - 1] ^ twist(mix(k[N - 1], k[0]));
        self.pos = 0;
    }

    #[inline]
    fn next_u32(&mut self) -> u32 {
        if self.pos >= N {
            self.generate();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn next_u64(&mut self) -> u64 {
        let hi = self.next_u32() as u64;
        (hi << 32) | self.next_u32() as u64
    }

    /// A double in [0, 1) from 53 random bits (`mt19937_next_double`).
    #[inline]
    fn next_double(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `legacy_gauss`: the polar Box–Muller method, the second value kept for the next call.
    fn gauss(&mut self) -> f64 {
        if self.has_gauss {
            self.has_gauss = false;
            let g = self.gauss;
            self.gauss = 0.0;
            return g;
        }
        let (x1, x2, r2) = loop {
            let x1 = 2.0 * self.next_double() - 1.0;
            let x2 = 2.0 * self.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                break (x1, x2, r2);
            }
        };
        let f = (-2.0 * r2.ln() / r2).sqrt();
        self.gauss = f * x1;
        self.has_gauss = true;
        f * x2
    }

    fn standard_exponential(&mut self) -> f64 {
        -(1.0 - self.next_double()).ln()
    }

    /// `random_bounded_uint64` with masked rejection, as `RandomState.randint` for int64: a
    /// value in `[off, off + rng]` (wrapping).
    fn bounded(&mut self, off: u64, rng: u64) -> u64 {
        if rng == 0 {
            return off;
        }
        if rng <= 0xffff_ffff {
            if rng == 0xffff_ffff {
                return off.wrapping_add(self.next_u32() as u64);
            }
            let mask = gen_mask(rng) as u32;
            loop {
                let v = self.next_u32() & mask;
                if v as u64 <= rng {
                    return off.wrapping_add(v as u64);
                }
            }
        }
        if rng == u64::MAX {
            return off.wrapping_add(self.next_u64());
        }
        let mask = gen_mask(rng);
        loop {
            let v = self.next_u64() & mask;
            if v <= rng {
                return off.wrapping_add(v);
            }
        }
    }

    /// One float draw of `f` (its parameters checked already).
    fn draw_f64(&mut self, f: RandomFn, a: f64, b: f64, c: f64) -> f64 {
        use RandomFn::*;
        match f {
            Random | RandomSample | Rand => self.next_double(),
            Randn | StandardNormal => self.gauss(),
            Normal => a + b * self.gauss(),
            // `b` is the range `high - low`.
            Uniform => a + b * self.next_double(),
            StandardExponential => self.standard_exponential(),
            Exponential => a * self.standard_exponential(),
            StandardGamma => self.standard_gamma(a),
            Gamma => b * self.standard_gamma(a),
            Beta => self.beta(a, b),
            Chisquare => 2.0 * self.standard_gamma(a / 2.0),
            Lognormal => (a + b * self.gauss()).exp(),
            Laplace => self.laplace(a, b),
            Logistic => self.logistic(a, b),
            Gumbel => self.gumbel(a, b),
            Weibull if a == 0.0 => 0.0,
            Weibull => self.standard_exponential().powf(1.0 / a),
            Pareto => (self.standard_exponential() / a).exp() - 1.0,
            Rayleigh => a * (-2.0 * (-self.next_double()).ln_1p()).sqrt(),
            Triangular => self.triangular(a, b, c),
            Power => (1.0 - (-self.standard_exponential()).exp()).powf(1.0 / a),
            StandardCauchy => self.standard_cauchy(),
            StandardT => self.standard_t(a),
            F => self.f(a, b),
            NoncentralChisquare => self.noncentral_chisquare(a, b),
            NoncentralF => self.noncentral_f(a, b, c),
            Wald => self.wald(a, b),
            Vonmises => self.vonmises(a, b),
            Seed | Randint | Poisson | Binomial | Geometric | NegativeBinomial | Zipf | Logseries | Choice | Shuffle
            | Permutation => {
                unreachable!("not a float distribution")
            }
        }
    }

    /// One integer draw of `f`: randint's `[low, high]` as (offset, range) in `ia`, `ib`; the
    /// float parameters in `x`, `y`.
    fn draw_i64(&mut self, f: RandomFn, ia: i64, ib: i64, x: f64, y: f64) -> i64 {
        match f {
            RandomFn::Randint => self.bounded(ia as u64, ib as u64) as i64,
            RandomFn::Poisson => self.poisson(x),
            RandomFn::Binomial => self.binomial(ia, x),
            RandomFn::Geometric => self.geometric(x),
            // `legacy_negative_binomial`: a Poisson draw of a gamma draw.
            RandomFn::NegativeBinomial => {
                let lam = (1.0 - y) / y * self.standard_gamma(x);
                self.poisson(lam)
            }
            RandomFn::Zipf => self.zipf(x),
            RandomFn::Logseries => self.logseries(x),
            _ => unreachable!("not an integer distribution"),
        }
    }
}

/// The smallest bit mask covering `max`.
fn gen_mask(max: u64) -> u64 {
    let mut mask = max;
    for s in [1, 2, 4, 8, 16, 32] {
        mask |= mask >> s;
    }
    mask
}

/// NumPy's `CONS_NON_NEGATIVE`: a negative number (-0.0 too), NaN allowed.
fn negative(x: f64) -> bool {
    !x.is_nan() && x.is_sign_negative()
}

/// Checks the parameters of a float distribution as NumPy does before drawing, and gives them
/// as the draw takes them (uniform's `(low, high)` as `(low, high - low)`).
fn check_f64(f: RandomFn, a: f64, b: f64, c: f64) -> Result<(f64, f64, f64), Status> {
    use RandomFn::*;
    let fail = |bad: bool, message: &'static str| if bad { Err(value_error(message)) } else { Ok(()) };
    match f {
        Normal | Laplace | Logistic | Gumbel => fail(negative(b), "scale < 0")?,
        Lognormal => fail(negative(b), "sigma < 0")?,
        Exponential | Rayleigh => fail(negative(a), "scale < 0")?,
        StandardGamma => fail(negative(a), "shape < 0")?,
        Gamma => {
            fail(negative(a), "shape < 0")?;
            fail(negative(b), "scale < 0")?
        }
        Beta => {
            fail(a <= 0.0, "a <= 0")?;
            fail(b <= 0.0, "b <= 0")?
        }
        Chisquare => fail(a <= 0.0, "df <= 0")?,
        Weibull => fail(negative(a), "a < 0")?,
        Pareto => fail(a <= 0.0, "a <= 0")?,
        Power => fail(a <= 0.0, "a <= 0")?,
        StandardT => fail(a <= 0.0, "df <= 0")?,
        F => {
            fail(a <= 0.0, "dfnum <= 0")?;
            fail(b <= 0.0, "dfden <= 0")?
        }
        NoncentralChisquare => {
            fail(a <= 0.0, "df <= 0")?;
            fail(negative(b), "nonc < 0")?
        }
        NoncentralF => {
            fail(a <= 0.0, "dfnum <= 0")?;
            fail(b <= 0.0, "dfden <= 0")?;
            fail(negative(c), "nonc < 0")?
        }
        Wald => {
            fail(a <= 0.0, "mean <= 0")?;
            fail(b <= 0.0, "scale <= 0")?
        }
        Vonmises => fail(negative(b), "kappa < 0")?,
        Triangular => {
            fail(a > b, "left > mode")?;
            fail(b > c, "mode > right")?;
            fail(a == c, "left == right")?
        }
        Uniform => {
            let range = b - a;
            if !range.is_finite() {
                return Err(Status::RandomRange);
            }
            return Ok((a, range, c));
        }
        _ => {}
    }
    Ok((a, b, c))
}

/// Checks the parameters of an integer distribution as NumPy does; randint's `(low, high)`
/// become the (offset, range) of its closed interval.
fn check_i64(f: RandomFn, ia: i64, ib: i64, x: f64, y: f64) -> Result<(i64, i64, f64, f64), Status> {
    let fail = |bad: bool, message: &'static str| if bad { Err(value_error(message)) } else { Ok(()) };
    match f {
        RandomFn::Randint => {
            let (low, high) = (ia as i128, ib as i128 - 1);
            if low > high {
                return Err(value_error(if low == 0 { "high <= 0" } else { "low >= high" }));
            }
            return Ok((ia, (high - low) as u64 as i64, x, y));
        }
        RandomFn::Poisson => {
            let max = i64::MAX as f64 - (i64::MAX as f64).sqrt() * 10.0;
            fail(x.is_nan() || x < 0.0, "lam < 0 or lam is NaN")?;
            fail(x > max, "lam value too large")?
        }
        RandomFn::Binomial => {
            fail(!(0.0..=1.0).contains(&x), "p < 0, p > 1 or p is NaN")?;
            fail(ia < 0, "n < 0")?
        }
        RandomFn::Geometric => fail(!(x > 0.0 && x <= 1.0), "p <= 0, p > 1 or p contains NaNs")?,
        RandomFn::NegativeBinomial => {
            fail(x <= 0.0, "n <= 0")?;
            fail(!(0.0..=1.0).contains(&y), "p < 0, p > 1 or p is NaN")?
        }
        RandomFn::Zipf => fail(x.is_nan() || x <= 1.0, "a <= 1 or a is NaN")?,
        RandomFn::Logseries => fail(!(0.0..1.0).contains(&x), "p < 0, p >= 1 or p is NaN")?,
        _ => {}
    }
    Ok((ia, ib, x, y))
}

fn function(kind: u32) -> RandomFn {
    RandomFn::from_code(kind).expect("compiled code passes a RandomFn code")
}

/// `np.random.seed(seed)`: an int in [0, 2**32 - 1], or (`from_os`) fresh entropy from the OS.
/// A status.
pub extern "C" fn sj_rt_random_seed(seed: i64, from_os: bool) -> u32 {
    STATE.with(|s| {
        // SAFETY: as in `with_state`.
        let st = unsafe { &mut *s.get() };
        if from_os {
            st.seed_from_os();
        } else if !(0..=u32::MAX as i64).contains(&seed) {
            return value_error("Seed must be between 0 and 2**32 - 1") as u32;
        } else {
            st.seed(seed as u32);
        }
        Status::Ok as u32
    })
}

/// The calling thread's generator (seeded from the OS first if it never was), from which
/// compiled code draws uniforms itself and normals by [`sj_rt_random_gauss`]: the same pointer
/// on every call on one thread, so compiled code may ask once and draw many times.
pub extern "C" fn sj_rt_random_state() -> *mut u8 {
    STATE.with(|s| {
        // SAFETY: as in `with_state`.
        let st = unsafe { &mut *s.get() };
        if !st.seeded {
            st.seed_from_os();
        }
        s.get() as *mut u8
    })
}

/// Refills the key of the generator `state` ([`sj_rt_random_state`]) and sets its position to
/// 0: compiled code drawing a word (`codegen::random`) calls it when the key is used up.
///
/// # Safety
/// `state` is what `sj_rt_random_state` returned on the calling thread.
pub unsafe extern "C" fn sj_rt_random_generate(state: *mut u8) {
    // SAFETY: the caller's contract.
    unsafe { (*(state as *mut State)).generate() }
}

/// `np.random.standard_normal()` from the generator `state` ([`sj_rt_random_state`]).
///
/// # Safety
/// `state` is what `sj_rt_random_state` returned on the calling thread.
pub unsafe extern "C" fn sj_rt_random_gauss(state: *mut u8) -> f64 {
    // SAFETY: the caller's contract.
    unsafe { (*(state as *mut State)).gauss() }
}

/// One draw of the float distribution `kind` (a [`RandomFn`] code) with parameters `a`, `b`,
/// `c` from the generator `state`; a bad parameter sets `*status`.
///
/// # Safety
/// `state` is what [`sj_rt_random_state`] returned on the calling thread.
pub unsafe extern "C" fn sj_rt_random_f64(state: *mut u8, kind: u32, a: f64, b: f64, c: f64, status: &mut u32) -> f64 {
    let f = function(kind);
    match check_f64(f, a, b, c) {
        // SAFETY: the caller's contract.
        Ok((a, b, c)) => unsafe { (*(state as *mut State)).draw_f64(f, a, b, c) },
        Err(s) => {
            *status = s as u32;
            0.0
        }
    }
}

/// One draw of the integer distribution `kind` with int parameters `ia`, `ib` and float `x`,
/// `y` from the generator `state`; a bad parameter sets `*status`.
///
/// # Safety
/// As [`sj_rt_random_f64`].
pub unsafe extern "C" fn sj_rt_random_i64(state: *mut u8, kind: u32, ia: i64, ib: i64, x: f64, y: f64, status: &mut u32) -> i64 {
    let f = function(kind);
    match check_i64(f, ia, ib, x, y) {
        // SAFETY: the caller's contract.
        Ok((ia, ib, x, y)) => unsafe { (*(state as *mut State)).draw_i64(f, ia, ib, x, y) },
        Err(s) => {
            *status = s as u32;
            0
        }
    }
}

/// Fills `out[0..n]` with draws of the float distribution `kind`, in order (the same values as
/// `n` calls of [`sj_rt_random_f64`]); the parameters are checked once, first. A status.
///
/// # Safety
/// `out` points to `n` writable doubles.
pub unsafe extern "C" fn sj_rt_random_fill_f64(kind: u32, out: *mut f64, n: i64, a: f64, b: f64, c: f64) -> u32 {
    let f = function(kind);
    let (a, b, c) = match check_f64(f, a, b, c) {
        Ok(p) => p,
        Err(s) => return s as u32,
    };
    // SAFETY: the caller's contract.
    let out = unsafe { std::slice::from_raw_parts_mut(out, n.max(0) as usize) };
    with_state(|st| out.iter_mut().for_each(|x| *x = st.draw_f64(f, a, b, c)));
    Status::Ok as u32
}

/// Fills `out[0..n]` with draws of the integer distribution `kind`, as [`sj_rt_random_fill_f64`].
/// randint of no values checks nothing, as NumPy.
///
/// # Safety
/// `out` points to `n` writable int64.
pub unsafe extern "C" fn sj_rt_random_fill_i64(kind: u32, out: *mut i64, n: i64, ia: i64, ib: i64, x: f64, y: f64) -> u32 {
    let f = function(kind);
    if f == RandomFn::Randint && n <= 0 {
        return Status::Ok as u32;
    }
    let (ia, ib, x, y) = match check_i64(f, ia, ib, x, y) {
        Ok(p) => p,
        Err(s) => return s as u32,
    };
    // SAFETY: the caller's contract.
    let out = unsafe { std::slice::from_raw_parts_mut(out, n.max(0) as usize) };
    with_state(|st| out.iter_mut().for_each(|v| *v = st.draw_i64(f, ia, ib, x, y)));
    Status::Ok as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(seed: i64, kind: RandomFn, n: usize, a: f64, b: f64, c: f64) -> Vec<f64> {
        assert_eq!(sj_rt_random_seed(seed, false), 0);
        let mut st = 0;
        // SAFETY: the thread's own generator.
        (0..n).map(|_| unsafe { sj_rt_random_f64(sj_rt_random_state(), kind.code(), a, b, c, &mut st) }).collect()
    }

    /// The MT19937 reference output for init_genrand(5489) (Knuth seeding is NumPy's
    /// `mt19937_seed`): the first tempered words.
    #[test]
    fn mt19937_reference_words() {
        let mut s = State { key: [0; N], pos: N, has_gauss: false, gauss: 0.0, seeded: false };
        s.seed(5489);
        let first: Vec<u32> = (0..3).map(|_| s.next_u32()).collect();
        assert_eq!(first, [3499211612, 581869302, 3890346734]);
    }

    #[test]
    fn fill_equals_successive_draws_and_seed_clears_the_gauss_cache() {
        let one = draws(7, RandomFn::StandardNormal, 5, 0.0, 0.0, 0.0);
        sj_rt_random_seed(7, false);
        let mut filled = vec![0.0; 5];
        // SAFETY: `filled` holds 5 doubles.
        assert_eq!(unsafe { sj_rt_random_fill_f64(RandomFn::Randn.code(), filled.as_mut_ptr(), 5, 0.0, 0.0, 0.0) }, 0);
        assert_eq!(one, filled);
        // An odd number of normals leaves one cached; seeding drops it.
        assert_eq!(draws(7, RandomFn::StandardNormal, 1, 0.0, 0.0, 0.0), one[..1]);
    }

    #[test]
    fn bad_parameters_are_numpys_errors() {
        let state = sj_rt_random_state();
        let mut st = 0;
        // SAFETY (each call): the thread's own generator.
        unsafe { sj_rt_random_f64(state, RandomFn::Normal.code(), 0.0, -0.0, 0.0, &mut st) };
        assert_eq!((st, last_error()), (Status::RandomValue as u32, "scale < 0"));
        let mut st = 0;
        unsafe { sj_rt_random_i64(state, RandomFn::Randint.code(), 0, 0, 0.0, 0.0, &mut st) };
        assert_eq!((st, last_error()), (Status::RandomValue as u32, "high <= 0"));
        assert_eq!(sj_rt_random_seed(1 << 32, false), Status::RandomValue as u32);
        let mut st = 0;
        unsafe { sj_rt_random_f64(state, RandomFn::Uniform.code(), 0.0, f64::INFINITY, 0.0, &mut st) };
        assert_eq!(st, Status::RandomRange as u32);
    }

    #[test]
    fn randint_covers_full_ranges() {
        let mut st = 0;
        sj_rt_random_seed(3, false);
        let state = sj_rt_random_state();
        for _ in 0..100 {
            // SAFETY: the thread's own generator.
            let v = unsafe { sj_rt_random_i64(state, RandomFn::Randint.code(), -5, 3, 0.0, 0.0, &mut st) };
            assert!((-5..3).contains(&v));
        }
        // SAFETY: as above.
        unsafe { sj_rt_random_i64(state, RandomFn::Randint.code(), i64::MIN, i64::MAX, 0.0, 0.0, &mut st) };
        assert_eq!(st, 0);
    }
}
