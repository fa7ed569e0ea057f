//! Typing of the `np.linalg` functions: a 2-D array (of float32, or of anything else taken as
//! float64; complex matrices for inv, solve, det, slogdet, eig and eigvals), results of NumPy's
//! shapes and dtypes.

use crate::error::{CompileError, Result};
use crate::hir;
use crate::registry::linalg::LinalgFn;
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

use super::{type_name, InferCx};

fn array(dtype: Dtype, ndim: u8) -> Type {
    Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false })
}

impl InferCx<'_> {
    pub(super) fn linalg(&mut self, f: LinalgFn, args: &[hir::Expr]) -> Result<Type> {
        let tys = args.iter().map(|a| self.expr(a)).collect::<Result<Vec<_>>>()?;
        if tys.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        let name = format!("np.linalg.{}()", f.name());
        let wrong = |i: usize, want: &str| {
            CompileError::typing(
                "linear algebra argument",
                format!("{name} takes {want}, not {}", type_name(&tys[i])),
                args[i].span,
            )
        };
        let Some(a) = tys[0].array() else { return Err(wrong(0, "an array")) };
        if matches!(f, LinalgFn::NormFro | LinalgFn::NormNuc) && a.ndim != 2 {
            // NumPy: ValueError ("Invalid norm order 'fro' for vectors", "Improper number of
            // dimensions to norm."); the number of dimensions is known here.
            return Err(CompileError::unsupported_because(
                "linear algebra argument",
                format!("{name} with ord 'fro' or 'nuc' takes a 2-D array, not a {}-D one (NumPy raises ValueError)", a.ndim),
                args[0].span,
            ));
        }
        if a.dtype == Dtype::Bool && !matches!(f, LinalgFn::Norm | LinalgFn::NormFro) {
            return Err(wrong(0, "a numeric array (bool matrices are not compiled)"));
        }
        let b_complex = matches!(f, LinalgFn::Solve | LinalgFn::Lstsq)
            && tys.get(1).and_then(|t| t.array()).is_some_and(|b| b.dtype.is_complex());
        if stacked(f, a, &tys) {
            if a.ndim < 2 {
                return Err(wrong(0, "an array of at least two dimensions"));
            }
            // A stack of matrices (NumPy's gufunc loop over the leading axes): typed as one
            // matrix's, each result given the stack's leading axes.
            let one = ArrayType { ndim: 2, ..a };
            let base = if a.dtype.is_complex() || b_complex {
                self.complex_linalg(f, &name, one, &tys, args)?
            } else {
                self.real_linalg(f, &name, one, &tys, args)?
            };
            let b_ndim = tys.get(1).and_then(|t| t.array()).map_or(0, |b| b.ndim);
            let batch = if f == LinalgFn::Solve && b_ndim >= 2 { a.ndim.max(b_ndim) } else { a.ndim } - 2;
            return Ok(with_batch(base, batch));
        }
        if f == LinalgFn::Norm && tys.len() > 1 && a.dtype.is_complex() {
            // ord or axis of a complex array: typed as for its parts (the norms are real).
            let part = if a.dtype == Dtype::Complex64 { Dtype::Float32 } else { Dtype::Float64 };
            return self.real_linalg(f, &name, ArrayType { dtype: part, ..a }, &tys, args);
        }
        if a.dtype.is_complex() || b_complex {
            return self.complex_linalg(f, &name, a, &tys, args);
        }
        self.real_linalg(f, &name, a, &tys, args)
    }

    /// np.linalg of a real matrix (or vector, or array for `norm`), computed in float32 for
    /// float32 input, else in float64.
    fn real_linalg(&self, f: LinalgFn, name: &str, a: ArrayType, tys: &[Type], args: &[hir::Expr]) -> Result<Type> {
        let wrong = |i: usize, want: &str| {
            CompileError::typing(
                "linear algebra argument",
                format!("{name} takes {want}, not {}", type_name(&tys[i])),
                args[i].span,
            )
        };
        // LAPACK computes in float32 for float32 input, else in float64 (NumPy converts).
        let float = if a.dtype == Dtype::Float32 { Dtype::Float32 } else { Dtype::Float64 };
        if f == LinalgFn::Norm {
            if a.ndim == 0 {
                return Err(wrong(0, "an array of at least one dimension"));
            }
            if tys.len() == 1 {
                return Ok(float.row().element.clone());
            }
            // ord and axis (lowering writes None for the one left out).
            if tys[1] != Type::None && !tys[1].is_numeric() {
                return Err(wrong(1, "a number or None as ord (the strings 'fro' and 'nuc' are not compiled)"));
            }
            if tys[2] != Type::None && !matches!(tys[2], Type::Int64 | Type::UInt64 | Type::Bool) {
                return Err(wrong(2, "an int or None as axis (a tuple of axes is not compiled)"));
            }
            if a.ndim > 2 {
                // NumPy's vector norms along one axis of an N-D array: the axis must be known
                // here (the result's shape and the loop over the other axes depend on it).
                let Some(k) = (tys[2] != Type::None).then(|| hir::const_index(&args[2])).flatten() else {
                    return Err(CompileError::unsupported_because(
                        "linear algebra argument",
                        format!(
                            "{name} with ord or axis of a {}-D array takes axis as an int literal (the vector norms along that axis); without an axis NumPy raises ValueError (Improper number of dimensions to norm.), and a tuple of axes (matrix norms of a stack) is not compiled",
                            a.ndim
                        ),
                        args[0].span,
                    ));
                };
                let n = i64::from(a.ndim);
                if !(-n..n).contains(&k) {
                    return Err(CompileError::typing(
                        "linear algebra argument",
                        format!("axis {k} is out of bounds for array of dimension {n} (NumPy's AxisError)"),
                        args[2].span,
                    ));
                }
                return Ok(array(float, a.ndim - 1));
            }
            return Ok(if tys[2] != Type::None && a.ndim == 2 { array(float, 1) } else { float.row().element.clone() });
        }
        if a.ndim != 2 {
            return Err(not_2d(f, name, a.ndim, args[0].span));
        }
        Ok(match f {
            LinalgFn::Solve => {
                let Some(b) = tys[1].array().filter(|b| b.ndim >= 1 && b.dtype != Dtype::Bool) else {
                    return Err(wrong(1, "a numeric array of at least one dimension as b"));
                };
                let dtype = if float == Dtype::Float32 && b.dtype == Dtype::Float32 { Dtype::Float32 } else { Dtype::Float64 };
                array(dtype, b.ndim.min(2))
            }
            LinalgFn::Inv | LinalgFn::Cholesky => array(float, 2),
            LinalgFn::Det => float.row().element.clone(),
            LinalgFn::Slogdet => Type::tuple(vec![float.row().element.clone(), float.row().element.clone()]),
            LinalgFn::Eigh => Type::tuple(vec![array(float, 1), array(float, 2)]),
            LinalgFn::Eigvalsh => array(float, 1),
            // Real eigenvalues only (Numba's choice: a complex one is a ValueError at run time).
            LinalgFn::Eig => Type::tuple(vec![array(float, 1), array(float, 2)]),
            LinalgFn::Eigvals => array(float, 1),
            LinalgFn::MatrixPower => {
                if !matches!(tys[1], Type::Int64 | Type::Bool) {
                    return Err(wrong(1, "an int as the power"));
                }
                array(a.dtype, 2)
            }
            LinalgFn::Svd | LinalgFn::SvdReduced => Type::tuple(vec![array(float, 2), array(float, 1), array(float, 2)]),
            LinalgFn::SvdVals => array(float, 1),
            LinalgFn::Qr => Type::tuple(vec![array(float, 2), array(float, 2)]),
            LinalgFn::Lstsq => {
                let Some(b) = tys[1].array().filter(|b| (1..=2).contains(&b.ndim) && b.dtype != Dtype::Bool) else {
                    return Err(wrong(1, "a numeric 1-D or 2-D array as b"));
                };
                if tys.len() > 2 && !tys[2].is_numeric() {
                    return Err(wrong(2, "a number as rcond"));
                }
                let dtype = if float == Dtype::Float32 && b.dtype == Dtype::Float32 { Dtype::Float32 } else { Dtype::Float64 };
                Type::tuple(vec![array(dtype, b.ndim), array(dtype, 1), Type::Int64, array(dtype, 1)])
            }
            LinalgFn::Pinv | LinalgFn::MatrixRank => {
                if tys.len() > 1 && !tys[1].is_numeric() {
                    return Err(wrong(1, if f == LinalgFn::Pinv { "a number as rcond" } else { "a number as tol" }));
                }
                if f == LinalgFn::Pinv {
                    array(float, 2)
                } else {
                    Type::Int64
                }
            }
            LinalgFn::Cond | LinalgFn::NormNuc => float.row().element.clone(),
            LinalgFn::NormFro => float.row().element.clone(),
            LinalgFn::Norm => unreachable!("typed above"),
        })
    }

    /// np.linalg of a complex matrix (or solve with a complex right-hand side): inv, solve, det
    /// and slogdet, computed in complex64 when every operand is single precision (float32 or
    /// complex64), else in complex128, as NumPy's `_commonType`; the others are CompileErrors.
    fn complex_linalg(&self, f: LinalgFn, name: &str, a: ArrayType, tys: &[Type], args: &[hir::Expr]) -> Result<Type> {
        use LinalgFn::*;
        let supported = matches!(
            f,
            Inv | Solve
                | Det
                | Slogdet
                | Eig
                | Eigvals
                | Cholesky
                | Eigh
                | Eigvalsh
                | MatrixPower
                | Svd
                | SvdReduced
                | SvdVals
                | MatrixRank
                | Cond
                | NormFro
                | NormNuc
                | Qr
                | Pinv
                | Lstsq
        ) || (f == Norm && tys.len() == 1);
        if !supported {
            return Err(CompileError::unsupported_because(
                "linear algebra argument",
                format!(
                    "{name} of complex arrays is not compiled yet (inv, solve, det, slogdet, eig, eigvals, cholesky, eigh, eigvalsh, matrix_power, svd, svdvals, qr, pinv, lstsq, matrix_rank, cond, and norm are)"
                ),
                args[0].span,
            ));
        }
        if a.ndim != 2 && !(f == LinalgFn::Norm && a.ndim >= 1) {
            return Err(not_2d(f, name, a.ndim, args[0].span));
        }
        let single = |d: Dtype| matches!(d, Dtype::Float32 | Dtype::Complex64);
        let mut all_single = single(a.dtype);
        if matches!(f, LinalgFn::Solve | LinalgFn::Lstsq) {
            let lstsq = f == LinalgFn::Lstsq;
            let Some(b) = tys[1].array().filter(|b| b.ndim >= 1 && (b.ndim <= 2 || !lstsq) && b.dtype != Dtype::Bool) else {
                return Err(CompileError::typing(
                    "linear algebra argument",
                    format!(
                        "{name} takes a numeric {} array as b, not {}",
                        if lstsq { "1-D or 2-D" } else { "1-D or more-D" },
                        type_name(&tys[1])
                    ),
                    args[1].span,
                ));
            };
            all_single &= single(b.dtype);
        }
        let (complex, real) = if all_single { (Dtype::Complex64, Dtype::Float32) } else { (Dtype::Complex128, Dtype::Float64) };
        Ok(match f {
            LinalgFn::Inv => array(complex, 2),
            LinalgFn::Solve => array(complex, tys[1].array().map_or(1, |b| b.ndim.min(2))),
            LinalgFn::Det => complex.row().element.clone(),
            LinalgFn::Eig => Type::tuple(vec![array(complex, 1), array(complex, 2)]),
            LinalgFn::Eigvals => array(complex, 1),
            LinalgFn::Cholesky => array(complex, 2),
            LinalgFn::Svd | LinalgFn::SvdReduced => Type::tuple(vec![array(complex, 2), array(real, 1), array(complex, 2)]),
            LinalgFn::SvdVals => array(real, 1),
            LinalgFn::Qr => Type::tuple(vec![array(complex, 2), array(complex, 2)]),
            LinalgFn::Lstsq => {
                if tys.len() > 2 && !tys[2].is_numeric() {
                    return Err(CompileError::typing(
                        "linear algebra argument",
                        format!("{name} takes a number as rcond, not {}", type_name(&tys[2])),
                        args[2].span,
                    ));
                }
                let b_ndim = tys[1].array().map_or(1, |b| b.ndim);
                Type::tuple(vec![array(complex, b_ndim), array(real, 1), Type::Int64, array(real, 1)])
            }
            LinalgFn::Pinv => {
                if tys.len() > 1 && !tys[1].is_numeric() {
                    return Err(CompileError::typing(
                        "linear algebra argument",
                        format!("{name} takes a number as rcond, not {}", type_name(&tys[1])),
                        args[1].span,
                    ));
                }
                array(complex, 2)
            }
            LinalgFn::Cond | LinalgFn::Norm | LinalgFn::NormFro | LinalgFn::NormNuc => real.row().element.clone(),
            LinalgFn::MatrixRank => {
                if tys.len() > 1 && !tys[1].is_numeric() {
                    return Err(CompileError::typing(
                        "linear algebra argument",
                        format!("{name} takes a number as tol, not {}", type_name(&tys[1])),
                        args[1].span,
                    ));
                }
                Type::Int64
            }
            LinalgFn::Eigh => Type::tuple(vec![array(real, 1), array(complex, 2)]),
            LinalgFn::Eigvalsh => array(real, 1),
            LinalgFn::MatrixPower => {
                if !matches!(tys[1], Type::Int64 | Type::Bool) {
                    return Err(CompileError::typing(
                        "linear algebra argument",
                        format!("{name} takes an int as the power, not {}", type_name(&tys[1])),
                        args[1].span,
                    ));
                }
                // NumPy's products keep a's dtype.
                array(a.dtype, 2)
            }
            _ => Type::tuple(vec![complex.row().element.clone(), real.row().element.clone()]),
        })
    }
}

/// The functions that take stacks of matrices (arrays of 3 or more dimensions, NumPy's loop
/// over the leading axes), for messages.
const STACKED: &str = "stacks of matrices are compiled for inv, solve, det, slogdet, cholesky, eigh, eigvalsh, eig, eigvals, matrix_power, svd, svdvals, qr, pinv, matrix_rank and cond";

/// The CompileError for `f` of an array of `ndim` dimensions other than 2 (and no stack `f`
/// takes): `lstsq` names NumPy's own refusal (NumPy 2's `lstsq` takes no stacks either).
fn not_2d(f: LinalgFn, name: &str, ndim: u8, span: crate::ast::Span) -> CompileError {
    let why = if f == LinalgFn::Lstsq {
        format!(
            "{name} of a {ndim}-D array: NumPy's lstsq takes a 2-D matrix only, not a stack of matrices (NumPy raises LinAlgError: {ndim}-dimensional array given. Array must be two-dimensional); call it per matrix"
        )
    } else {
        format!("{name} of a {ndim}-D array: 2-D arrays are compiled ({STACKED})")
    };
    CompileError::unsupported_because("linear algebra argument", why, span)
}

/// Whether `f(a, ...)` is a stack of matrices: a of 3 or more dimensions (or solve's b), for a
/// function that takes stacks.
fn stacked(f: LinalgFn, a: ArrayType, tys: &[Type]) -> bool {
    use LinalgFn::*;
    let b_ndim = tys.get(1).and_then(|t| t.array()).map_or(0, |b| b.ndim);
    matches!(
        f,
        Inv | Solve
            | Det
            | Slogdet
            | Cholesky
            | Eigh
            | Eigvalsh
            | Eig
            | Eigvals
            | MatrixPower
            | Svd
            | SvdReduced
            | SvdVals
            | Qr
            | Pinv
            | MatrixRank
            | Cond
    ) && (a.ndim > 2 || (f == Solve && b_ndim > 2))
}

/// One matrix's result type `t` given `batch` leading axes: a number becomes an array of them,
/// an array gains them, a tuple's items each.
fn with_batch(t: Type, batch: u8) -> Type {
    match t {
        Type::Array(x) => Type::Array(ArrayType { ndim: x.ndim + batch, ..x }),
        Type::Tuple(items) => Type::Tuple(items.into_iter().map(|t| with_batch(t, batch)).collect()),
        t if batch == 0 || !t.is_number() => t,
        t => array(Dtype::of_scalar(&t), batch),
    }
}
