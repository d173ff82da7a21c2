//! Old URLs no static file can answer (`/?p=123`, a WordPress site's short links), kept as
//! `aliases`: listed in `_redirects` (Netlify) and an nginx map written with the build, never
//! as a page; two articles claiming one is an error.

use std::fs;

use crate::support::*;

fn site_with_query_aliases() -> tempfile::TempDir {
    let dir = temp_site("pages");
    edit(&dir.path().join("content/2025/premier.md"), |text| {
        text.replacen(
            "---\n",
            "---\naliases: [\"/?p=123\", \"/ancien/premier/\"]\n",
            1,
        )
    });
    edit(&dir.path().join("content/pages/a-propos.md"), |text| {
        text.replacen("---\n", "---\naliases: [\"/?page_id=7&lang=fr\"]\n", 1)
    });
    dir
}

#[test]
fn query_aliases_go_to_the_redirect_maps() {
    let dir = site_with_query_aliases();
    let built = build_with(&options(dir.path()));
    let netlify = text(&built, "_redirects");
    assert!(
        netlify.contains("\n/ p=123 /2025/02/premier/ 301\n"),
        "{netlify}"
    );
    assert!(
        netlify.contains("\n/ page_id=7 lang=fr /a-propos/ 301\n"),
        "{netlify}"
    );
    let nginx = text(&built, "nginx-redirects.map");
    assert!(
        nginx.contains("map $request_uri $kiosque_redirect {"),
        "{nginx}"
    );
    assert!(
        nginx.contains("    \"/?p=123\" \"/2025/02/premier/\";"),
        "{nginx}"
    );
    assert!(nginx.trim_end().ends_with('}'), "{nginx}");
    // The path alias is still a redirect page; the query one is not a page at all.
    assert!(is_redirect(&page(&built, "ancien/premier/index.html")));
    assert!(built.outputs.paths().all(|p| !p.contains('?')));
    // A site without such aliases writes neither file.
    let plain = build_fixture("pages");
    assert!(plain.outputs.get("_redirects").is_none());
    assert!(plain.outputs.get("nginx-redirects.map").is_none());
}

#[test]
fn one_old_url_leads_to_one_place() {
    let dir = site_with_query_aliases();
    edit(&dir.path().join("content/2025/second.md"), |text| {
        text.replacen("---\n", "---\naliases: [\"/?p=123\"]\n", 1)
    });
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.contains("?p=123") && d.contains("premier.md")),
        "{found:#?}"
    );
    fs::write(
        dir.path().join("content/2025/second.md"),
        "---\ntitle: S\ndate: 2025-03-01\naliases: [\"/?p=<script>\"]\n---\n",
    )
    .unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/2025/second.md:4:") && d.contains("query")),
        "{found:#?}"
    );
}
