//! Codegen of `try`/`except`/`else`/`finally` and of a bare `raise`: a failure in a `try` body
//! (any status [`FnGen::ret_status`] would return) goes to a block that tests the `except`
//! clauses in order against the classes of its exception (`runtime::sj_rt_exception_mro`);
//! none matching, the status goes on up, after the `finally` body.

use inkwell::values::PointerValue;
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::hir;

/// An enclosing `try` statement's `finally` body, which a `return`, `break` or `continue`
/// leaving the statement runs first ([`FnGen::run_finally`]), with the depths of the stacks
/// of `FnGen` outside the statement.
pub(super) struct Finally {
    /// A copy of the body (compiled once per way out).
    body: Vec<hir::Stmt>,
    /// How many loops enclose the statement.
    loops: usize,
    try_frames: usize,
    handling: usize,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `try: body`, `handlers`, `else: orelse`, `finally: finalbody`. The `finally` body is
    /// generated once per way out: after the statement ends normally, before an exception no
    /// clause catches goes on up, before one raised in a clause or in `else` does, and before
    /// each `return`, `break` and `continue` that leaves the statement ([`FnGen::run_finally`]).
    pub(super) fn try_stmt(
        &mut self,
        body: &[hir::Stmt],
        handlers: &[hir::Handler],
        orelse: &[hir::Stmt],
        finalbody: &[hir::Stmt],
    ) {
        let status_t = self.module_gen.status_llty();
        let slot = self.entry_alloca(status_t, "exc.status");
        let dispatch = self.block_named("try.dispatch");
        let done = self.block_named("try.done");
        // Exceptions from the `else` body and the clauses run `finally` first.
        let unwind =
            (!finalbody.is_empty()).then(|| (self.block_named("finally.unwind"), self.entry_alloca(status_t, "fin.status")));

        if !finalbody.is_empty() {
            self.finally.push(Finally {
                body: finalbody.to_vec(),
                loops: self.loops.len(),
                try_frames: self.try_frames.len(),
                handling: self.handling.len(),
            });
        }
        self.try_frames.push((dispatch, slot));
        self.block(body);
        self.try_frames.pop();
        if !self.terminated() {
            self.guarded(unwind, |g| g.block(orelse));
            if !self.terminated() {
                self.b().build_unconditional_branch(done).u();
            }
        }

        self.b().position_at_end(dispatch);
        let st = self.b().build_load(status_t, slot, "exc").u().into_int_value();
        let mro_fn = self.helper(Helper::ExceptionMro);
        let mro = self.call_basic(mro_fn, &[st.into()]).into_int_value();
        let bits_t = self.ctx().i64_type();
        for h in handlers {
            let mask = bits_t.const_int(h.mask, false);
            let hit = self.b().build_and(mro, mask, "caught").u();
            let hit = self.b().build_int_compare(IntPredicate::NE, hit, bits_t.const_zero(), "is.caught").u();
            let (handler, next) = (self.block_named("except"), self.block_named("except.next"));
            self.b().build_conditional_branch(hit, handler, next).u();
            self.b().position_at_end(handler);
            self.handling.push(slot);
            self.guarded(unwind, |g| g.block(&h.body));
            self.handling.pop();
            if !self.terminated() {
                self.b().build_unconditional_branch(done).u();
            }
            self.b().position_at_end(next);
        }
        if !finalbody.is_empty() {
            self.finally.pop();
        }
        // Caught by no clause: `finally`, then on up.
        self.propagate_after(finalbody, slot);

        if let Some((unwind_bb, unwind_slot)) = unwind {
            self.b().position_at_end(unwind_bb);
            self.propagate_after(finalbody, unwind_slot);
        }
        self.b().position_at_end(done);
        self.block(finalbody);
    }

    /// Before a `return` (`loops` None) or a `break`/`continue` out of the innermost of `loops`
    /// enclosing loops: the `finally` bodies of the `try` statements it leaves, innermost first,
    /// each compiled as it runs outside its statement (a failure in it goes to the `try`
    /// statements around that one). False when one of them left itself (returned, raised): the
    /// exit that asked is then not reached.
    pub(super) fn run_finally(&mut self, loops: Option<usize>) -> bool {
        for k in (0..self.finally.len()).rev() {
            let f = &self.finally[k];
            if loops.is_some_and(|depth| f.loops < depth) {
                break; // around the loop left: not left
            }
            let (body, try_depth, handling_depth) = (f.body.clone(), f.try_frames, f.handling);
            let try_frames = self.try_frames.split_off(try_depth);
            let handling = self.handling.split_off(handling_depth);
            let finally = self.finally.split_off(k);
            self.block(&body);
            self.try_frames.extend(try_frames);
            self.handling.extend(handling);
            self.finally.extend(finally);
            if self.terminated() {
                return false;
            }
        }
        true
    }

    /// `return v` inside `try` statements with `finally`: their bodies, then the return (unless
    /// one of them left first). A function that holds arrays takes the reference to `v`'s
    /// arrays before the bodies run, so that one assigning the local `v` came from does not free
    /// it (a `finally` that itself returns or raises then leaves that reference behind: a leak
    /// only in code that discards a return value so).
    pub(super) fn ret_ok_after_finally(&mut self, v: inkwell::values::BasicValueEnum<'ctx>) {
        let Some((exit, value)) = self.refs.exit else {
            if self.run_finally(None) {
                self.emit_return(v);
            }
            return;
        };
        self.incref(v, &self.spec.ret);
        if self.run_finally(None) {
            self.b().build_store(value, v).u();
            self.b().build_unconditional_branch(exit).u();
        }
    }

    /// Runs `gen` with failures going to `unwind` (when there is one: a `finally` to run first).
    fn guarded(
        &mut self,
        unwind: Option<(inkwell::basic_block::BasicBlock<'ctx>, PointerValue<'ctx>)>,
        gen: impl FnOnce(&mut Self),
    ) {
        if let Some(frame) = unwind {
            self.try_frames.push(frame);
        }
        gen(self);
        if unwind.is_some() {
            self.try_frames.pop();
        }
    }

    /// `finalbody`, then the status waiting in `slot` returned (or given to an enclosing `try`).
    fn propagate_after(&mut self, finalbody: &[hir::Stmt], slot: PointerValue<'ctx>) {
        self.block(finalbody);
        if !self.terminated() {
            let st = self.b().build_load(self.module_gen.status_llty(), slot, "exc").u().into_int_value();
            self.ret_status(st);
        }
    }

    /// A bare `raise`: the exception the innermost `except` clause handles, raised again.
    pub(super) fn reraise(&mut self) {
        let slot = *self.handling.last().expect("lowering allows a bare raise only in an except clause");
        let st = self.b().build_load(self.module_gen.status_llty(), slot, "reraise").u().into_int_value();
        self.ret_status(st);
    }
}
