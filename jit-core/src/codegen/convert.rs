//! Numbers converted into a dtype as NumPy converts them: a float stored into an integer array
//! (C's conversion on x86-64, what NumPy's cast and Numba's store give out of range) and
//! `np.<dtype>(x)` of a number.

use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::FloatPredicate;

use super::{Built, FnGen};
use crate::types::{Dtype, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// A float stored into an integer dtype `d` as NumPy's cast (C's `(type)x`) and Numba's
    /// store give it on x86-64: truncated toward zero; into 8, 16 and 32 bits through a 32-bit
    /// signed conversion, into uint32 and int64 through a 64-bit one, each of which gives its
    /// smallest integer for a value outside it (NaN too); then the low bits (300.5 into uint8 is
    /// 44, -3.7 is 253). uint64: below 2**63 as int64 (-3.7 wraps), from 2**63 the value less
    /// 2**63 with the top bit set (from 2**64: 0).
    pub(super) fn float_to_dtype(&self, x: FloatValue<'ctx>, d: Dtype) -> IntValue<'ctx> {
        let it = self.module_gen.dtype_llty(d).into_int_type();
        let (i32t, i64t) = (self.ctx().i32_type(), self.ctx().i64_type());
        let b = self.b();
        match d {
            Dtype::UInt64 => {
                let top = 9_223_372_036_854_775_808.0;
                let big = b.build_float_compare(FloatPredicate::OGE, x, self.f64(top), "big").u();
                let less = b.build_float_sub(x, self.f64(top), "less").u();
                let y = b.build_select(big, less, x, "y").u().into_float_value();
                let v = self.float_to_int_or_min(y, i64t);
                let b = self.b();
                let flipped = b.build_xor(v, i64t.const_int(1u64 << 63, false), "flip").u();
                b.build_select(big, flipped, v, "u64").u().into_int_value()
            }
            Dtype::UInt32 | Dtype::Int64 => {
                let v = self.float_to_int_or_min(x, i64t);
                if it.get_bit_width() == 64 {
                    v
                } else {
                    self.b().build_int_truncate(v, it, "narrow").u()
                }
            }
            _ => {
                let v = self.float_to_int_or_min(x, i32t);
                if it.get_bit_width() == 32 {
                    v
                } else {
                    self.b().build_int_truncate(v, it, "narrow").u()
                }
            }
        }
    }

    /// `np.<d>(v)` of `v`, a number of type `from`: NumPy's conversion to the dtype's scalar,
    /// as an element of it (integers carried in int64, float32 in a double).
    pub(super) fn dtype_cast(&mut self, v: BasicValueEnum<'ctx>, from: &Type, d: Dtype) -> BasicValueEnum<'ctx> {
        let to = d.element();
        match d {
            Dtype::Bool => self.truth(v, from).into(),
            Dtype::Float64 | Dtype::Complex128 => self.cast(v, from, &to),
            Dtype::Float32 => {
                // One rounding, from the integer or the double, as NumPy's conversion.
                let (f32t, f64t) = (self.ctx().f32_type(), self.ctx().f64_type());
                let b = self.b();
                let narrow = match from.carrier() {
                    Type::Float64 => b.build_float_trunc(v.into_float_value(), f32t, "f32").u(),
                    Type::Int64 => b.build_signed_int_to_float(v.into_int_value(), f32t, "i2f32").u(),
                    _ => {
                        let i = self.cast(v, from, &Type::UInt64).into_int_value();
                        self.b().build_unsigned_int_to_float(i, f32t, "u2f32").u()
                    }
                };
                self.b().build_float_ext(narrow, f64t, "f32.carried").u().into()
            }
            Dtype::Complex64 => {
                let (re, im) = self.parts_of(v, from);
                let (re, im) = (self.round_f32(re.into()).into_float_value(), self.round_f32(im.into()).into_float_value());
                self.make_complex((re, im))
            }
            Dtype::Int64 | Dtype::UInt64 if from.carrier() != Type::Float64 => self.cast(v, from, &to),
            _ => {
                let it = self.module_gen.dtype_llty(d).into_int_type();
                let narrow = if from.carrier() == Type::Float64 {
                    self.float_to_dtype(v.into_float_value(), d)
                } else {
                    let i = self.cast(v, from, &Type::Int64).into_int_value();
                    self.b().build_int_truncate_or_bit_cast(i, it, "narrow").u()
                };
                let i64t = self.ctx().i64_type();
                let b = self.b();
                if it.get_bit_width() == 64 {
                    narrow.into()
                } else if d.is_signed() {
                    b.build_int_s_extend(narrow, i64t, "wide").u().into()
                } else {
                    b.build_int_z_extend(narrow, i64t, "wide").u().into()
                }
            }
        }
    }

    /// `x` truncated toward zero into the signed integer type `it` (32 or 64 bits), or its
    /// smallest value when outside it or NaN (x86-64's `cvttsd2si`).
    fn float_to_int_or_min(&self, x: FloatValue<'ctx>, it: inkwell::types::IntType<'ctx>) -> IntValue<'ctx> {
        let bits = it.get_bit_width();
        let bound = 2f64.powi(bits as i32 - 1);
        let b = self.b();
        // -2**(bits-1) - 1 < x < 2**(bits-1); for 64 bits the low bound is -2**63 itself (the
        // next double below it is far below), which converts exactly.
        let (low, low_pred) = if bits == 64 { (-bound, FloatPredicate::OGE) } else { (-bound - 1.0, FloatPredicate::OGT) };
        let above = b.build_float_compare(low_pred, x, self.f64(low), "lo").u();
        let below = b.build_float_compare(FloatPredicate::OLT, x, self.f64(bound), "hi").u();
        let inside = b.build_and(above, below, "inside").u();
        let safe = b.build_select(inside, x, self.f64(0.0), "safe").u().into_float_value();
        let v = b.build_float_to_signed_int(safe, it, "f2i").u();
        let min = it.const_int(1u64 << (bits - 1), false);
        b.build_select(inside, v, min, "f2i").u().into_int_value()
    }
}
