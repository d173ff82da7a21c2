//! Search: every build writes an index per part of the site, which the theme's search page
//! (one per part) and the header's box use; `[search] enabled = false` turns it all off.
//! What a reader does with it, typing and filtering, is tested in Chromium
//! (tests/browser/search.test.mjs).

use crate::support::*;

/// A JSON file of the outputs.
fn json(outputs: &kiosque::output::Outputs, path: &str) -> serde_json::Value {
    let bytes = outputs.read(path).unwrap_or_else(|| panic!("no {path}"));
    serde_json::from_slice(&bytes).unwrap()
}

/// The pages an index lists (`p/<n>.json`), by number.
fn pages(outputs: &kiosque::output::Outputs, index: &str) -> Vec<serde_json::Value> {
    let count = json(outputs, &format!("{index}meta.json"))["pages"]
        .as_u64()
        .unwrap();
    (0..count)
        .map(|n| json(outputs, &format!("{index}p/{n}.json")))
        .collect()
}

/// The site paths of the articles an index lists, sorted.
fn listed(outputs: &kiosque::output::Outputs, index: &str) -> Vec<String> {
    if !outputs.has_file(&format!("{index}meta.json")) {
        return Vec::new();
    }
    let mut urls: Vec<String> = pages(outputs, index)
        .iter()
        .map(|f| f["url"].as_str().unwrap().to_string())
        .collect();
    urls.sort();
    urls
}

/// The pages of an index holding a stem, by number, from the piece of the index a query for
/// it downloads (`w/<hex of its first three letters>.json`).
fn holding(outputs: &kiosque::output::Outputs, index: &str, stem: &str) -> Vec<u64> {
    let first: String = stem.chars().take(3).collect();
    let hex: String = first.bytes().map(|b| format!("{b:02x}")).collect();
    let piece = json(outputs, &format!("{index}w/{hex}.json"));
    let postings = piece["s"][stem].as_array().cloned().unwrap_or_default();
    let mut page = 0;
    postings
        .chunks(2)
        .map(|pair| {
            page += pair[0].as_u64().unwrap();
            page
        })
        .collect()
}

#[test]
fn each_part_has_its_own_index_with_what_results_show_and_filter() {
    let built = build_fixture("search");
    let meta = json(&built.outputs, "en/search-index/meta.json");
    assert_eq!(meta["language"], "en");
    assert_eq!(meta["pages"], 2);

    // Pages are numbered newest first.
    let french = pages(&built.outputs, "search-index/");
    let urls: Vec<&str> = french.iter().map(|f| f["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "/2025/02/sommet-ia/",
            "/2025/02/mistral-modele/",
            "/2025/02/rust-noyau/"
        ]
    );
    let mistral = &french[1];
    assert_eq!(mistral["title"], "Mistral publie un nouveau modèle ouvert");
    assert_eq!(mistral["category"], "Entreprises");
    assert_eq!(mistral["date"], "2025-02-08T09:00:00Z");
    assert!(
        mistral["text"]
            .as_str()
            .unwrap()
            .contains("Les investisseurs saluent une levée de fonds record."),
        "{mistral}"
    );
    // Text that looks like markup is kept as written; the browser writes it as text.
    assert!(
        french[2]["text"]
            .as_str()
            .unwrap()
            .contains("cite <img src=x onerror=alert(1)> :")
    );

    // Words are found by their stem, without accents: `régulation` (page 0), `investisseurs`
    // (page 1); the forms written lead to their stem.
    assert_eq!(holding(&built.outputs, "search-index/", "regul"), [0]);
    assert_eq!(
        holding(&built.outputs, "search-index/", "investisseur"),
        [1]
    );
    let piece = json(&built.outputs, "search-index/w/726567.json");
    assert_eq!(piece["f"]["regulation"], "regul");
    // Each filter value lists its pages.
    let meta = json(&built.outputs, "search-index/meta.json");
    assert_eq!(
        meta["filters"]["author"],
        serde_json::json!(["Camille Martin", "Léa Dubois"])
    );
    assert_eq!(
        json(&built.outputs, "search-index/f/author/0.json"),
        serde_json::json!([0, 2])
    );
    assert_eq!(
        meta["filters"]["tag"],
        serde_json::json!(["IA", "Paris", "Rust", "Startups"])
    );

    let english = pages(&built.outputs, "en/search-index/");
    assert!(
        english
            .iter()
            .all(|f| f["url"].as_str().unwrap().starts_with("/en/"))
    );
    assert_eq!(holding(&built.outputs, "en/search-index/", "comput"), [0]);
}

#[test]
fn each_part_has_a_search_page_kept_out_of_search_engines() {
    let built = build_fixture("search");
    for (prefix, lang, bundle) in [
        ("", "fr", "/search-index/"),
        ("en/", "en", "/en/search-index/"),
    ] {
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
        "/journal/en/search-index/"
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
    let urls = listed(&built.outputs, "en/search-index/");
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
    assert!(!built.outputs.paths().any(|p| p.contains("search-index")));
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
    assert!(!outputs.paths().any(|p| p.contains("search-index/")));
    let jobs = project.take_search_jobs().expect("both parts to index");
    assert!(project.take_search_jobs().is_none(), "one batch at a time");
    project.search_done(jobs.run());
    outputs.apply(project.render().expect("serves the index"));
    assert_eq!(listed(&outputs, "search-index/").len(), 3);
    assert_eq!(listed(&outputs, "en/search-index/").len(), 2);
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
    assert_eq!(listed(&outputs, "search-index/").len(), 3);
    let jobs = project.take_search_jobs().expect("the French part");
    project.search_done(jobs.run());
    outputs.apply(project.render().unwrap());
    let contents = pages(&outputs, "search-index/");
    assert!(
        contents
            .iter()
            .any(|f| f["text"].as_str().unwrap().contains("historique"))
    );

    // A page removed takes its part's index down at once; the other part keeps its own.
    std::fs::remove_file(dir.path().join("content/fr/rust-noyau.md")).unwrap();
    let changed = [std::path::PathBuf::from("content/fr/rust-noyau.md")];
    kiosque::serve::changes::update(&mut project, &changed).unwrap();
    outputs.apply(project.render().unwrap());
    assert!(listed(&outputs, "search-index/").is_empty());
    assert!(!outputs.paths().any(|p| p.starts_with("search-index/")));
    assert_eq!(listed(&outputs, "en/search-index/").len(), 2);
    let jobs = project.take_search_jobs().expect("the French part again");
    project.search_done(jobs.run());
    outputs.apply(project.render().unwrap());
    assert_eq!(
        listed(&outputs, "search-index/"),
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
