//! Codegen of an array expression's fused loop nest on the thread pool (`parallel=True`): when
//! the nest has at least [`PARALLEL_MIN_ELEMENTS`] elements, its outermost axis is cut into
//! chunks that `threads::sj_rt_parallel_for` runs, each chunk an outlined function
//! `i32 (ptr env, i64 lo, i64 hi, i64 chunk)` running the same nest over rows `lo..hi`.
//!
//! The environment is a struct in the caller's frame holding every loop-invariant value the nest
//! reads that is not a constant (operand data pointers, strides, sizes, the scalar leaves, the
//! target's pointer); constants stay constants in the chunk function. Each element is computed
//! by the very code the serial nest runs ([`FnGen::fill_operands`]), so the results are the
//! serial ones bit for bit; smaller nests run the serial code, unchanged.

use inkwell::basic_block::BasicBlock;
use inkwell::values::{AsValueRef, BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::elementwise::{Operand, Tree};
use super::{Built, FnGen, Helper};
use crate::hir::{self, ExprId, ExprKind as H, Intrinsic};
use crate::types::{ArrayType, Type};

/// The fewest elements a nest (or a reduction) must have to run on the pool. Measured on 2
/// cores (docs/parallel.md, "Array expressions"): below about 2^16 elements of a cheap
/// expression (`2.5 * a + b`, a few microseconds serially), the pool's call (about 0.7 µs even
/// when it stays asleep) and waking a helper cost what the second core saves; `threads` also
/// times the first chunk and leaves the pool asleep when the rest is short.
pub(super) const PARALLEL_MIN_ELEMENTS: i64 = 1 << 16;

/// The same for a nest that calls a math library function (`np.sin`, `np.exp`, ...) or a
/// `@vectorize` kernel per element: ten times the work per element or more, worth the pool
/// from about 2^12 elements.
pub(super) const PARALLEL_MIN_COSTLY: i64 = 1 << 12;

/// Values carried into a chunk function: each non-constant value once, in a struct.
pub(super) struct Carried<'ctx> {
    values: Vec<BasicValueEnum<'ctx>>,
}

impl<'ctx> Carried<'ctx> {
    pub(super) fn new() -> Self {
        Carried { values: Vec::new() }
    }

    pub(super) fn add(&mut self, v: impl Into<BasicValueEnum<'ctx>>) {
        let v = v.into();
        if !is_constant(v) && !self.values.contains(&v) {
            self.values.push(v);
        }
    }
}

/// The carried values as a chunk function reads them: the value in the chunk of a value of the
/// caller (a constant is itself).
pub(super) struct Loaded<'c, 'ctx> {
    carried: &'c Carried<'ctx>,
    loaded: Vec<BasicValueEnum<'ctx>>,
}

impl<'ctx> Loaded<'_, 'ctx> {
    pub(super) fn get(&self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        match self.carried.values.iter().position(|c| *c == v) {
            Some(k) => self.loaded[k],
            None => v,
        }
    }

    pub(super) fn int(&self, v: IntValue<'ctx>) -> IntValue<'ctx> {
        self.get(v.into()).into_int_value()
    }
}

/// Whether `v` is a constant (valid in any function of the module).
fn is_constant(v: BasicValueEnum<'_>) -> bool {
    // SAFETY: `v` is a live value of this module's context.
    unsafe { llvm_sys::core::LLVMIsConstant(v.as_value_ref()) != 0 }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Under `parallel=True` (outside a parallel chunk), branches on the nest's size: at least
    /// [`PARALLEL_MIN_ELEMENTS`] elements ([`PARALLEL_MIN_COSTLY`] when each calls the math
    /// library or a kernel) run on the pool here; the builder is left where the
    /// serial nest goes, and the returned block is where both join (the caller branches to it
    /// after the serial nest). None (and nothing emitted) when the nest always runs serially.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parallel_nest(
        &mut self,
        e: Tree<'_>,
        operands: &[(ExprId, Option<Operand<'ctx>>)],
        scalars: &[(ExprId, BasicValueEnum<'ctx>, Type)],
        shape: &[IntValue<'ctx>],
        target: &Operand<'ctx>,
        out: ArrayType,
    ) -> Option<BasicBlock<'ctx>> {
        if !self.hir_fn.parallel || self.in_parallel || shape.is_empty() {
            return None;
        }
        // A `@vectorize` kernel called per element runs on the pool's threads, which do not
        // guard deep recursion: in a program that recurses, such a nest stays serial.
        if self.stack_limit.is_some() && self.tree_calls_kernel(e) {
            return None;
        }
        // The environment: every non-constant value the nest reads.
        let mut carried = Carried::new();
        let all_ops = operands.iter().filter_map(|(_, o)| o.as_ref()).chain(std::iter::once(target));
        for op in all_ops {
            carried.add(op.data);
            op.strides.iter().for_each(|s| carried.add(*s));
            carried.add(op.last_broadcast);
            carried.add(op.last_unit);
        }
        scalars.iter().for_each(|(_, v, _)| carried.add(*v));
        shape.iter().for_each(|d| carried.add(*d));
        // The chunk function first (it is built in a function of its own): whether it calls the
        // math library tells what the nest costs per element.
        let libm_before = self.module_gen.libm_calls.get();
        let chunk_fn = self.outline_chunk("nest", &carried, &mut |g, env, lo, hi, _| {
            // Rows lo..hi: each operand starts `lo` rows further, the outer axis has hi - lo rows.
            let rebuild = |op: &Operand<'ctx>| -> Operand<'ctx> {
                let strides: Vec<IntValue<'ctx>> = op.strides.iter().map(|s| env.int(*s)).collect();
                let data = g.rows_from(env.get(op.data.into()).into_pointer_value(), lo, strides[0]);
                Operand {
                    data,
                    strides,
                    last_broadcast: env.int(op.last_broadcast),
                    last_unit: env.int(op.last_unit),
                    ..op.clone()
                }
            };
            let ops: Vec<(ExprId, Option<Operand<'ctx>>)> =
                operands.iter().map(|(id, o)| (*id, o.as_ref().map(rebuild))).collect();
            let target = rebuild(target);
            let scalars: Vec<(ExprId, BasicValueEnum<'ctx>, Type)> =
                scalars.iter().map(|(id, v, t)| (*id, env.get(*v), t.clone())).collect();
            let mut shape: Vec<IntValue<'ctx>> = shape.iter().map(|d| env.int(*d)).collect();
            shape[0] = g.b().build_int_nsw_sub(hi, lo, "chunk.rows").u();
            g.fill_operands(e, &ops, &scalars, &shape, &target, out, super::elementwise::Nests::Both);
        });
        let costly = self.module_gen.libm_calls.get() != libm_before || self.tree_calls_kernel(e);
        let threshold = if costly { PARALLEL_MIN_COSTLY } else { PARALLEL_MIN_ELEMENTS };
        let mut size = shape[0];
        for d in &shape[1..] {
            size = self.b().build_int_mul(size, *d, "nest.size").u();
        }
        let Some((_, serial_bb)) = self.pool_or_serial(size, threshold) else {
            // SAFETY: nothing refers to the chunk function yet.
            unsafe { chunk_fn.delete() };
            return None;
        };
        let done = self.block_named("pool.joined");
        let env = self.store_env(&carried);
        let chunks = self.parallel_chunks(shape[0]);
        self.run_chunks(chunk_fn, env, shape[0], chunks);
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(serial_bb);
        Some(done)
    }

    /// Branches on `size` (the elements a loop reaches): at least `threshold` go to the pool's
    /// block, where the builder is left; the others to the serial block. None (and nothing
    /// emitted) when `size` is a constant below the threshold, or under `parallel=False`, or
    /// inside a parallel chunk.
    pub(super) fn pool_or_serial(&self, size: IntValue<'ctx>, threshold: i64) -> Option<(BasicBlock<'ctx>, BasicBlock<'ctx>)> {
        if !self.hir_fn.parallel || self.in_parallel {
            return None;
        }
        if size.get_sign_extended_constant().is_some_and(|n| n < threshold) {
            return None;
        }
        let big = self.b().build_int_compare(IntPredicate::SGE, size, self.i64(threshold), "pool.big").u();
        let (pool_bb, serial_bb) = (self.block_named("pool"), self.block_named("pool.serial"));
        self.b().build_conditional_branch(big, pool_bb, serial_bb).u();
        self.b().position_at_end(pool_bb);
        Some((pool_bb, serial_bb))
    }

    /// `data` advanced by `lo` rows of `stride` bytes.
    pub(super) fn rows_from(&self, data: PointerValue<'ctx>, lo: IntValue<'ctx>, stride: IntValue<'ctx>) -> PointerValue<'ctx> {
        let skip = self.b().build_int_nsw_mul(lo, stride, "chunk.skip").u();
        unsafe { self.b().build_in_bounds_gep(self.ctx().i8_type(), data, &[skip], "chunk.data") }.u()
    }

    /// The environment of a chunk function: the carried values stored in a struct in this
    /// function's frame.
    pub(super) fn store_env(&self, carried: &Carried<'ctx>) -> PointerValue<'ctx> {
        let env_t = env_type(self.ctx(), carried);
        let env = self.entry_alloca(env_t, "pool.env");
        for (k, v) in carried.values.iter().enumerate() {
            let at = self.b().build_struct_gep(env_t, env, k as u32, "pool.env.at").u();
            self.b().build_store(at, *v).u();
        }
        env
    }

    /// How many chunks a loop of `rows` positions is cut into (`threads::sj_rt_parallel_chunks`).
    pub(super) fn parallel_chunks(&self, rows: IntValue<'ctx>) -> IntValue<'ctx> {
        let chunks_fn = self.helper(Helper::ParallelChunks);
        self.call_basic(chunks_fn, &[rows.into()]).into_int_value()
    }

    /// Whether the tree calls a `@vectorize` kernel for each element.
    fn tree_calls_kernel(&self, e: Tree<'_>) -> bool {
        match e {
            Tree::Expr(e) | Tree::Aug { value: e, .. } => self.expr_calls_kernel(e),
            Tree::Leaf(_) => false,
        }
    }

    fn expr_calls_kernel(&self, e: &hir::Expr) -> bool {
        if !self.is_elementwise(e) {
            return false; // a leaf: evaluated before the loop
        }
        match &e.kind {
            H::Intrinsic { f: Intrinsic::Ufunc(_), .. } => true,
            H::Binary { left, right, .. } => self.expr_calls_kernel(left) || self.expr_calls_kernel(right),
            H::Unary { operand, .. } => self.expr_calls_kernel(operand),
            H::Compare { left, comparators, .. } => {
                self.expr_calls_kernel(left) || comparators.iter().any(|c| self.expr_calls_kernel(c))
            }
            H::Intrinsic { args, .. } => args.iter().any(|a| self.expr_calls_kernel(a)),
            _ => false,
        }
    }

    /// A chunk function `i32 (ptr env, i64 lo, i64 hi, i64 chunk)` (named after this function
    /// and `kind`) whose body `build` emits, reading the `carried` values from `env`; it returns
    /// 0 after the body, or the status of the error the body returns.
    pub(super) fn outline_chunk(
        &self,
        kind: &str,
        carried: &Carried<'ctx>,
        build: &mut dyn FnMut(&mut FnGen<'a, 'ctx>, &Loaded<'_, 'ctx>, IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>),
    ) -> FunctionValue<'ctx> {
        let mg = self.module_gen;
        let (ctx, b) = (mg.ctx, mg.builder);
        let super::prange::ChunkFunction { f, env, lo, hi, chunk, resume } = self.chunk_function(kind);
        // Each carried value read once, at the chunk's start.
        let env_t = env_type(ctx, carried);
        let mut loaded = Vec::with_capacity(carried.values.len());
        for (k, v) in carried.values.iter().enumerate() {
            let at = b.build_struct_gep(env_t, env, k as u32, "env.at").u();
            loaded.push(b.build_load(v.get_type(), at, "env.v").u());
        }
        let n = self.hir_fn.locals.len();
        // The loop reads no local (what it reads was evaluated before it).
        let mut g = self.chunk_gen(f, env, Vec::new(), vec![None; n], vec![true; n]);
        build(&mut g, &Loaded { carried, loaded }, lo, hi, chunk);
        g.release_all();
        b.build_return(Some(&mg.status_llty().const_zero())).u();
        b.position_at_end(resume);
        f
    }
}

/// The struct of an environment holding `carried`.
fn env_type<'ctx>(ctx: &'ctx inkwell::context::Context, carried: &Carried<'ctx>) -> inkwell::types::StructType<'ctx> {
    let types: Vec<_> = carried.values.iter().map(|v| v.get_type()).collect();
    ctx.struct_type(&types, false)
}
