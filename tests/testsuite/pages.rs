//! Standalone pages (`content/pages/`): about, contact, legal notice. Each at `/<slug>/`
//! through `page.html`, in the sitemap and the menus it asks for, never in article lists,
//! feeds, taxonomies or the news sitemap; drafts left out; old URLs redirected; a page taking
//! another output's URL is an error naming both; `serve` keeps them current.

use std::fs;

use crate::support::*;

#[test]
fn pages_are_served_at_their_slug_and_listed_nowhere_but_the_sitemap() {
    let built = build_fixture("pages");
    let about = page(&built, "a-propos/index.html");
    assert_eq!(text_of(one(&about, "h1")), "À propos");
    assert_eq!(
        attr(&about, "meta[name=description]", "content"),
        "Qui nous sommes et comment nous travaillons."
    );
    assert_eq!(
        attr(&about, ".prose a", "href"),
        "/2025/02/premier/",
        "the text is rendered as Markdown"
    );
    assert_eq!(
        attr(&about, "link[rel=canonical]", "href"),
        "https://pages.example/a-propos/"
    );
    assert!(built.outputs.contains("/contact/"));
    assert!(built.outputs.contains("/mentions-legales/"));

    let sitemap = sitemap_locs(&text(&built, "sitemap.xml"));
    for url in ["a-propos/", "contact/", "mentions-legales/"] {
        assert!(
            sitemap.contains(&format!("https://pages.example/{url}")),
            "{sitemap:?}"
        );
    }
    // Lists, feeds and taxonomies show articles only.
    let listed = card_links(&built, "index.html");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().all(|l| l.contains("/2025/")), "{listed:?}");
    for feed_path in ["atom.xml", "rss.xml", "feed.json"] {
        let titles = entry_titles(&feed(&built, feed_path));
        assert_eq!(titles.len(), 2, "{feed_path}: {titles:?}");
        assert!(!titles.iter().any(|t| t.contains("propos")), "{titles:?}");
    }
    // The menus link the pages from every page; what a page's main content lists does not.
    for list in [
        "archives/index.html",
        "tags/index.html",
        "tags/rust/index.html",
    ] {
        let links = attrs(&page(&built, list), "main a", "href");
        assert!(!links.is_empty(), "{list}");
        assert!(
            links.iter().all(|l| !l.contains("propos")),
            "{list}: {links:?}"
        );
    }
    let news = sitemap_news(&built);
    assert!(!news.contains("a-propos"), "{news}");
}

/// The news sitemap at a build time where both articles are news, if it is written.
fn sitemap_news(_: &kiosque::Built) -> String {
    let dir = fixture("pages");
    let mut options = options(&dir);
    options.now = Some("2025-02-04T12:00:00+01:00".parse().unwrap());
    let built = build_with(&options);
    let xml = text(&built, "news-sitemap.xml").to_string();
    assert!(xml.contains("/2025/02/premier/"), "{xml}");
    xml
}

#[test]
fn menus_list_their_pages_in_order_on_every_page() {
    let built = build_fixture("pages");
    let paths: Vec<String> = html_paths(&built)
        .into_iter()
        .filter(|path| !is_redirect(&page(&built, path)))
        .collect();
    assert!(paths.len() > 5, "{paths:?}");
    for path in &paths {
        let html = page(&built, path);
        let header = texts(&html, ".site-nav li a");
        assert_eq!(
            header[header.len() - 2..],
            ["Contact".to_string(), "À propos".to_string()],
            "{path}: order 0 before order 2"
        );
        assert_eq!(
            texts(&html, ".site-footer__pages a"),
            ["Mentions légales"],
            "{path}: the draft is left out"
        );
        assert_eq!(
            attrs(&html, ".site-footer__pages a", "href"),
            ["/mentions-legales/"]
        );
    }
    let about = page(&built, "a-propos/index.html");
    assert_eq!(
        attr(&about, ".site-nav a[aria-current=page]", "href"),
        "/a-propos/"
    );
    // A site without pages shows no empty menu.
    let minimal = page(&build_fixture("minimal"), "index.html");
    assert!(all(&minimal, ".site-footer__pages").is_empty());
}

#[test]
fn drafts_and_old_urls() {
    let built = build_fixture("pages");
    assert!(!built.outputs.contains("/vie-privee/"));
    assert!(html_paths(&built).iter().all(|p| !p.contains("vie-privee")));

    let mut with_drafts = options(fixture("pages"));
    with_drafts.drafts = true;
    let drafts = build_with(&with_drafts);
    let privacy = page(&drafts, "vie-privee/index.html");
    assert_eq!(text_of(one(&privacy, "h1")), "Politique de confidentialité");
    assert_eq!(
        texts(&privacy, ".site-footer__pages a"),
        ["Mentions légales", "Politique de confidentialité"],
        "order 0 (unsaid) before order 1"
    );

    let legal = page(&built, "legal/index.html");
    assert!(is_redirect(&legal));
    assert_eq!(
        attr(&legal, "link[rel=canonical]", "href"),
        "https://pages.example/mentions-legales/"
    );
}

#[test]
fn a_page_taking_another_outputs_url_is_an_error_naming_both() {
    let dir = temp_site("pages");
    fs::write(
        dir.path().join("content/pages/etiquettes.md"),
        "---\ntitle: Étiquettes\nslug: tags\n---\n\nTexte.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/pages/ancien.md"),
        "---\ntitle: Ancien\naliases: [\"/2025/02/premier/\"]\n---\n\nTexte.\n",
    )
    .unwrap();
    let public = dir.path().join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join(".kiosque-output"), "").unwrap();
    fs::write(public.join("index.html"), "previous build").unwrap();
    let before = snapshot(&public);

    let root = dir.path().to_str().unwrap();
    let output = kiosque(&["build", "--root", root]);
    assert!(!output.status.success());
    let errors = stderr(&output);
    assert!(
        errors.contains("content/pages/etiquettes.md:3:1: error")
            && errors.contains("https://pages.example/tags/")
            && errors.contains("the tag index"),
        "{errors}"
    );
    assert!(
        errors.contains("content/pages/ancien.md:3:1: error")
            && errors.contains("content/2025/premier.md"),
        "{errors}"
    );
    assert_eq!(snapshot(&public), before, "the previous build is untouched");
}

#[test]
fn bad_page_front_matter_is_reported_at_its_line() {
    let dir = temp_site("pages");
    fs::write(
        dir.path().join("content/pages/contact.md"),
        "---\ntitle: Contact\nmenu: sidebar\n---\n\nTexte.\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/pages/contact.md:3:7") && d.contains("`sidebar`")),
        "{found:#?}"
    );
    fs::write(
        dir.path().join("content/pages/contact.md"),
        "---\ntitle: Contact\ndate: 2025-01-01\n---\n\nTexte.\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/pages/contact.md:") && d.contains("date")),
        "pages have no date: {found:#?}"
    );
}

#[test]
fn serve_follows_pages_created_edited_and_deleted() {
    let dir = temp_site("pages");
    let mut site = Following::start(options(dir.path()));

    let about = dir.path().join("content/pages/a-propos.md");
    edit(&about, |t| {
        t.replace("Une rédaction", "Toute une rédaction")
    });
    let written = site.changed("content/pages/a-propos.md", "text edited");
    assert_eq!(
        written,
        ["a-propos/index.html"],
        "only the page shows its text"
    );

    edit(&about, |t| {
        t.replace("title: À propos", "title: Qui sommes-nous")
    });
    let written = site.changed("content/pages/a-propos.md", "title in the menu");
    assert!(
        written.contains(&"index.html".to_string()) && written.len() > 5,
        "every page shows the menu: {written:?}"
    );

    fs::write(
        dir.path().join("content/pages/equipe.md"),
        "---\ntitle: L'équipe\nmenu: footer\n---\n\nNous.\n",
    )
    .unwrap();
    site.changed("content/pages/equipe.md", "page created");
    assert!(site.outputs.contains("/equipe/"));

    fs::remove_file(dir.path().join("content/pages/contact.md")).unwrap();
    site.changed("content/pages/contact.md", "page deleted");
    assert!(!site.outputs.contains("/contact/"));
}
