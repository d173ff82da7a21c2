//! Watching for `serve`: file events from the site's folders, coalesced by a debouncer, each
//! batch one rebuild. Editors' swap and backup files are ignored; a burst of changes (a
//! `git checkout`) is one batch.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::Server;
use super::changes::{Change, WATCHED, classify};
use crate::diagnostics::{Diagnostic, Error};
use crate::incremental::{ImagesDone, Project, SearchDone};

/// How long a file must be left alone before its events are passed on: an editor's
/// write-then-rename takes a millisecond or two.
const SETTLED: Duration = Duration::from_millis(5);

/// How long the whole site must be quiet before a rebuild: the debouncer settles each file
/// on its own, so a `git checkout` of hundreds of files arrives as many batches in a row.
const QUIET: Duration = Duration::from_millis(10);

/// How long the site must be quiet once a batch holds a burst's worth of files (see
/// [`BURST`]): on a loaded machine a checkout's files can come more than [`QUIET`] apart, and
/// one more rebuild of hundreds of pages costs far more than waiting a little longer.
const BURST_QUIET: Duration = Duration::from_millis(60);

/// Paths in a batch from which it is taken for a burst.
const BURST: usize = 32;

/// How often the rebuild loop looks whether the preview was stopped.
const STOPPED: Duration = Duration::from_millis(100);

/// How long the writer must pause before the search index is made again: indexing a big
/// site takes seconds of CPU, which should not slow the rebuilds of a burst of saves.
const IDLE: Duration = Duration::from_millis(750);

/// A preview: the server, and the watcher that rebuilds into it.
pub struct Preview {
    server: Arc<Server>,
    debouncer: Arc<Mutex<Watcher>>,
    rebuilds: JoinHandle<()>,
}

type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

impl Preview {
    /// The address the preview listens on.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.addr()
    }

    /// Waits for Ctrl-C, then stops watching and serving.
    pub fn run_until_interrupted(self) -> std::io::Result<()> {
        self.server.wait_for_interrupt()?;
        self.stop()
    }

    /// Stops watching, lets a rebuild under way finish, and stops serving.
    pub fn stop(self) -> std::io::Result<()> {
        // The debouncer holds the sending end: dropping it ends the rebuild loop.
        drop(self.debouncer);
        let _ = self.rebuilds.join();
        match Arc::try_unwrap(self.server) {
            Ok(mut server) => server.stop(),
            Err(_) => Ok(()),
        }
    }
}

/// What one rebuild reports, for the terminal.
pub enum Rebuilt {
    /// The new build is served.
    Done {
        /// What changed, shortest path first.
        changed: Vec<PathBuf>,
        /// Pages, feeds and other generated files rendered again.
        rendered: usize,
        /// Output files written or removed, static files included.
        files: usize,
        /// Milliseconds from the first event to the signal sent.
        millis: u128,
    },
    /// The build failed; the last good one is still served.
    Failed(Vec<Diagnostic>),
}

/// Starts watching the project's root and rebuilding into `server`; `report` hears of each
/// rebuild (the CLI prints one line).
pub fn preview(
    project: Project,
    server: Server,
    report: impl Fn(&Rebuilt) + Send + 'static,
) -> notify::Result<Preview> {
    // Events name absolute paths: a relative root (`.`) would never be their prefix.
    let root = project.site().config.root.canonicalize()?;
    let (batches, received) = mpsc::channel::<Wake>();
    let images = batches.clone();
    let mut debouncer = new_debouncer(SETTLED, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reading a file is an event too: the build's own reads must not start another.
            let paths = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            let _ = batches.send(Wake::Paths(paths));
        }
    })?;
    // The root itself, not recursively, sees site.toml and folders created later.
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watched = Vec::new();
    watch_folders(&mut debouncer, &root, &mut watched)?;
    let debouncer = Arc::new(Mutex::new(debouncer));
    // Weak, so that dropping the preview's handle drops the watcher and ends the loop.
    let watcher = Arc::downgrade(&debouncer);
    let server = Arc::new(server);
    let serving = server.clone();
    let rebuilds = std::thread::spawn(move || {
        let mut project = project;
        // The first build's new images; its search index once the writer pauses.
        process_images(&mut project, &images);
        let mut index_pending = true;
        loop {
            // The loop holds a sender for the image threads, so the channel never closes:
            // it ends when the watcher is dropped instead.
            let wait = if index_pending { IDLE } else { STOPPED };
            let wake = match received.recv_timeout(wait) {
                Ok(wake) => wake,
                Err(mpsc::RecvTimeoutError::Timeout) if watcher.strong_count() > 0 => {
                    if std::mem::take(&mut index_pending) {
                        process_search(&mut project, &images);
                    }
                    continue;
                }
                Err(_) => break,
            };
            let started = Instant::now();
            let mut paths = match wake {
                Wake::Paths(paths) => paths,
                Wake::Images(done) => {
                    project.images_done(done);
                    report(&rebuild(&mut project, &serving, Vec::new(), started));
                    process_images(&mut project, &images);
                    index_pending = true;
                    continue;
                }
                Wake::Search(done) => {
                    project.search_done(done);
                    // Quietly: the index is not a page the writer is looking at.
                    rebuild(&mut project, &serving, Vec::new(), started);
                    index_pending = true;
                    continue;
                }
            };
            if let Some(watcher) = watcher.upgrade()
                && let Ok(mut watcher) = watcher.lock()
            {
                // A folder created or re-created since is watched from now on.
                let _ = watch_folders(&mut watcher, &root, &mut watched);
            }
            let mut images_done = false;
            let mut index_done = false;
            loop {
                let quiet = if paths.len() >= BURST {
                    BURST_QUIET
                } else {
                    QUIET
                };
                let Ok(more) = received.recv_timeout(quiet) else {
                    break;
                };
                match more {
                    Wake::Paths(more) => paths.extend(more),
                    Wake::Images(done) => {
                        project.images_done(done);
                        images_done = true;
                    }
                    Wake::Search(done) => {
                        project.search_done(done);
                        index_done = true;
                    }
                }
            }
            let theme = project.theme().to_string();
            let mut changed: Vec<PathBuf> = paths
                .iter()
                .filter_map(|p| p.strip_prefix(&root).ok())
                .filter(|p| classify(p, &theme) != Change::Nothing)
                .map(Path::to_path_buf)
                .collect();
            changed.sort();
            changed.dedup();
            if changed.is_empty() && !images_done {
                if index_done {
                    rebuild(&mut project, &serving, Vec::new(), started);
                    index_pending = true;
                }
                continue;
            }
            report(&rebuild(&mut project, &serving, changed, started));
            process_images(&mut project, &images);
            index_pending = true;
        }
    });
    Ok(Preview {
        server,
        debouncer,
        rebuilds,
    })
}

/// What wakes the rebuild loop.
enum Wake {
    /// Files changed.
    Paths(Vec<PathBuf>),
    /// Images were processed in the background: their pages can show them.
    Images(ImagesDone),
    /// The search index was made in the background: it can be served.
    Search(SearchDone),
}

/// Processes the images the last builds left, on a thread of their own: the preview goes on
/// serving and rebuilding meanwhile, and is woken when they are done (also if processing
/// panicked, so that the next images are not held up behind it).
fn process_images(project: &mut Project, wake: &mpsc::Sender<Wake>) {
    if let Some(jobs) = project.take_image_jobs() {
        let wake = wake.clone();
        std::thread::spawn(move || {
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| jobs.run()));
            let _ = wake.send(Wake::Images(done.unwrap_or_default()));
        });
    }
}

/// Makes the search indexes the last builds left behind, on a thread of its own, as
/// [`process_images`] does; called once the writer pauses.
fn process_search(project: &mut Project, wake: &mpsc::Sender<Wake>) {
    if let Some(jobs) = project.take_search_jobs() {
        let wake = wake.clone();
        std::thread::spawn(move || {
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| jobs.run()));
            let _ = wake.send(Wake::Search(done.unwrap_or_default()));
        });
    }
}

/// Watches each of [`WATCHED`] that exists and is not watched yet; forgets those gone.
fn watch_folders(
    watcher: &mut Watcher,
    root: &Path,
    watched: &mut Vec<PathBuf>,
) -> notify::Result<()> {
    watched.retain(|folder| folder.is_dir());
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() && !watched.contains(&path) {
            watcher.watch(&path, RecursiveMode::Recursive)?;
            watched.push(path);
        }
    }
    Ok(())
}

fn rebuild(
    project: &mut Project,
    server: &Server,
    changed: Vec<PathBuf>,
    started: Instant,
) -> Rebuilt {
    let rendered = super::changes::update(project, &changed)
        .and_then(|()| project.render().map_err(Error::Input));
    match rendered {
        Ok(patch) => {
            let rendered = patch.rendered;
            let files = patch.files.len() + patch.removed.len();
            server.update(patch, project.site().config.base_path());
            Rebuilt::Done {
                changed,
                rendered,
                files,
                millis: started.elapsed().as_millis(),
            }
        }
        Err(Error::Input(diagnostics)) => {
            server.fail(problems_json(&diagnostics));
            Rebuilt::Failed(diagnostics)
        }
        Err(error) => {
            server
                .fail(serde_json::json!([{"file": "", "message": error.to_string()}]).to_string());
            Rebuilt::Failed(Vec::new())
        }
    }
}

/// The problems as the browser overlay reads them.
fn problems_json(diagnostics: &[Diagnostic]) -> String {
    let list: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.location.path.display().to_string(),
                "line": d.location.line,
                "column": d.location.column,
                "message": d.problem.message(),
            })
        })
        .collect();
    serde_json::Value::from(list).to_string()
}
