//! The pipeline, in order: config → content → markdown → site model → render → output.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{BuildOptions, CONFIG_FILE, Config};
use crate::content::{self, AUTHORS_DIR, CONTENT_DIR};
use crate::dependencies::{FileNames, Fingerprints, Unit};
use crate::diagnostics::{Diagnostic, Error, Location, Problem, Severity};
use crate::embeds::Embed;
use crate::highlight::Highlighter;
use crate::markdown::{self, INTERNAL_PREFIX, Snippets, Targets};
use crate::output::{self, Outputs, Patch};
use crate::render::{self, Renderer};
use crate::shortcodes::Call;
use crate::site::{self, Article, SYNTAX_CSS_PATH, Site, output_file};
use crate::theme::{I18N_DIR, TemplateFile, Theme, is_editor_litter};

/// What a finished build produced.
#[derive(Debug)]
pub struct Built {
    /// The model the outputs were rendered from: the site's root part.
    pub site: Site,
    /// The other parts: each language of `[languages]`, under `/<lang>/`.
    pub languages: Vec<Site>,
    /// Every output file.
    pub outputs: Outputs,
    /// Milliseconds spent.
    pub millis: u128,
    /// Problems that did not fail the build, in file and line order.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site in memory: nothing is written.
///
/// Every stage runs on whatever input is valid, so one run reports the problems of all stages:
/// front matter, Markdown, duplicate URLs, templates and static files.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Error> {
    let started = Instant::now();
    let mut project = Project::load(options)?;
    let mut outputs = Outputs::default();
    let warnings = project.warnings();
    match project.render() {
        Ok(patch) => outputs.apply(patch),
        // The warnings matter as much when the build fails (a loop skipped, a slug changed).
        Err(errors) => return Err(Error::Input(sorted([errors, warnings].concat()))),
    }
    let mut sites = project.sites;
    let site = sites.remove(0);
    Ok(Built {
        warnings,
        site,
        languages: sites,
        outputs,
        millis: started.elapsed().as_millis(),
    })
}

/// Builds the site and writes it to the output folder, replacing the previous build whole.
pub fn build(options: &BuildOptions) -> Result<Built, Error> {
    let built = build_in_memory(options)?;
    output::write_to_disk(&built.outputs, &built.site.config.output)?;
    Ok(built)
}

/// Why an article is left out of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublished {
    /// `draft: true`, without `--drafts`.
    Draft,
    /// Dated after the build time, without `--future`.
    Scheduled(jiff::Zoned),
}

impl std::fmt::Display for Unpublished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unpublished::Draft => f.write_str("a draft"),
            Unpublished::Scheduled(date) => {
                write!(f, "scheduled for {}", date.strftime("%Y-%m-%d %H:%M %:z"))
            }
        }
    }
}

/// What a changed path, relative to the site root, is to the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `site.toml`, the site's syntaxes or the theme folder itself: everything is rebuilt.
    Everything,
    /// An article, or a folder that may hold some: those are read again.
    Content,
    /// An author profile: the profiles are read again.
    Profiles,
    /// A template or the theme's strings: the pages rendered with them are rendered again.
    Templates,
    /// A static file or folder: it is copied again.
    Static,
    /// Not part of the site: an editor's backup, another theme, an unrelated file.
    Nothing,
}

/// What a change to `path` (relative to the root) means for a site using theme `theme`.
pub fn classify(path: &Path, theme: &str) -> Change {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Change::Nothing;
    };
    if is_editor_litter(name) {
        return Change::Nothing;
    }
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        [CONFIG_FILE] | [CONTENT_DIR] => Change::Everything,
        [CONTENT_DIR, AUTHORS_DIR, ..]
            if path
                .extension()
                .is_none_or(|e| e.eq_ignore_ascii_case("md")) =>
        {
            Change::Profiles
        }
        [CONTENT_DIR, ..]
            if path
                .extension()
                .is_none_or(|e| e.eq_ignore_ascii_case("md")) =>
        {
            Change::Content
        }
        [SYNTAXES_DIR, ..] => Change::Everything,
        ["templates" | I18N_DIR, ..] => Change::Templates,
        ["static", ..] => Change::Static,
        // The theme folder appearing or going changes where every theme file comes from.
        ["themes"] => Change::Everything,
        ["themes", t, rest @ ..] if *t == theme => match rest {
            [] => Change::Everything,
            ["templates" | "i18n", ..] => Change::Templates,
            ["static", ..] => Change::Static,
            _ => Change::Nothing,
        },
        _ => Change::Nothing,
    }
}

/// A site held in memory between builds, so that a change re-reads and re-renders only what
/// depends on it; `kiosque build` is its first build, `kiosque serve` keeps it.
pub struct Project {
    options: BuildOptions,
    config: Config,
    theme: Option<Theme>,
    renderer: Option<Renderer>,
    highlighter: Option<Highlighter>,
    /// Problems of the theme and its templates.
    theme_errors: Vec<Diagnostic>,
    /// Problems of the site's syntax definitions.
    syntax_errors: Vec<Diagnostic>,
    /// Problems reading static files since they were last refreshed.
    static_errors: Vec<Diagnostic>,
    /// Errors and warnings of each content file that has any, by file.
    file_problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The configuration of each part of the site: the root, then each language's.
    tree_configs: Vec<Config>,
    /// The model of each part of the site, articles placed.
    sites: Vec<Site>,
    /// Author profiles by slug, shared by every part.
    profiles: BTreeMap<String, site::Profile>,
    /// Output files claimed twice.
    url_errors: Vec<Diagnostic>,
    /// Stories with two versions in one language.
    translation_errors: Vec<Diagnostic>,
    /// Site paths of the published articles, by source path under `content/`.
    targets: Targets,
    /// Why each article left out of the build is (a draft, scheduled), by source path under
    /// `content/`, for links to it.
    unpublished: HashMap<String, Unpublished>,
    /// Fingerprints of the generated files last handed out.
    served: Fingerprints,
    /// Their output paths.
    served_names: FileNames,
    /// Digests of the static files last handed out, by output path.
    served_static: HashMap<String, u64>,
    /// Whether nothing was handed out yet since the project was loaded.
    fresh: bool,
    /// Whether reading the whole site again failed (a broken `site.toml`): until it works,
    /// every change tries again.
    stale: bool,
}

impl Project {
    /// Reads the whole site. Only a broken `site.toml` fails here: other problems are kept
    /// and reported by [`Project::render`], so that a later change can fix them.
    pub fn load(options: &BuildOptions) -> Result<Project, Error> {
        let config = Config::load(options)?;
        let tree_configs: Vec<Config> = (0..=config.languages.len())
            .map(|tree| config.for_tree(tree))
            .collect();
        let sites = tree_configs
            .iter()
            .map(|c| site::assemble(c.clone(), Vec::new(), BTreeMap::new()).0)
            .collect();
        let mut project = Project {
            options: options.clone(),
            theme: None,
            renderer: None,
            highlighter: None,
            theme_errors: Vec::new(),
            syntax_errors: Vec::new(),
            static_errors: Vec::new(),
            file_problems: BTreeMap::new(),
            tree_configs,
            sites,
            profiles: BTreeMap::new(),
            url_errors: Vec::new(),
            translation_errors: Vec::new(),
            targets: Targets::new(),
            unpublished: HashMap::new(),
            served: Fingerprints::default(),
            served_names: FileNames::default(),
            served_static: HashMap::new(),
            fresh: true,
            stale: false,
            config,
        };
        project.load_theme(Theme::load(&project.config));
        project.load_highlighter();
        project.read_profiles();
        let (files, errors) =
            content::find(&project.config, &project.config.root.join(CONTENT_DIR));
        project.keep_problems(errors);
        project.read_articles(Vec::new(), files);
        Ok(project)
    }

    /// The model of the site's root part as it stands.
    pub fn site(&self) -> &Site {
        &self.sites[0]
    }

    /// The model of every part of the site: the root, then each language of `[languages]`.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Every article of every part.
    fn articles(&self) -> impl Iterator<Item = &Article> {
        self.sites.iter().flat_map(|site| &site.articles)
    }

    /// Takes every article out of every part, to place them again.
    fn take_articles(&mut self) -> Vec<Article> {
        let sites = self.sites.iter_mut();
        sites
            .flat_map(|site| std::mem::take(&mut site.articles))
            .collect()
    }

    /// The articles left out of the build, by source path under `content/`, and why.
    pub fn unpublished(&self) -> impl Iterator<Item = (&str, &Unpublished)> {
        self.unpublished
            .iter()
            .map(|(key, why)| (key.as_str(), why))
    }

    /// The source files of the author profiles.
    pub(crate) fn profile_sources(&self) -> impl Iterator<Item = &Path> {
        self.profiles.values().map(|p| p.source.as_path())
    }

    /// The templates pages are rendered with, site overrides applied.
    pub(crate) fn templates(&self) -> impl Iterator<Item = &TemplateFile> {
        self.theme.iter().flat_map(|theme| theme.templates.values())
    }

    /// Problems that do not fail the build, in file and line order.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let all = self.file_problems.values().flatten();
        sorted(
            all.filter(|d| d.severity == Severity::Warning)
                .cloned()
                .collect(),
        )
    }

    /// Takes in changed paths (relative to the root): reads again what they touch. Fails only
    /// when `site.toml` is broken; the project is then read whole at the next change.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<(), Error> {
        let theme = self.config.theme.clone();
        let kinds: Vec<Change> = changed.iter().map(|p| classify(p, &theme)).collect();
        if self.stale || kinds.contains(&Change::Everything) {
            self.stale = true;
            *self = Project::load(&self.options)?;
            return Ok(());
        }
        let of = |kind: Change| -> Vec<PathBuf> {
            changed
                .iter()
                .zip(&kinds)
                .filter(|(_, k)| **k == kind)
                .map(|(p, _)| p.clone())
                .collect()
        };
        let mut articles = self.content_files(&of(Change::Content));
        if kinds.contains(&Change::Templates) {
            let snippets = self.snippets_version();
            // Static files stay as they are, unless the theme failed before and has none.
            let theme = match self.theme.take() {
                Some(old) => Theme::load_templates(&self.config).map(|theme| Theme {
                    static_files: old.static_files,
                    ..theme
                }),
                None => Theme::load(&self.config),
            };
            self.load_theme(theme);
            if self.snippets_version() != snippets {
                // Their bodies were rendered with the templates that changed.
                let using = self.articles().filter(|a| a.snippets);
                articles.extend(using.map(|a| a.source.clone()));
            }
        }
        // Bios are rendered with the snippet templates too; there are few profiles.
        let profiles = kinds.contains(&Change::Profiles) || kinds.contains(&Change::Templates);
        if profiles {
            self.read_profiles();
        }
        let statics = of(Change::Static);
        if let (false, Some(theme)) = (statics.is_empty(), &mut self.theme) {
            self.static_errors = theme.refresh_static(&self.config, &statics);
        }
        if !articles.is_empty() {
            let articles: Vec<PathBuf> = articles.into_iter().collect();
            let files = articles
                .iter()
                .map(|a| self.config.root.join(a))
                .filter(|f| f.is_file())
                .collect();
            self.read_articles(articles, files);
        } else if profiles {
            // Authors may have new names.
            let articles = self.take_articles();
            self.assemble(articles);
        }
        Ok(())
    }

    /// Renders what changed since the files were last handed out, as a patch to them; on any
    /// problem, every one found, and nothing is handed out.
    pub fn render(&mut self) -> Result<Patch, Vec<Diagnostic>> {
        let mut errors: Vec<Diagnostic> = self
            .file_problems
            .values()
            .flatten()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        errors.extend(self.theme_errors.iter().cloned());
        errors.extend(self.syntax_errors.iter().cloned());
        errors.extend(self.static_errors.iter().cloned());
        errors.extend(self.url_errors.iter().cloned());
        errors.extend(self.translation_errors.iter().cloned());
        errors.extend(self.internal_link_errors());
        let empty = BTreeMap::new();
        let statics = self.theme.as_ref().map_or(&empty, |t| &t.static_files);
        // A theme's or site's own code colours replace the generated ones.
        let syntax_css = !statics.contains_key(&output_file(SYNTAX_CSS_PATH));
        let versions = self
            .renderer
            .as_ref()
            .map(Renderer::versions)
            .cloned()
            .unwrap_or_default();
        let syntax_css = syntax_css && self.articles().any(|a| a.has_code);
        let mut fingerprints = Fingerprints::default();
        for (tree, site) in self.sites.iter().enumerate() {
            fingerprints.extend(Fingerprints::of(site, tree, &versions, syntax_css));
        }
        for (path, file) in statics {
            if fingerprints.contains(path) {
                errors.push(Diagnostic::new(
                    Location::file(&file.path),
                    Problem::DuplicateUrl {
                        url: self.sites[0].permalink(path),
                        other: "a page the site generates (a static file may not replace it)"
                            .to_string(),
                    },
                ));
            }
        }
        let mut dirty = fingerprints.since(&self.served, &self.served_names);
        let mut patch = Patch {
            rendered: dirty.render.len(),
            removed: std::mem::take(&mut dirty.remove),
            whole: self.fresh,
            files: Vec::new(),
        };
        if let Some(renderer) = self.renderer.as_mut() {
            for (tree, site) in self.sites.iter().enumerate() {
                let units: Vec<Unit> = dirty
                    .render
                    .iter()
                    .filter(|(t, _)| *t == tree)
                    .map(|(_, unit)| *unit)
                    .collect();
                if units.is_empty() {
                    continue;
                }
                match render::render_units(site, renderer, &units) {
                    Ok(files) => patch.files.extend(
                        files
                            .into_iter()
                            .map(|(path, bytes)| (output_file(&path), bytes)),
                    ),
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        for (path, file) in statics {
            if self.served_static.get(path) != Some(&file.digest) {
                patch.files.push((path.clone(), file.bytes.clone()));
            }
        }
        patch.removed.extend(
            self.served_static
                .keys()
                .filter(|path| !statics.contains_key(*path) && !fingerprints.contains(path))
                .cloned(),
        );
        self.served_static = statics
            .iter()
            .map(|(path, file)| (path.clone(), file.digest))
            .collect();
        self.served_names.follow(&dirty, &self.sites);
        self.served = fingerprints;
        self.fresh = false;
        Ok(patch)
    }

    fn load_theme(&mut self, theme: Result<Theme, Vec<Diagnostic>>) {
        self.theme_errors.clear();
        self.theme = theme.map_err(|e| self.theme_errors = e).ok();
        self.renderer = self.theme.as_ref().and_then(|theme| {
            Renderer::new(theme, &self.config)
                .map_err(|e| self.theme_errors.extend(e))
                .ok()
        });
    }

    fn load_highlighter(&mut self) {
        let config = &self.config;
        self.syntax_errors.clear();
        let highlighter = match (config.highlight.enabled, config.root.join(SYNTAXES_DIR)) {
            (false, _) => None,
            (true, folder) if folder.is_dir() => {
                Some(Highlighter::with_folder(&folder).unwrap_or_else(|error| {
                    let path = error.path.strip_prefix(&config.root).unwrap_or(&error.path);
                    let location = match error.position() {
                        Some((line, column)) => Location::at(path, line, column),
                        None => Location::file(path),
                    };
                    let cause = std::sync::Arc::new(error.cause);
                    self.syntax_errors
                        .push(Diagnostic::new(location, Problem::SyntaxDefinition(cause)));
                    // The other code blocks are still checked.
                    Highlighter::builtin()
                }))
            }
            (true, _) => Some(Highlighter::builtin()),
        };
        self.highlighter = match (highlighter, &self.options.code_cache) {
            (Some(highlighter), Some(cache)) => Some(highlighter.with_cache(cache.clone())),
            (highlighter, _) => highlighter,
        };
    }

    /// Version of the templates bodies are rendered with; none without a theme.
    fn snippets_version(&self) -> u64 {
        self.renderer.as_ref().map_or(0, |r| r.versions().snippets)
    }

    /// The article sources (relative to the root) that changed paths touch: the files
    /// themselves, the files in a folder created, and the known articles under one gone.
    fn content_files(&self, changed: &[PathBuf]) -> BTreeSet<PathBuf> {
        let mut files = BTreeSet::new();
        for path in changed {
            let absolute = self.config.root.join(path);
            if absolute.is_dir() {
                let (found, _) = content::find(&self.config, &absolute);
                let relative = found
                    .iter()
                    .filter_map(|f| f.strip_prefix(&self.config.root).ok());
                files.extend(relative.map(Path::to_path_buf));
            } else if content::is_markdown(path) {
                files.insert(path.clone());
                if absolute.is_file() {
                    continue;
                }
            }
            let known = self.articles().map(|a| &a.source);
            files.extend(
                known
                    .chain(self.file_problems.keys())
                    .filter(|f| f.starts_with(path))
                    .cloned(),
            );
        }
        files
    }

    /// Forgets what is known of the `forget` sources, reads `files` (absolute) and places
    /// their articles among the others, with the articles linking to any that moved.
    fn read_articles(&mut self, forget: Vec<PathBuf>, files: Vec<PathBuf>) {
        let mut forget: BTreeSet<PathBuf> = forget.into_iter().collect();
        let mut problems = Vec::new();
        let mut published = self.read_sources(&forget, &files, &mut problems);
        let moved = self.retarget(&forget, &published);
        if !moved.is_empty() {
            // Their internal links now lead elsewhere, or nowhere.
            let linking: Vec<PathBuf> = self
                .articles()
                .filter(|a| !forget.contains(&a.source))
                .filter(|a| a.internal_links.iter().any(|l| moved.contains(&l.target)))
                .map(|a| a.source.clone())
                .collect();
            let files: Vec<PathBuf> = linking.iter().map(|p| self.config.root.join(p)).collect();
            forget.extend(linking.iter().cloned());
            let linking: BTreeSet<PathBuf> = linking.into_iter().collect();
            published.extend(self.read_sources(&linking, &files, &mut problems));
        }
        self.file_problems.retain(|path, _| !forget.contains(path));
        let snippets: &dyn Snippets = match self.renderer.as_ref() {
            Some(renderer) => renderer,
            None => &Unchecked,
        };
        let snippets_version = self.snippets_version();
        // Each article comes with its warnings.
        type Read = Result<(Article, Vec<Diagnostic>), Vec<Diagnostic>>;
        let results: Vec<Read> = published
            .into_par_iter()
            .map(|source| {
                let lang = source
                    .front
                    .lang
                    .as_deref()
                    .unwrap_or(&self.config.language);
                let mut rendered = markdown::render(&markdown::Input {
                    path: &source.path,
                    body: &source.body,
                    body_line: source.body_line,
                    base_path: self.config.base_path(),
                    lang,
                    snippets,
                    highlighter: self.highlighter.as_ref(),
                    french_spacing: self.config.french_spacing(lang),
                    safe: self.config.safe,
                    targets: &self.targets,
                })?;
                let mut version = if rendered.snippets {
                    source.digest ^ snippets_version.rotate_left(17)
                } else {
                    source.digest
                };
                if !rendered.internal_links.is_empty() {
                    let links = rendered.internal_links.iter();
                    let urls: Vec<_> = links.map(|l| self.targets.get(&l.target)).collect();
                    version ^= crate::dependencies::fingerprint(&urls).rotate_left(31);
                }
                let warnings = std::mem::take(&mut rendered.warnings);
                let config = &self.tree_configs[self.config.tree_of(lang)];
                Ok((site::article(config, source, rendered, version), warnings))
            })
            .collect();
        let mut fresh = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok((article, mut warnings)) => {
                    problems.append(&mut warnings);
                    fresh.push(article);
                }
                Err(mut errors) => problems.append(&mut errors),
            }
        }
        self.keep_problems(problems);

        // An edit that moves nothing (the usual save) takes the old version's place; anything
        // else (a new date, URL or term, an article added or gone) places them all again.
        let places: Option<Vec<(usize, usize)>> = (self.url_errors.is_empty()
            && fresh.len() == forget.len())
        .then(|| {
            let place = |a: &Article| {
                let tree = self.config.tree_of(&a.lang);
                Some((tree, self.sites[tree].place_of(a)?))
            };
            fresh.iter().map(place).collect()
        })
        .flatten();
        if let Some(places) = places {
            for ((tree, index), article) in places.into_iter().zip(fresh) {
                self.sites[tree].replace(index, article);
            }
            // A translation's headline may have changed.
            self.translation_errors = site::link_translations(&mut self.sites);
            return;
        }
        let mut articles = self.take_articles();
        articles.retain(|a| !forget.contains(&a.source));
        articles.append(&mut fresh);
        self.assemble(articles);
    }

    /// Reads `files` (absolute), forgetting first whether the `forget` sources were
    /// published: the published ones, their problems added to `problems`.
    fn read_sources(
        &mut self,
        forget: &BTreeSet<PathBuf>,
        files: &[PathBuf],
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<content::Source> {
        for path in forget {
            self.unpublished.remove(&target_key(path));
        }
        let mut published = Vec::with_capacity(files.len());
        for (source, mut errors) in content::read_all(&self.config, files) {
            problems.append(&mut errors);
            let Some(source) = source else { continue };
            if content::is_published(&source.front, &self.config) {
                published.push(source);
                continue;
            }
            let why = if source.front.draft && !self.config.drafts {
                Unpublished::Draft
            } else {
                Unpublished::Scheduled(source.front.date)
            };
            self.unpublished.insert(target_key(&source.path), why);
        }
        published
    }

    /// Brings the internal links' targets up to date: the `forget` sources are gone, the
    /// `published` ones placed. Returns the source paths whose site path changed.
    fn retarget(
        &mut self,
        forget: &BTreeSet<PathBuf>,
        published: &[content::Source],
    ) -> HashSet<String> {
        let old: HashMap<String, String> = forget
            .iter()
            .filter_map(|path| {
                let key = target_key(path);
                self.targets.remove(&key).map(|site_path| (key, site_path))
            })
            .collect();
        let mut moved: HashSet<String> = old.keys().cloned().collect();
        for source in published {
            let lang = source
                .front
                .lang
                .as_deref()
                .unwrap_or(&self.config.language);
            let config = &self.tree_configs[self.config.tree_of(lang)];
            let (key, site_path) = (target_key(&source.path), site::article_path(config, source));
            if old.get(&key) == Some(&site_path) {
                moved.remove(&key);
            } else {
                moved.insert(key.clone());
            }
            self.targets.insert(key, site_path);
        }
        moved
    }

    /// Internal links (`@/2025/a.md#section`) to no published article, or to no heading of it.
    fn internal_link_errors(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let mut by_key: Option<HashMap<String, &Article>> = None;
        for article in self.articles() {
            for link in &article.internal_links {
                let file = format!("{CONTENT_DIR}/{}", link.target);
                let reason = if let Some(why) = self.unpublished.get(&link.target) {
                    format!("{file} is {why}, left out of this build")
                } else if !self.targets.contains_key(&link.target) {
                    format!("there is no article {file}")
                } else if let Some(anchor) = &link.anchor {
                    let by_key = by_key.get_or_insert_with(|| {
                        let articles = self.articles();
                        articles.map(|a| (target_key(&a.source), a)).collect()
                    });
                    match by_key.get(&link.target) {
                        Some(target) if !target.ids.contains(anchor) => {
                            format!("{file} has no heading or id `{anchor}`")
                        }
                        _ => continue,
                    }
                } else {
                    continue;
                };
                let anchor = link.anchor.as_ref().map(|a| format!("#{a}"));
                errors.push(Diagnostic::new(
                    link.location.clone(),
                    Problem::BrokenLink {
                        link: format!(
                            "{INTERNAL_PREFIX}{}{}",
                            link.target,
                            anchor.unwrap_or_default()
                        ),
                        reason,
                    },
                ));
            }
        }
        errors
    }

    /// Places articles among each other in their part of the site, with the profiles.
    fn assemble(&mut self, articles: Vec<Article>) {
        let mut parts: Vec<Vec<Article>> = vec![Vec::new(); self.tree_configs.len()];
        for article in articles {
            parts[self.config.tree_of(&article.lang)].push(article);
        }
        self.url_errors.clear();
        self.sites = parts
            .into_iter()
            .zip(&self.tree_configs)
            .map(|(articles, config)| {
                let (site, mut errors) =
                    site::assemble(config.clone(), articles, self.profiles.clone());
                self.url_errors.append(&mut errors);
                site
            })
            .collect();
        self.translation_errors = site::link_translations(&mut self.sites);
    }

    /// Reads every author profile again, bios rendered; the site must be assembled again
    /// for authors to take their profiles' names.
    fn read_profiles(&mut self) {
        let (sources, problems) = content::load_profiles(&self.config);
        self.file_problems
            .retain(|path, _| !content::is_profile(path));
        self.keep_problems(problems);
        let snippets: &dyn Snippets = match self.renderer.as_ref() {
            Some(renderer) => renderer,
            None => &Unchecked,
        };
        let mut profiles = BTreeMap::new();
        let mut problems = Vec::new();
        for source in sources {
            let rendered = markdown::render(&markdown::Input {
                path: &source.path,
                body: &source.body,
                body_line: source.body_line,
                base_path: self.config.base_path(),
                lang: &self.config.language,
                snippets,
                highlighter: self.highlighter.as_ref(),
                french_spacing: self.config.french_spacing(&self.config.language),
                safe: self.config.safe,
                targets: &self.targets,
            });
            match rendered {
                Ok(mut rendered) => {
                    problems.append(&mut rendered.warnings);
                    let front = source.front;
                    let profile = site::Profile {
                        source: source.path,
                        name: front.name,
                        role: front.role,
                        avatar: front.avatar,
                        links: front.links,
                        bio: rendered.html,
                        version: source.digest ^ self.snippets_version().rotate_left(17),
                    };
                    profiles.insert(source.slug, profile);
                }
                Err(mut errors) => problems.append(&mut errors),
            }
        }
        self.keep_problems(problems);
        self.profiles = profiles;
    }

    fn keep_problems(&mut self, problems: Vec<Diagnostic>) {
        for problem in problems {
            self.file_problems
                .entry(problem.location.path.clone())
                .or_default()
                .push(problem);
        }
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

/// A source's path under `content/`, as internal links name it (`2025/a.md`).
fn target_key(path: &Path) -> String {
    let path = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    let parts: Vec<_> = path.iter().map(|p| p.to_string_lossy()).collect();
    parts.join("/")
}

/// Folder of a site's own `.sublime-syntax` files.
const SYNTAXES_DIR: &str = "syntaxes";

/// Diagnostics in file and line order, so output is stable across parallel runs.
fn sorted(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
        ))
    });
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_classified_by_what_they_feed() {
        let cases = [
            ("site.toml", Change::Everything),
            ("syntaxes/toml.sublime-syntax", Change::Everything),
            ("themes", Change::Everything),
            ("themes/journal", Change::Everything),
            ("content/2025/a.md", Change::Content),
            ("content", Change::Everything),
            ("content/authors/camille-martin.md", Change::Profiles),
            ("content/authors", Change::Profiles),
            ("content/2025", Change::Content),
            ("content/2025/photo.jpg", Change::Nothing),
            ("content/2025/.a.md.swp", Change::Nothing),
            ("content/2025/a.md~", Change::Nothing),
            ("content/2025/.#a.md", Change::Nothing),
            ("templates/article.html", Change::Templates),
            ("templates", Change::Templates),
            ("i18n/fr.toml", Change::Templates),
            ("themes/journal/templates/base.html", Change::Templates),
            ("themes/journal/i18n/fr.toml", Change::Templates),
            ("themes/journal/static/style.css", Change::Static),
            ("themes/journal/README.md", Change::Nothing),
            ("themes/other/templates/base.html", Change::Nothing),
            ("static/style.css", Change::Static),
            ("static", Change::Static),
            ("public/index.html", Change::Nothing),
            ("README.md", Change::Nothing),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(Path::new(path), "journal"), expected, "{path}");
        }
    }
}
