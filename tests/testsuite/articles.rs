//! Article pages of the `news` fixture: metadata, dates, hero image, table of contents.

use crate::support::*;

const SOMMET: &str = "2025/02/sommet/index.html";
const ECOLE: &str = "2025/02/ecole/index.html";
const RFC: &str = "2025/02/rfc/index.html";

#[test]
fn article_page_has_title_author_tags_and_category() {
    let built = build_fixture("news");
    let html = page(&built, SOMMET);
    assert_eq!(text_of(one(&html, "h1")), "Sommet de l'IA à Paris");
    assert_eq!(texts(&html, "a[rel=author]"), ["Camille Martin"]);
    assert_eq!(
        attrs(&html, "a[rel=author]", "href"),
        ["/authors/camille-martin/"]
    );
    assert_eq!(
        attrs(&html, ".tag-list a[rel=tag]", "href"),
        ["/tags/intelligence-artificielle/", "/tags/europe/"]
    );
    assert_eq!(
        attr(&html, ".article__header a.eyebrow", "href"),
        "/categories/politique/"
    );
    assert_eq!(attr(&html, "html", "lang"), "fr");
    assert_eq!(
        attr(&html, "link[rel=canonical]", "href"),
        "https://news.example/2025/02/sommet/"
    );
}

#[test]
fn article_without_author_gets_the_site_author() {
    let dir = temp_site("minimal");
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/premier/index.html");
    assert_eq!(texts(&html, "a[rel=author]"), ["Rédaction Minimal"]);
    assert!(built.outputs.contains("/authors/redaction-minimal/"));
}

#[test]
fn dates_are_localized_by_article_language() {
    let built = build_fixture("news");
    let fr = page(&built, SOMMET);
    assert_eq!(text_of(one(&fr, ".article__meta time")), "11 février 2025");
    let en = page(&built, RFC);
    assert_eq!(attr(&en, "html", "lang"), "en");
    assert_eq!(
        text_of(one(&en, ".article__meta time")),
        "February 11, 2025"
    );
    let date_only = page(&built, ECOLE);
    assert_eq!(
        text_of(one(&date_only, ".article__meta time")),
        "10 février 2025"
    );
}

#[test]
fn dates_without_offset_are_in_the_site_time_zone() {
    let built = build_fixture("news");
    // "2025-02-11 18:30" in Europe/Paris.
    let html = page(&built, SOMMET);
    assert_eq!(
        attr(&html, ".article__meta time", "datetime"),
        "2025-02-11T18:30:00+01:00"
    );
    // "2025-02-10": midnight in Europe/Paris.
    let html = page(&built, ECOLE);
    assert_eq!(
        attr(&html, ".article__meta time", "datetime"),
        "2025-02-10T00:00:00+01:00"
    );
}

#[test]
fn rfc3339_dates_keep_their_instant() {
    let built = build_fixture("news");
    let html = page(&built, RFC);
    let datetime = attr(&html, ".article__meta time", "datetime");
    let instant: jiff::Timestamp = datetime.parse().expect("RFC 3339");
    let written: jiff::Timestamp = "2025-02-11T03:15:00-05:00".parse().unwrap();
    assert_eq!(instant, written, "{datetime}");
}

#[test]
fn reading_time_is_shown_in_minutes() {
    let built = build_fixture("news");
    // `text_of` collapses whitespace, so the theme's no-break space reads as a space.
    // About 450 words at 220 words a minute.
    let long = page(&built, ECOLE);
    assert_eq!(
        text_of(one(&long, ".article__meta .reading-time")),
        "3 min de lecture"
    );
    let short = page(&built, SOMMET);
    assert_eq!(
        text_of(one(&short, ".article__meta .reading-time")),
        "1 min de lecture"
    );
    let english = page(&built, RFC);
    assert_eq!(
        text_of(one(&english, ".article__meta .reading-time")),
        "1 min read"
    );
}

#[test]
fn hero_image_has_alt_caption_and_credit() {
    let built = build_fixture("news");
    let html = page(&built, SOMMET);
    let img = one(&html, "figure.hero img");
    assert_eq!(img.attr("src"), Some("/images/hero.svg"));
    assert_eq!(img.attr("alt"), Some("Une tour stylisée"));
    let caption = text_of(one(&html, "figure.hero figcaption"));
    assert!(caption.contains("Le Grand Palais"), "{caption}");
    assert!(
        text_of(one(&html, "figure.hero figcaption .credit")).contains("Illustration Fixture"),
        "{caption}"
    );
    assert!(
        built.outputs.contains("/images/hero.svg"),
        "static/images/hero.svg is copied"
    );
}

#[test]
fn table_of_contents_folds_accents_and_numbers_duplicates() {
    let built = build_fixture("news");
    let html = page(&built, SOMMET);
    assert_eq!(
        attrs(&html, "nav.toc a", "href"),
        ["#education-nationale", "#contexte", "#contexte-1"]
    );
    assert_eq!(
        texts(&html, "nav.toc a"),
        ["Éducation nationale", "Contexte", "Contexte"]
    );
    assert_eq!(
        attrs(&html, ".prose h2[id]", "id"),
        ["education-nationale", "contexte", "contexte-1"]
    );
}

#[test]
fn previous_and_next_articles_are_linked() {
    let built = build_fixture("news");
    // Newest first: sommet (11 Feb 18:30), rfc (11 Feb 09:15), ecole (10 Feb).
    let middle = page(&built, RFC);
    assert_eq!(
        attr(&middle, ".pager a[rel=prev]", "href"),
        "/2025/02/ecole/"
    );
    assert_eq!(
        attr(&middle, ".pager a[rel=next]", "href"),
        "/2025/02/sommet/"
    );
    assert_eq!(
        text_of(one(&middle, ".pager a[rel=next] .pager__title")),
        "Sommet de l'IA à Paris"
    );
    let newest = page(&built, SOMMET);
    assert!(all(&newest, ".pager a[rel=next]").is_empty());
    assert_eq!(attr(&newest, ".pager a[rel=prev]", "href"), "/2025/02/rfc/");
    let oldest = page(&built, ECOLE);
    assert!(all(&oldest, ".pager a[rel=prev]").is_empty());
}

#[test]
fn aliases_produce_a_redirect_page() {
    let built = build_fixture("news");
    let html = page(&built, "ancien/sommet/index.html");
    let target = "https://news.example/2025/02/sommet/";
    assert_eq!(attr(&html, "link[rel=canonical]", "href"), target);
    let refresh = attr(&html, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh.replace(' ', ""), format!("0;url={target}"));
}

#[test]
fn body_links_and_images_are_root_relative() {
    let built = build_fixture("news");
    let html = page(&built, SOMMET);
    assert!(attrs(&html, ".prose a", "href").contains(&"/2025/02/ecole/".to_string()));
    assert_eq!(attrs(&html, ".prose img", "src"), ["/images/hero.svg"]);
}
