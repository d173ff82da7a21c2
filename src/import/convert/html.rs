//! HTML in and Markdown out: the sanitizer every kept or converted fragment goes through
//! (ammonia, with each link and media address rewritten on the way), htmd for the
//! conversion, the Markdown Kiosque-specific pieces are written in, and the final tidying.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use html5gum::{Token, Tokenizer};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::Out;
use crate::page_links;

/// Extensions of the files WordPress makes resized copies of.
const RESIZED_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp"];

/// The original upload a resized copy was made from: `photo-300x200.jpg` → `photo.jpg`, any
/// query or fragment kept. Other URLs are returned as they are.
pub fn original_upload(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, tail) = url.split_at(end);
    let name_at = path.rfind('/').map_or(0, |i| i + 1);
    let Some((stem, extension)) = path[name_at..].rsplit_once('.') else {
        return url.to_string();
    };
    if !RESIZED_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()) {
        return url.to_string();
    }
    let Some((base, size)) = stem.rsplit_once('-') else {
        return url.to_string();
    };
    let is_size = size.split_once('x').is_some_and(|(w, h)| {
        !w.is_empty()
            && !h.is_empty()
            && w.bytes().all(|b| b.is_ascii_digit())
            && h.bytes().all(|b| b.is_ascii_digit())
    });
    if !is_size || base.is_empty() {
        return url.to_string();
    }
    format!("{}{base}.{extension}{tail}", &path[..name_at])
}

/// Whether a link points at a file of the old site's uploads, which must be brought over.
fn is_upload(url: &str) -> bool {
    url.contains("/wp-content/uploads/")
}

/// Whether a URL is `http(s)` or relative (no scheme before its first `/`, `?` or `#`).
fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    let head = lower.split(['/', '?', '#']).next().unwrap_or_default();
    !head.contains(':')
}

/// Elements whose address attributes hold media files.
fn is_media_element(tag: &str) -> bool {
    matches!(tag, "img" | "source" | "video" | "audio" | "track")
}

impl Out<'_> {
    /// `html` sanitised (no script, event handler or `javascript:` link), its addresses
    /// rewritten and its media recorded.
    /// `raw` is for HTML kept as it is in the Markdown, where Kiosque resolves no `@/` link:
    /// an old permalink there keeps its path, which the imported article's aliases answer.
    pub(super) fn clean(&mut self, html: &str, raw: bool) -> String {
        // The rewriter borrows the importer's closure, which the sanitizer's filter (shared
        // across threads) cannot hold: every address is rewritten first, looked up after.
        let mut rewritten: HashMap<String, String> = HashMap::new();
        for link in page_links::scan(html).links {
            // `data:`, `javascript:`, `mailto:`…: no file to bring over, nothing to rewrite
            // (the sanitizer drops those it does not allow).
            if !is_web_address(&link.url) {
                continue;
            }
            let new = if is_media_element(&link.tag) || is_upload(&link.url) {
                self.media(&link.url)
            } else {
                match self.link(&link.url) {
                    new if raw && new.starts_with("@/") => old_path(&link.url),
                    new => new,
                }
            };
            rewritten.insert(link.url, new);
        }
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["video", "audio", "source", "track"])
            .add_tag_attributes("video", ["src", "poster", "controls"])
            .add_tag_attributes("audio", ["src", "controls"])
            .add_tag_attributes("source", ["src", "type"])
            .add_tag_attributes("track", ["src", "kind", "srclang", "label"])
            .add_tag_attributes("code", ["class"])
            .add_tag_attributes("pre", ["class"])
            .add_tag_attributes("h1", ["id"])
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .attribute_filter(move |element, attribute, value| match attribute {
                "href" | "src" | "poster" => Some(match rewritten.get(value.trim()) {
                    Some(new) => Cow::Owned(new.clone()),
                    None => Cow::Borrowed(value),
                }),
                // Only the class that names a code block's language.
                "class" if matches!(element, "code" | "pre") => value
                    .split_whitespace()
                    .find(|class| class.starts_with("language-"))
                    .map(|class| Cow::Owned(class.to_string())),
                _ => Some(Cow::Borrowed(value)),
            });
        builder.clean(html).to_string()
    }

    /// `html` as one line of Markdown (a caption).
    pub(super) fn inline(&mut self, html: &str) -> String {
        let markdown = escape_calls(&to_markdown(&self.clean(html, false)));
        markdown.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// An image alone in its paragraph, or a figure when it has a caption (HTML as written).
    pub(super) fn image(&mut self, src: &str, alt: &str, caption_html: &str) -> String {
        let src = self.media(src);
        let image = escape_calls(&format!("![{}]({})", escape_alt(alt), destination(&src)));
        let caption = self.inline(caption_html);
        if caption.is_empty() {
            return image;
        }
        // A figure is HTML, but its image and caption are Markdown between blank lines, so
        // Kiosque still resolves, prefixes and checks their addresses.
        format!("<figure>\n\n{image}\n\n<figcaption>\n\n{caption}\n\n</figcaption>\n</figure>")
    }

    /// `html` kept as it is, sanitised, as one block of raw HTML.
    pub(super) fn kept(&mut self, html: &str) -> String {
        let cleaned = self.clean(html, true);
        // A blank line would end the HTML block and let Markdown read the rest.
        let lines: Vec<&str> = cleaned
            .lines()
            .map(str::trim_end)
            .filter(|line| !line.trim().is_empty())
            .collect();
        if lines.is_empty() {
            return String::new();
        }
        escape_calls(&format!("<div>\n{}\n</div>", lines.join("\n")))
    }
}

/// Tables without header cells, which Markdown's tables cannot write (htmd would flatten them
/// to paragraphs), each kept as sanitised HTML; the others are left to htmd.
pub(super) fn keep_plain_tables(html: &str, out: &mut Out<'_>) -> String {
    let lower = html.to_ascii_lowercase();
    let mut result = String::with_capacity(html.len());
    let mut from = 0;
    while let Some(start) = lower[from..].find("<table").map(|i| from + i) {
        let Some(end) = lower[start..]
            .find("</table>")
            .map(|i| start + i + "</table>".len())
        else {
            break;
        };
        result.push_str(&html[from..start]);
        let table = &html[start..end];
        if lower[start..end].contains("<th") {
            result.push_str(table);
        } else {
            let kept = out.kept(table);
            result.push_str(&out.piece(kept));
        }
        from = end;
    }
    result.push_str(&html[from..]);
    result
}

/// The path, query and fragment of a URL (a site path is returned as it is).
fn old_path(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => {
            let mut path = parsed.path().to_string();
            if let Some(query) = parsed.query() {
                path.push('?');
                path.push_str(query);
            }
            if let Some(fragment) = parsed.fragment() {
                path.push('#');
                path.push_str(fragment);
            }
            path
        }
        Err(_) => url.to_string(),
    }
}

/// Alt text inside `![…]`.
fn escape_alt(alt: &str) -> String {
    let one_line = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// A link destination, in angle brackets when it has spaces or parentheses.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// HTML to Markdown with htmd: ATX headings, `-` bullets, fenced code, `\` line breaks (two
/// trailing spaces would be trailing spaces).
pub(super) fn to_markdown(html: &str) -> String {
    use htmd::options::{BrStyle, BulletListMarker, HrStyle, Options as HtmdOptions};
    let converter = htmd::HtmlToMarkdown::builder()
        .options(HtmdOptions {
            br_style: BrStyle::Backslash,
            bullet_list_marker: BulletListMarker::Dash,
            hr_style: HrStyle::Dashes,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..HtmdOptions::default()
        })
        .skip_tags(vec!["script", "style", "iframe", "object", "noscript"])
        .add_handler(
            vec!["h1", "h2", "h3", "h4", "h5", "h6"],
            |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
                heading_with_id(handlers, element)
            },
        )
        .build();
    // htmd reads from a string: its only error is the reader's, which cannot fail.
    converter.convert(html).unwrap_or_default()
}

/// A heading as htmd writes it, its WordPress id kept as Kiosque's `{#id}`: links to the
/// old anchor (`@/2025/a.md#plan`) then still land, and `kiosque check` finds them.
fn heading_with_id(
    handlers: &dyn htmd::element_handler::Handlers,
    element: htmd::Element,
) -> Option<htmd::element_handler::HandlerResult> {
    let id = element
        .attrs
        .iter()
        .find(|attr| &*attr.name.local == "id")
        .map(|attr| attr.value.to_string())
        .filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        });
    let mut result = handlers.fallback(element)?;
    if let Some(id) = id {
        let end = result.content.trim_end().len();
        result.content.insert_str(end, &format!(" {{#{id}}}"));
    }
    Some(result)
}

/// `<pre>` without `<code>` (a preformatted block, a classic post's code) gets one, so that
/// htmd fences it rather than reading it as prose; line breaks in it become newlines. Works
/// on the sanitizer's output, whose tags are lower-case and well-formed.
pub(super) fn code_in_pre(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<pre") {
        let Some(tag_end) = rest[at..].find('>').map(|i| at + i + 1) else {
            break;
        };
        let Some(close) = rest[tag_end..].find("</pre>").map(|i| tag_end + i) else {
            break;
        };
        out.push_str(&rest[..tag_end]);
        let inner = &rest[tag_end..close];
        if inner.trim_start().starts_with("<code") {
            out.push_str(inner);
        } else {
            let language = rest[at..tag_end]
                .split('"')
                .find(|part| part.starts_with("language-"));
            match language {
                Some(class) => out.push_str(&format!("<code class=\"{class}\">")),
                None => out.push_str("<code>"),
            }
            out.push_str(&inner.replace("<br>\n", "\n").replace("<br>", "\n"));
            out.push_str("</code>");
        }
        out.push_str("</pre>");
        rest = &rest[close + "</pre>".len()..];
    }
    out.push_str(rest);
    // WordPress writes `<br />` then a newline, which htmd would keep as a space opening the
    // next line.
    out.replace("<br>\n", "<br>")
}

/// Every `{{` where Kiosque would read a shortcode call (prose and raw HTML, not code, a URL
/// or an autolink) and the text there starts one, written `&#123;{`: shown as `{{`, never
/// called, whether or not the text is a well-formed call. (The literal form `{{/* … */}}`
/// needs a well-formed call whose text Markdown left unescaped, which a converted body
/// cannot promise.)
pub(super) fn escape_calls(markdown: &str) -> String {
    if !markdown.contains("{{") {
        return markdown.to_string();
    }
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut opens: Vec<usize> = Vec::new();
    let (mut in_code, mut in_autolink) = (false, false);
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { link_type, .. }) => {
                in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
            }
            Event::End(TagEnd::Link) => in_autolink = false,
            Event::Text(_) if in_code || in_autolink => {}
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) => {
                let text = &markdown[range.clone()];
                opens.extend(
                    text.match_indices("{{")
                        .map(|(i, _)| range.start + i)
                        .filter(|&at| crate::shortcodes::parse_at(markdown, at).is_some()),
                );
            }
            _ => {}
        }
    }
    opens.dedup();
    let mut out = String::with_capacity(markdown.len() + opens.len() * 5);
    let mut from = 0;
    for at in opens {
        out.push_str(&markdown[from..at]);
        out.push_str("&#123;");
        from = at + 1;
    }
    out.push_str(&markdown[from..]);
    out
}

/// No trailing spaces, at most one blank line between blocks, no blank line at either end, a
/// final newline; fenced code is left exactly as it is.
pub(super) fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<String> = None;
    let mut blank = false;
    for line in markdown.lines() {
        if let Some(marker) = &fence {
            out.push_str(line);
            out.push('\n');
            if line.trim_start().starts_with(marker.as_str()) && line.trim() == marker {
                fence = None;
            }
            continue;
        }
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let symbol = trimmed.chars().next().unwrap_or('`');
            fence = Some(trimmed.chars().take_while(|&c| c == symbol).collect());
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The attributes of each start tag named `name` in `html`, in order.
pub(super) fn tags(html: &str, name: &str) -> Vec<HashMap<String, String>> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    Tokenizer::new(html)
        .flatten()
        .filter_map(|token| match token {
            Token::StartTag(tag) if tag.name.as_slice() == name.as_bytes() => Some(
                tag.attributes
                    .iter()
                    .map(|(k, v)| (text(k), text(&v.value)))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

/// The HTML inside the first `<name …>…</name>` of `html`, if any (block markup as WordPress
/// writes it: lower-case, not nested in itself).
pub(super) fn inside<'h>(html: &'h str, name: &str) -> Option<&'h str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(at) = html[from..].find(&open).map(|i| from + i) {
        let after = at + open.len();
        if html[after..].starts_with(['>', ' ', '\n', '\t', '/']) {
            let start = after + html[after..].find('>')? + 1;
            let end = start + html[start..].find(&format!("</{name}>"))?;
            return Some(&html[start..end]);
        }
        from = after;
    }
    None
}

/// Text without its tags, for the rare place that needs bare text (a URL in a block).
pub(super) fn text_of(html: &str) -> String {
    let allowed: HashSet<&str> = HashSet::new();
    ammonia::Builder::default()
        .tags(allowed)
        .clean(html)
        .to_string()
        .replace("&amp;", "&")
}
