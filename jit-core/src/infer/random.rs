//! Typing of `np.random` calls: each parameter a number (an int where NumPy takes an integer),
//! a draw a float64 or an int64 (`seed` None), and `size=` an int or a tuple of ints giving a
//! C-contiguous array of draws.

use super::{type_name, InferCx};
use crate::error::{CompileError, Result};
use crate::hir;
use crate::registry::random::{RandomFn, RandomResult};
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
        if !self.random_params(f, args)? {
            return Ok(Type::Unknown);
        }
        Ok(match f.row().result {
            RandomResult::Float => Type::Float64,
            RandomResult::Int => Type::Int64,
            RandomResult::Nothing => Type::None,
        })
    }

    /// An array of draws of `f` of shape `shape` ([`hir::NewArray::Random`]).
    pub(super) fn random_array(&mut self, f: RandomFn, args: &[hir::Expr], shape: &hir::Expr) -> Result<Type> {
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
