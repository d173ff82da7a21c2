//! The languages of a site: its own, and those published in their own part (`[languages.en]`
//! under `/en/`), each built with the configuration of its part.

use super::Config;
use super::newsletter::NewsletterStrings;

/// A language published in its own part of the site, under `/<lang>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 tag, also the folder (`en`).
    pub lang: String,
    /// Site title in that language.
    pub title: Option<String>,
    /// Site description in that language.
    pub description: Option<String>,
    /// Texts of the newsletter block in that language (`[languages.<tag>.newsletter]`).
    pub newsletter: NewsletterStrings,
}

impl Config {
    /// Which part of the site an article in `lang` belongs to: 0 for the root, else 1 plus
    /// the index of its language in [`Config::languages`] (`en-GB` goes with `en`).
    pub fn tree_of(&self, lang: &str) -> usize {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        let position = |wanted: &str| {
            self.languages
                .iter()
                .position(|l| l.lang.eq_ignore_ascii_case(wanted))
        };
        position(lang)
            .or_else(|| position(primary))
            .map_or(0, |index| index + 1)
    }

    /// The configuration of part `tree` of the site (see [`Config::tree_of`]): its prefix,
    /// language, title, description and newsletter texts.
    pub fn for_tree(&self, tree: usize) -> Config {
        let Some(language) = tree.checked_sub(1).and_then(|i| self.languages.get(i)) else {
            let mut config = self.clone();
            config.newsletter = self.newsletter.for_language(&self.language, None);
            return config;
        };
        let mut config = self.clone();
        config.newsletter = self
            .newsletter
            .for_language(&language.lang, Some(&language.newsletter));
        config.prefix = format!("/{}/", language.lang);
        config.language = language.lang.clone();
        if let Some(title) = &language.title {
            config.title = title.clone();
        }
        if let Some(description) = &language.description {
            config.description = description.clone();
        }
        config
    }

    /// Whether text in `lang` gets French spacing: by default, French text only.
    pub fn french_spacing(&self, lang: &str) -> bool {
        self.french_spacing.unwrap_or_else(|| {
            lang.split(['-', '_'])
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case("fr"))
        })
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag (`fr`, `en-GB`, `zh-Hant-TW`).
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
