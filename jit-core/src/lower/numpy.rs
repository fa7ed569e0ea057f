//! Lowering of NumPy: the array constructors (`np.zeros`, ..., `a.copy()`), their `dtype=`,
//! and the reductions called as array methods (`a.sum()`).

use super::{GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};

/// The NumPy functions that make a new array.
pub(super) const NEW_ARRAY: [&str; 9] =
    ["zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "arange"];

impl Lowerer<'_> {
    /// `value.copy()` on a value that is not a module.
    pub(super) fn copy_method<'e>(&self, func: &'e ast::Expr) -> Option<&'e ast::Expr> {
        let A::Attribute { value, attr } = &func.kind else { return None };
        if let A::Name(m) = &value.kind {
            if !self.by_name.contains_key(m) {
                return None;
            }
        }
        (attr == "copy").then_some(&**value)
    }

    /// `np.zeros(shape, dtype=...)` and the other array constructors.
    pub(super) fn new_array(
        &mut self,
        name: &str,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<hir::NewArray> {
        let mut dtype = None;
        for k in keywords {
            if k.name != "dtype" {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a NumPy function",
                    format!("'{}=' is not compiled for np.{name} (only dtype=)", k.name),
                    k.span,
                ));
            }
            dtype = Some(self.dtype_of(&k.value)?);
        }
        let wrong = |want: &str| {
            CompileError::typing(
                "call with wrong arguments",
                format!("np.{name}() takes {want} here, {} given", args.len()),
                span,
            )
        };
        let e = |l: &mut Self, i: usize| l.expr(&args[i]).map(Box::new);
        Ok(match name {
            "zeros" | "ones" | "empty" if args.len() == 1 => {
                let fill = match name {
                    "zeros" => hir::Fill::Zero,
                    "ones" => hir::Fill::One,
                    _ => hir::Fill::Uninit,
                };
                hir::NewArray::Filled { shape: e(self, 0)?, fill, dtype }
            }
            "full" if args.len() == 2 => hir::NewArray::Filled { shape: e(self, 0)?, fill: hir::Fill::Value(e(self, 1)?), dtype },
            "zeros_like" | "ones_like" | "empty_like" if args.len() == 1 => {
                let fill = match name {
                    "zeros_like" => hir::Fill::Zero,
                    "ones_like" => hir::Fill::One,
                    _ => hir::Fill::Uninit,
                };
                hir::NewArray::Like { array: e(self, 0)?, fill, dtype }
            }
            "full_like" if args.len() == 2 => {
                hir::NewArray::Like { array: e(self, 0)?, fill: hir::Fill::Value(e(self, 1)?), dtype }
            }
            "arange" if (1..=3).contains(&args.len()) => {
                let (start, stop, step) = match args.len() {
                    1 => (Box::new(self.mk(H::Int(0), span)), e(self, 0)?, Box::new(self.mk(H::Int(1), span))),
                    2 => (e(self, 0)?, e(self, 1)?, Box::new(self.mk(H::Int(1), span))),
                    _ => (e(self, 0)?, e(self, 1)?, e(self, 2)?),
                };
                hir::NewArray::Arange { start, stop, step, dtype }
            }
            "zeros" | "ones" | "empty" | "zeros_like" | "ones_like" | "empty_like" => return Err(wrong("one argument")),
            "full" | "full_like" => return Err(wrong("two arguments")),
            _ => return Err(wrong("one to three arguments")),
        })
    }

    /// The dtype a `dtype=` names: a NumPy scalar type (`np.float32`), or `float`, `int`, `bool`.
    fn dtype_of(&self, e: &ast::Expr) -> Result<crate::types::Dtype> {
        use crate::types::Dtype;
        let v = match &e.kind {
            A::Name(n) if !self.by_name.contains_key(n) => self.global(n).clone(),
            A::Attribute { value, attr } => match &value.kind {
                A::Name(m) => self.dotted(m, attr).cloned().unwrap_or(GlobalValue::Undefined),
                _ => GlobalValue::Undefined,
            },
            _ => GlobalValue::Undefined,
        };
        let d = match &v {
            GlobalValue::NumpyDtype(n) => Dtype::from_name(if n == "bool_" { "bool" } else { n }),
            GlobalValue::Builtin(b) if b == "float" => Some(Dtype::Float64),
            GlobalValue::Builtin(b) if b == "int" => Some(Dtype::Int64),
            GlobalValue::Builtin(b) if b == "bool" => Some(Dtype::Bool),
            _ => None,
        };
        d.ok_or_else(|| {
            CompileError::unsupported_because(
                "dtype",
                "dtype= must name a NumPy scalar type (np.float64, np.float32, np.int64, np.int32, np.bool_, ...) or float, int, bool",
                e.span,
            )
        })
    }

    /// `value.sum()` and the other reductions, called on a value that is not a module.
    pub(super) fn array_method<'e>(&self, func: &'e ast::Expr) -> Option<(&'e ast::Expr, hir::Reduction)> {
        let A::Attribute { value, attr } = &func.kind else { return None };
        if let A::Name(m) = &value.kind {
            if !self.by_name.contains_key(m) {
                return None; // a global: a module's function, resolved as a callee
            }
        }
        hir::Reduction::from_name(attr).filter(|_| attr != "amin" && attr != "amax").map(|r| (&**value, r))
    }
}
