//! `kiosque import wordpress`: the `wordpress/newsroom.xml` fixture (a WXR 1.2 export as
//! WordPress writes it) imported into an empty folder with a copy of its uploads, then built
//! and checked as any site, with no error: every published post and page there, old URLs
//! redirected, comments threaded without e-mail or IP, media copied or downloaded, the
//! report's counts right; a second import changes nothing; bad input writes nothing.

use std::fs;

use crate::support::*;

fn export_path() -> std::path::PathBuf {
    fixture("wordpress").join("newsroom.xml")
}

/// Imports the fixture into a new folder; returns it and the JSON report.
pub(crate) fn imported(extra: &[&str]) -> (tempfile::TempDir, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let uploads = fixture("wordpress").join("uploads");
    let export = export_path();
    let mut args = vec![
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--root",
        dir.path().to_str().unwrap(),
        "--uploads",
        uploads.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend(extra);
    let output = kiosque(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = serde_json::from_slice(&output.stdout).expect("a JSON report");
    (dir, report)
}

#[test]
fn an_export_becomes_a_site_that_builds_and_checks_clean() {
    let (dir, report) = imported(&[]);
    assert_eq!(report["posts"], 7, "{report:#}");
    assert_eq!(
        report["drafts"], 4,
        "draft, pending, private, password: {report:#}"
    );
    assert_eq!(report["scheduled"], 1);
    assert_eq!(report["pages"], 2);
    assert_eq!(report["authors"], 3);
    assert_eq!(report["comments"], 3, "the approved thread only");
    for (reason, count) in [
        ("trash", 1),
        ("auto-draft", 1),
        ("revision", 1),
        ("nav_menu_item", 1),
    ] {
        assert_eq!(report["skipped"][reason], count, "{reason}: {report:#}");
    }
    assert_eq!(report["media_copied"], 4, "{report:#}");
    assert_eq!(
        report["media_missing"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );

    let root = dir.path();
    for file in [
        "site.toml",
        "content/2025/wi-fi-7-box.md",
        "content/2025/ete-2025-bilan-smartphones.md",
        "content/pages/a-propos.md",
        "content/pages/mentions-legales.md",
        "static/uploads/2025/06/box-wifi7.jpg",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    // The export has these as commenters' e-mail and IP addresses: none may be written.
    let private = [
        "helene.d@example.fr",
        "marie.lefevre@lepetitnumerique.fr",
        "paul@example.net",
        "192.0.2.10",
        "192.0.2.11",
        "198.51.100.4",
        "2001:db8::1",
        "203.0.113.17",
    ];
    let written = snapshot(root);
    for (file, bytes) in &written {
        let text = String::from_utf8_lossy(bytes);
        for secret in private {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }
    let archive = fs::read_to_string(root.join("content/2025/wi-fi-7-box.comments.yaml")).unwrap();
    assert_eq!(archive.matches("- id:").count(), 3, "{archive}");

    let mut options = options(root);
    options.now = Some("2025-07-01T00:00:00Z".parse().unwrap());
    let built = build_with(&options);
    let post = page(&built, "2025/06/wi-fi-7-box/index.html");
    // Its media, downloaded or copied from uploads, are processed like any photo.
    assert!(
        !all(&post, ".prose picture source[type='image/webp']").is_empty(),
        "imported photos are served as <picture>"
    );
    assert_eq!(texts(&post, "#comments-title").len(), 1);
    assert!(!all(&post, "li.comment ol.comments__replies li.comment").is_empty());
    for (path, bytes) in built
        .outputs
        .paths()
        .map(|p| (p, built.outputs.read(p).unwrap()))
    {
        let text = String::from_utf8_lossy(&bytes);
        for secret in private {
            assert!(!text.contains(secret), "{secret} in {path}");
        }
    }
    assert!(built.outputs.contains("/a-propos/"));
    // Old URLs: the permalink path redirects, the short link is in the redirect maps.
    let redirects = text(&built, "_redirects");
    assert!(
        redirects.contains("/ p=101 /2025/06/wi-fi-7-box/ 301"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/ page_id=2 /a-propos/ 301"),
        "{redirects}"
    );
    // The feed keeps WordPress's GUID.
    let ids: Vec<String> = feed(&built, "atom.xml")
        .entries
        .iter()
        .map(|e| e.id.clone())
        .collect();
    assert!(ids.iter().any(|id| id.contains("?p=101")), "{ids:?}");

    // A link between two posts became an `@/` link; `kiosque check` proves the rest.
    let classic = fs::read_to_string(root.join("content/2025/wi-fi-7-box.md")).unwrap();
    assert!(
        classic.contains("(@/2025/ete-2025-bilan-smartphones.md)"),
        "{classic}"
    );
    let check = kiosque(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let checked: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert!(check.status.success(), "{checked:#}");
    assert_eq!(checked["errors"], 0, "{checked:#}");
}

#[test]
fn a_second_import_changes_nothing_and_changed_files_need_force() {
    let dir = tempfile::tempdir().unwrap();
    let export = export_path();
    let args = |extra: &[&'static str]| {
        let mut args = vec![
            "import".to_string(),
            "wordpress".to_string(),
            export.display().to_string(),
            "--root".to_string(),
            dir.path().display().to_string(),
            "--format".to_string(),
            "json".to_string(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let run = |extra: &[&'static str]| {
        let args = args(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        kiosque(&args)
    };
    assert!(run(&[]).status.success());
    let before = snapshot(dir.path());
    let again = run(&[]);
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["written"], 0, "{report:#}");
    assert_eq!(snapshot(dir.path()), before);

    let post = dir.path().join("content/2025/wi-fi-7-box.md");
    fs::write(&post, "edited by hand").unwrap();
    let before = snapshot(dir.path());
    let refused = run(&[]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(snapshot(dir.path()), before, "nothing written");
    assert!(run(&["--force"]).status.success());
    assert_ne!(fs::read_to_string(&post).unwrap(), "edited by hand");
}

#[test]
fn bad_exports_write_nothing_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "broken.xml",
            "<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">\
             <channel><wp:wxr_version>1.2</wp:wxr_version>\n<item><title>x</item>",
            "line 3",
        ),
        (
            "feed.xml",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A feed</title></channel></rss>",
            "WordPress",
        ),
        (
            "bomb.xml",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><rss>&b;</rss>",
            "DOCTYPE",
        ),
    ];
    for (name, text, says) in cases {
        let file = dir.path().join(name);
        fs::write(&file, text).unwrap();
        let site = dir.path().join(format!("site-{name}"));
        fs::create_dir_all(&site).unwrap();
        let output = kiosque(&[
            "import",
            "wordpress",
            file.to_str().unwrap(),
            "--root",
            site.to_str().unwrap(),
        ]);
        assert!(!output.status.success(), "{name}");
        assert!(
            stderr(&output).contains(says),
            "{name}: {}",
            stderr(&output)
        );
        assert_eq!(
            fs::read_dir(&site).unwrap().count(),
            0,
            "{name}: nothing written"
        );
    }
}

/// Exports written by WordPress itself (its theme unit test data, `WordPress/theme-test-data`):
/// each imports and builds without an error. They are not in the repository; point
/// `KIOSQUE_WXR_SAMPLES` at a folder of them and test with `--features wxr-samples`.
#[test]
#[cfg(feature = "wxr-samples")]
fn real_wordpress_exports_import_and_build() {
    let folder = std::env::var_os("KIOSQUE_WXR_SAMPLES")
        .expect("KIOSQUE_WXR_SAMPLES names a folder of WordPress exports");
    let mut exports: Vec<_> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    exports.sort();
    assert!(!exports.is_empty(), "no .xml export in KIOSQUE_WXR_SAMPLES");
    for export in exports {
        let dir = tempfile::tempdir().unwrap();
        let output = kiosque(&[
            "import",
            "wordpress",
            export.to_str().unwrap(),
            "--root",
            dir.path().to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{}: {}",
            export.display(),
            stderr(&output)
        );
        let built = build_with(&options(dir.path()));
        assert!(
            built.site.articles.len() > 1,
            "{}: {} articles",
            export.display(),
            built.site.articles.len()
        );
    }
}

/// A local stand-in for the old site: serves `fixtures/wordpress/uploads/` under
/// `/wp-content/uploads/` but for one photo, 404 elsewhere; returns its address.
fn old_site() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let uploads = fixture("wordpress").join("uploads");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or_default();
            // The old site lost one photo.
            let file = path
                .strip_prefix("/wp-content/uploads/")
                .filter(|rest| !rest.contains("..") && !rest.ends_with("smartphones-ete.jpg"))
                .and_then(|rest| fs::read(uploads.join(rest)).ok());
            let mut stream = &stream;
            let _ = match file {
                Some(bytes) => write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    bytes.len()
                )
                .and_then(|()| stream.write_all(&bytes)),
                None => write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
            };
        }
    });
    address
}

#[test]
fn media_are_downloaded_from_the_old_site_when_asked() {
    let server = old_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.xml");
    let text = fs::read_to_string(export_path()).unwrap();
    fs::write(
        &export,
        text.replace("https://www.lepetitnumerique.fr", &server),
    )
    .unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let output = kiosque(&[
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--root",
        site.to_str().unwrap(),
        "--download-media",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["media_downloaded"], 3, "{report:#}");
    let warnings = report["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| {
            let w = w.as_str().unwrap();
            w.contains("smartphones-ete.jpg") && w.contains("404")
        }),
        "a clear error per failure: {warnings:?}"
    );
    assert_eq!(
        fs::read(site.join("static/uploads/2025/06/box-wifi7.jpg")).unwrap(),
        fs::read(fixture("wordpress").join("uploads/2025/06/box-wifi7.jpg")).unwrap()
    );
}
