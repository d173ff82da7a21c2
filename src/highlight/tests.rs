//! Unit tests of the highlighter: markup, options, aliases, cache and stylesheet. That every
//! character keeps its themes' colours is proven in a browser (tests/testsuite/browser.rs).

use two_face::theme::EmbeddedThemeName;

use super::*;

const LIGHT: EmbeddedThemeName = EmbeddedThemeName::InspiredGithub;
const DARK: EmbeddedThemeName = EmbeddedThemeName::OneHalfDark;

fn highlight(info: &str, code: &str) -> Highlighted {
    Highlighter::builtin(LIGHT, DARK).highlight(&Fence::parse(info).0, code)
}

fn cached(cache: &Arc<CodeCache>, info: &str, code: &str) -> Highlighted {
    Highlighter::builtin(LIGHT, DARK)
        .with_cache(cache.clone())
        .highlight(&Fence::parse(info).0, code)
}

fn balanced(html: &str) -> bool {
    html.matches("<span").count() == html.matches("</span>").count()
}

/// The declarations the stylesheet gives, in light and in dark mode, to the span of `html`
/// that starts with `text`.
fn shown(html: &str, text: &str) -> [String; 2] {
    let end = html
        .find(&format!("\">{text}"))
        .unwrap_or_else(|| panic!("no span starts with {text:?}: {html}"));
    let classes = &html[html[..end].rfind("class=\"").unwrap() + 7..end];
    let css = stylesheet(LIGHT, DARK);
    let (light, dark) = css
        .split_once("@media (prefers-color-scheme: dark)")
        .unwrap();
    [light, dark].map(|rules| {
        let declarations: Vec<&str> = classes
            .split(' ')
            .filter_map(|class| {
                let rule = rules
                    .lines()
                    .find(|line| line.starts_with(&format!(".{class} {{")))?;
                Some(
                    rule[rule.find('{')? + 1..rule.find('}')?]
                        .trim()
                        .trim_end_matches(';'),
                )
            })
            .collect();
        declarations.join("; ")
    })
}

/// Panics unless every span of `html` holds text and no other span, and two spans side by
/// side differ (else they would be one).
fn assert_flat(html: &str) {
    let mut at = 0;
    let mut previous: Option<(usize, &str)> = None;
    while let Some(found) = html[at..].find("<span class=\"hl-") {
        let start = at + found;
        let open_end = start + html[start..].find("\">").unwrap();
        let classes = &html[start + 13..open_end];
        let close = open_end + 2 + html[open_end + 2..].find("</span>").unwrap();
        let text = &html[open_end + 2..close];
        assert!(
            !text.is_empty() && !text.contains('<'),
            "{text:?} in {html}"
        );
        if let Some((end, before)) = previous {
            assert!(
                end != start || before != classes,
                "unmerged {classes} in {html}"
            );
        }
        at = close + "</span>".len();
        previous = Some((at, classes));
    }
}

#[test]
fn a_snippet_is_flat_spans_of_its_themes_colours_with_no_inline_style() {
    let out = highlight("rust", "fn main() {\n    let x = 1; // note\n}\n");
    let html = &out.html;
    assert_eq!(out.outcome, Outcome::Done);
    assert!(html.starts_with("<pre class=\"code hl-code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-"), "{html}");
    // InspiredGitHub's and OneHalfDark's own colours for a keyword, a name and a comment.
    assert_eq!(
        shown(html, "fn"),
        ["color: #a71d5d; font-weight: bold", "color: #c678dd"]
    );
    assert_eq!(
        shown(html, "main"),
        ["color: #795da3; font-weight: bold", "color: #61afef"]
    );
    assert_eq!(
        shown(html, "// note"),
        ["color: #969896; font-style: italic", "color: #5c6370"]
    );
    assert!(
        html.contains("</span> x <span"),
        "plain text has no span: {html}"
    );
    assert!(html.ends_with("</code></pre>\n"), "{html}");
    assert!(!html.contains("style="));
    assert!(balanced(html), "{html}");
    assert_flat(html);
}

#[test]
fn spans_are_flat_merged_and_never_empty() {
    for (lang, code) in [
        ("rust", "pub pub pub fn x() -> u8 { 0 }\n/* a\n b */\n"),
        ("python", "def f(a, *b):\n    return f\"{a!r}\"  # c\n"),
        (
            "html",
            "<a href=\"x\">&amp;</a><script>if (a < b) {}</script>\n",
        ),
        (
            "diff",
            "--- a\n+++ b\n@@ -1 +1 @@\n-old  line\n+new  line\n",
        ),
        ("yaml", "a: &x [1, 'b']\nc: *x # d\n"),
    ] {
        for info in [lang.to_string(), format!("{lang},linenos")] {
            let out = highlight(&info, code);
            assert_eq!(out.outcome, Outcome::Done, "{info}");
            assert!(
                out.html.contains("<span class=\"hl-"),
                "{info}: {}",
                out.html
            );
            assert_flat(&out.html);
        }
    }
    // Keywords apart only by spaces, which show no colour, are one run.
    let html = highlight("rust", "pub pub pub fn x\n").html;
    assert!(html.contains("\">pub pub pub fn </span>"), "{html}");
}

#[test]
fn aliases_find_their_syntax() {
    let highlighter = Highlighter::builtin(LIGHT, DARK);
    for (alias, syntax) in [
        ("rs", "Rust"),
        ("py", "Python"),
        ("js", "JavaScript (Babel)"),
        ("ts", "TypeScript"),
        ("sh", "Bourne Again Shell (bash)"),
        ("bash", "Bourne Again Shell (bash)"),
        ("console", "Bourne Again Shell (bash)"),
        ("yml", "YAML"),
        ("toml", "TOML"),
        ("dockerfile", "Dockerfile"),
        ("diff", "Diff"),
        ("json", "JSON"),
        ("sql", "SQL"),
        ("go", "Go"),
        ("cpp", "C++"),
    ] {
        let found = highlighter
            .find(alias)
            .map(|(_, found)| found.name.as_str());
        assert_eq!(found, Some(syntax), "{alias}");
        let out = highlight(alias, "a = 1\n");
        assert_eq!(out.outcome, Outcome::Done, "{alias}");
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
    // Each line stands alone: the comment opened on line 1 is closed there and coloured
    // again on line 2.
    for line in html.split('\n').filter(|l| l.contains("code__line")) {
        assert!(balanced(line), "{line}");
    }
    assert_eq!(shown(html, "/* a"), shown(html, "b */"));
    assert!(
        html.contains("<span class=\"code__line code__line--hl\"><span class=\"hl-"),
        "{html}"
    );
    assert_flat(html);
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
    // Every class a block uses has its rule in its own theme's block.
    let (light_rules, dark_rules) = css.split_at(dark);
    let html = highlight("diff", "@@ -1 +1 @@\n-fn a() {}\n+fn b() {} // c\n").html;
    for class in html
        .split("class=\"")
        .skip(1)
        .flat_map(|rest| rest[..rest.find('"').unwrap()].split(' '))
        .filter(|class| class.starts_with("hl-") && *class != "hl-code")
    {
        let rules = if class.starts_with("hl-l") {
            light_rules
        } else {
            dark_rules
        };
        assert!(rules.contains(&format!(".{class} {{")), "{class}");
    }
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
    let first = Highlighter::with_folder(dir.path(), LIGHT, DARK)
        .unwrap()
        .with_cache(cache.clone());
    let out = first.highlight(&fence, "ok\n");
    assert_eq!(out.outcome, Outcome::Done);
    assert!(out.html.contains("<span class=\"hl-"), "{}", out.html);
    let linked = lock(&cache.linked)
        .as_ref()
        .map(|(_, set)| set.clone())
        .unwrap();
    // A rebuild with the same syntaxes uses the set the cache holds, without linking again.
    let second = Highlighter::with_folder(dir.path(), LIGHT, DARK)
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
    let third = Highlighter::with_folder(dir.path(), LIGHT, DARK)
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
    let alone = Highlighter::with_folder(dir.path(), LIGHT, DARK).unwrap();
    assert!(alone.highlight(&fence, "ko\n").html.contains("\">ko"));
}

#[test]
fn a_broken_site_syntax_names_its_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.sublime-syntax");
    std::fs::write(&path, "name: Broken\ncontexts:\n  main: [\n").unwrap();
    let Err(error) = Highlighter::with_folder(dir.path(), LIGHT, DARK) else {
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
