//! A standalone page of the model (about, legal notice): at `/<slug>/` of its language part,
//! in the sitemap and the navigation it asks for, never in lists, feeds or taxonomies.

use std::path::PathBuf;

use crate::config::Config;
use crate::content::{FrontKeys, Menu, PageSource};
use crate::fingerprint::fingerprint;
use crate::markdown::{Rendered, Written};

/// One standalone page.
#[derive(Debug, Clone)]
pub struct StandalonePage {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Title.
    pub title: String,
    /// Summary for search engines and social cards.
    pub description: Option<String>,
    /// Site path (`/mentions-legales/`).
    pub path: String,
    /// Language.
    pub lang: String,
    /// Site paths that redirect here.
    pub aliases: Vec<String>,
    /// Old URLs with a query (`/?page_id=7`) that redirect here, for the redirect maps.
    pub query_aliases: Vec<String>,
    /// The text, as HTML.
    pub content: String,
    /// Where the navigation lists it.
    pub menu: Option<Menu>,
    /// Changes whenever the page or the way it was rendered does.
    pub version: u64,
    /// Every link and image of the text, where it is written.
    pub written: Vec<Written>,
    /// Where each front matter key is written.
    pub keys: FrontKeys,
}

impl StandalonePage {
    /// A page from its source and rendered text; `config` is that of the site, whose
    /// language parts place it by `lang`.
    pub fn new(config: &Config, source: PageSource, rendered: Rendered, version: u64) -> Self {
        let front = source.front;
        let lang = front.lang.unwrap_or_else(|| config.language.clone());
        let prefix = config.for_tree(config.tree_of(&lang)).prefix;
        let path = format!("{prefix}{}/", source.slug);
        StandalonePage {
            version: fingerprint((version, &path, &front.title, &front.description, front.menu)),
            source: source.path,
            title: front.title,
            description: front.description,
            path,
            lang,
            query_aliases: front
                .aliases
                .iter()
                .filter(|a| a.contains('?'))
                .cloned()
                .collect(),
            aliases: front
                .aliases
                .into_iter()
                .filter(|a| !a.contains('?'))
                .collect(),
            content: rendered.html,
            menu: front.menu,
            written: rendered.written,
            keys: front.keys,
        }
    }

    /// Line of a front matter key, else the first.
    pub fn line_of(&self, key: &str) -> usize {
        self.keys.key_line(key).unwrap_or(1)
    }
}
