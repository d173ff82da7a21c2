//! The redirect maps: old URLs no static file can answer (`/?p=123`, `/?page_id=7`, kept as
//! `aliases` by the WordPress import), for hosts that read a file of rules. Part of the render
//! stage; no I/O.

use std::fmt::Write;

use crate::site::Site;

/// Every old URL with a query of every part, with the URL (base path included) it moves to.
fn redirects(sites: &[Site]) -> Vec<(&str, String)> {
    let mut all: Vec<(&str, String)> = sites
        .iter()
        .flat_map(|site| {
            site.query_redirects()
                .map(|(from, to)| (from, site.url(to)))
        })
        .collect();
    all.sort();
    all
}

/// `_redirects` as Netlify reads it: the path, then the query's `key=value` pairs, which
/// Netlify matches (`/ p=123 /2025/02/slug/ 301`).
pub(crate) fn netlify(sites: &[Site]) -> String {
    let mut text = String::from(
        "# Old URLs with a query, written by Kiosque from the aliases of articles and pages.\n",
    );
    for (from, to) in redirects(sites) {
        let (path, query) = from.split_once('?').unwrap_or((from, ""));
        let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        let _ = writeln!(text, "{path} {} {to} 301", pairs.join(" "));
    }
    text
}

/// An nginx `map` from the request URI to the new URL; include it in the `http` block and
/// add `if ($kiosque_redirect) { return 301 $kiosque_redirect; }` to the `server` block.
pub(crate) fn nginx(sites: &[Site]) -> String {
    let mut text = String::from(
        "# Old URLs with a query, written by Kiosque. Include this file in the http block,\n\
         # then in the server block: if ($kiosque_redirect) { return 301 $kiosque_redirect; }\n\
         map $request_uri $kiosque_redirect {\n    default \"\";\n",
    );
    for (from, to) in redirects(sites) {
        let _ = writeln!(text, "    \"{from}\" \"{to}\";");
    }
    text.push_str("}\n");
    text
}
