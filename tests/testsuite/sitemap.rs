//! sitemap.xml, robots.txt and 404.html.

use std::collections::BTreeSet;

use kiosque::Built;

use crate::support::*;

/// Absolute URLs of every real page: HTML outputs except 404.html and alias redirects.
fn pages(built: &Built, base: &str) -> BTreeSet<String> {
    html_paths(built)
        .into_iter()
        // Neither the 404 page nor the search pages are for search engines.
        .filter(|path| {
            path != "404.html"
                && !path.ends_with("search/index.html")
                && !is_redirect(&page(built, path))
        })
        .map(|path| format!("{base}{}", path.trim_end_matches("index.html")))
        .collect()
}

#[test]
fn sitemap_lists_every_page_of_the_example_site() {
    let built = example();
    let locs = sitemap_locs(&text(built, "sitemap.xml"));
    let unique: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(unique.len(), locs.len(), "a URL listed twice");
    assert_eq!(unique, pages(built, "https://kiosque.example/"));
}

#[test]
fn sitemap_lists_every_page_of_a_fixture() {
    let built = build_fixture("news");
    let locs: BTreeSet<String> = sitemap_locs(&text(&built, "sitemap.xml"))
        .into_iter()
        .collect();
    assert_eq!(locs, pages(&built, "https://news.example/"));
    for expected in [
        "https://news.example/",
        "https://news.example/page/2/",
        "https://news.example/2025/02/sommet/",
        "https://news.example/tags/",
        "https://news.example/tags/intelligence-artificielle/page/2/",
        "https://news.example/categories/politique/",
        "https://news.example/authors/ines-benali/",
    ] {
        assert!(locs.contains(expected), "{expected} missing from {locs:#?}");
    }
    assert!(
        !locs.iter().any(|l| l.contains("ancien")),
        "no redirect page"
    );
}

#[test]
fn robots_txt_names_the_sitemap() {
    let built = build_fixture("news");
    let robots = text(&built, "robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == "Sitemap: https://news.example/sitemap.xml"),
        "{robots}"
    );
    assert!(robots.contains("User-agent:"), "{robots}");
}

#[test]
fn not_found_page_exists() {
    let built = build_fixture("minimal");
    let html = page(&built, "404.html");
    assert_eq!(attr(&html, "meta[name=robots]", "content"), "noindex");
    assert_eq!(text_of(one(&html, "h1")), "Page introuvable");
    assert_eq!(attr(&html, "a.button", "href"), "/");
}
