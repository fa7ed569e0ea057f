//! NumPy's `Generator` API for compiled code: a Generator is a pointer to a NumPy `bitgen_t`
//! (the bit generator's state and its `next_uint64`/`next_uint32`/`next_double` functions),
//! and each method is NumPy's own algorithm (`distributions.c`, `_generator.pyx`) drawing
//! through it, so the values are NumPy's bit for bit.
//!
//! A Generator passed in from Python is the `bitgen_t` of its bit generator (its `capsule`):
//! compiled code draws through NumPy's own state, which Python then sees advanced, whatever the
//! bit generator (PCG64, MT19937, Philox, SFC64). `np.random.default_rng(seed)` in compiled code
//! makes a PCG64 of its own ([`Owned`], laid out as NumPy's `pcg64_state`), seeded as NumPy
//! seeds it: `SeedSequence(seed).generate_state(4, uint64)`, then `pcg64_set_seed`.
//!
//! Errors are NumPy's exceptions and messages, recorded as a `raise` ([`Status::Raised`]).

use std::ffi::c_void;

use super::ziggurat::{
    FE_DOUBLE, FI_DOUBLE, KE_DOUBLE, KI_DOUBLE, WE_DOUBLE, WI_DOUBLE, ZIGGURAT_EXP_R, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R,
};
use crate::registry::generator::GenFn;
use crate::runtime::Status;

mod choice;
mod gamma;

pub use choice::{sj_rt_gen_choice, sj_rt_gen_shuffle};

type Next<T> = unsafe extern "C" fn(*mut c_void) -> T;

/// NumPy's `bitgen_t` (`numpy/random/bitgen.h`).
#[repr(C)]
pub struct BitGen {
    state: *mut c_void,
    next_uint64: Next<u64>,
    next_uint32: Next<u32>,
    next_double: Next<f64>,
    next_raw: Next<u64>,
}

/// PCG64's 128-bit LCG state and increment (`pcg_state_setseq_128`).
#[repr(C)]
struct Pcg64Random {
    state: u128,
    inc: u128,
}

/// NumPy's `pcg64_state`: the LCG and the upper half of a 64-bit draw kept for the next 32-bit
/// draw.
#[repr(C)]
struct Pcg64State {
    pcg: *mut Pcg64Random,
    has_uint32: i32,
    uinteger: u32,
}

/// A Generator made by `np.random.default_rng` in compiled code: one block holding the
/// `bitgen_t` compiled code points to and the PCG64 it draws from.
#[repr(C)]
struct Owned {
    bitgen: BitGen,
    state: Pcg64State,
    rng: Pcg64Random,
}

const PCG_MULT: u128 = (2_549_297_995_355_413_924u128 << 64) + 4_865_540_595_714_422_341;

impl Pcg64Random {
    #[inline(always)]
    fn step(&mut self) {
        self.state = self.state.wrapping_mul(PCG_MULT).wrapping_add(self.inc);
    }

    /// `pcg_setseq_128_xsl_rr_64_random_r`: a step, then the XSL-RR output of the new state.
    #[inline(always)]
    fn next(&mut self) -> u64 {
        self.step();
        let s = self.state;
        ((s >> 64) as u64 ^ s as u64).rotate_right((s >> 122) as u32)
    }

    /// `pcg_setseq_128_srandom_r`.
    fn seed(&mut self, initstate: u128, initseq: u128) {
        self.state = 0;
        self.inc = (initseq << 1) | 1;
        self.step();
        self.state = self.state.wrapping_add(initstate);
        self.step();
    }
}

/// `pcg64_next64`: the `next_uint64` of a Generator made by [`sj_rt_gen_new`]. Compiled code
/// compares a Generator's `next_uint64` with this function's address and, when equal, steps the
/// PCG64 itself (`codegen::generator`), as [`BitGen`]'s draws here do.
///
/// # Safety
/// `st` is the `state` of a `bitgen_t` [`sj_rt_gen_new`] made.
pub unsafe extern "C" fn sj_rt_gen_pcg64_next64(st: *mut c_void) -> u64 {
    // SAFETY: `st` is the `Pcg64State` of an [`Owned`].
    unsafe { (*(*(st as *mut Pcg64State)).pcg).next() }
}

/// `pcg64_next32`: the low half of a 64-bit draw, the high half kept for the next call.
unsafe extern "C" fn pcg64_next32(st: *mut c_void) -> u32 {
    // SAFETY: as in `sj_rt_gen_pcg64_next64`.
    let s = unsafe { &mut *(st as *mut Pcg64State) };
    if s.has_uint32 != 0 {
        s.has_uint32 = 0;
        return s.uinteger;
    }
    // SAFETY: as above.
    let next = unsafe { (*s.pcg).next() };
    s.has_uint32 = 1;
    s.uinteger = (next >> 32) as u32;
    next as u32
}

/// `pcg64_double`: `uint64_to_double(next64)`.
unsafe extern "C" fn pcg64_double(st: *mut c_void) -> f64 {
    // SAFETY: as in `sj_rt_gen_pcg64_next64`.
    uint64_to_double(unsafe { sj_rt_gen_pcg64_next64(st) })
}

#[inline(always)]
fn uint64_to_double(r: u64) -> f64 {
    (r >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

// `SeedSequence`'s constants (`bit_generator.pyx`).
const INIT_A: u32 = 0x43b0_d7e5;
const MULT_A: u32 = 0x931e_8875;
const INIT_B: u32 = 0x8b51_f9dd;
const MULT_B: u32 = 0x58f3_8ded;
const MIX_MULT_L: u32 = 0xca01_f9dd;
const MIX_MULT_R: u32 = 0x4973_f715;
const XSHIFT: u32 = 16;
const POOL_SIZE: usize = 4;

fn hashmix(value: u32, hash_const: &mut u32) -> u32 {
    let mut v = value ^ *hash_const;
    *hash_const = hash_const.wrapping_mul(MULT_A);
    v = v.wrapping_mul(*hash_const);
    v ^ (v >> XSHIFT)
}

fn mix(x: u32, y: u32) -> u32 {
    let r = MIX_MULT_L.wrapping_mul(x).wrapping_sub(MIX_MULT_R.wrapping_mul(y));
    r ^ (r >> XSHIFT)
}

/// `SeedSequence(entropy).generate_state(4, np.uint64)`: the pool mixed from the entropy's
/// 32-bit words (lowest first), then 8 words drawn from it and read as 4 little-endian uint64.
fn seed_sequence_state(entropy: &[u32]) -> [u64; 4] {
    let mut pool = [0u32; POOL_SIZE];
    let mut hc = INIT_A;
    for (i, p) in pool.iter_mut().enumerate() {
        *p = hashmix(entropy.get(i).copied().unwrap_or(0), &mut hc);
    }
    for src in 0..POOL_SIZE {
        for dst in 0..POOL_SIZE {
            if src != dst {
                pool[dst] = mix(pool[dst], hashmix(pool[src], &mut hc));
            }
        }
    }
    for &e in entropy.iter().skip(POOL_SIZE) {
        for p in pool.iter_mut() {
            *p = mix(*p, hashmix(e, &mut hc));
        }
    }
    let mut hc = INIT_B;
    let mut words = [0u32; 8];
    for (i, w) in words.iter_mut().enumerate() {
        let mut v = pool[i % POOL_SIZE] ^ hc;
        hc = hc.wrapping_mul(MULT_B);
        v = v.wrapping_mul(hc);
        *w = v ^ (v >> XSHIFT);
    }
    std::array::from_fn(|k| words[2 * k] as u64 | (words[2 * k + 1] as u64) << 32)
}

/// `_int_to_uint32_array(n)`: a non-negative integer's 32-bit words, lowest first (`[0]` for 0).
fn int_words(n: u64) -> Vec<u32> {
    if n == 0 {
        return vec![0];
    }
    let mut out = Vec::new();
    let mut n = n;
    while n > 0 {
        out.push(n as u32);
        n >>= 32;
    }
    out
}

fn raise(class: &str, message: &str) -> Status {
    crate::runtime::record_raised(class, message.to_string());
    Status::Raised
}

/// How [`sj_rt_gen_new`] seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SeedMode {
    /// An int64 seed (negative: NumPy's ValueError).
    Int = 0,
    /// A uint64 seed (the slot's bits).
    UInt = 1,
    /// `default_rng()`, `default_rng(None)`: 128 bits of the OS's entropy.
    Os = 2,
}

/// The 128 bits of entropy `SeedSequence()` takes from the OS (`secrets.randbits(128)`).
fn os_entropy() -> Vec<u32> {
    let mut words = [0u32; POOL_SIZE];
    let bytes = std::mem::size_of_val(&words);
    let mut filled = 0;
    while filled < bytes {
        // SAFETY: writes at most the `bytes - filled` bytes left in `words`.
        let n = unsafe { libc::getrandom((words.as_mut_ptr() as *mut u8).add(filled).cast(), bytes - filled, 0) };
        if n <= 0 {
            break;
        }
        filled += n as usize;
    }
    if filled < bytes {
        // No entropy from the kernel: the clock and an address, mixed by the seed sequence.
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        words = [t as u32, (t >> 32) as u32, (t >> 64) as u32, &words as *const _ as usize as u32];
    }
    words.to_vec()
}

/// `np.random.default_rng(seed)`: a new Generator over a PCG64 seeded as NumPy seeds it, in a
/// block of the calling thread's live list (`memory`: freed when the call that made it ends),
/// or null with `*status` set (a negative seed: NumPy's ValueError; no memory: MemoryError).
pub extern "C" fn sj_rt_gen_new(seed: i64, mode: u32, status: &mut u32) -> *mut u8 {
    let entropy = match mode {
        m if m == SeedMode::Os as u32 => os_entropy(),
        m if m == SeedMode::UInt as u32 => int_words(seed as u64),
        _ if seed < 0 => {
            *status = raise("ValueError", "expected non-negative integer") as u32;
            return std::ptr::null_mut();
        }
        _ => int_words(seed as u64),
    };
    let header = crate::memory::sj_rt_new_block(std::mem::size_of::<Owned>() as i64, true);
    if header.is_null() {
        *status = Status::OutOfMemory as u32;
        return std::ptr::null_mut();
    }
    // SAFETY: a fresh block of `size_of::<Owned>()` bytes, 64-byte aligned, at DATA_OFFSET.
    let owned = unsafe { &mut *((header as *mut u8).add(crate::memory::DATA_OFFSET as usize) as *mut Owned) };
    let v = seed_sequence_state(&entropy);
    owned.rng.seed((v[0] as u128) << 64 | v[1] as u128, (v[2] as u128) << 64 | v[3] as u128);
    owned.state = Pcg64State { pcg: &mut owned.rng, has_uint32: 0, uinteger: 0 };
    owned.bitgen = BitGen {
        state: &mut owned.state as *mut Pcg64State as *mut c_void,
        next_uint64: sj_rt_gen_pcg64_next64,
        next_uint32: pcg64_next32,
        next_double: pcg64_double,
        next_raw: sj_rt_gen_pcg64_next64,
    };
    &mut owned.bitgen as *mut BitGen as *mut u8
}

/// A `bitgen_t` over NumPy's own PCG64 state `state` (a `pcg64_state`, laid out as
/// [`Pcg64State`]) with the runtime's PCG64 functions, as five slots: compiled code then steps
/// NumPy's PCG64 inline (its `next_uint64` is [`sj_rt_gen_pcg64_next64`]), and the state it
/// advances is NumPy's. The dispatcher uses it for a `numpy.random.PCG64` once
/// [`pcg64_state_of`] has read what NumPy reports.
pub fn pcg64_bitgen(state: *mut c_void) -> [u64; 5] {
    let f = |p: usize| p as u64;
    [
        state as usize as u64,
        f(sj_rt_gen_pcg64_next64 as Next<u64> as usize),
        f(pcg64_next32 as Next<u32> as usize),
        f(pcg64_double as Next<f64> as usize),
        f(sj_rt_gen_pcg64_next64 as Next<u64> as usize),
    ]
}

/// The PCG64 state, increment, `has_uint32` and `uinteger` at `state`, read as [`Pcg64State`]
/// lays them out (to check once that NumPy's `pcg64_state` is laid out so).
///
/// # Safety
/// `state` is the `state` of a live `numpy.random.PCG64`'s `bitgen_t`.
pub unsafe fn pcg64_state_of(state: *const c_void) -> (u128, u128, i32, u32) {
    // SAFETY: the caller's contract.
    unsafe {
        let s = &*(state as *const Pcg64State);
        ((*s.pcg).state, (*s.pcg).inc, s.has_uint32, s.uinteger)
    }
}

impl BitGen {
    /// A 64-bit draw: our own PCG64 inlined, any other bit generator through its function.
    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        // SAFETY: `state` is the state `next_uint64` takes.
        unsafe {
            if self.next_uint64 as usize == sj_rt_gen_pcg64_next64 as Next<u64> as usize {
                return (*(*(self.state as *mut Pcg64State)).pcg).next();
            }
            (self.next_uint64)(self.state)
        }
    }

    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        // SAFETY: as in `next_u64`.
        unsafe { (self.next_uint32)(self.state) }
    }

    #[inline(always)]
    fn next_double(&mut self) -> f64 {
        // SAFETY: as in `next_u64`.
        unsafe {
            if self.next_double as usize == pcg64_double as Next<f64> as usize {
                return uint64_to_double((*(*(self.state as *mut Pcg64State)).pcg).next());
            }
            (self.next_double)(self.state)
        }
    }

    /// `random_standard_normal`: the 256-layer ziggurat of 64-bit draws.
    fn standard_normal(&mut self) -> f64 {
        let mut r = self.next_u64();
        let idx = (r & 0xff) as usize;
        r >>= 8;
        let sign = r & 1;
        let rabs = (r >> 1) & 0x000f_ffff_ffff_ffff;
        // `if (sign & 0x1) x = -x;` without a branch (a coin flip mispredicts half the time).
        let x = f64::from_bits((rabs as f64 * WI_DOUBLE[idx]).to_bits() ^ (sign << 63));
        if rabs < KI_DOUBLE[idx] {
            return x;
        }
        self.normal_unlikely(idx, rabs, x)
    }

    /// The rest of `random_standard_normal` after a first draw outside layer `idx`'s core
    /// (`rabs`, `x` as drawn): the tail (`idx` 0) or the wedge test, else a new draw.
    #[cold]
    fn normal_unlikely(&mut self, idx: usize, rabs: u64, x: f64) -> f64 {
        if idx == 0 {
            loop {
                let xx = -ZIGGURAT_NOR_INV_R * (-self.next_double()).ln_1p();
                let yy = -(-self.next_double()).ln_1p();
                if yy + yy > xx * xx {
                    return if (rabs >> 8) & 1 != 0 { -(ZIGGURAT_NOR_R + xx) } else { ZIGGURAT_NOR_R + xx };
                }
            }
        }
        if (FI_DOUBLE[idx - 1] - FI_DOUBLE[idx]) * self.next_double() + FI_DOUBLE[idx] < (-0.5 * x * x).exp() {
            return x;
        }
        self.standard_normal()
    }

    /// `random_standard_exponential`: the 256-layer ziggurat.
    fn standard_exponential(&mut self) -> f64 {
        loop {
            let mut ri = self.next_u64();
            ri >>= 3;
            let idx = (ri & 0xff) as usize;
            ri >>= 8;
            let x = ri as f64 * WE_DOUBLE[idx];
            if ri < KE_DOUBLE[idx] {
                return x;
            }
            // `standard_exponential_unlikely`, its tail call a loop.
            if idx == 0 {
                return ZIGGURAT_EXP_R - (-self.next_double()).ln_1p();
            }
            if (FE_DOUBLE[idx - 1] - FE_DOUBLE[idx]) * self.next_double() + FE_DOUBLE[idx] < (-x).exp() {
                return x;
            }
        }
    }

    /// `random_bounded_uint64(off, rng, use_masked=False)`: a value in `[off, off + rng]`
    /// (wrapping) by Lemire's method, on 32-bit draws when `rng` fits in 32 bits.
    pub(super) fn bounded(&mut self, off: u64, rng: u64) -> u64 {
        if rng == 0 {
            return off;
        }
        if rng <= 0xffff_ffff {
            if rng == 0xffff_ffff {
                return off.wrapping_add(self.next_u32() as u64);
            }
            let rng_excl = rng as u32 + 1;
            let mut m = self.next_u32() as u64 * rng_excl as u64;
            let mut leftover = m as u32;
            if leftover < rng_excl {
                let threshold = (u32::MAX - rng as u32) % rng_excl;
                while leftover < threshold {
                    m = self.next_u32() as u64 * rng_excl as u64;
                    leftover = m as u32;
                }
            }
            return off.wrapping_add(m >> 32);
        }
        if rng == u64::MAX {
            return off.wrapping_add(self.next_u64());
        }
        let rng_excl = rng + 1;
        let mut m = self.next_u64() as u128 * rng_excl as u128;
        let mut leftover = m as u64;
        if leftover < rng_excl {
            let threshold = (u64::MAX - rng) % rng_excl;
            while leftover < threshold {
                m = self.next_u64() as u128 * rng_excl as u128;
                leftover = m as u64;
            }
        }
        off.wrapping_add((m >> 64) as u64)
    }

    /// `random_interval(max)`: a value in `[0, max]`, draws masked to `max`'s bit width until
    /// one fits (32-bit draws when `max` fits in 32 bits).
    pub(super) fn interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = super::gen_mask(max);
        if max <= 0xffff_ffff {
            loop {
                let v = self.next_u32() as u64 & mask;
                if v <= max {
                    return v;
                }
            }
        }
        loop {
            let v = self.next_u64() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `Generator.random()`.
    pub(super) fn random(&mut self) -> f64 {
        self.next_double()
    }

    /// One float draw of `f` (its parameters checked already; uniform's as `(low, range)`).
    #[inline]
    fn draw_f64(&mut self, f: GenFn, a: f64, b: f64) -> f64 {
        match f {
            GenFn::Random => self.next_double(),
            GenFn::StandardNormal => self.standard_normal(),
            GenFn::Normal => a + b * self.standard_normal(),
            GenFn::Uniform => a + b * self.next_double(),
            GenFn::Exponential => a * self.standard_exponential(),
            GenFn::StandardExponential => self.standard_exponential(),
            GenFn::Beta => self.beta(a, b),
            GenFn::Gamma => b * self.standard_gamma(a),
            GenFn::StandardGamma => self.standard_gamma(a),
            GenFn::Geometric => self.geometric(a),
            _ => unreachable!("not a float distribution"),
        }
    }
}

/// NumPy's `CONS_NON_NEGATIVE`: a negative number (-0.0 too); NaN passes.
fn negative(x: f64) -> bool {
    !x.is_nan() && x.is_sign_negative()
}

/// The checks of a float method before any draw, with NumPy's messages; its parameters as the
/// draw takes them (uniform's `(low, high)` as `(low, high - low)`).
fn check_f64(f: GenFn, a: f64, b: f64) -> Result<(f64, f64), Status> {
    match f {
        GenFn::Normal if negative(b) => Err(raise("ValueError", "scale < 0")),
        GenFn::Exponential if negative(a) => Err(raise("ValueError", "scale < 0")),
        // NumPy's CONS_POSITIVE (`val <= 0`: NaN passes), in parameter order.
        GenFn::Beta if a <= 0.0 => Err(raise("ValueError", "a <= 0")),
        GenFn::Beta if b <= 0.0 => Err(raise("ValueError", "b <= 0")),
        GenFn::Gamma | GenFn::StandardGamma if negative(a) => Err(raise("ValueError", "shape < 0")),
        GenFn::Gamma if negative(b) => Err(raise("ValueError", "scale < 0")),
        // CONS_BOUNDED_GT_0_1.
        GenFn::Geometric if !(a > 0.0 && a <= 1.0) => Err(raise("ValueError", "p <= 0, p > 1 or p contains NaNs")),
        GenFn::Uniform => {
            let range = b - a;
            if !range.is_finite() {
                return Err(raise("OverflowError", "high - low range exceeds valid bounds"));
            }
            if negative(range) {
                return Err(raise("ValueError", "high - low < 0"));
            }
            Ok((a, range))
        }
        _ => Ok((a, b)),
    }
}

/// `integers(low, high, endpoint=endpoint)`'s checks (`_rand_int64`): the closed interval as
/// (offset, range).
fn check_integers(low: i64, high: i64, endpoint: bool) -> Result<(u64, u64), Status> {
    let (lo, hi) = (low as i128, high as i128 - if endpoint { 0 } else { 1 });
    if lo > hi {
        let message = match (low == 0, endpoint) {
            (true, false) => "high <= 0",
            (true, true) => "high < 0",
            (false, false) => "low >= high",
            (false, true) => "low > high",
        };
        return Err(raise("ValueError", message));
    }
    Ok((low as u64, (hi - lo) as u64))
}

fn function(kind: u32) -> GenFn {
    GenFn::from_code(kind).expect("compiled code passes a GenFn code")
}

/// One draw of the float method `kind` (a [`GenFn`] code) with parameters `a`, `b` from the
/// Generator `bitgen`; a bad parameter sets `*status`.
///
/// # Safety
/// `bitgen` is a live `bitgen_t` no other thread draws from meanwhile.
pub unsafe extern "C" fn sj_rt_gen_f64(bitgen: *mut BitGen, kind: u32, a: f64, b: f64, status: &mut u32) -> f64 {
    let f = function(kind);
    match check_f64(f, a, b) {
        // SAFETY: the caller's contract.
        Ok((a, b)) => unsafe { (*bitgen).draw_f64(f, a, b) },
        Err(s) => {
            *status = s as u32;
            0.0
        }
    }
}

/// The rest of `Generator.standard_normal()` after compiled code's first draw fell outside the
/// core of layer `idx` (`codegen::generator` draws the common case itself).
///
/// # Safety
/// As [`sj_rt_gen_f64`]; `idx` is below 256.
pub unsafe extern "C" fn sj_rt_gen_normal_tail(bitgen: *mut BitGen, idx: i64, rabs: i64, x: f64) -> f64 {
    // SAFETY: the caller's contract.
    unsafe { (*bitgen).normal_unlikely(idx as usize & 0xff, rabs as u64, x) }
}

/// `Generator.integers(low, high, endpoint=endpoint)` (int64) from `bitgen`; `low >= high`
/// sets `*status`.
///
/// # Safety
/// As [`sj_rt_gen_f64`].
pub unsafe extern "C" fn sj_rt_gen_integers(bitgen: *mut BitGen, low: i64, high: i64, endpoint: bool, status: &mut u32) -> i64 {
    match check_integers(low, high, endpoint) {
        // SAFETY: the caller's contract.
        Ok((off, rng)) => unsafe { (*bitgen).bounded(off, rng) as i64 },
        Err(s) => {
            *status = s as u32;
            0
        }
    }
}

/// Fills `out[0..n]` with draws of the float method `kind`, in order (the values of `n` calls
/// of [`sj_rt_gen_f64`]); the parameters are checked first, even for no values, as NumPy. A
/// status.
///
/// # Safety
/// As [`sj_rt_gen_f64`]; `out` points to `n` writable doubles.
pub unsafe extern "C" fn sj_rt_gen_fill_f64(bitgen: *mut BitGen, kind: u32, out: *mut f64, n: i64, a: f64, b: f64) -> u32 {
    let f = function(kind);
    let (a, b) = match check_f64(f, a, b) {
        Ok(p) => p,
        Err(s) => return s as u32,
    };
    // SAFETY: the caller's contract.
    let (out, g) = unsafe { (std::slice::from_raw_parts_mut(out, n.max(0) as usize), &mut *bitgen) };
    match f {
        GenFn::StandardNormal => out.iter_mut().for_each(|x| *x = g.standard_normal()),
        GenFn::Random => out.iter_mut().for_each(|x| *x = g.next_double()),
        // An int64 array (its elements the bits of `out`'s): the draws as integers.
        GenFn::Geometric => out.iter_mut().for_each(|x| *x = f64::from_bits(g.geometric(a) as i64 as u64)),
        _ => out.iter_mut().for_each(|x| *x = g.draw_f64(f, a, b)),
    }
    Status::Ok as u32
}

/// Fills `out[0..n]` with `integers(low, high, endpoint=endpoint)`; no values check nothing
/// (NumPy returns an empty array first). A status.
///
/// # Safety
/// As [`sj_rt_gen_f64`]; `out` points to `n` writable int64.
pub unsafe extern "C" fn sj_rt_gen_fill_i64(
    bitgen: *mut BitGen,
    out: *mut i64,
    n: i64,
    low: i64,
    high: i64,
    endpoint: bool,
) -> u32 {
    if n <= 0 {
        return Status::Ok as u32;
    }
    let (off, rng) = match check_integers(low, high, endpoint) {
        Ok(p) => p,
        Err(s) => return s as u32,
    };
    // SAFETY: the caller's contract.
    let (out, g) = unsafe { (std::slice::from_raw_parts_mut(out, n as usize), &mut *bitgen) };
    out.iter_mut().for_each(|v| *v = g.bounded(off, rng) as i64);
    Status::Ok as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng(seed: i64) -> *mut BitGen {
        let mut st = 0;
        let g = sj_rt_gen_new(seed, SeedMode::Int as u32, &mut st);
        assert_eq!(st, 0);
        g as *mut BitGen
    }

    /// The first draws of `np.random.default_rng(seed=42).random((3, 3))`, as NumPy's
    /// documentation of `default_rng` prints them (8 digits; tests/test_random_generator.py
    /// compares every bit against NumPy itself).
    #[test]
    fn default_rng_is_numpys_pcg64() {
        let g = rng(42);
        // SAFETY: a generator just made, on this thread.
        let first: Vec<f64> = (0..4).map(|_| unsafe { (*g).random() }).collect();
        for (x, want) in first.iter().zip([0.77395605, 0.43887844, 0.85859792, 0.69736803]) {
            assert!((x - want).abs() < 1e-8, "{first:?}");
        }
        crate::memory::take_live().into_iter().for_each(|d| unsafe { crate::memory::free_detached(d.header) });
    }

    #[test]
    fn bad_parameters_are_numpys_errors() {
        let g = rng(1);
        let mut st = 0;
        // SAFETY (each call): a live generator.
        unsafe { sj_rt_gen_f64(g, GenFn::Normal.code(), 0.0, -1.0, &mut st) };
        assert_eq!((st, crate::runtime::last_raised().1.as_deref()), (Status::Raised as u32, Some("scale < 0")));
        let mut st = 0;
        unsafe { sj_rt_gen_integers(g, 0, 0, false, &mut st) };
        assert_eq!(crate::runtime::last_raised().1.as_deref(), Some("high <= 0"));
        let mut st = 0;
        unsafe { sj_rt_gen_integers(g, 5, 3, true, &mut st) };
        assert_eq!(crate::runtime::last_raised().1.as_deref(), Some("low > high"));
        let mut st = 0;
        assert!(sj_rt_gen_new(-1, SeedMode::Int as u32, &mut st).is_null());
        assert_eq!(crate::runtime::last_raised().1.as_deref(), Some("expected non-negative integer"));
        crate::memory::take_live().into_iter().for_each(|d| unsafe { crate::memory::free_detached(d.header) });
    }
}
