//! What list pages show besides their cards: feed links, the paginator and the archives.

use serde::Serialize;

use super::language::rfc3339;
use crate::site::{FeedPaths, Pagination, Site};

/// Links of the feeds that belong to a page.
#[derive(Serialize)]
pub(crate) struct FeedsView {
    atom: String,
    rss: String,
    json: String,
    title: String,
}

impl FeedsView {
    pub(crate) fn new(site: &Site, paths: &FeedPaths, title: String) -> Self {
        FeedsView {
            atom: site.permalink(&paths.atom),
            rss: site.permalink(&paths.rss),
            json: site.permalink(&paths.json),
            title,
        }
    }
}

/// A page number worth showing: the first, the last, and those near the current one.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Whether pages were skipped between this one and the previous link.
    gap_before: bool,
}

/// Pages on either side of the current one that get a link.
const PAGE_WINDOW: usize = 2;

/// Where a list page sits among its siblings.
#[derive(Serialize)]
pub(crate) struct PaginatorView {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

impl PaginatorView {
    pub(crate) fn new(site: &Site, pagination: &Pagination, index: usize) -> Self {
        let url = |i: usize| site.url(&pagination.paths[i]);
        PaginatorView {
            current: index + 1,
            total: pagination.paths.len(),
            previous: index.checked_sub(1).map(url),
            next: (index + 1 < pagination.paths.len()).then(|| url(index + 1)),
            pages: window(index, pagination.paths.len())
                .scan(None, |previous: &mut Option<usize>, i| {
                    let gap_before = previous.is_some_and(|p| i > p + 1);
                    *previous = Some(i);
                    Some(PageLink {
                        number: i + 1,
                        url: url(i),
                        current: i == index,
                        gap_before,
                    })
                })
                .collect(),
        }
    }
}

/// Indices of the pages linked from page `index` of `total`, in order, without the quadratic
/// cost of listing every page on every page.
fn window(index: usize, total: usize) -> impl Iterator<Item = usize> {
    let near = index.saturating_sub(PAGE_WINDOW)..=(index + PAGE_WINDOW).min(total - 1);
    let mut pages: Vec<usize> = std::iter::once(0)
        .chain(near)
        .chain(std::iter::once(total - 1))
        .collect();
    pages.dedup();
    pages.into_iter()
}

/// A year of the archives, newest first.
#[derive(Serialize)]
pub(crate) struct ArchiveYear<'a> {
    year: i16,
    months: Vec<ArchiveMonth<'a>>,
}

/// A month of the archives, with a date in it for templates to name it in their language.
#[derive(Serialize)]
pub(crate) struct ArchiveMonth<'a> {
    month: i8,
    date: String,
    articles: Vec<ArchiveEntry<'a>>,
}

/// One article in the archives.
#[derive(Serialize)]
pub(crate) struct ArchiveEntry<'a> {
    title: &'a str,
    url: String,
    date: String,
    lang: &'a str,
}

/// Every article by year and month, newest first.
pub(crate) fn archives(site: &Site) -> Vec<ArchiveYear<'_>> {
    let mut years: Vec<ArchiveYear<'_>> = Vec::new();
    for article in &site.articles {
        let (year, month) = (article.date.year(), article.date.month());
        if years.last().is_none_or(|y| y.year != year) {
            years.push(ArchiveYear {
                year,
                months: Vec::new(),
            });
        }
        let months = &mut years.last_mut().expect("a year was just pushed").months;
        if months.last().is_none_or(|m| m.month != month) {
            months.push(ArchiveMonth {
                month,
                date: rfc3339(&article.date),
                articles: Vec::new(),
            });
        }
        let month_entry = months.last_mut().expect("a month was just pushed");
        month_entry.articles.push(ArchiveEntry {
            title: &article.title,
            url: site.url(&article.path),
            date: rfc3339(&article.date),
            lang: &article.lang,
        });
    }
    years
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn page_window_keeps_ends_and_neighbours() {
        assert_eq!(window(0, 1).collect::<Vec<_>>(), [0]);
        assert_eq!(window(0, 3).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(
            window(49, 100).collect::<Vec<_>>(),
            [0, 47, 48, 49, 50, 51, 99]
        );
        assert_eq!(window(99, 100).collect::<Vec<_>>(), [0, 97, 98, 99]);
    }
}
