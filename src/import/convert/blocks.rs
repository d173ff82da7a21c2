//! Gutenberg block markup (`<!-- wp:name {"json":1} -->…<!-- /wp:name -->`, self-closing
//! `<!-- wp:name /-->`, nested) read as a tree of blocks, each converted by its type: text
//! blocks as their HTML, media as Kiosque's figures and embeds, layout blocks flattened.
//! Unknown blocks keep their sanitised HTML and are reported.

use serde_json::Value;

use super::{Out, html, shortcodes};

/// A block or the HTML between blocks.
#[derive(Debug, PartialEq)]
enum Node<'t> {
    Html(&'t str),
    Block(Block<'t>),
}

/// One block.
#[derive(Debug, PartialEq)]
struct Block<'t> {
    /// With its namespace: `core/paragraph`.
    name: String,
    attrs: Value,
    /// Its content as written, nested blocks' comments included.
    raw: &'t str,
    inner: Vec<Node<'t>>,
}

/// Whether a body is made of blocks.
pub(super) fn has_blocks(body: &str) -> bool {
    body.contains("<!-- wp:")
}

/// A block comment: its name, attributes, whether it closes or is self-closing, its span.
struct Delimiter {
    name: String,
    attrs: Value,
    closing: bool,
    void: bool,
    start: usize,
    end: usize,
}

/// The block comment starting at `start` (at `<!--`), if it is one.
fn delimiter(body: &str, start: usize) -> Option<Delimiter> {
    let inner_start = start + "<!--".len();
    let inner_end = inner_start + body[inner_start..].find("-->")?;
    let end = inner_end + "-->".len();
    let inner = body[inner_start..inner_end].trim();
    let (closing, inner) = match inner.strip_prefix("/wp:") {
        Some(rest) => (true, rest),
        None => (false, inner.strip_prefix("wp:")?),
    };
    let (void, inner) = match inner.strip_suffix('/') {
        Some(rest) => (true, rest.trim_end()),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| c.is_whitespace() || c == '{')
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if name.is_empty() {
        return None;
    }
    let json = inner[name_len..].trim();
    let attrs = if json.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(json).unwrap_or(Value::Null)
    };
    let name = if name.contains('/') {
        name.to_string()
    } else {
        format!("core/{name}")
    };
    Some(Delimiter {
        name,
        attrs,
        closing,
        void,
        start,
        end,
    })
}

/// A block under construction: its opening comment and what it holds so far.
struct Open<'t> {
    name: String,
    attrs: Value,
    content_start: usize,
    inner: Vec<Node<'t>>,
}

/// Reads a body into its top-level nodes. A closer without its opener is text; blocks left
/// open at the end are closed there.
fn parse(body: &str) -> Vec<Node<'_>> {
    let mut top: Vec<Node<'_>> = Vec::new();
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut text_from = 0;
    let mut at = 0;
    while let Some(found) = body[at..].find("<!--").map(|i| at + i) {
        let Some(d) = delimiter(body, found) else {
            at = found + 4;
            continue;
        };
        if d.closing && !stack.iter().any(|open| open.name == d.name) {
            at = d.end;
            continue;
        }
        if text_from < d.start {
            push(&mut stack, &mut top, Node::Html(&body[text_from..d.start]));
        }
        if d.void {
            let block = Block {
                name: d.name,
                attrs: d.attrs,
                raw: "",
                inner: Vec::new(),
            };
            push(&mut stack, &mut top, Node::Block(block));
        } else if d.closing {
            while let Some(open) = stack.pop() {
                let matched = open.name == d.name;
                let block = Block {
                    name: open.name,
                    attrs: open.attrs,
                    raw: &body[open.content_start..d.start],
                    inner: open.inner,
                };
                push(&mut stack, &mut top, Node::Block(block));
                if matched {
                    break;
                }
            }
        } else {
            stack.push(Open {
                name: d.name,
                attrs: d.attrs,
                content_start: d.end,
                inner: Vec::new(),
            });
        }
        text_from = d.end;
        at = d.end;
    }
    if text_from < body.len() {
        push(&mut stack, &mut top, Node::Html(&body[text_from..]));
    }
    while let Some(open) = stack.pop() {
        let block = Block {
            name: open.name,
            attrs: open.attrs,
            raw: &body[open.content_start..],
            inner: open.inner,
        };
        push(&mut stack, &mut top, Node::Block(block));
    }
    top
}

/// Adds a node to the innermost open block, else to the top level.
fn push<'t>(stack: &mut [Open<'t>], top: &mut Vec<Node<'t>>, node: Node<'t>) {
    match stack.last_mut() {
        Some(open) => open.inner.push(node),
        None => top.push(node),
    }
}

/// Converts a body of blocks into `out`.
pub(super) fn convert(body: &str, out: &mut Out<'_>) {
    for node in parse(body) {
        let html = node_html(&node, out);
        out.html.push_str(&html);
    }
}

/// HTML for htmd standing for a node (pieces as placeholder paragraphs). HTML between blocks
/// is rendered as WordPress does once a post has blocks: shortcodes, no autop.
fn node_html(node: &Node<'_>, out: &mut Out<'_>) -> String {
    match node {
        Node::Html(text) if text.trim().is_empty() => String::new(),
        Node::Html(text) => shortcodes::expand(text, out),
        Node::Block(block) => block_html(block, out),
    }
}

/// The block's HTML with its nested blocks converted in place.
fn inner_html(block: &Block<'_>, out: &mut Out<'_>) -> String {
    block
        .inner
        .iter()
        .map(|node| node_html(node, out))
        .collect()
}

/// Only the nested blocks, the wrapper's own markup (`<div class="wp-block-group">`) left.
fn flattened(block: &Block<'_>, out: &mut Out<'_>) -> String {
    block
        .inner
        .iter()
        .filter(|node| matches!(node, Node::Block(_)))
        .map(|node| node_html(node, out))
        .collect()
}

fn attr_str<'v>(attrs: &'v Value, name: &str) -> Option<&'v str> {
    attrs.get(name)?.as_str().filter(|s| !s.trim().is_empty())
}

fn block_html(block: &Block<'_>, out: &mut Out<'_>) -> String {
    let kind = block.name.strip_prefix("core/").unwrap_or(&block.name);
    match kind {
        "paragraph" | "heading" | "list" | "list-item" | "quote" | "pullquote" | "table"
        | "verse" | "details" | "shortcode" | "freeform" => {
            format!("\n{}\n", inner_html(block, out))
        }
        "image" => image(block, out),
        "gallery" => gallery(block, out),
        "embed" => embed(block, attr_str(&block.attrs, "url"), out),
        _ if block.name.starts_with("core-embed/") => {
            embed(block, attr_str(&block.attrs, "url"), out)
        }
        "video" | "audio" => media(block, kind, out),
        "code" | "preformatted" => code(block),
        "separator" => out.piece("---".to_string()),
        "more" => out.piece("<!-- more -->".to_string()),
        // Layout only: a spacer's height is the theme's business.
        "spacer" => String::new(),
        "columns" | "column" | "group" | "row" | "stack" => flattened(block, out),
        "cover" => cover(block, out),
        _ => {
            out.unconverted(format!("block:{}", block.name));
            let kept = out.kept(block.raw);
            if kept.is_empty() {
                String::new()
            } else {
                out.piece(kept)
            }
        }
    }
}

/// The image and caption of an image block: from its markup, else its attachment.
fn image(block: &Block<'_>, out: &mut Out<'_>) -> String {
    let tag = html::tags(block.raw, "img").into_iter().next();
    let attachment = block
        .attrs
        .get("id")
        .and_then(Value::as_u64)
        .and_then(|id| out.ctx.attachments.get(&id))
        .cloned();
    let from_tag = |name: &str| tag.as_ref().and_then(|t| t.get(name)).cloned();
    let Some(src) = from_tag("src")
        .or_else(|| attr_str(&block.attrs, "url").map(str::to_string))
        .or_else(|| attachment.as_ref().map(|a| a.url.clone()))
    else {
        return String::new();
    };
    let alt = from_tag("alt")
        .filter(|alt| !alt.is_empty())
        .or_else(|| attachment.as_ref().map(|a| a.alt.clone()))
        .unwrap_or_default();
    // A block with markup says its caption; one without (`<!-- wp:image {"id":1} /-->`)
    // shows its attachment's.
    let caption = match html::inside(block.raw, "figcaption") {
        Some(caption) => caption.to_string(),
        None if block.raw.trim().is_empty() => attachment.map(|a| a.caption).unwrap_or_default(),
        None => String::new(),
    };
    let figure = out.image(&src, &alt, &caption);
    out.piece(figure)
}

/// A gallery: its nested image blocks (WordPress 5.9 on), else the attachments of its `ids`,
/// else the images of its markup.
fn gallery(block: &Block<'_>, out: &mut Out<'_>) -> String {
    if block
        .inner
        .iter()
        .any(|node| matches!(node, Node::Block(_)))
    {
        return flattened(block, out);
    }
    let ids: Vec<u64> = block
        .attrs
        .get("ids")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    let mut images = Vec::new();
    for id in ids {
        if let Some(a) = out.ctx.attachments.get(&id).cloned() {
            images.push(out.image(&a.url, &a.alt, &a.caption));
        }
    }
    if images.is_empty() {
        for tag in html::tags(block.raw, "img") {
            let src = tag.get("src").cloned().unwrap_or_default();
            let alt = tag.get("alt").cloned().unwrap_or_default();
            if !src.is_empty() {
                images.push(out.image(&src, &alt, ""));
            }
        }
    }
    if images.is_empty() {
        return String::new();
    }
    out.piece(images.join("\n\n"))
}

/// An embed: its URL alone on its line (Kiosque's embed), its caption as a paragraph after.
fn embed(block: &Block<'_>, url: Option<&str>, out: &mut Out<'_>) -> String {
    let url = url.map(str::to_string).or_else(|| {
        let wrapper = html::inside(block.raw, "div")?;
        let text = html::text_of(wrapper);
        let text = text.trim();
        text.starts_with("http").then(|| text.to_string())
    });
    let Some(url) = url else {
        out.unconverted(format!("block:{}", block.name));
        let kept = out.kept(block.raw);
        return out.piece(kept);
    };
    let url = out.link(&url);
    let mut html = out.piece(url);
    if let Some(caption) = html::inside(block.raw, "figcaption") {
        html.push_str(&format!("<p>{caption}</p>\n"));
    }
    html
}

/// A video or audio block: its file's URL alone on its line (Kiosque's player).
fn media(block: &Block<'_>, kind: &str, out: &mut Out<'_>) -> String {
    let src = html::tags(block.raw, kind)
        .into_iter()
        .find_map(|tag| tag.get("src").cloned())
        .or_else(|| {
            html::tags(block.raw, "source")
                .into_iter()
                .find_map(|tag| tag.get("src").cloned())
        })
        .or_else(|| attr_str(&block.attrs, "src").map(str::to_string))
        .or_else(|| {
            let id = block.attrs.get("id").and_then(Value::as_u64)?;
            out.ctx.attachments.get(&id).map(|a| a.url.clone())
        });
    let Some(src) = src else {
        return String::new();
    };
    let player = out.player(&src, kind);
    let mut html = out.piece(player);
    if let Some(caption) = html::inside(block.raw, "figcaption") {
        html.push_str(&format!("<p>{caption}</p>\n"));
    }
    html
}

/// Code and preformatted blocks: their `<pre>`, which htmd fences, with the language of a
/// `language-…` class or a `language` attribute (syntax-highlighting plugins).
fn code(block: &Block<'_>) -> String {
    let raw = block.raw;
    let language = attr_str(&block.attrs, "language").filter(|_| !raw.contains("language-"));
    match language {
        Some(language) => {
            let language: String = language
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '-' | '_'))
                .collect();
            let tag = if raw.contains("<code") {
                "<code"
            } else {
                "<pre"
            };
            let classed = raw.replacen(tag, &format!("{tag} class=\"language-{language}\""), 1);
            // The block's own class attribute on that tag, if any, comes second and is
            // ignored by the HTML parser.
            format!("\n{classed}\n")
        }
        // Shortcodes in code are text: none is expanded.
        None => format!("\n{raw}\n"),
    }
}

/// A cover: its background image, then its text blocks.
fn cover(block: &Block<'_>, out: &mut Out<'_>) -> String {
    let src = attr_str(&block.attrs, "url")
        .map(str::to_string)
        .or_else(|| {
            html::tags(block.raw, "img")
                .into_iter()
                .find_map(|tag| tag.get("src").cloned())
        });
    let mut html = String::new();
    if let Some(src) = src {
        let alt = attr_str(&block.attrs, "alt")
            .unwrap_or_default()
            .to_string();
        let image = out.image(&src, &alt, "");
        html.push_str(&out.piece(image));
    }
    html.push_str(&flattened(block, out));
    html
}
