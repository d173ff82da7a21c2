//! Code highlighting: fenced code blocks become class-based HTML (`<span class="hl-l3 hl-d5">`),
//! so a stylesheet generated from two syntect themes, light and dark, colours them and a site
//! can restyle them.
//!
//! The syntaxes (syntect's and bat's, through `two-face`) are a binary dump built into the
//! executable, loaded by each [`Highlighter`] only when a page has code (`load.rs`); so are
//! the two themes. A process that builds again (`serve`) keeps a [`CodeCache`]: it holds the
//! loaded syntaxes, and blocks cached by a hash of their syntaxes, themes, language, options
//! and text, so the same block is never highlighted twice. `kiosque build` with its cache
//! backs the [`CodeCache`] with the blocks earlier builds kept on disk ([`KeptBlocks`]).
//!
//! Rendering is in `render.rs`, the info string in `fence.rs`, themes, their class names and
//! the stylesheet in `themes.rs`.

mod fence;
mod load;
mod render;
#[cfg(test)]
mod tests;
mod themes;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use syntect::parsing::{SyntaxReference, SyntaxSet};
use two_face::theme::EmbeddedThemeName;

pub use fence::Fence;
pub use load::{SyntaxFileError, SyntaxLoadError};
pub use render::{SyntaxFailure, plain};
pub use themes::{stylesheet, theme, theme_names};

use load::Syntaxes;
use render::{Colours, block};
use themes::Themes;

/// Prefix of every class the highlighter writes.
const PREFIX: &str = "hl-";

/// Languages writers name by other words than syntect's tokens.
const ALIASES: [(&str, &str); 6] = [
    ("console", "bash"),
    ("shell", "bash"),
    ("zsh", "bash"),
    ("terminal", "bash"),
    ("docker", "dockerfile"),
    ("jsonc", "json"),
];

/// Languages that mean "no language": shown as plain text, without a warning.
const PLAIN: [&str; 7] = [
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "none",
    "nohighlight",
];

/// Blocks kept in the cache at most; past it, the cache starts again empty.
const CACHE_LIMIT: usize = 50_000;

/// What a process that builds again keeps between builds: highlighted blocks, the built-in
/// syntaxes once loaded, and the latest set linked with a site's syntaxes.
#[derive(Default)]
pub struct CodeCache {
    blocks: Mutex<HashMap<u64, (Arc<str>, Outcome)>>,
    builtin: OnceLock<Arc<SyntaxSet>>,
    /// Only the latest: a site's edited syntaxes replace the set linked with the old ones.
    linked: Mutex<Option<(u64, Arc<SyntaxSet>)>>,
    /// Blocks an earlier process kept, asked when `blocks` does not have one.
    kept: Option<Arc<dyn KeptBlocks>>,
    /// Keys of the kept blocks taken: not copied into `blocks`, a few hundred MB at
    /// 100,000 articles when every body is rendered again.
    taken: Mutex<HashSet<u64>>,
}

/// Blocks highlighted by an earlier process, by the key [`Highlighter::highlight`] gives them.
pub trait KeptBlocks: Send + Sync {
    /// The HTML of the block kept under `key`, and how highlighting it went.
    fn block(&self, key: u64) -> Option<(Arc<str>, Outcome)>;
}

impl CodeCache {
    /// An empty cache that asks `kept` for the blocks it does not have.
    pub fn backed_by(kept: Arc<dyn KeptBlocks>) -> CodeCache {
        CodeCache {
            kept: Some(kept),
            ..CodeCache::default()
        }
    }

    /// Every block this process highlighted and the cache holds, by key.
    pub fn blocks(&self) -> Vec<(u64, Arc<str>, Outcome)> {
        let blocks = lock(&self.blocks);
        let block = |(key, (html, outcome)): (&u64, &(Arc<str>, Outcome))| {
            (*key, html.clone(), outcome.clone())
        };
        blocks.iter().map(block).collect()
    }

    /// The keys of the kept blocks this process took.
    pub fn taken(&self) -> HashSet<u64> {
        lock(&self.taken).clone()
    }
}

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodeCache({} blocks)", lock(&self.blocks).len())
    }
}

/// A lock that a panicked holder left usable: what it guards is only ever a cache.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How highlighting a block went.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Highlighted, or plain because the writer asked for plain text.
    Done,
    /// No syntax knows the language: shown as plain text.
    UnknownLanguage,
    /// The syntax failed on this text (a broken site syntax): shown as plain text. Shared,
    /// as the cache hands the outcome out again.
    Failed(Arc<SyntaxFailure>),
}

impl PartialEq for Outcome {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Outcome::Done, Outcome::Done) => true,
            (Outcome::UnknownLanguage, Outcome::UnknownLanguage) => true,
            (Outcome::Failed(a), Outcome::Failed(b)) => a.to_string() == b.to_string(),
            _ => false,
        }
    }
}

impl Eq for Outcome {}

/// A highlighted block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// The block's HTML.
    pub html: Arc<str>,
    /// How it went.
    pub outcome: Outcome,
    /// Whether the block came from the cache.
    pub cached: bool,
}

/// Syntaxes, the light and dark themes, and the block cache if the process keeps one.
pub struct Highlighter {
    syntaxes: Syntaxes,
    names: (EmbeddedThemeName, EmbeddedThemeName),
    themes: OnceLock<Themes>,
    cache: Option<Arc<CodeCache>>,
}

impl Highlighter {
    /// The built-in syntaxes only, coloured as the `light` and `dark` themes say.
    pub fn builtin(light: EmbeddedThemeName, dark: EmbeddedThemeName) -> Highlighter {
        Highlighter {
            syntaxes: Syntaxes::default(),
            names: (light, dark),
            themes: OnceLock::new(),
            cache: None,
        }
    }

    /// The same highlighter, keeping blocks and syntaxes in `cache`.
    pub fn with_cache(self, cache: Arc<CodeCache>) -> Highlighter {
        Highlighter {
            cache: Some(cache),
            ..self
        }
    }

    /// The built-in syntaxes and the `.sublime-syntax` files of `folder`, coloured as the
    /// `light` and `dark` themes say; a file that does not load is an error naming it.
    pub fn with_folder(
        folder: &Path,
        light: EmbeddedThemeName,
        dark: EmbeddedThemeName,
    ) -> Result<Highlighter, SyntaxFileError> {
        Ok(Highlighter {
            syntaxes: load::read_folder(folder)?,
            ..Highlighter::builtin(light, dark)
        })
    }

    /// A fingerprint of the syntaxes: the same syntaxes, the same blocks.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.syntaxes.fingerprint
    }

    /// The syntax for a language name, extension or alias, with the set it belongs to.
    ///
    /// A site's own syntaxes are linked with the built-in ones only when a block names one
    /// of them.
    fn find(&self, lang: &str) -> Option<(&SyntaxSet, &SyntaxReference)> {
        let lang = lang.to_ascii_lowercase();
        let lang = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lang)
            .map_or(lang.as_str(), |(_, to)| to);
        let is_custom = self.syntaxes.custom.iter().any(|d| {
            d.name.eq_ignore_ascii_case(lang)
                || d.file_extensions
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(lang))
        });
        let cache = self.cache.as_deref();
        let set = if is_custom {
            self.syntaxes.linked(cache)
        } else {
            self.syntaxes.builtin(cache)
        };
        Some((set, set.find_syntax_by_token(lang)?))
    }

    /// Highlights one block, from the cache when it was highlighted before.
    pub fn highlight(&self, fence: &Fence, code: &str) -> Highlighted {
        let Some(cache) = self.cache.as_deref() else {
            let (html, outcome) = self.render(fence, code);
            return Highlighted {
                html: html.into(),
                outcome,
                cached: false,
            };
        };
        let mut hasher = DefaultHasher::new();
        (self.syntaxes.fingerprint, self.names, fence, code).hash(&mut hasher);
        let key = hasher.finish();
        let found = lock(&cache.blocks).get(&key).cloned();
        // The kept blocks are asked without the lock: the first ask reads their file.
        let found = found.or_else(|| {
            let kept = cache.kept.as_ref()?.block(key)?;
            lock(&cache.taken).insert(key);
            Some(kept)
        });
        if let Some((html, outcome)) = found {
            return Highlighted {
                html,
                outcome,
                cached: true,
            };
        }
        let (html, outcome) = self.render(fence, code);
        let html: Arc<str> = html.into();
        let mut blocks = lock(&cache.blocks);
        // A cache backed by kept blocks lives for one build, and holds the blocks it adds.
        if cache.kept.is_none() && blocks.len() >= CACHE_LIMIT {
            blocks.clear();
        }
        blocks.insert(key, (html.clone(), outcome.clone()));
        Highlighted {
            html,
            outcome,
            cached: false,
        }
    }

    fn render(&self, fence: &Fence, code: &str) -> (String, Outcome) {
        if fence.is_plain() {
            return (block(fence, None, code, None), Outcome::Done);
        }
        let lang = fence.lang.as_deref().unwrap_or_default();
        let Some((set, syntax)) = self.find(lang) else {
            return (block(fence, None, code, None), Outcome::UnknownLanguage);
        };
        let (light, dark) = self.names;
        let themes = self.themes.get_or_init(|| Themes::load(light, dark));
        let mut colours = Colours::new(set, syntax, themes);
        let html = block(fence, Some(lang), code, Some(&mut colours));
        match colours.failure {
            None => (html, Outcome::Done),
            Some(error) => (
                block(fence, None, code, None),
                Outcome::Failed(Arc::new(error)),
            ),
        }
    }
}
