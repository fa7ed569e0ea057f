//! Typing of C pointers (a `@cfunc`'s `CPointer(dtype)` and `voidptr` parameters): `p[i]` reads
//! and writes an element of the pointer's dtype, unchecked as in C (and Numba); `carray` and
//! `farray` view the memory as an array ([`hir::Intrinsic::PointerView`]). Nothing else takes
//! a pointer.

use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

use super::{require_integer, storable, type_name, InferCx};

/// The function called from Python (`f`, returning `ret`) returns no pointer.
pub(super) fn check_returned(f: &hir::Function, ret: &Type) -> Result<()> {
    if let Type::Pointer(_) = ret {
        return Err(CompileError::unsupported_because(
            "return of a pointer",
            format!("'{}' returns the pointer {ret}; compiled code does not hand one back to Python", f.name),
            f.span,
        ));
    }
    Ok(())
}

impl InferCx<'_> {
    /// `p[index]` of a pointer to `dtype`: the element's type.
    pub(super) fn pointer_element(&mut self, dtype: Option<Dtype>, index: &hir::Expr, span: Span) -> Result<Type> {
        let Some(d) = dtype else {
            return Err(CompileError::typing(
                "subscript of a void*",
                "a void* cannot be indexed: view its memory as an array with carray(ptr, shape, dtype)",
                span,
            ));
        };
        if matches!(index.kind, H::Tuple(_) | H::Slice { .. }) {
            return Err(CompileError::typing(
                "pointer index",
                format!(
                    "a {d}* takes one integer index (p[i]); view its memory as an array with carray(ptr, shape) to slice it",
                    d = d.name()
                ),
                index.span,
            ));
        }
        let it = self.expr(index)?;
        require_integer(&it, "pointer index", "pointer indices", index.span)?;
        Ok(d.element())
    }

    /// `p[index] = value` (a value of type `ty`) into a pointer to `dtype`.
    pub(super) fn pointer_store(&mut self, dtype: Option<Dtype>, index: &hir::Expr, ty: &Type, span: Span) -> Result<()> {
        self.pointer_element(dtype, index, span)?;
        let d = dtype.expect("checked by pointer_element");
        if !(storable(ty, d) || *ty == Type::Unknown) {
            return Err(CompileError::typing(
                "pointer element assignment",
                format!("cannot store {} through a {}*", type_name(ty), d.name()),
                span,
            ));
        }
        Ok(())
    }

    /// `p[index] op= value`: typed as `p[index] = p[index] op value`.
    pub(super) fn pointer_aug(
        &mut self,
        dtype: Option<Dtype>,
        index: &hir::Expr,
        op: crate::ast::BinOp,
        value: &hir::Expr,
        span: Span,
    ) -> Result<()> {
        let l = self.pointer_element(dtype, index, span)?;
        let t = self.binary(op, &l, value, span)?;
        self.specs[self.current].aug_types.insert(value.id, t.clone());
        self.pointer_store(dtype, index, &t, span)
    }

    /// `carray(ptr, shape)` / `farray(...)`: an array of `dtype` (or the pointer's), `layout`,
    /// with as many axes as the shape has entries.
    pub(super) fn pointer_view(&mut self, layout: Layout, dtype: Option<Dtype>, args: &[hir::Expr], span: Span) -> Result<Type> {
        let name = if layout == Layout::F { "farray" } else { "carray" };
        let pd = match self.expr(&args[0])? {
            Type::Pointer(pd) => pd,
            Type::Unknown => return Ok(Type::Unknown),
            t => {
                return Err(CompileError::typing(
                    "carray() argument",
                    format!("{name}() takes a pointer (a @cfunc's CPointer or voidptr parameter), not {}", type_name(&t)),
                    args[0].span,
                ))
            }
        };
        let dtype = match (dtype, pd) {
            (Some(d), Some(p)) if d != p => {
                return Err(CompileError::typing(
                    "carray() dtype",
                    format!("mismatching dtype '{}' for pointer type '{}*'", d.name(), p.name()),
                    span,
                ))
            }
            (Some(d), _) | (None, Some(d)) => d,
            (None, None) => {
                return Err(CompileError::typing(
                    "carray() dtype",
                    format!("{name}() of a void* needs its dtype: {name}(ptr, shape, dtype)"),
                    span,
                ))
            }
        };
        let ndim = match self.expr(&args[1])? {
            Type::Int64 | Type::UInt64 | Type::Bool => 1,
            Type::Tuple(items) if !items.is_empty() && items.iter().all(Type::is_integer_or_unknown) => items.len(),
            Type::Unknown => return Ok(Type::Unknown),
            t => {
                return Err(CompileError::typing(
                    "carray() shape",
                    format!("{name}() takes a shape that is an int or a non-empty tuple of ints, not {}", type_name(&t)),
                    args[1].span,
                ))
            }
        };
        // One axis is C-contiguous whichever order.
        let layout = if ndim == 1 { Layout::C } else { layout };
        Ok(Type::Array(ArrayType { dtype, ndim: ndim as u8, layout, readonly: false }))
    }
}
