//! Unpacking an array into names (`x, y = a`): its elements, or the rows (views) of an array
//! of two or more axes, with CPython's errors when the count differs.

use inkwell::values::{BasicValueEnum, IntValue};
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::hir;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `x, y, ... = a` of an array `v` (of type `ty`): CPython's ValueError unless it has as many
    /// elements (rows) as there are targets, then each element (row view) assigned in turn.
    pub(super) fn unpack_array(&mut self, ts: &[hir::Target], v: BasicValueEnum<'ctx>, ty: &Type) {
        let Type::Array(a) = ty else { unreachable!("an array") };
        let k = ts.len() as i64;
        let sv = v.into_struct_value();
        let n = self.dim(sv, crate::abi::array_value::SHAPE, 0);
        let (bad, ok) = (self.block_named("unpack.bad"), self.block_named("unpack.ok"));
        let wrong = self.b().build_int_compare(IntPredicate::NE, n, self.i64(k), "unpack.len").u();
        self.b().build_conditional_branch(wrong, bad, ok).u();
        self.b().position_at_end(bad);
        let value_error = crate::registry::exceptions::raisable("ValueError").expect("ValueError is raisable");
        for got in 0..k {
            let (this, next) = (self.block_named("unpack.few"), self.block_named("unpack.next"));
            let is = self.b().build_int_compare(IntPredicate::EQ, n, self.i64(got), "unpack.got").u();
            self.b().build_conditional_branch(is, this, next).u();
            self.b().position_at_end(this);
            self.raise(value_error, Some(&format!("not enough values to unpack (expected {k}, got {got})")));
            self.b().position_at_end(next);
        }
        self.raise(value_error, Some(&format!("too many values to unpack (expected {k})")));
        self.b().position_at_end(ok);
        // Each element read before any target is assigned (`a[0], a[1] = a` reads both first).
        self.incref(v, ty);
        let data = self.b().build_extract_value(sv, crate::abi::array_value::DATA, "data").u().into_pointer_value();
        let strides = self.strides(sv, a);
        if a.ndim >= 2 {
            // Rows: views sharing the array's block.
            let row = crate::infer::row_type(a);
            let shape: Vec<IntValue<'ctx>> =
                (1..a.ndim as u32).map(|d| self.dim(sv, crate::abi::array_value::SHAPE, d)).collect();
            let meminfo = self.b().build_extract_value(sv, crate::abi::array_value::MEMINFO, "meminfo").u().into_pointer_value();
            let rows: Vec<BasicValueEnum<'ctx>> = (0..k)
                .map(|i| {
                    let at = self.address(data, &[self.i64(i)], &strides[..1]);
                    self.array_value(&row, at, &shape, &strides[1..], meminfo)
                })
                .collect();
            for (t, x) in ts.iter().zip(rows) {
                self.assign(t, x, &Type::Array(row));
            }
            self.decref(v, ty);
            return;
        }
        let item = a.dtype.element();
        let elements: Vec<BasicValueEnum<'ctx>> = (0..k)
            .map(|i| {
                let ptr = self.address(data, &[self.i64(i)], &strides);
                self.load_element(ptr, a.dtype)
            })
            .collect();
        for (t, x) in ts.iter().zip(elements) {
            self.assign(t, x, &item);
        }
        self.decref(v, ty);
    }
}
