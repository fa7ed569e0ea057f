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
use inkwell::types::{BasicType, BasicTypeEnum, VectorType};
use inkwell::values::{BasicValue, BasicValueEnum, FloatValue, FunctionValue};
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

    /// The exponent as a double (`pow`'s second argument).
    fn value(self) -> f64 {
        match self {
            Exponent::Int(n) => f64::from(n),
            Exponent::Half => 0.5,
        }
    }

    fn name(self) -> String {
        match self {
            Exponent::Int(n) => format!("{LATE_INLINE_PREFIX}pow{n}"),
            Exponent::Half => format!("{LATE_INLINE_PREFIX}pow.half"),
        }
    }
}

/// A double-double: the value `hi + lo`, `|lo|` a few ulp of `hi` at most (`lo` absent: zero);
/// each a double, or a vector of them (one double-double per lane).
#[derive(Clone, Copy)]
struct Dd<'ctx> {
    hi: BasicValueEnum<'ctx>,
    lo: Option<BasicValueEnum<'ctx>>,
}

/// The vector widths a power has a vector variant for (`vector-function-abi-variant`): what the
/// loop vectorizer may pick for a loop of doubles on SSE and AVX.
const LANES: [u32; 2] = [2, 4];

/// A binary float operation on doubles or vectors of doubles alike.
macro_rules! float_op {
    ($fg:expr, $method:ident, $a:expr, $b:expr, $name:expr) => {
        match ($a, $b) {
            (BasicValueEnum::FloatValue(x), BasicValueEnum::FloatValue(y)) => {
                $fg.b().$method(x, y, $name).u().as_basic_value_enum()
            }
            (BasicValueEnum::VectorValue(x), BasicValueEnum::VectorValue(y)) => {
                $fg.b().$method(x, y, $name).u().as_basic_value_enum()
            }
            _ => unreachable!("operands of one shape"),
        }
    };
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Python's `x ** y` (and `math.pow`) value: [`FnGen::call_pow`], except for a constant `y`
    /// of [`Exponent`] and a variable `x`, which calls this module's function for that power
    /// (module docs). In the deferred copy of a loop (`defer`), the call names the power's
    /// vector variants, so that the loop vectorizes.
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
        let call = self.b().build_call(f, &[x.into()], "c").u();
        if self.deferred.is_some() {
            let name = exponent.name();
            let variants: Vec<String> = LANES
                .iter()
                .map(|&n| {
                    let v = self.exact_pow_vector_fn(exponent, n, f);
                    format!("_ZGV_LLVM_N{n}v_{name}({})", v.get_name().to_str().expect("an ASCII name"))
                })
                .collect();
            let attr = self.ctx().create_string_attribute("vector-function-abi-variant", &variants.join(","));
            call.add_attribute(AttributeLoc::Function, attr);
        }
        match call.try_as_basic_value() {
            inkwell::values::ValueKind::Basic(v) => v.into_float_value(),
            _ => unreachable!("a power returns a double"),
        }
    }

    /// A new function `name` of `ty -> ty` (a double or a vector of them), pure, and out of
    /// line until the optimize stage inlines it (LATE_INLINE_PREFIX).
    fn pure_late_fn(&self, name: &str, ty: BasicTypeEnum<'ctx>) -> FunctionValue<'ctx> {
        let f = self.module_gen.module.add_function(name, ty.fn_type(&[ty.into()], false), Some(Linkage::Internal));
        for a in ["noinline", "nounwind", "willreturn", "nosync", "nofree", "speculatable", "memory"] {
            f.add_attribute(AttributeLoc::Function, self.module_gen.fn_attr(a));
        }
        f
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
        let f = self.pure_late_fn(&name, ctx.f64_type().into());
        let saved = self.b().get_insert_block();
        let entry = ctx.append_basic_block(f, "entry");
        let fast_bb = ctx.append_basic_block(f, "xp.fast");
        let wide_bb = ctx.append_basic_block(f, "xp.wide");
        let slow_bb = ctx.append_basic_block(f, "xp.pow");
        self.b().position_at_end(entry);
        let x = f.get_nth_param(0).expect("one parameter");
        let (r, err, wide_lo) = self.power_with_error(exponent, x);
        let near = self.pow_is_rounded(r, err, RATIO_NEAR_ONE, (-63, 64)).into_int_value();
        // Weighted as likely (2000:1): else LLVM computes `pow` always and selects (`pow` is
        // declared speculatable).
        self.branch_cold(near, fast_bb, wide_bb, super::Cold::Else);
        self.b().position_at_end(fast_bb);
        self.b().build_return(Some(&r)).u();
        self.b().position_at_end(wide_bb);
        let wide = self.pow_is_rounded(r, err, RATIO_FAR, (wide_lo, 1009)).into_int_value();
        self.b().build_conditional_branch(wide, fast_bb, slow_bb).u();
        self.b().position_at_end(slow_bb);
        let p = self.call_pow(x.into_float_value(), self.f64(exponent.value()));
        self.b().build_return(Some(&p)).u();
        if let Some(bb) = saved {
            self.b().position_at_end(bb);
        }
        f
    }

    /// The vector variant of `scalar` (the function of `exponent`) on `lanes` doubles: the
    /// near-one test on every lane at once, and when some lane fails it, `scalar` on each lane.
    /// Kept in the module through the pass pipeline by `llvm.compiler.used` (the vectorizer
    /// finds it by name), which the optimize stage drops before inlining it.
    fn exact_pow_vector_fn(&self, exponent: Exponent, lanes: u32, scalar: FunctionValue<'ctx>) -> FunctionValue<'ctx> {
        let module = self.module_gen.module;
        let name = format!("{}.v{lanes}", exponent.name());
        if let Some(f) = module.get_function(&name) {
            return f;
        }
        let ctx = self.ctx();
        let vt = ctx.f64_type().vec_type(lanes);
        let f = self.pure_late_fn(&name, vt.into());
        self.module_gen.keep_until_inlined(f);
        let saved = self.b().get_insert_block();
        let entry = ctx.append_basic_block(f, "entry");
        let fast_bb = ctx.append_basic_block(f, "xp.fast");
        let lanes_bb = ctx.append_basic_block(f, "xp.lanes");
        self.b().position_at_end(entry);
        let x = f.get_nth_param(0).expect("one parameter");
        let (r, err, _) = self.power_with_error(exponent, x);
        let near = self.pow_is_rounded(r, err, RATIO_NEAR_ONE, (-63, 64));
        let and = self.module_gen.llvm_intrinsic("llvm.vector.reduce.and", &[near.get_type()]);
        let all = self.call_basic(and, &[near.into()]).into_int_value();
        self.branch_cold(all, fast_bb, lanes_bb, super::Cold::Else);
        self.b().position_at_end(fast_bb);
        self.b().build_return(Some(&r)).u();
        // Each lane that failed the test is `scalar`'s (the wide test, then `pow`); the others
        // keep their `r`.
        self.b().position_at_end(lanes_bb);
        let (x, near) = (x.into_vector_value(), near.into_vector_value());
        let mut out = r.into_vector_value();
        let mut from = lanes_bb;
        for k in 0..lanes {
            let i = ctx.i32_type().const_int(u64::from(k), false);
            let ok = self.b().build_extract_element(near, i, "ok").u().into_int_value();
            let call_bb = ctx.append_basic_block(f, "xp.lane");
            let next_bb = ctx.append_basic_block(f, "xp.next");
            self.b().build_conditional_branch(ok, next_bb, call_bb).u();
            self.b().position_at_end(call_bb);
            let xk = self.b().build_extract_element(x, i, "xk").u();
            let rk = self.call_basic(scalar, &[xk.into()]);
            let with = self.b().build_insert_element(out, rk, i, "rk").u();
            self.b().build_unconditional_branch(next_bb).u();
            self.b().position_at_end(next_bb);
            let phi = self.b().build_phi(vt, "lanes").u();
            phi.add_incoming(&[(&out, from), (&with, call_bb)]);
            out = phi.as_basic_value().into_vector_value();
            from = next_bb;
        }
        self.b().build_return(Some(&out)).u();
        if let Some(bb) = saved {
            self.b().position_at_end(bb);
        }
        f
    }

    /// `x ** exponent` as `(r, err, wide_lo)`: the nearest double `r` to the power, the rest
    /// `err` (the power is `r + err` within 2^-100 relative), and the lowest binade where the
    /// wide test holds. `x` a double or a vector of them.
    fn power_with_error(&self, exponent: Exponent, x: BasicValueEnum<'ctx>) -> (BasicValueEnum<'ctx>, BasicValueEnum<'ctx>, i32) {
        match exponent {
            Exponent::Int(n) => {
                let p = self.dd_pow(x, n);
                // From 2^-959, every product's tail is a normal double (exact).
                (p.hi, p.lo.expect("n >= 2 has a tail"), -959)
            }
            Exponent::Half => {
                let s = self.float_intrinsic("llvm.sqrt", &[x]);
                let neg_s = self.float_neg(s, "xp.negs");
                // x - s², exact from s = 2^-480 (a normal double); sqrt(x) - s is that over 2s
                // to within 2^-53 of itself.
                let rem = self.float_intrinsic("llvm.fma", &[neg_s, s, x]);
                let two_s = float_op!(self, build_float_add, s, s, "xp.2s");
                let err = float_op!(self, build_float_div, rem, two_s, "xp.err");
                (s, err, -480)
            }
        }
    }

    /// The overloaded float intrinsic `name` (`llvm.fma`, ...) of `args`' type, called on them.
    fn float_intrinsic(&self, name: &str, args: &[BasicValueEnum<'ctx>]) -> BasicValueEnum<'ctx> {
        let f = self.module_gen.llvm_intrinsic(name, &[args[0].get_type()]);
        let args: Vec<_> = args.iter().map(|&a| a.into()).collect();
        self.call_basic(f, &args)
    }

    fn float_neg(&self, x: BasicValueEnum<'ctx>, name: &str) -> BasicValueEnum<'ctx> {
        match x {
            BasicValueEnum::FloatValue(v) => self.b().build_float_neg(v, name).u().as_basic_value_enum(),
            BasicValueEnum::VectorValue(v) => self.b().build_float_neg(v, name).u().as_basic_value_enum(),
            _ => unreachable!("a double or a vector of them"),
        }
    }

    /// The constant `c` in the shape of `like` (a double, or a vector of them all `c`).
    fn float_splat(&self, like: BasicValueEnum<'ctx>, c: f64) -> BasicValueEnum<'ctx> {
        match like {
            BasicValueEnum::VectorValue(v) => {
                let items = vec![self.f64(c); v.get_type().get_size() as usize];
                VectorType::const_vector(&items).as_basic_value_enum()
            }
            _ => self.f64(c).as_basic_value_enum(),
        }
    }

    /// Whether `r` is `pow`'s answer when the power is `r + err` and `2^lo <= |r| < 2^hi`
    /// (binades where the ratio holds): Ziv's rounding test, `r + err / (2 ratio) == r` with
    /// one rounding (an `fma`), which asks `|err| <= ratio · ulp(r)` and, below a power of two,
    /// against the ulp there. False for zeros, infinities and NaN. An `i1`, or a vector of
    /// them for vectors.
    fn pow_is_rounded(
        &self,
        r: BasicValueEnum<'ctx>,
        err: BasicValueEnum<'ctx>,
        ratio: f64,
        (lo, hi): (i32, i32),
    ) -> BasicValueEnum<'ctx> {
        let c = self.float_splat(r, 0.5 / ratio);
        let t = self.float_intrinsic("llvm.fma", &[err, c, r]);
        let a = self.float_intrinsic("llvm.fabs", &[r]);
        let (lo, hi) = (self.float_splat(r, 2f64.powi(lo)), self.float_splat(r, 2f64.powi(hi)));
        let cmp = |p: FloatPredicate, x: BasicValueEnum<'ctx>, y: BasicValueEnum<'ctx>, name: &str| match (x, y) {
            (BasicValueEnum::FloatValue(x), BasicValueEnum::FloatValue(y)) => {
                self.b().build_float_compare(p, x, y, name).u().as_basic_value_enum()
            }
            (BasicValueEnum::VectorValue(x), BasicValueEnum::VectorValue(y)) => {
                self.b().build_float_compare(p, x, y, name).u().as_basic_value_enum()
            }
            _ => unreachable!("operands of one shape"),
        };
        let and = |x: BasicValueEnum<'ctx>, y: BasicValueEnum<'ctx>, name: &str| match (x, y) {
            (BasicValueEnum::IntValue(x), BasicValueEnum::IntValue(y)) => {
                self.b().build_and(x, y, name).u().as_basic_value_enum()
            }
            (BasicValueEnum::VectorValue(x), BasicValueEnum::VectorValue(y)) => {
                self.b().build_and(x, y, name).u().as_basic_value_enum()
            }
            _ => unreachable!("operands of one shape"),
        };
        let rounded = cmp(FloatPredicate::OEQ, t, r, "xp.rounded");
        let above = cmp(FloatPredicate::OGE, a, lo, "xp.above");
        let below = cmp(FloatPredicate::OLT, a, hi, "xp.below");
        let ok = and(rounded, above, "xp.ok1");
        and(ok, below, "xp.ok")
    }

    /// `x^n` as a double-double with `hi` the nearest double to it, by binary powering left to
    /// right on unnormalized double-doubles (the heads a chain of plain products, the tails
    /// computed beside it), renormalized once at the end.
    fn dd_pow(&self, x: BasicValueEnum<'ctx>, n: u32) -> Dd<'ctx> {
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
        let hi = float_op!(self, build_float_add, acc.hi, lo, "dd.hi");
        let d = float_op!(self, build_float_sub, hi, acc.hi, "dd.d");
        let lo = float_op!(self, build_float_sub, lo, d, "dd.lo");
        Dd { hi, lo: Some(lo) }
    }

    /// `a · b` in double-double, not renormalized: the heads' product `p`, and its exact error
    /// (`fma`) plus the cross terms as the tail (the product of the tails, below 2^-100
    /// relative, is left out).
    fn dd_mul(&self, a: Dd<'ctx>, b: Dd<'ctx>) -> Dd<'ctx> {
        let p = float_op!(self, build_float_mul, a.hi, b.hi, "dd.p");
        let neg_p = self.float_neg(p, "dd.negp");
        let mut e = self.float_intrinsic("llvm.fma", &[a.hi, b.hi, neg_p]);
        if let Some(bl) = b.lo {
            let t = float_op!(self, build_float_mul, a.hi, bl, "dd.ahbl");
            e = float_op!(self, build_float_add, e, t, "dd.e1");
        }
        if let Some(al) = a.lo {
            let t = float_op!(self, build_float_mul, al, b.hi, "dd.albh");
            e = float_op!(self, build_float_add, e, t, "dd.e2");
        }
        Dd { hi: p, lo: Some(e) }
    }
}
