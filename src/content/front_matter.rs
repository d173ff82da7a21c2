//! Front matter: YAML as written (raw serde types) validated into [`FrontMatter`].
//!
//! serde_yaml is used here and nowhere else, so it can be swapped.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Zoned;
use serde::Deserialize;

use super::dates::parse_date;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds::{self, Embed};

/// What the writer typed between the `---` lines.
#[derive(Debug, Deserialize)]
struct RawFrontMatter {
    title: Option<String>,
    date: Option<serde_yaml::Value>,
    updated: Option<serde_yaml::Value>,
    author: Option<String>,
    authors: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    category: Option<String>,
    description: Option<String>,
    image: Option<RawImage>,
    embeds: Option<Vec<RawEmbed>>,
    draft: Option<bool>,
    slug: Option<String>,
    aliases: Option<Vec<String>>,
    lang: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawImage {
    Path(String),
    Full {
        src: String,
        alt: Option<String>,
        caption: Option<String>,
        credit: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawEmbed {
    Url(String),
    Full { url: String, title: Option<String> },
}

/// A hero image.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Path or URL as written (`/images/a.svg` is relative to the site root).
    pub src: String,
    /// Alternative text.
    pub alt: String,
    /// Caption shown under the image.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
}

/// Validated front matter of one article.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Headline.
    pub title: String,
    /// Publication date, in the site's zone.
    pub date: Zoned,
    /// Last update, if given.
    pub updated: Option<Zoned>,
    /// Author names as written; empty means the site author.
    pub authors: Vec<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Section of the paper.
    pub category: Option<String>,
    /// Summary for lists, feeds and meta tags.
    pub description: Option<String>,
    /// Hero image.
    pub image: Option<Image>,
    /// Featured media.
    pub embeds: Vec<Embed>,
    /// Left out unless drafts are built.
    pub draft: bool,
    /// Slug override.
    pub slug: Option<String>,
    /// Old paths that redirect to this article.
    pub aliases: Vec<String>,
    /// Language, if not the site's.
    pub lang: Option<String>,
    /// Every key this program does not know, for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Line that decides the URL (`slug`, else the first), for duplicate URL errors.
    pub slug_line: usize,
    /// Line of `aliases`.
    pub aliases_line: usize,
}

/// Parses the YAML of `path`, whose first line is line 2 of the file.
pub(super) fn parse(
    path: &Path,
    yaml: &str,
    config: &Config,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    const FIRST_LINE: usize = 2;
    let raw: RawFrontMatter = if yaml.trim().is_empty() {
        serde_yaml::from_str("{}")
    } else {
        serde_yaml::from_str(yaml)
    }
    .map_err(|e| {
        let location = match e.location() {
            Some(at) => Location::at(path, FIRST_LINE + at.line() - 1, at.column()),
            None => Location::at(path, 1, 1),
        };
        vec![Diagnostic::new(
            location,
            Problem::FrontMatter(yaml_message(&e, FIRST_LINE)),
        )]
    })?;

    let mut errors = Vec::new();
    let key_at = |key: &str| key_location(path, yaml, key, FIRST_LINE);
    let mut date_field = |field: &'static str, value: Option<serde_yaml::Value>| {
        let value = value?;
        let parsed = scalar_text(&value).and_then(|text| parse_date(&text, &config.timezone));
        if parsed.is_none() {
            let found = scalar_text(&value).unwrap_or_else(|| format!("{value:?}"));
            errors.push(Diagnostic::new(
                key_at(field),
                Problem::BadDate { field, found },
            ));
        }
        parsed
    };
    let date = date_field("date", raw.date.clone());
    let updated = date_field("updated", raw.updated);
    if raw.date.is_none() {
        errors.push(Diagnostic::new(
            Location::at(path, 1, 1),
            Problem::MissingField("date"),
        ));
    }
    let title = raw.title.filter(|t| !t.trim().is_empty());
    if title.is_none() {
        errors.push(Diagnostic::new(
            key_at("title"),
            Problem::MissingField("title"),
        ));
    }

    let mut embeds = Vec::new();
    for raw_embed in raw.embeds.unwrap_or_default() {
        let (url, title) = match raw_embed {
            RawEmbed::Url(url) => (url, None),
            RawEmbed::Full { url, title } => (url, title),
        };
        match embeds::recognize(&url) {
            Some(Ok(mut embed)) => {
                embed.title = title;
                embeds.push(embed);
            }
            Some(Err(reason)) => errors.push(embed_error(path, yaml, &url, reason)),
            None => errors.push(embed_error(
                path,
                yaml,
                &url,
                "not a supported embed URL (supported: YouTube videos)".to_string(),
            )),
        }
    }

    let slug = raw.slug.filter(|s| !s.trim().is_empty());
    if let Some(slug) = &slug
        && crate::slug::slugify(slug).is_empty()
    {
        errors.push(Diagnostic::new(
            key_at("slug"),
            Problem::BadField {
                field: "slug",
                reason: format!("`{slug}` has no letter or digit"),
            },
        ));
    }
    for alias in raw.aliases.iter().flatten() {
        if !alias.starts_with('/') || alias.contains("..") || alias.contains('\\') {
            errors.push(Diagnostic::new(
                key_at("aliases"),
                Problem::BadField {
                    field: "aliases",
                    reason: format!("`{alias}` must be a path starting with `/`, without `..`"),
                },
            ));
        }
    }

    let term_lists = [
        ("tags", raw.tags.as_deref().unwrap_or_default()),
        ("authors", raw.authors.as_deref().unwrap_or_default()),
        ("author", raw.author.as_slice()),
        ("category", raw.category.as_slice()),
    ];
    for (field, names) in term_lists {
        for name in names
            .iter()
            .filter(|n| !n.trim().is_empty() && crate::slug::slugify(n).is_empty())
        {
            errors.push(Diagnostic::new(
                key_at(field),
                Problem::BadField {
                    field,
                    reason: format!("`{name}` has no letter or digit to make a URL from"),
                },
            ));
        }
    }

    let (Some(title), Some(date), true) = (title, date, errors.is_empty()) else {
        return Err(errors);
    };
    let mut authors = raw.authors.unwrap_or_default();
    authors.extend(raw.author);
    let line_of = |key: &str| key_location(path, yaml, key, FIRST_LINE).line.unwrap_or(1);
    Ok(FrontMatter {
        slug_line: if slug.is_some() { line_of("slug") } else { 1 },
        aliases_line: line_of("aliases"),
        title,
        date,
        updated,
        authors,
        tags: raw.tags.unwrap_or_default(),
        category: raw.category.filter(|c| !c.trim().is_empty()),
        description: raw.description.filter(|d| !d.trim().is_empty()),
        image: raw.image.map(|image| match image {
            RawImage::Path(src) => Image {
                src,
                alt: String::new(),
                caption: None,
                credit: None,
            },
            RawImage::Full {
                src,
                alt,
                caption,
                credit,
            } => Image {
                src,
                alt: alt.unwrap_or_default(),
                caption,
                credit,
            },
        }),
        embeds,
        draft: raw.draft.unwrap_or(false),
        slug,
        aliases: raw.aliases.unwrap_or_default(),
        lang: raw.lang,
        extra: raw
            .extra
            .into_iter()
            .filter_map(|(key, value)| Some((key, serde_json::to_value(value).ok()?)))
            .collect(),
    })
}

fn embed_error(path: &Path, yaml: &str, url: &str, reason: String) -> Diagnostic {
    let location = match yaml.find(url) {
        Some(offset) => Location::at_offset(path, yaml, offset, 2),
        None => key_location(path, yaml, "embeds", 2),
    };
    Diagnostic::new(
        location,
        Problem::InvalidEmbed {
            url: url.to_string(),
            reason,
        },
    )
}

/// serde_yaml's message, without the trailing position we print ourselves and with any other
/// position it mentions counted in lines of the file rather than of the front matter.
fn yaml_message(error: &serde_yaml::Error, first_line: usize) -> String {
    let mut message = error.to_string();
    if let Some(at) = error.location()
        && let Some(stripped) =
            message.strip_suffix(&format!(" at line {} column {}", at.line(), at.column()))
    {
        message = stripped.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message.as_str();
    while let Some(at) = rest.find("at line ") {
        let (before, after) = rest.split_at(at + "at line ".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&(line + first_line - 1).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Where the value of a top-level `key:` starts in the YAML (its key if the value is on later
/// lines), or the file's first line.
fn key_location(path: &Path, yaml: &str, key: &str, first_line: usize) -> Location {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix(':')
        {
            let value_start = line.len() - value.trim_start().len();
            let column = if value.trim().is_empty() {
                0
            } else {
                value_start
            };
            return Location::at_offset(path, yaml, offset + column, first_line);
        }
        offset += line.len();
    }
    Location::at(path, 1, 1)
}
