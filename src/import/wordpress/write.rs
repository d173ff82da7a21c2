//! Writing an import: every file staged first in a folder of its own under the root, then
//! moved into place, so that a failed import leaves the site as it was; a file already there
//! with the same bytes is left alone, so a second import of one export changes nothing.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::report::Report;
use super::{ImportError, Planned};

/// Writes the planned files under `root`; files with other content are replaced only with
/// `force`, and otherwise nothing at all is written.
pub(super) fn write(
    plan: &super::plan::Plan,
    root: &Path,
    force: bool,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut changed: Vec<&Planned> = Vec::new();
    let mut conflicts = Vec::new();
    for file in &plan.files {
        if !stays_inside(&file.path) {
            return Err(ImportError::Write {
                path: file.path.clone(),
                cause: std::io::Error::other("a path leading out of the site"),
            });
        }
        match fs::read(root.join(&file.path)) {
            Ok(bytes) if bytes == file.bytes => report.unchanged += 1,
            Ok(_) => {
                conflicts.push(file.path.clone());
                changed.push(file);
            }
            Err(_) => changed.push(file),
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(ImportError::Exists(conflicts));
    }
    let staging = root.join(format!(".kiosque-import-{}", std::process::id()));
    let result = stage(&changed, &staging).and_then(|()| move_into(&changed, &staging, root));
    let _ = fs::remove_dir_all(&staging);
    result?;
    report.written = changed.len();
    Ok(())
}

/// Writes the files into the staging folder.
fn stage(files: &[&Planned], staging: &Path) -> Result<(), ImportError> {
    for file in files {
        let path = staging.join(&file.path);
        let write = |path: &Path| {
            fs::create_dir_all(path.parent().unwrap_or(staging))?;
            fs::write(path, &file.bytes)
        };
        write(&path).map_err(|cause| ImportError::Write {
            path: file.path.clone(),
            cause,
        })?;
    }
    Ok(())
}

/// Moves the staged files to their places (a rename within one file system).
fn move_into(files: &[&Planned], staging: &Path, root: &Path) -> Result<(), ImportError> {
    for file in files {
        let target: PathBuf = root.join(&file.path);
        let moved = fs::create_dir_all(target.parent().unwrap_or(root))
            .and_then(|()| fs::rename(staging.join(&file.path), &target));
        moved.map_err(|cause| ImportError::Write {
            path: file.path.clone(),
            cause,
        })?;
    }
    Ok(())
}

/// Whether a path is relative and made of plain names only.
fn stays_inside(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}
