//! Codegen of arithmetic with CPython's semantics: true and floor division, modulo and powers on
//! int and float, with CPython's ZeroDivisionError/ValueError/OverflowError as statuses.

use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::{Built, Cold, FnGen};
use crate::ast::BinOp;
use crate::hir;
use crate::runtime::Status;
use crate::types::Type;
use crate::ErrorModel;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `l op r`, computed in `ty`, the type inference gave it (an expression's type in the
    /// [`crate::infer::TypedProgram`], or an augmented assignment's): a float64 (or float32) `+ - * // % **`
    /// in doubles, an int64 or uint64 one in integers (uint64 unsigned), `& | ^` of two bools on
    /// bools. `/` is a float whatever its operands; they say how it divides.
    pub(super) fn binary(
        &mut self,
        op: BinOp,
        l: BasicValueEnum<'ctx>,
        lt: &Type,
        r: BasicValueEnum<'ctx>,
        rt: &Type,
        ty: &Type,
    ) -> BasicValueEnum<'ctx> {
        let ty = ty.carrier();
        if ty == Type::Complex128 {
            return self.complex_binary(op, l, lt, r, rt);
        }
        let b = self.b();
        if op == BinOp::Div {
            if (*lt == Type::UInt64 || *rt == Type::UInt64) && !lt.is_float() && !rt.is_float() {
                // NumPy's uint64 true division (with a uint64 or an int): both sides to float64,
                // then divide; dividing by zero is Python's ZeroDivisionError, as in Numba.
                let x = self.cast(l, lt, &Type::Float64).into_float_value();
                let y = self.cast(r, rt, &Type::Float64).into_float_value();
                self.float_zero_divisor(y, Status::IntTrueDivZero);
                return self.b().build_float_div(x, y, "div").u().into();
            }
            if lt.is_float() || rt.is_float() {
                let x = self.cast(l, lt, &Type::Float64).into_float_value();
                let y = self.cast(r, rt, &Type::Float64).into_float_value();
                self.float_zero_divisor(y, Status::FloatDivZero);
                return self.b().build_float_div(x, y, "div").u().into();
            }
            let x = self.cast(l, lt, &Type::Int64).into_int_value();
            let y = self.cast(r, rt, &Type::Int64).into_int_value();
            return self.int_truediv(x, y).into();
        }
        if op == BinOp::Pow {
            // A float power also when both sides are integers but the exponent is a negative literal.
            if ty == Type::Float64 {
                let x = self.cast(l, lt, &Type::Float64).into_float_value();
                let y = self.cast(r, rt, &Type::Float64).into_float_value();
                return self.float_pow(x, y).into();
            }
            let x = self.cast(l, lt, &Type::Int64).into_int_value();
            let y = self.cast(r, rt, &Type::Int64).into_int_value();
            if *rt != Type::UInt64 {
                let neg = self.b().build_int_compare(IntPredicate::SLT, y, self.i64(0), "negexp").u();
                self.fail_if(neg, Status::IntPowNegativeExponent as u32);
            }
            // Wrapping multiplication gives the same bits for uint64 as for int64.
            let f = self.helper(super::Helper::Ipow);
            return self.call_basic(f, &[x.into(), y.into()]);
        }
        if ty == Type::Bool {
            let (x, y) = (l.into_int_value(), r.into_int_value());
            let v = match op {
                BinOp::BitAnd => b.build_and(x, y, "and").u(),
                BinOp::BitOr => b.build_or(x, y, "or").u(),
                _ => b.build_xor(x, y, "xor").u(),
            };
            return v.into();
        }
        if ty == Type::Float64 {
            let x = self.cast(l, lt, &Type::Float64).into_float_value();
            let y = self.cast(r, rt, &Type::Float64).into_float_value();
            let v = match op {
                BinOp::Add => b.build_float_add(x, y, "add").u(),
                BinOp::Sub => b.build_float_sub(x, y, "sub").u(),
                BinOp::Mul => b.build_float_mul(x, y, "mul").u(),
                BinOp::FloorDiv => self.float_divmod(x, y, true),
                BinOp::Mod => self.float_divmod(x, y, false),
                _ => unreachable!("inference rejects {op:?} on floats"),
            };
            return v.into();
        }
        // int64, or uint64 (see `Type::UInt64`); the two share their bits.
        let unsigned = ty == Type::UInt64;
        let x = self.cast(l, lt, &Type::Int64).into_int_value();
        let y = self.cast(r, rt, &Type::Int64).into_int_value();
        let v = match op {
            BinOp::Add => b.build_int_add(x, y, "add").u(),
            BinOp::Sub => b.build_int_sub(x, y, "sub").u(),
            BinOp::Mul => b.build_int_mul(x, y, "mul").u(),
            BinOp::FloorDiv | BinOp::Mod if unsigned => self.uint_divmod(x, y, op == BinOp::FloorDiv),
            BinOp::FloorDiv => self.int_divmod(x, y, true),
            BinOp::Mod => self.int_divmod(x, y, false),
            BinOp::BitAnd => b.build_and(x, y, "and").u(),
            BinOp::BitOr => b.build_or(x, y, "or").u(),
            BinOp::BitXor => b.build_xor(x, y, "xor").u(),
            BinOp::LShift | BinOp::RShift => self.shift(op == BinOp::LShift, x, y, *rt == Type::UInt64, unsigned),
            BinOp::Div | BinOp::Pow => unreachable!("handled above"),
            BinOp::MatMul | BinOp::Dot => unreachable!("inference allows matrix products of arrays only"),
        };
        v.into()
    }

    /// `x << y` (`left`) or `x >> y` as Python's (a negative count is a ValueError, a count of 64
    /// or more shifts everything out); `count_unsigned` when `y` is a uint64, `unsigned` when
    /// `x` is (a logical right shift).
    fn shift(
        &mut self,
        left: bool,
        x: IntValue<'ctx>,
        y: IntValue<'ctx>,
        count_unsigned: bool,
        unsigned: bool,
    ) -> IntValue<'ctx> {
        // A uint64 count is never negative.
        if !count_unsigned {
            let neg = self.b().build_int_compare(IntPredicate::SLT, y, self.i64(0), "negshift").u();
            self.fail_if(neg, Status::NegativeShift as u32);
        }
        let b = self.b();
        let pred = if count_unsigned { IntPredicate::UGE } else { IntPredicate::SGE };
        let big = b.build_int_compare(pred, y, self.i64(64), "bigshift").u();
        let amt = b.build_and(y, self.i64(63), "amt").u();
        if left {
            let s = b.build_left_shift(x, amt, "shl").u();
            b.build_select(big, self.i64(0), s, "shl").u().into_int_value()
        } else if unsigned {
            let s = b.build_right_shift(x, amt, false, "lshr").u();
            b.build_select(big, self.i64(0), s, "lshr").u().into_int_value()
        } else {
            let amt = b.build_select(big, self.i64(63), y, "amt").u().into_int_value();
            b.build_right_shift(x, amt, true, "shr").u()
        }
    }

    /// The type inference gave the augmented assignment whose right-hand side is `value`.
    pub(super) fn aug_type(&self, value: &hir::Expr) -> Type {
        self.spec.aug_types[&value.id].clone()
    }

    /// A float divisor of zero: Python's ZeroDivisionError (`status`), or under
    /// `error_model='numpy'` nothing (IEEE division gives NumPy's inf or nan). The zero test.
    fn float_zero_divisor(&mut self, y: FloatValue<'ctx>, status: Status) -> IntValue<'ctx> {
        let z = self.b().build_float_compare(FloatPredicate::OEQ, y, self.f64(0.0), "z").u();
        if self.error_model() == ErrorModel::Python {
            self.fail_later_if(z, status as u32);
        }
        z
    }

    /// An integer divisor of zero: Python's ZeroDivisionError (`status`), or under
    /// `error_model='numpy'` NumPy's answer 0. Returns the divisor to divide by (1 in place of
    /// a zero, so nothing traps) and, for NumPy's model, the zero test to pick 0 by
    /// ([`FnGen::numpy_zero`]).
    fn int_zero_divisor(&mut self, y: IntValue<'ctx>, status: Status) -> (IntValue<'ctx>, Option<IntValue<'ctx>>) {
        let z = self.b().build_int_compare(IntPredicate::EQ, y, self.i64(0), "z").u();
        match self.error_model() {
            ErrorModel::Python => {
                self.fail_if(z, status as u32);
                (y, None)
            }
            ErrorModel::Numpy => (self.b().build_select(z, self.i64(1), y, "y1").u().into_int_value(), Some(z)),
        }
    }

    /// `v`, or `zero_value` where [`FnGen::int_zero_divisor`] found a zero divisor.
    fn numpy_zero(&self, zero: Option<IntValue<'ctx>>, zero_value: IntValue<'ctx>, v: IntValue<'ctx>) -> IntValue<'ctx> {
        match zero {
            Some(z) => self.b().build_select(z, zero_value, v, "npzero").u().into_int_value(),
            None => v,
        }
    }

    pub(super) fn int_truediv(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>) -> FloatValue<'ctx> {
        let z = self.b().build_int_compare(IntPredicate::EQ, y, self.i64(0), "z").u();
        if self.error_model() == ErrorModel::Python {
            self.fail_if(z, Status::IntTrueDivZero as u32);
        }
        let b = self.b();
        let f64t = self.ctx().f64_type();
        // Both in [-2**53, 2**53]: conversion is exact, so one IEEE division is correctly rounded.
        let lim = self.i64(1 << 54);
        let off = self.i64(1 << 53);
        let xs = b.build_int_add(x, off, "xs").u();
        let ys = b.build_int_add(y, off, "ys").u();
        let xok = b.build_int_compare(IntPredicate::ULE, xs, lim, "xok").u();
        let yok = b.build_int_compare(IntPredicate::ULE, ys, lim, "yok").u();
        let mut fast = b.build_and(xok, yok, "fast").u();
        if self.error_model() == ErrorModel::Numpy {
            // A zero divisor takes the fast path, whose IEEE division gives NumPy's inf or nan.
            fast = b.build_or(fast, z, "fast").u();
        }
        let fast_bb = self.block_named("div.fast");
        let slow_bb = self.block_named("div.slow");
        let end = self.block_named("div.end");
        b.build_conditional_branch(fast, fast_bb, slow_bb).u();
        b.position_at_end(fast_bb);
        let fx = b.build_signed_int_to_float(x, f64t, "fx").u();
        let fy = b.build_signed_int_to_float(y, f64t, "fy").u();
        let q1 = b.build_float_div(fx, fy, "q").u();
        b.build_unconditional_branch(end).u();
        b.position_at_end(slow_bb);
        let helper = self.helper(super::Helper::IntTruediv);
        let q2 = self.call_basic(helper, &[x.into(), y.into()]).into_float_value();
        let b = self.b();
        b.build_unconditional_branch(end).u();
        b.position_at_end(end);
        let phi = b.build_phi(f64t, "tdiv").u();
        phi.add_incoming(&[(&q1, fast_bb), (&q2, slow_bb)]);
        phi.as_basic_value().into_float_value()
    }

    /// Python's `//` (floor) or `%` (sign of the divisor) on int64; `MIN // -1` wraps.
    pub(super) fn int_divmod(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>, want_div: bool) -> IntValue<'ctx> {
        let (y, zero) = self.int_zero_divisor(y, if want_div { Status::IntFloorDivZero } else { Status::IntModZero });
        let v = self.int_divmod_nonzero(x, y, want_div);
        self.numpy_zero(zero, self.i64(0), v)
    }

    /// [`FnGen::int_divmod`] by a divisor that is not zero.
    fn int_divmod_nonzero(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>, want_div: bool) -> IntValue<'ctx> {
        let b = self.b();
        let (q, r, adj) = match y.get_sign_extended_constant() {
            // A literal divisor other than -1 (the common case): no trap to avoid, and the
            // remainder needs adjusting exactly when its sign is not the divisor's.
            Some(c) if c != -1 => {
                let q = b.build_int_signed_div(x, y, "q").u();
                let r = b.build_int_signed_rem(x, y, "r").u();
                let wrong_sign = if c > 0 { IntPredicate::SLT } else { IntPredicate::SGT };
                let adj = b.build_int_compare(wrong_sign, r, self.i64(0), "adj").u();
                (q, r, adj)
            }
            _ => {
                // y == -1 would trap for MIN; the answer is -x (wrapping) with remainder 0. The
                // division is by 1 there instead (remainder 0 too), a select rather than a
                // branch: the same `x % n` written twice is then one division (GVN), which a
                // division in a branch of its own is not (`ising`'s twelve `% n`, four distinct).
                let m1 = b.build_int_compare(IntPredicate::EQ, y, self.i64(-1), "m1").u();
                let by = b.build_select(m1, self.i64(1), y, "by").u().into_int_value();
                let q0 = b.build_int_signed_div(x, by, "q").u();
                let r = b.build_int_signed_rem(x, by, "r").u();
                let negx = b.build_int_sub(self.i64(0), x, "negx").u();
                let q = b.build_select(m1, negx, q0, "q").u().into_int_value();
                // Adjust toward floor when the remainder's sign differs from the divisor's.
                let rnz = b.build_int_compare(IntPredicate::NE, r, self.i64(0), "rnz").u();
                let x_r_y = b.build_xor(r, y, "rxy").u();
                let diff = b.build_int_compare(IntPredicate::SLT, x_r_y, self.i64(0), "diff").u();
                (q, r, b.build_and(rnz, diff, "adj").u())
            }
        };
        if want_div {
            let q1 = b.build_int_sub(q, self.i64(1), "q1").u();
            b.build_select(adj, q1, q, "fdiv").u().into_int_value()
        } else {
            let r1 = b.build_int_add(r, y, "r1").u();
            b.build_select(adj, r1, r, "fmod").u().into_int_value()
        }
    }

    /// uint64 `x // y` or `x % y` (ZeroDivisionError when y is 0, as Numba; NumPy gives 0 and
    /// warns).
    fn uint_divmod(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>, want_div: bool) -> IntValue<'ctx> {
        let (y, zero) = self.int_zero_divisor(y, if want_div { Status::IntFloorDivZero } else { Status::IntModZero });
        let b = self.b();
        let v = if want_div { b.build_int_unsigned_div(x, y, "udiv").u() } else { b.build_int_unsigned_rem(x, y, "urem").u() };
        self.numpy_zero(zero, self.i64(0), v)
    }

    /// `x % y == 0` for int64 (ZeroDivisionError when y is 0).
    pub(super) fn int_divisible(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>) -> IntValue<'ctx> {
        let (y, zero) = self.int_zero_divisor(y, Status::IntModZero);
        let d = self.int_divisible_nonzero(x, y);
        // NumPy's `x % 0` is 0: divisible.
        self.numpy_zero(zero, self.ctx().bool_type().const_int(1, false), d)
    }

    /// [`FnGen::int_divisible`] by a divisor that is not zero.
    fn int_divisible_nonzero(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        if y.get_sign_extended_constant().is_some_and(|c| c != -1) {
            let r = b.build_int_signed_rem(x, y, "r").u();
            return b.build_int_compare(IntPredicate::EQ, r, self.i64(0), "divisible").u();
        }
        // Everything is divisible by -1 (and srem by -1 would trap for MIN): by 1 there instead,
        // a select (as in `int_divmod_nonzero`).
        let m1 = b.build_int_compare(IntPredicate::EQ, y, self.i64(-1), "m1").u();
        let by = b.build_select(m1, self.i64(1), y, "by").u().into_int_value();
        let r = b.build_int_signed_rem(x, by, "r").u();
        b.build_int_compare(IntPredicate::EQ, r, self.i64(0), "divisible").u()
    }

    /// CPython's `float_floor_div` / `float_rem`, step for step.
    /// Under `error_model='numpy'`, a zero divisor gives NumPy's answers: `x / y` for `//`
    /// (inf or nan), `fmod(x, y)` (nan) for `%`.
    pub(super) fn float_divmod(&mut self, x: FloatValue<'ctx>, y: FloatValue<'ctx>, want_div: bool) -> FloatValue<'ctx> {
        let z = self.float_zero_divisor(y, if want_div { Status::FloatFloorDivZero } else { Status::FloatModZero });
        let v = self.float_divmod_nonzero(x, y, want_div);
        if self.error_model() == ErrorModel::Python {
            return v;
        }
        let b = self.b();
        let numpy = if want_div { b.build_float_div(x, y, "npdiv").u() } else { b.build_float_rem(x, y, "npmod").u() };
        b.build_select(z, numpy, v, "npzero").u().into_float_value()
    }

    /// [`FnGen::float_divmod`] by a divisor that is not zero.
    fn float_divmod_nonzero(&mut self, x: FloatValue<'ctx>, y: FloatValue<'ctx>, want_div: bool) -> FloatValue<'ctx> {
        let b = self.b();
        let zero = self.f64(0.0);
        let m = b.build_float_rem(x, y, "fmod").u();
        let mnz = b.build_float_compare(FloatPredicate::UNE, m, zero, "mnz").u();
        let yneg = b.build_float_compare(FloatPredicate::OLT, y, zero, "yneg").u();
        let mneg = b.build_float_compare(FloatPredicate::OLT, m, zero, "mneg").u();
        let signs_differ = b.build_xor(yneg, mneg, "sd").u();
        let adj = b.build_and(mnz, signs_differ, "adj").u();
        let m_adj = b.build_float_add(m, y, "madj").u();
        let copysign = self.intrinsic_fn("llvm.copysign.f64", 2);
        let signed_zero = self.call_basic(copysign, &[zero.into(), y.into()]).into_float_value();
        let b = self.b();
        let mod_nz = b.build_select(adj, m_adj, m, "m1").u().into_float_value();
        let modv = b.build_select(mnz, mod_nz, signed_zero, "mod").u().into_float_value();
        if !want_div {
            return modv;
        }
        let xm = b.build_float_sub(x, m, "xm").u();
        let div = b.build_float_div(xm, y, "div").u();
        let div1 = b.build_float_sub(div, self.f64(1.0), "div1").u();
        let div = b.build_select(adj, div1, div, "div").u().into_float_value();
        let floor = self.intrinsic_fn("llvm.floor.f64", 1);
        let fl = self.call_basic(floor, &[div.into()]).into_float_value();
        let b = self.b();
        let frac = b.build_float_sub(div, fl, "frac").u();
        let gt_half = b.build_float_compare(FloatPredicate::OGT, frac, self.f64(0.5), "gth").u();
        let fl1 = b.build_float_add(fl, self.f64(1.0), "fl1").u();
        let fl = b.build_select(gt_half, fl1, fl, "fl").u().into_float_value();
        let dnz = b.build_float_compare(FloatPredicate::UNE, div, zero, "dnz").u();
        let q = b.build_float_div(x, y, "q").u();
        let zdiv = self.call_basic(copysign, &[zero.into(), q.into()]).into_float_value();
        self.b().build_select(dnz, fl, zdiv, "floordiv").u().into_float_value()
    }

    /// Python's `x ** y` for floats: libm `pow` plus CPython's errors (NumPy's `pow` alone, with
    /// no errors, in an array expression and under `error_model='numpy'`: inf, nan).
    pub(super) fn float_pow(&mut self, x: FloatValue<'ctx>, y: FloatValue<'ctx>) -> FloatValue<'ctx> {
        if self.elementwise || self.error_model() == ErrorModel::Numpy {
            return self.call_pow(x, y);
        }
        let b = self.b();
        let zero = self.f64(0.0);
        let xz = b.build_float_compare(FloatPredicate::OEQ, x, zero, "xz").u();
        let yneg = b.build_float_compare(FloatPredicate::OLT, y, zero, "yneg").u();
        let xfin = self.is_finite(x);
        let yfin = self.is_finite(y);
        let b = self.b();
        // CPython answers an infinite exponent before looking at a zero base: 0.0 ** -inf is inf.
        let zneg = b.build_and(xz, yneg, "zneg").u();
        let zneg = b.build_and(zneg, yfin, "zneg").u();
        self.fail_later_if(zneg, Status::ZeroToNegativePower as u32);
        let b = self.b();
        let xneg = b.build_float_compare(FloatPredicate::OLT, x, zero, "xneg").u();
        let floor = self.intrinsic_fn("llvm.floor.f64", 1);
        let fy = self.call_basic(floor, &[y.into()]).into_float_value();
        let b = self.b();
        let frac = b.build_float_compare(FloatPredicate::ONE, fy, y, "frac").u();
        let c1 = b.build_and(xneg, xfin, "c1").u();
        let c2 = b.build_and(c1, yfin, "c2").u();
        let complex = b.build_and(c2, frac, "complex").u();
        self.fail_later_if(complex, Status::NegativeToFractionalPower as u32);
        // Overflow: an infinity from finite operands. For a constant positive exponent that is
        // a finite `x` beyond the last base whose power is finite, asked before the power is
        // computed (as `math` errors are, `check_math1`).
        let threshold = super::calls::const_f64(y).filter(|c| *c > 0.0 && c.is_finite()).map(pow_overflow_threshold);
        let ovf = match threshold {
            Some(t) => {
                let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                let a = self.call_basic(fabs, &[x.into()]).into_float_value();
                let b = self.b();
                let beyond = b.build_float_compare(FloatPredicate::OGT, a, self.f64(t), "big").u();
                b.build_and(beyond, xfin, "ovf").u()
            }
            None => {
                let r = self.pow_value(x, y);
                let rinf = self.is_inf(r);
                let b = self.b();
                let fin = b.build_and(xfin, yfin, "fin").u();
                let ovf = b.build_and(rinf, fin, "ovf").u();
                self.fail_later_if(ovf, Status::PowOverflow as u32);
                return r;
            }
        };
        self.fail_later_if(ovf, Status::PowOverflow as u32);
        self.pow_value(x, y)
    }

    pub(super) fn is_finite(&self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let a = self.call_basic(fabs, &[x.into()]).into_float_value();
        self.b().build_float_compare(FloatPredicate::OLT, a, self.f64(f64::INFINITY), "finite").u()
    }

    pub(super) fn is_inf(&self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let a = self.call_basic(fabs, &[x.into()]).into_float_value();
        self.b().build_float_compare(FloatPredicate::OEQ, a, self.f64(f64::INFINITY), "isinf").u()
    }

    pub(super) fn is_nan(&self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        self.b().build_float_compare(FloatPredicate::UNO, x, x, "isnan").u()
    }

    /// float → int64 as Python's `int()`: NaN is a ValueError, infinities and values outside
    /// int64 an OverflowError.
    pub(super) fn float_to_int(&mut self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        if cfg!(target_arch = "x86_64") {
            return self.float_to_int_x86(x);
        }
        // One test on the hot path (ordered compares are false for NaN and the infinities);
        // which error it is gets sorted out on the cold path.
        let b = self.b();
        let below = b.build_float_compare(FloatPredicate::OLT, x, self.f64(9223372036854775808.0), "below").u();
        let above = b.build_float_compare(FloatPredicate::OGE, x, self.f64(-9223372036854775808.0), "above").u();
        let fits = b.build_and(below, above, "fits").u();
        let outside = b.build_not(fits, "f2i.outside").u();
        self.on_failure(outside, |fn_gen| fn_gen.float_to_int_error(x));
        self.b().build_float_to_signed_int(x, self.ctx().i64_type(), "f2i").u()
    }

    /// x86-64: `cvttsd2si` gives i64::MIN for NaN, the infinities and everything out of range,
    /// so the hot path is the conversion and one integer compare; -2**63 itself, the one valid
    /// input with that result, is told apart on the cold path.
    fn float_to_int_x86(&mut self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        let (f64t, i64t) = (self.ctx().f64_type(), self.ctx().i64_type());
        let cvt = inkwell::intrinsics::Intrinsic::find("llvm.x86.sse2.cvttsd2si64")
            .and_then(|i| i.get_declaration(self.module_gen.module, &[]))
            .expect("the x86 backend has cvttsd2si64");
        let b = self.b();
        let v = b.build_insert_element(f64t.vec_type(2).get_undef(), x, i64t.const_zero(), "v").u();
        let i = self.call_basic(cvt, &[v.into()]).into_int_value();
        let b = self.b();
        let invalid = b.build_int_compare(IntPredicate::EQ, i, i64t.const_int(i64::MIN as u64, true), "f2i.invalid").u();
        let check = self.block_named("f2i.check");
        let bad = self.block_named("f2i.bad");
        let good = self.block_named("f2i.ok");
        self.branch_cold(invalid, check, good, Cold::Then);
        let b = self.b();
        b.position_at_end(check);
        let exact = b.build_float_compare(FloatPredicate::OEQ, x, self.f64(-9223372036854775808.0), "f2i.min").u();
        b.build_conditional_branch(exact, good, bad).u();
        b.position_at_end(bad);
        self.float_to_int_error(x);
        self.b().position_at_end(good);
        i
    }

    /// Returns the status of a float that has no int64: NaN, an infinity, or too large.
    fn float_to_int_error(&self, x: FloatValue<'ctx>) {
        let nan = self.is_nan(x);
        let inf = self.is_inf(x);
        let i32t = self.ctx().i32_type();
        let status = |s: Status| i32t.const_int(s as u64, false);
        let b = self.b();
        let not_nan = b.build_select(inf, status(Status::FloatInfToInt), status(Status::FloatTooLargeForInt), "st").u();
        let st = b.build_select(nan, status(Status::FloatNanToInt), not_nan.into_int_value(), "st").u();
        self.ret_status(st.into_int_value());
    }
}

/// The largest double `t` whose `pow(t, y)` the C library of this process gives finite, for a
/// positive `y`: for finite `x`, `pow(x, y)` overflows exactly when `|x| > t` (`pow` increases
/// with `|x|`; a negative `x` with a fractional `y` fails before, as a complex result). Found by
/// bisection on the bit patterns of positive doubles with the `pow` compiled code calls; the
/// largest double itself when nothing overflows (`y <= 1`).
pub(super) fn pow_overflow_threshold(y: f64) -> f64 {
    extern "C" {
        fn pow(x: f64, y: f64) -> f64;
    }
    // SAFETY: pow is a pure function of two doubles.
    let power = |x: f64| unsafe { pow(x, y) };
    if power(std::hint::black_box(f64::MAX)).is_finite() {
        return f64::MAX;
    }
    super::calls::last_finite(power, 0.0, f64::MAX)
}
