//! `kiosque import wordpress`: a WordPress export (WXR) read offline and written as sources
//! a writer could have written by hand — articles, pages, author profiles, comment archives,
//! media under `static/` — which the ordinary build and `kiosque check` then prove.
//!
//! Nothing is written until the whole export has been read and converted: the files are
//! staged in a folder of their own beside `content/`, then moved into place, so a failed
//! import leaves the site as it was.

mod fields;
mod media;
mod plan;
mod report;
mod write;

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::wxr::{self, WxrError};
pub use report::Report;

/// What `kiosque import wordpress` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The export file (Tools → Export in WordPress).
    pub export: PathBuf,
    /// The site to import into; its `site.toml` is written from the export when missing.
    pub root: PathBuf,
    /// A copy of the old site's `wp-content/uploads/` folder.
    pub uploads: Option<PathBuf>,
    /// Download the media `uploads` does not have from the old site.
    pub download_media: bool,
    /// Keep pingbacks and trackbacks with the comments.
    pub with_pingbacks: bool,
    /// Replace files that exist with other content.
    pub force: bool,
}

/// Why an import did not happen.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The export could not be read.
    #[error(transparent)]
    Export(#[from] WxrError),
    /// The site's configuration is broken.
    #[error("{CONFIG}: the site's configuration cannot be read; fix it and import again")]
    Config(Vec<crate::diagnostics::Diagnostic>),
    /// Files exist with other content, and `--force` was not given.
    #[error(
        "{} file(s) already exist with other content (first: {}); nothing was written: \
         import with --force to replace them",
        .0.len(),
        .0.first().map(|p| p.display().to_string()).unwrap_or_default()
    )]
    Exists(Vec<PathBuf>),
    /// Writing the site failed; the files already moved are named.
    #[error("cannot write {path}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the file system said.
        #[source]
        cause: std::io::Error,
    },
}

const CONFIG: &str = crate::config::CONFIG_FILE;

/// Imports an export into a site: reads it whole, converts it, stages the files, then moves
/// them into place. The report says what was imported, skipped and left unconverted.
pub fn import(options: &Options) -> Result<Report, ImportError> {
    let export = wxr::read_file(&options.export)?;
    let config = plan::site_config(&options.root, &export)?;
    let mut report = Report::default();
    let mut planned = plan::plan(&export, &config, options, &mut report);
    media::gather(&mut planned, options, &mut report);
    write::write(&planned, &options.root, options.force, &mut report)?;
    Ok(report)
}

/// A file the import writes, relative to the site root, with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Planned {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Planned {
    fn text(path: impl AsRef<Path>, text: String) -> Planned {
        Planned {
            path: path.as_ref().to_path_buf(),
            bytes: text.into_bytes(),
        }
    }
}
