//! Typing of a `@vectorize` object's call ([`hir::Intrinsic::Ufunc`]): the loop NumPy would
//! pick for the arguments' dtypes ([`ufunc_loop`]), the kernel specialized for that loop's
//! element types, and the result: a number, or an array of the loop's output dtype over the
//! broadcast arguments.

use crate::error::{CompileError, Result};
use crate::hir::{self, UfuncLoop};
use crate::registry::Dtype;
use crate::types::{promote_dtypes, ArrayType, Layout, Type};

use super::{type_name, InferCx};

/// The arguments as loop selection sees them: each one's dtype, and whether it is a weak number.
/// Arrays (0-d too), float32 and uint64 numbers (which come from NumPy) are strong; compiled
/// code's other numbers are weak as NumPy 2 takes Python's numbers (NEP 50): only their kind
/// counts, if it is not above the strong arguments' kinds (bool < integer < float), else they
/// are int64 or float64 as strong as an array (so too when no argument is strong).
/// The second part says whether every argument is strong: only then may a loop match their
/// dtypes exactly (NumPy dispatches a Python number by its abstract type, never exactly).
fn operands(tys: &[Type]) -> (Vec<(Dtype, bool)>, bool) {
    fn kind(d: Dtype) -> u8 {
        match d {
            Dtype::Bool => 0,
            d if d.is_float() => 2,
            _ => 1,
        }
    }
    let strong = |t: &Type| match t {
        Type::Array(a) => Some(a.dtype),
        Type::Float32 | Type::UInt64 => Some(Dtype::of_scalar(t)),
        _ => None,
    };
    let top = tys.iter().filter_map(strong).map(kind).max();
    let all_strong = tys.iter().all(|t| strong(t).is_some());
    let ops = tys
        .iter()
        .map(|t| match strong(t) {
            Some(d) => (d, false),
            None => {
                let d = Dtype::of_scalar(t);
                (d, top.is_some_and(|top| kind(d) <= top))
            }
        })
        .collect();
    (ops, all_strong)
}

/// Whether NumPy's loop selection lets an argument into a loop's input of dtype `want`: a
/// dtype when it casts safely (`np.can_cast(d, want, 'safe')`); a weak number by its kind (a
/// bool into any loop, an int into an integer or float one, a float into a float one).
fn fits((d, weak): (Dtype, bool), want: Dtype) -> bool {
    if weak {
        return match d {
            Dtype::Bool => true,
            Dtype::Int64 => want != Dtype::Bool,
            _ => want.is_float(),
        };
    }
    promote_dtypes(d, want) == want
}

/// The loop a call of `u` with arguments of types `tys` (numbers or arrays, none complex)
/// runs, as NumPy's dispatch picks it: the loop whose inputs are the arguments' dtypes when
/// there is one and every argument is strong, else the first of its loops the arguments
/// fit (the legacy linear search; an `out=` array plays no part), or for a lazy
/// object the arguments' own dtypes, the output `ret` (the kernel's return type for them,
/// `None` while unknown). `Err` is the message when no loop fits.
pub(crate) fn ufunc_loop(u: &hir::Ufunc, tys: &[Type], ret: Option<&Type>) -> std::result::Result<UfuncLoop, String> {
    let (ops, all_strong) = operands(tys);
    match &u.loops {
        Some(loops) => loops
            .iter()
            .find(|l| all_strong && ops.iter().zip(&l.inputs).all(|((d, _), w)| d == w))
            .or_else(|| loops.iter().find(|l| ops.iter().zip(&l.inputs).all(|(o, w)| fits(*o, *w))))
            .cloned()
            .ok_or_else(|| {
                let types: Vec<String> = loops.iter().map(|l| format!("{}", LoopText(l))).collect();
                format!(
                    "ufunc '{}' not supported for the input types ({}), and the inputs could not be safely coerced to any \
                 supported types according to the casting rule ''safe'' (its loops: {})",
                    u.name,
                    tys.iter().map(type_name).collect::<Vec<_>>().join(", "),
                    types.join(", ")
                )
            }),
        None => Ok(UfuncLoop {
            inputs: ops.iter().map(|(d, _)| *d).collect(),
            output: ret.map(Dtype::of_scalar).unwrap_or(Dtype::Float64),
        }),
    }
}

/// `float64, float64 -> float64`.
struct LoopText<'a>(&'a UfuncLoop);

impl std::fmt::Display for LoopText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ins: Vec<&str> = self.0.inputs.iter().map(|d| d.name()).collect();
        write!(f, "({}) -> {}", ins.join(", "), self.0.output.name())
    }
}

/// A type a ufunc's kernel may return: a real number.
fn returnable(t: &Type) -> bool {
    matches!(t, Type::Bool | Type::Int64 | Type::UInt64 | Type::Float32 | Type::Float64)
}

impl InferCx<'_> {
    /// The type of `f(args...)`, `f` the `@vectorize` object `self.hir_fn().ufuncs[k]`, the call
    /// being expression `e`; the kernel's specialization is recorded as the call's target.
    pub(super) fn ufunc_call(&mut self, k: u32, e: &hir::Expr, args: &[hir::Expr]) -> Result<Type> {
        let u = &self.hir_fn().ufuncs[k as usize];
        if let Some(g) = &u.gufunc {
            return self.gufunc_call(u, g, e, args);
        }
        let mut tys = Vec::with_capacity(args.len());
        for a in args {
            let t = self.expr(a)?;
            let real = |t: &Type| matches!(t, Type::Bool | Type::Int64 | Type::UInt64 | Type::Float32 | Type::Float64);
            let ok = t == Type::Unknown || real(&t) || t.array().is_some_and(|x| real(&x.dtype.element()));
            if !ok {
                return Err(CompileError::typing(
                    "call of a ufunc",
                    format!("the ufunc '{}' takes numbers and arrays of bool, integers or floats, not {}", u.name, type_name(&t)),
                    a.span,
                ));
            }
            tys.push(t);
        }
        if tys.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        let chosen = ufunc_loop(u, &tys, None).map_err(|m| CompileError::typing("call of a ufunc", m, e.span))?;
        let kernel_args: Vec<Type> = chosen.inputs.iter().map(|d| d.element()).collect();
        let target = self.spec_for(u.func, kernel_args.clone());
        self.specs[self.current].call_targets.insert(e.id, target);
        let ret = self.specs[target].ret.clone();
        if ret == Type::Unknown {
            return Ok(Type::Unknown);
        }
        if !returnable(&ret) {
            let args: Vec<String> = kernel_args.iter().map(type_name).collect();
            return Err(CompileError::typing(
                "call of a ufunc",
                format!(
                    "the kernel of the ufunc '{}' returns {} for arguments of type(s) {}: a ufunc's kernel returns a number \
                     (bool, an integer or a float)",
                    u.name,
                    type_name(&ret),
                    args.join(", ")
                ),
                e.span,
            ));
        }
        let output = match &u.loops {
            Some(_) => chosen.output,
            None => Dtype::of_scalar(&ret),
        };
        let ndim = tys.iter().filter_map(|t| t.array()).map(|a| a.ndim).max();
        Ok(match ndim {
            Some(ndim) => Type::Array(ArrayType { dtype: output, ndim, layout: Layout::C, readonly: false }),
            None if u.loops.is_some() => output.element(),
            None => ret,
        })
    }
}

impl InferCx<'_> {
    /// The type of `g(operands...)` (None), `g` a `@guvectorize` object: its loop chosen by the
    /// inputs (as [`ufunc_loop`]), the kernel specialized for the views and numbers the loop
    /// hands it ([`gufunc_kernel_args`]), every operand checked against the layout.
    fn gufunc_call(&mut self, u: &hir::Ufunc, g: &hir::Gufunc, e: &hir::Expr, args: &[hir::Expr]) -> Result<Type> {
        let mut tys = Vec::with_capacity(args.len());
        for a in args {
            tys.push(self.expr(a)?);
        }
        if tys.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        let fail = |m: String| CompileError::typing("call of a gufunc", m, e.span);
        let kernel_args = gufunc_kernel_args(u, g, &tys).map_err(fail)?;
        let target = self.spec_for(u.func, kernel_args);
        self.specs[self.current].call_targets.insert(e.id, target);
        Ok(Type::None)
    }
}

/// The loop a gufunc call runs (every operand's dtype) and the kernel's argument types for it,
/// or why the call is not compiled.
pub(crate) fn gufunc_loop(u: &hir::Ufunc, g: &hir::Gufunc, tys: &[Type]) -> std::result::Result<Vec<Dtype>, String> {
    let real = |t: &Type| matches!(t, Type::Bool | Type::Int64 | Type::UInt64 | Type::Float32 | Type::Float64);
    for (k, t) in tys.iter().enumerate() {
        let ok = real(t) || t.array().is_some_and(|a| real(&a.dtype.element()));
        if !ok {
            return Err(format!(
                "the gufunc '{}' takes numbers and arrays of bool, integers or floats, not {} (operand {})",
                u.name,
                type_name(t),
                k + 1
            ));
        }
        if k >= g.nin && t.array().is_none() {
            return Err(format!(
                "output operand {} of the gufunc '{}' must be an array, not {}",
                k + 1 - g.nin,
                u.name,
                type_name(t)
            ));
        }
    }
    let dtype_of = |t: &Type| t.array().map(|a| a.dtype).unwrap_or_else(|| Dtype::of_scalar(t));
    Ok(match &u.loops {
        Some(loops) => {
            // NumPy picks the loop by the inputs; the outputs must be of its dtypes here (the
            // kernel writes into them).
            let by_inputs = hir::Ufunc {
                loops: Some(loops.iter().map(|l| UfuncLoop { inputs: l.inputs[..g.nin].to_vec(), output: l.output }).collect()),
                ..u.clone()
            };
            let chosen = ufunc_loop(&by_inputs, &tys[..g.nin], None)?;
            let full = loops.iter().find(|l| l.inputs[..g.nin] == chosen.inputs[..]).expect("one of the loops");
            full.inputs.clone()
        }
        None => tys.iter().map(dtype_of).collect(),
    })
}

/// The kernel's argument types for a gufunc call with operands of types `tys`: each operand's
/// core view (`View`, `One`) as an array of the loop's dtype, or its element (`Scalar`).
pub(crate) fn gufunc_kernel_args(u: &hir::Ufunc, g: &hir::Gufunc, tys: &[Type]) -> std::result::Result<Vec<Type>, String> {
    let dtypes = gufunc_loop(u, g, tys)?;
    let outer = |t: &Type, core: usize| t.array().map(|a| a.ndim as i64 - core as i64).unwrap_or(0);
    let loop_ndim = (0..tys.len()).map(|k| outer(&tys[k], g.core[k].len())).max().unwrap_or(0);
    let mut out = Vec::with_capacity(tys.len());
    for (k, t) in tys.iter().enumerate() {
        let core = g.core[k].len();
        let d = dtypes[k];
        let which = if k < g.nin { format!("input operand {}", k + 1) } else { format!("output operand {}", k + 1 - g.nin) };
        if outer(t, core) < 0 {
            return Err(format!(
                "{which} of the gufunc '{}' has {} dimension(s); its core dimensions ({}) need {core}",
                u.name,
                t.array().map(|a| a.ndim).unwrap_or(0),
                g.layout
            ));
        }
        if k >= g.nin && outer(t, core) != loop_ndim {
            return Err(format!(
                "{which} of the gufunc '{}' has {} loop dimension(s) where the operands have {loop_ndim}: an output \
                 has the operands' whole broadcast shape",
                u.name,
                outer(t, core)
            ));
        }
        match g.kinds[k] {
            hir::GufuncArg::Scalar => out.push(d.element()),
            kind => {
                let Some(a) = t.array() else {
                    return Err(format!("{which} of the gufunc '{}' is a number; its kernel takes an array: pass one", u.name));
                };
                if a.dtype != d {
                    return Err(format!(
                        "{which} of the gufunc '{}' is an array of {}, its loop takes {}: convert it with astype (compiled \
                         code does not cast a gufunc's operands)",
                        u.name,
                        a.dtype.name(),
                        d.name()
                    ));
                }
                let ndim = if kind == hir::GufuncArg::One { 1 } else { core as u8 };
                out.push(Type::Array(ArrayType { dtype: d, ndim, layout: Layout::A, readonly: !g.writable[k] }));
            }
        }
    }
    Ok(out)
}

impl InferCx<'_> {
    /// The type of `f.reduce(a, axis=axis)` (expression `e`), `f` the `@vectorize` object
    /// `ufuncs[k]`: the loop NumPy picks for `(a.dtype, a.dtype)`, whose output must be its
    /// inputs' dtype (NumPy folds into the accumulator); a number for a 1-D array or
    /// `axis=None`, else an array without the axis. `f.accumulate(a, axis=axis)` when
    /// `accumulate`: an array of `a`'s shape. The kernel's specialization is the call's
    /// target.
    pub(super) fn ufunc_reduce(
        &mut self,
        k: u32,
        axis: Option<i64>,
        accumulate: bool,
        e: &hir::Expr,
        args: &[hir::Expr],
    ) -> Result<Type> {
        let u = self.hir_fn().ufuncs[k as usize].clone();
        let t = self.expr(&args[0])?;
        if t == Type::Unknown {
            return Ok(Type::Unknown);
        }
        let method = if accumulate { "accumulate" } else { "reduce" };
        let fail = |m: String| CompileError::typing("ufunc reduce", m, e.span);
        let real = |t: &Type| matches!(t, Type::Bool | Type::Int64 | Type::UInt64 | Type::Float32 | Type::Float64);
        let a = match t.array() {
            Some(a) if real(&a.dtype.element()) && a.ndim >= 1 => a,
            _ => {
                return Err(fail(format!(
                    "'{}.{method}()' takes an array (of one or more dimensions) of bool, integers or floats here, not {}",
                    u.name,
                    type_name(&t)
                )))
            }
        };
        if let Some(ax) = axis {
            if ax < -(a.ndim as i64) || ax >= a.ndim as i64 {
                return Err(fail(format!("axis {ax} is out of bounds for array of dimension {}", a.ndim)));
            }
        }
        let arr = Type::Array(ArrayType { dtype: a.dtype, ndim: 1, layout: Layout::C, readonly: false });
        let chosen = ufunc_loop(&u, &[arr.clone(), arr], None).map_err(fail)?;
        let kernel_args: Vec<Type> = chosen.inputs.iter().map(|d| d.element()).collect();
        let target = self.spec_for(u.func, kernel_args.clone());
        self.specs[self.current].call_targets.insert(e.id, target);
        let ret = self.specs[target].ret.clone();
        if ret == Type::Unknown {
            return Ok(Type::Unknown);
        }
        if !returnable(&ret) {
            return Err(fail(format!(
                "the kernel of the ufunc '{}' returns {} for arguments of type(s) {}: a ufunc's kernel returns a number",
                u.name,
                type_name(&ret),
                kernel_args.iter().map(type_name).collect::<Vec<_>>().join(", ")
            )));
        }
        let output = match &u.loops {
            Some(_) => chosen.output,
            None => Dtype::of_scalar(&ret),
        };
        if chosen.inputs.iter().any(|d| *d != output) {
            return Err(fail(format!(
                "'{}.{method}()' of an array of {} runs the loop {}, whose output dtype is not its inputs': compiled \
                 code reduces with a loop (d, d) -> d only",
                u.name,
                a.dtype.name(),
                LoopText(&UfuncLoop { inputs: chosen.inputs.clone(), output })
            )));
        }
        Ok(match axis {
            _ if accumulate => Type::Array(ArrayType { dtype: output, ndim: a.ndim, layout: Layout::C, readonly: false }),
            Some(_) if a.ndim > 1 => {
                Type::Array(ArrayType { dtype: output, ndim: a.ndim - 1, layout: Layout::C, readonly: false })
            }
            _ => output.element(),
        })
    }
}
