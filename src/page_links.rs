//! What a page of HTML links to and where it can be linked at: the addresses in its `href`,
//! `src` and `poster` attributes, its ids, and its images without an `alt` attribute, read
//! with a WHATWG tokenizer (html5gum) rather than patterns, so markup in attribute values,
//! comments and scripts is never taken for a link.

use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// One address in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Element holding it (`a`, `img`, `link`).
    pub tag: String,
    /// Its address, entities decoded.
    pub url: String,
}

/// What [`scan`] finds in a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// Addresses, in page order.
    pub links: Vec<PageLink>,
    /// Ids (and `<a name>`), in page order.
    pub ids: Vec<String>,
    /// The `src` of each `<img>` without an `alt` attribute.
    pub images_without_alt: Vec<String>,
}

/// Attributes holding an address, by element.
fn address_attribute(tag: &[u8], attribute: &[u8]) -> bool {
    match attribute {
        b"href" => matches!(tag, b"a" | b"area" | b"link"),
        b"src" => matches!(
            tag,
            b"img" | b"script" | b"source" | b"iframe" | b"audio" | b"video" | b"track" | b"embed"
        ),
        b"poster" => tag == b"video",
        _ => false,
    }
}

/// Reads a page (or a fragment of one).
pub fn scan(html: &str) -> Scanned {
    let mut scanned = Scanned::default();
    // The tag being read: its name, the attribute whose value comes next, and for an image,
    // whether it has an alt attribute and its source.
    let mut tag: Vec<u8> = Vec::new();
    let mut attribute: Vec<u8> = Vec::new();
    let mut image: Option<(bool, String)> = None;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    // Borrowed events, no token allocated: most of a page is text and code spans.
    let callback = |event: CallbackEvent<'_>, _: Span<()>| -> Option<Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                tag.clear();
                tag.extend_from_slice(name);
                image = (name == b"img").then(|| (false, String::new()));
            }
            CallbackEvent::AttributeName { name } => {
                attribute.clear();
                attribute.extend_from_slice(name);
                if let (b"alt", Some((alt, _))) = (name, image.as_mut()) {
                    *alt = true;
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if attribute == b"id" || (attribute == b"name" && tag == b"a") {
                    scanned.ids.push(text(value));
                } else if address_attribute(&tag, &attribute) {
                    let url = text(value).trim().to_string();
                    if let (b"src", Some((_, src))) = (attribute.as_slice(), image.as_mut()) {
                        src.clone_from(&url);
                    }
                    scanned.links.push(PageLink {
                        tag: text(&tag),
                        url,
                    });
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                if let Some((false, src)) = image.take() {
                    scanned.images_without_alt.push(src);
                }
            }
            _ => {}
        }
        None
    };
    let mut emitter = CallbackEmitter::new(callback);
    // Script and style contents are text, not tags.
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html, emitter) {}
    scanned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_addresses_ids_and_images_without_alt() {
        let scanned = scan(concat!(
            "<a href=\"/a/?x=1&amp;y=2#s\" id=top>A</a><!-- <a href=\"/commented/\"> -->",
            "<script>var s = '<a href=\"/in-script/\">';</script>",
            "<img src=/i.png><img src=/j.png alt=\"\"><a name=old></a>",
            "<p title='<a href=/in-attribute/>'>x</p><link rel=stylesheet href=/s.css>"
        ));
        let urls: Vec<&str> = scanned.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/a/?x=1&y=2#s", "/i.png", "/j.png", "/s.css"]);
        assert_eq!(scanned.ids, ["top", "old"]);
        assert_eq!(scanned.images_without_alt, ["/i.png"]);
    }
}
