//! Codegen of expressions: conversions between int, float and bool, truth values, `and`/`or`,
//! conditional expressions, and comparisons (chained; int against float exactly, as CPython).

use inkwell::basic_block::BasicBlock;
use inkwell::types::BasicType;
use inkwell::values::{BasicValueEnum, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::{Built, FnGen};
use crate::ast::{BinOp, BoolOpKind, UnaryOp};
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::runtime::Status;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    pub(super) fn cast(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let b = self.b();
        let (from, to) = (&from.carrier(), &to.carrier());
        match (from, to) {
            (a, b2) if a == b2 => v,
            (Type::Bool, Type::Int64) => b.build_int_z_extend(v.into_int_value(), self.ctx().i64_type(), "b2i").u().into(),
            (Type::Bool, Type::Float64) => {
                b.build_unsigned_int_to_float(v.into_int_value(), self.ctx().f64_type(), "b2f").u().into()
            }
            (Type::Int64, Type::Float64) => {
                b.build_signed_int_to_float(v.into_int_value(), self.ctx().f64_type(), "i2f").u().into()
            }
            // uint64 and int64 share their bits (Numba's conversion between them).
            (Type::Bool, Type::UInt64) => b.build_int_z_extend(v.into_int_value(), self.ctx().i64_type(), "b2u").u().into(),
            (Type::UInt64, Type::Int64) | (Type::Int64, Type::UInt64) => v,
            (Type::UInt64, Type::Float64) => {
                b.build_unsigned_int_to_float(v.into_int_value(), self.ctx().f64_type(), "u2f").u().into()
            }
            (f, Type::Complex128) => self.make_complex(self.parts_of(v, f)),
            (Type::Tuple(fs), Type::Tuple(ts)) => {
                let sv = v.into_struct_value();
                let mut out = self.module_gen.llty(to).into_struct_type().get_undef();
                for (i, (f, t)) in fs.iter().zip(ts).enumerate() {
                    let x = b.build_extract_value(sv, i as u32, "tf").u();
                    let x = self.cast(x, f, t);
                    out = b.build_insert_value(out, x, i as u32, "tc").u().into_struct_value();
                }
                out.into()
            }
            // An array to the general layout (or read-only): the same memory, strides spelled out.
            (Type::Array(fa), Type::Array(ta)) if fa.dtype == ta.dtype && fa.ndim == ta.ndim => {
                let sv = v.into_struct_value();
                let strides = self.strides(sv, fa);
                let data = b.build_extract_value(sv, crate::abi::array_value::DATA, "data").u().into_pointer_value();
                let shape: Vec<_> = (0..fa.ndim as u32).map(|k| self.dim(sv, crate::abi::array_value::SHAPE, k)).collect();
                // The same block: its meminfo goes along (the cast borrows, as any expression).
                let meminfo = b.build_extract_value(sv, super::refs::MEMINFO, "meminfo").u().into_pointer_value();
                self.array_value(ta, data, &shape, &strides, meminfo)
            }
            // A list never given an item is empty: any list type holds it as it is.
            // An empty list typed by what is put in it later: the block records the item type
            // (read back by the dispatcher for an empty list argument).
            (Type::List(f), Type::List(t)) if **f == Type::Unknown && **t != Type::Unknown => {
                self.note_item_kind(v.into_pointer_value(), t);
                v
            }
            (Type::List(f), Type::List(t)) if **f == Type::Unknown || **t == Type::Unknown => v,
            (Type::List(f), Type::List(t)) => self.list_convert(v, f, t),
            (Type::Dict(..), Type::Dict(..)) | (Type::Set(_), Type::Set(_)) => self.dict_convert(v, from, to),
            (Type::None, Type::Optional(_)) => self.module_gen.llty(to).const_zero(),
            (Type::Iter(f), Type::Iter(t)) => self.iter_convert(v, f, t),
            (Type::Optional(f), Type::Optional(t)) => self.optional_convert(v, f, t),
            (f, Type::Optional(t)) => self.optional_some(self.cast(v, f, t), t),
            (Type::Unknown, _) | (_, Type::Unknown) => self.module_gen.llty(to).const_zero(),
            _ => unreachable!("inference never asks to cast {from} to {to}"),
        }
    }

    /// An integer as int64 for an index, a count or a size: a uint64 beyond int64's range
    /// becomes int64's largest (out of range for every axis, so an IndexError rather than the
    /// negative index its bits would make).
    pub(super) fn as_index(&self, v: BasicValueEnum<'ctx>, t: &Type) -> IntValue<'ctx> {
        let i = self.cast(v, t, &Type::Int64).into_int_value();
        if t.carrier() != Type::UInt64 {
            return i;
        }
        let b = self.b();
        let high = b.build_int_compare(IntPredicate::SLT, i, self.i64(0), "u.high").u();
        b.build_select(high, self.i64(i64::MAX), i, "u.index").u().into_int_value()
    }

    pub(super) fn truth(&self, v: BasicValueEnum<'ctx>, t: &Type) -> IntValue<'ctx> {
        let b = self.b();
        let t = &t.carrier();
        match t {
            Type::Bool => v.into_int_value(),
            Type::Int64 | Type::UInt64 => b.build_int_compare(IntPredicate::NE, v.into_int_value(), self.i64(0), "t").u(),
            Type::List(_) => {
                let n = self.list_len(v.into_pointer_value());
                self.b().build_int_compare(IntPredicate::NE, n, self.i64(0), "t").u()
            }
            Type::Dict(..) | Type::Set(_) => {
                let n = self.dict_len(v.into_pointer_value());
                self.b().build_int_compare(IntPredicate::NE, n, self.i64(0), "t").u()
            }
            Type::Str => {
                let n = self.str_len(v.into_pointer_value());
                self.b().build_int_compare(IntPredicate::NE, n, self.i64(0), "t").u()
            }
            Type::Range => {
                let n = self.range_object_len(v.into_struct_value());
                self.b().build_int_compare(IntPredicate::NE, n, self.i64(0), "t").u()
            }
            // NaN is true in Python: unordered-or-not-equal.
            Type::Float64 => b.build_float_compare(FloatPredicate::UNE, v.into_float_value(), self.f64(0.0), "t").u(),
            Type::None => self.ctx().bool_type().const_zero(),
            Type::Tuple(ts) => self.ctx().bool_type().const_int(!ts.is_empty() as u64, false),
            Type::Unknown | Type::Array(_) => self.ctx().bool_type().const_zero(),
            Type::Dtype(_) | Type::Generator | Type::Function(_) | Type::Closure(..) | Type::Iter(_) => {
                self.ctx().bool_type().const_int(1, false)
            }
            // A pointer is true when it is not null (as in C).
            Type::Pointer(_) => b.build_is_not_null(v.into_pointer_value(), "t").u(),
            Type::Complex128 => self.complex_truth(v),
            Type::Float32 | Type::Complex64 => unreachable!("carried as float64 or complex128 (Type::carrier above)"),
            // None is false; a value is tested only when present (a list's length is read only then).
            Type::Optional(inner) => {
                let sv = v.into_struct_value();
                let present = b.build_extract_value(sv, 0, "present").u().into_int_value();
                let start = b.get_insert_block().expect("inside a function");
                let (some_bb, end) = (self.block_named("truth.some"), self.block_named("truth.end"));
                b.build_conditional_branch(present, some_bb, end).u();
                b.position_at_end(some_bb);
                let x = b.build_extract_value(sv, 1, "value").u();
                let t = self.truth(x, inner);
                let some_end = b.get_insert_block().expect("inside a function");
                b.build_unconditional_branch(end).u();
                b.position_at_end(end);
                let phi = b.build_phi(self.ctx().bool_type(), "t").u();
                phi.add_incoming(&[(&self.ctx().bool_type().const_zero(), start), (&t, some_end)]);
                phi.as_basic_value().into_int_value()
            }
        }
    }

    pub(super) fn truth_of(&mut self, e: &hir::Expr) -> IntValue<'ctx> {
        let v = self.expr(e);
        self.truth(v, &self.ty(e))
    }

    pub(super) fn expr(&mut self, e: &hir::Expr) -> BasicValueEnum<'ctx> {
        // An optional value read as its inner type: computed as the optional, then checked.
        if let Some(raw) = self.spec.unwraps.get(&e.id) {
            let raw = raw.clone();
            let v = self.expr_typed(e, raw);
            return self.unwrap_optional(v);
        }
        self.expr_typed(e, self.ty(e))
    }

    /// The value of `e`, of type `ty` (its type, or the optional type of a value read unwrapped).
    fn expr_typed(&mut self, e: &hir::Expr, ty: Type) -> BasicValueEnum<'ctx> {
        if let Some(&k) = self.spec.fields.get(&e.id) {
            // A namedtuple's field (`p.beta`; inference resolved it): its item; a jitclass
            // method (`m.f`): the closure of the method holding the record.
            let value = e.kind.children()[0];
            let t = self.expr(value).into_struct_value();
            if k == crate::infer::BOUND_METHOD {
                let st = self.module_gen.llty(&ty).into_struct_type();
                return self.b().build_insert_value(st.get_undef(), t, 0, "bound").u().into_struct_value().into();
            }
            return self.b().build_extract_value(t, k, "field").u();
        }
        if let (true, Type::Array(a)) = (self.is_elementwise(e), &ty) {
            return self.elementwise_new(e, *a);
        }
        match &e.kind {
            H::Int(i) => self.i64(*i).into(),
            H::UInt(u) => self.i64(*u as i64).into(),
            H::Float(f) => self.f64(*f).into(),
            H::Complex(re, im) => self.make_complex((self.f64(*re), self.f64(*im))),
            H::Dtype(_) | H::FunctionValue(_) => self.ctx().i8_type().const_zero().into(),
            H::Bool(v) => self.ctx().bool_type().const_int(*v as u64, false).into(),
            H::Str(s) => self.str_literal(s),
            H::FString { texts, values, formats } => self.fstring(e, texts, values, formats),
            H::None => self.ctx().i8_type().const_zero().into(),
            H::Local { id, check_bound } => {
                if *check_bound {
                    let flag = self.bound[*id as usize].expect("flow marked this local as checked");
                    let flag = self.b().build_load(self.ctx().bool_type(), flag, "isbound").u();
                    let unbound = self.b().build_not(flag.into_int_value(), "unbound").u();
                    let local = self.module_gen.prog.local_offset(self.spec.func) + id;
                    self.fail_if(unbound, crate::runtime::status_word(Status::UnboundLocal.code(), local));
                }
                let lt = self.module_gen.llty(&self.spec.local_types[*id as usize]);
                self.b().build_load(lt, self.locals[*id as usize], &self.hir_fn.locals[*id as usize].name).u()
            }
            H::Binary { op: op @ (BinOp::MatMul | BinOp::Dot), left, right } => self.matmul(e, *op, left, right),
            H::Binary { left, right, .. } if matches!(ty, Type::List(_)) => self.list_binary(e, left, right),
            H::Binary { op, left, right } if ty == Type::Str => self.string_binary(e, *op, left, right),
            H::Binary { left, op, right } if matches!(ty, Type::Set(_)) => self.set_binary(e, *op, left, right),
            H::Binary { left, right, .. } if matches!(ty, Type::Tuple(_)) => {
                // `t + u` of tuples: a tuple of their items.
                let (l, r) = (self.expr(left).into_struct_value(), self.expr(right).into_struct_value());
                let n = match self.ty(left) {
                    Type::Tuple(items) => items.len() as u32,
                    _ => unreachable!("inference adds tuples to tuples"),
                };
                let Type::Tuple(all) = &ty else { unreachable!("just matched") };
                let mut agg = self.module_gen.llty(&ty).into_struct_type().get_undef();
                for k in 0..all.len() as u32 {
                    let (from, at) = if k < n { (l, k) } else { (r, k - n) };
                    let v = self.b().build_extract_value(from, at, "item").u();
                    agg = self.b().build_insert_value(agg, v, k, "cat").u().into_struct_value();
                }
                agg.into()
            }
            H::Binary { op, left, right } => {
                let l = self.expr(left);
                let r = self.expr(right);
                let v = self.binary(*op, l, &self.ty(left), r, &self.ty(right), &ty);
                // `i + 1`, `i - 1` of a `range` variable proven non-negative (`nonneg.rs`) cannot
                // wrap: `nsw` tells LLVM so. Early CSE merges the loop's own `i + 1` (which has
                // it) with this one, and would otherwise drop the flag from both, and IRCE then no
                // longer sees an induction variable that does not wrap.
                if matches!(op, BinOp::Add | BinOp::Sub) && ty == Type::Int64 && self.nonneg(e) {
                    if let Some(inst) = v.into_int_value().as_instruction() {
                        inst.set_no_signed_wrap_flag(true).expect("an add or sub takes nsw");
                    }
                }
                if self.is_float32(e) {
                    self.round_f32(v)
                } else if self.is_complex64(e) {
                    self.round_c64(v)
                } else {
                    v
                }
            }
            // The tuple itself; the call whose argument it is takes its items (`call_args`).
            H::Unpack(t) => self.expr(t),
            H::Field { .. } => unreachable!("inference resolved every field (TypedFunction::fields)"),
            // The call inference picked (`TypedFunction::record_calls`).
            H::MethodOr { value, record } => match self.spec.record_calls.contains(&e.id) {
                true => self.expr(record),
                false => self.expr(value),
            },
            H::Unary { op, operand } => {
                let v = self.expr(operand);
                let ot = self.ty(operand);
                let b = self.b();
                match op {
                    UnaryOp::Not => b.build_not(self.truth(v, &ot), "not").u().into(),
                    UnaryOp::Pos => self.cast(v, &ot, &ty),
                    UnaryOp::Neg => match ty {
                        Type::Float64 => b.build_float_neg(v.into_float_value(), "neg").u().into(),
                        Type::Complex128 => self.complex_neg(v),
                        _ => {
                            let iv = self.cast(v, &ot, &ty).into_int_value();
                            b.build_int_sub(self.i64(0), iv, "neg").u().into()
                        }
                    },
                    UnaryOp::Invert => {
                        let iv = self.cast(v, &ot, &ty).into_int_value();
                        b.build_xor(iv, self.i64(-1), "inv").u().into()
                    }
                }
            }
            H::BoolOp { op, values } => self.bool_op(*op, values, &ty),
            H::Compare { left, ops, comparators } => self.compare_chain(left, ops, comparators),
            H::IfExp { test, body, orelse } => self.if_exp(test, body, orelse, &ty),
            H::Intrinsic { f: hir::Intrinsic::IsNone { negated }, args } => self.is_none(e, *negated, &args[0]),
            H::Intrinsic { f: hir::Intrinsic::Is { negated }, args } => self.identity(*negated, &args[0], &args[1]).into(),
            H::Intrinsic { f: hir::Intrinsic::Linalg(l), args } => self.linalg(e, *l, args),
            H::Intrinsic { f: hir::Intrinsic::Random(crate::registry::random::RandomFn::Permutation), args } => {
                self.random_permutation(e, args, None)
            }
            H::Intrinsic { f: hir::Intrinsic::Generator(g), args } => self.generator_call(e, *g, args),
            H::Intrinsic { f: hir::Intrinsic::Iter, args } => self.iter_new(e, &args[0]),
            H::Intrinsic { f: hir::Intrinsic::Ufunc(k), args } if self.hir_fn.ufuncs[*k as usize].gufunc.is_some() => {
                self.gufunc_call(e, *k, args)
            }
            H::Intrinsic { f: hir::Intrinsic::Ufunc(k), args } => self.ufunc_scalar(e, *k, args),
            H::Intrinsic { f: hir::Intrinsic::UfuncReduce { k, axis, accumulate: false }, args } => {
                self.ufunc_reduce(e, *k, *axis, &args[0], &ty)
            }
            H::Intrinsic { f: hir::Intrinsic::UfuncReduce { k, axis, accumulate: true }, args } => {
                self.ufunc_accumulate(e, *k, *axis, &args[0], &ty)
            }
            H::Intrinsic {
                f:
                    f @ (Intrinsic::Str
                    | Intrinsic::Repr
                    | Intrinsic::Ord
                    | Intrinsic::Chr
                    | Intrinsic::StrMethod(_)
                    | Intrinsic::RaiseMessage(_)
                    | Intrinsic::CaughtText),
                args,
            } => self.string_intrinsic(e, *f, args),
            // A NumPy function of float32 numbers: computed from the operands as float32 values
            // (a Python number beside one converted, NEP 50), the result rounded to float32.
            H::Intrinsic { f: Intrinsic::Np(f), args } if self.is_float32(e) && *f != hir::NpFn::Abs => {
                let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args
                    .iter()
                    .map(|a| {
                        let (v, t) = (self.expr(a), self.ty(a));
                        (self.dtype_cast(v, &t, crate::types::Dtype::Float32), Type::Float64)
                    })
                    .collect();
                let v = self.np_value(*f, &vals, &Type::Float64);
                self.round_f32(v)
            }
            H::Intrinsic { f: Intrinsic::Np(hir::NpFn::Abs), args } if self.is_float32(e) => {
                let v = self.expr(&args[0]);
                self.np_value(hir::NpFn::Abs, &[(v, Type::Float64)], &Type::Float64)
            }
            H::Intrinsic { f, args } => self.intrinsic(*f, args, &ty),
            H::Call { args, .. } => self.call_jitted(e, args, &ty),
            // The callee is known from its type: a direct call (a closure's captures first).
            H::CallValue { callee, args } => self.call_value(e, callee, args, &ty),
            H::Closure { captures, .. } => self.closure_value(captures, &ty),
            H::Tuple(items) => {
                let mut agg = self.module_gen.llty(&ty).into_struct_type().get_undef();
                for (i, it) in items.iter().enumerate() {
                    let v = self.expr(it);
                    agg = self.b().build_insert_value(agg, v, i as u32, "tup").u().into_struct_value();
                }
                agg.into()
            }
            H::Subscript { value, index } if matches!(self.ty(value), Type::List(_)) => self.list_load(e, value, index),
            H::Subscript { value, index } if self.ty(value) == Type::Str => self.string_subscript(e, value, index),
            H::Subscript { value, index } if self.ty(value) == Type::Range => self.range_item(value, index),
            H::Subscript { value, index } if matches!(self.ty(value), Type::Iter(_)) => self.iter_item(value, index),
            H::Subscript { value, index } if matches!(self.ty(value), Type::Dict(..)) => self.dict_load(value, index),
            H::Subscript { value, index } if matches!(self.ty(value), Type::Pointer(_)) => self.pointer_load(value, index),
            H::List(items) => self.list_literal(e, items),
            H::ListMethod { method, list, args, .. } if matches!(self.ty(list), Type::Dict(..) | Type::Set(_)) => {
                self.dict_list_method(e, *method, list, args)
            }
            H::ListMethod { method, list, args, .. } if self.ty(list) == Type::Str => {
                self.string_list_method(*method, list, args)
            }
            H::ListMethod { method, list, args, alt } => self.list_method(e, *method, list, args, alt.as_deref()),
            H::Dict(pairs) => self.dict_literal(e, pairs),
            H::Set(items) => self.set_literal(e, items),
            H::DictMethod { method, dict, args } => self.dict_method(e, *method, dict, args),
            H::Subscript { value, index } if self.ty(index).array().is_some() => {
                let Type::Array(out) = ty else { unreachable!("inference types an indexed read as an array") };
                let v = self.fancy_load(value, index, out);
                self.own_temp(e.id, v, &ty);
                v
            }
            H::Subscript { value, index } if self.mixed_index(value, index).is_some() => {
                let Type::Array(out) = ty else { unreachable!("inference types an indexed read as an array") };
                let m = self.mixed_index(value, index).expect("checked");
                let v = self.fancy_load_mixed(value, index, m, out);
                self.own_temp(e.id, v, &ty);
                v
            }
            H::Subscript { value, index } if self.gathered_axis(value, index).is_some() => {
                let Type::Array(out) = ty else { unreachable!("inference types an indexed read as an array") };
                let (p, item) = self.gathered_axis(value, index).expect("checked");
                let v = self.fancy_load_along(value, item, p, out);
                self.own_temp(e.id, v, &ty);
                v
            }
            H::Subscript { value, index } if matches!(ty, Type::Array(_)) && matches!(self.ty(value), Type::Array(_)) => {
                self.array_view(value, index, ty.clone())
            }
            H::Subscript { value, index } if matches!(self.ty(value), Type::Array(_)) => self.array_load(value, index),
            H::Slice { .. } => unreachable!("inference allows slices only inside array indices"),
            H::Subscript { value, index } => self.subscript(value, index),
            H::Attr { value, attr } => self.array_attr(value, *attr),
            H::Reshape { value, shape } => {
                let Type::Array(out) = ty else { unreachable!("inference types a reshape as an array") };
                let v = self.reshape(value, shape, out);
                self.own_temp(e.id, v, &ty);
                v
            }
            H::Out { value, out } => self.write_out(value, out),
            H::Unravel { flat, shape } => self.unravel(flat, shape),
            H::ShapeSize(shape) => self.shape_size(shape),
            // A number's transpose: itself.
            H::Transpose { value, .. } if !matches!(ty, Type::Array(_)) => self.expr(value),
            H::Transpose { value, axes } => {
                let Type::Array(out) = ty else { unreachable!("inference types a transpose as an array") };
                self.transpose(value, axes.as_deref(), out)
            }
            H::Reduce { value, .. } if matches!(self.ty(value), Type::List(_)) => self.list_sum(value, &ty),
            H::Reduce { f, value, axis: Some(axis) } if ty.array().is_some() => {
                let Type::Array(out) = ty else { unreachable!("checked") };
                let v = self.array_reduce_axis(*f, value, axis, out);
                self.own_temp(e.id, v, &ty);
                v
            }
            // A run-time axis of a 1-D array: 0 or -1, and the whole array's reduction.
            H::Reduce { f, value, axis: Some(hir::Axis::Var(axis)) } => self.array_reduce_checked(*f, value, axis, &ty),
            H::Reduce { f, value, .. } => self.array_reduce(*f, value, &ty),
            H::New(n) => {
                let Type::Array(a) = ty else { unreachable!("inference types new arrays as arrays") };
                let v = self.array_new(n, a);
                self.own_temp(e.id, v, &ty);
                v
            }
        }
    }

    /// `body if test else orelse`, in `ty` (the type inference gave it).
    fn if_exp(&mut self, test: &hir::Expr, body: &hir::Expr, orelse: &hir::Expr, ty: &Type) -> BasicValueEnum<'ctx> {
        if let Some(taken) = self.known_test(test) {
            self.expr(test); // for what it does (a call in it); its value is known
            let e = if taken { body } else { orelse };
            let v = self.expr(e);
            return self.cast(v, &self.ty(e), ty);
        }
        let c = self.truth_of(test);
        let then_bb = self.block_named("ifx.then");
        let else_bb = self.block_named("ifx.else");
        let end = self.block_named("ifx.end");
        self.b().build_conditional_branch(c, then_bb, else_bb).u();
        self.b().position_at_end(then_bb);
        let a = self.expr(body);
        let a = self.cast(a, &self.ty(body), ty);
        let a_bb = self.b().get_insert_block().unwrap();
        self.b().build_unconditional_branch(end).u();
        self.b().position_at_end(else_bb);
        let c2 = self.expr(orelse);
        let c2 = self.cast(c2, &self.ty(orelse), ty);
        let c_bb = self.b().get_insert_block().unwrap();
        self.b().build_unconditional_branch(end).u();
        self.b().position_at_end(end);
        let phi = self.b().build_phi(self.module_gen.llty(ty), "ifx").u();
        phi.add_incoming(&[(&a, a_bb), (&c2, c_bb)]);
        phi.as_basic_value()
    }

    /// A call `e` of a jitted function (the specialization inference picked), whose result has type `ty`.
    pub(super) fn call_jitted(&mut self, e: &hir::Expr, args: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let target = self.spec.call_targets[&e.id];
        let mut vals = self.call_args(args);
        if matches!(e.kind, H::CallValue { .. }) {
            // (A direct call's defaults and `*args` tuple were bound when lowering, `bind_call`.)
            self.call_defaults(target, &mut vals);
            self.pack_varargs(target, &mut vals);
        }
        let v = self.call_spec(target, vals);
        // The callee returned a reference to each array in its result.
        self.own_temp(e.id, v, ty);
        v
    }

    /// A call's argument values, in order; `*t` (`H::Unpack`) gives each item of `t`.
    pub(super) fn call_args(&mut self, args: &[hir::Expr]) -> Vec<inkwell::values::BasicMetadataValueEnum<'ctx>> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            let v = self.expr(a);
            match (&a.kind, self.ty(a)) {
                (H::Unpack(_), Type::Tuple(items)) => {
                    let t = v.into_struct_value();
                    for i in 0..items.len() {
                        vals.push(self.b().build_extract_value(t, i as u32, "arg").u().into());
                    }
                }
                _ => vals.push(v.into()),
            }
        }
        vals
    }

    /// The constant defaults of the parameters of `target` that `vals` (and the captured values
    /// before them, `captured`) leave out, appended (as inference filled in their types).
    pub(super) fn call_defaults(
        &mut self,
        target: crate::infer::SpecId,
        vals: &mut Vec<inkwell::values::BasicMetadataValueEnum<'ctx>>,
    ) {
        let spec = &self.module_gen.prog.specs[target];
        let f = self.module_gen.prog.func(spec);
        if f.vararg || vals.len() >= spec.arg_types.len() {
            return;
        }
        let missing: Vec<crate::lower::ConstValue> = (vals.len()..spec.arg_types.len())
            .map(|i| f.defaults[i].clone().expect("inference filled in only constants"))
            .collect();
        for c in &missing {
            let v = self.const_default(c);
            vals.push(v.into());
        }
    }

    /// A constant default's value, as its literal would compile.
    fn const_default(&mut self, c: &crate::lower::ConstValue) -> BasicValueEnum<'ctx> {
        use crate::lower::ConstValue as C;
        match c {
            C::Int(i) => self.i64(*i).into(),
            C::Float(f) => self.f64(*f).into(),
            C::Complex(re, im) => self.make_complex((self.f64(*re), self.f64(*im))),
            C::Bool(b) => self.ctx().bool_type().const_int(*b as u64, false).into(),
            C::None => self.ctx().i8_type().const_zero().into(),
            C::Tuple(items) => {
                let t = crate::infer::const_type(c);
                let mut agg = self.module_gen.llty(&t).into_struct_type().get_undef();
                for (i, item) in items.iter().enumerate() {
                    let v = self.const_default(item);
                    agg = self.b().build_insert_value(agg, v, i as u32, "default").u().into_struct_value();
                }
                agg.into()
            }
            C::Str(s) => self.str_literal(s),
        }
    }

    /// When `target`'s function has `*args`: the values past its other parameters made into
    /// the one tuple that parameter takes (as inference typed it, `infer::call_value`).
    pub(super) fn pack_varargs(
        &mut self,
        target: crate::infer::SpecId,
        vals: &mut Vec<inkwell::values::BasicMetadataValueEnum<'ctx>>,
    ) {
        let spec = &self.module_gen.prog.specs[target];
        if !self.module_gen.prog.func(spec).vararg {
            return;
        }
        let t = spec.arg_types.last().expect("*args is a parameter").clone();
        let n = spec.arg_types.len();
        let rest = vals.split_off(n - 1);
        let st = self.module_gen.llty(&t).into_struct_type();
        let mut out = st.get_undef();
        for (k, v) in rest.into_iter().enumerate() {
            let v: BasicValueEnum<'ctx> = v.try_into().expect("an argument is a value");
            out = self.b().build_insert_value(out, v, k as u32, "args").u().into_struct_value();
        }
        vals.push(out.into());
    }

    /// Calls specialization `target` with `vals` (the stack limit added when the program
    /// passes it): its value; its failure is this function's.
    pub(super) fn call_spec(
        &mut self,
        target: crate::infer::SpecId,
        mut vals: Vec<inkwell::values::BasicMetadataValueEnum<'ctx>>,
    ) -> BasicValueEnum<'ctx> {
        if let Some(limit) = self.stack_limit {
            vals.push(limit.into());
        }
        let callee = self.funcs[target];
        let r = self.b().build_call(callee, &vals, "call").u().try_as_basic_value();
        let inkwell::values::ValueKind::Basic(r) = r else { unreachable!() };
        let r = r.into_struct_value();
        let status = self.b().build_extract_value(r, crate::abi::inner::STATUS, "cst").u().into_int_value();
        let failed = self.b().build_int_compare(IntPredicate::NE, status, self.ctx().i32_type().const_zero(), "cfail").u();
        self.on_failure(failed, |fn_gen| fn_gen.ret_status_as_is(status));
        self.b().build_extract_value(r, crate::abi::inner::VALUE, "cv").u()
    }

    /// A tuple element: `extractvalue` for a literal index; otherwise, after a bounds check →
    /// IndexError, a select among the items (up to 16 of them), or the tuple goes to a stack slot
    /// read as an array (its elements have one type).
    fn subscript(&mut self, value: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::Tuple(items) = self.ty(value) else { unreachable!("inference allows tuples only") };
        let tuple = self.expr(value).into_struct_value();
        let n = items.len() as i64;
        if let Some(Ok(positions)) = hir::const_slice_positions(items.len(), index) {
            // `t[1:]`, `a.shape[:2]`: a new tuple of the items taken.
            let st = self.module_gen.llty(&Type::Tuple(positions.iter().map(|&p| items[p].clone()).collect())).into_struct_type();
            let mut out = st.get_undef();
            for (k, &p) in positions.iter().enumerate() {
                let b = self.b();
                let item = b.build_extract_value(tuple, p as u32, "item").u();
                out = b.build_insert_value(out, item, k as u32, "slice").u().into_struct_value();
            }
            return out.into();
        }
        if let Some(i) = hir::const_index(index) {
            let at = if i < 0 { i + n } else { i };
            return self.b().build_extract_value(tuple, at as u32, "item").u();
        }
        let i = self.expr(index);
        let i = self.as_index(i, &self.ty(index));
        let b = self.b();
        let negative = b.build_int_compare(IntPredicate::SLT, i, self.i64(0), "neg").u();
        let wrapped = b.build_int_add(i, self.i64(n), "wrapped").u();
        let at = b.build_select(negative, wrapped, i, "at").u().into_int_value();
        let outside = b.build_int_compare(IntPredicate::UGE, at, self.i64(n), "outside").u();
        self.fail_if(outside, Status::TupleIndexOutOfRange as u32);
        let Some(first) = items.first() else {
            return self.i64(0).into(); // unreachable at run time: every index is outside ()
        };
        // A short tuple: a chain of selects, no stack slot. When the loop over it is unrolled
        // (`for d in (-1, 0, 1)`) each select folds to its item; a stack slot would stay, and its
        // loads would keep the items from being constants.
        if n <= 16 {
            let b = self.b();
            let mut v = b.build_extract_value(tuple, (n - 1) as u32, "item").u();
            for k in (0..n - 1).rev() {
                let item = b.build_extract_value(tuple, k as u32, "item").u();
                let here = b.build_int_compare(IntPredicate::EQ, at, self.i64(k), "here").u();
                v = b.build_select(here, item, v, "item").u();
            }
            return v;
        }
        let elem = self.module_gen.llty(first);
        let slot = self.entry_alloca(tuple.get_type(), "tuple.slot");
        self.b().build_store(slot, tuple).u();
        let array = elem.array_type(n as u32);
        let ptr = unsafe { self.b().build_in_bounds_gep(array, slot, &[self.i64(0), at], "elem") }.u();
        self.b().build_load(elem, ptr, "item").u()
    }

    pub(super) fn bool_op(&mut self, op: BoolOpKind, values: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let end = self.block_named("boolop.end");
        let mut incoming: Vec<(BasicValueEnum<'ctx>, BasicBlock<'ctx>)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let x = self.expr(v);
            let vt = self.ty(v);
            let cx = self.cast(x, &vt, ty);
            if i + 1 == values.len() {
                incoming.push((cx, self.b().get_insert_block().unwrap()));
                self.b().build_unconditional_branch(end).u();
                break;
            }
            if self.known_test(v) == Some(op == BoolOpKind::Or) {
                // Known to decide the answer (`x is not None and ...` with `x` None): the rest
                // is never evaluated, nor typed.
                incoming.push((cx, self.b().get_insert_block().unwrap()));
                self.b().build_unconditional_branch(end).u();
                break;
            }
            let t = self.truth(x, &vt);
            let next = self.block_named("boolop.next");
            incoming.push((cx, self.b().get_insert_block().unwrap()));
            match op {
                // `a and b`: a falsy value is the answer; else go on.
                BoolOpKind::And => self.b().build_conditional_branch(t, next, end).u(),
                BoolOpKind::Or => self.b().build_conditional_branch(t, end, next).u(),
            };
            self.b().position_at_end(next);
        }
        self.b().position_at_end(end);
        let phi = self.b().build_phi(self.module_gen.llty(ty), "boolop").u();
        for (v, bb) in &incoming {
            phi.add_incoming(&[(v, *bb)]);
        }
        phi.as_basic_value()
    }
}
