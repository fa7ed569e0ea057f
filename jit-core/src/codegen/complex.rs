//! Codegen of complex numbers: their value (an LLVM `{double, double}`), conversion from real
//! numbers, arithmetic with CPython's rules (division and general powers through the runtime's
//! `sj_rt_complex`), `==`/`!=`, `abs`, truth and complex64's rounding.

use inkwell::types::StructType;
use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::FloatPredicate;

use super::{Built, FnGen, Helper, ModuleGen};
use crate::ast::{BinOp, CmpOp};
use crate::complex::ComplexOp;
use crate::hir::NpFn;
use crate::runtime::Status;
use crate::types::Type;

/// A complex power `z ** n` with an int constant `n` in `1..=MAX_INLINE_POWER` is multiplied
/// out inline (CPython's `c_powu`, step for step); other exponents call the runtime.
const MAX_INLINE_POWER: i64 = 16;

impl<'ctx> ModuleGen<'_, 'ctx> {
    /// The LLVM type of a complex value: `{double re, double im}`.
    pub(super) fn complex_llty(&self) -> StructType<'ctx> {
        let f64t = self.ctx.f64_type();
        self.ctx.struct_type(&[f64t.into(), f64t.into()], false)
    }
}

/// A complex value's two parts.
pub(super) type Parts<'ctx> = (FloatValue<'ctx>, FloatValue<'ctx>);

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The complex value with parts `re` and `im`.
    pub(super) fn make_complex(&self, (re, im): Parts<'ctx>) -> BasicValueEnum<'ctx> {
        let b = self.b();
        let v = self.module_gen.complex_llty().get_undef();
        let v = b.build_insert_value(v, re, 0, "c.re").u();
        b.build_insert_value(v, im, 1, "c.im").u().into_struct_value().into()
    }

    /// The parts of a complex value.
    pub(super) fn complex_parts(&self, v: BasicValueEnum<'ctx>) -> Parts<'ctx> {
        let b = self.b();
        let sv = v.into_struct_value();
        let re = b.build_extract_value(sv, 0, "re").u().into_float_value();
        let im = b.build_extract_value(sv, 1, "im").u().into_float_value();
        (re, im)
    }

    /// The parts of `v`, a number of type `t` (a real number has imaginary part `+0.0`, as
    /// CPython converts it).
    pub(super) fn parts_of(&self, v: BasicValueEnum<'ctx>, t: &Type) -> Parts<'ctx> {
        if t.is_complex() {
            return self.complex_parts(v);
        }
        (self.cast(v, t, &Type::Float64).into_float_value(), self.f64(0.0))
    }

    /// Both parts rounded to float32 (a complex64 result, carried as complex128).
    pub(super) fn round_c64(&self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let (re, im) = self.complex_parts(v);
        let re = self.round_f32(re.into()).into_float_value();
        let im = self.round_f32(im.into()).into_float_value();
        self.make_complex((re, im))
    }

    /// A complex product: CPython's (`_Py_c_prod`: four products, no shortcut for zero parts),
    /// or in an array expression NumPy's SIMD loop's (`simd_cmul`: `ar*br - ai*bi` and
    /// `ar*bi + ai*br` each with its first product fused where the CPU has FMA, as NumPy's
    /// dispatch picks its FMA loop there).
    fn complex_mul(&self, (ar, ai): Parts<'ctx>, (br, bi): Parts<'ctx>) -> Parts<'ctx> {
        let b = self.b();
        if self.elementwise {
            let fmuladd = self.intrinsic_fn("llvm.fmuladd.f64", 3);
            let ii = b.build_float_mul(ai, bi, "ii").u();
            let nii = b.build_float_neg(ii, "nii").u();
            let ir = b.build_float_mul(ai, br, "ir").u();
            let re = self.call_basic(fmuladd, &[ar.into(), br.into(), nii.into()]).into_float_value();
            let im = self.call_basic(fmuladd, &[ar.into(), bi.into(), ir.into()]).into_float_value();
            return (re, im);
        }
        self.complex_mul_plain((ar, ai), (br, bi))
    }

    /// `ar*br - ai*bi`, `ar*bi + ai*br`, each product rounded (CPython's `_Py_c_prod`, NumPy's
    /// scalar `cmul`).
    fn complex_mul_plain(&self, (ar, ai): Parts<'ctx>, (br, bi): Parts<'ctx>) -> Parts<'ctx> {
        let b = self.b();
        let rr = b.build_float_mul(ar, br, "rr").u();
        let ii = b.build_float_mul(ai, bi, "ii").u();
        let ri = b.build_float_mul(ar, bi, "ri").u();
        let ir = b.build_float_mul(ai, br, "ir").u();
        (b.build_float_sub(rr, ii, "mul.re").u(), b.build_float_add(ri, ir, "mul.im").u())
    }

    /// `op` of `a` and `b` computed by the runtime (`complex::sj_rt_complex`); a failure
    /// returns its status.
    pub(super) fn complex_runtime(&mut self, op: ComplexOp, (ar, ai): Parts<'ctx>, (br, bi): Parts<'ctx>) -> Parts<'ctx> {
        let out = self.entry_alloca(self.module_gen.complex_llty(), "c.out");
        let f = self.helper(Helper::Complex);
        let code = self.module_gen.status_llty().const_int(op as u64, false);
        let status = self.call_basic(f, &[code.into(), ar.into(), ai.into(), br.into(), bi.into(), out.into()]).into_int_value();
        if matches!(op, ComplexOp::PyDiv | ComplexOp::PyPow) {
            let b = self.b();
            let failed = b.build_int_compare(inkwell::IntPredicate::NE, status, status.get_type().const_zero(), "c.failed").u();
            self.on_failure(failed, |s| s.ret_status(status));
        }
        let v = self.b().build_load(self.module_gen.complex_llty(), out, "c.value").u();
        self.complex_parts(v)
    }

    /// `l op r` for `+ - * / **` where either side is complex, in complex128 (the caller rounds
    /// a complex64 result): CPython's algorithms, the real side converted to complex first.
    pub(super) fn complex_binary(
        &mut self,
        op: BinOp,
        l: BasicValueEnum<'ctx>,
        lt: &Type,
        r: BasicValueEnum<'ctx>,
        rt: &Type,
    ) -> BasicValueEnum<'ctx> {
        let (x, y) = (self.parts_of(l, lt), self.parts_of(r, rt));
        let b = self.b();
        let parts = match op {
            BinOp::Add => (b.build_float_add(x.0, y.0, "add.re").u(), b.build_float_add(x.1, y.1, "add.im").u()),
            BinOp::Sub => (b.build_float_sub(x.0, y.0, "sub.re").u(), b.build_float_sub(x.1, y.1, "sub.im").u()),
            BinOp::Mul => self.complex_mul(x, y),
            // In an array expression, NumPy's loops: no exceptions, its own division and power.
            BinOp::Div if self.elementwise => self.complex_np_div(x, y),
            BinOp::Pow if self.elementwise => {
                // The exponent a constant integer (NumPy's loop sees it converted to complex).
                let n = match (y.0.get_constant(), y.1.get_constant()) {
                    (Some((re, _)), Some((im, _))) if im == 0.0 && re.fract() == 0.0 && re.abs() < 1e9 => Some(re as i64),
                    _ => None,
                };
                match n {
                    // NumPy's `a ** 2` is its `square` loop (a SIMD product); `** 3` npy_cpow's
                    // unrolled scalar products.
                    Some(1) => x,
                    Some(2) => self.complex_mul(x, x),
                    Some(3) => {
                        let x2 = self.complex_mul_plain(x, x);
                        self.complex_mul_plain(x, x2)
                    }
                    _ => self.complex_runtime(ComplexOp::NpPow, x, y),
                }
            }
            BinOp::Div => self.complex_runtime(ComplexOp::PyDiv, x, y),
            BinOp::Pow => {
                let small = match (rt, r) {
                    (Type::Int64, BasicValueEnum::IntValue(n)) => {
                        n.get_sign_extended_constant().filter(|n| (1..=MAX_INLINE_POWER).contains(n))
                    }
                    _ => None,
                };
                match small {
                    Some(n) => self.complex_powu(x, n),
                    None => self.complex_runtime(ComplexOp::PyPow, x, y),
                }
            }
            _ => unreachable!("inference allows + - * / ** on complex numbers"),
        };
        self.make_complex(parts)
    }

    /// NumPy's complex division loop (`complex::np_div`, the runtime's reference), inline and
    /// branch-free so that an array expression's loop stays one straight body: the part of
    /// larger magnitude divides (`rat`, `scl`), each step rounded as NumPy's; by zero, each
    /// part over `|re|` of the divisor (a complex infinity or NaN).
    fn complex_np_div(&self, (ar, ai): Parts<'ctx>, (br, bi): Parts<'ctx>) -> Parts<'ctx> {
        let b = self.b();
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let abr = self.call_basic(fabs, &[br.into()]).into_float_value();
        let abi = self.call_basic(fabs, &[bi.into()]).into_float_value();
        // `|br| >= |bi|` (false for a NaN part, as in the runtime's `>=`).
        let by_re = b.build_float_compare(FloatPredicate::OGE, abr, abi, "cdiv.byre").u();
        let pick =
            |t: FloatValue<'ctx>, e: FloatValue<'ctx>, name: &str| b.build_select(by_re, t, e, name).u().into_float_value();
        // by_re: rat = bi/br, scl = 1/(br + bi*rat), re = (ar + ai*rat)*scl, im = (ai - ar*rat)*scl;
        // else:  rat = br/bi, scl = 1/(bi + br*rat), re = (ai + ar*rat)*scl (a sum is the same
        //        either way round), im = (ai*rat - ar)*scl.
        let (p, q) = (pick(br, bi, "cdiv.p"), pick(bi, br, "cdiv.q"));
        let rat = b.build_float_div(q, p, "cdiv.rat").u();
        let den = b.build_float_add(p, b.build_float_mul(q, rat, "cdiv.qr").u(), "cdiv.den").u();
        let scl = b.build_float_div(self.f64(1.0), den, "cdiv.scl").u();
        let (x, y) = (pick(ar, ai, "cdiv.x"), pick(ai, ar, "cdiv.y"));
        let re =
            b.build_float_mul(b.build_float_add(x, b.build_float_mul(y, rat, "cdiv.yr").u(), "cdiv.ren").u(), scl, "cdiv.re").u();
        // The imaginary numerator in each side's own order (`a - b` and `-(b - a)` differ in the
        // sign of a zero).
        let im1 = b.build_float_sub(ai, b.build_float_mul(ar, rat, "cdiv.arr").u(), "cdiv.im1").u();
        let im2 = b.build_float_sub(b.build_float_mul(ai, rat, "cdiv.air").u(), ar, "cdiv.im2").u();
        let im = b.build_float_mul(pick(im1, im2, "cdiv.imn"), scl, "cdiv.im").u();
        // By zero (only on the `>=` side): ar/|br|, ai/|br|.
        let zr = b.build_float_compare(FloatPredicate::OEQ, abr, self.f64(0.0), "cdiv.zr").u();
        let zi = b.build_float_compare(FloatPredicate::OEQ, abi, self.f64(0.0), "cdiv.zi").u();
        let zero = b.build_and(zr, zi, "cdiv.zero").u();
        let re0 = b.build_float_div(ar, abr, "cdiv.re0").u();
        let im0 = b.build_float_div(ai, abr, "cdiv.im0z").u();
        (
            b.build_select(zero, re0, re, "cdiv.rez").u().into_float_value(),
            b.build_select(zero, im0, im, "cdiv.imz").u().into_float_value(),
        )
    }

    /// NumPy's complex `exp`, which is the C library's `cexp`: for a finite real part up to 709
    /// and a finite imaginary part, glibc's `cexp` is `exp(re) * cos(im)`, `exp(re) * sin(im)`
    /// (with `cos = 1`, `sin = im` when `|im|` is below the smallest normal number), computed
    /// here inline (the `sin`/`cos` pair becomes one `sincos`); every other argument calls
    /// `cexp` through the runtime.
    fn complex_np_exp(&mut self, (x, y): Parts<'ctx>) -> Parts<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let ay = self.call_basic(fabs, &[y.into()]).into_float_value();
        let b = self.b();
        // glibc's `t = (int) ((DBL_MAX_EXP - 1) * M_LN2)`: beyond it `cexp` scales.
        let x_ok = b.build_float_compare(FloatPredicate::OLE, x, self.f64(709.0), "cexp.xle").u();
        let x_fin = b.build_float_compare(FloatPredicate::OGT, x, self.f64(f64::NEG_INFINITY), "cexp.xfin").u();
        let y_fin = b.build_float_compare(FloatPredicate::OLT, ay, self.f64(f64::INFINITY), "cexp.yfin").u();
        let fast = b.build_and(b.build_and(x_ok, x_fin, "cexp.x").u(), y_fin, "cexp.fast").u();
        let (fast_bb, slow_bb, end) =
            (self.block_named("cexp.inline"), self.block_named("cexp.call"), self.block_named("cexp.end"));
        self.branch_cold(fast, fast_bb, slow_bb, super::Cold::Else);
        self.b().position_at_end(fast_bb);
        let (exp, sin, cos) = (self.libm("exp", 1), self.libm("sin", 1), self.libm("cos", 1));
        let e = self.call_basic(exp, &[x.into()]).into_float_value();
        let s = self.call_basic(sin, &[y.into()]).into_float_value();
        let c = self.call_basic(cos, &[y.into()]).into_float_value();
        let b = self.b();
        let normal = b.build_float_compare(FloatPredicate::OGT, ay, self.f64(f64::MIN_POSITIVE), "cexp.normal").u();
        let s = b.build_select(normal, s, y, "cexp.sin").u().into_float_value();
        let c = b.build_select(normal, c, self.f64(1.0), "cexp.cos").u().into_float_value();
        let re1 = b.build_float_mul(e, c, "cexp.re").u();
        let im1 = b.build_float_mul(e, s, "cexp.im").u();
        let fast_end = b.get_insert_block().expect("positioned");
        b.build_unconditional_branch(end).u();
        self.b().position_at_end(slow_bb);
        let (re2, im2) = self.complex_runtime(ComplexOp::Exp, (x, y), (self.f64(0.0), self.f64(0.0)));
        let b = self.b();
        let slow_end = b.get_insert_block().expect("positioned");
        b.build_unconditional_branch(end).u();
        b.position_at_end(end);
        let f64t = self.ctx().f64_type();
        let re = b.build_phi(f64t, "cexp.re").u();
        re.add_incoming(&[(&re1, fast_end), (&re2, slow_end)]);
        let im = b.build_phi(f64t, "cexp.im").u();
        im.add_incoming(&[(&im1, fast_end), (&im2, slow_end)]);
        (re.as_basic_value().into_float_value(), im.as_basic_value().into_float_value())
    }

    /// CPython's `c_powu` of `x` to the constant `n` (from `1 + 0j`, squaring), then its
    /// OverflowError for an infinite part.
    fn complex_powu(&mut self, x: Parts<'ctx>, n: i64) -> Parts<'ctx> {
        let (mut r, mut p, mut mask) = ((self.f64(1.0), self.f64(0.0)), x, 1i64);
        while mask > 0 && n >= mask {
            if n & mask != 0 {
                r = self.complex_mul(r, p);
            }
            mask <<= 1;
            if n >= mask {
                p = self.complex_mul(p, p);
            }
        }
        let inf = {
            let (a, b2) = (self.is_inf(r.0), self.is_inf(r.1));
            self.b().build_or(a, b2, "c.inf").u()
        };
        self.fail_if(inf, Status::ComplexPowOverflow as u32);
        r
    }

    /// `-z`.
    pub(super) fn complex_neg(&self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let (re, im) = self.complex_parts(v);
        let b = self.b();
        self.make_complex((b.build_float_neg(re, "neg.re").u(), b.build_float_neg(im, "neg.im").u()))
    }

    /// `l == r` or `l != r` where either side is complex (CPython's: the real parts compared
    /// exactly, an int with a float as everywhere, and the imaginary parts).
    pub(super) fn complex_compare(
        &self,
        op: CmpOp,
        l: BasicValueEnum<'ctx>,
        lt: &Type,
        r: BasicValueEnum<'ctx>,
        rt: &Type,
    ) -> IntValue<'ctx> {
        // The real parts, a real operand as itself (an int compares exactly).
        let real = |v: BasicValueEnum<'ctx>, t: &Type| -> (BasicValueEnum<'ctx>, Type, FloatValue<'ctx>) {
            if t.is_complex() {
                let (re, im) = self.complex_parts(v);
                (re.into(), Type::Float64, im)
            } else {
                (v, t.carrier(), self.f64(0.0))
            }
        };
        let (lr, lrt, li) = real(l, lt);
        let (rr, rrt, ri) = real(r, rt);
        let re_eq = self.compare(CmpOp::Eq, lr, &lrt, rr, &rrt);
        let b = self.b();
        let im_eq = b.build_float_compare(FloatPredicate::OEQ, li, ri, "im.eq").u();
        let eq = b.build_and(re_eq, im_eq, "c.eq").u();
        match op {
            CmpOp::Eq => eq,
            _ => b.build_not(eq, "c.ne").u(),
        }
    }

    /// Whether `z` is nonzero (NaN parts are true, as in Python).
    pub(super) fn complex_truth(&self, v: BasicValueEnum<'ctx>) -> IntValue<'ctx> {
        let (re, im) = self.complex_parts(v);
        let b = self.b();
        let r = b.build_float_compare(FloatPredicate::UNE, re, self.f64(0.0), "re.t").u();
        let i = b.build_float_compare(FloatPredicate::UNE, im, self.f64(0.0), "im.t").u();
        b.build_or(r, i, "c.t").u()
    }

    /// `|z|`: the C library's `hypot`, as both CPython and NumPy compute it. `python`: CPython's
    /// OverflowError when finite parts give an infinite modulus.
    pub(super) fn complex_abs(&mut self, v: BasicValueEnum<'ctx>, python: bool) -> FloatValue<'ctx> {
        let (re, im) = self.complex_parts(v);
        if self.elementwise {
            return self.simd_cabsolute(re, im);
        }
        let hypot = self.libm("hypot", 2);
        let r = self.call_basic(hypot, &[re.into(), im.into()]).into_float_value();
        if python {
            let b = self.b();
            let finite = b.build_and(self.is_finite(re), self.is_finite(im), "c.finite").u();
            let overflow = b.build_and(finite, self.is_inf(r), "c.abs.inf").u();
            self.fail_if(overflow, Status::ComplexAbsOverflow as u32);
        }
        r
    }

    /// `complex()`, `complex(x)`, `complex(re, im)` as CPython's `complex_new` builds them:
    /// real arguments become the parts unchanged; a complex `re` or `im` adds its other part
    /// (`complex(a, b)` is `a + b*1j` then).
    pub(super) fn complex_of(&mut self, args: &[crate::hir::Expr]) -> BasicValueEnum<'ctx> {
        let mut vals = Vec::new();
        for a in args {
            vals.push((self.expr(a), self.ty(a)));
        }
        let zero = self.f64(0.0);
        let (mut re, cr_im) = match vals.first() {
            None => (zero, None),
            Some((v, t)) if t.is_complex() => {
                let (re, im) = self.complex_parts(*v);
                (re, Some(im))
            }
            Some((v, t)) => (self.cast(*v, t, &Type::Float64).into_float_value(), None),
        };
        let (mut im, ci_im) = match vals.get(1) {
            None => (cr_im.unwrap_or(zero), None),
            Some((v, t)) if t.is_complex() => {
                let (re, im) = self.complex_parts(*v);
                (re, Some(im))
            }
            Some((v, t)) => (self.cast(*v, t, &Type::Float64).into_float_value(), None),
        };
        let b = self.b();
        if let Some(ci_im) = ci_im {
            re = b.build_float_sub(re, ci_im, "cr.re").u();
        }
        if let (Some(cr_im), true) = (cr_im, vals.len() == 2) {
            im = b.build_float_add(im, cr_im, "ci.re").u();
        }
        self.make_complex((re, im))
    }

    /// `value.real` or `value.imag` (`imag`): a number's part (a real number's imaginary part
    /// is 0 of its type), or the view of a complex array's parts (the same strides, the data
    /// moved by one part for `imag`).
    pub(super) fn part_of(&mut self, value: &crate::hir::Expr, imag: bool) -> BasicValueEnum<'ctx> {
        let vt = self.ty(value);
        let v = self.expr(value);
        match &vt {
            Type::Array(a) => {
                let part = if self.spec.expr_types[value.id as usize].array().map(|x| x.dtype)
                    == Some(crate::registry::Dtype::Complex64)
                {
                    crate::registry::Dtype::Float32
                } else {
                    crate::registry::Dtype::Float64
                };
                let out = crate::types::ArrayType { dtype: part, layout: crate::types::Layout::A, ..*a };
                let sv = v.into_struct_value();
                let b = self.b();
                let strides = self.strides(sv, a);
                let mut data = b.build_extract_value(sv, crate::abi::array_value::DATA, "data").u().into_pointer_value();
                if imag {
                    let i8t = self.ctx().i8_type();
                    let off = self.i64(part.size() as i64);
                    data = unsafe { b.build_in_bounds_gep(i8t, data, &[off], "imag") }.u();
                }
                let shape: Vec<_> = (0..a.ndim as u32).map(|k| self.dim(sv, crate::abi::array_value::SHAPE, k)).collect();
                let meminfo = self.b().build_extract_value(sv, super::refs::MEMINFO, "meminfo").u().into_pointer_value();
                self.array_value(&out, data, &shape, &strides, meminfo)
            }
            t if t.is_complex() => {
                let (re, im) = self.complex_parts(v);
                if imag {
                    im.into()
                } else {
                    re.into()
                }
            }
            Type::Bool if !imag => self.cast(v, &Type::Bool, &Type::Int64),
            Type::Bool | Type::Int64 | Type::UInt64 if imag => self.i64(0).into(),
            Type::Float64 if imag => self.f64(0.0).into(),
            _ => v,
        }
    }

    /// NumPy's element function `f` where an argument is complex (or `conj`/`angle` of a real
    /// number), as NumPy's complex loops compute it: `absolute` is `hypot`, `square` a product,
    /// `conj` and `angle` from the parts, the others the C library's complex functions.
    pub(super) fn complex_np_value(&mut self, f: NpFn, args: &[(BasicValueEnum<'ctx>, Type)], ty: &Type) -> BasicValueEnum<'ctx> {
        let (v, t) = (args[0].0, &args[0].1);
        if !t.is_complex() {
            // conj of a real number is itself; angle is arctan2(0, x).
            return match f {
                NpFn::Conj => self.cast(v, t, ty),
                NpFn::Angle => {
                    let x = self.cast(v, t, &Type::Float64);
                    let atan2 = self.libm("atan2", 2);
                    self.call_basic(atan2, &[self.f64(0.0).into(), x.into()])
                }
                _ => unreachable!("a complex argument"),
            };
        }
        let z = self.complex_parts(v);
        let b = self.b();
        match f {
            NpFn::Abs => self.complex_abs(v, false).into(),
            NpFn::Conj => self.make_complex((z.0, b.build_float_neg(z.1, "conj").u())),
            NpFn::Angle => {
                let atan2 = self.libm("atan2", 2);
                self.call_basic(atan2, &[z.1.into(), z.0.into()])
            }
            NpFn::Square => {
                let p = self.complex_mul(z, z);
                self.make_complex(p)
            }
            NpFn::Exp => {
                let e = self.complex_np_exp(z);
                self.make_complex(e)
            }
            f => {
                let op = match f {
                    NpFn::Sqrt => ComplexOp::Sqrt,
                    NpFn::Log => ComplexOp::Log,
                    NpFn::Sin => ComplexOp::Sin,
                    NpFn::Cos => ComplexOp::Cos,
                    NpFn::Tan => ComplexOp::Tan,
                    NpFn::Sinh => ComplexOp::Sinh,
                    NpFn::Cosh => ComplexOp::Cosh,
                    NpFn::Tanh => ComplexOp::Tanh,
                    NpFn::Arcsin => ComplexOp::Arcsin,
                    NpFn::Arccos => ComplexOp::Arccos,
                    NpFn::Arctan => ComplexOp::Arctan,
                    NpFn::Arcsinh => ComplexOp::Arcsinh,
                    NpFn::Arccosh => ComplexOp::Arccosh,
                    NpFn::Arctanh => ComplexOp::Arctanh,
                    f => unreachable!("inference allows {f:?} of complex numbers"),
                };
                let zero = (self.f64(0.0), self.f64(0.0));
                let r = self.complex_runtime(op, z, zero);
                self.make_complex(r)
            }
        }
    }

    /// NumPy's array `absolute` of a complex number (`simd_cabsolute`, the loop NumPy runs on
    /// arrays): infinities and NaNs spread to both parts, then `larger * sqrt(1 + r*r)` with
    /// `r = smaller / larger` (0 where that would be 0/0 or inf/inf), `1 + r*r` fused where the
    /// CPU has FMA.
    fn simd_cabsolute(&mut self, re: FloatValue<'ctx>, im: FloatValue<'ctx>) -> FloatValue<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let re = self.call_basic(fabs, &[re.into()]).into_float_value();
        let im = self.call_basic(fabs, &[im.into()]).into_float_value();
        let (inf, nan, zero, one) = (self.f64(f64::INFINITY), self.f64(f64::NAN), self.f64(0.0), self.f64(1.0));
        let b = self.b();
        let re_inf = b.build_float_compare(FloatPredicate::OEQ, re, inf, "re.inf").u();
        let im_inf = b.build_float_compare(FloatPredicate::OEQ, im, inf, "im.inf").u();
        let im = b.build_select(re_inf, inf, im, "im1").u().into_float_value();
        let re = b.build_select(im_inf, inf, re, "re1").u().into_float_value();
        let re_ok = b.build_float_compare(FloatPredicate::ORD, re, re, "re.num").u();
        let im_ok = b.build_float_compare(FloatPredicate::ORD, im, im, "im.num").u();
        let im = b.build_select(re_ok, im, nan, "im2").u().into_float_value();
        let re = b.build_select(im_ok, re, nan, "re2").u().into_float_value();
        // Both parts are NaN or neither: max and min need no NaN rule.
        let gt = b.build_float_compare(FloatPredicate::OGT, re, im, "gt").u();
        let larger = b.build_select(gt, re, im, "larger").u().into_float_value();
        let smaller = b.build_select(gt, im, re, "smaller").u().into_float_value();
        let zero_l = b.build_float_compare(FloatPredicate::OEQ, larger, zero, "l0").u();
        let inf_s = b.build_float_compare(FloatPredicate::OEQ, smaller, inf, "sinf").u();
        let skip = b.build_or(zero_l, inf_s, "skip").u();
        let ratio = b.build_float_div(smaller, larger, "ratio").u();
        let ratio = b.build_select(skip, zero, ratio, "ratio0").u().into_float_value();
        let fmuladd = self.intrinsic_fn("llvm.fmuladd.f64", 3);
        let sum = self.call_basic(fmuladd, &[ratio.into(), ratio.into(), one.into()]).into_float_value();
        let sqrt = self.intrinsic_fn("llvm.sqrt.f64", 1);
        let root = self.call_basic(sqrt, &[sum.into()]).into_float_value();
        self.b().build_float_mul(root, larger, "cabs").u()
    }
}
