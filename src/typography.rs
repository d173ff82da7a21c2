//! French typography on rendered Markdown events: a narrow no-break space (U+202F) before
//! `;`, `:`, `!` and `?` and inside `« »`, so they never start or end a line alone.
//!
//! Only prose changes: code, raw HTML, image descriptions (an attribute once rendered),
//! autolinks and URL-looking words are left as written. A space the writer typed is
//! replaced; a missing one is added, except before `:` (times such as `10:30`, ratios).

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// The narrow no-break space.
const NARROW: char = '\u{202f}';

/// Applies French spacing to the prose of `events`.
pub fn french(events: &mut [Event<'_>]) {
    // Inside code, an image's description or an autolink: left alone.
    let mut verbatim = 0usize;
    // The last character of prose, across inline markup (`**mot**!`).
    let mut previous: Option<char> = None;
    // Whether each open link is an autolink.
    let mut links: Vec<bool> = Vec::new();
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock) => {
                verbatim += 1;
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                verbatim += usize::from(auto);
                links.push(auto);
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image | TagEnd::HtmlBlock) => {
                verbatim = verbatim.saturating_sub(1);
            }
            Event::End(TagEnd::Link) if links.pop() == Some(true) => {
                verbatim = verbatim.saturating_sub(1);
            }
            Event::End(TagEnd::Link) => {}
            Event::Text(text) if verbatim == 0 => {
                if let Some(spaced) = space(text, previous) {
                    *text = CowStr::from(spaced);
                }
                previous = text.chars().last();
            }
            Event::Code(text) | Event::InlineHtml(text) => previous = text.chars().last(),
            // Inline markup keeps the prose going; a block ends it.
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {}
            Event::Start(_) | Event::End(_) => previous = None,
            Event::SoftBreak | Event::HardBreak => previous = Some('\n'),
            _ => {}
        }
    }
}

/// Plain text (a headline, a description) with French spacing.
pub fn french_text(text: &str) -> String {
    space(text, None).unwrap_or_else(|| text.to_string())
}

/// The text with French spacing, or `None` when nothing changes. `before` is the character
/// of prose just before it, if any.
fn space(text: &str, before: Option<char>) -> Option<String> {
    if !text.contains([';', ':', '!', '?', '«', '»']) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut word_start = 0;
    let mut last = before;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            word_start = at + c.len_utf8();
        }
        match c {
            // Checked only at punctuation: most characters need no look at their word.
            ';' | ':' | '!' | '?' | '»' if !is_url_like(&text[word_start..]) => {
                match last {
                    Some(' ' | '\u{a0}') => {
                        out.pop();
                        out.push(NARROW);
                    }
                    Some(NARROW) | None => {}
                    // `?!`, `!!`: one space before the first only.
                    Some(';' | ':' | '!' | '?' | '(' | '[' | '\n') => {}
                    Some(p) if p.is_whitespace() => {}
                    Some(_) if c == ':' => {}
                    Some(_) => out.push(NARROW),
                }
                out.push(c);
            }
            ' ' | '\u{a0}' if last == Some('«') => {
                out.push(NARROW);
                last = Some(NARROW);
                continue;
            }
            _ => {
                if last == Some('«') && !c.is_whitespace() && c != NARROW {
                    out.push(NARROW);
                }
                out.push(c);
            }
        }
        last = Some(c);
    }
    (out != text).then_some(out)
}

/// Whether a word (up to the next white space) looks like a URL or an address.
fn is_url_like(word: &str) -> bool {
    let word = word.split(char::is_whitespace).next().unwrap_or_default();
    word.contains("://") || word.starts_with("www.") || word.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spaced(text: &str) -> String {
        space(text, None).unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn narrow_spaces_before_high_punctuation_and_inside_quotes() {
        assert_eq!(spaced("Vraiment ? Oui !"), "Vraiment\u{202f}? Oui\u{202f}!");
        assert_eq!(spaced("Quoi?! Ah;"), "Quoi\u{202f}?! Ah\u{202f};");
        assert_eq!(spaced("Note : ceci"), "Note\u{202f}: ceci");
        assert_eq!(spaced("« Bonjour »"), "«\u{202f}Bonjour\u{202f}»");
        assert_eq!(spaced("«Bonjour»"), "«\u{202f}Bonjour\u{202f}»");
        assert_eq!(spaced("Déjà\u{202f}!"), "Déjà\u{202f}!", "already right");
    }

    #[test]
    fn times_and_urls_are_left_alone() {
        assert_eq!(spaced("À 10:30 précises"), "À 10:30 précises");
        assert_eq!(
            spaced("Voir https://exemple.fr/page?x=1 !"),
            "Voir https://exemple.fr/page?x=1\u{202f}!"
        );
        assert_eq!(spaced("www.exemple.fr/a?b"), "www.exemple.fr/a?b");
    }

    #[test]
    fn only_prose_events_change() {
        use pulldown_cmark::{Options, Parser, html};
        let markdown = "Titre ? `a ? b` et **gras**!\n\n```\nx ? y\n```\n\n![Une image ?](/i.png) <https://a.fr/?q> <span title=\"a ?\">b</span>\n";
        let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, Options::empty()).collect();
        french(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        assert!(out.contains("Titre\u{202f}?"), "{out}");
        assert!(out.contains("<code>a ? b</code>"), "{out}");
        assert!(out.contains("<strong>gras</strong>\u{202f}!"), "{out}");
        assert!(out.contains("x ? y"), "{out}");
        assert!(out.contains("alt=\"Une image ?\""), "{out}");
        assert!(out.contains(">https://a.fr/?q</a>"), "{out}");
        assert!(out.contains("title=\"a ?\""), "{out}");
    }
}
