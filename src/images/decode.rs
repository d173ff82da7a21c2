//! Decoding: the real format checked against the extension, the header's dimensions against
//! the pixel budget before any pixel is decoded, then pixels turned upright (EXIF orientation).

use std::io::Cursor;
use std::path::Path;

use image::error::{DecodingError, ImageFormatHint};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{Format, ImageError, Settings};

/// The decoder format `name`'s extension stands for, if Kiosque processes it.
pub(crate) fn format_of_name(name: &str) -> Option<ImageFormat> {
    let extension = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        "gif" => Some(ImageFormat::Gif),
        _ => None,
    }
}

/// The fallback format for a source format: the same, except GIF whose first frame becomes a
/// PNG (we do not encode animations).
pub(crate) fn fallback_format(format: ImageFormat) -> Format {
    match format {
        ImageFormat::Jpeg => Format::Jpeg,
        ImageFormat::WebP => Format::WebP,
        _ => Format::Png,
    }
}

/// Decodes `source`, upright, metadata left behind. Returns the pixels and the source format.
pub(crate) fn decode(
    source: &[u8],
    name: &str,
    settings: &Settings,
) -> Result<(DynamicImage, ImageFormat), ImageError> {
    let format = format_of_name(name).ok_or_else(|| ImageError::Unsupported {
        name: name.to_owned(),
        found: Path::new(name)
            .extension()
            .map_or("no extension".to_owned(), |e| {
                e.to_string_lossy().into_owned()
            }),
    })?;
    // Garbage matching no signature is left to the decoder, which says what is wrong with it.
    if let Ok(content) = image::guess_format(source)
        && content != format
    {
        return Err(ImageError::Mismatch {
            name: name.to_owned(),
            extension: format!("{format:?}"),
            content: format!("{content:?}"),
        });
    }
    let corrupt = |source| ImageError::Corrupt {
        name: name.to_owned(),
        source,
    };
    let mut reader = ImageReader::with_format(Cursor::new(source), format);
    reader.limits(limits(settings.max_pixels));
    let mut decoder = reader.into_decoder().map_err(|e| classify(e, name))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > settings.max_pixels {
        return Err(ImageError::TooManyPixels {
            name: name.to_owned(),
            width,
            height,
            max: settings.max_pixels,
        });
    }
    if width == 0 || height == 0 {
        return Err(corrupt(image::ImageError::Decoding(DecodingError::new(
            ImageFormatHint::Exact(format),
            "the header says it has no pixels",
        ))));
    }
    if is_animated(source, format) {
        return Err(ImageError::Animated {
            name: name.to_owned(),
        });
    }
    // Checked once the header is known good, so garbage gets the decoder's own diagnosis.
    if format == ImageFormat::Jpeg && !jpeg_is_complete(source) {
        return Err(corrupt(image::ImageError::Decoding(DecodingError::new(
            ImageFormatHint::Exact(format),
            "truncated: no end-of-image marker after the scan",
        ))));
    }
    let orientation = decoder.orientation().map_err(corrupt)?;
    // An unreadable profile is treated as none: the pixels are then taken as sRGB.
    let profile = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, name))?;
    image.apply_orientation(orientation);
    if let Some(profile) = profile {
        image = to_srgb(image, &profile);
    }
    Ok((image, format))
}

/// The pixels converted from the colour space `icc` describes to sRGB. The profile is not kept
/// with the variants (metadata never is): a phone's Display P3 photo would otherwise show
/// dull on the web. Anything moxcms cannot convert (a grey or CMYK profile) is left as it is.
fn to_srgb(image: DynamicImage, icc: &[u8]) -> DynamicImage {
    use moxcms::{ColorProfile, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return image;
    };
    let srgb = ColorProfile::new_srgb();
    let alpha = image.color().has_alpha();
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let Ok(transform) =
        profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return image;
    };
    let (width, height) = (image.width(), image.height());
    let source = if alpha {
        image.to_rgba8().into_raw()
    } else {
        image.to_rgb8().into_raw()
    };
    let mut converted = vec![0; source.len()];
    if transform.transform(&source, &mut converted).is_err() {
        return image;
    }
    let converted = if alpha {
        image::RgbaImage::from_raw(width, height, converted).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(width, height, converted).map(DynamicImage::ImageRgb8)
    };
    converted.unwrap_or(image)
}

/// Whether a GIF or WebP has more than one frame: an animation, which a still variant would
/// break. A file that cannot be read as one is left to the decoder to diagnose.
fn is_animated(source: &[u8], format: ImageFormat) -> bool {
    use image::AnimationDecoder;
    match format {
        ImageFormat::Gif => image::codecs::gif::GifDecoder::new(Cursor::new(source))
            .is_ok_and(|decoder| decoder.into_frames().take(2).count() > 1),
        ImageFormat::WebP => image::codecs::webp::WebPDecoder::new(Cursor::new(source))
            .is_ok_and(|decoder| decoder.has_animation()),
        _ => false,
    }
}

/// The decoder's own limits, a second line behind the header check: no side may exceed the
/// budget, and no allocation may exceed the budget at 8 bytes a pixel (16-bit RGBA).
fn limits(max_pixels: u64) -> Limits {
    let mut limits = Limits::default();
    let side = u32::try_from(max_pixels).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    limits
}

/// Whether a JPEG has its end-of-image marker after the first scan. The JPEG decoder accepts a
/// truncated file and fills the missing rows with grey, which would publish a broken photo.
/// Markers are walked up to the first scan (an EXIF thumbnail before it has its own EOI);
/// after it, `FF D9` can only be the EOI, since the entropy-coded data stuffs every `FF`.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        match bytes[i + 1] {
            0xDA => return bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9]),
            // Fill bytes and markers without a length.
            0xFF => i += 1,
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => i += 2 + usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]])),
        }
    }
    false
}

/// Limit errors are the memory budget; anything else is bad data.
fn classify(error: image::ImageError, name: &str) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::OverMemoryBudget {
            name: name.to_owned(),
            source: error,
        },
        _ => ImageError::Corrupt {
            name: name.to_owned(),
            source: error,
        },
    }
}
