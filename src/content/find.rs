//! Finding the article sources under a folder, following symbolic links but not their loops.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{AUTHORS_DIR, CONTENT_DIR, PAGES_DIR, is_markdown, relative};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};

/// The article sources under a folder: `.md` files at any depth, in path order, author
/// profiles and standalone pages left out, with a diagnostic for each part of it that cannot
/// be read.
pub fn find(config: &Config, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content = config.root.join(CONTENT_DIR);
    walk(
        config,
        dir,
        &[content.join(AUTHORS_DIR), content.join(PAGES_DIR)],
    )
}

/// The `.md` files under `dir`, the folders `skip` left out.
///
/// Symbolic links are followed, except one pointing to a folder that contains it (`loop ->
/// ..`), which is reported as a warning and left out: everything under it is read anyway.
pub(super) fn walk(
    config: &Config,
    dir: &Path,
    skip: &[PathBuf],
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut loops = Vec::new();
    let mut files = Vec::new();
    if dir.is_dir() && !skip.iter().any(|skip| dir.starts_with(skip)) {
        let walk = WalkDir::new(dir).follow_links(true).sort_by_file_name();
        let keep = |e: &walkdir::DirEntry| {
            if skip.iter().any(|skip| e.path() == skip) {
                return false;
            }
            if e.path_is_symlink()
                && e.file_type().is_dir()
                && let Some(target) = loop_target(e.path())
            {
                loops.push(Diagnostic::warning(
                    Location::file(relative(&config.root, e.path())),
                    Problem::SymlinkLoop { target },
                ));
                return false;
            }
            true
        };
        for entry in walk.into_iter().filter_entry(keep) {
            match entry {
                Ok(entry) if is_markdown(entry.path()) && entry.file_type().is_file() => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                // A link to the folder it is in, or one above, met inside that folder.
                Err(e) if e.loop_ancestor().is_some() => {
                    let path = e.path().unwrap_or(dir);
                    let target = std::fs::read_link(path)
                        .unwrap_or_else(|_| path.to_path_buf())
                        .display()
                        .to_string();
                    diagnostics.push(Diagnostic::warning(
                        Location::file(relative(&config.root, path)),
                        Problem::SymlinkLoop { target },
                    ));
                }
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    let io = e.into_io_error().unwrap_or_else(|| {
                        std::io::Error::other(
                            "file system loop (a symbolic link points to a parent)",
                        )
                    });
                    diagnostics.push(Diagnostic::new(
                        Location::file(relative(&config.root, &path)),
                        Problem::Read(io.into()),
                    ));
                }
            }
        }
    }
    diagnostics.append(&mut loops);
    (files, diagnostics)
}

/// What a symbolic link to a folder points to, as written in it, when that folder contains
/// the link (following it would walk the same files again and again).
fn loop_target(link: &Path) -> Option<String> {
    let target = std::fs::canonicalize(link).ok()?;
    let parent = std::fs::canonicalize(link.parent()?).ok()?;
    parent.starts_with(&target).then(|| {
        std::fs::read_link(link)
            .unwrap_or(target)
            .display()
            .to_string()
    })
}
