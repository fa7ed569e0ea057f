//! The memory of Python lists compiled code makes: a block (`crate::memory`) whose payload is
//! the list's length, capacity and items pointer ([`Payload`]), the items in a C allocation of
//! their own that the block owns (`Header::extra`) and that grows as items are appended.

use crate::memory::{sj_rt_new_block, Header, DATA_OFFSET};

/// What a list block holds after its header (compiled code reads and writes the fields at
/// the offsets `LEN`, `CAP` and `ITEMS` from the header).
#[repr(C)]
pub struct Payload {
    pub len: i64,
    pub cap: i64,
    pub items: *mut u8,
    /// The items' [`ItemKind`] code (`COMPLEX_KIND` for complex numbers) once compiled code gave
    /// an empty list passed in its item type, else -1 (the dispatcher reads it to copy back
    /// what an empty list argument was given).
    pub kind: i64,
}

/// The [`Payload::kind`] of complex items.
pub const COMPLEX_KIND: i64 = 4;
/// The [`Payload::kind`] of string items.
pub const STR_KIND: i64 = 5;

/// Offsets of the fields from the block's header.
pub const LEN: u64 = DATA_OFFSET;
pub const CAP: u64 = DATA_OFFSET + 8;
pub const ITEMS: u64 = DATA_OFFSET + 16;
pub const KIND: u64 = DATA_OFFSET + 24;

/// The payload of the list block `h`.
///
/// # Safety
/// `h` is the header of a list block.
pub unsafe fn payload(h: *mut Header) -> *mut Payload {
    (h as usize + DATA_OFFSET as usize) as *mut Payload
}

/// A new empty list with room for `cap` items of `itemsize` bytes (one reference, on the
/// thread's live list), or null when memory is exhausted (compiled code raises MemoryError).
pub extern "C" fn sj_rt_list_new(itemsize: i64, cap: i64) -> *mut Header {
    let Some(bytes) = cap.max(0).checked_mul(itemsize.max(1)) else { return std::ptr::null_mut() };
    let h = sj_rt_new_block(std::mem::size_of::<Payload>() as i64, false);
    if h.is_null() {
        return h;
    }
    let items = if bytes == 0 {
        std::ptr::null_mut()
    } else {
        // SAFETY: a plain C allocation; null is handled.
        let p = unsafe { libc::malloc(bytes as usize) } as *mut u8;
        if p.is_null() {
            // SAFETY: the block just made, on this thread's list.
            unsafe { crate::memory::sj_rt_release(h) };
            return std::ptr::null_mut();
        }
        p
    };
    // SAFETY: `h` is a fresh block whose payload has room for a Payload.
    unsafe {
        payload(h).write(Payload { len: 0, cap: cap.max(0), items, kind: -1 });
        (*h).extra = items;
    }
    h
}

/// Makes room for at least `need` items of `itemsize` bytes in the list `h` (twice the
/// capacity, or `need`, whichever is more); false when memory is exhausted (nothing changed).
///
/// # Safety
/// `h` is the header of a live list block made by [`sj_rt_list_new`] with this item size.
pub unsafe extern "C" fn sj_rt_list_grow(h: *mut Header, itemsize: i64, need: i64) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        if need <= (*p).cap {
            return true;
        }
        let cap = need.max((*p).cap.saturating_mul(2)).max(4);
        let Some(bytes) = cap.checked_mul(itemsize.max(1)) else { return false };
        let items = libc::realloc((*p).items as *mut libc::c_void, bytes as usize) as *mut u8;
        if items.is_null() {
            return false;
        }
        (*p).items = items;
        (*p).cap = cap;
        (*h).extra = items;
        true
    }
}

/// The item kinds the runtime's list functions take (what compiled code passes as `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ItemKind {
    /// One byte, 0 or 1.
    Bool = 0,
    Int64 = 1,
    Float64 = 2,
    UInt64 = 3,
}

impl ItemKind {
    fn from_code(kind: i32) -> ItemKind {
        match kind {
            0 => ItemKind::Bool,
            1 => ItemKind::Int64,
            3 => ItemKind::UInt64,
            _ => ItemKind::Float64,
        }
    }
}

/// A stable merge sort that asks only `less(b, a)` (as CPython's sort asks only `<`): for
/// items with a total order the result is CPython's, ties in their original order.
fn merge_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool + Copy) {
    let n = v.len();
    if n < 2 {
        return;
    }
    if n <= 16 {
        // Insertion sort: an item moves left past strictly greater items only.
        for i in 1..n {
            let x = v[i];
            let mut j = i;
            while j > 0 && less(&x, &v[j - 1]) {
                v[j] = v[j - 1];
                j -= 1;
            }
            v[j] = x;
        }
        return;
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], less);
    merge_sort(&mut v[mid..], less);
    let left: Vec<T> = v[..mid].to_vec();
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < left.len() && j < n {
        // Take from the right only when it is strictly less: ties keep their order.
        if less(&v[j], &left[i]) {
            v[k] = v[j];
            j += 1;
        } else {
            v[k] = left[i];
            i += 1;
        }
        k += 1;
    }
    while i < left.len() {
        v[k] = left[i];
        i += 1;
        k += 1;
    }
}

/// Sorts a list's items in place (`l.sort()`, `sorted(l)`), as CPython: `reverse` reverses,
/// sorts stably, reverses again (equal items keep their order either way).
///
/// # Safety
/// `h` is a live list block of `kind` items.
pub unsafe extern "C" fn sj_rt_list_sort(h: *mut Header, kind: i32, reverse: bool) {
    unsafe fn items<'a, T>(h: *mut Header) -> &'a mut [T] {
        // SAFETY: the caller's contract: `len` items of T.
        unsafe {
            let p = payload(h);
            if (*p).len == 0 {
                return &mut [];
            }
            std::slice::from_raw_parts_mut((*p).items as *mut T, (*p).len as usize)
        }
    }
    fn run<T: Copy>(v: &mut [T], reverse: bool, less: impl Fn(&T, &T) -> bool + Copy) {
        if reverse {
            v.reverse();
        }
        merge_sort(v, less);
        if reverse {
            v.reverse();
        }
    }
    // SAFETY: the caller's contract.
    unsafe {
        if i64::from(kind) == STR_KIND {
            // Code point by code point, as CPython orders strings.
            let less = |a: &*const Header, b: &*const Header| {
                crate::string::compare(&crate::string::View::of(*a), &crate::string::View::of(*b)).is_lt()
            };
            return run(items::<*const Header>(h), reverse, less);
        }
        match ItemKind::from_code(kind) {
            ItemKind::Bool => run(items::<u8>(h), reverse, |a, b| a < b),
            ItemKind::Int64 => run(items::<i64>(h), reverse, |a, b| a < b),
            ItemKind::UInt64 => run(items::<u64>(h), reverse, |a, b| a < b),
            ItemKind::Float64 => run(items::<f64>(h), reverse, |a, b| a < b),
        }
    }
}

/// Records CPython's `ValueError("{x!r} is not in list")` for `l.index(x)` (compiled code
/// returns `Status::Raised` next); `bits` holds `x` as `kind` says.
pub extern "C" fn sj_rt_list_not_in(kind: i32, bits: i64) {
    let text = match ItemKind::from_code(kind) {
        ItemKind::Bool => (if bits != 0 { "True" } else { "False" }).to_string(),
        ItemKind::Int64 => bits.to_string(),
        ItemKind::UInt64 => (bits as u64).to_string(),
        ItemKind::Float64 => crate::output::float_repr(f64::from_bits(bits as u64), None),
    };
    let message = format!("{text} is not in list");
    let class = crate::registry::exceptions::raisable("ValueError").expect("in the table") as i32;
    // SAFETY: a valid UTF-8 buffer of that length.
    unsafe { crate::runtime::sj_rt_raise(class, message.as_ptr(), message.len() as i64) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_grow_and_keep_their_items() {
        let h = sj_rt_list_new(8, 0);
        assert!(!h.is_null());
        for k in 0..1000i64 {
            // SAFETY: `h` is a live list of 8-byte items; the write is inside its capacity.
            unsafe {
                let p = payload(h);
                assert!(sj_rt_list_grow(h, 8, (*p).len + 1));
                *((*p).items as *mut i64).add((*p).len as usize) = k * 3;
                (*p).len += 1;
            }
        }
        // SAFETY: as above.
        unsafe {
            let p = payload(h);
            assert_eq!((*p).len, 1000);
            assert!((*p).cap >= 1000);
            assert_eq!(*((*p).items as *const i64).add(999), 2997);
            crate::memory::sj_rt_release(h);
        }
        assert!(sj_rt_list_new(8, i64::MAX).is_null());
        assert!(crate::memory::take_live().is_empty());
    }

    #[test]
    fn the_sort_is_stable_and_asks_only_less() {
        // Pairs sorted by their first part only: ties keep their order, as CPython's sort.
        let mut v: Vec<(i64, usize)> = (0..200).map(|i| ((i * 7919 % 13) as i64, i)).collect();
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        merge_sort(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, expected);
        // NaN never panics (whatever order it ends in).
        let mut f = vec![3.0, f64::NAN, 1.0, -0.0, 0.0, f64::NAN, 2.0];
        merge_sort(&mut f, |a, b| a < b);
        assert_eq!(f.len(), 7);
    }
}
