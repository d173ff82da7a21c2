//! The preview server (`kiosque serve`): pages from memory over real HTTP, with their content
//! types, the site's 404 page, folder redirects, no way out of the site, and a clean stop on
//! Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use kiosque::serve::{Served, Server, bind};

use crate::support::*;

/// One HTTP/1.1 response: status, headers (lowercase names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `GET path` as written (no normalisation, as an attacker would) and reads the reply.
fn get(addr: SocketAddr, path: &str) -> Reply {
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kiosque serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
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

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "Ctrl-C stops it cleanly: {exit:?}");
    assert!(!dir.path().join("public").exists(), "serve writes nothing");
}
