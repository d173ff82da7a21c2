//! Safe mode (`[markdown] safe = true`), for sites that publish outside contributors: a
//! rendered body goes through ammonia, a maintained allow-list sanitizer, so nothing the writer
//! typed (raw HTML or a `javascript:` link) can run script or restyle the page. What the site
//! itself adds (embeds, shortcodes, highlighted code) is set aside as [`Trusted`] placeholders
//! first and put back after.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Opens a placeholder; the snippet's index and [`CLOSE`] follow. Private-use characters,
/// which ammonia keeps as text.
const OPEN: char = '\u{e000}';
const CLOSE: char = '\u{e001}';

/// ammonia's defaults, plus what Markdown itself writes: heading and footnote ids and
/// classes, task list checkboxes, and table cell alignment.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class", "style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"]);
    builder
});

/// What a reader's comment may hold: the formatting WordPress allows in comments, links
/// marked as written by readers (`ugc`) and not endorsed.
static COMMENT: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags([
            "a",
            "abbr",
            "b",
            "blockquote",
            "br",
            "cite",
            "code",
            "del",
            "em",
            "i",
            "li",
            "ol",
            "p",
            "pre",
            "q",
            "s",
            "strong",
            "ul",
        ])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("abbr", ["title"])
        .add_tag_attributes("blockquote", ["cite"])
        .add_tag_attributes("q", ["cite"])
        .add_url_schemes(["http", "https", "mailto"])
        .link_rel(Some("nofollow ugc noopener noreferrer"));
    builder
});

/// A reader's comment as safe HTML: paragraphs from blank lines when it has none (WordPress
/// keeps comments as typed), then only the formatting comments may use.
pub(crate) fn comment(text: &str) -> String {
    let text = text.trim();
    let html = if text.contains("<p") {
        text.to_string()
    } else {
        let paragraphs = text
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>\n")))
            .collect::<Vec<_>>();
        paragraphs.join("\n")
    };
    COMMENT.clean(&html).to_string()
}

/// The site's own HTML in a body, kept out of the sanitizer.
#[derive(Debug, Default)]
pub(crate) struct Trusted {
    snippets: Vec<String>,
}

impl Trusted {
    /// A placeholder standing for `html` until [`Trusted::clean`] puts it back.
    pub(crate) fn set_aside(&mut self, html: String) -> String {
        self.snippets.push(html);
        format!("{OPEN}{}{CLOSE}", self.snippets.len() - 1)
    }

    /// Sanitizes rendered HTML, then puts the set-aside snippets back in place.
    pub(crate) fn clean(&self, html: &str) -> String {
        let cleaned = SANITIZER.clean(html).to_string();
        let mut out = String::with_capacity(cleaned.len());
        let mut rest = cleaned.as_str();
        while let Some(open) = rest.find(OPEN) {
            out.push_str(&rest[..open]);
            let after = &rest[open + OPEN.len_utf8()..];
            let snippet = after.split_once(CLOSE).and_then(|(index, tail)| {
                let html = self.snippets.get(index.parse::<usize>().ok()?)?;
                Some((html, tail))
            });
            match snippet {
                Some((html, tail)) => {
                    out.push_str(html);
                    rest = tail;
                }
                // A writer's own private-use character: text, as typed.
                None => {
                    out.push(OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_stays_and_script_goes() {
        let html = "<p onclick=\"x()\">Hi <b>there</b><script>alert(1)</script>\
                    <img src=\"/a.png\" onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">l</a>\
                    <a href=\" JaVa\tScript:alert(1)\">m</a></p>\
                    <h2 id=\"s\">S</h2>\
                    <table><tr><td style=\"text-align: center; position: fixed\">c</td></tr></table>";
        let cleaned = Trusted::default().clean(html);
        for kept in ["<b>there</b>", "src=\"/a.png\"", "id=\"s\"", "text-align"] {
            assert!(cleaned.contains(kept), "{kept} in {cleaned}");
        }
        for gone in [
            "onclick",
            "<script",
            "onerror",
            "avaScript:",
            "javascript:",
            "position",
        ] {
            assert!(!cleaned.contains(gone), "{gone} in {cleaned}");
        }
    }

    #[test]
    fn the_sites_own_snippets_come_back_whole() {
        let mut trusted = Trusted::default();
        let embed = "<figure data-embed-src=\"https://player.example/\"><svg></svg></figure>";
        let placeholder = trusted.set_aside(embed.to_string());
        let html = format!("<p>a</p>{placeholder}<p>b {OPEN}9{CLOSE} {OPEN}</p>");
        assert_eq!(
            trusted.clean(&html),
            format!("<p>a</p>{embed}<p>b {OPEN}9{CLOSE} {OPEN}</p>")
        );
    }

    #[test]
    fn comments_keep_their_formatting_and_nothing_else() {
        let html = comment(
            "Bravo <b>!</b>\nSuite.\n\n<a href=\"https://a.example/\" onclick=\"x()\">lien</a> \
             <img src=x onerror=alert(1)><script>alert(2)</script><a href=\"javascript:alert(3)\">j</a>",
        );
        assert!(
            html.starts_with("<p>Bravo <b>!</b><br>\nSuite.</p>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<a href=\"https://a.example/\" rel=\"nofollow ugc noopener noreferrer\">lien</a>"
            ),
            "{html}"
        );
        for gone in ["onclick", "<img", "<script", "alert(2)", "javascript:"] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        assert_eq!(comment("<p>Déjà</p>"), "<p>Déjà</p>");
    }
}
