//! The string operations compiled code calls through one entry point, [`sj_rt_str`]: each
//! [`StrOp`] says what it takes and gives (new strings and lists of them, integers, or an
//! exception recorded).

use std::cell::RefCell;

use super::*;

thread_local! {
    /// The f-string being built on this thread (its parts are pushed in order, then taken).
    static BUILDER: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

fn push_text(s: &str) {
    BUILDER.with(|b| b.borrow_mut().extend(s.chars().map(|c| c as u32)));
}

/// The operations of [`sj_rt_str`] (its `op` argument). Each says what it takes and gives;
/// `a`, `b`, `c` are string blocks unless said otherwise, `x`, `y` integers.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrOp {
    /// `a`: UTF-8 bytes, `x` of them → a new string.
    FromUtf8 = 0,
    /// `a + b`.
    Concat,
    /// `a * x`.
    Repeat,
    /// -1, 0 or 1 as `a` sorts before, equal to or after `b`.
    Compare,
    /// 1 when `a == b`, else 0.
    Equal,
    /// 1 when `b in a`.
    Contains,
    /// `a[x]` (`x` already within `0..len`): a one-character string.
    Char,
    /// `a[x::y]`, `n` = `c` as an integer characters: a new string.
    Slice,
    /// `str(x)` of an int (`y` = 1: the bits of a uint64).
    OfInt,
    /// `str(x)` of a float (its bits; `y` = 1: a float32).
    OfFloat,
    /// `ord(a)`: the code point, or i64::MIN with TypeError recorded.
    Ord,
    /// `chr(x)`, or null with ValueError recorded.
    Chr,
    Upper,
    Lower,
    /// `a.strip(b)` (`b` null: whitespace); `x`: 1 strip the left, 2 the right, 3 both.
    Strip,
    StartsWith,
    EndsWith,
    /// `a.find(b)` (-1 when not there).
    Find,
    RFind,
    /// `a.index(b)`, or i64::MIN with ValueError recorded.
    Index,
    Count,
    /// `a.replace(b, c, x)` (`x` < 0: every one).
    Replace,
    /// `a.split(b, x)` (`b` null: runs of whitespace; `x` < 0: no limit) → a list of strings.
    Split,
    /// `a.join(l)` (`b`: a list block of strings).
    Join,
    IsDigit,
    IsAlpha,
    IsSpace,
    IsAlnum,
    IsUpper,
    IsLower,
    /// `print` of `a` (appended to the line being printed).
    Print,
    /// Starts an f-string.
    FmtBegin,
    /// Appends `x` UTF-8 bytes at `a` (a constant).
    FmtText,
    /// Appends `a` formatted with the spec of `y` UTF-8 bytes at `b` (`b` null: `str(a)`;
    /// `x` = 1: `repr(a)`).
    FmtStr,
    /// Appends the int `x` formatted with the spec at `b` (`y` bytes; bit 62 of `y`: uint64).
    FmtInt,
    /// Appends the float of bits `x` formatted (bit 62 of `y`: a float32).
    FmtFloat,
    /// Appends the bool `x` formatted.
    FmtBool,
    /// The f-string built: a new string.
    FmtEnd,
    /// `repr(a)`: a new string.
    Repr,
    /// `a`: UTF-8 bytes, `x` of them → a string literal's block: off every live list and never
    /// freed (compiled code caches it in a global of its object).
    Literal,
    /// Records `raise` of the class `x` (`registry::exceptions::RAISABLE`) with the message `a`.
    RecordRaise,
    /// `print(..., flush=True)`: the line being printed is flushed after it is written.
    FlushAfterPrint,
    /// `str(e)` of the exception an `except ... as e` clause caught, whose status is `x`.
    ExceptionText,
    /// `a.title()` (`x` 0), `a.capitalize()` (1), `a.swapcase()` (2).
    CaseMap,
    /// `a.zfill(x)` (`y` 0), `a.center(x, b)` (1), `a.ljust(x, b)` (2), `a.rjust(x, b)` (3);
    /// `b` the fill character (null: a space).
    Pad,
    /// `a.splitlines()`: a list of strings.
    SplitLines,
}

const UNSIGNED_FLAG: i64 = 1 << 62;

fn cmp_views(a: &View, b: &View) -> std::cmp::Ordering {
    crate::string::compare(a, b)
}

/// Where `needle` first occurs in `hay` at or after `from` (code point positions).
fn find_from(hay: &[u32], needle: &[u32], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return (from <= hay.len()).then_some(from);
    }
    if needle.len() > hay.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

fn rfind(hay: &[u32], needle: &[u32]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|&i| hay[i..i + needle.len()] == *needle)
}

fn count(hay: &[u32], needle: &[u32]) -> i64 {
    if needle.is_empty() {
        return hay.len() as i64 + 1;
    }
    let mut n = 0;
    let mut at = 0;
    while let Some(i) = find_from(hay, needle, at) {
        n += 1;
        at = i + needle.len();
    }
    n
}

/// Python's `str.isspace` of one code point (the Unicode White_Space characters and the
/// bidirectional types CPython counts).
fn is_space(c: u32) -> bool {
    matches!(c, 0x09..=0x0d | 0x1c..=0x20 | 0x85 | 0xa0) || char::from_u32(c).is_some_and(|ch| c > 0xff && ch.is_whitespace())
}

fn upper(c: u32, out: &mut Vec<u32>) {
    match char::from_u32(c) {
        Some(ch) => out.extend(ch.to_uppercase().map(|u| u as u32)),
        None => out.push(c),
    }
}

/// The titlecase of `c` (Unicode's titlecase mapping: the uppercase but for the Latin digraphs
/// `Ǆ ǅ ǆ`, `Ǉ ǈ ǉ`, `Ǌ ǋ ǌ`, `Ǳ ǲ ǳ`, whose titlecase is their middle form).
fn title(c: u32, out: &mut Vec<u32>) {
    match c {
        0x01C4..=0x01C6 => out.push(0x01C5),
        0x01C7..=0x01C9 => out.push(0x01C8),
        0x01CA..=0x01CC => out.push(0x01CB),
        0x01F1..=0x01F3 => out.push(0x01F2),
        _ => upper(c, out),
    }
}

/// Whether `c` is cased (uppercase, lowercase or titlecase: the digraphs' middle forms).
fn cased(c: u32) -> bool {
    matches!(c, 0x01C5 | 0x01C8 | 0x01CB | 0x01F2) || char::from_u32(c).is_some_and(|ch| ch.is_uppercase() || ch.is_lowercase())
}

fn lower(c: u32, out: &mut Vec<u32>) {
    match char::from_u32(c) {
        Some(ch) => out.extend(ch.to_lowercase().map(|u| u as u32)),
        None => out.push(c),
    }
}

/// The strings of a list block of strings.
///
/// # Safety
/// `l` is a list block whose items are string blocks.
unsafe fn list_strings(l: *mut Header) -> Vec<*mut Header> {
    // SAFETY: the caller's contract.
    unsafe {
        let p = crate::list::payload(l);
        let items = (*p).items as *const *mut Header;
        (0..(*p).len as usize).map(|i| *items.add(i)).collect()
    }
}

/// A new list block of the strings `parts` (each pinned: a string in a list lives until the
/// call returns, `docs/language.md`), or null (MemoryError).
fn list_of(parts: Vec<*mut Header>) -> *mut Header {
    let l = crate::list::sj_rt_list_new(8, parts.len() as i64);
    if l.is_null() {
        crate::runtime::record_raised("MemoryError", String::new());
        return l;
    }
    // SAFETY: a fresh list with room for the items.
    unsafe {
        let p = crate::list::payload(l);
        let items = (*p).items as *mut *mut Header;
        for (i, &s) in parts.iter().enumerate() {
            *items.add(i) = s;
        }
        (*p).len = parts.len() as i64;
    }
    l
}

fn spec_of(ptr: *const u8, len: i64, kind: crate::format::ValueKind) -> crate::format::Spec {
    if ptr.is_null() || len <= 0 {
        return crate::format::Spec::default();
    }
    // SAFETY: the spec is a constant of the compiled object, `len` UTF-8 bytes.
    let text = String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(ptr, len as usize) });
    crate::format::parse(&text, kind).unwrap_or_default()
}

/// Every string operation compiled code calls ([`StrOp`] says what each takes and gives): a
/// string or list block's address, an integer, or 0 / i64::MIN after recording an exception.
///
/// # Safety
/// The operands are what `op` says: live string blocks (or immortal ones), list blocks of
/// strings, constants of `x` bytes.
pub unsafe extern "C" fn sj_rt_str(op: i32, a: *mut Header, b: *mut Header, c: *mut Header, x: i64, y: i64) -> i64 {
    use crate::format::{self, ValueKind};
    // SAFETY: every transmute below reads an op code compiled code wrote from this enum.
    let op: StrOp = unsafe { std::mem::transmute::<i32, StrOp>(op) };
    let ptr = |h: *mut Header| h as i64;
    // SAFETY: the caller's contract, per op.
    unsafe {
        let va = || View::of(a);
        let vb = || View::of(b);
        let cps = |v: &View| v.chars().collect::<Vec<u32>>();
        match op {
            StrOp::FromUtf8 => {
                let bytes = std::slice::from_raw_parts(a as *const u8, x.max(0) as usize);
                ptr(from_text(&String::from_utf8_lossy(bytes)))
            }
            StrOp::Concat => {
                let (l, r) = (va(), vb());
                if l.kind == r.kind {
                    let h = alloc(l.len + r.len, l.kind);
                    if !h.is_null() {
                        let d = (h as *mut u8).add(DATA as usize);
                        std::ptr::copy_nonoverlapping(l.bytes().as_ptr(), d, l.bytes().len());
                        std::ptr::copy_nonoverlapping(r.bytes().as_ptr(), d.add(l.bytes().len()), r.bytes().len());
                    }
                    ptr(h)
                } else {
                    let mut all = cps(&l);
                    all.extend(r.chars());
                    ptr(from_code_points(&all))
                }
            }
            StrOp::Repeat => {
                let v = va();
                let n = x.max(0) as usize;
                if v.len.checked_mul(n).is_none_or(|t| t > (isize::MAX as usize) / 8) {
                    crate::runtime::record_raised("OverflowError", "repeated string is too long".into());
                    return 0;
                }
                let h = alloc(v.len * n, v.kind);
                if !h.is_null() {
                    let d = (h as *mut u8).add(DATA as usize);
                    let bytes = v.bytes();
                    for k in 0..n {
                        std::ptr::copy_nonoverlapping(bytes.as_ptr(), d.add(k * bytes.len()), bytes.len());
                    }
                }
                ptr(h)
            }
            StrOp::Compare => cmp_views(&va(), &vb()) as i64,
            StrOp::Equal => eq_views(&va(), &vb()) as i64,
            StrOp::Contains => find_from(&cps(&va()), &cps(&vb()), 0).is_some() as i64,
            StrOp::Char => {
                let v = va();
                let i = if x < 0 { x + v.len as i64 } else { x };
                if !(0..v.len as i64).contains(&i) {
                    crate::runtime::record_raised("IndexError", "string index out of range".into());
                    return 0;
                }
                ptr(char_string(v.at(i as usize)))
            }
            StrOp::Slice => {
                let v = va();
                let n = c as i64;
                if y == 1 {
                    return ptr(substring(&v, x as usize, x as usize + n.max(0) as usize));
                }
                let out: Vec<u32> = (0..n.max(0)).map(|k| v.at((x + k * y) as usize)).collect();
                ptr(from_code_points(&out))
            }
            StrOp::OfInt => ptr(from_text(&if y == 1 { (x as u64).to_string() } else { x.to_string() })),
            StrOp::OfFloat => {
                let f = f64::from_bits(x as u64);
                ptr(from_text(&crate::output::float_repr(f, (y == 1).then_some(f as f32))))
            }
            StrOp::Ord => {
                let v = va();
                if v.len != 1 {
                    crate::runtime::record_raised(
                        "TypeError",
                        format!("ord() expected a character, but string of length {} found", v.len),
                    );
                    return i64::MIN;
                }
                v.at(0) as i64
            }
            StrOp::Chr => {
                if !(0..0x110000).contains(&x) {
                    crate::runtime::record_raised("ValueError", "chr() arg not in range(0x110000)".into());
                    return 0;
                }
                ptr(char_string(x as u32))
            }
            StrOp::Upper | StrOp::Lower => {
                let mut out = Vec::with_capacity(va().len);
                for ch in va().chars() {
                    if op == StrOp::Upper {
                        upper(ch, &mut out)
                    } else {
                        lower(ch, &mut out)
                    }
                }
                ptr(from_code_points(&out))
            }
            StrOp::Strip => {
                let s = cps(&va());
                let set: Option<Vec<u32>> = (!b.is_null()).then(|| cps(&vb()));
                let strip = |ch: &u32| match &set {
                    Some(set) => set.contains(ch),
                    None => is_space(*ch),
                };
                let mut lo = 0;
                let mut hi = s.len();
                if x & 1 != 0 {
                    while lo < hi && strip(&s[lo]) {
                        lo += 1;
                    }
                }
                if x & 2 != 0 {
                    while hi > lo && strip(&s[hi - 1]) {
                        hi -= 1;
                    }
                }
                ptr(from_code_points(&s[lo..hi]))
            }
            StrOp::StartsWith => cps(&va()).starts_with(&cps(&vb())) as i64,
            StrOp::EndsWith => cps(&va()).ends_with(&cps(&vb())) as i64,
            StrOp::Find => find_from(&cps(&va()), &cps(&vb()), 0).map_or(-1, |i| i as i64),
            StrOp::RFind => rfind(&cps(&va()), &cps(&vb())).map_or(-1, |i| i as i64),
            StrOp::Index => match find_from(&cps(&va()), &cps(&vb()), 0) {
                Some(i) => i as i64,
                None => {
                    crate::runtime::record_raised("ValueError", "substring not found".into());
                    i64::MIN
                }
            },
            StrOp::Count => count(&cps(&va()), &cps(&vb())),
            StrOp::Replace => {
                let (s, old, new) = (cps(&va()), cps(&vb()), cps(&View::of(c)));
                let mut out = Vec::with_capacity(s.len());
                let mut left = if x < 0 { i64::MAX } else { x };
                if old.is_empty() {
                    for (k, &ch) in s.iter().enumerate() {
                        if left > 0 {
                            out.extend_from_slice(&new);
                            left -= 1;
                        }
                        let _ = k;
                        out.push(ch);
                    }
                    if left > 0 {
                        out.extend_from_slice(&new);
                    }
                    return ptr(from_code_points(&out));
                }
                let mut at = 0;
                while left > 0 {
                    let Some(i) = find_from(&s, &old, at) else { break };
                    out.extend_from_slice(&s[at..i]);
                    out.extend_from_slice(&new);
                    at = i + old.len();
                    left -= 1;
                }
                out.extend_from_slice(&s[at..]);
                ptr(from_code_points(&out))
            }
            StrOp::Split => {
                let v = va();
                let n = v.len;
                let mut limit = if x < 0 { usize::MAX } else { x as usize };
                // The parts as ranges of code points, then each a copy of its bytes (in the
                // text's kind).
                let mut ranges: Vec<(usize, usize)> = Vec::new();
                if b.is_null() {
                    let space = |i: usize| {
                        let c = v.at(i);
                        if c < 0x80 {
                            matches!(c, 0x09..=0x0d | 0x1c..=0x20)
                        } else {
                            is_space(c)
                        }
                    };
                    let mut i = 0;
                    loop {
                        while i < n && space(i) {
                            i += 1;
                        }
                        if i >= n {
                            break;
                        }
                        if limit == 0 {
                            let mut end = n;
                            while end > i && space(end - 1) {
                                end -= 1;
                            }
                            ranges.push((i, end));
                            break;
                        }
                        let start = i;
                        while i < n && !space(i) {
                            i += 1;
                        }
                        ranges.push((start, i));
                        limit -= 1;
                    }
                } else {
                    let (s, sep) = (cps(&v), cps(&vb()));
                    if sep.is_empty() {
                        crate::runtime::record_raised("ValueError", "empty separator".into());
                        return 0;
                    }
                    let mut at = 0;
                    while limit > 0 {
                        let Some(i) = find_from(&s, &sep, at) else { break };
                        ranges.push((at, i));
                        at = i + sep.len();
                        limit -= 1;
                    }
                    ranges.push((at, n));
                }
                let mut blocks = Vec::with_capacity(ranges.len());
                for (lo, hi) in ranges {
                    let h = substring(&v, lo, hi);
                    if h.is_null() {
                        return 0;
                    }
                    // The list's reference: never dropped (strings in lists are pinned).
                    blocks.push(h);
                }
                ptr(list_of(blocks))
            }
            StrOp::Join => {
                let sep = cps(&va());
                let mut out = Vec::new();
                for (k, s) in list_strings(b).into_iter().enumerate() {
                    if k > 0 {
                        out.extend_from_slice(&sep);
                    }
                    out.extend(View::of(s).chars());
                }
                ptr(from_code_points(&out))
            }
            StrOp::IsDigit | StrOp::IsAlpha | StrOp::IsSpace | StrOp::IsAlnum => {
                let v = va();
                let test = |ch: u32| {
                    let c = char::from_u32(ch);
                    match op {
                        // ASCII and Latin-1 as CPython; beyond, Unicode's numeric characters
                        // (CPython's digits only: docs/language.md).
                        StrOp::IsDigit => c.is_some_and(|c| {
                            c.is_ascii_digit()
                                || matches!(c, '\u{b2}' | '\u{b3}' | '\u{b9}')
                                || (c as u32 > 0xff && c.is_numeric())
                        }),
                        StrOp::IsAlpha => c.is_some_and(char::is_alphabetic),
                        StrOp::IsSpace => is_space(ch),
                        _ => c.is_some_and(char::is_alphanumeric),
                    }
                };
                (v.len > 0 && v.chars().all(test)) as i64
            }
            StrOp::IsUpper | StrOp::IsLower => {
                let mut cased = false;
                for ch in va().chars() {
                    let Some(c) = char::from_u32(ch) else { continue };
                    let (this, other) = if op == StrOp::IsUpper {
                        (c.is_uppercase(), c.is_lowercase())
                    } else {
                        (c.is_lowercase(), c.is_uppercase())
                    };
                    if other {
                        return 0;
                    }
                    cased |= this;
                }
                cased as i64
            }
            StrOp::Print => {
                crate::output::push_text(&va().to_text());
                0
            }
            StrOp::FmtBegin => {
                BUILDER.with(|bld| bld.borrow_mut().clear());
                0
            }
            StrOp::FmtText => {
                let bytes = std::slice::from_raw_parts(a as *const u8, x.max(0) as usize);
                push_text(&String::from_utf8_lossy(bytes));
                0
            }
            StrOp::FmtStr => {
                let v = va();
                let text = if x == 1 { repr(&v) } else { v.to_text() };
                push_text(&format::format_str(&text, &spec_of(b as *const u8, y, ValueKind::Str)));
                0
            }
            StrOp::FmtInt => {
                let unsigned = y & UNSIGNED_FLAG != 0;
                push_text(&format::format_int(x, unsigned, &spec_of(b as *const u8, y & !UNSIGNED_FLAG, ValueKind::Int)));
                0
            }
            StrOp::FmtFloat => {
                let single = y & UNSIGNED_FLAG != 0;
                let f = f64::from_bits(x as u64);
                let spec = spec_of(b as *const u8, y & !UNSIGNED_FLAG, ValueKind::Float);
                let text = if spec == format::Spec::default() {
                    crate::output::float_repr(f, single.then_some(f as f32))
                } else {
                    format::format_float(f, &spec)
                };
                push_text(&text);
                0
            }
            StrOp::FmtBool => {
                push_text(&format::format_bool(x != 0, &spec_of(b as *const u8, y, ValueKind::Bool)));
                0
            }
            StrOp::FmtEnd => {
                let cps = BUILDER.with(|bld| std::mem::take(&mut *bld.borrow_mut()));
                ptr(from_code_points(&cps))
            }
            StrOp::Repr => ptr(from_text(&repr(&va()))),
            StrOp::CaseMap => {
                let mut out = Vec::with_capacity(va().len);
                let mut previous_cased = false;
                for (i, ch) in va().chars().enumerate() {
                    let c = char::from_u32(ch);
                    let (is_upper, is_lower) = c.map_or((false, false), |c| (c.is_uppercase(), c.is_lowercase()));
                    match x {
                        0 => {
                            if previous_cased {
                                lower(ch, &mut out)
                            } else {
                                title(ch, &mut out)
                            }
                            previous_cased = cased(ch);
                        }
                        1 => {
                            if i == 0 {
                                title(ch, &mut out)
                            } else {
                                lower(ch, &mut out)
                            }
                        }
                        _ => {
                            if is_upper {
                                lower(ch, &mut out)
                            } else if is_lower {
                                upper(ch, &mut out)
                            } else {
                                out.push(ch)
                            }
                        }
                    }
                }
                ptr(from_code_points(&out))
            }
            StrOp::Pad => {
                let s = cps(&va());
                let fill = if b.is_null() {
                    ' ' as u32
                } else {
                    let f = vb();
                    if f.len != 1 {
                        crate::runtime::record_raised(
                            "TypeError",
                            "The fill character must be exactly one character long".into(),
                        );
                        return 0;
                    }
                    f.at(0)
                };
                let n = s.len() as i64;
                if x <= n {
                    return ptr(from_code_points(&s));
                }
                let marg = (x - n) as usize;
                let (left, right) = match y {
                    0 => {
                        // zfill: zeros after a leading sign.
                        let mut out = Vec::with_capacity(x as usize);
                        let signed = matches!(s.first(), Some(&c) if c == '+' as u32 || c == '-' as u32);
                        if signed {
                            out.push(s[0]);
                        }
                        out.extend(std::iter::repeat_n('0' as u32, marg));
                        out.extend_from_slice(if signed { &s[1..] } else { &s[..] });
                        return ptr(from_code_points(&out));
                    }
                    1 => {
                        let left = marg / 2 + (marg & x as usize & 1);
                        (left, marg - left)
                    }
                    2 => (0, marg),
                    _ => (marg, 0),
                };
                let mut out = Vec::with_capacity(x as usize);
                out.extend(std::iter::repeat_n(fill, left));
                out.extend_from_slice(&s);
                out.extend(std::iter::repeat_n(fill, right));
                ptr(from_code_points(&out))
            }
            StrOp::SplitLines => {
                let v = va();
                let n = v.len;
                let boundary = |c: u32| matches!(c, 0x0a | 0x0b | 0x0c | 0x0d | 0x1c | 0x1d | 0x1e | 0x85 | 0x2028 | 0x2029);
                let mut blocks = Vec::new();
                let (mut start, mut i) = (0, 0);
                while i < n {
                    let c = v.at(i);
                    if boundary(c) {
                        let h = substring(&v, start, i);
                        if h.is_null() {
                            return 0;
                        }
                        blocks.push(h);
                        i += if c == 0x0d && i + 1 < n && v.at(i + 1) == 0x0a { 2 } else { 1 };
                        start = i;
                    } else {
                        i += 1;
                    }
                }
                if start < n {
                    let h = substring(&v, start, n);
                    if h.is_null() {
                        return 0;
                    }
                    blocks.push(h);
                }
                ptr(list_of(blocks))
            }
            StrOp::ExceptionText => ptr(from_text(&crate::runtime::exception_text(x as u32))),
            StrOp::FlushAfterPrint => {
                crate::output::request_flush();
                0
            }
            StrOp::RecordRaise => {
                let text = va().to_text();
                crate::runtime::sj_rt_raise(x as i32, text.as_ptr(), text.len() as i64);
                0
            }
            StrOp::Literal => {
                let bytes = std::slice::from_raw_parts(a as *const u8, x.max(0) as usize);
                ptr(immortal(&String::from_utf8_lossy(bytes)))
            }
        }
    }
}
