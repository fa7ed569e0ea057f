//! The dispatcher's use of the on-disk cache (crate `cache`): one store per process, opened at
//! the first compile that may use it; every cache failure is one `stickyjit.CacheWarning` and a
//! miss, never an error or a wrong answer.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use cache::{CacheError, Entry, Store};
use pyo3::prelude::*;

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
    // A warning turned into an error by the warnings filter surfaces at the next Python call;
    // the cache itself never fails the compile.
    if let Err(e) = PyErr::warn(py, &category, &std::ffi::CString::new(message.replace('\0', " ")).unwrap_or_default(), 1) {
        e.restore(py);
        let _ = PyErr::take(py);
    }
}

/// The process's store, or `None` when the cache is off or its directory cannot be used (said
/// once, when it is first asked for).
pub fn store(py: Python<'_>) -> Option<&'static Store> {
    static STORE: OnceLock<Option<Store>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            if !enabled() {
                return None;
            }
            let Some(dir) = cache::default_dir() else {
                warn(py, "stickyjit: no cache directory (set STICKYJIT_CACHE_DIR or HOME); compiling in memory only");
                return None;
            };
            match Store::open(&dir) {
                Ok(s) => Some(s),
                Err(e) => {
                    warn(py, &format!("stickyjit: {e}; compiling in memory only"));
                    None
                }
            }
        })
        .as_ref()
}

/// The cached entry of `key`, if there is a usable one. A damaged or foreign entry is removed
/// (the compile that follows writes a good one) and warned about.
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
            if matches!(e, CacheError::Corrupt { .. } | CacheError::Version { .. }) {
                store.remove(key);
            }
            warn(py, &format!("stickyjit: {e}"));
            None
        }
    }
}

/// Writes `entry` under `key`; a failure (a full or read-only disk) is a warning.
pub fn save(py: Python<'_>, store: &'static Store, key: &str, entry: &Entry) {
    match store.put(key, entry) {
        Ok(_) => {
            // The cap is checked after the process's first write and every 64th after it: a
            // prune reads the whole directory, which should not compete with compiles.
            if WRITES.fetch_add(1, Ordering::Relaxed) % 64 == 0 {
                prune_in_background(store);
            }
        }
        Err(e) => warn(py, &format!("stickyjit: could not write the cache: {e}; the compiled code is used from memory")),
    }
}

/// After a write: keeps the directory under its size cap, on a thread of its own so that the
/// call that wrote does not wait (one pruning at a time).
pub fn prune_in_background(store: &'static Store) {
    static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if RUNNING.swap(true, Ordering::AcqRel) {
        return;
    }
    let spawned = std::thread::Builder::new().name("stickyjit-prune".into()).spawn(move || {
        store.prune(cache::default_cap());
        RUNNING.store(false, Ordering::Release);
    });
    if spawned.is_err() {
        RUNNING.store(false, Ordering::Release);
    }
}

/// `python -m stickyjit cache ...`: the cache directory and its entries.
#[pyfunction]
pub fn cache_entries(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    let d = pyo3::types::PyDict::new(py);
    let dir = cache::default_dir();
    d.set_item("directory", dir.as_ref().map(|p| p.display().to_string()))?;
    d.set_item("cap", cache::default_cap())?;
    d.set_item("enabled", enabled())?;
    let list = pyo3::types::PyList::empty(py);
    if let Some(dir) = dir.filter(|d| d.exists()) {
        match Store::open(&dir) {
            Ok(store) => {
                for e in store.entries(true) {
                    let item = pyo3::types::PyDict::new(py);
                    item.set_item("key", &e.key)?;
                    item.set_item("size", e.size)?;
                    item.set_item("last_use", e.last_use)?;
                    for (k, v) in e.meta.unwrap_or_default() {
                        item.set_item(k, v)?;
                    }
                    list.append(item)?;
                }
            }
            Err(e) => d.set_item("error", e.to_string())?,
        }
    }
    d.set_item("entries", list)?;
    Ok(d)
}

/// Removes every entry; returns how many.
#[pyfunction]
pub fn cache_clear() -> PyResult<usize> {
    let Some(dir) = cache::default_dir().filter(|d| d.exists()) else { return Ok(0) };
    let store = Store::open(&dir).map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
    Ok(store.clear())
}

/// Evicts least recently used entries down to `cap` bytes (default: STICKYJIT_CACHE_SIZE or
/// 1 GiB); returns (entries removed, bytes freed).
#[pyfunction]
#[pyo3(signature = (cap = None))]
pub fn cache_prune(cap: Option<u64>) -> PyResult<(usize, u64)> {
    let Some(dir) = cache::default_dir().filter(|d| d.exists()) else { return Ok((0, 0)) };
    let store = Store::open(&dir).map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
    Ok(store.prune(cap.unwrap_or_else(cache::default_cap)))
}

/// Why `parts` (the key of a specialization of `function` in `file` that was not in the cache)
/// missed: the parts in which it differs from the nearest earlier entry for the same function.
/// Reads the whole directory: called when asked (`explain()`, `STICKYJIT_EXPLAIN=1`), not on
/// every miss. The entry under `key` itself (written by the compile being explained) is skipped.
pub fn explain_miss(
    store: &Store,
    key: &str,
    function: &str,
    file: &str,
    signature: &str,
    parts: &[(&'static str, String)],
) -> String {
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
