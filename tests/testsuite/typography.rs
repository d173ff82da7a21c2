//! French spacing: narrow no-break spaces in French prose, never in code, URLs or attributes,
//! and not in other languages unless the site asks.

use crate::support::*;

const NARROW: char = '\u{202f}';

/// An element's text as is: `text_of` folds white space, narrow spaces included.
fn raw_text(html: &scraper::Html, css: &str) -> String {
    one(html, css).text().collect()
}

fn write_article(dir: &std::path::Path, name: &str, lang: &str) {
    std::fs::write(
        dir.join(format!("content/2025/{name}.md")),
        format!(
            "---\ntitle: \"Pourquoi ? Parce que !\"\ndate: 2025-02-20\nlang: {lang}\n---\n\n\
             Vraiment ? « Oui » : c'est **sûr**! Voir https://exemple.fr/a?b=1 ou `a ? b`.\n\n\
             ```text\nx ? y : z\n```\n\n![Une image ?](/images/hero.svg)\n"
        ),
    )
    .unwrap();
}

#[test]
fn french_prose_gets_narrow_spaces_and_code_does_not() {
    let dir = temp_site("news");
    write_article(dir.path(), "francais", "fr");
    write_article(dir.path(), "english", "en");
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/francais/index.html");
    let prose = raw_text(&html, ".prose p");
    assert_eq!(
        prose,
        format!(
            "Vraiment{NARROW}? «{NARROW}Oui{NARROW}»{NARROW}: c’est sûr{NARROW}! Voir https://exemple.fr/a?b=1 ou a ? b."
        )
    );
    assert_eq!(text_of(one(&html, ".prose pre")).trim(), "x ? y : z");
    assert_eq!(attr(&html, ".prose img", "alt"), "Une image ?");
    let english = page(&built, "2025/02/english/index.html");
    assert!(!raw_text(&english, ".prose p").contains(NARROW));

    // A site can turn it off, or on for every language.
    let config = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}french_spacing = false\n")).unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/francais/index.html");
    assert!(!raw_text(&html, ".prose p").contains(NARROW));
    std::fs::write(&config, format!("{text}french_spacing = true\n")).unwrap();
    let built = build_with(&options(dir.path()));
    let english = page(&built, "2025/02/english/index.html");
    assert!(raw_text(&english, ".prose p").contains(NARROW));
}
