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
}

/// A codegen pass pipeline for the host target machine, built once and run on every module.
struct Emitter(NonNull<c_void>);

extern "C" {
    fn sj_emitter_create(tm: LLVMTargetMachineRef) -> *mut c_void;
    fn sj_emitter_run(emitter: *mut c_void, module: LLVMModuleRef, data: *mut *const u8, len: *mut usize);
    fn sj_emit_fresh(
        tm: LLVMTargetMachineRef,
        module: LLVMModuleRef,
        assembly: i32,
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
    let h: &'static Mutex<Host> = Box::leak(Box::new(Mutex::new(Host { tm, emitter: None })));
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

/// The pass pipeline text of `level` for a module of `shape` (part of every code key).
pub fn pipeline(level: OptLevel, shape: Shape) -> String {
    let first = format!("sroa,early-cse,simplifycfg,{IC}");
    // loop-idiom turns bit loops into ctpop/ctlz; correlated-propagation uses loop conditions
    // (a divisor known non-zero, operands known non-negative); constraint-elimination removes
    // array bounds checks the loop bounds prove (`i < n - 1` with `n` the axis' size), before
    // indvars rewrites the loop conditions; simple-loop-unswitch takes the checks that do not
    // depend on the inner loop out of it; the instcombine after the last
    // simplifycfg cleans up the selects it makes, so that reductions are recognised.
    let loops = format!(
        "constraint-elimination,loop-mssa(licm,loop-rotate,licm,simple-loop-unswitch),simplifycfg,{IC},\
         loop(loop-idiom,indvars,loop-deletion),gvn,correlated-propagation,{IC},simplifycfg,{IC}"
    );
    // Full unrolling is capped by CODEGEN_FLAGS (-unroll-full-max-count).
    let vectorize = match level {
        OptLevel::O2 => None,
        OptLevel::O3 => Some(format!(
            "loop(loop-rotate,loop-deletion),irce,simplifycfg,{IC},loop-vectorize,loop-load-elim,{IC},slp-vectorizer,loop-unroll<O3>,{IC},div-rem-pairs,simplifycfg"
        )),
    };
    match shape {
        // The body is the entry (codegen): one function pipeline, no call graph to walk.
        Shape::Leaf => {
            let tail = vectorize.map(|v| format!(",{v}")).unwrap_or_default();
            format!("function({first},{loops}{tail})")
        }
        // ipsccp first, before simplifycfg merges the returns: it proves the status a function
        // returns constant (0 for code that cannot raise), so callers drop their checks (fib).
        Shape::Calls => {
            let tail = vectorize.map(|v| format!(",function({v})")).unwrap_or_default();
            format!("function({first}),ipsccp,cgscc(inline,function({first},tailcallelim,{loops})),globaldce{tail}")
        }
    }
}

/// Functions codegen keeps out of line (`noinline`) while the pipeline runs, so that LICM can
/// hoist their calls out of loops (a branchy body inlined into the loop would stay there), and
/// that [`optimize`] inlines afterwards: their names start with this.
pub const LATE_INLINE_PREFIX: &str = "sj.late.";

/// What runs after the pipeline when the module has late-inlined functions.
const LATE_PIPELINE: &str = "always-inline,globaldce";

/// Runs the pass pipeline of `level` for `shape` on `module`, in place, then inlines the
/// functions of [`LATE_INLINE_PREFIX`].
pub fn optimize(module: &Module<'_>, level: OptLevel, shape: Shape) -> Result<(), String> {
    let h = host();
    h.tm.set_asm_verbosity(false);
    module.set_triple(&h.tm.get_triple());
    module.set_data_layout(&h.tm.get_target_data().get_data_layout());
    module.run_passes(&pipeline(level, shape), &h.tm, PassBuilderOptions::create()).map_err(|e| e.to_string())?;
    inline_late(module, &h.tm)
}

/// Inlines the functions of [`LATE_INLINE_PREFIX`] into their callers (what [`optimize`] does
/// after the pipeline).
pub fn inline_late(module: &Module<'_>, tm: &TargetMachine) -> Result<(), String> {
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

/// Emits `module` as a relocatable object file, through the process's reusable codegen pipeline.
pub fn emit_object(module: &Module<'_>) -> Result<Vec<u8>, String> {
    let mut h = host();
    if h.emitter.is_none() {
        // SAFETY: the target machine outlives the emitter (both live in HOST for the process).
        let e = unsafe { sj_emitter_create(h.tm.as_mut_ptr()) };
        h.emitter = Some(Emitter(NonNull::new(e).ok_or("the host target cannot emit object files")?));
    }
    let e = h.emitter.as_ref().expect("made above");
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
    let h = host();
    let (mut data, mut len) = (std::ptr::null(), 0usize);
    // SAFETY: the lock serialises every use of the target machine; the bytes are copied out of
    // the buffer before it is freed.
    unsafe {
        let buffer = sj_emit_fresh(h.tm.as_mut_ptr(), module.as_mut_ptr(), i32::from(assembly), &mut data, &mut len);
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
