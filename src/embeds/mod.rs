//! Embeds: recognises media URLs and shortcode arguments, and validates them per provider.
//!
//! One file per provider; each one recognises its own URL shapes, validates ids and builds the
//! links a template needs. This file holds the validated [`Embed`], URL recognition and the
//! URL helpers providers share; `kinds` names providers, variants and shapes; `options`
//! turns a writer's arguments into an embed. Nothing here produces markup: the theme's
//! `embeds/PROVIDER.html` templates do, from [`Embed`] and its [`Links`].

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

mod kinds;
mod options;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use url::Url;

pub use kinds::{Kind, Provider, Shape, Variant};
use options::start_time;
pub use options::{OPTION_NAMES, Options, resolve};

/// A validated embed: everything needed to link to it and to load it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// The embed a provider's URL stands for, checked to be that provider's; for the
/// providers' tests.
#[cfg(test)]
fn recognized(url: &str, provider: Provider) -> Embed {
    let embed = recognize(url).expect("recognised").expect("valid");
    assert_eq!(embed.provider, provider, "{url}");
    embed
}
