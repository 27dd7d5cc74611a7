//! Content digests (xxh3, 128 bits): the one place that hashes bytes to tell texts apart, for
//! the build cache's fingerprints and for versions whose text is dropped once parsed.

pub(crate) use xxhash_rust::xxh3::Xxh3 as Digester;

/// The digest of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}
