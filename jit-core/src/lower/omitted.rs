//! A parameter defaulting to `None` that the body fills in (QuantEcon's
//! `if tableau is None: tableau = np.empty(...)`): after that `if`, the parameter holds the new
//! value on the path where it was None and the argument on the other, so it is given a variable
//! of its own there, as Numba's SSA does, and its type is the array's, not `optional(array)`.
//!
//! `if p is None: <assigns p, never reads it>` (an `else` not naming `p`) among the body's own
//! statements becomes
//!
//! ```text
//! if p is None: <the same, assigning p2>
//! else: <the same>; p2 = p
//! p = p2
//! ```
//!
//! where `p2` is a new local of the same name: inference types only the branch an `is None`
//! test takes (a None argument, a left-out one, or a value), and the last line, a top-level
//! assignment, starts a new version of `p` (`versions.rs`).

use super::Lowerer;
use crate::hir::{self, ExprKind as H, LocalId, StmtKind as S, Target};

impl Lowerer<'_> {
    /// `body` with each such `if` of a parameter in `params` rewritten as above.
    pub(super) fn fill_in_none_parameters(&mut self, body: Vec<hir::Stmt>, params: &[LocalId]) -> Vec<hir::Stmt> {
        let mut out = Vec::with_capacity(body.len());
        for mut s in body {
            let span = s.span;
            let Some(p) = self.filled_in(&s, params) else {
                out.push(s);
                continue;
            };
            let fresh = self.locals.len() as LocalId;
            self.locals.push(self.locals[p as usize].clone());
            let S::If { body, orelse, .. } = &mut s.kind else { unreachable!("checked by filled_in") };
            retarget(body, p, fresh);
            let read_p = self.mk(H::Local { id: p, check_bound: false }, span);
            orelse.push(hir::Stmt { kind: S::Assign { targets: vec![Target::Local(fresh, span)], value: read_p }, span });
            out.push(s);
            let read_fresh = self.mk(H::Local { id: fresh, check_bound: false }, span);
            out.push(hir::Stmt { kind: S::Assign { targets: vec![Target::Local(p, span)], value: read_fresh }, span });
        }
        out
    }

    /// The parameter `p` of `params` when `s` is `if p is None:` whose body assigns `p` without
    /// reading it and whose `else` does not name it.
    fn filled_in(&self, s: &hir::Stmt, params: &[LocalId]) -> Option<LocalId> {
        let S::If { test, body, orelse } = &s.kind else { return None };
        let H::Intrinsic { f: hir::Intrinsic::IsNone { negated: false }, args } = &test.kind else { return None };
        let [hir::Expr { kind: H::Local { id: p, .. }, .. }] = args.as_slice() else { return None };
        let p = *p;
        let assigns = |stmts: &[hir::Stmt]| {
            let mut defs = vec![0u32; self.locals.len()];
            super::known::count(stmts, &mut defs);
            defs[p as usize] > 0
        };
        let ok = params.contains(&p) && assigns(body) && !reads(body, p) && !assigns(orelse) && !reads(orelse, p);
        ok.then_some(p)
    }
}

/// Whether an expression of `stmts` (at any depth) reads `p` (an `a op= ...` of `p` reads it).
fn reads(stmts: &[hir::Stmt], p: LocalId) -> bool {
    fn expr(e: &hir::Expr, p: LocalId) -> bool {
        matches!(e.kind, H::Local { id, .. } if id == p) || e.kind.children().into_iter().any(|c| expr(c, p))
    }
    stmts.iter().any(|s| {
        matches!(s.kind, S::AugAssign { target, .. } if target == p)
            || s.own_exprs().into_iter().any(|e| expr(e, p))
            || s.kind.blocks().into_iter().any(|b| reads(b, p))
    })
}

/// Every assignment of `p` in `stmts` (at any depth) assigns `to` instead.
fn retarget(stmts: &mut [hir::Stmt], p: LocalId, to: LocalId) {
    fn target(t: &mut Target, p: LocalId, to: LocalId) {
        match t {
            Target::Local(id, _) if *id == p => *id = to,
            Target::Tuple(ts, _) => ts.iter_mut().for_each(|t| target(t, p, to)),
            _ => {}
        }
    }
    for s in stmts {
        match &mut s.kind {
            S::Assign { targets, .. } => targets.iter_mut().for_each(|t| target(t, p, to)),
            S::ForRange { target: t, body, orelse, .. } => {
                target(t, p, to);
                retarget(body, p, to);
                retarget(orelse, p, to);
            }
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                retarget(body, p, to);
                retarget(orelse, p, to);
            }
            S::Try { body, handlers, orelse, finalbody } => {
                retarget(body, p, to);
                handlers.iter_mut().for_each(|h| retarget(&mut h.body, p, to));
                retarget(orelse, p, to);
                retarget(finalbody, p, to);
            }
            _ => {}
        }
    }
}
