//! Search: every build writes a Pagefind index per part of the site, which the theme's search
//! page (one per part) and the header's box use; `[search] enabled = false` turns it all off.
//! What a reader does with it, typing and filtering, is tested in Chromium
//! (tests/browser/search.test.mjs).

use std::io::Read;

use crate::support::*;

/// The records of a bundle's fragments, as Pagefind wrote them (gzip, after a signature).
fn fragments(outputs: &kiosque::output::Outputs, bundle: &str) -> Vec<serde_json::Value> {
    let prefix = format!("{bundle}fragment/");
    outputs
        .paths()
        .filter(|p| p.starts_with(&prefix))
        .map(|path| {
            let bytes = outputs.read(path).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
            let json = text
                .strip_prefix("pagefind_dcd")
                .expect("Pagefind's signature");
            serde_json::from_str(json).unwrap()
        })
        .collect()
}

/// The site paths of the articles a bundle lists, sorted.
fn listed(outputs: &kiosque::output::Outputs, bundle: &str) -> Vec<String> {
    let mut urls: Vec<String> = fragments(outputs, bundle)
        .iter()
        .map(|f| f["url"].as_str().unwrap().to_string())
        .collect();
    urls.sort();
    urls
}

#[test]
fn each_part_has_its_own_index_with_what_results_show_and_filter() {
    let built = build_fixture("search");
    for bundle in ["pagefind/", "en/pagefind/"] {
        for file in ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json"] {
            assert!(
                built.outputs.has_file(&format!("{bundle}{file}")),
                "{bundle}{file}"
            );
        }
        // Pagefind's own interface is replaced by the theme's script.
        assert!(!built.outputs.has_file(&format!("{bundle}pagefind-ui.js")));
    }
    let entry: serde_json::Value = serde_json::from_str(
        built
            .outputs
            .text("en/pagefind/pagefind-entry.json")
            .unwrap(),
    )
    .unwrap();
    let languages: Vec<&String> = entry["languages"].as_object().unwrap().keys().collect();
    assert_eq!(languages, ["en"]);

    let french = fragments(&built.outputs, "pagefind/");
    let mut urls: Vec<&str> = french.iter().map(|f| f["url"].as_str().unwrap()).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "/2025/02/mistral-modele/",
            "/2025/02/rust-noyau/",
            "/2025/02/sommet-ia/"
        ]
    );
    let mistral = french
        .iter()
        .find(|f| f["url"] == "/2025/02/mistral-modele/")
        .unwrap();
    assert_eq!(
        mistral["meta"]["title"],
        "Mistral publie un nouveau modèle ouvert"
    );
    assert_eq!(mistral["meta"]["category"], "Entreprises");
    assert_eq!(mistral["meta"]["date"], "2025-02-08T09:00:00Z");
    assert_eq!(
        mistral["filters"]["author"],
        serde_json::json!(["Léa Dubois"])
    );
    assert_eq!(
        mistral["filters"]["tag"],
        serde_json::json!(["IA", "Startups"])
    );
    assert!(
        mistral["content"]
            .as_str()
            .unwrap()
            .contains("Les investisseurs saluent une levée de fonds record."),
        "{mistral}"
    );
    // Text that looks like markup is indexed as written; the browser side escapes it.
    let rust = french
        .iter()
        .find(|f| f["url"] == "/2025/02/rust-noyau/")
        .unwrap();
    assert!(
        rust["content"]
            .as_str()
            .unwrap()
            .contains("cite <img src=x onerror=alert(1)> :")
    );

    let english = fragments(&built.outputs, "en/pagefind/");
    assert_eq!(english.len(), 2);
    assert!(
        english
            .iter()
            .all(|f| f["url"].as_str().unwrap().starts_with("/en/"))
    );
}

#[test]
fn each_part_has_a_search_page_kept_out_of_search_engines() {
    let built = build_fixture("search");
    for (prefix, lang, bundle) in [("", "fr", "/pagefind/"), ("en/", "en", "/en/pagefind/")] {
        let html = page(&built, &format!("{prefix}search/index.html"));
        assert_eq!(attr(&html, "html", "lang"), lang);
        assert_eq!(attr(&html, "meta[name=robots]", "content"), "noindex");
        assert_eq!(attr(&html, ".search", "data-bundle"), bundle);
        assert_eq!(attr(&html, "script[type=module]", "src"), "/search.js");
        // The language filter lists this part's index first, then the other's.
        let bundles = attrs(&html, "#search-lang option[data-bundle]", "data-bundle");
        assert_eq!(bundles[0], bundle);
        assert_eq!(bundles.len(), 2);
        // Without JavaScript, the archives and tags of this part.
        assert_eq!(
            attrs(&html, ".search-nojs a", "href"),
            [format!("/{prefix}archives/"), format!("/{prefix}tags/")]
        );
        let sitemap = text(&built, &format!("{prefix}sitemap.xml"));
        assert!(!sitemap.contains("/search/"), "{sitemap}");
    }
    // Every page's header has a box leading to its part's search page.
    let home = page(&built, "en/index.html");
    assert_eq!(
        attr(&home, "header form[role=search]", "action"),
        "/en/search/"
    );
    assert_eq!(
        attr(&home, "header form[role=search] input", "type"),
        "search"
    );
    assert_eq!(
        attr(&home, "header form[role=search] label", "for"),
        attr(&home, "header form[role=search] input", "id")
    );
}

#[test]
fn under_a_base_path_every_address_has_it() {
    let dir = temp_site("search");
    edit(&dir.path().join("site.toml"), |text| {
        text.replace(
            "https://recherche.example/",
            "https://recherche.example/journal/",
        )
    });
    let built = build_with(&options(dir.path()));
    let html = page(&built, "en/search/index.html");
    assert_eq!(
        attr(&html, ".search", "data-bundle"),
        "/journal/en/pagefind/"
    );
    assert_eq!(
        attr(&html, "script[type=module]", "src"),
        "/journal/search.js"
    );
    assert_eq!(attr(&html, ".search-form", "action"), "/journal/en/search/");
    let home = page(&built, "en/index.html");
    assert_eq!(
        attr(&home, "header form[role=search]", "action"),
        "/journal/en/search/"
    );
    let urls: Vec<String> = fragments(&built.outputs, "en/pagefind/")
        .iter()
        .map(|f| f["url"].as_str().unwrap().to_string())
        .collect();
    assert!(
        urls.iter().all(|u| u.starts_with("/journal/en/2025/")),
        "{urls:?}"
    );
}

#[test]
fn search_can_be_turned_off() {
    let dir = temp_site("search");
    edit(&dir.path().join("site.toml"), |text| {
        format!("{text}\n[search]\nenabled = false\n")
    });
    let built = build_with(&options(dir.path()));
    assert!(!built.outputs.paths().any(|p| p.contains("pagefind")));
    assert!(!built.outputs.contains("/search/"));
    assert!(!built.outputs.contains("/en/search/"));
    assert!(all(&page(&built, "index.html"), "form[role=search]").is_empty());
}

#[test]
fn a_theme_without_a_search_page_must_say_search_is_off() {
    let dir = temp_site("search");
    let theme = dir.path().join("themes/bare/templates");
    std::fs::create_dir_all(&theme).unwrap();
    for name in [
        "index.html",
        "article.html",
        "tags.html",
        "term.html",
        "archives.html",
        "404.html",
    ] {
        std::fs::write(theme.join(name), "<p>{{ kind }}</p>").unwrap();
    }
    edit(&dir.path().join("site.toml"), |text| {
        text.replace("author = ", "theme = \"bare\"\nauthor = ")
    });
    let errors = diagnostics(&options(dir.path()));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("template `search.html` not found")),
        "{errors:?}"
    );
    edit(&dir.path().join("site.toml"), |text| {
        format!("{text}\n[search]\nenabled = false\n")
    });
    build_with(&options(dir.path()));
}

#[test]
fn an_unknown_search_setting_is_an_error_at_its_line() {
    let dir = temp_site("search");
    edit(&dir.path().join("site.toml"), |text| {
        format!("{text}\n[search]\nenable = false\n")
    });
    let errors = diagnostics(&options(dir.path()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("site.toml:13:"), "{errors:?}");
    assert!(errors[0].contains("enable"), "{errors:?}");
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn readers_search_as_they_type_filter_and_stay_on_the_site() {
    crate::browser::run_browser_test("search", "search.test.mjs");
}

#[test]
fn the_preview_indexes_after_the_reload_and_never_lists_a_page_gone() {
    let dir = temp_site("search");
    let options = options(dir.path());
    let mut project = kiosque::Project::load(&options).expect("loads");
    let mut outputs = kiosque::output::Outputs::default();
    // The first render serves the pages; the index follows, made away from the preview.
    outputs.apply(project.render().expect("builds"));
    assert!(!outputs.paths().any(|p| p.contains("pagefind/")));
    let jobs = project.take_search_jobs().expect("both parts to index");
    assert!(project.take_search_jobs().is_none(), "one batch at a time");
    project.search_done(jobs.run());
    outputs.apply(project.render().expect("serves the index"));
    assert_eq!(listed(&outputs, "pagefind/").len(), 3);
    assert_eq!(listed(&outputs, "en/pagefind/").len(), 2);
    assert!(
        project.take_search_jobs().is_none(),
        "nothing left to index"
    );

    // An edit keeps the index served until the new one is made.
    edit(&dir.path().join("content/fr/mistral-modele.md"), |text| {
        text.replace("levée de fonds record", "levée de fonds historique")
    });
    let changed = [std::path::PathBuf::from("content/fr/mistral-modele.md")];
    kiosque::serve::changes::update(&mut project, &changed).unwrap();
    let patch = project.render().unwrap();
    assert!(patch.removed.is_empty(), "{:?}", patch.removed);
    outputs.apply(patch);
    assert_eq!(listed(&outputs, "pagefind/").len(), 3);
    let jobs = project.take_search_jobs().expect("the French part");
    project.search_done(jobs.run());
    outputs.apply(project.render().unwrap());
    let contents = fragments(&outputs, "pagefind/");
    assert!(
        contents
            .iter()
            .any(|f| f["content"].as_str().unwrap().contains("historique"))
    );

    // A page removed takes its part's index down at once; the other part keeps its own.
    std::fs::remove_file(dir.path().join("content/fr/rust-noyau.md")).unwrap();
    let changed = [std::path::PathBuf::from("content/fr/rust-noyau.md")];
    kiosque::serve::changes::update(&mut project, &changed).unwrap();
    outputs.apply(project.render().unwrap());
    assert!(listed(&outputs, "pagefind/").is_empty());
    assert!(!outputs.paths().any(|p| p.starts_with("pagefind/")));
    assert_eq!(listed(&outputs, "en/pagefind/").len(), 2);
    let jobs = project.take_search_jobs().expect("the French part again");
    project.search_done(jobs.run());
    outputs.apply(project.render().unwrap());
    assert_eq!(
        listed(&outputs, "pagefind/"),
        ["/2025/02/mistral-modele/", "/2025/02/sommet-ia/"]
    );
    // Then the files served are a build's.
    let fresh = build_with(&options).outputs;
    assert_eq!(
        outputs.paths().collect::<Vec<_>>(),
        fresh.paths().collect::<Vec<_>>()
    );
    for path in fresh.paths() {
        assert!(outputs.read(path) == fresh.read(path), "{path} differs");
    }
}
