//! A cache file's bytes, mapped rather than read where the system allows it.

use std::fs::File;
use std::ops::Deref;
use std::path::Path;

/// The bytes of a cache file from `start` on.
#[derive(Default)]
pub(crate) struct Mapped {
    bytes: Bytes,
    start: usize,
}

#[derive(Default)]
enum Bytes {
    #[default]
    Empty,
    #[cfg(unix)]
    Map(memmap2::Mmap),
    Read(Vec<u8>),
}

impl Mapped {
    /// The bytes of the file at `path`, or `None` if it cannot be opened.
    pub(crate) fn open(path: &Path) -> Option<Mapped> {
        let file = File::open(path).ok()?;
        let bytes = map(&file).or_else(|| read(file))?;
        Some(Mapped { bytes, start: 0 })
    }

    /// The same bytes from `start` on (relative to the current start).
    pub(crate) fn skip(self, start: usize) -> Mapped {
        let start = (self.start + start).min(self.whole().len());
        Mapped { start, ..self }
    }

    fn whole(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Empty => &[],
            #[cfg(unix)]
            Bytes::Map(map) => map,
            Bytes::Read(bytes) => bytes,
        }
    }
}

#[cfg(test)]
impl From<Vec<u8>> for Mapped {
    fn from(bytes: Vec<u8>) -> Mapped {
        Mapped {
            bytes: Bytes::Read(bytes),
            start: 0,
        }
    }
}

impl Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.whole()[self.start..]
    }
}

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

/// Maps a file in whole, its pages read in at once.
///
/// A cache file is never written in place: each is written beside and renamed over the old
/// one (see `BuildCache::write_payload`), so the mapped bytes stay those of the file opened
/// even when another build replaces it meanwhile. Where renaming over a mapped file is refused
/// (Windows), the file is read instead.
#[cfg(unix)]
fn map(file: &File) -> Option<Bytes> {
    if file.metadata().ok()?.len() == 0 {
        return Some(Bytes::Empty);
    }
    // SAFETY: the file is only ever replaced by a rename, never truncated or rewritten by
    // Kiosque; the checksum is verified over the mapped bytes before they are used.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(file) };
    map.ok().map(Bytes::Map)
}

#[cfg(not(unix))]
fn map(_file: &File) -> Option<Bytes> {
    None
}

fn read(mut file: File) -> Option<Bytes> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    Some(Bytes::Read(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapped_file_reads_as_its_bytes_from_the_start_given() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        std::fs::write(&path, b"header\npayload").unwrap();
        let mapped = Mapped::open(&path).unwrap();
        assert_eq!(&*mapped, b"header\npayload");
        assert_eq!(&*mapped.skip(7), b"payload");
        std::fs::write(&path, b"").unwrap();
        assert_eq!(&*Mapped::open(&path).unwrap(), b"");
        assert!(Mapped::open(&dir.path().join("missing")).is_none());
    }

    #[test]
    fn a_file_replaced_by_a_rename_leaves_the_mapped_bytes_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        std::fs::write(&path, b"old bytes").unwrap();
        let mapped = Mapped::open(&path).unwrap();
        let next = dir.path().join("f.tmp");
        std::fs::write(&next, b"new").unwrap();
        std::fs::rename(&next, &path).unwrap();
        assert_eq!(&*mapped, b"old bytes");
    }
}
