//! Media the imported sources reference, brought under `static/uploads/`: copied from a copy
//! of the old site's `wp-content/uploads/` (`--uploads DIR`); those it lacks were left
//! pointing at the old host when the sources were planned, and are listed as missing.

use std::path::{Component, Path, PathBuf};

use super::plan::{MISSING, Plan};
use super::report::Report;
use super::{Options, Planned};

/// Copies every referenced medium found under `--uploads` into the plan.
pub(super) fn gather(plan: &mut Plan, options: &Options, report: &mut Report) {
    let media = std::mem::take(&mut plan.media);
    for (site_path, old) in media {
        if site_path.starts_with(MISSING) {
            report.media_missing.push(old);
            continue;
        }
        let Some(relative) = site_path.strip_prefix("/uploads/").and_then(plain) else {
            report.media_missing.push(old);
            continue;
        };
        let bytes = options
            .uploads
            .as_ref()
            .map(|dir| dir.join(&relative))
            .filter(|file| file.is_file())
            .and_then(|file| std::fs::read(file).ok());
        match bytes {
            Some(bytes) => {
                let path = Path::new("static").join("uploads").join(&relative);
                plan.files.push(Planned { path, bytes });
                report.media_copied += 1;
            }
            None => report.media_missing.push(old),
        }
    }
}

/// A relative path of plain names only: no `..`, no root, nothing that leads out.
pub(super) fn plain(path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_path_buf())
        .filter(|p| p.components().next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_paths_stay_inside() {
        assert_eq!(plain("2025/02/a.jpg"), Some(PathBuf::from("2025/02/a.jpg")));
        for bad in ["../etc/passwd", "/etc/passwd", "2025/../../x", ""] {
            assert_eq!(plain(bad), None, "{bad}");
        }
    }
}
