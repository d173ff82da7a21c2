//! Processed images in pages: the data templates get for a hero, a card or a portrait
//! ([`PictureView`]), and the `<img>` elements of bodies turned into `<picture>` with
//! `srcset`, `sizes`, `width` and `height` ([`responsive_images`]). Everything comes from the
//! model's [`Pictures`](crate::site::Pictures); nothing is decoded here.

use std::borrow::Cow;
use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
use serde::Serialize;

use crate::html::escape;
use crate::images::Format;
use crate::site::{Picture, PictureVariant, Site, media_type};

/// A processed image as templates see it.
#[derive(Serialize)]
pub(crate) struct PictureView {
    /// The widest file in the fallback format, for `src`.
    pub(crate) src: String,
    /// The narrowest file in the fallback format: what a small card or a portrait shows.
    pub(crate) small: String,
    /// Width of the image in pixels, upright: with `height`, its box before it loads.
    pub(crate) width: u32,
    /// Height in pixels, upright.
    pub(crate) height: u32,
    /// `srcset` of the fallback format.
    pub(crate) srcset: String,
    /// One `<source>` per modern format, the preferred first.
    pub(crate) sources: Vec<SourceView>,
    /// Every file.
    pub(crate) variants: Vec<VariantView>,
    /// The 1200×630 social card, for `og:image`.
    pub(crate) card: Option<VariantView>,
}

/// A `<source>` of a `<picture>`.
#[derive(Serialize)]
pub(crate) struct SourceView {
    /// Its media type (`image/webp`).
    #[serde(rename = "type")]
    pub(crate) media_type: &'static str,
    /// Its `srcset`.
    pub(crate) srcset: String,
}

/// One file of a processed image.
#[derive(Serialize)]
pub(crate) struct VariantView {
    /// Root-relative URL.
    url: String,
    /// Absolute URL, for meta tags and feeds.
    pub(crate) absolute: String,
    width: u32,
    height: u32,
    #[serde(rename = "type")]
    media_type: &'static str,
    format: Format,
}

impl PictureView {
    /// The view of `picture` on `site`.
    pub(crate) fn new(site: &Site, picture: &Picture) -> PictureView {
        let url = |path: &str| site.url(path);
        let variant = |v: &PictureVariant| VariantView {
            url: url(&v.path),
            absolute: site.absolute_url(&v.path),
            width: v.width,
            height: v.height,
            media_type: media_type(v.format),
            format: v.format,
        };
        PictureView {
            src: url(picture.src()),
            small: url(picture.small()),
            width: picture.width,
            height: picture.height,
            srcset: picture.srcset(picture.fallback, url),
            sources: sources(site, picture),
            variants: picture.variants.iter().map(variant).collect(),
            card: picture.card.as_ref().map(variant),
        }
    }
}

fn sources(site: &Site, picture: &Picture) -> Vec<SourceView> {
    let formats = picture.modern_formats().into_iter();
    formats
        .map(|format| SourceView {
            media_type: media_type(format),
            srcset: picture.srcset(format, |path| site.url(path)),
        })
        .collect()
}

/// An `<img>` of a body, found by the tokenizer.
struct FoundImage {
    /// Bytes of the whole start tag.
    span: std::ops::Range<usize>,
    /// Its attributes, values decoded.
    attributes: Vec<(String, String)>,
    /// Whether it is inside a `<picture>` the writer wrote (left as it is).
    in_picture: bool,
}

/// A body with each `<img>` of a processed image turned into a `<picture>`: a `<source>` per
/// modern format, the fallback's `srcset`, `sizes` (the theme's text column, from
/// `[images] sizes`), `width` and `height` (the writer's, else the image's, so the page
/// never shifts), `loading="lazy"` and `decoding="async"`. With `eager_first`, the first
/// image (the top of a story without a hero) is not lazy. The writer's other attributes
/// (`alt`, `title`, `class`) are kept.
pub(crate) fn responsive_images<'h>(html: &'h str, site: &Site, eager_first: bool) -> Cow<'h, str> {
    if site.pictures.is_empty() || !html.contains("<img") {
        return Cow::Borrowed(html);
    }
    let base = site.config.base_path();
    let mut out = String::with_capacity(html.len() + 512);
    let mut copied = 0;
    let mut first = true;
    for image in find_images(html) {
        let src = image.attributes.iter().find(|(name, _)| name == "src");
        let picture = src
            .and_then(|(_, src)| src.strip_prefix(base.trim_end_matches('/')))
            .and_then(|path| site.pictures.get(path));
        let (Some(picture), false) = (picture, image.in_picture) else {
            first = false;
            continue;
        };
        out.push_str(&html[copied..image.span.start]);
        let lazy = !(eager_first && first);
        write_picture(&mut out, site, picture, &image.attributes, lazy);
        copied = image.span.end;
        first = false;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Attributes the `<picture>` sets itself, dropped from the writer's `<img>`.
const REPLACED: [&str; 7] = [
    "src", "srcset", "sizes", "loading", "decoding", "width", "height",
];

fn write_picture(
    out: &mut String,
    site: &Site,
    picture: &Picture,
    attributes: &[(String, String)],
    lazy: bool,
) {
    let sizes = escape(&site.config.images.sizes);
    out.push_str("<picture>");
    for source in sources(site, picture) {
        out.push_str(&format!(
            "<source type=\"{}\" srcset=\"{}\" sizes=\"{sizes}\">",
            source.media_type,
            escape(&source.srcset)
        ));
    }
    let src = site.url(picture.src());
    out.push_str(&format!("<img src=\"{}\"", escape(&src)));
    let srcset = picture.srcset(picture.fallback, |path| site.url(path));
    if !srcset.is_empty() {
        out.push_str(&format!(
            " srcset=\"{}\" sizes=\"{sizes}\"",
            escape(&srcset)
        ));
    }
    let given = |name: &str| attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    // The writer's own size, when both are given, is how large they want it shown.
    let (width, height) = match (given("width"), given("height")) {
        (Some(w), Some(h)) => (w.clone(), h.clone()),
        _ => (picture.width.to_string(), picture.height.to_string()),
    };
    out.push_str(&format!(
        " width=\"{}\" height=\"{}\"",
        escape(&width),
        escape(&height)
    ));
    for (name, value) in attributes {
        if !REPLACED.contains(&name.as_str()) {
            out.push_str(&format!(" {name}=\"{}\"", escape(value)));
        }
    }
    if lazy {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\"></picture>");
}

/// Every `<img>` start tag of `html`, read with a WHATWG tokenizer, so markup in attribute
/// values, comments and scripts is never taken for an image.
fn find_images(html: &str) -> Vec<FoundImage> {
    let mut found = Vec::new();
    let mut current: Option<FoundImage> = None;
    let mut attribute = String::new();
    let mut pictures = 0usize;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let callback = |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                if name == b"picture" {
                    pictures += 1;
                }
                current = (name == b"img").then(|| FoundImage {
                    span: span.start..span.end,
                    attributes: Vec::new(),
                    in_picture: pictures > 0,
                });
            }
            CallbackEvent::AttributeName { name } => {
                attribute = text(name).to_ascii_lowercase();
                if let Some(image) = current.as_mut()
                    && !image.attributes.iter().any(|(n, _)| *n == attribute)
                {
                    image.attributes.push((attribute.clone(), String::new()));
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some((_, v)) = current
                    .as_mut()
                    .and_then(|image| image.attributes.last_mut())
                    .filter(|(name, _)| *name == attribute)
                {
                    *v = text(value);
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                if let Some(mut image) = current.take() {
                    image.span.end = span.end;
                    found.push(image);
                }
            }
            CallbackEvent::EndTag { name } if name == b"picture" => {
                pictures = pictures.saturating_sub(1);
            }
            _ => {}
        }
        None
    };
    let mut emitter = CallbackEmitter::new(callback);
    // Script and style contents are text, not tags.
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html, emitter) {}
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_found_whole_with_their_attributes() {
        let html = concat!(
            "<p>a <img src=\"/i/a.jpg\" alt=\"A &amp; B\" /> b</p>",
            "<!-- <img src=/c.jpg> --><script>'<img src=/s.jpg>'</script>",
            "<picture><source srcset=/x.webp><img src=/x.jpg></picture><IMG SRC=/d.png>"
        );
        let found = find_images(html);
        let spans: Vec<&str> = found.iter().map(|f| &html[f.span.clone()]).collect();
        assert_eq!(
            spans,
            [
                "<img src=\"/i/a.jpg\" alt=\"A &amp; B\" />",
                "<img src=/x.jpg>",
                "<IMG SRC=/d.png>"
            ]
        );
        assert_eq!(
            found[0].attributes,
            [
                ("src".to_string(), "/i/a.jpg".to_string()),
                ("alt".to_string(), "A & B".to_string())
            ]
        );
        let in_picture: Vec<bool> = found.iter().map(|f| f.in_picture).collect();
        assert_eq!(in_picture, [false, true, false]);
    }
}
