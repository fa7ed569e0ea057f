//! Where arrays lie in memory, for the overlap checks of assignments into views: an array's
//! address range, whether two arrays have one layout, whether two strided views interleave
//! without sharing an element.

use inkwell::values::IntValue;
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::types::ArrayType;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Whether two 1-D views with one stride `s` interleave without sharing an element (two
    /// columns of one C array: `q[:, j]` and `q[:, j - 1]`): their addresses differ by `d`
    /// with `d mod |s|` at least an element from 0 and from `|s|`, so no element of one meets an
    /// element of the other whatever their lengths. False when not both 1-D of one item size.
    pub(super) fn interleaved(
        &self,
        x: inkwell::values::StructValue<'ctx>,
        xt: &ArrayType,
        y: inkwell::values::StructValue<'ctx>,
        yt: &ArrayType,
    ) -> IntValue<'ctx> {
        if xt.ndim != 1 || yt.ndim != 1 || xt.dtype.size() != yt.dtype.size() {
            return self.ctx().bool_type().const_zero();
        }
        let w = self.i64(xt.dtype.size() as i64);
        let (sx, sy) = (self.strides(x, xt)[0], self.strides(y, yt)[0]);
        let b = self.b();
        let i64t = self.ctx().i64_type();
        let xd = b.build_extract_value(x, field::DATA, "xd").u().into_pointer_value();
        let yd = b.build_extract_value(y, field::DATA, "yd").u().into_pointer_value();
        let d = b.build_int_sub(b.build_ptr_to_int(xd, i64t, "xi").u(), b.build_ptr_to_int(yd, i64t, "yi").u(), "d").u();
        let same_stride = b.build_int_compare(IntPredicate::EQ, sx, sy, "ilv.same").u();
        let neg = b.build_int_compare(IntPredicate::SLT, sx, self.i64(0), "ilv.neg").u();
        let minus = b.build_int_sub(self.i64(0), sx, "ilv.minus").u();
        let period = b.build_select(neg, minus, sx, "ilv.period").u().into_int_value();
        // A period shorter than two elements leaves no room between them (and 0 cannot divide).
        let roomy = b.build_int_compare(IntPredicate::SGE, period, b.build_int_add(w, w, "ilv.2w").u(), "ilv.roomy").u();
        let safe_period = b.build_select(roomy, period, self.i64(1), "ilv.safe").u().into_int_value();
        let r = b.build_int_signed_rem(d, safe_period, "ilv.r").u();
        let r_neg = b.build_int_compare(IntPredicate::SLT, r, self.i64(0), "ilv.rneg").u();
        let r_pos = b.build_int_add(r, safe_period, "ilv.rpos").u();
        let r = b.build_select(r_neg, r_pos, r, "ilv.rem").u().into_int_value();
        let above = b.build_int_compare(IntPredicate::SGE, r, w, "ilv.above").u();
        let room = b.build_int_sub(safe_period, w, "ilv.room").u();
        let below = b.build_int_compare(IntPredicate::SLE, r, room, "ilv.below").u();
        let mut all = b.build_and(same_stride, roomy, "ilv").u();
        all = b.build_and(all, above, "ilv").u();
        b.build_and(all, below, "ilv").u()
    }

    /// The addresses `[lo, hi)` an array's elements lie in (`lo == hi` when it is empty).
    pub(super) fn extent(&self, v: inkwell::values::StructValue<'ctx>, a: &ArrayType) -> (IntValue<'ctx>, IntValue<'ctx>) {
        let b = self.b();
        let i64t = self.ctx().i64_type();
        let data = b.build_extract_value(v, field::DATA, "data").u().into_pointer_value();
        let base = b.build_ptr_to_int(data, i64t, "base").u();
        let strides = self.strides(v, a);
        let (mut lo, mut hi) = (base, b.build_int_add(base, self.i64(a.dtype.size() as i64), "end").u());
        let mut empty = self.ctx().bool_type().const_zero();
        for (k, s) in strides.iter().enumerate() {
            let d = self.dim(v, field::SHAPE, k as u32);
            let b = self.b();
            let zero = b.build_int_compare(IntPredicate::EQ, d, self.i64(0), "empty").u();
            empty = b.build_or(empty, zero, "empty").u();
            let last = b.build_int_sub(d, self.i64(1), "last").u();
            let span = b.build_int_mul(last, *s, "span").u();
            let neg = b.build_int_compare(IntPredicate::SLT, span, self.i64(0), "negspan").u();
            let down = b.build_select(neg, span, self.i64(0), "down").u().into_int_value();
            let up = b.build_select(neg, self.i64(0), span, "up").u().into_int_value();
            lo = b.build_int_add(lo, down, "lo").u();
            hi = b.build_int_add(hi, up, "hi").u();
        }
        let hi = self.b().build_select(empty, lo, hi, "hi").u().into_int_value();
        (lo, hi)
    }

    /// Whether two arrays have the same data address, shape and strides.
    pub(super) fn same_layout(
        &self,
        x: inkwell::values::StructValue<'ctx>,
        xt: &ArrayType,
        y: inkwell::values::StructValue<'ctx>,
        yt: &ArrayType,
    ) -> IntValue<'ctx> {
        if xt.ndim != yt.ndim || xt.dtype.size() != yt.dtype.size() {
            return self.ctx().bool_type().const_zero();
        }
        let b = self.b();
        let xd = b.build_extract_value(x, field::DATA, "xd").u().into_pointer_value();
        let yd = b.build_extract_value(y, field::DATA, "yd").u().into_pointer_value();
        let i64t = self.ctx().i64_type();
        let (xi, yi) = (b.build_ptr_to_int(xd, i64t, "xi").u(), b.build_ptr_to_int(yd, i64t, "yi").u());
        let mut all = b.build_int_compare(IntPredicate::EQ, xi, yi, "samedata").u();
        let (xs, ys) = (self.strides(x, xt), self.strides(y, yt));
        for k in 0..xt.ndim as usize {
            let (dx, dy) = (self.dim(x, field::SHAPE, k as u32), self.dim(y, field::SHAPE, k as u32));
            let b = self.b();
            let same_d = b.build_int_compare(IntPredicate::EQ, dx, dy, "samedim").u();
            let same_s = b.build_int_compare(IntPredicate::EQ, xs[k], ys[k], "samestride").u();
            all = b.build_and(all, same_d, "same").u();
            all = b.build_and(all, same_s, "same").u();
        }
        all
    }
}
