//! Codegen of NumPy's element functions (`np.sqrt`, `np.minimum`, `np.where`, ...) on one
//! element: the values of its arguments in, NumPy's answer out (IEEE results, never an
//! exception). Array expressions call it once per element (`elementwise`), scalar calls once.

use inkwell::values::BasicValueEnum;
use inkwell::{FloatPredicate, IntPredicate};

use super::{Built, FnGen};
use crate::hir::NpFn;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `np.f(args)` for argument values `args` (with their compute types), in `ty` (the result's
    /// compute type: float64 for a float function, whose float32 result the caller rounds).
    pub(super) fn np_value(&mut self, f: NpFn, args: &[(BasicValueEnum<'ctx>, Type)], ty: &Type) -> BasicValueEnum<'ctx> {
        use NpFn::*;
        if args.iter().any(|(_, t)| t.is_complex()) || matches!(f, Conj | Angle) {
            return self.complex_np_value(f, args, ty);
        }
        let float = |fn_gen: &Self, k: usize| fn_gen.cast(args[k].0, &args[k].1, &Type::Float64).into_float_value();
        match f {
            Sqrt | Exp | Log | Sin | Cos | Tan | Tanh | Sinh | Cosh | Arcsin | Arccos | Arctan | Log2 | Log10 | Log1p | Expm1
            | Exp2 | Cbrt | Arcsinh | Arccosh | Arctanh | Rint | Fabs => {
                let x = float(self, 0);
                let func = match f {
                    Sqrt => self.intrinsic_fn("llvm.sqrt.f64", 1),
                    Rint => self.intrinsic_fn("llvm.rint.f64", 1),
                    Fabs => self.intrinsic_fn("llvm.fabs.f64", 1),
                    _ => self.libm(libm_name(f), 1),
                };
                self.call_basic(func, &[x.into()])
            }
            // NumPy's npy_deg2rad and npy_rad2deg: one multiplication by the rounded constant.
            Deg2rad | Rad2deg => {
                let x = float(self, 0);
                let k = if f == Deg2rad { std::f64::consts::PI / 180.0 } else { 180.0 / std::f64::consts::PI };
                let k = self.ctx().f64_type().const_float(k);
                self.b().build_float_mul(x, k, "deg").u().into()
            }
            FloatPower => {
                let (x, y) = (float(self, 0), float(self, 1));
                self.call_pow(x, y).into()
            }
            Trunc if *ty == Type::Float64 => {
                let func = self.intrinsic_fn("llvm.trunc.f64", 1);
                let x = float(self, 0);
                self.call_basic(func, &[x.into()])
            }
            Trunc => self.cast(args[0].0, &args[0].1, ty),
            // NumPy's rounding: half to even, at `decimals` places (scaled by a power of ten,
            // as NumPy's `round` computes it); an integer with decimals >= 0 is itself.
            Round => {
                let decimals = match args.get(1) {
                    Some((d, dt)) => self.cast(*d, dt, &Type::Int64).into_int_value(),
                    None => self.i64(0),
                };
                let x = float(self, 0);
                let rint = self.intrinsic_fn("llvm.rint.f64", 1);
                let b = self.b();
                let neg = b.build_int_compare(IntPredicate::SLT, decimals, self.i64(0), "neg.dec").u();
                let n = b.build_int_sub(self.i64(0), decimals, "neg.d").u();
                let mag = b.build_select(neg, n, decimals, "mag").u().into_int_value();
                let magf = b.build_signed_int_to_float(mag, self.ctx().f64_type(), "magf").u();
                let p = self.call_pow(self.f64(10.0), magf);
                // A float32 element is scaled, rounded and scaled back in float32, each step
                // rounded to it, as NumPy computes it (in float64, `1.15f` rounds to 1.1 where
                // NumPy gives 1.2: its float32 product is exactly 11.5).
                let single = args[0].1 == Type::Float32;
                let narrow = |fn_gen: &Self, v: inkwell::values::FloatValue<'ctx>| {
                    if single {
                        fn_gen.round_f32(v.into()).into_float_value()
                    } else {
                        v
                    }
                };
                let p = narrow(self, p);
                let b = self.b();
                let scaled_up = narrow(self, b.build_float_mul(x, p, "up").u());
                let scaled_down = narrow(self, self.b().build_float_div(x, p, "down").u());
                let y = self.b().build_select(neg, scaled_down, scaled_up, "scaled").u().into_float_value();
                let r = self.call_basic(rint, &[y.into()]).into_float_value();
                let back_down = narrow(self, self.b().build_float_div(r, p, "back.down").u());
                let back_up = narrow(self, self.b().build_float_mul(r, p, "back.up").u());
                let rounded = self.b().build_select(neg, back_up, back_down, "rounded").u();
                match ty {
                    Type::Float64 => rounded,
                    _ => {
                        // An integer rounded to tens, hundreds, ... (decimals < 0): the rounded
                        // float back to an integer (saturating; in range for any int64 value).
                        let name = if *ty == Type::UInt64 { "llvm.fptoui.sat" } else { "llvm.fptosi.sat" };
                        let i64t = self.ctx().i64_type();
                        let f = self.module_gen.llvm_intrinsic(name, &[i64t.into(), self.ctx().f64_type().into()]);
                        let as_int = self.call_basic(f, &[rounded.into()]);
                        let same = self.cast(args[0].0, &args[0].1, ty);
                        self.b().build_select(neg, as_int, same, "round.int").u()
                    }
                }
            }
            Conj | Angle => unreachable!("complex_np_value"),
            Real | Imag => unreachable!("lowered to .real and .imag"),
            // 1 / x; of an integer C's division (toward zero; NumPy leaves 1 / 0 undefined, here
            // 0 for unsigned and the smallest int64 for signed, what NumPy gives for int64).
            Reciprocal => match ty {
                Type::Float64 => {
                    let x = float(self, 0);
                    self.b().build_float_div(self.f64(1.0), x, "recip").u().into()
                }
                _ => {
                    let x = self.cast(args[0].0, &args[0].1, ty).into_int_value();
                    let b = self.b();
                    let zero = b.build_int_compare(IntPredicate::EQ, x, self.i64(0), "zero").u();
                    let safe = b.build_select(zero, self.i64(1), x, "safe").u().into_int_value();
                    let q = if *ty == Type::UInt64 {
                        b.build_int_unsigned_div(self.i64(1), safe, "recip")
                    } else {
                        b.build_int_signed_div(self.i64(1), safe, "recip")
                    }
                    .u();
                    let at_zero = if *ty == Type::UInt64 { self.i64(0) } else { self.i64(i64::MIN) };
                    self.b().build_select(zero, at_zero, q, "recip").u()
                }
            },
            Sign => {
                let v = self.cast(args[0].0, &args[0].1, ty);
                let b = self.b();
                match ty {
                    Type::Float64 => {
                        // 1, -1, 0 (for both zeros) or NaN, as NumPy's loop.
                        let x = v.into_float_value();
                        let f64t = self.ctx().f64_type();
                        let pos = b.build_float_compare(FloatPredicate::OGT, x, f64t.const_zero(), "pos").u();
                        let neg = b.build_float_compare(FloatPredicate::OLT, x, f64t.const_zero(), "neg").u();
                        let zero = b.build_float_compare(FloatPredicate::OEQ, x, f64t.const_zero(), "zero").u();
                        let z = b.build_select(zero, f64t.const_zero(), x, "z").u().into_float_value();
                        let n = b.build_select(neg, f64t.const_float(-1.0), z, "n").u().into_float_value();
                        b.build_select(pos, f64t.const_float(1.0), n, "sign").u()
                    }
                    Type::UInt64 => {
                        let x = v.into_int_value();
                        let nz = b.build_int_compare(IntPredicate::NE, x, self.i64(0), "nz").u();
                        b.build_int_z_extend(nz, self.ctx().i64_type(), "sign").u().into()
                    }
                    _ => {
                        let x = v.into_int_value();
                        let pos = b.build_int_compare(IntPredicate::SGT, x, self.i64(0), "pos").u();
                        let neg = b.build_int_compare(IntPredicate::SLT, x, self.i64(0), "neg").u();
                        let p = b.build_int_z_extend(pos, self.ctx().i64_type(), "p").u();
                        let n = b.build_int_z_extend(neg, self.ctx().i64_type(), "n").u();
                        b.build_int_sub(p, n, "sign").u().into()
                    }
                }
            }
            Signbit => match &args[0].1 {
                t if t.is_float() => {
                    let x = float(self, 0);
                    let bits = self.b().build_bit_cast(x, self.ctx().i64_type(), "bits").u().into_int_value();
                    self.b().build_int_compare(IntPredicate::SLT, bits, self.i64(0), "signbit").u().into()
                }
                Type::Int64 => {
                    let x = args[0].0.into_int_value();
                    self.b().build_int_compare(IntPredicate::SLT, x, self.i64(0), "signbit").u().into()
                }
                _ => self.ctx().bool_type().const_zero().into(),
            },
            Fmod => {
                let x = self.cast(args[0].0, &args[0].1, ty);
                let y = self.cast(args[1].0, &args[1].1, ty);
                match ty {
                    Type::Float64 => self.b().build_float_rem(x.into_float_value(), y.into_float_value(), "fmod").u().into(),
                    _ => {
                        // C's `%` (the sign of the dividend); NumPy gives 0 for a zero divisor
                        // (with a warning) and for the one overflowing case, MIN % -1.
                        let (xi, yi) = (x.into_int_value(), y.into_int_value());
                        let unsigned = *ty == Type::UInt64;
                        let b = self.b();
                        let zero = b.build_int_compare(IntPredicate::EQ, yi, self.i64(0), "zero").u();
                        let minus_one = b.build_int_compare(IntPredicate::EQ, yi, self.i64(-1), "m1").u();
                        let trivial = if unsigned { zero } else { b.build_or(zero, minus_one, "trivial").u() };
                        let safe = b.build_select(trivial, self.i64(1), yi, "safe").u().into_int_value();
                        let r = if unsigned {
                            b.build_int_unsigned_rem(xi, safe, "rem")
                        } else {
                            b.build_int_signed_rem(xi, safe, "rem")
                        }
                        .u();
                        b.build_select(trivial, self.i64(0), r, "fmod").u()
                    }
                }
            }
            Floor | Ceil if *ty == Type::Float64 => {
                let name = if f == Floor { "llvm.floor.f64" } else { "llvm.ceil.f64" };
                let func = self.intrinsic_fn(name, 1);
                let x = float(self, 0);
                self.call_basic(func, &[x.into()])
            }
            // NumPy 2: the floor and ceiling of an integer (or a bool) are itself.
            Floor | Ceil => self.cast(args[0].0, &args[0].1, ty),
            Abs => {
                let v = self.cast(args[0].0, &args[0].1, ty);
                match ty {
                    Type::Float64 => {
                        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                        self.call_basic(fabs, &[v.into()])
                    }
                    Type::Int64 => {
                        let iv = v.into_int_value();
                        let b = self.b();
                        let neg = b.build_int_compare(IntPredicate::SLT, iv, self.i64(0), "neg").u();
                        let n = b.build_int_sub(self.i64(0), iv, "n").u();
                        b.build_select(neg, n, iv, "abs").u()
                    }
                    _ => v,
                }
            }
            Square => {
                let v = self.cast(args[0].0, &args[0].1, ty);
                let b = self.b();
                match ty {
                    Type::Float64 => b.build_float_mul(v.into_float_value(), v.into_float_value(), "sq").u().into(),
                    _ => b.build_int_mul(v.into_int_value(), v.into_int_value(), "sq").u().into(),
                }
            }
            Arctan2 | Hypot => {
                let (x, y) = (float(self, 0), float(self, 1));
                let func = self.libm(if f == Arctan2 { "atan2" } else { "hypot" }, 2);
                self.call_basic(func, &[x.into(), y.into()])
            }
            Minimum | Maximum | Fmin | Fmax => {
                let x = self.cast(args[0].0, &args[0].1, ty);
                let y = self.cast(args[1].0, &args[1].1, ty);
                let less = matches!(f, Minimum | Fmin);
                let take_x = match ty {
                    Type::Float64 => {
                        // NumPy's loops: minimum is `x < y || isnan(x) ? x : y` (a NaN wins; of
                        // equal values, y), fmin is `x <= y || isnan(y) ? x : y` (a NaN loses;
                        // of equal values, x): what decides the sign of a zero result.
                        let pred = match (f, less) {
                            (Minimum, _) => FloatPredicate::OLT,
                            (Maximum, _) => FloatPredicate::OGT,
                            (_, true) => FloatPredicate::OLE,
                            (_, false) => FloatPredicate::OGE,
                        };
                        let (xf, yf) = (x.into_float_value(), y.into_float_value());
                        let wins = self.b().build_float_compare(pred, xf, yf, "wins").u();
                        let nan = if matches!(f, Minimum | Maximum) { self.is_nan(xf) } else { self.is_nan(yf) };
                        self.b().build_or(wins, nan, "takex").u()
                    }
                    Type::Bool => {
                        let (xi, yi) = (x.into_int_value(), y.into_int_value());
                        let b = self.b();
                        return if less { b.build_and(xi, yi, "min").u().into() } else { b.build_or(xi, yi, "max").u().into() };
                    }
                    _ => {
                        let pred = match (ty, less) {
                            (Type::UInt64, true) => IntPredicate::ULT,
                            (Type::UInt64, false) => IntPredicate::UGT,
                            (_, true) => IntPredicate::SLT,
                            (_, false) => IntPredicate::SGT,
                        };
                        self.b().build_int_compare(pred, x.into_int_value(), y.into_int_value(), "takex").u()
                    }
                };
                self.b().build_select(take_x, x, y, "minmax").u()
            }
            LogicalAnd | LogicalOr | LogicalXor => {
                let x = self.truth(args[0].0, &args[0].1);
                let y = self.truth(args[1].0, &args[1].1);
                let b = self.b();
                match f {
                    LogicalAnd => b.build_and(x, y, "land").u().into(),
                    LogicalOr => b.build_or(x, y, "lor").u().into(),
                    _ => b.build_xor(x, y, "lxor").u().into(),
                }
            }
            LogicalNot => {
                let x = self.truth(args[0].0, &args[0].1);
                self.b().build_not(x, "lnot").u().into()
            }
            Isnan | Isinf | Isfinite => {
                if !args[0].1.is_float() {
                    // An integer is never NaN or infinite.
                    return self.ctx().bool_type().const_int((f == Isfinite) as u64, false).into();
                }
                let x = float(self, 0);
                match f {
                    Isnan => self.is_nan(x).into(),
                    Isinf => self.is_inf(x).into(),
                    _ => self.is_finite(x).into(),
                }
            }
            Where => {
                let c = self.truth(args[0].0, &args[0].1);
                let x = self.cast(args[1].0, &args[1].1, ty);
                let y = self.cast(args[2].0, &args[2].1, ty);
                self.b().build_select(c, x, y, "where").u()
            }
        }
    }
}

/// The C library's name of a float function.
fn libm_name(f: NpFn) -> &'static str {
    match f {
        NpFn::Exp => "exp",
        NpFn::Log => "log",
        NpFn::Sin => "sin",
        NpFn::Cos => "cos",
        NpFn::Tan => "tan",
        NpFn::Tanh => "tanh",
        NpFn::Sinh => "sinh",
        NpFn::Cosh => "cosh",
        NpFn::Arcsin => "asin",
        NpFn::Arccos => "acos",
        NpFn::Arctan => "atan",
        NpFn::Log2 => "log2",
        NpFn::Log10 => "log10",
        NpFn::Log1p => "log1p",
        NpFn::Expm1 => "expm1",
        NpFn::Exp2 => "exp2",
        NpFn::Cbrt => "cbrt",
        NpFn::Arcsinh => "asinh",
        NpFn::Arccosh => "acosh",
        NpFn::Arctanh => "atanh",
        other => unreachable!("{other:?} is not a C library function"),
    }
}
