//! Fingerprints: fast hashes of good quality, so that different inputs never share one in
//! practice (a shared one would leave a page stale). The model versions what it holds with
//! them, and incremental builds compare them. The build cache writes them to disk, read back
//! only by the binary that wrote them (`crate::cache`): another build of Kiosque may hash
//! differently.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::FixedState;

/// The fingerprint of a value; the same in every run of one Kiosque binary.
pub(crate) fn fingerprint(value: impl Hash) -> u64 {
    FixedState::default().hash_one(value)
}

/// A hasher giving the same fingerprints, for values hashed piece by piece.
pub(crate) fn hasher() -> impl Hasher {
    FixedState::default().build_hasher()
}
