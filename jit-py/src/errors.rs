//! The Python exception hierarchy and the one place compiler errors and run-time statuses
//! become Python exceptions.

use pyo3::exceptions::{PyException, PyOverflowError, PyValueError, PyZeroDivisionError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyString};

use std::sync::OnceLock;

use jit_core::runtime::{describe_status, PyExceptionKind, Status};
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

pyo3::create_exception!(
    stickyjit._native,
    ParallelWarning,
    pyo3::exceptions::PyUserWarning,
    "A `prange` loop runs serially: its iterations could race (a value carried between them, an element two of them touch, ...), so it runs as `range`, which gives CPython's answer."
);

/// Warns that the `prange` loop `why` is about runs serially, at its place in the user's file:
/// a `ParallelWarning` (an error when the warnings filter makes it one).
pub fn warn_serial_loop(py: Python<'_>, why: &CoreError, filename: &str) -> PyResult<()> {
    let text = format!("this prange loop runs serially (as range): {}", why.reason());
    let message = std::ffi::CString::new(text.replace('\0', " ")).unwrap_or_default();
    let file = std::ffi::CString::new(filename.replace('\0', " ")).unwrap_or_default();
    let category = py.get_type::<ParallelWarning>();
    PyErr::warn_explicit(py, &category, &message, &file, why.span().line as i32, None, None)
}

/// The Python exception for a compile error, its text as [`CoreError::render`] writes it: a
/// TypeError for an argument of the wrong type (the call is wrong, not the code), else a
/// CompileError carrying where and what.
pub fn compile_error(py: Python<'_>, e: &CoreError, filename: &str, source_line: Option<&str>) -> PyErr {
    let msg = e.render(filename, source_line);
    if let CoreError::ArgumentType { .. } = e {
        return pyo3::exceptions::PyTypeError::new_err(msg);
    }
    let span = e.span();
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
    let code = jit_core::runtime::status_code(status);
    if code == jit_core::interrupt::PENDING_EXCEPTION {
        // A signal handler raised while compiled code polled (Ctrl-C: KeyboardInterrupt).
        return Python::attach(PyErr::take).unwrap_or_else(|| pyo3::exceptions::PyKeyboardInterrupt::new_err(()));
    }
    if code == jit_core::runtime::Status::Raised as u32 {
        return raised_error();
    }
    let (kind, mut msg) = describe_status(status, local_names);
    if let Some(own) = interpreter_message(status) {
        msg = own;
    }
    match kind {
        PyExceptionKind::ZeroDivisionError => PyZeroDivisionError::new_err(msg),
        PyExceptionKind::ValueError => PyValueError::new_err(msg),
        PyExceptionKind::OverflowError => PyOverflowError::new_err(msg),
        PyExceptionKind::UnboundLocalError => pyo3::exceptions::PyUnboundLocalError::new_err(msg),
        PyExceptionKind::RecursionError => pyo3::exceptions::PyRecursionError::new_err(msg),
        PyExceptionKind::IndexError => pyo3::exceptions::PyIndexError::new_err(msg),
        PyExceptionKind::MemoryError => pyo3::exceptions::PyMemoryError::new_err(msg),
        PyExceptionKind::AxisError => numpy_error("numpy.exceptions", "AxisError", msg),
        PyExceptionKind::LinAlgError => numpy_error("numpy.linalg", "LinAlgError", msg),
        PyExceptionKind::TypeError => pyo3::exceptions::PyTypeError::new_err(msg),
        PyExceptionKind::Raised => raised_error(),
    }
}

/// For a status whose failure is a plain CPython operation with a fixed message: that
/// operation, run by the interpreter itself (the first time the status is raised) to read its
/// message, so compiled code says what the running CPython says (`1.0 % 0.0` is "float modulo"
/// on 3.11 and 3.12, "float modulo by zero" on 3.13). The registry's message is the fallback.
const PROBES: &[(Status, &str)] = &[
    (Status::IntTrueDivZero, "1 / 0"),
    (Status::IntFloorDivZero, "1 // 0"),
    (Status::IntModZero, "1 % 0"),
    (Status::FloatDivZero, "1.0 / 0.0"),
    (Status::FloatFloorDivZero, "1.0 // 0.0"),
    (Status::FloatModZero, "1.0 % 0.0"),
    (Status::ZeroToNegativePower, "0.0 ** -1.0"),
    (Status::PowOverflow, "1e300 ** 2.0"),
    (Status::NegativeShift, "1 << -1"),
    (Status::FloatNanToInt, "int(float('nan'))"),
    (Status::FloatInfToInt, "int(float('inf'))"),
    (Status::RangeStepZero, "range(0, 1, 0)"),
    (Status::LogBaseOne, "__import__('math').log(2.0, 1.0)"),
    (Status::TupleIndexOutOfRange, "()[0]"),
    (Status::ComplexDivZero, "1j / 0j"),
    (Status::ComplexPowZero, "0j ** -1"),
    (Status::ComplexPowOverflow, "(1e200+1j) ** 2"),
    (Status::ComplexAbsOverflow, "abs(complex(1.5e308, 1.5e308))"),
    (Status::ListRemoveMissing, "[].remove(0)"),
    (Status::MinEmpty, "min([])"),
    (Status::MaxEmpty, "max([])"),
];

/// The probed messages, by status code (`PROBES`), each set once.
static PROBED: [OnceLock<Option<String>>; Status::ALL.len()] = [const { OnceLock::new() }; Status::ALL.len()];

/// The running interpreter's message for `status` (see [`PROBES`]), or `None` to use the
/// registry's: a status with no probe, or a probe that did not raise the status's exception.
pub fn interpreter_message(status: u32) -> Option<String> {
    let s = Status::from_code(status)?;
    let &(_, expr) = PROBES.iter().find(|(p, _)| *p == s)?;
    let cell = &PROBED[s.code() as usize];
    if let Some(m) = cell.get() {
        return m.clone();
    }
    // No lock is held while Python runs the probe: two threads may both probe; the first wins.
    let (kind, _) = s.exception_and_message();
    let probed = Python::attach(|py| {
        let code = std::ffi::CString::new(expr).ok()?;
        let err = py.eval(&code, None, None).err()?;
        let raised = err.get_type(py);
        (raised.name().ok()?.to_str().ok()? == kind.name()).then(|| err.value(py).str().ok()?.to_str().ok().map(str::to_owned))?
    });
    cell.get_or_init(|| probed).clone()
}

/// The user's exception classes compiled code may raise, by `module.qualname` (the latest class
/// of a name wins: a notebook cell run again defines it anew).
static USER_EXCEPTIONS: std::sync::Mutex<Vec<(String, Py<pyo3::types::PyType>)>> = std::sync::Mutex::new(Vec::new());

/// `(module.qualname, builtin base)` of `value` when it is a user's exception class: a class
/// defined in Python deriving from a builtin exception class compiled code raises (its nearest
/// such base, an index into `registry::exceptions::RAISABLE`); recorded for [`raised_error`].
pub fn user_exception_class(value: &Bound<'_, PyAny>) -> Option<(String, u32)> {
    let ty = value.cast::<pyo3::types::PyType>().ok()?;
    if !ty.is_subclass_of::<pyo3::exceptions::PyBaseException>().ok()? || ty.module().ok()?.to_cow().ok()? == "builtins" {
        return None;
    }
    let base = ty.getattr("__mro__").ok()?.cast_into::<pyo3::types::PyTuple>().ok()?.iter().find_map(|c| {
        let c = c.cast_into::<pyo3::types::PyType>().ok()?;
        if c.module().ok()?.to_cow().ok()? != "builtins" {
            return None;
        }
        jit_core::registry::exceptions::raisable(&c.name().ok()?.to_cow().ok()?)
    })?;
    let class = format!("{}.{}", ty.module().ok()?, ty.qualname().ok()?);
    let new = ty.clone().unbind();
    let _replaced = {
        let mut table = USER_EXCEPTIONS.lock().unwrap_or_else(|e| e.into_inner());
        match table.iter_mut().find(|(n, _)| *n == class) {
            Some((_, c)) => Some(std::mem::replace(c, new)),
            None => {
                table.push((class.clone(), new));
                None
            }
        }
    };
    Some((class, base))
}

/// The exception a compiled `raise` (or a failed `assert`) raised: the builtin class it named,
/// called with its message, or with no arguments when it had none (`raise ValueError`); a
/// user's class by its name.
fn raised_error() -> PyErr {
    if let Some((class, message)) = jit_core::runtime::last_raised_user() {
        let raised = Python::attach(|py| {
            // The lock is held only to find the class (no Python code runs under it).
            let found = {
                let table = USER_EXCEPTIONS.lock().unwrap_or_else(|e| e.into_inner());
                table.iter().find(|(n, _)| *n == class).map(|(_, c)| c.clone_ref(py))
            };
            let made = match (found, &message) {
                (None, _) => return None,
                (Some(c), Some(m)) => c.bind(py).call1((m.as_str(),)),
                (Some(c), None) => c.bind(py).call0(),
            };
            Some(match made {
                Ok(e) => PyErr::from_value(e),
                Err(e) => e,
            })
        });
        if let Some(e) = raised {
            return e;
        }
    }
    let (class, message) = jit_core::runtime::last_raised();
    let is_repr = jit_core::runtime::last_raised_is_repr();
    Python::attach(|py| {
        let made = py.import("builtins").and_then(|b| b.getattr(class)).and_then(|c| match &message {
            // The repr of a number or a tuple of numbers the runtime wrote (a missing dict key):
            // the exception takes the value itself, as CPython's `KeyError(key)` does.
            Some(m) if is_repr => {
                let value = py
                    .eval(
                        &std::ffi::CString::new(format!("({m})")).unwrap_or_default(),
                        Some(&pyo3::types::PyDict::new(py)),
                        Some(&[("inf", f64::INFINITY), ("nan", f64::NAN)].into_py_dict(py)?),
                    )
                    .map(|v| v.unbind())
                    .unwrap_or_else(|_| pyo3::types::PyString::new(py, m).into_any().unbind());
                c.call1((value,))
            }
            Some(m) => c.call1((m.as_str(),)),
            None => c.call0(),
        });
        match made {
            Ok(e) => PyErr::from_value(e),
            Err(e) => e,
        }
    })
}

/// NumPy's exception `module.name` (compiled code that raises it has NumPy arrays, so NumPy is
/// imported); a ValueError (which both are) if it cannot be had.
fn numpy_error(module: &str, name: &str, msg: String) -> PyErr {
    Python::attach(|py| {
        let class = py.import(module).and_then(|m| m.getattr(name));
        match class.and_then(|c| c.call1((msg.clone(),))) {
            Ok(e) => PyErr::from_value(e),
            Err(_) => PyValueError::new_err(msg),
        }
    })
}

/// [`status_error`] of a failed call of jitted code, with a traceback line for each jitted
/// function the failure went through, after the caller's own line (as CPython shows nested
/// calls): the site compiled code put in the status word, turned into frames by `sites` (the
/// program of this call: its files and lines, `jit_core::traceback`).
pub fn status_error_traced(py: Python<'_>, status: u32, local_names: &[String], sites: &jit_core::traceback::Sites) -> PyErr {
    let err = status_error(status, local_names);
    let code = jit_core::runtime::status_code(status);
    let site = match jit_core::runtime::Status::from_code(status) {
        Some(jit_core::runtime::Status::UnboundLocal) | None => None,
        Some(_) if code == jit_core::interrupt::PENDING_EXCEPTION => None,
        Some(_) => jit_core::runtime::status_place(status),
    };
    let Some(site) = site else { return err };
    add_frames(py, err, &sites.frames(site))
}

/// `err` with a traceback entry for each of `frames` (outermost first) after the entries it
/// has: a code object and a frame made for each (Cython's way), so that `traceback` prints the
/// file's line as for a Python function.
fn add_frames(py: Python<'_>, err: PyErr, frames: &[jit_core::traceback::Frame]) -> PyErr {
    if frames.is_empty() {
        return err;
    }
    let mut made = Vec::new();
    // SAFETY: the GIL is held; every object made here is released below, and no exception is
    // set while they are made (each failure is cleared).
    unsafe {
        let globals = ffi::PyDict_New();
        if globals.is_null() {
            ffi::PyErr_Clear();
            return err;
        }
        for f in frames {
            let (Ok(name), Ok(file)) = (std::ffi::CString::new(f.name.as_str()), std::ffi::CString::new(f.file.as_str())) else {
                continue;
            };
            let code = ffi::PyCode_NewEmpty(file.as_ptr(), name.as_ptr(), f.line as std::ffi::c_int);
            if code.is_null() {
                ffi::PyErr_Clear();
                continue;
            }
            let frame = ffi::PyFrame_New(ffi::PyThreadState_Get(), code, globals, std::ptr::null_mut());
            ffi::Py_DECREF(code.cast());
            if frame.is_null() {
                ffi::PyErr_Clear();
                continue;
            }
            made.push(frame);
        }
        ffi::Py_DECREF(globals);
        err.restore(py);
        // Each entry goes in front of those after it: the innermost is added first.
        for frame in made.into_iter().rev() {
            ffi::PyTraceBack_Here(frame);
            ffi::Py_DECREF(frame.cast());
        }
    }
    PyErr::fetch(py)
}
