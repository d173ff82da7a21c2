//! WordPress post bodies to Kiosque Markdown, for `kiosque import wordpress`: Gutenberg blocks
//! (`blocks`) or a classic-editor body with WordPress's paragraph rules (`autop`),
//! shortcodes (`shortcodes`), then one pass of HTML to Markdown (`html`, with htmd).
//!
//! What Markdown cannot say as well as Kiosque can (embeds, figures, fenced code, kept HTML)
//! is written as Markdown directly and set aside as a placeholder paragraph while the rest goes
//! through the HTML converter, then put back. Reading the export, writing files and fetching
//! media are the importer's; this module only turns one body into text.

mod autop;
mod blocks;
mod html;
mod shortcodes;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use html::original_upload;

/// What the converter knows of the rest of the export.
pub struct Context<'a> {
    /// Attachments by post id: URL of the file, alt text, caption — for `[gallery ids="…"]`,
    /// `wp:image {"id":N}`, thumbnails.
    pub attachments: &'a HashMap<u64, Attachment>,
    /// Ids of the attachments whose parent is this post, in menu order — `[gallery]` without
    /// ids shows them.
    pub attached: &'a [u64],
    /// Rewrites a link or media URL found in the body: an old permalink → `@/2025/slug.md`, an
    /// uploads URL → `/uploads/2025/02/photo.jpg`; `None` keeps it as written.
    pub rewrite: &'a dyn Fn(&str) -> Option<String>,
}

/// One attachment (an uploaded file) of the export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    /// URL of the file.
    pub url: String,
    /// Alternative text.
    pub alt: String,
    /// Caption, as HTML.
    pub caption: String,
}

/// A body converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// The body as Kiosque Markdown, ending with a newline (empty for an empty body).
    pub markdown: String,
    /// Every shortcode or block type that could not be converted (kept as sanitised HTML or
    /// text), by name, e.g. `shortcode:contact-form-7`, `block:core/calendar`; once each.
    pub unconverted: Vec<String>,
    /// Every media URL the body references (after rewriting), for the importer to copy or
    /// download; once each, in body order.
    pub media: Vec<String>,
}

/// Converts one post body.
pub fn to_markdown(body: &str, ctx: &Context<'_>) -> Converted {
    let mut out = Out::new(ctx);
    if blocks::has_blocks(body) {
        blocks::convert(body, &mut out);
    } else {
        let expanded = shortcodes::expand(body, &mut out);
        out.html.push_str(&autop::autop(&expanded));
    }
    out.finish()
}

/// Opens a placeholder for a piece of Markdown; its index and [`CLOSE`] follow. Private-use
/// characters, which the sanitizer and htmd keep as text.
const OPEN: char = '\u{e000}';
const CLOSE: char = '\u{e001}';

/// The conversion under way: HTML for htmd, and the Markdown set aside.
pub(crate) struct Out<'c> {
    ctx: &'c Context<'c>,
    /// HTML still to convert, with placeholder paragraphs.
    html: String,
    /// Finished Markdown, by placeholder index.
    pieces: Vec<String>,
    unconverted: Vec<String>,
    media: Vec<String>,
}

impl<'c> Out<'c> {
    fn new(ctx: &'c Context<'c>) -> Self {
        Out {
            ctx,
            html: String::new(),
            pieces: Vec::new(),
            unconverted: Vec::new(),
            media: Vec::new(),
        }
    }

    /// A paragraph of its own standing for `markdown` until [`Out::finish`].
    fn piece(&mut self, markdown: String) -> String {
        self.pieces.push(markdown);
        format!("\n\n<p>{OPEN}{}{CLOSE}</p>\n\n", self.pieces.len() - 1)
    }

    /// Notes a block or shortcode kept unconverted.
    fn unconverted(&mut self, what: String) {
        if !self.unconverted.contains(&what) {
            self.unconverted.push(what);
        }
    }

    /// A link's address, rewritten.
    fn link(&self, url: &str) -> String {
        (self.ctx.rewrite)(url).unwrap_or_else(|| url.to_string())
    }

    /// A media file's address: the original of a resized copy, rewritten, and recorded.
    fn media(&mut self, url: &str) -> String {
        let original = original_upload(url);
        let url = (self.ctx.rewrite)(&original).unwrap_or(original);
        if !self.media.contains(&url) {
            self.media.push(url.clone());
        }
        url
    }

    /// A media file as Kiosque plays it: its URL alone on its line when absolute (Kiosque
    /// embeds a lone `http(s)` URL), else a call to its `audio` or `video` shortcode (a site
    /// path alone on its line would stay text). `shortcode` is `audio` or `video`.
    fn player(&mut self, src: &str, shortcode: &str) -> String {
        let url = self.media(src);
        if url.starts_with("https://") || url.starts_with("http://") {
            return url;
        }
        let quoted = url.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{{{{ {shortcode}(url=\"{quoted}\") }}}}")
    }

    fn finish(mut self) -> Converted {
        let source = std::mem::take(&mut self.html);
        let source = html::keep_plain_tables(&source, &mut self);
        let cleaned = html::code_in_pre(&self.clean(&source, false));
        // Calls are escaped before the pieces are back: those are either escaped already
        // (captions, kept HTML) or the converter's own calls.
        let converted = html::escape_calls(&html::to_markdown(&cleaned));
        let mut markdown = String::with_capacity(converted.len());
        let mut rest = converted.as_str();
        while let Some(open) = rest.find(OPEN) {
            markdown.push_str(&rest[..open]);
            let after = &rest[open + OPEN.len_utf8()..];
            let piece = after.split_once(CLOSE).and_then(|(index, tail)| {
                Some((self.pieces.get(index.parse::<usize>().ok()?)?, tail))
            });
            match piece {
                // Alone on its line (htmd made it a paragraph): a block of its own.
                Some((piece, tail))
                    if (markdown.is_empty() || markdown.ends_with('\n'))
                        && (tail.is_empty() || tail.starts_with('\n')) =>
                {
                    markdown.push_str("\n\n");
                    markdown.push_str(piece);
                    markdown.push_str("\n\n");
                    rest = tail;
                }
                // Inside a list item or a table cell: in place.
                Some((piece, tail)) => {
                    markdown.push_str(piece);
                    rest = tail;
                }
                // The body's own private-use character: text, as written.
                None => {
                    markdown.push(OPEN);
                    rest = after;
                }
            }
        }
        markdown.push_str(rest);
        Converted {
            markdown: html::tidy(&markdown),
            unconverted: self.unconverted,
            media: self.media,
        }
    }
}
