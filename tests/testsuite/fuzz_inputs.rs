//! Inputs the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) found to crash Kiosque or keep
//! it busy, replayed through the same public function as their target: each must return,
//! without a panic, within [`BUDGET`].
//!
//! `tests/fixtures/fuzz/<target>-<name>` holds the raw fuzz input; `cargo fuzz run <target>
//! tests/fixtures/fuzz/<target>-<name>` replays it under the fuzzer too. A finding not fixed
//! yet is `#[ignore]`d with what is wrong; run those with `cargo test -- --ignored fuzz_inputs`.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use kiosque::BuildOptions;
use kiosque::config::Config;
use kiosque::embeds::{self, Embed, Provider};
use kiosque::highlight::Highlighter;
use kiosque::markdown::{self, Input, Snippets};
use kiosque::shortcodes::{self, Call};

/// Longest an input may take in a debug build. Each fixture repeats one pattern often enough
/// to take seconds in a release build while the bug is there, and milliseconds once fixed.
const BUDGET: Duration = Duration::from_secs(2);

/// Runs a fixture through its target's function on another thread, failing on a panic or
/// when it is still running after [`BUDGET`].
fn replay(name: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (target, _) = name.split_once('-').expect("named <target>-<name>");
    let target = target.to_string();
    let (done, finished) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        run(&target, &bytes);
        let _ = done.send(());
    });
    match finished.recv_timeout(BUDGET) {
        Ok(()) => worker.join().expect("the worker has finished"),
        // The sender is dropped without a message when the worker panicked.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{name} panicked: {:?}", worker.join().err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name} still running after {BUDGET:?}"),
    }
}

/// What each target of `fuzz/fuzz_targets/` does with its input.
fn run(target: &str, bytes: &[u8]) {
    match target {
        "front_matter" => {
            let config = Config::parse(
                "title = \"T\"\nbase_url = \"https://example.org/\"\n",
                &BuildOptions::default(),
            )
            .expect("valid config");
            let _ =
                kiosque::content::parse_source(PathBuf::from("content/fuzz.md"), bytes, &config);
        }
        "shortcodes" => {
            let body = std::str::from_utf8(bytes).expect("UTF-8 input");
            let last_close = body.rfind("*/}}");
            let mut unclosed_seen = false;
            for (at, _) in body.match_indices("{{") {
                if body[at + 2..].starts_with("/*") && last_close.is_none_or(|close| close < at) {
                    if unclosed_seen {
                        continue;
                    }
                    unclosed_seen = true;
                }
                if let Some(Ok(shortcodes::Found::Call(call))) = shortcodes::parse_at(body, at) {
                    let _ = embeds::Options::from_args(&call.args);
                }
            }
        }
        "embeds" => {
            let url = std::str::from_utf8(bytes).expect("UTF-8 input");
            if let Some(Ok(embed)) = embeds::recognize(url) {
                embed.links();
            }
            let (provider, rest) = match url.as_bytes().first() {
                Some(&b) if usize::from(b) < Provider::ALL.len() => {
                    (Some(Provider::ALL[usize::from(b)]), &url[1..])
                }
                _ => (None, url),
            };
            for options in [
                embeds::Options {
                    url: Some(rest.to_string()),
                    ..Default::default()
                },
                embeds::Options {
                    id: Some(rest.to_string()),
                    ..Default::default()
                },
            ] {
                if let Ok(embed) = embeds::resolve(provider, options) {
                    embed.links();
                }
            }
        }
        "markdown" => {
            let (&flags, body) = bytes.split_first().expect("a flags byte");
            let body = std::str::from_utf8(body).expect("UTF-8 input");
            let highlighter = Highlighter::builtin();
            let _ = markdown::render(&Input {
                path: Path::new("content/fuzz.md"),
                body,
                body_line: 5,
                base_path: if flags & 1 == 0 { "/" } else { "/news/" },
                lang: if flags & 2 == 0 { "fr" } else { "en" },
                snippets: &Stand,
                highlighter: (flags & 4 == 0).then_some(&highlighter),
                french_spacing: flags & 8 == 0,
            });
        }
        other => panic!("no fuzz target `{other}`"),
    }
}

/// The markdown target's stand-in for the theme: embeds and provider shortcodes resolved
/// through `embeds`, `note` rendered, `broken` failing.
struct Stand;

impl Snippets for Stand {
    fn embed(&self, embed: &Embed, _: &str) -> Result<String, String> {
        let links = embed.links();
        Ok(format!("<figure data-page=\"{}\"></figure>", links.page))
    }

    fn shortcode(&self, call: &Call, lang: &str, nth: usize) -> Option<Result<String, String>> {
        let provider = match call.name.as_str() {
            "note" => return Some(Ok(format!("<b>note {nth}</b>"))),
            "broken" => return Some(Err("it broke".to_string())),
            "embed" => None,
            name => Some(Provider::from_name(name)?),
        };
        Some(
            embeds::Options::from_args(&call.args)
                .and_then(|options| embeds::resolve(provider, options))
                .and_then(|embed| self.embed(&embed, lang)),
        )
    }
}

#[test]
#[ignore = "fuzz finding: `unique_id` (src/markdown.rs) tries `a-1`, `a-2`… from 1 for every \
            repeated heading, quadratic in the number of equal headings"]
fn many_equal_headings_take_linear_time() {
    replay("markdown-duplicate-headings");
}

#[test]
#[ignore = "fuzz finding: serde_yaml's scanner (unsafe-libyaml) checks every open flow level \
            for each token, quadratic in `[` nesting; src/content/front_matter.rs hands it \
            any depth"]
fn deeply_nested_front_matter_is_rejected_quickly() {
    replay("front_matter-deep-flow-sequence");
}

#[test]
#[ignore = "fuzz finding: `call_rest` (src/shortcodes.rs) compares each argument name with \
            every earlier one, quadratic in the number of arguments"]
fn a_call_with_many_arguments_takes_linear_time() {
    replay("shortcodes-many-arguments");
}
