//! Kiosque: a static site generator for tech-news sites.
//!
//! A build is a function from a site folder to output files; see [`build::build_in_memory`].
//! The pipeline runs config → content → markdown → site → render → output, one module each;
//! `serve` keeps an incremental cache around the same stages ([`incremental`]).

pub mod assets;
pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod embeds;
pub(crate) mod fingerprint;
pub mod highlight;
pub(crate) mod html;
pub mod images;
pub mod import;
pub mod incremental;
pub mod init;
pub mod markdown;
pub mod output;
pub mod page_links;
pub mod related;
pub(crate) mod render;
pub(crate) mod sanitize;
pub(crate) mod search;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod slug;
pub(crate) mod theme;
pub mod typography;

pub use build::{Built, Loaded, build, build_in_memory};
pub use config::BuildOptions;
pub use diagnostics::{Diagnostic, Error};
pub use incremental::Project;
