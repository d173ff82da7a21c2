//! Feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the site and for every taxonomy term,
//! with absolute URLs and full, escaped HTML content. Part of the render stage; no I/O.

use std::collections::HashMap;
use std::fmt::Write;

use rayon::prelude::*;
use serde_json::json;

use super::views::rfc3339;
use crate::html::{escape, escape_into, rebase_root_links};
use crate::site::{Article, FeedFormat, FeedOwner, FeedPaths, Site};

/// A feed's identity and the articles it lists.
struct Feed<'a> {
    title: String,
    /// Site path of the HTML page the feed belongs to.
    page: &'a str,
    paths: FeedPaths,
    /// Indices into [`Site::articles`], newest first.
    articles: Vec<usize>,
}

fn feed(site: &Site, owner: FeedOwner) -> Feed<'_> {
    let (title, page, paths) = match owner {
        FeedOwner::Site => (site.config.title.clone(), site.home_path(), site.feeds()),
        FeedOwner::Term(kind, term) => {
            let term = &site.taxonomy(kind).terms[term];
            (
                format!("{} – {}", site.config.title, term.name),
                term.path.as_str(),
                term.feeds(),
            )
        }
    };
    Feed {
        title,
        page,
        paths,
        articles: site.listed(owner).collect(),
    }
}

/// Renders these feeds, each given to `made(site path, text)` as soon as it is written; an
/// article listed in several is prepared once.
pub(crate) fn render<T: Send>(
    site: &Site,
    wanted: &[(FeedOwner, FeedFormat)],
    made: impl Fn(&str, String) -> T + Sync,
) -> Vec<T> {
    let mut feeds: HashMap<FeedOwner, Feed<'_>> = HashMap::new();
    for (owner, _) in wanted {
        feeds.entry(*owner).or_insert_with(|| feed(site, *owner));
    }
    let bodies = FeedBodies::new(site, feeds.values());
    wanted
        .par_iter()
        .map(|(owner, format)| {
            let feed = &feeds[owner];
            let text = match format {
                FeedFormat::Atom => atom(site, feed, &bodies),
                FeedFormat::Rss => rss(site, feed, &bodies),
                FeedFormat::Json => json_feed(site, feed, &bodies),
            };
            let path = match format {
                FeedFormat::Atom => &feed.paths.atom,
                FeedFormat::Rss => &feed.paths.rss,
                FeedFormat::Json => &feed.paths.json,
            };
            made(path, text)
        })
        .collect()
}

/// Each listed article's content and summary with absolute links, computed once although an
/// article appears in several feeds. Escaped as each feed writes them: holding escaped
/// copies of every listed body as well, and every feed until all were written, peaked
/// 160 MB higher at 10,000 articles.
struct FeedBodies {
    /// Indexed like [`Site::articles`]; `None` for articles in no feed.
    bodies: Vec<Option<FeedBody>>,
}

struct FeedBody {
    content: String,
    summary: String,
}

impl FeedBodies {
    fn new<'a>(site: &Site, feeds: impl Iterator<Item = &'a Feed<'a>>) -> Self {
        let mut listed = vec![false; site.articles.len()];
        for &index in feeds.flat_map(|f| &f.articles) {
            listed[index] = true;
        }
        let bodies = site
            .articles
            .par_iter()
            .zip(listed)
            .map(|(article, listed)| {
                listed.then(|| FeedBody {
                    content: absolute_links(&article.content, site),
                    summary: absolute_links(&article.summary, site),
                })
            })
            .collect();
        FeedBodies { bodies }
    }

    fn get(&self, index: usize) -> &FeedBody {
        self.bodies[index]
            .as_ref()
            .expect("bodies are computed for every listed article")
    }
}

/// Makes root-relative links absolute, since readers show entries out of the site's context
/// and RSS has no base URL.
fn absolute_links(html: &str, site: &Site) -> String {
    let origin = site.config.base_url.origin().ascii_serialization();
    rebase_root_links(html, &format!("{origin}/"))
}

fn author_names(site: &Site, article: &Article) -> Vec<(String, String)> {
    article
        .authors
        .iter()
        .map(|&id| {
            let term = &site.authors.terms[id];
            (term.name.clone(), site.permalink(&term.path))
        })
        .collect()
}

fn feed_updated(site: &Site, feed: &Feed<'_>) -> String {
    site.newest(feed.articles.iter().copied())
        .map(rfc3339)
        .unwrap_or_else(|| rfc3339(&site.config.now.to_zoned(site.config.timezone.clone())))
}

fn atom(site: &Site, feed: &Feed<'_>, bodies: &FeedBodies) -> String {
    let mut xml = String::with_capacity(4096 + feed.articles.len() * 8192);
    let self_url = site.permalink(&feed.paths.atom);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n\
         <link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n\
         <link href=\"{page}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <updated>{updated}</updated>\n<id>{self_url}</id>\n<generator>Kiosque</generator>\n\
         <author><name>{author}</name></author>\n",
        lang = escape(&site.config.language),
        title = escape(&feed.title),
        subtitle = escape(&site.config.description),
        self_url = escape(&self_url),
        page = escape(&site.permalink(feed.page)),
        updated = feed_updated(site, feed),
        // Atom requires an author for every entry; the feed's covers entries without one.
        author = escape(if site.config.author.is_empty() {
            &site.config.title
        } else {
            &site.config.author
        }),
    );
    for &index in &feed.articles {
        let article = &site.articles[index];
        let url = escape(&site.permalink(&article.path));
        let _ = write!(
            xml,
            "<entry xml:lang=\"{lang}\">\n<title>{title}</title>\n\
             <link href=\"{url}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{id}</id>\n\
             <published>{published}</published>\n<updated>{updated}</updated>\n",
            id = article.guid.as_deref().map_or_else(|| url.clone(), escape),
            lang = escape(&article.lang),
            title = escape(&article.title),
            published = rfc3339(&article.date),
            updated = rfc3339(article.last_modified()),
        );
        for (name, uri) in author_names(site, article) {
            let _ = writeln!(
                xml,
                "<author><name>{}</name><uri>{}</uri></author>",
                escape(&name),
                escape(&uri)
            );
        }
        for &tag in &article.tags {
            let term = &site.tags.terms[tag];
            let _ = writeln!(
                xml,
                "<category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                escape(&term.slug),
                escape(&term.name),
                escape(&site.permalink(&site.tags_path()))
            );
        }
        let body = bodies.get(index);
        xml.push_str("<summary type=\"html\">");
        escape_into(&mut xml, &body.summary);
        xml.push_str("</summary>\n<content type=\"html\">");
        escape_into(&mut xml, &body.content);
        xml.push_str("</content>\n</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn rss(site: &Site, feed: &Feed<'_>, bodies: &FeedBodies) -> String {
    let mut xml = String::with_capacity(4096 + feed.articles.len() * 8192);
    let rfc2822 = |date: &jiff::Zoned| jiff::fmt::rfc2822::to_string(date).unwrap_or_default();
    let last_build = site.newest(feed.articles.iter().copied()).map(rfc2822);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n\
         <title>{title}</title>\n<link>{page}</link>\n<description>{description}</description>\n\
         <language>{lang}</language>\n<generator>Kiosque</generator>\n\
         <atom:link href=\"{self_url}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        title = escape(&feed.title),
        page = escape(&site.permalink(feed.page)),
        description = escape(&site.config.description),
        lang = escape(&site.config.language),
        self_url = escape(&site.permalink(&feed.paths.rss)),
    );
    if let Some(date) = last_build {
        let _ = writeln!(xml, "<lastBuildDate>{date}</lastBuildDate>");
    }
    for &index in &feed.articles {
        let article = &site.articles[index];
        let url = escape(&site.permalink(&article.path));
        // A feed reader knows an imported article by the id it had before.
        let guid = match &article.guid {
            Some(guid) => format!("<guid isPermaLink=\"false\">{}</guid>", escape(guid)),
            None => format!("<guid isPermaLink=\"true\">{url}</guid>"),
        };
        let _ = write!(
            xml,
            "<item>\n<title>{title}</title>\n<link>{url}</link>\n{guid}\n\
             <pubDate>{date}</pubDate>\n",
            title = escape(&article.title),
            date = rfc2822(&article.date),
        );
        for (name, _) in author_names(site, article) {
            let _ = writeln!(xml, "<dc:creator>{}</dc:creator>", escape(&name));
        }
        for &tag in &article.tags {
            let _ = writeln!(
                xml,
                "<category>{}</category>",
                escape(&site.tags.terms[tag].name)
            );
        }
        let body = bodies.get(index);
        xml.push_str("<description>");
        escape_into(&mut xml, &body.summary);
        xml.push_str("</description>\n<content:encoded>");
        escape_into(&mut xml, &body.content);
        xml.push_str("</content:encoded>\n</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn json_feed(site: &Site, feed: &Feed<'_>, bodies: &FeedBodies) -> String {
    let items: Vec<serde_json::Value> = feed
        .articles
        .iter()
        .map(|&index| {
            let article = &site.articles[index];
            let url = site.permalink(&article.path);
            let mut item = json!({
                "id": article.guid.as_deref().unwrap_or(&url),
                "url": url,
                "title": article.title,
                "content_html": bodies.get(index).content,
                "date_published": rfc3339(&article.date),
                "date_modified": rfc3339(article.last_modified()),
                "authors": author_names(site, article)
                    .into_iter()
                    .map(|(name, url)| json!({ "name": name, "url": url }))
                    .collect::<Vec<_>>(),
                "tags": article.tags.iter().map(|&t| site.tags.terms[t].name.as_str()).collect::<Vec<_>>(),
                "language": article.lang,
            });
            if let Some(description) = &article.description {
                item["summary"] = json!(description);
            }
            if let Some(image) = &article.image {
                item["image"] = json!(site.absolute_url(&image.src));
            }
            item
        })
        .collect();
    let document = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": site.permalink(feed.page),
        "feed_url": site.permalink(&feed.paths.json),
        "description": site.config.description,
        "language": site.config.language,
        "items": items,
    });
    serde_json::to_string_pretty(&document).expect("JSON values always serialise")
}
