//! Compile orchestration: one specialization from the program's collection through the cache
//! (its policy is `disk.rs`'s) or LLVM (on the interruptible compile thread) to loaded code;
//! `STICKYJIT_DUMP`/`STICKYJIT_TIMINGS` output, the `inspect_*` texts, and why the last compile
//! was or was not a cache hit (`explain()`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use jit_core::lower::GlobalValue;
use jit_core::{Capture, Compiled, Options, Prepared, Type};

use crate::args::Kind;
use crate::disk::Label;
use crate::program::{Dep, Jitted};
use crate::source::{Function, Parsed};

/// Process-wide count of specializations compiled (for `stickyjit.stats()`).
pub static COMPILES: AtomicU64 = AtomicU64::new(0);

/// What `explain()` says about the last compile; a miss is explained when asked (it reads the
/// cache directory).
enum Explain {
    Said(String),
    /// The specializations were dropped first (a callee was redefined), then this happened.
    Because(String, Box<Explain>),
    Miss {
        store: &'static cache::Store,
        key: String,
        file: String,
        sig: String,
        parts: Vec<(&'static str, String)>,
    },
}

impl Explain {
    fn text(&self, function: &str) -> String {
        match self {
            Explain::Said(s) => s.clone(),
            Explain::Because(reason, then) => format!("{} ({reason})", then.text(function)),
            Explain::Miss { store, key, file, sig, parts } => {
                crate::disk::explain_miss(store, key, &Label { function, file, signature: sig }, parts)
            }
        }
    }
}

/// A signature given to the decorator (`@jit("float64(float64[:], int64)")`): its argument
/// kinds, its return type when it names one, and its text as the user wrote it, for messages.
#[derive(Clone)]
pub(crate) struct Declared {
    pub kinds: Vec<Kind>,
    pub ret: Option<Type>,
    pub text: String,
}

/// How a dispatcher compiles: its options, the signatures it was given, and what its last
/// compile did.
pub(crate) struct Compiler {
    options: Options,
    /// The signatures given to the decorator (none: any argument types compile).
    pub declared: Vec<Declared>,
    /// Whether compiled code is looked up in and written to the on-disk cache (`cache=`).
    use_cache: bool,
    /// Why the last compile was or was not served by the on-disk cache (`explain()`).
    last_explain: Mutex<Option<Explain>>,
    /// Why the specializations were dropped, for the next compile's `explain()`.
    stale_reason: Mutex<Option<String>>,
}

/// The result of one compile: the code, and the bindings to other jitted functions it was
/// compiled against.
pub(crate) type CompiledWithDeps = (Compiled, Arc<Vec<Dep>>);

impl Compiler {
    /// The options it compiles with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn new(options: Options, use_cache: bool, declared: Vec<Declared>) -> Self {
        Compiler { options, declared, use_cache, last_explain: Mutex::new(None), stale_reason: Mutex::new(None) }
    }

    /// The return type a given signature declares for `kinds`.
    fn declared_ret(&self, kinds: &[Kind]) -> Option<&Type> {
        self.declared.iter().find(|d| d.kinds == kinds).and_then(|d| d.ret.as_ref())
    }

    /// The specializations were dropped because of `reason`; the next compile's `explain()` says so.
    pub fn note_stale(&self, reason: String) {
        *self.stale_reason.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason);
    }

    /// Why the last compile of `function` was (or was not) a cache hit.
    pub fn explain(&self, function: &Function) -> String {
        self.last_explain
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|e| e.text(&function.name))
            .unwrap_or_else(|| format!("{} has not been compiled yet", function.name))
    }

    /// Compiles (or loads) `function` for `kinds`, says what `STICKYJIT_DUMP` and
    /// `STICKYJIT_TIMINGS` ask for, and counts it. `first`: no specialization exists yet (the
    /// timings then include reading the source, parsing and normalizing). With `cfunc`, the
    /// program has a `@cfunc` C callback of that signature beside its entry (`Compiled::cfunc`).
    pub fn compile_for<J: Jitted>(
        &self,
        py: Python<'_>,
        function: &Function,
        kinds: &[Kind],
        omitted: u64,
        first: bool,
        cfunc: Option<&jit_core::cfunc::CSignature>,
    ) -> PyResult<CompiledWithDeps> {
        // Compiled loops poll a flag our SIGINT handler sets; put it back in front of a handler
        // installed since (signal.signal replaces it).
        jit_core::interrupt::install_sigint_chain();
        let dump = std::env::var("STICKYJIT_DUMP").unwrap_or_default();
        let wants = |what: &str| dump.split(',').any(|w| w.trim().eq_ignore_ascii_case(what) || w.trim() == "all");
        let capture = Capture { typed_ir: wants("ir"), llvm_ir: wants("llvm"), asm: wants("asm") };
        let t0 = Instant::now();
        let (compiled, deps) = self.compile_with::<J>(py, function, kinds, omitted, capture, first, cfunc)?;
        // Only code LLVM made here counts (not an object loaded from the cache or already in
        // the JIT).
        if compiled.timings.iter().any(|(stage, _)| *stage == "emit") {
            COMPILES.fetch_add(1, Ordering::Relaxed);
        }
        let name = &function.name;
        let sig = signature_text_omitted(kinds, omitted);
        if let Some(t) = &compiled.typed_ir {
            eprintln!("--- stickyjit typed IR: {name}{sig} ---\n{t}");
        }
        if let Some((unopt, opt)) = &compiled.llvm_ir {
            eprintln!("--- stickyjit LLVM IR (unoptimized): {name}{sig} ---\n{unopt}");
            eprintln!("--- stickyjit LLVM IR (optimized): {name}{sig} ---\n{opt}");
        }
        if let Some(a) = &compiled.asm {
            eprintln!("--- stickyjit assembly: {name}{sig} ---\n{a}");
        }
        if std::env::var("STICKYJIT_TIMINGS").is_ok_and(|v| v != "0" && !v.is_empty()) {
            let parts: Vec<String> =
                compiled.timings.iter().map(|(n, d)| format!("{n}={:.3}ms", d.as_secs_f64() * 1e3)).collect();
            eprintln!("stickyjit: compiled {name}{sig} in {:.3}ms: {}", t0.elapsed().as_secs_f64() * 1e3, parts.join(" "));
        }
        Ok((compiled, deps))
    }

    /// Collects the program, prepares it, then loads it from the cache or compiles it.
    #[allow(clippy::too_many_arguments)]
    fn compile_with<J: Jitted>(
        &self,
        py: Python<'_>,
        function: &Function,
        kinds: &[Kind],
        omitted: u64,
        capture: Capture,
        first: bool,
        cfunc: Option<&jit_core::cfunc::CSignature>,
    ) -> PyResult<CompiledWithDeps> {
        let parsed = function.parsed(py)?;
        // The object the function's globals refer to it by (its dispatcher), to recognize recursion.
        let root_obj = match function.func(py).getattr("__stickyjit_dispatcher__").ok() {
            Some(d) if !d.is_none() => d,
            _ => function.func(py),
        };
        let t0 = Instant::now();
        // Jitted functions passed as arguments join the program (`functions.rs`).
        let passed = functions_in(kinds);
        let extra = crate::functions::objects(py, &passed);
        let mut program = crate::program::collect::<J>(py, function, &root_obj, &extra)?;
        // Each function passed is unit 0 (the root itself) or the next after the root.
        let mut units: Vec<(u32, u32)> = Vec::new();
        let mut next = 1;
        for (&i, f) in passed.iter().zip(&extra) {
            units.push((i, if f.is(&root_obj) { 0 } else { next }));
            next += u32::from(!f.is(&root_obj));
        }
        program.members[0].env.parallel = self.options.parallel;
        // A program that calls its root back (recursion) calls it with every argument, so
        // there the root cannot take a left-out argument as a constant.
        let calls_root = program.members.iter().enumerate().any(|(i, m)| {
            m.env
                .globals
                .values()
                .any(|g| matches!(g, GlobalValue::Jitted { unit: 0, .. }) || (i == 0 && matches!(g, GlobalValue::SelfFunction)))
        });
        if omitted != 0 && !calls_root {
            let env = &mut program.members[0].env;
            env.omitted = (0..env.defaults.len()).map(|i| i < 64 && omitted >> i & 1 == 1).collect();
        }
        let globals = t0.elapsed();
        let types: Vec<Type> = kinds.iter().map(|&k| core_type(k, &units)).collect();
        let units: Vec<jit_core::Unit> = program
            .members
            .iter()
            .map(|m| jit_core::Unit { func: &m.parsed.ast, fp: &m.parsed.fingerprint, env: &m.env })
            .collect();
        let unit_err = |(unit, e): (usize, jit_core::CompileError)| {
            let member = &program.members[unit];
            let err = member.parsed.error(py, &e);
            match &member.library {
                Some(label) => crate::program::in_library(py, err, label),
                None => err,
            }
        };
        let ret = self.declared_ret(kinds);
        let prepare = || {
            let p = jit_core::prepare_program(&units, &types, ret, &self.options, capture).map_err(unit_err)?;
            Ok::<_, PyErr>(match cfunc {
                Some(sig) => p.with_cfunc(sig.clone()),
                None => p,
            })
        };
        let prepared = prepare()?;
        for (unit, why) in &prepared.serial_loops {
            crate::errors::warn_serial_loop(py, why, &program.members[*unit].parsed.filename)?;
        }
        let store = crate::disk::store_for(py, self.use_cache, capture);
        let key = prepared.code_key.clone();
        // The cache records and checks the signature the code was compiled for: the types
        // compiled code sees (a float32 scalar argument is the float64 it is widened to on
        // entry), which is what the code key holds, so `f(np.float32(x))` loads `f(x)`'s entry
        // rather than taking it for another function's.
        let sig = code_signature(&types, omitted);
        let label = Label { function: &function.name, file: &parsed.filename, signature: &sig };
        let from_disk = store.and_then(|store| crate::disk::entry_for(py, store, &prepared, &label));
        let name = &function.name;
        let mut explanation = self.explanation(from_disk.is_some(), store, &label, &prepared);
        let mut compiled = match (from_disk, store) {
            (Some(entry), Some(store)) => match jit_core::load_object(prepared, entry.object) {
                Ok(compiled) => compiled,
                Err(e) => {
                    crate::disk::discard_unloadable(py, store, &key, &e);
                    explanation = Explain::Said(format!("{name}{sig} was compiled: its cache entry could not be loaded"));
                    let prepared = prepare()?;
                    self.compile_and_store(py, prepared, Some(store), &parsed, &label, capture)?
                }
            },
            _ => self.compile_and_store(py, prepared, store, &parsed, &label, capture)?,
        };
        self.record(explanation, name, capture);
        // The stage names of docs/architecture.md and of the criterion benches (benches/stages);
        // reading the source, parsing and normalizing happen at the function's first compile.
        let first = if first { parsed.timings.clone() } else { Vec::new() };
        compiled.timings.splice(0..0, first.into_iter().chain([("globals", globals)]));
        Ok((compiled, Arc::new(program.deps)))
    }

    /// What `explain()` says about a compile of `label` (keyed as `prepared` says) that found
    /// an entry in the cache (`hit`) or not, in `store` (none: the cache was not used).
    fn explanation(&self, hit: bool, store: Option<&'static cache::Store>, label: &Label<'_>, prepared: &Prepared) -> Explain {
        let (name, sig, key) = (label.function, label.signature, &prepared.code_key);
        match (hit, store) {
            (true, _) => Explain::Said(format!("{name}{sig} was loaded from the cache (entry {key})")),
            (false, Some(store)) => Explain::Miss {
                store,
                key: key.clone(),
                file: label.file.to_string(),
                sig: sig.to_string(),
                parts: prepared.key_parts.clone(),
            },
            (false, None) if !self.use_cache => Explain::Said(format!("{name}{sig} was compiled: cache=False")),
            (false, None) => Explain::Said(format!(
                "{name}{sig} was compiled: the cache is off or unusable (STICKYJIT_CACHE, or a warning said why)"
            )),
        }
    }

    /// Keeps `explanation` (after the reason the specializations were dropped, if they were) for
    /// `explain()`, and prints it under `STICKYJIT_EXPLAIN`; a compile that captures LLVM IR or
    /// assembly (`inspect_*`) leaves the last one in place.
    fn record(&self, explanation: Explain, name: &str, capture: Capture) {
        let explanation = match self.stale_reason.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(reason) => Explain::Because(reason, Box::new(explanation)),
            None => explanation,
        };
        if !capture.llvm_ir && !capture.asm {
            if std::env::var("STICKYJIT_EXPLAIN").is_ok_and(|v| v != "0" && !v.is_empty()) {
                eprintln!("stickyjit: {}", explanation.text(name));
            }
            *self.last_explain.lock().unwrap_or_else(|e| e.into_inner()) = Some(explanation);
        }
    }

    /// Generates, optimizes, emits and loads `p` (on the compile thread: Ctrl-C interrupts it);
    /// writes the object to `store`. A compiler error is raised at its place in `parsed`.
    fn compile_and_store(
        &self,
        py: Python<'_>,
        prepared: jit_core::Prepared,
        store: Option<&'static cache::Store>,
        parsed: &Parsed,
        label: &Label<'_>,
        capture: Capture,
    ) -> PyResult<Compiled> {
        let key = prepared.code_key.clone();
        let parts = prepared.key_parts.clone();
        let what = format!("{}{}", label.function, label.signature);
        let compiled = crate::interruptible::finish(py, prepared, &self.options, capture, &what)
            .map_err(|e| e.into_py(|e| parsed.error(py, &e)))?;
        if let Some(store) = store {
            crate::disk::write(py, store, &key, parts, label, &compiled);
        }
        Ok(compiled)
    }

    /// The typed IR (`which` = "types"), optimized LLVM IR ("llvm") or assembly ("asm") of each
    /// specialization in `compiled` (compiled again, capturing it): `{signature: text}`, or one
    /// text for `signature`.
    pub fn inspect<J: Jitted>(
        &self,
        py: Python<'_>,
        function: &Function,
        compiled: Vec<(Vec<Kind>, u64)>,
        which: &str,
        signature: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let capture = Capture { typed_ir: which == "types", llvm_ir: which == "llvm", asm: which == "asm" };
        let out = PyDict::new(py);
        for (kinds, omitted) in compiled {
            let key = PyTuple::new(py, kind_names(&kinds, omitted))?;
            if let Some(sig) = signature {
                if !key.eq(sig)? {
                    continue;
                }
            }
            let (compiled, _) = self.compile_with::<J>(py, function, &kinds, omitted, capture, false, None)?;
            let text = match which {
                "types" => compiled.typed_ir.unwrap_or_default(),
                "llvm" => compiled.llvm_ir.map(|(_, o)| o).unwrap_or_default(),
                _ => compiled.asm.unwrap_or_default(),
            };
            if signature.is_some() {
                return Ok(PyString::new(py, &text).into_any().unbind());
            }
            out.set_item(key, text)?;
        }
        if let Some(sig) = signature {
            return Err(PyTypeError::new_err(format!("{} has no specialization for {}", function.name, sig.repr()?)));
        }
        Ok(out.into_any().unbind())
    }
}

/// The table indices (`functions.rs`) of the jitted functions the kinds name, tuples' items
/// included, in order of first appearance, without repeats: they join the program compiled.
fn functions_in(kinds: &[Kind]) -> Vec<u32> {
    fn walk(k: Kind, out: &mut Vec<u32>) {
        match k {
            Kind::Function(i) if !out.contains(&i) => out.push(i),
            Kind::Tuple(t) => {
                // A jitclass's methods join the program too.
                if let Some(names) = Kind::tuple_names(t) {
                    for &(_, i) in &names.methods {
                        if !out.contains(&i) {
                            out.push(i);
                        }
                    }
                }
                Kind::items(t).into_iter().for_each(|k| walk(k, out))
            }
            _ => {}
        }
    }
    let mut ids = Vec::new();
    kinds.iter().for_each(|&k| walk(k, &mut ids));
    ids
}

/// The type compiled code sees for `k`; a function passed is the unit `units` pairs its table
/// index with.
fn core_type(k: Kind, units: &[(u32, u32)]) -> Type {
    match k {
        Kind::Function(i) => {
            Type::Function(units.iter().find(|(j, _)| *j == i).map(|(_, u)| *u).expect("every function passed is a member"))
        }
        Kind::Tuple(t) => {
            let items = Kind::items(t).into_iter().map(|k| core_type(k, units)).collect();
            match Kind::tuple_names(t) {
                // A jitclass record: its methods named by their units in this program.
                Some(names) if names.is_jitclass() => {
                    let unit = |i: u32| units.iter().find(|(j, _)| *j == i).map(|(_, u)| *u).expect("every method is a member");
                    let methods = names.methods.iter().map(|(m, i)| (m.clone(), unit(*i))).collect();
                    let names = jit_core::types::TupleNames { methods, ..(*names).clone() };
                    Type::Tuple(jit_core::types::Items::named(items, std::sync::Arc::new(names)))
                }
                _ => Kind::tuple_type(t, items),
            }
        }
        k => k.core_type(),
    }
}

/// `(int64, float64)`: argument types as messages and cache entries write them.
pub(crate) fn signature_text(kinds: &[Kind]) -> String {
    signature_text_omitted(kinds, 0)
}

/// The argument type names of a specialization; an argument left out (bit `i` of `omitted`),
/// whose default is a constant of the code, is `omitted(int64)`.
pub(crate) fn kind_names(kinds: &[Kind], omitted: u64) -> Vec<String> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| if i < 64 && omitted >> i & 1 == 1 { format!("omitted({})", k.name()) } else { k.name().to_string() })
        .collect()
}

/// `(float64, omitted(int64))`: the types compiled code sees, as cache entries record them.
fn code_signature(types: &[Type], omitted: u64) -> String {
    let names: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, t)| if i < 64 && omitted >> i & 1 == 1 { format!("omitted({t})") } else { t.to_string() })
        .collect();
    format!("({})", names.join(", "))
}

/// `(int64, omitted(float64))`: [`kind_names`] as the messages show a signature.
pub(crate) fn signature_text_omitted(kinds: &[Kind], omitted: u64) -> String {
    format!("({})", kind_names(kinds, omitted).join(", "))
}
