//! The sticky identity of a decorated function: what makes re-running an unchanged notebook
//! cell hand back the dispatcher it made before.
//!
//! It is computed from the function's code object, which CPython has just made anyway, so no
//! parse is needed: the bytecode, the constants and the names the code uses are the normalized
//! tree (comments, blank lines, formatting and type annotations leave no trace in them; local
//! variables are numbered, not named; the docstring is the first constant and is left out).
//! To those are added the module and qualified name, the parameter names, the defaults, the
//! options, the Python version, and the values of the numeric globals the code reads, directly
//! or as `module.NAME` (they are frozen into the machine code). Never the globals dict's
//! identity: a notebook may exec each cell into a fresh one (the dispatcher then adopts the new
//! function: `Dispatcher::_adopt`). blake3, so identical in every process whatever PYTHONHASHSEED is.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyString, PyTuple};

use crate::program::freeze;

struct Hasher(blake3::Hasher);

impl Hasher {
    fn put(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
    fn put_str(&mut self, s: &str) {
        self.put(s.as_bytes());
    }
}

/// Constants by type and value (`1`, `1.0` and `True` are three constants; `-0.0` is not `0.0`).
fn put_const(h: &mut Hasher, c: &Bound<'_, PyAny>) -> PyResult<()> {
    if c.is_none() {
        h.put(b"N");
    } else if let Ok(b) = c.cast_exact::<PyBool>() {
        h.put(if b.is_true() { b"T" } else { b"F" });
    } else if let Ok(i) = c.cast_exact::<PyInt>() {
        match i.extract::<i64>() {
            Ok(v) => {
                h.put(b"i");
                h.put(&v.to_le_bytes());
            }
            Err(_) => {
                h.put(b"I");
                h.put_str(&i.repr()?.to_string());
            }
        }
    } else if let Ok(f) = c.cast_exact::<PyFloat>() {
        h.put(b"f");
        h.put(&f.value().to_bits().to_le_bytes());
    } else if let Ok(s) = c.cast_exact::<PyString>() {
        h.put(b"s");
        h.put_str(&s.to_cow()?);
    } else if let Ok(t) = c.cast_exact::<PyTuple>() {
        h.put(b"t");
        h.put(&(t.len() as u64).to_le_bytes());
        for item in t.iter() {
            put_const(h, &item)?;
        }
    } else if c.get_type().name()?.to_cow()? == "ndarray" && c.get_type().module()?.to_cow()? == "numpy" {
        // An array global: its dtype, shape and elements (frozen into the code).
        h.put(b"A");
        h.put_str(&c.getattr(intern!(c.py(), "dtype"))?.str()?.to_cow()?);
        h.put_str(&c.getattr(intern!(c.py(), "shape"))?.repr()?.to_cow()?);
        let bytes = c.call_method1(intern!(c.py(), "tobytes"), ("C",))?;
        h.put(bytes.cast::<pyo3::types::PyBytes>()?.as_bytes());
    } else if let Some(n) = crate::named_tuples::names_of_instance(c)? {
        // A namedtuple: its class's names, then its items.
        h.put(b"n");
        put_names(h, &n);
        let t = c.cast::<PyTuple>()?;
        for item in t.iter() {
            put_const(h, &item)?;
        }
    } else if crate::named_tuples::is_enum_class(c)? {
        // An Enum class: its name, and each member's name and value (compiled code reads its
        // members: a class defined again with other values is another program).
        h.put(b"E");
        h.put_str(&c.getattr(intern!(c.py(), "__qualname__"))?.str()?.to_cow()?);
        let members = c.getattr(intern!(c.py(), "__members__"))?.call_method0(intern!(c.py(), "items"))?;
        for item in members.try_iter()? {
            let (name, member): (String, Bound<'_, PyAny>) = item?.extract()?;
            h.put_str(&name);
            put_const(h, &member.getattr(intern!(c.py(), "value"))?)?;
        }
    } else if let Some(n) = crate::named_tuples::names_of(c)? {
        h.put(b"C");
        put_names(h, &n);
    } else if c.hasattr(intern!(c.py(), "co_code"))? {
        h.put(b"c");
        put_code(h, c, false)?;
    } else {
        h.put_str(&c.get_type().name()?.to_string());
        h.put_str(&c.repr()?.to_string());
    }
    Ok(())
}

/// A namedtuple class's names: `module.qualname`, then each field.
fn put_names(h: &mut Hasher, n: &jit_core::types::TupleNames) {
    h.put_str(&n.class);
    h.put(&(n.fields.len() as u64).to_le_bytes());
    n.fields.iter().for_each(|f| h.put_str(f));
}

/// Values a compile freezes into the machine code, or would but cannot ([`freeze`] decides).
fn is_frozen_kind(v: &Bound<'_, PyAny>) -> bool {
    freeze(v).is_some()
}

fn put_code(h: &mut Hasher, code: &Bound<'_, PyAny>, skip_docstring: bool) -> PyResult<()> {
    let py = code.py();
    h.put(code.getattr(intern!(py, "co_code"))?.cast::<PyBytes>()?.as_bytes());
    for attr in
        [intern!(py, "co_argcount"), intern!(py, "co_posonlyargcount"), intern!(py, "co_kwonlyargcount"), intern!(py, "co_flags")]
    {
        h.put(&code.getattr(attr)?.extract::<i64>()?.to_le_bytes());
    }
    let consts = code.getattr(intern!(py, "co_consts"))?;
    for (i, c) in consts.cast::<PyTuple>()?.iter().enumerate() {
        if i == 0 && skip_docstring {
            continue; // a function's docstring slot (None when it has none)
        }
        put_const(h, &c)?;
    }
    h.put(b"names");
    for n in code.getattr(intern!(py, "co_names"))?.cast::<PyTuple>()?.iter() {
        h.put_str(&n.cast::<PyString>()?.to_cow()?);
    }
    Ok(())
}

/// The values of the variables of enclosing functions `func` reads (compiled as frozen globals
/// are): `make_f(g1)` and `make_f(g2)` are two functions. A value that is not frozen is named by
/// its type and its identity (the object it is, in this process).
fn put_closure(h: &mut Hasher, func: &Bound<'_, PyAny>, code: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = func.py();
    let names = code.getattr(intern!(py, "co_freevars"))?;
    let cells = func.getattr(intern!(py, "__closure__"))?;
    if cells.is_none() {
        return Ok(());
    }
    h.put(b"closure");
    for (name, cell) in names.cast::<PyTuple>()?.iter().zip(cells.cast::<PyTuple>()?.iter()) {
        h.put_str(&name.cast::<PyString>()?.to_cow()?);
        match cell.getattr(intern!(py, "cell_contents")) {
            Ok(v) if is_frozen_kind(&v) => put_const(h, &v)?,
            Ok(v) => {
                h.put_str(&v.get_type().name()?.to_cow()?);
                h.put(&(v.as_ptr() as usize).to_le_bytes());
            }
            Err(_) => h.put(b"empty"),
        }
    }
    Ok(())
}

/// The sticky identity of `func` decorated with `options` (a tuple of option values), as hex.
#[pyfunction]
pub fn sticky_identity(func: &Bound<'_, PyAny>, options: &Bound<'_, PyAny>) -> PyResult<String> {
    let mut h = Hasher(blake3::Hasher::new());
    h.put_str("stickyjit sticky identity v1");
    h.put_str(env!("CARGO_PKG_VERSION"));
    h.put_str(Python::version_str());
    let py = func.py();
    for attr in [intern!(py, "__module__"), intern!(py, "__qualname__")] {
        match func.getattr(attr) {
            Ok(v) if !v.is_none() => h.put_str(&v.str()?.to_cow()?),
            _ => h.put(b""),
        }
    }
    let code = func.getattr(intern!(py, "__code__"))?;
    let nparams = code.getattr(intern!(py, "co_argcount"))?.extract::<usize>()?
        + code.getattr(intern!(py, "co_kwonlyargcount"))?.extract::<usize>()?;
    let varnames = code.getattr(intern!(py, "co_varnames"))?;
    for name in varnames.cast::<PyTuple>()?.iter().take(nparams) {
        h.put_str(&name.cast::<PyString>()?.to_cow()?);
    }
    h.put(b"defaults");
    let defaults = func.getattr(intern!(py, "__defaults__"))?;
    if !defaults.is_none() {
        put_const(&mut h, &defaults)?;
    }
    h.put(b"options");
    put_const(&mut h, options)?;
    put_frozen_globals(&mut h, func, &code)?;
    put_closure(&mut h, func, &code)?;
    put_code(&mut h, &code, true)?;
    Ok(h.0.finalize().to_hex().to_string())
}

/// The values the compiled code would freeze: numbers (and tuples of them) among the globals
/// the function reads. Re-running a cell after such a global changed is a real change; the
/// old object, frozen with the old value, must not be handed back.
fn put_frozen_globals(h: &mut Hasher, func: &Bound<'_, PyAny>, code: &Bound<'_, PyAny>) -> PyResult<()> {
    h.put(b"globals");
    let py = func.py();
    let globals = func.getattr(intern!(py, "__globals__"))?;
    let globals = globals.cast::<pyo3::types::PyDict>()?;
    let names = code.getattr(intern!(py, "co_names"))?;
    let names = names.cast::<PyTuple>()?;
    for name in names.iter() {
        match globals.get_item(&name)? {
            Some(v) if is_frozen_kind(&v) => put_const(h, &v)?,
            Some(v) if v.is_instance_of::<pyo3::types::PyModule>() => {
                // `m.G`: numbers read through a module are frozen too. Which of the code's
                // names are attributes of `m` is not known without a parse, so every name that
                // is a number attribute of `m` counts (a superset: at worst a spurious change).
                // Read from the module's dict, not by getattr: a module's `__getattr__` may
                // warn of a name it does not have (NumPy 2 of `np.str` for the builtin `str`
                // in `str(x)`); numbers are in the dict.
                h.put(b"module");
                h.put_str(&v.getattr(intern!(py, "__name__"))?.str()?.to_cow()?);
                let dict = v.getattr(intern!(py, "__dict__"))?;
                let dict = dict.cast::<pyo3::types::PyDict>()?;
                for attr in names.iter() {
                    if let Some(a) = dict.get_item(&attr)? {
                        if is_frozen_kind(&a) {
                            h.put_str(&attr.cast::<PyString>()?.to_cow()?);
                            put_const(h, &a)?;
                        }
                    }
                }
            }
            Some(v) => h.put_str(&v.get_type().name()?.to_cow()?),
            None => h.put(b"-"),
        }
    }
    Ok(())
}
