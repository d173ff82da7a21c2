//! Shortcode calls, found while walking the body's one event stream: each `{{` in prose or raw
//! HTML (not in code, an HTML comment or a URL) is read by [`shortcodes::parse_at`] where it
//! is written, and the events its text was parsed into give way to one [`Item::Call`] holding
//! the call and its byte range. The body is parsed once; nothing is masked or searched again.
//!
//! A call whose text Markdown read together with the text around it (a `*` or a backtick in
//! an argument pairing with one after the call, a blank line inside it) cannot be cut out of
//! the events whole: it is reported, never rendered in half or dropped.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::problems::Problems;
use super::{Input, Spanned};
use crate::diagnostics::Problem;
use crate::shortcodes::{self, Found};

/// What kind of event a call is written in, which decides how its HTML is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    /// Prose, whose text is escaped.
    Text,
    /// A block of raw HTML.
    Html,
    /// Raw HTML inside a paragraph.
    InlineHtml,
}

/// An event of the body, or a call standing for the events its text was parsed into.
pub(super) enum Item<'a> {
    /// An event as parsed, or the part of a text event before or after a call.
    Event(Event<'a>),
    /// A call or a `{{/* … */}}` literal, and the kind of event it is written in.
    Call(Found, Context),
}

/// An item and the bytes of the body it covers.
pub(super) type SpannedItem<'a> = (Item<'a>, Range<usize>);

/// The body's events with its calls in place: an iterator handing out each event once, moved
/// out of the parsed list rather than copied.
pub(super) struct Calls<'i, 'a> {
    input: &'i Input<'a>,
    events: Vec<Spanned<'a>>,
    /// Index of the event handed out next.
    next: usize,
    /// Where the text of the event at `next` resumes, when a call took its beginning.
    resume: Option<usize>,
    /// A call whose preceding text was just handed out.
    queued: Option<SpannedItem<'a>>,
    /// Whether the body has a `{{` at all: most have none, and their events pass untouched.
    scan: bool,
    in_code: bool,
    in_autolink: bool,
    in_comment: bool,
    /// Each `{{/*` closes at the next `*/}}`; past the last one, none can.
    last_close: Option<usize>,
    unclosed_reported: bool,
    /// Malformed calls.
    pub(super) syntax: Problems,
    /// Calls written where none can be rendered.
    pub(super) misplaced: Problems,
}

impl<'i, 'a> Calls<'i, 'a> {
    /// The calls of `events`, parsed from `input.body`.
    pub(super) fn new(input: &'i Input<'a>, events: Vec<Spanned<'a>>) -> Self {
        Calls {
            input,
            events,
            next: 0,
            resume: None,
            queued: None,
            scan: input.body.contains("{{"),
            in_code: false,
            in_autolink: false,
            in_comment: false,
            last_close: input.body.rfind("*/}}"),
            unclosed_reported: false,
            syntax: Problems::default(),
            misplaced: Problems::default(),
        }
    }

    /// Moves the event at `index` out; it is never read again.
    fn take(&mut self, index: usize) -> SpannedItem<'a> {
        let (event, range) = &mut self.events[index];
        (
            Item::Event(std::mem::replace(event, Event::Rule)),
            range.clone(),
        )
    }

    /// Notes what an event opens or closes, when it is first met.
    fn observe(&mut self, index: usize) {
        let address = match &self.events[index].0 {
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code = true;
                return;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                return;
            }
            Event::End(TagEnd::Link) => {
                self.in_autolink = false;
                return;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                self.in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                dest_url
            }
            Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => return,
        };
        if address.contains("{{") {
            let address = address.to_string();
            self.misplaced_in_address(index, &address);
        }
    }

    /// Reports the calls in a link or image address, which cannot render there.
    fn misplaced_in_address(&mut self, index: usize, address: &str) {
        let range = self.events[index].1.clone();
        let written = &self.input.body[range.clone()];
        for (at, _) in address.match_indices("{{") {
            if let Some(Ok(found)) = shortcodes::parse_at(address, at) {
                let call = &address[found.span().clone()];
                let offset = written.find(call).map_or(range.start, |i| range.start + i);
                self.report_misplaced(&found, offset);
            }
        }
    }

    /// Reports a call that cannot render where it is, its span starting at byte `start` of
    /// the body.
    fn report_misplaced(&mut self, found: &Found, start: usize) {
        let (at, what) = match found {
            Found::Call(call) => (
                start + (call.name_at - call.span.start),
                format!("shortcode `{}`", call.name),
            ),
            Found::Literal { .. } => (start, "`{{/* … */}}`".to_string()),
        };
        let problem = Problem::Shortcode(format!(
            "{what} cannot be used here: calls work in text and HTML, not in code, a link \
             address or a URL"
        ));
        self.misplaced.report(self.input, at, problem);
    }

    /// The kind of event at `index` if calls in it count.
    fn context(&self, index: usize) -> Option<Context> {
        match self.events[index].0 {
            Event::Text(_) if !self.in_code && !self.in_autolink => Some(Context::Text),
            Event::Html(_) => Some(Context::Html),
            Event::InlineHtml(_) => Some(Context::InlineHtml),
            _ => None,
        }
    }

    /// Whether the event's text is its source as written, so offsets in one are offsets in
    /// the other; smart punctuation, escapes and entities give text of their own.
    fn aligned(&self, index: usize) -> bool {
        let (event, range) = &self.events[index];
        match event {
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                let Some(source) = self.input.body.get(range.clone()) else {
                    return false;
                };
                // Most text is borrowed from the body: the same bytes, no need to compare
                // them (which, once per call in a long paragraph, would be quadratic).
                std::ptr::eq(source, text.as_ref()) || source == text.as_ref()
            }
            _ => false,
        }
    }

    /// The source `range` as an event of `context`, borrowed from the body.
    fn piece(&self, context: Context, range: Range<usize>) -> Option<SpannedItem<'a>> {
        if range.is_empty() {
            return None;
        }
        let text = CowStr::Borrowed(&self.input.body[range.clone()]);
        let event = match context {
            Context::Text => Event::Text(text),
            Context::Html => Event::Html(text),
            Context::InlineHtml => Event::InlineHtml(text),
        };
        Some((Item::Event(event), range))
    }

    /// The next `{{` from `from` to `end` outside HTML comments (in raw HTML, where comments
    /// may span several events).
    fn next_open(&mut self, mut from: usize, end: usize, context: Context) -> Option<usize> {
        let body = self.input.body;
        if context == Context::Text {
            return body[from..end].find("{{").map(|i| from + i);
        }
        let mut open: Option<usize> = None;
        loop {
            if self.in_comment {
                from += body[from..end].find("-->")? + 3;
                self.in_comment = false;
                continue;
            }
            // Searched again only once passed, so many comments before one `{{` stay linear.
            let at = match open {
                Some(at) if at >= from => Some(at),
                _ => body[from..end].find("{{").map(|i| from + i),
            };
            open = at;
            let before = &body[from..at.unwrap_or(end)];
            if let Some(comment) = before.find("<!--") {
                from += comment + 4;
                self.in_comment = true;
                continue;
            }
            return at;
        }
    }

    /// The next call in the event at `index` from `from`, placed: `next` and `resume` then
    /// point past it. Malformed and misplaced calls on the way are reported.
    fn find(&mut self, index: usize, mut from: usize, context: Context) -> Option<(usize, Found)> {
        let body = self.input.body;
        let end = self.events[index].1.end;
        let mut aligned = None;
        while !self.syntax.is_full() {
            let at = self.next_open(from, end, context)?;
            from = at + 2;
            if body[at + 2..].starts_with("/*") && self.last_close.is_none_or(|close| close < at) {
                if self.unclosed_reported {
                    continue;
                }
                self.unclosed_reported = true;
            }
            match shortcodes::parse_at(body, at) {
                None => {}
                Some(Err(error)) => {
                    let problem = Problem::Shortcode(error.message);
                    self.syntax.report(self.input, error.at, problem);
                }
                Some(Ok(found)) => {
                    if !*aligned.get_or_insert_with(|| self.aligned(index)) {
                        self.report_misplaced(&found, at);
                    } else if self.place(index, found.span()) {
                        return Some((at, found));
                    } else {
                        self.report_cut(&found);
                    }
                }
            }
        }
        None
    }

    /// Whether the events from `index` cover `span` whole, the call's text being nothing but
    /// text and markup opened and closed inside it; if so, moves past it.
    fn place(&mut self, index: usize, span: &Range<usize>) -> bool {
        let first = self.events[index].1.clone();
        if span.end < first.end {
            self.next = index;
            self.resume = Some(span.end);
            return true;
        }
        let mut covered = first.end;
        let mut depth = 0usize;
        let mut next = index + 1;
        while let Some((event, range)) = self.events.get(next) {
            match event {
                // A container the call is in closes: the call must have ended before.
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                _ if range.start >= span.end => break,
                _ if range.start < span.start => return false,
                Event::Start(_) if range.end <= span.end => depth += 1,
                _ if range.end <= span.end => {}
                // Text going on after the call: its rest is handed out from there.
                Event::Text(_) | Event::Html(_) | Event::InlineHtml(_)
                    if depth == 0 && self.aligned(next) =>
                {
                    self.next = next;
                    self.resume = Some(span.end);
                    return true;
                }
                _ => return false,
            }
            covered = covered.max(range.end);
            next += 1;
        }
        if covered < span.end {
            return false;
        }
        self.next = next;
        true
    }

    fn report_cut(&mut self, found: &Found) {
        let (at, what) = match found {
            Found::Call(call) => (call.name_at, format!("shortcode `{}`", call.name)),
            Found::Literal { span, .. } => (span.start, "`{{/* … */}}`".to_string()),
        };
        let problem = Problem::Shortcode(format!(
            "{what} cannot be read whole: the Markdown around it takes part of its text (a `*`, \
             `_` or backtick in it pairs with one outside it, or a blank line cuts it)"
        ));
        self.misplaced.report(self.input, at, problem);
    }
}

impl<'a> Iterator for Calls<'_, 'a> {
    type Item = SpannedItem<'a>;

    fn next(&mut self) -> Option<SpannedItem<'a>> {
        if let Some(call) = self.queued.take() {
            return Some(call);
        }
        loop {
            let index = self.next;
            let range = self.events.get(index)?.1.clone();
            if !self.scan {
                self.next += 1;
                return Some(self.take(index));
            }
            let from = match self.resume.take() {
                Some(from) => from,
                None => {
                    self.observe(index);
                    range.start
                }
            };
            let Some(context) = self.context(index) else {
                self.next += 1;
                return Some(self.take(index));
            };
            let Some((at, found)) = self.find(index, from, context) else {
                self.next = index + 1;
                if from == range.start {
                    return Some(self.take(index));
                }
                match self.piece(context, from..range.end) {
                    Some(rest) => return Some(rest),
                    None => continue,
                }
            };
            let span = found.span().clone();
            let call = (Item::Call(found, context), span);
            match self.piece(context, from..at) {
                Some(before) => {
                    self.queued = Some(call);
                    return Some(before);
                }
                None => return Some(call),
            }
        }
    }
}
