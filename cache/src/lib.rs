//! The on-disk store of compiled objects, content-addressed by code key (no LLVM, no Python).
//!
//! One file per entry, `<dir>/<key[..2]>/<key>.sjo`: a header (magic, format version, body
//! length, blake3 of the body) and a body (metadata lines, then the relocatable object). Written
//! to a temporary file in the same directory and renamed into place, so a reader sees a whole
//! entry or none; created 0700 (directories) and 0600 (files). Every failure is an error value
//! the caller turns into one warning plus a cache miss: nothing here panics on bad input.
//! The model is wasmtime's cache crate (version marker first, atomic write by rename).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bumped whenever the file layout changes; an entry of another version is ignored (a miss).
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"SJCACHE\0";
const HEADER_LEN: usize = 8 + 4 + 8 + 32;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "cache directory {0} is not owned by this user or is writable by others: not used (a cache entry is code that will run)"
    )]
    Unsafe(PathBuf),
    #[error("cache entry {path} is damaged ({why}): ignored, it will be recompiled")]
    Corrupt { path: PathBuf, why: String },
    #[error("cache entry {path} was written by another format version ({found}, this is {FORMAT_VERSION}): ignored")]
    Version { path: PathBuf, found: u32 },
}

/// What an entry holds: the object, and everything `explain` and `list` show about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// (name, value) pairs: function, file, signature, return type, symbol, key parts...
    pub meta: Vec<(String, String)>,
    pub object: Vec<u8>,
}

impl Entry {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// An open cache directory.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The directory the cache lives in: `$STICKYJIT_CACHE_DIR`, else `$XDG_CACHE_HOME/stickyjit`,
/// else `~/.cache/stickyjit`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("STICKYJIT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("stickyjit"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("stickyjit"))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CacheError + '_ {
    move |source| CacheError::Io { path: path.to_path_buf(), source }
}

/// Creates `dir` (0700) if missing, and checks it is ours and not writable by group or others.
fn ensure_private_dir(dir: &Path) -> Result<(), CacheError> {
    match fs::metadata(dir) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io(dir))?;
        }
        Err(e) => return Err(io(dir)(e)),
    }
    let md = fs::metadata(dir).map_err(io(dir))?;
    let me = libc_geteuid();
    if !md.is_dir() || md.uid() != me || md.permissions().mode() & 0o022 != 0 {
        return Err(CacheError::Unsafe(dir.to_path_buf()));
    }
    Ok(())
}

fn libc_geteuid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

impl Store {
    /// Opens (creating if needed) the cache at `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Store, CacheError> {
        let dir = dir.into();
        ensure_private_dir(&dir)?;
        Ok(Store { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the entry of `key` (a hex string) lives.
    pub fn path_of(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir.join(shard).join(format!("{key}.sjo"))
    }

    /// The entry of `key`: `Ok(None)` when there is none; an error when there is one that cannot
    /// be used (damaged, another format, an unsafe directory). Marks the entry used (mtime).
    pub fn get(&self, key: &str) -> Result<Option<Entry>, CacheError> {
        let path = self.path_of(key);
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path)(e)),
        };
        let md = f.metadata().map_err(io(&path))?;
        if md.uid() != libc_geteuid() || md.permissions().mode() & 0o022 != 0 {
            return Err(CacheError::Unsafe(path));
        }
        let mut bytes = Vec::with_capacity(md.len() as usize);
        f.read_to_end(&mut bytes).map_err(io(&path))?;
        let entry = decode(&bytes).map_err(|why| match why {
            Decode::Version(found) => CacheError::Version { path: path.clone(), found },
            Decode::Corrupt(why) => CacheError::Corrupt { path: path.clone(), why },
        })?;
        // Last use, for least-recently-used eviction; failing to record it costs nothing.
        let _ = f.set_modified(std::time::SystemTime::now());
        Ok(Some(entry))
    }

    /// Writes the entry of `key` atomically (temporary file + rename); an existing entry is
    /// replaced. Several processes writing the same key leave one whole entry.
    pub fn put(&self, key: &str, entry: &Entry) -> Result<PathBuf, CacheError> {
        let path = self.path_of(key);
        let shard = path.parent().expect("entries live in a shard directory");
        ensure_private_dir(shard)?;
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = shard.join(format!(".{key}.{}.{n}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
            // No fsync (0.6 ms here, on the compile path): after a power loss an entry may be
            // torn, and the checksum turns that into a miss and a warning, never a wrong answer.
            f.write_all(&encode(entry))?;
            Ok(())
        };
        if let Err(e) = write() {
            let _ = fs::remove_file(&tmp);
            return Err(io(&tmp)(e));
        }
        fs::rename(&tmp, &path).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io(&path)(e)
        })?;
        Ok(path)
    }

    /// Removes the entry of `key` (a damaged one, before it is replaced).
    pub fn remove(&self, key: &str) {
        let _ = fs::remove_file(self.path_of(key));
    }
}

/// One entry as `list` and `prune` see it.
#[derive(Clone, Debug)]
pub struct EntryInfo {
    pub key: String,
    pub path: PathBuf,
    pub size: u64,
    /// Last use (the file's modification time, set on every hit), seconds since the epoch.
    pub last_use: u64,
    /// The entry's metadata, when it can be read (a damaged entry has none).
    pub meta: Option<Vec<(String, String)>>,
}

/// The default size cap: `STICKYJIT_CACHE_SIZE` (bytes, or with a K/M/G suffix), else 1 GiB.
pub fn default_cap() -> u64 {
    std::env::var("STICKYJIT_CACHE_SIZE").ok().and_then(|v| parse_size(&v)).unwrap_or(1 << 30)
}

/// `1024`, `64K`, `512M`, `1G` (binary multiples).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let (num, mult) = match t.chars().last()?.to_ascii_uppercase() {
        'K' => (&t[..t.len() - 1], 1u64 << 10),
        'M' => (&t[..t.len() - 1], 1 << 20),
        'G' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim().parse::<u64>().ok()?.checked_mul(mult)
}

impl Store {
    /// Every entry, with its size and last use (metadata read when `with_meta`).
    pub fn entries(&self, with_meta: bool) -> Vec<EntryInfo> {
        let mut out = Vec::new();
        let Ok(shards) = fs::read_dir(&self.dir) else { return out };
        for shard in shards.flatten() {
            let Ok(files) = fs::read_dir(shard.path()) else { continue };
            for f in files.flatten() {
                let path = f.path();
                if path.extension().and_then(|e| e.to_str()) != Some("sjo") {
                    continue;
                }
                let Ok(md) = f.metadata() else { continue };
                let key = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                let last_use =
                    md.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
                let meta = if with_meta { fs::read(&path).ok().and_then(|b| decode(&b).ok()).map(|e| e.meta) } else { None };
                out.push(EntryInfo { key, path, size: md.len(), last_use, meta });
            }
        }
        out
    }

    /// Removes every entry (and leftover temporary files); returns how many entries.
    pub fn clear(&self) -> usize {
        let mut n = 0;
        for e in self.entries(false) {
            if fs::remove_file(&e.path).is_ok() {
                n += 1;
            }
        }
        self.remove_stale_temporaries(0);
        n
    }

    /// Evicts the least recently used entries until the total size is at most `cap`; returns
    /// (entries removed, bytes freed). Temporary files older than an hour (a writer that was
    /// killed) go too.
    pub fn prune(&self, cap: u64) -> (usize, u64) {
        self.remove_stale_temporaries(3600);
        let mut entries = self.entries(false);
        let mut total: u64 = entries.iter().map(|e| e.size).sum();
        entries.sort_by_key(|e| e.last_use);
        let (mut removed, mut freed) = (0, 0);
        for e in entries {
            if total <= cap {
                break;
            }
            if fs::remove_file(&e.path).is_ok() {
                total -= e.size;
                freed += e.size;
                removed += 1;
            }
        }
        (removed, freed)
    }

    fn remove_stale_temporaries(&self, older_than_secs: u64) {
        let Ok(shards) = fs::read_dir(&self.dir) else { return };
        let now = std::time::SystemTime::now();
        for shard in shards.flatten() {
            let Ok(files) = fs::read_dir(shard.path()) else { continue };
            for f in files.flatten() {
                let p = f.path();
                let is_tmp = p.extension().and_then(|e| e.to_str()) == Some("tmp");
                let age = f.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| now.duration_since(t).ok());
                if is_tmp && age.is_some_and(|a| a.as_secs() >= older_than_secs) {
                    let _ = fs::remove_file(p);
                }
            }
        }
    }
}

enum Decode {
    Version(u32),
    Corrupt(String),
}

fn encode(entry: &Entry) -> Vec<u8> {
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
    out.extend_from_slice(&body);
    out
}

fn decode(bytes: &[u8]) -> Result<Entry, Decode> {
    let corrupt = |why: &str| Decode::Corrupt(why.to_string());
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Err(corrupt("not a stickyjit cache entry"));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(Decode::Version(version));
    }
    let len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let body = &bytes[HEADER_LEN..];
    if body.len() as u64 != len {
        return Err(corrupt("truncated"));
    }
    if blake3::hash(body).as_bytes() != &bytes[20..52] {
        return Err(corrupt("checksum mismatch"));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sj-cache-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    fn entry() -> Entry {
        Entry {
            meta: vec![("function".into(), "f".into()), ("signature".into(), "(int64,)".into())],
            object: vec![0x7f, b'E', b'L', b'F', 1, 2, 3],
        }
    }

    const KEY: &str = "ab12cd";

    #[test]
    fn round_trip_and_permissions() {
        let d = tmpdir("rt");
        let s = Store::open(&d).unwrap();
        assert_eq!(s.get(KEY).unwrap(), None);
        let p = s.put(KEY, &entry()).unwrap();
        assert_eq!(s.get(KEY).unwrap(), Some(entry()));
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(s.get(KEY).unwrap().unwrap().get("function"), Some("f"));
    }

    #[test]
    fn every_truncation_and_every_bit_flip_is_detected() {
        let d = tmpdir("damage");
        let s = Store::open(&d).unwrap();
        let p = s.put(KEY, &entry()).unwrap();
        let good = fs::read(&p).unwrap();
        for cut in 0..good.len() {
            fs::write(&p, &good[..cut]).unwrap();
            assert!(s.get(KEY).is_err(), "truncated to {cut} bytes was accepted");
        }
        for i in 0..good.len() {
            for bit in 0..8 {
                let mut bad = good.clone();
                bad[i] ^= 1 << bit;
                fs::write(&p, &bad).unwrap();
                assert!(s.get(KEY).is_err(), "flip of bit {bit} of byte {i} was accepted");
            }
        }
    }

    #[test]
    fn another_format_version_is_a_version_error() {
        let d = tmpdir("version");
        let s = Store::open(&d).unwrap();
        let p = s.put(KEY, &entry()).unwrap();
        let mut b = fs::read(&p).unwrap();
        b[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        fs::write(&p, &b).unwrap();
        assert!(matches!(s.get(KEY), Err(CacheError::Version { .. })));
    }

    #[test]
    fn prune_evicts_the_least_recently_used_first() {
        let d = tmpdir("prune");
        let s = Store::open(&d).unwrap();
        let big = Entry { meta: vec![], object: vec![7; 1000] };
        for (i, key) in ["aa01", "bb02", "cc03"].iter().enumerate() {
            let p = s.put(key, &big).unwrap();
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i as u64);
            File::options().write(true).open(&p).unwrap().set_modified(t).unwrap();
        }
        let size = s.entries(false)[0].size;
        assert_eq!(s.prune(2 * size), (1, size));
        let mut left: Vec<String> = s.entries(false).into_iter().map(|e| e.key).collect();
        left.sort();
        assert_eq!(left, ["bb02", "cc03"]);
        assert_eq!(s.clear(), 2);
        assert!(s.entries(false).is_empty());
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("64K"), Some(65536));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn a_directory_writable_by_others_is_refused() {
        let d = tmpdir("unsafe");
        fs::create_dir_all(&d).unwrap();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o777)).unwrap();
        assert!(matches!(Store::open(&d), Err(CacheError::Unsafe(_))));
    }
}
