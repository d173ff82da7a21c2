//! X (formerly Twitter): `x.com/USER/status/ID` and `/USER/statuses/ID`, on `x.com`,
//! `twitter.com` and their `www.` and `mobile.` hosts; whatever follows the id (`/photo/1`,
//! `/video/1`) and the query (`?s=20`) are dropped. `/i/status/ID` and `/i/web/status/ID` name
//! no user. The post's date comes from its id.

use jiff::Timestamp;
use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, segments};

/// Milliseconds since the Unix epoch at X's snowflake epoch.
const EPOCH_MS: i64 = 1_288_834_974_657;
/// Ids below this one predate snowflakes (November 2010) and encode no date.
const FIRST_SNOWFLAKE: u64 = 29_700_859_247;

/// Recognises a post URL; `None` for other hosts and other X pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = bare_host(url)?;
    if !matches!(
        host.as_str(),
        "x.com" | "twitter.com" | "mobile.x.com" | "mobile.twitter.com"
    ) {
        return None;
    }
    let parts = segments(url);
    let (user, id) = match parts.as_slice() {
        ["i", "status", id, ..] | ["i", "web", "status", id, ..] => (None, *id),
        [user, "status" | "statuses", id, ..] => (Some(*user), *id),
        _ => return None,
    };
    Some(post(user, id))
}

fn post(user: Option<&str>, id: &str) -> Result<Embed, String> {
    let number = id
        .parse::<u64>()
        .ok()
        .filter(|_| id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("`{id}` is not a post id on X (digits only, at most 19)"))?;
    let mut embed = Embed::new(Provider::X, Variant::Post, id);
    if let Some(user) = user {
        if user.len() > 15 || !is_token(user, b"_") {
            return Err(format!(
                "`{user}` is not a user name on X (up to 15 letters, digits or _)"
            ));
        }
        embed.user = Some(user.to_string());
        embed.author = Some(format!("@{user}"));
    }
    embed.date = date(number);
    Ok(embed)
}

/// The time a snowflake id encodes in its top 42 bits.
fn date(id: u64) -> Option<Timestamp> {
    if id < FIRST_SNOWFLAKE {
        return None;
    }
    let ms = i64::try_from(id >> 22).ok()? + EPOCH_MS;
    Timestamp::from_millisecond(ms).ok()
}

pub(super) fn links(embed: &Embed) -> Links {
    let id = &embed.id;
    let (page, author) = match &embed.user {
        Some(user) => (
            format!("https://x.com/{user}/status/{id}"),
            Some(format!("https://x.com/{user}")),
        ),
        None => (format!("https://x.com/i/status/{id}"), None),
    };
    Links::post(page, author)
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};

    fn embed(url: &str) -> super::Embed {
        super::super::recognized(url, Provider::X)
    }

    #[test]
    fn recognises_every_shape() {
        for url in [
            "https://x.com/rustlang/status/1888954372823576866",
            "https://www.x.com/rustlang/status/1888954372823576866/",
            "https://twitter.com/rustlang/status/1888954372823576866?s=20&t=abcdef",
            "https://mobile.twitter.com/rustlang/status/1888954372823576866",
            "https://mobile.x.com/rustlang/statuses/1888954372823576866",
            "https://x.com/rustlang/status/1888954372823576866/photo/1",
            "https://x.com/rustlang/status/1888954372823576866/video/1?utm_source=feed",
        ] {
            let found = embed(url);
            assert_eq!(found.id, "1888954372823576866", "{url}");
            assert_eq!(found.user.as_deref(), Some("rustlang"), "{url}");
            assert_eq!(found.author.as_deref(), Some("@rustlang"), "{url}");
            assert_eq!(found.variant, Variant::Post, "{url}");
        }
        let anonymous = embed("https://x.com/i/web/status/1888954372823576866");
        assert_eq!(anonymous.user, None);
        assert_eq!(anonymous.author, None);
        assert_eq!(
            anonymous.links().page,
            "https://x.com/i/status/1888954372823576866"
        );
    }

    #[test]
    fn links_point_to_x() {
        let links = embed("https://twitter.com/rustlang/status/1888954372823576866?s=20").links();
        assert_eq!(
            links.page,
            "https://x.com/rustlang/status/1888954372823576866"
        );
        assert_eq!(links.author.as_deref(), Some("https://x.com/rustlang"));
        assert_eq!(links.player, None);
        assert_eq!(links.thumbnail, None);
    }

    #[test]
    fn dates_come_from_snowflake_ids() {
        // (1888954372823576866 >> 22) + 1288834974657 = 1739196792213 ms.
        assert_eq!(
            embed("https://x.com/rustlang/status/1888954372823576866")
                .date
                .unwrap()
                .to_string(),
            "2025-02-10T14:13:12.213Z"
        );
        // Before snowflakes, ids were a counter.
        assert_eq!(embed("https://twitter.com/jack/status/20").date, None);
    }

    #[test]
    fn invalid_ids_and_users_are_errors() {
        for url in [
            "https://x.com/rustlang/status/12345678901234567890",
            "https://x.com/rustlang/status/abc",
            "https://x.com/this_name_is_far_too_long/status/1888954372823576866",
            "https://x.com/rust-lang/status/1888954372823576866",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
    }

    #[test]
    fn x_pages_that_are_not_posts_stay_links() {
        for url in [
            "https://x.com/",
            "https://x.com/home",
            "https://x.com/rustlang",
            "https://twitter.com/rustlang/status",
            "https://x.com/rustlang/likes",
            "https://example.org/rustlang/status/1888954372823576866",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://x.com/a/status/1<script>",
            "https://x.com/a\"b/status/1888954372823576866",
            "https://x.com/a'/status/1888954372823576866",
            "https://x.com/a/status/1%22onload=alert(1)",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
