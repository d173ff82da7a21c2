//! Mastodon, on any instance: `https://HOST/@USER/ID` (and its `/embed`),
//! `https://HOST/users/USER/statuses/ID`, and a remote post as an instance shows it,
//! `https://HOST/@USER@OTHER/ID`. The post's date comes from its id.
//!
//! Instances are recognised by shape: the id must be all digits, so `medium.com/@user/slug`
//! and the like stay links.

use jiff::Timestamp;
use url::Url;

use super::peertube::{instance, is_host};
use super::{Embed, Links, Provider, Variant, is_token, segments};

/// Recognises a post URL by its shape; `None` for anything else.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = instance(url)?;
    let parts = segments(url);
    let (account, id) = match parts.as_slice() {
        [account, id] | [account, id, "embed"] => (account.strip_prefix('@')?, *id),
        ["users", account, "statuses", id] => (*account, *id),
        _ => return None,
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(post(host, account, id))
}

fn post(host: String, account: &str, id: &str) -> Result<Embed, String> {
    let number = id
        .parse::<u64>()
        .ok()
        .filter(|_| id.len() <= 20)
        .ok_or_else(|| format!("`{id}` is not a Mastodon post id (at most 20 digits)"))?;
    let (user, home) = match account.split_once('@') {
        Some((user, home)) => (user, Some(home)),
        None => (account, None),
    };
    if user.len() > 30 || !is_token(user, b"_") {
        return Err(format!(
            "`{user}` is not a Mastodon user name (up to 30 letters, digits or _)"
        ));
    }
    if let Some(home) = home
        && !is_host(home)
    {
        return Err(format!(
            "`{home}` is not the host of a Mastodon account (a lowercase domain name)"
        ));
    }
    let mut embed = Embed::new(Provider::Mastodon, Variant::Post, id);
    // A remote account keeps its home in `user`: links stay on the instance the writer saw.
    embed.user = Some(account.to_string());
    embed.author = Some(format!("@{user}@{}", home.unwrap_or(&host)));
    embed.host = Some(host);
    embed.date = date(number);
    Ok(embed)
}

/// The time a Mastodon id encodes in its top 48 bits, if it is one: older instances used a
/// counter, whose values fall outside 2016–2100.
fn date(id: u64) -> Option<Timestamp> {
    let ms = i64::try_from(id >> 16).ok()?;
    (1_451_606_400_000..4_102_444_800_000)
        .contains(&ms)
        .then(|| Timestamp::from_millisecond(ms).ok())
        .flatten()
}

pub(super) fn links(embed: &Embed) -> Links {
    let host = embed.host.as_deref().unwrap_or_default();
    let user = embed.user.as_deref().unwrap_or_default();
    Links::post(
        format!("https://{host}/@{user}/{}", embed.id),
        Some(format!("https://{host}/@{user}")),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};

    fn embed(url: &str) -> super::Embed {
        super::super::recognized(url, Provider::Mastodon)
    }

    #[test]
    fn recognises_every_shape() {
        for url in [
            "https://mastodon.social/@Gargron/113953727426371212",
            "https://mastodon.social/@Gargron/113953727426371212/",
            "https://mastodon.social/@Gargron/113953727426371212/embed",
            "https://mastodon.social/@Gargron/113953727426371212?utm_source=share",
            "https://mastodon.social/users/Gargron/statuses/113953727426371212",
        ] {
            let found = embed(url);
            assert_eq!(found.id, "113953727426371212", "{url}");
            assert_eq!(found.host.as_deref(), Some("mastodon.social"), "{url}");
            assert_eq!(found.user.as_deref(), Some("Gargron"), "{url}");
            assert_eq!(found.author.as_deref(), Some("@Gargron@mastodon.social"));
            assert_eq!(found.variant, Variant::Post);
        }
    }

    #[test]
    fn links_stay_on_the_instance() {
        let links =
            embed("http://mastodon.social/users/Gargron/statuses/113953727426371212").links();
        assert_eq!(
            links.page,
            "https://mastodon.social/@Gargron/113953727426371212"
        );
        assert_eq!(
            links.author.as_deref(),
            Some("https://mastodon.social/@Gargron")
        );
        assert_eq!(links.player, None);
    }

    #[test]
    fn remote_posts_keep_their_home() {
        let found = embed("https://piaille.fr/@Gargron@mastodon.social/113953727426371212");
        assert_eq!(found.host.as_deref(), Some("piaille.fr"));
        assert_eq!(found.author.as_deref(), Some("@Gargron@mastodon.social"));
        let links = found.links();
        assert_eq!(
            links.page,
            "https://piaille.fr/@Gargron@mastodon.social/113953727426371212"
        );
        assert_eq!(
            links.author.as_deref(),
            Some("https://piaille.fr/@Gargron@mastodon.social")
        );
    }

    #[test]
    fn dates_come_from_snowflake_ids() {
        // 113953727426371212 >> 16 = 1738795889684 ms.
        assert_eq!(
            embed("https://mastodon.social/@Gargron/113953727426371212")
                .date
                .unwrap()
                .to_string(),
            "2025-02-05T22:51:29.684Z"
        );
        // Ids from before snowflakes were a counter.
        assert_eq!(embed("https://mastodon.social/@Gargron/1").date, None);
    }

    #[test]
    fn invalid_ids_and_users_are_errors() {
        for url in [
            "https://mastodon.social/@Gargron/123456789012345678901",
            "https://mastodon.social/@Gargron/99999999999999999999",
            "https://mastodon.social/@this_user_name_is_far_too_long_x/1",
            "https://mastodon.social/@gar.gron/113953727426371212",
            "https://piaille.fr/@Gargron@localhost/113953727426371212",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
    }

    #[test]
    fn other_paths_and_hosts_stay_links() {
        for url in [
            "https://medium.com/@someone/my-story-1a2b3c",
            "https://example.org/@someone/my-story-1a2b3c",
            "https://mastodon.social/@Gargron",
            "https://mastodon.social/@Gargron/with_replies",
            "https://mastodon.social/about/123",
            "https://www.youtube.com/@channel/123",
            "https://x.com/@user/123",
            "https://localhost/@user/123",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://evil.example/@x\"/1",
            "https://evil.example/@x'/1",
            "https://evil.example/@x%3Cscript%3E/1",
            "https://evil.example/@x@evil.example%22/1",
            "https://evil.example/@x@a.org/b/1",
            "https://evil.example/users/x%20y/statuses/1",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
