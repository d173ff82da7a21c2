//! Safe mode (`[markdown] safe = true`): the writer's raw HTML goes through ammonia, a
//! maintained allow-list sanitizer, and link addresses that could run script are dropped, for
//! sites that publish outside contributors.

/// The writer's HTML with everything that could run script or restyle the page removed:
/// `<script>`, `<iframe>`, `style`, event handlers, `javascript:` addresses.
pub fn clean(html: &str) -> String {
    ammonia::clean(html)
}

/// Whether a Markdown link or image address is harmless: relative, or with a scheme that
/// only navigates (`http`, `https`, `mailto`, `tel`).
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore tabs, line breaks and leading control characters or spaces in a scheme.
    let compact: String = url
        .trim_start_matches(|c: char| c.is_ascii_control() || c == ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = compact.split_once(':') else {
        return true;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after `/`, `?` or `#` is part of a relative path or query.
    !is_scheme
        || ["http", "https", "mailto", "tel"]
            .iter()
            .any(|safe| scheme.eq_ignore_ascii_case(safe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_navigating_schemes_are_safe() {
        for url in [
            "/a/",
            "b.html",
            "https://example.org/",
            "mailto:a@b.fr",
            "?q=a:b",
            "#x",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(url), "{url}");
        }
    }

    #[test]
    fn clean_keeps_markup_and_drops_script() {
        let html = "<p onclick=\"x()\">Hi <b>there</b><script>alert(1)</script>\
                    <img src=\"/a.png\" onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">l</a></p>";
        let cleaned = clean(html);
        assert!(cleaned.contains("<b>there</b>"), "{cleaned}");
        assert!(cleaned.contains("src=\"/a.png\""), "{cleaned}");
        for bad in ["onclick", "<script", "onerror", "javascript:"] {
            assert!(!cleaned.contains(bad), "{bad} in {cleaned}");
        }
    }
}
