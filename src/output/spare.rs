//! The previous output, kept as the next build's staging folder (see
//! [`super::Previous::Spare`]): brought to the new outputs by removing the files and folders
//! no longer produced, creating the folders missing, and writing every file that is not
//! already the right one. Nothing in it is trusted but a file's identity: a file to be kept
//! from the output in place is left alone only when it is that very file (same inode).
//! Identities come from reading the folders, not from a `stat` of each file: at 10,000
//! articles those were a tenth of a one-article rebuild.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::disk::{write_file, write_marker};
use super::recycle::{self, Recycled};
use super::{Body, Outputs};
use crate::diagnostics::Error;

/// Takes the spare as the staging folder; false if there is none, or another build took it.
pub(super) fn claim(spare: &Path, staging: &Path) -> bool {
    spare.is_dir() && fs::rename(spare, staging).is_ok()
}

/// What a spare held when it was taken over, relative to it.
pub(super) struct Held {
    /// Its files (symbolic links included), with their inodes where the system tells them.
    pub(super) files: HashMap<String, Option<u64>>,
    pub(super) folders: HashSet<String>,
    /// The files kept for reuse beside the output folder.
    pub(super) recycled: Recycled,
}

/// Brings the staging folder, which `held` says what it held when taken over, to hold exactly
/// `outputs`; the files already written there ([`Body::Written`]) are left as they are.
pub(super) fn update(outputs: &Outputs, staging: &Path, held: Held) -> Result<(), Error> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    let Held {
        files,
        folders,
        recycled,
    } = held;
    let device = device_of(staging);
    let stale: Vec<&String> = files
        .keys()
        .filter(|f| !outputs.files.contains_key(*f))
        .collect();
    stale.par_iter().try_for_each(|file| {
        let path = staging.join(file);
        recycled.remove(&path).map_err(fail(&path))
    })?;
    let mut needed: HashSet<&str> = HashSet::new();
    for file in outputs.files.keys() {
        let mut folder = Path::new(file.as_str()).parent();
        while let Some(dir) = folder.and_then(Path::to_str).filter(|d| !d.is_empty()) {
            if !needed.insert(dir) {
                break;
            }
            folder = Path::new(dir).parent();
        }
    }
    // Deepest first, so that a folder is empty when it goes.
    let mut gone: Vec<&String> = folders
        .iter()
        .filter(|f| !needed.contains(f.as_str()))
        .collect();
    gone.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in gone {
        let path = staging.join(folder);
        fs::remove_dir_all(&path).map_err(fail(&path))?;
    }
    let mut missing: Vec<&str> = needed
        .into_iter()
        .filter(|f| !folders.contains(*f))
        .collect();
    missing.sort_unstable();
    for folder in missing {
        let path = staging.join(folder);
        fs::create_dir_all(&path).map_err(fail(&path))?;
    }
    outputs.files.par_iter().try_for_each(|(file, body)| {
        let path = staging.join(file);
        if let Body::Written(_) = body {
            return Ok(());
        }
        if let Some(&inode) = files.get(file) {
            if let Body::Link(kept) = body
                && (device, inode) == (Some(kept.device), Some(kept.inode))
            {
                return Ok(());
            }
            if let Body::Bytes(bytes) = body {
                return write_over(&path, bytes, &recycled).map_err(fail(&path));
            }
            // Gone already when the build removed it to write there, and then could not.
            match recycled.remove(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(fail(&path)(e))?,
                _ => {}
            }
        }
        match body {
            Body::Bytes(bytes) => recycled.write(&path, bytes).map_err(fail(&path)),
            _ => write_file(body, &path),
        }
    })?;
    write_marker(staging)
}

/// Puts `bytes` in the spare's file at `path`: written over in place when no other folder
/// links to it, else in a new file, one of the `recycled` if there is one.
pub(super) fn write_over(path: &Path, bytes: &[u8], recycled: &Recycled) -> std::io::Result<()> {
    if let Some(file) = recycle::alone(path) {
        return recycle::overwrite(file, bytes);
    }
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    recycled.write(path, bytes)
}

/// What `dir` holds, and the files kept for reuse in `recycled`. What no output can be named
/// (a name that is not UTF-8, put there by hand) is removed at once.
pub(super) fn holds(dir: &Path, recycled: PathBuf) -> Held {
    let (mut files, mut folders) = (HashMap::new(), HashSet::new());
    let mut entries = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        let Ok(entry) = entry else { continue };
        let is_dir = entry.file_type().is_dir();
        let relative = entry.path().strip_prefix(dir).ok().and_then(Path::to_str);
        let Some(relative) = relative.map(|p| p.replace(std::path::MAIN_SEPARATOR, "/")) else {
            let _ = if is_dir {
                entries.skip_current_dir();
                fs::remove_dir_all(entry.path())
            } else {
                fs::remove_file(entry.path())
            };
            continue;
        };
        if is_dir {
            folders.insert(relative);
        } else {
            #[cfg(unix)]
            let inode = Some(walkdir::DirEntryExt::ino(&entry));
            #[cfg(not(unix))]
            let inode = None;
            files.insert(relative, inode);
        }
    }
    Held {
        files,
        folders,
        recycled: Recycled::list(recycled),
    }
}

/// The file system a folder is on, where the system tells it. A folder mounted inside the
/// staging folder would hide another, but no build writes one there.
fn device_of(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(dir).ok().map(|m| m.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}
