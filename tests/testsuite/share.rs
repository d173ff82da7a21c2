//! `[share]`: the share links of the `share` fixture (a title full of characters to encode,
//! a base path, its own order), decoded and compared; the default set; none with
//! `links = []`; a site's own partial; a bad name at its line. The buttons in Chromium:
//! `share.test.mjs`.

use scraper::Html;

use crate::support::*;

const ARTICLE: &str = "2025/02/ia-droit/index.html";
const PERMALINK: &str = "https://partage.example/news/2025/02/ia-droit/";

/// The query parameters of a link, decoded, in order.
fn query(href: &str) -> Vec<(String, String)> {
    let (_, query) = href
        .split_once('?')
        .unwrap_or_else(|| panic!("no query in {href}"));
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .unwrap_or_else(|e| panic!("{href}: {e}"))
            .into_owned()
    };
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The title as the page shows it, French spacing included.
fn title(html: &Html) -> String {
    one(html, "h1")
        .text()
        .collect::<String>()
        .trim()
        .to_string()
}

/// The names of the items of the share list, in order (`native` last, always).
fn names(html: &Html) -> Vec<String> {
    all(html, ".share__list > li > .share__item")
        .into_iter()
        .map(|item| {
            if let Some(href) = item.attr("href") {
                let host = href
                    .strip_prefix("https://")
                    .map(|rest| rest.split('/').next().unwrap());
                match host {
                    None if href.starts_with("mailto:") => "email",
                    Some("x.com") => "x",
                    Some("bsky.app") => "bluesky",
                    Some("www.linkedin.com") => "linkedin",
                    Some("wa.me") => "whatsapp",
                    _ => panic!("unexpected link {href}"),
                }
            } else if item.attr("data-share-copy").is_some() {
                "copy"
            } else if item.attr("data-share-mastodon").is_some() {
                "mastodon"
            } else if item.attr("data-share-url").is_some() {
                "native"
            } else {
                panic!("unexpected item {}", item.html())
            }
            .to_string()
        })
        .collect()
}

#[test]
fn links_carry_the_title_and_permalink_encoded_and_nothing_else() {
    let built = build_fixture("share");
    let html = page(&built, ARTICLE);
    let title = title(&html);
    assert!(
        title.contains("«\u{202f}générative\u{202f}»") && title.contains("& le #droit d'auteur")
    );
    let text = format!("{title} {PERMALINK}");
    let href = |host: &str| {
        attrs(&html, ".share a.share__item", "href")
            .into_iter()
            .find(|href| href.starts_with(host))
            .unwrap_or_else(|| panic!("no link to {host}"))
    };
    assert_eq!(
        query(&href("mailto:")),
        pairs(&[
            ("subject", &title),
            ("body", &format!("{title}\n\n{PERMALINK}"))
        ])
    );
    assert!(href("mailto:").starts_with("mailto:?subject="));
    assert!(href("https://bsky.app/").starts_with("https://bsky.app/intent/compose?"));
    assert_eq!(query(&href("https://bsky.app/")), pairs(&[("text", &text)]));
    assert!(
        href("https://www.linkedin.com/")
            .starts_with("https://www.linkedin.com/sharing/share-offsite/?")
    );
    assert_eq!(
        query(&href("https://www.linkedin.com/")),
        pairs(&[("url", PERMALINK)])
    );
    assert!(href("https://x.com/").starts_with("https://x.com/intent/post?"));
    assert_eq!(
        query(&href("https://x.com/")),
        pairs(&[("text", &title), ("url", PERMALINK)])
    );
    assert!(href("https://wa.me/").starts_with("https://wa.me/?"));
    assert_eq!(query(&href("https://wa.me/")), pairs(&[("text", &text)]));

    for link in select_some(&html, ".share a.share__item[target]") {
        assert_eq!(link.attr("target"), Some("_blank"));
        assert_eq!(link.attr("rel"), Some("noopener noreferrer"));
        assert!(
            text_of(link).ends_with("(s’ouvre dans un nouvel onglet)"),
            "{}",
            link.html()
        );
    }
    assert_eq!(
        attr(&html, "[data-share-copy]", "data-share-copy"),
        PERMALINK
    );
    assert_eq!(
        attr(&html, "[data-share-mastodon]", "data-share-mastodon"),
        text
    );
    let native = one(&html, "[data-share-url]");
    assert_eq!(native.attr("data-share-url"), Some(PERMALINK));
    assert_eq!(native.attr("data-share-title"), Some(title.as_str()));
}

#[test]
fn links_follow_the_order_of_share_and_need_no_script_to_read() {
    let built = build_fixture("share");
    let html = page(&built, ARTICLE);
    assert_eq!(
        names(&html),
        [
            "mastodon", "copy", "x", "email", "bluesky", "linkedin", "whatsapp", "native"
        ]
    );
    // What needs the script is hidden until it runs; the plain links are not.
    for item in select_some(&html, ".share__list > li:has(button)") {
        assert!(item.attr("hidden").is_some(), "{}", item.html());
    }
    for item in select_some(&html, ".share__list > li:has(a)") {
        assert!(item.attr("hidden").is_none(), "{}", item.html());
    }
    for button in select_some(&html, ".share button") {
        assert!(!text_of(button).is_empty(), "a button with a visible name");
    }
    assert_eq!(
        attrs(&html, "script[src]", "src"),
        ["/news/share.js"],
        "the theme's own script, with the base path"
    );
    assert!(built.outputs.get("share.js").is_some());
    let label = one(&html, ".share__mastodon label");
    assert_eq!(label.attr("for"), Some("share-mastodon-server"));
    one(&html, ".share__mastodon input#share-mastodon-server");
    assert_eq!(attr(&html, "[role=status]", "data-share-status"), "");
}

#[test]
fn every_link_by_default_and_only_on_the_article() {
    let built = build_fixture("newsletter");
    let html = page(&built, "2025/03/avec-lettre/index.html");
    assert_eq!(
        names(&html),
        [
            "email", "copy", "mastodon", "bluesky", "linkedin", "x", "whatsapp", "native"
        ]
    );
    assert_eq!(text_of(one(&html, ".share h2")), "Partager cet article");
    let english = page(&built, "en/2025/03/english/index.html");
    assert_eq!(text_of(one(&english, ".share h2")), "Share this article");
    assert_eq!(text_of(one(&english, "[data-share-copy]")), "Copy link");
    for path in [
        "index.html",
        "tags/lettre/index.html",
        "archives/index.html",
    ] {
        let html = page(&built, path);
        assert!(all(&html, ".share").is_empty(), "{path}");
        assert!(all(&html, "script[src$='share.js']").is_empty(), "{path}");
    }
}

#[test]
fn a_sites_strings_replace_the_themes() {
    let dir = temp_site("share");
    std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/fr.toml"),
        "share_title = \"Faites passer\"\nshare_copy = \"Copier l’adresse\"\n",
    )
    .unwrap();
    let html = page(&build_with(&options(dir.path())), ARTICLE);
    assert_eq!(text_of(one(&html, ".share h2")), "Faites passer");
    assert_eq!(text_of(one(&html, "[data-share-copy]")), "Copier l’adresse");
    assert_eq!(text_of(one(&html, "[data-share-mastodon]")), "Mastodon");
}

#[test]
fn no_links_with_an_empty_list() {
    let dir = temp_site("share");
    edit(&dir.path().join("site.toml"), |text| {
        let (head, _) = text.split_once("[share]").unwrap();
        format!("{head}[share]\nlinks = []\n")
    });
    let built = build_with(&options(dir.path()));
    let html = page(&built, ARTICLE);
    assert!(all(&html, ".share").is_empty());
    assert!(all(&html, "script[src$='share.js']").is_empty());
}

#[test]
fn a_site_partial_replaces_the_themes() {
    let dir = temp_site("share");
    let partials = dir.path().join("templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    std::fs::write(
        partials.join("share.html"),
        "<ul class=\"my-share\">{% for link in article.share %}{% if link.href %}<li><a href=\"{{ link.href }}\">{{ link.name }}</a></li>{% endif %}{% endfor %}</ul>",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, ARTICLE);
    assert!(all(&html, ".share").is_empty());
    assert_eq!(
        texts(&html, ".my-share a"),
        ["x", "email", "bluesky", "linkedin", "whatsapp"]
    );
}

#[test]
fn an_unknown_link_is_an_error_at_its_line() {
    assert_config_rejected(
        "\n[share]\nlinks = [\n  \"email\",\n  \"facebook\",\n]\n",
        11,
        &["facebook", "`mastodon`", "`whatsapp`"],
    );
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn chromium_copies_the_link_and_remembers_the_mastodon_server() {
    crate::browser::run_browser_test("newsletter", "share.test.mjs");
}
