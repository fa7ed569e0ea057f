//! Typing of subscripts: array elements and views, tuple, list and dict items; and the message
//! for a value used as an array that is not one.

use super::arrays::{index_items, new_axes};
use super::*;
use crate::types::{ArrayType, Dtype, Layout};

impl<'a> InferCx<'a> {
    /// `value[index]` on a tuple: a literal index picks its element (negative counts from the
    /// end); any other integer index needs a tuple whose elements have one type.
    /// `a[index]` read with one index array among integers and slices ([`MixedIndex`]): its
    /// type, or `None` for any other index.
    fn mixed_index(&mut self, a: ArrayType, index: &hir::Expr) -> Result<Option<ArrayType>> {
        let H::Tuple(items) = &index.kind else { return Ok(None) };
        let types = self.index_item_types(items)?;
        let refs: Vec<&hir::Expr> = items.iter().collect();
        match one_array_among_ints_and_slices(&a, &refs, &types) {
            None => Ok(None),
            Some(Err(())) => Err(CompileError::unsupported_because(
                "array index",
                "an index array apart from an integer, after a slice (`b[0, :, idx]`): NumPy moves the \
                 gathered axes first there; index in two steps (`b[0][:, idx]`)",
                index.span,
            )),
            Some(Ok(m)) => {
                for e in items {
                    if let H::Slice { lower, upper, step } = &e.kind {
                        for part in [lower, upper, step].into_iter().flatten() {
                            let t = self.expr(part)?;
                            require_integer(&t, "slice", "slice indices", part.span)?;
                        }
                    }
                }
                let Type::Array(ix) = types[m.item] else { unreachable!("the index array") };
                self.specs[self.current].allocates = true;
                let ints = types.iter().filter(|t| is_int_index(t)).count();
                Ok(Some(mixed_index_type(a, ix, ints)))
            }
        }
    }

    /// The type of the view `a[index]`: every integer drops its axis, every slice (and every
    /// axis not indexed) keeps one.
    pub(super) fn view_type(&mut self, a: ArrayType, index: &hir::Expr, span: Span) -> Result<Type> {
        if !matches!(index.kind, hir::ExprKind::Tuple(_) | hir::ExprKind::Slice { .. }) {
            // An index held in a tuple value with fewer integers than axes (`m[t]`, `t` from
            // `np.ndindex`): the leading axes taken, a view of the others.
            if let Type::Tuple(t) = self.expr(index)? {
                for item in t.iter() {
                    require_integer(item, "array index", "array indices", index.span)?;
                }
                let layout = if a.layout == Layout::C { Layout::C } else { Layout::A };
                return Ok(Type::Array(ArrayType { ndim: a.ndim - t.len() as u8, layout, ..a }));
            }
        }
        let items = index_items(index);
        let new = new_axes(index);
        if items.len() - new > a.ndim as usize {
            return Err(CompileError::typing(
                "array index",
                format!("{} indices into a {}-dimensional array", items.len() - new, a.ndim),
                span,
            ));
        }
        let mut kept = a.ndim as usize - (items.len() - new) + new;
        let mut contiguous_slice = false;
        for (k, item) in items.iter().enumerate() {
            if matches!(item.kind, hir::ExprKind::None) {
                continue;
            }
            if let hir::ExprKind::Slice { lower, upper, step } = &item.kind {
                for part in [lower, upper, step].into_iter().flatten() {
                    let t = self.expr(part)?;
                    require_integer(&t, "slice", "slice indices", part.span)?;
                }
                kept += 1;
                // `a[i:j]` over the first axis of a C array (step 1) keeps it contiguous.
                contiguous_slice = k == 0 && items.len() == 1 && step.as_ref().is_none_or(|s| hir::const_index(s) == Some(1));
            } else {
                let t = self.expr(item)?;
                require_integer(&t, "array index", "array indices", item.span)?;
            }
        }
        // Leading integers of a C array (`a[i]`, a row) or one contiguous slice of its first axis
        // leave a C-contiguous view; anything else is strided.
        let all_ints = new == 0 && items.iter().all(|e| !matches!(e.kind, hir::ExprKind::Slice { .. }));
        let layout = match a.layout {
            Layout::C if all_ints || contiguous_slice => Layout::C,
            _ => Layout::A,
        };
        Ok(Type::Array(ArrayType { ndim: kept as u8, layout, ..a }))
    }

    /// The types of an index's items (slices and `None` left `Unknown`: typed apart).
    fn index_item_types(&mut self, items: &[hir::Expr]) -> Result<Vec<Type>> {
        items.iter().map(|e| if matches!(e.kind, H::Slice { .. } | H::None) { Ok(Type::Unknown) } else { self.expr(e) }).collect()
    }

    /// A store (or `op=`) through one index array among integers and slices (`A[m, 0] = v`) is
    /// not compiled: a `CompileError` saying how to write it.
    pub(super) fn reject_mixed_store(&mut self, a: ArrayType, index: &hir::Expr) -> Result<()> {
        let H::Tuple(items) = &index.kind else { return Ok(()) };
        let types = self.index_item_types(items)?;
        let refs: Vec<&hir::Expr> = items.iter().collect();
        if one_array_among_ints_and_slices(&a, &refs, &types).is_none() {
            return Ok(());
        }
        Err(CompileError::unsupported_because(
            "assignment through an index array",
            "an index array among integers and slices is compiled where it is read (`A[m, 0]`), not \
             where it is stored into (`A[m, 0] = v`): store through the view, `A[:, 0][m] = v`",
            index.span,
        ))
    }

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
            // An index (item) not typed yet (`idx = np.argsort(...)` on the first round) may be an
            // index array: wait for the next round rather than take it for an integer.
            let untyped = match &index.kind {
                H::Tuple(items) => {
                    let types = self.index_item_types(items)?;
                    types.iter().zip(items).any(|(t, e)| *t == Type::Unknown && !matches!(e.kind, H::Slice { .. } | H::None))
                }
                H::Slice { .. } | H::None => false,
                _ => it == Type::Unknown,
            };
            if untyped {
                return Ok(Type::Unknown);
            }
            if let Some(t) = self.mixed_index(a, index)? {
                return Ok(Type::Array(t));
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
        if items.is_empty() {
            // Always an IndexError at run time; int64 lets `for x in ()` type its dead body.
            return Ok(Type::Int64);
        }
        if !items.iter().all(Type::is_known) {
            return Ok(Type::Unknown); // an element a callee gives, not typed yet
        }
        let Some(item) = items.common_item() else {
            let tys: Vec<String> = items.iter().map(type_name).collect();
            return Err(CompileError::typing(
                "variable index into a tuple of mixed types",
                format!("the elements are {}; index it with a literal, or make them one type", tys.join(", ")),
                span,
            ));
        };
        Ok(item)
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

/// Where a written-out index holds one index array among integers and slices (`a[mask, 0]`,
/// `a[i, idx]`, `a[1:, mask]`): `item`, the array's position among the index's items, and `p`,
/// its axis in the view the integers and slices make (the array taken as `:`), which the result
/// gathers along. Built from the items' types (`types[k]` for `items[k]`; slices untyped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MixedIndex {
    pub item: usize,
    pub p: usize,
}

/// An integer index item (a bool is one, as everywhere an index is taken).
pub(crate) fn is_int_index(t: &Type) -> bool {
    matches!(t, Type::Bool | Type::Int64 | Type::UInt64)
}

/// [`MixedIndex`] of `a[items]`: `None` unless one item is an integer array or a 1-D boolean
/// mask and every other one an integer or a slice (no `None`), at most one per axis;
/// `Some(Err(()))` where NumPy would move the gathered axes to the front (integers and the array
/// not side by side, with a slice before the array: `b[0, :, idx]`), which is not compiled.
pub(crate) fn one_array_among_ints_and_slices(
    a: &crate::types::ArrayType,
    items: &[&hir::Expr],
    types: &[Type],
) -> Option<std::result::Result<MixedIndex, ()>> {
    if items.len() < 2 || items.len() > a.ndim as usize || items.iter().any(|e| matches!(e.kind, hir::ExprKind::None)) {
        return None;
    }
    let is_slice = |k: usize| matches!(items[k].kind, hir::ExprKind::Slice { .. });
    let mut arrays = (0..items.len()).filter(|&k| matches!(types[k], Type::Array(_)));
    let item = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let Type::Array(ix) = &types[item] else { unreachable!("filtered") };
    let integer_array = matches!(ix.dtype.row().kind, b'i' | b'u');
    if !(integer_array || (ix.dtype == Dtype::Bool && ix.ndim == 1)) {
        return None;
    }
    if (0..items.len()).any(|k| k != item && !is_slice(k) && !is_int_index(&types[k])) {
        return None;
    }
    let advanced: Vec<usize> = (0..items.len()).filter(|&k| !is_slice(k)).collect();
    let side_by_side = advanced.last().expect("the array") - advanced[0] + 1 == advanced.len();
    let p = (0..item).filter(|&k| is_slice(k)).count();
    if !side_by_side && p > 0 {
        return Some(Err(()));
    }
    Some(Ok(MixedIndex { item, p }))
}

/// The type of `a[index]` with a [`MixedIndex`], index array `ix` and `ints` integers: the
/// view's axes (`a`'s less one per integer), the one at `p` replaced by the index array's (a
/// mask's selection).
fn mixed_index_type(a: ArrayType, ix: ArrayType, ints: usize) -> ArrayType {
    let view_ndim = a.ndim as usize - ints;
    let ndim = if ix.dtype == Dtype::Bool { view_ndim } else { view_ndim - 1 + ix.ndim as usize };
    ArrayType { dtype: a.dtype, ndim: ndim as u8, layout: crate::types::Layout::C, readonly: false }
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
