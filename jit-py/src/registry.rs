//! `_native.registry()`: the compiler's registry (builtins, NumPy functions, array attributes
//! and methods, dtypes, run-time statuses) as Python data, for `_support.py` and the tests.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use jit_core::registry::{self as r, NumpyFn, Status};

/// A dict of tuples: `builtins` (names), `numpy_functions` ((name, "new" | "reduce" |
/// "scalar" | "array" | "operator" | "iterator")), `array_attributes`, `array_methods` and
/// `library_methods` (names), `random_functions` (the `np.random` names), `random_aliases` (their other names: `ranf`), `py_random_functions`
/// (the `random` module's), `cmath_functions` and `cmath_constants` (the `cmath` module's names),
/// `generator_methods` (a `numpy.random.Generator`'s), `dtypes` ((name, numpy
/// attribute, kind character, item size, Python type name)), and with `statuses=True`
/// `statuses` ((code, name, exception class name, message: the one compiled code raises;
/// `UnboundLocal`'s names the local as `{name}`)). The order of each is the registry's.
/// `_support` (imported at a process's first compile) asks for no statuses: their messages
/// come from running the 21 probes of `errors.rs` in the interpreter (half a millisecond), which
/// compiled code does only when it raises.
#[pyfunction]
#[pyo3(signature = (statuses = false))]
pub fn registry(py: Python<'_>, statuses: bool) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("builtins", PyTuple::new(py, r::builtin_names().collect::<Vec<_>>())?)?;
    let numpy = r::NUMPY_FUNCTIONS.iter().map(|row| {
        let kind = match row.function {
            NumpyFn::New(_) => "new",
            NumpyFn::Reduce(_) => "reduce",
            NumpyFn::Scalar(_) => "scalar",
            NumpyFn::Array(_) => "array",
            NumpyFn::Operator(_) => "operator",
            NumpyFn::Iter(_) => "iterator",
            NumpyFn::Ndim => "array",
        };
        (row.name, kind)
    });
    d.set_item("numpy_functions", PyTuple::new(py, numpy)?)?;
    d.set_item("array_attributes", PyTuple::new(py, r::ARRAY_ATTRIBUTES.iter().map(|(n, _)| *n))?)?;
    d.set_item("array_methods", PyTuple::new(py, r::ARRAY_METHODS.iter().map(|(n, _)| *n))?)?;
    d.set_item("library_methods", PyTuple::new(py, r::LIBRARY_METHODS)?)?;
    d.set_item("random_functions", PyTuple::new(py, r::random::RANDOM_FUNCTIONS.iter().map(|row| row.name))?)?;
    d.set_item("random_aliases", PyTuple::new(py, r::random::RANDOM_ALIASES)?)?;
    d.set_item("py_random_functions", PyTuple::new(py, r::pyrandom::PY_RANDOM_FUNCTIONS.iter().map(|row| row.name))?)?;
    d.set_item("cmath_functions", PyTuple::new(py, r::cmath::CmathFn::ALL.iter().map(|f| f.name()))?)?;
    d.set_item("cmath_constants", PyTuple::new(py, r::cmath::CMATH_CONSTANTS)?)?;
    d.set_item("generator_methods", PyTuple::new(py, r::generator::GENERATOR_METHODS.iter().map(|row| row.name))?)?;
    let dtypes = r::DTYPES.iter().map(|row| (row.name, row.numpy_attr, (row.kind as char).to_string(), row.size, row.python));
    d.set_item("dtypes", PyTuple::new(py, dtypes)?)?;
    if !statuses {
        return Ok(d);
    }
    let statuses = Status::ALL.iter().filter(|s| **s != Status::Ok).map(|s| {
        let (kind, message) = s.exception_and_message();
        // The running interpreter's message where compiled code raises that (`errors.rs`).
        let message = crate::errors::interpreter_message(s.code()).unwrap_or_else(|| message.to_string());
        (s.code(), format!("{s:?}"), kind.name(), message)
    });
    let statuses: Vec<_> = statuses.collect();
    d.set_item("statuses", PyTuple::new(py, statuses)?)?;
    Ok(d)
}
