//! The processed-image cache under `.kiosque-cache/images/`: one folder per source and
//! settings, holding the variant files and a manifest written last. An entry whose manifest
//! is unreadable or whose files are missing or fail their checksum is redone, never served.
//! Entries are handed out as files, not bytes, so a site of thousands of photos is copied
//! (or linked) into the output without holding the variants in memory.

use std::fs::{self, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::{Focal, Format, ImageError, Processed, Settings, Variant, variants};
use crate::fingerprint::{fingerprint, hasher};

/// A folder of processed images, keyed by the source's bytes, its name and the settings.
/// Its methods take `&self` and may run on many threads at once: entries are written to
/// temporary files and renamed into place, so a reader never sees half an entry.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    encodes: AtomicUsize,
    temp_files: AtomicUsize,
}

/// A processed image as the cache holds it: [`Processed`] with files instead of bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Width after EXIF orientation is applied.
    pub width: u32,
    /// Height after EXIF orientation is applied.
    pub height: u32,
    /// See [`Processed::fallback`].
    pub fallback: Format,
    /// See [`Processed::variants`].
    pub variants: Vec<StoredVariant>,
    /// See [`Processed::stand_in`].
    pub stand_in: Option<StoredVariant>,
    /// The social card, when asked for.
    pub card: Option<StoredVariant>,
}

/// One variant file in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVariant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its encoding.
    pub format: Format,
    /// Content-hashed name, see [`Variant::file_name`].
    pub file_name: String,
    /// The file in the cache.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
}

/// What an entry's `manifest.json` records.
#[derive(Serialize, Deserialize)]
struct Manifest {
    width: u32,
    height: u32,
    fallback: Format,
    variants: Vec<Entry>,
    stand_in: Option<Entry>,
    card: Option<Entry>,
}

/// One variant file of an entry.
#[derive(Serialize, Deserialize)]
struct Entry {
    file_name: String,
    width: u32,
    height: u32,
    format: Format,
    size: u64,
    checksum: String,
}

impl Entry {
    fn new(variant: &Variant) -> Entry {
        Entry {
            file_name: variant.file_name.clone(),
            width: variant.width,
            height: variant.height,
            format: variant.format,
            size: variant.bytes.len() as u64,
            checksum: checksum(&variant.bytes),
        }
    }

    fn stored(self, entry: &Path) -> StoredVariant {
        StoredVariant {
            path: entry.join(&self.file_name),
            width: self.width,
            height: self.height,
            format: self.format,
            file_name: self.file_name,
            size: self.size,
        }
    }
}

const MANIFEST: &str = "manifest.json";

impl Cache {
    /// A cache in `dir` (for a site, `<root>/.kiosque-cache/images/`), created on first write.
    pub fn open(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_owned(),
            encodes: AtomicUsize::new(0),
            temp_files: AtomicUsize::new(0),
        }
    }

    /// [`super::process`] through the cache: the cached entry when there is a sound one
    /// (`true`), otherwise processed and stored (`false`).
    pub fn process(
        &self,
        source: &[u8],
        name: &str,
        settings: &Settings,
        card: Option<Focal>,
    ) -> Result<(Stored, bool), ImageError> {
        let entry = self.entry(source, name, settings, card);
        if let Some(stored) = read(&entry) {
            return Ok((stored, true));
        }
        let mut encodes = 0;
        let processed = variants::process(source, name, settings, card, &mut encodes);
        self.encodes.fetch_add(encodes, Ordering::Relaxed);
        let stored = self.write(&entry, &processed?)?;
        Ok((stored, false))
    }

    /// The cached entry, if there is a sound one; nothing is processed.
    pub fn lookup(
        &self,
        source: &[u8],
        name: &str,
        settings: &Settings,
        card: Option<Focal>,
    ) -> Option<Stored> {
        read(&self.entry(source, name, settings, card))
    }

    fn entry(
        &self,
        source: &[u8],
        name: &str,
        settings: &Settings,
        card: Option<Focal>,
    ) -> PathBuf {
        let key = key(source, name, settings, card);
        self.dir.join(format!("{key:016x}"))
    }

    /// How many encodes this cache has run since it was opened; a build served from the
    /// cache runs none.
    pub fn encodes(&self) -> usize {
        self.encodes.load(Ordering::Relaxed)
    }

    /// Writes the variant files, then the manifest, each atomically.
    fn write(&self, entry: &Path, processed: &Processed) -> Result<Stored, ImageError> {
        fs::create_dir_all(entry).map_err(|source| ImageError::Cache {
            path: entry.to_owned(),
            source,
        })?;
        let files = processed.variants.iter().chain(&processed.stand_in);
        for variant in files.chain(&processed.card) {
            self.write_atomically(&entry.join(&variant.file_name), &variant.bytes)?;
        }
        let manifest = Manifest {
            width: processed.width,
            height: processed.height,
            fallback: processed.fallback,
            variants: processed.variants.iter().map(Entry::new).collect(),
            stand_in: processed.stand_in.as_ref().map(Entry::new),
            card: processed.card.as_ref().map(Entry::new),
        };
        let json = serde_json::to_vec_pretty(&manifest).expect("a manifest always serialises");
        self.write_atomically(&entry.join(MANIFEST), &json)?;
        Ok(stored(entry, manifest))
    }

    /// Writes `path` through a temporary file, then renames it, so a reader never sees half a
    /// file. The temporary file is created exclusively (another `Cache` on the same folder, in
    /// this process or another, may be writing the same entry), under the next free name.
    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> Result<(), ImageError> {
        let failed = |source| ImageError::Cache {
            path: path.to_owned(),
            source,
        };
        let (temp, mut file) = loop {
            let n = self.temp_files.fetch_add(1, Ordering::Relaxed);
            let temp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(file) => break (temp, file),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(failed(e)),
            }
        };
        let result = file.write_all(bytes).and_then(|()| fs::rename(&temp, path));
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result.map_err(failed)
    }
}

/// The entry's key: the source, its name (the variants are named after it) and everything
/// that changes the output, this crate's version included (encoders change between versions).
fn key(source: &[u8], name: &str, settings: &Settings, card: Option<Focal>) -> u64 {
    let mut h = hasher();
    source.hash(&mut h);
    Path::new(name).file_stem().hash(&mut h);
    card.map(Focal::bits).hash(&mut h);
    let Settings {
        widths,
        quality,
        formats,
        max_pixels,
    } = settings;
    (
        widths,
        quality,
        formats,
        max_pixels,
        env!("CARGO_PKG_VERSION"),
    )
        .hash(&mut h);
    h.finish()
}

fn checksum(bytes: &[u8]) -> String {
    format!("{:016x}", fingerprint(bytes))
}

/// The entry at `entry` if its manifest parses and every file is there with its size and
/// checksum; `None` otherwise, and the caller redoes it.
fn read(entry: &Path) -> Option<Stored> {
    let manifest: Manifest = serde_json::from_slice(&fs::read(entry.join(MANIFEST)).ok()?).ok()?;
    let files = manifest.variants.iter().chain(&manifest.stand_in);
    let files = files.chain(&manifest.card);
    for e in files {
        let bytes = fs::read(entry.join(&e.file_name)).ok()?;
        if bytes.len() as u64 != e.size || checksum(&bytes) != e.checksum {
            return None;
        }
    }
    Some(stored(entry, manifest))
}

fn stored(entry: &Path, manifest: Manifest) -> Stored {
    Stored {
        width: manifest.width,
        height: manifest.height,
        fallback: manifest.fallback,
        variants: manifest
            .variants
            .into_iter()
            .map(|e| e.stored(entry))
            .collect(),
        stand_in: manifest.stand_in.map(|e| e.stored(entry)),
        card: manifest.card.map(|e| e.stored(entry)),
    }
}
