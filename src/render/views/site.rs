//! `site` in every template: the part of the site being rendered, with the URLs of its
//! lists and of the theme's static files.

use std::collections::BTreeMap;

use serde::Serialize;

use super::page::MenusView;
use super::search::SearchView;
use crate::config::{CommentSettings, NewsletterSettings, ShareSettings};
use crate::site::{SYNTAX_CSS_PATH, Site};

/// The theme's stylesheet.
const STYLE_PATH: &str = "/style.css";
/// The script that turns embed facades into players.
const EMBED_SCRIPT_PATH: &str = "/embed.js";
/// The script that adds copy buttons to code blocks.
const CODE_SCRIPT_PATH: &str = "/code.js";
/// The script that loads an article's comments on the reader's click.
const COMMENTS_SCRIPT_PATH: &str = "/comments.js";
/// The script behind the share buttons that need one (copy, Mastodon, the system's sheet).
const SHARE_SCRIPT_PATH: &str = "/share.js";
/// `site` in every template.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    root: String,
    language: &'a str,
    timezone: &'a str,
    author: &'a str,
    year: i16,
    tags_url: String,
    archives_url: String,
    /// URLs of the static files the theme links: templates never build a URL.
    style_url: String,
    /// The highlighted code's colours.
    syntax_url: String,
    /// The script behind embed facades.
    embed_script_url: String,
    /// The script adding copy buttons to code.
    code_script_url: String,
    /// The script loading the live comment widget on the reader's click.
    comments_script_url: String,
    /// The script of the share buttons.
    share_script_url: String,
    /// Every stylesheet and script of the theme and the site, by output path (`style.css`),
    /// with the URL pages link it by: `{{ site.assets["js/app.js"] }}` in a template.
    assets: BTreeMap<&'a str, String>,
    /// The icon browsers show in tabs: `icon` from `site.toml`, else the theme's.
    icon_url: String,
    /// Absolute URL of `image` from `site.toml`, for pages without an image of their own.
    image: Option<String>,
    /// The standalone pages listed in the header and the footer.
    menu: MenusView<'a>,
    /// The search page and indexes; none when `[search]` is off.
    search: Option<SearchView>,
    /// `[comments]` of `site.toml`.
    comments: &'a CommentSettings,
    /// `[newsletter]` of `site.toml`.
    newsletter: &'a NewsletterSettings,
    /// `[share]` of `site.toml`.
    share: &'a ShareSettings,
}

impl<'a> SiteView<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let config = &site.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_str(),
            root: site.url(site.home_path()),
            language: &config.language,
            timezone: &config.timezone_name,
            author: &config.author,
            year: config.now.to_zoned(config.timezone.clone()).year(),
            tags_url: site.url(&site.tags_path()),
            archives_url: site.url(&site.archives_path()),
            style_url: site.static_url(STYLE_PATH),
            syntax_url: site.static_url(SYNTAX_CSS_PATH),
            embed_script_url: site.static_url(EMBED_SCRIPT_PATH),
            code_script_url: site.static_url(CODE_SCRIPT_PATH),
            comments_script_url: site.static_url(COMMENTS_SCRIPT_PATH),
            share_script_url: site.static_url(SHARE_SCRIPT_PATH),
            assets: site
                .assets
                .iter()
                .map(|(path, served)| (path, site.url(served)))
                .collect(),
            icon_url: site.icon_url(),
            image: config
                .image
                .as_deref()
                .map(|image| site.absolute_url(image)),
            menu: MenusView::new(site),
            search: SearchView::new(site),
            comments: &config.comments,
            newsletter: &config.newsletter,
            share: &config.share,
        }
    }
}
