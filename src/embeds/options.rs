//! What writers say about an embed, in a shortcode or in front matter, turned into a validated
//! [`Embed`]: the same argument names for every provider, times and dates read as writers
//! write them.

use jiff::Timestamp;

use crate::shortcodes::Arg;

use super::{Embed, Kind, Provider, Variant, media, recognize};

/// What a writer may say about an embed, in a shortcode or in front matter; the same names
/// work for every provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The medium's URL.
    pub url: Option<String>,
    /// The medium's bare id, for providers that have one.
    pub id: Option<String>,
    /// Start offset in seconds.
    pub start: Option<u32>,
    /// Title shown on the facade.
    pub title: Option<String>,
    /// Author of a post.
    pub author: Option<String>,
    /// Text of a post.
    pub text: Option<String>,
    /// Date of a post: `YYYY-MM-DD` or RFC 3339.
    pub date: Option<String>,
}

/// Option names, for messages.
pub const OPTION_NAMES: [&str; 7] = ["url", "id", "start", "title", "author", "text", "date"];

impl Options {
    /// Options from shortcode arguments; an unknown name or a value of the wrong type is an
    /// error. `start` takes seconds or a time such as `"1m30s"`.
    pub fn from_args(args: &[(String, Arg)]) -> Result<Options, String> {
        let mut options = Options::default();
        for (name, value) in args {
            if name == "start" {
                options.start = Some(match value {
                    Arg::Integer(n) => u32::try_from(*n)
                        .map_err(|_| format!("`start` must be 0 or more seconds, not {n}"))?,
                    Arg::Text(time) => parse_time(time).ok_or_else(|| {
                        format!("`start` must be seconds or a time such as \"1m30s\", not `{time}`")
                    })?,
                    other => {
                        return Err(format!("`start` must be seconds, not {}", other.describe()));
                    }
                });
                continue;
            }
            let slot = match name.as_str() {
                "url" => &mut options.url,
                "id" => &mut options.id,
                "title" => &mut options.title,
                "author" => &mut options.author,
                "text" => &mut options.text,
                "date" => &mut options.date,
                _ => {
                    return Err(format!(
                        "unknown argument `{name}` (expected {})",
                        OPTION_NAMES.join(", ")
                    ));
                }
            };
            *slot = Some(match value {
                Arg::Text(text) => text.clone(),
                Arg::Integer(n) if name == "id" => n.to_string(),
                other => return Err(format!("`{name}` must be text, not {}", other.describe())),
            });
        }
        Ok(options)
    }
}

/// Builds an embed from a writer's options; `provider` is the shortcode's provider, if any.
pub fn resolve(provider: Option<Provider>, options: Options) -> Result<Embed, String> {
    let mut embed = match (&options.url, &options.id) {
        (Some(_), Some(_)) => return Err("give either `url` or `id`, not both".to_string()),
        (Some(url), None) => from_url(provider, url)?,
        (None, Some(id)) => {
            let provider = provider.ok_or("an `id` needs a provider")?;
            match provider.by_id(id.trim()) {
                Some(found) => found?,
                None => {
                    return Err(format!(
                        "{} embeds need a `url`: an id alone does not say where the medium is",
                        provider.label()
                    ));
                }
            }
        }
        (None, None) => return Err("needs a `url` (or an `id`)".to_string()),
    };
    if let Some(start) = options.start {
        if !matches!(
            embed.provider,
            Provider::YouTube
                | Provider::Vimeo
                | Provider::Dailymotion
                | Provider::PeerTube
                | Provider::Audio
                | Provider::Video
        ) || embed.variant == Variant::Playlist
        {
            return Err(format!(
                "`start` is not supported by {} {}s",
                embed.provider.label(),
                embed.variant.name()
            ));
        }
        embed.start = Some(start);
    }
    let is_post = embed.provider.kind() == Kind::Post;
    for (name, given) in [("author", &options.author), ("text", &options.text)] {
        if given.is_some() && !is_post {
            return Err(format!(
                "`{name}` is only for posts (X, Mastodon, Bluesky), not {}",
                embed.provider.label()
            ));
        }
    }
    embed.title = options.title.filter(|t| !t.trim().is_empty());
    if let Some(author) = options.author {
        embed.author = Some(author);
    }
    embed.text = options.text.filter(|t| !t.trim().is_empty());
    if let Some(date) = options.date {
        if !is_post {
            return Err(format!(
                "`date` is only for posts (X, Mastodon, Bluesky), not {}",
                embed.provider.label()
            ));
        }
        embed.date = Some(parse_date(&date)?);
    }
    Ok(embed)
}

fn from_url(provider: Option<Provider>, url: &str) -> Result<Embed, String> {
    // Sites host their own podcasts and videos: a root-relative path is a file of the site.
    if url.starts_with('/') && !url.starts_with("//") {
        return match provider {
            Some(p) if p.kind() != Kind::File => Err(format!(
                "`{url}` is a file of the site, not a {} URL (use `audio` or `video`)",
                p.label()
            )),
            wanted => media::from_path(url, wanted),
        };
    }
    let embed = match recognize(url) {
        Some(found) => found?,
        None => {
            return Err(match provider {
                Some(p) => format!("`{url}` is not a {} URL", p.label()),
                None => format!("`{url}` is not the URL of a supported medium"),
            });
        }
    };
    match provider {
        Some(p) if p != embed.provider => Err(format!(
            "`{url}` is a {} URL, not a {} one",
            embed.provider.label(),
            p.label()
        )),
        _ => Ok(embed),
    }
}

/// A post's date: `YYYY-MM-DD` (taken at noon UTC, so it shows as that day in every zone
/// a newsroom uses) or an RFC 3339 timestamp.
pub(super) fn parse_date(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(date) = text.parse::<jiff::civil::Date>()
        && text.len() == 10
    {
        return date
            .at(12, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    text.parse::<Timestamp>().map_err(|_| {
        format!("`{text}` is not a date (expected YYYY-MM-DD or 2025-02-10T09:30:00+01:00)")
    })
}

/// `90`, `90s`, `1m30s`, `1m30` or `1h2m3s` as seconds.
pub(super) fn parse_time(text: &str) -> Option<u32> {
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

/// A start time read from a URL, as an embed's error if it is no time.
pub(super) fn start_time(text: Option<String>) -> Result<Option<u32>, String> {
    match text {
        None => Ok(None),
        Some(time) => parse_time(&time).map(Some).ok_or_else(|| {
            format!("`{time}` is not a start time (expected seconds, or a form like 1h2m3s)")
        }),
    }
}
