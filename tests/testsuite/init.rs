//! `kiosque init`: a new site, for each host, builds and passes `kiosque check` at once; the
//! command asks nothing when told everything and never waits without a terminal; it refuses
//! a folder with files and never replaces one. `kiosque new article` and `new page` use the
//! site's language and time zone.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{heavy, kiosque, stderr};

/// Every `--host`, and none.
pub(crate) const HOSTS: [Option<&str>; 7] = [
    None,
    Some("github"),
    Some("gitlab"),
    Some("netlify"),
    Some("cloudflare"),
    Some("rsync"),
    Some("s3"),
];

/// The files `--host` adds to the site.
pub(crate) fn host_files(host: Option<&str>) -> &'static [&'static str] {
    match host {
        None => &[],
        Some("github" | "cloudflare") => &[".github/workflows/publish.yml"],
        Some("gitlab") => &[".gitlab-ci.yml"],
        Some("netlify") => &["netlify.toml"],
        Some(_) => &["deploy.sh"],
    }
}

/// Runs `kiosque init` into `dir` with every answer given, standard input closed.
pub(crate) fn init(dir: &Path, language: &str, host: Option<&str>) {
    let mut args = vec![
        "init",
        dir.to_str().expect("UTF-8 path"),
        "--title",
        "Le Petit Écho: \"news\"",
        "--language",
        language,
        "--base-url",
        "https://echo.example/news/",
        "--timezone",
        "Europe/Paris",
    ];
    if let Some(host) = host {
        args.extend(["--host", host]);
    }
    let output = kiosque(&args);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Every file under a folder, relative to it, `.git` left out.
fn tree(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).expect("under the folder");
            relative.to_string_lossy().into_owned()
        })
        .collect();
    files.sort();
    files
}

/// Runs `kiosque build` then `kiosque check` on a site; the check must find nothing.
pub(crate) fn build_and_check(root: &Path) {
    let root = root.to_str().expect("UTF-8 path");
    let built = kiosque(&["build", "--root", root]);
    assert!(built.status.success(), "{}", stderr(&built));
    let checked = kiosque(&["check", "--root", root]);
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{report}{}", stderr(&checked));
    assert!(report.contains(": 0 errors, 0 warnings"), "{report}");
}

#[test]
fn a_new_site_for_each_host_builds_and_passes_check() {
    // Many processes and builds: not beside the tests that time the preview.
    let _alone = heavy();
    let year = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Paris").expect("zone"))
        .year();
    for host in HOSTS {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        init(&root, "fr", host);
        let mut expected: Vec<String> = [
            ".gitignore",
            "site.toml",
            &format!("content/{year}/bienvenue.md"),
            "content/authors/la-redaction.md",
            "content/pages/a-propos.md",
            "content/pages/mentions-legales.md",
            "static/images/welcome.svg",
        ]
        .iter()
        .chain(host_files(host))
        .map(|s| s.to_string())
        .collect();
        expected.sort();
        assert_eq!(tree(&root), expected, "--host {host:?}");
        build_and_check(&root);
        let public = root.join("public");
        let article = fs::read_dir(public.join(year.to_string()))
            .expect("the year's folder")
            .flatten()
            .map(|month| month.path().join("bienvenue/index.html"))
            .find(|page| page.is_file())
            .expect("the first article's page");
        let html = scraper::Html::parse_document(&fs::read_to_string(article).expect("page"));
        let hero = crate::support::one(&html, "figure img");
        assert!(hero.attr("alt").is_some_and(|a| !a.is_empty()));
        assert!(
            !crate::support::all(
                &html,
                "[data-provider=youtube], .embed--youtube, a[href*='youtube']"
            )
            .is_empty()
        );
        assert!(public.join("a-propos/index.html").is_file());
        assert!(public.join("mentions-legales/index.html").is_file());
        assert!(public.join("authors/la-redaction/index.html").is_file());
        #[cfg(unix)]
        if host_files(host) == ["deploy.sh"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(root.join("deploy.sh"))
                .expect("script")
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111, "deploy.sh is executable");
        }
    }
}

#[test]
fn an_english_site_and_one_in_a_language_the_theme_lacks_build_and_pass_check() {
    // Many processes and builds: not beside the tests that time the preview.
    let _alone = heavy();
    for language in ["en", "de"] {
        let dir = tempfile::tempdir().expect("temporary folder");
        init(dir.path(), language, None);
        assert!(
            dir.path().join("content/pages/about.md").is_file(),
            "{language}"
        );
        build_and_check(dir.path());
        let home = fs::read_to_string(dir.path().join("public/index.html")).expect("home");
        assert!(
            home.contains(&format!("<html lang=\"{language}\"")),
            "{language}"
        );
    }
}

#[test]
fn without_a_terminal_nothing_is_asked_and_nothing_waited_for() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("gazette");
    // Standard input open and silent: a command reading it would wait forever.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["init", root.to_str().expect("UTF-8 path")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kiosque runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("kiosque init waited for input without a terminal");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.stdin.take().map(|mut s| s.write_all(b""));
    assert!(status.success());
    let toml = fs::read_to_string(root.join("site.toml")).expect("site.toml");
    assert!(toml.contains("title = \"gazette\""), "{toml}");
    assert!(toml.contains("language = \"en\""), "{toml}");
    build_and_check(&root);
}

#[test]
fn a_folder_with_files_is_refused_without_force_and_no_file_is_ever_replaced() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    // Dotfiles only (a fresh `git init`) count as empty.
    fs::create_dir(root.join(".git")).expect("folder");
    fs::write(root.join("notes.txt"), "mine").expect("file");
    let refused = kiosque(&["init", root.to_str().expect("UTF-8 path"), "--title", "T"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("is not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(tree(root), ["notes.txt"], "nothing written");

    fs::write(
        root.join("site.toml"),
        "title = \"Mine\"\nbase_url = \"https://mine.example/\"\n",
    )
    .expect("file");
    let forced = kiosque(&[
        "init",
        root.to_str().expect("UTF-8 path"),
        "--force",
        "--title",
        "T",
    ]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let said = String::from_utf8_lossy(&forced.stdout);
    assert!(said.contains("Kept"), "{said}");
    assert_eq!(
        fs::read_to_string(root.join("site.toml")).expect("site.toml"),
        "title = \"Mine\"\nbase_url = \"https://mine.example/\"\n"
    );
    assert_eq!(
        fs::read_to_string(root.join("notes.txt")).expect("notes"),
        "mine"
    );
    assert!(root.join("content/pages/about.md").is_file());
}

#[test]
fn invalid_answers_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    for (flag, value) in [
        ("--language", "français"),
        ("--base-url", "echo.example"),
        ("--timezone", "Mars/Olympus"),
        ("--host", "geocities"),
    ] {
        let output = kiosque(&[
            "init",
            root.to_str().expect("UTF-8 path"),
            "--title",
            "T",
            flag,
            value,
        ]);
        assert!(!output.status.success(), "{flag} {value}");
        assert!(
            stderr(&output).contains(value) || flag == "--host",
            "{}",
            stderr(&output)
        );
        assert!(!root.exists(), "{flag}: nothing written");
    }
}

fn new_file(root: &Path, args: &[&str]) -> PathBuf {
    let mut all = vec!["new"];
    all.extend(args);
    all.extend(["--root", root.to_str().expect("UTF-8 path")]);
    let output = kiosque(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    PathBuf::from(said.trim().strip_prefix("Created ").expect("the file made"))
}

#[test]
fn new_article_and_new_page_use_the_sites_language_and_time_zone() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    init(root, "fr", None);
    // Fourteen hours ahead of UTC: the date says so, and so may the year.
    crate::support::edit(&root.join("site.toml"), |t| {
        t.replace(
            "timezone = \"Europe/Paris\"",
            "timezone = \"Pacific/Kiritimati\"",
        )
    });
    let now = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Pacific/Kiritimati").expect("zone"));
    let article = new_file(root, &["article", "Élections : le vote en ligne"]);
    assert_eq!(
        article,
        root.join(format!(
            "content/{}/elections-le-vote-en-ligne.md",
            now.year()
        ))
    );
    let text = fs::read_to_string(&article).expect("article");
    assert!(text.contains("+14:00\""), "{text}");
    assert!(
        text.contains("title: \"Élections : le vote en ligne\""),
        "{text}"
    );
    assert!(text.contains("draft: true"), "{text}");
    assert!(text.contains("Le texte de l'article"), "{text}");
    assert!(!text.contains("lang:"), "{text}");

    let page = new_file(root, &["page", "Contact"]);
    assert_eq!(page, root.join("content/pages/contact.md"));
    let text = fs::read_to_string(&page).expect("page");
    assert!(text.contains("Le texte de la page"), "{text}");
    let english = new_file(root, &["page", "Contact us", "--lang", "en"]);
    let text = fs::read_to_string(&english).expect("page");
    assert!(
        text.contains("lang: \"en\"") && text.contains("The page's text"),
        "{text}"
    );

    // Drafts build and pass the check once published.
    let root_str = root.to_str().expect("UTF-8 path");
    let checked = kiosque(&["check", "--root", root_str, "--drafts"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    // A second file of the same title is refused, the first kept.
    let again = kiosque(&["new", "page", "Contact", "--root", root_str]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}
