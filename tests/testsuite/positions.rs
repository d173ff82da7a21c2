//! Positions taken from the parsers: a `site.toml` key is reported at its own line and column,
//! even when another table has a key of the same name.

use crate::support::*;

/// `[highlight] theme` names an unknown code theme; the top-level `theme` above it is fine.
const SITE_TOML: &str = concat!(
    "title = \"Positions\"\n",
    "base_url = \"https://positions.example/\"\n",
    "theme = \"default\"\n",
    "\n",
    "[highlight]\n",
    "enabled = true\n",
    "  theme = \"no-such-theme\"\n",
);

/// Runs `kiosque build` on a copy of `minimal` whose `site.toml` is `text`; returns stderr
/// after checking that the build failed and wrote nothing.
fn failed_build(text: &str) -> String {
    let site = temp_site("minimal");
    std::fs::write(site.path().join("site.toml"), text).unwrap();
    let output = kiosque(&["build", "--root", site.path().to_str().unwrap()]);
    let stderr = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit status; stderr:\n{stderr}"
    );
    assert!(!site.path().join("public").exists(), "nothing is written");
    stderr
}

#[test]
fn highlight_theme_is_reported_at_its_table_key() {
    let stderr = failed_build(SITE_TOML);
    assert!(
        stderr.contains("site.toml:7:3: error: unknown code theme `no-such-theme`"),
        "{stderr}"
    );
    assert!(!stderr.contains("site.toml:3:"), "{stderr}");
}

#[test]
fn a_language_table_is_reported_at_its_header() {
    let stderr = failed_build(concat!(
        "title = \"T\"\n",
        "base_url = \"https://a.example/\"\n",
        "language = \"fr\"\n",
        "[languages.fr]\n",
        "title = \"Doublon\"\n",
    ));
    assert!(
        stderr.contains("site.toml:4:12: error: `fr` is the site's `language`"),
        "{stderr}"
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_key_in_a_table() {
    let stderr = failed_build(concat!(
        "title = \"T\"\n",
        "base_url = \"https://a.example/\"\n",
        "[markdown]\n",
        "safe = \"yes\"\n",
    ));
    assert!(
        stderr.contains("site.toml:4:8: error: invalid value for `safe`: invalid type: string"),
        "{stderr}"
    );
}
