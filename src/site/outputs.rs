//! The list of outputs: every file a part of the site produces, with its site path and what
//! renders it. The duplicate-URL check, the render stage, the incremental fingerprints and the
//! sitemap's count all read this one list ([`Site::each_output`]), so they cannot drift apart.

use std::collections::HashMap;

use super::{
    NGINX_REDIRECTS_PATH, NOT_FOUND_PATH, REDIRECTS_PATH, ROBOTS_PATH, SYNTAX_CSS_PATH, Site,
    TaxonomyKind,
};
use crate::diagnostics::{Diagnostic, Location, Problem};

/// Most URLs one sitemap file may list; a bigger site gets an index of several files.
pub(crate) const MAX_SITEMAP_URLS: usize = 50_000;

/// Most articles a Google News sitemap may list.
const MAX_NEWS: usize = 1_000;

/// How recent an article must be to be in the news sitemap: two days.
const NEWS_WINDOW_SECONDS: i64 = 2 * 24 * 3600;

/// One output file, by what renders it; indices refer to the part it was listed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Unit {
    /// A page rendered through the theme.
    Page(Page),
    /// A feed.
    Feed(FeedOwner, FeedFormat),
    /// A sitemap file: 0 is `sitemap.xml`, the others the parts of a big site's index.
    Sitemap(usize),
    /// `news-sitemap.xml`, when some article is recent enough for it.
    NewsSitemap,
    /// `/robots.txt`, in the root part.
    Robots,
    /// `/syntax.css`, in the root part when some article has highlighted code.
    SyntaxCss,
    /// A redirect from an article's old URL: article, alias.
    Alias(usize, usize),
    /// A redirect from a standalone page's old URL: page, alias.
    PageAlias(usize, usize),
    /// `/_redirects` (Netlify's format), in the root part: old URLs with a query.
    Redirects,
    /// `/nginx-redirects.map`, in the root part: the same for nginx.
    NginxRedirects,
}

/// A page rendered through the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Page {
    /// Page of the home list (0-based).
    Home(usize),
    /// An article's page.
    Article(usize),
    /// The tag index.
    TagIndex,
    /// The archives.
    Archives,
    /// A standalone page (`content/pages/`).
    Standalone(usize),
    /// Page of a term's list: taxonomy, term, page.
    Term(TaxonomyKind, usize, usize),
    /// `/404.html`.
    NotFound,
    /// The search page, when `[search]` is on: not in the sitemap.
    Search,
}

/// Whose feed: the part's, or a tag's, category's or author's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FeedOwner {
    /// `atom.xml`, `rss.xml`, `feed.json` of the part's home.
    Site,
    /// A term's, by taxonomy and index.
    Term(TaxonomyKind, usize),
}

/// A feed's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FeedFormat {
    /// Atom 1.0.
    Atom,
    /// RSS 2.0.
    Rss,
    /// JSON Feed 1.1.
    Json,
}

impl FeedFormat {
    /// The three formats.
    pub(crate) const ALL: [FeedFormat; 3] = [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json];

    /// File name of this format's feed in its folder.
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Json => "feed.json",
        }
    }
}

/// What a site produces beyond what one part's model decides.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extras {
    /// Whether the root part writes `syntax.css`: some part has highlighted code, and neither
    /// the theme nor the site brings its own.
    pub(crate) syntax_css: bool,
    /// Whether the root part writes the redirect maps: some part has an old URL with a query.
    pub(crate) redirects: bool,
}

impl Site {
    /// Calls `visit` with the site path and unit of every output file of this part, in the
    /// order the sitemap lists pages: home pages, articles (each followed by its redirects),
    /// the tag index, the archives, term pages and feeds, then the part's own files.
    pub(crate) fn each_output(&self, extras: Extras, visit: impl FnMut(&str, Unit)) {
        let mut list = Lister {
            visit,
            pages: 0,
            buffer: String::new(),
        };
        for (index, path) in self.home.paths.iter().enumerate() {
            list.page(path, Page::Home(index));
        }
        for (index, article) in self.articles.iter().enumerate() {
            list.page(&article.path, Page::Article(index));
            for (alias, path) in article.aliases.iter().enumerate() {
                (list.visit)(path, Unit::Alias(index, alias));
            }
        }
        list.page(&self.tags_path(), Page::TagIndex);
        list.page(&self.archives_path(), Page::Archives);
        if self.config.search.enabled {
            (list.visit)(&self.search_path(), Unit::Page(Page::Search));
        }
        for (index, page) in self.pages.iter().enumerate() {
            list.page(&page.path, Page::Standalone(index));
            for (alias, path) in page.aliases.iter().enumerate() {
                (list.visit)(path, Unit::PageAlias(index, alias));
            }
        }
        for kind in TaxonomyKind::ALL {
            for (id, term) in self.taxonomy(kind).terms.iter().enumerate() {
                for (index, path) in term.pages.paths.iter().enumerate() {
                    list.page(path, Page::Term(kind, id, index));
                }
                list.feeds(&term.path, FeedOwner::Term(kind, id));
            }
        }
        list.feeds(self.home_path(), FeedOwner::Site);
        // Every page above is in the sitemap; past 50,000 it is an index of parts.
        for part in 0..sitemap_parts(list.pages) {
            let path = self.sitemap_part_path(part);
            (list.visit)(&path, Unit::Sitemap(part));
        }
        if self.news_articles().next().is_some() {
            (list.visit)(&self.news_sitemap_path(), Unit::NewsSitemap);
        }
        if self.is_root() {
            (list.visit)(NOT_FOUND_PATH, Unit::Page(Page::NotFound));
            (list.visit)(ROBOTS_PATH, Unit::Robots);
            if extras.syntax_css {
                (list.visit)(SYNTAX_CSS_PATH, Unit::SyntaxCss);
            }
            if extras.redirects {
                (list.visit)(REDIRECTS_PATH, Unit::Redirects);
                (list.visit)(NGINX_REDIRECTS_PATH, Unit::NginxRedirects);
            }
        }
    }

    /// The site path a unit of this part renders to.
    pub(crate) fn output_path(&self, unit: Unit) -> String {
        let path = match unit {
            Unit::Page(Page::Home(index)) => &self.home.paths[index],
            Unit::Page(Page::Article(index)) => &self.articles[index].path,
            Unit::Page(Page::TagIndex) => return self.tags_path(),
            Unit::Page(Page::Archives) => return self.archives_path(),
            Unit::Page(Page::Search) => return self.search_path(),
            Unit::Page(Page::Standalone(index)) => &self.pages[index].path,
            Unit::Page(Page::Term(kind, term, index)) => {
                &self.taxonomy(kind).terms[term].pages.paths[index]
            }
            Unit::Page(Page::NotFound) => NOT_FOUND_PATH,
            Unit::Feed(owner, format) => {
                return format!("{}{}", self.feed_dir(owner), format.file_name());
            }
            Unit::Sitemap(part) => return self.sitemap_part_path(part),
            Unit::NewsSitemap => return self.news_sitemap_path(),
            Unit::Robots => ROBOTS_PATH,
            Unit::SyntaxCss => SYNTAX_CSS_PATH,
            Unit::Alias(article, alias) => &self.articles[article].aliases[alias],
            Unit::PageAlias(page, alias) => &self.pages[page].aliases[alias],
            Unit::Redirects => REDIRECTS_PATH,
            Unit::NginxRedirects => NGINX_REDIRECTS_PATH,
        };
        path.to_string()
    }

    /// Site path of the folder a feed is in.
    pub(crate) fn feed_dir(&self, owner: FeedOwner) -> &str {
        match owner {
            FeedOwner::Site => self.home_path(),
            FeedOwner::Term(kind, term) => &self.taxonomy(kind).terms[term].path,
        }
    }

    /// The articles a feed lists, newest first: the part's or a term's newest.
    pub(crate) fn listed(&self, owner: FeedOwner) -> impl Iterator<Item = usize> + '_ {
        let limit = self.config.feed_limit;
        let articles: Box<dyn Iterator<Item = usize>> = match owner {
            FeedOwner::Site => Box::new(0..self.articles.len()),
            FeedOwner::Term(kind, term) => {
                Box::new(self.taxonomy(kind).terms[term].articles.iter().copied())
            }
        };
        articles.take(limit)
    }

    /// The articles of the Google News sitemap, newest first: published in the two days
    /// before the build, at most 1,000.
    pub(crate) fn news_articles(&self) -> impl Iterator<Item = usize> + '_ {
        let now = self.config.now.as_second();
        self.articles
            .iter()
            .enumerate()
            .filter(move |(_, a)| {
                let published = a.date.timestamp().as_second();
                published <= now && now - published <= NEWS_WINDOW_SECONDS
            })
            .map(|(index, _)| index)
            .take(MAX_NEWS)
    }

    /// Old URLs with a query and the site path each redirects to, articles then pages.
    pub(crate) fn query_redirects(&self) -> impl Iterator<Item = (&str, &str)> {
        let articles = self.articles.iter().map(|a| (&a.query_aliases, &a.path));
        let pages = self.pages.iter().map(|p| (&p.query_aliases, &p.path));
        articles
            .chain(pages)
            .flat_map(|(aliases, path)| aliases.iter().map(move |a| (a.as_str(), path.as_str())))
    }

    /// Site path of sitemap file `part`: 0 is `sitemap.xml` (the index when there are parts).
    pub(crate) fn sitemap_part_path(&self, part: usize) -> String {
        if part == 0 {
            self.sitemap_path()
        } else {
            format!("{}sitemap-{part}.xml", self.home_path())
        }
    }
}

/// Number of sitemap files for `urls` pages: 1 when every URL fits, else the parts an index
/// lists besides the index itself.
pub(crate) fn sitemap_parts(urls: usize) -> usize {
    if urls <= MAX_SITEMAP_URLS {
        1
    } else {
        urls.div_ceil(MAX_SITEMAP_URLS) + 1
    }
}

/// Hands outputs to a visitor, counting the sitemap's pages.
struct Lister<F> {
    visit: F,
    pages: usize,
    buffer: String,
}

impl<F: FnMut(&str, Unit)> Lister<F> {
    fn page(&mut self, path: &str, page: Page) {
        self.pages += 1;
        (self.visit)(path, Unit::Page(page));
    }

    /// The three feeds of the folder at site path `dir`.
    fn feeds(&mut self, dir: &str, owner: FeedOwner) {
        for format in FeedFormat::ALL {
            self.buffer.clear();
            self.buffer.push_str(dir);
            self.buffer.push_str(format.file_name());
            (self.visit)(&self.buffer, Unit::Feed(owner, format));
        }
    }
}

/// Output file of a site path: `/a/b/` → `a/b/index.html`, `/atom.xml` → `atom.xml`, and a
/// path without extension is a folder (`/old/path` → `old/path/index.html`).
pub fn output_file(site_path: &str) -> String {
    let mut file = String::with_capacity(site_path.len() + 10);
    push_output_file(&mut file, site_path);
    file
}

/// Files at the root that hosts read by their exact name, without extension.
const HOST_FILES: [&str; 2] = ["_redirects", "_headers"];

/// [`output_file`], into a buffer.
pub(crate) fn push_output_file(buffer: &mut String, site_path: &str) {
    let relative = site_path.trim_start_matches('/');
    buffer.push_str(relative);
    if HOST_FILES.contains(&relative) {
        return;
    }
    if relative.is_empty() || relative.ends_with('/') {
        buffer.push_str("index.html");
    } else if std::path::Path::new(relative).extension().is_none() {
        buffer.push_str("/index.html");
    }
}

/// Every output file must come from one source only: an article or alias may not take the
/// place of another article, or of a file the site generates.
pub(crate) fn check_unique_paths(site: &Site) -> Vec<Diagnostic> {
    let (mut generated, mut own, mut aliases) = (Vec::new(), Vec::new(), Vec::new());
    site.each_output(Extras::default(), |path, unit| {
        let entry = (output_file(path), unit);
        match unit {
            Unit::Page(Page::Article(_) | Page::Standalone(_)) => own.push(entry),
            Unit::Alias(..) | Unit::PageAlias(..) => aliases.push(entry),
            _ => generated.push(entry),
        }
    });
    let mut owners: HashMap<String, String> = HashMap::with_capacity(generated.len() + own.len());
    for (file, unit) in generated {
        owners.insert(file, owner(site, unit));
    }
    // Written only when needed, these names stay reserved: whether a build works must not
    // depend on the clock or on whether some article has code.
    owners
        .entry(output_file(&site.news_sitemap_path()))
        .or_insert_with(|| owner(site, Unit::NewsSitemap));
    if site.is_root() {
        let css = owner(site, Unit::SyntaxCss);
        owners.entry(output_file(SYNTAX_CSS_PATH)).or_insert(css);
    }
    // Articles' and pages' own URLs first, so that an alias taking one is the one reported.
    let mut errors = Vec::new();
    for (file, unit) in own.into_iter().chain(aliases) {
        let (source, line, is_alias) = match unit {
            Unit::Page(Page::Article(index)) => {
                let article = &site.articles[index];
                (&article.source, article.url_lines.slug, false)
            }
            Unit::Alias(index, _) => {
                let article = &site.articles[index];
                (&article.source, article.url_lines.aliases, true)
            }
            Unit::Page(Page::Standalone(index)) => {
                let page = &site.pages[index];
                (&page.source, page.line_of("slug"), false)
            }
            Unit::PageAlias(index, _) => {
                let page = &site.pages[index];
                (&page.source, page.line_of("aliases"), true)
            }
            _ => continue,
        };
        let mine = source.display().to_string();
        if let Some(other) = owners.insert(file, mine.clone())
            && (other != mine || is_alias)
        {
            errors.push(Diagnostic::new(
                Location::at(source, line, 1),
                Problem::DuplicateUrl {
                    url: site.permalink(&site.output_path(unit)),
                    other,
                },
            ));
        }
    }
    // Old URLs with a query are answered by the redirect maps: one target each.
    let mut queries: HashMap<&str, String> = HashMap::new();
    let articles = site.articles.iter();
    let articles = articles.map(|a| (&a.source, &a.query_aliases, a.url_lines.aliases));
    let pages = site.pages.iter();
    let pages = pages.map(|p| (&p.source, &p.query_aliases, p.line_of("aliases")));
    for (source, aliases, line) in articles.chain(pages) {
        for alias in aliases {
            let mine = source.display().to_string();
            if let Some(other) = queries.insert(alias, mine) {
                errors.push(Diagnostic::new(
                    Location::at(source, line, 1),
                    Problem::DuplicateUrl {
                        url: site.permalink(alias),
                        other,
                    },
                ));
            }
        }
    }
    errors
}

/// What a generated file is, for a message about a file that would replace it.
fn owner(site: &Site, unit: Unit) -> String {
    let term = |kind: TaxonomyKind, id: usize| {
        let name = &site.taxonomy(kind).terms[id].name;
        format!("the {} page of `{name}`", kind.name())
    };
    match unit {
        Unit::Page(Page::Home(_)) => "the home page".to_string(),
        Unit::Page(Page::TagIndex) => "the tag index".to_string(),
        Unit::Page(Page::Archives) => "the archives".to_string(),
        Unit::Page(Page::Search) => "the search page".to_string(),
        Unit::Page(Page::Term(kind, id, _)) | Unit::Feed(FeedOwner::Term(kind, id), _) => {
            term(kind, id)
        }
        Unit::Feed(FeedOwner::Site, _) => "the site feeds".to_string(),
        Unit::Sitemap(_) => "the sitemap".to_string(),
        Unit::NewsSitemap => "the news sitemap".to_string(),
        Unit::Page(Page::NotFound) => "the not-found page".to_string(),
        Unit::Robots => "robots.txt".to_string(),
        Unit::SyntaxCss => "the code stylesheet".to_string(),
        Unit::Redirects | Unit::NginxRedirects => "the redirect maps".to_string(),
        Unit::Page(Page::Article(index)) | Unit::Alias(index, _) => {
            site.articles[index].source.display().to_string()
        }
        Unit::Page(Page::Standalone(index)) | Unit::PageAlias(index, _) => {
            site.pages[index].source.display().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_map_to_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/2025/02/a/"), "2025/02/a/index.html");
        assert_eq!(output_file("/atom.xml"), "atom.xml");
        assert_eq!(output_file("/old/path"), "old/path/index.html");
        assert_eq!(output_file("/_redirects"), "_redirects");
    }

    #[test]
    fn an_alias_taking_a_sitemap_part_is_an_error() {
        let mut site = crate::site::sample::site(&[("a.md", "A", "2025-01-01", "x", "Alpha.")]);
        site.articles[0].aliases = vec!["/sitemap-2.xml".to_string()];
        assert!(
            check_unique_paths(&site).is_empty(),
            "one sitemap file: no part 2"
        );
        // Past 50,000 pages (here home pages, one article each), the sitemap has parts.
        site.home = super::super::Pagination::new("/", 2 * MAX_SITEMAP_URLS, 1);
        let errors = check_unique_paths(&site);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].problem.to_string(),
            Problem::DuplicateUrl {
                url: "https://t.example/sitemap-2.xml".to_string(),
                other: "the sitemap".to_string(),
            }
            .to_string()
        );
    }

    #[test]
    fn the_list_has_every_sitemap_part_the_index_names() {
        let mut site = crate::site::sample::site(&[("a.md", "A", "2025-01-01", "x", "Alpha.")]);
        site.home = super::super::Pagination::new("/", MAX_SITEMAP_URLS + 10, 1);
        let mut parts = Vec::new();
        site.each_output(Extras::default(), |path, unit| {
            if let Unit::Sitemap(part) = unit {
                parts.push((part, path.to_string()));
            }
        });
        assert_eq!(
            parts,
            [
                (0, "/sitemap.xml".to_string()),
                (1, "/sitemap-1.xml".to_string()),
                (2, "/sitemap-2.xml".to_string())
            ]
        );
    }

    #[test]
    fn a_big_sitemap_is_an_index_and_its_parts() {
        assert_eq!(sitemap_parts(1), 1);
        assert_eq!(sitemap_parts(MAX_SITEMAP_URLS), 1);
        assert_eq!(sitemap_parts(MAX_SITEMAP_URLS + 1), 3);
        assert_eq!(sitemap_parts(3 * MAX_SITEMAP_URLS), 4);
    }
}
