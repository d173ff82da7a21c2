//! Front matter of a standalone page (`content/pages/<slug>.md`): an about page, a legal
//! notice. Fewer keys than an article's: no date, no terms, and a place in the navigation.

use std::path::Path;

use serde::Deserialize;

use super::{FIRST_LINE, FrontKeys, Problems, deserialize};
use crate::diagnostics::{Diagnostic, Location, Problem};

/// Where a page is listed in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MenuPlace {
    /// The header's navigation.
    Header,
    /// The footer's links.
    Footer,
}

/// A page's place in the navigation: `menu: footer`, or `menu: {place: header, order: 2}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Menu {
    /// Header or footer.
    pub place: MenuPlace,
    /// Smaller first; pages of equal order by title.
    pub order: i64,
}

/// Validated front matter of a standalone page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFront {
    /// Title.
    pub title: String,
    /// Summary for search engines and social cards.
    pub description: Option<String>,
    /// URL slug; the file name's otherwise.
    pub slug: Option<String>,
    /// Old paths that redirect here.
    pub aliases: Vec<String>,
    /// Language; the site's otherwise.
    pub lang: Option<String>,
    /// Left out unless drafts are built.
    pub draft: bool,
    /// Where the navigation lists it, if it does.
    pub menu: Option<Menu>,
    /// Where each key is written.
    pub keys: FrontKeys,
}

/// What the writer typed between the `---` lines of a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<serde_yaml::Value>,
    description: Option<serde_yaml::Value>,
    slug: Option<serde_yaml::Value>,
    aliases: Option<serde_yaml::Value>,
    lang: Option<serde_yaml::Value>,
    draft: Option<bool>,
    menu: Option<serde_yaml::Value>,
}

/// Parses a page's YAML (first line is line 2 of the file), every problem found.
pub(in crate::content) fn parse_page(
    path: &Path,
    yaml: &str,
) -> (Option<PageFront>, Vec<Diagnostic>) {
    let raw: RawPage = match deserialize(path, yaml) {
        Ok(raw) => raw,
        Err(error) => return (None, vec![error]),
    };
    let keys = FrontKeys::read(yaml, FIRST_LINE);
    let mut found = Problems {
        path,
        keys: &keys,
        list: Vec::new(),
    };
    let title = found.text("title", raw.title.as_ref());
    let description = found.text("description", raw.description.as_ref());
    let slug = found.text("slug", raw.slug.as_ref());
    let lang = found.text("lang", raw.lang.as_ref());
    let aliases = found.list("aliases", raw.aliases.as_ref());
    found.check_slug(slug.as_deref());
    found.check_aliases(&aliases);
    found.check_lang(lang.as_deref());
    let menu = raw.menu.as_ref().and_then(|value| {
        menu(value)
            .map_err(|reason| found.field("menu", reason))
            .ok()
    });
    let Some(title) = title else {
        let location = match keys.key_line("title") {
            Some(_) => found.at("title"),
            None => Location::at(path, 1, 1),
        };
        let mut errors = found.list;
        if raw.title.as_ref().is_none_or(serde_yaml::Value::is_null) {
            errors.push(Diagnostic::new(location, Problem::MissingField("title")));
        }
        return (None, errors);
    };
    let front = PageFront {
        title,
        description,
        slug,
        aliases,
        lang,
        draft: raw.draft.unwrap_or(false),
        menu: menu.flatten(),
        keys: keys.clone(),
    };
    (Some(front), found.list)
}

/// `header`, `footer`, or `{place: …, order: N}`; `false` or nothing lists the page nowhere.
fn menu(value: &serde_yaml::Value) -> Result<Option<Menu>, String> {
    use serde_yaml::Value;
    let place = |text: &str| match text.trim() {
        "header" => Ok(MenuPlace::Header),
        "footer" => Ok(MenuPlace::Footer),
        other => Err(format!("`{other}` is not a menu: write header or footer")),
    };
    match value {
        Value::Null | Value::Bool(false) => Ok(None),
        Value::String(text) => Ok(Some(Menu {
            place: place(text)?,
            order: 0,
        })),
        Value::Mapping(map) => {
            let mut menu = Menu {
                place: MenuPlace::Header,
                order: 0,
            };
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some("place"), Value::String(text)) => menu.place = place(text)?,
                    (Some("order"), Value::Number(n)) if n.as_i64().is_some() => {
                        menu.order = n.as_i64().unwrap_or_default();
                    }
                    (Some(key @ ("place" | "order")), _) => {
                        return Err(format!(
                            "`{key}` must be {}",
                            if key == "place" {
                                "header or footer"
                            } else {
                                "a whole number"
                            }
                        ));
                    }
                    (other, _) => {
                        let key = other.unwrap_or("?");
                        return Err(format!("unknown key `{key}`: a menu has place and order"));
                    }
                }
            }
            Ok(Some(menu))
        }
        _ => Err("must be header, footer, or {place: header, order: 1}".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str) -> (Option<PageFront>, Vec<String>) {
        let (front, errors) = parse_page(Path::new("content/pages/a.md"), yaml);
        (front, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_page_needs_a_title_and_may_have_a_place_in_a_menu() {
        let (front, errors) = parsed("title: À propos\nmenu: {place: footer, order: 2}\n");
        assert!(errors.is_empty(), "{errors:?}");
        let front = front.unwrap();
        assert_eq!(front.title, "À propos");
        let footer = Menu {
            place: MenuPlace::Footer,
            order: 2,
        };
        assert_eq!(front.menu, Some(footer));
        assert_eq!(
            parsed("title: A\nmenu: header\n")
                .0
                .unwrap()
                .menu
                .unwrap()
                .order,
            0
        );
        assert_eq!(parsed("title: A\nmenu: false\n").0.unwrap().menu, None);

        let (front, errors) = parsed("description: sans titre\n");
        assert!(front.is_none());
        assert!(errors[0].contains("content/pages/a.md:1:1"), "{errors:?}");
        assert!(errors[0].contains("title"), "{errors:?}");
    }

    #[test]
    fn bad_menus_dates_and_aliases_are_reported_at_their_key() {
        let (_, errors) = parsed("title: A\nmenu: sidebar\naliases: [\"../x\"]\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
        let has =
            |at: &str, words: &str| errors.iter().any(|e| e.contains(at) && e.contains(words));
        assert!(has("a.md:3:7", "`sidebar`"), "{errors:?}");
        assert!(has("a.md:4:", "aliases"), "{errors:?}");
        let (_, errors) = parsed("title: A\nmenu: {place: footer, order: deux}\n");
        assert!(errors[0].contains("whole number"), "{errors:?}");
        let (_, errors) = parsed("title: A\ndate: 2025-01-01\n");
        assert!(errors[0].contains("date"), "pages have no date: {errors:?}");
    }
}
