//! Bad input: each case in tests/fixtures/errors/<case>/ is copied over a copy of the `minimal`
//! fixture that was built once. The build must fail with `file:line:col: error: message`, exit
//! with status 1, and leave the previous public/ exactly as it was.

use std::ops::RangeInclusive;
use std::path::Path;

use crate::support::*;

/// What one diagnostic must say.
struct Expected<'a> {
    /// Acceptable files (relative to the site root).
    files: &'a [&'a str],
    /// Acceptable lines.
    lines: RangeInclusive<usize>,
    /// Texts the message must contain.
    parts: &'a [&'a str],
}

impl Expected<'_> {
    /// Whether a displayed diagnostic (`path:line:col: error: message`) matches.
    fn matches(&self, diagnostic: &str) -> bool {
        self.files.iter().any(|file| {
            let Some(rest) = diagnostic.strip_prefix(&format!("{file}:")) else {
                return false;
            };
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let line_ok = digits
                .parse::<usize>()
                .is_ok_and(|line| self.lines.contains(&line));
            line_ok
                && rest.contains(": error: ")
                && self.parts.iter().all(|part| diagnostic.contains(part))
        })
    }

    fn describe(&self) -> String {
        format!(
            "{} at line {:?} containing {:?}",
            self.files.join(" or "),
            self.lines,
            self.parts
        )
    }
}

/// A copy of `minimal` built once to disk, with the overlay `errors/<case>` copied over it.
struct BrokenSite {
    dir: tempfile::TempDir,
    before: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
}

impl BrokenSite {
    fn new(case: &str) -> Self {
        let dir = temp_site("minimal");
        kiosque::build(&options(dir.path()))
            .unwrap_or_else(|e| panic!("the clean build fails: {}", describe(&e)));
        let before = snapshot(&dir.path().join("public"));
        assert!(before.len() > 10, "the clean build wrote the site");
        copy_dir(&fixture(&format!("errors/{case}")), dir.path());
        BrokenSite { dir, before }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Diagnostics from the library.
    fn library_diagnostics(&self) -> Vec<String> {
        diagnostics(&options(self.root()))
    }

    /// Runs `kiosque build --root <site>`, asserts exit status 1, returns stderr.
    fn cli_stderr(&self) -> String {
        let output = kiosque(&["build", "--root", self.root().to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "exit status; stderr:\n{}",
            stderr(&output)
        );
        stderr(&output)
    }

    /// Asserts the previous build is intact and no staging folder is left beside it.
    fn assert_public_untouched(&self) {
        let after = snapshot(&self.root().join("public"));
        let changed: Vec<_> = self
            .before
            .keys()
            .chain(after.keys())
            .filter(|p| self.before.get(*p) != after.get(*p))
            .collect();
        assert!(changed.is_empty(), "public/ changed: {changed:?}");
        for entry in std::fs::read_dir(self.root()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.contains("staging") && !name.ends_with(".old"),
                "left behind: {name}"
            );
        }
    }
}

/// Runs a bad-input case through the library and the binary and checks every promise.
fn assert_rejected(case: &str, expected: &[Expected<'_>]) {
    let site = BrokenSite::new(case);
    let diagnostics = site.library_diagnostics();
    for want in expected {
        assert!(
            diagnostics.iter().any(|d| want.matches(d)),
            "case {case}: expected a diagnostic {}, got:\n{}",
            want.describe(),
            diagnostics.join("\n")
        );
    }
    let stderr = site.cli_stderr();
    for want in expected {
        assert!(
            stderr.lines().any(|l| want.matches(l)),
            "case {case}: expected on stderr a line {}, got:\n{stderr}",
            want.describe()
        );
    }
    site.assert_public_untouched();
}

fn one_error(case: &str, file: &str, lines: RangeInclusive<usize>, parts: &[&str]) {
    assert_rejected(
        case,
        &[Expected {
            files: &[file],
            lines,
            parts,
        }],
    );
}

#[test]
fn bad_yaml() {
    one_error(
        "bad-yaml",
        "content/mauvais-yaml.md",
        6..=6,
        &["invalid front matter"],
    );
}

#[test]
fn unclosed_yaml_flow_sequence() {
    // `tags: [un, deux` on line 4; the parser notices at the closing `---` on line 5.
    one_error(
        "unclosed-yaml",
        "content/yaml-ouvert.md",
        4..=5,
        &["invalid front matter"],
    );
}

#[test]
fn yaml_message_does_not_contradict_its_location() {
    let site = BrokenSite::new("unclosed-yaml");
    for diagnostic in site.library_diagnostics() {
        let (location, message) = diagnostic
            .split_once(": error: ")
            .expect("diagnostic shape");
        let line: usize = location.split(':').nth(1).unwrap().parse().unwrap();
        // A line number quoted in the message must be the file's, not the YAML block's.
        if let Some(rest) = message.split("line ").nth(1) {
            let quoted: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(quoted) = quoted.parse::<usize>() {
                assert_eq!(quoted, line, "{diagnostic}");
            }
        }
    }
}

#[test]
fn missing_title() {
    one_error(
        "missing-title",
        "content/sans-titre.md",
        1..=4,
        &["missing required front matter field `title`"],
    );
}

#[test]
fn missing_date() {
    one_error(
        "missing-date",
        "content/sans-date.md",
        1..=4,
        &["missing required front matter field `date`"],
    );
}

#[test]
fn bad_date() {
    one_error(
        "bad-date",
        "content/mauvaise-date.md",
        3..=3,
        &["invalid `date`", "2025-02-30"],
    );
}

#[test]
fn unknown_included_template() {
    one_error(
        "unknown-template",
        "templates/tags.html",
        3..=3,
        &["partials/absent.html"],
    );
}

#[test]
fn unknown_parent_template() {
    one_error(
        "unknown-parent",
        "templates/index.html",
        1..=1,
        &["absent.html"],
    );
}

#[test]
fn unknown_theme() {
    one_error("unknown-theme", "site.toml", 4..=4, &["absent"]);
}

#[test]
fn template_syntax_error() {
    one_error(
        "template-syntax",
        "templates/article.html",
        3..=3,
        &["template"],
    );
}

#[test]
fn template_render_error() {
    one_error(
        "template-render",
        "templates/article.html",
        4..=4,
        &["nope"],
    );
}

#[test]
fn template_unknown_filter() {
    one_error(
        "template-unknown-filter",
        "templates/article.html",
        3..=3,
        &["nosuchfilter"],
    );
}

#[test]
fn invalid_front_matter_embed() {
    one_error(
        "invalid-embed",
        "content/video.md",
        5..=5,
        &["invalid embed", "https://www.youtube.com/watch?v=court"],
    );
}

#[test]
fn invalid_video_id_in_body() {
    one_error(
        "invalid-body-embed",
        "content/video-corps.md",
        8..=8,
        &["invalid embed", "https://youtu.be/pasunid"],
    );
}

#[test]
fn duplicate_url() {
    // Either file may be blamed, with a line; the message names the URL and the other file.
    let both = &["content/2025/doublon.md", "content/2025/premier.md"];
    assert_rejected(
        "duplicate-url",
        &[Expected {
            files: both,
            lines: 1..=10,
            parts: &["https://minimal.example/2025/02/premier/"],
        }],
    );
    let site = BrokenSite::new("duplicate-url");
    let found = site.library_diagnostics();
    assert!(
        found
            .iter()
            .any(|d| d.contains("doublon.md") && d.contains("premier.md")),
        "the diagnostic names both files: {found:#?}"
    );
}

#[test]
fn several_independent_errors_are_all_reported() {
    assert_rejected(
        "several",
        &[
            Expected {
                files: &["content/mauvais-yaml.md"],
                lines: 6..=6,
                parts: &["invalid front matter"],
            },
            Expected {
                files: &["content/mauvaise-date.md"],
                lines: 3..=3,
                parts: &["invalid `date`"],
            },
            Expected {
                files: &["content/video-corps.md"],
                lines: 8..=8,
                parts: &["invalid embed"],
            },
            Expected {
                files: &["templates/article.html"],
                lines: 3..=3,
                parts: &["template"],
            },
        ],
    );
}

#[test]
fn several_template_errors_are_all_reported() {
    assert_rejected(
        "several-templates",
        &[
            Expected {
                files: &["templates/article.html"],
                lines: 3..=3,
                parts: &["template"],
            },
            Expected {
                files: &["templates/tags.html"],
                lines: 3..=3,
                parts: &["partials/absent.html"],
            },
        ],
    );
}

#[test]
fn error_count_is_summarised_on_stderr() {
    let site = BrokenSite::new("several");
    let stderr = site.cli_stderr();
    assert!(
        stderr.lines().any(|l| l.contains("4 errors")),
        "summary line with the count:\n{stderr}"
    );
}

#[test]
fn every_bad_embed_and_shortcode_is_reported_at_its_column() {
    let at = |line: usize, parts: &'static [&'static str]| Expected {
        files: &["content/medias.md"],
        lines: line..=line,
        parts,
    };
    assert_rejected(
        "embeds",
        &[
            at(5, &["invalid embed", "pas-un-id!", "Dailymotion"]),
            at(6, &["invalid embed", "X embeds need a `url`"]),
            at(11, &["invalid embed", "is not a YouTube video id"]),
            at(13, &["invalid embed", "is not a start time"]),
            at(15, &["unknown shortcode `inconnu`"]),
            at(17, &["malformed shortcode call", "expected `,` or `)`"]),
            at(19, &["shortcode `vimeo`", "unknown argument `couleur`"]),
            at(
                21,
                &["shortcode `youtube`", "is a Vimeo URL, not a YouTube one"],
            ),
        ],
    );
    let site = BrokenSite::new("embeds");
    let positions: Vec<String> = site
        .library_diagnostics()
        .iter()
        .map(|d| d.split(": error").next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        positions,
        [
            "content/medias.md:5:5",
            "content/medias.md:6:24",
            "content/medias.md:11:1",
            "content/medias.md:13:1",
            "content/medias.md:15:23",
            "content/medias.md:17:29",
            "content/medias.md:19:4",
            "content/medias.md:21:4",
        ]
    );
}
