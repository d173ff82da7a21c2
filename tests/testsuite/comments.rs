//! Comment archives (`<article>.comments.yaml`, what the WordPress import writes): rendered
//! under the article as a threaded, accessible, static list with its count; sanitised;
//! hidden by `comments: false`; bad archives reported at their file; followed by `serve`.

use std::fs;

use crate::support::*;

const ARCHIVE: &str = "\
- id: 1
  author: Marie Dupont
  url: https://marie.example/
  date: 2025-02-03T10:00:00Z
  text: |
    Très bon article.

    Une question : et <b>la suite</b> ?
- id: 2
  author: Léo
  date: 2025-02-03 11:00:00
  parent: 1
  text: La suite arrive <script>alert(1)</script><a href=\"javascript:alert(2)\">demain</a>.
- id: 3
  author: مريم
  date: 2025-02-03T12:00:00Z
  parent: 2
  text: <p>Merci ! 👍</p>
- id: 4
  author: Paul
  date: 2025-02-03T09:00:00Z
  text: Premier !
";

fn site_with_comments() -> tempfile::TempDir {
    let dir = temp_site("minimal");
    fs::write(
        dir.path().join("content/2025/premier.comments.yaml"),
        ARCHIVE,
    )
    .unwrap();
    dir
}

#[test]
fn comments_are_shown_threaded_under_the_article() {
    let dir = site_with_comments();
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/premier/index.html");
    let section = one(&html, "section.comments");
    assert_eq!(
        section.value().attr("aria-labelledby"),
        Some("comments-title")
    );
    assert_eq!(text_of(one(&html, "#comments-title")), "4 commentaires");
    // Top level oldest first: Paul (09:00), then Marie's thread.
    let top: Vec<String> = all(&html, ".comments__list > li.comment")
        .into_iter()
        .map(|li| li.value().attr("id").unwrap_or_default().to_string())
        .collect();
    assert_eq!(top, ["comment-4", "comment-1"]);
    let nested = |css: &str| !all(&html, css).is_empty();
    assert!(nested("#comment-1 > ol.comments__replies > #comment-2"));
    assert!(nested("#comment-2 > ol.comments__replies > #comment-3"));
    assert_eq!(
        attr(&html, "#comment-1 .comment__author a", "href"),
        "https://marie.example/"
    );
    assert!(
        attr(&html, "#comment-1 .comment__author a", "rel").contains("ugc"),
        "readers' links are not endorsed"
    );
    assert_eq!(
        texts(&html, "#comment-1 > article .comment__text p"),
        ["Très bon article.", "Une question : et la suite ?"]
    );
    assert_eq!(
        attr(&html, "#comment-3 time", "datetime"),
        "2025-02-03T13:00:00+01:00"
    );
    assert!(text_of(one(&html, "#comment-3-author")).contains("مريم"));
    let text = text(&built, "2025/02/premier/index.html");
    assert!(text.contains("Merci ! 👍"));
    for gone in ["<script>alert(1)", "javascript:"] {
        assert!(!text.contains(gone), "{gone}");
    }
    // The other article has no archive, and shows no empty section.
    let second = page(&built, "2025/03/second/index.html");
    assert!(all(&second, "section.comments").is_empty());
}

#[test]
fn comments_false_hides_them() {
    let dir = site_with_comments();
    edit(&dir.path().join("content/2025/premier.md"), |text| {
        text.replacen("---\n", "---\ncomments: false\n", 1)
    });
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/premier/index.html");
    assert!(all(&html, "section.comments").is_empty());
}

#[test]
fn a_bad_archive_is_an_error_at_its_file() {
    let dir = temp_site("minimal");
    fs::write(
        dir.path().join("content/2025/premier.comments.yaml"),
        "- id: 1\n  author: A\n  email: a@example.org\n  date: 2025-02-03T10:00:00Z\n  text: x\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/2025/premier.comments.yaml:")
                && d.contains("invalid comment archive")),
        "{found:#?}"
    );
    fs::write(
        dir.path().join("content/2025/premier.comments.yaml"),
        "- id: 1\n  author: A\n  date: demain\n  text: x\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.contains("invalid comment 1") && d.contains("`demain`")),
        "{found:#?}"
    );
}

#[test]
fn serve_follows_an_archive_edited_created_and_deleted() {
    let dir = temp_site("minimal");
    let mut site = Following::start(options(dir.path()));
    let archive = "content/2025/premier.comments.yaml";
    fs::write(dir.path().join(archive), ARCHIVE).unwrap();
    let written = site.changed(archive, "archive created");
    assert!(
        written.contains(&"2025/02/premier/index.html".to_string()),
        "{written:?}"
    );
    fs::write(
        dir.path().join(archive),
        ARCHIVE.replace("Premier !", "Second !"),
    )
    .unwrap();
    site.changed(archive, "archive edited");
    fs::remove_file(dir.path().join(archive)).unwrap();
    site.changed(archive, "archive deleted");
    let page = site.outputs.text("2025/02/premier/index.html").unwrap();
    assert!(!page.contains("comments__list"));
}
