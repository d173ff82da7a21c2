//! The preview server (`kiosque serve`): pages from memory over real HTTP, with their content
//! types, the site's 404 page, folder redirects, no way out of the site, and a clean stop on
//! Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use kiosque::output::Outputs;
use kiosque::serve::{Rebuilt, Served, Server, bind};

use crate::support::*;

/// One HTTP/1.1 response: status, headers (lowercase names), body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `GET path` as written (no normalisation, as an attacker would) and reads the reply.
pub(crate) fn get(addr: SocketAddr, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads the reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn news_server() -> Server {
    let built = build_fixture("news");
    let site = Served {
        base_path: "/".to_string(),
        outputs: built.outputs,
    };
    let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).expect("binds");
    Server::start(listener, site).expect("starts")
}

#[test]
fn pages_come_with_their_content_types() {
    let server = news_server();
    let addr = server.addr();
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.text().contains("<html"));
    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/embed.js", "text/javascript; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feed.json", "application/feed+json; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(kind), "{path}");
    }
    let article = get(addr, "/2025/02/sommet/");
    assert_eq!(article.status, 200);
    let folder = get(addr, "/2025/02/sommet");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/2025/02/sommet/"));
}

#[test]
fn missing_pages_get_the_sites_404_page() {
    let server = news_server();
    let reply = get(server.addr(), "/nulle-part/");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        reply.text().contains("Page introuvable"),
        "{}",
        reply.text()
    );
}

#[test]
fn traversal_attempts_never_reach_a_file() {
    let server = news_server();
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/2025/..%2f..%2fsite.toml",
        "/..%5csite.toml",
        "/%2e%2e%2fsite.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/%00",
    ] {
        let reply = get(server.addr(), path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: status {}",
            reply.status
        );
        let body = reply.text();
        assert!(
            !body.contains("base_url") && !body.contains("root:"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn the_cli_serves_drafts_and_stops_cleanly_on_ctrl_c() {
    let dir = temp_site("news");
    // Run in the site's folder, as the quick start does: the root is `.`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kiosque serve starts");
    // Lines of its output, read on a thread so that a missing one fails instead of hanging.
    let (sender, lines) = std::sync::mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        stdout.lines().map_while(Result::ok).for_each(|l| {
            let _ = sender.send(l);
        })
    });
    let next_line = || {
        lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a line within 20 seconds")
    };
    let line = next_line();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let home = get(addr, "/").text();
    assert!(
        home.contains(&format!("href=\"{url}atom.xml\"")),
        "absolute links point at the preview"
    );
    let draft = get(addr, "/2025/01/brouillon/");
    assert_eq!(draft.status, 200, "drafts are served");

    // One line per rebuild: what changed, how many files were rendered, how long it took.
    // (Events name absolute paths, and the root `.` must still be found in them.)
    let article = dir.path().join("content/2025/sommet.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replace("Texte sur la rentrée.", "Texte revu."),
    )
    .unwrap();
    let line = next_line();
    let (changed, rest) = line
        .split_once(" changed: ")
        .unwrap_or_else(|| panic!("{line:?}"));
    assert_eq!(changed, "content/2025/sommet.md");
    let words: Vec<&str> = rest.split_whitespace().collect();
    assert!(
        matches!(
            words.as_slice(),
            [rendered, "rendered,", files, "files", "updated", "in", millis, "ms"]
                if rendered.parse::<usize>().is_ok_and(|n| n > 0)
                    && files.parse::<usize>().is_ok()
                    && millis.parse::<u64>().is_ok()
        ),
        "{line:?}"
    );

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "Ctrl-C stops it cleanly: {exit:?}");
    assert!(!dir.path().join("public").exists(), "serve writes nothing");
}

/// Runs `kiosque serve --port 0` with `args` on a copy of `minimal` until its first line, then
/// stops it with Ctrl-C: the URL it printed, what it said on stderr, and whether the preview
/// answered on 127.0.0.1 at that port.
fn serve_once(args: &[&str]) -> (String, String, bool) {
    let dir = temp_site("minimal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args([
            "serve",
            "--port",
            "0",
            "--root",
            dir.path().to_str().unwrap(),
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kiosque serve starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let line = lines
        .recv_timeout(Duration::from_secs(20))
        .expect("a line within 20 seconds");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let port: u16 = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {url}"));
    let answered = get(SocketAddr::from((Ipv4Addr::LOCALHOST, port)), "/").status == 200;
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().expect("serve stops");
    assert!(output.status.success(), "Ctrl-C stops it cleanly");
    (
        url,
        String::from_utf8_lossy(&output.stderr).into_owned(),
        answered,
    )
}

#[test]
fn the_cli_listens_on_loopback_unless_told_and_warns_when_open_to_all() {
    const WARNING: &str = "warning: listening on all interfaces";
    let (url, stderr, answered) = serve_once(&[]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(answered);
    assert!(!stderr.contains(WARNING), "{stderr}");

    let (url, stderr, answered) = serve_once(&["--bind", "0.0.0.0"]);
    assert!(url.starts_with("http://0.0.0.0:"), "{url}");
    assert!(answered, "all interfaces include the loopback one");
    assert!(
        stderr.contains(WARNING) && stderr.contains("drafts included"),
        "{stderr}"
    );
}

/// A subscriber to the reload channel, reading Server-Sent Events as a browser would.
pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn subscribe(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__kiosque/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // The response head, up to its blank line.
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        Events { reader }
    }

    /// Subscribes and reads the `hello` event: the build being served.
    pub(crate) fn hello(addr: SocketAddr) -> (Events, String) {
        let (events, generation, _) = Events::hello_with_css(addr);
        (events, generation)
    }

    /// Subscribes and reads the `hello` event: the build being served and the latest builds
    /// that changed stylesheets only.
    fn hello_with_css(addr: SocketAddr) -> (Events, String, Vec<u64>) {
        let mut events = Events::subscribe(addr);
        let (name, data) = events.next();
        assert_eq!(name, "hello");
        let hello: serde_json::Value = serde_json::from_str(&data).expect("hello is JSON");
        let css = hello["css"]
            .as_array()
            .expect("a list of builds")
            .iter()
            .filter_map(serde_json::Value::as_u64)
            .collect();
        (events, hello["generation"].to_string(), css)
    }

    /// Reads events until one named `name` arrives after which `ready` holds: an editor's
    /// save may reach the watcher as several batches, each a rebuild and an event.
    pub(crate) fn until(&mut self, name: &str, ready: impl Fn() -> bool) -> String {
        let mut seen = Vec::new();
        for _ in 0..20 {
            let (got, data) = self.next();
            if got == name && ready() {
                return data;
            }
            seen.push(got);
        }
        panic!("no `{name}` event after which the site is as expected; events: {seen:?}");
    }

    /// The next event's name and data (keep-alive comments skipped), within 20 seconds.
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        let mut line = String::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            assert!(
                std::time::Instant::now() < deadline,
                "no event within 20 seconds"
            );
            line.clear();
            assert!(
                self.reader.read_line(&mut line).expect("an event in time") > 0,
                "the channel closed"
            );
            let text = line.trim_end_matches(['\r', '\n']);
            if let Some(value) = text.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = text.strip_prefix("data: ") {
                data.push_str(value);
            } else if text.is_empty() && !name.is_empty() {
                return (name, data);
            }
            // Chunked transfer: chunk sizes and keep-alive comments are skipped.
        }
    }
}

pub(crate) fn start_preview(dir: &std::path::Path) -> kiosque::serve::Preview {
    start_preview_reporting(dir, |_| {})
}

fn start_preview_reporting(
    dir: &std::path::Path,
    report: impl Fn(&Rebuilt) + Send + 'static,
) -> kiosque::serve::Preview {
    let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).expect("binds");
    let addr = listener.local_addr().unwrap();
    let mut options = options(dir);
    options.drafts = true;
    options.base_url = Some(format!("http://{addr}/"));
    let mut project = kiosque::Project::load(&options).expect("loads");
    let mut outputs = Outputs::default();
    outputs.apply(project.render().expect("builds"));
    let server = Server::start(
        listener,
        Served {
            base_path: "/".to_string(),
            outputs,
        },
    )
    .expect("starts");
    kiosque::serve::preview(project, server, report).expect("watches")
}

#[test]
fn saves_rebuild_the_site_and_tell_browsers() {
    let _quiet = timing_sensitive();
    let dir = temp_site("news");
    let preview = start_preview(dir.path());
    let addr = preview.addr();
    let page = get(addr, "/2025/02/sommet/");
    assert!(
        page.text().contains(
            "<script src=\"/__kiosque/live.js\" data-generation=\"0\" defer></script></body>"
        ),
        "the live script is injected into served pages, with the build they come from"
    );
    assert!(
        get(addr, "/__kiosque/live.js")
            .text()
            .contains("EventSource")
    );
    let (mut events, generation) = Events::hello(addr);
    assert_eq!(generation, "0");

    // An edited title: a reload event, then the new page.
    let article = dir.path().join("content/2025/sommet.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    std::fs::write(
        &article,
        text.replace(&title, "title: Titre modifié en direct"),
    )
    .unwrap();
    let sommet = || get(addr, "/2025/02/sommet/").text();
    events.until("reload", || sommet().contains("Titre modifié en direct"));

    // A new article appears in lists; a deleted one disappears.
    std::fs::write(
        dir.path().join("content/2025/nouveau.md"),
        "---\ntitle: Tout nouveau\ndate: 2025-02-20\n---\n\nTexte.\n",
    )
    .unwrap();
    events.until("reload", || {
        get(addr, "/2025/02/nouveau/").status == 200
            && get(addr, "/").text().contains("Tout nouveau")
    });
    std::fs::remove_file(dir.path().join("content/2025/nouveau.md")).unwrap();
    events.until("reload", || {
        get(addr, "/2025/02/nouveau/").status == 404
            && !get(addr, "/").text().contains("Tout nouveau")
    });

    // Broken front matter: the problems, the last good page still served; fixed: cleared.
    let broken = text.replace(&title, "title: [unclosed");
    std::fs::write(&article, &broken).unwrap();
    let data = events.until("problems", || true);
    let problems: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(problems[0]["file"], "content/2025/sommet.md", "{data}");
    assert!(problems[0]["line"].as_u64().is_some(), "{data}");
    assert!(
        sommet().contains("Titre modifié en direct"),
        "the last good build is served"
    );
    let (mut late, _) = Events::hello(addr);
    assert_eq!(
        late.next().0,
        "problems",
        "a browser opened meanwhile sees them too"
    );
    std::fs::write(&article, &text).unwrap();
    events.until("fixed", || !sommet().contains("Titre modifié en direct"));

    // A stylesheet alone: swapped in place, no reload.
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/extra.css"), "body { color: red }\n").unwrap();
    events.until("css", || {
        get(addr, "/extra.css").text() == "body { color: red }\n"
    });
    let (_, generation, css) = Events::hello_with_css(addr);
    assert!(
        css.contains(&generation.parse().unwrap()),
        "a page that missed it learns it changed stylesheets only: {css:?}"
    );

    // An editor's swap and backup files change nothing; the save itself does.
    std::fs::write(dir.path().join("content/2025/.sommet.md.swp"), "x").unwrap();
    std::fs::write(dir.path().join("content/2025/sommet.md~"), "x").unwrap();
    std::fs::write(&article, text.replace(&title, "title: Après le swap")).unwrap();
    events.until("reload", || sommet().contains("Après le swap"));
    let (_, now) = Events::hello(addr);
    assert!(
        now.parse::<u64>().unwrap() >= 6,
        "each build served has its number, for pages that missed one: {now}"
    );
    preview.stop().unwrap();
}

#[test]
fn renames_template_edits_and_bursts_reach_the_browser() {
    let _quiet = timing_sensitive();
    let dir = temp_site("news");
    let rebuilds = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let reported = rebuilds.clone();
    let preview = start_preview_reporting(dir.path(), move |rebuilt| {
        if let Rebuilt::Done { rendered, .. } = rebuilt {
            reported.lock().unwrap().push(*rendered);
        }
    });
    let addr = preview.addr();
    let (mut events, _) = Events::hello(addr);
    let content = dir.path().join("content/2025");

    // The URL comes from the file name: a rename moves the page.
    std::fs::rename(content.join("ecole.md"), content.join("ecole-numerique.md")).unwrap();
    events.until("reload", || {
        get(addr, "/2025/02/ecole-numerique/").status == 200
            && get(addr, "/2025/02/ecole/").status == 404
    });

    // A template created in the site's folder, then edited: every article page shows it.
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let article = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/article.html"),
    )
    .unwrap();
    let marked = |mark: &str| {
        article.replace(
            "{% block content %}",
            &format!("{{% block content %}}<p id=\"mark\">{mark}</p>"),
        )
    };
    assert!(
        marked("x").contains("id=\"mark\""),
        "the theme's article.html has a content block"
    );
    std::fs::write(templates.join("article.html"), marked("premier")).unwrap();
    events.until("reload", || {
        get(addr, "/2025/02/sommet/").text().contains(">premier<")
    });
    std::fs::write(templates.join("article.html"), marked("second")).unwrap();
    events.until("reload", || {
        get(addr, "/2025/02/sommet/").text().contains(">second<")
            && get(addr, "/2025/02/ecole-numerique/")
                .text()
                .contains(">second<")
    });
    let rendered = *rebuilds.lock().unwrap().last().unwrap();
    assert!(rendered >= 3, "the article pages, at least: {rendered}");
    let home = get(addr, "/").text();
    assert!(
        !home.contains("id=\"mark\""),
        "the home page does not use it"
    );

    // A burst, as a `git checkout` makes: hundreds of files, one rebuild.
    let before = rebuilds.lock().unwrap().len();
    let burst = dir.path().join("content/burst");
    std::fs::create_dir_all(&burst).unwrap();
    for n in 0..300 {
        std::fs::write(
            burst.join(format!("a{n}.md")),
            format!("---\ntitle: Dépêche {n}\ndate: 2025-01-05\n---\n\nTexte {n}.\n"),
        )
        .unwrap();
    }
    events.until("reload", || get(addr, "/2025/01/a299/").status == 200);
    assert_eq!(get(addr, "/2025/01/a0/").status, 200);
    // Nothing more comes once the burst is served.
    std::thread::sleep(Duration::from_millis(300));
    let after = rebuilds.lock().unwrap().len();
    assert_eq!(after - before, 1, "the burst is one rebuild");
    preview.stop().unwrap();
}

#[test]
fn built_pages_never_carry_the_live_script() {
    let built = build_fixture("news");
    for path in built.outputs.paths() {
        let text = built.outputs.text(path).unwrap_or_default();
        assert!(!text.contains("__kiosque"), "{path}");
    }
}
