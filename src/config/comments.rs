//! `[comments]` in `site.toml`: the live comment widget under articles, loaded on the
//! reader's click.

use serde::{Deserialize, Serialize};

/// The `[comments]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawComments {
    provider: Option<String>,
}

/// The live comment widget, from `[comments]` in `site.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CommentSettings {
    /// The provider's name; none shows no widget.
    pub provider: Option<String>,
}

/// Validates `[comments]`, calling `fail(key, message)` for each value refused.
pub(super) fn validate(
    raw: Option<RawComments>,
    _fail: &mut impl FnMut(&str, String),
) -> CommentSettings {
    let raw = raw.unwrap_or_default();
    CommentSettings {
        provider: raw.provider,
    }
}
