//! A title `<script>alert(1)</script>` and a tag `<b>tag</b>` are text everywhere, never markup.

use crate::support::*;

const TITLE: &str = "<script>alert(1)</script>";
const TAG: &str = "<b>tag</b>";
const ARTICLE: &str = "2025/03/xss/index.html";
const TAG_DIR: &str = "tags/b-tag-b/";

fn assert_no_raw_markup(path: &str, raw: &str) {
    assert!(
        !raw.contains("<script>alert"),
        "{path} has an unescaped script:\n{raw}"
    );
    assert!(!raw.contains(TAG), "{path} has an unescaped <b>:\n{raw}");
}

#[test]
fn article_page_shows_title_and_tag_as_text() {
    let built = build_fixture("escaping");
    let raw = text(&built, ARTICLE);
    assert_no_raw_markup(ARTICLE, raw);
    let html = page(&built, ARTICLE);
    assert_eq!(text_of(one(&html, "h1")), TITLE);
    assert!(text_of(one(&html, "title")).starts_with(TITLE));
    assert_eq!(texts(&html, "a[rel=tag]"), [TAG]);
    assert!(all(&html, "main script").is_empty());
    assert!(all(&html, "main b").is_empty());
    assert!(
        all(&html, "script")
            .iter()
            .all(|s| s.attr("src").is_some() || s.attr("type") == Some("application/ld+json")),
        "only external scripts, and data"
    );
}

#[test]
fn home_tag_index_and_tag_page_show_them_as_text() {
    let built = build_fixture("escaping");
    for path in [
        "index.html".to_string(),
        "tags/index.html".to_string(),
        format!("{TAG_DIR}index.html"),
    ] {
        let raw = text(&built, &path);
        assert_no_raw_markup(&path, raw);
        let html = page(&built, &path);
        assert!(all(&html, "main b").is_empty(), "{path}");
        assert!(all(&html, "script:not([src])").is_empty(), "{path}");
    }
    let home = page(&built, "index.html");
    assert_eq!(texts(&home, ".card__title a"), [TITLE]);
    let index = page(&built, "tags/index.html");
    assert_eq!(texts(&index, ".term-list a"), [TAG]);
    let term = page(&built, &format!("{TAG_DIR}index.html"));
    assert_eq!(text_of(one(&term, "h1")), TAG);
    assert_eq!(texts(&term, ".card__title a"), [TITLE]);
}

#[test]
fn feeds_round_trip_the_title_as_text() {
    let built = build_fixture("escaping");
    for dir in ["", TAG_DIR] {
        for file in ["atom.xml", "rss.xml", "feed.json"] {
            let path = format!("{dir}{file}");
            if file != "feed.json" {
                // In XML, markup in text must be escaped; JSON strings carry it as plain text.
                assert_no_raw_markup(&path, text(&built, &path));
            }
            let feed = feed(&built, &path);
            assert_eq!(entry_titles(&feed), [TITLE], "{path}");
        }
    }
}

#[test]
fn tag_feed_titles_round_trip_the_tag_as_text() {
    let built = build_fixture("escaping");
    for file in ["atom.xml", "rss.xml", "feed.json"] {
        let path = format!("{TAG_DIR}{file}");
        let feed = feed(&built, &path);
        let title = feed.title.map(|t| t.content).unwrap_or_default();
        assert!(title.contains(TAG), "{path}: feed title {title:?}");
    }
}
