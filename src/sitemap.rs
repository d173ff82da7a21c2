//! `sitemap.xml` (every page with its `lastmod`) and `robots.txt` naming it. Part of the render
//! stage; no I/O.

use std::fmt::Write;

use crate::html::escape;
use crate::render::rfc3339;
use crate::site::{SITEMAP_PATH, Site, TAG_INDEX_PATH};

/// The sitemap of every page except the 404 page and redirects.
pub(crate) fn sitemap(site: &Site) -> String {
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    let newest = |indices: &mut dyn Iterator<Item = usize>| site.newest(indices).map(rfc3339);
    for (index, path) in site.home.paths.iter().enumerate() {
        entries.push((path.clone(), newest(&mut site.home.items(index))));
    }
    for article in &site.articles {
        entries.push((article.path.clone(), Some(rfc3339(article.last_modified()))));
    }
    entries.push((
        TAG_INDEX_PATH.to_string(),
        newest(&mut (0..site.articles.len())),
    ));
    for taxonomy in site.taxonomies() {
        for term in &taxonomy.terms {
            for (index, path) in term.pages.paths.iter().enumerate() {
                let mut items = term.pages.items(index).map(|i| term.articles[i]);
                entries.push((path.clone(), newest(&mut items)));
            }
        }
    }
    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in entries {
        let _ = write!(xml, "<url><loc>{}</loc>", escape(&site.permalink(&path)));
        if let Some(lastmod) = lastmod {
            let _ = write!(xml, "<lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt` allowing everything and naming the sitemap.
pub(crate) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink(SITEMAP_PATH)
    )
}
