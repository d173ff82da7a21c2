//! The repository's own example site, read page by page.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::*;

/// Article pages reached from the home page and its pagination, as a reader would find them.
fn article_links() -> Vec<String> {
    card_links_across_pages(example(), "index.html")
}

#[test]
fn every_article_page_has_title_author_date_reading_time_and_tags() {
    let built = example();
    let links = article_links();
    assert_eq!(
        links.len(),
        12,
        "published articles on the home pages: {links:#?}"
    );
    for link in &links {
        let html = page(built, &output_path(link));
        let h1 = texts(&html, "h1");
        assert_eq!(h1.len(), 1, "{link}: one h1, found {h1:?}");
        assert!(!h1[0].is_empty(), "{link}: empty h1");
        let authors = texts(&html, ".article__meta a[rel=author]");
        assert!(!authors.is_empty(), "{link}: no author link");
        let time = one(&html, ".article__meta time[datetime]");
        let datetime = time.attr("datetime").expect("datetime");
        datetime
            .parse::<jiff::Timestamp>()
            .unwrap_or_else(|e| panic!("{link}: datetime {datetime:?} is not RFC 3339: {e}"));
        assert!(!text_of(time).is_empty(), "{link}: empty date");
        assert!(
            !all(&html, ".article__meta .reading-time").is_empty(),
            "{link}: no reading time"
        );
        assert!(
            !all(&html, ".tag-list a[rel=tag]").is_empty(),
            "{link}: no tag"
        );
    }
}

#[test]
fn card_titles_match_article_titles() {
    let built = example();
    let home = page(built, "index.html");
    for card in select_some(&home, ".card .card__title a") {
        let link = card.attr("href").expect("href");
        let article = page(built, &output_path(link));
        assert_eq!(text_of(card), text_of(one(&article, "h1")), "{link}");
    }
}

#[test]
fn french_article_shows_its_metadata_and_player() {
    let html = page(example(), "2025/02/sommet-action-ia-paris/index.html");
    assert_eq!(
        text_of(one(&html, "h1")),
        "Sommet pour l'action sur l'IA : Paris aligne 109 milliards, l'Europe en promet 200"
    );
    assert_eq!(texts(&html, "a[rel=author]"), ["Camille Martin"]);
    assert_eq!(
        attr(&html, "a[rel=author]", "href"),
        "/authors/camille-martin/"
    );
    let time = one(&html, ".article__meta time[datetime]");
    assert_eq!(time.attr("datetime"), Some("2025-02-11T18:30:00+01:00"));
    assert_eq!(text_of(time), "11 février 2025");
    let tags = attrs(&html, ".tag-list a[rel=tag]", "href");
    assert_eq!(
        tags,
        [
            "/tags/intelligence-artificielle/",
            "/tags/europe/",
            "/tags/mistral-ai/",
            "/tags/politique/",
            "/tags/investissement/"
        ]
    );
    let facade = one(&html, ".article__embeds .embed--youtube a.embed__facade");
    assert_eq!(
        facade.attr("href"),
        Some("https://www.youtube.com/watch?v=Kq7vT3mPz_A")
    );
    assert!(
        facade
            .attr("data-embed-src")
            .unwrap()
            .starts_with("https://www.youtube-nocookie.com/embed/Kq7vT3mPz_A")
    );
    assert_eq!(
        text_of(one(&html, ".embed__title")),
        "Sommet pour l'action sur l'IA : le discours de clôture au Grand Palais"
    );
    let podcast = one(
        &html,
        ".prose figure.embed--spotify.embed--strip a.embed__facade",
    );
    assert_eq!(
        podcast.attr("data-embed-src"),
        Some("https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk?autoplay=1")
    );
    let post = one(&html, ".prose figure.embed-post--mastodon");
    assert_eq!(
        attr(
            &html,
            ".prose figure.embed-post--mastodon .embed-post__author",
            "href"
        ),
        "https://mastodon.social/@kiosque"
    );
    assert!(post.select(&sel("time[datetime]")).next().is_some());
}

#[test]
fn english_article_shows_a_gist_behind_a_facade() {
    let html = page(example(), "2025/02/rust-1-85-edition-2024/index.html");
    let gist = one(
        &html,
        ".prose figure.embed--gist.embed--panel a.embed__facade",
    );
    assert_eq!(
        gist.attr("aria-label"),
        Some("Show code: Async closures in Rust 2024 GitHub Gist")
    );
    assert_eq!(
        gist.attr("data-embed-src"),
        Some("https://gist.github.com/kiosque-news/5d52f6a1c3e4b7a9d8c0e2f4a6b8c0d2.pibb")
    );
}

#[test]
fn english_article_on_a_french_site_uses_english_dates() {
    let html = page(example(), "2025/01/nvidia-ces-2025-rtx-50/index.html");
    assert_eq!(attr(&html, "html", "lang"), "en");
    let time = one(&html, ".article__meta time[datetime]");
    assert_eq!(text_of(time), "January 7, 2025");
    assert_eq!(time.attr("datetime"), Some("2025-01-07T00:00:00+01:00"));
    assert_eq!(texts(&html, "a[rel=author]"), ["Sarah Okafor"]);
}

#[test]
fn article_with_two_authors_links_both() {
    let html = page(
        example(),
        "2025/05/passkeys-fin-des-mots-de-passe/index.html",
    );
    assert_eq!(
        attrs(&html, ".article__meta a[rel=author]", "href"),
        ["/authors/camille-martin/", "/authors/julien-moreau/"]
    );
}

#[test]
fn each_tag_page_lists_exactly_the_articles_that_carry_the_tag() {
    let built = example();
    // What article pages claim: tag URL → articles linking to it.
    let mut claimed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for link in article_links() {
        let html = page(built, &output_path(&link));
        for tag in attrs(&html, ".tag-list a[rel=tag]", "href") {
            claimed.entry(tag).or_default().insert(link.clone());
        }
    }
    assert!(!claimed.is_empty(), "no article links to a tag");
    // What the tag index and tag pages say.
    let index = page(built, "tags/index.html");
    let tag_urls: BTreeSet<String> = attrs(&index, ".term-list a", "href").into_iter().collect();
    assert_eq!(
        tag_urls,
        claimed.keys().cloned().collect(),
        "the tag index lists every tag used, and only those"
    );
    for (tag, articles) in &claimed {
        let listed = card_links_across_pages(built, &output_path(tag));
        let unique: BTreeSet<String> = listed.iter().cloned().collect();
        assert_eq!(unique.len(), listed.len(), "{tag}: an article listed twice");
        assert_eq!(&unique, articles, "{tag}");
    }
}

#[test]
fn differently_cased_tags_share_one_page() {
    let built = example();
    let index = page(built, "tags/index.html");
    let same: Vec<String> = all(&index, ".term-list a")
        .into_iter()
        .filter(|a| text_of(*a).to_lowercase() == "intelligence artificielle")
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(same, ["/tags/intelligence-artificielle/"]);
    // Written "Intelligence Artificielle", "intelligence artificielle" and
    // "Intelligence artificielle" in the sources; six are published at the fixed date.
    let listed = card_links_across_pages(built, "tags/intelligence-artificielle/index.html");
    assert_eq!(listed.len(), 6, "{listed:#?}");
    assert!(
        built
            .outputs
            .contains("/tags/intelligence-artificielle/page/2/")
    );
    assert!(
        !built
            .outputs
            .paths()
            .any(|p| p.starts_with("tags/intelligence-artificielle-")),
        "no second slug for the same tag"
    );
    assert!(
        built.outputs.contains("/tags/education/"),
        "Éducation → /tags/education/"
    );
}

#[test]
fn home_is_paginated_with_previous_and_next_links() {
    let built = example();
    // paginate_by = 5, 12 published articles → 3 pages.
    assert_eq!(card_links(built, "index.html").len(), 5);
    assert_eq!(card_links(built, "page/2/index.html").len(), 5);
    assert_eq!(card_links(built, "page/3/index.html").len(), 2);
    assert!(!built.outputs.contains("/page/4/"));
    assert!(!built.outputs.contains("/page/1/"));
    let first = page(built, "index.html");
    assert!(all(&first, ".paginator a[rel=prev]").is_empty());
    assert_eq!(attr(&first, ".paginator a[rel=next]", "href"), "/page/2/");
    let second = page(built, "page/2/index.html");
    assert_eq!(attr(&second, ".paginator a[rel=prev]", "href"), "/");
    assert_eq!(attr(&second, ".paginator a[rel=next]", "href"), "/page/3/");
    let last = page(built, "page/3/index.html");
    assert!(all(&last, ".paginator a[rel=next]").is_empty());
}

#[test]
fn home_lists_articles_newest_first() {
    let built = example();
    let mut dates = Vec::new();
    for path in ["index.html", "page/2/index.html", "page/3/index.html"] {
        let html = page(built, path);
        for datetime in attrs(&html, ".card time[datetime]", "datetime") {
            dates.push(datetime.parse::<jiff::Timestamp>().expect("RFC 3339"));
        }
    }
    assert_eq!(dates.len(), 12);
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "not newest first: {dates:?}"
    );
}

#[test]
fn article_pages_link_to_older_and_newer_neighbours() {
    let built = example();
    let links = article_links();
    assert!(
        links.len() >= 3,
        "too few articles for neighbours: {links:?}"
    );
    for (i, link) in links.iter().enumerate() {
        let html = page(built, &output_path(link));
        let newer = attrs(&html, ".pager a[rel=next]", "href");
        let older = attrs(&html, ".pager a[rel=prev]", "href");
        let expected_newer: Vec<String> = i
            .checked_sub(1)
            .map(|j| links[j].clone())
            .into_iter()
            .collect();
        let expected_older: Vec<String> = links.get(i + 1).cloned().into_iter().collect();
        assert_eq!(newer, expected_newer, "{link}: newer neighbour");
        assert_eq!(older, expected_older, "{link}: older neighbour");
    }
}

#[test]
fn hero_image_has_alt_caption_and_credit() {
    let built = example();
    let html = page(built, "2025/02/sommet-action-ia-paris/index.html");
    let img = one(&html, "figure.hero img");
    assert_eq!(img.attr("src"), Some("/images/sommet-ia-paris.svg"));
    assert!(
        img.attr("alt")
            .is_some_and(|a| a.starts_with("Silhouette stylisée"))
    );
    let caption = text_of(one(&html, "figure.hero figcaption"));
    assert!(
        caption.contains("Deux jours de sommet au Grand Palais"),
        "{caption}"
    );
    assert!(
        text_of(one(&html, "figure.hero .credit")).contains("Kiosque"),
        "{caption}"
    );
    assert!(built.outputs.contains("/images/sommet-ia-paris.svg"));
}

#[test]
fn aliases_redirect_to_the_article() {
    let built = example();
    let target = "https://kiosque.example/2025/05/passkeys-fin-des-mots-de-passe/";
    for alias in [
        "old/guide-passkeys/index.html",
        "2025/05/passkeys/index.html",
    ] {
        let html = page(built, alias);
        assert_eq!(
            attr(&html, "link[rel=canonical]", "href"),
            target,
            "{alias}"
        );
        let refresh = attr(&html, "meta[http-equiv=refresh]", "content");
        assert!(refresh.starts_with('0'), "{alias}: {refresh}");
        assert!(
            refresh.ends_with(&format!("url={target}")),
            "{alias}: {refresh}"
        );
    }
}

#[test]
fn not_found_page_exists_and_is_not_indexed() {
    let html = page(example(), "404.html");
    assert!(!text_of(one(&html, "h1")).is_empty());
    assert_eq!(attr(&html, "meta[name=robots]", "content"), "noindex");
}

#[test]
fn drafts_and_future_articles_are_left_out() {
    let built = example();
    let draft = "/2025/06/comparatif-portables-arm/";
    let future = "/2027/08/ai-act-produits-reglementes/";
    assert!(!built.outputs.contains(draft));
    assert!(!built.outputs.contains(future));
    let paths: Vec<&str> = built.outputs.paths().collect();
    assert!(paths.contains(&"index.html"), "outputs: {paths:?}");
    for path in paths {
        let text = built.outputs.text(path).unwrap_or_default();
        assert!(
            !text.contains("comparatif-portables-arm"),
            "{path} mentions the draft"
        );
        assert!(
            !text.contains("ai-act-produits-reglementes"),
            "{path} mentions the future article"
        );
    }
}

#[test]
fn drafts_and_future_articles_are_built_with_the_flags() {
    let mut opts = options(example_root());
    opts.drafts = true;
    opts.future = true;
    let built = build_with(&opts);
    assert!(built.outputs.contains("/2025/06/comparatif-portables-arm/"));
    assert!(
        built
            .outputs
            .contains("/2027/08/ai-act-produits-reglementes/")
    );
    assert_eq!(card_links_across_pages(&built, "index.html").len(), 14);
}
