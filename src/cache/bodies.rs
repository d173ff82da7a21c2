//! Article bodies as the Markdown stage rendered them, in shards by source path, so that one
//! edit rewrites one shard. An entry is used only when everything the body was rendered from
//! is the same: its source and the site's rendering settings (the key), the snippet templates
//! when it used one, and the address each of its internal links resolved to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use super::mapped::Mapped;
use super::{Blob, BuildCache};
use crate::content::Source;
use crate::diagnostics::CacheIgnored as Ignored;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::fingerprint::fingerprint;
use crate::markdown::{InternalLink, Rendered, Targets, TocEntry, Written};
use crate::site::Html;

/// Shards of the bodies: enough that one edit rewrites little, few enough to read fast.
const SHARDS: u64 = 64;

/// One body and what it was rendered from, as read back.
#[derive(Debug, Deserialize)]
struct Entry<'a> {
    /// The version of the snippet templates, when the body rendered one.
    snippets: Option<u64>,
    /// The site path each internal link resolved to, in order.
    links: Vec<Option<String>>,
    #[serde(borrow)]
    body: Body<'a>,
}

/// The fields of [`Rendered`] a later build needs, warnings aside: a body with warnings is
/// rendered at every build, so that they are reported at every build.
#[derive(Debug, Deserialize)]
struct Body<'a> {
    /// Left where it is in the mapped file (postcard writes a string as it writes bytes).
    html: &'a [u8],
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

/// The start of an [`Entry`], up to its HTML: postcard writes a struct as its fields one
/// after the other, a nested one too.
#[derive(Deserialize)]
struct Head<'a> {
    _snippets: Option<u64>,
    #[serde(borrow)]
    _links: Vec<Option<&'a str>>,
    html: &'a [u8],
}

/// An [`Entry`] as written, borrowed from the body just rendered (the same fields in the
/// same order: postcard writes a borrowed string as it writes an owned one).
#[derive(Serialize)]
struct EntryOf<'a> {
    snippets: Option<u64>,
    links: Vec<Option<&'a String>>,
    body: BodyOf<'a>,
}

#[derive(Serialize)]
struct BodyOf<'a> {
    html: &'a str,
    summary: &'a Option<String>,
    first_paragraph: &'a Option<String>,
    toc: &'a [TocEntry],
    word_count: usize,
    has_code: bool,
    internal_links: &'a [InternalLink],
    ids: &'a [String],
    written: &'a [Written],
    missing_alt: Vec<(&'a Location, &'a String)>,
}

/// A shard as read: the settings its bodies were rendered with, and each body's source path,
/// key and encoded entry.
type Slots<'a> = (u64, Vec<(&'a str, u64, &'a [u8])>);

/// Where a body is in the shards read: entries are decoded only when a build asks for them.
#[derive(Debug, Clone, Copy)]
struct Slot {
    shard: usize,
    key: u64,
    start: usize,
    end: usize,
}

/// The bodies read from the cache, and those this build used or rendered.
#[derive(Default)]
pub(crate) struct BodyCache {
    /// What every key is made with: the rendering settings of the site (see
    /// [`BodyCache::set_settings`]).
    settings: u64,
    /// The payload of each shard read, shared with the bodies taken from it.
    shards: Vec<Arc<Mapped>>,
    slots: HashMap<PathBuf, Slot>,
    /// How many bodies each shard read holds.
    counts: Vec<usize>,
    /// The settings each shard read was rendered with.
    read_with: Vec<u64>,
    /// Sources this build has a body for.
    used: Mutex<HashMap<PathBuf, Used>>,
}

/// A body this build has: `None` when it came from the cache, else the key and encoded
/// entry of the body it rendered, whose HTML the article shows.
type Used = Option<(u64, Arc<Vec<u8>>)>;

/// A shard as read: its payload, the settings its bodies were rendered with, and where each
/// body is in it.
type Shard = (Mapped, u64, Vec<(PathBuf, Slot)>);

/// Every shard as read, by file, or why it is ignored.
pub(super) struct Shards(Vec<(String, Result<Shard, Ignored>)>);

fn shard_of(path: &Path) -> usize {
    (fingerprint(path) % SHARDS) as usize
}

fn shard_file(shard: usize) -> String {
    format!("bodies/{shard:02}.bin")
}

impl BodyCache {
    /// Reads every shard of the cache.
    pub(super) fn read(cache: &BuildCache) -> Shards {
        let shards = (0..SHARDS as usize)
            .into_par_iter()
            .map(|shard| {
                let file = shard_file(shard);
                let payload = cache.payload(&file).and_then(|payload| {
                    let payload = payload.unwrap_or_default();
                    let (settings, slots) = index(shard, &payload)?;
                    Ok((payload, settings, slots))
                });
                (file, payload)
            })
            .collect();
        Shards(shards)
    }

    /// The bodies of the shards read; one ignored is empty.
    pub(super) fn open(cache: &mut BuildCache, read: Shards) -> BodyCache {
        let mut bodies = BodyCache::default();
        for (file, read) in read.0 {
            let (payload, settings, slots) = cache.keep_why(&file, read).unwrap_or_default();
            bodies.counts.push(slots.len());
            bodies.read_with.push(settings);
            bodies.slots.extend(slots);
            bodies.shards.push(Arc::new(payload));
        }
        bodies
    }

    /// Sets what, besides its source, a body is rendered with: the site's settings
    /// (`site.toml`, a `--base-url`) and the syntaxes.
    ///
    /// A shard rendered with other settings has no body this build can use: it is let go at
    /// once, rather than held mapped (most of a gigabyte at 100,000 articles) while every
    /// body is rendered again.
    pub(crate) fn set_settings(&mut self, settings: u64) {
        self.settings = settings;
        for (shard, read_with) in self.read_with.iter().enumerate() {
            if *read_with != settings && self.counts[shard] > 0 {
                self.shards[shard] = Arc::default();
                self.counts[shard] = 0;
            }
        }
        self.slots.retain(|_, slot| self.counts[slot.shard] > 0);
    }

    fn used(&self) -> MutexGuard<'_, HashMap<PathBuf, Used>> {
        self.used.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key of a source's body in a language: made from the digest of the whole file,
    /// which is known when the body was not read again.
    pub(crate) fn key(&self, source: &Source, lang: &str) -> u64 {
        fingerprint((self.settings, &source.path, source.digest, lang))
    }

    /// The body cached for a source, if it was rendered from the same key, snippet templates
    /// (`snippets`, their version now) and link targets: all but its HTML, and its HTML.
    pub(crate) fn get(
        &self,
        path: &Path,
        key: u64,
        snippets: u64,
        targets: &Targets,
    ) -> Option<(Rendered, Html)> {
        let slot = self.slots.get(path).filter(|slot| slot.key == key)?;
        let shard = &self.shards[slot.shard];
        let entry: Entry = postcard::from_bytes(&shard[slot.start..slot.end]).ok()?;
        let fresh = entry.snippets.is_none_or(|version| version == snippets)
            && entry.links == resolved(&entry.body.internal_links, targets);
        if !fresh {
            return None;
        }
        self.used().insert(path.to_path_buf(), None);
        let start = entry.body.html.as_ptr() as usize - shard.as_ptr() as usize;
        let end = start + entry.body.html.len();
        let html = Html::kept(shard.clone(), start, end);
        Some((entry.body.rendered(entry.snippets.is_some()), html))
    }

    /// Keeps a body just rendered, unless it has warnings, and gives its HTML as the entry
    /// kept holds it: the article shows it from there, and no second copy is held.
    pub(crate) fn put(
        &self,
        path: &Path,
        key: u64,
        snippets: u64,
        rendered: &Rendered,
        targets: &Targets,
    ) -> Option<Html> {
        let body = BodyOf::of(rendered)?;
        let entry = EntryOf {
            snippets: rendered.snippets.then_some(snippets),
            links: rendered
                .internal_links
                .iter()
                .map(|l| targets.get(&l.target))
                .collect(),
            body,
        };
        let bytes = Arc::new(postcard::to_stdvec(&entry).ok()?);
        let head: Head = postcard::from_bytes(&bytes).ok()?;
        let start = head.html.as_ptr() as usize - bytes.as_ptr() as usize;
        let html = Html::kept(bytes.clone(), start, start + head.html.len());
        self.used().insert(path.to_path_buf(), Some((key, bytes)));
        Some(html)
    }

    /// Writes the shards whose bodies changed (one rendered anew, or one no longer used), or
    /// every shard when `all`.
    pub(super) fn save(&self, cache: &BuildCache, all: bool) -> std::io::Result<()> {
        let used = std::mem::take(&mut *self.used());
        let mut shards: Vec<Vec<(&PathBuf, &Used)>> = vec![Vec::new(); SHARDS as usize];
        for (path, entry) in &used {
            shards[shard_of(path)].push((path, entry));
        }
        shards
            .par_iter()
            .enumerate()
            .try_for_each(|(index, entries)| {
                let unchanged = !all
                    && entries.iter().all(|(_, entry)| entry.is_none())
                    && self.counts.get(index).copied().unwrap_or(0) == entries.len();
                if unchanged {
                    return Ok(());
                }
                let slots: Vec<(&str, u64, Blob)> = entries
                    .iter()
                    .filter_map(|(path, entry)| {
                        let path = path.to_str()?;
                        Some(match entry {
                            Some((key, bytes)) => (path, *key, Blob(bytes)),
                            None => {
                                let slot = self.slots.get(Path::new(path))?;
                                let bytes = &self.shards[slot.shard][slot.start..slot.end];
                                (path, slot.key, Blob(bytes))
                            }
                        })
                    })
                    .collect();
                cache.write(&shard_file(index), &(self.settings, slots))
            })
    }
}

/// The settings a shard's bodies were rendered with, and where each body of its payload is.
fn index(shard: usize, payload: &[u8]) -> Result<(u64, Vec<(PathBuf, Slot)>), Ignored> {
    if payload.is_empty() {
        return Ok((0, Vec::new()));
    }
    let (settings, slots): Slots<'_> =
        postcard::from_bytes(payload).map_err(|e| Ignored::Damaged(e.to_string()))?;
    let base = payload.as_ptr() as usize;
    let slots = slots
        .into_iter()
        .map(|(path, key, bytes)| {
            let start = bytes.as_ptr() as usize - base;
            let slot = Slot {
                shard,
                key,
                start,
                end: start + bytes.len(),
            };
            (PathBuf::from(path), slot)
        })
        .collect();
    Ok((settings, slots))
}

/// Where each internal link leads now.
fn resolved(links: &[InternalLink], targets: &Targets) -> Vec<Option<String>> {
    links
        .iter()
        .map(|l| targets.get(&l.target).cloned())
        .collect()
}

impl BodyOf<'_> {
    fn of(rendered: &Rendered) -> Option<BodyOf<'_>> {
        if !rendered.warnings.is_empty() {
            return None;
        }
        let missing_alt = rendered
            .hints
            .iter()
            .map(|hint| match &hint.problem {
                Problem::MissingAlt(image) => Some((&hint.location, image)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(BodyOf {
            html: &rendered.html,
            summary: &rendered.summary,
            first_paragraph: &rendered.first_paragraph,
            toc: &rendered.toc,
            word_count: rendered.word_count,
            has_code: rendered.has_code,
            internal_links: &rendered.internal_links,
            ids: &rendered.ids,
            written: &rendered.written,
            missing_alt,
        })
    }
}

impl Body<'_> {
    /// The body without its HTML.
    fn rendered(self, snippets: bool) -> Rendered {
        let hints = self.missing_alt.into_iter();
        Rendered {
            html: String::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "content/a.md";
    const KEY: u64 = 42;

    fn rendered(html: &str) -> Rendered {
        Rendered {
            html: html.to_string(),
            ..Rendered::default()
        }
    }

    /// Saves one body rendered with `settings` in the cache of `root`, then opens the cache
    /// again as the next build does, with `next` settings.
    fn saved_then_opened(root: &Path, settings: u64, next: u64) -> BuildCache {
        let mut cache = BuildCache::open(root);
        cache.set_settings(settings);
        let (body, targets) = (rendered("<p>Sommet</p>"), Targets::new());
        cache.bodies.put(Path::new(PATH), KEY, 0, &body, &targets);
        cache.save_bodies().unwrap();
        let mut cache = BuildCache::open(root);
        cache.set_settings(next);
        cache
    }

    #[test]
    fn a_body_is_found_by_the_next_build_with_the_same_settings() {
        let dir = tempfile::tempdir().unwrap();
        let cache = saved_then_opened(dir.path(), 1, 1);
        let found = cache.bodies.get(Path::new(PATH), KEY, 0, &Targets::new());
        assert_eq!(&*found.expect("the body kept").1, "<p>Sommet</p>");
    }

    #[test]
    fn shards_rendered_with_other_settings_are_let_go_when_the_settings_are_known() {
        let dir = tempfile::tempdir().unwrap();
        let cache = saved_then_opened(dir.path(), 1, 2);
        let bodies = &cache.bodies;
        // The key is the one kept: only the settings tell that the body is not for this build.
        let found = bodies.get(Path::new(PATH), KEY, 0, &Targets::new());
        assert!(found.is_none());
        assert!(bodies.slots.is_empty());
        assert!(bodies.shards.iter().all(|shard| shard.is_empty()));
        assert_eq!(bodies.counts.iter().sum::<usize>(), 0);
    }
}
