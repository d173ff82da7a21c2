//! Vimeo: `vimeo.com/ID`, unlisted `vimeo.com/ID/HASH`, `vimeo.com/channels/NAME/ID`,
//! `vimeo.com/groups/NAME/videos/ID` and `player.vimeo.com/video/ID` (with `?h=HASH`), with
//! `#t=90s` or `#t=1m30s`. Other Vimeo pages (`vimeo.com/about`, `vimeo.com/user123`) stay
//! links.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, query, segments, start_time};

/// Recognises a Vimeo video URL; `None` for other hosts and other Vimeo pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = bare_host(url)?;
    let parts = segments(url);
    let (id, hash) = match (host.as_str(), parts.as_slice()) {
        // Only all-digit first segments are videos: the rest are users, channels and pages.
        ("vimeo.com", [id]) if is_digits(id) => (*id, None),
        // `ID/HASH` is an unlisted video; `ID/description` and other words are its pages.
        ("vimeo.com", [id, hash]) if is_digits(id) && is_hex(hash) => (*id, Some(hash.to_string())),
        ("vimeo.com", ["channels", _, id]) => (*id, None),
        ("vimeo.com", ["groups", _, "videos", id]) => (*id, None),
        ("player.vimeo.com", ["video", id]) => (*id, query(url, "h")),
        _ => return None,
    };
    let from_fragment = url
        .fragment()
        .and_then(|f| f.strip_prefix("t="))
        .map(str::to_string);
    Some(from_id(id).and_then(|mut embed| {
        if let Some(hash) = hash {
            embed.user = Some(unlisted_hash(&hash)?);
        }
        embed.start = start_time(from_fragment)?;
        Ok(embed)
    }))
}

/// A video by its numeric id.
pub(super) fn from_id(id: &str) -> Result<Embed, String> {
    if (1..=12).contains(&id.len()) && is_digits(id) {
        Ok(Embed::new(Provider::Vimeo, Variant::Video, id))
    } else {
        Err(format!(
            "`{id}` is not a Vimeo video id (digits only, at most 12)"
        ))
    }
}

fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The hash that unlocks an unlisted video, kept in [`Embed::user`].
fn unlisted_hash(hash: &str) -> Result<String, String> {
    if (6..=20).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hash.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{hash}` is not the hash of an unlisted Vimeo video (6 to 20 hexadecimal digits)"
        ))
    }
}

pub(super) fn links(embed: &Embed) -> Links {
    let id = &embed.id;
    let time = embed.start.map(|s| format!("#t={s}s")).unwrap_or_default();
    // An unlisted video's page is unreachable without its hash.
    let (page, hash) = match &embed.user {
        Some(hash) => (
            format!("https://vimeo.com/{id}/{hash}"),
            format!("&h={hash}"),
        ),
        None => (format!("https://vimeo.com/{id}"), String::new()),
    };
    Links::player(
        format!("{page}{time}"),
        format!("https://player.vimeo.com/video/{id}?dnt=1&autoplay=1{hash}{time}"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, recognize};
    use super::from_id;

    fn id_and_start(url: &str) -> (String, Option<u32>) {
        let embed = super::super::recognized(url, Provider::Vimeo);
        (embed.id, embed.start)
    }

    #[test]
    fn recognises_every_shape() {
        let id = "76979871".to_string();
        for url in [
            "https://vimeo.com/76979871",
            "https://www.vimeo.com/76979871/",
            "http://vimeo.com/76979871?utm_source=newsletter",
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://vimeo.com/groups/shortfilms/videos/76979871",
            "https://player.vimeo.com/video/76979871?badge=0",
        ] {
            assert_eq!(id_and_start(url), (id.clone(), None), "{url}");
        }
        assert_eq!(
            id_and_start("https://vimeo.com/76979871#t=90s"),
            (id.clone(), Some(90))
        );
        assert_eq!(
            id_and_start("https://vimeo.com/76979871#t=1m30s"),
            (id, Some(90))
        );
    }

    #[test]
    fn links_use_the_do_not_track_player() {
        let links = recognize("https://vimeo.com/76979871?share=copy#t=1m30s")
            .unwrap()
            .unwrap()
            .links();
        assert_eq!(links.page, "https://vimeo.com/76979871#t=90s");
        assert_eq!(
            links.player.unwrap(),
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1#t=90s"
        );
        assert_eq!(links.thumbnail, None);
        assert_eq!(links.author, None);
        let plain = from_id("76979871").unwrap().links();
        assert_eq!(
            plain.player.unwrap(),
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"
        );
    }

    #[test]
    fn unlisted_videos_keep_their_hash() {
        for url in [
            "https://vimeo.com/76979871/a1b2c3d4e5",
            "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&badge=0",
        ] {
            let embed = recognize(url).unwrap().unwrap();
            assert_eq!(embed.user.as_deref(), Some("a1b2c3d4e5"), "{url}");
            let links = embed.links();
            assert_eq!(links.page, "https://vimeo.com/76979871/a1b2c3d4e5");
            assert_eq!(
                links.player.unwrap(),
                "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=a1b2c3d4e5"
            );
        }
    }

    #[test]
    fn invalid_ids_hashes_and_times_are_errors() {
        for url in [
            "https://vimeo.com/1234567890123",
            "https://vimeo.com/channels/staffpicks/abc",
            "https://player.vimeo.com/video/12ab",
            "https://vimeo.com/76979871/abc",
            "https://player.vimeo.com/video/76979871?h=%22%3E",
            "https://vimeo.com/76979871#t=soon",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
        assert!(from_id("").is_err());
        assert!(from_id("76979871x").is_err());
    }

    #[test]
    fn vimeo_pages_that_are_not_videos_stay_links() {
        assert!(recognize("https://vimeo.com/76979871/description").is_none());
        for url in [
            "https://vimeo.com/",
            "https://vimeo.com/about",
            "https://vimeo.com/user123",
            "https://vimeo.com/channels/staffpicks",
            "https://vimeo.com/123%22onload=alert(1)",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://vimeo.com/123%22onload=alert(1)",
            "https://vimeo.com/123/%3Cscript%3E",
            "https://player.vimeo.com/video/123'onload",
            "https://vimeo.com/channels/x/1<2",
            "https://vimeo.com/76979871#t=1%22",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
