//! Codegen of `cmath.f(...)` calls: the arguments as complex numbers (real ones converted as
//! CPython converts them), the run-time port of CPython's module (`crate::cmath`) called, its
//! error raised, its result made the value of `f`'s type.

use inkwell::values::BasicValueEnum;
use inkwell::FloatPredicate;

use super::complex::Parts;
use super::{Built, FnGen, Helper};
use crate::hir;
use crate::registry::cmath::CmathFn;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `cmath.f(args)` (inference typed the arguments as numbers).
    pub(super) fn cmath(&mut self, f: CmathFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            let v = self.expr(a);
            vals.push((v, self.ty(a)));
        }
        let zero = (self.f64(0.0), self.f64(0.0));
        let (a, b) = if f == CmathFn::Rect {
            // rect(r, phi): two real numbers, passed as one number's parts.
            let r = self.cast(vals[0].0, &vals[0].1, &Type::Float64).into_float_value();
            let phi = self.cast(vals[1].0, &vals[1].1, &Type::Float64).into_float_value();
            ((r, phi), zero)
        } else {
            let a = self.parts_of(vals[0].0, &vals[0].1);
            let b = vals.get(1).map_or(zero, |(v, t)| self.parts_of(*v, t));
            (a, b)
        };
        match f {
            CmathFn::Isnan | CmathFn::Isinf | CmathFn::Isfinite => {
                let (re, im) = a;
                let (x, y) = match f {
                    CmathFn::Isnan => (self.is_nan(re), self.is_nan(im)),
                    CmathFn::Isinf => (self.is_inf(re), self.is_inf(im)),
                    _ => (self.is_finite(re), self.is_finite(im)),
                };
                let b = self.b();
                return if f == CmathFn::Isfinite { b.build_and(x, y, "both").u() } else { b.build_or(x, y, "either").u() }
                    .into();
            }
            _ => {}
        }
        let op = if f == CmathFn::Log && vals.len() == 2 { crate::cmath::LOG_BASE } else { f as i32 };
        let can_fail = !matches!(f, CmathFn::Sqrt | CmathFn::Isclose);
        let (re, im) = self.cmath_runtime(op, a, b, can_fail);
        match f {
            CmathFn::Phase => re.into(),
            CmathFn::Polar => {
                let st = self.module_gen.llty(&Type::tuple(vec![Type::Float64, Type::Float64])).into_struct_type();
                let b = self.b();
                let t = b.build_insert_value(st.get_undef(), re, 0, "polar.r").u();
                b.build_insert_value(t, im, 1, "polar.phi").u().into_struct_value().into()
            }
            CmathFn::Isclose => self.b().build_float_compare(FloatPredicate::ONE, re, self.f64(0.0), "isclose").u().into(),
            _ => self.make_complex((re, im)),
        }
    }

    /// `sj_rt_cmath(op, a, b)`'s two doubles; a failure (where `can_fail`) returns its status.
    fn cmath_runtime(&mut self, op: i32, (ar, ai): Parts<'ctx>, (br, bi): Parts<'ctx>, can_fail: bool) -> Parts<'ctx> {
        let out = self.entry_alloca(self.module_gen.complex_llty(), "cm.out");
        let h = self.helper(Helper::Cmath);
        let code = self.module_gen.status_llty().const_int(op as u64, false);
        let status = self.call_basic(h, &[code.into(), ar.into(), ai.into(), br.into(), bi.into(), out.into()]).into_int_value();
        if can_fail {
            let b = self.b();
            let failed = b.build_int_compare(inkwell::IntPredicate::NE, status, status.get_type().const_zero(), "cm.failed").u();
            self.on_failure(failed, |s| s.ret_status(status));
        }
        let v = self.b().build_load(self.module_gen.complex_llty(), out, "cm.value").u();
        self.complex_parts(v)
    }
}
