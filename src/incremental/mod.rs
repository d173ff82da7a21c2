//! The incremental cache `kiosque serve` keeps between saves: a loaded site and the
//! fingerprints of the files it handed out. A change re-runs the pipeline's own stage
//! functions ([`crate::build::stages`]) over what it touches, and only the outputs whose
//! fingerprint changed are rendered again.

mod search;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::build::fingerprints::{FileNames, Fingerprints};
use crate::build::images::{Done, Jobs};
use crate::build::model::Model;
use crate::build::stages::{self, Templates, sorted, target_key};
use crate::build::store::Store;
use crate::build::{self, Loaded};
use crate::cache::{BuildCache, Keeper};
use crate::config::BuildOptions;
use crate::content;
use crate::diagnostics::{Diagnostic, Error};
use crate::output::{Body, Patch};
use crate::site::{Article, Site, Unit};
use crate::theme::Theme;
use rayon::iter::Either;
use rayon::prelude::*;
use search::SearchIndexes;
pub use search::{SearchDone, SearchJobs};

/// A site held in memory between builds, so that a change re-reads and re-renders only what
/// depends on it.
pub struct Project {
    loaded: Loaded,
    served: Served,
    /// Whether reading the whole site again failed (a broken `site.toml`): until it works,
    /// every change tries again.
    stale: bool,
    /// Images left for the background since they were last taken.
    image_jobs: Vec<Jobs>,
    /// Whether a batch of them is being processed: one at a time, so that a burst of saves
    /// never starts several pools decoding photos at once.
    images_running: bool,
    /// The search index of each part, made away from the preview.
    search: SearchIndexes,
}

/// What a batch of changes asks the cache to redo (see `serve::changes::redo`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Redo {
    /// Read the whole site again.
    pub everything: bool,
    /// Articles and folders of them to read again, relative to the root.
    pub content: Vec<PathBuf>,
    /// Load the templates and theme strings again.
    pub templates: bool,
    /// Read the author profiles again: bios use the snippet templates too.
    pub profiles: bool,
    /// Read the standalone pages again.
    pub pages: bool,
    /// Static files and folders to copy again, relative to the root.
    pub statics: Vec<PathBuf>,
}

/// What was last handed out.
#[derive(Default)]
struct Served {
    /// Fingerprints of the generated files.
    fingerprints: Fingerprints,
    /// Their output paths.
    names: FileNames,
    /// Digests of the files not rendered (static files, processed images), by output path.
    files: HashMap<String, u64>,
    /// Whether nothing was handed out yet.
    fresh: bool,
}

impl Project {
    /// Reads the whole site through the pipeline. Only a broken `site.toml` fails here: other
    /// problems are reported by [`Project::render`], so that a later change can fix them.
    pub fn load(options: &BuildOptions) -> Result<Project, Error> {
        Ok(Project::of(build::load(options)?))
    }

    /// [`Project::load`], taking the bodies and front matter the previous preview of the site
    /// rendered from `cache` (`.kiosque-cache/serve/`) where they are still what rendering
    /// would give, and keeping there those of this one: a preview started again renders only
    /// the articles that changed since.
    pub(crate) fn load_in(
        options: &BuildOptions,
        cache: &mut BuildCache,
    ) -> Result<Project, Error> {
        let loaded = build::load_with(options, Some(cache))?;
        // The cache only ever speeds up: one that cannot be written is made again next time.
        let _ = cache.save_bodies();
        Ok(Project::of(loaded))
    }

    /// What every output depends on besides the model and the templates (see
    /// [`crate::cache::Keeper::new`]).
    pub(crate) fn settings(&self) -> u64 {
        build::settings(&self.loaded)
    }

    fn of(loaded: Loaded) -> Project {
        Project {
            loaded,
            served: Served {
                fresh: true,
                ..Served::default()
            },
            stale: false,
            image_jobs: Vec::new(),
            images_running: false,
            search: SearchIndexes::default(),
        }
    }

    /// The model of the site's root part as it stands.
    pub fn site(&self) -> &Site {
        self.loaded.site()
    }

    /// The model of every part of the site: the root, then each language of `[languages]`.
    pub fn sites(&self) -> &[Site] {
        self.loaded.sites()
    }

    /// Problems that do not fail the build, in file and line order.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.loaded.warnings()
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.loaded.config.root
    }

    /// The name of the site's theme, which decides which theme files a change touches.
    pub fn theme(&self) -> &str {
        &self.loaded.config.theme
    }

    /// Reads again what a batch of changes touches. Fails only when `site.toml` is broken;
    /// the project is then read whole at the next change.
    pub fn update(&mut self, redo: &Redo) -> Result<(), Error> {
        if self.stale || redo.everything {
            self.stale = true;
            *self = Project::load(&self.loaded.options)?;
            return Ok(());
        }
        let loaded = &mut self.loaded;
        let mut articles = content_files(loaded, &redo.content);
        if redo.templates {
            let snippets = loaded.templates.snippets_version();
            // Static files stay as they are, unless the theme failed before and has none.
            let theme = match loaded.templates.theme.take() {
                Some(old) => Theme::load_templates(&loaded.config).map(|theme| Theme {
                    static_files: old.static_files,
                    ..theme
                }),
                None => Theme::load(&loaded.config),
            };
            let static_errors = std::mem::take(&mut loaded.templates.static_errors);
            loaded.templates = Templates::new(&loaded.config, theme);
            loaded.templates.static_errors = static_errors;
            if loaded.templates.snippets_version() != snippets {
                // Their bodies were rendered with the templates that changed.
                let using = loaded.model.articles().filter(|a| a.snippets);
                articles.extend(using.map(|a| a.source.clone()));
            }
        }
        if redo.profiles {
            read_profiles(loaded);
        }
        if redo.pages {
            read_pages(loaded);
        }
        if let (false, Some(theme)) = (redo.statics.is_empty(), &mut loaded.templates.theme) {
            loaded.templates.static_errors = theme.refresh_static(&loaded.config, &redo.statics);
        }
        if !articles.is_empty() {
            let articles: Vec<PathBuf> = articles.into_iter().collect();
            let files = articles
                .iter()
                .map(|a| loaded.config.root.join(a))
                .filter(|f| f.is_file())
                .collect();
            read_articles(loaded, articles, files);
        }
        if redo.profiles || redo.pages {
            // Authors may have new names; pages are placed with the articles; an edit that
            // put articles back in place kept the old ones of both.
            let articles = loaded.model.take_articles();
            assemble(loaded, articles);
        }
        Ok(())
    }

    /// Renders what changed since the files were last handed out, as a patch to them; on any
    /// problem, every one found, and nothing is handed out. Images the cache lacks are left
    /// for [`Project::take_image_jobs`]: their pages show the originals meanwhile.
    pub fn render(&mut self) -> Result<Patch, Vec<Diagnostic>> {
        self.render_storing(None)
    }

    /// [`Project::render`], the first time, the pages going where `store` says: those its
    /// keeper says an earlier preview rendered the same are linked from it, not rendered.
    pub(crate) fn render_storing(
        &mut self,
        store: Option<Store<'_>>,
    ) -> Result<Patch, Vec<Diagnostic>> {
        let loaded = &mut self.loaded;
        let images = loaded
            .images
            .run(&loaded.model.sites, loaded.templates.statics(), true);
        loaded.model.set_pictures(images.pictures);
        loaded.image_warnings = images.warnings;
        if let Some(jobs) = images.jobs {
            self.image_jobs.push(jobs);
        }
        let mut errors = loaded.errors();
        errors.extend(images.errors);
        let statics = loaded.templates.statics();
        let extras = loaded.model.extras(statics);
        let names = crate::build::assets::names(&loaded.config, statics, extras);
        crate::build::assets::hand_out(&mut loaded.model.sites, names);
        let versions = loaded.templates.versions();
        let fingerprints = Fingerprints::of(&loaded.model.sites, &versions, extras);
        errors.extend(stages::static_collisions(loaded.site(), statics, |path| {
            fingerprints.contains(path)
        }));
        let served = &mut self.served;
        let mut dirty = fingerprints.since(&served.fingerprints, &served.names);
        let mut patch = Patch {
            rendered: dirty.render.len(),
            removed: std::mem::take(&mut dirty.remove),
            whole: served.fresh,
            files: Vec::new(),
        };
        let keeper = store
            .and_then(|store| store.keeper)
            .filter(|_| served.fresh);
        if let Some(keeper) = keeper {
            let outputs = loaded.model.outputs(extras);
            let (kept, units) = kept_pages(&outputs, &fingerprints, keeper);
            patch.files = kept;
            patch.rendered = units.len();
            dirty.render = units;
        }
        let keep = |path: String, bytes: Vec<u8>| match store {
            Some(store) => store.file(path.clone(), fingerprints.print(&path), bytes),
            None => vec![(path, Body::Bytes(bytes))],
        };
        if let Some(renderer) = loaded.templates.renderer.as_mut() {
            match stages::render(&loaded.model.sites, renderer, &dirty.render, &keep) {
                Ok(files) => patch
                    .files
                    .extend(files.into_iter().flat_map(|(_, made)| made)),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        // The files that are not rendered: processed images, then the static files they do
        // not stand in for, each with a digest of what it holds.
        let mut files: HashMap<String, (u64, Body)> = HashMap::new();
        for (path, from) in images.files {
            let digest = crate::fingerprint::fingerprint(&from);
            files.insert(path, (digest, Body::Copy(from)));
        }
        for (path, file) in loaded.templates.statics() {
            if !files.contains_key(path) && served.files.get(path) != Some(&file.digest) {
                files.insert(path.clone(), (file.digest, file.body()));
            }
        }
        let (index_files, index_digests) = self.search.refresh(&loaded.model.sites);
        let mut digests: HashMap<String, u64> = loaded
            .templates
            .statics()
            .iter()
            .map(|(path, file)| (path.clone(), file.digest))
            .chain(
                files
                    .iter()
                    .map(|(path, (digest, _))| (path.clone(), *digest)),
            )
            .collect();
        digests.extend(index_digests);
        patch.files.extend(
            index_files
                .into_iter()
                .map(|(path, bytes)| (path, Body::Bytes(bytes))),
        );
        patch.removed.extend(
            served
                .files
                .keys()
                .filter(|path| !digests.contains_key(*path) && !fingerprints.contains(path))
                .cloned(),
        );
        for (path, (digest, body)) in files {
            if served.files.get(&path) != Some(&digest) {
                patch.files.push((path, body));
            }
        }
        served.files = digests;
        served.names.follow(&dirty, &loaded.model.sites);
        served.fingerprints = fingerprints;
        served.fresh = false;
        Ok(patch)
    }

    /// The images left to process since the last call, to run away from the preview (see
    /// [`ImageJobs::run`]); then [`Project::images_done`], and a render shows them.
    /// Until the batch handed out is done, there is none: the images left meanwhile wait.
    pub fn take_image_jobs(&mut self) -> Option<ImageJobs> {
        if self.images_running || self.image_jobs.is_empty() {
            return None;
        }
        self.images_running = true;
        Some(ImageJobs(std::mem::take(&mut self.image_jobs)))
    }

    /// The parts whose search index is behind the model, to index away from the preview (see
    /// [`SearchJobs::run`]); then [`Project::search_done`], and a render serves them. Until
    /// the batch handed out is done, there is none.
    pub fn take_search_jobs(&mut self) -> Option<SearchJobs> {
        self.search.jobs(&self.loaded.model.sites)
    }

    /// Takes in search indexes made away from the preview.
    pub fn search_done(&mut self, done: SearchDone) {
        self.search.done(done);
    }

    /// Takes in images processed away from the preview (none if their batch failed).
    pub fn images_done(&mut self, done: ImagesDone) {
        self.images_running = false;
        for done in done.0 {
            self.loaded.images.finished(done);
        }
    }
}

/// Files to render, with the part of the site each belongs to.
type Units = Vec<(usize, Unit)>;

/// The pages of `outputs` an earlier preview rendered the same, as `keeper` says, linked
/// from where it kept them; and the others, to render.
fn kept_pages(
    outputs: &[(usize, Unit, String)],
    fingerprints: &Fingerprints,
    keeper: &Keeper,
) -> (Vec<(String, Body)>, Units) {
    let (kept, mut units): (Vec<_>, Vec<_>) =
        outputs.par_iter().partition_map(|(tree, unit, file)| {
            let old = fingerprints
                .print(file)
                .and_then(|print| keeper.rendered(file, print));
            match old {
                Some(old) => Either::Left((file.clone(), Body::Link(old))),
                None => Either::Right((*tree, *unit)),
            }
        });
    // Stable order, so that a failing preview reports the same page first each time.
    units.sort();
    (kept, units)
}

/// Images to process away from the preview.
pub struct ImageJobs(Vec<Jobs>);

/// Images processed away from the preview, for [`Project::images_done`].
#[derive(Default)]
pub struct ImagesDone(Vec<Done>);

impl ImageJobs {
    /// Processes them into the image cache, in parallel; this takes seconds per photo.
    pub fn run(self) -> ImagesDone {
        ImagesDone(self.0.into_iter().map(Jobs::run).collect())
    }

    /// How many images there are.
    pub fn len(&self) -> usize {
        self.0.iter().map(Jobs::len).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The article sources (relative to the root) that changed paths touch: the files
/// themselves, the files in a folder created, and the known articles under one gone.
fn content_files(loaded: &Loaded, changed: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    let root = &loaded.config.root;
    for path in changed {
        let absolute = root.join(path);
        if absolute.is_dir() {
            let (found, _) = content::find(&loaded.config, &absolute);
            let relative = found.iter().filter_map(|f| f.strip_prefix(root).ok());
            files.extend(relative.map(Path::to_path_buf));
        } else if let Some(article) = content::article_of(path) {
            // Its comments are part of the article.
            files.insert(article);
            continue;
        } else if content::is_markdown(path) {
            files.insert(path.clone());
            if absolute.is_file() {
                continue;
            }
        }
        let known = loaded.model.articles().map(|a| &a.source);
        files.extend(
            known
                .chain(loaded.problems.files())
                .filter(|f| f.starts_with(path))
                .cloned(),
        );
    }
    files
}

/// Forgets what is known of the `forget` sources, reads `files` (absolute) and places
/// their articles among the others, with the articles linking to any that moved.
fn read_articles(loaded: &mut Loaded, forget: Vec<PathBuf>, files: Vec<PathBuf>) {
    let mut forget: BTreeSet<PathBuf> = forget.into_iter().collect();
    let mut problems = Vec::new();
    let mut published = read_sources(loaded, &forget, &files, &mut problems);
    let moved = retarget(loaded, &forget, &published);
    if !moved.is_empty() {
        // Their internal links now lead elsewhere, or nowhere.
        let linking: Vec<PathBuf> = loaded
            .model
            .articles()
            .filter(|a| !forget.contains(&a.source))
            .filter(|a| a.internal_links.iter().any(|l| moved.contains(&l.target)))
            .map(|a| a.source.clone())
            .collect();
        let root = &loaded.config.root;
        let files: Vec<PathBuf> = linking.iter().map(|p| root.join(p)).collect();
        forget.extend(linking.iter().cloned());
        let linking: BTreeSet<PathBuf> = linking.into_iter().collect();
        published.extend(read_sources(loaded, &linking, &files, &mut problems));
    }
    loaded.problems.forget(|path| forget.contains(path));
    let bodies = loaded.bodies();
    let (fresh, mut errors) = bodies.articles(published);
    problems.append(&mut errors);
    loaded.problems.add(problems);

    // An edit that moves nothing (the usual save) takes the old version's place; anything
    // else (a new date, URL or term, an article added or gone) places them all again.
    let model = &mut loaded.model;
    let places: Option<Vec<(usize, usize)>> = (model.url_errors.is_empty()
        && fresh.len() == forget.len())
    .then(|| {
        let place = |a: &Article| {
            let tree = loaded.config.tree_of(&a.lang);
            Some((tree, model.sites[tree].place_of(a)?))
        };
        fresh.iter().map(place).collect()
    })
    .flatten();
    if let Some(places) = places {
        for ((tree, index), article) in places.into_iter().zip(fresh) {
            model.sites[tree].replace(index, article);
        }
        // A translation's headline may have changed.
        model.translation_errors = crate::site::link_translations(&mut model.sites);
        return;
    }
    let mut articles = model.take_articles();
    articles.retain(|a| !forget.contains(&a.source));
    articles.extend(fresh);
    assemble(loaded, articles);
}

/// Reads `files` (absolute), forgetting first whether the `forget` sources were
/// published: the published ones, their problems added to `problems`.
fn read_sources(
    loaded: &mut Loaded,
    forget: &BTreeSet<PathBuf>,
    files: &[PathBuf],
    problems: &mut Vec<Diagnostic>,
) -> Vec<content::Source> {
    for path in forget {
        loaded.unpublished.remove(&target_key(path));
    }
    let mut read = stages::read_sources(&loaded.config, files, None);
    problems.append(&mut read.problems);
    loaded.unpublished.extend(read.unpublished);
    read.published
}

/// Brings the internal links' targets up to date: the `forget` sources are gone, the
/// `published` ones placed. Returns the source paths whose site path changed.
fn retarget(
    loaded: &mut Loaded,
    forget: &BTreeSet<PathBuf>,
    published: &[content::Source],
) -> HashSet<String> {
    let old: HashMap<String, String> = forget
        .iter()
        .filter_map(|path| {
            let key = target_key(path);
            loaded
                .targets
                .remove(&key)
                .map(|site_path| (key, site_path))
        })
        .collect();
    let mut moved: HashSet<String> = old.keys().cloned().collect();
    let targets = stages::targets(&loaded.config, &loaded.parts, published);
    let targets: Vec<(String, String)> = targets.collect();
    for (key, site_path) in targets {
        if old.get(&key) == Some(&site_path) {
            moved.remove(&key);
        } else {
            moved.insert(key.clone());
        }
        loaded.targets.insert(key, site_path);
    }
    moved
}

/// Places articles among each other again, with the profiles.
fn assemble(loaded: &mut Loaded, articles: Vec<Article>) {
    let (config, parts) = (&loaded.config, &loaded.parts);
    loaded.model = Model::assemble(config, parts, articles, &loaded.pages, &loaded.profiles);
}

/// Reads every standalone page again; the site must be assembled again for them to take
/// their place.
fn read_pages(loaded: &mut Loaded) {
    let (sources, problems) = content::load_pages(&loaded.config);
    loaded.problems.forget(content::is_page);
    loaded.problems.add(problems);
    let (pages, problems) = loaded.bodies().pages(sources);
    loaded.problems.add(problems);
    loaded.pages = pages;
}

/// Reads every author profile again, bios rendered; the site must be assembled again for
/// authors to take their profiles' names.
fn read_profiles(loaded: &mut Loaded) {
    let (sources, problems) = content::load_profiles(&loaded.config);
    loaded.problems.forget(content::is_profile);
    loaded.problems.add(problems);
    let bodies = loaded.bodies();
    let (profiles, problems) = bodies.profiles(sources);
    loaded.problems.add(problems);
    loaded.profiles = profiles;
}
