//! Python's `random` module for compiled code: CPython's Mersenne Twister (`_randommodule.c`:
//! `init_by_array` seeding from an int's 32-bit words, `random()` from two words) and the
//! algorithms of `Lib/random.py` (`_randbelow` by `getrandbits` with rejection, `gauss` with its
//! cached second value, Kinderman–Monahan `normalvariate`, ...), so that after `random.seed(n)`
//! compiled code draws exactly what CPython draws after `random.seed(n)`.
//!
//! Each thread has its own generator, apart from CPython's and from `np.random`'s (as Numba); a
//! thread that draws before any `random.seed` in compiled code is seeded from the OS's entropy,
//! as `random.seed()` does. Errors are CPython's exceptions and messages (as [`Status::Raised`],
//! the class and message recorded).

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU32, Ordering};

use super::{State, N};
use crate::runtime::Status;

thread_local! {
    static PY_STATE: UnsafeCell<State> =
        const { UnsafeCell::new(State { key: [0; N], pos: N, has_gauss: false, gauss: 0.0, seeded: false }) };
}

/// The minor version of the Python running compiled code (3.x): messages changed in 3.12.
static PYTHON_MINOR: AtomicU32 = AtomicU32::new(11);

/// Tells the runtime which Python 3 minor version it runs under (for CPython's messages).
pub fn set_python_minor(minor: u32) {
    PYTHON_MINOR.store(minor, Ordering::Relaxed);
}

fn raise(class: &str, message: String) -> Status {
    crate::runtime::record_raised(class, message);
    Status::Raised
}

/// The integer operations of `random` ([`sj_rt_pyrandom_i64`]'s `op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum PyIntOp {
    /// `randrange(a)`.
    RandrangeStop = 0,
    /// `randrange(a, b, c)`.
    Randrange = 1,
    /// `randint(a, b)`.
    Randint = 2,
    /// `choice(range(a, b, c))`.
    ChoiceRange = 3,
    /// The index `choice(seq)` takes, of a sequence of length `a`.
    ChoiceIndex = 4,
    /// `getrandbits(a)`, `a` at most 64: the bits as a u64.
    Getrandbits = 5,
}

/// The float functions of `random` ([`sj_rt_pyrandom_f64`]'s `op`); uniform's parameters are
/// `a` and the range `b - a`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum PyFloatOp {
    Uniform = 0,
    Gauss = 1,
    Normalvariate = 2,
    Expovariate = 3,
}

impl State {
    /// `init_genrand(19650218)` then `init_by_array(key)`, as `random.seed(n)` does with the
    /// 32-bit words of `abs(n)`; the cached gauss dropped.
    fn init_by_array(&mut self, key: &[u32]) {
        let mt = &mut self.key;
        mt[0] = 19_650_218;
        for i in 1..N {
            mt[i] = 1_812_433_253u32.wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_add(i as u32);
        }
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_664_525)).wrapping_add(key[j]).wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        self.pos = N;
        self.has_gauss = false;
        self.gauss = 0.0;
        self.seeded = true;
    }

    /// `random.seed(n)` for an int `n`.
    fn py_seed(&mut self, n: i64) {
        let mut m = n.unsigned_abs();
        let mut key = Vec::new();
        while m != 0 {
            key.push(m as u32);
            m >>= 32;
        }
        if key.is_empty() {
            key.push(0);
        }
        self.init_by_array(&key);
    }

    /// `random.seed()`: 624 words of the OS's entropy through `init_by_array` (the clock when
    /// the kernel gives none).
    fn py_seed_from_os(&mut self) {
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
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            key[0] ^= t as u32;
            key[1] ^= (t >> 32) as u32;
            key[2] ^= self as *const State as usize as u32;
        }
        self.init_by_array(&key);
    }

    /// `getrandbits(k)` for `1 <= k <= 128`: 32-bit words from the least significant, the last
    /// one's low bits dropped.
    fn getrandbits(&mut self, k: u32) -> u128 {
        if k <= 32 {
            return (self.next_u32() >> (32 - k)) as u128;
        }
        let (mut r, mut left, mut shift) = (0u128, k, 0);
        while left > 0 {
            let mut w = self.next_u32();
            if left < 32 {
                w >>= 32 - left;
            }
            r |= (w as u128) << shift;
            shift += 32;
            left = left.saturating_sub(32);
        }
        r
    }

    /// `_randbelow_with_getrandbits(n)` for `n >= 1`.
    fn randbelow(&mut self, n: u128) -> u128 {
        let k = 128 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }

    /// `random.gauss(mu, sigma)`: the second value of each pair kept for the next call.
    fn py_gauss(&mut self, mu: f64, sigma: f64) -> f64 {
        let z = if self.has_gauss {
            self.has_gauss = false;
            self.gauss
        } else {
            let x2pi = self.next_double() * std::f64::consts::TAU;
            let g2rad = (-2.0 * (1.0 - self.next_double()).ln()).sqrt();
            self.gauss = x2pi.sin() * g2rad;
            self.has_gauss = true;
            x2pi.cos() * g2rad
        };
        mu + z * sigma
    }

    /// `random.normalvariate(mu, sigma)`: Kinderman and Monahan's ratio method.
    fn py_normalvariate(&mut self, mu: f64, sigma: f64) -> f64 {
        let magic = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
        loop {
            let u1 = self.next_double();
            let u2 = 1.0 - self.next_double();
            let z = magic * (u1 - 0.5) / u2;
            let zz = z * z / 4.0;
            if zz <= -u2.ln() {
                return mu + z * sigma;
            }
        }
    }
}

/// Python's floor division of i128s.
fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// `randrange(start, stop, step)` (`stop` None for `one`), as CPython 3.11 and 3.12+ check it.
fn randrange(st: &mut State, one: bool, start: i128, stop: i128, step: i128) -> Result<i64, Status> {
    let new_messages = PYTHON_MINOR.load(Ordering::Relaxed) >= 12;
    if one {
        if start > 0 {
            return Ok(st.randbelow(start as u128) as i64);
        }
        return Err(raise("ValueError", "empty range for randrange()".into()));
    }
    let width = stop - start;
    if step == 1 {
        if width > 0 {
            return Ok((start + st.randbelow(width as u128) as i128) as i64);
        }
        let message = if new_messages {
            format!("empty range in randrange({start}, {stop})")
        } else {
            format!("empty range for randrange() ({start}, {stop}, {width})")
        };
        return Err(raise("ValueError", message));
    }
    let n = match step {
        s if s > 0 => floor_div(width + s - 1, s),
        s if s < 0 => floor_div(width + s + 1, s),
        _ => return Err(raise("ValueError", "zero step for randrange()".into())),
    };
    if n <= 0 {
        let message = if new_messages {
            format!("empty range in randrange({start}, {stop}, {step})")
        } else {
            "empty range for randrange()".to_string()
        };
        return Err(raise("ValueError", message));
    }
    Ok((start + step * st.randbelow(n as u128) as i128) as i64)
}

/// `random.seed(n)`, or (`from_os`) `random.seed()`.
pub extern "C" fn sj_rt_pyrandom_seed(n: i64, from_os: bool) {
    PY_STATE.with(|s| {
        // SAFETY: the calling thread's own generator; no helper holds it across this call.
        let st = unsafe { &mut *s.get() };
        if from_os {
            st.py_seed_from_os();
        } else {
            st.py_seed(n);
        }
    })
}

/// The calling thread's `random` generator (seeded from the OS first if it never was): the
/// same pointer on every call of a thread. Compiled code draws `random()` from it itself.
pub extern "C" fn sj_rt_pyrandom_state() -> *mut u8 {
    PY_STATE.with(|s| {
        // SAFETY: as in `sj_rt_pyrandom_seed`.
        let st = unsafe { &mut *s.get() };
        if !st.seeded {
            st.py_seed_from_os();
        }
        s.get() as *mut u8
    })
}

/// The float function `op` ([`PyFloatOp`]) of `a`, `b` from the generator `state`; an error
/// (`expovariate(0)`'s ZeroDivisionError, after its draw as CPython) sets `*status`.
///
/// # Safety
/// `state` is what [`sj_rt_pyrandom_state`] returned on the calling thread.
pub unsafe extern "C" fn sj_rt_pyrandom_f64(state: *mut u8, op: u32, a: f64, b: f64, status: &mut u32) -> f64 {
    // SAFETY: the caller's contract.
    let st = unsafe { &mut *(state as *mut State) };
    match op {
        // `b` is the range `b - a`, as Python computes it (exact for two ints).
        x if x == PyFloatOp::Uniform as u32 => a + b * st.next_double(),
        x if x == PyFloatOp::Gauss as u32 => st.py_gauss(a, b),
        x if x == PyFloatOp::Normalvariate as u32 => st.py_normalvariate(a, b),
        _ => {
            let r = -(1.0 - st.next_double()).ln();
            if a == 0.0 {
                *status = Status::FloatDivZero as u32;
                return 0.0;
            }
            r / a
        }
    }
}

/// The integer operation `op` ([`PyIntOp`]) of `a`, `b`, `c` from the generator `state`;
/// CPython's exception sets `*status`.
///
/// # Safety
/// As [`sj_rt_pyrandom_f64`].
pub unsafe extern "C" fn sj_rt_pyrandom_i64(state: *mut u8, op: u32, a: i64, b: i64, c: i64, status: &mut u32) -> i64 {
    // SAFETY: the caller's contract.
    let st = unsafe { &mut *(state as *mut State) };
    let (a, b, c) = (a as i128, b as i128, c as i128);
    let r = match op {
        x if x == PyIntOp::RandrangeStop as u32 => randrange(st, true, a, 0, 1),
        x if x == PyIntOp::Randrange as u32 => randrange(st, false, a, b, c),
        x if x == PyIntOp::Randint as u32 => randrange(st, false, a, b + 1, 1),
        x if x == PyIntOp::Getrandbits as u32 => match a {
            a if a < 0 => Err(raise("ValueError", "number of bits must be non-negative".into())),
            0 => Ok(0),
            a if a > 64 => {
                Err(raise("ValueError", format!("getrandbits({a}): compiled code draws at most 64 bits (its ints are 64-bit)")))
            }
            a => Ok(st.getrandbits(a as u32) as u64 as i64),
        },
        x if x == PyIntOp::ChoiceRange as u32 => {
            // len(range(a, b, c)), then range[_randbelow(len)].
            let len = match c {
                0 => Err(raise("ValueError", "range() arg 3 must not be zero".into())),
                c if c > 0 && a < b => Ok((b - a - 1) / c + 1),
                c if c < 0 && a > b => Ok((a - b - 1) / -c + 1),
                _ => Ok(0),
            };
            len.and_then(|len| {
                if len == 0 {
                    Err(raise("IndexError", "Cannot choose from an empty sequence".into()))
                } else {
                    Ok((a + c * st.randbelow(len as u128) as i128) as i64)
                }
            })
        }
        _ => {
            if a <= 0 {
                Err(raise("IndexError", "Cannot choose from an empty sequence".into()))
            } else {
                Ok(st.randbelow(a as u128) as i64)
            }
        }
    };
    r.unwrap_or_else(|s| {
        *status = s as u32;
        0
    })
}

/// `random.shuffle(x)` of a 1-D array (`n` elements of `itemsize` bytes, `stride` apart): for
/// `i` from `n - 1` down to 1, `j = _randbelow(i + 1)` and the two swapped. A read-only array
/// fails at its first swap, after the first draw (as CPython's `x[i], x[j] = x[j], x[i]`).
///
/// # Safety
/// `data` addresses such an array.
pub unsafe extern "C" fn sj_rt_pyrandom_shuffle(data: *mut u8, n: i64, stride: i64, itemsize: i64, readonly: bool) -> u32 {
    let st = sj_rt_pyrandom_state() as *mut State;
    for i in (1..n.max(0)).rev() {
        // SAFETY: the thread's own generator.
        let j = unsafe { (*st).randbelow(i as u128 + 1) } as i64;
        if readonly {
            return Status::ReadOnlyArray as u32;
        }
        let mut buf = [0u8; 16];
        let len = (itemsize as usize).min(16);
        // SAFETY: elements i and j of the array (copies, so i == j is harmless).
        unsafe {
            let (x, y) = (data.offset((i * stride) as isize), data.offset((j * stride) as isize));
            std::ptr::copy(x, buf.as_mut_ptr(), len);
            std::ptr::copy(y, x, len);
            std::ptr::copy(buf.as_ptr(), y, len);
        }
    }
    Status::Ok as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> State {
        State { key: [0; N], pos: N, has_gauss: false, gauss: 0.0, seeded: false }
    }

    /// The reference MT19937 output for init_by_array({0x123, 0x234, 0x345, 0x456}) (Matsumoto
    /// and Nishimura's mt19937ar.out), CPython's seeding.
    #[test]
    fn init_by_array_reference_words() {
        let mut s = fresh();
        s.init_by_array(&[0x123, 0x234, 0x345, 0x456]);
        let first: Vec<u32> = (0..3).map(|_| s.next_u32()).collect();
        assert_eq!(first, [1067595299, 955945823, 477289528]);
    }

    #[test]
    fn randbelow_stays_below_and_floor_div_is_pythons() {
        let mut s = fresh();
        s.py_seed(-5);
        for n in [1u128, 2, 3, 1 << 32, (1 << 32) + 1, 1 << 64] {
            for _ in 0..50 {
                assert!(s.randbelow(n) < n);
            }
        }
        assert_eq!((floor_div(-7, 2), floor_div(7, -2), floor_div(6, 3)), (-4, -4, 2));
    }
}
