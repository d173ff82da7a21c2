//! What each output file is made of. Every file in the model's list of outputs gets a
//! fingerprint: a hash of everything it shows (the articles it lists, their terms, its
//! neighbours, the template it is rendered with). A rebuild compares the new model's
//! fingerprints with those of the files served and re-renders exactly the files whose
//! fingerprint changed; files no longer produced are removed. This is how one edit on a
//! 10,000-article site re-renders a handful of pages, in `serve` ([`crate::incremental`]) and
//! in a build that keeps the previous output ([`crate::cache`]).

use std::hash::{Hash, Hasher};

use crate::content::MenuPlace;
use crate::fingerprint::{fingerprint, hasher};
use crate::markdown::{Written, WrittenKind};
use crate::render::{PAGE_TEMPLATE, SEARCH_TEMPLATE, TemplateVersions};
use crate::site::{Extras, FeedOwner, Page, Site, TaxonomyKind, Term, Unit, push_output_file};

/// Fingerprints of every output file of a site, by the hash of the file's output path.
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
    /// Fingerprints every output file of every part of the site (`sites`, the root first).
    pub(crate) fn of(sites: &[Site], templates: &TemplateVersions, extras: Extras) -> Fingerprints {
        let capacity = sites.iter().map(|s| s.articles.len() * 3).sum();
        let mut files = Files {
            map: foldhash::HashMap::with_capacity_and_hasher(capacity, Default::default()),
            buffer: String::new(),
        };
        // robots.txt names each part's sitemaps, the news sitemap only where there is one.
        let robots = fingerprint(
            sites
                .iter()
                .map(|s| s.news_articles().next().is_some())
                .collect::<Vec<_>>(),
        );
        // The redirect maps list the old URLs with a query of every part.
        let redirects = fingerprint(
            sites
                .iter()
                .flat_map(|s| s.query_redirects().map(|(from, to)| (from, s.url(to))))
                .collect::<Vec<_>>(),
        );
        for (tree, site) in sites.iter().enumerate() {
            let prints = Prints::new(site, templates, (robots, redirects));
            site.each_output(extras, |path, unit| {
                files.add(path, prints.of(unit), tree, unit);
            });
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

    /// Whether some output file is at this output path (`style.css`, `tags/index.html`).
    pub(crate) fn contains(&self, file: &str) -> bool {
        self.files.contains_key(&fingerprint(file))
    }

    /// The fingerprint of the output file at this output path.
    pub(crate) fn print(&self, file: &str) -> Option<u64> {
        self.files
            .get(&fingerprint(file))
            .map(|(print, _, _)| *print)
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
            let mut name = String::new();
            push_output_file(&mut name, &sites[*tree].output_path(*unit));
            self.names.insert(*key, name);
        }
    }
}

/// What the outputs of one part show, hashed once for all the files showing it.
struct Prints<'s> {
    site: &'s Site,
    templates: &'s TemplateVersions,
    /// By taxonomy, by term: its name and path, and an author's profile.
    terms: Vec<Vec<u64>>,
    /// By article: what a card of it shows.
    cards: Vec<u64>,
    sitemap: u64,
    robots: u64,
    redirects: u64,
    /// The navigation every page shows: the standalone pages its menus list.
    menus: u64,
}

impl<'s> Prints<'s> {
    fn new(
        site: &'s Site,
        templates: &'s TemplateVersions,
        (robots, redirects): (u64, u64),
    ) -> Self {
        let terms: Vec<Vec<u64>> = site
            .taxonomies()
            .iter()
            .map(|taxonomy| {
                let terms = taxonomy.terms.iter();
                terms
                    .map(|t| {
                        // An author's links, role and portrait show wherever the name does.
                        let profile = (taxonomy.kind == TaxonomyKind::Authors).then(|| {
                            site.profile(t).map(|p| {
                                // The portrait, and the bio's photos on the author's page.
                                let shown = p.avatar.as_deref().into_iter();
                                let shown = shown.chain(images(&p.written));
                                (p.version, site.pictures.version(shown))
                            })
                        });
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
                // The hero, once processed, is shown with its variants.
                let hero = a.image.as_ref().map(|image| image.src.as_str());
                site.pictures.version(hero).hash(&mut card);
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
        let menus = [MenuPlace::Header, MenuPlace::Footer].map(|place| {
            let listed = site.menu(place).into_iter();
            listed.map(|p| (&p.title, &p.path)).collect::<Vec<_>>()
        });
        Prints {
            menus: fingerprint(menus),
            sitemap: sitemap(site),
            site,
            templates,
            terms,
            cards,
            robots,
            redirects,
        }
    }

    fn term(&self, kind: TaxonomyKind, id: usize) -> u64 {
        self.terms[kind as usize][id]
    }

    /// A list showing these articles' cards.
    fn list(&self, shown: u64, items: impl Iterator<Item = usize>) -> u64 {
        let mut list = hasher();
        shown.hash(&mut list);
        items.for_each(|i| self.cards[i].hash(&mut list));
        list.finish()
    }

    /// The fingerprint of one output file.
    fn of(&self, unit: Unit) -> u64 {
        let print = self.shown(unit);
        match unit {
            Unit::Page(_) => fingerprint((print, self.menus)),
            _ => print,
        }
    }

    /// What one output file shows besides the navigation.
    fn shown(&self, unit: Unit) -> u64 {
        let (site, templates) = (self.site, self.templates);
        match unit {
            Unit::Page(Page::Home(index)) => {
                let home = templates.page("index.html");
                let shown = fingerprint((home, site.home.paths.len(), index));
                self.list(shown, site.home.items(index))
            }
            Unit::Page(Page::Article(index)) => {
                let article = &site.articles[index];
                // Featured embeds are rendered with the snippet templates.
                let snippets = (!article.embeds.is_empty()).then_some(templates.snippets);
                // Hashed as they come: this runs over every article at every save.
                let mut page = hasher();
                (templates.page("article.html"), self.cards[index], snippets).hash(&mut page);
                let neighbour = |i: Option<usize>| i.map(|i| site.articles[i].link_version);
                (neighbour(article.previous), neighbour(article.next)).hash(&mut page);
                (article.related.len(), article.translations.len()).hash(&mut page);
                for &related in &article.related {
                    self.cards[related].hash(&mut page);
                }
                for translation in &article.translations {
                    (&translation.lang, translation.link_version).hash(&mut page);
                }
                site.pictures
                    .version(images(&article.written))
                    .hash(&mut page);
                page.finish()
            }
            Unit::Alias(index, _) => {
                let article = &site.articles[index];
                fingerprint((&article.path, &article.title, &article.lang))
            }
            Unit::Page(Page::Standalone(index)) => {
                let page = &site.pages[index];
                let pictures = site.pictures.version(images(&page.written));
                fingerprint((templates.page(PAGE_TEMPLATE), page.version, pictures))
            }
            Unit::PageAlias(index, _) => {
                let page = &site.pages[index];
                fingerprint((&page.path, &page.title, &page.lang))
            }
            Unit::Page(Page::TagIndex) => {
                let mut tags = hasher();
                templates.page("tags.html").hash(&mut tags);
                for t in &site.tags.terms {
                    (&t.name, &t.slug, t.articles.len()).hash(&mut tags);
                }
                tags.finish()
            }
            Unit::Page(Page::Term(kind, id, index)) => {
                let t = &site.taxonomy(kind).terms[id];
                let shown = (self.term(kind, id), t.articles.len(), t.pages.paths.len());
                let shown = fingerprint((templates.page("term.html"), shown));
                let items = t.pages.items(index).map(|i| t.articles[i]);
                self.list(fingerprint((shown, index)), items)
            }
            Unit::Feed(owner, format) => {
                let shown = match owner {
                    FeedOwner::Site => 0,
                    FeedOwner::Term(kind, id) => self.term(kind, id),
                };
                // A feed of nothing is dated by the build.
                let empty = site.listed(owner).next().is_none();
                let now = empty.then_some(site.config.now);
                fingerprint((self.list(shown, site.listed(owner)), format as usize, now))
            }
            Unit::Page(Page::Archives) => {
                let mut archives = hasher();
                templates.page("archives.html").hash(&mut archives);
                for article in &site.articles {
                    let date = article.date.timestamp();
                    (article.link_version, date, &article.lang).hash(&mut archives);
                }
                archives.finish()
            }
            Unit::Page(Page::NotFound) => templates.page("404.html"),
            Unit::Page(Page::Search) => templates.page(SEARCH_TEMPLATE),
            Unit::Sitemap(part) => fingerprint((self.sitemap, part)),
            Unit::NewsSitemap => {
                let mut news = hasher();
                for index in site.news_articles() {
                    let article = &site.articles[index];
                    let date = article.date.timestamp();
                    (article.link_version, &article.lang, date).hash(&mut news);
                }
                news.finish()
            }
            Unit::Robots => self.robots,
            Unit::Redirects | Unit::NginxRedirects => self.redirects,
            Unit::SyntaxCss => 0,
        }
    }
}

/// The addresses of the images a body shows.
fn images(written: &[Written]) -> impl Iterator<Item = &str> {
    let images = written.iter().filter(|w| w.kind == WrittenKind::Image);
    images.map(|w| w.target.as_str())
}

/// Fingerprints being gathered, with a buffer for output paths.
struct Files {
    map: foldhash::HashMap<u64, (u64, usize, Unit)>,
    buffer: String,
}

impl Files {
    fn add(&mut self, site_path: &str, print: u64, tree: usize, unit: Unit) {
        self.buffer.clear();
        push_output_file(&mut self.buffer, site_path);
        let key = fingerprint(self.buffer.as_str());
        self.map.insert(key, (print, tree, unit));
    }
}

/// The sitemap lists every page with the newest date of what it shows: the articles' URLs
/// and dates, which articles each list holds, and the standalone pages' URLs decide it.
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
    for page in &site.pages {
        page.path.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::site::output_file;
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
        let extras = Extras {
            syntax_css: true,
            redirects: false,
        };
        let old = Fingerprints::of(std::slice::from_ref(before), templates, extras);
        let mut names = FileNames::default();
        let first = old.since(&Fingerprints::default(), &names);
        names.follow(&first, std::slice::from_ref(before));
        let new = Fingerprints::of(std::slice::from_ref(after), templates, extras);
        let dirty = new.since(&old, &names);
        let written: BTreeSet<String> = dirty
            .render
            .iter()
            .map(|(_, unit)| output_file(&after.output_path(*unit)))
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
        let extras = Extras {
            syntax_css: true,
            redirects: false,
        };
        let old = Fingerprints::of(&[site(&[A, B, C])], &before, extras);
        let new = Fingerprints::of(&[site(&[A, B, C])], &after, extras);
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
