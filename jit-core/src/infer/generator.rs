//! Typing of NumPy's Generator API: `np.random.default_rng(seed)` takes an int (or nothing)
//! and gives a [`Type::Generator`]; a method takes a Generator, numbers for its parameters (ints
//! for `integers`), and gives one float64/int64 draw when `size` is None, else a C-contiguous
//! array of `size` (an int or a tuple of ints). `choice`, `shuffle` and `permutation` are typed
//! as their `np.random` namesakes are.

use super::{type_name, InferCx};
use crate::error::{CompileError, Result};
use crate::hir;
use crate::registry::generator::GenFn;
use crate::registry::random::{RandomResult, RandomShape};
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

fn array(dtype: Dtype, ndim: u8) -> Type {
    Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false })
}

impl InferCx<'_> {
    /// `np.random.default_rng(seed)`: an int seed (bool, int64 or uint64), none, or a Generator
    /// (given back, as NumPy does).
    pub(super) fn default_rng(&mut self, args: &[hir::Expr]) -> Result<Type> {
        if let Some(seed) = args.first() {
            match self.expr(seed)? {
                Type::Int64 | Type::UInt64 | Type::Bool | Type::None | Type::Unknown | Type::Generator => {}
                t => {
                    return Err(CompileError::typing(
                        "np.random.default_rng seed",
                        format!(
                            "np.random.default_rng() takes an int seed (or None, or a Generator) in compiled code, not {}; NumPy's SeedSequence takes an int or a sequence of ints",
                            type_name(&t)
                        ),
                        seed.span,
                    ))
                }
            }
        }
        Ok(Type::Generator)
    }

    /// The size of an array of draws: None when there is none (one draw), `Some(None)` when
    /// not known yet, else its number of dimensions.
    fn generator_size(&mut self, f: GenFn, size: &hir::Expr) -> Result<Option<Option<u8>>> {
        Ok(Some(Some(match self.expr(size)? {
            Type::None => return Ok(None),
            Type::Int64 | Type::UInt64 | Type::Bool => 1,
            Type::Tuple(ts) if ts.iter().all(|t| t.is_integer_or_unknown()) => ts.len() as u8,
            Type::Unknown => return Ok(Some(None)),
            t => {
                return Err(CompileError::typing(
                    "Generator size",
                    format!("Generator.{}() takes a size that is an int or a tuple of ints, not {}", f.name(), type_name(&t)),
                    size.span,
                ))
            }
        })))
    }

    /// A call of the Generator method `f` ([`hir::Intrinsic::Generator`]).
    pub(super) fn generator_method(&mut self, f: GenFn, args: &[hir::Expr]) -> Result<Type> {
        let name = format!("Generator.{}()", f.name());
        match self.expr(&args[0])? {
            Type::Generator => {}
            Type::Unknown => return Ok(Type::Unknown),
            t => {
                return Err(CompileError::typing(
                    "Generator method",
                    format!("'.{}()' is compiled as a method of a numpy.random.Generator, not of {}", f.name(), type_name(&t)),
                    args[0].span,
                ))
            }
        }
        if f.row().shape == RandomShape::Own {
            return self.generator_own(f, &name, args);
        }
        let row = f.row();
        let mut known = true;
        for (a, p) in args[1..].iter().zip(row.params) {
            let t = self.expr(a)?;
            let ok = match t {
                Type::Unknown => {
                    known = false;
                    true
                }
                Type::Int64 | Type::Bool => true,
                Type::Float64 | Type::Float32 | Type::UInt64 => !p.int,
                _ => false,
            };
            if !ok {
                let want = if p.int { "an int" } else { "a number (arrays of parameters are not compiled yet)" };
                return Err(CompileError::typing(
                    "Generator argument",
                    format!("{name} takes {want} for '{}', not {}", p.name, type_name(&t)),
                    a.span,
                ));
            }
        }
        let size = &args[1 + row.params.len()];
        let ndim = self.generator_size(f, size)?;
        if f == GenFn::Integers {
            let endpoint = &args[args.len() - 1];
            let t = self.expr(endpoint)?;
            if !t.is_integer_or_unknown() {
                return Err(CompileError::typing(
                    "Generator argument",
                    format!("{name} takes a bool for 'endpoint', not {}", type_name(&t)),
                    endpoint.span,
                ));
            }
        }
        let int = row.result == RandomResult::Int;
        Ok(match ndim {
            _ if !known => Type::Unknown,
            None if int => Type::Int64,
            None => Type::Float64,
            Some(None) => Type::Unknown,
            Some(Some(n)) => array(if int { Dtype::Int64 } else { Dtype::Float64 }, n),
        })
    }

    /// `choice(a, replace, p, size, shuffle)`, `shuffle(x)`, `permutation(x)` (after the
    /// Generator in `args[0]`).
    fn generator_own(&mut self, f: GenFn, name: &str, args: &[hir::Expr]) -> Result<Type> {
        let bad = |what: &str, t: &Type, span| {
            CompileError::typing("Generator argument", format!("{name} takes {what}, not {}", type_name(t)), span)
        };
        let x = self.expr(&args[1])?;
        match f {
            GenFn::Shuffle => match x {
                Type::Array(a) if a.ndim >= 1 => Ok(Type::None),
                Type::Unknown => Ok(Type::Unknown),
                t => Err(bad("an array of at least one dimension", &t, args[1].span)),
            },
            GenFn::Permutation => match x {
                Type::Int64 | Type::UInt64 | Type::Bool => Ok(array(Dtype::Int64, 1)),
                Type::Array(a) if a.ndim >= 1 => Ok(array(a.dtype, a.ndim)),
                Type::Unknown => Ok(Type::Unknown),
                t => Err(bad("an int or an array of at least one dimension", &t, args[1].span)),
            },
            _ => {
                let dtype = match &x {
                    Type::Int64 | Type::UInt64 | Type::Bool => Some(Dtype::Int64),
                    Type::Array(a) if a.ndim == 1 => Some(a.dtype),
                    Type::Unknown => None,
                    t => return Err(bad("an int or a 1-dimensional array as 'a'", t, args[1].span)),
                };
                for (k, what) in [(2, "replace"), (5, "shuffle")] {
                    let t = self.expr(&args[k])?;
                    if !t.is_integer_or_unknown() {
                        return Err(bad(&format!("a bool as '{what}'"), &t, args[k].span));
                    }
                }
                match self.expr(&args[3])? {
                    Type::None | Type::Unknown => {}
                    Type::Array(p) if p.ndim == 1 && !p.dtype.is_complex() => {}
                    t => return Err(bad("None or a 1-dimensional array of numbers as 'p'", &t, args[3].span)),
                }
                let ndim = self.generator_size(f, &args[4])?;
                Ok(match (dtype, ndim) {
                    (Some(d), None) => d.row().element.clone(),
                    (Some(d), Some(Some(n))) => array(d, n),
                    _ => Type::Unknown,
                })
            }
        }
    }
}
