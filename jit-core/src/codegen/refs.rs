//! Reference counting of the array blocks compiled code allocates (`crate::memory`): who holds
//! a reference, and where counts go up and down, so that a block is freed when its last holder
//! lets go (a loop making one temporary array per iteration runs in constant memory).
//!
//! The rule is "locals and temporaries own, expressions borrow":
//! * A new array (`np.zeros`, ...) and the array-holding result of a call are *temporaries*:
//!   each is held by a stack slot of its expression (one reference), dropped when the statement
//!   that evaluated it ends, when the slot is filled again, or when the function returns.
//! * Reading a local, a view, a tuple element or a conditional expression gives a borrowed
//!   value, valid while what it came from is held: the locals and the statement's temporaries
//!   outlive every use of it inside the statement. A view carries its base's meminfo.
//! * Storing into a local takes a reference to the new value and then drops the old one's
//!   (arrays inside tuples included). Parameters are locals: a callee takes its own references
//!   at entry, while its caller's values stay held for the whole call; a parameter its body
//!   never assigns takes none and drops none (`borrowed`): the caller's reference covers it.
//! * `return v` takes a reference for the caller; the function then drops everything it holds,
//!   its locals and its temporaries, at its one exit block.
//! * An error return drops nothing: the dispatcher frees every block still live after the call.
//!
//! Memory the caller owns (arguments from Python) has a null meminfo: never counted; the
//! optimizer folds the null checks away wherever the meminfo is known to come from an argument.

use std::collections::HashMap;

use inkwell::basic_block::BasicBlock;
use inkwell::values::{BasicValueEnum, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::hir::{self, ExprId};
use crate::types::Type;

/// The field of an array value holding its block's header (`memory::Header`), or null.
pub(super) const MEMINFO: u32 = crate::abi::array_value::MEMINFO;

/// Whether a value of type `t` holds arrays (whose references are counted).
pub(super) fn holds_arrays(t: &Type) -> bool {
    t.holds_references()
}

/// Per-function state of the counting.
#[derive(Default)]
pub(super) struct Refs<'ctx> {
    /// The slot holding each temporary-making expression's last value.
    slots: HashMap<ExprId, PointerValue<'ctx>>,
    /// Every slot, with the type it holds (all released at the exit).
    all: Vec<(PointerValue<'ctx>, Type)>,
    /// The slots first filled by each statement being generated, innermost last.
    frames: Vec<Vec<(PointerValue<'ctx>, Type)>>,
    /// The block every successful return goes through, and where the value waits meanwhile
    /// (only in functions that hold arrays).
    pub(super) exit: Option<(BasicBlock<'ctx>, PointerValue<'ctx>)>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The meminfos of the arrays inside `v` (of type `t`).
    fn meminfos(&self, v: BasicValueEnum<'ctx>, t: &Type, out: &mut Vec<PointerValue<'ctx>>) {
        match t {
            Type::Array(_) => {
                let m = self.b().build_extract_value(v.into_struct_value(), MEMINFO, "meminfo").u();
                out.push(m.into_pointer_value());
            }
            // A list is its block's address.
            Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str => out.push(v.into_pointer_value()),
            // The sequence's, then the position's block.
            Type::Iter(s) => {
                if holds_arrays(s) {
                    let x = self.b().build_extract_value(v.into_struct_value(), 0, "seq").u();
                    self.meminfos(x, s, out);
                }
                out.push(self.b().build_extract_value(v.into_struct_value(), 1, "pos").u().into_pointer_value());
            }
            // An absent value is zero: its meminfos are null.
            Type::Optional(t) => {
                let x = self.b().build_extract_value(v.into_struct_value(), 1, "value").u();
                self.meminfos(x, t, out);
            }
            Type::Tuple(items) | Type::Closure(_, items) => {
                for (k, it) in items.iter().enumerate() {
                    if holds_arrays(it) {
                        let x = self.b().build_extract_value(v.into_struct_value(), k as u32, "item").u();
                        self.meminfos(x, it, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// One more reference to every array in `v`.
    pub(super) fn incref(&self, v: BasicValueEnum<'ctx>, t: &Type) {
        let mut ms = Vec::new();
        self.meminfos(v, t, &mut ms);
        for m in ms {
            self.count(m, false);
        }
    }

    /// One reference fewer to every array in `v`; a block left with none is freed.
    pub(super) fn decref(&self, v: BasicValueEnum<'ctx>, t: &Type) {
        let mut ms = Vec::new();
        self.meminfos(v, t, &mut ms);
        for m in ms {
            self.count(m, true);
        }
    }

    /// `if m: m.refcount ±= 1` (and `sj_rt_release(m)` when a decrement reaches 0).
    pub(super) fn count(&self, m: PointerValue<'ctx>, down: bool) {
        let i64t = self.ctx().i64_type();
        let counted = self.block_named(if down { "decref" } else { "incref" });
        let done = self.block_named("refs.done");
        let b = self.b();
        let is_null = b.build_is_null(m, "no.meminfo").u();
        b.build_conditional_branch(is_null, done, counted).u();
        b.position_at_end(counted);
        let rc1 = if self.module_gen.parallel {
            // Threads of a parallel loop count references to the blocks they share at once.
            use inkwell::{AtomicOrdering, AtomicRMWBinOp};
            let op = if down { AtomicRMWBinOp::Sub } else { AtomicRMWBinOp::Add };
            let old = b.build_atomicrmw(op, m, self.i64(1), AtomicOrdering::AcquireRelease).u();
            if down { b.build_int_sub(old, self.i64(1), "rc1") } else { b.build_int_add(old, self.i64(1), "rc1") }.u()
        } else {
            let rc = b.build_load(i64t, m, "rc").u().into_int_value();
            let rc1 = if down { b.build_int_sub(rc, self.i64(1), "rc1") } else { b.build_int_add(rc, self.i64(1), "rc1") }.u();
            b.build_store(m, rc1).u();
            rc1
        };
        if down {
            let free = self.block_named("release");
            let last = b.build_int_compare(IntPredicate::EQ, rc1, self.i64(0), "last").u();
            b.build_conditional_branch(last, free, done).u();
            b.position_at_end(free);
            let release = self.helper(Helper::Release);
            b.build_call(release, &[m.into()], "").u();
        }
        b.build_unconditional_branch(done).u();
        b.position_at_end(done);
    }

    /// `v`, the value of `e` just made (a new array, a call's result), held by `e`'s slot
    /// until its statement ends; the slot's previous value, if still held, is dropped.
    pub(super) fn own_temp(&mut self, e: ExprId, v: BasicValueEnum<'ctx>, t: &Type) {
        if !holds_arrays(t) {
            return;
        }
        let slot = match self.refs.slots.get(&e) {
            Some(s) => *s,
            None => {
                let s = self.zeroed_slot(t, "temp");
                self.refs.slots.insert(e, s);
                self.refs.all.push((s, t.clone()));
                if let Some(frame) = self.refs.frames.last_mut() {
                    frame.push((s, t.clone()));
                }
                s
            }
        };
        let old = self.b().build_load(self.module_gen.llty(t), slot, "temp.old").u();
        self.b().build_store(slot, v).u();
        self.decref(old, t);
    }

    /// Generates `s`, then drops the temporaries its own expressions made (those of nested
    /// statements are dropped at their end).
    pub(super) fn stmt_releasing(&mut self, s: &hir::Stmt) {
        self.refs.frames.push(Vec::new());
        let outer = self.site;
        if let Some(&site) = self.module_gen.sites.get(&(s as *const hir::Stmt)) {
            self.site = Some(site);
        }
        self.stmt(s);
        self.site = outer;
        let frame = self.refs.frames.pop().unwrap_or_default();
        if !self.terminated() {
            for (slot, t) in frame {
                self.release_slot(slot, &t);
            }
        }
    }

    fn release_slot(&self, slot: PointerValue<'ctx>, t: &Type) {
        let ty = self.module_gen.llty(t);
        let v = self.b().build_load(ty, slot, "held").u();
        self.b().build_store(slot, ty.const_zero()).u();
        self.decref(v, t);
    }

    /// At the exit: drops what the locals and the temporaries hold.
    pub(super) fn release_all(&self) {
        for (i, t) in self.spec.local_types.iter().enumerate() {
            if holds_arrays(t) && !self.borrowed.get(i).copied().unwrap_or(false) {
                let v = self.b().build_load(self.module_gen.llty(t), self.locals[i], "local").u();
                self.decref(v, t);
            }
        }
        for (slot, t) in &self.refs.all {
            let v = self.b().build_load(self.module_gen.llty(t), *slot, "held").u();
            self.decref(v, t);
        }
    }

    /// A stack slot in the entry block holding zero (null meminfos) from the function's start.
    fn zeroed_slot(&self, t: &Type, name: &str) -> PointerValue<'ctx> {
        let entry = self.function.get_first_basic_block().expect("the entry block exists");
        let b = self.ctx().create_builder();
        match entry.get_first_instruction() {
            Some(first) => b.position_before(&first),
            None => b.position_at_end(entry),
        }
        let ty = self.module_gen.llty(t);
        let slot = b.build_alloca(ty, name).u();
        b.build_store(slot, ty.const_zero()).u();
        slot
    }
}
