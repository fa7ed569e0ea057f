//! Loop versioning: an innermost `range` loop whose array indices are linear in its variable
//! runs a copy without their bounds checks when one test before the loop shows that every such
//! index stays in range for the whole loop; otherwise the checked loop runs. With bounds checks
//! off, the same for the indices that would keep their negative-index wrap (the copy has none).
//!
//! `for i in range(start, stop)` (step 1) reads `i` from `start` to `stop - 1`, so an index
//! `i + p` is in range on every iteration exactly when `start + p >= 0` and `stop - 1 + p <
//! a.shape[k]` (and `p - i` likewise, from `p - (stop - 1)` to `p - start`), where `p` is a
//! literal plus or minus int64 locals the body does not assign (read once, before the loop). The
//! test is computed in 128 bits (no overflow; where the exact value of an index is in range, the
//! wrapping int64 one the code computes equals it), once per entry into the loop. Which
//! accesses qualify:
//! - the loop is innermost (no loop in its body), its variable a local nothing in the body
//!   assigns, and the body has at most 200 statements (it is built twice);
//! - the array is a local that nothing in the body assigns and that is always bound there, so
//!   its shape is the same on every iteration;
//! - on some axis the index is built of the loop's variable (coefficient -1, 0 or 1), int
//!   literals (|sum| < 2**20) and such locals with `+`, `-` and unary `-`: `a[i]`, `x[t + 1]`,
//!   `r[k - i - 1]`, `image[i - h + ii, j - w + jj]`, the row `i` of `a[i, j]` in a `j` loop;
//!   written in the subscript or in the `$iN` temporary `a[...] op= v` lowers its index to
//!   (assigned once, just before its one use, `lower::aug_assign_index`); a tuple index `(i, j)`
//!   is looked at item by item.
//!
//! An index that qualifies is recognised in the fast copy by its expression's id, and used as
//! is: no wrap, no compare. LLVM's own passes (constraint elimination, IRCE) remove such checks
//! only where the loop's bound is the array's own size.

use std::collections::HashMap;

use crate::ast::{BinOp, UnaryOp};
use crate::hir::{self, ExprKind as H, LocalId, StmtKind as S, Target};

/// Largest literal in an index's linear form (keeps the 128-bit test trivially exact).
const MAX_OFFSET: i64 = 1 << 20;

/// Largest loop body (in statements, nested ones counted) built twice: the copy costs compile
/// time in proportion to its size, and a long body gains little from dropping its checks.
const MAX_STATEMENTS: usize = 200;

/// An index in linear form: `coef * var + sum(sign * local) + offset`, with `var` the loop's
/// variable (`coef` -1, 0 or 1) and the locals int64 ones the body does not assign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Linear {
    pub coef: i64,
    pub terms: Vec<(i64, LocalId)>,
    pub offset: i64,
}

/// What the test before the loop checks: the index `form` on `axis` of `array` stays in range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Check {
    pub array: LocalId,
    pub axis: u32,
    pub form: Linear,
}

/// A versioned loop: the checks of its test (one per distinct array, axis and index form), the
/// index expressions they cover (array, axis, the index expression's id), and the `$iN`
/// temporaries of its body (by local) with the index expression each holds.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub checks: Vec<Check>,
    covered: Vec<(LocalId, u32, hir::ExprId)>,
    temps: HashMap<LocalId, hir::Expr>,
}

impl Plan {
    /// Whether `array[index]`'s position on `axis` is covered by this loop's test. `index` is the
    /// whole subscript (a tuple display, a temporary holding one, or one expression).
    pub(super) fn covers(&self, array: &hir::Expr, index: &hir::Expr, axis: u32) -> bool {
        let H::Local { id: array, .. } = array.kind else { return false };
        let Some(item) = self.item(index, axis) else { return false };
        self.covered.contains(&(array, axis, item.id))
    }

    /// The index expression of `axis` in the subscript `index`.
    fn item<'e>(&'e self, index: &'e hir::Expr, axis: u32) -> Option<&'e hir::Expr> {
        let index = match &index.kind {
            H::Local { id, .. } => self.temps.get(id).unwrap_or(index),
            _ => index,
        };
        match &index.kind {
            // A new axis (`None`) shifts which item indexes which axis: not analyzed.
            H::Tuple(items) if items.iter().any(|e| matches!(e.kind, H::None)) => None,
            H::Tuple(items) => items.get(axis as usize),
            H::None => None,
            _ if axis == 0 => Some(index),
            _ => None,
        }
    }
}

/// The plan for `for var in range(..)` over `body` (step 1), if any access qualifies. `is_temp`
/// says which locals are `$iN` temporaries; `always_bound` which locals every read finds bound;
/// `ndim` the number of axes of an array local (None for any other local); `is_int` which
/// locals are int64; `gains` which index expressions the fast copy gains on (with bounds checks off, only those that would keep their negative-index wrap).
#[allow(clippy::too_many_arguments)]
pub(super) fn plan(
    var: LocalId,
    body: &[hir::Stmt],
    is_temp: impl Fn(LocalId) -> bool,
    always_bound: impl Fn(LocalId) -> bool,
    ndim: impl Fn(LocalId) -> Option<u32>,
    is_int: impl Fn(LocalId) -> bool,
    gains: impl Fn(&hir::Expr) -> bool,
) -> Option<Plan> {
    if has_loop(body) || super::nonneg::assigned_in(body, var) || statements(body) > MAX_STATEMENTS {
        return None;
    }
    let mut temps = HashMap::new();
    collect_temps(body, &is_temp, &mut temps);
    let mut p = Plan { checks: Vec::new(), covered: Vec::new(), temps };
    let mut subscripts = Vec::new();
    for s in body {
        subscripts_of_stmt(s, &mut subscripts);
    }
    let invariant = |w: LocalId| is_int(w) && always_bound(w) && !is_temp(w) && !super::nonneg::assigned_in(body, w);
    for (array, index) in subscripts {
        let H::Local { id, .. } = array.kind else { continue };
        let Some(n) = ndim(id) else { continue };
        if !always_bound(id) || super::nonneg::assigned_in(body, id) {
            continue;
        }
        for axis in 0..n {
            let Some(item) = p.item(index, axis) else { continue };
            if !gains(item) {
                continue;
            }
            let Some(form) = linear(item, var, &invariant) else { continue };
            if form.coef.abs() > 1 || form.offset.abs() >= MAX_OFFSET {
                continue;
            }
            p.covered.push((id, axis, item.id));
            let check = Check { array: id, axis, form };
            if !p.checks.contains(&check) {
                p.checks.push(check);
            }
        }
    }
    (!p.checks.is_empty()).then_some(p)
}

/// `e` as `coef * var + sum(sign * local) + offset`, when it is built of `var`, int literals and
/// locals `invariant` accepts with `+`, `-` and unary `-` only (at most 8 terms).
fn linear(e: &hir::Expr, var: LocalId, invariant: &impl Fn(LocalId) -> bool) -> Option<Linear> {
    let mut out = Linear { coef: 0, terms: Vec::new(), offset: 0 };
    fn walk(e: &hir::Expr, sign: i64, var: LocalId, inv: &impl Fn(LocalId) -> bool, out: &mut Linear) -> Option<()> {
        match &e.kind {
            H::Int(c) => out.offset = out.offset.checked_add(sign.checked_mul(*c)?)?,
            H::Local { id, .. } if *id == var => out.coef += sign,
            H::Local { id, .. } if inv(*id) && out.terms.len() < 8 => out.terms.push((sign, *id)),
            H::Binary { op: BinOp::Add, left, right } => {
                walk(left, sign, var, inv, out)?;
                walk(right, sign, var, inv, out)?;
            }
            H::Binary { op: BinOp::Sub, left, right } => {
                walk(left, sign, var, inv, out)?;
                walk(right, -sign, var, inv, out)?;
            }
            H::Unary { op: UnaryOp::Neg, operand } => walk(operand, -sign, var, inv, out)?,
            _ => return None,
        }
        Some(())
    }
    walk(e, 1, var, invariant, &mut out)?;
    Some(out)
}

fn statements(body: &[hir::Stmt]) -> usize {
    body.iter()
        .map(|s| match &s.kind {
            S::If { .. } | S::While { .. } | S::ForRange { .. } | S::Try { .. } => {
                1 + s.kind.blocks().into_iter().map(statements).sum::<usize>()
            }
            _ => 1,
        })
        .sum()
}

/// Whether some expression of `body` (nested statements included) satisfies `pred`.
pub(super) fn any_expr(body: &[hir::Stmt], pred: &dyn Fn(&hir::Expr) -> bool) -> bool {
    fn expr(e: &hir::Expr, pred: &dyn Fn(&hir::Expr) -> bool) -> bool {
        pred(e) || e.kind.children().into_iter().any(|c| expr(c, pred))
    }
    fn target(t: &Target, pred: &dyn Fn(&hir::Expr) -> bool) -> bool {
        match t {
            Target::Local(..) => false,
            Target::Tuple(ts, _) => ts.iter().any(|t| target(t, pred)),
            Target::Index { array, index, .. } => expr(array, pred) || expr(index, pred),
        }
    }
    body.iter().any(|s| match &s.kind {
        S::Assign { targets, value } => expr(value, pred) || targets.iter().any(|t| target(t, pred)),
        S::AugAssign { value, read, .. } => expr(value, pred) || expr(read, pred),
        S::AugAssignIndex { array, index, value, .. } => expr(array, pred) || expr(index, pred) || expr(value, pred),
        S::Expr(e) | S::Return(Some(e)) => expr(e, pred),
        S::Print { items, .. } => items.iter().filter_map(hir::PrintItem::value).any(|e| expr(e, pred)),
        S::If { test, body, orelse } | S::While { test, body, orelse } => {
            expr(test, pred) || any_expr(body, pred) || any_expr(orelse, pred)
        }
        S::ForRange { target: t, start, stop, step, body, orelse } => {
            target(t, pred) || [start, stop, step].iter().any(|e| expr(e, pred)) || any_expr(body, pred) || any_expr(orelse, pred)
        }
        S::Try { .. } => s.kind.blocks().into_iter().any(|b| any_expr(b, pred)),
        S::Return(None) | S::Break | S::Continue | S::Pass | S::Raise { .. } | S::Reraise => false,
    })
}

fn has_loop(body: &[hir::Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        S::ForRange { .. } | S::While { .. } => true,
        S::If { .. } | S::Try { .. } => s.kind.blocks().into_iter().any(has_loop),
        _ => false,
    })
}

/// The `$iN = index` assignments of `body` (each temporary is assigned once, in front of its use).
fn collect_temps(body: &[hir::Stmt], is_temp: &impl Fn(LocalId) -> bool, temps: &mut HashMap<LocalId, hir::Expr>) {
    for s in body {
        match &s.kind {
            S::Assign { targets, value } => {
                if let [Target::Local(id, _)] = targets.as_slice() {
                    if is_temp(*id) {
                        temps.insert(*id, value.clone());
                    }
                }
            }
            S::If { body, orelse, .. } => {
                collect_temps(body, is_temp, temps);
                collect_temps(orelse, is_temp, temps);
            }
            _ => {}
        }
    }
}

/// Every array subscript (array, index) in `s`: reads, stores and `op=` targets.
fn subscripts_of_stmt<'h>(s: &'h hir::Stmt, out: &mut Vec<(&'h hir::Expr, &'h hir::Expr)>) {
    match &s.kind {
        S::Assign { targets, value } => {
            for t in targets {
                subscripts_of_target(t, out);
            }
            subscripts_of_expr(value, out);
        }
        S::AugAssign { value, .. } => subscripts_of_expr(value, out),
        S::AugAssignIndex { array, index, value, .. } => {
            out.push((array, index));
            subscripts_of_expr(index, out);
            subscripts_of_expr(value, out);
        }
        S::Expr(e) | S::Return(Some(e)) => subscripts_of_expr(e, out),
        S::Print { items, .. } => items.iter().filter_map(hir::PrintItem::value).for_each(|e| subscripts_of_expr(e, out)),
        S::If { test, body, orelse } | S::While { test, body, orelse } => {
            subscripts_of_expr(test, out);
            body.iter().chain(orelse).for_each(|s| subscripts_of_stmt(s, out));
        }
        S::ForRange { start, stop, step, body, orelse, .. } => {
            for e in [start, stop, step] {
                subscripts_of_expr(e, out);
            }
            body.iter().chain(orelse).for_each(|s| subscripts_of_stmt(s, out));
        }
        S::Try { .. } => s.kind.blocks().into_iter().flatten().for_each(|s| subscripts_of_stmt(s, out)),
        S::Return(None) | S::Break | S::Continue | S::Pass | S::Raise { .. } | S::Reraise => {}
    }
}

fn subscripts_of_target<'h>(t: &'h Target, out: &mut Vec<(&'h hir::Expr, &'h hir::Expr)>) {
    match t {
        Target::Local(..) => {}
        Target::Tuple(items, _) => items.iter().for_each(|t| subscripts_of_target(t, out)),
        Target::Index { array, index, .. } => {
            out.push((array, index));
            subscripts_of_expr(index, out);
        }
    }
}

fn subscripts_of_expr<'h>(e: &'h hir::Expr, out: &mut Vec<(&'h hir::Expr, &'h hir::Expr)>) {
    match &e.kind {
        H::Subscript { value, index } => {
            out.push((value, index));
            subscripts_of_expr(value, out);
            subscripts_of_expr(index, out);
        }
        H::Binary { left, right, .. } => {
            subscripts_of_expr(left, out);
            subscripts_of_expr(right, out);
        }
        H::Unary { operand, .. } => subscripts_of_expr(operand, out),
        H::BoolOp { values, .. } | H::Tuple(values) => values.iter().for_each(|v| subscripts_of_expr(v, out)),
        H::Compare { left, comparators, .. } => {
            subscripts_of_expr(left, out);
            comparators.iter().for_each(|v| subscripts_of_expr(v, out));
        }
        H::IfExp { test, body, orelse } => {
            for v in [test, body, orelse] {
                subscripts_of_expr(v, out);
            }
        }
        H::Intrinsic { args, .. } | H::Call { args, .. } | H::CallValue { args, .. } => {
            args.iter().for_each(|v| subscripts_of_expr(v, out))
        }
        H::Reduce { value, axis: Some(hir::Axis::Var(axis)), .. } => {
            subscripts_of_expr(value, out);
            subscripts_of_expr(axis, out);
        }
        H::Reduce { value, .. } | H::Attr { value, .. } | H::Transpose { value, .. } | H::ShapeSize(value) => {
            subscripts_of_expr(value, out)
        }
        H::Reshape { value, shape: other } | H::Unravel { flat: value, shape: other } | H::Out { value, out: other } => {
            subscripts_of_expr(value, out);
            subscripts_of_expr(other, out);
        }
        // Anything else holds no subscript the test needs (a subscript not collected is
        // simply checked).
        _ => {}
    }
}
