//! SoundCloud: tracks `soundcloud.com/ARTIST/TRACK` and playlists
//! `soundcloud.com/ARTIST/sets/SET`, on `www.` and `m.` hosts, each with an optional secret
//! `/s-TOKEN` for private links. `on.soundcloud.com` short links must be expanded first.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, segments};

/// First segments that are SoundCloud's own pages, not artists.
const RESERVED: [&str; 22] = [
    "charts",
    "discover",
    "feed",
    "for-artists",
    "home",
    "imprint",
    "jobs",
    "messages",
    "mobile",
    "notifications",
    "pages",
    "people",
    "popular",
    "premium",
    "search",
    "settings",
    "signin",
    "stream",
    "tags",
    "terms-of-use",
    "upload",
    "you",
];

/// Second segments that are an artist's own pages, not tracks.
const ARTIST_PAGES: [&str; 10] = [
    "albums",
    "comments",
    "followers",
    "following",
    "likes",
    "popular-tracks",
    "reposts",
    "sets",
    "spotlight",
    "tracks",
];

/// Recognises a track or playlist URL; `None` for other hosts and other SoundCloud pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = bare_host(url)?;
    if host == "on.soundcloud.com" {
        return Some(Err(
            "`on.soundcloud.com` links are shortened: open it and paste the full soundcloud.com URL"
                .to_string(),
        ));
    }
    if host != "soundcloud.com" && host != "m.soundcloud.com" {
        return None;
    }
    let parts = segments(url);
    let artist = *parts.first()?;
    if RESERVED.contains(&artist) {
        return None;
    }
    let is_secret = |part: &str| part.starts_with("s-");
    let (variant, names) = match parts.as_slice() {
        [_, "sets", _] => (Variant::Playlist, parts.as_slice()),
        [_, "sets", _, secret] if is_secret(secret) => (Variant::Playlist, parts.as_slice()),
        [_, track] if !ARTIST_PAGES.contains(track) => (Variant::Track, parts.as_slice()),
        [_, track, secret] if !ARTIST_PAGES.contains(track) && is_secret(secret) => {
            (Variant::Track, parts.as_slice())
        }
        _ => return None,
    };
    for name in names {
        if name.len() > 100 || !is_token(name, b"_-") {
            return Some(Err(format!(
                "`{name}` is not a SoundCloud name (up to 100 letters, digits, _ or -)"
            )));
        }
    }
    Some(Ok(Embed::new(
        Provider::SoundCloud,
        variant,
        names.join("/"),
    )))
}

pub(super) fn links(embed: &Embed) -> Links {
    let id = &embed.id;
    // The id is letters, digits, `_`, `-` and `/`: only `/` needs encoding in a query value.
    let encoded = id.replace('/', "%2F");
    Links::player(
        format!("https://soundcloud.com/{id}"),
        format!(
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2F{encoded}&auto_play=true&visual=false"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};

    fn embed(url: &str) -> super::Embed {
        super::super::recognized(url, Provider::SoundCloud)
    }

    #[test]
    fn recognises_tracks_and_playlists() {
        for url in [
            "https://soundcloud.com/forss/flickermood",
            "https://www.soundcloud.com/forss/flickermood/",
            "https://m.soundcloud.com/forss/flickermood",
            "https://soundcloud.com/forss/flickermood?si=0123456789abcdef&utm_source=clipboard",
            "https://soundcloud.com/forss/flickermood?in=forss/sets/soulhack",
        ] {
            let found = embed(url);
            assert_eq!(found.id, "forss/flickermood", "{url}");
            assert_eq!(found.variant, Variant::Track, "{url}");
        }
        let set = embed("https://soundcloud.com/forss/sets/soulhack?utm_medium=text");
        assert_eq!(set.id, "forss/sets/soulhack");
        assert_eq!(set.variant, Variant::Playlist);
        let secret = embed("https://soundcloud.com/forss/flickermood/s-AbC123xyz");
        assert_eq!(secret.id, "forss/flickermood/s-AbC123xyz");
    }

    #[test]
    fn links_go_through_the_widget() {
        let links = embed("https://m.soundcloud.com/forss/flickermood?si=abc").links();
        assert_eq!(links.page, "https://soundcloud.com/forss/flickermood");
        assert_eq!(
            links.player.unwrap(),
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood&auto_play=true&visual=false"
        );
        let set = embed("https://soundcloud.com/forss/sets/soulhack").links();
        assert_eq!(
            set.player.unwrap(),
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fsets%2Fsoulhack&auto_play=true&visual=false"
        );
    }

    #[test]
    fn invalid_names_and_short_links_are_errors() {
        for url in [
            "https://soundcloud.com/for.ss/flickermood",
            "https://soundcloud.com/forss/flicker%C3%A9mood",
            "https://soundcloud.com/forss/sets/soul~hack",
            "https://on.soundcloud.com/AbCdEf123",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
        let long = format!("https://soundcloud.com/forss/{}", "a".repeat(101));
        assert!(recognize(&long).unwrap().is_err());
    }

    #[test]
    fn soundcloud_pages_that_are_not_tracks_stay_links() {
        for url in [
            "https://soundcloud.com/",
            "https://soundcloud.com/forss",
            "https://soundcloud.com/forss/tracks",
            "https://soundcloud.com/forss/sets",
            "https://soundcloud.com/forss/likes",
            "https://soundcloud.com/discover/sets/charts-top",
            "https://soundcloud.com/search/sounds?q=forss",
            "https://soundcloud.com/you/library",
            "https://soundcloud.com/pages/privacy",
            "https://soundcloud.com/forss/flickermood/recommended",
            "https://example.org/forss/flickermood",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://soundcloud.com/forss/flicker%22mood",
            "https://soundcloud.com/forss/flicker'mood",
            "https://soundcloud.com/for<ss/flickermood",
            "https://soundcloud.com/forss/flickermood/s-%26url=evil",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
