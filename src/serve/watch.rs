//! Watching for `serve`: file events from the site's folders, coalesced by a debouncer, each
//! batch one rebuild. Editors' swap and backup files are ignored; a burst of changes (a
//! `git checkout`) is one batch.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Served, Server, Signal};
use crate::config::{BuildOptions, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Error};
use crate::highlight::CodeCache;
use crate::theme::is_editor_litter;

/// Folders of a site whose changes need a rebuild, besides `site.toml`.
const WATCHED: [&str; 5] = ["content", "templates", "static", "syntaxes", "themes"];

/// How long the debouncer waits for quiet before a batch: an editor's write-then-rename
/// takes a few milliseconds.
const QUIET: Duration = Duration::from_millis(20);

/// A preview: the server, and the watcher that rebuilds into it.
pub struct Preview {
    server: Arc<Server>,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    rebuilds: JoinHandle<()>,
}

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
        /// Files served now.
        files: usize,
        /// Milliseconds from the first event to the signal sent.
        millis: u128,
    },
    /// The build failed; the last good one is still served.
    Failed(Vec<Diagnostic>),
}

/// Starts watching `options.root` and rebuilding into `server`; `report` hears of each
/// rebuild (the CLI prints one line).
pub fn preview(
    options: BuildOptions,
    server: Server,
    report: impl Fn(&Rebuilt) + Send + 'static,
) -> notify::Result<Preview> {
    let root = options.root.clone();
    let (batches, received) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reading a file is an event too: the build's own reads must not start another.
            let paths = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            let _ = batches.send(paths);
        }
    })?;
    // The root itself, not recursively, sees site.toml and folders created later.
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let server = Arc::new(server);
    let serving = server.clone();
    let cache = Arc::new(CodeCache::default());
    let rebuilds = std::thread::spawn(move || {
        let options = BuildOptions {
            code_cache: Some(cache),
            ..options
        };
        while let Ok(mut paths) = received.recv() {
            let started = Instant::now();
            while let Ok(more) = received.try_recv() {
                paths.extend(more);
            }
            let mut changed: Vec<PathBuf> = paths
                .iter()
                .filter_map(|p| p.strip_prefix(&options.root).ok())
                .filter(|p| needs_rebuild(p))
                .map(Path::to_path_buf)
                .collect();
            changed.sort();
            changed.dedup();
            if changed.is_empty() {
                continue;
            }
            report(&rebuild(&options, &serving, changed, started));
        }
    });
    Ok(Preview {
        server,
        debouncer,
        rebuilds,
    })
}

fn rebuild(
    options: &BuildOptions,
    server: &Server,
    changed: Vec<PathBuf>,
    started: Instant,
) -> Rebuilt {
    match crate::build_in_memory(options) {
        Ok(built) => {
            // A folder's own event comes with each file created in it.
            let css_only = changed
                .iter()
                .filter(|p| !options.root.join(p).is_dir())
                .all(|p| p.extension().is_some_and(|e| e == "css"));
            let files = built.outputs.len();
            server.publish(
                Served {
                    base_path: built.site.config.base_path().to_string(),
                    outputs: built.outputs,
                },
                if css_only {
                    Signal::Css
                } else {
                    Signal::Reload
                },
            );
            Rebuilt::Done {
                changed,
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
                "message": d.problem.to_string(),
            })
        })
        .collect();
    serde_json::Value::from(list).to_string()
}

/// Whether a changed path (relative to the root) can change the site: `site.toml` or a file
/// in a watched folder, but not an editor's swap or backup file.
fn needs_rebuild(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let watched = path == Path::new(CONFIG_FILE)
        || path
            .components()
            .next()
            .is_some_and(|c| WATCHED.iter().any(|w| c.as_os_str() == *w));
    watched && !is_editor_litter(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_litter_and_other_folders_need_no_rebuild() {
        for path in [
            "site.toml",
            "content/2025/a.md",
            "content/2025",
            "templates/article.html",
            "static/style.css",
            "themes/default/i18n/fr.toml",
        ] {
            assert!(needs_rebuild(Path::new(path)), "{path}");
        }
        for path in [
            "content/2025/.a.md.swp",
            "content/2025/a.md~",
            "content/2025/.#a.md",
            "content/4913",
            "public/index.html",
            "target/debug/kiosque",
            "README.md",
        ] {
            assert!(!needs_rebuild(Path::new(path)), "{path}");
        }
    }
}
