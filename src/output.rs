//! Output stage, the only place that writes: a memory sink of rendered files, and a disk build
//! that is staged beside the target folder and swapped into place only once complete, so a
//! failed or interrupted build leaves the previous site as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Error;
use crate::site::output_file;

/// File written in every output folder, proving Kiosque made it and may replace it.
pub const MARKER: &str = ".kiosque-output";

/// Rendered files by output path (`2025/02/slug/index.html`, `atom.xml`).
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    files: BTreeMap<String, Vec<u8>>,
}

impl Outputs {
    /// Adds a page or feed at a site path (see [`output_file`]).
    pub fn insert(&mut self, site_path: &str, bytes: Vec<u8>) {
        self.files.insert(output_file(site_path), bytes);
    }

    /// Adds a file at exactly this output path (`CNAME`, `images/a.svg`); returns false, and
    /// changes nothing, if another file already has that path.
    pub fn insert_file(&mut self, path: &str, bytes: Vec<u8>) -> bool {
        match self.files.entry(path.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(bytes);
                true
            }
        }
    }

    /// The file at an output path (`index.html`, `tags/rust/index.html`).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The file at an output path, as text.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// Output paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there is no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total size in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Whether a site path has an output.
    pub fn contains(&self, site_path: &str) -> bool {
        self.files.contains_key(&output_file(site_path))
    }
}

/// Writes every file into a staging folder next to `target`, then swaps it into place.
///
/// Refuses to replace a non-empty folder that Kiosque did not create.
pub fn write_to_disk(outputs: &Outputs, target: &Path) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    if target.exists() && !target.join(MARKER).exists() && !is_empty_dir(target) {
        return Err(Error::Output {
            path: target.to_path_buf(),
            source: std::io::Error::other(format!(
                "refusing to replace a folder Kiosque did not create (no {MARKER} in it); \
                 remove it or choose another --output"
            )),
        });
    }
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.kiosque-staging-{}", std::process::id()));
    let result = write_all(outputs, &staging).and_then(|()| swap(&staging, target));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(outputs: &Outputs, staging: &Path) -> Result<(), Error> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(|source| Error::Output {
            path: staging.to_path_buf(),
            source,
        })?;
    }
    let mut dirs: Vec<PathBuf> = outputs
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|d| staging.join(d)))
        .collect();
    dirs.push(staging.to_path_buf());
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.clone(),
            source,
        })?;
    }
    outputs.files.par_iter().try_for_each(|(path, bytes)| {
        let path = staging.join(path);
        fs::write(&path, bytes).map_err(|source| Error::Output { path, source })
    })?;
    let marker = staging.join(MARKER);
    fs::write(
        &marker,
        b"This folder is written by Kiosque and replaced at every build.\n",
    )
    .map_err(|source| Error::Output {
        path: marker,
        source,
    })
}

/// Moves the old folder aside, the new one in, then deletes the old one.
fn swap(staging: &Path, target: &Path) -> Result<(), Error> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    if !target.exists() {
        return fs::rename(staging, target).map_err(fail(target));
    }
    let old = staging.with_file_name(format!(
        "{}.old",
        staging.file_name().unwrap_or_default().to_string_lossy()
    ));
    fs::rename(target, &old).map_err(fail(target))?;
    if let Err(error) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(fail(target)(error));
    }
    fs::remove_dir_all(&old).map_err(fail(&old))
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let error = write_to_disk(&Outputs::default(), dir.path()).unwrap_err();
        assert!(error.to_string().contains("cannot write output"));
        assert_eq!(
            fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn replaces_its_own_folder_without_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let mut first = Outputs::default();
        first.insert("/old/", b"old".to_vec());
        write_to_disk(&first, &target).unwrap();
        let mut second = Outputs::default();
        second.insert("/new/", b"new".to_vec());
        write_to_disk(&second, &target).unwrap();
        assert!(!target.join("old/index.html").exists());
        assert_eq!(
            fs::read_to_string(target.join("new/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging folder left"
        );
    }
}
