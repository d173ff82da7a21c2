//! What each output file is made of. Every file the model produces gets a fingerprint: a hash
//! of everything it shows (the articles it lists, their terms, its neighbours, the template it
//! is rendered with). A rebuild compares the new model's fingerprints with those of the files
//! served and re-renders exactly the files whose fingerprint changed; files no longer produced
//! are removed. This is how one edit on a 10,000-article site re-renders a handful of pages.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::feeds::{self, FeedFormat, FeedOwner};
use crate::site::{
    Article, NOT_FOUND_PATH, ROBOTS_PATH, SITEMAP_PATH, SYNTAX_CSS_PATH, Site, TAG_INDEX_PATH,
    TaxonomyKind, Term, output_file,
};

/// One output file, by what renders it; indices refer to the model it was listed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Unit {
    /// A page rendered through the theme.
    Page(Page),
    /// A feed.
    Feed(FeedOwner, FeedFormat),
    /// `/sitemap.xml`.
    Sitemap,
    /// `/robots.txt`.
    Robots,
    /// `/syntax.css`, generated when some article has highlighted code.
    SyntaxCss,
    /// A redirect from an article's old URL: article, alias.
    Alias(usize, usize),
}

/// A page rendered through the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Page {
    /// Page of the home list (0-based).
    Home(usize),
    /// An article's page.
    Article(usize),
    /// `/tags/`.
    TagIndex,
    /// Page of a term's list: taxonomy, term, page.
    Term(TaxonomyKind, usize, usize),
    /// `/404.html`.
    NotFound,
}

/// Versions of the templates a page is rendered with: a hash of each page template with
/// everything it extends and includes, and of the templates bodies' shortcodes and embeds use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TemplateVersions {
    /// By page template name (`article.html`).
    pub(crate) pages: HashMap<String, u64>,
    /// Of every `embeds/` and `shortcodes/` template and the theme strings.
    pub(crate) snippets: u64,
}

impl TemplateVersions {
    fn page(&self, name: &str) -> u64 {
        self.pages.get(name).copied().unwrap_or_default()
    }
}

/// Fingerprints of every output file of a model, by output file (`2025/02/a/index.html`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fingerprints {
    files: HashMap<String, (u64, Unit)>,
}

/// What a rebuild must do to bring the served files up to a new model.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Dirty {
    /// Files to render, new or changed.
    pub(crate) render: Vec<Unit>,
    /// Output files no longer produced.
    pub(crate) remove: Vec<String>,
}

impl Fingerprints {
    /// Lists and fingerprints every output file of `site`.
    pub(crate) fn of(site: &Site, templates: &TemplateVersions, syntax_css: bool) -> Fingerprints {
        let terms: Vec<Vec<u64>> = site
            .taxonomies()
            .iter()
            .map(|taxonomy| {
                taxonomy
                    .terms
                    .iter()
                    .map(|t| hash((&t.name, &t.path)))
                    .collect()
            })
            .collect();
        let term = |kind: TaxonomyKind, id: usize| terms[kind as usize][id];
        let cards: Vec<u64> = site
            .articles
            .iter()
            .map(|a| {
                let authors: Vec<u64> = a
                    .authors
                    .iter()
                    .map(|&t| term(TaxonomyKind::Authors, t))
                    .collect();
                let tags: Vec<u64> = a
                    .tags
                    .iter()
                    .map(|&t| term(TaxonomyKind::Tags, t))
                    .collect();
                let category = a.category.map(|t| term(TaxonomyKind::Categories, t));
                hash((a.version, authors, tags, category))
            })
            .collect();
        let list = |items: &mut dyn Iterator<Item = usize>| -> Vec<u64> {
            items.map(|i| cards[i]).collect()
        };

        let mut files = HashMap::with_capacity(site.articles.len() * 2);
        let mut add = |path: &str, fingerprint: u64, unit: Unit| {
            files.insert(output_file(path), (fingerprint, unit));
        };
        let home_template = templates.page("index.html");
        for (index, path) in site.home.paths.iter().enumerate() {
            let items = list(&mut site.home.items(index));
            add(
                path,
                hash((home_template, site.home.paths.len(), index, items)),
                Unit::Page(Page::Home(index)),
            );
        }
        let article_template = templates.page("article.html");
        for (index, article) in site.articles.iter().enumerate() {
            // Featured embeds are rendered with the snippet templates.
            let snippets = (!article.embeds.is_empty()).then_some(templates.snippets);
            let fingerprint = hash((
                article_template,
                cards[index],
                snippets,
                neighbour(site, article.previous),
                neighbour(site, article.next),
            ));
            add(&article.path, fingerprint, Unit::Page(Page::Article(index)));
            for (alias_index, alias) in article.aliases.iter().enumerate() {
                let fingerprint = hash((&article.path, &article.title, &article.lang));
                add(alias, fingerprint, Unit::Alias(index, alias_index));
            }
        }
        let tags: Vec<(&str, &str, usize)> = site
            .tags
            .terms
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str(), t.articles.len()))
            .collect();
        add(
            TAG_INDEX_PATH,
            hash((templates.page("tags.html"), tags)),
            Unit::Page(Page::TagIndex),
        );
        let term_template = templates.page("term.html");
        for kind in TaxonomyKind::ALL {
            for (id, t) in site.taxonomy(kind).terms.iter().enumerate() {
                let shown = hash((
                    term_template,
                    term(kind, id),
                    t.articles.len(),
                    t.pages.paths.len(),
                ));
                for (index, path) in t.pages.paths.iter().enumerate() {
                    let items = list(&mut t.pages.items(index).map(|i| t.articles[i]));
                    add(
                        path,
                        hash((shown, index, items)),
                        Unit::Page(Page::Term(kind, id, index)),
                    );
                }
                let listed = list(&mut feeds::listed(site, FeedOwner::Term(kind, id)));
                feed_files(
                    &mut add,
                    &t.feeds(),
                    FeedOwner::Term(kind, id),
                    hash((&t.name, listed)),
                );
            }
        }
        add(
            NOT_FOUND_PATH,
            templates.page("404.html"),
            Unit::Page(Page::NotFound),
        );
        let listed = list(&mut feeds::listed(site, FeedOwner::Site));
        feed_files(
            &mut add,
            &crate::site::FeedPaths::under("/"),
            FeedOwner::Site,
            hash(listed),
        );
        add(SITEMAP_PATH, sitemap(site), Unit::Sitemap);
        add(ROBOTS_PATH, 0, Unit::Robots);
        if syntax_css && site.articles.iter().any(|a| a.has_code) {
            add(SYNTAX_CSS_PATH, 0, Unit::SyntaxCss);
        }
        Fingerprints { files }
    }

    /// The files to render and remove to go from `served` to these.
    pub(crate) fn since(&self, served: &Fingerprints) -> Dirty {
        let mut render: Vec<Unit> = self
            .files
            .iter()
            .filter(|(file, (fingerprint, _))| {
                served
                    .files
                    .get(*file)
                    .is_none_or(|(old, _)| old != fingerprint)
            })
            .map(|(_, (_, unit))| *unit)
            .collect();
        // Stable order, so that a failing build reports the same page first each time.
        render.sort_by_key(|unit| format!("{unit:?}"));
        let mut remove: Vec<String> = served
            .files
            .keys()
            .filter(|file| !self.files.contains_key(*file))
            .cloned()
            .collect();
        remove.sort();
        Dirty { render, remove }
    }

    /// Whether some output file is at this output path.
    pub(crate) fn contains(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }
}

fn feed_files(
    add: &mut impl FnMut(&str, u64, Unit),
    paths: &crate::site::FeedPaths,
    owner: FeedOwner,
    shown: u64,
) {
    for format in FeedFormat::ALL {
        add(
            format.path(paths),
            hash((shown, format as usize)),
            Unit::Feed(owner, format),
        );
    }
}

/// What a page shows of its neighbour: title and link.
fn neighbour(site: &Site, index: Option<usize>) -> Option<(&str, &str)> {
    let article: &Article = &site.articles[index?];
    Some((&article.title, &article.path))
}

/// The sitemap lists every page with the newest date of what it shows: the articles' URLs
/// and dates, and which articles each list holds, decide it.
fn sitemap(site: &Site) -> u64 {
    let mut hasher = DefaultHasher::new();
    site.config.paginate_by.hash(&mut hasher);
    for article in &site.articles {
        (
            &article.path,
            article.last_modified().timestamp().as_nanosecond(),
        )
            .hash(&mut hasher);
    }
    for taxonomy in site.taxonomies() {
        for Term { slug, articles, .. } in &taxonomy.terms {
            (slug, articles).hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn hash(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
