//! Codegen of statements: assignment, `if`, `while` and `for ... in range` (with `else`),
//! `break`, `continue`, `return`.

use inkwell::values::IntValue;
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::ast::BinOp;
use crate::hir::{self, ExprKind as H, StmtKind as S};
use crate::runtime::Status;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    pub(super) fn block(&mut self, stmts: &[hir::Stmt]) {
        for s in stmts {
            if self.terminated() {
                // Unreachable code after return/break/continue (or after an `if` whose branch
                // taken is known and leaves): not compiled, and possibly not typed.
                return;
            }
            self.stmt_releasing(s);
            // `d[k]` reads the entry `if k in d:` found only in the body's first statement.
            self.known_entry = None;
        }
    }

    pub(super) fn stmt(&mut self, s: &hir::Stmt) {
        match &s.kind {
            S::Assign { targets, value } => {
                // One slice target (`b[1:-1] = 0.5 * (a[2:] + a[:-2])`): the value's elementwise
                // operators write straight into it.
                if let [hir::Target::Index { array, index, .. }] = &targets[..] {
                    if self.target_is_view(array, index) {
                        self.assign_view(array, index, super::elementwise::Rhs::Expr(value));
                        return;
                    }
                }
                let v = self.expr(value);
                let t = self.ty(value);
                for target in targets {
                    self.assign(target, v, &t);
                }
            }
            S::AugAssign { read, op: BinOp::MatMul, value, .. } => self.matmul_aug(read, value),
            S::AugAssign { read, op, value, .. } if self.ty(read).array().is_some() => {
                self.aug_assign_view(read, None, *op, value);
            }
            S::AugAssignIndex { array, index, op, value } if matches!(self.ty(array), Type::Pointer(_)) => {
                self.pointer_aug(array, index, *op, value);
            }
            S::AugAssignIndex { array, index, op, value } if self.ty(index).array().is_some() => {
                self.fancy_aug(array, index, *op, value);
            }
            S::AugAssignIndex { array, index, op, value } if self.target_is_view(array, index) => {
                self.aug_assign_view(array, Some(index), *op, value);
            }
            // `l += v`, `l *= n`, `s |= t`, ...: the new items computed, then put into the same
            // block (CPython's in-place operators), so other names for it see them.
            S::AugAssign { op, value, read, .. } if matches!(self.ty(read), Type::List(_) | Type::Set(_)) => {
                let h = self.expr(read).into_pointer_value();
                match self.ty(read) {
                    Type::List(item) => {
                        let new = self.list_binary(read, read, value).into_pointer_value();
                        self.list_replace_items(h, new, &item);
                    }
                    _ => {
                        let new = self.set_binary(read, *op, read, value).into_pointer_value();
                        self.set_replace_items(h, new);
                    }
                }
            }
            S::AugAssign { target, op, value, read } if self.aug_type(value) == Type::Str => {
                let l = self.expr(read);
                let r = self.expr(value);
                // (The read of the local holds the new string until the statement ends.)
                let v = self.string_binary_values(read.id, *op, (l, &self.ty(read)), (r, &self.ty(value)));
                self.store_local(*target, v, &Type::Str);
            }
            S::AugAssign { target, op, value, read } => {
                let l = self.expr(read);
                let r = self.expr(value);
                let t = self.aug_type(value);
                let v = self.binary(*op, l, &self.ty(read), r, &self.ty(value), &t);
                // Rounded like NumPy's float32, as `x = x op v` is.
                let v = if t == Type::Float32 { self.round_f32(v) } else { v };
                self.store_local(*target, v, &t);
            }
            S::AugAssignIndex { array, index, op, value } if matches!(self.ty(array), Type::List(_) | Type::Dict(..)) => {
                self.container_aug_assign(array, index, *op, value)
            }
            S::AugAssignIndex { array, index, op, value } => self.array_aug_assign(array, index, *op, value),
            S::Expr(e) => {
                self.expr(e);
            }
            S::If { test, body, orelse } => {
                if let Some(taken) = self.known_test(test) {
                    // `if x is None:` with x's type known: only the branch taken (the test
                    // evaluated for what it does, a call in it; its value is known).
                    self.expr(test);
                    self.block(if taken { body } else { orelse });
                    return;
                }
                let (c, entry) = match self.dict_entry_test(test, body) {
                    Some((c, entry)) => (c, Some(entry)),
                    None => (self.truth_of(test), None),
                };
                let then_bb = self.block_named("then");
                let else_bb = self.block_named("else");
                let end = self.block_named("endif");
                self.b().build_conditional_branch(c, then_bb, else_bb).u();
                self.b().position_at_end(then_bb);
                self.known_entry = entry;
                self.block(body);
                if !self.terminated() {
                    self.b().build_unconditional_branch(end).u();
                }
                self.b().position_at_end(else_bb);
                self.block(orelse);
                if !self.terminated() {
                    self.b().build_unconditional_branch(end).u();
                }
                self.b().position_at_end(end);
            }
            S::While { test, body, orelse } => {
                let head = self.block_named("while.head");
                let body_bb = self.block_named("while.body");
                let else_bb = self.block_named("while.else");
                let exit = self.block_named("while.exit");
                self.b().build_unconditional_branch(head).u();
                self.b().position_at_end(head);
                // Ctrl-C: the outermost loop of a function polls (inner loops stay free of it, so
                // that they vectorize and keep their idioms).
                if self.loops.len() == self.short_loops {
                    self.poll_interrupt();
                }
                let c = self.truth_of(test);
                self.b().build_conditional_branch(c, body_bb, else_bb).u();
                self.b().position_at_end(body_bb);
                self.loops.push((head, exit));
                self.block(body);
                self.loops.pop();
                if !self.terminated() {
                    self.b().build_unconditional_branch(head).u();
                }
                self.b().position_at_end(else_bb);
                self.block(orelse);
                if !self.terminated() {
                    self.b().build_unconditional_branch(exit).u();
                }
                self.b().position_at_end(exit);
            }
            S::ForRange { target, stop, body, orelse, .. } if self.walks_list(stop) => self.list_walk(target, stop, body, orelse),
            S::ForRange { target, stop, body, orelse, .. } if self.walks_iterator(stop) => {
                self.iter_walk(target, stop, body, orelse)
            }
            S::ForRange { .. } if self.hir_fn.parallel && !self.in_parallel && self.hir_fn.prange.contains(&s.span) => {
                self.prange(s)
            }
            S::ForRange { target, start, stop, step, body, orelse } => self.for_range(target, start, stop, step, body, orelse),
            S::Try { body, handlers, orelse, finalbody } => self.try_stmt(body, handlers, orelse, finalbody),
            S::Reraise => self.reraise(),
            S::Return(v) => {
                let rv = match v {
                    Some(v) => {
                        let x = self.expr(v);
                        let t = self.ty(v);
                        // A return type its signatures declare: NumPy's conversion to it (an
                        // int64 into int32 wraps), in callers' programs too.
                        let (x, t) = match self.hir_fn.ret_dtype {
                            Some(d) if t.is_numeric() || (t.is_complex() && d.is_complex()) => {
                                (self.dtype_cast(x, &t, d), d.element().carrier())
                            }
                            _ => (x, t),
                        };
                        let x = self.cast(x, &t, &self.spec.ret.clone());
                        // A float32 return type declared by a signature rounds what is returned.
                        if self.spec.ret == Type::Float32 && !self.is_float32(v) {
                            self.round_f32(x)
                        } else {
                            x
                        }
                    }
                    None => self.cast(self.ctx().i8_type().const_zero().into(), &Type::None, &self.spec.ret.clone()),
                };
                if self.finally.is_empty() {
                    self.ret_ok(rv);
                } else {
                    // The value is taken before the `finally` bodies run (they may assign the
                    // local it came from), as CPython does.
                    self.ret_ok_after_finally(rv);
                }
            }
            S::Break => {
                let (_, brk) = *self.loops.last().expect("break inside a loop (CPython checks this)");
                if self.run_finally(Some(self.loops.len())) {
                    self.b().build_unconditional_branch(brk).u();
                }
            }
            S::Continue => {
                let (cont, _) = *self.loops.last().expect("continue inside a loop (CPython checks this)");
                if self.run_finally(Some(self.loops.len())) {
                    self.b().build_unconditional_branch(cont).u();
                }
            }
            S::Pass => {}
            S::Raise { recorded: true, .. } => {
                self.ret_status(self.module_gen.status_llty().const_int(crate::runtime::Status::Raised as u64, false))
            }
            S::Raise { class, message, .. } => self.raise(*class, message.as_deref()),
            S::Print { items, sep, end, flush } => self.print(items, sep, end, *flush),
        }
    }

    /// `raise`: the class and message recorded (`sj_rt_raise`), then [`Status::Raised`].
    pub(super) fn raise(&self, class: u32, message: Option<&str>) {
        let (ptr, len) = match message {
            Some(m) => {
                let g = self.b().build_global_string_ptr(m, "raise.message").u();
                (g.as_pointer_value(), self.i64(m.len() as i64))
            }
            None => (self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null(), self.i64(-1)),
        };
        let helper = self.helper(super::Helper::Raise);
        let class = self.ctx().i32_type().const_int(class as u64, false);
        self.b().build_call(helper, &[class.into(), ptr.into(), len.into()], "").u();
        self.ret_status(self.module_gen.status_llty().const_int(crate::runtime::Status::Raised as u64, false));
    }

    pub(super) fn int_operand(&mut self, e: &hir::Expr) -> IntValue<'ctx> {
        let v = self.expr(e);
        self.as_index(v, &self.ty(e))
    }

    /// The length of `range(start, stop, step)` (ValueError when the step is 0).
    pub(super) fn range_len(&mut self, start: IntValue<'ctx>, stop: IntValue<'ctx>, step: IntValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        let zero = self.i64(0);
        let step_zero = b.build_int_compare(IntPredicate::EQ, step, zero, "step0").u();
        self.fail_if(step_zero, Status::RangeStepZero as u32);
        let b = self.b();
        // Trip count as CPython's range length, computed in unsigned arithmetic so that no
        // intermediate overflows: n = (hi - lo - 1) / |step| + 1 when lo < hi.
        let (lo, hi, abs_step) = match step.get_sign_extended_constant() {
            // A literal step (the common case) needs no selects.
            Some(c) if c > 0 => (start, stop, step),
            Some(c) if c < 0 => (stop, start, self.i64(c.wrapping_neg())),
            _ => {
                let pos = b.build_int_compare(IntPredicate::SGT, step, zero, "pos").u();
                let lo = b.build_select(pos, start, stop, "lo").u().into_int_value();
                let hi = b.build_select(pos, stop, start, "hi").u().into_int_value();
                let neg_step = b.build_int_sub(zero, step, "negstep").u();
                (lo, hi, b.build_select(pos, step, neg_step, "absstep").u().into_int_value())
            }
        };
        let nonempty = b.build_int_compare(IntPredicate::SLT, lo, hi, "nonempty").u();
        let span = b.build_int_sub(hi, lo, "span").u();
        let count = if abs_step.get_zero_extended_constant() == Some(1) {
            span
        } else {
            let span1 = b.build_int_sub(span, self.i64(1), "span1").u();
            let q = b.build_int_unsigned_div(span1, abs_step, "q").u();
            b.build_int_add(q, self.i64(1), "q1").u()
        };
        b.build_select(nonempty, count, zero, "n").u().into_int_value()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn for_range(
        &mut self,
        target: &hir::Target,
        start: &hir::Expr,
        stop: &hir::Expr,
        step: &hir::Expr,
        body: &[hir::Stmt],
        orelse: &[hir::Stmt],
    ) {
        let start_expr = start;
        let start = self.int_operand(start);
        let stop = self.int_operand(stop);
        let step = self.int_operand(step);
        self.for_range_values(target, start_expr, (start, stop, step), body, orelse);
    }

    /// `for target in range(start, stop, step)` with the operands' values computed (`start_expr`
    /// the start's expression, for what it proves of the loop variable): the loop, versioned
    /// when its accesses can be checked once before it.
    pub(super) fn for_range_values(
        &mut self,
        target: &hir::Target,
        start_expr: &hir::Expr,
        (start, stop, step): (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>),
        body: &[hir::Stmt],
        orelse: &[hir::Stmt],
    ) {
        // A loop whose float checks can wait (`defer`): a deferred copy, an exact one after it.
        if let (hir::Target::Local(var, _), true, true) = (target, orelse.is_empty(), self.deferred.is_none()) {
            if let Some(assigned) = self.defer_plan(*var, body) {
                let mut build = |fg: &mut Self| fg.versioned_range(target, start_expr, (start, stop, step), body, orelse);
                return self.deferred_loop(&assigned, &mut build);
            }
        }
        self.versioned_range(target, start_expr, (start, stop, step), body, orelse)
    }

    /// The plan to defer the float checks of `for var in range(..)` over `body` (`defer::plan`).
    fn defer_plan(&self, var: hir::LocalId, body: &[hir::Stmt]) -> Option<Vec<hir::LocalId>> {
        let ty = |e: &hir::Expr| self.spec.expr_types[e.id as usize].clone();
        let local_ty = |id: hir::LocalId| self.spec.local_types[id as usize].clone();
        let reassoc = self.module_gen.fastmath.has("reassoc");
        super::defer::plan(var, body, &ty, &local_ty, reassoc)
    }

    /// [`FnGen::for_range_values`] once deferral is decided: the loop, versioned when its
    /// accesses can be checked once before it.
    fn versioned_range(
        &mut self,
        target: &hir::Target,
        start_expr: &hir::Expr,
        (start, stop, step): (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>),
        body: &[hir::Stmt],
        orelse: &[hir::Stmt],
    ) {
        let unit_step = step.get_sign_extended_constant() == Some(1);
        let plan = match target {
            hir::Target::Local(var, _) if unit_step => self.version_plan(*var, start_expr, body),
            _ => None,
        };
        let Some(plan) = plan else {
            return self.range_loop(target, start_expr, (start, stop, step), body, orelse, None, false);
        };
        // Versioned (`version`): the fast copy when every covered index stays in range.
        let test = self.version_test(&plan, start, stop);
        let fast = self.block_named("for.fast");
        let checked = self.block_named("for.checked");
        let joined = self.block_named("for.joined");
        // The fast copy is the one expected to run: the weights let the register allocator
        // favour its loop (the checked copy's values otherwise push the fast loop's pointers
        // onto the stack around a call in its body).
        self.branch_weighted(test, fast, checked, VERSION_WEIGHTS);
        for (bb, p) in [(fast, Some(plan)), (checked, None)] {
            self.b().position_at_end(bb);
            let checked_copy = p.is_none();
            self.range_loop(target, start_expr, (start, stop, step), body, orelse, p, checked_copy);
            if !self.terminated() {
                self.b().build_unconditional_branch(joined).u();
            }
        }
        self.b().position_at_end(joined);
    }

    /// The plan to version `for var in range(start, stop)` over `body` (`version::plan`).
    fn version_plan(&self, var: hir::LocalId, start: &hir::Expr, body: &[hir::Stmt]) -> Option<super::version::Plan> {
        let locals = &self.hir_fn.locals;
        let is_temp = |id: hir::LocalId| locals[id as usize].index_temp;
        let always_bound = |id: hir::LocalId| !locals[id as usize].checked;
        let ndim = |id: hir::LocalId| match &self.spec.local_types[id as usize] {
            Type::Array(a) => Some(a.ndim as u32),
            _ => None,
        };
        let is_int = |id: hir::LocalId| self.spec.local_types[id as usize] == Type::Int64;
        // A body that makes loops of its own (an array expression, a view, a new array) is not
        // versioned: the checks the copy drops are outside those loops, and it would double
        // their code (NPBench's vadv: 1.9 s to compile).
        let makes_loops = |e: &hir::Expr| {
            matches!(e.kind, hir::ExprKind::Slice { .. })
                || (self.spec.expr_types[e.id as usize].array().is_some()
                    && !matches!(e.kind, hir::ExprKind::Local { .. } | hir::ExprKind::Call { .. }))
        };
        if super::version::any_expr(body, &makes_loops) {
            return None;
        }
        // Without bounds checks, an index gains from the copy only if it would keep its wrap
        // (`nonneg` does not prove it): `r[k - i - 1]` of durbin's dot product, whose loop ran
        // slower unchecked than checked before; nussinov's `table[i, k]` with `i` from a
        // `range` counting down (its wrap, invariant in the loop, stayed in it).
        // The floors are those of the body, where the loop's variable is at least its start
        // (as `range_loop` narrows it).
        let checked = self.module_gen.boundscheck;
        let mut floors = self.floors.floors.clone();
        if let Some(own) = super::nonneg::lower_bound(start, &floors).filter(|_| !super::nonneg::assigned_in(body, var)) {
            if let Some(all) = floors.get_mut(&var) {
                *all = (*all).max(own);
            }
        }
        let gains = |e: &hir::Expr| checked || super::nonneg::lower_bound(e, &floors).is_none_or(|lo| lo < 0);
        super::version::plan(var, body, is_temp, always_bound, ndim, is_int, gains)
    }

    /// True when every access `plan` covers is in range for `start <= i < stop`: an index
    /// `coef * i + p` (`p` its invariant part, read here: nothing in the body assigns it) runs
    /// from `start + p` to `stop - 1 + p` (coef 1), from `p - (stop - 1)` to `p - start`
    /// (coef -1), or is `p` (coef 0); the least must be `>= 0` and the greatest below the
    /// axis' size. In 128 bits: the int64 index equals the exact value whenever that is in range.
    fn version_test(&mut self, plan: &super::version::Plan, start: IntValue<'ctx>, stop: IntValue<'ctx>) -> IntValue<'ctx> {
        let i128t = self.ctx().i128_type();
        let wide = |fg: &Self, v: IntValue<'ctx>| fg.b().build_int_s_extend(v, i128t, "wide").u();
        let c128 = |c: i64| i128t.const_int(c as u64, true);
        let (first, last) = (wide(self, start), self.b().build_int_sub(wide(self, stop), c128(1), "last.i").u());
        let mut ok = self.ctx().bool_type().const_all_ones();
        for a in &plan.checks {
            let id = a.array as usize;
            let lt = self.module_gen.llty(&self.spec.local_types[id]);
            let arr = self.b().build_load(lt, self.locals[id], "versioned").u().into_struct_value();
            let size = self.dim(arr, crate::abi::array_value::SHAPE, a.axis);
            let size = wide(self, size);
            let mut p = c128(a.form.offset);
            for &(sign, w) in &a.form.terms {
                let v = self.b().build_load(self.ctx().i64_type(), self.locals[w as usize], "invariant").u().into_int_value();
                let v = wide(self, v);
                let b = self.b();
                p = if sign > 0 { b.build_int_add(p, v, "p") } else { b.build_int_sub(p, v, "p") }.u();
            }
            let b = self.b();
            let (lo, hi) = match a.form.coef {
                1 => (b.build_int_add(first, p, "lo").u(), b.build_int_add(last, p, "hi").u()),
                -1 => (b.build_int_sub(p, last, "lo").u(), b.build_int_sub(p, first, "hi").u()),
                _ => (p, p),
            };
            let low_ok = b.build_int_compare(IntPredicate::SGE, lo, c128(0), "low.ok").u();
            let high_ok = b.build_int_compare(IntPredicate::SLT, hi, size, "high.ok").u();
            let both = b.build_and(low_ok, high_ok, "in.range").u();
            ok = b.build_and(ok, both, "all.in.range").u();
        }
        ok
    }

    /// `for target in range(..)` with its operands' values (`start`, `stop`, `step`) computed,
    /// and, in the fast copy of a versioned loop, its plan. `checked_copy`: this is the checked
    /// copy of a versioned loop, which runs only when the test before it fails (an index wraps
    /// or goes out of range somewhere in the loop): it is not unrolled.
    #[allow(clippy::too_many_arguments)]
    fn range_loop(
        &mut self,
        target: &hir::Target,
        start_expr: &hir::Expr,
        (start, stop, step): (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>),
        body: &[hir::Stmt],
        orelse: &[hir::Stmt],
        plan: Option<super::version::Plan>,
        checked_copy: bool,
    ) {
        let i64t = self.ctx().i64_type();
        // The loop counts with `c`: from `start` while `c < stop` when the step is the literal 1
        // (then `c` is `i` itself, and LLVM knows start <= i < stop: array bounds checks on `i`
        // fold away), else from 0 to the trip count, with i = start + c * step.
        let unit_step = step.get_sign_extended_constant() == Some(1);
        let (init, n) = if unit_step { (start, stop) } else { (self.i64(0), self.range_len(start, stop, step)) };
        let b = self.b();
        let k = self.entry_alloca(i64t, "k");
        b.build_store(k, init).u();
        let head = self.block_named("for.head");
        let body_bb = self.block_named("for.body");
        let latch = self.block_named("for.latch");
        let else_bb = self.block_named("for.else");
        let exit = self.block_named("for.exit");
        let pred = if unit_step { IntPredicate::SLT } else { IntPredicate::ULT };
        let mut else_target = else_bb;
        // Ctrl-C: the outermost loop of a function runs in chunks of interrupt::CHUNK iterations
        // and polls before each (the loop itself stays a plain counted loop, which vectorizes).
        // Inner loops, and a loop of at most one chunk known at compile time, do not poll.
        let known_trips = match (init.get_sign_extended_constant(), n.get_sign_extended_constant()) {
            (Some(a), Some(z)) if unit_step => Some((z as i128 - a as i128).max(0) as u128),
            (_, Some(z)) if !unit_step => Some(z as u64 as u128),
            _ => None,
        };
        // A loop around other loops polls once per iteration instead: chunking it changed the
        // shape of the nest (stencil2d ran 5x slower) and costs compile time (a 20-line function
        // took 11 ms instead of 6), a poll at the top of its body does neither. Except a loop
        // around a `while` loop that LLVM may vectorize (no early exit): it runs in short chunks
        // (interrupt::SHORT_CHUNK), since a call in it would keep LLVM from vectorizing it once
        // the inner loop became an idiom (bit_count, whose inner loop is a popcount, ran 10x
        // slower with a poll per iteration).
        // A loop of a few iterations known at compile time (`for d in (-1, 0, 1)`) around other
        // loops does not poll: its inner loops poll as outermost loops would (a poll in each of
        // its iterations kept LLVM from unrolling it: game_of_life's neighbour loops).
        let outermost = self.loops.len() == self.short_loops;
        let short = outermost && known_trips.is_some_and(|t| t <= SHORT_TRIPS);
        let nest = if outermost && !short { inner_loops(body) } else { InnerLoops::None };
        let nest = if nest == InnerLoops::While && exits_early(body) { InnerLoops::For } else { nest };
        let poll_each = nest == InnerLoops::For;
        let chunk_len = if nest == InnerLoops::While { crate::interrupt::SHORT_CHUNK } else { crate::interrupt::CHUNK };
        // Inside a chunk of a `range` whose start is proven non-negative, kv0 <= k < n are all
        // non-negative, so the loop compares unsigned: `k <u min(.., n) <=u n` is what
        // constraint elimination needs to drop an unsigned bounds check `k <u a.shape[0]`.
        let nonneg_start = super::nonneg::lower_bound(start_expr, &self.floors.floors).is_some_and(|lo| lo >= 0);
        let mut signed_head = unit_step;
        let end = if !outermost || poll_each || known_trips.is_some_and(|t| t <= chunk_len as u128) {
            b.build_unconditional_branch(head).u();
            n
        } else {
            let chunk = self.block_named("for.chunk");
            let chunk_body = self.block_named("for.chunk.body");
            b.build_unconditional_branch(chunk).u();
            b.position_at_end(chunk);
            let kv0 = b.build_load(i64t, k, "kv0").u().into_int_value();
            let more0 = b.build_int_compare(pred, kv0, n, "more0").u();
            b.build_conditional_branch(more0, chunk_body, else_bb).u();
            b.position_at_end(chunk_body);
            self.poll_interrupt();
            let b = self.b();
            // The chunk ends at min(kv0 + min(n - kv0, chunk_len), n): kv0 < n, so n - kv0 fits
            // unsigned and the sum cannot overflow. The outer min is the end itself, written so
            // that LLVM sees `end <= n`: constraint elimination then removes the bounds checks of
            // `a[i]` in `for i in range(a.shape[0])` as it does in an unchunked loop (a select
            // between kv0 + chunk_len and n hid that).
            let left = b.build_int_sub(n, kv0, "left").u();
            let chunk_len = self.i64(chunk_len as i64);
            signed_head = unit_step && !nonneg_start;
            let i64t = self.ctx().i64_type().into();
            let umin = self.module_gen.llvm_intrinsic("llvm.umin", &[i64t]);
            let min = self.module_gen.llvm_intrinsic(if signed_head { "llvm.smin" } else { "llvm.umin" }, &[i64t]);
            let len = self.call_basic(umin, &[left.into(), chunk_len.into()]).into_int_value();
            // kv0 + len <= n: no overflow, signed (a `range` from a negative start) or unsigned
            // (a trip count from 0).
            let b = self.b();
            let step_end =
                if unit_step { b.build_int_nsw_add(kv0, len, "chunk.end") } else { b.build_int_nuw_add(kv0, len, "chunk.end") }
                    .u();
            let ce = self.call_basic(min, &[step_end.into(), n.into()]).into_int_value();
            let b = self.b();
            b.build_unconditional_branch(head).u();
            else_target = chunk;
            ce
        };
        let b = self.b();
        b.position_at_end(head);
        let kv = b.build_load(i64t, k, "kv").u().into_int_value();
        let head_pred = if signed_head { IntPredicate::SLT } else { IntPredicate::ULT };
        let more = b.build_int_compare(head_pred, kv, end, "more").u();
        b.build_conditional_branch(more, body_bb, else_target).u();
        b.position_at_end(body_bb);
        if poll_each {
            self.poll_interrupt();
        }
        let b = self.b();
        let i = if unit_step {
            kv
        } else {
            let off = b.build_int_mul(kv, step, "off").u();
            b.build_int_add(start, off, "i").u()
        };
        self.assign(target, i.into(), &Type::Int64);
        // In its own body (where nothing else assigns it) a `range` variable counting up is at
        // least this loop's start: `j - 1` of `range(1, ..)` is proven even if another loop
        // runs j from 0.
        let counts_up = step.get_sign_extended_constant().is_some_and(|s| s > 0);
        let narrowed = match target {
            hir::Target::Local(id, _) if counts_up && !super::nonneg::assigned_in(body, *id) => {
                let own = super::nonneg::lower_bound(start_expr, &self.floors.floors);
                match (self.floors.floors.get(id).copied(), own) {
                    (Some(all), Some(own)) if own > all => {
                        self.floors.floors.insert(*id, own);
                        Some((*id, all))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        self.loops.push((latch, exit));
        self.short_loops += usize::from(short);
        let versioned = plan.is_some();
        self.versions.extend(plan);
        let libm_before = self.module_gen.libm_calls.get();
        self.block(body);
        // Only calls whose arguments change from one iteration to the next count: an invariant
        // one (`math.exp(c)`) is hoisted out of the loop, which then vectorizes.
        let calls_libm = self.module_gen.libm_calls.get() != libm_before && varying_call(target, body);
        if versioned {
            self.versions.pop();
        }
        self.short_loops -= usize::from(short);
        self.loops.pop();
        if let Some((id, all)) = narrowed {
            self.floors.floors.insert(id, all);
        }
        if !self.terminated() {
            self.b().build_unconditional_branch(latch).u();
        }
        let b = self.b();
        b.position_at_end(latch);
        let kv = b.build_load(i64t, k, "kv").u().into_int_value();
        // c < stop <= i64::MAX (or c < n) before the increment: it cannot overflow.
        let k1 =
            if unit_step { b.build_int_nsw_add(kv, self.i64(1), "k1") } else { b.build_int_nuw_add(kv, self.i64(1), "k1") }.u();
        b.build_store(k, k1).u();
        let back = b.build_unconditional_branch(head).u();
        if calls_libm {
            self.module_gen.plain_loop(back);
        } else if checked_copy {
            // Unrolled, it was up to half of a small loop's compile time (each copy of the body
            // with its bounds checks and their error blocks), for the rare run where an index
            // wraps or fails: docs/performance-design.md.
            self.module_gen.no_unroll_loop(back);
        } else if inner_loops(body) == InnerLoops::None && (self.loops.len() >= WINDOW_DEPTH || stores_under_if(body, false)) {
            self.module_gen.no_runtime_unroll_loop(back);
        }
        let b = self.b();
        b.position_at_end(else_bb);
        self.block(orelse);
        if !self.terminated() {
            self.b().build_unconditional_branch(exit).u();
        }
        self.b().position_at_end(exit);
    }
}

/// How many loops around an innermost `for` loop make it a window loop, which LLVM does not
/// unroll by a run-time count (nor a loop that stores under an `if`, [`stores_under_if`]): in the code measured, an innermost loop four deep runs over a
/// small window (a convolution's filter, a correlation's patch: `filter2d`, `fbcorr`, a loop
/// `heat_3d`), where the unrolled loop's remainder and set-up cost more on each entry than the
/// copies save (1.2-1.6x faster without, and a third less to compile), while three deep is
/// where linear algebra's long inner loops are (`floyd_warshall`, `nussinov`, `trisolv` ran
/// 0.8x without): docs/performance-design.md.
const WINDOW_DEPTH: usize = 3;

/// Most iterations of a loop known at compile time to be short enough not to poll itself (its
/// inner loops poll instead).
const SHORT_TRIPS: u128 = 16;

/// The branch weights (fast copy, checked copy) of a versioned loop's test. The fast copy is
/// the one expected to run; weighting it lets the register allocator favour its loop (without
/// weights the checked copy's values pushed a stencil's pointers onto the stack around the
/// `sin` call in its body: 12% of its time under `parallel=True`). Strong weights (2000:1)
/// moved other kernels both ways by 5-12% (block layout); these mild ones: docs/performance-design.md.
const VERSION_WEIGHTS: (u64, u64) = (8, 1);

/// The loops inside a loop's body (not counting loops inside called functions), ordered: a
/// `while` anywhere counts over `for` loops.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum InnerLoops {
    None,
    /// Only `for` loops.
    For,
    /// At least one `while` loop.
    While,
}

/// Whether `stmts` (a loop's body; `inside_if`: under an `if` of it) store to an array element
/// under an `if`: `bubblesort`'s compare-and-swap. Such a loop runs at the speed of its
/// data-dependent branch, and LLVM's unrolling by a run-time count made `bubblesort`'s inner
/// loop 1.5x slower (four copies of the branch); the 11 other such loops of the real-code suite
/// and NPBench were unchanged either way (docs/performance-design.md).
fn stores_under_if(stmts: &[hir::Stmt], inside_if: bool) -> bool {
    fn stores(t: &hir::Target) -> bool {
        match t {
            hir::Target::Index { .. } => true,
            hir::Target::Tuple(items, _) => items.iter().any(stores),
            hir::Target::Local(..) => false,
        }
    }
    stmts.iter().any(|s| match &s.kind {
        S::Assign { targets, .. } => inside_if && targets.iter().any(stores),
        S::AugAssignIndex { .. } => inside_if,
        S::If { body, orelse, .. } => stores_under_if(body, true) || stores_under_if(orelse, true),
        _ => false,
    })
}

fn inner_loops(stmts: &[hir::Stmt]) -> InnerLoops {
    stmts
        .iter()
        .map(|s| match &s.kind {
            S::While { .. } => InnerLoops::While,
            S::ForRange { body, .. } => inner_loops(body).max(InnerLoops::For),
            S::If { .. } | S::Try { .. } => s.kind.blocks().into_iter().map(inner_loops).max().unwrap_or(InnerLoops::None),
            _ => InnerLoops::None,
        })
        .max()
        .unwrap_or(InnerLoops::None)
}

/// Whether `stmts`, as a loop's body, may leave the loop before its end: a `return` anywhere, or a
/// `break` that is not inside an inner loop.
fn exits_early(stmts: &[hir::Stmt]) -> bool {
    fn returns(stmts: &[hir::Stmt]) -> bool {
        stmts.iter().any(|s| match &s.kind {
            S::Return(_) | S::Raise { .. } | S::Reraise => true,
            S::If { .. } | S::While { .. } | S::ForRange { .. } | S::Try { .. } => s.kind.blocks().into_iter().any(returns),
            _ => false,
        })
    }
    fn breaks(stmts: &[hir::Stmt]) -> bool {
        stmts.iter().any(|s| match &s.kind {
            S::Break => true,
            S::If { .. } | S::Try { .. } => s.kind.blocks().into_iter().any(breaks),
            // A loop's `else` runs after it, in the enclosing loop.
            S::While { orelse, .. } | S::ForRange { orelse, .. } => breaks(orelse),
            _ => false,
        })
    }
    returns(stmts) || breaks(stmts)
}

/// Whether the body of a loop over `target` calls a `math` or NumPy function with an argument
/// that may change from one iteration to the next: one that reads the loop variable, a local the
/// body assigns, or an array element.
fn varying_call(target: &hir::Target, body: &[hir::Stmt]) -> bool {
    let mut assigned = Vec::new();
    target_locals(target, &mut assigned);
    let mut stmts: Vec<&hir::Stmt> = body.iter().collect();
    let mut exprs: Vec<&hir::Expr> = Vec::new();
    while let Some(s) = stmts.pop() {
        match &s.kind {
            S::Assign { targets, value } => {
                targets.iter().for_each(|t| target_locals(t, &mut assigned));
                exprs.push(value);
            }
            S::AugAssign { target, value, .. } => {
                assigned.push(*target);
                exprs.push(value);
            }
            S::AugAssignIndex { array, index, value, .. } => exprs.extend([array, index, value]),
            S::Expr(e) | S::Return(Some(e)) => exprs.push(e),
            S::If { test, body, orelse } | S::While { test, body, orelse } => {
                exprs.push(test);
                stmts.extend(body.iter().chain(orelse));
            }
            S::ForRange { target, start, stop, step, body, orelse } => {
                target_locals(target, &mut assigned);
                exprs.extend([start, stop, step]);
                stmts.extend(body.iter().chain(orelse));
            }
            S::Try { .. } => stmts.extend(s.kind.blocks().into_iter().flatten()),
            _ => {}
        }
    }
    let varies = |e: &hir::Expr| {
        let mut todo = vec![e];
        while let Some(e) = todo.pop() {
            match &e.kind {
                H::Local { id, .. } if assigned.contains(id) => return true,
                H::Subscript { .. } | H::Call { .. } | H::CallValue { .. } => return true,
                k => todo.extend(k.children()),
            }
        }
        false
    };
    let mut todo = exprs;
    while let Some(e) = todo.pop() {
        if let H::Intrinsic { f: hir::Intrinsic::Math(_) | hir::Intrinsic::Np(_), args } = &e.kind {
            if args.iter().any(varies) {
                return true;
            }
        }
        todo.extend(e.kind.children());
    }
    false
}

/// The locals a target assigns (by unpacking too), added to `out`.
fn target_locals(t: &hir::Target, out: &mut Vec<hir::LocalId>) {
    match t {
        hir::Target::Local(id, _) => out.push(*id),
        hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| target_locals(t, out)),
        hir::Target::Index { .. } => {}
    }
}
