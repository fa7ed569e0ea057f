//! Lowering of `range` objects used as values: `range(...)` outside a `for` loop's header
//! ([`Intrinsic::Range`], its defaults filled in) and `r.start`/`r.stop`/`r.step`.

use super::Lowerer;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{ExprKind as H, Intrinsic};

impl Lowerer<'_> {
    /// `range(stop)`, `range(start, stop)` or `range(start, stop, step)` as a value.
    pub(super) fn range_value(&mut self, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<H> {
        if let Some(k) = keywords.first() {
            return Err(CompileError::unsupported("keyword argument to range()", k.span));
        }
        let mut a = self.exprs(args)?;
        let (zero, one) = (self.mk(H::Int(0), span), self.mk(H::Int(1), span));
        let args = match a.len() {
            1 => vec![zero, a.pop().expect("one"), one],
            2 => {
                a.push(one);
                a
            }
            3 => a,
            n => return Err(CompileError::typing("range() call", format!("range expected 1 to 3 arguments, got {n}"), span)),
        };
        Ok(H::Intrinsic { f: Intrinsic::Range, args })
    }

    /// `value.start`, `value.stop` or `value.step` (inference checks that `value` is a range).
    pub(super) fn range_field(&mut self, value: &ast::Expr, attr: &str) -> Result<Option<H>> {
        let k = match attr {
            "start" => 0,
            "stop" => 1,
            "step" => 2,
            _ => return Ok(None),
        };
        Ok(Some(H::Intrinsic { f: Intrinsic::RangeField(k), args: vec![self.expr(value)?] }))
    }
}
