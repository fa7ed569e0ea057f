//! The identity of the compiler's sources: a hash of jit-core's Rust and C++ made at build time
//! (build.rs), part of every code key, so that a development build never loads an object
//! another build of the same version made.

/// 16 hex digits of the blake3 hash of jit-core's sources.
pub const SOURCE_HASH: &str = env!("SJ_SOURCE_HASH");

#[cfg(test)]
mod tests {
    #[test]
    fn the_hash_is_sixteen_hex_digits() {
        assert_eq!(super::SOURCE_HASH.len(), 16);
        assert!(super::SOURCE_HASH.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
