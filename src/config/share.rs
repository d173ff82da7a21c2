//! `[share]` in `site.toml`: which share links articles get, in what order.

use serde::{Deserialize, Serialize};

/// The `[share]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShare {
    links: Option<Vec<String>>,
}

/// The share links under articles, from `[share]` in `site.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ShareSettings {
    /// The links, in order.
    pub links: Vec<String>,
}

/// Validates `[share]`, calling `fail(key, message)` for each value refused.
pub(super) fn validate(
    raw: Option<RawShare>,
    _fail: &mut impl FnMut(&str, String),
) -> ShareSettings {
    let raw = raw.unwrap_or_default();
    ShareSettings {
        links: raw.links.unwrap_or_default(),
    }
}
