//! PeerTube, on any instance: `/w/ID`, `/videos/watch/ID` and `/videos/embed/ID` videos,
//! `/w/p/ID`, `/videos/watch/playlist/ID` and `/video-playlists/embed/ID` playlists, with
//! `?start=90s` or `?start=1m30s`. An ID is a short UUID (22 base58 characters) or a UUID.
//!
//! Any site may have such paths, so only exact id shapes are claimed, and a wrong one leaves
//! the URL a plain link rather than an error.

use url::Url;

use super::{Embed, Links, Provider, Variant, query, segments, start_time};

/// Recognises a PeerTube video or playlist URL by its shape; `None` for anything else.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = instance(url)?;
    let parts = segments(url);
    let (variant, id) = match parts.as_slice() {
        ["w", "p", id]
        | ["videos", "watch", "playlist", id]
        | ["video-playlists", "embed" | "watch", id] => (Variant::Playlist, *id),
        ["w", id] | ["videos", "watch" | "embed", id] => (Variant::Video, *id),
        _ => return None,
    };
    if !is_short_uuid(id) && !is_uuid(id) {
        return None;
    }
    let mut embed = Embed::new(Provider::PeerTube, variant, id);
    embed.host = Some(host);
    if variant == Variant::Video
        && let Err(reason) = start_time(query(url, "start")).map(|start| embed.start = start)
    {
        return Some(Err(reason));
    }
    Some(Ok(embed))
}

/// The instance part of a federated URL, `host` or `host:port`, as kept in [`Embed::host`];
/// `None` if it is no DNS name or belongs to a provider that is not federated.
pub(super) fn instance(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    };
    let name = host.split(':').next().unwrap_or_default();
    let platform = PLATFORMS
        .iter()
        .any(|p| name == *p || name.strip_suffix(p).is_some_and(|s| s.ends_with('.')));
    (is_host(&host) && !platform).then_some(host)
}

/// Sites with paths shaped like an instance's that are not instances.
const PLATFORMS: [&str; 14] = [
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
    "x.com",
    "twitter.com",
    "bsky.app",
    "github.com",
    "codepen.io",
    "soundcloud.com",
    "spotify.com",
    "medium.com",
    "tiktok.com",
    "threads.net",
];

/// Whether `text` is a lowercase DNS name with at least two labels, then an optional `:port`.
pub(super) fn is_host(text: &str) -> bool {
    let (name, port) = match text.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (text, None),
    };
    let port_ok = port.is_none_or(|p| {
        (1..=5).contains(&p.len())
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|p| p > 0)
    });
    port_ok && is_domain(name) && !name.bytes().any(|b| b.is_ascii_uppercase())
}

/// Whether `text` is a DNS name of at least two labels of letters, digits and inner `-`,
/// whose last label starts with a letter (so no IP address).
pub(super) fn is_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    text.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// 22 characters of the base58 alphabet (no `0`, `O`, `I`, `l`).
fn is_short_uuid(id: &str) -> bool {
    id.len() == 22
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'))
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub(super) fn links(embed: &Embed) -> Links {
    let host = embed.host.as_deref().unwrap_or_default();
    let id = &embed.id;
    let (page, player) = if embed.variant == Variant::Playlist {
        (
            format!("https://{host}/w/p/{id}"),
            format!("https://{host}/video-playlists/embed/{id}?autoplay=1"),
        )
    } else {
        let start = embed.start.map(|s| format!("start={s}s"));
        (
            match &start {
                Some(start) => format!("https://{host}/w/{id}?{start}"),
                None => format!("https://{host}/w/{id}"),
            },
            match &start {
                Some(start) => format!("https://{host}/videos/embed/{id}?autoplay=1&{start}"),
                None => format!("https://{host}/videos/embed/{id}?autoplay=1"),
            },
        )
    };
    Links::player(page, player)
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};
    use super::{is_domain, is_host};

    const UUID: &str = "9c9de5e8-0a1e-484a-b099-e80766180a6d";

    fn embed(url: &str) -> super::Embed {
        super::super::recognized(url, Provider::PeerTube)
    }

    #[test]
    fn recognises_every_shape() {
        for (url, id) in [
            (
                "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
                "kkGMgK9ZtnKfYAgnEtQxbv",
            ),
            (
                "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv/",
                "kkGMgK9ZtnKfYAgnEtQxbv",
            ),
            (
                "https://peertube.example.net:8443/w/kkGMgK9ZtnKfYAgnEtQxbv?utm_source=x",
                "kkGMgK9ZtnKfYAgnEtQxbv",
            ),
            (&format!("https://framatube.org/videos/watch/{UUID}"), UUID),
            (&format!("https://framatube.org/videos/embed/{UUID}"), UUID),
            (&format!("https://framatube.org/w/{UUID}"), UUID),
        ] {
            let found = embed(url);
            assert_eq!(found.id, id, "{url}");
            assert_eq!(found.variant, Variant::Video, "{url}");
        }
        assert_eq!(
            embed("https://peertube.example.net:8443/w/kkGMgK9ZtnKfYAgnEtQxbv")
                .host
                .as_deref(),
            Some("peertube.example.net:8443")
        );
        assert_eq!(
            embed("https://FramaTube.org/w/kkGMgK9ZtnKfYAgnEtQxbv")
                .host
                .as_deref(),
            Some("framatube.org")
        );
    }

    #[test]
    fn playlists_and_start_times() {
        for url in [
            "https://framatube.org/w/p/kkGMgK9ZtnKfYAgnEtQxbv",
            &format!("https://framatube.org/videos/watch/playlist/{UUID}"),
            &format!("https://framatube.org/video-playlists/embed/{UUID}"),
        ] {
            assert_eq!(embed(url).variant, Variant::Playlist, "{url}");
        }
        let list = embed("https://framatube.org/w/p/kkGMgK9ZtnKfYAgnEtQxbv?start=90").links();
        assert_eq!(
            list.page,
            "https://framatube.org/w/p/kkGMgK9ZtnKfYAgnEtQxbv"
        );
        assert_eq!(
            list.player.unwrap(),
            "https://framatube.org/video-playlists/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1"
        );
        assert_eq!(
            embed("https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv?start=90s").start,
            Some(90)
        );
        assert_eq!(
            embed("https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv?start=1m30s").start,
            Some(90)
        );
    }

    #[test]
    fn links_are_rebuilt_on_the_instance() {
        let links = embed(&format!(
            "http://framatube.org/videos/watch/{UUID}?start=1m30s&utm_medium=feed"
        ))
        .links();
        assert_eq!(
            links.page,
            format!("https://framatube.org/w/{UUID}?start=90s")
        );
        assert_eq!(
            links.player.unwrap(),
            format!("https://framatube.org/videos/embed/{UUID}?autoplay=1&start=90s")
        );
        let plain = embed("https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv").links();
        assert_eq!(plain.page, "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv");
        assert_eq!(
            plain.player.unwrap(),
            "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1"
        );
        assert_eq!(plain.thumbnail, None);
    }

    #[test]
    fn invalid_start_times_are_errors() {
        assert!(
            recognize("https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv?start=later")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn other_paths_and_hosts_stay_links() {
        for url in [
            "https://example.org/w/about",
            "https://example.org/w/kkGMgK9ZtnKfYAgnEtQxb",
            "https://example.org/w/kkGMgK9ZtnKfYAgnEtQxbvv",
            "https://example.org/w/kkGMgK9ZtnKfYAgnEtQxb0",
            "https://en.wikipedia.org/w/index.php",
            "https://example.org/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6",
            "https://example.org/w/p/short",
            "https://framatube.org/",
            "https://framatube.org/c/channel/videos",
            "https://127.0.0.1/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://localhost/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://www.youtube.com/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://gist.github.com/w/kkGMgK9ZtnKfYAgnEtQxbv",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQx%22",
            "https://framatube.org/w/kkGMgK9ZtnKfYAg<script>",
            "https://evil_host.example/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv?start=1%22",
            "https://user:pa'ss@framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                let links = embed.links();
                for link in [links.page, links.player.unwrap()] {
                    assert!(!link.contains(['"', '<', '>', '\'', '@']), "{url}: {link}");
                }
            }
        }
    }

    #[test]
    fn hosts_are_dns_names() {
        assert!(is_host("framatube.org"));
        assert!(is_host("video.example.co.uk:8443"));
        assert!(is_host("xn--bcher-kva.example"));
        for bad in [
            "localhost",
            "127.0.0.1",
            "Framatube.org",
            "-a.org",
            "a..org",
            "a.org:",
            "a.org:0",
            "a.org:99999",
            "a.org:80:80",
            "a_b.org",
            "a.org/x",
            "a.org\"",
            "[::1]",
        ] {
            assert!(!is_host(bad), "{bad}");
        }
        assert!(is_domain("alice.bsky.social"));
        assert!(!is_domain("alice"));
    }
}
