//! The share links of an article as templates see them: plain links built at build time from
//! its permalink and title, with nothing added (no tracking parameter, no counter), so that
//! the page asks nothing of any network until the reader clicks.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::config::ShareTarget;
use crate::site::{Article, Site};

/// What a query value keeps as is: RFC 3986's unreserved characters. Everything else is
/// encoded, `+` and `&` included, and a space is `%20` (a `mailto:` body reads `+` as `+`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One share link.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct ShareLink {
    /// `email`, `copy`, `mastodon`, `bluesky`, `linkedin`, `x` or `whatsapp`.
    name: &'static str,
    /// The link; none for what needs a script (`copy`, `mastodon`), which gets `url` and
    /// `text` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    /// The article's permalink.
    url: String,
    /// What a post shares: the title, then the permalink.
    text: String,
}

/// The share links of `article`, in the order of `[share]`.
pub(crate) fn links(site: &Site, article: &Article) -> Vec<ShareLink> {
    let url = site.permalink(&article.path);
    site.config
        .share
        .links
        .iter()
        .map(|&target| link(target, &article.title, &url))
        .collect()
}

/// The link to `target` sharing `title` at `url`.
fn link(target: ShareTarget, title: &str, url: &str) -> ShareLink {
    let text = format!("{title} {url}");
    let enc = |value: &str| utf8_percent_encode(value, QUERY_VALUE).to_string();
    let href = match target {
        ShareTarget::Email => Some(format!(
            "mailto:?subject={}&body={}",
            enc(title),
            enc(&format!("{title}\n\n{url}"))
        )),
        ShareTarget::Copy | ShareTarget::Mastodon => None,
        ShareTarget::Bluesky | ShareTarget::Whatsapp => Some(format!("text={}", enc(&text))),
        ShareTarget::Linkedin => Some(format!("url={}", enc(url))),
        ShareTarget::X => Some(format!("text={}&url={}", enc(title), enc(url))),
    }
    .map(|query| match target.intent() {
        Some(intent) => format!("{intent}{query}"),
        None => query,
    });
    ShareLink {
        name: target.name(),
        href,
        url: url.to_string(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "L’IA « générative » & le #droit d'auteur : \"fin\" ?";
    const URL: &str = "https://kiosque.example/2025/02/ia-droit/";

    /// The value of `name` in the query of `href`, decoded.
    fn query(href: &str, name: &str) -> String {
        let query = href.split_once('?').expect("a query").1;
        let value = query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no `{name}` in {href}"));
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .expect("UTF-8")
            .into_owned()
    }

    fn href(target: ShareTarget) -> String {
        link(target, TITLE, URL).href.expect("a plain link")
    }

    #[test]
    fn each_link_decodes_to_the_title_and_address() {
        let email = href(ShareTarget::Email);
        assert!(email.starts_with("mailto:?subject="), "{email}");
        assert_eq!(query(&email, "subject"), TITLE);
        assert_eq!(query(&email, "body"), format!("{TITLE}\n\n{URL}"));
        let bluesky = href(ShareTarget::Bluesky);
        assert!(bluesky.starts_with("https://bsky.app/intent/compose?text="));
        assert_eq!(query(&bluesky, "text"), format!("{TITLE} {URL}"));
        let linkedin = href(ShareTarget::Linkedin);
        assert!(linkedin.starts_with("https://www.linkedin.com/sharing/share-offsite/?url="));
        assert_eq!(query(&linkedin, "url"), URL);
        let x = href(ShareTarget::X);
        assert!(x.starts_with("https://x.com/intent/post?text="));
        assert_eq!(query(&x, "text"), TITLE);
        assert_eq!(query(&x, "url"), URL);
        let whatsapp = href(ShareTarget::Whatsapp);
        assert!(whatsapp.starts_with("https://wa.me/?text="));
        assert_eq!(query(&whatsapp, "text"), format!("{TITLE} {URL}"));
    }

    #[test]
    fn values_are_encoded_whole() {
        for target in ShareTarget::ALL {
            let Some(href) = link(target, TITLE, URL).href else {
                continue;
            };
            let query = href.split_once('?').unwrap().1;
            // One `&` between parameters, no raw space, quote, `#` or `+`: nothing of the
            // title can end the value or start another.
            assert!(
                !query.contains(['#', ' ', '"', '\'', '+', '«', 'é']),
                "{href}"
            );
            // LinkedIn takes the address alone and reads the title from the page.
            if target != ShareTarget::Linkedin {
                assert!(href.contains("%23droit"), "{href}");
            }
            assert!(!href.contains("%2523"), "encoded twice: {href}");
        }
        assert!(
            href(ShareTarget::Email).contains("%20%26%20"),
            "space as %20"
        );
    }

    #[test]
    fn no_tracking_parameter() {
        for target in ShareTarget::ALL {
            if let Some(href) = link(target, TITLE, URL).href {
                let params: Vec<&str> = href
                    .split_once('?')
                    .unwrap()
                    .1
                    .split('&')
                    .map(|pair| pair.split('=').next().unwrap())
                    .collect();
                assert!(
                    params
                        .iter()
                        .all(|p| ["subject", "body", "text", "url"].contains(p)),
                    "{href}"
                );
            }
        }
    }

    #[test]
    fn scripted_targets_get_the_text_and_address() {
        for target in [ShareTarget::Copy, ShareTarget::Mastodon] {
            let link = link(target, TITLE, URL);
            assert_eq!(link.href, None);
            assert_eq!(link.url, URL);
            assert_eq!(link.text, format!("{TITLE} {URL}"));
        }
    }
}
