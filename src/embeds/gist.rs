//! GitHub Gists: `gist.github.com/USER/ID` and `gist.github.com/ID` (also the `ID.js` of the
//! script embed). Shown through the `.pibb` rendering, made for iframes.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, segments};

/// Recognises a gist URL; `None` for other hosts and other gist pages (users, search).
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    if bare_host(url)? != "gist.github.com" {
        return None;
    }
    let parts = segments(url);
    // Gist pages (`/starred`, `/USER/forked`) are words; a gist is a hexadecimal id.
    let looks_like_id = |part: &str| {
        let id = strip_suffix(part);
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit())
    };
    match parts.as_slice() {
        // A user name may be hexadecimal too (`cafe`): alone, only a gist's length counts.
        [id] if looks_like_id(id) && (20..=32).contains(&strip_suffix(id).len()) => {
            Some(from_id(strip_suffix(id)))
        }
        [user, id] if looks_like_id(id) => Some(from_id(strip_suffix(id)).and_then(|mut embed| {
            if user.len() > 39 || !is_token(user, b"-") {
                return Err(format!(
                    "`{user}` is not a GitHub user name (up to 39 letters, digits or -)"
                ));
            }
            embed.user = Some(user.to_string());
            Ok(embed)
        })),
        _ => None,
    }
}

fn strip_suffix(part: &str) -> &str {
    part.strip_suffix(".js")
        .or_else(|| part.strip_suffix(".pibb"))
        .unwrap_or(part)
}

/// A gist by its hexadecimal id, which works without its owner's name.
pub(super) fn from_id(id: &str) -> Result<Embed, String> {
    if (20..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Embed::new(
            Provider::Gist,
            Variant::Code,
            id.to_ascii_lowercase(),
        ))
    } else {
        Err(format!(
            "`{id}` is not a gist id (20 to 32 hexadecimal digits)"
        ))
    }
}

pub(super) fn links(embed: &Embed) -> Links {
    let page = match &embed.user {
        Some(user) => format!("https://gist.github.com/{user}/{}", embed.id),
        None => format!("https://gist.github.com/{}", embed.id),
    };
    let player = format!("{page}.pibb");
    Links::player(page, player)
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};
    use super::from_id;

    const ID: &str = "aa5a315d61ae9438b18d";
    const LONG: &str = "0123456789abcdef0123456789abcdef";

    fn embed(url: &str) -> super::Embed {
        let embed = super::super::recognized(url, Provider::Gist);
        assert_eq!(embed.variant, Variant::Code, "{url}");
        embed
    }

    #[test]
    fn recognises_every_shape() {
        for url in [
            format!("https://gist.github.com/octocat/{ID}"),
            format!("https://gist.github.com/octocat/{ID}/"),
            format!("https://gist.github.com/octocat/{ID}.js"),
            format!("https://gist.github.com/octocat/{ID}?utm_source=feed"),
            format!("https://gist.github.com/octo-cat/{}", ID.to_uppercase()),
        ] {
            let found = embed(&url);
            assert_eq!(found.id, ID, "{url}");
            assert!(found.user.is_some(), "{url}");
        }
        let bare = embed(&format!("https://gist.github.com/{LONG}"));
        assert_eq!(bare.id, LONG);
        assert_eq!(bare.user, None);
    }

    #[test]
    fn links_use_the_iframe_rendering() {
        let links = embed(&format!(
            "http://gist.github.com/octocat/{ID}#file-hello-rs"
        ))
        .links();
        assert_eq!(links.page, format!("https://gist.github.com/octocat/{ID}"));
        assert_eq!(
            links.player.unwrap(),
            format!("https://gist.github.com/octocat/{ID}.pibb")
        );
        let bare = from_id(LONG).unwrap().links();
        assert_eq!(bare.page, format!("https://gist.github.com/{LONG}"));
        assert_eq!(
            bare.player.unwrap(),
            format!("https://gist.github.com/{LONG}.pibb")
        );
    }

    #[test]
    fn invalid_ids_and_users_are_errors() {
        for url in [
            "https://gist.github.com/octocat/abc123".to_string(),
            format!("https://gist.github.com/octocat/{LONG}0"),
            format!("https://gist.github.com/octo_cat/{ID}"),
            format!("https://gist.github.com/{}/{ID}", "a".repeat(40)),
        ] {
            assert!(recognize(&url).unwrap().is_err(), "{url}");
        }
        assert!(from_id("not-hex-not-hex-not-hex").is_err());
        assert!(from_id("abc").is_err());
    }

    #[test]
    fn gist_pages_that_are_not_gists_stay_links() {
        for url in [
            "https://gist.github.com/".to_string(),
            "https://gist.github.com/octocat".to_string(),
            "https://gist.github.com/cafe".to_string(),
            "https://gist.github.com/starred".to_string(),
            "https://gist.github.com/octocat/starred".to_string(),
            format!("https://gist.github.com/octocat/{ID}/raw/hello.rs"),
            format!("https://github.com/octocat/{ID}"),
        ] {
            assert!(recognize(&url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            format!("https://gist.github.com/octocat/{ID}%22onload=alert(1)"),
            format!("https://gist.github.com/oc\"to/{ID}"),
            format!("https://gist.github.com/oc'to/{ID}"),
            format!("https://gist.github.com/<script>/{ID}"),
        ] {
            if let Some(Ok(embed)) = recognize(&url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
