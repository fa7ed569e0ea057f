//! Typing of namedtuples: a new one (`Class(a, b)`, `Class(*t)`), and reading a field
//! (`p.beta`), which `TypedFunction::fields` records for codegen.

use std::sync::Arc;

use super::{type_name, InferCx};
use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir;
use crate::types::{Items, Type};

impl InferCx<'_> {
    /// `Class(args)` of namedtuple class `k` of the function: a namedtuple of the arguments'
    /// types (`*t` gives `t`'s items).
    pub(super) fn new_named_tuple(&mut self, k: u32, args: &[hir::Expr], span: Span) -> Result<Type> {
        let names = Arc::clone(&self.hir_fn().named[k as usize]);
        let mut tys = Vec::with_capacity(args.len());
        for a in args {
            match (&a.kind, self.expr(a)?) {
                (hir::ExprKind::Unpack(_), Type::Tuple(items)) => tys.extend(items),
                (_, Type::Unknown) | (hir::ExprKind::Unpack(_), _) => return Ok(Type::Unknown),
                (_, t) => tys.push(t),
            }
        }
        if tys.len() != names.fields.len() {
            let short = names.class.rsplit('.').next().unwrap_or(&names.class);
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!(
                    "{short}() takes {} arguments (its fields {}) but {} were given",
                    names.fields.len(),
                    names.fields.join(", "),
                    tys.len()
                ),
                span,
            ));
        }
        Ok(Type::Tuple(Items::named(tys, names)))
    }

    /// `value.name` read as a field: the field's type when `value` is a namedtuple that has
    /// one (recorded for codegen); `None` when `value` is no namedtuple (an array's or a
    /// range's attribute then); an error when it is one without that field.
    pub(super) fn field_of(&mut self, e: &hir::Expr, value: &hir::Expr, name: &str) -> Result<Option<Type>> {
        let Type::Tuple(items) = self.expr(value)? else { return Ok(None) };
        let Some(names) = items.names() else { return Ok(None) };
        match items.field(name) {
            Some(k) => {
                self.specs[self.current].fields.insert(e.id, k as u32);
                Ok(Some(items[k].clone()))
            }
            None => Err(CompileError::typing(
                "attribute access",
                format!("namedtuple '{}' has no field '{name}'; its fields: {}", names.class, names.fields.join(", ")),
                e.span,
            )),
        }
    }

    /// `value.name` of an attribute no array has: a namedtuple's field.
    pub(super) fn field(&mut self, e: &hir::Expr, value: &hir::Expr, name: &str) -> Result<Type> {
        if let Some(t) = self.field_of(e, value, name)? {
            return Ok(t);
        }
        match self.expr(value)? {
            Type::Unknown => Ok(Type::Unknown),
            t => Err(CompileError::unsupported_because(
                "attribute access",
                format!(
                    "'.{name}' of {}: compiled code reads the fields of namedtuples and the attributes of arrays ({})",
                    type_name(&t),
                    crate::registry::array_attributes_text()
                ),
                e.span,
            )),
        }
    }
}
