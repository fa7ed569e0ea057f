//! The identity of the compiler's sources: a hash of jit-core's Rust and C++ made at build time
//! (build.rs), part of every code key, so that a development build never loads an object
//! another build of the same version made.

/// 16 hex digits of the blake3 hash of jit-core's sources.
pub const SOURCE_HASH: &str = env!("SJ_SOURCE_HASH");
