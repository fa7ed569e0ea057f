//! `np.random.choice`, `shuffle` and `permutation` as NumPy's legacy `RandomState` does them
//! (`mtrand.pyx`): the same checks in the same order with NumPy's messages, then the same draws
//! (`random_interval` for shuffles, randint's masked rejection or a uniform per sample searched
//! in the cumulative `p`, the no-replacement loop with `p`), so the values are NumPy's.

use super::{value_error, with_state, State};
use crate::runtime::Status;

impl State {
    /// `random_interval(max)`: a value in `[0, max]`, words masked to `max`'s bit width until
    /// one fits (32-bit words for a `max` that fits in 32 bits).
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
}

/// NumPy's `kahan_sum` (of at least one value; none sums to 0).
pub(super) fn kahan_sum(p: &[f64]) -> f64 {
    let Some((&first, rest)) = p.split_first() else { return 0.0 };
    let (mut sum, mut c) = (first, 0.0);
    for &x in rest {
        let y = x - c;
        let t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    sum
}

/// `cdf = p.cumsum(); cdf /= cdf[-1]`.
pub(super) fn cdf(p: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out: Vec<f64> = p
        .iter()
        .map(|&x| {
            acc += x;
            acc
        })
        .collect();
    let last = *out.last().unwrap_or(&1.0);
    out.iter_mut().for_each(|c| *c /= last);
    out
}

/// `cdf.searchsorted(x, side='right')`, kept inside the population.
pub(super) fn search_right(cdf: &[f64], x: f64) -> usize {
    cdf.partition_point(|&c| c <= x).min(cdf.len().saturating_sub(1))
}

/// The messages of the checks before `choice` draws: `RandomState`'s and `Generator`'s say the
/// same things in other words.
pub(crate) struct ChoiceMessages {
    pub a_not_positive: &'static str,
    pub a_empty: &'static str,
    pub sizes_differ: &'static str,
    pub nan: &'static str,
    pub negative: &'static str,
    pub sum_not_one: &'static str,
    pub too_many: &'static str,
    pub too_few_nonzero: &'static str,
}

/// A `choice` call as its checks see it (`pop`: `a`'s length, or `a` itself for an int; `p`
/// read as float64; `single`: p was float32, whose tolerance NumPy takes).
pub(crate) struct ChoiceCall<'p> {
    pub int_a: bool,
    pub pop: i64,
    pub n: i64,
    pub sized: bool,
    pub replace: bool,
    pub p: Option<&'p [f64]>,
    pub single: bool,
}

/// The checks `choice` makes before any draw, in NumPy's order, each failure `error(message)`.
pub(crate) fn choice_checks(m: &ChoiceMessages, error: fn(&'static str) -> Status, c: ChoiceCall<'_>) -> Result<(), Status> {
    let draws = !c.sized || c.n != 0;
    if c.int_a && c.pop <= 0 && draws {
        return Err(error(m.a_not_positive));
    }
    if !c.int_a && c.pop == 0 && draws {
        return Err(error(m.a_empty));
    }
    if let Some(p) = c.p {
        if p.len() as i64 != c.pop {
            return Err(error(m.sizes_differ));
        }
        let sum = kahan_sum(p);
        if sum.is_nan() {
            return Err(error(m.nan));
        }
        if p.iter().any(|&x| x < 0.0) {
            return Err(error(m.negative));
        }
        // atol = max(sqrt(eps64), sqrt(eps of p's dtype)); against a float32 tolerance NumPy
        // compares in float32 (a Python float beside a NumPy float32).
        let off = if c.single { (sum - 1.0).abs() as f32 > f32::EPSILON.sqrt() } else { (sum - 1.0).abs() > f64::EPSILON.sqrt() };
        if off {
            return Err(error(m.sum_not_one));
        }
    }
    if !c.replace {
        if c.n > c.pop {
            return Err(error(m.too_many));
        }
        if let Some(p) = c.p {
            if (p.iter().filter(|&&x| x > 0.0).count() as i64) < c.n {
                return Err(error(m.too_few_nonzero));
            }
        }
    }
    Ok(())
}

/// `RandomState.choice`'s messages.
const LEGACY: ChoiceMessages = ChoiceMessages {
    a_not_positive: "a must be greater than 0 unless no samples are taken",
    a_empty: "'a' cannot be empty unless no samples are taken",
    sizes_differ: "'a' and 'p' must have same size",
    nan: "probabilities contain NaN",
    negative: "probabilities are not non-negative",
    sum_not_one: "probabilities do not sum to 1",
    too_many: "Cannot take a larger sample than population when 'replace=False'",
    too_few_nonzero: "Fewer non-zero entries in p than size",
};

/// The checks of `RandomState.choice` before any draw ([`choice_checks`]).
fn check_choice(
    int_a: bool,
    pop: i64,
    n: i64,
    sized: bool,
    replace: bool,
    p: Option<&[f64]>,
    single: bool,
) -> Result<(), Status> {
    choice_checks(&LEGACY, value_error, ChoiceCall { int_a, pop, n, sized, replace, p, single })
}

impl State {
    /// The `n` indices `choice` takes (checked already), handed to `emit(k, index)` in order.
    fn choice_indices(&mut self, pop: i64, n: usize, replace: bool, p: Option<&[f64]>, emit: &mut impl FnMut(usize, usize)) {
        let indices = match (replace, p) {
            (true, Some(p)) => {
                // NumPy draws the n uniforms, then searches: the same values one at a time.
                let cdf = cdf(p);
                for k in 0..n {
                    let u = self.next_double();
                    emit(k, search_right(&cdf, u));
                }
                return;
            }
            // `randint(0, pop, size)`: masked rejection, the mask computed once.
            (true, None) => {
                let rng = (pop - 1) as u64;
                if rng > 0 && rng <= 0xffff_ffff {
                    let mask = super::gen_mask(rng) as u32;
                    for k in 0..n {
                        let v = loop {
                            let v = self.next_u32() & mask;
                            if v as u64 <= rng {
                                break v;
                            }
                        };
                        emit(k, v as usize);
                    }
                } else {
                    for k in 0..n {
                        emit(k, self.bounded(0, rng) as usize);
                    }
                }
                return;
            }
            (false, Some(p)) => {
                let mut p = p.to_vec();
                let mut found: Vec<usize> = Vec::with_capacity(n);
                let mut seen = vec![false; p.len()];
                while found.len() < n {
                    let x: Vec<f64> = (0..n - found.len()).map(|_| self.next_double()).collect();
                    for &f in &found {
                        p[f] = 0.0;
                    }
                    let cdf = cdf(&p);
                    // The new indices, each once, in the order first drawn (np.unique's first
                    // occurrences, sorted).
                    let mut new = Vec::new();
                    for &u in &x {
                        let k = search_right(&cdf, u);
                        if !seen[k] {
                            seen[k] = true;
                            new.push(k);
                        }
                    }
                    found.extend(new);
                }
                found
            }
            // `permutation(pop)[:n]`.
            (false, None) => {
                let mut perm: Vec<usize> = (0..pop.max(0) as usize).collect();
                for i in (1..perm.len()).rev() {
                    let j = self.interval(i as u64) as usize;
                    perm.swap(i, j);
                }
                perm.truncate(n);
                perm
            }
        };
        for (k, &i) in indices.iter().enumerate() {
            emit(k, i);
        }
    }
}

/// `np.random.choice(a, size, replace, p)`: `n` samples written to `out` in C order: the
/// elements of `a` (`pop` of `itemsize` bytes, `a_stride` apart), or for a null `a` the ints
/// `[0, pop)` as int64. `p` (null: not given) is `p_len` float64 `p_stride` apart, `single`
/// when the caller's `p` was float32; `sized` when `size` was given. A status.
///
/// # Safety
/// `a`, `p` and `out` address what the arguments say.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sj_rt_random_choice(
    a: *const u8,
    pop: i64,
    a_stride: i64,
    itemsize: i64,
    replace: bool,
    p: *const u8,
    p_len: i64,
    p_stride: i64,
    single: bool,
    out: *mut u8,
    n: i64,
    sized: bool,
) -> u32 {
    // SAFETY: the caller's contract.
    let p = unsafe { read_p(p, p_len, p_stride) };
    let n_draws = n.max(0);
    if let Err(s) = check_choice(a.is_null(), pop, n_draws, sized, replace, p.as_deref(), single) {
        return s as u32;
    }
    // SAFETY: the caller's contract; every index is below `pop`.
    let mut emit = |k: usize, i: usize| unsafe { write_choice(a, a_stride, itemsize as usize, out, k, i as i64) };
    with_state(|st| st.choice_indices(pop, n_draws as usize, replace, p.as_deref(), &mut emit));
    Status::Ok as u32
}

/// `choice`'s `p=` as float64s: `p_len` of them `p_stride` bytes apart from `p` (null: not given).
///
/// # Safety
/// `p` is null or addresses that many float64s.
pub(crate) unsafe fn read_p(p: *const u8, p_len: i64, p_stride: i64) -> Option<Vec<f64>> {
    // SAFETY: the caller's contract.
    (!p.is_null()).then(|| {
        (0..p_len.max(0)).map(|k| unsafe { (p.offset((k * p_stride) as isize) as *const f64).read_unaligned() }).collect()
    })
}

/// Writes sample `k` of `choice`, the population's element `i`, to `out`: element `i` of `a`
/// (`itemsize` bytes, `a_stride` apart), or for a null `a` the int `i` as int64.
///
/// # Safety
/// `out` has room for sample `k`; `i` is below the population's size.
pub(crate) unsafe fn write_choice(a: *const u8, a_stride: i64, itemsize: usize, out: *mut u8, k: usize, i: i64) {
    // SAFETY: the caller's contract.
    unsafe {
        if a.is_null() {
            (out as *mut i64).add(k).write_unaligned(i);
        } else {
            let from = a.offset(i as isize * a_stride as isize);
            std::ptr::copy_nonoverlapping(from, out.add(k * itemsize), itemsize);
        }
    }
}

/// Swaps the sub-arrays at `a` and `b` (of `shape`, `strides`) element by element.
///
/// # Safety
/// Both address sub-arrays of that shape.
unsafe fn swap_rows(a: *mut u8, b: *mut u8, shape: &[i64], strides: &[i64], itemsize: usize) {
    match shape.split_first() {
        None => {
            let mut buf = [0u8; 16];
            let buf = &mut buf[..itemsize.min(16)];
            // SAFETY: the caller's contract (copies, so an overlap cannot tear an element).
            unsafe {
                std::ptr::copy(a, buf.as_mut_ptr(), buf.len());
                std::ptr::copy(b, a, buf.len());
                std::ptr::copy(buf.as_ptr(), b, buf.len());
            }
        }
        Some((&len, rest)) => {
            for k in 0..len.max(0) {
                let off = (k * strides[0]) as isize;
                // SAFETY: inside the sub-arrays.
                unsafe { swap_rows(a.offset(off), b.offset(off), rest, &strides[1..], itemsize) };
            }
        }
    }
}

/// How [`sj_rt_random_shuffle`] was called.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum ShuffleMode {
    /// `np.random.shuffle(x)`: an array with no elements is left alone (no draws).
    Shuffle = 0,
    /// `np.random.permutation(x)` of a copy of an array: draws for rows without elements too
    /// (NumPy shuffles an index array).
    Permutation = 1,
    /// `np.random.permutation(n)`: the 1-D C-contiguous int64 array filled with `0, 1, ...`
    /// first.
    Iota = 2,
}

/// `np.random.shuffle(x)` and `permutation`: for `i` from `len(x) - 1` down to 1, a
/// `random_interval(i)` and rows `i` and `j` swapped. A read-only `x` is NumPy's ValueError,
/// before any draw. A status.
///
/// # Safety
/// `data` addresses an array of `ndim` dimensions with the `shape` and byte `strides` given.
pub unsafe extern "C" fn sj_rt_random_shuffle(
    data: *mut u8,
    ndim: i64,
    shape: *const i64,
    strides: *const i64,
    itemsize: i64,
    mode: u32,
    readonly: bool,
) -> u32 {
    if readonly {
        return value_error("array is read-only") as u32;
    }
    // SAFETY: the caller's contract.
    let (shape, strides) =
        unsafe { (std::slice::from_raw_parts(shape, ndim as usize), std::slice::from_raw_parts(strides, ndim as usize)) };
    let n = shape[0].max(0);
    if mode == ShuffleMode::Shuffle as u32 && shape.iter().any(|&d| d <= 0) {
        return Status::Ok as u32;
    }
    if mode == ShuffleMode::Iota as u32 {
        for k in 0..n {
            // SAFETY: a C-contiguous int64 array of n elements.
            unsafe { (data as *mut i64).add(k as usize).write(k) };
        }
    }
    with_state(|st| {
        // SAFETY: the caller's contract.
        unsafe { shuffle_rows(data, shape, strides, itemsize, &mut |max| st.interval(max)) }
    });
    Status::Ok as u32
}

/// For `i` from `shape[0] - 1` down to 1: `j = interval(i)` and rows `i` and `j` swapped (the
/// Fisher–Yates loop of both `RandomState.shuffle` and `Generator.shuffle`).
///
/// # Safety
/// `data` addresses an array of the `shape` and byte `strides` given.
pub(super) unsafe fn shuffle_rows(
    data: *mut u8,
    shape: &[i64],
    strides: &[i64],
    itemsize: i64,
    interval: &mut dyn FnMut(u64) -> u64,
) {
    let n = shape[0].max(0);
    for i in (1..n).rev() {
        let j = interval(i as u64) as i64;
        if i != j && shape.len() == 1 && itemsize == 8 {
            // SAFETY: elements i and j of a 1-D array of 8-byte items.
            unsafe {
                let (x, y) =
                    (data.offset((i * strides[0]) as isize) as *mut u64, data.offset((j * strides[0]) as isize) as *mut u64);
                let t = x.read_unaligned();
                x.write_unaligned(y.read_unaligned());
                y.write_unaligned(t);
            }
        } else if i != j {
            let (row_i, row_j) = ((i * strides[0]) as isize, (j * strides[0]) as isize);
            // SAFETY: rows i and j of the array.
            unsafe { swap_rows(data.offset(row_i), data.offset(row_j), &shape[1..], &strides[1..], itemsize as usize) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kahan_and_cdf() {
        assert_eq!(kahan_sum(&[]), 0.0);
        assert_eq!(kahan_sum(&[0.1; 10]), 1.0);
        let c = cdf(&[1.0, 0.0, 3.0]);
        assert_eq!(c, [0.25, 0.25, 1.0]);
        assert_eq!(search_right(&c, 0.25), 2);
        assert_eq!(search_right(&c, 0.1), 0);
    }

    #[test]
    fn checks_come_in_numpys_order() {
        let e = |r: Result<(), Status>| r.map_err(|_| super::super::last_error());
        assert_eq!(e(check_choice(true, 0, 0, true, true, None, false)), Ok(()));
        assert_eq!(
            e(check_choice(true, 0, 1, false, true, None, false)),
            Err("a must be greater than 0 unless no samples are taken")
        );
        assert_eq!(
            e(check_choice(true, 3, 4, true, false, None, false)),
            Err("Cannot take a larger sample than population when 'replace=False'")
        );
        assert_eq!(e(check_choice(true, 2, 1, true, true, Some(&[0.5, f64::NAN]), false)), Err("probabilities contain NaN"));
    }
}
