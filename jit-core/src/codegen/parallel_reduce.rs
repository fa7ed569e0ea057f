//! Codegen of a whole-array reduction on the thread pool (`parallel=True`): for the reductions
//! whose result does not depend on the order elements are combined in (`min`/`max` of any
//! real dtype, `sum`/`prod` of integers and bools, `any`/`all`), an array of at least
//! `parallel_nest::PARALLEL_MIN_ELEMENTS` elements is folded in chunks of rows of its outermost axis, one
//! partial result per chunk, combined in chunk order. Float sums, products and means stay
//! serial (another order would round differently), as do `argmin`/`argmax`, `var` and `std`.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

use super::parallel_nest::Carried;
use super::{Built, FnGen};
use crate::hir::Reduction;
use crate::types::{ArrayType, Type};

/// A reduction begun on the pool: its value and the block it was computed in, and the block
/// where it meets the serial one.
pub(super) struct Pooled<'ctx> {
    value: BasicValueEnum<'ctx>,
    from: inkwell::basic_block::BasicBlock<'ctx>,
    joined: inkwell::basic_block::BasicBlock<'ctx>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Under `parallel=True`, for an order-free reduction `f` (result of compute type `out_t`)
    /// of the `size` elements of an array of type `a` (at `data`, with `strides` and `shape`):
    /// at least the threshold's elements are reduced on the pool here, and the builder is left
    /// where the serial fold goes; [`FnGen::join_reduce`] then meets the two. None (nothing
    /// emitted) otherwise.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parallel_reduce(
        &mut self,
        f: Reduction,
        a: &ArrayType,
        data: PointerValue<'ctx>,
        strides: &[IntValue<'ctx>],
        shape: &[IntValue<'ctx>],
        out_t: &Type,
        size: IntValue<'ctx>,
    ) -> Option<Pooled<'ctx>> {
        let order_free = match f {
            Reduction::Min | Reduction::Max => !out_t.is_complex(),
            Reduction::Sum | Reduction::Prod => matches!(out_t, Type::Int64 | Type::UInt64),
            Reduction::Any | Reduction::All => true,
            _ => false,
        };
        if !order_free || shape.is_empty() {
            return None;
        }
        // An innermost stride of a cache line or more (`x[:, :, i]`: a column) makes each
        // element a line of its own: as costly as a math call, worth the pool from the same size.
        let (cheap, costly) = (super::parallel_nest::PARALLEL_MIN_ELEMENTS, super::parallel_nest::PARALLEL_MIN_COSTLY);
        let size = match strides.last() {
            Some(&inner)
                if self.hir_fn.parallel
                    && !self.in_parallel
                    && inner.get_sign_extended_constant().is_none_or(|s| s.unsigned_abs() >= 64) =>
            {
                let b = self.b();
                let off = b.build_int_add(inner, self.i64(63), "stride.off").u();
                let wide = b.build_int_compare(IntPredicate::UGT, off, self.i64(126), "stride.wide").u();
                let enough = b.build_int_compare(IntPredicate::SGE, size, self.i64(costly), "costly.enough").u();
                let worth = b.build_and(wide, enough, "costly.worth").u();
                b.build_select(worth, self.i64(cheap), size, "pool.weight").u().into_int_value()
            }
            _ => size,
        };
        let (_, serial_bb) = self.pool_or_serial(size, cheap)?;
        let joined = self.block_named("reduce.joined");
        let rows = shape[0];
        let chunks = self.parallel_chunks(rows);
        let acc_llty = self.module_gen.llty(out_t);
        // One partial result per chunk, on the stack while the loop runs.
        let ptr = self.ctx().ptr_type(AddressSpace::default());
        let stacksave = self.module_gen.llvm_intrinsic("llvm.stacksave", &[ptr.into()]);
        let saved = self.call_basic(stacksave, &[]).into_pointer_value();
        let partials = self.b().build_array_alloca(acc_llty, chunks, "partials").u();
        let mut carried = Carried::new();
        carried.add(data);
        strides.iter().for_each(|s| carried.add(*s));
        shape.iter().for_each(|d| carried.add(*d));
        carried.add(partials);
        let env = self.store_env(&carried);
        let a = *a;
        let chunk_fn = self.outline_chunk("reduce", &carried, &mut |g, env, lo, hi, chunk| {
            let strides: Vec<IntValue<'ctx>> = strides.iter().map(|s| env.int(*s)).collect();
            let data = g.rows_from(env.get(data.into()).into_pointer_value(), lo, strides[0]);
            let mut shape: Vec<IntValue<'ctx>> = shape.iter().map(|d| env.int(*d)).collect();
            let rows = g.b().build_int_nsw_sub(hi, lo, "chunk.rows").u();
            shape[0] = rows;
            let place = |idx: &[IntValue<'ctx>]| idx.to_vec();
            let part = g.fold(f, &a, data, &strides, &shape, &place, out_t, rows);
            let buf = env.get(partials.into()).into_pointer_value();
            let at = unsafe { g.b().build_in_bounds_gep(acc_llty, buf, &[chunk], "partial.at") }.u();
            g.b().build_store(at, part).u();
        });
        self.run_chunks(chunk_fn, env, rows, chunks);
        // The partial results combined in chunk order, from the reduction's identity.
        let i64t = self.ctx().i64_type();
        let acc = self.entry_alloca(acc_llty, "pool.acc");
        let c = self.entry_alloca(i64t, "pool.c");
        let init = self.reduction_identity(f, out_t);
        self.b().build_store(acc, init).u();
        self.b().build_store(c, self.i64(0)).u();
        let (head, step, done) =
            (self.block_named("combine.head"), self.block_named("combine.step"), self.block_named("combine.done"));
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(head);
        let cv = self.b().build_load(i64t, c, "cv").u().into_int_value();
        let more = self.b().build_int_compare(IntPredicate::SLT, cv, chunks, "more").u();
        self.b().build_conditional_branch(more, step, done).u();
        self.b().position_at_end(step);
        let at = unsafe { self.b().build_in_bounds_gep(acc_llty, partials, &[cv], "partial.at") }.u();
        let part = self.b().build_load(acc_llty, at, "partial").u();
        let cur = self.b().build_load(acc_llty, acc, "acc.v").u();
        let next = self.combine(f, out_t, cur, part);
        self.b().build_store(acc, next).u();
        let c1 = self.b().build_int_add(cv, self.i64(1), "c1").u();
        self.b().build_store(c, c1).u();
        self.b().build_unconditional_branch(head).u();
        self.b().position_at_end(done);
        let value = self.b().build_load(acc_llty, acc, "pooled").u();
        let stackrestore = self.module_gen.llvm_intrinsic("llvm.stackrestore", &[ptr.into()]);
        self.b().build_call(stackrestore, &[saved.into()], "").u();
        let from = self.b().get_insert_block().expect("positioned");
        self.b().build_unconditional_branch(joined).u();
        self.b().position_at_end(serial_bb);
        Some(Pooled { value, from, joined })
    }

    /// The value of a reduction that [`FnGen::parallel_reduce`] may have begun on the pool:
    /// `serial` (the serial fold's, computed in the current block) or the pool's.
    pub(super) fn join_reduce(&self, pooled: Option<Pooled<'ctx>>, serial: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let Some(p) = pooled else { return serial };
        let here = self.b().get_insert_block().expect("positioned");
        self.b().build_unconditional_branch(p.joined).u();
        self.b().position_at_end(p.joined);
        let phi = self.b().build_phi(serial.get_type(), "reduced").u();
        phi.add_incoming(&[(&serial, here), (&p.value, p.from)]);
        phi.as_basic_value()
    }
}
