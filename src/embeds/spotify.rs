//! Spotify podcasts: `open.spotify.com/episode/ID` and `/show/ID`, also behind a locale
//! (`/intl-fr/episode/ID`) or from the embed player (`/embed/episode/ID`). Music cannot be
//! embedded: a track or album URL is an error that says so.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, segments};

/// Recognises an episode or show URL; `None` for other hosts and other Spotify pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = bare_host(url)?;
    if host == "spotify.link" || host == "spotify.app.link" {
        return Some(Err(format!(
            "`{host}` links are shortened: open it and paste the full open.spotify.com URL"
        )));
    }
    if host != "open.spotify.com" {
        return None;
    }
    let mut parts = segments(url);
    if parts
        .first()
        .and_then(|p| p.strip_prefix("intl-"))
        .is_some_and(|locale| locale.len() <= 8 && is_token(locale, b"-"))
    {
        parts.remove(0);
    }
    if matches!(parts.first(), Some(&("embed" | "embed-podcast"))) {
        parts.remove(0);
    }
    match parts.as_slice() {
        ["episode", id] => Some(podcast(Variant::Episode, id)),
        ["show", id] => Some(podcast(Variant::Show, id)),
        [kind @ ("track" | "album" | "playlist" | "artist"), _] => Some(Err(format!(
            "Spotify `{kind}` URLs cannot be embedded: only podcast episodes and shows are supported"
        ))),
        _ => None,
    }
}

/// An episode by its id.
pub(super) fn from_id(id: &str) -> Result<Embed, String> {
    podcast(Variant::Episode, id)
}

fn podcast(variant: Variant, id: &str) -> Result<Embed, String> {
    if id.len() == 22 && is_token(id, b"") {
        Ok(Embed::new(Provider::Spotify, variant, id))
    } else {
        Err(format!(
            "`{id}` is not a Spotify {} id (22 letters or digits)",
            variant.name()
        ))
    }
}

pub(super) fn links(embed: &Embed) -> Links {
    let kind = if embed.variant == Variant::Show {
        "show"
    } else {
        "episode"
    };
    let id = &embed.id;
    Links::player(
        format!("https://open.spotify.com/{kind}/{id}"),
        format!("https://open.spotify.com/embed/{kind}/{id}?autoplay=1"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};
    use super::from_id;

    const ID: &str = "4rOoJ6Egrf8K2IrywzwOMk";

    fn embed(url: &str) -> super::Embed {
        super::super::recognized(url, Provider::Spotify)
    }

    #[test]
    fn recognises_episodes_and_shows() {
        for url in [
            format!("https://open.spotify.com/episode/{ID}"),
            format!("https://open.spotify.com/episode/{ID}/"),
            format!("https://open.spotify.com/episode/{ID}?si=a1b2c3d4e5f6&utm_source=copy-link"),
            format!("https://open.spotify.com/intl-fr/episode/{ID}"),
            format!("https://open.spotify.com/intl-pt-br/episode/{ID}"),
            format!("https://open.spotify.com/embed/episode/{ID}?utm_source=generator"),
            format!("https://open.spotify.com/embed-podcast/episode/{ID}"),
        ] {
            let found = embed(&url);
            assert_eq!(found.id, ID, "{url}");
            assert_eq!(found.variant, Variant::Episode, "{url}");
        }
        let show = embed(&format!("https://open.spotify.com/show/{ID}?si=xyz"));
        assert_eq!(show.variant, Variant::Show);
    }

    #[test]
    fn links_are_rebuilt_from_the_id() {
        let links = embed(&format!("https://open.spotify.com/intl-de/show/{ID}?si=x")).links();
        assert_eq!(links.page, format!("https://open.spotify.com/show/{ID}"));
        assert_eq!(
            links.player.unwrap(),
            format!("https://open.spotify.com/embed/show/{ID}?autoplay=1")
        );
        let episode = from_id(ID).unwrap();
        assert_eq!(episode.variant, Variant::Episode);
        assert_eq!(
            episode.links().player.unwrap(),
            format!("https://open.spotify.com/embed/episode/{ID}?autoplay=1")
        );
    }

    #[test]
    fn invalid_ids_and_music_are_errors() {
        for url in [
            "https://open.spotify.com/episode/tooshort".to_string(),
            format!("https://open.spotify.com/show/{ID}x"),
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2Iryw-wOMk".to_string(),
            "https://spotify.link/AbCdEf".to_string(),
        ] {
            assert!(recognize(&url).unwrap().is_err(), "{url}");
        }
        for kind in ["track", "album", "playlist", "artist"] {
            let reason = recognize(&format!("https://open.spotify.com/{kind}/{ID}"))
                .unwrap()
                .unwrap_err();
            assert!(
                reason.contains("only podcast episodes and shows are supported"),
                "{reason}"
            );
        }
        assert!(from_id("4rOoJ6Egrf8K2IrywzwOM").is_err());
    }

    #[test]
    fn spotify_pages_that_are_not_podcasts_stay_links() {
        for url in [
            "https://open.spotify.com/".to_string(),
            "https://open.spotify.com/search/rust".to_string(),
            "https://open.spotify.com/user/spotify".to_string(),
            "https://www.spotify.com/fr/premium/".to_string(),
            format!("https://example.org/episode/{ID}"),
        ] {
            assert!(recognize(&url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2Iryw%22onl",
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2Irywz'OMk",
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2Iry<wzOMk",
            "https://open.spotify.com/intl-%22/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                let links = embed.links();
                for link in [links.page, links.player.unwrap()] {
                    assert!(!link.contains(['"', '<', '>', '\'']), "{url}: {link}");
                }
            }
        }
    }
}
