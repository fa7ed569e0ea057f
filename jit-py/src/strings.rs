//! Python `str` ↔ the string blocks compiled code uses (`jit_core::string`): a `str`
//! argument copied into a block, a block made into a `str`.

use pyo3::ffi;
use pyo3::prelude::*;

use jit_core::abi::{self, Slot};

/// The slot of a `str` argument: a string block with a copy of its code points (on the
/// thread's live list: the call's end frees it).
pub(crate) fn string_block(p: *mut ffi::PyObject) -> PyResult<Slot> {
    // SAFETY: `p` is a live exact `str` (the caller checked), whose PEP 393 buffer holds
    // `len` code points of `kind` bytes each.
    let h = unsafe {
        let kind = ffi::PyUnicode_KIND(p) as u8;
        let data = ffi::PyUnicode_DATA(p) as *const u8;
        let len = ffi::PyUnicode_GET_LENGTH(p) as usize;
        jit_core::string::from_kind_data(kind, data, len)
    };
    if h.is_null() {
        return Err(pyo3::exceptions::PyMemoryError::new_err("out of memory for a string argument"));
    }
    Ok(abi::ptr_slot(h))
}

/// A Python `str` of the string block `h`.
///
/// # Safety
/// `h` is a string block.
pub(crate) unsafe fn string_to_python<'py>(py: Python<'py>, h: *const jit_core::memory::Header) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the caller's contract; the block holds `len` code points of `kind` bytes.
    unsafe {
        let v = jit_core::string::View::of(h);
        let p = ffi::PyUnicode_FromKindAndData(v.kind as std::ffi::c_int, v.bytes().as_ptr().cast(), v.len as ffi::Py_ssize_t);
        Bound::from_owned_ptr_or_err(py, p)
    }
}
