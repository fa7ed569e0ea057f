//! Codegen of `f.reduce(a, axis=k)` and `f.accumulate(a, axis=k)` of a `@vectorize` object
//! ([`hir::Intrinsic::UfuncReduce`]): its kernel folded along the axis (reduce: also over every
//! element in C order), as NumPy's: reduce from the identity when the ufunc has one, else (and
//! accumulate always) from the first element.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::hir;
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `f.reduce(value, axis=axis)` (expression `e`, `f` the function's ufunc `k`), of type `ty`.
    pub(super) fn ufunc_reduce(
        &mut self,
        e: &hir::Expr,
        k: u32,
        axis: Option<i64>,
        value: &hir::Expr,
        ty: &Type,
    ) -> BasicValueEnum<'ctx> {
        let u = self.hir_fn.ufuncs[k as usize].clone();
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let target = self.spec.call_targets[&e.id];
        let ret = self.module_gen.prog.specs[target].ret.clone();
        let arr = Type::Array(ArrayType { dtype: a.dtype, ndim: 1, layout: Layout::C, readonly: false });
        let d = crate::infer::ufunc_loop(&u, &[arr.clone(), arr], Some(&ret)).expect("inference chose the loop").output;
        let identity = (u.identity >= 0).then_some(u.identity);
        let value_error = crate::registry::exceptions::raisable("ValueError").expect("raisable");
        let empty_message = format!("zero-size array to reduction operation {} which has no identity", u.name);
        let av = self.expr(value).into_struct_value();
        let strides = self.strides(av, &a);
        let n = a.ndim as usize;
        let shapes: Vec<IntValue<'ctx>> = (0..n).map(|j| self.dim(av, field::SHAPE, j as u32)).collect();
        let data = self.b().build_extract_value(av, field::DATA, "data").u().into_pointer_value();
        let fold = Fold { target, d, a, data, identity, ret: &ret };
        let axis = match axis {
            Some(x) if n > 1 => (if x < 0 { x + n as i64 } else { x }) as usize,
            _ => {
                // A number: every element, in C order.
                if n > 1 && u.identity == -1 {
                    let message =
                        format!("reduction operation '{}' is not reorderable, so at most one axis may be specified", u.name);
                    self.on_failure(self.ctx().bool_type().const_int(1, false), |fg| fg.raise(value_error, Some(&message)));
                }
                if identity.is_none() {
                    let count = self.product(&shapes);
                    let empty = self.b().build_int_compare(IntPredicate::EQ, count, self.i64(0), "empty").u();
                    self.on_failure(empty, |fg| fg.raise(value_error, Some(&empty_message)));
                }
                let place = |idx: &[IntValue<'ctx>]| idx.to_vec();
                return self.ufunc_fold(&fold, &strides, &shapes, &place, &mut |_, _, _| {});
            }
        };
        let (mut out_shape, mut view_strides) = (shapes.clone(), strides.clone());
        let (len, stride) = (out_shape.remove(axis), view_strides.remove(axis));
        view_strides.push(stride);
        if identity.is_none() {
            // NumPy refuses an empty axis even when the result is empty.
            let empty = self.b().build_int_compare(IntPredicate::EQ, len, self.i64(0), "empty").u();
            self.on_failure(empty, |fg| fg.raise(value_error, Some(&empty_message)));
        }
        let Some(out) = ty.array() else { unreachable!("inference typed an array") };
        let (result, rdata, _) = self.alloc_c(&out, &out_shape, false);
        let out_strides = self.strides(result.into_struct_value(), &out);
        self.loop_nest(&out_shape, &mut |fg, idx| {
            let place = |j: &[IntValue<'ctx>]| idx.iter().chain(j).copied().collect::<Vec<_>>();
            let total = fg.ufunc_fold(&fold, &view_strides, &[len], &place, &mut |_, _, _| {});
            let to = fg.address(rdata, idx, &out_strides);
            fg.store_element(to, out, total, &d.element().carrier());
        });
        result
    }

    /// `f.accumulate(value, axis=axis)` (expression `e`, `f` the function's ufunc `k`), of type
    /// `ty` (an array of `value`'s shape): along the axis, each element the fold of the kernel up
    /// to it from the first element (NumPy's accumulate uses no identity; an empty axis gives an
    /// empty array); `axis=None` is axis 0 of a 1-D array, else NumPy's ValueError.
    pub(super) fn ufunc_accumulate(
        &mut self,
        e: &hir::Expr,
        k: u32,
        axis: Option<i64>,
        value: &hir::Expr,
        ty: &Type,
    ) -> BasicValueEnum<'ctx> {
        let u = self.hir_fn.ufuncs[k as usize].clone();
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let target = self.spec.call_targets[&e.id];
        let ret = self.module_gen.prog.specs[target].ret.clone();
        let arr = Type::Array(ArrayType { dtype: a.dtype, ndim: 1, layout: Layout::C, readonly: false });
        let d = crate::infer::ufunc_loop(&u, &[arr.clone(), arr], Some(&ret)).expect("inference chose the loop").output;
        let n = a.ndim as usize;
        if axis.is_none() && n > 1 {
            let value_error = crate::registry::exceptions::raisable("ValueError").expect("raisable");
            self.on_failure(self.ctx().bool_type().const_int(1, false), |fg| {
                fg.raise(value_error, Some("accumulate does not allow multiple axes"))
            });
        }
        let axis = axis.map(|x| if x < 0 { x + n as i64 } else { x }).unwrap_or(0) as usize;
        let av = self.expr(value).into_struct_value();
        let strides = self.strides(av, &a);
        let shapes: Vec<IntValue<'ctx>> = (0..n).map(|j| self.dim(av, field::SHAPE, j as u32)).collect();
        let data = self.b().build_extract_value(av, field::DATA, "data").u().into_pointer_value();
        let Some(out) = ty.array() else { unreachable!("inference typed an array") };
        let (result, rdata, _) = self.alloc_c(&out, &shapes, false);
        let out_strides = self.strides(result.into_struct_value(), &out);
        let fold = Fold { target, d, a, data, identity: None, ret: &ret };
        let (mut out_shape, mut in_strides, mut to_strides) = (shapes.clone(), strides.clone(), out_strides.clone());
        let len = out_shape.remove(axis);
        let (s, t) = (in_strides.remove(axis), to_strides.remove(axis));
        in_strides.push(s);
        to_strides.push(t);
        self.loop_nest(&out_shape, &mut |fg, idx| {
            let place = |j: &[IntValue<'ctx>]| idx.iter().chain(j).copied().collect::<Vec<_>>();
            fg.ufunc_fold(&fold, &in_strides, &[len], &place, &mut |g, j, acc| {
                let to = g.address(rdata, &place(j), &to_strides);
                g.store_element(to, out, acc, &d.element().carrier());
            });
        });
        result
    }

    /// The fold of `f.kernel` over the elements a loop nest over `shape` reaches (`place`
    /// giving each one's index in the array, with `strides`): from the identity, else from the
    /// first element (the caller checked that there is one). Its value, of the loop's dtype;
    /// `each` gets each element's index in the nest and the fold so far.
    fn ufunc_fold(
        &mut self,
        f: &Fold<'_, 'ctx>,
        strides: &[IntValue<'ctx>],
        shape: &[IntValue<'ctx>],
        place: &dyn Fn(&[IntValue<'ctx>]) -> Vec<IntValue<'ctx>>,
        each: &mut dyn FnMut(&mut Self, &[IntValue<'ctx>], BasicValueEnum<'ctx>),
    ) -> BasicValueEnum<'ctx> {
        let d = f.d;
        let slot_t = ArrayType { dtype: d, ndim: 0, layout: Layout::C, readonly: false };
        let slot = self.entry_alloca(self.module_gen.dtype_llty(d), "ureduce.acc");
        let started = self.entry_alloca(self.ctx().bool_type(), "ureduce.started");
        if let Some(i) = f.identity {
            self.store_element(slot, slot_t, self.i64(i).into(), &Type::Int64);
        }
        let bool_t = self.ctx().bool_type();
        self.b().build_store(started, bool_t.const_int(f.identity.is_some() as u64, false)).u();
        self.loop_nest(shape, &mut |g, idx| {
            let x = g.load_element(g.address(f.data, &place(idx), strides), f.a.dtype);
            let x = g.cast(x, &f.a.dtype.element().carrier(), &d.element());
            let x = g.wrap(x, d);
            let first = g.block_named("ureduce.first");
            let step = g.block_named("ureduce.step");
            let done = g.block_named("ureduce.done");
            let s = g.b().build_load(bool_t, started, "started").u().into_int_value();
            g.b().build_conditional_branch(s, step, first).u();
            g.b().position_at_end(first);
            g.store_element(slot, slot_t, x, &d.element());
            g.b().build_store(started, bool_t.const_int(1, false)).u();
            g.b().build_unconditional_branch(done).u();
            g.b().position_at_end(step);
            let cur = g.load_element(slot, d);
            let cur = g.wrap(cur, d);
            let r = g.call_spec(f.target, vec![cur.into(), x.into()]);
            g.store_element(slot, slot_t, r, f.ret);
            g.b().build_unconditional_branch(done).u();
            g.b().position_at_end(done);
            let acc = g.load_element(slot, d);
            each(g, idx, acc);
        });
        self.load_element(slot, d)
    }
}

/// What every step of a ufunc's reduction needs: the kernel's specialization, the loop's dtype,
/// the array (its type and data), the ufunc's identity and the kernel's return type.
struct Fold<'r, 'ctx> {
    target: crate::infer::SpecId,
    d: Dtype,
    a: ArrayType,
    data: PointerValue<'ctx>,
    identity: Option<i64>,
    ret: &'r Type,
}
