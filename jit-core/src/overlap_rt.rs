//! The runtime's overlap test of an array assignment (`sj_rt_overlaps`, `sj_rt_overlaps_2d`,
//! `sj_rt_meet_2d`): whether the arrays a value reads share memory with its target other than
//! element for element, so that the value is computed into a temporary first.

/// One array's record in an overlap check ([`sj_rt_overlaps`]): `[data address, item size,
/// ndim, sizes..., byte strides...]`, read in place.
#[derive(Clone, Copy)]
struct Record(*const i64);

impl Record {
    /// The word at `k`.
    #[inline(always)]
    fn word(self, k: usize) -> i64 {
        // SAFETY: the callers' contract: the record is whole, `3 + 2 * ndim` words.
        unsafe { *self.0.add(k) }
    }

    #[inline(always)]
    fn ndim(self) -> usize {
        self.word(2).max(0) as usize
    }

    /// The record after this one.
    #[inline(always)]
    fn next(self) -> Record {
        // SAFETY: the caller asks for a record that follows (`sj_rt_overlaps`' contract).
        Record(unsafe { self.0.add(3 + 2 * self.ndim()) })
    }

    /// Its axes of more than one element, as (size, byte stride): the others do not move an
    /// element's address.
    fn long_axes(self) -> impl Iterator<Item = (i64, i64)> {
        let nd = self.ndim();
        (0..nd).map(move |k| (self.word(3 + k), self.word(3 + nd + k))).filter(|&(d, _)| d != 1)
    }

    /// The addresses `[lo, hi)` its elements lie in; `None` when it has none.
    #[inline(always)]
    fn extent(self) -> Option<(u64, u64)> {
        let (data, nd) = (self.word(0), self.ndim());
        let (mut lo, mut hi) = (data, data.wrapping_add(self.word(1)));
        for k in 0..nd {
            let d = self.word(3 + k);
            if d <= 0 {
                return None;
            }
            let span = (d - 1).wrapping_mul(self.word(3 + nd + k));
            if span < 0 {
                lo = lo.wrapping_add(span);
            } else {
                hi = hi.wrapping_add(span);
            }
        }
        Some((lo as u64, hi as u64))
    }

    /// Whether `self` and `other` (which broadcasts to `self`'s shape: their axes of more than
    /// one element line up) put each element at the same address: the same data address, item
    /// size, and sizes and strides of the axes of more than one element.
    fn same_layout(self, other: Record) -> bool {
        self.word(0) == other.word(0) && self.word(1) == other.word(1) && self.long_axes().eq(other.long_axes())
    }

    /// Whether two arrays of one axis of more than one element, with one stride `s`, interleave
    /// without sharing an element (two columns of one C array: `q[:, j]` and `q[:, j - 1]`):
    /// their addresses differ by `d` with `d mod |s|` at least an element from 0 and from
    /// `|s|`, so no element of one meets an element of the other whatever their lengths.
    fn interleaved(self, other: Record) -> bool {
        let (mut a, mut b) = (self.long_axes(), other.long_axes());
        let (Some((_, s)), None, Some((_, s2)), None) = (a.next(), a.next(), b.next(), b.next()) else { return false };
        let w = self.word(1);
        let period = s.wrapping_abs();
        // A period shorter than two elements leaves no room between them.
        if w != other.word(1) || s != s2 || period < 2 * w {
            return false;
        }
        let d = self.word(0).wrapping_sub(other.word(0));
        // Neighbouring columns lie less than a period apart: no division for them.
        let r = match d {
            0.. if d < period => d,
            ..0 if d > -period => d + period,
            _ => d.rem_euclid(period),
        };
        r >= w && r <= period - w
    }

    /// Whether the value array `self` shares memory with the assignment's `target` other than
    /// element for element or as an interleaving column: the common answers (arrays apart, the
    /// same view) first and cheaply, the division of the interleaving test only for arrays that
    /// meet.
    #[inline(always)]
    fn conflicts(self, target: Record) -> bool {
        let (Some((tlo, thi)), Some((lo, hi))) = (target.extent(), self.extent()) else { return false };
        lo < thi && tlo < hi && !self.same_layout(target) && !self.interleaved(target)
    }
}

/// Whether an array assignment's value reads memory its target covers other than element for
/// element (the same layout), or two interleaved columns: then the value is computed into a
/// temporary first, as NumPy sees the whole value before any write. `words` holds `n + 1`
/// records, the target's first, each `[data, item size, ndim, sizes..., byte strides...]`.
/// Codegen asks [`sj_rt_overlaps_2d`] instead, array by array, when no array has more than two
/// axes.
///
/// # Safety
/// `words` holds the `n + 1` records, each as long as its `ndim` says.
pub unsafe extern "C" fn sj_rt_overlaps(words: *const i64, n: i64) -> bool {
    let target = Record(words);
    let mut leaf = target;
    (0..n).any(|_| {
        leaf = leaf.next();
        leaf.conflicts(target)
    })
}

/// [`sj_rt_overlaps`] for one value array of at most two axes against a target of at most two,
/// each given as data address, item size, two sizes and two byte strides (a 1-D array as one row:
/// sizes `1, n`). A pure function of its arguments, which compiled code declares `speculatable`
/// and `memory(none)`: an assignment in a loop whose arrays do not change in it checks them once,
/// before the loop.
#[allow(clippy::too_many_arguments)]
pub extern "C" fn sj_rt_overlaps_2d(
    t_data: i64,
    t_item: i64,
    t_rows: i64,
    t_cols: i64,
    t_row_stride: i64,
    t_col_stride: i64,
    l_data: i64,
    l_item: i64,
    l_rows: i64,
    l_cols: i64,
    l_row_stride: i64,
    l_col_stride: i64,
) -> bool {
    let target = two_axes(t_data, t_item, [t_rows, t_cols], [t_row_stride, t_col_stride]);
    let leaf = two_axes(l_data, l_item, [l_rows, l_cols], [l_row_stride, l_col_stride]);
    Record(leaf.as_ptr()).conflicts(Record(target.as_ptr()))
}

/// The record of an array of two axes, as the two-axis entries take one apart.
#[inline(always)]
fn two_axes(data: i64, item: i64, [rows, cols]: [i64; 2], [row_stride, col_stride]: [i64; 2]) -> [i64; 7] {
    [data, item, 2, rows, cols, row_stride, col_stride]
}

/// Whether two arrays of at most two axes (given as [`sj_rt_overlaps_2d`] takes them) have
/// addresses in common: when two local arrays do not, no view of one meets a view of the other.
/// Pure, as [`sj_rt_overlaps_2d`].
#[allow(clippy::too_many_arguments)]
pub extern "C" fn sj_rt_meet_2d(
    a_data: i64,
    a_item: i64,
    a_rows: i64,
    a_cols: i64,
    a_row_stride: i64,
    a_col_stride: i64,
    b_data: i64,
    b_item: i64,
    b_rows: i64,
    b_cols: i64,
    b_row_stride: i64,
    b_col_stride: i64,
) -> bool {
    let a = two_axes(a_data, a_item, [a_rows, a_cols], [a_row_stride, a_col_stride]);
    let b = two_axes(b_data, b_item, [b_rows, b_cols], [b_row_stride, b_col_stride]);
    match (Record(a.as_ptr()).extent(), Record(b.as_ptr()).extent()) {
        (Some((alo, ahi)), Some((blo, bhi))) => alo < bhi && blo < ahi,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record of `sj_rt_overlaps` for a view of a buffer at `base`.
    fn record(base: i64, item: i64, shape: &[i64], strides: &[i64]) -> Vec<i64> {
        let mut r = vec![base, item, shape.len() as i64];
        r.extend_from_slice(shape);
        r.extend_from_slice(strides);
        r
    }

    /// The byte address of every element of a view, with its index, in C order.
    fn elements(base: i64, shape: &[i64], strides: &[i64]) -> Vec<(Vec<i64>, i64)> {
        let mut out = vec![(Vec::new(), base)];
        for (d, s) in shape.iter().zip(strides) {
            out = out.into_iter().flat_map(|(i, a)| (0..*d).map(move |k| ([i.clone(), vec![k]].concat(), a + k * s))).collect();
        }
        out
    }

    /// Over 2-D views of one buffer of 8-byte items (each axis of any start, length and step,
    /// negative too) and of a 4-byte view of it: whenever an element of the value shares a byte
    /// with an element of the target at another index (where writing before reading would
    /// change the answer), the check says so; and it says no for views apart, the same view,
    /// and two columns of one array.
    #[test]
    fn overlaps_finds_every_shared_element_and_passes_apart_views() {
        let row = 40; // bytes of a row of 5 items of 8 bytes
        let views = [
            (0, vec![3, 5], vec![row, 8]),
            (8, vec![3, 4], vec![row, 8]),
            (0, vec![3, 1], vec![row, 8]),
            (8, vec![3, 1], vec![row, 8]),
            (16, vec![2, 2], vec![row, 16]),
            (24, vec![2, 2], vec![row, -16]),
            (2 * row, vec![3, 5], vec![-row, 8]),
            (row, vec![2, 5], vec![row, 8]),
            (0, vec![0, 5], vec![row, 8]),
            (0, vec![5, 3], vec![8, row]),
        ];
        for (tb, ts, tst) in &views {
            for (lb, ls, lst) in &views {
                for item in [8, 4] {
                    let words = [record(*tb, 8, ts, tst), record(*lb, item, ls, lst)].concat();
                    let got = unsafe { sj_rt_overlaps(words.as_ptr(), 1) };
                    let pair = sj_rt_overlaps_2d(*tb, 8, ts[0], ts[1], tst[0], tst[1], *lb, item, ls[0], ls[1], lst[0], lst[1]);
                    assert_eq!(got, pair, "the two entries differ: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?}");
                    let meet = sj_rt_meet_2d(*tb, 8, ts[0], ts[1], tst[0], tst[1], *lb, item, ls[0], ls[1], lst[0], lst[1]);
                    let (t, l) = (elements(*tb, ts, tst), elements(*lb, ls, lst));
                    let share = l.iter().any(|(_, la)| t.iter().any(|(_, ta)| *la < ta + 8 && *ta < la + item));
                    assert!(meet || !share, "meet missed: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?} of {item}");
                    let conflict = l.iter().any(|(li, la)| {
                        t.iter().any(|(ti, ta)| *la < ta + 8 && *ta < la + item && !(li == ti && la == ta && item == 8))
                    });
                    if conflict {
                        assert!(got, "missed: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?} of {item}");
                    }
                    if t.is_empty() || l.is_empty() || (tb, ts, tst, item) == (lb, ls, lst, 8) {
                        assert!(!got, "apart: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?} of {item}");
                    }
                }
            }
        }
        // Two columns of a C array of 5 columns, and a column with itself shifted by rows.
        let col = |c: i64, rows: i64| record(c * 8, 8, &[rows], &[row]);
        let apart = [col(1, 4), col(0, 4)].concat();
        assert!(!unsafe { sj_rt_overlaps(apart.as_ptr(), 1) });
        let shifted = [col(0, 4), record(row, 8, &[4], &[row])].concat();
        assert!(unsafe { sj_rt_overlaps(shifted.as_ptr(), 1) });
        // The same 1-D columns given to the two-axis entry as one row each (sizes 1 and n).
        assert!(!sj_rt_overlaps_2d(8, 8, 1, 4, 0, row, 0, 8, 1, 4, 0, row));
        assert!(sj_rt_overlaps_2d(0, 8, 1, 4, 0, row, row, 8, 1, 4, 0, row));
        // Two arrays apart, as two whole arrays and as one below the other, do not meet.
        assert!(!sj_rt_meet_2d(0, 8, 3, 5, row, 8, 3 * row, 8, 3, 5, row, 8));
        assert!(!sj_rt_meet_2d(3 * row - 8, 8, 3, 5, -row, -8, 3 * row, 8, 3, 5, row, 8));
        assert!(sj_rt_meet_2d(3 * row - 8, 8, 3, 5, row, 8, 3 * row, 8, 3, 5, row, 8));
        // Columns far apart (more than a period): the division's answer.
        assert!(!sj_rt_overlaps_2d(8 + 10 * row, 8, 1, 4, 0, row, 0, 8, 1, 40, 0, row));
        assert!(sj_rt_overlaps_2d(10 * row, 8, 1, 4, 0, row, 0, 8, 1, 40, 0, row));
        // A 1-D row against the 2-D view of one row it broadcasts to: element for element.
        let row_1d_2d = [record(0, 8, &[1, 5], &[row, 8]), record(0, 8, &[5], &[8])].concat();
        assert!(!unsafe { sj_rt_overlaps(row_1d_2d.as_ptr(), 1) });
        assert!(!sj_rt_overlaps_2d(0, 8, 1, 5, row, 8, 0, 8, 1, 5, 0, 8));
        // A number of records: the second value array overlaps.
        let three = [record(0, 8, &[4], &[8]), record(1000, 8, &[4], &[8]), record(8, 8, &[4], &[8])].concat();
        assert!(unsafe { sj_rt_overlaps(three.as_ptr(), 2) });
        assert!(!unsafe { sj_rt_overlaps(three.as_ptr(), 1) });
    }
}
