//! Stats: the words of a body, for the reading time. Code blocks are HTML by the time the
//! events reach here, so only prose and inline code count.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Words read per minute, for reading time.
pub(super) const WORDS_PER_MINUTE: usize = 220;

/// Counts words across text events, which smart punctuation and inline markup split
/// mid-word (`l’a`, `**gras**é`).
#[derive(Default)]
pub(super) struct WordCounter {
    /// Words seen so far.
    pub(super) count: usize,
    in_word: bool,
}

impl WordCounter {
    /// Takes one event into account.
    pub(super) fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(text) | Event::Code(text) => self.feed(text),
            Event::Start(tag) if !is_inline(tag) => self.in_word = false,
            Event::End(tag) if !is_inline_end(tag) => self.in_word = false,
            Event::SoftBreak | Event::HardBreak => self.in_word = false,
            _ => {}
        }
    }

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
}

/// Markup inside a line of text, which does not separate words.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}
