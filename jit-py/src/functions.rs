//! Jitted functions passed as arguments from Python (`apply(square, 3.0)`): each dispatcher
//! passed is a kind of its own (`Kind::Function`, an index into the process-wide table here,
//! which keeps it alive), compiled as a member of the caller's program (`Type::Function` of its
//! unit).

use std::sync::Mutex;

use pyo3::ffi;
use pyo3::prelude::*;

/// Every dispatcher passed as an argument so far, with its qualified name (for signatures):
/// `Kind::Function` indexes it. Only ever appended to, so an index never names another object.
static FUNCTIONS: Mutex<Vec<(Py<PyAny>, String)>> = Mutex::new(Vec::new());

/// The C name of the dispatcher's type (`dispatcher.rs`'s pyclass).
const DISPATCHER_TYPE: &[u8] = b"stickyjit._native.Dispatcher";

/// The table index of `ob` when it is a jitted function (a dispatcher).
pub(crate) fn index_of(ob: &Bound<'_, PyAny>) -> Option<u32> {
    // SAFETY: a live object's type has a NUL-terminated tp_name.
    let name = unsafe { std::ffi::CStr::from_ptr((*ffi::Py_TYPE(ob.as_ptr())).tp_name) }.to_bytes();
    if name != DISPATCHER_TYPE {
        return None;
    }
    let mut table = FUNCTIONS.lock().unwrap_or_else(|e| e.into_inner());
    let i = table.iter().position(|(f, _)| f.is(ob)).unwrap_or_else(|| {
        let name = ob.getattr("__qualname__").and_then(|q| q.extract()).unwrap_or_else(|_| "?".to_string());
        table.push((ob.clone().unbind(), name));
        table.len() - 1
    });
    Some(i as u32)
}

/// The qualified name of the function at table index `i`.
pub(crate) fn name(i: u32) -> String {
    FUNCTIONS.lock().unwrap_or_else(|e| e.into_inner())[i as usize].1.clone()
}

/// The dispatchers at table indices `ids`.
pub(crate) fn objects<'py>(py: Python<'py>, ids: &[u32]) -> Vec<Bound<'py, PyAny>> {
    let table = FUNCTIONS.lock().unwrap_or_else(|e| e.into_inner());
    ids.iter().map(|&i| table[i as usize].0.bind(py).clone()).collect()
}

/// What a TypeError adds for a callable passed that is not a jitted function.
pub(crate) fn not_jitted_hint(ob: &Bound<'_, PyAny>) -> &'static str {
    if ob.is_callable() {
        "; a Python function or builtin passed to a jitted function must itself be jitted: decorate it with @jit (a builtin: wrap it in a jitted function)"
    } else {
        ""
    }
}
