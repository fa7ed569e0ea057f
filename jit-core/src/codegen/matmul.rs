//! Codegen of matrix products (`a @ b`, `np.matmul`, `np.dot`, `a.dot(b)`) of 1-D and 2-D
//! arrays, of stacks of matrices (`@` and `np.matmul` of 3 or more dimensions, NumPy's
//! broadcasting over the leading axes, one 2-D product per matrix), and `np.dot` of 3 or more
//! dimensions (one dot product per element, as NumPy's): the inner sizes checked
//! (NumPy's ValueError), operands of another dtype than the result converted, and each product
//! made by the runtime (`linalg::sj_rt_matmul`: BLAS for floats) into a new C-contiguous array,
//! or a number for two vectors.

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
        let scalar = |t: &Type| !matches!(t, Type::Array(a) if a.ndim > 0);
        if op == BinOp::Dot && (scalar(&self.ty(left)) || scalar(&self.ty(right))) {
            return self.dot_scalar(e, left, right);
        }
        let (Type::Array(lt), Type::Array(rt)) = (self.ty(left), self.ty(right)) else {
            unreachable!("inference allows products of arrays only")
        };
        let ty = self.ty(e);
        let l = self.expr(left);
        let r = self.expr(right);
        self.matmul_product((e.id, &ty), op, (l, lt), (r, rt))
    }

    /// The product of the values `l` and `r` (`op` MatMul or Dot), of type `ty`, the new array
    /// owned as the temporary of expression `id`.
    fn matmul_product(
        &mut self,
        (id, ty): (hir::ExprId, &Type),
        op: BinOp,
        (l, lt): (BasicValueEnum<'ctx>, ArrayType),
        (r, rt): (BasicValueEnum<'ctx>, ArrayType),
    ) -> BasicValueEnum<'ctx> {
        let dtype = promote_dtypes(lt.dtype, rt.dtype);
        if (lt.ndim > 2 || rt.ndim > 2) && op == BinOp::Dot {
            return self.dot_nd((id, ty), (l, lt), (r, rt), dtype);
        }
        if lt.ndim > 2 || rt.ndim > 2 {
            return self.matmul_stacked((id, ty), (l, lt), (r, rt), dtype);
        }
        // The shapes: (m, k) @ (k2, n), a vector on the left a row, on the right a column.
        let Operands { ld, rd, l: (l, lt), r: (r, rt), converted } =
            self.checked_operands((l, lt), (r, rt), dtype, op == BinOp::Dot);
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
        let (result, out) = match ty {
            Type::Array(res_t) => {
                let shape: Vec<IntValue<'ctx>> = match (lt.ndim, rt.ndim) {
                    (1, _) => vec![b.cols],
                    (_, 1) => vec![a.rows],
                    _ => vec![a.rows, b.cols],
                };
                let (v, data, _) = self.alloc_c(res_t, &shape, false);
                self.own_temp(id, v, ty);
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

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `l @ r` with an operand of 3 or more dimensions: NumPy's `matmul` of stacks (a vector
    /// operand a row or a column, its axis dropped from the result), the leading axes
    /// broadcast, one `sj_rt_matmul` per matrix of the result.
    fn matmul_stacked(
        &mut self,
        (id, ty): (hir::ExprId, &Type),
        (l, lt): (BasicValueEnum<'ctx>, ArrayType),
        (r, rt): (BasicValueEnum<'ctx>, ArrayType),
        dtype: crate::registry::Dtype,
    ) -> BasicValueEnum<'ctx> {
        let Type::Array(res_t) = ty else { unreachable!("a stack's product is an array") };
        let Operands { ld, rd, l: (l, lt), r: (r, rt), converted } = self.checked_operands((l, lt), (r, rt), dtype, false);
        let (nl, nr) = (ld.len(), rd.len());
        let k = ld[nl - 1];
        let (ls, rs) = (l.into_struct_value(), r.into_struct_value());
        let (lst, rst) = (self.strides(ls, &lt), self.strides(rs, &rt));
        let (zero, one) = (self.i64(0), self.i64(1));
        // Each operand's matrix: (rows, cols, row stride, column stride).
        let (m, as0, as1) = if nl == 1 { (one, zero, lst[0]) } else { (ld[nl - 2], lst[nl - 2], lst[nl - 1]) };
        let (n, bs0, bs1) = if nr == 1 { (one, rst[0], zero) } else { (rd[nr - 1], rst[nr - 2], rst[nr - 1]) };
        // The leading (batch) axes, right-aligned and broadcast: a length of 1 repeats (stride 0).
        let (lb, rb) = (nl.saturating_sub(2), nr.saturating_sub(2));
        let nb = lb.max(rb);
        let mut batch = Vec::with_capacity(nb);
        let mut a_steps = Vec::with_capacity(nb);
        let mut b_steps = Vec::with_capacity(nb);
        for i in 0..nb {
            let side =
                |g: &Self, count: usize, d: &[IntValue<'ctx>], st: &[IntValue<'ctx>]| -> (IntValue<'ctx>, IntValue<'ctx>) {
                    if i + count < nb {
                        return (g.i64(1), g.i64(0));
                    }
                    let j = i + count - nb;
                    let is_one = g.b().build_int_compare(IntPredicate::EQ, d[j], g.i64(1), "bc.one").u();
                    (d[j], g.b().build_select(is_one, g.i64(0), st[j], "bc.step").u().into_int_value())
                };
            let (da, sa) = side(self, lb, &ld, &lst);
            let (db, sb) = side(self, rb, &rd, &rst);
            let a_one = self.b().build_int_compare(IntPredicate::EQ, da, one, "bc.a1").u();
            let b_one = self.b().build_int_compare(IntPredicate::EQ, db, one, "bc.b1").u();
            let same = self.b().build_int_compare(IntPredicate::EQ, da, db, "bc.same").u();
            let fits = self.b().build_or(self.b().build_or(a_one, b_one, "bc.ones").u(), same, "bc.fits").u();
            let bad = self.b().build_not(fits, "bc.bad").u();
            self.on_failure(bad, |g| {
                g.ret_status(g.module_gen.status_llty().const_int(Status::BroadcastShapes as u64, false));
            });
            batch.push(self.b().build_select(a_one, db, da, "bc.len").u().into_int_value());
            a_steps.push(sa);
            b_steps.push(sb);
        }
        let mut shape = batch.clone();
        if nl >= 2 {
            shape.push(m);
        }
        if nr >= 2 {
            shape.push(n);
        }
        let (result, out, _) = self.alloc_c(res_t, &shape, false);
        self.own_temp(id, result, ty);
        let item = self.i64(dtype.size() as i64);
        let block = self.b().build_int_mul(self.b().build_int_mul(m, n, "mm.mn").u(), item, "mm.block").u();
        let a_data = self.b().build_extract_value(ls, field::DATA, "a.data").u().into_pointer_value();
        let b_data = self.b().build_extract_value(rs, field::DATA, "b.data").u().into_pointer_value();
        let f = self.helper(Helper::Matmul);
        let code = self.ctx().i32_type().const_int(dtype as u64, false);
        self.loop_nest(&batch, &mut |g, idx| {
            let i8t = g.ctx().i8_type();
            let (a_off, b_off, flat) = g.nest_offsets(idx, (&a_steps, &b_steps), &batch);
            let c_off = g.b().build_int_mul(flat, block, "mm.co").u();
            // SAFETY (of the IR): offsets within each operand's and the result's buffer.
            let (a_p, b_p, c_p) = unsafe {
                (
                    g.b().build_gep(i8t, a_data, &[a_off], "mm.a").u(),
                    g.b().build_gep(i8t, b_data, &[b_off], "mm.b").u(),
                    g.b().build_gep(i8t, out, &[c_off], "mm.c").u(),
                )
            };
            let args = [
                code.into(),
                m.into(),
                n.into(),
                k.into(),
                a_p.into(),
                as0.into(),
                as1.into(),
                b_p.into(),
                bs0.into(),
                bs1.into(),
                c_p.into(),
            ];
            let status = g.call_basic(f, &args).into_int_value();
            let failed = g.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "matmul.failed").u();
            g.on_failure(failed, |g| g.ret_status(status));
        });
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        result
    }
    /// `np.dot(l, r)` with an operand of 3 or more dimensions: NumPy's sums over l's last axis
    /// and r's second-to-last (its only one if 1-D), one dot product per element of the result
    /// (of shape l's other axes then r's, each a `sj_rt_matmul` of one row and one column, as
    /// NumPy's `PyArray_MatrixProduct2` calls its dot function per element).
    fn dot_nd(
        &mut self,
        (id, ty): (hir::ExprId, &Type),
        (l, lt): (BasicValueEnum<'ctx>, ArrayType),
        (r, rt): (BasicValueEnum<'ctx>, ArrayType),
        dtype: crate::registry::Dtype,
    ) -> BasicValueEnum<'ctx> {
        let Type::Array(res_t) = ty else { unreachable!("a dot of more dimensions is an array") };
        // np.dot's message names the last two axes of each operand (the helper records two).
        let Operands { ld, rd, l: (l, lt), r: (r, rt), converted } = self.checked_operands((l, lt), (r, rt), dtype, true);
        let (nl, nr) = (ld.len(), rd.len());
        let k = ld[nl - 1];
        let kb = if nr == 1 { 0 } else { nr - 2 };
        let (ls, rs) = (l.into_struct_value(), r.into_struct_value());
        let (lst, rst) = (self.strides(ls, &lt), self.strides(rs, &rt));
        // The loop: l's other axes, then r's (its last included), each with its strides.
        let zero = self.i64(0);
        let mut shape = ld[..nl - 1].to_vec();
        let mut a_steps = lst[..nl - 1].to_vec();
        let mut b_steps = vec![zero; nl - 1];
        for ax in (0..nr).filter(|ax| *ax != kb) {
            shape.push(rd[ax]);
            a_steps.push(zero);
            b_steps.push(rst[ax]);
        }
        let (result, out, _) = self.alloc_c(res_t, &shape, false);
        self.own_temp(id, result, ty);
        let item = self.i64(dtype.size() as i64);
        let a_data = self.b().build_extract_value(ls, field::DATA, "a.data").u().into_pointer_value();
        let b_data = self.b().build_extract_value(rs, field::DATA, "b.data").u().into_pointer_value();
        let (a_k, b_k) = (lst[nl - 1], rst[kb]);
        let f = self.helper(Helper::Matmul);
        let code = self.ctx().i32_type().const_int(dtype as u64 | crate::linalg::NP_DOT as u64, false);
        self.loop_nest(&shape.clone(), &mut |g, idx| {
            let i8t = g.ctx().i8_type();
            let (a_off, b_off, flat) = g.nest_offsets(idx, (&a_steps, &b_steps), &shape);
            let c_off = g.b().build_int_mul(flat, item, "dot.co").u();
            // SAFETY (of the IR): offsets within each operand's and the result's buffer.
            let (a_p, b_p, c_p) = unsafe {
                (
                    g.b().build_gep(i8t, a_data, &[a_off], "dot.a").u(),
                    g.b().build_gep(i8t, b_data, &[b_off], "dot.b").u(),
                    g.b().build_gep(i8t, out, &[c_off], "dot.c").u(),
                )
            };
            let one = g.i64(1);
            let args = [
                code.into(),
                one.into(),
                one.into(),
                k.into(),
                a_p.into(),
                zero.into(),
                a_k.into(),
                b_p.into(),
                b_k.into(),
                zero.into(),
                c_p.into(),
            ];
            let status = g.call_basic(f, &args).into_int_value();
            let failed = g.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "dot.failed").u();
            g.on_failure(failed, |g| g.ret_status(status));
        });
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        result
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `a @= b` of an array local `a` (`read` reads it): NumPy's in-place matmul, `a @ b` made
    /// as a new array (so nothing it reads overlaps what is written), its shape checked against
    /// a's (NumPy's `ValueError` and message), then written into a's memory converted to a's
    /// dtype, as `a[...] = a @ b`.
    pub(super) fn matmul_aug(&mut self, read: &hir::Expr, value: &hir::Expr) {
        let (Type::Array(at), Type::Array(bt)) = (self.ty(read), self.ty(value)) else {
            unreachable!("inference allows `@=` of arrays only")
        };
        let a = self.expr(read);
        let b = self.expr(value);
        let ty = self.aug_type(value);
        let Type::Array(res_t) = ty else { unreachable!("a product of matrices is an array") };
        // The product is the temporary of the local's read (which owns none).
        let p = self.matmul_product((read.id, &ty), BinOp::MatMul, (a, at), (b, bt));
        let (as_, ps) = (a.into_struct_value(), p.into_struct_value());
        let a_dims: Vec<IntValue<'ctx>> = (0..at.ndim as u32).map(|k| self.dim(as_, field::SHAPE, k)).collect();
        let p_dims: Vec<IntValue<'ctx>> = (0..res_t.ndim as u32).map(|k| self.dim(ps, field::SHAPE, k)).collect();
        let mut differ = self.ctx().bool_type().const_zero();
        for (x, y) in a_dims.iter().zip(&p_dims) {
            let ne = self.b().build_int_compare(IntPredicate::NE, *x, *y, "imm.ne").u();
            differ = self.b().build_or(differ, ne, "imm.differ").u();
        }
        self.on_failure(differ, |g| {
            let i64t = g.ctx().i64_type();
            let words = 2 + a_dims.len() + p_dims.len();
            let buf = g.entry_alloca(i64t.array_type(words as u32), "imm.shapes");
            let (na, np) = (g.i64(a_dims.len() as i64), g.i64(p_dims.len() as i64));
            let values: Vec<IntValue<'ctx>> = std::iter::once(na)
                .chain(a_dims.iter().copied())
                .chain(std::iter::once(np))
                .chain(p_dims.iter().copied())
                .collect();
            for (at, v) in values.iter().enumerate() {
                // SAFETY (of the IR): at < words.
                let slot = unsafe { g.b().build_in_bounds_gep(i64t, buf, &[g.i64(at as i64)], "imm.shape") }.u();
                g.b().build_store(slot, *v).u();
            }
            let h = g.helper(Helper::MatmulOutError);
            g.b().build_call(h, &[buf.into(), g.i64(words as i64).into()], "").u();
            g.ret_status(g.module_gen.status_llty().const_int(Status::Raised as u64, false));
        });
        self.write_array_into((a, at), (p, res_t));
    }
}

/// The operands of a product, checked and converted ([`FnGen::checked_operands`]).
struct Operands<'ctx> {
    /// Each operand's shape.
    ld: Vec<IntValue<'ctx>>,
    rd: Vec<IntValue<'ctx>>,
    /// Each operand as the product reads it (of the result's dtype).
    l: (BasicValueEnum<'ctx>, ArrayType),
    r: (BasicValueEnum<'ctx>, ArrayType),
    /// The copies made to convert an operand: held until the products are made.
    converted: Vec<(BasicValueEnum<'ctx>, ArrayType)>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// At position `idx` of a loop nest over `dims`: each operand's byte offset (the sum of
    /// `idx` times its steps) and the position's flat (C-order) number.
    fn nest_offsets(
        &self,
        idx: &[IntValue<'ctx>],
        (a_steps, b_steps): (&[IntValue<'ctx>], &[IntValue<'ctx>]),
        dims: &[IntValue<'ctx>],
    ) -> (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>) {
        let b = self.b();
        let (mut a_off, mut b_off, mut flat) = (self.i64(0), self.i64(0), self.i64(0));
        for (ax, i) in idx.iter().enumerate() {
            a_off = b.build_int_add(a_off, b.build_int_mul(*i, a_steps[ax], "nest.as").u(), "nest.ao").u();
            b_off = b.build_int_add(b_off, b.build_int_mul(*i, b_steps[ax], "nest.bs").u(), "nest.bo").u();
            flat = b.build_int_add(b.build_int_mul(flat, dims[ax], "nest.f").u(), *i, "nest.flat").u();
        }
        (a_off, b_off, flat)
    }

    /// The shapes of `l` and `r`, their inner sizes checked (`l`'s last axis against `r`'s
    /// only one, 1-D, or its second-to-last), else NumPy's `ValueError` naming each operand's
    /// core (last two) dimensions (`dot`: `np.dot`'s message, else `matmul`'s); then each
    /// operand of another dtype than `dtype` converted into a C-contiguous copy.
    fn checked_operands(
        &mut self,
        (l, lt): (BasicValueEnum<'ctx>, ArrayType),
        (r, rt): (BasicValueEnum<'ctx>, ArrayType),
        dtype: crate::registry::Dtype,
        dot: bool,
    ) -> Operands<'ctx> {
        let (ls, rs) = (l.into_struct_value(), r.into_struct_value());
        let dims = |g: &Self, s, t: &ArrayType| -> Vec<IntValue<'ctx>> {
            (0..t.ndim as u32).map(|k| g.dim(s, field::SHAPE, k)).collect()
        };
        let (ld, rd) = (dims(self, ls, &lt), dims(self, rs, &rt));
        let (nl, nr) = (ld.len(), rd.len());
        let k2 = if nr == 1 { rd[0] } else { rd[nr - 2] };
        let differ = self.b().build_int_compare(IntPredicate::NE, ld[nl - 1], k2, "inner.differ").u();
        self.on_failure(differ, |g| {
            let helper = g.helper(Helper::MatmulShapes);
            let core = |d: &[IntValue<'ctx>]| -> [IntValue<'ctx>; 3] {
                if d.len() == 1 {
                    [g.i64(1), d[0], g.i64(0)]
                } else {
                    [g.i64(2), d[d.len() - 2], d[d.len() - 1]]
                }
            };
            let (a, b) = (core(&ld), core(&rd));
            let dot = g.ctx().bool_type().const_int(dot as u64, false);
            let args = [dot.into(), a[0].into(), a[1].into(), a[2].into(), b[0].into(), b[1].into(), b[2].into()];
            g.b().build_call(helper, &args, "").u();
            g.ret_status(g.module_gen.status_llty().const_int(Status::MatmulShapes as u64, false));
        });
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
        let l = as_dtype(self, l, lt);
        let r = as_dtype(self, r, rt);
        Operands { ld, rd, l, r, converted }
    }
}
