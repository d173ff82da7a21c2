//! Render stage: owns the Tera instance and turns the model into every output file, pages in
//! parallel. It reads no file and writes none; [`crate::output`] writes.

mod compile;
mod feeds;
mod pictures;
mod redirects;
mod sitemap;
mod snippets;
mod structured;
mod versions;
mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::{Config, EmbedSettings};
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::highlight;
use crate::html::escape;
use crate::site::{
    NGINX_REDIRECTS_PATH, NOT_FOUND_PATH, Page, REDIRECTS_PATH, ROBOTS_PATH, SYNTAX_CSS_PATH, Site,
    TaxonomyKind, Unit,
};
use crate::theme::Theme;
use compile::{Locator, compile};
pub(crate) use versions::TemplateVersions;
use views::{ArticleView, FeedsView, Neighbour, PageView, PaginatorView, SiteView, TermView};

/// Template of standalone pages: needed only by a site that has some.
pub(crate) const PAGE_TEMPLATE: &str = "page.html";

/// Template of the search page: needed only by a site that is searchable.
pub(crate) const SEARCH_TEMPLATE: &str = "search.html";

/// Templates every theme must provide.
pub(crate) const REQUIRED_TEMPLATES: [&str; 6] = [
    "index.html",
    "article.html",
    "tags.html",
    "term.html",
    "archives.html",
    "404.html",
];

/// Compiled templates and theme strings, ready to render pages.
pub(crate) struct Renderer {
    tera: Tera,
    locator: Locator,
    strings: BTreeMap<String, Value>,
    raw_strings: BTreeMap<String, BTreeMap<String, String>>,
    embeds: EmbedSettings,
    timezone: String,
    base_path: String,
    versions: TemplateVersions,
}

impl Renderer {
    /// Compiles the theme's templates; every template that fails is reported.
    pub(crate) fn new(theme: &Theme, config: &Config) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = base_tera(config.base_path());
        compile(&mut tera, theme)?;
        let searchable = config.search.enabled.then_some(&SEARCH_TEMPLATE);
        let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
            .iter()
            .chain(searchable)
            .filter(|name| !tera.contains_template(name))
            .map(|name| {
                Diagnostic::new(
                    Location::file("templates"),
                    Problem::UnknownTemplate(name.to_string()),
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let strings = theme
            .strings
            .iter()
            .map(|(lang, strings)| (lang.clone(), Value::from(strings.clone())))
            .collect();
        Ok(Renderer {
            tera,
            locator: Locator::new(theme),
            strings,
            raw_strings: theme.strings.clone(),
            embeds: config.embeds.clone(),
            timezone: config.timezone_name.clone(),
            base_path: config.base_path().to_string(),
            versions: versions::versions(theme),
        })
    }

    /// Versions of the templates pages and bodies are rendered with.
    pub(crate) fn versions(&self) -> &TemplateVersions {
        &self.versions
    }

    /// Theme strings for a language: exact, then its primary subtag, then English.
    fn strings(&self, lang: &str) -> Value {
        fallbacks(lang)
            .find_map(|l| self.strings.get(l))
            .cloned()
            .unwrap_or_else(|| Value::from(BTreeMap::<String, String>::new()))
    }

    /// One theme string, with the same fallbacks.
    fn string(&self, lang: &str, key: &str) -> Option<&str> {
        fallbacks(lang)
            .find_map(|l| self.raw_strings.get(l)?.get(key))
            .map(String::as_str)
    }

    fn render(&self, template: &str, context: &Context, page: &str) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|error| {
            let mut found = self.locator.error(&error, Some(page));
            // A rendering error is one problem; `error` never returns an empty list.
            found.swap_remove(0)
        })
    }
}

fn fallbacks(lang: &str) -> impl Iterator<Item = &str> {
    [lang, lang.split('-').next().unwrap_or(lang), "en"].into_iter()
}

fn base_tera(base_path: &str) -> Tera {
    let mut tera = Tera::new();
    tera.register_filter("date", tera_contrib::dates::date);
    tera.register_filter(
        "number",
        |value: i64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let locale: Option<&str> = kwargs.get("locale")?;
            Ok(views::number(value, locale.unwrap_or("en")))
        },
    );
    let base = base_path.to_string();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(format!("{base}{}", path.trim_start_matches('/')))
        },
    );
    tera
}

/// Renders these output files of part `tree` of the site (`sites`, the root first), as
/// (site path, what `keep` makes of its bytes); every template error is reported. A list
/// page's cards are prepared once for all the pages that show them. `keep` is called as
/// soon as a file is rendered, on the thread that rendered it: a build writes the file then,
/// so that the bytes of the whole site are never in memory at once.
pub(crate) fn render_units<T: Send>(
    sites: &[Site],
    tree: usize,
    renderer: &mut Renderer,
    units: &[Unit],
    keep: &(dyn Fn(&str, Vec<u8>) -> T + Sync),
) -> Result<Vec<(String, T)>, Vec<Diagnostic>> {
    let site = &sites[tree];
    renderer
        .tera
        .global_context()
        .insert("site", &SiteView::new(site));
    let renderer = &*renderer;
    let mut carded = vec![false; site.articles.len()];
    for unit in units {
        match *unit {
            Unit::Page(Page::Home(index)) => {
                site.home.items(index).for_each(|i| carded[i] = true);
            }
            Unit::Page(Page::Article(index)) => {
                site.articles[index]
                    .related
                    .iter()
                    .for_each(|&i| carded[i] = true);
            }
            Unit::Page(Page::Term(kind, term, index)) => {
                let term = &site.taxonomy(kind).terms[term];
                term.pages
                    .items(index)
                    .for_each(|i| carded[term.articles[i]] = true);
            }
            _ => {}
        }
    }
    let cards: Vec<Option<Value>> = site
        .articles
        .par_iter()
        .zip(carded)
        .map(|(article, carded)| {
            carded.then(|| Value::from_serializable(&ArticleView::card(site, article)))
        })
        .collect();
    let mut rendered = Vec::with_capacity(units.len());
    let mut feeds = Vec::new();
    let mut pages = Vec::new();
    let text = |path: &str, text: String| (path.to_string(), keep(path, text.into_bytes()));
    for unit in units {
        match *unit {
            Unit::Page(page) => pages.push(page),
            Unit::Feed(owner, format) => feeds.push((owner, format)),
            Unit::Sitemap(part) => rendered.push(text(
                &site.sitemap_part_path(part),
                sitemap::sitemap(site, part),
            )),
            Unit::NewsSitemap => {
                rendered.push(text(&site.news_sitemap_path(), sitemap::news_sitemap(site)));
            }
            Unit::Robots => rendered.push(text(ROBOTS_PATH, sitemap::robots(sites))),
            Unit::SyntaxCss => {
                let highlight = site.config.highlight;
                let css = highlight::stylesheet(highlight.theme, highlight.dark_theme);
                rendered.push(text(SYNTAX_CSS_PATH, css));
            }
            Unit::Alias(article, alias) => {
                let a = &site.articles[article];
                let page = redirect_page(site, &a.path, &a.title, &a.lang);
                rendered.push(text(&a.aliases[alias], page));
            }
            Unit::Redirects => rendered.push(text(REDIRECTS_PATH, redirects::netlify(sites))),
            Unit::NginxRedirects => {
                rendered.push(text(NGINX_REDIRECTS_PATH, redirects::nginx(sites)));
            }
            Unit::PageAlias(page, alias) => {
                let p = &site.pages[page];
                rendered.push(text(
                    &p.aliases[alias],
                    redirect_page(site, &p.path, &p.title, &p.lang),
                ));
            }
        }
    }
    let results: Vec<Result<(String, T), Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let (path, html) = render_page(site, renderer, &cards, *page)?;
            let kept = keep(&path, html.into_bytes());
            Ok((path, kept))
        })
        .collect();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => rendered.push(file),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        // One broken template fails every page that uses it: report each place once.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|error| seen.insert(error.location.to_string()));
        return Err(errors);
    }
    rendered.extend(feeds::render(site, &feeds, text));
    Ok(rendered)
}

fn render_page(
    site: &Site,
    renderer: &Renderer,
    cards: &[Option<Value>],
    page: Page,
) -> Result<(String, String), Diagnostic> {
    let language = site.config.language.as_str();
    let site_feeds = FeedsView::new(site, &site.feeds(), site.config.title.clone());
    let (path, template, context) = match page {
        Page::Home(index) => {
            let path = &site.home.paths[index];
            let mut context =
                page_context(renderer, site, language, path, "home", &site.config.title);
            context.insert_value("articles", list(cards, site.home.items(index)));
            context.insert("paginator", &PaginatorView::new(site, &site.home, index));
            context.insert("feeds", &site_feeds);
            (path.clone(), "index.html", context)
        }
        Page::Article(index) => {
            let article = &site.articles[index];
            let mut context = page_context(
                renderer,
                site,
                &article.lang,
                &article.path,
                "article",
                &article.title,
            );
            let mut embeds = Vec::with_capacity(article.embeds.len());
            for embed in &article.embeds {
                embeds.push(
                    renderer
                        .embed_html(embed, &article.lang)
                        .map_err(|message| {
                            Diagnostic::new(
                                Location::at(&article.source, article.embeds_line, 1),
                                Problem::Template(format!("featured embed: {message}")),
                            )
                        })?,
                );
            }
            context.insert("article", &ArticleView::full(site, article, embeds));
            context.insert_value("related", list(cards, article.related.iter().copied()));
            context.insert("previous", &Neighbour::new(site, article.previous));
            context.insert("next", &Neighbour::new(site, article.next));
            context.insert("feeds", &site_feeds);
            (article.path.clone(), "article.html", context)
        }
        Page::TagIndex => {
            let title = renderer.string(language, "tags").unwrap_or("Tags");
            let tags_path = site.tags_path();
            let mut context = page_context(renderer, site, language, &tags_path, "tags", title);
            let terms: Vec<TermView<'_>> = site
                .tags
                .terms
                .iter()
                .map(|term| TermView::new(site, term))
                .collect();
            context.insert("terms", &terms);
            context.insert("feeds", &site_feeds);
            (tags_path, "tags.html", context)
        }
        Page::Term(kind, term_index, index) => {
            let term = &site.taxonomy(kind).terms[term_index];
            let path = &term.pages.paths[index];
            let mut context = page_context(renderer, site, language, path, "term", &term.name);
            context.insert("taxonomy", kind.name());
            let view = match kind {
                TaxonomyKind::Authors => TermView::author(site, term),
                _ => TermView::new(site, term),
            };
            context.insert("term", &view);
            context.insert_value(
                "articles",
                list(cards, term.pages.items(index).map(|i| term.articles[i])),
            );
            context.insert("paginator", &PaginatorView::new(site, &term.pages, index));
            let title = format!("{} – {}", site.config.title, term.name);
            context.insert("feeds", &FeedsView::new(site, &term.feeds(), title));
            (path.clone(), "term.html", context)
        }
        Page::Archives => {
            let title = renderer.string(language, "archives").unwrap_or("Archives");
            let archives_path = site.archives_path();
            let mut context =
                page_context(renderer, site, language, &archives_path, "archives", title);
            context.insert("years", &views::archives(site));
            context.insert("feeds", &site_feeds);
            (archives_path, "archives.html", context)
        }
        Page::Standalone(index) => {
            let page = &site.pages[index];
            let mut context =
                page_context(renderer, site, &page.lang, &page.path, "page", &page.title);
            context.insert("page", &PageView::new(site, page));
            context.insert("feeds", &site_feeds);
            (page.path.clone(), PAGE_TEMPLATE, context)
        }
        Page::Search => {
            let title = renderer.string(language, "search").unwrap_or("Search");
            let search_path = site.search_path();
            let mut context = page_context(renderer, site, language, &search_path, "search", title);
            context.insert("feeds", &site_feeds);
            (search_path, SEARCH_TEMPLATE, context)
        }
        Page::NotFound => {
            let title = "404";
            let mut context = page_context(renderer, site, language, NOT_FOUND_PATH, "404", title);
            context.insert("feeds", &site_feeds);
            (NOT_FOUND_PATH.to_string(), "404.html", context)
        }
    };
    let html = renderer.render(template, &context, &path)?;
    Ok((path, html))
}

/// A page that sends readers and crawlers from an old URL to a page's permalink.
fn redirect_page(site: &Site, path: &str, title: &str, lang: &str) -> String {
    let target = escape(&site.permalink(path));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{target}\">\n\
         <link rel=\"icon\" href=\"{icon}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n\
         <body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = escape(lang),
        title = escape(title),
        icon = escape(&site.icon_url()),
    )
}

fn list(cards: &[Option<Value>], indices: impl Iterator<Item = usize>) -> Value {
    Value::from(
        indices
            .map(|i| {
                cards[i]
                    .clone()
                    .expect("cards are prepared for every listed article")
            })
            .collect::<Vec<Value>>(),
    )
}

fn page_context(
    renderer: &Renderer,
    site: &Site,
    lang: &str,
    path: &str,
    kind: &str,
    title: &str,
) -> Context {
    let mut context = Context::new();
    context.insert("lang", lang);
    context.insert("locale", &views::locale(lang));
    context.insert_value("t", renderer.strings(lang));
    context.insert("page_url", &site.permalink(path));
    context.insert("page_title", title);
    context.insert("kind", kind);
    context
}
