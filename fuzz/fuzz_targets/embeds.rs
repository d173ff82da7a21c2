//! The `embeds` target: see `run` in `fuzz/harness.rs`, shared with the replay of its findings
//! in `tests/testsuite/fuzz_inputs.rs`.

#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::run("embeds", bytes));
