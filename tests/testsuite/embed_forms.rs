//! Every provider in every form (front matter, URL alone on a line, shortcode) on the `embeds`
//! fixture: one result whatever the form, privacy-first markup, options, a site's own
//! shortcodes and templates, settings, and hostile values.

use std::fs;

use kiosque::Built;
use scraper::{ElementRef, Html};

use crate::support::*;

/// Every provider's name, as in CSS classes.
const PROVIDERS: [&str; 13] = [
    "youtube",
    "vimeo",
    "dailymotion",
    "peertube",
    "x",
    "mastodon",
    "bluesky",
    "gist",
    "codepen",
    "soundcloud",
    "spotify",
    "audio",
    "video",
];

/// One embed as a reader meets it: its provider and where it leads.
#[derive(Debug, PartialEq, Eq, Clone)]
struct Seen {
    provider: String,
    link: String,
    player: Option<String>,
}

fn provider_of(element: ElementRef<'_>, prefix: &str) -> String {
    element
        .value()
        .classes()
        .filter_map(|c| c.strip_prefix(prefix))
        .find(|c| PROVIDERS.contains(c))
        .unwrap_or_default()
        .to_string()
}

/// The embeds under `scope` (`.article__embeds` or `.prose`), in page order.
fn embeds_in(html: &Html, scope: &str) -> Vec<Seen> {
    let css = format!("{scope} figure.embed, {scope} figure.embed-post, {scope} figure.embed-file");
    all(html, &css)
        .into_iter()
        .map(|figure| {
            let inner = |css: &str| figure.select(&sel(css)).next();
            if let Some(facade) = inner("a.embed__facade") {
                Seen {
                    provider: provider_of(figure, "embed--"),
                    link: facade.attr("href").unwrap_or_default().to_string(),
                    player: facade.attr("data-embed-src").map(str::to_string),
                }
            } else if let Some(quote) = inner("blockquote") {
                Seen {
                    provider: provider_of(figure, "embed-post--"),
                    link: quote.attr("cite").unwrap_or_default().to_string(),
                    player: None,
                }
            } else {
                let source = inner("source").expect("a file embed has a source");
                Seen {
                    provider: provider_of(figure, "embed-file--"),
                    link: source.attr("src").unwrap_or_default().to_string(),
                    player: None,
                }
            }
        })
        .collect()
}

fn embeds_fixture() -> Built {
    build_fixture("embeds")
}

#[test]
fn every_provider_gives_one_result_in_every_form() {
    let built = embeds_fixture();
    let front = embeds_in(
        &page(&built, "2025/02/front-matter/index.html"),
        ".article__embeds",
    );
    let urls = embeds_in(&page(&built, "2025/02/urls/index.html"), ".prose");
    let shortcodes = embeds_in(&page(&built, "2025/02/shortcodes/index.html"), ".prose");
    let providers: Vec<&str> = front.iter().map(|s| s.provider.as_str()).collect();
    assert_eq!(providers, PROVIDERS, "{front:#?}");
    assert_eq!(urls, front, "URLs alone on their line");
    assert_eq!(shortcodes, front, "shortcodes");
}

#[test]
fn players_load_from_privacy_enhanced_hosts_only_on_click() {
    let built = embeds_fixture();
    let seen = embeds_in(&page(&built, "2025/02/urls/index.html"), ".prose");
    let player = |provider: &str| {
        seen.iter()
            .find(|s| s.provider == provider)
            .and_then(|s| s.player.clone())
            .unwrap_or_default()
    };
    let expected = [
        (
            "youtube",
            "https://www.youtube-nocookie.com/embed/Kq7vT3mPz_A?autoplay=1&start=90",
        ),
        (
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
        ),
        (
            "dailymotion",
            "https://www.dailymotion.com/embed/video/x8m8jm4?autoplay=1",
        ),
        (
            "peertube",
            "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1",
        ),
        (
            "gist",
            "https://gist.github.com/octocat/6cad326836d38bd3a7ae.pibb",
        ),
        (
            "codepen",
            "https://codepen.io/chriscoyier/embed/gfdDu?default-tab=result",
        ),
        (
            "spotify",
            "https://open.spotify.com/embed/episode/7makk4oTQel546B0PZlDM5?autoplay=1",
        ),
    ];
    for (provider, url) in expected {
        assert_eq!(player(provider), url, "{provider}");
    }
    assert!(
        player("soundcloud").starts_with(
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Ffranceculture%2Fla-science-cqfd"
        ),
        "{}",
        player("soundcloud")
    );
    for provider in ["x", "mastodon", "bluesky", "audio", "video"] {
        assert_eq!(player(provider), "", "{provider} has no third-party player");
    }
    let html = page(&built, "2025/02/urls/index.html");
    for facade in all(&html, "a.embed__facade") {
        let label = facade.attr("aria-label").unwrap_or_default();
        let provider = text_of(facade.select(&sel(".embed__provider")).next().unwrap());
        assert!(
            label.contains(&provider)
                && ["Lire la vidéo", "Écouter", "Afficher le code"]
                    .iter()
                    .any(|verb| label.starts_with(verb)),
            "{label}"
        );
    }
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let built = embeds_fixture();
    for path in html_paths(&built) {
        let html = page(&built, &path);
        assert!(all(&html, "iframe, img[src^='http']").is_empty(), "{path}");
        for script in all(&html, "script[src]") {
            let src = script.attr("src").unwrap_or_default();
            assert!(
                matches!(src, "/embed.js" | "/code.js" | "/share.js" | "/search.js"),
                "{path}: {src}"
            );
        }
        for element in all(&html, "[src], [srcset], [poster], [data], link[href]") {
            let name = element.value().name();
            if name == "link" {
                continue;
            }
            if name == "source" {
                let media = element
                    .parent()
                    .and_then(ElementRef::wrap)
                    .expect("source in a media element");
                assert_eq!(media.attr("preload"), Some("none"), "{path}");
                continue;
            }
            for attribute in ["src", "srcset", "poster", "data"] {
                let value = element.attr(attribute).unwrap_or("/");
                assert!(
                    value.starts_with('/') && !value.starts_with("//"),
                    "{path}: <{name} {attribute}={value:?}> loads from another host"
                );
            }
        }
    }
}

#[test]
fn posts_are_quotations_with_author_date_and_link() {
    let built = embeds_fixture();
    let html = page(&built, "2025/02/options/index.html");
    let mastodon = one(&html, ".prose figure.embed-post--mastodon");
    let quote = mastodon.select(&sel("blockquote p")).next().unwrap();
    assert_eq!(
        quote.inner_html(),
        "Le sommet s’ouvre à Paris.<br>Suivez-le ici."
    );
    let author = mastodon.select(&sel(".embed-post__author")).next().unwrap();
    assert_eq!(text_of(author), "Mastodon");
    assert_eq!(
        author.attr("href"),
        Some("https://mastodon.social/@Mastodon")
    );
    let time = mastodon.select(&sel("time")).next().unwrap();
    assert_eq!(time.attr("datetime"), Some("2025-02-10T12:00:00Z"));
    assert_eq!(text_of(time), "10 février 2025");

    // With no author or date given, both come from the URL and the post's id.
    let x = one(&html, ".prose figure.embed-post--x");
    assert_eq!(
        text_of(x.select(&sel(".embed-post__author")).next().unwrap()),
        "@Elysee"
    );
    assert_eq!(
        text_of(x.select(&sel("time")).next().unwrap()),
        "10 février 2025"
    );

    // With no text, the quotation is a link to the post.
    let urls = page(&built, "2025/02/urls/index.html");
    let bluesky = one(&urls, ".prose figure.embed-post--bluesky");
    let link = bluesky.select(&sel("blockquote a")).next().unwrap();
    assert_eq!(text_of(link), "Voir la publication sur Bluesky");
    assert_eq!(
        link.attr("href"),
        Some("https://bsky.app/profile/bsky.app/post/3lhwkqwuoxs2c")
    );
    assert!(
        bluesky.select(&sel("time[datetime]")).next().is_some(),
        "the date comes from the post's id"
    );
}

#[test]
fn files_play_in_the_browser_without_preloading() {
    let built = embeds_fixture();
    let html = page(&built, "2025/02/options/index.html");
    let audio = one(&html, ".prose figure.embed-file--audio audio");
    assert_eq!(audio.attr("preload"), Some("none"));
    assert!(audio.attr("controls").is_some());
    let source = audio.select(&sel("source")).next().unwrap();
    assert_eq!(source.attr("src"), Some("/podcasts/episode-12.mp3"));
    assert_eq!(source.attr("type"), Some("audio/mpeg"));
    assert_eq!(
        texts(&html, ".prose figure.embed-file--audio figcaption"),
        ["Épisode 12 : le bilan"]
    );
    let fallback = audio.select(&sel("a")).next().unwrap();
    assert_eq!(fallback.attr("href"), Some("/podcasts/episode-12.mp3"));
    assert!(built.outputs.contains("podcasts/episode-12.mp3"));

    let urls = page(&built, "2025/02/urls/index.html");
    let video = one(&urls, ".prose figure.embed-file--video video");
    assert_eq!(video.attr("preload"), Some("none"));
    assert_eq!(
        attr(&urls, ".prose figure.embed-file--video source", "type"),
        "video/webm"
    );
}

#[test]
fn a_site_file_gets_the_base_path() {
    let mut options = options(fixture("embeds"));
    options.base_url = Some("https://embeds.example/news/".to_string());
    let built = build_with(&options);
    let html = page(&built, "2025/02/options/index.html");
    assert_eq!(
        attr(&html, ".prose figure.embed-file--audio source", "src"),
        "/news/podcasts/episode-12.mp3"
    );
    assert_eq!(
        attrs(&html, ".prose abbr.sigle", "title"),
        ["intelligence artificielle", "Union européenne"]
    );
}

#[test]
fn other_urls_alone_on_a_line_stay_links() {
    let built = embeds_fixture();
    let html = page(&built, "2025/02/urls/index.html");
    let url = "https://www.elysee.fr/emmanuel-macron/2025/02/11/sommet-pour-laction-sur-lia";
    let link = one(&html, &format!(".prose p > a[href='{url}']"));
    assert_eq!(text_of(link), url);
}

#[test]
fn options_set_title_start_and_shape() {
    let built = embeds_fixture();
    let html = page(&built, "2025/02/options/index.html");
    let featured = embeds_in(&html, ".article__embeds");
    assert_eq!(
        featured[0].link, "https://www.youtube.com/watch?v=Kq7vT3mPz_A&t=90s",
        "the si= tracking parameter is dropped, 1m30s read as 90 s"
    );
    assert_eq!(
        featured[1].player.as_deref(),
        Some("https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
        "a front matter map with provider and id"
    );
    assert_eq!(
        texts(&html, ".article__embeds .embed__title"),
        ["Discours de clôture", "Entretien"]
    );

    let body = embeds_in(&html, ".prose");
    assert_eq!(
        body[0].player.as_deref(),
        Some("https://www.youtube-nocookie.com/embed/Kq7vT3mPz_A?autoplay=1&start=120")
    );
    assert_eq!(
        texts(&html, ".prose .embed__title"),
        [
            "Table ronde « IA et emploi »",
            "Le sommet en 60 secondes",
            "Toutes les conférences",
            "Vidéo YouTube",
        ]
    );
    assert!(
        one(&html, ".prose figure.embed--portrait")
            .attr("class")
            .is_some()
    );
    assert_eq!(
        body[2].player.as_deref(),
        Some(
            "https://www.youtube-nocookie.com/embed/videoseries?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf&autoplay=1"
        )
    );
    // `https://youtu.be/aB3_xY9-kLm.` alone on its line: the full stop is not part of it.
    assert!(
        body.iter()
            .any(|s| s.link == "https://www.youtube.com/watch?v=aB3_xY9-kLm")
    );
}

#[test]
fn site_shortcodes_get_their_arguments() {
    let built = embeds_fixture();
    let html = page(&built, "2025/02/options/index.html");
    let sigles = all(&html, ".prose p abbr.sigle");
    assert_eq!(sigles.len(), 2, "inline in their paragraph");
    assert_eq!(sigles[0].attr("data-nth"), Some("1"));
    assert_eq!(sigles[1].attr("data-nth"), Some("2"));
    assert_eq!(text_of(sigles[1]), "UE");
    let encart = one(&html, ".prose > aside.encart");
    assert_eq!(encart.attr("data-lang"), Some("fr"));
    assert_eq!(
        texts(&html, ".prose > aside.encart li"),
        ["109 milliards", "60 pays"]
    );
    assert!(
        all(&html, ".prose p aside").is_empty(),
        "a call alone on its line is a block, not inside a paragraph"
    );
}

#[test]
fn shortcodes_in_code_stay_text() {
    let built = embeds_fixture();
    let html = page(&built, "2025/02/options/index.html");
    assert_eq!(
        texts(&html, ".prose p code"),
        ["{{ youtube(id=\"Kq7vT3mPz_A\") }}"]
    );
    let block: String = one(&html, ".prose pre code").text().collect();
    assert_eq!(block, "{{ youtube(id=\"pas_un_id\") }}\n{{ inconnu() }}\n");
    let last = texts(&html, ".prose > p").pop().unwrap();
    assert_eq!(
        last,
        "Et pour le montrer tel quel : {{ youtube(id=\"Kq7vT3mPz_A\") }}."
    );
}

/// A copy of the `embeds` fixture with extra files.
fn embeds_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Built) {
    let dir = temp_site("embeds");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let built = build_with(&options(dir.path()));
    (dir, built)
}

#[test]
fn a_site_restyles_one_provider_with_a_template() {
    let (_dir, built) = embeds_with(&[(
        "templates/embeds/vimeo.html",
        "<p class=\"mon-vimeo\"><a href=\"{{ embed.url }}\">{{ embed.title | default(value=embed.label) }}</a></p>\n",
    )]);
    let html = page(&built, "2025/02/urls/index.html");
    assert_eq!(
        attr(&html, ".prose p.mon-vimeo a", "href"),
        "https://vimeo.com/76979871"
    );
    assert!(all(&html, "figure.embed--vimeo").is_empty());
    assert_eq!(
        all(&html, "figure.embed--youtube").len(),
        1,
        "others unchanged"
    );
}

#[test]
fn thumbnails_and_consent_come_from_site_toml() {
    let base = fs::read_to_string(fixture("embeds").join("site.toml")).unwrap();
    let config = format!(
        "{base}\n[embeds]\nconsent = \"En cliquant, vous chargez un contenu de {{provider}}.\"\nthumbnails = [\"youtube\"]\n"
    );
    let (_dir, built) = embeds_with(&[("site.toml", &config)]);
    let html = page(&built, "2025/02/urls/index.html");
    let thumbnail = one(&html, "figure.embed--youtube img.embed__thumb");
    assert_eq!(
        thumbnail.attr("src"),
        Some("https://i.ytimg.com/vi/Kq7vT3mPz_A/hqdefault.jpg")
    );
    assert_eq!(thumbnail.attr("loading"), Some("lazy"));
    assert_eq!(thumbnail.attr("alt"), Some(""));
    assert_eq!(
        all(&html, "img.embed__thumb").len(),
        1,
        "only the providers listed"
    );
    assert_eq!(
        text_of(one(&html, "figure.embed--vimeo .embed__consent")),
        "En cliquant, vous chargez un contenu de Vimeo."
    );

    let default = page(&embeds_fixture(), "2025/02/urls/index.html");
    assert!(all(&default, "img.embed__thumb, .embed__consent").is_empty());
}

#[test]
fn hostile_arguments_stay_text() {
    let article = r#"---
title: Injections
date: 2025-02-12
embeds:
  - url: https://youtu.be/Kq7vT3mPz_A
    title: '"><script>alert("fm")</script>'
---

{{ youtube(id="Kq7vT3mPz_A", title="\"><img src=x onerror=alert(1)>") }}

{{ mastodon(url="https://mastodon.social/@Mastodon/113963837370092134", text="</blockquote><script>alert(2)</script>", author="<b onmouseover=alert(3)>moi</b>") }}

{{ audio(url="https://media.example.org/a.mp3?x=\"><script>alert(4)</script>") }}

{{ encart(titre="<script>alert(5)</script>", points=["<iframe src=//evil.example>"]) }}

{{ youtube(id="Kq7vT3mPz_A", title="{provider} {title} {action}") }}

{{ x(url="https://x.com/i/status/1888954372823576866", author="@moi") }}
"#;
    let (_dir, built) = embeds_with(&[("content/injections.md", article)]);
    let raw = text(&built, "2025/02/injections/index.html");
    let html = page(&built, "2025/02/injections/index.html");
    let scripts: Vec<String> = attrs(&html, "script:not([src$='/share.js'])", "src");
    assert_eq!(scripts, ["/embed.js"], "no script but the player's");
    assert!(all(&html, "iframe, img, b, [onerror], [onload], [onmouseover]").is_empty());
    for written in [
        "&quot;&gt;&lt;script&gt;alert(&quot;fm&quot;)&lt;/script&gt;",
        "&lt;/blockquote&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
        "&lt;b onmouseover=alert(3)&gt;moi&lt;/b&gt;",
        "&lt;script&gt;alert(5)&lt;/script&gt;",
        "&lt;iframe src=//evil.example&gt;",
    ] {
        assert!(raw.contains(written), "missing {written}");
    }
    assert!(
        attrs(&html, "a.embed__facade", "aria-label")
            .contains(&"Lire la vidéo\u{a0}: {provider} {title} {action} YouTube".to_string()),
        "braces in a title are not placeholders"
    );
    assert_eq!(
        texts(&html, "figure.embed-post--x span.embed-post__author"),
        ["@moi"],
        "an author with no profile link is no link"
    );
    assert!(all(&html, "a[href='']").is_empty());
    let source = attr(&html, "figure.embed-file--audio source", "src");
    assert!(!source.contains('"') && !source.contains('<'), "{source}");
}

#[test]
fn a_failing_shortcode_template_is_reported_at_the_call_and_in_the_template() {
    let dir = temp_site("embeds");
    fs::write(
        dir.path().join("templates/shortcodes/casse.html"),
        "<p>{{ titre }}</p>\n<p>{{ absent.champ }}</p>\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/casse.md"),
        "---\ntitle: Casse\ndate: 2025-02-12\n---\n\nAvant.\n\n{{ casse(titre=\"x\") }}\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            "content/casse.md:8:4: error: shortcode `casse`: templates/shortcodes/casse.html:2:"
        ),
        "{}",
        found[0]
    );
}

#[test]
fn a_failing_embed_template_points_at_the_embeds() {
    let dir = temp_site("embeds");
    fs::create_dir_all(dir.path().join("templates/embeds")).unwrap();
    fs::write(
        dir.path().join("templates/embeds/vimeo.html"),
        "<p>{{ embed.absent.champ }}</p>\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    for expected in [
        "content/formes/front-matter.md:4:1: error: template error: featured embed: templates/embeds/vimeo.html:1:",
        "content/formes/urls.md:10:1: error: invalid embed `https://vimeo.com/76979871`: templates/embeds/vimeo.html:1:",
        "content/formes/shortcodes.md:10:4: error: shortcode `vimeo`: templates/embeds/vimeo.html:1:",
    ] {
        assert!(
            found.iter().any(|d| d.starts_with(expected)),
            "expected {expected}, got {found:#?}"
        );
    }
}
