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
    !matches!(std::env::var("STICKYJIT_CACHE").as_deref().map(str::to_ascii_lowercase).as_deref(), Ok("0" | "off" | "false" | "no"))
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
pub fn save(py: Python<'_>, store: &Store, key: &str, entry: &Entry) {
    match store.put(key, entry) {
        Ok(_) => {
            WRITES.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => warn(py, &format!("stickyjit: could not write the cache: {e}; the compiled code is used from memory")),
    }
}
