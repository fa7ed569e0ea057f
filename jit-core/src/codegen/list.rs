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

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The address of the field `offset` bytes into the list block `h`.
    fn list_field(&self, h: PointerValue<'ctx>, offset: u64) -> PointerValue<'ctx> {
        let i8t = self.ctx().i8_type();
        // SAFETY: inside the block (its payload follows the header).
        unsafe { self.b().build_in_bounds_gep(i8t, h, &[self.i64(offset as i64)], "list.field").u() }
    }

    pub(super) fn list_len(&self, h: PointerValue<'ctx>) -> IntValue<'ctx> {
        let p = self.list_field(h, LEN);
        self.b().build_load(self.ctx().i64_type(), p, "list.len").u().into_int_value()
    }

    fn list_items(&self, h: PointerValue<'ctx>) -> PointerValue<'ctx> {
        let p = self.list_field(h, ITEMS);
        let ptr = self.ctx().ptr_type(inkwell::AddressSpace::default());
        self.b().build_load(ptr, p, "list.items").u().into_pointer_value()
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
    fn list_new(&self, item: &Type, cap: IntValue<'ctx>) -> PointerValue<'ctx> {
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
            let p = self.item_ptr(h, self.i64(k as i64), &item);
            self.b().build_store(p, v).u();
        }
        self.b().build_store(self.list_field(h, LEN), n).u();
        self.own_temp(e.id, h.into(), &ty);
        h.into()
    }

    /// `l[i]`.
    pub(super) fn list_load(&mut self, list: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        let i = self.expr(index);
        let i = self.as_index(i, &self.ty(index));
        let at = self.list_position(i, self.list_len(h), Status::ListIndex);
        let p = self.item_ptr(h, at, &item);
        self.b().build_load(self.module_gen.llty(&item), p, "list.get").u()
    }

    /// `l[i] = v`.
    pub(super) fn list_store(&mut self, list: &hir::Expr, index: &hir::Expr, v: BasicValueEnum<'ctx>, from: &Type) {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        let i = self.expr(index);
        let i = self.as_index(i, &self.ty(index));
        let at = self.list_position(i, self.list_len(h), Status::ListAssignIndex);
        let v = self.cast(v, from, &item);
        let p = self.item_ptr(h, at, &item);
        self.b().build_store(p, v).u();
    }

    /// `l.append(v)`, `l.pop()`, `l.pop(i)`.
    pub(super) fn list_method(&mut self, method: ListMethod, list: &hir::Expr, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let len = self.list_len(h);
        match method {
            ListMethod::Append => {
                let (v, t) = &vals[0];
                let v = self.cast(*v, t, &item);
                let b = self.b();
                let cap = b.build_load(self.ctx().i64_type(), self.list_field(h, CAP), "list.cap").u().into_int_value();
                let full = b.build_int_compare(IntPredicate::EQ, len, cap, "full").u();
                let (grow, put) = (self.block_named("list.grow"), self.block_named("list.put"));
                self.branch_cold(full, grow, put, Cold::Then);
                self.b().position_at_end(grow);
                let need = self.b().build_int_add(len, self.i64(1), "need").u();
                let f = self.helper(Helper::ListGrow);
                let ok = self.call_basic(f, &[h.into(), self.item_size(&item).into(), need.into()]).into_int_value();
                let failed = self.b().build_not(ok, "nomem").u();
                self.fail_if(failed, Status::OutOfMemory as u32);
                self.b().build_unconditional_branch(put).u();
                self.b().position_at_end(put);
                let p = self.item_ptr(h, len, &item);
                self.b().build_store(p, v).u();
                let len1 = self.b().build_int_add(len, self.i64(1), "len1").u();
                self.b().build_store(self.list_field(h, LEN), len1).u();
                self.ctx().i8_type().const_zero().into()
            }
            ListMethod::Pop => {
                let empty = self.b().build_int_compare(IntPredicate::EQ, len, self.i64(0), "empty").u();
                self.fail_if(empty, Status::ListPopEmpty as u32);
                let at = match vals.first() {
                    None => self.b().build_int_sub(len, self.i64(1), "last").u(),
                    Some((i, t)) => {
                        let i = self.as_index(*i, t);
                        self.list_position(i, len, Status::ListPopIndex)
                    }
                };
                let lt = self.module_gen.llty(&item);
                let p = self.item_ptr(h, at, &item);
                let v = self.b().build_load(lt, p, "popped").u();
                // Move the items after it down by one.
                let b = self.b();
                let next = b.build_int_add(at, self.i64(1), "next").u();
                let rest = b.build_int_sub(len, next, "rest").u();
                let bytes = b.build_int_mul(rest, self.item_size(&item), "bytes").u();
                let src = self.item_ptr(h, next, &item);
                self.b().build_memmove(p, 1, src, 1, bytes).u();
                let len1 = self.b().build_int_sub(len, self.i64(1), "len1").u();
                self.b().build_store(self.list_field(h, LEN), len1).u();
                v
            }
        }
    }

    /// `for k in 0..n: body(k)` as a plain loop.
    fn counted_loop(&self, n: IntValue<'ctx>, mut body: impl FnMut(&Self, IntValue<'ctx>)) {
        let (head, next, done) = (self.block_named("loop.head"), self.block_named("loop.body"), self.block_named("loop.done"));
        let entry = self.b().get_insert_block().expect("positioned");
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(head);
        let k = self.b().build_phi(self.ctx().i64_type(), "k").u();
        k.add_incoming(&[(&self.i64(0), entry)]);
        let kv = k.as_basic_value().into_int_value();
        let more = self.b().build_int_compare(IntPredicate::SLT, kv, n, "more").u();
        self.b().build_conditional_branch(more, next, done).u();
        self.b().position_at_end(next);
        body(self, kv);
        let k1 = self.b().build_int_add(kv, self.i64(1), "k1").u();
        let here = self.b().get_insert_block().expect("positioned");
        k.add_incoming(&[(&k1, here)]);
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(done);
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
            let x = g.b().build_load(g.module_gen.llty(from), g.item_ptr(src, src_at(g, k), from), "x").u();
            let x = g.cast(x, from, to);
            let at = g.b().build_int_add(dst_start, k, "at").u();
            g.b().build_store(g.item_ptr(dst, at, to), x).u();
        });
    }

    /// The list `v` of `from` items as a list of `to` items: a new list of the items converted
    /// (a list's type widened after it was made, as `l = f()` then `l.append(1.5)` does).
    pub(super) fn list_convert(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let h = v.into_pointer_value();
        let len = self.list_len(h);
        let out = self.list_new(to, len);
        self.copy_items((h, from), len, |_, k| k, (out, to), self.i64(0));
        self.b().build_store(self.list_field(out, LEN), len).u();
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
                self.b().build_store(self.list_field(out, LEN), n).u();
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
                // Item j of the result is item j % len of the list (len > 0 whenever n > 0).
                self.copy_items((h, &from), n, |g, j| g.b().build_int_unsigned_rem(j, len, "src").u(), (out, item), self.i64(0));
                self.b().build_store(self.list_field(out, LEN), n).u();
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
        self.block(body);
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
}
