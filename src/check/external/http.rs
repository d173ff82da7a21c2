//! The requests of `kiosque check --external` (feature `external-links`): good results still
//! fresh in the link cache are taken from it; for the others a fixed pool of threads sends
//! `HEAD` (or `GET` where `HEAD` is refused) through ureq, follows redirects one request at a
//! time under the per-host rate limit, and classifies the answers. Which URLs to ask, and what
//! the answers mean for the report, is left to the parent module.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use url::Url;

use super::cache::{Cache, unix_now};
use super::{Report, Settings, Status};

/// Redirects followed for one URL before giving up on it.
const MAX_REDIRECTS: u8 = 10;

/// Statuses a server may give to `HEAD` while `GET` works; these are asked again with `GET`.
const GET_FALLBACK: [u16; 4] = [400, 403, 405, 501];

/// Longest timeout or interval honoured; longer ones are shortened to it (a day is already
/// "never" for a link check, and a bound keeps clock arithmetic from overflowing).
const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);
/// The status of each URL to check (by its text): good results still fresh in the cache, the
/// others asked over HTTP; the cache is then saved with this run's results.
pub(super) fn request(
    targets: Vec<Url>,
    settings: &Settings,
    report: &mut Report,
) -> HashMap<String, Status> {
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
    results
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
pub(super) fn classify(code: u16) -> Status {
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
