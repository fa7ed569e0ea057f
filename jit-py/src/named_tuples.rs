//! Namedtuple classes at the boundary: which Python class a namedtuple type of compiled code
//! (`jit_core::types::TupleNames`, named by `module.qualname` and fields) stands for, so that
//! a namedtuple argument is typed by its class and a namedtuple returned is made of it again.

use std::sync::{Arc, Mutex};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};

use jit_core::types::{RecordKind, TupleNames};

/// Every namedtuple class seen (as an argument's type or a global), by its names; the latest
/// class of those names wins (a notebook cell run again defines the class anew).
static CLASSES: Mutex<Vec<(Arc<TupleNames>, Py<PyType>)>> = Mutex::new(Vec::new());

/// The names of `cls` when it is a namedtuple class (a subclass of `tuple` with a `_fields`
/// tuple of strings, as `collections.namedtuple` and `typing.NamedTuple` make), recorded as
/// the class those names stand for; `None` for any other object.
pub fn names_of(cls: &Bound<'_, PyAny>) -> PyResult<Option<Arc<TupleNames>>> {
    let Ok(ty) = cls.cast::<PyType>() else { return Ok(None) };
    {
        // A class seen before (the call path): found by identity, no attribute read.
        let classes = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, _)) = classes.iter().find(|(_, c)| c.bind(ty.py()).is(ty)) {
            return Ok((n.kind == RecordKind::NamedTuple).then(|| n.clone()));
        }
    }
    if !ty.is_subclass_of::<PyTuple>()? || ty.is(ty.py().get_type::<PyTuple>()) {
        return Ok(None);
    }
    let Ok(fields) = ty.getattr(pyo3::intern!(ty.py(), "_fields")) else { return Ok(None) };
    let Ok(fields) = fields.extract::<Vec<String>>() else { return Ok(None) };
    let class = format!("{}.{}", ty.module()?, ty.qualname()?);
    Ok(Some(record(ty, TupleNames::namedtuple(class, fields))))
}

/// Records `ty` as the class `names` stand for (the latest class of those names wins) and
/// gives the names kept.
fn record(ty: &Bound<'_, PyType>, names: TupleNames) -> Arc<TupleNames> {
    let names = Arc::new(names);
    let new = ty.clone().unbind();
    // The class replaced is dropped after the lock is released (its last reference going may
    // run Python code).
    let (names, _replaced) = {
        let mut classes = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
        match classes.iter_mut().find(|(n, _)| *n == names) {
            Some((n, c)) if c.bind(ty.py()).is(ty) => (n.clone(), Some(new)),
            Some((n, c)) => (n.clone(), Some(std::mem::replace(c, new))),
            None => {
                classes.push((names.clone(), new));
                (names, None)
            }
        }
    };
    names
}

/// What an `enum.Enum` member is to compiled code.
pub enum EnumMember {
    /// A member of an `IntEnum` or `IntFlag` (an int): its value, an int64.
    Int(i64),
    /// A member of another Enum class: the record of its `value` of class `names`.
    Record(Arc<TupleNames>),
}

/// What `ob` is to compiled code when it is a member of an `enum.Enum` class; `None` for any
/// other object (and for an int member outside int64).
pub fn enum_member(ob: &Bound<'_, PyAny>) -> PyResult<Option<EnumMember>> {
    // An Enum class is made by a `class` statement (or the functional API): a heap type.
    // SAFETY: a live object's type.
    if unsafe { ffi::PyType_GetFlags(ffi::Py_TYPE(ob.as_ptr())) } & ffi::Py_TPFLAGS_HEAPTYPE == 0 {
        return Ok(None);
    }
    let ty = ob.get_type();
    {
        let classes = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, _)) = classes.iter().find(|(n, c)| n.kind == RecordKind::Enum && c.bind(ty.py()).is(&ty)) {
            return Ok(Some(EnumMember::Record(n.clone())));
        }
    }
    let Some(base) = enum_base(ob.py())? else { return Ok(None) };
    if !ob.is_instance(&base)? {
        return Ok(None);
    }
    if ob.is_instance_of::<pyo3::types::PyInt>() {
        return Ok(ob.extract::<i64>().ok().map(EnumMember::Int));
    }
    let class = format!("{}.{}", ty.module()?, ty.qualname()?);
    Ok(Some(EnumMember::Record(record(&ty, TupleNames::enum_members(class)))))
}

/// The one-item tuple of an Enum member's value (the record compiled code reads).
pub fn enum_value<'py>(ob: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(ob.py(), [ob.getattr(pyo3::intern!(ob.py(), "value"))?])
}

/// Whether `cls` is an `enum.Enum` class.
pub fn is_enum_class(cls: &Bound<'_, PyAny>) -> PyResult<bool> {
    let Ok(ty) = cls.cast::<PyType>() else { return Ok(false) };
    match enum_base(ty.py())? {
        Some(base) => ty.is_subclass(&base),
        None => Ok(false),
    }
}

/// `enum.Enum`, when the `enum` module is imported (no Enum member or class exists before).
fn enum_base(py: Python<'_>) -> PyResult<Option<Bound<'_, PyAny>>> {
    match py.import("sys")?.getattr("modules")?.get_item("enum") {
        Ok(module) => Ok(Some(module.getattr("Enum")?)),
        Err(_) => Ok(None),
    }
}

/// The names of the class of `ob`, when `ob` is a namedtuple.
pub fn names_of_instance(ob: &Bound<'_, PyAny>) -> PyResult<Option<Arc<TupleNames>>> {
    if ob.cast::<PyTuple>().is_err() || ob.cast_exact::<PyTuple>().is_ok() {
        return Ok(None);
    }
    names_of(&ob.get_type().into_any())
}

/// A namedtuple of class `names` holding `items` (a plain tuple when no class of those names
/// was seen, which cannot happen: the class reached compiled code as an argument or a global).
pub fn make<'py>(py: Python<'py>, names: &TupleNames, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let class = {
        let classes = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
        classes.iter().find(|(n, _)| **n == *names).map(|(_, c)| c.clone_ref(py))
    };
    let tuple = PyTuple::new(py, items)?;
    match class {
        // The class's own `__new__` (what `Class(*items)` calls), not its `__init__`.
        Some(c) => c.bind(py).call1(tuple),
        None => Ok(tuple.into_any()),
    }
}

/// Every jitclass seen, with its record's names (fields, and methods by their dispatchers'
/// numbers in `functions.rs`' table).
static JITCLASSES: Mutex<Vec<(Py<PyType>, Arc<TupleNames>)>> = Mutex::new(Vec::new());

/// The record names of `ob`'s class when it is a jitclass (`stickyjit.experimental.jitclass`),
/// with what `__stickyjit_jitclass__` says of it; `None` for any other object.
pub fn jitclass_of<'py>(ob: &Bound<'py, PyAny>) -> PyResult<Option<(Arc<TupleNames>, Bound<'py, PyAny>)>> {
    let py = ob.py();
    let ty = ob.get_type();
    // Only a class made by a `class` statement can be one: a number's, an array's or a
    // string's type is no heap type, and is not asked (a failed attribute lookup makes an
    // exception object, on the call path).
    // SAFETY: a live object's type.
    if unsafe { ffi::PyType_GetFlags(ffi::Py_TYPE(ob.as_ptr())) } & ffi::Py_TPFLAGS_HEAPTYPE == 0 {
        return Ok(None);
    }
    let Ok(info) = ty.getattr(pyo3::intern!(py, "__stickyjit_jitclass__")) else { return Ok(None) };
    {
        let classes = JITCLASSES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, n)) = classes.iter().find(|(c, _)| c.bind(py).is(&ty)) {
            return Ok(Some((n.clone(), info)));
        }
    }
    let fields: Vec<String> = info.getattr("fields")?.extract()?;
    let mut methods = Vec::new();
    for (name, dispatcher) in info.getattr("methods")?.cast::<pyo3::types::PyDict>()?.iter() {
        let Some(i) = crate::functions::index_of(&dispatcher) else { continue };
        methods.push((name.extract::<String>()?, i));
    }
    let class = format!("{}.{}", ty.module()?, ty.qualname()?);
    let names = Arc::new(TupleNames { class, fields, kind: jit_core::types::RecordKind::JitClass, methods });
    JITCLASSES.lock().unwrap_or_else(|e| e.into_inner()).push((ty.unbind(), names.clone()));
    Ok(Some((names, info)))
}
