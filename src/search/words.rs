//! Words as the index and the search page see them: runs of letters and digits, lowercased,
//! stemmed in the part's language, then stripped of their accents, so that `régulations`,
//! `régulation` and `regulation` meet. The theme's `search.js` splits and folds a query the
//! same way (`fold`, `split`): the two must not drift apart.

use std::borrow::Cow;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest word indexed: longer runs are hashes, keys or URLs, not words anyone types.
const LONGEST: usize = 40;

/// The words of one language.
pub(crate) struct Words {
    stemmer: Option<Stemmer>,
}

impl Words {
    /// Words stemmed as `lang` (its primary subtag); a language without a Snowball stemmer
    /// is indexed word for word.
    pub(crate) fn new(lang: &str) -> Self {
        let primary = lang
            .split(['-', '_'])
            .next()
            .unwrap_or(lang)
            .to_ascii_lowercase();
        let algorithm = match primary.as_str() {
            "da" => Some(Algorithm::Danish),
            "de" => Some(Algorithm::German),
            "en" => Some(Algorithm::English),
            "es" => Some(Algorithm::Spanish),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "it" => Some(Algorithm::Italian),
            "nl" => Some(Algorithm::Dutch),
            "nb" | "nn" | "no" => Some(Algorithm::Norwegian),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "sv" => Some(Algorithm::Swedish),
            "tr" => Some(Algorithm::Turkish),
            _ => None,
        };
        Words {
            stemmer: algorithm.map(Stemmer::create),
        }
    }

    /// A word's form and stem, both lowercased and folded.
    fn word(&self, word: &str) -> (String, String) {
        let lower = word.to_lowercase();
        let stem = match &self.stemmer {
            Some(stemmer) => stemmer.stem(&lower),
            None => Cow::Borrowed(lower.as_str()),
        };
        (fold(&lower), fold(&stem))
    }
}

/// The words of one language, each stemmed once: a text has a few hundred distinct words
/// in thousands, a site a few tens of thousands in millions.
pub(crate) struct Remembered<'a> {
    words: &'a Words,
    seen: HashMap<String, (Arc<str>, Arc<str>)>,
}

impl<'a> Remembered<'a> {
    /// Nothing remembered yet.
    pub(crate) fn new(words: &'a Words) -> Self {
        Remembered {
            words,
            seen: HashMap::new(),
        }
    }

    /// Calls `visit(form, stem)` for each word of `text`: the word as typed and its stem,
    /// both lowercased and folded.
    pub(crate) fn each(&mut self, text: &str, mut visit: impl FnMut(&Arc<str>, &Arc<str>)) {
        for word in split(text) {
            if let Some((form, stem)) = self.seen.get(word) {
                visit(form, stem);
                continue;
            }
            let (form, stem) = self.words.word(word);
            let (form, stem): (Arc<str>, Arc<str>) = if form == stem {
                let shared: Arc<str> = Arc::from(form);
                (shared.clone(), shared)
            } else {
                (Arc::from(form), Arc::from(stem))
            };
            visit(&form, &stem);
            self.seen.insert(word.to_string(), (form, stem));
        }
    }

    /// Every form met whose stem is another, with that stem.
    pub(crate) fn forms(self) -> impl Iterator<Item = (Arc<str>, Arc<str>)> {
        self.seen.into_values().filter(|(form, stem)| form != stem)
    }
}

/// The words of `text`: runs of letters and digits, of two characters or more (single
/// letters are the `l` of `l'IA`), or digits (`GPT 4`).
pub(crate) fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| {
        let length = word.chars().count();
        (length >= 2 || word.chars().any(|c| c.is_numeric())) && length <= LONGEST
    })
}

/// A lowercased word without its accents: decomposed (NFD), marks dropped.
pub(crate) fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    word.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(lang: &str, text: &str) -> Vec<(String, String)> {
        let words = Words::new(lang);
        let mut found = Vec::new();
        let mut remembered = Remembered::new(&words);
        // Twice: a word remembered gives what it gave the first time.
        for _ in 0..2 {
            remembered.each(text, |form, stem| {
                found.push((form.to_string(), stem.to_string()))
            });
        }
        let second = found.split_off(found.len() / 2);
        assert_eq!(found, second);
        found
    }

    #[test]
    fn french_words_are_stemmed_then_folded() {
        assert_eq!(
            pairs("fr", "Régulations, l'IA"),
            [
                ("regulations".to_string(), "regul".to_string()),
                ("ia".to_string(), "ia".to_string()),
            ]
        );
        assert_eq!(pairs("fr-CA", "régulation")[0].1, "regul");
    }

    #[test]
    fn english_words_are_stemmed_and_other_languages_kept_whole() {
        assert_eq!(pairs("en", "computers")[0].1, "comput");
        assert_eq!(
            pairs("ja", "東京 2025")[1],
            ("2025".to_string(), "2025".to_string())
        );
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let words: Vec<&str> = split("Vec<T> et GPT-4 : l’IA à 100 % — x").collect();
        assert_eq!(words, ["Vec", "et", "GPT", "4", "IA", "100"]);
        assert_eq!(split(&"a".repeat(41)).count(), 0);
    }

    #[test]
    fn folding_drops_accents_and_keeps_other_letters() {
        assert_eq!(fold("éàçœß"), "eacœß");
        assert_eq!(fold("plain"), "plain");
    }
}
