//! Dailymotion: `dailymotion.com/video/ID` (a `_slug` after the id is dropped), `dai.ly/ID`,
//! `dailymotion.com/embed/video/ID` and `geo.dailymotion.com/player.html?video=ID`, with
//! `?start=90`.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, query, segments, start_time};

/// Recognises a Dailymotion video URL; `None` for other hosts and other Dailymotion pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = bare_host(url)?;
    let parts = segments(url);
    let id = match (host.as_str(), parts.as_slice()) {
        ("dailymotion.com" | "m.dailymotion.com", ["video", id])
        | ("dailymotion.com" | "m.dailymotion.com", ["embed", "video", id]) => {
            // `x8abc12_title-of-the-video`: the slug is decoration.
            id.split('_').next().unwrap_or_default().to_string()
        }
        ("dai.ly", [id]) => id.to_string(),
        // Custom players are `player/NAME.html`; the video is in the query either way.
        ("geo.dailymotion.com", ["player.html"] | ["player", _]) => match query(url, "video") {
            Some(id) => id,
            None => return Some(Err("a player URL needs a `video=` id".to_string())),
        },
        _ => return None,
    };
    Some(from_id(&id).and_then(|mut embed| {
        embed.start = start_time(query(url, "start"))?;
        Ok(embed)
    }))
}

/// A video by its id: `x` and 4 to 11 letters or digits.
pub(super) fn from_id(id: &str) -> Result<Embed, String> {
    if (5..=12).contains(&id.len()) && id.starts_with('x') && is_token(id, b"") {
        Ok(Embed::new(Provider::Dailymotion, Variant::Video, id))
    } else {
        Err(format!(
            "`{id}` is not a Dailymotion video id (`x` then letters or digits, 5 to 12 characters)"
        ))
    }
}

pub(super) fn links(embed: &Embed) -> Links {
    let id = &embed.id;
    let (page, player) = match embed.start {
        Some(start) => (
            format!("https://www.dailymotion.com/video/{id}?start={start}"),
            format!("https://www.dailymotion.com/embed/video/{id}?autoplay=1&start={start}"),
        ),
        None => (
            format!("https://www.dailymotion.com/video/{id}"),
            format!("https://www.dailymotion.com/embed/video/{id}?autoplay=1"),
        ),
    };
    Links {
        page,
        player: Some(player),
        thumbnail: Some(format!("https://www.dailymotion.com/thumbnail/video/{id}")),
        author: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, recognize};
    use super::from_id;

    fn id_and_start(url: &str) -> (String, Option<u32>) {
        let embed = super::super::recognized(url, Provider::Dailymotion);
        (embed.id, embed.start)
    }

    #[test]
    fn recognises_every_shape() {
        let id = "x8abc12".to_string();
        for url in [
            "https://www.dailymotion.com/video/x8abc12",
            "https://dailymotion.com/video/x8abc12/",
            "https://www.dailymotion.com/video/x8abc12_le-titre-de-la-video-en-francais",
            "https://m.dailymotion.com/video/x8abc12?utm_source=share",
            "https://dai.ly/x8abc12",
            "https://www.dailymotion.com/embed/video/x8abc12",
            "https://geo.dailymotion.com/player.html?video=x8abc12",
            "https://geo.dailymotion.com/player/x1abcd.html?video=x8abc12",
        ] {
            assert_eq!(id_and_start(url), (id.clone(), None), "{url}");
        }
        assert_eq!(
            id_and_start("https://www.dailymotion.com/video/x8abc12?start=90"),
            (id.clone(), Some(90))
        );
        assert_eq!(
            id_and_start("https://dai.ly/x8abc12?start=1m30s"),
            (id, Some(90))
        );
    }

    #[test]
    fn links_are_rebuilt_from_the_id() {
        let links = recognize("https://dai.ly/x8abc12?start=90&utm_campaign=x")
            .unwrap()
            .unwrap()
            .links();
        assert_eq!(
            links.page,
            "https://www.dailymotion.com/video/x8abc12?start=90"
        );
        assert_eq!(
            links.player.unwrap(),
            "https://www.dailymotion.com/embed/video/x8abc12?autoplay=1&start=90"
        );
        assert_eq!(
            links.thumbnail.unwrap(),
            "https://www.dailymotion.com/thumbnail/video/x8abc12"
        );
        let plain = from_id("x8abc12").unwrap().links();
        assert_eq!(plain.page, "https://www.dailymotion.com/video/x8abc12");
        assert_eq!(
            plain.player.unwrap(),
            "https://www.dailymotion.com/embed/video/x8abc12?autoplay=1"
        );
    }

    #[test]
    fn invalid_ids_and_times_are_errors() {
        for url in [
            "https://www.dailymotion.com/video/y8abc12",
            "https://www.dailymotion.com/video/x1",
            "https://dai.ly/x8abc12345678",
            "https://geo.dailymotion.com/player.html",
            "https://geo.dailymotion.com/player.html?video=x8abc%3C",
            "https://dai.ly/x8abc12?start=later",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
        assert!(from_id("x8ab-12").is_err());
    }

    #[test]
    fn dailymotion_pages_that_are_not_videos_stay_links() {
        for url in [
            "https://www.dailymotion.com/",
            "https://www.dailymotion.com/franceinfo",
            "https://www.dailymotion.com/playlist/x6hynp",
            "https://www.dailymotion.com/video",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://www.dailymotion.com/video/x8abc%22onload=alert(1)",
            "https://dai.ly/x8abc'12",
            "https://geo.dailymotion.com/player.html?video=x8abc\"><script>",
            "https://www.dailymotion.com/video/x8abc12?start=1%22",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
