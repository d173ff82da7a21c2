//! Site model: the pure data every output is rendered from.
//!
//! Articles are held once, newest first; taxonomies, pagers and neighbours refer to them by
//! index. Every site path is computed here; later stages only read them.

mod article;
mod assemble;
mod comments;
mod html;
mod outputs;
mod page;
mod pictures;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use jiff::Zoned;

use crate::config::Config;
use crate::content::MenuPlace;

pub use article::{Article, Translation, UrlLines, article, article_path};
pub use assemble::{assemble, link_translations};
pub use comments::{ThreadedComment, thread};
pub use html::Html;
pub use outputs::output_file;
pub(crate) use outputs::{
    Extras, FeedFormat, FeedOwner, MAX_SITEMAP_URLS, Page, Unit, check_unique_paths,
    push_output_file,
};
pub use page::StandalonePage;
pub use pictures::{Picture, PictureVariant, Pictures, media_type, source_path};

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
    /// Every link and image of the bio, where it is written.
    pub written: Vec<crate::markdown::Written>,
    /// Where each front matter key is written.
    pub keys: crate::content::FrontKeys,
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
    /// Standalone pages of this part, in source order.
    pub pages: Vec<StandalonePage>,
    /// The processed images, shared by every part: set by the images stage, empty until it
    /// runs (and for images still being processed by `serve`).
    pub pictures: std::sync::Arc<Pictures>,
    /// The names stylesheets and scripts are linked by (hashed in a build).
    pub assets: std::sync::Arc<crate::assets::AssetNames>,
}

/// Site path of the not-found page.
pub const NOT_FOUND_PATH: &str = "/404.html";
/// Site path of the crawler rules.
pub const ROBOTS_PATH: &str = "/robots.txt";
/// Colours of highlighted code, when highlighting is on.
pub const SYNTAX_CSS_PATH: &str = "/syntax.css";
/// Old URLs with a query, for Netlify and Cloudflare (`_redirects`).
pub const REDIRECTS_PATH: &str = "/_redirects";
/// Old URLs with a query, as an nginx `map` to include.
pub const NGINX_REDIRECTS_PATH: &str = "/nginx-redirects.map";
/// The icon browsers show in tabs when `site.toml` names none: the theme ships one, and a
/// site replaces it with its own `static/favicon.svg`.
pub const DEFAULT_ICON_PATH: &str = "/favicon.svg";

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

    /// Site path of the search page.
    pub fn search_path(&self) -> String {
        format!("{}search/", self.config.prefix)
    }

    /// Site path of the search index's folder.
    pub fn search_bundle_path(&self) -> String {
        format!("{}search-index/", self.config.prefix)
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

    /// The pages a menu lists, in its order: by `order`, then title.
    pub fn menu(&self, place: MenuPlace) -> Vec<&StandalonePage> {
        let mut listed: Vec<&StandalonePage> = self
            .pages
            .iter()
            .filter(|page| page.menu.is_some_and(|menu| menu.place == place))
            .collect();
        listed.sort_by_key(|page| (page.menu.map_or(0, |menu| menu.order), page.title.as_str()));
        listed
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

    /// Root-relative URL of an image source as written in front matter.
    pub fn asset_url(&self, src: &str) -> String {
        if src.starts_with('/') && !src.starts_with("//") {
            self.url(src)
        } else {
            src.to_string()
        }
    }

    /// Root-relative URL of a stylesheet or script (`/style.css`) by the name pages link it
    /// by: its hashed name in a build.
    pub fn static_url(&self, path: &str) -> String {
        self.url(self.assets.served(path.trim_start_matches('/')))
    }

    /// Root-relative URL of the icon browsers show in tabs: `icon` from `site.toml`, else
    /// the theme's.
    pub fn icon_url(&self) -> String {
        let icon = self.config.icon.as_deref().unwrap_or(DEFAULT_ICON_PATH);
        self.asset_url(icon)
    }

    /// Absolute URL of an image source as written in front matter.
    pub fn absolute_url(&self, src: &str) -> String {
        let url = self.asset_url(src);
        if url.starts_with('/') && !url.starts_with("//") {
            let origin = self.config.base_url.origin().ascii_serialization();
            format!("{origin}{url}")
        } else {
            url
        }
    }
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
                    body: source.body.as_deref().unwrap(),
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
                let version = source.digest;
                super::article(&config, source, rendered, None, version)
            })
            .collect();
        super::assemble(config, sources, Vec::new(), Default::default()).0
    }
}
