//! `@cfunc`'s C callbacks (`python/stickyjit/_cfunc.py` makes the objects; jit-core's `cfunc`
//! emits the callbacks): the C signature a decorator's signature means, and the report of a
//! callback's failure. A C caller cannot take an exception, so a failed callback returns zero
//! and its exception goes to `sys.unraisablehook` (printed on stderr by default), with the GIL
//! taken for it, as Numba's C callbacks do.

use std::collections::HashMap;
use std::ffi::{c_char, CStr};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use jit_core::cfunc::{CSignature, CType};

use crate::args::Kind;

/// A callback's function name (for its reports) and its program's locals (for the messages of
/// its statuses).
type Callback = (String, Arc<Vec<String>>);

/// Each C callback compiled or loaded in this process, by symbol.
static CALLBACKS: Mutex<Option<HashMap<String, Callback>>> = Mutex::new(None);

/// Records the callback `symbol` of the function `qualname`.
pub(crate) fn register(symbol: &str, qualname: String, local_names: Vec<String>) {
    let mut table = CALLBACKS.lock().unwrap_or_else(|e| e.into_inner());
    table.get_or_insert_with(HashMap::new).insert(symbol.to_string(), (qualname, Arc::new(local_names)));
}

/// The C signature of a `@cfunc` whose arguments are of `kinds` and whose return type's
/// descriptor is `ret`: numbers (not complex), `CPointer(T)` and `voidptr` arguments; a number
/// or `void` result.
pub(crate) fn c_signature(kinds: &[Kind], ret: &Bound<'_, PyAny>) -> PyResult<CSignature> {
    let arg = |k: &Kind| -> PyResult<CType> {
        match k {
            Kind::Pointer(d) => Ok(CType::Pointer(*d)),
            k => match k.dtype() {
                Some(d) if !d.is_complex() => Ok(CType::Scalar(d)),
                _ => Err(PyTypeError::new_err(format!(
                    "a @cfunc takes numbers, CPointer(T) and voidptr arguments, not {}",
                    k.name()
                ))),
            },
        }
    };
    let args = kinds.iter().map(arg).collect::<PyResult<Vec<_>>>()?;
    let ret = if ret.extract::<String>().is_ok_and(|s| s == "none") {
        CType::Void
    } else {
        match crate::args::kind_of_descriptor(ret)? {
            Kind::Pointer(_) => return Err(PyTypeError::new_err("a @cfunc returns a number or void, not a pointer")),
            k => match arg(&k) {
                Ok(c) => c,
                Err(_) => {
                    return Err(PyTypeError::new_err(format!("a @cfunc returns a number or void, not {}", k.name())));
                }
            },
        }
    };
    Ok(CSignature { args, ret })
}

/// jit-core's error hook: the failure `status` of the callback `symbol` as the exception it
/// stands for, handed to `sys.unraisablehook` with the GIL held (taken here: the C caller may
/// have released it, or be a thread Python never saw).
pub(crate) extern "C" fn report(status: u32, symbol: *const c_char) {
    // SAFETY: the callback passes its own symbol, a NUL-terminated constant.
    let symbol = unsafe { CStr::from_ptr(symbol) }.to_string_lossy().into_owned();
    let found = {
        let table = CALLBACKS.lock().unwrap_or_else(|e| e.into_inner());
        table.as_ref().and_then(|t| t.get(&symbol).cloned())
    };
    let (qualname, local_names) = found.unwrap_or_else(|| (symbol.clone(), Arc::new(Vec::new())));
    // SAFETY: a plain query, valid at any time.
    if unsafe { pyo3::ffi::Py_IsInitialized() } == 0 {
        let (kind, msg) = jit_core::runtime::describe_status(status, &local_names);
        eprintln!("Exception ignored in the stickyjit C callback '{qualname}': {kind:?}: {msg}");
        return;
    }
    let reported = std::panic::catch_unwind(|| {
        Python::attach(|py| {
            // An exception the caller had pending is kept for it (a signal handler's, which the
            // status stands for, is the one reported).
            let pending = if jit_core::runtime::status_code(status) == jit_core::interrupt::PENDING_EXCEPTION {
                None
            } else {
                PyErr::take(py)
            };
            let err = crate::errors::status_error(status, &local_names);
            let context = pyo3::types::PyString::new(py, &format!("<stickyjit C callback '{qualname}'>"));
            err.write_unraisable(py, Some(context.as_any()));
            if let Some(p) = pending {
                p.restore(py);
            }
        })
    });
    if reported.is_err() {
        eprintln!("Exception ignored in the stickyjit C callback '{qualname}' (status {status})");
    }
}
