//! Feeds read back with feed-rs, as a feed reader would.

use feed_rs::model::FeedType;

use crate::support::*;

const FORMATS: [(&str, FeedType); 3] = [
    ("atom.xml", FeedType::Atom),
    ("rss.xml", FeedType::RSS2),
    ("feed.json", FeedType::JSON),
];

#[test]
fn site_feeds_list_every_published_article_with_absolute_links() {
    let built = build_fixture("news");
    for (file, kind) in FORMATS {
        let feed = feed(&built, file);
        assert_eq!(feed.feed_type, kind, "{file}");
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some("Fixture News"),
            "{file}"
        );
        assert_eq!(
            entry_links(&feed),
            [
                "https://news.example/2025/02/sommet/",
                "https://news.example/2025/02/rfc/",
                "https://news.example/2025/02/ecole/",
            ],
            "{file}"
        );
        assert_eq!(
            entry_titles(&feed),
            [
                "Sommet de l'IA à Paris",
                "An English article",
                "Programmer à l'école"
            ],
            "{file}"
        );
        for entry in &feed.entries {
            let published = entry.published.or(entry.updated);
            assert!(published.is_some(), "{file}: entry without a date");
        }
    }
}

#[test]
fn feed_entries_carry_dates_and_authors() {
    let built = build_fixture("news");
    for file in ["atom.xml", "feed.json"] {
        let feed = feed(&built, file);
        let first = &feed.entries[0];
        assert_eq!(
            first.published.map(|d| d.to_rfc3339()),
            Some("2025-02-11T17:30:00+00:00".to_string()),
            "{file}"
        );
        assert_eq!(
            first
                .authors
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
            ["Camille Martin"],
            "{file}"
        );
    }
}

#[test]
fn feed_content_has_absolute_links() {
    let built = build_fixture("news");
    let feed = feed(&built, "atom.xml");
    let content = feed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("atom entry content");
    assert!(
        content.contains("href=\"https://news.example/2025/02/ecole/\""),
        "{content}"
    );
    assert!(
        content.contains("src=\"https://news.example/images/hero.svg\""),
        "{content}"
    );
    assert!(!content.contains("href=\"/"), "{content}");
    assert!(!content.contains("src=\"/"), "{content}");
}

#[test]
fn every_tag_category_and_author_has_three_parsable_feeds() {
    let built = build_fixture("news");
    let folders = [
        ("tags/intelligence-artificielle/", 3),
        ("tags/europe/", 1),
        ("tags/education/", 1),
        ("categories/politique/", 1),
        ("authors/camille-martin/", 1),
        ("authors/ines-benali/", 1),
        ("authors/sarah-okafor/", 1),
    ];
    for (folder, count) in folders {
        for (file, kind) in FORMATS {
            let path = format!("{folder}{file}");
            let feed = feed(&built, &path);
            assert_eq!(feed.feed_type, kind, "{path}");
            assert_eq!(feed.entries.len(), count, "{path}");
            for link in entry_links(&feed) {
                assert!(
                    link.starts_with("https://news.example/2025/"),
                    "{path}: {link}"
                );
            }
        }
    }
}

#[test]
fn example_site_term_feeds_match_term_pages() {
    let built = example();
    let index = page(built, "tags/index.html");
    let mut folders: Vec<String> = attrs(&index, ".term-list a", "href");
    for path in built.outputs.paths() {
        if (path.starts_with("categories/") || path.starts_with("authors/"))
            && path.ends_with("/index.html")
            && !path.contains("/page/")
        {
            folders.push(format!("/{}", path.trim_end_matches("index.html")));
        }
    }
    assert!(folders.len() > 20, "{folders:?}");
    for folder in folders {
        let listed: Vec<String> = card_links_across_pages(built, &output_path(&folder))
            .into_iter()
            .map(|l| format!("https://kiosque.example{l}"))
            .collect();
        for (file, _) in FORMATS {
            let path = format!("{}{file}", folder.trim_start_matches('/'));
            let feed = feed(built, &path);
            assert_eq!(entry_links(&feed), listed, "{path}");
        }
    }
}

#[test]
fn example_site_feed_entries_match_the_home_pages() {
    let built = example();
    let listed: Vec<String> = card_links_across_pages(built, "index.html")
        .into_iter()
        .map(|l| format!("https://kiosque.example{l}"))
        .collect();
    for (file, _) in FORMATS {
        let feed = feed(built, file);
        assert_eq!(entry_links(&feed), listed, "{file}");
        for (entry, link) in feed.entries.iter().zip(&listed) {
            let path = output_path(link.strip_prefix("https://kiosque.example").unwrap());
            let html = page(built, &path);
            // White space folded as `text_of` folds it (French titles have narrow spaces).
            let title = entry
                .title
                .as_ref()
                .map(|t| t.content.split_whitespace().collect::<Vec<_>>().join(" "));
            assert_eq!(title, Some(text_of(one(&html, "h1"))), "{file}: {link}");
        }
    }
}

#[test]
fn an_imported_article_keeps_its_old_guid_as_entry_id() {
    let dir = temp_site("minimal");
    let guid = "https://ancien.example/?p=123";
    edit(&dir.path().join("content/2025/premier.md"), |text| {
        text.replacen("---\n", &format!("---\nguid: \"{guid}\"\n"), 1)
    });
    let built = build_with(&options(dir.path()));
    for path in ["atom.xml", "rss.xml", "feed.json"] {
        let feed = feed(&built, path);
        let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert!(ids.contains(&guid), "{path}: {ids:?}");
        assert!(
            ids.contains(&"https://minimal.example/2025/03/second/"),
            "{path}: the others keep their permalink: {ids:?}"
        );
    }
    let rss = text(&built, "rss.xml");
    assert!(
        rss.contains(&format!("<guid isPermaLink=\"false\">{guid}</guid>")),
        "{rss}"
    );
}
