//! Listing, clearing and pruning the cache directory, touching only files the store can prove it
//! wrote.
//!
//! A file is the store's when it is a regular file of this user, in a shard directory (two hex
//! digits, this user's, writable by nobody else, not a symlink) of a directory that carries the
//! store's marker, named `<key>.sjo` (the key starting with the shard's digits) or
//! `.<key>.<pid>.<n>.tmp`, and begins with the store's magic (a temporary file: with a prefix of
//! it, as a writer killed mid-write leaves it). Anything else is left where it is and counted.

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{format, trust, CacheError, Store};

/// A temporary file younger than this may belong to a write in progress: `clear` leaves it.
const IN_FLIGHT: Duration = Duration::from_secs(60);
/// `prune` removes the temporary files of writers killed at least this long ago.
const STALE: Duration = Duration::from_secs(3600);

/// What reading an entry found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not read (`entries(false)`).
    Unread,
    /// Whole, and verified by the integrity key.
    Ok,
    /// Damaged (torn, truncated, flipped bits, not an entry at all): why.
    Damaged(String),
    /// Written by another format version of stickyjit.
    OtherVersion(u32),
    /// Not trusted, so never loaded: why (another key, a symlink, another owner...).
    Refused(String),
}

/// One entry as `list` and `prune` see it.
#[derive(Clone, Debug)]
pub struct EntryInfo {
    pub key: String,
    pub path: PathBuf,
    pub size: u64,
    /// Last use (the file's modification time, set on every hit), seconds since the epoch.
    pub last_use: u64,
    /// The entry's metadata, when it was read and verified.
    pub meta: Option<Vec<(String, String)>>,
    pub status: Status,
}

/// What `clear` or `prune` did.
#[derive(Debug, Default)]
pub struct Sweep {
    /// Entries removed, and their bytes.
    pub removed: usize,
    pub freed: u64,
    /// Temporary files of killed writers removed.
    pub temporaries: usize,
    /// Files that could not be removed, and why (a read-only directory...).
    pub failed: Vec<(PathBuf, std::io::Error)>,
    /// Files in shard directories the store cannot prove it wrote: left alone.
    pub left: usize,
    /// Shard directories not entered (a symlink, another owner, writable by others), and why.
    pub unsafe_dirs: Vec<(PathBuf, String)>,
}

enum Kind {
    Entry(String),
    Temporary,
    Other,
}

struct Found {
    path: PathBuf,
    kind: Kind,
    md: fs::Metadata,
}

#[derive(Default)]
struct Scan {
    files: Vec<Found>,
    unsafe_dirs: Vec<(PathBuf, String)>,
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn age(md: &fs::Metadata) -> Duration {
    md.modified().ok().and_then(|t| SystemTime::now().duration_since(t).ok()).unwrap_or_default()
}

impl Store {
    /// Every file in the shard directories, classified by name (lstat'ed, nothing followed).
    fn scan(&self) -> Scan {
        let mut out = Scan::default();
        let Ok(shards) = fs::read_dir(&self.dir) else { return out };
        for shard in shards.flatten() {
            let name = shard.file_name();
            let Some(name) = name.to_str().filter(|n| trust::is_shard_name(n)) else { continue };
            let Ok(md) = shard.metadata() else { continue };
            if !md.is_dir() && !md.file_type().is_symlink() {
                continue;
            }
            if let Some(why) = trust::dir_problem(&md) {
                out.unsafe_dirs.push((shard.path(), why));
                continue;
            }
            let Ok(files) = fs::read_dir(shard.path()) else { continue };
            for f in files.flatten() {
                let Ok(md) = f.metadata() else { continue };
                let fname = f.file_name();
                let fname = fname.to_str().unwrap_or_default();
                let kind = match trust::entry_key(name, fname) {
                    Some(key) => Kind::Entry(key.to_string()),
                    None if trust::is_tmp_name(name, fname) => Kind::Temporary,
                    None => Kind::Other,
                };
                out.files.push(Found { path: f.path(), kind, md });
            }
        }
        out
    }

    /// Every entry, with its size and last use; with `with_meta`, each is read and verified
    /// (its status and, when it is usable, its metadata).
    pub fn entries(&self, with_meta: bool) -> Vec<EntryInfo> {
        let mut out = Vec::new();
        for f in self.scan().files {
            let Kind::Entry(key) = f.kind else { continue };
            let mut info = EntryInfo {
                size: f.md.len(),
                last_use: f.md.modified().map_or(0, secs),
                meta: None,
                status: Status::Unread,
                key,
                path: f.path,
            };
            if let Some(why) = trust::file_problem(&f.md) {
                info.status = Status::Refused(why);
            } else if with_meta {
                info.status = self.read_status(&info.key, &info.path, &mut info.meta);
            }
            out.push(info);
        }
        out
    }

    fn read_status(&self, key: &str, path: &std::path::Path, meta: &mut Option<Vec<(String, String)>>) -> Status {
        let mut bytes = Vec::new();
        match trust::open_nofollow(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
            Ok(_) => {}
            Err(e) if trust::is_symlink_error(&e) => return Status::Refused("is a symbolic link".into()),
            Err(e) => return Status::Damaged(format!("cannot be read: {e}")),
        }
        match format::decode(&bytes, key, self.key.as_ref().map(|k| &k.mac)) {
            Ok(e) => {
                *meta = Some(e.meta);
                Status::Ok
            }
            Err(format::Decode::Corrupt(why)) => Status::Damaged(why),
            Err(format::Decode::Version(v)) => Status::OtherVersion(v),
            Err(format::Decode::Untrusted) if self.key.is_none() => {
                Status::Refused("cannot be verified: the directory has no integrity key".into())
            }
            Err(format::Decode::Untrusted) => Status::Refused(
                "not written with this cache's integrity key (another user or machine, copied from elsewhere, or forged)".into(),
            ),
        }
    }

    /// Cleanup needs a safe root that carries the store's marker.
    fn cleanable(&self) -> Result<(), CacheError> {
        trust::check_root(&self.dir)?;
        if !self.marked {
            return Err(CacheError::NotOurs(self.dir.clone()));
        }
        Ok(())
    }

    /// Removes `f` if it is provably the store's; counts it as left otherwise.
    fn remove_proved(f: &Found, sweep: &mut Sweep) -> bool {
        let temporary = matches!(f.kind, Kind::Temporary);
        if matches!(f.kind, Kind::Other) || !trust::begins_like_ours(&f.path, &f.md, temporary) {
            sweep.left += 1;
            return false;
        }
        match fs::remove_file(&f.path) {
            Ok(()) => true,
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => {
                sweep.failed.push((f.path.clone(), e));
                false
            }
        }
    }

    /// Removes every entry and the temporary files of killed writers (a minute old or more);
    /// leaves every file the store cannot prove it wrote. An error when the directory is unsafe
    /// or was not created by the store.
    pub fn clear(&self) -> Result<Sweep, CacheError> {
        self.cleanable()?;
        let scan = self.scan();
        let mut sweep = Sweep { unsafe_dirs: scan.unsafe_dirs, ..Sweep::default() };
        for f in &scan.files {
            match f.kind {
                Kind::Temporary if age(&f.md) < IN_FLIGHT => {}
                Kind::Temporary => sweep.temporaries += usize::from(Store::remove_proved(f, &mut sweep)),
                Kind::Entry(_) | Kind::Other => {
                    if Store::remove_proved(f, &mut sweep) {
                        sweep.removed += 1;
                        sweep.freed += f.md.len();
                    }
                }
            }
        }
        Ok(sweep)
    }

    /// Evicts the least recently used entries until their total size is at most `cap`; temporary
    /// files of writers killed an hour ago or more go too. Same rules as `clear`.
    pub fn prune(&self, cap: u64) -> Result<Sweep, CacheError> {
        self.cleanable()?;
        let scan = self.scan();
        let mut sweep = Sweep { unsafe_dirs: scan.unsafe_dirs, ..Sweep::default() };
        let mut entries = Vec::new();
        for f in scan.files {
            match f.kind {
                Kind::Temporary if age(&f.md) >= STALE => {
                    sweep.temporaries += usize::from(Store::remove_proved(&f, &mut sweep));
                }
                Kind::Entry(_) if trust::file_problem(&f.md).is_none() => entries.push(f),
                Kind::Entry(_) | Kind::Other => sweep.left += 1,
                Kind::Temporary => {}
            }
        }
        let mut total: u64 = entries.iter().map(|f| f.md.len()).sum();
        entries.sort_by_key(|f| f.md.modified().unwrap_or(UNIX_EPOCH));
        for f in &entries {
            if total <= cap {
                break;
            }
            if Store::remove_proved(f, &mut sweep) {
                total -= f.md.len();
                sweep.freed += f.md.len();
                sweep.removed += 1;
            }
        }
        Ok(sweep)
    }
}
