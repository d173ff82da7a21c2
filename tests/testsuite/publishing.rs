//! Drafts and future-dated articles: left out by default, built with the flags.

use kiosque::Built;

use crate::support::*;

const DRAFT: &str = "/2025/01/brouillon/";
const FUTURE: &str = "/2099/01/futur/";

fn mentions(built: &Built, needle: &str) -> Vec<String> {
    built
        .outputs
        .paths()
        .filter(|p| built.outputs.text(p).is_some_and(|t| t.contains(needle)))
        .map(str::to_string)
        .collect()
}

#[test]
fn drafts_and_future_articles_are_absent_by_default() {
    let built = build_fixture("news");
    assert!(!built.outputs.contains(DRAFT));
    assert!(!built.outputs.contains(FUTURE));
    assert_eq!(mentions(&built, "Brouillon secret"), Vec::<String>::new());
    assert_eq!(mentions(&built, "Article du futur"), Vec::<String>::new());
    assert_eq!(
        card_links(&built, "tags/europe/index.html"),
        ["/2025/02/sommet/"]
    );
}

#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let mut opts = options(fixture("news"));
    opts.drafts = true;
    let built = build_with(&opts);
    assert!(built.outputs.contains(DRAFT));
    assert!(!built.outputs.contains(FUTURE));
    let listed = card_links_across_pages(&built, "tags/intelligence-artificielle/index.html");
    assert!(listed.contains(&DRAFT.to_string()), "{listed:?}");
    assert!(!mentions(&built, "Brouillon secret").is_empty());
}

#[test]
fn future_articles_are_built_with_the_future_flag() {
    let mut opts = options(fixture("news"));
    opts.future = true;
    let built = build_with(&opts);
    assert!(built.outputs.contains(FUTURE));
    assert!(!built.outputs.contains(DRAFT));
    assert_eq!(
        card_links(&built, "tags/europe/index.html"),
        [FUTURE, "/2025/02/sommet/"]
    );
    let feed = feed(&built, "atom.xml");
    assert_eq!(entry_links(&feed)[0], "https://news.example/2099/01/futur/");
}

#[test]
fn future_is_relative_to_the_build_time() {
    let mut opts = options(fixture("news"));
    opts.now = Some("2099-06-01T00:00:00Z".parse().unwrap());
    let built = build_with(&opts);
    assert!(
        built.outputs.contains(FUTURE),
        "published once its date has passed"
    );
}

#[test]
fn cli_flags_include_drafts_and_future_articles() {
    let out = tempfile::tempdir().unwrap();
    let root = fixture("news");
    let plain = out.path().join("plain");
    let flagged = out.path().join("flagged");
    let run = |target: &std::path::Path, flags: &[&str]| {
        let mut args = vec![
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ];
        args.extend_from_slice(flags);
        let output = kiosque(&args);
        assert!(output.status.success(), "{}", stderr(&output));
    };
    run(&plain, &[]);
    run(&flagged, &["--drafts", "--future"]);
    assert!(plain.join("2025/02/sommet/index.html").is_file());
    assert!(!plain.join("2025/01/brouillon").exists());
    assert!(!plain.join("2099").exists());
    assert!(flagged.join("2025/01/brouillon/index.html").is_file());
    assert!(flagged.join("2099/01/futur/index.html").is_file());
}
