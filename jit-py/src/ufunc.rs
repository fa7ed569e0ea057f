//! NumPy ufuncs and generalized ufuncs whose inner loops are compiled code (`@vectorize`,
//! `@guvectorize`: `python/stickyjit/_vectorize.py`). Each type signature's loop is a jitted
//! function (generated Python source, compiled like any other) taking one array per operand:
//! the outer loop's axis first, then the operand's core dimensions. NumPy calls [`inner_loop`],
//! which describes its chunk as those arrays (no copy) and calls the compiled entry once.

use std::ffi::{c_char, c_int, c_void, CString};
use std::sync::Arc;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;

use jit_core::abi::{self, ArrayDesc, EntryFn, Slot};
use jit_core::types::Layout;
use numpy::npyffi::{npy_intp, objects::PyUFuncObject, PyUFuncGenericFunction, PY_UFUNC_API};

use crate::args::{kind_of_descriptor, Kind};
use crate::dispatcher::Dispatcher;

/// What one type signature's inner loop needs (NumPy's `data` pointer of the loop points here).
struct LoopData {
    /// The entry compiled for operands that are all contiguous in the outer loop (a plain
    /// ufunc's usual case, which LLVM vectorizes), if any, and its locals' names.
    contiguous: Option<(EntryFn, Arc<Vec<String>>)>,
    /// The entry for any strides, and its locals' names.
    strided: (EntryFn, Arc<Vec<String>>),
    /// Each operand's item size in bytes (a step equal to it is contiguous).
    itemsizes: Vec<isize>,
    /// Each operand's core dimensions: indices into NumPy's `dimensions[1..]`.
    core: Vec<Vec<usize>>,
}

/// Owns everything NumPy's ufunc points to (its loops, their data, the type table, the name,
/// the doc and the signature text): the ufunc holds a reference to it (its `obj` field, which
/// NumPy releases when the ufunc is freed), and to the loops' dispatchers.
#[pyclass(module = "stickyjit._native", name = "_UFuncLoops", frozen)]
struct UFuncLoops {
    /// `PyUFuncGenericFunction` pointers, one per loop (as addresses: the class must be Send).
    functions: Vec<usize>,
    /// `LoopData` addresses, one per loop, owned by `loops`.
    data: Vec<usize>,
    types: Vec<c_char>,
    /// Boxed: `data` points at each one, which must not move.
    #[allow(clippy::vec_box)]
    loops: Vec<Box<LoopData>>,
    name: CString,
    doc: CString,
    signature: Option<CString>,
    _dispatchers: Vec<Py<Dispatcher>>,
}

/// The ufunc inner loop of every compiled signature.
///
/// # Safety
/// Called by NumPy with `args`, `dimensions` and `steps` as a (generalized) ufunc loop receives
/// them, and `data` a `LoopData` of a live [`UFuncLoops`].
unsafe extern "C" fn inner_loop(args: *mut *mut c_char, dimensions: *mut npy_intp, steps: *mut npy_intp, data: *mut c_void) {
    // SAFETY: per the contract above.
    unsafe {
        let d = &*(data as *const LoopData);
        let n = *dimensions;
        if n <= 0 {
            return;
        }
        let nargs = d.core.len();
        let contiguous = (0..nargs).all(|k| *steps.add(k) == d.itemsizes[k]);
        let (entry, local_names) = match &d.contiguous {
            Some(e) if contiguous => e,
            _ => &d.strided,
        };
        // Each operand's descriptor: the outer axis, then its core dimensions.
        let mut descs: Vec<Vec<Slot>> = Vec::with_capacity(nargs);
        let mut core_step = nargs;
        for k in 0..nargs {
            let mut shape = vec![n as i64];
            let mut strides = vec![*steps.add(k) as i64];
            for &ix in &d.core[k] {
                shape.push(*dimensions.add(1 + ix) as i64);
                strides.push(*steps.add(core_step) as i64);
                core_step += 1;
            }
            let mut desc = Vec::with_capacity(1 + 2 * shape.len());
            ArrayDesc::push(&mut desc, abi::ptr_slot(*args.add(k)), shape.into_iter(), strides.into_iter());
            descs.push(desc);
        }
        let slots: Vec<Slot> = descs.iter().map(|desc| abi::ptr_slot(desc.as_ptr())).collect();
        let mut ret: Slot = 0;
        let status = entry(slots.as_ptr(), &mut ret);
        // Arrays the kernel made and did not free (an error ended it early).
        for block in jit_core::memory::take_live() {
            jit_core::memory::free_detached(block.header);
        }
        if status != abi::STATUS_OK {
            // NumPy may have released the GIL around the loop: take it to raise. The first
            // error of a call is kept (NumPy goes on with the other chunks).
            Python::attach(|py| {
                if PyErr::occurred(py) {
                    return;
                }
                crate::errors::status_error(status, local_names).restore(py);
            });
        }
    }
}

/// NumPy's type number of a dtype (`np.dtype(name).num`).
fn type_number(py: Python<'_>, name: &str) -> PyResult<c_char> {
    let num: i32 = py.import("numpy")?.getattr("dtype")?.call1((name,))?.getattr("num")?.extract()?;
    Ok(num as c_char)
}

/// Builds a `numpy.ufunc` (a generalized one when `signature` is given; no loops yet is fine:
/// a lazy `@vectorize` before its first call). Each loop is
/// `(dispatcher, operand descriptors)`: the loop function, compiled (or loaded) here for
/// arrays of those types (`("array", dtype, ndim, layout, readonly)`, the outer axis and the
/// operand's core dimensions, inputs first); `core` gives each operand's core dimensions as
/// indices into the signature's dimension names. `identity` is NumPy's `PyUFunc_*` code.
#[pyfunction]
#[pyo3(signature = (name, doc, nin, nout, identity, loops, core, signature = None))]
#[allow(clippy::too_many_arguments)]
pub fn _make_ufunc(
    py: Python<'_>,
    name: &str,
    doc: &str,
    nin: c_int,
    nout: c_int,
    identity: c_int,
    loops: Vec<(Bound<'_, Dispatcher>, Vec<Bound<'_, PyAny>>)>,
    core: Vec<Vec<usize>>,
    signature: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let nargs = (nin + nout) as usize;
    if core.len() != nargs || nin < 1 || nout < 1 {
        return Err(PyValueError::new_err("a ufunc needs at least one input and one output, and core dimensions for each"));
    }
    let plain = core.iter().all(Vec::is_empty);
    let mut types = Vec::with_capacity(loops.len() * nargs);
    let mut boxed = Vec::with_capacity(loops.len());
    let mut dispatchers = Vec::with_capacity(loops.len());
    for (dispatcher, descriptors) in &loops {
        if descriptors.len() != nargs {
            return Err(PyTypeError::new_err(format!("a loop of {} operand type(s); the ufunc has {nargs}", descriptors.len())));
        }
        let kinds = descriptors.iter().map(kind_of_descriptor).collect::<PyResult<Vec<_>>>()?;
        let mut itemsizes = Vec::with_capacity(nargs);
        for (k, kind) in kinds.iter().enumerate() {
            let Kind::Array(a) = kind else {
                return Err(PyTypeError::new_err("a ufunc loop takes arrays"));
            };
            if a.ndim as usize != 1 + core[k].len() {
                return Err(PyTypeError::new_err("a ufunc loop's operand has the outer axis and its core dimensions"));
            }
            types.push(type_number(py, a.dtype.name())?);
            itemsizes.push(a.dtype.size() as isize);
        }
        let d = dispatcher.get();
        let strided = d.entry_for(py, &kinds)?;
        // A plain ufunc's loop is compiled a second time for contiguous operands.
        let contiguous = if plain {
            let c: Vec<Kind> = kinds
                .iter()
                .map(|k| match k {
                    Kind::Array(a) => Kind::Array(jit_core::types::ArrayType { layout: Layout::C, ..*a }),
                    other => *other,
                })
                .collect();
            Some(d.entry_for(py, &c)?)
        } else {
            None
        };
        boxed.push(Box::new(LoopData { contiguous, strided, itemsizes, core: core.clone() }));
        dispatchers.push(dispatcher.clone().unbind());
    }
    let function: PyUFuncGenericFunction = Some(inner_loop);
    let cstr =
        |s: &str| CString::new(s).map_err(|_| PyValueError::new_err("a NUL character in a ufunc's name, doc or signature"));
    let holder = UFuncLoops {
        functions: vec![function.map_or(0, |f| f as usize); loops.len()],
        data: boxed.iter().map(|b| &**b as *const LoopData as usize).collect(),
        types,
        loops: boxed,
        name: cstr(name)?,
        doc: cstr(doc)?,
        signature: signature.map(cstr).transpose()?,
        _dispatchers: dispatchers,
    };
    let holder = Bound::new(py, holder)?;
    let h = holder.get();
    debug_assert_eq!(h.loops.len(), h.data.len());
    // SAFETY: every pointer handed to NumPy points into `holder`, which the ufunc keeps alive
    // (its `obj`); NumPy reads the arrays and never writes them. The function pointers are
    // `inner_loop`, stored as addresses.
    let ufunc = unsafe {
        let functions = h.functions.as_ptr() as *mut PyUFuncGenericFunction;
        let data = h.data.as_ptr() as *mut *mut c_void;
        let types = h.types.as_ptr() as *mut c_char;
        let ntypes = h.loops.len() as c_int;
        let ptr = match &h.signature {
            Some(sig) => PY_UFUNC_API.PyUFunc_FromFuncAndDataAndSignature(
                py,
                functions,
                data,
                types,
                ntypes,
                nin,
                nout,
                identity,
                h.name.as_ptr(),
                h.doc.as_ptr(),
                0,
                sig.as_ptr(),
            ),
            None => PY_UFUNC_API.PyUFunc_FromFuncAndData(
                py,
                functions,
                data,
                types,
                ntypes,
                nin,
                nout,
                identity,
                h.name.as_ptr(),
                h.doc.as_ptr(),
                0,
            ),
        };
        Bound::from_owned_ptr_or_err(py, ptr)?
    };
    // SAFETY: a ufunc object NumPy just made: its fields are NumPy's PyUFuncObject.
    unsafe {
        let u = ufunc.as_ptr() as *mut PyUFuncObject;
        if (*u).fields.nin != nin || (*u).fields.ntypes != loops.len() as c_int || !(*u).fields.obj.is_null() {
            return Err(PyRuntimeError::new_err("unexpected numpy.ufunc layout"));
        }
        (*u).fields.obj = holder.into_ptr();
    }
    Ok(ufunc.unbind())
}
