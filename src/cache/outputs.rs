//! The record of the output folder a build wrote, and what the next build keeps of it.
//!
//! Each file is recorded with the fingerprint of what it shows (for the files rendered from
//! the model), a digest of its bytes, and its identity on disk (inode, size, modification
//! time). A later build keeps a file, linking it into the new output instead of writing it,
//! when its fingerprint is the same (it is then not even rendered) or its new bytes have the
//! same digest, and only if the file on disk is still the one recorded: an output folder
//! touched by hand is never trusted. Kept files keep their inode and modification time, so
//! `rsync` and deploy tools upload only what changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::output::Kept;
use crate::search::Memo;

/// File of the record in the cache folder.
pub(super) const RECORD_FILE: &str = "outputs.bin";

/// The output folder a build wrote.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Record {
    /// What the fingerprints were computed under (see [`Keeper::new`]): under other
    /// settings, only digests are compared.
    settings: u64,
    /// The output folder, canonical.
    output: PathBuf,
    files: HashMap<String, File>,
    /// By part of the site: what its search index was made from, none when it has none.
    search: Vec<Option<PartSearch>>,
}

/// A record as a build writes it: its files in a list, not hashed into a map only to be
/// written, which reads back as the map of [`Record`] (a map is written as its pairs).
#[derive(Serialize)]
pub(crate) struct Recorded {
    settings: u64,
    output: PathBuf,
    files: Pairs,
    search: Vec<Option<PartSearch>>,
}

/// Output files and what was recorded of each, written as a map.
struct Pairs(Vec<(String, File)>);

impl Serialize for Pairs {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(path, file)| (path, file)))
    }
}

/// What a part's search index was made from: the part's version (`search::version`), and
/// what each page gave it.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PartSearch {
    version: u64,
    memo: Memo,
}

/// One output file as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct File {
    /// The fingerprint of what it shows, for a file rendered from the model.
    print: Option<u64>,
    digest: u64,
    stat: Stat,
}

/// What tells a file on disk from another: a file rewritten has another inode or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stat {
    device: u64,
    inode: u64,
    size: u64,
    modified: i128,
}

impl Stat {
    fn of(path: &Path) -> Option<Stat> {
        let metadata = std::fs::symlink_metadata(path).ok()?;
        if !metadata.is_file() {
            return None;
        }
        #[cfg(unix)]
        let (device, inode, modified) = {
            use std::os::unix::fs::MetadataExt;
            let nanos = i128::from(metadata.mtime()) * 1_000_000_000;
            let modified = nanos + i128::from(metadata.mtime_nsec());
            (metadata.dev(), metadata.ino(), modified)
        };
        #[cfg(not(unix))]
        let (device, inode, modified) = {
            let since = metadata
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH);
            (0, 0, since.ok()?.as_nanos() as i128)
        };
        Some(Stat {
            device,
            inode,
            size: metadata.len(),
            modified,
        })
    }
}

/// What a build keeps of the previous output, and what it writes, for the next record.
pub(crate) struct Keeper {
    old: Option<Record>,
    /// The previous search indexes, taken out of `old` as they are reused.
    old_search: Mutex<Vec<Option<PartSearch>>>,
    /// The previous index files by digest, once asked for.
    index_files: OnceLock<HashMap<u64, String>>,
    /// Whether the old fingerprints mean what the new ones do.
    trusted: bool,
    target: PathBuf,
    settings: u64,
    made: Mutex<Made>,
}

#[derive(Default)]
struct Made {
    /// Each file of the new output: its fingerprint, its digest, and its identity on disk
    /// when it is a file kept, which a link does not change.
    files: Vec<(String, Option<u64>, u64, Option<Stat>)>,
    search: Vec<Option<PartSearch>>,
}

impl Keeper {
    /// Keeps files of the output folder `target` as `record` describes it. `settings` is a
    /// fingerprint of what every output depends on besides the model and the templates
    /// (`site.toml`, the build options, the year): fingerprints are compared only when it is
    /// the same.
    pub(crate) fn new(record: Option<Record>, target: &Path, settings: u64) -> Keeper {
        let canonical = canonical(target);
        let mut old = record.filter(|r| r.output == canonical);
        let trusted = old.as_ref().is_some_and(|r| r.settings == settings);
        let search = old
            .as_mut()
            .filter(|_| trusted)
            .map(|r| std::mem::take(&mut r.search));
        Keeper {
            trusted,
            old_search: Mutex::new(search.unwrap_or_default()),
            index_files: OnceLock::new(),
            old,
            target: target.to_path_buf(),
            settings,
            made: Mutex::default(),
        }
    }

    fn made(&self) -> MutexGuard<'_, Made> {
        lock(&self.made)
    }

    /// The recorded file at `file`, if it is still on disk as written.
    fn intact(&self, file: &str) -> Option<(&File, Kept)> {
        let recorded = self.old.as_ref()?.files.get(file)?;
        let path = self.target.join(file);
        let stat = recorded.stat;
        let kept = Kept {
            path,
            device: stat.device,
            inode: stat.inode,
            size: stat.size,
        };
        (Stat::of(&kept.path) == Some(stat)).then_some((recorded, kept))
    }

    /// The previous file to keep for an output showing what `print` fingerprints, if it
    /// showed the same.
    pub(crate) fn rendered(&self, file: &str, print: u64) -> Option<Kept> {
        if !self.trusted {
            return None;
        }
        let (recorded, kept) = self.intact(file)?;
        if recorded.print != Some(print) {
            return None;
        }
        let (digest, stat) = (recorded.digest, Some(recorded.stat));
        self.made()
            .files
            .push((file.to_string(), Some(print), digest, stat));
        Some(kept)
    }

    /// The previous file to keep for an output of these bytes (their `digest`), if it held
    /// the same; `print` is the new fingerprint of a rendered file.
    pub(crate) fn same(&self, file: &str, print: Option<u64>, digest: u64) -> Option<Kept> {
        let kept = self
            .intact(file)
            .filter(|(recorded, _)| recorded.digest == digest);
        let stat = kept.as_ref().map(|(recorded, _)| recorded.stat);
        self.made()
            .files
            .push((file.to_string(), print, digest, stat));
        kept.map(|(_, kept)| kept)
    }

    /// The previous files of a part's search index (under `dir`, an output folder) to keep,
    /// if it was made from the same `version` of the part.
    pub(crate) fn index(
        &self,
        part: usize,
        dir: &str,
        version: u64,
    ) -> Option<Vec<(String, Kept)>> {
        let old = self.old.as_ref().filter(|_| self.trusted)?;
        let mut old_search = lock(&self.old_search);
        let slot = old_search.get_mut(part)?;
        if slot.as_ref().map(|s| s.version) != Some(version) {
            return None;
        }
        let files: Vec<&String> = old
            .files
            .keys()
            .filter(|f| f.starts_with(dir) && crate::search::is_index_file(f))
            .collect();
        let kept: Vec<(String, Kept)> = files
            .iter()
            .map(|file| Some(((*file).clone(), self.intact(file)?.1)))
            .collect::<Option<_>>()?;
        let search = slot.take();
        drop(old_search);
        let mut made = self.made();
        for (file, _) in &kept {
            let recorded = &old.files[file];
            let known = (None, recorded.digest, Some(recorded.stat));
            made.files.push((file.clone(), known.0, known.1, known.2));
        }
        made.set_search(part, search);
        Some(kept)
    }

    /// What each page gave a part's index last time, to make it again from.
    pub(crate) fn memo(&self, part: usize) -> Memo {
        let mut old_search = lock(&self.old_search);
        let slot = old_search.get_mut(part).and_then(Option::take);
        slot.map(|s| s.memo).unwrap_or_default()
    }

    /// Records that a part's search index is made from `version`, and what its pages gave.
    pub(crate) fn indexed(&self, part: usize, version: u64, memo: Memo) {
        self.made()
            .set_search(part, Some(PartSearch { version, memo }));
    }

    /// A file of a previous search index that holds these bytes (their `digest`), if it is
    /// still on disk as written.
    pub(crate) fn index_file(&self, digest: u64) -> Option<Kept> {
        Some(self.intact(self.index_files().get(&digest)?)?.1)
    }

    /// The previous index files by digest.
    fn index_files(&self) -> &HashMap<u64, String> {
        self.index_files.get_or_init(|| {
            let Some(old) = self.old.as_ref() else {
                return HashMap::new();
            };
            let files = old.files.iter();
            let index = files.filter(|(f, _)| crate::search::is_index_file(f));
            index.map(|(f, r)| (r.digest, f.clone())).collect()
        })
    }

    /// The digest of every file of the new output known so far, by output path.
    pub(crate) fn digests(&self) -> HashMap<String, u64> {
        let made = self.made();
        made.files
            .iter()
            .map(|(file, _, d, _)| (file.clone(), *d))
            .collect()
    }

    /// Records a file of the previous search index (see [`Keeper::index_file`]) kept under
    /// another name.
    pub(crate) fn moved(&self, file: &str, digest: u64) {
        let old = self.old.as_ref();
        let was = self.index_files().get(&digest);
        let stat = old
            .zip(was)
            .and_then(|(old, was)| Some(old.files.get(was)?.stat));
        self.made()
            .files
            .push((file.to_string(), None, digest, stat));
    }

    /// The record of the output folder once written: each file's identity read back.
    pub(crate) fn record(self) -> Recorded {
        let made = self.made.into_inner().unwrap_or_else(|p| p.into_inner());
        let target = &self.target;
        let files = made
            .files
            .into_par_iter()
            .filter_map(|(file, print, digest, known)| {
                let stat = known.or_else(|| Stat::of(&target.join(&file)))?;
                Some((
                    file,
                    File {
                        print,
                        digest,
                        stat,
                    },
                ))
            })
            .collect();
        Recorded {
            settings: self.settings,
            output: canonical(target),
            files: Pairs(files),
            search: made.search,
        }
    }
}

impl Made {
    fn set_search(&mut self, part: usize, search: Option<PartSearch>) {
        if self.search.len() <= part {
            self.search.resize_with(part + 1, || None);
        }
        self.search[part] = search;
    }
}

/// A lock that a panicked holder left usable: what it guards is only bookkeeping.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_written_from_its_list_reads_back_as_its_map() {
        let file = |n: u64| File {
            print: Some(n),
            digest: n * 7,
            stat: Stat {
                device: 1,
                inode: n,
                size: 10 * n,
                modified: i128::from(n) << 40,
            },
        };
        let recorded = Recorded {
            settings: 42,
            output: PathBuf::from("/site/public"),
            files: Pairs(vec![
                ("index.html".into(), file(1)),
                ("a/b.html".into(), file(2)),
            ]),
            search: vec![None, Some(PartSearch::default())],
        };
        let bytes = postcard::to_stdvec(&recorded).unwrap();
        let record: Record = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(
            (record.settings, record.output.as_path()),
            (42, Path::new("/site/public"))
        );
        let expected = HashMap::from([
            ("index.html".to_string(), file(1)),
            ("a/b.html".into(), file(2)),
        ]);
        assert_eq!(record.files, expected);
        assert!(record.search[0].is_none() && record.search[1].is_some());
    }
}
