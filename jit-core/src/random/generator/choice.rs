//! `Generator.choice`, `shuffle` and `permutation` as NumPy's `_generator.pyx` does them: the
//! same checks in the same order with the Generator's messages, then the same draws (Lemire's
//! bounded integers or a uniform per sample searched in the cumulative `p`; without replacement
//! Floyd's algorithm or a tail shuffle, then a shuffle; `random_interval` for shuffles).

use super::{raise, BitGen};
use crate::random::choice::{cdf, choice_checks, read_p, search_right, shuffle_rows, write_choice, ChoiceCall, ChoiceMessages};
use crate::random::ShuffleMode;
use crate::runtime::Status;

fn value_error(message: &str) -> Status {
    raise("ValueError", message)
}

/// `Generator.choice`'s messages.
const GENERATOR: ChoiceMessages = ChoiceMessages {
    a_not_positive: "a must be a positive integer unless no samples are taken",
    a_empty: "a cannot be empty unless no samples are taken",
    sizes_differ: "a and p must have same size",
    nan: "Probabilities contain NaN",
    negative: "Probabilities are not non-negative",
    sum_not_one: "Probabilities do not sum to 1. See Notes section of docstring for more information.",
    too_many: "Cannot take a larger sample than population when replace is False",
    too_few_nonzero: "Fewer non-zero entries in p than size",
};

/// The checks of `Generator.choice` before any draw (`random::choice::choice_checks`).
fn check_choice(
    int_a: bool,
    pop: i64,
    n: i64,
    sized: bool,
    replace: bool,
    p: Option<&[f64]>,
    single: bool,
) -> Result<(), Status> {
    choice_checks(&GENERATOR, value_error, ChoiceCall { int_a, pop, n, sized, replace, p, single })
}

impl BitGen {
    /// `_shuffle_int(n, first, data)`: for `i` from `n - 1` down to `first`, `data[i]` swapped
    /// with `data[bounded(0, i)]`.
    fn shuffle_int(&mut self, data: &mut [i64], first: usize) {
        for i in (first..data.len()).rev() {
            let j = self.bounded(0, i as u64) as usize;
            data.swap(i, j);
        }
    }

    /// The `n` indices `choice` takes (checked already), in order.
    fn choice_indices(&mut self, pop: i64, n: usize, replace: bool, p: Option<&[f64]>, shuffle: bool) -> Vec<i64> {
        match (replace, p) {
            // `cdf.searchsorted(self.random(shape), side='right')`.
            (true, Some(p)) => {
                let cdf = cdf(p);
                (0..n).map(|_| search_right(&cdf, self.random()) as i64).collect()
            }
            // `self.integers(0, pop, size=shape)`.
            (true, None) => (0..n).map(|_| self.bounded(0, (pop - 1) as u64) as i64).collect(),
            (false, Some(p)) => {
                let mut p = p.to_vec();
                let mut found: Vec<i64> = Vec::with_capacity(n);
                let mut seen = vec![false; p.len()];
                while found.len() < n {
                    let x: Vec<f64> = (0..n - found.len()).map(|_| self.random()).collect();
                    for &f in &found {
                        p[f as usize] = 0.0;
                    }
                    let cdf = cdf(&p);
                    // The new indices, each once, in the order first drawn (np.unique's first
                    // occurrences, sorted).
                    for &u in &x {
                        let k = search_right(&cdf, u);
                        if !seen[k] {
                            seen[k] = true;
                            found.push(k as i64);
                        }
                    }
                }
                found
            }
            (false, None) => {
                let cutoff = if shuffle { 50 } else { 20 };
                let size = n as i64;
                if pop > 10000 && size > pop / cutoff {
                    // Tail shuffle: the last `size` of a partly shuffled `arange(pop)`.
                    let mut idx: Vec<i64> = (0..pop).collect();
                    self.shuffle_int(&mut idx, (pop - size).max(1) as usize);
                    return idx.split_off((pop - size) as usize);
                }
                // Floyd's algorithm, its set a table of the smallest power of 2 above 1.2 * size.
                let mask = super::super::gen_mask((1.2 * size as f64) as u64);
                let mut set = vec![u64::MAX; (mask + 1) as usize];
                let mut idx = Vec::with_capacity(n);
                for j in pop - size..pop {
                    let val = self.bounded(0, j as u64);
                    let mut loc = val & mask;
                    while set[loc as usize] != u64::MAX && set[loc as usize] != val {
                        loc = (loc + 1) & mask;
                    }
                    if set[loc as usize] == u64::MAX {
                        set[loc as usize] = val;
                        idx.push(val as i64);
                    } else {
                        let mut loc = j as u64 & mask;
                        while set[loc as usize] != u64::MAX {
                            loc = (loc + 1) & mask;
                        }
                        set[loc as usize] = j as u64;
                        idx.push(j);
                    }
                }
                if shuffle {
                    self.shuffle_int(&mut idx, 1);
                }
                idx
            }
        }
    }
}

/// `rng.choice(a, size, replace, p, shuffle=shuffle)` from the Generator `bitgen`: `n` samples
/// written to `out` in C order: the elements of `a` (`pop` of `itemsize` bytes, `a_stride`
/// apart), or for a null `a` the ints `[0, pop)` as int64. `p` (null: not given) is `p_len`
/// float64 `p_stride` apart, `single` when the caller's `p` was float32; `sized` when `size` was
/// given. A status.
///
/// # Safety
/// `bitgen` is a live `bitgen_t`; `a`, `p` and `out` address what the arguments say.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sj_rt_gen_choice(
    bitgen: *mut BitGen,
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
    shuffle: bool,
) -> u32 {
    // SAFETY: the caller's contract.
    let p = unsafe { read_p(p, p_len, p_stride) };
    let n = n.max(0);
    if let Err(s) = check_choice(a.is_null(), pop, n, sized, replace, p.as_deref(), single) {
        return s as u32;
    }
    // SAFETY: the caller's contract.
    let indices = unsafe { (*bitgen).choice_indices(pop, n as usize, replace, p.as_deref(), shuffle) };
    for (k, &i) in indices.iter().enumerate() {
        // SAFETY: the caller's contract; every index is below `pop`.
        unsafe { write_choice(a, a_stride, itemsize as usize, out, k, i) };
    }
    Status::Ok as u32
}

/// `rng.shuffle(x)` and `rng.permutation` (as `mode` says) from the Generator `bitgen`: for `i`
/// from `len(x) - 1` down to 1, a `random_interval(i)` and rows `i` and `j` swapped. A read-only
/// `x` is NumPy's ValueError, before any draw. A status.
///
/// # Safety
/// `bitgen` is a live `bitgen_t`; `data` addresses an array of `ndim` dimensions with the
/// `shape` and byte `strides` given.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sj_rt_gen_shuffle(
    bitgen: *mut BitGen,
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
    if mode == ShuffleMode::Shuffle as u32 && shape.iter().any(|&d| d <= 0) {
        return Status::Ok as u32;
    }
    if mode == ShuffleMode::Iota as u32 {
        for k in 0..shape[0].max(0) {
            // SAFETY: a C-contiguous int64 array of shape[0] elements.
            unsafe { (data as *mut i64).add(k as usize).write(k) };
        }
    }
    // SAFETY: the caller's contract.
    let g = unsafe { &mut *bitgen };
    // SAFETY: the caller's contract.
    unsafe { shuffle_rows(data, shape, strides, itemsize, &mut |max| g.interval(max)) };
    Status::Ok as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_come_in_numpys_order_with_the_generators_messages() {
        let e = |r: Result<(), Status>| r.map_err(|_| crate::runtime::last_raised().1.unwrap_or_default());
        assert_eq!(e(check_choice(true, 0, 0, true, true, None, false)), Ok(()));
        assert_eq!(
            e(check_choice(true, 0, 1, false, true, None, false)),
            Err("a must be a positive integer unless no samples are taken".to_string())
        );
        assert_eq!(
            e(check_choice(true, 3, 4, true, false, None, false)),
            Err("Cannot take a larger sample than population when replace is False".to_string())
        );
        assert_eq!(
            e(check_choice(true, 2, 1, true, true, Some(&[0.5, f64::NAN]), false)),
            Err("Probabilities contain NaN".to_string())
        );
    }
}
