//! Bluesky: `bsky.app/profile/HANDLE/post/RKEY`, where HANDLE is a domain handle
//! (`alice.bsky.social`) or a DID (`did:plc:…`, `did:web:…`) and RKEY a TID, which also gives
//! the post's date.

use jiff::Timestamp;
use url::Url;

use super::peertube::is_domain;
use super::{Embed, Links, Provider, Variant, bare_host, segments};

/// The base32-sortable alphabet of TIDs.
const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";

/// Recognises a post URL; `None` for other hosts and other Bluesky pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    if bare_host(url)? != "bsky.app" {
        return None;
    }
    match segments(url).as_slice() {
        ["profile", handle, "post", rkey] => Some(post(handle, rkey)),
        _ => None,
    }
}

fn post(handle: &str, rkey: &str) -> Result<Embed, String> {
    let handle = account(handle)?;
    let micros = tid_micros(rkey).ok_or_else(|| {
        format!("`{rkey}` is not a Bluesky post key (13 characters among 2-7 and a-z)")
    })?;
    let mut embed = Embed::new(Provider::Bluesky, Variant::Post, rkey);
    embed.author = Some(if handle.starts_with("did:") {
        handle.clone()
    } else {
        format!("@{handle}")
    });
    embed.user = Some(handle);
    // Keys made by other clients need not be times: only dates from 2022 to 2100 count.
    embed.date = (1_640_995_200_000_000..4_102_444_800_000_000)
        .contains(&micros)
        .then(|| Timestamp::from_microsecond(micros).ok())
        .flatten();
    Ok(embed)
}

/// A handle, lowercased, or a DID.
fn account(handle: &str) -> Result<String, String> {
    let lower = handle.to_ascii_lowercase();
    let valid = if let Some(id) = handle.strip_prefix("did:plc:") {
        id.len() == 24 && id.bytes().all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7'))
    } else if let Some(domain) = handle.strip_prefix("did:web:") {
        is_domain(domain) && domain == domain.to_ascii_lowercase()
    } else {
        is_domain(&lower)
    };
    if !valid {
        return Err(format!(
            "`{handle}` is not a Bluesky handle (a domain name like alice.bsky.social, or a did:plc: or did:web: DID)"
        ));
    }
    Ok(if handle.starts_with("did:") {
        handle.to_string()
    } else {
        lower
    })
}

/// The microseconds since the Unix epoch a TID encodes: 13 base32-sortable characters of a
/// 64-bit number whose top bit is zero, then 53 bits of time, then 10 of clock id.
fn tid_micros(tid: &str) -> Option<i64> {
    if tid.len() != 13 || !tid.starts_with(|c| ('2'..='7').contains(&c) || ('a'..='j').contains(&c))
    {
        return None;
    }
    let mut value: u64 = 0;
    for byte in tid.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == byte)?;
        value = (value << 5) | digit as u64;
    }
    i64::try_from(value >> 10).ok()
}

pub(super) fn links(embed: &Embed) -> Links {
    let handle = embed.user.as_deref().unwrap_or_default();
    Links::post(
        format!("https://bsky.app/profile/{handle}/post/{}", embed.id),
        Some(format!("https://bsky.app/profile/{handle}")),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};
    use super::tid_micros;

    fn embed(url: &str) -> super::Embed {
        super::super::recognized(url, Provider::Bluesky)
    }

    #[test]
    fn recognises_handles_and_dids() {
        for url in [
            "https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs2c",
            "https://bsky.app/profile/Alice.Bsky.Social/post/3lhwkqwuoxs2c/",
            "https://www.bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs2c?ref_src=embed",
        ] {
            let found = embed(url);
            assert_eq!(found.id, "3lhwkqwuoxs2c", "{url}");
            assert_eq!(found.user.as_deref(), Some("alice.bsky.social"), "{url}");
            assert_eq!(found.author.as_deref(), Some("@alice.bsky.social"), "{url}");
            assert_eq!(found.variant, Variant::Post);
        }
        let did =
            embed("https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lhwkqwuoxs2c");
        assert_eq!(
            did.author.as_deref(),
            Some("did:plc:z72i7hdynmk6r22z27h6tvur")
        );
        let web = embed("https://bsky.app/profile/did:web:example.com/post/3lhwkqwuoxs2c");
        assert_eq!(web.user.as_deref(), Some("did:web:example.com"));
    }

    #[test]
    fn links_point_to_bsky_app() {
        let links =
            embed("https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs2c?utm_source=x")
                .links();
        assert_eq!(
            links.page,
            "https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs2c"
        );
        assert_eq!(
            links.author.as_deref(),
            Some("https://bsky.app/profile/alice.bsky.social")
        );
        assert_eq!(links.player, None);
    }

    #[test]
    fn dates_come_from_tids() {
        // 3lhwkqwuoxs2c is 1781051294196097032; >> 10 is 1739307904488376 µs.
        assert_eq!(tid_micros("3lhwkqwuoxs2c"), Some(1_739_307_904_488_376));
        assert_eq!(
            embed("https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs2c")
                .date
                .unwrap()
                .to_string(),
            "2025-02-11T21:05:04.488376Z"
        );
        assert_eq!(
            embed("https://bsky.app/profile/alice.bsky.social/post/2222222222222").date,
            None
        );
    }

    #[test]
    fn invalid_handles_and_keys_are_errors() {
        for url in [
            "https://bsky.app/profile/alice/post/3lhwkqwuoxs2c",
            "https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs2",
            "https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuoxs21",
            "https://bsky.app/profile/alice.bsky.social/post/zlhwkqwuoxs2c",
            "https://bsky.app/profile/did:plc:short/post/3lhwkqwuoxs2c",
            "https://bsky.app/profile/did:key:z6Mk/post/3lhwkqwuoxs2c",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
    }

    #[test]
    fn bluesky_pages_that_are_not_posts_stay_links() {
        for url in [
            "https://bsky.app/",
            "https://bsky.app/profile/alice.bsky.social",
            "https://bsky.app/profile/alice.bsky.social/post",
            "https://bsky.app/profile/alice.bsky.social/lists/3lhwkqwuoxs2c",
            "https://example.org/profile/alice.bsky.social/post/3lhwkqwuoxs2c",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://bsky.app/profile/a.b%22onload/post/3lhwkqwuoxs2c",
            "https://bsky.app/profile/a'b.social/post/3lhwkqwuoxs2c",
            "https://bsky.app/profile/did:web:a.b%3C/post/3lhwkqwuoxs2c",
            "https://bsky.app/profile/alice.bsky.social/post/3lhwkqwuox<2c",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
