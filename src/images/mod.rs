//! Image processing core: one source image in, its resized, re-encoded, metadata-free variants
//! out, through a content-keyed cache ([`Cache::process`]): decoding with the EXIF orientation
//! applied (`decode`), widths and the social card's crop (`variants`), encoders (`encode`). Deciding which images a site needs, naming URLs
//! and writing `srcset` is left to the images stage of the build and to render.

mod cache;
mod decode;
mod encode;
#[cfg(test)]
mod tests;
mod variants;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use cache::{Cache, Stored, StoredVariant};

/// A source image as the cache sees it: what identifies its bytes, and where they are, read
/// only when a file has to be made (a build served from the cache reads no photo).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Its name, for its extension, its files' names and messages (`static/images/a.jpg`).
    pub name: &'a str,
    /// A hash of its bytes.
    pub digest: u64,
    /// Its size in bytes.
    pub size: u64,
    /// Its bytes.
    pub bytes: Bytes<'a>,
}

/// Where a source's bytes are.
#[derive(Debug, Clone, Copy)]
pub enum Bytes<'a> {
    /// In memory.
    InMemory(&'a [u8]),
    /// In a file.
    File(&'a Path),
}

impl<'a> Source<'a> {
    /// A source held in memory.
    pub fn in_memory(name: &'a str, bytes: &'a [u8]) -> Self {
        Source {
            name,
            digest: crate::fingerprint::fingerprint(bytes),
            size: bytes.len() as u64,
            bytes: Bytes::InMemory(bytes),
        }
    }

    /// Its bytes.
    pub(crate) fn read(&self) -> Result<Cow<'a, [u8]>, ImageError> {
        match self.bytes {
            Bytes::InMemory(bytes) => Ok(Cow::Borrowed(bytes)),
            Bytes::File(path) => fs_read(path).map(Cow::Owned),
        }
    }
}

fn fs_read(path: &Path) -> Result<Vec<u8>, ImageError> {
    std::fs::read(path).map_err(|source| ImageError::Read {
        path: path.to_owned(),
        source,
    })
}

/// How images are processed. The cache keeps each file under the width, format and quality
/// that made it, so a change makes only the files it adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Target widths in pixels. Never upscaled: a width over the original's is replaced by the
    /// original's own width (a 900-px photo gets 480, 680 and 900).
    pub widths: Vec<u32>,
    /// Quality of the lossy encoders (WebP, JPEG), 0–100.
    pub quality: u8,
    /// Formats to encode every width in. The original's own format (PNG for a GIF) is always
    /// added as the fallback for browsers without the others.
    pub formats: Vec<Format>,
    /// Decompression-bomb budget: an image whose header claims more pixels is refused before
    /// any pixel is decoded.
    pub max_pixels: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            // A browser takes the narrowest file at least as wide as the image is shown in
            // device pixels, and every pixel over is downloaded for nothing: 680 fits a phone
            // of 412 CSS px at 1.75 dppx (665 px; Lighthouse's Moto G), 960 one at 2.625 dppx
            // (940), 1200 one at 3 dppx (1074), 1600 a 56rem column at 2 dppx.
            widths: vec![480, 680, 960, 1200, 1600],
            quality: 80,
            formats: vec![Format::WebP],
            max_pixels: 50_000_000,
        }
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Lossy WebP (libwebp).
    WebP,
    /// Baseline JPEG, no alpha.
    Jpeg,
    /// Lossless PNG.
    Png,
    /// AVIF (AV1, rav1e through ravif): the smallest files, but encodes tens of times slower
    /// than WebP, so it is opt-in.
    Avif,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::WebP => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Avif => "avif",
        }
    }
}

/// One encoded variant of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Encoding of `bytes`.
    pub format: Format,
    /// Content-hashed name, `<stem>-<width>.<hash8>.<ext>`, so hosts can cache it forever.
    pub file_name: String,
    /// The encoded file.
    pub bytes: Vec<u8>,
}

/// Where the social card is centred, as fractions of the width and height: `(0.5, 0.5)` is
/// the centre.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Focal {
    /// From the left edge, 0 to 1.
    pub x: f32,
    /// From the top edge, 0 to 1.
    pub y: f32,
}

impl Focal {
    /// The centre of the image.
    pub const CENTRE: Focal = Focal { x: 0.5, y: 0.5 };

    /// Bits that identify it, for hashing and comparing.
    pub(crate) fn bits(self) -> (u32, u32) {
        (self.x.to_bits(), self.y.to_bits())
    }
}

/// Why an image could not be processed. Each names the image.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Not a raster format Kiosque processes (SVG, unknown extension): copy it as it is.
    #[error("{name}: not a processable image format ({found})")]
    Unsupported {
        /// The image's name.
        name: String,
        /// The extension or format found.
        found: String,
    },
    /// An animated GIF or WebP: left as it is, since its variants would be still.
    #[error("{name}: animated, left as it is")]
    Animated {
        /// The image's name.
        name: String,
    },
    /// The content is a different format from what the extension says.
    #[error("{name}: the extension says {extension} but the content is {content}")]
    Mismatch {
        /// The image's name.
        name: String,
        /// Format the extension names.
        extension: String,
        /// Format the content actually is.
        content: String,
    },
    /// The header claims more pixels than [`Settings::max_pixels`] (a decompression bomb).
    #[error("{name}: {width}×{height} pixels is over the budget of {max} pixels")]
    TooManyPixels {
        /// The image's name.
        name: String,
        /// Width the header claims.
        width: u32,
        /// Height the header claims.
        height: u32,
        /// The budget.
        max: u64,
    },
    /// Decoding would need more memory than the budget allows.
    #[error("{name}: too large to decode within the memory budget")]
    OverMemoryBudget {
        /// The image's name.
        name: String,
        /// The decoder's limit error.
        #[source]
        source: image::ImageError,
    },
    /// Corrupt or truncated data.
    #[error("{name}: corrupt or truncated image")]
    Corrupt {
        /// The image's name.
        name: String,
        /// The decoder's error.
        #[source]
        source: image::ImageError,
    },
    /// An encoder failed.
    #[error("{name}: could not encode it as {format:?}")]
    Encode {
        /// The image's name.
        name: String,
        /// The format being encoded.
        format: Format,
        /// The encoder's error (libwebp's, which has no `Error` impl, as its message).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The source could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Reading or writing the cache failed.
    #[error("image cache {}", path.display())]
    Cache {
        /// The file concerned.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The format `name`'s extension says, among those [`process`] writes (a GIF's is none).
pub fn format_of(name: &str) -> Option<Format> {
    match decode::format_of_name(name)? {
        image::ImageFormat::Jpeg => Some(Format::Jpeg),
        image::ImageFormat::Png => Some(Format::Png),
        image::ImageFormat::WebP => Some(Format::WebP),
        _ => None,
    }
}

/// Whether `name`'s extension is a raster format [`process`] handles (JPEG, PNG, WebP, GIF).
/// Anything else, SVG included, is copied as it is.
pub fn is_processable(name: &str) -> bool {
    decode::format_of_name(name).is_some()
}
