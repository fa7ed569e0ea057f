//! Codegen of `np.random` calls: one draw is a call of the runtime's `sj_rt_random_f64` /
//! `sj_rt_random_i64` (the thread's generator, `crate::random`), an array of draws a new
//! C-contiguous array filled by `sj_rt_random_fill_*`; a bad parameter returns the status the
//! runtime gives (NumPy's exception). `choice`, `shuffle` and `permutation` hand their arrays to
//! the runtime (`sj_rt_random_choice`, `sj_rt_random_shuffle`).

use inkwell::values::{BasicValueEnum, FloatValue, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, Cold, FnGen, Helper};
use crate::abi::array_value as field;
use crate::hir;
use crate::random::pyrandom::{PyFloatOp, PyIntOp};
use crate::random::{ShuffleMode, STATE_KEY_WORDS, STATE_POS_OFFSET};
use crate::registry::pyrandom::PyRandomFn;
use crate::registry::random::{RandomFn, RandomResult};
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

/// The helper's arguments for the parameters of `f`: three doubles for a float distribution,
/// (int, int, double, double) for an integer one.
enum Params<'ctx> {
    Float([BasicValueEnum<'ctx>; 3]),
    Int([BasicValueEnum<'ctx>; 4]),
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The parameters of `f`, evaluated left to right and converted as the helper takes them.
    fn random_params(&mut self, f: RandomFn, args: &[hir::Expr]) -> Params<'ctx> {
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let float = |s: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => s.cast(*v, t, &Type::Float64),
            None => s.f64(0.0).into(),
        };
        let int = |s: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => s.cast(*v, t, &Type::Int64),
            None => s.i64(0).into(),
        };
        let (zero_i, zero_f): (BasicValueEnum<'ctx>, BasicValueEnum<'ctx>) = (self.i64(0).into(), self.f64(0.0).into());
        match f {
            RandomFn::Randint => Params::Int([int(self, 0), int(self, 1), zero_f, zero_f]),
            RandomFn::Binomial => Params::Int([int(self, 0), zero_i, float(self, 1), zero_f]),
            RandomFn::Poisson | RandomFn::Geometric | RandomFn::Zipf | RandomFn::Logseries => {
                Params::Int([zero_i, zero_i, float(self, 0), zero_f])
            }
            RandomFn::NegativeBinomial => Params::Int([zero_i, zero_i, float(self, 0), float(self, 1)]),
            _ => Params::Float([float(self, 0), float(self, 1), float(self, 2)]),
        }
    }

    /// Returns `status` from the function when it is not 0 (an array made before is freed by
    /// the dispatcher, as every block of a call that failed: `memory::take_live`).
    pub(super) fn random_check(&self, status: IntValue<'ctx>) {
        let zero = status.get_type().const_zero();
        let bad = self.b().build_int_compare(IntPredicate::NE, status, zero, "rnd.bad").u();
        self.on_failure(bad, |fn_gen| fn_gen.ret_status(status));
    }

    /// One draw of `f` (`np.random.seed(s)`: the seeding, giving None).
    pub(super) fn random_draw(&mut self, f: RandomFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let i32t = self.ctx().i32_type();
        match f {
            RandomFn::Choice => return self.random_choice(args, None, None),
            RandomFn::Shuffle => {
                let x = self.expr(&args[0]);
                let Type::Array(t) = self.ty(&args[0]) else { unreachable!("inference allows arrays only") };
                self.random_shuffle(x, t, ShuffleMode::Shuffle, None);
                return self.ctx().i8_type().const_zero().into();
            }
            RandomFn::Permutation => unreachable!("made by random_permutation (it owns its result)"),
            _ => {}
        }
        if f == RandomFn::Seed {
            let (seed, from_os) = match args.first() {
                Some(a) => {
                    let v = self.expr(a);
                    (self.cast(v, &self.ty(a), &Type::Int64), false)
                }
                None => (self.i64(0).into(), true),
            };
            let os = self.ctx().bool_type().const_int(from_os as u64, false);
            let st = self.call_basic(self.helper(Helper::RandomSeed), &[seed.into(), os.into()]).into_int_value();
            self.random_check(st);
            return self.ctx().i8_type().const_zero().into();
        }
        // The most common draws: from the thread's generator, asked for once; a uniform
        // draw's two words are drawn here (inlined), a normal's by the runtime.
        match f {
            RandomFn::Random | RandomFn::RandomSample | RandomFn::Rand => {
                let state = self.call_basic(self.helper(Helper::RandomState), &[]).into_pointer_value();
                return self.mt_next_double(state).into();
            }
            RandomFn::Randn | RandomFn::StandardNormal => {
                let state = self.call_basic(self.helper(Helper::RandomState), &[]);
                return self.call_basic(self.helper(Helper::RandomGauss), &[state.into()]);
            }
            _ => {}
        }
        let params = self.random_params(f, args);
        let kind = i32t.const_int(f.code() as u64, false);
        // Draws whose parameters cannot be wrong need no status.
        let checked = f != RandomFn::StandardExponential;
        let status = self.entry_alloca(i32t, "rnd.st");
        self.b().build_store(status, i32t.const_zero()).u();
        let state = self.call_basic(self.helper(Helper::RandomState), &[]);
        let (h, call) = match params {
            Params::Float([a, b, c]) => {
                (Helper::RandomF64, vec![state.into(), kind.into(), a.into(), b.into(), c.into(), status.into()])
            }
            Params::Int([a, b, x, y]) => {
                let call = vec![state.into(), kind.into(), a.into(), b.into(), x.into(), y.into(), status.into()];
                if f == RandomFn::Randint {
                    return self.randint_inline(
                        state.into_pointer_value(),
                        a.into_int_value(),
                        b.into_int_value(),
                        &call,
                        status,
                    );
                }
                (Helper::RandomI64, call)
            }
        };
        let v = self.call_basic(self.helper(h), &call);
        if checked {
            let st = self.b().build_load(i32t, status, "rnd.status").u().into_int_value();
            self.random_check(st);
        }
        v
    }

    /// `randint(low, high)`: NumPy's masked rejection drawn here for a range of 2 to 2**32 - 1
    /// values (words masked to the range's bit width until one is in range), else by the
    /// runtime (`call`: `sj_rt_random_i64`'s arguments), which also reports `high <= low`.
    fn randint_inline(
        &mut self,
        state: PointerValue<'ctx>,
        low: IntValue<'ctx>,
        high: IntValue<'ctx>,
        call: &[inkwell::values::BasicMetadataValueEnum<'ctx>],
        status: PointerValue<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let (i32t, i64t) = (self.ctx().i32_type(), self.ctx().i64_type());
        let out = self.entry_alloca(i64t, "rnd.int");
        let b = self.b();
        // The closed interval's range: high - 1 - low, as an unsigned 64-bit number.
        let rng = b.build_int_sub(b.build_int_sub(high, self.i64(1), "rnd.top").u(), low, "rnd.rng").u();
        let rng_less_one = b.build_int_sub(rng, self.i64(1), "rnd.rng1").u();
        let small = b.build_int_compare(IntPredicate::ULT, rng_less_one, self.i64(0xffff_fffe), "rnd.small").u();
        let ordered = b.build_int_compare(IntPredicate::SLT, low, high, "rnd.ordered").u();
        let inline = b.build_and(small, ordered, "rnd.inline").u();
        let (masked, general, done) =
            (self.block_named("rnd.masked"), self.block_named("rnd.general"), self.block_named("rnd.done"));
        self.b().build_conditional_branch(inline, masked, general).u();
        // Any other range (or a bad one): the runtime.
        self.b().position_at_end(general);
        let v = self.call_basic(self.helper(Helper::RandomI64), call).into_int_value();
        let st = self.b().build_load(i32t, status, "rnd.status").u().into_int_value();
        self.random_check(st);
        self.b().build_store(out, v).u();
        self.b().build_unconditional_branch(done).u();
        // A range of 2 to 2**32 - 1 values: the smallest mask covering it, words until one fits.
        self.b().position_at_end(masked);
        let rng32 = self.b().build_int_truncate(rng, i32t, "rnd.rng32").u();
        let ctlz = self.module_gen.llvm_intrinsic("llvm.ctlz", &[i32t.into()]);
        let zeros = self.call_basic(ctlz, &[rng32.into(), self.ctx().bool_type().const_int(1, false).into()]).into_int_value();
        let mask = self.b().build_right_shift(i32t.const_all_ones(), zeros, false, "rnd.mask").u();
        let again = self.block_named("rnd.draw");
        self.b().build_unconditional_branch(again).u();
        self.b().position_at_end(again);
        let word = self.mt_next_u32(state);
        let b = self.b();
        let v = b.build_and(word, mask, "rnd.v").u();
        let over = b.build_int_compare(IntPredicate::UGT, v, rng32, "rnd.over").u();
        let fits = self.block_named("rnd.fits");
        b.build_conditional_branch(over, again, fits).u();
        b.position_at_end(fits);
        let value = b.build_int_add(low, b.build_int_z_extend(v, i64t, "rnd.v64").u(), "rnd.value").u();
        b.build_store(out, value).u();
        b.build_unconditional_branch(done).u();
        b.position_at_end(done);
        self.b().build_load(i64t, out, "rnd.int").u()
    }

    /// The next tempered 32-bit word of MT19937 from the generator `state` (as
    /// `random::State::next_u32`): the key refilled by the runtime when used up.
    fn mt_next_u32(&self, state: PointerValue<'ctx>) -> IntValue<'ctx> {
        let (i32t, i64t, i8t) = (self.ctx().i32_type(), self.ctx().i64_type(), self.ctx().i8_type());
        let b = self.b();
        let pos_at = unsafe { b.build_in_bounds_gep(i8t, state, &[self.i64(STATE_POS_OFFSET as i64)], "mt.pos.at") }.u();
        let pos = b.build_load(i64t, pos_at, "mt.pos").u().into_int_value();
        let used_up = b.build_int_compare(IntPredicate::UGE, pos, self.i64(STATE_KEY_WORDS as i64), "mt.used").u();
        let refill = self.block_named("mt.refill");
        let go_on = self.block_named("mt.word");
        self.branch_cold(used_up, refill, go_on, Cold::Then);
        self.b().position_at_end(refill);
        self.b().build_call(self.helper(Helper::RandomGenerate), &[state.into()], "").u();
        self.b().build_unconditional_branch(go_on).u();
        self.b().position_at_end(go_on);
        let b = self.b();
        let pos = b.build_load(i64t, pos_at, "mt.pos").u().into_int_value();
        let word_at = unsafe { b.build_in_bounds_gep(i32t, state, &[pos], "mt.word.at") }.u();
        let mut y = b.build_load(i32t, word_at, "mt.word").u().into_int_value();
        b.build_store(pos_at, b.build_int_nuw_add(pos, self.i64(1), "mt.next").u()).u();
        let c = |v: u64| i32t.const_int(v, false);
        let xor = |y: IntValue<'ctx>, t: IntValue<'ctx>| b.build_xor(y, t, "mt.t").u();
        y = xor(y, b.build_right_shift(y, c(11), false, "mt.s").u());
        y = xor(y, b.build_and(b.build_left_shift(y, c(7), "mt.s").u(), c(0x9d2c_5680), "mt.m").u());
        y = xor(y, b.build_and(b.build_left_shift(y, c(15), "mt.s").u(), c(0xefc6_0000), "mt.m").u());
        xor(y, b.build_right_shift(y, c(18), false, "mt.s").u())
    }

    /// `mt19937_next_double`: a double in [0, 1) from two words' top 27 and 26 bits.
    fn mt_next_double(&self, state: PointerValue<'ctx>) -> FloatValue<'ctx> {
        let (i32t, f64t) = (self.ctx().i32_type(), self.ctx().f64_type());
        let a = self.mt_next_u32(state);
        let a = self.b().build_right_shift(a, i32t.const_int(5, false), false, "mt.a").u();
        let bw = self.mt_next_u32(state);
        let b = self.b();
        let bw = b.build_right_shift(bw, i32t.const_int(6, false), false, "mt.b").u();
        let af = b.build_unsigned_int_to_float(a, f64t, "mt.af").u();
        let bf = b.build_unsigned_int_to_float(bw, f64t, "mt.bf").u();
        // Exact: a * 2**26 + b < 2**53, then scaled by a power of two.
        let hi = b.build_float_mul(af, self.f64(67_108_864.0), "mt.hi").u();
        let sum = b.build_float_add(hi, bf, "mt.sum").u();
        b.build_float_div(sum, self.f64(9_007_199_254_740_992.0), "mt.double").u()
    }

    /// A new C-contiguous array of type `a` and shape `shape` filled with draws of `f`.
    pub(super) fn random_new(
        &mut self,
        f: RandomFn,
        args: &[hir::Expr],
        shape: &hir::Expr,
        a: ArrayType,
    ) -> BasicValueEnum<'ctx> {
        if f == RandomFn::Choice {
            return self.random_choice(args, Some((shape, a)), None);
        }
        let params = self.random_params(f, args);
        let dims = self.shape_values(shape, a.ndim as usize);
        let (value, data, count) = self.alloc_c(&a, &dims, false);
        let kind = self.ctx().i32_type().const_int(f.code() as u64, false);
        let (h, p): (Helper, Vec<BasicValueEnum<'ctx>>) = match params {
            Params::Float(p) => (Helper::RandomFillF64, p.to_vec()),
            Params::Int(p) => (Helper::RandomFillI64, p.to_vec()),
        };
        debug_assert_eq!(matches!(h, Helper::RandomFillI64), f.row().result == RandomResult::Int);
        let mut args = vec![kind.into(), data.into(), count.into()];
        args.extend(p.iter().map(|&v| inkwell::values::BasicMetadataValueEnum::from(v)));
        let st = self.call_basic(self.helper(h), &args);
        self.random_check(st.into_int_value());
        value
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `choice(a, replace, p)`: one element (`shape` None) or a new array of `shape` (of type
    /// `shape.1`), drawn and gathered by the runtime: from the thread's generator, or from the
    /// Generator `gen.0` (its `shuffle=` flag `gen.1`).
    pub(super) fn random_choice(
        &mut self,
        args: &[hir::Expr],
        shape: Option<(&hir::Expr, ArrayType)>,
        gen: Option<(PointerValue<'ctx>, IntValue<'ctx>)>,
    ) -> BasicValueEnum<'ctx> {
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        let bool_t = self.ctx().bool_type();
        let at = self.ty(&args[0]);
        let a = self.expr(&args[0]);
        let replace = self.truth_of(&args[1]);
        let pt = self.ty(&args[2]);
        let pv = self.expr(&args[2]);
        let (a_data, pop, a_stride, dtype) = match at {
            Type::Array(t) => {
                let s = a.into_struct_value();
                let data = self.b().build_extract_value(s, field::DATA, "choice.a").u().into_pointer_value();
                (data, self.dim(s, field::SHAPE, 0), self.strides(s, &t)[0], t.dtype)
            }
            t => (null, self.cast(a, &t, &Type::Int64).into_int_value(), self.i64(0), Dtype::Int64),
        };
        // p as float64 (converted when another dtype, as NumPy converts it).
        let mut converted = None;
        let (p_data, p_len, p_stride, single) = match pt {
            Type::Array(t) => {
                let (v, ct) = if t.dtype == Dtype::Float64 {
                    (pv, t)
                } else {
                    let ct = ArrayType { dtype: Dtype::Float64, layout: Layout::C, readonly: false, ..t };
                    let c = self.copy_c(pv.into_struct_value(), &t, ct);
                    converted = Some((c, ct));
                    (c, ct)
                };
                let s = v.into_struct_value();
                let data = self.b().build_extract_value(s, field::DATA, "choice.p").u().into_pointer_value();
                (data, self.dim(s, field::SHAPE, 0), self.strides(s, &ct)[0], t.dtype == Dtype::Float32)
            }
            _ => (null, self.i64(0), self.i64(0), false),
        };
        let (out, n, made) = match shape {
            Some((shape, rt)) => {
                let dims = self.shape_values(shape, rt.ndim as usize);
                let (value, data, count) = self.alloc_c(&rt, &dims, false);
                (data, count, Some(value))
            }
            None => (self.entry_alloca(self.module_gen.dtype_llty(dtype), "choice.one"), self.i64(1), None),
        };
        let call = [
            a_data.into(),
            pop.into(),
            a_stride.into(),
            self.i64(dtype.size() as i64).into(),
            replace.into(),
            p_data.into(),
            p_len.into(),
            p_stride.into(),
            bool_t.const_int(single as u64, false).into(),
            out.into(),
            n.into(),
            bool_t.const_int(made.is_some() as u64, false).into(),
        ];
        let st = match gen {
            None => self.call_basic(self.helper(Helper::RandomChoice), &call),
            Some((g, shuffle)) => {
                let mut with = vec![g.into()];
                with.extend(call);
                with.push(shuffle.into());
                self.call_basic(self.helper(Helper::GenChoice), &with)
            }
        }
        .into_int_value();
        self.random_check(st);
        if let Some((c, ct)) = converted {
            self.decref(c, &Type::Array(ct));
        }
        match made {
            Some(v) => v,
            None => self.load_element(out, dtype),
        }
    }

    /// Shuffles the array `x` (of type `t`) along its first axis, in place, as `mode` says:
    /// from the thread's generator, or from the Generator `gen`.
    pub(super) fn random_shuffle(
        &mut self,
        x: BasicValueEnum<'ctx>,
        t: ArrayType,
        mode: ShuffleMode,
        gen: Option<PointerValue<'ctx>>,
    ) {
        let s = x.into_struct_value();
        let i64t = self.ctx().i64_type();
        let ndim = t.ndim as u32;
        let shape: Vec<IntValue<'ctx>> = (0..ndim).map(|k| self.dim(s, field::SHAPE, k)).collect();
        let strides = self.strides(s, &t);
        let buffer = |g: &Self, vals: &[IntValue<'ctx>], name: &str| {
            let arr_t = i64t.array_type(ndim);
            let slot = g.entry_alloca(arr_t, name);
            for (k, v) in vals.iter().enumerate() {
                let at = unsafe { g.b().build_in_bounds_gep(i64t, slot, &[g.i64(k as i64)], name) }.u();
                g.b().build_store(at, *v).u();
            }
            slot
        };
        let (shape_at, strides_at) = (buffer(self, &shape, "shuffle.shape"), buffer(self, &strides, "shuffle.strides"));
        let data = self.b().build_extract_value(s, field::DATA, "shuffle.data").u().into_pointer_value();
        let bool_t = self.ctx().bool_type();
        let call = [
            data.into(),
            self.i64(ndim as i64).into(),
            shape_at.into(),
            strides_at.into(),
            self.i64(t.dtype.size() as i64).into(),
            self.ctx().i32_type().const_int(mode as u64, false).into(),
            bool_t.const_int(t.readonly as u64, false).into(),
        ];
        let st = match gen {
            None => self.call_basic(self.helper(Helper::RandomShuffle), &call),
            Some(g) => {
                let mut with = vec![g.into()];
                with.extend(call);
                self.call_basic(self.helper(Helper::GenShuffle), &with)
            }
        }
        .into_int_value();
        self.random_check(st);
    }

    /// `np.random.permutation(x)` (expression `e`): a shuffled C-contiguous copy of the array
    /// `x`, or of `arange(x)` for an int (from the Generator `gen`, when given).
    pub(super) fn random_permutation(
        &mut self,
        e: &hir::Expr,
        args: &[hir::Expr],
        gen: Option<PointerValue<'ctx>>,
    ) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let Type::Array(rt) = ty else { unreachable!("inference types a permutation as an array") };
        let xt = self.ty(&args[0]);
        let x = self.expr(&args[0]);
        let (value, mode) = match xt {
            Type::Array(t) => (self.copy_c(x.into_struct_value(), &t, rt), ShuffleMode::Permutation),
            t => {
                let n = self.cast(x, &t, &Type::Int64).into_int_value();
                let b = self.b();
                let negative = b.build_int_compare(IntPredicate::SLT, n, self.i64(0), "perm.neg").u();
                let n = b.build_select(negative, self.i64(0), n, "perm.n").u().into_int_value();
                (self.alloc_c(&rt, &[n], false).0, ShuffleMode::Iota)
            }
        };
        self.random_shuffle(value, rt, mode, gen);
        self.own_temp(e.id, value, &ty);
        value
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `random.f(...)` of Python's `random` module: the thread's `random` generator
    /// (`random::pyrandom`); `random()` drawn here (inlined, CPython's formula is NumPy's),
    /// the rest by the runtime, whose CPython exception is returned as a status.
    pub(super) fn pyrandom(&mut self, f: PyRandomFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let i32t = self.ctx().i32_type();
        let none = self.ctx().i8_type().const_zero().into();
        if f == PyRandomFn::Seed {
            let (n, from_os) = match vals.first() {
                Some((v, t)) => (self.cast(*v, t, &Type::Int64), false),
                None => (self.i64(0).into(), true),
            };
            let os = self.ctx().bool_type().const_int(from_os as u64, false);
            self.b().build_call(self.helper(Helper::PyRandomSeed), &[n.into(), os.into()], "").u();
            return none;
        }
        let state = self.call_basic(self.helper(Helper::PyRandomState), &[]).into_pointer_value();
        let status = self.entry_alloca(i32t, "pyrnd.st");
        self.b().build_store(status, i32t.const_zero()).u();
        let checked = |g: &mut Self, v: BasicValueEnum<'ctx>| {
            let st = g.b().build_load(i32t, status, "pyrnd.status").u().into_int_value();
            g.random_check(st);
            v
        };
        let float = |g: &Self, k: usize, default: f64| match vals.get(k) {
            Some((v, t)) => g.cast(*v, t, &Type::Float64),
            None => g.f64(default).into(),
        };
        let int = |g: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => g.cast(*v, t, &Type::Int64),
            None => g.i64(0).into(),
        };
        let float_op = |op: PyFloatOp| i32t.const_int(op as u64, false);
        let int_op = |op: PyIntOp| i32t.const_int(op as u64, false);
        let array = |k: usize| match &vals[k] {
            (v, Type::Array(t)) => (v.into_struct_value(), *t),
            _ => unreachable!("inference allows 1-D arrays only"),
        };
        match f {
            PyRandomFn::Seed => unreachable!("seeded above"),
            PyRandomFn::Random => self.mt_next_double(state).into(),
            PyRandomFn::Uniform | PyRandomFn::Gauss | PyRandomFn::Normalvariate | PyRandomFn::Expovariate => {
                let op = match f {
                    PyRandomFn::Uniform => PyFloatOp::Uniform,
                    PyRandomFn::Gauss => PyFloatOp::Gauss,
                    PyRandomFn::Normalvariate => PyFloatOp::Normalvariate,
                    _ => PyFloatOp::Expovariate,
                };
                // uniform takes (a, b - a): Python subtracts two ints exactly, then rounds.
                let second = match (op, &vals[..]) {
                    (PyFloatOp::Uniform, [(a, ta @ (Type::Int64 | Type::Bool)), (b, tb @ (Type::Int64 | Type::Bool))]) => {
                        let i128t = self.ctx().i128_type();
                        let (a, b) =
                            (self.cast(*a, ta, &Type::Int64).into_int_value(), self.cast(*b, tb, &Type::Int64).into_int_value());
                        let bld = self.b();
                        let a = bld.build_int_s_extend(a, i128t, "pyrnd.a").u();
                        let b = bld.build_int_s_extend(b, i128t, "pyrnd.b").u();
                        let d = bld.build_int_sub(b, a, "pyrnd.range").u();
                        bld.build_signed_int_to_float(d, self.ctx().f64_type(), "pyrnd.rangef").u().into()
                    }
                    (PyFloatOp::Uniform, _) => {
                        let (a, b) = (float(self, 0, 0.0).into_float_value(), float(self, 1, 0.0).into_float_value());
                        self.b().build_float_sub(b, a, "pyrnd.range").u().into()
                    }
                    _ => float(self, 1, 0.0),
                };
                let call = [state.into(), float_op(op).into(), float(self, 0, 0.0).into(), second.into(), status.into()];
                let v = self.call_basic(self.helper(Helper::PyRandomF64), &call);
                if op == PyFloatOp::Expovariate {
                    checked(self, v)
                } else {
                    v
                }
            }
            PyRandomFn::Choice if vals.len() == 1 => {
                let (s, t) = array(0);
                let len = self.dim(s, field::SHAPE, 0);
                let zero = self.i64(0);
                let call =
                    [state.into(), int_op(PyIntOp::ChoiceIndex).into(), len.into(), zero.into(), zero.into(), status.into()];
                let k = self.call_basic(self.helper(Helper::PyRandomI64), &call);
                let k = checked(self, k).into_int_value();
                let data = self.b().build_extract_value(s, field::DATA, "pyrnd.data").u().into_pointer_value();
                let off = self.b().build_int_mul(k, self.strides(s, &t)[0], "pyrnd.off").u();
                let at = unsafe { self.b().build_gep(self.ctx().i8_type(), data, &[off], "pyrnd.at") }.u();
                self.load_element(at, t.dtype)
            }
            PyRandomFn::Randint | PyRandomFn::Randrange | PyRandomFn::Choice => {
                let op = match (f, vals.len()) {
                    (PyRandomFn::Randint, _) => PyIntOp::Randint,
                    (PyRandomFn::Randrange, 1) => PyIntOp::RandrangeStop,
                    (PyRandomFn::Randrange, _) => PyIntOp::Randrange,
                    _ => PyIntOp::ChoiceRange,
                };
                let call = [
                    state.into(),
                    int_op(op).into(),
                    int(self, 0).into(),
                    int(self, 1).into(),
                    int(self, 2).into(),
                    status.into(),
                ];
                if op == PyIntOp::ChoiceRange {
                    let v = self.call_basic(self.helper(Helper::PyRandomI64), &call);
                    return checked(self, v);
                }
                let (a, b, c) = (call[2].into_int_value(), call[3].into_int_value(), call[4].into_int_value());
                self.py_randbelow_inline(op, state, (a, b, c), &call, status)
            }
            PyRandomFn::Getrandbits => {
                let zero = self.i64(0);
                let call = [
                    state.into(),
                    int_op(PyIntOp::Getrandbits).into(),
                    int(self, 0).into(),
                    zero.into(),
                    zero.into(),
                    status.into(),
                ];
                let v = self.call_basic(self.helper(Helper::PyRandomI64), &call);
                checked(self, v)
            }
            PyRandomFn::Shuffle => {
                let (s, t) = array(0);
                let data = self.b().build_extract_value(s, field::DATA, "pyrnd.data").u().into_pointer_value();
                let call = [
                    data.into(),
                    self.dim(s, field::SHAPE, 0).into(),
                    self.strides(s, &t)[0].into(),
                    self.i64(t.dtype.size() as i64).into(),
                    self.ctx().bool_type().const_int(t.readonly as u64, false).into(),
                ];
                let st = self.call_basic(self.helper(Helper::PyRandomShuffle), &call).into_int_value();
                self.random_check(st);
                none
            }
        }
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `randint(a, b)`, `randrange(a)`, `randrange(a, b, c)` of the `random` module: CPython's
    /// `_randbelow(n)` drawn here when `n` is 1 to 2**32 - 1 with a unit step (`getrandbits(k)`
    /// is one word's top `k` bits, redrawn while not below `n`), else by the runtime (`call`:
    /// `sj_rt_pyrandom_i64`'s arguments), which also raises CPython's errors.
    fn py_randbelow_inline(
        &mut self,
        op: PyIntOp,
        state: PointerValue<'ctx>,
        (a, b, c): (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>),
        call: &[inkwell::values::BasicMetadataValueEnum<'ctx>],
        status: PointerValue<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let (i32t, i64t) = (self.ctx().i32_type(), self.ctx().i64_type());
        let out = self.entry_alloca(i64t, "pyrnd.int");
        let b_ = self.b();
        let limit = self.i64(0xffff_fffe);
        // (start, n - 1, whether the range is 1 to 2**32 - 1 values with a unit step).
        let (start, n_less_one, fast) = match op {
            PyIntOp::Randint => {
                let d = b_.build_int_sub(b, a, "pyrnd.d").u();
                let ordered = b_.build_int_compare(IntPredicate::SLE, a, b, "pyrnd.ordered").u();
                let small = b_.build_int_compare(IntPredicate::ULE, d, limit, "pyrnd.small").u();
                (a, d, b_.build_and(ordered, small, "pyrnd.fast").u())
            }
            PyIntOp::RandrangeStop => {
                let d = b_.build_int_sub(a, self.i64(1), "pyrnd.d").u();
                let positive = b_.build_int_compare(IntPredicate::SGE, a, self.i64(1), "pyrnd.pos").u();
                let small = b_.build_int_compare(IntPredicate::ULE, d, limit, "pyrnd.small").u();
                (self.i64(0), d, b_.build_and(positive, small, "pyrnd.fast").u())
            }
            _ => {
                let d = b_.build_int_sub(b_.build_int_sub(b, a, "pyrnd.w").u(), self.i64(1), "pyrnd.d").u();
                let ordered = b_.build_int_compare(IntPredicate::SLT, a, b, "pyrnd.ordered").u();
                let small = b_.build_int_compare(IntPredicate::ULE, d, limit, "pyrnd.small").u();
                let unit = b_.build_int_compare(IntPredicate::EQ, c, self.i64(1), "pyrnd.unit").u();
                let fast = b_.build_and(b_.build_and(ordered, small, "pyrnd.f1").u(), unit, "pyrnd.fast").u();
                (a, d, fast)
            }
        };
        let (inline, general, done) =
            (self.block_named("pyrnd.inline"), self.block_named("pyrnd.general"), self.block_named("pyrnd.done"));
        self.b().build_conditional_branch(fast, inline, general).u();
        self.b().position_at_end(general);
        let v = self.call_basic(self.helper(Helper::PyRandomI64), call).into_int_value();
        let st = self.b().build_load(i32t, status, "pyrnd.status").u().into_int_value();
        self.random_check(st);
        self.b().build_store(out, v).u();
        self.b().build_unconditional_branch(done).u();
        // n = n_less_one + 1 fits in 32 bits; k = bit_length(n) bits of a word: shift by ctlz(n).
        self.b().position_at_end(inline);
        let n64 = self.b().build_int_add(n_less_one, self.i64(1), "pyrnd.n").u();
        let n32 = self.b().build_int_truncate(n64, i32t, "pyrnd.n32").u();
        let ctlz = self.module_gen.llvm_intrinsic("llvm.ctlz", &[i32t.into()]);
        let shift = self.call_basic(ctlz, &[n32.into(), self.ctx().bool_type().const_int(1, false).into()]).into_int_value();
        let again = self.block_named("pyrnd.draw");
        self.b().build_unconditional_branch(again).u();
        self.b().position_at_end(again);
        let word = self.mt_next_u32(state);
        let b_ = self.b();
        let r = b_.build_right_shift(word, shift, false, "pyrnd.r").u();
        let over = b_.build_int_compare(IntPredicate::UGE, r, n32, "pyrnd.over").u();
        let fits = self.block_named("pyrnd.fits");
        b_.build_conditional_branch(over, again, fits).u();
        b_.position_at_end(fits);
        let value = b_.build_int_add(start, b_.build_int_z_extend(r, i64t, "pyrnd.r64").u(), "pyrnd.value").u();
        b_.build_store(out, value).u();
        b_.build_unconditional_branch(done).u();
        b_.position_at_end(done);
        self.b().build_load(i64t, out, "pyrnd.int").u()
    }
}
