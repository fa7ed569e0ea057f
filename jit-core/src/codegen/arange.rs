//! Codegen of `np.arange`: its length and its elements, bit for bit as NumPy's
//! `PyArray_ArangeObj` computes them from Python objects.
//!
//! NumPy takes `len = ceil((stop - start) / step)` with Python arithmetic (an exact integer
//! difference, then a correctly rounded true division), stores `start` and `next = start + step`
//! into the first two elements (converted to the dtype), and fills the rest with
//! `b[0] + i * (b[1] - b[0])` in the dtype's arithmetic. Lengths that do not fit `intp` are
//! `ValueError("Maximum allowed size exceeded")`; a NaN length is
//! `ValueError("arange: cannot compute length")`.

use inkwell::values::{BasicValueEnum, FloatValue, IntValue, PointerValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::{Built, FnGen};
use crate::hir;
use crate::runtime::Status;
use crate::types::{ArrayType, Dtype, Type};

/// `np.arange`'s operands, evaluated once (left to right), and the length they give.
pub(super) struct Arange<'ctx> {
    pub len: IntValue<'ctx>,
    start: (BasicValueEnum<'ctx>, Type),
    step: (BasicValueEnum<'ctx>, Type),
}

const TWO_63: f64 = 9_223_372_036_854_775_808.0;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Evaluates `start`, `stop`, `step` and computes the length (at least 0), raising NumPy's
    /// errors for a zero step and a length that cannot be computed or is too big.
    pub(super) fn arange_len(&mut self, start: &hir::Expr, stop: &hir::Expr, step: &hir::Expr) -> Arange<'ctx> {
        let mut vals = Vec::with_capacity(3);
        for e in [start, stop, step] {
            vals.push((self.expr(e), self.ty(e).carrier()));
        }
        let len = if vals.iter().any(|(_, t)| *t == Type::Float64) {
            self.arange_len_float(&vals)
        } else {
            let i: Vec<IntValue<'ctx>> = vals.iter().map(|(v, t)| self.cast(*v, t, &Type::Int64).into_int_value()).collect();
            self.arange_len_int(i[0], i[1], i[2])
        };
        let step = vals.pop().expect("three operands");
        vals.pop();
        let start = vals.pop().expect("three operands");
        Arange { len, start, step }
    }

    /// All three operands integers: `ceil(float(stop - start) / step)`, the division correctly
    /// rounded as Python's `int / int`, without overflow (the difference needs 65 bits).
    fn arange_len_int(&mut self, start: IntValue<'ctx>, stop: IntValue<'ctx>, step: IntValue<'ctx>) -> IntValue<'ctx> {
        let step_zero = self.b().build_int_compare(IntPredicate::EQ, step, self.i64(0), "step0").u();
        self.fail_if(step_zero, Status::IntTrueDivZero as u32); // Python's int / 0
        let (d, ovf) = self.overflowing("llvm.ssub.with.overflow", stop, start);
        let b = self.b();
        let zero = self.i64(0);
        // The exact difference as a sign and a 64-bit magnitude: without overflow `d` itself;
        // with overflow the true value is `d -+ 2**64`, of the opposite sign.
        let d_neg = b.build_int_compare(IntPredicate::SLT, d, zero, "d.neg").u();
        let r_neg = b.build_select(ovf, b.build_not(d_neg, "").u(), d_neg, "r.neg").u().into_int_value();
        let neg_d = b.build_int_sub(zero, d, "negd").u();
        let m = b.build_select(r_neg, neg_d, d, "m").u().into_int_value();
        let s_neg = b.build_int_compare(IntPredicate::SLT, step, zero, "s.neg").u();
        let neg_s = b.build_int_sub(zero, step, "negs").u();
        let dd = b.build_select(s_neg, neg_s, step, "dd").u().into_int_value();
        let negative = b.build_xor(r_neg, s_neg, "negative").u();
        let m_zero = b.build_int_compare(IntPredicate::EQ, m, zero, "m0").u();
        // A negative quotient gives an empty array unless it rounds below -2**63, which only a
        // step of magnitude 1 can reach: |m| > 2**63 + 2**10 (the midpoint rounds to -2**63).
        let d_one = b.build_int_compare(IntPredicate::EQ, dd, self.i64(1), "d1").u();
        let past = b.build_int_compare(IntPredicate::UGT, m, self.i64((1u64 << 63 | 1 << 10) as i64), "past").u();
        let too_negative = b.build_and(b.build_and(negative, d_one, "").u(), past, "too.neg").u();
        self.fail_if(too_negative, Status::ArangeTooBig as u32);
        let b = self.b();
        let q = b.build_int_unsigned_div(m, dd, "q").u();
        let r = b.build_int_unsigned_rem(m, dd, "r").u();
        let r_nonzero = b.build_int_compare(IntPredicate::NE, r, zero, "r.nz").u();
        // q < 2**53: q is exact as a double and the next double above it is at most q + 1, so
        // ceil(fl(q + r/d)) is q + 1 unless r/d rounds away: r/d below half an ulp of q, or at
        // exactly half an ulp with q's last mantissa bit even.
        let ctlz = self.module_gen.llvm_intrinsic("llvm.ctlz", &[self.ctx().i64_type().into()]);
        let lz = self.call_basic(ctlz, &[q.into(), self.ctx().bool_type().const_zero().into()]).into_int_value();
        let b = self.b();
        let e = b.build_int_sub(self.i64(63), lz, "e").u(); // q's exponent (-1 for q == 0)
        let k = b.build_int_sub(self.i64(53), e, "k").u();
        let k = b
            .build_select(b.build_int_compare(IntPredicate::UGT, k, self.i64(63), "").u(), self.i64(63), k, "k")
            .u()
            .into_int_value();
        let t = b.build_right_shift(dd, k, false, "t").u();
        let low_mask = b.build_int_sub(b.build_left_shift(self.i64(1), k, "").u(), self.i64(1), "").u();
        let rem = b.build_and(dd, low_mask, "rem").u();
        let rem_nz = b.build_int_compare(IntPredicate::NE, rem, zero, "rem.nz").u();
        let r_eq_t = b.build_int_compare(IntPredicate::EQ, r, t, "r.eq.t").u();
        let below =
            b.build_or(b.build_int_compare(IntPredicate::ULT, r, t, "").u(), b.build_and(r_eq_t, rem_nz, "").u(), "below").u();
        let tie = b.build_and(r_eq_t, b.build_not(rem_nz, "").u(), "tie").u();
        let q_even = b.build_int_compare(IntPredicate::EQ, b.build_and(q, self.i64(1), "").u(), zero, "q.even").u();
        let e_small = b.build_int_compare(IntPredicate::SLT, e, self.i64(52), "e.small").u();
        let tie_stays = b.build_and(tie, b.build_or(e_small, q_even, "").u(), "tie.stays").u();
        let stays = b.build_or(below, tie_stays, "stays").u();
        let q_zero = b.build_int_compare(IntPredicate::EQ, q, zero, "q0").u();
        let stays = b.build_and(stays, b.build_not(q_zero, "").u(), "stays").u();
        let up = b.build_and(r_nonzero, b.build_not(stays, "").u(), "up").u();
        let small_len = b.build_int_add(q, b.build_int_z_extend(up, self.ctx().i64_type(), "").u(), "len.small").u();
        // q >= 2**53: the remainder only decides rounding as a sticky bit (exact enough: such a
        // length is far too big for memory either way).
        let sticky = b.build_int_z_extend(r_nonzero, self.ctx().i64_type(), "").u();
        let empty = b.build_or(negative, m_zero, "empty").u();
        let q_pos = b.build_select(empty, zero, q, "q.pos").u().into_int_value();
        let big_f = b.build_unsigned_int_to_float(b.build_or(q_pos, sticky, "").u(), self.ctx().f64_type(), "big").u();
        let big_len = self.length_from_ceil(big_f);
        let b = self.b();
        let big = b.build_int_compare(IntPredicate::UGE, q, self.i64(1 << 53), "q.big").u();
        let len = b.build_select(big, big_len, small_len, "len.pos").u().into_int_value();
        let len = b.build_select(empty, zero, len, "len").u().into_int_value();
        self.at_least_zero(len)
    }

    /// An operand is a float: `val = (stop - start) / step` as Python computes it (an int
    /// difference exactly, then a float division), then NumPy's `_calc_length`.
    fn arange_len_float(&mut self, vals: &[(BasicValueEnum<'ctx>, Type)]) -> IntValue<'ctx> {
        let f: Vec<FloatValue<'ctx>> = vals.iter().map(|(v, t)| self.cast(*v, t, &Type::Float64).into_float_value()).collect();
        let span = if vals[0].1 != Type::Float64 && vals[1].1 != Type::Float64 {
            let i0 = self.cast(vals[0].0, &vals[0].1, &Type::Int64).into_int_value();
            let i1 = self.cast(vals[1].0, &vals[1].1, &Type::Int64).into_int_value();
            self.int_sum_as_float("llvm.ssub.with.overflow", i1, i0, f[1], f[0])
        } else {
            self.b().build_float_sub(f[1], f[0], "span").u()
        };
        let step_zero = self.b().build_float_compare(FloatPredicate::OEQ, f[2], self.f64(0.0), "step0").u();
        self.fail_if(step_zero, Status::FloatDivZero as u32);
        let b = self.b();
        let val = b.build_float_div(span, f[2], "val").u();
        // Underflow, or a division by an infinity: 0 for -0.0, else 1.
        let span_nz = b.build_float_compare(FloatPredicate::UNE, span, self.f64(0.0), "span.nz").u();
        let val_zero = b.build_float_compare(FloatPredicate::OEQ, val, self.f64(0.0), "val0").u();
        let underflow = b.build_and(span_nz, val_zero, "underflow").u();
        let bits = b.build_bit_cast(val, self.ctx().i64_type(), "bits").u().into_int_value();
        let signbit = b.build_int_compare(IntPredicate::SLT, bits, self.i64(0), "sign").u();
        let tiny = b.build_select(signbit, self.i64(0), self.i64(1), "tiny").u().into_int_value();
        // Keep NaN and the range check off the underflow path (val is 0 there anyway).
        let ceil = self.intrinsic_fn("llvm.ceil.f64", 1);
        let c = self.call_basic(ceil, &[val.into()]).into_float_value();
        let nan = self.b().build_float_compare(FloatPredicate::UNO, c, c, "len.nan").u();
        self.fail_if(nan, Status::ArangeLength as u32);
        let len = self.length_from_ceil(c);
        let len = self.b().build_select(underflow, tiny, len, "len").u().into_int_value();
        self.at_least_zero(len)
    }

    /// NumPy's `_arange_safe_ceil_to_intp` on a ceiled, non-NaN length: outside
    /// [-2**63, 2**63] is "Maximum allowed size exceeded"; exactly 2**63 passes its check and
    /// converts (on x86-64) to -2**63, an empty array.
    fn length_from_ceil(&mut self, c: FloatValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        let low = b.build_float_compare(FloatPredicate::OLT, c, self.f64(-TWO_63), "len.low").u();
        let high = b.build_float_compare(FloatPredicate::OGT, c, self.f64(TWO_63), "len.high").u();
        let bad = b.build_or(low, high, "len.bad").u();
        self.fail_if(bad, Status::ArangeTooBig as u32);
        let b = self.b();
        let top = b.build_float_compare(FloatPredicate::OEQ, c, self.f64(TWO_63), "len.top").u();
        let safe = b.build_select(top, self.f64(0.0), c, "len.safe").u().into_float_value();
        let i = b.build_float_to_signed_int(safe, self.ctx().i64_type(), "len.i").u();
        b.build_select(top, self.i64(i64::MIN), i, "len").u().into_int_value()
    }

    fn at_least_zero(&self, len: IntValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        let negative = b.build_int_compare(IntPredicate::SLT, len, self.i64(0), "len.neg").u();
        b.build_select(negative, self.i64(0), len, "len").u().into_int_value()
    }

    /// `(x op y, overflowed)` for one of LLVM's `*.with.overflow` intrinsics on int64.
    fn overflowing(&self, name: &str, x: IntValue<'ctx>, y: IntValue<'ctx>) -> (IntValue<'ctx>, IntValue<'ctx>) {
        let i64t = self.ctx().i64_type();
        let f = self.module_gen.llvm_intrinsic(name, &[i64t.into()]);
        let r = self.call_basic(f, &[x.into(), y.into()]).into_struct_value();
        let v = self.b().build_extract_value(r, 0, "v").u().into_int_value();
        let o = self.b().build_extract_value(r, 1, "o").u().into_int_value();
        (v, o)
    }

    /// `float(x op y)` for Python ints `x`, `y`: the exact result correctly rounded when it fits
    /// int64; beyond, `fx op fy` (the same double but for rounding of operands above 2**53).
    fn int_sum_as_float(
        &self,
        name: &str,
        x: IntValue<'ctx>,
        y: IntValue<'ctx>,
        fx: FloatValue<'ctx>,
        fy: FloatValue<'ctx>,
    ) -> FloatValue<'ctx> {
        let (v, o) = self.overflowing(name, x, y);
        let b = self.b();
        let exact = b.build_signed_int_to_float(v, self.ctx().f64_type(), "exact").u();
        let approx =
            if name.contains("sub") { b.build_float_sub(fx, fy, "approx") } else { b.build_float_add(fx, fy, "approx") }.u();
        b.build_select(o, approx, exact, "sum").u().into_float_value()
    }

    /// Fills `data` (`count` elements of `a`'s dtype) as NumPy does: `b[0] = start`,
    /// `b[1] = start + step` (Python arithmetic), then `b[i] = b[0] + i * (b[1] - b[0])` in the
    /// dtype's own arithmetic.
    pub(super) fn arange_fill(&mut self, r: &Arange<'ctx>, data: PointerValue<'ctx>, a: &ArrayType, count: IntValue<'ctx>) {
        let (s0, t0) = r.start.clone();
        let (st, ts) = r.step.clone();
        let f64t = self.ctx().f64_type();
        let ints = t0 != Type::Float64 && ts != Type::Float64;
        // start and next as Python values would be: ints (exact) or floats.
        let next_f = |fn_gen: &Self| -> FloatValue<'ctx> {
            let f0 = fn_gen.cast(s0, &t0, &Type::Float64).into_float_value();
            let fs = fn_gen.cast(st, &ts, &Type::Float64).into_float_value();
            if ints {
                let i0 = fn_gen.cast(s0, &t0, &Type::Int64).into_int_value();
                let is = fn_gen.cast(st, &ts, &Type::Int64).into_int_value();
                fn_gen.int_sum_as_float("llvm.sadd.with.overflow", i0, is, f0, fs)
            } else {
                fn_gen.b().build_float_add(f0, fs, "next").u()
            }
        };
        match a.dtype {
            Dtype::Float64 | Dtype::Float32 => {
                let single = a.dtype == Dtype::Float32;
                let b0 = self.cast(s0, &t0, &Type::Float64).into_float_value();
                let b1 = next_f(self);
                let ft = if single { self.ctx().f32_type() } else { f64t };
                let (b0, b1) = if single {
                    let b = self.b();
                    (b.build_float_trunc(b0, ft, "b0").u(), b.build_float_trunc(b1, ft, "b1").u())
                } else {
                    (b0, b1)
                };
                let delta = self.b().build_float_sub(b1, b0, "delta").u();
                self.arange_loop(data, a, count, &mut |fn_gen, i| {
                    let b = fn_gen.b();
                    let fi = b.build_signed_int_to_float(i, ft, "fi").u();
                    let off = b.build_float_mul(fi, delta, "off").u();
                    let x = b.build_float_add(b0, off, "x").u();
                    let x = fn_gen.first_two(i, b0.into(), b1.into(), x.into()).into_float_value();
                    let x = if single { fn_gen.b().build_float_ext(x, f64t, "x64").u() } else { x };
                    (x.into(), Type::Float64)
                })
            }
            _ => {
                // Integer dtypes: the first two values converted as NumPy's setitem does (a
                // float truncated toward zero), then wrapping integer arithmetic (the store keeps
                // the dtype's low bits, as C's conversion does).
                let to_int = |fn_gen: &Self, v: BasicValueEnum<'ctx>, t: &Type| -> IntValue<'ctx> {
                    if *t == Type::Float64 {
                        let i64t = fn_gen.ctx().i64_type();
                        let sat = fn_gen.module_gen.llvm_intrinsic("llvm.fptosi.sat", &[i64t.into(), f64t.into()]);
                        fn_gen.call_basic(sat, &[v.into()]).into_int_value()
                    } else {
                        fn_gen.cast(v, t, &Type::Int64).into_int_value()
                    }
                };
                let b0 = to_int(self, s0, &t0);
                let b1 = if ints {
                    let is = self.cast(st, &ts, &Type::Int64).into_int_value();
                    self.b().build_int_add(b0, is, "next").u() // exact whenever count > 1
                } else {
                    let n = next_f(self);
                    to_int(self, n.into(), &Type::Float64)
                };
                let delta = self.b().build_int_sub(b1, b0, "delta").u();
                self.arange_loop(data, a, count, &mut |fn_gen, i| {
                    let b = fn_gen.b();
                    let off = b.build_int_mul(i, delta, "off").u();
                    let x = b.build_int_add(b0, off, "x").u();
                    (fn_gen.first_two(i, b0.into(), b1.into(), x.into()), Type::Int64)
                })
            }
        }
    }

    /// `b0` at index 0, `b1` at index 1, `x` elsewhere.
    fn first_two(
        &self,
        i: IntValue<'ctx>,
        b0: BasicValueEnum<'ctx>,
        b1: BasicValueEnum<'ctx>,
        x: BasicValueEnum<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let b = self.b();
        let is0 = b.build_int_compare(IntPredicate::EQ, i, self.i64(0), "i0").u();
        let is1 = b.build_int_compare(IntPredicate::EQ, i, self.i64(1), "i1").u();
        let x = b.build_select(is1, b1, x, "x").u();
        b.build_select(is0, b0, x, "x").u()
    }

    fn arange_loop(
        &mut self,
        data: PointerValue<'ctx>,
        a: &ArrayType,
        count: IntValue<'ctx>,
        value: &mut dyn FnMut(&mut Self, IntValue<'ctx>) -> (BasicValueEnum<'ctx>, Type),
    ) {
        let item = a.dtype.size() as i64;
        let a = *a;
        self.loop_nest(&[count], &mut |fn_gen, idx| {
            let (v, t) = value(fn_gen, idx[0]);
            let off = fn_gen.b().build_int_mul(idx[0], fn_gen.i64(item), "off").u();
            let at = unsafe { fn_gen.b().build_gep(fn_gen.ctx().i8_type(), data, &[off], "at") }.u();
            fn_gen.store_element(at, a, v, &t);
        })
    }
}
