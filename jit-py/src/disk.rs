//! The dispatcher's use of the on-disk cache (crate `cache`), and its policy: which compiles read
//! and write it ([`store_for`]), what an entry must match to be loaded ([`entry_for`]), what it
//! records ([`write`]). One store per process, opened at the first compile that may use it; every
//! cache failure is one `stickyjit.CacheWarning` and a miss, never an error or a wrong answer; a
//! failure that repeats (a full disk) is said once. Also the `cache` command line's functions
//! (list, clear, prune, export, import) and `--version`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use cache::{CacheError, Entry, Status, Store};
use jit_core::{Capture, Compiled, Prepared};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::CacheWarning;

pub static HITS: AtomicU64 = AtomicU64::new(0);
pub static MISSES: AtomicU64 = AtomicU64::new(0);
pub static WRITES: AtomicU64 = AtomicU64::new(0);

/// `STICKYJIT_CACHE=0` (or `off`, `false`, `no`) turns the on-disk cache off for the process.
pub fn enabled() -> bool {
    !matches!(
        std::env::var("STICKYJIT_CACHE").as_deref().map(str::to_ascii_lowercase).as_deref(),
        Ok("0" | "off" | "false" | "no")
    )
}

pub fn warn(py: Python<'_>, message: &str) {
    let category = py.get_type::<CacheWarning>();
    // The cache never fails the compile: a warning the warnings filter turns into an error is
    // dropped.
    let message = std::ffi::CString::new(message.replace('\0', " ")).unwrap_or_default();
    if let Err(error_from_filter) = PyErr::warn(py, &category, &message, 1) {
        drop(error_from_filter);
    }
}

/// The process's store, or `None` when the cache is off or its directory cannot be used (said
/// once, when it is first asked for).
pub fn store(py: Python<'_>) -> Option<&'static Store> {
    static STORE: OnceLock<Option<Store>> = OnceLock::new();
    if let Some(s) = STORE.get() {
        return s.as_ref();
    }
    // Opened outside the OnceLock and warned about after it is set: a warning runs Python code,
    // which may release the GIL, and a thread waiting in `get_or_init` meanwhile would hold the
    // GIL while blocked (a deadlock). Two threads may both open it; the first one is kept.
    let (opened, why) = if !enabled() {
        (None, None)
    } else {
        match cache::default_dir() {
            None => (
                None,
                Some("stickyjit: no cache directory (set STICKYJIT_CACHE_DIR or HOME); compiling in memory only".to_string()),
            ),
            Some(dir) => match Store::open(&dir) {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(format!("stickyjit: {e}; compiling in memory only"))),
            },
        }
    };
    let mut first = false;
    let s = STORE.get_or_init(|| {
        first = true;
        opened
    });
    if let (true, Some(why)) = (first, why) {
        warn(py, &why);
    }
    s.as_ref()
}

/// What a specialization is, as its cache entry records it.
pub struct Label<'a> {
    /// The function's name.
    pub function: &'a str,
    /// The file it was defined in.
    pub file: &'a str,
    /// Its argument types: `(int64, float64)`.
    pub signature: &'a str,
}

/// The store a compile reads and writes: none with `cache=False`, for a compile that captures
/// LLVM IR or assembly (`inspect_llvm`, `STICKYJIT_DUMP`), or when the cache is off or unusable.
pub fn store_for(py: Python<'_>, use_cache: bool, capture: Capture) -> Option<&'static Store> {
    (use_cache && !capture.llvm_ir && !capture.asm).then(|| store(py)).flatten()
}

/// The entry to load for `p` (the specialization `label`), if any: none when its code is
/// already loaded in this process. An entry is only loaded when it says it is what is being
/// loaded: its symbol, signature and every key part equal this compile's (an entry renamed or
/// copied under another key is refused before any of it reaches the JIT, and the compile that
/// follows replaces it).
pub fn entry_for(py: Python<'_>, store: &Store, p: &Prepared, label: &Label<'_>) -> Option<Entry> {
    if p.is_loaded() {
        return None;
    }
    let key = &p.code_key;
    let entry = lookup(py, store, key)?;
    if let Some(why) = entry_mismatch(&entry, p, label.signature) {
        warn(
            py,
            &format!("stickyjit: cache entry {key} is not {}{}'s ({why}): ignored, recompiling", label.function, label.signature),
        );
        return None;
    }
    Some(entry)
}

/// An entry that passed its checksum but does not load: never an error for the caller; it is
/// dropped (and the caller compiles).
pub fn discard_unloadable(py: Python<'_>, store: &Store, key: &str, e: &jit_core::CompileError) {
    warn(py, &format!("stickyjit: cache entry {key} could not be loaded ({e}); recompiling"));
    store.remove(key);
}

/// Writes `c`, compiled under `key` (made of `parts`), with what [`entry_for`] checks and
/// [`explain_miss`] reads.
pub fn write(
    py: Python<'_>,
    store: &'static Store,
    key: &str,
    parts: Vec<(&'static str, String)>,
    label: &Label<'_>,
    c: &Compiled,
) {
    if c.object.is_empty() {
        return; // already loaded in this process: no object was made
    }
    let meta = [
        ("function", label.function.to_string()),
        ("file", label.file.to_string()),
        ("signature", label.signature.to_string()),
        ("return", c.ret.to_string()),
        ("symbol", c.symbol.clone()),
        ("stickyjit", jit_core::VERSION.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(parts.into_iter().map(|(n, v)| (format!("part:{n}"), v)))
    .collect();
    save(py, store, key, &Entry { meta, object: c.object.clone() });
}

/// The cached entry of `key`, if there is a usable one. A damaged, foreign-format or unverified
/// entry is removed when it is provably the store's (the compile that follows writes a good one)
/// and warned about.
pub fn lookup(py: Python<'_>, store: &Store, key: &str) -> Option<Entry> {
    match store.get(key) {
        Ok(Some(e)) => {
            HITS.fetch_add(1, Ordering::Relaxed);
            Some(e)
        }
        Ok(None) => {
            MISSES.fetch_add(1, Ordering::Relaxed);
            None
        }
        Err(e) => {
            MISSES.fetch_add(1, Ordering::Relaxed);
            if matches!(e, CacheError::Corrupt { .. } | CacheError::Version { .. } | CacheError::Untrusted { .. }) {
                store.remove(key);
            }
            if matches!(e, CacheError::Unsafe { what: "cache directory", .. }) {
                // An unsafe shard directory fails every lookup and write in it the same way.
                warn_once(py, failure_kind(&e), || format!("stickyjit: {e}"));
            } else {
                warn(py, &format!("stickyjit: {e}"));
            }
            None
        }
    }
}

/// Says `message` once per process for each distinct `kind` (a full disk fails every write the
/// same way: one warning, not one per compile). The lock is released before Python is called.
fn warn_once(py: Python<'_>, kind: String, message: impl FnOnce() -> String) {
    static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let first = {
        let mut said = SAID.lock().unwrap_or_else(|p| p.into_inner());
        if said.contains(&kind) {
            false
        } else {
            said.push(kind);
            true
        }
    };
    if first {
        warn(py, &message());
    }
}

/// What kind of failure `e` is, for `warn_once`: the variant, and for I/O the OS error.
fn failure_kind(e: &CacheError) -> String {
    match e {
        CacheError::Io { source, .. } => format!("io {:?} {:?}", source.kind(), source.raw_os_error()),
        CacheError::Unsafe { path, .. } => format!("unsafe {}", path.display()),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}

/// The size cap, with one warning per process when `STICKYJIT_CACHE_SIZE` is not a size.
fn cap(py: Python<'_>) -> u64 {
    cache::cap_from_env().unwrap_or_else(|e| {
        warn_once(py, "cap".into(), || format!("stickyjit: {e}"));
        cache::DEFAULT_CAP
    })
}

/// Writes `entry` under `key`; a failure (a full or read-only disk) is a warning, once per
/// process for each kind of failure.
pub fn save(py: Python<'_>, store: &'static Store, key: &str, entry: &Entry) {
    match store.put(key, entry) {
        Ok(_) => {
            // The cap is checked after the process's first write and every 64th after it: a
            // prune reads the whole directory, which should not compete with compiles.
            if WRITES.fetch_add(1, Ordering::Relaxed).is_multiple_of(64) {
                if store.is_marked() {
                    prune_in_background(store, cap(py));
                } else {
                    warn_once(py, "not ours".into(), || {
                        format!(
                            "stickyjit: the cache directory {} was not created by stickyjit (it has no CACHEDIR.TAG of \
                             stickyjit's): entries are read and written there, but the size cap is not applied and nothing \
                             is ever removed from it; point STICKYJIT_CACHE_DIR at a directory of its own",
                            store.dir().display()
                        )
                    });
                }
            }
        }
        Err(e) => warn_once(py, failure_kind(&e), || {
            format!(
                "stickyjit: could not write the cache: {e}; the compiled code is used from memory \
                 (further write failures of this kind in this process are not reported)"
            )
        }),
    }
}

/// After a write: keeps the directory under its size cap, on a thread of its own so that the
/// call that wrote does not wait (one pruning at a time). It removes only the store's own files
/// (see `cache::Store::prune`); a failure is silent (the next prune tries again).
pub fn prune_in_background(store: &'static Store, cap: u64) {
    static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if RUNNING.swap(true, Ordering::AcqRel) {
        return;
    }
    let spawned = std::thread::Builder::new().name("stickyjit-prune".into()).spawn(move || {
        let _ = store.prune(cap);
        RUNNING.store(false, Ordering::Release);
    });
    if spawned.is_err() {
        RUNNING.store(false, Ordering::Release);
    }
}

fn os_error(e: CacheError) -> PyErr {
    pyo3::exceptions::PyOSError::new_err(e.to_string())
}

/// The configured cache directory, opened to inspect (creating nothing but, where provable, the
/// marker); `None` when it does not exist. An unsafe directory is an `OSError`.
fn inspect() -> PyResult<(Option<std::path::PathBuf>, Option<Store>)> {
    let dir = cache::default_dir();
    let store = match &dir {
        Some(d) => Store::inspect(d).map_err(os_error)?,
        None => None,
    };
    Ok((dir, store))
}

/// `python -m stickyjit cache info|list`: the directory, whether stickyjit created it, its
/// integrity key, the cap (and, when `STICKYJIT_CACHE_SIZE` is not a size, why it is the
/// default), and every entry with its status (`ok`, `damaged`, `old format`, `refused`), why, and
/// the metadata of the usable ones. `OSError` when the directory cannot be used.
#[pyfunction]
pub fn cache_entries(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    let (dir, store) = inspect()?;
    d.set_item("directory", dir.as_ref().map(|p| p.display().to_string()))?;
    let cap = cache::cap_from_env();
    d.set_item("cap_error", cap.as_ref().err().map(ToString::to_string))?;
    d.set_item("cap", cap.unwrap_or(cache::DEFAULT_CAP))?;
    d.set_item("enabled", enabled())?;
    d.set_item("exists", store.is_some())?;
    d.set_item("created_by_stickyjit", store.as_ref().is_some_and(Store::is_marked))?;
    let source = store.as_ref().and_then(|s| s.key_source()).map(|(p, shared)| (p.display().to_string(), shared));
    d.set_item("key_file", source.as_ref().map(|(p, _)| p.clone()))?;
    d.set_item("key_shared", source.is_some_and(|(_, shared)| shared))?;
    let list = PyList::empty(py);
    if let Some(store) = &store {
        for e in store.entries(true) {
            let item = PyDict::new(py);
            item.set_item("key", &e.key)?;
            item.set_item("path", e.path.display().to_string())?;
            item.set_item("size", e.size)?;
            item.set_item("last_use", e.last_use)?;
            let (status, why) = match e.status {
                Status::Ok | Status::Unread => ("ok", None),
                Status::Damaged(why) => ("damaged", Some(why)),
                Status::OtherVersion(v) => ("old format", Some(format!("format version {v}, this is {}", cache::FORMAT_VERSION))),
                Status::Refused(why) => ("refused", Some(why)),
            };
            item.set_item("status", status)?;
            item.set_item("why", why)?;
            for (k, v) in e.meta.unwrap_or_default() {
                item.set_item(k, v)?;
            }
            list.append(item)?;
        }
    }
    d.set_item("entries", list)?;
    Ok(d)
}

fn sweep_dict(py: Python<'_>, dir: Option<std::path::PathBuf>, sweep: cache::Sweep) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("directory", dir.map(|p| p.display().to_string()))?;
    d.set_item("removed", sweep.removed)?;
    d.set_item("freed", sweep.freed)?;
    d.set_item("temporaries", sweep.temporaries)?;
    d.set_item("left", sweep.left)?;
    let failed: Vec<(String, String)> = sweep.failed.iter().map(|(p, e)| (p.display().to_string(), e.to_string())).collect();
    d.set_item("failed", failed)?;
    let unsafe_dirs: Vec<(String, String)> =
        sweep.unsafe_dirs.iter().map(|(p, w)| (p.display().to_string(), w.clone())).collect();
    d.set_item("unsafe_dirs", unsafe_dirs)?;
    Ok(d)
}

/// Removes every entry; returns what it did: `removed`, `freed`, `temporaries`, `left` (files it
/// did not write), `failed` ((path, why) of files it could not remove), `unsafe_dirs`. `OSError`
/// when the directory is unsafe or was not created by stickyjit.
#[pyfunction]
pub fn cache_clear(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let (dir, store) = inspect()?;
    let sweep = match store {
        Some(s) => s.clear().map_err(os_error)?,
        None => cache::Sweep::default(),
    };
    sweep_dict(py, dir, sweep)
}

/// Evicts least recently used entries down to `cap` bytes (default: STICKYJIT_CACHE_SIZE or
/// 1 GiB); returns what it did, as `cache_clear`, and the `cap` used (with `cap_error` when
/// STICKYJIT_CACHE_SIZE is not a size).
#[pyfunction]
#[pyo3(signature = (cap = None))]
pub fn cache_prune(py: Python<'_>, cap: Option<u64>) -> PyResult<Bound<'_, PyDict>> {
    let (dir, store) = inspect()?;
    let (cap, cap_error) = match cap.map(Ok).unwrap_or_else(cache::cap_from_env) {
        Ok(cap) => (cap, None),
        Err(e) => (cache::DEFAULT_CAP, Some(e.to_string())),
    };
    let sweep = match store {
        Some(s) => s.prune(cap).map_err(os_error)?,
        None => cache::Sweep::default(),
    };
    let d = sweep_dict(py, dir, sweep)?;
    d.set_item("cap", cap)?;
    d.set_item("cap_error", cap_error)?;
    Ok(d)
}

/// One entry as `cache export` hands it to Python and `cache import` takes it back: its code key,
/// its metadata (name, value) pairs and its relocatable object.
type Exported = (String, Vec<(String, String)>, Vec<u8>);

/// Entries that could not be exported: (path, why).
type Skipped = Vec<(String, String)>;

/// `python -m stickyjit cache export`: every usable entry of the cache directory, each read and
/// verified as a load verifies it (format, checksum, this cache's integrity key; reading marks
/// it used), and the (path, why) of those left out (damaged, refused, another format).
#[pyfunction]
pub fn cache_export_entries(py: Python<'_>) -> PyResult<(Vec<Exported>, Skipped)> {
    let (_, store) = inspect()?;
    let Some(store) = store else { return Ok((Vec::new(), Vec::new())) };
    py.detach(|| {
        let (mut entries, mut skipped) = (Vec::new(), Vec::new());
        for info in store.entries(false) {
            match store.get(&info.key) {
                Ok(Some(e)) => entries.push((info.key, e.meta, e.object)),
                Ok(None) => {} // removed meanwhile
                Err(e) => skipped.push((info.path.display().to_string(), e.to_string())),
            }
        }
        Ok((entries, skipped))
    })
}

/// `python -m stickyjit cache import`: writes `entries` (as `cache_export_entries` gave them,
/// their checksums verified by the caller) into the cache directory, creating it if needed, each
/// signed with this cache's integrity key: importing is the user saying the entries are theirs.
/// An entry already present and valid is left as it is, a damaged one of the store's own is
/// replaced, and a file the store did not write in an entry's place is left alone (that entry
/// is refused). Returns, per entry, `"imported"`, `"present"` or why it was refused (a key that
/// is not a code key, an object whose symbol names another key, a file in the way). `OSError`
/// when the directory cannot be used.
#[pyfunction]
pub fn cache_import_entries(py: Python<'_>, entries: Vec<Exported>) -> PyResult<Vec<String>> {
    let dir = cache::default_dir()
        .ok_or_else(|| pyo3::exceptions::PyOSError::new_err("no cache directory (set STICKYJIT_CACHE_DIR or HOME)"))?;
    py.detach(|| {
        let store = Store::open(&dir).map_err(os_error)?;
        let mut out = Vec::with_capacity(entries.len());
        for (key, meta, object) in entries {
            let entry = Entry { meta, object };
            let outcome = if !cache::valid_key(&key) {
                format!("{key:?} is not a code key")
            } else if entry.get("symbol").is_some_and(|s| s != format!("sj_{key}")) {
                format!("its symbol {} does not name its key {key}", entry.get("symbol").unwrap_or_default())
            } else {
                match store.get(&key) {
                    Ok(Some(_)) => "present".to_string(),
                    Ok(None) => {
                        store.put(&key, &entry).map_err(os_error)?;
                        "imported".to_string()
                    }
                    Err(_) => {
                        // A damaged entry of the store's own is replaced; anything else in its
                        // place (another user's file, a link) is never touched.
                        store.remove(&key);
                        if std::fs::symlink_metadata(store.path_of(&key)).is_ok() {
                            format!("{} is not a file stickyjit wrote: left alone", store.path_of(&key).display())
                        } else {
                            store.put(&key, &entry).map_err(os_error)?;
                            "imported".to_string()
                        }
                    }
                }
            };
            out.push(outcome);
        }
        Ok(out)
    })
}

/// `python -m stickyjit --version`: stickyjit's version and LLVM's (asked of LLVM without
/// starting it), and the on-disk format version.
#[pyfunction]
pub fn versions(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("stickyjit", env!("CARGO_PKG_VERSION"))?;
    d.set_item("llvm", jit_core::optimize::target_identity().llvm_version)?;
    d.set_item("cache_format", cache::FORMAT_VERSION)?;
    Ok(d)
}

/// Why `parts` (the key of the specialization `label` that was not in the cache)
/// missed: the parts in which it differs from the nearest earlier entry for the same function.
/// Reads the whole directory: called when asked (`explain()`, `STICKYJIT_EXPLAIN=1`), not on
/// every miss. The entry under `key` itself (written by the compile being explained) is skipped.
pub fn explain_miss(store: &Store, key: &str, label: &Label<'_>, parts: &[(&'static str, String)]) -> String {
    let Label { function, file, signature } = *label;
    let mut best: Option<(usize, Vec<String>, String)> = None;
    for e in store.entries(true) {
        if e.key == key {
            continue;
        }
        let Some(meta) = e.meta else { continue };
        let get = |k: &str| meta.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if get("function") != Some(function) || get("file") != Some(file) {
            continue;
        }
        let mut diffs = Vec::new();
        for (name, value) in parts {
            let old = get(&format!("part:{name}")).unwrap_or("?");
            if old != value {
                diffs.push(if name == &"source" || name == &"compiler" || name == &"cpu" {
                    (*name).to_string()
                } else {
                    format!("{name} ({old} → {value})")
                });
            }
        }
        let sig = get("signature").unwrap_or("?").to_string();
        if best.as_ref().is_none_or(|(n, _, _)| diffs.len() < *n) {
            best = Some((diffs.len(), diffs, sig));
        }
    }
    match best {
        None => format!("{function}{signature} was compiled: the cache had no earlier entry for {function} from {file}"),
        Some((_, diffs, sig)) => format!(
            "{function}{signature} was compiled: the nearest cache entry for {function} from {file} (signature {sig}) differs in {}",
            if diffs.is_empty() { "nothing (it was written meanwhile)".to_string() } else { diffs.join("; ") }
        ),
    }
}

/// Why a cache entry found under a specialization's key is not that specialization's: the
/// first of its recorded symbol, signature and key parts that differs, or `None`. (The function's
/// name is not checked: it is not part of the code key, so functions with the same body and
/// globals share entries by design.)
fn entry_mismatch(entry: &cache::Entry, p: &jit_core::Prepared, sig: &str) -> Option<String> {
    let expect = [("symbol", p.symbol.as_str()), ("signature", sig)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain(p.key_parts.iter().map(|(n, v)| (format!("part:{n}"), v.as_str())));
    for (name, want) in expect {
        match entry.get(&name) {
            Some(got) if got == want => {}
            Some(_) => return Some(format!("its {name} differs")),
            None => return Some(format!("it records no {name}")),
        }
    }
    None
}
