//! Ctrl-C in compiled code: the flag a SIGINT handler sets, and the poll compiled loops call
//! when they see it set, which runs the embedder's signal check (Python's handlers).
//!
//! Compiled code reads [`SJ_RT_INTERRUPT`] (a plain word, loaded `volatile`) in the outermost
//! loop of each function: once per chunk of a flat `for` loop ([`CHUNK`]) or of a `for` loop
//! around a `while` loop without early exits ([`SHORT_CHUNK`]), once per iteration of any other
//! loop around loops and of a `while` loop (docs/architecture.md says why each). Inner loops do
//! not poll (a poll in a loop keeps LLVM from vectorizing it or recognizing its idiom: polls in
//! every loop cost up to 90x on the harness), nor does recursion without loops. The poll runs
//! only after a signal. The handler chains to the one installed before it (Python's), so Python
//! still sees every signal.

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

/// Set to 1 by the SIGINT handler; compiled code polls when it is not 0.
pub static SJ_RT_INTERRUPT: AtomicI32 = AtomicI32::new(0);

/// The status a compiled function returns when the poll said an exception is pending (the
/// embedder raised it already: Python's KeyboardInterrupt from its SIGINT handler).
pub const PENDING_EXCEPTION: u32 = 0xFFFF;

/// `for` loops poll once per this many iterations (a chunk), so that their inner loop stays a
/// plain counted loop that vectorizes.
pub const CHUNK: u64 = 1 << 16;

/// The chunk of an outermost `for` loop around a `while` loop: long enough to vectorize the
/// loop once LLVM has turned the inner one into an idiom, short enough to poll every few
/// thousand runs of the inner loop (256 cost bit_count 13%, 4096 about 1%).
pub const SHORT_CHUNK: u64 = 4096;

static HOOK: AtomicUsize = AtomicUsize::new(0);

/// Sets the function the poll calls: it runs pending signal handlers and returns nonzero when
/// one raised (Python's `PyErr_CheckSignals`, called only on the thread that may run them).
pub fn set_poll_hook(hook: extern "C" fn() -> i32) {
    HOOK.store(hook as usize, Ordering::Release);
}

/// Called by compiled code when [`SJ_RT_INTERRUPT`] is set: 0 to go on, [`PENDING_EXCEPTION`]
/// to stop with the exception the hook raised.
pub extern "C" fn sj_rt_poll() -> u32 {
    // A pool thread running a parallel loop's chunk: the loop's calling thread runs the
    // handlers; this one only learns whether to stop (`threads`).
    if let Some(status) = crate::threads::poll_in_helper() {
        return status;
    }
    let hook = HOOK.load(Ordering::Acquire);
    if hook == 0 {
        SJ_RT_INTERRUPT.store(0, Ordering::Relaxed);
        return 0;
    }
    // SAFETY: only `set_poll_hook` stores here, always a function of this type.
    let hook: extern "C" fn() -> i32 = unsafe { std::mem::transmute::<usize, extern "C" fn() -> i32>(hook) };
    // The hook runs Python code, which may call compiled code on this thread.
    let saved = crate::memory::set_aside_live();
    let raised = hook() != 0;
    crate::memory::restore_live(saved);
    if raised {
        PENDING_EXCEPTION
    } else {
        0
    }
}

/// The handler that was installed before ours (called after setting the flag), as
/// `sa_sigaction`/`sa_handler` and whether it takes `SA_SIGINFO` arguments.
static PREVIOUS: AtomicUsize = AtomicUsize::new(0);
static PREVIOUS_SIGINFO: AtomicUsize = AtomicUsize::new(0);

extern "C" fn on_sigint(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    SJ_RT_INTERRUPT.store(1, Ordering::Relaxed);
    let prev = PREVIOUS.load(Ordering::Acquire);
    if prev == 0 {
        return;
    }
    // SAFETY: `prev` is the handler that was installed for SIGINT before ours, of the kind
    // its flags said; calling it is what the kernel would have done.
    unsafe {
        if PREVIOUS_SIGINFO.load(Ordering::Acquire) != 0 {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = std::mem::transmute(prev);
            f(sig, info, ctx);
        } else {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(prev);
            f(sig);
        }
    }
}

/// Puts [`on_sigint`] in front of the current SIGINT handler, unless it is there already or
/// SIGINT is ignored or left to its default action (then compiled code is not interrupted: the
/// process would be, or the signal is meant to be ignored). Called at every compile, so that a
/// handler a program installed since (Python's `signal.signal`) is chained again.
pub fn install_sigint_chain() {
    // SAFETY: plain sigaction calls on a zeroed struct; the handler we install only stores to
    // atomics and calls the previous handler.
    unsafe {
        let mut cur: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGINT, std::ptr::null(), &mut cur) != 0 {
            return;
        }
        let ours = on_sigint as *const () as usize;
        if cur.sa_sigaction == ours || cur.sa_sigaction == libc::SIG_DFL || cur.sa_sigaction == libc::SIG_IGN {
            return;
        }
        PREVIOUS_SIGINFO.store(usize::from(cur.sa_flags & libc::SA_SIGINFO != 0), Ordering::Release);
        PREVIOUS.store(cur.sa_sigaction, Ordering::Release);
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = ours;
        act.sa_mask = cur.sa_mask;
        act.sa_flags = (cur.sa_flags | libc::SA_SIGINFO) & !libc::SA_RESETHAND;
        libc::sigaction(libc::SIGINT, &act, std::ptr::null_mut());
    }
}
