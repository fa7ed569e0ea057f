//! Conditions the argument types decide besides `is None` (`optional.rs`), pruned as those
//! are (Numba's `dead_branch_prune`): an `if` or conditional expression on `a.ndim == 2`,
//! `len(a.shape) == 1`, `np.ndim(x) == 0`, a frozen bool, or `not` / `and` / `or` of these types and compiles only
//! the branch taken.
//!
//! A condition is constant when it is made of int and bool literals (frozen globals are
//! literals by then), `x.ndim` and `len(x.shape)` of a local `x` holding an array, `np.ndim(x)`
//! of a local array or number, `len(t)` of a
//! local tuple, locals assigned once from such a condition (`lower/known.rs`), comparisons, `not`,
//! `and` and `or`: nothing with an effect, so leaving it out
//! changes nothing but which branch is typed.

use crate::ast::{BoolOpKind, CmpOp, UnaryOp};
use crate::hir::{self, ExprKind as H, StmtKind as S};
use crate::types::Type;

use super::InferCx;

/// What inference knows of a condition's value.
pub(super) enum Const {
    /// Known from the types: its value (a bool as 0 or 1).
    Value(i64),
    /// It would be known once an operand's type is (typed in a later round).
    Pending,
    /// Only known at run time.
    Dynamic,
}

impl InferCx<'_> {
    /// The value of the condition `e` (typed already), as far as the types decide it.
    pub(super) fn constant(&self, e: &hir::Expr) -> Const {
        // A local read that cannot fail, of type t.
        let local_type = |e: &hir::Expr| match e.kind {
            H::Local { id, check_bound: false } => Some(&self.specs[self.current].local_types[id as usize]),
            _ => None,
        };
        // The number of axes of the local array `x` (`x.ndim`, `len(x.shape)`).
        let ndim = |x: &hir::Expr| match local_type(x) {
            Some(Type::Array(a)) => Const::Value(a.ndim as i64),
            Some(Type::Unknown) => Const::Pending,
            _ => Const::Dynamic,
        };
        match &e.kind {
            // `num_dims` of `num_dims = x.ndim` (`lower/known.rs`): that expression.
            H::Local { id, check_bound: false } if self.hir_fn().known.iter().any(|(k, _)| k == id) => {
                let (_, def) = self.hir_fn().known.iter().find(|(k, _)| k == id).expect("just found");
                self.constant(def)
            }
            H::Int(v) => Const::Value(*v),
            H::Bool(b) => Const::Value(*b as i64),
            H::Attr { value, attr: hir::Attr::Ndim } => ndim(value),
            // `np.ndim(x)` of a local: its axes, 0 for a number.
            H::Intrinsic { f: hir::Intrinsic::Ndim, args } if args.len() == 1 => match local_type(&args[0]) {
                Some(Type::Array(a)) => Const::Value(a.ndim as i64),
                Some(Type::Unknown) => Const::Pending,
                Some(t @ (Type::List(_) | Type::Tuple(_))) if t.list_ndim().is_some() => Const::Value(t.list_ndim().unwrap_or(1)),
                Some(t) if t.is_number() || *t == Type::Bool => Const::Value(0),
                _ => Const::Dynamic,
            },
            H::Intrinsic { f: hir::Intrinsic::Len, args } if args.len() == 1 => match &args[0].kind {
                H::Attr { value, attr: hir::Attr::Shape } => ndim(value),
                _ => match local_type(&args[0]) {
                    Some(Type::Tuple(items)) => Const::Value(items.len() as i64),
                    Some(Type::Unknown) => Const::Pending,
                    _ => Const::Dynamic,
                },
            },
            H::Unary { op: op @ (UnaryOp::Not | UnaryOp::Neg), operand } => match self.constant(operand) {
                Const::Value(v) if *op == UnaryOp::Not => Const::Value((v == 0) as i64),
                Const::Value(v) => v.checked_neg().map_or(Const::Dynamic, Const::Value),
                other => other,
            },
            H::Compare { left, ops, comparators } => {
                let operands: Vec<Const> = std::iter::once(&**left).chain(comparators).map(|e| self.constant(e)).collect();
                let mut values = Vec::new();
                let mut pending = false;
                for c in operands {
                    match c {
                        Const::Value(v) => values.push(v),
                        Const::Pending => pending = true,
                        Const::Dynamic => return Const::Dynamic,
                    }
                }
                if pending {
                    return Const::Pending;
                }
                let holds = ops.iter().zip(values.windows(2)).all(|(op, w)| match op {
                    CmpOp::Eq => w[0] == w[1],
                    CmpOp::Ne => w[0] != w[1],
                    CmpOp::Lt => w[0] < w[1],
                    CmpOp::Le => w[0] <= w[1],
                    CmpOp::Gt => w[0] > w[1],
                    CmpOp::Ge => w[0] >= w[1],
                });
                Const::Value(holds as i64)
            }
            // Python's short circuit: the first operand that decides is the value.
            H::BoolOp { op, values } => {
                let mut last = Const::Dynamic;
                for v in values {
                    match self.constant(v) {
                        Const::Value(x) if (x == 0) == (*op == BoolOpKind::And) => return Const::Value(x),
                        Const::Value(x) => last = Const::Value(x),
                        other => return other,
                    }
                }
                last
            }
            _ => Const::Dynamic,
        }
    }

    /// [`InferCx::known_test`] of a condition that is not an `is None` test: its value when the
    /// types decide it (recorded in [`super::TypedFunction::known_tests`], which codegen reads),
    /// `Err(())` while an operand's type is not known yet, `Ok(None)` for a run-time condition.
    pub(super) fn constant_test(&mut self, test: &hir::Expr) -> std::result::Result<Option<bool>, ()> {
        match self.constant(test) {
            Const::Value(v) => {
                self.specs[self.current].known_tests.insert(test.id, v != 0);
                Ok(Some(v != 0))
            }
            Const::Pending => Err(()),
            Const::Dynamic => Ok(None),
        }
    }
}

impl InferCx<'_> {
    /// `body` with each `if` whose condition the types answer replaced by the branch taken
    /// (what codegen compiles): for whether the function falls off its end, and which locals
    /// only the branches left out assign.
    pub(super) fn pruned(&mut self, body: &[hir::Stmt]) -> Vec<hir::Stmt> {
        let mut out = Vec::with_capacity(body.len());
        for s in body {
            if let S::If { test, body, orelse } = &s.kind {
                if let Ok(Some(taken)) = self.known_test(test) {
                    let kept = self.pruned(if taken { body } else { orelse });
                    let leaves = !crate::flow::falls_through(&kept);
                    out.extend(kept);
                    if leaves {
                        // What follows is never reached (inference does not type it either).
                        return out;
                    }
                    continue;
                }
            }
            let mut s = s.clone();
            match &mut s.kind {
                S::If { body, orelse, .. } | S::While { body, orelse, .. } | S::ForRange { body, orelse, .. } => {
                    *body = self.pruned(body);
                    *orelse = self.pruned(orelse);
                }
                S::Try { body, handlers, orelse, finalbody } => {
                    *body = self.pruned(body);
                    for h in handlers {
                        h.body = self.pruned(&h.body);
                    }
                    *orelse = self.pruned(orelse);
                    *finalbody = self.pruned(finalbody);
                }
                _ => {}
            }
            out.push(s);
        }
        out
    }
}

/// The locals of `f` that `body` (pruned) never assigns nor binds as parameters: those only
/// the branches left out assign. Typed None: never read, or read unbound (UnboundLocalError,
/// as Python).
pub(super) fn unassigned(f: &hir::Function, body: &[hir::Stmt]) -> Vec<hir::LocalId> {
    fn target(t: &hir::Target, out: &mut [bool]) {
        match t {
            hir::Target::Local(id, _) => out[*id as usize] = true,
            hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, out)),
            hir::Target::Index { .. } => {}
        }
    }
    fn walk(body: &[hir::Stmt], out: &mut [bool]) {
        for s in body {
            match &s.kind {
                S::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
                S::AugAssign { target: id, .. } => out[*id as usize] = true,
                S::ForRange { target: t, .. } => target(t, out),
                _ => {}
            }
            for b in s.kind.blocks() {
                walk(b, out);
            }
        }
    }
    let mut assigned = vec![false; f.locals.len()];
    for p in &f.params {
        assigned[*p as usize] = true;
    }
    walk(body, &mut assigned);
    (0..f.locals.len() as hir::LocalId).filter(|i| !assigned[*i as usize]).collect()
}
