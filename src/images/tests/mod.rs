//! Unit tests of the image core, on tiny images generated here.

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, ImageFormat, ImageReader, RgbImage};

use super::*;

mod cache;

/// What the cache makes of a source, each file read back.
#[derive(Debug)]
struct Processed {
    width: u32,
    height: u32,
    fallback: Format,
    variants: Vec<Variant>,
    stand_in: Option<Variant>,
    card: Option<Variant>,
}

/// [`Cache::process`] in a fresh cache, its files read back.
fn process(
    source: &[u8],
    name: &str,
    settings: &Settings,
    card: Option<Focal>,
) -> Result<Processed, ImageError> {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let (stored, hit) = cache.process(Source::in_memory(name, source), settings, card)?;
    assert!(!hit);
    let read = |v: &StoredVariant| Variant {
        width: v.width,
        height: v.height,
        format: v.format,
        file_name: v.file_name.clone(),
        bytes: std::fs::read(&v.path).unwrap(),
    };
    Ok(Processed {
        width: stored.width,
        height: stored.height,
        fallback: stored.fallback,
        variants: stored.variants.iter().map(read).collect(),
        stand_in: stored.stand_in.as_ref().map(read),
        card: stored.card.as_ref().map(read),
    })
}

/// A noisy-ish gradient, so encoders have something real to compress.
fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 31;
        image::Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            (n * 8) as u8,
        ])
    })
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 98)
        .write_image(
            photo(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    photo(width, height)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

fn decoded_size(variant: &Variant) -> (u32, u32) {
    let format = match variant.format {
        Format::WebP => ImageFormat::WebP,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        // No AVIF decoder is built in; the container's `ispe` box gives the size.
        Format::Avif => {
            let size = imagesize::blob_size(&variant.bytes).unwrap();
            return (size.width as u32, size.height as u32);
        }
    };
    let image = ImageReader::with_format(Cursor::new(&variant.bytes), format)
        .decode()
        .unwrap();
    (image.width(), image.height())
}

fn settings(widths: &[u32]) -> Settings {
    Settings {
        widths: widths.to_vec(),
        ..Settings::default()
    }
}

#[test]
fn variants_have_the_stated_widths_keep_the_ratio_and_are_smaller() {
    let source = jpeg(300, 200);
    let processed = process(
        &source,
        "photos/street.jpg",
        &settings(&[100, 200, 400]),
        None,
    )
    .unwrap();
    assert_eq!((processed.width, processed.height), (300, 200));
    let got: Vec<(u32, Format)> = processed
        .variants
        .iter()
        .map(|v| (v.width, v.format))
        .collect();
    // 400 is capped at the original's 300: never upscaled.
    let mut expected = Vec::new();
    for w in [100, 200, 300] {
        expected.extend([(w, Format::WebP), (w, Format::Jpeg)]);
    }
    assert_eq!(got, expected);
    for v in &processed.variants {
        assert_eq!(decoded_size(v), (v.width, v.height), "{}", v.file_name);
        assert_eq!(
            v.height,
            (f64::from(v.width) * 2.0 / 3.0).round() as u32,
            "{}",
            v.file_name
        );
        assert!(
            v.bytes.len() < source.len(),
            "{} is {} bytes",
            v.file_name,
            v.bytes.len()
        );
        let hash = &v.file_name[format!("street-{}.", v.width).len()..][..8];
        assert!(
            hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{}",
            v.file_name
        );
        assert!(v.file_name.ends_with(&format!(".{}", v.format.extension())));
    }
}

#[test]
fn avif_is_encoded_on_request() {
    let source = jpeg(96, 64);
    let settings = Settings {
        formats: vec![Format::Avif, Format::WebP],
        ..settings(&[48])
    };
    let processed = process(&source, "a.jpg", &settings, None).unwrap();
    let avif = processed
        .variants
        .iter()
        .find(|v| v.format == Format::Avif)
        .unwrap();
    assert_eq!(&avif.bytes[4..12], b"ftypavif");
    assert_eq!(decoded_size(avif), (48, 32));
    assert!(avif.file_name.ends_with(".avif") && avif.bytes.len() < source.len());
}

#[test]
fn a_re_encode_not_smaller_than_the_source_is_dropped() {
    // A PNG from the same encoder at the same settings: its PNG re-encode is the same size.
    let mut source = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut source,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(photo(2, 2).as_raw(), 2, 2, image::ExtendedColorType::Rgb8)
    .unwrap();
    let processed = process(&source, "dot.png", &settings(&[480]), None).unwrap();
    assert!(
        processed
            .variants
            .iter()
            .all(|v| v.bytes.len() < source.len() && v.format != Format::Png),
        "{processed:?}"
    );
    // The PNG, not smaller, is no variant but still stands in for the source.
    let stand_in = processed.stand_in.expect("a stand-in");
    assert_eq!((stand_in.format, stand_in.width), (Format::Png, 2));
    assert!(stand_in.bytes.len() >= source.len());
}

#[test]
fn widths_are_capped_at_the_original_and_deduplicated() {
    assert_eq!(
        variants::widths(&[480, 800, 1200, 1600], 900),
        [480, 800, 900]
    );
    assert_eq!(variants::widths(&[480, 800], 300), [300]);
}

#[test]
fn a_png_falls_back_to_png_and_a_gif_to_png() {
    let processed = process(&png(120, 80), "chart.png", &settings(&[60]), None).unwrap();
    assert!(processed.variants.iter().all(|v| v.width == 60));
    assert!(processed.variants.iter().any(|v| v.format == Format::WebP));
    let mut gif = Vec::new();
    image::DynamicImage::ImageRgb8(photo(40, 30))
        .write_to(&mut Cursor::new(&mut gif), ImageFormat::Gif)
        .unwrap();
    let processed = process(&gif, "still.gif", &settings(&[20]), None).unwrap();
    assert_eq!((processed.width, processed.height), (40, 30));
    assert_eq!(processed.fallback, Format::Png);
    assert!(processed.variants.iter().all(|v| v.format != Format::Jpeg));
}

#[test]
fn an_animated_gif_is_left_as_it_is() {
    use image::codecs::gif::GifEncoder;
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        for shade in [0u8, 255] {
            let frame = image::RgbaImage::from_pixel(8, 8, image::Rgba([shade, 0, 0, 255]));
            encoder.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    let error = process(&gif, "anim.gif", &settings(&[4]), None).unwrap_err();
    assert!(matches!(error, ImageError::Animated { .. }), "{error}");
}

/// An APP1 Exif segment: orientation 6 (rotate 90° clockwise) and a GPS IFD with a latitude.
fn exif_app1() -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend([0, 2]); // IFD0: two entries
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPSInfo IFD at 38
    tiff.extend([0, 0, 0, 0]); // no next IFD
    tiff.extend([0, 1]); // GPS IFD: one entry
    tiff.extend([0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]); // GPSLatitudeRef = "N"
    tiff.extend([0, 0, 0, 0]);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    segment.extend(payload);
    segment
}

/// Whether a JPEG has an APP1 (Exif/XMP) segment before its scan.
fn jpeg_has_app1(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        if marker == 0xE1 {
            return true;
        }
        if marker == 0xDA {
            return false;
        }
        i += 2 + usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
    }
    false
}

#[test]
fn exif_orientation_is_applied_and_all_metadata_stripped() {
    let plain = jpeg(120, 60);
    let mut source = plain[..2].to_vec();
    source.extend(exif_app1());
    source.extend(&plain[2..]);
    assert!(jpeg_has_app1(&source));
    let processed = process(&source, "gps.jpg", &settings(&[30, 60]), None).unwrap();
    assert_eq!(
        (processed.width, processed.height),
        (60, 120),
        "rotated upright"
    );
    assert!(!processed.variants.is_empty());
    for v in &processed.variants {
        assert_eq!(decoded_size(v), (v.width, v.width * 2), "{}", v.file_name);
        let has = |needle: &[u8]| v.bytes.windows(needle.len()).any(|w| w == needle);
        assert!(
            !has(b"Exif") && !has(b"EXIF") && !has(b"MM\0\x2a"),
            "{} keeps EXIF",
            v.file_name
        );
        if v.format == Format::Jpeg {
            assert!(!jpeg_has_app1(&v.bytes), "{}", v.file_name);
        }
    }
}

/// A PNG whose header claims `width` × `height`, followed by an empty IDAT: tiny on disk.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut crc_input = kind.to_vec();
        crc_input.extend(data);
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend(&crc_input);
        out.extend(crc32(&crc_input).to_be_bytes());
        out
    }
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]); // 8-bit RGBA
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0, 0, 0, 0, 1]));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = png_claiming(50_000, 50_000);
    assert!(bomb.len() < 100);
    let start = Instant::now();
    let error = process(&bomb, "bomb.png", &Settings::default(), None).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );
    assert!(
        matches!(
            error,
            ImageError::TooManyPixels {
                width: 50_000,
                height: 50_000,
                max: 50_000_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("bomb.png"));
}

#[test]
fn a_truncated_jpeg_is_corrupt() {
    let source = jpeg(64, 64);
    // Cut in the scan (which the decoder would fill with grey) and in the headers.
    for cut in [source.len() / 3, 100] {
        let error = process(&source[..cut], "cut.jpg", &Settings::default(), None).unwrap_err();
        assert!(
            matches!(error, ImageError::Corrupt { .. }),
            "{cut}: {error:?}"
        );
        assert!(std::error::Error::source(&error).is_some());
    }
}

#[test]
fn garbage_is_corrupt() {
    let error = process(
        b"not an image at all, just words",
        "noise.jpg",
        &Settings::default(),
        None,
    )
    .unwrap_err();
    assert!(
        matches!(error, ImageError::Corrupt { ref name, .. } if name == "noise.jpg"),
        "{error:?}"
    );
}

#[test]
fn png_bytes_named_jpg_are_a_mismatch() {
    let error = process(&png(10, 10), "photo.jpg", &Settings::default(), None).unwrap_err();
    assert!(matches!(error, ImageError::Mismatch { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "photo.jpg: the extension says Jpeg but the content is Png"
    );
}

#[test]
fn svg_and_unknown_extensions_are_not_processable() {
    assert!(is_processable("a/b.JPG") && is_processable("x.webp") && is_processable("y.gif"));
    assert!(!is_processable("logo.svg") && !is_processable("README"));
    let error = process(b"<svg/>", "logo.svg", &Settings::default(), None).unwrap_err();
    assert!(matches!(error, ImageError::Unsupported { .. }), "{error:?}");
}

#[test]
fn the_social_card_is_1200_by_630() {
    for (w, h, focal) in [
        (400, 400, (0.5, 0.5)),
        (2000, 500, (0.9, 0.1)),
        (100, 300, (0.0, 1.0)),
    ] {
        let focal = Focal {
            x: focal.0,
            y: focal.1,
        };
        let processed = process(&jpeg(w, h), "hero.jpg", &settings(&[60]), Some(focal)).unwrap();
        let card = processed.card.unwrap();
        assert_eq!(
            (card.width, card.height, card.format),
            (1200, 630, Format::Jpeg)
        );
        assert_eq!(decoded_size(&card), (1200, 630));
        assert!(card.file_name.starts_with("hero-card.") && card.file_name.ends_with(".jpg"));
    }
}

#[test]
fn a_display_p3_photo_is_converted_to_srgb() {
    // The same pixels, once untagged (taken as sRGB) and once tagged Display P3.
    let pixels = image::RgbImage::from_pixel(4, 4, image::Rgb([40, 200, 60]));
    let encode = |icc: Option<Vec<u8>>| {
        let mut png = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
        if let Some(icc) = icc {
            encoder.set_icc_profile(icc).unwrap();
        }
        encoder
            .write_image(pixels.as_raw(), 4, 4, image::ExtendedColorType::Rgb8)
            .unwrap();
        png
    };
    let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let pixel = |png: &[u8]| {
        let mut plain = settings(&[4]);
        plain.formats.clear();
        let processed = process(png, "p.png", &plain, None).unwrap();
        let file = processed
            .variants
            .iter()
            .chain(&processed.stand_in)
            .next()
            .unwrap();
        let decoded = image::load_from_memory(&file.bytes).unwrap().to_rgb8();
        decoded.get_pixel(1, 1).0
    };
    assert_eq!(pixel(&encode(None)), [40, 200, 60], "sRGB is left as it is");
    // P3's green is more saturated than sRGB's: the same colour in sRGB has less red and
    // blue (clipped at the gamut's edge) and more green.
    let [r, g, b] = pixel(&encode(Some(p3)));
    assert!(r < 20 && g > 200 && b < 40, "{:?}", [r, g, b]);
}
