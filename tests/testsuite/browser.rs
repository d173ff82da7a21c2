//! Click-to-load players in a real browser: headless Chromium, driven by playwright-core from
//! `tests/browser/`, loads the built `embeds` fixture (see tests/browser/embed.test.mjs). On each
//! of its four pages nothing is asked of any host but the local server before a click, every
//! facade is a labelled button, native audio and video fetch nothing; a click (or Enter, or
//! Space) loads the provider's player in the facade's box and focuses it; without JavaScript
//! every facade is a link to the medium's page. Code blocks get a copy button that copies
//! the code alone (see tests/browser/code.test.mjs). A page open in `kiosque serve` follows
//! saves on disk: new title, stylesheet swapped in place, error overlay and its removal (see
//! tests/browser/live.test.mjs).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::*;

/// `tests/browser/`, unless Chromium or the Node packages are missing outside CI (under CI
/// their absence fails the test).
fn browser_tests() -> Option<PathBuf> {
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
        return None;
    }
    Some(browser_tests)
}

fn assert_node_passed(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds `fixture` to disk and runs `tests/browser/<script>` on it.
fn run_browser_test(fixture: &str, script: &str) {
    let Some(browser_tests) = browser_tests() else {
        return;
    };
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
    assert_node_passed(&output);
}

#[test]
fn players_request_nothing_before_the_click_then_load_in_place() {
    run_browser_test("embeds", "embed.test.mjs");
}

#[test]
fn code_blocks_copy_their_code_and_read_without_javascript() {
    run_browser_test("code", "code.test.mjs");
}

#[test]
fn saves_reach_the_open_page_through_kiosque_serve() {
    let Some(browser_tests) = browser_tests() else {
        return;
    };
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
    let output = Command::new("node")
        .arg("--test")
        .arg(browser_tests.join("live.test.mjs"))
        .env("SITE_URL", &url)
        .env("SITE_ROOT", dir.path())
        .output()
        .expect("node runs");
    let _ = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let _ = drain.join();
    assert_node_passed(&output);
}
