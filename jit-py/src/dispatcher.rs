//! The dispatcher (Numba's name): the object `@jit` returns, and its call path. It types each
//! call's arguments, finds the specialization compiled for exactly those types in its table, and
//! has one compiled (`compile.rs`) on a miss.

use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use jit_core::abi::{self, EntryFn, Slot};
use jit_core::{Options, Type};

use crate::args::{classify_arg, classify_fast, Kind};
use crate::compile::{Compiler, Declared};
use crate::errors::status_error_traced;
use crate::program::{Dep, Jitted, DEFINITIONS};
use crate::returned::{holds_array, to_python, Owners};
use crate::source::Function;
use crate::vectorcall::VectorCall;

const MAX_FAST_ARGS: usize = 8;

/// A signature as `jit()` hands it over: its argument type descriptors
/// (`stickyjit.types.native`), its return type's (or None), and its text.
type DeclaredDescriptor<'py> = (Vec<Bound<'py, PyAny>>, Option<Bound<'py, PyAny>>, String);

/// One specialization: the code compiled for one tuple of argument kinds.
#[derive(Clone)]
struct Spec {
    kinds: Vec<Kind>,
    entry: EntryFn,
    ret: Type,
    /// How many slots the result takes (`abi::result_slots(ret)`: a tuple comes back flattened).
    ret_slots: usize,
    local_names: Arc<Vec<String>>,
    /// The program's sites (a failure's traceback lines).
    sites: Arc<jit_core::traceback::Sites>,
    /// The code makes new arrays or returns arrays: the arena (and the arguments) are looked at
    /// after each call.
    arrays: bool,
    /// Some argument is a list (`Kind::List`): its changes are copied back after each call.
    lists: bool,
    /// The bindings to other jitted functions the code was compiled against.
    deps: Arc<Vec<Dep>>,
    /// Bit `i`: the call left out argument `i`, whose default is a constant of this code
    /// (`program::omitted_mask`); a call that passes it finds another specialization.
    omitted: u64,
    /// The GIL is released while the code runs (`nogil=True`, or a loop of the program runs on
    /// the thread pool, whose threads may print).
    release_gil: bool,
}

#[pyclass(module = "stickyjit._native", name = "Dispatcher", frozen, dict, weakref)]
pub struct Dispatcher {
    /// CPython calls the dispatcher through this pointer (the vectorcall protocol: arguments
    /// in a C array, no tuple): `vectorcall::call`. Its offset in the object is set on the type
    /// at import (`vectorcall::install`).
    vectorcall: Option<ffi::vectorcallfunc>,
    /// The decorated function, its signature and its parsed source.
    function: Function,
    /// `*args`, `**kwargs` or keyword-only parameters: never compiled; every call reports why.
    unsupported_signature: bool,
    /// Its options, and what its last compile did (`explain()`).
    compiler: Compiler,
    /// Immutable snapshot of the specializations, swapped whole on each compile; readers never lock.
    table: AtomicPtr<Vec<Spec>>,
    /// Every snapshot ever published, kept alive so a reader's pointer stays valid. Boxed: `table`
    /// points at the `Vec` header itself, which must not move when this list grows.
    #[allow(clippy::vec_box)]
    snapshots: Mutex<Vec<Box<Vec<Spec>>>>,
    /// The value of `program::DEFINITIONS` when the specializations' dependencies were last
    /// known to hold.
    checked_definitions: AtomicU64,
    /// `nogil=True`: compiled code runs with the GIL released.
    nogil: bool,
    /// `locals={name: type}`: the variables declared a number type ([`jit_core::lower::Env::declared`]).
    local_types: Vec<(String, jit_core::types::Dtype)>,
    /// The number type its signatures all declare it returns ([`jit_core::lower::Env::ret_dtype`]).
    ret_dtype: Option<jit_core::types::Dtype>,
}

impl Jitted for Dispatcher {
    fn function(&self) -> &Function {
        &self.function
    }
    fn parallel(&self) -> bool {
        self.compiler.options().parallel
    }
    fn declared_locals(&self) -> &[(String, jit_core::types::Dtype)] {
        &self.local_types
    }
    fn declared_ret_dtype(&self) -> Option<jit_core::types::Dtype> {
        self.ret_dtype
    }
}

impl VectorCall for Dispatcher {
    fn vectorcall_field(&self) -> &Option<ffi::vectorcallfunc> {
        &self.vectorcall
    }

    /// The call with exactly one positional argument per parameter (no keywords), or `None`
    /// when the call needs binding.
    fn fast_call(&self, py: Python<'_>, args: &[*mut ffi::PyObject]) -> Option<PyResult<Py<PyAny>>> {
        (args.len() == self.function.param_names.len()
            && !self.unsupported_signature
            && !self.function.vararg
            && self.function.kwonly == 0)
            .then(|| self.dispatch_ptrs(py, args, 0))
    }

    fn call_impl(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        if self.unsupported_signature {
            self.function.parsed(py)?;
            return Err(PyTypeError::new_err(format!(
                "{}() has **kwargs or keyword-only parameters, which are not compiled",
                self.function.name
            )));
        }
        if args.len() == self.function.param_names.len()
            && kwargs.is_none_or(|k| k.is_empty())
            && !self.function.vararg
            && self.function.kwonly == 0
        {
            let a: Vec<Bound<'_, PyAny>> = args.iter().collect();
            return self.dispatch(py, &a, 0);
        }
        match self.bind(py, args, kwargs)? {
            Ok((bound, omitted)) => self.dispatch(py, &bound, omitted),
            Err(()) => self.function.func(py).call(args, kwargs).map(Bound::unbind),
        }
    }
}

impl Dispatcher {
    /// A dispatcher of nothing, for `vectorcall::install` to measure the object's layout with.
    pub(crate) fn placeholder(py: Python<'_>) -> Self {
        Dispatcher {
            vectorcall: None,
            function: Function::new(py.None(), String::new(), Vec::new(), 0),
            unsupported_signature: true,
            compiler: Compiler::new(Options::default(), false, Vec::new()),
            table: AtomicPtr::new(std::ptr::null_mut()),
            snapshots: Mutex::new(Vec::new()),
            checked_definitions: AtomicU64::new(0),
            nogil: false,
            local_types: Vec::new(),
            ret_dtype: None,
        }
    }

    fn specs(&self) -> &[Spec] {
        // SAFETY: the pointer is null or points into a Box kept in `snapshots` for our lifetime.
        unsafe { self.table.load(Ordering::Acquire).as_ref().map(|v| v.as_slice()).unwrap_or(&[]) }
    }

    fn find(&self, kinds: &[Kind], omitted: u64) -> Option<&Spec> {
        self.specs().iter().find(|s| s.kinds == kinds && s.omitted == omitted)
    }

    /// Adds a specialization, unless another thread published one for the same argument types
    /// meanwhile (compiles are not serialized: see `Function::parsed`).
    fn publish(&self, spec: Spec) {
        self.replace_specs(|specs| {
            if !specs.iter().any(|s| s.kinds == spec.kinds && s.omitted == spec.omitted) {
                specs.push(spec)
            }
        });
    }

    /// Publishes a new snapshot: the current specializations, changed by `edit`.
    fn replace_specs(&self, edit: impl FnOnce(&mut Vec<Spec>)) {
        let mut snaps = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        let mut next: Vec<Spec> = self.specs().to_vec();
        edit(&mut next);
        let mut boxed = Box::new(next);
        let ptr: *mut Vec<Spec> = &mut *boxed;
        snaps.push(boxed);
        self.table.store(ptr, Ordering::Release);
    }

    fn call_spec(&self, py: Python<'_>, spec: &Spec, slots: &[Slot], args: &[*mut ffi::PyObject]) -> PyResult<Py<PyAny>> {
        // The result's slots (no allocation for a scalar, which takes one).
        let mut scalar: Slot = 0;
        let mut flat;
        let ret: &mut [Slot] = if spec.ret_slots <= 1 {
            std::slice::from_mut(&mut scalar)
        } else {
            flat = vec![0; spec.ret_slots];
            &mut flat
        };
        // SAFETY: the entry was compiled for exactly these argument kinds and slot layout, and
        // writes `ret_slots` slots.
        let status = if spec.release_gil {
            // Compiled code touches no Python object (its Ctrl-C poll takes the GIL back to run
            // the signal handlers: `check_signals`); the caller keeps every argument alive.
            let (entry, args_at, ret_at) = (spec.entry, slots.as_ptr() as usize, ret.as_mut_ptr() as usize);
            py.detach(move || unsafe { entry(args_at as *const Slot, ret_at as *mut Slot) })
        } else {
            unsafe { (spec.entry)(slots.as_ptr(), ret.as_mut_ptr()) }
        };
        // List arguments: what compiled code changed goes back into the caller's lists (before
        // the call's blocks are taken below).
        let reflected = if spec.lists { reflect_lists(py, &spec.kinds, slots, args, spec.arrays) } else { Ok(()) };
        // Arrays: made from the arena (freed here for whatever is not returned, whatever the
        // status) or views of the arguments.
        let mut owners = spec.arrays.then(|| Owners::take(args));
        reflected?;
        if status != abi::STATUS_OK {
            return Err(status_error_traced(py, status, &spec.local_names, &spec.sites));
        }
        to_python(py, &spec.ret, ret, &mut 0, &mut owners).map(Bound::unbind)
    }

    /// Types every argument, then runs (compiling first if needed); `omitted` as in [`Spec`].
    fn dispatch(&self, py: Python<'_>, args: &[Bound<'_, PyAny>], omitted: u64) -> PyResult<Py<PyAny>> {
        let ptrs: Vec<*mut ffi::PyObject> = args.iter().map(|a| a.as_ptr()).collect();
        self.dispatch_ptrs(py, &ptrs, omitted)
    }

    /// `dispatch` on borrowed object pointers (the vectorcall fast path: no allocation when
    /// there are at most MAX_FAST_ARGS arguments and the specialization exists).
    fn dispatch_ptrs(&self, py: Python<'_>, args: &[*mut ffi::PyObject], omitted: u64) -> PyResult<Py<PyAny>> {
        let definitions = DEFINITIONS.load(Ordering::Relaxed);
        if self.checked_definitions.load(Ordering::Relaxed) != definitions {
            self.recheck_dependencies(py, definitions);
        }
        let n = args.len();
        let mut kinds_buf = [Kind::Int64; MAX_FAST_ARGS];
        let mut slots_buf: [Slot; MAX_FAST_ARGS] = [0; MAX_FAST_ARGS];
        let mut kinds_vec;
        let mut slots_vec;
        let (kinds, slots): (&mut [Kind], &mut [Slot]) = if n <= MAX_FAST_ARGS {
            (&mut kinds_buf[..n], &mut slots_buf[..n])
        } else {
            kinds_vec = vec![Kind::Int64; n];
            slots_vec = vec![0; n];
            (&mut kinds_vec[..], &mut slots_vec[..])
        };
        // Tuple arguments' elements (the slot holds a pointer into one of these).
        let mut buffers: Vec<Vec<Slot>> = Vec::new();
        for (i, &a) in args.iter().enumerate() {
            // SAFETY: the caller holds a reference to every argument for the whole call.
            let classified = match unsafe { classify_fast(a) } {
                Some(x) => Ok(x),
                None => classify_arg(
                    py,
                    unsafe { &Bound::from_borrowed_ptr(py, a) },
                    &self.function.name,
                    &self.function.param_names[i],
                    &mut buffers,
                ),
            };
            let (k, s) = match classified {
                Ok(x) => x,
                Err(e) => {
                    drop_list_blocks(&kinds[..i], slots);
                    return Err(e);
                }
            };
            kinds[i] = k;
            slots[abi::arg_slot(i)] = s;
        }
        if let Some(spec) = self.find(kinds, omitted) {
            return self.call_spec(py, spec, slots, args);
        }
        let called = if !self.compiler.declared.is_empty() {
            self.call_declared(py, kinds, slots, args)
        } else {
            self.compile_for(py, kinds, omitted)
                .map(|_| {
                    let spec = self.find(kinds, omitted).expect("just compiled");
                    self.call_spec(py, spec, slots, args)
                })
                .and_then(|r| r)
        };
        // A compile that failed never ran the call: the list arguments' blocks are dropped here
        // (a call that ran dropped them itself).
        if called.is_err() && kinds.iter().any(|k| matches!(k, Kind::List(_))) && self.find(kinds, omitted).is_none() {
            drop_list_blocks(kinds, slots);
        }
        called
    }

    /// A call of a function given signatures, whose argument kinds are none of them: runs the
    /// signature its arguments convert to with the fewest conversions (the first of those), or
    /// raises TypeError naming the signatures (Numba's "No matching definition").
    #[cold]
    fn call_declared(&self, py: Python<'_>, kinds: &[Kind], slots: &[Slot], args: &[*mut ffi::PyObject]) -> PyResult<Py<PyAny>> {
        let mut best: Option<(usize, &Spec)> = None;
        for spec in self.specs() {
            let mut cost = 0;
            let fits = spec.kinds.iter().zip(kinds).enumerate().all(|(i, (&to, &from))| {
                cost += usize::from(to != from);
                crate::args::convert(from, to, slots[abi::arg_slot(i)]).is_some()
            });
            if fits && best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, spec));
            }
        }
        let Some((_, spec)) = best else {
            let given: Vec<String> = self.compiler.declared.iter().map(|d| d.text.clone()).collect();
            return Err(PyTypeError::new_err(format!(
                "No matching definition for argument type(s) {} of {}(): its signatures are {}",
                crate::compile::signature_text(kinds),
                self.function.name,
                given.join(", ")
            )));
        };
        let mut converted = slots.to_vec();
        for (i, (&to, &from)) in spec.kinds.iter().zip(kinds).enumerate() {
            let at = abi::arg_slot(i);
            match crate::args::convert(from, to, slots[at]).expect("checked above") {
                Ok(s) => converted[at] = s,
                Err(why) => {
                    return Err(pyo3::exceptions::PyOverflowError::new_err(format!(
                        "{}() argument '{}': {why} (the signature's type)",
                        self.function.name, self.function.param_names[i]
                    )))
                }
            }
        }
        let spec = spec.clone();
        self.call_spec(py, &spec, &converted, args)
    }

    /// Compiles (or loads) the specialization for `kinds` and publishes it.
    fn compile_for(&self, py: Python<'_>, kinds: &[Kind], omitted: u64) -> PyResult<()> {
        let first = self.specs().is_empty();
        let (c, deps) = self.compiler.compile_for::<Dispatcher>(py, &self.function, kinds, omitted, first, None)?;
        self.publish(Spec {
            kinds: kinds.to_vec(),
            entry: c.entry,
            ret_slots: abi::result_slots(&c.ret),
            // A string argument's block is freed with the call's blocks.
            arrays: c.allocates || holds_array(&c.ret) || kinds.iter().any(|k| k.holds_strings()),
            lists: kinds.iter().any(|k| matches!(k, Kind::List(_))),
            ret: c.ret,
            local_names: Arc::new(c.local_names),
            sites: Arc::new(c.sites),
            deps,
            omitted,
            release_gil: self.nogil || c.parallel,
        });
        Ok(())
    }

    /// The entry compiled for arguments of exactly `kinds` (compiled or loaded first when
    /// needed), and the names of its locals (for the messages of its statuses): the inner
    /// loops of `@vectorize` ufuncs call it (`ufunc.rs`).
    pub(crate) fn entry_for(&self, py: Python<'_>, kinds: &[Kind]) -> PyResult<(EntryFn, Arc<Vec<String>>)> {
        if self.unsupported_signature || self.function.vararg || kinds.len() != self.function.param_names.len() {
            return Err(PyTypeError::new_err(format!("{}() cannot be a ufunc loop", self.function.name)));
        }
        if self.find(kinds, 0).is_none() {
            self.compile_for(py, kinds, 0)?;
        }
        let spec = self.find(kinds, 0).expect("just compiled");
        Ok((spec.entry, spec.local_names.clone()))
    }

    /// Binds keyword arguments and defaults as CPython would; on any mismatch, lets CPython
    /// raise its own TypeError by calling the Python function (its binding fails the same way,
    /// so its body never runs). With the values, the mask of the arguments left out whose
    /// defaults the code may take as constants (`Spec::omitted`).
    #[allow(clippy::type_complexity)]
    fn bind<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Result<(Vec<Bound<'py, PyAny>>, u64), ()>> {
        let n = self.function.positional();
        let by_position = self.function.by_position();
        let params = &self.function.param_names[..n];
        if args.len() > by_position && !self.function.vararg {
            return Ok(Err(()));
        }
        let mut bound: Vec<Option<Bound<'py, PyAny>>> = args.iter().take(by_position).map(Some).collect();
        bound.resize_with(n, || None);
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let k: String = k.extract()?;
                match params.iter().position(|p| *p == k) {
                    Some(i) if i >= self.function.posonly && bound[i].is_none() => bound[i] = Some(v),
                    _ => return Ok(Err(())),
                }
            }
        }
        let defaults = self.function.defaults(py)?;
        let first_default = by_position - defaults.len();
        let mut out = Vec::with_capacity(n);
        let mut omitted = 0u64;
        for (i, b) in bound.into_iter().enumerate() {
            let default = match &b {
                Some(_) => None,
                None if i >= by_position => self.function.kwdefault(py, &params[i])?,
                None if i >= first_default => Some(defaults[i - first_default].clone()),
                None => None,
            };
            match (b, default) {
                (Some(v), _) => out.push(v),
                (None, Some(d)) => {
                    if i < 64 && crate::program::is_constant_default(&d) {
                        omitted |= 1 << i;
                    }
                    out.push(d)
                }
                (None, None) => return Ok(Err(())),
            }
        }
        if self.function.vararg {
            // `*args`: the positional arguments past the others, as one tuple.
            out.push(PyTuple::new(py, args.iter().skip(by_position))?.into_any());
        }
        Ok(Ok((out, omitted)))
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
            self.compiler.note_stale(format!("the jitted function {} it calls was redefined", names.join(", ")));
        }
        self.checked_definitions.store(definitions, Ordering::Relaxed);
    }
}

#[pymethods]
impl Dispatcher {
    #[new]
    #[pyo3(signature = (py_func, opt_level = 3, cache = true, boundscheck = true, fastmath = Vec::new(), error_model = "python", nogil = false, parallel = false, signatures = Vec::new(), locals = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py_func: Bound<'_, PyAny>,
        opt_level: u8,
        cache: bool,
        boundscheck: bool,
        fastmath: Vec<String>,
        error_model: &str,
        nogil: bool,
        parallel: bool,
        signatures: Vec<DeclaredDescriptor<'_>>,
        locals: Vec<(String, String)>,
    ) -> PyResult<Self> {
        let code = py_func.getattr("__code__").map_err(|_| {
            PyTypeError::new_err(format!(
                "@jit needs a Python function, not {}",
                py_func.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?;
        let flags: u32 = code.getattr("co_flags")?.extract()?;
        let kwonly: usize = code.getattr("co_kwonlyargcount")?.extract()?;
        // CO_VARKEYWORDS and keyword-only parameters: the parse stage names them. CO_VARARGS
        // (`*args`) is compiled: its name follows the positional parameters'.
        let unsupported_signature = flags & 0x8 != 0;
        let vararg = flags & 0x4 != 0 && !unsupported_signature;
        let nargs: usize = code.getattr("co_argcount")?.extract()?;
        let posonly: usize = code.getattr("co_posonlyargcount")?.extract()?;
        let varnames: Vec<String> = code.getattr("co_varnames")?.extract()?;
        let opt_level = match opt_level {
            2 => jit_core::optimize::OptLevel::O2,
            3 => jit_core::optimize::OptLevel::O3,
            other => return Err(PyTypeError::new_err(format!("opt_level must be 2 or 3, not {other}"))),
        };
        let fastmath = jit_core::FastMath::from_names(fastmath.iter().map(String::as_str))
            .map_err(|bad| PyTypeError::new_err(format!("Unrecognized fastmath flag {bad:?}")))?;
        let error_model = match error_model {
            "python" => jit_core::ErrorModel::Python,
            "numpy" => jit_core::ErrorModel::Numpy,
            other => return Err(PyTypeError::new_err(format!("error_model must be 'python' or 'numpy', not {other:?}"))),
        };
        let name: String = py_func.getattr("__name__")?.extract()?;
        let local_types = locals
            .into_iter()
            .map(|(local, dtype)| match jit_core::types::Dtype::from_name(&dtype) {
                Some(d) => Ok((local, d)),
                None => {
                    Err(PyTypeError::new_err(format!("jit(locals=...) declares '{local}' {dtype}, which is not a number type")))
                }
            })
            .collect::<PyResult<Vec<_>>>()?;
        let mut declared = Vec::with_capacity(signatures.len());
        let mut ret_dtypes = Vec::with_capacity(signatures.len());
        for (arg_descs, ret, text) in &signatures {
            if vararg {
                return Err(PyTypeError::new_err(format!(
                    "the signature {text}: {name}() has *args, and signatures for *args are not compiled (leave the signature out: each call compiles for its arguments)"
                )));
            }
            if arg_descs.len() != nargs + kwonly || unsupported_signature {
                return Err(PyTypeError::new_err(format!(
                    "the signature {text} has {} argument type(s); {name}() takes {} parameter(s)",
                    arg_descs.len(),
                    nargs + kwonly
                )));
            }
            let kinds = arg_descs.iter().map(crate::args::kind_of_descriptor).collect::<PyResult<Vec<_>>>()?;
            let ret = ret.as_ref().map(crate::args::return_of_descriptor).transpose()?;
            ret_dtypes.push(ret.as_ref().and_then(|(_, d)| *d));
            declared.push(Declared { kinds, ret: ret.map(|(t, _)| t), text: text.clone() });
        }
        // The number type every signature returns, when they agree on one: each `return`
        // converts to it as Numba casts (an int64 into a declared int32 wraps), whoever calls.
        let ret_dtype = match ret_dtypes.split_first() {
            Some((Some(first), rest)) if rest.iter().all(|d| *d == Some(*first)) => Some(*first),
            _ => None,
        };
        let param_names = varnames.into_iter().take(nargs + kwonly + vararg as usize).collect();
        // CPython 3.12 made sum() of floats compensated (Options::compensated_sum).
        let compensated_sum = py_func.py().version_info() >= (3, 12);
        Ok(Dispatcher {
            vectorcall: Some(crate::vectorcall::call::<Dispatcher>),
            function: Function::new(py_func.unbind(), name, param_names, posonly).with_vararg(vararg).with_kwonly(kwonly),
            unsupported_signature,
            compiler: Compiler::new(
                Options { opt_level, boundscheck, fastmath, error_model, compensated_sum, parallel },
                cache,
                declared,
            ),
            table: AtomicPtr::new(std::ptr::null_mut()),
            snapshots: Mutex::new(Vec::new()),
            checked_definitions: AtomicU64::new(DEFINITIONS.load(Ordering::Relaxed)),
            nogil,
            local_types,
            ret_dtype,
        })
    }

    /// Compiles every signature given to the decorator that is not compiled yet (`jit` calls it
    /// when it decorates, as Numba compiles them eagerly).
    fn _compile_declared(&self, py: Python<'_>) -> PyResult<()> {
        for d in &self.compiler.declared {
            if self.find(&d.kinds, 0).is_none() {
                self.compile_for(py, &d.kinds, 0)?;
            }
        }
        Ok(())
    }

    /// Compiles (or loads from the cache) the `@cfunc` C callback of the signature whose argument
    /// and return descriptors (`stickyjit.types.native_signature`) are given, which the
    /// dispatcher was made with (its return type is declared): `(address, symbol)`. Failures of
    /// the callback are reported as unraisable exceptions naming `qualname` (`cfunc.rs`).
    fn _compile_cfunc(
        &self,
        py: Python<'_>,
        descriptors: Vec<Bound<'_, PyAny>>,
        ret: Bound<'_, PyAny>,
        qualname: String,
    ) -> PyResult<(usize, String)> {
        let n = self.function.param_names.len();
        if self.unsupported_signature || descriptors.len() != n {
            return Err(PyTypeError::new_err(format!(
                "the signature has {} argument type(s); {}() takes {n} parameter(s)",
                descriptors.len(),
                self.function.name
            )));
        }
        let kinds = descriptors.iter().map(crate::args::kind_of_descriptor).collect::<PyResult<Vec<_>>>()?;
        let sig = crate::cfunc::c_signature(&kinds, &ret)?;
        let (c, _) = self.compiler.compile_for::<Dispatcher>(py, &self.function, &kinds, 0, true, Some(&sig))?;
        let address = c.cfunc.ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("the C callback was not compiled"))?;
        let symbol = jit_core::cfunc::trampoline_symbol(&c.symbol);
        crate::cfunc::register(&symbol, qualname, c.local_names);
        Ok((address, symbol))
    }

    /// Compiles (or loads from the cache) the specialization a call with arguments of exactly
    /// these types runs, without running it (`python -m stickyjit cache warm`); `descriptors`
    /// as `stickyjit.types.native_signature` gives a signature's arguments. Returns the name of
    /// the return type it infers.
    fn _warm(&self, py: Python<'_>, descriptors: Vec<Bound<'_, PyAny>>) -> PyResult<String> {
        let n = self.function.param_names.len();
        if self.unsupported_signature || descriptors.len() != n {
            return Err(PyTypeError::new_err(format!(
                "the signature has {} argument type(s); {}() takes {n} parameter(s)",
                descriptors.len(),
                self.function.name
            )));
        }
        let kinds = descriptors.iter().map(crate::args::kind_of_descriptor).collect::<PyResult<Vec<_>>>()?;
        if self.find(&kinds, 0).is_none() {
            self.compile_for(py, &kinds, 0)?;
        }
        Ok(self.find(&kinds, 0).map(|s| s.ret.to_string()).unwrap_or_default())
    }

    /// Whether code of this function was dropped because a jitted function it calls was
    /// redefined since it was compiled (the check a call makes first). The ufuncs of
    /// `@vectorize` call their loops' entries directly, and rebuild when this says so.
    fn _recheck(&self, py: Python<'_>) -> bool {
        let definitions = DEFINITIONS.load(Ordering::Relaxed);
        if self.checked_definitions.load(Ordering::Relaxed) == definitions {
            return false;
        }
        let before = self.specs().len();
        self.recheck_dependencies(py, definitions);
        self.specs().len() != before
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
        let old = self.function.func(py);
        if old.getattr("__globals__")?.is(&func.getattr("__globals__")?) {
            return Ok(());
        }
        // Released after the lock (`Function::replace`).
        drop(self.function.replace(func));
        if self.specs().iter().any(|s| !s.deps.is_empty()) {
            self.replace_specs(|specs| specs.retain(|s| s.deps.is_empty()));
            self.compiler
                .note_stale("it was redefined in another namespace, where the functions it calls may differ".to_string());
        }
        Ok(())
    }

    /// A dispatcher stored in a class is a method, as a plain function would be (and as Numba's
    /// dispatcher is): `obj.m(x)` calls it with `obj` first, whose type then says whether it
    /// can be compiled (an instance of a class cannot: the TypeError names `self`). `owner`
    /// (the class) is part of the descriptor protocol and not needed.
    fn __get__<'py>(
        slf: Bound<'py, Self>,
        obj: Option<Bound<'py, PyAny>>,
        _owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
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
        self.compiler.explain(&self.function)
    }

    /// The argument-type signatures compiled so far, as tuples of type names.
    #[getter]
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for s in self.specs() {
            list.append(PyTuple::new(py, crate::compile::kind_names(&s.kinds, s.omitted))?)?;
        }
        Ok(list)
    }

    #[getter]
    fn py_func(&self, py: Python<'_>) -> Py<PyAny> {
        self.function.func(py).unbind()
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
        format!("<stickyjit.Dispatcher '{}'>", self.function.name)
    }
}

impl Dispatcher {
    fn inspect(&self, py: Python<'_>, which: &str, signature: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let compiled = self.specs().iter().map(|s| (s.kinds.clone(), s.omitted)).collect();
        self.compiler.inspect::<Dispatcher>(py, &self.function, compiled, which, signature)
    }
}

/// Copies back into the caller's lists what compiled code changed in their blocks
/// (`lists::reflect`); each block's dispatcher reference is dropped unless the call's live
/// blocks are taken (`taken`).
fn reflect_lists(py: Python<'_>, kinds: &[Kind], slots: &[Slot], args: &[*mut ffi::PyObject], taken: bool) -> PyResult<()> {
    let mut first_error = Ok(());
    for (i, k) in kinds.iter().enumerate() {
        if let Kind::List(item) = *k {
            // SAFETY: the caller holds the argument (a list: its kind says so) for the call.
            let l = unsafe { Bound::from_borrowed_ptr(py, args[i]) };
            let l = l.cast_into::<pyo3::types::PyList>().expect("a list argument");
            // SAFETY: the block made for this argument for this call.
            let r = unsafe { crate::lists::reflect(py, &l, item, slots[abi::arg_slot(i)], taken) };
            if first_error.is_ok() {
                first_error = r;
            }
        }
    }
    first_error
}

/// Drops the dispatcher's reference to the list blocks of a call that never ran.
fn drop_list_blocks(kinds: &[Kind], slots: &[Slot]) {
    for (i, k) in kinds.iter().enumerate() {
        if let Kind::List(_) = k {
            // SAFETY: the block `lists::to_block` made for this argument, not yet dropped.
            unsafe { jit_core::memory::drop_reference(slots[abi::arg_slot(i)] as usize as *mut jit_core::memory::Header) };
        }
    }
}
