//! Codegen of `np.linalg` of stacks of matrices (inv, solve, det, slogdet, cholesky, eigh,
//! eigvalsh, eig, eigvals, matrix_power, svd, svdvals, qr, pinv, matrix_rank, cond of arrays of
//! 3 or more dimensions): NumPy's loop over the leading axes (solve's a and b broadcast), one
//! `sj_rt_lapack` (`sj_rt_lapack_factor`) call per matrix, each result a C-contiguous array of
//! the leading axes followed by one matrix's result.

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{real_dtype, Operand};
use crate::codegen::{Built, FnGen, Helper};
use crate::hir;
use crate::lapack::factor::FactorOp;
use crate::lapack::Op;
use crate::registry::linalg::LinalgFn;
use crate::registry::Dtype;
use crate::runtime::Status;
use crate::types::{ArrayType, Layout, Type};

/// solve's b as the runtime takes one matrix of it, and its leading axes.
struct Rhs<'ctx> {
    rows: IntValue<'ctx>,
    nrhs: IntValue<'ctx>,
    vector: bool,
    data: PointerValue<'ctx>,
    s0: IntValue<'ctx>,
    s1: IntValue<'ctx>,
    batch: Vec<IntValue<'ctx>>,
    batch_strides: Vec<IntValue<'ctx>>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `f` of the stack `a` (its operands converted to `dtype` already: `converted` holds the
    /// copies), the result of type `ty`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lapack_stacked(
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
        let na = a.shape.len();
        let (rows, cols) = (a.shape[na - 2], a.shape[na - 1]);
        let (zero, one) = (self.i64(0), self.i64(1));
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        let mut b =
            Rhs { rows: zero, nrhs: zero, vector: false, data: null, s0: zero, s1: zero, batch: vec![], batch_strides: vec![] };
        match f {
            LinalgFn::Solve => {
                let Type::Array(bt) = self.ty(&args[1]) else { unreachable!("inference allows arrays only") };
                let op = self.linalg_operand(vals[1], bt, dtype, false, converted);
                let nb = op.shape.len();
                if nb == 1 {
                    // NumPy 2: only a 1-D b is a vector (the same one for every matrix).
                    b = Rhs { rows: op.shape[0], nrhs: one, vector: true, data: op.data, s0: op.strides[0], ..b };
                } else {
                    b = Rhs {
                        rows: op.shape[nb - 2],
                        nrhs: op.shape[nb - 1],
                        vector: false,
                        data: op.data,
                        s0: op.strides[nb - 2],
                        s1: op.strides[nb - 1],
                        batch: op.shape[..nb - 2].to_vec(),
                        batch_strides: op.strides[..nb - 2].to_vec(),
                    };
                }
            }
            LinalgFn::MatrixPower => {
                b.nrhs = self.cast(vals[1], &self.ty(&args[1]), &Type::Int64).into_int_value();
            }
            _ => {}
        }
        let helper = self.helper(Helper::Lapack);
        let i32t = self.ctx().i32_type();
        let call = |g: &Self, a_data: PointerValue<'ctx>, b_data: PointerValue<'ctx>, out1, out2| -> IntValue<'ctx> {
            let bv = g.ctx().bool_type().const_int(b.vector as u64, false);
            let call_args = [
                i32t.const_int(op_of(f) as u64, false).into(),
                i32t.const_int(dtype as u64, false).into(),
                rows.into(),
                cols.into(),
                a_data.into(),
                a.strides[na - 2].into(),
                a.strides[na - 1].into(),
                b.rows.into(),
                b.nrhs.into(),
                bv.into(),
                b_data.into(),
                b.s0.into(),
                b.s1.into(),
                out1,
                out2,
            ];
            g.call_basic(helper, &call_args).into_int_value()
        };
        // The core dimensions first, as NumPy checks them before any matrix (a stack of none
        // included): the runtime's own checks, by a call that fails before reading anything.
        let not_square = self.b().build_int_compare(IntPredicate::NE, rows, cols, "la.nsq").u();
        let bad = if f == LinalgFn::Solve {
            let differ = self.b().build_int_compare(IntPredicate::NE, b.rows, rows, "la.bdiff").u();
            self.b().build_or(not_square, differ, "la.core").u()
        } else {
            not_square
        };
        self.on_failure(bad, |g| {
            let status = call(g, null, null, null.into(), null.into());
            g.ret_status(status)
        });
        // The leading axes: a's, broadcast with solve's b's.
        let nbatch = (na - 2).max(b.batch.len());
        let (batch, a_steps, b_steps) =
            self.leading_axes((&a.shape[..na - 2], &a.strides[..na - 2]), (&b.batch, &b.batch_strides));
        // The results: the leading axes, then one matrix's result (none for det's number).
        let real = real_dtype(dtype);
        let cores: Vec<(Dtype, Vec<IntValue<'ctx>>)> = match f {
            LinalgFn::Solve if b.vector => vec![(dtype, vec![rows])],
            LinalgFn::Solve => vec![(dtype, vec![rows, b.nrhs])],
            LinalgFn::Inv | LinalgFn::Cholesky | LinalgFn::MatrixPower => vec![(dtype, vec![rows, cols])],
            LinalgFn::Eigvalsh => vec![(real, vec![rows])],
            LinalgFn::Eigh => vec![(real, vec![rows]), (dtype, vec![rows, cols])],
            LinalgFn::Eigvals => vec![(dtype, vec![rows])],
            LinalgFn::Eig => vec![(dtype, vec![rows]), (dtype, vec![rows, cols])],
            LinalgFn::Det => vec![(dtype, vec![])],
            LinalgFn::Slogdet => vec![(dtype, vec![]), (real, vec![])],
            _ => unreachable!("inference stacks these functions only"),
        };
        let mut made = Vec::new();
        for (d, core) in &cores {
            let t = ArrayType { dtype: *d, ndim: (nbatch + core.len()) as u8, layout: Layout::C, readonly: false };
            let shape: Vec<IntValue<'ctx>> = batch.iter().chain(core).copied().collect();
            let (v, data, _) = self.alloc_c(&t, &shape, false);
            // The bytes of one matrix's result.
            let mut block = self.i64(d.size() as i64);
            for n in core {
                block = self.b().build_int_mul(block, *n, "la.block").u();
            }
            made.push((v, data, block));
        }
        let value = match made.as_slice() {
            [(v, ..)] => *v,
            [(w, ..), (v, ..)] => self.tuple_value(ty, &[*w, *v]),
            _ => unreachable!("one or two results"),
        };
        self.own_temp(e.id, value, ty);
        let (a_data, b_data) = (a.data, b.data);
        self.loop_nest(&batch.clone(), &mut |g, idx| {
            let i8t = g.ctx().i8_type();
            let (mut a_off, mut b_off, mut flat) = (g.i64(0), g.i64(0), g.i64(0));
            for (ax, i) in idx.iter().enumerate() {
                a_off = g.b().build_int_add(a_off, g.b().build_int_mul(*i, a_steps[ax], "la.as").u(), "la.ao").u();
                b_off = g.b().build_int_add(b_off, g.b().build_int_mul(*i, b_steps[ax], "la.bs").u(), "la.bo").u();
                flat = g.b().build_int_add(g.b().build_int_mul(flat, batch[ax], "la.f").u(), *i, "la.flat").u();
            }
            // SAFETY (of the IR): offsets within each operand's and each result's buffer.
            let at =
                |g: &Self, p: PointerValue<'ctx>, off: IntValue<'ctx>| unsafe { g.b().build_gep(i8t, p, &[off], "la.p").u() };
            let outs: Vec<PointerValue<'ctx>> = made
                .iter()
                .map(|(_, data, block)| {
                    let off = g.b().build_int_mul(flat, *block, "la.o").u();
                    at(g, *data, off)
                })
                .collect();
            let out2 = outs.get(1).copied().unwrap_or(null);
            let b_p = if f == LinalgFn::Solve { at(g, b_data, b_off) } else { null };
            let status = call(g, at(g, a_data, a_off), b_p, outs[0].into(), out2.into());
            g.fail_on_status(status);
        });
        value
    }

    /// svd, svdvals, qr, pinv, matrix_rank and cond of the stack `a` (type `at`), the result
    /// of type `ty`: the operand as float64 (complex128), one `sj_rt_lapack_factor` call per
    /// matrix, its results in the stack's result arrays.
    pub(super) fn factor_stacked(
        &mut self,
        e: &hir::Expr,
        f: LinalgFn,
        ty: &Type,
        at: ArrayType,
        args: &[hir::Expr],
        vals: &[BasicValueEnum<'ctx>],
    ) -> BasicValueEnum<'ctx> {
        let out_dtype = if matches!(at.dtype, Dtype::Float32 | Dtype::Complex64) { Dtype::Float32 } else { Dtype::Float64 };
        let complex = at.dtype.is_complex();
        let uv_dtype = match (complex, out_dtype) {
            (false, d) => d,
            (true, Dtype::Float32) => Dtype::Complex64,
            (true, _) => Dtype::Complex128,
        };
        let mut converted = Vec::new();
        let compute = if complex { Dtype::Complex128 } else { Dtype::Float64 };
        let a = self.linalg_operand(vals[0], at, compute, false, &mut converted);
        let na = a.shape.len();
        let (m, n) = (a.shape[na - 2], a.shape[na - 1]);
        let wide = self.b().build_int_compare(IntPredicate::SLT, m, n, "la.wide").u();
        let k = self.b().build_select(wide, m, n, "la.k").u().into_int_value();
        let zero = self.i64(0);
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        // rcond (pinv) or tol (matrix_rank), when given.
        let (param, has_param) = match vals.get(1) {
            Some(v) => (self.cast(*v, &self.ty(&args[1]), &Type::Float64).into_float_value(), true),
            None => (self.f64(0.0), false),
        };
        let (batch, a_steps, _) = self.leading_axes((&a.shape[..na - 2], &a.strides[..na - 2]), (&[], &[]));
        let full = f == LinalgFn::Svd;
        let (op, cores): (FactorOp, Vec<(Dtype, Vec<IntValue<'ctx>>)>) = match f {
            LinalgFn::Svd | LinalgFn::SvdReduced => (
                if full { FactorOp::Svd } else { FactorOp::SvdReduced },
                vec![
                    (uv_dtype, vec![m, if full { m } else { k }]),
                    (out_dtype, vec![k]),
                    (uv_dtype, vec![if full { n } else { k }, n]),
                ],
            ),
            LinalgFn::SvdVals => (FactorOp::SvdVals, vec![(out_dtype, vec![k])]),
            LinalgFn::Qr => (FactorOp::Qr, vec![(uv_dtype, vec![m, k]), (uv_dtype, vec![k, n])]),
            LinalgFn::Pinv => (FactorOp::Pinv, vec![(uv_dtype, vec![n, m])]),
            LinalgFn::MatrixRank => (FactorOp::MatrixRank, vec![(Dtype::Int64, vec![])]),
            LinalgFn::Cond => (FactorOp::Cond, vec![(out_dtype, vec![])]),
            _ => unreachable!("inference stacks these functions only"),
        };
        let dtype_code = if complex { uv_dtype } else { out_dtype };
        let i32t = self.ctx().i32_type();
        let call = |g: &mut Self,
                    (rows, cols): (IntValue<'ctx>, IntValue<'ctx>),
                    a_data: PointerValue<'ctx>,
                    outs: &[PointerValue<'ctx>]| {
            let mut four = [null; 4];
            four[..outs.len()].copy_from_slice(outs);
            let call_args: [BasicMetadataValueEnum<'ctx>; 14] = [
                i32t.const_int(op as u64, false).into(),
                i32t.const_int(dtype_code as u64, false).into(),
                rows.into(),
                cols.into(),
                a_data.into(),
                a.strides[na - 2].into(),
                a.strides[na - 1].into(),
                zero.into(),
                zero.into(),
                null.into(),
                zero.into(),
                zero.into(),
                param.into(),
                g.ctx().bool_type().const_int(has_param as u64, false).into(),
            ];
            g.call_factor(&call_args, &four);
        };
        if f == LinalgFn::Cond {
            // NumPy's check (`_is_empty_2d`): empty matrices, even in a stack of none (a stack
            // of no non-empty matrices gives an empty array). The runtime's message, by a call
            // of an empty matrix (it fails before reading anything).
            let size = self.b().build_int_mul(m, n, "la.size").u();
            let empty = self.b().build_int_compare(IntPredicate::EQ, size, zero, "la.empty").u();
            let (then, after) = (self.block_named("cond.empty"), self.block_named("cond.after"));
            self.b().build_conditional_branch(empty, then, after).u();
            self.b().position_at_end(then);
            let slot = self.entry_alloca(self.module_gen.dtype_llty(out_dtype), "la.cond");
            call(self, (zero, zero), null, &[slot]);
            self.b().build_unconditional_branch(after).u();
            self.b().position_at_end(after);
        }
        let nbatch = batch.len();
        let mut made = Vec::new();
        for (d, core) in &cores {
            let t = ArrayType { dtype: *d, ndim: (nbatch + core.len()) as u8, layout: Layout::C, readonly: false };
            let shape: Vec<IntValue<'ctx>> = batch.iter().chain(core).copied().collect();
            let (v, data, _) = self.alloc_c(&t, &shape, false);
            let mut block = self.i64(d.size() as i64);
            for x in core {
                block = self.b().build_int_mul(block, *x, "la.block").u();
            }
            made.push((v, data, block));
        }
        let values: Vec<BasicValueEnum<'ctx>> = made.iter().map(|(v, ..)| *v).collect();
        let value = if let [v] = values[..] { v } else { self.tuple_value(ty, &values) };
        self.own_temp(e.id, value, ty);
        let a_data = a.data;
        self.loop_nest(&batch.clone(), &mut |g, idx| {
            let i8t = g.ctx().i8_type();
            let (mut a_off, mut flat) = (g.i64(0), g.i64(0));
            for (ax, i) in idx.iter().enumerate() {
                a_off = g.b().build_int_add(a_off, g.b().build_int_mul(*i, a_steps[ax], "la.as").u(), "la.ao").u();
                flat = g.b().build_int_add(g.b().build_int_mul(flat, batch[ax], "la.f").u(), *i, "la.flat").u();
            }
            // SAFETY (of the IR): offsets within the operand's and each result's buffer.
            let at =
                |g: &Self, p: PointerValue<'ctx>, off: IntValue<'ctx>| unsafe { g.b().build_gep(i8t, p, &[off], "la.p").u() };
            let outs: Vec<PointerValue<'ctx>> = made
                .iter()
                .map(|(_, data, block)| {
                    let off = g.b().build_int_mul(flat, *block, "la.o").u();
                    at(g, *data, off)
                })
                .collect();
            let a_p = at(g, a_data, a_off);
            call(g, (m, n), a_p, &outs);
        });
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        value
    }

    /// The leading axes of two stacks (each its lengths and strides), right-aligned and
    /// broadcast (a length of 1 repeats: stride 0; lengths that differ otherwise are a
    /// ValueError): the lengths, and each stack's stride along each.
    #[allow(clippy::type_complexity)]
    fn leading_axes(
        &mut self,
        (ad, ast): (&[IntValue<'ctx>], &[IntValue<'ctx>]),
        (bd, bst): (&[IntValue<'ctx>], &[IntValue<'ctx>]),
    ) -> (Vec<IntValue<'ctx>>, Vec<IntValue<'ctx>>, Vec<IntValue<'ctx>>) {
        let (lb, rb) = (ad.len(), bd.len());
        let nbatch = lb.max(rb);
        let one = self.i64(1);
        let mut batch = Vec::with_capacity(nbatch);
        let (mut a_steps, mut b_steps) = (Vec::with_capacity(nbatch), Vec::with_capacity(nbatch));
        for i in 0..nbatch {
            let side =
                |g: &Self, count: usize, d: &[IntValue<'ctx>], st: &[IntValue<'ctx>]| -> (IntValue<'ctx>, IntValue<'ctx>) {
                    if i + count < nbatch {
                        return (g.i64(1), g.i64(0));
                    }
                    let j = i + count - nbatch;
                    let is_one = g.b().build_int_compare(IntPredicate::EQ, d[j], g.i64(1), "bc.one").u();
                    (d[j], g.b().build_select(is_one, g.i64(0), st[j], "bc.step").u().into_int_value())
                };
            let (da, sa) = side(self, lb, ad, ast);
            let (db, sb) = side(self, rb, bd, bst);
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
        (batch, a_steps, b_steps)
    }
}

/// The runtime's operation for `f`.
fn op_of(f: LinalgFn) -> Op {
    match f {
        LinalgFn::Solve => Op::Solve,
        LinalgFn::Inv => Op::Inv,
        LinalgFn::Cholesky => Op::Cholesky,
        LinalgFn::MatrixPower => Op::MatrixPower,
        LinalgFn::Eigvalsh => Op::Eigvalsh,
        LinalgFn::Eigh => Op::Eigh,
        LinalgFn::Eigvals => Op::Eigvals,
        LinalgFn::Eig => Op::Eig,
        LinalgFn::Det => Op::Det,
        LinalgFn::Slogdet => Op::Slogdet,
        _ => unreachable!("inference stacks these functions only"),
    }
}
