//! `[newsletter]` in `site.toml`: the sign-up form after articles and on the home page.

use serde::{Deserialize, Serialize};

/// The `[newsletter]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNewsletter {
    action: Option<String>,
}

/// The sign-up form, from `[newsletter]` in `site.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewsletterSettings {
    /// Where the form is sent; none shows no form.
    pub action: Option<String>,
}

/// Validates `[newsletter]`, calling `fail(key, message)` for each value refused.
pub(super) fn validate(
    raw: Option<RawNewsletter>,
    _fail: &mut impl FnMut(&str, String),
) -> NewsletterSettings {
    let raw = raw.unwrap_or_default();
    NewsletterSettings { action: raw.action }
}
