//! NumPy's broadcasting of an array expression's operands: the shape its array leaves
//! broadcast to (NumPy's ValueError, naming every operand's shape, when they do not), and the
//! check that a value broadcasts into an assignment's target.

use inkwell::values::IntValue;
use inkwell::IntPredicate;

use super::elementwise::Leaf;
use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::hir::ExprId;
use crate::runtime::Status;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Fails with NumPy's broadcast error unless every array leaf broadcasts to `shape`
    /// exactly (each of its axes, aligned at the right, is 1 or the view's size).
    pub(super) fn check_broadcast_into(&mut self, leaves: &[(ExprId, Leaf<'ctx>)], shape: &[IntValue<'ctx>]) {
        let ndim = shape.len();
        for (_, leaf) in leaves {
            if let Leaf::Array(v, a, ..) = leaf {
                let sv = v.into_struct_value();
                for k in 0..a.ndim as usize {
                    let d = self.dim(sv, field::SHAPE, k as u32);
                    let b = self.b();
                    let same = b.build_int_compare(IntPredicate::EQ, d, shape[ndim - a.ndim as usize + k], "bsame").u();
                    let one = b.build_int_compare(IntPredicate::EQ, d, self.i64(1), "bone").u();
                    let fits = b.build_or(same, one, "bfits").u();
                    let bad = b.build_not(fits, "bbad").u();
                    self.fail_if(bad, Status::BroadcastShapes as u32);
                }
            }
        }
    }

    /// The shape the array leaves broadcast to, with `ndim` axes (NumPy's rule: axes aligned at
    /// the right; along each, the sizes are equal or 1). Other sizes are NumPy's ValueError.
    pub(super) fn broadcast_shape(&mut self, leaves: &[(ExprId, Leaf<'ctx>)], ndim: usize) -> Vec<IntValue<'ctx>> {
        let mut shape = vec![self.i64(1); ndim];
        let mut dims = Vec::new();
        // Each leaf's sizes (none for a number), for NumPy's message.
        let mut shapes: Vec<Vec<IntValue<'ctx>>> = Vec::new();
        for (_, leaf) in leaves {
            let mut sizes = Vec::new();
            if let Leaf::Array(v, a, ..) = leaf {
                let sv = v.into_struct_value();
                for k in 0..a.ndim as usize {
                    let d = self.dim(sv, field::SHAPE, k as u32);
                    let axis = ndim - a.ndim as usize + k;
                    let one = self.b().build_int_compare(IntPredicate::EQ, d, self.i64(1), "isone").u();
                    shape[axis] = self.b().build_select(one, shape[axis], d, "bdim").u().into_int_value();
                    dims.push((axis, d));
                    sizes.push(d);
                }
            }
            shapes.push(sizes);
        }
        let mut any = self.ctx().bool_type().const_zero();
        for (axis, d) in dims {
            let b = self.b();
            let same = b.build_int_compare(IntPredicate::EQ, d, shape[axis], "bsame").u();
            let one = b.build_int_compare(IntPredicate::EQ, d, self.i64(1), "bone").u();
            let fits = b.build_or(same, one, "bfits").u();
            let bad = b.build_not(fits, "bbad").u();
            any = b.build_or(any, bad, "bany").u();
        }
        if any.get_zero_extended_constant() == Some(0) {
            return shape;
        }
        self.on_failure(any, |fn_gen| {
            // NumPy's message names every operand's shape: recorded for it, then the status.
            let words: usize = shapes.iter().map(|s| 1 + s.len()).sum();
            let i64t = fn_gen.ctx().i64_type();
            let buf = fn_gen.entry_alloca(i64t.array_type(words as u32), "bshapes");
            let mut at = 0;
            for sizes in &shapes {
                for v in std::iter::once(fn_gen.i64(sizes.len() as i64)).chain(sizes.iter().copied()) {
                    let p = unsafe { fn_gen.b().build_in_bounds_gep(i64t, buf, &[fn_gen.i64(at)], "bshape") }.u();
                    fn_gen.b().build_store(p, v).u();
                    at += 1;
                }
            }
            let h = fn_gen.helper(super::helpers::Helper::BroadcastError);
            fn_gen.b().build_call(h, &[buf.into(), fn_gen.i64(at).into()], "").u();
            fn_gen.ret_status(fn_gen.module_gen.status_llty().const_int(Status::BroadcastShapes as u64, false));
        });
        shape
    }
}
