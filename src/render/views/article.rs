//! An article as templates see it: a card in lists, or its own page with body, table of
//! contents, structured data and translations; and its neighbours.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::discussion::DiscussionView;
use super::language::{language_name, rfc3339};
use super::share::{self, ShareLink};
use super::terms::TermLink;
use crate::content::Image;
use crate::markdown::TocEntry;
use crate::render::pictures::{PictureView, SourceView, VariantView, responsive_images};
use crate::render::snippets::EmbedView;
use crate::render::structured;
use crate::site::{Article, Site, TaxonomyKind, ThreadedComment};

/// A hero image as templates see it. A processed one also has its variants: `srcset`,
/// `sources` (modern formats), `small` (for cards) and `card` (the social card).
#[derive(Serialize)]
struct ImageView<'a> {
    src: String,
    /// Absolute URL of what social sites show: the social card, else the image.
    absolute: String,
    alt: &'a str,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
    /// Size in pixels of a file of the site, so the page reserves its box.
    width: Option<u32>,
    height: Option<u32>,
    /// The narrowest file, for cards; the image itself when not processed.
    small: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    srcset: Option<String>,
    sources: Vec<SourceView>,
    variants: Vec<VariantView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<VariantView>,
}

impl<'a> ImageView<'a> {
    fn new(site: &Site, image: &'a Image) -> Self {
        let base = ImageView {
            src: site.asset_url(&image.src),
            absolute: site.absolute_url(&image.src),
            alt: &image.alt,
            caption: image.caption.as_deref(),
            credit: image.credit.as_deref(),
            width: image.dimensions.map(|(width, _)| width),
            height: image.dimensions.map(|(_, height)| height),
            small: site.asset_url(&image.src),
            srcset: None,
            sources: Vec::new(),
            variants: Vec::new(),
            card: None,
        };
        let Some(picture) = site.pictures.get(&image.src) else {
            return base;
        };
        let view = PictureView::new(site, picture);
        ImageView {
            absolute: view
                .card
                .as_ref()
                .map_or(base.absolute, |c| c.absolute.clone()),
            src: view.src,
            small: view.small,
            width: Some(view.width),
            height: Some(view.height),
            srcset: Some(view.srcset),
            sources: view.sources,
            variants: view.variants,
            card: view.card,
            ..base
        }
    }
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
    content: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    toc: Option<&'a [TocEntry]>,
    /// Structured data, escaped for a `<script>` element: only on its own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    json_ld: Option<String>,
    /// The same story in other languages: only on its own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    translations: Option<Vec<TranslationView<'a>>>,
    /// Archived comments in thread order: only on its own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<Vec<CommentView<'a>>>,
    /// The live comment widget: only on its own page, when the site and article have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    discussion: Option<DiscussionView<'a>>,
    /// Whether the newsletter form follows it.
    newsletter: bool,
    /// Share links: only on its own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    share: Option<Vec<ShareLink>>,
}

/// An archived comment, with what nests it: `depth`, whether replies follow (`has_replies`:
/// open a list for them) and how many lists of replies end after it (`closes`).
#[derive(Serialize)]
pub(crate) struct CommentView<'a> {
    id: u64,
    author: &'a str,
    url: Option<&'a str>,
    date: String,
    /// Sanitised when the model was built.
    text: &'a str,
    depth: usize,
    has_replies: bool,
    closes: usize,
}

impl<'a> CommentView<'a> {
    fn new(threaded: &'a ThreadedComment, timezone: &jiff::tz::TimeZone) -> Self {
        let comment = &threaded.comment;
        CommentView {
            id: comment.id,
            author: &comment.author,
            url: comment.url.as_deref(),
            date: rfc3339(&comment.date.to_zoned(timezone.clone())),
            text: &comment.text,
            depth: threaded.depth,
            has_replies: threaded.has_replies,
            closes: threaded.closes,
        }
    }
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
            image: article
                .image
                .as_ref()
                .map(|image| ImageView::new(site, image)),
            embeds: article
                .embeds
                .iter()
                .map(|embed| EmbedView::new(embed, &site.config.embeds, site.config.base_path()))
                .collect(),
            extra: &article.extra,
            content: None,
            toc: None,
            comments: None,
            discussion: None,
            newsletter: article.newsletter,
            share: None,
            json_ld: None,
            translations: None,
        }
    }

    /// The view used on the article's own page, with the featured embeds' markup.
    pub(crate) fn full(site: &'a Site, article: &'a Article, embeds: Vec<String>) -> Self {
        let card = ArticleView::card(site, article);
        ArticleView {
            // The top of a story without a hero is its first image: not lazy.
            content: Some(responsive_images(
                &article.content,
                site,
                article.image.is_none(),
            )),
            toc: Some(&article.toc),
            comments: Some(
                article
                    .comments
                    .iter()
                    .map(|c| CommentView::new(c, &site.config.timezone))
                    .collect(),
            ),
            discussion: DiscussionView::new(site, article),
            share: Some(share::links(site, article)),
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
