//! The thread pool `prange` loops run on: how a loop is cut into chunks, who runs them, and how
//! a worker's error, memory and Ctrl-C reach the thread that called the loop.
//!
//! Compiled code calls [`sj_rt_parallel_chunks`] for the number of chunks of a loop of `n`
//! iterations, then [`sj_rt_parallel_for`] with the loop's outlined body (`codegen::prange`),
//! which runs chunk `c` (iterations `c * n / chunks ..  (c + 1) * n / chunks`) and leaves its
//! reductions' partial results in slot `c` of each reduction's buffer. The chunks depend only on
//! `n` and the thread count, and compiled code combines the partial results in chunk order, so
//! that a rerun with the same thread count gives the same bits (docs/parallel.md).
//!
//! The pool (rayon's) starts at the first parallel loop, never at import, with
//! `STICKYJIT_NUM_THREADS` threads (default: the CPUs this process may use);
//! [`set_num_threads`] lowers the number a loop uses. A loop inside a worker (a `prange` in a
//! function called from a parallel loop) runs serially on that worker.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The outlined body of a parallel loop: runs iterations `lo..hi` (positions in the range,
/// not values) as chunk `chunk`, with the loop's environment `env`; 0, or the status of the
/// error it stopped at.
pub type ChunkFn = unsafe extern "C" fn(env: *mut u8, lo: i64, hi: i64, chunk: i64) -> u32;

/// Chunks per thread: enough for an uneven loop to balance and for Ctrl-C to stop between
/// chunks, few enough that a loop of a thousand cheap iterations still gains.
const CHUNKS_PER_THREAD: i64 = 4;

/// The least time the chunks after the first must be expected to take for helpers to be woken
/// (a wake-up and a join cost a few microseconds).
const WORTH_WAKING: std::time::Duration = std::time::Duration::from_micros(20);

/// Added to the next-chunk counter when the calling thread is done taking chunks: far above
/// any chunk count, so that every later take finds none.
const CLOSED: i64 = 1 << 62;

/// Stack of each worker (a jitted function called from a loop body may recurse).
const WORKER_STACK: usize = 16 << 20;

thread_local! {
    /// This thread is running a chunk of a parallel loop (a loop it meets runs serially).
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
}

static POOL: OnceLock<Option<rayon_core::ThreadPool>> = OnceLock::new();
/// The number of threads loops use (0: not set, the maximum).
static NUM_THREADS: AtomicUsize = AtomicUsize::new(0);

/// The most threads a loop may use: `STICKYJIT_NUM_THREADS` when it is a positive number, else
/// the CPUs this process may run on (read once).
pub fn max_threads() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        let from_env = std::env::var("STICKYJIT_NUM_THREADS").ok().and_then(|v| v.trim().parse::<usize>().ok());
        match from_env {
            Some(n) if n > 0 => n,
            _ => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        }
    })
}

/// The number of threads a parallel loop uses now.
pub fn num_threads() -> usize {
    match NUM_THREADS.load(Ordering::Relaxed) {
        0 => max_threads(),
        n => n,
    }
}

/// Sets the number of threads parallel loops use, from 1 to [`max_threads`]; `Err` with the
/// allowed range otherwise.
pub fn set_num_threads(n: i64) -> Result<(), String> {
    let max = max_threads();
    if n < 1 || n as u64 > max as u64 {
        return Err(format!("The number of threads must be between 1 and {max}, not {n}"));
    }
    NUM_THREADS.store(n as usize, Ordering::Relaxed);
    Ok(())
}

/// The calling thread's number: 0 outside the pool (the thread that called compiled code),
/// `1..=max_threads()` on a worker.
pub fn thread_id() -> usize {
    rayon_core::current_thread_index().map_or(0, |i| i + 1)
}

fn pool() -> Option<&'static rayon_core::ThreadPool> {
    POOL.get_or_init(|| {
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(max_threads())
            .thread_name(|i| format!("stickyjit-{}", i + 1))
            .stack_size(WORKER_STACK)
            .build()
            .ok()
    })
    .as_ref()
}

/// The number of chunks a parallel loop of `n` iterations is cut into: none for an empty loop;
/// 1 (run serially, on the calling thread) for one iteration, inside a worker, or with one
/// thread.
pub extern "C" fn sj_rt_parallel_chunks(n: i64) -> i64 {
    let threads = num_threads() as i64;
    if n <= 0 {
        return 0;
    }
    if n == 1 || threads <= 1 || IN_WORKER.with(Cell::get) {
        return 1;
    }
    n.min(threads * CHUNKS_PER_THREAD)
}

/// The first position of chunk `c` of `chunks` over `n` iterations.
fn chunk_start(c: i64, n: i64, chunks: i64) -> i64 {
    (c as i128 * n as i128 / chunks as i128) as i64
}

/// What the threads running one loop share (held by the calling thread and by each helper job,
/// which may start after the loop is over: it then finds no chunk and touches nothing else).
/// The blocks a helper's chunks leave live are handed over (`blocks`) before they count as
/// finished.
struct Loop {
    body: ChunkFn,
    env: usize,
    n: i64,
    chunks: i64,
    /// The next chunk no thread took yet.
    next: AtomicI64,
    /// How many chunks have returned.
    finished: AtomicI64,
    /// A chunk failed, or Ctrl-C was pressed: take no more chunks.
    stop: AtomicBool,
    /// Ctrl-C stops the loop between chunks only when the calling thread can raise it
    /// (KeyboardInterrupt): Python's main thread.
    stoppable: bool,
    /// The failed chunk of lowest number: (chunk, status, its error records).
    failure: Mutex<Option<(i64, u32, crate::runtime::ErrorState)>>,
    /// The memory blocks helpers made and left live (`memory`'s lists), for the caller.
    blocks: Mutex<Vec<usize>>,
}

impl Loop {
    /// Runs chunk `c` on this thread; false when it failed. On a helper (`helper`), the blocks
    /// the chunk leaves live are handed to the calling thread before the chunk counts as
    /// finished.
    fn run(&self, c: i64, helper: bool) -> bool {
        let (lo, hi) = (chunk_start(c, self.n, self.chunks), chunk_start(c + 1, self.n, self.chunks));
        let outer_blocks = if helper { crate::memory::set_aside_live() } else { 0 };
        // SAFETY: `body` is the outlined loop body compiled for `env`, which the caller keeps
        // alive until every chunk taken has finished; chunks write disjoint state (`parallel`
        // checked it).
        let status = unsafe { (self.body)(self.env as *mut u8, lo, hi, c) };
        if helper {
            let made = crate::memory::set_aside_live();
            crate::memory::restore_live(outer_blocks);
            if made != 0 {
                self.blocks.lock().unwrap_or_else(|e| e.into_inner()).push(made);
            }
        }
        if status != 0 {
            let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
            if failure.as_ref().is_none_or(|(first, ..)| c < *first) {
                *failure = Some((c, status, crate::runtime::ErrorState::take()));
            }
            self.stop.store(true, Ordering::Relaxed);
        }
        self.finished.fetch_add(1, Ordering::Release);
        status == 0
    }

    /// Takes chunks until none are left or the loop stops (on a helper or the calling thread).
    fn work(&self, helper: bool) {
        let was_worker = IN_WORKER.with(|w| w.replace(true));
        loop {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            if self.stoppable && crate::interrupt::SJ_RT_INTERRUPT.load(Ordering::Relaxed) != 0 {
                self.stop.store(true, Ordering::Relaxed);
                break;
            }
            let c = self.next.fetch_add(1, Ordering::Relaxed);
            if c >= self.chunks || !self.run(c, helper) {
                break;
            }
        }
        IN_WORKER.with(|w| w.set(was_worker));
    }
}

/// Runs the `n` iterations of a parallel loop as `chunks` chunks of `body` over `env`: the
/// calling thread takes chunks, and so do helper jobs on the pool's threads (a loop of cheap
/// iterations is then over before a helper wakes up, and costs what the serial loop does).
/// Returns 0 or the status of the failed chunk of lowest number (its error records put on the
/// calling thread). The blocks helpers made and left live go on the calling thread's list,
/// which the dispatcher frees after the call. After Ctrl-C on Python's main thread, no more
/// chunks are taken and the calling thread runs Python's signal handlers: their exception
/// (KeyboardInterrupt) is returned; if they raise none, the chunks not started run here.
///
/// # Safety
/// `body` is a chunk function compiled for `env`, and `env` stays valid until this returns.
pub unsafe extern "C" fn sj_rt_parallel_for(body: ChunkFn, env: *mut u8, n: i64, chunks: i64) -> u32 {
    if n <= 0 {
        return 0;
    }
    let pool = match pool() {
        Some(p) if chunks > 1 => p,
        // SAFETY: the caller's contract; one chunk of every iteration, on this thread.
        _ => return unsafe { body(env, 0, n, 0) },
    };
    // SAFETY: gettid and getpid cannot fail; Linux's main thread has the process's id.
    let main_thread = unsafe { libc::gettid() == libc::getpid() };
    let lp = Arc::new(Loop {
        body,
        env: env as usize,
        n,
        chunks,
        next: AtomicI64::new(0),
        finished: AtomicI64::new(0),
        stop: AtomicBool::new(false),
        stoppable: main_thread,
        failure: Mutex::new(None),
        blocks: Mutex::new(Vec::new()),
    });
    // The first chunk runs here, timed: when the rest would take less than waking the helpers
    // costs, the loop stays on this thread (1000 cheap iterations take a microsecond).
    let clock = std::time::Instant::now();
    let first = lp.next.fetch_add(1, Ordering::AcqRel);
    let was_worker = IN_WORKER.with(|w| w.replace(true));
    let ok = lp.run(first, false);
    IN_WORKER.with(|w| w.set(was_worker));
    let rest = clock.elapsed().saturating_mul((chunks - 1) as u32);
    if ok && rest >= WORTH_WAKING {
        let helpers = num_threads().min(chunks as usize) - 1;
        for _ in 0..helpers {
            let lp = Arc::clone(&lp);
            pool.spawn(move || lp.work(true));
        }
    }
    lp.work(false);
    // Close the loop: a helper that wakes from now on takes no chunk (and never touches `env`);
    // every chunk taken before must return before `env` goes away.
    let taken = lp.next.fetch_add(CLOSED, Ordering::AcqRel).min(chunks);
    let mut spins = 0u32;
    while lp.finished.load(Ordering::Acquire) < taken {
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
    for made in std::mem::take(&mut *lp.blocks.lock().unwrap_or_else(|e| e.into_inner())) {
        crate::memory::restore_live(made);
    }
    if let Some((_, status, errors)) = lp.failure.lock().unwrap_or_else(|e| e.into_inner()).take() {
        errors.restore();
        return status;
    }
    if taken < chunks {
        // Stopped by Ctrl-C: the handlers raise, or the loop finishes here.
        let raised = crate::interrupt::sj_rt_poll();
        if raised != 0 {
            return raised;
        }
        for c in taken..chunks {
            let (lo, hi) = (chunk_start(c, n, chunks), chunk_start(c + 1, n, chunks));
            // SAFETY: as in `Loop::run`, on the calling thread.
            let status = unsafe { body(env, lo, hi, c) };
            if status != 0 {
                return status;
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_iteration_once_in_order() {
        for n in [1i64, 2, 7, 1000, 1 << 40] {
            for chunks in [1i64, 2, 3, 8, 64] {
                let chunks = chunks.min(n);
                let mut at = 0;
                for c in 0..chunks {
                    let (lo, hi) = (chunk_start(c, n, chunks), chunk_start(c + 1, n, chunks));
                    assert_eq!(lo, at);
                    assert!(hi > lo, "no empty chunk");
                    at = hi;
                }
                assert_eq!(at, n);
            }
        }
    }
}
