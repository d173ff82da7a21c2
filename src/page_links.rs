//! What a page of HTML links to and where it can be linked at: the addresses in its `href`,
//! `src` and `poster` attributes, its ids, and its images without an `alt` attribute, read
//! with a WHATWG tokenizer (html5gum) rather than patterns, so markup in attribute values,
//! comments and scripts is never taken for a link.

use html5gum::{DefaultEmitter, Token, Tokenizer};

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
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are text, not tags.
    emitter.naively_switch_states(true);
    let mut scanned = Scanned::default();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = tag.name.as_slice();
        for (attribute, value) in &tag.attributes {
            let attribute = attribute.as_slice();
            if attribute == b"id" || (attribute == b"name" && name == b"a") {
                scanned.ids.push(text(value));
            } else if address_attribute(name, attribute) {
                scanned.links.push(PageLink {
                    tag: text(name),
                    url: text(value).trim().to_string(),
                });
            }
        }
        if name == b"img" && !tag.attributes.contains_key(b"alt".as_slice()) {
            let src = tag.attributes.get(b"src".as_slice());
            scanned
                .images_without_alt
                .push(src.map(|s| text(s)).unwrap_or_default());
        }
    }
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
