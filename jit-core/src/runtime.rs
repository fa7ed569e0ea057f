//! The run-time side of compiled code: status codes it returns (mapped to Python exceptions by
//! the caller) and the few helpers it calls that are easier to get exactly right in Rust.
//!
//! Helpers are `extern "C"` and reach the JIT as absolute symbols (see `engine`), so a compiled
//! object names them and stays relocatable.

pub use crate::registry::{status_code, status_place, status_word, PyExceptionKind, Status, CODE_BITS};

/// The exception class and message CPython gives for the failure a status word reports (the
/// table is [`Status::exception_and_message`]).
pub fn describe_status(word: u32, local_names: &[String]) -> (PyExceptionKind, String) {
    let Some(status) = Status::from_code(word).filter(|s| *s != Status::Ok) else {
        return (PyExceptionKind::ValueError, crate::registry::UNKNOWN_STATUS_MESSAGE.to_string());
    };
    let (kind, message) = status.exception_and_message();
    if status == Status::UnboundLocal {
        let name = status_place(word).and_then(|i| local_names.get(i as usize)).map_or("?", String::as_str);
        return (kind, message.replace("{name}", name));
    }
    if status == Status::ArrayIndexOutOfBounds {
        let (index, axis, size) = LAST_INDEX_ERROR.with(|c| c.get());
        let message = message.replace("{index}", &index.to_string()).replace("{axis}", &axis.to_string());
        return (kind, message.replace("{size}", &size.to_string()));
    }
    if status == Status::BroadcastShapes {
        if let Some(shapes) = LAST_BROADCAST.with(|c| c.borrow_mut().take()) {
            return (kind, broadcast_message(&shapes));
        }
    }
    if status == Status::MatmulShapes {
        return (kind, crate::linalg::shapes_message());
    }
    if status == Status::Raised {
        let (class, message) = last_raised();
        return (kind, format!("{class}: {}", message.unwrap_or_default()));
    }
    if matches!(status, Status::LinAlg | Status::LinAlgValue) {
        return (kind, crate::lapack::last_message());
    }
    if status == Status::RandomValue {
        return (kind, message.replace("{message}", crate::random::last_error()));
    }
    (kind, message.to_string())
}

/// Stack left free below the limit compiled recursion stops at: room for the frames that raise
/// and for the libm and runtime calls a function makes.
const STACK_HEADROOM: usize = 256 * 1024;

extern "C" {
    // cpp/guard.cpp
    fn sj_rt_call_guarded(body: *const (), args: *const u64, ret: *mut u64, overflow_status: i32) -> i32;
    fn sj_rt_stack_overflow() -> !;
}

thread_local! {
    static STACK_LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// (index as written, axis, size) of the last out-of-bounds array index on this thread.
    static LAST_INDEX_ERROR: std::cell::Cell<(i64, i64, i64)> = const { std::cell::Cell::new((0, 0, 0)) };
}

thread_local! {
    /// The class (an index into `registry::exceptions::RAISABLE`) and message of the last
    /// `raise` on this thread.
    static LAST_RAISED: std::cell::RefCell<(u32, Option<String>)> = const { std::cell::RefCell::new((0, None)) };
}

/// Records an exception the runtime itself raises (Python's `random` module's errors): the
/// builtin class `class` (one of [`crate::registry::exceptions::RAISABLE`]) with `message`.
/// Compiled code returns [`Status::Raised`] right after.
pub(crate) fn record_raised(class: &str, message: String) {
    let class = crate::registry::exceptions::raisable(class).expect("a raisable class");
    LAST_RAISED.with(|c| *c.borrow_mut() = (class, Some(message)));
    RAISED_REPR.with(|c| c.set(false));
}

/// Records an exception the runtime raises with one argument that is a number or a tuple of
/// numbers, `text` being its `repr` (a missing dict key: `KeyError(key)`, whose `str` is the
/// key's `repr`). [`last_raised_is_repr`] tells the caller to rebuild the value from it.
pub(crate) fn record_raised_repr(class: &str, text: String) {
    record_raised(class, text);
    RAISED_REPR.with(|c| c.set(true));
}

/// Whether the last exception recorded carries a value's `repr` rather than a message.
pub fn last_raised_is_repr() -> bool {
    RAISED_REPR.with(|c| c.get())
}

thread_local! {
    static RAISED_REPR: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Records a `raise`: class `class` (an index into [`crate::registry::exceptions::RAISABLE`])
/// with the `len` UTF-8 bytes at `message` (no message when `len` is negative). Compiled code
/// returns [`Status::Raised`] right after calling this.
///
/// # Safety
/// `message` points to `len` bytes of valid UTF-8 (a constant of the compiled object) when
/// `len >= 0`.
pub unsafe extern "C" fn sj_rt_raise(class: i32, message: *const u8, len: i64) {
    let text = (len >= 0).then(|| {
        // SAFETY: the caller's contract.
        let bytes = unsafe { std::slice::from_raw_parts(message, len as usize) };
        String::from_utf8_lossy(bytes).into_owned()
    });
    LAST_RAISED.with(|c| *c.borrow_mut() = (class as u32, text));
    RAISED_REPR.with(|c| c.set(false));
}

/// `str(e)` of the exception compiled code reports with `status` (what an `except ... as e`
/// clause binds): the message its class was given, as CPython's `str()` writes it (a
/// `KeyError`'s argument by its `repr`).
pub fn exception_text(status: u32) -> String {
    if Status::from_code(status) == Some(Status::Raised) {
        let (class, message) = last_raised();
        return match message {
            None => String::new(),
            Some(m) if last_raised_is_repr() => m,
            Some(m) if class == "KeyError" => {
                let s = crate::string::from_text(&m);
                // SAFETY: a string block just made (freed with the call's blocks).
                if s.is_null() {
                    m
                } else {
                    unsafe { crate::string::repr(&crate::string::View::of(s)) }
                }
            }
            Some(m) => m,
        };
    }
    describe_status(status, &[]).1
}

/// The class name and message the last `raise` on this thread recorded.
pub fn last_raised() -> (&'static str, Option<String>) {
    let (class, message) = LAST_RAISED.with(|c| c.borrow().clone());
    let names = &crate::registry::exceptions::RAISABLE;
    (names.get(class as usize).copied().unwrap_or("Exception"), message)
}

thread_local! {
    /// The operands' shapes of the last array expression on this thread whose operands did not
    /// broadcast together (taken by the message of [`Status::BroadcastShapes`]).
    static LAST_BROADCAST: std::cell::RefCell<Option<Vec<Vec<i64>>>> = const { std::cell::RefCell::new(None) };
}

/// NumPy's message for operands of these shapes that do not broadcast together.
fn broadcast_message(shapes: &[Vec<i64>]) -> String {
    let mut out = String::from("operands could not be broadcast together with shapes ");
    for shape in shapes {
        let dims: Vec<String> = shape.iter().map(i64::to_string).collect();
        let comma = if shape.len() == 1 { "," } else { "" };
        out.push_str(&format!("({}{comma}) ", dims.join(",")));
    }
    out
}

/// Records the shapes of an array expression's operands that do not broadcast together, for
/// the message of [`Status::BroadcastShapes`] (compiled code returns that status right after):
/// `len` numbers at `dims`, each operand's number of dimensions followed by its sizes.
///
/// # Safety
/// `dims` points to `len` readable i64s.
pub unsafe extern "C" fn sj_rt_broadcast_error(dims: *const i64, len: i64) {
    // SAFETY: the caller's contract.
    let dims = unsafe { std::slice::from_raw_parts(dims, len.max(0) as usize) };
    let mut shapes = Vec::new();
    let mut at = 0;
    while at < dims.len() {
        let n = dims[at].max(0) as usize;
        shapes.push(dims[at + 1..(at + 1 + n).min(dims.len())].to_vec());
        at += 1 + n;
    }
    LAST_BROADCAST.with(|c| *c.borrow_mut() = Some(shapes));
}

/// The builtin exception classes an exception compiled code reports with `status` is an
/// instance of, as bits over `registry::exceptions::RAISABLE` (what an `except` clause tests);
/// 0 for a status no `except` clause catches (an exception Python raised meanwhile, such as
/// KeyboardInterrupt, which is pending in the interpreter already).
pub extern "C" fn sj_rt_exception_mro(status: u32) -> u64 {
    use crate::registry::exceptions::{mro_bits, RAISABLE};
    match Status::from_code(status) {
        Some(Status::Ok) => 0,
        Some(Status::Raised) => {
            let class = LAST_RAISED.with(|c| c.borrow().0);
            RAISABLE.get(class as usize).map_or(0, |name| mro_bits(name))
        }
        Some(s) => mro_bits(s.exception_and_message().0.name()),
        None => 0,
    }
}

/// Everything a thread records about the error its compiled code returned a status for (the
/// index, the raised class and message, the shapes, the library messages): taken on a worker
/// of a parallel loop and put on the thread that called the loop, which builds the exception.
pub(crate) struct ErrorState {
    index: (i64, i64, i64),
    raised: (u32, Option<String>),
    raised_repr: bool,
    broadcast: Option<Vec<Vec<i64>>>,
    lapack: String,
    shapes: (bool, [i64; 3], [i64; 3]),
    random: &'static str,
}

impl ErrorState {
    /// The calling thread's error records.
    pub(crate) fn take() -> ErrorState {
        ErrorState {
            index: LAST_INDEX_ERROR.with(|c| c.get()),
            raised: LAST_RAISED.with(|c| c.borrow().clone()),
            raised_repr: RAISED_REPR.with(|c| c.get()),
            broadcast: LAST_BROADCAST.with(|c| c.borrow_mut().take()),
            lapack: crate::lapack::last_message(),
            shapes: crate::linalg::last_shapes(),
            random: crate::random::last_error(),
        }
    }

    /// Makes these the calling thread's error records.
    pub(crate) fn restore(self) {
        LAST_INDEX_ERROR.with(|c| c.set(self.index));
        LAST_RAISED.with(|c| *c.borrow_mut() = self.raised);
        RAISED_REPR.with(|c| c.set(self.raised_repr));
        LAST_BROADCAST.with(|c| *c.borrow_mut() = self.broadcast);
        crate::lapack::set_last_message(self.lapack);
        crate::linalg::set_last_shapes(self.shapes);
        crate::random::set_last_error(self.random);
    }
}

/// Records an out-of-bounds array index for the message of [`Status::ArrayIndexOutOfBounds`]
/// (compiled code returns that status right after calling this).
pub extern "C" fn sj_rt_index_error(index: i64, axis: i64, size: i64) {
    LAST_INDEX_ERROR.with(|c| c.set((index, axis, size)));
}

/// The lowest stack address compiled code of the calling thread may use: its stack's low end
/// plus [`STACK_HEADROOM`] (a quarter of the stack for small thread stacks). Asked once per call
/// of a function that may recurse, found once per thread. Where the stack's extent cannot be
/// known, only 64 KiB below the caller's frame: a RecursionError early rather than a crash.
pub extern "C" fn sj_rt_stack_limit() -> u64 {
    STACK_LIMIT.with(|cell| {
        if cell.get() == 0 {
            let here = approximate_stack_pointer();
            let limit = match thread_stack() {
                Some((low, size)) if low < here && here <= low + size => low + STACK_HEADROOM.min(size / 4),
                _ => here.saturating_sub(64 * 1024),
            };
            cell.set(limit);
        }
        cell.get() as u64
    })
}

fn approximate_stack_pointer() -> usize {
    let probe = 0u8;
    std::hint::black_box(std::ptr::addr_of!(probe)) as usize
}

/// (low end, size) of the calling thread's stack, from pthread_getattr_np (for the main thread
/// glibc derives it from the stack rlimit).
fn thread_stack() -> Option<(usize, usize)> {
    // SAFETY: attr is initialised by pthread_getattr_np before use and destroyed after.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        ok.then_some((addr as usize, size))
    }
}

/// `a / b` for int64 operands, correctly rounded like CPython's `long_true_divide` (b != 0).
pub extern "C" fn sj_rt_int_truediv(a: i64, b: i64) -> f64 {
    let neg = (a < 0) != (b < 0);
    let (n, d) = (a.unsigned_abs() as u128, b.unsigned_abs() as u128);
    if n == 0 {
        return if neg { -0.0 } else { 0.0 };
    }
    // Scale n up so the quotient has at least 64 significant bits, keep a sticky bit for the
    // remainder, and let the (correctly rounding) u128 → f64 conversion do the rest.
    let shift = 128 - (128 - n.leading_zeros()) as i32;
    let big = n << shift;
    let q = big / d;
    let sticky = !big.is_multiple_of(d) as u128;
    let r = ((q | sticky) as f64) * 2f64.powi(-shift);
    if neg {
        -r
    } else {
        r
    }
}

/// `base ** exp` for int64 with exp >= 0, wrapping like every other int64 operation.
pub extern "C" fn sj_rt_ipow(mut base: i64, mut exp: i64) -> i64 {
    let mut acc: i64 = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exp >>= 1;
    }
    acc
}

/// `round(x, ndigits)` for a float, exactly as CPython (correctly rounded, ties to even on the
/// exact binary value). Sets `*status` on overflow. Compiled code passes a pointer to its own
/// live stack slot, which is what a `&mut u32` is in the C ABI.
pub extern "C" fn sj_rt_round_f64(x: f64, ndigits: i64, status: &mut u32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if ndigits > 323 {
        return x;
    }
    if ndigits < -308 {
        return 0.0 * x;
    }
    let r = if ndigits >= 0 {
        format!("{:.*}", ndigits as usize, x).parse::<f64>().unwrap_or(x)
    } else {
        let k = (-ndigits) as usize;
        let digits = format!("{:.0}", x.abs().trunc());
        let frac_nonzero = x.fract() != 0.0;
        let up;
        let head: String;
        if digits.len() < k {
            head = "0".into();
            up = false;
        } else {
            let (h, tail) = digits.split_at(digits.len() - k);
            let first = tail.as_bytes()[0];
            let rest_zero = tail.bytes().skip(1).all(|c| c == b'0') && !frac_nonzero;
            let last_odd = h.bytes().last().is_some_and(|c| (c - b'0') % 2 == 1);
            up = first > b'5' || (first == b'5' && (!rest_zero || last_odd));
            head = if h.is_empty() { "0".into() } else { h.to_string() };
        }
        let head = if up { decimal_increment(&head) } else { head };
        let v = format!("{head}e{k}").parse::<f64>().unwrap_or(f64::INFINITY);
        if x < 0.0 {
            -v
        } else {
            v
        }
    };
    if r.is_infinite() {
        *status = Status::RoundedTooLarge as u32;
    }
    r
}

fn decimal_increment(s: &str) -> String {
    let mut d: Vec<u8> = s.bytes().collect();
    let mut i = d.len();
    loop {
        if i == 0 {
            d.insert(0, b'1');
            break;
        }
        i -= 1;
        if d[i] == b'9' {
            d[i] = b'0';
        } else {
            d[i] += 1;
            break;
        }
    }
    String::from_utf8(d).expect("ascii digits")
}

/// `round(x, ndigits)` for an int with ndigits < 0: ties to even, as CPython; wraps to int64.
pub extern "C" fn sj_rt_round_i64(x: i64, ndigits: i64) -> i64 {
    if ndigits >= 0 {
        return x;
    }
    if ndigits < -19 {
        return 0;
    }
    let p = 10i128.pow((-ndigits) as u32);
    let x = x as i128;
    let mut q = x.div_euclid(p);
    let r = x.rem_euclid(p);
    if 2 * r > p || (2 * r == p && q % 2 != 0) {
        q += 1;
    }
    (q * p) as i64
}

/// One array's record in an overlap check ([`sj_rt_overlaps`]): `[data address, item size,
/// ndim, sizes..., byte strides...]`, read in place.
#[derive(Clone, Copy)]
struct Record(*const i64);

impl Record {
    /// The word at `k`.
    #[inline(always)]
    fn word(self, k: usize) -> i64 {
        // SAFETY: the callers' contract: the record is whole, `3 + 2 * ndim` words.
        unsafe { *self.0.add(k) }
    }

    #[inline(always)]
    fn ndim(self) -> usize {
        self.word(2).max(0) as usize
    }

    /// The record after this one.
    #[inline(always)]
    fn next(self) -> Record {
        // SAFETY: the caller asks for a record that follows (`sj_rt_overlaps`' contract).
        Record(unsafe { self.0.add(3 + 2 * self.ndim()) })
    }

    /// Its axes of more than one element, as (size, byte stride): the others do not move an
    /// element's address.
    fn long_axes(self) -> impl Iterator<Item = (i64, i64)> {
        let nd = self.ndim();
        (0..nd).map(move |k| (self.word(3 + k), self.word(3 + nd + k))).filter(|&(d, _)| d != 1)
    }

    /// The addresses `[lo, hi)` its elements lie in; `None` when it has none.
    #[inline(always)]
    fn extent(self) -> Option<(u64, u64)> {
        let (data, nd) = (self.word(0), self.ndim());
        let (mut lo, mut hi) = (data, data.wrapping_add(self.word(1)));
        for k in 0..nd {
            let d = self.word(3 + k);
            if d <= 0 {
                return None;
            }
            let span = (d - 1).wrapping_mul(self.word(3 + nd + k));
            if span < 0 {
                lo = lo.wrapping_add(span);
            } else {
                hi = hi.wrapping_add(span);
            }
        }
        Some((lo as u64, hi as u64))
    }

    /// Whether `self` and `other` (which broadcasts to `self`'s shape: their axes of more than
    /// one element line up) put each element at the same address: the same data address, item
    /// size, and sizes and strides of the axes of more than one element.
    fn same_layout(self, other: Record) -> bool {
        self.word(0) == other.word(0) && self.word(1) == other.word(1) && self.long_axes().eq(other.long_axes())
    }

    /// Whether two arrays of one axis of more than one element, with one stride `s`, interleave
    /// without sharing an element (two columns of one C array: `q[:, j]` and `q[:, j - 1]`):
    /// their addresses differ by `d` with `d mod |s|` at least an element from 0 and from
    /// `|s|`, so no element of one meets an element of the other whatever their lengths.
    fn interleaved(self, other: Record) -> bool {
        let (mut a, mut b) = (self.long_axes(), other.long_axes());
        let (Some((_, s)), None, Some((_, s2)), None) = (a.next(), a.next(), b.next(), b.next()) else { return false };
        let w = self.word(1);
        let period = s.wrapping_abs();
        // A period shorter than two elements leaves no room between them.
        if w != other.word(1) || s != s2 || period < 2 * w {
            return false;
        }
        let d = self.word(0).wrapping_sub(other.word(0));
        // Neighbouring columns lie less than a period apart: no division for them.
        let r = match d {
            0.. if d < period => d,
            ..0 if d > -period => d + period,
            _ => d.rem_euclid(period),
        };
        r >= w && r <= period - w
    }

    /// Whether the value array `self` shares memory with the assignment's `target` other than
    /// element for element or as an interleaving column: the common answers (arrays apart, the
    /// same view) first and cheaply, the division of the interleaving test only for arrays that
    /// meet.
    #[inline(always)]
    fn conflicts(self, target: Record) -> bool {
        let (Some((tlo, thi)), Some((lo, hi))) = (target.extent(), self.extent()) else { return false };
        lo < thi && tlo < hi && !self.same_layout(target) && !self.interleaved(target)
    }
}

/// Whether an array assignment's value reads memory its target covers other than element for
/// element (the same layout), or two interleaved columns: then the value is computed into a
/// temporary first, as NumPy sees the whole value before any write. `words` holds `n + 1`
/// records, the target's first, each `[data, item size, ndim, sizes..., byte strides...]`.
/// Codegen asks [`sj_rt_overlaps_2d`] instead, array by array, when no array has more than two
/// axes.
///
/// # Safety
/// `words` holds the `n + 1` records, each as long as its `ndim` says.
pub unsafe extern "C" fn sj_rt_overlaps(words: *const i64, n: i64) -> bool {
    let target = Record(words);
    let mut leaf = target;
    (0..n).any(|_| {
        leaf = leaf.next();
        leaf.conflicts(target)
    })
}

/// [`sj_rt_overlaps`] for one value array of at most two axes against a target of at most two,
/// each given as data address, item size, two sizes and two byte strides (a 1-D array as one row:
/// sizes `1, n`). A pure function of its arguments, which compiled code declares `speculatable`
/// and `memory(none)`: an assignment in a loop whose arrays do not change in it checks them once,
/// before the loop.
#[allow(clippy::too_many_arguments)]
pub extern "C" fn sj_rt_overlaps_2d(
    t_data: i64,
    t_item: i64,
    t_rows: i64,
    t_cols: i64,
    t_row_stride: i64,
    t_col_stride: i64,
    l_data: i64,
    l_item: i64,
    l_rows: i64,
    l_cols: i64,
    l_row_stride: i64,
    l_col_stride: i64,
) -> bool {
    let target = [t_data, t_item, 2, t_rows, t_cols, t_row_stride, t_col_stride];
    let leaf = [l_data, l_item, 2, l_rows, l_cols, l_row_stride, l_col_stride];
    Record(leaf.as_ptr()).conflicts(Record(target.as_ptr()))
}

/// Whether two arrays of at most two axes (given as [`sj_rt_overlaps_2d`] takes them) have
/// addresses in common: when two local arrays do not, no view of one meets a view of the other.
/// Pure, as [`sj_rt_overlaps_2d`].
#[allow(clippy::too_many_arguments)]
pub extern "C" fn sj_rt_meet_2d(
    a_data: i64,
    a_item: i64,
    a_rows: i64,
    a_cols: i64,
    a_row_stride: i64,
    a_col_stride: i64,
    b_data: i64,
    b_item: i64,
    b_rows: i64,
    b_cols: i64,
    b_row_stride: i64,
    b_col_stride: i64,
) -> bool {
    let a = [a_data, a_item, 2, a_rows, a_cols, a_row_stride, a_col_stride];
    let b = [b_data, b_item, 2, b_rows, b_cols, b_row_stride, b_col_stride];
    match (Record(a.as_ptr()).extent(), Record(b.as_ptr()).extent()) {
        (Some((alo, ahi)), Some((blo, bhi))) => alo < bhi && blo < ahi,
        _ => false,
    }
}

/// Copies `src`, a block of elements in C order, into the array at `dst` (`ndim` axes of sizes
/// `shape`, byte `strides`, elements of `itemsize` bytes): an array assignment whose value
/// overlaps its target computes it into `src` first, as NumPy sees the whole value before any
/// write.
///
/// # Safety
/// `shape` and `strides` hold `ndim` values describing memory writable at `dst`; `src` holds
/// every element.
pub unsafe extern "C" fn sj_rt_store_strided(
    dst: *mut u8,
    src: *const u8,
    ndim: i64,
    shape: *const i64,
    strides: *const i64,
    itemsize: i64,
) {
    let n = ndim.max(0) as usize;
    // SAFETY: the caller's contract.
    let (shape, strides) = unsafe { (std::slice::from_raw_parts(shape, n), std::slice::from_raw_parts(strides, n)) };
    if shape.contains(&0) {
        return;
    }
    let item = itemsize as usize;
    // The last axis is copied as one run when its elements are adjacent, else one by one; the
    // outer axes are walked in C order.
    let (inner, inner_stride) = match n {
        0 => (1, 0),
        _ => (shape[n - 1], strides[n - 1]),
    };
    let outer = n.saturating_sub(1);
    let mut index = vec![0i64; outer];
    let mut at = src;
    loop {
        let offset: i64 = index.iter().zip(strides).map(|(i, s)| i * s).sum();
        // SAFETY: `index` is within `shape`, so every element written is one of the array's;
        // `at` stays within the `src` block, which holds every element (and lies apart from
        // the array: a new block).
        unsafe {
            let row = dst.offset(offset as isize);
            if inner_stride == itemsize {
                std::ptr::copy_nonoverlapping(at, row, item * inner as usize);
                at = at.add(item * inner as usize);
            } else {
                for j in 0..inner {
                    std::ptr::copy_nonoverlapping(at, row.offset((j * inner_stride) as isize), item);
                    at = at.add(item);
                }
            }
        }
        // The next row in C order.
        let mut k = outer;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            index[k] += 1;
            if index[k] < shape[k] {
                break;
            }
            index[k] = 0;
        }
    }
}

/// The helpers compiled code may call, by symbol name.
pub fn helper_symbols() -> Vec<(&'static str, usize)> {
    vec![
        ("sj_rt_int_truediv", sj_rt_int_truediv as *const () as usize),
        ("sj_rt_ipow", sj_rt_ipow as *const () as usize),
        ("sj_rt_complex", crate::complex::sj_rt_complex as *const () as usize),
        ("sj_rt_str", crate::string::sj_rt_str as *const () as usize),
        ("sj_rt_cmath", crate::cmath::sj_rt_cmath as *const () as usize),
        ("sj_rt_round_f64", sj_rt_round_f64 as *const () as usize),
        ("sj_rt_round_i64", sj_rt_round_i64 as *const () as usize),
        ("sj_rt_stack_limit", sj_rt_stack_limit as *const () as usize),
        ("sj_rt_call_guarded", sj_rt_call_guarded as *const () as usize),
        ("sj_rt_stack_overflow", sj_rt_stack_overflow as *const () as usize),
        ("sj_rt_index_error", sj_rt_index_error as *const () as usize),
        ("sj_rt_broadcast_error", sj_rt_broadcast_error as *const () as usize),
        ("sj_rt_new_block", crate::memory::sj_rt_new_block as *const () as usize),
        ("sj_rt_cfunc_error", crate::cfunc::sj_rt_cfunc_error as *const () as usize),
        ("sj_rt_cfunc_enter", crate::cfunc::sj_rt_cfunc_enter as *const () as usize),
        ("sj_rt_cfunc_leave", crate::cfunc::sj_rt_cfunc_leave as *const () as usize),
        ("sj_rt_release", crate::memory::sj_rt_release as *const () as usize),
        ("sj_rt_list_new", crate::list::sj_rt_list_new as *const () as usize),
        ("sj_rt_list_grow", crate::list::sj_rt_list_grow as *const () as usize),
        ("sj_rt_list_sort", crate::list::sj_rt_list_sort as *const () as usize),
        ("sj_rt_list_not_in", crate::list::sj_rt_list_not_in as *const () as usize),
        ("sj_rt_dict_new", crate::dict::sj_rt_dict_new as *const () as usize),
        ("sj_rt_dict_find", crate::dict::sj_rt_dict_find as *const () as usize),
        ("sj_rt_dict_insert", crate::dict::sj_rt_dict_insert as *const () as usize),
        ("sj_rt_dict_remove", crate::dict::sj_rt_dict_remove as *const () as usize),
        ("sj_rt_dict_fill", crate::dict::sj_rt_dict_fill as *const () as usize),
        ("sj_rt_dict_key_error", crate::dict::sj_rt_dict_key_error as *const () as usize),
        ("sj_rt_dict_pop_last", crate::dict::sj_rt_dict_pop_last as *const () as usize),
        ("sj_rt_poll", crate::interrupt::sj_rt_poll as *const () as usize),
        ("sj_rt_parallel_chunks", crate::threads::sj_rt_parallel_chunks as *const () as usize),
        ("sj_rt_parallel_for", crate::threads::sj_rt_parallel_for as *const () as usize),
        ("sj_rt_thread_id", crate::threads::sj_rt_thread_id as *const () as usize),
        ("sj_rt_exception_mro", sj_rt_exception_mro as *const () as usize),
        ("sj_rt_num_threads", crate::threads::sj_rt_num_threads as *const () as usize),
        ("sj_rt_set_num_threads", crate::threads::sj_rt_set_num_threads as *const () as usize),
        ("sj_rt_store_strided", sj_rt_store_strided as *const () as usize),
        ("sj_rt_overlaps", sj_rt_overlaps as *const () as usize),
        ("sj_rt_overlaps_2d", sj_rt_overlaps_2d as *const () as usize),
        ("sj_rt_meet_2d", sj_rt_meet_2d as *const () as usize),
        ("sj_rt_matmul", crate::linalg::sj_rt_matmul as *const () as usize),
        ("sj_rt_matmul_shapes", crate::linalg::sj_rt_matmul_shapes as *const () as usize),
        ("sj_rt_matmul_out_error", crate::linalg::sj_rt_matmul_out_error as *const () as usize),
        ("sj_rt_random_seed", crate::random::sj_rt_random_seed as *const () as usize),
        ("sj_rt_random_state", crate::random::sj_rt_random_state as *const () as usize),
        ("sj_rt_random_generate", crate::random::sj_rt_random_generate as *const () as usize),
        ("sj_rt_random_gauss", crate::random::sj_rt_random_gauss as *const () as usize),
        ("sj_rt_random_f64", crate::random::sj_rt_random_f64 as *const () as usize),
        ("sj_rt_random_i64", crate::random::sj_rt_random_i64 as *const () as usize),
        ("sj_rt_random_fill_f64", crate::random::sj_rt_random_fill_f64 as *const () as usize),
        ("sj_rt_random_fill_i64", crate::random::sj_rt_random_fill_i64 as *const () as usize),
        ("sj_rt_random_choice", crate::random::sj_rt_random_choice as *const () as usize),
        ("sj_rt_random_shuffle", crate::random::sj_rt_random_shuffle as *const () as usize),
        ("sj_rt_gen_new", crate::random::generator::sj_rt_gen_new as *const () as usize),
        ("sj_rt_gen_f64", crate::random::generator::sj_rt_gen_f64 as *const () as usize),
        ("sj_rt_gen_normal_tail", crate::random::generator::sj_rt_gen_normal_tail as *const () as usize),
        ("sj_rt_gen_pcg64_next64", crate::random::generator::sj_rt_gen_pcg64_next64 as *const () as usize),
        ("sj_rt_gen_integers", crate::random::generator::sj_rt_gen_integers as *const () as usize),
        ("sj_rt_gen_fill_f64", crate::random::generator::sj_rt_gen_fill_f64 as *const () as usize),
        ("sj_rt_gen_fill_i64", crate::random::generator::sj_rt_gen_fill_i64 as *const () as usize),
        ("sj_rt_gen_choice", crate::random::generator::sj_rt_gen_choice as *const () as usize),
        ("sj_rt_gen_shuffle", crate::random::generator::sj_rt_gen_shuffle as *const () as usize),
        ("sj_rt_pyrandom_seed", crate::random::pyrandom::sj_rt_pyrandom_seed as *const () as usize),
        ("sj_rt_pyrandom_state", crate::random::pyrandom::sj_rt_pyrandom_state as *const () as usize),
        ("sj_rt_pyrandom_f64", crate::random::pyrandom::sj_rt_pyrandom_f64 as *const () as usize),
        ("sj_rt_pyrandom_i64", crate::random::pyrandom::sj_rt_pyrandom_i64 as *const () as usize),
        ("sj_rt_pyrandom_shuffle", crate::random::pyrandom::sj_rt_pyrandom_shuffle as *const () as usize),
        ("sj_rt_lapack", crate::lapack::sj_rt_lapack as *const () as usize),
        ("sj_rt_raise", sj_rt_raise as *const () as usize),
        ("sj_rt_print_text", crate::output::sj_rt_print_text as *const () as usize),
        ("sj_rt_print_int", crate::output::sj_rt_print_int as *const () as usize),
        ("sj_rt_print_float", crate::output::sj_rt_print_float as *const () as usize),
        ("sj_rt_print_bool", crate::output::sj_rt_print_bool as *const () as usize),
        ("sj_rt_print_complex", crate::output::sj_rt_print_complex as *const () as usize),
        ("sj_rt_print_array", crate::output::sj_rt_print_array as *const () as usize),
        ("sj_rt_print_flush", crate::output::sj_rt_print_flush as *const () as usize),
        ("sj_rt_lapack_factor", crate::lapack::factor::sj_rt_lapack_factor as *const () as usize),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sj_rt_store_strided` into the view `a[::sa, ::sb]` (strides may be negative) of a 3×4
    /// array of i16 writes each element where indexing puts it, and nothing else.
    #[test]
    fn store_strided_stores_views_in_c_order() {
        let views: [(isize, [i64; 2], [i64; 2]); 4] =
            [(0, [3, 4], [8, 2]), (0, [3, 2], [8, 4]), (22, [3, 4], [-8, -2]), (0, [0, 4], [8, 2])];
        for (off, shape, strides) in views {
            let mut a = vec![-1i16; 12];
            let n = (shape[0] * shape[1]) as usize;
            let flat: Vec<i16> = (100..100 + n as i16).collect();
            let base = a.as_mut_ptr() as *mut u8;
            // SAFETY: every element the view names lies inside `a`; `flat` holds them all.
            unsafe { sj_rt_store_strided(base.offset(off), flat.as_ptr() as *const u8, 2, shape.as_ptr(), strides.as_ptr(), 2) };
            let mut want = vec![-1i16; 12];
            let mut k = 0;
            for i in 0..shape[0] {
                for j in 0..shape[1] {
                    let byte = off as i64 + i * strides[0] + j * strides[1];
                    want[(byte / 2) as usize] = flat[k];
                    k += 1;
                }
            }
            assert_eq!(a, want, "{shape:?} {strides:?}");
        }
    }

    #[test]
    fn int_truediv_is_correctly_rounded() {
        assert_eq!(sj_rt_int_truediv(1, 3), 1.0 / 3.0);
        assert_eq!(sj_rt_int_truediv(-7, 2), -3.5);
        // 2**62 + 1 is not a float; the exact quotient by 1 rounds to 2**62.
        assert_eq!(sj_rt_int_truediv((1 << 62) + 1, 1), 4611686018427387904.0);
        assert_eq!(sj_rt_int_truediv(i64::MIN, -1), 9223372036854775808.0);
        // (2**53 + 1) / 2: exact value 2**52 + 0.5 is representable.
        assert_eq!(sj_rt_int_truediv((1 << 53) + 1, 2), 4503599627370496.5);
        assert_eq!(sj_rt_int_truediv(0, -5).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn round_matches_cpython_examples() {
        let mut st = 0;
        assert_eq!(sj_rt_round_f64(2.675, 2, &mut st), 2.67);
        assert_eq!(sj_rt_round_f64(0.125, 2, &mut st), 0.12);
        assert_eq!(sj_rt_round_f64(1250.0, -2, &mut st), 1200.0);
        assert_eq!(sj_rt_round_f64(1350.0, -2, &mut st), 1400.0);
        assert_eq!(sj_rt_round_f64(60.0, -2, &mut st), 100.0);
        assert_eq!(sj_rt_round_f64(50.0, -2, &mut st), 0.0);
        assert_eq!(sj_rt_round_f64(50.5, -2, &mut st), 100.0);
        assert_eq!(sj_rt_round_f64(-40.0, -2, &mut st).to_bits(), (-0.0f64).to_bits());
        assert_eq!(st, 0);
        assert_eq!(sj_rt_round_i64(1250, -2), 1200);
        assert_eq!(sj_rt_round_i64(-1250, -2), -1200);
        assert_eq!(sj_rt_round_i64(1251, -2), 1300);
    }

    #[test]
    fn ipow_wraps() {
        assert_eq!(sj_rt_ipow(3, 4), 81);
        assert_eq!(sj_rt_ipow(2, 64), 0);
        assert_eq!(sj_rt_ipow(-2, 3), -8);
        assert_eq!(sj_rt_ipow(0, 0), 1);
    }

    /// A record of `sj_rt_overlaps` for a view of a buffer at `base`.
    fn record(base: i64, item: i64, shape: &[i64], strides: &[i64]) -> Vec<i64> {
        let mut r = vec![base, item, shape.len() as i64];
        r.extend_from_slice(shape);
        r.extend_from_slice(strides);
        r
    }

    /// The byte address of every element of a view, with its index, in C order.
    fn elements(base: i64, shape: &[i64], strides: &[i64]) -> Vec<(Vec<i64>, i64)> {
        let mut out = vec![(Vec::new(), base)];
        for (d, s) in shape.iter().zip(strides) {
            out = out.into_iter().flat_map(|(i, a)| (0..*d).map(move |k| ([i.clone(), vec![k]].concat(), a + k * s))).collect();
        }
        out
    }

    /// Over 2-D views of one buffer of 8-byte items (each axis of any start, length and step,
    /// negative too) and of a 4-byte view of it: whenever an element of the value shares a byte
    /// with an element of the target at another index (where writing before reading would
    /// change the answer), the check says so; and it says no for views apart, the same view,
    /// and two columns of one array.
    #[test]
    fn overlaps_finds_every_shared_element_and_passes_apart_views() {
        let row = 40; // bytes of a row of 5 items of 8 bytes
        let views = [
            (0, vec![3, 5], vec![row, 8]),
            (8, vec![3, 4], vec![row, 8]),
            (0, vec![3, 1], vec![row, 8]),
            (8, vec![3, 1], vec![row, 8]),
            (16, vec![2, 2], vec![row, 16]),
            (24, vec![2, 2], vec![row, -16]),
            (2 * row, vec![3, 5], vec![-row, 8]),
            (row, vec![2, 5], vec![row, 8]),
            (0, vec![0, 5], vec![row, 8]),
            (0, vec![5, 3], vec![8, row]),
        ];
        for (tb, ts, tst) in &views {
            for (lb, ls, lst) in &views {
                for item in [8, 4] {
                    let words = [record(*tb, 8, ts, tst), record(*lb, item, ls, lst)].concat();
                    let got = unsafe { sj_rt_overlaps(words.as_ptr(), 1) };
                    let pair = sj_rt_overlaps_2d(*tb, 8, ts[0], ts[1], tst[0], tst[1], *lb, item, ls[0], ls[1], lst[0], lst[1]);
                    assert_eq!(got, pair, "the two entries differ: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?}");
                    let meet = sj_rt_meet_2d(*tb, 8, ts[0], ts[1], tst[0], tst[1], *lb, item, ls[0], ls[1], lst[0], lst[1]);
                    let (t, l) = (elements(*tb, ts, tst), elements(*lb, ls, lst));
                    let share = l.iter().any(|(_, la)| t.iter().any(|(_, ta)| *la < ta + 8 && *ta < la + item));
                    assert!(meet || !share, "meet missed: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?} of {item}");
                    let conflict = l.iter().any(|(li, la)| {
                        t.iter().any(|(ti, ta)| *la < ta + 8 && *ta < la + item && !(li == ti && la == ta && item == 8))
                    });
                    if conflict {
                        assert!(got, "missed: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?} of {item}");
                    }
                    if t.is_empty() || l.is_empty() || (tb, ts, tst, item) == (lb, ls, lst, 8) {
                        assert!(!got, "apart: target {tb} {ts:?} {tst:?}, value {lb} {ls:?} {lst:?} of {item}");
                    }
                }
            }
        }
        // Two columns of a C array of 5 columns, and a column with itself shifted by rows.
        let col = |c: i64, rows: i64| record(c * 8, 8, &[rows], &[row]);
        let apart = [col(1, 4), col(0, 4)].concat();
        assert!(!unsafe { sj_rt_overlaps(apart.as_ptr(), 1) });
        let shifted = [col(0, 4), record(row, 8, &[4], &[row])].concat();
        assert!(unsafe { sj_rt_overlaps(shifted.as_ptr(), 1) });
        // The same 1-D columns given to the two-axis entry as one row each (sizes 1 and n).
        assert!(!sj_rt_overlaps_2d(8, 8, 1, 4, 0, row, 0, 8, 1, 4, 0, row));
        assert!(sj_rt_overlaps_2d(0, 8, 1, 4, 0, row, row, 8, 1, 4, 0, row));
        // Two arrays apart, as two whole arrays and as one below the other, do not meet.
        assert!(!sj_rt_meet_2d(0, 8, 3, 5, row, 8, 3 * row, 8, 3, 5, row, 8));
        assert!(!sj_rt_meet_2d(3 * row - 8, 8, 3, 5, -row, -8, 3 * row, 8, 3, 5, row, 8));
        assert!(sj_rt_meet_2d(3 * row - 8, 8, 3, 5, row, 8, 3 * row, 8, 3, 5, row, 8));
        // Columns far apart (more than a period): the division's answer.
        assert!(!sj_rt_overlaps_2d(8 + 10 * row, 8, 1, 4, 0, row, 0, 8, 1, 40, 0, row));
        assert!(sj_rt_overlaps_2d(10 * row, 8, 1, 4, 0, row, 0, 8, 1, 40, 0, row));
        // A 1-D row against the 2-D view of one row it broadcasts to: element for element.
        let row_1d_2d = [record(0, 8, &[1, 5], &[row, 8]), record(0, 8, &[5], &[8])].concat();
        assert!(!unsafe { sj_rt_overlaps(row_1d_2d.as_ptr(), 1) });
        assert!(!sj_rt_overlaps_2d(0, 8, 1, 5, row, 8, 0, 8, 1, 5, 0, 8));
        // A number of records: the second value array overlaps.
        let three = [record(0, 8, &[4], &[8]), record(1000, 8, &[4], &[8]), record(8, 8, &[4], &[8])].concat();
        assert!(unsafe { sj_rt_overlaps(three.as_ptr(), 2) });
        assert!(!unsafe { sj_rt_overlaps(three.as_ptr(), 1) });
    }
}
