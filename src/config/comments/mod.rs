//! `[comments]` in `site.toml`: the live comment widget under articles, loaded on the
//! reader's click. Each provider keeps the setting names of its own documentation; what the
//! page shows is left to `render::views::discussion`.

use serde::{Deserialize, Serialize};

/// The `[comments]` table as written: every provider's settings, so that a key of another
/// provider is named as such rather than as a stranger.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawComments {
    provider: Option<String>,
    repo: Option<String>,
    repo_id: Option<String>,
    category: Option<String>,
    category_id: Option<String>,
    mapping: Option<String>,
    strict: Option<bool>,
    reactions_enabled: Option<bool>,
    emit_metadata: Option<bool>,
    input_position: Option<String>,
    theme: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    require_author: Option<bool>,
    require_email: Option<bool>,
    vote: Option<bool>,
    host: Option<String>,
    site_id: Option<String>,
    locale: Option<String>,
    app_id: Option<String>,
}

impl RawComments {
    /// The settings written, by name.
    fn written(&self) -> Vec<&'static str> {
        let keys = [
            ("repo", self.repo.is_some()),
            ("repo_id", self.repo_id.is_some()),
            ("category", self.category.is_some()),
            ("category_id", self.category_id.is_some()),
            ("mapping", self.mapping.is_some()),
            ("strict", self.strict.is_some()),
            ("reactions_enabled", self.reactions_enabled.is_some()),
            ("emit_metadata", self.emit_metadata.is_some()),
            ("input_position", self.input_position.is_some()),
            ("theme", self.theme.is_some()),
            ("lang", self.lang.is_some()),
            ("url", self.url.is_some()),
            ("require_author", self.require_author.is_some()),
            ("require_email", self.require_email.is_some()),
            ("vote", self.vote.is_some()),
            ("host", self.host.is_some()),
            ("site_id", self.site_id.is_some()),
            ("locale", self.locale.is_some()),
            ("app_id", self.app_id.is_some()),
        ];
        keys.into_iter()
            .filter_map(|(key, written)| written.then_some(key))
            .collect()
    }
}

/// The live comment widget, from `[comments]` in `site.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CommentSettings {
    /// The provider and its settings; none shows no widget (except an article's own
    /// Mastodon thread).
    pub provider: Option<CommentProvider>,
}

/// A comment service, with the settings its documentation names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum CommentProvider {
    /// giscus: GitHub Discussions.
    Giscus(Giscus),
    /// Isso, self-hosted.
    Isso(Isso),
    /// Remark42, self-hosted.
    Remark42(Remark42),
    /// Cusdis or a server speaking its protocol.
    Cusdis(Cusdis),
    /// Only the articles giving a Mastodon thread (`comments: {mastodon: URL}`) show one.
    Mastodon,
}

/// giscus settings (<https://giscus.app>), as its `data-*` attributes name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Giscus {
    /// `owner/name` of the GitHub repository.
    pub repo: String,
    /// The repository's GraphQL id.
    pub repo_id: String,
    /// The Discussions category new threads go to.
    pub category: String,
    /// The category's GraphQL id.
    pub category_id: String,
    /// How a page finds its discussion: `pathname`, `url`, `title` or `og:title`.
    pub mapping: String,
    /// Whether titles must match exactly (giscus hashes them).
    pub strict: bool,
    /// Whether reactions to the article are shown.
    pub reactions_enabled: bool,
    /// Whether giscus posts the discussion's metadata to the page.
    pub emit_metadata: bool,
    /// `top` or `bottom`: where the comment box sits.
    pub input_position: String,
    /// A giscus theme name or the https URL of a stylesheet.
    pub theme: String,
    /// The widget's language; none follows the page's.
    pub lang: Option<String>,
}

/// Isso settings (<https://isso-comments.de>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Isso {
    /// The server's https URL, without a trailing `/`; its script is `<url>/js/embed.min.js`.
    pub url: String,
    /// The widget's language; none follows the page's.
    pub lang: Option<String>,
    /// `data-isso-require-author`.
    pub require_author: Option<bool>,
    /// `data-isso-require-email`.
    pub require_email: Option<bool>,
    /// `data-isso-vote`.
    pub vote: Option<bool>,
}

/// Remark42 settings (<https://remark42.com>), as its `remark_config` names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remark42 {
    /// The server's https URL, without a trailing `/`.
    pub host: String,
    /// The site's id on that server.
    pub site_id: String,
    /// The widget's language; none follows the page's.
    pub locale: Option<String>,
    /// `light` or `dark`; none follows the reader's colour scheme.
    pub theme: Option<String>,
}

/// Cusdis settings (<https://cusdis.com>), as its `data-*` attributes name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cusdis {
    /// The server's https URL, without a trailing `/` (default `https://cusdis.com`).
    pub host: String,
    /// The website's id on that server.
    pub app_id: String,
    /// The widget's language; none follows the page's.
    pub lang: Option<String>,
    /// `light`, `dark` or `auto` (the reader's scheme, the default).
    pub theme: String,
}

/// The providers, as `provider` names them.
const PROVIDERS: &str = "giscus, isso, remark42, cusdis, mastodon";

/// Each provider's settings besides `provider`, and those it cannot do without.
fn settings_of(provider: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match provider {
        "giscus" => (
            &[
                "repo",
                "repo_id",
                "category",
                "category_id",
                "mapping",
                "strict",
                "reactions_enabled",
                "emit_metadata",
                "input_position",
                "theme",
                "lang",
            ],
            &["repo", "repo_id", "category", "category_id"],
        ),
        "isso" => (
            &["url", "lang", "require_author", "require_email", "vote"],
            &["url"],
        ),
        "remark42" => (
            &["host", "site_id", "locale", "theme"],
            &["host", "site_id"],
        ),
        "cusdis" => (&["host", "app_id", "lang", "theme"], &["app_id"]),
        "mastodon" => (&[], &[]),
        _ => return None,
    })
}

/// Validates `[comments]`, calling `fail(key, message)` for each value refused.
pub(super) fn validate(
    raw: Option<RawComments>,
    fail: &mut impl FnMut(&str, String),
) -> CommentSettings {
    let Some(raw) = raw else {
        return CommentSettings::default();
    };
    let written = raw.written();
    let Some(name) = raw.provider.as_deref() else {
        if !written.is_empty() {
            fail(
                "comments",
                format!("`[comments]` needs a `provider` ({PROVIDERS})"),
            );
        }
        return CommentSettings::default();
    };
    let Some((allowed, required)) = settings_of(name) else {
        fail(
            "comments.provider",
            format!("unknown comment provider `{name}` (providers: {PROVIDERS})"),
        );
        return CommentSettings::default();
    };
    let mut refused = false;
    for key in written.iter().filter(|key| !allowed.contains(key)) {
        let settings = if allowed.is_empty() {
            "it takes none: each article gives its thread as `comments: {mastodon: URL}`"
                .to_string()
        } else {
            format!("its settings: {}", allowed.join(", "))
        };
        fail(
            &format!("comments.{key}"),
            format!("`{key}` is not a setting of {name} ({settings})"),
        );
        refused = true;
    }
    for key in required.iter().filter(|key| !written.contains(key)) {
        fail(
            "comments.provider",
            format!("{name} needs `{key}` in `[comments]`"),
        );
        refused = true;
    }
    let mut check = Checks { fail, refused };
    let provider = match name {
        "giscus" => CommentProvider::Giscus(giscus(raw, &mut check)),
        "isso" => CommentProvider::Isso(Isso {
            url: check.https("url", raw.url),
            lang: check.lang("lang", raw.lang),
            require_author: raw.require_author,
            require_email: raw.require_email,
            vote: raw.vote,
        }),
        "remark42" => CommentProvider::Remark42(Remark42 {
            host: check.https("host", raw.host),
            site_id: check.text("site_id", raw.site_id),
            locale: check.lang("locale", raw.locale),
            theme: raw
                .theme
                .map(|theme| check.one_of("theme", theme, &["light", "dark"])),
        }),
        "cusdis" => CommentProvider::Cusdis(Cusdis {
            host: check.https("host", raw.host.or(Some("https://cusdis.com".into()))),
            app_id: check.text("app_id", raw.app_id),
            lang: check.lang("lang", raw.lang),
            theme: check.one_of(
                "theme",
                raw.theme.unwrap_or_else(|| "auto".into()),
                &["light", "dark", "auto"],
            ),
        }),
        _ => CommentProvider::Mastodon,
    };
    if check.refused {
        return CommentSettings::default();
    }
    CommentSettings {
        provider: Some(provider),
    }
}

fn giscus(raw: RawComments, check: &mut Checks<'_, impl FnMut(&str, String)>) -> Giscus {
    let repo = check.text("repo", raw.repo);
    let is_name = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let is_repo = repo
        .split_once('/')
        .is_some_and(|(owner, name)| is_name(owner) && is_name(name));
    // An empty one was reported as such.
    if !repo.is_empty() && !is_repo {
        check.refuse(
            "repo",
            format!("`{repo}` is not a GitHub repository: expected `owner/name`"),
        );
    }
    let theme = raw.theme.unwrap_or_else(|| "preferred_color_scheme".into());
    if theme.contains(':') && !is_https(&theme) {
        check.refuse(
            "theme",
            format!("`{theme}` must be a giscus theme name or an https URL"),
        );
    }
    Giscus {
        repo,
        repo_id: check.text("repo_id", raw.repo_id),
        category: check.text("category", raw.category),
        category_id: check.text("category_id", raw.category_id),
        mapping: check.one_of(
            "mapping",
            raw.mapping.unwrap_or_else(|| "pathname".into()),
            &["pathname", "url", "title", "og:title"],
        ),
        strict: raw.strict.unwrap_or(false),
        reactions_enabled: raw.reactions_enabled.unwrap_or(true),
        emit_metadata: raw.emit_metadata.unwrap_or(false),
        input_position: check.one_of(
            "input_position",
            raw.input_position.unwrap_or_else(|| "bottom".into()),
            &["top", "bottom"],
        ),
        theme,
        lang: check.lang("lang", raw.lang),
    }
}

/// Whether `text` is an absolute https URL with a host.
fn is_https(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| url.scheme() == "https" && url.host().is_some())
}

/// The checks of one provider's values, each refusal reported at its key.
struct Checks<'f, F> {
    fail: &'f mut F,
    refused: bool,
}

impl<F: FnMut(&str, String)> Checks<'_, F> {
    fn refuse(&mut self, key: &str, message: String) {
        (self.fail)(&format!("comments.{key}"), message);
        self.refused = true;
    }

    /// Text that must not be blank; a missing one is reported as missing, at the provider.
    fn text(&mut self, key: &str, value: Option<String>) -> String {
        let Some(value) = value else {
            return String::new();
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            self.refuse(key, format!("`{key}` must not be empty"));
        }
        value
    }

    /// A server's https URL, kept without its trailing `/` so paths can follow it.
    fn https(&mut self, key: &str, value: Option<String>) -> String {
        let value = self.text(key, value);
        if !value.is_empty() && !is_https(&value) {
            self.refuse(
                key,
                format!("`{key}` must be an https URL such as https://comments.example.org, found `{value}`"),
            );
        }
        value.trim_end_matches('/').to_string()
    }

    fn one_of(&mut self, key: &str, value: String, choices: &[&str]) -> String {
        if !choices.contains(&value.as_str()) {
            self.refuse(
                key,
                format!(
                    "`{value}` is not a value of `{key}` (one of: {})",
                    choices.join(", ")
                ),
            );
        }
        value
    }

    fn lang(&mut self, key: &str, value: Option<String>) -> Option<String> {
        let value = value?;
        if !super::is_language_tag(&value) {
            self.refuse(
                key,
                format!("`{value}` is not a language tag such as fr or en"),
            );
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests;
