//! Codegen of a `@vectorize` object's call ([`hir::Intrinsic::Ufunc`]): on numbers, its kernel
//! called in the loop NumPy picks (the arguments converted to the loop's input dtypes, the
//! result stored as into its output dtype); on arrays the same for each element, fused into
//! the array expression's loop nest (`elementwise.rs`), where LLVM inlines the kernel.

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum};

use super::FnGen;
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
