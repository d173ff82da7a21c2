//! Translations of one story share a `translation_key`: each links to the others with
//! `hreflang` alternates and a language switcher.

use crate::support::*;

/// The news fixture with the summit story translated into English and German.
fn translated_site() -> tempfile::TempDir {
    let dir = temp_site("news");
    edit(&dir.path().join("content/2025/sommet.md"), |text| {
        text.replacen("---\n", "---\ntranslation_key: sommet-ia\n", 1)
    });
    for (file, lang, title) in [
        ("summit", "en", "AI summit in Paris"),
        ("gipfel", "de", "KI-Gipfel in Paris"),
    ] {
        std::fs::write(
            dir.path().join(format!("content/2025/{file}.md")),
            format!(
                "---\ntitle: {title}\ndate: 2025-02-11T19:00:00+01:00\nlang: {lang}\ntranslation_key: sommet-ia\n---\n\nText.\n"
            ),
        )
        .unwrap();
    }
    dir
}

fn alternates(built: &kiosque::Built, path: &str) -> Vec<(String, String)> {
    let html = page(built, path);
    all(&html, "link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            (
                l.attr("hreflang").unwrap().to_string(),
                l.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn translations_link_to_each_other_both_ways() {
    let dir = translated_site();
    let built = build_with(&options(dir.path()));
    let all_three = [
        ("de", "https://news.example/2025/02/gipfel/"),
        ("en", "https://news.example/2025/02/summit/"),
        ("fr", "https://news.example/2025/02/sommet/"),
    ];
    for (lang, url) in all_three {
        let path = format!(
            "{}index.html",
            url.trim_start_matches("https://news.example/")
        );
        let mut found = alternates(&built, &path);
        found.sort();
        let expected: Vec<(String, String)> = all_three
            .iter()
            .map(|(l, u)| (l.to_string(), u.to_string()))
            .collect();
        assert_eq!(found, expected, "{lang}: itself and the two others");
        let html = page(&built, &path);
        let switcher: Vec<String> = attrs(&html, ".translations a", "hreflang");
        assert_eq!(switcher.len(), 2, "{lang}: {switcher:?}");
        assert!(!switcher.contains(&lang.to_string()));
    }
    let sommet = page(&built, "2025/02/sommet/index.html");
    assert_eq!(
        texts(&sommet, ".translations a"),
        ["Deutsch", "English"],
        "each language named in itself"
    );
    assert_eq!(attr(&sommet, ".translations a[hreflang=en]", "lang"), "en");
    // An article without translations has no alternates.
    assert!(alternates(&built, "2025/02/ecole/index.html").is_empty());
}

#[test]
fn two_versions_in_one_language_are_an_error() {
    let dir = translated_site();
    std::fs::write(
        dir.path().join("content/2025/summit-2.md"),
        "---\ntitle: Summit again\ndate: 2025-02-12\nlang: en\ntranslation_key: sommet-ia\n---\n\nText.\n",
    )
    .unwrap();
    let errors = diagnostics(&options(dir.path()));
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/2025/summit.md:5:")
                && e.contains("sommet-ia")
                && e.contains("summit-2.md")),
        "{errors:#?}"
    );
}
