//! The `stickyjit._native` extension module: exposes the dispatcher, the exceptions and stats.

mod args;
mod dispatcher;
mod errors;
mod vectorcall;

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Process-wide counters: `compiles` is the number of specializations compiled so far.
#[pyfunction]
fn stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("compiles", dispatcher::COMPILES.load(std::sync::atomic::Ordering::Relaxed))?;
    Ok(d)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<dispatcher::Dispatcher>()?;
    vectorcall::install(py)?;
    m.add("StickyJitError", py.get_type::<errors::StickyJitError>())?;
    m.add("CompileError", py.get_type::<errors::CompileError>())?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
