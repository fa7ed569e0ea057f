//! The byte layout of one entry file: header (magic, version, length, checksum, keyed MAC) and body.
//!
//! `MAGIC | FORMAT_VERSION u32 | body length u64 | blake3(body) | MAC | body`. The MAC is blake3 in
//! keyed mode, under the cache's integrity key, over the code key the entry is stored under, the
//! first 52 header bytes and the body: an entry made without the key, or moved to another key's
//! file, does not verify. The unkeyed checksum only tells damage (a torn write, a flipped bit)
//! apart from an entry made with another key, for the messages.

use crate::{Entry, FORMAT_VERSION};

pub(crate) const MAGIC: &[u8; 8] = b"SJCACHE\0";
/// Magic, version, length, checksum: the part the MAC covers besides the key and the body.
const COVERED: usize = 8 + 4 + 8 + 32;
pub(crate) const HEADER_LEN: usize = COVERED + 32;

/// Why bytes are not a usable entry.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decode {
    /// Another format version (an older or newer stickyjit).
    Version(u32),
    /// Not an entry, or damaged: the reason.
    Corrupt(String),
    /// Whole, but its MAC does not verify under this cache's key (or there is no key to check).
    Untrusted,
}

fn mac(mac_key: &[u8; 32], key: &str, covered: &[u8], body: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new_keyed(mac_key);
    h.update(&(key.len() as u64).to_le_bytes());
    h.update(key.as_bytes());
    h.update(covered);
    h.update(body);
    h.finalize()
}

pub(crate) fn encode(key: &str, entry: &Entry, mac_key: &[u8; 32]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&(entry.meta.len() as u32).to_le_bytes());
    for (k, v) in &entry.meta {
        for s in [k, v] {
            body.extend_from_slice(&(s.len() as u32).to_le_bytes());
            body.extend_from_slice(s.as_bytes());
        }
    }
    body.extend_from_slice(&(entry.object.len() as u64).to_le_bytes());
    body.extend_from_slice(&entry.object);
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(blake3::hash(&body).as_bytes());
    let tag = mac(mac_key, key, &out[..COVERED], &body);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&body);
    out
}

/// The entry stored under `key` in `bytes`, verified with `mac_key` (`None`: nothing verifies).
pub(crate) fn decode(bytes: &[u8], key: &str, mac_key: Option<&[u8; 32]>) -> Result<Entry, Decode> {
    let corrupt = |why: &str| Decode::Corrupt(why.to_string());
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return Err(corrupt("not a stickyjit cache entry"));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(Decode::Version(version));
    }
    if bytes.len() < HEADER_LEN {
        return Err(corrupt("truncated"));
    }
    let len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let body = &bytes[HEADER_LEN..];
    if (body.len() as u64) < len {
        return Err(corrupt("truncated"));
    }
    if body.len() as u64 != len {
        return Err(corrupt("trailing bytes"));
    }
    if blake3::hash(body).as_bytes() != &bytes[20..52] {
        return Err(corrupt("checksum mismatch"));
    }
    let stored = blake3::Hash::from_bytes(bytes[COVERED..HEADER_LEN].try_into().expect("32 bytes"));
    // blake3::Hash compares in constant time.
    if mac_key.is_none_or(|k| mac(k, key, &bytes[..COVERED], body) != stored) {
        return Err(Decode::Untrusted);
    }
    let mut r = Reader { b: body, at: 0 };
    let n = r.u32().ok_or_else(|| corrupt("metadata"))?;
    let mut meta = Vec::new();
    for _ in 0..n {
        let k = r.string().ok_or_else(|| corrupt("metadata"))?;
        let v = r.string().ok_or_else(|| corrupt("metadata"))?;
        meta.push((k, v));
    }
    let olen = r.u64().ok_or_else(|| corrupt("object length"))? as usize;
    let object = r.take(olen).ok_or_else(|| corrupt("object"))?.to_vec();
    if r.at != body.len() {
        return Err(corrupt("trailing bytes"));
    }
    Ok(Entry { meta, object })
}

/// Whether `head` (the first bytes of a file, at most 8 read) is how the store's files begin:
/// the whole magic, or for a temporary file a writer may have been killed in, a prefix of it.
pub(crate) fn begins_like_ours(head: &[u8], allow_partial: bool) -> bool {
    if head.len() >= MAGIC.len() {
        head[..MAGIC.len()] == MAGIC[..]
    } else {
        allow_partial && MAGIC.starts_with(head)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.b.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}
