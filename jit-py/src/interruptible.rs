//! LLVM's part of a compile (`jit_core::finish`) on a worker thread, so that Ctrl-C interrupts a
//! long compile and someone waiting is told once what is being compiled.
//!
//! The calling thread waits with the GIL released (other Python threads run meanwhile) and,
//! every 50 ms, takes the GIL back to run Python's signal handlers: a handler that raises
//! (KeyboardInterrupt) ends the wait with that exception. The compile is then left to finish on
//! its own and its result is dropped (an object it loads into the JIT is correct code under its
//! own key, used if the same specialization is compiled again); a compile that finds the warm
//! compile thread busy gets a thread of its own. A compile still running after
//! [`SAY_AFTER`] prints one line on stderr naming the function and signature. At exit,
//! [`wait_for_compiles`] (registered with `atexit`) waits for compiles still running: LLVM's
//! static destructors run when the process exits, and a compile still using them crashes it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3::prelude::*;

use jit_core::{Capture, CompileError, Compiled, Options, Prepared};

/// How long a compile runs before stderr says what it is compiling.
const SAY_AFTER: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(50);
/// LLVM recurses over large functions; the default 2 MiB is not always enough.
const WORKER_STACK: usize = 64 << 20;

type Job = Box<dyn FnOnce() + Send>;

/// Compiles started and not yet finished in this process (abandoned ones included), packed as
/// `pid << 32 | count` so that a child made by `fork`, which has the parent's count but none of
/// its threads, starts from zero.
static IN_FLIGHT: AtomicU64 = AtomicU64::new(0);

/// This process's share of [`IN_FLIGHT`].
fn in_flight() -> u64 {
    let v = IN_FLIGHT.load(Ordering::Acquire);
    if v >> 32 == u64::from(std::process::id()) {
        v & 0xFFFF_FFFF
    } else {
        0
    }
}

/// Counts one compile in [`IN_FLIGHT`] while it lives (dropped when the compile ends, panics
/// included).
struct Running;

impl Running {
    fn start() -> Running {
        let pid = u64::from(std::process::id());
        let _ = IN_FLIGHT
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| Some(if v >> 32 == pid { v + 1 } else { pid << 32 | 1 }));
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let pid = u64::from(std::process::id());
        let _ = IN_FLIGHT
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| (v >> 32 == pid && v & 0xFFFF_FFFF > 0).then(|| v - 1));
    }
}

/// Registered with `atexit` when the module loads: returns once no compile is running (a compile
/// abandoned after Ctrl-C finishes first; after 100 ms stderr says why exit waits). A signal
/// handler that raises meanwhile (Ctrl-C again) ends the wait with its exception.
#[pyfunction]
#[pyo3(name = "_wait_for_compiles")]
pub fn wait_for_compiles(py: Python<'_>) -> PyResult<()> {
    let start = Instant::now();
    let mut said = false;
    while in_flight() > 0 {
        py.detach(|| std::thread::sleep(Duration::from_millis(5)));
        // SAFETY: the GIL is held here (outside `detach`).
        if unsafe { pyo3::ffi::PyErr_CheckSignals() } != 0 {
            return Err(PyErr::fetch(py));
        }
        if !said && start.elapsed() >= Duration::from_millis(100) {
            said = true;
            eprintln!("stickyjit: waiting for an interrupted compile to finish before exit (Ctrl-C again exits now)");
        }
    }
    Ok(())
}

/// The process's compile thread: its queue and whether it is running a job. Started at the
/// first compile and kept warm (a thread per compile cost up to 1 ms of a 9 ms compile); keyed
/// by process id, since a child made by `fork` (multiprocessing's default here) has the
/// parent's queue but not its thread, and must start its own.
struct Worker {
    pid: u32,
    queue: mpsc::Sender<Job>,
    busy: Arc<AtomicBool>,
}

static WORKER: Mutex<Option<Worker>> = Mutex::new(None);

/// Runs `job` on the warm compile thread when it is free; else (another thread's compile, or one
/// abandoned after Ctrl-C, still running there) on a thread of its own.
fn run(job: Job) -> Result<(), String> {
    let mut w = WORKER.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if w.as_ref().is_none_or(|w| w.pid != pid) {
        let (queue, jobs) = mpsc::channel::<Job>();
        let busy = Arc::new(AtomicBool::new(false));
        let flag = busy.clone();
        std::thread::Builder::new()
            .name("stickyjit-compile".into())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                for job in jobs {
                    // A panic ends that compile (its sender is dropped: the waiting call
                    // reports it), not the thread every later compile needs.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    flag.store(false, Ordering::Release);
                }
            })
            .map_err(|e| e.to_string())?;
        *w = Some(Worker { pid, queue, busy });
    }
    let worker = w.as_ref().expect("set above");
    if worker.busy.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_ok() {
        return worker.queue.send(job).map_err(|e| e.to_string());
    }
    drop(w);
    std::thread::Builder::new()
        .name("stickyjit-compile".into())
        .stack_size(WORKER_STACK)
        .spawn(job)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Why an interruptible compile did not finish.
pub enum Stopped {
    /// The compiler's error.
    Compile(CompileError),
    /// The exception a signal handler raised while the caller waited (KeyboardInterrupt).
    Python(PyErr),
}

impl Stopped {
    /// The Python exception: a compiler error made into one by `compile_error`.
    pub fn into_py(self, compile_error: impl FnOnce(CompileError) -> PyErr) -> PyErr {
        match self {
            Stopped::Compile(e) => compile_error(e),
            Stopped::Python(e) => e,
        }
    }
}

/// `jit_core::finish(p, options, capture)`, interruptible. `what` names the compile
/// (`f(int64, float64)`) for the message.
pub fn finish(py: Python<'_>, p: Prepared, options: &Options, capture: Capture, what: &str) -> Result<Compiled, Stopped> {
    let (tx, rx) = mpsc::channel();
    let options = options.clone();
    let running = Running::start();
    let job: Job = Box::new(move || {
        let _running = running;
        let _ = tx.send(jit_core::finish(p, &options, capture));
    });
    let sent = run(job);
    if let Err(e) = sent {
        return Err(Stopped::Compile(CompileError::Internal {
            message: format!("no compile thread: {e}"),
            span: jit_core::ast::Span { line: 0, col: 0 },
        }));
    }
    let start = Instant::now();
    let mut said = false;
    let mut rx = rx;
    loop {
        // The receiver moves into the GIL-free closure and back (it is Send, not Sync).
        let (got, back) = py.detach(move || (rx.recv_timeout(POLL), rx));
        rx = back;
        match got {
            Ok(result) => return result.map_err(Stopped::Compile),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Stopped::Compile(CompileError::Internal {
                    message: "the compile thread ended without a result (a panic in LLVM's part of the compile)".into(),
                    span: jit_core::ast::Span { line: 0, col: 0 },
                }))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        // SAFETY: the GIL is held here (outside `detach`).
        if unsafe { pyo3::ffi::PyErr_CheckSignals() } != 0 {
            return Err(Stopped::Python(PyErr::fetch(py)));
        }
        if !said && start.elapsed() >= SAY_AFTER {
            said = true;
            eprintln!(
                "stickyjit: compiling {what} has taken {:.0} s so far (LLVM is optimizing it; Ctrl-C interrupts)",
                start.elapsed().as_secs_f64()
            );
        }
    }
}
