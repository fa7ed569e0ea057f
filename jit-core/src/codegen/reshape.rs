//! Codegen of the array functions that give another shape: `a.reshape(...)` (a view of a
//! C-contiguous array, else a C-contiguous copy) and `a.T`/`np.transpose` (a view).

use inkwell::values::{BasicValueEnum, IntValue, StructValue};
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::hir;
use crate::infer::normalized_axes;
use crate::runtime::Status;
use crate::types::{ArrayType, Layout, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `value.reshape(shape)` as an array of type `out`, holding one reference of its own (the
    /// caller makes it the expression's temporary): the array's elements under the new shape,
    /// shared when the array is C-contiguous, else copied. NumPy's errors for a shape of another
    /// size and for two unknown (negative) dimensions.
    pub(super) fn reshape(&mut self, value: &hir::Expr, shape: &hir::Expr, out: ArrayType) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let arr = self.expr(value).into_struct_value();
        let dims = self.shape_values(shape, out.ndim as usize);
        let size = self.size_of(arr, &a);
        let dims = self.resolve_shape(&dims, size);
        let ptr_t = self.ctx().ptr_type(inkwell::AddressSpace::default());
        // The source, or a C-contiguous copy of it: its data and meminfo.
        let (data, meminfo) = if a.layout == Layout::C || (a.ndim <= 1 && a.layout == Layout::F) {
            let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
            let meminfo = self.b().build_extract_value(arr, field::MEMINFO, "meminfo").u().into_pointer_value();
            self.count(meminfo, false);
            (data, meminfo)
        } else {
            let contiguous = self.is_c_contiguous(arr, &a);
            let (share, copy, join) =
                (self.block_named("reshape.view"), self.block_named("reshape.copy"), self.block_named("reshape.join"));
            self.b().build_conditional_branch(contiguous, share, copy).u();
            self.b().position_at_end(share);
            let data0 = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
            let meminfo0 = self.b().build_extract_value(arr, field::MEMINFO, "meminfo").u().into_pointer_value();
            self.count(meminfo0, false);
            let share_end = self.b().get_insert_block().expect("positioned");
            self.b().build_unconditional_branch(join).u();
            self.b().position_at_end(copy);
            let copied = self.copy_c(arr, &a, ArrayType { layout: Layout::C, readonly: false, ..a }).into_struct_value();
            let data1 = self.b().build_extract_value(copied, field::DATA, "data").u().into_pointer_value();
            let meminfo1 = self.b().build_extract_value(copied, field::MEMINFO, "meminfo").u().into_pointer_value();
            let copy_end = self.b().get_insert_block().expect("positioned");
            self.b().build_unconditional_branch(join).u();
            self.b().position_at_end(join);
            let data = self.b().build_phi(ptr_t, "data").u();
            data.add_incoming(&[(&data0, share_end), (&data1, copy_end)]);
            let meminfo = self.b().build_phi(ptr_t, "meminfo").u();
            meminfo.add_incoming(&[(&meminfo0, share_end), (&meminfo1, copy_end)]);
            (data.as_basic_value().into_pointer_value(), meminfo.as_basic_value().into_pointer_value())
        };
        let item = self.i64(a.dtype.size() as i64);
        let n = dims.len();
        let mut strides = vec![item; n];
        for k in (0..n.saturating_sub(1)).rev() {
            strides[k] = self.b().build_int_mul(strides[k + 1], dims[k + 1], "stride").u();
        }
        self.array_value(&out, data, &dims, &strides, meminfo)
    }

    /// The number of elements of `arr`.
    fn size_of(&self, arr: StructValue<'ctx>, a: &ArrayType) -> IntValue<'ctx> {
        let mut n = self.i64(1);
        for k in 0..a.ndim as u32 {
            n = self.b().build_int_mul(n, self.dim(arr, field::SHAPE, k), "size").u();
        }
        n
    }

    /// The dimensions `dims` as NumPy resolves them for an array of `size` elements: one
    /// negative dimension is the size divided by the others'; anything else must multiply to
    /// `size`.
    fn resolve_shape(&mut self, dims: &[IntValue<'ctx>], size: IntValue<'ctx>) -> Vec<IntValue<'ctx>> {
        let b = self.b();
        let zero = self.i64(0);
        let one = self.i64(1);
        let mut unknown = zero;
        let mut known = one;
        for d in dims {
            let negative = b.build_int_compare(IntPredicate::SLT, *d, zero, "unknown").u();
            let negative64 = b.build_int_z_extend(negative, self.ctx().i64_type(), "unknown64").u();
            unknown = b.build_int_add(unknown, negative64, "unknowns").u();
            let factor = b.build_select(negative, one, *d, "factor").u().into_int_value();
            known = self.checked_mul(known, factor);
        }
        let b = self.b();
        let two_unknown = b.build_int_compare(IntPredicate::UGT, unknown, one, "two.unknown").u();
        self.fail_if(two_unknown, Status::ReshapeUnknown as u32);
        let b = self.b();
        let has_unknown = b.build_int_compare(IntPredicate::EQ, unknown, one, "has.unknown").u();
        // With an unknown dimension: `known` must divide `size` (and not be 0); without, equal it.
        let known_zero = b.build_int_compare(IntPredicate::EQ, known, zero, "known.zero").u();
        let divisor = b.build_select(known_zero, one, known, "divisor").u().into_int_value();
        let rest = b.build_int_signed_div(size, divisor, "rest").u();
        let rem = b.build_int_signed_rem(size, divisor, "rem").u();
        let uneven = b.build_int_compare(IntPredicate::NE, rem, zero, "uneven").u();
        let bad_unknown = b.build_or(known_zero, uneven, "bad.unknown").u();
        let differs = b.build_int_compare(IntPredicate::NE, known, size, "differs").u();
        let bad = b.build_select(has_unknown, bad_unknown, differs, "bad").u().into_int_value();
        self.fail_if(bad, Status::ReshapeSize as u32);
        dims.iter()
            .map(|d| {
                let b = self.b();
                let negative = b.build_int_compare(IntPredicate::SLT, *d, zero, "unknown").u();
                b.build_select(negative, rest, *d, "dim").u().into_int_value()
            })
            .collect()
    }

    /// Whether `arr` is C-contiguous as NumPy judges it: each axis of more than one element has
    /// the stride of the elements after it (an empty array is).
    fn is_c_contiguous(&self, arr: StructValue<'ctx>, a: &ArrayType) -> IntValue<'ctx> {
        let b = self.b();
        let one = self.i64(1);
        let mut expected = self.i64(a.dtype.size() as i64);
        let mut ok = self.ctx().bool_type().const_int(1, false);
        let mut empty = self.ctx().bool_type().const_zero();
        for k in (0..a.ndim as u32).rev() {
            let n = self.dim(arr, field::SHAPE, k);
            let s = self.dim(arr, field::STRIDES, k);
            let trivial = b.build_int_compare(IntPredicate::EQ, n, one, "trivial").u();
            let same = b.build_int_compare(IntPredicate::EQ, s, expected, "same").u();
            let axis_ok = b.build_or(trivial, same, "axis.ok").u();
            ok = b.build_and(ok, axis_ok, "contiguous").u();
            let zero = b.build_int_compare(IntPredicate::EQ, n, self.i64(0), "zero").u();
            empty = b.build_or(empty, zero, "empty").u();
            expected = b.build_int_mul(expected, n, "expected").u();
        }
        b.build_or(ok, empty, "c.contiguous").u()
    }

    /// `value.T` or `np.transpose(value, axes)`: a view of the same elements (borrowed, as
    /// any view) with the shape and strides permuted.
    pub(super) fn transpose(&mut self, value: &hir::Expr, axes: Option<&[i64]>, out: ArrayType) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let arr = self.expr(value).into_struct_value();
        let n = a.ndim as usize;
        let perm: Vec<usize> = match axes {
            None => (0..n).rev().collect(),
            Some(axes) => normalized_axes(axes, n).expect("inference checked the axes"),
        };
        let strides = self.strides(arr, &a);
        let shape: Vec<IntValue<'ctx>> = perm.iter().map(|&k| self.dim(arr, field::SHAPE, k as u32)).collect();
        let strides: Vec<IntValue<'ctx>> = perm.iter().map(|&k| strides[k]).collect();
        let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
        let meminfo = self.b().build_extract_value(arr, field::MEMINFO, "meminfo").u().into_pointer_value();
        self.array_value(&out, data, &shape, &strides, meminfo)
    }
}
