//! Comment archives: the reader comments of an article, kept beside it as
//! `<article>.comments.yaml` (what `kiosque import wordpress` writes, and what a writer could
//! write by hand). Read with the article, so that they are part of its version; the text is
//! sanitised when the page is rendered, never trusted as written.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location, Problem};

/// Suffix of an article's comment archive, replacing its `.md`.
pub const COMMENTS_SUFFIX: &str = ".comments.yaml";

/// One archived comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comment {
    /// Its id, unique in the archive; replies name it as `parent`.
    pub id: u64,
    /// The commenter's name as shown.
    pub author: String,
    /// The commenter's site, if given (an http(s) URL).
    pub url: Option<String>,
    /// When it was written.
    pub date: Timestamp,
    /// The comment it answers; none for a comment on the article itself.
    pub parent: Option<u64>,
    /// The text, as HTML (sanitised again when rendered).
    pub text: String,
}

/// A comment as written in the archive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComment {
    id: u64,
    author: String,
    url: Option<String>,
    date: String,
    parent: Option<u64>,
    text: String,
}

/// The archive beside an article source (`content/2025/a.md` → `content/2025/a.comments.yaml`).
pub fn archive_of(article: &Path) -> PathBuf {
    article
        .with_extension("")
        .with_extension(&COMMENTS_SUFFIX[1..])
}

/// The article an archive belongs to, if `path` is one.
pub fn article_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(COMMENTS_SUFFIX)?;
    Some(path.with_file_name(format!("{stem}.md")))
}

/// Parses an archive's text (`path` relative to the root, for messages), every problem found.
pub(super) fn parse(path: &Path, text: &str) -> (Vec<Comment>, Vec<Diagnostic>) {
    let raw: Vec<RawComment> = match serde_yaml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let location = match error.location() {
                Some(at) => Location::at(path, at.line(), at.column()),
                None => Location::file(path),
            };
            let problem = Problem::CommentArchive(std::sync::Arc::new(error));
            return (Vec::new(), vec![Diagnostic::new(location, problem)]);
        }
    };
    let mut comments = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    let bad = |index: usize, reason: String| {
        Diagnostic::new(
            Location::file(path),
            Problem::BadComment {
                index: index + 1,
                reason,
            },
        )
    };
    for (index, comment) in raw.into_iter().enumerate() {
        let Ok(date) = parse_date(&comment.date) else {
            let reason = format!(
                "`{}` is not a date such as 2025-02-11T10:00:00Z",
                comment.date
            );
            errors.push(bad(index, reason));
            continue;
        };
        let url = comment.url.filter(|url| !url.trim().is_empty());
        if let Some(url) = &url
            && !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
        {
            errors.push(bad(index, format!("`{url}` is not an http(s) URL")));
            continue;
        }
        comments.push(Comment {
            id: comment.id,
            author: comment.author.trim().to_string(),
            url,
            date,
            parent: comment.parent.filter(|parent| *parent != 0),
            text: comment.text,
        });
    }
    (comments, errors)
}

/// RFC 3339, or WordPress's `YYYY-MM-DD HH:MM:SS` taken as UTC.
fn parse_date(text: &str) -> Result<Timestamp, jiff::Error> {
    let text = text.trim();
    text.parse::<Timestamp>().or_else(|_| {
        let civil: jiff::civil::DateTime = text.replace(' ', "T").parse()?;
        civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_sit_beside_their_article() {
        let archive = archive_of(Path::new("content/2025/a.md"));
        assert_eq!(archive, Path::new("content/2025/a.comments.yaml"));
        assert_eq!(
            article_of(&archive).unwrap(),
            Path::new("content/2025/a.md")
        );
        assert_eq!(article_of(Path::new("content/2025/a.md")), None);
    }

    #[test]
    fn comments_are_read_and_bad_ones_reported() {
        let text = "- id: 1\n  author: Marie\n  date: 2025-02-11T10:00:00Z\n  text: <p>Bravo</p>\n\
                    - id: 2\n  author: Léo\n  url: https://leo.example/\n  date: 2025-02-11 11:00:00\n  parent: 1\n  text: Merci\n\
                    - id: 3\n  author: X\n  url: javascript:alert(1)\n  date: 2025-02-11T12:00:00Z\n  text: no\n\
                    - id: 4\n  author: Y\n  date: hier\n  text: no\n";
        let (comments, errors) = parse(Path::new("a.comments.yaml"), text);
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[1].parent, Some(1));
        assert_eq!(comments[1].date.to_string(), "2025-02-11T11:00:00Z");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].to_string().contains("comment 3"), "{errors:?}");
        assert!(errors[1].to_string().contains("`hier`"), "{errors:?}");
        let (_, errors) = parse(Path::new("a.comments.yaml"), "- id: 1\n  email: a@b\n");
        assert!(
            errors[0].to_string().starts_with("a.comments.yaml:"),
            "{errors:?}"
        );
    }
}
