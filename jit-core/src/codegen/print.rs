//! `print()`: each argument written onto the thread's line (`crate::output`) as CPython's
//! `str()` writes it (inside containers as `repr()`), then the line handed to the host.

use inkwell::values::{BasicValueEnum, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::hir;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `print(...)`: each item onto the thread's line (`output.rs`), separated by `sep`, then
    /// `end`, and the line written; an exception the writer raised returns its status.
    pub(super) fn print(&mut self, items: &[hir::PrintItem], sep: &str, end: &str, flush: bool) {
        use super::Helper as Hp;
        let text = |g: &Self, t: &str| {
            if t.is_empty() {
                return;
            }
            let p = g.b().build_global_string_ptr(t, "print.text").u().as_pointer_value();
            g.b().build_call(g.helper(Hp::PrintText), &[p.into(), g.i64(t.len() as i64).into()], "").u();
        };
        // Python evaluates every argument before it writes anything.
        // (The exact type: a float32 is written with a float32's digits.)
        let values: Vec<Option<(BasicValueEnum<'ctx>, Type)>> =
            items.iter().map(|i| i.value().map(|e| (self.expr(e), self.spec.expr_types[e.id as usize].clone()))).collect();
        for (k, (item, value)) in items.iter().zip(values).enumerate() {
            if k > 0 {
                text(self, sep);
            }
            match (item, value) {
                (hir::PrintItem::Text(t), _) => text(self, t.as_str()),
                (_, Some((v, t))) => self.print_value(v, &t),
                (hir::PrintItem::Value(_), None) => unreachable!("a value item has a value"),
            }
        }
        text(self, end);
        if flush {
            self.request_flush();
        }
        let status = self.call_basic(self.helper(Hp::PrintFlush), &[]).into_int_value();
        let failed = self.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "print.failed").u();
        self.on_failure(failed, |g| g.ret_status(status));
    }

    /// Writes `v` (of type `t`) as `str()` writes it: a number, `None`, a tuple or a list of
    /// them (their items as `repr()`, which for numbers is `str()`).
    pub(super) fn print_value(&self, v: BasicValueEnum<'ctx>, t: &Type) {
        use super::Helper as Hp;
        let bool_t = self.ctx().bool_type();
        let text = |g: &Self, t: &str| {
            let p = g.b().build_global_string_ptr(t, "print.text").u().as_pointer_value();
            g.b().build_call(g.helper(Hp::PrintText), &[p.into(), g.i64(t.len() as i64).into()], "").u();
        };
        match t {
            Type::None => text(self, "None"),
            Type::Optional(inner) => {
                let sv = v.into_struct_value();
                let present = self.b().build_extract_value(sv, 0, "present").u().into_int_value();
                let (some_bb, none_bb) = (self.block_named("print.some"), self.block_named("print.none"));
                let done = self.block_named("print.opt.done");
                self.b().build_conditional_branch(present, some_bb, none_bb).u();
                self.b().position_at_end(some_bb);
                self.print_value(self.b().build_extract_value(sv, 1, "value").u(), inner);
                self.b().build_unconditional_branch(done).u();
                self.b().position_at_end(none_bb);
                text(self, "None");
                self.b().build_unconditional_branch(done).u();
                self.b().position_at_end(done);
            }
            Type::Bool => {
                self.b().build_call(self.helper(Hp::PrintBool), &[v.into()], "").u();
            }
            Type::Complex128 | Type::Complex64 => {
                let single = bool_t.const_int((*t == Type::Complex64) as u64, false);
                let (re, im) = self.complex_parts(v);
                self.b().build_call(self.helper(Hp::PrintComplex), &[re.into(), im.into(), single.into()], "").u();
            }
            Type::Float64 | Type::Float32 => {
                let single = bool_t.const_int((*t == Type::Float32) as u64, false);
                self.b().build_call(self.helper(Hp::PrintFloat), &[v.into(), single.into()], "").u();
            }
            // A namedtuple as its `__repr__` writes it: `Point(x=1.0, y=2.0)` (its class's
            // `__name__`, the last part of the qualified name).
            Type::Tuple(items) if items.names().is_some() => {
                let names = items.names().expect("just checked");
                text(self, &format!("{}(", names.class.rsplit('.').next().unwrap_or(&names.class)));
                for (k, it) in items.iter().enumerate() {
                    text(self, &format!("{}{}=", if k > 0 { ", " } else { "" }, names.fields[k]));
                    let x = self.b().build_extract_value(v.into_struct_value(), k as u32, "item").u();
                    self.print_item(x, it);
                }
                text(self, ")");
            }
            Type::Tuple(items) => {
                text(self, "(");
                for (k, it) in items.iter().enumerate() {
                    if k > 0 {
                        text(self, ", ");
                    }
                    let x = self.b().build_extract_value(v.into_struct_value(), k as u32, "item").u();
                    self.print_item(x, it);
                }
                text(self, if items.len() == 1 { ",)" } else { ")" });
            }
            Type::List(item) => self.print_list(v.into_pointer_value(), item),
            Type::Dict(k, value) => self.print_dict(v.into_pointer_value(), k, Some(value)),
            Type::Set(k) => self.print_dict(v.into_pointer_value(), k, None),
            Type::Str => self.print_str(v, false),
            Type::Array(a) => self.print_array(v, *a, false),
            t => {
                let unsigned = bool_t.const_int((*t == Type::UInt64) as u64, false);
                let x = self.cast(v, t, &Type::Int64);
                self.b().build_call(self.helper(Hp::PrintInt), &[x.into(), unsigned.into()], "").u();
            }
        }
    }

    /// An item of a tuple, list, dict or set, as `repr()` writes it (a string quoted, an array
    /// as `array([...])`; numbers as `str()`).
    pub(super) fn print_item(&self, v: BasicValueEnum<'ctx>, t: &Type) {
        match t {
            Type::Str => self.print_str(v, true),
            Type::Array(a) => self.print_array(v, *a, true),
            t => self.print_value(v, t),
        }
    }

    /// `print` of a dict (`{k: v, ...}`) or, `value` None, a set (`{k, ...}`, `set()` empty),
    /// in insertion order.
    fn print_dict(&self, h: inkwell::values::PointerValue<'ctx>, key: &Type, value: Option<&Type>) {
        use super::Helper as Hp;
        let text = |g: &Self, t: &str| {
            let p = g.b().build_global_string_ptr(t, "print.text").u().as_pointer_value();
            g.b().build_call(g.helper(Hp::PrintText), &[p.into(), g.i64(t.len() as i64).into()], "").u();
        };
        let done = self.block_named("pdict.done");
        if value.is_none() {
            let (empty, items) = (self.block_named("pset.empty"), self.block_named("pset.items"));
            let n = self.dict_len(h);
            let is_empty = self.b().build_int_compare(IntPredicate::EQ, n, self.i64(0), "empty").u();
            self.b().build_conditional_branch(is_empty, empty, items).u();
            self.b().position_at_end(empty);
            text(self, "set()");
            self.b().build_unconditional_branch(done).u();
            self.b().position_at_end(items);
        }
        text(self, "{");
        let bool_t = self.ctx().bool_type();
        let first = self.entry_alloca(bool_t, "pdict.first");
        self.b().build_store(first, bool_t.const_int(1, false)).u();
        let vt = value.cloned().unwrap_or(Type::None);
        self.for_each_entry(h, (key, &vt), |g, k, v| {
            let (sep, item) = (g.block_named("pdict.sep"), g.block_named("pdict.item"));
            let is_first = g.b().build_load(bool_t, first, "first").u().into_int_value();
            g.b().build_conditional_branch(is_first, item, sep).u();
            g.b().position_at_end(sep);
            text(g, ", ");
            g.b().build_unconditional_branch(item).u();
            g.b().position_at_end(item);
            g.b().build_store(first, bool_t.const_int(0, false)).u();
            g.print_item(k, key);
            if let Some(value) = value {
                text(g, ": ");
                g.print_item(v, value);
            }
        });
        text(self, "}");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
    }

    /// `print` of an array: NumPy's `str()` (`repr`: its `repr()`, inside a tuple or list),
    /// made by the host (`output::sj_rt_print_array`).
    pub(super) fn print_array(&self, v: BasicValueEnum<'ctx>, a: crate::types::ArrayType, repr: bool) {
        let desc = crate::abi::ArrayDesc::new(a.ndim);
        let buf = self.entry_alloca(self.ctx().i64_type().array_type(desc.slots() as u32), "print.array");
        self.module_gen.store_flat(buf, 0, v, &Type::Array(a));
        let i32t = self.ctx().i32_type();
        let ndim = a.ndim as u64 | if repr { crate::output::REPR_FLAG as u64 } else { 0 };
        let args = [buf.into(), i32t.const_int(a.dtype as u64, false).into(), i32t.const_int(ndim, false).into()];
        self.b().build_call(self.helper(super::Helper::PrintArray), &args, "").u();
    }

    /// Writes the list `h` as `str()` writes it: `[1, 2.5]`.
    pub(super) fn print_list(&self, h: PointerValue<'ctx>, item: &Type) {
        let text = |g: &Self, t: &str| {
            let p = g.b().build_global_string_ptr(t, "print.text").u().as_pointer_value();
            g.b().build_call(g.helper(Helper::PrintText), &[p.into(), g.i64(t.len() as i64).into()], "").u();
        };
        text(self, "[");
        let len = self.list_len(h);
        let (sep, item_bb) = (self.block_named("plist.sep"), self.block_named("plist.item"));
        let open = self.loop_open(len);
        let first = self.b().build_int_compare(IntPredicate::EQ, open.k, self.i64(0), "first").u();
        self.b().build_conditional_branch(first, item_bb, sep).u();
        self.b().position_at_end(sep);
        text(self, ", ");
        self.b().build_unconditional_branch(item_bb).u();
        self.b().position_at_end(item_bb);
        let x = self.load_item(h, open.k, item, "x");
        self.print_item(x, item);
        self.loop_close(open);
        text(self, "]");
    }
}
