//! Embeds and shortcodes: a paragraph line that is nothing but a media URL or a shortcode call
//! becomes a block of its own (the paragraph split around it), another lone URL becomes a
//! link; calls elsewhere render in place. Code blocks go through [`super::code`]; the
//! writer's raw HTML gets the base path.
//!
//! What embeds and calls render to comes from the [`Snippets`]; in safe mode it is set aside
//! from the sanitizer as the site's own HTML.
//!
//! [`Snippets`]: super::Snippets

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::calls::{Calls, Context, Item, SpannedItem};
use super::position::Positions;
use super::problems::Problems;
use super::{Input, Spanned, Written, WrittenKind, code};
use crate::diagnostics::{Diagnostic, Problem};
use crate::embeds;
use crate::html::rebase_root_links;
use crate::sanitize::Trusted;
use crate::shortcodes::{Call, Found};

/// Replaces calls, lone media URLs and code blocks with what they render to.
pub(super) struct Expander<'i, 'a> {
    input: &'i Input<'a>,
    /// Calls rendered so far, by shortcode name.
    counts: HashMap<String, usize>,
    /// Calls and embeds that failed to render.
    pub(super) errors: Problems,
    /// Problems that do not fail the build.
    pub(super) warnings: Vec<Diagnostic>,
    /// Whether a code block was highlighted.
    pub(super) has_code: bool,
    /// Whether an embed or shortcode template was rendered.
    pub(super) snippets: bool,
    /// The site's own HTML set aside in safe mode.
    pub(super) trusted: Trusted,
    /// Embeds, calls and the raw HTML's links and images, where written.
    pub(super) written: Vec<Written>,
    positions: Positions<'a>,
    /// Whether the writer's raw HTML has an open `<!--` comment.
    in_comment: bool,
}

impl<'i, 'a> Expander<'i, 'a> {
    /// An expander for the body of `input`.
    pub(super) fn new(input: &'i Input<'a>) -> Self {
        Expander {
            input,
            counts: HashMap::new(),
            errors: Problems::default(),
            warnings: Vec::new(),
            has_code: false,
            snippets: false,
            trusted: Trusted::default(),
            written: Vec::new(),
            positions: Positions::new(input.path, input.body, input.body_line),
            in_comment: false,
        }
    }

    /// The events of the body with calls, embeds and code blocks rendered.
    pub(super) fn expand(
        &mut self,
        calls: &mut Calls<'_, 'a>,
        capacity: usize,
    ) -> Vec<Spanned<'a>> {
        let mut out = Vec::with_capacity(capacity);
        // One paragraph at a time, the buffer reused.
        let mut paragraph: Vec<SpannedItem<'a>> = Vec::new();
        while let Some((item, range)) = calls.next() {
            match item {
                Item::Event(Event::Start(Tag::Paragraph)) => {
                    paragraph.clear();
                    paragraph.push((item, range));
                    rest_of_block(calls, &mut paragraph);
                    self.paragraph(&mut paragraph, &mut out);
                }
                Item::Event(Event::Start(Tag::CodeBlock(kind))) => {
                    let mut code = String::new();
                    for (item, _) in calls.by_ref() {
                        match item {
                            Item::Event(Event::Text(text)) => code.push_str(&text),
                            Item::Event(Event::End(TagEnd::CodeBlock)) => break,
                            _ => {}
                        }
                    }
                    let (html, highlighted) =
                        code::block(self.input, &kind, &code, range.start, &mut self.warnings);
                    self.has_code |= highlighted;
                    let html = self.trust(html);
                    out.push((Event::Html(html.into()), range));
                }
                item => self.inline(item, range, &mut out),
            }
        }
        out
    }

    /// Splits a paragraph around its lines that are a lone media URL or a lone shortcode
    /// call, which become blocks of their own; a lone other URL becomes a link.
    fn paragraph(&mut self, items: &mut [SpannedItem<'a>], out: &mut Vec<Spanned<'a>>) {
        let last = items.len() - 1;
        let (open_range, close_range) = (items[0].1.clone(), items[last].1.clone());
        let mut open = false;
        let (mut start, mut depth, mut separator) = (1, 0usize, None);
        for k in 1..=last {
            // Lines end at the paragraph's end and at its own line breaks, not those inside
            // emphasis or a link.
            let ends_line = k == last
                || match items[k].0 {
                    Item::Event(Event::Start(_)) => {
                        depth += 1;
                        false
                    }
                    Item::Event(Event::End(_)) => {
                        depth = depth.saturating_sub(1);
                        false
                    }
                    Item::Event(Event::SoftBreak | Event::HardBreak) => depth == 0,
                    _ => false,
                };
            if !ends_line {
                continue;
            }
            let line = start..k;
            let range = items
                .get(line.clone())
                .and_then(<[_]>::first)
                .map_or(open_range.clone(), |(_, r)| r.clone());
            if let Some(html) = self.block(&items[line.clone()]) {
                let html = self.trust(html);
                if open {
                    out.push((Event::End(TagEnd::Paragraph), range.clone()));
                    open = false;
                }
                out.push((Event::Html(html.into()), range));
            } else {
                match (open, separator) {
                    (true, Some(separator)) => {
                        let (item, range) = take(&mut items[separator]);
                        self.inline(item, range, out);
                    }
                    (true, None) => out.push((Event::SoftBreak, range.clone())),
                    (false, _) => {
                        out.push((Event::Start(Tag::Paragraph), range.clone()));
                        open = true;
                    }
                }
                match self.bare_url(&items[line.clone()]) {
                    Some(url) => push_link(url, range, out),
                    None => {
                        for spanned in &mut items[line] {
                            let (item, range) = take(spanned);
                            self.inline(item, range, out);
                        }
                    }
                }
            }
            separator = Some(k);
            start = k + 1;
        }
        if open {
            out.push((Event::End(TagEnd::Paragraph), close_range));
        }
    }

    /// The block a line stands for, if it is nothing but one call or one media URL.
    fn block(&mut self, line: &[SpannedItem<'a>]) -> Option<String> {
        if let [(Item::Call(Found::Call(call), Context::Text), range)] = line {
            return Some(self.render_call(call, range.start));
        }
        if line.iter().any(|(item, _)| matches!(item, Item::Call(..))) {
            return None;
        }
        let (first, last) = (line.first()?, line.last()?);
        let source = &self.input.body[first.1.start..last.1.end];
        let url = lone_url(source)?;
        let at = first.1.start + (url.as_ptr() as usize - source.as_ptr() as usize);
        let html = match embeds::recognize(url)? {
            Ok(embed) => {
                self.snippets = true;
                self.record(WrittenKind::Embed, url.to_string(), at);
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
                self.errors.report(self.input, first.1.start, problem);
                None
            }
        }
    }

    /// The URL of a line that is nothing but a bare `http(s)` URL, read from the source
    /// since smart punctuation rewrites `--` and quotes in the text.
    fn bare_url(&self, line: &[SpannedItem<'a>]) -> Option<String> {
        let (first, last) = (line.first()?, line.last()?);
        if !line
            .iter()
            .all(|(item, _)| matches!(item, Item::Event(Event::Text(_))))
        {
            return None;
        }
        let source = &self.input.body[first.1.start..last.1.end];
        lone_url(source)
            .filter(|url| *url == source.trim())
            .map(str::to_string)
    }

    /// Adds an item to `out`: a call as what it renders to, raw HTML with the base path.
    fn inline(&mut self, item: Item<'a>, range: Range<usize>, out: &mut Vec<Spanned<'a>>) {
        let base_path = self.input.base_path;
        let snippet = |html: String, context: Context| match context {
            Context::Html => Event::Html(html.into()),
            Context::Text | Context::InlineHtml => Event::InlineHtml(html.into()),
        };
        let event = match item {
            Item::Call(Found::Literal { text, .. }, Context::Text) => Event::Text(text.into()),
            Item::Call(Found::Literal { text, .. }, context) => {
                snippet(crate::html::escape(&text), context)
            }
            Item::Call(Found::Call(call), context) => {
                let html = self.render_call(&call, range.start);
                snippet(self.trust(html), context)
            }
            Item::Event(Event::Html(text)) => {
                self.raw_html(&text);
                // The writer's raw HTML gets the base path; rendered snippets already have it.
                match base_path {
                    "/" => Event::Html(text),
                    _ => Event::Html(rebase_root_links(&text, base_path).into()),
                }
            }
            Item::Event(Event::InlineHtml(text)) => {
                self.raw_html(&text);
                match base_path {
                    "/" => Event::InlineHtml(text),
                    _ => Event::InlineHtml(rebase_root_links(&text, base_path).into()),
                }
            }
            Item::Event(event) => event,
        };
        out.push((event, range));
    }

    /// Records the links and images of a piece of the writer's raw HTML, which is a slice
    /// of the body: where it starts is known without a search.
    fn raw_html(&mut self, html: &str) {
        let body = self.input.body;
        let Some(start) = (html.as_ptr() as usize)
            .checked_sub(body.as_ptr() as usize)
            .filter(|start| start + html.len() <= body.len())
        else {
            return;
        };
        for found in crate::html::tag_addresses(html, &mut self.in_comment) {
            let kind = match found.image {
                true => WrittenKind::Image,
                false => WrittenKind::Link,
            };
            self.written.push(Written {
                kind,
                target: found.value,
                alt: found.alt,
                location: self.positions.locate(start + found.at),
                html: true,
            });
        }
    }

    /// The site's own HTML, set aside from the sanitizer in safe mode.
    fn trust(&mut self, html: String) -> String {
        if self.input.safe {
            self.trusted.set_aside(html)
        } else {
            html
        }
    }

    /// What a call written at byte `at` renders to; a failure is reported and renders to
    /// nothing.
    fn render_call(&mut self, call: &Call, at: usize) -> String {
        let nth = self.counts.entry(call.name.clone()).or_default();
        *nth += 1;
        let nth = *nth;
        self.snippets = true;
        self.record(WrittenKind::Shortcode, call.name.clone(), at);
        let problem = match self.input.snippets.shortcode(call, self.input.lang, nth) {
            Some(Ok(html)) => return html,
            Some(Err(message)) => {
                Problem::Shortcode(format!("shortcode `{}`: {message}", call.name))
            }
            None => Problem::UnknownShortcode(call.name.clone()),
        };
        self.errors.report(self.input, call.name_at, problem);
        String::new()
    }

    fn record(&mut self, kind: WrittenKind, target: String, at: usize) {
        self.written.push(Written {
            kind,
            target,
            alt: None,
            location: self.positions.locate(at),
            html: false,
        });
    }
}

/// Adds to `block` the items up to the `End` closing the `Start` it holds.
fn rest_of_block<'a>(calls: &mut Calls<'_, 'a>, block: &mut Vec<SpannedItem<'a>>) {
    let mut depth = 1usize;
    for (item, range) in calls.by_ref() {
        match item {
            Item::Event(Event::Start(_)) => depth += 1,
            Item::Event(Event::End(_)) => depth -= 1,
            _ => {}
        }
        block.push((item, range));
        if depth == 0 {
            return;
        }
    }
}

/// Moves an item out of a paragraph being rewritten; it is never read again.
fn take<'a>(spanned: &mut SpannedItem<'a>) -> SpannedItem<'a> {
    let range = spanned.1.clone();
    (
        std::mem::replace(&mut spanned.0, Item::Event(Event::Rule)),
        range,
    )
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

/// The URL if a line's source is nothing but one `http(s)` URL (bare or in `<…>`).
fn lone_url(source: &str) -> Option<&str> {
    let text = source.trim();
    let text = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text);
    let is_url = text.starts_with("https://") || text.starts_with("http://");
    let plain = !text.contains(char::is_whitespace);
    (is_url && plain).then_some(text)
}
