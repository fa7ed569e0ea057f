//! Codegen of NumPy arrays: an array value is `{ptr data, [n x i64] shape, [n x i64] strides,
//! ptr meminfo}` ([`crate::abi::array_value`]: strides in bytes, as NumPy keeps them; meminfo: the
//! header of the block of compiled code's memory the elements lie in, null for memory the caller
//! owns, see `refs`); element addresses with bounds checks, element loads widened to the compute
//! types and stores narrowed to the array's dtype, and the attributes.

use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::{AddressSpace, IntPredicate};

use super::{Built, Cold, FnGen, Helper, ModuleGen};
use crate::abi::{array_value as field, ArrayDesc};
use crate::ast::BinOp;
use crate::hir::{self, ExprKind as H};
use crate::runtime::Status;
use crate::types::{ArrayType, Dtype, Layout, Type};

/// How the innermost loop of a loop nest is annotated for LLVM's loop passes (the outer loops
/// of a nest not `Default` are not unrolled).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NestKind {
    /// No annotation.
    Default,
    /// Neither vectorized nor unrolled (a rarely run or strided nest, kept small: each
    /// vectorized loop costs compile time).
    Plain,
    /// Iterations independent through memory, one vector per iteration
    /// ([`ModuleGen::parallel_loop`]).
    Parallel,
}

/// The type of a 1-D C array of `dtype`: how codegen stores and reads elements at a flat
/// address (a pointer's pointee, a reduction's accumulators).
pub(super) fn flat_c(dtype: crate::types::Dtype) -> ArrayType {
    ArrayType { dtype, ndim: 1, layout: crate::types::Layout::C, readonly: false }
}

impl<'a, 'ctx> ModuleGen<'a, 'ctx> {
    /// The LLVM struct of an array value.
    pub(super) fn array_llty(&self, a: &ArrayType) -> BasicTypeEnum<'ctx> {
        const _: () = assert!(
            field::DATA == 0 && field::SHAPE == 1 && field::STRIDES == 2 && field::MEMINFO == 3 && field::FIELDS == 4,
            "the fields below are in this order"
        );
        let n = a.ndim as u32;
        let dims = self.ctx.i64_type().array_type(n);
        let ptr = self.ctx.ptr_type(AddressSpace::default());
        self.ctx.struct_type(&[ptr.into(), dims.into(), dims.into(), ptr.into()], false).into()
    }

    /// The memory type of one element.
    pub(super) fn dtype_llty(&self, d: Dtype) -> BasicTypeEnum<'ctx> {
        match d {
            Dtype::Bool | Dtype::Int8 | Dtype::UInt8 => self.ctx.i8_type().into(),
            Dtype::Int16 | Dtype::UInt16 => self.ctx.i16_type().into(),
            Dtype::Int32 | Dtype::UInt32 => self.ctx.i32_type().into(),
            Dtype::Int64 | Dtype::UInt64 => self.ctx.i64_type().into(),
            Dtype::Float32 => self.ctx.f32_type().into(),
            Dtype::Float64 => self.ctx.f64_type().into(),
            Dtype::Complex128 => self.complex_llty().into(),
            Dtype::Complex64 => {
                let f32t = self.ctx.f32_type();
                self.ctx.struct_type(&[f32t.into(), f32t.into()], false).into()
            }
        }
    }

    /// An array argument from its descriptor in the slots at `base[at..]` ([`ArrayDesc`]; the
    /// caller's memory: no meminfo).
    pub(super) fn load_array(&self, base: PointerValue<'ctx>, at: usize, a: &ArrayType) -> BasicValueEnum<'ctx> {
        let b = self.builder;
        let i64t = self.ctx.i64_type();
        let ptr_t = self.ctx.ptr_type(AddressSpace::default());
        let st = self.array_llty(a).into_struct_type();
        let desc = ArrayDesc::new(a.ndim);
        let data = b.build_load(ptr_t, self.slot(base, at + ArrayDesc::DATA), "data").u();
        let mut agg = b.build_insert_value(st.get_undef(), data, field::DATA, "arr").u().into_struct_value();
        let n = a.ndim as usize;
        for which in [field::SHAPE, field::STRIDES] {
            let mut dims = i64t.array_type(n as u32).get_undef();
            for k in 0..n {
                let slot = self.slot(base, at + desc.axis(which, k));
                let v = b.build_load(i64t, slot, "dim").u().into_int_value();
                if which == field::SHAPE {
                    // A size is never negative: with that known, `i < n - 1` proves `i + 1 < n`
                    // and the optimizer drops the bounds check.
                    let range =
                        self.ctx.metadata_node(&[i64t.const_zero().into(), i64t.const_int(i64::MAX as u64, false).into()]);
                    let load = v.as_instruction().expect("a load is an instruction");
                    load.set_metadata(range, self.ctx.get_kind_id("range")).expect("range metadata on a load");
                }
                dims = b.build_insert_value(dims, v, k as u32, "dims").u().into_array_value();
            }
            agg = b.build_insert_value(agg, dims, which, "arr").u().into_struct_value();
        }
        b.build_insert_value(agg, ptr_t.const_null(), field::MEMINFO, "arr").u().into_struct_value().into()
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Axis `k`'s size (`which` = [`field::SHAPE`]) or stride ([`field::STRIDES`]) in `arr`.
    pub(super) fn dim(&self, arr: StructValue<'ctx>, which: u32, k: u32) -> IntValue<'ctx> {
        let dims = self.b().build_extract_value(arr, which, "dims").u().into_array_value();
        self.b().build_extract_value(dims, k, "dim").u().into_int_value()
    }

    /// The byte strides of each axis. A contiguous array's are computed from its shape and
    /// item size (so the innermost is a constant LLVM can vectorize with); others are read.
    pub(super) fn strides(&self, arr: StructValue<'ctx>, a: &ArrayType) -> Vec<IntValue<'ctx>> {
        let n = a.ndim as usize;
        let item = self.i64(a.dtype.size() as i64);
        let mut out = vec![item; n];
        match a.layout {
            Layout::C => {
                for k in (0..n.saturating_sub(1)).rev() {
                    out[k] = self.b().build_int_mul(out[k + 1], self.dim(arr, field::SHAPE, k as u32 + 1), "cstride").u();
                }
            }
            Layout::F => {
                for k in 1..n {
                    out[k] = self.b().build_int_mul(out[k - 1], self.dim(arr, field::SHAPE, k as u32 - 1), "fstride").u();
                }
            }
            Layout::A => {
                for (k, s) in out.iter_mut().enumerate() {
                    *s = self.dim(arr, field::STRIDES, k as u32);
                }
            }
        }
        out
    }

    /// `a.shape`, `a.ndim`, `a.size`.
    pub(super) fn array_attr(&mut self, value: &hir::Expr, attr: hir::Attr) -> BasicValueEnum<'ctx> {
        let vt = self.ty(value);
        if matches!(attr, hir::Attr::Real | hir::Attr::Imag) {
            return self.part_of(value, attr == hir::Attr::Imag);
        }
        let Type::Array(a) = vt else { unreachable!("inference allows arrays only") };
        let arr = self.expr(value).into_struct_value();
        match attr {
            hir::Attr::Real | hir::Attr::Imag => unreachable!("above"),
            hir::Attr::Ndim => self.i64(a.ndim as i64).into(),
            hir::Attr::Size => {
                let mut n = self.i64(1);
                for k in 0..a.ndim as u32 {
                    n = self.b().build_int_mul(n, self.dim(arr, field::SHAPE, k), "size").u();
                }
                n.into()
            }
            hir::Attr::Shape => {
                let st = self.module_gen.llty(&Type::tuple(vec![Type::Int64; a.ndim as usize])).into_struct_type();
                let mut t = st.get_undef();
                for k in 0..a.ndim as u32 {
                    t = self.b().build_insert_value(t, self.dim(arr, field::SHAPE, k), k, "shape").u().into_struct_value();
                }
                t.into()
            }
        }
    }

    /// The dimensions of a shape (an int or a tuple of ints), as int64 values.
    pub(super) fn shape_dims(&mut self, shape: &hir::Expr) -> Vec<IntValue<'ctx>> {
        let st = self.ty(shape);
        let v = self.expr(shape);
        match st {
            Type::Tuple(items) => {
                let t = v.into_struct_value();
                items
                    .iter()
                    .enumerate()
                    .map(|(k, ty)| {
                        let x = self.b().build_extract_value(t, k as u32, "dim").u();
                        self.cast(x, ty, &Type::Int64).into_int_value()
                    })
                    .collect()
            }
            t => vec![self.cast(v, &t, &Type::Int64).into_int_value()],
        }
    }

    /// [`H::ShapeSize`]: the product of the dimensions, a negative one counting as 0.
    pub(super) fn shape_size(&mut self, shape: &hir::Expr) -> BasicValueEnum<'ctx> {
        let mut n = self.i64(1);
        for d in self.shape_dims(shape) {
            let b = self.b();
            let neg = b.build_int_compare(IntPredicate::SLT, d, self.i64(0), "neg").u();
            let d = b.build_select(neg, self.i64(0), d, "dim").u().into_int_value();
            n = b.build_int_mul(n, d, "size").u();
        }
        n.into()
    }

    /// [`H::Unravel`]: the index tuple of element `flat` (in `0..size`) in C order. The loops
    /// `np.ndindex` and its kin lower to ask for positions 0, 1, 2, ... in turn: the tuple of
    /// the last position asked is kept, and the next one is it plus one, carried from the last
    /// axis (Numba's iterator does the same), not a division per axis; any other position is
    /// computed by division.
    pub(super) fn unravel(&mut self, flat: &hir::Expr, shape: &hir::Expr) -> BasicValueEnum<'ctx> {
        let ft = self.ty(flat);
        let k = self.expr(flat);
        let k = self.cast(k, &ft, &Type::Int64).into_int_value();
        let dims = self.shape_dims(shape);
        let n = dims.len();
        let st = self.module_gen.llty(&Type::tuple(vec![Type::Int64; n])).into_struct_type();
        if n <= 1 {
            let t = st.get_undef();
            return if n == 1 { self.b().build_insert_value(t, k, 0, "index").u().into_struct_value().into() } else { t.into() };
        }
        let i64t = self.ctx().i64_type();
        let digits: Vec<PointerValue<'ctx>> = (0..n).map(|_| self.entry_alloca(i64t, "unravel.digit")).collect();
        // The position the digits hold; none at first (-2: its successor is no position).
        let held = self.entry_alloca(i64t, "unravel.held");
        self.entry_store(held, self.i64(-2).into());
        let (carry_bb, divide_bb, done) =
            (self.block_named("unravel.carry"), self.block_named("unravel.divide"), self.block_named("unravel.done"));
        let b = self.b();
        let before = b.build_load(i64t, held, "held").u().into_int_value();
        let next = b.build_int_add(before, self.i64(1), "next").u();
        let is_next = b.build_int_compare(IntPredicate::EQ, k, next, "is_next").u();
        b.build_conditional_branch(is_next, carry_bb, divide_bb).u();
        // The next position: the last digit plus one, carried left while a digit wraps.
        self.b().position_at_end(carry_bb);
        for axis in (0..n).rev() {
            let b = self.b();
            let d = b.build_load(i64t, digits[axis], "digit").u().into_int_value();
            let d1 = b.build_int_nsw_add(d, self.i64(1), "digit1").u();
            if axis == 0 {
                b.build_store(digits[0], d1).u();
                b.build_unconditional_branch(done).u();
                break;
            }
            let wraps = b.build_int_compare(IntPredicate::EQ, d1, dims[axis], "wraps").u();
            let kept = b.build_select(wraps, self.i64(0), d1, "digit.new").u();
            b.build_store(digits[axis], kept).u();
            let further = self.block_named("unravel.carry.more");
            self.b().build_conditional_branch(wraps, further, done).u();
            self.b().position_at_end(further);
        }
        // Any other position: its digits by division (`flat` is below the size, so every
        // dimension divided by is positive).
        self.b().position_at_end(divide_bb);
        let mut rest = k;
        for axis in (1..n).rev() {
            let b = self.b();
            let digit = b.build_int_unsigned_rem(rest, dims[axis], "ix").u();
            b.build_store(digits[axis], digit).u();
            rest = b.build_int_unsigned_div(rest, dims[axis], "rest").u();
        }
        self.b().build_store(digits[0], rest).u();
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
        self.b().build_store(held, k).u();
        let mut t = st.get_undef();
        for (axis, p) in digits.iter().enumerate() {
            let v = self.b().build_load(i64t, *p, "digit").u();
            t = self.b().build_insert_value(t, v, axis as u32, "index").u().into_struct_value();
        }
        t.into()
    }

    /// Whether the view `e` has a last axis of size 1 by construction: an index of all the
    /// array's axes that ends with a new axis (`a[:, None]` of a 1-D `a`, `b[i, :, None]`).
    pub(super) fn last_axis_is_new(&self, e: &hir::Expr) -> bool {
        let H::Subscript { value, index } = &e.kind else { return false };
        let Type::Array(a) = self.ty(value) else { return false };
        let items: Vec<&hir::Expr> = match &index.kind {
            H::Tuple(items) => items.iter().collect(),
            _ => vec![&**index],
        };
        let consumed = items.iter().filter(|i| !matches!(i.kind, H::None)).count();
        matches!(items.last(), Some(i) if matches!(i.kind, H::None)) && consumed == a.ndim as usize
    }

    /// Whether `value[index]` is a view whose last axis is, by construction, not the last axis
    /// of a C-contiguous array: an integer last in a full index with a slice before it
    /// (`x[:, :, k]`, `x[1:, j]`). Its elements are a row or more apart (adjacent only when
    /// every axis after that one has one element), so the contiguous copy of an elementwise
    /// loop that reads or writes it would almost never run.
    pub(super) fn index_strides_last_axis(&self, value: &hir::Expr, index: &hir::Expr) -> bool {
        let Type::Array(a) = self.ty(value) else { return false };
        let H::Tuple(items) = &index.kind else { return false };
        let integer = |i: &hir::Expr| matches!(self.ty(i), Type::Int64 | Type::UInt64);
        a.layout == Layout::C
            && items.len() == a.ndim as usize
            && items.last().is_some_and(integer)
            && items.iter().any(|i| matches!(i.kind, H::Slice { .. }))
            && items.iter().all(|i| matches!(i.kind, H::Slice { .. }) || integer(i))
    }

    /// Whether `value[index]` is a view whose last axis is the last axis of a C-contiguous
    /// array, stepping by one: integers and slices, the last axis untouched or sliced without
    /// a step (`u[0, :]`, `u[1:-1, 2:]`, `x[i]`). Its elements along that axis are adjacent.
    pub(super) fn index_keeps_last_axis_contiguous(&self, value: &hir::Expr, index: &hir::Expr) -> bool {
        let Type::Array(a) = self.ty(value) else { return false };
        let items: Vec<&hir::Expr> = match &index.kind {
            H::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        let unit_slice = |i: &hir::Expr| match &i.kind {
            H::Slice { step, .. } => step.as_deref().is_none_or(|s| hir::const_index(s) == Some(1)),
            _ => false,
        };
        let integer = |i: &hir::Expr| matches!(self.ty(i), Type::Int64 | Type::UInt64);
        a.layout == Layout::C
            && items.len() <= a.ndim as usize
            && items.iter().all(|i| matches!(i.kind, H::Slice { .. }) || integer(i))
            && (items.len() < a.ndim as usize || items.last().is_some_and(|i| unit_slice(i)))
    }

    /// `len(a)`: the length of the first axis.
    pub(super) fn array_len(&mut self, value: &hir::Expr) -> BasicValueEnum<'ctx> {
        let arr = self.expr(value).into_struct_value();
        self.dim(arr, field::SHAPE, 0).into()
    }

    /// The address of `array[index]` (one integer per axis; negative ones count from the end),
    /// or a return of IndexError naming the index, the axis and its size. For a `store` into a
    /// read-only array, NumPy's ValueError comes first, whatever the index (`a[i] op= v` reads
    /// the element first, and is checked like a read).
    fn element_ptr(&mut self, array: &hir::Expr, index: &hir::Expr, store: bool) -> (PointerValue<'ctx>, ArrayType) {
        let Type::Array(a) = self.ty(array) else { unreachable!("inference allows arrays only") };
        let arr = self.expr(array).into_struct_value();
        // One (value, type) per axis: `a[i, j]` written out, or a tuple value.
        // (value, type, proven non-negative) per axis.
        let idx: Vec<(BasicValueEnum<'ctx>, Type, bool)> = match (&index.kind, self.ty(index)) {
            (H::Tuple(items), _) => items.iter().map(|e| (self.expr(e), self.ty(e), self.nonneg(e))).collect(),
            (kind, Type::Tuple(types)) => {
                let proven = match kind {
                    H::Local { id, .. } => self.floors.tuples.get(id).cloned().unwrap_or_default(),
                    _ => Vec::new(),
                };
                let t = self.expr(index).into_struct_value();
                let b = self.b();
                types
                    .into_iter()
                    .enumerate()
                    .map(|(k, ty)| {
                        let nonneg = ty == Type::Int64 && proven.get(k).copied().unwrap_or(false);
                        (b.build_extract_value(t, k as u32, "ix").u(), ty, nonneg)
                    })
                    .collect()
            }
            (_, ty) => vec![(self.expr(index), ty, self.nonneg(index))],
        };
        if store && a.readonly {
            self.read_only_error();
        }
        let strides = self.strides(arr, &a);
        let mut offset = self.i64(0);
        for (k, (v, ty, nonneg)) in idx.into_iter().enumerate() {
            let i = self.as_index(v, &ty);
            let size = self.dim(arr, field::SHAPE, k as u32);
            let stride = strides[k];
            // In the fast copy of a versioned loop, an index its test covers is in range.
            let covered = self.versions.iter().any(|p| p.covers(array, index, k as u32));
            let at = if covered { i } else { self.checked_index(i, nonneg, k as i64, size) };
            let term = self.b().build_int_nsw_mul(at, stride, "term").u();
            offset = self.b().build_int_nsw_add(offset, term, "offset").u();
        }
        let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
        // In bounds (checked above; unchecked, an index outside is the user's undefined
        // behaviour): LLVM may then treat the address as an affine function of the index that does
        // not wrap, which loop-load-elim and the vectorizer's dependence checks need.
        let ptr = unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), data, &[offset], "elem") }.u();
        (ptr, a)
    }

    /// `i` as a position on an axis of `size`: `i + size` when `i` is negative (an index
    /// counting from the end), else `i`; with bounds checks that position must be below `size`,
    /// else a return of IndexError naming `i`. An index `nonneg` proves non-negative (a `range`
    /// variable, `i + 1`, `j - 1` of `range(1, ..)`: `nonneg.rs`) gets no wrap at all: checked, one
    /// unsigned compare whose failing side is the error exit, a plain range check that
    /// constraint elimination and IRCE remove (the loop vectorizes); unchecked, the index as is.
    /// Any other index: `i` itself when `0 <= i < size` (one unsigned compare on the hot path, a
    /// branch the processor predicts), else, in a cold block, the wrap and its check.
    pub(super) fn checked_index(&self, i: IntValue<'ctx>, nonneg: bool, axis: i64, size: IntValue<'ctx>) -> IntValue<'ctx> {
        let checked = self.module_gen.boundscheck;
        if nonneg && !checked {
            return i;
        }
        let b = self.b();
        let from = b.get_insert_block().expect("positioned");
        let inside = b.build_int_compare(IntPredicate::ULT, i, size, "inside").u();
        if nonneg {
            let ok = self.block_named("index.ok");
            let error = self.block_named("index.error");
            self.branch_cold(inside, ok, error, Cold::Else);
            self.b().position_at_end(error);
            self.index_error(i, axis, size);
            self.b().position_at_end(ok);
            return i;
        }
        // Not proven non-negative. A branch-free select in front of the one compare (`i < 0 ?
        // i + size : i`) measured slower wherever the index is read from memory (spmv's
        // `x[col[k]]` 2x, grouped_sum 20%, and a histogram's scattered increments 30% with
        // boundscheck=False): the hot path keeps no arithmetic between the index and the address.
        let outside = self.block_named("index.outside");
        let ok = self.block_named("index.ok");
        self.branch_cold(inside, ok, outside, Cold::Else);
        let b = self.b();
        b.position_at_end(outside);
        let wrapped = b.build_int_add(i, size, "wrapped").u();
        let at_outside = if checked {
            let wrapped_inside = b.build_int_compare(IntPredicate::ULT, wrapped, size, "wrapped.inside").u();
            let error = self.block_named("index.error");
            self.branch_cold(wrapped_inside, ok, error, Cold::Else);
            self.b().position_at_end(error);
            self.index_error(i, axis, size);
            wrapped
        } else {
            // boundscheck=False: a negative index still counts from the end (as in Numba); one
            // out of range is not checked.
            let negative = b.build_int_compare(IntPredicate::SLT, i, self.i64(0), "neg").u();
            let at = b.build_select(negative, wrapped, i, "wrapped.at").u().into_int_value();
            b.build_unconditional_branch(ok).u();
            at
        };
        let b = self.b();
        b.position_at_end(ok);
        let at = b.build_phi(self.ctx().i64_type(), "at").u();
        at.add_incoming(&[(&i, from), (&at_outside, outside)]);
        at.as_basic_value().into_int_value()
    }

    /// `e` is an int64 proven `>= 0` (`nonneg`): as an index it needs no wrap.
    pub(super) fn nonneg(&self, e: &hir::Expr) -> bool {
        self.ty(e) == Type::Int64 && super::nonneg::lower_bound(e, &self.floors.floors).is_some_and(|lo| lo >= 0)
    }

    /// Records the out-of-range index and returns its status.
    fn index_error(&self, index: IntValue<'ctx>, axis: i64, size: IntValue<'ctx>) {
        let helper = self.helper(Helper::IndexError);
        self.b().build_call(helper, &[index.into(), self.i64(axis).into(), size.into()], "").u();
        self.ret_status(self.module_gen.status_llty().const_int(Status::ArrayIndexOutOfBounds as u64, false));
    }

    /// `array[index]`, read and widened to int64, float64 or bool.
    pub(super) fn array_load(&mut self, array: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let (ptr, a) = self.element_ptr(array, index, false);
        self.load_element(ptr, a.dtype)
    }

    /// `array[index] op= value`: one address (one bounds check) for the read and the write.
    pub(super) fn array_aug_assign(&mut self, array: &hir::Expr, index: &hir::Expr, op: BinOp, value: &hir::Expr) {
        let (ptr, a) = self.element_ptr(array, index, false);
        let current = self.load_element(ptr, a.dtype);
        let r = self.expr(value);
        let t = self.aug_type(value);
        let v = self.binary(op, current, &a.dtype.element().carrier(), r, &self.ty(value), &t);
        self.store_element(ptr, a, v, &t.carrier());
    }

    pub(super) fn load_element(&self, ptr: PointerValue<'ctx>, dtype: Dtype) -> BasicValueEnum<'ctx> {
        let a_dtype = dtype;
        let raw = self.b().build_load(self.module_gen.dtype_llty(a_dtype), ptr, "raw").u();
        let b = self.b();
        let (i64t, f64t) = (self.ctx().i64_type(), self.ctx().f64_type());
        match a_dtype {
            Dtype::Bool => {
                b.build_int_compare(IntPredicate::NE, raw.into_int_value(), self.ctx().i8_type().const_zero(), "b").u().into()
            }
            Dtype::Float64 | Dtype::Int64 | Dtype::UInt64 | Dtype::Complex128 => raw,
            // A complex64 element is carried as the complex128 holding it (Type::Complex64).
            Dtype::Complex64 => {
                let sv = raw.into_struct_value();
                let re = b.build_extract_value(sv, 0, "re32").u().into_float_value();
                let im = b.build_extract_value(sv, 1, "im32").u().into_float_value();
                let re = b.build_float_ext(re, f64t, "re").u();
                let im = b.build_float_ext(im, f64t, "im").u();
                self.make_complex((re, im))
            }
            // A float32 element is carried as the double holding it (Type::Float32).
            Dtype::Float32 => b.build_float_ext(raw.into_float_value(), f64t, "f").u().into(),
            d if d.is_signed() => b.build_int_s_extend(raw.into_int_value(), i64t, "i").u().into(),
            _ => b.build_int_z_extend(raw.into_int_value(), i64t, "u").u().into(),
        }
    }

    /// `array[index] = v`: `v` (of type `from`) converted to the dtype as NumPy's assignment
    /// does (a float stored into an integer array is truncated toward zero: [`float_to_dtype`]).
    pub(super) fn array_store(&mut self, array: &hir::Expr, index: &hir::Expr, v: BasicValueEnum<'ctx>, from: &Type) {
        let (ptr, a) = self.element_ptr(array, index, true);
        self.store_element(ptr, a, v, from);
    }

    /// Returns NumPy's "assignment destination is read-only"; the builder continues in a block
    /// nothing reaches.
    pub(super) fn read_only_error(&self) {
        self.ret_status(self.module_gen.status_llty().const_int(Status::ReadOnlyArray as u64, false));
        let after = self.block_named("after.readonly");
        self.b().position_at_end(after);
    }

    pub(super) fn store_element(&mut self, ptr: PointerValue<'ctx>, a: ArrayType, v: BasicValueEnum<'ctx>, from: &Type) {
        if a.readonly {
            self.read_only_error();
            return;
        }
        let b = self.b();
        let mem = self.module_gen.dtype_llty(a.dtype);
        let value: BasicValueEnum = match (a.dtype, from) {
            (Dtype::Bool, _) => {
                let t = self.truth(v, from);
                b.build_int_z_extend(t, self.ctx().i8_type(), "b8").u().into()
            }
            (Dtype::Float64, _) => self.cast(v, from, &Type::Float64),
            (Dtype::Complex128, _) => self.cast(v, from, &Type::Complex128),
            (Dtype::Complex64, _) => {
                let (re, im) = self.parts_of(v, from);
                let b = self.b();
                let f32t = self.ctx().f32_type();
                let re = b.build_float_trunc(re, f32t, "re32").u();
                let im = b.build_float_trunc(im, f32t, "im32").u();
                let mem = mem.into_struct_type();
                let c = b.build_insert_value(mem.get_undef(), re, 0, "c64").u();
                b.build_insert_value(c, im, 1, "c64").u().into_struct_value().into()
            }
            (Dtype::Float32, _) => {
                let f = self.cast(v, from, &Type::Float64).into_float_value();
                self.b().build_float_trunc(f, self.ctx().f32_type(), "f32").u().into()
            }
            (d, Type::Float64) => self.float_to_dtype(v.into_float_value(), d).into(),
            (_, t) => {
                // Integers keep their low bits, as NumPy's casts (uint64 and int64 share theirs).
                let i = self.cast(v, t, &Type::Int64).into_int_value();
                if mem.into_int_type().get_bit_width() == 64 {
                    i.into()
                } else {
                    self.b().build_int_truncate(i, mem.into_int_type(), "narrow").u().into()
                }
            }
        };
        self.b().build_store(ptr, value).u();
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Loops over every index of an array of `shape` in C order (outermost axis first),
    /// calling `body` with the index of each axis.
    pub(super) fn loop_nest(&mut self, shape: &[IntValue<'ctx>], body: &mut dyn FnMut(&mut Self, &[IntValue<'ctx>])) {
        self.loop_nest_with(shape, NestKind::Default, body)
    }

    /// [`FnGen::loop_nest`], its innermost loop annotated as `kind` says.
    pub(super) fn loop_nest_with(
        &mut self,
        shape: &[IntValue<'ctx>],
        kind: NestKind,
        body: &mut dyn FnMut(&mut Self, &[IntValue<'ctx>]),
    ) {
        let i64t = self.ctx().i64_type();
        let idx: Vec<PointerValue<'ctx>> = shape.iter().map(|_| self.entry_alloca(i64t, "nest.i")).collect();
        let mut heads = Vec::new();
        let mut exits = Vec::new();
        for (k, size) in shape.iter().enumerate() {
            self.b().build_store(idx[k], self.i64(0)).u();
            let (head, body_bb, exit) =
                (self.block_named("nest.head"), self.block_named("nest.body"), self.block_named("nest.exit"));
            self.b().build_unconditional_branch(head).u();
            self.b().position_at_end(head);
            let i = self.b().build_load(i64t, idx[k], "i").u().into_int_value();
            let more = self.b().build_int_compare(IntPredicate::SLT, i, *size, "more").u();
            self.b().build_conditional_branch(more, body_bb, exit).u();
            self.b().position_at_end(body_bb);
            heads.push(head);
            exits.push(exit);
        }
        let values: Vec<IntValue<'ctx>> = idx.iter().map(|p| self.b().build_load(i64t, *p, "i").u().into_int_value()).collect();
        // The innermost body: its first block, and the blocks the body makes after it.
        let body_start = self.b().get_insert_block().expect("positioned");
        let made_before = self.function.count_basic_blocks() as usize;
        let libm_before = self.module_gen.libm_calls.get();
        body(self, &values);
        // Every call in an elementwise body is made for each element (its numbers were
        // evaluated before the loop).
        let calls_libm = self.module_gen.libm_calls.get() != libm_before;
        let mut body_blocks = vec![body_start];
        body_blocks.extend(self.function.get_basic_blocks().into_iter().skip(made_before));
        for k in (0..shape.len()).rev() {
            let i = self.b().build_load(i64t, idx[k], "i").u().into_int_value();
            let i1 = self.b().build_int_nsw_add(i, self.i64(1), "i1").u();
            self.b().build_store(idx[k], i1).u();
            let latch = self.b().build_unconditional_branch(heads[k]).u();
            match kind {
                NestKind::Default => {}
                _ if k + 1 < shape.len() => self.module_gen.no_unroll_loop(latch),
                NestKind::Plain => self.module_gen.plain_loop(latch),
                _ if calls_libm => self.module_gen.plain_loop(latch),
                NestKind::Parallel => self.module_gen.parallel_loop(latch, &body_blocks),
            }
            self.b().position_at_end(exits[k]);
        }
    }

    /// The address of the element at `idx` (positions already in range) of data with `strides`.
    pub(super) fn address(
        &self,
        data: PointerValue<'ctx>,
        idx: &[IntValue<'ctx>],
        strides: &[IntValue<'ctx>],
    ) -> PointerValue<'ctx> {
        let mut offset = self.i64(0);
        for (i, stride) in idx.iter().zip(strides) {
            let term = self.b().build_int_nsw_mul(*i, *stride, "term").u();
            offset = self.b().build_int_nsw_add(offset, term, "offset").u();
        }
        unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), data, &[offset], "elem") }.u()
    }

    /// An array value of type `a` from its parts.
    pub(super) fn array_value(
        &self,
        a: &ArrayType,
        data: PointerValue<'ctx>,
        shape: &[IntValue<'ctx>],
        strides: &[IntValue<'ctx>],
        meminfo: PointerValue<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let st = self.module_gen.array_llty(a).into_struct_type();
        let mut out = self.b().build_insert_value(st.get_undef(), data, field::DATA, "arr").u().into_struct_value();
        for (which, values) in [(field::SHAPE, shape), (field::STRIDES, strides)] {
            let mut dims = self.ctx().i64_type().array_type(a.ndim as u32).get_undef();
            for (k, v) in values.iter().enumerate() {
                dims = self.b().build_insert_value(dims, *v, k as u32, "dims").u().into_array_value();
            }
            out = self.b().build_insert_value(out, dims, which, "arr").u().into_struct_value();
        }
        self.b().build_insert_value(out, meminfo, field::MEMINFO, "arr").u().into_struct_value().into()
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The view `array[index]`: integers drop their axis (checked like an element index),
    /// slices keep theirs with Python's slice rules; axes not indexed are kept whole.
    pub(super) fn array_view(&mut self, array: &hir::Expr, index: &hir::Expr, view_type: Type) -> BasicValueEnum<'ctx> {
        self.array_view_keeping(array, index, view_type, None)
    }

    /// [`FnGen::array_view`], the index's item at `whole` (not evaluated) taken as `:`.
    pub(super) fn array_view_keeping(
        &mut self,
        array: &hir::Expr,
        index: &hir::Expr,
        view_type: Type,
        whole: Option<usize>,
    ) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = self.ty(array) else { unreachable!("inference allows arrays only") };
        let Type::Array(view) = view_type else { unreachable!("the subscript's type is the view's") };
        let arr = self.expr(array).into_struct_value();
        let strides = self.strides(arr, &a);
        let items: Vec<&hir::Expr> = match &index.kind {
            H::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        let mut offset = self.i64(0);
        let (mut shapes, mut new_strides) = (Vec::new(), Vec::new());
        // `k`: the array's axis the next item indexes (`None`, a new axis, indexes none).
        let mut k = 0;
        if let (false, Type::Tuple(types)) = (matches!(index.kind, H::Tuple(_) | H::Slice { .. }), self.ty(index)) {
            // An index held in a tuple value with fewer integers than axes: each one an axis's.
            let t = self.expr(index).into_struct_value();
            for (j, ty) in types.iter().enumerate() {
                let v = self.b().build_extract_value(t, j as u32, "ix").u();
                let i = self.as_index(v, ty);
                let size = self.dim(arr, field::SHAPE, j as u32);
                let at = self.checked_index(i, false, j as i64, size);
                let term = self.b().build_int_mul(at, strides[j], "term").u();
                offset = self.b().build_int_add(offset, term, "offset").u();
            }
            k = types.len();
        }
        let items = if k == 0 { items } else { Vec::new() };
        for (pos, e) in items.iter().enumerate() {
            if whole == Some(pos) {
                shapes.push(self.dim(arr, field::SHAPE, k as u32));
                new_strides.push(strides[k]);
                k += 1;
                continue;
            }
            if matches!(e.kind, H::None) {
                shapes.push(self.i64(1));
                new_strides.push(self.i64(0));
                continue;
            }
            let size = self.dim(arr, field::SHAPE, k as u32);
            match &e.kind {
                H::Slice { lower, upper, step } => {
                    let (start, len, step) = self.slice(lower, upper, step, size);
                    let term = self.b().build_int_mul(start, strides[k], "slice.off").u();
                    offset = self.b().build_int_add(offset, term, "offset").u();
                    shapes.push(len);
                    new_strides.push(self.b().build_int_mul(strides[k], step, "slice.stride").u());
                }
                _ => {
                    let v = self.expr(e);
                    let i = self.as_index(v, &self.ty(e));
                    let at = self.checked_index(i, self.nonneg(e), k as i64, size);
                    let term = self.b().build_int_mul(at, strides[k], "term").u();
                    offset = self.b().build_int_add(offset, term, "offset").u();
                }
            }
            k += 1;
        }
        for (axis, stride) in strides.iter().enumerate().skip(k) {
            shapes.push(self.dim(arr, field::SHAPE, axis as u32));
            new_strides.push(*stride);
        }
        let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
        let data = unsafe { self.b().build_gep(self.ctx().i8_type(), data, &[offset], "view.data") }.u();
        let st = self.module_gen.array_llty(&view).into_struct_type();
        let mut out = self.b().build_insert_value(st.get_undef(), data, field::DATA, "view").u().into_struct_value();
        for (which, values) in [(field::SHAPE, &shapes), (field::STRIDES, &new_strides)] {
            let mut dims = self.ctx().i64_type().array_type(view.ndim as u32).get_undef();
            for (k, v) in values.iter().enumerate() {
                dims = self.b().build_insert_value(dims, *v, k as u32, "dims").u().into_array_value();
            }
            out = self.b().build_insert_value(out, dims, which, "view").u().into_struct_value();
        }
        // A view shares its base's block (the reference counts are the holders' business).
        let meminfo = self.b().build_extract_value(arr, field::MEMINFO, "meminfo").u();
        self.b().build_insert_value(out, meminfo, field::MEMINFO, "view").u().into_struct_value().into()
    }

    /// Python's slice rules (`PySlice_AdjustIndices`) on an axis of `size`: the first position,
    /// the number of positions and the step; a zero step raises ValueError.
    pub(super) fn slice(
        &mut self,
        lower: &Option<Box<hir::Expr>>,
        upper: &Option<Box<hir::Expr>>,
        step: &Option<Box<hir::Expr>>,
        size: IntValue<'ctx>,
    ) -> (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>) {
        let int = |s: &mut Self, e: &Option<Box<hir::Expr>>| -> Option<IntValue<'ctx>> {
            let Some(e) = e else { return None };
            let v = s.expr(e);
            Some(s.as_index(v, &s.ty(e)))
        };
        let (lo, hi, st) = (int(self, lower), int(self, upper), int(self, step));
        let step = st.unwrap_or(self.i64(1));
        let zero = self.i64(0);
        let is_zero = self.b().build_int_compare(IntPredicate::EQ, step, zero, "step0").u();
        self.fail_if(is_zero, Status::SliceStepZero as u32);
        let b = self.b();
        let neg = b.build_int_compare(IntPredicate::SLT, step, zero, "neg.step").u();
        let minus_one = self.i64(-1);
        let last = b.build_int_sub(size, self.i64(1), "last").u();
        // Bounds a position is clamped to: [0, size] for a positive step, [-1, size - 1] else.
        let min = b.build_select(neg, minus_one, zero, "min").u().into_int_value();
        let max = b.build_select(neg, last, size, "max").u().into_int_value();
        let adjust = |s: &Self, x: IntValue<'ctx>| -> IntValue<'ctx> {
            let b = s.b();
            let is_neg = b.build_int_compare(IntPredicate::SLT, x, zero, "x.neg").u();
            let plus = b.build_int_add(x, size, "x.wrapped").u();
            let x = b.build_select(is_neg, plus, x, "x").u().into_int_value();
            let below = b.build_int_compare(IntPredicate::SLT, x, min, "x.below").u();
            let x = b.build_select(below, min, x, "x").u().into_int_value();
            let above = b.build_int_compare(IntPredicate::SGT, x, max, "x.above").u();
            b.build_select(above, max, x, "x").u().into_int_value()
        };
        let start = match lo {
            Some(x) => adjust(self, x),
            None => self.b().build_select(neg, last, zero, "start").u().into_int_value(),
        };
        let stop = match hi {
            Some(x) => adjust(self, x),
            None => self.b().build_select(neg, minus_one, size, "stop").u().into_int_value(),
        };
        // len = (stop - start - 1) / step + 1 when the range is not empty (signed division,
        // both operands of one sign), else 0.
        let b = self.b();
        let span = b.build_int_sub(stop, start, "span").u();
        let towards = b.build_select(neg, self.i64(1), minus_one, "towards").u().into_int_value();
        let span1 = b.build_int_add(span, towards, "span1").u();
        let q = b.build_int_signed_div(span1, step, "q").u();
        let len = b.build_int_add(q, self.i64(1), "len").u();
        let nonempty_pos = b.build_int_compare(IntPredicate::SGT, stop, start, "nonempty").u();
        let nonempty_neg = b.build_int_compare(IntPredicate::SLT, stop, start, "nonempty").u();
        let nonempty = b.build_select(neg, nonempty_neg, nonempty_pos, "nonempty").u().into_int_value();
        let len = b.build_select(nonempty, len, zero, "len").u().into_int_value();
        (start, len, step)
    }
}
