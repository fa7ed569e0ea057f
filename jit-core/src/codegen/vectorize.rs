//! Codegen of a `@vectorize` object's call ([`hir::Intrinsic::Ufunc`]): on numbers, its kernel
//! called in the loop NumPy picks (the arguments converted to the loop's input dtypes, the
//! result stored as into its output dtype); on arrays the same for each element, fused into
//! the array expression's loop nest (`elementwise.rs`), where LLVM inlines the kernel. A
//! `@guvectorize` object's call: its kernel on the operands' core views over the loop
//! dimensions.

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::hir;
use crate::types::{ArrayType, Layout, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The value of the ufunc call `e` (`f(args...)`, `f` the function's ufunc `k`) of numbers.
    pub(super) fn ufunc_scalar(&mut self, e: &hir::Expr, k: u32, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        self.ufunc_value(e, k, args, vals).0
    }

    /// One value of the ufunc call `e` from its arguments' values (`vals`, one per argument of
    /// `args`, an element of each array): its value and the carrier type of its dtype.
    pub(super) fn ufunc_value(
        &mut self,
        e: &hir::Expr,
        k: u32,
        args: &[hir::Expr],
        vals: Vec<(BasicValueEnum<'ctx>, Type)>,
    ) -> (BasicValueEnum<'ctx>, Type) {
        let u = &self.hir_fn.ufuncs[k as usize];
        let target = self.spec.call_targets[&e.id];
        let ret = self.module_gen.prog.specs[target].ret.clone();
        let tys: Vec<Type> = args.iter().map(|a| self.spec.expr_types[a.id as usize].clone()).collect();
        let chosen = crate::infer::ufunc_loop(u, &tys, Some(&ret)).expect("inference chose the loop");
        let lazy = u.loops.is_none();
        // Each argument as the loop's input dtype holds it (a number beside arrays converted to
        // it, as NumPy converts a Python number; an array's element cast as NumPy casts it).
        let mut call_args: Vec<BasicMetadataValueEnum<'ctx>> = Vec::with_capacity(vals.len() + 1);
        for ((v, vt), d) in vals.into_iter().zip(&chosen.inputs) {
            let v = self.cast(v, &vt, &d.element());
            call_args.push(self.wrap(v, *d).into());
        }
        let r = self.call_spec(target, call_args);
        if lazy {
            return (r, ret.carrier());
        }
        // The kernel's value as stored into an element of the output dtype (a float into an
        // integer output truncates, as the ufunc's loop stores it), read back.
        let out = chosen.output;
        let slot = self.entry_alloca(self.module_gen.dtype_llty(out), "ufunc.out");
        self.store_element(slot, ArrayType { dtype: out, ndim: 0, layout: Layout::C, readonly: false }, r, &ret);
        (self.load_element(slot, out), out.element().carrier())
    }
}

/// An array operand of a gufunc call as its loop reads it.
struct GuOperand<'ctx> {
    data: PointerValue<'ctx>,
    /// Its stride along each loop dimension (0 where it is broadcast).
    loop_strides: Vec<IntValue<'ctx>>,
    core_shape: Vec<IntValue<'ctx>>,
    core_strides: Vec<IntValue<'ctx>>,
    meminfo: PointerValue<'ctx>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `g(operands...)` of a `@guvectorize` object (the function's ufunc `k`): its operands'
    /// loop dimensions broadcast together (the outputs have them all) and their core dimensions
    /// checked against the layout, then for each index of the loop dimensions the kernel called
    /// on the operands' core views (and numbers), as the gufunc's loop does from Python. None.
    pub(super) fn gufunc_call(&mut self, e: &hir::Expr, k: u32, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let u = self.hir_fn.ufuncs[k as usize].clone();
        let g = u.gufunc.clone().expect("a gufunc");
        let tys: Vec<Type> = args.iter().map(|a| self.spec.expr_types[a.id as usize].clone()).collect();
        let dtypes = crate::infer::gufunc_loop(&u, &g, &tys).expect("inference chose the loop");
        let target = self.spec.call_targets[&e.id];
        let params = self.module_gen.prog.specs[target].arg_types.clone();
        let vals: Vec<BasicValueEnum<'ctx>> = args.iter().map(|a| self.expr(a)).collect();
        let value_error = crate::registry::exceptions::raisable("ValueError").expect("raisable");
        // The loop dimensions: the first output's (inference checked that it has them all).
        let Type::Array(o) = tys[g.nin] else { unreachable!("inference checked the outputs") };
        let n = o.ndim as usize - g.core[g.nin].len();
        let ov = vals[g.nin].into_struct_value();
        let shape: Vec<IntValue<'ctx>> = (0..n).map(|a| self.dim(ov, field::SHAPE, a as u32)).collect();
        let names =
            g.core.iter().flatten().filter_map(|d| if let hir::CoreDim::Named(i) = d { Some(*i as usize + 1) } else { None });
        let mut sizes: Vec<Option<IntValue<'ctx>>> = vec![None; names.max().unwrap_or(0)];
        let mut ops: Vec<Option<GuOperand<'ctx>>> = Vec::with_capacity(args.len());
        let broadcast_message = format!(
            "operands could not be broadcast together with remapped shapes [original->remapped]: the loop dimensions \
             of {}'s operands (gufunc signature {}) differ where neither is 1, or an output lacks some",
            u.name, g.layout
        );
        for (k, t) in tys.iter().enumerate() {
            let Type::Array(a) = t else {
                ops.push(None);
                continue;
            };
            let sv = vals[k].into_struct_value();
            let strides = self.strides(sv, a);
            let core = g.core[k].len();
            let outer = a.ndim as usize - core;
            let mut loop_strides = vec![self.i64(0); n];
            for (j, stride) in strides.iter().enumerate().take(outer) {
                let d = self.dim(sv, field::SHAPE, j as u32);
                let axis = n - outer + j;
                let b = self.b();
                let same = b.build_int_compare(IntPredicate::EQ, d, shape[axis], "gsame").u();
                let one = b.build_int_compare(IntPredicate::EQ, d, self.i64(1), "gone").u();
                // An output is not broadcast: it has the loop's sizes.
                let fits = if k < g.nin { b.build_or(same, one, "gfits").u() } else { same };
                let bad = b.build_not(fits, "gbad").u();
                self.on_failure(bad, |fg| fg.raise(value_error, Some(&broadcast_message)));
                loop_strides[axis] = self.b().build_select(one, self.i64(0), *stride, "gstride").u().into_int_value();
            }
            let core_shape: Vec<IntValue<'ctx>> =
                (outer..a.ndim as usize).map(|j| self.dim(sv, field::SHAPE, j as u32)).collect();
            for (j, cd) in g.core[k].iter().enumerate() {
                let d = core_shape[j];
                let expected = match cd {
                    hir::CoreDim::Fixed(size) => Some(self.i64(*size)),
                    hir::CoreDim::Named(i) => {
                        let seen = sizes[*i as usize];
                        sizes[*i as usize] = seen.or(Some(d));
                        seen
                    }
                };
                if let Some(expected) = expected {
                    let bad = self.b().build_int_compare(IntPredicate::NE, d, expected, "gcore").u();
                    let (side, at) = if k < g.nin { ("Input", k) } else { ("Output", k - g.nin) };
                    let message = format!(
                        "{}: {side} operand {at} has a mismatch in its core dimension {j}, with gufunc signature {}",
                        u.name, g.layout
                    );
                    self.on_failure(bad, |fg| fg.raise(value_error, Some(&message)));
                }
            }
            let data = self.b().build_extract_value(sv, field::DATA, "gdata").u().into_pointer_value();
            let meminfo = self.b().build_extract_value(sv, super::refs::MEMINFO, "gmeminfo").u().into_pointer_value();
            ops.push(Some(GuOperand { data, loop_strides, core_shape, core_strides: strides[outer..].to_vec(), meminfo }));
        }
        self.loop_nest(&shape, &mut |fg, idx| {
            let mut call_args: Vec<BasicMetadataValueEnum<'ctx>> = Vec::with_capacity(args.len() + 1);
            for (k, t) in tys.iter().enumerate() {
                let arg: BasicValueEnum<'ctx> = match (&ops[k], t) {
                    (Some(op), Type::Array(a)) => {
                        let at = fg.address(op.data, idx, &op.loop_strides);
                        match (g.kinds[k], &params[k]) {
                            (hir::GufuncArg::Scalar, p) => {
                                let v = fg.load_element(at, a.dtype);
                                let v = fg.cast(v, &a.dtype.element(), p);
                                fg.wrap(v, dtypes[k])
                            }
                            (hir::GufuncArg::View, Type::Array(p)) => {
                                fg.array_value(p, at, &op.core_shape, &op.core_strides, op.meminfo)
                            }
                            (hir::GufuncArg::One, Type::Array(p)) => {
                                let item = fg.i64(a.dtype.size() as i64);
                                fg.array_value(p, at, &[fg.i64(1)], &[item], op.meminfo)
                            }
                            _ => unreachable!("inference typed the kernel's arguments"),
                        }
                    }
                    (_, t) => {
                        let v = fg.cast(vals[k], t, &params[k]);
                        fg.wrap(v, dtypes[k])
                    }
                };
                call_args.push(arg.into());
            }
            fg.call_spec(target, call_args);
        });
        self.ctx().i8_type().const_zero().into()
    }
}
