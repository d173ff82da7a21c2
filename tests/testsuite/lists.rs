//! List pages of the `news` fixture: home, tag index, term pages, pagination and summaries.

use crate::support::*;

const SOMMET: &str = "/2025/02/sommet/";
const RFC: &str = "/2025/02/rfc/";
const ECOLE: &str = "/2025/02/ecole/";

#[test]
fn home_is_paginated_by_paginate_by() {
    let built = build_fixture("news");
    assert_eq!(card_links(&built, "index.html"), [SOMMET, RFC]);
    assert_eq!(card_links(&built, "page/2/index.html"), [ECOLE]);
    assert!(!built.outputs.contains("/page/3/"));
    let first = page(&built, "index.html");
    assert_eq!(attr(&first, ".paginator a[rel=next]", "href"), "/page/2/");
    assert!(all(&first, ".paginator a[rel=prev]").is_empty());
    let second = page(&built, "page/2/index.html");
    assert_eq!(attr(&second, ".paginator a[rel=prev]", "href"), "/");
    assert!(all(&second, ".paginator a[rel=next]").is_empty());
}

#[test]
fn tag_spellings_share_one_slug() {
    let built = build_fixture("news");
    // "Intelligence Artificielle", "intelligence artificielle", "Intelligence artificielle".
    let index = page(&built, "tags/index.html");
    let links: Vec<(String, String)> = all(&index, ".term-list a")
        .into_iter()
        .map(|a| (a.attr("href").unwrap().to_string(), text_of(a)))
        .collect();
    let ia: Vec<&(String, String)> = links
        .iter()
        .filter(|(_, name)| name.to_lowercase() == "intelligence artificielle")
        .collect();
    assert_eq!(ia.len(), 1, "{links:?}");
    assert_eq!(ia[0].0, "/tags/intelligence-artificielle/");
    assert!(
        links
            .iter()
            .any(|(href, name)| href == "/tags/education/" && name == "Éducation"),
        "{links:?}"
    );
    assert_eq!(links.len(), 3, "IA, Éducation, Europe: {links:?}");
}

#[test]
fn tag_pages_list_exactly_their_articles_across_pages() {
    let built = build_fixture("news");
    assert_eq!(
        card_links(&built, "tags/intelligence-artificielle/index.html"),
        [SOMMET, RFC]
    );
    assert_eq!(
        card_links(&built, "tags/intelligence-artificielle/page/2/index.html"),
        [ECOLE]
    );
    assert!(
        !built
            .outputs
            .contains("/tags/intelligence-artificielle/page/3/")
    );
    let first = page(&built, "tags/intelligence-artificielle/index.html");
    assert_eq!(
        attr(&first, ".paginator a[rel=next]", "href"),
        "/tags/intelligence-artificielle/page/2/"
    );
    let second = page(&built, "tags/intelligence-artificielle/page/2/index.html");
    assert_eq!(
        attr(&second, ".paginator a[rel=prev]", "href"),
        "/tags/intelligence-artificielle/"
    );
    assert_eq!(card_links(&built, "tags/europe/index.html"), [SOMMET]);
    assert_eq!(card_links(&built, "tags/education/index.html"), [ECOLE]);
}

#[test]
fn category_and_author_pages_list_their_articles() {
    let built = build_fixture("news");
    assert_eq!(
        card_links(&built, "categories/politique/index.html"),
        [SOMMET]
    );
    assert_eq!(
        card_links(&built, "authors/camille-martin/index.html"),
        [SOMMET]
    );
    assert_eq!(
        card_links(&built, "authors/ines-benali/index.html"),
        [ECOLE]
    );
    assert_eq!(card_links(&built, "authors/sarah-okafor/index.html"), [RFC]);
    let html = page(&built, "authors/ines-benali/index.html");
    assert_eq!(text_of(one(&html, "h1")), "Inès Benali");
}

#[test]
fn summary_is_text_before_the_more_marker() {
    let built = build_fixture("news");
    let home = page(&built, "index.html");
    let card = card_summary(&home, SOMMET);
    let summary = text_of(card);
    assert_eq!(
        summary,
        "Premier paragraphe du sommet, seul dans le résumé."
    );
}

#[test]
fn summary_falls_back_to_the_description() {
    let built = build_fixture("news");
    let home = page(&built, "index.html");
    let card = card_summary(&home, RFC);
    assert_eq!(text_of(card), "English description used as summary.");
}

#[test]
fn summary_falls_back_to_the_first_paragraph() {
    let built = build_fixture("news");
    let home = page(&built, "page/2/index.html");
    let card = card_summary(&home, ECOLE);
    assert_eq!(
        text_of(card),
        "Premier paragraphe de la page école, qui sert de résumé."
    );
    assert!(
        card.select(&sel(".embed__facade")).next().is_none(),
        "the body's player is not part of the summary"
    );
}

#[test]
fn home_and_term_pages_link_their_feeds() {
    let built = build_fixture("news");
    let alternates = |path: &str| -> Vec<(String, String)> {
        let html = page(&built, path);
        all(&html, "head link[rel=alternate]")
            .into_iter()
            .map(|l| {
                (
                    l.attr("type").unwrap_or_default().to_string(),
                    l.attr("href").unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let expect = |dir: &str| {
        vec![
            (
                "application/atom+xml".to_string(),
                format!("https://news.example/{dir}atom.xml"),
            ),
            (
                "application/rss+xml".to_string(),
                format!("https://news.example/{dir}rss.xml"),
            ),
            (
                "application/feed+json".to_string(),
                format!("https://news.example/{dir}feed.json"),
            ),
        ]
    };
    assert_eq!(alternates("index.html"), expect(""));
    assert_eq!(alternates("tags/europe/index.html"), expect("tags/europe/"));
    assert_eq!(
        alternates("tags/intelligence-artificielle/page/2/index.html"),
        expect("tags/intelligence-artificielle/")
    );
    assert_eq!(
        alternates("categories/politique/index.html"),
        expect("categories/politique/")
    );
    assert_eq!(
        alternates("authors/sarah-okafor/index.html"),
        expect("authors/sarah-okafor/")
    );
    for (_, href) in alternates("tags/europe/index.html") {
        let path = href.strip_prefix("https://news.example/").unwrap();
        assert!(
            built.outputs.contains(path),
            "{href} is linked but not built"
        );
    }
}
