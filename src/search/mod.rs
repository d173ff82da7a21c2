//! Search stage: the index every build writes, one bundle per part of the site
//! (`/pagefind/`, `/en/pagefind/`), made from the model's articles with Pagefind's indexing
//! library. The theme's search page reads it in the browser, from the site itself.

mod bundle;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::html::full_text;
use crate::site::{Article, Site, TaxonomyKind, output_file};

pub(crate) use bundle::index;

/// What the index holds of one article: its text for matching and excerpts, what a result
/// shows, and what it can be filtered and sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// Address of the article's page, as links in the site write it.
    pub(crate) url: String,
    /// The title and body as plain text, unescaped, so `Vec<T>` is indexed as written:
    /// Pagefind's script escapes `<` and `>` in the excerpts it cuts from it.
    pub(crate) content: String,
    /// What a result shows: `title`, `date`, `category`, `image`, `image_alt`.
    pub(crate) meta: BTreeMap<String, String>,
    /// `category`, `tag` and `author`, by name.
    pub(crate) filters: BTreeMap<String, Vec<String>>,
    /// `date`, so results can be sorted newest first.
    pub(crate) sort: BTreeMap<String, String>,
}

/// The search bundle of every part, as output paths and bytes; none when `[search]` is off.
pub(crate) fn bundles(sites: &[Site]) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut files = Vec::new();
    for site in sites.iter().filter(|site| site.config.search.enabled) {
        files.extend(PartIndex::of(site).write()?);
    }
    Ok(files)
}

/// Whether an output path is a file of a search bundle (`pagefind/…`, `en/pagefind/…`),
/// which no page shows: the preview serves a new index without reloading the page.
pub(crate) fn is_index_file(path: &str) -> bool {
    let mut parts = path.split('/');
    let first = parts.next() == Some("pagefind") || parts.next() == Some("pagefind");
    first && !path.ends_with(".html")
}

/// What indexing one part takes, owned, so that the preview can index away from the model.
pub(crate) struct PartIndex {
    records: Vec<Record>,
    language: String,
    /// Site path of the bundle's folder.
    dir: String,
    /// Where `[search]` is written, for a failure.
    at: Location,
}

impl PartIndex {
    /// The records of a part and where its bundle goes.
    pub(crate) fn of(site: &Site) -> Self {
        PartIndex {
            records: records(site),
            language: site.config.language.clone(),
            dir: site.search_bundle_path(),
            at: site.config.keys.location("search"),
        }
    }

    /// The part's bundle, as output paths and bytes.
    pub(crate) fn write(self) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let bundle = index(self.records, &self.language)
            .map_err(|cause| Diagnostic::new(self.at, Problem::SearchIndex(cause)))?;
        let dir = self.dir;
        Ok(bundle
            .into_iter()
            .map(|(name, bytes)| (output_file(&format!("{dir}{name}")), bytes))
            .collect())
    }
}

/// The records of a part's articles, in the model's order (newest first).
fn records(site: &Site) -> Vec<Record> {
    site.articles
        .par_iter()
        .map(|article| record(site, article))
        .collect()
}

fn record(site: &Site, article: &Article) -> Record {
    let names = |kind: TaxonomyKind, ids: &[usize]| -> Vec<String> {
        let terms = &site.taxonomy(kind).terms;
        ids.iter().map(|&id| terms[id].name.clone()).collect()
    };
    let category = article
        .category
        .map(|id| site.categories.terms[id].name.clone());
    let date = article.date.timestamp().to_string();
    let mut meta = BTreeMap::from([
        ("title".to_string(), article.title.clone()),
        ("date".to_string(), date.clone()),
    ]);
    if let Some(category) = &category {
        meta.insert("category".to_string(), category.clone());
    }
    if let Some(image) = &article.image {
        let small = site
            .pictures
            .get(&image.src)
            .map_or(image.src.as_str(), |picture| picture.small());
        meta.insert("image".to_string(), site.asset_url(small));
        meta.insert("image_alt".to_string(), image.alt.clone());
    }
    let mut filters = BTreeMap::new();
    for (name, values) in [
        ("category", category.into_iter().collect()),
        ("tag", names(TaxonomyKind::Tags, &article.tags)),
        ("author", names(TaxonomyKind::Authors, &article.authors)),
    ] {
        if !values.is_empty() {
            filters.insert(name.to_string(), values);
        }
    }
    let text = full_text(&article.content);
    Record {
        url: site.url(&article.path),
        content: format!("{}. {text}", article.title),
        meta,
        filters,
        sort: BTreeMap::from([("date".to_string(), date)]),
    }
}
