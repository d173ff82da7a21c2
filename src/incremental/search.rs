//! The search index in the preview: made on a thread of its own after a change, as images
//! are, so that a save reloads the page at once. Until then the index served is the last
//! one, unless a page it lists is gone or moved: then that part's index is taken down at once,
//! so that no result leads to a page that no longer exists.

use std::collections::{HashMap, HashSet};

use crate::fingerprint::fingerprint;
use crate::search::PartIndex;
use crate::site::Site;

/// Files of an index by output path, with their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// The index of each part as served, and the one being made.
#[derive(Default)]
pub(super) struct SearchIndexes {
    /// By part: what its served index was made from, none when it has none.
    parts: Vec<Option<Made>>,
    /// Whether a batch is being indexed: one at a time.
    running: bool,
    /// Indexes made since the last render, to be served by the next.
    done: Vec<PartDone>,
}

/// A part's index as served.
struct Made {
    version: u64,
    /// The site paths of the pages it lists.
    paths: HashSet<String>,
    /// Its files by output path, with their digests.
    files: Vec<(String, u64)>,
}

/// Parts of the site to index away from the preview.
pub struct SearchJobs(Vec<PartJob>);

struct PartJob {
    part: usize,
    version: u64,
    paths: HashSet<String>,
    index: PartIndex,
}

/// Indexes made away from the preview, for [`super::Project::search_done`].
#[derive(Default)]
pub struct SearchDone(Vec<PartDone>);

struct PartDone {
    part: usize,
    version: u64,
    paths: HashSet<String>,
    files: Files,
}

impl SearchJobs {
    /// Indexes each part; this takes seconds on a big site.
    pub fn run(self) -> SearchDone {
        SearchDone(
            self.0
                .into_iter()
                .map(|job| PartDone {
                    part: job.part,
                    version: job.version,
                    paths: job.paths,
                    files: job.index.write(),
                })
                .collect(),
        )
    }
}

fn paths(site: &Site) -> HashSet<String> {
    site.articles.iter().map(|a| a.path.clone()).collect()
}

impl SearchIndexes {
    /// Brings the served indexes in line with the model: takes in those made since, unless
    /// they list a page gone meanwhile, and takes down those that do. Returns the new files,
    /// and the digest of every index file to serve.
    pub(super) fn refresh(&mut self, sites: &[Site]) -> (Files, HashMap<String, u64>) {
        self.parts.resize_with(sites.len(), || None);
        self.parts.truncate(sites.len());
        let now: Vec<HashSet<String>> = sites.iter().map(paths).collect();
        let mut new = Vec::new();
        for done in std::mem::take(&mut self.done) {
            let files = done.files;
            if done.part >= sites.len() || !done.paths.is_subset(&now[done.part]) {
                continue;
            }
            let digests = files
                .iter()
                .map(|(path, bytes)| (path.clone(), fingerprint(bytes)))
                .collect();
            self.parts[done.part] = Some(Made {
                version: done.version,
                paths: done.paths,
                files: digests,
            });
            new.extend(files);
        }
        for (part, site) in sites.iter().enumerate() {
            let gone = self.parts[part]
                .as_ref()
                .is_some_and(|made| !made.paths.is_subset(&now[part]));
            if gone || !site.config.search.enabled {
                self.parts[part] = None;
            }
        }
        let served: HashMap<String, u64> = self
            .parts
            .iter()
            .flatten()
            .flat_map(|made| made.files.iter().cloned())
            .collect();
        new.retain(|(path, _)| served.contains_key(path));
        (new, served)
    }

    /// The parts whose index is behind the model, unless a batch is being made.
    pub(super) fn jobs(&mut self, sites: &[Site]) -> Option<SearchJobs> {
        if self.running {
            return None;
        }
        let jobs: Vec<PartJob> = sites
            .iter()
            .enumerate()
            .filter(|(_, site)| site.config.search.enabled)
            .filter_map(|(part, site)| {
                let version = crate::search::version(site);
                let current = self.parts.get(part).and_then(Option::as_ref);
                if current.is_some_and(|made| made.version == version) {
                    return None;
                }
                Some(PartJob {
                    part,
                    version,
                    paths: paths(site),
                    index: PartIndex::of(site),
                })
            })
            .collect();
        if jobs.is_empty() {
            return None;
        }
        self.running = true;
        Some(SearchJobs(jobs))
    }

    /// Takes in indexes made away from the preview (none if their batch panicked).
    pub(super) fn done(&mut self, done: SearchDone) {
        self.running = false;
        self.done.extend(done.0);
    }
}
