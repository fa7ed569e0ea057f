//! Lists in compiled code: a list value is the address of its block (`crate::list`); this
//! module makes lists (literals), reads and writes their items with Python's index rules,
//! appends and pops, and converts a list to another item type.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, Cold, FnGen, Helper};
use crate::hir::{self, ListMethod};
use crate::list::{CAP, ITEMS, LEN};
use crate::runtime::Status;
use crate::types::Type;

mod reduce;

/// What a list access touches, for LLVM's type-based alias analysis: a list's length and
/// capacity, its items pointer, and its items are three kinds of memory no access of another
/// kind reaches, so a loop storing items (`sieve[j] = False`) keeps the length and the items
/// pointer in registers. (Accesses without a tag, arrays', may alias anything, as before.)
/// A loop [`FnGen::loop_open`] began: its head, the block after it, the counter's phi and value.
pub(super) struct OpenLoop<'ctx> {
    head: inkwell::basic_block::BasicBlock<'ctx>,
    done: inkwell::basic_block::BasicBlock<'ctx>,
    phi: inkwell::values::PhiValue<'ctx>,
    pub(super) k: IntValue<'ctx>,
}

#[derive(Clone, Copy)]
enum ListMemory {
    Header,
    ItemsPointer,
    Item,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Tags the load or store `inst` with the TBAA access tag of `what`.
    fn tag(&self, inst: Option<inkwell::values::InstructionValue<'ctx>>, what: ListMemory) {
        let Some(inst) = inst else { return };
        let ctx = self.ctx();
        let name = match what {
            ListMemory::Header => "list header",
            ListMemory::ItemsPointer => "list items pointer",
            ListMemory::Item => "list item",
        };
        let root = ctx.metadata_node(&[ctx.metadata_string("stickyjit list tbaa").into()]);
        let zero = ctx.i64_type().const_zero();
        let ty = ctx.metadata_node(&[ctx.metadata_string(name).into(), root.into(), zero.into()]);
        let access = ctx.metadata_node(&[ty.into(), ty.into(), zero.into()]);
        inst.set_metadata(access, ctx.get_kind_id("tbaa")).expect("tbaa on a load or store");
    }

    fn tagged_load(
        &self,
        ty: inkwell::types::BasicTypeEnum<'ctx>,
        p: PointerValue<'ctx>,
        what: ListMemory,
        name: &str,
    ) -> BasicValueEnum<'ctx> {
        let v = self.b().build_load(ty, p, name).u();
        self.tag(inkwell::values::BasicValue::as_instruction_value(&v), what);
        v
    }

    fn tagged_store(&self, p: PointerValue<'ctx>, v: impl inkwell::values::BasicValue<'ctx>, what: ListMemory) {
        let st = self.b().build_store(p, v).u();
        self.tag(Some(st), what);
    }

    /// Reads item `at` of the list `h` (of `item`s).
    pub(super) fn load_item(&self, h: PointerValue<'ctx>, at: IntValue<'ctx>, item: &Type, name: &str) -> BasicValueEnum<'ctx> {
        self.tagged_load(self.module_gen.llty(item), self.item_ptr(h, at, item), ListMemory::Item, name)
    }

    /// Writes `v` as item `at` of the list `h`.
    pub(super) fn store_item(&self, h: PointerValue<'ctx>, at: IntValue<'ctx>, item: &Type, v: BasicValueEnum<'ctx>) {
        if item.holds_references() {
            // A string, array or list in a list is pinned: the list holds a reference it never
            // drops, and the block lives until the call returns (the dispatcher frees it with
            // the call's other blocks, or hands it to Python in what the call returns). Lists
            // do not count their items' references.
            self.incref(v, item);
        }
        self.tagged_store(self.item_ptr(h, at, item), v, ListMemory::Item);
    }

    /// The address of the field `offset` bytes into the list block `h`.
    fn list_field(&self, h: PointerValue<'ctx>, offset: u64) -> PointerValue<'ctx> {
        let i8t = self.ctx().i8_type();
        // SAFETY: inside the block (its payload follows the header).
        unsafe { self.b().build_in_bounds_gep(i8t, h, &[self.i64(offset as i64)], "list.field").u() }
    }

    pub(super) fn list_len(&self, h: PointerValue<'ctx>) -> IntValue<'ctx> {
        let p = self.list_field(h, LEN);
        self.tagged_load(self.ctx().i64_type().into(), p, ListMemory::Header, "list.len").into_int_value()
    }

    fn list_items(&self, h: PointerValue<'ctx>) -> PointerValue<'ctx> {
        let p = self.list_field(h, ITEMS);
        let ptr = self.ctx().ptr_type(inkwell::AddressSpace::default());
        self.tagged_load(ptr.into(), p, ListMemory::ItemsPointer, "list.items").into_pointer_value()
    }

    fn item_size(&self, item: &Type) -> IntValue<'ctx> {
        use inkwell::types::BasicType;
        self.module_gen.llty(item).size_of().expect("a sized item type")
    }

    fn item_ptr(&self, h: PointerValue<'ctx>, at: IntValue<'ctx>, item: &Type) -> PointerValue<'ctx> {
        let items = self.list_items(h);
        // SAFETY: `at` was checked against the length (or is the slot just made room for).
        unsafe { self.b().build_in_bounds_gep(self.module_gen.llty(item), items, &[at], "list.item").u() }
    }

    /// A new list with room for `cap` items (MemoryError when the memory is not there).
    pub(super) fn list_new(&self, item: &Type, cap: IntValue<'ctx>) -> PointerValue<'ctx> {
        let f = self.helper(Helper::ListNew);
        let size = self.item_size(item);
        let h = self.call_basic(f, &[size.into(), cap.into()]).into_pointer_value();
        let null = self.b().build_is_null(h, "list.null").u();
        self.fail_if(null, Status::OutOfMemory as u32);
        h
    }

    /// `i` as a position in the list of `len` items (a negative `i` counts from the end, once);
    /// outside, the function returns `status`.
    fn list_position(&self, i: IntValue<'ctx>, len: IntValue<'ctx>, status: Status) -> IntValue<'ctx> {
        let b = self.b();
        let negative = b.build_int_compare(IntPredicate::SLT, i, self.i64(0), "neg").u();
        let wrapped = b.build_int_add(i, len, "wrapped").u();
        let at = b.build_select(negative, wrapped, i, "at").u().into_int_value();
        let outside = b.build_int_compare(IntPredicate::UGE, at, len, "outside").u();
        self.fail_if(outside, status as u32);
        at
    }

    /// `[a, b, ...]` of type `ty`: a new list, held by the expression's slot.
    pub(super) fn list_literal(&mut self, e: &hir::Expr, items: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let item = match &ty {
            Type::List(t) => (**t).clone(),
            _ => unreachable!("inference types a list literal as a list"),
        };
        let values: Vec<(BasicValueEnum<'ctx>, Type)> = items.iter().map(|x| (self.expr(x), self.ty(x))).collect();
        let n = self.i64(items.len() as i64);
        let h = self.list_new(&item, n);
        for (k, (v, t)) in values.into_iter().enumerate() {
            let v = self.cast(v, &t, &item);
            self.store_item(h, self.i64(k as i64), &item, v);
        }
        self.set_len(h, n);
        self.own_temp(e.id, h.into(), &ty);
        h.into()
    }

    /// Makes the list `h` hold the items of the list `from` (of the same item type), in place:
    /// `l += v` and `l *= n` change the list itself, as CPython's do, so every name for it sees
    /// the new items.
    pub(super) fn list_replace_items(&self, h: PointerValue<'ctx>, from: PointerValue<'ctx>, item: &Type) {
        let n = self.list_len(from);
        self.list_reserve(h, item, n);
        self.copy_items((from, item), n, |_, k| k, (h, item), self.i64(0));
        self.set_len(h, n);
    }

    /// `l[i]`; `l[a:b:c]` (a new list, held by the expression's slot).
    pub(super) fn list_load(&mut self, e: &hir::Expr, list: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        if let hir::ExprKind::Slice { lower, upper, step } = &index.kind {
            let len = self.list_len(h);
            let (start, n, step) = self.slice(lower, upper, step, len);
            let out = self.list_new(&item, n);
            let at = |g: &Self, k: IntValue<'ctx>| {
                let off = g.b().build_int_mul(k, step, "off").u();
                g.b().build_int_add(start, off, "src").u()
            };
            self.copy_items((h, &item), n, at, (out, &item), self.i64(0));
            self.set_len(out, n);
            self.own_temp(e.id, out.into(), &self.ty(e));
            return out.into();
        }
        let i = self.expr(index);
        self.list_get(h, i, &self.ty(index), &item)
    }

    /// Item `i` (of type `it`) of the list `h` of `item`s, with Python's index rules.
    pub(super) fn list_get(
        &self,
        h: PointerValue<'ctx>,
        i: BasicValueEnum<'ctx>,
        it: &Type,
        item: &Type,
    ) -> BasicValueEnum<'ctx> {
        let i = self.as_index(i, it);
        let at = self.list_position(i, self.list_len(h), Status::ListIndex);
        self.load_item(h, at, item, "list.get")
    }

    /// `v` (of type `from`) stored as item `i` (of type `it`) of the list `h` of `item`s.
    pub(super) fn list_set(
        &self,
        h: PointerValue<'ctx>,
        i: BasicValueEnum<'ctx>,
        it: &Type,
        item: &Type,
        v: BasicValueEnum<'ctx>,
        from: &Type,
    ) {
        let i = self.as_index(i, it);
        let at = self.list_position(i, self.list_len(h), Status::ListAssignIndex);
        let v = self.cast(v, from, item);
        self.store_item(h, at, item, v);
    }

    /// `l[i] = v`.
    pub(super) fn list_store(&mut self, list: &hir::Expr, index: &hir::Expr, v: BasicValueEnum<'ctx>, from: &Type) {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        let i = self.expr(index);
        self.list_set(h, i, &self.ty(index), &item, v, from);
    }

    /// Room for `need` items in the list `h` (MemoryError when the memory is not there).
    fn list_reserve(&self, h: PointerValue<'ctx>, item: &Type, need: IntValue<'ctx>) {
        let cap = self
            .tagged_load(self.ctx().i64_type().into(), self.list_field(h, CAP), ListMemory::Header, "list.cap")
            .into_int_value();
        let full = self.b().build_int_compare(IntPredicate::SGT, need, cap, "full").u();
        let (grow, go) = (self.block_named("list.grow"), self.block_named("list.roomy"));
        self.branch_cold(full, grow, go, Cold::Then);
        self.b().position_at_end(grow);
        let f = self.helper(Helper::ListGrow);
        let ok = self.call_basic(f, &[h.into(), self.item_size(item).into(), need.into()]).into_int_value();
        let failed = self.b().build_not(ok, "nomem").u();
        self.fail_if(failed, Status::OutOfMemory as u32);
        self.b().build_unconditional_branch(go).u();
        self.b().position_at_end(go);
    }

    pub(super) fn set_len(&self, h: PointerValue<'ctx>, n: IntValue<'ctx>) {
        self.tagged_store(self.list_field(h, LEN), n, ListMemory::Header);
    }

    /// Moves items `from..len` of `h` to start at `to` (memmove).
    fn shift_items(&self, h: PointerValue<'ctx>, item: &Type, from: IntValue<'ctx>, to: IntValue<'ctx>, len: IntValue<'ctx>) {
        let b = self.b();
        let count = b.build_int_sub(len, from, "count").u();
        let bytes = b.build_int_mul(count, self.item_size(item), "bytes").u();
        let (src, dst) = (self.item_ptr(h, from, item), self.item_ptr(h, to, item));
        self.b().build_memmove(dst, 1, src, 1, bytes).u();
    }

    /// The first position in `h` (of `len` items) whose item equals `v`, or -1.
    fn list_find(&self, h: PointerValue<'ctx>, item: &Type, v: BasicValueEnum<'ctx>, vt: &Type) -> IntValue<'ctx> {
        let i64t = self.ctx().i64_type();
        let found = self.entry_alloca(i64t, "found");
        self.b().build_store(found, self.i64(-1)).u();
        let len = self.list_len(h);
        let (head, body, next, done) = (
            self.block_named("find.head"),
            self.block_named("find.body"),
            self.block_named("find.next"),
            self.block_named("find.done"),
        );
        let k = self.entry_alloca(i64t, "fk");
        self.b().build_store(k, self.i64(0)).u();
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(head);
        let kv = self.b().build_load(i64t, k, "fkv").u().into_int_value();
        let more = self.b().build_int_compare(IntPredicate::SLT, kv, len, "more").u();
        self.b().build_conditional_branch(more, body, done).u();
        self.b().position_at_end(body);
        let x = self.load_item(h, kv, item, "x");
        let eq = self.compare(crate::ast::CmpOp::Eq, x, &item.carrier(), v, &vt.carrier());
        let hit = self.block_named("find.hit");
        self.b().build_conditional_branch(eq, hit, next).u();
        self.b().position_at_end(hit);
        self.b().build_store(found, kv).u();
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(next);
        let k1 = self.b().build_int_add(kv, self.i64(1), "fk1").u();
        self.b().build_store(k, k1).u();
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(done);
        self.b().build_load(i64t, found, "pos").u().into_int_value()
    }

    /// The runtime's code for items of type `item` (`list::ItemKind`), and `v` as the i64 the
    /// runtime takes.
    fn item_kind(&self, item: &Type) -> i32 {
        use crate::list::ItemKind;
        (match item.carrier() {
            Type::Bool => ItemKind::Bool,
            Type::Int64 => ItemKind::Int64,
            Type::UInt64 => ItemKind::UInt64,
            _ => ItemKind::Float64,
        }) as i32
    }

    /// `l.append(v)`, `l.pop()`, `l.sort()`, `x in l`, `sorted(l)`, ... (`alt`: an array's
    /// `copy()`/`sort()` when `list` is not a list).
    pub(super) fn list_method(
        &mut self,
        e: &hir::Expr,
        method: ListMethod,
        list: &hir::Expr,
        args: &[hir::Expr],
        alt: Option<&hir::Expr>,
    ) -> BasicValueEnum<'ctx> {
        let lt = self.ty(list);
        if method == ListMethod::Contains {
            return self.contains(list, &args[0]);
        }
        let Type::List(item) = lt else {
            return self.expr(alt.expect("inference typed the array's method"));
        };
        let item = *item;
        let h = self.expr(list).into_pointer_value();
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let none = self.ctx().i8_type().const_zero().into();
        let len = self.list_len(h);
        let one = self.i64(1);
        match method {
            ListMethod::Append | ListMethod::AppendReserved => {
                let (v, t) = &vals[0];
                let v = self.cast(*v, t, &item);
                let need = self.b().build_int_add(len, one, "need").u();
                // A comprehension's append after `Reserve` made room: no test, unless its loop
                // walks a list iterator, whose list the body may have made longer than the room.
                if method == ListMethod::Append || self.growable_walks.last() == Some(&self.loops.len()) {
                    self.list_reserve(h, &item, need);
                }
                self.store_item(h, len, &item, v);
                self.set_len(h, need);
                none
            }
            ListMethod::Reserve => {
                // Room for the items of `range(start, stop, step)`: ceil((stop - start) / step)
                // when positive (a zero step makes none: the loop raises).
                let [(start, st), (stop, sp), (step, sd)] = &vals[..] else { unreachable!("lowering gives three bounds") };
                let (start, stop, step) = (self.as_index(*start, st), self.as_index(*stop, sp), self.as_index(*step, sd));
                let b = self.b();
                let zero = self.i64(0);
                let up = b.build_int_compare(IntPredicate::SGT, step, zero, "up").u();
                let (lo, hi) = (b.build_select(up, start, stop, "lo").u(), b.build_select(up, stop, start, "hi").u());
                let span = b.build_int_sub(hi.into_int_value(), lo.into_int_value(), "span").u();
                let neg = b.build_int_neg(step, "negstep").u();
                let mag = b.build_select(up, step, neg, "mag").u().into_int_value();
                let mag =
                    b.build_select(b.build_int_compare(IntPredicate::EQ, step, zero, "zero").u(), self.i64(1), mag, "mag").u();
                let m1 = b.build_int_sub(mag.into_int_value(), one, "m1").u();
                let count = b.build_int_signed_div(b.build_int_add(span, m1, "ceil").u(), mag.into_int_value(), "count").u();
                let positive = b.build_int_compare(IntPredicate::SGT, span, zero, "some").u();
                let ok = b.build_and(positive, b.build_int_compare(IntPredicate::NE, step, zero, "nz").u(), "ok").u();
                let count = b.build_select(ok, count, zero, "count").u().into_int_value();
                let need = self.b().build_int_add(len, count, "need").u();
                self.list_reserve(h, &item, need);
                none
            }
            ListMethod::Pop => {
                let empty = self.b().build_int_compare(IntPredicate::EQ, len, self.i64(0), "empty").u();
                self.fail_if(empty, Status::ListPopEmpty as u32);
                let at = match vals.first() {
                    None => self.b().build_int_sub(len, one, "last").u(),
                    Some((i, t)) => {
                        let i = self.as_index(*i, t);
                        self.list_position(i, len, Status::ListPopIndex)
                    }
                };
                let v = self.b().build_load(self.module_gen.llty(&item), self.item_ptr(h, at, &item), "popped").u();
                let next = self.b().build_int_add(at, one, "next").u();
                self.shift_items(h, &item, next, at, len);
                let len1 = self.b().build_int_sub(len, one, "len1").u();
                self.set_len(h, len1);
                v
            }
            ListMethod::DelItem => {
                let (i, t) = &vals[0];
                let i = self.as_index(*i, t);
                let at = self.list_position(i, len, Status::ListAssignIndex);
                let next = self.b().build_int_add(at, one, "next").u();
                self.shift_items(h, &item, next, at, len);
                let len1 = self.b().build_int_sub(len, one, "len1").u();
                self.set_len(h, len1);
                none
            }
            ListMethod::Extend if !matches!(vals[0].1, Type::List(_)) => {
                // A range, a tuple or a 1-D array: its items appended one by one, as a loop over
                // it would read them (`infer::lists::extended_item`).
                let (o, ot) = &vals[0];
                let on = self.seq_len(*o, ot);
                let from = match ot {
                    Type::Range => Type::Int64,
                    Type::Tuple(ts) => ts.first().cloned().unwrap_or(Type::Int64),
                    Type::Array(a) => a.dtype.element(),
                    t => unreachable!("inference allows no .extend() of {t}"),
                };
                let n = self.b().build_int_add(len, on, "n").u();
                self.list_reserve(h, &item, n);
                self.counted_loop(on, |g, k| {
                    let x = g.seq_item(*o, ot, k);
                    let x = g.cast(x, &from, &item);
                    let at = g.b().build_int_add(len, k, "at").u();
                    g.store_item(h, at, &item, x);
                });
                self.set_len(h, n);
                none
            }
            ListMethod::Extend => {
                let (o, ot) = &vals[0];
                let Type::List(from) = ot else { unreachable!("inference allows lists") };
                let oh = o.into_pointer_value();
                // `l.extend(l)` reads the length once, before the first item goes in (CPython).
                let on = self.list_len(oh);
                let n = self.b().build_int_add(len, on, "n").u();
                self.list_reserve(h, &item, n);
                self.copy_items((oh, from), on, |_, k| k, (h, &item), len);
                self.set_len(h, n);
                none
            }
            ListMethod::Insert => {
                let (i, it) = &vals[0];
                let (v, vt) = &vals[1];
                let v = self.cast(*v, vt, &item);
                // CPython clamps the position into 0..=len (a negative one counts from the end).
                let i = self.as_index(*i, it);
                let b = self.b();
                let negative = b.build_int_compare(IntPredicate::SLT, i, self.i64(0), "neg").u();
                let wrapped = b.build_int_add(i, len, "wrapped").u();
                let at = b.build_select(negative, wrapped, i, "at").u().into_int_value();
                let smax = self.module_gen.llvm_intrinsic("llvm.smax", &[self.ctx().i64_type().into()]);
                let smin = self.module_gen.llvm_intrinsic("llvm.smin", &[self.ctx().i64_type().into()]);
                let at = self.call_basic(smax, &[at.into(), self.i64(0).into()]).into_int_value();
                let at = self.call_basic(smin, &[at.into(), len.into()]).into_int_value();
                let need = self.b().build_int_add(len, one, "need").u();
                self.list_reserve(h, &item, need);
                let after = self.b().build_int_add(at, one, "after").u();
                self.shift_items(h, &item, at, after, len);
                self.store_item(h, at, &item, v);
                self.set_len(h, need);
                none
            }
            ListMethod::Remove | ListMethod::Index => {
                let (v, vt) = &vals[0];
                let pos = self.list_find(h, &item, *v, vt);
                let missing = self.b().build_int_compare(IntPredicate::SLT, pos, self.i64(0), "missing").u();
                if method == ListMethod::Index {
                    let kind = self.item_kind(vt);
                    let bits = match vt.carrier() {
                        Type::Float64 => {
                            self.b().build_bit_cast(v.into_float_value(), self.ctx().i64_type(), "bits").u().into_int_value()
                        }
                        t => self.cast(*v, &t, &Type::Int64).into_int_value(),
                    };
                    self.on_failure(missing, |g| {
                        let f = g.helper(Helper::ListNotIn);
                        let kind = g.ctx().i32_type().const_int(kind as u64, false);
                        g.b().build_call(f, &[kind.into(), bits.into()], "").u();
                        g.ret_status(g.module_gen.status_llty().const_int(Status::Raised as u64, false));
                    });
                    return pos.into();
                }
                self.fail_if(missing, Status::ListRemoveMissing as u32);
                let next = self.b().build_int_add(pos, one, "next").u();
                let len = self.list_len(h);
                self.shift_items(h, &item, next, pos, len);
                let len1 = self.b().build_int_sub(len, one, "len1").u();
                self.set_len(h, len1);
                none
            }
            ListMethod::Count => {
                let (v, vt) = (vals[0].0, vals[0].1.clone());
                let i64t = self.ctx().i64_type();
                let count = self.entry_alloca(i64t, "count");
                self.b().build_store(count, self.i64(0)).u();
                self.counted_loop(len, |g, k| {
                    let x = g.b().build_load(g.module_gen.llty(&item), g.item_ptr(h, k, &item), "x").u();
                    let eq = g.compare(crate::ast::CmpOp::Eq, x, &item.carrier(), v, &vt.carrier());
                    let c = g.b().build_load(i64t, count, "c").u().into_int_value();
                    let add = g.b().build_int_z_extend(eq, i64t, "add").u();
                    let c1 = g.b().build_int_add(c, add, "c1").u();
                    g.b().build_store(count, c1).u();
                });
                self.b().build_load(i64t, count, "count").u()
            }
            ListMethod::Reverse => {
                let half = self.b().build_int_unsigned_div(len, self.i64(2), "half").u();
                let lty = self.module_gen.llty(&item);
                self.counted_loop(half, |g, k| {
                    let last = g.b().build_int_sub(len, one, "lastpos").u();
                    let j = g.b().build_int_sub(last, k, "j").u();
                    let (pk, pj) = (g.item_ptr(h, k, &item), g.item_ptr(h, j, &item));
                    let (a, bv) = (g.b().build_load(lty, pk, "a").u(), g.b().build_load(lty, pj, "b").u());
                    g.b().build_store(pk, bv).u();
                    g.b().build_store(pj, a).u();
                });
                none
            }
            ListMethod::Clear => {
                self.set_len(h, self.i64(0));
                none
            }
            ListMethod::Copy | ListMethod::Sorted => {
                let out = self.list_new(&item, len);
                self.copy_items((h, &item), len, |_, k| k, (out, &item), self.i64(0));
                self.set_len(out, len);
                if method == ListMethod::Sorted {
                    self.sort_items(out, &item, vals.first());
                }
                self.own_temp(e.id, out.into(), &Type::List(Box::new(item.clone())));
                out.into()
            }
            ListMethod::Sort => {
                self.sort_items(h, &item, vals.first());
                none
            }
            ListMethod::Contains => unreachable!("handled above"),
        }
    }

    pub(super) fn sort_items(&self, h: PointerValue<'ctx>, item: &Type, reverse: Option<&(BasicValueEnum<'ctx>, Type)>) {
        let reverse = match reverse {
            Some((v, t)) => self.truth(*v, t),
            None => self.ctx().bool_type().const_zero(),
        };
        let code = if *item == Type::Str { crate::list::STR_KIND } else { i64::from(self.item_kind(item)) };
        let kind = self.ctx().i32_type().const_int(code as u64, false);
        let f = self.helper(Helper::ListSort);
        self.b().build_call(f, &[h.into(), kind.into(), reverse.into()], "").u();
    }

    /// `x in c` of a list, a tuple, a range or an array.
    fn contains(&mut self, container: &hir::Expr, x: &hir::Expr) -> BasicValueEnum<'ctx> {
        // CPython evaluates the item first.
        let (v, vt) = (self.expr(x), self.ty(x));
        let ct = self.ty(container);
        let c = self.expr(container);
        match ct {
            Type::List(item) => {
                let pos = self.list_find(c.into_pointer_value(), &item, v, &vt);
                self.b().build_int_compare(IntPredicate::SGE, pos, self.i64(0), "in").u().into()
            }
            Type::Tuple(items) => {
                let mut any = self.ctx().bool_type().const_zero();
                for (k, it) in items.iter().enumerate() {
                    let item = self.b().build_extract_value(c.into_struct_value(), k as u32, "item").u();
                    let eq = self.compare(crate::ast::CmpOp::Eq, item, &it.carrier(), v, &vt.carrier());
                    any = self.b().build_or(any, eq, "in").u();
                }
                any.into()
            }
            Type::Range => self.range_contains(c.into_struct_value(), v, &vt).into(),
            Type::Array(a) => self.array_contains(c, a, v, &vt),
            _ => unreachable!("inference allows lists, tuples, ranges and arrays"),
        }
    }

    /// `for k in 0..n: body(k)` as a plain loop.
    fn counted_loop(&self, n: IntValue<'ctx>, mut body: impl FnMut(&Self, IntValue<'ctx>)) {
        let open = self.loop_open(n);
        body(self, open.k);
        self.loop_close(open);
    }

    /// The head of `for k in 0..n` (the builder left in its body): the counter, its phi and
    /// the block after the loop, for [`FnGen::loop_close`].
    pub(super) fn loop_open(&self, n: IntValue<'ctx>) -> OpenLoop<'ctx> {
        let (head, next, done) = (self.block_named("loop.head"), self.block_named("loop.body"), self.block_named("loop.done"));
        let entry = self.b().get_insert_block().expect("positioned");
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(head);
        let phi = self.b().build_phi(self.ctx().i64_type(), "k").u();
        phi.add_incoming(&[(&self.i64(0), entry)]);
        let k = phi.as_basic_value().into_int_value();
        let more = self.b().build_int_compare(IntPredicate::SLT, k, n, "more").u();
        self.b().build_conditional_branch(more, next, done).u();
        self.b().position_at_end(next);
        OpenLoop { head, done, phi, k }
    }

    /// The latch of a loop [`FnGen::loop_open`] began (its body generated): `k + 1`, back to
    /// the head; the builder is left after the loop.
    pub(super) fn loop_close(&self, open: OpenLoop<'ctx>) {
        let k1 = self.b().build_int_add(open.k, self.i64(1), "k1").u();
        let here = self.b().get_insert_block().expect("positioned");
        open.phi.add_incoming(&[(&k1, here)]);
        self.b().build_unconditional_branch(open.head).u();
        self.b().position_at_end(open.done);
    }

    /// Copies the `n` items of `src` (of `from` items, from position `src_at(k)`) into `dst`
    /// (of `to` items) from position `dst_start`, each converted.
    fn copy_items(
        &self,
        (src, from): (PointerValue<'ctx>, &Type),
        n: IntValue<'ctx>,
        src_at: impl Fn(&Self, IntValue<'ctx>) -> IntValue<'ctx>,
        (dst, to): (PointerValue<'ctx>, &Type),
        dst_start: IntValue<'ctx>,
    ) {
        self.counted_loop(n, |g, k| {
            let x = g.load_item(src, src_at(g, k), from, "x");
            let x = g.cast(x, from, to);
            let at = g.b().build_int_add(dst_start, k, "at").u();
            g.store_item(dst, at, to, x);
        });
    }

    /// The list `v` of `from` items as a list of `to` items: a new list of the items converted
    /// (a list's type widened after it was made, as `l = f()` then `l.append(1.5)` does).
    pub(super) fn list_convert(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let h = v.into_pointer_value();
        let len = self.list_len(h);
        let out = self.list_new(to, len);
        self.copy_items((h, from), len, |_, k| k, (out, to), self.i64(0));
        self.set_len(out, len);
        out.into()
    }

    /// `a + b` of two lists, `l * n` and `n * l`: a new list, held by the expression's slot.
    pub(super) fn list_binary(&mut self, e: &hir::Expr, left: &hir::Expr, right: &hir::Expr) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let Type::List(item) = &ty else { unreachable!("a list") };
        let (lt, rt) = (self.ty(left), self.ty(right));
        let (l, r) = (self.expr(left), self.expr(right));
        let out = match (&lt, &rt) {
            (Type::List(a), Type::List(b)) => {
                let (lh, rh) = (l.into_pointer_value(), r.into_pointer_value());
                let (ln, rn) = (self.list_len(lh), self.list_len(rh));
                let n = self.b().build_int_add(ln, rn, "n").u();
                let out = self.list_new(item, n);
                self.copy_items((lh, a), ln, |_, k| k, (out, item), self.i64(0));
                self.copy_items((rh, b), rn, |_, k| k, (out, item), ln);
                self.set_len(out, n);
                out
            }
            _ => {
                let (h, from, times, tt) = match (&lt, &rt) {
                    (Type::List(a), _) => (l.into_pointer_value(), (**a).clone(), r, rt.clone()),
                    (_, Type::List(b)) => (r.into_pointer_value(), (**b).clone(), l, lt.clone()),
                    _ => unreachable!("one operand is a list"),
                };
                let times = self.as_index(times, &tt);
                let b = self.b();
                let positive = b.build_int_compare(IntPredicate::SGT, times, self.i64(0), "pos").u();
                let times = b.build_select(positive, times, self.i64(0), "times").u().into_int_value();
                let len = self.list_len(h);
                let (n, overflow) = self.mul_checked(len, times);
                self.fail_if(overflow, Status::OutOfMemory as u32);
                let out = self.list_new(item, n);
                // The list's items, `times` times over (a loop of copies, no division per item).
                self.counted_loop(times, |g, r| {
                    let at = g.b().build_int_mul(r, len, "at").u();
                    g.copy_items((h, &from), len, |_, k| k, (out, item), at);
                });
                self.set_len(out, n);
                out
            }
        };
        self.own_temp(e.id, out.into(), &ty);
        out.into()
    }

    /// `a * b` of non-negative int64s, and whether it overflowed.
    fn mul_checked(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> (IntValue<'ctx>, IntValue<'ctx>) {
        let i64t = self.ctx().i64_type();
        let f = self.module_gen.llvm_intrinsic("llvm.smul.with.overflow", &[i64t.into()]);
        let r = self.call_basic(f, &[a.into(), b.into()]).into_struct_value();
        let v = self.b().build_extract_value(r, 0, "prod").u().into_int_value();
        let o = self.b().build_extract_value(r, 1, "ovf").u().into_int_value();
        (v, o)
    }

    /// Whether a `for` loop's stop is the length of a list the loop walks (`for x in l` is
    /// lowered to a loop over `range(len($iterN))`): such a loop reads the length again before
    /// each item, as CPython's list iterator does, so items appended meanwhile are visited.
    pub(super) fn walks_list(&self, stop: &hir::Expr) -> bool {
        let hir::ExprKind::Intrinsic { f: hir::Intrinsic::Len, args } = &stop.kind else { return false };
        let [hir::Expr { kind: hir::ExprKind::Local { id, .. }, .. }] = args.as_slice() else { return false };
        matches!(self.spec.local_types[*id as usize], Type::List(_)) && self.hir_fn.locals[*id as usize].name.starts_with("$iter")
    }

    /// `for k in range(len(l))` with the length read before each iteration.
    pub(super) fn list_walk(&mut self, target: &hir::Target, stop: &hir::Expr, body: &[hir::Stmt], orelse: &[hir::Stmt]) {
        let i64t = self.ctx().i64_type();
        let k = self.entry_alloca(i64t, "k");
        self.b().build_store(k, self.i64(0)).u();
        let (head, body_bb, latch) =
            (self.block_named("walk.head"), self.block_named("walk.body"), self.block_named("walk.latch"));
        let (else_bb, exit) = (self.block_named("walk.else"), self.block_named("walk.exit"));
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(head);
        if self.loops.len() == self.short_loops {
            self.poll_interrupt();
        }
        let n = self.expr(stop).into_int_value();
        let kv = self.b().build_load(i64t, k, "kv").u().into_int_value();
        let more = self.b().build_int_compare(IntPredicate::SLT, kv, n, "more").u();
        self.b().build_conditional_branch(more, body_bb, else_bb).u();
        self.b().position_at_end(body_bb);
        self.assign(target, kv.into(), &Type::Int64);
        self.loops.push((latch, exit));
        // A body that may grow a list (a call, a list method) may grow the list walked: the
        // walk then outruns the room a comprehension reserved for its items.
        self.walk_body(body, may_grow_lists(body));
        self.loops.pop();
        if !self.terminated() {
            self.b().build_unconditional_branch(latch).u();
        }
        self.b().position_at_end(latch);
        let kv = self.b().build_load(i64t, k, "kv").u().into_int_value();
        let k1 = self.b().build_int_add(kv, self.i64(1), "k1").u();
        self.b().build_store(k, k1).u();
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(else_bb);
        self.block(orelse);
        if !self.terminated() {
            self.b().build_unconditional_branch(exit).u();
        }
        self.b().position_at_end(exit);
    }

    /// The body of a loop that walks a list: when the list may grow meanwhile (`growable`), the
    /// reserved appends of a comprehension inside test their room again.
    pub(super) fn walk_body(&mut self, body: &[hir::Stmt], growable: bool) {
        if growable {
            self.growable_walks.push(self.loops.len());
        }
        self.block(body);
        if growable {
            self.growable_walks.pop();
        }
    }

    /// Records in the list block `h` the item type `t` (`list::Payload::kind`).
    pub(super) fn note_item_kind(&self, h: PointerValue<'ctx>, t: &Type) {
        let code = match t.carrier() {
            Type::Complex128 => crate::list::COMPLEX_KIND,
            Type::Str => crate::list::STR_KIND,
            Type::Tuple(_) => -1,
            other => i64::from(self.item_kind(&other)),
        };
        self.tagged_store(self.list_field(h, crate::list::KIND), self.i64(code), ListMemory::Header);
    }

    /// Stores the `count` items of the list `h` as the elements of the new C-contiguous array
    /// at `data` (`np.array(l)`), each converted as a store into the array converts it.
    pub(super) fn list_to_elements(
        &mut self,
        h: PointerValue<'ctx>,
        item: &Type,
        count: IntValue<'ctx>,
        data: PointerValue<'ctx>,
        a: crate::types::ArrayType,
    ) {
        let size = self.i64(a.dtype.size() as i64);
        let open = self.loop_open(count);
        let x = self.load_item(h, open.k, item, "x");
        let off = self.b().build_int_mul(open.k, size, "off").u();
        // SAFETY: inside the new array's `count` elements.
        let at = unsafe { self.b().build_gep(self.ctx().i8_type(), data, &[off], "at") }.u();
        self.store_element(at, a, x, item);
        self.loop_close(open);
    }
}

/// Whether `stmts` may add items to a list: they call a function (which may append to a list
/// it was given) or append, extend or insert (a comprehension's reserved append aside).
fn may_grow_lists(stmts: &[hir::Stmt]) -> bool {
    fn grows(e: &hir::Expr) -> bool {
        match &e.kind {
            hir::ExprKind::Call { .. } | hir::ExprKind::CallValue { .. } => true,
            hir::ExprKind::ListMethod { method: ListMethod::Append | ListMethod::Extend | ListMethod::Insert, .. } => true,
            k => k.children().into_iter().any(grows),
        }
    }
    stmts.iter().any(|s| s.own_exprs().into_iter().any(grows) || s.kind.blocks().into_iter().any(may_grow_lists))
}
