//! C pointers in compiled code (a `@cfunc`'s `CPointer(dtype)` and `voidptr` parameters): `p[i]`
//! read and written unchecked, as C (and Numba) index a pointer, and `carray`/`farray`, an array
//! value over the pointer's memory (C or Fortran strides, no block: a null meminfo, as an
//! argument's).

use inkwell::values::{BasicValueEnum, PointerValue};
use inkwell::IntPredicate;

use super::array::flat_c;
use super::{Built, FnGen};
use crate::ast::BinOp;
use crate::hir;
use crate::runtime::Status;
use crate::types::{Dtype, Layout, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The address of `ptr[index]` and the pointer's dtype.
    fn pointer_element(&mut self, ptr: &hir::Expr, index: &hir::Expr) -> (PointerValue<'ctx>, Dtype) {
        let Type::Pointer(Some(d)) = self.ty(ptr) else { unreachable!("inference allows typed pointers only") };
        let p = self.expr(ptr).into_pointer_value();
        let iv = self.expr(index);
        let i = self.as_index(iv, &self.ty(index));
        let elem = self.module_gen.dtype_llty(d);
        // SAFETY (of the generated code): unchecked, as C's `p[i]`; the caller vouches for it.
        let at = unsafe { self.b().build_gep(elem, p, &[i], "p.elem") }.u();
        (at, d)
    }

    /// `ptr[index]`, read and widened as an array element is.
    pub(super) fn pointer_load(&mut self, ptr: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let (at, d) = self.pointer_element(ptr, index);
        self.load_element(at, d)
    }

    /// `ptr[index] = v` (`v` of type `from`), converted as a store into an array of the dtype.
    pub(super) fn pointer_store(&mut self, ptr: &hir::Expr, index: &hir::Expr, v: BasicValueEnum<'ctx>, from: &Type) {
        let (at, d) = self.pointer_element(ptr, index);
        self.store_element(at, flat_c(d), v, from);
    }

    /// `ptr[index] op= value`.
    pub(super) fn pointer_aug(&mut self, ptr: &hir::Expr, index: &hir::Expr, op: BinOp, value: &hir::Expr) {
        let (at, d) = self.pointer_element(ptr, index);
        let current = self.load_element(at, d);
        let r = self.expr(value);
        let t = self.aug_type(value);
        let v = self.binary(op, current, &d.element().carrier(), r, &self.ty(value), &t);
        self.store_element(at, flat_c(d), v, &t.carrier());
    }

    /// [`hir::Intrinsic::PointerView`]: the array `ty` over the pointer `args[0]`, of the shape
    /// `args[1]` (a negative dimension is NumPy's ValueError), strides in `layout`'s order.
    pub(super) fn pointer_view(&mut self, layout: Layout, args: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = ty else { unreachable!("inference makes an array") };
        let data = self.expr(&args[0]).into_pointer_value();
        let dims = self.shape_dims(&args[1]);
        for d in &dims {
            let negative = self.b().build_int_compare(IntPredicate::SLT, *d, self.i64(0), "negdim").u();
            self.fail_if(negative, Status::NegativeDimensions as u32);
        }
        let n = dims.len();
        let mut strides = vec![self.i64(a.dtype.size() as i64); n];
        let order: Vec<usize> = if layout == Layout::F { (1..n).collect() } else { (0..n.saturating_sub(1)).rev().collect() };
        for k in order {
            let (prev, next) = if layout == Layout::F { (k - 1, k - 1) } else { (k + 1, k + 1) };
            strides[k] = self.b().build_int_nsw_mul(strides[prev], dims[next], "stride").u();
        }
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        self.array_value(a, data, &dims, &strides, null)
    }

    /// The frozen array global `arrays[k]` of the function: a read-only C-contiguous array over
    /// a private constant of the module holding its elements (no owner: returned to Python,
    /// it is copied, `jit-py`'s `returned.rs`).
    pub(super) fn frozen_array(&mut self, k: u32, ty: &Type) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = ty else { unreachable!("inference makes an array") };
        let frozen = std::sync::Arc::clone(&self.hir_fn.arrays[k as usize]);
        let i8t = self.ctx().i8_type();
        let bytes: Vec<_> = frozen.data.iter().map(|&b| i8t.const_int(b as u64, false)).collect();
        let init = i8t.const_array(&bytes);
        let module = &self.module_gen.module;
        let g = module.add_global(init.get_type(), None, "sj.frozen.array");
        g.set_initializer(&init);
        g.set_constant(true);
        g.set_linkage(inkwell::module::Linkage::Private);
        g.set_alignment(64);
        let dims: Vec<inkwell::values::IntValue<'ctx>> = frozen.shape.iter().map(|&d| self.i64(d)).collect();
        let n = dims.len();
        let mut strides = vec![self.i64(a.dtype.size() as i64); n];
        let mut stride = a.dtype.size() as i64;
        for k in (0..n).rev() {
            strides[k] = self.i64(stride);
            stride *= frozen.shape[k].max(1);
        }
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        self.array_value(a, g.as_pointer_value(), &dims, &strides, null)
    }
}
