//! Argument typing at the call boundary: each Python value → a kind code (part of the
//! specialization key) and the slot the compiled entry reads, packed as `jit_core::abi` says.

use std::borrow::Cow;
use std::sync::Mutex;

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::named_tuples::EnumMember;
use jit_core::abi::{self, ArrayDesc, Scalar, Slot};
use jit_core::registry;
use jit_core::types::{ArrayType, Dtype, Items, Layout, TupleNames};
use jit_core::Type;
use numpy::{PyArrayDescrMethods, PyUntypedArray, PyUntypedArrayMethods};
use std::sync::Arc;

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
    /// Python `complex` and `numpy.complex128`.
    Complex128,
    Complex64,
    Tuple(u32),
    /// A NumPy array: its dtype, dimensions, layout and writeability, held in the kind itself
    /// (no table to look up on the call path).
    Array(ArrayType),
    /// A `numpy.random.Generator`: its slot is the address of its bit generator's `bitgen_t`.
    Generator,
    /// A Python list of numbers: its slot is the address of a list block holding a copy of its
    /// items (`lists.rs`), copied back after the call.
    List(crate::lists::ListItem),
    /// A C pointer (`CPointer(dtype)`, `voidptr`): a `@cfunc`'s parameter only, never a
    /// Python value's kind (no call from Python passes one).
    Pointer(Option<Dtype>),
    /// A Python `str`: its slot is the address of a string block holding a copy of its code
    /// points (`jit_core::string`), freed with the call's other blocks.
    Str,
    /// A jitted function (its dispatcher, by index into `functions.rs`'s table): no slot; the
    /// code calls that function directly.
    Function(u32),
    /// `None`: no slot (an `if x is None:` on it compiles only the branch taken).
    None,
}

/// A tuple kind's element kinds, and for a namedtuple its class's names.
type TupleKind = (Vec<Kind>, Option<Arc<TupleNames>>);

/// Every tuple kind seen, by `Kind::Tuple` index (only ever appended to).
static TUPLE_KINDS: Mutex<Vec<TupleKind>> = Mutex::new(Vec::new());

impl Kind {
    /// The kind of a tuple with these element kinds.
    pub fn tuple(items: Vec<Kind>) -> Kind {
        Kind::tuple_of(items, None)
    }

    /// The kind of a tuple with these element kinds, a namedtuple of class `names` if given.
    pub fn tuple_of(items: Vec<Kind>, names: Option<Arc<TupleNames>>) -> Kind {
        let mut table = TUPLE_KINDS.lock().unwrap_or_else(|e| e.into_inner());
        let entry = (items, names);
        let i = table.iter().position(|t| *t == entry).unwrap_or_else(|| {
            table.push(entry);
            table.len() - 1
        });
        Kind::Tuple(i as u32)
    }

    /// The element kinds of a tuple kind.
    pub fn items(i: u32) -> Vec<Kind> {
        TUPLE_KINDS.lock().unwrap_or_else(|e| e.into_inner())[i as usize].0.clone()
    }

    /// The class of a namedtuple kind (`None` for a plain tuple).
    pub fn tuple_names(i: u32) -> Option<Arc<TupleNames>> {
        TUPLE_KINDS.lock().unwrap_or_else(|e| e.into_inner())[i as usize].1.clone()
    }

    /// The type of tuple kind `i` whose items have the types `items`.
    pub fn tuple_type(i: u32, items: Vec<Type>) -> Type {
        match Kind::tuple_names(i) {
            Some(names) => Type::Tuple(Items::named(items, names)),
            None => Type::tuple(items),
        }
    }

    /// The kind of a scalar of dtype `d`.
    fn scalar(d: Dtype) -> Kind {
        match d {
            Dtype::Bool => Kind::Bool,
            Dtype::Int8 => Kind::Int8,
            Dtype::Int16 => Kind::Int16,
            Dtype::Int32 => Kind::Int32,
            Dtype::Int64 => Kind::Int64,
            Dtype::UInt8 => Kind::UInt8,
            Dtype::UInt16 => Kind::UInt16,
            Dtype::UInt32 => Kind::UInt32,
            Dtype::UInt64 => Kind::UInt64,
            Dtype::Float32 => Kind::Float32,
            Dtype::Float64 => Kind::Float64,
            Dtype::Complex64 => Kind::Complex64,
            Dtype::Complex128 => Kind::Complex128,
        }
    }

    /// The dtype of a scalar kind (`None` for tuples and arrays).
    pub(crate) fn dtype(self) -> Option<Dtype> {
        Some(match self {
            Kind::Bool => Dtype::Bool,
            Kind::Int8 => Dtype::Int8,
            Kind::Int16 => Dtype::Int16,
            Kind::Int32 => Dtype::Int32,
            Kind::Int64 => Dtype::Int64,
            Kind::UInt8 => Dtype::UInt8,
            Kind::UInt16 => Dtype::UInt16,
            Kind::UInt32 => Dtype::UInt32,
            Kind::UInt64 => Dtype::UInt64,
            Kind::Float32 => Dtype::Float32,
            Kind::Float64 => Dtype::Float64,
            Kind::Complex64 => Dtype::Complex64,
            Kind::Complex128 => Dtype::Complex128,
            Kind::Tuple(_)
            | Kind::Array(_)
            | Kind::Generator
            | Kind::List(_)
            | Kind::Pointer(_)
            | Kind::Str
            | Kind::None
            | Kind::Function(_) => return None,
        })
    }

    pub fn name(self) -> Cow<'static, str> {
        match self {
            Kind::Array(a) => Cow::Owned(Type::Array(a).to_string()),
            Kind::Generator => Cow::Borrowed("Generator"),
            Kind::Str => Cow::Borrowed("str"),
            Kind::None => Cow::Borrowed("none"),
            Kind::Function(i) => Cow::Owned(format!("function({})", crate::functions::name(i))),
            Kind::Pointer(d) => Cow::Owned(Type::Pointer(d).to_string()),
            Kind::List(item) => Cow::Owned(Type::List(Box::new(item.core_type())).to_string()),
            Kind::Tuple(i) => {
                let items: Vec<Cow<str>> = Kind::items(i).into_iter().map(Kind::name).collect();
                match Kind::tuple_names(i) {
                    Some(n) => Cow::Owned(format!("{}({})", n.class, items.join(", "))),
                    None => Cow::Owned(format!("tuple({})", items.join(", "))),
                }
            }
            scalar => Cow::Borrowed(scalar.dtype().expect("a scalar kind").name()),
        }
    }

    /// Whether the argument holds strings (their blocks are freed with the call's blocks).
    pub fn holds_strings(self) -> bool {
        match self {
            Kind::Str | Kind::List(crate::lists::ListItem::Str) => true,
            Kind::Tuple(i) => Kind::items(i).into_iter().any(Kind::holds_strings),
            _ => false,
        }
    }

    /// The type compiled code sees.
    pub fn core_type(self) -> Type {
        match self {
            Kind::Tuple(i) => Kind::tuple_type(i, Kind::items(i).into_iter().map(Kind::core_type).collect()),
            Kind::Array(a) => Type::Array(a),
            Kind::Generator => Type::Generator,
            Kind::Str => Type::Str,
            Kind::None => Type::None,
            // Its unit in a program: `functions::core_type` gives it when compiling.
            Kind::Function(i) => Type::Function(i),
            Kind::Pointer(d) => Type::Pointer(d),
            Kind::List(item) => Type::List(Box::new(item.core_type())),
            scalar => scalar.dtype().expect("a scalar kind").row().argument.clone(),
        }
    }
}

/// The hot path: exact `int`, `float`, `bool`. `None` sends the value to [`classify_slow`].
///
/// # Safety
/// `p` is a live object the caller holds a reference to, and the GIL is held.
#[inline(always)]
pub unsafe fn classify_fast(p: *mut ffi::PyObject) -> Option<(Kind, Slot)> {
    unsafe {
        let t = ffi::Py_TYPE(p);
        if t == &raw mut ffi::PyFloat_Type {
            return Some((Kind::Float64, abi::float_slot(ffi::PyFloat_AS_DOUBLE(p))));
        }
        if t == &raw mut ffi::PyLong_Type {
            let mut overflow = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(p, &mut overflow);
            if overflow != 0 {
                return None;
            }
            return Some((Kind::Int64, abi::int_slot(v)));
        }
        if t == &raw mut ffi::PyBool_Type {
            return Some((Kind::Bool, abi::bool_slot(p == ffi::Py_True())));
        }
    }
    None
}

/// An argument's kind and slot; a tuple or an array goes, flattened, into a buffer of its own
/// that the slot points to (`abi::Passing::Indirect`; `buffers` keeps it alive for the call).
pub fn classify_arg(
    py: Python<'_>,
    ob: &Bound<'_, PyAny>,
    func: &str,
    param: &str,
    buffers: &mut Vec<Vec<Slot>>,
) -> PyResult<(Kind, Slot)> {
    if let Ok(t) = ob.cast::<PyTuple>() {
        // A tuple, or a namedtuple (typed by its class; another subclass of tuple is not
        // taken: it may behave otherwise).
        let names = crate::named_tuples::names_of_instance(ob)?;
        if names.is_some() || ob.cast_exact::<PyTuple>().is_ok() {
            let mut flat = Vec::new();
            let kind = classify_tuple(py, t, names, func, param, &mut flat)?;
            let ptr = abi::ptr_slot(flat.as_ptr()); // the heap block does not move when `flat` does
            buffers.push(flat);
            return Ok((kind, ptr));
        }
    }
    if let Ok(l) = ob.cast::<pyo3::types::PyList>() {
        // A list, or `stickyjit.typed.List` (Numba's typed list), which is one.
        if ob.cast_exact::<pyo3::types::PyList>().is_ok() || is_typed_list(ob) {
            let (item, slot) = crate::lists::to_block(l, func, param)?;
            return Ok((Kind::List(item), slot));
        }
    }
    if ob.cast_exact::<pyo3::types::PyString>().is_ok() {
        return Ok((Kind::Str, crate::strings::string_block(ob.as_ptr())?));
    }
    if ob.is_none() {
        return Ok((Kind::None, 0));
    }
    if let Some(i) = crate::functions::index_of(ob) {
        return Ok((Kind::Function(i), 0));
    }
    if let Some((kind, parts)) = classify_complex(ob)? {
        // Two slots, passed by address as a tuple's are (`abi::passing`).
        let flat = parts.to_vec();
        let ptr = abi::ptr_slot(flat.as_ptr());
        buffers.push(flat);
        return Ok((kind, ptr));
    }
    // Only objects whose type comes from NumPy are asked whether they are arrays (asking
    // imports NumPy's C API). The type's C name says it without a Python call.
    // SAFETY: a live object's type has a NUL-terminated tp_name.
    let from_numpy = unsafe { std::ffi::CStr::from_ptr((*ffi::Py_TYPE(ob.as_ptr())).tp_name) }.to_bytes().starts_with(b"numpy.");
    if from_numpy {
        if let Some(slot) = generator_slot(ob, buffers)? {
            return Ok((Kind::Generator, slot));
        }
        if let Ok(a) = ob.cast::<PyUntypedArray>() {
            let (kind, desc) = classify_array(a, func, param)?;
            let ptr = abi::ptr_slot(desc.as_ptr());
            buffers.push(desc);
            return Ok((kind, ptr));
        }
    }
    if let Some((names, info)) = crate::named_tuples::jitclass_of(ob)? {
        let mut flat = Vec::new();
        let kind = classify_record(py, ob, names, &info, func, param, &mut flat)?;
        let ptr = abi::ptr_slot(flat.as_ptr()); // the heap block does not move when `flat` does
        buffers.push(flat);
        return Ok((kind, ptr));
    }
    match crate::named_tuples::enum_member(ob)? {
        Some(EnumMember::Int(v)) => Ok((Kind::Int64, abi::int_slot(v))),
        Some(EnumMember::Record(names)) => {
            let mut flat = Vec::new();
            let kind = classify_tuple(py, &crate::named_tuples::enum_value(ob)?, Some(names), func, param, &mut flat)?;
            let ptr = abi::ptr_slot(flat.as_ptr()); // the heap block does not move when `flat` does
            buffers.push(flat);
            Ok((kind, ptr))
        }
        None => classify_slow(py, ob, func, param),
    }
}

/// Whether `ob` is a `stickyjit.typed.List`.
fn is_typed_list(ob: &Bound<'_, PyAny>) -> bool {
    ob.get_type()
        .getattr(pyo3::intern!(ob.py(), "__stickyjit_builtin__"))
        .is_ok_and(|b| b.extract::<String>().is_ok_and(|b| b == "typed.List"))
}

/// A jitclass instance's kind: the record of its fields' values (as its class converts them,
/// `__stickyjit_jitclass__.values`), flattened into `flat` as a tuple's items are.
fn classify_record(
    py: Python<'_>,
    ob: &Bound<'_, PyAny>,
    names: Arc<TupleNames>,
    info: &Bound<'_, PyAny>,
    func: &str,
    param: &str,
    flat: &mut Vec<Slot>,
) -> PyResult<Kind> {
    let values = info.call_method1(pyo3::intern!(py, "values"), (ob,))?;
    let values = values.cast::<PyTuple>()?;
    classify_tuple(py, values, Some(names), func, param, flat)
}

/// A `numpy.random.Generator`'s slot: the address of a `bitgen_t` through which compiled code
/// draws from NumPy's own state, so Python sees the Generator advanced. For a `PCG64` (whose
/// `pcg64_state` the runtime lays out as NumPy does, checked once: [`pcg64_layout_is_numpys`])
/// a `bitgen_t` of the runtime's PCG64 functions over NumPy's state, in `buffers` for the call
/// (compiled code steps it inline); for any other bit generator its own `bitgen_t` (its
/// `capsule`, as `Generator.__init__` takes it). The caller holds the Generator (and so its bit
/// generator) for the call. `None` for anything else.
fn generator_slot(ob: &Bound<'_, PyAny>, buffers: &mut Vec<Vec<Slot>>) -> PyResult<Option<Slot>> {
    if tp_name(ob) != b"numpy.random._generator.Generator" {
        return Ok(None);
    }
    let bit_generator = ob.getattr("bit_generator")?;
    let capsule = bit_generator.getattr("capsule")?;
    // SAFETY: a live object; PyCapsule_GetPointer checks the capsule's type and name.
    let ptr = unsafe { ffi::PyCapsule_GetPointer(capsule.as_ptr(), c"BitGenerator".as_ptr()) };
    if ptr.is_null() {
        return Err(PyErr::fetch(ob.py()));
    }
    if tp_name(&bit_generator) == b"numpy.random._pcg64.PCG64" {
        // SAFETY: `ptr` is the bit generator's `bitgen_t`, whose first field is its state.
        let state = unsafe { *(ptr as *const *mut std::ffi::c_void) };
        if pcg64_layout_is_numpys(&bit_generator, state)? {
            let shim = jit_core::random::generator::pcg64_bitgen(state).to_vec();
            let slot = abi::ptr_slot(shim.as_ptr()); // the heap block does not move when `shim` does
            buffers.push(shim);
            return Ok(Some(slot));
        }
    }
    Ok(Some(abi::ptr_slot(ptr as *const u8)))
}

/// The C name of an object's type (`numpy.random._pcg64.PCG64`).
fn tp_name<'a>(ob: &'a Bound<'_, PyAny>) -> &'a [u8] {
    // SAFETY: a live object's type has a NUL-terminated tp_name, which lives as long as it.
    unsafe { std::ffi::CStr::from_ptr((*ffi::Py_TYPE(ob.as_ptr())).tp_name) }.to_bytes()
}

/// Whether NumPy's `pcg64_state` is laid out as the runtime's (`pcg64_state_of`): checked once
/// per process, on the first PCG64 passed in, against what its `state` property reports (a
/// NumPy built without 128-bit integers lays it out otherwise: then every PCG64 is drawn
/// through its own `bitgen_t`).
fn pcg64_layout_is_numpys(bit_generator: &Bound<'_, PyAny>, state: *mut std::ffi::c_void) -> PyResult<bool> {
    static SAME: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if let Some(&same) = SAME.get() {
        return Ok(same);
    }
    let reported = bit_generator.getattr("state")?;
    let inner = reported.get_item("state")?;
    let want: (u128, u128, i32, u32) = (
        inner.get_item("state")?.extract()?,
        inner.get_item("inc")?.extract()?,
        reported.get_item("has_uint32")?.extract()?,
        reported.get_item("uinteger")?.extract()?,
    );
    // SAFETY: `state` is the live PCG64's state; only read.
    let got = unsafe { jit_core::random::generator::pcg64_state_of(state) };
    Ok(*SAME.get_or_init(|| got == want))
}

/// A complex number's kind and its two slots (real part, imaginary part): Python's `complex`
/// and its subclass `numpy.complex128`, and `numpy.complex64`; `None` for anything else.
fn classify_complex(ob: &Bound<'_, PyAny>) -> PyResult<Option<(Kind, [Slot; 2])>> {
    let slots = |re: f64, im: f64| [abi::float_slot(re), abi::float_slot(im)];
    if let Ok(z) = ob.cast::<pyo3::types::PyComplex>() {
        return Ok(Some((Kind::Complex128, slots(z.real(), z.imag()))));
    }
    // SAFETY: a live object's type has a NUL-terminated tp_name.
    let name = unsafe { std::ffi::CStr::from_ptr((*ffi::Py_TYPE(ob.as_ptr())).tp_name) }.to_bytes();
    if name == b"numpy.complex64" {
        let z = ob.call_method0("__complex__")?;
        let z = z.cast::<pyo3::types::PyComplex>()?;
        return Ok(Some((Kind::Complex64, slots(z.real(), z.imag()))));
    }
    Ok(None)
}

/// An array's kind and its descriptor (`abi::ArrayDesc`; no copy of the data).
fn classify_array(a: &Bound<'_, PyUntypedArray>, func: &str, param: &str) -> PyResult<(Kind, Vec<Slot>)> {
    let dtype = a.dtype();
    let unsupported = |what: String| {
        PyTypeError::new_err(format!(
            "{func}() argument '{param}' is an array of {what}; supported dtypes: {}",
            registry::dtype_names_text()
        ))
    };
    if dtype.has_fields() || dtype.has_subarray() {
        return Err(unsupported("a structured dtype".into()));
    }
    let Some(d) = Dtype::from_kind_size(dtype.kind(), dtype.itemsize() as u64) else {
        return Err(unsupported(format!("dtype '{}'", dtype.str().map(|s| s.to_string()).unwrap_or_default())));
    };
    if dtype.is_native_byteorder() == Some(false) {
        return Err(unsupported(format!("non-native byte order ('{}')", dtype.str().map(|s| s.to_string()).unwrap_or_default())));
    }
    let ndim = a.ndim();
    if ndim > 32 {
        return Err(unsupported(format!("{ndim} dimensions")));
    }
    let layout = if a.is_c_contiguous() {
        Layout::C
    } else if a.is_fortran_contiguous() {
        Layout::F
    } else {
        Layout::A
    };
    // SAFETY: `a` is a live ndarray; its struct is read, not changed.
    let (data, writeable) = unsafe {
        let raw = a.as_array_ptr();
        (abi::ptr_slot((*raw).fields.data), (*raw).fields.flags & numpy::npyffi::NPY_ARRAY_WRITEABLE != 0)
    };
    let mut desc = Vec::with_capacity(ArrayDesc::new(ndim as u8).slots());
    let (shape, strides) = (a.shape().iter().map(|&n| n as i64), a.strides().iter().map(|&s| s as i64));
    ArrayDesc::push(&mut desc, data, shape, strides);
    let t = ArrayType { dtype: d, ndim: ndim as u8, layout, readonly: !writeable };
    Ok((Kind::Array(t), desc))
}

/// A tuple's kind; its elements appended to `flat`, flattened as `abi::tuple_offsets` lays them
/// out (one slot per number, nested tuples inline).
fn classify_tuple(
    py: Python<'_>,
    t: &Bound<'_, PyTuple>,
    names: Option<Arc<TupleNames>>,
    func: &str,
    param: &str,
    flat: &mut Vec<Slot>,
) -> PyResult<Kind> {
    let mut kinds = Vec::with_capacity(t.len());
    for item in t.iter() {
        // SAFETY: `item` is alive (held by the tuple) and the GIL is held.
        if let Some((k, s)) = unsafe { classify_fast(item.as_ptr()) } {
            kinds.push(k);
            flat.push(s);
            continue;
        }
        if let Ok(inner) = item.cast::<PyTuple>() {
            let inner_names = crate::named_tuples::names_of_instance(&item)?;
            if inner_names.is_some() || item.cast_exact::<PyTuple>().is_ok() {
                kinds.push(classify_tuple(py, inner, inner_names, func, param, flat)?);
                continue;
            }
        }
        if let Some((k, parts)) = classify_complex(&item)? {
            kinds.push(k);
            flat.extend(parts);
            continue;
        }
        if item.cast_exact::<pyo3::types::PyString>().is_ok() {
            kinds.push(Kind::Str);
            flat.push(crate::strings::string_block(item.as_ptr())?);
            continue;
        }
        if let Some((names, info)) = crate::named_tuples::jitclass_of(&item)? {
            kinds.push(classify_record(py, &item, names, &info, func, param, flat)?);
            continue;
        }
        match crate::named_tuples::enum_member(&item)? {
            Some(EnumMember::Int(v)) => {
                kinds.push(Kind::Int64);
                flat.push(abi::int_slot(v));
                continue;
            }
            Some(EnumMember::Record(names)) => {
                let value = crate::named_tuples::enum_value(&item)?;
                kinds.push(classify_tuple(py, &value, Some(names), func, param, flat)?);
                continue;
            }
            None => {}
        }
        // A jitted function takes no slot in the flattened tuple.
        if let Some(i) = crate::functions::index_of(&item) {
            kinds.push(Kind::Function(i));
            continue;
        }
        // An array's descriptor goes inline (no copy of its data; the tuple holds the array
        // for the call).
        if tp_name(&item).starts_with(b"numpy.") {
            if let Ok(a) = item.cast::<PyUntypedArray>() {
                let (k, desc) = classify_array(a, func, param)?;
                kinds.push(k);
                flat.extend(desc);
                continue;
            }
        }
        // (The numbers `classify_fast` takes were taken first.)
        let (k, s) = classify_slow(py, &item, func, param)?;
        kinds.push(k);
        flat.push(s);
    }
    Ok(Kind::tuple_of(kinds, names))
}

/// Everything else: an int outside int64, a NumPy scalar, or a value of an unsupported type.
pub fn classify_slow(py: Python<'_>, ob: &Bound<'_, PyAny>, func: &str, param: &str) -> PyResult<(Kind, Slot)> {
    if ob.get_type().is(py.get_type::<pyo3::types::PyInt>()) {
        // Between 2**63 and 2**64: a uint64, as Numba types it.
        if let Ok(v) = ob.extract::<u64>() {
            return Ok((Kind::UInt64, abi::uint_slot(v)));
        }
        return Err(PyOverflowError::new_err(format!(
            "{func}() argument '{param}': {} does not fit in a 64-bit integer",
            ob.repr()?
        )));
    }
    let support = py.import("stickyjit._support")?;
    let r = support.call_method1("classify_scalar", (ob,))?;
    if !r.is_none() {
        let (name, value): (String, Bound<'_, PyAny>) = r.extract()?;
        if let Some(kind) = Dtype::from_name(&name).map(Kind::scalar) {
            let slot = match Scalar::of(&kind.core_type()).expect("a NumPy scalar's kind is a scalar") {
                Scalar::Float64 => abi::float_slot(value.extract::<f64>()?),
                Scalar::Bool => abi::bool_slot(value.extract::<bool>()?),
                Scalar::UInt64 => abi::uint_slot(value.extract::<u64>()?),
                Scalar::Int64 => match value.extract::<i64>() {
                    Ok(v) => abi::int_slot(v),
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
    // A jitted function stored in a class is called as a method, with the instance first.
    let method = if param == "self" {
        "; a method's instance is not compiled: jit a function of the numbers and arrays it needs and call it from the method"
    } else {
        ""
    };
    let method = if method.is_empty() { crate::functions::not_jitted_hint(ob) } else { method };
    Err(PyTypeError::new_err(format!(
        "{func}() argument '{param}' has unsupported type '{}'; supported: int, float, complex, bool, NumPy integer, float, complex and bool scalars, NumPy arrays of numbers, tuples and namedtuples of those, numpy.random.Generator, and jitted functions{method}",
        ob.get_type().name()?
    )))
}

/// The kind a signature's descriptor names (`stickyjit.types.native`): a dtype name, or
/// `("array", dtype, ndim, layout, readonly)`, or `("tuple", [items])`.
pub fn kind_of_descriptor(d: &Bound<'_, PyAny>) -> PyResult<Kind> {
    if let Ok(name) = d.extract::<String>() {
        // `none`: one of the signatures an `optional(T)` argument stands for.
        if name == "none" {
            return Ok(Kind::None);
        }
        return Dtype::from_name(&name)
            .map(Kind::scalar)
            .ok_or_else(|| PyTypeError::new_err(format!("a signature's argument cannot be of type {name}")));
    }
    let (tag, rest): (String, Bound<'_, PyTuple>) = {
        let t = d.cast::<PyTuple>()?;
        (t.get_item(0)?.extract()?, t.get_slice(1, t.len()))
    };
    match tag.as_str() {
        "array" => {
            let (dtype, ndim, layout, readonly): (String, u8, String, bool) = rest.extract()?;
            let dtype = Dtype::from_name(&dtype).ok_or_else(|| PyTypeError::new_err(format!("no arrays of {dtype}")))?;
            let layout = match layout.as_str() {
                // A contiguous 1-d array is C (the dispatcher classifies it so).
                "C" => Layout::C,
                "F" if ndim == 1 => Layout::C,
                "F" => Layout::F,
                _ => Layout::A,
            };
            Ok(Kind::Array(ArrayType { dtype, ndim, layout, readonly }))
        }
        "tuple" => {
            let items: Vec<Bound<'_, PyAny>> = rest.get_item(0)?.extract()?;
            Ok(Kind::tuple(items.iter().map(kind_of_descriptor).collect::<PyResult<_>>()?))
        }
        // `("pointer", dtype)`, `("pointer", None)` for voidptr.
        "pointer" => {
            let (dtype,): (Option<String>,) = rest.extract()?;
            let dtype = match dtype {
                Some(name) => {
                    Some(Dtype::from_name(&name).ok_or_else(|| PyTypeError::new_err(format!("no pointers to {name}")))?)
                }
                None => None,
            };
            Ok(Kind::Pointer(dtype))
        }
        other => Err(PyTypeError::new_err(format!("unknown type descriptor {other:?}"))),
    }
}

/// The return type a signature's descriptor names (`"none"` too), and the dtype it names when
/// it is a number type (`int32` stays int32 there, where the type is the int64 carrying it).
pub fn return_of_descriptor(d: &Bound<'_, PyAny>) -> PyResult<(Type, Option<Dtype>)> {
    if d.extract::<String>().is_ok_and(|s| s == "none") {
        return Ok((Type::None, None));
    }
    let k = kind_of_descriptor(d)?;
    let t = match k {
        // A declared float32 result is rounded to float32 (the argument carrier is float64).
        Kind::Float32 => Type::Float32,
        k => k.core_type(),
    };
    Ok((t, k.dtype()))
}

/// Passing an argument of kind `from` to a parameter a signature declares `to`: `None` when
/// the kinds do not convert (a float to an int, an array of another dtype, dimension count or
/// a stricter layout, a read-only array to a writable one, a tuple of other kinds), else the
/// slot for `to` (an error when an int does not fit a narrower declared integer). What
/// converts: bool to any number, an integer to a wider integer or to a float, an int to a
/// narrower integer when its value fits, float32 and float64 to each other (rounded to
/// float32), an array to the same array with layout A or read-only.
pub fn convert(from: Kind, to: Kind, slot: Slot) -> Option<Result<Slot, String>> {
    if from == to {
        return Some(Ok(slot));
    }
    // A complex argument is passed by address: it converts to nothing else, nothing to it.
    if matches!(from, Kind::Complex64 | Kind::Complex128) || matches!(to, Kind::Complex64 | Kind::Complex128) {
        return None;
    }
    let (Some(fd), Some(td)) = (from.dtype(), to.dtype()) else {
        return match (from, to) {
            (Kind::Array(a), Kind::Array(b))
                if a.dtype == b.dtype
                    && a.ndim == b.ndim
                    && (b.layout == Layout::A || a.layout == b.layout)
                    && (b.readonly || !a.readonly) =>
            {
                Some(Ok(slot))
            }
            _ => None,
        };
    };
    // The value, from the slot as `from`'s core type holds it.
    enum V {
        I(i128),
        F(f64),
    }
    let v = match fd {
        Dtype::Bool => V::I(abi::slot_bool(slot) as i128),
        Dtype::UInt64 => V::I(slot as i128),
        Dtype::Float32 | Dtype::Float64 => V::F(abi::slot_float(slot)),
        _ => V::I(abi::slot_int(slot) as i128),
    };
    Some(Ok(match (v, td) {
        (V::F(_), t) if !t.is_float() => return None,
        (V::F(x), Dtype::Float32) => abi::float_slot(x as f32 as f64),
        (V::F(x), _) => abi::float_slot(x),
        (V::I(i), Dtype::Float32) => abi::float_slot(i as f32 as f64),
        (V::I(i), Dtype::Float64) => abi::float_slot(i as f64),
        (V::I(_), Dtype::Bool) => return None,
        (V::I(i), t) => {
            let bits = 8 * t.size() as u32;
            let (lo, hi) =
                if t.is_signed() { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
            if i < lo || i > hi {
                return Some(Err(format!("{i} does not fit in {}", t.name())));
            }
            if t == Dtype::UInt64 {
                abi::uint_slot(i as u64)
            } else {
                abi::int_slot(i as i64)
            }
        }
    }))
}
