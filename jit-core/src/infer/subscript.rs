//! Typing of subscripts: array elements and views, tuple, list and dict items; and the message
//! for a value used as an array that is not one.

use super::*;

impl<'a> InferCx<'a> {
    /// `value[index]` on a tuple: a literal index picks its element (negative counts from the
    /// end); any other integer index needs a tuple whose elements have one type.
    pub(super) fn subscript(&mut self, value: &hir::Expr, index: &hir::Expr, span: Span) -> Result<Type> {
        let vt = self.expr(value)?;
        if let Type::List(item) = &vt {
            return self.list_subscript(item, index);
        }
        if vt == Type::Str {
            return self.string_subscript(index);
        }
        if vt == Type::Range {
            return self.range_subscript(index);
        }
        if let Type::Iter(s) = &vt {
            return self.iterator_item(value, index, s);
        }
        if let Type::Dict(k, v) = &vt {
            return self.dict_subscript(k, v, index);
        }
        if let Type::Pointer(d) = vt {
            return self.pointer_element(d, index, span);
        }
        if let Some(a) = vt.array() {
            let it = match &index.kind {
                H::Tuple(_) | H::Slice { .. } => Type::Unknown, // written out: typed item by item
                _ => self.expr(index)?,
            };
            if let Some(ix) = it.array() {
                self.specs[self.current].allocates = true;
                return arrays::fancy_index_type(a, ix, index.span).map(Type::Array);
            }
            // `a[:, idx]`: an integer array among full slices, along its axis.
            if let Some((_, item)) = one_index_among_full_slices(&a, index) {
                match self.expr(item)? {
                    Type::Array(ix) if matches!(ix.dtype.row().kind, b'i' | b'u') && ix.ndim >= 1 => {
                        // The result: a's axes before the index's place, the index array's, a's after.
                        self.specs[self.current].allocates = true;
                        let ndim = a.ndim as usize - 1 + ix.ndim as usize;
                        let layout = crate::types::Layout::C;
                        return Ok(Type::Array(crate::types::ArrayType {
                            dtype: a.dtype,
                            ndim: ndim as u8,
                            layout,
                            readonly: false,
                        }));
                    }
                    Type::Unknown => return Ok(Type::Unknown),
                    _ => {}
                }
            }
            if arrays::is_view(&a, index, &it) {
                return self.view_type(a, index, span);
            }
            return self.element_index(a, index, span);
        }
        if vt == Type::Unknown {
            // A callee's result not typed yet: type the index's parts (a slice included) and wait
            // for the next round.
            self.index_parts(index)?;
            return Ok(Type::Unknown);
        }
        if matches!(&vt, Type::Tuple(items) if items.is_record()) {
            return Err(super::named_tuples::not_a_tuple("subscript", &vt, span));
        }
        if let (Type::Tuple(items), H::Slice { .. }) = (&vt, &index.kind) {
            self.index_parts(index)?;
            return match hir::const_slice_positions(items.len(), index) {
                Some(Ok(ps)) => Ok(Type::Tuple(ps.into_iter().map(|p| items[p].clone()).collect())),
                Some(Err(())) => Err(CompileError::typing("tuple slice", "slice step cannot be zero", index.span)),
                None => Err(CompileError::unsupported_because(
                    "tuple slice",
                    "a tuple is sliced only with literal bounds (t[1:], t[:2], t[::-1])",
                    index.span,
                )),
            };
        }
        let it = self.expr(index)?;
        let Type::Tuple(items) = vt else {
            return Err(self.not_an_array(value, &vt).unwrap_or_else(|| {
                CompileError::typing(
                    "subscript",
                    format!("{} cannot be indexed; only arrays and tuples can", type_name(&vt)),
                    span,
                )
            }));
        };
        if let Some(i) = hir::const_index(index) {
            let n = items.len() as i64;
            let at = if i < 0 { i + n } else { i };
            if !(0..n).contains(&at) {
                return Err(CompileError::typing(
                    "tuple index out of range",
                    format!("index {i} into a tuple of length {n}"),
                    index.span,
                ));
            }
            return Ok(items[at as usize].clone());
        }
        require_integer(&it, "tuple index", "tuple indices", index.span)?;
        let Some(first) = items.first() else {
            // Always an IndexError at run time; int64 lets `for x in ()` type its dead body.
            return Ok(Type::Int64);
        };
        if !items.iter().all(Type::is_known) {
            return Ok(Type::Unknown); // an element a callee gives, not typed yet
        }
        if items.iter().any(|t| t != first) {
            let tys: Vec<String> = items.iter().map(type_name).collect();
            return Err(CompileError::typing(
                "variable index into a tuple of mixed types",
                format!("the elements are {}; index it with a literal, or make them one type", tys.join(", ")),
                span,
            ));
        }
        Ok(first.clone())
    }

    /// When `value` is a parameter (read as it came in) that code uses as an array but that was
    /// given a number: the error is the argument's, a TypeError naming the parameter.
    pub(super) fn not_an_array(&self, value: &hir::Expr, got: &Type) -> Option<CompileError> {
        let f = self.hir_fn();
        let H::Local { id, .. } = value.kind else { return None };
        let is_param = f.params.contains(&id) && self.specs[self.current].arg_types.get(id as usize) == Some(got);
        is_param.then(|| CompileError::ArgumentType {
            message: format!(
                "{}() argument '{}' must be an array here, not {}",
                f.name,
                f.locals[id as usize].name,
                type_name(got)
            ),
            span: value.span,
        })
    }
}

/// Whether `e` is the full slice `:`.
pub(crate) fn is_full_slice(e: &hir::Expr) -> bool {
    matches!(&e.kind, hir::ExprKind::Slice { lower: None, upper: None, step: None })
}

/// The index written out `a[:, idx]` (`a[:, :, idx]`, `a[idx, :]`): at most one item per axis,
/// every one the full slice `:` but one, at `p`, which is not a slice (an integer array, when
/// inference types it so): `Some((p, item))`. NumPy's one advanced index, which keeps its place
/// (the result's axes: `a`'s before `p`, the index array's, `a`'s after `p`).
pub(crate) fn one_index_among_full_slices<'e>(
    a: &crate::types::ArrayType,
    index: &'e hir::Expr,
) -> Option<(usize, &'e hir::Expr)> {
    let hir::ExprKind::Tuple(items) = &index.kind else { return None };
    if items.len() > a.ndim as usize {
        return None;
    }
    let mut others = items.iter().enumerate().filter(|(_, e)| !is_full_slice(e));
    let (p, item) = others.next()?;
    if others.next().is_some() || matches!(item.kind, hir::ExprKind::Slice { .. } | hir::ExprKind::None) {
        return None;
    }
    Some((p, item))
}
