//! YouTube: `watch?v=`, `youtu.be/`, `shorts/`, `embed/` and `live/` URLs, with `t=` or `start=`.

use url::Url;

use super::{Embed, Provider};

/// Recognises a YouTube video URL; `None` for other hosts and for YouTube pages that are no video.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let id = match (host, segments.as_slice()) {
        ("youtu.be", [id]) => id.to_string(),
        ("youtube.com" | "m.youtube.com" | "music.youtube.com", ["watch"]) => {
            match query(url, "v") {
                Some(id) => id,
                None => return Some(Err("a watch URL needs a `v=` video id".to_string())),
            }
        }
        (
            "youtube.com" | "m.youtube.com" | "youtube-nocookie.com",
            ["embed" | "shorts" | "live" | "v", id],
        ) => id.to_string(),
        _ => return None,
    };
    if !is_video_id(&id) {
        return Some(Err(format!(
            "`{id}` is not a YouTube video id (11 characters among A-Z, a-z, 0-9, _ and -)"
        )));
    }
    let from_fragment = url
        .fragment()
        .and_then(|f| f.strip_prefix("t="))
        .map(str::to_string);
    let start = match query(url, "t")
        .or_else(|| query(url, "start"))
        .or(from_fragment)
    {
        Some(time) => match parse_time(&time) {
            Some(seconds) => Some(seconds),
            None => {
                return Some(Err(format!(
                    "`{time}` is not a start time (expected seconds, or a form like 1h2m3s)"
                )));
            }
        },
        None => None,
    };
    Some(Ok(Embed {
        provider: Provider::YouTube,
        id,
        start,
        title: None,
    }))
}

pub(super) fn page_url(embed: &Embed) -> String {
    match embed.start {
        Some(start) => format!("https://www.youtube.com/watch?v={}&t={start}s", embed.id),
        None => format!("https://www.youtube.com/watch?v={}", embed.id),
    }
}

pub(super) fn player_url(embed: &Embed) -> String {
    match embed.start {
        Some(start) => {
            format!(
                "https://www.youtube-nocookie.com/embed/{}?autoplay=1&start={start}",
                embed.id
            )
        }
        None => format!(
            "https://www.youtube-nocookie.com/embed/{}?autoplay=1",
            embed.id
        ),
    }
}

fn query(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn is_video_id(id: &str) -> bool {
    id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `90`, `90s`, `1m30s`, `1m30` or `1h2m3s` as seconds.
fn parse_time(text: &str) -> Option<u32> {
    if let Ok(seconds) = text.parse::<u32>() {
        return Some(seconds);
    }
    let mut total: u32 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(number.parse::<u32>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    // A trailing number without unit counts seconds, as YouTube reads `1m30`.
    let seconds = if number.is_empty() {
        0
    } else {
        number.parse::<u32>().ok()?
    };
    total.checked_add(seconds)
}

#[cfg(test)]
mod tests {
    use super::super::recognize;

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
            recognize("https://youtu.be/dQw4w9WgXcQ?t=soon")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn youtube_pages_that_are_not_videos_stay_links() {
        assert!(recognize("https://www.youtube.com/@channel").is_none());
        assert!(recognize("https://www.youtube.com/").is_none());
    }
}
