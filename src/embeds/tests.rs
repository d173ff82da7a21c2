//! Tests of URL recognition and of writers' options shared by every provider.

use super::options::{parse_date, parse_time};
use super::*;

#[test]
fn other_urls_are_not_embeds() {
    assert!(recognize("https://example.org/watch?v=dQw4w9WgXcQ").is_none());
    assert!(recognize("https://example.org/2025/02/article.html").is_none());
    assert!(recognize("not a url").is_none());
    assert!(recognize("ftp://youtube.com/watch?v=dQw4w9WgXcQ").is_none());
    assert!(recognize("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ").is_none());
}

#[test]
fn trailing_sentence_punctuation_is_dropped() {
    for url in [
        "https://youtu.be/dQw4w9WgXcQ.",
        "https://youtu.be/dQw4w9WgXcQ,",
        "https://youtu.be/dQw4w9WgXcQ).",
        "https://youtu.be/dQw4w9WgXcQ !",
    ] {
        let embed = recognize(url).unwrap().unwrap();
        assert_eq!(embed.id, "dQw4w9WgXcQ", "{url}");
    }
    assert_eq!(
        trim_trailing_punctuation("https://en.wikipedia.org/wiki/Rust_(language)"),
        "https://en.wikipedia.org/wiki/Rust_(language)"
    );
}

#[test]
fn provider_names_round_trip() {
    for provider in Provider::ALL {
        assert_eq!(Provider::from_name(provider.name()), Some(provider));
    }
    assert_eq!(Provider::from_name("twitter"), Some(Provider::X));
    assert_eq!(Provider::from_name("myspace"), None);
}

#[test]
fn options_build_embeds_for_every_form() {
    let by_id = resolve(
        Some(Provider::YouTube),
        Options {
            id: Some("dQw4w9WgXcQ".into()),
            start: Some(90),
            title: Some("Discours".into()),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(by_id.start, Some(90));
    assert!(by_id.links().player.unwrap().contains("start=90"));
    let by_url = resolve(
        None,
        Options {
            url: Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ".into()),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(by_url.provider, Provider::YouTube);
}

#[test]
fn options_are_checked_against_the_provider() {
    let err = |provider, options| resolve(provider, options).unwrap_err();
    assert!(
        err(
            Some(Provider::Vimeo),
            Options {
                url: Some("https://youtu.be/dQw4w9WgXcQ".into()),
                ..Options::default()
            }
        )
        .contains("is a YouTube URL, not a Vimeo one")
    );
    assert!(err(Some(Provider::YouTube), Options::default()).contains("needs a `url`"));
    assert!(
        err(
            Some(Provider::YouTube),
            Options {
                url: Some("/podcasts/a.mp3".into()),
                ..Options::default()
            }
        )
        .contains("not a YouTube URL")
    );
    assert!(
        err(
            Some(Provider::YouTube),
            Options {
                id: Some("dQw4w9WgXcQ".into()),
                text: Some("x".into()),
                ..Options::default()
            }
        )
        .contains("only for posts")
    );
    assert!(
        err(
            Some(Provider::Mastodon),
            Options {
                id: Some("1".into()),
                ..Options::default()
            }
        )
        .contains("need a `url`")
    );
}

#[test]
fn post_dates_accept_days_and_timestamps() {
    assert_eq!(
        parse_date("2025-02-10").unwrap().to_string(),
        "2025-02-10T12:00:00Z"
    );
    assert_eq!(
        parse_date("2025-02-10T09:30:00+01:00").unwrap().to_string(),
        "2025-02-10T08:30:00Z"
    );
    assert!(parse_date("10/02/2025").is_err());
}

#[test]
fn times_read_like_youtube() {
    assert_eq!(parse_time("90"), Some(90));
    assert_eq!(parse_time("1m30s"), Some(90));
    assert_eq!(parse_time("1m30"), Some(90));
    assert_eq!(parse_time("1h2m3s"), Some(3723));
    assert_eq!(parse_time("abc"), None);
    assert_eq!(parse_time("99999999999h"), None);
}
