//! Engine stage: relocatable object bytes → callable machine code, in the process's one
//! long-lived ORC LLJIT.
//!
//! The JIT resolves libm and libc symbols from the process and the runtime helpers of
//! [`crate::runtime`] as absolute symbols. An object whose entry symbol is already loaded is not
//! loaded again: symbols are content keys, so equal names mean equal code.

use std::collections::HashMap;
use std::ffi::{c_char, CStr, CString};
use std::sync::{Mutex, OnceLock};

use llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy;
use llvm_sys::error::{LLVMDisposeErrorMessage, LLVMErrorRef, LLVMGetErrorMessage};
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;

/// The address of a compiled entry point (the calling convention is [`crate::abi`]'s).
pub use crate::abi::EntryFn;

struct Jit {
    jit: LLVMOrcLLJITRef,
    loaded: HashMap<String, usize>,
}

// SAFETY: the LLJIT is only touched while holding the mutex around it.
unsafe impl Send for Jit {}

fn take_error(err: LLVMErrorRef) -> Result<(), String> {
    if err.is_null() {
        return Ok(());
    }
    // SAFETY: a non-null LLVMErrorRef is consumed by LLVMGetErrorMessage.
    unsafe {
        let msg = LLVMGetErrorMessage(err);
        let s = CStr::from_ptr(msg).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(msg);
        Err(s)
    }
}

fn jit() -> Result<&'static Mutex<Jit>, String> {
    static JIT: OnceLock<Result<Mutex<Jit>, String>> = OnceLock::new();
    JIT.get_or_init(|| unsafe { create() }.map(Mutex::new)).as_ref().map_err(Clone::clone)
}

extern "C" {
    /// cpp/lljit.cpp: an LLJIT for this triple, CPU and features that takes object files only.
    fn sj_create_lljit(
        out: *mut LLVMOrcLLJITRef,
        triple: *const c_char,
        cpu: *const c_char,
        features: *const c_char,
    ) -> LLVMErrorRef;
}

unsafe fn create() -> Result<Jit, String> {
    // LLJIT needs the native target (and its asm printer) registered; idempotent.
    inkwell::targets::Target::initialize_native(&inkwell::targets::InitializationConfig::default())?;
    let mut jit = std::ptr::null_mut();
    // SAFETY: plain LLVM C API calls; every error is taken and reported.
    unsafe {
        let id = crate::optimize::target_identity();
        let c = |s: &str| CString::new(s).map_err(|e| e.to_string());
        let (triple, cpu, features) = (c(&id.triple)?, c(&id.cpu)?, c(&id.features)?);
        take_error(sj_create_lljit(&mut jit, triple.as_ptr(), cpu.as_ptr(), features.as_ptr()))?;
        let dylib = LLVMOrcLLJITGetMainJITDylib(jit);
        let mut gen = std::ptr::null_mut();
        take_error(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
            &mut gen,
            LLVMOrcLLJITGetGlobalPrefix(jit),
            None,
            std::ptr::null_mut(),
        ))?;
        LLVMOrcJITDylibAddGenerator(dylib, gen);
        let names: Vec<CString> =
            crate::runtime::helper_symbols().iter().map(|(n, _)| CString::new(*n).expect("no NUL")).collect();
        let mut pairs: Vec<LLVMOrcCSymbolMapPair> = crate::runtime::helper_symbols()
            .iter()
            .zip(&names)
            .map(|((_, addr), name)| LLVMOrcCSymbolMapPair {
                Name: LLVMOrcLLJITMangleAndIntern(jit, name.as_ptr()),
                Sym: LLVMJITEvaluatedSymbol {
                    Address: *addr as u64,
                    Flags: LLVMJITSymbolFlags {
                        GenericFlags: LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8
                            | LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8,
                        TargetFlags: 0,
                    },
                },
            })
            .collect();
        // The interrupt flag compiled code polls (data: exported, not callable).
        let flag = CString::new("sj_rt_interrupt").expect("no NUL");
        pairs.push(LLVMOrcCSymbolMapPair {
            Name: LLVMOrcLLJITMangleAndIntern(jit, flag.as_ptr()),
            Sym: LLVMJITEvaluatedSymbol {
                Address: crate::interrupt::SJ_RT_INTERRUPT.as_ptr() as u64,
                Flags: LLVMJITSymbolFlags {
                    GenericFlags: LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8,
                    TargetFlags: 0,
                },
            },
        });
        let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
        take_error(LLVMOrcJITDylibDefine(dylib, mu))?;
    }
    Ok(Jit { jit, loaded: HashMap::new() })
}

/// Loads `object` (unless `symbol` is already loaded) and returns the address of `symbol`.
///
/// The object goes in under a resource tracker of its own: when it does not load, or does not
/// define `symbol` (a foreign or damaged cache entry), everything it defined is removed again, so
/// a failed load leaves nothing behind that could clash with a later, valid object.
pub fn load(object: &[u8], symbol: &str) -> Result<EntryFn, String> {
    let mut j = jit()?.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&addr) = j.loaded.get(symbol) {
        // SAFETY: the address was looked up from the JIT for this symbol, which has this type.
        return Ok(unsafe { std::mem::transmute::<usize, EntryFn>(addr) });
    }
    let name = CString::new(symbol).map_err(|e| e.to_string())?;
    let mut addr: u64 = 0;
    // SAFETY: the buffer is copied by LLVM and owned by the JIT after AddObjectFileWithRT; the
    // tracker is released on every path (removing its definitions first on failure).
    unsafe {
        let buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(object.as_ptr() as *const c_char, object.len(), name.as_ptr());
        let dylib = LLVMOrcLLJITGetMainJITDylib(j.jit);
        let rt = LLVMOrcJITDylibCreateResourceTracker(dylib);
        let loaded = take_error(LLVMOrcLLJITAddObjectFileWithRT(j.jit, rt, buf))
            .and_then(|()| take_error(LLVMOrcLLJITLookup(j.jit, &mut addr, name.as_ptr())))
            .and_then(|()| if addr == 0 { Err(format!("symbol {symbol} not found after loading")) } else { Ok(()) });
        if let Err(e) = loaded {
            let removed = take_error(LLVMOrcResourceTrackerRemove(rt));
            LLVMOrcReleaseResourceTracker(rt);
            return Err(match removed {
                Ok(()) => e,
                Err(r) => format!("{e}; removing what it defined failed too: {r}"),
            });
        }
        LLVMOrcReleaseResourceTracker(rt);
    }
    j.loaded.insert(symbol.to_string(), addr as usize);
    // SAFETY: `symbol` is the entry point codegen emitted with exactly this signature.
    Ok(unsafe { std::mem::transmute::<usize, EntryFn>(addr as usize) })
}

/// The address of `symbol`, another function of an object already loaded (a `@cfunc`'s C
/// callback beside its entry).
pub fn lookup_symbol(symbol: &str) -> Result<usize, String> {
    let j = jit()?.lock().unwrap_or_else(|e| e.into_inner());
    let name = CString::new(symbol).map_err(|e| e.to_string())?;
    let mut addr: u64 = 0;
    // SAFETY: a plain lookup in the JIT, under its lock.
    take_error(unsafe { LLVMOrcLLJITLookup(j.jit, &mut addr, name.as_ptr()) })?;
    if addr == 0 {
        return Err(format!("symbol {symbol} not found"));
    }
    Ok(addr as usize)
}

/// Whether an entry symbol is already in the JIT (then no object needs loading). Crate-private:
/// the extension asks [`crate::Prepared::is_loaded`].
pub(crate) fn lookup_loaded(symbol: &str) -> Option<EntryFn> {
    let j = jit().ok()?.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: as in `load`.
    j.loaded.get(symbol).map(|&a| unsafe { std::mem::transmute::<usize, EntryFn>(a) })
}
