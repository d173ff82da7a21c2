//! The pipeline: config → sources → Markdown → model → outputs → sink, written once.
//!
//! [`load`] runs the stages up to the model and [`render`] the rest; `kiosque build`
//! ([`build`]), `kiosque check` and the first build of `kiosque serve` all go through them.
//! What `serve` keeps between saves is a cache around the same stage functions, in
//! [`crate::incremental`].

pub(crate) mod assets;
pub(crate) mod fingerprints;
pub(crate) mod images;
pub(crate) mod model;
pub(crate) mod stages;
pub(crate) mod store;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use crate::cache::{BUILD_CACHE, BuildCache, Keeper};
use crate::config::{BuildOptions, CONFIG_FILE, Config};
use crate::content::KnownSources;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Error, Location, Problem, Severity};
use crate::fingerprint::fingerprint;
use crate::highlight::Highlighter;
use crate::markdown::Targets;
use crate::output::{Body, Kept, Outputs, Previous, Staging};
use crate::search;
use crate::site::{Profile, Site, StandalonePage};
use crate::theme::Theme;
use fingerprints::Fingerprints;
use images::ImageStage;
pub use images::{IMAGE_CACHE, ImageCounts};
use model::Model;
use rayon::iter::Either;
use rayon::prelude::*;
use stages::{Bodies, Problems, Templates, sorted};
use store::Store;

/// What a finished build produced.
#[derive(Debug)]
pub struct Built {
    /// The model the outputs were rendered from: the site's root part.
    pub site: Site,
    /// The other parts: each language of `[languages]`, under `/<lang>/`.
    pub languages: Vec<Site>,
    /// Every output file.
    pub outputs: Outputs,
    /// Milliseconds spent reading and rendering.
    pub millis: u128,
    /// Milliseconds spent writing the output folder (none for a build in memory).
    pub written_millis: u128,
    /// Problems that did not fail the build, in file and line order.
    pub warnings: Vec<Diagnostic>,
    /// The image work done.
    pub images: ImageCounts,
}

/// Builds the site in memory: nothing is written.
///
/// Every stage runs on whatever input is valid, so one run reports the problems of all stages:
/// front matter, Markdown, duplicate URLs, templates and static files.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Error> {
    let started = Instant::now();
    let mut loaded = load(options)?;
    let rendered = render(&mut loaded);
    finish(loaded, rendered, Vec::new(), started)
}

/// Builds the site and writes it to the output folder, replacing the previous build whole.
///
/// With [`BuildOptions::cache`], what the previous build kept in `.kiosque-cache/build/` is
/// used: bodies are not rendered again, outputs whose fingerprint did not change are not
/// rendered, and files the same as in the previous output are linked from it, not written.
///
/// Each page is written to the staging folder as soon as it is rendered ([`Staging`]), so
/// that the bytes of the whole site are never in memory at once; the folder is swapped into
/// place only once the build is complete, and a build that fails leaves the output as it was.
pub fn build(options: &BuildOptions) -> Result<Built, Error> {
    let started = Instant::now();
    let mut cache = options.cache.then(|| BuildCache::open(&options.root));
    let config = Config::load(options)?;
    let previous = match cache {
        Some(_) => Previous::Spare,
        None => Previous::Delete,
    };
    // Before the cache is written: a build refused its output writes nothing. Opened first,
    // so that what the spare holds is read while the site loads.
    let staging = Staging::open(&config.output, previous)?;
    let mut loaded = load_from(options, config, cache.as_mut())?;
    let target = loaded.config.output.clone();
    let settings = settings(&loaded);
    let keeper = cache
        .as_mut()
        .map(|cache| Keeper::new(cache.take_record(), &target, settings));
    let warnings = cache.as_ref().and_then(BuildCache::warning);
    let store = Store {
        keeper: keeper.as_ref(),
        staging: Some(&staging),
        precompress: loaded.config.precompress,
    };
    let (built, bodies_saved) = std::thread::scope(|scope| {
        // The bodies are final once loaded: written while the pages render (860 MB and two
        // serial seconds at 100,000 articles), and not held through the render.
        let bodies = cache
            .as_mut()
            .map(|cache| scope.spawn(|| cache.save_bodies()));
        let rendered = render_keeping(&mut loaded, store);
        let built = finish(loaded, rendered, warnings.into_iter().collect(), started);
        let joined = bodies.map(|saving| saving.join());
        let saved = joined.map(|j| j.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (built, saved)
    });
    let mut built = built?;
    let writing = Instant::now();
    store.complete(&mut built.outputs)?;
    staging.finish(&built.outputs)?;
    built.written_millis = writing.elapsed().as_millis();
    let saved = cache
        .zip(keeper)
        .zip(bodies_saved)
        .map(|((cache, keeper), bodies)| bodies.and_then(|()| cache.save(&keeper.record())));
    if let Some(Err(error)) = saved {
        let location = Location::file(BUILD_CACHE);
        let problem = Problem::CacheNotWritten(Arc::new(error));
        built.warnings.push(Diagnostic::warning(location, problem));
    }
    Ok(built)
}

/// What every output depends on besides the model, the templates and the files it copies:
/// `site.toml`, the build options, the year every page's footer shows, and the names pages
/// link stylesheets and scripts by (a stylesheet changed is a new name in every page).
pub(crate) fn settings(loaded: &Loaded) -> u64 {
    let config = &loaded.config;
    let statics = loaded.templates.statics();
    let names = assets::names(config, statics, loaded.model.extras(statics));
    let site_toml = std::fs::read(config.root.join(CONFIG_FILE)).unwrap_or_default();
    let options = &loaded.options;
    let year = config.now.to_zoned(config.timezone.clone()).year();
    fingerprint((
        site_toml,
        &options.base_url,
        options.drafts,
        options.future,
        year,
        names,
    ))
}

/// The build once rendered: its outputs, or every problem found.
fn finish(
    loaded: Loaded,
    rendered: Result<Outputs, Vec<Diagnostic>>,
    mut warnings: Vec<Diagnostic>,
    started: Instant,
) -> Result<Built, Error> {
    warnings.extend(loaded.warnings());
    let warnings = sorted(warnings);
    let outputs = match rendered {
        Ok(outputs) => outputs,
        // The warnings matter as much when the build fails (a loop skipped, a slug changed).
        Err(errors) => return Err(Error::Input(sorted([errors, warnings].concat()))),
    };
    let images = loaded.images.counts(loaded.site().pictures.len());
    let mut sites = loaded.model.sites;
    let site = sites.remove(0);
    Ok(Built {
        warnings,
        images,
        site,
        languages: sites,
        outputs,
        millis: started.elapsed().as_millis(),
        written_millis: 0,
    })
}

/// A site read and modelled: what every stage up to the model made, as plain data.
pub struct Loaded {
    pub(crate) options: BuildOptions,
    pub(crate) config: Config,
    /// The configuration of each part of the site: the root, then each language's.
    pub(crate) parts: Vec<Config>,
    pub(crate) templates: Templates,
    pub(crate) highlighter: Option<Highlighter>,
    /// Problems of the site's syntax definitions.
    pub(crate) syntax_errors: Vec<Diagnostic>,
    /// Problems of the content files, by file.
    pub(crate) problems: Problems,
    /// Site paths of the published articles, by source path under `content/`.
    pub(crate) targets: Targets,
    /// Why each article left out of the build is, by source path under `content/`.
    pub(crate) unpublished: HashMap<String, Unpublished>,
    /// Author profiles by slug, shared by every part.
    pub(crate) profiles: BTreeMap<String, Profile>,
    /// Standalone pages of every part, published ones only.
    pub(crate) pages: Vec<StandalonePage>,
    pub(crate) model: Model,
    /// The images stage, with what it processed.
    pub(crate) images: ImageStage,
    /// What the images stage warned of at its last run.
    pub(crate) image_warnings: Vec<Diagnostic>,
}

/// Reads and models the whole site: config → sources → Markdown → model. Only a broken
/// `site.toml` fails here; other problems are kept for [`render`] to report, so that a later
/// change can fix them.
pub fn load(options: &BuildOptions) -> Result<Loaded, Error> {
    load_with(options, None)
}

/// [`load`], taking the bodies an earlier build rendered from `cache` where they are still
/// what rendering would give, and keeping there those rendered now.
pub(crate) fn load_with(
    options: &BuildOptions,
    cache: Option<&mut BuildCache>,
) -> Result<Loaded, Error> {
    load_from(options, Config::load(options)?, cache)
}

/// [`load_with`], the configuration already loaded.
fn load_from(
    options: &BuildOptions,
    config: Config,
    mut cache: Option<&mut BuildCache>,
) -> Result<Loaded, Error> {
    let parts: Vec<Config> = (0..=config.languages.len())
        .map(|tree| config.for_tree(tree))
        .collect();
    let templates = Templates::new(&config, Theme::load(&config));
    let (mut highlighter, syntax_errors) = stages::highlighter(&config, options);
    let mut problems = Problems::default();
    if let Some(cache) = cache.as_deref_mut() {
        let site_toml = std::fs::read(config.root.join(CONFIG_FILE)).unwrap_or_default();
        let syntaxes = highlighter.as_ref().map(Highlighter::fingerprint);
        cache.set_settings(fingerprint((site_toml, &options.base_url, syntaxes)));
        // A body rendered again takes its code blocks from the cache; `serve` keeps its own.
        if options.code_cache.is_none() {
            highlighter = highlighter.map(|h| h.with_cache(cache.code_cache()));
        }
    }
    let cache = cache.as_deref();

    let (files, errors) = content::find(&config, &config.root.join(CONTENT_DIR));
    problems.add(errors);
    let known = cache.map(|cache| &cache.sources as &dyn KnownSources);
    let read = stages::read_sources(&config, &files, known);
    problems.add(read.problems);
    let targets: Targets = stages::targets(&config, &parts, &read.published).collect();

    let bodies = Bodies {
        config: &config,
        parts: &parts,
        templates: &templates,
        highlighter: highlighter.as_ref(),
        targets: &targets,
        cache: cache.map(|cache| &cache.bodies),
    };
    let (profile_sources, errors) = content::load_profiles(&config);
    problems.add(errors);
    let (profiles, errors) = bodies.profiles(profile_sources);
    problems.add(errors);
    let (page_sources, errors) = content::load_pages(&config);
    problems.add(errors);
    let (pages, errors) = bodies.pages(page_sources);
    problems.add(errors);
    let (articles, errors) = bodies.articles(read.published);
    problems.add(errors);

    let model = Model::assemble(&config, &parts, articles, &pages, &profiles);
    let images = ImageStage::new(&config);
    Ok(Loaded {
        options: options.clone(),
        config,
        parts,
        templates,
        highlighter,
        syntax_errors,
        problems,
        targets,
        unpublished: read.unpublished,
        profiles,
        pages,
        images,
        image_warnings: Vec::new(),
        model,
    })
}

/// Renders every output of a loaded site: outputs → render. On any problem, every one found
/// (of every stage), and no output.
pub fn render(loaded: &mut Loaded) -> Result<Outputs, Vec<Diagnostic>> {
    let store = Store {
        keeper: None,
        staging: None,
        precompress: false,
    };
    render_keeping(loaded, store)
}

/// [`render`], each file going where `store` says: what its keeper says is unchanged in the
/// previous output is linked from it, not rendered or written again.
pub(crate) fn render_keeping(
    loaded: &mut Loaded,
    store: Store<'_>,
) -> Result<Outputs, Vec<Diagnostic>> {
    let keeper = store.keeper;
    let images = loaded
        .images
        .run(&loaded.model.sites, loaded.templates.statics(), false);
    loaded.model.set_pictures(images.pictures);
    loaded.image_warnings = images.warnings;
    let statics = loaded.templates.statics();
    let extras = loaded.model.extras(statics);
    let names = assets::names(&loaded.config, statics, extras);
    assets::hand_out(&mut loaded.model.sites, names.clone());
    let outputs = loaded.model.outputs(extras);
    let generated: HashSet<&str> = outputs.iter().map(|(_, _, file)| file.as_str()).collect();
    let mut errors = loaded.errors();
    errors.extend(images.errors);
    let root = &loaded.model.sites[0];
    errors.extend(stages::static_collisions(root, statics, |path| {
        generated.contains(path)
    }));
    let sites = &loaded.model.sites;
    let prints = keeper.map(|_| {
        let versions = loaded.templates.versions();
        Fingerprints::of(sites, &versions, extras)
    });
    // In parallel: telling whether a file is still as written costs a `stat` each.
    let (mut kept, units): (Vec<_>, Vec<_>) =
        outputs.par_iter().partition_map(|(tree, unit, file)| {
            let print = prints.as_ref().and_then(|p| p.print(file));
            let old = keeper
                .zip(print)
                .and_then(|(k, print)| k.rendered(file, print));
            match old {
                Some(old) => Either::Left((file.clone(), old)),
                None => Either::Right((*tree, *unit)),
            }
        });
    let keep = |path: String, bytes: Vec<u8>| {
        let print = prints.as_ref().and_then(|p| p.print(&path));
        store.file(path, print, bytes)
    };
    let mut files = Vec::new();
    // The index is made from the model, not the pages: both at once, the index on a thread
    // of its own (its own work goes to the rayon pool, as the render's does).
    let templates = &mut loaded.templates;
    let (rendered, (bundles, kept_bundles)) = std::thread::scope(|scope| {
        let bundles = scope.spawn(|| search_indexes(sites, store));
        let rendered = templates
            .renderer
            .as_mut()
            .map(|renderer| stages::render(sites, renderer, &units, &keep));
        let bundles = bundles
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rendered, bundles)
    });
    match rendered {
        Some(Ok(rendered)) => files = rendered.into_iter().map(|(_, made)| made).collect(),
        Some(Err(mut e)) => errors.append(&mut e),
        None => {}
    }
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    files.extend(bundles);
    kept.extend(kept_bundles);
    let mut sink = Outputs::default();
    for (path, body) in files.into_iter().flatten() {
        sink.insert_file(&path, body);
    }
    for (path, old) in kept {
        sink.insert_file(&path, Body::Link(old));
    }
    // Then, so that a processed image's stand-in takes its source's place.
    for (path, from) in images.files {
        let old = keeper.and_then(|k| k.same(&path, None, fingerprint(&from)));
        sink.insert_file(&path, old.map_or(Body::Copy(from), Body::Link));
    }
    for (path, file) in loaded.templates.statics() {
        let old = keeper.and_then(|k| k.same(path, None, file.digest));
        sink.insert_file(path, old.map_or_else(|| file.body(), Body::Link));
    }
    let statics = loaded.templates.statics();
    assets::add_copies(&mut sink, &loaded.config, &names, statics, extras, keeper);
    Ok(sink)
}

/// Output files kept from the previous output, with the file each is linked from.
type KeptFiles = Vec<(String, Kept)>;

/// The search index of every part, as files made (each gone to `store` as soon as it is
/// made) and files kept from the previous output: a part that did not change is kept whole;
/// one that did is made again from what each page gave it last time, only the pages that
/// changed read again.
fn search_indexes(sites: &[Site], store: Store<'_>) -> (Vec<Vec<(String, Body)>>, KeptFiles) {
    let write = |path, bytes| store.file(path, None, bytes);
    let Some(keeper) = store.keeper else {
        // Made as a rebuild makes it from an empty memo: a page at a time, in bounded
        // memory (every page's record and stems at once were 4 GB at 100,000 articles).
        let searchable = sites.iter().filter(|site| site.config.search.enabled);
        let empty = search::Memo::default();
        let made =
            searchable.flat_map(|site| search::index_from(site, &empty, &|_| None, &write).made);
        return (made.collect(), Vec::new());
    };
    let (mut made, mut kept) = (Vec::new(), Vec::new());
    for (part, site) in sites.iter().enumerate() {
        if !site.config.search.enabled {
            continue;
        }
        let version = search::version(site);
        let dir = site.search_bundle_path();
        if let Some(files) = keeper.index(part, dir.trim_start_matches('/'), version) {
            kept.extend(files);
            continue;
        }
        let memo = keeper.memo(part);
        let previous = |digest| keeper.index_file(digest);
        let indexed = search::index_from(site, &memo, &previous, &write);
        made.extend(indexed.made);
        for (file, old, digest) in indexed.kept {
            keeper.moved(&file, digest);
            kept.push((file, old));
        }
        keeper.indexed(part, version, indexed.memo);
    }
    (made, kept)
}

impl Loaded {
    /// The model of the site's root part.
    pub fn site(&self) -> &Site {
        &self.model.sites[0]
    }

    /// The model of every part of the site: the root, then each language of `[languages]`.
    pub fn sites(&self) -> &[Site] {
        &self.model.sites
    }

    /// The articles left out of the build, by source path under `content/`, and why.
    pub fn unpublished(&self) -> impl Iterator<Item = (&str, &Unpublished)> {
        self.unpublished
            .iter()
            .map(|(key, why)| (key.as_str(), why))
    }

    /// The author profiles.
    pub(crate) fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// The templates pages are rendered with, site overrides applied.
    pub(crate) fn templates(&self) -> impl Iterator<Item = &crate::theme::TemplateFile> {
        let theme = self.templates.theme.iter();
        theme.flat_map(|theme| theme.templates.values())
    }

    /// What the Markdown stage renders bodies with, as the site now stands.
    pub(crate) fn bodies(&self) -> Bodies<'_> {
        Bodies {
            config: &self.config,
            parts: &self.parts,
            templates: &self.templates,
            highlighter: self.highlighter.as_ref(),
            targets: &self.targets,
            cache: None,
        }
    }

    /// Problems that do not fail the build, in file and line order (the images stage's once
    /// it has run).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = self.problems.of(Severity::Warning);
        warnings.extend(self.image_warnings.iter().cloned());
        sorted(warnings)
    }

    /// Every error found before rendering: of the content, the theme, the syntaxes, the
    /// static files, the model and the internal links.
    pub(crate) fn errors(&self) -> Vec<Diagnostic> {
        let mut errors = self.problems.of(Severity::Error);
        errors.extend(self.templates.errors.iter().cloned());
        errors.extend(self.syntax_errors.iter().cloned());
        errors.extend(self.templates.static_errors.iter().cloned());
        errors.extend(self.model.url_errors.iter().cloned());
        errors.extend(self.model.translation_errors.iter().cloned());
        errors.extend(self.model.link_errors(&self.targets, &self.unpublished));
        errors
    }
}

/// Why an article is left out of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublished {
    /// `draft: true`, without `--drafts`.
    Draft,
    /// Dated after the build time, without `--future`.
    Scheduled {
        /// The date it is published at.
        date: jiff::Zoned,
        /// Where its date is written.
        at: crate::diagnostics::Location,
    },
}

impl std::fmt::Display for Unpublished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unpublished::Draft => f.write_str("a draft"),
            Unpublished::Scheduled { date, .. } => {
                write!(f, "scheduled for {}", date.strftime("%Y-%m-%d %H:%M %:z"))
            }
        }
    }
}
