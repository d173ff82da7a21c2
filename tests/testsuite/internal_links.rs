//! Internal links by source path, `[text](@/2025/sommet-ia.md#investissements)`: resolved to
//! the target's URL at build time, an error where written when the target or its anchor is
//! missing, and kept current by incremental rebuilds when the target moves.

use std::fs;

use kiosque::output::Outputs;
use kiosque::serve::changes::update;
use kiosque::{BuildOptions, Project};

use crate::support::*;

const LINKS: &str = "2025/02/liens/index.html";

#[test]
fn a_source_path_becomes_the_articles_url_with_its_anchor() {
    let built = build_fixture("check");
    let html = page(&built, LINKS);
    let hrefs = attrs(&html, "main a", "href");
    assert!(
        hrefs.contains(&"/2025/02/sommet-ia/#investissements".to_string()),
        "{hrefs:?}"
    );
    assert!(!hrefs.iter().any(|h| h.starts_with('@')), "{hrefs:?}");
    // The anchor is the target's heading.
    let target = page(&built, "2025/02/sommet-ia/index.html");
    assert_eq!(attrs(&target, "h2#investissements", "id").len(), 1);
}

#[test]
fn the_url_has_the_base_path() {
    let mut options = options(fixture("check"));
    options.base_url = Some("https://check.example/news/".to_string());
    let built = build_with(&options);
    let hrefs = attrs(&page(&built, LINKS), "main a", "href");
    assert!(
        hrefs.contains(&"/news/2025/02/sommet-ia/#investissements".to_string()),
        "{hrefs:?}"
    );
}

#[test]
fn a_link_to_no_article_no_anchor_or_an_unpublished_article_fails_the_build_where_written() {
    let dir = temp_site("check");
    fs::write(
        dir.path().join("content/2025/brouillon.md"),
        "---\ntitle: Brouillon\ndate: 2025-02-01\ndraft: true\n---\n\nPas encore.\n",
    )
    .unwrap();
    edit(&dir.path().join("content/2025/doublon.md"), |text| {
        format!(
            "{text}[a](@/2025/absent.md) [b](@/2025/sommet-ia.md#budget)\n\
             [c](@/2025/brouillon.md) [d](@/2099/futur.md) [e](@/2025/sommet-ia.md#regulation)\n"
        )
    });
    let found = diagnostics(&options(dir.path()));
    let expected = [
        "content/2025/doublon.md:7:1: error: broken link `@/2025/absent.md`: there is no article content/2025/absent.md",
        "content/2025/doublon.md:7:23: error: broken link `@/2025/sommet-ia.md#budget`: content/2025/sommet-ia.md has no heading or id `budget`",
        "content/2025/doublon.md:8:1: error: broken link `@/2025/brouillon.md`: content/2025/brouillon.md is a draft, left out of this build",
        "content/2025/doublon.md:8:26: error: broken link `@/2099/futur.md`: content/2099/futur.md is scheduled for 2099-01-01 00:00 +01:00, left out of this build",
    ];
    assert_eq!(found, expected);

    // The CLI says so and writes nothing.
    let output = kiosque(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(expected[0]), "{}", stderr(&output));
    assert!(!dir.path().join("public").exists());

    // With --drafts and --future, those two are published and their links work.
    let mut all = options(dir.path());
    all.drafts = true;
    all.future = true;
    assert_eq!(diagnostics(&all), expected[..2]);
}

/// Loads a copy of a fixture as `serve` does, and hands out its outputs.
fn session(fixture: &str) -> (tempfile::TempDir, BuildOptions, Project, Outputs) {
    let dir = temp_site(fixture);
    let options = options(dir.path());
    let mut project = Project::load(&options).expect("loads");
    let mut outputs = Outputs::default();
    outputs.apply(project.render().expect("builds"));
    (dir, options, project, outputs)
}

#[test]
fn when_the_target_moves_the_linking_page_follows_and_when_it_goes_it_is_an_error() {
    let (dir, options, mut project, mut outputs) = session("check");
    let target = "content/2025/sommet-ia.md";
    edit(&dir.path().join(target), |text| {
        text.replace("tags: [\"IA\"]", "tags: [\"IA\"]\nslug: sommet-de-paris")
    });
    update(&mut project, &[target.into()]).expect("site.toml is fine");
    let patch = project.render().expect("builds");
    let written: Vec<&str> = patch.files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(written.contains(&LINKS), "{written:?}");
    outputs.apply(patch);
    let fresh = build_with(&options).outputs;
    assert_eq!(outputs.get(LINKS), fresh.get(LINKS));
    let hrefs = attrs(&page(&build_with(&options), LINKS), "main a", "href");
    assert!(
        hrefs.contains(&"/2025/02/sommet-de-paris/#investissements".to_string()),
        "{hrefs:?}"
    );

    // The heading linked to is renamed: the link is now broken.
    edit(&dir.path().join(target), |text| {
        text.replace("## Investissements", "## Budget")
    });
    update(&mut project, &[target.into()]).expect("site.toml is fine");
    let errors: Vec<String> = project
        .render()
        .expect_err("a broken anchor fails")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "content/2025/liens.md:6:4: error: broken link `@/2025/sommet-ia.md#investissements`: content/2025/sommet-ia.md has no heading or id `investissements`"
        ]
    );

    // The target is deleted: the link leads nowhere.
    fs::remove_file(dir.path().join(target)).unwrap();
    update(&mut project, &[target.into()]).expect("site.toml is fine");
    let errors = project.render().expect_err("a link to nothing fails");
    assert!(
        errors[0]
            .to_string()
            .contains("there is no article content/2025/sommet-ia.md"),
        "{errors:?}"
    );
}
