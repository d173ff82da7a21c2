//! Author profiles (`content/authors/<slug>.md`): on the author's page with `rel="me"` links,
//! in bylines, feeds and structured data; never articles themselves.

use serde_json::Value;

use crate::support::*;

const PAGE: &str = "authors/camille-martin/index.html";

#[test]
fn the_author_page_shows_the_profile_with_rel_me_links() {
    let built = build_fixture("news");
    let html = page(&built, PAGE);
    assert_eq!(text_of(one(&html, ".profile__role")), "Rédactrice en chef");
    assert_eq!(attr(&html, ".profile__avatar", "src"), "/images/hero.svg");
    assert_eq!(attr(&html, ".profile__avatar", "alt"), "Camille Martin");
    assert_eq!(
        text_of(one(&html, ".profile__bio strong")),
        "politique numérique"
    );
    assert_eq!(
        attrs(&html, "a[rel=me]", "href"),
        [
            "https://camille.example/",
            "https://mastodon.example/@camille",
            "https://github.com/camille-example"
        ],
        "in the order written"
    );
    assert_eq!(
        texts(&html, "a[rel=me]"),
        ["Site web", "Mastodon", "GitHub"]
    );
    // An author without a profile still has a page, without one.
    let ines = page(&built, "authors/ines-benali/index.html");
    assert!(all(&ines, ".profile").is_empty());
    assert_eq!(text_of(one(&ines, "h1")), "Inès Benali");
}

#[test]
fn bylines_and_structured_data_use_the_profile() {
    let built = build_fixture("news");
    let html = page(&built, "2025/02/sommet/index.html");
    assert_eq!(
        text_of(one(&html, ".article__meta .byline__role")),
        "(Rédactrice en chef)"
    );
    let script = one(&html, "script[type='application/ld+json']").inner_html();
    let items: Value = serde_json::from_str(&script).unwrap();
    let person = &items[0]["author"][0];
    assert_eq!(person["name"], "Camille Martin");
    assert_eq!(person["jobTitle"], "Rédactrice en chef");
    assert_eq!(person["image"], "https://news.example/images/hero.svg");
    assert_eq!(
        person["sameAs"],
        serde_json::json!([
            "https://camille.example/",
            "https://mastodon.example/@camille",
            "https://github.com/camille-example"
        ])
    );
}

#[test]
fn profiles_are_not_articles() {
    let built = build_fixture("news");
    for path in built.outputs.paths() {
        assert!(
            !path.contains("camille-martin") || path.starts_with("authors/camille-martin/"),
            "{path}"
        );
    }
    let entries = entry_titles(&feed(&built, "atom.xml"));
    assert!(
        !entries.iter().any(|t| t.contains("Camille")),
        "{entries:?}"
    );
    assert!(!text(&built, "sitemap.xml").contains("/authors/2025"));
    assert_eq!(built.site.articles.len(), 3, "sommet, école, rfc");
}

#[test]
fn the_profile_name_replaces_the_spelling_articles_use() {
    let dir = temp_site("news");
    let profile = dir.path().join("content/authors/camille-martin.md");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace("name: Camille Martin", "name: Camille Martin-Durand"),
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/sommet/index.html");
    assert_eq!(
        text_of(one(&html, ".article__meta a[rel=author]")),
        "Camille Martin-Durand"
    );
    let atom = feed(&built, "atom.xml");
    let sommet = atom
        .entries
        .iter()
        .find(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content.contains("Sommet"))
        })
        .unwrap();
    assert_eq!(sommet.authors[0].name, "Camille Martin-Durand");
    assert_eq!(
        sommet.authors[0].uri.as_deref(),
        Some("https://news.example/authors/camille-martin/")
    );
}

#[test]
fn a_bad_profile_is_reported_at_its_line() {
    let dir = temp_site("news");
    std::fs::write(
        dir.path().join("content/authors/ines-benali.md"),
        "---\nname: Inès Benali\nlinks:\n  mastodon: \"@ines@mastodon.example\"\nrole: [x\n---\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/authors/sarah-okafor.md"),
        "---\nname: Sarah Okafor\nlinks:\n  mastodon: \"@sarah@mastodon.example\"\n---\n",
    )
    .unwrap();
    let errors = diagnostics(&options(dir.path()));
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/authors/ines-benali.md:5:7:")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/authors/sarah-okafor.md:3:")
                && e.contains("absolute http(s) URL")),
        "{errors:#?}"
    );
}
