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
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(input.body, options())
        .into_offset_iter()
        .collect();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut errors = Vec::new();
    let mut used_ids: HashSet<String> = THEME_IDS.iter().map(|id| id.to_string()).collect();
    let mut toc = Vec::new();
    let mut word_count = 0;
    let mut depth = 0usize;
    let mut in_code = false;
    let mut block_start = 0;
    let mut more_at = None;
    let mut more_after_block = false;
    let mut first_paragraph: Option<Range<usize>> = None;

    let mut index = 0;
    while index < events.len() {
        let (event, range) = &events[index];
        index += 1;
        if depth == 0 && matches!(event, Event::Start(_)) {
            block_start = out.len();
        }
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                if let Some(url) = lone_url(&input.body[range.clone()]) {
                    match embeds::recognize(url) {
                        Some(Ok(embed)) => {
                            out.push(Event::Html(embeds::render(&embed, input.lang).into()));
                            index = end_of_block(&events, index - 1) + 1;
                            continue;
                        }
                        Some(Err(reason)) => errors.push(Diagnostic::new(
                            Location::at_offset(
                                input.path,
                                input.body,
                                range.start,
                                input.body_line,
                            ),
                            Problem::InvalidEmbed {
                                url: url.to_string(),
                                reason,
                            },
                        )),
                        None => {}
                    }
                }
                if first_paragraph.is_none() {
                    first_paragraph = Some(out.len()..end_of_block(&events, index - 1) + 1);
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
            Event::Text(text) => {
                if !in_code {
                    word_count += text.split_whitespace().count();
                }
                out.push(event.clone());
            }
            _ => out.push(event.clone()),
        }
        match event {
            Event::Start(tag) => {
                depth += 1;
                in_code |= matches!(tag, Tag::CodeBlock(_));
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                in_code &= !matches!(tag, TagEnd::CodeBlock);
                if depth == 0 && more_after_block && more_at.is_none() {
                    more_at = Some(out.len());
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
        summary: more_at.map(|end| to_html(&out[..end])),
        first_paragraph: first_paragraph.map(|range| to_html(&out[range])),
        toc,
        word_count,
    })
}

fn to_html(events: &[Event<'_>]) -> String {
    let mut html = String::with_capacity(events.len() * 24);
    html::push_html(&mut html, events.iter().cloned());
    html
}

/// Index of the `End` event matching the `Start` at `start`.
fn end_of_block(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
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
    }

    #[test]
    fn word_count_skips_code() {
        let out = render_md("One two three.\n\n```rust\nlet a = b;\n```\n").unwrap();
        assert_eq!(out.word_count, 3);
        assert_eq!(out.reading_time(), 1);
    }
}
