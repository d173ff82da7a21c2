//! Processed images as the model holds them: what render needs to write `<picture>`,
//! `srcset`, `width` and `height` and the social card, without decoding anything. The images
//! stage of the build (`build::images`) fills it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::images::Format;

/// The processed images of a site, by the site path of their source (`/images/a.jpg`).
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    by_source: HashMap<String, Arc<Picture>>,
}

/// One processed image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    /// Site path of the source, which serves its metadata-free stand-in (a GIF's, itself).
    pub source: String,
    /// Width of the source, upright.
    pub width: u32,
    /// Height of the source, upright.
    pub height: u32,
    /// The format every browser reads: the source's (PNG for a GIF).
    pub fallback: Format,
    /// Files by width, then format (the fallback last at each width).
    pub variants: Vec<PictureVariant>,
    /// The 1200×630 social card, for heroes.
    pub card: Option<PictureVariant>,
}

/// One file of a processed image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PictureVariant {
    /// Its site path, next to the source's (`/images/a-800.1f2e3d4c.webp`).
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its encoding.
    pub format: Format,
    /// Its size in bytes.
    pub size: u64,
}

impl Pictures {
    /// Adds the picture of the source at `site_path`.
    pub fn insert(&mut self, site_path: String, picture: Arc<Picture>) {
        self.by_source.insert(site_path, picture);
    }

    /// The picture of an image address as written (`/images/a.jpg`, `/images/a.jpg?v=2`), if
    /// it is one of the site's processed images.
    pub fn get(&self, address: &str) -> Option<&Picture> {
        let path = source_path(address)?;
        self.by_source.get(path.as_ref()).map(Arc::as_ref)
    }

    /// The picture of a source by its site path.
    pub fn of_source(&self, site_path: &str) -> Option<&Arc<Picture>> {
        self.by_source.get(site_path)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.by_source.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    /// Changes whenever what the pages show of these addresses does (a picture processed,
    /// its variants or size changed), for the fingerprints of the pages showing them.
    pub fn version<'a>(&self, addresses: impl IntoIterator<Item = &'a str>) -> u64 {
        let pictures: Vec<Option<&Picture>> = addresses.into_iter().map(|a| self.get(a)).collect();
        crate::fingerprint::fingerprint(pictures)
    }
}

impl Picture {
    /// The variants in one format, narrowest first.
    pub fn in_format(&self, format: Format) -> impl Iterator<Item = &PictureVariant> {
        self.variants.iter().filter(move |v| v.format == format)
    }

    /// The formats offered besides the fallback, in the order of `[images] formats` (the
    /// preferred first).
    pub fn modern_formats(&self) -> Vec<Format> {
        let mut formats = Vec::new();
        for variant in &self.variants {
            if variant.format != self.fallback && !formats.contains(&variant.format) {
                formats.push(variant.format);
            }
        }
        formats
    }

    /// The widest file in the fallback format.
    pub fn largest(&self) -> Option<&PictureVariant> {
        self.in_format(self.fallback).last()
    }

    /// The narrowest file in the fallback format.
    pub fn smallest(&self) -> Option<&PictureVariant> {
        self.in_format(self.fallback).next()
    }

    /// Site path of what `src` points to: the widest file in the fallback format, else the
    /// source's own path (every re-encode was larger than the source).
    pub fn src(&self) -> &str {
        self.largest().map_or(&self.source, |v| &v.path)
    }

    /// Site path of the narrowest file in the fallback format, else the source's.
    pub fn small(&self) -> &str {
        self.smallest().map_or(&self.source, |v| &v.path)
    }

    /// The largest file a reader may download of it, in bytes.
    pub fn heaviest(&self) -> u64 {
        self.variants.iter().map(|v| v.size).max().unwrap_or(0)
    }

    /// A `srcset` of the files in `format`, each address made by `url` from its site path
    /// (`/a-480.x.webp 480w, /a-800.y.webp 800w`).
    pub fn srcset(&self, format: Format, url: impl Fn(&str) -> String) -> String {
        let mut srcset = String::new();
        for variant in self.in_format(format) {
            if !srcset.is_empty() {
                srcset.push_str(", ");
            }
            srcset.push_str(&url(&variant.path));
            srcset.push(' ');
            srcset.push_str(&variant.width.to_string());
            srcset.push('w');
        }
        srcset
    }
}

/// The site path an image address stands for, if it is one of the site's files: root-relative
/// (not `//host/`), query and fragment dropped, percent-escapes decoded (`/images/caf%C3%A9.jpg`
/// is the file `café.jpg`).
pub fn source_path(address: &str) -> Option<Cow<'_, str>> {
    if !address.starts_with('/') || address.starts_with("//") {
        return None;
    }
    let path = address.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    Some(decoded)
}

/// The media type of a format, for `<source type>`.
pub fn media_type(format: Format) -> &'static str {
    match format {
        Format::WebP => "image/webp",
        Format::Jpeg => "image/jpeg",
        Format::Png => "image/png",
        Format::Avif => "image/avif",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(width: u32, format: Format) -> PictureVariant {
        PictureVariant {
            path: format!("/i/a-{width}.{}", format.extension()),
            width,
            height: width / 2,
            format,
            size: u64::from(width),
        }
    }

    #[test]
    fn srcsets_list_one_format_narrowest_first() {
        let picture = Picture {
            source: "/i/a.jpg".to_string(),
            width: 900,
            height: 450,
            fallback: Format::Jpeg,
            variants: vec![
                variant(480, Format::Avif),
                variant(480, Format::WebP),
                variant(480, Format::Jpeg),
                variant(900, Format::Avif),
                variant(900, Format::WebP),
                variant(900, Format::Jpeg),
            ],
            card: None,
        };
        let url = |p: &str| format!("/news{p}");
        assert_eq!(
            picture.srcset(Format::WebP, url),
            "/news/i/a-480.webp 480w, /news/i/a-900.webp 900w"
        );
        assert_eq!(picture.modern_formats(), [Format::Avif, Format::WebP]);
        assert_eq!(picture.largest().unwrap().path, "/i/a-900.jpg");
        assert_eq!(picture.smallest().unwrap().path, "/i/a-480.jpg");
        assert_eq!(picture.heaviest(), 900);
    }

    #[test]
    fn addresses_name_site_files_only() {
        assert_eq!(source_path("/images/a.jpg?v=2#x").unwrap(), "/images/a.jpg");
        assert_eq!(
            source_path("/images/caf%C3%A9.jpg").unwrap(),
            "/images/café.jpg"
        );
        assert!(source_path("//cdn.example/a.jpg").is_none());
        assert!(source_path("https://cdn.example/a.jpg").is_none());
        assert!(source_path("a.jpg").is_none());
    }
}
