//! Locals whose one assignment is a condition the types may decide (`num_dims = x.ndim`,
//! sktime's): a read of such a local is that expression to `infer/constant.rs`, so that
//! `if num_dims == 1:` is pruned as `if x.ndim == 1:` is.

use crate::hir::{self, ExprKind as H, LocalId, StmtKind as S, Target};

/// The locals of `f` (after `versions::split`) assigned exactly once, by a statement of the
/// body itself (not nested), from an expression made of literals, `x.ndim`, `len(x.shape)`,
/// `np.ndim(x)`, `len(t)`, other such locals, comparisons, `not`, `-`, `and` and `or`.
pub(super) fn constant_definitions(f: &hir::Function) -> Vec<(LocalId, hir::Expr)> {
    let mut defs = vec![0u32; f.locals.len()];
    for &p in &f.params {
        defs[p as usize] += 1;
    }
    count(&f.body, &mut defs);
    let mut out: Vec<(LocalId, hir::Expr)> = Vec::new();
    for s in &f.body {
        let S::Assign { targets, value } = &s.kind else { continue };
        let [Target::Local(id, _)] = targets.as_slice() else { continue };
        if defs[*id as usize] == 1 && decidable(value, &out) {
            out.push((*id, value.clone()));
        }
    }
    out
}

/// Counts each local's assignments in `stmts` (at any depth).
pub(super) fn count(stmts: &[hir::Stmt], defs: &mut [u32]) {
    fn target(t: &Target, defs: &mut [u32]) {
        match t {
            Target::Local(id, _) => defs[*id as usize] += 1,
            Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, defs)),
            Target::Index { .. } => {}
        }
    }
    for s in stmts {
        match &s.kind {
            S::Assign { targets, .. } => targets.iter().for_each(|t| target(t, defs)),
            S::AugAssign { target: id, .. } => defs[*id as usize] += 1,
            S::ForRange { target: t, body, orelse, .. } => {
                target(t, defs);
                count(body, defs);
                count(orelse, defs);
            }
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                count(body, defs);
                count(orelse, defs);
            }
            S::Try { body, handlers, orelse, finalbody } => {
                count(body, defs);
                handlers.iter().for_each(|h| count(&h.body, defs));
                count(orelse, defs);
                count(finalbody, defs);
            }
            _ => {}
        }
    }
}

/// Whether `e` is made only of what `infer/constant.rs` may decide (`known`: the locals found
/// so far).
fn decidable(e: &hir::Expr, known: &[(LocalId, hir::Expr)]) -> bool {
    match &e.kind {
        H::Int(_) | H::Bool(_) => true,
        H::Attr { value, attr: hir::Attr::Ndim } => matches!(value.kind, H::Local { .. }),
        H::Intrinsic { f: hir::Intrinsic::Ndim | hir::Intrinsic::Len, args } if args.len() == 1 => match &args[0].kind {
            H::Local { .. } => true,
            H::Attr { value, attr: hir::Attr::Shape } => matches!(value.kind, H::Local { .. }),
            _ => false,
        },
        H::Local { id, check_bound: false } => known.iter().any(|(k, _)| k == id),
        H::Unary { op: crate::ast::UnaryOp::Not | crate::ast::UnaryOp::Neg, operand } => decidable(operand, known),
        H::Compare { left, comparators, .. } => decidable(left, known) && comparators.iter().all(|c| decidable(c, known)),
        H::BoolOp { values, .. } => values.iter().all(|v| decidable(v, known)),
        _ => false,
    }
}
