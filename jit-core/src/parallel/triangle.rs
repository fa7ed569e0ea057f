//! Writes no two iterations of a parallel loop share although no axis is indexed by the loop
//! variable in all of them: rows and columns of a 2-D array that each start at the diagonal,
//! as covariance and correlation fill both triangles (`cov[i, i:] = cov[i:, i] = ...`, or
//! `cov[i, j]` and `cov[j, i]` over `for j in range(i, m)`).
//!
//! With `v` the loop variable, a *row* access covers `{(v + c, x) : x >= v + d}` and a *column*
//! access `{(y, v + c) : y >= v + d}` (an element `a[v + c, v + e]` is inside the row with
//! `d = e`). Two rows of different iterations `v != w` share an element only when
//! `v + c1 = w + c2`: never when `c1 = c2`. A row of `v` and a column of `w` share `(v + c1, w + c2)`
//! exactly when `d2 - c1 <= v - w <= c2 - d1`: never for `v != w` when that interval holds no
//! integer but 0.

/// What an access covers along one axis, in terms of the loop variable `v`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ext {
    /// Exactly `v + c`.
    At(i64),
    /// `v + d` and anything above it.
    From(i64),
    Other,
}

/// A row or a column of a 2-D array starting at `v + d`, at `v + c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Row { c: i64, d: i64 },
    Col { c: i64, d: i64 },
}

impl Shape {
    /// The shape of an access covering `extents` along the two axes of a 2-D array.
    pub(super) fn of(extents: &[Ext]) -> Option<Shape> {
        match *extents {
            [Ext::At(c), Ext::At(e)] => Some(Shape::Row { c, d: e }),
            [Ext::At(c), Ext::From(d)] => Some(Shape::Row { c, d }),
            [Ext::From(d), Ext::At(c)] => Some(Shape::Col { c, d }),
            _ => None,
        }
    }
}

/// Whether no two iterations touch one element through `accesses` (each a shape and whether
/// it writes): every pair of which one writes is checked.
pub(super) fn disjoint(accesses: &[(Shape, bool)]) -> bool {
    accesses.iter().enumerate().all(|(k, &(a, wa))| accesses[k..].iter().all(|&(b, wb)| !(wa || wb) || apart(a, b)))
}

/// Whether iterations `v != w` never share an element of `a` (of `v`) and `b` (of `w`).
fn apart(a: Shape, b: Shape) -> bool {
    use Shape::{Col, Row};
    match (a, b) {
        (Row { c: c1, .. }, Row { c: c2, .. }) | (Col { c: c1, .. }, Col { c: c2, .. }) => c1 == c2,
        (Row { c: c1, d: d1 }, Col { c: c2, d: d2 }) | (Col { c: c2, d: d2 }, Row { c: c1, d: d1 }) => {
            let (lo, hi) = (d2 - c1, c2 - d1);
            lo > hi || (lo == 0 && hi == 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force: do iterations `v != w` in `0..n` share an element of `a` and `b`?
    fn share(a: Shape, b: Shape, n: i64) -> bool {
        let cells = |s: Shape, v: i64| -> Vec<(i64, i64)> {
            match s {
                Shape::Row { c, d } => (v + d..n + 4).map(|x| (v + c, x)).collect(),
                Shape::Col { c, d } => (v + d..n + 4).map(|y| (y, v + c)).collect(),
            }
        };
        (0..n).any(|v| (0..n).any(|w| v != w && cells(a, v).iter().any(|x| cells(b, w).contains(x))))
    }

    #[test]
    fn apart_agrees_with_brute_force() {
        let mut shapes = Vec::new();
        for c in -2..=2 {
            for d in -2..=2 {
                shapes.push(Shape::Row { c, d });
                shapes.push(Shape::Col { c, d });
            }
        }
        for &a in &shapes {
            for &b in &shapes {
                assert_eq!(apart(a, b), !share(a, b, 8), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn covariance_and_correlation_fill_their_triangles_apart() {
        // cov[i, i:] = cov[i:, i] = ...
        assert!(disjoint(&[(Shape::Row { c: 0, d: 0 }, true), (Shape::Col { c: 0, d: 0 }, true)]));
        // corr[i, i + 1:] = corr[i + 1:, i] = ...
        assert!(disjoint(&[(Shape::Row { c: 0, d: 1 }, true), (Shape::Col { c: 0, d: 1 }, true)]));
        // A column read from the row before: iterations overlap.
        assert!(!disjoint(&[(Shape::Row { c: 0, d: 0 }, true), (Shape::Col { c: 1, d: 0 }, false)]));
        // Reads only: nothing to refuse.
        assert!(disjoint(&[(Shape::Row { c: 0, d: 0 }, false), (Shape::Row { c: 1, d: 0 }, false)]));
    }
}
