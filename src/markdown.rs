//! Markdown stage: one pass over pulldown-cmark events that adds heading anchors, collects the
//! table of contents, turns a media URL alone on its line into an embed, prefixes root-relative
//! links with the site's base path, and finds the summary and the word count.
//!
//! It knows nothing of URLs other than the base path, nor of templates.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds;
use crate::html::rebase_root_links;
use crate::slug::slugify;

/// Words read per minute, for reading time.
const WORDS_PER_MINUTE: usize = 220;

/// Ids the default theme gives elements around the body, which headings must not take.
const THEME_IDS: [&str; 2] = ["main", "toc-title"];

/// What the Markdown stage needs to know about one body.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Source file, for messages.
    pub path: &'a Path,
    /// Markdown text.
    pub body: &'a str,
    /// Line of the file where `body` starts.
    pub body_line: usize,
    /// Base path (`/` or `/news/`) prefixed to root-relative links.
    pub base_path: &'a str,
    /// Language of the article, for generic embed titles.
    pub lang: &'a str,
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
#[derive(Debug, Clone, Default)]
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

/// Renders a body; every invalid embed in it is reported.
pub fn render(input: &Input<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let parsed = Parser::new_ext(input.body, options())
        .into_offset_iter()
        .collect();
    let events = embed_lone_urls(parsed, input, &mut errors);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut used_ids: HashSet<String> = THEME_IDS.iter().map(|id| id.to_string()).collect();
    used_ids.extend(events.iter().filter_map(|(event, _)| match event {
        Event::Start(Tag::FootnoteDefinition(label)) => Some(footnote_id(label).to_string()),
        _ => None,
    }));
    let mut toc = Vec::new();
    let mut words = WordCounter::default();
    let mut depth = 0usize;
    let mut in_code = false;
    let mut block_start = 0;
    let mut more_at = None;
    let mut more_after_block = false;
    let mut first_paragraph: Option<Range<usize>> = None;
    let mut first_paragraph_start = None;

    let mut index = 0;
    while index < events.len() {
        let (event, _) = &events[index];
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
                    Some(id) => unique_id(id, &mut used_ids),
                    None => unique_id(&slug_or_section(&title), &mut used_ids),
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
                    dest_url: with_base_path(dest_url, input.base_path),
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
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: with_base_path(dest_url, input.base_path),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Html(text) | Event::InlineHtml(text) if !is_more_marker(text) => {
                out.push(match event {
                    _ if input.base_path == "/" => event.clone(),
                    Event::Html(_) => Event::Html(rebase_root_links(text, input.base_path).into()),
                    _ => Event::InlineHtml(rebase_root_links(text, input.base_path).into()),
                });
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
            Event::Text(text) | Event::Code(text) => {
                if !in_code {
                    words.feed(text);
                }
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
                in_code |= matches!(tag, Tag::CodeBlock(_));
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
                in_code &= !matches!(tag, TagEnd::CodeBlock);
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
    })
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

/// Turns each line of a top-level paragraph that is nothing but a media URL into the
/// embed's player, splitting the paragraph around it; invalid embeds are reported.
fn embed_lone_urls<'a>(
    events: Vec<Spanned<'a>>,
    input: &Input<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Spanned<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut depth = 0usize;
    let mut index = 0;
    while index < events.len() {
        if depth == 0 && matches!(events[index].0, Event::Start(Tag::Paragraph)) {
            let end = end_of_block(&events, index);
            split_paragraph(&events[index..=end], input, errors, &mut out);
            index = end + 1;
            continue;
        }
        match events[index].0 {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(events[index].clone());
        index += 1;
    }
    out
}

fn split_paragraph<'a>(
    paragraph: &[Spanned<'a>],
    input: &Input<'_>,
    errors: &mut Vec<Diagnostic>,
    out: &mut Vec<Spanned<'a>>,
) {
    let inner = &paragraph[1..paragraph.len() - 1];
    let mut lines: Vec<&[Spanned<'a>]> = Vec::new();
    let (mut start, mut depth) = (0, 0usize);
    for (k, (event, _)) in inner.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak if depth == 0 => {
                lines.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    lines.push(&inner[start..]);

    let players: Vec<Option<String>> = lines
        .iter()
        .map(|line| {
            let (first, last) = (line.first()?, line.last()?);
            let url = lone_url(&input.body[first.1.start..last.1.end])?;
            match embeds::recognize(url)? {
                Ok(embed) => Some(embeds::render(&embed, input.lang)),
                Err(reason) => {
                    errors.push(Diagnostic::new(
                        Location::at_offset(input.path, input.body, first.1.start, input.body_line),
                        Problem::InvalidEmbed {
                            url: url.to_string(),
                            reason,
                        },
                    ));
                    None
                }
            }
        })
        .collect();
    if players.iter().all(Option::is_none) {
        out.extend_from_slice(paragraph);
        return;
    }
    let (open_range, close_range) = (
        paragraph[0].1.clone(),
        paragraph[paragraph.len() - 1].1.clone(),
    );
    let mut open = false;
    for (line, player) in lines.iter().zip(players) {
        let range = line.first().map_or(open_range.clone(), |(_, r)| r.clone());
        match player {
            Some(html) => {
                if open {
                    out.push((Event::End(TagEnd::Paragraph), range.clone()));
                    open = false;
                }
                out.push((Event::Html(html.into()), range));
            }
            None => {
                if open {
                    out.push((Event::SoftBreak, range.clone()));
                } else {
                    out.push((Event::Start(Tag::Paragraph), range));
                    open = true;
                }
                out.extend_from_slice(line);
            }
        }
    }
    if open {
        out.push((Event::End(TagEnd::Paragraph), close_range));
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
    (is_url && !text.contains(char::is_whitespace)).then_some(text)
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

/// `base`, or `base-1`, `base-2`… whichever is not used yet in the page.
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 0;
    while used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    used.insert(id.clone());
    id
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

    fn render_md(body: &str) -> Result<Rendered, Vec<Diagnostic>> {
        render(&Input {
            path: Path::new("content/a.md"),
            body,
            body_line: 5,
            base_path: "/news/",
            lang: "fr",
        })
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
        assert!(out.html.contains("See https://youtu.be/dQw4w9WgXcQ too."));
    }

    #[test]
    fn ids_with_underscores_and_dashes_survive_smart_punctuation() {
        let out = render_md("https://www.youtube.com/watch?v=ab_c--d_e-f\n").unwrap();
        assert!(out.html.contains("embed/ab_c--d_e-f"), "{}", out.html);
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
