//! A part's search index, as the theme's `search.js` reads it: plain JSON, split so that a
//! query downloads only the pieces that hold its words and the results it shows.
//!
//! - `meta.json`: the language, the number of pages, the values of each filter.
//! - `w/<hex>.json`, by the first three letters of a word (hex of their UTF-8): under `s`,
//!   each stem and the pages that hold it, as `[page - previous page, weight, …]`; under
//!   `f`, each form written in the site whose stem is another (`régulations` → `regul`).
//! - `p/<page>.json`: what a result shows (`url`, `title`, `date`, `category`, `image`,
//!   `image_alt`) and its text, for the excerpt. One page to a file: four to a file made a
//!   query's ten results three times heavier for no measurable gain in build time.
//! - `f/<filter>/<n>.json`: the pages with the `n`th value of a filter in `meta.json`.
//!
//! Pages are numbered in the model's order, newest first, so a list of pages is in date order.

use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use serde::Serialize;

use super::Record;
use super::words::{Remembered, Words};

/// How much a word of the title counts, against one of the text.
const TITLE_WEIGHT: u32 = 8;

/// Letters a piece of the word index is named after.
const PREFIX: usize = 3;

/// The filters of a record, in `meta.json`'s order.
const FILTERS: [&str; 3] = ["category", "tag", "author"];

/// The index of a part in `language` (its words stemmed as that language's), as file names
/// relative to the index's folder and their bytes.
pub(crate) fn index(records: Vec<Record>, language: &str) -> Vec<(String, Vec<u8>)> {
    let words = Words::new(language);
    // Each rayon job remembers the words it stemmed, and so knows the forms it met.
    let jobs: Vec<(Forms, Vec<(usize, PageStems)>)> = records
        .par_iter()
        .enumerate()
        .fold(
            || (Remembered::new(&words), Vec::new()),
            |(mut remembered, mut pages), (page, record)| {
                pages.push((page, page_stems(&mut remembered, record, None)));
                (remembered, pages)
            },
        )
        .map(|(remembered, pages)| (remembered.forms().collect(), pages))
        .collect();

    let mut forms: HashMap<Arc<str>, Arc<str>> = HashMap::new();
    let mut pages: Vec<(usize, PageStems)> = Vec::with_capacity(records.len());
    for (found, stems) in jobs {
        forms.extend(found);
        pages.extend(stems);
    }
    pages.sort_unstable_by_key(|(page, _)| *page);
    let mut stems: HashMap<Arc<str>, Vec<(u32, u32)>> = HashMap::new();
    for ((_, found), page) in pages.into_iter().zip(0u32..) {
        for (stem, weight) in found {
            stems.entry(stem).or_default().push((page, weight));
        }
    }
    let filters: Vec<&Filters> = records.iter().map(|r| &r.filters).collect();
    let mut files = words_and_filters(
        stems
            .iter()
            .map(|(stem, postings)| (&**stem, &postings[..])),
        forms.iter().map(|(form, stem)| (&**form, &**stem)),
        &filters,
        language,
    );
    files.par_extend(
        records
            .par_iter()
            .enumerate()
            .map(|(page, record)| (page_file(page), page_json(record))),
    );
    files
}

/// A record's filters: `category`, `tag` and `author`, by name.
pub(crate) type Filters = BTreeMap<String, Vec<String>>;

/// The files of the index besides the pages: the word pieces from each stem's postings
/// (`(page, weight)` in page order) and the forms met with their stems, the filters' lists
/// of pages (`filters_of`, by page), and `meta.json`.
pub(crate) fn words_and_filters<'w>(
    stems: impl Iterator<Item = (&'w str, &'w [(u32, u32)])>,
    forms: impl Iterator<Item = (&'w str, &'w str)>,
    filters_of: &[&Filters],
    language: &str,
) -> Vec<(String, Vec<u8>)> {
    let mut pieces: BTreeMap<String, Piece<'w>> = BTreeMap::new();
    for (stem, postings) in stems {
        let piece = pieces.entry(prefix(stem)).or_default();
        piece.s.insert(stem, Deltas(postings));
    }
    for (form, stem) in forms {
        pieces.entry(prefix(form)).or_default().f.insert(form, stem);
    }

    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (page, of_page) in (0u32..).zip(filters_of) {
        for kind in FILTERS {
            for value in of_page.get(kind).into_iter().flatten() {
                let pages = filters.entry(kind).or_default().entry(value).or_default();
                if pages.last() != Some(&page) {
                    pages.push(page);
                }
            }
        }
    }

    let mut files: Vec<(String, Vec<u8>)> = pieces
        .par_iter()
        .map(|(prefix, piece)| (format!("w/{}.json", hex(prefix)), json(piece)))
        .collect();
    for (kind, values) in &filters {
        for (n, pages) in values.values().enumerate() {
            files.push((format!("f/{kind}/{n}.json"), json(pages)));
        }
    }
    let meta = Meta {
        version: 1,
        language,
        pages: filters_of.len(),
        filters: FILTERS
            .iter()
            .map(|kind| {
                let names = filters.get(kind).map(|v| v.keys().copied().collect());
                (*kind, names.unwrap_or_default())
            })
            .collect(),
    };
    files.push(("meta.json".to_string(), json(&meta)));
    files
}

/// The name of a page's file in the index.
pub(crate) fn page_file(page: usize) -> String {
    format!("p/{page}.json")
}

/// What a result shows, as its file holds it.
pub(crate) fn page_json(record: &Record) -> Vec<u8> {
    let size = record.text.len() + record.title.len() + 256;
    json_sized(&PageView::new(record), size)
}

/// The stems of one page with their weights.
pub(crate) type PageStems = HashMap<Arc<str>, u32>;

/// Forms met and their stems.
pub(crate) type Forms = Vec<(Arc<str>, Arc<str>)>;

/// The stems of a record's words, with their weights; the forms met whose stem is another
/// go to `forms` when given.
pub(crate) fn page_stems(
    words: &mut Remembered<'_>,
    record: &Record,
    mut forms: Option<&mut HashMap<Arc<str>, Arc<str>>>,
) -> PageStems {
    let mut stems = PageStems::new();
    for (text, weight) in [(&record.title, TITLE_WEIGHT), (&record.text, 1)] {
        words.each(text, |form, stem| {
            // Most words of a page were met on it before: no clone of the stem for them.
            match stems.get_mut(stem) {
                Some(count) => *count += weight,
                None => {
                    stems.insert(stem.clone(), weight);
                }
            }
            if let Some(forms) = forms.as_deref_mut()
                && form != stem
            {
                forms.insert(form.clone(), stem.clone());
            }
        });
    }
    stems
}

/// A stem's postings, `(page, weight)` in page order, written as `[page - previous page,
/// weight, …]`: small numbers, short JSON. Written from the postings themselves: a copy
/// of every list was a few hundred MB at 100,000 articles.
struct Deltas<'w>(&'w [(u32, u32)]);

impl Serialize for Deltas<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len() * 2))?;
        let mut previous = 0;
        for &(page, weight) in self.0 {
            seq.serialize_element(&(page - previous))?;
            seq.serialize_element(&weight)?;
            previous = page;
        }
        seq.end()
    }
}

/// The first letters of a word, which name its piece of the index.
pub(crate) fn prefix(word: &str) -> String {
    word.chars().take(PREFIX).collect()
}

/// A piece's name: its letters as hex of their UTF-8, safe in any file system and URL.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn json(value: &impl Serialize) -> Vec<u8> {
    json_sized(value, 128)
}

/// JSON into a buffer of about its size, which saves growing it page by page.
fn json_sized(value: &impl Serialize, size: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(size);
    serde_json::to_writer(&mut bytes, value).expect("index data serialises");
    bytes
}

/// One piece of the word index.
#[derive(Default, Serialize)]
struct Piece<'w> {
    s: BTreeMap<&'w str, Deltas<'w>>,
    f: BTreeMap<&'w str, &'w str>,
}

/// What a result shows, and its text.
#[derive(Serialize)]
struct PageView<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(flatten)]
    meta: &'a BTreeMap<String, String>,
    text: &'a str,
}

impl<'a> PageView<'a> {
    fn new(record: &'a Record) -> Self {
        PageView {
            url: &record.url,
            title: &record.title,
            meta: &record.meta,
            text: &record.text,
        }
    }
}

/// `meta.json`.
#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    language: &'a str,
    pages: usize,
    filters: BTreeMap<&'static str, Vec<&'a str>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, title: &str, text: &str, tags: &[&str]) -> Record {
        Record {
            url: url.to_string(),
            title: title.to_string(),
            text: text.to_string(),
            meta: BTreeMap::new(),
            filters: BTreeMap::from([(
                "tag".to_string(),
                tags.iter().map(|t| t.to_string()).collect(),
            )]),
        }
    }

    fn file(files: &[(String, Vec<u8>)], name: &str) -> serde_json::Value {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).expect(name);
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn stems_list_their_pages_and_forms_lead_to_stems() {
        let files = index(
            vec![
                record(
                    "/a/",
                    "La régulation",
                    "Régulation et régulations.",
                    &["IA"],
                ),
                record(
                    "/b/",
                    "Autre sujet",
                    "Les régulations, encore.",
                    &["IA", "Europe"],
                ),
            ],
            "fr",
        );
        let piece = file(&files, &format!("w/{}.json", hex("reg")));
        // Page 0: once in the title (8) and twice in the text; page 1 (0 + 1): once.
        assert_eq!(piece["s"]["regul"], serde_json::json!([0, 10, 1, 1]));
        assert_eq!(piece["f"]["regulations"], "regul");
        assert_eq!(piece["f"]["regulation"], "regul");
        let meta = file(&files, "meta.json");
        assert_eq!(meta["pages"], 2);
        assert_eq!(meta["filters"]["tag"], serde_json::json!(["Europe", "IA"]));
        assert_eq!(file(&files, "f/tag/1.json"), serde_json::json!([0, 1]));
        assert_eq!(file(&files, "f/tag/0.json"), serde_json::json!([1]));
        assert_eq!(file(&files, "p/1.json")["url"], "/b/");
    }

    #[test]
    fn the_same_records_give_the_same_files() {
        let records = || {
            vec![
                record("/a/", "Un", "deux trois quatre", &[]),
                record("/b/", "Cinq", "six sept huit", &[]),
            ]
        };
        assert_eq!(index(records(), "fr"), index(records(), "fr"));
    }
}
