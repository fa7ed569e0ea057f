//! Type inference of arrays: what indexing an array gives (an element, or a view), new arrays,
//! reductions and attributes.

use super::{require_integer, type_name, InferCx};
use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::types::{ArrayType, Dtype, Layout, Type};

/// The items of an index written out (`a[i, 1:n]`): one per axis, in order.
pub(super) fn index_items(index: &hir::Expr) -> Vec<&hir::Expr> {
    match &index.kind {
        hir::ExprKind::Tuple(items) => items.iter().collect(),
        _ => vec![index],
    }
}

/// Whether `a[index]` is a view (a slice somewhere, or fewer indices than axes) rather than an
/// element.
pub(crate) fn is_view(a: &ArrayType, index: &hir::Expr, index_type: &Type) -> bool {
    let items = index_items(index);
    let written_out = matches!(index.kind, hir::ExprKind::Tuple(_)) || !matches!(index_type, Type::Tuple(_));
    items.iter().any(|e| matches!(e.kind, hir::ExprKind::Slice { .. } | hir::ExprKind::None))
        || (written_out && items.len() < a.ndim as usize)
        || matches!(index_type, Type::Tuple(t) if !written_out && t.len() < a.ndim as usize)
}

/// How many integers an index held in a tuple value (`a[t]`, `t` not written out) gives, or
/// `None` for an index written out.
pub(crate) fn tuple_value_len(index: &hir::Expr, index_type: &Type) -> Option<usize> {
    match (&index.kind, index_type) {
        (hir::ExprKind::Tuple(_) | hir::ExprKind::Slice { .. }, _) => None,
        (_, Type::Tuple(t)) => Some(t.len()),
        _ => None,
    }
}

/// The type of `a[ix]` with an array `ix` as the index: a boolean mask of `a`'s shape gives the
/// elements where it is true (1-D); an integer array the elements (rows, of a 2-D or more `a`)
/// at its positions along the first axis, in its shape. Always a new C-contiguous array.
pub(crate) fn fancy_index_type(a: ArrayType, ix: ArrayType, span: Span) -> Result<ArrayType> {
    let ndim = match ix.dtype {
        // A mask of the first k axes: the selected elements (rows) along one new axis.
        Dtype::Bool if ix.ndim >= 1 && ix.ndim <= a.ndim => a.ndim as usize - ix.ndim as usize + 1,
        Dtype::Bool => {
            return Err(CompileError::typing(
                "boolean mask index",
                format!("too many indices for array: array is {}-dimensional, but {} were indexed", a.ndim, ix.ndim),
                span,
            ))
        }
        Dtype::Float32 | Dtype::Float64 => {
            return Err(CompileError::typing(
                "array index",
                "arrays used as indices must be of integer (or boolean) type".to_string(),
                span,
            ))
        }
        _ => ix.ndim as usize + a.ndim as usize - 1,
    };
    Ok(ArrayType { dtype: a.dtype, ndim: ndim as u8, layout: Layout::C, readonly: false })
}

/// Checks `a[ix] = v` (an index array `ix`): `v` a number, or a 1-D array whose elements go to
/// the selected positions in order (an integer index into a 1-D array only).
pub(crate) fn check_fancy_store(a: ArrayType, ix: ArrayType, v: &Type, span: Span) -> Result<()> {
    match v {
        t if t.is_numeric() || *t == Type::Unknown || (t.is_complex() && a.dtype.is_complex()) => Ok(()),
        Type::Array(va) if va.dtype.is_complex() && !a.dtype.is_complex() => Err(CompileError::typing(
            "assignment through an index array",
            format!("cannot store an array of {} into an array of {}: take .real", va.dtype.name(), a.dtype.name()),
            span,
        )),
        Type::Array(va) if va.ndim == 1 && ((ix.dtype == Dtype::Bool && ix.ndim == a.ndim) || (a.ndim == 1 && ix.ndim == 1)) => {
            Ok(())
        }
        t => Err(CompileError::unsupported_because(
            "assignment through an index array",
            format!(
                "`a[mask] = v` and `a[idx] = v` take a number or a 1-D array (`a[mask] = v` with an array only for a mask of a's shape, `a[idx] = v` only for 1-D a and idx), not {}",
                super::type_name(t)
            ),
            span,
        )),
    }
}

/// Checks `np.f(..., out=o)`: NumPy's `same_kind` casting from the result's dtype `v` to the
/// out array's, and no more axes than it has.
pub(crate) fn check_out(v: ArrayType, o: ArrayType, span: Span) -> Result<()> {
    if super::ops::kind_rank(v.dtype) > super::ops::kind_rank(o.dtype) {
        return Err(CompileError::typing(
            "out= argument",
            format!(
                "Cannot cast ufunc output from dtype('{}') to dtype('{}') with casting rule 'same_kind'",
                v.dtype.name(),
                o.dtype.name()
            ),
            span,
        ));
    }
    if v.ndim > o.ndim {
        return Err(CompileError::typing(
            "out= argument",
            format!("could not broadcast a {}-dimensional result into a {}-dimensional out array", v.ndim, o.ndim),
            span,
        ));
    }
    Ok(())
}

/// How many of an index's items are `None` (`np.newaxis`): new axes of size 1, which index no
/// axis of the array.
pub(crate) fn new_axes(index: &hir::Expr) -> usize {
    index_items(index).iter().filter(|e| matches!(e.kind, hir::ExprKind::None)).count()
}

/// A complex fill value goes into a complex array only (NumPy would drop its imaginary part).
fn complex_fits(fill: Option<&Type>, dtype: Dtype, span: Span) -> Result<()> {
    if fill.is_some_and(Type::is_complex) && !dtype.is_complex() {
        return Err(CompileError::typing(
            "fill value",
            format!("a complex fill value for an array of {} (NumPy would drop its imaginary part)", dtype.name()),
            span,
        ));
    }
    Ok(())
}

impl InferCx<'_> {
    /// The type of a new array: C-contiguous, writeable; the dtype from `dtype=`, else NumPy's
    /// default (float64; `np.full` the fill value's type; `np.arange` int64 for ints; `*_like`
    /// and `.copy()` the source's).
    pub(super) fn new_array_type(&mut self, n: &hir::NewArray, span: Span) -> Result<Type> {
        use hir::{Fill, NewArray};
        let of = Dtype::of_scalar;
        let fill_type = |cx: &mut Self, f: &Fill| -> Result<Option<Type>> {
            match f {
                Fill::Value(v) => {
                    let t = cx.expr(v)?;
                    if !(t.is_number() || t == Type::Unknown) {
                        return Err(CompileError::typing(
                            "fill value",
                            format!("fill value takes a number, not {}", type_name(&t)),
                            v.span,
                        ));
                    }
                    Ok(Some(t))
                }
                _ => Ok(None),
            }
        };
        let array =
            |ndim: usize, dtype: Dtype| Type::Array(ArrayType { dtype, ndim: ndim as u8, layout: Layout::C, readonly: false });
        Ok(match n {
            NewArray::Filled { shape, fill, dtype } => {
                let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                let ndim = match self.expr(shape)? {
                    Type::Int64 | Type::UInt64 | Type::Bool => 1,
                    Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown()) => ts.len(),
                    Type::Unknown => return Ok(Type::Unknown),
                    t => {
                        return Err(CompileError::typing(
                            "array shape",
                            format!("a shape is an int or a tuple of ints, not {}", type_name(&t)),
                            shape.span,
                        ))
                    }
                };
                let ft = fill_type(self, fill)?;
                if ft == Some(Type::Unknown) {
                    return Ok(Type::Unknown);
                }
                let dtype = dtype.unwrap_or_else(|| ft.as_ref().map(of).unwrap_or(Dtype::Float64));
                complex_fits(ft.as_ref(), dtype, span)?;
                array(ndim, dtype)
            }
            NewArray::Like { array: src, fill, dtype } => {
                let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                let st = self.expr(src)?;
                let ft = fill_type(self, fill)?;
                match st {
                    Type::Array(a) => {
                        complex_fits(ft.as_ref(), dtype.unwrap_or(a.dtype), span)?;
                        array(a.ndim as usize, dtype.unwrap_or(a.dtype))
                    }
                    Type::Unknown => Type::Unknown,
                    t => {
                        return Err(CompileError::typing(
                            "array argument",
                            format!("expected an array, not {}", type_name(&t)),
                            span,
                        ))
                    }
                }
            }
            NewArray::Items { items, shape, dtype } => {
                let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                let mut tys = Vec::with_capacity(items.len());
                for i in items {
                    let t = self.expr(i)?;
                    if !(t.is_number() || t == Type::Unknown) {
                        return Err(CompileError::typing(
                            "np.array() element",
                            format!("np.array() element takes a number, not {}", type_name(&t)),
                            i.span,
                        ));
                    }
                    if t == Type::Unknown {
                        return Ok(Type::Unknown);
                    }
                    tys.push(t);
                }
                let dtype = dtype.unwrap_or_else(|| literal_dtype(&tys));
                let complex = tys.iter().find(|t| t.is_complex()).cloned();
                complex_fits(complex.as_ref(), dtype, span)?;
                array(shape.len(), dtype)
            }
            NewArray::Arange { start, stop, step, dtype } => {
                let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                let mut any_float = false;
                for e in [start, stop, step] {
                    let t = self.numeric(e, "np.arange()")?;
                    if t == Type::Unknown {
                        return Ok(Type::Unknown);
                    }
                    if t == Type::UInt64 {
                        return Err(CompileError::unsupported_because(
                            "np.arange() argument",
                            "np.arange() of a uint64 is not compiled (NumPy mixes it with int64 into float64); convert it with int() or float()",
                            e.span,
                        ));
                    }
                    any_float |= t.is_float();
                }
                if dtype == Some(Dtype::Bool) {
                    return Err(CompileError::unsupported_because(
                        "dtype",
                        "np.arange(..., dtype=bool) is not compiled (NumPy allows it for at most two elements)",
                        span,
                    ));
                }
                if dtype.is_some_and(Dtype::is_complex) {
                    return Err(CompileError::unsupported_because(
                        "dtype",
                        "np.arange() of a complex dtype is not compiled",
                        span,
                    ));
                }
                array(1, dtype.unwrap_or(if any_float { Dtype::Float64 } else { Dtype::Int64 }))
            }
            NewArray::Random { f, args, shape } => return self.random_array(*f, args, shape),
            NewArray::Copy { array: src, dtype } => match self.expr(src)? {
                Type::Array(a) => {
                    let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                    if a.dtype.is_complex() && dtype.is_some_and(|d| !d.is_complex()) {
                        return Err(CompileError::typing(
                            "astype",
                            format!(
                                "a copy of a complex array as {} would drop the imaginary part (NumPy's ComplexWarning): take .real first",
                                dtype.map(Dtype::name).unwrap_or_default()
                            ),
                            span,
                        ));
                    }
                    array(a.ndim as usize, dtype.unwrap_or(a.dtype))
                }
                // `np.array(l)` of a list of numbers: a 1-D array (of NumPy's dtype for the items:
                // float64 for an empty list).
                Type::List(item) => {
                    let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                    // A list of lists of numbers (rows): a 2-D array, the rows' lengths checked
                    // when it is made (NumPy's ValueError when they differ).
                    let (ndim, item) = match *item {
                        Type::List(inner) if inner.is_numeric() || inner.is_complex() || *inner == Type::Unknown => (2, *inner),
                        item => (1, item),
                    };
                    if item == Type::Unknown && !self.strict {
                        // Items a callee gives, not typed yet: wait (a list nothing is ever put in
                        // is float64, NumPy's dtype for `np.array([])`, once types have settled).
                        return Ok(Type::Unknown);
                    }
                    let of_items = match item {
                        Type::Bool => Dtype::Bool,
                        Type::Int64 => Dtype::Int64,
                        Type::UInt64 => Dtype::UInt64,
                        Type::Float64 | Type::Unknown => Dtype::Float64,
                        Type::Float32 => Dtype::Float32,
                        Type::Complex128 => Dtype::Complex128,
                        Type::Complex64 => Dtype::Complex64,
                        t => {
                            return Err(CompileError::unsupported_because(
                                "np.array() of a list",
                                format!("np.array() of a list of {} is not compiled yet (a list of numbers is)", type_name(&t)),
                                span,
                            ))
                        }
                    };
                    if of_items.is_complex() && dtype.is_some_and(|d| !d.is_complex()) {
                        return Err(CompileError::typing(
                            "astype",
                            "an array of complex numbers as a real dtype would drop the imaginary parts: take .real first",
                            span,
                        ));
                    }
                    array(ndim, dtype.unwrap_or(of_items))
                }
                // `np.array(t)` of a tuple of numbers: a 1-D array of the dtype NumPy gives them.
                Type::Tuple(items) if !items.is_record() && items.iter().all(|t| t.is_number() || *t == Type::Unknown) => {
                    let Some(dtype) = self.dtype_arg(dtype, span)? else { return Ok(Type::Unknown) };
                    if !items.iter().all(Type::is_known) {
                        return Ok(Type::Unknown);
                    }
                    let dtype = dtype.unwrap_or_else(|| literal_dtype(&items));
                    complex_fits(items.iter().find(|t| t.is_complex()), dtype, span)?;
                    array(1, dtype)
                }
                Type::Unknown => Type::Unknown,
                t => {
                    return Err(CompileError::typing("attribute access", format!("{} has no method 'copy'", type_name(&t)), span))
                }
            },
        })
    }

    /// The dtype a `dtype` argument gives: `Some(None)` when none was given, `None` while the
    /// array local it names is not typed yet.
    fn dtype_arg(&self, d: &Option<hir::DtypeArg>, span: Span) -> Result<Option<Option<Dtype>>> {
        Ok(Some(match d {
            None => None,
            Some(hir::DtypeArg::Named(d)) => Some(*d),
            Some(hir::DtypeArg::Local(id)) => match &self.specs[self.current].local_types[*id as usize] {
                Type::Dtype(d) => Some(*d),
                Type::Unknown => return Ok(None),
                t => {
                    return Err(CompileError::typing(
                        "dtype",
                        format!(
                            "'{}' holds {}, not a dtype (np.float64, float, ...)",
                            self.hir_fn().locals[*id as usize].name,
                            type_name(t)
                        ),
                        span,
                    ))
                }
            },
            Some(hir::DtypeArg::OfLocal(id)) => match &self.specs[self.current].local_types[*id as usize] {
                Type::Array(a) => Some(a.dtype),
                Type::Unknown => return Ok(None),
                t => {
                    return Err(CompileError::typing(
                        "dtype",
                        format!(
                            "'{}' holds {}, which has no .dtype; dtype= takes an array's .dtype",
                            self.hir_fn().locals[*id as usize].name,
                            type_name(t)
                        ),
                        span,
                    ))
                }
            },
        }))
    }

    /// Checks `a[index] = value` where `a[index]` is a view (slices, or fewer integers than
    /// axes): `value` (of type `ty`) is a number, stored into every element, or an array that
    /// broadcasts to the view (no more axes than it), converted to its dtype as NumPy assigns.
    pub(super) fn assign_view(&mut self, a: ArrayType, index: &hir::Expr, ty: &Type, span: Span) -> Result<()> {
        let Type::Array(view) = self.view_type(a, index, span)? else { unreachable!("a view of an array") };
        let complex_into_real = |d: Dtype| d.is_complex() && !view.dtype.is_complex();
        match ty {
            Type::Unknown => Ok(()),
            t if t.is_numeric() || (t.is_complex() && view.dtype.is_complex()) => Ok(()),
            Type::Array(v) if complex_into_real(v.dtype) => Err(CompileError::typing(
                "slice assignment",
                format!(
                    "cannot store an array of {} into an array of {} (NumPy would drop the imaginary part): take .real",
                    v.dtype.name(),
                    view.dtype.name()
                ),
                span,
            )),
            Type::Array(v) if v.ndim <= view.ndim => Ok(()),
            Type::Array(v) => Err(CompileError::typing(
                "slice assignment",
                format!("could not broadcast a {}-dimensional array into a {}-dimensional view", v.ndim, view.ndim),
                span,
            )),
            t => Err(CompileError::typing(
                "slice assignment",
                format!("cannot store {} into an array of {}", type_name(t), a.dtype.name()),
                span,
            )),
        }
    }

    /// Checks a full index into `a` (one integer per axis) and gives the element's type.
    pub(super) fn element_index(&mut self, a: ArrayType, index: &hir::Expr, span: Span) -> Result<Type> {
        // `a[i, j]`, or an index held in a tuple value (`a[t]`, and `a[i, j] += v`).
        let idx: Vec<Type> = match self.expr(index)? {
            Type::Tuple(items) => items.to_vec(),
            Type::Unknown => return Ok(Type::Unknown),
            t => vec![t],
        };
        for t in &idx {
            require_integer(t, "array index", "array indices", index.span)?;
        }
        if idx.len() != a.ndim as usize {
            // Fewer indices than axes reach here only where no view is made: an index held in a
            // tuple value (`a[t]`; `a[i]` written out is a view).
            let why = if idx.len() > a.ndim as usize {
                "more indices than axes"
            } else {
                "fewer indices than axes (an index held in a tuple value must give one index per axis: a view is made only by an index written out, as in a[i] or a[i, :])"
            };
            return Err(CompileError::typing(
                "array index",
                format!(
                    "{} index{} into a {}-dimensional array: {why}",
                    idx.len(),
                    if idx.len() == 1 { "" } else { "es" },
                    a.ndim
                ),
                span,
            ));
        }
        Ok(a.dtype.element())
    }

    /// The type of a reduction (`a.sum()`, `np.mean(a)`, ...) of `value`.
    pub(super) fn reduce(&mut self, f: hir::Reduction, value: &hir::Expr, axis: Option<&hir::Axis>, span: Span) -> Result<Type> {
        let vt = self.expr(value)?;
        // `sum(l)` of a list of numbers: Python's sum, from int 0.
        if let (Type::List(item), hir::Reduction::Sum) = (&vt, f) {
            return match &**item {
                Type::Bool | Type::Unknown => Ok(Type::Int64),
                t if t.is_number() => Ok(t.clone()),
                t => Err(CompileError::typing("sum()", format!("sum() of a list of {}", type_name(t)), span)),
            };
        }
        // A run-time axis: an integer, checked against the dimensions when the code runs.
        let axis = match axis {
            None => None,
            Some(hir::Axis::Const(k)) => Some(Some(*k)),
            Some(hir::Axis::Var(e)) => {
                let t = self.expr(e)?;
                // NumPy takes no bool for an axis ("an integer is required").
                if !t.is_integer_or_unknown() || t == Type::Bool {
                    return Err(CompileError::typing("axis", format!("axis must be an integer, not {}", type_name(&t)), e.span));
                }
                Some(None)
            }
        };
        Ok(match vt {
            Type::Array(a) if a.dtype.is_complex() => {
                // sum, prod, mean (complex128) and any, all of the whole array.
                use hir::Reduction as R;
                let t = match f {
                    R::Sum | R::Prod | R::Mean => Type::Complex128,
                    R::Any | R::All => Type::Bool,
                    _ => {
                        return Err(CompileError::unsupported_because(
                            "complex arrays",
                            format!("{}() of a complex array is not compiled (complex numbers have no order)", f.name()),
                            span,
                        ))
                    }
                };
                if axis.is_some() {
                    return Err(CompileError::unsupported_because(
                        "complex arrays",
                        format!("{}() of a complex array along an axis is not compiled yet", f.name()),
                        span,
                    ));
                }
                t
            }
            Type::Array(a) => {
                use hir::Reduction as R;
                let scalar = match f {
                    R::Sum | R::Prod => match a.dtype {
                        d if d.is_float() => Type::Float64,
                        Dtype::UInt64 => Type::UInt64,
                        _ => Type::Int64,
                    },
                    R::Min | R::Max => a.dtype.element(),
                    R::Mean | R::Var | R::Std => Type::Float64,
                    R::Any | R::All => Type::Bool,
                    R::Argmin | R::Argmax => Type::Int64,
                };
                let Some(k) = axis else { return Ok(scalar) };
                let n = a.ndim as i64;
                if k.is_some_and(|k| !(-n..n).contains(&k)) {
                    let k = k.unwrap_or_default();
                    // NumPy's AxisError (a ValueError and an IndexError), known from the types.
                    return Err(CompileError::typing(
                        "axis out of bounds",
                        format!("axis {k} is out of bounds for array of dimension {n}"),
                        span,
                    ));
                }
                if n == 0 {
                    return Err(CompileError::typing(
                        "axis out of bounds",
                        "axis is out of bounds for array of dimension 0".to_string(),
                        span,
                    ));
                }
                if n == 1 {
                    return Ok(scalar);
                }
                let dtype = match scalar {
                    // NumPy's dtypes: min and max keep the array's; any and all are bool, argmin
                    // and argmax int64; a float32 array's sum, product, mean, var and std stay
                    // float32 (computed here in float64, rounded once); an unsigned array sums
                    // and multiplies to uint64.
                    _ if matches!(f, R::Min | R::Max) => a.dtype,
                    _ if matches!(f, R::Any | R::All | R::Argmin | R::Argmax) => Dtype::of_scalar(&scalar),
                    _ if a.dtype == Dtype::Float32 => Dtype::Float32,
                    _ if matches!(f, R::Sum | R::Prod) && a.dtype.row().kind == b'u' => Dtype::UInt64,
                    t => Dtype::of_scalar(&t),
                };
                Type::Array(ArrayType { dtype, ndim: a.ndim - 1, layout: Layout::C, readonly: false })
            }
            Type::Unknown => Type::Unknown,
            t => {
                return Err(self.not_an_array(value, &t).unwrap_or_else(|| {
                    CompileError::typing(
                        "reduction of a non-array",
                        format!("{}() of {}; reductions take an array", f.name(), type_name(&t)),
                        span,
                    )
                }))
            }
        })
    }

    /// The type of an array attribute (`a.shape`, `a.ndim`, `a.size`) of `value`.
    pub(super) fn attr(&mut self, attr: hir::Attr, value: &hir::Expr, span: Span) -> Result<Type> {
        Ok(match self.expr(value)? {
            Type::Array(a) => match attr {
                hir::Attr::Shape => Type::tuple(vec![Type::Int64; a.ndim as usize]),
                hir::Attr::Ndim | hir::Attr::Size => Type::Int64,
                // A view of the parts, as NumPy's (strided: every other float).
                hir::Attr::Real | hir::Attr::Imag if a.dtype.is_complex() => {
                    let part = if a.dtype == crate::registry::Dtype::Complex64 {
                        crate::registry::Dtype::Float32
                    } else {
                        crate::registry::Dtype::Float64
                    };
                    Type::Array(crate::types::ArrayType { dtype: part, layout: crate::types::Layout::A, ..a })
                }
                hir::Attr::Real | hir::Attr::Imag => {
                    return Err(CompileError::unsupported_because(
                        "attribute access",
                        format!(".{} of a real array is not compiled (it is the array itself, or zeros)", attr.name()),
                        span,
                    ))
                }
            },
            Type::Unknown => Type::Unknown,
            // Of a number: its parts (Python's `(3).real` is 3, `(2.5).imag` 0.0; a bool's are ints).
            t if t.is_number() && matches!(attr, hir::Attr::Real | hir::Attr::Imag) => match t {
                Type::Bool => Type::Int64,
                t => t.complex_part(),
            },
            t => {
                return Err(self.not_an_array(value, &t).unwrap_or_else(|| {
                    CompileError::typing(
                        "attribute access",
                        format!("{} has no attribute '{}'", type_name(&t), attr.name()),
                        span,
                    )
                }))
            }
        })
    }

    /// Types the parts of an index into a value whose type is not known yet: each item, and
    /// each bound of a slice.
    pub(super) fn index_parts(&mut self, index: &hir::Expr) -> Result<()> {
        for item in index_items(index) {
            match &item.kind {
                hir::ExprKind::Slice { lower, upper, step } => {
                    for part in [lower, upper, step].into_iter().flatten() {
                        self.expr(part)?;
                    }
                }
                _ => {
                    self.expr(item)?;
                }
            }
        }
        Ok(())
    }

    /// [`hir::ExprKind::Unravel`]: a tuple of as many int64 as `shape` has axes.
    pub(super) fn unravel(&mut self, flat: &hir::Expr, shape: &hir::Expr) -> Result<Type> {
        if !self.expr(flat)?.is_integer_or_unknown() {
            return Err(CompileError::typing("flat index", "a flat index must be an integer".to_string(), flat.span));
        }
        Ok(match self.shape_axes(shape)? {
            Some(n) => Type::tuple(vec![Type::Int64; n]),
            None => Type::Unknown,
        })
    }

    /// The number of axes of `shape` (an int: 1, or a tuple of ints); None while it is unknown.
    pub(super) fn shape_axes(&mut self, shape: &hir::Expr) -> Result<Option<usize>> {
        match self.expr(shape)? {
            Type::Unknown => Ok(None),
            t if t.is_integer_or_unknown() => Ok(Some(1)),
            Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown() && t.is_known()) => Ok(Some(ts.len())),
            Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown()) => Ok(None),
            t => Err(CompileError::typing(
                "array shape",
                format!("a shape is an int or a tuple of ints, not {}", type_name(&t)),
                shape.span,
            )),
        }
    }

    /// `a.reshape(shape)`: C-contiguous, of as many axes as the shape has items.
    pub(super) fn reshape(&mut self, value: &hir::Expr, shape: &hir::Expr, span: Span) -> Result<Type> {
        let vt = self.expr(value)?;
        let ndim = match self.expr(shape)? {
            t if t.is_integer_or_unknown() => 1,
            Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown()) => ts.len(),
            t => {
                return Err(CompileError::typing(
                    "array shape",
                    format!("a shape is an int or a tuple of ints, not {}", type_name(&t)),
                    shape.span,
                ))
            }
        };
        if ndim > u8::MAX as usize {
            return Err(CompileError::typing("array shape", format!("a shape of {ndim} axes"), shape.span));
        }
        Ok(match vt {
            Type::Array(a) => Type::Array(ArrayType { ndim: ndim as u8, layout: Layout::C, ..a }),
            Type::Unknown => Type::Unknown,
            t => return Err(self.array_only(value, &t, "reshape", span)),
        })
    }

    /// `a.T`, `np.transpose(a, axes)`: the axes permuted; C and F swap when they are reversed.
    pub(super) fn transpose(&mut self, value: &hir::Expr, axes: &Option<Vec<i64>>, span: Span) -> Result<Type> {
        let a = match self.expr(value)? {
            Type::Array(a) => a,
            // A number's transpose is itself, as a NumPy scalar's `.T` (and `a[..., i]` of a
            // 1-D array, `a.T[i].T`, an element).
            t if t.is_number() => return Ok(t),
            Type::Unknown => return Ok(Type::Unknown),
            t => return Err(self.array_only(value, &t, "transpose", span)),
        };
        let n = a.ndim as usize;
        let reversed = match axes {
            None => true,
            Some(axes) => {
                let perm = normalized_axes(axes, n).map_err(|why| CompileError::typing("transpose axes", why, span))?;
                if perm.iter().enumerate().all(|(i, &p)| p == i) {
                    return Ok(Type::Array(a));
                }
                perm.iter().enumerate().all(|(i, &p)| p == n - 1 - i)
            }
        };
        let layout = match (a.layout, reversed || n <= 1) {
            (_, _) if n <= 1 => a.layout,
            (Layout::C, true) => Layout::F,
            (Layout::F, true) => Layout::C,
            _ => Layout::A,
        };
        Ok(Type::Array(ArrayType { layout, ..a }))
    }

    /// The error for an array function given something else.
    fn array_only(&self, value: &hir::Expr, t: &Type, what: &str, span: Span) -> CompileError {
        self.not_an_array(value, t).unwrap_or_else(|| {
            CompileError::typing("array function", format!("{what} takes an array, not {}", type_name(t)), span)
        })
    }
}

/// `axes` (negative ones counted from the end) as a permutation of `0..ndim`, or why it is not
/// one (NumPy's messages).
pub(crate) fn normalized_axes(axes: &[i64], ndim: usize) -> std::result::Result<Vec<usize>, String> {
    if axes.len() != ndim {
        return Err("axes don't match array".to_string());
    }
    let mut seen = vec![false; ndim];
    let mut out = Vec::new();
    for &x in axes {
        let k = if x < 0 { x + ndim as i64 } else { x };
        if k < 0 || k >= ndim as i64 {
            return Err(format!("axis {x} is out of bounds for array of dimension {ndim}"));
        }
        if std::mem::replace(&mut seen[k as usize], true) {
            return Err("repeated axis in transpose".to_string());
        }
        out.push(k as usize);
    }
    Ok(out)
}

/// NumPy's dtype for `np.array` of numbers of these types: bool if all are bools, float32 if
/// all are float32, float64 if any is a float (or a uint64 meets a signed int, as NumPy
/// promotes them), uint64 for uint64s (with bools), else int64; float64 for no numbers.
fn literal_dtype(tys: &[Type]) -> Dtype {
    let any = |t: Type| tys.contains(&t);
    if tys.iter().any(Type::is_complex) {
        if tys.iter().all(|t| matches!(t, Type::Complex64 | Type::Float32 | Type::Bool)) {
            Dtype::Complex64
        } else {
            Dtype::Complex128
        }
    } else if tys.is_empty() {
        Dtype::Float64
    } else if tys.iter().all(|t| *t == Type::Bool) {
        Dtype::Bool
    } else if tys.iter().all(|t| *t == Type::Float32) {
        Dtype::Float32
    } else if any(Type::Float64) || any(Type::Float32) || (any(Type::UInt64) && any(Type::Int64)) {
        Dtype::Float64
    } else if any(Type::UInt64) {
        Dtype::UInt64
    } else {
        Dtype::Int64
    }
}

impl InferCx<'_> {
    /// Complex arrays are compiled in some operations only (element access, views, shapes,
    /// calls, new arrays, copies): any other operation on one, or making one, is a
    /// CompileError rather than code that would treat its elements as reals.
    pub(super) fn complex_arrays_compiled(&self, e: &hir::Expr, t: &Type) -> Result<()> {
        let complex = |t: &Type| t.array().is_some_and(|a| a.dtype.is_complex());
        let types = &self.specs[self.current].expr_types;
        if !(complex(t) || e.kind.children().iter().any(|c| complex(&types[c.id as usize]))) {
            return Ok(());
        }
        let what = match &e.kind {
            H::Local { .. }
            | H::Tuple(_)
            | H::Call { .. }
            | H::CallValue { .. }
            | H::Attr { .. }
            | H::Reshape { .. }
            | H::Transpose { .. } => return Ok(()),
            H::Subscript { .. } => return Ok(()),
            // An array's `copy()`/`sort()` (its array form is checked as it is typed).
            H::ListMethod { .. } => return Ok(()),
            // What a `for` loop iterates over: the array itself.
            H::DictMethod { method: hir::DictMethod::Iter, .. } => return Ok(()),
            H::New(
                hir::NewArray::Filled { .. }
                | hir::NewArray::Like { .. }
                | hir::NewArray::Copy { .. }
                | hir::NewArray::Items { .. },
            ) => return Ok(()),
            // Array expressions and matrix products (inference checked the operators and
            // functions), np.linalg (infer/linalg.rs checks which take complex matrices).
            H::Binary { .. } | H::Intrinsic { f: hir::Intrinsic::Linalg(_), .. } => return Ok(()),
            H::Unary { .. } | H::Compare { .. } | H::Out { .. } => return Ok(()),
            H::Intrinsic { f: hir::Intrinsic::Np(f), .. } if super::ufuncs::takes_complex(*f) => return Ok(()),
            H::Intrinsic { f: hir::Intrinsic::Abs | hir::Intrinsic::Len, .. } => return Ok(()),
            H::Intrinsic { .. } => "this function of complex arrays",
            // The whole array's sum, prod, mean, any, all (arrays.rs refuses the others).
            H::Reduce { axis: None, .. } => return Ok(()),
            H::Reduce { .. } => "a reduction of a complex array along an axis",
            _ => "this operation on complex arrays",
        };
        Err(CompileError::unsupported_because("complex arrays", format!("{what} is not compiled yet"), e.span))
    }
}
