//! `kiosque serve`: the site built in memory (drafts included) and served over HTTP by
//! axum on its own tokio runtime, rebuilt when a file changes, with browsers told to reload
//! over Server-Sent Events. Nothing is written to disk, and nothing outside the built site
//! can be served: every request path is resolved against the outputs in memory.

pub mod changes;
pub mod http;
mod start;
mod watch;

pub use start::{Started, first_build};
pub use watch::{Preview, Rebuilt, preview};

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::runtime::Runtime;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::output::{Outputs, Patch};
use http::{Answer, content_type, resolve};

/// Port tried first, as Zola does; the next free one is taken when it is busy.
pub const DEFAULT_PORT: u16 = 1111;

/// Ports tried after the asked one when it is taken.
const PORT_TRIES: u16 = 20;

/// What the server serves.
#[derive(Debug, Default)]
pub struct Served {
    /// Every output file of the build.
    pub outputs: Outputs,
    /// Path the site lives under (`/` or `/news/`).
    pub base_path: String,
}

/// Stylesheet-only builds remembered for pages catching up.
const CSS_BUILDS_KEPT: usize = 64;

/// Path of the reload event stream.
const EVENTS_PATH: &str = "/__kiosque/events";
/// Path of the live-reload script, injected into every served HTML page.
const LIVE_SCRIPT_PATH: &str = "/__kiosque/live.js";
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What browsers are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Sent first on each connection: the build now served, with the latest builds that
    /// changed stylesheets only.
    Hello(u64),
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: swap them, keep the page.
    Css,
    /// The rebuild failed: show these problems (JSON) over the last good page.
    Problems(String),
    /// A rebuild succeeded after a failure: the overlay goes, the page reloads.
    Fixed,
}

/// What the server and the rebuilds share.
struct Shared {
    site: RwLock<Served>,
    /// Counts the builds served, so that a page can tell it missed one while it reloaded.
    generation: AtomicU64,
    /// The latest builds that changed stylesheets only, so that a page that missed only
    /// those swaps its stylesheets instead of reloading.
    css_builds: std::sync::Mutex<std::collections::VecDeque<u64>>,
    signals: broadcast::Sender<Signal>,
    /// The problems of the last failed rebuild, for browsers that connect meanwhile.
    problems: RwLock<Option<String>>,
}

/// A running preview server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<Runtime>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Server {
    /// Serves `site` on a listener from [`bind`].
    pub fn start(listener: TcpListener, site: Served) -> io::Result<Server> {
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let shared = Arc::new(Shared {
            site: RwLock::new(site),
            generation: AtomicU64::new(0),
            css_builds: Default::default(),
            signals: broadcast::channel(16).0,
            problems: RwLock::new(None),
        });
        let app = Router::new()
            .route(EVENTS_PATH, axum::routing::get(events))
            .route(LIVE_SCRIPT_PATH, axum::routing::get(live_script))
            .fallback(answer)
            .with_state(shared.clone());
        let task = runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Server {
            addr,
            shared,
            runtime: Some(runtime),
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves a rebuild and tells browsers: to swap stylesheets when only stylesheets
    /// changed, to reload otherwise, and nothing when nothing changed.
    pub fn update(&self, patch: Patch, base_path: &str) {
        // A search index made in the background changes no page: nothing to reload for it,
        // alone or beside a stylesheet.
        let shown: Vec<&str> = patch
            .paths()
            .filter(|p| !crate::search::is_index_file(p))
            .collect();
        let index_only = !patch.whole && shown.is_empty();
        let css_only = !patch.whole && !index_only && shown.iter().all(|p| p.ends_with(".css"));
        let changed = !patch.is_empty() && !index_only;
        if let Ok(mut site) = self.shared.site.write() {
            site.outputs.apply(patch);
            if site.base_path != base_path {
                site.base_path = base_path.to_string();
            }
        }
        let was_failing = self
            .shared
            .problems
            .write()
            .map(|mut problems| problems.take().is_some())
            .unwrap_or(false);
        let signal = match (was_failing, changed, css_only) {
            (true, _, _) => Signal::Fixed,
            (false, false, _) => return,
            (false, true, true) => Signal::Css,
            (false, true, false) => Signal::Reload,
        };
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if let (Signal::Css, Ok(mut builds)) = (&signal, self.shared.css_builds.lock()) {
            builds.push_back(generation);
            if builds.len() > CSS_BUILDS_KEPT {
                builds.pop_front();
            }
        }
        let _ = self.shared.signals.send(signal);
    }

    /// Keeps serving the last good build and tells browsers what is wrong (JSON).
    pub fn fail(&self, problems: String) {
        if let Ok(mut current) = self.shared.problems.write() {
            *current = Some(problems.clone());
        }
        let _ = self.shared.signals.send(Signal::Problems(problems));
    }

    /// Waits for Ctrl-C, then stops.
    pub fn run_until_interrupted(mut self) -> io::Result<()> {
        self.wait_for_interrupt()?;
        self.stop()
    }

    /// Waits for Ctrl-C.
    pub fn wait_for_interrupt(&self) -> io::Result<()> {
        match &self.runtime {
            Some(runtime) => runtime.block_on(tokio::signal::ctrl_c()),
            None => Ok(()),
        }
    }

    /// Stops serving: requests under way finish, the port is released.
    pub fn stop(&mut self) -> io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let (Some(runtime), Some(task)) = (self.runtime.take(), self.task.take()) else {
            return Ok(());
        };
        // Browsers' event streams never end by themselves: they get half a second.
        let finished = runtime
            .block_on(async { tokio::time::timeout(Duration::from_millis(500), task).await });
        runtime.shutdown_timeout(Duration::from_millis(100));
        match finished {
            Ok(Ok(served)) => served,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_) => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Listens on `address`, at `port` or the first free one of the next [`PORT_TRIES`];
/// `port` 0 lets the system choose.
pub fn bind(address: IpAddr, port: u16) -> io::Result<TcpListener> {
    let mut last = None;
    let tries = if port == 0 { 1 } else { PORT_TRIES + 1 };
    for offset in 0..tries {
        match TcpListener::bind((address, port.saturating_add(offset))) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AddrInUse)))
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    // Held while the answer is copied out: a rebuild waits for it, never the other way.
    let Ok(site) = shared.site.read() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let generation = shared.generation.load(Ordering::SeqCst);
    let file = |status: StatusCode, path: &str| -> Response {
        // Static files and processed images are read from disk, the rest is in memory; one
        // removed meanwhile is not there any more.
        let Some(bytes) = site.outputs.read(path) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let kind = content_type(path);
        let body = if kind.starts_with("text/html") {
            with_live_script(&bytes, generation)
        } else {
            bytes.into_owned()
        };
        (
            status,
            [
                (header::CONTENT_TYPE, kind),
                // A preview must show the last save, never a cached page.
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response()
    };
    match resolve(&site.outputs, &site.base_path, request.uri().path()) {
        Answer::File(path) => file(StatusCode::OK, &path),
        Answer::Redirect(to) => {
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Answer::NotFound if site.outputs.has_file("404.html") => {
            file(StatusCode::NOT_FOUND, "404.html")
        }
        Answer::NotFound => StatusCode::NOT_FOUND.into_response(),
        Answer::BadRequest => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The page with the live-reload script before `</body>`: added when served, so built
/// pages never carry it. `generation` is the build the page comes from.
fn with_live_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{LIVE_SCRIPT_PATH}\" data-generation=\"{generation}\" defer></script>"
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

async fn live_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_SCRIPT,
    )
        .into_response()
}

/// The reload channel: `hello` with the build being served (a page from an older one
/// missed a rebuild while it reloaded), the current problems for a browser that connects
/// while the build is broken, then one event per rebuild.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, std::convert::Infallible>>> {
    let receiver = shared.signals.subscribe();
    let pending = shared
        .problems
        .read()
        .ok()
        .and_then(|problems| problems.clone())
        .map(Signal::Problems);
    let hello = Signal::Hello(shared.generation.load(Ordering::SeqCst));
    let first = tokio_stream::iter(std::iter::once(hello).chain(pending));
    let later = BroadcastStream::new(receiver).filter_map(Result::ok);
    let served = shared.clone();
    let stream = first.chain(later).map(move |signal| {
        Ok(match signal {
            Signal::Hello(generation) => {
                let css: Vec<u64> = served
                    .css_builds
                    .lock()
                    .map(|builds| builds.iter().copied().collect())
                    .unwrap_or_default();
                let hello = serde_json::json!({"generation": generation, "css": css});
                Event::default().event("hello").data(hello.to_string())
            }
            Signal::Reload => Event::default().event("reload").data("reload"),
            // The page stays: it now shows this build.
            Signal::Css => Event::default()
                .event("css")
                .data(served.generation.load(Ordering::SeqCst).to_string()),
            Signal::Problems(json) => Event::default().event("problems").data(json),
            Signal::Fixed => Event::default().event("fixed").data("fixed"),
        })
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
