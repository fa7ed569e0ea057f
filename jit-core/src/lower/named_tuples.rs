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
    /// `x.name(args)` where `name` is a jitclass method's name (`Env::record_methods`) and the
    /// call would otherwise be a list, dict, string, array or Generator method: both, as a
    /// `MethodOr` inference resolves by `x`'s type. `None` for any other call.
    pub(super) fn record_method_call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        if self.record_form {
            // This call is the one being lowered the first way (the calls inside its arguments
            // are not: the flag is for it alone).
            self.record_form = false;
            return Ok(None);
        }
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        if !self.env.record_methods.contains(attr) || !keywords.is_empty() || !self.rooted_in_local(value) {
            return Ok(None);
        }
        // Arguments holding what is hoisted before the statement (a comprehension, `list(x)`)
        // are lowered once: the call is only the list, dict, ... method's.
        let mut hoisted = Vec::new();
        args.iter().for_each(|a| super::comprehensions::find(a, &mut hoisted));
        if !hoisted.is_empty() {
            return Ok(None);
        }
        self.record_form = true;
        let first = self.call(func, args, keywords, span);
        self.record_form = false;
        let callee = self.attribute(value, attr, func.span)?;
        let record = H::CallValue { callee: Box::new(callee), args: self.value_call_args(args)? };
        Ok(Some(match first {
            // Not taken as another method: the call through the value already.
            Ok(f) if matches!(f.kind, H::CallValue { .. }) => f.kind,
            Ok(f) => H::MethodOr { value: Box::new(f), record: Box::new(self.mk(record, span)) },
            // No list, dict, ... method takes these arguments: only the jitclass's can.
            Err(_) => record,
        }))
    }

    /// Whether `e` is a local or reached from one (`m.inner`, `ms[0]`, a call's result).
    fn rooted_in_local(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            // (Not the compiler's own locals, `$lc0`: a comprehension's list.)
            A::Name(n) => self.by_name.contains_key(n) && !n.starts_with('$'),
            A::Attribute { value, .. } | A::Subscript { value, .. } => self.rooted_in_local(value),
            A::Call { .. } => true,
            _ => false,
        }
    }

    /// The index of namedtuple class `names` in the function's list ([`hir::Function::named`]).
    pub(super) fn named_class(&mut self, names: Arc<TupleNames>) -> u32 {
        super::index_in(&mut self.named, names)
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
