//! Lowering of `carray(ptr, shape[, dtype])` and `farray(...)` (Numba's): a `@cfunc`'s pointer
//! viewed as an array, its arguments bound as Numba's signature `(ptr, shape, dtype=None)` binds
//! them, the dtype a constant of the code.

use super::Lowerer;
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::types::Layout;

const PARAMS: [&str; 3] = ["ptr", "shape", "dtype"];

impl Lowerer<'_> {
    /// [`Intrinsic::PointerView`] of `layout` for the call `carray(args, keywords)`.
    pub(super) fn pointer_view(
        &mut self,
        layout: Layout,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        let name = if layout == Layout::F { "farray" } else { "carray" };
        let wrong = |why: String, span: Span| CompileError::typing("call with wrong arguments", format!("{name}() {why}"), span);
        if args.len() > PARAMS.len() {
            return Err(wrong(format!("takes at most 3 arguments (ptr, shape, dtype), {} given", args.len()), span));
        }
        let mut bound: [Option<&ast::Expr>; 3] = [None; 3];
        for (slot, a) in bound.iter_mut().zip(args) {
            *slot = Some(a);
        }
        for k in keywords {
            let Some(i) = PARAMS.iter().position(|p| *p == k.name) else {
                return Err(wrong(format!("got an unexpected keyword argument '{}'", k.name), k.span));
            };
            if bound[i].is_some() {
                return Err(wrong(format!("got multiple values for argument '{}'", k.name), k.span));
            }
            bound[i] = Some(&k.value);
        }
        let (Some(ptr), Some(shape)) = (bound[0], bound[1]) else {
            return Err(wrong("takes a pointer and a shape (an int or a tuple of ints)".to_string(), span));
        };
        let dtype = match bound[2] {
            None => None,
            Some(e) if matches!(e.kind, A::None) => None,
            Some(e) => match self.dtype_of(e)? {
                hir::DtypeArg::Named(d) => Some(d),
                _ => {
                    return Err(CompileError::unsupported_because(
                        "dtype",
                        format!("{name}()'s dtype must name the dtype itself (np.float64, types.float64, 'float64')"),
                        e.span,
                    ))
                }
            },
        };
        Ok(H::Intrinsic { f: Intrinsic::PointerView { layout, dtype }, args: vec![self.expr(ptr)?, self.expr(shape)?] })
    }
}
