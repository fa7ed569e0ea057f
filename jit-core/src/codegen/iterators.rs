//! Codegen of iterators ([`Type::Iter`]): an LLVM `{sequence, ptr}` whose pointer is the header
//! of a counted block (`crate::memory`) holding the position, an i64, so that every copy of the
//! iterator (a local, a callee's parameter, a tuple item) advances the one position, as
//! CPython's iterator objects do. `iter(x)`, `next(it[, default])` (the length is read at each
//! call: a list that grew is walked on; once exhausted an iterator stays exhausted), and the
//! `for` loop over an iterator, which advances the shared position before each item.

use inkwell::types::StructType;
use inkwell::values::{BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, ModuleGen};
use crate::abi::array_value as field;
use crate::hir;
use crate::memory;
use crate::types::{ArrayType, Layout, Type};

/// The position an exhausted iterator is left at (beyond any length).
const EXHAUSTED: i64 = i64::MAX;

impl<'ctx> ModuleGen<'_, 'ctx> {
    /// The LLVM type of an iterator over `s`: `{s, ptr}`.
    pub(super) fn iter_llty(&self, s: &Type) -> StructType<'ctx> {
        let ptr = self.ctx.ptr_type(inkwell::AddressSpace::default());
        self.ctx.struct_type(&[self.llty(s), ptr.into()], false)
    }
}

/// The type of the items of a sequence of (carrier) type `s`.
fn item_of(s: &Type) -> Type {
    match s {
        Type::List(t) => (**t).clone(),
        Type::Tuple(ts) => ts.common_item().unwrap_or(Type::None),
        Type::Array(a) if a.ndim == 1 => a.dtype.element().carrier(),
        Type::Array(a) => {
            let layout = if a.layout == Layout::C { Layout::C } else { Layout::A };
            Type::Array(ArrayType { ndim: a.ndim - 1, layout, ..*a })
        }
        Type::Range => Type::Int64,
        Type::Str => Type::Str,
        t => unreachable!("inference makes no iterator over {t}"),
    }
}

impl<'ctx> FnGen<'_, 'ctx> {
    /// `iter(x)`: `x` itself when it is an iterator; else `x` (one more reference to it) and a
    /// new position block at 0, held by `e`'s slot.
    pub(super) fn iter_new(&mut self, e: &hir::Expr, x: &hir::Expr) -> BasicValueEnum<'ctx> {
        let s = self.ty(x);
        let v = self.expr(x);
        if let Type::Iter(_) = s {
            return v;
        }
        let (header, data) = self.call_alloc(self.i64(8), false);
        self.b().build_store(data, self.i64(0)).u();
        self.incref(v, &s);
        let agg = self.module_gen.iter_llty(&s).get_undef();
        let agg = self.b().build_insert_value(agg, v, 0, "iter").u();
        let agg = self.b().build_insert_value(agg, header, 1, "iter").u().into_struct_value();
        self.own_temp(e.id, agg.into(), &self.ty(e));
        agg.into()
    }

    /// The iterator `v` over a sequence of type `from` as one over `to` (the sequence converted
    /// as a variable's value is, the position the same).
    pub(super) fn iter_convert(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let it = v.into_struct_value();
        let seq = self.b().build_extract_value(it, 0, "iter.seq").u();
        let seq = self.cast(seq, from, to);
        let block = self.b().build_extract_value(it, 1, "iter.block").u();
        let agg = self.module_gen.iter_llty(to).get_undef();
        let agg = self.b().build_insert_value(agg, seq, 0, "iter").u();
        self.b().build_insert_value(agg, block, 1, "iter").u().into_struct_value().into()
    }

    /// The sequence of the iterator `it` and the address of its position.
    fn iter_parts(&self, it: StructValue<'ctx>) -> (BasicValueEnum<'ctx>, PointerValue<'ctx>) {
        let seq = self.b().build_extract_value(it, 0, "iter.seq").u();
        let header = self.b().build_extract_value(it, 1, "iter.block").u().into_pointer_value();
        let off = self.i64(memory::DATA_OFFSET as i64);
        let pos = unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), header, &[off], "iter.pos") }.u();
        (seq, pos)
    }

    fn load_pos(&self, pos: PointerValue<'ctx>) -> IntValue<'ctx> {
        self.b().build_load(self.ctx().i64_type(), pos, "k").u().into_int_value()
    }

    /// `next(it)` / `next(it, default)` (of result type `ty`): the default is evaluated first,
    /// as CPython evaluates a call's arguments; exhausted without one, `StopIteration`.
    pub(super) fn iter_next(&mut self, args: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let Type::Iter(s) = self.ty(&args[0]) else { unreachable!("inference allows iterators only") };
        let it = self.expr(&args[0]).into_struct_value();
        let default = args.get(1).map(|d| (self.expr(d), self.ty(d)));
        let (seq, pos) = self.iter_parts(it);
        let k = self.load_pos(pos);
        let n = self.seq_len(seq, &s);
        let more = self.b().build_int_compare(IntPredicate::SLT, k, n, "more").u();
        let (have, done, join) = (self.block_named("next.item"), self.block_named("next.done"), self.block_named("next.join"));
        self.b().build_conditional_branch(more, have, done).u();
        self.b().position_at_end(have);
        let k1 = self.b().build_int_add(k, self.i64(1), "k1").u();
        self.b().build_store(pos, k1).u();
        let item = self.seq_item(seq, &s, k);
        let item = self.cast(item, &item_of(&s), ty);
        let have_end = self.b().get_insert_block().expect("inside a function");
        self.b().build_unconditional_branch(join).u();
        self.b().position_at_end(done);
        self.b().build_store(pos, self.i64(EXHAUSTED)).u();
        let Some((d, dt)) = default else {
            let class = crate::registry::exceptions::raisable("StopIteration").expect("in the table");
            self.raise(class, None);
            self.b().position_at_end(join);
            return item;
        };
        let d = self.cast(d, &dt, ty);
        let done_end = self.b().get_insert_block().expect("inside a function");
        self.b().build_unconditional_branch(join).u();
        self.b().position_at_end(join);
        let phi = self.b().build_phi(self.module_gen.llty(ty), "next").u();
        phi.add_incoming(&[(&item, have_end), (&d, done_end)]);
        phi.as_basic_value()
    }

    /// Whether `stop` is the `len($iterN)` of the loop a `for` over an iterator is lowered to.
    pub(super) fn walks_iterator(&self, stop: &hir::Expr) -> bool {
        let hir::ExprKind::Intrinsic { f: hir::Intrinsic::Len, args } = &stop.kind else { return false };
        let [hir::Expr { kind: hir::ExprKind::Local { id, .. }, .. }] = args.as_slice() else { return false };
        matches!(self.spec.local_types[*id as usize], Type::Iter(_)) && self.hir_fn.locals[*id as usize].name.starts_with("$iter")
    }

    /// `for k in range(len(it))` over an iterator: before each item the shared position is
    /// read, checked against the sequence's length (read again: a list may have grown) and
    /// advanced; `k` is the item's position. Exhausted, the position is left exhausted.
    pub(super) fn iter_walk(&mut self, target: &hir::Target, stop: &hir::Expr, body: &[hir::Stmt], orelse: &[hir::Stmt]) {
        let hir::ExprKind::Intrinsic { args, .. } = &stop.kind else { unreachable!("walks_iterator matched") };
        let Type::Iter(s) = self.ty(&args[0]) else { unreachable!("walks_iterator matched") };
        let (head, body_bb) = (self.block_named("iter.head"), self.block_named("iter.body"));
        let (else_bb, exit) = (self.block_named("iter.else"), self.block_named("iter.exit"));
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(head);
        if self.loops.len() == self.short_loops {
            self.poll_interrupt();
        }
        let it = self.expr(&args[0]).into_struct_value();
        let (seq, pos) = self.iter_parts(it);
        let k = self.load_pos(pos);
        let n = self.seq_len(seq, &s);
        let more = self.b().build_int_compare(IntPredicate::SLT, k, n, "more").u();
        self.b().build_conditional_branch(more, body_bb, else_bb).u();
        self.b().position_at_end(body_bb);
        let k1 = self.b().build_int_add(k, self.i64(1), "k1").u();
        self.b().build_store(pos, k1).u();
        self.assign(target, k.into(), &Type::Int64);
        self.loops.push((head, exit));
        self.walk_body(body, matches!(*s, Type::List(_)));
        self.loops.pop();
        if !self.terminated() {
            self.b().build_unconditional_branch(head).u();
        }
        self.b().position_at_end(else_bb);
        self.b().build_store(pos, self.i64(EXHAUSTED)).u();
        self.block(orelse);
        if !self.terminated() {
            self.b().build_unconditional_branch(exit).u();
        }
        self.b().position_at_end(exit);
    }

    /// `len(it)` in that loop's header (a list comprehension reserves room by it): the items
    /// left.
    pub(super) fn iter_len(&mut self, value: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::Iter(s) = self.ty(value) else { unreachable!("an iterator") };
        let it = self.expr(value).into_struct_value();
        let (seq, pos) = self.iter_parts(it);
        let k = self.load_pos(pos);
        let n = self.seq_len(seq, &s);
        let left = self.b().build_int_sub(n, k, "left").u();
        let some = self.b().build_int_compare(IntPredicate::SGT, left, self.i64(0), "some").u();
        self.b().build_select(some, left, self.i64(0), "left").u()
    }

    /// `it[k]` in that loop's body: the item at the position the header just checked.
    pub(super) fn iter_item(&mut self, value: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::Iter(s) = self.ty(value) else { unreachable!("an iterator") };
        let it = self.expr(value).into_struct_value();
        let k = self.int_operand(index);
        let (seq, _) = self.iter_parts(it);
        self.seq_item(seq, &s, k)
    }

    /// How many items the sequence `seq` (of type `s`) has now.
    pub(super) fn seq_len(&self, seq: BasicValueEnum<'ctx>, s: &Type) -> IntValue<'ctx> {
        match s {
            Type::List(_) => self.list_len(seq.into_pointer_value()),
            Type::Tuple(ts) => self.i64(ts.len() as i64),
            Type::Array(_) => self.dim(seq.into_struct_value(), field::SHAPE, 0),
            Type::Range => self.range_object_len(seq.into_struct_value()),
            Type::Str => self.str_len(seq.into_pointer_value()),
            t => unreachable!("inference makes no iterator over {t}"),
        }
    }

    /// Item `k` (inside the items) of the sequence `seq` of type `s`: borrowed from it (a row
    /// of an array is a view sharing its block; a character of a string is made as `s[k]`
    /// makes it).
    pub(super) fn seq_item(&self, seq: BasicValueEnum<'ctx>, s: &Type, k: IntValue<'ctx>) -> BasicValueEnum<'ctx> {
        match s {
            Type::List(item) => self.load_item(seq.into_pointer_value(), k, item, "iter.item"),
            Type::Tuple(ts) => self.tuple_item_at(seq.into_struct_value(), ts, k),
            Type::Array(a) => self.array_row(seq.into_struct_value(), a, k),
            Type::Range => {
                let r = seq.into_struct_value();
                let start = self.b().build_extract_value(r, 0, "start").u().into_int_value();
                let step = self.b().build_extract_value(r, 2, "step").u().into_int_value();
                let offset = self.b().build_int_mul(k, step, "offset").u();
                self.b().build_int_add(start, offset, "item").u().into()
            }
            Type::Str => self.str_char(seq.into_pointer_value(), k).into(),
            t => unreachable!("inference makes no iterator over {t}"),
        }
    }

    /// Item `k` (inside the items) of a tuple whose items have one type.
    fn tuple_item_at(&self, tuple: StructValue<'ctx>, ts: &[Type], k: IntValue<'ctx>) -> BasicValueEnum<'ctx> {
        let n = ts.len() as u32;
        if n == 0 {
            return self.ctx().i8_type().const_zero().into(); // never read: an empty tuple has no items
        }
        let b = self.b();
        let mut v = b.build_extract_value(tuple, n - 1, "item").u();
        for j in (0..n - 1).rev() {
            let item = b.build_extract_value(tuple, j, "item").u();
            let here = b.build_int_compare(IntPredicate::EQ, k, self.i64(j as i64), "here").u();
            v = b.build_select(here, item, v, "item").u();
        }
        v
    }

    /// Row `k` (inside the first axis) of the array `arr`: its element when it has one axis,
    /// else the view of the rest of the axes.
    fn array_row(&self, arr: StructValue<'ctx>, a: &ArrayType, k: IntValue<'ctx>) -> BasicValueEnum<'ctx> {
        let strides = self.strides(arr, a);
        let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
        let ptr = self.address(data, &[k], &strides[..1]);
        if a.ndim == 1 {
            return self.load_element(ptr, a.dtype);
        }
        let Type::Array(row) = item_of(&Type::Array(*a)) else { unreachable!("a row of an array is an array") };
        let shape: Vec<IntValue<'ctx>> = (1..a.ndim as u32).map(|j| self.dim(arr, field::SHAPE, j)).collect();
        let meminfo = self.b().build_extract_value(arr, field::MEMINFO, "meminfo").u().into_pointer_value();
        self.array_value(&row, ptr, &shape, &strides[1..], meminfo)
    }
}
