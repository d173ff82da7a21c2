//! `[search]` in `site.toml`: the search index every build writes, and the theme's search box.

use serde::{Deserialize, Serialize};

/// The `[search]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSearch {
    enabled: Option<bool>,
}

/// Whether the site is searchable, from `[search]` in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchSettings {
    /// Whether builds write the index, the search pages and the header's box.
    pub enabled: bool,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings { enabled: true }
    }
}

/// Validates `[search]`.
pub(super) fn validate(raw: Option<RawSearch>) -> SearchSettings {
    let raw = raw.unwrap_or_default();
    SearchSettings {
        enabled: raw.enabled.unwrap_or(true),
    }
}
