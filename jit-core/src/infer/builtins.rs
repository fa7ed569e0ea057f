//! Typing of the builtins (`abs`, `min`, `int`, `round`, `len`, ...), the `math` module and the
//! dispatch of the other intrinsics (NumPy functions, `np.linalg`, `np.random`) to their modules.

use crate::error::{CompileError, Result};
use crate::hir::{self, Intrinsic, MathFn};
use crate::registry::cmath::CmathFn;
use crate::types::Type;

use super::{type_name, InferCx};

impl InferCx<'_> {
    pub(super) fn intrinsic(&mut self, f: Intrinsic, args: &[hir::Expr]) -> Result<Type> {
        // `min(l)`, `max(l)` of a list: its smallest (largest) item.
        if let (Intrinsic::Min | Intrinsic::Max, [a]) = (f, args) {
            return match self.expr(a)? {
                Type::List(t) if t.is_numeric() || *t == Type::Unknown => Ok(*t),
                Type::Unknown => Ok(Type::Unknown),
                // `min(t)` of a tuple of real numbers: as `min(*t)`.
                Type::Tuple(ts)
                    if !ts.is_empty() && !ts.is_record() && ts.iter().all(|t| t.is_numeric() || *t == Type::Unknown) =>
                {
                    Ok(ts.iter().fold(Type::Unknown, |a, b| a.unify(b).unwrap_or(Type::Float64)))
                }
                t => Err(CompileError::typing(
                    "min()/max() of one argument",
                    format!("min() and max() of one argument take a list of real numbers here, not {}", type_name(&t)),
                    a.span,
                )),
            };
        }
        if matches!(f, Intrinsic::Range | Intrinsic::RangeField(_)) {
            return self.range_intrinsic(f, args);
        }
        if matches!(f, Intrinsic::Iter | Intrinsic::Next) {
            return self.iterator_intrinsic(f, args);
        }
        if f == Intrinsic::CaughtText {
            self.specs[self.current].allocates = true;
            return Ok(Type::Str);
        }
        if matches!(
            f,
            Intrinsic::Str
                | Intrinsic::Repr
                | Intrinsic::Ord
                | Intrinsic::Chr
                | Intrinsic::StrMethod(_)
                | Intrinsic::RaiseMessage(_)
        ) {
            let span = args.first().map_or(crate::ast::Span::default(), |a| a.span);
            return self.string_intrinsic(f, args, span);
        }
        if f == Intrinsic::Len {
            return match self.expr(&args[0])? {
                t @ Type::Tuple(_) if matches!(&t, Type::Tuple(items) if items.is_record()) => {
                    Err(super::named_tuples::not_a_tuple("len() argument", &t, args[0].span))
                }
                Type::Tuple(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Range => Ok(Type::Int64),
                Type::Array(a) if a.ndim > 0 => Ok(Type::Int64),
                Type::Iter(_) => self.iterator_len(&args[0]),
                Type::Unknown => Ok(Type::Unknown),
                t => Err(self.not_an_array(&args[0], &t).unwrap_or_else(|| {
                    CompileError::typing(
                        "len() argument",
                        format!("len() of {}; only tuples and arrays have a length here", type_name(&t)),
                        args[0].span,
                    )
                })),
            };
        }
        if let Intrinsic::Np(np) = f {
            return self.numpy_call(np, args);
        }
        if let Intrinsic::Linalg(l) = f {
            return self.linalg(l, args);
        }
        if let Intrinsic::Random(r) = f {
            return self.random_draw(r, args);
        }
        if let Intrinsic::PyRandom(r) = f {
            return self.pyrandom(r, args);
        }
        if f == Intrinsic::DefaultRng {
            return self.default_rng(args);
        }
        if let Intrinsic::Generator(g) = f {
            return self.generator_method(g, args);
        }
        if let Intrinsic::PointerView { layout, dtype } = f {
            return self.pointer_view(layout, dtype, args, args[0].span);
        }
        if let Intrinsic::Threads(t) = f {
            if t == hir::ThreadFn::SetNumThreads {
                let n = self.expr(&args[0])?;
                if !matches!(n, Type::Int64 | Type::UInt64 | Type::Bool | Type::Unknown) {
                    return Err(CompileError::typing(
                        "set_num_threads() argument",
                        format!("set_num_threads() takes an int, not {}", type_name(&n)),
                        args[0].span,
                    ));
                }
                return Ok(Type::None);
            }
            return Ok(Type::Int64);
        }
        if let Intrinsic::DtypeCast(d) = f {
            return self.dtype_cast(d, &args[0]);
        }
        if let Intrinsic::CCall(k) = f {
            // A C function by address: numbers in, converted to its argument types as Numba
            // converts them; its result type out.
            let c = self.hir_fn().c_functions[k as usize].clone();
            for a in args {
                let t = self.expr(a)?;
                if !(t.is_numeric() || t == Type::Unknown) {
                    return Err(CompileError::typing(
                        "call argument",
                        format!("{}() is a C function of numbers; it cannot take {}", c.name, type_name(&t)),
                        a.span,
                    ));
                }
            }
            return Ok(c.ret.element());
        }
        if f == Intrinsic::TypeOf {
            return match self.expr(&args[0])? {
                Type::Unknown => Ok(Type::Unknown),
                t if t.is_number() => Ok(Type::Dtype(crate::types::Dtype::of_scalar(&t))),
                t => Err(CompileError::unsupported_because(
                    "type()",
                    format!("type() of {} is not compiled (of a number it is its NumPy scalar type)", type_name(&t)),
                    args[0].span,
                )),
            };
        }
        if f == Intrinsic::Ndim {
            return match self.expr(&args[0])? {
                Type::Array(_) | Type::Unknown | Type::List(_) => Ok(Type::Int64),
                t @ Type::Tuple(_) if t.list_ndim().is_some() => Ok(Type::Int64),
                t if t.is_number() || t == Type::Bool => Ok(Type::Int64),
                t => Err(CompileError::typing(
                    "np.ndim() argument",
                    format!("np.ndim() of {}; it takes an array, a list or a number here", type_name(&t)),
                    args[0].span,
                )),
            };
        }
        // The builtin `abs` of an array is NumPy's `absolute` (Python calls `__abs__`).
        if f == Intrinsic::Abs && matches!(self.expr(&args[0])?, Type::Array(_)) {
            return self.numpy_call(hir::NpFn::Abs, args);
        }
        if let Intrinsic::Cmath(c) = f {
            return self.cmath_call(c, args);
        }
        if let Some(t) = self.complex_builtin(f, args)? {
            return Ok(t);
        }
        let name = match f {
            Intrinsic::Np(_)
            | Intrinsic::Linalg(_)
            | Intrinsic::Random(_)
            | Intrinsic::PyRandom(_)
            | Intrinsic::DefaultRng
            | Intrinsic::Generator(_)
            | Intrinsic::PointerView { .. }
            | Intrinsic::Threads(_) => "NumPy function".to_string(),
            Intrinsic::Math(_) | Intrinsic::Cmath(_) => "math function".to_string(),
            builtin => format!("{}()", builtin.qualified_name()),
        };
        let mut tys = Vec::new();
        for a in args {
            // Builtins and math functions take a float32 as the float64 it is.
            tys.push(self.numeric(a, &name)?.carrier());
        }
        if tys.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        if let Intrinsic::Math(m) = f {
            math_arguments(m, &tys, args)?;
        }
        Ok(match f {
            // The integer builtins keep a uint64 a uint64 (Numba's `int(u)` is u).
            Intrinsic::Abs | Intrinsic::Int | Intrinsic::Np(hir::NpFn::Abs | hir::NpFn::Floor | hir::NpFn::Ceil)
                if tys.first() == Some(&Type::UInt64) =>
            {
                Type::UInt64
            }
            Intrinsic::Round | Intrinsic::Math(MathFn::Floor | MathFn::Ceil | MathFn::Trunc)
                if tys.len() == 1 && tys[0] == Type::UInt64 =>
            {
                Type::UInt64
            }
            Intrinsic::Abs => {
                if tys[0] == Type::Float64 {
                    Type::Float64
                } else {
                    Type::Int64
                }
            }
            Intrinsic::Min | Intrinsic::Max => tys.iter().fold(Type::Unknown, |a, b| a.unify(b).unwrap_or(Type::Float64)),
            Intrinsic::Int | Intrinsic::Len => Type::Int64,
            Intrinsic::Str
            | Intrinsic::Repr
            | Intrinsic::Ord
            | Intrinsic::Chr
            | Intrinsic::StrMethod(_)
            | Intrinsic::RaiseMessage(_)
            | Intrinsic::CaughtText => {
                unreachable!("typed by infer::strings")
            }
            Intrinsic::IsNone { .. } => {
                unreachable!("typed by infer::optional")
            }
            Intrinsic::Is { .. } => unreachable!("typed by infer::ops"),
            Intrinsic::Ndim | Intrinsic::DtypeCast(_) | Intrinsic::TypeOf | Intrinsic::CCall(_) => {
                unreachable!("typed above")
            }
            Intrinsic::Np(hir::NpFn::Abs | hir::NpFn::Floor | hir::NpFn::Ceil) => {
                if tys[0] == Type::Float64 {
                    Type::Float64
                } else {
                    Type::Int64
                }
            }
            Intrinsic::Np(_) | Intrinsic::Float => Type::Float64,
            Intrinsic::Linalg(_)
            | Intrinsic::Random(_)
            | Intrinsic::PyRandom(_)
            | Intrinsic::DefaultRng
            | Intrinsic::Generator(_)
            | Intrinsic::PointerView { .. }
            | Intrinsic::Threads(_)
            | Intrinsic::Cmath(_)
            | Intrinsic::Complex => unreachable!("typed above"),
            Intrinsic::Range | Intrinsic::RangeField(_) => unreachable!("typed by infer::ranges"),
            Intrinsic::Iter | Intrinsic::Next => unreachable!("typed by infer::iterators"),
            Intrinsic::Ufunc(_) => unreachable!("typed by InferCx::ufunc_call"),
            Intrinsic::NamedTuple(_) => unreachable!("typed by InferCx::new_named_tuple"),
            Intrinsic::FrozenArray(_) | Intrinsic::Flat | Intrinsic::AsArray | Intrinsic::EllipsisValue => {
                unreachable!("typed by InferCx::expr_keep")
            }
            Intrinsic::UfuncReduce { .. } => unreachable!("typed by InferCx::ufunc_reduce"),
            Intrinsic::Bool => Type::Bool,
            Intrinsic::Round => {
                if tys.len() == 2 && tys[1] == Type::Float64 {
                    return Err(CompileError::typing(
                        "round() ndigits",
                        "round() ndigits must be an integer, not float64",
                        args[1].span,
                    ));
                }
                if tys.len() == 2 && tys[0] == Type::Float64 {
                    Type::Float64
                } else {
                    Type::Int64
                }
            }
            Intrinsic::Math(m) => match m {
                MathFn::Floor | MathFn::Ceil | MathFn::Trunc | MathFn::Gcd | MathFn::Lcm | MathFn::Isqrt => Type::Int64,
                MathFn::Isnan | MathFn::Isinf | MathFn::Isfinite => Type::Bool,
                MathFn::Frexp => Type::tuple(vec![Type::Float64, Type::Int64]),
                MathFn::Modf => Type::tuple(vec![Type::Float64, Type::Float64]),
                _ => Type::Float64,
            },
        })
    }
}

impl InferCx<'_> {
    /// The builtins that take complex numbers: `complex(...)` (of any numbers), `abs(z)` (the
    /// modulus, float64, or float32 for a complex64) and `bool(z)`; `None` for the others and
    /// for `abs`/`bool` of a real number.
    fn complex_builtin(&mut self, f: Intrinsic, args: &[hir::Expr]) -> Result<Option<Type>> {
        match f {
            Intrinsic::Complex => {
                for a in args {
                    let t = self.expr(a)?;
                    if !(t.is_number() || t == Type::Unknown) {
                        return Err(CompileError::typing(
                            "complex()",
                            format!("complex() takes numbers, not {}", type_name(&t)),
                            a.span,
                        ));
                    }
                }
                Ok(Some(Type::Complex128))
            }
            Intrinsic::Abs | Intrinsic::Bool if args.len() == 1 => Ok(match self.expr(&args[0])? {
                t if t.is_complex() && f == Intrinsic::Abs => Some(t.complex_part()),
                t if t.is_complex() => Some(Type::Bool),
                Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Range if f == Intrinsic::Bool => Some(Type::Bool),
                _ => None,
            }),
            _ => Ok(None),
        }
    }
}

impl InferCx<'_> {
    /// A `cmath` function: its arguments numbers (real ones converted to complex, as CPython
    /// does; `rect` takes two real numbers), its result complex128, or phase's float64, polar's
    /// `(float64, float64)`, the predicates' bool.
    fn cmath_call(&mut self, f: CmathFn, args: &[hir::Expr]) -> Result<Type> {
        for a in args {
            let t = self.expr(a)?;
            let ok = if f == CmathFn::Rect { t.is_numeric() } else { t.is_number() };
            if !(ok || t == Type::Unknown) {
                let want = if f == CmathFn::Rect { "real numbers" } else { "numbers" };
                return Err(CompileError::typing(
                    format!("cmath.{}()", f.name()),
                    format!("cmath.{}() takes {want}, not {}", f.name(), type_name(&t)),
                    a.span,
                ));
            }
        }
        Ok(match f {
            CmathFn::Phase => Type::Float64,
            CmathFn::Polar => Type::tuple(vec![Type::Float64, Type::Float64]),
            CmathFn::Isnan | CmathFn::Isinf | CmathFn::Isfinite | CmathFn::Isclose => Type::Bool,
            _ => Type::Complex128,
        })
    }
}

/// CPython's `TypeError` for a float where a `math` function takes an int: every argument of
/// `gcd`, `lcm` and `isqrt`, the exponent of `ldexp`.
fn math_arguments(m: MathFn, tys: &[Type], args: &[hir::Expr]) -> Result<()> {
    for (k, t) in tys.iter().enumerate() {
        if *t != Type::Float64 {
            continue;
        }
        let message = match m {
            MathFn::Ldexp if k == 1 => "Expected an int as second argument to ldexp.",
            m if m.of_ints() => "'float' object cannot be interpreted as an integer",
            _ => continue,
        };
        return Err(CompileError::typing(format!("math.{}()", m.name()), message, args[k].span));
    }
    Ok(())
}

impl InferCx<'_> {
    /// `np.<dtype>(x)` of a number: the dtype's element type. A complex number into a real
    /// dtype, and an array, are compile errors (NumPy discards the imaginary part with a
    /// warning; of an array it returns an array: `a.astype(dtype)` says that).
    pub(super) fn dtype_cast(&mut self, d: crate::types::Dtype, arg: &hir::Expr) -> Result<Type> {
        let name = format!("np.{}()", d.row().numpy_attr);
        let t = self.expr(arg)?;
        let ok = match &t {
            Type::Unknown => return Ok(Type::Unknown),
            t if t.is_complex() => d.element().is_complex(),
            t => t.is_number() || *t == Type::Bool,
        };
        if !ok {
            let hint = if matches!(t, Type::Array(_)) {
                format!("; for an array write a.astype(np.{})", d.row().numpy_attr)
            } else {
                String::new()
            };
            return Err(CompileError::typing(
                name.clone(),
                format!("{name} of {} is not compiled (a number is){hint}", type_name(&t)),
                arg.span,
            ));
        }
        Ok(d.element())
    }
}
