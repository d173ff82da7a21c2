//! Tests of the external link checker against a small HTTP/1.1 server in this process.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Instant;

use super::cache::unix_now;
use super::http::classify;
use super::*;

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Hit {
    /// Listener it came to (one per loopback address).
    host: SocketAddr,
    method: String,
    path: String,
    at: Instant,
}

#[derive(Debug, Default)]
struct Log {
    hits: Vec<Hit>,
    in_flight: usize,
    max_in_flight: usize,
}

/// Test server: one listener per address, one thread per connection, `Connection: close`.
///
/// `/ok` 200 · `/missing` 404 · `/gone` 410 · `/redirect` 301 to `/ok` · `/loop` 302 to itself ·
/// `/head-refused` 405 to HEAD, 200 to GET · `/slow` 200 after 1 s · `/pause` 200 after 200 ms ·
/// `/busy` 503.
struct Server {
    addrs: Vec<SocketAddr>,
    log: Arc<Mutex<Log>>,
}

impl Server {
    fn start() -> Server {
        Server::on(&[Ipv4Addr::LOCALHOST])
    }

    /// A listener on each address; Linux routes all of 127/8 to loopback, so 127.0.0.2… are
    /// other hosts as far as the per-host limit is concerned.
    fn on(ips: &[Ipv4Addr]) -> Server {
        let log = Arc::new(Mutex::new(Log::default()));
        let addrs = ips
            .iter()
            .map(|ip| {
                let listener = TcpListener::bind((*ip, 0)).unwrap();
                let addr = listener.local_addr().unwrap();
                let log = Arc::clone(&log);
                thread::spawn(move || {
                    for stream in listener.incoming().flatten() {
                        let log = Arc::clone(&log);
                        thread::spawn(move || answer(&stream, addr, &log));
                    }
                });
                addr
            })
            .collect();
        Server { addrs, log }
    }

    fn url(&self, path: &str) -> String {
        self.url_on(0, path)
    }

    fn url_on(&self, listener: usize, path: &str) -> String {
        format!("http://{}{path}", self.addrs[listener])
    }

    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap()
    }

    fn hits(&self, path: &str) -> usize {
        self.log()
            .hits
            .iter()
            .filter(|hit| hit.path == path)
            .count()
    }

    fn methods(&self, path: &str) -> Vec<String> {
        let log = self.log();
        let hits = log.hits.iter().filter(|hit| hit.path == path);
        hits.map(|hit| hit.method.clone()).collect()
    }
}

fn answer(stream: &TcpStream, addr: SocketAddr, log: &Mutex<Log>) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let mut words = request_line.split_whitespace();
    let method = words.next().unwrap_or_default().to_string();
    let path = words.next().unwrap_or_default().to_string();
    {
        let mut log = log.lock().unwrap();
        log.hits.push(Hit {
            host: addr,
            method: method.clone(),
            path: path.clone(),
            at: Instant::now(),
        });
        log.in_flight += 1;
        log.max_in_flight = log.max_in_flight.max(log.in_flight);
    }
    let (status, headers) = match (method.as_str(), path.as_str()) {
        (_, "/ok") => ("200 OK", ""),
        (_, "/gone") => ("410 Gone", ""),
        (_, "/redirect") => ("301 Moved Permanently", "Location: /ok\r\n"),
        (_, "/loop") => ("302 Found", "Location: /loop\r\n"),
        ("HEAD", "/head-refused") => ("405 Method Not Allowed", ""),
        (_, "/head-refused") => ("200 OK", ""),
        (_, "/slow") => {
            thread::sleep(Duration::from_secs(1));
            ("200 OK", "")
        }
        (_, "/pause") => {
            thread::sleep(Duration::from_millis(200));
            ("200 OK", "")
        }
        (_, "/busy") => ("503 Service Unavailable", ""),
        _ => ("404 Not Found", ""),
    };
    // Out of flight before answering, so that the client's next request cannot be counted
    // while this one still is.
    log.lock().unwrap().in_flight -= 1;
    let body = if method == "HEAD" { "" } else { "body" };
    let response = format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: 4\r\nConnection: close\r\n\r\n{body}"
    );
    let mut writer = stream;
    let _ = writer.write_all(response.as_bytes());
}

/// Settings for tests: no per-host wait unless a test sets one, no cache.
fn settings() -> Settings {
    Settings {
        per_host_interval: Duration::ZERO,
        timeout: Duration::from_secs(5),
        ..Settings::default()
    }
}

fn check_all(urls: &[String], settings: &Settings) -> Report {
    check(urls.iter().cloned(), settings)
}

#[test]
fn answers_are_classified() {
    let server = Server::start();
    let urls: Vec<String> = [
        "/ok",
        "/missing",
        "/gone",
        "/redirect",
        "/head-refused",
        "/busy",
    ]
    .iter()
    .map(|path| server.url(path))
    .collect();
    let report = check_all(&urls, &settings());
    let status = |path| &report.statuses[&server.url(path)];
    assert_eq!(status("/ok"), &Status::Ok);
    assert_eq!(status("/missing"), &Status::Broken { code: 404 });
    assert_eq!(status("/gone"), &Status::Broken { code: 410 });
    assert_eq!(status("/redirect"), &Status::Ok);
    assert_eq!(status("/head-refused"), &Status::Ok);
    assert_eq!(status("/busy"), &Status::Transient { code: 503 });
    assert_eq!(server.methods("/head-refused"), ["HEAD", "GET"]);
    assert_eq!(
        server.methods("/ok"),
        ["HEAD", "HEAD"],
        "/ok, and /redirect's target"
    );
    assert_eq!(report.requests, server.log().hits.len());
    assert_eq!(report.requests, 8);
}

#[test]
fn statuses_say_which_are_errors() {
    assert_eq!(classify(204), Status::Ok);
    assert_eq!(classify(400), Status::Broken { code: 400 });
    assert_eq!(classify(429), Status::Transient { code: 429 });
    assert_eq!(classify(500), Status::Transient { code: 500 });
    assert_eq!(classify(304), Status::Broken { code: 304 });
    assert!(Status::Broken { code: 404 }.is_error());
    assert!(Status::Unreachable("refused".into()).is_error());
    assert!(Status::Invalid("bad".into()).is_error());
    for not_error in [
        Status::Ok,
        Status::Transient { code: 503 },
        Status::TimedOut,
        Status::Unsupported,
    ] {
        assert!(!not_error.is_error(), "{not_error:?}");
    }
    assert!(Status::Ok.is_ok() && !Status::TimedOut.is_ok());
    assert_eq!(
        Status::Broken { code: 404 }.to_string(),
        "broken (HTTP 404)"
    );
}

#[test]
fn urls_differing_by_fragment_share_one_request() {
    let server = Server::start();
    let urls = [
        server.url("/ok#intro"),
        server.url("/ok#conclusion"),
        server.url("/ok"),
    ];
    let report = check_all(&urls, &settings());
    assert_eq!(report.statuses.len(), 3);
    assert!(report.statuses.values().all(Status::is_ok));
    assert_eq!(server.hits("/ok"), 1);
    assert_eq!(report.requests, 1);
}

#[test]
fn a_slow_server_times_out() {
    let server = Server::start();
    let settings = Settings {
        timeout: Duration::from_millis(200),
        ..settings()
    };
    // The server answers 200 after 1 s: TimedOut means the client gave up before.
    let report = check_all(&[server.url("/slow")], &settings);
    assert_eq!(report.statuses[&server.url("/slow")], Status::TimedOut);
}

#[test]
fn a_refused_connection_is_unreachable() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/ok");
    let report = check_all(std::slice::from_ref(&url), &settings());
    let status = &report.statuses[&url];
    assert!(matches!(status, Status::Unreachable(_)), "{status:?}");
    assert!(status.is_error());
}

#[test]
fn https_goes_through_rustls() {
    // A server that answers a TLS hello in plain text: the handshake fails, the link is
    // unreachable, and the TLS stack (provider, roots) was set up without trouble.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        }
    });
    let url = format!("https://{addr}/ok");
    let report = check_all(std::slice::from_ref(&url), &settings());
    let status = &report.statuses[&url];
    assert!(matches!(status, Status::Unreachable(_)), "{status:?}");
}

#[test]
fn a_redirect_loop_is_given_up() {
    let server = Server::start();
    let report = check_all(&[server.url("/loop")], &settings());
    assert_eq!(
        report.statuses[&server.url("/loop")],
        Status::Unreachable("more than 10 redirects".into())
    );
    assert_eq!(
        server.hits("/loop"),
        11,
        "the first request and 10 redirects"
    );
}

#[test]
fn links_that_are_not_http_are_not_requested() {
    let given = [
        "mailto:desk@example.com",
        "ftp://example.com/file",
        "/2025/02/relative/",
        "http://",
        "https://exa mple.com/",
    ];
    let urls: Vec<String> = given.iter().map(|url| url.to_string()).collect();
    let report = check_all(&urls, &settings());
    assert_eq!(report.requests, 0);
    assert_eq!(
        report.statuses["mailto:desk@example.com"],
        Status::Unsupported
    );
    assert_eq!(
        report.statuses["ftp://example.com/file"],
        Status::Unsupported
    );
    assert_eq!(report.statuses["/2025/02/relative/"], Status::Unsupported);
    assert!(matches!(report.statuses["http://"], Status::Invalid(_)));
    assert!(matches!(
        report.statuses["https://exa mple.com/"],
        Status::Invalid(_)
    ));
}

#[test]
fn requests_to_one_host_are_spaced() {
    let server = Server::start();
    let interval = Duration::from_millis(150);
    let settings = Settings {
        per_host_interval: interval,
        concurrency: 4,
        ..settings()
    };
    // Three requests: /missing, /redirect, and the redirect's /ok, which waits its turn too.
    let report = check_all(
        &[server.url("/missing"), server.url("/redirect")],
        &settings,
    );
    assert_eq!(report.requests, 3);
    let mut starts: Vec<Instant> = server.log().hits.iter().map(|hit| hit.at).collect();
    starts.sort();
    for pair in starts.windows(2) {
        // Requests are spaced when handed to the client; the server sees them a few
        // milliseconds later or earlier. Without the limit the gap would be about zero.
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(100),
            "{gap:?} between two requests"
        );
    }
}

#[test]
fn another_host_goes_first_while_one_waits() {
    let server = Server::on(&[Ipv4Addr::new(127, 0, 0, 1), Ipv4Addr::new(127, 0, 0, 2)]);
    let settings = Settings {
        per_host_interval: Duration::from_millis(300),
        concurrency: 1,
        ..settings()
    };
    let urls = [
        server.url_on(0, "/ok"),
        server.url_on(0, "/missing"),
        server.url_on(1, "/ok"),
    ];
    check_all(&urls, &settings);
    let mut hits = server.log().hits.clone();
    hits.sort_by_key(|hit| hit.at);
    let hosts: Vec<SocketAddr> = hits.iter().map(|hit| hit.host).collect();
    let (first, second) = (server.addrs[0], server.addrs[1]);
    assert_eq!(hosts, [first, second, first]);
}

#[test]
fn concurrency_is_capped_over_all_hosts() {
    let ips: Vec<Ipv4Addr> = (1..=4).map(|last| Ipv4Addr::new(127, 0, 0, last)).collect();
    let server = Server::on(&ips);
    let settings = Settings {
        concurrency: 2,
        ..settings()
    };
    let urls: Vec<String> = (0..ips.len())
        .map(|listener| server.url_on(listener, "/pause"))
        .collect();
    let report = check_all(&urls, &settings);
    assert!(report.statuses.values().all(Status::is_ok));
    // Each answer takes 200 ms, so two workers overlap; a third never joins them.
    assert_eq!(server.log().max_in_flight, 2);
}

#[test]
fn a_second_run_asks_again_only_for_what_was_not_good() {
    let server = Server::start();
    let folder = tempfile::tempdir().unwrap();
    let cache = folder.path().join("cache/links.json");
    let settings = Settings {
        cache: Some(cache.clone()),
        ..settings()
    };
    let urls = [server.url("/ok"), server.url("/missing")];

    let first = check_all(&urls, &settings);
    assert_eq!((first.requests, first.from_cache), (2, 0));
    assert!(
        first.cache_problems.is_empty(),
        "{:?}",
        first.cache_problems
    );
    let written: serde_json::Value = serde_json::from_slice(&fs::read(&cache).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["entries"][server.url("/ok")]["status"], "ok");

    let second = check_all(&urls, &settings);
    assert_eq!((second.requests, second.from_cache), (1, 1));
    assert_eq!(second.statuses, first.statuses);
    assert_eq!(server.hits("/ok"), 1);
    assert_eq!(server.hits("/missing"), 2);
}

#[test]
fn an_expired_entry_is_checked_again() {
    let server = Server::start();
    let folder = tempfile::tempdir().unwrap();
    let cache = folder.path().join("links.json");
    let now = unix_now();
    let two_days_ago = now - 2 * 24 * 60 * 60;
    // /gone is really 410: a fresh "ok" for it is trusted, which shows no request is made.
    let file = serde_json::json!({
        "version": 1,
        "entries": {
            server.url("/ok"): { "checked": two_days_ago, "status": "ok" },
            server.url("/gone"): { "checked": now, "status": "ok" },
        }
    });
    fs::write(&cache, file.to_string()).unwrap();
    let settings = Settings {
        cache: Some(cache.clone()),
        ..settings()
    };
    let report = check_all(&[server.url("/ok"), server.url("/gone")], &settings);
    assert_eq!((report.requests, report.from_cache), (1, 1));
    assert_eq!(server.hits("/ok"), 1);
    assert_eq!(server.hits("/gone"), 0);
    let written: serde_json::Value = serde_json::from_slice(&fs::read(&cache).unwrap()).unwrap();
    let checked = written["entries"][server.url("/ok")]["checked"]
        .as_u64()
        .unwrap();
    assert!(checked >= now, "the entry is renewed");
}

#[test]
fn a_corrupt_or_foreign_cache_is_reported_ignored_and_kept() {
    let server = Server::start();
    let folder = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("corrupt.json", "{\"version\": 1, \"entr"),
        ("foreign.json", "{}"),
    ] {
        let cache = folder.path().join(name);
        fs::write(&cache, content).unwrap();
        let settings = Settings {
            cache: Some(cache.clone()),
            ..settings()
        };
        let report = check_all(&[server.url("/ok")], &settings);
        assert_eq!(report.statuses[&server.url("/ok")], Status::Ok);
        assert_eq!(report.cache_problems.len(), 1, "{name}");
        let problem = &report.cache_problems[0];
        assert!(
            matches!(
                problem,
                CacheError::Parse { .. } | CacheError::Version { .. }
            ),
            "{problem:?}"
        );
        assert!(problem.to_string().contains(name), "{problem}");
        assert_eq!(fs::read_to_string(&cache).unwrap(), content);
    }
    assert_eq!(server.hits("/ok"), 2);
}

#[test]
fn an_unreadable_cache_is_reported_and_the_check_goes_on() {
    let server = Server::start();
    let folder = tempfile::tempdir().unwrap();
    let settings = Settings {
        cache: Some(folder.path().to_path_buf()),
        ..settings()
    };
    let report = check_all(&[server.url("/ok")], &settings);
    assert_eq!(report.statuses[&server.url("/ok")], Status::Ok);
    assert!(
        matches!(report.cache_problems[..], [CacheError::Read { .. }]),
        "{:?}",
        report.cache_problems
    );
}

#[test]
fn nothing_to_check_sends_nothing() {
    let report = check(Vec::new(), &settings());
    assert!(report.statuses.is_empty());
    assert_eq!(report.requests, 0);
}
