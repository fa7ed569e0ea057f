//! The memory of arrays made by compiled code: reference-counted blocks from the C allocator.
//!
//! A block is one `calloc` (for `np.zeros`: fresh pages the kernel maps on first touch, as
//! NumPy's own zeros) or `malloc` (everything else) holding a [`Header`] and, 64 bytes further
//! on and 64-byte aligned, the array's elements. The array value compiled code passes around
//! carries the header's address (its "meminfo", Numba's name; null for memory it did not
//! allocate, such as an argument's), and codegen counts references to it (`codegen::refs`):
//! a block whose count reaches zero is freed at once ([`sj_rt_release`]).
//!
//! Every block not yet freed is also on its thread's list of live blocks, which the
//! dispatcher takes after each call ([`take_live`]): the blocks a returned array lives in go
//! to NumPy (a capsule frees each, [`free_detached`]); any other is freed there. That is what
//! frees the blocks of a call that ended with an error (a status return, or the jump of a
//! RecursionError over the frames that held them), and it bounds any imprecision of the counts
//! to one call.

use std::cell::Cell;

/// What precedes the elements of a block. Compiled code reads and writes `refcount` only (at
/// offset 0) and finds the elements at `header + DATA_OFFSET`.
#[repr(C)]
pub struct Header {
    /// References from compiled code: locals, temporaries, values being returned.
    refcount: i64,
    prev: *mut Header,
    next: *mut Header,
    /// What `malloc`/`calloc` returned (what `free` takes).
    raw: *mut u8,
    /// The size of the elements in bytes.
    bytes: usize,
    /// A second C allocation the block owns, freed with it (a list's items, `crate::list`), or
    /// null.
    pub(crate) extra: *mut u8,
}

/// Distance from a block's header to its elements (the elements are 64-byte aligned).
pub const DATA_OFFSET: u64 = 64;
const ALIGN: usize = 64;
/// Bytes requested beyond the elements: the header, plus the slack to align the elements
/// (the C allocator's pointers are 16-byte aligned).
const OVERHEAD: usize = DATA_OFFSET as usize + ALIGN - 16;

const _: () = assert!(std::mem::size_of::<Header>() <= DATA_OFFSET as usize);

/// From this size on, a block asks the kernel for transparent huge pages, as NumPy's own
/// allocator does (4 MiB): a fresh 8 MB array otherwise takes 2048 page faults on first touch.
const HUGE_PAGE_HINT: usize = 1 << 22;

/// `madvise(MADV_HUGEPAGE)` over the whole pages of `raw..raw + len` (a hint: any failure,
/// such as a kernel without transparent huge pages, changes nothing).
fn advise_huge_pages(raw: *mut u8, len: usize) {
    const PAGE: usize = 4096;
    let start = (raw as usize).next_multiple_of(PAGE);
    let end = raw as usize + len;
    if end > start {
        // SAFETY: the range lies inside the allocation just made; madvise with
        // MADV_HUGEPAGE changes no contents and no mapping.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

thread_local! {
    /// The newest live block of this thread (the list runs through `next`).
    static LIVE: Cell<*mut Header> = const { Cell::new(std::ptr::null_mut()) };
}

/// A new block of `bytes` (elements zeroed when `zero`), with one reference, on this thread's
/// live list; its header's address, or null when the size is impossible or memory is exhausted
/// (compiled code raises MemoryError).
pub extern "C" fn sj_rt_new_block(bytes: i64, zero: bool) -> *mut Header {
    let Some(total) = usize::try_from(bytes).ok().and_then(|b| b.checked_add(OVERHEAD)) else {
        return std::ptr::null_mut();
    };
    // SAFETY: plain C allocation; null is handled.
    let raw = unsafe {
        if zero {
            libc::calloc(1, total)
        } else {
            libc::malloc(total)
        }
    } as *mut u8;
    if raw.is_null() {
        return std::ptr::null_mut();
    }
    if total >= HUGE_PAGE_HINT {
        advise_huge_pages(raw, total);
    }
    let data = (raw as usize + DATA_OFFSET as usize).next_multiple_of(ALIGN);
    let h = (data - DATA_OFFSET as usize) as *mut Header;
    LIVE.with(|live| {
        let next = live.get();
        // SAFETY: `h` lies inside the new allocation (data - 64 >= raw, data + bytes <= raw +
        // total), aligned for a Header; `next` is null or a live block of this thread.
        unsafe {
            h.write(Header {
                refcount: 1,
                prev: std::ptr::null_mut(),
                next,
                raw,
                bytes: bytes as usize,
                extra: std::ptr::null_mut(),
            });
            if !next.is_null() {
                (*next).prev = h;
            }
        }
        live.set(h);
    });
    h
}

/// Frees a block whose last reference compiled code just dropped.
///
/// # Safety
/// `h` came from [`sj_rt_new_block`] on this thread, is still on its live list, and nothing uses
/// it again.
pub unsafe extern "C" fn sj_rt_release(h: *mut Header) {
    // SAFETY: the caller's contract: a live block of this thread.
    unsafe {
        let (prev, next) = ((*h).prev, (*h).next);
        if prev.is_null() {
            LIVE.with(|live| live.set(next));
        } else {
            (*prev).next = next;
        }
        if !next.is_null() {
            (*next).prev = prev;
        }
        free_block(h);
    }
}

/// Frees the allocations of a block off every list.
///
/// # Safety
/// `h` is a block's header, and nothing uses the block afterwards.
unsafe fn free_block(h: *mut Header) {
    // SAFETY: the caller's contract; `extra` is null or a C allocation the block owns.
    unsafe {
        libc::free((*h).extra as *mut libc::c_void);
        libc::free((*h).raw as *mut libc::c_void);
    }
}

/// Drops a reference the dispatcher held to a block it made (a list argument's), freeing the
/// block when it was the last.
///
/// # Safety
/// `h` is a live block of this thread, and the caller held one of its references.
pub unsafe fn drop_reference(h: *mut Header) {
    // SAFETY: the caller's contract.
    unsafe {
        (*h).refcount -= 1;
        if (*h).refcount == 0 {
            sj_rt_release(h);
        }
    }
}

/// A block taken off the live list: the address and size of its elements, and its header.
#[derive(Clone, Copy, Debug)]
pub struct Detached {
    pub data: usize,
    pub bytes: usize,
    pub header: usize,
}

/// Every block still live on this thread, taken off its list (the call that made them has
/// returned: compiled code no longer holds them). Each must be given to [`free_detached`]
/// once, now or by whatever keeps it.
pub fn take_live() -> Vec<Detached> {
    let mut out = Vec::new();
    let mut h = LIVE.with(|live| live.replace(std::ptr::null_mut()));
    while !h.is_null() {
        // SAFETY: every block on the list is allocated and its header initialized.
        unsafe {
            out.push(Detached { data: h as usize + DATA_OFFSET as usize, bytes: (*h).bytes, header: h as usize });
            h = (*h).next;
        }
    }
    out
}

/// Sets this thread's live list aside (compiled code is about to run Python code, a signal
/// handler, which may call compiled code on this thread: that call's cleanup must not take the
/// blocks of the call that is waiting); [`restore_live`] puts it back.
pub fn set_aside_live() -> usize {
    LIVE.with(|live| live.replace(std::ptr::null_mut())) as usize
}

/// Puts back a list [`set_aside_live`] took, after any block made meanwhile and still live.
pub fn restore_live(saved: usize) {
    let saved = saved as *mut Header;
    if saved.is_null() {
        return;
    }
    LIVE.with(|live| {
        let mut tail = live.get();
        if tail.is_null() {
            live.set(saved);
            return;
        }
        // SAFETY: every block on either list is allocated and its header initialized.
        unsafe {
            while !(*tail).next.is_null() {
                tail = (*tail).next;
            }
            (*tail).next = saved;
            (*saved).prev = tail;
        }
    });
}

/// Frees a block [`take_live`] handed out.
///
/// # Safety
/// `header` is a `Detached::header`, freed once, and nothing uses the block afterwards.
pub unsafe fn free_detached(header: usize) {
    // SAFETY: the caller's contract.
    unsafe { free_block(header as *mut Header) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_listed_and_released() {
        assert!(take_live().is_empty());
        let a = sj_rt_new_block(10, true);
        let b = sj_rt_new_block(1 << 20, false);
        let c = sj_rt_new_block(0, false);
        for h in [a, b, c] {
            assert!(!h.is_null());
            assert_eq!((h as usize + DATA_OFFSET as usize) % ALIGN, 0);
            // SAFETY: a fresh block.
            assert_eq!(unsafe { (*h).refcount }, 1);
        }
        // SAFETY: a zeroed block of 10 bytes.
        let zeros = unsafe { std::slice::from_raw_parts((a as *const u8).add(DATA_OFFSET as usize), 10) };
        assert!(zeros.iter().all(|&x| x == 0));
        // SAFETY: b is live on this thread (the middle of the list), then a (its end).
        unsafe {
            sj_rt_release(b);
            sj_rt_release(a);
        }
        let live = take_live();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].header, c as usize);
        assert!(take_live().is_empty());
        // SAFETY: taken once.
        unsafe { free_detached(live[0].header) };
        assert!(sj_rt_new_block(i64::MAX, false).is_null());
        assert!(sj_rt_new_block(-1, false).is_null());
    }
}
