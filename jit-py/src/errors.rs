//! The Python exception hierarchy and the one place compiler errors and run-time statuses
//! become Python exceptions.

use pyo3::exceptions::{PyException, PyOverflowError, PyValueError, PyZeroDivisionError};
use pyo3::prelude::*;
use pyo3::types::PyString;

use jit_core::runtime::{describe_status, PyExceptionKind};
use jit_core::CompileError as CoreError;

pyo3::create_exception!(stickyjit._native, StickyJitError, PyException, "Base class of stickyjit's own errors.");
pyo3::create_exception!(
    stickyjit._native,
    CompileError,
    StickyJitError,
    "Code outside the compiled subset; `filename`, `lineno`, `col_offset` and `construct` say where and what."
);

pyo3::create_exception!(
    stickyjit._native,
    CacheWarning,
    pyo3::exceptions::PyUserWarning,
    "The on-disk cache could not be used (a damaged entry, an unusable directory); stickyjit compiled instead."
);

/// `file:line:col: message`, the source line, and a caret under the column.
pub fn compile_error(py: Python<'_>, e: &CoreError, filename: &str, source_line: Option<&str>) -> PyErr {
    let span = e.span();
    if let CoreError::ArgumentType { message, .. } = e {
        // The call's argument is wrong, not the code: CPython's exception for that.
        return pyo3::exceptions::PyTypeError::new_err(format!(
            "{message} (used as one at {filename}:{}:{})",
            span.line, span.col
        ));
    }
    let mut msg = format!("{filename}:{}:{}: {e}", span.line, span.col);
    if let Some(line) = source_line {
        let line = line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let caret = (span.col as usize).saturating_sub(indent);
        msg.push_str(&format!("\n    {trimmed}\n    {}^", " ".repeat(caret)));
    }
    let err = CompileError::new_err(msg);
    let value = err.value(py);
    let _ = value.setattr("filename", PyString::new(py, filename));
    let _ = value.setattr("lineno", span.line);
    let _ = value.setattr("col_offset", span.col);
    let _ = value.setattr("construct", e.construct());
    err
}

/// The exception CPython raises for the failure a compiled function reported.
pub fn status_error(status: u32, local_names: &[String]) -> PyErr {
    if status == jit_core::interrupt::PENDING_EXCEPTION {
        // A signal handler raised while compiled code polled (Ctrl-C: KeyboardInterrupt).
        return Python::attach(PyErr::take).unwrap_or_else(|| pyo3::exceptions::PyKeyboardInterrupt::new_err(()));
    }
    let (kind, msg) = describe_status(status, local_names);
    match kind {
        PyExceptionKind::ZeroDivisionError => PyZeroDivisionError::new_err(msg),
        PyExceptionKind::ValueError => PyValueError::new_err(msg),
        PyExceptionKind::OverflowError => PyOverflowError::new_err(msg),
        PyExceptionKind::UnboundLocalError => pyo3::exceptions::PyUnboundLocalError::new_err(msg),
        PyExceptionKind::RecursionError => pyo3::exceptions::PyRecursionError::new_err(msg),
        PyExceptionKind::IndexError => pyo3::exceptions::PyIndexError::new_err(msg),
        PyExceptionKind::MemoryError => pyo3::exceptions::PyMemoryError::new_err(msg),
    }
}
