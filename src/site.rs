//! Site model: the pure data every output is rendered from.
//!
//! Articles are held once, newest first; taxonomies, pagers and neighbours refer to them by
//! index. Every site path is computed here; later stages only read them.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use jiff::Zoned;

use crate::config::Config;
use crate::content::{Image, Source};
use crate::dependencies::fingerprint;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds::Embed;
use crate::html::escape;
use crate::markdown::{InternalLink, Rendered, TocEntry};
use crate::slug::slugify;

/// One published article.
#[derive(Debug, Clone)]
pub struct Article {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Headline.
    pub title: String,
    /// Site path of the page (`/2025/02/slug/`).
    pub path: String,
    /// Publication date in the site's zone.
    pub date: Zoned,
    /// Last update.
    pub updated: Option<Zoned>,
    /// Language.
    pub lang: String,
    /// Whether it is a draft (only built with `--drafts`).
    pub draft: bool,
    /// Indices into [`Site::authors`] terms.
    pub authors: Vec<usize>,
    /// Indices into [`Site::tags`] terms.
    pub tags: Vec<usize>,
    /// Index into [`Site::categories`] terms.
    pub category: Option<usize>,
    /// Front matter description.
    pub description: Option<String>,
    /// Summary HTML for lists and feeds.
    pub summary: String,
    /// Body HTML.
    pub content: String,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Words in the body.
    pub word_count: usize,
    /// Whether the body has highlighted code.
    pub has_code: bool,
    /// Whether the body was rendered with embed or shortcode templates.
    pub snippets: bool,
    /// Minutes to read.
    pub reading_time: usize,
    /// Hero image.
    pub image: Option<Image>,
    /// Featured media.
    pub embeds: Vec<Embed>,
    /// Source line of `embeds`.
    pub embeds_line: usize,
    /// Site paths that redirect here.
    pub aliases: Vec<String>,
    /// Source lines of the keys that decide its URLs, for duplicate URL errors.
    pub url_lines: UrlLines,
    /// Unknown front matter keys.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The next older article.
    pub previous: Option<usize>,
    /// The next newer article.
    pub next: Option<usize>,
    /// Related articles, best first.
    pub related: Vec<usize>,
    /// Shared by the translations of one story.
    pub translation_key: Option<String>,
    /// Its translations, by language (in any part of the site).
    pub translations: Vec<Translation>,
    /// Changes whenever what the article is made of changes; outputs that show it compare it.
    pub version: u64,
    /// Changes whenever a link to it changes (title or URL), for its neighbours' pages.
    pub link_version: u64,
    /// Changes whenever its sitemap entry changes (URL or date).
    pub entry_version: u64,
    /// Links to other articles by source path (`@/2025/a.md`).
    pub internal_links: Vec<InternalLink>,
    /// Ids in the body a link can point at.
    pub ids: Vec<String>,
    /// Advice for `kiosque check` about the body.
    pub hints: Vec<Diagnostic>,
    /// Its authors, tags and category as written, slugged once.
    names: TermNames,
}

/// An article's terms as written, each with its slug, before they become indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TermNames {
    authors: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    category: Option<(String, String)>,
}

impl TermNames {
    fn slugged<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<(String, String)> {
        names
            .into_iter()
            .map(|name| (name.trim().to_string(), slugify(name.trim())))
            .filter(|(_, slug)| !slug.is_empty())
            .collect()
    }
}

/// What an article shows of one of its translations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// Its language.
    pub lang: String,
    /// Its headline.
    pub title: String,
    /// Its site path.
    pub path: String,
    /// Its link version, for the fingerprints of the pages that link to it.
    pub link_version: u64,
}

/// Lines of an article's source that decide its URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlLines {
    /// Line of `slug`, or 1 when the URL comes from the file name or title.
    pub slug: usize,
    /// Line of `aliases`.
    pub aliases: usize,
    /// Line of `translation_key`.
    pub translation_key: usize,
}

impl Article {
    /// When the article last changed: `updated`, else its date.
    pub fn last_modified(&self) -> &Zoned {
        self.updated.as_ref().unwrap_or(&self.date)
    }
}

/// An author's profile, from `content/authors/<slug>.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Name as shown, replacing the spelling articles use.
    pub name: Option<String>,
    /// Job title.
    pub role: Option<String>,
    /// Portrait: a site path or an absolute URL.
    pub avatar: Option<String>,
    /// Profiles elsewhere, by network, as written.
    pub links: Vec<(String, String)>,
    /// The bio, as HTML.
    pub bio: String,
    /// Changes whenever the profile does.
    pub version: u64,
}

/// The three taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxonomyKind {
    /// `/tags/<slug>/`
    Tags,
    /// `/categories/<slug>/`
    Categories,
    /// `/authors/<slug>/`
    Authors,
}

impl TaxonomyKind {
    /// Every taxonomy, in the order pages and feeds are produced.
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Tags,
        TaxonomyKind::Categories,
        TaxonomyKind::Authors,
    ];

    /// URL folder and template name of the taxonomy.
    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Categories => "categories",
            TaxonomyKind::Authors => "authors",
        }
    }
}

/// One tag, category or author.
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name (the spelling most articles use).
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Site path of its first page.
    pub path: String,
    /// Its articles, newest first (indices into [`Site::articles`]).
    pub articles: Vec<usize>,
    /// Its list pages.
    pub pages: Pagination,
}

impl Term {
    /// Its Atom, RSS and JSON feeds.
    pub fn feeds(&self) -> FeedPaths {
        FeedPaths::under(&self.path)
    }
}

/// A taxonomy's terms, sorted by slug.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Which taxonomy.
    pub kind: TaxonomyKind,
    /// Terms sorted by slug.
    pub terms: Vec<Term>,
}

/// The pages of a paginated list.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Site path of each page; the first is the list's own path.
    pub paths: Vec<String>,
    /// Items per page.
    pub per_page: usize,
    /// Number of items listed.
    pub len: usize,
}

impl Pagination {
    fn new(path: &str, len: usize, per_page: usize) -> Self {
        let count = len.div_ceil(per_page).max(1);
        let paths = (1..=count)
            .map(|n| {
                if n == 1 {
                    path.to_string()
                } else {
                    format!("{path}page/{n}/")
                }
            })
            .collect();
        Pagination {
            paths,
            per_page,
            len,
        }
    }

    /// Range of the list's items shown on page `index` (0-based).
    pub fn items(&self, index: usize) -> Range<usize> {
        let start = index * self.per_page;
        start.min(self.len)..(start + self.per_page).min(self.len)
    }
}

/// Site paths of a folder's three feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPaths {
    /// Atom 1.0.
    pub atom: String,
    /// RSS 2.0.
    pub rss: String,
    /// JSON Feed 1.1.
    pub json: String,
}

impl FeedPaths {
    /// The three paths.
    pub fn all(&self) -> [&str; 3] {
        [&self.atom, &self.rss, &self.json]
    }

    /// The feeds of the folder at site path `dir` (ending with `/`).
    pub fn under(dir: &str) -> Self {
        use crate::feeds::FeedFormat;
        let path = |format: FeedFormat| format!("{dir}{}", format.file_name());
        FeedPaths {
            atom: path(FeedFormat::Atom),
            rss: path(FeedFormat::Rss),
            json: path(FeedFormat::Json),
        }
    }
}

/// One part of the site: the root, or a language of `[languages]` under `/<lang>/`. Each
/// part has its own articles, lists, feeds and sitemaps; a site in one language has one part.
#[derive(Debug, Clone)]
pub struct Site {
    /// Configuration it was built with.
    pub config: Config,
    /// Articles, newest first.
    pub articles: Vec<Article>,
    /// Home page list.
    pub home: Pagination,
    /// Tags.
    pub tags: Taxonomy,
    /// Categories.
    pub categories: Taxonomy,
    /// Authors.
    pub authors: Taxonomy,
    /// Author profiles by the slug of the name they describe.
    pub profiles: BTreeMap<String, Profile>,
}

/// Site path of the not-found page.
pub const NOT_FOUND_PATH: &str = "/404.html";
/// Site path of the crawler rules.
pub const ROBOTS_PATH: &str = "/robots.txt";
/// Colours of highlighted code, when highlighting is on.
pub const SYNTAX_CSS_PATH: &str = "/syntax.css";

impl Site {
    /// The taxonomy of a kind.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        match kind {
            TaxonomyKind::Tags => &self.tags,
            TaxonomyKind::Categories => &self.categories,
            TaxonomyKind::Authors => &self.authors,
        }
    }

    /// The date of the most recently changed of these articles.
    pub fn newest(&self, articles: impl IntoIterator<Item = usize>) -> Option<&Zoned> {
        articles
            .into_iter()
            .map(|i| self.articles[i].last_modified())
            .max_by_key(|d| d.timestamp())
    }

    /// Where a new version of an article can take the old one's place without the site being
    /// assembled again: when nothing that places it changed (date, URLs, terms as written).
    pub fn place_of(&self, article: &Article) -> Option<usize> {
        let index = self
            .articles
            .iter()
            // Compared as strings: comparing paths goes component by component.
            .position(|a| a.source.as_os_str() == article.source.as_os_str())?;
        let old = &self.articles[index];
        let same = old.date.timestamp() == article.date.timestamp()
            && old.path == article.path
            && old.aliases == article.aliases
            && old.names == article.names
            && old.lang == article.lang
            && old.translation_key == article.translation_key;
        same.then_some(index)
    }

    /// Puts a new version of an article at a place from [`Site::place_of`].
    pub fn replace(&mut self, index: usize, mut article: Article) {
        let old = &mut self.articles[index];
        article.authors = std::mem::take(&mut old.authors);
        article.tags = std::mem::take(&mut old.tags);
        article.category = old.category;
        article.previous = old.previous;
        article.next = old.next;
        article.related = std::mem::take(&mut old.related);
        article.translations = std::mem::take(&mut old.translations);
        *old = article;
    }

    /// Whether this is the site's root part (the others are languages under `/<lang>/`).
    pub fn is_root(&self) -> bool {
        self.config.prefix == "/"
    }

    /// Site path of this part's home page.
    pub fn home_path(&self) -> &str {
        &self.config.prefix
    }

    /// Site path of the tag index.
    pub fn tags_path(&self) -> String {
        format!("{}tags/", self.config.prefix)
    }

    /// Site path of the archives.
    pub fn archives_path(&self) -> String {
        format!("{}archives/", self.config.prefix)
    }

    /// Site path of the Google News sitemap.
    pub fn news_sitemap_path(&self) -> String {
        format!("{}news-sitemap.xml", self.config.prefix)
    }

    /// Site path of the sitemap.
    pub fn sitemap_path(&self) -> String {
        format!("{}sitemap.xml", self.config.prefix)
    }

    /// The feeds of the whole part.
    pub fn feeds(&self) -> FeedPaths {
        FeedPaths::under(&self.config.prefix)
    }

    /// The profile of an author, if there is one.
    pub fn profile(&self, author: &Term) -> Option<&Profile> {
        self.profiles.get(&author.slug)
    }

    /// Tags, categories and authors.
    pub fn taxonomies(&self) -> [&Taxonomy; 3] {
        TaxonomyKind::ALL.map(|kind| self.taxonomy(kind))
    }

    /// Root-relative URL of a site path, with the base path (`/news/2025/…`).
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.config.base_path(),
            path.trim_start_matches('/')
        )
    }

    /// Absolute URL of a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path.trim_start_matches('/'))
    }

    /// Absolute URL of an image source as written in front matter.
    pub fn asset_url(&self, src: &str) -> String {
        if src.starts_with('/') && !src.starts_with("//") {
            self.url(src)
        } else {
            src.to_string()
        }
    }
}

/// Builds the model from rendered sources, with a diagnostic for every output file claimed
/// twice (the model is still complete, so later stages can report their own problems too).
pub fn build(config: Config, sources: Vec<(Source, Rendered)>) -> (Site, Vec<Diagnostic>) {
    let articles = sources
        .into_iter()
        .map(|(source, rendered)| {
            let version = source.digest;
            article(&config, source, rendered, version)
        })
        .collect();
    assemble(config, articles, BTreeMap::new())
}

/// One article from its source and rendered body, not yet placed among the others: its
/// neighbours and terms are set by [`assemble`]. `version` must change whenever the source
/// or the way its body was rendered does.
pub fn article(config: &Config, source: Source, rendered: Rendered, version: u64) -> Article {
    let path = article_path(config, &source);
    let front = source.front;
    let default_author = [config.author.clone()];
    let author_names = if front.authors.is_empty() && !config.author.is_empty() {
        &default_author[..]
    } else {
        &front.authors[..]
    };
    let lang = front.lang.unwrap_or_else(|| config.language.clone());
    // Headlines and descriptions are prose too.
    let french = config.french_spacing(&lang);
    let prose = |text: String| {
        if french {
            crate::typography::french_text(&text)
        } else {
            text
        }
    };
    let title = prose(front.title);
    let description = front.description.map(prose);
    let reading_time = rendered.reading_time();
    let summary = match (rendered.summary, &description, rendered.first_paragraph) {
        (Some(summary), _, _) => summary,
        (None, Some(description), _) => format!("<p>{}</p>\n", escape(description)),
        (None, None, first) => first.unwrap_or_default(),
    };
    let link_version = fingerprint((&title, &path));
    let entry_version = fingerprint((
        &path,
        front
            .updated
            .as_ref()
            .unwrap_or(&front.date)
            .timestamp()
            .as_nanosecond(),
    ));
    Article {
        link_version,
        entry_version,
        source: source.path,
        path,
        date: front.date,
        updated: front.updated,
        lang,
        draft: front.draft,
        names: TermNames {
            authors: TermNames::slugged(author_names),
            tags: TermNames::slugged(&front.tags),
            category: TermNames::slugged(&front.category).pop(),
        },
        authors: Vec::new(),
        tags: Vec::new(),
        category: None,
        description,
        summary,
        word_count: rendered.word_count,
        has_code: rendered.has_code,
        snippets: rendered.snippets,
        reading_time,
        content: rendered.html,
        toc: rendered.toc,
        image: front.image,
        embeds: front.embeds,
        embeds_line: front.embeds_line,
        aliases: front.aliases,
        url_lines: UrlLines {
            slug: front.slug_line,
            aliases: front.aliases_line,
            translation_key: front.translation_key_line,
        },
        extra: front.extra,
        title,
        previous: None,
        next: None,
        related: Vec::new(),
        translation_key: front.translation_key,
        translations: Vec::new(),
        version,
        internal_links: rendered.internal_links,
        ids: rendered.ids,
        hints: rendered.hints,
    }
}

/// Site path of an article's page (`/2025/02/slug/`), from its front matter and file name;
/// `config` is that of the article's part of the site.
pub fn article_path(config: &Config, source: &Source) -> String {
    let front = &source.front;
    let slug = front
        .slug
        .as_deref()
        .map(slugify)
        .or_else(|| file_slug(&source.path))
        .unwrap_or_else(|| slugify(&front.title));
    format!(
        "{}{}",
        config.prefix,
        config
            .permalink
            .expand(&front.date.date(), &slug)
            .trim_start_matches('/')
    )
}

/// Places articles among each other: sorts them newest first, gathers their terms, links
/// neighbours and paginates lists; authors with a profile take the profile's name. Duplicate
/// output files are reported as in [`build`].
pub fn assemble(
    config: Config,
    mut articles: Vec<Article>,
    profiles: BTreeMap<String, Profile>,
) -> (Site, Vec<Diagnostic>) {
    articles.sort_by(|a, b| {
        b.date
            .timestamp()
            .cmp(&a.date.timestamp())
            .then_with(|| a.source.cmp(&b.source))
    });
    let mut tags = TermCollector::default();
    let mut categories = TermCollector::default();
    let mut authors = TermCollector::default();
    for (index, article) in articles.iter_mut().enumerate() {
        let names = &article.names;
        article.authors = dedup(
            names
                .authors
                .iter()
                .map(|n| authors.add(n, index))
                .collect(),
        );
        article.tags = dedup(names.tags.iter().map(|n| tags.add(n, index)).collect());
        article.category = names.category.as_ref().map(|n| categories.add(n, index));
    }
    let count = articles.len();
    for (index, article) in articles.iter_mut().enumerate() {
        article.next = index.checked_sub(1);
        article.previous = (index + 1 < count).then_some(index + 1);
    }

    let per_page = config.paginate_by;
    let prefix = config.prefix.as_str();
    let tags = tags.finish(TaxonomyKind::Tags, &mut articles, per_page, prefix);
    let categories = categories.finish(TaxonomyKind::Categories, &mut articles, per_page, prefix);
    let mut authors = authors.finish(TaxonomyKind::Authors, &mut articles, per_page, prefix);
    let related = {
        let article_tags: Vec<&[usize]> = articles.iter().map(|a| a.tags.as_slice()).collect();
        let article_categories: Vec<Option<usize>> = articles.iter().map(|a| a.category).collect();
        let tag_articles: Vec<&[usize]> =
            tags.terms.iter().map(|t| t.articles.as_slice()).collect();
        let category_articles: Vec<&[usize]> = categories
            .terms
            .iter()
            .map(|t| t.articles.as_slice())
            .collect();
        crate::related::related(
            &crate::related::Terms {
                tags: &article_tags,
                categories: &article_categories,
                tag_articles: &tag_articles,
                category_articles: &category_articles,
            },
            config.related,
        )
    };
    for (article, related) in articles.iter_mut().zip(related) {
        article.related = related;
    }
    let mut errors = Vec::new();
    for author in &mut authors.terms {
        if let Some(name) = profiles.get(&author.slug).and_then(|p| p.name.clone()) {
            author.name = name;
        }
    }
    let site = Site {
        profiles,
        home: Pagination::new(&config.prefix, count, per_page),
        config,
        articles,
        tags,
        categories,
        authors,
    };
    errors.append(&mut check_unique_paths(&site));
    (site, errors)
}

/// Links the articles sharing a `translation_key`, in every part of the site, to each other
/// in language order; two articles of one language sharing a key are an error (which would
/// be the translation?).
pub fn link_translations(sites: &mut [Site]) -> Vec<Diagnostic> {
    let mut stories: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (tree, site) in sites.iter().enumerate() {
        for (index, article) in site.articles.iter().enumerate() {
            if let Some(key) = &article.translation_key {
                stories.entry(key.clone()).or_default().push((tree, index));
            }
        }
    }
    let mut errors = Vec::new();
    let mut links: Vec<((usize, usize), Vec<Translation>)> = Vec::new();
    for (key, mut versions) in stories {
        let article = |&(tree, index): &(usize, usize)| &sites[tree].articles[index];
        versions.sort_by(|a, b| {
            let (a, b) = (article(a), article(b));
            (&a.lang, &a.source).cmp(&(&b.lang, &b.source))
        });
        for pair in versions.windows(2) {
            let (first, second) = (article(&pair[0]), article(&pair[1]));
            if first.lang == second.lang {
                errors.push(Diagnostic::new(
                    Location::at(&second.source, second.url_lines.translation_key, 1),
                    Problem::BadField {
                        field: "translation_key",
                        reason: format!(
                            "`{key}` is already the key of {} in `{}`: each language may have one version of a story",
                            first.source.display(),
                            first.lang
                        ),
                    },
                ));
            }
        }
        for version in &versions {
            let others = versions
                .iter()
                .filter(|other| *other != version)
                .map(|other| {
                    let other = article(other);
                    Translation {
                        lang: other.lang.clone(),
                        title: other.title.clone(),
                        path: other.path.clone(),
                        link_version: other.link_version,
                    }
                })
                .collect();
            links.push((*version, others));
        }
    }
    for site in sites.iter_mut() {
        for article in &mut site.articles {
            article.translations.clear();
        }
    }
    for ((tree, index), others) in links {
        sites[tree].articles[index].translations = others;
    }
    errors
}

/// Slug from the file name; `index.md` takes its folder's name.
fn file_slug(path: &std::path::Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let name = if stem == "index" || stem == "_index" {
        path.parent()?.file_name()?.to_str()?
    } else {
        stem
    };
    Some(slugify(name)).filter(|s| !s.is_empty())
}

fn dedup(mut indices: Vec<usize>) -> Vec<usize> {
    let mut seen = Vec::with_capacity(indices.len());
    indices.retain(|i| {
        let new = !seen.contains(i);
        seen.push(*i);
        new
    });
    indices
}

/// Gathers terms by slug while articles are read, remembering each spelling's frequency.
#[derive(Default)]
struct TermCollector {
    by_slug: HashMap<String, usize>,
    terms: Vec<CollectedTerm>,
}

struct CollectedTerm {
    slug: String,
    spellings: Vec<(String, usize)>,
    articles: Vec<usize>,
}

impl TermCollector {
    /// Records that article `article` has a term (name, slug); returns the term's provisional id.
    fn add(&mut self, (name, slug): &(String, String), article: usize) -> usize {
        let id = match self.by_slug.get(slug) {
            Some(&id) => id,
            None => {
                self.terms.push(CollectedTerm {
                    slug: slug.clone(),
                    spellings: Vec::new(),
                    articles: Vec::new(),
                });
                self.by_slug.insert(slug.clone(), self.terms.len() - 1);
                self.terms.len() - 1
            }
        };
        let term = &mut self.terms[id];
        match term.spellings.iter_mut().find(|(s, _)| s == name) {
            Some((_, count)) => *count += 1,
            None => term.spellings.push((name.clone(), 1)),
        }
        if term.articles.last() != Some(&article) {
            term.articles.push(article);
        }
        id
    }

    /// Sorts terms by slug and rewrites the articles' provisional ids to final indices.
    fn finish(
        self,
        kind: TaxonomyKind,
        articles: &mut [Article],
        per_page: usize,
        prefix: &str,
    ) -> Taxonomy {
        let mut order: Vec<usize> = (0..self.terms.len()).collect();
        order.sort_by(|&a, &b| self.terms[a].slug.cmp(&self.terms[b].slug));
        let mut final_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            final_index[old] = new;
        }
        for article in articles.iter_mut() {
            let ids = match kind {
                TaxonomyKind::Tags => &mut article.tags,
                TaxonomyKind::Authors => &mut article.authors,
                TaxonomyKind::Categories => {
                    article.category = article.category.map(|id| final_index[id]);
                    continue;
                }
            };
            ids.iter_mut().for_each(|id| *id = final_index[*id]);
        }
        let mut terms: Vec<Option<CollectedTerm>> = self.terms.into_iter().map(Some).collect();
        let terms = order
            .iter()
            .map(|&old| {
                let term = terms[old].take().expect("each term taken once");
                let name = term
                    .spellings
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, (_, count))| (*count, std::cmp::Reverse(*i)))
                    .map(|(_, (name, _))| name.clone())
                    .unwrap_or_default();
                let path = format!("{prefix}{}/{}/", kind.name(), term.slug);
                Term {
                    pages: Pagination::new(&path, term.articles.len(), per_page),
                    name,
                    slug: term.slug,
                    path,
                    articles: term.articles,
                }
            })
            .collect();
        Taxonomy { kind, terms }
    }
}

/// Output file of a site path: `/a/b/` → `a/b/index.html`, `/atom.xml` → `atom.xml`, and a
/// path without extension is a folder (`/old/path` → `old/path/index.html`).
pub fn output_file(site_path: &str) -> String {
    let relative = site_path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else if std::path::Path::new(relative).extension().is_some() {
        relative.to_string()
    } else {
        format!("{relative}/index.html")
    }
}

/// Every output file must come from one source only: an article or alias may not take the
/// place of another article, or of a page or feed the site generates.
fn check_unique_paths(site: &Site) -> Vec<Diagnostic> {
    let mut owners: HashMap<String, String> = HashMap::new();
    let mut generated = |path: &str, owner: String| {
        owners.insert(output_file(path), owner);
    };
    for path in &site.home.paths {
        generated(path, "the home page".to_string());
    }
    generated(&site.tags_path(), "the tag index".to_string());
    generated(&site.archives_path(), "the archives".to_string());
    generated(&site.sitemap_path(), "the sitemap".to_string());
    generated(&site.news_sitemap_path(), "the news sitemap".to_string());
    if site.is_root() {
        generated(NOT_FOUND_PATH, "the not-found page".to_string());
        generated(ROBOTS_PATH, "robots.txt".to_string());
        generated(SYNTAX_CSS_PATH, "the code stylesheet".to_string());
    }
    for feed in site.feeds().all() {
        generated(feed, "the site feeds".to_string());
    }
    for taxonomy in site.taxonomies() {
        for term in &taxonomy.terms {
            let owner = format!("the {} page of `{}`", taxonomy.kind.name(), term.name);
            for path in &term.pages.paths {
                generated(path, owner.clone());
            }
            for feed in term.feeds().all() {
                generated(feed, owner.clone());
            }
        }
    }
    // Articles' own URLs first, so that an alias taking one is the one reported.
    let own = site.articles.iter().map(|a| (a, &a.path, a.url_lines.slug));
    let aliases = site
        .articles
        .iter()
        .flat_map(|a| a.aliases.iter().map(move |p| (a, p, a.url_lines.aliases)));
    let mut errors = Vec::new();
    for (article, path, line) in own.chain(aliases) {
        let mine = article.source.display().to_string();
        let is_alias = !std::ptr::eq(path, &article.path);
        if let Some(other) = owners.insert(output_file(path), mine.clone())
            && (other != mine || is_alias)
        {
            errors.push(Diagnostic::new(
                Location::at(&article.source, line, 1),
                Problem::DuplicateUrl {
                    url: site.permalink(path),
                    other,
                },
            ));
        }
    }
    errors
}

/// Small sites built in memory, for unit tests of the stages after this one.
#[cfg(test)]
pub(crate) mod sample {
    use std::path::PathBuf;

    use super::Site;
    use crate::config::{BuildOptions, Config};
    use crate::content::parse_source;
    use crate::embeds::Embed;
    use crate::markdown::{self, Snippets};
    use crate::shortcodes::Call;

    struct NoSnippets;

    impl Snippets for NoSnippets {
        fn embed(&self, _: &Embed, _: &str) -> Result<String, String> {
            Ok(String::new())
        }

        fn shortcode(&self, _: &Call, _: &str, _: usize) -> Option<Result<String, String>> {
            None
        }
    }

    /// A site of articles given as (file, title, date, tags, body), two per list page, built
    /// on 2026-01-01 at midnight UTC.
    pub(crate) fn site(articles: &[(&str, &str, &str, &str, &str)]) -> Site {
        let options = BuildOptions {
            now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            ..BuildOptions::default()
        };
        let toml = "title = \"T\"\nbase_url = \"https://t.example/\"\npaginate_by = 2\n";
        let config = Config::parse(toml, &options).unwrap();
        let sources = articles
            .iter()
            .map(|(file, title, date, tags, body)| {
                let text =
                    format!("---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\n---\n{body}\n");
                let (source, errors) = parse_source(PathBuf::from(file), text.as_bytes(), &config);
                assert!(errors.is_empty(), "{errors:?}");
                let source = source.unwrap();
                let rendered = markdown::render(&markdown::Input {
                    path: &source.path,
                    body: &source.body,
                    body_line: source.body_line,
                    base_path: "/",
                    lang: "en",
                    snippets: &NoSnippets,
                    highlighter: None,
                    french_spacing: false,
                    safe: false,
                    targets: &markdown::Targets::new(),
                })
                .unwrap();
                (source, rendered)
            })
            .collect();
        super::build(config, sources).0
    }
}

#[cfg(test)]
mod tests {
    use super::output_file;

    #[test]
    fn site_paths_map_to_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/2025/02/a/"), "2025/02/a/index.html");
        assert_eq!(output_file("/atom.xml"), "atom.xml");
        assert_eq!(output_file("/old/path"), "old/path/index.html");
    }
}
