//! WordPress shortcodes (`[name attr="v"]…[/name]`, `[name /]`, `[[escaped]]`) and bare URLs
//! alone on their line, in a body's HTML: the ones Kiosque has an equivalent for become
//! Markdown pieces (figures, images, embeds as a URL alone on its line); any other stays as
//! the text it was written as, its content converted, and is reported.

use std::collections::HashMap;

use super::{Out, html};

/// A shortcode as written.
#[derive(Debug, PartialEq)]
struct Shortcode<'t> {
    name: &'t str,
    /// Named attributes, names lower-cased; positional ones under their index (`"0"`…).
    attrs: HashMap<String, String>,
    /// The opening tag as written.
    open: &'t str,
    /// Content of an enclosing shortcode.
    content: Option<&'t str>,
}

/// Converts the shortcodes and lone URLs of `text`.
pub(super) fn expand(text: &str, out: &mut Out<'_>) -> String {
    let expanded = shortcodes(&more(text, out), out);
    lone_urls(&expanded, out)
}

/// WordPress's `<!--more-->` (with or without a link text): Kiosque's summary marker, which
/// the sanitizer would drop as a comment.
fn more(text: &str, out: &mut Out<'_>) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<!--more") {
        let Some(end) = rest[at..].find("-->").map(|i| at + i + 3) else {
            break;
        };
        result.push_str(&rest[..at]);
        result.push_str(&out.piece("<!-- more -->".to_string()));
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
}

fn shortcodes(text: &str, out: &mut Out<'_>) -> String {
    let mut result = String::with_capacity(text.len());
    let code = code_spans(text);
    let mut at = 0;
    while let Some(open) = text[at..].find('[').map(|i| at + i) {
        // Brackets in code are code (`a[i]`, a shortcode shown as an example).
        if let Some(span) = code.iter().find(|span| span.contains(&open)) {
            result.push_str(&text[at..span.end]);
            at = span.end;
            continue;
        }
        result.push_str(&text[at..open]);
        // `[[name]]` is the shortcode's own text, one pair of brackets off.
        if text[open..].starts_with("[[")
            && let Some(close) = text[open..].find("]]").map(|i| open + i)
            && parse(&text[open + 1..]).is_some()
        {
            result.push_str(&text[open + 1..close + 1]);
            at = close + 2;
            continue;
        }
        match parse(&text[open..]) {
            Some((shortcode, length)) => {
                result.push_str(&convert(&shortcode, out));
                at = open + length;
            }
            None => {
                result.push('[');
                at = open + 1;
            }
        }
    }
    result.push_str(&text[at..]);
    result
}

/// Where `<pre>…</pre>` and `<code>…</code>` elements are.
fn code_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find('<').map(|i| at + i) {
        let tag = ["pre", "code"].into_iter().find(|name| {
            lower[start + 1..].starts_with(name)
                && lower[start + 1 + name.len()..].starts_with(['>', ' ', '\n', '\t'])
        });
        let end = tag.and_then(|name| {
            let close = format!("</{name}>");
            lower[start..].find(&close).map(|i| start + i + close.len())
        });
        match end {
            Some(end) => {
                spans.push(start..end);
                at = end;
            }
            None => at = start + 1,
        }
    }
    spans
}

/// The shortcode at the start of `text` and how many bytes it covers.
fn parse(text: &str) -> Option<(Shortcode<'_>, usize)> {
    let rest = text.strip_prefix('[')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    // Shortcode names are lower-case; `[Mise à jour]` is an editor's note.
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return None;
    }
    let after = &rest[name_len..];
    if !after.starts_with([' ', ']', '/', '=', '\t', '\n', '\u{a0}']) {
        return None;
    }
    let close = close_bracket(after)?;
    let raw = &after[..close];
    let self_closing = raw.trim_end().ends_with('/');
    let attrs = attributes(raw.trim_end().trim_end_matches('/'));
    let open_len = 1 + name_len + close + 1;
    let open = &text[..open_len];
    if self_closing {
        return Some((
            Shortcode {
                name,
                attrs,
                open,
                content: None,
            },
            open_len,
        ));
    }
    let end_tag = format!("[/{name}]");
    match text[open_len..].find(&end_tag) {
        Some(end) => Some((
            Shortcode {
                name,
                attrs,
                open,
                content: Some(&text[open_len..open_len + end]),
            },
            open_len + end + end_tag.len(),
        )),
        None => Some((
            Shortcode {
                name,
                attrs,
                open,
                content: None,
            },
            open_len,
        )),
    }
}

/// Where the opening tag's `]` is, quoted values skipped.
fn close_bracket(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => return None,
            (None, ']') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `a="x" b='y' c=z "positional" w`, as WordPress's `shortcode_parse_atts` reads them; a
/// leading `=URL` (`[youtube=URL]`) is the first positional value.
pub(super) fn attributes(raw: &str) -> HashMap<String, String> {
    let mut attrs = HashMap::new();
    let mut positional = 0;
    let mut rest = raw.trim_start();
    if let Some(value) = rest.strip_prefix('=') {
        attrs.insert("0".to_string(), unquote(value.trim()).to_string());
        return attrs;
    }
    while !rest.is_empty() {
        let (token, tail) = next_token(rest);
        rest = tail.trim_start();
        match token.split_once('=') {
            Some((name, value))
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                attrs.insert(name.to_ascii_lowercase(), unquote(value).to_string());
            }
            _ => {
                attrs.insert(positional.to_string(), unquote(token).to_string());
                positional += 1;
            }
        }
    }
    attrs
}

/// The first whitespace-separated token, quoted parts kept whole.
fn next_token(text: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => return (&text[..i], &text[i..]),
            _ => {}
        }
    }
    (text, "")
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

impl Shortcode<'_> {
    fn attr(&self, names: &[&str]) -> Option<&str> {
        names
            .iter()
            .find_map(|n| self.attrs.get(*n))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The URL it is about: an attribute, else its content.
    fn url(&self, names: &[&str]) -> Option<String> {
        self.attr(names).map(str::to_string).or_else(|| {
            let url = html::text_of(self.content?);
            let url = url.trim();
            (!url.is_empty()).then(|| url.to_string())
        })
    }
}

fn convert(shortcode: &Shortcode<'_>, out: &mut Out<'_>) -> String {
    let player = |out: &mut Out<'_>, url: &str, shortcode: &str| {
        let player = out.player(url, shortcode);
        out.piece(player)
    };
    match shortcode.name.to_ascii_lowercase().as_str() {
        "caption" | "wp_caption" => caption(shortcode, out),
        "gallery" => gallery(shortcode, out),
        "embed" => match shortcode.url(&["src", "url"]) {
            Some(url) => {
                let url = out.link(&url);
                out.piece(url)
            }
            None => unknown(shortcode, out),
        },
        "youtube" => match shortcode.url(&["0", "url"]) {
            Some(url) if url.starts_with("http") => out.piece(url),
            _ => match shortcode.attr(&["id"]) {
                Some(id) => out.piece(format!("https://www.youtube.com/watch?v={id}")),
                None => unknown(shortcode, out),
            },
        },
        "vimeo" => match shortcode.url(&["0", "url", "id"]) {
            Some(url) if url.starts_with("http") => out.piece(url),
            Some(id) => out.piece(format!("https://vimeo.com/{id}")),
            None => unknown(shortcode, out),
        },
        "video" => match shortcode.url(&["src", "mp4", "m4v", "webm", "ogv", "mov", "0"]) {
            Some(url) => player(out, &url, "video"),
            None => unknown(shortcode, out),
        },
        "audio" => match shortcode.url(&["src", "mp3", "m4a", "ogg", "oga", "wav", "0"]) {
            Some(url) => player(out, &url, "audio"),
            None => unknown(shortcode, out),
        },
        _ => unknown(shortcode, out),
    }
}

/// Any other shortcode: its text as written (Kiosque shows it as text), its content
/// converted, reported.
fn unknown(shortcode: &Shortcode<'_>, out: &mut Out<'_>) -> String {
    // WordPress only reads the names plugins registered, which this cannot know: a bracketed
    // word alone (`[sic]`, `[update]`) is taken for prose, left as it is and not reported.
    let named_attribute = shortcode
        .attrs
        .keys()
        .any(|key| !key.bytes().all(|b| b.is_ascii_digit()));
    if shortcode.content.is_some() || named_attribute || shortcode.name.contains(['-', '_']) {
        out.unconverted(format!("shortcode:{}", shortcode.name));
    }
    match shortcode.content {
        Some(content) => format!(
            "{}{}[/{}]",
            shortcode.open,
            shortcodes(content, out),
            shortcode.name
        ),
        None => shortcode.open.to_string(),
    }
}

/// `[caption]<a><img></a> Text[/caption]`: the image and its caption (the `caption`
/// attribute, else the content after the image) as a figure.
fn caption(shortcode: &Shortcode<'_>, out: &mut Out<'_>) -> String {
    let content = shortcode.content.unwrap_or_default();
    let Some(image) = html::tags(content, "img").into_iter().next() else {
        return unknown(shortcode, out);
    };
    let src = image.get("src").cloned().unwrap_or_default();
    let alt = image.get("alt").cloned().unwrap_or_default();
    let caption = match shortcode.attr(&["caption"]) {
        Some(caption) => caption.to_string(),
        None => after_image(content).to_string(),
    };
    let figure = out.image(&src, &alt, &caption);
    out.piece(figure)
}

/// What follows the image (and the link around it) in a caption's content.
fn after_image(content: &str) -> &str {
    let Some(img) = content.find("<img") else {
        return content;
    };
    let img_end = content[img..]
        .find('>')
        .map_or(content.len(), |i| img + i + 1);
    let rest = &content[img_end..];
    match rest.find("</a>") {
        Some(close) if rest[..close].trim().is_empty() => &rest[close + 4..],
        _ => rest,
    }
}

/// `[gallery ids="1,2"]`, or the post's attached images: each image, captioned when its
/// attachment has a caption.
fn gallery(shortcode: &Shortcode<'_>, out: &mut Out<'_>) -> String {
    let ids: Vec<u64> = match shortcode.attr(&["ids", "include"]) {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect(),
        None => out.ctx.attached.to_vec(),
    };
    let mut images = Vec::new();
    for id in ids {
        if let Some(attachment) = out.ctx.attachments.get(&id) {
            let (url, alt, caption) = (
                attachment.url.clone(),
                attachment.alt.clone(),
                attachment.caption.clone(),
            );
            images.push(out.image(&url, &alt, &caption));
        }
    }
    if images.is_empty() {
        return unknown(shortcode, out);
    }
    out.piece(images.join("\n\n"))
}

/// A line holding nothing but a URL (or `<p>URL</p>`), outside `<pre>`: the URL alone on its
/// line, which Kiosque embeds when it knows the site or the file type and links otherwise.
fn lone_urls(text: &str, out: &mut Out<'_>) -> String {
    let mut result = String::with_capacity(text.len());
    let mut in_pre = false;
    for line in text.split_inclusive('\n') {
        let opens = line.matches("<pre").count();
        let closes = line.matches("</pre>").count();
        let candidate = line
            .trim()
            .strip_prefix("<p>")
            .and_then(|l| l.strip_suffix("</p>"))
            .unwrap_or(line.trim());
        if !in_pre && is_url(candidate) {
            let url = match media_kind(candidate) {
                Some(kind) => out.player(candidate, kind),
                None => out.link(candidate),
            };
            result.push_str(&out.piece(url));
        } else {
            result.push_str(line);
        }
        in_pre = (in_pre || opens > closes) && closes <= opens;
    }
    result
}

fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > "https://".len()
        && !text.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
}

/// `audio` or `video` for a URL of a file Kiosque plays.
fn media_kind(url: &str) -> Option<&'static str> {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    let extension = path.rsplit_once('.')?.1;
    match extension {
        "mp3" | "m4a" | "ogg" | "opus" | "wav" | "flac" => Some("audio"),
        "mp4" | "webm" | "ogv" | "mov" => Some("video"),
        _ => None,
    }
}
