//! Typing of `range` objects used as values: `range(a, b, c)` of integers, `len(r)`, `r[i]`,
//! `x in r`, `r.start`/`r.stop`/`r.step`, and the rule that a range stays inside compiled code.

use super::*;

impl InferCx<'_> {
    /// `range(start, stop, step)` ([`hir::Intrinsic::Range`]) and its fields.
    pub(super) fn range_intrinsic(&mut self, f: hir::Intrinsic, args: &[hir::Expr]) -> Result<Type> {
        if let hir::Intrinsic::RangeField(k) = f {
            return match self.expr(&args[0])? {
                Type::Range => Ok(Type::Int64),
                Type::Unknown => Ok(Type::Unknown),
                t => Err(CompileError::typing(
                    "attribute access",
                    format!("{} has no attribute '{}'", type_name(&t), ["start", "stop", "step"][k as usize]),
                    args[0].span,
                )),
            };
        }
        for a in args {
            let t = self.expr(a)?;
            if !t.is_integer_or_unknown() {
                return Err(CompileError::typing(
                    "range() argument",
                    format!("'{}' object cannot be interpreted as an integer", python_type_name(&t)),
                    a.span,
                ));
            }
        }
        Ok(Type::Range)
    }

    /// `r[i]`: an int (a slice of a range is not compiled).
    pub(super) fn range_subscript(&mut self, index: &hir::Expr) -> Result<Type> {
        if let H::Slice { .. } = index.kind {
            return Err(CompileError::unsupported_because(
                "slice of a range",
                "a range is indexed by an int here; slicing one (a new range) is not compiled",
                index.span,
            ));
        }
        let it = self.expr(index)?;
        if !it.is_integer_or_unknown() {
            return Err(CompileError::typing(
                "range index",
                format!("range indices must be integers or slices, not {}", python_type_name(&it)),
                index.span,
            ));
        }
        Ok(Type::Int64)
    }

    /// `x in r` of an integer `x` (a float is not compared with a range's items here).
    pub(super) fn range_contains(&mut self, xt: &Type, span: Span) -> Result<Type> {
        if !xt.is_integer_or_unknown() {
            return Err(CompileError::unsupported_because(
                "'in' comparison",
                format!("'in' of a range is compiled for an int, not {}", type_name(xt)),
                span,
            ));
        }
        Ok(Type::Bool)
    }
}

/// Python's name for the class of a value of type `t` (CPython's messages name it).
pub(super) fn python_type_name(t: &Type) -> String {
    match t {
        Type::Float64 | Type::Float32 => "float".into(),
        Type::Complex128 | Type::Complex64 => "complex".into(),
        Type::Tuple(_) => "tuple".into(),
        Type::List(_) => "list".into(),
        Type::Dict(..) => "dict".into(),
        Type::Set(_) => "set".into(),
        Type::Array(_) => "numpy.ndarray".into(),
        Type::None => "NoneType".into(),
        Type::Int64 | Type::UInt64 => "int".into(),
        Type::Bool => "bool".into(),
        Type::Iter(_) => "iterator".into(),
        t => t.to_string(),
    }
}

/// Whether a value of type `t` holds a range anywhere.
fn holds_range(t: &Type) -> bool {
    match t {
        Type::Range => true,
        Type::Tuple(ts) | Type::Closure(_, ts) => ts.iter().any(holds_range),
        Type::List(t) | Type::Set(t) | Type::Optional(t) => holds_range(t),
        Type::Dict(k, v) => holds_range(k) || holds_range(v),
        _ => false,
    }
}

/// The entry does not hand a range back to Python.
pub(super) fn check_returned(f: &hir::Function, ret: &Type) -> Result<()> {
    if !holds_range(ret) {
        return Ok(());
    }
    Err(CompileError::unsupported_because(
        "return of a range",
        format!(
            "'{}' returns {ret}; compiled code does not hand a range object back to Python: return list(r), or its start, stop and step",
            f.name
        ),
        f.span,
    ))
}
