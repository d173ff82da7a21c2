//! Inputs the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) found to keep Kiosque busy
//! for seconds, replayed through their target's own code (`fuzz/harness.rs`): each must return
//! without a panic. They took 1.8 to 3.8 s each in a release build before their fixes and take
//! milliseconds now; the fuzz script's `-timeout=10` is what catches a slow input again, since
//! tests hold no timing thresholds.
//!
//! `tests/fixtures/fuzz/<target>-<name>` holds the raw fuzz input; `cargo fuzz run <target>
//! tests/fixtures/fuzz/<target>-<name>` replays it under the fuzzer too.

use std::path::PathBuf;

/// The fuzz targets' own code, so the replay is exactly what the fuzzer ran.
#[path = "../../fuzz/harness.rs"]
mod harness;

/// Runs a fixture through its target.
fn replay(name: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (target, _) = name.split_once('-').expect("named <target>-<name>");
    harness::run(target, &bytes);
}

#[test]
fn many_equal_headings_take_linear_time() {
    replay("markdown-duplicate-headings");
}

#[test]
fn deeply_nested_front_matter_is_rejected_quickly() {
    replay("front_matter-deep-flow-sequence");
}

#[test]
fn a_call_with_many_arguments_takes_linear_time() {
    replay("shortcodes-many-arguments");
}
