//! Output stage, the only place that writes: a memory sink of rendered files, and a disk build
//! that is staged beside the target folder and swapped into place only once complete, so a
//! failed or interrupted build leaves the previous site as it was.

mod compress;
mod disk;
mod recycle;
mod spare;
mod staging;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::site::output_file;
pub use compress::{COPIES, is_compressible};
pub use disk::{Previous, check_target, write_to_disk, write_to_disk_keeping};
pub use staging::Staging;

/// File written in every output folder, proving Kiosque made it and may replace it.
pub const MARKER: &str = ".kiosque-output";

/// Rendered files by output path (`2025/02/slug/index.html`, `atom.xml`).
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    files: BTreeMap<String, Body>,
}

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Bytes in memory: pages, feeds, static files.
    Bytes(Vec<u8>),
    /// A file on disk copied at write time: a static file of the site or a processed image
    /// of the image cache, which a site of thousands of photos could not hold in memory.
    /// Copied, never linked: a tool rewriting the output in place must not reach the sources
    /// or the cache.
    Copy(PathBuf),
    /// A file of the previous output that is the same in this one: linked into the new
    /// output, not written, so that it keeps its inode and modification time. Only ever a
    /// file of the output being replaced, which no longer exists once the new one is in place.
    Link(Kept),
    /// A file already written to the staging folder of a build on disk (see [`Staging`]), of
    /// this many bytes.
    Written(u64),
}

/// A file of the output being replaced, kept in the new one (see [`Body::Link`]), with its
/// identity on disk as the build found it: the staging folder may already hold this very
/// file, and its size is known without reading the disk again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// Where it is, in the output being replaced.
    pub path: PathBuf,
    /// The file system it is on.
    pub device: u64,
    /// Its inode on that file system.
    pub inode: u64,
    /// Its size in bytes.
    pub size: u64,
}

impl Kept {
    /// The file at `path` as it is on disk now.
    pub fn of(path: PathBuf) -> std::io::Result<Kept> {
        let metadata = fs::symlink_metadata(&path)?;
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (metadata.dev(), metadata.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Ok(Kept {
            path,
            device,
            inode,
            size: metadata.len(),
        })
    }
}

impl Body {
    /// Its bytes, read from disk for a copy.
    pub fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Body::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Body::Copy(path) | Body::Link(Kept { path, .. }) => fs::read(path).map(Cow::Owned),
            Body::Written(_) => Err(std::io::Error::other("written to disk, not kept")),
        }
    }

    /// Its size in bytes (zero for a copy whose file is gone).
    fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Copy(path) => fs::metadata(path).map_or(0, |m| m.len()),
            Body::Link(kept) => kept.size,
            Body::Written(size) => *size,
        }
    }
}

impl Outputs {
    /// Adds a page or feed at a site path (see [`output_file`]).
    pub fn insert(&mut self, site_path: &str, bytes: Vec<u8>) {
        self.files
            .insert(output_file(site_path), Body::Bytes(bytes));
    }

    /// Adds a file at exactly this output path (`CNAME`, `images/a.svg`); returns false, and
    /// changes nothing, if another file already has that path.
    pub fn insert_file(&mut self, path: &str, body: Body) -> bool {
        match self.files.entry(path.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(body);
                true
            }
        }
    }

    /// The bytes of a file held in memory at an output path (`index.html`,
    /// `tags/rust/index.html`); `None` for a file copied from disk (see [`Outputs::read`]).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            Body::Bytes(bytes) => Some(bytes),
            Body::Copy(_) | Body::Link(_) | Body::Written(_) => None,
        }
    }

    /// The bytes of any file at an output path, read from disk for a copy.
    pub fn read(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        self.files.get(path)?.read().ok()
    }

    /// What the file at an output path holds.
    pub fn body(&self, path: &str) -> Option<&Body> {
        self.files.get(path)
    }

    /// Whether there is a file at this output path.
    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The file at an output path, as text.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// Output paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there is no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Number of files kept from the previous output (see [`Body::Link`]).
    pub fn kept(&self) -> usize {
        let linked = self.files.values().filter(|b| matches!(b, Body::Link(_)));
        linked.count()
    }

    /// Total size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(Body::len).sum()
    }

    /// Whether a site path has an output.
    pub fn contains(&self, site_path: &str) -> bool {
        self.files.contains_key(&output_file(site_path))
    }
}

/// What a rebuild changes in the outputs.
#[derive(Debug, Default)]
pub struct Patch {
    /// Files written or replaced, by output path.
    pub files: Vec<(String, Body)>,
    /// Output paths no longer produced.
    pub removed: Vec<String>,
    /// Whether `files` are all the outputs, the others to be dropped (after a full rebuild).
    pub whole: bool,
    /// Pages, feeds and other generated files rendered (static files copied are not).
    pub rendered: usize,
}

impl Patch {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.removed.is_empty() && !self.whole
    }

    /// Output paths it writes or removes.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        let written = self.files.iter().map(|(path, _)| path.as_str());
        written.chain(self.removed.iter().map(String::as_str))
    }
}

impl Outputs {
    /// Brings the outputs up to date.
    pub fn apply(&mut self, patch: Patch) {
        if patch.whole {
            self.files.clear();
        }
        for path in &patch.removed {
            self.files.remove(path);
        }
        self.files.extend(patch.files);
    }
}
