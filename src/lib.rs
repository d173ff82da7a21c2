//! Kiosque: a static site generator for tech-news sites.
//!
//! A build is a function from a site folder to output files; see [`build::build_in_memory`].
//! The pipeline runs config → content → markdown → site → render → output, one module each.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod embeds;
pub mod feeds;
pub mod html;
pub mod markdown;
pub mod output;
pub mod render;
pub mod site;
pub mod sitemap;
pub mod slug;
pub mod theme;

pub use build::{Built, build, build_in_memory};
pub use config::BuildOptions;
pub use diagnostics::{Diagnostic, Error};
