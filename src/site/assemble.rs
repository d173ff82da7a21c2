//! Placing articles among each other: terms gathered, neighbours linked, lists paginated,
//! related stories chosen, translations linked across the parts of the site.

use std::collections::{BTreeMap, HashMap};

use super::{
    Article, Pagination, Profile, Site, StandalonePage, Taxonomy, TaxonomyKind, Term, Translation,
};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};

/// Places articles among each other: sorts them newest first, gathers their terms, links
/// neighbours and paginates lists; authors with a profile take the profile's name; the part's
/// standalone pages come along. Duplicate output files are reported (the model is still
/// complete, so later stages can report their own problems too).
pub fn assemble(
    config: Config,
    mut articles: Vec<Article>,
    pages: Vec<StandalonePage>,
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
        pages,
        home: Pagination::new(&config.prefix, count, per_page),
        config,
        articles,
        tags,
        categories,
        authors,
        pictures: Default::default(),
        assets: Default::default(),
    };
    errors.append(&mut super::check_unique_paths(&site));
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
