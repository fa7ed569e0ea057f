//! Codegen of NumPy's Generator API: `np.random.default_rng(seed)` is a call of the runtime's
//! `sj_rt_gen_new` (a Generator of its own, in a block freed when the call ends), and each
//! method a call of an `sj_rt_gen_*` helper with the Generator's `bitgen_t` (one draw, or a new
//! C-contiguous array filled by the runtime); a bad parameter returns the status the runtime
//! gives (NumPy's exception). `choice`, `shuffle` and `permutation` share the `np.random` code
//! (`codegen::random`) with the Generator's helpers.

use inkwell::module::Linkage;
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, FloatValue, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

use super::{Built, Cold, FnGen, Helper};
use crate::hir;
use crate::random::generator::SeedMode;
use crate::random::ShuffleMode;
use crate::registry::generator::GenFn;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `np.random.default_rng(seed)`: an int seed, or none (None) for the OS's entropy.
    pub(super) fn default_rng(&mut self, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let i32t = self.ctx().i32_type();
        let (seed, mode) = match args.first() {
            Some(a) => {
                let (v, t) = (self.expr(a), self.ty(a));
                match t {
                    // `default_rng(rng)` of a Generator is that Generator, as NumPy's.
                    Type::Generator => return v,
                    Type::None => (self.i64(0), SeedMode::Os),
                    Type::UInt64 => (v.into_int_value(), SeedMode::UInt),
                    t => (self.cast(v, &t, &Type::Int64).into_int_value(), SeedMode::Int),
                }
            }
            None => (self.i64(0), SeedMode::Os),
        };
        let status = self.entry_alloca(i32t, "gen.st");
        self.b().build_store(status, i32t.const_zero()).u();
        let mode = i32t.const_int(mode as u64, false);
        let g = self.call_basic(self.helper(Helper::GenNew), &[seed.into(), mode.into(), status.into()]);
        let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
        self.random_check(st);
        g
    }

    /// A call `e` of the Generator method `f` (`args` as `lower::generator` lays them out).
    pub(super) fn generator_call(&mut self, e: &hir::Expr, f: GenFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let gen = self.expr(&args[0]).into_pointer_value();
        let none = self.ctx().i8_type().const_zero().into();
        match f {
            GenFn::Choice => {
                let shuffle = self.truth_of(&args[5]);
                let shape = match &ty {
                    Type::Array(a) => Some((&args[4], *a)),
                    _ => {
                        // size=None: evaluated (a local holding None), one element.
                        self.expr(&args[4]);
                        None
                    }
                };
                // `random_choice` evaluates `a`, `replace`, `p`, then the size; `shuffle`
                // is a constant or a local in every use.
                let v = self.random_choice(&args[1..4], shape, Some((gen, shuffle)));
                if matches!(ty, Type::Array(_)) {
                    self.own_temp(e.id, v, &ty);
                }
                return v;
            }
            GenFn::Shuffle => {
                let x = self.expr(&args[1]);
                let Type::Array(t) = self.ty(&args[1]) else { unreachable!("inference allows arrays only") };
                self.random_shuffle(x, t, ShuffleMode::Shuffle, Some(gen));
                return none;
            }
            GenFn::Permutation => return self.random_permutation(e, &args[1..], Some(gen)),
            _ => {}
        }
        let i32t = self.ctx().i32_type();
        let n_params = f.row().params.len();
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args[1..1 + n_params].iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let size = &args[1 + n_params];
        let status = self.entry_alloca(i32t, "gen.st");
        self.b().build_store(status, i32t.const_zero()).u();
        if f == GenFn::Integers {
            let low = self.cast(vals[0].0, &vals[0].1, &Type::Int64);
            let high = self.cast(vals[1].0, &vals[1].1, &Type::Int64);
            let endpoint = self.truth_of(&args[1 + n_params + 1]);
            return match ty {
                Type::Array(a) => {
                    let dims = self.shape_values(size, a.ndim as usize);
                    let (value, data, count) = self.alloc_c(&a, &dims, false);
                    let call: Vec<BasicMetadataValueEnum<'ctx>> =
                        vec![gen.into(), data.into(), count.into(), low.into(), high.into(), endpoint.into()];
                    let st = self.call_basic(self.helper(Helper::GenFillI64), &call).into_int_value();
                    self.random_check(st);
                    self.own_temp(e.id, value, &ty);
                    value
                }
                _ => {
                    self.expr(size);
                    let call = [gen.into(), low.into(), high.into(), endpoint.into(), status.into()];
                    let v = self.call_basic(self.helper(Helper::GenIntegers), &call);
                    let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
                    self.random_check(st);
                    v
                }
            };
        }
        let float = |s: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => s.cast(*v, t, &Type::Float64),
            None => s.f64(0.0).into(),
        };
        let (a, b) = (float(self, 0), float(self, 1));
        let kind = i32t.const_int(f.code() as u64, false);
        match ty {
            Type::Array(at) => {
                let dims = self.shape_values(size, at.ndim as usize);
                let (value, data, count) = self.alloc_c(&at, &dims, false);
                let call = [gen.into(), kind.into(), data.into(), count.into(), a.into(), b.into()];
                let st = self.call_basic(self.helper(Helper::GenFillF64), &call).into_int_value();
                self.random_check(st);
                self.own_temp(e.id, value, &ty);
                value
            }
            _ => {
                self.expr(size);
                if f == GenFn::StandardNormal {
                    return self.gen_standard_normal(gen).into();
                }
                if f == GenFn::Random {
                    return self.gen_random(gen).into();
                }
                if matches!(f, GenFn::Normal | GenFn::Uniform) {
                    return self.gen_normal_or_uniform(f, gen, a.into_float_value(), b.into_float_value(), status).into();
                }
                let call = [gen.into(), kind.into(), a.into(), b.into(), status.into()];
                let v = self.call_basic(self.helper(Helper::GenF64), &call);
                // Draws whose parameters cannot be wrong need no status.
                if matches!(
                    f,
                    GenFn::Normal
                        | GenFn::Uniform
                        | GenFn::Exponential
                        | GenFn::Beta
                        | GenFn::Gamma
                        | GenFn::StandardGamma
                        | GenFn::Geometric
                ) {
                    let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
                    self.random_check(st);
                }
                if f == GenFn::Geometric {
                    // An integer value, at most 2**63 (i64::MAX's double): saturated into int64.
                    let sat = self
                        .module_gen
                        .llvm_intrinsic("llvm.fptosi.sat", &[self.ctx().i64_type().into(), self.ctx().f64_type().into()]);
                    return self.call_basic(sat, &[v.into()]);
                }
                v
            }
        }
    }
}

/// PCG64's multiplier (`PCG_DEFAULT_MULTIPLIER_128`), high and low words.
const PCG_MULT: [u64; 2] = [4_865_540_595_714_422_341, 2_549_297_995_355_413_924];

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// A table of the ziggurat (`random::ziggurat`) as a private constant of the module.
    fn zig_table(&self, name: &str, ints: Option<&[u64; 256]>, floats: Option<&[f64; 256]>) -> PointerValue<'ctx> {
        let module = self.module_gen.module;
        if let Some(g) = module.get_global(name) {
            return g.as_pointer_value();
        }
        let init = match (ints, floats) {
            (Some(v), _) => {
                let t = self.ctx().i64_type();
                t.const_array(&v.iter().map(|&x| t.const_int(x, false)).collect::<Vec<_>>())
            }
            (_, Some(v)) => {
                let t = self.ctx().f64_type();
                t.const_array(&v.iter().map(|&x| t.const_float(x)).collect::<Vec<_>>())
            }
            _ => unreachable!("one table"),
        };
        let g = module.add_global(init.get_type(), None, name);
        g.set_initializer(&init);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        g.as_pointer_value()
    }

    /// A 64-bit draw from the Generator `gen` (a `bitgen_t`): when its `next_uint64` is the
    /// runtime's own PCG64 (`default_rng` in compiled code), the PCG64 stepped here; else a call
    /// of its `next_uint64` (NumPy's bit generator).
    fn gen_next_u64(&mut self, gen: PointerValue<'ctx>) -> IntValue<'ctx> {
        let (ptr_t, i64t, i128t, i8t) =
            (self.ctx().ptr_type(AddressSpace::default()), self.ctx().i64_type(), self.ctx().i128_type(), self.ctx().i8_type());
        let b = self.b();
        let state = b.build_load(ptr_t, gen, "gen.state").u().into_pointer_value();
        let fn_at = unsafe { b.build_in_bounds_gep(i8t, gen, &[self.i64(8)], "gen.next.at") }.u();
        let next = b.build_load(ptr_t, fn_at, "gen.next").u().into_pointer_value();
        let own = self.module_gen.helper(Helper::GenPcg64Next).as_global_value().as_pointer_value();
        let is_own = b.build_int_compare(IntPredicate::EQ, next, own, "gen.own").u();
        let (own_bb, other_bb, done) =
            (self.block_named("gen.pcg64"), self.block_named("gen.call"), self.block_named("gen.drawn"));
        self.b().build_conditional_branch(is_own, own_bb, other_bb).u();
        // `pcg_setseq_128_xsl_rr_64_random_r` on `((pcg64_state *)state)->pcg_state`.
        self.b().position_at_end(own_bb);
        let b = self.b();
        let pcg = b.build_load(ptr_t, state, "pcg").u().into_pointer_value();
        let inc_at = unsafe { b.build_in_bounds_gep(i8t, pcg, &[self.i64(16)], "pcg.inc.at") }.u();
        let s = b.build_load(i128t, pcg, "pcg.s").u().into_int_value();
        let inc = b.build_load(i128t, inc_at, "pcg.inc").u().into_int_value();
        let mult = i128t.const_int_arbitrary_precision(&PCG_MULT);
        let s = b.build_int_add(b.build_int_mul(s, mult, "pcg.mul").u(), inc, "pcg.next").u();
        b.build_store(pcg, s).u();
        let hi = b.build_int_truncate(b.build_right_shift(s, i128t.const_int(64, false), false, "pcg.hi").u(), i64t, "hi").u();
        let lo = b.build_int_truncate(s, i64t, "pcg.lo").u();
        let rot = b.build_right_shift(s, i128t.const_int(122, false), false, "pcg.rot").u();
        let rot = b.build_int_truncate(rot, i64t, "pcg.rot64").u();
        let x = b.build_xor(hi, lo, "pcg.xor").u();
        let fshr = self.module_gen.llvm_intrinsic("llvm.fshr", &[i64t.into()]);
        let own_v = self.call_basic(fshr, &[x.into(), x.into(), rot.into()]).into_int_value();
        let own_end = self.b().get_insert_block().expect("a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(other_bb);
        let fty = i64t.fn_type(&[ptr_t.into()], false);
        let call = self.b().build_indirect_call(fty, next, &[state.into()], "gen.u64").u();
        let inkwell::values::ValueKind::Basic(other_v) = call.try_as_basic_value() else { unreachable!("returns a u64") };
        let other_end = self.b().get_insert_block().expect("a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
        let phi = self.b().build_phi(i64t, "gen.r").u();
        phi.add_incoming(&[(&own_v, own_end), (&other_v, other_end)]);
        phi.as_basic_value().into_int_value()
    }

    /// `Generator.random()`: `next_double` of the Generator `gen`: for the runtime's own PCG64,
    /// `(next_uint64 >> 11) * 2**-53` here; else a call of its `next_double`.
    fn gen_random(&mut self, gen: PointerValue<'ctx>) -> FloatValue<'ctx> {
        let (ptr_t, i8t, f64t) = (self.ctx().ptr_type(AddressSpace::default()), self.ctx().i8_type(), self.ctx().f64_type());
        let b = self.b();
        let next_at = unsafe { b.build_in_bounds_gep(i8t, gen, &[self.i64(8)], "gen.next.at") }.u();
        let next = b.build_load(ptr_t, next_at, "gen.next").u().into_pointer_value();
        let own = self.module_gen.helper(Helper::GenPcg64Next).as_global_value().as_pointer_value();
        let is_own = b.build_int_compare(IntPredicate::EQ, next, own, "gen.own").u();
        let (own_bb, other_bb, done) =
            (self.block_named("gen.rand.pcg64"), self.block_named("gen.rand.call"), self.block_named("gen.rand.done"));
        self.b().build_conditional_branch(is_own, own_bb, other_bb).u();
        self.b().position_at_end(own_bb);
        let r = self.gen_next_u64(gen);
        let b = self.b();
        let top = b.build_right_shift(r, self.i64(11), false, "gen.top").u();
        let top = b.build_signed_int_to_float(top, f64t, "gen.topf").u();
        let own_v = b.build_float_mul(top, self.f64(1.0 / 9_007_199_254_740_992.0), "gen.double").u();
        let own_end = self.b().get_insert_block().expect("a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(other_bb);
        let b = self.b();
        let state = b.build_load(ptr_t, gen, "gen.state").u().into_pointer_value();
        let dbl_at = unsafe { b.build_in_bounds_gep(i8t, gen, &[self.i64(24)], "gen.double.at") }.u();
        let dbl = b.build_load(ptr_t, dbl_at, "gen.next_double").u().into_pointer_value();
        let fty = f64t.fn_type(&[ptr_t.into()], false);
        let call = b.build_indirect_call(fty, dbl, &[state.into()], "gen.f64").u();
        let inkwell::values::ValueKind::Basic(other_v) = call.try_as_basic_value() else { unreachable!("returns a double") };
        let other_end = self.b().get_insert_block().expect("a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
        let phi = self.b().build_phi(f64t, "gen.random").u();
        phi.add_incoming(&[(&own_v, own_end), (&other_v, other_end)]);
        phi.as_basic_value().into_float_value()
    }

    /// `random_standard_normal` of the Generator `gen`: the ziggurat's common case (a point
    /// inside its layer's core, 99% of draws) here, the rest by `sj_rt_gen_normal_tail`.
    fn gen_standard_normal(&mut self, gen: PointerValue<'ctx>) -> FloatValue<'ctx> {
        use crate::random::ziggurat::{KI_DOUBLE, WI_DOUBLE};
        let (i64t, f64t) = (self.ctx().i64_type(), self.ctx().f64_type());
        let ki = self.zig_table("sj_zig_ki_double", Some(&KI_DOUBLE), None);
        let wi = self.zig_table("sj_zig_wi_double", None, Some(&WI_DOUBLE));
        let r = self.gen_next_u64(gen);
        let b = self.b();
        let idx = b.build_and(r, self.i64(0xff), "zig.idx").u();
        let r8 = b.build_right_shift(r, self.i64(8), false, "zig.r").u();
        let sign = b.build_left_shift(r8, self.i64(63), "zig.sign").u();
        let rabs = b
            .build_and(b.build_right_shift(r8, self.i64(1), false, "zig.r1").u(), self.i64(0x000f_ffff_ffff_ffff), "zig.rabs")
            .u();
        let w_at = unsafe { b.build_in_bounds_gep(f64t, wi, &[idx], "zig.wi.at") }.u();
        let w = b.build_load(f64t, w_at, "zig.wi").u().into_float_value();
        let k_at = unsafe { b.build_in_bounds_gep(i64t, ki, &[idx], "zig.ki.at") }.u();
        let k = b.build_load(i64t, k_at, "zig.ki").u().into_int_value();
        // rabs < 2**52: exact as a signed conversion.
        let x = b.build_float_mul(b.build_signed_int_to_float(rabs, f64t, "zig.rabsf").u(), w, "zig.x").u();
        let bits = b.build_xor(b.build_bit_cast(x, i64t, "zig.bits").u().into_int_value(), sign, "zig.signed").u();
        let x = b.build_bit_cast(bits, f64t, "zig.xs").u().into_float_value();
        let inside = b.build_int_compare(IntPredicate::ULT, rabs, k, "zig.inside").u();
        let (tail, done) = (self.block_named("zig.tail"), self.block_named("zig.done"));
        let here = self.b().get_insert_block().expect("a block");
        self.branch_cold(inside, done, tail, Cold::Else);
        self.b().position_at_end(tail);
        let t = self.call_basic(self.helper(Helper::GenNormalTail), &[gen.into(), idx.into(), rabs.into(), x.into()]);
        let tail_end = self.b().get_insert_block().expect("a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
        let phi = self.b().build_phi(f64t, "zig.normal").u();
        phi.add_incoming(&[(&x, here), (&t, tail_end)]);
        phi.as_basic_value().into_float_value()
    }

    /// `normal(loc, scale)` (`loc + scale * standard_normal()`) and `uniform(low, high)`
    /// (`low + (high - low) * random()`) drawn here; a bad parameter (a negative scale or range,
    /// a range that is not finite) calls `sj_rt_gen_f64`, which records NumPy's error.
    fn gen_normal_or_uniform(
        &mut self,
        f: GenFn,
        gen: PointerValue<'ctx>,
        a: FloatValue<'ctx>,
        b: FloatValue<'ctx>,
        status: PointerValue<'ctx>,
    ) -> FloatValue<'ctx> {
        let (i32t, i64t) = (self.ctx().i32_type(), self.ctx().i64_type());
        let bl = self.b();
        let p = if f == GenFn::Uniform { bl.build_float_sub(b, a, "gen.range").u() } else { b };
        // NumPy's CONS_NON_NEGATIVE: the sign bit set and not NaN (-0.0 too).
        let ordered = bl.build_float_compare(inkwell::FloatPredicate::ORD, p, p, "gen.ord").u();
        let bits = bl.build_bit_cast(p, i64t, "gen.bits").u().into_int_value();
        let signed = bl.build_int_compare(IntPredicate::SLT, bits, self.i64(0), "gen.signbit").u();
        let mut bad = bl.build_and(ordered, signed, "gen.negative").u();
        if f == GenFn::Uniform {
            let inf = self.f64(f64::INFINITY);
            let abs = self.module_gen.llvm_intrinsic("llvm.fabs", &[self.ctx().f64_type().into()]);
            let m = self.call_basic(abs, &[p.into()]).into_float_value();
            let finite = self.b().build_float_compare(inkwell::FloatPredicate::OLT, m, inf, "gen.finite").u();
            let not_finite = self.b().build_not(finite, "gen.infinite").u();
            bad = self.b().build_or(bad, not_finite, "gen.bad").u();
        }
        let (err, ok) = (self.block_named("gen.bad"), self.block_named("gen.ok"));
        self.branch_cold(bad, err, ok, Cold::Then);
        self.b().position_at_end(err);
        let kind = i32t.const_int(f.code() as u64, false);
        self.call_basic(self.helper(Helper::GenF64), &[gen.into(), kind.into(), a.into(), b.into(), status.into()]);
        let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
        self.random_check(st);
        self.b().build_unconditional_branch(ok).u();
        self.b().position_at_end(ok);
        let draw = if f == GenFn::Uniform { self.gen_random(gen) } else { self.gen_standard_normal(gen) };
        let bl = self.b();
        bl.build_float_add(a, bl.build_float_mul(p, draw, "gen.scaled").u(), "gen.value").u()
    }
}
