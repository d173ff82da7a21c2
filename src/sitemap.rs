//! `sitemap.xml` (every page with its `lastmod`, split under an index past 50,000 URLs), the
//! Google News sitemap of the last two days, and `robots.txt` naming them. Part of the render
//! stage; no I/O.

use std::fmt::Write;

use crate::html::escape;
use crate::render::rfc3339;
use crate::site::Site;

/// Most URLs one sitemap file may list; a bigger site gets an index of several files.
pub(crate) const MAX_URLS: usize = 50_000;

/// Most articles a Google News sitemap may list.
const MAX_NEWS: usize = 1_000;

/// How recent an article must be to be in the news sitemap: two days.
const NEWS_WINDOW_SECONDS: i64 = 2 * 24 * 3600;

/// Every page except the 404 page and redirects, with the date of the newest thing it shows.
fn entries(site: &Site) -> Vec<(String, Option<String>)> {
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    let newest = |indices: &mut dyn Iterator<Item = usize>| site.newest(indices).map(rfc3339);
    for (index, path) in site.home.paths.iter().enumerate() {
        entries.push((path.clone(), newest(&mut site.home.items(index))));
    }
    for article in &site.articles {
        entries.push((article.path.clone(), Some(rfc3339(article.last_modified()))));
    }
    for path in [site.tags_path(), site.archives_path()] {
        entries.push((path, newest(&mut (0..site.articles.len()))));
    }
    for taxonomy in site.taxonomies() {
        for term in &taxonomy.terms {
            for (index, path) in term.pages.paths.iter().enumerate() {
                let mut items = term.pages.items(index).map(|i| term.articles[i]);
                entries.push((path.clone(), newest(&mut items)));
            }
        }
    }
    entries
}

/// Number of URLs the sitemap lists, without building them.
pub(crate) fn url_count(site: &Site) -> usize {
    let terms: usize = site
        .taxonomies()
        .iter()
        .flat_map(|t| &t.terms)
        .map(|t| t.pages.paths.len())
        .sum();
    // The tag index and the archives.
    site.home.paths.len() + site.articles.len() + 2 + terms
}

/// Number of sitemap files: 1 when every URL fits, else the parts an index lists.
pub(crate) fn part_count(urls: usize, max: usize) -> usize {
    if urls <= max { 1 } else { urls.div_ceil(max) }
}

/// Site path of sitemap file `part`: 0 is `sitemap.xml` (the index when there are parts).
pub(crate) fn part_path(site: &Site, part: usize) -> String {
    if part == 0 {
        site.sitemap_path()
    } else {
        format!("{}sitemap-{part}.xml", site.home_path())
    }
}

/// Sitemap file `part` (see [`part_path`]) of a site whose files list at most `max` URLs.
pub(crate) fn sitemap(site: &Site, part: usize, max: usize) -> String {
    let entries = entries(site);
    let parts = part_count(entries.len(), max);
    let mut xml = String::with_capacity(entries.len().min(max) * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if parts > 1 && part == 0 {
        xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (index, chunk) in entries.chunks(max).enumerate() {
            let url = escape(&site.permalink(&part_path(site, index + 1)));
            let _ = write!(xml, "<sitemap><loc>{url}</loc>");
            if let Some(newest) = chunk.iter().filter_map(|(_, d)| d.as_deref()).max() {
                let _ = write!(xml, "<lastmod>{newest}</lastmod>");
            }
            xml.push_str("</sitemap>\n");
        }
        xml.push_str("</sitemapindex>\n");
        return xml;
    }
    let chunk = if parts > 1 {
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

/// The articles of the Google News sitemap, newest first: published in the two days before
/// the build, at most 1,000.
pub(crate) fn news_articles(site: &Site) -> impl Iterator<Item = usize> + '_ {
    let now = site.config.now.as_second();
    site.articles
        .iter()
        .enumerate()
        .filter(move |(_, a)| {
            let published = a.date.timestamp().as_second();
            published <= now && now - published <= NEWS_WINDOW_SECONDS
        })
        .map(|(index, _)| index)
        .take(MAX_NEWS)
}

/// The Google News sitemap: each recent article with the publication's name and language.
pub(crate) fn news_sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    let name = escape(&site.config.title);
    for index in news_articles(site) {
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

/// `robots.txt` allowing everything and naming the sitemaps of every part of the site.
pub(crate) fn robots(site: &Site) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n\n");
    let prefixes = std::iter::once("/".to_string()).chain(
        site.config
            .languages
            .iter()
            .map(|l| format!("/{}/", l.lang)),
    );
    for prefix in prefixes {
        for file in ["sitemap.xml", "news-sitemap.xml"] {
            let _ = writeln!(
                text,
                "Sitemap: {}",
                site.permalink(&format!("{prefix}{file}"))
            );
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
        let whole = sitemap(&site, 0, MAX_URLS);
        let all = locs(&whole);
        assert_eq!(all.len(), url_count(&site));
        assert!(whole.contains("<urlset"));

        // Three URLs per file: an index and its parts, as crawlers read them.
        let parts = part_count(all.len(), 3);
        assert_eq!(parts, all.len().div_ceil(3));
        let index = sitemap(&site, 0, 3);
        assert!(index.contains("<sitemapindex"), "{index}");
        let listed: Vec<String> = (1..=parts)
            .map(|part| format!("https://t.example/sitemap-{part}.xml"))
            .collect();
        assert_eq!(locs(&index), listed);
        let mut found: Vec<String> = Vec::new();
        for part in 1..=parts {
            let xml = sitemap(&site, part, 3);
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
