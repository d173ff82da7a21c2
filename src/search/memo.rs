//! A part's index made again after a change, from what the last build found in each page
//! ([`Memo`], kept by the build cache): only the pages whose article changed are read and
//! their words stemmed; the others give their stems from the memo, and their result file is
//! the previous output's file of the same bytes. The word pieces are then written from every
//! page's stems, as [`super::index`] writes them, so the bytes are the same.

use std::collections::HashMap as StdHashMap;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::Arc;

use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bundle::{self, PageStems};
use super::words::{Remembered, Words};
use super::{filters, record, small_image};
use crate::fingerprint::{fingerprint, hasher};
use crate::site::{Article, Site, output_file};

/// What indexing a part found in each page, by what the page was made from.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Memo {
    /// Every stem and form, once: pages name them by their place here.
    words: Vec<String>,
    pages: StdHashMap<u64, MemoPage>,
}

#[derive(Debug, Serialize, Deserialize)]
struct MemoPage {
    stems: Vec<(u32, u32)>,
    /// Forms met whose stem is another, with that stem.
    forms: Vec<(u32, u32)>,
    /// The digest of the page's result file.
    file: u64,
}

/// What a part's index is made of, by output path: files made, with their bytes, and files
/// the previous output holds already, with the file to link.
pub(crate) struct Indexed {
    /// Files made.
    pub(crate) made: Vec<(String, Vec<u8>)>,
    /// Files kept: output path, previous file, digest.
    pub(crate) kept: Vec<(String, PathBuf, u64)>,
    /// What the next build starts from.
    pub(crate) memo: Memo,
}

/// What one page gives the index this time.
struct Page {
    key: u64,
    stems: PageStems,
    forms: Vec<(Arc<str>, Arc<str>)>,
    file: PageFile,
    digest: u64,
}

enum PageFile {
    Made(Vec<u8>),
    Kept(PathBuf),
}

/// The key of a page in the memo: everything its record is made from.
fn key(site: &Site, article: &Article) -> u64 {
    let mut hasher = hasher();
    (
        &site.config.language,
        &article.path,
        article.version,
        &article.title,
    )
        .hash(&mut hasher);
    article.date.timestamp().hash(&mut hasher);
    let image = article.image.as_ref();
    image
        .map(|i| (small_image(site, i), &i.alt))
        .hash(&mut hasher);
    (site.url(&article.path), filters(site, article)).hash(&mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// Indexes a part from `memo`; `previous(digest)` names the previous output's file of these
/// bytes, if there is one, for a page whose result file need not be made again.
pub(crate) fn index_from(
    site: &Site,
    memo: &Memo,
    previous: &(dyn Fn(u64) -> Option<PathBuf> + Sync),
) -> Indexed {
    let dir = site.search_bundle_path();
    let path = |name: &str| output_file(&format!("{dir}{name}"));
    let language = &site.config.language;
    let words = Words::new(language);
    let known: Vec<Arc<str>> = memo.words.iter().map(|w| Arc::from(w.as_str())).collect();
    let pages: Vec<Page> = site
        .articles
        .par_iter()
        .map_init(
            || Remembered::new(&words),
            |remembered, article| {
                let key = key(site, article);
                let from_memo = memo.pages.get(&key).and_then(|page| {
                    let old = previous(page.file)?;
                    Some(Page {
                        key,
                        stems: page
                            .stems
                            .iter()
                            .map(|&(s, w)| (known[s as usize].clone(), w))
                            .collect(),
                        forms: page
                            .forms
                            .iter()
                            .map(|&(f, s)| (known[f as usize].clone(), known[s as usize].clone()))
                            .collect(),
                        file: PageFile::Kept(old),
                        digest: page.file,
                    })
                });
                from_memo.unwrap_or_else(|| {
                    let record = record(site, article);
                    let mut forms = HashMap::default();
                    let stems = bundle::page_stems(remembered, &record, Some(&mut forms));
                    let bytes = bundle::page_json(&record);
                    Page {
                        key,
                        stems,
                        forms: forms.into_iter().collect(),
                        digest: fingerprint(&bytes[..]),
                        file: PageFile::Made(bytes),
                    }
                })
            },
        )
        .collect();

    let filters: Vec<_> = site.articles.iter().map(|a| filters(site, a)).collect();
    let filters: Vec<&_> = filters.iter().collect();
    let forms: HashMap<Arc<str>, Arc<str>> =
        pages.iter().flat_map(|p| p.forms.iter().cloned()).collect();
    let stems = pages.iter().map(|p| p.stems.clone());
    let mut made: Vec<(String, Vec<u8>)> =
        bundle::words_and_filters(stems, forms, &filters, language)
            .into_iter()
            .map(|(name, bytes)| (path(&name), bytes))
            .collect();
    let memo = Memo::of(&pages);
    let mut kept = Vec::new();
    for (n, page) in pages.into_iter().enumerate() {
        let file = path(&bundle::page_file(n));
        match page.file {
            PageFile::Made(bytes) => made.push((file, bytes)),
            PageFile::Kept(old) => kept.push((file, old, page.digest)),
        }
    }
    Indexed { made, kept, memo }
}

impl Memo {
    fn of(pages: &[Page]) -> Memo {
        let mut words: Vec<String> = Vec::new();
        let mut places: HashMap<Arc<str>, u32> = HashMap::default();
        let mut place = |word: &Arc<str>| -> u32 {
            *places.entry(word.clone()).or_insert_with(|| {
                words.push(word.to_string());
                (words.len() - 1) as u32
            })
        };
        let mut memo_pages = StdHashMap::with_capacity(pages.len());
        for page in pages {
            let mut stems: Vec<(u32, u32)> =
                page.stems.iter().map(|(s, &w)| (place(s), w)).collect();
            stems.sort_unstable();
            let forms = page
                .forms
                .iter()
                .map(|(f, s)| (place(f), place(s)))
                .collect();
            let file = page.digest;
            memo_pages.insert(page.key, MemoPage { stems, forms, file });
        }
        Memo {
            words,
            pages: memo_pages,
        }
    }
}
