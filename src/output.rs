//! Output stage, the only place that writes: a memory sink of rendered files, and a disk build
//! that is staged beside the target folder and swapped into place only once complete, so a
//! failed or interrupted build leaves the previous site as it was.

use std::borrow::Cow;
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
    files: BTreeMap<String, Body>,
}

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Bytes in memory: pages, feeds, static files.
    Bytes(Vec<u8>),
    /// A file on disk copied at write time: a static file of the site or a processed image
    /// of the image cache, which a site of thousands of photos could not hold in memory.
    /// Copied, never linked: a tool rewriting the output in place must not reach the sources
    /// or the cache.
    Copy(PathBuf),
    /// A file of the previous output that is the same in this one: linked into the new
    /// output, not written, so that it keeps its inode and modification time. Only ever a
    /// file of the output being replaced, which no longer exists once the new one is in place.
    Link(PathBuf),
}

impl Body {
    /// Its bytes, read from disk for a copy.
    pub fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Body::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Body::Copy(path) | Body::Link(path) => fs::read(path).map(Cow::Owned),
        }
    }

    /// Its size in bytes (zero for a copy whose file is gone).
    fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Copy(path) | Body::Link(path) => fs::metadata(path).map_or(0, |m| m.len()),
        }
    }
}

impl Outputs {
    /// Adds a page or feed at a site path (see [`output_file`]).
    pub fn insert(&mut self, site_path: &str, bytes: Vec<u8>) {
        self.files
            .insert(output_file(site_path), Body::Bytes(bytes));
    }

    /// Adds a file at exactly this output path (`CNAME`, `images/a.svg`); returns false, and
    /// changes nothing, if another file already has that path.
    pub fn insert_file(&mut self, path: &str, body: Body) -> bool {
        match self.files.entry(path.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(body);
                true
            }
        }
    }

    /// The bytes of a file held in memory at an output path (`index.html`,
    /// `tags/rust/index.html`); `None` for a file copied from disk (see [`Outputs::read`]).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            Body::Bytes(bytes) => Some(bytes),
            Body::Copy(_) | Body::Link(_) => None,
        }
    }

    /// The bytes of any file at an output path, read from disk for a copy.
    pub fn read(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        self.files.get(path)?.read().ok()
    }

    /// What the file at an output path holds.
    pub fn body(&self, path: &str) -> Option<&Body> {
        self.files.get(path)
    }

    /// Whether there is a file at this output path.
    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
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

    /// Number of files kept from the previous output (see [`Body::Link`]).
    pub fn kept(&self) -> usize {
        let linked = self.files.values().filter(|b| matches!(b, Body::Link(_)));
        linked.count()
    }

    /// Total size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(Body::len).sum()
    }

    /// Whether a site path has an output.
    pub fn contains(&self, site_path: &str) -> bool {
        self.files.contains_key(&output_file(site_path))
    }
}

/// What a rebuild changes in the outputs.
#[derive(Debug, Default)]
pub struct Patch {
    /// Files written or replaced, by output path.
    pub files: Vec<(String, Body)>,
    /// Output paths no longer produced.
    pub removed: Vec<String>,
    /// Whether `files` are all the outputs, the others to be dropped (after a full rebuild).
    pub whole: bool,
    /// Pages, feeds and other generated files rendered (static files copied are not).
    pub rendered: usize,
}

impl Patch {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.removed.is_empty() && !self.whole
    }

    /// Output paths it writes or removes.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        let written = self.files.iter().map(|(path, _)| path.as_str());
        written.chain(self.removed.iter().map(String::as_str))
    }
}

impl Outputs {
    /// Brings the outputs up to date.
    pub fn apply(&mut self, patch: Patch) {
        if patch.whole {
            self.files.clear();
        }
        for path in &patch.removed {
            self.files.remove(path);
        }
        self.files.extend(patch.files);
    }
}

/// Writes every file into a staging folder next to `target`, then swaps it into place.
///
/// Refuses to replace a non-empty folder that Kiosque did not create, and to write any file
/// whose path would lead out of the output folder.
pub fn write_to_disk(outputs: &Outputs, target: &Path) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    if let Some(path) = outputs.paths().find(|p| !stays_inside(p)) {
        return Err(Error::Output {
            path: target.join(path),
            source: std::io::Error::other(format!(
                "refusing to write `{path}`: the path leads out of the output folder"
            )),
        });
    }
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
    let prefix = format!(".{name}.kiosque-staging-");
    remove_abandoned_staging(parent, &prefix);
    let staging = parent.join(format!("{prefix}{}", std::process::id()));
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
    outputs.files.par_iter().try_for_each(|(path, body)| {
        let path = staging.join(path);
        let written = match body {
            Body::Bytes(bytes) => fs::write(&path, bytes),
            // On Linux, copy_file_range: a clone where the file system can.
            Body::Copy(from) => fs::copy(from, &path).map(drop),
            // Where the two cannot be linked (another file system), a copy is the same file.
            Body::Link(from) => {
                fs::hard_link(from, &path).or_else(|_| fs::copy(from, &path).map(drop))
            }
        };
        written.map_err(|source| Error::Output { path, source })
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

/// Puts the new folder in place of the old one, then deletes the old one.
///
/// On Linux the two are exchanged atomically, so `target` always holds a complete site;
/// elsewhere (or on a file system that cannot exchange) two renames leave a brief gap.
fn swap(staging: &Path, target: &Path) -> Result<(), Error> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    if !target.exists() {
        return fs::rename(staging, target).map_err(fail(target));
    }
    if exchange(staging, target).is_ok() {
        return fs::remove_dir_all(staging).map_err(fail(staging));
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

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Deletes staging folders that builds killed before their swap left behind; a live build's
/// staging folder belongs to a running process and is left alone.
fn remove_abandoned_staging(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(prefix) else {
            continue;
        };
        let pid = pid.trim_end_matches(".old");
        if pid != std::process::id().to_string() && !process_alive(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id runs; where that cannot be told, it is assumed to, so a
/// concurrent build's staging folder is never deleted.
fn process_alive(pid: &str) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid).exists()
    } else {
        true
    }
}

/// Whether an output path names a file inside the output folder: relative, made of plain
/// names only (no `..`, no root, no drive, no `\\` that Windows would read as a separator).
fn stays_inside(path: &str) -> bool {
    use std::path::Component;
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
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
    fn refuses_paths_that_lead_out_of_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site").join("public");
        for path in [
            "../escape.html",
            "a/../../escape.html",
            "/tmp/escape.html",
            "a\\..\\..\\x",
            "",
        ] {
            let mut outputs = Outputs::default();
            outputs.insert_file("index.html", Body::Bytes(b"ok".to_vec()));
            outputs.insert_file(path, Body::Bytes(b"evil".to_vec()));
            let error = write_to_disk(&outputs, &target).unwrap_err();
            assert!(
                crate::diagnostics::error_chain(&error).contains("leads out of the output folder"),
                "{path}: {error}"
            );
            assert!(!dir.path().join("site").exists(), "{path}: nothing written");
        }
        assert!(stays_inside("2025/02/a/index.html") && stays_inside(".well-known/x.txt"));
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

    #[test]
    fn removes_staging_left_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let abandoned = dir.path().join(".public.kiosque-staging-4000000000");
        fs::create_dir_all(abandoned.join("2025")).unwrap();
        write_to_disk(&Outputs::default(), &target).unwrap();
        assert!(!abandoned.exists());
        assert!(target.join(MARKER).exists());
    }

    #[test]
    fn swaps_in_place_of_the_previous_build() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        for round in ["one", "two"] {
            let mut outputs = Outputs::default();
            outputs.insert("/", round.as_bytes().to_vec());
            write_to_disk(&outputs, &target).unwrap();
            assert_eq!(
                fs::read_to_string(target.join("index.html")).unwrap(),
                round
            );
        }
    }
}
