//! The run-time side of compiled code: status codes it returns (mapped to Python exceptions by
//! the caller) and the few helpers it calls that are easier to get exactly right in Rust.
//!
//! Helpers are `extern "C"` and reach the JIT as absolute symbols (see `engine`), so a compiled
//! object names them and stays relocatable.

pub use crate::overlap_rt::{sj_rt_meet_2d, sj_rt_overlaps, sj_rt_overlaps_2d};

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

/// The class name and message the last `raise` on this thread recorded (of a user's class,
/// its builtin base and its message: [`last_raised_user`] names the class).
pub fn last_raised() -> (&'static str, Option<String>) {
    let (class, message) = LAST_RAISED.with(|c| c.borrow().clone());
    let names = &crate::registry::exceptions::RAISABLE;
    let message = match message.as_deref().and_then(split_user_class) {
        Some((_, m)) => m.map(str::to_string),
        None => message,
    };
    (names.get(class as usize).copied().unwrap_or("Exception"), message)
}

/// Marks a `raise` of a user's exception class (a subclass of a builtin one, defined in
/// Python): the message compiled code records is `MARK class MARK message`, or `MARK class
/// NO_ARGS` for `raise Class` / `raise Class()`; the recorded class is its builtin base (what an
/// `except` clause in compiled code tests).
pub const USER_CLASS_MARK: char = '\u{1}';
/// See [`USER_CLASS_MARK`].
pub const USER_CLASS_NO_ARGS: char = '\u{2}';

/// `(class, message)` of a message [`USER_CLASS_MARK`] marks.
fn split_user_class(m: &str) -> Option<(&str, Option<&str>)> {
    let rest = m.strip_prefix(USER_CLASS_MARK)?;
    let end = rest.find([USER_CLASS_MARK, USER_CLASS_NO_ARGS])?;
    let (class, tail) = rest.split_at(end);
    Some((class, tail.strip_prefix(USER_CLASS_MARK)))
}

/// The user's exception class (`module.qualname`) and message of the last `raise` on this
/// thread, when it raised one.
pub fn last_raised_user() -> Option<(String, Option<String>)> {
    let (_, message) = LAST_RAISED.with(|c| c.borrow().clone());
    let (class, m) = split_user_class(message.as_deref()?)?;
    Some((class.to_string(), m.map(str::to_string)))
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

/// Records NumPy's ValueError for `np.array()` of `n` lists that are not all of one length
/// (compiled code returns [`Status::Raised`] right after).
pub extern "C" fn sj_rt_inhomogeneous(n: i64) {
    record_raised(
        "ValueError",
        format!(
            "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was ({n},) + inhomogeneous part."
        ),
    );
}

/// NumPy's sum of the `n` float64s at `data`, `stride` bytes apart: `0.0` plus their pairwise
/// sum as NumPy 2's `DOUBLE_pairwise_sum` adds them (eight accumulators over blocks of up to
/// 128, halves of larger runs split at a multiple of 8), so that `a.sum()` of a contiguous or
/// 1-D float64 array is NumPy's to the bit.
///
/// # Safety
/// `data + k * stride` for `k` in `0..n` are readable float64s.
pub unsafe extern "C" fn sj_rt_pairwise_sum(data: *const u8, n: i64, stride: i64) -> f64 {
    // SAFETY: the caller's contract.
    0.0 + unsafe { pairwise(data, n.max(0) as usize, stride as isize) }
}

/// NumPy's `pairwise_sum` (numpy/_core/src/umath/loops_utils.h.src), for float64.
unsafe fn pairwise(a: *const u8, n: usize, stride: isize) -> f64 {
    // SAFETY (each read): `k < n`, inside the caller's run.
    let at = |k: usize| unsafe { (a.offset(k as isize * stride) as *const f64).read_unaligned() };
    if n < 8 {
        let mut res = 0.0;
        for k in 0..n {
            res += at(k);
        }
        res
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        for (j, slot) in r.iter_mut().enumerate() {
            *slot = at(j);
        }
        let mut i = 8;
        while i < n - (n % 8) {
            for (j, slot) in r.iter_mut().enumerate() {
                *slot += at(i + j);
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += at(i);
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        // SAFETY: both halves lie inside the caller's run.
        unsafe { pairwise(a, n2, stride) + pairwise(a.offset(n2 as isize * stride), n - n2, stride) }
    }
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
        ("sj_rt_gamma", crate::math_rt::sj_rt_gamma as *const () as usize),
        ("sj_rt_lgamma", crate::math_rt::sj_rt_lgamma as *const () as usize),
        ("sj_rt_gcd", crate::math_rt::sj_rt_gcd as *const () as usize),
        ("sj_rt_isqrt", crate::math_rt::sj_rt_isqrt as *const () as usize),
        ("sj_rt_inhomogeneous", sj_rt_inhomogeneous as *const () as usize),
        ("sj_rt_pairwise_sum", sj_rt_pairwise_sum as *const () as usize),
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
}
