//! Sites in several languages: `[languages.<tag>]` gives a language its own part of the site
//! under `/<tag>/`, with its own home, tag pages, feeds and sitemaps, in its own language.

use crate::support::*;

/// The news fixture publishing English under `/en/`, with the summit story translated.
fn bilingual_site() -> tempfile::TempDir {
    let dir = temp_site("news");
    edit(&dir.path().join("site.toml"), |text| {
        format!(
            "{text}\n[languages.en]\ntitle = \"Fixture News in English\"\ndescription = \"The English edition.\"\n"
        )
    });
    edit(&dir.path().join("content/2025/sommet.md"), |text| {
        text.replacen("---\n", "---\ntranslation_key: sommet-ia\n", 1)
    });
    std::fs::write(
        dir.path().join("content/2025/summit.md"),
        "---\ntitle: AI summit in Paris\ndate: 2025-02-11T19:00:00+01:00\nlang: en\n\
         translation_key: sommet-ia\ntags: [Europe]\n---\n\nText.\n",
    )
    .unwrap();
    dir
}

#[test]
fn each_language_has_its_own_home_lists_and_feeds() {
    let dir = bilingual_site();
    let built = build_with(&options(dir.path()));
    // English articles live under /en/, French ones at the root.
    assert!(built.outputs.contains("/en/2025/02/rfc/"));
    assert!(built.outputs.contains("/en/2025/02/summit/"));
    assert!(!built.outputs.contains("/2025/02/rfc/"));
    assert_eq!(
        card_links_across_pages(&built, "en/index.html"),
        ["/en/2025/02/summit/", "/en/2025/02/rfc/"]
    );
    let root_cards = card_links_across_pages(&built, "index.html");
    assert!(
        root_cards.iter().all(|l| !l.starts_with("/en/")),
        "{root_cards:?}"
    );

    let home = page(&built, "en/index.html");
    assert_eq!(attr(&home, "html", "lang"), "en");
    assert_eq!(text_of(one(&home, ".brand")), "Fixture News in English");
    assert_eq!(attr(&home, ".brand", "href"), "/en/");
    assert_eq!(
        attr(&home, "meta[name=description]", "content"),
        "The English edition."
    );
    let europe = page(&built, "en/tags/europe/index.html");
    assert_eq!(
        card_links(&built, "en/tags/europe/index.html"),
        ["/en/2025/02/summit/"]
    );
    assert_eq!(attr(&europe, "html", "lang"), "en");
    assert!(built.outputs.contains("/en/tags/"));
    assert!(built.outputs.contains("/en/archives/"));
    assert!(
        !built.outputs.contains("/en/404.html"),
        "one not-found page"
    );

    let english = feed(&built, "en/atom.xml");
    assert_eq!(
        entry_links(&english),
        [
            "https://news.example/en/2025/02/summit/",
            "https://news.example/en/2025/02/rfc/"
        ]
    );
    let french = feed(&built, "atom.xml");
    assert!(entry_links(&french).iter().all(|l| !l.contains("/en/")));

    let robots = text(&built, "robots.txt");
    for sitemap in ["sitemap.xml", "en/sitemap.xml"] {
        assert!(
            robots.contains(&format!("Sitemap: https://news.example/{sitemap}")),
            "{robots}"
        );
    }
    // Nothing is two days old at the build's fixed clock: no news sitemap, and none named.
    for news in ["news-sitemap.xml", "en/news-sitemap.xml"] {
        assert!(built.outputs.get(news).is_none(), "{news}");
        assert!(!robots.contains(news), "{robots}");
    }
    let english_sitemap = sitemap_locs(&text(&built, "en/sitemap.xml"));
    assert!(english_sitemap.contains(&"https://news.example/en/2025/02/rfc/".to_string()));
    assert!(
        english_sitemap
            .iter()
            .all(|l| l.starts_with("https://news.example/en/"))
    );
}

#[test]
fn translations_link_across_languages() {
    let dir = bilingual_site();
    let built = build_with(&options(dir.path()));
    let french = page(&built, "2025/02/sommet/index.html");
    assert_eq!(
        attr(&french, "link[rel=alternate][hreflang=en]", "href"),
        "https://news.example/en/2025/02/summit/"
    );
    let english = page(&built, "en/2025/02/summit/index.html");
    assert_eq!(
        attr(&english, "link[rel=alternate][hreflang=fr]", "href"),
        "https://news.example/2025/02/sommet/"
    );
    assert_eq!(
        attr(&english, ".translations a", "href"),
        "/2025/02/sommet/"
    );
    assert_eq!(text_of(one(&english, ".translations a")), "Français");
}

#[test]
fn a_language_that_is_the_sites_own_is_an_error() {
    let dir = temp_site("news");
    let config = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[languages.fr]\ntitle = \"x\"\n")).unwrap();
    let errors = diagnostics(&options(dir.path()));
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("site.toml:") && e.contains("`fr`")),
        "{errors:#?}"
    );
}
