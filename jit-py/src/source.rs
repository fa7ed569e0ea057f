//! The decorated Python function: its signature, and its source read, parsed and normalized once.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::types::PyDict;

use jit_core::ast::FunctionDef;
use jit_core::normalize::Fingerprint;

use crate::errors::compile_error;

/// What the first compile learns about the function and keeps.
pub(crate) struct Parsed {
    pub filename: String,
    pub lines: Vec<String>,
    pub first_line: u32,
    pub ast: FunctionDef,
    pub fingerprint: Fingerprint,
    /// How long reading the source, parsing and normalizing took (STICKYJIT_TIMINGS).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Parsed {
    /// `e`, raised at its place in this function's source.
    pub fn error(&self, py: Python<'_>, e: &jit_core::CompileError) -> PyErr {
        error_at(py, e, &self.filename, &self.lines, self.first_line)
    }
}

fn error_at(py: Python<'_>, e: &jit_core::CompileError, filename: &str, lines: &[String], first: u32) -> PyErr {
    let line = e.span().line.checked_sub(first).and_then(|i| lines.get(i as usize)).map(String::as_str);
    compile_error(py, e, filename, line)
}

/// A decorated function and what was parsed of it.
pub(crate) struct Function {
    /// The decorated function. A sticky hit from another namespace swaps in the new function
    /// (`adopt`), so that globals are looked up where the latest definition lives.
    py_func: Mutex<Py<PyAny>>,
    pub name: String,
    pub param_names: Vec<String>,
    /// How many of `param_names` are positional-only.
    pub posonly: usize,
    /// The last of `param_names` is `*args` (it takes the extra positional arguments as a tuple).
    pub vararg: bool,
    /// How many of `param_names`, after the positional ones (and before `*args`), are
    /// keyword-only (`def f(x, *, axis=-1)`).
    pub kwonly: usize,
    /// What the first compile parsed. Never held across a call into Python (`parsed`).
    parsed: Mutex<Option<Arc<Parsed>>>,
}

impl Function {
    pub fn new(py_func: Py<PyAny>, name: String, param_names: Vec<String>, posonly: usize) -> Self {
        Function { py_func: Mutex::new(py_func), name, param_names, posonly, vararg: false, kwonly: 0, parsed: Mutex::new(None) }
    }

    /// The function with `*args` as its last parameter (when `vararg`).
    pub fn with_vararg(self, vararg: bool) -> Self {
        Function { vararg, ..self }
    }

    /// The function with `kwonly` keyword-only parameters after its positional ones.
    pub fn with_kwonly(self, kwonly: usize) -> Self {
        Function { kwonly, ..self }
    }
    /// How many parameters take one argument each (all but `*args`, keyword-only ones too).
    pub fn positional(&self) -> usize {
        self.param_names.len() - self.vararg as usize
    }
    /// How many parameters a positional argument may fill (the first ones).
    pub fn by_position(&self) -> usize {
        self.positional() - self.kwonly
    }

    /// The decorated function (the latest adopted one).
    pub fn func<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.py_func.lock().unwrap_or_else(|e| e.into_inner()).bind(py).clone()
    }

    /// Makes `func` the decorated function; returns the one it replaces, which the caller drops
    /// after the lock is released (its last reference going away may run Python code).
    pub fn replace(&self, func: Bound<'_, PyAny>) -> Py<PyAny> {
        std::mem::replace(&mut *self.py_func.lock().unwrap_or_else(|e| e.into_inner()), func.unbind())
    }

    /// The decorated function's `__globals__`.
    pub fn globals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Ok(self.func(py).getattr("__globals__")?.cast_into::<PyDict>()?)
    }

    /// The decorated function's `__kwdefaults__` value for keyword-only parameter `name`.
    pub fn kwdefault<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let d = self.func(py).getattr("__kwdefaults__")?;
        if d.is_none() {
            return Ok(None);
        }
        d.get_item(name)
            .map(Some)
            .or_else(|e| if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) { Ok(None) } else { Err(e) })
    }

    /// The decorated function's `__defaults__` (for its last positional parameters).
    pub fn defaults<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let defaults = self.func(py).getattr("__defaults__")?;
        if defaults.is_none() {
            Ok(Vec::new())
        } else {
            defaults.extract()
        }
    }

    /// The function's source, parsed (once). The lock is only held to read or set the slot:
    /// reading the source runs Python code, which may release the GIL, and another thread
    /// making the same first call must not wait on a lock the first one holds (it would hold
    /// the GIL while waiting: a deadlock). Two threads may both parse; the first result wins.
    pub fn parsed(&self, py: Python<'_>) -> PyResult<Arc<Parsed>> {
        if let Some(p) = self.parsed.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(p.clone());
        }
        let fresh = self.parse_source(py)?;
        Ok(self.parsed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(fresh).clone())
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
            Err(e) => return Err(error_at(py, &e, &filename, &lines, first_line)),
        };
        let t2 = Instant::now();
        let fingerprint = jit_core::normalize::fingerprint(&ast);
        let timings = vec![("source", t1 - t0), ("parse", t2 - t1), ("normalize", t2.elapsed())];
        Ok(Arc::new(Parsed { filename, lines, first_line, ast, fingerprint, timings }))
    }
}
