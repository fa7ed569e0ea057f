//! The on-disk store of compiled objects, content-addressed by code key (no LLVM, no Python).
//!
//! One file per entry, `<dir>/<key[..2]>/<key>.sjo`: a header (magic, format version, body
//! length, checksum, keyed MAC) and a body (metadata lines, then the relocatable object). Written
//! to a temporary file `.<key>.<pid>.<n>.tmp` in the same directory and renamed into place (on a
//! file system without renames, hard-linked), so a reader sees a whole entry or none; no file
//! locks are taken; created 0700 (directories) and 0600 (files). Every failure
//! is an error value the caller turns into one warning plus a cache miss: nothing here panics on
//! bad input. The model is wasmtime's cache crate (version marker first, atomic write by rename).
//!
//! A cache entry is code that will run, so what is read is checked (module `trust`): the
//! directories on the way are this user's and writable by nobody else, nothing is followed
//! through a symbolic link, and the entry's MAC verifies under the cache's integrity key. What is
//! removed (module `sweep`) is only ever a file the store can prove it wrote, in a directory it
//! created (marked with `CACHEDIR.TAG`).

mod format;
mod sweep;
#[cfg(test)]
mod tests;
mod trust;

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub use sweep::{EntryInfo, Status, Sweep};
pub use trust::{valid_key, KEY_FILE_VAR};

/// Bumped whenever the file layout changes; an entry of another version is ignored (a miss).
/// 2: the header carries a keyed MAC (the integrity key) after the checksum.
pub const FORMAT_VERSION: u32 = 2;

/// The size cap when `STICKYJIT_CACHE_SIZE` is unset (or not a size): 1 GiB.
pub const DEFAULT_CAP: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{what} {path} {why}: not used (a cache entry is code that will run)")]
    Unsafe { what: &'static str, path: PathBuf, why: String },
    #[error("cache entry {path} is damaged ({why}): ignored, it will be recompiled")]
    Corrupt { path: PathBuf, why: String },
    #[error("cache entry {path} was written by another format version ({found}, this is {FORMAT_VERSION}): ignored")]
    Version { path: PathBuf, found: u32 },
    #[error(
        "cache entry {path} does not carry this cache's integrity key (it was written by another user or machine, \
         copied from elsewhere, or forged): refused, it will be recompiled"
    )]
    Untrusted { path: PathBuf },
    #[error("cache integrity key {path} {why}: the cache is not used")]
    Key { path: PathBuf, why: String },
    #[error(
        "{0} was not created by stickyjit (it has no CACHEDIR.TAG of stickyjit's): nothing is removed from it; \
         point STICKYJIT_CACHE_DIR at a directory of its own"
    )]
    NotOurs(PathBuf),
    #[error("{0:?} is not a code key (2 to 128 lowercase hex digits)")]
    BadKey(String),
    #[error("STICKYJIT_CACHE_SIZE={0:?} is not a size (bytes, or with K, M or G: 512M, 2G); the default cap, 1 GiB, is used")]
    BadSize(String),
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
    /// `None` only for a store opened by `inspect` in a directory that has no key yet.
    key: Option<trust::Key>,
    /// The directory carries the store's marker: cleanup may remove the store's files from it.
    marked: bool,
}

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

/// The size cap: `STICKYJIT_CACHE_SIZE` (bytes, or with a K/M/G suffix), else 1 GiB. A value that
/// is not a size is an error the caller reports (once), then uses `DEFAULT_CAP`.
pub fn cap_from_env() -> Result<u64, CacheError> {
    match std::env::var("STICKYJIT_CACHE_SIZE") {
        Ok(v) if !v.trim().is_empty() => parse_size(&v).ok_or(CacheError::BadSize(v)),
        Ok(_) => Ok(DEFAULT_CAP),
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_CAP),
        Err(std::env::VarError::NotUnicode(v)) => Err(CacheError::BadSize(v.to_string_lossy().into_owned())),
    }
}

/// The cap, the default when `STICKYJIT_CACHE_SIZE` is not a size.
pub fn default_cap() -> u64 {
    cap_from_env().unwrap_or(DEFAULT_CAP)
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

/// Whether a failed `rename` says the file system does not do renames (some FUSE and object-store
/// file systems), rather than that this one could not be done.
fn unsupported(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EPERM | libc::EOPNOTSUPP | libc::ENOSYS | libc::EXDEV))
}

/// Moves the whole temporary file `tmp` to `path` atomically (the caller removes `tmp` after):
/// `rename`, which replaces an entry already there; on a file system without renames, a hard
/// link, which never replaces one (an entry already there was written by another process under
/// the same content key: it is kept). Never a write in place, which a reader could see torn:
/// with neither, the error (the caller warns and uses the code from memory).
fn publish(tmp: &Path, path: &Path) -> std::io::Result<()> {
    match fs::rename(tmp, path) {
        Err(e) if unsupported(&e) => match fs::hard_link(tmp, path) {
            Ok(()) => Ok(()),
            Err(l) if l.kind() == ErrorKind::AlreadyExists => Ok(()),
            Err(_) => Err(e),
        },
        other => other,
    }
}

impl Store {
    /// Opens (creating if needed) the cache at `dir`, with its integrity key (created if there is
    /// none; `STICKYJIT_CACHE_KEY_FILE` names a shared one instead).
    pub fn open(dir: impl Into<PathBuf>) -> Result<Store, CacheError> {
        Store::open_with(dir.into(), true, trust::key_file_from_env().as_deref())
    }

    /// Opens an existing cache to list or clean it, creating nothing but the marker (in an
    /// empty directory or one that holds only the store's files); `Ok(None)` when `dir` does not
    /// exist.
    pub fn inspect(dir: impl Into<PathBuf>) -> Result<Option<Store>, CacheError> {
        let dir = dir.into();
        match fs::metadata(&dir) {
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            _ => Store::open_with(dir, false, trust::key_file_from_env().as_deref()).map(Some),
        }
    }

    /// `open` (`create`) or `inspect`, with the shared key file given rather than read from the
    /// environment.
    pub fn open_with(dir: PathBuf, create: bool, key_file: Option<&Path>) -> Result<Store, CacheError> {
        let mut created = false;
        if create {
            match fs::metadata(&dir) {
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir).map_err(io(&dir))?;
                    created = true;
                }
                Err(e) => return Err(io(&dir)(e)),
                Ok(_) => {}
            }
        }
        trust::check_root(&dir)?;
        let marked = trust::claim(&dir, created);
        let key = trust::integrity_key(&dir, create, key_file)?;
        Ok(Store { dir, key, marked })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the store created the directory (it carries the marker): only then does `clear`
    /// or `prune` remove anything from it.
    pub fn is_marked(&self) -> bool {
        self.marked
    }

    /// Where the integrity key comes from, and whether it is shared on purpose
    /// (`STICKYJIT_CACHE_KEY_FILE`); `None` when the directory has none yet.
    pub fn key_source(&self) -> Option<(&Path, bool)> {
        self.key.as_ref().map(|k| (k.source.as_path(), k.shared))
    }

    /// Where the entry of `key` (a hex string) lives.
    pub fn path_of(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir.join(shard).join(format!("{key}.sjo"))
    }

    /// The entry of `key`: `Ok(None)` when there is none; an error when there is one that cannot
    /// be used (damaged, another format, not verified by the key, an unsafe directory or file).
    /// Marks the entry used (mtime).
    pub fn get(&self, key: &str) -> Result<Option<Entry>, CacheError> {
        if !valid_key(key) {
            return Err(CacheError::BadKey(key.to_string()));
        }
        trust::check_root(&self.dir)?;
        let path = self.path_of(key);
        if !trust::check_shard(path.parent().expect("a shard"))? {
            return Ok(None);
        }
        let unsafe_entry = |why: String| CacheError::Unsafe { what: "cache entry", path: path.clone(), why };
        let mut f = match trust::open_nofollow(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) if trust::is_symlink_error(&e) => return Err(unsafe_entry("is a symbolic link".into())),
            Err(e) => return Err(io(&path)(e)),
        };
        let md = f.metadata().map_err(io(&path))?;
        if let Some(why) = trust::file_problem(&md) {
            return Err(unsafe_entry(why));
        }
        let mut bytes = Vec::with_capacity(md.len() as usize);
        f.read_to_end(&mut bytes).map_err(io(&path))?;
        let entry = format::decode(&bytes, key, self.key.as_ref().map(|k| &k.mac)).map_err(|why| match why {
            format::Decode::Version(found) => CacheError::Version { path: path.clone(), found },
            format::Decode::Corrupt(why) => CacheError::Corrupt { path: path.clone(), why },
            format::Decode::Untrusted => CacheError::Untrusted { path: path.clone() },
        })?;
        // Last use, for least-recently-used eviction; failing to record it costs nothing.
        let _ = f.set_modified(std::time::SystemTime::now());
        Ok(Some(entry))
    }

    /// Writes the entry of `key` atomically (temporary file + rename, or a hard link where the
    /// file system refuses renames); an existing entry is replaced (kept, with a link). Several
    /// processes writing the same key leave one whole entry.
    pub fn put(&self, key: &str, entry: &Entry) -> Result<PathBuf, CacheError> {
        if !valid_key(key) {
            return Err(CacheError::BadKey(key.to_string()));
        }
        let Some(mac_key) = self.key.as_ref().map(|k| k.mac) else {
            let path = self.dir.join(trust::SECRET);
            return Err(CacheError::Key { path, why: "does not exist (the store was opened to inspect it)".into() });
        };
        trust::check_root(&self.dir)?;
        let path = self.path_of(key);
        let shard = path.parent().expect("entries live in a shard directory");
        if !trust::check_shard(shard)? {
            match fs::DirBuilder::new().mode(0o700).create(shard) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(shard)(e)),
            }
            trust::check_shard(shard)?;
        }
        let tmp = shard.join(trust::tmp_name(key));
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(&tmp)?;
            // No fsync (0.6 ms here, on the compile path): after a power loss an entry may be
            // torn, and the checksum turns that into a miss and a warning, never a wrong answer.
            f.write_all(&format::encode(key, entry, &mac_key))?;
            Ok(())
        };
        if let Err(e) = write() {
            let _ = fs::remove_file(&tmp);
            return Err(io(&tmp)(e));
        }
        let published = publish(&tmp, &path);
        let _ = fs::remove_file(&tmp);
        published.map_err(io(&path))?;
        Ok(path)
    }

    /// Removes the entry of `key` (a damaged one, before it is replaced), if it is provably the
    /// store's (a regular file of this user that begins with the store's magic).
    pub fn remove(&self, key: &str) {
        if !valid_key(key) {
            return;
        }
        let path = self.path_of(key);
        if trust::check_shard(path.parent().expect("a shard")).unwrap_or(false) {
            if let Ok(md) = fs::symlink_metadata(&path) {
                if trust::begins_like_ours(&path, &md, false) {
                    let _ = fs::remove_file(&path);
                }
            }
        }
    }
}
