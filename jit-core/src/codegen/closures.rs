//! Codegen of function values: a closure's captured values (a struct of them; a function that
//! captures nothing is carried as nothing), and a call through a value, a direct call of the
//! specialization inference chose with the captures passed before the arguments.

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum};

use super::{Built, FnGen};
use crate::hir;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// A closure: its captured values, in a struct of type `ty`.
    pub(super) fn closure_value(&mut self, captures: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let mut agg = self.module_gen.llty(ty).into_struct_type().get_undef();
        for (i, c) in captures.iter().enumerate() {
            let v = self.expr(c);
            agg = self.b().build_insert_value(agg, v, i as u32, "capture").u().into_struct_value();
        }
        agg.into()
    }

    /// `callee(args)`: the function its type names, called directly.
    pub(super) fn call_value(
        &mut self,
        e: &hir::Expr,
        callee: &hir::Expr,
        args: &[hir::Expr],
        ty: &Type,
    ) -> BasicValueEnum<'ctx> {
        let f = self.expr(callee);
        if let Type::Dtype(d) = self.ty(callee) {
            // `T(x)` of a scalar type held in a variable: the conversion `np.<T>(x)`.
            let v = self.expr(&args[0]);
            return self.dtype_cast(v, &self.ty(&args[0]), d);
        }
        let Type::Closure(_, captures) = self.ty(callee) else {
            return self.call_jitted(e, args, ty);
        };
        let target = self.spec.call_targets[&e.id];
        let mut vals: Vec<BasicMetadataValueEnum<'ctx>> = Vec::new();
        for i in 0..captures.len() {
            vals.push(self.b().build_extract_value(f.into_struct_value(), i as u32, "captured").u().into());
        }
        vals.extend(self.call_args(args));
        self.call_defaults(target, &mut vals);
        self.pack_varargs(target, &mut vals);
        let v = self.call_spec(target, vals);
        self.own_temp(e.id, v, ty);
        v
    }
}
