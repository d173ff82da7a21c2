//! The images stage, between the model and render: finds every local raster image the site
//! shows (heroes, images in bodies and pages, author portraits), processes each once through
//! the content-keyed cache in `.kiosque-cache/images/`, and hands render the result as
//! [`Pictures`] (URLs, widths, dimensions) and the sink the files to copy. Render never
//! decodes.
//!
//! `kiosque build` processes what the cache lacks in parallel before rendering; `serve`
//! renders at once with the originals and processes in the background ([`Jobs`]), so a new
//! photo never holds up the reload of the text.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::images::{
    self, Bytes, Cache, Focal, ImageError, Settings, Source, Stored, StoredVariant,
};
use crate::markdown::{Written, WrittenKind};
use crate::site::{Picture, PictureVariant, Pictures, Site, source_path};
use crate::theme::{StaticContent, StaticFile};

/// Where processed images are kept, under the site root.
pub const IMAGE_CACHE: &str = ".kiosque-cache/images";

/// What the stage keeps from one run to the next: `serve` holds it for the whole preview.
pub(crate) struct ImageStage {
    cache: Arc<Cache>,
    settings: Settings,
    /// What a photo no page shows gets: only its stand-in, metadata stripped.
    strip: Settings,
    /// The result for each source processed or looked up, by site path.
    known: HashMap<String, Known>,
    /// Sources handed to the background.
    pending: HashSet<SourceKey>,
    /// Background failures, until the source changes.
    failed: HashMap<SourceKey, Arc<ImageError>>,
    /// Sources shown by pages and processed (not found in the cache) since the stage was made.
    processed: usize,
}

/// What one source gave, for the digest and card it was made with.
struct Known {
    digest: u64,
    card: Option<Focal>,
    /// Whether a page shows it (else it was only stripped of its metadata).
    shown: bool,
    result: Result<(Arc<Picture>, Stored), Arc<ImageError>>,
}

/// Where an image of the site's files is first used, and whether it needs a social card.
pub(crate) struct Use {
    /// The image as written.
    pub(crate) address: String,
    /// Where it is first written.
    pub(crate) at: Location,
    card: Option<Focal>,
    /// Whether a page shows it: a photo of the site's `static/` that none does is still
    /// published, so it is stripped of its metadata all the same (a stand-in, no variants).
    shown: bool,
}

/// What one run gives the rest of the build.
pub(crate) struct Run {
    /// Pictures of every source processed, for render.
    pub(crate) pictures: Pictures,
    /// Files of the processed images, by output path, with the cache file to copy: the
    /// variants, and the stand-in served at the source's own path.
    pub(crate) files: BTreeMap<String, PathBuf>,
    /// Images that could not be processed, each at its first use.
    pub(crate) errors: Vec<Diagnostic>,
    /// Photos no page shows that could not be processed, copied as they are.
    pub(crate) warnings: Vec<Diagnostic>,
    /// Sources left for the background (`serve` only).
    pub(crate) jobs: Option<Jobs>,
}

/// Sources to process away from the build (see [`ImageStage::run`]).
pub(crate) struct Jobs {
    cache: Arc<Cache>,
    settings: Settings,
    strip: Settings,
    jobs: Vec<Job>,
}

/// One source to process: a static file, read only if the cache lacks some of its files.
struct Job {
    site_path: String,
    name: String,
    file: StaticFile,
    card: Option<Focal>,
    shown: bool,
}

impl Job {
    /// The settings it is processed with.
    fn settings<'s>(&self, settings: &'s Settings, strip: &'s Settings) -> &'s Settings {
        if self.shown { settings } else { strip }
    }

    fn source(&self) -> Source<'_> {
        let bytes = match &self.file.content {
            StaticContent::Builtin(bytes) => Bytes::InMemory(bytes),
            StaticContent::Disk(path) => Bytes::File(path),
        };
        Source {
            name: &self.name,
            digest: self.file.digest,
            size: self.file.size,
            bytes,
        }
    }
}

/// What [`Jobs::run`] found, for [`ImageStage::finished`]: by site path and digest of each
/// source, whether it could be processed.
pub(crate) struct Done(Vec<(SourceKey, Result<(), Arc<ImageError>>)>);

/// A source image: its site path and the digest of its bytes.
type SourceKey = (String, u64);

/// Counts of one build's image work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageCounts {
    /// Images shown by the site and processed (or taken from the cache).
    pub pictures: usize,
    /// Of those, how many the cache lacked.
    pub processed: usize,
    /// Encodes run (one per variant and card made, photos no page shows included); zero when
    /// the cache had everything.
    pub encodes: usize,
}

impl ImageStage {
    /// A stage for the site `config` describes, its cache under the site root.
    pub(crate) fn new(config: &Config) -> ImageStage {
        let settings = config.images.processing.clone();
        let strip = Settings {
            widths: settings.widths.iter().max().into_iter().copied().collect(),
            formats: Vec::new(),
            ..settings.clone()
        };
        ImageStage {
            cache: Arc::new(Cache::open(&config.root.join(IMAGE_CACHE))),
            settings,
            strip,
            known: HashMap::new(),
            pending: HashSet::new(),
            failed: HashMap::new(),
            processed: 0,
        }
    }

    /// Counts of the work done so far.
    pub(crate) fn counts(&self, pictures: usize) -> ImageCounts {
        ImageCounts {
            pictures,
            processed: self.processed,
            encodes: self.cache.encodes(),
        }
    }

    /// Brings the pictures up to the sites as they stand. What the cache lacks is processed
    /// here in parallel, or, with `defer`, left in [`Run::jobs`]: its pages show the original
    /// until a later run finds it done.
    pub(crate) fn run(
        &mut self,
        sites: &[Site],
        statics: &BTreeMap<String, StaticFile>,
        defer: bool,
    ) -> Run {
        let mut uses = uses(sites, statics);
        uses.retain(|path, _| images::is_processable(path));
        uses.extend(unshown(statics, &uses));
        self.known.retain(|path, _| uses.contains_key(path));
        // The sources whose pictures are not current, each then found in the cache (in
        // parallel: every file is read back and checked) or left to process.
        let stale: Vec<Job> = uses
            .iter()
            .filter_map(|(site_path, found)| {
                let file = &statics[&site_path[1..]];
                let current = self.known.get(site_path).is_some_and(|known| {
                    known.digest == file.digest
                        && known.shown == found.shown
                        && known.card.map(Focal::bits) == found.card.map(Focal::bits)
                });
                (!current).then(|| Job {
                    site_path: site_path.clone(),
                    name: shown(&file.path),
                    file: file.clone(),
                    card: found.card,
                    shown: found.shown,
                })
            })
            .collect();
        let (cache, settings, strip) = (&self.cache, &self.settings, &self.strip);
        let found: Vec<Option<Stored>> = stale
            .par_iter()
            .map(|job| cache.lookup(job.source(), job.settings(settings, strip), job.card))
            .collect();
        let mut missing = Vec::new();
        for (job, stored) in stale.into_iter().zip(found) {
            let key = (job.site_path.clone(), job.file.digest);
            // Until it is processed anew, a changed photo shows as it now is, not as it was.
            self.known.remove(&job.site_path);
            if let Some(error) = self.failed.get(&key) {
                let error = Err(error.clone());
                self.remember(&job, error);
            } else if let Some(stored) = stored {
                self.remember(&job, Ok(stored));
            } else if !self.pending.contains(&key) {
                missing.push(job);
            }
        }
        let jobs = if defer {
            self.pending
                .extend(missing.iter().map(|j| (j.site_path.clone(), j.file.digest)));
            (!missing.is_empty()).then(|| Jobs {
                cache: self.cache.clone(),
                settings: self.settings.clone(),
                strip: self.strip.clone(),
                jobs: missing,
            })
        } else {
            let (cache, settings, strip) = (&self.cache, &self.settings, &self.strip);
            let results: Vec<_> = missing
                .par_iter()
                .map(|job| {
                    let settings = job.settings(settings, strip);
                    let result = cache.process(job.source(), settings, job.card);
                    result.map(|(stored, _)| stored).map_err(Arc::new)
                })
                .collect();
            let shown = missing
                .iter()
                .zip(&results)
                .filter(|(j, r)| j.shown && r.is_ok());
            self.processed += shown.count();
            for (job, result) in missing.iter().zip(results) {
                self.remember(job, result);
            }
            None
        };
        let mut run = Run {
            pictures: Pictures::default(),
            files: BTreeMap::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            jobs,
        };
        for (site_path, found) in uses {
            let Some(known) = self.known.get(&site_path) else {
                continue;
            };
            match &known.result {
                Ok((picture, stored)) if found.shown => {
                    add_files(&mut run.files, &site_path, stored);
                    run.pictures.insert(site_path, picture.clone());
                }
                Ok((_, stored)) => add_stand_in(&mut run.files, &site_path, stored),
                // An animation is shown as it is.
                Err(error) if matches!(**error, ImageError::Animated { .. }) => {}
                Err(error) => {
                    let problem = Problem::Image {
                        image: found.address,
                        cause: error.clone(),
                    };
                    match found.shown {
                        true => run.errors.push(Diagnostic::new(found.at, problem)),
                        // No page shows it: it is copied as it is, and the writer told.
                        false => run.warnings.push(Diagnostic::warning(found.at, problem)),
                    }
                }
            }
        }
        run
    }

    /// Takes in what the background did; the next [`ImageStage::run`] finds it in the cache.
    pub(crate) fn finished(&mut self, done: Done) {
        for (key, result) in done.0 {
            self.pending.remove(&key);
            match result {
                Ok(()) => self.processed += 1,
                Err(error) => {
                    self.failed.insert(key, error);
                }
            }
        }
    }

    fn remember(&mut self, job: &Job, result: Result<Stored, Arc<ImageError>>) {
        let site_path = &job.site_path;
        let result = result.map(|stored| (Arc::new(picture(site_path, &stored)), stored));
        let known = Known {
            digest: job.file.digest,
            card: job.card,
            shown: job.shown,
            result,
        };
        self.known.insert(site_path.clone(), known);
    }
}

impl Jobs {
    /// Processes the sources into the cache, in parallel, on threads of their own: on
    /// rayon's shared pool, a photo taking a second to encode would hold up the preview's
    /// rendering behind it. One core is left to the preview.
    pub(crate) fn run(self) -> Done {
        let Jobs {
            cache,
            settings,
            strip,
            jobs,
        } = self;
        let process = |job: Job| {
            let settings = job.settings(&settings, &strip);
            let result = cache.process(job.source(), settings, job.card);
            (
                (job.site_path, job.file.digest),
                result.map(|_| ()).map_err(Arc::new),
            )
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .thread_name(|i| format!("kiosque-images-{i}"))
            .build();
        let done = match pool {
            Ok(pool) => pool.install(|| jobs.into_par_iter().map(process).collect()),
            Err(_) => jobs.into_iter().map(process).collect(),
        };
        Done(done)
    }

    /// How many sources there are.
    pub(crate) fn len(&self) -> usize {
        self.jobs.len()
    }
}

/// Every image the sites show that is one of their files, by site path, with its first use
/// in file order and the social card its heroes need (the first focal point written wins).
pub(crate) fn uses(
    sites: &[Site],
    statics: &BTreeMap<String, StaticFile>,
) -> BTreeMap<String, Use> {
    let mut found: Vec<(String, Use)> = Vec::new();
    let mut add = |address: &str, at: Location, card: Option<Focal>| {
        let Some(path) = source_path(address) else {
            return;
        };
        if statics.contains_key(&path[1..]) {
            let address = address.to_string();
            let shown = true;
            found.push((
                path.into_owned(),
                Use {
                    address,
                    at,
                    card,
                    shown,
                },
            ));
        }
    };
    let images = |written: &[Written]| {
        let images = written.iter().filter(|w| w.kind == WrittenKind::Image);
        images
            .map(|w| (w.target.clone(), w.location.clone()))
            .collect::<Vec<_>>()
    };
    for site in sites {
        for article in &site.articles {
            if let Some(image) = &article.image {
                let at = article.keys.location(&article.source, "image");
                add(&image.src, at, Some(image.focal.unwrap_or(Focal::CENTRE)));
            }
            for (address, at) in images(&article.written) {
                add(&address, at, None);
            }
        }
        for page in &site.pages {
            for (address, at) in images(&page.written) {
                add(&address, at, None);
            }
        }
    }
    if let Some(site) = sites.first() {
        for profile in site.profiles.values() {
            if let Some(avatar) = &profile.avatar {
                add(
                    avatar,
                    profile.keys.location(&profile.source, "avatar"),
                    None,
                );
            }
            for (address, at) in images(&profile.written) {
                add(&address, at, None);
            }
        }
    }
    found.sort_by(|(_, a), (_, b)| {
        (&a.at.path, a.at.line, a.at.column).cmp(&(&b.at.path, b.at.line, b.at.column))
    });
    let mut uses: BTreeMap<String, Use> = BTreeMap::new();
    for (path, found) in found {
        match uses.get_mut(&path) {
            Some(first) => first.card = first.card.or(found.card),
            None => {
                uses.insert(path, found);
            }
        }
    }
    uses
}

/// What the model keeps of a stored image: its variants at site paths next to the source's.
fn picture(site_path: &str, stored: &Stored) -> Picture {
    let variant = |v: &StoredVariant| PictureVariant {
        path: sibling(site_path, &v.file_name),
        width: v.width,
        height: v.height,
        format: v.format,
        size: v.size,
    };
    Picture {
        source: site_path.to_string(),
        width: stored.width,
        height: stored.height,
        fallback: stored.fallback,
        variants: stored.variants.iter().map(variant).collect(),
        card: stored.card.as_ref().map(variant),
    }
}

/// The output files of a stored image: every variant, the card, and at the source's own
/// path its metadata-free stand-in (the widest fallback), when that is the same format; a
/// GIF, whose fallback is a PNG, stays as it is there.
fn add_files(files: &mut BTreeMap<String, PathBuf>, site_path: &str, stored: &Stored) {
    for variant in stored.variants.iter().chain(&stored.card) {
        let path = sibling(site_path, &variant.file_name);
        files.insert(path[1..].to_string(), variant.path.clone());
    }
    if images::format_of(site_path) == Some(stored.fallback) {
        let widest = stored
            .variants
            .iter()
            .rev()
            .find(|v| v.format == stored.fallback);
        if let Some(stand_in) = stored.stand_in.as_ref().or(widest) {
            files.insert(site_path[1..].to_string(), stand_in.path.clone());
        }
    }
}

/// The photos of the site's own `static/` that no page shows, with the place to tell of
/// them: published all the same, so stripped of their metadata too. (A GIF is left alone: it
/// has no EXIF, and its fallback would not be a GIF.)
fn unshown(
    statics: &BTreeMap<String, StaticFile>,
    shown: &BTreeMap<String, Use>,
) -> Vec<(String, Use)> {
    let site_files = statics
        .iter()
        .filter(|(_, file)| matches!(file.content, StaticContent::Disk(_)))
        .filter(|(_, file)| file.path.starts_with(crate::theme::STATIC_DIR));
    site_files
        .map(|(output, file)| (format!("/{output}"), file))
        .filter(|(path, _)| images::format_of(path).is_some() && !shown.contains_key(path))
        .map(|(path, file)| {
            let found = Use {
                address: path.clone(),
                at: Location::file(&file.path),
                card: None,
                shown: false,
            };
            (path, found)
        })
        .collect()
}

/// The output file of a photo no page shows: its stand-in, at its own path.
fn add_stand_in(files: &mut BTreeMap<String, PathBuf>, site_path: &str, stored: &Stored) {
    let widest = stored.variants.last();
    if let Some(stand_in) = stored.stand_in.as_ref().or(widest) {
        files.insert(site_path[1..].to_string(), stand_in.path.clone());
    }
}

/// The site path of `file_name` in the folder of `site_path`.
fn sibling(site_path: &str, file_name: &str) -> String {
    let folder = &site_path[..site_path.rfind('/').map_or(0, |i| i + 1)];
    format!("{folder}{file_name}")
}

/// A static file as messages show it (`static/images/a.jpg`).
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_sit_next_to_their_source() {
        assert_eq!(
            sibling("/images/2025/a.jpg", "a-480.x.webp"),
            "/images/2025/a-480.x.webp"
        );
        assert_eq!(sibling("/a.jpg", "a-480.x.webp"), "/a-480.x.webp");
    }
}
