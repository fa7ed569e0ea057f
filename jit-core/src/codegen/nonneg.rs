//! Which array indices are proven non-negative before codegen (so that they need no
//! negative-index wrap): a `for` variable of `range(start, stop, step)` with a literal positive
//! step whose start is proven `>= floor` is at least `floor` wherever it is read (when it is its
//! only kind of assignment), and below `stop <= i64::MAX`, so `i + 1` and `i - c` (c <= floor)
//! cannot wrap. A `range(start, stop, step)` with a literal negative step counts down and stays
//! above `stop`: its variable is at least `stop + 1` when `stop` is proven (`range(n - 1, -1,
//! -1)`: at least 0). A copy `x = i` (how `a[i] op= v` lowers its index) is proven as `i` is. A tuple local only assigned tuple displays (`a[i, j] op= v` lowers its index to
//! one) has the proofs of its items; one assigned `np.ndindex`'s index tuples (`Unravel`) has
//! every item proven.

use std::collections::HashMap;

use crate::ast::BinOp;
use crate::hir::{self, ExprKind as H, LocalId, StmtKind as S, Target};

/// The least value of each local that only `for ... in range` loops with a literal positive step
/// and a start proven non-negative assign (and that is not a parameter), and the items proven
/// non-negative of the tuple locals only tuple displays assign.
pub(super) fn range_floors(f: &hir::Function) -> Floors {
    let mut c = Collected::default();
    for p in &f.params {
        c.starts.insert(*p, None);
        c.tuples.insert(*p, None);
    }
    collect(&f.body, &mut c);
    let Collected { starts, tuples } = c;
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
            let lows: Option<Vec<i64>> = s
                .iter()
                .map(|src| match src {
                    Source::From(e) => lower_bound(e, &floors),
                    Source::Above(e) => lower_bound(e, &floors)?.checked_add(1),
                })
                .collect();
            if let Some(low) = lows.and_then(|l| l.into_iter().min()) {
                if low >= 0 {
                    floors.insert(*id, low);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // A tuple local only ever assigned tuple displays (`$i = (i, j)`, what `a[i, j] op= v`
    // lowers to): which of its items are proven non-negative in every one of them.
    let tuples = tuples
        .into_iter()
        .filter_map(|(id, values)| {
            let values = values?;
            // A display says the arity; an index tuple alone proves as many items as any array
            // may have axes (the index reads only the first ones).
            let n = values
                .iter()
                .find_map(|v| match v {
                    TupleValue::Display(items) => Some(items.len()),
                    TupleValue::Unravel => None,
                })
                .unwrap_or(u8::MAX as usize);
            let items = (0..n)
                .map(|k| {
                    values.iter().all(|v| match v {
                        TupleValue::Display(items) => {
                            items.len() == n && lower_bound(&items[k], &floors).is_some_and(|lo| lo >= 0)
                        }
                        TupleValue::Unravel => true,
                    })
                })
                .collect();
            Some((id, items))
        })
        .collect();
    Floors { floors, tuples }
}

/// What `range_floors` proves about a function's locals.
#[derive(Default)]
pub(super) struct Floors {
    /// The least value of each local proven never negative.
    pub floors: HashMap<LocalId, i64>,
    /// For a tuple local, whether each item is proven non-negative.
    pub tuples: HashMap<LocalId, Vec<bool>>,
}

const I64_BELOW_MAX: i64 = i64::MAX - 1;

/// Every local's `range` starts (and copies), and the tuple displays assigned to it (None for a local that
/// something else assigns).
#[derive(Default)]
struct Collected<'h> {
    starts: HashMap<LocalId, Option<Vec<Source<'h>>>>,
    tuples: HashMap<LocalId, Option<Vec<TupleValue<'h>>>>,
}

/// What a local's least value follows from.
#[derive(Clone, Copy)]
enum Source<'h> {
    /// It takes this expression's value (a `range`'s start with a positive step, a copy).
    From(&'h hir::Expr),
    /// It is above this expression's value (the stop of a `range` with a negative step).
    Above(&'h hir::Expr),
}

/// A value assigned to a tuple local that proofs can see into.
enum TupleValue<'h> {
    /// A tuple display: its items.
    Display(&'h [hir::Expr]),
    /// An index tuple of `np.ndindex` and its kin ([`H::Unravel`]): every item is an index in
    /// `0..dimension`.
    Unravel,
}

/// A lower bound of the int64 value of `e` that no wrap-around can break, if one is proven:
/// a literal, a variable of `floors`, or one of them plus or minus a literal.
pub(super) fn lower_bound(e: &hir::Expr, floors: &HashMap<LocalId, i64>) -> Option<i64> {
    if let Some(c) = hir::const_index(e) {
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
        BinOp::Add => match (var(left), hir::const_index(right), hir::const_index(left), var(right)) {
            (Some(lo), Some(d), _, _) | (_, _, Some(d), Some(lo)) => (lo, d as i128),
            _ => return None,
        },
        BinOp::Sub => (var(left)?, -(hir::const_index(right)? as i128)),
        _ => return None,
    };
    let low = lo as i128 + d;
    (d <= 1 && low >= 0).then_some(low as i64)
}

/// Whether anything in `body` (at any depth) assigns `id`: when nothing does, a `range`
/// variable keeps its own loop's floor throughout that loop's body.
pub(super) fn assigned_in(body: &[hir::Stmt], id: LocalId) -> bool {
    fn names(t: &Target, id: LocalId) -> bool {
        match t {
            Target::Local(t, _) => *t == id,
            Target::Tuple(items, _) => items.iter().any(|t| names(t, id)),
            Target::Index { .. } => false,
        }
    }
    body.iter().any(|s| match &s.kind {
        S::ForRange { target, body, orelse, .. } => names(target, id) || assigned_in(body, id) || assigned_in(orelse, id),
        S::If { body, orelse, .. } | S::While { body, orelse, .. } => assigned_in(body, id) || assigned_in(orelse, id),
        S::Try { .. } => s.kind.blocks().into_iter().any(|b| assigned_in(b, id)),
        S::Assign { targets, .. } => targets.iter().any(|t| names(t, id)),
        S::AugAssign { target, .. } => *target == id,
        _ => false,
    })
}

fn collect<'h>(body: &'h [hir::Stmt], c: &mut Collected<'h>) {
    for s in body {
        match &s.kind {
            S::Assign { targets, value } => {
                for t in targets {
                    match (t, &value.kind) {
                        // A copy of a proven variable or a literal below i64::MAX (what
                        // `a[j] op= v` lowers its index to: `$i = j`): as a range variable,
                        // at least its floor and below i64::MAX.
                        (Target::Local(id, _), H::Local { .. }) | (Target::Local(id, _), H::Int(0..=I64_BELOW_MAX)) => {
                            c.tuples.insert(*id, None);
                            if let Some(v) = c.starts.entry(*id).or_insert_with(|| Some(Vec::new())) {
                                v.push(Source::From(value));
                            }
                        }
                        (Target::Local(id, _), H::Tuple(items)) => {
                            c.starts.insert(*id, None);
                            if let Some(v) = c.tuples.entry(*id).or_insert_with(|| Some(Vec::new())) {
                                v.push(TupleValue::Display(items));
                            }
                        }
                        (Target::Local(id, _), H::Unravel { .. }) => {
                            c.starts.insert(*id, None);
                            if let Some(v) = c.tuples.entry(*id).or_insert_with(|| Some(Vec::new())) {
                                v.push(TupleValue::Unravel);
                            }
                        }
                        _ => other(t, c),
                    }
                }
            }
            S::AugAssign { target, .. } => other(&Target::Local(*target, s.span), c),
            S::Try { .. } => s.kind.blocks().into_iter().for_each(|b| collect(b, c)),
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                collect(body, c);
                collect(orelse, c);
            }
            S::ForRange { target, start, stop, step, body, orelse, .. } => {
                // Counting down, every value taken (the one left after the loop too) is above
                // the stop; its largest is the start, at most i64::MAX: `i + 1` wraps only from
                // i64::MAX, to a value whose unsigned reading (what every use of a proof
                // computes with: an unsigned bounds compare, an unsigned division, an unsigned
                // loop head) is the exact one.
                let source = match hir::const_index(step) {
                    Some(st) if st > 0 => Some(Source::From(start)),
                    Some(st) if st < 0 => Some(Source::Above(stop)),
                    _ => None,
                };
                match (target, source) {
                    (Target::Local(id, _), Some(source)) => {
                        c.tuples.insert(*id, None);
                        if let Some(v) = c.starts.entry(*id).or_insert_with(|| Some(Vec::new())) {
                            v.push(source);
                        }
                    }
                    (t, _) => other(t, c),
                }
                collect(body, c);
                collect(orelse, c);
            }
            S::AugAssignIndex { .. }
            | S::Expr(_)
            | S::Return(_)
            | S::Break
            | S::Continue
            | S::Pass
            | S::Raise { .. }
            | S::Reraise
            | S::Print { .. } => {}
        }
    }
}

/// A target assigned anything but a `range` value or a tuple display: nothing is proven of it.
fn other(t: &Target, c: &mut Collected<'_>) {
    match t {
        Target::Local(id, _) => {
            c.starts.insert(*id, None);
            c.tuples.insert(*id, None);
        }
        Target::Tuple(items, _) => items.iter().for_each(|t| other(t, c)),
        Target::Index { .. } => {}
    }
}
