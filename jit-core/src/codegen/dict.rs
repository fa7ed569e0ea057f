//! Dicts in compiled code: a dict value is the address of its block (`crate::dict`); this
//! module makes dicts (literals), looks keys up, stores, removes, and lists a dict's keys,
//! values or items (what a `for` loop over a dict walks). Keys and values cross into the
//! runtime flattened into 8-byte slots (`abi`), keys canonicalized so that equal keys have
//! equal slots.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::dict::{ENTRIES, LEN, USED};
use crate::hir::{self, DictMethod, ListMethod};
use crate::runtime::Status;
use crate::types::Type;

/// The key kinds text `dict::key_repr` reads (one letter a slot, parentheses around tuples).
fn kinds(t: &Type, out: &mut String) {
    match t {
        Type::Tuple(items) => {
            out.push('(');
            items.iter().for_each(|t| kinds(t, out));
            out.push(')');
        }
        Type::Bool => out.push('b'),
        Type::Int64 => out.push('i'),
        Type::UInt64 => out.push('u'),
        Type::Float32 => out.push('s'),
        Type::Complex128 => out.push('c'),
        Type::Complex64 => out.push('C'),
        Type::Str => out.push('S'),
        _ => out.push('f'),
    }
}

/// Whether evaluating `e` may call anything that could change a dict (a jitted function, a
/// method of a list or a dict).
fn calls_anything(e: &hir::Expr) -> bool {
    matches!(
        e.kind,
        hir::ExprKind::Call { .. }
            | hir::ExprKind::CallValue { .. }
            | hir::ExprKind::DictMethod { .. }
            | hir::ExprKind::ListMethod { .. }
            | hir::ExprKind::Dict(_)
    ) || e.kind.children().into_iter().any(calls_anything)
}

/// A dict's key and value types; a set's item type and `None` (a set is a dict whose values
/// take no slots).
fn key_value(t: &Type) -> (Type, Type) {
    match t {
        Type::Dict(k, v) => ((**k).clone(), (**v).clone()),
        Type::Set(k) => ((**k).clone(), Type::None),
        _ => unreachable!("inference typed a dict"),
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    fn dict_field(&self, h: PointerValue<'ctx>, offset: u64) -> PointerValue<'ctx> {
        let i8t = self.ctx().i8_type();
        // SAFETY: inside the block (its payload follows the header).
        unsafe { self.b().build_in_bounds_gep(i8t, h, &[self.i64(offset as i64)], "dict.field").u() }
    }

    fn dict_word(&self, h: PointerValue<'ctx>, offset: u64, name: &str) -> IntValue<'ctx> {
        self.b().build_load(self.ctx().i64_type(), self.dict_field(h, offset), name).u().into_int_value()
    }

    /// `len(d)`.
    pub(super) fn dict_len(&self, h: PointerValue<'ctx>) -> IntValue<'ctx> {
        self.dict_word(h, LEN, "dict.len")
    }

    /// A new empty dict of `key`s to `value`s (MemoryError when the memory is not there).
    fn dict_new(&self, key: &Type, value: &Type) -> PointerValue<'ctx> {
        let f = self.helper(Helper::DictNew);
        let (ks, vs) = (crate::abi::slots_of(key) as i64, crate::abi::slots_of(value) as i64);
        let ks = if *key == Type::Str { -1 } else { ks };
        let h = self.call_basic(f, &[self.i64(ks).into(), self.i64(vs).into()]).into_pointer_value();
        let null = self.b().build_is_null(h, "dict.null").u();
        self.fail_if(null, Status::OutOfMemory as u32);
        h
    }

    /// The slots of the key `k` (of type `kt`) as a key of a dict of `key`s: converted, floats'
    /// `-0.0` made `0.0` (Python's `-0.0 == 0.0`), in a buffer of the function's frame.
    fn key_slots(&self, k: BasicValueEnum<'ctx>, kt: &Type, key: &Type) -> PointerValue<'ctx> {
        let k = self.cast(k, kt, key);
        let k = self.canonical(k, &key.carrier());
        let n = crate::abi::slots_of(key).max(1) as u32;
        let buf = self.entry_alloca(self.ctx().i64_type().array_type(n), "dict.key");
        self.module_gen.store_flat(buf, 0, k, key);
        buf
    }

    /// `v` with every float part's `-0.0` as `0.0` (`x + 0.0`).
    fn canonical(&self, v: BasicValueEnum<'ctx>, t: &Type) -> BasicValueEnum<'ctx> {
        let parts = match t {
            Type::Float64 => return self.b().build_float_add(v.into_float_value(), self.f64(0.0), "key").u().into(),
            Type::Complex128 => vec![Type::Float64, Type::Float64],
            Type::Tuple(items) => items.iter().map(Type::carrier).collect(),
            _ => return v,
        };
        let mut agg = v.into_struct_value();
        for (i, it) in parts.iter().enumerate() {
            let x = self.b().build_extract_value(agg, i as u32, "part").u();
            let x = self.canonical(x, it);
            agg = self.b().build_insert_value(agg, x, i as u32, "key").u().into_struct_value();
        }
        agg.into()
    }

    /// `{k: v, ...}` of type `ty`: a new dict, held by the expression's slot.
    pub(super) fn dict_literal(&mut self, e: &hir::Expr, pairs: &[(hir::Expr, hir::Expr)]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let (key, value) = key_value(&ty);
        let evaluated: Vec<_> = pairs.iter().map(|(k, v)| ((self.expr(k), self.ty(k)), (self.expr(v), self.ty(v)))).collect();
        let h = self.dict_new(&key, &value);
        self.own_temp(e.id, h.into(), &ty);
        for ((k, kt), (v, vt)) in evaluated {
            self.dict_put(h, (&key, &value), (k, &kt), (v, &vt));
        }
        h.into()
    }

    /// `{a, b, ...}`, `set()` of type `ty`: a new set, held by the expression's slot.
    pub(super) fn set_literal(&mut self, e: &hir::Expr, items: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let (key, _) = key_value(&ty);
        let evaluated: Vec<_> = items.iter().map(|x| (self.expr(x), self.ty(x))).collect();
        let h = self.dict_new(&key, &Type::None);
        self.own_temp(e.id, h.into(), &ty);
        for (x, xt) in evaluated {
            self.dict_insert(h, x, &xt, &key);
        }
        h.into()
    }

    /// `a | b`, `a & b`, `a - b`, `a ^ b` of two sets: a new set, held by the expression's slot.
    /// Whether every item of the set `a` is in the set `b` (of `key`s).
    fn set_within(&self, a: PointerValue<'ctx>, b: PointerValue<'ctx>, key: &Type) -> IntValue<'ctx> {
        let bool_t = self.ctx().bool_type();
        let all = self.entry_alloca(bool_t, "set.all");
        self.b().build_store(all, bool_t.const_int(1, false)).u();
        self.for_each_entry(a, (key, &Type::None), |g, k, _| {
            let (slots, _) = g.dict_find(b, k, key, key);
            let missing = g.b().build_is_null(slots, "missing").u();
            let was = g.b().build_load(bool_t, all, "all").u().into_int_value();
            let now = g.b().build_and(was, g.b().build_not(missing, "there").u(), "all").u();
            g.b().build_store(all, now).u();
        });
        self.b().build_load(bool_t, all, "all").u().into_int_value()
    }

    /// `a op b` of two sets: `==`/`!=` as equal sets, `<=`/`<` as (proper) subsets, `>=`/`>`
    /// as (proper) supersets, as CPython compares sets.
    pub(super) fn set_compare(
        &self,
        op: crate::ast::CmpOp,
        l: BasicValueEnum<'ctx>,
        r: BasicValueEnum<'ctx>,
        key: &Type,
    ) -> IntValue<'ctx> {
        use crate::ast::CmpOp;
        let (a, b) = match op {
            CmpOp::Ge | CmpOp::Gt => (r.into_pointer_value(), l.into_pointer_value()),
            _ => (l.into_pointer_value(), r.into_pointer_value()),
        };
        let (na, nb) = (self.dict_len(a), self.dict_len(b));
        let within = self.set_within(a, b, key);
        let size = match op {
            CmpOp::Eq | CmpOp::Ne => IntPredicate::EQ,
            CmpOp::Lt | CmpOp::Gt => IntPredicate::SLT,
            _ => IntPredicate::SLE,
        };
        let sized = self.b().build_int_compare(size, na, nb, "set.size").u();
        let v = self.b().build_and(sized, within, "set.cmp").u();
        if op == CmpOp::Ne {
            self.b().build_not(v, "set.ne").u()
        } else {
            v
        }
    }

    /// Makes the set `h` hold the items of the set `from`, in place (`s |= t`, `s &= t`, ...
    /// change the set itself, as CPython's do).
    pub(super) fn set_replace_items(&self, h: PointerValue<'ctx>, from: PointerValue<'ctx>) {
        let f = self.helper(Helper::DictFill);
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        self.call_basic(f, &[h.into(), null.into()]);
        let ok = self.call_basic(f, &[h.into(), from.into()]).into_int_value();
        let failed = self.b().build_not(ok, "nomem").u();
        self.fail_if(failed, Status::OutOfMemory as u32);
    }

    pub(super) fn set_binary(
        &mut self,
        e: &hir::Expr,
        op: crate::ast::BinOp,
        left: &hir::Expr,
        right: &hir::Expr,
    ) -> BasicValueEnum<'ctx> {
        use crate::ast::BinOp;
        let ty = self.ty(e);
        let (key, _) = key_value(&ty);
        let (lt, rt) = (self.ty(left), self.ty(right));
        let (l, r) = (self.expr(left), self.expr(right));
        let (l, r) = (self.cast(l, &lt, &ty).into_pointer_value(), self.cast(r, &rt, &ty).into_pointer_value());
        let out = self.dict_new(&key, &Type::None);
        self.own_temp(e.id, out.into(), &ty);
        // Items of `from` that are (`keep` true) or are not in `other`, into `out`, in order.
        let filtered = |g: &Self, from: PointerValue<'ctx>, other: PointerValue<'ctx>, keep: bool| {
            g.for_each_entry(from, (&key, &Type::None), |g, k, _| {
                let (slots, _) = g.dict_find(other, k, &key, &key);
                let there = g.b().build_is_not_null(slots, "there").u();
                let take = if keep { there } else { g.b().build_not(there, "absent").u() };
                let (yes, next) = (g.block_named("set.take"), g.block_named("set.next"));
                g.b().build_conditional_branch(take, yes, next).u();
                g.b().position_at_end(yes);
                g.dict_insert(out, k, &key, &key);
                g.b().build_unconditional_branch(next).u();
                g.b().position_at_end(next);
            });
        };
        match op {
            BinOp::BitOr => {
                let f = self.helper(Helper::DictFill);
                for from in [l, r] {
                    let ok = self.call_basic(f, &[out.into(), from.into()]).into_int_value();
                    let failed = self.b().build_not(ok, "nomem").u();
                    self.fail_if(failed, Status::OutOfMemory as u32);
                }
            }
            BinOp::BitAnd => filtered(self, l, r, true),
            BinOp::Sub => filtered(self, l, r, false),
            BinOp::BitXor => {
                filtered(self, l, r, false);
                filtered(self, r, l, false);
            }
            _ => unreachable!("inference types only | & - ^ of sets"),
        }
        out.into()
    }

    /// `d[k] = v` into the dict `h`.
    fn dict_put(
        &self,
        h: PointerValue<'ctx>,
        (key, value): (&Type, &Type),
        (k, kt): (BasicValueEnum<'ctx>, &Type),
        (v, vt): (BasicValueEnum<'ctx>, &Type),
    ) {
        let slots = self.dict_insert(h, k, kt, key).0;
        let v = self.cast(v, vt, value);
        self.store_value(slots, v, value);
    }

    /// Writes `v` as the value of the entry whose value slots are `slots`: a string, array or
    /// list pinned as a list's items are (`list::store_item`).
    fn store_value(&self, slots: PointerValue<'ctx>, v: BasicValueEnum<'ctx>, value: &Type) {
        if value.holds_references() {
            self.incref(v, value);
        }
        self.module_gen.store_flat(slots, 0, v, value);
    }

    /// The value slots of `k`'s entry in `h`, made when missing; and whether it was.
    fn dict_insert(
        &self,
        h: PointerValue<'ctx>,
        k: BasicValueEnum<'ctx>,
        kt: &Type,
        key: &Type,
    ) -> (PointerValue<'ctx>, IntValue<'ctx>) {
        let buf = self.key_slots(k, kt, key);
        let added = self.entry_alloca(self.ctx().bool_type(), "dict.added");
        let f = self.helper(Helper::DictInsert);
        let slots = self.call_basic(f, &[h.into(), buf.into(), added.into()]).into_pointer_value();
        let null = self.b().build_is_null(slots, "dict.nomem").u();
        self.fail_if(null, Status::OutOfMemory as u32);
        let added = self.b().build_load(self.ctx().bool_type(), added, "added").u().into_int_value();
        (slots, added)
    }

    /// The value slots of `k`'s entry in `h` (null when missing), and the key's slots.
    fn dict_find(
        &self,
        h: PointerValue<'ctx>,
        k: BasicValueEnum<'ctx>,
        kt: &Type,
        key: &Type,
    ) -> (PointerValue<'ctx>, PointerValue<'ctx>) {
        let buf = self.key_slots(k, kt, key);
        let f = self.helper(Helper::DictFind);
        (self.call_basic(f, &[h.into(), buf.into()]).into_pointer_value(), buf)
    }

    /// Raises `KeyError(key)` when `missing` (the key's slots at `buf`).
    fn key_error_if(&self, missing: IntValue<'ctx>, buf: PointerValue<'ctx>, key: &Type) {
        let mut text = String::new();
        kinds(key, &mut text);
        self.on_failure(missing, |g| {
            let s = g.b().build_global_string_ptr(&text, "dict.kinds").u();
            let f = g.helper(Helper::DictKeyError);
            g.b().build_call(f, &[buf.into(), s.as_pointer_value().into(), g.i64(text.len() as i64).into()], "").u();
            g.ret_status(g.module_gen.status_llty().const_int(Status::Raised as u64, false));
        });
    }

    /// The test of `if k in d:` (`d` a dict, `k` and `d` locals) whose body begins with a
    /// statement that reads `d[k]` (`x = d[k] ...`, `t += d[k]`, `d[k] += v`) and calls nothing:
    /// the condition, and the entry's value slots, which that statement reads instead of looking
    /// `k` up again (nothing in it can change `d`, `k` or the entry's place).
    pub(super) fn dict_entry_test(
        &mut self,
        test: &hir::Expr,
        body: &[hir::Stmt],
    ) -> Option<(IntValue<'ctx>, (hir::LocalId, hir::LocalId, PointerValue<'ctx>))> {
        let hir::ExprKind::ListMethod { method: ListMethod::Contains, list, args, .. } = &test.kind else { return None };
        let (hir::ExprKind::Local { id: d, .. }, [k @ hir::Expr { kind: hir::ExprKind::Local { id: kid, .. }, .. }]) =
            (&list.kind, args.as_slice())
        else {
            return None;
        };
        let Type::Dict(key, _) = self.ty(list) else { return None };
        let is_entry = |e: &hir::Expr| matches!(&e.kind, hir::ExprKind::Local { id, .. } if id == d);
        let is_key = |e: &hir::Expr| matches!(&e.kind, hir::ExprKind::Local { id, .. } if id == kid);
        let eligible = match body.first().map(|s| &s.kind) {
            Some(hir::StmtKind::Assign { targets, value }) => {
                targets.iter().all(|t| matches!(t, hir::Target::Local(..))) && !calls_anything(value)
            }
            Some(hir::StmtKind::AugAssign { value, .. }) => !calls_anything(value),
            Some(hir::StmtKind::AugAssignIndex { array, index, value, .. }) => {
                is_entry(array) && is_key(index) && !calls_anything(value)
            }
            _ => false,
        };
        if !eligible {
            return None;
        }
        let h = self.expr(list).into_pointer_value();
        let kv = self.expr(k);
        let (slots, _) = self.dict_find(h, kv, &self.ty(k), &key);
        let found = self.b().build_is_not_null(slots, "in").u();
        Some((found, (*d, *kid, slots)))
    }

    /// The value slots `if k in d:` found, when `dict[index]` is that `d[k]`.
    fn known_slots(&self, dict: &hir::Expr, index: &hir::Expr) -> Option<PointerValue<'ctx>> {
        let (d, k, slots) = self.known_entry?;
        match (&dict.kind, &index.kind) {
            (hir::ExprKind::Local { id: a, .. }, hir::ExprKind::Local { id: b, .. }) if *a == d && *b == k => Some(slots),
            _ => None,
        }
    }

    /// `d[k]`: the value, or KeyError.
    pub(super) fn dict_load(&mut self, dict: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let (key, value) = key_value(&self.ty(dict));
        if let Some(slots) = self.known_slots(dict, index) {
            return self.module_gen.load_flat(slots, 0, &value);
        }
        let h = self.expr(dict).into_pointer_value();
        let k = self.expr(index);
        let (slots, buf) = self.dict_find(h, k, &self.ty(index), &key);
        let missing = self.b().build_is_null(slots, "missing").u();
        self.key_error_if(missing, buf, &key);
        self.module_gen.load_flat(slots, 0, &value)
    }

    /// `d[k] = v`.
    pub(super) fn dict_store(&mut self, dict: &hir::Expr, index: &hir::Expr, v: BasicValueEnum<'ctx>, from: &Type) {
        let (key, value) = key_value(&self.ty(dict));
        let h = self.expr(dict).into_pointer_value();
        let k = self.expr(index);
        self.dict_put(h, (&key, &value), (k, &self.ty(index)), (v, from));
    }

    /// `l[i] op= v`, `d[k] op= v`: the item read (IndexError, KeyError), then `v` evaluated,
    /// `op` applied, and the result stored at `i` or `k` (as CPython: get, evaluate, set).
    pub(super) fn container_aug_assign(
        &mut self,
        container: &hir::Expr,
        index: &hir::Expr,
        op: crate::ast::BinOp,
        value: &hir::Expr,
    ) {
        let ct = self.ty(container);
        let h = self.expr(container).into_pointer_value();
        let (i, it) = (self.expr(index), self.ty(index));
        let mut found = None;
        let (current, item) = match &ct {
            // After `if k in d:`, the entry it found.
            Type::Dict(_, value_t) if self.known_slots(container, index).is_some() => {
                let slots = self.known_slots(container, index).expect("known");
                found = Some(slots);
                (self.module_gen.load_flat(slots, 0, value_t), (**value_t).clone())
            }
            Type::Dict(key, value_t) => {
                let (slots, buf) = self.dict_find(h, i, &it, key);
                let missing = self.b().build_is_null(slots, "missing").u();
                self.key_error_if(missing, buf, key);
                found = Some(slots);
                (self.module_gen.load_flat(slots, 0, value_t), (**value_t).clone())
            }
            Type::List(item) => (self.list_get(h, i, &it, item), (**item).clone()),
            _ => unreachable!("a list or a dict"),
        };
        let r = self.expr(value);
        let t = self.aug_type(value);
        let v = self.binary(op, current, &item.carrier(), r, &self.ty(value), &t);
        let v = if t == Type::Float32 { self.round_f32(v) } else { v };
        match &ct {
            // A value that calls nothing cannot have changed the dict: the entry found is
            // written in place (its type unchanged), without a second lookup.
            Type::Dict(key, value_t) if !calls_anything(value) && t.carrier() == value_t.carrier() => {
                let slots = found.expect("found above");
                self.store_value(slots, v, value_t);
            }
            Type::Dict(key, value_t) => self.dict_put(h, (key, value_t), (i, &it), (v, &t)),
            Type::List(item) => self.list_set(h, i, &it, item, v, &t),
            _ => unreachable!("a list or a dict"),
        }
    }

    /// The value of `e` (typed `to`) from either `a` (typed `at`) or `b` (typed `bt`) as `pick`
    /// says (`pick` true: `a`).
    fn choose(
        &self,
        pick: IntValue<'ctx>,
        (a, at): (BasicValueEnum<'ctx>, &Type),
        (b, bt): (BasicValueEnum<'ctx>, &Type),
        to: &Type,
    ) -> BasicValueEnum<'ctx> {
        let (a, b) = (self.cast(a, at, to), self.cast(b, bt, to));
        self.b().build_select(pick, a, b, "pick").u()
    }

    /// `d.get(k, default)`, `d.setdefault(k, default)`, `d.update(other)`, `d.keys()`, ... and
    /// what a `for` loop iterates over (a dict's keys; any other value itself).
    pub(super) fn dict_method(
        &mut self,
        e: &hir::Expr,
        method: DictMethod,
        dict: &hir::Expr,
        args: &[hir::Expr],
    ) -> BasicValueEnum<'ctx> {
        let dt = self.ty(dict);
        if method == DictMethod::Iter && !matches!(dt, Type::Dict(..) | Type::Set(_)) {
            return self.expr(dict);
        }
        let (key, value) = key_value(&dt);
        let h = self.expr(dict).into_pointer_value();
        let ty = self.ty(e);
        match method {
            DictMethod::PopItem => {
                let n = (crate::abi::slots_of(&key) + crate::abi::slots_of(&value)).max(1) as u32;
                let out = self.entry_alloca(self.ctx().i64_type().array_type(n), "dict.popitem");
                let f = self.helper(Helper::DictPopLast);
                let ok = self.call_basic(f, &[h.into(), out.into()]).into_int_value();
                let empty = self.b().build_not(ok, "empty").u();
                self.fail_if(empty, Status::Raised as u32);
                let k = self.module_gen.load_flat(out, 0, &key);
                let v = self.module_gen.load_flat(out, crate::abi::slots_of(&key), &value);
                let agg = self.module_gen.llty(&ty).into_struct_type().get_undef();
                let agg = self.b().build_insert_value(agg, k, 0, "item").u();
                self.b().build_insert_value(agg, v, 1, "item").u().into_struct_value().into()
            }
            DictMethod::Add => {
                let x = self.expr(&args[0]);
                self.dict_insert(h, x, &self.ty(&args[0]), &key);
                self.ctx().i8_type().const_zero().into()
            }
            DictMethod::Discard => {
                let x = self.expr(&args[0]);
                let buf = self.key_slots(x, &self.ty(&args[0]), &key);
                let out = self.entry_alloca(self.ctx().i64_type().array_type(1), "set.none");
                let f = self.helper(Helper::DictRemove);
                self.call_basic(f, &[h.into(), buf.into(), out.into()]);
                self.ctx().i8_type().const_zero().into()
            }
            DictMethod::Get if args.len() == 1 || matches!(args[1].kind, hir::ExprKind::None) => {
                // The optional value: absent for a missing key.
                let k = self.expr(&args[0]);
                let (slots, _) = self.dict_find(h, k, &self.ty(&args[0]), &key);
                let found = self.b().build_is_not_null(slots, "found").u();
                let opt = Type::Optional(Box::new(value.clone()));
                let tmp = self.entry_alloca(self.module_gen.llty(&opt), "dict.got");
                self.b().build_store(tmp, self.module_gen.llty(&opt).const_zero()).u();
                let (yes, join) = (self.block_named("get.found"), self.block_named("get.join"));
                self.b().build_conditional_branch(found, yes, join).u();
                self.b().position_at_end(yes);
                let v = self.module_gen.load_flat(slots, 0, &value);
                self.b().build_store(tmp, self.optional_some(v, &value)).u();
                self.b().build_unconditional_branch(join).u();
                self.b().position_at_end(join);
                self.b().build_load(self.module_gen.llty(&opt), tmp, "got").u()
            }
            DictMethod::Get => {
                let (k, d) = (self.expr(&args[0]), self.expr(&args[1]));
                let (slots, _) = self.dict_find(h, k, &self.ty(&args[0]), &key);
                let found = self.b().build_is_not_null(slots, "found").u();
                // Read from the slots only when found: a null pointer is never loaded.
                let tmp = self.entry_alloca(self.module_gen.llty(&value.carrier()), "dict.got");
                let (yes, join) = (self.block_named("get.found"), self.block_named("get.join"));
                self.b().build_conditional_branch(found, yes, join).u();
                let before = self.b().get_insert_block().expect("positioned");
                let _ = before;
                self.b().position_at_end(yes);
                let v = self.module_gen.load_flat(slots, 0, &value);
                self.b().build_store(tmp, v).u();
                self.b().build_unconditional_branch(join).u();
                self.b().position_at_end(join);
                let v = self.b().build_load(self.module_gen.llty(&value.carrier()), tmp, "got").u();
                self.choose(found, (v, &value), (d, &self.ty(&args[1])), &ty)
            }
            DictMethod::SetDefault => {
                let (k, d) = (self.expr(&args[0]), self.expr(&args[1]));
                let (slots, added) = self.dict_insert(h, k, &self.ty(&args[0]), &key);
                let (yes, join) = (self.block_named("setdefault.new"), self.block_named("setdefault.join"));
                self.b().build_conditional_branch(added, yes, join).u();
                self.b().position_at_end(yes);
                let dv = self.cast(d, &self.ty(&args[1]), &value);
                self.store_value(slots, dv, &value);
                self.b().build_unconditional_branch(join).u();
                self.b().position_at_end(join);
                let v = self.module_gen.load_flat(slots, 0, &value);
                self.cast(v, &value, &ty)
            }
            DictMethod::Update => {
                let other = self.expr(&args[0]);
                let ot = self.ty(&args[0]);
                let other = self.cast(other, &ot, &dt).into_pointer_value();
                let f = self.helper(Helper::DictFill);
                let ok = self.call_basic(f, &[h.into(), other.into()]).into_int_value();
                let failed = self.b().build_not(ok, "nomem").u();
                self.fail_if(failed, Status::OutOfMemory as u32);
                self.ctx().i8_type().const_zero().into()
            }
            DictMethod::Iter | DictMethod::Keys | DictMethod::Values | DictMethod::Items => {
                let out = self.dict_to_list(h, (&key, &value), method, &ty);
                self.own_temp(e.id, out.into(), &ty);
                out.into()
            }
        }
    }

    /// A new list of the keys, values or `(key, value)` items of `h`, in order.
    fn dict_to_list(
        &self,
        h: PointerValue<'ctx>,
        (key, value): (&Type, &Type),
        method: DictMethod,
        ty: &Type,
    ) -> PointerValue<'ctx> {
        let Type::List(item) = ty else { unreachable!("a list") };
        let n = self.dict_len(h);
        let out = self.list_new(item, n);
        let count = self.entry_alloca(self.ctx().i64_type(), "dict.count");
        self.b().build_store(count, self.i64(0)).u();
        self.for_each_entry(h, (key, value), |g, k, v| {
            let x = match method {
                DictMethod::Values => g.cast(v, value, item),
                DictMethod::Items => {
                    let Type::Tuple(parts) = &**item else { unreachable!("a tuple") };
                    let (k, v) = (g.cast(k, key, &parts[0]), g.cast(v, value, &parts[1]));
                    let tt = g.module_gen.llty(&item.carrier()).into_struct_type();
                    let t = g.b().build_insert_value(tt.get_undef(), k, 0, "item").u();
                    g.b().build_insert_value(t, v, 1, "item").u().into_struct_value().into()
                }
                _ => g.cast(k, key, item),
            };
            let at = g.b().build_load(g.ctx().i64_type(), count, "at").u().into_int_value();
            g.store_item(out, at, item, x);
            let at1 = g.b().build_int_add(at, g.i64(1), "at1").u();
            g.b().build_store(count, at1).u();
        });
        self.set_len(out, n);
        out
    }

    /// `body(key, value)` for each live entry of `h`, in order.
    pub(super) fn for_each_entry(
        &self,
        h: PointerValue<'ctx>,
        (key, value): (&Type, &Type),
        mut body: impl FnMut(&Self, BasicValueEnum<'ctx>, BasicValueEnum<'ctx>),
    ) {
        let used = self.dict_word(h, USED, "dict.used");
        let ptr = self.ctx().ptr_type(inkwell::AddressSpace::default());
        let entries = self.b().build_load(ptr, self.dict_field(h, ENTRIES), "dict.entries").u().into_pointer_value();
        let (ks, vs) = (crate::abi::slots_of(key), crate::abi::slots_of(value));
        let es = crate::dict::entry_slots(ks as i64, vs as i64);
        let open = self.loop_open(used);
        let at = self.b().build_int_mul(open.k, self.i64(es), "entry").u();
        let i64t = self.ctx().i64_type();
        // SAFETY: entry `k < used` lies inside the entries.
        let e = unsafe { self.b().build_in_bounds_gep(i64t, entries, &[at], "e").u() };
        let state = self.b().build_load(i64t, e, "state").u().into_int_value();
        let live = self.b().build_int_compare(IntPredicate::NE, state, self.i64(0), "live").u();
        let (yes, next) = (self.block_named("entry.live"), self.block_named("entry.next"));
        self.b().build_conditional_branch(live, yes, next).u();
        self.b().position_at_end(yes);
        let k = self.module_gen.load_flat(e, 1, key);
        let v = self.module_gen.load_flat(e, 1 + ks, value);
        body(self, k, v);
        self.b().build_unconditional_branch(next).u();
        self.b().position_at_end(next);
        self.loop_close(open);
    }

    /// `k in d`, `d.pop(k[, default])`, `d.copy()`, `d.clear()`, `sorted(d)`; `s.remove(x)`.
    pub(super) fn dict_list_method(
        &mut self,
        e: &hir::Expr,
        method: ListMethod,
        dict: &hir::Expr,
        args: &[hir::Expr],
    ) -> BasicValueEnum<'ctx> {
        if method == ListMethod::DelItem {
            // `del d[k]`: `d.pop(k)`, its value dropped (a missing key: the same KeyError).
            self.dict_list_method(e, ListMethod::Pop, dict, args);
            return self.ctx().i8_type().const_zero().into();
        }
        let dt = self.ty(dict);
        let (key, value) = key_value(&dt);
        let h = self.expr(dict).into_pointer_value();
        match method {
            ListMethod::Sorted => {
                let reverse = args.first().map(|r| (self.expr(r), self.ty(r)));
                let ty = self.ty(e);
                let out = self.dict_to_list(h, (&key, &value), DictMethod::Keys, &ty);
                self.own_temp(e.id, out.into(), &ty);
                self.sort_items(out, &key, reverse.as_ref());
                out.into()
            }
            ListMethod::Contains => {
                let k = self.expr(&args[0]);
                let (slots, _) = self.dict_find(h, k, &self.ty(&args[0]), &key);
                self.b().build_is_not_null(slots, "in").u().into()
            }
            ListMethod::Pop => {
                let k = self.expr(&args[0]);
                let default = args.get(1).map(|d| (self.expr(d), self.ty(d)));
                let buf = self.key_slots(k, &self.ty(&args[0]), &key);
                let n = crate::abi::slots_of(&value).max(1) as u32;
                let out = self.entry_alloca(self.ctx().i64_type().array_type(n), "dict.popped");
                let f = self.helper(Helper::DictRemove);
                let found = self.call_basic(f, &[h.into(), buf.into(), out.into()]).into_int_value();
                let v = match default {
                    None => {
                        let missing = self.b().build_not(found, "missing").u();
                        self.key_error_if(missing, buf, &key);
                        self.module_gen.load_flat(out, 0, &value)
                    }
                    Some((d, dt)) => {
                        // The slots are written only when found; zeros are a valid value.
                        let zero = self.module_gen.llty(&crate::types::Type::Int64).into_int_type().const_zero();
                        let first = self.module_gen.slot(out, 0);
                        let (yes, join) = (self.block_named("pop.missing"), self.block_named("pop.join"));
                        self.b().build_conditional_branch(found, join, yes).u();
                        self.b().position_at_end(yes);
                        self.b().build_store(first, zero).u();
                        self.b().build_unconditional_branch(join).u();
                        self.b().position_at_end(join);
                        let v = self.module_gen.load_flat(out, 0, &value);
                        return self.choose(found, (v, &value), (d, &dt), &self.ty(e));
                    }
                };
                v
            }
            ListMethod::Remove => {
                let x = self.expr(&args[0]);
                let buf = self.key_slots(x, &self.ty(&args[0]), &key);
                let out = self.entry_alloca(self.ctx().i64_type().array_type(1), "set.none");
                let f = self.helper(Helper::DictRemove);
                let found = self.call_basic(f, &[h.into(), buf.into(), out.into()]).into_int_value();
                let missing = self.b().build_not(found, "missing").u();
                self.key_error_if(missing, buf, &key);
                self.ctx().i8_type().const_zero().into()
            }
            ListMethod::Copy => {
                let out = self.dict_new(&key, &value);
                self.own_temp(e.id, out.into(), &dt);
                let f = self.helper(Helper::DictFill);
                let ok = self.call_basic(f, &[out.into(), h.into()]).into_int_value();
                let failed = self.b().build_not(ok, "nomem").u();
                self.fail_if(failed, Status::OutOfMemory as u32);
                out.into()
            }
            ListMethod::Clear => {
                let f = self.helper(Helper::DictFill);
                let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
                self.call_basic(f, &[h.into(), null.into()]);
                self.ctx().i8_type().const_zero().into()
            }
            m => unreachable!("inference rejects dict.{}()", m.name()),
        }
    }

    /// The dict `v` of `from`'s types as a dict of `to`'s: a new dict of the entries converted
    /// (a dict's type widened after it was made).
    pub(super) fn dict_convert(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let (fk, fv) = key_value(from);
        let (tk, tv) = key_value(to);
        if from == to {
            return v;
        }
        if fk == Type::Unknown || (fv == Type::Unknown && matches!(from, Type::Dict(..))) {
            // Nothing was ever put in (the block's slots are for no type): a new empty one.
            if tk != Type::Unknown && (tv != Type::Unknown || matches!(to, Type::Set(_))) {
                return self.dict_new(&tk, &tv).into();
            }
            return v;
        }
        let h = v.into_pointer_value();
        let out = self.dict_new(&tk, &tv);
        self.for_each_entry(h, (&fk, &fv), |g, k, v| g.dict_put(out, (&tk, &tv), (k, &fk), (v, &fv)));
        out.into()
    }
}
