//! Markdown stage: one pass over pulldown-cmark events that adds heading anchors, collects the
//! table of contents, turns a media URL or a shortcode alone on its line into an embed, renders
//! shortcodes, prefixes root-relative links with the site's base path, resolves internal
//! links (`@/2025/a.md#id`), and finds the summary, the word count and the ids links can
//! point at. In safe mode the result is sanitized, the site's own snippets set aside.
//!
//! It knows nothing of URLs other than the base path and the [`Targets`] it is given, nor of
//! templates: embeds and shortcodes are rendered by the [`Snippets`] it is given.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds::{self, Embed};
use crate::highlight::{self, Fence, Highlighter, Outcome};
use crate::html::rebase_root_links;
use crate::sanitize::Trusted;
use crate::shortcodes::{self, Call, Found};
use crate::slug::slugify;

/// Words read per minute, for reading time.
const WORDS_PER_MINUTE: usize = 220;

/// Ids the default theme gives elements around the body, which headings must not take.
const THEME_IDS: [&str; 2] = ["main", "toc-title"];

/// Byte that stands for a shortcode call's text while the body is parsed: pulldown-cmark
/// treats it as a plain character, so a call stays one run of text wherever it is.
const MASK: char = '\u{1a}';

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// Source path under `content/` (`2025/a.md`).
    pub target: String,
    /// Fragment, if any (`section`).
    pub anchor: Option<String>,
    /// Where the link is written.
    pub location: Location,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

impl Rendered {
    /// Minutes needed to read the text, at least one.
    pub fn reading_time(&self) -> usize {
        self.word_count.div_ceil(WORDS_PER_MINUTE).max(1)
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

/// Renders a body; every invalid embed and shortcode in it is reported.
pub fn render(input: &Input<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let (masked, calls) = mask_shortcodes(input, &mut errors);
    let parsed = Parser::new_ext(&masked, options())
        .into_offset_iter()
        .collect();
    let mut expander = Expander {
        input,
        source: &masked,
        calls,
        counts: HashMap::new(),
        errors: &mut errors,
        warnings: &mut warnings,
        has_code: false,
        snippets: false,
        trusted: Trusted::default(),
    };
    let events = expander.expand(parsed);
    let has_code = expander.has_code;
    let snippets = expander.snippets;
    let trusted = std::mem::take(&mut expander.trusted);
    let to_html = |events: &[Event<'_>]| {
        let html = to_html(events);
        if input.safe {
            trusted.clean(&html)
        } else {
            html
        }
    };
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut ids_taken = Ids::default();
    ids_taken
        .used
        .extend(THEME_IDS.iter().map(|id| id.to_string()));
    ids_taken
        .used
        .extend(events.iter().filter_map(|(event, _)| match event {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(footnote_id(label).to_string()),
            _ => None,
        }));
    let mut toc = Vec::new();
    let mut words = WordCounter::default();
    let mut depth = 0usize;
    let mut block_start = 0;
    let mut more_at = None;
    let mut more_after_block = false;
    let mut first_paragraph: Option<Range<usize>> = None;
    let mut first_paragraph_start = None;
    let mut internal_links = Vec::new();
    let mut hints = Vec::new();
    let mut ids = Vec::new();

    let mut index = 0;
    while index < events.len() {
        let (event, range) = &events[index];
        index += 1;
        if depth == 0 && matches!(event, Event::Start(_)) {
            block_start = out.len();
        }
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                if first_paragraph.is_none() {
                    first_paragraph_start = Some(out.len());
                }
                out.push(event.clone());
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = end_of_block(&events, index - 1);
                let title = plain_text(&events[index..end]);
                let id = match id {
                    Some(id) => ids_taken.unique(id),
                    None => ids_taken.unique(&slug_or_section(&title)),
                };
                toc.push(TocEntry {
                    level: *level as u8,
                    id: id.clone(),
                    title,
                });
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(id.into()),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: destination(input, dest_url, range.start, &mut internal_links),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let end = end_of_block(&events, index - 1);
                if plain_text(&events[index..end]).trim().is_empty() {
                    let location =
                        Location::at_offset(input.path, input.body, range.start, input.body_line);
                    let problem = Problem::MissingAlt(dest_url.to_string());
                    hints.push(Diagnostic::warning(location, problem));
                }
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: destination(input, dest_url, range.start, &mut internal_links),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Html(text) | Event::InlineHtml(text) if text.contains("id=") => {
                ids.extend(crate::page_links::scan(text).ids);
                out.push(event.clone());
            }
            Event::Html(text) | Event::InlineHtml(text) if is_more_marker(text) => {
                if more_at.is_none() {
                    if depth <= 1 && matches!(event, Event::Html(_)) {
                        more_at = Some(block_start);
                    } else {
                        more_after_block = true;
                    }
                }
                out.push(event.clone());
            }
            // Code blocks are already HTML here, so only prose and inline code reach this.
            Event::Text(text) | Event::Code(text) => {
                words.feed(text);
                out.push(event.clone());
            }
            Event::FootnoteReference(label) => {
                out.push(Event::FootnoteReference(footnote_id(label)))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.push(Event::Start(Tag::FootnoteDefinition(footnote_id(label))));
            }
            _ => out.push(event.clone()),
        }
        match event {
            Event::Start(tag) => {
                depth += 1;
                if !is_inline(tag) {
                    words.boundary();
                }
            }
            Event::SoftBreak | Event::HardBreak => words.boundary(),
            Event::End(tag) => {
                let inline = matches!(
                    tag,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Image
                );
                if !inline {
                    words.boundary();
                }
                depth = depth.saturating_sub(1);
                if depth == 0 && more_after_block && more_at.is_none() {
                    more_at = Some(out.len());
                }
                if depth == 0 && first_paragraph.is_none() {
                    first_paragraph = first_paragraph_start.take().map(|start| start..out.len());
                }
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if input.french_spacing {
        crate::typography::french(&mut out);
    }
    ids.extend(
        ids_taken
            .used
            .into_iter()
            .filter(|id| !THEME_IDS.contains(&id.as_str())),
    );

    Ok(Rendered {
        html: to_html(&out),
        // Footnotes are not on list pages, so their references would be dead links there.
        summary: more_at.map(|end| {
            let kept: Vec<Event<'_>> = out[..end]
                .iter()
                .filter(|e| !matches!(e, Event::FootnoteReference(_)))
                .cloned()
                .collect();
            to_html(&kept)
        }),
        first_paragraph: first_paragraph.map(|range| to_html(&out[range])),
        toc,
        word_count: words.count,
        has_code,
        snippets,
        warnings,
        hints,
        internal_links,
        ids,
    })
}

/// Where a link or image address leads once rendered: an internal link's article (kept as
/// written when there is none, which the build reports), a root-relative path under the
/// base path.
fn destination<'a>(
    input: &Input<'_>,
    dest: &CowStr<'a>,
    at: usize,
    internal: &mut Vec<InternalLink>,
) -> CowStr<'a> {
    let Some(rest) = dest.strip_prefix(INTERNAL_PREFIX) else {
        return with_base_path(dest, input.base_path);
    };
    let (path, anchor) = match rest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (rest, None),
    };
    let target = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let url = input.targets.get(&target).map(|site_path| {
        let url = match anchor {
            Some(anchor) => format!("{site_path}#{anchor}"),
            None => site_path.clone(),
        };
        with_base_path(&url.into(), input.base_path).into_string()
    });
    internal.push(InternalLink {
        target,
        anchor: anchor.map(str::to_string),
        location: Location::at_offset(input.path, input.body, at, input.body_line),
    });
    url.map_or_else(|| dest.clone(), CowStr::from)
}

/// Counts words across text events, which smart punctuation and inline markup split
/// mid-word (`l’a`, `**gras**é`).
#[derive(Default)]
struct WordCounter {
    count: usize,
    in_word: bool,
}

impl WordCounter {
    fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                self.count += 1;
            }
        }
    }

    /// Ends the current word (at a line break or block boundary).
    fn boundary(&mut self) {
        self.in_word = false;
    }
}

/// Markup inside a line of text, which does not separate words.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// Footnote ids get a prefix so that `[^1]` or `[^main]` cannot take a heading's or the
/// theme's id.
fn footnote_id<'a>(label: &str) -> CowStr<'a> {
    format!("fn-{label}").into()
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Problems reported for one body at most: hostile input (thousands of broken calls) must
/// not make the build, or its report, quadratic.
const MAX_ERRORS: usize = 50;

/// Adds a problem unless the body already has [`MAX_ERRORS`]; says so once when it does.
fn report(errors: &mut Vec<Diagnostic>, diagnostic: Diagnostic) {
    if errors.len() < MAX_ERRORS {
        errors.push(diagnostic);
    } else if errors.len() == MAX_ERRORS {
        let note = Problem::Shortcode(format!(
            "more problems in this file; the first {MAX_ERRORS} are shown"
        ));
        errors.push(Diagnostic::new(diagnostic.location, note));
    }
}

/// Finds the shortcode calls in prose (not in code, not in HTML comments), by the offset
/// where each starts, and returns the body in which each call's text is replaced by as many
/// [`MASK`] bytes: offsets, and so lines and columns, stay those of the file. Malformed calls
/// are reported and left as text.
fn mask_shortcodes<'b>(
    input: &Input<'b>,
    errors: &mut Vec<Diagnostic>,
) -> (Cow<'b, str>, BTreeMap<usize, Found>) {
    let body = input.body;
    // Most `{{` in tech articles are code (`format!("{{}}")`, templates) and no call at all:
    // the first parse, which tells code from prose, is only needed when one looks like a call.
    let looks_like_call = body
        .match_indices("{{")
        .any(|(at, _)| shortcodes::parse_at(body, at).is_some());
    if !looks_like_call {
        return (Cow::Borrowed(body), BTreeMap::new());
    }
    let mut prose = Vec::new();
    let mut in_code = false;
    let mut in_comment = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => prose.push(range),
            Event::Html(_) | Event::InlineHtml(_) => {
                outside_comments(body, range, &mut in_comment, &mut prose)
            }
            _ => {}
        }
    }
    // Each `{{/*` closes at the next `*/}}`; past the last one, none can.
    let last_close = body.rfind("*/}}");
    let mut unclosed_reported = false;
    let mut found = BTreeMap::new();
    let mut next_free = 0;
    for range in prose {
        let mut from = range.start.max(next_free);
        while from < range.end && errors.len() <= MAX_ERRORS {
            let Some(at) = body[from..range.end].find("{{").map(|i| from + i) else {
                break;
            };
            if body[at + 2..].starts_with("/*") && last_close.is_none_or(|close| close < at) {
                if unclosed_reported {
                    from = at + 2;
                    continue;
                }
                unclosed_reported = true;
            }
            match shortcodes::parse_at(body, at) {
                None => from = at + 2,
                Some(Err(error)) => {
                    let problem = Problem::Shortcode(error.message);
                    report(errors, diagnostic(input, error.at, problem));
                    from = at + 2;
                }
                Some(Ok(call)) => {
                    from = call.span().end;
                    next_free = from;
                    found.insert(at, call);
                }
            }
        }
    }
    if found.is_empty() {
        return (Cow::Borrowed(body), found);
    }
    // A stray mask byte in the text would be taken for a call.
    let mut bytes = body.replace(MASK, " ").into_bytes();
    for call in found.values() {
        bytes[call.span().clone()].fill(MASK as u8);
    }
    // Whole characters were replaced by ASCII, so the text is still UTF-8.
    let masked = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (Cow::Owned(masked), found)
}

/// Adds the parts of a raw HTML event's source that are outside `<!-- … -->` comments, which
/// may span several events; a commented-out call is not a call.
fn outside_comments(
    body: &str,
    range: Range<usize>,
    in_comment: &mut bool,
    out: &mut Vec<Range<usize>>,
) {
    let mut at = range.start;
    while at < range.end {
        let rest = &body[at..range.end];
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    at += end + 3;
                    *in_comment = false;
                }
                None => return,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push(at..at + start);
                    at += start + 4;
                    *in_comment = true;
                }
                None => {
                    out.push(at..range.end);
                    return;
                }
            }
        }
    }
}

fn diagnostic(input: &Input<'_>, offset: usize, problem: Problem) -> Diagnostic {
    Diagnostic::new(
        Location::at_offset(input.path, input.body, offset, input.body_line),
        problem,
    )
}

fn warning(input: &Input<'_>, offset: usize, problem: Problem) -> Diagnostic {
    Diagnostic::warning(
        Location::at_offset(input.path, input.body, offset, input.body_line),
        problem,
    )
}

/// Replaces shortcode calls and media URLs alone on their line with what they render to.
struct Expander<'i, 's> {
    input: &'i Input<'i>,
    /// The masked body the events were parsed from.
    source: &'s str,
    /// Calls not rendered yet, by the offset where they start.
    calls: BTreeMap<usize, Found>,
    /// Calls rendered so far, by shortcode name.
    counts: HashMap<String, usize>,
    errors: &'i mut Vec<Diagnostic>,
    warnings: &'i mut Vec<Diagnostic>,
    /// Whether a code block was highlighted.
    has_code: bool,
    /// Whether an embed or shortcode template was rendered.
    snippets: bool,
    /// The site's own HTML set aside in safe mode.
    trusted: Trusted,
}

/// Where substituted text goes: prose is escaped, raw HTML is not.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Html,
    InlineHtml,
}

impl<'a> Expander<'_, '_> {
    fn expand(&mut self, events: Vec<Spanned<'a>>) -> Vec<Spanned<'a>> {
        let mut out = Vec::with_capacity(events.len());
        let mut index = 0;
        while index < events.len() {
            match &events[index].0 {
                Event::Start(Tag::Paragraph) => {
                    let end = end_of_block(&events, index);
                    self.paragraph(&events[index..=end], &mut out);
                    index = end + 1;
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = end_of_block(&events, index);
                    let html = self.code_block(kind, &events[index..=end]);
                    let html = self.trust(html);
                    out.push((Event::Html(html.into()), events[index].1.clone()));
                    index = end + 1;
                    continue;
                }
                _ => {}
            }
            self.inline(&events[index], &mut out);
            index += 1;
        }
        // A call whose mask bytes the parser put where no text shows (a link's address, a
        // URL, code made by the masking itself) cannot be placed: say so rather than lose it.
        for found in std::mem::take(&mut self.calls).into_values() {
            let (at, what) = match &found {
                Found::Call(call) => (call.name_at, format!("shortcode `{}`", call.name)),
                Found::Literal { span, .. } => (span.start, "`{{/* … */}}`".to_string()),
            };
            let problem = Problem::Shortcode(format!(
                "{what} cannot be used here: calls work in text and HTML, not in code, a link \
                 address or a URL"
            ));
            report(self.errors, diagnostic(self.input, at, problem));
        }
        out
    }

    /// Splits a paragraph around its lines that are a lone media URL or a lone shortcode
    /// call, which become blocks of their own; a lone other URL becomes a link.
    fn paragraph(&mut self, paragraph: &[Spanned<'a>], out: &mut Vec<Spanned<'a>>) {
        let inner = &paragraph[1..paragraph.len() - 1];
        // Each line with the line break before it.
        let mut lines: Vec<(Option<&Spanned<'a>>, &[Spanned<'a>])> = Vec::new();
        let (mut start, mut depth, mut separator) = (0, 0usize, None);
        for (k, spanned) in inner.iter().enumerate() {
            match spanned.0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::SoftBreak | Event::HardBreak if depth == 0 => {
                    lines.push((separator, &inner[start..k]));
                    separator = Some(spanned);
                    start = k + 1;
                }
                _ => {}
            }
        }
        lines.push((separator, &inner[start..]));

        let (open_range, close_range) = (
            paragraph[0].1.clone(),
            paragraph[paragraph.len() - 1].1.clone(),
        );
        let mut open = false;
        for (separator, line) in lines {
            let range = line.first().map_or(open_range.clone(), |(_, r)| r.clone());
            if let Some(html) = self.block(line) {
                let html = self.trust(html);
                if open {
                    out.push((Event::End(TagEnd::Paragraph), range.clone()));
                    open = false;
                }
                out.push((Event::Html(html.into()), range));
                continue;
            }
            match (open, separator) {
                (true, Some(separator)) => out.push(separator.clone()),
                (true, None) => out.push((Event::SoftBreak, range.clone())),
                (false, _) => {
                    out.push((Event::Start(Tag::Paragraph), range.clone()));
                    open = true;
                }
            }
            match self.bare_url(line) {
                Some(url) => push_link(url, range, out),
                None => {
                    for event in line {
                        self.inline(event, out);
                    }
                }
            }
        }
        if open {
            out.push((Event::End(TagEnd::Paragraph), close_range));
        }
    }

    /// The block a line stands for, if it is nothing but one call or one media URL.
    fn block(&mut self, line: &[Spanned<'a>]) -> Option<String> {
        let (first, last) = (line.first()?, line.last()?);
        if let [(Event::Text(text), range)] = line
            && text.chars().all(|c| c == MASK)
            && let Some(Found::Call(call)) = self.calls.get(&range.start)
            && call.span == *range
            && let Some(Found::Call(call)) = self.calls.remove(&range.start)
        {
            return Some(self.render_call(&call));
        }
        let url = lone_url(&self.source[first.1.start..last.1.end])?;
        let offset = first.1.start;
        let html = match embeds::recognize(url)? {
            Ok(embed) => {
                self.snippets = true;
                self.input.snippets.embed(&embed, self.input.lang)
            }
            Err(reason) => Err(reason),
        };
        match html {
            Ok(html) => Some(html),
            Err(reason) => {
                let problem = Problem::InvalidEmbed {
                    url: url.to_string(),
                    reason,
                };
                report(self.errors, diagnostic(self.input, offset, problem));
                None
            }
        }
    }

    /// The URL of a line that is nothing but a bare `http(s)` URL, read from the source
    /// since smart punctuation rewrites `--` and quotes in the text.
    fn bare_url(&self, line: &[Spanned<'a>]) -> Option<String> {
        let (first, last) = (line.first()?, line.last()?);
        if !line
            .iter()
            .all(|(event, _)| matches!(event, Event::Text(_)))
        {
            return None;
        }
        let source = &self.source[first.1.start..last.1.end];
        lone_url(source)
            .filter(|url| *url == source.trim())
            .map(str::to_string)
    }

    /// Copies an event, with the calls in its text replaced by what they render to.
    fn inline(&mut self, spanned: &Spanned<'a>, out: &mut Vec<Spanned<'a>>) {
        let (event, range) = spanned;
        let (text, context) = match event {
            Event::Text(t) => (t, Context::Text),
            Event::Html(t) => (t, Context::Html),
            Event::InlineHtml(t) => (t, Context::InlineHtml),
            _ => return out.push(spanned.clone()),
        };
        let base_path = self.input.base_path;
        // The writer's raw HTML gets the base path; rendered snippets already have it.
        let piece = |text: String, context: Context| -> Spanned<'a> {
            let event = match context {
                Context::Text => Event::Text(text.into()),
                Context::Html => Event::Html(rebase_root_links(&text, base_path).into()),
                Context::InlineHtml => {
                    Event::InlineHtml(rebase_root_links(&text, base_path).into())
                }
            };
            (event, range.clone())
        };
        if !text.contains(MASK) {
            return out.push(match context {
                Context::Html | Context::InlineHtml if base_path != "/" => {
                    piece(text.to_string(), context)
                }
                _ => spanned.clone(),
            });
        }
        let snippet = |text: String, context: Context| -> Spanned<'a> {
            let event = match context {
                Context::Html => Event::Html(text.into()),
                _ => Event::InlineHtml(text.into()),
            };
            (event, range.clone())
        };
        // Calls are found by offset, which needs the text as written; where the parser
        // rewrote it, its calls stay unplaced and are reported.
        let aligned = self.source.get(range.clone()) == Some(text.as_ref());
        let mut plain = String::new();
        let mut skip_to = range.start;
        for (i, c) in text.char_indices() {
            let at = range.start + i;
            if c != MASK {
                plain.push(c);
                continue;
            }
            if !aligned || at < skip_to {
                continue;
            }
            // A call cut by the document's structure (its end in another event) is not
            // rendered; its mask bytes here are dropped.
            let Some(found) = self.calls.remove(&at).filter(|f| f.span().end <= range.end) else {
                continue;
            };
            skip_to = found.span().end;
            if !plain.is_empty() {
                out.push(piece(std::mem::take(&mut plain), context));
            }
            out.push(match (found, context) {
                (Found::Literal { text, .. }, Context::Text) => piece(text, Context::Text),
                (Found::Literal { text, .. }, html) => snippet(crate::html::escape(&text), html),
                (Found::Call(call), context) => {
                    let html = self.render_call(&call);
                    snippet(self.trust(html), context)
                }
            });
        }
        if !plain.is_empty() {
            out.push(piece(plain, context));
        }
    }

    /// A fenced or indented code block, highlighted; an unknown language is a warning and
    /// plain text, never a failed build.
    fn code_block(&mut self, kind: &CodeBlockKind<'_>, block: &[Spanned<'a>]) -> String {
        let at = block[0].1.start;
        let (fence, problems) = match kind {
            CodeBlockKind::Indented => (Fence::default(), Vec::new()),
            CodeBlockKind::Fenced(info) => Fence::parse(info),
        };
        let mut code = String::new();
        for (event, _) in block {
            if let Event::Text(text) = event {
                code.push_str(text);
            }
        }
        let Some(highlighter) = self.input.highlighter else {
            return highlight::plain(&fence, &code);
        };
        let highlighted = highlighter.highlight(&fence, &code);
        self.has_code = true;
        let mut warnings: Vec<Problem> = problems.into_iter().map(Problem::CodeBlock).collect();
        match highlighted.outcome {
            Outcome::Done => {}
            Outcome::UnknownLanguage => warnings.push(Problem::UnknownLanguage(
                fence.lang.clone().unwrap_or_default(),
            )),
            Outcome::Failed(cause) => warnings.push(Problem::SyntaxFailed {
                lang: fence.lang.clone().unwrap_or_default(),
                cause,
            }),
        }
        for problem in warnings {
            if self.warnings.len() < MAX_ERRORS {
                self.warnings.push(warning(self.input, at, problem));
            }
        }
        highlighted.html.to_string()
    }

    /// The site's own HTML, set aside from the sanitizer in safe mode.
    fn trust(&mut self, html: String) -> String {
        if self.input.safe {
            self.trusted.set_aside(html)
        } else {
            html
        }
    }

    fn render_call(&mut self, call: &Call) -> String {
        let nth = self.counts.entry(call.name.clone()).or_default();
        *nth += 1;
        self.snippets = true;
        let problem = match self.input.snippets.shortcode(call, self.input.lang, *nth) {
            Some(Ok(html)) => return html,
            Some(Err(message)) => {
                Problem::Shortcode(format!("shortcode `{}`: {message}", call.name))
            }
            None => Problem::UnknownShortcode(call.name.clone()),
        };
        report(self.errors, diagnostic(self.input, call.name_at, problem));
        String::new()
    }
}

/// A link to `url`, showing the URL, then the sentence punctuation a writer left after it.
fn push_link<'a>(text: String, range: Range<usize>, out: &mut Vec<Spanned<'a>>) {
    let url = embeds::trim_trailing_punctuation(&text).to_string();
    let after = text[url.len()..].to_string();
    let link = Tag::Link {
        link_type: LinkType::Autolink,
        dest_url: url.clone().into(),
        title: "".into(),
        id: "".into(),
    };
    out.push((Event::Start(link), range.clone()));
    out.push((Event::Text(url.into()), range.clone()));
    out.push((Event::End(TagEnd::Link), range.clone()));
    if !after.is_empty() {
        out.push((Event::Text(after.into()), range));
    }
}

fn to_html(events: &[Event<'_>]) -> String {
    let mut html = String::with_capacity(events.len() * 24);
    html::push_html(&mut html, events.iter().cloned());
    html
}

/// Index of the `End` event matching the `Start` at `start`.
fn end_of_block(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return start + offset;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The URL if a paragraph's source is nothing but one `http(s)` URL (bare or in `<…>`).
fn lone_url(source: &str) -> Option<&str> {
    let text = source.trim();
    let text = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text);
    let is_url = text.starts_with("https://") || text.starts_with("http://");
    let plain = !text.contains(|c: char| c.is_whitespace() || c == MASK);
    (is_url && plain).then_some(text)
}

fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}

fn slug_or_section(title: &str) -> String {
    let slug = slugify(title);
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// Ids taken in a page, and for each base the last suffix tried, so that a thousand headings
/// of the same text cost a thousand steps, not half a million.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    suffixes: HashMap<String, usize>,
}

impl Ids {
    /// `base`, or `base-1`, `base-2`… whichever is not used yet in the page.
    fn unique(&mut self, base: &str) -> String {
        let n = self.suffixes.entry(base.to_string()).or_default();
        let mut id = match *n {
            0 => base.to_string(),
            n => format!("{base}-{n}"),
        };
        while self.used.contains(&id) {
            *n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        id
    }
}

fn with_base_path<'a>(dest: &CowStr<'a>, base_path: &str) -> CowStr<'a> {
    match dest.strip_prefix('/') {
        Some(rest) if base_path != "/" && !rest.starts_with('/') => {
            format!("{base_path}{rest}").into()
        }
        _ => dest.clone(),
    }
}

fn is_more_marker(html: &str) -> bool {
    let compact: String = html.chars().filter(|c| !c.is_whitespace()).collect();
    compact == "<!--more-->"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_count_on_from_the_last_taken() {
        let mut ids = Ids::default();
        ids.used.insert("a-1".to_string());
        let taken: Vec<String> = (0..4).map(|_| ids.unique("a")).collect();
        assert_eq!(taken, ["a", "a-2", "a-3", "a-4"]);
        assert_eq!(ids.unique("a-2"), "a-2-1");
    }

    /// Renders embeds as a marker with their player URL, and one shortcode of its own.
    struct Plain;

    impl Snippets for Plain {
        fn embed(&self, embed: &Embed, _: &str) -> Result<String, String> {
            let player = embed.links().player.unwrap_or_default();
            Ok(format!(
                "<figure class=\"embed__facade\" data-src=\"{}\"></figure>",
                crate::html::escape(&player)
            ))
        }

        fn shortcode(&self, call: &Call, _: &str, nth: usize) -> Option<Result<String, String>> {
            match call.name.as_str() {
                "note" => Some(Ok(format!("<b>note {nth}</b>"))),
                "broken" => Some(Err("it broke".to_string())),
                name => {
                    let provider = embeds::Provider::from_name(name)?;
                    Some(
                        embeds::Options::from_args(&call.args)
                            .and_then(|o| embeds::resolve(Some(provider), o))
                            .and_then(|e| self.embed(&e, "fr")),
                    )
                }
            }
        }
    }

    fn render_md(body: &str) -> Result<Rendered, Vec<Diagnostic>> {
        render(&Input {
            path: Path::new("content/a.md"),
            body,
            body_line: 5,
            base_path: "/news/",
            lang: "fr",
            snippets: &Plain,
            highlighter: None,
            french_spacing: false,
            safe: false,
            targets: &Targets::new(),
        })
    }

    #[test]
    fn shortcodes_render_inline_or_as_blocks() {
        let out = render_md(
            "Intro {{ note() }} and {{note()}}.\n\n{{ youtube(id=\"dQw4w9WgXcQ\", start=90) }}\n\nEnd.\n",
        )
        .unwrap();
        assert!(
            out.html
                .starts_with("<p>Intro <b>note 1</b> and <b>note 2</b>.</p>\n<figure"),
            "{}",
            out.html
        );
        assert!(out.html.contains("start=90"), "{}", out.html);
        assert!(!out.html.contains("<p><figure"), "{}", out.html);
        assert!(!out.html.contains('\u{1a}'));
    }

    #[test]
    fn shortcodes_in_code_are_text() {
        let out = render_md(
            "Use `{{ note() }}` here.\n\n```md\n{{ note() }}\n{{ youtube(id=\"bad\") }}\n```\n\n    {{ note() }}\n",
        )
        .unwrap();
        assert!(!out.html.contains("<b>"), "{}", out.html);
        assert_eq!(out.html.matches("{{ note() }}").count(), 3, "{}", out.html);
    }

    #[test]
    fn shortcodes_in_lines_of_a_paragraph_and_in_html() {
        let out = render_md(
            "Line one *{{ note() }}*\n{{ note() }}\nline three\n\n<div class=\"x\">{{ note() }}</div>\n",
        )
        .unwrap();
        assert!(
            out.html.contains(
                "<p>Line one <em><b>note 1</b></em></p>\n<b>note 2</b>\n<p>line three</p>"
            ),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<div class=\"x\"><b>note 3</b></div>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn literal_shortcodes_are_shown_escaped() {
        let out = render_md("Write {{/* youtube(id=\"<x>\") */}} to embed.\n").unwrap();
        assert!(
            out.html
                .contains("Write {{ youtube(id=\"&lt;x&gt;\") }} to embed."),
            "{}",
            out.html
        );
    }

    #[test]
    fn every_bad_call_is_reported_with_its_position() {
        let errors = render_md(
            "Text.\n\n{{ nope() }}\n\nA {{ broken() }} and {{ youtube(id=\"x\") }}.\n\n{{ note(a=) }}\n",
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:#?}");
        assert!(
            shown[0].starts_with("content/a.md:11:11: error: malformed"),
            "{shown:#?}"
        );
        assert!(
            shown[1].starts_with("content/a.md:7:4: error: unknown shortcode `nope`"),
            "{shown:#?}"
        );
        assert!(
            shown[2].starts_with("content/a.md:9:6: error: shortcode `broken`: it broke"),
            "{shown:#?}"
        );
        assert!(
            shown[3].starts_with(
                "content/a.md:9:25: error: shortcode `youtube`: `x` is not a YouTube video id"
            ),
            "{shown:#?}"
        );
    }

    #[test]
    fn calls_stay_in_order_next_to_links_and_images() {
        // The mask is a control character, which no link address may hold: a call written
        // as one stays text, so every call is met in the order written.
        let out = render_md("[lien]({{ note() }}) et {{ note() }}.\n").unwrap();
        assert_eq!(out.html, "<p>[lien](<b>note 1</b>) et <b>note 2</b>.</p>\n");
        let out =
            render_md("[lien](https://a.b/) {{ note() }} et ![i](/x.png) {{ note() }}.\n").unwrap();
        assert!(out.html.contains("<b>note 1</b> et <img"), "{}", out.html);
        assert!(out.html.contains("<b>note 2</b>."), "{}", out.html);
        let out = render_md("![alt {{ note() }}](/x.png)\n").unwrap();
        assert!(
            !out.html.contains("<b>"),
            "no markup inside an attribute: {}",
            out.html
        );
    }

    #[test]
    fn calls_the_masking_moves_out_of_text_are_reported_not_lost() {
        // Masking the first call removes a backtick: the second call ends up in code.
        let errors =
            render_md("A {{ note(x=\"`\") }} B `y {{ note() }}` C {{ note() }}.\n").unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 1, "{shown:#?}");
        assert!(
            shown[0].starts_with("content/a.md:5:29: error: shortcode `note` cannot be used here"),
            "{shown:#?}"
        );
        // Masked, the call becomes a valid link address.
        let errors = render_md("[l](<{{ note(x=\">\") }}>) then {{ note() }}\n").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .to_string()
                .contains("5:9: error: shortcode `note` cannot be used here"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_call_glued_to_a_url_is_no_embed() {
        let out = render_md("https://youtu.be/dQw4w9WgXcQ{{ note() }}\n").unwrap();
        assert_eq!(
            out.html,
            "<p>https://youtu.be/dQw4w9WgXcQ<b>note 1</b></p>\n"
        );
    }

    #[test]
    fn calls_in_html_comments_are_left_alone() {
        let out = render_md(
            "<!-- {{ nope() }}\n{{ nope() }} -->\n\nText <!-- {{ nope() }} --> {{ note() }}.\n",
        )
        .unwrap();
        assert!(
            out.html.contains("<!-- {{ nope() }}\n{{ nope() }} -->"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<b>note 1</b>"), "{}", out.html);
    }

    #[test]
    fn lone_lines_work_after_hard_breaks_and_in_quotes() {
        let out = render_md("Intro  \n{{ youtube(id=\"dQw4w9WgXcQ\") }}\nAfter  \nnext\n\n> Quote\n>\n> https://youtu.be/dQw4w9WgXcQ\n").unwrap();
        assert!(
            out.html.starts_with("<p>Intro</p>\n<figure"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<p>After<br />\nnext</p>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<blockquote>\n<p>Quote</p>\n<figure"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("<p><figure"), "{}", out.html);
    }

    #[test]
    fn lone_urls_keep_dashes_and_quotes() {
        let out = render_md("https://example.org/a--b/it's\n").unwrap();
        assert!(
            out.html.contains(
                "<a href=\"https://example.org/a--b/it&#x27;s\">https://example.org/a--b/it's</a>"
            ),
            "{}",
            out.html
        );
    }

    #[test]
    fn hostile_bodies_stay_linear_and_bounded() {
        let unclosed = "{{/*x*/ ".repeat(50_000);
        let errors = render_md(&unclosed).unwrap_err();
        assert_eq!(errors.len(), 1, "one unclosed literal reported");
        let broken = "{{ note(1 ".repeat(50_000);
        let errors = render_md(&broken).unwrap_err();
        assert_eq!(errors.len(), MAX_ERRORS + 1);
        assert!(
            errors[MAX_ERRORS]
                .to_string()
                .contains("the first 50 are shown")
        );
    }

    #[test]
    fn text_that_looks_like_templates_is_kept() {
        let out = render_md("Vue writes {{ message }} and {{ a | b }}.\n").unwrap();
        assert!(
            out.html.contains("{{ message }} and {{ a | b }}"),
            "{}",
            out.html
        );
    }

    #[test]
    fn anchors_fold_accents_and_number_duplicates() {
        let out = render_md(
            "## Éducation nationale\n\n## Contexte\n\n## Contexte\n\n### Détails {#custom}\n",
        )
        .unwrap();
        let ids: Vec<_> = out.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            ["education-nationale", "contexte", "contexte-1", "custom"]
        );
        assert!(out.html.contains("<h2 id=\"contexte-1\">Contexte</h2>"));
        assert_eq!(out.toc[3].level, 3);
    }

    #[test]
    fn extensions_are_enabled() {
        let out = render_md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: Footnote.\n").unwrap();
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>old</del>"));
        assert!(out.html.contains("“quoted”"));
        assert!(out.html.contains("type=\"checkbox\""));
        assert!(out.html.contains("footnote-definition"));
    }

    #[test]
    fn summary_is_text_before_more_marker() {
        let out = render_md("First para.\n\nSecond para.\n\n<!-- more -->\n\nRest.\n").unwrap();
        assert_eq!(
            out.summary.as_deref(),
            Some("<p>First para.</p>\n<p>Second para.</p>\n")
        );
        assert_eq!(out.first_paragraph.as_deref(), Some("<p>First para.</p>\n"));
    }

    #[test]
    fn lone_youtube_url_becomes_an_embed_but_inline_one_does_not() {
        let out = render_md("Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ?t=42\n\nSee https://youtu.be/dQw4w9WgXcQ too.\n").unwrap();
        assert_eq!(out.html.matches("embed__facade").count(), 1);
        assert!(out.html.contains("start=42"));
        assert!(!out.html.contains("<p><figure"));
        assert!(out.html.contains("See https://youtu.be/dQw4w9WgXcQ too."));
    }

    #[test]
    fn ids_with_underscores_and_dashes_survive_smart_punctuation() {
        let out = render_md("https://www.youtube.com/watch?v=ab_c--d_e-f\n").unwrap();
        assert!(out.html.contains("embed/ab_c--d_e-f"), "{}", out.html);
    }

    #[test]
    fn other_lone_urls_become_links() {
        let out = render_md(
            "Source :\nhttps://www.elysee.fr/sommet?a=1&b=2\n\nhttps://example.org/x_y_z\n",
        )
        .unwrap();
        assert!(
            out.html.contains("<p>Source :\n<a href=\"https://www.elysee.fr/sommet?a=1&amp;b=2\">https://www.elysee.fr/sommet?a=1&amp;b=2</a></p>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<a href=\"https://example.org/x_y_z\">"),
            "{}",
            out.html
        );
    }

    #[test]
    fn url_line_inside_a_paragraph_splits_it() {
        let out = render_md("Intro.\nhttps://youtu.be/dQw4w9WgXcQ\nSuite *ici*.\n").unwrap();
        assert_eq!(out.html.matches("embed__facade").count(), 1, "{}", out.html);
        assert!(
            out.html.starts_with("<p>Intro.</p>\n<figure"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<p>Suite <em>ici</em>.</p>"),
            "{}",
            out.html
        );
        assert_eq!(out.first_paragraph.as_deref(), Some("<p>Intro.</p>\n"));
    }

    #[test]
    fn first_paragraph_follows_a_leading_embed() {
        let out = render_md("https://youtu.be/dQw4w9WgXcQ\n\nFirst words.\n").unwrap();
        assert_eq!(
            out.first_paragraph.as_deref(),
            Some("<p>First words.</p>\n")
        );
    }

    #[test]
    fn invalid_embed_points_at_its_line() {
        let errors = render_md("Intro.\n\nhttps://www.youtube.com/watch?v=nope\n").unwrap_err();
        assert_eq!(errors[0].location.to_string(), "content/a.md:7:1");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let out = render_md(
            "[a](/2025/x/) [b](//cdn.example/x) [c](https://e.org/) ![i](/images/a.png)\n",
        )
        .unwrap();
        assert!(out.html.contains("href=\"/news/2025/x/\""));
        assert!(out.html.contains("href=\"//cdn.example/x\""));
        assert!(out.html.contains("src=\"/news/images/a.png\""));
        let raw = render_md("<figure><img src=\"/images/raw.png\" alt=\"\"></figure>\n\nText <a href=\"/x/\">x</a>.\n").unwrap();
        assert!(
            raw.html.contains("src=\"/news/images/raw.png\""),
            "{}",
            raw.html
        );
        assert!(raw.html.contains("href=\"/news/x/\""), "{}", raw.html);
    }

    #[test]
    fn word_count_follows_words_not_events() {
        let out = render_md("l'a l'a l'a \"x\" **gras**é d--e `code`\n").unwrap();
        assert_eq!(out.word_count, 7);
    }

    #[test]
    fn footnotes_cannot_collide_with_headings_or_theme_ids() {
        let out = render_md(
            "## 1\n\nText[^1] and[^main].\n\n<!-- more -->\n\n[^1]: One.\n[^main]: Main.\n",
        )
        .unwrap();
        assert!(out.html.contains("<h2 id=\"1\">"), "{}", out.html);
        assert!(out.html.contains("id=\"fn-1\""), "{}", out.html);
        assert!(out.html.contains("href=\"#fn-main\""), "{}", out.html);
        assert!(!out.html.contains("id=\"main\""), "{}", out.html);
        assert!(!out.summary.unwrap().contains("footnote-reference"));
    }

    #[test]
    fn word_count_skips_code() {
        let out = render_md("One two three.\n\n```rust\nlet a = b;\n```\n").unwrap();
        assert_eq!(out.word_count, 3);
        assert_eq!(out.reading_time(), 1);
    }
}
