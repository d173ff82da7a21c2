//! Front matter: YAML as written (raw serde types) validated into [`FrontMatter`].
//!
//! serde_yaml (values) and yaml-rust2 (where keys are, in [`keys`]) are used here and nowhere
//! else, so they can be swapped.

mod discussion;
mod json_text;
mod keys;
mod page;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::Zoned;
use serde::{Deserialize, Serialize};

use super::dates::parse_date;
use super::limits;
use super::values::{self, describe, scalar};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds::{self, Embed};

pub use discussion::{Discussion, MastodonThread};
pub use keys::FrontKeys;
pub(super) use page::parse_page;
pub use page::{Menu, MenuPlace, PageFront};

/// Line of the file where the YAML starts, after the opening `---`.
const FIRST_LINE: usize = 2;

/// What the writer typed between the `---` lines.
#[derive(Debug, Deserialize)]
struct RawFrontMatter {
    // Text fields are read as any value, so that a list or a map where text belongs gets a
    // message naming the field rather than serde's.
    title: Option<serde_yaml::Value>,
    date: Option<serde_yaml::Value>,
    updated: Option<serde_yaml::Value>,
    author: Option<serde_yaml::Value>,
    authors: Option<serde_yaml::Value>,
    tags: Option<serde_yaml::Value>,
    category: Option<serde_yaml::Value>,
    description: Option<serde_yaml::Value>,
    image: Option<serde_yaml::Value>,
    embeds: Option<serde_yaml::Value>,
    draft: Option<bool>,
    slug: Option<serde_yaml::Value>,
    aliases: Option<serde_yaml::Value>,
    lang: Option<serde_yaml::Value>,
    translation_key: Option<serde_yaml::Value>,
    comments: Option<serde_yaml::Value>,
    newsletter: Option<bool>,
    guid: Option<serde_yaml::Value>,
    #[serde(flatten)]
    extra: BTreeMap<String, serde_yaml::Value>,
}

/// A hero image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// Path or URL as written (`/images/a.svg` is relative to the site root).
    pub src: String,
    /// Alternative text.
    pub alt: String,
    /// Caption shown under the image.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
    /// Where the social card cut from it is centred; the centre when `None`.
    pub focal: Option<crate::images::Focal>,
    /// Width and height in pixels of a file of the site, read at build time; `None` for a URL
    /// elsewhere or a file that is missing or not a known raster format.
    pub dimensions: Option<(u32, u32)>,
}

/// Validated front matter of one article.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Its comments: open, closed (`comments: false`) or a Mastodon thread.
    pub comments: Discussion,
    /// Whether the newsletter form follows it (`newsletter: false` leaves it out).
    pub newsletter: bool,
    /// The id feeds give it, when it must stay what another system gave (an imported
    /// WordPress post's GUID), so that subscribers see no duplicate.
    pub guid: Option<String>,
    /// Slug override.
    pub slug: Option<String>,
    /// Old paths that redirect to this article.
    pub aliases: Vec<String>,
    /// Language, if not the site's.
    pub lang: Option<String>,
    /// Shared by the translations of one story.
    pub translation_key: Option<String>,
    /// Line of `translation_key`.
    pub translation_key_line: usize,
    /// Every key this program does not know, for templates.
    #[serde(with = "json_text")]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Line that decides the URL (`slug`, else the first), for duplicate URL errors.
    pub slug_line: usize,
    /// Line of `aliases`.
    pub aliases_line: usize,
    /// Line of `embeds`, for problems found when they are rendered.
    pub embeds_line: usize,
    /// Where every top-level key is written.
    pub keys: FrontKeys,
}

impl FrontMatter {
    /// 1-based line of the file where a top-level key is written, if it is.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.keys.key_line(key)
    }
}

/// Parses the YAML of `path`, whose first line is line 2 of the file, reporting every problem.
///
/// With a title and a date the front matter is returned even when other fields are wrong
/// (they are left out), so the body's own problems can be reported in the same run.
pub(super) fn parse(
    path: &Path,
    yaml: &str,
    config: &Config,
) -> (Option<FrontMatter>, Vec<Diagnostic>) {
    let raw: RawFrontMatter = match deserialize(path, yaml) {
        Ok(raw) => raw,
        Err(error) => return (None, vec![error]),
    };

    let keys = FrontKeys::read(yaml, FIRST_LINE);
    let mut found = Problems {
        path,
        keys: &keys,
        list: Vec::new(),
    };
    // A title of the wrong shape is reported as such, not as missing.
    let title_misshapen = raw
        .title
        .as_ref()
        .is_some_and(|t| !t.is_null() && scalar(t).is_none());
    let title = found.text("title", raw.title.as_ref());
    let author = found.text("author", raw.author.as_ref());
    let category = found.text("category", raw.category.as_ref());
    let description = found.text("description", raw.description.as_ref());
    let slug = found.text("slug", raw.slug.as_ref());
    let lang = found.text("lang", raw.lang.as_ref());
    let translation_key = found.text("translation_key", raw.translation_key.as_ref());
    let guid = found.text("guid", raw.guid.as_ref());
    let date = found.date("date", raw.date.as_ref(), config);
    let updated = found.date("updated", raw.updated.as_ref(), config);
    let mut authors = found.list("authors", raw.authors.as_ref());
    let tags = found.list("tags", raw.tags.as_ref());
    let aliases = found.list("aliases", raw.aliases.as_ref());
    authors.extend(author);
    let image = raw.image.as_ref().and_then(|value| {
        values::image(value)
            .map_err(|reason| found.field("image", reason))
            .ok()
    });
    let embeds = found.embeds(raw.embeds.as_ref());
    let comments = discussion::parse(raw.comments.as_ref()).unwrap_or_else(|reason| {
        found.field("comments", reason);
        Discussion::Open
    });

    found.check_slug(slug.as_deref());
    found.check_aliases(&aliases);
    found.check_lang(lang.as_deref());
    let term_lists = [
        ("tags", tags.as_slice()),
        ("authors", authors.as_slice()),
        ("category", category.as_slice()),
    ];
    for (field, names) in term_lists {
        for name in names
            .iter()
            .filter(|n| !n.trim().is_empty() && crate::slug::slugify(n).is_empty())
        {
            found.field(
                field,
                format!("`{name}` has no letter or digit to make a URL from"),
            );
        }
    }
    if raw.date.is_none() {
        found.list.push(Diagnostic::new(
            Location::at(path, 1, 1),
            Problem::MissingField("date"),
        ));
    }
    if title.is_none() && !title_misshapen {
        let location = found.at("title");
        found
            .list
            .push(Diagnostic::new(location, Problem::MissingField("title")));
    }
    let errors = found.list;

    let (Some(title), Some(date)) = (title, date) else {
        return (None, errors);
    };
    let line_of = |key: &str| keys.key_line(key).unwrap_or(1);
    let front = FrontMatter {
        slug_line: if slug.is_some() { line_of("slug") } else { 1 },
        aliases_line: line_of("aliases"),
        embeds_line: line_of("embeds"),
        translation_key_line: line_of("translation_key"),
        title,
        date,
        updated,
        authors,
        tags,
        category,
        description,
        image,
        embeds,
        draft: raw.draft.unwrap_or(false),
        comments,
        newsletter: raw.newsletter.unwrap_or(true),
        guid: guid.map(|guid| guid.trim().to_string()),
        slug,
        aliases,
        lang,
        translation_key: translation_key.map(|k| k.trim().to_string()),
        extra: raw
            .extra
            .into_iter()
            .filter_map(|(key, value)| Some((key, serde_json::to_value(value).ok()?)))
            .collect(),
        keys,
    };
    (Some(front), errors)
}

/// What an author profile's front matter says, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Option<serde_yaml::Value>,
    role: Option<serde_yaml::Value>,
    avatar: Option<serde_yaml::Value>,
    links: Option<serde_yaml::Mapping>,
}

/// Validated front matter of an author profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFront {
    /// Name as shown; none keeps the spelling articles use.
    pub name: Option<String>,
    /// Job title (`Rédactrice en chef`).
    pub role: Option<String>,
    /// Portrait: a site path or an absolute URL.
    pub avatar: Option<String>,
    /// Profiles elsewhere, by network (`mastodon`, `website`), as absolute URLs, in order.
    pub links: Vec<(String, String)>,
    /// Where each key is written.
    pub keys: FrontKeys,
}

/// Parses an author profile's YAML (first line is line 2 of the file), every problem found.
pub(super) fn parse_profile(path: &Path, yaml: &str) -> (Option<ProfileFront>, Vec<Diagnostic>) {
    let raw: RawProfile = match deserialize(path, yaml) {
        Ok(raw) => raw,
        Err(error) => return (None, vec![error]),
    };
    let keys = FrontKeys::read(yaml, FIRST_LINE);
    let mut found = Problems {
        path,
        keys: &keys,
        list: Vec::new(),
    };
    let is_url = |text: &str| {
        url::Url::parse(text)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
    };
    let mut links = Vec::new();
    // A YAML mapping keeps the order the links were written in.
    for (network, url) in raw.links.unwrap_or_default() {
        match (network.as_str(), url.as_str()) {
            (Some(network), Some(url)) if is_url(url) => {
                links.push((network.to_string(), url.to_string()));
            }
            _ => {
                let network = scalar(&network).unwrap_or_else(|| describe(&network).to_string());
                let url = scalar(&url).unwrap_or_else(|| describe(&url).to_string());
                found.field(
                    "links",
                    format!("`{network}: {url}` must be an absolute http(s) URL of the profile"),
                );
            }
        }
    }
    let name = found.text("name", raw.name.as_ref());
    let role = found.text("role", raw.role.as_ref());
    let avatar = found.text("avatar", raw.avatar.as_ref());
    if let Some(avatar) = &avatar
        && !(is_url(avatar)
            || (avatar.starts_with('/') && crate::config::is_plain_site_path(avatar)))
    {
        found.field(
            "avatar",
            format!("`{avatar}` must be a site path starting with `/` or an absolute URL"),
        );
    }
    let profile = ProfileFront {
        name,
        role,
        avatar,
        links,
        keys: keys.clone(),
    };
    (Some(profile), found.list)
}

/// Reads YAML (first line is line 2 of the file) into `T`; an empty front matter is `{}`.
///
/// Lists and maps nested too deeply are refused from the text; then the YAML is walked
/// without keeping anything, counting its values with aliases expanded, so that a few lines
/// repeating anchors (`*a` in a list of `*a`…) are refused before they are built.
fn deserialize<T: serde::de::DeserializeOwned>(path: &Path, yaml: &str) -> Result<T, Diagnostic> {
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    if let Some((message, offset)) = limits::too_deep(yaml) {
        return Err(Diagnostic::new(
            Location::at_offset(path, yaml, offset, FIRST_LINE),
            Problem::FrontMatter(Arc::new(YamlError {
                message,
                error: None,
            })),
        ));
    }
    let left = std::cell::Cell::new(limits::MAX_VALUES);
    let counted = serde::de::DeserializeSeed::deserialize(
        limits::Count { left: &left },
        serde_yaml::Deserializer::from_str(yaml),
    );
    // Other errors of the count (broken YAML) are left to the real reading, whose messages
    // name the field.
    let read = match counted {
        Err(error) if limits::is_limit(&error) => Err(error),
        _ => serde_yaml::from_str(yaml),
    };
    read.map_err(|e| {
        let (message, at) =
            limits::explain(&e, yaml).unwrap_or_else(|| (yaml_message(&e, FIRST_LINE), None));
        let location = match (at, e.location()) {
            (Some(offset), _) => Location::at_offset(path, yaml, offset, FIRST_LINE),
            (None, Some(at)) => Location::at(path, FIRST_LINE + at.line() - 1, at.column()),
            (None, None) => Location::at(path, 1, 1),
        };
        let cause = YamlError {
            message,
            error: Some(e),
        };
        Diagnostic::new(location, Problem::FrontMatter(Arc::new(cause)))
    })
}

/// Why a front matter is not read, in a writer's words: serde_yaml's error with lines counted
/// in the file and its trailing position left to the diagnostic, or a limit explained.
///
/// It stands for serde_yaml's error (whose text it shows), so its source is that error's.
#[derive(Debug)]
pub(crate) struct YamlError {
    message: String,
    /// serde_yaml's error; none for nesting refused from the text before parsing.
    error: Option<serde_yaml::Error>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref()?.source()
    }
}

/// Collects the problems of one front matter, each at the line of its key.
struct Problems<'a> {
    path: &'a Path,
    keys: &'a FrontKeys,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    /// A `slug` must make a URL; one with `/` or `..` is not a path, and is said so.
    fn check_slug(&mut self, slug: Option<&str>) {
        let Some(written) = slug else { return };
        let slugged = crate::slug::slugify(written);
        if slugged.is_empty() {
            self.field("slug", format!("`{written}` has no letter or digit"));
        } else if written.contains(['/', '\\']) || written.contains("..") {
            self.list.push(Diagnostic::warning(
                self.at("slug"),
                Problem::SlugNotPlain {
                    written: written.to_string(),
                    slug: slugged,
                },
            ));
        }
    }

    /// Each alias must be a plain path of this site, with at most a plain query
    /// (`/?p=123`, which no static file can answer: it goes to the redirect maps).
    fn check_aliases(&mut self, aliases: &[String]) {
        for alias in aliases {
            let (path, query) = match alias.split_once('?') {
                Some((path, query)) => (path, Some(query)),
                None => (alias.as_str(), None),
            };
            // `//host/x` would be a link to another site, not a path of this one.
            if !path.starts_with('/')
                || path.contains("//")
                || !crate::config::is_plain_site_path(path)
                || query.is_some_and(|query| !is_plain_query(query))
            {
                self.field(
                    "aliases",
                    format!(
                        "`{alias}` must be a path starting with one `/`, without `..`, `//`, \
                         spaces, `\\` or `#`, and at most a query of key=value pairs"
                    ),
                );
            }
        }
    }

    /// A `lang` must be a language tag.
    fn check_lang(&mut self, lang: Option<&str>) {
        if let Some(lang) = lang
            && !crate::config::is_language_tag(lang)
        {
            self.field(
                "lang",
                format!("`{lang}` is not a BCP 47 language tag such as fr or en-GB"),
            );
        }
    }

    fn at(&self, key: &str) -> Location {
        self.keys.location(self.path, key)
    }

    fn field(&mut self, field: &'static str, reason: String) {
        self.list.push(Diagnostic::new(
            self.at(field),
            Problem::BadField { field, reason },
        ));
    }

    /// Text as written (a number or true/false stands for its text), none when blank; a list
    /// or a map is reported as what it is.
    fn text(&mut self, field: &'static str, value: Option<&serde_yaml::Value>) -> Option<String> {
        let value = value.filter(|v| !v.is_null())?;
        match scalar(value) {
            Some(text) => Some(text).filter(|t| !t.trim().is_empty()),
            None => {
                self.field(field, format!("must be text, found {}", describe(value)));
                None
            }
        }
    }

    fn date(
        &mut self,
        field: &'static str,
        value: Option<&serde_yaml::Value>,
        config: &Config,
    ) -> Option<Zoned> {
        let value = value?;
        let parsed = scalar(value).and_then(|text| parse_date(&text, &config.timezone));
        if parsed.is_none() {
            let found = scalar(value).unwrap_or_else(|| describe(value).to_string());
            self.list.push(Diagnostic::new(
                self.at(field),
                Problem::BadDate { field, found },
            ));
        }
        parsed
    }

    fn list(&mut self, field: &'static str, value: Option<&serde_yaml::Value>) -> Vec<String> {
        value.map_or_else(Vec::new, |value| {
            values::text_list(value).unwrap_or_else(|reason| {
                self.field(field, reason);
                Vec::new()
            })
        })
    }

    fn embeds(&mut self, value: Option<&serde_yaml::Value>) -> Vec<Embed> {
        let items = match value {
            None | Some(serde_yaml::Value::Null) => Vec::new(),
            Some(serde_yaml::Value::Sequence(items)) => items.iter().collect(),
            Some(one) => vec![one],
        };
        let mut embeds = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let (provider, options) = match values::embed(item) {
                Ok(found) => found,
                Err(reason) => {
                    self.field("embeds", reason);
                    continue;
                }
            };
            let (field, written) = match (&options.url, &options.id) {
                (Some(url), _) => ("url", url.clone()),
                (None, Some(id)) => ("id", id.clone()),
                (None, None) => ("url", String::new()),
            };
            let at = self.keys.item("embeds", index, field);
            match embeds::resolve(provider, options) {
                Ok(embed) => embeds.push(embed),
                Err(reason) => {
                    let location = match at {
                        Some((line, column)) => Location::at(self.path, line, column),
                        None => self.at("embeds"),
                    };
                    let problem = Problem::InvalidEmbed {
                        url: written,
                        reason,
                    };
                    self.list.push(Diagnostic::new(location, problem));
                }
            }
        }
        embeds
    }
}

/// `p=123`, `page_id=7&lang=fr`: keys and values of letters, digits and `-_.~%`.
fn is_plain_query(query: &str) -> bool {
    let plain = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
    };
    query.split('&').all(|pair| match pair.split_once('=') {
        Some((key, value)) => plain(key) && (value.is_empty() || plain(value)),
        None => plain(pair),
    })
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

#[cfg(test)]
mod tests;
