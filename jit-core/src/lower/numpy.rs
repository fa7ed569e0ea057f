//! Lowering of NumPy: the array constructors (`np.zeros`, ..., `a.copy()`), their `dtype=`,
//! and the reductions called as array methods (`a.sum()`).

use super::{GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::registry::{self, ArrayMethod, NewFn};

impl Lowerer<'_> {
    /// `value.copy()` on a value that is not a module.
    pub(super) fn copy_method<'e>(&self, func: &'e ast::Expr) -> Option<&'e ast::Expr> {
        let A::Attribute { value, attr } = &func.kind else { return None };
        if let A::Name(m) = &value.kind {
            if !self.by_name.contains_key(m) {
                return None;
            }
        }
        (registry::array_method(attr) == Some(ArrayMethod::Copy)).then_some(&**value)
    }

    /// `np.zeros(shape, dtype=...)` and the other array constructors.
    pub(super) fn new_array(
        &mut self,
        f: NewFn,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<hir::NewArray> {
        let name = f.name();
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
        if !f.arity().accepts(args.len()) {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("np.{name}() takes {} here, {} given", f.arity().text, args.len()),
                span,
            ));
        }
        // The dtype given by position: after the shape (or array), the fill value, arange's step.
        let dtype_at = match f {
            NewFn::Zeros | NewFn::Ones | NewFn::Empty | NewFn::ZerosLike | NewFn::OnesLike | NewFn::EmptyLike => 1,
            NewFn::Full | NewFn::FullLike => 2,
            NewFn::Arange => 3,
        };
        let args = if args.len() > dtype_at {
            if dtype.is_some() {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("np.{name}() got multiple values for argument 'dtype'"),
                    span,
                ));
            }
            dtype = Some(self.dtype_of(&args[dtype_at])?);
            &args[..dtype_at]
        } else {
            args
        };
        let e = |l: &mut Self, i: usize| l.expr(&args[i]).map(Box::new);
        Ok(match f {
            NewFn::Zeros => hir::NewArray::Filled { shape: e(self, 0)?, fill: hir::Fill::Zero, dtype },
            NewFn::Ones => hir::NewArray::Filled { shape: e(self, 0)?, fill: hir::Fill::One, dtype },
            NewFn::Empty => hir::NewArray::Filled { shape: e(self, 0)?, fill: hir::Fill::Uninit, dtype },
            NewFn::Full => hir::NewArray::Filled { shape: e(self, 0)?, fill: hir::Fill::Value(e(self, 1)?), dtype },
            NewFn::ZerosLike => hir::NewArray::Like { array: e(self, 0)?, fill: hir::Fill::Zero, dtype },
            NewFn::OnesLike => hir::NewArray::Like { array: e(self, 0)?, fill: hir::Fill::One, dtype },
            NewFn::EmptyLike => hir::NewArray::Like { array: e(self, 0)?, fill: hir::Fill::Uninit, dtype },
            NewFn::FullLike => hir::NewArray::Like { array: e(self, 0)?, fill: hir::Fill::Value(e(self, 1)?), dtype },
            NewFn::Arange => {
                let (start, stop, step) = match args.len() {
                    1 => (Box::new(self.mk(H::Int(0), span)), e(self, 0)?, Box::new(self.mk(H::Int(1), span))),
                    2 => (e(self, 0)?, e(self, 1)?, Box::new(self.mk(H::Int(1), span))),
                    _ => (e(self, 0)?, e(self, 1)?, e(self, 2)?),
                };
                hir::NewArray::Arange { start, stop, step, dtype }
            }
        })
    }

    /// The dtype a `dtype` argument names: a NumPy scalar type (`np.float32`), `float`, `int`,
    /// `bool`, `np.dtype(...)` of one of these, or an array local's `.dtype`.
    fn dtype_of(&self, e: &ast::Expr) -> Result<hir::DtypeArg> {
        use crate::types::Dtype;
        match &e.kind {
            A::Attribute { value, attr } if attr == "dtype" => {
                if let A::Name(n) = &value.kind {
                    if let Some(&id) = self.by_name.get(n) {
                        return Ok(hir::DtypeArg::OfLocal(id));
                    }
                }
            }
            A::Call { func, args, keywords } if args.len() == 1 && keywords.is_empty() => {
                if let A::Attribute { value, attr } = &func.kind {
                    if let A::Name(m) = &value.kind {
                        if attr == "dtype" && matches!(self.global(m), GlobalValue::Module(x) if x == "numpy") {
                            return self.dtype_of(&args[0]);
                        }
                    }
                }
            }
            _ => {}
        }
        let v = match &e.kind {
            A::Name(n) if !self.by_name.contains_key(n) => self.global(n).clone(),
            A::Attribute { value, attr } => match &value.kind {
                A::Name(m) => self.dotted(m, attr).cloned().unwrap_or(GlobalValue::Undefined),
                _ => GlobalValue::Undefined,
            },
            _ => GlobalValue::Undefined,
        };
        let d = match &v {
            GlobalValue::NumpyDtype(n) => Dtype::from_numpy_attr(n),
            GlobalValue::Builtin(b) => registry::builtin(b).and_then(|row| row.dtype),
            _ => None,
        };
        d.map(hir::DtypeArg::Named).ok_or_else(|| {
            CompileError::unsupported_because(
                "dtype",
                "a dtype must name a NumPy scalar type (np.float64, np.float32, np.int64, np.int32, np.bool_, ...), float, int, bool, np.dtype(...) of one, or an array variable's .dtype (a string is not compiled yet)",
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
        match registry::array_method(attr)? {
            ArrayMethod::Reduce(r) => Some((&**value, r)),
            ArrayMethod::Copy => None,
        }
    }
}
