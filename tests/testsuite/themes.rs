//! Themes: the built-in default theme, and a site's own templates/ and static/ overriding it.

use crate::support::*;

fn theme_file(path: &str) -> Vec<u8> {
    std::fs::read(example_root().join("themes/default").join(path)).expect("theme file")
}

#[test]
fn fixtures_have_no_themes_folder() {
    for name in [
        "minimal",
        "news",
        "overrides",
        "escaping",
        "embeds",
        "code",
        "images",
        "comments",
        "around",
        "newsletter",
        "search",
        "share",
    ] {
        assert!(
            !fixture(name).join("themes").exists(),
            "{name} must rely on the built-in theme"
        );
    }
}

#[test]
fn site_without_themes_folder_uses_the_built_in_default_theme() {
    let built = build_fixture("minimal");
    assert_eq!(
        built.outputs.get("style.css"),
        Some(theme_file("static/style.css").as_slice())
    );
    assert_eq!(
        built.outputs.get("embed.js"),
        Some(theme_file("static/embed.js").as_slice())
    );
    let html = page(&built, "2025/02/premier/index.html");
    assert_eq!(attr(&html, "link[rel=stylesheet]", "href"), "/style.css");
    assert_eq!(text_of(one(&html, "h1.article__title")), "Premier article");
    // French strings from the theme's i18n/fr.toml.
    assert_eq!(text_of(one(&html, "a.skip-link")), "Aller au contenu");
}

#[test]
fn site_template_overrides_the_theme_and_sees_extra_keys() {
    let built = build_fixture("overrides");
    let html = page(&built, "2025/04/source/index.html");
    assert_eq!(
        text_of(one(&html, "h1.override__title")),
        "Article with a source"
    );
    assert_eq!(
        text_of(one(&html, ".override__source")),
        "https://example.org/original-story"
    );
    assert_eq!(
        attr(&html, ".override__source a", "href"),
        "https://example.org/original-story"
    );
    assert_eq!(text_of(one(&html, ".override__rating")), "4");
    assert!(
        all(&html, ".article__title").is_empty(),
        "theme article.html not used"
    );
    // The override extends the theme's base.html, which still applies.
    assert_eq!(attr(&html, "link[rel=stylesheet]", "href"), "/style.css");
    // Other templates still come from the theme.
    let home = page(&built, "index.html");
    assert_eq!(texts(&home, ".card__title a"), ["Article with a source"]);
    assert_eq!(text_of(one(&home, "h1")), "Latest news");
}

#[test]
fn site_static_file_overrides_the_themes() {
    let built = build_fixture("overrides");
    let css = text(&built, "style.css");
    assert!(css.starts_with("/* site-level stylesheet"), "{css}");
    assert_eq!(
        built.outputs.get("embed.js"),
        Some(theme_file("static/embed.js").as_slice()),
        "files the site does not override still come from the theme"
    );
}

#[test]
fn a_sites_strings_replace_the_themes_key_by_key() {
    let dir = temp_site("news");
    std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/fr.toml"),
        "related = \"Sur le même sujet\"\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/sommet/index.html");
    assert_eq!(text_of(one(&html, ".related h2")), "Sur le même sujet");
    assert_eq!(
        text_of(one(&html, ".article__meta .byline"))
            .split_whitespace()
            .next(),
        Some("Par"),
        "the other strings stay the theme's"
    );
    std::fs::write(dir.path().join("i18n/fr.toml"), "related = [\n").unwrap();
    let errors = diagnostics(&options(dir.path()));
    assert!(
        errors.iter().any(|e| e.starts_with("i18n/fr.toml:")),
        "{errors:#?}"
    );
}
