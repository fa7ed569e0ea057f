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
//!
//! Each thread of a loop takes chunks from its own run of consecutive chunks first (a pool
//! thread gets the same run in every loop: the same rows, still in its core's cache), and a
//! helper that finished its part waits a little for the next loop ([`help`], [`post`]) instead
//! of going back to sleep, which would cost the next loop a wake-up. The last chunk of a run is
//! left to its own thread while that thread is running ([`Loop::take`]).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The outlined body of a parallel loop: runs iterations `lo..hi` (positions in the range,
/// not values) as chunk `chunk`, with the loop's environment `env`; 0, or the status of the
/// error it stopped at.
pub type ChunkFn = unsafe extern "C" fn(env: *mut u8, lo: i64, hi: i64, chunk: i64) -> u32;

/// Chunks per thread: enough for an uneven loop to balance, for Ctrl-C to stop between chunks,
/// and for the first chunk (run alone, timed: `sj_rt_parallel_for`) to be a small part of the
/// loop; few enough that a chunk costs far more than taking it. (Measured on two threads: 4 a
/// thread leaves a mandelbrot's uneven rows unbalanced, 0.80x Numba against 0.98x; 16 costs a
/// 400x400 stencil sweep about 5% against 8.)
const CHUNKS_PER_THREAD: i64 = 8;

/// The least time the chunks after the first must be expected to take for helpers to be woken
/// (a wake-up and a join cost a few microseconds).
const WORTH_WAKING: std::time::Duration = std::time::Duration::from_micros(20);

/// The same when a helper of an earlier loop is still waiting for the next ([`help`]): handing
/// it the loop costs a few cache-line transfers.
const WORTH_POSTING: std::time::Duration = std::time::Duration::from_micros(3);

/// Added to each run's next-chunk counter when the calling thread is done taking chunks: far
/// above any chunk count, so that every later take finds none.
const CLOSED: i64 = 1 << 62;

/// Stack of each worker (a jitted function called from a loop body may recurse).
const WORKER_STACK: usize = 16 << 20;

thread_local! {
    /// This thread is running a chunk of a parallel loop (a loop it meets runs serially).
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
    /// The loop whose chunk a pool thread is running (null otherwise): its Ctrl-C poll asks it
    /// whether to stop ([`poll_in_helper`]).
    static CURRENT: Cell<*const Loop> = const { Cell::new(std::ptr::null()) };
}

/// The status a chunk returns when it stopped because another chunk failed (its own work is
/// abandoned, not an error of its own): never a status of the registry.
pub const ABORTED: u32 = 0xFFFE;

/// The Ctrl-C poll on a pool thread running a chunk (`interrupt::sj_rt_poll`): `Some(ABORTED)`
/// when the loop stopped (another chunk failed, or the calling thread raised
/// KeyboardInterrupt), `Some(0)` to go on (only Python's main thread runs signal handlers; the
/// calling thread does), None when this thread runs no chunk of a pool's loop.
pub fn poll_in_helper() -> Option<u32> {
    let lp = CURRENT.with(Cell::get);
    if lp.is_null() {
        return None;
    }
    // SAFETY: CURRENT is set only while this thread runs a chunk of that loop, which holds it.
    let stopped = unsafe { (*lp).stop.load(Ordering::Relaxed) };
    Some(if stopped { ABORTED } else { 0 })
}

static POOL: OnceLock<Option<rayon_core::ThreadPool>> = OnceLock::new();
/// The embedder's "does this thread hold the GIL" (jit-py: `PyGILState_Check`), or 0.
static GIL_CHECK: AtomicUsize = AtomicUsize::new(0);

/// Sets the function that says whether the calling thread holds the embedder's lock (Python's
/// GIL). A loop called with it held runs every chunk on the calling thread: the pool's threads
/// could need the lock (`print`) while the caller waits for them.
pub fn set_gil_check(check: extern "C" fn() -> i32) {
    GIL_CHECK.store(check as usize, Ordering::Release);
}

fn holds_gil() -> bool {
    let check = GIL_CHECK.load(Ordering::Acquire);
    if check == 0 {
        return false;
    }
    // SAFETY: only `set_gil_check` stores here, always a function of this type.
    let check: extern "C" fn() -> i32 = unsafe { std::mem::transmute::<usize, extern "C" fn() -> i32>(check) };
    check() != 0
}
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

/// `get_thread_id()` in compiled code ([`thread_id`]).
pub extern "C" fn sj_rt_thread_id() -> i64 {
    thread_id() as i64
}

/// `get_num_threads()` in compiled code ([`num_threads`]).
pub extern "C" fn sj_rt_num_threads() -> i64 {
    num_threads() as i64
}

/// `set_num_threads(n)` in compiled code: 0, or `Status::Raised` with the ValueError recorded.
pub extern "C" fn sj_rt_set_num_threads(n: i64) -> u32 {
    match set_num_threads(n) {
        Ok(()) => 0,
        Err(message) => {
            crate::runtime::record_raised("ValueError", message);
            crate::runtime::Status::Raised as u32
        }
    }
}

/// Whether `iterations` iterations of `picos` picoseconds each take longer than waking the pool
/// costs ([`WORTH_WAKING`], or [`WORTH_POSTING`] while helpers wait for a loop).
fn worth_waking(picos: u128, iterations: i64) -> bool {
    let cost = if HELPING.load(Ordering::Relaxed) > 0 { WORTH_POSTING } else { WORTH_WAKING };
    picos * iterations.max(0) as u128 >= cost.as_nanos() * 1000
}

/// What one of `iterations` iterations took, in picoseconds (at least 1: known).
fn picos_per_iteration(took: std::time::Duration, iterations: i64) -> i64 {
    (took.as_nanos() * 1000 / iterations.max(1) as u128).clamp(1, i64::MAX as u128) as i64
}

/// Whether the calling thread is the process's main thread (Python's, which runs signal
/// handlers): asked once per thread.
fn on_main_thread() -> bool {
    thread_local! {
        static MAIN: bool = {
            // SAFETY: gettid and getpid cannot fail; Linux's main thread has the process's id.
            unsafe { libc::gettid() == libc::getpid() }
        };
    }
    MAIN.with(|m| *m)
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

/// The first position of chunk `c` of `chunks` over `n` iterations (chunks of equal size, to
/// one iteration): they depend only on `n` and `chunks`.
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
    /// The chunks cut into one run of consecutive chunks per thread (the calling thread's
    /// first, then one per helper). A thread takes chunks from its own run, then from the
    /// others': a helper that comes late or a chunk that takes long is made up for, and in a
    /// loop that follows another over the same rows (a time step, a stencil's two sweeps) each
    /// thread touches mostly the rows it touched before, still in its core's cache.
    runs: Vec<Run>,
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

/// What [`Loop::take`] found.
#[derive(Debug, PartialEq)]
enum Take {
    /// This chunk, now this thread's.
    Chunk(i64),
    /// Only chunks their own threads will take.
    Owner,
    /// No chunk left.
    Done,
}

/// One thread's run of chunks in a [`Loop`], alone on its cache lines (the threads taking
/// chunks from their own runs do not slow each other down).
#[repr(align(128))]
struct Run {
    /// The run's next chunk no thread took yet.
    next: AtomicI64,
    /// The chunk after the run.
    end: i64,
    /// A thread whose own run this is takes chunks from the loop (it will take the run's
    /// last chunk: no other thread need).
    joined: AtomicBool,
    /// How many chunks the threads whose own run this is have finished (of any run), counted
    /// when a thread is done taking chunks.
    finished: AtomicI64,
}

impl Loop {
    /// A loop of `n` iterations in `chunks` chunks for `threads` threads (at most `chunks`).
    fn new(body: ChunkFn, env: *mut u8, n: i64, chunks: i64, threads: usize) -> Loop {
        let runs = (0..threads as i64)
            .map(|t| Run {
                next: AtomicI64::new(chunk_start(t, chunks, threads as i64)),
                end: chunk_start(t + 1, chunks, threads as i64),
                // The calling thread's run (0) is joined from the start.
                joined: AtomicBool::new(t == 0),
                finished: AtomicI64::new(0),
            })
            .collect();
        Loop {
            body,
            env: env as usize,
            n,
            chunks,
            runs,
            stop: AtomicBool::new(false),
            stoppable: on_main_thread(),
            failure: Mutex::new(None),
            blocks: Mutex::new(Vec::new()),
        }
    }

    /// The run a thread takes chunks from first: the calling thread's is 0; a pool thread's
    /// depends only on which of the pool's threads it is (the same thread, the same rows).
    fn own_run(&self, helper: bool) -> usize {
        let helpers = self.runs.len() - 1;
        match rayon_core::current_thread_index() {
            Some(i) if helper && helpers > 0 => 1 + i % helpers,
            _ => 0,
        }
    }

    /// Takes a chunk: the next of run `own`, else of the runs after it. The last chunk of
    /// another thread's run is left to that thread once it has joined ([`Take::Owner`] when
    /// only such chunks are left): taking it would move rows out of the cache of the core that
    /// has them (and will want them in the next loop over the same rows, a stencil's second
    /// sweep) for a gain of at most part of one chunk. Not `polite`, any chunk left is taken.
    /// [`Take::Done`] when every chunk is taken, or the loop is closed.
    fn take(&self, own: usize, polite: bool) -> Take {
        let k = self.runs.len();
        let mut left = Take::Done;
        for (d, r) in (0..k).map(|d| (d, &self.runs[(own + d) % k])) {
            let next = r.next.load(Ordering::Relaxed);
            if next >= r.end {
                continue;
            }
            if polite && d > 0 && next + 1 == r.end && r.joined.load(Ordering::Relaxed) {
                left = Take::Owner;
                continue;
            }
            let c = r.next.fetch_add(1, Ordering::Relaxed);
            if c < r.end {
                return Take::Chunk(c);
            }
        }
        left
    }

    /// Closes the loop (a thread that comes later takes no chunk): the chunks no thread took.
    fn close(&self) -> Vec<std::ops::Range<i64>> {
        let mut untaken = Vec::new();
        for r in &self.runs {
            let taken = r.next.fetch_add(CLOSED, Ordering::AcqRel);
            if taken < r.end {
                untaken.push(taken..r.end);
            }
        }
        untaken
    }

    /// Runs chunk `c` on this thread; false when it failed.
    fn run(&self, c: i64) -> bool {
        let (lo, hi) = (chunk_start(c, self.n, self.chunks), chunk_start(c + 1, self.n, self.chunks));
        // SAFETY: `body` is the outlined loop body compiled for `env`, which the caller keeps
        // alive until every chunk taken has finished; chunks write disjoint state (`parallel`
        // checked it).
        let status = unsafe { (self.body)(self.env as *mut u8, lo, hi, c) };
        if status != 0 && crate::runtime::status_code(status) != ABORTED {
            self.fail(c, status);
        }
        status == 0
    }

    /// Records chunk `c`'s failure (`c` -1: the calling thread's, outside any chunk) and stops
    /// the loop: the other chunks stop at their next poll.
    fn fail(&self, c: i64, status: u32) {
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        if failure.as_ref().is_none_or(|(first, ..)| c < *first) {
            *failure = Some((c, status, crate::runtime::ErrorState::take()));
        }
        drop(failure);
        self.stop.store(true, Ordering::Relaxed);
        // Compiled loops poll when this flag is set: the helpers' chunks then return ABORTED.
        crate::interrupt::SJ_RT_INTERRUPT.store(1, Ordering::Relaxed);
    }

    /// Takes chunks until none are left or the loop stops (on a helper or the calling thread),
    /// then counts them finished. On a helper (`helper`), the blocks its chunks leave live are
    /// handed to the calling thread first.
    fn work(&self, helper: bool) {
        let own = self.own_run(helper);
        let was_worker = IN_WORKER.with(|w| w.replace(true));
        let outer_blocks = if helper { crate::memory::set_aside_live() } else { 0 };
        if helper {
            CURRENT.with(|l| l.set(self));
        }
        self.runs[own].joined.store(true, Ordering::Relaxed);
        let mut done = 0;
        let mut waits = 0u32;
        // The calling thread: how long its last chunk took, and since when it has waited for
        // owners to take their last chunks.
        let mut last_chunk = std::time::Duration::ZERO;
        let mut waiting_since: Option<std::time::Instant> = None;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            if self.stoppable && crate::interrupt::SJ_RT_INTERRUPT.load(Ordering::Relaxed) != 0 {
                self.stop.store(true, Ordering::Relaxed);
                break;
            }
            // An owner that takes its last chunk later than twice a chunk's time after the calling
            // thread began to wait is not running (the OS gave its core to another thread): the
            // calling thread takes it.
            let polite = waiting_since.is_none_or(|t| t.elapsed() < 2 * last_chunk.max(OWNER_PATIENCE));
            let c = match self.take(own, polite) {
                Take::Chunk(c) => c,
                // The calling thread closes the loop when it leaves: it stays until the owners
                // of the runs' last chunks have taken them (they are finishing a chunk).
                Take::Owner if !helper => {
                    waiting_since.get_or_insert_with(std::time::Instant::now);
                    waits += 1;
                    if waits < 64 {
                        std::hint::spin_loop();
                    } else {
                        std::thread::yield_now();
                    }
                    continue;
                }
                _ => break,
            };
            done += 1;
            let started = (!helper).then(std::time::Instant::now);
            let ok = self.run(c);
            if let Some(t) = started {
                last_chunk = t.elapsed();
            }
            if !ok {
                break;
            }
        }
        if helper {
            CURRENT.with(|l| l.set(std::ptr::null()));
            let made = crate::memory::set_aside_live();
            crate::memory::restore_live(outer_blocks);
            if made != 0 {
                self.blocks.lock().unwrap_or_else(|e| e.into_inner()).push(made);
            }
        }
        self.runs[own].finished.fetch_add(done, Ordering::Release);
        IN_WORKER.with(|w| w.set(was_worker));
    }
}

/// The least a calling thread waits for the owner of a run's last chunk to take it (twice its
/// own last chunk's time, at least twice this) before it takes the chunk itself.
const OWNER_PATIENCE: std::time::Duration = std::time::Duration::from_micros(5);

/// How long a helper that finished its loop waits, spinning, for the next one before it goes
/// back to the pool to sleep. Waking a sleeping thread costs 10-50 µs, more than many loops
/// take; a function's loops usually follow each other within microseconds (a time step, a
/// stencil's two sweeps), and Python calls one function in a loop with little between calls.
/// A core spins at most this long after each loop (OpenMP runtimes spin likewise).
const SPIN: std::time::Duration = std::time::Duration::from_micros(300);

/// After this much of [`SPIN`], a waiting helper offers its core to any other thread ready to
/// run on it (`sched_yield`) between looks at the board: on a machine with more threads than
/// cores (several processes, Python threads computing) a waiting helper then costs little.
const SPIN_ALONE: std::time::Duration = std::time::Duration::from_micros(50);

/// Where a calling thread posts its loop for the helpers of earlier loops (see [`help`]).
struct Board {
    /// The last loop posted (a helper that takes it after it is over finds no chunk).
    posted: Option<Arc<Loop>>,
    /// The number of the last post (each helper takes a post at most once).
    post: u64,
    /// How many more helpers the posted loop asked for.
    wanted: usize,
    /// Helpers in [`help`]: running a loop's chunks or waiting for the next loop. One running
    /// chunks counts: it takes the next loop when it is done (it was in the middle of finishing
    /// the last chunk when the caller saw the loop done and posted its next).
    helping: usize,
}

static BOARD: Mutex<Board> = Mutex::new(Board { posted: None, post: 0, wanted: 0, helping: 0 });
/// [`Board::post`], for waiting helpers to watch without the lock.
static POSTS: AtomicU64 = AtomicU64::new(0);
/// [`Board::helping`], for [`worth_waking`] to read without the lock.
static HELPING: AtomicUsize = AtomicUsize::new(0);

fn board() -> std::sync::MutexGuard<'static, Board> {
    BOARD.lock().unwrap_or_else(|e| e.into_inner())
}

/// Posts `lp` for up to `helpers` of the helpers in [`help`]; how many it asked for (the
/// caller wakes the others through the pool). A post replaces one whose helpers are not all
/// there yet: that loop's own thread runs the chunks they would have.
fn post(lp: &Arc<Loop>, helpers: usize) -> usize {
    let mut b = board();
    let take = b.helping.min(helpers);
    if take > 0 {
        b.posted = Some(Arc::clone(lp));
        b.wanted = take;
        b.post += 1;
        POSTS.store(b.post, Ordering::Release);
    }
    take
}

/// A helper's job on the pool: chunks of `lp`, then of each loop posted until none comes for
/// [`SPIN`].
fn help(mut lp: Arc<Loop>) {
    let mut seen = {
        let mut b = board();
        b.helping += 1;
        HELPING.store(b.helping, Ordering::Relaxed);
        b.post
    };
    loop {
        lp.work(true);
        drop(lp);
        match next_loop(&mut seen) {
            Some(next) => lp = next,
            None => return,
        }
    }
}

/// Waits up to [`SPIN`] for a post after `seen` that still wants a helper and takes its loop;
/// None (and the helper leaves [`Board::helping`]) when none came.
fn next_loop(seen: &mut u64) -> Option<Arc<Loop>> {
    let start = std::time::Instant::now();
    let mut spins = 0u32;
    let mut polite = false;
    loop {
        spins = spins.wrapping_add(1);
        let mut late = false;
        if polite || spins.is_multiple_of(64) {
            let waited = start.elapsed();
            late = waited >= SPIN;
            polite = waited >= SPIN_ALONE;
        }
        if POSTS.load(Ordering::Acquire) == *seen && !late {
            if polite {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
            continue;
        }
        // Taking a loop and leaving both happen under the lock, where `post` counts the
        // helpers: a post never counts on a helper that left.
        let mut b = board();
        if b.post != *seen {
            *seen = b.post;
            if b.wanted > 0 {
                b.wanted -= 1;
                return b.posted.clone();
            }
        }
        if late {
            b.helping -= 1;
            HELPING.store(b.helping, Ordering::Relaxed);
            return None;
        }
    }
}

/// Runs the `n` iterations of a parallel loop as `chunks` chunks of `body` over `env`: the
/// calling thread takes chunks, and so do helper jobs on the pool's threads. Returns 0 or the
/// status of the failed chunk of lowest number (its error records put on the calling thread).
/// The blocks helpers made and left live go on the calling thread's list, which the dispatcher
/// frees after the call. After Ctrl-C on Python's main thread, no more chunks are taken and the
/// calling thread runs Python's signal handlers: their exception (KeyboardInterrupt) is
/// returned; if they raise none, the chunks not started run here.
///
/// Helpers are woken only when the loop is worth it: `cost` is the loop's own word (a global
/// of the compiled code) holding what an iteration took last time, in picoseconds. Without
/// that, or when it says the loop is short, the calling thread runs the first chunk alone,
/// timed, and wakes the helpers only if the other chunks are expected to take longer than
/// waking them costs (a loop of a thousand cheap iterations then costs what the serial loop
/// does).
///
/// # Safety
/// `body` is a chunk function compiled for `env`, `env` stays valid until this returns, and
/// `cost` points to an 8-byte word only this function uses.
pub unsafe extern "C" fn sj_rt_parallel_for(body: ChunkFn, env: *mut u8, n: i64, chunks: i64, cost: *mut i64) -> u32 {
    if n <= 0 {
        return 0;
    }
    let pool = match pool() {
        Some(p) if chunks > 1 && !holds_gil() => p,
        // SAFETY: the caller's contract; each chunk in turn on this thread (the partial results
        // are the same as on the pool's threads).
        _ => return unsafe { run_here(body, env, n, chunks.max(1), 0..chunks.max(1)) },
    };
    // SAFETY: the caller's contract: an aligned word, only ever accessed atomically.
    let cost = unsafe { &*(cost as *const AtomicI64) };
    let first_len = chunk_start(1, n, chunks);
    let known = cost.load(Ordering::Relaxed);
    if known > 0 && !worth_waking(known as u128, n - first_len) {
        // Short last time: every chunk here, timed again (no pool, no shared state).
        let clock = std::time::Instant::now();
        let was_worker = IN_WORKER.with(|w| w.replace(true));
        // SAFETY: the caller's contract, on this thread.
        let status = unsafe { run_here(body, env, n, chunks, 0..chunks) };
        IN_WORKER.with(|w| w.set(was_worker));
        if status == 0 {
            cost.store(picos_per_iteration(clock.elapsed(), n), Ordering::Relaxed);
        }
        return status;
    }
    let helpers = num_threads().min(chunks as usize) - 1;
    let lp = Arc::new(Loop::new(body, env, n, chunks, helpers + 1));
    let wake = |lp: &Arc<Loop>| {
        // Helpers still waiting after their last loop take this one; jobs wake the rest.
        for _ in post(lp, helpers)..helpers {
            let lp = Arc::clone(lp);
            pool.spawn(move || help(lp));
        }
    };
    let woken = known > 0;
    if woken {
        wake(&lp);
    }
    // A chunk runs here, timed (the first, unless woken helpers took every chunk already).
    let clock = std::time::Instant::now();
    if let Take::Chunk(first) = lp.take(0, true) {
        let was_worker = IN_WORKER.with(|w| w.replace(true));
        let ok = lp.run(first);
        lp.runs[0].finished.fetch_add(1, Ordering::Release);
        IN_WORKER.with(|w| w.set(was_worker));
        let len = chunk_start(first + 1, n, chunks) - chunk_start(first, n, chunks);
        let picos = picos_per_iteration(clock.elapsed(), len);
        cost.store(picos, Ordering::Relaxed);
        if !woken && ok && worth_waking(picos as u128, n - first_len) {
            wake(&lp);
        }
    }
    lp.work(false);
    // Close the loop: a helper that wakes from now on takes no chunk (and never touches `env`);
    // every chunk taken before must return before `env` goes away.
    let untaken = lp.close();
    let taken = chunks - untaken.iter().map(|r| r.end - r.start).sum::<i64>();
    let mut spins = 0u32;
    while lp.runs.iter().map(|r| r.finished.load(Ordering::Acquire)).sum::<i64>() < taken {
        // Ctrl-C while the helpers finish: this thread runs Python's handlers (the main thread
        // only); when they raise, the helpers' chunks stop.
        if lp.stoppable && !lp.stop.load(Ordering::Relaxed) && crate::interrupt::SJ_RT_INTERRUPT.load(Ordering::Relaxed) != 0 {
            let raised = crate::interrupt::sj_rt_poll();
            if raised != 0 {
                lp.fail(-1, raised);
            }
        }
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
    if !untaken.is_empty() {
        // Stopped by Ctrl-C: the handlers raise, or the loop finishes here.
        let raised = crate::interrupt::sj_rt_poll();
        if raised != 0 {
            return raised;
        }
        // SAFETY: as in `Loop::run`, on the calling thread.
        return unsafe { run_here(body, env, n, chunks, untaken.into_iter().flatten()) };
    }
    0
}

/// Runs chunks `cs` of the `chunks` chunks of a loop of `n` iterations on the calling thread,
/// in turn; 0, or the status of the first that failed (the later ones do not run).
///
/// # Safety
/// As [`sj_rt_parallel_for`]'s: `body` is compiled for `env`, which stays valid meanwhile.
unsafe fn run_here(body: ChunkFn, env: *mut u8, n: i64, chunks: i64, cs: impl IntoIterator<Item = i64>) -> u32 {
    for c in cs {
        let (lo, hi) = (chunk_start(c, n, chunks), chunk_start(c + 1, n, chunks));
        // SAFETY: the caller's contract.
        let status = unsafe { body(env, lo, hi, c) };
        if status != 0 {
            return status;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn nothing(_: *mut u8, _: i64, _: i64, _: i64) -> u32 {
        0
    }

    #[test]
    fn runs_give_each_chunk_once_own_run_first_and_close_returns_the_rest() {
        for (chunks, threads) in [(32i64, 2usize), (7, 3), (5, 5), (64, 4)] {
            let lp = Loop::new(nothing, std::ptr::null_mut(), 1000, chunks, threads);
            // A thread starts at the first chunk of its own run.
            for t in 0..threads {
                assert_eq!(lp.take(t, true), Take::Chunk(chunk_start(t as i64, chunks, threads as i64)));
            }
            // The last thread takes every other chunk: its own run first, then the others'.
            let mut seen: Vec<i64> = (0..threads).map(|t| chunk_start(t as i64, chunks, threads as i64)).collect();
            let half = (chunks as usize - threads) / 2;
            for _ in 0..half {
                let Take::Chunk(c) = lp.take(threads - 1, true) else { panic!("a chunk is left") };
                seen.push(c);
            }
            let left = lp.close();
            assert_eq!(lp.take(0, true), Take::Done, "a closed loop gives no chunk");
            seen.extend(left.into_iter().flatten());
            seen.sort_unstable();
            assert_eq!(seen, (0..chunks).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_last_chunk_of_a_joined_run_is_left_to_its_thread() {
        // Two threads, four chunks: run 0 is chunks 0-1, run 1 chunks 2-3.
        let lp = Loop::new(nothing, std::ptr::null_mut(), 100, 4, 2);
        assert_eq!(lp.take(1, true), Take::Chunk(2));
        assert_eq!(lp.take(1, true), Take::Chunk(3));
        // Run 0 still has two chunks: thread 1 may take the first of them, not the last.
        assert_eq!(lp.take(1, true), Take::Chunk(0));
        assert_eq!(lp.take(1, true), Take::Owner);
        assert_eq!(lp.take(0, true), Take::Chunk(1));
        assert_eq!(lp.take(1, true), Take::Done);
        // A run whose thread has not joined gives its last chunk to any thread.
        let lp = Loop::new(nothing, std::ptr::null_mut(), 100, 4, 2);
        for c in 0..4 {
            assert_eq!(lp.take(0, true), Take::Chunk(c));
        }
        assert_eq!(lp.take(0, true), Take::Done);
        // Once it has joined, its last chunk is its own.
        let lp = Loop::new(nothing, std::ptr::null_mut(), 100, 4, 2);
        lp.runs[1].joined.store(true, Ordering::Relaxed);
        for c in 0..3 {
            assert_eq!(lp.take(0, true), Take::Chunk(c));
        }
        assert_eq!(lp.take(0, true), Take::Owner);
        // Unless the thread taking it has waited too long for the owner (not polite).
        assert_eq!(lp.take(0, false), Take::Chunk(3));
        assert_eq!(lp.take(1, true), Take::Done);
    }

    #[test]
    fn chunks_cover_every_iteration_once_in_order() {
        for n in [1i64, 2, 7, 64, 65, 96, 97, 1000, 1 << 40] {
            for chunks in [1i64, 2, 3, 8, 16, 32, 48, 64, 160] {
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
