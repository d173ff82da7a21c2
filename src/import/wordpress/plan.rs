//! What an export becomes: every post, page, author and comment thread decided as a file of
//! the site (path and text), old URLs mapped to new ones, media referenced, nothing written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::fields::{
    aliases_of, category_ids, date_of, description_of, item_slug, meta, strip_tags, terms_of,
    title_of, updated_of, year_of,
};
use super::report::Report;
use super::{ImportError, Options, Planned};
use crate::config::{BuildOptions, CONFIG_FILE, Config};
use crate::content::{AUTHORS_DIR, CONTENT_DIR, PAGES_DIR};
use crate::import::convert::{self, Attachment};
use crate::import::wxr::{Export, Item};
use crate::slug::slugify;

/// Everything the import will write, and the media it must bring.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Sources, profiles, comment archives, and `site.toml` when there was none.
    pub(super) files: Vec<Planned>,
    /// Media the sources reference and `--uploads` has: site path (`/uploads/2025/02/a.jpg`)
    /// → the old URL.
    pub(super) media: BTreeMap<String, String>,
}

/// Front matter keys Kiosque reads itself: a custom field of the same name is not kept.
const KNOWN_KEYS: [&str; 19] = [
    "title",
    "date",
    "updated",
    "author",
    "authors",
    "tags",
    "category",
    "description",
    "image",
    "embeds",
    "draft",
    "slug",
    "aliases",
    "lang",
    "translation_key",
    "comments",
    "guid",
    "menu",
    "extra",
];

/// Marks a medium `--uploads` does not have, in [`Plan::media`]: it stays at the old host.
pub(super) const MISSING: &str = "missing:";

/// The site's configuration; a site without `site.toml` gets one from the export.
pub(super) fn site_config(root: &Path, export: &Export) -> Result<Config, ImportError> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    if root.join(CONFIG_FILE).is_file() {
        return Config::load(&options).map_err(ImportError::Config);
    }
    let text = new_site_toml(export);
    Config::parse(&text, &options).map_err(ImportError::Config)
}

/// `site.toml` for a site made by the import: its title, address and language.
fn new_site_toml(export: &Export) -> String {
    let channel = &export.channel;
    let base = channel.link.trim_end_matches('/');
    let language = channel
        .language
        .as_deref()
        .and_then(|l| l.split(['-', '_']).next())
        .filter(|l| !l.is_empty())
        .unwrap_or("en");
    format!(
        "# Written by kiosque import wordpress from the export of {base}.\ntitle = {}\n\
         base_url = {}\nlanguage = {}\ndescription = {}\n",
        toml_string(&channel.title),
        toml_string(&format!("{base}/")),
        toml_string(language),
        toml_string(&channel.description),
    )
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Decides every file of the import.
pub(super) fn plan(
    export: &Export,
    config: &Config,
    options: &Options,
    report: &mut Report,
) -> Plan {
    let mut plan = Plan::default();
    if !options.root.join(CONFIG_FILE).is_file() {
        plan.files
            .push(Planned::text(CONFIG_FILE, new_site_toml(export)));
    }
    let mut index = Index::new(export, config, options.uploads.as_deref());
    index.download = options.download_media;
    for author in &export.authors {
        let name = author.display_name.trim();
        let name = if name.is_empty() { &author.login } else { name };
        let slug = slugify(name);
        if slug.is_empty() {
            continue;
        }
        let mut front = Mapping::new();
        front.insert("name".into(), name.into());
        let path = Path::new(CONTENT_DIR)
            .join(AUTHORS_DIR)
            .join(format!("{slug}.md"));
        plan.files.push(Planned::text(path, source(&front, "")));
        report.authors += 1;
    }
    for (place, item) in export.items.iter().enumerate() {
        match index.targets.get(&place) {
            Some(target) => plan_item(item, target, &index, options, &mut plan, report),
            // Media, brought over where the sources use them.
            None if item.post_type == "attachment" => {}
            None if matches!(item.post_type.as_str(), "post" | "page") => report.skip(&item.status),
            None => report.skip(&item.post_type),
        }
    }
    plan
}

/// Where an imported post or page goes.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The source file, relative to the root.
    file: PathBuf,
    /// How the Markdown of other posts links to it: `@/2025/a.md` for an article, its URL
    /// for a page.
    link: String,
    /// `true` for a page.
    pub(super) page: bool,
    /// Its new site path, when known, which an old URL must not repeat.
    pub(super) path: Option<String>,
}

/// What the converter and the front matter need to know of the whole export.
pub(super) struct Index<'e> {
    config: &'e Config,
    /// A copy of the old `wp-content/uploads/`: media it has are brought over, the others
    /// keep pointing at the old host.
    uploads: Option<&'e Path>,
    /// Whether media `uploads` lacks are downloaded: then every medium moves to the site.
    download: bool,
    /// Old addresses of the site, without the trailing slash (`https://old.example`).
    bases: Vec<String>,
    attachments: HashMap<u64, Attachment>,
    /// Attachments by parent post, in menu order.
    attached: HashMap<u64, Vec<u64>>,
    /// Imported posts and pages by their place in the export: hand-made exports may give
    /// several no id.
    targets: HashMap<usize, Target>,
    /// Places of the items by post id, for links that name one (`?p=123`).
    places: HashMap<u64, usize>,
    /// Old permalink paths (`/2025/02/slug/`) → post or page id.
    by_path: HashMap<String, u64>,
    /// Author logins → display names.
    authors: HashMap<&'e str, String>,
    /// Category term ids → names, for the primary category the SEO plugins record.
    pub(super) categories: HashMap<String, String>,
}

impl<'e> Index<'e> {
    fn new(export: &'e Export, config: &'e Config, uploads: Option<&'e Path>) -> Self {
        let channel = &export.channel;
        let mut bases: Vec<String> = [
            Some(channel.link.as_str()),
            channel.base_site_url.as_deref(),
            channel.base_blog_url.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(|b| b.trim_end_matches('/').to_string())
        .filter(|b| !b.is_empty())
        .collect();
        // The same site over the other scheme.
        let other: Vec<String> = bases
            .iter()
            .filter_map(|b| {
                b.strip_prefix("https://")
                    .map(|r| format!("http://{r}"))
                    .or_else(|| b.strip_prefix("http://").map(|r| format!("https://{r}")))
            })
            .collect();
        bases.extend(other);
        // The channel's own address first: media left at the old host point there.
        let mut seen = std::collections::HashSet::new();
        bases.retain(|base| seen.insert(base.clone()));
        let mut attachments = HashMap::new();
        let mut attached: HashMap<u64, Vec<(i64, u64)>> = HashMap::new();
        for item in export.items.iter().filter(|i| i.post_type == "attachment") {
            let Some(url) = &item.attachment_url else {
                continue;
            };
            attachments.insert(
                item.id,
                Attachment {
                    url: url.clone(),
                    alt: meta(item, "_wp_attachment_image_alt").unwrap_or_default(),
                    caption: strip_tags(&item.excerpt),
                },
            );
            if item.parent != 0 {
                attached
                    .entry(item.parent)
                    .or_default()
                    .push((item.menu_order, item.id));
            }
        }
        let attached = attached
            .into_iter()
            .map(|(parent, mut list)| {
                list.sort();
                (parent, list.into_iter().map(|(_, id)| id).collect())
            })
            .collect();
        let mut index = Index {
            config,
            uploads,
            download: false,
            bases,
            attachments,
            attached,
            targets: HashMap::new(),
            by_path: HashMap::new(),
            authors: export
                .authors
                .iter()
                .map(|a| {
                    let name = a.display_name.trim();
                    let name = if name.is_empty() {
                        a.login.as_str()
                    } else {
                        name
                    };
                    (a.login.as_str(), name.to_string())
                })
                .collect(),
            categories: category_ids(export),
            places: export
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.id != 0)
                .map(|(place, item)| (item.id, place))
                .collect(),
        };
        let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
        for (place, item) in export.items.iter().enumerate() {
            let page = match item.post_type.as_str() {
                "post" => false,
                "page" => true,
                _ => continue,
            };
            if matches!(item.status.as_str(), "trash" | "auto-draft" | "inherit") {
                continue;
            }
            let base_slug = item_slug(item);
            let folder = if page {
                Path::new(CONTENT_DIR).join(PAGES_DIR)
            } else {
                Path::new(CONTENT_DIR).join(year_of(item))
            };
            let mut slug = base_slug.clone();
            let mut n = 2;
            while !taken.insert(folder.join(format!("{slug}.md"))) {
                slug = format!("{base_slug}-{n}");
                n += 1;
            }
            let file = folder.join(format!("{slug}.md"));
            let link = if page {
                index.config.base_path().to_string() + &slug + "/"
            } else {
                format!("@/{}/{slug}.md", year_of(item))
            };
            if let Some(path) = item.link.as_deref().and_then(|l| index.old_path(l)) {
                index.by_path.insert(path, item.id);
            }
            let path = if page {
                Some(format!("/{slug}/"))
            } else {
                date_of(item, config)
                    .and_then(|d| d.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.to_zoned(config.timezone.clone()).date())
                    .map(|date| {
                        let expanded = config.permalink.expand(&date, &slug);
                        format!("{}{}", config.prefix, expanded.trim_start_matches('/'))
                    })
            };
            let target = Target {
                file,
                link,
                page,
                path,
            };
            index.targets.insert(place, target);
        }
        index
    }

    /// The path of an address of the old site (`https://old.example/a/?p=1` → `/a/?p=1`).
    pub(super) fn old_path(&self, url: &str) -> Option<String> {
        if url.starts_with('/') && !url.starts_with("//") {
            return Some(url.to_string());
        }
        self.bases.iter().find_map(|base| {
            let rest = url.strip_prefix(base.as_str())?;
            match rest.chars().next() {
                None => Some("/".to_string()),
                Some('/' | '?' | '#') => Some(if rest.starts_with('/') {
                    rest.to_string()
                } else {
                    format!("/{rest}")
                }),
                _ => None,
            }
        })
    }

    /// The new address of an old one, recording media on the way; `None` keeps it.
    fn rewrite(&self, url: &str, media: &mut BTreeMap<String, String>) -> Option<String> {
        let path = self.old_path(url)?;
        let (path, fragment) = match path.split_once('#') {
            Some((path, fragment)) => (path.to_string(), Some(fragment)),
            None => (path, None),
        };
        let with_fragment = |target: String| match fragment {
            Some(fragment) => format!("{target}#{fragment}"),
            None => target,
        };
        if let Some(rest) = path.strip_prefix("/wp-content/uploads/") {
            let original = convert::original_upload(rest);
            let old = self.absolute(&format!("/wp-content/uploads/{original}"));
            let here = self.download
                || self.uploads.is_some_and(|dir| {
                    super::media::plain(&original).is_some_and(|p| dir.join(p).is_file())
                });
            if !here {
                media.insert(MISSING.to_string() + &old, old.clone());
                return Some(old);
            }
            let site_path = format!("/uploads/{original}");
            media.insert(site_path.clone(), old);
            return Some(with_fragment(site_path));
        }
        let id = match path.split_once('?') {
            Some((_, query)) => query.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                matches!(key, "p" | "page_id" | "attachment_id")
                    .then(|| value.parse::<u64>().ok())
                    .flatten()
            }),
            None => self.by_path.get(&path).copied().or_else(|| {
                let trimmed = path.trim_end_matches('/');
                self.by_path
                    .iter()
                    .find(|(old, _)| old.trim_end_matches('/') == trimmed)
                    .map(|(_, id)| *id)
            }),
        }?;
        if let Some(target) = self
            .places
            .get(&id)
            .and_then(|place| self.targets.get(place))
        {
            return Some(with_fragment(target.link.clone()));
        }
        let attachment = self.attachments.get(&id)?;
        self.rewrite(&attachment.url.clone(), media)
    }

    /// An old site path as an absolute URL of the old site.
    fn absolute(&self, path: &str) -> String {
        let base = self.bases.first().map(String::as_str).unwrap_or_default();
        format!("{base}{path}")
    }
}

/// Writes one post or page: its source, and its comment archive.
fn plan_item(
    item: &Item,
    target: &Target,
    index: &Index<'_>,
    options: &Options,
    plan: &mut Plan,
    report: &mut Report,
) {
    // The converter calls the rewriting through a shared reference: media met on the way
    // are gathered in a cell.
    let found = std::cell::RefCell::new(BTreeMap::new());
    let rewrite = |url: &str| index.rewrite(url, &mut found.borrow_mut());
    let attached = index.attached.get(&item.id).cloned().unwrap_or_default();
    let context = convert::Context {
        attachments: &index.attachments,
        attached: &attached,
        rewrite: &rewrite,
    };
    let converted = convert::to_markdown(&item.content, &context);
    let mut media = found.into_inner();
    for name in &converted.unconverted {
        report.unconverted(name, &target.file);
    }

    let mut front = Mapping::new();
    front.insert("title".into(), title_of(item).into());
    let password = item.password.as_deref().is_some_and(|p| !p.is_empty());
    let draft = password || matches!(item.status.as_str(), "draft" | "pending" | "private");
    if password {
        report.warn(format!(
            "{}: password-protected on WordPress, imported as a draft",
            target.file.display()
        ));
    }
    if !target.page {
        if let Some(date) = date_of(item, index.config) {
            front.insert("date".into(), date.into());
        }
        if let Some(updated) = updated_of(item, index.config) {
            front.insert("updated".into(), updated.into());
        }
        if let Some(author) = item.creator.as_deref().and_then(|c| index.authors.get(c)) {
            front.insert("author".into(), author.as_str().into());
        }
        let (category, tags) = terms_of(item, index);
        if let Some(category) = category {
            front.insert("category".into(), category.into());
        }
        if !tags.is_empty() {
            front.insert("tags".into(), tags.into_iter().map(Value::from).collect());
        }
    }
    if let Some(description) = description_of(item) {
        front.insert("description".into(), description.into());
    }
    if !target.page
        && let Some(image) = meta(item, "_thumbnail_id")
            .and_then(|id| id.trim().parse::<u64>().ok())
            .and_then(|id| index.attachments.get(&id))
    {
        let src = index
            .rewrite(&image.url, &mut media)
            .unwrap_or_else(|| image.url.clone());
        let mut map = Mapping::new();
        map.insert("src".into(), src.into());
        map.insert("alt".into(), image.alt.as_str().into());
        if !image.caption.is_empty() {
            map.insert("caption".into(), image.caption.as_str().into());
        }
        front.insert("image".into(), Value::Mapping(map));
    }
    if draft {
        front.insert("draft".into(), true.into());
    }
    let aliases = aliases_of(item, target, index);
    if !aliases.is_empty() {
        front.insert(
            "aliases".into(),
            aliases.into_iter().map(Value::from).collect(),
        );
    }
    if !target.page
        && let Some(guid) = item.guid.as_deref().filter(|g| !g.trim().is_empty())
    {
        front.insert("guid".into(), guid.trim().into());
    }
    if !target.page {
        for (key, value) in &item.meta {
            if key.starts_with('_') || KNOWN_KEYS.contains(&key.as_str()) {
                continue;
            }
            if key.starts_with("rank_math") || front.contains_key(key.as_str()) {
                continue;
            }
            front.insert(key.as_str().into(), value.as_str().into());
        }
    }
    plan.files.push(Planned::text(
        &target.file,
        source(&front, &converted.markdown),
    ));
    plan.media.extend(media);
    report.count(item, target.page, draft);
    if !target.page {
        plan_comments(item, target, options, plan, report);
    }
}

/// The approved comments of a post as its archive: no e-mail and no IP address, ever.
fn plan_comments(
    item: &Item,
    target: &Target,
    options: &Options,
    plan: &mut Plan,
    report: &mut Report,
) {
    let mut list = Vec::new();
    for comment in &item.comments {
        let ping = matches!(comment.kind.as_str(), "pingback" | "trackback");
        if comment.approved != "1" || (ping && !options.with_pingbacks) {
            report.comments_skipped += 1;
            continue;
        }
        let mut entry = Mapping::new();
        entry.insert("id".into(), comment.id.into());
        entry.insert("author".into(), comment.author.trim().into());
        if let Some(url) = comment
            .author_url
            .as_deref()
            .filter(|u| url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        {
            entry.insert("url".into(), url.into());
        }
        let date = comment
            .date_gmt
            .as_deref()
            .filter(|d| !d.starts_with("0000"))
            .or(comment.date.as_deref())
            .unwrap_or("1970-01-01 00:00:00");
        entry.insert("date".into(), date.into());
        if comment.parent != 0 {
            entry.insert("parent".into(), comment.parent.into());
        }
        entry.insert("text".into(), comment.content.as_str().into());
        list.push(Value::Mapping(entry));
        report.comments += 1;
    }
    if list.is_empty() {
        return;
    }
    let yaml = serde_yaml::to_string(&Value::Sequence(list)).unwrap_or_default();
    let path = crate::content::archive_of(&target.file);
    plan.files.push(Planned::text(path, yaml));
}

/// A source file: front matter, then the body.
fn source(front: &Mapping, body: &str) -> String {
    let yaml = serde_yaml::to_string(front).unwrap_or_default();
    let body = body.trim();
    if body.is_empty() {
        format!("---\n{yaml}---\n")
    } else {
        format!("---\n{yaml}---\n\n{body}\n")
    }
}
