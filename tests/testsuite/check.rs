//! `kiosque check`: the fixture `check` holds one of each problem a reader would meet; each
//! must be reported once, where it is written, and nothing else; nothing is written.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::support::*;

/// Every problem in the `check` fixture: file, line, column, severity, and words of the message.
const EXPECTED: [(&str, usize, usize, &str, &str); 13] = [
    (
        "content/2025/doublon.md",
        2,
        1,
        "warning",
        "duplicate title: `Sommet de l'IA à Paris` is also the title of content/2025/sommet-ia.md",
    ),
    (
        "content/2025/liens.md",
        8,
        17,
        "error",
        "broken link `/2025/01/nexiste-pas/`: no page or file at /2025/01/nexiste-pas/",
    ),
    (
        "content/2025/liens.md",
        8,
        62,
        "error",
        "/2025/02/sommet-ia/ has no heading or element with id `budget`",
    ),
    (
        "content/2025/liens.md",
        10,
        1,
        "warning",
        "image `/images/graphique.svg` has no alternative text",
    ),
    (
        "content/2025/liens.md",
        12,
        14,
        "error",
        "broken link `/images/absente.png`: no such file in the site (expected static/images/absente.png)",
    ),
    (
        "content/2025/liens.md",
        14,
        11,
        "warning",
        "image `/images/photo.svg` has no alt attribute",
    ),
    (
        "content/2025/long.md",
        2,
        1,
        "warning",
        "the headline is 113 characters long",
    ),
    (
        "content/2025/long.md",
        4,
        1,
        "warning",
        "the description is 161 characters long",
    ),
    (
        "content/2025/long.md",
        5,
        1,
        "warning",
        "the image `/images/introuvable.jpg` has no alternative text",
    ),
    (
        "content/2025/long.md",
        5,
        8,
        "error",
        "broken link `/images/introuvable.jpg`",
    ),
    (
        "content/2099/futur.md",
        3,
        1,
        "warning",
        "scheduled: dated 2099-01-01 00:00 +01:00",
    ),
    (
        "content/authors/redaction.md",
        4,
        9,
        "error",
        "broken link `/images/portrait-absent.jpg`: no such file in the site",
    ),
    (
        "templates/partials/feeds.html",
        5,
        12,
        "error",
        "broken link `/a-propos/`: no page or file at /a-propos/ (on 13 pages, first /2025/02/doublon/)",
    ),
];

fn check_json(root: &std::path::Path, extra: &[&str]) -> (serde_json::Value, std::process::Output) {
    let root = root.to_str().expect("UTF-8 path");
    let mut args = vec!["check", "--root", root, "--format", "json"];
    args.extend(extra);
    let output = kiosque(&args);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "--format json prints JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (report, output)
}

fn diagnostics_of(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .collect()
}

#[test]
fn every_problem_is_reported_once_where_it_is_written_and_nothing_else() {
    let dir = temp_site("check");
    let (report, output) = check_json(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "errors fail the check");
    let found = diagnostics_of(&report);
    for (file, line, column, severity, words) in EXPECTED {
        assert!(
            found.iter().any(|d| d["file"] == file
                && d["line"] == line
                && d["column"] == column
                && d["severity"] == severity
                && d["message"].as_str().is_some_and(|m| m.contains(words))),
            "expected {file}:{line}:{column}: {severity}: …{words}… in {report:#}"
        );
    }
    // Good links (internal by source path, by URL with an anchor, to a tag, a feed, an
    // address, another site) and good images are not reported: nothing else is.
    assert_eq!(found.len(), EXPECTED.len(), "{report:#}");
    assert_eq!(report["errors"], 6);
    assert_eq!(report["warnings"], 7);
    assert!(!dir.path().join("public").exists(), "check writes nothing");
}

#[test]
fn text_report_is_compiler_like_with_the_offending_line() {
    let dir = temp_site("check");
    let output = kiosque(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("content/2025/liens.md:8:17: error: broken link `/2025/01/nexiste-pas/`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("8 | Un [lien cassé](/2025/01/nexiste-pas/)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates/partials/feeds.html:5:12: error:"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("6 errors, 7 warnings"), "{stdout}");
}

#[test]
fn problems_that_fail_the_build_fail_the_check() {
    let dir = temp_site("check");
    edit(&dir.path().join("content/2025/liens.md"), |text| {
        text.replace(
            "![Une carte](/images/absente.png)",
            "https://www.youtube.com/watch?v=oops",
        )
    });
    edit(&dir.path().join("content/2025/doublon.md"), |text| {
        format!("{text}Voir [l'autre](@/2025/absent.md).\n")
    });
    std::fs::write(
        dir.path().join("content/2025/copie.md"),
        "---\ntitle: Copie\ndate: 2025-02-20\nslug: sommet-ia\n---\n\nMême adresse.\n",
    )
    .unwrap();
    let (report, output) = check_json(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let found = diagnostics_of(&report);
    let at = |file: &str, line: usize, words: &str| {
        found.iter().any(|d| {
            d["file"] == file
                && d["line"] == line
                && d["severity"] == "error"
                && d["message"].as_str().is_some_and(|m| m.contains(words))
        })
    };
    assert!(
        at("content/2025/liens.md", 12, "invalid embed"),
        "{report:#}"
    );
    assert!(
        at(
            "content/2025/doublon.md",
            7,
            "broken link `@/2025/absent.md`: there is no article content/2025/absent.md"
        ),
        "{report:#}"
    );
    assert!(
        at(
            "content/2025/sommet-ia.md",
            1,
            "URL `https://check.example/2025/02/sommet-ia/` is also produced by content/2025/copie.md"
        ),
        "{report:#}"
    );
    // The front matter advice is still given.
    assert!(
        found
            .iter()
            .any(|d| d["file"] == "content/2025/long.md" && d["line"] == 2),
        "{report:#}"
    );
}

#[test]
fn the_example_site_has_no_error() {
    let output = kiosque(&[
        "check",
        "--root",
        example_root().to_str().expect("UTF-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("error"), "{}", stderr(&output));
}

/// A local web server answering 200 on `/ok` and 404 elsewhere, counting requests.
fn web_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request_line.split(' ').nth(1).unwrap_or("").to_string();
            let status = if path == "/ok" {
                "200 OK"
            } else {
                "404 Not Found"
            };
            seen.lock().unwrap().push(path);
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (address, requests)
}

#[test]
fn external_links_are_requested_only_when_asked_and_remembered() {
    let (server, requests) = web_server();
    let dir = temp_site("check");
    edit(&dir.path().join("content/2025/sommet-ia.md"), |text| {
        format!("{text}\nVoir [la source]({server}/ok) et [l'archive]({server}/disparu#p2).\n")
    });
    edit(&dir.path().join("content/2025/liens.md"), |text| {
        text.replace("https://www.example.org/", &format!("{server}/ok"))
    });

    let (offline, _) = check_json(dir.path(), &[]);
    assert!(requests.lock().unwrap().is_empty(), "offline by default");
    assert_eq!(offline["external_links"], 2, "{offline:#}");

    let (report, output) = check_json(dir.path(), &["--external", "--host-interval", "0"]);
    assert_eq!(output.status.code(), Some(1));
    let broken: Vec<_> = diagnostics_of(&report)
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().contains(server.as_str()))
        .collect();
    assert_eq!(broken.len(), 1, "{report:#}");
    assert_eq!(broken[0]["file"], "content/2025/sommet-ia.md");
    assert_eq!(broken[0]["line"], 19);
    assert_eq!(broken[0]["severity"], "error");
    assert!(
        broken[0]["message"]
            .as_str()
            .unwrap()
            .contains("broken (HTTP 404)"),
        "{report:#}"
    );
    let asked: BTreeSet<String> = requests.lock().unwrap().iter().cloned().collect();
    assert_eq!(asked, BTreeSet::from(["/ok".into(), "/disparu".into()]));
    assert!(dir.path().join(".kiosque-cache/links.json").is_file());

    // The good answer is remembered; the bad one is asked again.
    requests.lock().unwrap().clear();
    let (again, _) = check_json(dir.path(), &["--external", "--host-interval", "0"]);
    assert_eq!(*requests.lock().unwrap(), ["/disparu"]);
    assert_eq!(again["from_cache"], 1, "{again:#}");
}
