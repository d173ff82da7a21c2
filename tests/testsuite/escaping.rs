//! Escaping, proved for every output format. The `escaping` fixture puts a payload (`</script>`,
//! `<script>`, `"onload="`, `]]>`, `<!--`, `&amp;`) in every front matter value that reaches
//! output: title, description, author, tags, category, image src, alt, caption and credit, an
//! embed's title, translations, an author profile (name, role, avatar, links, bio) and the
//! site's title, description and author. Each must come back as the same text from every HTML
//! page (scraper), every JSON-LD block and JSON Feed (serde_json), every Atom and RSS feed
//! (feed-rs, and quick-xml for well-formedness), the sitemaps and robots.txt, and never as
//! markup. The older article keeps a title `<script>alert(1)</script>` and a tag `<b>tag</b>`.

use std::collections::BTreeMap;

use kiosque::Built;
use scraper::{Html, node::Node};
use serde_json::Value;

use crate::support::*;

const TITLE: &str = "<script>alert(1)</script>";
const TAG: &str = "<b>tag</b>";
const ARTICLE: &str = "2025/03/xss/index.html";
const TAG_DIR: &str = "tags/b-tag-b/";

/// The page of the article carrying a payload in every field.
const EVERYTHING: &str = "2025/03/everything/index.html";
/// Its URL.
const EVERYTHING_URL: &str = "https://escaping.example/2025/03/everything/";
/// The author page of its author, who has a profile.
const AUTHOR_PAGE: &str =
    "authors/author-script-script-alert-author-script-onload-alert-1-amp/index.html";
/// Values that are URLs, which cannot hold every part of a payload.
const SRC: &str = "/images/hero.png?x=\"onload=\"alert('src')</script>]]>";
const AVATAR: &str = "https://cdn.escaping.example/a.png?x=\"onload=\"alert('avatar')</script>]]>";
const LINK: &str = "https://author.escaping.example/\"onload=\"alert('link')</script>]]>";

/// The payload of one field, as the fixture writes it: `payload("Title")` is the title.
fn payload(label: &str) -> String {
    format!(
        "{label} </script><script>alert('{}')</script> \"onload=\"alert(1) ]]> <!-- &amp;",
        label.to_lowercase()
    )
}

/// The fixture built once in memory.
fn built() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| build_fixture("escaping"))
}

/// The title of the French translation, as the model holds it (French spacing applied).
fn translation_title(built: &Built) -> String {
    let article = built
        .site
        .articles
        .iter()
        .find(|a| a.lang == "fr")
        .expect("the translation");
    article.title.clone()
}

/// Each field's whole value by the word its `alert('…')` names: wherever that word shows,
/// the whole value must be there too, or markup cut it.
fn whole_values(built: &Built) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = [
        "Site",
        "About",
        "Desk",
        "Title",
        "Tag",
        "Category",
        "Description",
        "Alt",
        "Caption",
        "Credit",
        "Embed",
        "Profile",
        "Role",
        "Network",
        "File",
    ]
    .iter()
    .map(|label| (label.to_lowercase(), payload(label)))
    .collect();
    values.insert("translation".into(), translation_title(built));
    values.insert("src".into(), SRC.into());
    values.insert("avatar".into(), AVATAR.into());
    values.insert("link".into(), LINK.into());
    values
}

/// Asserts that every payload word in `text` comes with its whole value.
fn assert_whole(path: &str, what: &str, text: &str, values: &BTreeMap<String, String>) {
    for (at, _) in text.match_indices("alert('") {
        let word: String = text[at + 7..].chars().take_while(|c| *c != '\'').collect();
        // The article bodies are Markdown, checked on their own.
        if matches!(word.as_str(), "body" | "bio") {
            continue;
        }
        let whole = values
            .get(&word)
            .unwrap_or_else(|| panic!("{path}: unknown payload {word:?} in {what}: {text:?}"));
        assert!(
            text.contains(whole.as_str()),
            "{path}: {what} holds part of the `{word}` payload, not all of it:\n{text:?}\n\
             expected it to contain {whole:?}"
        );
    }
}

/// What must hold of every HTML page: no script but external ones and JSON-LD, no event
/// handler attribute, no comment or element made of a payload, and every payload whole.
fn assert_html_page_is_safe(path: &str, raw: &str, values: &BTreeMap<String, String>) {
    let html = Html::parse_document(raw);
    for node in html.tree.nodes() {
        match node.value() {
            Node::Element(element) => {
                let name = element.name();
                if name == "script" {
                    assert!(
                        element.attr("src").is_some()
                            || element.attr("type") == Some("application/ld+json"),
                        "{path}: an inline script"
                    );
                    continue;
                }
                assert!(name != "b", "{path}: a <b> element");
                for (attribute, value) in element.attrs() {
                    assert!(
                        !attribute.starts_with("on") && !attribute.contains("alert"),
                        "{path}: attribute {attribute}={value:?} on <{name}>"
                    );
                    assert_whole(path, &format!("<{name} {attribute}>"), value, values);
                }
            }
            Node::Comment(comment) => {
                panic!("{path}: a comment in the page: {:?}", &**comment)
            }
            Node::Text(text) => {
                let parent = node.parent().and_then(|p| p.value().as_element());
                if parent.is_some_and(|e| e.name() == "script") {
                    continue;
                }
                assert_whole(path, "text", text, values);
            }
            _ => {}
        }
    }
}

/// A copy of the fixture with one more article whose file name is a payload and which has no
/// `slug` (file names with `"`, `<` and `>` exist only on Unix).
fn with_hostile_file_name() -> (tempfile::TempDir, Built) {
    let dir = temp_site("escaping");
    if cfg!(unix) {
        let article = format!(
            "---\ntitle: {}\ndate: 2025-03-03\n---\n\nCorps.\n",
            serde_json::to_string(&payload("File")).unwrap()
        );
        let name = "content/2025/\"onload=\"x ]]> <script>alert(1)<!--.md";
        std::fs::write(dir.path().join(name), article).unwrap();
    }
    let built = build_with(&options(dir.path()));
    (dir, built)
}

#[test]
fn every_html_page_keeps_every_payload_as_text() {
    let (_dir, built) = with_hostile_file_name();
    let values = whole_values(&built);
    let pages = html_paths(&built);
    assert!(pages.len() >= 13, "{pages:?}");
    for path in &pages {
        assert_html_page_is_safe(path, &text(&built, path), &values);
    }
    if cfg!(unix) {
        let html = page(&built, "2025/03/onload-x-script-alert-1/index.html");
        assert_eq!(text_of(one(&html, "h1")), payload("File"));
    }
}

#[test]
fn the_article_page_shows_every_field_as_written() {
    let html = page(built(), EVERYTHING);
    assert_eq!(text_of(one(&html, "h1")), payload("Title"));
    assert_eq!(
        text_of(one(&html, "title")),
        format!("{} · {}", payload("Title"), payload("Site"))
    );
    assert_eq!(
        text_of(one(&html, ".article__standfirst")),
        payload("Description")
    );
    assert_eq!(texts(&html, "a[rel=tag]"), [payload("Tag")]);
    assert_eq!(
        text_of(one(&html, ".article__header .eyebrow")),
        payload("Category")
    );
    assert_eq!(texts(&html, "a[rel=author]"), [payload("Profile")]);
    assert_eq!(
        text_of(one(&html, ".byline__role")),
        format!("({})", payload("Role"))
    );
    assert_eq!(attr(&html, ".hero img", "src"), SRC);
    assert_eq!(attr(&html, ".hero img", "alt"), payload("Alt"));
    let caption = text_of(one(&html, ".hero figcaption"));
    assert!(caption.starts_with(&payload("Caption")), "{caption}");
    assert!(caption.ends_with(&payload("Credit")), "{caption}");
    for (css, expected) in [
        ("meta[name=description]", payload("Description")),
        ("meta[property='og:title']", payload("Title")),
        ("meta[property='og:site_name']", payload("Site")),
        ("meta[property='og:image:alt']", payload("Alt")),
        ("meta[property='article:section']", payload("Category")),
        ("meta[property='article:tag']", payload("Tag")),
        ("meta[name=author]", payload("Profile")),
        (
            "meta[property='og:image']",
            format!("https://escaping.example{SRC}"),
        ),
    ] {
        assert_eq!(attr(&html, css, "content"), expected, "{css}");
    }
    let facade = attr(&html, ".embed__facade", "aria-label");
    assert!(facade.contains(&payload("Embed")), "{facade}");
    // The body is Markdown, with typographic quotes and dashes.
    let prose = text_of(one(&html, ".prose"));
    assert!(
        prose.contains("</script><script>alert(‘body’)</script>") && prose.contains("]]> <!–"),
        "{prose}"
    );
    let translation = attr(&html, ".translations a[hreflang=fr]", "href");
    let other = page(built(), &output_path(&translation));
    let title = translation_title(built());
    let collapsed: Vec<&str> = title.split_whitespace().collect();
    assert_eq!(text_of(one(&other, "h1")), collapsed.join(" "));
}

#[test]
fn the_author_page_shows_the_profile_as_written() {
    let html = page(built(), AUTHOR_PAGE);
    assert_eq!(text_of(one(&html, "h1")), payload("Profile"));
    assert_eq!(text_of(one(&html, ".profile__role")), payload("Role"));
    assert_eq!(attr(&html, ".profile__avatar", "src"), AVATAR);
    assert_eq!(attr(&html, ".profile__avatar", "alt"), payload("Profile"));
    assert_eq!(
        attrs(&html, "a[rel=me]", "href"),
        [LINK, "https://social.escaping.example/@author"]
    );
    assert_eq!(texts(&html, "a[rel=me]")[1], payload("Network"));
    assert_eq!(
        text_of(one(&html, ".profile__bio code")),
        "</script><script>alert('bio')</script>"
    );
}

/// The raw JSON-LD blocks of an HTML page.
fn json_ld_blocks(raw: &str) -> Vec<&str> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    raw.match_indices(OPEN)
        .map(|(at, _)| {
            let rest = &raw[at + OPEN.len()..];
            &rest[..rest.find("</script>").expect("the block ends")]
        })
        .collect()
}

#[test]
fn every_json_ld_block_parses_and_holds_the_values_as_written() {
    let built = built();
    let mut documents = BTreeMap::new();
    for path in html_paths(built) {
        for block in json_ld_blocks(&text(built, &path)) {
            let lower = block.to_ascii_lowercase();
            assert!(
                !lower.contains("</script") && !lower.contains("<!--"),
                "{path}: {block}"
            );
            let json: Value = serde_json::from_str(block)
                .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}\n{block}"));
            documents.insert(path.clone(), json);
        }
    }
    assert!(documents.len() >= 3, "{:?}", documents.keys());
    let blocks = &documents[EVERYTHING];
    let news = &blocks[0];
    assert_eq!(news["@type"], "NewsArticle");
    assert_eq!(news["headline"], payload("Title"));
    assert_eq!(news["description"], payload("Description"));
    assert_eq!(news["author"][0]["name"], payload("Profile"));
    assert_eq!(news["author"][0]["jobTitle"], payload("Role"));
    assert_eq!(news["author"][0]["image"], AVATAR);
    assert_eq!(news["author"][0]["sameAs"][0], LINK);
    assert_eq!(news["publisher"]["name"], payload("Site"));
    assert_eq!(news["articleSection"], payload("Category"));
    assert_eq!(news["keywords"], serde_json::json!([payload("Tag")]));
    assert_eq!(
        news["image"][0],
        format!("https://escaping.example{SRC}").as_str()
    );
    let crumbs: Vec<&str> = blocks[1]["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["name"].as_str())
        .collect();
    assert_eq!(
        crumbs,
        [payload("Site"), payload("Category"), payload("Title")]
    );
    assert_eq!(blocks[2]["@type"], "VideoObject");
    assert_eq!(blocks[2]["name"], payload("Embed"));
    assert_eq!(documents[ARTICLE][0]["headline"], TITLE);
}

/// Output paths ending with `name`.
fn outputs_named<'a>(built: &'a Built, name: &'a str) -> impl Iterator<Item = &'a str> {
    built
        .outputs
        .paths()
        .filter(move |p| p.rsplit('/').next() == Some(name))
}

#[test]
fn atom_and_rss_are_well_formed_and_round_trip_every_value() {
    let built = built();
    let model = built
        .site
        .articles
        .iter()
        .find(|a| a.path == "/2025/03/everything/")
        .expect("the article");
    let mut count = 0;
    for path in outputs_named(built, "atom.xml").chain(outputs_named(built, "rss.xml")) {
        count += 1;
        let raw = text(built, path);
        assert_well_formed_xml(path, &raw);
        assert!(!raw.contains("<script"), "{path}");
        let feed = feed(built, path);
        let title = feed.title.as_ref().map(|t| t.content.as_str());
        assert!(
            title.is_some_and(|t| t.starts_with(&payload("Site"))),
            "{path}: {title:?}"
        );
        let description = feed.description.as_ref().map(|t| t.content.as_str());
        assert_eq!(description, Some(payload("About").as_str()), "{path}");
        let Some(entry) = feed
            .entries
            .iter()
            .find(|e| e.links.iter().any(|l| l.href == EVERYTHING_URL))
        else {
            continue;
        };
        let title = entry.title.as_ref().map(|t| t.content.as_str());
        assert_eq!(title, Some(payload("Title").as_str()), "{path}");
        let summary = entry.summary.as_ref().map(|t| t.content.as_str());
        assert_eq!(summary, Some(model.summary.trim_end()), "{path}");
        let authors: Vec<&str> = entry.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(authors, [payload("Profile")], "{path}");
        let categories: Vec<&str> = entry
            .categories
            .iter()
            .map(|c| c.label.as_deref().unwrap_or(&c.term))
            .collect();
        assert_eq!(categories, [payload("Tag")], "{path}");
    }
    assert!(count >= 10, "{count} feeds");
    // The summary is the description, escaped once more as HTML.
    assert!(
        model
            .summary
            .contains("Description &lt;/script&gt;&lt;script&gt;")
    );
}

#[test]
fn json_feeds_parse_and_round_trip_every_value() {
    let built = built();
    let mut count = 0;
    for path in outputs_named(built, "feed.json") {
        count += 1;
        let json: Value = serde_json::from_str(&text(built, path))
            .unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
        assert!(
            json["title"]
                .as_str()
                .is_some_and(|t| t.starts_with(&payload("Site"))),
            "{path}"
        );
        assert_eq!(json["description"], payload("About"), "{path}");
        feed(built, path);
        let items = json["items"].as_array().expect("items");
        let Some(item) = items.iter().find(|i| i["url"] == EVERYTHING_URL) else {
            continue;
        };
        assert_eq!(item["title"], payload("Title"), "{path}");
        assert_eq!(item["summary"], payload("Description"), "{path}");
        assert_eq!(item["authors"][0]["name"], payload("Profile"), "{path}");
        assert_eq!(item["tags"], serde_json::json!([payload("Tag")]), "{path}");
        assert_eq!(
            item["image"],
            format!("https://escaping.example{SRC}").as_str()
        );
    }
    assert!(count >= 5, "{count} feeds");
}

#[test]
fn sitemaps_and_robots_are_well_formed_and_hold_no_payload() {
    let built = built();
    for path in ["sitemap.xml", "news-sitemap.xml"] {
        let raw = text(built, path);
        assert_well_formed_xml(path, &raw);
        for markup in ["<script", "]]>", "<!--", "\"onload="] {
            assert!(!raw.contains(markup), "{path} holds {markup}:\n{raw}");
        }
    }
    // The news sitemap names the site and the recent translation's title.
    let news = text(built, "news-sitemap.xml");
    let mut reader = quick_xml::Reader::from_str(&news);
    let (mut names, mut titles) = (Vec::new(), Vec::new());
    // The text being read, in the list it belongs to.
    let mut inside: Option<&mut Vec<String>> = None;
    loop {
        use quick_xml::events::Event;
        match reader.read_event().expect("well-formed") {
            Event::Eof => break,
            Event::Start(e) => {
                inside = match e.name().as_ref() {
                    b"news:name" => Some(&mut names),
                    b"news:title" => Some(&mut titles),
                    _ => None,
                };
                if let Some(list) = inside.as_mut() {
                    list.push(String::new());
                }
            }
            Event::End(_) => inside = None,
            Event::Text(t) => {
                if let Some(list) = inside.as_mut() {
                    list.last_mut().unwrap().push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                let c = match (r.resolve_char_ref().unwrap(), &*r.decode().unwrap()) {
                    (Some(c), _) => c,
                    (None, "amp") => '&',
                    (None, "lt") => '<',
                    (None, "gt") => '>',
                    (None, "quot") => '"',
                    (None, "apos") => '\'',
                    (None, other) => panic!("entity {other}"),
                };
                if let Some(list) = inside.as_mut() {
                    list.last_mut().unwrap().push(c);
                }
            }
            _ => {}
        }
    }
    assert_eq!(names, [payload("Site")]);
    assert_eq!(titles, [translation_title(built)]);
    let robots = text(built, "robots.txt");
    assert!(
        !robots.contains("alert") && !robots.contains('<'),
        "{robots}"
    );
    assert!(
        robots
            .lines()
            .all(|l| l.is_empty() || l.split_once(": ").is_some()),
        "{robots}"
    );
}

#[test]
fn extra_keys_shown_by_a_template_are_escaped() {
    let dir = temp_site("escaping");
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/article.html"),
        "<!doctype html><h1 title=\"{{ article.extra.kicker | default(value='') }}\">{{ article.extra.kicker | default(value='') }}</h1>\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, EVERYTHING);
    assert_eq!(text_of(one(&html, "h1")), payload("Extra"));
    assert_eq!(attr(&html, "h1", "title"), payload("Extra"));
    assert!(all(&html, "script").is_empty());
}

#[test]
fn a_control_character_in_a_title_keeps_feeds_well_formed() {
    let dir = temp_site("escaping");
    std::fs::write(
        dir.path().join("content/2025/cloche.md"),
        "---\ntitle: \"Bell \\a and escape \\e\"\ndate: 2025-03-04\n---\n\nCorps.\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    for path in ["atom.xml", "rss.xml", "sitemap.xml"] {
        assert_well_formed_xml(path, &text(&built, path));
    }
    let titles = entry_titles(&feed(&built, "atom.xml"));
    assert!(
        titles.contains(&"Bell \u{fffd} and escape \u{fffd}".to_string()),
        "{titles:?}"
    );
    let json: Value = serde_json::from_str(&text(&built, "feed.json")).unwrap();
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "Bell \u{7} and escape \u{1b}")
    );
}

fn assert_no_raw_markup(path: &str, raw: &str) {
    assert!(
        !raw.contains("<script>alert"),
        "{path} has an unescaped script:\n{raw}"
    );
    assert!(!raw.contains(TAG), "{path} has an unescaped <b>:\n{raw}");
}

#[test]
fn article_page_shows_title_and_tag_as_text() {
    let built = built();
    let raw = text(built, ARTICLE);
    assert_no_raw_markup(ARTICLE, &raw);
    let html = page(built, ARTICLE);
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
    let built = built();
    for path in [
        "index.html".to_string(),
        "tags/index.html".to_string(),
        format!("{TAG_DIR}index.html"),
    ] {
        let raw = text(built, &path);
        assert_no_raw_markup(&path, &raw);
        let html = page(built, &path);
        assert!(all(&html, "main b").is_empty(), "{path}");
        assert!(all(&html, "script:not([src])").is_empty(), "{path}");
    }
    let home = page(built, "index.html");
    assert!(texts(&home, ".card__title a").contains(&TITLE.to_string()));
    let index = page(built, "tags/index.html");
    assert!(texts(&index, ".term-list a").contains(&TAG.to_string()));
    let term = page(built, &format!("{TAG_DIR}index.html"));
    assert_eq!(text_of(one(&term, "h1")), TAG);
    assert_eq!(texts(&term, ".card__title a"), [TITLE]);
}

#[test]
fn feeds_round_trip_the_title_as_text() {
    let built = built();
    for dir in ["", TAG_DIR] {
        for file in ["atom.xml", "rss.xml", "feed.json"] {
            let path = format!("{dir}{file}");
            if file != "feed.json" {
                // In XML, markup in text must be escaped; JSON strings carry it as plain text.
                assert_no_raw_markup(&path, &text(built, &path));
            }
            let feed = feed(built, &path);
            assert!(entry_titles(&feed).contains(&TITLE.to_string()), "{path}");
        }
    }
}

#[test]
fn tag_feed_titles_round_trip_the_tag_as_text() {
    let built = built();
    for file in ["atom.xml", "rss.xml", "feed.json"] {
        let path = format!("{TAG_DIR}{file}");
        let feed = feed(built, &path);
        let title = feed.title.map(|t| t.content).unwrap_or_default();
        assert!(title.contains(TAG), "{path}: feed title {title:?}");
    }
}
