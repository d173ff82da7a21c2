//! `comments:` in an article's front matter: `true`, `false`, or `{mastodon: URL}` naming the
//! post whose replies are the article's discussion. Where the widget comes from is left to
//! `[comments]` of `site.toml` and to the render stage.

use serde_yaml::Value;

use super::values::{describe, scalar};

/// What an article says of its comments.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Discussion {
    /// Archived comments and the site's widget, if it has one (the default).
    #[default]
    Open,
    /// `comments: false`: neither archived comments nor a widget.
    Closed,
    /// The replies to a Mastodon post, after the archived comments.
    Mastodon(MastodonThread),
}

impl Discussion {
    /// Whether comments are shown at all.
    pub fn is_open(&self) -> bool {
        !matches!(self, Discussion::Closed)
    }
}

/// A Mastodon post whose public replies the reader can load.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MastodonThread {
    /// The post's address, as written: where a reader without JavaScript, or wanting to
    /// reply, goes.
    pub url: String,
    /// `https://<instance>`, whose public API gives the replies.
    pub instance: String,
    /// The post's id on that instance.
    pub id: String,
}

/// What `comments:` was expected to be, for messages.
const EXPECTED: &str = "true, false or `{mastodon: URL of a post}`";

/// Reads the value of `comments:`; the message says what is wrong with it.
pub(super) fn parse(value: Option<&Value>) -> Result<Discussion, String> {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(true)) => Ok(Discussion::Open),
        Some(Value::Bool(false)) => Ok(Discussion::Closed),
        Some(Value::Mapping(map)) => {
            let mut thread = None;
            for (key, value) in map {
                match (key.as_str(), value.as_str()) {
                    (Some("mastodon"), Some(url)) => thread = Some(mastodon(url.trim())?),
                    (Some("mastodon"), None) => {
                        return Err(format!(
                            "`mastodon` must be the URL of a post, found {}",
                            describe(value)
                        ));
                    }
                    _ => {
                        let key = scalar(key).unwrap_or_else(|| describe(key).to_string());
                        return Err(format!(
                            "unknown key `{key}` in `comments` (expected {EXPECTED})"
                        ));
                    }
                }
            }
            thread
                .map(Discussion::Mastodon)
                .ok_or_else(|| format!("must be {EXPECTED}, found an empty map"))
        }
        Some(other) => {
            let found =
                scalar(other).map_or_else(|| describe(other).to_string(), |s| format!("`{s}`"));
            Err(format!("must be {EXPECTED}, found {found}"))
        }
    }
}

/// A post's address on its instance: `https://host/@user/123`, `https://host/@user@elsewhere/123`
/// (a remote post as the instance shows it) or `https://host/users/user/statuses/123`.
fn mastodon(url: &str) -> Result<MastodonThread, String> {
    let refuse = || {
        format!(
            "`{url}` is not the https URL of a Mastodon post such as https://mastodon.social/@user/112233445566"
        )
    };
    let parsed = url::Url::parse(url).map_err(|_| refuse())?;
    let host = parsed.host_str().filter(|_| parsed.scheme() == "https");
    let segments: Vec<&str> = parsed
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let id = match segments.as_slice() {
        [user, id] if user.starts_with('@') && user.len() > 1 => id,
        ["users", _, "statuses", id] => id,
        _ => return Err(refuse()),
    };
    let (Some(host), true) = (
        host,
        !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()),
    ) else {
        return Err(refuse());
    };
    let instance = match parsed.port() {
        Some(port) => format!("https://{host}:{port}"),
        None => format!("https://{host}"),
    };
    Ok(MastodonThread {
        url: url.to_string(),
        instance,
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Result<Discussion, String> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        parse(Some(&value))
    }

    #[test]
    fn true_false_and_nothing() {
        assert_eq!(parse(None), Ok(Discussion::Open));
        assert_eq!(read("true"), Ok(Discussion::Open));
        assert_eq!(read("~"), Ok(Discussion::Open));
        assert_eq!(read("false"), Ok(Discussion::Closed));
        assert!(!Discussion::Closed.is_open());
    }

    #[test]
    fn a_mastodon_post_in_each_form() {
        for (url, id) in [
            (
                "https://mastodon.social/@kiosque/112233445566",
                "112233445566",
            ),
            ("https://piaille.fr/@ana@mastodon.social/42/", "42"),
            ("https://mastodon.social/users/kiosque/statuses/7", "7"),
        ] {
            let Ok(Discussion::Mastodon(thread)) = read(&format!("{{mastodon: \"{url}\"}}")) else {
                panic!("{url}")
            };
            assert_eq!(thread.id, id);
            assert_eq!(thread.url, url);
            assert!(thread.instance.starts_with("https://") && !thread.instance.ends_with('/'));
        }
    }

    #[test]
    fn anything_else_says_what_was_expected() {
        for (yaml, message) in [
            (
                "yes please",
                "must be true, false or `{mastodon: URL of a post}`, found `yes please`",
            ),
            ("[a]", "found a list"),
            ("{}", "found an empty map"),
            ("{disqus: x}", "unknown key `disqus` in `comments`"),
            (
                "{mastodon: [a]}",
                "`mastodon` must be the URL of a post, found a list",
            ),
            (
                "{mastodon: \"http://mastodon.social/@a/1\"}",
                "`http://mastodon.social/@a/1` is not the https URL of a Mastodon post",
            ),
            (
                "{mastodon: \"https://mastodon.social/@a\"}",
                "is not the https URL",
            ),
            (
                "{mastodon: \"https://mastodon.social/@a/12x\"}",
                "is not the https URL",
            ),
            (
                "{mastodon: \"mastodon.social/@a/1\"}",
                "is not the https URL",
            ),
        ] {
            let error = read(yaml).expect_err(yaml);
            assert!(error.contains(message), "{yaml}: {error}");
        }
    }
}
