//! Code blocks on the `code` fixture: syntect highlighting with classes, options, aliases, a
//! site syntax, the stylesheet, unknown languages as warnings, and code that must stay text.
//! That each character shows its themes' colours is checked in a browser (browser.rs).

use std::fs;

use scraper::Html;

use crate::support::*;

const PAGE: &str = "2025/03/options/index.html";

fn blocks(html: &Html) -> Vec<scraper::ElementRef<'_>> {
    all(html, ".prose pre.code")
}

/// Highlighting spans in `block`: text in classes of the themes' palettes, never nested.
fn spans<'a>(block: scraper::ElementRef<'a>) -> Vec<scraper::ElementRef<'a>> {
    let spans: Vec<_> = block.select(&sel("span[class^='hl-']")).collect();
    for span in &spans {
        assert!(
            span.select(&sel("span")).next().is_none(),
            "{}",
            span.html()
        );
        assert!(span.text().any(|t| !t.is_empty()), "{}", span.html());
    }
    spans
}

#[test]
fn blocks_are_class_based_with_no_inline_style() {
    let built = build_fixture("code");
    let raw = text(&built, PAGE);
    let html = page(&built, PAGE);
    assert_eq!(blocks(&html).len(), 12);
    assert!(!raw.contains("style=\""), "no inline styles");
    let rust = blocks(&html)[0];
    assert_eq!(rust.attr("data-lang"), Some("rust"));
    let keyword = spans(rust)
        .into_iter()
        .find(|span| span.text().collect::<String>().starts_with("fn"))
        .expect("`fn` is coloured");
    // One class per light and per dark colour or font style, named by the theme's palette.
    let classes: Vec<&str> = keyword.value().classes().collect();
    assert!(
        classes
            .iter()
            .all(|c| c.starts_with("hl-l") || c.starts_with("hl-d")),
        "{classes:?}"
    );
    let code: String = rust.select(&sel("code")).next().unwrap().text().collect();
    assert_eq!(code, "fn main() {\n    println!(\"hello\");\n}\n");
}

#[test]
fn each_option_shapes_its_block() {
    let built = build_fixture("code");
    let html = page(&built, PAGE);
    let blocks = blocks(&html);

    let numbered = blocks[0].select(&sel("code.code--linenos")).next().unwrap();
    assert_eq!(numbered.select(&sel(".code__line")).count(), 3);

    let marked = blocks[1];
    let lines: Vec<bool> = marked
        .select(&sel(".code__line"))
        .map(|l| l.value().classes().any(|c| c == "code__line--hl"))
        .collect();
    assert_eq!(lines, [false, true, false, true, true]);
    assert!(
        marked.select(&sel("code.code--linenos")).next().is_none(),
        "marked lines without numbers"
    );

    let named = one(&html, ".prose figure.code-file");
    assert_eq!(
        texts(&html, ".prose figure.code-file > figcaption"),
        ["Cargo.toml"]
    );
    assert_eq!(
        named
            .select(&sel("pre.code"))
            .next()
            .unwrap()
            .attr("data-lang"),
        Some("toml")
    );
}

#[test]
fn aliases_are_highlighted() {
    let built = build_fixture("code");
    let html = page(&built, PAGE);
    let langs = attrs(&html, ".prose pre.code[data-lang]", "data-lang");
    assert_eq!(
        langs,
        [
            "rust",
            "rust",
            "toml",
            "py",
            "ts",
            "console",
            "yml",
            "dockerfile",
            "diff",
            "html"
        ]
    );
    for lang in ["py", "ts", "console", "yml", "dockerfile", "diff"] {
        let block = one(&html, &format!(".prose pre.code[data-lang='{lang}']"));
        assert!(!spans(block).is_empty(), "{lang}");
    }
}

#[test]
fn a_site_syntax_is_highlighted() {
    let dir = temp_site("code");
    copy_dir(&fixture("code-syntax"), dir.path());
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/03/logs/index.html");
    let block = one(&html, "pre[data-lang='klog']");
    let coloured: Vec<String> = spans(block).iter().map(|s| s.text().collect()).collect();
    assert!(coloured.contains(&"ERROR".to_string()), "{coloured:?}");
    assert!(built.warnings.len() == 1, "only brainfck is unknown");
}

#[test]
fn an_unknown_language_is_plain_text_and_a_warning() {
    let built = build_fixture("code");
    let html = page(&built, PAGE);
    let plain = blocks(&html)[9];
    assert!(plain.attr("data-lang").is_none());
    assert_eq!(plain.inner_html(), "<code>+[&gt;+&lt;-]\n</code>");
    let warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .starts_with("content/options.md:57:1: warning: unknown code language `brainfck`"),
        "{}",
        warnings[0]
    );

    let dir = temp_site("code");
    let output = kiosque(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("content/options.md:57:1: warning: unknown code language"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_stylesheet_is_written_and_linked_where_there_is_code() {
    let built = build_fixture("code");
    let css = text(&built, "syntax.css");
    assert!(css.contains(".hl-code {"));
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    let html = page(&built, PAGE);
    assert!(attrs(&html, "link[rel=stylesheet]", "href").contains(&"/syntax.css".to_string()));
    assert_eq!(
        attr(&html, "script[src='/code.js']", "data-copy-label"),
        "Copy"
    );
    let prose = page(&built, "2025/03/prose/index.html");
    assert!(!attrs(&prose, "link[rel=stylesheet]", "href").contains(&"/syntax.css".to_string()));
    assert!(
        all(
            &prose,
            "script:not([type='application/ld+json']):not([src$='/share.js'])"
        )
        .is_empty()
    );
    assert!(text(&built, "code.js").contains("clipboard"));
    assert!(
        !build_fixture("minimal").outputs.contains("syntax.css"),
        "a site without code loads no theme and writes no stylesheet"
    );
}

#[test]
fn themes_come_from_site_toml_and_highlighting_can_be_off() {
    let base = fs::read_to_string(fixture("code").join("site.toml")).unwrap();
    let dir = temp_site("code");
    fs::write(
        dir.path().join("site.toml"),
        format!("{base}[highlight]\ntheme = \"Solarized (light)\"\ndark_theme = \"Nord\"\n"),
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let css = text(&built, "syntax.css");
    assert!(
        css.contains("Solarized (light)") && css.contains("\"Nord\""),
        "{css:.200}"
    );

    fs::write(
        dir.path().join("site.toml"),
        format!("{base}[highlight]\nenabled = false\n"),
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    assert!(!built.outputs.contains("syntax.css"));
    let html = page(&built, PAGE);
    assert!(all(&html, "span[class^='hl-']").is_empty());
    assert_eq!(
        attrs(&html, ".prose pre > code[class]", "class")[0],
        "language-rust code--linenos",
        "options still apply"
    );
    assert_eq!(
        texts(&html, ".prose figure.code-file > figcaption"),
        ["Cargo.toml"]
    );
    assert!(
        all(
            &html,
            "link[href='/syntax.css'], script[src]:not([src$='/share.js'])"
        )
        .is_empty()
    );
    assert!(
        built.warnings.is_empty(),
        "no highlighting, no language check"
    );
}

#[test]
fn code_that_looks_like_markup_templates_or_shortcodes_stays_text() {
    let built = build_fixture("code");
    let raw = text(&built, PAGE);
    let html = page(&built, PAGE);
    let block = one(&html, ".prose pre.code[data-lang='html'] code");
    let code: String = block.text().collect();
    assert_eq!(
        code,
        "<script>alert(\"x\")</script>\n{{ youtube(id=\"Kq7vT3mPz_A\") }} {% if x %} {{/* literal */}}\n"
    );
    assert_eq!(
        attrs(&html, "script[src]:not([src$='/share.js'])", "src"),
        ["/code.js"]
    );
    assert!(all(&html, "figure.embed").is_empty());
    assert!(!raw.contains("<script>alert"));
}

#[test]
fn bad_code_options_are_warnings_and_bad_syntaxes_errors_at_their_place() {
    let dir = temp_site("code");
    fs::write(
        dir.path().join("content/bad.md"),
        "---\ntitle: Bad\ndate: 2025-03-03\n---\n\n```rust,hl_lines=9-2,ignore\nfn x() {}\n```\n\n```text\nplain\n```\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/bad.md:6:1: warning: `9-2` is not a line")),
        "{warnings:#?}"
    );
    assert_eq!(
        warnings.len(),
        2,
        "`ignore` and `text` need no warning: {warnings:#?}"
    );
    fs::create_dir_all(dir.path().join("syntaxes")).unwrap();
    fs::write(
        dir.path().join("syntaxes/broken.sublime-syntax"),
        "%YAML 1.2\n---\nname: Broken\nscope: source.broken\ncontexts: [\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found.iter().any(|d| d
            .starts_with("syntaxes/broken.sublime-syntax:6:1: error: invalid syntax definition")),
        "{found:#?}"
    );
}

#[test]
fn a_site_stylesheet_replaces_the_generated_one() {
    let dir = temp_site("code");
    fs::create_dir_all(dir.path().join("static")).unwrap();
    fs::write(
        dir.path().join("static/syntax.css"),
        ".hl-l0 { color: red }\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    assert_eq!(text(&built, "syntax.css"), ".hl-l0 { color: red }\n");
}

#[test]
fn an_alias_may_not_take_the_stylesheet() {
    let dir = temp_site("code");
    fs::write(
        dir.path().join("content/alias.md"),
        "---\ntitle: Alias\ndate: 2025-03-05\naliases: [/syntax.css]\n---\n\nText.\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/alias.md:4:") && d.contains("the code stylesheet")),
        "{found:#?}"
    );
}
