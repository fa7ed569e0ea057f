//! Codegen stage (Numba's "lowering"): [`TypedProgram`] → an LLVM module (inkwell), unoptimized.
//!
//! Each specialization becomes an internal function returning `{value, i32 status}`; a status other than 0 propagates up to the
//! exported entry `i32 SYMBOL(ptr args, ptr ret)`, which reads its arguments from and writes its result to 8-byte slots, as
//! [`crate::abi`] lays them out. Python's semantics for floor division, modulo, powers, comparisons between int and float, and
//! math-library errors are spelled out here, one helper per operation.

mod alloc;
mod arange;
mod arith;
mod array;
mod broadcast;
mod calls;
mod cfunc;
mod closures;
mod cmath;
mod compare;
mod complex;
mod convert;
mod defer;
mod dict;
mod dot_scalar;
mod elementwise;
mod exact_pow;
mod exceptions;
mod expr;
mod failure;
mod fancy;
mod fastmath;
mod generator;
mod helpers;
mod inlining;
mod iterators;
mod linalg;
mod list;
mod math_more;
mod matmul;
mod nonneg;
mod optional;
mod overlap;
mod parallel_nest;
mod parallel_reduce;
mod pointers;
mod prange;
mod print;
mod random;
mod ranges;
mod reduce;
mod refs;
mod reshape;
mod slots;
mod stmt;
mod string;
mod ufunc_reduce;
mod ufuncs;
mod unpack;
mod vectorize;
mod version;

pub use helpers::runtime_abi;
use helpers::Helper;

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicTypeEnum, IntType, StructType};
use inkwell::values::{BasicValue, BasicValueEnum, FloatValue, FunctionValue, IntValue, PointerValue};
use inkwell::AddressSpace;

use crate::abi;
use crate::hir;
use crate::infer::{TypedFunction, TypedProgram};
use crate::runtime::Status;
use crate::types::Type;
use crate::{ErrorModel, FastMath, Options};

/// Which side of a conditional branch is the rarely taken one ([`FnGen::branch_cold`]).
#[derive(Clone, Copy)]
enum Cold {
    Then,
    Else,
}

/// Builds the module for `prog`, exporting its entry point as `symbol`, as `options` say (array
/// indices checked when `boundscheck`, what division by zero does, fast-math flags).
pub fn codegen<'ctx>(ctx: &'ctx Context, prog: &TypedProgram, symbol: &str, options: &Options) -> Module<'ctx> {
    codegen_cfunc(ctx, prog, symbol, options, None)
}

/// [`codegen`], and with a `@cfunc`'s C signature, its C callback beside the entry
/// (`crate::cfunc::trampoline_symbol`).
pub fn codegen_cfunc<'ctx>(
    ctx: &'ctx Context,
    prog: &TypedProgram,
    symbol: &str,
    options: &Options,
    cfunc: Option<&crate::cfunc::CSignature>,
) -> Module<'ctx> {
    let module = ctx.create_module(symbol);
    let builder = ctx.create_builder();
    let module_gen = ModuleGen {
        ctx,
        module: &module,
        builder: &builder,
        prog,
        boundscheck: options.boundscheck,
        error_model: options.error_model,
        compensated_sum: options.compensated_sum,
        fastmath: options.fastmath,
        parallel: crate::parallel::runs_parallel(prog),
        outlined: std::cell::Cell::new(0),
        libm_calls: std::cell::Cell::new(0),
        kept: Default::default(),
        sites: crate::traceback::statements(prog)
            .into_iter()
            .enumerate()
            .map(|(i, (_, s))| (s as *const hir::Stmt, i as u32))
            .collect(),
    };
    if prog.is_leaf() {
        // One function that calls nothing: its body is the exported entry itself (no inner
        // function for the optimizer to inline first).
        let entry = module_gen.declare_entry(symbol);
        module_gen.define_inner(entry, prog.entry(), &[entry], true, false);
        if let Some(sig) = cfunc {
            module_gen.define_trampoline(symbol, sig, prog.allocates());
        }
        fastmath::apply(&module, options.fastmath);
        return module;
    }
    let funcs: Vec<FunctionValue> = prog.specs.iter().enumerate().map(|(i, s)| module_gen.declare_inner(i, s)).collect();
    let recursive = prog.recursive_specs();
    module_gen.inline_sole_calls(prog, &funcs, &recursive);
    for (i, spec) in prog.specs.iter().enumerate() {
        module_gen.define_inner(funcs[i], spec, &funcs, false, recursive[i]);
    }
    module_gen.keep_huge_helpers_out_of_line(&funcs[1..]);
    module_gen.define_entry(symbol, funcs[0], prog.entry(), recursive.contains(&true));
    if let Some(sig) = cfunc {
        module_gen.define_trampoline(symbol, sig, prog.allocates());
    }
    let strict: Vec<FunctionValue> =
        prog.specs.iter().zip(&funcs).filter(|(s, _)| prog.funcs[s.func as usize].strict_math).map(|(_, f)| *f).collect();
    fastmath::apply_except(&module, options.fastmath, &strict);
    module
}

/// Every builder call only fails on a misuse of the builder: a bug here, never the user's input.
trait Built<T> {
    /// Unwraps the result of an LLVM builder call, which fails only on a compiler bug (short
    /// because nearly every builder call ends in it).
    fn u(self) -> T;
}
impl<T, E: std::fmt::Debug> Built<T> for std::result::Result<T, E> {
    fn u(self) -> T {
        self.expect("LLVM builder misuse in codegen")
    }
}

/// Codegen state for the whole module: the LLVM context, module and builder, and the program
/// being generated.
struct ModuleGen<'a, 'ctx> {
    ctx: &'ctx Context,
    module: &'a Module<'ctx>,
    builder: &'a Builder<'ctx>,
    prog: &'a TypedProgram,
    /// Whether array indices are checked against the axis sizes.
    boundscheck: bool,
    /// What division by zero does.
    error_model: ErrorModel,
    /// `sum()` of a list of floats with CPython 3.12's compensation (`Options::compensated_sum`).
    compensated_sum: bool,
    /// The fast-math flags of the program (`pow` is a builtin LLVM may rewrite when they allow
    /// approximate functions).
    fastmath: FastMath,
    /// Some function of the program runs `prange` loops on the thread pool: references are
    /// counted atomically.
    parallel: bool,
    /// How many parallel loop bodies were outlined so far (each function's name is unique).
    outlined: std::cell::Cell<usize>,
    /// How many calls of C math functions (`pow` aside) the module makes so far. A loop whose
    /// body calls one for each iteration is not vectorized: LLVM would call the function once
    /// per vector lane, with shuffles around, for no speed, and such loops were most of the
    /// time spent emitting a small kernel (go_fast: 38 ms to compile, 23 ms without).
    libm_calls: std::cell::Cell<usize>,
    /// Functions nothing calls yet that must live through the pass pipeline (the vector
    /// variants of `exact_pow`, which the loop vectorizer finds by name): `llvm.compiler.used`.
    kept: std::cell::RefCell<Vec<FunctionValue<'ctx>>>,
    /// The site of each statement of the program (`traceback::statements`): what a failure's
    /// status word says it failed at.
    sites: std::collections::HashMap<*const hir::Stmt, u32>,
}

impl<'a, 'ctx> ModuleGen<'a, 'ctx> {
    /// Marks the loop whose latch branch is `latch` as one LLVM neither vectorizes nor unrolls
    /// (`!llvm.loop` metadata: `llvm.loop.vectorize.enable` false, `llvm.loop.unroll.disable`).
    /// Marks the loop whose latch is `latch` as free of dependences between its iterations
    /// through memory (`llvm.loop.parallel_accesses`), for the memory accesses of `blocks` (its
    /// body), with no interleaving: an elementwise loop whose operands were checked not to
    /// overlap its target other than element for element. The vectorizer then needs no run-time
    /// alias checks (nor the scalar copy of the loop they guard), and one vector per iteration
    /// keeps the code small and short rows vectorized.
    fn parallel_loop(&self, latch: inkwell::values::InstructionValue<'ctx>, blocks: &[inkwell::basic_block::BasicBlock<'ctx>]) {
        use inkwell::values::{AsValueRef, InstructionOpcode};
        use llvm_sys::core::*;
        extern "C" {
            fn sj_distinct_empty_node(ctx: llvm_sys::prelude::LLVMContextRef) -> llvm_sys::prelude::LLVMMetadataRef;
        }
        // SAFETY: plain LLVM C API calls on this module's context (and cpp/metadata.cpp's one
        // node constructor); the loop ID is made self-referential as LangRef requires.
        unsafe {
            let ctx = self.ctx.raw();
            let group = sj_distinct_empty_node(ctx);
            let group_kind = LLVMGetMDKindIDInContext(ctx, "llvm.access.group".as_ptr().cast(), "llvm.access.group".len() as u32);
            for bb in blocks {
                let mut inst = bb.get_first_instruction();
                while let Some(i) = inst {
                    if matches!(i.get_opcode(), InstructionOpcode::Load | InstructionOpcode::Store) {
                        LLVMSetMetadata(i.as_value_ref(), group_kind, LLVMMetadataAsValue(ctx, group));
                    }
                    inst = i.get_next_instruction();
                }
            }
            let md = |s: &str| LLVMMDStringInContext2(ctx, s.as_ptr().cast(), s.len());
            let mut parallel = [md("llvm.loop.parallel_accesses"), group];
            let parallel = LLVMMDNodeInContext2(ctx, parallel.as_mut_ptr(), 2);
            let i32t = LLVMInt32TypeInContext(ctx);
            let mut interleave = [md("llvm.loop.interleave.count"), LLVMValueAsMetadata(LLVMConstInt(i32t, 1, 0))];
            let interleave = LLVMMDNodeInContext2(ctx, interleave.as_mut_ptr(), 2);
            let temp = llvm_sys::debuginfo::LLVMTemporaryMDNode(ctx, std::ptr::null_mut(), 0);
            let mut ops = [temp, parallel, interleave];
            let id = LLVMMDNodeInContext2(ctx, ops.as_mut_ptr(), 3);
            llvm_sys::debuginfo::LLVMMetadataReplaceAllUsesWith(temp, id);
            let kind = LLVMGetMDKindIDInContext(ctx, "llvm.loop".as_ptr().cast(), "llvm.loop".len() as u32);
            LLVMSetMetadata(latch.as_value_ref(), kind, LLVMMetadataAsValue(ctx, id));
        }
    }

    /// Marks the loop whose latch is `latch` not to be unrolled: an outer loop of an
    /// elementwise nest, which unrolling would copy the inner loop for (more code to emit, no
    /// speed: the inner loop does the work).
    fn no_unroll_loop(&self, latch: inkwell::values::InstructionValue<'ctx>) {
        self.loop_hint(latch, "llvm.loop.unroll.disable");
    }

    /// Marks the loop whose latch is `latch` not to be unrolled by a count known only at run
    /// time (`llvm.loop.unroll.runtime.disable`): a window loop (`stmt::WINDOW_DEPTH`).
    fn no_runtime_unroll_loop(&self, latch: inkwell::values::InstructionValue<'ctx>) {
        self.loop_hint(latch, "llvm.loop.unroll.runtime.disable");
    }

    /// Gives the loop whose latch is `latch` the `!llvm.loop` metadata of the one flag `hint`.
    fn loop_hint(&self, latch: inkwell::values::InstructionValue<'ctx>, hint: &str) {
        use inkwell::values::AsValueRef;
        use llvm_sys::core::*;
        // SAFETY: as in `plain_loop`.
        unsafe {
            let ctx = self.ctx.raw();
            let mut flag = [LLVMMDStringInContext2(ctx, hint.as_ptr().cast(), hint.len())];
            let flag = LLVMMDNodeInContext2(ctx, flag.as_mut_ptr(), 1);
            let temp = llvm_sys::debuginfo::LLVMTemporaryMDNode(ctx, std::ptr::null_mut(), 0);
            let mut ops = [temp, flag];
            let id = LLVMMDNodeInContext2(ctx, ops.as_mut_ptr(), 2);
            llvm_sys::debuginfo::LLVMMetadataReplaceAllUsesWith(temp, id);
            let kind = LLVMGetMDKindIDInContext(ctx, "llvm.loop".as_ptr().cast(), "llvm.loop".len() as u32);
            LLVMSetMetadata(latch.as_value_ref(), kind, LLVMMetadataAsValue(ctx, id));
        }
    }

    /// Keeps `f` in the module through the pass pipeline although nothing calls it yet: lists
    /// it in `llvm.compiler.used` (rebuilt whole, with every function kept so far), which the
    /// optimize stage removes before its late inlining (`optimize::inline_late`).
    fn keep_until_inlined(&self, f: FunctionValue<'ctx>) {
        let mut kept = self.kept.borrow_mut();
        kept.push(f);
        if let Some(old) = self.module.get_global(crate::optimize::KEPT_UNTIL_INLINED) {
            // SAFETY: the global is this module's and nothing refers to it (LLVM reads it by name).
            unsafe { old.delete() };
        }
        let ptrs: Vec<PointerValue<'ctx>> = kept.iter().map(|f| f.as_global_value().as_pointer_value()).collect();
        let list = self.ctx.ptr_type(AddressSpace::default()).const_array(&ptrs);
        let g = self.module.add_global(list.get_type(), None, crate::optimize::KEPT_UNTIL_INLINED);
        g.set_linkage(Linkage::Appending);
        g.set_section(Some("llvm.metadata"));
        g.set_initializer(&list);
    }

    fn plain_loop(&self, latch: inkwell::values::InstructionValue<'ctx>) {
        use inkwell::values::AsValueRef;
        use llvm_sys::core::*;
        // SAFETY: plain LLVM C API calls on this module's context; the loop ID is made
        // self-referential as LangRef requires (a temporary node replaced by the node itself).
        unsafe {
            let ctx = self.ctx.raw();
            let md = |s: &str| LLVMMDStringInContext2(ctx, s.as_ptr().cast(), s.len());
            let i1 = LLVMInt1TypeInContext(ctx);
            let off = LLVMValueAsMetadata(LLVMConstInt(i1, 0, 0));
            let mut vectorize = [md("llvm.loop.vectorize.enable"), off];
            let vectorize = LLVMMDNodeInContext2(ctx, vectorize.as_mut_ptr(), 2);
            let mut unroll = [md("llvm.loop.unroll.disable")];
            let unroll = LLVMMDNodeInContext2(ctx, unroll.as_mut_ptr(), 1);
            let temp = llvm_sys::debuginfo::LLVMTemporaryMDNode(ctx, std::ptr::null_mut(), 0);
            let mut ops = [temp, vectorize, unroll];
            let id = LLVMMDNodeInContext2(ctx, ops.as_mut_ptr(), 3);
            llvm_sys::debuginfo::LLVMMetadataReplaceAllUsesWith(temp, id);
            let kind = LLVMGetMDKindIDInContext(ctx, "llvm.loop".as_ptr().cast(), "llvm.loop".len() as u32);
            LLVMSetMetadata(latch.as_value_ref(), kind, LLVMMetadataAsValue(ctx, id));
        }
    }

    fn llty(&self, t: &Type) -> BasicTypeEnum<'ctx> {
        match t {
            Type::Int64 | Type::UInt64 => self.ctx.i64_type().into(),
            Type::Float64 | Type::Float32 => self.ctx.f64_type().into(),
            Type::Complex128 | Type::Complex64 => self.complex_llty().into(),
            Type::Bool => self.ctx.bool_type().into(),
            Type::None | Type::Unknown | Type::Dtype(_) | Type::Function(_) => self.ctx.i8_type().into(),
            Type::Tuple(ts) | Type::Closure(_, ts) => {
                let fields: Vec<BasicTypeEnum> = ts.iter().map(|t| self.llty(t)).collect();
                self.ctx.struct_type(&fields, false).into()
            }
            Type::Array(a) => self.array_llty(a),
            // Present, then the value (zero when absent).
            Type::Optional(t) => self.ctx.struct_type(&[self.ctx.bool_type().into(), self.llty(t)], false).into(),
            Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str => self.ctx.ptr_type(AddressSpace::default()).into(),
            Type::Generator | Type::Pointer(_) => self.ctx.ptr_type(inkwell::AddressSpace::default()).into(),
            Type::Range => self.range_llty().into(),
            Type::Iter(s) => self.iter_llty(s).into(),
        }
    }

    /// The status word's LLVM type (`i32`).
    fn status_llty(&self) -> IntType<'ctx> {
        const _: () = assert!(abi::STATUS_BITS == 32, "the status word is an i32");
        self.ctx.i32_type()
    }

    /// What an inner function returns: `{value, status}` ([`abi::inner`]).
    fn ret_struct(&self, t: &Type) -> StructType<'ctx> {
        const _: () = assert!(abi::inner::VALUE == 0 && abi::inner::STATUS == 1, "the fields below are in this order");
        self.ctx.struct_type(&[self.llty(t), self.status_llty().into()], false)
    }

    /// The function attribute `name` (an enum attribute: `nounwind`, `inlinehint`, ...).
    fn fn_attr(&self, name: &str) -> Attribute {
        self.ctx.create_enum_attribute(Attribute::get_named_enum_kind_id(name), 0)
    }

    fn nounwind(&self, f: FunctionValue<'ctx>) {
        f.add_attribute(AttributeLoc::Function, self.fn_attr("nounwind"));
    }

    fn declare_inner(&self, i: usize, spec: &TypedFunction) -> FunctionValue<'ctx> {
        let mut params: Vec<BasicMetadataTypeEnum> = spec.arg_types.iter().map(|t| self.llty(t).into()).collect();
        // Functions that call functions take the thread's stack limit (see `check_stack`).
        params.push(self.ctx.i64_type().into());
        let fty = self.ret_struct(&spec.ret).fn_type(&params, false);
        let name = format!("{}.{}", self.prog.func(spec).name, i);
        let f = self.module.add_function(&name, fty, Some(Linkage::Internal));
        self.nounwind(f);
        // A jitted helper is worth inlining where LLVM's default threshold says no: every array
        // access in it carries a cold error path that counts against its size (a three-line
        // `swap(a, i, j)` with four checked accesses costs 260 against 225; the hint gives 325).
        f.add_attribute(AttributeLoc::Function, self.fn_attr("inlinehint"));
        f
    }

    /// The exported entry `i32 SYMBOL(ptr args, ptr ret)` ([`abi::EntryFn`]).
    fn declare_entry(&self, symbol: &str) -> FunctionValue<'ctx> {
        let ptr = self.ctx.ptr_type(AddressSpace::default());
        let fty = self.status_llty().fn_type(&[ptr.into(); abi::ENTRY_PARAMS as usize], false);
        let f = self.module.add_function(symbol, fty, Some(Linkage::External));
        self.nounwind(f);
        f
    }

    /// The argument and result pointers of an entry-shaped function `f` ([`abi::EntryFn`]).
    fn entry_params(f: FunctionValue<'ctx>) -> (PointerValue<'ctx>, PointerValue<'ctx>) {
        let param = |i| f.get_nth_param(i).expect("an entry takes two pointers").into_pointer_value();
        (param(abi::ENTRY_ARGS_PARAM), param(abi::ENTRY_RESULT_PARAM))
    }

    /// The entry of functions that call functions: reads the arguments, calls the inner
    /// function of `spec` (under the recursion guard when some function may recurse), writes
    /// the result.
    fn define_entry(&self, symbol: &str, inner: FunctionValue<'ctx>, spec: &TypedFunction, recursion: bool) {
        let i64t = self.ctx.i64_type();
        let exported = self.declare_entry(symbol);
        if !recursion {
            // No cycle of calls: the depth is bounded, no stack checks, no guard (limit 0).
            let b = self.builder;
            b.position_at_end(self.ctx.append_basic_block(exported, "entry"));
            let (args_ptr, ret_ptr) = Self::entry_params(exported);
            let mut args: Vec<inkwell::values::BasicMetadataValueEnum> =
                self.load_args(args_ptr, spec).into_iter().map(Into::into).collect();
            args.push(i64t.const_zero().into());
            self.call_inner_and_return(inner, &args, ret_ptr, spec);
            return;
        }
        // SYMBOL(args, ret) = sj_rt_call_guarded(SYMBOL.body, args, ret, RecursionTooDeep)
        // (cpp/guard.cpp: recursion deeper than the stack becomes a RecursionError).
        let f = self.module.add_function(&format!("{symbol}.body"), exported.get_type(), Some(Linkage::Internal));
        self.nounwind(f);
        let guard = self.helper(Helper::CallGuarded);
        let b = self.builder;
        b.position_at_end(self.ctx.append_basic_block(exported, "entry"));
        let (args, ret) = Self::entry_params(exported);
        let status_arg = self.status_llty().const_int(Status::RecursionTooDeep as u64, false);
        let call_args = [f.as_global_value().as_pointer_value().into(), args.into(), ret.into(), status_arg.into()];
        let status = b.build_call(guard, &call_args, "status").u().try_as_basic_value();
        let inkwell::values::ValueKind::Basic(status) = status else { unreachable!("the guard returns an i32") };
        b.build_return(Some(&status)).u();

        b.position_at_end(self.ctx.append_basic_block(f, "entry"));
        let (args_ptr, ret_ptr) = Self::entry_params(f);
        let mut args: Vec<inkwell::values::BasicMetadataValueEnum> =
            self.load_args(args_ptr, spec).into_iter().map(Into::into).collect();
        let helper = self.helper(Helper::StackLimit);
        let limit = b.build_call(helper, &[], "stack_limit").u().try_as_basic_value();
        let inkwell::values::ValueKind::Basic(limit) = limit else { unreachable!("the helper returns an i64") };
        args.push(limit.into());
        self.call_inner_and_return(inner, &args, ret_ptr, spec);
    }

    /// `r = inner(args)`; writes r's value to `ret_ptr` and returns r's status.
    fn call_inner_and_return(
        &self,
        inner: FunctionValue<'ctx>,
        args: &[inkwell::values::BasicMetadataValueEnum<'ctx>],
        ret_ptr: PointerValue<'ctx>,
        spec: &TypedFunction,
    ) {
        let b = self.builder;
        let r = b.build_call(inner, args, "r").u().try_as_basic_value();
        let inkwell::values::ValueKind::Basic(r) = r else { unreachable!("inner returns a struct") };
        let r = r.into_struct_value();
        let value = b.build_extract_value(r, abi::inner::VALUE, "v").u();
        let status = b.build_extract_value(r, abi::inner::STATUS, "st").u();
        self.store_result(ret_ptr, value, &spec.ret);
        b.build_return(Some(&status)).u();
    }

    /// The body of `spec` in `f`: an inner function (arguments as values, returns `{value,
    /// status}`), or when `is_entry` the exported entry itself (arguments and result in slots).
    fn define_inner(
        &self,
        f: FunctionValue<'ctx>,
        spec: &'a TypedFunction,
        funcs: &[FunctionValue<'ctx>],
        is_entry: bool,
        recursive: bool,
    ) {
        let hir_fn = self.prog.func(spec);
        let entry = self.ctx.append_basic_block(f, "entry");
        self.builder.position_at_end(entry);
        let mut locals = Vec::new();
        let mut bound = Vec::new();
        for (i, l) in hir_fn.locals.iter().enumerate() {
            let t = &spec.local_types[i];
            let slot = self.builder.build_alloca(self.llty(t), &l.name).u();
            if refs::holds_arrays(t) {
                // Null meminfos until assigned (a store drops what the local held: nothing).
                self.builder.build_store(slot, self.llty(t).const_zero()).u();
            }
            locals.push(slot);
            // Only locals that some read may find unassigned carry an "is bound" flag.
            bound.push(l.checked.then(|| {
                let flag = self.builder.build_alloca(self.ctx.bool_type(), &format!("{}.bound", l.name)).u();
                self.builder.build_store(flag, self.ctx.bool_type().const_zero()).u();
                flag
            }));
        }
        let (params, ret_ptr, stack_limit) = if is_entry {
            let (args_ptr, ret_ptr) = Self::entry_params(f);
            (self.load_args(args_ptr, spec), Some(ret_ptr), None)
        } else {
            let n = spec.arg_types.len() as u32;
            let params = (0..n).map(|i| f.get_nth_param(i).unwrap()).collect();
            (params, None, Some(f.get_nth_param(n).unwrap().into_int_value()))
        };
        let locals_len = locals.len();
        let mut fn_gen = FnGen {
            module_gen: self,
            function: f,
            spec,
            hir_fn,
            funcs,
            locals,
            bound,
            loops: Vec::new(),
            stack_limit,
            ret_ptr,
            refs: Default::default(),
            floors: nonneg::range_floors(hir_fn),
            versions: Vec::new(),
            short_loops: 0,
            growable_walks: Vec::new(),
            elementwise: false,
            in_parallel: false,
            borrowed: Vec::new(),
            try_frames: Vec::new(),
            handling: Vec::new(),
            known_entry: None,
            site: None,
            deferred: None,
            finally: Vec::new(),
        };
        // A function that holds arrays returns through one exit block, which drops its references.
        if spec.local_types.iter().chain(&spec.expr_types).any(refs::holds_arrays) {
            let value = fn_gen.entry_alloca(self.llty(&spec.ret), "ret.value");
            fn_gen.refs.exit = Some((self.ctx.append_basic_block(f, "exit"), value));
        }
        if recursive {
            fn_gen.check_stack();
        }
        for (i, p) in hir_fn.params.iter().enumerate() {
            let id = *p as usize;
            if !is_entry
                && refs::holds_arrays(&spec.local_types[id])
                && spec.arg_types[i] == spec.local_types[id]
                && !nonneg::assigned_in(&hir_fn.body, *p)
            {
                // A parameter the body never assigns borrows the caller's value, which the
                // caller holds for the whole call: no count up at entry, none down at the exit
                // (a helper called in a loop, such as game of life's, then counts nothing).
                fn_gen.borrowed.resize(locals_len, false);
                fn_gen.borrowed[id] = true;
                self.builder.build_store(fn_gen.locals[id], params[i]).u();
                fn_gen.mark_bound(*p);
            } else {
                fn_gen.store_local(*p, params[i], &spec.arg_types[i].clone());
            }
        }
        fn_gen.block(&hir_fn.body);
        if !fn_gen.terminated() {
            // Falling off the end returns None (inference made sure that is the return type).
            if matches!(spec.ret, Type::None | Type::Optional(_)) {
                let none = fn_gen.cast(self.ctx.i8_type().const_zero().into(), &Type::None, &spec.ret);
                fn_gen.ret_ok(none);
            } else {
                self.builder.build_unreachable().u();
            }
        }
        if let Some((exit, value)) = fn_gen.refs.exit {
            self.builder.position_at_end(exit);
            fn_gen.release_all();
            let v = self.builder.build_load(self.llty(&spec.ret), value, "ret.v").u();
            fn_gen.emit_return(v);
        }
    }
}

/// Codegen state for one function (one specialization) of the module.
struct FnGen<'a, 'ctx> {
    module_gen: &'a ModuleGen<'a, 'ctx>,
    /// The LLVM function being built.
    function: FunctionValue<'ctx>,
    /// The specialization it is built from: the types inference gave its locals and expressions.
    spec: &'a TypedFunction,
    /// The HIR function it is built from.
    hir_fn: &'a hir::Function,
    /// The LLVM function of each specialization of the program, by `SpecId` (the call targets).
    funcs: &'a [FunctionValue<'ctx>],
    /// The stack slot of each local, by `LocalId`.
    locals: Vec<PointerValue<'ctx>>,
    /// The "is bound" flag of each local that a read may find unassigned (None for the others).
    bound: Vec<Option<PointerValue<'ctx>>>,
    /// (continue target, break target) of each enclosing loop.
    loops: Vec<(BasicBlock<'ctx>, BasicBlock<'ctx>)>,
    /// In an inner function: the lowest stack address recursion may use (0 when nothing in the
    /// program recurses), checked when the function is on a cycle of calls and passed on to callees.
    stack_limit: Option<IntValue<'ctx>>,
    /// When the function is the exported entry itself: where its result goes.
    ret_ptr: Option<PointerValue<'ctx>>,
    /// The references to array blocks it holds (`refs`).
    refs: refs::Refs<'ctx>,
    /// The locals (and tuple locals' items) proven never negative (`nonneg`): as indices they
    /// need no wrap.
    floors: nonneg::Floors,
    /// The versioned loops (`version`) whose fast copy is being built, innermost last: the
    /// accesses their tests cover need no bounds check.
    versions: Vec<version::Plan>,
    /// How many of the enclosing loops are short outermost loops that leave polling for Ctrl-C
    /// to the loops inside them (`stmt.rs`, `SHORT_TRIPS`): a loop is outermost for polling when
    /// every loop around it is one.
    short_loops: usize,
    /// The depths (`loops.len()` in their bodies) of the enclosing loops over a list iterator
    /// (`iter_walk`), which read its length before each item: their number of items may grow
    /// in the body, so a comprehension's append there tests the room `Reserve` made.
    growable_walks: Vec<usize>,
    /// Inside the loop of an array expression (`elementwise`): each element follows NumPy's
    /// rules (division by zero gives inf, nan or 0; `**` is `pow` alone).
    elementwise: bool,
    /// The function is the outlined body of a parallel loop (`prange`): a `prange` inside runs
    /// serially, and the locals it shares with its caller are not its to release.
    in_parallel: bool,
    /// The locals whose slots are the caller's (in the outlined body of a parallel loop).
    borrowed: Vec<bool>,
    /// The enclosing `try` statements' bodies, innermost last: where a failure goes (the block
    /// that tests the `except` clauses) and the slot its status waits in (`exceptions.rs`).
    try_frames: Vec<(BasicBlock<'ctx>, PointerValue<'ctx>)>,
    /// The statuses of the exceptions the enclosing `except` clauses handle, innermost last
    /// (what a bare `raise` raises again).
    handling: Vec<PointerValue<'ctx>>,
    /// Inside the first statement of `if k in d:` (`dict.rs`, `dict_entry_test`): the locals `d`
    /// and `k` and the value slots of `k`'s entry the test found, which `d[k]` reads there.
    known_entry: Option<(hir::LocalId, hir::LocalId, PointerValue<'ctx>)>,
    /// The site of the statement being compiled (`traceback`): a failure's status word carries it.
    site: Option<u32>,
    /// In the deferred copy of a loop (`defer`): the flag its float checks set instead of
    /// failing, and the block that runs the exact copy (where any other failure goes once the
    /// flag is set).
    deferred: Option<(PointerValue<'ctx>, BasicBlock<'ctx>)>,
    /// The `finally` bodies of the enclosing `try` statements, innermost last.
    finally: Vec<exceptions::Finally>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The builder (short because nearly every line of codegen calls it).
    fn b(&self) -> &'a Builder<'ctx> {
        self.module_gen.builder
    }

    /// What division by zero does here: the option's model, NumPy's in an array expression.
    fn error_model(&self) -> ErrorModel {
        if self.elementwise {
            ErrorModel::Numpy
        } else {
            self.hir_fn.error_model.unwrap_or(self.module_gen.error_model)
        }
    }
    fn ctx(&self) -> &'ctx Context {
        self.module_gen.ctx
    }
    fn i64(&self, v: i64) -> IntValue<'ctx> {
        self.ctx().i64_type().const_int(v as u64, true)
    }
    fn f64(&self, v: f64) -> FloatValue<'ctx> {
        self.ctx().f64_type().const_float(v)
    }
    fn block_named(&self, name: &str) -> BasicBlock<'ctx> {
        self.ctx().append_basic_block(self.function, name)
    }
    fn terminated(&self) -> bool {
        self.b().get_insert_block().and_then(|bb| bb.get_terminator()).is_some()
    }
    /// The type codegen works with: float32 is carried as float64 ([`Type::carrier`]).
    fn ty(&self, e: &hir::Expr) -> Type {
        self.spec.expr_types[e.id as usize].carrier()
    }

    /// Whether `e` was typed float32: its value is rounded to float32 once computed.
    fn is_float32(&self, e: &hir::Expr) -> bool {
        self.spec.expr_types[e.id as usize] == Type::Float32
    }

    /// Whether `e` was typed complex64: its parts are rounded to float32 once computed.
    fn is_complex64(&self, e: &hir::Expr) -> bool {
        self.spec.expr_types[e.id as usize] == Type::Complex64
    }

    /// `v` (a double) rounded to the nearest float32, carried as a double again.
    fn round_f32(&self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let b = self.b();
        let narrow = b.build_float_trunc(v.into_float_value(), self.ctx().f32_type(), "f32").u();
        b.build_float_ext(narrow, self.ctx().f64_type(), "f32.carried").u().into()
    }

    /// A stack slot allocated in the entry block, where the optimizer promotes it to a register
    /// (an alloca inside a loop would also grow the stack on every iteration).
    /// Stores `v` at `ptr` at the start of the function (before anything else runs): the first
    /// value of a slot made by [`FnGen::entry_alloca`].
    fn entry_store(&self, ptr: PointerValue<'ctx>, v: BasicValueEnum<'ctx>) {
        let entry = self.function.get_first_basic_block().expect("the entry block exists");
        let b = self.ctx().create_builder();
        match ptr.as_instruction().and_then(|i| i.get_next_instruction()) {
            Some(after) => b.position_before(&after),
            None => b.position_at_end(entry),
        }
        b.build_store(ptr, v).u();
    }

    fn entry_alloca(&self, ty: impl inkwell::types::BasicType<'ctx>, name: &str) -> PointerValue<'ctx> {
        let entry = self.function.get_first_basic_block().expect("the entry block exists");
        let b = self.ctx().create_builder();
        match entry.get_first_instruction() {
            Some(first) => b.position_before(&first),
            None => b.position_at_end(entry),
        }
        b.build_alloca(ty, name).u()
    }

    /// Returns `v` with status 0 (through the exit block, with a reference to each array in
    /// it for the caller, when the function holds arrays).
    fn ret_ok(&self, v: BasicValueEnum<'ctx>) {
        if let Some((exit, value)) = self.refs.exit {
            self.incref(v, &self.spec.ret);
            self.b().build_store(value, v).u();
            self.b().build_unconditional_branch(exit).u();
            return;
        }
        self.emit_return(v);
    }

    fn emit_return(&self, v: BasicValueEnum<'ctx>) {
        if let Some(ret_ptr) = self.ret_ptr {
            self.module_gen.store_result(ret_ptr, v, &self.spec.ret);
            self.b().build_return(Some(&self.module_gen.status_llty().const_int(abi::STATUS_OK as u64, false))).u();
            return;
        }
        let st = self.module_gen.ret_struct(&self.spec.ret);
        let agg = st.get_undef();
        let agg = self.b().build_insert_value(agg, v, abi::inner::VALUE, "rv").u();
        let ok = self.module_gen.status_llty().const_int(abi::STATUS_OK as u64, false);
        let agg = self.b().build_insert_value(agg, ok, abi::inner::STATUS, "rs").u();
        self.b().build_return(Some(&agg.as_basic_value_enum())).u();
    }

    fn store_local(&mut self, id: u32, v: BasicValueEnum<'ctx>, from: &Type) {
        let to = self.spec.local_types[id as usize].clone();
        let v = match self.hir_fn.declared.iter().find(|(l, _)| *l == id) {
            // Declared by `locals=`: NumPy's conversion to the dtype (float32 rounded, a
            // narrower integer wrapped).
            Some(&(_, d)) => self.dtype_cast(v, from, d),
            None => self.cast(v, from, &to),
        };
        if refs::holds_arrays(&to) {
            // The new value's references first: `t = t` must not free t.
            self.incref(v, &to);
            let old = self.b().build_load(self.module_gen.llty(&to), self.locals[id as usize], "old").u();
            self.b().build_store(self.locals[id as usize], v).u();
            self.decref(old, &to);
        } else {
            self.b().build_store(self.locals[id as usize], v).u();
        }
        self.mark_bound(id);
    }

    /// Sets local `id`'s "is bound" flag, where it has one.
    fn mark_bound(&self, id: u32) {
        if let Some(flag) = self.bound[id as usize] {
            self.b().build_store(flag, self.ctx().bool_type().const_int(1, false)).u();
        }
    }

    fn assign(&mut self, t: &hir::Target, v: BasicValueEnum<'ctx>, ty: &Type) {
        match t {
            hir::Target::Local(id, _) => self.store_local(*id, v, ty),
            hir::Target::Index { array, index, .. } if matches!(self.ty(array), Type::List(_)) => {
                self.list_store(array, index, v, ty)
            }
            hir::Target::Index { array, index, .. } if matches!(self.ty(array), Type::Dict(..)) => {
                self.dict_store(array, index, v, ty)
            }
            hir::Target::Index { array, index, .. } if matches!(self.ty(array), Type::Pointer(_)) => {
                self.pointer_store(array, index, v, ty)
            }
            hir::Target::Index { array, index, .. } if self.ty(index).array().is_some() => self.fancy_store(array, index, v, ty),
            hir::Target::Index { array, index, .. } if self.target_is_view(array, index) => {
                self.assign_view(array, index, elementwise::Rhs::Value(v, ty.clone()))
            }
            hir::Target::Index { array, index, .. } if matches!(ty, Type::Array(z) if z.ndim == 0) => {
                // A 0-d array stored into an element: its one element (NumPy's `a[i] = z`).
                let Type::Array(z) = ty else { unreachable!("just matched") };
                let data = self.b().build_extract_value(v.into_struct_value(), crate::abi::array_value::DATA, "data").u();
                let x = self.load_element(data.into_pointer_value(), z.dtype);
                self.array_store(array, index, x, &z.dtype.element().carrier())
            }
            hir::Target::Index { array, index, .. } => self.array_store(array, index, v, ty),
            hir::Target::Tuple(ts, _) if matches!(ty, Type::Array(_)) => self.unpack_array(ts, v, ty),
            hir::Target::Tuple(ts, _) => {
                let Type::Tuple(items) = ty else { unreachable!("inference checked tuple unpacking") };
                // The value may borrow from a local rebound before its last element is stored
                // (`a, b = b, a`): it holds references of its own meanwhile.
                self.incref(v, ty);
                let sv = v.into_struct_value();
                for (i, (t, ity)) in ts.iter().zip(items).enumerate() {
                    let x = self.b().build_extract_value(sv, i as u32, "unpack").u();
                    self.assign(t, x, ity);
                }
                self.decref(v, ty);
            }
        }
    }
}
