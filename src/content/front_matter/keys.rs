//! Where each top-level key of a front matter is written, from the marks of a YAML event
//! parser (yaml-rust), so that problems found in a key's value point at it.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust::parser::{Event, Parser};
use yaml_rust::scanner::Marker;

use crate::diagnostics::Location;

/// A key and the start of its value: 1-based lines of the file and columns in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placed {
    key: (usize, usize),
    value: (usize, usize),
}

/// Where the top-level keys of one front matter are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontKeys(BTreeMap<String, Placed>);

impl FrontKeys {
    /// Reads the keys of `yaml`, whose first line is line `first_line` of the file.
    ///
    /// Only events are read (aliases are not expanded); a YAML error ends the reading, and the
    /// keys after it are unknown, so a caller reports them at the file's first line.
    pub(crate) fn read(yaml: &str, first_line: usize) -> FrontKeys {
        let place = |mark: Marker| (first_line + mark.line() - 1, mark.col() + 1);
        let mut parser = Parser::new(yaml.chars());
        let mut keys = BTreeMap::new();
        let mut depth = 0usize;
        let mut root_is_map = false;
        let mut pending: Option<(String, Marker)> = None;
        let mut value_at = |pending: &mut Option<(String, Marker)>, mark: Marker| {
            if let Some((key, key_mark)) = pending.take() {
                let placed = Placed {
                    key: place(key_mark),
                    value: place(mark),
                };
                keys.entry(key).or_insert(placed);
            }
        };
        while let Ok((event, mark)) = parser.next() {
            match event {
                Event::StreamEnd => break,
                Event::MappingStart(_) | Event::SequenceStart(_) => {
                    if depth == 0 {
                        root_is_map = matches!(event, Event::MappingStart(_));
                    } else if depth == 1 && root_is_map {
                        value_at(&mut pending, mark);
                    }
                    depth += 1;
                }
                Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
                Event::Scalar(text, ..) if depth == 1 && root_is_map => {
                    if pending.is_some() {
                        value_at(&mut pending, mark);
                    } else {
                        pending = Some((text, mark));
                    }
                }
                Event::Alias(_) if depth == 1 && root_is_map => value_at(&mut pending, mark),
                _ => {}
            }
        }
        FrontKeys(keys)
    }

    /// 1-based line of the file where `key` is written, if it is.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.0.get(key).map(|placed| placed.key.0)
    }

    /// Where the value of `key` starts when it is on the key's line, else the key's line at
    /// its column; the file's first line when the key is not written.
    pub fn location(&self, path: &Path, key: &str) -> Location {
        match self.0.get(key) {
            Some(Placed { key, value }) if value.0 == key.0 => Location::at(path, value.0, value.1),
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
    fn keys_before_a_yaml_error_are_kept() {
        let keys = FrontKeys::read("title: A\ndate: [\n", 2);
        assert_eq!(keys.key_line("title"), Some(2));
        assert_eq!(FrontKeys::read("- a\n- b: c\n", 2), FrontKeys::default());
    }
}
