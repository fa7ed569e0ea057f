//! The `stickyjit._native` extension module: exposes the dispatcher, the exceptions and stats.
//!
//! Modules, each using only those below it (`grep -n 'use crate::' jit-py/src/*.rs`):
//!
//! | module | job | uses |
//! | --- | --- | --- |
//! | `lib` | the Python module: registers the rest | all |
//! | [`ufunc`] | the `numpy.ufunc`s of `@vectorize`/`@guvectorize` and their native inner loop | args, dispatcher, errors |
//! | [`dispatcher`] | the object `@jit` returns: call path, binding, specialization table | args, cfunc, compile, errors, lists, program, returned, source, vectorcall |
//! | [`cfunc`] | `@cfunc`'s C callbacks: their C signatures, their failures reported as unraisable exceptions | args, errors |
//! | [`compile`] | one compile: program → cache or LLVM → code; dumps, `inspect_*`, `explain()`; serial `prange` loops warned | args, disk, errors, functions, interruptible, program, source |
//! | [`program`] | the program a compile needs: global resolution, frozen values, dependencies | args, errors, named_tuples, source |
//! | [`source`] | the decorated function, its source parsed once | errors |
//! | [`disk`] | the on-disk cache: policy (what is read, written, matched), `cache` CLI | errors |
//! | [`vectorcall`] | CPython's vectorcall protocol for a pyclass | — |
//! | [`interruptible`] | LLVM's part of a compile on a thread Ctrl-C can leave | — |
//! | [`sticky`] | the sticky identity of a decorated function | named_tuples, program |
//! | [`args`] | Python arguments → kinds and slots | functions, lists, named_tuples, strings |
//! | [`lists`] | Python lists passed in: copied into list blocks, changes copied back | returned, strings |
//! | [`returned`] | result slots → Python objects | named_tuples, strings |
//! | [`named_tuples`] | namedtuple classes and jitclasses at the boundary: their names, the class a namedtuple handed back is made of | functions |
//! | [`functions`] | jitted functions passed as arguments: the table their kinds index | — |
//! | [`strings`] | Python `str` ↔ string blocks | — |
//! | [`errors`] | exceptions; compiler errors and statuses → exceptions | — |
//! | [`registry`] | the compiler's registry of names (builtins, NumPy, dtypes) for `_support.py` | errors |

mod args;
mod cfunc;
mod compile;
mod disk;
mod dispatcher;
mod errors;
mod functions;
mod interruptible;
mod lists;
mod named_tuples;
mod program;
mod registry;
mod returned;
mod source;
mod sticky;
mod strings;
mod ufunc;
mod vectorcall;

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Process-wide counters: `compiles` (specializations compiled, not loaded from the cache),
/// `cache_hits`, `cache_misses`, `cache_writes` (the on-disk cache).
#[pyfunction]
fn stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    use std::sync::atomic::Ordering::Relaxed;
    d.set_item("compiles", compile::COMPILES.load(Relaxed))?;
    d.set_item("cache_hits", disk::HITS.load(Relaxed))?;
    d.set_item("cache_misses", disk::MISSES.load(Relaxed))?;
    d.set_item("cache_writes", disk::WRITES.load(Relaxed))?;
    Ok(d)
}

/// The BLAS library matrix products call (its path), looking it up if no product has yet: the
/// one `STICKYJIT_BLAS` names, else the first loaded shared object exporting CBLAS (NumPy's own);
/// `None` when there is none (products then use plain loops).
#[pyfunction]
fn blas_library(py: Python<'_>) -> Option<String> {
    py.detach(jit_core::linalg::blas_library)
}

/// Whether the BLAS lookup has happened in this process (it happens at the first matrix
/// product or `blas_library()`, never at import). For tests.
#[pyfunction]
fn _blas_looked_up() -> bool {
    jit_core::linalg::blas_looked_up()
}

/// Sets the number of threads `prange` loops use (Numba's `set_num_threads`): from 1 to the
/// maximum (`STICKYJIT_NUM_THREADS`, default the CPUs this process may use); ValueError else.
#[pyfunction]
fn set_num_threads(n: i64) -> PyResult<()> {
    jit_core::threads::set_num_threads(n).map_err(pyo3::exceptions::PyValueError::new_err)
}

/// The number of threads `prange` loops use now.
#[pyfunction]
fn get_num_threads() -> usize {
    jit_core::threads::num_threads()
}

/// The calling thread's number in parallel loops: 0 for a thread outside the pool (the one
/// that called compiled code), 1 and up for the pool's.
#[pyfunction]
fn get_thread_id() -> usize {
    jit_core::threads::thread_id()
}

/// The most threads `prange` loops may use (`STICKYJIT_NUM_THREADS`, else the CPU count).
#[pyfunction]
fn _max_threads() -> usize {
    jit_core::threads::max_threads()
}

/// The poll compiled code calls after a SIGINT (`jit_core::interrupt`): runs Python's signal
/// handlers, which only the main thread may do; nonzero when one raised (KeyboardInterrupt). Other
/// threads leave the flag set for the main thread and go on. Compiled code holds the GIL, except
/// under `nogil=True`, where the poll takes it back for the handlers and releases it again.
extern "C" fn check_signals() -> i32 {
    // SAFETY: getpid/gettid cannot fail; on Linux the main thread's id is the process id.
    if unsafe { libc::gettid() != libc::getpid() } {
        return 0;
    }
    jit_core::interrupt::SJ_RT_INTERRUPT.store(0, std::sync::atomic::Ordering::Relaxed);
    // SAFETY: the calling thread is a Python thread (it called compiled code from Python), so
    // PyGILState_Ensure gives it the GIL with its own thread state when it released it.
    unsafe {
        if pyo3::ffi::PyGILState_Check() != 0 {
            return pyo3::ffi::PyErr_CheckSignals();
        }
        let state = pyo3::ffi::PyGILState_Ensure();
        let raised = pyo3::ffi::PyErr_CheckSignals();
        pyo3::ffi::PyGILState_Release(state);
        raised
    }
}

/// Whether the calling thread holds the GIL (a parallel loop called so runs on that thread
/// alone: `jit_core::threads::set_gil_check`).
extern "C" fn holds_gil() -> i32 {
    // SAFETY: PyGILState_Check may be called from any thread, with or without the GIL.
    unsafe { pyo3::ffi::PyGILState_Check() }
}

/// Where compiled `print()` writes a line: `sys.stdout.write` (so that notebooks and pytest
/// capture it; nothing when `sys.stdout` is None, as Python's print). Nonzero when it raised:
/// the exception is left pending for the call to raise (as after the Ctrl-C poll).
extern "C" fn write_stdout(data: *const u8, len: usize) -> i32 {
    // SAFETY: `output.rs` passes its line: `len` bytes of UTF-8.
    let text = String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(data, len) }).into_owned();
    Python::attach(|py| {
        let written = py.import("sys").and_then(|s| s.getattr("stdout")).and_then(|out| {
            if out.is_none() {
                return Ok(());
            }
            out.call_method1("write", (text,))?;
            if jit_core::output::take_flush() {
                out.call_method0("flush")?;
            }
            Ok(())
        });
        match written {
            Ok(()) => 0,
            Err(e) => {
                e.restore(py);
                1
            }
        }
    })
}

/// Runs only the parse stage over `lines` (a file's lines from a function's first line on, as
/// the dispatcher hands them over): `None` when it parses, else `(construct, line, col,
/// message)`. For tests (the standard-library sweep); never used on a call path.
#[pyfunction]
fn _parse_function(lines: Vec<String>, first_line: u32, filename: &str) -> Option<(String, u32, u32, String)> {
    let src = jit_core::parse::SourceFunction { lines: &lines, first_line, filename };
    jit_core::parse::parse_function(&src).err().map(|e| {
        let span = e.span();
        (e.construct().to_string(), span.line, span.col, e.to_string())
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<dispatcher::Dispatcher>()?;
    m.add_class::<program::Global>()?;
    vectorcall::install(&Bound::new(py, dispatcher::Dispatcher::placeholder(py))?)?;
    jit_core::interrupt::set_poll_hook(check_signals);
    jit_core::output::set_print_hook(write_stdout);
    jit_core::output::set_array_formatter(returned::format_array);
    jit_core::threads::set_gil_check(holds_gil);
    jit_core::cfunc::set_error_hook(cfunc::report);
    // The `random` module's messages changed in 3.12 (random::pyrandom).
    jit_core::random::pyrandom::set_python_minor(py.version_info().minor as u32);
    m.add("StickyJitError", py.get_type::<errors::StickyJitError>())?;
    m.add("CompileError", py.get_type::<errors::CompileError>())?;
    m.add("CacheWarning", py.get_type::<errors::CacheWarning>())?;
    m.add("ParallelWarning", py.get_type::<errors::ParallelWarning>())?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add_function(wrap_pyfunction!(_parse_function, m)?)?;
    m.add_function(wrap_pyfunction!(blas_library, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_thread_id, m)?)?;
    m.add_function(wrap_pyfunction!(_max_threads, m)?)?;
    m.add_function(wrap_pyfunction!(_blas_looked_up, m)?)?;
    m.add_function(wrap_pyfunction!(program::note_definition, m)?)?;
    m.add_function(wrap_pyfunction!(sticky::sticky_identity, m)?)?;
    m.add_function(wrap_pyfunction!(disk::cache_entries, m)?)?;
    m.add_function(wrap_pyfunction!(disk::cache_clear, m)?)?;
    m.add_function(wrap_pyfunction!(disk::cache_prune, m)?)?;
    m.add_function(wrap_pyfunction!(disk::cache_export_entries, m)?)?;
    m.add_function(wrap_pyfunction!(disk::cache_import_entries, m)?)?;
    m.add_function(wrap_pyfunction!(disk::versions, m)?)?;
    m.add_function(wrap_pyfunction!(interruptible::wait_for_compiles, m)?)?;
    // A compile abandoned after Ctrl-C must end before LLVM's static destructors run at exit.
    py.import("atexit")?.call_method1("register", (m.getattr("_wait_for_compiles")?,))?;
    m.add_function(wrap_pyfunction!(registry::registry, m)?)?;
    m.add_function(wrap_pyfunction!(ufunc::_make_ufunc, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
