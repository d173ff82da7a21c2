//! From decoded pixels to named variants: which widths (never upscaled), which formats (the
//! original's as fallback), which encodes to keep (only those smaller than the source), and
//! the social card's crop.

use super::decode::{decode, fallback_format};
use super::encode::{Pixels, encode};
use super::{Focal, Format, ImageError, Settings, Variant};
use crate::fingerprint::fingerprint;

/// Social cards are 1200×630, the size Facebook, LinkedIn and X recommend for `og:image`.
const CARD: (u32, u32) = (1200, 630);

/// A source decoded once, upright, that its files are made from one by one: the cache
/// makes only those it lacks.
pub(crate) struct Decoded {
    pixels: Pixels,
    /// See [`super::Stored::fallback`].
    pub(crate) fallback: Format,
}

impl Decoded {
    /// Decodes `source` (see [`decode`]).
    pub(crate) fn new(source: &[u8], name: &str, settings: &Settings) -> Result<Self, ImageError> {
        let (image, source_format) = decode(source, name, settings)?;
        Ok(Decoded {
            pixels: Pixels::from_image(image),
            fallback: fallback_format(source_format),
        })
    }

    /// Width and height, upright.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.pixels.width, self.pixels.height)
    }

    /// The variants `width` pixels wide in each of `formats`, resized once.
    pub(crate) fn at_width(
        &self,
        width: u32,
        formats: &[Format],
        quality: u8,
        name: &str,
    ) -> Result<Vec<Variant>, ImageError> {
        let (source_width, source_height) = self.size();
        let height = scaled_height(source_width, source_height, width);
        let resized;
        let scaled = if width == source_width {
            &self.pixels
        } else {
            resized = self.pixels.resize(width, height, None);
            &resized
        };
        let encode = |&format| {
            let bytes = encode(scaled, format, quality, name)?;
            Ok(variant(
                name,
                &width.to_string(),
                (width, height),
                format,
                bytes,
            ))
        };
        formats.iter().map(encode).collect()
    }

    /// The social card: cropped to 1200×630 around `focal`, as JPEG.
    pub(crate) fn card(
        &self,
        focal: Focal,
        quality: u8,
        name: &str,
    ) -> Result<Variant, ImageError> {
        let (width, height) = self.size();
        let crop = card_crop(width, height, focal);
        let card = self.pixels.resize(CARD.0, CARD.1, Some(crop));
        let bytes = encode(&card, Format::Jpeg, quality, name)?;
        Ok(variant(name, "card", CARD, Format::Jpeg, bytes))
    }
}

/// The files an image `width` pixels wide gets: by width, the formats to encode it in.
pub(crate) fn wanted(settings: &Settings, width: u32, fallback: Format) -> Vec<(u32, Vec<Format>)> {
    let formats = formats(&settings.formats, fallback);
    let widths = widths(&settings.widths, width).into_iter();
    widths.map(|width| (width, formats.clone())).collect()
}

/// Sorts files made into those worth serving instead of the source (`smaller` than it) and
/// the stand-in: the widest in the fallback format when it is not smaller, kept all the same
/// since it is published in the source's place, whose metadata must not be. Files come by
/// width, then format.
pub(crate) fn sort_out<T>(
    files: Vec<T>,
    fallback: Format,
    key: impl Fn(&T) -> (u32, Format, bool),
) -> (Vec<T>, Option<T>) {
    let widest = files.iter().map(|f| key(f).0).max();
    let mut kept = Vec::with_capacity(files.len());
    let mut stand_in = None;
    for file in files {
        let (width, format, smaller) = key(&file);
        if smaller {
            kept.push(file);
        } else if format == fallback && Some(width) == widest {
            stand_in = Some(file);
        }
    }
    (kept, stand_in)
}

/// The widths to make for an image `original` pixels wide: each preset, capped at the
/// original's width, deduplicated and sorted.
pub(crate) fn widths(presets: &[u32], original: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = presets
        .iter()
        .map(|&w| w.min(original))
        .filter(|&w| w > 0)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// The requested formats, then the fallback, each once.
fn formats(requested: &[Format], fallback: Format) -> Vec<Format> {
    let mut formats = Vec::new();
    for &format in requested.iter().chain([&fallback]) {
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    formats
}

/// The height keeping the aspect ratio, rounded, at least one pixel.
fn scaled_height(width: u32, height: u32, target_width: u32) -> u32 {
    let scaled =
        (u64::from(height) * u64::from(target_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// The largest area of the card's aspect ratio in a `width` × `height` image, centred on
/// `focal` as far as the edges allow: `[left, top, width, height]`.
fn card_crop(width: u32, height: u32, focal: Focal) -> [f64; 4] {
    let (w, h) = (f64::from(width), f64::from(height));
    let ratio = f64::from(CARD.0) / f64::from(CARD.1);
    let (crop_w, crop_h) = if w / h > ratio {
        (h * ratio, h)
    } else {
        (w, w / ratio)
    };
    let fx = f64::from(focal.x.clamp(0.0, 1.0));
    let fy = f64::from(focal.y.clamp(0.0, 1.0));
    let left = (fx * w - crop_w / 2.0).clamp(0.0, w - crop_w);
    let top = (fy * h - crop_h / 2.0).clamp(0.0, h - crop_h);
    [left, top, crop_w, crop_h]
}

/// A variant named `<stem>-<label>.<hash8>.<ext>` (the stem slugged, the label its width or
/// `card`), the hash over its bytes.
fn variant(
    name: &str,
    label: &str,
    (width, height): (u32, u32),
    format: Format,
    bytes: Vec<u8>,
) -> Variant {
    // Slugged: the name goes into `srcset`, where a space would split it.
    let stem = std::path::Path::new(name)
        .file_stem()
        .map(|s| crate::slug::slugify(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "image".into());
    let hash = format!("{:016x}", fingerprint(&bytes[..]));
    let file_name = format!("{stem}-{label}.{}.{}", &hash[..8], format.extension());
    Variant {
        width,
        height,
        format,
        file_name,
        bytes,
    }
}
