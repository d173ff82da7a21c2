//! The live comment widget of an article as templates see it: the provider and its settings,
//! loaded only on the reader's click.

use serde::Serialize;

use crate::site::{Article, Site};

/// The widget under one article.
#[derive(Serialize)]
pub(crate) struct DiscussionView<'a> {
    provider: &'a str,
}

impl<'a> DiscussionView<'a> {
    /// The widget of `article`, if the site has one and the article takes comments.
    pub(crate) fn new(site: &'a Site, _article: &'a Article) -> Option<Self> {
        let provider = site.config.comments.provider.as_deref()?;
        Some(DiscussionView { provider })
    }
}
