//! Heading anchors and the table of contents: each heading gets an id unique in the page (its
//! own `{#id}`, else a slug of its text), footnotes get a prefix so they cannot take one, and
//! the ids the writer's raw HTML sets are collected, so links to any of them can be checked.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag};

use super::{Spanned, TocEntry};
use crate::slug::slugify;

/// Ids the default theme gives elements around the body, which headings must not take.
const THEME_IDS: [&str; 2] = ["main", "toc-title"];

/// The ids of one page, and its table of contents.
pub(super) struct Anchors {
    taken: Ids,
    /// Headings in document order.
    pub(super) toc: Vec<TocEntry>,
    /// Ids set by the writer's raw HTML.
    html_ids: Vec<String>,
}

impl Anchors {
    /// Anchors for a body whose footnotes are defined in `events`; the theme's ids and the
    /// footnotes' are taken before any heading's.
    pub(super) fn new(events: &[Spanned<'_>]) -> Self {
        let mut taken = Ids::default();
        taken.used.extend(THEME_IDS.iter().map(|id| id.to_string()));
        taken
            .used
            .extend(events.iter().filter_map(|(event, _)| match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    Some(footnote_id(label).to_string())
                }
                _ => None,
            }));
        Anchors {
            taken,
            toc: Vec::new(),
            html_ids: Vec::new(),
        }
    }

    /// The id of a heading, added to the table of contents.
    pub(super) fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<&str>,
        title: String,
    ) -> String {
        let id = match id {
            Some(id) => self.taken.unique(id),
            None => self.taken.unique(&slug_or_section(&title)),
        };
        self.toc.push(TocEntry {
            level: level as u8,
            id: id.clone(),
            title,
        });
        id
    }

    /// Notes the ids set by a piece of the writer's raw HTML.
    pub(super) fn html(&mut self, html: &str) {
        if html.contains("id=") {
            self.html_ids.extend(crate::page_links::scan(html).ids);
        }
    }

    /// The table of contents, and every id a link can point at.
    pub(super) fn finish(self) -> (Vec<TocEntry>, Vec<String>) {
        let mut ids = self.html_ids;
        ids.extend(
            self.taken
                .used
                .into_iter()
                .filter(|id| !THEME_IDS.contains(&id.as_str())),
        );
        (self.toc, ids)
    }
}

/// Footnote ids get a prefix so that `[^1]` or `[^main]` cannot take a heading's or the
/// theme's id.
pub(super) fn footnote_id<'a>(label: &str) -> CowStr<'a> {
    format!("fn-{label}").into()
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
pub(super) struct Ids {
    pub(super) used: HashSet<String>,
    suffixes: HashMap<String, usize>,
}

impl Ids {
    /// `base`, or `base-1`, `base-2`… whichever is not used yet in the page.
    pub(super) fn unique(&mut self, base: &str) -> String {
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
