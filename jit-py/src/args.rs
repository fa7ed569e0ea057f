//! Argument typing at the call boundary: each Python value → a kind code (part of the
//! specialization key) and an 8-byte slot the compiled entry reads.

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;

use jit_core::Type;

/// The kinds of argument a specialization is keyed on. Python `int` and `numpy.int64` are one
/// kind, as are `float`/`numpy.float64` and `bool`/`numpy.bool_`; narrower NumPy scalars are
/// kinds of their own, widened to int64/float64 on entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    Int64,
    Float64,
    Bool,
    Int8,
    Int16,
    Int32,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float32,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Int64 => "int64",
            Kind::Float64 => "float64",
            Kind::Bool => "bool",
            Kind::Int8 => "int8",
            Kind::Int16 => "int16",
            Kind::Int32 => "int32",
            Kind::UInt8 => "uint8",
            Kind::UInt16 => "uint16",
            Kind::UInt32 => "uint32",
            Kind::UInt64 => "uint64",
            Kind::Float32 => "float32",
        }
    }

    fn from_numpy_name(name: &str) -> Option<Kind> {
        Some(match name {
            "int8" => Kind::Int8,
            "int16" => Kind::Int16,
            "int32" => Kind::Int32,
            "int64" => Kind::Int64,
            "uint8" => Kind::UInt8,
            "uint16" => Kind::UInt16,
            "uint32" => Kind::UInt32,
            "uint64" => Kind::UInt64,
            "float32" => Kind::Float32,
            "float64" => Kind::Float64,
            "bool" => Kind::Bool,
            _ => return None,
        })
    }

    /// The type compiled code sees.
    pub fn core_type(self) -> Type {
        match self {
            Kind::Float64 | Kind::Float32 => Type::Float,
            Kind::Bool => Type::Bool,
            _ => Type::Int,
        }
    }
}

/// The hot path: exact `int`, `float`, `bool`. `None` sends the value to [`classify_slow`].
///
/// # Safety
/// `p` is a live object the caller holds a reference to, and the GIL is held.
#[inline(always)]
pub unsafe fn classify_fast(p: *mut ffi::PyObject) -> Option<(Kind, u64)> {
    unsafe {
        let t = ffi::Py_TYPE(p);
        if t == &raw mut ffi::PyFloat_Type {
            return Some((Kind::Float64, ffi::PyFloat_AS_DOUBLE(p).to_bits()));
        }
        if t == &raw mut ffi::PyLong_Type {
            let mut overflow = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(p, &mut overflow);
            if overflow != 0 {
                return None;
            }
            return Some((Kind::Int64, v as u64));
        }
        if t == &raw mut ffi::PyBool_Type {
            return Some((Kind::Bool, (p == ffi::Py_True()) as u64));
        }
    }
    None
}

/// Everything else: an int outside int64, a NumPy scalar, or a value of an unsupported type.
pub fn classify_slow(py: Python<'_>, ob: &Bound<'_, PyAny>, func: &str, param: &str) -> PyResult<(Kind, u64)> {
    if ob.get_type().is(py.get_type::<pyo3::types::PyInt>()) {
        return Err(PyOverflowError::new_err(format!(
            "{func}() argument '{param}': {} does not fit in a 64-bit integer",
            ob.repr()?
        )));
    }
    let support = py.import("stickyjit._support")?;
    let r = support.call_method1("classify_scalar", (ob,))?;
    if !r.is_none() {
        let (name, value): (String, Bound<'_, PyAny>) = r.extract()?;
        if let Some(kind) = Kind::from_numpy_name(&name) {
            let slot = match kind.core_type() {
                Type::Float => value.extract::<f64>()?.to_bits(),
                Type::Bool => value.extract::<bool>()? as u64,
                _ => match value.extract::<i64>() {
                    Ok(v) => v as u64,
                    Err(_) => {
                        return Err(PyOverflowError::new_err(format!(
                            "{func}() argument '{param}': {} does not fit in a 64-bit integer",
                            value.repr()?
                        )))
                    }
                },
            };
            return Ok((kind, slot));
        }
    }
    Err(PyTypeError::new_err(format!(
        "{func}() argument '{param}' has unsupported type '{}'; supported: int, float, bool and NumPy integer, float and bool scalars",
        ob.get_type().name()?
    )))
}
