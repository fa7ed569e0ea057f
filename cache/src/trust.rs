//! What the store trusts and what it owns: ownership and mode checks, symlink refusal, the
//! integrity key, the directory marker, and the names of the store's own files.
//!
//! A directory on the way to an entry (the root, a shard) must be owned by the effective user and
//! not writable by group or others; a shard directory and an entry must not be symbolic links
//! (entries are opened with `O_NOFOLLOW`). The integrity key is 32 random bytes in
//! `<root>/integrity.key` (0600, created once, never overwritten), or the file named by
//! `STICKYJIT_CACHE_KEY_FILE`. The marker `<root>/CACHEDIR.TAG` (a standard cache directory tag
//! naming stickyjit) says the store created the directory: without it nothing is ever removed.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{format, CacheError, FORMAT_VERSION};

pub(crate) const MARKER: &str = "CACHEDIR.TAG";
pub(crate) const SECRET: &str = "integrity.key";
pub const KEY_FILE_VAR: &str = "STICKYJIT_CACHE_KEY_FILE";
const KEY_CONTEXT: &str = "stickyjit on-disk cache 2025-01 entry integrity key";
const TAG_SIGNATURE: &str = "Signature: 8a477f597d28d172789f06886806bc55\n";
const TAG_OWNER: &str = "# This file is a cache directory tag created by stickyjit";

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

pub(crate) fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A fresh temporary name: `.<stem>.<pid>.<n>.tmp` (unique within the machine at a time).
pub(crate) fn tmp_name(stem: &str) -> String {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{stem}.{}.{n}.tmp", std::process::id())
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A code key the store accepts: 2 to 128 lowercase hex digits (blake3 gives 64).
pub fn valid_key(key: &str) -> bool {
    (2..=128).contains(&key.len()) && is_hex(key)
}

pub(crate) fn is_shard_name(name: &str) -> bool {
    name.len() == 2 && is_hex(name)
}

/// The key of an entry file named `name` in shard `shard`: `<key>.sjo` with `key` starting with
/// the shard's two digits.
pub(crate) fn entry_key<'a>(shard: &str, name: &'a str) -> Option<&'a str> {
    name.strip_suffix(".sjo").filter(|k| valid_key(k) && k.starts_with(shard))
}

/// Whether `name` is one of the store's temporary files in shard `shard`:
/// `.<key>.<pid>.<n>.tmp`.
pub(crate) fn is_tmp_name(shard: &str, name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else { return false };
    let parts: Vec<&str> = inner.split('.').collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3 && valid_key(parts[0]) && parts[0].starts_with(shard) && digits(parts[1]) && digits(parts[2])
}

/// Why a directory with metadata `md` (from `lstat`, so a symlink shows as one) may not hold
/// cache entries.
pub(crate) fn dir_problem(md: &fs::Metadata) -> Option<String> {
    if md.file_type().is_symlink() {
        Some("is a symbolic link".into())
    } else if !md.is_dir() {
        Some("is not a directory".into())
    } else {
        owner_and_mode_problem(md)
    }
}

/// Why a file with metadata `md` (from `lstat` or `fstat`) may not be read as an entry.
pub(crate) fn file_problem(md: &fs::Metadata) -> Option<String> {
    if md.file_type().is_symlink() {
        Some("is a symbolic link".into())
    } else if !md.is_file() {
        Some("is not a regular file".into())
    } else {
        owner_and_mode_problem(md)
    }
}

fn owner_and_mode_problem(md: &fs::Metadata) -> Option<String> {
    let me = euid();
    if md.uid() != me {
        Some(format!("is owned by uid {}, not by this user (uid {me})", md.uid()))
    } else if md.mode() & 0o022 != 0 {
        Some(format!("is writable by others than its owner (mode {:04o})", md.mode() & 0o7777))
    } else {
        None
    }
}

/// Checks the cache root (symlinks to it are followed: `~/.cache` may live elsewhere).
pub(crate) fn check_root(dir: &Path) -> Result<(), CacheError> {
    let md = fs::metadata(dir).map_err(crate::io(dir))?;
    if !md.is_dir() {
        return Err(crate::io(dir)(std::io::Error::from_raw_os_error(libc::ENOTDIR)));
    }
    match owner_and_mode_problem(&md) {
        Some(why) => Err(CacheError::Unsafe { what: "cache directory", path: dir.to_path_buf(), why }),
        None => Ok(()),
    }
}

/// Checks a shard directory without following a symlink; `Ok(false)` when it does not exist.
pub(crate) fn check_shard(dir: &Path) -> Result<bool, CacheError> {
    match fs::symlink_metadata(dir) {
        Ok(md) => match dir_problem(&md) {
            Some(why) => Err(CacheError::Unsafe { what: "cache directory", path: dir.to_path_buf(), why }),
            None => Ok(true),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(crate::io(dir)(e)),
    }
}

/// Opens `path` for reading, refusing a symbolic link (`O_NOFOLLOW`: it fails with `ELOOP`).
pub(crate) fn open_nofollow(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path)
}

pub(crate) fn is_symlink_error(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// Whether the file at `path` (lstat'ed as `md`) is provably one the store wrote: a regular file
/// of this user, named as the store names its files (the caller checked the name), beginning
/// with the store's magic (a temporary file: with a prefix of it, as a killed writer leaves it).
pub(crate) fn begins_like_ours(path: &Path, md: &fs::Metadata, temporary: bool) -> bool {
    if file_problem(md).is_some() {
        return false;
    }
    let Ok(f) = open_nofollow(path) else { return false };
    let mut head = Vec::with_capacity(8);
    if f.take(8).read_to_end(&mut head).is_err() {
        return false;
    }
    format::begins_like_ours(&head, temporary)
}

/// Writes `bytes` to `path` (0600) without ever replacing an existing file: written to a
/// temporary file, then hard-linked into place, so a reader sees all of it or nothing.
/// `Ok(false)` when `path` already existed.
pub(crate) fn create_exclusive(path: &Path, bytes: &[u8]) -> Result<bool, CacheError> {
    let dir = path.parent().expect("a file in a directory");
    let stem = path.file_name().and_then(|n| n.to_str()).expect("a file name");
    let tmp = dir.join(tmp_name(stem));
    let write = |p: &Path| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(p)?;
        f.write_all(bytes)
    };
    if let Err(e) = write(&tmp) {
        let _ = fs::remove_file(&tmp);
        return Err(crate::io(&tmp)(e));
    }
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        // A file system without hard links: create the file exclusively in place (a reader that
        // comes in mid-write sees a short file and refuses it: a warning, never a wrong key).
        Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EOPNOTSUPP)) => match write(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(crate::io(path)(e)),
        },
        Err(e) => Err(crate::io(path)(e)),
    }
}

fn random_bytes() -> std::io::Result<[u8; 32]> {
    let mut buf = [0u8; 32];
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: the pointer and length describe the unfilled tail of `buf`.
        let r = unsafe { libc::getrandom(buf[got..].as_mut_ptr().cast(), buf.len() - got, 0) };
        if r >= 0 {
            got += r as usize;
            continue;
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::ENOSYS) => {
                File::open("/dev/urandom")?.read_exact(&mut buf)?;
                return Ok(buf);
            }
            _ => return Err(e),
        }
    }
    Ok(buf)
}

/// The key entries are signed with, and where it came from.
#[derive(Clone)]
pub(crate) struct Key {
    pub mac: [u8; 32],
    pub source: PathBuf,
    /// From `STICKYJIT_CACHE_KEY_FILE` (shared on purpose) rather than the cache's own.
    pub shared: bool,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key").field("source", &self.source).field("shared", &self.shared).finish_non_exhaustive()
    }
}

fn derive(bytes: &[u8]) -> [u8; 32] {
    blake3::derive_key(KEY_CONTEXT, bytes)
}

/// Reads a key file: `Ok(None)` when it does not exist. The cache's own must be exactly 32 bytes,
/// this user's, and readable by nobody else; a shared one (`shared`) may belong to root and be
/// readable by others (that is the point of it), but nobody else may write it.
fn read_key_file(path: &Path, shared: bool) -> Result<Option<Vec<u8>>, CacheError> {
    let bad = |why: String| CacheError::Key { path: path.to_path_buf(), why };
    let f = match open_nofollow(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) if is_symlink_error(&e) => return Err(bad("is a symbolic link".into())),
        Err(e) => return Err(crate::io(path)(e)),
    };
    let md = f.metadata().map_err(crate::io(path))?;
    let me = euid();
    if !md.is_file() {
        return Err(bad("is not a regular file".into()));
    }
    if md.uid() != me && !(shared && md.uid() == 0) {
        return Err(bad(format!("is owned by uid {}, not by this user (uid {me})", md.uid())));
    }
    let mode = md.mode() & 0o7777;
    if shared && mode & 0o022 != 0 {
        return Err(bad(format!("is writable by others than its owner (mode {mode:04o})")));
    }
    if !shared && mode & 0o077 != 0 {
        return Err(bad(format!("is readable or writable by others (mode {mode:04o}, it must be 0600)")));
    }
    let mut bytes = Vec::new();
    f.take(65537).read_to_end(&mut bytes).map_err(crate::io(path))?;
    if shared && !(32..=65536).contains(&bytes.len()) {
        return Err(bad(format!("holds {} bytes: a key file holds 32 to 65536 bytes, e.g. 32 random ones", bytes.len())));
    }
    if !shared && bytes.len() != 32 {
        return Err(bad(format!(
            "holds {} bytes, not 32: it is damaged (remove it to start afresh: every entry is then compiled again)",
            bytes.len()
        )));
    }
    Ok(Some(bytes))
}

/// The integrity key: the file `key_file` names (shared on purpose), else the cache's own in
/// `dir`, created (when `create`) from 32 random bytes if there is none. `Ok(None)`: there is
/// none and `create` is false.
pub(crate) fn integrity_key(dir: &Path, create: bool, key_file: Option<&Path>) -> Result<Option<Key>, CacheError> {
    if let Some(p) = key_file {
        let bytes = read_key_file(p, true)?
            .ok_or_else(|| CacheError::Key { path: p.to_path_buf(), why: format!("does not exist ({KEY_FILE_VAR} names it)") })?;
        return Ok(Some(Key { mac: derive(&bytes), source: p.to_path_buf(), shared: true }));
    }
    let path = dir.join(SECRET);
    if let Some(bytes) = read_key_file(&path, false)? {
        return Ok(Some(Key { mac: derive(&bytes), source: path, shared: false }));
    }
    if !create {
        return Ok(None);
    }
    let secret = random_bytes().map_err(crate::io(&path))?;
    // Another process may have created it meanwhile: its key is the one, never overwritten.
    create_exclusive(&path, &secret)?;
    let bytes = read_key_file(&path, false)?.ok_or_else(|| crate::io(&path)(ErrorKind::NotFound.into()))?;
    Ok(Some(Key { mac: derive(&bytes), source: path, shared: false }))
}

/// `STICKYJIT_CACHE_KEY_FILE`, when set and not empty.
pub(crate) fn key_file_from_env() -> Option<PathBuf> {
    std::env::var_os(KEY_FILE_VAR).filter(|v| !v.is_empty()).map(PathBuf::from)
}

#[cfg(test)]
pub(crate) fn marker_text_for_tests() -> String {
    marker_text()
}

fn marker_text() -> String {
    format!(
        "{TAG_SIGNATURE}{TAG_OWNER} (cache format {FORMAT_VERSION}).\n\
         # It tells backup tools to skip this directory, and stickyjit that the directory is its own:\n\
         # `python -m stickyjit cache clear|prune` and the size cap remove files only where it is.\n\
         # For information about cache directory tags see https://bford.info/cachedir/\n"
    )
}

/// Whether `dir` holds stickyjit's marker (a regular file of this user that names stickyjit).
pub(crate) fn has_marker(dir: &Path) -> bool {
    let path = dir.join(MARKER);
    let Ok(f) = open_nofollow(&path) else { return false };
    let Ok(md) = f.metadata() else { return false };
    if file_problem(&md).is_some() {
        return false;
    }
    let mut head = Vec::new();
    if f.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    head.starts_with(format!("{TAG_SIGNATURE}{TAG_OWNER}").as_bytes())
}

/// Whether `name` is the temporary file another process of the store writes in the root while
/// it creates the marker or the key (`.CACHEDIR.TAG.<pid>.<n>.tmp`, `.integrity.key.<pid>.<n>.tmp`),
/// and `md` fits what it writes there: a private regular file no longer than the marker or the key.
fn is_root_tmp(name: &str, md: &fs::Metadata) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let named = |stem: &str| {
        name.strip_prefix('.')
            .and_then(|n| n.strip_prefix(stem))
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.split_once('.'))
            .is_some_and(|(pid, k)| digits(pid) && digits(k))
    };
    let longest = if named(MARKER) {
        marker_text().len() as u64
    } else if named(SECRET) {
        32
    } else {
        return false;
    };
    file_problem(md).is_none() && md.len() <= longest
}

/// Whether every file in `dir` is provably the store's: shard directories holding only entries
/// and temporary files with the store's names and header, the store's key, and the temporary
/// files of another process creating the marker or the key at this moment. A cache made by an
/// earlier format (which wrote no marker) is such a directory.
fn only_ours(dir: &Path) -> bool {
    let Ok(items) = fs::read_dir(dir) else { return false };
    for item in items {
        let Ok(item) = item else { return false };
        let Ok(md) = item.metadata() else { return false };
        let name = item.file_name();
        let Some(name) = name.to_str() else { return false };
        if (name == SECRET && file_problem(&md).is_none() && md.len() == 32) || is_root_tmp(name, &md) {
            continue;
        }
        if !is_shard_name(name) || dir_problem(&md).is_some() {
            return false;
        }
        let Ok(files) = fs::read_dir(item.path()) else { return false };
        for f in files {
            let Ok(f) = f else { return false };
            let (Ok(md), Some(fname)) = (f.metadata(), f.file_name().to_str().map(str::to_owned)) else { return false };
            let tmp = is_tmp_name(name, &fname);
            if !(tmp || entry_key(name, &fname).is_some()) || !begins_like_ours(&f.path(), &md, tmp) {
                return false;
            }
        }
    }
    true
}

/// Marks `dir` as the store's, when that is provable: it was just created (`created`), is empty,
/// or holds only the store's own files. Returns whether `dir` is the store's (marked). A failure
/// to write the marker is not an error: the directory is then simply never cleaned.
pub(crate) fn claim(dir: &Path, created: bool) -> bool {
    if has_marker(dir) {
        return true;
    }
    if !created && !only_ours(dir) {
        return false;
    }
    create_exclusive(&dir.join(MARKER), marker_text().as_bytes()).is_ok() && has_marker(dir)
}
