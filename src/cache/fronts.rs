//! Front matter as parsed, keyed by the file, its YAML and the site's settings: parsing the
//! YAML of every article again (twice: values, then where each key is written) was a fifth
//! of a one-article rebuild. Only front matter parsed without a problem is kept, so that a
//! warning is reported at every build.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use super::BuildCache;
use crate::content::{FrontMatter, KnownFronts};
use crate::fingerprint::fingerprint;

/// File of the front matter in the cache folder.
pub(super) const FRONTS_FILE: &str = "fronts.bin";

/// The front matter read from the cache, and what this build used or parsed.
#[derive(Default)]
pub(crate) struct FrontCache {
    /// What every key is made with: the site's settings.
    settings: u64,
    known: HashMap<u64, FrontMatter>,
    /// Keys this build used: `None` for those it found known.
    used: Mutex<HashMap<u64, Option<FrontMatter>>>,
}

impl FrontCache {
    /// Reads the front matter of the cache; none when it is missing or ignored.
    pub(super) fn open(known: HashMap<u64, FrontMatter>) -> FrontCache {
        FrontCache {
            known,
            ..FrontCache::default()
        }
    }

    /// Sets what, besides its file and YAML, a front matter is parsed with: the site's
    /// settings (`site.toml`: its time zone, its languages).
    pub(crate) fn set_settings(&mut self, settings: u64) {
        self.settings = settings;
    }

    fn used(&self) -> MutexGuard<'_, HashMap<u64, Option<FrontMatter>>> {
        self.used.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn key(&self, path: &Path, yaml: &str) -> u64 {
        fingerprint((self.settings, path, yaml))
    }

    /// Writes the front matter this build used, unless it is what was read.
    pub(super) fn save(&self, cache: &BuildCache, all: bool) -> std::io::Result<()> {
        let used = std::mem::take(&mut *self.used());
        let unchanged = used.values().all(Option::is_none) && used.len() == self.known.len();
        if unchanged && !all {
            return Ok(());
        }
        let fronts: HashMap<u64, &FrontMatter> = used
            .iter()
            .filter_map(|(key, front)| Some((*key, front.as_ref().or(self.known.get(key))?)))
            .collect();
        cache.write(FRONTS_FILE, &fronts)
    }
}

impl KnownFronts for FrontCache {
    fn get(&self, path: &Path, yaml: &str) -> Option<FrontMatter> {
        let key = self.key(path, yaml);
        let front = self.known.get(&key)?.clone();
        self.used().insert(key, None);
        Some(front)
    }

    fn put(&self, path: &Path, yaml: &str, front: &FrontMatter) {
        let key = self.key(path, yaml);
        self.used().insert(key, Some(front.clone()));
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::config::{BuildOptions, Config};

    #[test]
    fn every_kind_of_front_matter_value_comes_back_as_it_was_parsed() {
        let options = BuildOptions {
            now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            ..BuildOptions::default()
        };
        let toml =
            "title = \"T\"\nbase_url = \"https://t.example/\"\ntimezone = \"Europe/Paris\"\n";
        let config = Config::parse(toml, &options).unwrap();
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
