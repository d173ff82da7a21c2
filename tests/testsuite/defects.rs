//! User-visible defects of the default theme, each read back from the output as a browser, a
//! validator or a crawler would: redundant landmark roles.

use crate::support::*;

/// Every HTML page of a build that is not an alias redirect, parsed, with its path.
fn pages(built: &kiosque::Built) -> Vec<(String, scraper::Html)> {
    html_paths(built)
        .into_iter()
        .map(|path| {
            let html = page(built, &path);
            (path, html)
        })
        .filter(|(_, html)| !is_redirect(html))
        .collect()
}

#[test]
fn landmarks_carry_no_redundant_role() {
    for fixture in ["news", "embeds"] {
        let built = build_fixture(fixture);
        for (path, html) in pages(&built) {
            for css in [
                "header[role=banner]",
                "footer[role=contentinfo]",
                "main[role=main]",
                "nav[role=navigation]",
                "aside[role=complementary]",
                "article[role=article]",
            ] {
                assert!(all(&html, css).is_empty(), "{fixture} {path}: {css}");
            }
        }
    }
}
