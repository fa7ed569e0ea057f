//! Codegen of new arrays (`np.zeros`, `np.full`, `np.arange`, `*_like`, `a.copy()`,
//! `np.array([...])`): a block
//! from the C allocator (`memory::sj_rt_new_block`: `calloc` for zeros, whose untouched pages
//! cost nothing, as NumPy's), C-contiguous, filled here; the caller holds its one reference.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::abi::array_value as field;
use crate::hir::{self, Fill, NewArray};
use crate::memory;
use crate::runtime::Status;
use crate::types::{ArrayType, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    pub(super) fn array_new(&mut self, n: &NewArray, a: ArrayType) -> BasicValueEnum<'ctx> {
        if let NewArray::Random { f, args, shape } = n {
            return self.random_new(*f, args, shape, a);
        }
        let ndim = a.ndim as usize;
        let mut arange = None;
        // The shape, and what fills the new array.
        let (shape, fill, source): (Vec<IntValue<'ctx>>, Option<&Fill>, Option<BasicValueEnum<'ctx>>) = match n {
            NewArray::Filled { shape, fill, .. } => (self.shape_values(shape, ndim), Some(fill), None),
            NewArray::Like { array, fill, .. } => {
                let src = self.expr(array).into_struct_value();
                ((0..ndim).map(|k| self.dim(src, field::SHAPE, k as u32)).collect(), Some(fill), None)
            }
            NewArray::Copy { array, .. } if ndim == 2 && matches!(self.ty(array), Type::List(_)) => {
                // Rows: (their number, the first one's length), every row's checked below.
                let src = self.expr(array);
                let h = src.into_pointer_value();
                let n = self.list_len(h);
                let m = self.first_row_len(h, &self.ty(array));
                (vec![n, m], None, Some(src))
            }
            NewArray::Copy { array, .. } if matches!(self.ty(array), Type::List(_)) => {
                let src = self.expr(array);
                (vec![self.list_len(src.into_pointer_value())], None, Some(src))
            }
            NewArray::Copy { array, .. } if matches!(self.ty(array), Type::Tuple(_)) => {
                let Type::Tuple(items) = self.ty(array) else { unreachable!("a tuple") };
                (vec![self.i64(items.len() as i64)], None, Some(self.expr(array)))
            }
            NewArray::Copy { array, .. } => {
                let src = self.expr(array);
                let s = src.into_struct_value();
                ((0..ndim).map(|k| self.dim(s, field::SHAPE, k as u32)).collect(), None, Some(src))
            }
            NewArray::Arange { start, stop, step, .. } => {
                let r = self.arange_len(start, stop, step);
                let len = r.len;
                arange = Some(r);
                (vec![len], None, None)
            }
            NewArray::Items { shape, .. } => (shape.iter().map(|&d| self.i64(d as i64)).collect(), None, None),
            NewArray::Random { .. } => unreachable!("made by random_new"),
        };
        // `np.array([...])`'s numbers, evaluated (left to right) before the array is made.
        let items: Vec<(BasicValueEnum<'ctx>, Type)> = match n {
            NewArray::Items { items, .. } => items.iter().map(|i| (self.expr(i), self.ty(i))).collect(),
            _ => Vec::new(),
        };
        // A fill value is an operand too: evaluated before any check, as Python evaluates every
        // argument before NumPy looks at the shape.
        let fill_value = match fill {
            Some(Fill::Value(v)) => Some((self.expr(v), self.ty(v))),
            _ => None,
        };
        let zeroed = matches!(fill, Some(Fill::Zero));
        let (value, data, count) = self.alloc_c(&a, &shape, zeroed);
        match (n, fill) {
            (_, Some(Fill::Zero | Fill::Uninit)) => {}
            (_, Some(Fill::One)) => {
                self.fill_linear(data, &a, count, self.i64(1).into(), &Type::Int64);
            }
            (_, Some(Fill::Value(_))) => {
                let (x, t) = fill_value.expect("evaluated above");
                self.fill_linear(data, &a, count, x, &t);
            }
            (NewArray::Arange { .. }, None) => {
                self.arange_fill(arange.as_ref().expect("computed above"), data, &a, count);
            }
            (NewArray::Copy { array, .. }, None) if matches!(self.ty(array), Type::Tuple(_)) => {
                // `np.array(t)` of a tuple of numbers: its items in order.
                let Type::Tuple(tys) = self.ty(array) else { unreachable!("a tuple") };
                let t = source.expect("evaluated above").into_struct_value();
                let item = a.dtype.size();
                for (k, ty) in tys.iter().enumerate() {
                    let v = self.b().build_extract_value(t, k as u32, "item").u();
                    let off = self.i64((k as u64 * item) as i64);
                    let at = unsafe { self.b().build_gep(self.ctx().i8_type(), data, &[off], "at") }.u();
                    self.store_element(at, a, v, ty);
                }
            }
            (NewArray::Items { .. }, None) => {
                let item = a.dtype.size();
                for (k, (v, t)) in items.iter().enumerate() {
                    let off = self.i64((k as u64 * item) as i64);
                    let at = unsafe { self.b().build_gep(self.ctx().i8_type(), data, &[off], "at") }.u();
                    self.store_element(at, a, *v, t);
                }
            }
            (NewArray::Copy { array, .. }, None) if ndim == 2 && matches!(self.ty(array), Type::List(_)) => {
                let Type::List(row) = self.ty(array) else { unreachable!("a list") };
                let Type::List(item) = &*row else { unreachable!("a list of lists") };
                let h = source.expect("evaluated above").into_pointer_value();
                let (n, m) = (shape[0], shape[1]);
                let row_bytes = self.b().build_int_mul(m, self.i64(a.dtype.size() as i64), "row.bytes").u();
                self.counted_rows(n, |g, i| {
                    let r = g.load_item(h, i, &row, "row").into_pointer_value();
                    let len = g.list_len(r);
                    let ragged = g.b().build_int_compare(IntPredicate::NE, len, m, "ragged").u();
                    g.on_failure(ragged, |g| {
                        g.b().build_call(g.helper(super::Helper::Inhomogeneous), &[n.into()], "").u();
                        g.ret_status(g.module_gen.status_llty().const_int(crate::runtime::Status::Raised as u64, false));
                    });
                    let off = g.b().build_int_mul(i, row_bytes, "row.off").u();
                    // SAFETY: row `i` of the new array's `n` rows of `m` elements.
                    let at = unsafe { g.b().build_gep(g.ctx().i8_type(), data, &[off], "row.at") }.u();
                    g.list_to_elements(r, item, m, at, a);
                });
            }
            (NewArray::Copy { array, .. }, None) if matches!(self.ty(array), Type::List(_)) => {
                let Type::List(item) = self.ty(array) else { unreachable!("a list") };
                let h = source.expect("evaluated above").into_pointer_value();
                self.list_to_elements(h, &item, count, data, a);
            }
            (NewArray::Copy { array, .. }, None) => {
                let Type::Array(src_t) = self.ty(array) else { unreachable!("a copy is of an array") };
                let src = source.expect("evaluated above").into_struct_value();
                self.copy_elements(src, &src_t, &shape, data, a);
            }
            _ => unreachable!("every new array is filled one way"),
        }
        value
    }

    /// The length of the first list in the list of lists `h` (of type `t`), 0 when it has none.
    fn first_row_len(&mut self, h: PointerValue<'ctx>, t: &Type) -> IntValue<'ctx> {
        let Type::List(row) = t else { unreachable!("a list of lists") };
        let n = self.list_len(h);
        let some = self.b().build_int_compare(IntPredicate::SGT, n, self.i64(0), "rows").u();
        let (has, none, done) = (self.block_named("row0"), self.block_named("norow"), self.block_named("row0.len"));
        self.b().build_conditional_branch(some, has, none).u();
        self.b().position_at_end(has);
        let r = self.load_item(h, self.i64(0), row, "row0").into_pointer_value();
        let len = self.list_len(r);
        let has_end = self.b().get_insert_block().expect("a block");
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(none);
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
        let phi = self.b().build_phi(self.ctx().i64_type(), "m").u();
        phi.add_incoming(&[(&len, has_end), (&self.i64(0), none)]);
        phi.as_basic_value().into_int_value()
    }

    /// `body(i)` for each row `i` in `0..n` (it may branch away to fail).
    fn counted_rows(&mut self, n: IntValue<'ctx>, mut body: impl FnMut(&mut Self, IntValue<'ctx>)) {
        let open = self.loop_open(n);
        body(self, open.k);
        self.loop_close(open);
    }

    /// A C-contiguous copy of `src` (of type `src_t`) as a new array of type `a`.
    pub(super) fn copy_c(&mut self, src: StructValue<'ctx>, src_t: &ArrayType, a: ArrayType) -> BasicValueEnum<'ctx> {
        let shape: Vec<IntValue<'ctx>> = (0..src_t.ndim as u32).map(|k| self.dim(src, field::SHAPE, k)).collect();
        let (value, data, _) = self.alloc_c(&a, &shape, false);
        self.copy_elements(src, src_t, &shape, data, a);
        value
    }

    /// Writes the elements of `src` (of `shape`), in C order, to the C-contiguous elements at
    /// `data` of an array of type `a` (converted to its dtype).
    fn copy_elements(
        &mut self,
        src: StructValue<'ctx>,
        src_t: &ArrayType,
        shape: &[IntValue<'ctx>],
        data: PointerValue<'ctx>,
        a: ArrayType,
    ) {
        let item = a.dtype.size() as i64;
        let src_t = *src_t;
        let src_data = self.b().build_extract_value(src, field::DATA, "src.data").u().into_pointer_value();
        if src_t.layout == crate::types::Layout::C && src_t.dtype == a.dtype {
            // A C-contiguous source of the same dtype (`u.copy()` of an argument) holds its
            // elements in C order, one after another: one memcpy (no loop for LLVM to
            // vectorize and compile).
            let mut bytes = self.i64(item);
            for d in shape {
                bytes = self.b().build_int_nuw_mul(bytes, *d, "copy.bytes").u();
            }
            let align = item.min(8) as u32; // an element's alignment (a complex's is its parts')
            self.b().build_memcpy(data, align, src_data, align, bytes).u();
            return;
        }
        let src_strides = self.strides(src, &src_t);
        let dst = self.entry_alloca(self.ctx().i64_type(), "dst");
        self.b().build_store(dst, self.i64(0)).u();
        self.loop_nest(shape, &mut |fn_gen, idx| {
            let from = fn_gen.address(src_data, idx, &src_strides);
            let x = fn_gen.load_element(from, src_t.dtype);
            let j = fn_gen.b().build_load(fn_gen.ctx().i64_type(), dst, "j").u().into_int_value();
            let to_off = fn_gen.b().build_int_mul(j, fn_gen.i64(item), "to.off").u();
            let to = unsafe { fn_gen.b().build_gep(fn_gen.ctx().i8_type(), data, &[to_off], "to") }.u();
            fn_gen.store_element(to, a, x, &src_t.dtype.element().carrier());
            let j1 = fn_gen.b().build_int_nsw_add(j, fn_gen.i64(1), "j1").u();
            fn_gen.b().build_store(dst, j1).u();
        });
    }

    /// A new C-contiguous array of type `a` and `shape` (zero-filled when `zeroed`, else
    /// uninitialized): its value, the address of its elements and their count. A negative
    /// dimension, a size that overflows and a failed allocation are NumPy's errors.
    pub(super) fn alloc_c(
        &mut self,
        a: &ArrayType,
        shape: &[IntValue<'ctx>],
        zeroed: bool,
    ) -> (BasicValueEnum<'ctx>, PointerValue<'ctx>, IntValue<'ctx>) {
        let zero = self.i64(0);
        let mut count = self.i64(1);
        for s in shape {
            let negative = self.b().build_int_compare(IntPredicate::SLT, *s, zero, "negdim").u();
            self.fail_if(negative, Status::NegativeDimensions as u32);
            count = self.checked_mul(count, *s);
        }
        let item = a.dtype.size() as i64;
        let bytes = self.checked_mul(count, self.i64(item));
        let (header, data) = self.call_alloc(bytes, zeroed);
        // C strides.
        let ndim = shape.len();
        let mut strides = vec![self.i64(item); ndim];
        for k in (0..ndim.saturating_sub(1)).rev() {
            strides[k] = self.b().build_int_mul(strides[k + 1], shape[k + 1], "stride").u();
        }
        (self.array_value(a, data, shape, &strides, header), data, count)
    }

    /// The values of a shape written as an int or a tuple of ints.
    pub(super) fn shape_values(&mut self, shape: &hir::Expr, ndim: usize) -> Vec<IntValue<'ctx>> {
        let t = self.ty(shape);
        let v = self.expr(shape);
        match t {
            Type::Tuple(items) => {
                let sv = v.into_struct_value();
                (0..ndim)
                    .map(|k| {
                        let x = self.b().build_extract_value(sv, k as u32, "dim").u();
                        self.cast(x, &items[k], &Type::Int64).into_int_value()
                    })
                    .collect()
            }
            t => vec![self.cast(v, &t, &Type::Int64).into_int_value()],
        }
    }

    /// `a * b` for sizes; an overflow is NumPy's "array is too big" ValueError (a wrapped size
    /// would make a buffer smaller than the shape says).
    pub(super) fn checked_mul(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        let i64t = self.ctx().i64_type();
        let f = self.module_gen.llvm_intrinsic("llvm.smul.with.overflow", &[i64t.into()]);
        let r = self.call_basic(f, &[a.into(), b.into()]).into_struct_value();
        let product = self.b().build_extract_value(r, 0, "size").u().into_int_value();
        let overflow = self.b().build_extract_value(r, 1, "size.overflow").u().into_int_value();
        self.fail_if(overflow, Status::ArrayTooBig as u32);
        product
    }

    /// A new block of `bytes`: its header (the array's meminfo) and the address of its elements;
    /// MemoryError when there is no memory for it.
    pub(super) fn call_alloc(&self, bytes: IntValue<'ctx>, zeroed: bool) -> (PointerValue<'ctx>, PointerValue<'ctx>) {
        let f = self.helper(Helper::NewBlock);
        let z = self.ctx().bool_type().const_int(zeroed as u64, false);
        let header = self.call_basic(f, &[bytes.into(), z.into()]).into_pointer_value();
        let null = self.b().build_is_null(header, "oom").u();
        self.fail_if(null, Status::OutOfMemory as u32);
        let off = self.i64(memory::DATA_OFFSET as i64);
        let data = unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), header, &[off], "data") }.u();
        (header, data)
    }

    /// `data[i] = v` (of type `t`) for i in 0..count, in a C-contiguous array of `a`'s dtype.
    pub(super) fn fill_linear(
        &mut self,
        data: PointerValue<'ctx>,
        a: &ArrayType,
        count: IntValue<'ctx>,
        v: BasicValueEnum<'ctx>,
        t: &Type,
    ) {
        let item = a.dtype.size() as i64;
        let a = *a;
        self.loop_nest(&[count], &mut |fn_gen, idx| {
            let off = fn_gen.b().build_int_mul(idx[0], fn_gen.i64(item), "off").u();
            let at = unsafe { fn_gen.b().build_gep(fn_gen.ctx().i8_type(), data, &[off], "at") }.u();
            fn_gen.store_element(at, a, v, t);
        })
    }

    /// Calls `sj_rt_store_strided`: the C-ordered block `flat` into the strided array at
    /// `strided` (of `shape` and byte `strides`).
    pub(super) fn store_strided(
        &mut self,
        strided: PointerValue<'ctx>,
        flat: PointerValue<'ctx>,
        shape: &[IntValue<'ctx>],
        strides: &[IntValue<'ctx>],
        item: u64,
    ) {
        let n = shape.len();
        let i64t = self.ctx().i64_type();
        let arr_t = i64t.array_type(n as u32);
        let (shape_at, strides_at) = (self.entry_alloca(arr_t, "strided.shape"), self.entry_alloca(arr_t, "strided.strides"));
        for (k, (d, s)) in shape.iter().zip(strides).enumerate() {
            let b = self.b();
            let at = |p: PointerValue<'ctx>| unsafe { b.build_in_bounds_gep(i64t, p, &[self.i64(k as i64)], "strided.at") }.u();
            b.build_store(at(shape_at), *d).u();
            b.build_store(at(strides_at), *s).u();
        }
        let f = self.helper(super::Helper::StoreStrided);
        let args = [
            strided.into(),
            flat.into(),
            self.i64(n as i64).into(),
            shape_at.into(),
            strides_at.into(),
            self.i64(item as i64).into(),
        ];
        self.b().build_call(f, &args, "").u();
    }
}
