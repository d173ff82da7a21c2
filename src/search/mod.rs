//! Search stage: the index every build writes, one per part of the site (`/search-index/`,
//! `/en/search-index/`), made from the model's articles: their words stemmed in the part's
//! language, in pieces a query downloads only as it needs them. The theme's `search.js`
//! reads it in the browser, from the site itself.

mod bundle;
mod memo;
mod words;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::html::full_text;
use crate::site::{Article, Site, TaxonomyKind, output_file};

use bundle::Filters;
pub(crate) use bundle::index;
pub(crate) use memo::{Memo, index_from};

/// Folder of a part's index, under the part's prefix.
pub(crate) const INDEX_DIR: &str = "search-index";

/// What the index holds of one article: its words, what a result shows, and what it can be
/// filtered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// Address of the article's page, as links in the site write it.
    pub(crate) url: String,
    /// The title, whose words weigh more.
    pub(crate) title: String,
    /// The body as plain text, unescaped: `search.js` writes excerpts as text nodes.
    pub(crate) text: String,
    /// What a result shows besides the title: `date`, `category`, `image`, `image_alt`.
    pub(crate) meta: BTreeMap<String, String>,
    /// `category`, `tag` and `author`, by name.
    pub(crate) filters: Filters,
}

/// What the index of a part is made from: each article's address and version, the names of
/// its terms (an author's profile may rename them) and its image's files.
pub(crate) fn version(site: &Site) -> u64 {
    let mut hasher = crate::fingerprint::hasher();
    for article in &site.articles {
        (&article.path, article.version).hash(&mut hasher);
        for kind in TaxonomyKind::ALL {
            let terms = &site.taxonomy(kind).terms;
            let ids: &[usize] = match kind {
                TaxonomyKind::Tags => &article.tags,
                TaxonomyKind::Authors => &article.authors,
                TaxonomyKind::Categories => article.category.as_slice(),
            };
            for &id in ids {
                terms[id].name.hash(&mut hasher);
            }
        }
        let picture = article
            .image
            .as_ref()
            .and_then(|i| site.pictures.get(&i.src));
        picture.map(|p| p.small()).hash(&mut hasher);
    }
    hasher.finish()
}

/// Whether an output path is a file of a search index (`search-index/…`,
/// `en/search-index/…`), which no page shows: the preview serves a new index without
/// reloading the page.
pub(crate) fn is_index_file(path: &str) -> bool {
    let mut parts = path.split('/');
    let first = parts.next() == Some(INDEX_DIR) || parts.next() == Some(INDEX_DIR);
    first && !path.ends_with(".html")
}

/// What indexing one part takes, owned, so that the preview can index away from the model.
pub(crate) struct PartIndex {
    records: Vec<Record>,
    language: String,
    /// Site path of the index's folder.
    dir: String,
}

impl PartIndex {
    /// The records of a part and where its bundle goes.
    pub(crate) fn of(site: &Site) -> Self {
        PartIndex {
            records: records(site),
            language: site.config.language.clone(),
            dir: site.search_bundle_path(),
        }
    }

    /// The part's index, as output paths and bytes.
    pub(crate) fn write(self) -> Vec<(String, Vec<u8>)> {
        let dir = self.dir;
        index(self.records, &self.language)
            .into_iter()
            .map(|(name, bytes)| (output_file(&format!("{dir}{name}")), bytes))
            .collect()
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
    let category = article
        .category
        .map(|id| site.categories.terms[id].name.clone());
    let date = article.date.timestamp().to_string();
    let mut meta = BTreeMap::from([("date".to_string(), date)]);
    if let Some(category) = category {
        meta.insert("category".to_string(), category);
    }
    if let Some(image) = &article.image {
        meta.insert(
            "image".to_string(),
            site.asset_url(small_image(site, image)),
        );
        meta.insert("image_alt".to_string(), image.alt.clone());
    }
    Record {
        url: site.url(&article.path),
        title: article.title.clone(),
        text: full_text(&article.content),
        meta,
        filters: filters(site, article),
    }
}

/// The file a result shows of an article's image: its smallest variant once processed.
fn small_image<'s>(site: &'s Site, image: &'s crate::content::Image) -> &'s str {
    let picture = site.pictures.get(&image.src);
    picture.map_or(image.src.as_str(), |picture| picture.small())
}

/// An article's filters: its category, tags and authors, by name.
fn filters(site: &Site, article: &Article) -> Filters {
    let names = |kind: TaxonomyKind, ids: &[usize]| -> Vec<String> {
        let terms = &site.taxonomy(kind).terms;
        ids.iter().map(|&id| terms[id].name.clone()).collect()
    };
    let category = article.category.as_slice();
    [
        ("category", names(TaxonomyKind::Categories, category)),
        ("tag", names(TaxonomyKind::Tags, &article.tags)),
        ("author", names(TaxonomyKind::Authors, &article.authors)),
    ]
    .into_iter()
    .filter(|(_, values)| !values.is_empty())
    .map(|(name, values)| (name.to_string(), values))
    .collect()
}
