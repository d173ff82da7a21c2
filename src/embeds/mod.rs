//! Embeds: recognises media URLs and renders them as privacy-first, click-to-load players.
//!
//! One file per provider; each provider recognises its own URL shapes and validates ids.
//! Nothing rendered here requests a third-party host until the reader clicks.

mod youtube;

use std::fmt::Write;

use serde::Serialize;

use crate::html::escape;

/// Who hosts an embedded medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// youtube.com and youtu.be videos and shorts.
    YouTube,
}

impl Provider {
    /// Name shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Provider::YouTube => "YouTube",
        }
    }
}

/// A validated embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// Host of the medium.
    pub provider: Provider,
    /// Validated id at the provider.
    pub id: String,
    /// Start offset in seconds.
    pub start: Option<u32>,
    /// Title given by the writer.
    pub title: Option<String>,
}

impl Embed {
    /// Canonical page URL of the medium, used as the no-JavaScript link.
    pub fn page_url(&self) -> String {
        match self.provider {
            Provider::YouTube => youtube::page_url(self),
        }
    }

    /// URL of the player loaded after the click.
    pub fn player_url(&self) -> String {
        match self.provider {
            Provider::YouTube => youtube::player_url(self),
        }
    }

    /// The title to show: the writer's, else a generic one in `lang`.
    pub fn display_title(&self, lang: &str) -> String {
        self.title.clone().unwrap_or_else(|| {
            if lang.starts_with("fr") {
                format!("Vidéo {}", self.provider.label())
            } else {
                format!("{} video", self.provider.label())
            }
        })
    }
}

/// `None` if no provider claims `url`; `Some(Err(reason))` if one does but the URL is invalid.
pub fn recognize(url: &str) -> Option<Result<Embed, String>> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    youtube::recognize(&parsed)
}

/// The click-to-load facade: a plain link without JavaScript, a player button with it.
pub fn render(embed: &Embed, lang: &str) -> String {
    let title = escape(&embed.display_title(lang));
    let mut html = String::with_capacity(768);
    let _ = write!(
        html,
        "<figure class=\"embed embed--{provider}\">\
         <a class=\"embed__facade\" href=\"{page}\" data-embed-src=\"{player}\" data-embed-title=\"{title}\">\
         <span class=\"embed__play\" aria-hidden=\"true\"><svg viewBox=\"0 0 68 48\" width=\"68\" height=\"48\" focusable=\"false\">\
         <path class=\"embed__play-bg\" d=\"M66.5 7.7a8.5 8.5 0 0 0-6-6C55.3.3 34 .3 34 .3s-21.3 0-26.5 1.4a8.5 8.5 0 0 0-6 6C.1 12.9.1 24 .1 24s0 11.1 1.4 16.3a8.5 8.5 0 0 0 6 6C12.7 47.7 34 47.7 34 47.7s21.3 0 26.5-1.4a8.5 8.5 0 0 0 6-6C67.9 35.1 67.9 24 67.9 24s0-11.1-1.4-16.3z\"/>\
         <path class=\"embed__play-icon\" d=\"M45 24 27 14v20z\"/></svg></span>\
         <span class=\"embed__title\">{title}</span>\
         <span class=\"embed__provider\">{label}</span></a></figure>",
        provider = serde_plain_name(embed.provider),
        page = escape(&embed.page_url()),
        player = escape(&embed.player_url()),
        label = embed.provider.label(),
    );
    html
}

fn serde_plain_name(provider: Provider) -> &'static str {
    match provider {
        Provider::YouTube => "youtube",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_urls_are_not_embeds() {
        assert!(recognize("https://example.org/watch?v=dQw4w9WgXcQ").is_none());
        assert!(recognize("not a url").is_none());
        assert!(recognize("ftp://youtube.com/watch?v=dQw4w9WgXcQ").is_none());
    }

    #[test]
    fn facade_requests_nothing_and_escapes_the_title() {
        let mut embed = recognize("https://youtu.be/dQw4w9WgXcQ?t=90")
            .unwrap()
            .unwrap();
        embed.title = Some("<script>alert(1)</script> \"quoted\"".to_string());
        let html = render(&embed, "en");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s\""));
        assert!(html.contains("data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;start=90\""));
        assert!(
            !html.contains("<img"),
            "no thumbnail request before the click"
        );
        assert!(!html.contains("<iframe"));
    }
}
