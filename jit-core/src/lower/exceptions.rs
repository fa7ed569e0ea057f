//! Lowering of `try`/`except`/`else`/`finally`: the classes each clause catches, by name, as
//! bits over the builtin exception classes compiled code raises.

use super::{Lowerer, Result};
use crate::ast::{self, Span};
use crate::error::CompileError;
use crate::hir;
use crate::registry::exceptions;

impl Lowerer<'_> {
    /// `try: body except ...: ... else: orelse finally: finalbody`.
    pub(super) fn try_stmt(
        &mut self,
        body: &[ast::Stmt],
        handlers: &[ast::Handler],
        orelse: &[ast::Stmt],
        finalbody: &[ast::Stmt],
    ) -> Result<hir::StmtKind> {
        let body = self.block(body)?;
        let mut out = Vec::with_capacity(handlers.len());
        for h in handlers {
            let mask = match &h.classes {
                None => u64::MAX,
                Some(names) => {
                    let mut mask = 0;
                    for n in names {
                        mask |= self.exception_class(n, h.span)?;
                    }
                    mask
                }
            };
            // `as e` with `e` used: a local holding `str(e)`, which the clause may only print,
            // format, convert with `str()` or raise again (`caught_uses`).
            let mut prefix = Vec::new();
            let mut caught = None;
            if let Some(name) = &h.name {
                let used = super::names::global_names(self.units[self.unit as usize].0).iter().any(|g| g == name);
                if used && !self.by_name.contains_key(name) {
                    let id = self.local(name, h.span);
                    let text = self.mk(hir::ExprKind::Intrinsic { f: hir::Intrinsic::CaughtText, args: Vec::new() }, h.span);
                    let kind = hir::StmtKind::Assign { targets: vec![hir::Target::Local(id, h.span)], value: text };
                    prefix.push(hir::Stmt { kind, span: h.span });
                    caught = Some((name.clone(), id));
                } else if used {
                    return Err(CompileError::unsupported_because(
                        "use of an exception object",
                        format!("'as {name}' names a variable the function also uses otherwise; name the exception apart"),
                        h.span,
                    ));
                }
            }
            self.handlers += 1;
            // `raise name` raises it again (also when `name` is not otherwise used).
            if let Some(name) = &h.name {
                self.caught.push(name.clone());
            }
            let hbody = self.block(&h.body);
            self.handlers -= 1;
            if h.name.is_some() {
                self.caught.pop();
            }
            if let Some((name, id)) = caught {
                // As CPython deletes it, the name means nothing after the clause.
                self.by_name.remove(&name);
                let hbody = hbody?;
                caught_uses(&hbody, id, &name)?;
                prefix.extend(hbody);
                out.push(hir::Handler { mask, body: prefix, span: h.span });
                continue;
            }
            out.push(hir::Handler { mask, body: hbody?, span: h.span });
        }
        Ok(hir::StmtKind::Try { body, handlers: out, orelse: self.block(orelse)?, finalbody: self.block(finalbody)? })
    }

    /// The bits of the builtin exception class `name` an `except` clause names.
    fn exception_class(&self, name: &str, span: Span) -> Result<u64> {
        let builtin = !self.by_name.contains_key(name)
            && matches!(
                self.global(name),
                super::GlobalValue::Undefined | super::GlobalValue::Unsupported { .. } | super::GlobalValue::Builtin(_)
            );
        match exceptions::class_bit(name).filter(|_| builtin) {
            Some(bit) => Ok(bit),
            None => Err(CompileError::unsupported_because(
                "except clause",
                format!(
                    "'{name}' is not a builtin exception class compiled code raises; it catches {}",
                    exceptions::raisable_text()
                ),
                span,
            )),
        }
    }
}

/// Checks that the exception bound to `id` (`except ... as name`) is used only as `str(e)`
/// gives it: printed, in an f-string without a spec, converted with `str()` (or raised again,
/// which lowering made a bare `raise`); any other use is a `CompileError`, since `e` holds the
/// exception's text, not the exception.
fn caught_uses(stmts: &[hir::Stmt], id: hir::LocalId, name: &str) -> Result<()> {
    use hir::ExprKind as H;
    fn expr(e: &hir::Expr, id: hir::LocalId, name: &str) -> Result<()> {
        match &e.kind {
            H::Local { id: l, .. } if *l == id => Err(CompileError::unsupported_because(
                "use of an exception object",
                format!("'{name}' (the exception caught) is compiled only as str({name}), print({name}), f'{{{name}}}' and 'raise {name}'"),
                e.span,
            )),
            H::Intrinsic { f: hir::Intrinsic::Str, args } if matches!(args.as_slice(), [a] if matches!(a.kind, H::Local { id: l, .. } if l == id)) => Ok(()),
            H::FString { values, formats, .. } => {
                for (v, (conversion, spec)) in values.iter().zip(formats) {
                    let plain = matches!(v.kind, H::Local { id: l, .. } if l == id) && matches!(conversion, 0 | b's') && spec.is_empty();
                    if !plain {
                        expr(v, id, name)?;
                    }
                }
                Ok(())
            }
            _ => e.kind.children().into_iter().try_for_each(|c| expr(c, id, name)),
        }
    }
    let target = |t: &hir::Target| -> Result<()> {
        match t {
            hir::Target::Local(l, span) if *l == id => Err(CompileError::unsupported_because(
                "use of an exception object",
                format!("'{name}' (the exception caught) is not assigned in its except clause here"),
                *span,
            )),
            _ => Ok(()),
        }
    };
    for s in stmts {
        use hir::StmtKind as S;
        match &s.kind {
            S::Assign { targets, value } => {
                targets.iter().try_for_each(target)?;
                for t in targets {
                    if let hir::Target::Index { array, index, .. } = t {
                        expr(array, id, name)?;
                        expr(index, id, name)?;
                    }
                }
                expr(value, id, name)?;
            }
            S::AugAssign { target: t, value, .. } => {
                target(&hir::Target::Local(*t, s.span))?;
                expr(value, id, name)?;
            }
            S::AugAssignIndex { array, index, value, .. } => {
                expr(array, id, name)?;
                expr(index, id, name)?;
                expr(value, id, name)?;
            }
            S::Expr(e) | S::Return(Some(e)) => expr(e, id, name)?,
            S::If { test, .. } | S::While { test, .. } => expr(test, id, name)?,
            S::ForRange { start, stop, step, .. } => {
                expr(start, id, name)?;
                expr(stop, id, name)?;
                expr(step, id, name)?;
            }
            S::Print { items, .. } => {
                for it in items {
                    if let hir::PrintItem::Value(v) = it {
                        if !matches!(v.kind, H::Local { id: l, .. } if l == id) {
                            expr(v, id, name)?;
                        }
                    }
                }
            }
            _ => {}
        }
        for block in s.kind.blocks() {
            caught_uses(block, id, name)?;
        }
    }
    Ok(())
}

impl Lowerer<'_> {
    /// `raise Class(message)` of a message computed at run time: recorded, then raised. A user's
    /// class has its name mark the message (`runtime::USER_CLASS_MARK`).
    pub(super) fn raise_dynamic(&mut self, class: &str, message: &ast::Expr, span: Span) -> Result<Vec<hir::Stmt>> {
        let user = self.user_exception(class);
        let hir::StmtKind::Raise { class, .. } = self.raise(class, &None, span)? else { unreachable!("raise lowers to a raise") };
        let marked;
        let message = match user {
            Some((qualname, _)) => {
                let mark = crate::runtime::USER_CLASS_MARK;
                let prefix = ast::Expr { kind: ast::ExprKind::Str(format!("{mark}{qualname}{mark}")), span: message.span };
                let kind =
                    ast::ExprKind::Binary { left: Box::new(prefix), op: ast::BinOp::Add, right: Box::new(message.clone()) };
                marked = ast::Expr { kind, span: message.span };
                &marked
            }
            None => message,
        };
        self.raise_computed(class, message, span)
    }
}
