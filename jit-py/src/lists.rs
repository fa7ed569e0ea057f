//! Python lists passed to compiled code (Numba's reflected lists): a list of numbers is copied
//! into a list block (`jit_core::list`) for the call, and afterwards whatever compiled code
//! changed in it (items stored, appended, removed) is copied back into the caller's list, item
//! by item, so that unchanged items keep their objects.

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;

use jit_core::abi::{self, Slot};
use jit_core::list::{payload, sj_rt_list_new};
use jit_core::memory::Header;
use jit_core::Type;

/// The item type of a list argument (part of its kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListItem {
    /// An empty list: typed by what compiled code puts in.
    Unknown,
    Bool,
    Int64,
    Float64,
    Complex128,
    /// Strings (a list of `str`): each item a string block with a copy of its text.
    Str,
}

impl ListItem {
    pub fn core_type(self) -> Type {
        match self {
            ListItem::Unknown => Type::Unknown,
            ListItem::Bool => Type::Bool,
            ListItem::Int64 => Type::Int64,
            ListItem::Float64 => Type::Float64,
            ListItem::Complex128 => Type::Complex128,
            ListItem::Str => Type::Str,
        }
    }
}

/// The item type of the list `l`: the widest of its items' (bool ⊂ int ⊂ float ⊂ complex), or
/// a TypeError naming the parameter for an item that is not a number.
fn item_type(l: &Bound<'_, PyList>, func: &str, param: &str) -> PyResult<ListItem> {
    let mut t = ListItem::Unknown;
    for ob in l.iter() {
        // SAFETY: a live object.
        let it = unsafe {
            let p = ob.as_ptr();
            if ffi::PyBool_Check(p) != 0 {
                ListItem::Bool
            } else if ffi::PyLong_Check(p) != 0 {
                ListItem::Int64
            } else if ffi::PyFloat_Check(p) != 0 {
                ListItem::Float64
            } else if ffi::PyComplex_Check(p) != 0 {
                ListItem::Complex128
            } else if ffi::PyUnicode_CheckExact(p) != 0 {
                ListItem::Str
            } else {
                return Err(PyTypeError::new_err(format!(
                    "{func}() argument '{param}' is a list holding {}; a list passed in holds numbers (int, float, complex, bool) or strings",
                    ob.get_type().name()?
                )));
            }
        };
        t = match (t, it) {
            (ListItem::Unknown, x) => x,
            (a, b) if a == b => a,
            (ListItem::Str, _) | (_, ListItem::Str) => {
                return Err(PyTypeError::new_err(format!(
                    "{func}() argument '{param}' is a list holding both strings and numbers; a list holds one type"
                )))
            }
            (a, b) => {
                if rank(b) > rank(a) {
                    b
                } else {
                    a
                }
            }
        };
    }
    Ok(t)
}

fn rank(t: ListItem) -> u8 {
    match t {
        ListItem::Unknown => 0,
        ListItem::Bool => 1,
        ListItem::Int64 => 2,
        ListItem::Float64 => 3,
        ListItem::Complex128 => 4,
        ListItem::Str => 5,
    }
}

/// A list block holding the items of `l` as `item`s; its address is the argument's slot. The
/// block is on the thread's live list with one reference, the dispatcher's ([`reflect`] drops
/// it, or the call's live blocks are freed with it).
pub fn to_block(l: &Bound<'_, PyList>, func: &str, param: &str) -> PyResult<(ListItem, Slot)> {
    let item = item_type(l, func, param)?;
    let t = item.core_type();
    let (size, _) = abi::item_layout(&t);
    let n = l.len();
    let h = sj_rt_list_new(size as i64, n as i64);
    if h.is_null() {
        return Err(pyo3::exceptions::PyMemoryError::new_err("a list argument's copy"));
    }
    // SAFETY: a fresh list block with room for `n` items of `size` bytes.
    unsafe {
        let p = payload(h);
        for (k, ob) in l.iter().enumerate() {
            write_item(&ob, item, (*p).items.add(k * size), func, param)?;
        }
        (*p).len = n as i64;
    }
    Ok((item, abi::ptr_slot(h)))
}

/// Writes `ob` as an `item` at `at`.
///
/// # Safety
/// `at` has room for the item.
unsafe fn write_item(ob: &Bound<'_, PyAny>, item: ListItem, at: *mut u8, func: &str, param: &str) -> PyResult<()> {
    // SAFETY: the caller's contract.
    unsafe {
        match item {
            ListItem::Unknown => {}
            ListItem::Bool => *at = u8::from(ob.is_truthy()?),
            ListItem::Int64 => {
                *(at as *mut i64) = ob.extract::<i64>().map_err(|_| {
                    PyOverflowError::new_err(format!("{func}() argument '{param}': a list item does not fit in a 64-bit integer"))
                })?
            }
            ListItem::Float64 => *(at as *mut f64) = ob.extract::<f64>()?,
            ListItem::Complex128 => {
                let (re, im) = complex_parts(ob)?;
                *(at as *mut f64) = re;
                *(at as *mut f64).add(1) = im;
            }
            // A block of the call (its one reference, never dropped: freed with the call's
            // blocks, as a string compiled code puts in a list).
            ListItem::Str => *(at as *mut Slot) = crate::strings::string_block(ob.as_ptr())?,
        }
    }
    Ok(())
}

/// A number's real and imaginary parts (an int or a float: imaginary part 0).
fn complex_parts(ob: &Bound<'_, PyAny>) -> PyResult<(f64, f64)> {
    if let Ok(z) = ob.cast::<pyo3::types::PyComplex>() {
        return Ok((z.real(), z.imag()));
    }
    Ok((ob.extract::<f64>()?, 0.0))
}

/// Whether the Python item `ob` still equals the block's item at `at` (then it is left as it
/// is: an int 1 in a list of floats stays the int).
///
/// # Safety
/// `at` holds an item of `item`.
unsafe fn same(ob: &Bound<'_, PyAny>, item: ListItem, at: *const u8) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        match item {
            ListItem::Unknown => false,
            ListItem::Bool => ob.is_truthy().ok() == Some(*at != 0) && ffi::PyBool_Check(ob.as_ptr()) != 0,
            ListItem::Int64 => ob.extract::<i64>().ok() == Some(*(at as *const i64)),
            ListItem::Float64 => {
                let v = *(at as *const f64);
                ob.extract::<f64>().is_ok_and(|x| x.to_bits() == v.to_bits() || (x.is_nan() && v.is_nan()))
            }
            ListItem::Complex128 => {
                let (re, im) = (*(at as *const f64), *(at as *const f64).add(1));
                complex_parts(ob).is_ok_and(|(a, b)| a.to_bits() == re.to_bits() && b.to_bits() == im.to_bits())
            }
            ListItem::Str => {
                let p = ob.as_ptr();
                if ffi::PyUnicode_CheckExact(p) == 0 {
                    return false;
                }
                let v = jit_core::string::View::of(*(at as *const *const Header));
                let (kind, len) = (ffi::PyUnicode_KIND(p) as u8, ffi::PyUnicode_GET_LENGTH(p) as usize);
                if len != v.len {
                    return false;
                }
                let data = ffi::PyUnicode_DATA(p) as *const u8;
                if kind == v.kind {
                    return std::slice::from_raw_parts(data, len * kind as usize) == v.bytes();
                }
                let at = |i: usize| match kind {
                    1 => *data.add(i) as u32,
                    2 => (data.add(2 * i) as *const u16).read_unaligned() as u32,
                    _ => (data.add(4 * i) as *const u32).read_unaligned(),
                };
                (0..len).all(|i| at(i) == v.at(i))
            }
        }
    }
}

/// After the call: copies what compiled code changed in the block at `slot` back into the list
/// `l` (items that differ, then the length), and drops the dispatcher's reference unless the
/// call's live blocks are taken by the dispatcher (`taken`).
///
/// # Safety
/// `slot` is the block [`to_block`] made for `l` for this call, still live.
pub unsafe fn reflect(py: Python<'_>, l: &Bound<'_, PyList>, item: ListItem, slot: Slot, taken: bool) -> PyResult<()> {
    let h = slot as usize as *mut Header;
    // SAFETY: the caller's contract.
    let (len, items, kind) = unsafe {
        let p = payload(h);
        ((*p).len as usize, (*p).items as *const u8, (*p).kind)
    };
    // An empty list argument's items are of the type compiled code gave it (recorded in the
    // block).
    let item = match (item, kind) {
        (ListItem::Unknown, 0) => ListItem::Bool,
        (ListItem::Unknown, 1) => ListItem::Int64,
        (ListItem::Unknown, 2) => ListItem::Float64,
        (ListItem::Unknown, jit_core::list::COMPLEX_KIND) => ListItem::Complex128,
        (ListItem::Unknown, jit_core::list::STR_KIND) => ListItem::Str,
        (item, _) => item,
    };
    let result = (|| -> PyResult<()> {
        if item == ListItem::Unknown && len > 0 {
            return Err(PyTypeError::new_err("a list argument was given items of a type not copied back to Python"));
        }
        let t = item.core_type();
        let (size, _) = abi::item_layout(&t);
        let old = l.len();
        for k in 0..len.min(old) {
            // SAFETY: inside the block's items.
            let at = unsafe { items.add(k * size) };
            let ob = l.get_item(k)?;
            // SAFETY: as above.
            if !unsafe { same(&ob, item, at) } {
                // SAFETY: as above.
                l.set_item(k, unsafe { crate::returned::item_to_python(py, &t, at) }?)?;
            }
        }
        if len < old {
            l.del_slice(len, old)?;
        }
        for k in old..len {
            // SAFETY: inside the block's items.
            l.append(unsafe { crate::returned::item_to_python(py, &t, items.add(k * size)) }?)?;
        }
        Ok(())
    })();
    if !taken {
        // SAFETY: the dispatcher's reference, dropped once.
        unsafe { jit_core::memory::drop_reference(h) };
    }
    result
}
