//! Typing of operators: the result type of `left op right` (NumPy's and Numba's promotion,
//! integer literals taking the type of the integer beside them) and of `op operand`, and their
//! errors.

use crate::ast::{BinOp, Span, UnaryOp};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::types::Type;

use super::{type_name, InferCx};

/// Whether an exponent expression is a literal negative integer (`2 ** -1` is a float in Python).
fn is_negative_literal(e: &hir::Expr) -> bool {
    match &e.kind {
        H::Int(i) => *i < 0,
        H::Unary { op: UnaryOp::Neg, operand } => matches!(operand.kind, H::Int(i) if i > 0),
        _ => false,
    }
}

/// The type of `l op r` (`right` is the right operand, for `x ** -2`).
fn binary_type(op: BinOp, l: &Type, r: &Type, right: &hir::Expr, span: Span) -> Result<Type> {
    for t in [l, r] {
        if !(t.is_numeric() || *t == Type::Unknown) {
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
    let float = l.is_float() || r.is_float();
    // float32 op float32 (or bool) stays float32, as in NumPy and Numba.
    let f32_result = l.arith(r) == Type::Float32;
    Ok(match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::FloorDiv | BinOp::Mod => l.arith(r),
        BinOp::Div if f32_result => Type::Float32,
        BinOp::Div => Type::Float64,
        BinOp::Pow => {
            if f32_result {
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

impl InferCx<'_> {
    /// The type of `left op right` where `left` has type `l` (an expression's, or the element or
    /// variable an augmented assignment reads): types `right`, then [`binary_type`].
    pub(super) fn binary(&mut self, op: BinOp, l: &Type, right: &hir::Expr, span: Span) -> Result<Type> {
        let r = self.expr(right)?;
        binary_type(op, l, &r, right, span)
    }

    /// The type of `op operand` (Numba's rules: `-u` and `~u` of a uint64 are uint64, wrapping).
    pub(super) fn unary(&mut self, op: UnaryOp, operand: &hir::Expr, span: Span) -> Result<Type> {
        let t = self.expr(operand)?;
        if !(t.is_numeric() || t == Type::Unknown) {
            return Err(CompileError::typing(
                "unary operator",
                format!("bad operand type for unary operator: {}", type_name(&t)),
                span,
            ));
        }
        Ok(match (op, &t) {
            (_, Type::Unknown) => Type::Unknown,
            (UnaryOp::Not, _) => Type::Bool,
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
