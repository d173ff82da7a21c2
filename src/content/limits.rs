//! Limits on what a front matter's YAML may make the program build: its values are counted,
//! aliases expanded, before anything is kept; serde_yaml's own limits get messages a writer
//! understands.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};

/// Most values a front matter may hold, aliases expanded: far more than any article needs,
/// few enough that a YAML alias bomb is stopped long before it fills the memory.
pub(super) const MAX_VALUES: usize = 100_000;

/// Most lists and maps inside each other, as serde_yaml allows.
const MAX_DEPTH: usize = 128;

/// What is said of YAML nested deeper than [`MAX_DEPTH`].
const TOO_DEEP: &str =
    "YAML nested too deeply: more than 128 levels of lists and maps inside each other";

/// The count's own error, told apart from serde_yaml's by this text.
const TOO_MANY: &str = "kiosque: too many values";

/// Walks a YAML document without keeping anything, counting down `left` for each value met
/// (a value an alias repeats is met each time), and fails when none is left.
pub(super) struct Count<'a> {
    /// Values that may still be met.
    pub(super) left: &'a Cell<usize>,
}

impl Count<'_> {
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(TOO_MANY)),
        }
    }

    fn again(&self) -> Self {
        Count { left: self.left }
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.take()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.take()
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.take()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.take()
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.take()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.take()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.take()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.take()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.take()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.take()?;
        while seq.next_element_seed(self.again())?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.take()?;
        while map.next_key_seed(self.again())?.is_some() {
            map.next_value_seed(self.again())?;
        }
        Ok(())
    }

    /// A tagged value (`!tag value`).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        self.take()?;
        let ((), variant) = data.variant_seed(self.again())?;
        variant.newtype_variant_seed(self.again())
    }
}

/// Whether a YAML error is one of the limits: too many values, too many repetitions, too deep.
pub(super) fn is_limit(error: &serde_yaml::Error) -> bool {
    let message = error.to_string();
    [
        TOO_MANY,
        "repetition limit exceeded",
        "recursion limit exceeded",
    ]
    .iter()
    .any(|limit| message.contains(limit))
}

/// A YAML error in a writer's words, with the byte offset in `yaml` to point at, when it is
/// one of the limits or a list or map left open; `None` for the others.
pub(super) fn explain(error: &serde_yaml::Error, yaml: &str) -> Option<(String, Option<usize>)> {
    let message = error.to_string();
    let alias = first_alias(yaml);
    let expands = || {
        format!(
            "YAML aliases expand too much: repeating what anchors (`&name`) hold with \
             `*name`, the front matter would hold more than {} values",
            thousands(MAX_VALUES)
        )
    };
    if message.contains(TOO_MANY) {
        Some(match alias {
            Some(at) => (expands(), Some(at)),
            None => (
                format!(
                    "the front matter holds more than {} values; keep data this big out of it",
                    thousands(MAX_VALUES)
                ),
                None,
            ),
        })
    } else if message.contains("repetition limit exceeded") {
        Some((expands(), alias))
    } else if message.contains("recursion limit exceeded") {
        Some((TOO_DEEP.to_string(), None))
    } else {
        open_collection(&message, yaml)
    }
}

/// Where a YAML text opens a list (`[`) or a map (`{`) deeper than [`MAX_DEPTH`] levels, with
/// the message to show, found by a scan of the text alone: the YAML parser takes time growing
/// with the square of the depth of such nesting, a minute for a few kilobytes of `[`.
///
/// Brackets count where a value starts (after `:`, `,`, `-`, `?`, another bracket or at the
/// start of a line), outside quotes and comments; a deeper nesting is still caught by the
/// parser's own limit.
pub(super) fn too_deep(yaml: &str) -> Option<(String, usize)> {
    // The last character that is not a blank: `\n` at the start of a line, `a` in a word.
    let mut previous = '\n';
    let starts_value =
        |previous: char| matches!(previous, '\n' | ':' | ',' | '[' | '{' | '-' | '?');
    let mut blank = false;
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    let mut comment = false;
    for (i, c) in yaml.char_indices() {
        // What `c` is to the next character; `None` for a blank, which changes nothing.
        let seen = if comment {
            comment = c != '\n';
            (c == '\n').then_some('\n')
        } else if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if open == '"' && c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            Some('a')
        } else {
            match c {
                ' ' | '\t' | '\r' => None,
                '#' if blank || previous == '\n' => {
                    comment = true;
                    None
                }
                '"' | '\'' if starts_value(previous) => {
                    quote = Some(c);
                    Some('a')
                }
                '[' | '{' if starts_value(previous) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some((TOO_DEEP.to_string(), i));
                    }
                    Some('[')
                }
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    Some(']')
                }
                '\n' | ':' | ',' | '-' | '?' => Some(c),
                // A word, or a bracket or a quote inside one.
                _ => Some('a'),
            }
        };
        previous = seen.unwrap_or(previous);
        blank = matches!(c, ' ' | '\t');
    }
    None
}

/// An error met inside a flow list (`[a, b]`) or map (`{a: 1}`), placed where it opens: left
/// open, it is reported only where the front matter ends.
fn open_collection(message: &str, yaml: &str) -> Option<(String, Option<usize>)> {
    let (problem, context) = message.split_once(", while parsing a flow ")?;
    let (what, bracket) = if context.starts_with("sequence") {
        ("list", '[')
    } else if context.starts_with("mapping") {
        ("map", '{')
    } else {
        return None;
    };
    let (_, position) = context.split_once(" at line ")?;
    let (line, column) = position.split_once(" column ")?;
    let line: usize = line.parse().ok()?;
    let column: usize = column.trim().parse().ok()?;
    let line_start: usize = yaml
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let offset = yaml[line_start..]
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| line_start + i)?;
    let problem = problem.split(" at line ").next().unwrap_or(problem);
    Some((
        format!("{problem} in the {what} that opens here with `{bracket}`: is it closed?"),
        Some(offset),
    ))
}

/// Byte offset of the first alias (`*name`) in a YAML text, roughly: a `*` starting a word
/// after a space, `[`, `{`, `,` or `:`.
fn first_alias(yaml: &str) -> Option<usize> {
    yaml.match_indices('*').map(|(i, _)| i).find(|&i| {
        let before = yaml[..i].chars().next_back();
        let after = yaml[i + 1..].chars().next();
        before.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | '{' | ',' | ':'))
            && after.is_some_and(|c| !c.is_whitespace())
    })
}

/// `100000` → `100,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(yaml: &str, max: usize) -> Result<usize, String> {
        let left = Cell::new(max);
        Count { left: &left }
            .deserialize(serde_yaml::Deserializer::from_str(yaml))
            .map(|()| max - left.get())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn counts_values_with_aliases_expanded() {
        assert_eq!(count("a: 1\nb: [x, y]\n", 100), Ok(7));
        // `*a` stands for the list and its two items each time.
        assert_eq!(count("a: &a [x, y]\nb: [*a, *a]\n", 100), Ok(13));
        assert_eq!(count("t: !tag value\n", 100), Ok(5));
    }

    #[test]
    fn stops_at_the_limit() {
        let error = count("a: &a [x, x, x, x]\nb: [*a, *a, *a, *a]\n", 10).unwrap_err();
        assert!(error.contains(TOO_MANY), "{error}");
    }

    fn error(yaml: &str, max: usize) -> serde_yaml::Error {
        let left = Cell::new(max);
        Count { left: &left }
            .deserialize(serde_yaml::Deserializer::from_str(yaml))
            .unwrap_err()
    }

    #[test]
    fn explains_limits_in_a_writers_words() {
        let yaml = "a: &a [x]\nb: [*a, *a]\n";
        let too_many = error(yaml, 3);
        assert!(is_limit(&too_many));
        let (message, at) = explain(&too_many, yaml).unwrap();
        assert!(
            message.starts_with("YAML aliases expand too much"),
            "{message}"
        );
        assert!(message.contains("100,000"), "{message}");
        assert_eq!(at, yaml.find("*a"));
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        let too_deep = error(&deep, 1000);
        assert!(is_limit(&too_deep));
        let (message, _) = explain(&too_deep, &deep).unwrap();
        assert!(message.starts_with("YAML nested too deeply"), "{message}");
    }

    #[test]
    fn finds_nesting_too_deep_from_the_text() {
        let deep = |open: &str, close: &str, n: usize| {
            format!("title: A\nx: {}1{}\n", open.repeat(n), close.repeat(n))
        };
        assert_eq!(too_deep(&deep("[", "]", 128)), None);
        let yaml = deep("[", "]", 129);
        let (message, at) = too_deep(&yaml).unwrap();
        assert_eq!(message, TOO_DEEP);
        assert_eq!(at, yaml.find('[').unwrap() + 128);
        assert!(too_deep(&deep("{a: ", "}", 10_000)).is_some());
        assert!(too_deep(&deep("- [", "]", 200)).is_some());
        // Brackets in text, quotes and comments are not nesting.
        let text = format!("title: a{}\n", "[".repeat(300));
        assert_eq!(too_deep(&text), None);
        let quoted = format!("title: \"{}\"\nb: '{}'\n", "[".repeat(300), "{".repeat(300));
        assert_eq!(too_deep(&quoted), None);
        let comment = format!("a: 1 # {}\n# {}\n", "[".repeat(300), "[".repeat(300));
        assert_eq!(too_deep(&comment), None);
        let escaped = format!("a: \"\\\" [\"\nb: {}\n", "[".repeat(300));
        assert!(
            too_deep(&escaped).is_some(),
            "the quote ends after its escaped quote"
        );
    }

    #[test]
    fn points_at_a_list_or_map_left_open() {
        let yaml = "title: A\ntags: [un, deux\nx: 1\n";
        let open = error(yaml, 1000);
        assert!(!is_limit(&open));
        let (message, at) = explain(&open, yaml).unwrap();
        assert_eq!(
            message,
            "did not find expected ',' or ']' in the list that opens here with `[`: is it closed?"
        );
        assert_eq!(at, yaml.find('['));
        let yaml = "a: {b: 1\n";
        let (message, at) = explain(&error(yaml, 1000), yaml).unwrap();
        assert!(
            message.contains("in the map that opens here with `{`"),
            "{message}"
        );
        assert_eq!(at, yaml.find('{'));
        let yaml = "a: b: c\n";
        assert!(explain(&error(yaml, 1000), yaml).is_none());
    }
}
