//! Click-to-load players in a real browser: headless Chromium, driven by playwright-core from
//! `tests/browser/`, loads the built `embeds` fixture (see tests/browser/embed.test.mjs). On each
//! of its four pages nothing is asked of any host but the local server before a click, every
//! facade is a labelled button, native audio and video fetch nothing; a click (or Enter, or
//! Space) loads the provider's player in the facade's box and focuses it; without JavaScript
//! every facade is a link to the medium's page. Code blocks get a copy button that copies
//! the code alone (see tests/browser/code.test.mjs), and every character of highlighted code
//! shows, in light and dark mode, the colour and font style syntect's theme gives it (see
//! tests/browser/code-colours.test.mjs). A page open in `kiosque serve` follows
//! saves on disk: new title, stylesheet swapped in place, error overlay and its removal (see
//! tests/browser/live.test.mjs).
//!
//! These tests need Debian's Chromium and the Node packages of `tests/browser/`, so they are
//! `#[ignore]`d: a plain `cargo test` lists them as ignored, with what they need, instead of
//! passing without running. `cargo test -- --include-ignored` (which `.ci/run` uses, after
//! installing both) runs them, and then a missing prerequisite fails the test.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use scraper::Html;
use serde_json::{Value, json};
use syntect::highlighting::{FontStyle, Highlighter, Style};
use syntect::parsing::{ParseState, ScopeStack};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use crate::support::*;

/// `tests/browser/`, with Chromium and the Node packages there; panics naming what is missing,
/// since a test asked to run must not pass without running.
pub(crate) fn browser_tests() -> PathBuf {
    let browser_tests = example_root().join("tests").join("browser");
    let mut missing = Vec::new();
    if !Path::new("/usr/bin/chromium").exists() {
        missing.push("/usr/bin/chromium (apt-get install chromium)");
    }
    if !browser_tests.join("node_modules/playwright-core").exists() {
        missing.push("tests/browser/node_modules (npm ci --prefix tests/browser)");
    }
    assert!(
        missing.is_empty(),
        "the browser test cannot run without {}",
        missing.join(" and ")
    );
    browser_tests
}

/// Runs a script of `tests/browser/` with Node's test runner and the environment given.
///
/// Chromium keeps both cores busy for seconds: no timing-sensitive test (a burst of saves
/// seen as one rebuild) runs meanwhile, or its writes pause long enough to split the burst.
pub(crate) fn node_test(script: &Path, env: &[(&str, &OsStr)]) -> Output {
    let _alone = heavy();
    let mut node = Command::new("node");
    // TAP, whatever the terminal, so that `assert_node_passed` can read the counts.
    node.args(["--test", "--test-reporter=tap"]).arg(script);
    for (name, value) in env {
        node.env(name, value);
    }
    node.output()
        .unwrap_or_else(|e| panic!("node (Node.js 20 or later) must be installed: {e}"))
}

/// Panics unless Node's test runner succeeded and ran its tests: some passed, none was
/// skipped or left to do (a skipped browser check would be a green test that did not run).
pub(crate) fn assert_node_passed(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = format!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser test failed:\n{report}");
    let count = |name: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(&format!("# {name} ")))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or_else(|| panic!("no `# {name}` count in the TAP output:\n{report}"))
    };
    assert!(count("pass") > 0, "no browser test passed:\n{report}");
    assert_eq!(count("skipped"), 0, "a browser test was skipped:\n{report}");
    assert_eq!(count("todo"), 0, "a browser test is left to do:\n{report}");
}

/// Builds `fixture` to disk and runs `tests/browser/<script>` on it.
pub(crate) fn run_browser_test(fixture: &str, script: &str) {
    run_on_site(&temp_site(fixture), script);
}

/// Builds the site in `dir` to disk and runs `tests/browser/<script>` on it.
pub(crate) fn run_on_site(dir: &tempfile::TempDir, script: &str) {
    let script = browser_tests().join(script);
    let site = dir.path().join("public");
    let mut options = options(dir.path());
    options.output = Some(site.clone());
    kiosque::build(&options).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let output = node_test(&script, &[("SITE_DIR", site.as_os_str())]);
    assert_node_passed(&output);
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn players_request_nothing_before_the_click_then_load_in_place() {
    run_browser_test("embeds", "embed.test.mjs");
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn an_imported_article_shows_its_threaded_comments() {
    // Looked up first, so that a missing prerequisite says so before anything is imported.
    browser_tests();
    let (dir, _) = crate::import::imported(&[]);
    run_on_site(&dir, "import.test.mjs");
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn a_phone_downloads_a_small_variant_and_the_hero_does_not_shift() {
    run_browser_test("photos", "images.test.mjs");
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn code_blocks_copy_their_code_and_read_without_javascript() {
    run_browser_test("code", "code.test.mjs");
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn every_highlighted_character_shows_the_style_its_theme_gives_it() {
    let script = browser_tests().join("code-colours.test.mjs");
    // The default pair, then a pair with other colours, backgrounds and underlines.
    for (light, dark, toml) in [
        (
            EmbeddedThemeName::InspiredGithub,
            EmbeddedThemeName::OneHalfDark,
            "",
        ),
        (
            EmbeddedThemeName::SolarizedLight,
            EmbeddedThemeName::MonokaiExtended,
            "[highlight]\ntheme = \"Solarized (light)\"\ndark_theme = \"Monokai Extended\"\n",
        ),
    ] {
        let dir = temp_site("code-colours");
        let config = dir.path().join("site.toml");
        let base = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, format!("{base}{toml}")).unwrap();
        let site = dir.path().join("public");
        let mut options = options(dir.path());
        options.output = Some(site.clone());
        kiosque::build(&options).unwrap_or_else(|e| panic!("{}", describe(&e)));
        let page = std::fs::read_to_string(site.join("2025/03/colours/index.html")).unwrap();
        let expected = expected_styles(&Html::parse_document(&page), light, dark);
        let expected_path = dir.path().join("expected-styles.json");
        std::fs::write(&expected_path, expected.to_string()).unwrap();
        let output = node_test(
            &script,
            &[
                ("SITE_DIR", site.as_os_str()),
                ("EXPECTED_STYLES", expected_path.as_os_str()),
            ],
        );
        assert_node_passed(&output);
    }
}

/// For each highlighted block of `page`, its language, its text, and the style of each of its
/// characters in the `light` and `dark` themes, resolved by syntect from the scope stack at
/// that character, without the renderer: what the browser must show.
fn expected_styles(page: &Html, light: EmbeddedThemeName, dark: EmbeddedThemeName) -> Value {
    let syntaxes = two_face::syntax::extra_newlines();
    let themes = two_face::theme::extra();
    let (light, dark) = (
        Highlighter::new(themes.get(light)),
        Highlighter::new(themes.get(dark)),
    );
    let blocks: Vec<Value> = all(page, "pre.code[data-lang]")
        .into_iter()
        .map(|pre| {
            let lang = pre.attr("data-lang").unwrap();
            let code: String = pre.text().collect();
            let syntax = syntaxes.find_syntax_by_token(lang).unwrap();
            let mut parse = ParseState::new(syntax);
            let mut stack = ScopeStack::new();
            let (mut in_light, mut in_dark) = (Vec::new(), Vec::new());
            for line in LinesWithEndings::from(&code) {
                let mut ops = parse.parse_line(line, &syntaxes).unwrap().into_iter();
                let mut next = ops.next();
                for (at, _) in line.char_indices() {
                    while let Some((_, op)) = next.as_ref().filter(|(index, _)| *index <= at) {
                        stack.apply(op).unwrap();
                        next = ops.next();
                    }
                    in_light.push(style_json(light.style_for_stack(stack.as_slice())));
                    in_dark.push(style_json(dark.style_for_stack(stack.as_slice())));
                }
                for (_, op) in next.into_iter().chain(ops) {
                    stack.apply(&op).unwrap();
                }
            }
            json!({ "lang": lang, "text": code, "light": in_light, "dark": in_dark })
        })
        .collect();
    assert_eq!(blocks.len(), 9, "a block of each language of the fixture");
    Value::Array(blocks)
}

/// A style as the browser test compares it: colours as `[r, g, b, a]`, a to 255.
fn style_json(style: Style) -> Value {
    let colour = |c: syntect::highlighting::Color| json!([c.r, c.g, c.b, c.a]);
    json!({
        "color": colour(style.foreground),
        "background": colour(style.background),
        "bold": style.font_style.contains(FontStyle::BOLD),
        "italic": style.font_style.contains(FontStyle::ITALIC),
        "underline": style.font_style.contains(FontStyle::UNDERLINE),
    })
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn saves_reach_the_open_page_through_kiosque_serve() {
    // Looked up before the server starts, so that a missing prerequisite leaves nothing running.
    let script = browser_tests().join("live.test.mjs");
    let dir = temp_site("news");
    let mut server = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kiosque serve starts");
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    // The server prints a line per rebuild: its output must stay open.
    let drain = std::thread::spawn(move || lines.count());
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let output = node_test(
        &script,
        &[
            ("SITE_URL", url.as_ref()),
            ("SITE_ROOT", dir.path().as_os_str()),
        ],
    );
    let _ = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let _ = drain.join();
    assert_node_passed(&output);
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn axe_finds_no_violation_around_the_article_in_either_scheme_or_width() {
    run_browser_test("around", "a11y.test.mjs");
}
