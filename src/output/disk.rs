//! Writing a build to disk: every file into a staging folder next to the output folder, then
//! the two swapped, so that the output folder always holds a complete site.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Body, MARKER, Outputs, Staging};
use crate::diagnostics::Error;

/// What becomes of the previous output once the new one is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// It is deleted.
    Delete,
    /// It is kept beside the output folder (`.<name>.kiosque-spare`) to be the next build's
    /// staging folder, which then changes only the files that changed: creating and deleting
    /// thousands of files and folders at every build slows every write on ext4 for a while
    /// after. The files the new output kept from it are hard links to the same files, so the
    /// spare costs the disk little more than the files that changed.
    Spare,
}

/// Writes every file into a staging folder next to `target`, then swaps it into place, and
/// deletes the previous output.
///
/// Refuses to replace a non-empty folder that Kiosque did not create, and to write any file
/// whose path would lead out of the output folder.
pub fn write_to_disk(outputs: &Outputs, target: &Path) -> Result<(), Error> {
    write_to_disk_keeping(outputs, target, Previous::Delete)
}

/// [`write_to_disk`], the previous output kept as `previous` says.
pub fn write_to_disk_keeping(
    outputs: &Outputs,
    target: &Path,
    previous: Previous,
) -> Result<(), Error> {
    if let Some(path) = outputs.paths().find(|p| !stays_inside(p)) {
        return Err(Error::Output {
            path: target.join(path),
            source: std::io::Error::other(format!(
                "refusing to write `{path}`: the path leads out of the output folder"
            )),
        });
    }
    Staging::open(target, previous)?.finish(outputs)
}

/// Refuses an output folder that is not empty and that Kiosque did not create.
pub fn check_target(target: &Path) -> Result<(), Error> {
    if target.exists() && !target.join(MARKER).exists() && !is_empty_dir(target) {
        return Err(Error::Output {
            path: target.to_path_buf(),
            source: std::io::Error::other(format!(
                "refusing to replace a folder Kiosque did not create (no {MARKER} in it); \
                 remove it or choose another --output"
            )),
        });
    }
    Ok(())
}

/// Writes one file: never into a file already there, which may be a link to a file of the
/// output in place.
pub(super) fn write_file(body: &Body, path: &Path) -> Result<(), Error> {
    let written = match body {
        Body::Bytes(bytes) => fs::write(path, bytes),
        // On Linux, copy_file_range: a clone where the file system can.
        Body::Copy(from) => fs::copy(from, path).map(drop),
        // Where the two cannot be linked (another file system), a copy is the same file.
        Body::Link(kept) => {
            fs::hard_link(&kept.path, path).or_else(|_| fs::copy(&kept.path, path).map(drop))
        }
        Body::Written(_) => Ok(()),
    };
    written.map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes the marker that lets a later build replace the folder.
pub(super) fn write_marker(staging: &Path) -> Result<(), Error> {
    let marker = staging.join(MARKER);
    let _ = fs::remove_file(&marker);
    fs::write(
        &marker,
        b"This folder is written by Kiosque and replaced at every build.\n",
    )
    .map_err(|source| Error::Output {
        path: marker,
        source,
    })
}

/// Writes into a fresh staging folder every file not written yet.
pub(super) fn write_all(outputs: &Outputs, staging: &Path) -> Result<(), Error> {
    let unwritten: Vec<(&String, &Body)> = outputs
        .files
        .iter()
        .filter(|(_, body)| !matches!(body, Body::Written(_)))
        .collect();
    let mut dirs: Vec<PathBuf> = unwritten
        .iter()
        .filter_map(|(p, _)| Path::new(p).parent().map(|d| staging.join(d)))
        .collect();
    dirs.push(staging.to_path_buf());
    dirs.sort();
    dirs.dedup();
    // In parallel: a site of 100,000 articles has as many folders, a few seconds one by one.
    // Two threads making the same parent both succeed (`create_dir_all` takes a folder made
    // meanwhile as made).
    dirs.par_iter().try_for_each(|dir| {
        fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.clone(),
            source,
        })
    })?;
    unwritten
        .par_iter()
        .try_for_each(|(path, body)| write_file(body, &staging.join(path)))?;
    write_marker(staging)
}

/// Puts the new folder in place of the old one, then deletes the old one, or keeps it as
/// `spare`.
///
/// On Linux the two are exchanged atomically, so `target` always holds a complete site;
/// elsewhere (or on a file system that cannot exchange) two renames leave a brief gap.
pub(super) fn swap(staging: &Path, target: &Path, spare: Option<&Path>) -> Result<(), Error> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    if !target.exists() {
        return fs::rename(staging, target).map_err(fail(target));
    }
    let old = if exchange(staging, target).is_ok() {
        staging.to_path_buf()
    } else {
        let old = staging.with_file_name(format!(
            "{}.old",
            staging.file_name().unwrap_or_default().to_string_lossy()
        ));
        fs::rename(target, &old).map_err(fail(target))?;
        if let Err(error) = fs::rename(staging, target) {
            let _ = fs::rename(&old, target);
            return Err(fail(target)(error));
        }
        old
    };
    match spare {
        Some(spare) if fs::rename(&old, spare).is_ok() => Ok(()),
        _ => fs::remove_dir_all(&old).map_err(fail(&old)),
    }
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
pub(super) fn remove_abandoned_staging(parent: &Path, prefix: &str) {
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
pub(super) fn stays_inside(path: &str) -> bool {
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

    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).unwrap().ino()
    }

    fn link(path: PathBuf) -> Body {
        Body::Link(crate::output::Kept::of(path).unwrap())
    }

    #[test]
    fn a_spare_becomes_the_next_staging_folder_holding_exactly_the_new_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let spare = dir.path().join(".public.kiosque-spare");
        let outputs = |files: &[(&str, Body)]| {
            let mut outputs = Outputs::default();
            for (path, body) in files {
                outputs.insert_file(path, body.clone());
            }
            outputs
        };
        let bytes = |text: &str| Body::Bytes(text.as_bytes().to_vec());
        let first = outputs(&[
            ("index.html", bytes("home")),
            ("a/b/index.html", bytes("b")),
            ("gone/deep/index.html", bytes("gone")),
        ]);
        write_to_disk_keeping(&first, &target, Previous::Spare).unwrap();
        let second = outputs(&[
            ("index.html", bytes("home 2")),
            ("a/b/index.html", bytes("b")),
        ]);
        write_to_disk_keeping(&second, &target, Previous::Spare).unwrap();
        assert!(
            spare.join("gone/deep/index.html").is_file(),
            "the first output is the spare"
        );
        let kept = inode(&target.join("a/b/index.html"));
        let third = outputs(&[
            ("index.html", link(target.join("index.html"))),
            ("a/b/index.html", link(target.join("a/b/index.html"))),
            ("a/c.txt", bytes("c")),
        ]);
        write_to_disk_keeping(&third, &target, Previous::Spare).unwrap();
        let mut files: Vec<String> = walkdir::WalkDir::new(&target)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&target)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        files.sort();
        assert_eq!(files, [MARKER, "a/b/index.html", "a/c.txt", "index.html"]);
        assert!(
            !target.join("gone").exists(),
            "folders no longer produced are gone"
        );
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "home 2"
        );
        assert_eq!(
            inode(&target.join("a/b/index.html")),
            kept,
            "a kept file is the same file"
        );
        // The second output, now the spare, still holds what it held: nothing was written
        // into a file the two outputs share.
        assert_eq!(
            fs::read_to_string(spare.join("index.html")).unwrap(),
            "home 2"
        );
        assert!(!spare.join("a/c.txt").exists());

        write_to_disk(&third, &target).unwrap();
        assert!(
            !spare.exists(),
            "a build that keeps no spare deletes the old one"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
