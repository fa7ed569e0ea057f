//! The memory and operations of Python strings compiled code makes: a block (`crate::memory`)
//! whose payload is the string's length in code points, its kind (1, 2 or 4 bytes per code
//! point, the smallest that holds every one, as CPython's PEP 393 strings) and the code points.
//! Strings are immutable: every operation makes a new block (one reference, on the thread's
//! live list), or returns null after recording the exception (compiled code then returns
//! `Status::Raised`).

use crate::memory::{sj_rt_new_block, Header, DATA_OFFSET};

mod ops;
pub use ops::{sj_rt_str, StrOp};

/// Offsets of the fields from the block's header (compiled code reads `LEN`).
pub const LEN: u64 = DATA_OFFSET;
pub const KIND: u64 = DATA_OFFSET + 8;
pub const DATA: u64 = DATA_OFFSET + 16;

/// A reference count no string reaches by counting: the one-character strings of Latin-1 are
/// made once per process and never freed (as CPython's).
const IMMORTAL: i64 = 1 << 60;

/// How two strings order, as CPython orders them: code point by code point.
pub fn compare(a: &View, b: &View) -> std::cmp::Ordering {
    if a.kind == 1 && b.kind == 1 {
        return a.bytes().cmp(b.bytes());
    }
    a.chars().cmp(b.chars())
}

/// A string's code points, read from its block.
pub struct View {
    pub len: usize,
    pub kind: u8,
    data: *const u8,
}

impl View {
    /// # Safety
    /// `h` is the header of a string block (live, or immortal).
    pub unsafe fn of(h: *const Header) -> View {
        // SAFETY: the caller's contract; the payload follows the header.
        unsafe {
            let base = h as *const u8;
            let len = *(base.add(LEN as usize) as *const i64) as usize;
            let kind = *(base.add(KIND as usize) as *const i64) as u8;
            View { len, kind, data: base.add(DATA as usize) }
        }
    }

    #[inline]
    pub fn at(&self, i: usize) -> u32 {
        // SAFETY: `i < len`, inside the block's data (the callers' loops stay below `len`).
        unsafe {
            match self.kind {
                1 => *self.data.add(i) as u32,
                2 => (self.data.add(2 * i) as *const u16).read_unaligned() as u32,
                _ => (self.data.add(4 * i) as *const u32).read_unaligned(),
            }
        }
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the block holds `len * kind` bytes of data.
        unsafe { std::slice::from_raw_parts(self.data, self.len * self.kind as usize) }
    }

    pub fn chars(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len).map(|i| self.at(i))
    }

    /// The string as Rust text (a lone surrogate, which Rust text cannot hold, as U+FFFD).
    pub fn to_text(&self) -> String {
        self.chars().map(|c| char::from_u32(c).unwrap_or('\u{fffd}')).collect()
    }
}

/// The kind a string of code points up to `max` takes.
fn kind_for(max: u32) -> u8 {
    if max < 0x100 {
        1
    } else if max < 0x10000 {
        2
    } else {
        4
    }
}

/// A new string block of `len` code points of `kind` bytes each (data not written), or null
/// with MemoryError recorded.
fn alloc(len: usize, kind: u8) -> *mut Header {
    let Some(bytes) = len.checked_mul(kind as usize).and_then(|b| b.checked_add(16)) else {
        crate::runtime::record_raised("MemoryError", String::new());
        return std::ptr::null_mut();
    };
    let h = sj_rt_new_block(bytes as i64, false);
    if h.is_null() {
        crate::runtime::record_raised("MemoryError", String::new());
        return h;
    }
    // SAFETY: a fresh block with room for the payload.
    unsafe {
        let base = h as *mut u8;
        *(base.add(LEN as usize) as *mut i64) = len as i64;
        *(base.add(KIND as usize) as *mut i64) = kind as i64;
    }
    h
}

/// A new string of the code points `cps` (in the smallest kind), or null (MemoryError).
pub fn from_code_points(cps: &[u32]) -> *mut Header {
    let kind = kind_for(cps.iter().copied().max().unwrap_or(0));
    let h = alloc(cps.len(), kind);
    if h.is_null() {
        return h;
    }
    // SAFETY: the block has room for `len * kind` bytes of data.
    unsafe { write_code_points((h as *mut u8).add(DATA as usize), kind, cps) };
    h
}

/// Writes `cps` at `data`, `kind` bytes each.
///
/// # Safety
/// `data` has room for `cps.len() * kind` bytes, and every code point fits in `kind` bytes.
unsafe fn write_code_points(data: *mut u8, kind: u8, cps: &[u32]) {
    // SAFETY: the caller's contract.
    unsafe {
        for (i, &c) in cps.iter().enumerate() {
            match kind {
                1 => *data.add(i) = c as u8,
                2 => (data.add(2 * i) as *mut u16).write_unaligned(c as u16),
                _ => (data.add(4 * i) as *mut u32).write_unaligned(c),
            }
        }
    }
}

/// A new string of the code points `lo..hi` of `v`, in `v`'s kind (a copy of its bytes), or
/// null (MemoryError).
fn substring(v: &View, lo: usize, hi: usize) -> *mut Header {
    let k = v.kind as usize;
    // SAFETY: `lo..hi` lies inside the text.
    unsafe { from_kind_data(v.kind, v.bytes().as_ptr().add(lo * k), hi - lo) }
}

/// A new string of Rust text, or null (MemoryError).
pub fn from_text(s: &str) -> *mut Header {
    if s.is_ascii() {
        let h = alloc(s.len(), 1);
        if !h.is_null() {
            // SAFETY: room for `len` bytes.
            unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), (h as *mut u8).add(DATA as usize), s.len()) };
        }
        return h;
    }
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    from_code_points(&cps)
}

/// A new string of `len` code points of `kind` copied from `data` (a CPython string's own
/// buffer, already in its smallest kind), or null (MemoryError).
///
/// # Safety
/// `data` holds `len * kind` readable bytes.
pub unsafe fn from_kind_data(kind: u8, data: *const u8, len: usize) -> *mut Header {
    let h = alloc(len, kind);
    if !h.is_null() {
        // SAFETY: the caller's contract; room for the bytes.
        unsafe { std::ptr::copy_nonoverlapping(data, (h as *mut u8).add(DATA as usize), len * kind as usize) };
    }
    h
}

static LATIN1: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();

/// The immortal one-character string of the Latin-1 code point `c`.
fn latin1(c: u32) -> *mut Header {
    let table =
        LATIN1.get_or_init(|| (0..256u32).map(|c| immortal(&char::from_u32(c).expect("Latin-1").to_string()) as usize).collect());
    table[c as usize] as *mut Header
}

/// A string block off every live list, never freed (a literal's, or a Latin-1 character's).
fn immortal(s: &str) -> *mut Header {
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    let kind = kind_for(cps.iter().copied().max().unwrap_or(0));
    let layout = std::alloc::Layout::from_size_align(DATA as usize + cps.len() * kind as usize + 8, 64).expect("a layout");
    // SAFETY: a non-zero size; the header's count and the payload are written.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout);
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        *(p as *mut i64) = IMMORTAL;
        *(p.add(LEN as usize) as *mut i64) = cps.len() as i64;
        *(p.add(KIND as usize) as *mut i64) = kind as i64;
        write_code_points(p.add(DATA as usize), kind, &cps);
        p as *mut Header
    }
}

/// The one-character string of code point `c`.
fn char_string(c: u32) -> *mut Header {
    if c < 256 {
        latin1(c)
    } else {
        from_code_points(&[c])
    }
}

/// Whether two string blocks hold the same text.
///
/// # Safety
/// `a` and `b` are string blocks.
pub unsafe fn equal(a: *const Header, b: *const Header) -> bool {
    // SAFETY: the caller's contract.
    unsafe { eq_views(&View::of(a), &View::of(b)) }
}

fn eq_views(a: &View, b: &View) -> bool {
    a.len == b.len && (a.kind == b.kind && a.bytes() == b.bytes() || a.kind != b.kind && a.chars().eq(b.chars()))
}

/// Python's `repr` of a string: quotes chosen as CPython chooses them, escapes for the
/// backslash, the quote, `\t \n \r` and other unprintable characters.
pub fn repr(v: &View) -> String {
    let cps: Vec<u32> = v.chars().collect();
    let has_single = cps.contains(&('\'' as u32));
    let has_double = cps.contains(&('"' as u32));
    let quote = if has_single && !has_double { '"' } else { '\'' };
    let mut out = String::with_capacity(cps.len() + 2);
    out.push(quote);
    for &c in &cps {
        match char::from_u32(c) {
            Some('\\') => out.push_str("\\\\"),
            Some('\t') => out.push_str("\\t"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some(ch) if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            Some(ch) if c < 0x20 || c == 0x7f => out.push_str(&format!("\\x{:02x}", ch as u32)),
            Some(ch) if (0x80..0xa1).contains(&c) || c == 0xad => out.push_str(&format!("\\x{:02x}", ch as u32)),
            Some(ch) => out.push(ch),
            None if c <= 0xffff => out.push_str(&format!("\\u{c:04x}")),
            None => out.push_str(&format!("\\U{c:08x}")),
        }
    }
    out.push(quote);
    out
}

/// The text of a string block (for the dispatcher).
///
/// # Safety
/// `h` is a string block.
pub unsafe fn text_of(h: *const Header) -> String {
    // SAFETY: the caller's contract.
    unsafe { View::of(h).to_text() }
}
