//! A part's index made again after a change, from what the last build found in each page
//! ([`Memo`], kept by the build cache): only the pages whose article changed are read and
//! their words stemmed; the others give their stems from the memo, and their result file is
//! the previous output's file of the same bytes. The word pieces are then written from every
//! page's stems, as [`super::index`] writes them, so the bytes are the same.

use std::borrow::Cow;
use std::collections::HashMap as StdHashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bundle;
use super::words::{Remembered, Words};
use super::{filters, record, small_image};
use crate::fingerprint::{fingerprint, hasher};
use crate::output::Kept;
use crate::site::{Article, Site, output_file};

/// Pages read at a time: their words are held, unpacked, until the chunk is done.
const CHUNK: usize = 4096;

/// What indexing a part found in each page, by what the page was made from.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Memo {
    /// Every stem and form, once: pages name them by their place here.
    words: Vec<String>,
    pages: StdHashMap<u64, MemoPage>,
}

#[derive(Debug, Serialize, Deserialize)]
struct MemoPage {
    stems: Places,
    /// Forms met whose stem is another, with that stem.
    forms: Places,
    /// The digest of the page's result file.
    file: u64,
}

/// What a part's index is made of, by output path: files made, as what became of each, and
/// files the previous output holds already, with the file to link.
pub(crate) struct Indexed<T> {
    /// Files made.
    pub(crate) made: Vec<T>,
    /// Files kept: output path, previous file, digest.
    pub(crate) kept: Vec<(String, Kept, u64)>,
    /// What the next build starts from.
    pub(crate) memo: Memo,
}

/// What one page gives the index this time: its stems and forms as places in the words,
/// borrowed from the memo for a page not read again.
struct Page<'m, T> {
    key: u64,
    stems: Cow<'m, Places>,
    forms: Cow<'m, Places>,
    file: PageFile<T>,
    digest: u64,
}

enum PageFile<T> {
    Made(T),
    Kept(Kept),
}

/// A page read again, its words not yet given places.
struct Fresh {
    stems: Vec<(Arc<str>, u32)>,
    forms: Vec<(Arc<str>, Arc<str>)>,
}

impl Fresh {
    /// The page's stems and forms packed as places in `vocabulary`, its new words added at
    /// its end; `places` is the vocabulary's index, made at the first page that needs it.
    fn pack(
        self,
        vocabulary: &mut Vec<Arc<str>>,
        places: &mut Option<HashMap<Arc<str>, u32>>,
    ) -> (Places, Places) {
        let places = places.get_or_insert_with(|| {
            let known = vocabulary.iter().cloned().zip(0u32..);
            known.collect()
        });
        let mut place = |word: Arc<str>| -> u32 {
            *places.entry(word.clone()).or_insert_with(|| {
                vocabulary.push(word);
                (vocabulary.len() - 1) as u32
            })
        };
        let mut stems: Vec<_> = self.stems.into_iter().map(|(s, w)| (place(s), w)).collect();
        stems.sort_unstable();
        let mut forms: Vec<_> = (self.forms.into_iter())
            .map(|(f, s)| (place(f), place(s)))
            .collect();
        forms.sort_unstable();
        (Places::of(stems), Places::of(forms))
    }
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
/// bytes, if there is one, for a page whose result file need not be made again. Each file
/// made goes to `made(path, bytes)` at once: a site's result files together outweigh its
/// pages' text, and are not held until the index is done.
pub(crate) fn index_from<T: Send>(
    site: &Site,
    memo: &Memo,
    previous: &(dyn Fn(u64) -> Option<Kept> + Sync),
    made: &(dyn Fn(String, Vec<u8>) -> T + Sync),
) -> Indexed<T> {
    index_in_chunks(site, memo, previous, made, CHUNK)
}

/// [`index_from`], reading `chunk` pages at a time.
fn index_in_chunks<T: Send>(
    site: &Site,
    memo: &Memo,
    previous: &(dyn Fn(u64) -> Option<Kept> + Sync),
    made: &(dyn Fn(String, Vec<u8>) -> T + Sync),
    chunk: usize,
) -> Indexed<T> {
    let dir = site.search_bundle_path();
    let path = |name: &str| output_file(&format!("{dir}{name}"));
    let language = &site.config.language;
    let words = Words::new(language);
    // One memory of stems to each thread, kept from chunk to chunk (a site's words are met
    // again in every chunk); taken with `try_lock`, so that a job a thread steals while it
    // holds its own can never wait on it.
    let remembered: Vec<Mutex<Remembered>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(Remembered::new(&words)))
        .collect();
    let read = |n: usize, article: &Article| -> (Page<T>, Option<Fresh>) {
        let key = key(site, article);
        let from_memo = memo.pages.get(&key).and_then(|page| {
            let old = previous(page.file)?;
            Some(Page {
                key,
                stems: Cow::Borrowed(&page.stems),
                forms: Cow::Borrowed(&page.forms),
                file: PageFile::Kept(old),
                digest: page.file,
            })
        });
        if let Some(page) = from_memo {
            return (page, None);
        }
        let record = record(site, article);
        let mut forms = HashMap::default();
        let mine = rayon::current_thread_index().unwrap_or(0) % remembered.len();
        let stems = match remembered[mine].try_lock() {
            Ok(mut remembered) => bundle::page_stems(&mut remembered, &record, Some(&mut forms)),
            Err(_) => bundle::page_stems(&mut Remembered::new(&words), &record, Some(&mut forms)),
        };
        let bytes = bundle::page_json(&record);
        let page = Page {
            key,
            stems: Cow::Owned(Places::default()),
            forms: Cow::Owned(Places::default()),
            digest: fingerprint(&bytes[..]),
            file: PageFile::Made(made(path(&bundle::page_file(n)), bytes)),
        };
        // Lists hold a site's pages in half the memory of maps.
        let stems = stems.into_iter().collect();
        let forms = forms.into_iter().collect();
        (page, Some(Fresh { stems, forms }))
    };

    // The pages read again give their words places after the memo's, in page order. A
    // chunk at a time: the words of every page at once, before they are packed, took 1.7 GB
    // at 100,000 articles.
    let mut vocabulary: Vec<Arc<str>> = memo.words.iter().map(|w| Arc::from(w.as_str())).collect();
    let mut places: Option<HashMap<Arc<str>, u32>> = None;
    let mut pages = Vec::with_capacity(site.articles.len());
    for (first, chunk) in (0..).step_by(chunk).zip(site.articles.chunks(chunk)) {
        let found: Vec<(Page<T>, Option<Fresh>)> = chunk
            .par_iter()
            .enumerate()
            .map(|(n, article)| read(first + n, article))
            .collect();
        for (mut page, fresh) in found {
            if let Some(fresh) = fresh {
                let (stems, forms) = fresh.pack(&mut vocabulary, &mut places);
                page.stems = Cow::Owned(stems);
                page.forms = Cow::Owned(forms);
            }
            pages.push(page);
        }
    }

    // Every stem's postings in one list, each stem's in page order: counted first, so
    // that the list is made at its size (lists grown one by one were half as big again).
    let mut starts: Vec<usize> = vec![0; vocabulary.len() + 1];
    let mut stem_of: Vec<Option<u32>> = vec![None; vocabulary.len()];
    for page in &pages {
        for (stem, _) in page.stems.iter() {
            starts[stem as usize + 1] += 1;
        }
        for (form, stem) in page.forms.iter() {
            stem_of[form as usize] = Some(stem);
        }
    }
    for word in 1..starts.len() {
        starts[word] += starts[word - 1];
    }
    let mut all = vec![(0u32, 0u32); starts[vocabulary.len()]];
    let mut next = starts.clone();
    for (page, n) in pages.iter().zip(0u32..) {
        for (stem, weight) in page.stems.iter() {
            all[next[stem as usize]] = (n, weight);
            next[stem as usize] += 1;
        }
    }
    let postings: Vec<&[(u32, u32)]> = starts.windows(2).map(|w| &all[w[0]..w[1]]).collect();
    let filters: Vec<_> = site.articles.iter().map(|a| filters(site, a)).collect();
    let filters: Vec<&_> = filters.iter().collect();
    let stems = postings
        .iter()
        .zip(&vocabulary)
        .filter(|(postings, _)| !postings.is_empty())
        .map(|(postings, word)| (&**word, *postings));
    let forms = stem_of
        .iter()
        .zip(&vocabulary)
        .filter_map(|(stem, form)| Some((&**form, &*vocabulary[(*stem)? as usize])));
    let mut files: Vec<T> = bundle::words_and_filters(stems, forms, &filters, language)
        .into_par_iter()
        .map(|(name, bytes)| made(path(&name), bytes))
        .collect();

    let used: Vec<bool> = postings
        .iter()
        .zip(&stem_of)
        .map(|(postings, stem)| !postings.is_empty() || stem.is_some())
        .collect();
    let mut kept = Vec::new();
    let mut memo_pages = StdHashMap::with_capacity(pages.len());
    let renumber = Renumber::of(&used);
    for (n, page) in pages.into_iter().enumerate() {
        match page.file {
            PageFile::Made(file) => files.push(file),
            PageFile::Kept(old) => kept.push((path(&bundle::page_file(n)), old, page.digest)),
        }
        // While every word is still used, places are the same: a page's bytes are kept.
        let (stems, forms) = match &renumber {
            None => (page.stems.into_owned(), page.forms.into_owned()),
            Some(renumber) => (
                Places::of(page.stems.iter().map(|(s, w)| (renumber.of_word(s), w))),
                Places::of(
                    page.forms
                        .iter()
                        .map(|(f, s)| (renumber.of_word(f), renumber.of_word(s))),
                ),
            ),
        };
        let file = page.digest;
        memo_pages.insert(page.key, MemoPage { stems, forms, file });
    }
    let words = vocabulary
        .iter()
        .zip(&used)
        .filter(|(_, used)| **used)
        .map(|(word, _)| word.to_string())
        .collect();
    Indexed {
        made: files,
        kept,
        memo: Memo {
            words,
            pages: memo_pages,
        },
    }
}

/// New places for the words still used, in the same order: the words of pages gone leave.
struct Renumber(Vec<u32>);

impl Renumber {
    /// The new places, or `None` when every word is still used and keeps its place.
    fn of(used: &[bool]) -> Option<Renumber> {
        if used.iter().all(|&used| used) {
            return None;
        }
        let mut next = 0;
        let places = used.iter().map(|&used| {
            let place = next;
            next += u32::from(used);
            place
        });
        Some(Renumber(places.collect()))
    }

    fn of_word(&self, place: u32) -> u32 {
        self.0[place as usize]
    }
}

/// A page's pairs of places, packed by hand: a site's memo holds millions, which serde would
/// write and read back one at a time, and a vector of pairs is three times the bytes. Each
/// first place is written as its difference from the one before (a page's pairs are
/// sorted), then each number in 7-bit groups. Read back as they are, and unpacked only as
/// the index is made again.
#[derive(Debug, Default, Clone, PartialEq)]
struct Places(Vec<u8>);

impl Places {
    fn of(pairs: impl IntoIterator<Item = (u32, u32)>) -> Places {
        let mut bytes = Vec::new();
        let mut before = 0u32;
        for (a, b) in pairs {
            put(&mut bytes, a.wrapping_sub(before));
            put(&mut bytes, b);
            before = a;
        }
        Places(bytes)
    }

    fn iter(&self) -> Unpacked<'_> {
        Unpacked {
            bytes: &self.0,
            before: 0,
        }
    }
}

fn put(bytes: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        bytes.push(n as u8 | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// The pairs of [`Places`], in order.
struct Unpacked<'a> {
    bytes: &'a [u8],
    before: u32,
}

impl Unpacked<'_> {
    fn take(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for shift in [0, 7, 14, 21, 28] {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            n |= u32::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }
}

impl Iterator for Unpacked<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        let (delta, b) = self.take().zip(self.take())?;
        self.before = self.before.wrapping_add(delta);
        Some((self.before, b))
    }
}

impl Serialize for Places {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Places {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Places, D::Error> {
        deserializer.deserialize_bytes(PlacesVisitor)
    }
}

struct PlacesVisitor;

impl serde::de::Visitor<'_> for PlacesVisitor {
    type Value = Places;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("pairs of numbers in 7-bit groups")
    }

    /// Whole pairs only: an even count of numbers, the last one ended.
    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Places, E> {
        let ends = bytes.iter().filter(|&&b| b < 0x80).count();
        let ended = bytes.last().is_none_or(|&b| b < 0x80);
        if ends % 2 != 0 || !ended {
            return Err(E::custom("a pair cut short"));
        }
        Ok(Places(bytes.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::PartIndex;
    use crate::site::sample::site;

    #[test]
    fn read_a_chunk_at_a_time_the_index_is_the_one_made_at_once() {
        let site = site(&[
            (
                "a.md",
                "Régulation",
                "2025-01-05",
                "ia",
                "La régulation de l'IA.",
            ),
            (
                "b.md",
                "Sommet",
                "2025-01-04",
                "ia, paris",
                "Le sommet de Paris.",
            ),
            (
                "c.md",
                "Puces",
                "2025-01-03",
                "",
                "Des puces et des régulations.",
            ),
            ("d.md", "Paris", "2025-01-02", "paris", "Paris, encore."),
            ("e.md", "Fin", "2025-01-01", "", "Le sommet finit."),
        ]);
        let whole = |indexed: Indexed<(String, Vec<u8>)>| {
            let mut files = indexed.made;
            files.sort();
            files
        };
        let none = |_| None;
        let made = |path, bytes| (path, bytes);
        let mut at_once = PartIndex::of(&site).write();
        at_once.sort();
        let chunked = index_in_chunks(&site, &Memo::default(), &none, &made, 2);
        assert_eq!(chunked.memo.pages.len(), 5);
        for chunk in [1, 2, 3, CHUNK] {
            let indexed = index_in_chunks(&site, &Memo::default(), &none, &made, chunk);
            assert_eq!(whole(indexed), at_once, "{chunk} pages at a time");
            // From a memo whose words were placed in other chunks.
            let indexed = index_in_chunks(&site, &chunked.memo, &none, &made, chunk);
            assert_eq!(
                whole(indexed),
                at_once,
                "{chunk} pages at a time, from a memo"
            );
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Page(Places);

    #[test]
    fn pairs_come_back_as_they_were_written_sorted_or_not() {
        let pairs = vec![(0, 1), (7, u32::MAX), (65_536, 300), (3, 0)];
        let page = Page(Places::of(pairs.clone()));
        let bytes = postcard::to_stdvec(&page).unwrap();
        let back: Page = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.0.iter().collect::<Vec<_>>(), pairs);
        let sorted = vec![(1_000_000, 1), (1_000_001, 2), (1_000_005, 1)];
        let bytes = postcard::to_stdvec(&Page(Places::of(sorted.clone()))).unwrap();
        assert_eq!(
            bytes.len(),
            1 + 3 + 1 + 1 + 1 + 1 + 1,
            "small steps, small bytes"
        );
        let back: Page = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.0.iter().collect::<Vec<_>>(), sorted);
        // Postcard writes a list of bytes as it writes bytes: a length, then the bytes.
        let cut = postcard::to_stdvec(&bytes[1..bytes.len() - 1]).unwrap();
        assert!(
            postcard::from_bytes::<Page>(&cut).is_err(),
            "a pair cut short"
        );
        let unended = postcard::to_stdvec(&[0x81u8, 0x01, 0x85]).unwrap();
        assert!(
            postcard::from_bytes::<Page>(&unended).is_err(),
            "a number cut short"
        );
    }
}
