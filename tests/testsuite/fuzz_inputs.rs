//! Inputs the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) found to keep Kiosque busy
//! for seconds, replayed through their target's own code (`fuzz/harness.rs`) without a panic,
//! then checked for what each must still give: every one of 10,000 equal headings its own
//! short id, a 50,000-deep YAML value an error at its file, and a call with 40,000 arguments
//! each of them, once, with a repeated name still refused. They took 1.8 to 3.8 s each in a
//! release build before their fixes and take milliseconds now; the fuzz script's
//! `-timeout=10` is what catches a slow input again, since tests hold no timing thresholds.
//!
//! `tests/fixtures/fuzz/<target>-<name>` holds the raw fuzz input; `cargo fuzz run <target>
//! tests/fixtures/fuzz/<target>-<name>` replays it under the fuzzer too.

use std::collections::HashSet;
use std::path::PathBuf;

use kiosque::shortcodes::{self, Found};

use crate::support::*;

/// The fuzz targets' own code, so the replay is exactly what the fuzzer ran.
#[path = "../../fuzz/harness.rs"]
mod harness;

/// A fixture's raw bytes.
fn input(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs a fixture through its target; returns its bytes.
fn replay(name: &str) -> Vec<u8> {
    let bytes = input(name);
    let (target, _) = name.split_once('-').expect("named <target>-<name>");
    harness::run(target, &bytes);
    bytes
}

#[test]
fn many_equal_headings_each_get_their_own_short_id() {
    let bytes = replay("markdown-duplicate-headings");
    // The first byte picks the harness's options; the rest is the body, `# a` on each line.
    let body = std::str::from_utf8(&bytes[1..]).expect("UTF-8 body");
    let headings = body.lines().count();
    assert_eq!(headings, 10_000);
    let site = temp_site("minimal");
    let article = format!("---\ntitle: Headings\ndate: 2025-03-04\n---\n{body}");
    std::fs::write(site.path().join("content/headings.md"), article).unwrap();
    let built = build_with(&options(site.path()));
    let html = page(&built, "2025/03/headings/index.html");
    let ids: Vec<&str> = select_some(&html, ".prose h1")
        .into_iter()
        .map(|h| {
            h.attr("id")
                .unwrap_or_else(|| panic!("a heading without id"))
        })
        .collect();
    assert_eq!(ids.len(), headings);
    let distinct: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), headings, "ids given twice");
    // `a`, then `a-` and a number below 10,000: an id never grows with the repeats before it,
    // which is what a search for a free id that builds on earlier attempts would do.
    let longest = "a-".len() + (headings - 1).to_string().len();
    assert!(
        ids.iter().all(|id| id.len() <= longest),
        "ids longer than {longest} bytes: {:?}",
        ids.iter()
            .filter(|id| id.len() > longest)
            .take(3)
            .collect::<Vec<_>>()
    );
}

#[test]
fn deeply_nested_front_matter_is_an_error_at_its_file() {
    let bytes = replay("front_matter-deep-flow-sequence");
    let site = temp_site("minimal");
    std::fs::write(site.path().join("content/deep.md"), bytes).unwrap();
    let diagnostics = diagnostics(&options(site.path()));
    assert!(
        diagnostics.iter().any(|d| d.contains("content/deep.md")),
        "no error names content/deep.md: {diagnostics:#?}"
    );
}

#[test]
fn a_call_with_many_arguments_keeps_each_once_and_refuses_a_repeat() {
    let bytes = replay("shortcodes-many-arguments");
    let body = std::str::from_utf8(&bytes).expect("UTF-8 body");
    let Some(Ok(Found::Call(call))) = shortcodes::parse_at(body, 0) else {
        panic!("the fixture is not one shortcode call");
    };
    assert_eq!(call.args.len(), 40_000);
    let names: HashSet<&str> = call.args.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.len(), call.args.len(), "an argument kept twice");
    assert_eq!(call.args[0].0, "a");
    // The same call with one more argument at the end: a new name is taken, the first name
    // given again is refused, 40,000 arguments apart.
    let end = body.rfind(')').expect("the call's `)`");
    let with = |arg: &str| format!("{},{arg}{}", &body[..end], &body[end..]);
    let Some(Ok(Found::Call(longer))) = shortcodes::parse_at(&with("new=2"), 0) else {
        panic!("a new argument name is refused");
    };
    assert_eq!(longer.args.len(), 40_001);
    assert!(
        matches!(shortcodes::parse_at(&with("a=2"), 0), Some(Err(_))),
        "a repeated argument name is accepted"
    );
}
