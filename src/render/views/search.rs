//! `site.search` in every template: where the search page and the index of each part are,
//! when the site is searchable.

use serde::Serialize;

use super::language::language_name;
use crate::site::Site;

/// The script of the search page.
const SEARCH_SCRIPT_PATH: &str = "/search.js";

/// Where to search from this part.
#[derive(Serialize)]
pub(crate) struct SearchView {
    /// This part's search page.
    url: String,
    /// The theme's script behind it.
    script_url: String,
    /// The index of this part (`/search-index/`).
    bundle_url: String,
    /// Every part's language and index, this part's first, for the language filter.
    languages: Vec<SearchLanguage>,
}

/// One part's language and index.
#[derive(Serialize)]
struct SearchLanguage {
    lang: String,
    /// The language's name in that language.
    name: String,
    bundle_url: String,
}

impl SearchView {
    /// `None` when `[search]` is off.
    pub(crate) fn new(site: &Site) -> Option<Self> {
        let config = &site.config;
        if !config.search.enabled {
            return None;
        }
        let base = config.base_path();
        let language = |lang: &str, prefix: &str| SearchLanguage {
            lang: lang.to_string(),
            name: language_name(lang),
            bundle_url: format!("{base}{}search-index/", prefix.trim_start_matches('/')),
        };
        let mut languages = vec![language(&config.root_language, "/")];
        languages.extend(
            config
                .languages
                .iter()
                .map(|l| language(&l.lang, &format!("/{}/", l.lang))),
        );
        let own = languages
            .iter()
            .position(|l| l.lang == config.language)
            .unwrap_or(0);
        languages.swap(0, own);
        Some(SearchView {
            url: site.url(&site.search_path()),
            script_url: site.static_url(SEARCH_SCRIPT_PATH),
            bundle_url: site.url(&site.search_bundle_path()),
            languages,
        })
    }
}
