//! Argument typing at the call boundary: each Python value → a kind code (part of the
//! specialization key) and an 8-byte slot the compiled entry reads.

use std::borrow::Cow;
use std::sync::Mutex;

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use jit_core::Type;

/// The kinds of argument a specialization is keyed on. Python `int` and `numpy.int64` are one
/// kind, as are `float`/`numpy.float64` and `bool`/`numpy.bool_`; narrower NumPy scalars are
/// kinds of their own, widened to int64/float64 on entry. A tuple's kind names its element
/// kinds by an index into a process-wide table (`Kind::tuple`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    Tuple(u32),
}

/// The element kinds of every tuple kind seen, by `Kind::Tuple` index (only ever appended to).
static TUPLE_KINDS: Mutex<Vec<Vec<Kind>>> = Mutex::new(Vec::new());

impl Kind {
    /// The kind of a tuple with these element kinds.
    pub fn tuple(items: Vec<Kind>) -> Kind {
        let mut table = TUPLE_KINDS.lock().unwrap_or_else(|e| e.into_inner());
        let i = table.iter().position(|t| *t == items).unwrap_or_else(|| {
            table.push(items);
            table.len() - 1
        });
        Kind::Tuple(i as u32)
    }

    /// The element kinds of a tuple kind.
    pub fn items(i: u32) -> Vec<Kind> {
        TUPLE_KINDS.lock().unwrap_or_else(|e| e.into_inner())[i as usize].clone()
    }

    pub fn name(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Kind::Tuple(i) => {
                let items: Vec<Cow<str>> = Kind::items(i).into_iter().map(Kind::name).collect();
                return Cow::Owned(format!("tuple({})", items.join(", ")));
            }
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
        })
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
            Kind::Tuple(i) => Type::Tuple(Kind::items(i).into_iter().map(Kind::core_type).collect()),
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

/// An argument's kind and slot; a tuple's elements go, flattened, into a buffer of their own
/// that the slot points to (`buffers` keeps it alive for the call).
pub fn classify_arg(py: Python<'_>, ob: &Bound<'_, PyAny>, func: &str, param: &str, buffers: &mut Vec<Vec<u64>>) -> PyResult<(Kind, u64)> {
    if let Ok(t) = ob.cast_exact::<PyTuple>() {
        let mut flat = Vec::new();
        let kind = classify_tuple(py, t, func, param, &mut flat)?;
        let ptr = flat.as_ptr() as u64; // the heap block does not move when `flat` does
        buffers.push(flat);
        return Ok((kind, ptr));
    }
    classify_slow(py, ob, func, param)
}

/// A tuple's kind; its elements appended to `flat` (nested tuples inline).
fn classify_tuple(py: Python<'_>, t: &Bound<'_, PyTuple>, func: &str, param: &str, flat: &mut Vec<u64>) -> PyResult<Kind> {
    let mut kinds = Vec::with_capacity(t.len());
    for item in t.iter() {
        if let Ok(inner) = item.cast_exact::<PyTuple>() {
            kinds.push(classify_tuple(py, inner, func, param, flat)?);
            continue;
        }
        // SAFETY: `item` is alive (held by the tuple) and the GIL is held.
        let (k, s) = match unsafe { classify_fast(item.as_ptr()) } {
            Some(x) => x,
            None => classify_slow(py, &item, func, param)?,
        };
        kinds.push(k);
        flat.push(s);
    }
    Ok(Kind::tuple(kinds))
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
        "{func}() argument '{param}' has unsupported type '{}'; supported: int, float, bool, NumPy integer, float and bool scalars, and tuples of those",
        ob.get_type().name()?
    )))
}
