//! Summary: where a list page's excerpt of the body ends, at the `<!-- more -->` marker, and
//! the first paragraph, the fallback when there is no marker. Both are ranges of the
//! rendered events, so the excerpt is the body's own HTML, not a second rendering.

use std::ops::Range;

use pulldown_cmark::{Event, Tag};

/// Follows the output events as they are written, block by block.
#[derive(Default)]
pub(super) struct Summary {
    depth: usize,
    /// Index of the output event opening the current top-level block.
    block_start: usize,
    /// Output events before the marker.
    pub(super) more_at: Option<usize>,
    /// A marker inside a block: the summary ends after that block.
    more_after_block: bool,
    /// Output events of the first top-level paragraph.
    pub(super) first_paragraph: Option<Range<usize>>,
    first_paragraph_start: Option<usize>,
}

impl Summary {
    /// Before `event` is written at index `at` of the output.
    pub(super) fn before(&mut self, event: &Event<'_>, at: usize) {
        if self.depth == 0 && matches!(event, Event::Start(_)) {
            self.block_start = at;
        }
        match event {
            Event::Start(Tag::Paragraph) if self.depth == 0 && self.first_paragraph.is_none() => {
                self.first_paragraph_start = Some(at);
            }
            // HTML setting an id is the writer's own, never the marker.
            Event::Html(text) | Event::InlineHtml(text)
                if self.more_at.is_none() && !text.contains("id=") && is_more_marker(text) =>
            {
                if self.depth <= 1 && matches!(event, Event::Html(_)) {
                    self.more_at = Some(self.block_start);
                } else {
                    self.more_after_block = true;
                }
            }
            _ => {}
        }
    }

    /// After `event` was written, the output now `len` events long.
    pub(super) fn after(&mut self, event: &Event<'_>, len: usize) {
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth > 0 {
                    return;
                }
                if self.more_after_block && self.more_at.is_none() {
                    self.more_at = Some(len);
                }
                if self.first_paragraph.is_none() {
                    self.first_paragraph = self.first_paragraph_start.take().map(|at| at..len);
                }
            }
            _ => {}
        }
    }
}

/// Whether raw HTML is `<!-- more -->`, however spaced.
fn is_more_marker(html: &str) -> bool {
    html.chars()
        .filter(|c| !c.is_whitespace())
        .eq("<!--more-->".chars())
}
