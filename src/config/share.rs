//! `[share]` in `site.toml`: which share links articles get, in what order. The links
//! themselves are built by the article view (`render::views::share`).

use serde::{Deserialize, Serialize};

/// The `[share]` table as written; an unknown name is a TOML error at that name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShare {
    links: Option<Vec<ShareTarget>>,
}

/// Where a reader can share an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShareTarget {
    /// A `mailto:` link with the title and address.
    Email,
    /// A button copying the address (needs JavaScript).
    Copy,
    /// The reader's own Mastodon server, asked once (needs JavaScript).
    Mastodon,
    /// Bluesky's compose intent.
    Bluesky,
    /// LinkedIn's share page.
    Linkedin,
    /// X's post intent.
    X,
    /// WhatsApp's `wa.me` link.
    Whatsapp,
}

impl ShareTarget {
    /// Every target, in the default order.
    pub const ALL: [ShareTarget; 7] = [
        ShareTarget::Email,
        ShareTarget::Copy,
        ShareTarget::Mastodon,
        ShareTarget::Bluesky,
        ShareTarget::Linkedin,
        ShareTarget::X,
        ShareTarget::Whatsapp,
    ];

    /// The address its link starts with, the shared text or address following; none for
    /// what has no fixed address (e-mail, copy, the reader's own Mastodon server).
    pub fn intent(self) -> Option<&'static str> {
        match self {
            ShareTarget::Bluesky => Some("https://bsky.app/intent/compose?"),
            ShareTarget::Linkedin => Some("https://www.linkedin.com/sharing/share-offsite/?"),
            ShareTarget::X => Some("https://x.com/intent/post?"),
            ShareTarget::Whatsapp => Some("https://wa.me/?"),
            ShareTarget::Email | ShareTarget::Copy | ShareTarget::Mastodon => None,
        }
    }

    /// Whether `url` is a share link of a service: a form to write a post, not a page a
    /// link checker could find broken (services answer robots with a login page or a refusal).
    pub fn is_intent(url: &str) -> bool {
        ShareTarget::ALL
            .iter()
            .filter_map(|target| target.intent())
            .any(|prefix| url.starts_with(prefix))
    }

    /// Its name in `site.toml` and in templates.
    pub fn name(self) -> &'static str {
        match self {
            ShareTarget::Email => "email",
            ShareTarget::Copy => "copy",
            ShareTarget::Mastodon => "mastodon",
            ShareTarget::Bluesky => "bluesky",
            ShareTarget::Linkedin => "linkedin",
            ShareTarget::X => "x",
            ShareTarget::Whatsapp => "whatsapp",
        }
    }
}

/// The share links under articles, from `[share]` in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareSettings {
    /// The links, in order; empty shows none.
    pub links: Vec<ShareTarget>,
}

impl Default for ShareSettings {
    fn default() -> Self {
        ShareSettings {
            links: ShareTarget::ALL.to_vec(),
        }
    }
}

/// Validates `[share]`, calling `fail(key, message)` for each value refused.
pub(super) fn validate(
    raw: Option<RawShare>,
    fail: &mut impl FnMut(&str, String),
) -> ShareSettings {
    let Some(links) = raw.and_then(|raw| raw.links) else {
        return ShareSettings::default();
    };
    let mut kept = Vec::new();
    for link in links {
        if kept.contains(&link) {
            fail(
                "share.links",
                format!("`{}` is listed twice in `links`", link.name()),
            );
        } else {
            kept.push(link);
        }
    }
    ShareSettings { links: kept }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{BuildOptions, Config};

    fn parse(share: &str) -> Result<ShareSettings, Vec<String>> {
        let text = format!("title = \"T\"\nbase_url = \"https://a.example/\"\n{share}");
        Config::parse(&text, &BuildOptions::default())
            .map(|config| config.share)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn every_link_by_default_in_order() {
        assert_eq!(parse("").unwrap().links, ShareTarget::ALL);
        assert_eq!(parse("[share]\n").unwrap().links, ShareTarget::ALL);
    }

    #[test]
    fn links_keep_the_order_written_and_may_be_none() {
        let links = parse("[share]\nlinks = [\"x\", \"mastodon\", \"email\"]\n")
            .unwrap()
            .links;
        assert_eq!(
            links,
            [ShareTarget::X, ShareTarget::Mastodon, ShareTarget::Email]
        );
        assert!(parse("[share]\nlinks = []\n").unwrap().links.is_empty());
    }

    #[test]
    fn an_unknown_link_is_an_error_at_its_line() {
        let errors = parse("[share]\nlinks = [\n  \"email\",\n  \"facebook\",\n]\n").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("site.toml:6:"), "{errors:?}");
        assert!(errors[0].contains("facebook"), "{errors:?}");
        assert!(errors[0].contains("whatsapp"), "{errors:?}");
    }

    #[test]
    fn a_link_twice_is_an_error() {
        let errors = parse("[share]\nlinks = [\"x\", \"x\"]\n").unwrap_err();
        assert!(errors[0].starts_with("site.toml:4:"), "{errors:?}");
        assert!(errors[0].contains("`x` is listed twice"), "{errors:?}");
    }

    #[test]
    fn intents_are_told_from_pages_of_the_same_hosts() {
        assert!(ShareTarget::is_intent(
            "https://x.com/intent/post?text=a&url=b"
        ));
        assert!(ShareTarget::is_intent("https://wa.me/?text=a"));
        assert!(!ShareTarget::is_intent("https://x.com/kiosque"));
        assert!(!ShareTarget::is_intent(
            "https://bsky.app/profile/kiosque.example"
        ));
        assert!(!ShareTarget::is_intent("https://wa.me/33612345678"));
    }

    #[test]
    fn an_unknown_key_is_an_error() {
        let errors = parse("[share]\nlink = [\"x\"]\n").unwrap_err();
        assert!(errors[0].starts_with("site.toml:4:"), "{errors:?}");
    }
}
