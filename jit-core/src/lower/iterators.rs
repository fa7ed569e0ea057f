//! Lowering of iterators as values: `iter(x)` (its argument as a `for` loop walks it: a dict's
//! or set's keys as a list) and `enumerate(...)`, `zip(...)`, `reversed(...)` outside a `for`
//! loop's header, each the iterator over the list of its items (made, as `list(...)` is, just
//! before its statement: `lower/comprehensions.rs`). `next(it[, default])` is an intrinsic call
//! as it is written.

use super::Lowerer;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};

impl Lowerer<'_> {
    /// `iter(x)`: [`Intrinsic::Iter`] of what a `for` loop over `x` walks.
    pub(super) fn iter_call(&mut self, x: &ast::Expr) -> Result<H> {
        let inner = self.expr(x)?;
        let walked = self.mk(H::DictMethod { method: hir::DictMethod::Iter, dict: Box::new(inner), args: Vec::new() }, x.span);
        Ok(H::Intrinsic { f: Intrinsic::Iter, args: vec![walked] })
    }

    /// `enumerate(...)`, `zip(...)` or `reversed(...)` as a value (`e` the call): the iterator
    /// over the list of its items, which the statement's hoisting made.
    pub(super) fn iterate_value(&mut self, e: &ast::Expr, name: &str, span: Span) -> Result<H> {
        match self.comps.remove(&(e as *const ast::Expr as usize)) {
            Some(id) => {
                let list = self.mk(H::Local { id, check_bound: false }, span);
                Ok(H::Intrinsic { f: Intrinsic::Iter, args: vec![list] })
            }
            None => Err(CompileError::unsupported_because(
                "iterator in a lazily evaluated place",
                format!(
                    "{name}() as a value is compiled where it is always evaluated: not in a `while` condition, \
                     the branches of `x if c else y`, or after the first operand of `and`/`or`"
                ),
                span,
            )),
        }
    }
}
