//! `print()` at run time: compiled code writes its arguments, as Python's `str()` writes
//! numbers, into a line kept per thread, then hands the line to the host's writer (jit-py:
//! `sys.stdout.write`, so that notebooks and pytest capture it).

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    static LINE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The host's writer: `(bytes, len)` → 0, or nonzero when writing raised (the Python exception
/// is then pending, as after the Ctrl-C poll).
static WRITER: AtomicUsize = AtomicUsize::new(0);

/// The host's array formatter: `(descriptor slots, dtype index, ndim, out)` appends NumPy's
/// `str()` of the array to `out` → 0, or nonzero when it raised (the Python exception is then
/// pending).
type ArrayFormatter = fn(*const u64, u32, u32, &mut String) -> i32;
static ARRAY_FORMATTER: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Formatting an array of the line being built raised: the flush reports it.
    static FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

thread_local! {
    /// The line being printed asked for `flush=True`.
    static FLUSH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `print(..., flush=True)`: the host flushes the stream after writing this line.
pub(crate) fn request_flush() {
    FLUSH.with(|f| f.set(true));
}

/// Whether the line being written asked to be flushed (the host's writer asks, once per line).
pub fn take_flush() -> bool {
    FLUSH.with(|f| f.replace(false))
}

/// Sets the function that writes an array as NumPy's `str()` does (jit-py, at import).
pub fn set_array_formatter(hook: ArrayFormatter) {
    ARRAY_FORMATTER.store(hook as usize, Ordering::Release);
}

/// The bit of `sj_rt_print_array`'s `ndim` asking for `repr()` instead of `str()`.
pub const REPR_FLAG: u32 = 1 << 16;

/// Appends NumPy's `str()` of the array whose descriptor (`abi::ArrayDesc`) is at `slots`, of
/// the dtype `registry::DTYPES[dtype]` and `ndim` axes (with [`REPR_FLAG`]: its `repr()`).
///
/// # Safety
/// `slots` holds such a descriptor of memory that lives for the call.
pub unsafe extern "C" fn sj_rt_print_array(slots: *const u64, dtype: u32, ndim: u32) {
    let hook = ARRAY_FORMATTER.load(Ordering::Acquire);
    if hook == 0 {
        push("<array>");
        return;
    }
    // SAFETY: only `set_array_formatter` stores here, always a function of this type.
    let hook: ArrayFormatter = unsafe { std::mem::transmute(hook) };
    let mut text = String::new();
    if hook(slots, dtype, ndim, &mut text) != 0 {
        FAILED.with(|f| f.set(true));
    }
    push(&text);
}

/// Sets the function a printed line goes to (jit-py, at import).
pub fn set_print_hook(hook: extern "C" fn(*const u8, usize) -> i32) {
    WRITER.store(hook as usize, Ordering::Release);
}

fn push(s: &str) {
    LINE.with(|l| l.borrow_mut().push_str(s));
}

/// Appends text to the line being printed (a string's `print`, `crate::string`).
pub(crate) fn push_text(s: &str) {
    push(s);
}

/// Appends the `len` UTF-8 bytes at `text` (a constant of the compiled object) to the line.
///
/// # Safety
/// `text` points to `len` bytes of valid UTF-8.
pub unsafe extern "C" fn sj_rt_print_text(text: *const u8, len: i64) {
    // SAFETY: the caller's contract.
    let bytes = unsafe { std::slice::from_raw_parts(text, len.max(0) as usize) };
    push(&String::from_utf8_lossy(bytes));
}

/// Appends an integer (`unsigned`: the bits of a uint64).
pub extern "C" fn sj_rt_print_int(x: i64, unsigned: bool) {
    push(&if unsigned { (x as u64).to_string() } else { x.to_string() });
}

/// Appends a float as Python's `str()` writes it (`single`: a float32, written with the
/// shortest digits of a float32, as NumPy writes one).
pub extern "C" fn sj_rt_print_float(x: f64, single: bool) {
    push(&if single { float_repr(x, Some(x as f32)) } else { float_repr(x, None) });
}

/// Appends a complex number as Python's `str()` writes it (`(1+2j)`, `1j`, `(nan-infj)`;
/// `single`: a complex64, its parts with a float32's shortest digits, as NumPy writes one).
pub extern "C" fn sj_rt_print_complex(re: f64, im: f64, single: bool) {
    push(&complex_repr(re, im, single));
}

/// CPython's `complex_repr`: the parts in `repr` digits without a trailing `.0`; a real part
/// of +0.0 is left out, else the parts in parentheses with the imaginary part's sign.
pub fn complex_repr(re: f64, im: f64, single: bool) -> String {
    let part = |x: f64| {
        let s = float_repr(x, single.then_some(x as f32));
        match s.strip_suffix(".0") {
            Some(t) => t.to_string(),
            None => s,
        }
    };
    if re == 0.0 && re.is_sign_positive() {
        return format!("{}j", part(im));
    }
    let imag = part(im);
    let sign = if imag.starts_with('-') { "" } else { "+" };
    format!("({}{sign}{imag}j)", part(re))
}

/// Appends `True` or `False`.
pub extern "C" fn sj_rt_print_bool(x: bool) {
    push(if x { "True" } else { "False" });
}

/// Writes the line and empties it: 0, or `interrupt::PENDING_EXCEPTION` when the writer raised.
pub extern "C" fn sj_rt_print_flush() -> u32 {
    let line = LINE.with(|l| std::mem::take(&mut *l.borrow_mut()));
    if FAILED.with(|f| f.replace(false)) {
        return crate::interrupt::PENDING_EXCEPTION;
    }
    let hook = WRITER.load(Ordering::Acquire);
    if hook == 0 {
        use std::io::Write;
        let _ = std::io::stdout().write_all(line.as_bytes());
        return 0;
    }
    // SAFETY: only `set_print_hook` stores here, always a function of this type.
    let hook: extern "C" fn(*const u8, usize) -> i32 = unsafe { std::mem::transmute(hook) };
    if hook(line.as_ptr(), line.len()) == 0 {
        0
    } else {
        crate::interrupt::PENDING_EXCEPTION
    }
}

/// Python's `repr()` (and `str()`) of a float: the shortest digits that read back as `x`, fixed
/// notation for exponents from -4 to 15, else `1e+16` style; `inf`, `nan`, `-0.0`. With
/// `single`, the digits are the shortest of that float32.
pub fn float_repr(x: f64, single: Option<f32>) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` gives the fewest digits that read back, but breaks a tie between two such
    // (562949953421312.25: ...312.2 or ...312.3) upwards; Python's repr takes the nearest, ties
    // to even. The same count of digits correctly rounded (`{:.Ne}`, ties to even) is Python's.
    let shortest = match single {
        Some(f) => format!("{f:e}"),
        None => format!("{x:e}"),
    };
    let precision = shortest.split_once('e').map_or(0, |(m, _)| m.chars().filter(char::is_ascii_digit).count() - 1);
    let rounded = match single {
        Some(f) => format!("{f:.precision$e}"),
        None => format!("{x:.precision$e}"),
    };
    // The correctly rounded digits are Python's when they read back; beside a power of two the
    // interval below is half the one above, and only the shortest form that reads back is
    // (2**-24: 5.960464477539063e-08, not ...062).
    let reads_back = match single {
        Some(f) => rounded.parse::<f32>() == Ok(f),
        None => rounded.parse::<f64>() == Ok(x),
    };
    let s = if reads_back { rounded } else { shortest };
    let (mantissa, exp) = s.split_once('e').expect("{:e} writes an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let body = if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{digits}{}.0", "0".repeat(int_len - digits.len()))
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let m = if digits.len() == 1 { digits.clone() } else { format!("{}.{}", &digits[..1], &digits[1..]) };
        format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    };
    if negative {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_written_as_python_writes_them() {
        let cases: [(f64, &str); 19] = [
            (5.960464477539063e-08, "5.960464477539063e-08"),
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e300, "1e+300"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-0.0, "-0.0"),
            (0.3333333333333333, "0.3333333333333333"),
            (2.0f64.powi(60), "1.152921504606847e+18"),
            // Exactly ...312.25: a tie between two shortest forms, broken to even as Python does.
            (562949953421312.2, "562949953421312.2"),
            (-562949953421312.2, "-562949953421312.2"),
        ];
        for (x, want) in cases {
            assert_eq!(float_repr(x, None), want, "{x}");
        }
        assert_eq!(float_repr(f64::NAN, None), "nan");
        let complexes = [
            ((1.0, f64::NAN), "(1+nanj)"),
            ((-0.0, 1.0), "(-0+1j)"),
            ((0.0, -0.0), "-0j"),
            ((1e16, 1e-5), "(1e+16+1e-05j)"),
            ((f64::NEG_INFINITY, f64::NEG_INFINITY), "(-inf-infj)"),
            ((2.0, 3.0), "(2+3j)"),
            ((0.0, 1.5), "1.5j"),
        ];
        for ((re, im), want) in complexes {
            assert_eq!(complex_repr(re, im, false), want);
        }
        assert_eq!(complex_repr(0.1f32 as f64, 0.2f32 as f64, true), "(0.1+0.2j)");
        assert_eq!(float_repr(0.1f32 as f64, Some(0.1f32)), "0.1");
    }
}
