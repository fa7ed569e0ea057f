//! Typing of namedtuples: a new one (`Class(a, b)`, `Class(*t)`), and reading a field
//! (`p.beta`), which `TypedFunction::fields` records for codegen; and of jitclass records
//! (a namedtuple of a jitclass instance's fields, `TupleNames::jitclass`), whose methods read as
//! bound methods (`m.f`: a closure of `f` holding the record, [`BOUND_METHOD`]).

use std::sync::Arc;

use super::{type_name, InferCx};
use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir;
use crate::types::{Items, RecordKind, Type};

/// The [`super::TypedFunction::fields`] entry of `m.f` where `f` is a method of the jitclass
/// record `m`: the value is a closure of the method holding `m` (its `self`).
pub const BOUND_METHOD: u32 = u32::MAX;

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
        let vt = self.expr(value)?;
        let Type::Tuple(items) = &vt else { return Ok(None) };
        let Some(names) = items.names() else { return Ok(None) };
        if let Some(k) = items.field(name) {
            self.specs[self.current].fields.insert(e.id, k as u32);
            return Ok(Some(items[k].clone()));
        }
        if let Some(&(_, unit)) = names.methods.iter().find(|(m, _)| m == name) {
            self.specs[self.current].fields.insert(e.id, BOUND_METHOD);
            return Ok(Some(Type::Closure(unit, vec![vt.clone()].into())));
        }
        let (what, methods) = match names.kind {
            RecordKind::JitClass => {
                let m: Vec<&str> = names.methods.iter().map(|(m, _)| m.as_str()).collect();
                ("jitclass", format!("; its methods: {}", if m.is_empty() { "none".to_string() } else { m.join(", ") }))
            }
            RecordKind::Enum => {
                return Err(CompileError::typing(
                    "attribute access",
                    format!("of a member of the Enum '{}', compiled code reads '.value' only, not '.{name}'", names.class),
                    e.span,
                ))
            }
            RecordKind::NamedTuple => ("namedtuple", String::new()),
        };
        Err(CompileError::typing(
            "attribute access",
            format!("{what} '{}' has no field '{name}'; its fields: {}{methods}", names.class, names.fields.join(", ")),
            e.span,
        ))
    }

    /// `x.name(args)` lowered both ways (`hir::ExprKind::MethodOr`): as the jitclass method (or
    /// the function in a namedtuple's field) when `x` is a record or namedtuple, else as the
    /// list, dict, string, array or Generator method.
    pub(super) fn method_or(&mut self, e: &hir::Expr, value: &hir::Expr, record: &hir::Expr) -> Result<Type> {
        let hir::ExprKind::CallValue { callee, .. } = &record.kind else { unreachable!("a call through a value") };
        let receiver = callee.kind.children()[0];
        match self.expr(receiver)? {
            Type::Unknown => Ok(Type::Unknown),
            Type::Tuple(items) if items.names().is_some() => {
                self.specs[self.current].record_calls.insert(e.id);
                self.expr(record)
            }
            _ => {
                self.specs[self.current].record_calls.remove(&e.id);
                self.expr(value)
            }
        }
    }

    /// `value.name` of an attribute no array has: a namedtuple's field.
    pub(super) fn field(&mut self, e: &hir::Expr, value: &hir::Expr, name: &str) -> Result<Type> {
        if let Some(t) = self.field_of(e, value, name)? {
            return Ok(t);
        }
        match self.expr(value)? {
            Type::Unknown => Ok(Type::Unknown),
            Type::Generator => Err(CompileError::unsupported_because(
                "Generator method",
                format!(
                    "'Generator.{name}' is not compiled yet; compiled Generator methods: {}",
                    crate::registry::generator::generator_methods_text()
                ),
                e.span,
            )),
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

/// `what` of a jitclass instance or an Enum member, which is no tuple to Python code
/// (CPython's `TypeError`).
pub(super) fn not_a_tuple(what: &str, t: &Type, span: Span) -> CompileError {
    let names = match t {
        Type::Tuple(items) => items.names(),
        _ => None,
    };
    let class = names.map_or("?", |n| n.class.rsplit('.').next().unwrap_or(&n.class)).to_string();
    if names.is_some_and(|n| n.kind == RecordKind::Enum) {
        return CompileError::typing(what, format!("a member of the Enum '{class}' is not a tuple: read its '.value'"), span);
    }
    CompileError::typing(what, format!("a {class} instance (a jitclass) is not a tuple: read its fields by name"), span)
}

/// Whether a value of type `t` holds a jitclass record.
fn holds_record(t: &Type) -> bool {
    match t {
        Type::Tuple(items) => items.names().is_some_and(|n| n.is_jitclass()) || items.iter().any(holds_record),
        Type::List(t) | Type::Set(t) | Type::Optional(t) => holds_record(t),
        Type::Dict(k, v) => holds_record(k) || holds_record(v),
        _ => false,
    }
}

/// The entry `f` returns `ret` to Python: a jitclass instance is not handed back (compiled code
/// holds a copy of its fields, not the instance).
pub(super) fn check_returned(f: &hir::Function, ret: &Type) -> Result<()> {
    if !holds_record(ret) {
        return Ok(());
    }
    Err(CompileError::unsupported_because(
        "return of a jitclass instance",
        format!("'{}' returns {ret}; compiled code reads a jitclass instance's fields but does not hand the instance back: return what it computes from them", f.name),
        f.span,
    ))
}
