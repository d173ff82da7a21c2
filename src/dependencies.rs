//! What each output file is made of. Every file the model produces gets a fingerprint: a hash
//! of everything it shows (the articles it lists, their terms, its neighbours, the template it
//! is rendered with). A rebuild compares the new model's fingerprints with those of the files
//! served and re-renders exactly the files whose fingerprint changed; files no longer produced
//! are removed. This is how one edit on a 10,000-article site re-renders a handful of pages.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::FixedState;

use crate::feeds::{self, FeedFormat, FeedOwner};
use crate::site::{
    NOT_FOUND_PATH, ROBOTS_PATH, SYNTAX_CSS_PATH, Site, TaxonomyKind, Term, output_file,
};
use crate::sitemap::MAX_URLS;

/// One output file, by what renders it; indices refer to the model it was listed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Unit {
    /// A page rendered through the theme.
    Page(Page),
    /// A feed.
    Feed(FeedOwner, FeedFormat),
    /// A sitemap file: 0 is `/sitemap.xml`, the others the parts of a big site's index.
    Sitemap(usize),
    /// `/news-sitemap.xml`.
    NewsSitemap,
    /// `/robots.txt`.
    Robots,
    /// `/syntax.css`, generated when some article has highlighted code.
    SyntaxCss,
    /// A redirect from an article's old URL: article, alias.
    Alias(usize, usize),
}

/// A page rendered through the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Page {
    /// Page of the home list (0-based).
    Home(usize),
    /// An article's page.
    Article(usize),
    /// `/tags/`.
    TagIndex,
    /// `/archives/`.
    Archives,
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

/// Fingerprints of every output file of a model, by the hash of the file's output path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fingerprints {
    /// Fingerprint, part of the site (see [`crate::config::Config::tree_of`]) and unit.
    files: foldhash::HashMap<u64, (u64, usize, Unit)>,
}

/// Output paths by key, for the files served: kept from one build to the next, so that a
/// file no longer produced can be named without the model it came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileNames {
    names: foldhash::HashMap<u64, String>,
}

/// What a rebuild must do to bring the served files up to a new model.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Dirty {
    /// Files to render, new or changed, with the part of the site they belong to.
    pub(crate) render: Vec<(usize, Unit)>,
    /// Output files no longer produced.
    pub(crate) remove: Vec<String>,
    /// Keys of the files new in this model.
    added: Vec<(u64, usize, Unit)>,
    /// Keys of the files gone.
    removed: Vec<u64>,
}

impl Fingerprints {
    /// Lists and fingerprints every output file of `site`, part `tree` of the site; the root
    /// part writes `syntax.css` when `syntax_css` says so.
    pub(crate) fn of(
        site: &Site,
        tree: usize,
        templates: &TemplateVersions,
        syntax_css: bool,
    ) -> Fingerprints {
        let terms: Vec<Vec<u64>> = site
            .taxonomies()
            .iter()
            .map(|taxonomy| {
                let terms = taxonomy.terms.iter();
                terms
                    .map(|t| {
                        // An author's links, role and portrait show wherever the name does.
                        let profile = (taxonomy.kind == TaxonomyKind::Authors)
                            .then(|| site.profile(t).map(|p| p.version));
                        fingerprint((&t.name, &t.path, profile))
                    })
                    .collect()
            })
            .collect();
        let term = |kind: TaxonomyKind, id: usize| terms[kind as usize][id];
        let cards: Vec<u64> = site
            .articles
            .iter()
            .map(|a| {
                let mut card = hasher();
                // The same file under another name has another URL.
                (a.version, a.link_version).hash(&mut card);
                for &t in &a.authors {
                    term(TaxonomyKind::Authors, t).hash(&mut card);
                }
                for &t in &a.tags {
                    term(TaxonomyKind::Tags, t).hash(&mut card);
                }
                a.category
                    .map(|t| term(TaxonomyKind::Categories, t))
                    .hash(&mut card);
                card.finish()
            })
            .collect();
        let list = |shown: u64, items: &mut dyn Iterator<Item = usize>| -> u64 {
            let mut list = hasher();
            shown.hash(&mut list);
            items.for_each(|i| cards[i].hash(&mut list));
            list.finish()
        };

        let mut files = Files {
            map: foldhash::HashMap::with_capacity_and_hasher(
                site.articles.len() * 3,
                Default::default(),
            ),
            buffer: String::new(),
            tree,
        };
        let home = templates.page("index.html");
        for (index, path) in site.home.paths.iter().enumerate() {
            let shown = fingerprint((home, site.home.paths.len(), index));
            let print = list(shown, &mut site.home.items(index));
            files.add(path, print, Unit::Page(Page::Home(index)));
        }
        let article_template = templates.page("article.html");
        for (index, article) in site.articles.iter().enumerate() {
            // Featured embeds are rendered with the snippet templates.
            let snippets = (!article.embeds.is_empty()).then_some(templates.snippets);
            // Hashed as they come: this loop runs over every article at every save.
            let mut page = hasher();
            (article_template, cards[index], snippets).hash(&mut page);
            let neighbour = |i: Option<usize>| i.map(|i| site.articles[i].link_version);
            (neighbour(article.previous), neighbour(article.next)).hash(&mut page);
            (article.related.len(), article.translations.len()).hash(&mut page);
            for &related in &article.related {
                cards[related].hash(&mut page);
            }
            for translation in &article.translations {
                (&translation.lang, translation.link_version).hash(&mut page);
            }
            let print = page.finish();
            files.add(&article.path, print, Unit::Page(Page::Article(index)));
            for (alias_index, alias) in article.aliases.iter().enumerate() {
                let print = fingerprint((&article.path, &article.title, &article.lang));
                files.add(alias, print, Unit::Alias(index, alias_index));
            }
        }
        let mut tags = hasher();
        templates.page("tags.html").hash(&mut tags);
        for t in &site.tags.terms {
            (&t.name, &t.slug, t.articles.len()).hash(&mut tags);
        }
        files.add(&site.tags_path(), tags.finish(), Unit::Page(Page::TagIndex));
        let term_template = templates.page("term.html");
        for kind in TaxonomyKind::ALL {
            for (id, t) in site.taxonomy(kind).terms.iter().enumerate() {
                let shown = (term(kind, id), t.articles.len(), t.pages.paths.len());
                let shown = fingerprint((term_template, shown));
                for (index, path) in t.pages.paths.iter().enumerate() {
                    let items = &mut t.pages.items(index).map(|i| t.articles[i]);
                    let print = list(fingerprint((shown, index)), items);
                    files.add(path, print, Unit::Page(Page::Term(kind, id, index)));
                }
                let owner = FeedOwner::Term(kind, id);
                let listed = list(term(kind, id), &mut feeds::listed(site, owner));
                files.add_feeds(&t.path, owner, listed);
            }
        }
        let mut archives = hasher();
        templates.page("archives.html").hash(&mut archives);
        for article in &site.articles {
            (
                article.link_version,
                article.date.timestamp(),
                &article.lang,
            )
                .hash(&mut archives);
        }
        files.add(
            &site.archives_path(),
            archives.finish(),
            Unit::Page(Page::Archives),
        );
        if site.is_root() {
            let not_found = templates.page("404.html");
            files.add(NOT_FOUND_PATH, not_found, Unit::Page(Page::NotFound));
        }
        let listed = list(0, &mut feeds::listed(site, FeedOwner::Site));
        files.add_feeds(site.home_path(), FeedOwner::Site, listed);
        let sitemap = sitemap(site);
        let parts = crate::sitemap::part_count(crate::sitemap::url_count(site), MAX_URLS);
        for part in 0..parts {
            let path = crate::sitemap::part_path(site, part);
            files.add(&path, fingerprint((sitemap, part)), Unit::Sitemap(part));
        }
        let mut news = hasher();
        for index in crate::sitemap::news_articles(site) {
            let article = &site.articles[index];
            (
                article.link_version,
                &article.lang,
                article.date.timestamp(),
            )
                .hash(&mut news);
        }
        files.add(&site.news_sitemap_path(), news.finish(), Unit::NewsSitemap);
        if site.is_root() {
            files.add(ROBOTS_PATH, 0, Unit::Robots);
        }
        // One stylesheet serves every part: the root writes it when any part has code.
        if site.is_root() && syntax_css {
            files.add(SYNTAX_CSS_PATH, 0, Unit::SyntaxCss);
        }
        Fingerprints { files: files.map }
    }

    /// The files to render and remove to go from the files `served` (named by `names`) to
    /// these.
    pub(crate) fn since(&self, served: &Fingerprints, names: &FileNames) -> Dirty {
        let mut render = Vec::new();
        let mut added = Vec::new();
        for (key, (fingerprint, tree, unit)) in &self.files {
            match served.files.get(key) {
                Some((old, _, _)) if old == fingerprint => {}
                Some(_) => render.push((*tree, *unit)),
                None => {
                    render.push((*tree, *unit));
                    added.push((*key, *tree, *unit));
                }
            }
        }
        // Stable order, so that a failing build reports the same page first each time.
        render.sort();
        // Unless files were added, the same number of files means the same files.
        let removed: Vec<u64> = if added.is_empty() && served.files.len() == self.files.len() {
            Vec::new()
        } else {
            let gone = served
                .files
                .keys()
                .filter(|key| !self.files.contains_key(*key));
            gone.copied().collect()
        };
        let mut remove: Vec<String> = removed
            .iter()
            .filter_map(|key| names.names.get(key).cloned())
            .collect();
        remove.sort();
        Dirty {
            render,
            remove,
            added,
            removed,
        }
    }

    /// Adds the files of another part of the site.
    pub(crate) fn extend(&mut self, other: Fingerprints) {
        self.files.extend(other.files);
    }

    /// Whether some output file is at this output path (`style.css`, `tags/index.html`).
    pub(crate) fn contains(&self, file: &str) -> bool {
        self.files.contains_key(&fingerprint(file))
    }
}

impl FileNames {
    /// Follows the files served through a rebuild from the parts `sites`: names the new
    /// ones, forgets those gone.
    pub(crate) fn follow(&mut self, dirty: &Dirty, sites: &[Site]) {
        for key in &dirty.removed {
            self.names.remove(key);
        }
        for (key, tree, unit) in &dirty.added {
            let path = unit_path(&sites[*tree], *unit);
            self.names.insert(*key, output_file(&path));
        }
    }
}

/// Fingerprints being gathered, with a buffer for output paths.
struct Files {
    map: foldhash::HashMap<u64, (u64, usize, Unit)>,
    buffer: String,
    tree: usize,
}

impl Files {
    fn add(&mut self, site_path: &str, print: u64, unit: Unit) {
        self.buffer.clear();
        push_output_file(&mut self.buffer, site_path);
        let key = fingerprint(self.buffer.as_str());
        self.map.insert(key, (print, self.tree, unit));
    }

    /// The three feeds of the folder at site path `dir`.
    fn add_feeds(&mut self, dir: &str, owner: FeedOwner, listed: u64) {
        for format in FeedFormat::ALL {
            self.buffer.clear();
            self.buffer.push_str(dir.trim_start_matches('/'));
            self.buffer.push_str(format.file_name());
            let print = fingerprint((listed, format as usize));
            let key = fingerprint(self.buffer.as_str());
            self.map
                .insert(key, (print, self.tree, Unit::Feed(owner, format)));
        }
    }
}

/// [`output_file`], into a buffer.
fn push_output_file(buffer: &mut String, site_path: &str) {
    let relative = site_path.trim_start_matches('/');
    buffer.push_str(relative);
    if relative.is_empty() || relative.ends_with('/') {
        buffer.push_str("index.html");
    } else if std::path::Path::new(relative).extension().is_none() {
        buffer.push_str("/index.html");
    }
}

/// The site path a unit renders to.
fn unit_path(site: &Site, unit: Unit) -> String {
    let path = match unit {
        Unit::Page(Page::Home(index)) => &site.home.paths[index],
        Unit::Page(Page::Article(index)) => &site.articles[index].path,
        Unit::Page(Page::TagIndex) => return site.tags_path(),
        Unit::Page(Page::Archives) => return site.archives_path(),
        Unit::Page(Page::Term(kind, term, index)) => {
            &site.taxonomy(kind).terms[term].pages.paths[index]
        }
        Unit::Page(Page::NotFound) => NOT_FOUND_PATH,
        Unit::Feed(FeedOwner::Site, format) => {
            return format!("{}{}", site.home_path(), format.file_name());
        }
        Unit::Feed(FeedOwner::Term(kind, term), format) => {
            let dir = &site.taxonomy(kind).terms[term].path;
            return format!("{dir}{}", format.file_name());
        }
        Unit::Sitemap(part) => return crate::sitemap::part_path(site, part),
        Unit::NewsSitemap => return site.news_sitemap_path(),
        Unit::Robots => ROBOTS_PATH,
        Unit::SyntaxCss => SYNTAX_CSS_PATH,
        Unit::Alias(article, alias) => &site.articles[article].aliases[alias],
    };
    path.to_string()
}

/// The sitemap lists every page with the newest date of what it shows: the articles' URLs
/// and dates, and which articles each list holds, decide it.
fn sitemap(site: &Site) -> u64 {
    let mut hasher = hasher();
    site.config.paginate_by.hash(&mut hasher);
    for article in &site.articles {
        article.entry_version.hash(&mut hasher);
    }
    for taxonomy in site.taxonomies() {
        for Term { slug, articles, .. } in &taxonomy.terms {
            (slug, articles).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// A fingerprint: a fast hash of good quality, so that different inputs never share one in
/// practice (a shared one would leave a page stale).
pub(crate) fn fingerprint(value: impl Hash) -> u64 {
    FixedState::default().hash_one(value)
}

fn hasher() -> impl Hasher {
    FixedState::default().build_hasher()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::site::sample::site;

    const A: (&str, &str, &str, &str, &str) = ("a.md", "A", "2025-01-01", "x", "Alpha.");
    const B: (&str, &str, &str, &str, &str) = ("b.md", "B", "2025-01-02", "x, y", "Beta.");
    const C: (&str, &str, &str, &str, &str) = ("c.md", "C", "2025-01-03", "y", "Gamma.");

    /// Output files to write and to remove going from one site to the other.
    fn redo(
        before: &Site,
        after: &Site,
        templates: &TemplateVersions,
    ) -> (Vec<String>, Vec<String>) {
        let old = Fingerprints::of(before, 0, templates, true);
        let mut names = FileNames::default();
        let first = old.since(&Fingerprints::default(), &names);
        names.follow(&first, std::slice::from_ref(before));
        let new = Fingerprints::of(after, 0, templates, true);
        let dirty = new.since(&old, &names);
        let written: BTreeSet<String> = dirty
            .render
            .iter()
            .map(|(_, unit)| output_file(&unit_path(after, *unit)))
            .collect();
        (written.into_iter().collect(), dirty.remove)
    }

    fn feeds(dir: &str) -> [String; 3] {
        ["atom.xml", "rss.xml", "feed.json"].map(|f| format!("{dir}{f}"))
    }

    #[test]
    fn nothing_changed_nothing_to_redo() {
        let templates = TemplateVersions::default();
        let (written, removed) = redo(&site(&[A, B, C]), &site(&[A, B, C]), &templates);
        assert!(
            written.is_empty() && removed.is_empty(),
            "{written:?} {removed:?}"
        );
    }

    #[test]
    fn a_body_edit_redoes_its_page_and_the_lists_feeds_and_stories_showing_it() {
        let edited = ("b.md", "B", "2025-01-02", "x, y", "Beta, edited.");
        let (written, removed) = redo(
            &site(&[A, B, C]),
            &site(&[A, edited, C]),
            &Default::default(),
        );
        // A and C list B among their related stories.
        let mut expected = vec![
            "2025/01/a/index.html".to_string(),
            "2025/01/b/index.html".to_string(),
            "2025/01/c/index.html".to_string(),
            "index.html".to_string(),
            "tags/x/index.html".to_string(),
            "tags/y/index.html".to_string(),
        ];
        expected.extend(
            feeds("")
                .into_iter()
                .chain(feeds("tags/x/"))
                .chain(feeds("tags/y/")),
        );
        expected.sort();
        assert_eq!(written, expected);
        assert!(removed.is_empty());
    }

    #[test]
    fn a_title_edit_also_redoes_the_neighbours() {
        let edited = ("b.md", "B2", "2025-01-02", "x, y", "Beta.");
        let (written, _) = redo(
            &site(&[A, B, C]),
            &site(&[A, edited, C]),
            &Default::default(),
        );
        for neighbour in ["2025/01/a/index.html", "2025/01/c/index.html"] {
            assert!(written.contains(&neighbour.to_string()), "{written:?}");
        }
        assert!(!written.contains(&"sitemap.xml".to_string()));
    }

    #[test]
    fn a_new_term_and_a_term_gone_redo_the_tag_index_and_sitemap() {
        let b = ("b.md", "B", "2025-01-02", "x", "Beta.");
        let c = ("c.md", "C", "2025-01-03", "z", "Gamma.");
        let (written, removed) = redo(&site(&[A, B, C]), &site(&[A, b, c]), &Default::default());
        for file in [
            "tags/index.html",
            "sitemap.xml",
            "tags/z/index.html",
            "tags/x/index.html",
        ] {
            assert!(written.contains(&file.to_string()), "{file}: {written:?}");
        }
        let mut gone = vec!["tags/y/index.html".to_string()];
        gone.extend(feeds("tags/y/"));
        gone.sort();
        assert_eq!(removed, gone);
    }

    #[test]
    fn a_deleted_article_moves_the_others_up_the_lists() {
        // Two per page: C, B on the first, A on the second; without C, one page only.
        let (written, removed) = redo(&site(&[A, B, C]), &site(&[A, B]), &Default::default());
        assert_eq!(removed, ["2025/01/c/index.html", "page/2/index.html"]);
        assert!(written.contains(&"index.html".to_string()));
        assert!(
            written.contains(&"2025/01/b/index.html".to_string()),
            "its neighbour"
        );
    }

    #[test]
    fn a_template_edit_redoes_the_pages_using_it_only() {
        let before = TemplateVersions::default();
        let mut after = before.clone();
        after.pages.insert("term.html".to_string(), 1);
        let old = Fingerprints::of(&site(&[A, B, C]), 0, &before, true);
        let new = Fingerprints::of(&site(&[A, B, C]), 0, &after, true);
        let dirty = new.since(&old, &FileNames::default());
        assert!(!dirty.render.is_empty());
        assert!(
            dirty
                .render
                .iter()
                .all(|(_, unit)| matches!(unit, Unit::Page(Page::Term(..)))),
            "{:?}",
            dirty.render
        );
    }
}
