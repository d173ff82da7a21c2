//! What kind of medium an embed is: its provider, how it reaches readers, which medium of the
//! provider it is and the box it reserves in the page.

use url::Url;

use super::{
    Embed, bluesky, codepen, dailymotion, gist, mastodon, media, peertube, soundcloud, spotify,
    vimeo, x, youtube,
};

/// Who hosts an embedded medium.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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

    pub(super) fn recognize(self, url: &Url) -> Option<Result<Embed, String>> {
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
    pub(super) fn by_id(self, id: &str) -> Option<Result<Embed, String>> {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
