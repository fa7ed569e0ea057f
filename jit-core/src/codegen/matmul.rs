//! Codegen of matrix products (`a @ b`, `np.matmul`, `np.dot`, `a.dot(b)`) of 1-D and 2-D
//! arrays: the inner sizes checked (NumPy's ValueError), operands of another dtype than the
//! result converted, and the product made by the runtime (`linalg::sj_rt_matmul`: BLAS for
//! floats) into a new C-contiguous array, or a number for two vectors.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::abi::array_value as field;
use crate::ast::BinOp;
use crate::hir;
use crate::runtime::Status;
use crate::types::{promote_dtypes, ArrayType, Layout, Type};

/// One operand as the runtime takes it: a matrix (a vector is one row, or one column).
struct Matrix<'ctx> {
    data: PointerValue<'ctx>,
    rows: IntValue<'ctx>,
    cols: IntValue<'ctx>,
    s0: IntValue<'ctx>,
    s1: IntValue<'ctx>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `left @ right` (`op` MatMul) or `np.dot(left, right)` (`op` Dot), of type `ty`.
    pub(super) fn matmul(&mut self, e: &hir::Expr, op: BinOp, left: &hir::Expr, right: &hir::Expr) -> BasicValueEnum<'ctx> {
        let (Type::Array(lt), Type::Array(rt)) = (self.ty(left), self.ty(right)) else {
            unreachable!("inference allows products of arrays only")
        };
        let ty = self.ty(e);
        let dtype = promote_dtypes(lt.dtype, rt.dtype);
        let l = self.expr(left);
        let r = self.expr(right);
        // The shapes: (m, k) @ (k2, n), a vector on the left a row, on the right a column.
        let (ls, rs) = (l.into_struct_value(), r.into_struct_value());
        let dims = |g: &Self, s, t: &ArrayType| -> Vec<IntValue<'ctx>> {
            (0..t.ndim as u32).map(|k| g.dim(s, field::SHAPE, k)).collect()
        };
        let (ld, rd) = (dims(self, ls, &lt), dims(self, rs, &rt));
        let k = *ld.last().expect("inference allows 1-D and 2-D operands");
        let k2 = rd[0];
        let differ = self.b().build_int_compare(IntPredicate::NE, k, k2, "inner.differ").u();
        self.on_failure(differ, |g| {
            let helper = g.helper(Helper::MatmulShapes);
            let shape_of = |d: &[IntValue<'ctx>]| [g.i64(d.len() as i64), d[0], *d.get(1).unwrap_or(&g.i64(0))];
            let (a, b) = (shape_of(&ld), shape_of(&rd));
            let dot = g.ctx().bool_type().const_int((op == BinOp::Dot) as u64, false);
            let args = [dot.into(), a[0].into(), a[1].into(), a[2].into(), b[0].into(), b[1].into(), b[2].into()];
            g.b().build_call(helper, &args, "").u();
            g.ret_status(g.module_gen.status_llty().const_int(Status::MatmulShapes as u64, false));
        });
        // Operands of another dtype, converted (held until the product is made).
        let mut converted = Vec::new();
        let mut as_dtype = |g: &mut Self, v: BasicValueEnum<'ctx>, t: ArrayType| -> (BasicValueEnum<'ctx>, ArrayType) {
            if t.dtype == dtype {
                return (v, t);
            }
            let c_t = ArrayType { dtype, layout: Layout::C, readonly: false, ..t };
            let c = g.copy_c(v.into_struct_value(), &t, c_t);
            converted.push((c, c_t));
            (c, c_t)
        };
        let (l, lt) = as_dtype(self, l, lt);
        let (r, rt) = as_dtype(self, r, rt);
        let one = self.i64(1);
        let zero = self.i64(0);
        let a = {
            let s = l.into_struct_value();
            let st = self.strides(s, &lt);
            let data = self.b().build_extract_value(s, field::DATA, "a.data").u().into_pointer_value();
            match lt.ndim {
                1 => Matrix { data, rows: one, cols: ld[0], s0: zero, s1: st[0] },
                _ => Matrix { data, rows: ld[0], cols: ld[1], s0: st[0], s1: st[1] },
            }
        };
        let b = {
            let s = r.into_struct_value();
            let st = self.strides(s, &rt);
            let data = self.b().build_extract_value(s, field::DATA, "b.data").u().into_pointer_value();
            match rt.ndim {
                1 => Matrix { data, rows: rd[0], cols: one, s0: st[0], s1: zero },
                _ => Matrix { data, rows: rd[0], cols: rd[1], s0: st[0], s1: st[1] },
            }
        };
        // The result: a new array, or (two vectors) a number in a stack slot.
        let (result, out) = match &ty {
            Type::Array(res_t) => {
                let shape: Vec<IntValue<'ctx>> = match (lt.ndim, rt.ndim) {
                    (1, _) => vec![b.cols],
                    (_, 1) => vec![a.rows],
                    _ => vec![a.rows, b.cols],
                };
                let (v, data, _) = self.alloc_c(res_t, &shape, false);
                self.own_temp(e.id, v, &ty);
                (Some(v), data)
            }
            _ => (None, self.entry_alloca(self.module_gen.dtype_llty(dtype), "dot.value")),
        };
        let f = self.helper(Helper::Matmul);
        let dot_flag = if op == BinOp::Dot { crate::linalg::NP_DOT as u64 } else { 0 };
        let code = self.ctx().i32_type().const_int(dtype as u64 | dot_flag, false);
        let args = [
            code.into(),
            a.rows.into(),
            b.cols.into(),
            a.cols.into(),
            a.data.into(),
            a.s0.into(),
            a.s1.into(),
            b.data.into(),
            b.s0.into(),
            b.s1.into(),
            out.into(),
        ];
        let status = self.call_basic(f, &args).into_int_value();
        let failed = self.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "matmul.failed").u();
        self.on_failure(failed, |g| g.ret_status(status));
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        match result {
            Some(v) => v,
            None => self.load_element(out, dtype),
        }
    }
}
