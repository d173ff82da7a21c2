//! The front matter fields of an imported post, from what WordPress recorded: slug, dates,
//! category and tags, description, old URLs, custom fields.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;

use super::plan::{Index, Target};
use crate::config::Config;
use crate::import::wxr::{Export, Item, TermKind};
use crate::slug::slugify;

/// WordPress's catch-all category, which says nothing about an article.
const UNCATEGORIZED: [&str; 2] = ["uncategorized", "non-classe"];

/// A post's title; WordPress allows none (it shows "(no title)"), Kiosque needs one: its
/// slug in words, else its id.
pub(super) fn title_of(item: &Item) -> String {
    let title = item.title.trim();
    if !title.is_empty() {
        return title.to_string();
    }
    let name = percent_decode_str(&item.name)
        .decode_utf8_lossy()
        .replace('-', " ");
    let mut words = name.trim().chars();
    match words.next() {
        Some(first) => first.to_uppercase().chain(words).collect(),
        None => format!("Post {}", item.id),
    }
}

/// A post's slug: its `post_name` decoded, else from its title, else from its id.
pub(super) fn item_slug(item: &Item) -> String {
    let name = percent_decode_str(&item.name).decode_utf8_lossy();
    [slugify(&name), slugify(&item.title)]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| format!("post-{}", item.id))
}

/// The year folder of a post: its publication year, `drafts` when it has no date.
pub(super) fn year_of(item: &Item) -> String {
    let date = item
        .date_gmt
        .as_deref()
        .filter(|d| !d.starts_with("0000"))
        .or(item.date.as_deref())
        .unwrap_or_default();
    let year = date
        .get(..4)
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()));
    year.filter(|y| *y != "0000")
        .unwrap_or("drafts")
        .to_string()
}

/// RFC 3339 from `post_date_gmt`, else `post_date` in the site's time zone.
pub(super) fn date_of(item: &Item, config: &Config) -> Option<String> {
    wp_date(item.date_gmt.as_deref(), item.date.as_deref(), config)
}

/// The modification date, when later than the publication.
pub(super) fn updated_of(item: &Item, config: &Config) -> Option<String> {
    let updated = wp_date(
        item.modified_gmt.as_deref(),
        item.modified.as_deref(),
        config,
    )?;
    let published = date_of(item, config)?;
    let later = updated.parse::<jiff::Timestamp>().ok()? > published.parse().ok()?;
    later.then_some(updated)
}

pub(super) fn wp_date(gmt: Option<&str>, local: Option<&str>, config: &Config) -> Option<String> {
    let civil = |text: &str| -> Option<jiff::civil::DateTime> {
        text.trim().replace(' ', "T").parse().ok()
    };
    if let Some(utc) = gmt.filter(|d| !d.starts_with("0000")).and_then(civil) {
        let zoned = utc.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
        return Some(zoned.timestamp().to_string());
    }
    let zoned = civil(local?)?.to_zoned(config.timezone.clone()).ok()?;
    Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// The primary category (the SEO plugins' choice, named by its slug in the terms of the
/// export, else the first) and the tags, the other categories among them.
pub(super) fn terms_of(item: &Item, index: &Index<'_>) -> (Option<String>, Vec<String>) {
    let categories: Vec<&str> = item
        .terms
        .iter()
        .filter(|t| t.domain == "category" && !UNCATEGORIZED.contains(&t.slug.as_str()))
        .map(|t| t.name.as_str())
        .collect();
    let primary = [
        "_yoast_wpseo_primary_category",
        "rank_math_primary_category",
    ]
    .iter()
    .find_map(|key| meta(item, key))
    .and_then(|id| index.categories.get(id.trim()).cloned())
    .filter(|name| categories.contains(&name.as_str()))
    .or_else(|| categories.first().map(|c| c.to_string()));
    let mut tags: Vec<String> = categories
        .iter()
        .filter(|c| Some(**c) != primary.as_deref())
        .map(|c| c.to_string())
        .collect();
    let post_tags = item.terms.iter().filter(|t| t.domain == "post_tag");
    tags.extend(post_tags.map(|t| t.name.clone()));
    tags.dedup();
    (primary, tags)
}

/// The excerpt as text, else the meta description of Yoast or Rank Math.
pub(super) fn description_of(item: &Item) -> Option<String> {
    let excerpt = strip_tags(&item.excerpt);
    Some(excerpt)
        .filter(|e| !e.is_empty())
        .or_else(|| meta(item, "_yoast_wpseo_metadesc"))
        .or_else(|| meta(item, "rank_math_description"))
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty())
}

/// The old URLs of a post or page: its permalink's path when the new one differs, and the
/// short link WordPress gives it (`/?p=123`), which the redirect maps answer.
pub(super) fn aliases_of(item: &Item, target: &Target, index: &Index<'_>) -> Vec<String> {
    let mut aliases = Vec::new();
    if let Some(path) = item.link.as_deref().and_then(|l| index.old_path(l))
        && !path.contains('?')
        && crate::config::is_plain_site_path(&path)
        && !answered_by_kiosque(&path)
        && Some(path.trim_end_matches('/'))
            != target.path.as_deref().map(|p| p.trim_end_matches('/'))
    {
        aliases.push(path);
    }
    // Hand-made exports may give no id, and so no short link.
    if item.id != 0 {
        let key = if target.page { "page_id" } else { "p" };
        aliases.push(format!("/?{key}={}", item.id));
    }
    aliases
}

/// Whether the new site answers an old path with a page of its own (the home page, lists,
/// feeds): an alias there would take its place.
fn answered_by_kiosque(path: &str) -> bool {
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    path == "/"
        || matches!(
            first,
            "tags" | "categories" | "authors" | "archives" | "page"
        )
        || matches!(
            first,
            "atom.xml" | "rss.xml" | "feed.json" | "sitemap.xml" | "robots.txt"
        )
}

/// The first value of a custom field.
pub(super) fn meta(item: &Item, key: &str) -> Option<String> {
    item.meta
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// HTML as plain text, for excerpts and captions.
pub(super) fn strip_tags(html: &str) -> String {
    let cleaned = ammonia::Builder::empty().clean(html).to_string();
    let text = cleaned
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Category names by term id.
pub(super) fn category_ids(export: &Export) -> HashMap<String, String> {
    let categories = export.terms.iter().filter(|t| t.kind == TermKind::Category);
    categories
        .filter_map(|t| Some((t.id?.to_string(), t.name.clone())))
        .collect()
}
