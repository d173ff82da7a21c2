//! Unit tests of the highlighter: markup, options, aliases, cache and stylesheet.

use two_face::theme::EmbeddedThemeName;

use super::*;

fn highlight(info: &str, code: &str) -> Highlighted {
    Highlighter::builtin().highlight(&Fence::parse(info).0, code)
}

fn cached(cache: &Arc<CodeCache>, info: &str, code: &str) -> Highlighted {
    Highlighter::builtin()
        .with_cache(cache.clone())
        .highlight(&Fence::parse(info).0, code)
}

fn balanced(html: &str) -> bool {
    html.matches("<span").count() == html.matches("</span>").count()
}

#[test]
fn known_snippet_has_classed_spans_and_no_inline_style() {
    let out = highlight("rust", "fn main() {\n    let x = 1; // note\n}\n");
    let html = &out.html;
    assert_eq!(out.outcome, Outcome::Done);
    assert!(html.starts_with("<pre class=\"code hl-code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"), "{html}");
    assert!(
        html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
        "{html}"
    );
    assert!(html.contains("hl-comment"), "{html}");
    assert!(html.ends_with("</code></pre>\n"), "{html}");
    assert!(!html.contains("style="));
    assert!(balanced(html), "{html}");
}

#[test]
fn aliases_find_their_syntax() {
    for (alias, scope) in [
        ("rs", "hl-rust"),
        ("py", "hl-python"),
        ("js", "hl-js"),
        ("ts", "hl-ts"),
        ("sh", "hl-shell"),
        ("bash", "hl-shell"),
        ("console", "hl-shell"),
        ("yml", "hl-yaml"),
        ("toml", "hl-toml"),
        ("dockerfile", "hl-dockerfile"),
        ("diff", "hl-diff"),
        ("json", "hl-json"),
        ("sql", "hl-sql"),
        ("go", "hl-go"),
        ("cpp", "hl-c++"),
    ] {
        let out = highlight(alias, "a = 1\n");
        assert_eq!(out.outcome, Outcome::Done, "{alias}");
        assert!(out.html.contains(scope), "{alias}: {}", out.html);
    }
}

#[test]
fn unknown_language_is_escaped_plain_text() {
    let out = highlight("brainfck", "<script>\n");
    assert_eq!(out.outcome, Outcome::UnknownLanguage);
    assert_eq!(
        &*out.html,
        "<pre class=\"code hl-code\"><code>&lt;script&gt;\n</code></pre>\n"
    );
}

#[test]
fn options_number_and_mark_lines_and_name_the_file() {
    let out = highlight(
        "rust,linenos,hl_lines=2 4-5,name=src/main.rs",
        "/* a\nb */\nfn x() {}\nlet y = 2;\nlet z = 3;\n",
    );
    let html = &out.html;
    assert!(html.starts_with("<figure class=\"code-file\"><figcaption class=\"code-file__name\">src/main.rs</figcaption><pre"), "{html}");
    assert!(
        html.contains("<code class=\"language-rust code--linenos\">"),
        "{html}"
    );
    assert_eq!(html.matches("class=\"code__line\"").count(), 2, "{html}");
    assert_eq!(
        html.matches("class=\"code__line code__line--hl\"").count(),
        3,
        "{html}"
    );
    // Each line stands alone: the comment opened on line 1 is closed and reopened.
    for line in html.split('\n').filter(|l| l.contains("code__line")) {
        assert!(balanced(line), "{line}");
    }
    assert!(html.contains("<span class=\"code__line code__line--hl\"><span class=\"hl-source hl-rust\"><span class=\"hl-comment hl-block hl-rust\">b "), "{html}");
    assert!(html.ends_with("</figure>\n"));
}

#[test]
fn bad_options_are_warnings_and_foreign_ones_are_ignored() {
    let (fence, problems) = Fence::parse("rust,hl_lines=3-1,colour=red,linenos");
    assert!(fence.linenos && fence.hl_lines.is_empty());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("`3-1`"));
    assert!(problems[1].contains("unknown code block option `colour=red`"));
    let (fence, problems) = Fence::parse("rust,ignore,no_run,edition2021,should_panic");
    assert_eq!(fence.lang.as_deref(), Some("rust"));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(Fence::parse(""), (Fence::default(), Vec::new()));
}

#[test]
fn plain_text_languages_are_plain_without_a_warning() {
    for lang in ["text", "TXT", "plain", "output", "none"] {
        let out = highlight(lang, "$ make\nok\n");
        assert_eq!(out.outcome, Outcome::Done, "{lang}");
        assert_eq!(
            &*out.html,
            "<pre class=\"code hl-code\"><code>$ make\nok\n</code></pre>\n"
        );
    }
}

#[test]
fn marked_lines_past_the_end_and_blank_lines_are_safe() {
    let out = highlight("rust,hl_lines=2-99 1000000", "a\n\nc");
    assert_eq!(
        out.html.matches("code__line--hl").count(),
        2,
        "{}",
        out.html
    );
    assert!(balanced(&out.html));
    let (fence, _) = Fence::parse(",hl_lines=1");
    assert_eq!(
        plain(&fence, "x\n"),
        "<pre class=\"code hl-code\"><code><span class=\"code__line code__line--hl\">x</span>\n</code></pre>\n"
    );
}

#[test]
fn terminal_themes_are_refused() {
    assert_eq!(theme("ansi"), None);
    assert_eq!(theme("base16-256"), None);
    assert_eq!(theme("one half dark"), Some(EmbeddedThemeName::OneHalfDark));
    assert!(!theme_names().contains(&"ansi"));
}

#[test]
fn blocks_come_from_the_cache_the_second_time() {
    let cache = Arc::new(CodeCache::default());
    let code = "let a = 1;\n";
    let first = cached(&cache, "rust", code);
    let second = cached(&cache, "rust", code);
    assert!(!first.cached);
    assert!(second.cached);
    assert_eq!(first.html, second.html);
    assert!(
        !cached(&cache, "rust,linenos", code).cached,
        "options are part of the key"
    );
    assert!(
        !highlight("rust", code).cached,
        "a one-off build keeps no cache"
    );
}

#[test]
fn code_that_looks_like_markup_or_templates_is_escaped() {
    let out = highlight("html", "<script>alert(1)</script> {{ x }} {% if %}\n");
    assert!(!out.html.contains("<script>"));
    assert!(out.html.contains("&lt;"));
    assert!(out.html.contains("{{ x }}") && out.html.contains("{% if %}"));
}

#[test]
fn each_theme_lives_in_its_own_colour_scheme() {
    let css = stylesheet(
        EmbeddedThemeName::InspiredGithub,
        EmbeddedThemeName::OneHalfDark,
    );
    let light = css
        .find("@media not all and (prefers-color-scheme: dark) {")
        .unwrap();
    let dark = css.find("@media (prefers-color-scheme: dark) {").unwrap();
    assert!(light < dark);
    assert_eq!(css.matches(".hl-code {").count(), 2);
    // Nothing but the opening comment stands outside the two blocks.
    let before = &css[..light];
    assert!(!before.contains('{'), "{before}");
    let depth_after_light =
        css[light..dark].matches('{').count() - css[light..dark].matches('}').count();
    assert_eq!(
        depth_after_light, 0,
        "the light block is closed before the dark one"
    );
    assert!(css.trim_end().ends_with('}'));
}

/// A site syntax for the language `klog`, which the built-in syntaxes do not know.
const KLOG: &str = "%YAML 1.2\n---\nname: Klog\nfile_extensions: [klog]\nscope: source.klog\ncontexts:\n  main:\n    - match: '\\bok\\b'\n      scope: keyword.klog\n";

#[test]
fn a_site_syntax_is_linked_by_its_highlighter_and_kept_by_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("klog.sublime-syntax"), KLOG).unwrap();
    let cache = Arc::new(CodeCache::default());
    let fence = Fence::parse("klog").0;
    let first = Highlighter::with_folder(dir.path())
        .unwrap()
        .with_cache(cache.clone());
    let out = first.highlight(&fence, "ok\n");
    assert_eq!(out.outcome, Outcome::Done);
    assert!(out.html.contains("hl-keyword hl-klog"), "{}", out.html);
    let linked = lock(&cache.linked)
        .as_ref()
        .map(|(_, set)| set.clone())
        .unwrap();
    // A rebuild with the same syntaxes uses the set the cache holds, without linking again.
    let second = Highlighter::with_folder(dir.path())
        .unwrap()
        .with_cache(cache.clone());
    second.highlight(&fence, "ok ok\n");
    let again = lock(&cache.linked)
        .as_ref()
        .map(|(_, set)| set.clone())
        .unwrap();
    assert!(Arc::ptr_eq(&linked, &again));
    drop(again);
    // An edited syntax replaces the linked set; the old one goes with its highlighters.
    std::fs::write(
        dir.path().join("klog.sublime-syntax"),
        KLOG.replace("ok", "ko"),
    )
    .unwrap();
    let third = Highlighter::with_folder(dir.path())
        .unwrap()
        .with_cache(cache.clone());
    third.highlight(&fence, "ko\n");
    drop((first, second));
    assert_eq!(
        Arc::strong_count(&linked),
        1,
        "only this test holds the old set"
    );
    // Without a cache, a highlighter links for itself.
    let alone = Highlighter::with_folder(dir.path()).unwrap();
    assert!(alone.highlight(&fence, "ko\n").html.contains("hl-keyword"));
}

#[test]
fn a_broken_site_syntax_names_its_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.sublime-syntax");
    std::fs::write(&path, "name: Broken\ncontexts:\n  main: [\n").unwrap();
    let Err(error) = Highlighter::with_folder(dir.path()) else {
        panic!("a broken syntax is refused");
    };
    assert_eq!(error.path, path);
    assert!(
        matches!(error.cause, SyntaxLoadError::Parse(_)),
        "{error:?}"
    );
    let (line, column) = error.position().expect("a YAML error has a position");
    assert!(
        error
            .cause
            .to_string()
            .ends_with(&format!("at line {line} column {column}")),
        "{}",
        error.cause
    );
    assert!(std::error::Error::source(&error.cause).is_none());
}
