//! Typing of the `np.linalg` functions: a 2-D array (of float32, or of anything else taken as
//! float64), results of NumPy's shapes and dtypes.

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
        if a.dtype == Dtype::Bool && f != LinalgFn::Norm {
            return Err(wrong(0, "a numeric array (bool matrices are not compiled)"));
        }
        // LAPACK computes in float32 for float32 input, else in float64 (NumPy converts).
        let float = if a.dtype == Dtype::Float32 { Dtype::Float32 } else { Dtype::Float64 };
        if f == LinalgFn::Norm {
            if a.ndim == 0 {
                return Err(wrong(0, "an array of at least one dimension"));
            }
            return Ok(float.row().element.clone());
        }
        if a.ndim != 2 {
            return Err(CompileError::unsupported_because(
                "linear algebra argument",
                format!("{name} of a {}-D array: 2-D arrays are compiled (stacks of matrices are not yet)", a.ndim),
                args[0].span,
            ));
        }
        Ok(match f {
            LinalgFn::Solve => {
                let Some(b) = tys[1].array().filter(|b| (1..=2).contains(&b.ndim) && b.dtype != Dtype::Bool) else {
                    return Err(wrong(1, "a numeric 1-D or 2-D array as b"));
                };
                let dtype = if float == Dtype::Float32 && b.dtype == Dtype::Float32 { Dtype::Float32 } else { Dtype::Float64 };
                array(dtype, b.ndim)
            }
            LinalgFn::Inv | LinalgFn::Cholesky => array(float, 2),
            LinalgFn::Det => float.row().element.clone(),
            LinalgFn::Slogdet => Type::Tuple(vec![float.row().element.clone(), float.row().element.clone()]),
            LinalgFn::Eigh => Type::Tuple(vec![array(float, 1), array(float, 2)]),
            LinalgFn::Eigvalsh => array(float, 1),
            LinalgFn::MatrixPower => {
                if !matches!(tys[1], Type::Int64 | Type::Bool) {
                    return Err(wrong(1, "an int as the power"));
                }
                array(a.dtype, 2)
            }
            LinalgFn::Norm => unreachable!("typed above"),
        })
    }
}
