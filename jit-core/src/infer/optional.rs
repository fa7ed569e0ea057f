//! Typing of optional values (`Type::Optional`, Numba's `Optional`): `x is None` and
//! `x is not None`, the tests whose answer the types already give (so that an `if` on one
//! types only the branch taken), and where an optional value is read as its inner type.

use crate::error::Result;
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::types::Type;

use super::InferCx;

impl InferCx<'_> {
    /// `x is None` / `x is not None`: a bool; recorded as a constant when `x`'s type answers it
    /// (`None` is None, a number or array never is).
    pub(super) fn is_none(&mut self, e: &hir::Expr, negated: bool, operand: &hir::Expr) -> Result<Type> {
        let t = self.expr_keep(operand)?;
        let known = match t {
            Type::Optional(_) | Type::Unknown => None,
            t => Some((t == Type::None) != negated),
        };
        let spec = &mut self.specs[self.current];
        match known {
            Some(k) => spec.known_tests.insert(e.id, k),
            None => spec.known_tests.remove(&e.id),
        };
        Ok(Type::Bool)
    }

    /// The answer the types give to the test of an `if` or a conditional expression, when it
    /// is `x is None` or `x is not None` (possibly under `not`): `Some(true)` types and compiles
    /// only the body, `Some(false)` only the `else`. `Err(())` while the operand's type is not
    /// known yet: neither branch is typed in this round.
    pub(super) fn known_test(&mut self, test: &hir::Expr) -> std::result::Result<Option<bool>, ()> {
        match &test.kind {
            H::Intrinsic { f: Intrinsic::IsNone { .. }, args } => {
                if self.specs[self.current].expr_types[args[0].id as usize] == Type::Unknown {
                    return Err(());
                }
                Ok(self.specs[self.current].known_tests.get(&test.id).copied())
            }
            H::Unary { op: crate::ast::UnaryOp::Not, operand } => Ok(self.known_test(operand)?.map(|k| !k)),
            // `a and b`: false once a value known false is reached through values known true;
            // true when all are (`or` the other way round).
            H::BoolOp { op, values } => {
                let stop = *op == crate::ast::BoolOpKind::Or;
                for v in values {
                    match self.known_test(v)? {
                        Some(k) if k == stop => return Ok(Some(stop)),
                        Some(_) => {}
                        None => return Ok(None),
                    }
                }
                Ok(Some(!stop))
            }
            // `a.ndim == 2`, frozen bools, ... (`constant.rs`).
            _ => self.constant_test(test),
        }
    }

    /// Types `e` where its value is used as a value: an optional value is read as its inner
    /// type (checked when the code runs: `TypeError` when it is `None`), which is recorded in
    /// [`super::TypedFunction::unwraps`].
    pub(super) fn expr(&mut self, e: &hir::Expr) -> Result<Type> {
        let t = self.expr_keep(e)?;
        let spec = &mut self.specs[self.current];
        if t == Type::None
            && !self.strict
            && matches!(e.kind, H::Local { .. } | H::Call { .. } | H::CallValue { .. } | H::IfExp { .. })
        {
            // `b = None` before a loop that assigns `b = x`: in the first rounds `b` is None,
            // later an optional. Only the last round, once types settled, reports None used
            // as a value.
            spec.expr_types[e.id as usize] = Type::Unknown;
            return Ok(Type::Unknown);
        }
        if let Type::Optional(inner) = &t {
            let inner = (**inner).clone();
            spec.unwraps.insert(e.id, t);
            spec.expr_types[e.id as usize] = inner.clone();
            return Ok(inner);
        }
        spec.unwraps.remove(&e.id);
        Ok(t)
    }

    /// Whether `s` is an `if` whose test the types answer and whose branch taken never falls
    /// through (it returns, raises, breaks or continues).
    pub(super) fn leaves_pruned(&mut self, s: &hir::Stmt) -> bool {
        let hir::StmtKind::If { test, body, orelse } = &s.kind else { return false };
        match self.known_test(test) {
            Ok(Some(taken)) => !crate::flow::falls_through(if taken { body } else { orelse }),
            _ => false,
        }
    }
}
