//! `kiosque check`: the site built in memory, nothing written, and what a reader would trip
//! over reported like a compiler. Broken links and anchors, in bodies and in the pages the
//! templates make; missing images and files; images without alt text; duplicate titles;
//! headlines and descriptions that search engines cut; scheduled articles; and, with
//! `--external`, links to other sites that no longer answer.
//!
//! Everything the build itself refuses (duplicate URLs, invalid embeds, broken internal links)
//! comes from the pipeline ([`crate::build`]); this module adds what only a reader of the output
//! sees.

pub mod external;
mod images;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use url::Url;

use crate::build::{self, Loaded, Unpublished};
use crate::config::{BuildOptions, ShareTarget};
use crate::content::CONTENT_DIR;
use crate::diagnostics::{Diagnostic, Error, Location, Problem, Severity};
use crate::output::Outputs;
use crate::page_links::{self, Scanned};
use crate::site::{Article, Profile, output_file};

/// Longest description search results show whole.
const DESCRIPTION_MAX: usize = 160;

/// Longest headline Google News shows whole.
const HEADLINE_MAX: usize = 110;

/// Where `--external` keeps what it learned between runs, under the site root.
pub const LINK_CACHE: &str = ".kiosque-cache/links.json";

/// What to check beyond the site itself.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The build to check (root, drafts, future).
    pub build: BuildOptions,
    /// Links to other sites are requested with these settings; `None` checks nothing
    /// outside the site, so a check works offline.
    pub external: Option<external::Settings>,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Errors and warnings, in file and line order.
    pub diagnostics: Vec<Diagnostic>,
    /// Articles published.
    pub articles: usize,
    /// HTML pages read.
    pub pages: usize,
    /// Distinct links to other sites (checked only with `--external`).
    pub external_links: usize,
    /// HTTP requests sent to check them.
    pub requests: usize,
    /// Those whose good status was taken from the cache.
    pub from_cache: usize,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        let all = self.diagnostics.iter();
        all.filter(|d| d.severity == severity).count()
    }

    /// The report for machines: `{errors, warnings, diagnostics: [{file, line, column,
    /// severity, message}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let diagnostics: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                serde_json::json!({
                    "file": d.location.path.to_string_lossy(),
                    "line": d.location.line,
                    "column": d.location.column,
                    "severity": d.severity.to_string(),
                    "message": d.problem.message(),
                })
            })
            .collect();
        serde_json::json!({
            "errors": self.errors(),
            "warnings": self.warnings(),
            "articles": self.articles,
            "pages": self.pages,
            "external_links": self.external_links,
            "requests": self.requests,
            "from_cache": self.from_cache,
            "diagnostics": diagnostics,
        })
    }
}

/// Builds the site in memory and reports every problem found. Fails only when `site.toml`
/// cannot be read: everything else is in the report.
pub fn check(options: &CheckOptions) -> Result<Report, Error> {
    let mut project = build::load(&options.build)?;
    let rendered = build::render(&mut project);
    let mut report = Report {
        diagnostics: project.warnings(),
        articles: project.sites().iter().map(|s| s.articles.len()).sum(),
        ..Report::default()
    };
    let outputs = match rendered {
        Ok(outputs) => Some(outputs),
        Err(errors) => {
            report.diagnostics.extend(errors);
            None
        }
    };
    report.diagnostics.extend(article_hints(&project));
    report.diagnostics.extend(images::over_budget(&project));
    if let Some(outputs) = &outputs {
        let pages = Pages::read(&project, outputs);
        report.pages = pages.scanned.len();
        let mut locator = Locator::new(&project);
        let outside = pages.check(&mut locator);
        let urls: HashSet<&str> = outside.iter().map(|o| o.url).collect();
        report.external_links = urls.len();
        if let Some(settings) = &options.external {
            check_outside(&outside, settings, &pages, &mut locator, &mut report);
        }
        report.diagnostics.extend(locator.diagnostics());
    }
    report.diagnostics = sorted_unique(std::mem::take(&mut report.diagnostics));
    Ok(report)
}

/// Requests the links to other sites and reports those that fail where they are written.
fn check_outside<'o>(
    outside: &[Outside<'o>],
    settings: &external::Settings,
    pages: &Pages<'o>,
    locator: &mut Locator<'o>,
    report: &mut Report,
) {
    let urls: HashSet<&str> = outside.iter().map(|o| o.url).collect();
    let mut checked = external::check(urls.into_iter().map(str::to_string), settings);
    report.requests = checked.requests;
    report.from_cache = checked.from_cache;
    for problem in std::mem::take(&mut checked.cache_problems) {
        let problem = Problem::LinkCache(std::sync::Arc::new(problem));
        let warning = Diagnostic::warning(Location::file(LINK_CACHE), problem);
        report.diagnostics.push(warning);
    }
    for link in outside {
        let Some(status) = checked.statuses.get(link.url) else {
            continue;
        };
        let (severity, problem) = match status {
            status if status.is_error() => (
                Severity::Error,
                Problem::BrokenLink {
                    link: link.url.to_string(),
                    reason: status.to_string(),
                },
            ),
            external::Status::Transient { .. } | external::Status::TimedOut => (
                Severity::Warning,
                Problem::Check(format!("link `{}` is {status}", link.url)),
            ),
            _ => continue,
        };
        pages.report(locator, link.page, link.url, severity, problem);
    }
}

/// What the front matter and bodies of the articles deserve a look for.
fn article_hints(project: &Loaded) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let hint = |location: Location, message: String| {
        Diagnostic::warning(location, Problem::Check(message))
    };
    for site in project.sites() {
        let mut titles: HashMap<String, &Article> = HashMap::new();
        // Oldest first, so that the later article is the one told about the earlier.
        for article in site.articles.iter().rev() {
            found.extend(article.hints.iter().cloned());
            let headline = article.title.chars().count();
            if headline > HEADLINE_MAX {
                let message = format!(
                    "the headline is {headline} characters long: Google News and social cards \
                     cut it after {HEADLINE_MAX}"
                );
                found.push(hint(key_location(article, "title"), message));
            }
            let description = article.description.as_deref().unwrap_or_default();
            let length = description.chars().count();
            if length > DESCRIPTION_MAX {
                let message = format!(
                    "the description is {length} characters long: search results cut it after \
                     {DESCRIPTION_MAX}"
                );
                found.push(hint(key_location(article, "description"), message));
            }
            let key = article.title.trim().to_lowercase();
            if let Some(first) = titles.get(&key) {
                let message = format!(
                    "duplicate title: `{}` is also the title of {}",
                    article.title,
                    first.source.display()
                );
                found.push(hint(key_location(article, "title"), message));
            } else {
                titles.insert(key, article);
            }
            let Some(image) = &article.image else {
                continue;
            };
            if image.alt.trim().is_empty() {
                let message = format!(
                    "the image `{}` has no alternative text: write it as `image: {{src: …, \
                     alt: \"what it shows\"}}`",
                    image.src
                );
                found.push(hint(key_location(article, "image"), message));
            }
        }
    }
    for (_, why) in project.unpublished() {
        if let Unpublished::Scheduled { date, at } = why {
            let message = format!(
                "scheduled: dated {}, it is published by the first build after that time",
                date.strftime("%Y-%m-%d %H:%M %:z")
            );
            found.push(hint(at.clone(), message));
        }
    }
    found
}

fn missing_file(path: &str) -> String {
    format!(
        "no such file in the site (expected static/{})",
        path.trim_start_matches('/')
    )
}

/// Every HTML page of the output, read.
struct Pages<'o> {
    /// Each page's output path and what it links to.
    scanned: Vec<(&'o str, Scanned)>,
    /// Ids of each page, by output path.
    ids: HashMap<&'o str, HashSet<String>>,
    /// The article each article page shows, by output path.
    articles: HashMap<String, &'o Article>,
    outputs: &'o Outputs,
    base: Url,
}

/// A link to another site on a page.
struct Outside<'o> {
    url: &'o str,
    /// Index of the page in [`Pages::scanned`].
    page: usize,
}

impl<'o> Pages<'o> {
    fn read(project: &'o Loaded, outputs: &'o Outputs) -> Pages<'o> {
        let pages: Vec<&str> = outputs.paths().filter(|p| p.ends_with(".html")).collect();
        let mut scanned: Vec<(&str, Scanned)> = pages
            .par_iter()
            .map(|path| {
                (
                    *path,
                    page_links::scan(outputs.text(path).unwrap_or_default()),
                )
            })
            .collect();
        let ids = scanned
            .iter_mut()
            .map(|(path, scan)| (*path, std::mem::take(&mut scan.ids).into_iter().collect()))
            .collect();
        let articles = project.sites().iter().flat_map(|site| &site.articles);
        Pages {
            scanned,
            ids,
            articles: articles.map(|a| (output_file(&a.path), a)).collect(),
            outputs,
            base: project.site().config.base_url.clone(),
        }
    }

    /// Reports broken links and images without alt text in every page, each once where it is
    /// written; returns the links to other sites.
    fn check(&'o self, locator: &mut Locator<'o>) -> Vec<Outside<'o>> {
        let mut outside = Vec::new();
        // What the pages show wrong, before finding where each is written.
        let mut found: Vec<(usize, &'o str, Severity, Problem)> = Vec::new();
        for (index, (path, scan)) in self.scanned.iter().enumerate() {
            let article = self.articles.get(*path).copied();
            let Ok(page_url) = self.base.join(&site_path_of(path)) else {
                continue;
            };
            for link in &scan.links {
                let Ok(url) = page_url.join(&link.url) else {
                    continue;
                };
                if !matches!(url.scheme(), "http" | "https") {
                    continue;
                }
                // The theme's share links: compose forms of services, not pages to check.
                if ShareTarget::is_intent(url.as_str()) {
                    continue;
                }
                let problem = if url.as_str().starts_with(self.base.as_str()) {
                    match self.broken(&url, &link.tag) {
                        Some(reason) => Problem::BrokenLink {
                            link: link.url.clone(),
                            reason,
                        },
                        None => continue,
                    }
                } else {
                    outside.push(Outside {
                        url: &link.url,
                        page: index,
                    });
                    locator.own(&link.url, article);
                    continue;
                };
                locator.own(&link.url, article);
                found.push((index, &link.url, Severity::Error, problem));
            }
            for src in &scan.images_without_alt {
                let problem = Problem::Check(format!(
                    "image `{src}` has no alt attribute: describe it, or write alt=\"\" if it \
                     is decoration"
                ));
                locator.own(src, article);
                found.push((index, src, Severity::Warning, problem));
            }
        }
        for (page, written, severity, problem) in found {
            self.report(locator, page, written, severity, problem);
        }
        outside
    }

    /// Reports a problem with what page `page` shows as `written`.
    fn report(
        &self,
        locator: &mut Locator<'o>,
        page: usize,
        written: &'o str,
        severity: Severity,
        problem: Problem,
    ) {
        let path = self.scanned[page].0;
        let article = self.articles.get(path).copied();
        locator.report(article, path, written, severity, problem);
    }

    /// Why an address of the site leads nowhere, if it does.
    fn broken(&self, url: &Url, tag: &str) -> Option<String> {
        let base = self.base.path();
        let path = url.path().strip_prefix(base).unwrap_or(url.path());
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let file = output_file(&path);
        if !self.outputs.has_file(&file) {
            return Some(match tag {
                "img" | "source" | "video" | "audio" | "track" | "script" | "embed" => {
                    missing_file(&format!("/{path}"))
                }
                _ => format!("no page or file at /{path}"),
            });
        }
        let fragment = url.fragment().filter(|f| !f.is_empty() && *f != "top")?;
        let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        let ids = self.ids.get(file.as_str())?;
        (!ids.contains(fragment.as_ref()))
            .then(|| format!("/{path} has no heading or element with id `{fragment}`"))
    }
}

/// The site path a page is served at (`2025/a/index.html` → `2025/a/`).
fn site_path_of(file: &str) -> String {
    file.strip_suffix("index.html").unwrap_or(file).to_string()
}

/// Finds where what a page shows is written: in the source of the article that shows it
/// (on its own page, or on a list showing its card), else in an author's profile for author
/// pages, else in the template that has it, else the page itself; and reports each problem
/// once there.
struct Locator<'o> {
    project: &'o Loaded,
    base_path: String,
    output_dir: PathBuf,
    /// The first article page showing each address, for the lists that show it too.
    owners: HashMap<&'o str, &'o Article>,
    /// Where each text searched for is in the templates, if anywhere.
    in_templates: HashMap<String, Option<Location>>,
    /// Each problem at its place, with the pages it was seen on.
    seen: BTreeMap<(String, String), (Diagnostic, Vec<String>)>,
}

impl<'o> Locator<'o> {
    fn new(project: &'o Loaded) -> Self {
        let config = &project.site().config;
        let output_dir = config.output.strip_prefix(&config.root);
        Locator {
            project,
            base_path: config.base_path().to_string(),
            output_dir: output_dir.unwrap_or(&config.output).to_path_buf(),
            owners: HashMap::new(),
            in_templates: HashMap::new(),
            seen: BTreeMap::new(),
        }
    }

    /// Notes that an article's page shows an address.
    fn own(&mut self, written: &'o str, article: Option<&'o Article>) {
        if let Some(article) = article {
            self.owners.entry(written).or_insert(article);
        }
    }

    /// Where an address (or other attribute value) on a page is written.
    fn place(&mut self, article: Option<&Article>, page: &str, written: &str) -> Location {
        let mut needles = vec![written.to_string()];
        if self.base_path != "/"
            && let Some(rest) = written.strip_prefix(&self.base_path)
        {
            needles.push(format!("/{rest}"));
        }
        let article = article.or_else(|| self.owners.get(written).copied());
        let is_needle = |text: &str| needles.iter().any(|n| n == text);
        if let Some(location) = article.and_then(|article| written_in(article, is_needle)) {
            return location;
        }
        let project = self.project;
        // An author page shows its profile's portrait and links.
        if page.contains("authors/")
            && let Some(location) = project
                .profiles()
                .find_map(|profile| written_in_profile(profile, is_needle))
        {
            return location;
        }
        let in_templates = self.in_templates.entry(written.to_string());
        let in_templates = in_templates.or_insert_with(|| {
            project.templates().find_map(|template| {
                let at = needles
                    .iter()
                    .find_map(|n| template.source.find(n.as_str()))?;
                Some(Location::at_offset(&template.path, &template.source, at, 1))
            })
        });
        if let Some(location) = in_templates {
            return location.clone();
        }
        match article {
            Some(article) => Location::file(&article.source),
            None => Location::file(self.output_dir.join(page)),
        }
    }

    fn report(
        &mut self,
        article: Option<&Article>,
        page: &str,
        written: &str,
        severity: Severity,
        problem: Problem,
    ) {
        let location = self.place(article, page, written);
        let key = (location.to_string(), problem.message());
        let entry = self.seen.entry(key).or_insert_with(|| {
            let diagnostic = Diagnostic {
                location,
                severity,
                problem,
            };
            (diagnostic, Vec::new())
        });
        entry.1.push(format!("/{}", site_path_of(page)));
    }

    /// One diagnostic per problem and place, naming the pages that show it when it is not
    /// written in an article.
    fn diagnostics(self) -> Vec<Diagnostic> {
        self.seen
            .into_values()
            .map(|(mut diagnostic, pages)| {
                if !diagnostic.location.path.starts_with(CONTENT_DIR) {
                    let shown = match pages.len() {
                        1 => format!(" (on {})", pages[0]),
                        n => format!(" (on {n} pages, first {})", pages[0]),
                    };
                    diagnostic.problem = Problem::OnPages {
                        problem: Box::new(diagnostic.problem),
                        pages: shown,
                    };
                }
                diagnostic
            })
            .collect()
    }
}

/// Where an article writes an address its page shows, as the parsers placed it: in the
/// body, else as its hero image.
fn written_in(article: &Article, is_needle: impl Fn(&str) -> bool) -> Option<Location> {
    if let Some(written) = article.written.iter().find(|w| is_needle(&w.target)) {
        return Some(written.location.clone());
    }
    article
        .image
        .as_ref()
        .filter(|image| is_needle(&image.src))?;
    Some(article.keys.location(&article.source, "image"))
}

/// Where an author profile writes an address its page shows: its bio, portrait or links.
fn written_in_profile(profile: &Profile, is_needle: impl Fn(&str) -> bool) -> Option<Location> {
    if let Some(written) = profile.written.iter().find(|w| is_needle(&w.target)) {
        return Some(written.location.clone());
    }
    let key = if profile.avatar.as_deref().is_some_and(&is_needle) {
        "avatar"
    } else if profile.links.iter().any(|(_, url)| is_needle(url)) {
        "links"
    } else {
        return None;
    };
    Some(profile.keys.location(&profile.source, key))
}

/// Where a front matter key of an article is written, at the start of its line.
fn key_location(article: &Article, key: &str) -> Location {
    match article.keys.key_line(key) {
        Some(line) => Location::at(&article.source, line, 1),
        None => Location::file(&article.source),
    }
}

/// Diagnostics in file and line order, each once.
fn sorted_unique(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        (
            d.location.path.clone(),
            d.location.line,
            d.location.column,
            d.problem.message(),
        )
    };
    diagnostics.sort_by_cached_key(key);
    diagnostics.dedup_by(|a, b| key(a) == key(b));
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_served_at_their_folder() {
        assert_eq!(site_path_of("2025/a/index.html"), "2025/a/");
        assert_eq!(site_path_of("index.html"), "");
        assert_eq!(site_path_of("404.html"), "404.html");
    }
}
