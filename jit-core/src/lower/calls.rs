//! Lowering of the calls whose arguments need binding: a jitted function's parameters (with
//! CPython's rules for keywords and defaults) and a ufunc's `out=`.

use super::Lowerer;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};

impl Lowerer<'_> {
    /// `np.f(args..., out=o)`: the call without `out=`, written into `o` ([`H::Out`]).
    pub(super) fn with_out(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
        name: &str,
    ) -> Result<hir::Expr> {
        if let Some(k) = keywords.iter().find(|k| k.name != "out") {
            return Err(CompileError::unsupported_because(
                "keyword argument to a NumPy function",
                format!("'{}=' is not compiled for {name}() (only out=)", k.name),
                k.span,
            ));
        }
        let [out_kw] = keywords else {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{name}() got multiple values for argument 'out'"),
                span,
            ));
        };
        let value = self.call(func, args, &[], span)?;
        let out = self.expr(&out_kw.value)?;
        Ok(self.mk(H::Out { value: Box::new(value), out: Box::new(out) }, span))
    }

    /// Binds positional and keyword arguments to the parameters of function `unit` of the
    /// program as CPython would, filling in its defaults.
    pub(super) fn bind_call(
        &mut self,
        unit: u32,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Vec<hir::Expr>> {
        let (callee, callee_env) = self.units[unit as usize];
        let params = &callee.params;
        let name = &callee.name;
        if args.len() > params.len() {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{name}() takes {} positional arguments but {} were given", params.len(), args.len()),
                span,
            ));
        }
        let mut bound: Vec<Option<hir::Expr>> = Vec::new();
        for a in args {
            bound.push(Some(self.expr(a)?));
        }
        bound.resize_with(params.len(), || None);
        for k in keywords {
            let Some(i) = params.iter().position(|p| p.name == k.name) else {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("{name}() got an unexpected keyword argument '{}'", k.name),
                    k.span,
                ));
            };
            if bound[i].is_some() {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("{name}() got multiple values for argument '{}'", k.name),
                    k.span,
                ));
            }
            bound[i] = Some(self.expr(&k.value)?);
        }
        let mut out = Vec::new();
        for (i, b) in bound.into_iter().enumerate() {
            let e = match b {
                Some(e) => e,
                None => match callee_env.defaults.get(i).cloned().flatten() {
                    Some(c) => self.const_value(&c, span),
                    None => {
                        return Err(CompileError::typing(
                            "call with wrong arguments",
                            format!("{name}() missing required argument: '{}'", params[i].name),
                            span,
                        ))
                    }
                },
            };
            out.push(e);
        }
        Ok(out)
    }
}
