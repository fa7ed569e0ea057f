//! Lowering of calls through a value (`f(x)` where `f` is a parameter, a local or a tuple's
//! item): the callee is an expression whose type, at inference, names the jitted function; and
//! of `for f in (square, cube, lambda y: ...)`, unrolled (each function is a type of its own).

use super::{GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span, StmtKind as S};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};

impl Lowerer<'_> {
    /// `func(args)` where `func` is a value: arguments by position only (which function is
    /// called, so which parameters its keywords would name, is known only at inference).
    pub(super) fn call_value(&mut self, func: &ast::Expr, args: &[ast::Expr], keywords: &[ast::Keyword]) -> Result<H> {
        if let Some(k) = keywords.first() {
            return Err(CompileError::unsupported_because(
                "keyword argument to a function value",
                format!("'{}=': a function called through a value takes its arguments by position", k.name),
                k.span,
            ));
        }
        let callee = self.expr(func)?;
        Ok(H::CallValue { callee: Box::new(callee), args: self.value_call_args(args)? })
    }

    /// `g(x, *t)` of a jitted function `g`: a call through `g` as a value, whose arguments
    /// (`t`'s items among them) bind by position once inference knows `t`'s length. Keywords do
    /// not mix with `*t` here.
    pub(super) fn starred_call(&mut self, unit: u32, args: &[ast::Expr], keywords: &[ast::Keyword]) -> Result<H> {
        if let Some(k) = keywords.first() {
            return Err(CompileError::unsupported_because(
                "keyword argument with *args",
                format!("'{}=': a call with `*t` takes its arguments by position here", k.name),
                k.span,
            ));
        }
        let callee = self.mk(H::FunctionValue(unit), args[0].span);
        Ok(H::CallValue { callee: Box::new(callee), args: self.value_call_args(args)? })
    }

    /// The arguments of a call through a value: `*t` as `H::Unpack(t)`.
    pub(super) fn value_call_args(&mut self, args: &[ast::Expr]) -> Result<Vec<hir::Expr>> {
        args.iter()
            .map(|a| match &a.kind {
                A::Starred(t) => {
                    let t = self.expr(t)?;
                    Ok(self.mk(H::Unpack(Box::new(t)), a.span))
                }
                _ => self.expr(a),
            })
            .collect()
    }

    /// `for f in (a, b, ...): body else: orelse` over a tuple literal of names and lambdas, one
    /// of them a jitted function or a lambda, whose body has no `break` or `continue`: unrolled
    /// as `f = a; body; f = b; body; ...; orelse` (each function being a type of its own, a
    /// loop would give `f` mixed types). `None` for any other loop.
    pub(super) fn unrolled_function_loop(
        &mut self,
        target: &ast::Target,
        iter: &ast::Expr,
        body: &[ast::Stmt],
        orelse: &[ast::Stmt],
        span: Span,
    ) -> Result<Option<Vec<hir::Stmt>>> {
        let A::Tuple(items) = &iter.kind else { return Ok(None) };
        let is_function = |e: &ast::Expr| match &e.kind {
            A::Lambda(_) => true,
            A::Name(n) if !self.by_name.contains_key(n) => {
                matches!(self.global(n), GlobalValue::Jitted { .. } | GlobalValue::SelfFunction)
            }
            _ => false,
        };
        let simple = items.iter().all(|e| matches!(e.kind, A::Name(_) | A::Lambda(_)));
        if !simple || !items.iter().any(is_function) || exits(body) {
            return Ok(None);
        }
        let mut out = Vec::new();
        for item in items {
            let value = self.expr(item)?;
            let targets = vec![self.target(target)?];
            out.push(hir::Stmt { kind: hir::StmtKind::Assign { targets, value }, span });
            out.extend(self.block(body)?);
        }
        out.extend(self.block(orelse)?);
        Ok(Some(out))
    }
}

/// Whether `stmts` leave their loop early (`break`, `continue`; not those of inner loops).
fn exits(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        S::Break | S::Continue => true,
        S::If { body, orelse, .. } => exits(body) || exits(orelse),
        S::Try { body, handlers, orelse, finalbody } => {
            exits(body) || handlers.iter().any(|h| exits(&h.body)) || exits(orelse) || exits(finalbody)
        }
        _ => false,
    })
}
