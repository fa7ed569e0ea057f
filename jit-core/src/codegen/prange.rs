//! Codegen of a parallel loop (`for i in prange(...)` under `parallel=True`): its body outlined
//! into a chunk function `i32 (ptr env, i64 lo, i64 hi, i64 chunk)` that the thread pool runs
//! (`threads::sj_rt_parallel_for`), and the reductions' partial results combined after it.
//!
//! The environment is an array of pointers: the caller's slot (and "is bound" flag) of each
//! shared local, the caller's slot of each private local copied back, each reduction's buffer
//! of partial results (one per chunk), and the loop's `[start, step, n]`. What each local is
//! comes from `crate::parallel::plan`.

use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::{AddressSpace, FloatPredicate, IntPredicate};

use super::{nonneg, Built, FnGen, Helper};
use crate::abi::array_value as field;
use crate::hir;
use crate::parallel::Combine;
use crate::types::{ArrayType, Type};

/// A chunk function being built ([`FnGen::chunk_function`]).
pub(super) struct ChunkFunction<'ctx> {
    pub(super) f: FunctionValue<'ctx>,
    pub(super) env: PointerValue<'ctx>,
    pub(super) lo: IntValue<'ctx>,
    pub(super) hi: IntValue<'ctx>,
    pub(super) chunk: IntValue<'ctx>,
    /// The caller's block, to position the builder back at.
    pub(super) resume: inkwell::basic_block::BasicBlock<'ctx>,
}

/// Where each part of the environment is (indices into its array of pointers).
struct EnvLayout {
    /// Per shared local: its slot's index, and its flag's when it has one.
    shared: Vec<(hir::LocalId, usize, Option<usize>)>,
    /// Per private local copied back: its slot's index, and its flag's.
    back: Vec<(hir::LocalId, usize, Option<usize>)>,
    /// Per reduction: its buffer's index (and, for a whole array, its caller's slot's: each
    /// chunk makes an array of that shape of its own).
    buffers: Vec<(hir::LocalId, Combine, usize, Option<usize>)>,
    /// The index of the pointer to `[start, step, n]`.
    bounds: usize,
    len: usize,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `for target in prange(start, stop, step): body else: orelse` on the thread pool.
    pub(super) fn prange(&mut self, s: &hir::Stmt) {
        let hir::StmtKind::ForRange { start, stop, step, orelse, .. } = &s.kind else {
            unreachable!("a prange loop is a ForRange")
        };
        let plan = crate::parallel::plan(self.module_gen.prog, self.hir_fn, self.spec, s, false)
            .expect("parallel loops are checked when the program is prepared");
        let i64t = self.ctx().i64_type();
        let ptr = self.ctx().ptr_type(AddressSpace::default());
        let start_v = self.int_operand(start);
        let stop_v = self.int_operand(stop);
        let step_v = self.int_operand(step);
        let n = self.range_len(start_v, stop_v, step_v);
        let chunks_fn = self.helper(Helper::ParallelChunks);
        let chunks = self.call_basic(chunks_fn, &[n.into()]).into_int_value();

        // The environment.
        let mut k = 0;
        let mut next = move || {
            k += 1;
            k - 1
        };
        let mut layout = EnvLayout { shared: Vec::new(), back: Vec::new(), buffers: Vec::new(), bounds: 0, len: 0 };
        for &id in &plan.shared {
            let slot = next();
            let flag = self.bound[id as usize].map(|_| next());
            layout.shared.push((id, slot, flag));
        }
        for &(id, back) in &plan.private {
            if back {
                let slot = next();
                let flag = self.bound[id as usize].map(|_| next());
                layout.back.push((id, slot, flag));
            }
        }
        for &(id, c) in &plan.reductions {
            let caller = self.spec.local_types[id as usize].array().map(|_| next());
            layout.buffers.push((id, c, next(), caller));
        }
        layout.bounds = next();
        layout.len = layout.bounds + 1;
        let env_t = ptr.array_type(layout.len as u32);
        let env = self.entry_alloca(env_t, "prange.env");
        let bounds_t = i64t.array_type(3);
        let bounds = self.entry_alloca(bounds_t, "prange.bounds");
        let put = |g: &Self, at: usize, p: PointerValue<'ctx>| {
            let slot = g.env_slot(env, at);
            g.b().build_store(slot, p).u();
        };
        for &(id, slot, flag) in layout.shared.iter().chain(&layout.back) {
            put(self, slot, self.locals[id as usize]);
            if let (Some(at), Some(f)) = (flag, self.bound[id as usize]) {
                put(self, at, f);
            }
        }
        // Partial results: one per chunk, on the stack for the loop's duration.
        let stacksave = self.module_gen.llvm_intrinsic("llvm.stacksave", &[ptr.into()]);
        let saved = self.call_basic(stacksave, &[]).into_pointer_value();
        let mut buffers = Vec::new();
        for &(id, c, at, caller) in &layout.buffers {
            let t = self.module_gen.llty(&self.spec.local_types[id as usize]);
            let buf = self.b().build_array_alloca(t, chunks, "partials").u();
            put(self, at, buf);
            if let Some(slot) = caller {
                put(self, slot, self.locals[id as usize]);
            }
            buffers.push((id, c, buf));
        }
        for (i, v) in [start_v, step_v, n].into_iter().enumerate() {
            let at = unsafe { self.b().build_in_bounds_gep(bounds_t, bounds, &[self.i64(0), self.i64(i as i64)], "bound") }.u();
            self.b().build_store(at, v).u();
        }
        put(self, layout.bounds, bounds);

        let chunk_fn = self.outline(s, &layout, (start_v, step_v));
        self.run_chunks(chunk_fn, env, n, chunks);

        // Combine the partial results in chunk order.
        if !buffers.is_empty() {
            let head = self.block_named("combine.head");
            let step_bb = self.block_named("combine.step");
            let done = self.block_named("combine.done");
            let c = self.entry_alloca(i64t, "c");
            self.b().build_store(c, self.i64(0)).u();
            self.b().build_unconditional_branch(head).u();
            self.b().position_at_end(head);
            let cv = self.b().build_load(i64t, c, "cv").u().into_int_value();
            let more = self.b().build_int_compare(IntPredicate::SLT, cv, chunks, "more").u();
            self.b().build_conditional_branch(more, step_bb, done).u();
            self.b().position_at_end(step_bb);
            for &(id, comb, buf) in &buffers {
                let t = self.spec.local_types[id as usize].clone();
                let lt = self.module_gen.llty(&t);
                let at = unsafe { self.b().build_in_bounds_gep(lt, buf, &[cv], "partial.at") }.u();
                let part = self.b().build_load(lt, at, "partial").u();
                let slot = self.locals[id as usize];
                let acc = self.b().build_load(lt, slot, "acc").u();
                if let Type::Array(a) = &t {
                    // `h op= partial` in place, then the chunk's array is freed.
                    self.accumulate_array(comb, a, acc, part);
                    self.decref(part, &t);
                } else {
                    let r = self.combine_partial(comb, &t, acc, part);
                    self.b().build_store(slot, r).u();
                }
            }
            let c1 = self.b().build_int_add(cv, self.i64(1), "c1").u();
            self.b().build_store(c, c1).u();
            self.b().build_unconditional_branch(head).u();
            self.b().position_at_end(done);
        }
        let stackrestore = self.module_gen.llvm_intrinsic("llvm.stackrestore", &[ptr.into()]);
        self.b().build_call(stackrestore, &[saved.into()], "").u();
        self.block(orelse);
    }

    /// `get_thread_id()`, `get_num_threads()`, `set_num_threads(n)` (None; a ValueError out of range).
    pub(super) fn thread_fn(&mut self, t: hir::ThreadFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        match t {
            hir::ThreadFn::ThreadId => {
                let f = self.helper(Helper::ThreadId);
                self.call_basic(f, &[])
            }
            hir::ThreadFn::NumThreads => {
                let f = self.helper(Helper::NumThreads);
                self.call_basic(f, &[])
            }
            hir::ThreadFn::SetNumThreads => {
                let n = self.int_operand(&args[0]);
                let f = self.helper(Helper::SetNumThreads);
                let status = self.call_basic(f, &[n.into()]).into_int_value();
                let failed =
                    self.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "threads.bad").u();
                self.on_failure(failed, |g| g.ret_status(status));
                self.ctx().i8_type().const_zero().into()
            }
        }
    }

    /// The address of pointer `at` of the environment array `env`.
    fn env_slot(&self, env: PointerValue<'ctx>, at: usize) -> PointerValue<'ctx> {
        let ptr = self.ctx().ptr_type(AddressSpace::default());
        unsafe { self.b().build_in_bounds_gep(ptr, env, &[self.i64(at as i64)], "env.at") }.u()
    }

    /// `acc` combined with a chunk's partial result `part` (of type `t`), as the reduction does.
    fn combine_partial(
        &self,
        c: Combine,
        t: &Type,
        acc: BasicValueEnum<'ctx>,
        part: BasicValueEnum<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let b = self.b();
        if acc.is_float_value() {
            let (x, y) = (acc.into_float_value(), part.into_float_value());
            let r = match c {
                Combine::Add => b.build_float_add(x, y, "comb").u(),
                Combine::Mul => b.build_float_mul(x, y, "comb").u(),
                // min(acc, part): part only when it is smaller (NaN never chosen), as Python's.
                Combine::Min | Combine::Max | Combine::MinLast | Combine::MaxLast => {
                    let pred = match c.extremum() {
                        Some((true, false)) => FloatPredicate::OLT,
                        Some((false, false)) => FloatPredicate::OGT,
                        Some((true, true)) => FloatPredicate::OLE,
                        _ => FloatPredicate::OGE,
                    };
                    let take = b.build_float_compare(pred, y, x, "take").u();
                    return b.build_select(take, y, x, "comb").u();
                }
                Combine::Or | Combine::And | Combine::Xor => unreachable!("bit reductions are of ints"),
            };
            return if *t == Type::Float32 { self.round_f32(r.into()) } else { r.into() };
        }
        let (x, y) = (acc.into_int_value(), part.into_int_value());
        let unsigned = *t == Type::UInt64;
        let r: IntValue<'ctx> = match c {
            Combine::Add => b.build_int_add(x, y, "comb").u(),
            Combine::Mul => b.build_int_mul(x, y, "comb").u(),
            Combine::Or => b.build_or(x, y, "comb").u(),
            Combine::And => b.build_and(x, y, "comb").u(),
            Combine::Xor => b.build_xor(x, y, "comb").u(),
            Combine::Min | Combine::Max | Combine::MinLast | Combine::MaxLast => {
                let (min, last) = c.extremum().expect("an extremum");
                let pred = match (min, last, unsigned) {
                    (true, false, false) => IntPredicate::SLT,
                    (true, false, true) => IntPredicate::ULT,
                    (false, false, false) => IntPredicate::SGT,
                    (false, false, true) => IntPredicate::UGT,
                    (true, true, false) => IntPredicate::SLE,
                    (true, true, true) => IntPredicate::ULE,
                    (false, true, false) => IntPredicate::SGE,
                    (false, true, true) => IntPredicate::UGE,
                };
                let take = b.build_int_compare(pred, y, x, "take").u();
                return b.build_select(take, y, x, "comb").u();
            }
        };
        r.into()
    }

    /// `acc op= part` element by element: two arrays of type `a` and one shape (`part` is a
    /// chunk's own array of the partial results), as NumPy's in-place operator computes.
    fn accumulate_array(&mut self, c: Combine, a: &ArrayType, acc: BasicValueEnum<'ctx>, part: BasicValueEnum<'ctx>) {
        let (acc, part) = (acc.into_struct_value(), part.into_struct_value());
        let shape: Vec<IntValue<'ctx>> = (0..a.ndim as u32).map(|k| self.dim(acc, field::SHAPE, k)).collect();
        let (acc_strides, part_strides) = (self.strides(acc, a), self.strides(part, a));
        let acc_data = self.b().build_extract_value(acc, field::DATA, "acc.data").u().into_pointer_value();
        let part_data = self.b().build_extract_value(part, field::DATA, "part.data").u().into_pointer_value();
        let a = *a;
        let carrier = a.dtype.element().carrier();
        self.loop_nest(&shape, &mut |g, idx| {
            let to = g.address(acc_data, idx, &acc_strides);
            let from = g.address(part_data, idx, &part_strides);
            let (x, y) = (g.load_element(to, a.dtype), g.load_element(from, a.dtype));
            let b = g.b();
            let r: BasicValueEnum<'ctx> = match (x, c) {
                // A complex sum: the parts added apart (only `+=`/`-=` reduce complex arrays).
                (BasicValueEnum::StructValue(x), _) => {
                    let y = y.into_struct_value();
                    let mut sum = x;
                    for k in 0..2 {
                        let xp = b.build_extract_value(x, k, "re.im").u().into_float_value();
                        let yp = b.build_extract_value(y, k, "re.im").u().into_float_value();
                        let p = b.build_float_add(xp, yp, "part").u();
                        sum = b.build_insert_value(sum, p, k, "sum").u().into_struct_value();
                    }
                    sum.into()
                }
                (BasicValueEnum::FloatValue(x), Combine::Mul) => b.build_float_mul(x, y.into_float_value(), "acc").u().into(),
                (BasicValueEnum::FloatValue(x), _) => b.build_float_add(x, y.into_float_value(), "acc").u().into(),
                (x, Combine::Mul) => b.build_int_mul(x.into_int_value(), y.into_int_value(), "acc").u().into(),
                (x, _) => b.build_int_add(x.into_int_value(), y.into_int_value(), "acc").u().into(),
            };
            g.store_element(to, a, r, &carrier);
        });
    }

    /// What a chunk's partial result of reduction `c` over values of type `t` starts from.
    fn partial_identity(&self, c: Combine, t: &Type) -> BasicValueEnum<'ctx> {
        let lt = self.module_gen.llty(t);
        if lt.is_float_type() {
            let v = match c {
                // -0.0 + x is x for every x, -0.0 included.
                Combine::Add => -0.0,
                Combine::Mul => 1.0,
                Combine::Min | Combine::MinLast => f64::INFINITY,
                Combine::Max | Combine::MaxLast => f64::NEG_INFINITY,
                Combine::Or | Combine::And | Combine::Xor => unreachable!("bit reductions are of ints"),
            };
            return self.f64(v).into();
        }
        let it = lt.into_int_type();
        let unsigned = *t == Type::UInt64;
        let v: u64 = match c {
            Combine::Add | Combine::Or | Combine::Xor => 0,
            Combine::Mul => 1,
            Combine::And => u64::MAX,
            Combine::Min | Combine::MinLast if unsigned => u64::MAX,
            Combine::Min | Combine::MinLast => i64::MAX as u64,
            Combine::Max | Combine::MaxLast if unsigned => 0,
            Combine::Max | Combine::MaxLast => i64::MIN as u64,
        };
        it.const_int(v, false).into()
    }

    /// A new chunk function `i32 (ptr env, i64 lo, i64 hi, i64 chunk)` named after this
    /// function and `kind`, with the builder at its entry block: the function, its four
    /// parameters, and the block to resume the caller's code in afterwards.
    pub(super) fn chunk_function(&self, kind: &str) -> ChunkFunction<'ctx> {
        let mg = self.module_gen;
        let (ctx, b) = (mg.ctx, mg.builder);
        let i64t = ctx.i64_type();
        let ptr = ctx.ptr_type(AddressSpace::default());
        let resume = b.get_insert_block().expect("inside a function");
        let k = mg.outlined.get();
        mg.outlined.set(k + 1);
        let name = format!("{}.{kind}{k}", self.function.get_name().to_string_lossy());
        let fty = mg.status_llty().fn_type(&[ptr.into(), i64t.into(), i64t.into(), i64t.into()], false);
        let f = mg.module.add_function(&name, fty, Some(Linkage::Internal));
        mg.nounwind(f);
        let param = |i: u32| f.get_nth_param(i).expect("four parameters");
        b.position_at_end(ctx.append_basic_block(f, "entry"));
        ChunkFunction {
            f,
            env: param(0).into_pointer_value(),
            lo: param(1).into_int_value(),
            hi: param(2).into_int_value(),
            chunk: param(3).into_int_value(),
            resume,
        }
    }

    /// Runs `chunk_fn` over `rows` positions in `chunks` chunks on the pool (each loop its own
    /// word of timing); a failed chunk's status is this function's.
    pub(super) fn run_chunks(
        &self,
        chunk_fn: FunctionValue<'ctx>,
        env: PointerValue<'ctx>,
        rows: IntValue<'ctx>,
        chunks: IntValue<'ctx>,
    ) {
        let i64t = self.ctx().i64_type();
        let cost = self.module_gen.module.add_global(i64t, None, &format!("{}.cost", chunk_fn.get_name().to_string_lossy()));
        cost.set_linkage(Linkage::Internal);
        cost.set_initializer(&i64t.const_zero());
        cost.set_alignment(8);
        let run = self.helper(Helper::ParallelFor);
        let fn_ptr = chunk_fn.as_global_value().as_pointer_value();
        let args = [fn_ptr.into(), env.into(), rows.into(), chunks.into(), cost.as_pointer_value().into()];
        let status = self.call_basic(run, &args).into_int_value();
        let failed = self.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "pool.failed").u();
        self.on_failure(failed, |g| g.ret_status(status));
    }

    /// The codegen state of a chunk function `f` of this function (its environment `env`), with
    /// these slots and flags of the locals; `borrowed`: the locals whose references are the
    /// caller's (not released at the chunk's end).
    pub(super) fn chunk_gen(
        &self,
        f: FunctionValue<'ctx>,
        env: PointerValue<'ctx>,
        locals: Vec<PointerValue<'ctx>>,
        bound: Vec<Option<PointerValue<'ctx>>>,
        borrowed: Vec<bool>,
    ) -> FnGen<'a, 'ctx> {
        FnGen {
            module_gen: self.module_gen,
            function: f,
            spec: self.spec,
            hir_fn: self.hir_fn,
            funcs: self.funcs,
            locals,
            bound,
            loops: Vec::new(),
            // Recursion is refused where chunks call jitted code (`parallel::plan`,
            // `parallel_nest`): no stack checks.
            stack_limit: self.stack_limit.map(|_| self.ctx().i64_type().const_zero()),
            // Only for `ret_status`, which then returns the bare status (nothing is returned).
            ret_ptr: Some(env),
            refs: Default::default(),
            floors: nonneg::range_floors(self.hir_fn),
            versions: Vec::new(),
            short_loops: 0,
            growable_walks: Vec::new(),
            elementwise: false,
            in_parallel: true,
            borrowed,
            try_frames: Vec::new(),
            handling: Vec::new(),
            known_entry: None,
            site: self.site,
            deferred: None,
            finally: Vec::new(),
        }
    }

    /// The chunk function of the parallel loop `s`: its body over positions `lo..hi`.
    fn outline(
        &mut self,
        s: &hir::Stmt,
        layout: &EnvLayout,
        (start_v, step_v): (IntValue<'ctx>, IntValue<'ctx>),
    ) -> FunctionValue<'ctx> {
        let hir::StmtKind::ForRange { target, start, body, .. } = &s.kind else { unreachable!("a ForRange") };
        let mg = self.module_gen;
        let (ctx, b) = (mg.ctx, mg.builder);
        let i64t = ctx.i64_type();
        let ptr = ctx.ptr_type(AddressSpace::default());
        let ChunkFunction { f, env, lo, hi, chunk, resume } = self.chunk_function("prange");
        // Every local its own slot first (as `define_inner` makes them); shared ones are the caller's.
        let mut locals = Vec::new();
        let mut bound = Vec::new();
        for (i, l) in self.hir_fn.locals.iter().enumerate() {
            let t = &self.spec.local_types[i];
            let slot = b.build_alloca(mg.llty(t), &l.name).u();
            if super::refs::holds_arrays(t) {
                b.build_store(slot, mg.llty(t).const_zero()).u();
            }
            locals.push(slot);
            bound.push(l.checked.then(|| {
                let flag = b.build_alloca(ctx.bool_type(), &format!("{}.bound", l.name)).u();
                b.build_store(flag, ctx.bool_type().const_zero()).u();
                flag
            }));
        }
        let load_env = |at: usize| {
            let p = unsafe { b.build_in_bounds_gep(ptr, env, &[i64t.const_int(at as u64, false)], "env.at") }.u();
            b.build_load(ptr, p, "env.ptr").u().into_pointer_value()
        };
        // A shared local is read into the chunk's own slot once: nothing assigns it while the
        // loop runs, and a slot of its own is one LLVM keeps in a register (the caller's, reached
        // through `env`, might alias the arrays the body writes, and was reloaded at every use).
        // Its references stay the caller's (`borrowed`: not released here).
        let mut borrowed = vec![false; locals.len()];
        for &(id, slot, flag) in &layout.shared {
            let lt = mg.llty(&self.spec.local_types[id as usize]);
            let v = b.build_load(lt, load_env(slot), "shared").u();
            b.build_store(locals[id as usize], v).u();
            if let (Some(at), Some(own)) = (flag, bound[id as usize]) {
                let set = b.build_load(ctx.bool_type(), load_env(at), "shared.bound").u();
                b.build_store(own, set).u();
            }
            borrowed[id as usize] = true;
        }
        let bounds = load_env(layout.bounds);
        let read_bound = |i: u64, name: &str| {
            let p = unsafe { b.build_in_bounds_gep(i64t, bounds, &[i64t.const_int(i, false)], name) }.u();
            b.build_load(i64t, p, name).u().into_int_value()
        };
        // Constant operands stay constants: a unit step keeps the loop's counted shape.
        let start_c = if start_v.is_const() { start_v } else { read_bound(0, "start") };
        let step_c = if step_v.is_const() { step_v } else { read_bound(1, "step") };
        let n = read_bound(2, "n");
        let mut g = self.chunk_gen(f, env, locals, bound, borrowed);
        for &(id, c, _, caller) in &layout.buffers {
            let t = g.spec.local_types[id as usize].clone();
            let v = match (&t, caller) {
                (Type::Array(a), Some(slot)) => {
                    // An array of the caller's shape, of the identity: the chunk's own. Its
                    // reference goes to the buffer of partial results (not released here).
                    let whole = b.build_load(mg.llty(&t), load_env(slot), "reduced").u().into_struct_value();
                    let shape: Vec<IntValue<'ctx>> = (0..a.ndim as u32).map(|k| g.dim(whole, field::SHAPE, k)).collect();
                    let float = a.dtype.is_float();
                    let zeroed = c == Combine::Add && !float;
                    let (value, data, count) = g.alloc_c(a, &shape, zeroed);
                    if !zeroed {
                        let (one, t1) = if float {
                            (g.partial_identity(c, &Type::Float64), Type::Float64)
                        } else {
                            (g.i64(1).into(), Type::Int64)
                        };
                        g.fill_linear(data, a, count, one, &t1);
                    }
                    g.borrowed[id as usize] = true;
                    value
                }
                _ => g.partial_identity(c, &t),
            };
            b.build_store(g.locals[id as usize], v).u();
        }
        // Positions lo..hi are i = start + k * step.
        let first = b.build_int_add(start_c, b.build_int_mul(lo, step_c, "lo.off").u(), "first").u();
        let end = b.build_int_add(start_c, b.build_int_mul(hi, step_c, "hi.off").u(), "end").u();
        g.for_range_values(target, start, (first, end, step_c), body, &[]);
        if !g.terminated() {
            // The chunk that ran the last iteration hands its private values back.
            if !layout.back.is_empty() {
                let last = b.build_int_compare(IntPredicate::EQ, hi, n, "last.chunk").u();
                let copy = g.block_named("copy.back");
                let after = g.block_named("copied");
                b.build_conditional_branch(last, copy, after).u();
                b.position_at_end(copy);
                for &(id, slot, flag) in &layout.back {
                    let lt = mg.llty(&g.spec.local_types[id as usize]);
                    let v = b.build_load(lt, g.locals[id as usize], "private").u();
                    b.build_store(load_env(slot), v).u();
                    if let Some(at) = flag {
                        b.build_store(load_env(at), ctx.bool_type().const_int(1, false)).u();
                    }
                }
                b.build_unconditional_branch(after).u();
                b.position_at_end(after);
            }
            for &(id, _, at, _) in &layout.buffers {
                let t = g.spec.local_types[id as usize].clone();
                let lt = mg.llty(&t);
                let v = b.build_load(lt, g.locals[id as usize], "partial").u();
                let buf = load_env(at);
                let slot = unsafe { b.build_in_bounds_gep(lt, buf, &[chunk], "partial.at") }.u();
                b.build_store(slot, v).u();
            }
            g.release_all();
            b.build_return(Some(&mg.status_llty().const_zero())).u();
        }
        b.position_at_end(resume);
        f
    }
}
