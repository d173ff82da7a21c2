//! What the command line (or a test) sets for one build, applied over `site.toml` once, when
//! the [`super::Config`] is made.

use std::path::PathBuf;

/// Options given on the command line (or by a test) for one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root: holds `site.toml`, `content/`, `themes/`, `templates/`, `static/`.
    pub root: PathBuf,
    /// Output folder; defaults to `public/` under the root.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated after the build time.
    pub future: bool,
    /// Build time; defaults to now. Fixed by tests for reproducible output.
    pub now: Option<jiff::Timestamp>,
    /// Highlighted code kept between builds by a long-lived process (`serve`).
    pub code_cache: Option<std::sync::Arc<crate::highlight::CodeCache>>,
    /// Keep what a disk build made in `.kiosque-cache/build/`, and use what an earlier one
    /// kept (see [`crate::cache`]).
    pub cache: bool,
    /// Link stylesheets and scripts by content-hashed names (`style.3f9a1c0b.css`) and write
    /// `_headers` (`kiosque build` and `check`); `serve` links their own names, so that a
    /// stylesheet saved is swapped into the open pages.
    pub hashed_assets: bool,
}
