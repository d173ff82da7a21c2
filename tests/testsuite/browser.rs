//! Click-to-load players in a real browser: headless Chromium, driven by playwright-core from
//! `tests/browser/`, loads the built `embeds` fixture (see tests/browser/embed.test.mjs). On each
//! of its four pages nothing is asked of any host but the local server before a click, every
//! facade is a labelled button, native audio and video fetch nothing; a click (or Enter, or
//! Space) loads the provider's player in the facade's box and focuses it; without JavaScript
//! every facade is a link to the medium's page. Code blocks get a copy button that copies
//! the code alone (see tests/browser/code.test.mjs).

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// Builds `fixture` to disk and runs `tests/browser/<script>` on it, unless Chromium or the
/// Node packages are missing outside CI (under CI their absence fails the test).
fn run_browser_test(fixture: &str, script: &str) {
    let chromium = Path::new("/usr/bin/chromium");
    let browser_tests = example_root().join("tests").join("browser");
    if !chromium.exists() || !browser_tests.join("node_modules/playwright-core").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and tests/browser's packages (.ci/run does)"
        );
        eprintln!(
            "browser test not run: needs /usr/bin/chromium and `npm ci --prefix tests/browser`"
        );
        return;
    }
    let dir = temp_site(fixture);
    let mut options = options(dir.path());
    options.output = Some(dir.path().join("public"));
    kiosque::build(&options).unwrap_or_else(|e| panic!("{}", describe(&e)));

    let output = Command::new("node")
        .arg("--test")
        .arg(browser_tests.join(script))
        .env("SITE_DIR", dir.path().join("public"))
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn players_request_nothing_before_the_click_then_load_in_place() {
    run_browser_test("embeds", "embed.test.mjs");
}

#[test]
fn code_blocks_copy_their_code_and_read_without_javascript() {
    run_browser_test("code", "code.test.mjs");
}
