//! Codegen of new arrays (`np.zeros`, `np.full`, `np.arange`, `*_like`, `a.copy()`): a block
//! from the C allocator (`memory::sj_rt_new_block`: `calloc` for zeros, whose untouched pages
//! cost nothing, as NumPy's), C-contiguous, filled here; the caller holds its one reference.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

use super::{Built, Fx};
use crate::error::Result;
use crate::hir::{self, Fill, NewArray};
use crate::memory;
use crate::runtime::Status;
use crate::types::{ArrayType, Type};

impl<'a, 'ctx> Fx<'a, 'ctx> {
    pub(super) fn array_new(&mut self, n: &NewArray, a: ArrayType) -> Result<BasicValueEnum<'ctx>> {
        let ndim = a.ndim as usize;
        // The shape, and what fills the new array.
        let (shape, fill, source): (Vec<IntValue<'ctx>>, Option<&Fill>, Option<BasicValueEnum<'ctx>>) = match n {
            NewArray::Filled { shape, fill, .. } => (self.shape_values(shape, ndim)?, Some(fill), None),
            NewArray::Like { array, fill, .. } => {
                let src = self.expr(array)?.into_struct_value();
                ((0..ndim).map(|k| self.dim(src, 1, k as u32)).collect(), Some(fill), None)
            }
            NewArray::Copy { array } => {
                let src = self.expr(array)?;
                let s = src.into_struct_value();
                ((0..ndim).map(|k| self.dim(s, 1, k as u32)).collect(), None, Some(src))
            }
            NewArray::Arange { start, stop, step, .. } => {
                let len = self.arange_len(start, stop, step)?;
                (vec![len], None, None)
            }
        };
        let zero = self.i64(0);
        let mut count = self.i64(1);
        for s in &shape {
            let negative = self.b().build_int_compare(IntPredicate::SLT, *s, zero, "negdim").u();
            self.fail_if(negative, Status::NegativeDimensions as u32);
            count = self.checked_mul(count, *s);
        }
        let item = a.dtype.size() as i64;
        let bytes = self.checked_mul(count, self.i64(item));
        let zeroed = matches!(fill, Some(Fill::Zero));
        let (header, data) = self.call_alloc(bytes, zeroed);
        // C strides.
        let mut strides = vec![self.i64(item); ndim];
        for k in (0..ndim.saturating_sub(1)).rev() {
            strides[k] = self.b().build_int_mul(strides[k + 1], shape[k + 1], "stride").u();
        }
        let value = self.array_value(&a, data, &shape, &strides, header);
        match (n, fill) {
            (_, Some(Fill::Zero | Fill::Uninit)) => {}
            (_, Some(Fill::One)) => {
                let one = self.i64(1).into();
                self.fill_linear(data, &a, count, &mut |_, _| Ok((one, Type::Int)))?;
            }
            (_, Some(Fill::Value(v))) => {
                let x = self.expr(v)?;
                let t = self.ty(v);
                self.fill_linear(data, &a, count, &mut |_, _| Ok((x, t.clone())))?;
            }
            (NewArray::Arange { start, step, .. }, None) => {
                let float = self.ty(start).is_float() || self.ty(step).is_float();
                let (t, ty) = if float { (Type::Float, Type::Float) } else { (Type::Int, Type::Int) };
                let s0 = self.expr(start)?;
                let s0 = self.cast(s0, &self.ty(start), &t);
                let st = self.expr(step)?;
                let st = self.cast(st, &self.ty(step), &t);
                self.fill_linear(data, &a, count, &mut |fx, i| {
                    let b = fx.b();
                    Ok(if float {
                        let fi = b.build_signed_int_to_float(i, fx.ctx().f64_type(), "i").u();
                        let off = b.build_float_mul(fi, st.into_float_value(), "off").u();
                        (b.build_float_add(s0.into_float_value(), off, "x").u().into(), ty.clone())
                    } else {
                        let off = b.build_int_mul(i, st.into_int_value(), "off").u();
                        (b.build_int_add(s0.into_int_value(), off, "x").u().into(), ty.clone())
                    })
                })?;
            }
            (NewArray::Copy { array }, None) => {
                let Type::Array(src_t) = self.ty(array) else { unreachable!("a copy is of an array") };
                let src = source.expect("evaluated above").into_struct_value();
                let src_strides = self.strides(src, &src_t);
                let src_data = self.b().build_extract_value(src, 0, "src.data").u().into_pointer_value();
                let dst = self.entry_alloca(self.ctx().i64_type(), "dst");
                self.b().build_store(dst, self.i64(0)).u();
                self.loop_nest(&shape, &mut |fx, idx| {
                    let from = fx.address(src_data, idx, &src_strides);
                    let x = fx.load_element(from, src_t.dtype);
                    let j = fx.b().build_load(fx.ctx().i64_type(), dst, "j").u().into_int_value();
                    let to_off = fx.b().build_int_mul(j, fx.i64(item), "to.off").u();
                    let to = unsafe { fx.b().build_gep(fx.ctx().i8_type(), data, &[to_off], "to") }.u();
                    fx.store_element(to, a, x, &src_t.dtype.element().carrier());
                    let j1 = fx.b().build_int_nsw_add(j, fx.i64(1), "j1").u();
                    fx.b().build_store(dst, j1).u();
                    Ok(())
                })?;
            }
            _ => unreachable!("every new array is filled one way"),
        }
        Ok(value)
    }

    /// The values of a shape written as an int or a tuple of ints.
    fn shape_values(&mut self, shape: &hir::Expr, ndim: usize) -> Result<Vec<IntValue<'ctx>>> {
        let t = self.ty(shape);
        let v = self.expr(shape)?;
        Ok(match t {
            Type::Tuple(items) => {
                let sv = v.into_struct_value();
                (0..ndim)
                    .map(|k| {
                        let x = self.b().build_extract_value(sv, k as u32, "dim").u();
                        self.cast(x, &items[k], &Type::Int).into_int_value()
                    })
                    .collect()
            }
            t => vec![self.cast(v, &t, &Type::Int).into_int_value()],
        })
    }

    /// `len(range(start, stop, step))` as NumPy's arange computes it: `ceil((stop - start) / step)`,
    /// at least 0.
    fn arange_len(&mut self, start: &hir::Expr, stop: &hir::Expr, step: &hir::Expr) -> Result<IntValue<'ctx>> {
        let float = [start, stop, step].iter().any(|e| self.ty(e).is_float());
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> =
            [start, stop, step].iter().map(|e| Ok((self.expr(e)?, self.ty(e)))).collect::<Result<_>>()?;
        if float {
            let f: Vec<_> = vals.iter().map(|(v, t)| self.cast(*v, t, &Type::Float).into_float_value()).collect();
            let step_zero = self.b().build_float_compare(inkwell::FloatPredicate::OEQ, f[2], self.f64(0.0), "step0").u();
            self.fail_if(step_zero, Status::FloatDivZero as u32);
            let b = self.b();
            let span = b.build_float_sub(f[1], f[0], "span").u();
            let q = b.build_float_div(span, f[2], "q").u();
            let ceil = self.intrinsic_fn("llvm.ceil.f64", 1);
            let c = self.call_basic(ceil, &[q.into()]).into_float_value();
            // NumPy's errors: a NaN length cannot be computed; an infinite or huge one is too big.
            let nan = self.b().build_float_compare(inkwell::FloatPredicate::UNO, c, c, "len.nan").u();
            self.fail_if(nan, Status::ArangeLength as u32);
            let huge = self.b().build_float_compare(inkwell::FloatPredicate::OGE, c, self.f64(9.2e18), "len.huge").u();
            self.fail_if(huge, Status::ArangeTooBig as u32);
            let c = self.b().build_float_to_signed_int(c, self.ctx().i64_type(), "len").u();
            let negative = self.b().build_int_compare(IntPredicate::SLT, c, self.i64(0), "neg").u();
            return Ok(self.b().build_select(negative, self.i64(0), c, "len").u().into_int_value());
        }
        let i: Vec<IntValue<'ctx>> = vals.iter().map(|(v, t)| self.cast(*v, t, &Type::Int).into_int_value()).collect();
        let step_zero = self.b().build_int_compare(IntPredicate::EQ, i[2], self.i64(0), "step0").u();
        self.fail_if(step_zero, Status::IntTrueDivZero as u32); // NumPy: "division by zero"
        let b = self.b();
        // ceil((stop - start) / step) with truncating division: (span + step - sign(step)) / step.
        let span = b.build_int_sub(i[1], i[0], "span").u();
        let pos = b.build_int_compare(IntPredicate::SGT, i[2], self.i64(0), "pos").u();
        let adjust = b.build_select(pos, self.i64(-1), self.i64(1), "adj").u().into_int_value();
        let num = b.build_int_add(span, i[2], "num").u();
        let num = b.build_int_add(num, adjust, "num").u();
        let len = b.build_int_signed_div(num, i[2], "len").u();
        let negative = b.build_int_compare(IntPredicate::SLT, len, self.i64(0), "neg").u();
        Ok(b.build_select(negative, self.i64(0), len, "len").u().into_int_value())
    }

    /// `a * b` for sizes; an overflow is NumPy's "array is too big" ValueError (a wrapped size
    /// would make a buffer smaller than the shape says).
    fn checked_mul(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        let i64t = self.ctx().i64_type();
        let f = inkwell::intrinsics::Intrinsic::find("llvm.smul.with.overflow")
            .and_then(|i| i.get_declaration(self.cg.module, &[i64t.into()]))
            .expect("LLVM has smul.with.overflow");
        let r = self.call_basic(f, &[a.into(), b.into()]).into_struct_value();
        let product = self.b().build_extract_value(r, 0, "size").u().into_int_value();
        let overflow = self.b().build_extract_value(r, 1, "size.overflow").u().into_int_value();
        self.fail_if(overflow, Status::ArrayTooBig as u32);
        product
    }

    /// A new block of `bytes`: its header (the array's meminfo) and the address of its elements;
    /// MemoryError when there is no memory for it.
    fn call_alloc(&self, bytes: IntValue<'ctx>, zeroed: bool) -> (PointerValue<'ctx>, PointerValue<'ctx>) {
        let ptr = self.ctx().ptr_type(AddressSpace::default());
        let fty = ptr.fn_type(&[self.ctx().i64_type().into(), self.ctx().bool_type().into()], false);
        let f = self.helper("sj_rt_new_block", fty);
        let z = self.ctx().bool_type().const_int(zeroed as u64, false);
        let header = self.call_basic(f, &[bytes.into(), z.into()]).into_pointer_value();
        let null = self.b().build_is_null(header, "oom").u();
        self.fail_if(null, Status::OutOfMemory as u32);
        let off = self.i64(memory::DATA_OFFSET as i64);
        let data = unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), header, &[off], "data") }.u();
        (header, data)
    }

    /// `data[i] = value(i)` for i in 0..count, in a C-contiguous array of `a`'s dtype.
    fn fill_linear(
        &mut self,
        data: PointerValue<'ctx>,
        a: &ArrayType,
        count: IntValue<'ctx>,
        value: &mut dyn FnMut(&mut Self, IntValue<'ctx>) -> Result<(BasicValueEnum<'ctx>, Type)>,
    ) -> Result<()> {
        let item = a.dtype.size() as i64;
        let a = *a;
        self.loop_nest(&[count], &mut |fx, idx| {
            let (v, t) = value(fx, idx[0])?;
            let off = fx.b().build_int_mul(idx[0], fx.i64(item), "off").u();
            let at = unsafe { fx.b().build_gep(fx.ctx().i8_type(), data, &[off], "at") }.u();
            fx.store_element(at, a, v, &t);
            Ok(())
        })
    }
}
