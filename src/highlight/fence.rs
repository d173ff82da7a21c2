//! The info string of a fenced code block (`rust,linenos,hl_lines=2 4-6,name=main.rs`), read
//! into the options the renderer applies.

use std::ops::RangeInclusive;

use super::PLAIN;

/// Info string words of rustdoc and mdBook, which mean nothing here and are ignored.
const FOREIGN_OPTIONS: [&str; 7] = [
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "editable",
    "noplayground",
    "hidden",
];

/// What the info string of a fenced block asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Fence {
    /// Language as written, if any.
    pub lang: Option<String>,
    /// Number the lines.
    pub linenos: bool,
    /// Lines to highlight, 1-based.
    pub hl_lines: Vec<RangeInclusive<usize>>,
    /// File name shown as a caption.
    pub name: Option<String>,
}

impl Fence {
    /// Reads `rust,linenos,hl_lines=2 4-6,name=main.rs`, with what it could not understand:
    /// a writer's slip in an info string is a warning, never a failed build.
    pub fn parse(info: &str) -> (Fence, Vec<String>) {
        let mut fence = Fence::default();
        let mut problems = Vec::new();
        let mut parts = info.split(',').map(str::trim);
        fence.lang = parts
            .next()
            .filter(|lang| !lang.is_empty())
            .map(str::to_string);
        for part in parts.filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                None if part == "linenos" => fence.linenos = true,
                None if FOREIGN_OPTIONS.contains(&part) || part.starts_with("edition") => {}
                Some(("hl_lines", lines)) => match parse_lines(lines) {
                    Ok(lines) => fence.hl_lines = lines,
                    Err(problem) => problems.push(problem),
                },
                Some(("name", name)) if !name.trim().is_empty() => {
                    fence.name = Some(name.trim().to_string())
                }
                _ => problems.push(format!(
                    "unknown code block option `{part}`, ignored (expected linenos, hl_lines=2 4-6 or name=FILE)"
                )),
            }
        }
        (fence, problems)
    }

    /// Whether the language asks for no highlighting.
    pub(super) fn is_plain(&self) -> bool {
        self.lang
            .as_deref()
            .is_none_or(|lang| PLAIN.contains(&lang.to_ascii_lowercase().as_str()))
    }

    /// Which lines, 1-based, are marked, for a block of `count` lines.
    pub(super) fn marked(&self, count: usize) -> Vec<bool> {
        let mut marked = vec![false; count + 1];
        for range in &self.hl_lines {
            let end = (*range.end()).min(count);
            for flag in marked.iter_mut().take(end + 1).skip(*range.start()) {
                *flag = true;
            }
        }
        marked
    }
}

fn parse_lines(text: &str) -> Result<Vec<RangeInclusive<usize>>, String> {
    let bad = |part: &str| {
        format!("`{part}` is not a line or a range of lines such as 4-6; hl_lines ignored")
    };
    text.split_whitespace()
        .map(|part| {
            let (start, end) = part.split_once('-').unwrap_or((part, part));
            match (start.parse::<usize>(), end.parse::<usize>()) {
                (Ok(start), Ok(end)) if 1 <= start && start <= end => Ok(start..=end),
                _ => Err(bad(part)),
            }
        })
        .collect()
}
