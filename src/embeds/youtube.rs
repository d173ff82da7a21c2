//! YouTube: `watch?v=`, `youtu.be/`, `shorts/`, `embed/`, `live/` and `playlist?list=` URLs, on
//! `www.`, `m.` and `music.` hosts, with `t=` or `start=`. Tracking parameters (`si=`,
//! `feature=`) are dropped: links are rebuilt from the id.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, query, segments, start_time};

/// Recognises a YouTube video or playlist URL; `None` for other hosts and other YouTube pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = bare_host(url)?;
    let parts = segments(url);
    let watch_hosts = ["youtube.com", "m.youtube.com", "music.youtube.com"];
    let (variant, id) = match (host.as_str(), parts.as_slice()) {
        ("youtu.be", [id]) => (Variant::Video, id.to_string()),
        (host, ["watch"]) if watch_hosts.contains(&host) => match query(url, "v") {
            Some(id) => (Variant::Video, id),
            None => return Some(Err("a watch URL needs a `v=` video id".to_string())),
        },
        (host, ["playlist"]) if watch_hosts.contains(&host) => match query(url, "list") {
            Some(list) => return Some(playlist(&list)),
            None => return Some(Err("a playlist URL needs a `list=` id".to_string())),
        },
        // The embed code YouTube gives for a playlist.
        ("youtube.com" | "m.youtube.com" | "youtube-nocookie.com", ["embed", "videoseries"]) => {
            return Some(match query(url, "list") {
                Some(list) => playlist(&list),
                None => Err("a videoseries URL needs a `list=` id".to_string()),
            });
        }
        ("youtube.com" | "m.youtube.com", ["shorts", id]) => (Variant::Short, id.to_string()),
        ("youtube.com" | "m.youtube.com", ["live", id]) => (Variant::Live, id.to_string()),
        ("youtube.com" | "m.youtube.com" | "youtube-nocookie.com", ["embed" | "v", id]) => {
            (Variant::Video, id.to_string())
        }
        _ => return None,
    };
    let from_fragment = url
        .fragment()
        .and_then(|f| f.strip_prefix("t="))
        .map(str::to_string);
    Some(video(variant, &id).and_then(|mut embed| {
        embed.start = start_time(
            query(url, "t")
                .or_else(|| query(url, "start"))
                .or(from_fragment),
        )?;
        Ok(embed)
    }))
}

/// A video by its 11-character id.
pub(super) fn from_id(id: &str) -> Result<Embed, String> {
    video(Variant::Video, id)
}

fn video(variant: Variant, id: &str) -> Result<Embed, String> {
    if id.len() == 11 && is_token(id, b"_-") {
        Ok(Embed::new(Provider::YouTube, variant, id))
    } else {
        Err(format!(
            "`{id}` is not a YouTube video id (11 characters among A-Z, a-z, 0-9, _ and -)"
        ))
    }
}

fn playlist(list: &str) -> Result<Embed, String> {
    if (2..=64).contains(&list.len()) && is_token(list, b"_-") {
        Ok(Embed::new(Provider::YouTube, Variant::Playlist, list))
    } else {
        Err(format!(
            "`{list}` is not a YouTube playlist id (letters, digits, _ and -)"
        ))
    }
}

pub(super) fn links(embed: &Embed) -> Links {
    let id = &embed.id;
    if embed.variant == Variant::Playlist {
        return Links::player(
            format!("https://www.youtube.com/playlist?list={id}"),
            format!("https://www.youtube-nocookie.com/embed/videoseries?list={id}&autoplay=1"),
        );
    }
    let (page, player) = match embed.start {
        Some(start) => (
            format!("https://www.youtube.com/watch?v={id}&t={start}s"),
            format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1&start={start}"),
        ),
        None => (
            format!("https://www.youtube.com/watch?v={id}"),
            format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
        ),
    };
    let page = if embed.variant == Variant::Short && embed.start.is_none() {
        format!("https://www.youtube.com/shorts/{id}")
    } else {
        page
    };
    Links {
        page,
        player: Some(player),
        thumbnail: Some(format!("https://i.ytimg.com/vi/{id}/hqdefault.jpg")),
        author: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Variant, recognize};

    fn id_and_start(url: &str) -> (String, Option<u32>) {
        let embed = recognize(url).expect("recognised").expect("valid");
        (embed.id, embed.start)
    }

    #[test]
    fn recognises_every_shape() {
        let id = "dQw4w9WgXcQ".to_string();
        assert_eq!(
            id_and_start("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            (id.clone(), None)
        );
        assert_eq!(
            id_and_start("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=42"),
            (id.clone(), Some(42))
        );
        assert_eq!(
            id_and_start("https://youtu.be/dQw4w9WgXcQ?si=tracking&t=1m30s"),
            (id.clone(), Some(90))
        );
        assert_eq!(
            id_and_start("https://youtube.com/shorts/dQw4w9WgXcQ"),
            (id.clone(), None)
        );
        assert_eq!(
            id_and_start("https://www.youtube.com/embed/dQw4w9WgXcQ?start=75"),
            (id.clone(), Some(75))
        );
        assert_eq!(
            id_and_start("http://www.youtube.com/live/dQw4w9WgXcQ"),
            (id, None)
        );
    }

    #[test]
    fn reads_start_times_as_youtube_does() {
        let start = |url: &str| id_and_start(url).1;
        assert_eq!(start("https://youtu.be/dQw4w9WgXcQ#t=30"), Some(30));
        assert_eq!(start("https://youtu.be/dQw4w9WgXcQ?t=1m30"), Some(90));
        assert_eq!(start("https://youtu.be/dQw4w9WgXcQ?t=1h"), Some(3600));
        assert_eq!(
            start("https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share"),
            None
        );
    }

    #[test]
    fn invalid_ids_and_times_are_errors() {
        assert!(
            recognize("https://www.youtube.com/watch?v=short")
                .unwrap()
                .is_err()
        );
        assert!(recognize("https://youtu.be/dQw4w9WgXc!").unwrap().is_err());
        assert!(
            recognize("https://www.youtube.com/watch?list=PL123")
                .unwrap()
                .is_err()
        );
        assert!(
            recognize("https://www.youtube.com/playlist?list=PL<script>")
                .unwrap()
                .is_err()
        );
        assert!(
            recognize("https://youtu.be/dQw4w9WgXcQ?t=soon")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn mobile_shorts_live_and_playlists() {
        let embed = recognize("https://m.youtube.com/shorts/dQw4w9WgXcQ?si=abc")
            .unwrap()
            .unwrap();
        assert_eq!(embed.variant, Variant::Short);
        assert_eq!(
            embed.links().page,
            "https://www.youtube.com/shorts/dQw4w9WgXcQ"
        );
        let live = recognize("https://www.youtube.com/live/dQw4w9WgXcQ?si=x")
            .unwrap()
            .unwrap();
        assert_eq!(live.variant, Variant::Live);
        let list =
            recognize("https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf")
                .unwrap()
                .unwrap();
        assert_eq!(list.variant, Variant::Playlist);
        let series = recognize("https://www.youtube-nocookie.com/embed/videoseries?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf")
            .unwrap()
            .unwrap();
        assert_eq!(series, list);
        assert_eq!(
            list.links().player.unwrap(),
            "https://www.youtube-nocookie.com/embed/videoseries?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf&autoplay=1"
        );
    }

    #[test]
    fn tracking_parameters_are_dropped() {
        let links = recognize("https://youtu.be/dQw4w9WgXcQ?si=Zx81tRkFvPwLp2aX")
            .unwrap()
            .unwrap()
            .links();
        assert_eq!(links.page, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
        assert_eq!(
            links.player.unwrap(),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
        );
    }

    #[test]
    fn youtube_pages_that_are_not_videos_stay_links() {
        assert!(recognize("https://www.youtube.com/@channel").is_none());
        assert!(recognize("https://www.youtube.com/").is_none());
    }
}
