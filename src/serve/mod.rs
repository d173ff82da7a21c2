//! `kiosque serve`: the site built in memory (drafts included) and served over HTTP by
//! axum on its own tokio runtime. Nothing is written to disk, and nothing outside the built
//! site can be served: every request path is resolved against the outputs in memory.

pub mod http;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::output::Outputs;
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

/// A running preview server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
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
        let app = Router::new().fallback(answer).with_state(Arc::new(site));
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
            runtime: Some(runtime),
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits for Ctrl-C, then stops.
    pub fn run_until_interrupted(mut self) -> io::Result<()> {
        if let Some(runtime) = &self.runtime {
            runtime.block_on(tokio::signal::ctrl_c())?;
        }
        self.stop()
    }

    /// Stops serving: requests under way finish, the port is released.
    pub fn stop(&mut self) -> io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match (self.runtime.take(), self.task.take()) {
            (Some(runtime), Some(task)) => runtime
                .block_on(task)
                .map_err(io::Error::other)
                .and_then(|served| served),
            _ => Ok(()),
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

async fn answer(State(site): State<Arc<Served>>, request: Request<Body>) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let file = |status: StatusCode, path: &str| -> Response {
        let bytes = site.outputs.get(path).unwrap_or_default().to_vec();
        (
            status,
            [
                (header::CONTENT_TYPE, content_type(path)),
                // A preview must show the last save, never a cached page.
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response()
    };
    match resolve(&site.outputs, &site.base_path, request.uri().path()) {
        Answer::File(path) => file(StatusCode::OK, &path),
        Answer::Redirect(to) => {
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Answer::NotFound if site.outputs.get("404.html").is_some() => {
            file(StatusCode::NOT_FOUND, "404.html")
        }
        Answer::NotFound => StatusCode::NOT_FOUND.into_response(),
        Answer::BadRequest => StatusCode::BAD_REQUEST.into_response(),
    }
}
