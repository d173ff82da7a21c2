//! Highlighting throughput: `cargo bench --bench highlight`.
//!
//! Highlights about 256 KiB of each language a tech site shows, several times (a build keeps
//! no cache, so each time is real work), plain and with `linenos`, and prints MB/s per
//! language, the overall rate and what loading the syntaxes costs once per process. The
//! first round of each language includes compiling its grammar, as in a build.

use std::time::Instant;

use kiosque::highlight::{Fence, Highlighter, Outcome};
use two_face::theme::EmbeddedThemeName;

/// One paragraph of typical code per language, repeated to size.
const SAMPLES: [(&str, &str); 10] = [
    (
        "rust",
        "/// Counts words.\npub fn count(items: &[&str]) -> HashMap<String, usize> {\n    let mut counts = HashMap::new();\n    for item in items {\n        *counts.entry(item.to_string()).or_insert(0) += 1; // tally\n    }\n    counts\n}\n",
    ),
    (
        "python",
        "def count(items: list[str]) -> dict[str, int]:\n    \"\"\"Counts words.\"\"\"\n    counts = {}\n    for item in items:\n        counts[item] = counts.get(item, 0) + 1  # tally\n    return counts\n",
    ),
    (
        "js",
        "const load = async (url) => {\n  const response = await fetch(url, { headers: { Accept: \"application/json\" } });\n  if (!response.ok) throw new Error(`HTTP ${response.status}`);\n  return response.json(); // parsed\n};\n",
    ),
    (
        "ts",
        "interface Article { title: string; tags: string[] }\nexport function titles(list: Article[]): string[] {\n  return list.filter((a) => a.tags.length > 0).map((a) => a.title);\n}\n",
    ),
    (
        "json",
        "{\n  \"name\": \"kiosque\",\n  \"version\": \"1.0.0\",\n  \"cache\": { \"enabled\": true, \"ttl_seconds\": 300 },\n  \"tags\": [\"ia\", \"europe\", null]\n}\n",
    ),
    (
        "yaml",
        "build:\n  image: rust:1.85\n  script:\n    - cargo build --release # fast\n    - cargo test\n  cache: { key: target, paths: [target/] }\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor f in content/*.md; do\n  echo \"checking $f\" && grep -q '^title:' \"$f\" || exit 1\ndone\n",
    ),
    (
        "toml",
        "[package]\nname = \"kiosque\"\nedition = \"2024\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n",
    ),
    (
        "cpp",
        "#include <vector>\ntemplate <typename T>\nT sum(const std::vector<T>& v) {\n    T total{};\n    for (const auto& x : v) total += x; // add\n    return total;\n}\n",
    ),
    (
        "sql",
        "SELECT a.title, COUNT(t.tag) AS tags\nFROM articles a LEFT JOIN tags t ON t.article_id = a.id\nWHERE a.published_at > NOW() - INTERVAL '2 days'\nGROUP BY a.title ORDER BY tags DESC;\n",
    ),
];

const SIZE: usize = 256 * 1024;
const ROUNDS: usize = 4;

fn main() {
    // `cargo test --all-targets` runs benches once as tests; only `cargo bench` measures.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let highlighter = Highlighter::builtin(
        EmbeddedThemeName::InspiredGithub,
        EmbeddedThemeName::OneHalfDark,
    );
    let load = Instant::now();
    highlighter.highlight(&Fence::parse("rust").0, "fn warm_up() {}\n");
    println!(
        "loading syntaxes and themes (once per process): {:.0} ms",
        load.elapsed().as_secs_f64() * 1000.0
    );
    for options in ["", ",linenos"] {
        println!("options `{options}`:");
        let (mut all_bytes, mut all_seconds) = (0usize, 0f64);
        for (lang, sample) in SAMPLES {
            let fence = Fence::parse(&format!("{lang}{options}")).0;
            let code = sample.repeat(SIZE / sample.len() + 1);
            let started = Instant::now();
            for _ in 0..ROUNDS {
                let out = highlighter.highlight(&fence, &code);
                assert_eq!(out.outcome, Outcome::Done, "{lang}");
            }
            let seconds = started.elapsed().as_secs_f64();
            let bytes = code.len() * ROUNDS;
            println!(
                "{lang:>10}: {:6.1} MB/s ({:.1} MB in {:.2} s)",
                bytes as f64 / seconds / 1e6,
                bytes as f64 / 1e6,
                seconds
            );
            all_bytes += bytes;
            all_seconds += seconds;
        }
        println!(
            "{:>10}: {:6.1} MB/s",
            "overall",
            all_bytes as f64 / all_seconds / 1e6
        );
    }
}
