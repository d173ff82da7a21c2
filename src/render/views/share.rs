//! The share links of an article as templates see them: plain links built at build time.

use serde::Serialize;

use crate::site::{Article, Site};

/// One share link.
#[derive(Serialize)]
pub(crate) struct ShareLink {
    name: String,
}

/// The share links of `article`, in the order of `[share]`.
pub(crate) fn links(site: &Site, _article: &Article) -> Vec<ShareLink> {
    site.config
        .share
        .links
        .iter()
        .map(|name| ShareLink { name: name.clone() })
        .collect()
}
