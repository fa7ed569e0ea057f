//! Lowering of calls through a value (`f(x)` where `f` is a parameter, a local or a tuple's
//! item): the callee is an expression whose type, at inference, names the jitted function.

use super::Lowerer;
use crate::ast;
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
        let args: Vec<hir::Expr> = args.iter().map(|a| self.expr(a)).collect::<Result<_>>()?;
        Ok(H::CallValue { callee: Box::new(callee), args })
    }
}
