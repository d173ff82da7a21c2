//! Inputs the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) found to keep Kiosque busy
//! for seconds, replayed through the same public function as their target: each must return
//! without a panic. They took 1.8 to 3.8 s each in a release build before their fixes and take
//! milliseconds now; the fuzz script's `-timeout=10` is what catches a slow input again, since
//! tests hold no timing thresholds.
//!
//! `tests/fixtures/fuzz/<target>-<name>` holds the raw fuzz input; `cargo fuzz run <target>
//! tests/fixtures/fuzz/<target>-<name>` replays it under the fuzzer too.

use std::path::{Path, PathBuf};

use kiosque::BuildOptions;
use kiosque::config::Config;
use kiosque::embeds::{self, Embed, Provider};
use kiosque::highlight::Highlighter;
use kiosque::markdown::{self, Input, Snippets};
use kiosque::shortcodes::{self, Call};

/// Runs a fixture through its target's function.
fn replay(name: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (target, _) = name.split_once('-').expect("named <target>-<name>");
    run(target, &bytes);
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
                safe: flags & 16 != 0,
                targets: &markdown::Targets::new(),
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
