//! Lowering of namedtuple classes called in compiled code (`results(x, n, flag)`,
//! `Model(beta=0.9, grid=g)`, `results(*r)`): a new namedtuple whose items are bound to the
//! class's fields as CPython binds them.

use std::sync::Arc;

use super::Lowerer;
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::types::TupleNames;

impl Lowerer<'_> {
    /// The index of namedtuple class `names` in the function's list ([`hir::Function::named`]).
    pub(super) fn named_class(&mut self, names: Arc<TupleNames>) -> u32 {
        let k = self.named.iter().position(|n| *n == names).unwrap_or_else(|| {
            self.named.push(names);
            self.named.len() - 1
        });
        k as u32
    }

    /// `Class(args...)` of a namedtuple class: the arguments bound to its fields (positional,
    /// then keywords). With `*t` among them, by position only: inference checks the count.
    pub(super) fn named_tuple_call(
        &mut self,
        names: Arc<TupleNames>,
        defaults: &[Option<super::GlobalValue>],
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        let short = names.class.rsplit('.').next().unwrap_or(&names.class).to_string();
        let fields = names.fields.clone();
        let k = self.named_class(names);
        if args.iter().any(|a| matches!(a.kind, A::Starred(_))) {
            if let Some(kw) = keywords.first() {
                return Err(CompileError::unsupported_because(
                    "keyword argument with *args",
                    format!("'{}=': a call with `*t` takes its arguments by position here", kw.name),
                    kw.span,
                ));
            }
            return Ok(H::Intrinsic { f: Intrinsic::NamedTuple(k), args: self.value_call_args(args)? });
        }
        let wrong = |message: String| CompileError::typing("call with wrong arguments", message, span);
        if args.len() > fields.len() {
            return Err(wrong(format!(
                "{short}.__new__() takes {} positional arguments but {} were given",
                fields.len() + 1,
                args.len() + 1
            )));
        }
        let mut bound: Vec<Option<hir::Expr>> = Vec::with_capacity(fields.len());
        for a in args {
            bound.push(Some(self.expr(a)?));
        }
        bound.resize_with(fields.len(), || None);
        for kw in keywords {
            let Some(i) = fields.iter().position(|f| *f == kw.name) else {
                return Err(wrong(format!("{short}.__new__() got an unexpected keyword argument '{}'", kw.name)));
            };
            if bound[i].is_some() {
                return Err(wrong(format!("{short}.__new__() got multiple values for argument '{}'", kw.name)));
            }
            bound[i] = Some(self.expr(&kw.value)?);
        }
        // A field left out takes its default (`namedtuple(..., defaults=...)`, a
        // `typing.NamedTuple` field with a value), frozen as a global of that value is.
        for (i, b) in bound.iter_mut().enumerate() {
            if let (None, Some(Some(d))) = (&b, defaults.get(i)) {
                let H::Tuple(mut one) = self.frozen_tuple(&fields[i], std::slice::from_ref(d), span)?.kind else {
                    unreachable!("a tuple")
                };
                *b = one.pop();
            }
        }
        let missing: Vec<String> =
            fields.iter().zip(&bound).filter(|(_, b)| b.is_none()).map(|(f, _)| format!("'{f}'")).collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            return Err(wrong(format!(
                "{short}.__new__() missing {} required positional argument{s}: {}",
                missing.len(),
                join_and(&missing)
            )));
        }
        Ok(H::Intrinsic { f: Intrinsic::NamedTuple(k), args: bound.into_iter().map(|b| b.expect("every field bound")).collect() })
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`: CPython's list of missing arguments.
fn join_and(items: &[String]) -> String {
    match items {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        [] => String::new(),
    }
}
