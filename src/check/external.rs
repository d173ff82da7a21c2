//! `kiosque check --external`: checks absolute http(s) links over HTTP, with a concurrency
//! limit, a per-host rate limit, a timeout per request and a cache of good results between runs.
//!
//! Finding links in articles and reporting them as diagnostics is left to the rest of `check`;
//! this module only answers "what does this URL give?". Nothing here touches the network unless
//! [`check`] is called, so `kiosque check` works offline without `--external`.
//!
//! The requests and the cache (`http`, `cache`) come with the `external-links` feature, on by
//! default. HTTPS goes through rustls with Mozilla's root certificates built in; a proxy named
//! in `ALL_PROXY`, `HTTPS_PROXY` or `HTTP_PROXY` is used, except for hosts listed in `NO_PROXY`.
//! A build without the feature has no HTTP client: [`AVAILABLE`] is false, and [`check`] gives
//! every http(s) link an error saying so ([`UNAVAILABLE`]) instead of passing it unchecked.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

#[cfg(feature = "external-links")]
mod cache;
#[cfg(feature = "external-links")]
mod http;

#[cfg(feature = "external-links")]
use http::request;

/// Whether this build can check links to other sites (the `external-links` feature).
pub const AVAILABLE: bool = cfg!(feature = "external-links");

/// Why a build without the `external-links` feature checks no link to another site.
pub const UNAVAILABLE: &str = "this build of kiosque has no external link checking: it was \
    built without the `external-links` feature (`cargo build --features external-links`)";

/// Version written in, and expected from, the cache file.
const CACHE_VERSION: u64 = 1;

/// A problem with the cache file; a warning, the check itself goes on.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The file exists but cannot be read; it is left as it is.
    #[error("cannot read the link cache {}", path.display())]
    Read {
        /// Cache file.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: io::Error,
    },
    /// The file is not valid JSON of the expected shape; it is left as it is.
    #[error("cannot parse the link cache {}", path.display())]
    Parse {
        /// Cache file.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// The file is JSON without `"version": 1`, another program's file or another version's;
    /// it is left as it is.
    #[error(
        "{} is not a version {CACHE_VERSION} Kiosque link cache; it is ignored and left as it is",
        path.display()
    )]
    Version {
        /// Cache file.
        path: PathBuf,
    },
    /// The results of this run could not be saved.
    #[error("cannot write the link cache {}", path.display())]
    Write {
        /// Cache file.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: io::Error,
    },
}

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Most requests in flight at once, over all hosts (0 counts as 1). Default 8.
    pub concurrency: usize,
    /// Least time between the starts of two requests to one host (host and port); a day at
    /// most. Default 500 ms.
    pub per_host_interval: Duration,
    /// Longest time one HTTP request may take, from name lookup to response headers. A redirect
    /// or a `GET` after a refused `HEAD` is a new request with its own time. A day at most.
    /// Default 10 s.
    pub timeout: Duration,
    /// JSON file keeping results between runs; `None` keeps nothing.
    pub cache: Option<PathBuf>,
    /// How long a good result from the cache is trusted without asking again. Default 24 h.
    pub max_age: Duration,
    /// `User-Agent` header sent with every request.
    pub user_agent: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: 8,
            per_host_interval: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
            cache: None,
            max_age: Duration::from_secs(24 * 60 * 60),
            user_agent: format!("kiosque/{} (link checker)", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A 2xx answer, after any redirects.
    Ok,
    /// An answer saying the page is not there: 404, 410, any other 4xx but 429, or any other
    /// status that is neither success nor a redirect with somewhere to go.
    Broken {
        /// HTTP status of the last answer.
        code: u16,
    },
    /// An answer saying "not now": 429 or 5xx. Worth checking again later.
    Transient {
        /// HTTP status of the last answer.
        code: u16,
    },
    /// No usable answer: unknown host, connection refused, TLS failure, too many redirects.
    Unreachable(String),
    /// No answer within [`Settings::timeout`].
    TimedOut,
    /// Not an absolute http(s) URL (`mailto:`, `ftp:`, a relative path): not checked.
    Unsupported,
    /// An http(s) URL, or a redirect's target, that cannot be parsed or requested.
    Invalid(String),
}

impl Status {
    /// Whether the link is certainly wrong: broken, unreachable or invalid. Transient failures
    /// and timeouts are not errors; they may be gone on the next run.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Status::Broken { .. } | Status::Unreachable(_) | Status::Invalid(_)
        )
    }

    /// Whether the link works.
    pub fn is_ok(&self) -> bool {
        matches!(self, Status::Ok)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Ok => f.write_str("ok"),
            Status::Broken { code } => write!(f, "broken (HTTP {code})"),
            Status::Transient { code } => write!(f, "failing for now (HTTP {code})"),
            Status::Unreachable(message) => write!(f, "unreachable: {message}"),
            Status::TimedOut => f.write_str("timed out"),
            Status::Unsupported => f.write_str("not checked: not an http(s) URL"),
            Status::Invalid(message) => write!(f, "invalid URL: {message}"),
        }
    }
}

/// What a [`check`] found.
#[derive(Debug, Default)]
pub struct Report {
    /// Status of every URL, keyed by the URL as given (fragment included).
    pub statuses: BTreeMap<String, Status>,
    /// HTTP requests sent, each redirect and each `GET` after a refused `HEAD` included.
    pub requests: usize,
    /// URLs (without fragment) answered from the cache, without a request.
    pub from_cache: usize,
    /// Problems with the cache file. They never stop the check: the run goes on without the
    /// cache, and a cache file that could not be read is left as it is.
    pub cache_problems: Vec<CacheError>,
}
/// Checks every URL: one request (or chain of redirects) per distinct URL without its fragment,
/// good results younger than [`Settings::max_age`] taken from the cache instead. Never fails:
/// each URL gets a [`Status`], and cache trouble is reported in [`Report::cache_problems`].
pub fn check(urls: impl IntoIterator<Item = String>, settings: &Settings) -> Report {
    let mut report = Report::default();
    let (keys, targets) = targets(urls, &mut report.statuses);
    if targets.is_empty() {
        return report;
    }
    let results: HashMap<String, Status> = request(targets, settings, &mut report);
    for (given, key) in keys {
        let status = results
            .get(&key)
            .cloned()
            .unwrap_or_else(|| Status::Unreachable("not checked (internal error)".to_string()));
        report.statuses.insert(given, status);
    }
    report
}

/// Without an HTTP client, every link gets an error saying that nothing was asked, and why.
#[cfg(not(feature = "external-links"))]
fn request(targets: Vec<Url>, _: &Settings, _: &mut Report) -> HashMap<String, Status> {
    let unchecked = Status::Unreachable(UNAVAILABLE.to_string());
    targets
        .into_iter()
        .map(|url| (url.into(), unchecked.clone()))
        .collect()
}

/// Sorts the links out: the request key (URL without fragment) of each requestable one, and
/// the distinct URLs to check in first-seen order; the others get their status right away.
fn targets(
    urls: impl IntoIterator<Item = String>,
    statuses: &mut BTreeMap<String, Status>,
) -> (BTreeMap<String, String>, Vec<Url>) {
    let mut keys = BTreeMap::new();
    let mut targets = Vec::new();
    let mut seen = HashSet::new();
    for given in urls {
        match target(&given) {
            Ok(url) => {
                let key = url.as_str().to_string();
                if seen.insert(key.clone()) {
                    targets.push(url);
                }
                keys.insert(given, key);
            }
            Err(status) => {
                statuses.insert(given, status);
            }
        }
    }
    (keys, targets)
}

/// The URL to request for a link as written: parsed, fragment removed; or the status saying
/// why it is not requested.
fn target(given: &str) -> Result<Url, Status> {
    let mut url = match Url::parse(given.trim()) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return Err(Status::Unsupported),
        Err(error) => return Err(Status::Invalid(error.to_string())),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Status::Unsupported);
    }
    url.set_fragment(None);
    Ok(url)
}

#[cfg(all(test, feature = "external-links"))]
mod tests;
#[cfg(all(test, not(feature = "external-links")))]
mod tests_without_http;
