//! `@cfunc`: the C signature of a compiled function's C callback (its trampoline, which codegen's
//! `cfunc.rs` emits beside the entry), and the runtime helpers the trampoline calls: the report
//! of a failure (an exception nothing can raise: the embedder prints it, as Python's "unraisable"
//! exceptions) and the release of the arrays a call left.
//!
//! The trampoline has the plain C ABI of the signature: it packs its arguments into the entry's
//! slots ([`crate::abi`]), calls the entry, and returns the result converted to the C type; on a
//! failure it calls [`sj_rt_cfunc_error`] and returns zero, as Numba's C callbacks do.

use std::ffi::{c_char, CStr};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::registry::Dtype;
use crate::types::Type;

/// A C type of a `@cfunc` signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CType {
    /// `void` (a result only).
    Void,
    /// A number of this dtype: `bool` (one byte), the integers, `float`, `double`.
    Scalar(Dtype),
    /// `T*` (`CPointer(T)`), or `void*` (`voidptr`) when the dtype is `None`.
    Pointer(Option<Dtype>),
}

impl CType {
    /// The C type a `@cfunc` signature's type means, or why it has none (complex numbers,
    /// arrays, tuples: no C type stickyjit passes by value).
    pub fn of(t: &Type, declared: Option<Dtype>) -> Result<CType, String> {
        Ok(match (t, declared) {
            (Type::None, _) => CType::Void,
            (Type::Pointer(d), _) => CType::Pointer(*d),
            (_, Some(d)) if !d.is_complex() => CType::Scalar(d),
            _ => return Err(format!("{t} has no C type a @cfunc takes or returns (numbers, CPointer(T), voidptr, void)")),
        })
    }

    /// As Numba names it (`float64`, `float64*`, `void*`, `void`).
    pub fn name(self) -> String {
        match self {
            CType::Void => "void".to_string(),
            CType::Scalar(d) => d.name().to_string(),
            CType::Pointer(p) => Type::Pointer(p).to_string(),
        }
    }
}

/// A `@cfunc`'s C signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CSignature {
    pub args: Vec<CType>,
    pub ret: CType,
}

impl CSignature {
    /// `float64(int32, float64*)`: the code key's text.
    pub fn text(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|a| a.name()).collect();
        format!("{}({})", self.ret.name(), args.join(", "))
    }
}

/// The symbol of the C callback of the program whose entry is `entry_symbol`.
pub fn trampoline_symbol(entry_symbol: &str) -> String {
    format!("{entry_symbol}_cfunc")
}

static HOOK: AtomicUsize = AtomicUsize::new(0);

/// Sets the function a failed C callback reports its status through: `hook(status, symbol)`,
/// `symbol` the callback's NUL-terminated symbol. The embedder's (jit-py's) hook takes the GIL
/// and hands the exception to `sys.unraisablehook`.
pub fn set_error_hook(hook: extern "C" fn(u32, *const c_char)) {
    HOOK.store(hook as usize, Ordering::Release);
}

/// Called by a C callback whose entry returned `status` (not OK): reports it through the hook,
/// or, with none set, on stderr.
///
/// # Safety
/// `symbol` is a NUL-terminated string (the callback's own symbol, a constant of its module).
pub unsafe extern "C" fn sj_rt_cfunc_error(status: u32, symbol: *const c_char) {
    let hook = HOOK.load(Ordering::Acquire);
    if hook != 0 {
        // SAFETY: only `set_error_hook` stores here, always a function of this type.
        let hook: extern "C" fn(u32, *const c_char) = unsafe { std::mem::transmute(hook) };
        hook(status, symbol);
        return;
    }
    // SAFETY: the caller's contract.
    let name = unsafe { CStr::from_ptr(symbol) }.to_string_lossy();
    let (kind, msg) = crate::runtime::describe_status(status, &[]);
    eprintln!("Exception ignored in the C callback {name}: {kind:?}: {msg}");
}

/// Called by a C callback that may make arrays, before its entry: sets this thread's live
/// blocks aside (`memory::set_aside_live`: a C library may call it from inside compiled code's
/// caller, whose blocks are not this call's). Returns what [`sj_rt_cfunc_leave`] takes.
pub extern "C" fn sj_rt_cfunc_enter() -> usize {
    crate::memory::set_aside_live()
}

/// After the entry: frees every block the call left (an error return drops none, and the C
/// caller takes no array), then puts back what [`sj_rt_cfunc_enter`] set aside.
pub extern "C" fn sj_rt_cfunc_leave(saved: usize) {
    for block in crate::memory::take_live() {
        // SAFETY: taken off the list just now, freed once; the callback returns no array.
        unsafe { crate::memory::free_detached(block.header) };
    }
    crate::memory::restore_live(saved);
}
