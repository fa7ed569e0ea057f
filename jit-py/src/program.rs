//! Collects the program one compile needs: the function called, every jitted function it
//! reaches through its globals (transitively), their environments (what each global name is
//! bound to, and which values are frozen into the code: [`freeze`]), and the global bindings the
//! compiled code depends on (checked again after a redefinition: [`Dep::holds`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyTuple};

use jit_core::abi;
use jit_core::lower::{ConstValue, Env, GlobalValue};

use crate::args::{classify_fast, Kind};
use crate::source::{Function, Parsed};

/// Counts decorations (`jit()` calls) in this process. A dispatcher whose compiled code calls
/// other jitted functions re-checks the bindings it depends on when this moved since it last
/// looked: one relaxed load and a compare on the call path.
pub static DEFINITIONS: AtomicU64 = AtomicU64::new(0);

/// Called by `jit()` for every function it decorates (new dispatcher or sticky hit): a global
/// name may be about to refer to another jitted function.
#[pyfunction]
pub fn note_definition() {
    DEFINITIONS.fetch_add(1, Ordering::Relaxed);
}

/// Numbers a jitted callee in the program being collected: `(name, dispatcher, bound, library)`,
/// `bound` being what the name refers to (the dispatcher, the NumPy function a library
/// dispatcher implements, or the `@vectorize` object whose kernel it is), which the code then
/// depends on; `library` when the dispatcher is a library implementation.
type Numbering<'a, 'py> = dyn FnMut(&str, &Bound<'py, PyAny>, &Bound<'py, PyAny>, bool) -> u32 + 'a;

/// A `@guvectorize` object's layout as `_support._vectorized` gives it: (nin, layout, each
/// operand's core dimensions as `("named", index)` or `("fixed", size)`, how the kernel takes
/// each operand (`"view"`, `"one"`, `"scalar"`), which operands it may write).
type GufuncPayload = (usize, String, Vec<Vec<(String, i64)>>, Vec<String>, Vec<bool>);

fn gufunc_of((nin, layout, core, kinds, writable): GufuncPayload) -> PyResult<jit_core::hir::Gufunc> {
    use jit_core::hir::{CoreDim, GufuncArg};
    let bad = |what: &str| pyo3::exceptions::PyTypeError::new_err(format!("Global.VECTORIZED: bad gufunc {what}"));
    let core = core
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(kind, v)| match kind.as_str() {
                    "named" => Ok(CoreDim::Named(v as u32)),
                    "fixed" => Ok(CoreDim::Fixed(v)),
                    _ => Err(bad("core dimension")),
                })
                .collect::<PyResult<Vec<_>>>()
        })
        .collect::<PyResult<Vec<_>>>()?;
    let kinds = kinds
        .iter()
        .map(|k| match k.as_str() {
            "view" => Ok(GufuncArg::View),
            "one" => Ok(GufuncArg::One),
            "scalar" => Ok(GufuncArg::Scalar),
            _ => Err(bad("operand kind")),
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(jit_core::hir::Gufunc { nin, layout, core, kinds, writable })
}

/// What `_support.resolve_globals` found a global name bound to: the middle of each
/// `(name, Global, payload)` it returns (payload in brackets). A value of another type (a string
/// tag) is a `TypeError`, never a guess. Which values are frozen is not decided there but here
/// ([`freeze`]), from the `VALUE` payload.
#[pyclass(module = "stickyjit._native", name = "Global", frozen, eq, eq_int)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Global {
    /// Any other value (the value): frozen when [`freeze`] says so, else unsupported.
    #[pyo3(name = "VALUE")]
    Value,
    /// A module (its `__name__`).
    #[pyo3(name = "MODULE")]
    Module,
    /// A function of the `math` module (its name).
    #[pyo3(name = "MATH")]
    Math,
    /// A NumPy function the compiler knows (its name).
    #[pyo3(name = "NUMPY")]
    Numpy,
    /// A NumPy scalar type (its name: "float32").
    #[pyo3(name = "NUMPY_DTYPE")]
    NumpyDtype,
    /// A builtin (its name); whether it is compiled is the compiler's business.
    #[pyo3(name = "BUILTIN")]
    Builtin,
    /// The function being compiled (None).
    #[pyo3(name = "SELF")]
    SelfFunction,
    /// A jitted function (its dispatcher).
    #[pyo3(name = "JITTED")]
    Jitted,
    /// A NumPy function stickyjit implements as a jitted function of `stickyjit._numpy_lib`
    /// (`(the NumPy function bound, the implementation's dispatcher)`): compiled as a call of the
    /// dispatcher, the dependency recorded on the NumPy function (which stays bound).
    #[pyo3(name = "LIBRARY")]
    Library,
    /// A `@vectorize` ufunc (`(the object bound, its kernel's dispatcher, its loops as
    /// `[(input dtype names, output dtype name)]` or None when lazy, its error model)`):
    /// compiled as the ufunc (its kernel elementwise), the dependency recorded on the object
    /// bound.
    #[pyo3(name = "VECTORIZED")]
    Vectorized,
    /// A `@cfunc` object (`(the object bound, its dispatcher)`): compiled as a call of the
    /// dispatcher, the dependency recorded on the object bound.
    #[pyo3(name = "CFUNC")]
    Cfunc,
    /// Something the compiler cannot use (why, for the message).
    #[pyo3(name = "UNSUPPORTED")]
    Unsupported,
    /// A function the compiler cannot call (why, for the message).
    #[pyo3(name = "UNSUPPORTED_FUNCTION")]
    UnsupportedFunction,
    /// Bound to nothing (None).
    #[pyo3(name = "UNDEFINED")]
    Undefined,
}

/// The one place that decides which global values are frozen into the machine code: exact
/// `bool`, `int` (in int64's range), `float`, `complex`, and tuples of them. `None` when `value` is of none
/// of those types; `Some(Err(why))` when it is but cannot be frozen. The sticky identity hashes
/// the value of every global for which this is `Some` (`sticky.rs`).
pub(crate) fn freeze(value: &Bound<'_, PyAny>) -> Option<Result<GlobalValue, &'static str>> {
    if let Ok(b) = value.cast_exact::<PyBool>() {
        return Some(Ok(GlobalValue::Bool(b.is_true())));
    }
    if let Ok(i) = value.cast_exact::<PyInt>() {
        return Some(i.extract::<i64>().map(GlobalValue::Int).map_err(|_| "an int outside the int64 range"));
    }
    if let Ok(f) = value.cast_exact::<PyFloat>() {
        return Some(Ok(GlobalValue::Float(f.value())));
    }
    if let Ok(z) = value.cast_exact::<pyo3::types::PyComplex>() {
        return Some(Ok(GlobalValue::Complex(z.real(), z.imag())));
    }
    if let Ok(s) = value.cast_exact::<pyo3::types::PyString>() {
        return Some(s.to_str().map(|s| GlobalValue::Str(s.to_string())).map_err(|_| "a str that is not valid UTF-8"));
    }
    if let Ok(t) = value.cast_exact::<PyTuple>() {
        let items: Option<Vec<GlobalValue>> = t.iter().map(|item| freeze(&item).and_then(Result::ok)).collect();
        return Some(items.map(GlobalValue::Tuple).ok_or("a tuple holding something other than numbers and strings"));
    }
    // A namedtuple instance, frozen as a tuple is; a namedtuple class, called to make one.
    if let Ok(Some(names)) = crate::named_tuples::names_of_instance(value) {
        let t = value.cast::<PyTuple>().ok()?;
        let items: Option<Vec<GlobalValue>> = t.iter().map(|item| freeze(&item).and_then(Result::ok)).collect();
        return Some(
            items
                .map(|items| GlobalValue::NamedTupleValue(names, items))
                .ok_or("a namedtuple holding something other than numbers and strings"),
        );
    }
    if let Some(a) = frozen_array(value) {
        return Some(a);
    }
    // An Enum member: an `IntEnum`'s as its int, another's as the record of its value.
    match crate::named_tuples::enum_member(value) {
        Ok(Some(crate::named_tuples::EnumMember::Int(v))) => return Some(Ok(GlobalValue::Int(v))),
        Ok(Some(crate::named_tuples::EnumMember::Record(names))) => {
            let value = value.getattr("value").ok()?;
            return Some(
                freeze(&value)
                    .and_then(Result::ok)
                    .map(|v| GlobalValue::NamedTupleValue(names, vec![v]))
                    .ok_or("an Enum member whose value is not a number or a string"),
            );
        }
        _ => {}
    }
    if let Some((class, base)) = crate::errors::user_exception_class(value) {
        return Some(Ok(GlobalValue::ExceptionClass { class, base }));
    }
    if crate::named_tuples::is_enum_class(value).unwrap_or(false) {
        let class = value.getattr("__module__").and_then(|m| Ok(format!("{}.{}", m, value.getattr("__qualname__")?)));
        return Some(class.map(GlobalValue::EnumClass).map_err(|_| "an Enum class without a module or qualified name"));
    }
    if let Ok(Some(names)) = crate::named_tuples::names_of(value) {
        // Each field's default (`_field_defaults`), when it is frozen like a global.
        let given = value.getattr("_field_defaults").ok();
        let defaults = names
            .fields
            .iter()
            .map(|f| given.as_ref().and_then(|d| d.get_item(f).ok()).and_then(|v| freeze(&v)).and_then(Result::ok))
            .collect();
        return Some(Ok(GlobalValue::NamedTupleClass(names, defaults)));
    }
    numpy_scalar(value)
}

/// The largest array global frozen into the code (a larger one is passed as an argument).
const FROZEN_ARRAY_BYTES: usize = 64 << 20;

/// A NumPy array global (`COEFFS = np.array([...])`), frozen into the code as Numba freezes
/// one: its dtype, shape and elements (C order); `None` for anything else.
fn frozen_array(value: &Bound<'_, PyAny>) -> Option<Result<GlobalValue, &'static str>> {
    use numpy::{PyArrayDescrMethods, PyUntypedArray, PyUntypedArrayMethods};
    // SAFETY: a live object's type has a NUL-terminated tp_name.
    let name = unsafe { std::ffi::CStr::from_ptr((*pyo3::ffi::Py_TYPE(value.as_ptr())).tp_name) };
    if name.to_bytes() != b"numpy.ndarray" {
        return None;
    }
    let a = value.cast::<PyUntypedArray>().ok()?;
    let dtype = a.dtype();
    if dtype.has_fields() || dtype.has_subarray() || dtype.is_native_byteorder() == Some(false) {
        return Some(Err("an array of a dtype compiled code does not have"));
    }
    let Some(d) = jit_core::types::Dtype::from_kind_size(dtype.kind(), dtype.itemsize() as u64) else {
        return Some(Err("an array of a dtype compiled code does not have"));
    };
    if a.ndim() == 0 {
        return Some(Err("a 0-d array (freeze its value: `x = float(a)`)"));
    }
    if a.shape().iter().product::<usize>() * dtype.itemsize() > FROZEN_ARRAY_BYTES {
        return Some(Err("an array of more than 64 MiB (pass it to the function as an argument)"));
    }
    let bytes = value.call_method1("tobytes", ("C",)).ok()?;
    let data: Vec<u8> = bytes.extract().ok()?;
    let shape = a.shape().iter().map(|&n| n as i64).collect();
    Some(Ok(GlobalValue::Array(std::sync::Arc::new(jit_core::hir::FrozenArray { dtype: d, shape, data }))))
}

/// A NumPy scalar (`numpy.int32(0)`, `numpy.float32(0.5)`): ints and bools as Python's (compiled
/// code carries every integer but uint64 in an int64), float64 and complex128 as Python's
/// float and complex, float32, complex64 and uint64 as their own type ([`GlobalValue::Scalar`]).
fn numpy_scalar(value: &Bound<'_, PyAny>) -> Option<Result<GlobalValue, &'static str>> {
    let py = value.py();
    let generic = py.import("numpy").ok()?.getattr("generic").ok()?;
    if !value.is_instance(&generic).ok()? {
        return None;
    }
    let dtype = value.getattr("dtype").ok()?;
    let kind: String = dtype.getattr("kind").ok()?.extract().ok()?;
    let size: u64 = dtype.getattr("itemsize").ok()?.extract().ok()?;
    let item = value.call_method0("item").ok()?;
    let scalar =
        |d: &str, v: GlobalValue| GlobalValue::Scalar(jit_core::types::Dtype::from_name(d).expect("a dtype"), Box::new(v));
    Some(Ok(match (kind.as_str(), size) {
        ("b", _) => GlobalValue::Bool(item.is_truthy().ok()?),
        ("u", 8) => scalar("uint64", GlobalValue::Int(item.extract::<u64>().ok()? as i64)),
        ("i" | "u", _) => GlobalValue::Int(item.extract::<i64>().ok()?),
        ("f", 8) => GlobalValue::Float(item.extract().ok()?),
        ("f", 4) => scalar("float32", GlobalValue::Float(item.extract().ok()?)),
        ("c", 16 | 8) => {
            let z = item.cast::<pyo3::types::PyComplex>().ok()?;
            let v = GlobalValue::Complex(z.real(), z.imag());
            if size == 8 {
                scalar("complex64", v)
            } else {
                v
            }
        }
        _ => return Some(Err("a NumPy scalar of a dtype compiled code does not have")),
    }))
}

/// Whether `value` is a `stickyjit.types.WrapperAddressProtocol` object (a C function by address).
fn is_wrapper_address(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let wap = value.py().import("stickyjit.types")?.getattr("WrapperAddressProtocol")?;
    value.is_instance(&wap)
}

/// The C function a `WrapperAddressProtocol` object stands for: its address and signature, of
/// real numbers (`float64(float64)`); another signature is an Unsupported global naming it.
fn c_function(name: &str, value: &Bound<'_, PyAny>) -> PyResult<GlobalValue> {
    let py = value.py();
    let sig = value.call_method0("signature")?;
    let (args, ret): (Vec<Bound<'_, PyAny>>, Option<Bound<'_, PyAny>>) =
        py.import("stickyjit.types")?.call_method1("native_signature", (sig,))?.extract()?;
    let real = |d: &Bound<'_, PyAny>| -> Option<jit_core::types::Dtype> {
        let d = jit_core::types::Dtype::from_name(&d.extract::<String>().ok()?)?;
        (d.is_float() || d.is_signed() || d.is_unsigned()).then_some(d)
    };
    let args: Option<Vec<_>> = args.iter().map(real).collect();
    let (Some(args), Some(ret)) = (args, ret.as_ref().and_then(real)) else {
        return Ok(GlobalValue::Unsupported {
            description: format!(
                "a {} (a WrapperAddressProtocol object whose signature is not of real numbers, which compiled code does not call)",
                value.get_type().name()?
            ),
            is_function: false,
        });
    };
    let address: u64 = value.call_method0("__wrapper_address__")?.extract()?;
    Ok(GlobalValue::CFunction(jit_core::hir::CFunction { name: name.to_string(), address, args, ret }))
}

/// What an unsupported global is, for the compiler's message ("the Python function 'f'").
fn describe(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    let types = py.import("types")?;
    for function_type in ["FunctionType", "BuiltinFunctionType", "MethodType"] {
        if value.is_instance(&types.getattr(function_type)?)? {
            let name = value.getattr("__qualname__").or_else(|_| value.getattr("__name__"));
            let name = match name {
                Ok(n) => n.str()?.to_string(),
                Err(_) => "?".to_string(),
            };
            if value.hasattr("__stickyjit_overloads__")? {
                // stickyjit.extending.overload records, and does not compile, an implementation.
                return Ok(format!(
                    "the Python function '{name}', which has a Numba @overload (stickyjit records @overload implementations and does not compile them: jit a function that does the same)"
                ));
            }
            return Ok(format!("the Python function '{name}'"));
        }
    }
    Ok(format!("a {}", value.get_type().name()?))
}

/// A Python class whose instances are jitted functions (the dispatcher): how the program is
/// walked from one function to the functions it calls.
pub(crate) trait Jitted: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync {
    fn function(&self) -> &Function;
    /// Its decorator said `parallel=True` (its `prange` loops run on the thread pool).
    fn parallel(&self) -> bool;
    /// Its decorator's `locals=` declarations of number types.
    fn declared_locals(&self) -> &[(String, jit_core::types::Dtype)];
    /// The number type its signatures all declare it returns.
    fn declared_ret_dtype(&self) -> Option<jit_core::types::Dtype>;
}

/// One function of the program.
pub(crate) struct Member {
    pub parsed: Arc<Parsed>,
    pub env: Env,
    /// For a library implementation of a NumPy function (reached through [`Global::Library`]),
    /// the name the caller used (`np.histogram`), for its compile errors.
    pub library: Option<String>,
}

/// A global binding compiled code depends on: `name` (or `module.attr`) in a function's
/// globals referred to `expected`, a dispatcher (or the NumPy function a library
/// implementation stands for), when the code was made.
pub(crate) struct Dep {
    globals: Py<PyDict>,
    name: String,
    expected: Py<PyAny>,
}

impl Dep {
    /// Whether the binding still refers to the same dispatcher.
    pub fn holds(&self, py: Python<'_>) -> bool {
        let globals = self.globals.bind(py);
        let value = match self.name.split_once('.') {
            None => globals.get_item(&self.name).ok().flatten(),
            Some((base, attr)) => globals.get_item(base).ok().flatten().and_then(|m| m.getattr(attr).ok()),
        };
        value.is_some_and(|v| v.is(self.expected.bind(py)))
    }

    /// The name the caller uses, for `explain()`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

pub(crate) struct Program {
    /// `members[0]` is the function called; the others in the order first reached (a
    /// breadth-first walk over each function's globals in first-use order), which is what
    /// numbers them in the code key.
    pub members: Vec<Member>,
    pub deps: Vec<Dep>,
}

/// What a compile error inside a library implementation says first: the NumPy function the
/// caller called and what the implementation accepts (the first paragraph of its docstring).
fn library_label(name: &str, dispatcher: &Bound<'_, PyAny>) -> String {
    // `<ndarray>.cumsum`, an array method, is shown as `.cumsum`.
    let name = name.strip_prefix(jit_core::registry::LIBRARY_METHOD_PREFIX).map_or(name.to_string(), |m| format!(".{m}"));
    let doc: Option<String> = dispatcher.getattr("__doc__").ok().and_then(|d| d.extract().ok());
    let first = doc.as_deref().map(|d| {
        let paragraph = d.trim().split("\n\n").next().unwrap_or("");
        paragraph.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches('.').to_string()
    });
    match first.filter(|f| !f.is_empty()) {
        Some(first) => format!("{name}() is compiled from stickyjit's implementation, which supports: {first}"),
        None => format!("{name}() is compiled from stickyjit's implementation"),
    }
}

/// `err`, a compile error raised in a library implementation, with `label` ([`library_label`])
/// before its message.
pub(crate) fn in_library(py: Python<'_>, err: PyErr, label: &str) -> PyErr {
    let value = err.value(py);
    if let Ok(Some(msg)) = value.getattr("args").and_then(|a| a.get_item(0)).map(|m| m.extract::<String>().ok()) {
        let _ = value.setattr("args", (format!("{label}. Here: {msg}"),));
    }
    err
}

/// The program rooted at `root` (whose Python object, for recognizing recursion, is `root_obj`);
/// the jitted functions it calls are instances of `J`.
/// `extra` (jitted functions passed as arguments, `functions.rs`) are members of the program
/// right after the root (unless one is the root itself: unit 0).
pub(crate) fn collect<'py, J: Jitted>(
    py: Python<'py>,
    root: &Function,
    root_obj: &Bound<'py, PyAny>,
    extra: &[Bound<'py, PyAny>],
) -> PyResult<Program> {
    let mut objs: Vec<Bound<'py, PyAny>> = vec![root_obj.clone()];
    for e in extra {
        if !objs.iter().any(|o| o.is(e)) {
            objs.push(e.clone());
        }
    }
    // Parallel to `objs`: the caller's name of the NumPy function a library member implements.
    let mut library: Vec<Option<String>> = vec![None; objs.len()];
    let mut members = Vec::new();
    let mut deps = Vec::new();
    // The `@vectorize` kernels reached (by unit) and the error model each one's decorator gave.
    let mut kernels: Vec<(u32, jit_core::ErrorModel)> = Vec::new();
    let mut i = 0;
    while i < objs.len() {
        let obj = objs[i].clone();
        let function: &Function = if i == 0 { root } else { obj.cast::<J>()?.get().function() };
        let parsed = function.parsed(py)?;
        let globals = function.globals(py)?;
        let mut reached = Vec::new();
        // The helpers a library implementation calls report their errors under its label too.
        let here = library[i].clone();
        let env = resolve::<J>(
            py,
            function,
            &obj,
            &parsed,
            &mut kernels,
            &mut |name: &str, callee: &Bound<'py, PyAny>, bound: &Bound<'py, PyAny>, is_library: bool| {
                reached.push((name.to_string(), bound.clone()));
                match objs.iter().position(|o| o.is(callee)) {
                    Some(k) => k as u32,
                    None => {
                        objs.push(callee.clone());
                        library.push(is_library.then(|| library_label(name, callee)).or_else(|| here.clone()));
                        (objs.len() - 1) as u32
                    }
                }
            },
        )?;
        // A variable of an enclosing function is frozen when compiled (no global to watch).
        let freevars: Vec<String> = function.func(py).getattr("__code__")?.getattr("co_freevars")?.extract()?;
        for (name, bound) in reached {
            if name.starts_with(jit_core::registry::LIBRARY_METHOD_PREFIX) {
                // `a.cumsum()`: bound to NumPy's method, not to a global that could change.
                continue;
            }
            if freevars.iter().any(|v| *v == name || name.starts_with(&format!("{v}."))) {
                continue;
            }
            deps.push(Dep { globals: globals.clone().unbind(), name, expected: bound.unbind() });
        }
        let mut env = env;
        // Its own decorator's options.
        if let Ok(d) = obj.cast::<J>() {
            let d = d.get();
            env.parallel = d.parallel();
            env.declared = d.declared_locals().to_vec();
            env.ret_dtype = d.declared_ret_dtype();
        }
        env.strict_math = library[i].is_some();
        env.error_model = kernels.iter().find(|(unit, _)| *unit as usize == i).map(|(_, m)| *m);
        members.push(Member { parsed, env, library: library[i].clone() });
        i += 1;
    }
    Ok(Program { members, deps })
}

/// What the globals `function` reads are bound to, and its parameters' defaults. A jitted
/// function (itself, `slf_obj`, included) is numbered by `jitted(name, dispatcher, bound, library)`, its
/// index in the program being collected; `bound` is what the name refers to (the dispatcher, or
/// the NumPy function a library dispatcher implements), which the code then depends on.
fn resolve<'py, J: Jitted>(
    py: Python<'py>,
    function: &Function,
    slf_obj: &Bound<'py, PyAny>,
    parsed: &Parsed,
    kernels: &mut Vec<(u32, jit_core::ErrorModel)>,
    jitted: &mut Numbering<'_, 'py>,
) -> PyResult<Env> {
    let names = jit_core::lower::global_names(&parsed.ast);
    let support = py.import("stickyjit._support")?;
    let resolved =
        support.call_method1("resolve_globals", (function.func(py), PyList::new(py, &names)?, slf_obj, py.get_type::<J>()))?;
    let mut env = Env { filename: parsed.filename.clone(), ..Default::default() };
    for item in resolved.try_iter()? {
        let (name, category, payload): (String, Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
        let v = match *category.cast::<Global>()?.get() {
            Global::Value => match freeze(&payload) {
                Some(Ok(frozen)) => frozen,
                None if is_wrapper_address(&payload)? => c_function(&name, &payload)?,
                Some(Err(why)) => GlobalValue::Unsupported { description: why.to_string(), is_function: false },
                None => GlobalValue::Unsupported { description: describe(&payload)?, is_function: payload.is_callable() },
            },
            Global::Module => GlobalValue::Module(payload.extract()?),
            Global::Math => GlobalValue::MathFunction(payload.extract()?),
            Global::Numpy => GlobalValue::NumpyFunction(payload.extract()?),
            Global::NumpyDtype => GlobalValue::NumpyDtype(payload.extract()?),
            Global::Builtin => GlobalValue::Builtin(payload.extract()?),
            Global::SelfFunction => {
                jitted(&name, slf_obj, slf_obj, false);
                GlobalValue::SelfFunction
            }
            Global::Jitted if payload.is(slf_obj) => {
                jitted(&name, slf_obj, slf_obj, false);
                GlobalValue::SelfFunction
            }
            Global::Jitted => {
                let unit = jitted(&name, &payload, &payload, false);
                let qualname = payload.getattr("__qualname__").and_then(|q| q.extract()).unwrap_or_else(|_| name.clone());
                GlobalValue::Jitted { name: qualname, unit }
            }
            Global::Library => {
                let (bound, dispatcher): (Bound<'_, PyAny>, Bound<'_, PyAny>) = payload.extract()?;
                if !dispatcher.is_instance(&py.get_type::<J>())? {
                    return Err(pyo3::exceptions::PyTypeError::new_err("Global.LIBRARY needs a jitted implementation"));
                }
                let unit = jitted(&name, &dispatcher, &bound, true);
                GlobalValue::Jitted { name: name.clone(), unit }
            }
            Global::Vectorized => {
                type Payload<'p> =
                    (Bound<'p, PyAny>, Bound<'p, PyAny>, Option<Vec<(Vec<String>, String)>>, String, Option<GufuncPayload>, i64);
                let (bound, kernel, loops, error_model, gufunc, identity): Payload<'_> = payload.extract()?;
                if !kernel.is_instance(&py.get_type::<J>())? {
                    return Err(pyo3::exceptions::PyTypeError::new_err("Global.VECTORIZED needs a jitted kernel"));
                }
                let unit = jitted(&name, &kernel, &bound, false);
                let model = if error_model == "numpy" { jit_core::ErrorModel::Numpy } else { jit_core::ErrorModel::Python };
                kernels.push((unit, model));
                let dtype = |d: &str| {
                    jit_core::registry::Dtype::from_name(d)
                        .ok_or_else(|| pyo3::exceptions::PyTypeError::new_err(format!("Global.VECTORIZED: no dtype {d:?}")))
                };
                let loops = match loops {
                    None => None,
                    Some(loops) => Some(
                        loops
                            .iter()
                            .map(|(ins, out)| {
                                Ok(jit_core::hir::UfuncLoop {
                                    inputs: ins.iter().map(|d| dtype(d)).collect::<PyResult<_>>()?,
                                    output: dtype(out)?,
                                })
                            })
                            .collect::<PyResult<Vec<_>>>()?,
                    ),
                };
                let qualname = bound.getattr("__qualname__").and_then(|q| q.extract()).unwrap_or_else(|_| name.clone());
                let gufunc = gufunc.map(gufunc_of).transpose()?;
                GlobalValue::Vectorized { name: qualname, unit, loops, gufunc, identity }
            }
            Global::Cfunc => {
                let (bound, dispatcher): (Bound<'_, PyAny>, Bound<'_, PyAny>) = payload.extract()?;
                if !dispatcher.is_instance(&py.get_type::<J>())? {
                    return Err(pyo3::exceptions::PyTypeError::new_err("Global.CFUNC needs a jitted function"));
                }
                let unit = jitted(&name, &dispatcher, &bound, false);
                let qualname = bound.getattr("__qualname__").and_then(|q| q.extract()).unwrap_or_else(|_| name.clone());
                GlobalValue::Jitted { name: qualname, unit }
            }
            Global::Unsupported => GlobalValue::Unsupported { description: payload.extract()?, is_function: false },
            Global::UnsupportedFunction => GlobalValue::Unsupported { description: payload.extract()?, is_function: true },
            Global::Undefined => GlobalValue::Undefined,
        };
        env.globals.insert(name, v);
    }
    env.defaults = defaults(py, function)?;
    // The jitclass method names (`Env::record_methods`).
    env.record_methods = py.import("stickyjit.experimental")?.getattr("_METHOD_NAMES")?.extract()?;
    Ok(env)
}

/// Each parameter's default, when it is a number or a tuple of them (`None`: no default, or
/// another value).
fn defaults(py: Python<'_>, function: &Function) -> PyResult<Vec<Option<ConstValue>>> {
    let defaults = function.defaults(py)?;
    let n = function.by_position();
    let mut out = vec![None; function.param_names.len()];
    for (i, d) in defaults.iter().enumerate() {
        let slot = n - defaults.len() + i;
        out[slot] = default_value(d);
    }
    for (slot, name) in out.iter_mut().zip(&function.param_names).take(function.positional()).skip(n) {
        if let Some(d) = function.kwdefault(py, name)? {
            *slot = default_value(&d);
        }
    }
    Ok(out)
}

/// Whether a parameter's default `d` is a constant of code compiled for calls that leave the
/// argument out (the default's value is then in the code key, as `Env::defaults`).
pub(crate) fn is_constant_default(d: &Bound<'_, PyAny>) -> bool {
    default_value(d).is_some()
}

/// A default value as a constant: a number, `None`, a string, or an exact tuple of these
/// (nested too).
fn default_value(d: &Bound<'_, PyAny>) -> Option<ConstValue> {
    if d.is_none() {
        return Some(ConstValue::None);
    }
    if let Ok(s) = d.cast_exact::<pyo3::types::PyString>() {
        return s.to_str().ok().map(|s| ConstValue::Str(s.to_string()));
    }
    if let Ok(t) = d.cast_exact::<PyTuple>() {
        return t.iter().map(|item| default_value(&item)).collect::<Option<Vec<_>>>().map(ConstValue::Tuple);
    }
    // SAFETY: `d` is alive (held by the caller) and the GIL is held.
    if let Some((kind, s)) = unsafe { classify_fast(d.as_ptr()) } {
        return Some(match kind {
            Kind::Float64 => ConstValue::Float(abi::slot_float(s)),
            Kind::Bool => ConstValue::Bool(abi::slot_bool(s)),
            _ => ConstValue::Int(abi::slot_int(s)),
        });
    }
    // A NumPy scalar that compiled code carries as Python's number (`rtol=4 * np.finfo(float).eps`
    // is a numpy.float64; a float32 or a uint64 keeps its own type and is not a constant here),
    // and a Python complex.
    match freeze(d)?.ok()? {
        GlobalValue::Float(f) => Some(ConstValue::Float(f)),
        GlobalValue::Int(i) => Some(ConstValue::Int(i)),
        GlobalValue::Bool(b) => Some(ConstValue::Bool(b)),
        GlobalValue::Complex(re, im) => Some(ConstValue::Complex(re, im)),
        _ => None,
    }
}
