//! Branches pruned at compile time (Numba's `dead_branch_prune`): an `if` whose condition the
//! argument types decide (`a.ndim == 2`, `len(a.shape) == 1`, a frozen bool, `not` / `and` /
//! `or` of these) types only the branch taken, and that specialization compiles a copy of its
//! function with the `if` replaced by that branch.
//!
//! A condition is constant when it is made of int and bool literals (frozen globals are
//! literals by then), `x.ndim` and `len(x.shape)` of a local `x` holding an array, `len(t)` of a
//! local tuple, comparisons, `not`, `and` and `or`: nothing with an effect, so leaving it out
//! changes nothing but which branch is typed. Conditional expressions (`x if c else y`) and
//! loops are not pruned.

use std::collections::HashMap;

use crate::ast::{BoolOpKind, CmpOp, UnaryOp};
use crate::hir::{self, ExprId, ExprKind as H, FuncId, StmtKind as S};
use crate::types::Type;

use super::{InferCx, TypedFunction};

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
            H::Int(v) => Const::Value(*v),
            H::Bool(b) => Const::Value(*b as i64),
            H::Attr { value, attr: hir::Attr::Ndim } => ndim(value),
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

    /// Types `if test: body else: orelse`, only the branch taken when the types decide `test`.
    pub(super) fn if_stmt(&mut self, test: &hir::Expr, body: &[hir::Stmt], orelse: &[hir::Stmt]) -> crate::error::Result<()> {
        self.test(test)?;
        match self.constant(test) {
            Const::Value(v) => {
                self.specs[self.current].constant_tests.insert(test.id, v != 0);
                self.block(if v != 0 { body } else { orelse })
            }
            // Neither branch until the condition is known (a later round types the one taken).
            Const::Pending => Ok(()),
            Const::Dynamic => {
                self.block(body)?;
                self.block(orelse)
            }
        }
    }
}

/// `body` with each `if` whose condition is in `decided` replaced by the branch taken.
pub(super) fn prune(body: &[hir::Stmt], decided: &HashMap<ExprId, bool>) -> Vec<hir::Stmt> {
    let mut out = Vec::with_capacity(body.len());
    for s in body {
        if let S::If { test, body, orelse } = &s.kind {
            if let Some(&taken) = decided.get(&test.id) {
                out.extend(prune(if taken { body } else { orelse }, decided));
                continue;
            }
        }
        let mut s = s.clone();
        match &mut s.kind {
            S::If { body, orelse, .. } | S::While { body, orelse, .. } | S::ForRange { body, orelse, .. } => {
                *body = prune(body, decided);
                *orelse = prune(orelse, decided);
            }
            S::Try { body, handlers, orelse, finalbody } => {
                *body = prune(body, decided);
                for h in handlers {
                    h.body = prune(&h.body, decided);
                }
                *orelse = prune(orelse, decided);
                *finalbody = prune(finalbody, decided);
            }
            _ => {}
        }
        out.push(s);
    }
    out
}

/// Gives each specialization that decided a condition a function of its own: a copy of its
/// function with those `if`s pruned (appended to `funcs`; specializations that decided the same
/// conditions of one function share it). Returns, for each function of the program, the function it was copied from (itself for the originals).
pub(super) fn split_pruned(funcs: &mut Vec<hir::Function>, specs: &mut [TypedFunction]) -> Vec<FuncId> {
    let mut origins: Vec<FuncId> = (0..funcs.len() as FuncId).collect();
    // (the function copied, the conditions decided, the copy)
    type Copy = (FuncId, Vec<(ExprId, bool)>, FuncId);
    let mut made: Vec<Copy> = Vec::new();
    for spec in specs.iter_mut() {
        if spec.constant_tests.is_empty() {
            continue;
        }
        let mut key: Vec<(ExprId, bool)> = spec.constant_tests.iter().map(|(k, v)| (*k, *v)).collect();
        key.sort_unstable();
        let id = match made.iter().find(|(f, k, _)| *f == spec.func && *k == key) {
            Some((_, _, id)) => *id,
            None => {
                let f = &funcs[spec.func as usize];
                let pruned = hir::Function { body: prune(&f.body, &spec.constant_tests), ..f.clone() };
                funcs.push(pruned);
                origins.push(spec.func);
                let id = (funcs.len() - 1) as FuncId;
                made.push((spec.func, key, id));
                id
            }
        };
        spec.func = id;
    }
    origins
}

/// The locals of `f` that the pruned `body` never assigns (nor binds as parameters): those
/// the branches left out assign. Typed None: never read, or read unbound (UnboundLocalError,
/// as Python).
pub(super) fn unassigned(f: &hir::Function, body: &[hir::Stmt]) -> Vec<hir::LocalId> {
    let mut assigned = vec![false; f.locals.len()];
    for p in &f.params {
        assigned[*p as usize] = true;
    }
    assigned_locals(body, &mut assigned);
    (0..f.locals.len() as hir::LocalId).filter(|i| !assigned[*i as usize]).collect()
}

/// Marks every local some statement of `body` assigns.
fn assigned_locals(body: &[hir::Stmt], out: &mut [bool]) {
    fn target(t: &hir::Target, out: &mut [bool]) {
        match t {
            hir::Target::Local(id, _) => out[*id as usize] = true,
            hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, out)),
            hir::Target::Index { .. } => {}
        }
    }
    for s in body {
        match &s.kind {
            S::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            S::AugAssign { target: id, .. } => out[*id as usize] = true,
            S::ForRange { target: t, .. } => target(t, out),
            _ => {}
        }
        for b in s.kind.blocks() {
            assigned_locals(b, out);
        }
    }
}
