//! stickyjit's compiler: the source of one Python function → native code, one stage per module.
//!
//! The stages (docs/architecture.md has the same table, with what each stage does):
//!
//! | stage | module | entry point | output |
//! | --- | --- | --- | --- |
//! | parse | [`parse`] | [`parse::parse_function`] | [`ast::FunctionDef`] |
//! | normalize + fingerprint | [`normalize`] | [`normalize::fingerprint`] | [`normalize::Fingerprint`] |
//! | lower (name resolution) | [`lower`] | [`lower::lower_program`] | `Vec<`[`hir::Function`]`>` |
//! | definite assignment ([`lower_and_flow`] runs it after lowering each function) | [`flow`] | [`flow::check_assignment`] | run-time checks marked in the HIR |
//! | type inference | [`infer`] | [`infer::infer_program`] | [`infer::TypedProgram`] |
//! | codegen | [`codegen`] | [`codegen::codegen`] | LLVM module |
//! | optimize + emit | [`optimize`] | [`optimize::optimize`], [`optimize::emit_object`] | object bytes |
//! | engine | [`engine`] | [`engine::load`] | [`abi::EntryFn`] |
//!
//! Beside the stages, each the one place for its facts: [`abi`] (the calling convention),
//! [`registry`] (names, dtypes, run-time statuses), [`types`] (types and their promotion),
//! [`traceback`] (the statement a failure's status names → traceback frames).
//!
//! [`prepare_program`] runs lower → flow → infer and computes the code key; [`finish`] runs codegen →
//! engine (or [`load_object`] loads a cached object instead). [`compile`] runs both for one
//! function and one argument-type signature.

pub mod abi;
pub mod ast;
pub mod cfunc;
pub mod cmath;
pub mod codegen;
pub mod complex;
pub mod dict;
pub mod engine;
pub mod error;
pub mod flow;
pub mod format;
pub mod hir;
pub mod infer;
pub mod interrupt;
pub mod lapack;
pub mod linalg;
pub mod list;
pub mod lower;
pub mod math_rt;
pub mod memory;
pub mod normalize;
pub mod optimize;
pub mod output;
pub mod overlap_rt;
pub mod parallel;
pub mod parse;
pub mod pretty;
pub mod random;
pub mod registry;
pub mod runtime;
pub mod scope;
pub mod string;
pub mod tabs;
#[doc(hidden)]
pub mod testing;
pub mod threads;
pub mod traceback;
pub mod types;

use std::time::{Duration, Instant};

pub use error::CompileError;
pub use types::Type;

/// The compiler's version, part of every code key.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Compile options that change the machine code (all are part of the code key).
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub opt_level: optimize::OptLevel,
    /// Array indices are checked (IndexError when out of range); `@jit(boundscheck=False)`
    /// only wraps negative ones, as Numba does.
    pub boundscheck: bool,
    /// `@jit(fastmath=...)`: the LLVM fast-math flags put on every float operation and float
    /// call of the program (none by default: CPython's exact answers).
    pub fastmath: FastMath,
    /// `@jit(error_model=...)`: what a division by zero does.
    pub error_model: ErrorModel,
    /// `sum()` of a list of floats adds with Neumaier's compensation, as CPython 3.12 and later
    /// do (the dispatcher sets it for the running interpreter; 3.11 adds plainly).
    pub compensated_sum: bool,
    /// `@jit(parallel=True)` on the function called from Python (part of the key; each
    /// function's own option is `lower::Env::parallel`, which decides where `prange` runs).
    pub parallel: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            opt_level: optimize::OptLevel::O3,
            boundscheck: true,
            fastmath: FastMath::NONE,
            error_model: ErrorModel::Python,
            compensated_sum: false,
            parallel: false,
        }
    }
}

/// Numba's `error_model` option: what dividing by zero does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorModel {
    /// CPython's ZeroDivisionError (the default).
    #[default]
    Python,
    /// NumPy's answer, no exception: a float division gives inf or nan; an integer `//` or `%`
    /// gives 0.
    Numpy,
}

/// A set of LLVM fast-math flags, by Numba's names (`@jit(fastmath={"nnan", "arcp"})`;
/// `fastmath=True` is `fast`, every flag).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct FastMath(u8);

impl FastMath {
    pub const NONE: FastMath = FastMath(0);
    /// The flag names Numba accepts, in bit order (`fast` is all of them).
    pub const NAMES: [&'static str; 7] = ["reassoc", "nnan", "ninf", "nsz", "arcp", "contract", "afn"];

    /// The set named by `names` (Numba's and LLVM's names; `fast` means all), or the first
    /// name that is not a flag.
    pub fn from_names<'n>(names: impl IntoIterator<Item = &'n str>) -> Result<FastMath, &'n str> {
        let mut bits = 0u8;
        for n in names {
            bits |= match n {
                "fast" => 0x7f,
                _ => 1 << Self::NAMES.iter().position(|f| *f == n).ok_or(n)?,
            };
        }
        Ok(FastMath(bits))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn has(self, name: &str) -> bool {
        FastMath::from_names([name]).is_ok_and(|f| f.0 & self.0 == f.0 && f.0 != 0)
    }

    /// The flags that are set, by name.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES.into_iter().enumerate().filter(move |(i, _)| self.0 & (1 << i) != 0).map(|(_, n)| n)
    }
}

/// The flag names (part of the code key's options text).
impl std::fmt::Debug for FastMath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{}}}", self.names().collect::<Vec<_>>().join(", "))
    }
}

/// Which intermediate texts to keep (for `inspect_*` and `STICKYJIT_DUMP`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capture {
    pub typed_ir: bool,
    pub llvm_ir: bool,
    pub asm: bool,
}

pub struct Compiled {
    /// The entry symbol: `sj_` + the code key.
    pub symbol: String,
    pub object: Vec<u8>,
    pub entry: engine::EntryFn,
    pub ret: Type,
    pub local_names: Vec<String>,
    /// [`Prepared::sites`].
    pub sites: traceback::Sites,
    /// Some function of the program makes new arrays ([`memory::take_live`] after a call).
    pub allocates: bool,
    /// Some function of the program runs loops on the thread pool ([`parallel::runs_parallel`]):
    /// the caller releases the GIL for the call.
    pub parallel: bool,
    /// The address of the `@cfunc` C callback ([`Prepared::with_cfunc`]), if it has one.
    pub cfunc: Option<usize>,
    pub typed_ir: Option<String>,
    /// Unoptimized and optimized LLVM IR.
    pub llvm_ir: Option<(String, String)>,
    pub asm: Option<String>,
    /// Time spent in each stage, by the stage names of the architecture table.
    pub timings: Vec<(&'static str, Duration)>,
}

/// One function of a program being compiled: its tree, its fingerprint and what its globals
/// are bound to. `units[0]` of a program is the function called from Python; the others are
/// the jitted functions it reaches, which its [`lower::GlobalValue::Jitted`] globals index.
#[derive(Clone, Copy)]
pub struct Unit<'a> {
    pub func: &'a ast::FunctionDef,
    /// Its fingerprint (the hash of its normalized tree, [`normalize::fingerprint`]).
    pub fp: &'a normalize::Fingerprint,
    pub env: &'a lower::Env,
}

/// A unit's frozen globals and defaults as key text (sorted by name).
fn globals_text(env: &lower::Env) -> String {
    let mut globals: Vec<_> = env.globals.iter().collect();
    globals.sort_by(|a, b| a.0.cmp(b.0));
    let globals: Vec<String> = globals.iter().map(|(n, v)| format!("{n}={v:?}")).collect();
    let strict = if env.strict_math { "; strict math" } else { "" };
    let omitted = if env.omitted.contains(&true) { format!("; omitted {:?}", env.omitted) } else { String::new() };
    let model = env.error_model.map(|m| format!("; error model {m:?}")).unwrap_or_default();
    let parallel = if env.parallel { "; parallel" } else { "" };
    let declared = if env.declared.is_empty() { String::new() } else { format!("; locals {:?}", env.declared) };
    let ret = env.ret_dtype.map(|d| format!("; returns {}", d.name())).unwrap_or_default();
    format!("{}; defaults {:?}{strict}{omitted}{model}{parallel}{declared}{ret}", globals.join(", "), env.defaults)
}

/// The `callees` key part: one line per function the program reaches besides its root, in
/// unit order, `#k name: <hash of its source, globals and defaults>`. The globals of each unit
/// (the root's in the `globals` part) name their callees by unit number, so the lines describe
/// the whole call graph, cycles included: a change anywhere below the root changes the key.
pub fn callees_text(units: &[Unit]) -> String {
    units
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, u)| {
            let mut h = blake3::Hasher::new();
            h.update(&u.fp.code);
            h.update(globals_text(u.env).as_bytes());
            format!("#{k} {}: {}", u.func.name, normalize::hex(&h.finalize().as_bytes()[..16]))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parts of the code key, each a short text, by what they stand for: `compiler`
/// (stickyjit, LLVM, flags, pipeline), `cpu` (triple, CPU name and features), `options`,
/// `source` (the normalized tree, locals alpha-renamed), `arguments`, `globals` (frozen values
/// and defaults), `callees` ([`callees_text`]). `explain` compares them part by part.
///
/// The compiler part names the compiler's sources (a hash made at build time, crate
/// `stickyjit-build-id`) and the runtime ABI ([`codegen::runtime_abi`]: helper signatures and
/// status codes), so that a development build never loads an object made by another build of
/// the same version.
pub fn key_parts(
    units: &[Unit],
    arg_types: &[Type],
    declared_ret: Option<&Type>,
    options: &Options,
    shape: optimize::Shape,
    target: &optimize::TargetIdentity,
) -> Vec<(&'static str, String)> {
    let root = &units[0];
    vec![
        (
            "compiler",
            format!(
                "stickyjit {VERSION} (sources {}), runtime {}, LLVM {}, flags [{}], pipeline {}",
                stickyjit_build_id::SOURCE_HASH,
                runtime_abi_hash(),
                target.llvm_version,
                target.codegen_flags,
                optimize::pipeline(options.opt_level, shape)
            ),
        ),
        ("cpu", format!("{} {} {}", target.triple, target.cpu, target.features)),
        ("options", format!("{options:?}")),
        ("source", normalize::hex(&root.fp.code)),
        ("arguments", {
            let args = arg_types.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
            match declared_ret {
                Some(t) => format!("{args} -> {t}"),
                None => args,
            }
        }),
        ("globals", globals_text(root.env)),
        ("callees", callees_text(units)),
    ]
}

/// The code key: blake3 of the key format and of every part of [`key_parts`].
pub fn code_key_of(parts: &[(&'static str, String)]) -> String {
    let mut h = blake3::Hasher::new();
    let mut put = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put("stickyjit code key v12");
    for (name, value) in parts {
        put(name);
        put(value);
    }
    normalize::hex(&h.finalize().as_bytes()[..20])
}

/// A specialization typed and keyed, before any LLVM work: what decides whether a cached
/// object can serve it ([`Prepared::code_key`]).
pub struct Prepared {
    /// The entry symbol: `sj_` + the code key.
    pub symbol: String,
    pub code_key: String,
    /// What the key is made of ([`key_parts`]), for the cache's metadata and `explain`.
    pub key_parts: Vec<(&'static str, String)>,
    pub ret: Type,
    /// The locals of every function of the program, one after the other (run-time statuses
    /// name them by this numbering).
    pub local_names: Vec<String>,
    /// The program's statements and call sites: the traceback frames of a failure's site.
    pub sites: traceback::Sites,
    pub allocates: bool,
    /// [`Compiled::parallel`].
    pub parallel: bool,
    pub typed_ir: Option<String>,
    pub timings: Vec<(&'static str, Duration)>,
    /// The `prange` loops that run serially because their iterations could race, each with
    /// why (the unit it is in, and the error a parallel run of it would be): shown as warnings.
    pub serial_loops: Vec<(usize, CompileError)>,
    typed: infer::TypedProgram,
    shape: optimize::Shape,
    span: ast::Span,
    cfunc: Option<cfunc::CSignature>,
}

impl Prepared {
    /// The same program with a `@cfunc` C callback of signature `sig` beside its entry: a code
    /// key of its own (the key's `cfunc` part), so that its object holds the callback.
    pub fn with_cfunc(mut self, sig: cfunc::CSignature) -> Prepared {
        self.key_parts.push(("cfunc", sig.text()));
        self.code_key = code_key_of(&self.key_parts);
        self.symbol = format!("sj_{}", self.code_key);
        self.cfunc = Some(sig);
        // The callback calls the entry: the optimizer's call-graph pipeline inlines it there.
        self.shape = optimize::Shape::Calls;
        self
    }

    /// The address of the C callback of a program loaded in the engine, if it has one.
    fn cfunc_address(&self, span: ast::Span) -> Result<Option<usize>, CompileError> {
        self.cfunc
            .as_ref()
            .map(|_| engine::lookup_symbol(&cfunc::trampoline_symbol(&self.symbol)))
            .transpose()
            .map_err(|message| CompileError::Internal { message, span })
    }

    /// Whether its code is already loaded in this process (then no cached object need be read).
    pub fn is_loaded(&self) -> bool {
        engine::lookup_loaded(&self.symbol).is_some()
    }
}

/// The lower and flow stages over a program (`units[0]` the function called from Python, the
/// jitted functions it reaches after it): each unit lowered, then its definite assignment
/// checked, so that a unit's errors come before the next unit's. An error says which unit its
/// span is in.
pub fn lower_and_flow(units: &[(&ast::FunctionDef, &lower::Env)]) -> Result<Vec<hir::Function>, (usize, CompileError)> {
    lower::lower_with_nested(units, flow::check_assignment).map(|(funcs, _)| funcs)
}

/// Lowers and infers `func` (calling nothing but itself) for `arg_types` and computes its code key.
pub fn prepare(
    func: &ast::FunctionDef,
    fp: &normalize::Fingerprint,
    env: &lower::Env,
    arg_types: &[Type],
    options: &Options,
    capture: Capture,
) -> Result<Prepared, CompileError> {
    prepare_program(&[Unit { func, fp, env }], arg_types, None, options, capture).map_err(|(_, e)| e)
}

/// Lowers and infers a program (`units[0]` called with `arg_types`, returning `declared_ret` when
/// a signature gave one, else what it returns; the jitted functions it reaches after it) and
/// computes its code key. An error says which unit its span is in.
pub fn prepare_program(
    units: &[Unit],
    arg_types: &[Type],
    declared_ret: Option<&Type>,
    options: &Options,
    capture: Capture,
) -> Result<Prepared, (usize, CompileError)> {
    let t = Instant::now();
    let pairs: Vec<(&ast::FunctionDef, &lower::Env)> = units.iter().map(|u| (u.func, u.env)).collect();
    // The "lower" timing counts flow too.
    // Inner functions (after the units) report their errors in their parent's unit.
    let (funcs, owners) = lower::lower_with_nested(&pairs, flow::check_assignment)?;
    let owner = |f: usize| owners.get(f).copied().unwrap_or(0);
    let lowered = t.elapsed();
    let mut typed =
        infer::infer_program(funcs, arg_types.to_vec(), declared_ret.cloned()).map_err(|(f, e)| (owner(f as usize), e))?;
    let serial_loops = parallel::demote_racing_loops(&mut typed).into_iter().map(|(f, e)| (owner(f), e)).collect();
    let local_names = typed.local_names();
    let sites = traceback::Sites::of(&typed);
    let allocates = typed.allocates();
    let parallel = parallel::runs_parallel(&typed);
    let timings = vec![("lower", lowered), ("infer", t.elapsed() - lowered)];
    let typed_ir = capture.typed_ir.then(|| pretty::typed_program(&typed));
    let ret = typed.entry().ret.clone();
    let shape = if typed.is_leaf() { optimize::Shape::Leaf } else { optimize::Shape::Calls };
    let key_parts = key_parts(units, arg_types, declared_ret, options, shape, &optimize::target_identity());
    let code_key = code_key_of(&key_parts);
    let span = units[0].func.span;
    Ok(Prepared {
        symbol: format!("sj_{code_key}"),
        code_key,
        key_parts,
        ret,
        local_names,
        sites,
        allocates,
        parallel,
        typed_ir,
        timings,
        serial_loops,
        typed,
        shape,
        span,
        cfunc: None,
    })
}

/// Loads an object made earlier for `p` (from the on-disk cache) into the engine.
pub fn load_object(p: Prepared, object: Vec<u8>) -> Result<Compiled, CompileError> {
    let t = Instant::now();
    let entry = match engine::lookup_loaded(&p.symbol) {
        Some(e) => e,
        None => engine::load(&object, &p.symbol).map_err(|message| CompileError::Internal { message, span: p.span })?,
    };
    let cfunc = p.cfunc_address(p.span)?;
    let mut timings = p.timings;
    timings.push(("engine", t.elapsed()));
    Ok(Compiled {
        symbol: p.symbol,
        object,
        entry,
        ret: p.ret,
        local_names: p.local_names,
        sites: p.sites,
        allocates: p.allocates,
        parallel: p.parallel,
        cfunc,
        typed_ir: p.typed_ir,
        llvm_ir: None,
        asm: None,
        timings,
    })
}

/// Generates, optimizes, emits and loads `p`.
pub fn finish(p: Prepared, options: &Options, capture: Capture) -> Result<Compiled, CompileError> {
    let Prepared {
        symbol,
        ret,
        local_names,
        sites,
        allocates,
        parallel,
        typed_ir,
        mut timings,
        typed,
        shape,
        span,
        cfunc: sig,
        ..
    } = p;
    let cfunc_address = |symbol: &str| -> Result<Option<usize>, CompileError> {
        sig.as_ref()
            .map(|_| engine::lookup_symbol(&cfunc::trampoline_symbol(symbol)))
            .transpose()
            .map_err(|message| CompileError::Internal { message, span })
    };
    let mut t = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        let now = Instant::now();
        timings.push((name, now - t));
        t = now;
    };
    let internal = |message: String| CompileError::Internal { message, span };
    if let Some(entry) = engine::lookup_loaded(&symbol) {
        if !capture.llvm_ir && !capture.asm {
            let cfunc = cfunc_address(&symbol)?;
            return Ok(Compiled {
                symbol,
                object: Vec::new(),
                entry,
                ret,
                local_names,
                sites,
                allocates,
                parallel,
                cfunc,
                typed_ir,
                llvm_ir: None,
                asm: None,
                timings,
            });
        }
    }
    let ctx = inkwell::context::Context::create();
    let module = codegen::codegen_cfunc(&ctx, &typed, &symbol, options, sig.as_ref());
    lap("codegen", &mut timings);
    let unopt = capture.llvm_ir.then(|| module.print_to_string().to_string());
    module.verify().map_err(|e| internal(format!("invalid LLVM IR: {e}")))?;
    optimize::optimize(&module, options.opt_level, shape).map_err(internal)?;
    let opt_ir = capture.llvm_ir.then(|| module.print_to_string().to_string());
    lap("optimize", &mut timings);
    let object = optimize::emit_object(&module).map_err(internal)?;
    lap("emit", &mut timings);
    let asm = if capture.asm { Some(optimize::emit_asm(&module).map_err(internal)?) } else { None };
    let entry = engine::load(&object, &symbol).map_err(internal)?;
    let cfunc = cfunc_address(&symbol)?;
    lap("engine", &mut timings);
    Ok(Compiled {
        symbol,
        object,
        entry,
        ret,
        local_names,
        sites,
        allocates,
        parallel,
        cfunc,
        typed_ir,
        llvm_ir: unopt.zip(opt_ir),
        asm,
        timings,
    })
}

/// Lowers, infers, generates, optimizes and loads `func` for `arg_types` ([`prepare`], then
/// [`finish`]).
pub fn compile(
    func: &ast::FunctionDef,
    fp: &normalize::Fingerprint,
    env: &lower::Env,
    arg_types: &[Type],
    options: &Options,
    capture: Capture,
) -> Result<Compiled, CompileError> {
    finish(prepare(func, fp, env, arg_types, options, capture)?, options, capture)
}

/// The environment a function sees when compiled on its own, without Python: `math`, the
/// builtins, itself; every other global undefined; no defaults. For tests and benches.
pub fn standalone_env(func: &ast::FunctionDef, filename: &str) -> lower::Env {
    let mut env = lower::Env { filename: filename.into(), ..Default::default() };
    for name in lower::global_names(func) {
        let v = match name.as_str() {
            "math" | "cmath" => lower::GlobalValue::Module(name.clone()),
            n if registry::builtin(n).is_some() => lower::GlobalValue::Builtin(name.clone()),
            n if n == func.name => lower::GlobalValue::SelfFunction,
            _ => lower::GlobalValue::Undefined,
        };
        env.globals.insert(name, v);
    }
    env.defaults = vec![None; func.params.len()];
    env
}

/// Compiles a whole source text (the first `def` in it) for `arg_types` with no globals:
/// the convenience used by tests and benches.
pub fn compile_source(src: &str, arg_types: &[Type], capture: Capture) -> Result<Compiled, CompileError> {
    let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
    let func = parse::parse_function(&parse::SourceFunction { lines: &lines, first_line: 1, filename: "<test>" })?;
    let fp = normalize::fingerprint(&func);
    let env = standalone_env(&func, "<test>");
    compile(&func, &fp, &env, arg_types, &Options::default(), capture)
}

/// A short hash of [`codegen::runtime_abi`] (computed once).
fn runtime_abi_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| blake3::hash(codegen::runtime_abi().as_bytes()).to_hex()[..16].to_string())
}
