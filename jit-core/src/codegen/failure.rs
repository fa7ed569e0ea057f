//! How compiled code fails: the status word a failure returns (with the site of the statement
//! that failed, `traceback`), the cold branch to it, the stack check of recursive functions and
//! the Ctrl-C poll.

use inkwell::basic_block::BasicBlock;
use inkwell::module::Linkage;
use inkwell::values::{BasicValue, IntValue};
use inkwell::IntPredicate;

use super::{abi, Built, Cold, FnGen, Helper};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Returns the failure `status` (or goes to the enclosing `try`'s clauses), with the site of
    /// the statement being compiled in its word unless it has one already (a word a callee or a
    /// parallel loop's chunk returned keeps its own).
    pub(super) fn ret_status(&self, status: IntValue<'ctx>) {
        self.exact_first_if_deferred();
        let Some(site) = self.site else { return self.ret_status_as_is(status) };
        let word = |code: u64| crate::runtime::status_word(code as u32, site) as u64;
        let status_t = self.module_gen.status_llty();
        let tagged = match status.get_zero_extended_constant() {
            Some(c) if crate::runtime::status_place(c as u32).is_none() => status_t.const_int(word(c), false),
            Some(_) => status,
            None => {
                let b = self.b();
                let place =
                    b.build_right_shift(status, status_t.const_int(crate::runtime::CODE_BITS as u64, false), false, "place").u();
                let none = b.build_int_compare(IntPredicate::EQ, place, status_t.const_zero(), "no.place").u();
                let with = b.build_or(status, status_t.const_int(word(0), false), "at.site").u();
                b.build_select(none, with, status, "word").u().into_int_value()
            }
        };
        self.ret_status_as_is(tagged)
    }

    /// [`FnGen::ret_status`] of a word that goes on as it is: a callee's (which says where it
    /// failed itself), or an interrupt's.
    pub(super) fn ret_status_as_is(&self, status: IntValue<'ctx>) {
        // Inside a `try` body: to its `except` clauses instead.
        if let Some(&(dispatch, slot)) = self.try_frames.last() {
            self.b().build_store(slot, status).u();
            self.b().build_unconditional_branch(dispatch).u();
            return;
        }
        if self.ret_ptr.is_some() {
            self.b().build_return(Some(&status)).u();
            return;
        }
        let st = self.module_gen.ret_struct(&self.spec.ret);
        let agg = st.get_undef();
        let agg = self.b().build_insert_value(agg, status, abi::inner::STATUS, "rs").u();
        self.b().build_return(Some(&agg.as_basic_value_enum())).u();
    }

    /// A conditional branch whose `cold` side is an error path (or, for boundscheck=False, a
    /// negative index): branch weights tell LLVM so, which lays that side out of line, keeps
    /// it from being turned into a select, and lets the loop unroller treat the exit as rare.
    pub(super) fn branch_cold(&self, cond: IntValue<'ctx>, then_bb: BasicBlock<'ctx>, else_bb: BasicBlock<'ctx>, cold: Cold) {
        // __builtin_expect's weights (LLVM's LikelyBranchWeight).
        let weights = match cold {
            Cold::Then => (1, 2000),
            Cold::Else => (2000, 1),
        };
        self.branch_weighted(cond, then_bb, else_bb, weights);
    }

    /// A conditional branch with LLVM branch weights `(then, else)`.
    pub(super) fn branch_weighted(
        &self,
        cond: IntValue<'ctx>,
        then_bb: BasicBlock<'ctx>,
        else_bb: BasicBlock<'ctx>,
        (then_w, else_w): (u64, u64),
    ) {
        let br = self.b().build_conditional_branch(cond, then_bb, else_bb).u();
        let i32t = self.ctx().i32_type();
        let weights = self.ctx().metadata_node(&[
            self.ctx().metadata_string("branch_weights").into(),
            i32t.const_int(then_w, false).into(),
            i32t.const_int(else_w, false).into(),
        ]);
        br.set_metadata(weights, self.ctx().get_kind_id("prof")).expect("branch weights on a branch");
    }

    /// If `failed`, return `status` from the function; code after this runs only when it did not.
    pub(super) fn fail_if(&self, failed: IntValue<'ctx>, status: u32) {
        if failed.get_zero_extended_constant() == Some(0) {
            return; // cannot fail: no branch for the optimizer to remove
        }
        self.on_failure(failed, |fn_gen| fn_gen.ret_status(fn_gen.module_gen.status_llty().const_int(status as u64, false)));
    }

    /// If `failed`, run `raise` on a cold path (it ends the function: a returned status); code
    /// after this runs only when it did not fail.
    pub(super) fn on_failure(&self, failed: IntValue<'ctx>, raise: impl FnOnce(&Self)) {
        let bad = self.block_named("raise");
        let good = self.block_named("ok");
        self.branch_cold(failed, bad, good, Cold::Then);
        self.b().position_at_end(bad);
        raise(self);
        self.b().position_at_end(good);
    }

    /// Recursion as deep as the stack allows raises RecursionError instead of overflowing it:
    /// a function that may recurse first compares the stack pointer with the stack limit the
    /// entry got from the runtime (`runtime::sj_rt_stack_limit`) and, below it, calls
    /// `sj_rt_stack_overflow`, which does not return (cpp/guard.cpp): not a status to check.
    pub(super) fn check_stack(&mut self) {
        let Some(limit) = self.stack_limit else { return };
        let i64t = self.ctx().i64_type();
        let read_register = self.module_gen.llvm_intrinsic("llvm.read_register", &[i64t.into()]);
        // Code is compiled for the host, so the host's name of the stack pointer register.
        let sp_name = if cfg!(target_arch = "aarch64") { "sp" } else { "rsp" };
        let reg = self.ctx().metadata_node(&[self.ctx().metadata_string(sp_name).into()]);
        let sp = self.b().build_call(read_register, &[reg.into()], "sp").u();
        let inkwell::values::ValueKind::Basic(sp) = sp.try_as_basic_value() else { unreachable!() };
        let deep = self.b().build_int_compare(IntPredicate::ULT, sp.into_int_value(), limit, "too_deep").u();
        let overflow = self.block_named("stack.overflow");
        let ok = self.block_named("stack.ok");
        self.branch_cold(deep, overflow, ok, Cold::Then);
        self.b().position_at_end(overflow);
        let handler = self.module_gen.helper(Helper::StackOverflow);
        self.b().build_call(handler, &[], "").u();
        self.b().build_unreachable().u();
        self.b().position_at_end(ok);
    }

    /// Ctrl-C: a `volatile` read of the runtime's interrupt flag (`interrupt::SJ_RT_INTERRUPT`,
    /// set by the SIGINT handler) and, on the cold side when it is set, a call of `sj_rt_poll`,
    /// which runs Python's signal handlers; when one raised, the function returns that status
    /// and the exception reaches the caller (KeyboardInterrupt).
    pub(super) fn poll_interrupt(&mut self) {
        let i32t = self.ctx().i32_type();
        let module = self.module_gen.module;
        let flag = module.get_global("sj_rt_interrupt").unwrap_or_else(|| {
            let g = module.add_global(i32t, None, "sj_rt_interrupt");
            g.set_linkage(Linkage::External);
            g
        });
        let v = self.b().build_load(i32t, flag.as_pointer_value(), "interrupt").u();
        v.as_instruction_value().expect("a load").set_volatile(true).expect("loads can be volatile");
        let set = self.b().build_int_compare(IntPredicate::NE, v.into_int_value(), i32t.const_zero(), "interrupted").u();
        let poll = self.block_named("interrupt.poll");
        let go_on = self.block_named("interrupt.done");
        self.branch_cold(set, poll, go_on, Cold::Then);
        self.b().position_at_end(poll);
        let poll_fn = self.module_gen.helper(Helper::Poll);
        let st = self.b().build_call(poll_fn, &[], "poll").u();
        let inkwell::values::ValueKind::Basic(st) = st.try_as_basic_value() else { unreachable!("sj_rt_poll returns i32") };
        let st = st.into_int_value();
        let raised = self.b().build_int_compare(IntPredicate::NE, st, i32t.const_zero(), "raised").u();
        self.on_failure(raised, |fn_gen| fn_gen.ret_status_as_is(st));
        self.b().build_unconditional_branch(go_on).u();
        self.b().position_at_end(go_on);
    }
}
