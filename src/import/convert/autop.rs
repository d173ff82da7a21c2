//! WordPress's paragraph rules for classic-editor posts, after `wpautop()` in
//! `wp-includes/formatting.php`: text separated by a blank line is a paragraph, a single
//! newline inside one is a line break, block-level elements are never wrapped in `<p>`, and
//! `<pre>` (with `<script>`, `<style>`, `<svg>` and `<math>`) is left exactly as written.
//!
//! WordPress gets there by a series of regular-expression passes, each undoing some of the
//! previous one's over-wrapping; this reads the text once into tags and text and decides each
//! chunk directly, which yields the same markup for what editors write.

/// Elements WordPress treats as blocks: a blank line is implied around them.
const BLOCKS: &[&str] = &[
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "math",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
];

/// Elements whose content autop must not touch.
const VERBATIM: &[&str] = &["pre", "script", "style", "svg", "math"];

/// Tags whose surrounding whitespace WordPress removes so that no paragraph or line break
/// lands between them: `<option>`s, an `<object>`'s `<param>` and `<embed>`, `<audio>` and
/// `<video>` with their `<source>` and `<track>`, and `<figcaption>` (open, close): whether
/// the whitespace before and after goes.
fn collapses(name: &str, closing: bool) -> (bool, bool) {
    match (name, closing) {
        ("option", false) | ("figcaption", false) => (true, false),
        ("option", true) | ("figcaption", true) => (false, true),
        ("param" | "embed" | "source" | "track", _) => (true, true),
        ("object" | "audio" | "video", false) => (false, true),
        ("object" | "audio" | "video", true) => (true, false),
        _ => (false, false),
    }
}

/// One piece of the text: a tag (`<…>`, comments included) or the text between tags.
#[derive(Debug, PartialEq)]
enum Piece<'t> {
    Tag(&'t str),
    Text(&'t str),
}

/// The element a tag opens or closes, lower-cased, and whether it closes.
fn element(tag: &str) -> Option<(String, bool)> {
    let inner = tag.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty()).then(|| (name.to_ascii_lowercase(), closing))
}

fn is_block(tag: &str) -> bool {
    element(tag).is_some_and(|(name, _)| BLOCKS.contains(&name.as_str()))
}

/// Splits `text` into tags and text. A `<` that does not start a tag is text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut text_from = 0;
    let mut at = 0;
    while let Some(open) = text[at..].find('<').map(|i| at + i) {
        let next = text[open + 1..].chars().next();
        let is_tag = next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let end = if text[open..].starts_with("<!--") {
            text[open..].find("-->").map(|i| open + i + 3)
        } else if is_tag {
            tag_end(text, open)
        } else {
            None
        };
        match end {
            Some(end) => {
                if text_from < open {
                    out.push(Piece::Text(&text[text_from..open]));
                }
                out.push(Piece::Tag(&text[open..end]));
                text_from = end;
                at = end;
            }
            None => at = open + 1,
        }
    }
    if text_from < text.len() {
        out.push(Piece::Text(&text[text_from..]));
    }
    out
}

/// End of the tag opening at `open`: after its `>`, quoted attribute values skipped.
fn tag_end(text: &str, open: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(open + i + 1),
            _ => {}
        }
    }
    None
}

/// Sets the verbatim elements aside, each replaced by an empty `<pre>` placeholder (a block,
/// so never wrapped); returns the text and what was set aside.
fn set_aside(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut kept = Vec::new();
    let pieces = pieces(text);
    let mut i = 0;
    while i < pieces.len() {
        let verbatim = match pieces[i] {
            Piece::Tag(tag) => element(tag)
                .filter(|(name, closing)| !closing && VERBATIM.contains(&name.as_str()))
                .map(|(name, _)| name),
            Piece::Text(_) => None,
        };
        let Some(name) = verbatim else {
            match pieces[i] {
                Piece::Tag(t) | Piece::Text(t) => out.push_str(t),
            }
            i += 1;
            continue;
        };
        let close = pieces[i + 1..]
            .iter()
            .position(|p| matches!(p, Piece::Tag(t) if element(t) == Some((name.clone(), true))));
        let end = close.map_or(pieces.len(), |c| i + 1 + c + 1);
        let mut whole = String::new();
        for piece in &pieces[i..end] {
            match piece {
                Piece::Tag(t) | Piece::Text(t) => whole.push_str(t),
            }
        }
        out.push_str(&format!("<pre wp-pre-tag-{}></pre>", kept.len()));
        kept.push(whole);
        i = end;
    }
    (out, kept)
}

/// A classic-editor body with WordPress's paragraphs and line breaks.
pub(super) fn autop(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let (text, kept) = set_aside(&text);

    // Blank lines around blocks; two `<br>` in a row are a paragraph break; a newline inside
    // a tag is a space.
    let mut spaced = String::with_capacity(text.len() + 64);
    let mut last_br = false;
    let mut skip_space = false;
    for piece in pieces(&text) {
        match piece {
            Piece::Tag(tag) => {
                let tag = tag.replace('\n', " ");
                let (name, closing) = element(&tag).unwrap_or_default();
                let (before, after) = collapses(&name, closing);
                if before || after {
                    if before {
                        spaced.truncate(spaced.trim_end().len());
                    }
                    spaced.push_str(&tag);
                    skip_space = after;
                    last_br = false;
                    continue;
                }
                if name == "br" {
                    if last_br {
                        // The first `<br>` was already written: it becomes the break.
                        let at = spaced.rfind('<').unwrap_or(spaced.len());
                        spaced.truncate(at);
                        spaced.push_str("\n\n");
                        last_br = false;
                        continue;
                    }
                    spaced.push_str("<br />");
                    last_br = true;
                    continue;
                }
                last_br = false;
                let block = BLOCKS.contains(&name.as_str());
                if block && !closing {
                    spaced.push_str("\n\n");
                }
                spaced.push_str(&tag);
                if block && (closing || name == "hr") {
                    spaced.push_str("\n\n");
                }
            }
            Piece::Text(t) => {
                if !t.trim().is_empty() {
                    last_br = false;
                }
                spaced.push_str(if skip_space { t.trim_start() } else { t });
                skip_space = false;
            }
        }
    }

    let mut out = String::with_capacity(spaced.len() + 64);
    for chunk in paragraphs(&spaced) {
        out.push_str(&paragraph(chunk));
        out.push('\n');
    }
    for (index, original) in kept.iter().enumerate() {
        out = out.replace(&format!("<pre wp-pre-tag-{index}></pre>"), original);
    }
    out
}

/// The chunks between blank lines (lines of only whitespace count as blank).
fn paragraphs(text: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                chunks.push(&text[s..end]);
            }
        } else {
            start.get_or_insert(at);
            end = at + line.len();
        }
        at += line.len();
    }
    if let Some(s) = start {
        chunks.push(&text[s..end]);
    }
    chunks
}

/// One chunk: its inline start wrapped in `<p>` (up to its first block tag), its newlines
/// made line breaks except next to a block tag.
fn paragraph(chunk: &str) -> String {
    let chunk = chunk.trim_matches('\n');
    let pieces = pieces(chunk);
    let first_block = pieces
        .iter()
        .position(|p| matches!(p, Piece::Tag(t) if is_block(t)));
    let starts_inline = first_block != Some(0);
    let mut html = String::with_capacity(chunk.len() + 16);
    for (i, piece) in pieces.iter().enumerate() {
        if starts_inline && i == 0 {
            html.push_str("<p>");
        }
        if starts_inline && Some(i) == first_block {
            close_paragraph(&mut html);
        }
        match piece {
            Piece::Tag(t) | Piece::Text(t) => html.push_str(t),
        }
    }
    if starts_inline && first_block.is_none() {
        close_paragraph(&mut html);
    }
    line_breaks(&html)
}

/// Ends an open paragraph, its trailing whitespace inside it dropped.
fn close_paragraph(html: &mut String) {
    let trimmed = html.trim_end().len();
    html.truncate(trimmed);
    html.push_str("</p>");
}

/// Each newline a `<br />`, except after a `<br />` already there, or before or after a block
/// tag; whitespace before a newline dropped.
fn line_breaks(html: &str) -> String {
    let lines: Vec<&str> = html.split('\n').map(str::trim_end).collect();
    let mut out = String::with_capacity(html.len() + 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        let Some(next) = lines.get(i + 1) else {
            break;
        };
        let after_block = ends_with_block_tag(line) || line.ends_with("<br />");
        let before_block = starts_with_block_tag(next.trim_start());
        if !after_block && !before_block && !line.is_empty() {
            out.push_str("<br />");
        }
        out.push('\n');
    }
    out
}

fn ends_with_block_tag(line: &str) -> bool {
    line.ends_with('>') && line.rfind('<').is_some_and(|open| is_block(&line[open..]))
}

fn starts_with_block_tag(line: &str) -> bool {
    line.starts_with('<')
        && line
            .find('>')
            .is_some_and(|close| is_block(&line[..=close]))
}
