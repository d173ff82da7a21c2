//! Live comments (`[comments]` in `site.toml`, `comments:` in front matter): a button and the
//! provider's settings on the article page, nothing the browser would fetch from the provider
//! before the click, a link or notice without JavaScript, archived comments above the widget,
//! `comments: false`, a site's own partial; bad settings at their line of `site.toml` with
//! nothing written; the click in Chromium (`comments.test.mjs`).

use std::fs;

use scraper::Html;

use crate::support::*;

const LIVE: &str = "2025/03/live/index.html";
const ARCHIVED: &str = "2025/03/archived/index.html";
const CLOSED: &str = "2025/03/closed/index.html";
const TOOT: &str = "2025/03/toot/index.html";

/// The `comments` fixture with its `[comments]` table replaced by `table`.
fn site_with(table: &str) -> tempfile::TempDir {
    let dir = temp_site("comments");
    edit(&dir.path().join("site.toml"), |text| {
        let start = text.find("[comments]").expect("fixture has [comments]");
        format!("{}{table}", &text[..start])
    });
    dir
}

/// Asserts the page asks nothing of another host: no script, frame, stylesheet, image or
/// preload from anywhere but the site.
fn assert_no_foreign_resource(html: &Html) {
    for (css, attribute) in [
        ("script[src]", "src"),
        ("iframe", "src"),
        ("img", "src"),
        (
            "link[rel=stylesheet], link[rel=preload], link[rel=preconnect], link[rel=dns-prefetch]",
            "href",
        ),
    ] {
        for url in attrs(html, css, attribute) {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{css} asks another host: {url}"
            );
        }
    }
    assert!(all(html, "iframe").is_empty(), "no frame before the click");
}

#[test]
fn giscus_is_a_button_with_its_settings_and_requests_nothing() {
    let built = build_fixture("comments");
    let html = page(&built, LIVE);
    assert_no_foreign_resource(&html);
    let scripts = attrs(&html, "script[src]", "src");
    assert_eq!(
        scripts
            .iter()
            .filter(|s| s.contains("comments"))
            .collect::<Vec<_>>(),
        ["/comments.js"],
        "only the theme's script, once: {scripts:?}"
    );
    let button = one(&html, ".discussion button.discussion__show");
    assert_eq!(button.value().attr("type"), Some("button"));
    assert!(
        button.value().attr("hidden").is_some(),
        "hidden until the script runs"
    );
    assert_eq!(text_of(button), "Show comments");
    let described = button.value().attr("aria-describedby").unwrap();
    assert!(text_of(one(&html, &format!("#{described}"))).contains("giscus.app"));

    let box_ = one(&html, ".discussion");
    assert_eq!(box_.value().attr("data-provider"), Some("giscus"));
    assert_eq!(
        box_.value().attr("data-script"),
        Some("https://giscus.app/client.js")
    );
    assert_eq!(box_.value().attr("data-page-id"), Some("/2025/03/live/"));
    let widget = one(&html, ".discussion__widget").value();
    for (name, value) in [
        ("data-repo", "kiosque-news/site"),
        ("data-repo-id", "R_kgDOTEST"),
        ("data-category", "Comments"),
        ("data-category-id", "DIC_kwDOTEST"),
        ("data-mapping", "pathname"),
        ("data-strict", "0"),
        ("data-reactions-enabled", "1"),
        ("data-emit-metadata", "0"),
        ("data-input-position", "bottom"),
        ("data-theme", "preferred_color_scheme"),
        ("data-lang", "en"),
    ] {
        assert_eq!(widget.attr(name), Some(value), "{name}");
    }
    assert_eq!(widget.attr("tabindex"), Some("-1"), "focus can move to it");
    assert_eq!(widget.attr("aria-label"), Some("Comments from giscus.app"));

    // Without JavaScript: the repository's discussions.
    assert_eq!(
        attr(&html, ".discussion__link a", "href"),
        "https://github.com/kiosque-news/site/discussions"
    );
    assert_eq!(
        text_of(one(&html, ".discussion__link a")),
        "Read the discussion on GitHub"
    );
    assert_eq!(text_of(one(&html, "#comments-title")), "Comments");
}

#[test]
fn the_script_is_only_on_pages_with_a_widget() {
    let built = build_fixture("comments");
    for path in ["index.html", CLOSED, "tags/index.html"] {
        let html = page(&built, path);
        assert!(
            !attrs(&html, "script[src]", "src").contains(&"/comments.js".to_string()),
            "{path}"
        );
    }
    assert!(text(&built, "comments.js").contains("discussion__show"));
}

#[test]
fn archived_comments_come_first_under_the_same_heading() {
    let built = build_fixture("comments");
    let html = page(&built, ARCHIVED);
    let section = one(&html, "section.comments");
    assert_eq!(text_of(one(&html, "#comments-title")), "Comments");
    assert_eq!(
        text_of(one(&html, ".comments__archived")),
        "From the archive (2)"
    );
    let inner = section.html();
    let archive = inner.find("comments__list").expect("archived list");
    let widget = inner.find("class=\"discussion ").expect("widget");
    assert!(archive < widget, "the archive is above the widget");
    assert_eq!(
        texts(&html, "section.comments :is(h2, h3)"),
        ["Comments", "From the archive (2)", "New comments"],
        "the headings outline the section"
    );
    let live = page(&built, LIVE);
    assert_eq!(texts(&live, "section.comments :is(h2, h3)"), ["Comments"]);
    assert_eq!(all(&html, ".comments__list .comment").len(), 2);
    assert_eq!(
        all(&html, ".comments__list > li > .comments__replies > li").len(),
        1
    );

    // Without a widget the heading is the count, as before.
    let dir = site_with("");
    let built = build_with(&options(dir.path()));
    let html = page(&built, ARCHIVED);
    assert_eq!(text_of(one(&html, "#comments-title")), "2 comments");
    assert!(all(&html, ".discussion").is_empty());
    assert!(all(&html, ".comments__archived").is_empty());
    assert!(
        all(&page(&built, LIVE), "section.comments").is_empty(),
        "nothing to show"
    );
}

#[test]
fn comments_false_hides_the_archive_and_the_widget() {
    let built = build_fixture("comments");
    let html = page(&built, CLOSED);
    assert!(all(&html, "section.comments").is_empty());
    assert!(all(&html, ".discussion").is_empty());
    assert!(all(&html, ".comment").is_empty());
}

#[test]
fn a_mastodon_thread_links_to_the_post_and_fetches_nothing() {
    let built = build_fixture("comments");
    let html = page(&built, TOOT);
    assert_no_foreign_resource(&html);
    let box_ = one(&html, ".discussion");
    assert_eq!(box_.value().attr("data-provider"), Some("mastodon"));
    assert_eq!(box_.value().attr("data-script"), None);
    assert_eq!(
        box_.value().attr("data-reply"),
        Some("Reply on mastodon.example")
    );
    let widget = one(&html, ".discussion__widget").value();
    assert_eq!(
        widget.attr("data-instance"),
        Some("https://mastodon.example")
    );
    assert_eq!(widget.attr("data-id"), Some("109876543210"));
    let link = one(&html, ".discussion__link a");
    assert_eq!(
        link.value().attr("href"),
        Some("https://mastodon.example/@kiosque/109876543210")
    );
    assert_eq!(text_of(link), "Read the discussion on mastodon.example");
    let scripts = attrs(&html, "script[src]", "src");
    assert_eq!(
        scripts.iter().filter(|s| s.contains("comments")).count(),
        1,
        "{scripts:?}"
    );

    // The article's thread stands whatever the site's provider, or without one.
    let dir = site_with("");
    let built = build_with(&options(dir.path()));
    let html = page(&built, TOOT);
    assert_eq!(attr(&html, ".discussion", "data-provider"), "mastodon");
}

#[test]
fn each_provider_gets_its_own_settings() {
    let cases = [
        (
            "[comments]\nprovider = \"isso\"\nurl = \"https://talk.example.org/isso/\"\nrequire_author = true\n",
            "https://talk.example.org/isso/js/embed.min.js",
            &[
                ("data-isso", "https://talk.example.org/isso/"),
                ("data-isso-lang", "en"),
                ("data-isso-require-author", "true"),
            ][..],
        ),
        (
            "[comments]\nprovider = \"remark42\"\nhost = \"https://remark.example.org\"\nsite_id = \"news\"\nlocale = \"fr\"\n",
            "https://remark.example.org/web/embed.mjs",
            &[
                ("data-host", "https://remark.example.org"),
                ("data-site-id", "news"),
                ("data-locale", "fr"),
            ][..],
        ),
        (
            "[comments]\nprovider = \"cusdis\"\napp_id = \"0b5e-app\"\n",
            "https://cusdis.com/js/cusdis.es.js",
            &[
                ("data-host", "https://cusdis.com"),
                ("data-app-id", "0b5e-app"),
                ("data-page-id", "/2025/03/live/"),
                ("data-page-url", "https://comments.example/2025/03/live/"),
                ("data-page-title", "Live comments only"),
                ("data-theme", "auto"),
            ][..],
        ),
    ];
    for (table, script, data) in cases {
        let dir = site_with(table);
        let built = build_with(&options(dir.path()));
        let html = page(&built, LIVE);
        assert_no_foreign_resource(&html);
        assert_eq!(attr(&html, ".discussion", "data-script"), script, "{table}");
        for (name, value) in data {
            assert_eq!(attr(&html, ".discussion__widget", name), *value, "{table}");
        }
        // No public page to link to: a notice for readers without JavaScript.
        assert!(all(&html, ".discussion__link").is_empty(), "{table}");
        assert!(
            one(&html, ".discussion noscript")
                .inner_html()
                .contains("Comments need JavaScript."),
            "{table}"
        );
    }
    // `provider = "mastodon"`: only articles naming a thread show one.
    let dir = site_with("[comments]\nprovider = \"mastodon\"\n");
    let built = build_with(&options(dir.path()));
    assert!(all(&page(&built, LIVE), ".discussion").is_empty());
    assert_eq!(all(&page(&built, TOOT), ".discussion").len(), 1);
}

#[test]
fn french_strings_and_a_site_override_of_the_strings() {
    let dir = temp_site("comments");
    edit(&dir.path().join("site.toml"), |t| {
        t.replace("language = \"en\"", "language = \"fr\"")
    });
    let built = build_with(&options(dir.path()));
    let html = page(&built, LIVE);
    assert_eq!(
        text_of(one(&html, ".discussion__show")),
        "Afficher les commentaires"
    );
    assert_eq!(attr(&html, ".discussion__widget", "data-lang"), "fr");
    assert_eq!(text_of(one(&html, "#comments-title")), "Commentaires");

    fs::create_dir_all(dir.path().join("i18n")).unwrap();
    fs::write(
        dir.path().join("i18n/fr.toml"),
        "show_comments = \"Voir les réactions\"\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, LIVE);
    assert_eq!(
        text_of(one(&html, ".discussion__show")),
        "Voir les réactions"
    );
}

#[test]
fn a_site_overrides_the_discussion_partial() {
    let dir = temp_site("comments");
    fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
    fs::write(
        dir.path().join("templates/partials/discussion.html"),
        "{% if article.discussion %}<p class=\"own-widget\" data-host=\"{{ article.discussion.host }}\" data-site=\"{{ site.comments.provider.name }} {{ site.comments.provider.repo }}\">{{ article.discussion.provider }}</p>{% endif %}",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, LIVE);
    assert_eq!(text_of(one(&html, ".own-widget")), "giscus");
    assert_eq!(attr(&html, ".own-widget", "data-host"), "giscus.app");
    assert_eq!(
        attr(&html, ".own-widget", "data-site"),
        "giscus kiosque-news/site",
        "site.comments holds the settings of site.toml"
    );
    assert!(all(&html, ".discussion").is_empty());
    assert_eq!(text_of(one(&page(&built, TOOT), ".own-widget")), "mastodon");
}

#[test]
fn an_unknown_provider_is_an_error_at_its_line() {
    assert_config_rejected(
        "[comments]\nprovider = \"disqus\"\n",
        8,
        &[
            "unknown comment provider `disqus`",
            "giscus, isso, remark42, cusdis, mastodon",
        ],
    );
}

#[test]
fn a_missing_setting_is_an_error_at_the_provider() {
    assert_config_rejected(
        "[comments]\nprovider = \"giscus\"\nrepo = \"a/b\"\ncategory = \"C\"\ncategory_id = \"D\"\n",
        8,
        &["giscus needs `repo_id`"],
    );
    assert_config_rejected(
        "[comments]\nrepo = \"a/b\"\n",
        7,
        &["`[comments]` needs a `provider`"],
    );
}

#[test]
fn a_url_that_is_not_https_is_an_error_at_its_line() {
    assert_config_rejected(
        "[comments]\nprovider = \"isso\"\nurl = \"http://talk.example.org\"\n",
        9,
        &["`url` must be an https URL", "http://talk.example.org"],
    );
}

#[test]
fn a_setting_of_another_provider_is_an_error_at_its_line() {
    assert_config_rejected(
        "[comments]\nprovider = \"cusdis\"\napp_id = \"x\"\nrepo_id = \"R\"\n",
        10,
        &[
            "`repo_id` is not a setting of cusdis",
            "its settings: host, app_id, lang, theme",
        ],
    );
    assert_config_rejected(
        "[comments]\nprovider = \"isso\"\nsever = \"x\"\n",
        9,
        &["sever"],
    );
}

#[test]
fn a_bad_comments_value_in_front_matter_is_an_error_at_its_line() {
    let dir = temp_site("comments");
    fs::write(
        dir.path().join("content/2025/bad.md"),
        "---\ntitle: Bad\ndate: 2025-03-05\ncomments:\n  mastodon: http://mastodon.example/@a/1\n---\n\nBody.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/2025/worse.md"),
        "---\ntitle: Worse\ndate: 2025-03-05\ncomments: maybe\n---\n\nBody.\n",
    )
    .unwrap();
    let diagnostics = diagnostics(&options(dir.path()));
    for (prefix, part) in [
        (
            "content/2025/bad.md:4:",
            "is not the https URL of a Mastodon post",
        ),
        (
            "content/2025/worse.md:4:",
            "must be true, false or `{mastodon: URL of a post}`, found `maybe`",
        ),
    ] {
        assert!(
            diagnostics
                .iter()
                .any(|d| d.starts_with(prefix) && d.contains(part)),
            "{prefix} {part}: {diagnostics:?}"
        );
    }
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn comments_load_only_after_the_click() {
    crate::browser::run_browser_test("comments", "comments.test.mjs");
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn self_hosted_providers_load_their_script_only_after_the_click() {
    let script = crate::browser::browser_tests().join("comments-providers.test.mjs");
    let providers = [
        (
            "isso",
            "[comments]\nprovider = \"isso\"\nurl = \"https://talk.example.org/isso\"\nrequire_author = true\n",
        ),
        (
            "remark42",
            "[comments]\nprovider = \"remark42\"\nhost = \"https://remark.example.org\"\nsite_id = \"news\"\nlocale = \"fr\"\ntheme = \"light\"\n",
        ),
        (
            "cusdis",
            "[comments]\nprovider = \"cusdis\"\nhost = \"https://cusdis.example.org\"\napp_id = \"0b5e-app\"\nlang = \"fr\"\n",
        ),
    ];
    for (provider, table) in providers {
        let dir = site_with(table);
        let site = dir.path().join("public");
        let mut options = options(dir.path());
        options.output = Some(site.clone());
        kiosque::build(&options).unwrap_or_else(|e| panic!("{}", describe(&e)));
        let output = crate::browser::node_test(
            &script,
            &[
                ("SITE_DIR", site.as_os_str()),
                ("PROVIDER", std::ffi::OsStr::new(provider)),
            ],
        );
        crate::browser::assert_node_passed(&output);
    }
}
