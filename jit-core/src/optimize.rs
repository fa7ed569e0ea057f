//! Optimize stage: an LLVM module → optimized module → relocatable object bytes for the host.
//!
//! Owns the process's one target machine (host triple, CPU name and features), created at the
//! first compile: LLVM is never initialised at import.

use std::ffi::{c_char, c_void, CString};
use std::ptr::NonNull;
use std::sync::{Mutex, MutexGuard, Once, OnceLock, TryLockError};

use llvm_sys::prelude::LLVMModuleRef;
use llvm_sys::target_machine::LLVMTargetMachineRef;

use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::OptimizationLevel;

/// What identifies the machine code LLVM makes here (part of every code key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetIdentity {
    pub llvm_version: String,
    pub triple: String,
    pub cpu: String,
    pub features: String,
    /// The codegen options stickyjit sets ([`CODEGEN_FLAGS`]).
    pub codegen_flags: String,
}

/// LLVM options set once per process (LLVM is linked into stickyjit alone, so they touch no
/// one else). The post-RA scheduler is a noticeable part of emitting a small function and buys
/// nothing measurable on out-of-order x86 cores. Full unrolling stops at 16 iterations: fully
/// unrolling a 20-iteration inner loop with a division check multiplies its compile time for
/// no speed. IRCE without its profitability check and multi-exit runtime unrolling let loops
/// whose only other exits are bounds-check errors be split and unrolled. The SLP vectorizer
/// schedules regions of at most 10000 instructions (LLVM's default, 100000, made its scheduler
/// quadratic in a huge block: 3000 `if`s in a loop took 5.4 s to compile, now 2.7 s; a budget
/// of 1000 or 3000 made 3000 `if`s in a row 8-14x slower to compile instead). The
/// measurements: docs/performance-design.md.
pub const CODEGEN_FLAGS: &[&str] = &[
    "-disable-post-ra",
    "-unroll-full-max-count=16",
    "-irce-skip-profitability-checks",
    "-unroll-runtime-multi-exit",
    "-slp-schedule-budget=10000",
];

fn set_codegen_flags() {
    let args: Vec<CString> =
        std::iter::once("stickyjit").chain(CODEGEN_FLAGS.iter().copied()).map(|a| CString::new(a).expect("no NUL")).collect();
    let ptrs: Vec<*const c_char> = args.iter().map(|c| c.as_ptr()).collect();
    // SAFETY: argv-style array of NUL-terminated strings that outlive the call; called once,
    // once (`host`'s initialisation), before any codegen.
    unsafe { llvm_sys::support::LLVMParseCommandLineOptions(ptrs.len() as i32, ptrs.as_ptr(), std::ptr::null()) };
}

struct Host {
    /// The target machine for the host CPU.
    tm: TargetMachine,
    /// The reusable codegen pipeline (cpp/emitter.cpp), made at the first emit.
    emitter: Option<Emitter>,
    /// The one for huge modules ([`is_huge`]), made at the first emit of one.
    emitter_huge: Option<Emitter>,
}

/// A codegen pass pipeline for the host target machine, built once and run on every module.
struct Emitter(NonNull<c_void>);

extern "C" {
    fn sj_emitter_create(tm: LLVMTargetMachineRef, huge: i32) -> *mut c_void;
    fn sj_emitter_run(emitter: *mut c_void, module: LLVMModuleRef, data: *mut *const u8, len: *mut usize);
    fn sj_emit_fresh(
        tm: LLVMTargetMachineRef,
        module: LLVMModuleRef,
        assembly: i32,
        huge: i32,
        data: *mut *const u8,
        len: *mut usize,
    ) -> *mut c_void;
    fn sj_emit_free(buffer: *mut c_void);
}

// SAFETY: the target machine is only used while holding the mutex around it.
unsafe impl Send for Host {}

/// A host target machine (and its emitter) no other thread is using. Usually the first one;
/// another is made when every one is busy: a compile abandoned after Ctrl-C may run on for
/// seconds in the background, and the next compile must not wait for it (nor two threads'
/// compiles for each other). Each lives for the process; there are at most as many as compiles
/// ever ran at once.
fn host() -> MutexGuard<'static, Host> {
    static HOSTS: Mutex<Vec<&'static Mutex<Host>>> = Mutex::new(Vec::new());
    init();
    let mut hosts = HOSTS.lock().unwrap_or_else(|e| e.into_inner());
    for h in hosts.iter() {
        match h.try_lock() {
            Ok(g) => return g,
            Err(TryLockError::Poisoned(e)) => return e.into_inner(),
            Err(TryLockError::WouldBlock) => {}
        }
    }
    // The machine code is made for exactly the identity that goes into the code key.
    let id = target_identity();
    let triple = inkwell::targets::TargetTriple::create(&id.triple);
    let target = Target::from_triple(&triple).expect("host triple is known to LLVM");
    let tm = target
        .create_target_machine(&triple, &id.cpu, &id.features, OptimizationLevel::Default, RelocMode::PIC, CodeModel::Small)
        .expect("target machine for the host");
    let h: &'static Mutex<Host> = Box::leak(Box::new(Mutex::new(Host { tm, emitter: None, emitter_huge: None })));
    hosts.push(h);
    h.lock().unwrap_or_else(|e| e.into_inner())
}

/// Initialises LLVM's native target and sets [`CODEGEN_FLAGS`], once per process. Everything
/// that runs passes calls it first (the flags are process-wide: a test that optimized a module
/// before the first compile would otherwise see different passes).
pub fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        Target::initialize_native(&InitializationConfig::default()).expect("LLVM supports the host target");
        set_codegen_flags();
    });
}

/// The host's identity. Cheap: asks LLVM for the host's triple, CPU and features without creating a target machine
/// (a cache hit needs the key, not LLVM's code generator).
pub fn target_identity() -> TargetIdentity {
    static ID: OnceLock<TargetIdentity> = OnceLock::new();
    ID.get_or_init(|| {
        let (a, b, c) = inkwell::support::get_llvm_version();
        TargetIdentity {
            llvm_version: format!("{a}.{b}.{c}"),
            triple: TargetMachine::get_default_triple().as_str().to_string_lossy().into_owned(),
            cpu: TargetMachine::get_host_cpu_name().to_string(),
            features: TargetMachine::get_host_cpu_features().to_string(),
            codegen_flags: CODEGEN_FLAGS.join(" "),
        }
    })
    .clone()
}

/// Optimization level of the pass pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptLevel {
    /// The scalar pipeline: SSA, constant propagation across calls, inlining, loop rotation,
    /// LICM, induction variables, GVN.
    O2,
    /// O2 plus loop and SLP vectorization and unrolling (the default).
    O3,
}

// The passes of LLVM's `default<O3>` that pay off on the code codegen produces, in O3's order,
// once each: `default<O3>` runs many of them several times, which costs about twice the compile
// time, and its code is no faster on the benchmark kernels (docs/performance-design.md).
// `instcombine` runs one iteration per invocation, as in `default<O3>`.
const IC: &str = "instcombine<max-iterations=1;no-verify-fixpoint>";

/// What the optimizer is given: one function that calls nothing (codegen makes its body the
/// exported entry), or functions that call each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Leaf,
    Calls,
}

/// The pass pipeline text of `level` for a module of `shape` (part of every code key): the
/// scalar passes, then (O3) the vectorizers' tail, which [`run_pipeline`] leaves out of a huge
/// module ([`is_huge`]).
pub fn pipeline(level: OptLevel, shape: Shape) -> String {
    let (scalar, tail) = pipeline_parts(level, shape);
    tail.map(|t| format!("{scalar},{t}")).unwrap_or(scalar)
}

/// [`pipeline`] as its scalar passes and its vectorizers' tail (none at O2).
fn pipeline_parts(level: OptLevel, shape: Shape) -> (String, Option<String>) {
    let first = format!("sroa,early-cse,simplifycfg,{IC}");
    // loop-idiom turns bit loops into ctpop/ctlz; correlated-propagation uses loop conditions
    // (a divisor known non-zero, operands known non-negative); constraint-elimination removes
    // array bounds checks the loop bounds prove (`i < n - 1` with `n` the axis' size), before
    // indvars rewrites the loop conditions; simple-loop-unswitch takes the checks that do not
    // depend on the inner loop out of it; loop-unroll-full unrolls loops of a few iterations
    // (`for d in (-1, 0, 1)`) before GVN, as LLVM's O3 does, so that what the copies compute
    // alike is computed once (game of life's `wrap(j + dj)`: once per cell, not once per row),
    // SROA after it taking apart the tuple they now read at constant positions; the
    // instcombine after the last simplifycfg cleans up the selects it makes, so that reductions
    // are recognised; a last LICM takes out of the inner loops what the unrolled copies left
    // invariant there (the row wraps). mldst-motion (as in LLVM's O2) makes the stores to one
    // element in both branches of an `if` one store of a select, so that the loop vectorizes
    // without a masked store per branch (zero_suppression).
    let loops = format!(
        "constraint-elimination,loop-mssa(licm,loop-rotate,licm,simple-loop-unswitch),simplifycfg,{IC},\
         loop(loop-idiom,indvars,loop-deletion,loop-unroll-full),sroa,mldst-motion,gvn,correlated-propagation,{IC},simplifycfg,{IC},\
         loop-mssa(licm)"
    );
    // Full unrolling is capped by CODEGEN_FLAGS (-unroll-full-max-count).
    let tail = match level {
        OptLevel::O2 => None,
        OptLevel::O3 => Some(format!(
            "function(loop(loop-rotate,loop-deletion),irce,simplifycfg,{IC},loop-vectorize,loop-load-elim,{IC},slp-vectorizer,loop-unroll<O3>,{IC},div-rem-pairs,simplifycfg)"
        )),
    };
    let scalar = match shape {
        // The body is the entry (codegen): one function pipeline, no call graph to walk.
        Shape::Leaf => format!("function({first},{loops})"),
        // ipsccp first, before simplifycfg merges the returns: it proves the status a function
        // returns constant (0 for code that cannot raise), so callers drop their checks (fib).
        // globaldce then drops the functions no one calls any more (a library helper's branch
        // on an omitted argument or a dtype, folded by the first passes: np.histogram without
        // range= calls no _histogram_range), before the call-graph walk would optimize them.
        Shape::Calls => {
            format!("function({first}),ipsccp,globaldce,cgscc(inline,function({first},tailcallelim,{loops})),globaldce")
        }
    };
    (scalar, tail)
}

/// Functions codegen keeps out of line (`noinline`) while the pipeline runs, so that LICM can
/// hoist their calls out of loops (a branchy body inlined into the loop would stay there), and
/// that [`optimize`] inlines afterwards: their names start with this.
pub const LATE_INLINE_PREFIX: &str = "sj.late.";

/// The global listing the functions codegen keeps through the pipeline although nothing calls
/// them yet (the vector variants of its powers, which the loop vectorizer finds by name); it is
/// removed before the late inlining, so that those left unused are dropped.
pub const KEPT_UNTIL_INLINED: &str = "llvm.compiler.used";

/// What runs after the pipeline when the module has late-inlined functions.
const LATE_PIPELINE: &str = "always-inline,globaldce";

/// Runs the pass pipeline of `level` for `shape` on `module`, in place, for the host
/// ([`run_pipeline`]).
pub fn optimize(module: &Module<'_>, level: OptLevel, shape: Shape) -> Result<(), String> {
    let h = host();
    h.tm.set_asm_verbosity(false);
    module.set_triple(&h.tm.get_triple());
    module.set_data_layout(&h.tm.get_target_data().get_data_layout());
    run_pipeline(module, &h.tm, level, shape)
}

/// The pass pipeline of `level` for `shape` on `module` for the target machine `tm`: its scalar
/// passes; then its vectorizers' tail, unless the module is now huge ([`is_huge`]: a block of
/// thousands of instructions, whose SLP scheduling and loop-vectorizer analysis cost a third of
/// its optimization and find nothing); then the inlining of [`LATE_INLINE_PREFIX`] functions;
/// and in a huge module, [`select_chains_to_adds`].
pub fn run_pipeline(module: &Module<'_>, tm: &TargetMachine, level: OptLevel, shape: Shape) -> Result<(), String> {
    let run = |passes: &str| module.run_passes(passes, tm, PassBuilderOptions::create()).map_err(|e| e.to_string());
    let (scalar, tail) = pipeline_parts(level, shape);
    run(&scalar)?;
    let huge = is_huge(module);
    if let Some(tail) = tail.filter(|_| !huge) {
        run(&tail)?;
    }
    inline_late(module, tm)?;
    if huge {
        select_chains_to_adds(module);
    }
    Ok(())
}

/// `select c, (add s, K), s` (the `add` used only there, `K` a constant) as
/// `add s, (select c, K, 0)`, and `select c, s, (add s, K)` as `add s, (select c, 0, K)`: the
/// same value. InstCombine leaves this form alone (it would select between two constants);
/// thousands of `if ...: s += k` in a row make a chain of conditional moves of it, each tied
/// to the one before, which LLVM's two-address pass rewrites in time quadratic in the chain's
/// length; a chain of adds it does in linear time. Run on huge modules only ([`is_huge`]).
fn select_chains_to_adds(module: &Module<'_>) {
    use inkwell::values::{AnyValue, InstructionOpcode};
    let builder = module.get_context().create_builder();
    for f in module.get_functions() {
        for block in f.get_basic_block_iter() {
            let mut next = block.get_first_instruction();
            while let Some(select) = next {
                next = select.get_next_instruction();
                if select.get_opcode() != InstructionOpcode::Select {
                    continue;
                }
                let (Some(c), Some(t), Some(e)) = (int_operand(select, 0), int_operand(select, 1), int_operand(select, 2)) else {
                    continue;
                };
                if c.get_type().get_bit_width() != 1 {
                    continue; // a vector select
                }
                let (add, k, s, k_if_true) = match (constant_added(t, e), constant_added(e, t)) {
                    (Some((i, k)), _) => (i, k, e, true),
                    (None, Some((i, k))) => (i, k, t, false),
                    (None, None) => continue,
                };
                builder.position_before(&select);
                let zero = k.get_type().const_zero();
                let (on_true, on_false) = if k_if_true { (k, zero) } else { (zero, k) };
                let Ok(chosen) = builder.build_select(c, on_true, on_false, "k") else { continue };
                let Ok(sum) = builder.build_int_add(s, chosen.into_int_value(), "s") else { continue };
                select.as_any_value_enum().into_int_value().replace_all_uses_with(sum);
                select.erase_from_basic_block();
                add.erase_from_basic_block();
            }
        }
    }
}

/// Operand `k` of `i`, when it is an integer value.
fn int_operand<'ctx>(i: inkwell::values::InstructionValue<'ctx>, k: u32) -> Option<inkwell::values::IntValue<'ctx>> {
    match i.get_operand(k) {
        Some(inkwell::values::Operand::Value(inkwell::values::BasicValueEnum::IntValue(v))) => Some(v),
        _ => None,
    }
}

/// When `v` is `add s, K` with `s` = `base`, `K` a constant, and `v` used once: that `add` and `K`.
fn constant_added<'ctx>(
    v: inkwell::values::IntValue<'ctx>,
    base: inkwell::values::IntValue<'ctx>,
) -> Option<(inkwell::values::InstructionValue<'ctx>, inkwell::values::IntValue<'ctx>)> {
    use inkwell::values::BasicValue;
    let add = v.as_instruction().filter(|i| i.get_opcode() == inkwell::values::InstructionOpcode::Add)?;
    let single_use = v.get_first_use().is_some_and(|u| u.get_next_use().is_none());
    let (s, k) = (int_operand(add, 0)?, int_operand(add, 1)?);
    (single_use && s == base && k.is_const()).then_some((add, k))
}

/// Inlines the functions of [`LATE_INLINE_PREFIX`] into their callers (what [`optimize`] does
/// after the pipeline).
pub fn inline_late(module: &Module<'_>, tm: &TargetMachine) -> Result<(), String> {
    if let Some(kept) = module.get_global(KEPT_UNTIL_INLINED) {
        // SAFETY: a global of this module that nothing refers to (LLVM reads it by name).
        unsafe { kept.delete() };
    }
    if release_late_inlines(module) {
        module.run_passes(LATE_PIPELINE, tm, PassBuilderOptions::create()).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Marks the [`LATE_INLINE_PREFIX`] functions `alwaysinline`; whether there were any.
fn release_late_inlines(module: &Module<'_>) -> bool {
    use inkwell::attributes::{Attribute, AttributeLoc};
    let ctx = module.get_context();
    let (noinline, always) = (Attribute::get_named_enum_kind_id("noinline"), Attribute::get_named_enum_kind_id("alwaysinline"));
    let mut any = false;
    for f in module.get_functions() {
        if f.get_name().to_bytes().starts_with(LATE_INLINE_PREFIX.as_bytes()) {
            f.remove_enum_attribute(AttributeLoc::Function, noinline);
            f.add_attribute(AttributeLoc::Function, ctx.create_enum_attribute(always, 0));
            any = true;
        }
    }
    any
}

/// A basic block longer than this makes a module huge ([`is_huge`]).
pub const HUGE_BLOCK: usize = 4096;

/// Whether some basic block of `module` has more than [`HUGE_BLOCK`] instructions (thousands
/// of `if`s in one loop, if-converted into selects), where LLVM's SLP vectorizer, two-address
/// pass and register allocator (after machine LICM) are superlinear in the block's length:
/// [`run_pipeline`] then leaves out the vectorizers and rewrites the block's chains of selects,
/// and its codegen leaves out machine LICM (cpp/emitter.cpp). A function of the IR, so of what
/// the code key covers. No kernel of the benchmarks comes near (NPBench's largest block after
/// optimization: 1,267 instructions, `channel_flow`).
pub fn is_huge(module: &Module<'_>) -> bool {
    module.get_functions().any(|f| f.get_basic_block_iter().any(|b| b.get_instructions().nth(HUGE_BLOCK).is_some()))
}

/// Emits `module` as a relocatable object file, through the process's reusable codegen pipeline.
pub fn emit_object(module: &Module<'_>) -> Result<Vec<u8>, String> {
    let huge = is_huge(module);
    let mut h = host();
    if if huge { h.emitter_huge.is_none() } else { h.emitter.is_none() } {
        // SAFETY: the target machine outlives the emitter (both live in HOST for the process).
        let e = unsafe { sj_emitter_create(h.tm.as_mut_ptr(), i32::from(huge)) };
        let e = Some(Emitter(NonNull::new(e).ok_or("the host target cannot emit object files")?));
        if huge {
            h.emitter_huge = e;
        } else {
            h.emitter = e;
        }
    }
    let e = if huge { h.emitter_huge.as_ref() } else { h.emitter.as_ref() }.expect("made above");
    let (mut data, mut len) = (std::ptr::null(), 0usize);
    // SAFETY: the lock serialises every use of the target machine and the emitter; the bytes
    // are copied out before the lock is released.
    unsafe {
        sj_emitter_run(e.0.as_ptr(), module.as_mut_ptr(), &mut data, &mut len);
        Ok(std::slice::from_raw_parts(data, len).to_vec())
    }
}

/// `module` through a codegen pipeline built for this call alone (cpp/emitter.cpp), as an
/// object file or as assembly text.
fn emit_fresh(module: &Module<'_>, assembly: bool) -> Result<Vec<u8>, String> {
    let huge = is_huge(module);
    let h = host();
    let (mut data, mut len) = (std::ptr::null(), 0usize);
    // SAFETY: the lock serialises every use of the target machine; the bytes are copied out of
    // the buffer before it is freed.
    unsafe {
        let buffer =
            sj_emit_fresh(h.tm.as_mut_ptr(), module.as_mut_ptr(), i32::from(assembly), i32::from(huge), &mut data, &mut len);
        if buffer.is_null() {
            return Err("the host target cannot emit this file type".into());
        }
        let bytes = std::slice::from_raw_parts(data, len).to_vec();
        sj_emit_free(buffer);
        Ok(bytes)
    }
}

/// Emits `module` as an object file through a codegen pipeline built anew: the reference
/// `emit_object` is tested against.
pub fn emit_object_fresh(module: &Module<'_>) -> Result<Vec<u8>, String> {
    emit_fresh(module, false)
}

/// Emits `module` as assembly text (for `inspect_asm`), with the codegen `emit_object` runs.
pub fn emit_asm(module: &Module<'_>) -> Result<String, String> {
    emit_fresh(module, true).map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pipeline_parses_and_runs() {
        let ctx = inkwell::context::Context::create();
        for level in [OptLevel::O2, OptLevel::O3] {
            for shape in [Shape::Leaf, Shape::Calls] {
                let module = ctx.create_module("pipeline_test");
                let f = module.add_function("f", ctx.i64_type().fn_type(&[], false), None);
                let b = ctx.create_builder();
                b.position_at_end(ctx.append_basic_block(f, "entry"));
                b.build_return(Some(&ctx.i64_type().const_int(1, false))).unwrap();
                optimize(&module, level, shape).unwrap_or_else(|e| panic!("{level:?} {shape:?}: {e}"));
            }
        }
    }
}
