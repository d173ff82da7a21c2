//! What the user wrote in `site.toml`: serde types as written, and where each key is, taken
//! from the TOML parser's spans. Validation into [`super::Config`] is left to the parent.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use super::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Location, Problem};

/// The whole file, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) title: String,
    pub(super) base_url: String,
    pub(super) language: Option<String>,
    pub(super) description: Option<String>,
    pub(super) theme: Option<String>,
    pub(super) paginate_by: Option<usize>,
    pub(super) permalink: Option<String>,
    pub(super) timezone: Option<String>,
    pub(super) author: Option<String>,
    pub(super) feed_limit: Option<usize>,
    pub(super) logo: Option<String>,
    pub(super) icon: Option<String>,
    pub(super) image: Option<String>,
    pub(super) related: Option<usize>,
    pub(super) french_spacing: Option<bool>,
    pub(super) precompress: Option<bool>,
    pub(super) languages: Option<BTreeMap<String, RawLanguage>>,
    pub(super) embeds: Option<RawEmbeds>,
    pub(super) images: Option<super::images::RawImages>,
    pub(super) highlight: Option<RawHighlight>,
    pub(super) markdown: Option<RawMarkdown>,
    pub(super) search: Option<super::search::RawSearch>,
    pub(super) comments: Option<super::comments::RawComments>,
    pub(super) newsletter: Option<super::newsletter::RawNewsletter>,
    pub(super) share: Option<super::share::RawShare>,
}

/// The `[markdown]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarkdown {
    pub(super) safe: Option<bool>,
}

/// The `[highlight]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHighlight {
    pub(super) enabled: Option<bool>,
    pub(super) theme: Option<String>,
    pub(super) dark_theme: Option<String>,
}

/// A `[languages.<tag>]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) newsletter: Option<super::newsletter::RawNewsletterStrings>,
}

/// The `[embeds]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmbeds {
    pub(super) consent: Option<String>,
    pub(super) thumbnails: Option<Vec<String>>,
}

/// Where the keys of `site.toml` are written, by dotted path (`title`, `highlight.theme`,
/// `languages.en`), as the parser saw them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPositions(BTreeMap<String, Location>);

impl KeyPositions {
    /// The location of the key at a dotted path, or the file when the key is not written.
    pub fn location(&self, path: &str) -> Location {
        self.0
            .get(path)
            .cloned()
            .unwrap_or_else(|| Location::file(CONFIG_FILE))
    }
}

/// A key and where it and its value are, in bytes of the file.
struct Placed {
    path: String,
    name: String,
    key: Range<usize>,
    value: Range<usize>,
    /// Whether the value is a table; an error inside one belongs to one of its keys.
    is_table: bool,
}

/// Parses `text`, returning what it says and where each key is.
pub(super) fn read(text: &str) -> Result<(RawConfig, KeyPositions), Diagnostic> {
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut placed = Vec::new();
    walk(table.get_ref(), "", &mut placed);
    let fail = |error: toml::de::Error| error_at(text, &placed, error);
    if let Some(error) = errors.into_iter().next() {
        return Err(fail(error));
    }
    let raw = RawConfig::deserialize(toml::de::Deserializer::from(table)).map_err(fail)?;
    let positions = placed
        .iter()
        .map(|p| {
            let at = Location::at_offset(Path::new(CONFIG_FILE), text, p.key.start, 1);
            (p.path.clone(), at)
        })
        .collect();
    Ok((raw, KeyPositions(positions)))
}

/// Records every key of `table` and of the tables under it, depth first.
fn walk(table: &DeTable<'_>, prefix: &str, placed: &mut Vec<Placed>) {
    for (key, value) in table {
        let path = format!("{prefix}{}", key.get_ref());
        let is_table = matches!(value.get_ref(), DeValue::Table(_));
        placed.push(Placed {
            path: path.clone(),
            name: key.get_ref().to_string(),
            key: key.span(),
            value: value.span(),
            is_table,
        });
        if let DeValue::Table(inner) = value.get_ref() {
            walk(inner, &format!("{path}."), placed);
        }
    }
}

/// A TOML error at the place it names; toml's messages for a value of the wrong type name
/// only the value, so the key whose value holds that place is named too.
fn error_at(text: &str, placed: &[Placed], error: toml::de::Error) -> Diagnostic {
    let Some(span) = error.span() else {
        return Diagnostic::new(
            Location::file(CONFIG_FILE),
            Problem::ConfigSyntax(Arc::new(TomlError(error))),
        );
    };
    let location = Location::at_offset(Path::new(CONFIG_FILE), text, span.start, 1);
    // The innermost key whose own value (not a table of keys) holds the error.
    let key = placed
        .iter()
        .filter(|p| !p.is_table && p.key.end <= span.start && p.value.contains(&span.start))
        .min_by_key(|p| p.value.len());
    let cause = Arc::new(TomlError(error));
    let problem = match key {
        Some(placed) => Problem::ConfigValue {
            key: placed.name.clone(),
            cause,
        },
        None => Problem::ConfigSyntax(cause),
    };
    Diagnostic::new(location, problem)
}

/// toml's error shown by its message alone: its own rendering repeats the line, which the
/// diagnostic shows already.
#[derive(Debug)]
pub(crate) struct TomlError(pub(crate) toml::de::Error);

impl std::fmt::Display for TomlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.message().trim())
    }
}

impl std::error::Error for TomlError {}
