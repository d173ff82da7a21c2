//! Article URL patterns (`/:year/:month/:slug/`): parsed once from `site.toml`, expanded per article.

use super::is_plain_site_path;

/// An article URL pattern such as `/:year/:month/:slug/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    parts: Vec<PermalinkPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PermalinkPart {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
}

impl Permalink {
    /// Pattern used when `site.toml` gives none.
    pub const DEFAULT: &'static str = "/:year/:month/:slug/";

    /// Parses a pattern; it must start and end with `/` and contain `:slug`.
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err(format!(
                "`permalink` must start and end with `/`, found `{pattern}`"
            ));
        }
        if !is_plain_site_path(pattern) {
            return Err(format!(
                "`permalink` must be a plain path, without `..`, `\\`, spaces, `?` or `#`, found `{pattern}`"
            ));
        }
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(colon) = rest.find(':') {
            parts.push(PermalinkPart::Literal(rest[..colon].to_string()));
            rest = &rest[colon + 1..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            parts.push(match &rest[..end] {
                "year" => PermalinkPart::Year,
                "month" => PermalinkPart::Month,
                "day" => PermalinkPart::Day,
                "slug" => PermalinkPart::Slug,
                other => {
                    return Err(format!(
                        "unknown `:{other}` in `permalink`: expected :year, :month, :day or :slug"
                    ));
                }
            });
            rest = &rest[end..];
        }
        parts.push(PermalinkPart::Literal(rest.to_string()));
        if !parts.contains(&PermalinkPart::Slug) {
            return Err(format!(
                "`permalink` must contain `:slug`, found `{pattern}`"
            ));
        }
        Ok(Permalink { parts })
    }

    /// The site path of an article with this date and slug.
    pub fn expand(&self, date: &jiff::civil::Date, slug: &str) -> String {
        let mut path = String::new();
        for part in &self.parts {
            match part {
                PermalinkPart::Literal(text) => path.push_str(text),
                PermalinkPart::Year => path.push_str(&format!("{:04}", date.year())),
                PermalinkPart::Month => path.push_str(&format!("{:02}", date.month())),
                PermalinkPart::Day => path.push_str(&format!("{:02}", date.day())),
                PermalinkPart::Slug => path.push_str(slug),
            }
        }
        path
    }
}
