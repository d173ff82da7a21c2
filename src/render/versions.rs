//! Template versions: which template sources each page is rendered with, hashed, so that a
//! template edit re-renders only the pages whose templates it touches.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{PAGE_TEMPLATE, REQUIRED_TEMPLATES, SEARCH_TEMPLATE};
use crate::theme::Theme;

/// Versions of the templates a page is rendered with: a hash of each page template with
/// everything it extends and includes, and of the templates bodies' shortcodes and embeds use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TemplateVersions {
    /// By page template name (`article.html`).
    pub(crate) pages: HashMap<String, u64>,
    /// Of every `embeds/` and `shortcodes/` template and the theme strings.
    pub(crate) snippets: u64,
}

impl TemplateVersions {
    /// The version of a page template; 0 for one the theme lacks.
    pub(crate) fn page(&self, name: &str) -> u64 {
        self.pages.get(name).copied().unwrap_or_default()
    }
}

/// Folders of the templates Markdown bodies are rendered with.
const SNIPPET_FOLDERS: [&str; 2] = ["embeds/", "shortcodes/"];

/// The versions of a theme's page templates and snippet templates.
pub(super) fn versions(theme: &Theme) -> TemplateVersions {
    let sources: BTreeMap<&str, &str> = theme
        .templates
        .iter()
        .map(|(name, file)| (name.as_str(), file.source.as_str()))
        .collect();
    // Components are callable from any template, so the templates defining them count for all.
    let everywhere: Vec<&str> = sources
        .iter()
        .filter(|(_, source)| defines_component(source))
        .map(|(name, _)| *name)
        .collect();
    let version = |roots: Vec<&str>| -> u64 {
        let mut hasher = DefaultHasher::new();
        theme.strings.hash(&mut hasher);
        let roots = roots.into_iter().chain(everywhere.iter().copied());
        for name in closure(&sources, roots) {
            (name, sources.get(name)).hash(&mut hasher);
        }
        hasher.finish()
    };
    let pages: HashMap<String, u64> = REQUIRED_TEMPLATES
        .iter()
        .chain([&PAGE_TEMPLATE, &SEARCH_TEMPLATE])
        .map(|name| (name.to_string(), version(vec![*name])))
        .collect();
    let snippets = version(
        sources
            .keys()
            .copied()
            .filter(|name| SNIPPET_FOLDERS.iter().any(|f| name.starts_with(f)))
            .collect(),
    );
    TemplateVersions { pages, snippets }
}

/// The templates `roots` use, themselves included: what they extend and include, transitively.
fn closure<'a>(
    sources: &BTreeMap<&'a str, &'a str>,
    roots: impl Iterator<Item = &'a str>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = roots.collect();
    while let Some(name) = stack.pop() {
        let Some((&name, source)) = sources.get_key_value(name) else {
            // A missing template is still a dependency: creating it changes the page.
            continue;
        };
        if seen.insert(name) {
            stack.extend(references(source));
        }
    }
    seen
}

/// Names in a template's `{% extends %}` and `{% include %}` tags.
fn references(source: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        let tag = &rest[start + 2..];
        let end = tag.find("%}").unwrap_or(tag.len());
        let body = tag[..end].trim_start_matches('-').trim_start();
        if body.starts_with("extends") || body.starts_with("include") {
            found.extend(quoted(body));
        }
        rest = &tag[end..];
    }
    found
}

/// The string literals in a tag's text.
fn quoted(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['"', '\'', '`']) {
        let quote = &rest[open..=open];
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            break;
        };
        found.push(&after[..close]);
        rest = &after[close + 1..];
    }
    found
}

fn defines_component(source: &str) -> bool {
    source.match_indices("{%").any(|(at, _)| {
        source[at + 2..]
            .trim_start_matches('-')
            .trim_start()
            .starts_with("component ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extends_and_includes() {
        let source = r#"{% extends "base.html" %}{%- include 'partials/card.html' -%}
            {% if x %}{{ "not.html" }}{% endif %}{% include ["a.html", "b.html"] ignore missing %}"#;
        assert_eq!(
            references(source),
            ["base.html", "partials/card.html", "a.html", "b.html"]
        );
    }

    #[test]
    fn follows_includes_transitively() {
        let sources = BTreeMap::from([
            ("article.html", "{% extends \"base.html\" %}"),
            ("base.html", "{% include \"partials/feeds.html\" %}"),
            ("partials/feeds.html", ""),
            ("partials/card.html", ""),
        ]);
        let used = closure(&sources, std::iter::once("article.html"));
        assert_eq!(
            used.into_iter().collect::<Vec<_>>(),
            ["article.html", "base.html", "partials/feeds.html"]
        );
    }

    #[test]
    fn sees_component_definitions() {
        assert!(defines_component(
            "{%- component button(label) %}x{% endcomponent %}"
        ));
        assert!(!defines_component("{% include \"component.html\" %}"));
    }
}
