//! Structured data for search engines: the JSON-LD of an article page (schema.org
//! `NewsArticle`, its `BreadcrumbList` and a `VideoObject` per featured video), built from the
//! model with absolute URLs and escaped so it can sit inside a `<script>` element.

use serde_json::{Value, json};

use super::views::rfc3339;
use crate::embeds::Variant;
use crate::html::{plain_text, script_json};
use crate::site::{Article, Site};

/// Longest description search engines and social cards show, in characters.
pub(crate) const DESCRIPTION_LENGTH: usize = 160;

/// What an article says about itself in a sentence: its description, else its summary's text.
pub(crate) fn description(article: &Article) -> String {
    match &article.description {
        Some(description) => description.clone(),
        None => plain_text(&article.summary, DESCRIPTION_LENGTH),
    }
}

/// The JSON-LD of an article page: an array of the article, its breadcrumbs and its videos.
pub(crate) fn article(site: &Site, article: &Article) -> String {
    let permalink = site.permalink(&article.path);
    let description = description(article);
    // Google's Article rich results need an image: the site's default stands in for a
    // missing hero, then the publisher's logo.
    let image = article
        .image
        .as_ref()
        .map(
            |image| match site.pictures.get(&image.src).and_then(|p| p.largest()) {
                Some(file) => site.absolute_url(&file.path),
                None => site.absolute_url(&image.src),
            },
        )
        .or_else(|| site.config.image.as_ref().map(|src| site.absolute_url(src)));
    let authors: Vec<Value> = article
        .authors
        .iter()
        .map(|&id| {
            let author = &site.authors.terms[id];
            let mut person = json!({
                "@type": "Person",
                "name": author.name,
                "url": site.permalink(&author.path),
            });
            if let Some(profile) = site.profile(author) {
                if let Some(role) = &profile.role {
                    person["jobTitle"] = json!(role);
                }
                if let Some(avatar) = &profile.avatar {
                    let file = site.pictures.get(avatar).and_then(|p| p.smallest());
                    let path = file.map_or(avatar.as_str(), |file| &file.path);
                    person["image"] = json!(site.absolute_url(path));
                }
                if !profile.links.is_empty() {
                    let urls: Vec<&str> =
                        profile.links.iter().map(|(_, url)| url.as_str()).collect();
                    person["sameAs"] = json!(urls);
                }
            }
            person
        })
        .collect();
    let mut publisher = json!({
        "@type": "Organization",
        "name": site.config.title,
        "url": site.config.base_url.as_str(),
    });
    if let Some(logo) = &site.config.logo {
        publisher["logo"] = json!({"@type": "ImageObject", "url": site.absolute_url(logo)});
    }
    let mut news = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "url": permalink,
        "mainEntityOfPage": {"@type": "WebPage", "@id": permalink},
        "datePublished": rfc3339(&article.date),
        "dateModified": rfc3339(article.last_modified()),
        "inLanguage": article.lang,
        "author": authors,
        "publisher": publisher,
        "wordCount": article.word_count,
    });
    let logo = || {
        site.config
            .logo
            .as_ref()
            .map(|logo| site.absolute_url(logo))
    };
    // A processed hero lists its social card and its widest file, with their sizes.
    let hero = article
        .image
        .as_ref()
        .and_then(|i| site.pictures.get(&i.src));
    let objects: Vec<Value> = hero
        .into_iter()
        .flat_map(|picture| picture.card.iter().chain(picture.largest()))
        .map(|file| {
            json!({
                "@type": "ImageObject",
                "url": site.absolute_url(&file.path),
                "width": file.width,
                "height": file.height,
            })
        })
        .collect();
    if !objects.is_empty() {
        news["image"] = json!(objects);
    } else if let Some(image) = image.clone().or_else(logo) {
        news["image"] = json!([image]);
    }
    if let Some(id) = article.category {
        news["articleSection"] = json!(site.categories.terms[id].name);
    }
    if !article.tags.is_empty() {
        let tags: Vec<&str> = article
            .tags
            .iter()
            .map(|&id| site.tags.terms[id].name.as_str())
            .collect();
        news["keywords"] = json!(tags);
    }

    let mut crumbs = vec![(site.config.title.as_str(), site.permalink(site.home_path()))];
    if let Some(id) = article.category {
        let category = &site.categories.terms[id];
        crumbs.push((category.name.as_str(), site.permalink(&category.path)));
    }
    crumbs.push((article.title.as_str(), permalink.clone()));
    let breadcrumbs = json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": crumbs
            .into_iter()
            .enumerate()
            .map(|(index, (name, item))| json!({
                "@type": "ListItem",
                "position": index + 1,
                "name": name,
                "item": item,
            }))
            .collect::<Vec<Value>>(),
    });

    let mut blocks = vec![news, breadcrumbs];
    for embed in &article.embeds {
        if !matches!(
            embed.variant,
            Variant::Video | Variant::Short | Variant::Live | Variant::VideoFile
        ) {
            continue;
        }
        let links = embed.links();
        let thumbnail = links.thumbnail.or_else(|| image.clone());
        let mut video = json!({
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": embed.title.as_deref().unwrap_or(&article.title),
            "description": description,
            "uploadDate": rfc3339(&article.date),
        });
        if let Some(thumbnail) = thumbnail {
            video["thumbnailUrl"] = json!([thumbnail]);
        }
        match (embed.variant, links.player) {
            (Variant::VideoFile, _) => video["contentUrl"] = json!(site.absolute_url(&links.page)),
            (_, Some(player)) => {
                video["embedUrl"] = json!(player);
                video["url"] = json!(links.page);
            }
            (_, None) => video["url"] = json!(links.page),
        }
        blocks.push(video);
    }
    script_json(&Value::Array(blocks).to_string())
}
