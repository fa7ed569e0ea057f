//! What a compiled call hands back, made into Python objects: numbers, tuples, and arrays,
//! which become ndarrays owning the block of compiled code's memory they live in (a capsule
//! frees it; `jit_core::memory`) or keeping alive the argument they are a view of. Blocks still
//! live after the call that nothing returned are freed.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

use jit_core::abi::{self, ArrayDesc, Scalar, Slot};
use jit_core::memory::{self, Detached};
use jit_core::types::{ArrayType, Dtype};
use jit_core::Type;
use numpy::npyffi::{self, NpyTypes, PY_ARRAY_API};
use numpy::{PyUntypedArray, PyUntypedArrayMethods};

/// The memory returned arrays may own or view.
pub struct Owners<'a, 'py> {
    /// Blocks still live after the call, not claimed by a returned array yet.
    blocks: Vec<Detached>,
    /// Blocks claimed, with the capsule that frees each (shared by arrays in the same block).
    /// `Bound`, not `Py`: dropped while attached, the reference is released at once (a `Py`
    /// dropped on the vectorcall path would wait in PyO3's pool, and the memory with it).
    claimed: Vec<(usize, usize, Bound<'py, PyAny>)>,
    /// The call's arguments (a returned view of one keeps it alive).
    args: &'a [*mut ffi::PyObject],
}

impl<'a, 'py> Owners<'a, 'py> {
    /// Takes the live blocks of the call that just ran on this thread.
    pub fn take(args: &'a [*mut ffi::PyObject]) -> Self {
        Owners { blocks: memory::take_live(), claimed: Vec::new(), args }
    }

    /// The object that must stay alive for memory at `addr`: a capsule owning the block
    /// holding it, or the argument array it lies in.
    fn owner_of(&mut self, py: Python<'py>, addr: usize) -> PyResult<Bound<'py, PyAny>> {
        let inside = |start: usize, bytes: usize| start <= addr && addr < start + bytes.max(1);
        if let Some((_, _, cap)) = self.claimed.iter().find(|(s, b, _)| inside(*s, *b)) {
            return Ok(cap.clone());
        }
        if let Some(i) = self.blocks.iter().position(|d| inside(d.data, d.bytes)) {
            let block = self.blocks.swap_remove(i);
            let cap = PyCapsule::new_with_value_and_destructor(py, block.header, c"stickyjit array memory", |header, _| {
                // SAFETY: a detached block, and this capsule is its only owner.
                unsafe { memory::free_detached(header) }
            });
            let cap = match cap {
                Ok(cap) => cap.into_any(),
                Err(e) => {
                    // SAFETY: not made into a capsule: freed here, once.
                    unsafe { memory::free_detached(block.header) };
                    return Err(e);
                }
            };
            self.claimed.push((block.data, block.bytes, cap.clone()));
            return Ok(cap);
        }
        for &arg in self.args {
            // SAFETY: the caller holds a reference to every argument for the whole call.
            let arg = unsafe { Bound::from_borrowed_ptr(py, arg) };
            if let Some(owner) = array_holding(&arg, addr) {
                return Ok(owner);
            }
        }
        Err(pyo3::exceptions::PySystemError::new_err("stickyjit: a returned array's memory has no owner (a compiler bug)"))
    }
}

impl Drop for Owners<'_, '_> {
    fn drop(&mut self) {
        for block in self.blocks.drain(..) {
            // SAFETY: blocks nothing returned: freed once, here.
            unsafe { memory::free_detached(block.header) }
        }
    }
}

/// The addresses an array's elements span: [lowest, highest + item size).
/// The array among `arg` (an array, or a tuple holding arrays at any depth) whose memory holds
/// `addr`.
fn array_holding<'py>(arg: &Bound<'py, PyAny>, addr: usize) -> Option<Bound<'py, PyAny>> {
    if let Ok(t) = arg.cast::<PyTuple>() {
        return t.iter().find_map(|item| array_holding(&item, addr));
    }
    // A jitclass instance: its fields' arrays.
    if let Ok(Some((_, info))) = crate::named_tuples::jitclass_of(arg) {
        let values = info.call_method1("values", (arg,)).ok()?;
        return array_holding(&values, addr);
    }
    let a = arg.cast::<PyUntypedArray>().ok()?;
    let (lo, hi) = extent(a);
    (lo <= addr && addr < hi.max(lo + 1)).then(|| arg.clone())
}

fn extent(a: &Bound<'_, PyUntypedArray>) -> (usize, usize) {
    // SAFETY: a live ndarray's data pointer.
    let data = unsafe { (*a.as_array_ptr()).fields.data } as isize;
    let item = numpy::PyUntypedArrayMethods::dtype(a);
    let item = numpy::PyArrayDescrMethods::itemsize(&item) as isize;
    let (mut lo, mut hi) = (data, data);
    for (&n, &s) in a.shape().iter().zip(a.strides()) {
        if n == 0 {
            return (data as usize, data as usize);
        }
        let span = (n as isize - 1) * s;
        if span < 0 {
            lo += span;
        } else {
            hi += span;
        }
    }
    (lo as usize, (hi + item) as usize)
}

fn typenum(d: Dtype) -> std::ffi::c_int {
    use npyffi::NPY_TYPES as T;
    (match d {
        Dtype::Bool => T::NPY_BOOL,
        Dtype::Int8 => T::NPY_BYTE,
        Dtype::Int16 => T::NPY_SHORT,
        Dtype::Int32 => T::NPY_INT,
        Dtype::Int64 => T::NPY_LONG,
        Dtype::UInt8 => T::NPY_UBYTE,
        Dtype::UInt16 => T::NPY_USHORT,
        Dtype::UInt32 => T::NPY_UINT,
        Dtype::UInt64 => T::NPY_ULONG,
        Dtype::Float32 => T::NPY_FLOAT,
        Dtype::Float64 => T::NPY_DOUBLE,
        Dtype::Complex64 => T::NPY_CFLOAT,
        Dtype::Complex128 => T::NPY_CDOUBLE,
    }) as std::ffi::c_int
}

/// The ndarray whose descriptor (`abi::ArrayDesc`) starts at `slots[0]`.
fn to_array<'py>(py: Python<'py>, a: &ArrayType, slots: &[Slot], owners: &mut Owners<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
    let n = a.ndim as usize;
    let (addr, mut dims, mut strides): (usize, Vec<npyffi::npy_intp>, Vec<npyffi::npy_intp>) = ArrayDesc::new(a.ndim).read(slots);
    // An empty array's address means nothing (a view of an empty axis may point outside any
    // block): NumPy gets no memory to keep alive and makes its own.
    let empty = dims.contains(&0);
    let base = match empty {
        true => None,
        // The code's own read-only copy of an array global (`hir::FrozenArray`, or a view of
        // it): no Python object owns that memory, so the array handed back is a copy of it.
        false if a.readonly => match owners.owner_of(py, addr) {
            Ok(b) => Some(b),
            Err(_) => return frozen_copy(py, a, addr, &mut dims, &mut strides),
        },
        false => Some(owners.owner_of(py, addr)?),
    };
    let addr = if empty { 0 } else { addr };
    let flags = if a.readonly { 0 } else { npyffi::NPY_ARRAY_WRITEABLE };
    // SAFETY: the descriptor, shape and strides describe memory that `base` keeps alive;
    // NewFromDescr steals the descriptor reference, SetBaseObject the base reference.
    unsafe {
        let descr = PY_ARRAY_API.PyArray_DescrFromType(py, typenum(a.dtype));
        let array_type = npyffi::get_type_object(py, NpyTypes::PyArray_Type);
        let arr = PY_ARRAY_API.PyArray_NewFromDescr(
            py,
            array_type,
            descr,
            n as std::ffi::c_int,
            dims.as_mut_ptr(),
            strides.as_mut_ptr(),
            addr as *mut std::ffi::c_void,
            flags,
            std::ptr::null_mut(),
        );
        let arr = Bound::from_owned_ptr_or_err(py, arr)?;
        if let Some(base) = base {
            if PY_ARRAY_API.PyArray_SetBaseObject(py, arr.as_ptr() as *mut npyffi::PyArrayObject, base.into_ptr()) != 0 {
                return Err(PyErr::fetch(py));
            }
        }
        Ok(arr)
    }
}

/// A copy (C order, writable) of the array of type `a` at `addr` that no Python object owns: a
/// frozen array global of the compiled code, alive for the call's conversion.
fn frozen_copy<'py>(
    py: Python<'py>,
    a: &ArrayType,
    addr: usize,
    dims: &mut [npyffi::npy_intp],
    strides: &mut [npyffi::npy_intp],
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the descriptor, shape and strides describe the code's constant memory, read at
    // once by the copy (the view is dropped before this returns); NewFromDescr steals `descr`.
    let view = unsafe {
        let descr = PY_ARRAY_API.PyArray_DescrFromType(py, typenum(a.dtype));
        let array_type = npyffi::get_type_object(py, NpyTypes::PyArray_Type);
        let arr = PY_ARRAY_API.PyArray_NewFromDescr(
            py,
            array_type,
            descr,
            a.ndim as std::ffi::c_int,
            dims.as_mut_ptr(),
            strides.as_mut_ptr(),
            addr as *mut std::ffi::c_void,
            0,
            std::ptr::null_mut(),
        );
        Bound::from_owned_ptr_or_err(py, arr)?
    };
    view.call_method0("copy")
}

/// NumPy's `str()` (or `repr()`, with `output::REPR_FLAG` in `ndim`) of the array whose
/// descriptor is at `slots` (compiled code's `print`): an ndarray viewing the memory, read
/// only and owning nothing, made with the GIL taken and dropped before this returns. 0, or 1
/// with the Python exception restored (pending).
pub(crate) fn format_array(slots: *const u64, dtype: u32, ndim: u32, out: &mut String) -> i32 {
    let repr = ndim & jit_core::output::REPR_FLAG != 0;
    let ndim = (ndim & 0xff) as u8;
    let d = jit_core::registry::DTYPES[dtype as usize].dtype;
    // SAFETY: compiled code passes its descriptor of `ndim` axes.
    let slots = unsafe { std::slice::from_raw_parts(slots, ArrayDesc::new(ndim).slots()) };
    Python::attach(|py| {
        let made = (|| -> PyResult<String> {
            let (addr, mut dims, mut strides): (usize, Vec<npyffi::npy_intp>, Vec<npyffi::npy_intp>) =
                ArrayDesc::new(ndim).read(slots);
            let addr = if dims.contains(&0) { 0 } else { addr };
            // SAFETY: the memory lives for the call that prints it, and the array is dropped
            // before this returns; NewFromDescr steals the descriptor reference.
            let arr = unsafe {
                let descr = PY_ARRAY_API.PyArray_DescrFromType(py, typenum(d));
                let array_type = npyffi::get_type_object(py, NpyTypes::PyArray_Type);
                let arr = PY_ARRAY_API.PyArray_NewFromDescr(
                    py,
                    array_type,
                    descr,
                    ndim as std::ffi::c_int,
                    dims.as_mut_ptr(),
                    strides.as_mut_ptr(),
                    addr as *mut std::ffi::c_void,
                    0,
                    std::ptr::null_mut(),
                );
                Bound::from_owned_ptr_or_err(py, arr)?
            };
            let text = if repr { arr.repr()? } else { arr.str()? };
            Ok(text.to_string())
        })();
        match made {
            Ok(text) => {
                out.push_str(&text);
                0
            }
            Err(e) => {
                e.restore(py);
                1
            }
        }
    })
}

/// The Python value of type `t` flattened in `slots[*at..]` (advancing `*at` past it;
/// `abi::slots_of`).
pub fn to_python<'py>(
    py: Python<'py>,
    t: &Type,
    slots: &[Slot],
    at: &mut usize,
    owners: &mut Option<Owners<'_, 'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    let start = *at;
    *at += abi::slots_of(t);
    match t {
        Type::Tuple(items) => {
            // Each element where the one before ends (`abi::tuple_offsets`, without a Vec).
            let (mut item_at, mut values) = (start, Vec::with_capacity(items.len()));
            for it in items {
                values.push(to_python(py, it, slots, &mut item_at, owners)?);
            }
            if let Some(names) = items.names() {
                return crate::named_tuples::make(py, names, values);
            }
            return Ok(PyTuple::new(py, values)?.into_any());
        }
        Type::Array(a) => {
            let owners = owners.as_mut().expect("a call returning arrays takes the live blocks");
            return to_array(py, a, &slots[start..], owners);
        }
        // Present (0 or 1), then the value: None when absent.
        Type::Optional(inner) => {
            if slots[start] == 0 {
                return Ok(py.None().into_bound(py));
            }
            return to_python(py, inner, slots, &mut (start + 1), owners);
        }
        Type::Complex128 | Type::Complex64 => {
            let (re, im) = (abi::slot_float(slots[start]), abi::slot_float(slots[start + 1]));
            return Ok(pyo3::types::PyComplex::from_doubles(py, re, im).into_any());
        }
        Type::List(item) => {
            // SAFETY: compiled code returned the address of a live list block of `item`s (the
            // call's live blocks are freed only after the result is made).
            return unsafe { list_to_python(py, item, slots[start] as usize as *mut jit_core::memory::Header, owners) };
        }
        Type::Dict(key, value) => {
            let out = pyo3::types::PyDict::new(py);
            // SAFETY: compiled code returned the address of a live dict block of these types
            // (freed only after the result is made).
            for (k, v) in unsafe { jit_core::dict::entries(slots[start] as usize as *mut jit_core::memory::Header) } {
                let k = to_python(py, key, k, &mut 0, &mut None)?;
                out.set_item(k, to_python(py, value, v, &mut 0, owners)?)?;
            }
            return Ok(out.into_any());
        }
        Type::Str => {
            // SAFETY: compiled code returned the address of a string block (live until the
            // call's blocks are freed, after the result is made; or immortal).
            return unsafe { crate::strings::string_to_python(py, slots[start] as usize as *const jit_core::memory::Header) };
        }
        Type::Set(item) => {
            let out = pyo3::types::PySet::empty(py)?;
            // SAFETY: as for a dict (a set is a dict block whose values take no slots).
            for (k, _) in unsafe { jit_core::dict::entries(slots[start] as usize as *mut jit_core::memory::Header) } {
                out.add(to_python(py, item, k, &mut 0, &mut None)?)?;
            }
            return Ok(out.into_any());
        }
        _ => {}
    }
    // SAFETY: the constructors return new references (or NULL with an exception set).
    unsafe {
        let p = match Scalar::of(t) {
            Some(Scalar::Int64) => ffi::PyLong_FromLongLong(abi::slot_int(slots[start])),
            Some(Scalar::UInt64) => ffi::PyLong_FromUnsignedLongLong(slots[start]),
            Some(Scalar::Float64) => ffi::PyFloat_FromDouble(abi::slot_float(slots[start])),
            Some(Scalar::Bool) => {
                let b = if abi::slot_bool(slots[start]) { ffi::Py_True() } else { ffi::Py_False() };
                ffi::Py_IncRef(b);
                b
            }
            // None takes no slot.
            None => {
                let n = ffi::Py_None();
                ffi::Py_IncRef(n);
                n
            }
        };
        Bound::from_owned_ptr_or_err(py, p)
    }
}

/// A Python list of the items of the list block `h` (`owners`: the call's live blocks, which
/// items that are arrays need).
///
/// # Safety
/// `h` is a live list block whose items are `item`s.
unsafe fn list_to_python<'py>(
    py: Python<'py>,
    item: &Type,
    h: *mut jit_core::memory::Header,
    owners: &mut Option<Owners<'_, 'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the caller's contract.
    let (len, items) = unsafe {
        let p = jit_core::list::payload(h);
        ((*p).len as usize, (*p).items as *const u8)
    };
    let (size, _) = abi::item_layout(item);
    let out = pyo3::types::PyList::empty(py);
    for k in 0..len {
        // SAFETY: inside the list's items.
        out.append(unsafe { item_to_python_owned(py, item, items.add(k * size), owners) }?)?;
    }
    Ok(out.into_any())
}

/// The Python value of a list item of type `t` at `p` ([`abi::item_layout`]), an item that
/// holds no array.
///
/// # Safety
/// `p` points at such an item.
pub(crate) unsafe fn item_to_python<'py>(py: Python<'py>, t: &Type, p: *const u8) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the caller's contract.
    unsafe { item_to_python_owned(py, t, p, &mut None) }
}

/// [`item_to_python`] of any item: `owners` (the call's live blocks) keep the memory of the
/// arrays it holds alive.
///
/// # Safety
/// `p` points at such an item; the lists and arrays it holds are live.
unsafe fn item_to_python_owned<'py>(
    py: Python<'py>,
    t: &Type,
    p: *const u8,
    owners: &mut Option<Owners<'_, 'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the caller's contract; items are aligned as their layout says.
    unsafe {
        Ok(match t {
            Type::Bool => pyo3::types::PyBool::new(py, *p != 0).to_owned().into_any(),
            Type::Int64 => (*(p as *const i64)).into_pyobject(py)?.into_any(),
            Type::UInt64 => (*(p as *const u64)).into_pyobject(py)?.into_any(),
            Type::Float64 | Type::Float32 => (*(p as *const f64)).into_pyobject(py)?.into_any(),
            Type::Complex128 | Type::Complex64 => {
                let parts = p as *const f64;
                pyo3::types::PyComplex::from_doubles(py, *parts, *parts.add(1)).into_any()
            }
            Type::Str => crate::strings::string_to_python(py, *(p as *const *const jit_core::memory::Header))?,
            Type::Tuple(items) => {
                let mut values = Vec::with_capacity(items.len());
                for (it, off) in items.iter().zip(abi::item_offsets(items)) {
                    values.push(item_to_python_owned(py, it, p.add(off), owners)?);
                }
                match items.names() {
                    Some(names) => crate::named_tuples::make(py, names, values)?,
                    None => PyTuple::new(py, values)?.into_any(),
                }
            }
            Type::List(item) => list_to_python(py, item, *(p as *const *mut jit_core::memory::Header), owners)?,
            // The descriptor's words, as in a result's slots.
            Type::Array(a) => {
                let owners = owners.as_mut().expect("a call returning arrays takes the live blocks");
                let words = std::slice::from_raw_parts(p as *const Slot, abi::slots_of(t));
                to_array(py, a, words, owners)?
            }
            other => unreachable!("inference keeps {other} out of lists"),
        })
    }
}

/// Whether a value of type `t` holds an array (the call then needs the live blocks and arguments).
pub fn holds_array(t: &Type) -> bool {
    match t {
        Type::Array(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str => true,
        Type::Tuple(items) => items.iter().any(holds_array),
        Type::Optional(t) => holds_array(t),
        _ => false,
    }
}
