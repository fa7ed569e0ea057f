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
}

/// Offsets of the fields from the block's header.
pub const LEN: u64 = DATA_OFFSET;
pub const CAP: u64 = DATA_OFFSET + 8;
pub const ITEMS: u64 = DATA_OFFSET + 16;

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
        payload(h).write(Payload { len: 0, cap: cap.max(0), items });
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
}
