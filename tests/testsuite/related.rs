//! Related stories under each article and the archives page.

use crate::support::*;

fn related_links(built: &kiosque::Built, path: &str) -> Vec<String> {
    attrs(&page(built, path), ".related a", "href")
}

#[test]
fn articles_list_the_stories_sharing_the_most_with_them() {
    let built = build_fixture("news");
    // Each shares one tag with the others; on a tie the newer comes first.
    assert_eq!(
        related_links(&built, "2025/02/sommet/index.html"),
        ["/2025/02/rfc/", "/2025/02/ecole/"]
    );
    assert_eq!(
        related_links(&built, "2025/02/ecole/index.html"),
        ["/2025/02/sommet/", "/2025/02/rfc/"]
    );
    let html = page(&built, "2025/02/sommet/index.html");
    assert_eq!(text_of(one(&html, ".related h2")), "À lire aussi");
    assert_eq!(
        attr(&html, ".related__item[lang]", "lang"),
        "en",
        "the English story is marked as such"
    );
}

#[test]
fn related_stories_can_be_limited_or_turned_off() {
    let dir = temp_site("news");
    let config = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}related = 1\n")).unwrap();
    let built = build_with(&options(dir.path()));
    assert_eq!(
        related_links(&built, "2025/02/sommet/index.html"),
        ["/2025/02/rfc/"]
    );
    std::fs::write(&config, format!("{text}related = 0\n")).unwrap();
    let built = build_with(&options(dir.path()));
    assert!(all(&page(&built, "2025/02/sommet/index.html"), ".related").is_empty());
}

#[test]
fn the_archives_list_every_article_by_year_and_month() {
    let built = build_fixture("news");
    let html = page(&built, "archives/index.html");
    assert_eq!(text_of(one(&html, "h1")), "Archives");
    assert_eq!(texts(&html, ".archive-year h2"), ["2025"]);
    assert_eq!(texts(&html, ".archive-year h3"), ["février 2025"]);
    assert_eq!(
        attrs(&html, ".archive-list a", "href"),
        ["/2025/02/sommet/", "/2025/02/rfc/", "/2025/02/ecole/"]
    );
    assert_eq!(attr(&html, ".archive-list li[lang]", "lang"), "en");
    let home = page(&built, "index.html");
    assert!(attrs(&home, "footer a", "href").contains(&"/archives/".to_string()));
}
