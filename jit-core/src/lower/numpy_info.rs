//! `np.iinfo(dtype).max`, `np.finfo(dtype).eps` and their other fields: constants of the dtype,
//! known when compiling (the dtype a NumPy scalar type or `int`/`float`).

use super::{GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::registry;
use crate::types::Dtype;

impl Lowerer<'_> {
    /// `np.iinfo` or `np.finfo` when `func` names one of them.
    pub(super) fn numpy_info(&self, func: &ast::Expr) -> Option<&'static str> {
        match self.named_global(func)? {
            GlobalValue::NumpyFunction(f) if f == "iinfo" => Some("iinfo"),
            GlobalValue::NumpyFunction(f) if f == "finfo" => Some("finfo"),
            _ => None,
        }
    }

    /// `np.iinfo(dtype).attr` / `np.finfo(dtype).attr` (`which`) as a constant of its type.
    pub(super) fn numpy_info_field(&mut self, which: &str, args: &[ast::Expr], attr: &str, span: Span) -> Result<hir::Expr> {
        let dtype = match args {
            [a] => self.dtype_named(a),
            _ => None,
        };
        let Some(d) = dtype else {
            return Err(CompileError::unsupported_because(
                "np.iinfo/np.finfo",
                format!("np.{which}() is compiled of a NumPy scalar type (np.int32, np.float64, ...), int or float"),
                span,
            ));
        };
        let value = if which == "iinfo" { iinfo(d, attr) } else { finfo(d, attr) };
        let Some((kind, float32)) = value else {
            return Err(CompileError::unsupported_because(
                "np.iinfo/np.finfo",
                format!(
                    "np.{which}({}).{attr} is not compiled (compiled: {})",
                    d.name(),
                    if which == "iinfo" {
                        "min, max, bits"
                    } else {
                        "eps, epsneg, max, min, tiny, smallest_normal, resolution, bits, precision"
                    }
                ),
                span,
            ));
        };
        let e = self.mk(kind, span);
        if float32 {
            // np.finfo(np.float32).eps is a float32.
            return Ok(self.mk(H::Intrinsic { f: hir::Intrinsic::DtypeCast(Dtype::Float32), args: vec![e] }, span));
        }
        Ok(e)
    }

    /// What the global `name` or `module.attr` that `e` is binds (not a local).
    fn named_global(&self, e: &ast::Expr) -> Option<&GlobalValue> {
        match &e.kind {
            A::Name(n) if !self.by_name.contains_key(n) => Some(self.global(n)),
            A::Attribute { value, attr } => match &value.kind {
                A::Name(m) => self.dotted(m, attr),
                _ => None,
            },
            _ => None,
        }
    }

    /// The dtype `e` names: a NumPy scalar type (`np.int32`, `from numpy import float32`) or the
    /// builtin `int`, `float` or `bool`.
    fn dtype_named(&self, e: &ast::Expr) -> Option<Dtype> {
        match self.named_global(e)? {
            GlobalValue::NumpyDtype(t) => Dtype::from_numpy_attr(t),
            GlobalValue::Builtin(b) => registry::builtin(b).and_then(|r| r.dtype),
            _ => None,
        }
    }
}

/// `np.iinfo(d).attr`: the HIR constant (never float32).
fn iinfo(d: Dtype, attr: &str) -> Option<(H, bool)> {
    let bits = (d.size() * 8) as u32;
    let signed = d.is_signed();
    if !matches!(d.row().kind, b'i' | b'u') {
        return None;
    }
    Some((
        match attr {
            "bits" => H::Int(bits as i64),
            "min" if signed => H::Int(if bits == 64 { i64::MIN } else { -(1i64 << (bits - 1)) }),
            "min" => H::Int(0),
            "max" if signed => H::Int(if bits == 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 }),
            "max" if bits == 64 => H::UInt(u64::MAX),
            "max" => H::Int((1i64 << bits) - 1),
            _ => return None,
        },
        false,
    ))
}

/// `np.finfo(d).attr`: the HIR constant and whether it is a float32.
fn finfo(d: Dtype, attr: &str) -> Option<(H, bool)> {
    let single = match d {
        Dtype::Float32 => true,
        Dtype::Float64 => false,
        _ => return None,
    };
    let (eps, max, tiny, bits, precision) = if single {
        (f32::EPSILON as f64, f32::MAX as f64, f32::MIN_POSITIVE as f64, 32, 6)
    } else {
        (f64::EPSILON, f64::MAX, f64::MIN_POSITIVE, 64, 15)
    };
    Some((
        match attr {
            "eps" => H::Float(eps),
            "epsneg" => H::Float(eps / 2.0),
            "max" => H::Float(max),
            "min" => H::Float(-max),
            "tiny" | "smallest_normal" => H::Float(tiny),
            "resolution" => H::Float(if single { 1e-6_f32 as f64 } else { 1e-15 }),
            "bits" => return Some((H::Int(bits), false)),
            "precision" => return Some((H::Int(precision), false)),
            _ => return None,
        },
        single,
    ))
}
