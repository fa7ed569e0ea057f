//! Typing of NumPy's element functions (`np.sqrt`, `np.minimum`, `np.where`, ...) on numbers
//! and on arrays: on numbers the types compiled code computes scalars in, on arrays NumPy's
//! result dtypes (a float function of an integer array is float64, float32 for the integers of
//! up to 16 bits, as Numba resolves it where NumPy would give float16).

use crate::error::{CompileError, Result};
use crate::hir::{self, NpFn};
use crate::registry::Dtype;
use crate::types::{promote, ArrayType, Layout, Type};

use super::{ops::elementwise_dtype, type_name, InferCx};

/// What an element function computes, for its result type.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A float function of one or two numbers (`sqrt`, `tanh`, `arctan2`).
    Float,
    /// The argument's own type (`abs`, `floor`, `ceil`, `square`).
    Same,
    /// The arguments' common type (`minimum`, `maximum`, `fmin`, `fmax`).
    Common,
    /// A bool (`logical_and`, `isnan`, ...).
    Bool,
    /// `where(c, x, y)`: the common type of `x` and `y`.
    Where,
    /// float64 whatever the arguments (`float_power`).
    Float64,
}

pub(crate) fn kind(f: NpFn) -> Kind {
    use NpFn::*;
    match f {
        Abs | Floor | Ceil | Square | Trunc | Sign | Round | Reciprocal | Conj | Real | Imag => Kind::Same,
        Minimum | Maximum | Fmin | Fmax | Fmod => Kind::Common,
        LogicalAnd | LogicalOr | LogicalXor | LogicalNot | Isnan | Isinf | Isfinite | Signbit => Kind::Bool,
        Where => Kind::Where,
        FloatPower => Kind::Float64,
        Sqrt | Exp | Log | Sin | Cos | Tan | Tanh | Sinh | Cosh | Arcsin | Arccos | Arctan | Log2 | Log10 | Log1p | Expm1
        | Arctan2 | Hypot | Exp2 | Cbrt | Arcsinh | Arccosh | Arctanh | Rint | Fabs | Deg2rad | Rad2deg | Angle => Kind::Float,
    }
}

/// Whether NumPy's `f` has a loop for complex numbers that compiled code has (the C library's
/// complex functions, `hypot` for `absolute`, the parts for the others).
pub(crate) fn takes_complex(f: NpFn) -> bool {
    use NpFn::*;
    matches!(
        f,
        Sqrt | Exp
            | Log
            | Sin
            | Cos
            | Tan
            | Tanh
            | Sinh
            | Cosh
            | Arcsin
            | Arccos
            | Arctan
            | Arcsinh
            | Arccosh
            | Arctanh
            | Abs
            | Square
            | Conj
            | Angle
    )
}

/// The float dtype a float function of `d` computes in (a complex function of a complex
/// dtype, in it).
fn float_of(d: Dtype) -> Dtype {
    match d {
        Dtype::Complex64 | Dtype::Complex128 => d,
        Dtype::Float64 => Dtype::Float64,
        Dtype::Float32 | Dtype::Bool | Dtype::Int8 | Dtype::UInt8 | Dtype::Int16 | Dtype::UInt16 => Dtype::Float32,
        _ => Dtype::Float64,
    }
}

impl InferCx<'_> {
    /// The type of `np.f(args...)`.
    pub(super) fn numpy_call(&mut self, f: NpFn, args: &[hir::Expr]) -> Result<Type> {
        let mut tys = Vec::with_capacity(args.len());
        for a in args {
            let t = self.expr(a)?;
            if t.is_complex() || t.array().is_some_and(|x| x.dtype.is_complex()) {
                if !takes_complex(f) {
                    return Err(CompileError::unsupported_because(
                        "NumPy function",
                        format!("numpy.{}() of complex numbers is not compiled", f.name()),
                        a.span,
                    ));
                }
                tys.push(t);
                continue;
            }
            if !(t.is_numeric() || t.array().is_some() || t == Type::Unknown) {
                return Err(CompileError::typing(
                    "NumPy function",
                    format!("numpy.{}() takes numbers and arrays, not {}", f.name(), type_name(&t)),
                    a.span,
                ));
            }
            tys.push(t);
        }
        if tys.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        let is_bool = |t: &Type| *t == Type::Bool || t.array().is_some_and(|a| a.dtype == Dtype::Bool);
        if matches!(f, NpFn::Sign | NpFn::Round | NpFn::Reciprocal) && is_bool(&tys[0]) {
            return Err(CompileError::typing(
                "NumPy function",
                format!("numpy.{}() of a bool is not compiled (NumPy has no bool loop for it)", f.name()),
                args[0].span,
            ));
        }
        if f == NpFn::Round && tys.len() == 2 {
            if !(matches!(tys[1], Type::Int64 | Type::Bool)) {
                return Err(CompileError::typing(
                    "NumPy function",
                    format!("numpy.round() takes an integer number of decimals, not {}", type_name(&tys[1])),
                    args[1].span,
                ));
            }
            tys.truncate(1);
        }
        if tys.iter().all(|t| t.array().is_none()) {
            return Ok(scalar_type(f, &tys));
        }
        let strong = |ts: &[Type]| -> Dtype {
            match ts {
                [t] => t.array().map(|a| a.dtype).unwrap_or_else(|| Dtype::of_scalar(t)),
                [a, b] => elementwise_dtype(a, b).unwrap_or_else(|| {
                    promote(&a.carrier(), &b.carrier()).map(|t| Dtype::of_scalar(&t)).unwrap_or(Dtype::Float64)
                }),
                _ => unreachable!("one or two operands"),
            }
        };
        let dtype = match kind(f) {
            // The modulus and the argument of a complex number are real.
            _ if matches!(f, NpFn::Abs | NpFn::Angle) && strong(&tys).is_complex() => {
                if strong(&tys) == Dtype::Complex64 {
                    Dtype::Float32
                } else {
                    Dtype::Float64
                }
            }
            Kind::Float => float_of(strong(&tys)),
            Kind::Same | Kind::Common if matches!(f, NpFn::Square | NpFn::Fmod) && strong(&tys) == Dtype::Bool => Dtype::Int8,
            Kind::Same | Kind::Common => strong(&tys),
            Kind::Float64 => Dtype::Float64,
            Kind::Bool => Dtype::Bool,
            Kind::Where => strong(&tys[1..]),
        };
        let ndim = tys.iter().filter_map(|t| t.array()).map(|a| a.ndim).max().unwrap_or(0);
        Ok(Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false }))
    }
}

/// The type of an element function of numbers (compiled code's scalar types). A float32 (or
/// float32 beside a Python number, NEP 50's weak scalar) keeps a float result float32, as
/// NumPy's scalar functions and Numba's do (`np.sqrt(x32)`, `np.power(x32, 0.5)`); codegen
/// converts the operands to float32 and rounds the result.
fn scalar_type(f: NpFn, tys: &[Type]) -> Type {
    let float32 = match tys {
        [t] => *t == Type::Float32,
        [a, b] => elementwise_dtype(a, b) == Some(Dtype::Float32),
        _ => false,
    };
    let t = scalar_type_of_carriers(f, tys);
    if float32 && t == Type::Float64 && f != NpFn::Round && matches!(kind(f), Kind::Float | Kind::Same | Kind::Common) {
        return Type::Float32;
    }
    t
}

fn scalar_type_of_carriers(f: NpFn, tys: &[Type]) -> Type {
    let tys: Vec<Type> = tys.iter().map(Type::carrier).collect();
    if tys[0] == Type::Complex128 {
        return match f {
            NpFn::Abs | NpFn::Angle => Type::Float64,
            _ => Type::Complex128,
        };
    }
    match kind(f) {
        Kind::Float | Kind::Float64 => Type::Float64,
        Kind::Common if f == NpFn::Fmod && tys.iter().all(|t| *t == Type::Bool) => Type::Int64,
        Kind::Same if tys[0] == Type::UInt64 => Type::UInt64,
        Kind::Same if tys[0] == Type::Float64 => Type::Float64,
        Kind::Same => Type::Int64,
        Kind::Common => promote(&tys[0], &tys[1]).unwrap_or(Type::Float64),
        Kind::Bool => Type::Bool,
        Kind::Where => promote(&tys[1], &tys[2]).unwrap_or(Type::Float64),
    }
}
