//! Build script: hashes the compiler's sources (jit-core's Rust and C++), so that two builds
//! of one version whose compilers differ never share cached machine code.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("rs" | "cpp" | "h")) {
            out.push(p);
        }
    }
}

fn main() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../jit-core");
    let mut all = Vec::new();
    for sub in ["src", "cpp"] {
        println!("cargo:rerun-if-changed={}", core.join(sub).display());
        files(&core.join(sub), &mut all);
    }
    all.sort();
    let mut h = blake3::Hasher::new();
    for p in &all {
        let rel = p.strip_prefix(&core).unwrap_or(p);
        h.update(rel.to_string_lossy().as_bytes());
        h.update(&[0]);
        h.update(&std::fs::read(p).unwrap_or_default());
        h.update(&[0]);
    }
    println!("cargo:rustc-env=SJ_SOURCE_HASH={}", &h.finalize().to_hex()[..16]);
}
