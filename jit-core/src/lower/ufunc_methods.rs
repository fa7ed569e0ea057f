//! Lowering of a `@vectorize` object's methods called from compiled code: `f.reduce(a, axis=k)`
//! and `f.accumulate(a, axis=k)` ([`Intrinsic::UfuncReduce`]); its other methods are a
//! `CompileError` naming them.

use super::{GlobalValue, Lowerer};
use crate::ast::ExprKind as A;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};

impl Lowerer<'_> {
    /// `f.reduce(a)`, `f.reduce(a, k)`, `f.reduce(a, axis=k)` (`k` an int literal or None; NumPy's
    /// default axis is 0), and `f.accumulate` likewise, of a `@vectorize` object `f` with a two-argument kernel; `None` when
    /// `func` is no method of a `@vectorize` object.
    pub(super) fn ufunc_method_call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        let A::Name(m) = &value.kind else { return Ok(None) };
        if self.by_name.contains_key(m) {
            return Ok(None);
        }
        let GlobalValue::Vectorized { name, unit, loops, gufunc: None, identity } = self.global(m) else {
            return Ok(None);
        };
        let (name, unit, loops, identity) = (name.clone(), *unit, loops.clone(), *identity);
        let unsupported = |what: String, span: Span| CompileError::unsupported_because("method of a ufunc", what, span);
        if attr != "reduce" && attr != "accumulate" {
            return Err(unsupported(
                format!(
                    "'{name}.{attr}' is not compiled (of a @vectorize ufunc's methods only reduce and accumulate \
                     (array, axis=k) are); call it from Python"
                ),
                func.span,
            ));
        }
        let nin = self.units[unit as usize].0.params.len();
        if nin != 2 {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{attr} only supported for binary functions ('{name}' takes {nin} arguments)"),
                span,
            ));
        }
        if let Some(k) = keywords.iter().find(|k| k.name != "axis") {
            return Err(unsupported(
                format!("'{}=' is not compiled for '{name}.{attr}()' (only axis=, an int literal or None)", k.name),
                k.span,
            ));
        }
        let mut given: Vec<&ast::Expr> = args.iter().skip(1).collect();
        given.extend(keywords.iter().map(|k| &k.value));
        if args.is_empty() || given.len() > 1 {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!(
                    "'{name}.{attr}()' takes an array and an optional axis here, {} arguments given",
                    args.len() + keywords.len()
                ),
                span,
            ));
        }
        let axis = match given.first().map(|e| &e.kind) {
            None => Some(0),
            Some(A::None) => None,
            Some(A::Int(i)) => Some(*i),
            Some(A::Unary { op: ast::UnaryOp::Neg, operand }) if matches!(operand.kind, A::Int(_)) => {
                let A::Int(i) = operand.kind else { unreachable!("just matched") };
                Some(-i)
            }
            Some(_) => {
                return Err(unsupported(
                    format!("the axis of '{name}.{attr}()' is compiled as an int literal or None only"),
                    given[0].span,
                ))
            }
        };
        let u = hir::Ufunc { name, func: unit, loops, gufunc: None, identity };
        let k = self.ufunc_index(u);
        self.allocates = true;
        Ok(Some(H::Intrinsic {
            f: Intrinsic::UfuncReduce { k, axis, accumulate: attr == "accumulate" },
            args: vec![self.expr(&args[0])?],
        }))
    }
}
