//! Codegen of `np.linalg.norm(x, ord, axis)` of an array of 3 or more dimensions with an int
//! axis: NumPy's vector norms along that axis, one `lapack::factor::norm` call per 2-D slice
//! (the axis and the result's last axis), each writing one row of the result.

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, FloatValue, IntValue, PointerValue};

use super::{real_dtype, Operand};
use crate::codegen::{Built, FnGen};
use crate::lapack::factor::FactorOp;
use crate::registry::Dtype;
use crate::types::ArrayType;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The norms of `x` (of type `at`, read as `dtype`) along axis `k` (NumPy's numbering, a
    /// negative one from the end), into a new C-contiguous array of type `rt` (x's shape
    /// without that axis). Each call is the 2-D norm along axis 0 of the slice whose rows are
    /// axis `k` and whose columns are the result's last axis (x's last other than `k`), so the
    /// runtime adds as NumPy's reduction does: pairwise along a contiguous axis, in order across.
    pub(super) fn norm_nd(
        &mut self,
        x: &Operand<'ctx>,
        (at, dtype): (ArrayType, Dtype),
        rt: ArrayType,
        k: i64,
        (ord, has_ord): (FloatValue<'ctx>, bool),
    ) -> BasicValueEnum<'ctx> {
        let n = at.ndim as usize;
        let k = if k < 0 { (k + n as i64) as usize } else { k as usize };
        let m = if k == n - 1 { n - 2 } else { n - 1 };
        let shape: Vec<_> = (0..n).filter(|ax| *ax != k).map(|ax| x.shape[ax]).collect();
        let (result, out, _) = self.alloc_c(&rt, &shape, false);
        let outer: Vec<usize> = (0..n).filter(|ax| *ax != k && *ax != m).collect();
        let dims: Vec<_> = outer.iter().map(|ax| x.shape[*ax]).collect();
        let item = self.i64(real_dtype(dtype).size() as i64);
        let row = self.b().build_int_mul(x.shape[m], item, "nnd.row").u();
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        let i32t = self.ctx().i32_type();
        let (zero, two) = (self.i64(0), self.i64(2));
        // NumPy's elementwise loops are its scalar ones when every axis of x longer than 1
        // has a negative stride (lapack::factor::norm's `Elems::scalar`): decided on all of
        // x's axes here, not the slice's two.
        let (mut has_long, mut all_negative) = (self.ctx().bool_type().const_zero(), self.ctx().bool_type().const_int(1, false));
        for ax in 0..n {
            let b = self.b();
            let long = b.build_int_compare(inkwell::IntPredicate::SGT, x.shape[ax], self.i64(1), "nnd.long").u();
            let neg = b.build_int_compare(inkwell::IntPredicate::SLT, x.strides[ax], zero, "nnd.neg").u();
            let short_or_neg = b.build_or(b.build_not(long, "nnd.short").u(), neg, "nnd.sn").u();
            has_long = b.build_or(has_long, long, "nnd.hl").u();
            all_negative = b.build_and(all_negative, short_or_neg, "nnd.an").u();
        }
        let scalar = self.b().build_and(has_long, all_negative, "nnd.scalar").u();
        let loops = self.b().build_select(scalar, two, self.i64(1), "nnd.loops").u().into_int_value();
        let factor_args = |g: &Self, (rows, cols): (IntValue<'ctx>, IntValue<'ctx>), src: PointerValue<'ctx>| {
            let args: [BasicMetadataValueEnum<'ctx>; 14] = [
                i32t.const_int(FactorOp::Norm as u64, false).into(),
                i32t.const_int(dtype as u64, false).into(),
                rows.into(),
                cols.into(),
                src.into(),
                x.strides[k].into(),
                x.strides[m].into(),
                zero.into(),
                two.into(),
                null.into(),
                loops.into(),
                zero.into(),
                ord.into(),
                g.ctx().bool_type().const_int(has_ord as u64, false).into(),
            ];
            args
        };
        // An empty axis: NumPy's reduction fails (ord -inf: `minimum` has no identity) even when
        // the result is empty, so one empty line is computed first, whatever the other axes.
        let empty = self.b().build_int_compare(inkwell::IntPredicate::EQ, x.shape[k], zero, "nnd.empty").u();
        let (then, after) = (self.block_named("nnd.empty"), self.block_named("nnd.go"));
        self.b().build_conditional_branch(empty, then, after).u();
        self.b().position_at_end(then);
        let slot = self.entry_alloca(self.module_gen.dtype_llty(real_dtype(dtype)), "nnd.slot");
        let args = factor_args(self, (zero, self.i64(1)), x.data);
        self.call_factor(&args, &[slot, null, null, null]);
        self.b().build_unconditional_branch(after).u();
        self.b().position_at_end(after);
        self.loop_nest(&dims, &mut |g, idx| {
            let i8t = g.ctx().i8_type();
            let (mut off, mut flat) = (g.i64(0), g.i64(0));
            for (j, ax) in outer.iter().enumerate() {
                let step = g.b().build_int_mul(idx[j], x.strides[*ax], "nnd.step").u();
                off = g.b().build_int_add(off, step, "nnd.off").u();
                let scaled = g.b().build_int_mul(flat, dims[j], "nnd.f").u();
                flat = g.b().build_int_add(scaled, idx[j], "nnd.flat").u();
            }
            let o_off = g.b().build_int_mul(flat, row, "nnd.oo").u();
            // SAFETY (of the IR): offsets within x's buffer and the result's.
            let (src, dst) = unsafe {
                (g.b().build_gep(i8t, x.data, &[off], "nnd.src").u(), g.b().build_gep(i8t, out, &[o_off], "nnd.dst").u())
            };
            let args = factor_args(g, (x.shape[k], x.shape[m]), src);
            g.call_factor(&args, &[dst, null, null, null]);
        });
        result
    }
}
