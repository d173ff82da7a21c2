//! The pipeline: config → sources → Markdown → model → outputs → sink, written once.
//!
//! [`load`] runs the stages up to the model and [`render`] the rest; `kiosque build`
//! ([`build`]), `kiosque check` and the first build of `kiosque serve` all go through them.
//! What `serve` keeps between saves is a cache around the same stage functions, in
//! [`crate::incremental`].

pub(crate) mod images;
pub(crate) mod stages;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use crate::config::{BuildOptions, Config};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Error, Severity};
use crate::highlight::Highlighter;
use crate::markdown::Targets;
use crate::output::{self, Body, Outputs};
use crate::search;
use crate::site::{Profile, Site, StandalonePage};
use crate::theme::Theme;
use images::ImageStage;
pub use images::{IMAGE_CACHE, ImageCounts};
use stages::{Bodies, Model, Problems, Templates, sorted};

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
    let warnings = loaded.warnings();
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
    })
}

/// Builds the site and writes it to the output folder, replacing the previous build whole.
pub fn build(options: &BuildOptions) -> Result<Built, Error> {
    let built = build_in_memory(options)?;
    output::write_to_disk(&built.outputs, &built.site.config.output)?;
    Ok(built)
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
    let config = Config::load(options)?;
    let parts: Vec<Config> = (0..=config.languages.len())
        .map(|tree| config.for_tree(tree))
        .collect();
    let templates = Templates::new(&config, Theme::load(&config));
    let (highlighter, syntax_errors) = stages::highlighter(&config, options);
    let mut problems = Problems::default();

    let (files, errors) = content::find(&config, &config.root.join(CONTENT_DIR));
    problems.add(errors);
    let read = stages::read_sources(&config, &files);
    problems.add(read.problems);
    let targets: Targets = stages::targets(&config, &parts, &read.published).collect();

    let bodies = Bodies {
        config: &config,
        parts: &parts,
        templates: &templates,
        highlighter: highlighter.as_ref(),
        targets: &targets,
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
    let images = loaded
        .images
        .run(&loaded.model.sites, loaded.templates.statics(), false);
    loaded.model.set_pictures(images.pictures);
    loaded.image_warnings = images.warnings;
    let statics = loaded.templates.statics();
    let extras = loaded.model.extras(statics);
    let outputs = loaded.model.outputs(extras);
    let generated: HashSet<&str> = outputs.iter().map(|(_, _, file)| file.as_str()).collect();
    let mut errors = loaded.errors();
    errors.extend(images.errors);
    let root = &loaded.model.sites[0];
    errors.extend(stages::static_collisions(root, statics, |path| {
        generated.contains(path)
    }));
    let units: Vec<_> = outputs
        .iter()
        .map(|(tree, unit, _)| (*tree, *unit))
        .collect();
    let mut files = Vec::new();
    let sites = &loaded.model.sites;
    // The index is made from the model, not the pages: both at once, the index on a thread
    // of its own (its own work goes to the rayon pool, as the render's does).
    let templates = &mut loaded.templates;
    let (rendered, bundles) = std::thread::scope(|scope| {
        let bundles = scope.spawn(|| search::bundles(sites));
        let rendered = templates
            .renderer
            .as_mut()
            .map(|renderer| stages::render(sites, renderer, &units));
        let bundles = bundles
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rendered, bundles)
    });
    match rendered {
        Some(Ok(rendered)) => files = rendered,
        Some(Err(mut e)) => errors.append(&mut e),
        None => {}
    }
    files.extend(bundles);
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    let mut sink = Outputs::default();
    for (path, bytes) in files {
        sink.insert_file(&path, Body::Bytes(bytes));
    }
    // First, so that a processed image's stand-in takes its source's place.
    for (path, from) in images.files {
        sink.insert_file(&path, Body::Copy(from));
    }
    for (path, file) in loaded.templates.statics() {
        sink.insert_file(path, file.body());
    }
    Ok(sink)
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
