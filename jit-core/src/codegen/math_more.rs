//! The `math` functions beyond the C library's one-double ones: CPython's gamma and lgamma,
//! `ldexp`/`frexp`/`modf`/`ulp`, `remainder`/`nextafter`, `degrees`/`radians` and the integer
//! `gcd`/`lcm`/`isqrt`, each with CPython's errors.

use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::helpers::Helper;
use super::{Built, FnGen};
use crate::hir::MathFn;
use crate::runtime::Status;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `m` of `raw` (each value and its type) when it is one of this module's functions.
    pub(super) fn math_more(&mut self, m: MathFn, raw: &[(BasicValueEnum<'ctx>, Type)]) -> Option<BasicValueEnum<'ctx>> {
        if m.of_ints() {
            let ints: Vec<IntValue<'ctx>> = raw.iter().map(|(v, t)| self.cast(*v, t, &Type::Int64).into_int_value()).collect();
            return Some(self.math_of_ints(m, &ints).into());
        }
        let float = |s: &mut Self, k: usize| s.cast(raw[k].0, &raw[k].1, &Type::Float64).into_float_value();
        Some(match m {
            MathFn::Degrees | MathFn::Radians => {
                // CPython's constants: 180 / pi and pi / 180, each one rounding.
                let c = if m == MathFn::Degrees { 180.0 / std::f64::consts::PI } else { std::f64::consts::PI / 180.0 };
                let x = float(self, 0);
                self.b().build_float_mul(x, self.f64(c), "deg").u().into()
            }
            MathFn::Gamma | MathFn::Lgamma => {
                let x = float(self, 0);
                self.gamma(m, x).into()
            }
            MathFn::Remainder => {
                let (x, y) = (float(self, 0), float(self, 1));
                let f = self.libm("remainder", 2);
                let r = self.call_basic(f, &[x.into(), y.into()]).into_float_value();
                self.check_nan_from_numbers(r, x, y);
                r.into()
            }
            MathFn::Nextafter => {
                let (x, y) = (float(self, 0), float(self, 1));
                let f = self.libm("nextafter", 2);
                self.call_basic(f, &[x.into(), y.into()])
            }
            MathFn::Ulp => {
                let x = float(self, 0);
                self.ulp(x).into()
            }
            MathFn::Ldexp => {
                let x = float(self, 0);
                let n = self.cast(raw[1].0, &raw[1].1, &Type::Int64).into_int_value();
                self.ldexp(x, n).into()
            }
            MathFn::Frexp => {
                let x = float(self, 0);
                self.frexp(x)
            }
            MathFn::Modf => {
                let x = float(self, 0);
                self.modf(x)
            }
            _ => return None,
        })
    }

    /// `gcd`, `lcm` (of any number of ints) and `isqrt`.
    fn math_of_ints(&mut self, m: MathFn, xs: &[IntValue<'ctx>]) -> IntValue<'ctx> {
        let gcd = self.helper(Helper::Gcd);
        match m {
            MathFn::Isqrt => {
                let neg = self.b().build_int_compare(IntPredicate::SLT, xs[0], self.i64(0), "neg").u();
                self.fail_later_if(neg, Status::IsqrtNegative as u32);
                let f = self.helper(Helper::Isqrt);
                self.call_basic(f, &[xs[0].into()]).into_int_value()
            }
            // gcd() is 0, gcd(a) is |a|: gcd(0, a).
            MathFn::Gcd => xs.iter().fold(self.i64(0), |acc, &x| self.call_basic(gcd, &[acc.into(), x.into()]).into_int_value()),
            // lcm() is 1, lcm(a) is |a|; lcm(a, b) is |a / gcd(a, b) * b|, 0 when either is.
            _ => xs.iter().fold(self.i64(1), |acc, &x| {
                let g = self.call_basic(gcd, &[acc.into(), x.into()]).into_int_value();
                let zero = self.i64(0);
                let b = self.b();
                let g_zero = b.build_int_compare(IntPredicate::EQ, g, zero, "gz").u();
                // Divides by 1 where g is 0 (both are 0), then chooses 0.
                let safe = b.build_select(g_zero, self.i64(1), g, "g").u().into_int_value();
                let q = b.build_int_signed_div(acc, safe, "q").u();
                let p = b.build_int_mul(q, x, "p").u();
                let neg = b.build_int_compare(IntPredicate::SLT, p, zero, "n").u();
                let minus = b.build_int_sub(zero, p, "m").u();
                let abs = b.build_select(neg, minus, p, "abs").u().into_int_value();
                b.build_select(g_zero, zero, abs, "lcm").u().into_int_value()
            }),
        }
    }

    /// CPython's gamma or lgamma of `x`: a ValueError at the poles and (gamma) at -inf, an
    /// OverflowError where the value overflows from a finite `x`.
    fn gamma(&mut self, m: MathFn, x: FloatValue<'ctx>) -> FloatValue<'ctx> {
        let floor = self.intrinsic_fn("llvm.floor.f64", 1);
        let fl = self.call_basic(floor, &[x.into()]).into_float_value();
        let finite = self.is_finite(x);
        let b = self.b();
        let integral = b.build_float_compare(FloatPredicate::OEQ, x, fl, "int").u();
        let non_pos = b.build_float_compare(FloatPredicate::OLE, x, self.f64(0.0), "np").u();
        let mut domain = b.build_and(integral, non_pos, "pole").u();
        if m == MathFn::Lgamma {
            // lgamma(-inf) is inf, without an error.
            domain = b.build_and(domain, finite, "pole").u();
        }
        self.fail_later_if(domain, Status::MathDomain as u32);
        let f = self.helper(if m == MathFn::Gamma { Helper::Gamma } else { Helper::Lgamma });
        let r = self.call_basic(f, &[x.into()]).into_float_value();
        let inf = self.is_inf(r);
        let b = self.b();
        let from_finite = b.build_and(inf, finite, "ovf").u();
        let not_domain = b.build_not(domain, "nd").u();
        let overflow = b.build_and(from_finite, not_domain, "ovf").u();
        self.fail_later_if(overflow, Status::MathRange as u32);
        r
    }

    /// CPython's `ulp`: the distance from |x| to the next double away from zero (to the one
    /// below for the largest double); NaN and inf are themselves.
    fn ulp(&mut self, x: FloatValue<'ctx>) -> FloatValue<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let a = self.call_basic(fabs, &[x.into()]).into_float_value();
        let next = self.libm("nextafter", 2);
        let up = self.call_basic(next, &[a.into(), self.f64(f64::INFINITY).into()]).into_float_value();
        let down = self.call_basic(next, &[a.into(), self.f64(f64::NEG_INFINITY).into()]).into_float_value();
        let top = self.is_inf(up);
        let b = self.b();
        let above = b.build_float_sub(up, a, "up").u();
        let below = b.build_float_sub(a, down, "down").u();
        b.build_select(top, below, above, "ulp").u().into_float_value()
    }

    /// `ldexp(x, n)`: the exponent clamped to a C int as CPython clamps it; an infinity from a
    /// finite `x` is an OverflowError.
    fn ldexp(&mut self, x: FloatValue<'ctx>, n: IntValue<'ctx>) -> FloatValue<'ctx> {
        let i32t = self.ctx().i32_type();
        let (lo, hi) = (self.i64(i32::MIN as i64), self.i64(i32::MAX as i64));
        let b = self.b();
        let below = b.build_int_compare(IntPredicate::SLT, n, lo, "lo").u();
        let n = b.build_select(below, lo, n, "n").u().into_int_value();
        let above = b.build_int_compare(IntPredicate::SGT, n, hi, "hi").u();
        let n = b.build_select(above, hi, n, "n").u().into_int_value();
        let n = b.build_int_truncate(n, i32t, "n32").u();
        let f = self.module_gen.llvm_intrinsic("llvm.ldexp", &[self.ctx().f64_type().into(), i32t.into()]);
        let r = self.call_basic(f, &[x.into(), n.into()]).into_float_value();
        let inf = self.is_inf(r);
        let finite = self.is_finite(x);
        let overflow = self.b().build_and(inf, finite, "ovf").u();
        self.fail_later_if(overflow, Status::MathRange as u32);
        r
    }

    /// `frexp(x)`: `(m, e)` with `x == m * 2**e`, `0.5 <= |m| < 1`; `(x, 0)` for zero, inf and
    /// NaN, as CPython.
    fn frexp(&mut self, x: FloatValue<'ctx>) -> BasicValueEnum<'ctx> {
        let (f64t, i32t) = (self.ctx().f64_type(), self.ctx().i32_type());
        let f = self.module_gen.llvm_intrinsic("llvm.frexp", &[f64t.into(), i32t.into()]);
        let pair = self.call_basic(f, &[x.into()]).into_struct_value();
        let finite = self.is_finite(x);
        let b = self.b();
        let m = b.build_extract_value(pair, 0, "m").u().into_float_value();
        let e = b.build_extract_value(pair, 1, "e").u().into_int_value();
        let m = b.build_select(finite, m, x, "m").u();
        let e = b.build_int_s_extend(e, self.ctx().i64_type(), "e").u();
        let e = b.build_select(finite, e, self.i64(0), "e").u();
        self.pair(&Type::tuple(vec![Type::Float64, Type::Int64]), m, e)
    }

    /// `modf(x)`: `(fraction, integral part)`, both with x's sign; `(±0.0, ±inf)` for ±inf.
    fn modf(&mut self, x: FloatValue<'ctx>) -> BasicValueEnum<'ctx> {
        let trunc = self.intrinsic_fn("llvm.trunc.f64", 1);
        let whole = self.call_basic(trunc, &[x.into()]).into_float_value();
        let inf = self.is_inf(x);
        let b = self.b();
        let frac = b.build_float_sub(x, whole, "frac").u();
        let frac = b.build_select(inf, self.f64(0.0), frac, "frac").u().into_float_value();
        let copysign = self.intrinsic_fn("llvm.copysign.f64", 2);
        let frac = self.call_basic(copysign, &[frac.into(), x.into()]);
        self.pair(&Type::tuple(vec![Type::Float64, Type::Float64]), frac, whole.into())
    }

    /// A two-item tuple of type `t`.
    fn pair(&self, t: &Type, a: BasicValueEnum<'ctx>, b: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let st = self.module_gen.llty(t).into_struct_type();
        let agg = self.b().build_insert_value(st.get_undef(), a, 0, "t0").u();
        self.b().build_insert_value(agg, b, 1, "t1").u().into_struct_value().into()
    }
}
