//! YouTube players: a click-to-load facade that requests nothing from Google before the click.

use kiosque::Built;

use crate::support::*;

/// Hosts that must not be contacted while a page loads.
fn is_google_host(url: &str) -> bool {
    let host = url
        .trim_start_matches("https:")
        .trim_start_matches("http:")
        .trim_start_matches("//")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        "youtube",
        "youtu.be",
        "google",
        "ytimg",
        "gstatic",
        "doubleclick",
    ]
    .iter()
    .any(|h| host.contains(h))
}

/// Asserts that no HTML page embeds an iframe or loads anything from a Google host.
fn assert_no_request_to_google(built: &Built) {
    for path in html_paths(built) {
        let raw = text(built, &path);
        assert!(!raw.contains("<iframe"), "{path} has an iframe");
        let html = page(built, &path);
        for element in all(&html, "[src], [srcset], [poster], [data], link[href]") {
            let rel = element.attr("rel").unwrap_or_default();
            if element.value().name() == "link" && matches!(rel, "canonical" | "alternate") {
                continue;
            }
            for name in ["src", "srcset", "poster", "data", "href"] {
                if element.value().name() != "link" && name == "href" {
                    continue;
                }
                if let Some(value) = element.attr(name) {
                    assert!(
                        !is_google_host(value),
                        "{path}: <{} {name}={value:?}> loads from Google",
                        element.value().name()
                    );
                }
            }
        }
    }
}

#[test]
fn front_matter_embed_is_a_facade_linking_to_youtube() {
    let built = build_fixture("news");
    let html = page(&built, "2025/02/sommet/index.html");
    let facade = one(
        &html,
        ".article__embeds figure.embed--youtube a.embed__facade",
    );
    assert_eq!(
        facade.attr("href"),
        Some("https://www.youtube.com/watch?v=Kq7vT3mPz_A&t=90s")
    );
    assert_eq!(
        facade.attr("data-embed-src"),
        Some("https://www.youtube-nocookie.com/embed/Kq7vT3mPz_A?autoplay=1&start=90")
    );
    assert_eq!(text_of(one(&html, ".embed__title")), "Discours de clôture");
    assert_eq!(
        attrs(&html, "script[src]:not([src$='/share.js'])", "src"),
        ["/embed.js"],
        "the player script is the page's only script besides the share buttons'"
    );
}

#[test]
fn bare_youtube_url_in_the_body_becomes_a_player() {
    let built = build_fixture("news");
    let html = page(&built, "2025/02/ecole/index.html");
    let facade = one(&html, ".prose figure.embed--youtube a.embed__facade");
    assert_eq!(
        facade.attr("href"),
        Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    );
    assert!(
        facade
            .attr("data-embed-src")
            .unwrap()
            .starts_with("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    );
    assert!(
        !attrs(&html, ".prose a", "href").contains(&"https://youtu.be/dQw4w9WgXcQ".to_string()),
        "the URL is not left as a plain link"
    );
    assert_eq!(
        attrs(&html, "script[src]:not([src$='/share.js'])", "src"),
        ["/embed.js"]
    );
}

#[test]
fn pages_without_players_load_no_script() {
    let built = build_fixture("news");
    for path in ["index.html", "2025/02/rfc/index.html", "tags/index.html"] {
        let html = page(&built, path);
        // Structured data is the only script (it runs nothing), with an article's share
        // buttons'.
        assert!(
            all(
                &html,
                "script:not([type='application/ld+json']):not([src$='/share.js'])"
            )
            .is_empty(),
            "{path}"
        );
    }
}

#[test]
fn no_page_requests_a_google_host_in_a_fixture() {
    assert_no_request_to_google(&build_fixture("news"));
}

#[test]
fn no_page_requests_a_google_host_in_the_example_site() {
    assert_no_request_to_google(example());
}

#[test]
fn embed_script_is_shipped() {
    let built = build_fixture("news");
    let script = text(&built, "embed.js");
    assert!(
        script.contains("data-embed-src") || script.contains("embedSrc"),
        "{script}"
    );
}
