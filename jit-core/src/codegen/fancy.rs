//! Codegen of indexing by an array: a boolean mask of the array's shape or of its first axes
//! (`a[a > 0]`, `a[mask] = v`, `rows[keep]`) and an integer array along the first axis (`x[idx]`, `x[idx] = v`) or,
//! read, along any axis among full slices (`x[:, idx]`). A read makes a new C-contiguous array;
//! a write stores into each selected element in order.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::IntPredicate;

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::hir::{self, ExprKind as H};
use crate::runtime::Status;
use crate::types::{ArrayType, Dtype, Layout, Type};

/// An array value with its type, its data address, shape and strides read out.
struct Parts<'ctx> {
    t: ArrayType,
    data: PointerValue<'ctx>,
    shape: Vec<IntValue<'ctx>>,
    strides: Vec<IntValue<'ctx>>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    fn parts(&self, v: StructValue<'ctx>, t: ArrayType) -> Parts<'ctx> {
        let data = self.b().build_extract_value(v, field::DATA, "data").u().into_pointer_value();
        let shape = (0..t.ndim as u32).map(|k| self.dim(v, field::SHAPE, k)).collect();
        Parts { t, data, shape, strides: self.strides(v, &t) }
    }

    /// `value[index]` with an array `index`: a new 1-D array of the elements where a mask is
    /// true, or the elements (rows) at an integer array's positions, of type `out`.
    pub(super) fn fancy_load(&mut self, value: &hir::Expr, index: &hir::Expr, out: ArrayType) -> BasicValueEnum<'ctx> {
        let (Type::Array(at), Type::Array(it)) = (self.ty(value), self.ty(index)) else { unreachable!("inference checked") };
        let a = self.expr(value).into_struct_value();
        let ix = self.expr(index).into_struct_value();
        let (a, ix) = (self.parts(a, at), self.parts(ix, it));
        let item = self.i64(out.dtype.size() as i64);
        let j = self.entry_alloca(self.ctx().i64_type(), "fancy.j");
        self.b().build_store(j, self.i64(0)).u();
        if it.dtype == Dtype::Bool {
            // A mask of the first k axes selects sub-arrays of the others, in C order.
            self.check_mask_shape(&a, &ix);
            let count = self.mask_count(&ix);
            let rest = a.shape[ix.t.ndim as usize..].to_vec();
            let shape: Vec<IntValue<'ctx>> = std::iter::once(count).chain(rest.iter().copied()).collect();
            let (value, data, _) = self.alloc_c(&out, &shape, false);
            self.for_each_selected(&ix, &mut |fn_gen, idx| {
                fn_gen.for_each_rest(idx, &rest, &mut |fn_gen, pos| {
                    let x = fn_gen.load_element(fn_gen.address(a.data, pos, &a.strides), at.dtype);
                    fn_gen.store_next(data, item, j, out, x, &at.dtype.element().carrier());
                });
            });
            return value;
        }
        self.gather(&a, &ix, (0, 0), out, j)
    }

    /// `value[:, idx]` (`index` the integer array `idx`, at position `p` of an index whose
    /// other items are full slices: [`FnGen::gathered_axis`]): a new C-contiguous array of `a`'s
    /// axes before `p`, the index array's, and `a`'s after `p` (NumPy's one advanced index keeps
    /// its place), of type `out`.
    pub(super) fn fancy_load_along(
        &mut self,
        value: &hir::Expr,
        index: &hir::Expr,
        p: usize,
        out: ArrayType,
    ) -> BasicValueEnum<'ctx> {
        let (Type::Array(at), Type::Array(it)) = (self.ty(value), self.ty(index)) else { unreachable!("inference checked") };
        let a = self.expr(value).into_struct_value();
        let ix = self.expr(index).into_struct_value();
        let (a, ix) = (self.parts(a, at), self.parts(ix, it));
        let j = self.entry_alloca(self.ctx().i64_type(), "fancy.j");
        self.b().build_store(j, self.i64(0)).u();
        self.gather(&a, &ix, (p, p), out, j)
    }

    /// The elements of `a` at the integer array `ix`'s positions along axis `p`, in a new
    /// C-contiguous array of `out` (`j`: the count of elements written, from 0): its shape is
    /// `a`'s axes before `p`, `ix`'s, then `a`'s after `p`. A position out of range is NumPy's
    /// IndexError naming the axis (`named`: the indexed array's axis that `a`'s `p` is, when `a`
    /// is a view of it), even where the result is empty (another axis of size 0), as NumPy
    /// checks every position first.
    fn gather(
        &mut self,
        a: &Parts<'ctx>,
        ix: &Parts<'ctx>,
        (p, named): (usize, usize),
        out: ArrayType,
        j: PointerValue<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let item = self.i64(out.dtype.size() as i64);
        let n = ix.t.ndim as usize;
        self.loop_nest(&ix.shape, &mut |fn_gen, idx| {
            fn_gen.position_at_axis(ix, idx, a.shape[p], named as i64);
        });
        let shape: Vec<IntValue<'ctx>> = a.shape[..p].iter().chain(&ix.shape).chain(&a.shape[p + 1..]).copied().collect();
        let (value, data, _) = self.alloc_c(&out, &shape, false);
        let dtype = a.t.dtype;
        self.loop_nest(&shape, &mut |fn_gen, idx| {
            let at = fn_gen.position_at_axis(ix, &idx[p..p + n], a.shape[p], named as i64);
            let pos: Vec<IntValue<'ctx>> =
                idx[..p].iter().copied().chain(std::iter::once(at)).chain(idx[p + n..].iter().copied()).collect();
            let x = fn_gen.load_element(fn_gen.address(a.data, &pos, &a.strides), dtype);
            fn_gen.store_next(data, item, j, out, x, &dtype.element().carrier());
        });
        value
    }

    /// Where `value[index]` gathers along one axis: `Some((p, idx))` for an index whose items
    /// are full slices but an array `idx` at `p` (`a[:, idx]`; inference accepts an integer one
    /// only there).
    pub(super) fn gathered_axis<'e>(&self, value: &hir::Expr, index: &'e hir::Expr) -> Option<(usize, &'e hir::Expr)> {
        let Type::Array(a) = self.ty(value) else { return None };
        let (p, item) = crate::infer::one_index_among_full_slices(&a, index)?;
        matches!(self.ty(item), Type::Array(ix) if ix.dtype != Dtype::Bool).then_some((p, item))
    }

    /// Where `value[index]` is a read with one index array among integers and slices
    /// ([`crate::infer::MixedIndex`]: `a[mask, 0]`, `a[i, idx]`), as inference typed it.
    pub(super) fn mixed_index(&self, value: &hir::Expr, index: &hir::Expr) -> Option<crate::infer::MixedIndex> {
        let (Type::Array(a), H::Tuple(items)) = (self.ty(value), &index.kind) else { return None };
        let types: Vec<Type> =
            items.iter().map(|e| if matches!(e.kind, H::Slice { .. } | H::None) { Type::Unknown } else { self.ty(e) }).collect();
        let refs: Vec<&hir::Expr> = items.iter().collect();
        crate::infer::one_array_among_ints_and_slices(&a, &refs, &types)?.ok()
    }

    /// `value[index]` with a [`crate::infer::MixedIndex`] `m`: the view the integers and
    /// slices make (the array's axis whole), then the elements along its axis `m.p` at the
    /// integer array's positions, or where the 1-D mask is true, in a new C-contiguous array of
    /// type `out`.
    pub(super) fn fancy_load_mixed(
        &mut self,
        value: &hir::Expr,
        index: &hir::Expr,
        m: crate::infer::MixedIndex,
        out: ArrayType,
    ) -> BasicValueEnum<'ctx> {
        let (Type::Array(at), H::Tuple(items)) = (self.ty(value), &index.kind) else { unreachable!("inference checked") };
        let item = &items[m.item];
        let Type::Array(it) = self.ty(item) else { unreachable!("the index array") };
        let ints = items.iter().filter(|e| crate::infer::is_int_index(&self.ty(e))).count();
        let view_t = ArrayType { ndim: at.ndim - ints as u8, layout: Layout::A, ..at };
        let view = self.array_view_keeping(value, index, Type::Array(view_t), Some(m.item)).into_struct_value();
        let ix = self.expr(item).into_struct_value();
        let (v, ix) = (self.parts(view, view_t), self.parts(ix, it));
        let j = self.entry_alloca(self.ctx().i64_type(), "fancy.j");
        self.b().build_store(j, self.i64(0)).u();
        if it.dtype != Dtype::Bool {
            return self.gather(&v, &ix, (m.p, m.item), out, j);
        }
        // A 1-D mask along axis p: its length that axis's, the selected positions in order.
        let ne = self.b().build_int_compare(IntPredicate::NE, v.shape[m.p], ix.shape[0], "mask.ne").u();
        self.fail_if(ne, Status::MaskShape as u32);
        let count = self.mask_count(&ix);
        let mut shape = v.shape.clone();
        shape[m.p] = count;
        let (result, data, _) = self.alloc_c(&out, &shape, false);
        let item_size = self.i64(out.dtype.size() as i64);
        let (before, after) = (v.shape[..m.p].to_vec(), v.shape[m.p + 1..].to_vec());
        let dtype = at.dtype;
        self.for_each_rest(&[], &before, &mut |fn_gen, outer| {
            let outer = outer.to_vec();
            fn_gen.for_each_selected(&ix, &mut |fn_gen, sel| {
                let first: Vec<IntValue<'ctx>> = outer.iter().chain(sel).copied().collect();
                fn_gen.for_each_rest(&first, &after, &mut |fn_gen, pos| {
                    let x = fn_gen.load_element(fn_gen.address(v.data, pos, &v.strides), dtype);
                    fn_gen.store_next(data, item_size, j, out, x, &dtype.element().carrier());
                });
            });
        });
        result
    }

    /// `array[index] = v` with an array `index`: `v` (of type `vt`: a number, or a 1-D array of
    /// the selected elements' number, or of length 1) stored into each selected element.
    pub(super) fn fancy_store(&mut self, array: &hir::Expr, index: &hir::Expr, v: BasicValueEnum<'ctx>, vt: &Type) {
        self.fancy_store_from(array, index, v, vt, false)
    }

    /// [`FnGen::fancy_store`]; `fresh`: `v` is an array compiled code just made (nothing else
    /// reads or writes it), C-contiguous, of the selected elements' shape.
    pub(super) fn fancy_store_from(
        &mut self,
        array: &hir::Expr,
        index: &hir::Expr,
        v: BasicValueEnum<'ctx>,
        vt: &Type,
        fresh: bool,
    ) {
        let (Type::Array(at), Type::Array(it)) = (self.ty(array), self.ty(index)) else { unreachable!("inference checked") };
        let a = self.expr(array).into_struct_value();
        let ix = self.expr(index).into_struct_value();
        if at.readonly {
            self.read_only_error();
            return;
        }
        // Through an integer array, positions and values read from the array being written are
        // copied first, as NumPy's assignment sees them before it writes (`x[x] = 0`,
        // `a[idx] = a[::-1]`). Through a mask NumPy stores element by element as it reads the
        // value (an overlapping value sees the stores before it), and so does this.
        let ix = if it.dtype != Dtype::Bool && it.dtype == at.dtype {
            self.copy_c(ix, &it, ArrayType { layout: Layout::C, readonly: false, ..it }).into_struct_value()
        } else {
            ix
        };
        let (a, ix) = (self.parts(a, at), self.parts(ix, it));
        // The value: a number, or a 1-D array's data, stride and length.
        let source = match vt {
            Type::Array(vt) if vt.dtype == at.dtype && it.dtype != Dtype::Bool && !fresh => {
                let copy = self.copy_c(v.into_struct_value(), vt, ArrayType { layout: Layout::C, readonly: false, ..*vt });
                Some((self.parts(copy.into_struct_value(), ArrayType { layout: Layout::C, readonly: false, ..*vt }), *vt))
            }
            Type::Array(vt) => Some((self.parts(v.into_struct_value(), *vt), *vt)),
            _ => None,
        };
        let j = self.entry_alloca(self.ctx().i64_type(), "fancy.j");
        self.b().build_store(j, self.i64(0)).u();
        // Reads the value for the next selected element.
        let next_value = |fn_gen: &mut Self, step: IntValue<'ctx>| -> (BasicValueEnum<'ctx>, Type) {
            match &source {
                None => (v, vt.clone()),
                Some((p, t)) => {
                    // The value's elements in order: a 1-D array by its stride, a C-contiguous
                    // one (a copy, or a fresh array) by its item size.
                    let k = fn_gen.b().build_load(fn_gen.ctx().i64_type(), j, "k").u().into_int_value();
                    let k1 = fn_gen.b().build_int_add(k, step, "k1").u();
                    fn_gen.b().build_store(j, k1).u();
                    let stride = *p.strides.last().expect("an array value has an axis");
                    let x = fn_gen.load_element(fn_gen.address(p.data, &[k], &[stride]), t.dtype);
                    (x, t.dtype.element().carrier())
                }
            }
        };
        if it.dtype == Dtype::Bool {
            self.check_mask_shape(&a, &ix);
            let rest = a.shape[ix.t.ndim as usize..].to_vec();
            let step = match &source {
                Some((p, _)) => {
                    // The selected elements: the mask's count times the size of the other axes.
                    let count = self.mask_count(&ix);
                    let count = self.b().build_int_mul(count, self.product(&rest), "n").u();
                    self.value_length_step(self.product(&p.shape), count)
                }
                None => self.i64(0),
            };
            self.for_each_selected(&ix, &mut |fn_gen, idx| {
                fn_gen.for_each_rest(idx, &rest, &mut |fn_gen, pos| {
                    let (x, t) = next_value(fn_gen, step);
                    let ptr = fn_gen.address(a.data, pos, &a.strides);
                    fn_gen.store_element(ptr, at, x, &t);
                });
            });
            return;
        }
        let n = ix.t.ndim as usize;
        let shape: Vec<IntValue<'ctx>> = ix.shape.iter().chain(&a.shape[1..]).copied().collect();
        let step = match &source {
            Some((p, _)) => {
                let (length, count) = (self.product(&p.shape), self.product(&shape));
                self.value_length_step(length, count)
            }
            None => self.i64(0),
        };
        self.loop_nest(&shape, &mut |fn_gen, idx| {
            let at0 = fn_gen.position_at(&ix, &idx[..n], a.shape[0]);
            let pos: Vec<IntValue<'ctx>> = std::iter::once(at0).chain(idx[n..].iter().copied()).collect();
            let (x, t) = next_value(fn_gen, step);
            let ptr = fn_gen.address(a.data, &pos, &a.strides);
            fn_gen.store_element(ptr, at, x, &t);
        });
    }

    pub(super) fn product(&self, dims: &[IntValue<'ctx>]) -> IntValue<'ctx> {
        dims.iter().fold(self.i64(1), |n, d| self.b().build_int_mul(n, *d, "n").u())
    }

    /// How far to move in a value array per selected element: 1 when its `length` is the
    /// `count` selected, 0 when it is 1 (broadcast), else NumPy's ValueError.
    fn value_length_step(&self, length: IntValue<'ctx>, count: IntValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        let same = b.build_int_compare(IntPredicate::EQ, length, count, "same.len").u();
        let one = b.build_int_compare(IntPredicate::EQ, length, self.i64(1), "one.value").u();
        let ok = b.build_or(same, one, "len.ok").u();
        let bad = b.build_not(ok, "len.bad").u();
        self.fail_if(bad, Status::IndexedStoreSize as u32);
        let b = self.b();
        let step = b.build_select(same, self.i64(1), self.i64(0), "step").u();
        step.into_int_value()
    }

    /// The position on axis 0 (of `size`) that element `idx` of the integer index array `ix`
    /// names: negative counts from the end; outside, NumPy's IndexError.
    fn position_at(&mut self, ix: &Parts<'ctx>, idx: &[IntValue<'ctx>], size: IntValue<'ctx>) -> IntValue<'ctx> {
        self.position_at_axis(ix, idx, size, 0)
    }

    /// [`FnGen::position_at`] along axis `axis` (which an IndexError names).
    fn position_at_axis(&mut self, ix: &Parts<'ctx>, idx: &[IntValue<'ctx>], size: IntValue<'ctx>, axis: i64) -> IntValue<'ctx> {
        let raw = self.load_element(self.address(ix.data, idx, &ix.strides), ix.t.dtype);
        let i = self.as_index(raw, &ix.t.dtype.element());
        self.checked_index(i, false, axis, size)
    }

    /// `data[j] = x` in a C-contiguous array of `out`'s dtype, then `j += 1`.
    fn store_next(
        &mut self,
        data: PointerValue<'ctx>,
        item: IntValue<'ctx>,
        j: PointerValue<'ctx>,
        out: ArrayType,
        x: BasicValueEnum<'ctx>,
        t: &Type,
    ) {
        let k = self.b().build_load(self.ctx().i64_type(), j, "j").u().into_int_value();
        let off = self.b().build_int_nsw_mul(k, item, "off").u();
        let to = unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), data, &[off], "to") }.u();
        self.store_element(to, out, x, t);
        let k1 = self.b().build_int_nsw_add(k, self.i64(1), "j1").u();
        self.b().build_store(j, k1).u();
    }

    /// Runs `body` with each full index that starts with `first` and goes on over the axes of
    /// sizes `rest`, in C order (`first` alone when there are none).
    fn for_each_rest(
        &mut self,
        first: &[IntValue<'ctx>],
        rest: &[IntValue<'ctx>],
        body: &mut dyn FnMut(&mut Self, &[IntValue<'ctx>]),
    ) {
        if rest.is_empty() {
            return body(self, first);
        }
        let first = first.to_vec();
        self.loop_nest(rest, &mut |fn_gen, idx| {
            let pos: Vec<IntValue<'ctx>> = first.iter().chain(idx).copied().collect();
            body(fn_gen, &pos);
        });
    }

    /// NumPy's IndexError unless the mask has the shape of the array's first axes.
    fn check_mask_shape(&self, a: &Parts<'ctx>, mask: &Parts<'ctx>) {
        let mut differs = self.ctx().bool_type().const_zero();
        for (x, y) in a.shape.iter().zip(&mask.shape) {
            let ne = self.b().build_int_compare(IntPredicate::NE, *x, *y, "mask.ne").u();
            differs = self.b().build_or(differs, ne, "mask.differs").u();
        }
        self.fail_if(differs, Status::MaskShape as u32);
    }

    /// How many elements of `mask` are true.
    fn mask_count(&mut self, mask: &Parts<'ctx>) -> IntValue<'ctx> {
        let count = self.entry_alloca(self.ctx().i64_type(), "mask.count");
        self.b().build_store(count, self.i64(0)).u();
        let (data, strides) = (mask.data, mask.strides.clone());
        self.loop_nest(&mask.shape, &mut |fn_gen, idx| {
            let bit = fn_gen.load_element(fn_gen.address(data, idx, &strides), Dtype::Bool).into_int_value();
            let one = fn_gen.b().build_int_z_extend(bit, fn_gen.ctx().i64_type(), "bit").u();
            let c = fn_gen.b().build_load(fn_gen.ctx().i64_type(), count, "c").u().into_int_value();
            let c1 = fn_gen.b().build_int_add(c, one, "c1").u();
            fn_gen.b().build_store(count, c1).u();
        });
        self.b().build_load(self.ctx().i64_type(), count, "count").u().into_int_value()
    }

    /// Runs `body` with each index (in C order) where `mask` is true.
    fn for_each_selected(&mut self, mask: &Parts<'ctx>, body: &mut dyn FnMut(&mut Self, &[IntValue<'ctx>])) {
        let (data, strides) = (mask.data, mask.strides.clone());
        self.loop_nest(&mask.shape, &mut |fn_gen, idx| {
            let bit = fn_gen.load_element(fn_gen.address(data, idx, &strides), Dtype::Bool).into_int_value();
            let (then, cont) = (fn_gen.block_named("mask.true"), fn_gen.block_named("mask.next"));
            fn_gen.b().build_conditional_branch(bit, then, cont).u();
            fn_gen.b().position_at_end(then);
            body(fn_gen, idx);
            fn_gen.b().build_unconditional_branch(cont).u();
            fn_gen.b().position_at_end(cont);
        });
    }
}
