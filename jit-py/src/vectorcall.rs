//! CPython's vectorcall protocol (PEP 590) for a frozen pyclass (the dispatcher): arguments
//! arrive as a C array, so a call with positional arguments allocates nothing on its way to the
//! compiled code. PyO3 0.30 has no vectorcall for `__call__` (PyO3 issue #4252), so `install`
//! sets the slot on the type itself, once, at import. Knows nothing of the dispatcher but the
//! [`VectorCall`] trait it implements.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::PySystemError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// A pyclass CPython calls through [`call`].
pub(crate) trait VectorCall: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync {
    /// The field CPython reads the function pointer from (set to `Some(call::<Self>)` in every
    /// instance that can be called).
    fn vectorcall_field(&self) -> &Option<ffi::vectorcallfunc>;
    /// The call with exactly one positional argument per parameter, or `None` when the call
    /// needs the general path.
    fn fast_call(&self, py: Python<'_>, args: &[*mut ffi::PyObject]) -> Option<PyResult<Py<PyAny>>>;
    /// A call with a tuple of positional arguments and a dict of keyword arguments.
    fn call_impl(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>>;
}

/// Points `T`'s `tp_vectorcall_offset` at the [`VectorCall::vectorcall_field`] of its instances
/// (measured on `probe`) and sets `Py_TPFLAGS_HAVE_VECTORCALL`; `tp_call` stays PyO3's
/// `__call__`, which gives the same answers (C code that calls with a tuple uses it).
pub fn install<T: VectorCall>(probe: &Bound<'_, T>) -> PyResult<()> {
    let object = probe.as_ptr() as usize;
    let field = std::ptr::from_ref(probe.get().vectorcall_field()) as usize;
    let offset = field.checked_sub(object).ok_or_else(|| PySystemError::new_err("unexpected Dispatcher layout"))?;
    let ty = probe.py().get_type::<T>();
    let tp = ty.as_type_ptr();
    // SAFETY: the type is stickyjit's own heap type, not yet visible to Python code (the module
    // is being initialised); both fields are plain data CPython reads on every call.
    unsafe {
        (*tp).tp_vectorcall_offset = offset as ffi::Py_ssize_t;
        (*tp).tp_flags |= ffi::Py_TPFLAGS_HAVE_VECTORCALL;
        ffi::PyType_Modified(tp);
    }
    Ok(())
}

/// `vectorcallfunc` of every `T` (every Dispatcher).
///
/// # Safety
/// Called by CPython with the GIL held, `callable` a `T`, `args` holding `nargs`
/// positional arguments followed by one value per name in `kwnames` (a tuple, or null).
pub unsafe extern "C" fn call<T: VectorCall>(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: per this function's contract.
    let py = unsafe { Python::assume_attached() };
    let outcome = catch_unwind(AssertUnwindSafe(|| unsafe { call_inner::<T>(py, callable, args, nargsf, kwnames) }));
    match outcome {
        Ok(Ok(obj)) => obj.into_ptr(),
        Ok(Err(e)) => {
            raise(e);
            std::ptr::null_mut()
        }
        Err(_) => {
            raise(PySystemError::new_err("stickyjit: internal error (panic) in the dispatcher"));
            std::ptr::null_mut()
        }
    }
}

/// Raises `e`, with the thread marked as attached for PyO3. `assume_attached` (the fast path's
/// token) does not mark it, so every `Py` dropped under it waits in PyO3's deferred-release pool
/// until some PyO3 method runs: raising an exception drops its type and message that way, and a
/// million raising calls kept ~100 MB alive. `attach` releases them at once and also empties the
/// pool of anything an earlier call (a compile) left there. Successful calls drop no `Py`.
#[cold]
fn raise(e: PyErr) {
    Python::attach(|py| e.restore(py));
}

unsafe fn call_inner<T: VectorCall>(
    py: Python<'_>,
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> PyResult<Py<PyAny>> {
    // SAFETY: per `call`'s contract.
    unsafe {
        let dispatcher = Borrowed::from_ptr(py, callable).cast_unchecked::<T>();
        let d = dispatcher.get();
        let nargs = ffi::PyVectorcall_NARGS(nargsf) as usize;
        let nkw = if kwnames.is_null() { 0 } else { ffi::PyTuple_GET_SIZE(kwnames) as usize };
        let argv: &[*mut ffi::PyObject] = if nargs + nkw == 0 { &[] } else { std::slice::from_raw_parts(args, nargs + nkw) };
        if nkw == 0 {
            if let Some(result) = d.fast_call(py, &argv[..nargs]) {
                return result;
            }
        }
        // Keywords, a wrong number of arguments, or an unsupported signature: the tuple path.
        let positional = PyTuple::new(py, argv[..nargs].iter().map(|&p| Borrowed::from_ptr(py, p)))?;
        let kwargs = if nkw == 0 {
            None
        } else {
            let names = Borrowed::from_ptr(py, kwnames).cast_unchecked::<PyTuple>();
            let dict = PyDict::new(py);
            for (i, name) in names.iter().enumerate() {
                dict.set_item(name, Borrowed::from_ptr(py, argv[nargs + i]))?;
            }
            Some(dict)
        };
        d.call_impl(py, &positional, kwargs.as_ref())
    }
}
