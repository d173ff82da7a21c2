//! Small serialisable views of the model, the only data templates see.
//!
//! They borrow from the model; bodies are never copied into list views.

use std::collections::BTreeMap;

use jiff::Zoned;
use serde::Serialize;

use super::snippets::EmbedView;
use super::structured;
use crate::feeds::absolute_url;
use crate::markdown::TocEntry;
use crate::site::{
    Article, FeedPaths, Pagination, Profile, SYNTAX_CSS_PATH, Site, TaxonomyKind, Term,
};

/// The theme's stylesheet.
const STYLE_PATH: &str = "/style.css";
/// The script that turns embed facades into players.
const EMBED_SCRIPT_PATH: &str = "/embed.js";
/// The script that adds copy buttons to code blocks.
const CODE_SCRIPT_PATH: &str = "/code.js";
/// The icon the theme ships, used unless `site.toml` names one; a site replaces it with its
/// own `static/favicon.svg`.
const DEFAULT_ICON_PATH: &str = "/favicon.svg";

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
    /// The icon browsers show in tabs: `icon` from `site.toml`, else the theme's.
    icon_url: String,
    /// Absolute URL of `image` from `site.toml`, for pages without an image of their own.
    image: Option<String>,
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
            style_url: site.url(STYLE_PATH),
            syntax_url: site.url(SYNTAX_CSS_PATH),
            embed_script_url: site.url(EMBED_SCRIPT_PATH),
            code_script_url: site.url(CODE_SCRIPT_PATH),
            icon_url: site.asset_url(config.icon.as_deref().unwrap_or(DEFAULT_ICON_PATH)),
            image: config
                .image
                .as_deref()
                .map(|image| absolute_url(site, image)),
        }
    }
}

/// A link to a term.
#[derive(Serialize)]
pub(crate) struct TermLink<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    /// An author's job title, from the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    /// An author's portrait, from the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<String>,
}

impl<'a> TermLink<'a> {
    pub(crate) fn new(site: &Site, term: &'a Term) -> Self {
        TermLink {
            name: &term.name,
            slug: &term.slug,
            url: site.url(&term.path),
            permalink: site.permalink(&term.path),
            role: None,
            avatar: None,
        }
    }

    /// A link to an author, with what the profile says.
    pub(crate) fn author(site: &'a Site, term: &'a Term) -> Self {
        let profile = site.profile(term);
        TermLink {
            role: profile.and_then(|p| p.role.as_deref()),
            avatar: profile
                .and_then(|p| p.avatar.as_deref())
                .map(|a| site.asset_url(a)),
            ..TermLink::new(site, term)
        }
    }
}

/// An author's profile, for the author page.
#[derive(Serialize)]
pub(crate) struct ProfileView<'a> {
    role: Option<&'a str>,
    avatar: Option<String>,
    bio: &'a str,
    links: Vec<ProfileLink<'a>>,
}

/// One of an author's profiles elsewhere.
#[derive(Serialize)]
struct ProfileLink<'a> {
    /// Key as written (`mastodon`, `website`).
    network: &'a str,
    /// Name of the network as it spells itself.
    label: String,
    url: &'a str,
}

impl<'a> ProfileView<'a> {
    pub(crate) fn new(site: &'a Site, profile: &'a Profile) -> Self {
        ProfileView {
            role: profile.role.as_deref(),
            avatar: profile.avatar.as_deref().map(|a| site.asset_url(a)),
            bio: &profile.bio,
            links: profile
                .links
                .iter()
                .map(|(network, url)| ProfileLink {
                    network,
                    label: network_label(network),
                    url,
                })
                .collect(),
        }
    }
}

/// How a network spells its name; an unknown one is capitalised.
fn network_label(network: &str) -> String {
    let known = match network.to_ascii_lowercase().as_str() {
        "mastodon" => "Mastodon",
        "bluesky" => "Bluesky",
        "x" | "twitter" => "X",
        "linkedin" => "LinkedIn",
        "github" => "GitHub",
        "gitlab" => "GitLab",
        "youtube" => "YouTube",
        "instagram" => "Instagram",
        "threads" => "Threads",
        "facebook" => "Facebook",
        _ => {
            let mut chars = network.chars();
            return chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
        }
    };
    known.to_string()
}

/// A term with its article count, for indexes and term pages.
#[derive(Serialize)]
pub(crate) struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    /// An author's profile, on the author's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<ProfileView<'a>>,
}

impl<'a> TermView<'a> {
    pub(crate) fn new(site: &Site, term: &'a Term) -> Self {
        TermView {
            name: &term.name,
            slug: &term.slug,
            url: site.url(&term.path),
            count: term.articles.len(),
            profile: None,
        }
    }

    /// An author with the profile, for the author's page.
    pub(crate) fn author(site: &'a Site, term: &'a Term) -> Self {
        TermView {
            profile: site.profile(term).map(|p| ProfileView::new(site, p)),
            ..TermView::new(site, term)
        }
    }
}

#[derive(Serialize)]
struct ImageView<'a> {
    src: String,
    /// Absolute URL, for social cards.
    absolute: String,
    alt: &'a str,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
    /// Size in pixels of a file of the site, so the page reserves its box.
    width: Option<u32>,
    height: Option<u32>,
}

/// An article as templates see it; `content` and `toc` only on its own page.
#[derive(Serialize)]
pub(crate) struct ArticleView<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    date: String,
    updated: Option<String>,
    lang: &'a str,
    draft: bool,
    authors: Vec<TermLink<'a>>,
    category: Option<TermLink<'a>>,
    tags: Vec<TermLink<'a>>,
    description: Option<&'a str>,
    /// The description, else the summary as plain text: for meta tags and cards.
    summary_text: String,
    summary: &'a str,
    word_count: usize,
    has_code: bool,
    reading_time: usize,
    image: Option<ImageView<'a>>,
    embeds: Vec<EmbedView<'a>>,
    extra: &'a BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    toc: Option<&'a [TocEntry]>,
    /// Structured data, escaped for a `<script>` element: only on its own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    json_ld: Option<String>,
    /// The same story in other languages: only on its own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    translations: Option<Vec<TranslationView<'a>>>,
}

/// A translation of an article.
#[derive(Serialize)]
pub(crate) struct TranslationView<'a> {
    lang: &'a str,
    /// The language's name in that language (`English`, `Français`).
    language: String,
    title: &'a str,
    url: String,
    permalink: String,
}

impl<'a> ArticleView<'a> {
    /// The view used in lists: no body.
    pub(crate) fn card(site: &'a Site, article: &'a Article) -> Self {
        let terms = |kind: TaxonomyKind, ids: &[usize]| -> Vec<TermLink<'a>> {
            ids.iter()
                .map(|&id| {
                    let term = &site.taxonomy(kind).terms[id];
                    match kind {
                        TaxonomyKind::Authors => TermLink::author(site, term),
                        _ => TermLink::new(site, term),
                    }
                })
                .collect()
        };
        ArticleView {
            title: &article.title,
            url: site.url(&article.path),
            permalink: site.permalink(&article.path),
            date: rfc3339(&article.date),
            updated: article.updated.as_ref().map(rfc3339),
            lang: &article.lang,
            draft: article.draft,
            authors: terms(TaxonomyKind::Authors, &article.authors),
            category: article
                .category
                .map(|id| TermLink::new(site, &site.categories.terms[id])),
            tags: terms(TaxonomyKind::Tags, &article.tags),
            description: article.description.as_deref(),
            summary_text: structured::description(article),
            summary: &article.summary,
            word_count: article.word_count,
            has_code: article.has_code,
            reading_time: article.reading_time,
            image: article.image.as_ref().map(|image| ImageView {
                src: site.asset_url(&image.src),
                absolute: absolute_url(site, &image.src),
                alt: &image.alt,
                caption: image.caption.as_deref(),
                credit: image.credit.as_deref(),
                width: image.dimensions.map(|(width, _)| width),
                height: image.dimensions.map(|(_, height)| height),
            }),
            embeds: article
                .embeds
                .iter()
                .map(|embed| EmbedView::new(embed, &site.config.embeds, site.config.base_path()))
                .collect(),
            extra: &article.extra,
            content: None,
            toc: None,
            json_ld: None,
            translations: None,
        }
    }

    /// The view used on the article's own page, with the featured embeds' markup.
    pub(crate) fn full(site: &'a Site, article: &'a Article, embeds: Vec<String>) -> Self {
        let card = ArticleView::card(site, article);
        ArticleView {
            content: Some(&article.content),
            toc: Some(&article.toc),
            json_ld: Some(structured::article(site, article)),
            translations: Some(
                article
                    .translations
                    .iter()
                    .map(|other| TranslationView {
                        lang: &other.lang,
                        language: language_name(&other.lang),
                        title: &other.title,
                        url: site.url(&other.path),
                        permalink: site.permalink(&other.path),
                    })
                    .collect(),
            ),
            embeds: card
                .embeds
                .into_iter()
                .zip(embeds)
                .map(|(view, html)| view.with_html(html))
                .collect(),
            ..card
        }
    }
}

/// Title and URL of a neighbouring article.
#[derive(Serialize)]
pub(crate) struct Neighbour<'a> {
    title: &'a str,
    url: String,
}

impl<'a> Neighbour<'a> {
    pub(crate) fn new(site: &'a Site, index: Option<usize>) -> Option<Self> {
        let article = &site.articles[index?];
        Some(Neighbour {
            title: &article.title,
            url: site.url(&article.path),
        })
    }
}

/// Links of the feeds that belong to a page.
#[derive(Serialize)]
pub(crate) struct FeedsView {
    atom: String,
    rss: String,
    json: String,
    title: String,
}

impl FeedsView {
    pub(crate) fn new(site: &Site, paths: &FeedPaths, title: String) -> Self {
        FeedsView {
            atom: site.permalink(&paths.atom),
            rss: site.permalink(&paths.rss),
            json: site.permalink(&paths.json),
            title,
        }
    }
}

/// A page number worth showing: the first, the last, and those near the current one.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Whether pages were skipped between this one and the previous link.
    gap_before: bool,
}

/// Pages on either side of the current one that get a link.
const PAGE_WINDOW: usize = 2;

/// Where a list page sits among its siblings.
#[derive(Serialize)]
pub(crate) struct PaginatorView {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

impl PaginatorView {
    pub(crate) fn new(site: &Site, pagination: &Pagination, index: usize) -> Self {
        let url = |i: usize| site.url(&pagination.paths[i]);
        PaginatorView {
            current: index + 1,
            total: pagination.paths.len(),
            previous: index.checked_sub(1).map(url),
            next: (index + 1 < pagination.paths.len()).then(|| url(index + 1)),
            pages: window(index, pagination.paths.len())
                .scan(None, |previous: &mut Option<usize>, i| {
                    let gap_before = previous.is_some_and(|p| i > p + 1);
                    *previous = Some(i);
                    Some(PageLink {
                        number: i + 1,
                        url: url(i),
                        current: i == index,
                        gap_before,
                    })
                })
                .collect(),
        }
    }
}

/// Indices of the pages linked from page `index` of `total`, in order, without the quadratic
/// cost of listing every page on every page.
fn window(index: usize, total: usize) -> impl Iterator<Item = usize> {
    let near = index.saturating_sub(PAGE_WINDOW)..=(index + PAGE_WINDOW).min(total - 1);
    let mut pages: Vec<usize> = std::iter::once(0)
        .chain(near)
        .chain(std::iter::once(total - 1))
        .collect();
    pages.dedup();
    pages.into_iter()
}

/// A year of the archives, newest first.
#[derive(Serialize)]
pub(crate) struct ArchiveYear<'a> {
    year: i16,
    months: Vec<ArchiveMonth<'a>>,
}

/// A month of the archives, with a date in it for templates to name it in their language.
#[derive(Serialize)]
pub(crate) struct ArchiveMonth<'a> {
    month: i8,
    date: String,
    articles: Vec<ArchiveEntry<'a>>,
}

/// One article in the archives.
#[derive(Serialize)]
pub(crate) struct ArchiveEntry<'a> {
    title: &'a str,
    url: String,
    date: String,
    lang: &'a str,
}

/// Every article by year and month, newest first.
pub(crate) fn archives(site: &Site) -> Vec<ArchiveYear<'_>> {
    let mut years: Vec<ArchiveYear<'_>> = Vec::new();
    for article in &site.articles {
        let (year, month) = (article.date.year(), article.date.month());
        if years.last().is_none_or(|y| y.year != year) {
            years.push(ArchiveYear {
                year,
                months: Vec::new(),
            });
        }
        let months = &mut years.last_mut().expect("a year was just pushed").months;
        if months.last().is_none_or(|m| m.month != month) {
            months.push(ArchiveMonth {
                month,
                date: rfc3339(&article.date),
                articles: Vec::new(),
            });
        }
        let month_entry = months.last_mut().expect("a month was just pushed");
        month_entry.articles.push(ArchiveEntry {
            title: &article.title,
            url: site.url(&article.path),
            date: rfc3339(&article.date),
            lang: &article.lang,
        });
    }
    years
}

/// A language's name in that language, for a language switcher; an unknown tag as is.
pub(crate) fn language_name(lang: &str) -> String {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = match primary.as_str() {
        "fr" => "Français",
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "sv" => "Svenska",
        "da" => "Dansk",
        "nb" | "no" => "Norsk",
        "fi" => "Suomi",
        "cs" => "Čeština",
        "el" => "Ελληνικά",
        "uk" => "Українська",
        "ru" => "Русский",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "ja" => "日本語",
        "ko" => "한국어",
        "zh" => "中文",
        "ca" => "Català",
        "br" => "Brezhoneg",
        "eu" => "Euskara",
        _ => return lang.to_string(),
    };
    name.to_string()
}

/// An integer written as readers of `lang` write it: `12 345` in French (narrow no-break
/// space), `12,345` in English, `12.345` in German.
pub(crate) fn number(value: i64, lang: &str) -> String {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let separator = match primary.as_str() {
        "fr" => "\u{202f}",
        "de" | "es" | "it" | "nl" | "pt" | "da" | "tr" | "id" | "el" => ".",
        "ru" | "uk" | "pl" | "cs" | "sk" | "sv" | "fi" | "nb" | "no" | "hu" => "\u{a0}",
        _ => ",",
    };
    let digits = value.unsigned_abs().to_string();
    // Spanish and Polish leave four-digit numbers whole.
    let group_from = if matches!(primary.as_str(), "es" | "pl") {
        5
    } else {
        4
    };
    let mut out = String::with_capacity(digits.len() + 8);
    if value < 0 {
        out.push('-');
    }
    if digits.len() < group_from {
        out.push_str(&digits);
        return out;
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// The OpenGraph locale of a language tag: `fr` → `fr_FR`, `en-GB` → `en_GB`.
pub(crate) fn locale(lang: &str) -> String {
    let mut parts = lang.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    if let Some(region) = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return format!("{language}_{}", region.to_ascii_uppercase());
    }
    // The region where each language is mostly read, as Facebook's locales name them.
    let region = match language.as_str() {
        "en" => "US",
        "fr" => "FR",
        "de" => "DE",
        "es" => "ES",
        "it" => "IT",
        "pt" => "PT",
        "nl" => "NL",
        "pl" => "PL",
        "sv" => "SE",
        "da" => "DK",
        "nb" | "no" => "NO",
        "fi" => "FI",
        "cs" => "CZ",
        "el" => "GR",
        "ja" => "JP",
        "ko" => "KR",
        "zh" => "CN",
        "ar" => "AR",
        "uk" => "UA",
        "ru" => "RU",
        "tr" => "TR",
        "ca" => "ES",
        _ => return language,
    };
    format!("{language}_{region}")
}

/// RFC 3339 with the zone's offset (`2025-02-11T18:30:00+01:00`).
pub(crate) fn rfc3339(date: &Zoned) -> String {
    date.timestamp()
        .display_with_offset(date.offset())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{locale, number, window};

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(number(12345, "fr"), "12\u{202f}345");
        assert_eq!(number(1234567, "en-GB"), "1,234,567");
        assert_eq!(number(12345, "de"), "12.345");
        assert_eq!(number(1234, "es"), "1234");
        assert_eq!(number(12345, "es"), "12.345");
        assert_eq!(number(999, "fr"), "999");
        assert_eq!(number(-4321, "en"), "-4,321");
    }

    #[test]
    fn locales_of_language_tags() {
        assert_eq!(locale("fr"), "fr_FR");
        assert_eq!(locale("en"), "en_US");
        assert_eq!(locale("en-GB"), "en_GB");
        assert_eq!(locale("fr-CA"), "fr_CA");
        assert_eq!(locale("zh-Hant-TW"), "zh_TW");
        assert_eq!(locale("eo"), "eo");
    }

    #[test]
    fn page_window_keeps_ends_and_neighbours() {
        assert_eq!(window(0, 1).collect::<Vec<_>>(), [0]);
        assert_eq!(window(0, 3).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(
            window(49, 100).collect::<Vec<_>>(),
            [0, 47, 48, 49, 50, 51, 99]
        );
        assert_eq!(window(99, 100).collect::<Vec<_>>(), [0, 97, 98, 99]);
    }
}
