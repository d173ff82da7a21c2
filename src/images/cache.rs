//! The processed-image cache under `.kiosque-cache/images/`: one folder per source and
//! settings, holding the variant files and a manifest written last. An entry whose manifest
//! is unreadable or whose files are missing or fail their checksum is redone, never served.

use std::fs::{self, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::{Format, ImageError, Processed, Settings, Variant, variants};
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

/// What an entry's `manifest.json` records.
#[derive(Serialize, Deserialize)]
struct Manifest {
    width: u32,
    height: u32,
    variants: Vec<Entry>,
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
    ) -> Result<(Processed, bool), ImageError> {
        let entry = self
            .dir
            .join(format!("{:016x}", key(source, name, settings)));
        if let Some(processed) = read(&entry) {
            return Ok((processed, true));
        }
        let mut encodes = 0;
        let processed = variants::process(source, name, settings, &mut encodes);
        self.encodes.fetch_add(encodes, Ordering::Relaxed);
        let processed = processed?;
        self.write(&entry, &processed)?;
        Ok((processed, false))
    }

    /// How many encodes this cache has run since it was opened; a build served from the
    /// cache runs none.
    pub fn encodes(&self) -> usize {
        self.encodes.load(Ordering::Relaxed)
    }

    /// Writes the variant files, then the manifest, each atomically.
    fn write(&self, entry: &Path, processed: &Processed) -> Result<(), ImageError> {
        fs::create_dir_all(entry).map_err(|source| ImageError::Cache {
            path: entry.to_owned(),
            source,
        })?;
        for variant in &processed.variants {
            self.write_atomically(&entry.join(&variant.file_name), &variant.bytes)?;
        }
        let manifest = Manifest {
            width: processed.width,
            height: processed.height,
            variants: processed
                .variants
                .iter()
                .map(|v| Entry {
                    file_name: v.file_name.clone(),
                    width: v.width,
                    height: v.height,
                    format: v.format,
                    size: v.bytes.len() as u64,
                    checksum: checksum(&v.bytes),
                })
                .collect(),
        };
        let json = serde_json::to_vec_pretty(&manifest).expect("a manifest always serialises");
        self.write_atomically(&entry.join(MANIFEST), &json)
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
fn key(source: &[u8], name: &str, settings: &Settings) -> u64 {
    let mut h = hasher();
    source.hash(&mut h);
    Path::new(name).file_stem().hash(&mut h);
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
fn read(entry: &Path) -> Option<Processed> {
    let manifest: Manifest = serde_json::from_slice(&fs::read(entry.join(MANIFEST)).ok()?).ok()?;
    let mut variants = Vec::with_capacity(manifest.variants.len());
    for e in manifest.variants {
        let bytes = read_checked(&entry.join(&e.file_name), e.size, &e.checksum)?;
        variants.push(Variant {
            width: e.width,
            height: e.height,
            format: e.format,
            file_name: e.file_name,
            bytes,
        });
    }
    Some(Processed {
        width: manifest.width,
        height: manifest.height,
        variants,
    })
}

fn read_checked(path: &Path, size: u64, expected: &str) -> Option<Vec<u8>> {
    let bytes = fs::read(path).ok()?;
    (bytes.len() as u64 == size && checksum(&bytes) == expected).then_some(bytes)
}
