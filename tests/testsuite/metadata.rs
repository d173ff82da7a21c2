//! What search engines, social networks and aggregators read: meta tags, OpenGraph, Twitter
//! cards, JSON-LD structured data and the Google News sitemap, as they would parse them.

use scraper::Html;
use serde_json::Value;

use crate::support::*;

const SOMMET: &str = "2025/02/sommet/index.html";

fn meta(html: &Html, attribute: &str, name: &str) -> Vec<String> {
    attrs(html, &format!("meta[{attribute}='{name}']"), "content")
}

fn property(html: &Html, name: &str) -> String {
    let found = meta(html, "property", name);
    assert_eq!(found.len(), 1, "one {name}: {found:?}");
    found.into_iter().next().unwrap()
}

fn named(html: &Html, name: &str) -> String {
    let found = meta(html, "name", name);
    assert_eq!(found.len(), 1, "one {name}: {found:?}");
    found.into_iter().next().unwrap()
}

/// Every JSON-LD block of a page, parsed; the blocks are arrays of objects.
fn json_ld(html: &Html) -> Vec<Value> {
    all(html, "script[type='application/ld+json']")
        .into_iter()
        .flat_map(|script| {
            let json: Value = serde_json::from_str(&script.inner_html())
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}"));
            match json {
                Value::Array(items) => items,
                other => vec![other],
            }
        })
        .collect()
}

fn of_type<'a>(items: &'a [Value], kind: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["@type"] == kind).collect()
}

#[test]
fn article_pages_carry_every_tag_social_networks_read() {
    let built = build_fixture("news");
    let html = page(&built, SOMMET);
    assert_eq!(attr(&html, "html", "lang"), "fr");
    assert_eq!(
        text_of(one(&html, "title")),
        "Sommet de l'IA à Paris · Fixture News"
    );
    let description = "Une description qui ne doit pas servir de résumé.";
    assert_eq!(named(&html, "description"), description);
    let url = "https://news.example/2025/02/sommet/";
    assert_eq!(attr(&html, "link[rel=canonical]", "href"), url);

    assert_eq!(property(&html, "og:type"), "article");
    assert_eq!(property(&html, "og:title"), "Sommet de l'IA à Paris");
    assert_eq!(property(&html, "og:description"), description);
    assert_eq!(
        property(&html, "og:image"),
        "https://news.example/images/hero.svg"
    );
    assert_eq!(property(&html, "og:image:alt"), "Une tour stylisée");
    assert_eq!(property(&html, "og:url"), url);
    assert_eq!(property(&html, "og:site_name"), "Fixture News");
    assert_eq!(property(&html, "og:locale"), "fr_FR");
    assert_eq!(
        property(&html, "article:published_time"),
        "2025-02-11T18:30:00+01:00"
    );
    assert_eq!(
        property(&html, "article:modified_time"),
        "2025-02-11T18:30:00+01:00"
    );
    assert_eq!(
        property(&html, "article:author"),
        "https://news.example/authors/camille-martin/"
    );
    assert_eq!(property(&html, "article:section"), "Politique");
    assert_eq!(
        meta(&html, "property", "article:tag"),
        ["Intelligence Artificielle", "Europe"]
    );
    assert_eq!(named(&html, "twitter:card"), "summary_large_image");
    assert_eq!(named(&html, "twitter:title"), "Sommet de l'IA à Paris");
    assert_eq!(named(&html, "twitter:description"), description);
    assert_eq!(
        named(&html, "twitter:image"),
        "https://news.example/images/hero.svg"
    );
    assert_eq!(named(&html, "twitter:image:alt"), "Une tour stylisée");

    // Without a description, the summary's text stands in, cut for search results.
    let ecole = page(&built, "2025/02/ecole/index.html");
    let summary = named(&ecole, "description");
    assert!(
        summary.starts_with("Premier paragraphe de la page école"),
        "{summary}"
    );
    assert!(summary.chars().count() <= 160 && !summary.contains('<'));
    assert_eq!(named(&ecole, "twitter:card"), "summary", "no image");
    let english = page(&built, "2025/02/rfc/index.html");
    assert_eq!(property(&english, "og:locale"), "en_US");
}

#[test]
fn every_page_has_a_title_description_canonical_url_and_social_card() {
    let built = build_fixture("news");
    for path in html_paths(&built) {
        let html = page(&built, &path);
        if is_redirect(&html) {
            continue;
        }
        assert!(!text_of(one(&html, "title")).is_empty(), "{path}");
        assert!(!named(&html, "description").is_empty(), "{path}");
        assert!(!attr(&html, "html", "lang").is_empty(), "{path}");
        assert!(!property(&html, "og:title").is_empty(), "{path}");
        assert!(!property(&html, "og:locale").is_empty(), "{path}");
        assert!(!named(&html, "twitter:card").is_empty(), "{path}");
        // Pages kept out of search engines have no canonical URL.
        if path != "404.html" && !path.ends_with("search/index.html") {
            let canonical = attr(&html, "link[rel=canonical]", "href");
            assert_eq!(property(&html, "og:url"), canonical, "{path}");
        }
    }
}

#[test]
fn articles_describe_themselves_in_json_ld() {
    let built = build_fixture("news");
    let items = json_ld(&page(&built, SOMMET));
    let news = of_type(&items, "NewsArticle");
    assert_eq!(news.len(), 1, "{items:#?}");
    let news = news[0];
    let url = "https://news.example/2025/02/sommet/";
    assert_eq!(news["@context"], "https://schema.org");
    assert_eq!(news["headline"], "Sommet de l'IA à Paris");
    assert_eq!(news["image"][0], "https://news.example/images/hero.svg");
    assert_eq!(news["datePublished"], "2025-02-11T18:30:00+01:00");
    assert_eq!(news["dateModified"], "2025-02-11T18:30:00+01:00");
    assert_eq!(news["author"][0]["@type"], "Person");
    assert_eq!(news["author"][0]["name"], "Camille Martin");
    assert_eq!(
        news["author"][0]["url"],
        "https://news.example/authors/camille-martin/"
    );
    assert_eq!(news["publisher"]["@type"], "Organization");
    assert_eq!(news["publisher"]["name"], "Fixture News");
    assert_eq!(
        news["publisher"]["logo"]["url"],
        "https://news.example/images/logo.svg"
    );
    assert_eq!(news["mainEntityOfPage"]["@id"], url);
    assert_eq!(news["articleSection"], "Politique");
    assert_eq!(
        news["keywords"],
        serde_json::json!(["Intelligence Artificielle", "Europe"])
    );
    assert_eq!(news["inLanguage"], "fr");

    let crumbs = of_type(&items, "BreadcrumbList");
    let trail: Vec<(i64, &str, &str)> = crumbs[0]["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["position"].as_i64().unwrap(),
                c["name"].as_str().unwrap(),
                c["item"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        trail,
        [
            (1, "Fixture News", "https://news.example/"),
            (2, "Politique", "https://news.example/categories/politique/"),
            (3, "Sommet de l'IA à Paris", url),
        ]
    );

    let videos = of_type(&items, "VideoObject");
    assert_eq!(videos.len(), 1, "the featured YouTube video");
    let video = videos[0];
    assert_eq!(video["name"], "Discours de clôture");
    assert!(
        video["embedUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://www.youtube-nocookie.com/embed/Kq7vT3mPz_A"),
        "{video}"
    );
    assert_eq!(
        video["thumbnailUrl"][0],
        "https://i.ytimg.com/vi/Kq7vT3mPz_A/hqdefault.jpg"
    );
    assert_eq!(video["uploadDate"], "2025-02-11T18:30:00+01:00");
    assert!(video["description"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn a_title_closing_the_script_stays_inside_the_json() {
    let built = build_fixture("escaping");
    let raw = text(&built, "2025/03/xss/index.html");
    let html = Html::parse_document(&raw);
    let items = json_ld(&html);
    let news = of_type(&items, "NewsArticle");
    assert_eq!(news[0]["headline"], "<script>alert(1)</script>");
    assert_eq!(news[0]["keywords"][0], "<b>tag</b>");
    let script = raw
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap();
    let body = script.split("</script>").next().unwrap();
    assert!(
        !body.contains('<'),
        "nothing in the data can close it: {body}"
    );
}

#[test]
fn the_news_sitemap_lists_the_last_two_days() {
    let dir = fixture("news");
    let mut options = options(&dir);
    options.now = Some("2025-02-12T12:00:00+01:00".parse().unwrap());
    let built = build_with(&options);
    let xml = text(&built, "news-sitemap.xml");
    let doc = news_entries(&xml);
    assert_eq!(
        doc,
        [
            (
                "https://news.example/2025/02/sommet/".to_string(),
                "Sommet de l'IA à Paris".to_string(),
                "fr".to_string()
            ),
            (
                "https://news.example/2025/02/rfc/".to_string(),
                "An English article".to_string(),
                "en".to_string()
            ),
        ],
        "published within two days of the build, newest first; not the older school story"
    );
    assert!(xml.contains("<news:name>Fixture News</news:name>"));
    assert!(text(&built, "robots.txt").contains("Sitemap: https://news.example/news-sitemap.xml"));
    // A year later, nothing is news: an empty <urlset> fails sitemap.xsd (it wants at least
    // one <url>), so there is no news sitemap, and robots.txt names none.
    let late = build_fixture("news");
    assert!(late.outputs.get("news-sitemap.xml").is_none());
    let robots = text(&late, "robots.txt");
    assert!(!robots.contains("news-sitemap"), "{robots}");
}

#[test]
fn robots_names_only_sitemaps_that_exist_and_each_has_a_url() {
    for now in ["2025-02-12T12:00:00+01:00", "2027-01-01T00:00:00Z"] {
        let dir = fixture("news");
        let mut options = options(&dir);
        options.now = Some(now.parse().unwrap());
        let built = build_with(&options);
        let robots = text(&built, "robots.txt");
        let named: Vec<&str> = robots
            .lines()
            .filter_map(|l| l.strip_prefix("Sitemap: https://news.example/"))
            .collect();
        assert!(!named.is_empty(), "{robots}");
        for file in named {
            let xml = text(&built, file);
            assert_well_formed_xml(file, &xml);
            assert!(
                xml.contains("<url><loc>"),
                "{file} at {now} lists no URL:\n{xml}"
            );
        }
    }
}

/// (loc, title, language) of each entry of a news sitemap.
fn news_entries(xml: &str) -> Vec<(String, String, String)> {
    let between = |text: &str, open: &str, close: &str| -> String {
        text.split(open)
            .nth(1)
            .and_then(|rest| rest.split(close).next())
            .unwrap_or_default()
            .replace("&#39;", "'")
    };
    xml.split("<url>")
        .skip(1)
        .map(|entry| {
            (
                between(entry, "<loc>", "</loc>"),
                between(entry, "<news:title>", "</news:title>"),
                between(entry, "<news:language>", "</news:language>"),
            )
        })
        .collect()
}
