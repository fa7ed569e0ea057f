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
        if !finalbody.is_empty() {
            for part in std::iter::once(body).chain(handlers.iter().map(|h| h.body.as_slice())).chain(std::iter::once(orelse)) {
                if let Some((what, span)) = leaves(part, false) {
                    return Err(CompileError::unsupported_because(
                        format!("{what} in a try statement with finally"),
                        "leave the try statement by falling off its end (set a flag, and act on it after the statement)",
                        span,
                    ));
                }
            }
        }
        let body = self.block(body)?;
        let mut out = Vec::with_capacity(handlers.len());
        for h in handlers {
            let mask = match &h.classes {
                None => u32::MAX,
                Some(names) => {
                    let mut mask = 0;
                    for n in names {
                        mask |= self.exception_class(n, h.span)?;
                    }
                    mask
                }
            };
            if let Some(name) = &h.name {
                // The exception object itself is not a value compiled code holds.
                if super::names::global_names(self.units[self.unit as usize].0).iter().any(|g| g == name) {
                    return Err(CompileError::unsupported_because(
                        "use of an exception object",
                        format!("'{name}' (the exception caught) is not compiled as a value; re-raise it with a bare 'raise', or leave out 'as {name}'"),
                        h.span,
                    ));
                }
            }
            self.handlers += 1;
            let hbody = self.block(&h.body);
            self.handlers -= 1;
            out.push(hir::Handler { mask, body: hbody?, span: h.span });
        }
        Ok(hir::StmtKind::Try { body, handlers: out, orelse: self.block(orelse)?, finalbody: self.block(finalbody)? })
    }

    /// The bits of the builtin exception class `name` an `except` clause names.
    fn exception_class(&self, name: &str, span: Span) -> Result<u32> {
        let builtin = !self.by_name.contains_key(name)
            && matches!(self.global(name), super::GlobalValue::Undefined | super::GlobalValue::Unsupported { .. });
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

/// The first `return`, or `break`/`continue` leaving `stmts` (`in_loop`: inside a loop of them,
/// where they stay), with its span.
fn leaves(stmts: &[ast::Stmt], in_loop: bool) -> Option<(&'static str, Span)> {
    use ast::StmtKind as S;
    stmts.iter().find_map(|s| match &s.kind {
        S::Return(_) => Some(("return", s.span)),
        S::Break if !in_loop => Some(("break", s.span)),
        S::Continue if !in_loop => Some(("continue", s.span)),
        S::If { body, orelse, .. } => leaves(body, in_loop).or_else(|| leaves(orelse, in_loop)),
        S::While { body, orelse, .. } | S::For { body, orelse, .. } => leaves(body, true).or_else(|| leaves(orelse, in_loop)),
        S::Try { body, handlers, orelse, finalbody } => leaves(body, in_loop)
            .or_else(|| handlers.iter().find_map(|h| leaves(&h.body, in_loop)))
            .or_else(|| leaves(orelse, in_loop))
            .or_else(|| leaves(finalbody, in_loop)),
        _ => None,
    })
}
