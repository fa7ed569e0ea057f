//! Codegen of the `np.linalg` functions: the operands converted to the dtype LAPACK computes
//! in, the results allocated (or stack slots for numbers), and one call of the runtime
//! (`lapack::sj_rt_lapack`, `lapack::factor::sj_rt_lapack_factor`; `norm` is a dot product,
//! `linalg::sj_rt_matmul`).

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::abi::array_value as field;
use crate::hir;
use crate::lapack::factor::FactorOp;
use crate::lapack::Op;
use crate::registry::linalg::LinalgFn;
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

mod norm_nd;
mod stacked;

/// An operand as the runtime takes it.
struct Operand<'ctx> {
    data: PointerValue<'ctx>,
    shape: Vec<IntValue<'ctx>>,
    strides: Vec<IntValue<'ctx>>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `np.linalg.f(args)` (expression `e`, of type `ty` as inference decided).
    pub(super) fn linalg(&mut self, e: &hir::Expr, f: LinalgFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let vals: Vec<BasicValueEnum<'ctx>> = args.iter().map(|a| self.expr(a)).collect();
        let Type::Array(at) = self.ty(&args[0]) else { unreachable!("inference allows arrays only") };
        if is_factor(f) && at.ndim > 2 {
            return self.factor_stacked(e, f, &ty, at, args, &vals);
        }
        if is_factor(f) {
            return self.factor_call(e, f, &ty, at, args, &vals);
        }
        if f == LinalgFn::Norm && args.len() == 3 {
            return self.norm_call(e, &ty, at, args, &vals);
        }
        // The dtype the runtime computes in: the result's (its element's, for numbers).
        let dtype = match &ty {
            // eigh and eigvalsh of a complex matrix: real eigenvalues, computed in a's dtype.
            _ if at.dtype.is_complex()
                && matches!(f, LinalgFn::Eigh | LinalgFn::Eigvalsh | LinalgFn::Norm | LinalgFn::NormFro) =>
            {
                at.dtype
            }
            Type::Array(r) => r.dtype,
            Type::Tuple(items) => match &items[0] {
                Type::Array(r) => r.dtype,
                t => float_dtype(t),
            },
            t => float_dtype(t),
        };
        let mut converted = Vec::new();
        let default_norm = matches!(f, LinalgFn::Norm | LinalgFn::NormFro);
        let a = self.linalg_operand(vals[0], at, dtype, default_norm, &mut converted);
        let stacked = at.ndim > 2 || (f == LinalgFn::Solve && self.ty(&args[1]).array().is_some_and(|b| b.ndim > 2));
        let out = if default_norm {
            self.norm(&a, dtype)
        } else if stacked {
            self.lapack_stacked(e, f, &ty, dtype, &a, args, &vals, &mut converted)
        } else {
            self.lapack_call(e, f, &ty, dtype, &a, args, &vals, &mut converted)
        };
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        out
    }

    /// `v` (an array of type `t`) as an operand of `dtype`: converted (a new array, dropped by
    /// the caller through `converted`) when its dtype differs, or when `contiguous` is asked of
    /// an array not known to be C-contiguous.
    fn linalg_operand(
        &mut self,
        v: BasicValueEnum<'ctx>,
        t: ArrayType,
        dtype: Dtype,
        contiguous: bool,
        converted: &mut Vec<(BasicValueEnum<'ctx>, ArrayType)>,
    ) -> Operand<'ctx> {
        let (v, t) = if t.dtype != dtype || (contiguous && t.layout != Layout::C) {
            let c_t = ArrayType { dtype, layout: Layout::C, readonly: false, ..t };
            let c = self.copy_c(v.into_struct_value(), &t, c_t);
            converted.push((c, c_t));
            (c, c_t)
        } else {
            (v, t)
        };
        let s = v.into_struct_value();
        let shape = (0..t.ndim as u32).map(|k| self.dim(s, field::SHAPE, k)).collect();
        let strides = self.strides(s, &t);
        let data = self.b().build_extract_value(s, field::DATA, "la.data").u().into_pointer_value();
        Operand { data, shape, strides }
    }

    /// `np.linalg.norm(x)`: the square root of the dot product of x's elements with themselves
    /// (NumPy's `sqrt(dot(x.ravel(), x.ravel()))`), in x's float dtype; of a complex (C-contiguous)
    /// x, NumPy's `sqrt(x.real.dot(x.real) + x.imag.dot(x.imag))` in its parts' dtype.
    fn norm(&mut self, x: &Operand<'ctx>, dtype: Dtype) -> BasicValueEnum<'ctx> {
        let mut size = self.i64(1);
        for d in &x.shape {
            size = self.b().build_int_mul(size, *d, "norm.size").u();
        }
        let part = real_dtype(dtype);
        let item = self.i64(dtype.size() as i64);
        let zero = self.i64(0);
        let f = self.helper(Helper::Matmul);
        let code = self.ctx().i32_type().const_int(part as u64, false);
        let one = self.i64(1);
        // One dot product of the parts at byte offset `at` (the real parts, or the imaginary).
        let dot = |g: &mut Self, at: u64| -> BasicValueEnum<'ctx> {
            let slot = g.entry_alloca(g.module_gen.dtype_llty(part), "norm.dot");
            let off = g.i64(at as i64);
            let data = unsafe { g.b().build_gep(g.ctx().i8_type(), x.data, &[off], "norm.part") }.u();
            let args = [
                code.into(),
                one.into(),
                one.into(),
                size.into(),
                data.into(),
                zero.into(),
                item.into(),
                data.into(),
                item.into(),
                zero.into(),
                slot.into(),
            ];
            let status = g.call_basic(f, &args).into_int_value();
            g.fail_on_status(status);
            g.load_element(slot, part)
        };
        let mut dot_value = dot(self, 0);
        if dtype.is_complex() {
            let im = dot(self, part.size());
            let sum = self.b().build_float_add(dot_value.into_float_value(), im.into_float_value(), "norm.sq").u();
            dot_value = if part == Dtype::Float32 { self.round_f32(sum.into()) } else { sum.into() };
        }
        let dot = dot_value;
        let sqrt = self.module_gen.llvm_intrinsic("llvm.sqrt", &[self.ctx().f64_type().into()]);
        let r = self.call_basic(sqrt, &[dot.into()]);
        if part == Dtype::Float32 {
            self.round_f32(r)
        } else {
            r
        }
    }

    /// Returns the status `status` when it is not 0.
    fn fail_on_status(&self, status: IntValue<'ctx>) {
        let failed = self.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "la.failed").u();
        self.on_failure(failed, |g| g.ret_status(status));
    }

    /// The LAPACK functions and matrix_power: results allocated, then `sj_rt_lapack`.
    #[allow(clippy::too_many_arguments)]
    fn lapack_call(
        &mut self,
        e: &hir::Expr,
        f: LinalgFn,
        ty: &Type,
        dtype: Dtype,
        a: &Operand<'ctx>,
        args: &[hir::Expr],
        vals: &[BasicValueEnum<'ctx>],
        converted: &mut Vec<(BasicValueEnum<'ctx>, ArrayType)>,
    ) -> BasicValueEnum<'ctx> {
        let (rows, cols) = (a.shape[0], a.shape[1]);
        let zero = self.i64(0);
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        // b: solve's right-hand side, else nothing (matrix_power's power as nrhs).
        let (b_rows, nrhs, b_vector, b_data, bs0, bs1) = match f {
            LinalgFn::Solve => {
                let Type::Array(bt) = self.ty(&args[1]) else { unreachable!("inference allows arrays only") };
                let b = self.linalg_operand(vals[1], bt, dtype, false, converted);
                if bt.ndim == 1 {
                    (b.shape[0], self.i64(1), true, b.data, b.strides[0], zero)
                } else {
                    (b.shape[0], b.shape[1], false, b.data, b.strides[0], b.strides[1])
                }
            }
            LinalgFn::MatrixPower => {
                let p = self.cast(vals[1], &self.ty(&args[1]), &Type::Int64).into_int_value();
                (zero, p, false, null, zero, zero)
            }
            _ => (zero, zero, false, null, zero, zero),
        };
        let scalar_slot = |g: &Self, name: &str| g.entry_alloca(g.module_gen.dtype_llty(dtype), name);
        let res = |d: Dtype, ndim: u8| ArrayType { dtype: d, ndim, layout: Layout::C, readonly: false };
        // The results: (value, type) of each array made, and the output addresses.
        let mut made: Vec<(BasicValueEnum<'ctx>, ArrayType)> = Vec::new();
        let mut alloc = |g: &mut Self, t: ArrayType, shape: &[IntValue<'ctx>]| -> PointerValue<'ctx> {
            let (v, data, _) = g.alloc_c(&t, shape, false);
            made.push((v, t));
            data
        };
        let (op, out1, out2) = match f {
            LinalgFn::Solve => {
                let shape = if b_vector { vec![b_rows] } else { vec![b_rows, nrhs] };
                (Op::Solve, alloc(self, res(dtype, shape.len() as u8), &shape), null)
            }
            LinalgFn::Inv => (Op::Inv, alloc(self, res(dtype, 2), &[rows, cols]), null),
            LinalgFn::Cholesky => (Op::Cholesky, alloc(self, res(dtype, 2), &[rows, cols]), null),
            LinalgFn::MatrixPower => (Op::MatrixPower, alloc(self, res(dtype, 2), &[rows, cols]), null),
            LinalgFn::Eigvalsh => (Op::Eigvalsh, alloc(self, res(real_dtype(dtype), 1), &[rows]), null),
            LinalgFn::Eigh => {
                let w = alloc(self, res(real_dtype(dtype), 1), &[rows]);
                (Op::Eigh, w, alloc(self, res(dtype, 2), &[rows, cols]))
            }
            LinalgFn::Eigvals => (Op::Eigvals, alloc(self, res(dtype, 1), &[rows]), null),
            LinalgFn::Eig => {
                let w = alloc(self, res(dtype, 1), &[rows]);
                (Op::Eig, w, alloc(self, res(dtype, 2), &[rows, cols]))
            }
            LinalgFn::Det => (Op::Det, scalar_slot(self, "det"), null),
            LinalgFn::Slogdet => {
                let logdet = self.entry_alloca(self.module_gen.dtype_llty(real_dtype(dtype)), "logdet");
                (Op::Slogdet, scalar_slot(self, "sign"), logdet)
            }
            LinalgFn::Norm | LinalgFn::NormFro => unreachable!("a dot product"),
            _ => unreachable!("lapack::factor's functions"),
        };
        let helper = self.helper(Helper::Lapack);
        let i32t = self.ctx().i32_type();
        let bv = self.ctx().bool_type().const_int(b_vector as u64, false);
        let call_args = [
            i32t.const_int(op as u64, false).into(),
            i32t.const_int(dtype as u64, false).into(),
            rows.into(),
            cols.into(),
            a.data.into(),
            a.strides[0].into(),
            a.strides[1].into(),
            b_rows.into(),
            nrhs.into(),
            bv.into(),
            b_data.into(),
            bs0.into(),
            bs1.into(),
            out1.into(),
            out2.into(),
        ];
        let status = self.call_basic(helper, &call_args).into_int_value();
        self.fail_on_status(status);
        let value = match (f, made.as_slice()) {
            (LinalgFn::Det, _) => return self.load_element(out1, dtype),
            (LinalgFn::Slogdet, _) => {
                let (s, l) = (self.load_element(out1, dtype), self.load_element(out2, real_dtype(dtype)));
                return self.tuple_value(ty, &[s, l]);
            }
            (LinalgFn::Eigh | LinalgFn::Eig, [(w, _), (v, _)]) => self.tuple_value(ty, &[*w, *v]),
            (_, [(v, _)]) => *v,
            _ => unreachable!("one result array, or eigh's and eig's two"),
        };
        self.own_temp(e.id, value, ty);
        value
    }

    /// svd, svdvals, qr, lstsq, pinv, matrix_rank and cond (`lapack::factor`): the operands as
    /// float64, the results (of the dtype NumPy gives: float32 for float32 input) allocated,
    /// then `sj_rt_lapack_factor`.
    fn factor_call(
        &mut self,
        e: &hir::Expr,
        f: LinalgFn,
        ty: &Type,
        at: ArrayType,
        args: &[hir::Expr],
        vals: &[BasicValueEnum<'ctx>],
    ) -> BasicValueEnum<'ctx> {
        let out_dtype = match ty {
            Type::Tuple(items) if f == LinalgFn::Lstsq => match &items[3] {
                Type::Array(s) => s.dtype,
                _ => unreachable!("lstsq's s is an array"),
            },
            _ if matches!(at.dtype, Dtype::Float32 | Dtype::Complex64) => Dtype::Float32,
            _ => Dtype::Float64,
        };
        // Complex matrices (`lapack::factor::zsvd`): computed in complex128; u and vh of the
        // complex dtype of out_dtype's precision, the runtime told by that dtype.
        let complex = at.dtype.is_complex()
            || matches!(ty, Type::Tuple(items) if f == LinalgFn::Lstsq && items[0].array().is_some_and(|x| x.dtype.is_complex()));
        let complex_dtype = if out_dtype == Dtype::Float32 { Dtype::Complex64 } else { Dtype::Complex128 };
        let mut converted = Vec::new();
        let compute = if complex { Dtype::Complex128 } else { Dtype::Float64 };
        let a = self.linalg_operand(vals[0], at, compute, false, &mut converted);
        let (m, n) = (a.shape[0], a.shape[1]);
        let wide = self.b().build_int_compare(IntPredicate::SLT, m, n, "la.wide").u();
        let k = self.b().build_select(wide, m, n, "la.k").u().into_int_value();
        let (zero, one) = (self.i64(0), self.i64(1));
        let ptr_t = self.ctx().ptr_type(inkwell::AddressSpace::default());
        let null = ptr_t.const_null();
        let (b_rows, nrhs, b_data, bs0, bs1, b_vector) = if f == LinalgFn::Lstsq {
            let Type::Array(bt) = self.ty(&args[1]) else { unreachable!("inference allows arrays only") };
            let b = self.linalg_operand(vals[1], bt, compute, false, &mut converted);
            if bt.ndim == 1 {
                (b.shape[0], one, b.data, b.strides[0], zero, true)
            } else {
                (b.shape[0], b.shape[1], b.data, b.strides[0], b.strides[1], false)
            }
        } else {
            (zero, zero, null, zero, zero, false)
        };
        // rcond (lstsq, pinv) or tol (matrix_rank), when given.
        let param_at = if f == LinalgFn::Lstsq { 2 } else { 1 };
        let (param, has_param) = match vals.get(param_at) {
            Some(v) if matches!(f, LinalgFn::Lstsq | LinalgFn::Pinv | LinalgFn::MatrixRank) => {
                (self.cast(*v, &self.ty(&args[param_at]), &Type::Float64).into_float_value(), true)
            }
            _ => (self.f64(0.0), false),
        };
        let mut made: Vec<BasicValueEnum<'ctx>> = Vec::new();
        let mut alloc_of = |g: &mut Self, dtype: Dtype, shape: &[IntValue<'ctx>]| -> PointerValue<'ctx> {
            let t = ArrayType { dtype, ndim: shape.len() as u8, layout: Layout::C, readonly: false };
            let (v, data, _) = g.alloc_c(&t, shape, false);
            made.push(v);
            data
        };
        let uv_dtype = if complex { complex_dtype } else { out_dtype };
        let i64_slot = |g: &Self| g.entry_alloca(g.ctx().i64_type(), "la.int");
        let (op, outs) = match f {
            LinalgFn::Svd | LinalgFn::SvdReduced => {
                let full = f == LinalgFn::Svd;
                let u = alloc_of(self, uv_dtype, &[m, if full { m } else { k }]);
                let s = alloc_of(self, out_dtype, &[k]);
                let vh = alloc_of(self, uv_dtype, &[if full { n } else { k }, n]);
                (if full { FactorOp::Svd } else { FactorOp::SvdReduced }, [u, s, vh, null])
            }
            LinalgFn::SvdVals => (FactorOp::SvdVals, [alloc_of(self, out_dtype, &[k]), null, null, null]),
            LinalgFn::Qr => {
                let q = alloc_of(self, uv_dtype, &[m, k]);
                (FactorOp::Qr, [q, alloc_of(self, uv_dtype, &[k, n]), null, null])
            }
            LinalgFn::Lstsq => {
                let x = if b_vector { alloc_of(self, uv_dtype, &[n]) } else { alloc_of(self, uv_dtype, &[n, nrhs]) };
                // Room for the residuals when m > n; the rank decides below whether they are.
                let tall = self.b().build_int_compare(IntPredicate::SGT, m, n, "la.tall").u();
                let count = self.b().build_select(tall, nrhs, zero, "la.nres").u().into_int_value();
                let resid = alloc_of(self, out_dtype, &[count]);
                let rank = i64_slot(self);
                (FactorOp::Lstsq, [x, resid, rank, alloc_of(self, out_dtype, &[k])])
            }
            LinalgFn::Pinv => (FactorOp::Pinv, [alloc_of(self, uv_dtype, &[n, m]), null, null, null]),
            LinalgFn::MatrixRank => (FactorOp::MatrixRank, [i64_slot(self), null, null, null]),
            LinalgFn::Cond | LinalgFn::NormNuc => {
                let slot = self.entry_alloca(self.module_gen.dtype_llty(out_dtype), "la.cond");
                (if f == LinalgFn::Cond { FactorOp::Cond } else { FactorOp::Nuc }, [slot, null, null, null])
            }
            _ => unreachable!("lapack.rs's functions"),
        };
        let i32t = self.ctx().i32_type();
        let call_args: [BasicMetadataValueEnum<'ctx>; 14] = [
            i32t.const_int(op as u64, false).into(),
            i32t.const_int(if complex { complex_dtype } else { out_dtype } as u64, false).into(),
            m.into(),
            n.into(),
            a.data.into(),
            a.strides[0].into(),
            a.strides[1].into(),
            b_rows.into(),
            nrhs.into(),
            b_data.into(),
            bs0.into(),
            bs1.into(),
            param.into(),
            self.ctx().bool_type().const_int(has_param as u64, false).into(),
        ];
        self.call_factor(&call_args, &outs);
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        let value = match (f, made.as_slice()) {
            (LinalgFn::MatrixRank, _) => return self.load_element(outs[0], Dtype::Int64),
            (LinalgFn::Cond | LinalgFn::NormNuc, _) => return self.load_element(outs[0], out_dtype),
            (LinalgFn::Lstsq, [x, resid, s]) => {
                // NumPy's residuals: empty unless m > n and the rank is n.
                let rank = self.load_element(outs[2], Dtype::Int64).into_int_value();
                let full = self.b().build_int_compare(IntPredicate::EQ, rank, n, "la.full").u();
                let resid = resid.into_struct_value();
                let count = self.dim(resid, field::SHAPE, 0);
                let count = self.b().build_select(full, count, zero, "la.nres").u();
                let shape = self.b().build_extract_value(resid, field::SHAPE, "la.shape").u().into_array_value();
                let shape = self.b().build_insert_value(shape, count, 0, "la.shape").u().into_array_value();
                let resid = self.b().build_insert_value(resid, shape, field::SHAPE, "la.resid").u().into_struct_value();
                self.tuple_value(ty, &[*x, resid.into(), rank.into(), *s])
            }
            (_, [v]) => *v,
            (_, items) => self.tuple_value(ty, items),
        };
        self.own_temp(e.id, value, ty);
        value
    }

    /// `sj_rt_lapack_factor(args..., outs)`, returning its status when not 0.
    fn call_factor(&mut self, args: &[BasicMetadataValueEnum<'ctx>], outs: &[PointerValue<'ctx>; 4]) {
        let outs_t = self.ctx().ptr_type(inkwell::AddressSpace::default()).array_type(4);
        let outs_slot = self.entry_alloca(outs_t, "la.outs");
        let mut outs_v = outs_t.get_undef();
        for (i, p) in outs.iter().enumerate() {
            outs_v = self.b().build_insert_value(outs_v, *p, i as u32, "la.out").u().into_array_value();
        }
        self.b().build_store(outs_slot, outs_v).u();
        let helper = self.helper(Helper::LapackFactor);
        let mut all = args.to_vec();
        all.push(outs_slot.into());
        let status = self.call_basic(helper, &all).into_int_value();
        self.fail_on_status(status);
    }

    /// `np.linalg.norm(x, ord, axis)` with ord or axis given (`lapack::factor::norm`): x in its
    /// float dtype, one number, or one per line along the axis.
    fn norm_call(
        &mut self,
        e: &hir::Expr,
        ty: &Type,
        at: ArrayType,
        args: &[hir::Expr],
        vals: &[BasicValueEnum<'ctx>],
    ) -> BasicValueEnum<'ctx> {
        // A complex x is read in its own dtype, the norm computed in its parts'.
        let dtype = match at.dtype {
            d @ (Dtype::Float32 | Dtype::Complex64 | Dtype::Complex128) => d,
            _ => Dtype::Float64,
        };
        let out_dtype = real_dtype(dtype);
        let mut converted = Vec::new();
        let x = self.linalg_operand(vals[0], at, dtype, false, &mut converted);
        let (zero, one) = (self.i64(0), self.i64(1));
        let (rows, cols, s0, s1) = if at.ndim == 1 {
            (x.shape[0], one, x.strides[0], zero)
        } else {
            (x.shape[0], x.shape[1], x.strides[0], x.strides[1])
        };
        let (ord, has_ord) = match self.ty(&args[1]) {
            Type::None => (self.f64(0.0), false),
            t => (self.cast(vals[1], &t, &Type::Float64).into_float_value(), true),
        };
        if at.ndim > 2 {
            let k = crate::hir::const_index(&args[2]).expect("inference checked the axis");
            let Type::Array(rt) = ty else { unreachable!("norms along an axis of N-D are an array") };
            let v = self.norm_nd(&x, (at, dtype), *rt, k, (ord, has_ord));
            for (c, c_t) in converted {
                self.decref(c, &Type::Array(c_t));
            }
            self.own_temp(e.id, v, ty);
            return v;
        }
        let axis = match self.ty(&args[2]) {
            Type::None => self.i64(crate::lapack::factor::norm::NO_AXIS),
            t => self.cast(vals[2], &t, &Type::Int64).into_int_value(),
        };
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        let (out, made) = match ty {
            Type::Array(rt) => {
                // One norm per line along the axis: as many as the other axis has elements.
                let negative = self.b().build_int_compare(IntPredicate::SLT, axis, zero, "norm.neg").u();
                let wrapped = self.b().build_int_add(axis, self.i64(2), "norm.wrap").u();
                let axis = self.b().build_select(negative, wrapped, axis, "norm.axis").u().into_int_value();
                let first = self.b().build_int_compare(IntPredicate::EQ, axis, zero, "norm.first").u();
                let len = self.b().build_select(first, cols, rows, "norm.len").u().into_int_value();
                let (v, data, _) = self.alloc_c(rt, &[len], false);
                (data, Some(v))
            }
            _ => (self.entry_alloca(self.module_gen.dtype_llty(out_dtype), "norm.out"), None),
        };
        let i32t = self.ctx().i32_type();
        let call_args: [BasicMetadataValueEnum<'ctx>; 14] = [
            i32t.const_int(FactorOp::Norm as u64, false).into(),
            i32t.const_int(dtype as u64, false).into(),
            rows.into(),
            cols.into(),
            x.data.into(),
            s0.into(),
            s1.into(),
            axis.into(),
            self.i64(at.ndim as i64).into(),
            null.into(),
            zero.into(),
            zero.into(),
            ord.into(),
            self.ctx().bool_type().const_int(has_ord as u64, false).into(),
        ];
        self.call_factor(&call_args, &[out, null, null, null]);
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        match made {
            Some(v) => {
                self.own_temp(e.id, v, ty);
                v
            }
            None => self.load_element(out, out_dtype),
        }
    }

    /// A tuple of type `t` holding `items`.
    fn tuple_value(&self, t: &Type, items: &[BasicValueEnum<'ctx>]) -> BasicValueEnum<'ctx> {
        let st = self.module_gen.llty(t).into_struct_type();
        let mut agg = st.get_undef();
        for (k, v) in items.iter().enumerate() {
            agg = self.b().build_insert_value(agg, *v, k as u32, "la.item").u().into_struct_value();
        }
        agg.into()
    }
}

/// Whether `f` is one of `lapack::factor`'s functions.
fn is_factor(f: LinalgFn) -> bool {
    matches!(
        f,
        LinalgFn::Svd
            | LinalgFn::SvdReduced
            | LinalgFn::SvdVals
            | LinalgFn::Qr
            | LinalgFn::Lstsq
            | LinalgFn::Pinv
            | LinalgFn::MatrixRank
            | LinalgFn::Cond
            | LinalgFn::NormNuc
    )
}

/// The float dtype of a number inference typed float32 or float64.
fn float_dtype(t: &Type) -> Dtype {
    match t {
        Type::Float32 => Dtype::Float32,
        Type::Complex64 => Dtype::Complex64,
        Type::Complex128 => Dtype::Complex128,
        _ => Dtype::Float64,
    }
}

/// The dtype of the real parts of `dtype` (itself when real): slogdet's log of the modulus.
fn real_dtype(dtype: Dtype) -> Dtype {
    match dtype {
        Dtype::Complex64 => Dtype::Float32,
        Dtype::Complex128 => Dtype::Float64,
        d => d,
    }
}
