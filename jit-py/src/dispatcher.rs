//! The dispatcher (Numba's name): the object `@jit` returns. It types each call's arguments,
//! finds the specialization compiled for exactly those types, and compiles one on a miss.

use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use jit_core::ast::FunctionDef;
use jit_core::lower::{ConstValue, Env, GlobalValue};
use jit_core::normalize::Fingerprint;
use jit_core::{engine::EntryFn, Capture, Options, Type};

use crate::args::{classify_arg, classify_fast, Kind};
use crate::errors::{compile_error, status_error};
use crate::program::{Dep, DEFINITIONS};
use crate::returned::{flat_len, holds_array, to_python, Owners};

/// Process-wide count of specializations compiled (for `stickyjit.stats()`).
pub static COMPILES: AtomicU64 = AtomicU64::new(0);

const MAX_FAST_ARGS: usize = 8;

struct Spec {
    kinds: Vec<Kind>,
    entry: EntryFn,
    ret: Type,
    local_names: Arc<Vec<String>>,
    /// The code makes new arrays or returns arrays: the arena (and the arguments) are looked at
    /// after each call.
    arrays: bool,
    /// The bindings to other jitted functions the code was compiled against.
    deps: Arc<Vec<Dep>>,
}

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
            Explain::Miss { store, key, file, sig, parts } => crate::disk::explain_miss(store, key, function, file, sig, parts),
        }
    }
}

/// What the first compile learns about the function and keeps.
pub(crate) struct Parsed {
    filename: String,
    lines: Vec<String>,
    first_line: u32,
    pub ast: FunctionDef,
    pub fingerprint: Fingerprint,
    /// How long reading the source, parsing and normalizing took (STICKYJIT_TIMINGS).
    timings: Vec<(&'static str, Duration)>,
}

#[pyclass(module = "stickyjit._native", name = "Dispatcher", frozen, dict, weakref)]
pub struct Dispatcher {
    /// CPython calls the dispatcher through this pointer (the vectorcall protocol: arguments
    /// in a C array, no tuple): `vectorcall::call`. Its offset in the object is set on the type
    /// at import (`vectorcall::install`).
    pub(crate) vectorcall: Option<ffi::vectorcallfunc>,
    /// The decorated function. A sticky hit from another namespace swaps in the new function
    /// (`adopt`), so that globals are looked up where the latest definition lives.
    py_func: Mutex<Py<PyAny>>,
    name: String,
    param_names: Vec<String>,
    posonly: usize,
    /// `*args`, `**kwargs` or keyword-only parameters: never compiled; every call reports why.
    unsupported_signature: bool,
    options: Options,
    /// Whether compiled code is looked up in and written to the on-disk cache (`cache=`).
    use_cache: bool,
    /// Immutable snapshot of the specializations, swapped whole on each compile; readers never lock.
    table: AtomicPtr<Vec<Spec>>,
    /// Every snapshot ever published, kept alive so a reader's pointer stays valid. Boxed: `table`
    /// points at the `Vec` header itself, which must not move when this list grows.
    #[allow(clippy::vec_box)]
    snapshots: Mutex<Vec<Box<Vec<Spec>>>>,
    /// Why the last compile was or was not served by the on-disk cache (`explain()`).
    last_explain: Mutex<Option<Explain>>,
    /// What the first compile parsed. Never held across a call into Python (`parsed_arc`).
    parsed: Mutex<Option<Arc<Parsed>>>,
    /// The value of `program::DEFINITIONS` when the specializations' dependencies were last
    /// known to hold.
    checked_definitions: AtomicU64,
    /// Why the specializations were dropped, for the next compile's `explain()`.
    stale_reason: Mutex<Option<String>>,
}

impl Dispatcher {
    /// A dispatcher of nothing, for `vectorcall::install` to measure the object's layout with.
    pub(crate) fn placeholder(py: Python<'_>) -> Self {
        Dispatcher {
            vectorcall: None,
            py_func: Mutex::new(py.None()),
            name: String::new(),
            param_names: Vec::new(),
            posonly: 0,
            unsupported_signature: true,
            options: Options::default(),
            use_cache: false,
            table: AtomicPtr::new(std::ptr::null_mut()),
            snapshots: Mutex::new(Vec::new()),
            last_explain: Mutex::new(None),
            parsed: Mutex::new(None),
            checked_definitions: AtomicU64::new(0),
            stale_reason: Mutex::new(None),
        }
    }

    fn specs(&self) -> &[Spec] {
        // SAFETY: the pointer is null or points into a Box kept in `snapshots` for our lifetime.
        unsafe { self.table.load(Ordering::Acquire).as_ref().map(|v| v.as_slice()).unwrap_or(&[]) }
    }

    fn find(&self, kinds: &[Kind]) -> Option<&Spec> {
        self.specs().iter().find(|s| s.kinds == kinds)
    }

    /// Adds a specialization, unless another thread published one for the same argument types
    /// meanwhile (compiles are not serialized: see `parsed_arc`).
    fn publish(&self, spec: Spec) {
        self.replace_specs(|specs| {
            if !specs.iter().any(|s| s.kinds == spec.kinds) {
                specs.push(spec)
            }
        });
    }

    /// Publishes a new snapshot: the current specializations, changed by `edit`.
    fn replace_specs(&self, edit: impl FnOnce(&mut Vec<Spec>)) {
        let mut snaps = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        let mut next: Vec<Spec> = self
            .specs()
            .iter()
            .map(|s| Spec {
                kinds: s.kinds.clone(),
                entry: s.entry,
                ret: s.ret.clone(),
                local_names: s.local_names.clone(),
                arrays: s.arrays,
                deps: s.deps.clone(),
            })
            .collect();
        edit(&mut next);
        let mut boxed = Box::new(next);
        let ptr: *mut Vec<Spec> = &mut *boxed;
        snaps.push(boxed);
        self.table.store(ptr, Ordering::Release);
    }

    fn call_spec(&self, py: Python<'_>, spec: &Spec, slots: &[u64], args: &[*mut ffi::PyObject]) -> PyResult<Py<PyAny>> {
        if spec.arrays {
            // Arrays: made from the arena (freed here for whatever is not returned, whatever
            // the status) or views of the arguments.
            let mut ret = vec![0u64; flat_len(&spec.ret)];
            // SAFETY: the entry was compiled for exactly these argument kinds and slot layout,
            // and writes `flat_len(ret)` slots.
            let status = unsafe { (spec.entry)(slots.as_ptr(), ret.as_mut_ptr()) };
            let mut owners = Some(Owners::take(args));
            if status != 0 {
                return Err(status_error(status, &spec.local_names));
            }
            return to_python(py, &spec.ret, &ret, &mut 0, &mut owners).map(Bound::unbind);
        }
        if let Type::Tuple(_) = spec.ret {
            // A tuple comes back flattened, one slot per number.
            let mut ret = vec![0u64; flat_len(&spec.ret)];
            // SAFETY: as above.
            let status = unsafe { (spec.entry)(slots.as_ptr(), ret.as_mut_ptr()) };
            if status != 0 {
                return Err(status_error(status, &spec.local_names));
            }
            return to_python(py, &spec.ret, &ret, &mut 0, &mut None).map(Bound::unbind);
        }
        let mut ret = 0u64;
        // SAFETY: the entry was compiled for exactly these argument kinds and slot layout.
        let status = unsafe { (spec.entry)(slots.as_ptr(), &mut ret) };
        if status != 0 {
            return Err(status_error(status, &spec.local_names));
        }
        to_python(py, &spec.ret, &[ret], &mut 0, &mut None).map(Bound::unbind)
    }

    /// Types every argument, then runs (compiling first if needed).
    fn dispatch(&self, py: Python<'_>, args: &[Bound<'_, PyAny>]) -> PyResult<Py<PyAny>> {
        let ptrs: Vec<*mut ffi::PyObject> = args.iter().map(|a| a.as_ptr()).collect();
        self.dispatch_ptrs(py, &ptrs)
    }

    /// `dispatch` on borrowed object pointers (the vectorcall fast path: no allocation when
    /// there are at most MAX_FAST_ARGS arguments and the specialization exists).
    pub(crate) fn dispatch_ptrs(&self, py: Python<'_>, args: &[*mut ffi::PyObject]) -> PyResult<Py<PyAny>> {
        let definitions = DEFINITIONS.load(Ordering::Relaxed);
        if self.checked_definitions.load(Ordering::Relaxed) != definitions {
            self.recheck_dependencies(py, definitions);
        }
        let n = args.len();
        let mut kinds_buf = [Kind::Int64; MAX_FAST_ARGS];
        let mut slots_buf = [0u64; MAX_FAST_ARGS];
        let mut kinds_vec;
        let mut slots_vec;
        let (kinds, slots): (&mut [Kind], &mut [u64]) = if n <= MAX_FAST_ARGS {
            (&mut kinds_buf[..n], &mut slots_buf[..n])
        } else {
            kinds_vec = vec![Kind::Int64; n];
            slots_vec = vec![0u64; n];
            (&mut kinds_vec[..], &mut slots_vec[..])
        };
        // Tuple arguments' elements (the slot holds a pointer into one of these).
        let mut buffers: Vec<Vec<u64>> = Vec::new();
        for (i, &a) in args.iter().enumerate() {
            // SAFETY: the caller holds a reference to every argument for the whole call.
            let (k, s) = match unsafe { classify_fast(a) } {
                Some(x) => x,
                None => {
                    classify_arg(py, unsafe { &Bound::from_borrowed_ptr(py, a) }, &self.name, &self.param_names[i], &mut buffers)?
                }
            };
            kinds[i] = k;
            slots[i] = s;
        }
        if let Some(spec) = self.find(kinds) {
            return self.call_spec(py, spec, slots, args);
        }
        self.compile_for(py, kinds)?;
        let spec = self.find(kinds).expect("just compiled");
        self.call_spec(py, spec, slots, args)
    }

    /// The call with exactly one positional argument per parameter (no keywords), or `None`
    /// when the call needs binding.
    pub(crate) fn fast_call(&self, py: Python<'_>, args: &[*mut ffi::PyObject]) -> Option<PyResult<Py<PyAny>>> {
        (args.len() == self.param_names.len() && !self.unsupported_signature).then(|| self.dispatch_ptrs(py, args))
    }

    /// A call with a tuple of positional arguments and a dict of keyword arguments.
    pub(crate) fn call_impl(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        if self.unsupported_signature {
            self.parsed_arc(py)?;
            return Err(PyTypeError::new_err(format!(
                "{}() has *args, **kwargs or keyword-only parameters, which are not compiled",
                self.name
            )));
        }
        if args.len() == self.param_names.len() && kwargs.is_none_or(|k| k.is_empty()) {
            let a: Vec<Bound<'_, PyAny>> = args.iter().collect();
            return self.dispatch(py, &a);
        }
        match self.bind(py, args, kwargs)? {
            Ok(bound) => self.dispatch(py, &bound),
            Err(()) => self.func(py).call(args, kwargs).map(Bound::unbind),
        }
    }

    /// Binds keyword arguments and defaults as CPython would; on any mismatch, lets CPython
    /// raise its own TypeError by calling the Python function (its binding fails the same way,
    /// so its body never runs).
    fn bind<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Result<Vec<Bound<'py, PyAny>>, ()>> {
        let n = self.param_names.len();
        if args.len() > n {
            return Ok(Err(()));
        }
        let mut bound: Vec<Option<Bound<'py, PyAny>>> = args.iter().map(Some).collect();
        bound.resize_with(n, || None);
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let k: String = k.extract()?;
                match self.param_names.iter().position(|p| *p == k) {
                    Some(i) if i >= self.posonly && bound[i].is_none() => bound[i] = Some(v),
                    _ => return Ok(Err(())),
                }
            }
        }
        let defaults = self.func(py).getattr("__defaults__")?;
        let defaults: Vec<Bound<'py, PyAny>> = if defaults.is_none() { Vec::new() } else { defaults.extract()? };
        let first_default = n - defaults.len();
        let mut out = Vec::with_capacity(n);
        for (i, b) in bound.into_iter().enumerate() {
            match b {
                Some(v) => out.push(v),
                None if i >= first_default => out.push(defaults[i - first_default].clone()),
                None => return Ok(Err(())),
            }
        }
        Ok(Ok(out))
    }

    /// Some function was decorated since the dependencies were last checked: drops every
    /// specialization compiled against a jitted function that a global name no longer refers
    /// to (the next call compiles it again, or finds it in the cache).
    #[cold]
    fn recheck_dependencies(&self, py: Python<'_>, definitions: u64) {
        // Each specialization's bindings are looked up once.
        let keep: Vec<bool> = self.specs().iter().map(|s| s.deps.iter().all(|d| d.holds(py))).collect();
        let stale: Vec<String> = self
            .specs()
            .iter()
            .zip(&keep)
            .filter(|(_, k)| !**k)
            .flat_map(|(s, _)| s.deps.iter().filter(|d| !d.holds(py)).map(|d| d.name().to_string()))
            .collect();
        if !stale.is_empty() {
            let mut keep = keep.into_iter();
            self.replace_specs(|specs| specs.retain(|_| keep.next().unwrap_or(true)));
            let mut names: Vec<String> = stale.into_iter().map(|n| format!("'{n}'")).collect();
            names.sort();
            names.dedup();
            *self.stale_reason.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("the jitted function {} it calls was redefined", names.join(", ")));
        }
        self.checked_definitions.store(definitions, Ordering::Relaxed);
    }

    /// The decorated function (the latest adopted one).
    fn func<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.py_func.lock().unwrap_or_else(|e| e.into_inner()).bind(py).clone()
    }

    /// The function's source, parsed (once). The lock is only held to read or set the slot:
    /// reading the source runs Python code, which may release the GIL, and another thread
    /// making the same first call must not wait on a lock the first one holds (it would hold
    /// the GIL while waiting: a deadlock). Two threads may both parse; the first result wins.
    pub(crate) fn parsed_arc(&self, py: Python<'_>) -> PyResult<Arc<Parsed>> {
        if let Some(p) = self.parsed.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(p.clone());
        }
        let fresh = self.parse_source(py)?;
        Ok(self.parsed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(fresh).clone())
    }

    /// The decorated function's `__globals__`.
    pub(crate) fn py_func_globals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Ok(self.func(py).getattr("__globals__")?.cast_into::<PyDict>()?)
    }

    /// Reads, parses and normalizes the source (no lock held: this calls Python).
    fn parse_source(&self, py: Python<'_>) -> PyResult<Arc<Parsed>> {
        let t0 = Instant::now();
        let support = py.import("stickyjit._support")?;
        let (filename, lines, first_line): (String, Option<Vec<String>>, u32) =
            support.call_method1("source_lines", (self.func(py),))?.extract()?;
        let t1 = Instant::now();
        let Some(lines) = lines else {
            let e = jit_core::CompileError::unsupported_because(
                "function without source",
                format!(
                    "no source for '{}': not in linecache under '{}', nor in the history of a ptpython or plain python prompt (a string passed to exec has none unless registered first: linecache.cache[filename] = (len(src), None, src.splitlines(True), filename))",
                    self.name, filename
                ),
                jit_core::ast::Span { line: first_line, col: 0 },
            );
            return Err(compile_error(py, &e, &filename, None));
        };
        let src = jit_core::parse::SourceFunction { lines: &lines, first_line, filename: &filename };
        let ast = match jit_core::parse::parse_function(&src) {
            Ok(a) => a,
            Err(e) => return Err(self.error_at(py, &e, &filename, &lines, first_line)),
        };
        let t2 = Instant::now();
        let fingerprint = jit_core::normalize::fingerprint(&ast);
        let timings = vec![("source", t1 - t0), ("parse", t2 - t1), ("normalize", t2.elapsed())];
        Ok(Arc::new(Parsed { filename, lines, first_line, ast, fingerprint, timings }))
    }

    fn error_at(&self, py: Python<'_>, e: &jit_core::CompileError, filename: &str, lines: &[String], first: u32) -> PyErr {
        let line = e.span().line.checked_sub(first).and_then(|i| lines.get(i as usize)).map(String::as_str);
        compile_error(py, e, filename, line)
    }

    /// What the globals the function reads are bound to. A jitted function (itself included) is
    /// numbered by `jitted(name, dispatcher)`, its index in the program being collected.
    pub(crate) fn env<'py>(
        &self,
        py: Python<'py>,
        slf_obj: &Bound<'py, PyAny>,
        parsed: &Parsed,
        jitted: &mut dyn FnMut(&str, &Bound<'py, PyAny>) -> u32,
    ) -> PyResult<Env> {
        let names = jit_core::lower::global_names(&parsed.ast);
        let support = py.import("stickyjit._support")?;
        let resolved = support
            .call_method1("resolve_globals", (self.func(py), PyList::new(py, &names)?, slf_obj, py.get_type::<Dispatcher>()))?;
        let mut env = Env { filename: parsed.filename.clone(), ..Default::default() };
        for item in resolved.try_iter()? {
            let (name, tag, payload): (String, String, Bound<'_, PyAny>) = item?.extract()?;
            let v = match tag.as_str() {
                "int" => GlobalValue::Int(payload.extract()?),
                "float" => GlobalValue::Float(payload.extract()?),
                "bool" => GlobalValue::Bool(payload.extract()?),
                "tuple" => crate::program::frozen_tuple(&payload)?,
                "module" => GlobalValue::Module(payload.extract()?),
                "math" => GlobalValue::MathFunction(payload.extract()?),
                "numpy" => GlobalValue::NumpyFunction(payload.extract()?),
                "numpy_dtype" => GlobalValue::NumpyDtype(payload.extract()?),
                "builtin" | "unsupported_builtin" => GlobalValue::Builtin(payload.extract()?),
                "self" => {
                    jitted(&name, slf_obj);
                    GlobalValue::SelfFunction
                }
                "jitted" if payload.is(slf_obj) => {
                    jitted(&name, slf_obj);
                    GlobalValue::SelfFunction
                }
                "jitted" => {
                    let unit = jitted(&name, &payload);
                    let qualname = payload.getattr("__qualname__").and_then(|q| q.extract()).unwrap_or_else(|_| name.clone());
                    GlobalValue::Jitted { name: qualname, unit }
                }
                "unsupported" => GlobalValue::Unsupported { description: payload.extract()?, is_function: false },
                "unsupported_fn" => GlobalValue::Unsupported { description: payload.extract()?, is_function: true },
                _ => GlobalValue::Undefined,
            };
            env.globals.insert(name, v);
        }
        let defaults = self.func(py).getattr("__defaults__")?;
        let defaults: Vec<Bound<'_, PyAny>> = if defaults.is_none() { Vec::new() } else { defaults.extract()? };
        let n = self.param_names.len();
        env.defaults = vec![None; n];
        for (i, d) in defaults.iter().enumerate() {
            let slot = n - defaults.len() + i;
            // SAFETY: `d` is alive (held by `defaults`) and the GIL is held.
            env.defaults[slot] = unsafe { classify_fast(d.as_ptr()) }.map(|(kind, s)| match kind {
                Kind::Float64 => ConstValue::Float(f64::from_bits(s)),
                Kind::Bool => ConstValue::Bool(s != 0),
                _ => ConstValue::Int(s as i64),
            });
        }
        Ok(env)
    }

    fn compile_with(&self, py: Python<'_>, kinds: &[Kind], capture: Capture) -> PyResult<(jit_core::Compiled, Arc<Vec<Dep>>)> {
        let parsed = self.parsed_arc(py)?;
        let me = self.func(py).getattr("__stickyjit_dispatcher__").ok();
        let me = match me {
            Some(d) if !d.is_none() => d,
            _ => self.func(py).clone(),
        };
        let t0 = Instant::now();
        let program = crate::program::collect(py, self, &me)?;
        let globals = t0.elapsed();
        let types: Vec<Type> = kinds.iter().map(|k| k.core_type()).collect();
        let units: Vec<jit_core::Unit> = program
            .members
            .iter()
            .map(|m| jit_core::Unit { func: &m.parsed.ast, fp: &m.parsed.fingerprint, env: &m.env })
            .collect();
        let unit_err = |(unit, e): (usize, jit_core::CompileError)| {
            let at = &program.members[unit].parsed;
            self.error_at(py, &e, &at.filename, &at.lines, at.first_line)
        };
        let err = |e: jit_core::CompileError| unit_err((0, e));
        let p = jit_core::prepare_program(&units, &types, &self.options, capture).map_err(unit_err)?;
        // The on-disk cache serves plain compiles (not the ones that capture IR or assembly).
        let store = (self.use_cache && !capture.llvm_ir && !capture.asm).then(|| crate::disk::store(py)).flatten();
        let key = p.code_key.clone();
        let mut from_disk = None;
        if let Some(store) = store {
            if jit_core::engine::lookup_loaded(&p.symbol).is_none() {
                from_disk = crate::disk::lookup(py, store, &key);
            }
        }
        let sig = signature_text(kinds);
        // An entry is only loaded when it says it is what is being loaded: its symbol, signature
        // and every key part equal this compile's (an entry renamed or copied under another key
        // is refused before any of it reaches the JIT, and the compile below replaces it).
        if let Some(why) = from_disk.as_ref().and_then(|e| crate::disk::entry_mismatch(e, &p, &sig)) {
            crate::disk::warn(
                py,
                &format!("stickyjit: cache entry {key} is not {}{sig}'s ({why}): ignored, recompiling", self.name),
            );
            from_disk = None;
        }
        let mut explanation = match (&from_disk, store) {
            (Some(_), _) => Explain::Said(format!("{}{sig} was loaded from the cache (entry {key})", self.name)),
            (None, Some(store)) => Explain::Miss {
                store,
                key: key.clone(),
                file: parsed.filename.clone(),
                sig: sig.clone(),
                parts: p.key_parts.clone(),
            },
            (None, None) if !self.use_cache => Explain::Said(format!("{}{sig} was compiled: cache=False", self.name)),
            (None, None) => Explain::Said(format!(
                "{}{sig} was compiled: the cache is off or unusable (STICKYJIT_CACHE, or a warning said why)",
                self.name
            )),
        };
        let mut c = match (from_disk, store) {
            (Some(entry), Some(store)) => match jit_core::load_object(p, entry.object) {
                Ok(c) => c,
                Err(e) => {
                    // An entry that passed its checksum but does not load: never an error for
                    // the caller; drop it and compile.
                    crate::disk::warn(py, &format!("stickyjit: cache entry {key} could not be loaded ({e}); recompiling"));
                    store.remove(&key);
                    explanation = Explain::Said(format!("{}{sig} was compiled: its cache entry could not be loaded", self.name));
                    let p = jit_core::prepare_program(&units, &types, &self.options, capture).map_err(unit_err)?;
                    self.compile_and_store(py, p, Some(store), &parsed, &sig, capture).map_err(|e| e.into_py(err))?
                }
            },
            _ => self.compile_and_store(py, p, store, &parsed, &sig, capture).map_err(|e| e.into_py(err))?,
        };
        if let Some(reason) = self.stale_reason.lock().unwrap_or_else(|e| e.into_inner()).take() {
            explanation = Explain::Because(reason, Box::new(explanation));
        }
        if !capture.llvm_ir && !capture.asm {
            if std::env::var("STICKYJIT_EXPLAIN").is_ok_and(|v| v != "0" && !v.is_empty()) {
                eprintln!("stickyjit: {}", explanation.text(&self.name));
            }
            *self.last_explain.lock().unwrap_or_else(|e| e.into_inner()) = Some(explanation);
        }
        // The stage names of docs/architecture.md and of the criterion benches (benches/stages);
        // reading the source, parsing and normalizing happen at the function's first compile.
        let first = if self.specs().is_empty() { parsed.timings.clone() } else { Vec::new() };
        c.timings.splice(0..0, first.into_iter().chain([("globals", globals)]));
        Ok((c, Arc::new(program.deps)))
    }

    /// Generates, optimizes, emits and loads `p` (on the compile thread: Ctrl-C interrupts it);
    /// writes the object to `store`.
    fn compile_and_store(
        &self,
        py: Python<'_>,
        p: jit_core::Prepared,
        store: Option<&'static cache::Store>,
        parsed: &Parsed,
        signature: &str,
        capture: Capture,
    ) -> Result<jit_core::Compiled, crate::interruptible::Stopped> {
        let key = p.code_key.clone();
        let parts = p.key_parts.clone();
        let what = format!("{}{signature}", self.name);
        let c = crate::interruptible::finish(py, p, &self.options, capture, &what)?;
        if let (Some(store), false) = (store, c.object.is_empty()) {
            let meta = [
                ("function", self.name.clone()),
                ("file", parsed.filename.clone()),
                ("signature", signature.to_string()),
                ("return", c.ret.to_string()),
                ("symbol", c.symbol.clone()),
                ("stickyjit", jit_core::VERSION.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .chain(parts.into_iter().map(|(n, v)| (format!("part:{n}"), v)))
            .collect();
            crate::disk::save(py, store, &key, &cache::Entry { meta, object: c.object.clone() });
        }
        Ok(c)
    }

    fn compile_for(&self, py: Python<'_>, kinds: &[Kind]) -> PyResult<()> {
        // Compiled loops poll a flag our SIGINT handler sets; put it back in front of a handler
        // installed since (signal.signal replaces it).
        jit_core::interrupt::install_sigint_chain();
        let dump = std::env::var("STICKYJIT_DUMP").unwrap_or_default();
        let wants = |what: &str| dump.split(',').any(|w| w.trim().eq_ignore_ascii_case(what) || w.trim() == "all");
        let capture = Capture { typed_ir: wants("ir"), llvm_ir: wants("llvm"), asm: wants("asm") };
        let t0 = Instant::now();
        let (c, deps) = self.compile_with(py, kinds, capture)?;
        // Only code LLVM made here counts (not an object loaded from the cache or already in
        // the JIT).
        if c.timings.iter().any(|(stage, _)| *stage == "emit") {
            COMPILES.fetch_add(1, Ordering::Relaxed);
        }
        let sig = signature_text(kinds);
        if let Some(t) = &c.typed_ir {
            eprintln!("--- stickyjit typed IR: {}{sig} ---\n{t}", self.name);
        }
        if let Some((unopt, opt)) = &c.llvm_ir {
            eprintln!("--- stickyjit LLVM IR (unoptimized): {}{sig} ---\n{unopt}", self.name);
            eprintln!("--- stickyjit LLVM IR (optimized): {}{sig} ---\n{opt}", self.name);
        }
        if let Some(a) = &c.asm {
            eprintln!("--- stickyjit assembly: {}{sig} ---\n{a}", self.name);
        }
        if std::env::var("STICKYJIT_TIMINGS").is_ok_and(|v| v != "0" && !v.is_empty()) {
            let parts: Vec<String> = c.timings.iter().map(|(n, d)| format!("{n}={:.3}ms", d.as_secs_f64() * 1e3)).collect();
            eprintln!("stickyjit: compiled {}{sig} in {:.3}ms: {}", self.name, t0.elapsed().as_secs_f64() * 1e3, parts.join(" "));
        }
        let arrays = c.allocates || holds_array(&c.ret);
        self.publish(Spec {
            kinds: kinds.to_vec(),
            entry: c.entry,
            ret: c.ret,
            local_names: Arc::new(c.local_names),
            arrays,
            deps,
        });
        Ok(())
    }

    fn inspect(&self, py: Python<'_>, which: &str, signature: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let capture = Capture { typed_ir: which == "types", llvm_ir: which == "llvm", asm: which == "asm" };
        let out = PyDict::new(py);
        let all: Vec<Vec<Kind>> = self.specs().iter().map(|s| s.kinds.clone()).collect();
        for kinds in all {
            let key = PyTuple::new(py, kinds.iter().map(|k| k.name()))?;
            if let Some(sig) = signature {
                if !key.eq(sig)? {
                    continue;
                }
            }
            let (c, _) = self.compile_with(py, &kinds, capture)?;
            let text = match which {
                "types" => c.typed_ir.unwrap_or_default(),
                "llvm" => c.llvm_ir.map(|(_, o)| o).unwrap_or_default(),
                _ => c.asm.unwrap_or_default(),
            };
            if signature.is_some() {
                return Ok(PyString::new(py, &text).into_any().unbind());
            }
            out.set_item(key, text)?;
        }
        if let Some(sig) = signature {
            return Err(PyTypeError::new_err(format!("{} has no specialization for {}", self.name, sig.repr()?)));
        }
        Ok(out.into_any().unbind())
    }
}

fn signature_text(kinds: &[Kind]) -> String {
    format!("({})", kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "))
}

#[pymethods]
impl Dispatcher {
    #[new]
    #[pyo3(signature = (py_func, opt_level = 3, cache = true, boundscheck = true))]
    fn new(py: Python<'_>, py_func: Bound<'_, PyAny>, opt_level: u8, cache: bool, boundscheck: bool) -> PyResult<Self> {
        let code = py_func.getattr("__code__").map_err(|_| {
            PyTypeError::new_err(format!(
                "@jit needs a Python function, not {}",
                py_func.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?;
        let flags: u32 = code.getattr("co_flags")?.extract()?;
        let kwonly: usize = code.getattr("co_kwonlyargcount")?.extract()?;
        // CO_VARARGS | CO_VARKEYWORDS and keyword-only parameters: the parse stage names them.
        let unsupported_signature = flags & (0x4 | 0x8) != 0 || kwonly > 0;
        let nargs: usize = code.getattr("co_argcount")?.extract()?;
        let posonly: usize = code.getattr("co_posonlyargcount")?.extract()?;
        let varnames: Vec<String> = code.getattr("co_varnames")?.extract()?;
        let opt_level = match opt_level {
            2 => jit_core::optimize::OptLevel::O2,
            3 => jit_core::optimize::OptLevel::O3,
            other => return Err(PyTypeError::new_err(format!("opt_level must be 2 or 3, not {other}"))),
        };
        let name: String = py_func.getattr("__name__")?.extract()?;
        let _ = py;
        Ok(Dispatcher {
            vectorcall: Some(crate::vectorcall::call),
            py_func: Mutex::new(py_func.unbind()),
            name,
            param_names: varnames.into_iter().take(nargs).collect(),
            posonly,
            unsupported_signature,
            options: Options { opt_level, boundscheck },
            use_cache: cache,
            table: AtomicPtr::new(std::ptr::null_mut()),
            snapshots: Mutex::new(Vec::new()),
            last_explain: Mutex::new(None),
            parsed: Mutex::new(None),
            checked_definitions: AtomicU64::new(DEFINITIONS.load(Ordering::Relaxed)),
            stale_reason: Mutex::new(None),
        })
    }

    /// Calls through `tp_call` (C code calling with a tuple); Python code calls through
    /// `vectorcall::call`. Both end in `call_impl` or its fast path.
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        self.call_impl(py, args, kwargs)
    }

    /// A sticky hit: `func` (same sticky identity) was just decorated. When it lives in another
    /// globals dict (a notebook that runs each cell in a fresh namespace), it becomes the
    /// function whose globals are read, and specializations that call other jitted functions,
    /// resolved in the old dict, are dropped.
    fn _adopt(&self, py: Python<'_>, func: Bound<'_, PyAny>) -> PyResult<()> {
        let old = self.func(py);
        if old.getattr("__globals__")?.is(&func.getattr("__globals__")?) {
            return Ok(());
        }
        // The old function is released after the lock: its last reference going away may run
        // Python code.
        let old = std::mem::replace(&mut *self.py_func.lock().unwrap_or_else(|e| e.into_inner()), func.unbind());
        drop(old);
        if self.specs().iter().any(|s| !s.deps.is_empty()) {
            self.replace_specs(|specs| specs.retain(|s| s.deps.is_empty()));
            *self.stale_reason.lock().unwrap_or_else(|e| e.into_inner()) =
                Some("it was redefined in another namespace, where the functions it calls may differ".to_string());
        }
        Ok(())
    }

    /// A dispatcher stored in a class is a method, as a plain function would be (and as Numba's
    /// dispatcher is): `obj.m(x)` calls it with `obj` first, whose type then says whether it
    /// can be compiled (an instance of a class cannot: the TypeError names `self`).
    fn __get__<'py>(
        slf: Bound<'py, Self>,
        obj: Option<Bound<'py, PyAny>>,
        owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let _ = owner;
        match obj {
            Some(obj) if !obj.is_none() => {
                let py = slf.py();
                py.import("types")?.getattr("MethodType")?.call1((slf, obj))
            }
            _ => Ok(slf.into_any()),
        }
    }

    /// Why the last compile of this function was (or was not) a cache hit: which parts of the
    /// code key differ from the nearest earlier cache entry for the same function.
    fn explain(&self) -> String {
        self.last_explain
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|e| e.text(&self.name))
            .unwrap_or_else(|| format!("{} has not been compiled yet", self.name))
    }

    /// The argument-type signatures compiled so far, as tuples of type names.
    #[getter]
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for s in self.specs() {
            list.append(PyTuple::new(py, s.kinds.iter().map(|k| k.name()))?)?;
        }
        Ok(list)
    }

    #[getter]
    fn py_func(&self, py: Python<'_>) -> Py<PyAny> {
        self.func(py).unbind()
    }

    /// The typed IR of each specialization: `{signature: text}`, or one text for `signature`.
    #[pyo3(signature = (signature = None))]
    fn inspect_types(&self, py: Python<'_>, signature: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.inspect(py, "types", signature)
    }

    /// The optimized LLVM IR of each specialization.
    #[pyo3(signature = (signature = None))]
    fn inspect_llvm(&self, py: Python<'_>, signature: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.inspect(py, "llvm", signature)
    }

    /// The machine code of each specialization, as assembly text.
    #[pyo3(signature = (signature = None))]
    fn inspect_asm(&self, py: Python<'_>, signature: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        self.inspect(py, "asm", signature)
    }

    fn __repr__(&self) -> String {
        format!("<stickyjit.Dispatcher '{}'>", self.name)
    }
}
