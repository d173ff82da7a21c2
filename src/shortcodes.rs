//! Shortcode calls in Markdown bodies: `{{ name(arg="text", n=90, on=true, list=[1, 2]) }}`,
//! Zola's call syntax. `{{/* name() */}}` writes the call itself as text.
//!
//! This module only parses, at a given byte of the body ([`parse_at`]), so that every call
//! keeps the span where it is written; [`crate::markdown`] finds the `{{` that count while
//! it walks the body's events (not in code, comments or URLs) and asks its
//! [`crate::markdown::Snippets`] to render the calls.

use std::fmt;
use std::ops::Range;

/// A value passed to a shortcode.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `"text"`, `'text'` or `` `text` ``.
    Text(String),
    /// `90`, `-3`.
    Integer(i64),
    /// `1.5`.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `[1, "two"]`.
    List(Vec<Arg>),
}

impl Arg {
    /// What kind of value this is, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Arg::Text(_) => "text",
            Arg::Integer(_) => "an integer",
            Arg::Float(_) => "a number",
            Arg::Bool(_) => "a boolean",
            Arg::List(_) => "a list",
        }
    }

    /// The value as JSON, for templates.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Arg::Text(s) => serde_json::Value::from(s.as_str()),
            Arg::Integer(n) => serde_json::Value::from(*n),
            Arg::Float(x) => serde_json::Value::from(*x),
            Arg::Bool(b) => serde_json::Value::from(*b),
            Arg::List(items) => serde_json::Value::from(
                items
                    .iter()
                    .map(Arg::to_json)
                    .collect::<Vec<serde_json::Value>>(),
            ),
        }
    }
}

/// One shortcode call found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Shortcode name.
    pub name: String,
    /// Arguments in the order written; names are unique.
    pub args: Vec<(String, Arg)>,
    /// Bytes of the body the call covers, `{{` to `}}`.
    pub span: Range<usize>,
    /// Offset of the name, where messages about the call point.
    pub name_at: usize,
}

impl Call {
    /// The argument with this name.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// Something found at a `{{` in a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A call to render.
    Call(Call),
    /// `{{/* … */}}`: the text `{{ … }}` to show as is.
    Literal {
        /// Bytes of the body covered.
        span: Range<usize>,
        /// Text to show.
        text: String,
    },
}

impl Found {
    /// Bytes of the body covered.
    pub fn span(&self) -> &Range<usize> {
        match self {
            Found::Call(call) => &call.span,
            Found::Literal { span, .. } => span,
        }
    }
}

/// A malformed call: what is wrong and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Offset in the body.
    pub at: usize,
    /// What was expected.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads the call starting at `start` (which holds `{{`).
///
/// `None` if the text there is no call (`{{ x }}`, `{{` in prose); a call that starts like
/// one (`{{ name(`) but is malformed is an error at the offending byte.
pub fn parse_at(body: &str, start: usize) -> Option<Result<Found, SyntaxError>> {
    let mut p = Cursor {
        text: body,
        at: start + 2,
    };
    if body[p.at..].starts_with("/*") {
        return literal(body, start);
    }
    p.skip_space();
    let name_at = p.at;
    let name = p.identifier()?;
    p.skip_space();
    if !p.eat('(') {
        return None;
    }
    Some(call_rest(&mut p, start, name_at, name.to_string()).map(Found::Call))
}

fn literal(body: &str, start: usize) -> Option<Result<Found, SyntaxError>> {
    let inner_start = start + 4;
    let Some(close) = body[inner_start..].find("*/}}") else {
        return Some(Err(SyntaxError {
            at: start,
            message: "malformed shortcode call: `{{/*` needs a closing `*/}}`".to_string(),
        }));
    };
    let inner = body[inner_start..inner_start + close].trim();
    Some(Ok(Found::Literal {
        span: start..inner_start + close + 4,
        text: format!("{{{{ {inner} }}}}"),
    }))
}

fn call_rest(
    p: &mut Cursor<'_>,
    start: usize,
    name_at: usize,
    name: String,
) -> Result<Call, SyntaxError> {
    let mut args: Vec<(String, Arg)> = Vec::new();
    // Names seen so far; comparing each with all the earlier ones made a call of 40,000
    // arguments take seconds.
    let mut names = std::collections::HashSet::new();
    loop {
        p.skip_space();
        if p.eat(')') {
            break;
        }
        let arg_at = p.at;
        let Some(arg_name) = p.identifier() else {
            return Err(p.error("expected an argument name or `)`"));
        };
        if !names.insert(arg_name) {
            return Err(SyntaxError {
                at: arg_at,
                message: format!("malformed shortcode call: argument `{arg_name}` is given twice"),
            });
        }
        p.skip_space();
        if !p.eat('=') {
            return Err(p.error(&format!("expected `=` after `{arg_name}`")));
        }
        p.skip_space();
        let value = p.value(0)?;
        args.push((arg_name.to_string(), value));
        p.skip_space();
        if p.eat(',') {
            continue;
        }
        if p.eat(')') {
            break;
        }
        return Err(p.error("expected `,` or `)` after an argument"));
    }
    p.skip_space();
    if !p.text[p.at..].starts_with("}}") {
        return Err(p.error("expected `}}` to close the shortcode"));
    }
    Ok(Call {
        name,
        args,
        span: start..p.at + 2,
        name_at,
    })
}

/// Deepest list in a list accepted as an argument.
const MAX_LIST_DEPTH: usize = 16;

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.at += c.len_utf8();
        }
    }

    fn identifier(&mut self) -> Option<&'a str> {
        let rest = &self.text[self.at..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        self.at += end;
        Some(name)
    }

    fn error(&self, expected: &str) -> SyntaxError {
        let found = match self.peek() {
            Some(c) => format!("`{}`", c.escape_debug()),
            None => "the end of the text".to_string(),
        };
        SyntaxError {
            at: self.at,
            message: format!("malformed shortcode call: {expected}, found {found}"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Arg, SyntaxError> {
        match self.peek() {
            Some(quote @ ('"' | '\'' | '`')) => self.string(quote).map(Arg::Text),
            // Lists nest by recursion: a bound keeps hostile input from exhausting the stack.
            Some('[') if depth >= MAX_LIST_DEPTH => {
                Err(self.error(&format!("lists nest at most {MAX_LIST_DEPTH} deep")))
            }
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.eat(']') {
                        return Ok(Arg::List(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    if !self.eat(',') && self.peek() != Some(']') {
                        return Err(self.error("expected `,` or `]` in a list"));
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' => self.number(),
            _ => match self.identifier() {
                Some("true") => Ok(Arg::Bool(true)),
                Some("false") => Ok(Arg::Bool(false)),
                _ => {
                    Err(self.error("expected a value: \"text\", a number, true, false or a [list]"))
                }
            },
        }
    }

    fn string(&mut self, quote: char) -> Result<String, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let mut text = String::new();
        while let Some(c) = self.peek() {
            self.at += c.len_utf8();
            if c == quote {
                return Ok(text);
            }
            if c == '\\' && quote != '`' {
                match self.peek() {
                    Some(escaped @ ('\\' | '"' | '\'')) => {
                        text.push(escaped);
                        self.at += 1;
                    }
                    Some('n') => {
                        text.push('\n');
                        self.at += 1;
                    }
                    _ => text.push('\\'),
                }
                continue;
            }
            text.push(c);
        }
        Err(SyntaxError {
            at: open,
            message: format!(
                "malformed shortcode call: this string never ends (no closing {quote})"
            ),
        })
    }

    fn number(&mut self) -> Result<Arg, SyntaxError> {
        let start = self.at;
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let text = &rest[..len];
        self.at += len;
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Arg::Integer(n));
        }
        text.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Arg::Float)
            .ok_or(SyntaxError {
                at: start,
                message: format!("malformed shortcode call: `{text}` is not a number"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(text: &str) -> Call {
        match parse_at(text, 0).expect("a call").expect("valid") {
            Found::Call(call) => call,
            other => panic!("{other:?}"),
        }
    }

    fn error(text: &str) -> SyntaxError {
        parse_at(text, 0).expect("a call").expect_err("malformed")
    }

    #[test]
    fn reads_every_kind_of_value() {
        let c = call(
            "{{ youtube(id=\"dQw4w9WgXcQ\", start=90, ratio=1.5, on=true, off = false, t='l\\'IA', raw=`a\\b`, list=[1, \"b\",]) }} tail",
        );
        assert_eq!(c.name, "youtube");
        assert_eq!(c.name_at, 3);
        assert_eq!(c.arg("id"), Some(&Arg::Text("dQw4w9WgXcQ".into())));
        assert_eq!(c.arg("start"), Some(&Arg::Integer(90)));
        assert_eq!(c.arg("ratio"), Some(&Arg::Float(1.5)));
        assert_eq!(c.arg("on"), Some(&Arg::Bool(true)));
        assert_eq!(c.arg("off"), Some(&Arg::Bool(false)));
        assert_eq!(c.arg("t"), Some(&Arg::Text("l'IA".into())));
        assert_eq!(c.arg("raw"), Some(&Arg::Text("a\\b".into())));
        assert_eq!(
            c.arg("list"),
            Some(&Arg::List(vec![Arg::Integer(1), Arg::Text("b".into())]))
        );
        assert!(c.span.end == "{{ youtube(id=\"dQw4w9WgXcQ\", start=90, ratio=1.5, on=true, off = false, t='l\\'IA', raw=`a\\b`, list=[1, \"b\",]) }}".len());
    }

    #[test]
    fn calls_may_span_lines_and_take_no_arguments() {
        let c = call("{{ gist(\n  url=\"https://gist.github.com/a/b\",\n) }}");
        assert_eq!(c.args.len(), 1);
        assert_eq!(call("{{toc()}}").args, []);
    }

    #[test]
    fn text_that_is_no_call_is_left_alone() {
        assert!(parse_at("{{ name }}", 0).is_none());
        assert!(parse_at("{{ 1 + 1 }}", 0).is_none());
        assert!(parse_at("{{", 0).is_none());
        assert!(parse_at("{{ é() }}", 0).is_none());
    }

    #[test]
    fn malformed_calls_point_at_the_problem() {
        let e = error("{{ youtube(id=\"abc) }}");
        assert_eq!(e.at, 14);
        assert!(e.message.contains("never ends"), "{e}");
        let e = error("{{ youtube(id \"abc\") }}");
        assert_eq!(e.at, 14);
        assert!(e.message.contains("expected `=` after `id`"), "{e}");
        let e = error("{{ youtube(id=\"abc\" start=1) }}");
        assert!(e.message.contains("expected `,` or `)`"), "{e}");
        let e = error("{{ youtube(id=\"abc\") }");
        assert!(e.message.contains("expected `}}`"), "{e}");
        let e = error("{{ youtube(id=abc) }}");
        assert!(e.message.contains("expected a value"), "{e}");
        let e = error("{{ youtube(id=\"a\", id=\"b\") }}");
        assert_eq!(e.at, 19);
        assert!(e.message.contains("given twice"), "{e}");
        let deep = format!("{{{{ x(a={}) }}}}", "[".repeat(100_000));
        assert!(error(&deep).message.contains("at most 16 deep"));
        let e = error("{{ youtube(n=1.2.3) }}");
        assert!(e.message.contains("not a number"), "{e}");
    }

    #[test]
    fn literal_form_shows_the_call() {
        let found = parse_at("{{/* youtube(id=\"x\") */}} after", 0)
            .unwrap()
            .unwrap();
        assert_eq!(
            found,
            Found::Literal {
                span: 0..25,
                text: "{{ youtube(id=\"x\") }}".to_string()
            }
        );
        assert!(parse_at("{{/* never closed", 0).unwrap().is_err());
    }

    #[test]
    fn arguments_become_json() {
        let c = call("{{ x(a=[1, true, \"s\"], b=2.5) }}");
        assert_eq!(
            c.arg("a").unwrap().to_json(),
            serde_json::json!([1, true, "s"])
        );
        assert_eq!(c.arg("b").unwrap().to_json(), serde_json::json!(2.5));
    }
}
