//! Markdown stage: one pass of pulldown-cmark over a body, its events then going through
//! small adapters, each in a module of its own:
//!
//! - `calls` finds shortcode calls in the events, where they are written;
//! - `embeds` turns a media URL or a call alone on its line into a block, renders the other
//!   calls, and code blocks through `code` (highlighting);
//! - `anchors` gives headings their ids and collects the table of contents;
//! - `links` prefixes root-relative links with the base path, resolves internal links
//!   (`@/2025/a.md#id`) and records where each link and image is written;
//! - `stats` counts words, `summary` finds the `<!-- more -->` marker and the first
//!   paragraph; then [`crate::typography`] spaces French prose.
//!
//! In safe mode the result is sanitized, the site's own snippets set aside. The stage knows
//! nothing of URLs other than the base path and the [`Targets`] it is given, nor of
//! templates: embeds and shortcodes are rendered by the [`Snippets`] it is given.

mod anchors;
mod calls;
mod code;
mod embeds;
mod links;
mod position;
mod problems;
mod stats;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, RefDefs, Tag, html};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location};
use crate::embeds::Embed;
use crate::highlight::Highlighter;
use crate::shortcodes::Call;

use anchors::{Anchors, footnote_id};
use calls::Calls;
use embeds::Expander;
use links::Links;
use stats::WordCounter;
use summary::Summary;

/// Renders what a body embeds; the render stage implements it with the theme's templates.
pub trait Snippets: Sync {
    /// HTML of an embed, in the article's language.
    fn embed(&self, embed: &Embed, lang: &str) -> Result<String, String>;

    /// HTML of a shortcode call, the `nth` of its name in the body; `None` if no shortcode
    /// has this name.
    fn shortcode(&self, call: &Call, lang: &str, nth: usize) -> Option<Result<String, String>>;
}

/// What the Markdown stage needs to know about one body.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// Source file, for messages.
    pub path: &'a Path,
    /// Markdown text.
    pub body: &'a str,
    /// Line of the file where `body` starts.
    pub body_line: usize,
    /// Base path (`/` or `/news/`) prefixed to root-relative links.
    pub base_path: &'a str,
    /// Language of the article, for embeds and shortcodes.
    pub lang: &'a str,
    /// Renders embeds and shortcodes.
    pub snippets: &'a dyn Snippets,
    /// Highlights code blocks; `None` leaves them plain.
    pub highlighter: Option<&'a Highlighter>,
    /// Whether prose gets French spacing (see [`crate::typography`]).
    pub french_spacing: bool,
    /// Whether the body is sanitized, the site's own snippets kept (`[markdown] safe`).
    pub safe: bool,
    /// Where internal links (`@/2025/a.md`) lead.
    pub targets: &'a Targets,
}

/// Site paths of the published articles by source path under `content/` (`2025/a.md`): what
/// an internal link (`@/2025/a.md`) leads to.
pub type Targets = HashMap<String, String>;

/// Prefix of an internal link: the rest is a source path under `content/`.
pub const INTERNAL_PREFIX: &str = "@/";

/// A link to another article by its source path: `[text](@/2025/a.md#section)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternalLink {
    /// Source path under `content/` (`2025/a.md`).
    pub target: String,
    /// Fragment, if any (`section`).
    pub anchor: Option<String>,
    /// Where the link is written.
    pub location: Location,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// Anchor id, unique in the page.
    pub id: String,
    /// Heading text.
    pub title: String,
}

/// A rendered body.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The whole body as HTML.
    pub html: String,
    /// HTML before `<!-- more -->`, if the body has the marker.
    pub summary: Option<String>,
    /// HTML of the first paragraph, if any.
    pub first_paragraph: Option<String>,
    /// Headings in document order.
    pub toc: Vec<TocEntry>,
    /// Words in the text, code excluded.
    pub word_count: usize,
    /// Whether a code block was highlighted, so the page needs the code stylesheet.
    pub has_code: bool,
    /// Whether an embed or shortcode template was rendered, so editing one changes it.
    pub snippets: bool,
    /// Problems that do not fail the build (unknown code languages).
    pub warnings: Vec<Diagnostic>,
    /// Advice for `kiosque check`, not worth a warning at every build (images without alt).
    pub hints: Vec<Diagnostic>,
    /// Links written `@/…`, in order.
    pub internal_links: Vec<InternalLink>,
    /// Every id a link can point at: headings, footnotes and the writer's own HTML.
    pub ids: Vec<String>,
    /// Every link, image, embed and shortcode call, where it is written, in that order.
    pub written: Vec<Written>,
}

/// What a [`Written`] address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WrittenKind {
    /// A link: `[text](address)`, `<https://…>`, a lone URL, or `<a href>` in raw HTML.
    Link,
    /// An image: `![alt](address)`, or `<img src>` in raw HTML.
    Image,
    /// A media URL alone on its line, rendered as a player.
    Embed,
    /// A shortcode call: `{{ name(…) }}`.
    Shortcode,
}

/// A link, image, embed or shortcode call as the writer wrote it, and where, so that checks
/// can point at it without reading the source again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// What it is.
    pub kind: WrittenKind,
    /// The address as written, before the base path or an internal link's resolution: a
    /// link's or image's destination, an embed's URL; a shortcode call's name.
    pub target: String,
    /// An image's alternative text: a Markdown image's description (empty when it has
    /// none), an `<img>`'s `alt` attribute (`None` when it has none). `None` for the other
    /// kinds.
    pub alt: Option<String>,
    /// Where the address starts in the source (a call's `{{`; a referenced link's
    /// definition).
    pub location: Location,
    /// Whether it is written in raw HTML (`<a href>`, `<img src>`) rather than Markdown.
    pub html: bool,
}

impl Rendered {
    /// Minutes needed to read the text, at least one.
    pub fn reading_time(&self) -> usize {
        self.word_count.div_ceil(stats::WORDS_PER_MINUTE).max(1)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// An event and the bytes of the body it comes from.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// Renders a body; every invalid embed and shortcode in it is reported.
pub fn render(input: &Input<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let mut parser = Parser::new_ext(input.body, options()).into_offset_iter();
    let parsed: Vec<Spanned<'_>> = parser.by_ref().collect();
    let capacity = parsed.len();
    let mut calls = Calls::new(input, parsed);
    let mut expander = Expander::new(input);
    let events = expander.expand(&mut calls, capacity);
    let errors = problems::joined([calls.syntax, expander.errors, calls.misplaced]);
    if !errors.is_empty() {
        return Err(errors);
    }
    let Annotated {
        mut out,
        anchors,
        links,
        words,
        summary,
    } = annotate(input, events, parser.reference_definitions());
    if input.french_spacing {
        crate::typography::french(&mut out);
    }
    let trusted = expander.trusted;
    let to_html = |events: &[Event<'_>]| {
        let html = to_html(events);
        if input.safe {
            trusted.clean(&html)
        } else {
            html
        }
    };
    let (toc, ids) = anchors.finish();
    let mut written = expander.written;
    written.extend(links.written);
    written.sort_by_key(|w| (w.location.line, w.location.column));
    Ok(Rendered {
        html: to_html(&out),
        // Footnotes are not on list pages, so their references would be dead links there.
        summary: summary.more_at.map(|end| {
            let kept: Vec<Event<'_>> = out[..end]
                .iter()
                .filter(|e| !matches!(e, Event::FootnoteReference(_)))
                .cloned()
                .collect();
            to_html(&kept)
        }),
        first_paragraph: summary.first_paragraph.map(|range| to_html(&out[range])),
        toc,
        word_count: words.count,
        has_code: expander.has_code,
        snippets: expander.snippets,
        warnings: expander.warnings,
        hints: links.hints,
        internal_links: links.internal,
        ids,
        written,
    })
}

/// The output events, and what the adapters learned on the way.
struct Annotated<'i, 'a> {
    out: Vec<Event<'a>>,
    anchors: Anchors,
    links: Links<'i, 'a>,
    words: WordCounter,
    summary: Summary,
}

/// Passes the expanded events once through the adapters that read or rewrite them one at a
/// time: anchors, links, word count and summary.
fn annotate<'i, 'a>(
    input: &'i Input<'a>,
    mut events: Vec<Spanned<'a>>,
    definitions: &'i RefDefs<'i>,
) -> Annotated<'i, 'a> {
    let mut anchors = Anchors::new(&events);
    let mut links = Links::new(input, definitions);
    let mut words = WordCounter::default();
    let mut summary = Summary::default();
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    for index in 0..events.len() {
        let range = events[index].1.clone();
        // Moved out, not copied: later events stay in place for a heading's or image's text.
        let event = std::mem::replace(&mut events[index].0, Event::Rule);
        summary.before(&event, out.len());
        words.event(&event);
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let title = plain_text(&events[index + 1..end_of_block(&events, index)]);
                let id = anchors.heading(level, id.as_deref(), title);
                Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs,
                })
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let inner = &events[index + 1..end_of_block(&events, index)];
                let image = matches!(tag, Tag::Image { .. });
                let inner_end = inner
                    .last()
                    .map_or(range.start + 1 + usize::from(image), |(_, r)| r.end);
                let alt = image.then(|| plain_text(inner));
                Event::Start(links.tag(tag, &range, inner_end, alt))
            }
            Event::Html(text) => {
                anchors.html(&text);
                Event::Html(text)
            }
            Event::InlineHtml(text) => {
                anchors.html(&text);
                Event::InlineHtml(text)
            }
            Event::FootnoteReference(label) => Event::FootnoteReference(footnote_id(&label)),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(footnote_id(&label)))
            }
            event => event,
        };
        out.push(event);
        summary.after(&out[out.len() - 1], out.len());
    }
    Annotated {
        out,
        anchors,
        links,
        words,
        summary,
    }
}

fn to_html(events: &[Event<'_>]) -> String {
    let mut html = String::with_capacity(events.len() * 24);
    html::push_html(&mut html, events.iter().cloned());
    html
}

/// Index of the `End` event closing the `Start` at `start` (which may have been moved out).
fn end_of_block(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 1usize;
    for (offset, (event, _)) in events[start + 1..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return start + 1 + offset;
                }
            }
            _ => {}
        }
    }
    events.len()
}

/// The text of some events, markup left out: a heading's title, an image's description.
fn plain_text(events: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}
