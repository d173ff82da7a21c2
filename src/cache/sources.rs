//! What was read of the article sources: their front matter as parsed, keyed by the file,
//! its YAML and the site's settings, and the files whose stamp says they are still as read.
//! Parsing the YAML of every article again (twice: values, then where each key is written)
//! was a fifth of a one-article rebuild; reading every file again, another sixth. Only what
//! was read without a problem is kept, so that a warning is reported at every build.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use super::mapped::Mapped;
use super::{Blob, BuildCache};
use crate::content::{FrontMatter, KnownSources, Source, Stamp};
use crate::diagnostics::CacheIgnored as Ignored;
use crate::fingerprint::fingerprint;

/// File of the front matter and stamps in the cache folder.
pub(super) const SOURCES_FILE: &str = "sources.bin";

/// What the cache file holds: each front matter encoded on its own, by key, and the files
/// read by path. A front matter is decoded only when a build asks for it, and written back
/// as it was read when it did not change.
type Saved<'a> = (Vec<(u64, &'a [u8])>, HashMap<PathBuf, Seen>);

/// A file read without a problem, with a settled stamp.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Seen {
    stamp: Stamp,
    /// Fingerprint of its YAML.
    yaml: u64,
    digest: u64,
    body_line: usize,
}

/// The front matter and files read from the cache, and what this build used or read.
#[derive(Default)]
pub(crate) struct SourceCache {
    /// What every front matter is parsed with: the site's settings.
    settings: u64,
    /// The payload of the file read; the front matter is left encoded in it.
    payload: Mapped,
    fronts: HashMap<u64, Range<usize>>,
    files: HashMap<PathBuf, Seen>,
    used: Mutex<Used>,
}

/// What this build used of the cache (`None`) or read again (`Some`).
#[derive(Default)]
struct Used {
    fronts: HashMap<u64, Option<FrontMatter>>,
    files: HashMap<PathBuf, Option<Seen>>,
}

impl SourceCache {
    /// The cache of what was read from a payload, if it decodes; empty when there is none.
    pub(super) fn open(payload: Option<Mapped>) -> Result<SourceCache, Ignored> {
        let Some(payload) = payload else {
            return Ok(SourceCache::default());
        };
        let damaged = |e: postcard::Error| Ignored::Damaged(e.to_string());
        let (fronts, files): Saved<'_> = postcard::from_bytes(&payload).map_err(damaged)?;
        let base = payload.as_ptr() as usize;
        let fronts: HashMap<u64, Range<usize>> = fronts
            .into_iter()
            .map(|(key, bytes)| {
                let start = bytes.as_ptr() as usize - base;
                (key, start..start + bytes.len())
            })
            .collect();
        // A build uses about every entry: made at their size, the maps are not grown (and
        // their front matters moved) under the lock the reading threads share.
        let used = Used {
            fronts: HashMap::with_capacity(fronts.len()),
            files: HashMap::with_capacity(files.len()),
        };
        Ok(SourceCache {
            fronts,
            files,
            payload,
            used: Mutex::new(used),
            ..SourceCache::default()
        })
    }

    /// Sets what, besides its file and YAML, a front matter is parsed with: the site's
    /// settings (`site.toml`: its time zone, its languages).
    pub(crate) fn set_settings(&mut self, settings: u64) {
        self.settings = settings;
    }

    fn used(&self) -> MutexGuard<'_, Used> {
        self.used.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn key(&self, path: &Path, yaml: u64) -> u64 {
        fingerprint((self.settings, path, yaml))
    }

    /// The front matter kept under `key`, decoded.
    fn decoded(&self, key: u64) -> Option<FrontMatter> {
        let range = self.fronts.get(&key)?.clone();
        postcard::from_bytes(&self.payload[range]).ok()
    }

    /// Writes what this build used and read, unless it is what was read from the cache.
    pub(super) fn save(&self, cache: &BuildCache, all: bool) -> std::io::Result<()> {
        match self.kept(all)? {
            Some(payload) => cache.write_payload(SOURCES_FILE, &payload),
            None => Ok(()),
        }
    }

    /// What this build used and read, as the cache file holds it ([`Saved`]); `None` when
    /// it is what was read from the cache, unless `all` of it is wanted.
    fn kept(&self, all: bool) -> std::io::Result<Option<Vec<u8>>> {
        let used = self.used();
        let unchanged = used.fronts.values().all(Option::is_none)
            && used.fronts.len() == self.fronts.len()
            && used.files.values().all(Option::is_none)
            && used.files.len() == self.files.len();
        if unchanged && !all {
            return Ok(None);
        }
        let encode = |front| postcard::to_stdvec(front).map_err(std::io::Error::other);
        let fresh: Vec<(u64, Vec<u8>)> = used
            .fronts
            .iter()
            .filter_map(|(key, front)| Some((*key, front.as_ref()?)))
            .map(|(key, front)| Ok((key, encode(front)?)))
            .collect::<std::io::Result<_>>()?;
        let kept = used.fronts.iter().filter_map(|(key, front)| match front {
            Some(_) => None,
            None => Some((*key, &self.payload[self.fronts.get(key)?.clone()])),
        });
        let fronts: Vec<(u64, Blob)> = fresh
            .iter()
            .map(|(key, bytes)| (*key, Blob(bytes)))
            .chain(kept.map(|(key, bytes)| (key, Blob(bytes))))
            .collect();
        let files = Files(&used.files, &self.files);
        let payload = postcard::to_stdvec(&(fronts, files)).map_err(std::io::Error::other)?;
        Ok(Some(payload))
    }
}

/// The files this build used (from the cache, `None`) or read again, written as a map
/// straight from the two, not hashed into another map only to be written.
struct Files<'a>(
    &'a HashMap<PathBuf, Option<Seen>>,
    &'a HashMap<PathBuf, Seen>,
);

impl Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Files(used, read) = self;
        // Postcard writes a map's length first.
        let files: Vec<(&PathBuf, &Seen)> = used
            .iter()
            .filter_map(|(path, seen)| Some((path, seen.as_ref().or(read.get(path))?)))
            .collect();
        serializer.collect_map(files)
    }
}

impl KnownSources for SourceCache {
    fn front(&self, path: &Path, yaml: &str) -> Option<FrontMatter> {
        let key = self.key(path, fingerprint(yaml));
        let front = self.decoded(key)?;
        self.used().fronts.insert(key, None);
        Some(front)
    }

    fn keep_front(&self, path: &Path, yaml: &str, front: &FrontMatter) {
        let key = self.key(path, fingerprint(yaml));
        self.used().fronts.insert(key, Some(front.clone()));
    }

    fn unchanged(&self, path: &Path, stamp: &Stamp) -> Option<Source> {
        let seen = self.files.get(path).filter(|seen| seen.stamp == *stamp)?;
        let key = self.key(path, seen.yaml);
        let front = self.decoded(key)?;
        let mut used = self.used();
        used.fronts.insert(key, None);
        used.files.insert(path.to_path_buf(), None);
        drop(used);
        Some(Source {
            path: path.to_path_buf(),
            front,
            body: None,
            body_line: seen.body_line,
            digest: seen.digest,
            comments: Vec::new(),
        })
    }

    fn keep_read(&self, stamp: &Stamp, yaml: &str, source: &Source) {
        let seen = Seen {
            stamp: *stamp,
            yaml: fingerprint(yaml),
            digest: source.digest,
            body_line: source.body_line,
        };
        self.used().files.insert(source.path.clone(), Some(seen));
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::{BuildOptions, Config};

    fn config() -> Config {
        let options = BuildOptions {
            now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            ..BuildOptions::default()
        };
        let toml =
            "title = \"T\"\nbase_url = \"https://t.example/\"\ntimezone = \"Europe/Paris\"\n";
        Config::parse(toml, &options).unwrap()
    }

    /// What the next build opens after this one.
    fn reopened(cache: &SourceCache, settings: u64) -> SourceCache {
        let payload = cache.kept(true).unwrap().expect("all of it");
        let mut next = SourceCache::open(Some(Mapped::from(payload))).unwrap();
        next.set_settings(settings);
        next
    }

    #[test]
    fn a_file_read_is_known_until_its_stamp_or_the_settings_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let yaml = "title: Sommet\ndate: 2025-02-11\n";
        let text = format!("---\n{yaml}---\n\nTexte.\n");
        std::fs::write(&file, &text).unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&file).unwrap());
        let path = PathBuf::from("content/a.md");
        let (source, _) = crate::content::parse_source(path.clone(), text.as_bytes(), &config());
        let source = source.unwrap();

        let cache = SourceCache::default();
        cache.keep_front(&path, yaml, &source.front);
        cache.keep_read(&stamp, yaml, &source);
        let next = reopened(&cache, 0);
        let known = next.unchanged(&path, &stamp).expect("known");
        assert_eq!(known.body, None, "the body is not read");
        assert_eq!(
            (known.digest, known.body_line),
            (source.digest, source.body_line)
        );
        assert_eq!(format!("{:?}", known.front), format!("{:?}", source.front));
        assert!(next.unchanged(Path::new("content/b.md"), &stamp).is_none());

        // What a build used is kept for the next one, once more; as it is what was read,
        // it need not be written.
        assert!(next.kept(false).unwrap().is_none());
        let after = reopened(&next, 0);
        assert!(after.unchanged(&path, &stamp).is_some());

        std::fs::write(&file, &text).unwrap();
        let written = Stamp::of(&std::fs::metadata(&file).unwrap());
        assert!(after.unchanged(&path, &written).is_none(), "written again");
        assert!(
            reopened(&next, 1).unchanged(&path, &stamp).is_none(),
            "other settings"
        );
    }

    #[test]
    fn every_kind_of_front_matter_value_comes_back_as_it_was_parsed() {
        let config = config();
        let text = "---\ntitle: \"Sommet\"\ndate: 2025-02-11 18:30\nupdated: 2025-02-12\n\
            authors: [\"Camille Martin\"]\ntags: [IA, Europe]\ncategory: Politique\n\
            description: Un sommet.\nimage:\n  src: /images/a.svg\n  alt: Une salle\n  \
            caption: Le Grand Palais\n  credit: AFP\n  focal: [0.3, 0.6]\n\
            embeds: [\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42\"]\n\
            comments:\n  mastodon: https://mastodon.social/@kiosque/113456789012345678\n\
            newsletter: false\nslug: sommet-ia\naliases: [/old/sommet/]\nlang: fr\n\
            translation_key: sommet\nguid: \"https://old.example/?p=12\"\n\
            rubrique: {niveau: 2, liste: [a, 1, true, null]}\n---\n\nTexte.\n";
        let (source, errors) =
            crate::content::parse_source(PathBuf::from("content/a.md"), text.as_bytes(), &config);
        assert!(errors.is_empty(), "{errors:?}");
        let front = source.unwrap().front;
        let bytes = postcard::to_stdvec(&front).unwrap();
        let back: crate::content::FrontMatter = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(format!("{back:?}"), format!("{front:?}"));
        assert!(!front.embeds.is_empty() && front.image.unwrap().focal.is_some());
    }
}
