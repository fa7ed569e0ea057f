//! Codegen of `x ** n` (a constant integer `n` from 2 to 16) and `x ** 0.5` without calling the
//! C library's `pow` wherever its answer (CPython's) is provably the correctly rounded power,
//! which a few multiplications (or `sqrt`) give with their exact error.
//!
//! glibc's `pow` (2.28 on; the ARM optimized-routines one, as musl's) computes `exp(y log x)`
//! with `log x` to a relative error of 1.5·2^-68 and `exp` to 0.011 ulp before its one final
//! rounding (its source's bound: 0.54 ulp = 0.511 + 1024·ln2·relerr_log·2^53). So `pow(x, y)` is
//! the correctly rounded power `r` unless the exact power `r + err` lies within
//! `0.011 + |ln x^y|·4.6e-5` ulp of a rounding midpoint (`|err|` near 0.5 ulp). Here `r` and
//! `err` come from exact arithmetic: for `x ** n`, `x^n` in double-double (products split by
//! `fma`, about 2^-100 relative error after at most eight steps), `r` its rounded head and
//! `err` its tail; for `x ** 0.5`, `r = sqrt(x)` (correctly rounded) and `err = (x - r²) / 2r`
//! with `x - r²` exact by `fma`. Ziv's rounding test `fma(err, 0.5 / ratio, r) == r` then asks
//! `|err| <= ratio · ulp(r)`: on the hot path `ratio = 0.482` for `2^-63 <= |r| < 2^64`
//! (margin 0.005 ulp), on a cold one `0.45` for every other binade up to 2^1009. On this
//! machine the nearest difference between `pow` and the correctly rounded power, in 2·10^7
//! random doubles per exponent, is at 0.490 ulp (docs/performance-design.md). About 96 powers
//! in 100 of values near one take the hot path; the rest, results near the subnormal range or
//! overflow, zeros, infinities and NaN call `pow`.
//!
//! Each power is a function of its own, pure and `noinline` while the pass pipeline runs, so
//! LICM computes a loop-invariant `dx ** 2` once before its loop; the optimize stage inlines
//! it afterwards ([`LATE_INLINE_PREFIX`]), so no call is left on the fast side.

use inkwell::attributes::AttributeLoc;
use inkwell::module::Linkage;
use inkwell::values::{FloatValue, FunctionValue, IntValue};
use inkwell::FloatPredicate;

use super::calls::const_f64;
use super::{Built, FnGen};
use crate::optimize::LATE_INLINE_PREFIX;

/// The largest integer exponent with a fast side (four squarings).
const MAX_N: u32 = 16;

/// `|err| <= RATIO · ulp(r)` proves `pow(x, y) == r`: the ratio where `r`'s binary exponent is
/// within ±63, and elsewhere (module docs).
const RATIO_NEAR_ONE: f64 = 0.482;
const RATIO_FAR: f64 = 0.45;

/// A constant exponent with a fast side.
#[derive(Clone, Copy)]
enum Exponent {
    Int(u32),
    Half,
}

impl Exponent {
    fn of(y: f64) -> Option<Exponent> {
        if y == 0.5 {
            Some(Exponent::Half)
        } else if y.fract() == 0.0 && (2.0..=f64::from(MAX_N)).contains(&y) {
            Some(Exponent::Int(y as u32))
        } else {
            None
        }
    }

    fn name(self) -> String {
        match self {
            Exponent::Int(n) => format!("{LATE_INLINE_PREFIX}pow{n}"),
            Exponent::Half => format!("{LATE_INLINE_PREFIX}pow.half"),
        }
    }
}

/// A double-double: the value `hi + lo`, `|lo|` a few ulp of `hi` at most (`lo` absent: zero).
#[derive(Clone, Copy)]
struct Dd<'ctx> {
    hi: FloatValue<'ctx>,
    lo: Option<FloatValue<'ctx>>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Python's `x ** y` (and `math.pow`) value: [`FnGen::call_pow`], except for a constant `y`
    /// of [`Exponent`] and a variable `x`, which calls this module's function for that power
    /// (module docs).
    pub(super) fn pow_value(&self, x: FloatValue<'ctx>, y: FloatValue<'ctx>) -> FloatValue<'ctx> {
        let exponent = if const_f64(x).is_none() && !self.module_gen.fastmath.has("afn") {
            const_f64(y).and_then(Exponent::of)
        } else {
            None
        };
        let Some(exponent) = exponent else {
            return self.call_pow(x, y);
        };
        let f = self.exact_pow_fn(exponent);
        self.call_basic(f, &[x.into()]).into_float_value()
    }

    /// The function of `exponent`, made at its first use in the module: the near-one test on
    /// the hot path, the wide test and `pow` on cold ones.
    fn exact_pow_fn(&self, exponent: Exponent) -> FunctionValue<'ctx> {
        let module = self.module_gen.module;
        let name = exponent.name();
        if let Some(f) = module.get_function(&name) {
            return f;
        }
        let ctx = self.ctx();
        let f64t = ctx.f64_type();
        let f = module.add_function(&name, f64t.fn_type(&[f64t.into()], false), Some(Linkage::Internal));
        // Pure, and out of line until the optimize stage inlines it (LATE_INLINE_PREFIX).
        for a in ["noinline", "nounwind", "willreturn", "nosync", "nofree", "speculatable", "memory"] {
            f.add_attribute(AttributeLoc::Function, self.module_gen.fn_attr(a));
        }
        let saved = self.b().get_insert_block();
        let entry = ctx.append_basic_block(f, "entry");
        let fast_bb = ctx.append_basic_block(f, "xp.fast");
        let wide_bb = ctx.append_basic_block(f, "xp.wide");
        let slow_bb = ctx.append_basic_block(f, "xp.pow");
        self.b().position_at_end(entry);
        let x = f.get_nth_param(0).expect("one parameter").into_float_value();
        // The power is `r + err` (within 2^-100 relative), `r` the nearest double to it.
        let (r, err, wide_lo) = match exponent {
            Exponent::Int(n) => {
                let p = self.dd_pow(x, n);
                // From 2^-959, every product's tail is a normal double (exact).
                (p.hi, p.lo.expect("n >= 2 has a tail"), -959)
            }
            Exponent::Half => {
                let sqrt = self.intrinsic_fn("llvm.sqrt.f64", 1);
                let s = self.call_basic(sqrt, &[x.into()]).into_float_value();
                let fma = self.intrinsic_fn("llvm.fma.f64", 3);
                let b = self.b();
                let neg_s = b.build_float_neg(s, "xp.negs").u();
                // x - s², exact from s = 2^-480 (a normal double); sqrt(x) - s is that over 2s
                // to within 2^-53 of itself.
                let rem = self.call_basic(fma, &[neg_s.into(), s.into(), x.into()]).into_float_value();
                let b = self.b();
                let two_s = b.build_float_add(s, s, "xp.2s").u();
                let err = b.build_float_div(rem, two_s, "xp.err").u();
                (s, err, -480)
            }
        };
        let near = self.pow_is_rounded(r, err, RATIO_NEAR_ONE, (-63, 64));
        // Weighted as likely (2000:1): else LLVM computes `pow` always and selects (`pow` is
        // declared speculatable).
        self.branch_cold(near, fast_bb, wide_bb, super::Cold::Else);
        self.b().position_at_end(fast_bb);
        self.b().build_return(Some(&r)).u();
        self.b().position_at_end(wide_bb);
        let wide = self.pow_is_rounded(r, err, RATIO_FAR, (wide_lo, 1009));
        self.b().build_conditional_branch(wide, fast_bb, slow_bb).u();
        self.b().position_at_end(slow_bb);
        let y = match exponent {
            Exponent::Int(n) => f64::from(n),
            Exponent::Half => 0.5,
        };
        let p = self.call_pow(x, self.f64(y));
        self.b().build_return(Some(&p)).u();
        if let Some(bb) = saved {
            self.b().position_at_end(bb);
        }
        f
    }

    /// Whether `r` is `pow`'s answer when the power is `r + err` and `2^lo <= |r| < 2^hi`
    /// (binades where the ratio holds): Ziv's rounding test, `r + err / (2 ratio) == r` with
    /// one rounding (an `fma`), which asks `|err| <= ratio · ulp(r)` and, below a power of two,
    /// against the ulp there. False for zeros, infinities and NaN.
    fn pow_is_rounded(&self, r: FloatValue<'ctx>, err: FloatValue<'ctx>, ratio: f64, (lo, hi): (i32, i32)) -> IntValue<'ctx> {
        let fma = self.intrinsic_fn("llvm.fma.f64", 3);
        let c = self.f64(0.5 / ratio);
        let t = self.call_basic(fma, &[err.into(), c.into(), r.into()]).into_float_value();
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let a = self.call_basic(fabs, &[r.into()]).into_float_value();
        let b = self.b();
        let rounded = b.build_float_compare(FloatPredicate::OEQ, t, r, "xp.rounded").u();
        let above = b.build_float_compare(FloatPredicate::OGE, a, self.f64(2f64.powi(lo)), "xp.above").u();
        let below = b.build_float_compare(FloatPredicate::OLT, a, self.f64(2f64.powi(hi)), "xp.below").u();
        let ok = b.build_and(rounded, above, "xp.ok1").u();
        b.build_and(ok, below, "xp.ok").u()
    }

    /// `x^n` as a double-double with `hi` the nearest double to it, by binary powering left to
    /// right on unnormalized double-doubles (the heads a chain of plain products, the tails
    /// computed beside it), renormalized once at the end.
    fn dd_pow(&self, x: FloatValue<'ctx>, n: u32) -> Dd<'ctx> {
        let base = Dd { hi: x, lo: None };
        let mut acc = base;
        for bit in (0..n.ilog2()).rev() {
            acc = self.dd_mul(acc, acc);
            if n >> bit & 1 == 1 {
                acc = self.dd_mul(acc, base);
            }
        }
        if n == 2 {
            // x * x is rounded, and its error exact: already normalized.
            return acc;
        }
        // Fast two-sum (|hi| > |lo|): the rounded sum and what rounding left out.
        let lo = acc.lo.expect("n >= 2 has a tail");
        let b = self.b();
        let hi = b.build_float_add(acc.hi, lo, "dd.hi").u();
        let d = b.build_float_sub(hi, acc.hi, "dd.d").u();
        let lo = b.build_float_sub(lo, d, "dd.lo").u();
        Dd { hi, lo: Some(lo) }
    }

    /// `a · b` in double-double, not renormalized: the heads' product `p`, and its exact error
    /// (`fma`) plus the cross terms as the tail (the product of the tails, below 2^-100
    /// relative, is left out).
    fn dd_mul(&self, a: Dd<'ctx>, b: Dd<'ctx>) -> Dd<'ctx> {
        let fma = self.intrinsic_fn("llvm.fma.f64", 3);
        let bd = self.b();
        let p = bd.build_float_mul(a.hi, b.hi, "dd.p").u();
        let neg_p = bd.build_float_neg(p, "dd.negp").u();
        let mut e = self.call_basic(fma, &[a.hi.into(), b.hi.into(), neg_p.into()]).into_float_value();
        let bd = self.b();
        if let Some(bl) = b.lo {
            let t = bd.build_float_mul(a.hi, bl, "dd.ahbl").u();
            e = bd.build_float_add(e, t, "dd.e1").u();
        }
        if let Some(al) = a.lo {
            let t = bd.build_float_mul(al, b.hi, "dd.albh").u();
            e = bd.build_float_add(e, t, "dd.e2").u();
        }
        Dd { hi: p, lo: Some(e) }
    }
}
