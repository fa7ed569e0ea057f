//! Lowering of NumPy: the array constructors (`np.zeros`, ...), their `dtype=`, and the array
//! methods and functions (`a.sum()`, `a.copy()`, `a.reshape(...)`, `np.transpose(a)`, ...).

use super::{GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::registry::{self, ArrayFn, ArrayMethod, NewFn};

impl Lowerer<'_> {
    /// `np.array(e)` of a list or tuple written out (`[a, b]`, `((1, 2), (3, 4))`).
    pub(super) fn array_of_display(&mut self, e: &ast::Expr) -> Result<hir::Expr> {
        let mut items = Vec::new();
        let shape = literal_shape(e, &mut items)?;
        let items = items.into_iter().map(|i| self.expr(i)).collect::<Result<_>>()?;
        self.allocates = true;
        Ok(self.mk(H::New(hir::NewArray::Items { items, shape, dtype: None }), e.span))
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
            NewFn::Array => 1,
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
            NewFn::Array => match &args[0].kind {
                A::List(_) | A::Tuple(_) => {
                    let mut items = Vec::new();
                    let shape = literal_shape(&args[0], &mut items)?;
                    let items = items.into_iter().map(|i| self.expr(i)).collect::<Result<_>>()?;
                    hir::NewArray::Items { items, shape, dtype }
                }
                _ => hir::NewArray::Copy { array: e(self, 0)?, dtype },
            },
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
    pub(super) fn dtype_of(&self, e: &ast::Expr) -> Result<hir::DtypeArg> {
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
        if let A::Str(s) = &e.kind {
            // NumPy's names of the compiled dtypes ('float32', 'int64', 'bool') and their
            // one-letter codes with a size ('f8', 'i4', 'u1'); '<'/'=' byte orders are the host's.
            let name = s.trim_start_matches(['<', '=', '|']);
            return Dtype::from_name(name)
                .or_else(|| Dtype::from_numpy_attr(name))
                .or_else(|| dtype_code(name))
                .map(hir::DtypeArg::Named)
                .ok_or_else(|| {
                    CompileError::unsupported_because(
                        "dtype",
                        format!(
                            "'{s}' is not a dtype compiled code has (bool, int8 ... int64, uint8 ... uint64, float32, float64, complex64, complex128)"
                        ),
                        e.span,
                    )
                });
        }
        if let A::Name(n) = &e.kind {
            if let Some(&id) = self.by_name.get(n) {
                return Ok(hir::DtypeArg::Local(id));
            }
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
                "a dtype must name a NumPy scalar type (np.float64, np.float32, np.int64, np.int32, np.bool_, ...), float, int, bool, a string naming one ('float32', 'f4'), np.dtype(...) of one, or an array variable's .dtype",
                e.span,
            )
        })
    }

    /// `value.sum()`, `value.copy()` and the other array methods, called on a value that is not
    /// a module.
    pub(super) fn array_method<'e>(&self, func: &'e ast::Expr) -> Option<(&'e ast::Expr, ArrayMethod)> {
        let A::Attribute { value, attr } = &func.kind else { return None };
        if let A::Name(m) = &value.kind {
            if !self.by_name.contains_key(m) && !matches!(self.global(m), super::GlobalValue::Array(_)) {
                return None; // a global: a module's function, resolved as a callee
            }
        }
        Some((&**value, registry::array_method(attr)?))
    }

    /// A call of an array function: `np.reshape(a, shape)` (`value` None: the array is the
    /// first argument) or the method `a.reshape(shape)` (`value` the array), and the others.
    pub(super) fn array_function(
        &mut self,
        f: ArrayMethod,
        value: Option<&ast::Expr>,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        let shown = match f {
            ArrayMethod::Array(a) if value.is_some() => format!("'.{}()'", a.name()),
            ArrayMethod::Array(a) => format!("'np.{}()'", a.name()),
            ArrayMethod::Flatten => "'.flatten()'".to_string(),
            ArrayMethod::Astype => "'.astype()'".to_string(),
            ArrayMethod::Reduce(_) | ArrayMethod::Dot | ArrayMethod::Conj => unreachable!("lowered by the caller"),
        };
        let wrong = |why: String| CompileError::typing("call with wrong arguments", format!("{shown} {why}"), span);
        if let Some(k) = keywords.first() {
            let ok = matches!(
                (f, k.name.as_str()),
                (ArrayMethod::Astype, "dtype")
                    | (ArrayMethod::Array(ArrayFn::Reshape), "newshape" | "shape")
                    | (ArrayMethod::Array(ArrayFn::Transpose), "axes")
                    | (ArrayMethod::Array(ArrayFn::ExpandDims), "axis")
            ) && keywords.len() == 1;
            if !ok {
                return Err(CompileError::unsupported_because(
                    "keyword argument to an array function",
                    format!("'{}=' is not compiled for {shown}", k.name),
                    k.span,
                ));
            }
        }
        // The array, then the other arguments (a keyword's value last).
        let (array, rest): (&ast::Expr, Vec<&ast::Expr>) = match value {
            Some(v) => (v, args.iter().chain(keywords.iter().map(|k| &k.value)).collect()),
            None => {
                let Some((first, rest)) = args.split_first() else {
                    return Err(wrong("takes an array, 0 arguments given".to_string()));
                };
                (first, rest.iter().chain(keywords.iter().map(|k| &k.value)).collect())
            }
        };
        let array_e = self.expr(array)?;
        Ok(match f {
            ArrayMethod::Array(ArrayFn::Copy) | ArrayMethod::Flatten | ArrayMethod::Astype => {
                let dtype = if f == ArrayMethod::Astype {
                    let [d] = rest[..] else {
                        return Err(wrong(format!("takes one dtype, {} given", rest.len())));
                    };
                    Some(self.dtype_of(d)?)
                } else {
                    if let Some(a) = rest.first() {
                        return Err(CompileError::unsupported_because(
                            "array method argument",
                            format!("{shown} takes no arguments here (order= is not compiled)"),
                            a.span,
                        ));
                    }
                    None
                };
                self.allocates = true;
                let copy = H::New(hir::NewArray::Copy { array: Box::new(array_e), dtype });
                if f != ArrayMethod::Flatten {
                    return Ok(copy);
                }
                let copy = self.mk(copy, span);
                H::Reshape { value: Box::new(copy), shape: Box::new(self.mk(H::Int(-1), span)) }
            }
            ArrayMethod::Array(ArrayFn::Ravel) => {
                if let Some(a) = rest.first() {
                    return Err(CompileError::unsupported_because(
                        "array function argument",
                        format!("{shown} takes no order here (order= is not compiled)"),
                        a.span,
                    ));
                }
                self.allocates = true;
                H::Reshape { value: Box::new(array_e), shape: Box::new(self.mk(H::Int(-1), span)) }
            }
            ArrayMethod::Array(ArrayFn::Reshape) => {
                let shape = match rest[..] {
                    [] => return Err(wrong("takes a shape".to_string())),
                    [one] => self.expr(one)?,
                    // `a.reshape(2, 3)`: the dimensions as separate arguments.
                    ref many if value.is_some() => {
                        let items = many.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>()?;
                        self.mk(H::Tuple(items), span)
                    }
                    _ => return Err(wrong(format!("takes an array and a shape, {} arguments given", args.len()))),
                };
                self.allocates = true;
                H::Reshape { value: Box::new(array_e), shape: Box::new(shape) }
            }
            ArrayMethod::Array(ArrayFn::AsArray) => {
                if let Some(a) = rest.first() {
                    return Err(CompileError::unsupported_because(
                        "array function argument",
                        format!("{shown} takes one array or list here (dtype= and order= are not compiled)"),
                        a.span,
                    ));
                }
                H::Intrinsic { f: hir::Intrinsic::AsArray, args: vec![array_e] }
            }
            ArrayMethod::Array(ArrayFn::ExpandDims) => {
                // `a[:, ..., :, None]`: a view with a new axis of size 1 at `axis`.
                let axis = match rest[..] {
                    [e] => match &e.kind {
                        A::Int(k) if *k >= 0 => *k,
                        // A negative axis counts from the end: `a[..., None, :, ..., :]`.
                        A::Int(k) => return self.new_axis_from_end(array, -*k, span),
                        A::Unary { op: ast::UnaryOp::Neg, operand } if matches!(operand.kind, A::Int(k) if k > 0) => {
                            let A::Int(k) = operand.kind else { unreachable!("just matched") };
                            return self.new_axis_from_end(array, k, span);
                        }
                        _ => {
                            return Err(CompileError::unsupported_because(
                                "axis",
                                "np.expand_dims() takes an axis that is an integer literal here",
                                e.span,
                            ))
                        }
                    },
                    _ => return Err(wrong(format!("takes an array and an axis, {} arguments given", args.len()))),
                };
                let mut items: Vec<hir::Expr> =
                    (0..axis).map(|_| self.mk(H::Slice { lower: None, upper: None, step: None }, span)).collect();
                items.push(self.mk(H::None, span));
                let index = self.mk(H::Tuple(items), span);
                H::Subscript { value: Box::new(array_e), index: Box::new(index) }
            }
            ArrayMethod::Array(ArrayFn::Transpose) => {
                let literal = |e: &ast::Expr| -> Option<i64> {
                    match &e.kind {
                        A::Int(i) => Some(*i),
                        A::Unary { op: ast::UnaryOp::Neg, operand } => match operand.kind {
                            A::Int(i) => Some(-i),
                            _ => None,
                        },
                        _ => None,
                    }
                };
                let axes_of = |es: &[&ast::Expr]| -> Result<Vec<i64>> {
                    es.iter()
                        .map(|e| {
                            literal(e).ok_or_else(|| {
                                CompileError::unsupported_because("axes", "transpose axes must be integer literals", e.span)
                            })
                        })
                        .collect()
                };
                let axes = match rest[..] {
                    [] => None,
                    [one] => match &one.kind {
                        A::None => None,
                        A::Tuple(items) => Some(axes_of(&items.iter().collect::<Vec<_>>())?),
                        _ if value.is_some() => Some(axes_of(&[one])?),
                        _ => {
                            return Err(CompileError::unsupported_because(
                                "axes",
                                "transpose axes must be a tuple of integer literals",
                                one.span,
                            ))
                        }
                    },
                    ref many if value.is_some() => Some(axes_of(many)?),
                    _ => return Err(wrong(format!("takes an array and optional axes, {} arguments given", args.len()))),
                };
                H::Transpose { value: Box::new(array_e), axes }
            }
            ArrayMethod::Reduce(_) | ArrayMethod::Dot | ArrayMethod::Conj => unreachable!("handled above"),
        })
    }

    /// `np.add(a, b)` and the other operator ufuncs: the operator itself. `out=` and the other
    /// ufunc keywords are not compiled.
    pub(super) fn operator_call(
        &mut self,
        op: registry::OperatorFn,
        name: &str,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        use registry::OperatorFn as O;
        if let Some(k) = keywords.first() {
            return Err(CompileError::unsupported_because(
                "keyword argument to a NumPy function",
                format!("'{}=' is not compiled for {name}()", k.name),
                k.span,
            ));
        }
        let want = if matches!(op, O::Unary(_)) { 1 } else { 2 };
        if args.len() != want {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{name}() takes {want} argument{} here, {} given", if want == 1 { "" } else { "s" }, args.len()),
                span,
            ));
        }
        let mut e = args.iter().map(|a| self.expr(a).map(Box::new)).collect::<Result<Vec<_>>>()?.into_iter();
        let mut next = || e.next().expect("arity checked");
        Ok(match op {
            O::Binary(op) => H::Binary { op, left: next(), right: next() },
            O::Compare(op) => H::Compare { left: next(), ops: vec![op], comparators: vec![*next()] },
            O::Unary(op) => H::Unary { op, operand: next() },
        })
    }
}

/// The dtype of a NumPy type code with a size: `'f8'`, `'i4'`, `'u1'`, `'b1'`, `'?'`.
fn dtype_code(code: &str) -> Option<crate::types::Dtype> {
    use crate::types::Dtype;
    if code == "?" {
        return Some(Dtype::Bool);
    }
    let (kind, size) = code.split_at_checked(1)?;
    let size: u64 = size.parse().ok()?;
    Dtype::from_kind_size(kind.as_bytes()[0], size)
}

impl Lowerer<'_> {
    /// The `axis` of a reduction: the argument at position `at` (after the array, for
    /// `np.sum(a, 1)`; the first, for `a.sum(1)`) or `axis=`: an int literal, or an expression
    /// whose value is checked when the code runs.
    pub(super) fn reduce_axis(
        &mut self,
        r: hir::Reduction,
        args: &[ast::Expr],
        at: usize,
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<hir::Axis>> {
        let mut given = args.get(at);
        if args.len() > at + 1 {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{}() takes an array and an optional axis here, {} arguments given", r.name(), args.len()),
                span,
            ));
        }
        for k in keywords {
            if k.name != "axis" || given.is_some() {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a reduction",
                    format!("'{}=' is not compiled for {}() (only axis=, once)", k.name, r.name()),
                    k.span,
                ));
            }
            given = Some(&k.value);
        }
        let Some(e) = given else { return Ok(None) };
        let literal = match &e.kind {
            ast::ExprKind::Int(i) => Some(*i),
            ast::ExprKind::Unary { op: ast::UnaryOp::Neg, operand } => match operand.kind {
                ast::ExprKind::Int(i) => Some(-i),
                _ => None,
            },
            ast::ExprKind::None => return Ok(None),
            _ => None,
        };
        Ok(Some(match literal {
            Some(k) => hir::Axis::Const(k),
            None => hir::Axis::Var(Box::new(self.expr(e)?)),
        }))
    }
}

/// The shape of the nested list (or tuple) literal `e`, its numbers appended to `items` in C
/// order: as NumPy reads `np.array([[1, 2], [3, 4]])`. Rows of unequal lengths (NumPy's ragged
/// "inhomogeneous shape" ValueError) are a CompileError.
fn literal_shape<'e>(e: &'e ast::Expr, items: &mut Vec<&'e ast::Expr>) -> Result<Vec<usize>> {
    let (A::List(parts) | A::Tuple(parts)) = &e.kind else {
        items.push(e);
        return Ok(Vec::new());
    };
    let mut inner: Option<Vec<usize>> = None;
    for p in parts {
        let s = literal_shape(p, items)?;
        match &inner {
            Some(first) if *first != s => {
                return Err(CompileError::typing(
                    "np.array() argument",
                    "setting an array element with a sequence: the rows have different lengths (an inhomogeneous shape)",
                    p.span,
                ))
            }
            _ => inner = Some(s),
        }
    }
    let mut shape = vec![parts.len()];
    shape.extend(inner.unwrap_or_default());
    Ok(shape)
}

impl Lowerer<'_> {
    /// `np.expand_dims(a, -k)`: `a[..., None, :, ..., :]` with `k - 1` full slices after the
    /// new axis (the `...` written out by `ellipsis::read`).
    fn new_axis_from_end(&mut self, array: &ast::Expr, k: i64, span: Span) -> Result<hir::ExprKind> {
        let mk = |kind| ast::Expr { kind, span };
        let mut items = vec![mk(A::Ellipsis), mk(A::None)];
        items.extend((1..k).map(|_| mk(A::Slice { lower: None, upper: None, step: None })));
        let index = mk(A::Tuple(items));
        let read = super::ellipsis::read(array, &index, span)?.expect("the index holds a `...`");
        Ok(self.expr(&read)?.kind)
    }
}

/// Whether `targets = value` stores a tuple or list written out (`(a, b)`, `[a, b]`) through an
/// index with a slice (`v[:-1] = (a, b)`): NumPy stores the array made of it, element by element.
pub(super) fn sequence_into_slice(targets: &[ast::Target], value: &ast::Expr) -> bool {
    let is_slice = |e: &ast::Expr| matches!(e.kind, A::Slice { .. });
    let sliced = |t: &ast::Target| match t {
        ast::Target::Subscript { index, .. } => match &index.kind {
            A::Tuple(items) => items.iter().any(is_slice),
            _ => is_slice(index),
        },
        _ => false,
    };
    matches!(value.kind, A::Tuple(_) | A::List(_)) && targets.len() == 1 && sliced(&targets[0])
}
