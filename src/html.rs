//! Escaping for text placed in HTML and XML, shared by every stage that writes markup.

/// Escapes `&`, `<`, `>`, `"` and `'` so text is safe in element content and quoted attributes.
///
/// Characters XML 1.0 forbids (control characters other than tab and line breaks, U+FFFE and
/// U+FFFF) become U+FFFD, so a stray control character in a title cannot make a feed
/// unreadable.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], written at the end of `out`: a feed escapes each body it lists as it writes
/// it, rather than holding an escaped copy of every body.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (replacement, width) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => ("", 0),
            0..=0x1f => ("\u{fffd}", 1),
            // U+FFFE and U+FFFF.
            0xef if matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => ("\u{fffd}", 3),
            _ => ("", 0),
        };
        if width == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += width;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// The text of an HTML fragment, tags dropped, entities decoded and white space collapsed,
/// cut at a word to at most `max` characters (with `…` when cut).
pub(crate) fn plain_text(html: &str, max: usize) -> String {
    let text = raw_text(html, html.len().min(max.saturating_mul(4)));
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        let needed = out.chars().count() + usize::from(!out.is_empty()) + word.chars().count();
        if needed > max {
            let kept = out.trim_end_matches([',', ';', ':', '.', '!', '?']).len();
            out.truncate(kept);
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The whole text of an HTML fragment, tags dropped, entities decoded and white space
/// collapsed.
pub(crate) fn full_text(html: &str) -> String {
    let raw = raw_text(html, html.len());
    let mut text = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// The text between the tags of `html`, entities decoded, white space as it is.
fn raw_text(html: &str, capacity: usize) -> String {
    let mut text = String::with_capacity(capacity);
    let mut rest = html;
    while !rest.is_empty() {
        let (chunk, after) = match rest.find('<') {
            Some(at) => (
                &rest[..at],
                rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]),
            ),
            None => (rest, ""),
        };
        decode_entities_into(chunk, &mut text);
        text.push(' ');
        rest = after;
    }
    text
}

/// Decodes the entities Markdown rendering writes, and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    decode_entities_into(text, &mut out);
    out
}

/// [`decode_entities`], onto the end of `out`: a page's text is thousands of pieces between
/// tags, each decoded without a string of its own.
fn decode_entities_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &tail[length..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` written as escapes, so that no
/// value can close the element or open a comment; U+2028 and U+2029 too, for old parsers.
pub(crate) fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

/// Replaces the leading `/` of root-relative `href` and `src` attribute values with `prefix`
/// (which ends with `/`): `src="/a.png"` → `src="/news/a.png"`. Protocol-relative `//host`
/// links are left alone.
pub(crate) fn rebase_root_links(html: &str, prefix: &str) -> String {
    const ATTRIBUTES: [&str; 4] = ["href=\"/", "src=\"/", "href='/", "src='/"];
    // Each pattern's next position is searched again only once it has been passed, so the
    // scan stays linear in the length of the page.
    let mut next = ATTRIBUTES.map(|a| html.find(a));
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, n)| n.map(|n| (k, n)))
        .min_by_key(|&(_, n)| n)
    {
        let value_start = at + ATTRIBUTES[k].len();
        out.push_str(&html[done..value_start - 1]);
        if html[value_start..].starts_with('/') {
            out.push('/');
        } else {
            out.push_str(prefix);
        }
        done = value_start;
        next[k] = html[done..].find(ATTRIBUTES[k]).map(|i| i + done);
    }
    out.push_str(&html[done..]);
    out
}

/// The address in one tag of raw HTML: an `<a href>` or an `<img src>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagAddress {
    /// Byte of the fragment where the value starts.
    pub(crate) at: usize,
    /// Whether it is an image's source rather than a link's address.
    pub(crate) image: bool,
    /// The value, entities decoded.
    pub(crate) value: String,
    /// An image's `alt`, entities decoded, if it has one.
    pub(crate) alt: Option<String>,
}

/// The `href` of each `<a>` and the `src` of each `<img>` in a fragment of the writer's
/// HTML, with where each is written; `<!-- … -->` comments, which may go on across
/// fragments (`in_comment` says whether one is open), are skipped. A tag cut across
/// fragments is not seen.
pub(crate) fn tag_addresses(html: &str, in_comment: &mut bool) -> Vec<TagAddress> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    loop {
        if *in_comment {
            match html[at..].find("-->") {
                Some(end) => {
                    at += end + 3;
                    *in_comment = false;
                }
                None => return found,
            }
        }
        let Some(open) = html[at..].find('<').map(|i| at + i) else {
            return found;
        };
        if html[open..].starts_with("<!--") {
            at = open + 4;
            *in_comment = true;
            continue;
        }
        let name_end = html[open + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(html.len(), |i| open + 1 + i);
        let name = &html[open + 1..name_end];
        let image = name.eq_ignore_ascii_case("img");
        if !image && !name.eq_ignore_ascii_case("a") {
            at = open + 1;
            continue;
        }
        let wanted = if image { "src" } else { "href" };
        let (mut address, mut alt) = (None, None);
        let mut p = name_end;
        // Attributes, each `name`, `name=value`, `name="value"` or `name='value'`.
        while p < bytes.len() && bytes[p] != b'>' {
            if bytes[p].is_ascii_whitespace() || bytes[p] == b'/' {
                p += 1;
                continue;
            }
            let name_start = p;
            while p < bytes.len() && !matches!(bytes[p], b'=' | b'>' | b'/') {
                if bytes[p].is_ascii_whitespace() {
                    break;
                }
                p += 1;
            }
            let attribute = &html[name_start..p];
            while p < bytes.len() && bytes[p].is_ascii_whitespace() {
                p += 1;
            }
            if p >= bytes.len() || bytes[p] != b'=' {
                p = p.max(name_start + 1);
                continue;
            }
            p += 1;
            while p < bytes.len() && bytes[p].is_ascii_whitespace() {
                p += 1;
            }
            let (value_start, value_end) = match bytes.get(p) {
                Some(&quote @ (b'"' | b'\'')) => {
                    // A value cut by the end of the fragment is not known whole.
                    let Some(end) = html[p + 1..].find(quote as char).map(|i| p + 1 + i) else {
                        break;
                    };
                    let value = (p + 1, end);
                    p = end + 1;
                    value
                }
                None => break,
                _ => {
                    let start = p;
                    while p < bytes.len() && !bytes[p].is_ascii_whitespace() && bytes[p] != b'>' {
                        p += 1;
                    }
                    (start, p)
                }
            };
            let value = &html[value_start..value_end];
            if attribute.eq_ignore_ascii_case(wanted) {
                address = Some((value_start, decode_entities(value)));
            } else if image && attribute.eq_ignore_ascii_case("alt") {
                alt = Some(decode_entities(value));
            }
        }
        if let Some((at, value)) = address {
            found.push(TagAddress {
                at,
                image,
                value,
                alt,
            });
        }
        at = (p + 1).min(html.len());
    }
}

#[cfg(test)]
mod tests {
    use super::{TagAddress, plain_text, script_json, tag_addresses};

    #[test]
    fn tag_addresses_are_found_where_written_outside_comments() {
        let html = "<p><A class=x HREF='/a?b=1&amp;c'>a</A> <!-- <a href=\"/no/\"> -->\
                    <img alt=\"Une &quot;vue&quot;\" src=/i.png/><img src=\"/j.png\"> <!-- x";
        let mut in_comment = false;
        let found = tag_addresses(html, &mut in_comment);
        let at = |value: &str| html.find(value).unwrap();
        assert_eq!(
            found,
            [
                TagAddress {
                    at: at("/a?"),
                    image: false,
                    value: "/a?b=1&c".to_string(),
                    alt: None
                },
                TagAddress {
                    at: at("/i.png"),
                    image: true,
                    value: "/i.png/".to_string(),
                    alt: Some("Une \"vue\"".to_string())
                },
                TagAddress {
                    at: at("/j.png"),
                    image: true,
                    value: "/j.png".to_string(),
                    alt: None
                },
            ]
        );
        assert!(in_comment);
        assert!(tag_addresses("--> <img src=\"/k.png\">", &mut in_comment).len() == 1);
        assert!(!in_comment);
        for cut in ["<a", "<a href", "<a href=", "<a href=\"x", "<img src='"] {
            assert_eq!(tag_addresses(cut, &mut false), [], "{cut}");
        }
        let first_line = tag_addresses("<img src=\"/a.png\"\n", &mut false);
        assert_eq!(first_line[0].value, "/a.png");
    }

    #[test]
    fn plain_text_drops_tags_decodes_and_cuts_at_a_word() {
        assert_eq!(
            plain_text(
                "<p>L&#39;IA &amp; <em>l’Europe</em></p>\n<p>Suite.</p>",
                100
            ),
            "L'IA & l’Europe Suite."
        );
        assert_eq!(
            plain_text("<p>un deux trois, quatre</p>", 16),
            "un deux trois…"
        );
        assert_eq!(plain_text("a &bogus; b &#x1F600;", 50), "a &bogus; b 😀");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let json = serde_json::json!({"t": "</script><!-- & \u{2028}"}).to_string();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "</script><!-- & \u{2028}");
    }

    #[test]
    fn rebases_root_relative_links_only() {
        let html = r#"<a href="/a/">a</a> <img src='/i.png'> <a href="//cdn/x">c</a> <a href="https://e/">e</a>"#;
        assert_eq!(
            super::rebase_root_links(html, "/news/"),
            r#"<a href="/news/a/">a</a> <img src='/news/i.png'> <a href="//cdn/x">c</a> <a href="https://e/">e</a>"#
        );
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn replaces_characters_xml_forbids() {
        assert_eq!(
            super::escape("a\u{7}b\u{1b}c\td\ne\u{ffff}"),
            "a\u{fffd}b\u{fffd}c\td\ne\u{fffd}"
        );
    }

    #[test]
    fn escaping_into_a_string_appends_and_keeps_other_characters_whole() {
        let mut out = String::from("<p>");
        super::escape_into(
            &mut out,
            "é\u{fffe}\u{fffd}\u{fefe}\u{ffef}<€>\u{1f600}\u{ffff}",
        );
        assert_eq!(
            out,
            "<p>é\u{fffd}\u{fffd}\u{fefe}\u{ffef}&lt;€&gt;\u{1f600}\u{fffd}"
        );
    }
}
