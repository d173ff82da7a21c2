//! Raw HTML in Markdown: kept as written by default (trusted writers); with `[markdown]
//! safe = true`, sanitized so that nothing a writer types can run script in readers' browsers,
//! while the site's own embeds and highlighted code stay.

use std::fs;

use crate::support::*;

const ARTICLE: &str = "2025/02/contribution/index.html";

const BODY: &str = r#"Un texte <b>en gras</b> et <span onclick="voler()">cliquable</span>.

<script>alert("corps")</script>

<div style="position:fixed" onmouseover="voler()">
<p>Un bloc <em>sur plusieurs lignes</em>.</p>
</div>

<img
  src="/images/a.svg"
  onerror="alert(1)">

<iframe src="https://piege.example/"></iframe>

<a href="javascript:alert(1)">lien piégé</a> et [un autre](javascript:alert(2)),
[encore](  JaVa	Script:alert(3)) et <javascript:alert(4)>.

<svg><script>alert(5)</script></svg><math><mtext><style><img src=x onerror=alert(6)></style></mtext></math>

[Un vrai lien](https://example.org/) et [une page](/tags/ia/).

https://www.youtube.com/watch?v=dQw4w9WgXcQ

```html
<script>alert("code")</script>
```
"#;

fn site(safe: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let markdown = if safe {
        "\n[markdown]\nsafe = true\n"
    } else {
        ""
    };
    fs::write(
        dir.path().join("site.toml"),
        format!("title = \"Ouvert\"\nbase_url = \"https://ouvert.example/\"\nlanguage = \"fr\"\n{markdown}"),
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("content/2025")).unwrap();
    fs::write(
        dir.path().join("content/2025/contribution.md"),
        format!("---\ntitle: Contribution\ndate: 2025-02-11\ntags: [IA]\n---\n\n{BODY}"),
    )
    .unwrap();
    dir
}

#[test]
fn safe_mode_leaves_no_script_handler_or_frame_from_the_writer() {
    let dir = site(true);
    let built = build_with(&options(dir.path()));
    let html = page(&built, ARTICLE);
    let body = one(&html, ".article__body");
    let markup = body.html();
    // The site's own embed, with its icon, is not the writer's.
    let writers = body
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .filter(|e| {
            !e.ancestors()
                .chain([**e])
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| {
                    a.value()
                        .has_class("embed", scraper::CaseSensitivity::CaseSensitive)
                })
        });
    for element in writers {
        let name = element.value().name();
        assert!(
            !matches!(name, "script" | "iframe" | "style" | "svg" | "math"),
            "<{name}> in the body:\n{markup}"
        );
        for (attribute, value) in element.value().attrs() {
            assert!(
                !attribute.starts_with("on"),
                "{attribute}= on <{name}>:\n{markup}"
            );
            // Only Markdown's table alignment keeps a style.
            assert!(
                attribute != "style"
                    || value
                        .split(';')
                        .all(|p| p.trim().is_empty() || p.trim().starts_with("text-align")),
                "style={value} on <{name}>"
            );
            let scheme = value.trim().to_ascii_lowercase().replace(['\t', '\n'], "");
            assert!(
                !scheme.starts_with("javascript:"),
                "{attribute}={value} on <{name}>"
            );
        }
    }
    // What is harmless stays: text, emphasis, images, links, the site's embed and code.
    let text = text_of(body);
    for words in [
        "en gras",
        "cliquable",
        "sur plusieurs lignes",
        "lien piégé",
        "un autre",
    ] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    assert_eq!(texts(&html, "main b"), ["en gras"]);
    assert_eq!(
        texts(&html, ".article__body span:not([class])"),
        ["cliquable"]
    );
    assert!(attrs(&html, "main img", "src").contains(&"/images/a.svg".to_string()));
    let hrefs = attrs(&html, "main a", "href");
    for href in ["https://example.org/", "/tags/ia/"] {
        assert!(hrefs.contains(&href.to_string()), "{hrefs:?}");
    }
    assert!(markup.contains("dQw4w9WgXcQ"), "the YouTube embed stays");
    assert!(
        text.contains("<script>alert(\"code\")</script>"),
        "code is shown as text"
    );
}

#[test]
fn raw_html_is_kept_as_written_by_default() {
    let dir = site(false);
    let built = build_with(&options(dir.path()));
    let html = page(&built, ARTICLE);
    assert_eq!(
        attrs(&html, "main iframe", "src"),
        ["https://piege.example/"]
    );
    assert_eq!(attrs(&html, "main span", "onclick"), ["voler()"]);
    assert_eq!(attrs(&html, "main div[style]", "style"), ["position:fixed"]);
}
