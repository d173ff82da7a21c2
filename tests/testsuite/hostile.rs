//! Hostile and broken input: each case of tests/fixtures/bad/ (see the README there) is copied
//! over a copy of `minimal` that the `kiosque` binary built once, four folders deep in a
//! temporary folder; inputs that cannot sensibly be committed (a 50 MB article, symbolic
//! link loops, decomposed accents in a file name) are written by the test. Then `kiosque
//! build` runs again and every promise is checked: the exit status, a line on stderr naming
//! the file (at its line and column where there is one) and saying what is wrong, the
//! previous public/ untouched after a failure, nothing created or changed anywhere outside
//! public/, and nothing in public/ that leads out of it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::*;

/// One entry of a folder tree, symbolic links not followed.
#[derive(Debug, PartialEq)]
enum Node {
    Folder,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every entry under `dir` by path relative to it, `skip` (and what it holds) left out.
fn tree(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, Node> {
    fn walk(root: &Path, dir: &Path, skip: &Path, nodes: &mut BTreeMap<PathBuf, Node>) {
        for entry in fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("folder entry").path();
            if path == skip {
                continue;
            }
            let relative = path.strip_prefix(root).expect("under root").to_path_buf();
            let kind = fs::symlink_metadata(&path).expect("metadata").file_type();
            if kind.is_symlink() {
                nodes.insert(relative, Node::Link(fs::read_link(&path).expect("link")));
            } else if kind.is_dir() {
                nodes.insert(relative, Node::Folder);
                walk(root, &path, skip, nodes);
            } else {
                nodes.insert(relative, Node::File(fs::read(&path).expect("file")));
            }
        }
    }
    let mut nodes = BTreeMap::new();
    walk(dir, dir, skip, &mut nodes);
    nodes
}

/// A copy of `minimal` built once by the binary, at `<temporary>/a/b/c/site`: deep enough
/// that a path climbing out of public/ would still land inside the temporary folder, where
/// the test sees it.
struct Sandbox {
    dir: tempfile::TempDir,
    site: PathBuf,
    public_before: BTreeMap<PathBuf, Vec<u8>>,
}

impl Sandbox {
    /// The sandbox with the overlay `bad/<case>` copied over the site.
    fn new(case: &str) -> Self {
        let sandbox = Sandbox::plain();
        copy_dir(&fixture(&format!("bad/{case}")), &sandbox.site);
        sandbox
    }

    /// The sandbox with the site as built.
    fn plain() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let site = dir.path().join("a/b/c/site");
        copy_dir(&fixture("minimal"), &site);
        let first = kiosque(&["build", "--root", site.to_str().expect("UTF-8 path")]);
        assert!(first.status.success(), "clean build: {}", stderr(&first));
        let public_before = snapshot(&site.join("public"));
        assert!(public_before.len() > 10, "the clean build wrote the site");
        Sandbox {
            dir,
            site,
            public_before,
        }
    }

    /// Writes a file of the site (path relative to the site root).
    fn add(&self, path: impl AsRef<Path>, bytes: &[u8]) {
        let path = self.site.join(path);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create folders");
        fs::write(&path, bytes).expect("write file");
    }

    fn public(&self) -> PathBuf {
        self.site.join("public")
    }

    /// Runs `kiosque build --root <site>` and checks that nothing outside public/ changed
    /// and that everything in public/ stays in it.
    fn build(&self) -> Output {
        let public = self.public();
        let outside = tree(self.dir.path(), &public);
        let output = kiosque(&["build", "--root", self.site.to_str().expect("UTF-8 path")]);
        let after = tree(self.dir.path(), &public);
        // Beside the output, the build keeps only its cache, the output it replaced, and the
        // files it removed from that, for reuse.
        let own = |p: &&PathBuf| {
            let site = p.strip_prefix(self.site.strip_prefix(self.dir.path()).unwrap());
            site.is_ok_and(|p| {
                p.starts_with(".kiosque-cache/build")
                    || p.starts_with(".public.kiosque-spare")
                    || p.starts_with(".public.kiosque-recycled")
            })
        };
        let changed: Vec<_> = outside
            .keys()
            .chain(after.keys())
            .filter(|p| outside.get(*p) != after.get(*p))
            .filter(|p| !own(p))
            .collect();
        assert!(
            changed.is_empty(),
            "created or changed outside public/: {changed:?}\nstderr:\n{}",
            stderr(&output)
        );
        let inside = fs::canonicalize(&public).expect("public/ exists");
        for (path, node) in tree(&public, Path::new("")) {
            assert!(
                !matches!(node, Node::Link(_)),
                "{} is a symbolic link",
                path.display()
            );
            let real = fs::canonicalize(public.join(&path)).expect("canonical path");
            assert!(real.starts_with(&inside), "{} is outside", real.display());
        }
        output
    }

    /// Builds, expecting exit status 1, each expected line on stderr and public/ untouched;
    /// returns stderr.
    fn rejected(&self, expected: &[(&str, &[&str])]) -> String {
        let output = self.build();
        let stderr = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "exit status; stderr:\n{stderr}"
        );
        assert_lines(&stderr, expected);
        assert!(
            snapshot(&self.public()) == self.public_before,
            "public/ changed after a failed build"
        );
        stderr
    }

    /// Builds, expecting success and each expected line (warnings) on stderr; returns stdout
    /// and stderr. The new public/ is the one a later failure must leave.
    fn accepted(&mut self, expected: &[(&str, &[&str])]) -> (String, String) {
        let output = self.build();
        let stderr = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "exit status; stderr:\n{stderr}"
        );
        assert_lines(&stderr, expected);
        self.public_before = snapshot(&self.public());
        (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
    }
}

/// Each `(prefix, parts)`: a line of `text` starts with `prefix` and contains every part.
fn assert_lines(text: &str, expected: &[(&str, &[&str])]) {
    for (prefix, parts) in expected {
        assert!(
            text.lines()
                .any(|l| l.starts_with(prefix) && parts.iter().all(|p| l.contains(p))),
            "expected a line starting with {prefix:?} containing {parts:?}, got:\n{text}"
        );
    }
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    Sandbox::new("invalid-utf8").rejected(&[(
        "content/latin1.md:6:1: error: ",
        &["expected UTF-8 text, found invalid bytes"],
    )]);
}

#[test]
fn a_binary_file_named_md_is_called_binary() {
    let stderr = Sandbox::new("binary").rejected(&[(
        "content/photo.md: error: ",
        &["binary file, not Markdown text"],
    )]);
    assert!(
        !stderr.contains("UTF-8"),
        "not the generic message:\n{stderr}"
    );
}

#[test]
fn empty_and_blank_files_are_called_empty() {
    Sandbox::new("empty").rejected(&[("content/vide.md: error: ", &["empty file"])]);
    Sandbox::new("blank").rejected(&[("content/blanc.md: error: ", &["empty file"])]);
}

#[test]
fn front_matter_never_closed() {
    Sandbox::new("unclosed").rejected(&[(
        "content/ouvert.md:1:1: error: ",
        &["front matter is never closed"],
    )]);
}

#[test]
fn a_yaml_alias_bomb_fails_without_expanding() {
    // Nine levels of nine aliases (387 million strings), and one anchor of 2,000 values
    // repeated 2,000 times (4 million): both stopped at 100,000 values, in bounded memory.
    let message = "invalid front matter: YAML aliases expand too much";
    Sandbox::new("alias-bomb").rejected(&[
        ("content/bombe.md:5:10: error: ", &[message]),
        ("content/large.md:5:10: error: ", &[message]),
    ]);
}

#[test]
fn yaml_nested_ten_thousand_deep_fails_without_overflowing_the_stack() {
    // Each at the 129th bracket; a stack overflow would end the process with a signal.
    let message = "invalid front matter: YAML nested too deeply";
    Sandbox::new("deep-nesting").rejected(&[
        ("content/listes.md:4:138: error: ", &[message]),
        ("content/cartes.md:4:522: error: ", &[message]),
        ("content/etiquettes.md:4:135: error: ", &[message]),
    ]);
}

#[test]
fn yaml_nested_a_hundred_deep_is_fine_in_extra() {
    let mut sandbox = Sandbox::new("deep-but-fine");
    sandbox.accepted(&[]);
    assert!(
        sandbox
            .public()
            .join("2025/04/profond/index.html")
            .is_file()
    );
}

#[test]
fn a_50_mb_article_is_refused_from_its_size() {
    let sandbox = Sandbox::plain();
    let mut text = String::from("---\ntitle: Énorme\ndate: 2025-04-01\n---\n\n");
    let paragraph = "Un paragraphe d'article, répété jusqu'à cinquante mégaoctets.\n\n";
    while text.len() < 50_000_000 {
        text.push_str(paragraph);
    }
    text.truncate(50_000_000 - 1);
    text.push('\n');
    sandbox.add("content/enorme.md", text.as_bytes());
    sandbox.rejected(&[(
        "content/enorme.md: error: ",
        &[
            "file too large: 47.7 MiB (50000000 bytes)",
            "over the limit of 16 MiB",
        ],
    )]);
}

#[test]
fn a_title_given_as_a_list_must_be_text() {
    Sandbox::new("title-list").rejected(&[(
        "content/titre-liste.md:2:8: error: ",
        &["invalid `title`: must be text, found a list"],
    )]);
}

#[test]
fn dates_out_of_range_are_reported_at_their_line() {
    let cases = [
        ("annee-zero", "0000-01-01"),
        ("annee-10000", "10000-01-01"),
        ("annee-99999", "99999-01-01"),
        ("mois-13", "2025-13-01"),
        ("jour-32", "2025-01-32"),
        ("trente-fevrier", "2025-02-30"),
        ("horodatage-enorme", "99999999999999"),
        ("fin-des-temps", "9999-12-31T23:59:59-23:59"),
    ];
    let prefixes: Vec<String> = cases
        .iter()
        .map(|(file, _)| format!("content/{file}.md:3:7: error: "))
        .collect();
    let found: Vec<String> = cases
        .iter()
        .map(|(_, date)| format!("found `{date}`"))
        .collect();
    let parts: Vec<[&str; 2]> = found.iter().map(|f| ["invalid `date`", f]).collect();
    let expected: Vec<(&str, &[&str])> = prefixes
        .iter()
        .zip(&parts)
        .map(|(prefix, parts)| (prefix.as_str(), &parts[..]))
        .collect();
    Sandbox::new("dates").rejected(&expected);
}

#[test]
fn a_tag_of_punctuation_only_has_no_letter_or_digit() {
    Sandbox::new("punctuation-tag").rejected(&[
        (
            "content/ponctuation.md:4:7: error: ",
            &["`!!!` has no letter or digit to make a URL from"],
        ),
        (
            "content/ponctuation.md:4:7: error: ",
            &["`...` has no letter or digit to make a URL from"],
        ),
    ]);
}

#[test]
fn a_slug_written_as_a_path_is_slugged_inside_the_output_folder() {
    let mut sandbox = Sandbox::new("slug-paths");
    sandbox.accepted(&[
        (
            "content/remonte.md:4:7: warning: ",
            &["`slug: ../../../etc` is not a slug", "the URL uses `etc`"],
        ),
        (
            "content/absolu.md:4:7: warning: ",
            &["`slug: /abs`", "the URL uses `abs`"],
        ),
        (
            "content/antislash.md:4:7: warning: ",
            &["`slug: ..\\..\\x`", "the URL uses `x`"],
        ),
    ]);
    for slug in ["etc", "abs", "x"] {
        let page = sandbox.public().join(format!("2025/04/{slug}/index.html"));
        assert!(page.is_file(), "{} missing", page.display());
    }
}

#[test]
fn aliases_leading_out_of_the_site_are_errors() {
    let message = "must be a path starting with one `/`";
    Sandbox::new("alias-paths").rejected(&[
        (
            "content/alias-remonte.md:4:10: error: ",
            &["`/../../x`", message],
        ),
        (
            "content/alias-antislash.md:4:10: error: ",
            &["`..\\x`", message],
        ),
        (
            "content/alias-autre-hote.md:4:10: error: ",
            &["`//evil.example/x`", message],
        ),
        (
            "content/alias-detour.md:4:10: error: ",
            &["`/a/../../b`", message],
        ),
    ]);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_reported_and_the_other_articles_build() {
    use std::os::unix::fs::symlink;
    let mut sandbox = Sandbox::plain();
    let content = sandbox.site.join("content");
    symlink("..", content.join("boucle")).expect("symbolic link");
    sandbox.add(
        "content/a/dedans.md",
        b"---\ntitle: Dedans\ndate: 2025-04-02\n---\n\nCorps.\n",
    );
    symlink("../a", content.join("a/b")).expect("symbolic link");
    let (stdout, stderr) = sandbox.accepted(&[
        (
            "content/boucle: warning: ",
            &["symbolic link loop: it points to `..`", "not followed"],
        ),
        (
            "content/a/b: warning: ",
            &["symbolic link loop: it points to `../a`"],
        ),
    ]);
    assert!(stdout.starts_with("Built 3 articles"), "{stdout}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(sandbox.public().join("2025/04/dedans/index.html").is_file());

    // Another article's error is still reported as usual, alone.
    sandbox.add(
        "content/mauvais.md",
        b"---\ntitle: Mauvais\ndate: 2025-02-30\n---\n\nCorps.\n",
    );
    let stderr = sandbox.rejected(&[("content/mauvais.md:3:7: error: ", &["invalid `date`"])]);
    assert!(stderr.contains("1 error found"), "{stderr}");
}

#[test]
fn file_names_with_spaces_unicode_and_decomposed_accents_give_clean_slugs() {
    let mut sandbox = Sandbox::new("names");
    // `Été à Paris` with each accent a letter followed by a combining mark, as macOS writes.
    let decomposed = "E\u{301}te\u{301} a\u{300} Paris.md";
    assert_ne!(decomposed, "Été à Paris.md");
    sandbox.add(
        Path::new("content").join(decomposed),
        b"---\ntitle: Un autre \xc3\xa9t\xc3\xa9\ndate: 2025-07-01\n---\n\nCorps.\n",
    );
    let (stdout, _) = sandbox.accepted(&[]);
    assert!(stdout.starts_with("Built 5 articles"), "{stdout}");
    for page in [
        "2025/06/ete-a-paris/index.html",
        "2025/07/ete-a-paris/index.html",
        "2025/06/avec-des-espaces/index.html",
    ] {
        assert!(sandbox.public().join(page).is_file(), "{page} missing");
    }
}
