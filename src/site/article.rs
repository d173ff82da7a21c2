//! One article of the model: built from its source and rendered body, before it is placed
//! among the others (its terms, neighbours and related stories are set by `assemble`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Zoned;

use crate::config::Config;
use crate::content::{FrontKeys, Image, Source};
use crate::diagnostics::Diagnostic;
use crate::embeds::Embed;
use crate::fingerprint::fingerprint;
use crate::html::escape;
use crate::markdown::{InternalLink, Rendered, TocEntry, Written};
use crate::slug::slugify;

use super::Html;

/// One published article.
#[derive(Debug, Clone)]
pub struct Article {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Headline.
    pub title: String,
    /// Site path of the page (`/2025/02/slug/`).
    pub path: String,
    /// Publication date in the site's zone.
    pub date: Zoned,
    /// Last update.
    pub updated: Option<Zoned>,
    /// Language.
    pub lang: String,
    /// Whether it is a draft (only built with `--drafts`).
    pub draft: bool,
    /// Indices into [`Site::authors`] terms.
    pub authors: Vec<usize>,
    /// Indices into [`Site::tags`] terms.
    pub tags: Vec<usize>,
    /// Index into [`Site::categories`] terms.
    pub category: Option<usize>,
    /// Front matter description.
    pub description: Option<String>,
    /// Summary HTML for lists and feeds.
    pub summary: String,
    /// Body HTML.
    pub content: Html,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Words in the body.
    pub word_count: usize,
    /// Whether the body has highlighted code.
    pub has_code: bool,
    /// Whether the body was rendered with embed or shortcode templates.
    pub snippets: bool,
    /// Minutes to read.
    pub reading_time: usize,
    /// Hero image.
    pub image: Option<Image>,
    /// Featured media.
    pub embeds: Vec<Embed>,
    /// Source line of `embeds`.
    pub embeds_line: usize,
    /// Site paths that redirect here.
    pub aliases: Vec<String>,
    /// Old URLs with a query (`/?p=123`) that redirect here: no static file can answer them,
    /// so the redirect maps list them.
    pub query_aliases: Vec<String>,
    /// Source lines of the keys that decide its URLs, for duplicate URL errors.
    pub url_lines: UrlLines,
    /// Unknown front matter keys.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The next older article.
    pub previous: Option<usize>,
    /// The next newer article.
    pub next: Option<usize>,
    /// Related articles, best first.
    pub related: Vec<usize>,
    /// Shared by the translations of one story.
    pub translation_key: Option<String>,
    /// Its translations, by language (in any part of the site).
    pub translations: Vec<Translation>,
    /// Changes whenever what the article is made of changes; outputs that show it compare it.
    pub version: u64,
    /// Changes whenever a link to it changes (title or URL), for its neighbours' pages.
    pub link_version: u64,
    /// Changes whenever its sitemap entry changes (URL or date).
    pub entry_version: u64,
    /// Links to other articles by source path (`@/2025/a.md`).
    pub internal_links: Vec<InternalLink>,
    /// Ids in the body a link can point at.
    pub ids: Vec<String>,
    /// Advice for `kiosque check` about the body.
    pub hints: Vec<Diagnostic>,
    /// Every link, image, embed and shortcode of the body, where it is written.
    pub written: Vec<Written>,
    /// Where each front matter key is written.
    pub keys: FrontKeys,
    /// The id feeds give it instead of its permalink (an imported post's GUID).
    pub guid: Option<String>,
    /// Whether the newsletter form follows it.
    pub newsletter: bool,
    /// Its archived comments in thread order; none when `comments: false`.
    pub comments: Vec<super::ThreadedComment>,
    /// Whether it takes live comments, and from which Mastodon thread if it names one.
    pub discussion: crate::content::Discussion,
    /// Its authors, tags and category as written, slugged once.
    pub(super) names: TermNames,
}

/// An article's terms as written, each with its slug, before they become indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TermNames {
    pub(super) authors: Vec<(String, String)>,
    pub(super) tags: Vec<(String, String)>,
    pub(super) category: Option<(String, String)>,
}

impl TermNames {
    fn slugged<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<(String, String)> {
        names
            .into_iter()
            .map(|name| (name.trim().to_string(), slugify(name.trim())))
            .filter(|(_, slug)| !slug.is_empty())
            .collect()
    }
}

/// What an article shows of one of its translations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// Its language.
    pub lang: String,
    /// Its headline.
    pub title: String,
    /// Its site path.
    pub path: String,
    /// Its link version, for the fingerprints of the pages that link to it.
    pub link_version: u64,
}

/// Lines of an article's source that decide its URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlLines {
    /// Line of `slug`, or 1 when the URL comes from the file name or title.
    pub slug: usize,
    /// Line of `aliases`.
    pub aliases: usize,
    /// Line of `translation_key`.
    pub translation_key: usize,
}

impl Article {
    /// When the article last changed: `updated`, else its date.
    pub fn last_modified(&self) -> &Zoned {
        self.updated.as_ref().unwrap_or(&self.date)
    }
}

/// One article from its source and rendered body, not yet placed among the others: its
/// neighbours and terms are set by [`assemble`]. `version` must change whenever the source
/// or the way its body was rendered does. `content` is its body HTML when that is not
/// `rendered.html` (kept in the build cache).
pub fn article(
    config: &Config,
    source: Source,
    rendered: Rendered,
    content: Option<Html>,
    version: u64,
) -> Article {
    let path = article_path(config, &source);
    let front = source.front;
    let default_author = [config.author.clone()];
    let author_names = if front.authors.is_empty() && !config.author.is_empty() {
        &default_author[..]
    } else {
        &front.authors[..]
    };
    let lang = front.lang.unwrap_or_else(|| config.language.clone());
    // Headlines and descriptions are prose too.
    let french = config.french_spacing(&lang);
    let prose = |text: String| {
        if french {
            crate::typography::french_text(&text)
        } else {
            text
        }
    };
    let title = prose(front.title);
    let description = front.description.map(prose);
    let reading_time = rendered.reading_time();
    let summary = match (rendered.summary, &description, rendered.first_paragraph) {
        (Some(summary), _, _) => summary,
        (None, Some(description), _) => format!("<p>{}</p>\n", escape(description)),
        (None, None, first) => first.unwrap_or_default(),
    };
    let link_version = fingerprint((&title, &path));
    let entry_version = fingerprint((
        &path,
        front
            .updated
            .as_ref()
            .unwrap_or(&front.date)
            .timestamp()
            .as_nanosecond(),
    ));
    Article {
        link_version,
        entry_version,
        source: source.path,
        path,
        date: front.date,
        updated: front.updated,
        lang,
        draft: front.draft,
        names: TermNames {
            authors: TermNames::slugged(author_names),
            tags: TermNames::slugged(&front.tags),
            category: TermNames::slugged(&front.category).pop(),
        },
        authors: Vec::new(),
        tags: Vec::new(),
        category: None,
        description,
        summary,
        word_count: rendered.word_count,
        has_code: rendered.has_code,
        snippets: rendered.snippets,
        reading_time,
        content: content.unwrap_or_else(|| rendered.html.into()),
        toc: rendered.toc,
        image: front.image,
        embeds: front.embeds,
        embeds_line: front.embeds_line,
        query_aliases: front
            .aliases
            .iter()
            .filter(|a| a.contains('?'))
            .cloned()
            .collect(),
        aliases: front
            .aliases
            .into_iter()
            .filter(|a| !a.contains('?'))
            .collect(),
        url_lines: UrlLines {
            slug: front.slug_line,
            aliases: front.aliases_line,
            translation_key: front.translation_key_line,
        },
        extra: front.extra,
        title,
        previous: None,
        next: None,
        related: Vec::new(),
        translation_key: front.translation_key,
        translations: Vec::new(),
        version,
        internal_links: rendered.internal_links,
        ids: rendered.ids,
        hints: rendered.hints,
        written: rendered.written,
        keys: front.keys,
        guid: front.guid,
        newsletter: front.newsletter,
        comments: if front.comments.is_open() {
            let mut comments = source.comments;
            for comment in &mut comments {
                comment.text = crate::sanitize::comment(&comment.text);
            }
            super::thread(comments)
        } else {
            Vec::new()
        },
        discussion: front.comments,
    }
}

/// Site path of an article's page (`/2025/02/slug/`), from its front matter and file name;
/// `config` is that of the article's part of the site.
pub fn article_path(config: &Config, source: &Source) -> String {
    let front = &source.front;
    let slug = front
        .slug
        .as_deref()
        .map(slugify)
        .or_else(|| file_slug(&source.path))
        .unwrap_or_else(|| slugify(&front.title));
    format!(
        "{}{}",
        config.prefix,
        config
            .permalink
            .expand(&front.date.date(), &slug)
            .trim_start_matches('/')
    )
}

/// Slug from the file name; `index.md` takes its folder's name.
fn file_slug(path: &std::path::Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let name = if stem == "index" || stem == "_index" {
        path.parent()?.file_name()?.to_str()?
    } else {
        stem
    };
    Some(slugify(name)).filter(|s| !s.is_empty())
}
