//! `sitemap.xml` (every page with its `lastmod`, split under an index past 50,000 URLs), the
//! Google News sitemap of the last two days, and `robots.txt` naming those that exist. Part of
//! the render stage; no I/O. Which pages they list is the model's list of outputs.

use std::fmt::Write;

use super::views::rfc3339;
use crate::html::escape;
use crate::site::{Extras, MAX_SITEMAP_URLS, Page, Site, Unit};

/// Every page except the 404 page, in the order of the list of outputs, with the date of the
/// newest thing it shows.
fn entries(site: &Site) -> Vec<(String, Option<String>)> {
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    let newest = |indices: &mut dyn Iterator<Item = usize>| site.newest(indices).map(rfc3339);
    site.each_output(Extras::default(), |path, unit| {
        let Unit::Page(page) = unit else { return };
        let lastmod = match page {
            Page::Home(index) => newest(&mut site.home.items(index)),
            Page::Article(index) => Some(rfc3339(site.articles[index].last_modified())),
            Page::TagIndex | Page::Archives => newest(&mut (0..site.articles.len())),
            Page::Term(kind, term, index) => {
                let term = &site.taxonomy(kind).terms[term];
                newest(&mut term.pages.items(index).map(|i| term.articles[i]))
            }
            Page::Standalone(_) => None,
            Page::NotFound | Page::Search => return,
        };
        entries.push((path.to_string(), lastmod));
    });
    entries
}

/// Sitemap file `part` (see [`Site::sitemap_part_path`]), listing at most `max` URLs a file.
pub(crate) fn sitemap(site: &Site, part: usize) -> String {
    sitemap_of(site, part, MAX_SITEMAP_URLS)
}

fn sitemap_of(site: &Site, part: usize, max: usize) -> String {
    let entries = entries(site);
    let indexed = entries.len() > max;
    let mut xml = String::with_capacity(entries.len().min(max) * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if indexed && part == 0 {
        xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (index, chunk) in entries.chunks(max).enumerate() {
            let url = escape(&site.permalink(&site.sitemap_part_path(index + 1)));
            let _ = write!(xml, "<sitemap><loc>{url}</loc>");
            if let Some(newest) = chunk.iter().filter_map(|(_, d)| d.as_deref()).max() {
                let _ = write!(xml, "<lastmod>{newest}</lastmod>");
            }
            xml.push_str("</sitemap>\n");
        }
        xml.push_str("</sitemapindex>\n");
        return xml;
    }
    let chunk = if indexed {
        entries.chunks(max).nth(part - 1).unwrap_or_default()
    } else {
        &entries[..]
    };
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in chunk {
        let _ = write!(xml, "<url><loc>{}</loc>", escape(&site.permalink(path)));
        if let Some(lastmod) = lastmod {
            let _ = write!(xml, "<lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The Google News sitemap: each recent article with the publication's name and language.
/// The list of outputs has it only when there is at least one, as its schema requires.
pub(crate) fn news_sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    let name = escape(&site.config.title);
    for index in site.news_articles() {
        let article = &site.articles[index];
        let _ = writeln!(
            xml,
            "<url><loc>{}</loc><news:news><news:publication><news:name>{name}</news:name>\
             <news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title>\
             </news:news></url>",
            escape(&site.permalink(&article.path)),
            escape(&news_language(&article.lang)),
            rfc3339(&article.date),
            escape(&article.title),
        );
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Google News wants an ISO 639 code, except `zh-cn` and `zh-tw`.
fn news_language(lang: &str) -> String {
    let lang = lang.to_ascii_lowercase();
    match lang.as_str() {
        "zh-cn" | "zh-tw" => lang,
        _ => lang
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// `robots.txt` allowing everything and naming the sitemaps of every part of the site: each
/// part's sitemap, and its news sitemap when it has one.
pub(crate) fn robots(sites: &[Site]) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n\n");
    for site in sites {
        let mut sitemaps = vec![site.sitemap_path()];
        if site.news_articles().next().is_some() {
            sitemaps.push(site.news_sitemap_path());
        }
        for path in sitemaps {
            let _ = writeln!(text, "Sitemap: {}", sites[0].permalink(&path));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::sample::site;

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .collect()
    }

    #[test]
    fn a_big_site_gets_an_index_of_parts_listing_every_url_once() {
        let site = site(&[
            ("a.md", "A", "2025-01-01", "x", "Alpha."),
            ("b.md", "B", "2025-01-02", "x, y", "Beta."),
            ("c.md", "C", "2025-01-03", "y", "Gamma."),
        ]);
        let whole = sitemap(&site, 0);
        let all = locs(&whole);
        let mut pages = 0;
        site.each_output(Extras::default(), |_, unit| {
            pages += usize::from(
                matches!(unit, Unit::Page(p) if !matches!(p, Page::NotFound | Page::Search)),
            );
        });
        assert_eq!(all.len(), pages);
        assert!(whole.contains("<urlset"));

        // Three URLs per file: an index and its parts, as crawlers read them.
        let parts = all.len().div_ceil(3);
        let index = sitemap_of(&site, 0, 3);
        assert!(index.contains("<sitemapindex"), "{index}");
        let listed: Vec<String> = (1..=parts)
            .map(|part| format!("https://t.example/sitemap-{part}.xml"))
            .collect();
        assert_eq!(locs(&index), listed);
        let mut found: Vec<String> = Vec::new();
        for part in 1..=parts {
            let xml = sitemap_of(&site, part, 3);
            assert!(locs(&xml).len() <= 3);
            found.extend(locs(&xml).into_iter().map(String::from));
        }
        assert_eq!(found, all);
    }

    #[test]
    fn the_news_sitemap_keeps_the_last_two_days() {
        // Built on 2026-01-01T00:00:00Z.
        let site = site(&[
            ("old.md", "Old", "2025-12-29T23:00:00Z", "x", "."),
            ("edge.md", "Edge", "2025-12-30T00:00:00Z", "x", "."),
            ("new.md", "New & <b>", "2025-12-31T12:00:00Z", "x", "."),
        ]);
        let xml = news_sitemap(&site);
        assert_eq!(
            locs(&xml),
            [
                "https://t.example/2025/12/new/",
                "https://t.example/2025/12/edge/"
            ]
        );
        assert!(
            xml.contains("<news:title>New &amp; &lt;b&gt;</news:title>"),
            "{xml}"
        );
        assert!(xml.contains("<news:name>T</news:name><news:language>en</news:language>"));
        assert_eq!(news_language("zh-TW"), "zh-tw");
        assert_eq!(news_language("fr-CA"), "fr");
    }
}
