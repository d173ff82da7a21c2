//! Code blocks as the highlighter coloured them, in shards by key, so that a body rendered
//! again (its article edited, `site.toml` changed) takes its blocks from here instead of
//! running syntect over them again: syntect is a fifth of a cold build's work.
//!
//! A block's key is the one the highlighter gives it, from its syntaxes, themes, language,
//! options and text; the binary that wrote the file is in its header. A shard is read the
//! first time a block of it is asked for, so a build that renders no body reads none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::mapped::Mapped;
use super::{BuildCache, Identity, payload};
use crate::diagnostics::CacheIgnored as Ignored;
use crate::highlight::{CodeCache, KeptBlocks, Outcome};

/// Shards of the blocks: one edited article rewrites one.
const SHARDS: u64 = 64;

/// Bytes of HTML a shard keeps at most. Past it, a shard written again keeps only the
/// blocks its build used: blocks whose article changed are otherwise kept forever.
const SHARD_BYTES: usize = 4 << 20;

/// How highlighting a kept block went: a block that failed is highlighted again, to report
/// its failure again.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
enum Went {
    Done,
    UnknownLanguage,
}

impl Went {
    fn of(outcome: &Outcome) -> Option<Went> {
        match outcome {
            Outcome::Done => Some(Went::Done),
            Outcome::UnknownLanguage => Some(Went::UnknownLanguage),
            Outcome::Failed(_) => None,
        }
    }

    fn outcome(self) -> Outcome {
        match self {
            Went::Done => Outcome::Done,
            Went::UnknownLanguage => Outcome::UnknownLanguage,
        }
    }
}

/// A shard as written and read: each block's key, outcome and HTML, by key.
type Entries<'a> = Vec<(u64, Went, &'a str)>;

/// A shard as read: its payload, and where each block's HTML is in it.
#[derive(Default)]
struct Shard {
    payload: Mapped,
    slots: HashMap<u64, (Went, usize, usize)>,
}

impl Shard {
    fn read(dir: &Path, identity: &Identity, file: &str) -> Result<Shard, Ignored> {
        let Some(payload) = payload(dir, identity, file)? else {
            return Ok(Shard::default());
        };
        let entries: Entries<'_> =
            postcard::from_bytes(&payload).map_err(|e| Ignored::Damaged(e.to_string()))?;
        let base = payload.as_ptr() as usize;
        let slots = entries
            .into_iter()
            .map(|(key, went, html)| {
                let start = html.as_ptr() as usize - base;
                (key, (went, start, start + html.len()))
            })
            .collect();
        Ok(Shard { payload, slots })
    }

    /// Bytes of HTML the shard holds.
    fn bytes(&self) -> usize {
        self.slots.values().map(|(_, start, end)| end - start).sum()
    }

    /// The shard's blocks whose key `keep` accepts, by key.
    fn entries(&self, keep: impl Fn(u64) -> bool) -> Entries<'_> {
        let mut entries: Entries<'_> = self
            .slots
            .iter()
            .filter(|(key, _)| keep(**key))
            .map(|(key, &(went, start, end))| (*key, went, self.html((start, end))))
            .collect();
        entries.sort_unstable_by_key(|(key, ..)| *key);
        entries
    }

    fn html(&self, (start, end): (usize, usize)) -> &str {
        // Checked once: the payload's checksum matched and postcard read it as a `str`.
        std::str::from_utf8(&self.payload[start..end]).unwrap_or_default()
    }
}

/// The blocks kept by earlier builds, read a shard at a time as they are asked for.
pub(crate) struct KeptCode {
    dir: PathBuf,
    identity: Identity,
    shards: Vec<OnceLock<Result<Shard, Ignored>>>,
}

fn shard_of(key: u64) -> usize {
    (key % SHARDS) as usize
}

fn shard_file(shard: usize) -> String {
    format!("code/{shard:02}.bin")
}

impl KeptCode {
    /// The blocks kept in the cache folder `dir`, by `identity`; nothing is read yet.
    pub(super) fn new(dir: PathBuf, identity: Identity) -> KeptCode {
        KeptCode {
            dir,
            identity,
            shards: (0..SHARDS).map(|_| OnceLock::new()).collect(),
        }
    }

    fn shard(&self, index: usize) -> &Result<Shard, Ignored> {
        self.shards[index]
            .get_or_init(|| Shard::read(&self.dir, &self.identity, &shard_file(index)))
    }

    /// Why a shard read was ignored, with its file, if one was.
    pub(super) fn ignored(&self) -> Option<(PathBuf, Ignored)> {
        self.shards.iter().enumerate().find_map(|(index, shard)| {
            let why = shard.get()?.as_ref().err()?;
            Some((PathBuf::from(shard_file(index)), why.clone()))
        })
    }

    /// Writes the shards that gained a block `code` highlighted; every shard with a block
    /// when `all`, the cache folder having been emptied.
    pub(super) fn save(
        &self,
        cache: &BuildCache,
        code: &CodeCache,
        all: bool,
    ) -> std::io::Result<()> {
        self.save_within(cache, code, all, SHARD_BYTES)
    }

    /// [`KeptCode::save`], a shard keeping at most `limit` bytes of HTML.
    fn save_within(
        &self,
        cache: &BuildCache,
        code: &CodeCache,
        all: bool,
        limit: usize,
    ) -> std::io::Result<()> {
        let mut fresh: Vec<Vec<(u64, Went, Arc<str>)>> = vec![Vec::new(); SHARDS as usize];
        for (key, html, outcome) in code.blocks() {
            if let Some(went) = Went::of(&outcome) {
                fresh[shard_of(key)].push((key, went, html));
            }
        }
        let taken = code.taken();
        fresh
            .par_iter_mut()
            .enumerate()
            .try_for_each(|(index, fresh)| {
                if fresh.is_empty() && !all {
                    return Ok(());
                }
                fresh.sort_unstable_by_key(|(key, ..)| *key);
                let mut entries: Entries<'_> = fresh
                    .iter()
                    .map(|(key, went, html)| (*key, *went, &**html))
                    .collect();
                if let Ok(shard) = self.shard(index) {
                    let added: usize = fresh.iter().map(|(_, _, html)| html.len()).sum();
                    let roomy = shard.bytes() + added <= limit;
                    entries.extend(shard.entries(|key| roomy || taken.contains(&key)));
                }
                if entries.is_empty() {
                    return Ok(());
                }
                cache.write(&shard_file(index), &entries)
            })
    }
}

impl KeptBlocks for KeptCode {
    fn block(&self, key: u64) -> Option<(Arc<str>, Outcome)> {
        let shard = self.shard(shard_of(key)).as_ref().ok()?;
        let &(went, start, end) = shard.slots.get(&key)?;
        Some((Arc::from(shard.html((start, end))), went.outcome()))
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use two_face::theme::EmbeddedThemeName;

    use super::*;
    use crate::highlight::{Fence, Highlighted, Highlighter};

    /// Highlights `blocks` (Rust) as a build with the cache of the site at `root` would,
    /// then keeps what it highlighted, within `limit` bytes a shard.
    fn build(root: &std::path::Path, blocks: &[String], limit: usize) -> Vec<Highlighted> {
        let mut cache = BuildCache::open(root);
        let code = cache.code_cache();
        let highlighter = Highlighter::builtin(
            EmbeddedThemeName::InspiredGithub,
            EmbeddedThemeName::OneHalfDark,
        )
        .with_cache(code.clone());
        let fence = Fence::parse("rust").0;
        let highlighted = blocks
            .iter()
            .map(|block| highlighter.highlight(&fence, block))
            .collect();
        cache.code.save_within(&cache, &code, false, limit).unwrap();
        highlighted
    }

    fn blocks(count: usize) -> Vec<String> {
        (0..count).map(|n| format!("let n = {n};\n")).collect()
    }

    #[test]
    fn blocks_one_build_highlighted_are_the_next_ones() {
        let root = tempfile::tempdir().unwrap();
        let first = build(root.path(), &blocks(3), SHARD_BYTES);
        assert!(first.iter().all(|block| !block.cached));
        let mut more = blocks(4);
        more.swap(0, 3);
        let second = build(root.path(), &more, SHARD_BYTES);
        let cached: Vec<bool> = second.iter().map(|block| block.cached).collect();
        assert_eq!(cached, [false, true, true, true]);
        assert_eq!(second[1].html, first[1].html);
        assert_eq!(second[1].outcome, Outcome::Done);
    }

    #[test]
    fn a_full_shard_keeps_only_the_blocks_its_build_used() {
        let root = tempfile::tempdir().unwrap();
        let kept = || -> usize {
            let cache = BuildCache::open(root.path());
            let shards = (0..SHARDS as usize).map(|index| cache.code.shard(index));
            shards
                .map(|shard| shard.as_ref().unwrap().slots.len())
                .sum()
        };
        let old = blocks(200);
        build(root.path(), &old, SHARD_BYTES);
        // No room, but every old block was used: the shard of the new one keeps them all.
        let new = vec!["let m = 0;\n".to_string()];
        build(root.path(), &[old.clone(), new.clone()].concat(), 0);
        assert_eq!(kept(), 201);
        // No room, and only the newest block used: its shard is written with it alone.
        let newest = vec!["let m = 1;\n".to_string()];
        build(root.path(), &newest, 0);
        let left = kept();
        assert!(left > 1 && left < 202, "{left} blocks kept");
        let again = build(root.path(), &[old, new, newest].concat(), SHARD_BYTES);
        assert!(again.last().unwrap().cached);
        assert!(again.iter().any(|block| !block.cached));
    }

    #[test]
    fn a_damaged_shard_is_ignored_then_written_again() {
        let root = tempfile::tempdir().unwrap();
        let code = blocks(1);
        build(root.path(), &code, SHARD_BYTES);
        let folder = root.path().join(super::super::BUILD_CACHE).join("code");
        let file = fs::read_dir(&folder)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let mut bytes = fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        fs::write(&file, bytes).unwrap();
        let damaged = build(root.path(), &code, SHARD_BYTES);
        assert!(!damaged[0].cached);
        let cache = BuildCache::open(root.path());
        cache.code.shard(shard_of_file(&file)).as_ref().unwrap();
        assert!(build(root.path(), &code, SHARD_BYTES)[0].cached);
    }

    fn shard_of_file(file: &std::path::Path) -> usize {
        let name = file.file_stem().unwrap().to_str().unwrap();
        name.parse().unwrap()
    }

    #[test]
    fn a_block_that_failed_is_not_kept() {
        let failure = syntect::parsing::ScopeError::NoClearedScopesToRestore;
        let failure = crate::highlight::SyntaxFailure::Scope(failure);
        assert!(Went::of(&Outcome::Failed(Arc::new(failure))).is_none());
        assert!(Went::of(&Outcome::UnknownLanguage).is_some());
    }
}
