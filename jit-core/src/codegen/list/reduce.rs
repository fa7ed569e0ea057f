//! `sum`, `min` and `max` of a list in compiled code: the items folded in order, as CPython's
//! builtins fold them (floats summed with Neumaier's compensation where the running CPython's
//! `sum` uses it).

use inkwell::values::{BasicValueEnum, PointerValue};
use inkwell::IntPredicate;

use super::super::{Built, FnGen};
use crate::hir;
use crate::runtime::Status;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `sum(l)`: Python's sum of the items, in order, from int 0.
    pub(in crate::codegen) fn list_sum(&mut self, list: &hir::Expr, ty: &Type) -> BasicValueEnum<'ctx> {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        let len = self.list_len(h);
        let lty = self.module_gen.llty(ty);
        let acc = self.entry_alloca(lty, "sum");
        let zero = self.cast(self.i64(0).into(), &Type::Int64, ty);
        self.b().build_store(acc, zero).u();
        if self.module_gen.compensated_sum && ty.carrier() == Type::Float64 {
            return self.neumaier_sum(h, &item, ty, acc);
        }
        self.counted_loop(len, |g, k| {
            let x = g.b().build_load(g.module_gen.llty(&item), g.item_ptr(h, k, &item), "x").u();
            let x = g.cast(x, &item, ty);
            let s = g.b().build_load(lty, acc, "s").u();
            let s1: BasicValueEnum<'ctx> = match ty.carrier() {
                Type::Float64 => g.b().build_float_add(s.into_float_value(), x.into_float_value(), "s1").u().into(),
                Type::Complex128 => {
                    let (sv, xv) = (s.into_struct_value(), x.into_struct_value());
                    let mut out = sv;
                    for part in 0..2 {
                        let a = g.b().build_extract_value(sv, part, "sa").u().into_float_value();
                        let c = g.b().build_extract_value(xv, part, "xa").u().into_float_value();
                        let r = g.b().build_float_add(a, c, "ra").u();
                        out = g.b().build_insert_value(out, r, part, "s1").u().into_struct_value();
                    }
                    out.into()
                }
                _ => g.b().build_int_add(s.into_int_value(), x.into_int_value(), "s1").u().into(),
            };
            g.b().build_store(acc, s1).u();
        });
        self.b().build_load(lty, acc, "sum").u()
    }

    /// CPython 3.12's `sum()` of floats (`builtin_sum_impl`): Neumaier's compensated sum `s` with
    /// its compensation `c`, `c` added at the end when it is non-zero and finite (so that an
    /// infinite or overflowed sum stays what it is). `acc` holds 0.0.
    fn neumaier_sum(&self, h: PointerValue<'ctx>, item: &Type, ty: &Type, acc: PointerValue<'ctx>) -> BasicValueEnum<'ctx> {
        let f64t = self.ctx().f64_type();
        let comp = self.entry_alloca(f64t, "sum.c");
        self.b().build_store(comp, self.f64(0.0)).u();
        let fabs = self.module_gen.llvm_intrinsic("llvm.fabs", &[f64t.into()]);
        let len = self.list_len(h);
        self.counted_loop(len, |g, k| {
            let b = g.b();
            let x = b.build_load(g.module_gen.llty(item), g.item_ptr(h, k, item), "x").u();
            let x = g.cast(x, item, ty).into_float_value();
            let s = b.build_load(f64t, acc, "s").u().into_float_value();
            let c = b.build_load(f64t, comp, "c").u().into_float_value();
            let t = b.build_float_add(s, x, "t").u();
            let (abs_s, abs_x) =
                (g.call_basic(fabs, &[s.into()]).into_float_value(), g.call_basic(fabs, &[x.into()]).into_float_value());
            let s_big = b.build_float_compare(inkwell::FloatPredicate::OGE, abs_s, abs_x, "s.big").u();
            // |s| >= |x|: (s - t) + x, else (x - t) + s.
            let big = b.build_select(s_big, s, x, "big").u().into_float_value();
            let small = b.build_select(s_big, x, s, "small").u().into_float_value();
            let d = b.build_float_sub(big, t, "d").u();
            let e = b.build_float_add(d, small, "e").u();
            let c1 = b.build_float_add(c, e, "c1").u();
            b.build_store(comp, c1).u();
            b.build_store(acc, t).u();
        });
        let b = self.b();
        let s = b.build_load(f64t, acc, "s").u().into_float_value();
        let c = b.build_load(f64t, comp, "c").u().into_float_value();
        let nonzero = b.build_float_compare(inkwell::FloatPredicate::UNE, c, self.f64(0.0), "c.nz").u();
        let inf = self.f64(f64::INFINITY);
        let abs_c = self.call_basic(fabs, &[c.into()]).into_float_value();
        let finite = b.build_float_compare(inkwell::FloatPredicate::OLT, abs_c, inf, "c.finite").u();
        let add = b.build_and(nonzero, finite, "add.c").u();
        let with_c = b.build_float_add(s, c, "s.c").u();
        b.build_select(add, with_c, s, "sum").u()
    }

    /// `min(l)` / `max(l)`: the first smallest (largest) item as CPython finds it (an item
    /// replaces the best so far only when it is strictly less / greater).
    pub(in crate::codegen) fn list_extreme(&mut self, max: bool, list: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::List(item) = self.ty(list) else { unreachable!("a list") };
        let h = self.expr(list).into_pointer_value();
        let len = self.list_len(h);
        let empty = self.b().build_int_compare(IntPredicate::EQ, len, self.i64(0), "empty").u();
        self.fail_if(empty, if max { Status::MaxEmpty } else { Status::MinEmpty } as u32);
        let lty = self.module_gen.llty(&item);
        let best = self.entry_alloca(lty, "best");
        let first = self.b().build_load(lty, self.item_ptr(h, self.i64(0), &item), "first").u();
        self.b().build_store(best, first).u();
        let op = if max { crate::ast::CmpOp::Gt } else { crate::ast::CmpOp::Lt };
        self.counted_loop(len, |g, k| {
            let x = g.b().build_load(lty, g.item_ptr(h, k, &item), "x").u();
            let b = g.b().build_load(lty, best, "b").u();
            let better = g.compare(op, x, &item.carrier(), b, &item.carrier());
            let nb = g.b().build_select(better, x, b, "nb").u();
            g.b().build_store(best, nb).u();
        });
        self.b().build_load(lty, best, "best").u()
    }
}
