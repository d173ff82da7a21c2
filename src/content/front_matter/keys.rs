//! Where each top-level key of a front matter is written, and each item of a top-level list
//! (with the fields of an item written as a map), from the marks of a YAML event parser
//! (yaml-rust2), so that problems found in a value point at it.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Location;

/// A line of the file (1-based) and a column in characters (1-based).
type At = (usize, usize);

/// A key and the start of its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Placed {
    key: At,
    value: At,
    /// When the value is a list: where each item starts, with the values of its fields when
    /// it is a map (`- {url: …, title: …}`).
    items: Vec<(At, BTreeMap<String, At>)>,
}

/// Where the top-level keys of one front matter are written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FrontKeys(BTreeMap<String, Placed>);

/// Where the reader is in the YAML's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// In the top-level map, expecting a key (none pending) or a value.
    Top,
    /// In the list value of the pending key.
    List,
    /// In a map, item of that list, expecting one of its keys (none pending) or a value.
    Item,
    /// Deeper, or in a value that is not a list: nothing is placed here.
    Other,
}

impl FrontKeys {
    /// Reads the keys of `yaml`, whose first line is line `first_line` of the file.
    ///
    /// Only events are read (aliases are not expanded); a YAML error ends the reading, and the
    /// keys after it are unknown, so a caller reports them at the file's first line.
    pub(crate) fn read(yaml: &str, first_line: usize) -> FrontKeys {
        let place = |mark: Marker| (first_line + mark.line() - 1, mark.col() + 1);
        // Where an item's text starts: past the quote of a quoted scalar.
        let text_at = |event: &Event, mark: Marker| {
            let (line, column) = place(mark);
            match event {
                Event::Scalar(_, TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted, ..) => {
                    (line, column + 1)
                }
                _ => (line, column),
            }
        };
        let mut parser = Parser::new_from_str(yaml);
        let mut keys: BTreeMap<String, Placed> = BTreeMap::new();
        // Levels opened by maps and lists; the document's root is the first.
        let mut levels: Vec<Level> = Vec::new();
        // The top-level key whose value is being read, and an item's field likewise.
        let mut key: Option<(String, Marker)> = None;
        let mut field: Option<String> = None;
        let mut placed: Option<(String, Placed)> = None;
        let mut finish = |placed: &mut Option<(String, Placed)>| {
            if let Some((name, found)) = placed.take() {
                keys.entry(name).or_insert(found);
            }
        };
        while let Ok((event, mark)) = parser.next_token() {
            let level = levels.last().copied();
            let opens = match event {
                Event::StreamEnd => break,
                Event::MappingStart(..) => Some(true),
                Event::SequenceStart(..) => Some(false),
                _ => None,
            };
            let is_value = opens.is_some() || matches!(event, Event::Scalar(..) | Event::Alias(..));
            match (level, opens) {
                // The document's root: only a map has keys.
                (None, Some(map)) => levels.push(if map { Level::Top } else { Level::Other }),
                (Some(Level::Top), _) if is_value => match key.take() {
                    None => {
                        if let Event::Scalar(text, ..) = &event {
                            key = Some((text.clone(), mark));
                        }
                        if opens.is_some() {
                            levels.push(Level::Other);
                        }
                    }
                    Some((name, key_mark)) => {
                        finish(&mut placed);
                        let found = Placed {
                            key: place(key_mark),
                            value: place(mark),
                            items: Vec::new(),
                        };
                        placed = Some((name, found));
                        match opens {
                            Some(false) => levels.push(Level::List),
                            Some(true) => levels.push(Level::Other),
                            None => finish(&mut placed),
                        }
                    }
                },
                (Some(Level::List), _) if is_value => {
                    if let Some((_, found)) = &mut placed {
                        found.items.push((text_at(&event, mark), BTreeMap::new()));
                    }
                    match opens {
                        Some(true) => levels.push(Level::Item),
                        Some(false) => levels.push(Level::Other),
                        None => {}
                    }
                }
                (Some(Level::Item), _) if is_value => {
                    match (field.take(), &event) {
                        (None, Event::Scalar(text, ..)) => field = Some(text.clone()),
                        (Some(name), _) => {
                            let item = placed.as_mut().and_then(|(_, p)| p.items.last_mut());
                            if let Some((_, fields)) = item {
                                fields.entry(name).or_insert(text_at(&event, mark));
                            }
                        }
                        _ => {}
                    }
                    if opens.is_some() {
                        levels.push(Level::Other);
                    }
                }
                (Some(_), Some(_)) => levels.push(Level::Other),
                _ => {}
            }
            if matches!(event, Event::MappingEnd | Event::SequenceEnd)
                && levels.pop() == Some(Level::List)
            {
                finish(&mut placed);
            }
        }
        finish(&mut placed);
        FrontKeys(keys)
    }

    /// Where item `index` of the list under `key` is written: the value of its field `field`
    /// when the item is a map that has it, else the item's start.
    pub(crate) fn item(&self, key: &str, index: usize, field: &str) -> Option<At> {
        let (at, fields) = self.0.get(key)?.items.get(index)?;
        Some(fields.get(field).copied().unwrap_or(*at))
    }

    /// 1-based line of the file where `key` is written, if it is.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.0.get(key).map(|placed| placed.key.0)
    }

    /// Where the value of `key` starts when it is on the key's line, else the key's line at
    /// its column; the file's first line when the key is not written.
    pub fn location(&self, path: &Path, key: &str) -> Location {
        match self.0.get(key) {
            Some(Placed { key, value, .. }) if value.0 == key.0 => {
                Location::at(path, value.0, value.1)
            }
            Some(Placed { key, .. }) => Location::at(path, key.0, key.1),
            None => Location::at(path, 1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_placed_at_their_value_or_their_line() {
        let yaml = "title: \"A\"\ntags:\n  - x\nimage: {src: a.png}\nslug :   s\n";
        let keys = FrontKeys::read(yaml, 2);
        let at = |key| keys.location(Path::new("a.md"), key).to_string();
        assert_eq!(at("title"), "a.md:2:8");
        assert_eq!(at("tags"), "a.md:3:1");
        assert_eq!(at("image"), "a.md:5:8");
        assert_eq!(at("slug"), "a.md:6:10");
        assert_eq!(at("date"), "a.md:1:1");
        assert_eq!(keys.key_line("tags"), Some(3));
    }

    #[test]
    fn nested_keys_and_values_are_not_top_level_keys() {
        let yaml = "image:\n  title: x\n  alt: y\nextra: {date: 1}\nlist: [title, date]\n";
        let keys = FrontKeys::read(yaml, 2);
        assert_eq!(keys.key_line("title"), None);
        assert_eq!(keys.key_line("date"), None);
        assert_eq!(keys.key_line("alt"), None);
        assert_eq!(keys.key_line("extra"), Some(5));
        assert_eq!(keys.key_line("list"), Some(6));
    }

    #[test]
    fn items_of_top_level_lists_are_placed_with_their_fields() {
        let yaml = "embeds:\n  - https://a.example/1\n  - {provider: x, id: \"1\"}\n  - url: u\n    title: t\ntags: [a, b]\n";
        let keys = FrontKeys::read(yaml, 2);
        assert_eq!(keys.item("embeds", 0, "url"), Some((3, 5)));
        assert_eq!(keys.item("embeds", 1, "id"), Some((4, 24)));
        assert_eq!(keys.item("embeds", 1, "url"), Some((4, 5)));
        assert_eq!(keys.item("embeds", 2, "url"), Some((5, 10)));
        assert_eq!(keys.item("embeds", 3, "url"), None);
        assert_eq!(keys.item("tags", 1, "x"), Some((7, 11)));
        assert_eq!(keys.key_line("tags"), Some(7));
        assert_eq!(keys.key_line("title"), None);
    }

    #[test]
    fn keys_before_a_yaml_error_are_kept() {
        let keys = FrontKeys::read("title: A\ndate: [\n", 2);
        assert_eq!(keys.key_line("title"), Some(2));
        assert_eq!(FrontKeys::read("- a\n- b: c\n", 2), FrontKeys::default());
    }
}
