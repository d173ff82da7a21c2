//! Diagnostics: where a problem is (file, line, column) and what it is.
//!
//! Every stage reports bad input through [`Diagnostic`]s so that a build can collect the
//! problems of many files at once; `main` prints them, the library never does.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a source file: path relative to the site root, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// File the problem is in, as the user would type it (relative to the site root).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    /// A location at a line and column of a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// The location of byte `offset` in `text`, whose first line is line `first_line` of the file.
    pub fn at_offset(path: &Path, text: &str, offset: usize, first_line: usize) -> Self {
        let (line, column) = line_col(text, offset);
        Location::at(path, first_line + line - 1, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A size in mebibytes, as messages show it: `16 MiB`, `47.7 MiB`.
pub(crate) fn mebibytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// The error a parser or loader gave, kept whole for [`std::error::Error::source`]; shared so
/// that diagnostics stay cheap to clone between incremental builds.
pub type Cause = std::sync::Arc<dyn std::error::Error + Send + Sync>;

/// An error and its causes, joined by `: ` (`cannot write output at public: Permission denied`).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Some errors (the image decoders') repeat their cause in their own message.
        if !message.ends_with(&text) {
            message.push_str(&format!(": {text}"));
        }
        source = cause.source();
    }
    message
}

/// What went wrong, independent of where.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Problem {
    /// A file or folder could not be read.
    #[error("cannot read")]
    Read(#[source] std::sync::Arc<std::io::Error>),
    /// A source file is not UTF-8 text.
    #[error("expected UTF-8 text, found invalid bytes")]
    NotUtf8,
    /// A source file holds NUL bytes: an image or a document saved under a `.md` name.
    #[error("binary file, not Markdown text: it contains NUL bytes")]
    Binary,
    /// A source file is empty, or only white space.
    #[error("empty file: expected front matter between `---` lines, then the article")]
    Empty,
    /// A source file is bigger than any article should be; it was not read.
    #[error(
        "file too large: {} ({size} bytes), over the limit of {} for one article; it was not read",
        mebibytes(*size),
        mebibytes(*limit)
    )]
    TooLarge {
        /// Size of the file, in bytes.
        size: u64,
        /// Largest size accepted, in bytes.
        limit: u64,
    },
    /// A symbolic link under `content/` points to a folder that contains it.
    #[error("symbolic link loop: it points to `{target}`, a folder that contains it; not followed")]
    SymlinkLoop {
        /// What the link points to, as written in it.
        target: String,
    },
    /// A `slug` written as a path; the URL uses its slug, inside the output folder.
    #[error("`slug: {written}` is not a slug (it has `/`, `\\` or `..`); the URL uses `{slug}`")]
    SlugNotPlain {
        /// The slug as written.
        written: String,
        /// The slug used.
        slug: String,
    },
    /// A value in `site.toml` is refused by validation.
    #[error("{0}")]
    Config(String),
    /// A value in `site.toml` has the wrong type; the cause is toml's error.
    #[error("invalid value for `{key}`")]
    ConfigValue {
        /// Name of the key holding the value.
        key: String,
        /// What toml said.
        #[source]
        cause: Cause,
    },
    /// `site.toml` or a strings file (`i18n/*.toml`) is not valid TOML, or `site.toml` has keys
    /// it should not; the cause is toml's error.
    #[error(transparent)]
    ConfigSyntax(Cause),
    /// A Markdown file does not start with a front matter block.
    #[error("expected front matter between `---` lines at the top of the file")]
    MissingFrontMatter,
    /// The front matter's closing `---` line is missing.
    #[error("front matter is never closed: expected a `---` line after it")]
    UnclosedFrontMatter,
    /// The front matter is not valid YAML or has a value of the wrong type; the cause is the
    /// YAML parser's error.
    #[error("invalid front matter")]
    FrontMatter(#[source] Cause),
    /// An article's comment archive is not valid YAML or not a list of comments; the cause is
    /// the YAML parser's error.
    #[error("invalid comment archive")]
    CommentArchive(#[source] Cause),
    /// One comment of an archive is not acceptable; the others are kept.
    #[error("invalid comment {index}: {reason}")]
    BadComment {
        /// Its place in the archive, from 1.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A required front matter field is absent.
    #[error("missing required front matter field `{0}`")]
    MissingField(&'static str),
    /// A date could not be read.
    #[error(
        "invalid `{field}`: expected a date such as 2025-02-11, 2025-02-11 18:30 \
         or 2025-02-11T18:30:00+01:00, found `{found}`"
    )]
    BadDate {
        /// Front matter key holding the date.
        field: &'static str,
        /// What the file says.
        found: String,
    },
    /// A field value is not acceptable.
    #[error("invalid `{field}`: {reason}")]
    BadField {
        /// Front matter key.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// An embed URL names a provider but cannot be played.
    #[error("invalid embed `{url}`: {reason}")]
    InvalidEmbed {
        /// The URL as written.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A shortcode call is malformed, or its arguments are wrong.
    #[error("{0}")]
    Shortcode(String),
    /// A shortcode call names no built-in embed and no `templates/shortcodes/` template.
    #[error(
        "unknown shortcode `{0}` (built-in: embed and one per provider, such as youtube or \
         mastodon; add your own as templates/shortcodes/{0}.html)"
    )]
    UnknownShortcode(String),
    /// A fenced code block names a language no syntax knows.
    #[error(
        "unknown code language `{0}`: the block is shown as plain text (add a .sublime-syntax file to syntaxes/ to highlight it)"
    )]
    UnknownLanguage(String),
    /// A fenced code block's options are wrong.
    #[error("{0}")]
    CodeBlock(String),
    /// A syntax failed on a code block, which is shown as plain text; the cause is syntect's
    /// error.
    #[error("the `{lang}` syntax failed on this block, shown as plain text")]
    SyntaxFailed {
        /// The block's language, as written.
        lang: String,
        /// What syntect said.
        #[source]
        cause: Cause,
    },
    /// A site's `.sublime-syntax` file does not load; the cause is syntect's (or the file
    /// system's) error.
    #[error("invalid syntax definition")]
    SyntaxDefinition(#[source] Cause),
    /// Two sources would write the same output URL.
    #[error("URL `{url}` is also produced by {other}")]
    DuplicateUrl {
        /// The contested URL.
        url: String,
        /// The other file claiming it.
        other: String,
    },
    /// A template is missing.
    #[error("template `{0}` not found in the theme or in templates/")]
    UnknownTemplate(String),
    /// A template failed to parse or to render.
    #[error("template error: {0}")]
    Template(String),
    /// A Markdown image has no alternative text.
    #[error(
        "image `{0}` has no alternative text: describe it for readers who cannot see it, \
         `![what it shows]({0})`"
    )]
    MissingAlt(String),
    /// A link inside the site leads to no page, file or anchor.
    #[error("broken link `{link}`: {reason}")]
    BrokenLink {
        /// The link as written.
        link: String,
        /// What is missing.
        reason: String,
    },
    /// A problem found by `kiosque check`, in words.
    #[error("{0}")]
    Check(String),
    /// The link cache of `kiosque check` could not be read or written; the check goes on.
    #[error(transparent)]
    LinkCache(Cause),
    /// A problem in a template or a static file, with the pages that show it.
    #[error("{}{pages}", problem.message())]
    OnPages {
        /// The problem, as found on one of the pages.
        problem: Box<Problem>,
        /// The pages, as written after the message (` (on /a/)`).
        pages: String,
    },
    /// An image a page uses could not be processed; the cause names the image file.
    #[error("cannot process the image `{image}`")]
    Image {
        /// The image as written.
        image: String,
        /// What is wrong with it (`images::ImageError`).
        #[source]
        cause: Cause,
    },
    /// An image a page uses is heavier than `[images] budget_kb`.
    #[error("{0}")]
    ImageOverBudget(Box<OverBudget>),
    /// A file of the build cache was ignored; what it held is made again.
    #[error("the build cache was ignored: {0}; the build redoes what it held")]
    CacheIgnored(CacheIgnored),
    /// A source changed while the build was reading it: what it read is no longer one file.
    #[error("the file changed while it was being built; build again")]
    ChangedWhileBuilding,
    /// The build cache could not be written; the next build does without it.
    #[error("cannot write the build cache")]
    CacheNotWritten(#[source] std::sync::Arc<std::io::Error>),
    /// The theme named in `site.toml` does not exist.
    #[error("theme `{0}` not found: expected a folder themes/{0}/ (only `default` is built in)")]
    UnknownTheme(String),
}

/// An image heavier than the budget: what [`Problem::ImageOverBudget`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverBudget {
    /// The image as written.
    pub image: String,
    /// The file it is.
    pub file: String,
    /// Bytes of the heaviest file a reader may download for it.
    pub size: u64,
    /// The budget, in bytes.
    pub budget: u64,
    /// Whether that is a processed variant (the source is not served whole).
    pub processed: bool,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "image `{}` ({}) weighs {} KB, over the budget of {} KB{}",
            self.image,
            self.file,
            self.size.div_ceil(1000),
            self.budget / 1000,
            if self.processed { " even resized" } else { "" }
        )
    }
}

/// Why a file of the build cache was ignored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheIgnored {
    /// Written by another Kiosque binary, whose fingerprints may mean other things.
    #[error("it was written by another version of Kiosque ({0})")]
    Version(String),
    /// Written for a site in another folder.
    #[error("it was written for the site in {0}")]
    Site(String),
    /// Truncated, altered or not a cache file at all.
    #[error("it is damaged ({0})")]
    Damaged(String),
}

/// Whether a problem fails the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; the writer should look.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

impl Problem {
    /// The problem in words with its causes, as a writer reads it.
    pub fn message(&self) -> String {
        error_chain(self)
    }

    /// The parser's or loader's error this problem keeps, as its own type (for
    /// `downcast_ref`): `source()` sees the shared `Arc` around it.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match self {
            Problem::ConfigValue { cause, .. }
            | Problem::ConfigSyntax(cause)
            | Problem::FrontMatter(cause)
            | Problem::CommentArchive(cause)
            | Problem::SyntaxFailed { cause, .. }
            | Problem::SyntaxDefinition(cause)
            | Problem::LinkCache(cause)
            | Problem::Image { cause, .. } => Some(&**cause),
            Problem::Read(error) | Problem::CacheNotWritten(error) => Some(&**error),
            _ => None,
        }
    }
}

/// One problem at one place, shown with the problem's causes (so it is not their source).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {severity}: {}", problem.message())]
pub struct Diagnostic {
    /// Where it is.
    pub location: Location,
    /// Whether it fails the build.
    pub severity: Severity,
    /// What it is.
    pub problem: Problem,
}

impl Diagnostic {
    /// An error at a location.
    pub fn new(location: Location, problem: Problem) -> Self {
        Diagnostic {
            location,
            severity: Severity::Error,
            problem,
        }
    }

    /// A warning at a location.
    pub fn warning(location: Location, problem: Problem) -> Self {
        Diagnostic {
            location,
            severity: Severity::Warning,
            problem,
        }
    }

    /// The line it is about, as a compiler shows it (gutter, line, caret under the column),
    /// read from its file under `root`; `None` without a line or a readable file.
    pub fn excerpt(&self, root: &Path) -> Option<String> {
        let location = &self.location;
        let line_number = location.line?;
        let text = std::fs::read_to_string(root.join(&location.path)).ok()?;
        let line = text.lines().nth(line_number.saturating_sub(1))?;
        // A hostile line (20,000 `[`) is shown around the column, not whole.
        const SHOWN: usize = 160;
        let column = location.column.unwrap_or(1).max(1);
        let length = line.chars().count();
        let start = if length > SHOWN {
            (column - 1).saturating_sub(SHOWN / 2).min(length - SHOWN)
        } else {
            0
        };
        let before = if start > 0 { "…" } else { "" };
        let after = if start + SHOWN < length { "…" } else { "" };
        let shown: String = line.chars().skip(start).take(SHOWN).collect();
        let gutter = line_number.to_string().len();
        let mut out = format!("{:gutter$} |\n{line_number} | {before}{shown}{after}\n", "");
        if location.column.is_some() {
            let pad: String = before
                .chars()
                .chain(shown.chars())
                .take(column - start - 1 + before.chars().count())
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{:gutter$} | {pad}^\n", ""));
        }
        Some(out)
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; every one found is listed, with the warnings found on the way.
    #[error("{} error{} found", errors(.0), if errors(.0) == 1 { "" } else { "s" })]
    Input(Vec<Diagnostic>),
    /// The output could not be written.
    #[error("cannot write output at {}", path.display())]
    Output {
        /// Path being written.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// How many of these diagnostics are errors.
fn errors(diagnostics: &[Diagnostic]) -> usize {
    let all = diagnostics.iter();
    all.filter(|d| d.severity == Severity::Error).count()
}

impl From<Vec<Diagnostic>> for Error {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Error::Input(diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\nété: x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        let colon = text.find(':').unwrap();
        assert_eq!(line_col(text, colon), (2, 4));
    }

    #[test]
    fn a_cause_is_kept_and_printed_once() {
        let io = std::io::Error::other("disk on fire");
        let problem = Problem::Read(std::sync::Arc::new(io));
        assert_eq!(problem.to_string(), "cannot read");
        assert!(std::error::Error::source(&problem).is_some());
        let cause = problem
            .cause()
            .and_then(|c| c.downcast_ref::<std::io::Error>());
        assert_eq!(
            cause.map(ToString::to_string).as_deref(),
            Some("disk on fire")
        );
        let diagnostic = Diagnostic::new(Location::at("a.md", 1, 2), problem);
        assert_eq!(
            diagnostic.clone().to_string(),
            "a.md:1:2: error: cannot read: disk on fire"
        );
    }

    #[test]
    fn sizes_are_shown_in_mebibytes() {
        assert_eq!(mebibytes(16 * 1024 * 1024), "16 MiB");
        assert_eq!(mebibytes(50_000_000), "47.7 MiB");
    }

    #[test]
    fn location_display_is_compiler_like() {
        assert_eq!(
            Location::at("content/a.md", 3, 7).to_string(),
            "content/a.md:3:7"
        );
        assert_eq!(Location::file("site.toml").to_string(), "site.toml");
    }
}
