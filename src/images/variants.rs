//! From decoded pixels to named variants: which widths (never upscaled), which formats (the
//! original's as fallback), which encodes to keep (only those smaller than the source), and
//! the social card's crop.

use super::decode::{decode, fallback_format};
use super::encode::{Pixels, encode};
use super::{Focal, Format, ImageError, Processed, Settings, Variant};
use crate::fingerprint::fingerprint;

/// Social cards are 1200×630, the size Facebook, LinkedIn and X recommend for `og:image`.
const CARD: (u32, u32) = (1200, 630);

/// [`super::process`], adding the number of encodes done to `encodes`.
pub(crate) fn process(
    source: &[u8],
    name: &str,
    settings: &Settings,
    card: Option<Focal>,
    encodes: &mut usize,
) -> Result<Processed, ImageError> {
    let (image, source_format) = decode(source, name, settings)?;
    let pixels = Pixels::from_image(image);
    let (width, height) = (pixels.width, pixels.height);
    let fallback = fallback_format(source_format);
    let widths = widths(&settings.widths, width);
    let largest = widths.last().copied();
    let mut variants = Vec::new();
    let mut stand_in = None;
    for target_width in widths {
        let target_height = scaled_height(width, height, target_width);
        let resized;
        let scaled = if target_width == width {
            &pixels
        } else {
            resized = pixels.resize(target_width, target_height, None);
            &resized
        };
        for format in formats(&settings.formats, fallback) {
            let bytes = encode(scaled, format, settings.quality, name)?;
            *encodes += 1;
            let made = variant(name, target_width, target_height, format, bytes);
            // A variant must be worth serving instead of the source. The widest in the
            // fallback format is kept even when it is not: it stands in for the source,
            // whose metadata must not be published.
            if made.bytes.len() < source.len() {
                variants.push(made);
            } else if format == fallback && Some(target_width) == largest {
                stand_in = Some(made);
            }
        }
    }
    let card = match card {
        Some(focal) => {
            let crop = card_crop(width, height, focal);
            let card = pixels.resize(CARD.0, CARD.1, Some(crop));
            let bytes = encode(&card, Format::Jpeg, settings.quality, name)?;
            *encodes += 1;
            let mut card = variant(name, CARD.0, CARD.1, Format::Jpeg, bytes);
            card.file_name = card
                .file_name
                .replacen(&format!("-{}.", CARD.0), "-card.", 1);
            Some(card)
        }
        None => None,
    };
    Ok(Processed {
        width,
        height,
        fallback,
        variants,
        stand_in,
        card,
    })
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

/// A variant named `<stem>-<width>.<hash8>.<ext>` (the stem slugged), the hash over its bytes.
fn variant(name: &str, width: u32, height: u32, format: Format, bytes: Vec<u8>) -> Variant {
    // Slugged: the name goes into `srcset`, where a space would split it.
    let stem = std::path::Path::new(name)
        .file_stem()
        .map(|s| crate::slug::slugify(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "image".into());
    let hash = format!("{:016x}", fingerprint(&bytes[..]));
    let file_name = format!("{stem}-{width}.{}.{}", &hash[..8], format.extension());
    Variant {
        width,
        height,
        format,
        file_name,
        bytes,
    }
}
