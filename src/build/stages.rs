//! The stages of the pipeline, as functions over plain data: each takes what the stages
//! before it made and returns what it makes, with its problems. The pipeline
//! ([`super::load`], [`super::render`]) calls each once over the whole site; the incremental
//! cache ([`crate::incremental`]) calls the same functions again over what a change touches.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Unpublished;
use crate::cache::BodyCache;
use crate::config::{BuildOptions, Config};
use crate::content::KnownSources;
use crate::content::{self, CONTENT_DIR, PageSource, ProfileSource, Source};
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::embeds::Embed;
use crate::fingerprint::fingerprint;
use crate::highlight::Highlighter;
use crate::markdown::{self, Snippets, Targets};
use crate::render::{self, Renderer, TemplateVersions};
use crate::shortcodes::Call;
use crate::site::{self, Article, Profile, Site, StandalonePage, Unit, output_file};
use crate::theme::{StaticFile, Theme};

/// Folder of a site's own `.sublime-syntax` files.
pub(crate) const SYNTAXES_DIR: &str = "syntaxes";

/// The theme, its compiled templates, and what was wrong with them.
pub(crate) struct Templates {
    /// The theme's files, site overrides applied; `None` when it failed to load.
    pub(crate) theme: Option<Theme>,
    /// The compiled templates; `None` when the theme or a template failed.
    pub(crate) renderer: Option<Renderer>,
    /// Problems of the theme and its templates.
    pub(crate) errors: Vec<Diagnostic>,
    /// Problems reading static files since they were last refreshed.
    pub(crate) static_errors: Vec<Diagnostic>,
}

impl Templates {
    /// Compiles a loaded theme's templates.
    pub(crate) fn new(config: &Config, theme: Result<Theme, Vec<Diagnostic>>) -> Templates {
        let (theme, mut errors) = match theme {
            Ok(theme) => (Some(theme), Vec::new()),
            Err(errors) => (None, errors),
        };
        let renderer = theme.as_ref().and_then(|theme| {
            Renderer::new(theme, config)
                .map_err(|e| errors.extend(e))
                .ok()
        });
        Templates {
            theme,
            renderer,
            errors,
            static_errors: Vec::new(),
        }
    }

    /// What bodies render their embeds and shortcodes with.
    pub(crate) fn snippets(&self) -> &dyn Snippets {
        match self.renderer.as_ref() {
            Some(renderer) => renderer,
            None => &Unchecked,
        }
    }

    /// Version of the templates bodies are rendered with; none without a theme.
    pub(crate) fn snippets_version(&self) -> u64 {
        self.renderer.as_ref().map_or(0, |r| r.versions().snippets)
    }

    /// Versions of the templates every page is rendered with.
    pub(crate) fn versions(&self) -> TemplateVersions {
        let versions = self.renderer.as_ref().map(Renderer::versions);
        versions.cloned().unwrap_or_default()
    }

    /// The static files of the theme and the site, by output path.
    pub(crate) fn statics(&self) -> &BTreeMap<String, StaticFile> {
        static NONE: BTreeMap<String, StaticFile> = BTreeMap::new();
        self.theme.as_ref().map_or(&NONE, |t| &t.static_files)
    }
}

/// Stands in for the theme when it failed to load, so the Markdown stage can still report its
/// own problems: every shortcode is taken to exist and renders to nothing.
struct Unchecked;

impl Snippets for Unchecked {
    fn embed(&self, _: &Embed, _: &str) -> Result<String, String> {
        Ok(String::new())
    }

    fn shortcode(&self, _: &Call, _: &str, _: usize) -> Option<Result<String, String>> {
        Some(Ok(String::new()))
    }
}

/// The code highlighter, with the site's own syntaxes, and what was wrong with them.
pub(crate) fn highlighter(
    config: &Config,
    options: &BuildOptions,
) -> (Option<Highlighter>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let (light, dark) = (config.highlight.theme, config.highlight.dark_theme);
    let highlighter = match (config.highlight.enabled, config.root.join(SYNTAXES_DIR)) {
        (false, _) => None,
        (true, folder) if folder.is_dir() => {
            Some(
                Highlighter::with_folder(&folder, light, dark).unwrap_or_else(|error| {
                    let path = error.path.strip_prefix(&config.root).unwrap_or(&error.path);
                    let location = match error.position() {
                        Some((line, column)) => Location::at(path, line, column),
                        None => Location::file(path),
                    };
                    let cause = Arc::new(error.cause);
                    errors.push(Diagnostic::new(location, Problem::SyntaxDefinition(cause)));
                    // The other code blocks are still checked.
                    Highlighter::builtin(light, dark)
                }),
            )
        }
        (true, _) => Some(Highlighter::builtin(light, dark)),
    };
    let highlighter = match (highlighter, &options.code_cache) {
        (Some(highlighter), Some(cache)) => Some(highlighter.with_cache(cache.clone())),
        (highlighter, _) => highlighter,
    };
    (highlighter, errors)
}

/// What reading article sources found.
#[derive(Default)]
pub(crate) struct Read {
    /// The sources published in this build.
    pub(crate) published: Vec<Source>,
    /// The others, by source path under `content/`, and why.
    pub(crate) unpublished: HashMap<String, Unpublished>,
    /// Problems of the files read.
    pub(crate) problems: Vec<Diagnostic>,
}

/// Reads article sources (absolute paths) and sorts the published from the others; what is
/// `known` already is not read or parsed again.
pub(crate) fn read_sources(
    config: &Config,
    files: &[PathBuf],
    known: Option<&dyn KnownSources>,
) -> Read {
    let mut read = Read {
        published: Vec::with_capacity(files.len()),
        ..Read::default()
    };
    for (source, mut errors) in content::read_all(config, files, known) {
        read.problems.append(&mut errors);
        let Some(source) = source else { continue };
        if content::is_published(&source.front, config) {
            read.published.push(source);
            continue;
        }
        let why = if source.front.draft && !config.drafts {
            Unpublished::Draft
        } else {
            let line = source.front.key_line("date").unwrap_or(1);
            Unpublished::Scheduled {
                date: source.front.date,
                at: Location::at(&source.path, line, 1),
            }
        };
        read.unpublished.insert(target_key(&source.path), why);
    }
    read
}

/// A source's path under `content/`, as internal links name it (`2025/a.md`).
pub(crate) fn target_key(path: &Path) -> String {
    let path = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    let parts: Vec<_> = path.iter().map(|p| p.to_string_lossy()).collect();
    parts.join("/")
}

/// The site path each published source will have, by the key internal links name it with.
pub(crate) fn targets<'a>(
    config: &'a Config,
    parts: &'a [Config],
    published: &'a [Source],
) -> impl Iterator<Item = (String, String)> + 'a {
    published.iter().map(|source| {
        let lang = source.front.lang.as_deref().unwrap_or(&config.language);
        let part = &parts[config.tree_of(lang)];
        (target_key(&source.path), site::article_path(part, source))
    })
}

/// Everything the Markdown stage renders bodies with.
pub(crate) struct Bodies<'a> {
    /// The site's configuration.
    pub(crate) config: &'a Config,
    /// The configuration of each part of the site.
    pub(crate) parts: &'a [Config],
    /// The templates of embeds and shortcodes.
    pub(crate) templates: &'a Templates,
    /// The code highlighter, unless highlighting is off.
    pub(crate) highlighter: Option<&'a Highlighter>,
    /// Site paths of the published articles, for internal links.
    pub(crate) targets: &'a Targets,
    /// Bodies rendered by an earlier build, when it kept them.
    pub(crate) cache: Option<&'a BodyCache>,
}

impl Bodies<'_> {
    fn input<'s>(
        &'s self,
        path: &'s Path,
        body: &'s str,
        line: usize,
        lang: &'s str,
    ) -> markdown::Input<'s> {
        markdown::Input {
            path,
            body,
            body_line: line,
            base_path: self.config.base_path(),
            lang,
            snippets: self.templates.snippets(),
            highlighter: self.highlighter,
            french_spacing: self.config.french_spacing(lang),
            safe: self.config.safe,
            targets: self.targets,
        }
    }

    /// Renders the bodies of published sources, in parallel, into articles of the model.
    pub(crate) fn articles(&self, published: Vec<Source>) -> (Vec<Article>, Vec<Diagnostic>) {
        let snippets_version = self.templates.snippets_version();
        // Each article comes with its warnings.
        type Made = Result<(Article, Vec<Diagnostic>), Vec<Diagnostic>>;
        let made: Vec<Made> = published
            .into_par_iter()
            .map(|source| {
                let lang = source
                    .front
                    .lang
                    .as_deref()
                    .unwrap_or(&self.config.language);
                let cached = self.cache.map(|cache| (cache, cache.key(&source, lang)));
                let hit = cached.and_then(|(cache, key)| {
                    cache.get(&source.path, key, snippets_version, self.targets)
                });
                let (mut rendered, content) = match hit {
                    Some((rendered, html)) => (rendered, Some(html)),
                    None => {
                        let read;
                        let body = match &source.body {
                            Some(body) => body,
                            None => {
                                read = content::read_body(self.config, &source)?;
                                &read
                            }
                        };
                        let input = self.input(&source.path, body, source.body_line, lang);
                        let rendered = markdown::render(&input)?;
                        let kept = cached.and_then(|(cache, key)| {
                            cache.put(&source.path, key, snippets_version, &rendered, self.targets)
                        });
                        (rendered, kept)
                    }
                };
                let mut version = if rendered.snippets {
                    source.digest ^ snippets_version.rotate_left(17)
                } else {
                    source.digest
                };
                if let (true, Some(highlighter)) = (rendered.has_code, self.highlighter) {
                    // A site's own syntaxes, edited, colour its blocks differently.
                    version ^= highlighter.fingerprint().rotate_left(47);
                }
                if !rendered.internal_links.is_empty() {
                    let links = rendered.internal_links.iter();
                    let urls: Vec<_> = links.map(|l| self.targets.get(&l.target)).collect();
                    version ^= fingerprint(&urls).rotate_left(31);
                }
                let warnings = std::mem::take(&mut rendered.warnings);
                let part = &self.parts[self.config.tree_of(lang)];
                let article = site::article(part, source, rendered, content, version);
                Ok((article, warnings))
            })
            .collect();
        let mut problems = Vec::new();
        let articles = made
            .into_iter()
            .filter_map(|result| match result {
                Ok((article, mut warnings)) => {
                    problems.append(&mut warnings);
                    Some(article)
                }
                Err(mut errors) => {
                    problems.append(&mut errors);
                    None
                }
            })
            .collect();
        (articles, problems)
    }

    /// Renders the standalone pages, drafts left out unless drafts are built.
    pub(crate) fn pages(&self, sources: Vec<PageSource>) -> (Vec<StandalonePage>, Vec<Diagnostic>) {
        let snippets_version = self.templates.snippets_version();
        let mut pages = Vec::new();
        let mut problems = Vec::new();
        for source in sources {
            if source.front.draft && !self.config.drafts {
                continue;
            }
            let lang = source
                .front
                .lang
                .as_deref()
                .unwrap_or(&self.config.language);
            let input = self.input(&source.path, &source.body, source.body_line, lang);
            match markdown::render(&input) {
                Ok(mut rendered) => {
                    problems.append(&mut rendered.warnings);
                    let version = source.digest ^ snippets_version.rotate_left(17);
                    pages.push(StandalonePage::new(self.config, source, rendered, version));
                }
                Err(mut errors) => problems.append(&mut errors),
            }
        }
        (pages, problems)
    }

    /// Renders the author profiles' bios, by the slug of the name they describe.
    pub(crate) fn profiles(
        &self,
        sources: Vec<ProfileSource>,
    ) -> (BTreeMap<String, Profile>, Vec<Diagnostic>) {
        let mut profiles = BTreeMap::new();
        let mut problems = Vec::new();
        let lang = &self.config.language;
        for source in sources {
            let input = self.input(&source.path, &source.body, source.body_line, lang);
            match markdown::render(&input) {
                Ok(mut rendered) => {
                    problems.append(&mut rendered.warnings);
                    let front = source.front;
                    let profile = Profile {
                        source: source.path,
                        name: front.name,
                        role: front.role,
                        avatar: front.avatar,
                        links: front.links,
                        bio: rendered.html,
                        written: rendered.written,
                        keys: front.keys,
                        version: source.digest ^ self.templates.snippets_version().rotate_left(17),
                    };
                    profiles.insert(source.slug, profile);
                }
                Err(mut errors) => problems.append(&mut errors),
            }
        }
        (profiles, problems)
    }
}

/// Static files that would replace a page the site generates: `is_output` tells whether an
/// output path is generated.
pub(crate) fn static_collisions(
    root: &Site,
    statics: &BTreeMap<String, StaticFile>,
    is_output: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let colliding = statics.iter().filter(|(path, _)| is_output(path));
    colliding
        .map(|(path, file)| {
            Diagnostic::new(
                Location::file(&file.path),
                Problem::DuplicateUrl {
                    url: root.permalink(path),
                    other: "a page the site generates (a static file may not replace it)"
                        .to_string(),
                },
            )
        })
        .collect()
}

/// Renders these units of the parts of the site, as (output path, what `keep` makes of its
/// bytes), `keep` called with each file's output path as soon as it is rendered.
pub(crate) fn render<T: Send>(
    sites: &[Site],
    renderer: &mut Renderer,
    units: &[(usize, Unit)],
    keep: &(dyn Fn(String, Vec<u8>) -> T + Sync),
) -> Result<Vec<(String, T)>, Vec<Diagnostic>> {
    let mut files = Vec::with_capacity(units.len());
    let mut errors = Vec::new();
    for tree in 0..sites.len() {
        let of_part: Vec<Unit> = units
            .iter()
            .filter(|(t, _)| *t == tree)
            .map(|(_, unit)| *unit)
            .collect();
        if of_part.is_empty() {
            continue;
        }
        let keep = |path: &str, bytes| keep(output_file(path), bytes);
        match render::render_units(sites, tree, renderer, &of_part, &keep) {
            Ok(rendered) => files.extend(
                rendered
                    .into_iter()
                    .map(|(path, kept)| (output_file(&path), kept)),
            ),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Problems by file, so that a file read again replaces its own.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    by_file: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

impl Problems {
    /// Keeps these problems, each with its file's.
    pub(crate) fn add(&mut self, problems: Vec<Diagnostic>) {
        for problem in problems {
            let file = problem.location.path.clone();
            self.by_file.entry(file).or_default().push(problem);
        }
    }

    /// Forgets the problems of the files `forget` says.
    pub(crate) fn forget(&mut self, forget: impl Fn(&Path) -> bool) {
        self.by_file.retain(|path, _| !forget(path));
    }

    /// The files that have problems.
    pub(crate) fn files(&self) -> impl Iterator<Item = &PathBuf> {
        self.by_file.keys()
    }

    /// Every problem of this severity.
    pub(crate) fn of(&self, severity: crate::diagnostics::Severity) -> Vec<Diagnostic> {
        let all = self.by_file.values().flatten();
        all.filter(|d| d.severity == severity).cloned().collect()
    }
}

/// Diagnostics in file and line order, so output is stable across parallel runs.
pub(crate) fn sorted(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
        ))
    });
    errors
}
