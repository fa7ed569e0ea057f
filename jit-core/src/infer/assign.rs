//! Typing of what receives a value: a local (its type widened by what is assigned, an
//! optional where `None` meets a value), a tuple target unpacked, an array element or view, a
//! list or dict item, and the function's return type.

use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::types::Type;

use super::{arrays, storable, type_name, InferCx};

impl InferCx<'_> {
    pub(super) fn unify_ret(&mut self, t: &Type, span: Span) -> Result<()> {
        let cur = &self.specs[self.current].ret;
        if self.declared && self.current == 0 {
            // A float64 rounds to a declared float32, as Numba casts it.
            if !t.is_known() || cur.unify(t).as_ref() == Ok(cur) || (*cur == Type::Float32 && *t == Type::Float64) {
                return Ok(());
            }
            // Every signature declares this number type: any number returned converts to it
            // (codegen's `return`, `hir::Function::ret_dtype`), as Numba casts.
            if self.hir_fn().ret_dtype.is_some() && (t.is_numeric() || (t.is_complex() && cur.is_complex())) && cur.is_number() {
                return Ok(());
            }
            return Err(CompileError::typing(
                "return value of another type than the signature's",
                format!("'{}' returns {} where its signature declares {}", self.hir_fn().name, type_name(t), type_name(cur)),
                span,
            ));
        }
        let new = cur.unify(t).map_err(|(a, b)| {
            let construct = if a == Type::None || b == Type::None {
                "return of None on one path and a value on another"
            } else {
                "return of mixed types"
            };
            CompileError::typing(
                construct,
                format!("'{}' returns {} on one path and {} on another", self.hir_fn().name, type_name(&a), type_name(&b)),
                span,
            )
        })?;
        if &new != cur {
            self.specs[self.current].ret = new;
            self.changed = true;
        }
        Ok(())
    }

    pub(super) fn assign_local(&mut self, id: u32, t: &Type, span: Span) -> Result<()> {
        if let Some(&(_, d)) = self.hir_fn().declared.iter().find(|(l, _)| *l == id) {
            // Declared by `locals=`: a number converts to its dtype (a complex one only to a
            // complex dtype); anything else is an error naming the declaration.
            let converts = t.is_numeric() || *t == Type::Unknown || (t.is_complex() && d.is_complex());
            if !converts {
                return Err(CompileError::typing(
                    "variable of mixed types",
                    format!(
                        "'{}' is declared {} by locals=, and is assigned {}",
                        self.hir_fn().locals[id as usize].name,
                        d.name(),
                        type_name(t)
                    ),
                    span,
                ));
            }
            return Ok(());
        }
        let cur = &self.specs[self.current].local_types[id as usize];
        let new = cur.unify(t).map_err(|(a, b)| {
            CompileError::typing(
                "variable of mixed types",
                format!(
                    "'{}' holds {} on one path and {} on another",
                    self.hir_fn().locals[id as usize].name,
                    type_name(&a),
                    type_name(&b)
                ),
                span,
            )
        })?;
        if &new != cur {
            self.specs[self.current].local_types[id as usize] = new;
            self.changed = true;
        }
        Ok(())
    }

    pub(super) fn assign_target(&mut self, t: &hir::Target, ty: &Type) -> Result<()> {
        match t {
            hir::Target::Local(id, span) => self.assign_local(*id, ty, *span),
            hir::Target::Tuple(ts, span) => match ty {
                Type::Unknown => Ok(()),
                Type::Tuple(items) if items.is_record() => Err(super::named_tuples::not_a_tuple("tuple unpacking", ty, *span)),
                Type::Tuple(items) if items.len() == ts.len() => {
                    for (t, ty) in ts.iter().zip(items) {
                        self.assign_target(t, ty)?;
                    }
                    Ok(())
                }
                Type::Tuple(items) => Err(CompileError::typing(
                    "tuple unpacking",
                    format!("cannot unpack {} values into {} names", items.len(), ts.len()),
                    *span,
                )),
                // `x, y = a` of a 1-D array: its elements (the length checked at run time).
                Type::Array(a) if a.ndim == 1 => {
                    let item = a.dtype.element();
                    for t in ts {
                        self.assign_target(t, &item)?;
                    }
                    Ok(())
                }
                // `r, v = m` of an array of two or more axes: its rows, views (NumPy's iteration).
                Type::Array(a) if a.ndim >= 2 => {
                    let row = Type::Array(row_type(a));
                    for t in ts {
                        self.assign_target(t, &row)?;
                    }
                    Ok(())
                }
                Type::Array(_) => Err(CompileError::typing(
                    "tuple unpacking",
                    "unpacking the rows of an array of two or more axes is not compiled (index them: a[0], a[1])",
                    *span,
                )),
                other => {
                    Err(CompileError::typing("tuple unpacking", format!("cannot unpack a {} value", type_name(other)), *span))
                }
            },
            hir::Target::Index { array, index, span } => {
                let at = self.expr(array)?;
                if let Type::List(item) = &at {
                    return self.list_store(array, item, index, ty);
                }
                if let Type::Dict(k, v) = &at {
                    return self.dict_store(array, (k, v), index, ty);
                }
                if let Type::Pointer(d) = at {
                    return self.pointer_store(d, index, ty, *span);
                }
                if at == Type::Unknown {
                    // A callee's result not typed yet (`ac = np.empty(n, dtype=p.dtype)` with `p`
                    // a callee's): type the index's parts, a slice included, and wait.
                    return self.index_parts(index);
                }
                let Some(a) = at.array() else {
                    return Err(self.not_an_array(array, &at).unwrap_or_else(|| {
                        CompileError::typing(
                            "subscript assignment",
                            format!("cannot assign to an element of {}; only arrays are written", type_name(&at)),
                            *span,
                        )
                    }));
                };
                let it = match &index.kind {
                    H::Tuple(_) | H::Slice { .. } => Type::Unknown, // written out: typed item by item
                    _ => self.expr(index)?,
                };
                if let Some(ix) = it.array() {
                    self.specs[self.current].allocates = true; // the copies `codegen::fancy` takes
                    arrays::fancy_index_type(a, ix, index.span)?;
                    return arrays::check_fancy_store(a, ix, ty, *span);
                }
                if it == Type::Unknown && !matches!(index.kind, H::Tuple(_) | H::Slice { .. } | H::None) {
                    // An index not typed yet may be an index array: wait for the next round.
                    return Ok(());
                }
                self.reject_mixed_store(a, index)?;
                if arrays::is_view(&a, index, &it) {
                    self.specs[self.current].allocates = true; // an overlapping value's snapshot
                    return self.assign_view(a, index, ty, *span);
                }
                self.element_index(a, index, *span)?;
                // A 0-d array gives its one element (NumPy's `a[i] = np.asarray(x)`).
                let zero_d = matches!(ty, Type::Array(z) if z.ndim == 0 && storable(&z.dtype.element(), a.dtype));
                if !(storable(ty, a.dtype) || *ty == Type::Unknown || zero_d) {
                    return Err(CompileError::typing(
                        "array element assignment",
                        format!("cannot store {} into an array of {}", type_name(ty), a.dtype.name()),
                        *span,
                    ));
                }
                Ok(())
            }
        }
    }
}

impl InferCx<'_> {
    /// A store through `a[..., i]` of an array of `ndim` axes (`hir::Intrinsic::EllipsisValue`):
    /// the transposed target takes it transposed, which is NumPy's broadcast only when it has
    /// the target's number of axes (one of fewer would be matched from the other end).
    pub(super) fn check_ellipsis_value(&mut self, targets: &[hir::Target], ndim: u8, span: Span) -> Result<()> {
        if ndim == 0 {
            return Ok(()); // a 0-d array broadcasts as a number does
        }
        for t in targets {
            let hir::Target::Index { array, index, .. } = t else { continue };
            let Some(a) = self.expr(array)?.array() else { continue };
            let target_ndim = match &index.kind {
                H::Tuple(_) | H::Slice { .. } => match self.view_type(a, index, span)? {
                    Type::Array(v) => v.ndim,
                    _ => 0,
                },
                _ => a.ndim.saturating_sub(1),
            };
            if target_ndim != ndim {
                return Err(CompileError::unsupported_because(
                    "array stored through an index with '...'",
                    format!(
                        "a {ndim}-dimensional array stored into a[..., i] whose target has {target_ndim} axes: NumPy broadcasts it against the last axes; store a number, an array of the target's axes, or write the axes out (a[:, i] = v)"
                    ),
                    span,
                ));
            }
        }
        Ok(())
    }
}

/// The type of a row (`a[i]`) of an array of two or more axes: a view, C-contiguous when the
/// array is, else of any layout.
pub(crate) fn row_type(a: &crate::types::ArrayType) -> crate::types::ArrayType {
    let layout = if a.layout == crate::types::Layout::C { crate::types::Layout::C } else { crate::types::Layout::A };
    crate::types::ArrayType { ndim: a.ndim - 1, layout, ..*a }
}
