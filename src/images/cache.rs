//! The processed-image cache under `.kiosque-cache/images/`: one folder per source, holding
//! what it decodes to (`source.json`) and each file made of it with a small record of its
//! own, named after what made it (`w800-webp-q80.json`, `card-…-q80.json`). Files are kept
//! one by one, so adding a width or a format encodes only the new files, and a quality makes
//! its own. A record that is unreadable, or whose file is missing or fails its checksum, is
//! made again, never served. Entries are handed out as files, not bytes, so a site of
//! thousands of photos is copied (or linked) into the output without holding them in memory.

use std::fs::{self, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::variants::{self, Decoded};
use super::{Focal, Format, ImageError, Settings, Source, Variant};
use crate::fingerprint::{fingerprint, hasher};

/// A folder of processed images, keyed by the source's digest, size and name.
/// Its methods take `&self` and may run on many threads and processes at once: files are
/// written to temporary files and renamed into place, so a reader never sees half of one.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    encodes: AtomicUsize,
    temp_files: AtomicUsize,
}

/// A processed image: its upright dimensions and its files in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Width after EXIF orientation is applied.
    pub width: u32,
    /// Height after EXIF orientation is applied.
    pub height: u32,
    /// The format browsers without the others get: the source's (PNG for a GIF).
    pub fallback: Format,
    /// Variants by width, then in the order of [`Settings::formats`] with the fallback last.
    /// A re-encode not smaller than the source is left out (the source is the better file at
    /// that width), so this can be empty for a tiny, already well-compressed image.
    pub variants: Vec<StoredVariant>,
    /// The widest fallback when it was not smaller than the source, so not a variant: it is
    /// still what is published in the source's place, without its metadata.
    pub stand_in: Option<StoredVariant>,
    /// The social card, when asked for.
    pub card: Option<StoredVariant>,
}

/// One file in the cache.
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

/// `source.json`: what the source decodes to.
#[derive(Serialize, Deserialize)]
struct SourceRecord {
    width: u32,
    height: u32,
    fallback: Format,
}

/// The record of one file.
#[derive(Serialize, Deserialize)]
struct FileRecord {
    file_name: String,
    width: u32,
    height: u32,
    format: Format,
    size: u64,
    checksum: String,
}

const SOURCE: &str = "source.json";

/// Raised whenever the way files are made changes between releases (colour management came
/// in 2), so that no file made the old way is served.
const PROCESSING: u32 = 2;

/// One source being served from, and filled into, its folder.
struct Entry<'c> {
    cache: &'c Cache,
    dir: PathBuf,
    source: Source<'c>,
    name: &'c str,
    settings: &'c Settings,
    decoded: Option<Decoded>,
    /// Files made so far.
    made: usize,
}

impl Cache {
    /// A cache in `dir` (for a site, `<root>/.kiosque-cache/images/`), created on first write.
    pub fn open(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_owned(),
            encodes: AtomicUsize::new(0),
            temp_files: AtomicUsize::new(0),
        }
    }

    /// Every file of `source` that `settings` and `card` ask for: those the cache has (`true`
    /// when it had them all), the others made and stored. Making them decodes the source,
    /// applies its EXIF orientation and encodes pixels only, so no metadata reaches a file; the
    /// social card is cropped to 1200×630 around `card` and is exactly that size even from a
    /// smaller source (then upscaled), since that is what social sites expect.
    pub fn process(
        &self,
        source: Source<'_>,
        settings: &Settings,
        card: Option<Focal>,
    ) -> Result<(Stored, bool), ImageError> {
        let mut entry = self.entry(source, settings);
        let stored = entry.stored(card, true)?.expect("made when missing");
        Ok((stored, entry.made == 0))
    }

    /// The cached files, if the cache has every one; nothing is decoded or made.
    pub fn lookup(
        &self,
        source: Source<'_>,
        settings: &Settings,
        card: Option<Focal>,
    ) -> Option<Stored> {
        let mut entry = self.entry(source, settings);
        entry.stored(card, false).ok().flatten()
    }

    /// How many encodes this cache has run since it was opened; a build served from the
    /// cache runs none.
    pub fn encodes(&self) -> usize {
        self.encodes.load(Ordering::Relaxed)
    }

    fn entry<'c>(&'c self, source: Source<'c>, settings: &'c Settings) -> Entry<'c> {
        Entry {
            cache: self,
            dir: self.dir.join(format!("{:016x}", key(&source, settings))),
            source,
            name: source.name,
            settings,
            decoded: None,
            made: 0,
        }
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

impl Entry<'_> {
    /// Every file the settings and `card` ask for: from the folder, or, with `make`, made
    /// when missing or unsound; `None` when one is missing and `make` is off.
    fn stored(&mut self, card: Option<Focal>, make: bool) -> Result<Option<Stored>, ImageError> {
        let source = match read_json::<SourceRecord>(&self.dir.join(SOURCE)) {
            Some(record) => record,
            None if make => {
                let decoded = self.decoded()?;
                let (width, height) = decoded.size();
                let record = SourceRecord {
                    width,
                    height,
                    fallback: decoded.fallback,
                };
                self.write_json(SOURCE, &record)?;
                record
            }
            None => return Ok(None),
        };
        let quality = self.settings.quality;
        let mut files = Vec::new();
        for (width, formats) in variants::wanted(self.settings, source.width, source.fallback) {
            let labels: Vec<String> = formats.iter().map(|&f| label(width, f, quality)).collect();
            let found: Vec<Option<StoredVariant>> =
                labels.iter().map(|label| self.read(label)).collect();
            let missing: Vec<Format> = formats
                .iter()
                .zip(&found)
                .filter(|(_, found)| found.is_none())
                .map(|(format, _)| *format)
                .collect();
            if !missing.is_empty() && !make {
                return Ok(None);
            }
            let mut made = if missing.is_empty() {
                Vec::new()
            } else {
                let (name, quality) = (self.name, quality);
                self.decoded()?.at_width(width, &missing, quality, name)?
            }
            .into_iter();
            for (label, found) in labels.iter().zip(found) {
                match found {
                    Some(stored) => files.push(stored),
                    None => {
                        let variant = made.next().expect("one made per file missing");
                        files.push(self.write(label, &variant)?);
                    }
                }
            }
        }
        let card = match card {
            Some(focal) => {
                let (x, y) = focal.bits();
                let label = format!("card-{x:08x}-{y:08x}-q{quality}");
                match self.read(&label) {
                    Some(stored) => Some(stored),
                    None if make => {
                        let name = self.name;
                        let made = self.decoded()?.card(focal, quality, name)?;
                        Some(self.write(&label, &made)?)
                    }
                    None => return Ok(None),
                }
            }
            None => None,
        };
        let size = self.source.size;
        let (variants, stand_in) = variants::sort_out(files, source.fallback, |f| {
            (f.width, f.format, f.size < size)
        });
        Ok(Some(Stored {
            width: source.width,
            height: source.height,
            fallback: source.fallback,
            variants,
            stand_in,
            card,
        }))
    }

    /// The source decoded, once, when a file has to be made.
    fn decoded(&mut self) -> Result<&Decoded, ImageError> {
        if self.decoded.is_none() {
            let bytes = self.source.read()?;
            self.decoded = Some(Decoded::new(&bytes, self.name, self.settings)?);
        }
        Ok(self.decoded.as_ref().expect("just decoded"))
    }

    /// The file recorded under `label`, if its record parses and it has its size and
    /// checksum.
    fn read(&self, label: &str) -> Option<StoredVariant> {
        let record: FileRecord = read_json(&self.dir.join(format!("{label}.json")))?;
        let path = self.dir.join(&record.file_name);
        let bytes = fs::read(&path).ok()?;
        if bytes.len() as u64 != record.size || checksum(&bytes) != record.checksum {
            return None;
        }
        Some(StoredVariant {
            width: record.width,
            height: record.height,
            format: record.format,
            file_name: record.file_name,
            path,
            size: record.size,
        })
    }

    /// Stores a file made, then its record under `label`.
    fn write(&mut self, label: &str, variant: &Variant) -> Result<StoredVariant, ImageError> {
        self.made += 1;
        self.cache.encodes.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(&variant.file_name);
        self.cache.write_atomically(&path, &variant.bytes)?;
        let record = FileRecord {
            file_name: variant.file_name.clone(),
            width: variant.width,
            height: variant.height,
            format: variant.format,
            size: variant.bytes.len() as u64,
            checksum: checksum(&variant.bytes),
        };
        self.write_json(&format!("{label}.json"), &record)?;
        Ok(StoredVariant {
            width: variant.width,
            height: variant.height,
            format: variant.format,
            file_name: variant.file_name.clone(),
            path,
            size: variant.bytes.len() as u64,
        })
    }

    fn write_json(&self, name: &str, value: &impl Serialize) -> Result<(), ImageError> {
        fs::create_dir_all(&self.dir).map_err(|source| ImageError::Cache {
            path: self.dir.clone(),
            source,
        })?;
        let json = serde_json::to_vec_pretty(value).expect("a record always serialises");
        self.cache.write_atomically(&self.dir.join(name), &json)
    }
}

/// The folder's key: the source's digest and size, its name (the files are named after it),
/// the pixel budget (whether it decodes at all) and this crate's version (encoders change
/// between versions). Widths, formats and quality are in each file's label instead.
fn key(source: &Source<'_>, settings: &Settings) -> u64 {
    let mut h = hasher();
    (source.digest, source.size).hash(&mut h);
    Path::new(source.name).file_stem().hash(&mut h);
    (settings.max_pixels, env!("CARGO_PKG_VERSION"), PROCESSING).hash(&mut h);
    h.finish()
}

/// The record name of a variant: its width, format and, for a lossy one, quality (a PNG is
/// the same at any quality, so a new quality does not make it again).
fn label(width: u32, format: Format, quality: u8) -> String {
    match format {
        Format::Png => format!("w{width}-png"),
        _ => format!("w{width}-{}-q{quality}", format.extension()),
    }
}

fn checksum(bytes: &[u8]) -> String {
    format!("{:016x}", fingerprint(bytes))
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_slice(&fs::read(path).ok()?).ok()
}
