//! Type inference of arrays: what indexing an array gives.

use super::{type_name, Cx};
use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir;
use crate::types::{ArrayType, Type};

impl Cx<'_> {
    /// Checks a full index into `a` (one integer per axis) and gives the element's type.
    pub(super) fn element_index(&mut self, a: ArrayType, index: &hir::Expr, span: Span) -> Result<Type> {
        // `a[i, j]`, or an index held in a tuple value (`a[t]`, and `a[i, j] += v`).
        let idx: Vec<Type> = match self.expr(index)? {
            Type::Tuple(items) => items,
            Type::Unknown => return Ok(Type::Unknown),
            t => vec![t],
        };
        for t in &idx {
            if !matches!(t, Type::Int | Type::Bool | Type::Unknown) {
                return Err(CompileError::typing("array index", format!("array indices must be integers, not {}", type_name(t)), index.span));
            }
        }
        if idx.len() != a.ndim as usize {
            let what = if idx.len() < a.ndim as usize { "fewer" } else { "more" };
            return Err(CompileError::typing(
                "array index",
                format!(
                    "{} index{} into a {}-dimensional array: {what} indices than axes (views of rows and slices are not compiled yet)",
                    idx.len(),
                    if idx.len() == 1 { "" } else { "es" },
                    a.ndim
                ),
                span,
            ));
        }
        Ok(a.dtype.element())
    }
}
