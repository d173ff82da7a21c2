//! Configuration stage: reads and validates `site.toml`, then applies command-line overrides once.

mod comments;
mod images;
mod languages;
mod newsletter;
mod options;
mod permalink;
mod raw;
mod search;
mod share;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use jiff::tz::TimeZone;
use two_face::theme::EmbeddedThemeName;
use url::Url;

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds::Provider;
use crate::highlight;

pub use comments::{CommentProvider, CommentSettings, Cusdis, Giscus, Isso, Remark42};
pub use images::{DEFAULT_SIZES, ImageSettings};
pub use languages::Language;
pub(crate) use languages::is_language_tag;
pub use newsletter::{
    HiddenField, Method, NewsletterForm, NewsletterSettings, NewsletterStrings, Preset,
};
pub use options::BuildOptions;
pub use permalink::Permalink;
pub use raw::KeyPositions;
pub(crate) use raw::TomlError;
pub use search::SearchSettings;
pub use share::{ShareSettings, ShareTarget};

/// Name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// How code blocks are highlighted, from `[highlight]` in `site.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HighlightSettings {
    /// Whether code is highlighted at all; off, blocks are escaped plain text.
    pub enabled: bool,
    /// Theme of the stylesheet.
    pub theme: EmbeddedThemeName,
    /// Theme applied under `prefers-color-scheme: dark`.
    pub dark_theme: EmbeddedThemeName,
}

/// How embeds are shown, from `[embeds]` in `site.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedSettings {
    /// Text shown on every click-to-load facade, `{provider}` replaced by the provider's name.
    pub consent: Option<String>,
    /// Providers whose thumbnails are loaded from their image host with the page; none by
    /// default, since that request reaches the provider before the reader chooses to.
    pub thumbnails: Vec<Provider>,
}

/// Related articles listed under each article unless `related` says otherwise.
pub const DEFAULT_RELATED: usize = 3;

/// Validated site configuration, with command-line overrides applied.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Site description, for meta tags and feeds.
    pub description: String,
    /// Absolute base URL, always ending with `/`.
    pub base_url: Url,
    /// Default language of articles (BCP 47).
    pub language: String,
    /// The language of the site's root part, whichever part this configuration builds.
    pub root_language: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Articles per list page.
    pub paginate_by: usize,
    /// Article URL pattern.
    pub permalink: Permalink,
    /// Zone for dates written without an offset, and for display.
    pub timezone: TimeZone,
    /// IANA name of [`Config::timezone`].
    pub timezone_name: String,
    /// Author of articles that name none.
    pub author: String,
    /// Entries per feed.
    pub feed_limit: usize,
    /// The publisher's logo (a site path or URL), for structured data.
    pub logo: Option<String>,
    /// The icon browsers show in tabs (a site path or URL); the theme's own when unset.
    pub icon: Option<String>,
    /// The image of pages that have none of their own (a site path or URL), for social
    /// cards and structured data.
    pub image: Option<String>,
    /// Related articles listed under each article; 0 lists none.
    pub related: usize,
    /// French spacing for every language (`true`), none (`false`), or French only (unset).
    pub french_spacing: Option<bool>,
    /// Languages published under `/<lang>/` with their own home, lists and feeds.
    pub languages: Vec<Language>,
    /// Site path of the part of the site this configuration builds: `/`, or `/<lang>/`.
    pub prefix: String,
    /// How embeds are shown.
    pub embeds: EmbedSettings,
    /// How images are processed.
    pub images: ImageSettings,
    /// How code blocks are highlighted.
    pub highlight: HighlightSettings,
    /// Whether the site is searchable.
    pub search: SearchSettings,
    /// The live comment widget under articles.
    pub comments: CommentSettings,
    /// The newsletter sign-up form.
    pub newsletter: NewsletterSettings,
    /// The share links under articles.
    pub share: ShareSettings,
    /// Whether the writers' raw HTML is sanitized (`[markdown] safe = true`), for sites with
    /// outside contributors; off, it is kept as written.
    pub safe: bool,
    /// Site root folder.
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Whether stylesheets and scripts are linked by content-hashed names (see
    /// [`BuildOptions::hashed_assets`]).
    pub hashed_assets: bool,
    /// Whether `kiosque build` writes `.br` and `.gz` beside each text file
    /// (`precompress = true`).
    pub precompress: bool,
    /// Whether drafts are built.
    pub drafts: bool,
    /// Whether future-dated articles are built.
    pub future: bool,
    /// Build time.
    pub now: jiff::Timestamp,
    /// Where each key of `site.toml` is written, for problems found after loading.
    pub keys: KeyPositions,
}

impl Config {
    /// Reads `site.toml` under `options.root` and validates it.
    pub fn load(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
        let path = options.root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::new(
                Location::file(CONFIG_FILE),
                Problem::Read(e.into()),
            )]
        })?;
        Config::parse(&text, options)
    }

    /// Validates the text of a `site.toml`.
    pub fn parse(text: &str, options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
        let (raw, keys) = raw::read(text).map_err(|error| vec![error])?;
        let mut errors = Vec::new();
        let mut fail = |key: &str, message: String| {
            errors.push(Diagnostic::new(
                keys.location(key),
                Problem::Config(message),
            ));
        };

        if raw.title.trim().is_empty() {
            fail("title", "`title` must not be empty".to_string());
        }
        let base_url = options.base_url.as_deref().unwrap_or(&raw.base_url);
        let base_url = match parse_base_url(base_url) {
            Ok(url) => url,
            Err(message) => {
                fail("base_url", message);
                Url::parse("http://invalid.invalid/").expect("static URL")
            }
        };
        let timezone_name = raw.timezone.unwrap_or_else(|| "UTC".to_string());
        let timezone = TimeZone::get(&timezone_name).unwrap_or_else(|_| {
            fail(
                "timezone",
                format!("unknown time zone `{timezone_name}`: expected an IANA name such as Europe/Paris"),
            );
            TimeZone::UTC
        });
        let feed_limit = raw.feed_limit.unwrap_or(20);
        if feed_limit == 0 {
            fail("feed_limit", "`feed_limit` must be at least 1".to_string());
        }
        let paginate_by = raw.paginate_by.unwrap_or(10);
        if paginate_by == 0 {
            fail(
                "paginate_by",
                "`paginate_by` must be at least 1".to_string(),
            );
        }
        let permalink = Permalink::parse(raw.permalink.as_deref().unwrap_or(Permalink::DEFAULT))
            .unwrap_or_else(|message| {
                fail("permalink", message);
                Permalink::parse(Permalink::DEFAULT).expect("default permalink is valid")
            });
        let language = raw.language.unwrap_or_else(|| "en".to_string());
        if !is_language_tag(&language) {
            fail(
                "language",
                format!("`{language}` is not a BCP 47 language tag such as fr or en-GB"),
            );
        }
        let mut languages = Vec::new();
        for (lang, settings) in raw.languages.unwrap_or_default() {
            if !is_language_tag(&lang) || lang.contains('_') {
                fail(
                    &format!("languages.{lang}"),
                    format!("`{lang}` is not a BCP 47 language tag such as en or de-CH"),
                );
            } else if lang.eq_ignore_ascii_case(&language) {
                fail(
                    &format!("languages.{lang}"),
                    format!("`{lang}` is the site's `language`: its articles are the site's root"),
                );
            } else {
                languages.push(Language {
                    lang,
                    title: settings.title,
                    description: settings.description,
                    newsletter: newsletter::strings(settings.newsletter),
                });
            }
        }
        let raw_embeds = raw.embeds.unwrap_or_default();
        let mut thumbnails = Vec::new();
        for name in raw_embeds.thumbnails.unwrap_or_default() {
            match Provider::from_name(&name) {
                Some(provider) if provider.has_thumbnails() => thumbnails.push(provider),
                Some(_) => fail(
                    "embeds.thumbnails",
                    format!(
                        "`{name}` has no thumbnail host that works without its API (thumbnails: youtube, dailymotion)"
                    ),
                ),
                None => fail(
                    "embeds.thumbnails",
                    format!(
                        "unknown provider `{name}` in `thumbnails` (thumbnails: youtube, dailymotion)"
                    ),
                ),
            }
        }
        let embeds = EmbedSettings {
            consent: raw_embeds.consent.filter(|c| !c.trim().is_empty()),
            thumbnails,
        };
        let images = images::validate(raw.images, &mut fail);
        let search = search::validate(raw.search);
        let comments = comments::validate(raw.comments, &mut fail);
        let newsletter = newsletter::validate(raw.newsletter, &mut fail);
        let share = share::validate(raw.share, &mut fail);
        let raw_highlight = raw.highlight.unwrap_or_default();
        let mut theme_named = |key: &str, name: Option<String>, default: EmbeddedThemeName| {
            let Some(name) = name else {
                return default;
            };
            highlight::theme(&name).unwrap_or_else(|| {
                fail(
                    key,
                    format!(
                        "unknown code theme `{name}` (themes: {})",
                        highlight::theme_names().join(", ")
                    ),
                );
                default
            })
        };
        let highlight = HighlightSettings {
            enabled: raw_highlight.enabled.unwrap_or(true),
            theme: theme_named(
                "highlight.theme",
                raw_highlight.theme,
                EmbeddedThemeName::InspiredGithub,
            ),
            dark_theme: theme_named(
                "highlight.dark_theme",
                raw_highlight.dark_theme,
                EmbeddedThemeName::OneHalfDark,
            ),
        };
        if !errors.is_empty() {
            return Err(errors);
        }

        Ok(Config {
            title: raw.title,
            description: raw.description.unwrap_or_default(),
            base_url,
            root_language: language.clone(),
            language,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            paginate_by,
            permalink,
            timezone,
            timezone_name,
            author: raw.author.unwrap_or_default(),
            feed_limit,
            logo: raw.logo.filter(|logo| !logo.trim().is_empty()),
            icon: raw.icon.filter(|icon| !icon.trim().is_empty()),
            image: raw.image.filter(|image| !image.trim().is_empty()),
            related: raw.related.unwrap_or(DEFAULT_RELATED),
            french_spacing: raw.french_spacing,
            languages,
            prefix: "/".to_string(),
            embeds,
            images,
            highlight,
            search,
            comments,
            newsletter,
            share,
            safe: raw.markdown.and_then(|m| m.safe).unwrap_or(false),
            root: options.root.clone(),
            output: options
                .output
                .clone()
                .unwrap_or_else(|| options.root.join("public")),
            hashed_assets: options.hashed_assets,
            precompress: raw.precompress.unwrap_or(false),
            drafts: options.drafts,
            future: options.future,
            now: options.now.unwrap_or_else(jiff::Timestamp::now),
            keys,
        })
    }

    /// Path part of the base URL (`/` or `/news/`), which prefixes every root-relative link.
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }
}

fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| {
        format!("`base_url` must be an absolute URL such as https://example.org/: {e}")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`base_url` must use http or https, found `{}`",
            url.scheme()
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Whether a site path stays inside the output folder and on the site, and is a path, not a
/// query or anchor: no `..`, `//` (which browsers read as another host), backslash,
/// whitespace, `?`, `#` or quote.
pub(crate) fn is_plain_site_path(path: &str) -> bool {
    !path.contains("..")
        && !path.contains("//")
        && !path.contains(|c: char| c.is_whitespace() || matches!(c, '\\' | '?' | '#' | '"'))
}
