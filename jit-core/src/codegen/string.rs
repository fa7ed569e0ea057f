//! Code for strings: literals (made once per compiled object, never freed), f-strings, the
//! operators, indexing and methods, each a call of the runtime's `sj_rt_str` (`crate::string`)
//! whose result, a new string or list, is held by its expression's slot.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::{AddressSpace, AtomicOrdering, IntPredicate};

use super::{Built, FnGen, Helper};
use crate::ast::{BinOp, CmpOp};
use crate::hir::{self, Intrinsic, ListMethod, StrMethod};
use crate::runtime::Status;
use crate::string::StrOp;
use crate::types::Type;

/// Bit 62 of `sj_rt_str`'s `y`: a uint64 (`FmtInt`) or float32 (`FmtFloat`).
const FLAG: i64 = 1 << 62;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    fn null(&self) -> PointerValue<'ctx> {
        self.ctx().ptr_type(AddressSpace::default()).const_null()
    }

    /// A string's length in code points.
    pub(super) fn str_len(&self, h: PointerValue<'ctx>) -> IntValue<'ctx> {
        let i8t = self.ctx().i8_type();
        // SAFETY: inside the block (its payload follows the header).
        let p = unsafe { self.b().build_in_bounds_gep(i8t, h, &[self.i64(crate::string::LEN as i64)], "str.lenp").u() };
        self.b().build_load(self.ctx().i64_type(), p, "str.len").u().into_int_value()
    }

    /// `sj_rt_str(op, a, b, c, x, y)`.
    fn str_call(
        &self,
        op: StrOp,
        a: PointerValue<'ctx>,
        b: PointerValue<'ctx>,
        c: PointerValue<'ctx>,
        x: IntValue<'ctx>,
        y: IntValue<'ctx>,
    ) -> IntValue<'ctx> {
        let op = self.ctx().i32_type().const_int(op as u64, false);
        let args = [op.into(), a.into(), b.into(), c.into(), x.into(), y.into()];
        self.call_basic(self.helper(Helper::Str), &args).into_int_value()
    }

    /// A block's address returned by `sj_rt_str`: null raises what the runtime recorded.
    fn str_block(&self, v: IntValue<'ctx>) -> PointerValue<'ctx> {
        let zero = self.i64(0);
        let failed = self.b().build_int_compare(IntPredicate::EQ, v, zero, "str.failed").u();
        self.fail_if(failed, Status::Raised as u32);
        self.b().build_int_to_ptr(v, self.ctx().ptr_type(AddressSpace::default()), "str").u()
    }

    /// An integer returned by `sj_rt_str` that is i64::MIN after an exception.
    fn str_int(&self, v: IntValue<'ctx>) -> IntValue<'ctx> {
        let failed = self.b().build_int_compare(IntPredicate::EQ, v, self.i64(i64::MIN), "str.failed").u();
        self.fail_if(failed, Status::Raised as u32);
        v
    }

    /// The new string `sj_rt_str` returned (`v`), held by the slot of `owner` (null raises).
    fn str_held(&mut self, owner: hir::ExprId, v: IntValue<'ctx>) -> BasicValueEnum<'ctx> {
        let h = self.str_block(v);
        self.own_temp(owner, h.into(), &Type::Str);
        h.into()
    }

    /// A new string (or list) made by `op`, held by `e`'s slot.
    fn str_new(
        &mut self,
        e: &hir::Expr,
        op: StrOp,
        a: PointerValue<'ctx>,
        b: PointerValue<'ctx>,
        x: IntValue<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let v = self.str_call(op, a, b, self.null(), x, self.i64(0));
        let h = self.str_block(v);
        self.own_temp(e.id, h.into(), &self.ty(e));
        h.into()
    }

    /// A constant text's address and length in bytes.
    fn text(&self, t: &str, name: &str) -> (PointerValue<'ctx>, IntValue<'ctx>) {
        if t.is_empty() {
            return (self.null(), self.i64(0));
        }
        let g = self.b().build_global_string_ptr(t, name).u();
        (g.as_pointer_value(), self.i64(t.len() as i64))
    }

    /// A string literal: made at its first evaluation (the object's global caches it), never
    /// freed, so evaluating it again costs a load.
    pub(super) fn str_literal(&mut self, s: &str) -> BasicValueEnum<'ctx> {
        let ptr_t = self.ctx().ptr_type(AddressSpace::default());
        let cache = self.module_gen.module.add_global(ptr_t, None, "str.literal");
        cache.set_initializer(&ptr_t.const_null());
        cache.set_linkage(inkwell::module::Linkage::Private);
        let cached = self.b().build_load(ptr_t, cache.as_pointer_value(), "str.cached").u().into_pointer_value();
        let load = cached.as_instruction().expect("a load");
        load.set_atomic_ordering(AtomicOrdering::Monotonic).u();
        load.set_alignment(8).u();
        let start = self.b().get_insert_block().expect("in a block");
        let make = self.block_named("str.make");
        let done = self.block_named("str.done");
        let missing = self.b().build_is_null(cached, "str.missing").u();
        self.b().build_conditional_branch(missing, make, done).u();
        self.b().position_at_end(make);
        let (p, n) = self.text(s, "str.text");
        let v = self.str_call(StrOp::Literal, p, self.null(), self.null(), n, self.i64(0));
        let made = self.str_block(v);
        let store = self.b().build_store(cache.as_pointer_value(), made).u();
        store.set_atomic_ordering(AtomicOrdering::Monotonic).u();
        store.set_alignment(8).u();
        let made_in = self.b().get_insert_block().expect("in a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
        let phi = self.b().build_phi(ptr_t, "str.lit").u();
        phi.add_incoming(&[(&cached, start), (&made, made_in)]);
        phi.as_basic_value()
    }

    /// An f-string: every value evaluated first, then the parts formatted into one new string.
    pub(super) fn fstring(
        &mut self,
        e: &hir::Expr,
        texts: &[String],
        values: &[hir::Expr],
        formats: &[(u8, String)],
    ) -> BasicValueEnum<'ctx> {
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = values.iter().map(|v| (self.expr(v), self.ty(v))).collect();
        // Values converted with !r/!s/!a become strings first (no runtime call in between the
        // parts: the builder is the thread's).
        let mut converted = Vec::with_capacity(vals.len());
        for (((v, t), (conversion, _)), value) in vals.into_iter().zip(formats).zip(values) {
            if *conversion != 0 && t != Type::Str {
                let h = self.str_of_number(v, &t);
                if t != Type::Bool {
                    // Held by the number's own slot (a number's expression holds nothing else).
                    self.own_temp(value.id, h.into(), &Type::Str);
                }
                converted.push((h.into(), Type::Str));
            } else {
                converted.push((v, t));
            }
        }
        let zero = self.i64(0);
        self.str_call(StrOp::FmtBegin, self.null(), self.null(), self.null(), zero, zero);
        for (k, text) in texts.iter().enumerate() {
            if !text.is_empty() {
                let (p, n) = self.text(text, "fstr.text");
                self.str_call(StrOp::FmtText, p, self.null(), self.null(), n, zero);
            }
            let (Some((v, t)), Some((conversion, spec))) = (converted.get(k), formats.get(k)) else { continue };
            let (sp, sn) = self.text(spec, "fstr.spec");
            let (op, a, x, y) = match t {
                // (A number converted with !r is its str: only a string's repr differs.)
                Type::Str => {
                    let quoted = matches!(*conversion, b'r' | b'a') && self.ty(&values[k]) == Type::Str;
                    (StrOp::FmtStr, v.into_pointer_value(), self.i64(quoted as i64), sn)
                }
                Type::Bool => {
                    let x = self.b().build_int_z_extend(v.into_int_value(), self.ctx().i64_type(), "b").u();
                    (StrOp::FmtBool, self.null(), x, sn)
                }
                Type::Float64 | Type::Float32 => {
                    let bits = self.b().build_bit_cast(*v, self.ctx().i64_type(), "bits").u().into_int_value();
                    let flag = if *t == Type::Float32 { self.i64(FLAG) } else { zero };
                    (StrOp::FmtFloat, self.null(), bits, self.b().build_or(sn, flag, "y").u())
                }
                _ => {
                    let flag = if *t == Type::UInt64 { self.i64(FLAG) } else { zero };
                    let x = self.cast(*v, t, &Type::Int64).into_int_value();
                    (StrOp::FmtInt, self.null(), x, self.b().build_or(sn, flag, "y").u())
                }
            };
            let b = if sn.get_zero_extended_constant() == Some(0) { self.null() } else { sp };
            self.str_call(op, a, b, self.null(), x, y);
        }
        let v = self.str_call(StrOp::FmtEnd, self.null(), self.null(), self.null(), zero, zero);
        self.str_held(e.id, v)
    }

    /// `str(x)` of a number (a new string, not held: the caller holds or formats it at once,
    /// and the call's end frees it).
    fn str_of_number(&mut self, v: BasicValueEnum<'ctx>, t: &Type) -> PointerValue<'ctx> {
        let (op, x, y) = match t {
            Type::Bool => {
                let s = self.b().build_select(v.into_int_value(), self.i64(1), self.i64(0), "b").u().into_int_value();
                // "True"/"False" through the int path would give 1/0: use a literal.
                let t_ = self.str_literal("True").into_pointer_value();
                let f_ = self.str_literal("False").into_pointer_value();
                let is = self.b().build_int_compare(IntPredicate::NE, s, self.i64(0), "is").u();
                return self.b().build_select(is, t_, f_, "bool.str").u().into_pointer_value();
            }
            Type::Float64 | Type::Float32 => {
                let bits = self.b().build_bit_cast(v, self.ctx().i64_type(), "bits").u().into_int_value();
                (StrOp::OfFloat, bits, self.i64((*t == Type::Float32) as i64))
            }
            _ => (StrOp::OfInt, self.cast(v, t, &Type::Int64).into_int_value(), self.i64((*t == Type::UInt64) as i64)),
        };
        let r = self.str_call(op, self.null(), self.null(), self.null(), x, y);
        self.str_block(r)
    }

    /// `str(x)`, `repr(x)`, `ord(c)`, `chr(i)` and the string methods.
    pub(super) fn string_intrinsic(&mut self, e: &hir::Expr, f: Intrinsic, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let s = |k: usize| vals[k].0.into_pointer_value();
        let zero = self.i64(0);
        match f {
            Intrinsic::Str | Intrinsic::Repr => match vals.first() {
                None => self.str_literal(""),
                Some((v, Type::Str)) if f == Intrinsic::Str => *v,
                Some((v, Type::Str)) => self.str_new(e, StrOp::Repr, v.into_pointer_value(), self.null(), zero),
                Some((v, t)) => {
                    let h = self.str_of_number(*v, t);
                    if *t != Type::Bool {
                        self.own_temp(e.id, h.into(), &Type::Str);
                    }
                    h.into()
                }
            },
            Intrinsic::Ord => {
                let v = self.str_call(StrOp::Ord, s(0), self.null(), self.null(), zero, zero);
                self.str_int(v).into()
            }
            Intrinsic::Chr => {
                let x = self.cast(vals[0].0, &vals[0].1, &Type::Int64).into_int_value();
                let v = self.str_call(StrOp::Chr, self.null(), self.null(), self.null(), x, zero);
                self.str_held(e.id, v)
            }
            Intrinsic::StrMethod(m) => self.str_method(e, m, &vals),
            Intrinsic::CaughtText => {
                let slot = *self.handling.last().expect("lowering binds `as e` only in an except clause");
                let st = self.b().build_load(self.module_gen.status_llty(), slot, "caught.status").u().into_int_value();
                let st = self.b().build_int_z_extend(st, self.ctx().i64_type(), "st").u();
                let v = self.str_call(StrOp::ExceptionText, self.null(), self.null(), self.null(), st, zero);
                self.str_held(e.id, v)
            }
            Intrinsic::RaiseMessage(class) => {
                let class = self.i64(class as i64);
                self.str_call(StrOp::RecordRaise, s(0), self.null(), self.null(), class, zero);
                self.ctx().i8_type().const_zero().into()
            }
            _ => unreachable!("not a string intrinsic"),
        }
    }

    fn str_method(&mut self, e: &hir::Expr, m: StrMethod, vals: &[(BasicValueEnum<'ctx>, Type)]) -> BasicValueEnum<'ctx> {
        let zero = self.i64(0);
        let a = vals[0].0.into_pointer_value();
        // An optional string argument: null when absent or None.
        let opt = |k: usize| match vals.get(k) {
            Some((v, Type::Str)) => v.into_pointer_value(),
            _ => self.null(),
        };
        let int_arg = |g: &Self, k: usize, default: i64| match vals.get(k) {
            Some((v, t)) => g.cast(*v, t, &Type::Int64).into_int_value(),
            None => g.i64(default),
        };
        let truth = |g: &Self, v: IntValue<'ctx>| -> BasicValueEnum<'ctx> {
            g.b().build_int_compare(IntPredicate::NE, v, g.i64(0), "t").u().into()
        };
        match m {
            StrMethod::Upper => self.str_new(e, StrOp::Upper, a, self.null(), zero),
            StrMethod::Title => self.str_new(e, StrOp::CaseMap, a, self.null(), self.i64(0)),
            StrMethod::Capitalize => self.str_new(e, StrOp::CaseMap, a, self.null(), self.i64(1)),
            StrMethod::SwapCase => self.str_new(e, StrOp::CaseMap, a, self.null(), self.i64(2)),
            StrMethod::SplitLines => self.str_new(e, StrOp::SplitLines, a, self.null(), zero),
            StrMethod::ZFill | StrMethod::Center | StrMethod::LJust | StrMethod::RJust => {
                let width = int_arg(self, 1, 0);
                let mode = match m {
                    StrMethod::ZFill => 0,
                    StrMethod::Center => 1,
                    StrMethod::LJust => 2,
                    _ => 3,
                };
                let v = self.str_call(StrOp::Pad, a, opt(2), self.null(), width, self.i64(mode));
                self.str_held(e.id, v)
            }
            StrMethod::Lower => self.str_new(e, StrOp::Lower, a, self.null(), zero),
            StrMethod::Strip => self.str_new(e, StrOp::Strip, a, opt(1), self.i64(3)),
            StrMethod::LStrip => self.str_new(e, StrOp::Strip, a, opt(1), self.i64(1)),
            StrMethod::RStrip => self.str_new(e, StrOp::Strip, a, opt(1), self.i64(2)),
            StrMethod::Split => {
                let x = int_arg(self, 2, -1);
                self.str_new(e, StrOp::Split, a, opt(1), x)
            }
            StrMethod::Join => self.str_new(e, StrOp::Join, a, vals[1].0.into_pointer_value(), zero),
            StrMethod::Replace => {
                let x = int_arg(self, 3, -1);
                let v = self.str_call(StrOp::Replace, a, opt(1), opt(2), x, zero);
                self.str_held(e.id, v)
            }
            StrMethod::Find | StrMethod::RFind => {
                let op = if m == StrMethod::Find { StrOp::Find } else { StrOp::RFind };
                self.str_call(op, a, opt(1), self.null(), zero, zero).into()
            }
            _ => {
                let op = match m {
                    StrMethod::StartsWith => StrOp::StartsWith,
                    StrMethod::EndsWith => StrOp::EndsWith,
                    StrMethod::IsDigit => StrOp::IsDigit,
                    StrMethod::IsAlpha => StrOp::IsAlpha,
                    StrMethod::IsSpace => StrOp::IsSpace,
                    StrMethod::IsAlnum => StrOp::IsAlnum,
                    StrMethod::IsUpper => StrOp::IsUpper,
                    _ => StrOp::IsLower,
                };
                let v = self.str_call(op, a, opt(1), self.null(), zero, zero);
                truth(self, v)
            }
        }
    }

    /// `sub in s`, `s.count(sub)`, `s.index(sub)`.
    pub(super) fn string_list_method(&mut self, method: ListMethod, s: &hir::Expr, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let h = self.expr(s).into_pointer_value();
        let sub = self.expr(&args[0]).into_pointer_value();
        let zero = self.i64(0);
        match method {
            ListMethod::Contains => {
                let v = self.str_call(StrOp::Contains, h, sub, self.null(), zero, zero);
                self.b().build_int_compare(IntPredicate::NE, v, zero, "in").u().into()
            }
            ListMethod::Count => self.str_call(StrOp::Count, h, sub, self.null(), zero, zero).into(),
            _ => {
                let v = self.str_call(StrOp::Index, h, sub, self.null(), zero, zero);
                self.str_int(v).into()
            }
        }
    }

    /// `s + t`, `s * n`, `n * s`.
    pub(super) fn string_binary(
        &mut self,
        e: &hir::Expr,
        op: BinOp,
        left: &hir::Expr,
        right: &hir::Expr,
    ) -> BasicValueEnum<'ctx> {
        let (l, lt) = (self.expr(left), self.ty(left));
        let (r, rt) = (self.expr(right), self.ty(right));
        self.string_binary_values(e.id, op, (l, &lt), (r, &rt))
    }

    /// `l op r` of evaluated operands (one a string): a new string, held by the slot of `owner`.
    pub(super) fn string_binary_values(
        &mut self,
        owner: hir::ExprId,
        op: BinOp,
        (l, lt): (BasicValueEnum<'ctx>, &Type),
        (r, rt): (BasicValueEnum<'ctx>, &Type),
    ) -> BasicValueEnum<'ctx> {
        let zero = self.i64(0);
        let v = match op {
            BinOp::Add => self.str_call(StrOp::Concat, l.into_pointer_value(), r.into_pointer_value(), self.null(), zero, zero),
            _ => {
                let (s, (n, nt)) = if *lt == Type::Str { (l, (r, rt)) } else { (r, (l, lt)) };
                let n = self.cast(n, nt, &Type::Int64).into_int_value();
                self.str_call(StrOp::Repeat, s.into_pointer_value(), self.null(), self.null(), n, zero)
            }
        };
        self.str_held(owner, v)
    }

    /// One comparison of two strings.
    pub(super) fn string_compare(&self, op: CmpOp, l: BasicValueEnum<'ctx>, r: BasicValueEnum<'ctx>) -> IntValue<'ctx> {
        let zero = self.i64(0);
        let (l, r) = (l.into_pointer_value(), r.into_pointer_value());
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            let v = self.str_call(StrOp::Equal, l, r, self.null(), zero, zero);
            let pred = if op == CmpOp::Eq { IntPredicate::NE } else { IntPredicate::EQ };
            return self.b().build_int_compare(pred, v, zero, "str.eq").u();
        }
        let v = self.str_call(StrOp::Compare, l, r, self.null(), zero, zero);
        let pred = match op {
            CmpOp::Lt => IntPredicate::SLT,
            CmpOp::Le => IntPredicate::SLE,
            CmpOp::Gt => IntPredicate::SGT,
            _ => IntPredicate::SGE,
        };
        self.b().build_int_compare(pred, v, zero, "str.cmp").u()
    }

    /// `s[i]` (Python's index rules; out of range: IndexError) and `s[a:b:c]`.
    pub(super) fn string_subscript(&mut self, e: &hir::Expr, value: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let h = self.expr(value).into_pointer_value();
        if let hir::ExprKind::Slice { lower, upper, step } = &index.kind {
            let len = self.str_len(h);
            let (start, n, step) = self.slice(lower, upper, step, len);
            let n_ptr = self.b().build_int_to_ptr(n, self.ctx().ptr_type(AddressSpace::default()), "n").u();
            let v = self.str_call(StrOp::Slice, h, self.null(), n_ptr, start, step);
            return self.str_held(e.id, v);
        }
        let i = self.expr(index);
        let i = self.as_index(i, &self.ty(index));
        let v = self.str_call(StrOp::Char, h, self.null(), self.null(), i, self.i64(0));
        self.str_block(v).into()
    }

    /// The one-character string at position `i` (inside) of the string `h`, as `s[i]` makes it.
    pub(super) fn str_char(&self, h: PointerValue<'ctx>, i: IntValue<'ctx>) -> PointerValue<'ctx> {
        let v = self.str_call(StrOp::Char, h, self.null(), self.null(), i, self.i64(0));
        self.str_block(v)
    }

    /// `print(..., flush=True)`: asks the host to flush the stream after this line.
    pub(super) fn request_flush(&self) {
        let zero = self.i64(0);
        self.str_call(StrOp::FlushAfterPrint, self.null(), self.null(), self.null(), zero, zero);
    }

    /// `print` of a string (`quoted`: as `repr` writes it, inside a tuple or list).
    pub(super) fn print_str(&self, v: BasicValueEnum<'ctx>, quoted: bool) {
        let zero = self.i64(0);
        let h = v.into_pointer_value();
        let h = if quoted {
            let r = self.str_call(StrOp::Repr, h, self.null(), self.null(), zero, zero);
            self.str_block(r)
        } else {
            h
        };
        self.str_call(StrOp::Print, h, self.null(), self.null(), zero, zero);
    }
}
