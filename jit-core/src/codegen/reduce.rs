//! Codegen of the reductions of arrays (`sum prod min max mean any all argmin argmax var std`),
//! over every element or along one axis: the loops that fold the elements, and NumPy's errors
//! for the ones that have no value for an empty array.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::array::flat_c;
use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::hir::{self, Reduction};
use crate::runtime::Status;
use crate::types::{ArrayType, Dtype, Type};

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `a.sum()` and the other reductions of every element of an array, of type `ty` (from
    /// inference), in C order (Numba's order: NumPy's pairwise float summation may round
    /// differently in the last bits). NumPy's errors for the min, max, argmin and argmax of an
    /// empty array.
    pub(super) fn array_reduce(&mut self, f: Reduction, value: &hir::Expr, ty: &Type) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let arr = self.expr(value).into_struct_value();
        self.reduce_whole(f, arr, a, ty)
    }

    /// [`FnGen::array_reduce`] of the evaluated array `arr` (of type `a`).
    fn reduce_whole(&mut self, f: Reduction, arr: StructValue<'ctx>, a: ArrayType, ty: &Type) -> BasicValueEnum<'ctx> {
        let strides = self.strides(arr, &a);
        let n = a.ndim as usize;
        let shapes: Vec<IntValue<'ctx>> = (0..n).map(|k| self.dim(arr, field::SHAPE, k as u32)).collect();
        let mut size = self.i64(1);
        for s in &shapes {
            size = self.b().build_int_mul(size, *s, "size").u();
        }
        self.fail_if_empty(f, size);
        let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
        let place = |idx: &[IntValue<'ctx>]| idx.to_vec();
        if let Some(v) = self.numpys_float_sum(f, &a, data, &strides, size, ty) {
            return v;
        }
        let pooled = self.parallel_reduce(f, &a, data, &strides, &shapes, &ty.carrier(), size);
        let v = self.fold(f, &a, data, &strides, &shapes, &place, &ty.carrier(), size);
        self.join_reduce(pooled, v)
    }

    /// `a.sum()` and `a.mean()` of a float64 array whose elements NumPy adds in one run (a C- or
    /// F-contiguous array, in memory order, or any 1-D array): NumPy's pairwise sum
    /// (`runtime::sj_rt_pairwise_sum`), so the answer is NumPy's to the bit (and the additions,
    /// eight independent chains, run faster than one). `None` for any other reduction.
    fn numpys_float_sum(
        &mut self,
        f: Reduction,
        a: &ArrayType,
        data: PointerValue<'ctx>,
        strides: &[IntValue<'ctx>],
        size: IntValue<'ctx>,
        ty: &Type,
    ) -> Option<BasicValueEnum<'ctx>> {
        let one_run = a.ndim == 1 || matches!(a.layout, crate::types::Layout::C | crate::types::Layout::F);
        if !matches!(f, Reduction::Sum | Reduction::Mean) || a.dtype != Dtype::Float64 || !one_run || *ty != Type::Float64 {
            return None;
        }
        let stride = if a.ndim == 1 { strides[0] } else { self.i64(8) };
        let helper = self.helper(super::Helper::PairwiseSum);
        let total = self.call_basic(helper, &[data.into(), size.into(), stride.into()]).into_float_value();
        if f == Reduction::Sum {
            return Some(total.into());
        }
        // An empty array gives 0/0 = NaN, as NumPy does (which also warns).
        let n = self.b().build_signed_int_to_float(size, self.ctx().f64_type(), "count").u();
        Some(self.b().build_float_div(total, n, "mean").u().into())
    }

    /// NumPy's ValueError for the reductions that have no value for an empty array (or axis).
    fn fail_if_empty(&self, f: Reduction, size: IntValue<'ctx>) {
        let status = match f {
            Reduction::Min => Status::EmptyMinimum,
            Reduction::Max => Status::EmptyMaximum,
            Reduction::Argmin => Status::EmptyArgmin,
            Reduction::Argmax => Status::EmptyArgmax,
            _ => return,
        };
        let empty = self.b().build_int_compare(IntPredicate::EQ, size, self.i64(0), "empty").u();
        self.fail_if(empty, status as u32);
    }

    /// Reduction `f` of the `count` elements of an array of type `a` (at `data`, with `strides`)
    /// that a loop nest over `shape` reaches, `place` giving each one's index in the array: the
    /// result in `out_t` (the compute type of the reduction's result). Elements are combined
    /// in C order of the nest; `argmin`/`argmax` count positions in that order.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fold(
        &mut self,
        f: Reduction,
        a: &ArrayType,
        data: PointerValue<'ctx>,
        strides: &[IntValue<'ctx>],
        shape: &[IntValue<'ctx>],
        place: &dyn Fn(&[IntValue<'ctx>]) -> Vec<IntValue<'ctx>>,
        out_t: &Type,
        count: IntValue<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        let a = *a;
        let elem_t = a.dtype.element().carrier();
        match f {
            Reduction::Var | Reduction::Std => {
                // Two passes, as NumPy: the mean, then the mean of the squared deviations from
                // it (an empty array gives NaN, as NumPy does with a warning).
                let mean = self.fold(Reduction::Mean, &a, data, strides, shape, place, &Type::Float64, count);
                let acc = self.entry_alloca(self.ctx().f64_type(), "acc");
                self.b().build_store(acc, self.f64(0.0)).u();
                self.loop_nest(shape, &mut |g, idx| {
                    let x = g.load_element(g.address(data, &place(idx), strides), a.dtype);
                    let x = g.cast(x, &elem_t, &Type::Float64).into_float_value();
                    let d = g.b().build_float_sub(x, mean.into_float_value(), "dev").u();
                    let d2 = g.b().build_float_mul(d, d, "dev2").u();
                    let cur = g.b().build_load(g.ctx().f64_type(), acc, "acc.v").u().into_float_value();
                    let next = g.b().build_float_add(cur, d2, "ss").u();
                    g.b().build_store(acc, next).u();
                });
                let ss = self.b().build_load(self.ctx().f64_type(), acc, "ss").u().into_float_value();
                let n = self.b().build_signed_int_to_float(count, self.ctx().f64_type(), "count").u();
                let var = self.b().build_float_div(ss, n, "var").u();
                if f == Reduction::Var {
                    return var.into();
                }
                let sqrt = self.intrinsic_fn("llvm.sqrt.f64", 1);
                self.call_basic(sqrt, &[var.into()])
            }
            Reduction::Argmin | Reduction::Argmax => {
                // The first position of the smallest (largest) element; a NaN wins at once and
                // stays, as in NumPy.
                let best = self.entry_alloca(self.module_gen.llty(&elem_t), "best");
                let best_at = self.entry_alloca(self.ctx().i64_type(), "best.at");
                let at = self.entry_alloca(self.ctx().i64_type(), "at");
                let worst =
                    self.reduction_identity(if f == Reduction::Argmin { Reduction::Min } else { Reduction::Max }, &elem_t);
                self.b().build_store(best, worst).u();
                self.b().build_store(best_at, self.i64(0)).u();
                self.b().build_store(at, self.i64(0)).u();
                self.loop_nest(shape, &mut |g, idx| {
                    let x = g.load_element(g.address(data, &place(idx), strides), a.dtype);
                    let cur = g.b().build_load(g.module_gen.llty(&elem_t), best, "best.v").u();
                    let k = g.b().build_load(g.ctx().i64_type(), at, "k").u().into_int_value();
                    let better = g.arg_better(f, &elem_t, cur, x);
                    let b = g.b();
                    let v = b.build_select(better, x, cur, "best.n").u();
                    b.build_store(best, v).u();
                    let old = b.build_load(g.ctx().i64_type(), best_at, "best.at.v").u().into_int_value();
                    let k_at = b.build_select(better, k, old, "best.at.n").u();
                    b.build_store(best_at, k_at).u();
                    let k1 = b.build_int_add(k, g.i64(1), "k1").u();
                    b.build_store(at, k1).u();
                });
                self.b().build_load(self.ctx().i64_type(), best_at, "argbest").u()
            }
            _ => {
                let acc_t = if f == Reduction::Mean && !out_t.is_complex() { Type::Float64 } else { out_t.clone() };
                let init = self.reduction_identity(f, &acc_t);
                let acc = self.entry_alloca(self.module_gen.llty(&acc_t), "acc");
                self.b().build_store(acc, init).u();
                self.loop_nest(shape, &mut |g, idx| {
                    let x = g.load_element(g.address(data, &place(idx), strides), a.dtype);
                    let x = if matches!(f, Reduction::Any | Reduction::All) {
                        g.truth(x, &elem_t).into()
                    } else {
                        g.cast(x, &elem_t, &acc_t)
                    };
                    let cur = g.b().build_load(g.module_gen.llty(&acc_t), acc, "acc.v").u();
                    let next = g.combine(f, &acc_t, cur, x);
                    g.b().build_store(acc, next).u();
                });
                let total = self.b().build_load(self.module_gen.llty(&acc_t), acc, "acc.v").u();
                if f != Reduction::Mean {
                    return total;
                }
                let n = self.b().build_signed_int_to_float(count, self.ctx().f64_type(), "count").u();
                if acc_t.is_complex() {
                    // NumPy divides the complex sum by the count as its complex division does.
                    let z = self.complex_parts(total);
                    let q = self.complex_runtime(crate::complex::ComplexOp::NpDiv, z, (n, self.f64(0.0)));
                    return self.make_complex(q);
                }
                // An empty array gives 0/0 = NaN, as NumPy does (which also warns).
                self.b().build_float_div(total.into_float_value(), n, "mean").u().into()
            }
        }
    }

    /// Whether element `x` replaces the best so far `cur` in an argmin (argmax): strictly
    /// smaller (larger), or a NaN where the best is not one.
    fn arg_better(&self, f: Reduction, t: &Type, cur: BasicValueEnum<'ctx>, x: BasicValueEnum<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        match t {
            Type::Float64 => {
                let (c, v) = (cur.into_float_value(), x.into_float_value());
                let pred = if f == Reduction::Argmin { FloatPredicate::OLT } else { FloatPredicate::OGT };
                let strictly = b.build_float_compare(pred, v, c, "better").u();
                let x_nan = b.build_float_compare(FloatPredicate::UNO, v, v, "x.nan").u();
                let cur_nan = b.build_float_compare(FloatPredicate::UNO, c, c, "cur.nan").u();
                let cur_ok = b.build_not(cur_nan, "cur.ok").u();
                let either = b.build_or(strictly, x_nan, "either").u();
                b.build_and(either, cur_ok, "better").u()
            }
            Type::Bool => {
                let (c, v) = (cur.into_int_value(), x.into_int_value());
                // False < True.
                if f == Reduction::Argmin {
                    let not_x = b.build_not(v, "nx").u();
                    b.build_and(not_x, c, "better").u()
                } else {
                    let not_c = b.build_not(c, "nc").u();
                    b.build_and(v, not_c, "better").u()
                }
            }
            _ => {
                let pred = match (f, t) {
                    (Reduction::Argmin, Type::UInt64) => IntPredicate::ULT,
                    (_, Type::UInt64) => IntPredicate::UGT,
                    (Reduction::Argmin, _) => IntPredicate::SLT,
                    _ => IntPredicate::SGT,
                };
                b.build_int_compare(pred, x.into_int_value(), cur.into_int_value(), "better").u()
            }
        }
    }

    /// `a.sum(axis=k)` (and the other reductions) of an array of two or more axes: a new array
    /// of type `out` (the other axes), each element the reduction along axis `axis` (negative
    /// counts from the end), combined in order as [`FnGen::array_reduce`] combines.
    pub(super) fn array_reduce_axis(
        &mut self,
        f: Reduction,
        value: &hir::Expr,
        axis: &hir::Axis,
        out: ArrayType,
    ) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let arr = self.expr(value).into_struct_value();
        let strides = self.strides(arr, &a);
        let shapes: Vec<IntValue<'ctx>> = (0..a.ndim as u32).map(|k| self.dim(arr, field::SHAPE, k)).collect();
        // The other axes (the result's), then the reduced one's size and stride.
        let (out_shape, mut view_strides, n, stride) = match axis {
            hir::Axis::Const(k) => {
                let k = if *k < 0 { k + a.ndim as i64 } else { *k } as usize;
                let (mut shape, mut st) = (shapes.clone(), strides.clone());
                let (n, s) = (shape.remove(k), st.remove(k));
                (shape, st, n, s)
            }
            hir::Axis::Var(e) => {
                let k = self.runtime_axis(e, a.ndim);
                self.without_axis(k, &shapes, &strides)
            }
        };
        view_strides.push(stride);
        // NumPy refuses an empty axis even when the result is empty.
        self.fail_if_empty(f, n);
        let (result, rdata, _) = self.alloc_c(&out, &out_shape, false);
        let data = self.b().build_extract_value(arr, field::DATA, "data").u().into_pointer_value();
        if let hir::Axis::Const(k) = axis {
            let k = if *k < 0 { k + a.ndim as i64 } else { *k } as usize;
            let rows = Rows { data, shape: &shapes, axis: k };
            if self.reduce_axis_by_rows(f, &a, rows, rdata, out) {
                return result;
            }
        }
        let out_strides = self.strides(result.into_struct_value(), &out);
        let out_t = out.dtype.element().carrier();
        self.loop_nest(&out_shape, &mut |fn_gen, idx| {
            let place = |j: &[IntValue<'ctx>]| idx.iter().chain(j).copied().collect::<Vec<_>>();
            let total = fn_gen.fold(f, &a, data, &view_strides, &[n], &place, &out_t, n);
            let total_t = match f {
                Reduction::Mean | Reduction::Var | Reduction::Std => Type::Float64,
                Reduction::Argmin | Reduction::Argmax => Type::Int64,
                _ => out_t.clone(),
            };
            let to = fn_gen.address(rdata, idx, &out_strides);
            fn_gen.store_element(to, out, total, &total_t);
        });
        result
    }

    /// [`FnGen::array_reduce_axis`] of a C-contiguous array along an axis other than the last,
    /// for the reductions that fold element by element (sum, product, min, max, mean) into an
    /// int64 or float64 accumulator, and `var`/`std` (a mean, then the squared deviations from
    /// it). As a `(pre, n, post)` array (the axes before the reduced one, the reduced one, the
    /// axes after it: both ends contiguous blocks), the accumulators (the result's elements, or
    /// a scratch array) start at the identity, and each of the `n` slices is folded into them in
    /// turn by a loop along `post` that vectorizes ([`FnGen::fold_slices`]). Each element sees
    /// the same operations in the same order as when folded alone (the same bits):
    /// `a.sum(axis=0)` of a 2-D array reads rows, not columns (2000 x 2000: 13.8 -> 0.9 ms).
    /// False (nothing emitted) for the other cases.
    fn reduce_axis_by_rows(
        &mut self,
        f: Reduction,
        a: &ArrayType,
        rows: Rows<'_, 'ctx>,
        rdata: PointerValue<'ctx>,
        out: ArrayType,
    ) -> bool {
        let moments = matches!(f, Reduction::Var | Reduction::Std);
        let acc_t = if f == Reduction::Mean || moments { Type::Float64 } else { out.dtype.element().carrier() };
        let acc_dtype = match acc_t {
            Type::Float64 => Dtype::Float64,
            Type::Int64 => Dtype::Int64,
            _ => return false,
        };
        let folds = moments || matches!(f, Reduction::Sum | Reduction::Prod | Reduction::Min | Reduction::Max | Reduction::Mean);
        let contiguous = a.layout == crate::types::Layout::C;
        if !folds || !contiguous || rows.axis + 1 >= a.ndim as usize || a.dtype.element().carrier().is_complex() {
            return false;
        }
        let s = self.slices(a, &rows);
        // The accumulators: the result itself when it holds them, else a scratch array (two for
        // var and std: the means, then the sums of squared deviations).
        let direct = out.dtype == acc_dtype && !moments;
        let (acc_data, scratch) = if direct {
            (rdata, None)
        } else {
            let len = if moments { self.b().build_int_nuw_mul(s.cells, self.i64(2), "cells2").u() } else { s.cells };
            let (v, d, _) = self.alloc_c(&flat_c(acc_dtype), &[len], false);
            let header = self.b().build_extract_value(v.into_struct_value(), super::refs::MEMINFO, "acc.header").u();
            (d, Some(header.into_pointer_value()))
        };
        let acc_item = self.i64(acc_dtype.size() as i64);
        let elem_t = a.dtype.element().carrier();
        let count = self.b().build_signed_int_to_float(s.n, self.ctx().f64_type(), "count").u();
        let first = if moments { Reduction::Mean } else { f };
        self.fill_cells(s.cells, acc_data, acc_dtype, self.reduction_identity(first, &acc_t));
        self.fold_slices(&s, a.dtype, &mut |g, x, cell| {
            let x = g.cast(x, &elem_t, &acc_t);
            let to = g.address(acc_data, &[cell], &[acc_item]);
            let cur = g.load_element(to, acc_dtype);
            let next = g.combine(first, &acc_t, cur, x);
            g.store_element(to, flat_c(acc_dtype), next, &acc_t);
        });
        let totals = if moments {
            // The means (as the fold's: the sum over the count), then the squared deviations.
            self.loop_nest(&[s.cells], &mut |g, idx| {
                let at = g.address(acc_data, idx, &[acc_item]);
                let total = g.load_element(at, acc_dtype).into_float_value();
                let mean = g.b().build_float_div(total, count, "mean").u();
                g.store_element(at, flat_c(acc_dtype), mean.into(), &acc_t);
            });
            let ss_data = unsafe { self.b().build_in_bounds_gep(self.ctx().f64_type(), acc_data, &[s.cells], "ss") }.u();
            self.fill_cells(s.cells, ss_data, acc_dtype, self.f64(0.0).into());
            self.fold_slices(&s, a.dtype, &mut |g, x, cell| {
                let x = g.cast(x, &elem_t, &acc_t).into_float_value();
                let mean = g.load_element(g.address(acc_data, &[cell], &[acc_item]), acc_dtype).into_float_value();
                let to = g.address(ss_data, &[cell], &[acc_item]);
                let cur = g.load_element(to, acc_dtype).into_float_value();
                let d = g.b().build_float_sub(x, mean, "dev").u();
                let d2 = g.b().build_float_mul(d, d, "dev2").u();
                let next = g.b().build_float_add(cur, d2, "ss").u();
                g.store_element(to, flat_c(acc_dtype), next.into(), &acc_t);
            });
            ss_data
        } else {
            acc_data
        };
        if direct && f != Reduction::Mean {
            return true;
        }
        // The totals into the result (C order, as the accumulators): the mean's (the
        // variance's) division, the standard deviation's root, the result's dtype.
        let out_item = self.i64(out.dtype.size() as i64);
        let sqrt = (f == Reduction::Std).then(|| self.intrinsic_fn("llvm.sqrt.f64", 1));
        self.loop_nest(&[s.cells], &mut |g, idx| {
            let total = g.load_element(g.address(totals, idx, &[acc_item]), acc_dtype);
            let total = match f {
                Reduction::Mean | Reduction::Var | Reduction::Std => {
                    let q = g.b().build_float_div(total.into_float_value(), count, "mean").u();
                    match sqrt {
                        Some(sqrt) => g.call_basic(sqrt, &[q.into()]),
                        None => q.into(),
                    }
                }
                _ => total,
            };
            let to = g.address(rdata, idx, &[out_item]);
            g.store_element(to, flat_c(out.dtype), total, &acc_t);
        });
        if let Some(header) = scratch {
            self.count(header, true);
        }
        true
    }

    /// The `(pre, n, post)` view of the C-contiguous array `rows` (of type `a`) that
    /// [`FnGen::fold_slices`] walks.
    fn slices(&self, a: &ArrayType, rows: &Rows<'_, 'ctx>) -> Slices<'ctx> {
        let (pre, n, post) =
            (self.product(&rows.shape[..rows.axis]), rows.shape[rows.axis], self.product(&rows.shape[rows.axis + 1..]));
        let b = self.b();
        let item = self.i64(a.dtype.size() as i64);
        let plane = b.build_int_nuw_mul(n, post, "plane").u();
        Slices {
            data: rows.data,
            pre,
            n,
            post,
            cells: b.build_int_nuw_mul(pre, post, "cells").u(),
            strides: [
                b.build_int_nuw_mul(plane, item, "plane.bytes").u(),
                b.build_int_nuw_mul(post, item, "row.bytes").u(),
                item,
            ],
        }
    }

    /// Stores `value` (of `dtype`'s element type) into the `cells` elements at `data`.
    fn fill_cells(&mut self, cells: IntValue<'ctx>, data: PointerValue<'ctx>, dtype: Dtype, value: BasicValueEnum<'ctx>) {
        let item = self.i64(dtype.size() as i64);
        let t = dtype.element().carrier();
        self.loop_nest(&[cells], &mut |g, idx| {
            let to = g.address(data, idx, &[item]);
            g.store_element(to, flat_c(dtype), value, &t);
        });
    }

    /// Calls `step(x, cell)` for each element `x` (of `dtype`, loaded) of `s`, slice after slice
    /// along the reduced axis, with `cell` the element's position without that axis (in C
    /// order): the innermost loop runs along the last axes, its iterations independent (each
    /// reads and writes its own cell), so that it vectorizes.
    fn fold_slices(
        &mut self,
        s: &Slices<'ctx>,
        dtype: Dtype,
        step: &mut dyn FnMut(&mut Self, BasicValueEnum<'ctx>, IntValue<'ctx>),
    ) {
        self.loop_nest_with(&[s.pre, s.n, s.post], super::array::NestKind::Parallel, &mut |g, idx| {
            let x = g.load_element(g.address(s.data, idx, &s.strides), dtype);
            let row = g.b().build_int_nuw_mul(idx[0], s.post, "cell.row").u();
            let cell = g.b().build_int_nuw_add(row, idx[2], "cell").u();
            step(g, x, cell);
        });
    }

    /// A reduction of a 1-D array along a run-time `axis` (0 or -1, else NumPy's AxisError): the
    /// whole array's, of type `ty`.
    pub(super) fn array_reduce_checked(
        &mut self,
        f: Reduction,
        value: &hir::Expr,
        axis: &hir::Expr,
        ty: &Type,
    ) -> BasicValueEnum<'ctx> {
        let Type::Array(a) = self.ty(value) else { unreachable!("inference allows arrays only") };
        let arr = self.expr(value).into_struct_value();
        self.runtime_axis(axis, a.ndim);
        self.reduce_whole(f, arr, a, ty)
    }

    /// The axis `e` evaluates to, counted from the end when negative, in `0..ndim`; else a
    /// return of NumPy's AxisError.
    fn runtime_axis(&mut self, e: &hir::Expr, ndim: u8) -> IntValue<'ctx> {
        let et = self.ty(e);
        let v = self.expr(e);
        let k = self.cast(v, &et, &Type::Int64).into_int_value();
        let b = self.b();
        let neg = b.build_int_compare(IntPredicate::SLT, k, self.i64(0), "axis.neg").u();
        let from_end = b.build_int_add(k, self.i64(ndim as i64), "axis.end").u();
        let k = b.build_select(neg, from_end, k, "axis").u().into_int_value();
        // One unsigned compare: a negative axis still negative after the shift is huge.
        let bad = b.build_int_compare(IntPredicate::UGE, k, self.i64(ndim as i64), "axis.bad").u();
        self.fail_if(bad, Status::AxisOutOfBounds as u32);
        k
    }

    /// The sizes and strides of the axes other than the run-time axis `k`, and axis `k`'s size
    /// and stride.
    #[allow(clippy::type_complexity)]
    fn without_axis(
        &self,
        k: IntValue<'ctx>,
        shapes: &[IntValue<'ctx>],
        strides: &[IntValue<'ctx>],
    ) -> (Vec<IntValue<'ctx>>, Vec<IntValue<'ctx>>, IntValue<'ctx>, IntValue<'ctx>) {
        let b = self.b();
        let pick = |at: usize, xs: &[IntValue<'ctx>]| {
            // Position `at` of the axes without `k`: axis `at` before `k`, else axis `at + 1`.
            let before = b.build_int_compare(IntPredicate::ULT, self.i64(at as i64), k, "axis.before").u();
            b.build_select(before, xs[at], xs[at + 1], "axis.other").u().into_int_value()
        };
        let n = shapes.len();
        let out_shape = (0..n - 1).map(|at| pick(at, shapes)).collect();
        let out_strides = (0..n - 1).map(|at| pick(at, strides)).collect();
        let (mut size, mut stride) = (shapes[0], strides[0]);
        for q in 1..n {
            let is = b.build_int_compare(IntPredicate::EQ, k, self.i64(q as i64), "axis.is").u();
            size = b.build_select(is, shapes[q], size, "axis.size").u().into_int_value();
            stride = b.build_select(is, strides[q], stride, "axis.stride").u().into_int_value();
        }
        (out_shape, out_strides, size, stride)
    }

    /// The value a reduction starts from: 0 for sums, the largest value for `min` and the
    /// smallest for `max` (every element is combined, so it never wins wrongly).
    pub(super) fn reduction_identity(&self, f: Reduction, acc_t: &Type) -> BasicValueEnum<'ctx> {
        match (f, acc_t) {
            (Reduction::Prod, Type::Complex128) => self.make_complex((self.f64(1.0), self.f64(0.0))),
            (_, Type::Complex128) => self.make_complex((self.f64(0.0), self.f64(0.0))),
            (_, Type::Float64) => self
                .f64(match f {
                    Reduction::Min => f64::INFINITY,
                    Reduction::Max => f64::NEG_INFINITY,
                    Reduction::Prod => 1.0,
                    _ => 0.0,
                })
                .into(),
            (_, Type::Bool) => {
                self.ctx().bool_type().const_int(matches!(f, Reduction::Min | Reduction::All) as u64, false).into()
            }
            (Reduction::Prod, _) => self.i64(1).into(),
            (_, Type::UInt64) => self.i64(if f == Reduction::Min { -1 } else { 0 }).into(),
            _ => self
                .i64(match f {
                    Reduction::Min => i64::MAX,
                    Reduction::Max => i64::MIN,
                    _ => 0,
                })
                .into(),
        }
    }

    pub(super) fn combine(
        &mut self,
        f: Reduction,
        t: &Type,
        cur: BasicValueEnum<'ctx>,
        x: BasicValueEnum<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        if *t == Type::Complex128 && matches!(f, Reduction::Sum | Reduction::Mean | Reduction::Prod) {
            let op = if f == Reduction::Prod { crate::ast::BinOp::Mul } else { crate::ast::BinOp::Add };
            return self.complex_binary(op, cur, t, x, t);
        }
        let b = self.b();
        match (f, t) {
            (Reduction::Sum | Reduction::Mean, Type::Float64) => {
                b.build_float_add(cur.into_float_value(), x.into_float_value(), "sum").u().into()
            }
            (Reduction::Sum | Reduction::Mean, _) => b.build_int_add(cur.into_int_value(), x.into_int_value(), "sum").u().into(),
            (Reduction::Prod, Type::Float64) => {
                b.build_float_mul(cur.into_float_value(), x.into_float_value(), "prod").u().into()
            }
            (Reduction::Prod, _) => b.build_int_mul(cur.into_int_value(), x.into_int_value(), "prod").u().into(),
            (Reduction::Any, _) => b.build_or(cur.into_int_value(), x.into_int_value(), "any").u().into(),
            (Reduction::All, _) => b.build_and(cur.into_int_value(), x.into_int_value(), "all").u().into(),
            (_, Type::Float64) => {
                // NaN propagates, as in NumPy.
                let name = if f == Reduction::Min { "llvm.minimum.f64" } else { "llvm.maximum.f64" };
                let func = self.intrinsic_fn(name, 2);
                self.call_basic(func, &[cur.into(), x.into()])
            }
            (_, Type::Bool) => {
                let (c, v) = (cur.into_int_value(), x.into_int_value());
                if f == Reduction::Min { b.build_and(c, v, "all") } else { b.build_or(c, v, "any") }.u().into()
            }
            _ => {
                let pred = match (f, t) {
                    (Reduction::Min, Type::UInt64) => IntPredicate::ULT,
                    (_, Type::UInt64) => IntPredicate::UGT,
                    (Reduction::Min, _) => IntPredicate::SLT,
                    _ => IntPredicate::SGT,
                };
                let better = b.build_int_compare(pred, x.into_int_value(), cur.into_int_value(), "better").u();
                b.build_select(better, x, cur, "best").u()
            }
        }
    }
}

/// The C-contiguous array [`FnGen::reduce_axis_by_rows`] folds: its elements' address, its
/// shape and the axis it folds along.
struct Rows<'s, 'ctx> {
    data: PointerValue<'ctx>,
    shape: &'s [IntValue<'ctx>],
    axis: usize,
}

/// A C-contiguous array as `(pre, n, post)` ([`FnGen::slices`]): the sizes, the number of cells
/// (`pre * post`, the result's elements) and the byte strides of the three axes.
struct Slices<'ctx> {
    data: PointerValue<'ctx>,
    pre: IntValue<'ctx>,
    n: IntValue<'ctx>,
    post: IntValue<'ctx>,
    cells: IntValue<'ctx>,
    strides: [IntValue<'ctx>; 3],
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `x in a` of an array: NumPy's `(a == x).any()`, every element compared (as NumPy
    /// computes it); `v` (of type `vt`) converted as `a == x` converts it.
    pub(super) fn array_contains(
        &mut self,
        c: BasicValueEnum<'ctx>,
        a: ArrayType,
        v: BasicValueEnum<'ctx>,
        vt: &Type,
    ) -> BasicValueEnum<'ctx> {
        let vt = vt.clone();
        let sv = c.into_struct_value();
        let shape: Vec<_> = (0..a.ndim as u32).map(|k| self.dim(sv, crate::abi::array_value::SHAPE, k)).collect();
        let strides = self.strides(sv, &a);
        let data = self.b().build_extract_value(sv, crate::abi::array_value::DATA, "data").u().into_pointer_value();
        let found = self.entry_alloca(self.ctx().bool_type(), "in.found");
        self.b().build_store(found, self.ctx().bool_type().const_zero()).u();
        let element = a.dtype.element().carrier();
        // The number converted as `a == x` converts it (NEP 50: a Python float beside a
        // float32 array is a float32; an int is compared as it is).
        let (v, vt) = match crate::infer::elementwise_dtype(&Type::Array(a), &vt).filter(|d| d.is_float() || d.is_complex()) {
            Some(d) => {
                let ct = d.element().carrier();
                let x = self.cast(v, &vt, &ct);
                (self.wrap(x, d), ct)
            }
            None => (v, vt),
        };
        self.loop_nest(&shape, &mut |fn_gen, idx| {
            let x = fn_gen.load_element(fn_gen.address(data, idx, &strides), a.dtype);
            let eq = fn_gen.compare(crate::ast::CmpOp::Eq, x, &element, v, &vt.carrier());
            let before = fn_gen.b().build_load(fn_gen.ctx().bool_type(), found, "found").u().into_int_value();
            let now = fn_gen.b().build_or(before, eq, "in").u();
            fn_gen.b().build_store(found, now).u();
        });
        self.b().build_load(self.ctx().bool_type(), found, "in").u()
    }
}
