//! Encoding and resizing of plain pixel buffers. Encoders are given pixels only, so no
//! metadata (EXIF, GPS, XMP, ICC) of the source can reach their output.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, PngEncoder};
use image::{DynamicImage, ExtendedColorType, ImageEncoder};

use super::{Format, ImageError};

/// 8-bit pixels, RGB or RGBA: what the resizer and every encoder take.
pub(crate) struct Pixels {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) alpha: bool,
    pub(crate) data: Vec<u8>,
}

impl Pixels {
    /// `image` as 8-bit RGB, or RGBA when it has an alpha channel.
    pub(crate) fn from_image(image: DynamicImage) -> Pixels {
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            Pixels {
                width,
                height,
                alpha: true,
                data: image.into_rgba8().into_raw(),
            }
        } else {
            Pixels {
                width,
                height,
                alpha: false,
                data: image.into_rgb8().into_raw(),
            }
        }
    }

    /// The area `crop` (left, top, width, height) scaled to `width` × `height`, Lanczos3.
    pub(crate) fn resize(&self, width: u32, height: u32, crop: Option<[f64; 4]>) -> Pixels {
        let pixel_type = if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        };
        // The source and destination types always match and sizes are non-zero, the only
        // conditions under which fast_image_resize fails; a failure would be a bug here.
        let source = ImageRef::new(self.width, self.height, &self.data, pixel_type)
            .expect("buffer matches its dimensions");
        let mut target = Image::new(width, height, pixel_type);
        let mut options =
            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        if let Some([left, top, w, h]) = crop {
            options = options.crop(left, top, w, h);
        }
        Resizer::new()
            .resize(&source, &mut target, &options)
            .expect("matching pixel types");
        Pixels {
            width,
            height,
            alpha: self.alpha,
            data: target.into_vec(),
        }
    }
}

/// Encodes `pixels` as `format`; `quality` (0–100) for the lossy formats.
pub(crate) fn encode(
    pixels: &Pixels,
    format: Format,
    quality: u8,
    name: &str,
) -> Result<Vec<u8>, ImageError> {
    let failed = |source: Box<dyn std::error::Error + Send + Sync>| ImageError::Encode {
        name: name.to_owned(),
        format,
        source,
    };
    let Pixels {
        width,
        height,
        alpha,
        ..
    } = *pixels;
    let color = if alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format {
        Format::WebP => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(&pixels.data, width, height)
            } else {
                webp::Encoder::from_rgb(&pixels.data, width, height)
            };
            let encoded = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| failed(format!("libwebp: {e:?}").into()))?;
            out.extend_from_slice(&encoded);
        }
        Format::Jpeg => {
            // JPEG has no alpha: the colour channels are kept, transparency is lost.
            let rgb;
            let data = if alpha {
                rgb = pixels
                    .data
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect::<Vec<u8>>();
                &rgb
            } else {
                &pixels.data
            };
            JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
                .write_image(data, width, height, ExtendedColorType::Rgb8)
                .map_err(|e| failed(e.into()))?;
        }
        Format::Png => {
            PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(&pixels.data, width, height, color)
            .map_err(|e| failed(e.into()))?;
        }
        Format::Avif => out = avif(pixels, quality).map_err(|e| failed(e.into()))?,
    }
    Ok(out)
}

/// rav1e speed 6 of 1–10: ravif's default of 4 is several times slower for files a few
/// percent smaller, and a site has thousands of images.
const AVIF_SPEED: u8 = 6;

fn avif(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, ravif::Error> {
    let (width, height) = (pixels.width as usize, pixels.height as usize);
    // ravif asserts quality is in 1–100.
    let encoder = ravif::Encoder::new()
        .with_quality(f32::from(quality.clamp(1, 100)))
        .with_speed(AVIF_SPEED);
    let encoded = if pixels.alpha {
        let rgba: Vec<ravif::RGBA8> = pixels
            .data
            .chunks_exact(4)
            .map(|p| ravif::RGBA8::new(p[0], p[1], p[2], p[3]))
            .collect();
        encoder.encode_rgba(ravif::Img::new(&rgba[..], width, height))?
    } else {
        let rgb: Vec<ravif::RGB8> = pixels
            .data
            .chunks_exact(3)
            .map(|p| ravif::RGB8::new(p[0], p[1], p[2]))
            .collect();
        encoder.encode_rgb(ravif::Img::new(&rgb[..], width, height))?
    };
    Ok(encoded.avif_file)
}
