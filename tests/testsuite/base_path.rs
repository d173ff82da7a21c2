//! A base URL with a path (GitHub Pages project site): every internal URL starts with /news/.

use kiosque::Built;

use crate::support::*;

const BASE: &str = "https://user.github.io/news/";

fn build_under_path() -> Built {
    let mut opts = options(fixture("news"));
    opts.base_url = Some(BASE.to_string());
    build_with(&opts)
}

/// Whether a URL is internal to the site but outside the base path.
fn escapes_base(url: &str) -> bool {
    if url.starts_with('/') && !url.starts_with("//") {
        !url.starts_with("/news/")
    } else if let Some(rest) = url.strip_prefix("https://user.github.io") {
        !rest.starts_with("/news/")
    } else {
        false
    }
}

#[test]
fn every_link_in_every_html_page_starts_with_the_base_path() {
    let built = build_under_path();
    let mut checked = 0;
    for path in html_paths(&built) {
        let html = page(&built, &path);
        for element in all(&html, "[href], [src], [data-embed-src], meta[content]") {
            for name in ["href", "src", "data-embed-src", "content"] {
                let Some(value) = element.attr(name) else {
                    continue;
                };
                let value = value.rsplit("url=").next().unwrap_or(value);
                assert!(
                    !escapes_base(value),
                    "{path}: <{} {name}={value:?}> is outside /news/",
                    element.value().name()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} URLs checked");
}

#[test]
fn assets_navigation_and_body_links_use_the_base_path() {
    let built = build_under_path();
    let html = page(&built, "2025/02/sommet/index.html");
    assert_eq!(
        attr(&html, "link[rel=stylesheet]", "href"),
        "/news/style.css"
    );
    assert_eq!(attr(&html, "script[src]", "src"), "/news/embed.js");
    assert_eq!(
        attr(&html, "figure.hero img", "src"),
        "/news/images/hero.svg"
    );
    assert_eq!(attr(&html, "a.brand", "href"), "/news/");
    assert!(attrs(&html, ".prose a", "href").contains(&"/news/2025/02/ecole/".to_string()));
    assert_eq!(attrs(&html, ".prose img", "src"), ["/news/images/hero.svg"]);
    assert_eq!(
        attrs(&html, ".tag-list a", "href"),
        [
            "/news/tags/intelligence-artificielle/",
            "/news/tags/europe/"
        ]
    );
    assert_eq!(
        attr(&html, "link[rel=canonical]", "href"),
        "https://user.github.io/news/2025/02/sommet/"
    );
    let home = page(&built, "index.html");
    assert_eq!(
        attr(&home, ".paginator a[rel=next]", "href"),
        "/news/page/2/"
    );
    assert_eq!(
        attr(
            &home,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        "https://user.github.io/news/atom.xml"
    );
    // Files are still laid out from the output root, which is deployed at /news/.
    assert!(built.outputs.contains("/2025/02/sommet/"));
    assert!(built.outputs.contains("/style.css"));
}

#[test]
fn feeds_use_the_base_path() {
    let built = build_under_path();
    for file in [
        "atom.xml",
        "rss.xml",
        "feed.json",
        "tags/europe/atom.xml",
        "tags/europe/rss.xml",
        "tags/europe/feed.json",
    ] {
        let feed = feed(&built, file);
        let links = entry_links(&feed);
        assert!(!links.is_empty(), "{file}");
        for link in links {
            assert!(link.starts_with(BASE), "{file}: {link}");
        }
    }
    let atom = feed(&built, "atom.xml");
    let content = atom.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert!(
        content.contains("href=\"https://user.github.io/news/2025/02/ecole/\""),
        "{content}"
    );
    assert!(
        content.contains("src=\"https://user.github.io/news/images/hero.svg\""),
        "{content}"
    );
    for file in ["atom.xml", "rss.xml", "feed.json"] {
        let raw = text(&built, file);
        assert!(!raw.contains("https://user.github.io/2025"), "{file}");
        assert!(!raw.contains("https://user.github.io/images"), "{file}");
        assert!(!raw.contains("https://user.github.io/tags"), "{file}");
        assert!(!raw.contains("https://user.github.io/atom.xml"), "{file}");
    }
}

#[test]
fn sitemap_and_robots_use_the_base_path() {
    let built = build_under_path();
    let locs = sitemap_locs(&text(&built, "sitemap.xml"));
    assert!(locs.len() > 10);
    for loc in &locs {
        assert!(loc.starts_with(BASE), "{loc}");
    }
    assert!(locs.contains(&BASE.to_string()));
    let robots = text(&built, "robots.txt");
    assert!(
        robots.contains("Sitemap: https://user.github.io/news/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn redirects_point_under_the_base_path() {
    let built = build_under_path();
    let html = page(&built, "ancien/sommet/index.html");
    assert_eq!(
        attr(&html, "link[rel=canonical]", "href"),
        "https://user.github.io/news/2025/02/sommet/"
    );
}

#[test]
fn cli_base_url_flag_overrides_site_toml() {
    let out = tempfile::tempdir().unwrap();
    let root = fixture("minimal");
    let output = kiosque(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().join("public").to_str().unwrap(),
        "--base-url",
        BASE,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let index = std::fs::read_to_string(out.path().join("public/index.html")).unwrap();
    // `kiosque build` links the stylesheet by its hashed name, under the base path.
    let html = scraper::Html::parse_document(&index);
    let style = attr(&html, "link[rel=stylesheet]", "href");
    let file = style.strip_prefix("/news/").expect("under the base path");
    assert!(
        file.starts_with("style.") && file.ends_with(".css"),
        "{style}"
    );
    assert!(out.path().join("public").join(file).is_file(), "{style}");
    let robots = std::fs::read_to_string(out.path().join("public/robots.txt")).unwrap();
    assert!(
        robots.contains("https://user.github.io/news/sitemap.xml"),
        "{robots}"
    );
}
