//! Typing of `np.random` calls: each parameter a number (an int where NumPy takes an integer),
//! a draw a float64 or an int64 (`seed` None), and `size=` an int or a tuple of ints giving a
//! C-contiguous array of draws. `choice(a, size, replace, p)` gives `a`'s elements (ints for an
//! int `a`), `shuffle(x)` None and `permutation(x)` a new array like `x` (int64 for an int).

use super::{type_name, InferCx};
use crate::error::{CompileError, Result};
use crate::hir;
use crate::registry::pyrandom::PyRandomFn;
use crate::registry::random::{RandomFn, RandomResult, RandomShape};
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

impl InferCx<'_> {
    /// The parameters of `f` (as lowering bound them): numbers, ints where NumPy takes an
    /// integer. False when a type is not known yet.
    fn random_params(&mut self, f: RandomFn, args: &[hir::Expr]) -> Result<bool> {
        let name = format!("np.random.{}()", f.name());
        let row = f.row();
        let mut known = true;
        for (k, a) in args.iter().enumerate() {
            // seed(s) and randint(low, high) take ints; the others as their rows say.
            let p = row.params.get(k).copied();
            let pname = p.map(|p| p.name).unwrap_or("argument");
            let t = self.expr(a)?;
            let int = p.is_some_and(|p| p.int);
            let ok = match t {
                Type::Unknown => {
                    known = false;
                    true
                }
                Type::Int64 | Type::Bool => true,
                // A uint64 seed (numba-stats' `optional(uint64)` seeds), as NumPy takes it.
                Type::UInt64 if f == RandomFn::Seed => true,
                Type::Float64 | Type::Float32 | Type::UInt64 => !int,
                _ => false,
            };
            if !ok {
                let want = if int { "an int" } else { "a number (arrays of parameters are not compiled yet)" };
                return Err(CompileError::typing(
                    "np.random argument",
                    format!("{name} takes {want} for '{pname}', not {}", type_name(&t)),
                    a.span,
                ));
            }
        }
        Ok(known)
    }

    /// One draw of `f` ([`hir::Intrinsic::Random`]).
    pub(super) fn random_draw(&mut self, f: RandomFn, args: &[hir::Expr]) -> Result<Type> {
        if f.row().shape == RandomShape::Own {
            return self.random_own(f, args, None);
        }
        if !self.random_params(f, args)? {
            return Ok(Type::Unknown);
        }
        Ok(match f.row().result {
            RandomResult::Float => Type::Float64,
            RandomResult::Int => Type::Int64,
            RandomResult::Nothing => Type::None,
            RandomResult::OfArgument => unreachable!("typed by random_own"),
        })
    }

    /// An array of draws of `f` of shape `shape` ([`hir::NewArray::Random`]).
    pub(super) fn random_array(&mut self, f: RandomFn, args: &[hir::Expr], shape: &hir::Expr) -> Result<Type> {
        if f.row().shape == RandomShape::Own {
            return self.random_own(f, args, Some(shape));
        }
        let known = self.random_params(f, args)?;
        let ndim = match self.expr(shape)? {
            Type::Int64 | Type::UInt64 | Type::Bool => 1,
            Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown()) => ts.len(),
            Type::Unknown => return Ok(Type::Unknown),
            t => {
                return Err(CompileError::typing(
                    "np.random size",
                    format!("np.random.{}() takes a size that is an int or a tuple of ints, not {}", f.name(), type_name(&t)),
                    shape.span,
                ))
            }
        };
        if !known {
            return Ok(Type::Unknown);
        }
        let dtype = if f.row().result == RandomResult::Int { Dtype::Int64 } else { Dtype::Float64 };
        Ok(Type::Array(ArrayType { dtype, ndim: ndim as u8, layout: Layout::C, readonly: false }))
    }
}

impl InferCx<'_> {
    /// The size of an array of draws: its number of dimensions (None when not known yet).
    fn random_size(&mut self, f: RandomFn, shape: &hir::Expr) -> Result<Option<u8>> {
        Ok(Some(match self.expr(shape)? {
            Type::Int64 | Type::UInt64 | Type::Bool => 1,
            Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown()) => ts.len() as u8,
            Type::Unknown => return Ok(None),
            t => {
                return Err(CompileError::typing(
                    "np.random size",
                    format!("np.random.{}() takes a size that is an int or a tuple of ints, not {}", f.name(), type_name(&t)),
                    shape.span,
                ))
            }
        }))
    }

    /// `choice` (`shape`: its size, if given), `shuffle`, `permutation`.
    fn random_own(&mut self, f: RandomFn, args: &[hir::Expr], shape: Option<&hir::Expr>) -> Result<Type> {
        let name = format!("np.random.{}()", f.name());
        let bad = |what: &str, t: &Type, span| {
            CompileError::typing("np.random argument", format!("{name} takes {what}, not {}", type_name(t)), span)
        };
        let x = self.expr(&args[0])?;
        let array = |dtype, ndim| Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false });
        match f {
            RandomFn::Shuffle => match x {
                Type::Array(a) if a.ndim >= 1 => Ok(Type::None),
                Type::Unknown => Ok(Type::Unknown),
                t => Err(bad("an array of at least one dimension", &t, args[0].span)),
            },
            RandomFn::Permutation => match x {
                Type::Int64 | Type::UInt64 | Type::Bool => Ok(array(Dtype::Int64, 1)),
                Type::Array(a) if a.ndim >= 1 => Ok(array(a.dtype, a.ndim)),
                Type::Unknown => Ok(Type::Unknown),
                t => Err(bad("an int or an array of at least one dimension", &t, args[0].span)),
            },
            _ => {
                let dtype = match &x {
                    Type::Int64 | Type::UInt64 | Type::Bool => Some(Dtype::Int64),
                    Type::Array(a) if a.ndim == 1 => Some(a.dtype),
                    Type::Unknown => None,
                    t => return Err(bad("an int or a 1-dimensional array as 'a'", t, args[0].span)),
                };
                let replace = self.expr(&args[1])?;
                if !matches!(replace, Type::Bool | Type::Int64 | Type::UInt64 | Type::Unknown) {
                    return Err(bad("a bool as 'replace'", &replace, args[1].span));
                }
                match self.expr(&args[2])? {
                    Type::None | Type::Unknown => {}
                    Type::Array(p) if p.ndim == 1 => {}
                    t => return Err(bad("None or a 1-dimensional array as 'p'", &t, args[2].span)),
                }
                let ndim = match shape {
                    Some(s) => self.random_size(f, s)?,
                    None => Some(0),
                };
                Ok(match (dtype, ndim) {
                    (Some(d), Some(0)) if shape.is_none() => d.row().element.clone(),
                    (Some(d), Some(n)) => array(d, n),
                    _ => Type::Unknown,
                })
            }
        }
    }
}

impl InferCx<'_> {
    /// `random.f(...)` of Python's `random` module: ints where CPython takes an index (seed,
    /// randint, randrange, a range's bounds), numbers elsewhere; `choice` and `shuffle` take a
    /// 1-D array.
    pub(super) fn pyrandom(&mut self, f: PyRandomFn, args: &[hir::Expr]) -> Result<Type> {
        let name = format!("random.{}()", f.name());
        let mut known = true;
        let one_d = matches!(f, PyRandomFn::Shuffle) || (f == PyRandomFn::Choice && args.len() == 1);
        let mut element = Type::Int64;
        for (k, a) in args.iter().enumerate() {
            let t = self.expr(a)?;
            let int = matches!(
                f,
                PyRandomFn::Seed | PyRandomFn::Randint | PyRandomFn::Randrange | PyRandomFn::Choice | PyRandomFn::Getrandbits
            );
            let ok = match &t {
                Type::Unknown => {
                    known = false;
                    true
                }
                Type::Array(at) if one_d => {
                    element = at.dtype.row().element.clone();
                    at.ndim == 1
                }
                _ if one_d => false,
                Type::Int64 | Type::Bool => true,
                Type::Float64 | Type::Float32 | Type::UInt64 => !int,
                _ => false,
            };
            if !ok {
                let want = if one_d {
                    "a 1-dimensional array (or, for choice, range(...))"
                } else if int {
                    "an int"
                } else {
                    "a number"
                };
                let pname = f.row().params.get(k).map_or("argument", |p| p.name);
                return Err(CompileError::typing(
                    "random argument",
                    format!("{name} takes {want} for '{pname}', not {}", type_name(&t)),
                    a.span,
                ));
            }
        }
        if !known {
            return Ok(Type::Unknown);
        }
        Ok(match f {
            PyRandomFn::Seed | PyRandomFn::Shuffle => Type::None,
            PyRandomFn::Randint | PyRandomFn::Randrange => Type::Int64,
            // An int64 when the bits are a constant that fits one (`getrandbits(32)`), else a
            // uint64 (up to 64 bits), as Numba's.
            PyRandomFn::Getrandbits if hir::const_index(&args[0]).is_some_and(|k| k <= 63) => Type::Int64,
            PyRandomFn::Getrandbits => Type::UInt64,
            PyRandomFn::Choice => element,
            _ => Type::Float64,
        })
    }
}
