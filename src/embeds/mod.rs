//! Embeds: recognises media URLs and shortcode arguments, and validates them per provider.
//!
//! One file per provider; each one recognises its own URL shapes, validates ids and builds the
//! links a template needs. Nothing here produces markup: the theme's `embeds/PROVIDER.html`
//! templates do, from [`Embed`] and its [`Links`].

mod bluesky;
mod codepen;
mod dailymotion;
mod gist;
mod mastodon;
mod media;
mod peertube;
mod soundcloud;
mod spotify;
mod vimeo;
mod x;
mod youtube;

use jiff::Timestamp;
use url::Url;

use crate::shortcodes::Arg;

/// Who hosts an embedded medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    /// YouTube videos, shorts, live streams and playlists.
    YouTube,
    /// Vimeo videos.
    Vimeo,
    /// Dailymotion videos.
    Dailymotion,
    /// PeerTube videos on any instance.
    PeerTube,
    /// Posts on X (formerly Twitter).
    X,
    /// Posts on any Mastodon instance.
    Mastodon,
    /// Bluesky posts.
    Bluesky,
    /// GitHub Gists.
    Gist,
    /// CodePen pens.
    CodePen,
    /// SoundCloud tracks and playlists.
    SoundCloud,
    /// Spotify podcast episodes and shows.
    Spotify,
    /// An audio file (`.mp3`, …) played by the browser.
    Audio,
    /// A video file (`.mp4`, `.webm`) played by the browser.
    Video,
}

impl Provider {
    /// Every provider, in the order URLs are tried.
    pub const ALL: [Provider; 13] = [
        Provider::YouTube,
        Provider::Vimeo,
        Provider::Dailymotion,
        Provider::X,
        Provider::Bluesky,
        Provider::Gist,
        Provider::CodePen,
        Provider::SoundCloud,
        Provider::Spotify,
        Provider::Audio,
        Provider::Video,
        // Instances are recognised by URL shape alone, so they come after the named hosts.
        Provider::PeerTube,
        Provider::Mastodon,
    ];

    /// Name in shortcodes, templates (`embeds/NAME.html`), CSS classes and `site.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::Dailymotion => "dailymotion",
            Provider::PeerTube => "peertube",
            Provider::X => "x",
            Provider::Mastodon => "mastodon",
            Provider::Bluesky => "bluesky",
            Provider::Gist => "gist",
            Provider::CodePen => "codepen",
            Provider::SoundCloud => "soundcloud",
            Provider::Spotify => "spotify",
            Provider::Audio => "audio",
            Provider::Video => "video",
        }
    }

    /// Name shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Provider::YouTube => "YouTube",
            Provider::Vimeo => "Vimeo",
            Provider::Dailymotion => "Dailymotion",
            Provider::PeerTube => "PeerTube",
            Provider::X => "X",
            Provider::Mastodon => "Mastodon",
            Provider::Bluesky => "Bluesky",
            Provider::Gist => "GitHub Gist",
            Provider::CodePen => "CodePen",
            Provider::SoundCloud => "SoundCloud",
            Provider::Spotify => "Spotify",
            Provider::Audio => "Audio",
            Provider::Video => "Video",
        }
    }

    /// The provider with this [`Provider::name`]; `twitter` is another name for `x`.
    pub fn from_name(name: &str) -> Option<Provider> {
        if name == "twitter" {
            return Some(Provider::X);
        }
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }

    /// How readers get the medium.
    pub fn kind(self) -> Kind {
        match self {
            Provider::X | Provider::Mastodon | Provider::Bluesky => Kind::Post,
            Provider::Audio | Provider::Video => Kind::File,
            _ => Kind::Player,
        }
    }

    /// Whether the provider serves thumbnails from a fixed image URL, without its API.
    pub fn has_thumbnails(self) -> bool {
        matches!(self, Provider::YouTube | Provider::Dailymotion)
    }

    fn recognize(self, url: &Url) -> Option<Result<Embed, String>> {
        match self {
            Provider::YouTube => youtube::recognize(url),
            Provider::Vimeo => vimeo::recognize(url),
            Provider::Dailymotion => dailymotion::recognize(url),
            Provider::PeerTube => peertube::recognize(url),
            Provider::X => x::recognize(url),
            Provider::Mastodon => mastodon::recognize(url),
            Provider::Bluesky => bluesky::recognize(url),
            Provider::Gist => gist::recognize(url),
            Provider::CodePen => codepen::recognize(url),
            Provider::SoundCloud => soundcloud::recognize(url),
            Provider::Spotify => spotify::recognize(url),
            Provider::Audio => media::recognize(url, Provider::Audio),
            Provider::Video => media::recognize(url, Provider::Video),
        }
    }

    /// The medium with this bare id, for providers whose ids need no URL.
    fn by_id(self, id: &str) -> Option<Result<Embed, String>> {
        match self {
            Provider::YouTube => Some(youtube::from_id(id)),
            Provider::Vimeo => Some(vimeo::from_id(id)),
            Provider::Dailymotion => Some(dailymotion::from_id(id)),
            Provider::Spotify => Some(spotify::from_id(id)),
            Provider::Gist => Some(gist::from_id(id)),
            _ => None,
        }
    }
}

/// How an embed reaches readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A third-party player behind a click-to-load facade.
    Player,
    /// A post quoted as text, with a link to it.
    Post,
    /// A media file played by the browser's own `<audio>` or `<video>`.
    File,
}

impl Kind {
    /// Name for templates and CSS classes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Player => "player",
            Kind::Post => "post",
            Kind::File => "file",
        }
    }
}

/// Which medium of its provider an embed is, and so which box it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// A landscape video.
    Video,
    /// A portrait video (YouTube shorts).
    Short,
    /// A live stream.
    Live,
    /// A list of videos or tracks.
    Playlist,
    /// A podcast episode.
    Episode,
    /// A podcast show.
    Show,
    /// An audio track.
    Track,
    /// A post on a social network.
    Post,
    /// A code snippet (gist) or a pen.
    Code,
    /// An audio file.
    AudioFile,
    /// A video file.
    VideoFile,
}

impl Variant {
    /// Name for templates.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Video => "video",
            Variant::Short => "short",
            Variant::Live => "live",
            Variant::Playlist => "playlist",
            Variant::Episode => "episode",
            Variant::Show => "show",
            Variant::Track => "track",
            Variant::Post => "post",
            Variant::Code => "code",
            Variant::AudioFile => "audio",
            Variant::VideoFile => "video",
        }
    }
}

/// The box an embed reserves in the page, so loading the player shifts nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 16:9.
    Landscape,
    /// 9:16.
    Portrait,
    /// A strip of fixed height for audio players.
    Strip,
    /// A tall fixed-height box for code.
    Panel,
    /// Flows with its text (quoted posts).
    Flow,
}

impl Shape {
    /// Name for CSS classes.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Landscape => "landscape",
            Shape::Portrait => "portrait",
            Shape::Strip => "strip",
            Shape::Panel => "panel",
            Shape::Flow => "flow",
        }
    }
}

/// A validated embed: everything needed to link to it and to load it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// Host of the medium.
    pub provider: Provider,
    /// Which medium of the provider.
    pub variant: Variant,
    /// Validated id at the provider (for files, the file's URL).
    pub id: String,
    /// Instance host for federated providers (PeerTube, Mastodon).
    pub host: Option<String>,
    /// Validated account name, for providers whose URLs include one.
    pub user: Option<String>,
    /// Start offset in seconds, for players that support one.
    pub start: Option<u32>,
    /// Title given by the writer.
    pub title: Option<String>,
    /// Author of a post, as shown (`@user`, `@user@instance`, a handle).
    pub author: Option<String>,
    /// Text of a post, as given by the writer.
    pub text: Option<String>,
    /// Date of a post: the writer's, else the one its id encodes.
    pub date: Option<Timestamp>,
}

/// The addresses an embed's markup needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Links {
    /// Canonical page of the medium: the link readers follow without JavaScript.
    pub page: String,
    /// The player loaded after the reader's click, on the privacy-enhanced host if any.
    pub player: Option<String>,
    /// Thumbnail on the provider's image host; used only where the site enables it.
    pub thumbnail: Option<String>,
    /// Profile of a post's author.
    pub author: Option<String>,
}

impl Links {
    /// Links of a medium played behind a facade: its page and its player.
    pub(crate) fn player(page: String, player: String) -> Links {
        Links {
            page,
            player: Some(player),
            ..Links::default()
        }
    }

    /// Links of a post: its page and its author's profile, if known.
    pub(crate) fn post(page: String, author: Option<String>) -> Links {
        Links {
            page,
            author,
            ..Links::default()
        }
    }
}

impl Embed {
    /// An embed with the given identity and no options.
    pub(crate) fn new(provider: Provider, variant: Variant, id: impl Into<String>) -> Embed {
        Embed {
            provider,
            variant,
            id: id.into(),
            host: None,
            user: None,
            start: None,
            title: None,
            author: None,
            text: None,
            date: None,
        }
    }

    /// Links to the medium, its player and thumbnail.
    pub fn links(&self) -> Links {
        match self.provider {
            Provider::YouTube => youtube::links(self),
            Provider::Vimeo => vimeo::links(self),
            Provider::Dailymotion => dailymotion::links(self),
            Provider::PeerTube => peertube::links(self),
            Provider::X => x::links(self),
            Provider::Mastodon => mastodon::links(self),
            Provider::Bluesky => bluesky::links(self),
            Provider::Gist => gist::links(self),
            Provider::CodePen => codepen::links(self),
            Provider::SoundCloud => soundcloud::links(self),
            Provider::Spotify => spotify::links(self),
            Provider::Audio | Provider::Video => media::links(self),
        }
    }

    /// The box the embed needs.
    pub fn shape(&self) -> Shape {
        match self.variant {
            Variant::Video | Variant::Live | Variant::Playlist | Variant::VideoFile => {
                Shape::Landscape
            }
            Variant::Short => Shape::Portrait,
            Variant::Episode | Variant::Show | Variant::Track | Variant::AudioFile => Shape::Strip,
            Variant::Code => Shape::Panel,
            Variant::Post => Shape::Flow,
        }
    }

    /// MIME type of a media file, from its extension.
    pub fn media_type(&self) -> Option<&'static str> {
        media::media_type(self)
    }
}

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

/// `None` if no provider claims `url`; `Some(Err(reason))` if one does but the URL is invalid.
///
/// Punctuation that ends a sentence after a pasted link is not part of it.
pub fn recognize(url: &str) -> Option<Result<Embed, String>> {
    let parsed = Url::parse(trim_trailing_punctuation(url.trim())).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    Provider::ALL.into_iter().find_map(|p| p.recognize(&parsed))
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
fn parse_date(text: &str) -> Result<Timestamp, String> {
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

/// Drops the sentence punctuation a writer may leave after a pasted link: `.`, `,`, `;`,
/// `:`, `!`, `?`, quotes, and a `)` that closes nothing in the URL.
pub fn trim_trailing_punctuation(url: &str) -> &str {
    let mut url = url;
    loop {
        let Some(last) = url.chars().last() else {
            return url;
        };
        let unbalanced_paren = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '»' | '”'
        ) || unbalanced_paren
        {
            url = &url[..url.len() - last.len_utf8()];
        } else {
            return url;
        }
    }
}

/// The value of the first `key=` query parameter.
fn query(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The host without `www.`, lowercase.
fn bare_host(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Non-empty path segments.
fn segments(url: &Url) -> Vec<&str> {
    url.path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

/// Whether every byte of `text` is ASCII alphanumeric or one of `extra`, and it is not empty.
fn is_token(text: &str, extra: &[u8]) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
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

/// A start time read from a URL, as an embed's error if it is no time.
fn start_time(text: Option<String>) -> Result<Option<u32>, String> {
    match text {
        None => Ok(None),
        Some(time) => parse_time(&time).map(Some).ok_or_else(|| {
            format!("`{time}` is not a start time (expected seconds, or a form like 1h2m3s)")
        }),
    }
}

/// The embed a provider's URL stands for, checked to be that provider's; for the
/// providers' tests.
#[cfg(test)]
fn recognized(url: &str, provider: Provider) -> Embed {
    let embed = recognize(url).expect("recognised").expect("valid");
    assert_eq!(embed.provider, provider, "{url}");
    embed
}

#[cfg(test)]
mod tests {
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
}
