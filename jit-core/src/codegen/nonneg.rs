//! Which array indices are proven non-negative before codegen (so that they need no
//! negative-index wrap): a `for` variable of `range(start, stop, step)` with a literal positive
//! step whose start is proven `>= floor` is at least `floor` wherever it is read (when it is its
//! only kind of assignment), and below `stop <= i64::MAX`, so `i + 1` and `i - c` (c <= floor)
//! cannot wrap.

use std::collections::HashMap;

use crate::ast::{BinOp, UnaryOp};
use crate::hir::{self, ExprKind as H, LocalId, StmtKind as S, Target};

/// The least value of each local that only `for ... in range` loops with a literal positive step
/// and a start proven non-negative assign (and that is not a parameter).
pub(super) fn range_floors(f: &hir::Function) -> HashMap<LocalId, i64> {
    // Every local's `range` starts, or None when something else assigns it.
    let mut starts: HashMap<LocalId, Option<Vec<&hir::Expr>>> = HashMap::new();
    for p in &f.params {
        starts.insert(*p, None);
    }
    collect(&f.body, &mut starts);
    let mut floors: HashMap<LocalId, i64> = HashMap::new();
    // Proven in dependency order (a start may read another such variable: `range(i + 1, n)`);
    // a floor, once set, depends only on floors set before it and never changes.
    loop {
        let mut changed = false;
        for (id, s) in &starts {
            let Some(s) = s else { continue };
            if floors.contains_key(id) {
                continue;
            }
            let lows: Option<Vec<i64>> = s.iter().map(|e| lower_bound(e, &floors)).collect();
            if let Some(low) = lows.and_then(|l| l.into_iter().min()) {
                if low >= 0 {
                    floors.insert(*id, low);
                    changed = true;
                }
            }
        }
        if !changed {
            return floors;
        }
    }
}

/// A lower bound of the int64 value of `e` that no wrap-around can break, if one is proven:
/// a literal, a variable of `floors`, or one of them plus or minus a literal.
pub(super) fn lower_bound(e: &hir::Expr, floors: &HashMap<LocalId, i64>) -> Option<i64> {
    if let Some(c) = literal(e) {
        return Some(c);
    }
    let var = |x: &hir::Expr| match x.kind {
        H::Local { id, .. } => floors.get(&id).copied(),
        _ => None,
    };
    if let Some(lo) = var(e) {
        return Some(lo);
    }
    let H::Binary { op, left, right } = &e.kind else { return None };
    // `v + c` / `c + v` / `v - c`, as v + d: v lies in [floor, i64::MAX - 1] (below a range's
    // stop), so v + d cannot wrap for d <= 1, nor for d < 0 while floor + d stays >= 0.
    let (lo, d) = match op {
        BinOp::Add => match (var(left), literal(right), literal(left), var(right)) {
            (Some(lo), Some(d), _, _) | (_, _, Some(d), Some(lo)) => (lo, d as i128),
            _ => return None,
        },
        BinOp::Sub => (var(left)?, -(literal(right)? as i128)),
        _ => return None,
    };
    let low = lo as i128 + d;
    (d <= 1 && low >= 0).then_some(low as i64)
}

/// An int64 literal, or the negation of one.
fn literal(e: &hir::Expr) -> Option<i64> {
    match &e.kind {
        H::Int(c) => Some(*c),
        H::Unary { op: UnaryOp::Neg, operand } => match operand.kind {
            H::Int(c) => c.checked_neg(),
            _ => None,
        },
        _ => None,
    }
}

fn collect<'h>(body: &'h [hir::Stmt], starts: &mut HashMap<LocalId, Option<Vec<&'h hir::Expr>>>) {
    for s in body {
        match &s.kind {
            S::Assign { targets, .. } => targets.iter().for_each(|t| other(t, starts)),
            S::AugAssign { target, .. } => {
                starts.insert(*target, None);
            }
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                collect(body, starts);
                collect(orelse, starts);
            }
            S::ForRange { target, start, step, body, orelse, .. } => {
                match (target, literal(step)) {
                    (Target::Local(id, _), Some(st)) if st > 0 => {
                        if let Some(v) = starts.entry(*id).or_insert_with(|| Some(Vec::new())) {
                            v.push(start);
                        }
                    }
                    (t, _) => other(t, starts),
                }
                collect(body, starts);
                collect(orelse, starts);
            }
            S::AugAssignIndex { .. } | S::Expr(_) | S::Return(_) | S::Break | S::Continue | S::Pass => {}
        }
    }
}

/// A target assigned anything but a `range` value: its locals have no floor.
fn other(t: &Target, starts: &mut HashMap<LocalId, Option<Vec<&hir::Expr>>>) {
    match t {
        Target::Local(id, _) => {
            starts.insert(*id, None);
        }
        Target::Tuple(items, _) => items.iter().for_each(|t| other(t, starts)),
        Target::Index { .. } => {}
    }
}
