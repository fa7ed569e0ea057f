//! The memory of Python dicts compiled code makes: a block (`crate::memory`) whose payload
//! ([`Payload`]) describes an insertion-ordered hash table in one C allocation the block owns
//! (`Header::extra`): an index table of entry positions, then the entries.
//!
//! Keys and values are flattened into 8-byte slots (`crate::abi`'s flattening: a number in one
//! slot, a complex number or a tuple in one slot per part). Compiled code canonicalizes a key
//! before it gets here (`-0.0` as `0.0`, a bool as 0 or 1), so two keys are equal when their
//! slots are: hashing and comparing are over the slots' bits. An entry is a state word (1: live,
//! 0: deleted), the key's slots, then the value's. Entries are appended in insertion order and
//! never move while the table lives (a deletion marks its entry), so iteration is insertion
//! order, as CPython's.

use crate::memory::{sj_rt_new_block, Header, DATA_OFFSET};

/// What a dict block holds after its header (compiled code reads `len`, `used` and `entries`
/// at the offsets [`LEN`], [`USED`] and [`ENTRIES`]).
#[repr(C)]
pub struct Payload {
    /// Live entries: `len(d)`.
    pub len: i64,
    /// Entries written, live or deleted (the next entry's position).
    pub used: i64,
    /// The address of entry 0.
    pub entries: *mut u64,
    /// Room for this many entries.
    pub cap: i64,
    /// The index table (`mask + 1` positions, each an entry or [`EMPTY`]/[`DELETED`]).
    pub index: *mut i64,
    pub mask: i64,
    pub key_slots: i64,
    pub value_slots: i64,
    /// 1 when the keys are strings (one slot: a string block's address, hashed and compared
    /// by content; each key stored is pinned until the call returns), else 0.
    pub string_keys: i64,
    /// The entry the last lookup found (or made): `k in d` then `d[k]` looks the key up once.
    /// Only a hint, checked on use (written, live, the same key), so nothing resets it.
    pub last: i64,
}

pub const LEN: u64 = DATA_OFFSET;
pub const USED: u64 = DATA_OFFSET + 8;
pub const ENTRIES: u64 = DATA_OFFSET + 16;

const EMPTY: i64 = -1;
const DELETED: i64 = -2;

/// The payload of the dict block `h`.
///
/// # Safety
/// `h` is the header of a dict block.
pub unsafe fn payload(h: *mut Header) -> *mut Payload {
    (h as usize + DATA_OFFSET as usize) as *mut Payload
}

/// Slots of one entry: the state word, the key, the value.
pub fn entry_slots(key_slots: i64, value_slots: i64) -> i64 {
    1 + key_slots + value_slots
}

/// Whether the `n` slots at `a` and `b` are equal (a word loop: a slice comparison calls
/// `memcmp`, which costs more than the few words a key has).
///
/// # Safety
/// `a` and `b` point to `n` slots each.
#[inline(always)]
unsafe fn same_slots(a: *const u64, b: *const u64, n: usize) -> bool {
    // SAFETY: the caller's contract.
    unsafe { (0..n).all(|i| *a.add(i) == *b.add(i)) }
}

/// A key's hash: of its slots' bits, or of a string key's code points.
///
/// # Safety
/// A string key's slot is a string block's address.
#[inline(always)]
unsafe fn key_hash(strings: bool, key: &[u64]) -> u64 {
    if strings {
        // SAFETY: the caller's contract.
        let v = unsafe { crate::string::View::of(key[0] as usize as *const Header) };
        let mut h: u64 = v.len as u64;
        for c in v.chars() {
            h = (h.rotate_left(5) ^ c as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        return hash(&[h]);
    }
    hash(key)
}

/// Whether two keys are equal (string keys by content).
///
/// # Safety
/// As [`same_slots`]; string keys' slots are string blocks' addresses.
#[inline(always)]
unsafe fn same_key(strings: bool, a: *const u64, b: *const u64, n: usize) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        if strings {
            let (x, y) = (*a as usize as *const Header, *b as usize as *const Header);
            return x == y || crate::string::equal(x, y);
        }
        same_slots(a, b, n)
    }
}

#[inline(always)]
fn hash(key: &[u64]) -> u64 {
    // FxHash's mixing, then a final avalanche so that the low bits (the table position) depend
    // on every bit of the key.
    let mut h: u64 = 0;
    for &w in key {
        h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Allocates the table of `p` for `cap` entries and `mask + 1` index positions, copying the
/// live entries of the old one in order; false when memory is exhausted (nothing changed).
///
/// # Safety
/// `h` is a live dict block.
unsafe fn rebuild(h: *mut Header, cap: i64) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        let positions = ((cap * 3 / 2).max(8) as u64).next_power_of_two() as i64;
        let Some(bytes) =
            (positions as usize).checked_add((cap as usize).saturating_mul(es as usize)).and_then(|n| n.checked_mul(8))
        else {
            return false;
        };
        let raw = libc::malloc(bytes) as *mut i64;
        if raw.is_null() {
            return false;
        }
        let index = raw;
        let entries = raw.add(positions as usize) as *mut u64;
        std::slice::from_raw_parts_mut(index, positions as usize).fill(EMPTY);
        let mask = positions - 1;
        let mut n = 0i64;
        for k in 0..(*p).used {
            let src = (*p).entries.add((k * es) as usize);
            if *src == 0 {
                continue;
            }
            let dst = entries.add((n * es) as usize);
            std::ptr::copy_nonoverlapping(src, dst, es as usize);
            let key = std::slice::from_raw_parts(dst.add(1), (*p).key_slots as usize);
            let mut i = (key_hash((*p).string_keys != 0, key) as i64) & mask;
            while *index.add(i as usize) != EMPTY {
                i = (i + 1) & mask;
            }
            *index.add(i as usize) = n;
            n += 1;
        }
        libc::free((*h).extra as *mut libc::c_void);
        (*h).extra = raw as *mut u8;
        *p = Payload { len: n, used: n, entries, cap, index, mask, ..*p };
        true
    }
}

/// A new empty dict whose keys take `key_slots` slots (-1: string keys, one slot each) and
/// values `value_slots` (one reference, on the thread's live list), or null when memory is
/// exhausted.
pub extern "C" fn sj_rt_dict_new(key_slots: i64, value_slots: i64) -> *mut Header {
    let (key_slots, string_keys) = if key_slots == -1 { (1, 1) } else { (key_slots, 0) };
    let h = sj_rt_new_block(std::mem::size_of::<Payload>() as i64, false);
    if h.is_null() {
        return h;
    }
    // SAFETY: a fresh block whose payload has room for a Payload.
    unsafe {
        payload(h).write(Payload {
            len: 0,
            used: 0,
            entries: std::ptr::null_mut(),
            cap: 0,
            index: std::ptr::null_mut(),
            mask: 0,
            key_slots,
            value_slots,
            string_keys,
            last: 0,
        });
        if !rebuild(h, 4) {
            crate::memory::sj_rt_release(h);
            return std::ptr::null_mut();
        }
    }
    h
}

/// The index position holding `key`'s entry, or the first free position of its probe
/// sequence (as `Err`).
///
/// # Safety
/// `p` is a live dict's payload; `key` points to its key slots.
#[inline(always)]
unsafe fn probe(p: *mut Payload, key: *const u64) -> Result<i64, i64> {
    // SAFETY: the caller's contract.
    unsafe {
        let ks = (*p).key_slots as usize;
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        let key = std::slice::from_raw_parts(key, ks);
        let strings = (*p).string_keys != 0;
        let mut i = (key_hash(strings, key) as i64) & (*p).mask;
        let mut free = None;
        loop {
            let at = *(*p).index.add(i as usize);
            if at == EMPTY {
                return Err(free.unwrap_or(i));
            }
            if at == DELETED {
                free.get_or_insert(i);
            } else {
                let e = (*p).entries.add((at * es) as usize);
                if same_key(strings, e.add(1), key.as_ptr(), ks) {
                    return Ok(i);
                }
            }
            i = (i + 1) & (*p).mask;
        }
    }
}

/// The value slots of the entry the last lookup found when it holds `key` (written, live, the
/// same key: a live entry with the key is the key's one entry).
///
/// # Safety
/// `p` is a live dict's payload; `key` points to its key slots.
#[inline(always)]
unsafe fn last_found(p: *mut Payload, key: *const u64) -> Option<*mut u64> {
    // SAFETY: the caller's contract; `last < used` is inside the written entries.
    unsafe {
        let last = (*p).last;
        if last >= (*p).used {
            return None;
        }
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        let e = (*p).entries.add((last * es) as usize);
        (*e != 0 && same_key((*p).string_keys != 0, e.add(1), key, (*p).key_slots as usize))
            .then(|| e.add(1 + (*p).key_slots as usize))
    }
}

/// The value slots of `key`'s entry in `h`, or null when `key` is not in it.
///
/// # Safety
/// `h` is a live dict block; `key` points to its key slots.
pub unsafe extern "C" fn sj_rt_dict_find(h: *mut Header, key: *const u64) -> *mut u64 {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        if let Some(value) = last_found(p, key) {
            return value;
        }
        match probe(p, key) {
            Ok(i) => {
                let at = *(*p).index.add(i as usize);
                (*p).last = at;
                (*p).entries.add((at * es + 1 + (*p).key_slots) as usize)
            }
            Err(_) => std::ptr::null_mut(),
        }
    }
}

/// The value slots of `key`'s entry in `h`, made (with zero slots, at the end of the order)
/// when `key` is not in it; `*added` tells which. Null when memory is exhausted.
///
/// # Safety
/// `h` is a live dict block; `key` points to its key slots (not inside `h`'s table).
pub unsafe extern "C" fn sj_rt_dict_insert(h: *mut Header, key: *const u64, added: *mut bool) -> *mut u64 {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        if let Some(value) = last_found(p, key) {
            *added = false;
            return value;
        }
        if let Ok(i) = probe(p, key) {
            *added = false;
            let at = *(*p).index.add(i as usize);
            (*p).last = at;
            return (*p).entries.add((at * es + 1 + (*p).key_slots) as usize);
        }
        // Room for one more entry, and the index at most two thirds full (deleted positions
        // count: they lengthen probes).
        if (*p).used == (*p).cap || ((*p).used + 1) * 3 > ((*p).mask + 1) * 2 {
            let cap = ((*p).len + 1).saturating_mul(2).max(4);
            if !rebuild(h, cap) {
                return std::ptr::null_mut();
            }
        }
        let Err(i) = probe(p, key) else { unreachable!("not in the table") };
        let n = (*p).used;
        let e = (*p).entries.add((n * es) as usize);
        *e = 1;
        std::ptr::copy_nonoverlapping(key, e.add(1), (*p).key_slots as usize);
        if (*p).string_keys != 0 {
            // The dict's reference to its key, never dropped: the string lives until the call
            // returns (the dispatcher frees it with the call's other blocks).
            *(*key as usize as *mut i64) += 1;
        }
        let value = e.add(1 + (*p).key_slots as usize);
        std::slice::from_raw_parts_mut(value, (*p).value_slots as usize).fill(0);
        *(*p).index.add(i as usize) = n;
        (*p).used = n + 1;
        (*p).len += 1;
        (*p).last = n;
        *added = true;
        value
    }
}

/// Removes `key` from `h`, copying its value slots to `value`; false when `key` is not in it.
///
/// # Safety
/// `h` is a live dict block; `key` points to its key slots, `value` to room for its value slots.
pub unsafe extern "C" fn sj_rt_dict_remove(h: *mut Header, key: *const u64, value: *mut u64) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        let Ok(i) = probe(p, key) else { return false };
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        let e = (*p).entries.add((*(*p).index.add(i as usize) * es) as usize);
        std::ptr::copy_nonoverlapping(e.add(1 + (*p).key_slots as usize), value, (*p).value_slots as usize);
        *e = 0;
        *(*p).index.add(i as usize) = DELETED;
        (*p).len -= 1;
        true
    }
}

/// `d.popitem()`: removes the last live entry of `h`, its key's slots then its value's written
/// at `out`; false, with CPython's `KeyError` recorded, when `h` is empty.
///
/// # Safety
/// `h` is a live dict block; `out` has room for its key and value slots.
pub unsafe extern "C" fn sj_rt_dict_pop_last(h: *mut Header, out: *mut u64) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        let (ks, vs) = ((*p).key_slots as usize, (*p).value_slots as usize);
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        let Some(k) = (0..(*p).used).rev().find(|&k| *(*p).entries.add((k * es) as usize) != 0) else {
            crate::runtime::record_raised("KeyError", "popitem(): dictionary is empty".into());
            return false;
        };
        let e = (*p).entries.add((k * es) as usize);
        std::ptr::copy_nonoverlapping(e.add(1), out, ks);
        sj_rt_dict_remove(h, out, out.add(ks));
        let _ = vs;
        true
    }
}

/// Empties `h` (`d.clear()`), or copies `from`'s entries into `h` (`d.update(other)`,
/// `d.copy()` into a new dict) when `from` is not null; false when memory is exhausted.
///
/// # Safety
/// `h` and `from` (when not null) are live dict blocks of the same key and value slots.
pub unsafe extern "C" fn sj_rt_dict_fill(h: *mut Header, from: *mut Header) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let p = payload(h);
        if from.is_null() {
            std::slice::from_raw_parts_mut((*p).index, ((*p).mask + 1) as usize).fill(EMPTY);
            (*p).len = 0;
            (*p).used = 0;
            return true;
        }
        let q = payload(from);
        let es = entry_slots((*q).key_slots, (*q).value_slots);
        let (ks, vs) = ((*q).key_slots as usize, (*q).value_slots as usize);
        let mut key = vec![0u64; ks];
        let mut added = false;
        for k in 0..(*q).used {
            let e = (*q).entries.add((k * es) as usize);
            if *e == 0 {
                continue;
            }
            // A copy: the insert may move `from`'s table when `from` is `h`.
            std::ptr::copy_nonoverlapping(e.add(1), key.as_mut_ptr(), ks);
            let value: Vec<u64> = std::slice::from_raw_parts(e.add(1 + ks), vs).to_vec();
            let dst = sj_rt_dict_insert(h, key.as_ptr(), &mut added);
            if dst.is_null() {
                return false;
            }
            std::ptr::copy_nonoverlapping(value.as_ptr(), dst, vs);
        }
        true
    }
}

/// The text of a key's slots as CPython's `repr` writes the key, `kinds` saying how: one
/// letter a slot (`b` bool, `i` int64, `u` uint64, `f` float64, `s` float32, `c` a complex
/// number's two slots, `C` a complex64's), and parentheses around a tuple's.
pub fn key_repr(slots: &[u64], kinds: &str) -> String {
    fn one(slots: &[u64], kinds: &[u8], at: &mut usize, k: &mut usize) -> String {
        let c = kinds[*k];
        *k += 1;
        match c {
            b'(' => {
                let mut parts = Vec::new();
                while kinds[*k] != b')' {
                    parts.push(one(slots, kinds, at, k));
                }
                *k += 1;
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            b'c' | b'C' => {
                let (re, im) = (f64::from_bits(slots[*at]), f64::from_bits(slots[*at + 1]));
                *at += 2;
                crate::output::complex_repr(re, im, c == b'C')
            }
            _ => {
                let w = slots[*at];
                *at += 1;
                match c {
                    b'b' => (if w != 0 { "True" } else { "False" }).to_string(),
                    b'i' => (w as i64).to_string(),
                    b'u' => w.to_string(),
                    // SAFETY: a string key's slot is a string block's address.
                    b'S' => unsafe { crate::string::repr(&crate::string::View::of(w as usize as *const Header)) },
                    b's' => crate::output::float_repr(f64::from_bits(w), Some(f64::from_bits(w) as f32)),
                    _ => crate::output::float_repr(f64::from_bits(w), None),
                }
            }
        }
    }
    let (mut at, mut k) = (0, 0);
    one(slots, kinds.as_bytes(), &mut at, &mut k)
}

/// Records `KeyError(key)` for a missing key (compiled code returns `Status::Raised` right
/// after): `key` points to its slots, `kinds`/`len` to its [`key_repr`] text.
///
/// # Safety
/// `key` points to the slots `kinds` describes; `kinds` to `len` bytes of ASCII.
pub unsafe extern "C" fn sj_rt_dict_key_error(key: *const u64, kinds: *const u8, len: i64) {
    // SAFETY: the caller's contract.
    let kinds = unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(kinds, len as usize)) };
    let n = kinds.bytes().filter(|c| !matches!(c, b'(' | b')')).map(|c| if matches!(c, b'c' | b'C') { 2 } else { 1 }).sum();
    // SAFETY: the caller's contract.
    let slots = unsafe { std::slice::from_raw_parts(key, n) };
    crate::runtime::record_raised_repr("KeyError", key_repr(slots, kinds));
}

/// The live entries of `h` in order: each entry's key slots and value slots.
///
/// # Safety
/// `h` is a live dict block.
pub unsafe fn entries(h: *mut Header) -> Vec<(&'static [u64], &'static [u64])> {
    // SAFETY: the caller's contract; the slices live as long as the block is not changed.
    unsafe {
        let p = payload(h);
        let es = entry_slots((*p).key_slots, (*p).value_slots);
        let (ks, vs) = ((*p).key_slots as usize, (*p).value_slots as usize);
        (0..(*p).used)
            .map(|k| (*p).entries.add((k * es) as usize))
            .filter(|e| **e != 0)
            .map(|e| (std::slice::from_raw_parts(e.add(1), ks), std::slice::from_raw_parts(e.add(1 + ks), vs)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_finds_removes_and_keeps_insertion_order() {
        let h = sj_rt_dict_new(1, 1);
        assert!(!h.is_null());
        let mut added = false;
        // SAFETY: `h` is a live dict of one-slot keys and values.
        unsafe {
            for k in 0..1000u64 {
                let v = sj_rt_dict_insert(h, &(k * 7), &mut added);
                assert!(added && !v.is_null());
                *v = k;
            }
            for k in (0..1000u64).step_by(2) {
                let mut out = 0;
                assert!(sj_rt_dict_remove(h, &(k * 7), &mut out));
                assert_eq!(out, k);
            }
            assert_eq!((*payload(h)).len, 500);
            for k in 0..1000u64 {
                let v = sj_rt_dict_find(h, &(k * 7));
                assert_eq!(v.is_null(), k % 2 == 0);
                if !v.is_null() {
                    assert_eq!(*v, k);
                }
            }
            let keys: Vec<u64> = entries(h).iter().map(|(k, _)| k[0]).collect();
            assert_eq!(keys, (1..1000u64).step_by(2).map(|k| k * 7).collect::<Vec<_>>());
            let v = sj_rt_dict_insert(h, &0, &mut added);
            assert!(added);
            *v = 99;
            assert_eq!(entries(h).last().map(|(k, v)| (k[0], v[0])), Some((0, 99)));
            assert!(sj_rt_dict_fill(h, std::ptr::null_mut()));
            assert_eq!((*payload(h)).len, 0);
            assert!(sj_rt_dict_find(h, &7).is_null());
            crate::memory::sj_rt_release(h);
        }
    }

    #[test]
    fn keys_are_written_as_python_writes_them() {
        let s = |x: f64| x.to_bits();
        assert_eq!(key_repr(&[3], "i"), "3");
        assert_eq!(key_repr(&[1, s(2.5)], "(bf)"), "(True, 2.5)");
        assert_eq!(key_repr(&[7], "(i)"), "(7,)");
        assert_eq!(key_repr(&[1, 2, s(1e20)], "((ii)f)"), "((1, 2), 1e+20)");
    }
}
