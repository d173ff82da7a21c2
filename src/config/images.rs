//! `[images]` in `site.toml`: how photos are processed, and the size budget `check` warns
//! over.

use serde::Deserialize;

use crate::images::{Format, Settings};

/// The `[images]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImages {
    widths: Option<Vec<u32>>,
    quality: Option<u8>,
    formats: Option<Vec<String>>,
    budget_kb: Option<u64>,
    sizes: Option<String>,
}

/// How images are processed and laid out, from `[images]` in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// Widths, quality and formats of the variants.
    pub processing: Settings,
    /// Largest image file a reader should download, in bytes; `kiosque check` warns over it.
    pub budget: u64,
    /// The `sizes` attribute of images in bodies: how wide the theme shows them.
    pub sizes: String,
}

/// The `sizes` of body images in the default theme, as measured in Chromium: the text column
/// is the viewport less its gutters (1rem each below 25rem of viewport, 4vw up to 50rem, 2rem
/// beyond) up to 70ch, about 47.3rem, from 52rem of viewport.
pub const DEFAULT_SIZES: &str =
    "(min-width: 52rem) 48rem, (min-width: 25rem) 92vw, calc(100vw - 2rem)";

/// Widths are kept between these, so a typo (`widths = [8000000]`) is caught.
const WIDTHS: std::ops::RangeInclusive<u32> = 16..=8192;

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            processing: Settings::default(),
            budget: 500_000,
            sizes: DEFAULT_SIZES.to_string(),
        }
    }
}

/// Validates `[images]`, calling `fail(key, message)` for each value refused (the default is
/// used instead).
pub(super) fn validate(
    raw: Option<RawImages>,
    fail: &mut impl FnMut(&str, String),
) -> ImageSettings {
    let raw = raw.unwrap_or_default();
    let mut settings = ImageSettings::default();
    if let Some(widths) = raw.widths {
        if widths.is_empty() {
            fail(
                "images.widths",
                "`widths` must list at least one width".to_string(),
            );
        } else if let Some(bad) = widths.iter().find(|w| !WIDTHS.contains(w)) {
            fail(
                "images.widths",
                format!(
                    "width {bad} is out of range: expected {} to {} pixels",
                    WIDTHS.start(),
                    WIDTHS.end()
                ),
            );
        } else {
            let mut widths = widths;
            widths.sort_unstable();
            widths.dedup();
            settings.processing.widths = widths;
        }
    }
    match raw.quality {
        Some(quality @ 1..=100) => settings.processing.quality = quality,
        Some(quality) => fail(
            "images.quality",
            format!("`quality` must be 1 to 100, found {quality}"),
        ),
        None => {}
    }
    if let Some(names) = raw.formats {
        let mut formats = Vec::new();
        for name in names {
            match name.to_ascii_lowercase().as_str() {
                "webp" => formats.push(Format::WebP),
                "avif" => formats.push(Format::Avif),
                _ => fail(
                    "images.formats",
                    format!(
                        "unknown format `{name}` (formats: avif, webp; the original's own format is always added)"
                    ),
                ),
            }
        }
        formats.dedup();
        settings.processing.formats = formats;
    }
    match raw.budget_kb {
        Some(0) => fail(
            "images.budget_kb",
            "`budget_kb` must be at least 1".to_string(),
        ),
        Some(kb) => settings.budget = kb.saturating_mul(1000),
        None => {}
    }
    if let Some(sizes) = raw.sizes.filter(|s| !s.trim().is_empty()) {
        settings.sizes = sizes;
    }
    settings
}
