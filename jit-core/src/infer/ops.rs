//! Typing of operators: the result type of `left op right` (NumPy's and Numba's promotion,
//! integer literals taking the type of the integer beside them) and of `op operand`, and their
//! errors.

use crate::ast::{BinOp, CmpOp, Span, UnaryOp};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::registry::Dtype;
use crate::types::{promote_dtypes, ArrayType, Layout, Type};

use super::{type_name, InferCx};

/// Whether an exponent expression is a literal negative integer (`2 ** -1` is a float in Python).
fn is_negative_literal(e: &hir::Expr) -> bool {
    match &e.kind {
        H::Int(i) => *i < 0,
        H::Unary { op: UnaryOp::Neg, operand } => matches!(operand.kind, H::Int(i) if i > 0),
        _ => false,
    }
}

/// The dtype of an array expression's operands together, NumPy 2's way (NEP 50): arrays (and
/// float32 scalars, which only come from float32 arrays) are strong and promote as
/// [`promote_dtypes`] says; the other scalars of compiled code (bool, int, float, whatever they
/// came from) are weak, as Python's numbers are: they take the array's dtype unless they are of
/// a higher kind (bool < integer < float), then int64 or float64. `None` when neither operand
/// is an array or a float32.
pub(crate) fn elementwise_dtype(l: &Type, r: &Type) -> Option<Dtype> {
    /// A strong dtype, or a weak scalar's kind rank and its default dtype.
    fn strength(t: &Type) -> Option<Result<Dtype, (u8, Dtype)>> {
        Some(match t {
            Type::Array(a) => Ok(a.dtype),
            Type::Float32 => Ok(Dtype::Float32),
            Type::UInt64 => Ok(Dtype::UInt64),
            Type::Bool => Err((0, Dtype::Bool)),
            Type::Int64 => Err((1, Dtype::Int64)),
            Type::Float64 => Err((2, Dtype::Float64)),
            Type::Complex64 => Ok(Dtype::Complex64),
            Type::Complex128 => Err((3, Dtype::Complex128)),
            _ => return None,
        })
    }
    fn rank(d: Dtype) -> u8 {
        match d {
            Dtype::Bool => 0,
            d if d.is_complex() => 3,
            d if d.is_float() => 2,
            _ => 1,
        }
    }
    match (strength(l)?, strength(r)?) {
        (Ok(a), Ok(b)) => Some(promote_dtypes(a, b)),
        (Ok(d), Err((k, default))) | (Err((k, default)), Ok(d)) => Some(if k <= rank(d) { d } else { default }),
        (Err(_), Err(_)) => None,
    }
}

/// The array an elementwise operation on operands of types `ts` makes: dtype `dtype`, as many
/// dimensions as its operand with the most, C-contiguous.
fn elementwise_array(dtype: Dtype, ts: &[&Type]) -> Type {
    let ndim = ts.iter().filter_map(|t| t.array()).map(|a| a.ndim).max().unwrap_or(0);
    Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false })
}

/// The type of `l op r` where one side is an array: an array of NumPy's result dtype (the
/// operands' [`elementwise_dtype`]; `/` of integers float64; comparisons bool; `+` and `*` of
/// bools are bool, as NumPy's `or` and `and`).
fn array_binary_type(op: BinOp, l: &Type, r: &Type, span: Span) -> Result<Type> {
    let unsupported = |why: &str| {
        CompileError::typing(
            "binary operator on arrays",
            format!("unsupported operand types for {}: {} and {}{why}", op.symbol(), type_name(l), type_name(r)),
            span,
        )
    };
    for t in [l, r] {
        if !(t.is_number() || t.array().is_some() || *t == Type::Unknown) {
            return Err(unsupported(""));
        }
    }
    if *l == Type::Unknown || *r == Type::Unknown {
        return Ok(Type::Unknown);
    }
    let d = elementwise_dtype(l, r).expect("one operand is an array");
    let dtype = match op {
        _ if d.is_complex() && !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Pow) => {
            return Err(unsupported(" (NumPy has no such operator on complex arrays)"))
        }
        BinOp::Div if !d.is_float() && !d.is_complex() => Dtype::Float64,
        BinOp::Div => d,
        BinOp::Add | BinOp::Mul | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor if d == Dtype::Bool => Dtype::Bool,
        // NumPy computes these of bools in int8 (`a // a`, `a % True`, `a << a`, `a ** a`).
        BinOp::FloorDiv | BinOp::Mod | BinOp::LShift | BinOp::RShift | BinOp::Pow if d == Dtype::Bool => Dtype::Int8,
        _ if d == Dtype::Bool => return Err(unsupported(" (NumPy gives no such operator on bool arrays: convert with astype)")),
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::LShift | BinOp::RShift if d.is_float() => {
            return Err(unsupported(""))
        }
        _ => d,
    };
    Ok(elementwise_array(dtype, &[l, r]))
}

/// The order of dtype kinds NumPy's `same_kind` casting follows: bool < unsigned < signed <
/// float < complex (a value may be stored into a dtype of its kind or a higher one).
pub(super) fn kind_rank(d: Dtype) -> u8 {
    match d {
        Dtype::Bool => 0,
        d if d.is_complex() => 4,
        d if d.is_float() => 3,
        d if d.is_signed() => 2,
        _ => 1,
    }
}

/// NumPy's `same_kind` rule for `a op= v` into array `a`: the result (type `t`) may be stored
/// into `a`'s dtype only if its kind is not higher (bool < unsigned < signed < float, as
/// `np.can_cast(..., 'same_kind')` says): `int_array += 1.5` and `uint8_array += int8_array`
/// are NumPy's UFuncTypeError, a CompileError here. An array result of more dimensions than `a`
/// does not fit either.
pub(super) fn check_same_kind(op: BinOp, t: &Type, a: ArrayType, span: Span) -> Result<()> {
    let Type::Array(r) = t else { return Ok(()) };
    if kind_rank(r.dtype) > kind_rank(a.dtype) {
        return Err(CompileError::typing(
            "augmented assignment of an array",
            format!(
                "Cannot cast ufunc '{}' output from dtype('{}') to dtype('{}') with casting rule 'same_kind'",
                ufunc_name(op),
                r.dtype.name(),
                a.dtype.name()
            ),
            span,
        ));
    }
    if r.ndim > a.ndim {
        return Err(CompileError::typing(
            "augmented assignment of an array",
            format!("could not broadcast a {}-dimensional result into a {}-dimensional array", r.ndim, a.ndim),
            span,
        ));
    }
    Ok(())
}

/// NumPy's name for the ufunc of an operator.
fn ufunc_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mul => "multiply",
        BinOp::Div => "divide",
        BinOp::FloorDiv => "floor_divide",
        BinOp::Mod => "remainder",
        BinOp::Pow => "power",
        BinOp::BitAnd => "bitwise_and",
        BinOp::BitOr => "bitwise_or",
        BinOp::BitXor => "bitwise_xor",
        BinOp::LShift => "left_shift",
        BinOp::RShift => "right_shift",
        BinOp::MatMul => "matmul",
        BinOp::Dot => "dot",
    }
}

/// An operand of `np.dot` as its scalar rule sees it: a number or a 0-d array (NumPy's
/// `PyArray_MatrixProduct2` multiplies then), or an array of 1 or more dimensions.
#[derive(Clone, Copy)]
pub(crate) enum DotOperand {
    Scalar(Dtype),
    Array(Dtype, u8),
}

/// `t` as an operand of `np.dot`: every number is strong there, as NumPy converts it to an
/// array first (`np.dot(2.0, float32_array)` is float64, a Python int int64); `None` for a
/// type that is neither a number nor an array.
pub(crate) fn dot_scalar_dtype(t: &Type) -> Option<DotOperand> {
    Some(match t {
        Type::Array(a) if a.ndim == 0 => DotOperand::Scalar(a.dtype),
        Type::Array(a) => DotOperand::Array(a.dtype, a.ndim),
        Type::Bool => DotOperand::Scalar(Dtype::Bool),
        Type::Int64 => DotOperand::Scalar(Dtype::Int64),
        Type::UInt64 => DotOperand::Scalar(Dtype::UInt64),
        Type::Float32 => DotOperand::Scalar(Dtype::Float32),
        Type::Float64 => DotOperand::Scalar(Dtype::Float64),
        Type::Complex64 => DotOperand::Scalar(Dtype::Complex64),
        Type::Complex128 => DotOperand::Scalar(Dtype::Complex128),
        _ => return None,
    })
}

/// The type of `np.dot(x, y)` where one of them is a number (or a 0-d array): NumPy's `x * y`
/// in the promoted dtype of both, an array of the other operand's dimensions (new,
/// C-contiguous), or a number when both are numbers.
pub(crate) fn dot_scalar_type(x: DotOperand, y: DotOperand) -> Type {
    let parts = |o: DotOperand| match o {
        DotOperand::Scalar(d) => (d, 0),
        DotOperand::Array(d, n) => (d, n),
    };
    let ((dx, nx), (dy, ny)) = (parts(x), parts(y));
    let dtype = promote_dtypes(dx, dy);
    match nx.max(ny) {
        0 => dtype.element(),
        ndim => Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false }),
    }
}

/// The type of a matrix product `l @ r` / `np.dot(l, r)` of 1-D and 2-D arrays: the promoted
/// dtype; a number for two vectors, else a new C-contiguous array of the axes left.
fn matmul_type(op: BinOp, l: &Type, r: &Type, span: Span) -> Result<Type> {
    if *l == Type::Unknown || *r == Type::Unknown {
        return Ok(Type::Unknown);
    }
    let name = if op == BinOp::Dot { "np.dot" } else { "matmul" };
    if op == BinOp::Dot {
        if let (Some(x), Some(y)) = (dot_scalar_dtype(l), dot_scalar_dtype(r)) {
            if matches!(x, DotOperand::Scalar(_)) || matches!(y, DotOperand::Scalar(_)) {
                return Ok(dot_scalar_type(x, y));
            }
        }
    }
    let (Some(a), Some(b)) = (l.array(), r.array()) else {
        let why = format!("{name} takes two arrays, not {} and {}", type_name(l), type_name(r));
        return Err(CompileError::typing("matrix product", why, span));
    };
    let dtype = promote_dtypes(a.dtype, b.dtype);
    if op == BinOp::Dot && a.ndim >= 1 && b.ndim >= 1 && (a.ndim > 2 || b.ndim > 2) {
        // NumPy's dot of more dimensions: the sums over a's last axis and b's second-to-last
        // (its only one if 1-D), the result's axes a's others then b's others.
        return Ok(Type::Array(ArrayType { dtype, ndim: a.ndim + b.ndim - 2, layout: Layout::C, readonly: false }));
    }
    if op == BinOp::MatMul && a.ndim >= 1 && b.ndim >= 1 && (a.ndim > 2 || b.ndim > 2) {
        // Stacks of matrices (NumPy's matmul): the leading axes broadcast, then the product's.
        let batch = a.ndim.saturating_sub(2).max(b.ndim.saturating_sub(2));
        let ndim = batch + u8::from(a.ndim >= 2) + u8::from(b.ndim >= 2);
        return Ok(Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false }));
    }
    if !(1..=2).contains(&a.ndim) || !(1..=2).contains(&b.ndim) {
        return Err(CompileError::unsupported_because(
            "matrix product",
            format!("{name} of a {}-D and a {}-D array: products of arrays of 1 or more dimensions are compiled", a.ndim, b.ndim),
            span,
        ));
    }
    Ok(match (a.ndim, b.ndim) {
        (1, 1) => dtype.row().element.clone(),
        (x, y) => Type::Array(ArrayType { dtype, ndim: x + y - 2, layout: Layout::C, readonly: false }),
    })
}

/// The type of `l op r` (`right` is the right operand, for `x ** -2`).
/// `a + b` of two lists (a new list of both's items, unified), `l * n` and `n * l` (repeated).
fn list_binary_type(op: BinOp, l: &Type, r: &Type, span: Span) -> Result<Type> {
    let bad = || {
        CompileError::typing(
            "binary operator",
            format!("unsupported operand types for {}: {} and {}", op.symbol(), type_name(l), type_name(r)),
            span,
        )
    };
    match (op, l, r) {
        (BinOp::Add, Type::List(_), Type::List(_)) => l.unify(r).map_err(|_| bad()),
        (BinOp::Mul, Type::List(_), n) | (BinOp::Mul, n, Type::List(_)) if n.is_integer_or_unknown() => {
            Ok(if matches!(l, Type::List(_)) { l.clone() } else { r.clone() })
        }
        _ => Err(bad()),
    }
}

fn binary_type(op: BinOp, l: &Type, r: &Type, right: &hir::Expr, span: Span) -> Result<Type> {
    if l.array().is_some() || r.array().is_some() {
        return array_binary_type(op, l, r, span);
    }
    for t in [l, r] {
        if !(t.is_number() || *t == Type::Unknown) {
            return Err(CompileError::typing(
                "binary operator",
                format!("unsupported operand types for {}: {} and {}", op.symbol(), type_name(l), type_name(r)),
                span,
            ));
        }
    }
    if *l == Type::Unknown || *r == Type::Unknown {
        return Ok(Type::Unknown);
    }
    if l.is_complex() || r.is_complex() {
        // Python's complex has + - * / ** only (`//` and `%` are TypeErrors, as in CPython).
        return match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Pow => Ok(l.arith(r)),
            _ => Err(CompileError::typing(
                "binary operator",
                format!("unsupported operand types for {}: {} and {}", op.symbol(), type_name(l), type_name(r)),
                span,
            )),
        };
    }
    let float = l.is_float() || r.is_float();
    // float32 op float32 (or bool) stays float32, as in NumPy and Numba.
    let f32_result = l.arith(r) == Type::Float32;
    Ok(match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::FloorDiv | BinOp::Mod => l.arith(r),
        BinOp::Div if f32_result => Type::Float32,
        BinOp::Div => Type::Float64,
        BinOp::Pow => {
            // float32 ** an integer stays float32, as Numba types it (float32 ** intp) and as
            // NumPy computes `np.float32(x) ** 2`.
            if f32_result || (*l == Type::Float32 && matches!(r, Type::Int64 | Type::UInt64)) {
                Type::Float32
            } else if l.arith(r) == Type::Float64 || is_negative_literal(right) {
                Type::Float64
            } else {
                l.arith(r)
            }
        }
        BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor if float => {
            return Err(CompileError::typing(
                "binary operator",
                format!("unsupported operand types for {}: {} and {}", op.symbol(), type_name(l), type_name(r)),
                span,
            ))
        }
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor if *l == Type::Bool && *r == Type::Bool => Type::Bool,
        // Shifts keep the left operand's type (Numba's rule); bitwise operators as arithmetic.
        BinOp::LShift | BinOp::RShift if *l == Type::UInt64 => Type::UInt64,
        BinOp::LShift | BinOp::RShift => Type::Int64,
        _ => l.arith(r),
    })
}

/// `a @= b` of an array local `a` (type `l`): NumPy's in-place matmul takes an `a` of 1 or
/// more dimensions and a `b` of 2 or more (else its ValueError, a CompileError here: the
/// numbers of dimensions are known), and writes a product of a's dimensions only.
pub(super) fn check_matmul_aug(l: &Type, r: &Type, span: Span) -> Result<()> {
    let Some(a) = l.array() else { return Ok(()) }; // a number: as `x = x @ v`
    let Some(b) = r.array() else { return Ok(()) }; // not an array: matmul's error
    if a.ndim < 1 || b.ndim < 2 {
        return Err(CompileError::typing(
            "augmented assignment '@='",
            format!(
                "inplace matrix multiplication requires the first operand to have at least one and the second at least two dimensions (NumPy's ValueError; here {}-D @= {}-D)",
                a.ndim, b.ndim
            ),
            span,
        ));
    }
    let product = if a.ndim == 1 { b.ndim - 1 } else { a.ndim.max(b.ndim) };
    if product > a.ndim {
        return Err(CompileError::typing(
            "augmented assignment '@='",
            format!(
                "the product of a {}-D and a {}-D array has {product} dimensions and cannot be written into the {}-D array (NumPy's ValueError: output operand requires a reduction along dimension -1, but the reduction is not enabled)",
                a.ndim, b.ndim, a.ndim
            ),
            span,
        ));
    }
    Ok(())
}

impl InferCx<'_> {
    /// The type of `left op right` where `left` has type `l` (an expression's, or the element or
    /// variable an augmented assignment reads): types `right`, then [`binary_type`].
    pub(super) fn binary(&mut self, op: BinOp, l: &Type, right: &hir::Expr, span: Span) -> Result<Type> {
        let r = self.expr(right)?;
        if matches!(op, BinOp::MatMul | BinOp::Dot) {
            return matmul_type(op, l, &r, span);
        }
        // `t + u` of tuples: their items, one after the other (`a.shape + (3, 3)`).
        match (op, l, &r) {
            (BinOp::Add, Type::Tuple(a), Type::Tuple(b)) if !a.is_record() && !b.is_record() => {
                return Ok(Type::tuple(a.iter().chain(b.iter()).cloned().collect()));
            }
            (BinOp::Add, Type::Unknown, Type::Tuple(_)) | (BinOp::Add, Type::Tuple(_), Type::Unknown) => {
                return Ok(Type::Unknown)
            }
            _ => {}
        }
        if matches!(l, Type::List(_)) || matches!(r, Type::List(_)) {
            self.specs[self.current].allocates = true;
            return list_binary_type(op, l, &r, span);
        }
        if *l == Type::Str || r == Type::Str {
            return self.string_binary(op, l, &r, span);
        }
        if matches!(l, Type::Set(_)) || matches!(r, Type::Set(_)) {
            self.specs[self.current].allocates = true;
            return match (op, l, &r) {
                (_, Type::Unknown, _) | (_, _, Type::Unknown) => Ok(Type::Unknown),
                (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Type::Set(_), Type::Set(_)) => {
                    l.unify(&r).map_err(|(a, b)| {
                        CompileError::typing(
                            "sets of mixed types",
                            format!("a set holds one type; these hold {} and {}", type_name(&a), type_name(&b)),
                            span,
                        )
                    })
                }
                _ => Err(CompileError::typing(
                    "binary operator",
                    format!("unsupported operand types for {}: {} and {}", op.symbol(), type_name(l), type_name(&r)),
                    span,
                )),
            };
        }
        binary_type(op, l, &r, right, span)
    }

    /// The type of `op operand` (Numba's rules: `-u` and `~u` of a uint64 are uint64, wrapping).
    pub(super) fn unary(&mut self, op: UnaryOp, operand: &hir::Expr, span: Span) -> Result<Type> {
        // `not x` of an optional: true when None (`test` keeps it optional).
        let t = if op == UnaryOp::Not {
            match self.expr_keep(operand)? {
                Type::Optional(inner) => *inner,
                t => t,
            }
        } else {
            self.expr(operand)?
        };
        if let Some(a) = t.array() {
            let bad = match op {
                UnaryOp::Not => Some("the truth value of an array is ambiguous: use a.any() or a.all()"),
                UnaryOp::Neg if a.dtype == Dtype::Bool => Some("NumPy has no - of a bool array: use ~ or logical_not"),
                UnaryOp::Pos if a.dtype == Dtype::Bool => Some("NumPy has no unary + of a bool array"),
                UnaryOp::Invert if a.dtype.is_float() => Some("bad operand type for unary ~: a float array"),
                UnaryOp::Invert if a.dtype.is_complex() => Some("bad operand type for unary ~: a complex array"),
                _ => None,
            };
            if let Some(why) = bad {
                return Err(CompileError::typing("unary operator on an array", why, span));
            }
            return Ok(elementwise_array(a.dtype, &[&t]));
        }
        if !(t.is_number() || t == Type::Unknown) {
            return Err(CompileError::typing(
                "unary operator",
                format!("bad operand type for unary operator: {}", type_name(&t)),
                span,
            ));
        }
        Ok(match (op, &t) {
            (_, Type::Unknown) => Type::Unknown,
            (UnaryOp::Not, _) => Type::Bool,
            (UnaryOp::Invert, Type::Complex128 | Type::Complex64) => {
                return Err(CompileError::typing("unary operator", "bad operand type for unary ~: 'complex'", span))
            }
            (_, Type::Complex128 | Type::Complex64) => t.clone(),
            (UnaryOp::Invert, Type::Float64 | Type::Float32) => {
                return Err(CompileError::typing("unary operator", "bad operand type for unary ~: 'float'", span))
            }
            // Numba: -u and ~u of a uint64 are uint64 (wrapping).
            (_, Type::UInt64) => Type::UInt64,
            (UnaryOp::Invert, _) => Type::Int64,
            (_, Type::Float64) => Type::Float64,
            (_, Type::Float32) => Type::Float32,
            _ => Type::Int64,
        })
    }
}

impl InferCx<'_> {
    /// The type of a comparison `left op right ...`: bool for numbers; a bool array when an
    /// operand is an array (one operator only: a chain would need the truth of an array).
    pub(super) fn compare(&mut self, left: &hir::Expr, ops: &[CmpOp], comparators: &[hir::Expr], span: Span) -> Result<Type> {
        let mut types = vec![self.expr(left)?];
        for c in comparators {
            types.push(self.expr(c)?);
        }
        // Complex numbers have no order (CPython's TypeError): only == and != take them.
        for (k, op) in ops.iter().enumerate() {
            let (a, b) = (&types[k], &types[k + 1]);
            let complex = |t: &Type| t.is_complex() || t.array().is_some_and(|x| x.dtype.is_complex());
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) && (complex(a) || complex(b)) {
                return Err(CompileError::typing(
                    "comparison",
                    format!("'{}' not supported between instances of {} and {}", op.symbol(), type_name(a), type_name(b)),
                    comparators[k].span,
                ));
            }
        }
        if types.iter().any(is_enum_member) {
            // Members of `enum.Enum` classes: equal when of one class and value (CPython's
            // identity, since an Enum's members have distinct values); never ordered.
            for (k, op) in ops.iter().enumerate() {
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    let (a, b) = (&types[k], &types[k + 1]);
                    return Err(CompileError::typing(
                        "comparison",
                        format!("'{}' not supported between instances of {} and {}", op.symbol(), type_name(a), type_name(b)),
                        comparators[k].span,
                    ));
                }
            }
            return Ok(if types.contains(&Type::Unknown) { Type::Unknown } else { Type::Bool });
        }
        if types.iter().any(is_plain_tuple) {
            // Tuples: item by item, as CPython compares them (`==` all equal; `<` at the first
            // items that differ, else by length).
            for (k, op) in ops.iter().enumerate() {
                let (a, b) = (&types[k], &types[k + 1]);
                if !tuples_compare(a, b, !matches!(op, CmpOp::Eq | CmpOp::Ne)) {
                    return Err(CompileError::typing(
                        "comparison",
                        format!(
                            "'{}' of {} and {}: tuples are compared with tuples of numbers, strings or tuples, item by item",
                            op.symbol(),
                            type_name(a),
                            type_name(b)
                        ),
                        comparators[k].span,
                    ));
                }
            }
            return Ok(if types.contains(&Type::Unknown) { Type::Unknown } else { Type::Bool });
        }
        if types.iter().any(|t| matches!(t, Type::Set(_))) {
            for (k, (a, b)) in types.iter().zip(&types[1..]).enumerate() {
                let ok = matches!((a, b), (Type::Set(_) | Type::Unknown, Type::Set(_) | Type::Unknown)) && a.unify(b).is_ok();
                if !ok {
                    return Err(CompileError::typing(
                        "comparison",
                        format!(
                            "a set is compared with a set of the same items here, not {}",
                            type_name(if matches!(a, Type::Set(_)) { b } else { a })
                        ),
                        comparators[k].span,
                    ));
                }
            }
            return Ok(if types.contains(&Type::Unknown) { Type::Unknown } else { Type::Bool });
        }
        if types.contains(&Type::Str) {
            for (t, e) in types.iter().zip(std::iter::once(left).chain(comparators)) {
                if !matches!(t, Type::Str | Type::Unknown) {
                    return Err(CompileError::typing(
                        "comparison",
                        format!("a string is compared with strings here, not {}", type_name(t)),
                        e.span,
                    ));
                }
            }
            return Ok(if types.contains(&Type::Unknown) { Type::Unknown } else { Type::Bool });
        }
        let arrays = types.iter().any(|t| t.array().is_some());
        for (t, e) in types.iter().zip(std::iter::once(left).chain(comparators)) {
            if !(t.is_number() || *t == Type::Unknown || (arrays && t.array().is_some())) {
                return Err(CompileError::typing(
                    "comparison",
                    format!("comparison takes a number, not {}", type_name(t)),
                    e.span,
                ));
            }
        }
        if !arrays {
            // An operand not typed yet may be an array (a callee's result on the first round).
            if types.contains(&Type::Unknown) {
                return Ok(Type::Unknown);
            }
            return Ok(Type::Bool);
        }
        if comparators.len() > 1 {
            return Err(CompileError::typing(
                "chained comparison of arrays",
                "a chained comparison of arrays needs the truth value of an array, which is ambiguous: use (a < b) & (b < c)",
                span,
            ));
        }
        if types.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        Ok(elementwise_array(Dtype::Bool, &[&types[0], &types[1]]))
    }
}

impl InferCx<'_> {
    /// `a is b` (neither the literal `None`): members of Enum classes and bools, compared by
    /// value (Numba's rule for immutable values; CPython's answer for these, whose values are
    /// singletons), and operands of different types (never the same object). The identity of
    /// two numbers, or of containers and arrays, is not compiled.
    pub(super) fn identity(&mut self, left: &hir::Expr, right: &hir::Expr, span: Span) -> Result<Type> {
        let (a, b) = (self.expr(left)?, self.expr(right)?);
        if a == Type::Unknown || b == Type::Unknown {
            return Ok(Type::Unknown);
        }
        let value_like = |t: &Type| t.is_number() || is_enum_member(t) || *t == Type::None;
        let same_kind = match (&a, &b) {
            (Type::Tuple(x), Type::Tuple(y)) if is_enum_member(&a) && is_enum_member(&b) => x.enum_class() == y.enum_class(),
            _ => a == b,
        };
        if value_like(&a) && value_like(&b) && (!same_kind || a == Type::Bool || is_enum_member(&a)) {
            return Ok(Type::Bool);
        }
        Err(CompileError::unsupported_because(
            "'is' comparison",
            format!(
                "'is' of {} and {} compares object identity, which compiled code does not keep: compare values with == (compiled: 'is' of Enum members, of bools, and 'is None')",
                type_name(&a),
                type_name(&b)
            ),
            span,
        ))
    }
}

/// Whether `t` is a member of an `enum.Enum` class.
pub(super) fn is_enum_member(t: &Type) -> bool {
    matches!(t, Type::Tuple(items) if items.enum_class().is_some())
}

/// Whether `t` is a tuple to Python code (a namedtuple too; not a jitclass or Enum record).
pub(super) fn is_plain_tuple(t: &Type) -> bool {
    matches!(t, Type::Tuple(items) if !items.is_record())
}

/// Whether tuples `a` and `b` compare item by item (`ordered`: with `<` and the like): the
/// items they both have are numbers (real ones when ordered), strings, or such tuples.
fn tuples_compare(a: &Type, b: &Type, ordered: bool) -> bool {
    let (Type::Tuple(x), Type::Tuple(y)) = (a, b) else { return *a == Type::Unknown || *b == Type::Unknown };
    if x.is_record() || y.is_record() {
        return false;
    }
    x.iter().zip(y.iter()).all(|(p, q)| match (p, q) {
        (Type::Unknown, _) | (_, Type::Unknown) => true,
        (Type::Str, Type::Str) => true,
        (Type::Tuple(_), Type::Tuple(_)) => tuples_compare(p, q, ordered),
        _ => p.is_number() && q.is_number() && !(ordered && (p.is_complex() || q.is_complex())),
    })
}
