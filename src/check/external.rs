//! `kiosque check --external`: checks absolute http(s) links over HTTP, with a concurrency
//! limit, a per-host rate limit, a timeout per request and a cache of good results between runs.
//!
//! Finding links in articles and reporting them as diagnostics is left to the rest of `check`;
//! this module only answers "what does this URL give?". Nothing here touches the network unless
//! [`check`] is called, so `kiosque check` works offline without `--external`.
//!
//! HTTPS goes through rustls with Mozilla's root certificates built in; a proxy named in
//! `ALL_PROXY`, `HTTPS_PROXY` or `HTTP_PROXY` is used, except for hosts listed in `NO_PROXY`.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use url::Url;

mod cache;

pub use cache::CacheError;
use cache::{Cache, unix_now};

/// Redirects followed for one URL before giving up on it.
const MAX_REDIRECTS: u8 = 10;

/// Statuses a server may give to `HEAD` while `GET` works; these are asked again with `GET`.
const GET_FALLBACK: [u16; 4] = [400, 403, 405, 501];

/// Longest timeout or interval honoured; longer ones are shortened to it (a day is already
/// "never" for a link check, and a bound keeps clock arithmetic from overflowing).
const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);

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
    let cache = settings.cache.as_deref().and_then(|path| {
        Cache::load(path)
            .map_err(|problem| report.cache_problems.push(problem))
            .ok()
    });

    let now = unix_now();
    let mut results: HashMap<String, Status> = HashMap::new();
    let mut jobs = Vec::new();
    for url in targets {
        if cache
            .as_ref()
            .is_some_and(|cache| cache.trusts(url.as_str(), now, settings.max_age))
        {
            results.insert(url.into(), Status::Ok);
        } else {
            jobs.push(Job::new(url));
        }
    }
    report.from_cache = results.len();

    let (checked, requests) = run(jobs, settings);
    report.requests = requests;
    if let Some(cache) = cache
        && let Err(problem) = cache.save(&checked, now, settings.max_age)
    {
        report.cache_problems.push(problem);
    }
    results.extend(checked);

    for (given, key) in keys {
        let status = results
            .get(&key)
            .cloned()
            .unwrap_or_else(|| Status::Unreachable("not checked (internal error)".to_string()));
        report.statuses.insert(given, status);
    }
    report
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

/// The rate-limited unit: host and port (`example.com:443`).
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// Method of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// The next request for one URL: the first, a redirect's, or a `GET` after a refused `HEAD`.
#[derive(Debug)]
struct Job {
    /// The URL being checked (what the result is recorded under).
    key: String,
    /// Where this request goes.
    url: Url,
    /// Rate-limited host of `url`.
    host: String,
    method: Method,
    redirects: u8,
}

impl Job {
    fn new(url: Url) -> Self {
        Job {
            key: url.as_str().to_string(),
            host: host_key(&url),
            url,
            method: Method::Head,
            redirects: 0,
        }
    }
}

/// What one request led to.
#[derive(Debug)]
enum Step {
    Done(Status),
    Next(Job),
}

/// Work shared by the worker threads.
struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
    interval: Duration,
}

struct QueueState {
    waiting: VecDeque<Job>,
    /// Earliest start of the next request to each host.
    next_start: HashMap<String, Instant>,
    in_flight: usize,
    requests: usize,
    results: HashMap<String, Status>,
}

/// Runs the jobs on a fixed pool of threads; returns each job's status and the requests sent.
fn run(jobs: Vec<Job>, settings: &Settings) -> (HashMap<String, Status>, usize) {
    if jobs.is_empty() {
        return (HashMap::new(), 0);
    }
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Redirects are followed here, one request at a time, so that each goes through the
        // per-host rate limit.
        .max_redirects(0)
        .timeout_global(Some(settings.timeout.min(LONGEST)))
        .user_agent(settings.user_agent.as_str())
        .build()
        .new_agent();
    let workers = settings.concurrency.clamp(1, jobs.len());
    let queue = Queue {
        state: Mutex::new(QueueState {
            waiting: jobs.into(),
            next_start: HashMap::new(),
            in_flight: 0,
            requests: 0,
            results: HashMap::new(),
        }),
        changed: Condvar::new(),
        interval: settings.per_host_interval.min(LONGEST),
    };
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| work(&queue, &agent));
        }
    });
    let state = queue
        .state
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    (state.results, state.requests)
}

/// One worker: takes the next job whose host is ready, sends its request, records the outcome.
fn work(queue: &Queue, agent: &ureq::Agent) {
    while let Some(job) = queue.take() {
        let key = job.key.clone();
        // A panic in the client must not leave other workers waiting for this job forever.
        let step =
            panic::catch_unwind(AssertUnwindSafe(|| send(agent, job))).unwrap_or_else(|_| {
                Step::Done(Status::Unreachable(
                    "internal error in the HTTP client".to_string(),
                ))
            });
        let mut state = queue.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        match step {
            Step::Done(status) => {
                state.results.insert(key, status);
            }
            Step::Next(job) => state.waiting.push_back(job),
        }
        drop(state);
        queue.changed.notify_all();
    }
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job whose host may be asked now, waiting until there is one; `None` when every
    /// job is done.
    fn take(&self) -> Option<Job> {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let ready = state.waiting.iter().position(|job| {
                state
                    .next_start
                    .get(&job.host)
                    .is_none_or(|start| *start <= now)
            });
            if let Some(job) = ready.and_then(|index| state.waiting.remove(index)) {
                let next = now.checked_add(self.interval).unwrap_or(now);
                state.next_start.insert(job.host.clone(), next);
                state.in_flight += 1;
                state.requests += 1;
                return Some(job);
            }
            if state.waiting.is_empty() && state.in_flight == 0 {
                return None;
            }
            // Nothing ready: sleep until the earliest host is, or until a request in flight
            // ends (it may queue a redirect or finish the run).
            let earliest = state
                .waiting
                .iter()
                .filter_map(|job| state.next_start.get(&job.host))
                .min()
                .copied();
            state = match earliest {
                Some(start) => {
                    let wait = start.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(state, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}

/// Sends one request and decides what it means: a final status, or the next request.
fn send(agent: &ureq::Agent, job: Job) -> Step {
    let answer = match job.method {
        Method::Head => agent.head(job.url.as_str()).call(),
        Method::Get => agent.get(job.url.as_str()).call(),
    };
    // The body is never read: dropping the response closes the connection.
    let response = match answer {
        Ok(response) => response,
        Err(error) => return Step::Done(failure(error)),
    };
    let code = response.status().as_u16();
    if job.method == Method::Head && GET_FALLBACK.contains(&code) {
        return Step::Next(Job {
            method: Method::Get,
            ..job
        });
    }
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok());
    match location {
        Some(location) if response.status().is_redirection() => redirect(job, location),
        _ => Step::Done(classify(code)),
    }
}

/// The request following a redirect to `location`, or why there is none.
fn redirect(job: Job, location: &str) -> Step {
    if job.redirects >= MAX_REDIRECTS {
        return Step::Done(Status::Unreachable(format!(
            "more than {MAX_REDIRECTS} redirects"
        )));
    }
    let mut url = match job.url.join(location) {
        Ok(url) => url,
        Err(error) => {
            return Step::Done(Status::Invalid(format!(
                "redirected to `{location}`: {error}"
            )));
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Step::Done(Status::Invalid(format!(
            "redirected to `{location}`, not an http(s) URL"
        )));
    }
    url.set_fragment(None);
    Step::Next(Job {
        host: host_key(&url),
        url,
        redirects: job.redirects + 1,
        ..job
    })
}

/// Status of a final (non-redirect) HTTP answer.
fn classify(code: u16) -> Status {
    match code {
        200..=299 => Status::Ok,
        429 | 500..=599 => Status::Transient { code },
        _ => Status::Broken { code },
    }
}

/// Status of a request that got no HTTP answer.
fn failure(error: ureq::Error) -> Status {
    match error {
        ureq::Error::Timeout(_) => Status::TimedOut,
        ureq::Error::Io(error)
            if matches!(
                error.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            Status::TimedOut
        }
        ureq::Error::HostNotFound => Status::Unreachable("host not found".to_string()),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => Status::Invalid(error.to_string()),
        error => Status::Unreachable(error.to_string()),
    }
}

#[cfg(test)]
mod tests;
