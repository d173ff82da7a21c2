//! Article bodies as the Markdown stage rendered them, in shards by source path, so that one
//! edit rewrites one shard. An entry is used only when everything the body was rendered from
//! is the same: its source and the site's rendering settings (the key), the snippet templates
//! when it used one, and the address each of its internal links resolved to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use super::BuildCache;
use crate::content::Source;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::fingerprint::fingerprint;
use crate::markdown::{InternalLink, Rendered, Targets, TocEntry, Written};

/// Shards of the bodies: enough that one edit rewrites little, few enough to read fast.
const SHARDS: u64 = 64;

/// One body and what it was rendered from.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: u64,
    /// The version of the snippet templates, when the body rendered one.
    snippets: Option<u64>,
    /// The site path each internal link resolved to, in order.
    links: Vec<Option<String>>,
    body: Body,
}

/// The fields of [`Rendered`] a later build needs, warnings aside: a body with warnings is
/// rendered at every build, so that they are reported at every build.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    html: String,
    summary: Option<String>,
    first_paragraph: Option<String>,
    toc: Vec<TocEntry>,
    word_count: usize,
    has_code: bool,
    internal_links: Vec<InternalLink>,
    ids: Vec<String>,
    written: Vec<Written>,
    /// Images without alternative text (the only hints there are), where.
    missing_alt: Vec<(Location, String)>,
}

type Shard = HashMap<PathBuf, Entry>;

/// The bodies read from the cache, and those this build used or rendered.
#[derive(Default)]
pub(crate) struct BodyCache {
    /// What every key is made with: the rendering settings of the site (see
    /// [`BodyCache::set_settings`]).
    settings: u64,
    shards: Vec<Shard>,
    /// Sources this build rendered a body for: `None` when it came from the cache.
    used: Mutex<HashMap<PathBuf, Option<Entry>>>,
}

fn shard_of(path: &Path) -> usize {
    (fingerprint(path) % SHARDS) as usize
}

fn shard_file(shard: usize) -> String {
    format!("bodies/{shard:02}.bin")
}

impl BodyCache {
    /// Reads every shard of the cache; one ignored is empty.
    pub(super) fn open(cache: &mut BuildCache) -> BodyCache {
        let shards = (0..SHARDS as usize)
            .map(|shard| cache.read(&shard_file(shard)).unwrap_or_default())
            .collect();
        BodyCache {
            shards,
            ..BodyCache::default()
        }
    }

    /// Sets what, besides its source, a body is rendered with: the site's settings
    /// (`site.toml`, a `--base-url`) and the syntaxes.
    pub(crate) fn set_settings(&mut self, settings: u64) {
        self.settings = settings;
    }

    fn used(&self) -> MutexGuard<'_, HashMap<PathBuf, Option<Entry>>> {
        self.used.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key of a source's body in a language.
    pub(crate) fn key(&self, source: &Source, lang: &str) -> u64 {
        fingerprint((
            self.settings,
            &source.path,
            &source.body,
            source.body_line,
            lang,
        ))
    }

    /// The body cached for a source, if it was rendered from the same key, snippet templates
    /// (`snippets`, their version now) and link targets.
    pub(crate) fn get(
        &self,
        path: &Path,
        key: u64,
        snippets: u64,
        targets: &Targets,
    ) -> Option<Rendered> {
        let entry = self.shards.get(shard_of(path))?.get(path)?;
        let fresh = entry.key == key
            && entry.snippets.is_none_or(|version| version == snippets)
            && entry.links == resolved(&entry.body.internal_links, targets);
        if !fresh {
            return None;
        }
        self.used().insert(path.to_path_buf(), None);
        Some(entry.body.clone().rendered(entry.snippets.is_some()))
    }

    /// Keeps a body just rendered, unless it has warnings.
    pub(crate) fn put(
        &self,
        path: &Path,
        key: u64,
        snippets: u64,
        rendered: &Rendered,
        targets: &Targets,
    ) {
        let Some(body) = Body::of(rendered) else {
            return;
        };
        let entry = Entry {
            key,
            snippets: rendered.snippets.then_some(snippets),
            links: resolved(&rendered.internal_links, targets),
            body,
        };
        self.used().insert(path.to_path_buf(), Some(entry));
    }

    /// Writes the shards whose bodies changed (one rendered anew, or one no longer used), or
    /// every shard when `all`.
    pub(super) fn save(&self, cache: &BuildCache, all: bool) -> std::io::Result<()> {
        let mut used = std::mem::take(&mut *self.used());
        let mut shards: Vec<Vec<(PathBuf, Option<Entry>)>> = vec![Vec::new(); SHARDS as usize];
        for (path, entry) in used.drain() {
            shards[shard_of(&path)].push((path, entry));
        }
        for (index, entries) in shards.into_iter().enumerate() {
            let old = self.shards.get(index);
            let unchanged = !all
                && entries.iter().all(|(_, entry)| entry.is_none())
                && old.map_or(0, HashMap::len) == entries.len();
            if unchanged {
                continue;
            }
            let shard: HashMap<&PathBuf, &Entry> = entries
                .iter()
                .filter_map(|(path, entry)| {
                    let entry = entry.as_ref().or_else(|| old?.get(path))?;
                    Some((path, entry))
                })
                .collect();
            cache.write(&shard_file(index), &shard)?;
        }
        Ok(())
    }
}

/// Where each internal link leads now.
fn resolved(links: &[InternalLink], targets: &Targets) -> Vec<Option<String>> {
    links
        .iter()
        .map(|l| targets.get(&l.target).cloned())
        .collect()
}

impl Body {
    fn of(rendered: &Rendered) -> Option<Body> {
        if !rendered.warnings.is_empty() {
            return None;
        }
        let missing_alt = rendered
            .hints
            .iter()
            .map(|hint| match &hint.problem {
                Problem::MissingAlt(image) => Some((hint.location.clone(), image.clone())),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Body {
            html: rendered.html.clone(),
            summary: rendered.summary.clone(),
            first_paragraph: rendered.first_paragraph.clone(),
            toc: rendered.toc.clone(),
            word_count: rendered.word_count,
            has_code: rendered.has_code,
            internal_links: rendered.internal_links.clone(),
            ids: rendered.ids.clone(),
            written: rendered.written.clone(),
            missing_alt,
        })
    }

    fn rendered(self, snippets: bool) -> Rendered {
        let hints = self.missing_alt.into_iter();
        Rendered {
            html: self.html,
            summary: self.summary,
            first_paragraph: self.first_paragraph,
            toc: self.toc,
            word_count: self.word_count,
            has_code: self.has_code,
            snippets,
            warnings: Vec::new(),
            hints: hints
                .map(|(at, image)| Diagnostic::warning(at, Problem::MissingAlt(image)))
                .collect(),
            internal_links: self.internal_links,
            ids: self.ids,
            written: self.written,
        }
    }
}
