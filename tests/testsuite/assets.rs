//! Cache-friendly output: stylesheets and scripts linked by content-hashed names, `_headers`
//! giving those a year, and `precompress = true`'s `.br` and `.gz` beside each text file.
//! None of it changes what a page shows, and the build cache keeps it byte-identical.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use kiosque::{BuildOptions, Built};
use scraper::Html;

use crate::support::{
    attrs, copy_dir, describe, differing, example_root, fixture, heavy, options, snapshot,
};

/// A new site from `kiosque init` (its first article has code, so `syntax.css` too).
pub(crate) fn new_site(extra_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let answers = kiosque::init::Answers {
        title: "The Daily Test".into(),
        language: "en".into(),
        base_url: "https://daily.example/".into(),
        timezone: "UTC".into(),
        host: None,
    };
    let files = kiosque::init::plan(&answers, crate::support::now()).expect("plan");
    kiosque::init::write(dir.path(), &files, false).expect("write");
    let toml = dir.path().join("site.toml");
    let text = fs::read_to_string(&toml).expect("site.toml");
    fs::write(&toml, format!("{extra_toml}\n{text}")).expect("site.toml");
    dir
}

fn hashed(root: &Path) -> BuildOptions {
    BuildOptions {
        hashed_assets: true,
        ..options(root)
    }
}

fn build_in_memory(options: &BuildOptions) -> Built {
    kiosque::build_in_memory(options).unwrap_or_else(|e| panic!("{}", describe(&e)))
}

fn build(options: &BuildOptions) -> Built {
    kiosque::build::build(options).unwrap_or_else(|e| panic!("{}", describe(&e)))
}

/// `name.<8 hex>.ext` → (`name.ext`, hash).
fn unhashed(path: &str) -> Option<(String, String)> {
    let (stem, ext) = path.rsplit_once('.')?;
    let (name, hash) = stem.rsplit_once('.')?;
    let hex = hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit());
    hex.then(|| (format!("{name}.{ext}"), hash.to_string()))
}

/// The hashed files of a build, by the name they stand for.
fn hashed_files(built: &Built) -> BTreeMap<String, String> {
    built
        .outputs
        .paths()
        .filter_map(|path| unhashed(path).map(|(plain, _)| (plain, path.to_string())))
        .collect()
}

/// The local stylesheets and scripts a page links, as output paths.
fn linked(html: &Html, base: &str) -> Vec<String> {
    let mut links = attrs(html, "link[rel=stylesheet]", "href");
    links.extend(attrs(html, "script[src]", "src"));
    links
        .into_iter()
        .filter_map(|url| url.strip_prefix(base).map(str::to_string))
        .collect()
}

#[test]
fn every_page_links_hashed_files_that_exist_and_hold_the_plain_files_bytes() {
    let built = build_in_memory(&hashed(&example_root()));
    let mut links = 0;
    for path in built.outputs.paths().filter(|p| p.ends_with(".html")) {
        let html = Html::parse_document(built.outputs.text(path).expect("page"));
        for file in linked(&html, "/") {
            links += 1;
            let (plain, _) = unhashed(&file)
                .unwrap_or_else(|| panic!("{path} links {file}, which is not a hashed name"));
            let bytes = built.outputs.read(&file);
            assert!(bytes.is_some(), "{path} links {file}, which is not written");
            assert_eq!(bytes, built.outputs.read(&plain), "{file} is not {plain}");
        }
    }
    assert!(links > 50, "{links} links checked");
    // The plain names stay, for links written by hand.
    for plain in hashed_files(&built).keys() {
        assert!(built.outputs.has_file(plain), "{plain}");
    }
}

#[test]
fn a_page_shows_the_same_with_hashed_names() {
    let root = fixture("code");
    let plain = build_in_memory(&options(&root));
    let with_hashes = build_in_memory(&hashed(&root));
    let names = hashed_files(&with_hashes);
    assert!(
        names.contains_key("style.css") && names.contains_key("syntax.css"),
        "{names:?}"
    );
    for path in plain.outputs.paths().filter(|p| p.ends_with(".html")) {
        let mut expected = plain.outputs.text(path).expect("page").to_string();
        for (plain, hashed) in &names {
            expected = expected.replace(&format!("\"/{plain}\""), &format!("\"/{hashed}\""));
        }
        assert_eq!(
            with_hashes.outputs.text(path),
            Some(expected.as_str()),
            "{path}"
        );
    }
    // The preview and the library's default keep the plain names.
    assert!(hashed_files(&plain).is_empty());
    assert!(!plain.outputs.has_file("_headers"));
}

#[test]
fn hashed_names_change_when_and_only_when_the_file_changes() {
    // Several builds of the example site: not beside the tests that time the preview.
    let _alone = heavy();
    let site = new_site("");
    let root = site.path();
    fs::write(root.join("static/print.css"), "body { color: black }\n").expect("css");
    let first = hashed_files(&build_in_memory(&hashed(root)));
    assert!(first.contains_key("print.css"), "{first:?}");
    assert_eq!(
        first,
        hashed_files(&build_in_memory(&hashed(root))),
        "stable"
    );

    fs::write(root.join("static/print.css"), "body { color: #111 }\n").expect("css");
    let second = hashed_files(&build_in_memory(&hashed(root)));
    assert_ne!(first["print.css"], second["print.css"]);
    for (plain, name) in &first {
        if plain != "print.css" {
            assert_eq!(&second[plain], name, "{plain} did not change");
        }
    }
    // Back to the first bytes, back to the first name.
    fs::write(root.join("static/print.css"), "body { color: black }\n").expect("css");
    assert_eq!(first, hashed_files(&build_in_memory(&hashed(root))));
    // The hash is the start of SHA-256 of the bytes, whatever binary built it.
    let (_, hash) = unhashed(&first["print.css"]).expect("hashed");
    assert_eq!(
        hash, "99afaa19",
        "sha256sum of `body {{ color: black }}\\n`"
    );
}

#[test]
fn templates_reach_the_hashed_name_of_any_stylesheet_or_script() {
    let site = new_site("");
    let root = site.path();
    fs::create_dir_all(root.join("static/js")).expect("folder");
    fs::write(root.join("static/js/app.js"), "console.log(1);\n").expect("js");
    fs::create_dir_all(root.join("templates")).expect("folder");
    let base = fs::read_to_string(example_root().join("themes/default/templates/base.html"))
        .expect("base.html");
    let base = base.replace(
        "</head>",
        "<script src=\"{{ site.assets[\"js/app.js\"] }}\"></script></head>",
    );
    fs::write(root.join("templates/base.html"), base).expect("template");
    let built = build_in_memory(&hashed(root));
    let html = Html::parse_document(built.outputs.text("index.html").expect("home"));
    let scripts = attrs(&html, "script[src]", "src");
    let app = hashed_files(&built)["js/app.js"].clone();
    assert!(scripts.contains(&format!("/{app}")), "{scripts:?}");
    assert!(app.starts_with("js/app."), "{app}");
}

#[test]
fn headers_give_a_year_to_hashed_files_only_and_the_sites_own_wins() {
    let site = new_site("");
    let root = site.path();
    let built = build_in_memory(&hashed(root));
    let headers = built.outputs.text("_headers").expect("_headers");
    let names = hashed_files(&built);
    // Rules: a path line, then indented headers.
    let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in headers
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        if line.starts_with('/') {
            current = Some(line.to_string());
        } else {
            let path = current.clone().expect("a header under a path");
            rules.entry(path).or_default().push(line.trim().to_string());
        }
    }
    let expected: BTreeMap<String, Vec<String>> = names
        .values()
        .map(|hashed| {
            let value = "Cache-Control: public, max-age=31536000, immutable".to_string();
            (format!("/{hashed}"), vec![value])
        })
        .collect();
    assert_eq!(rules, expected, "{headers}");

    fs::write(
        root.join("static/_headers"),
        "/*\n  X-Frame-Options: DENY\n",
    )
    .expect("headers");
    let built = build_in_memory(&hashed(root));
    assert_eq!(
        built.outputs.read("_headers").as_deref(),
        Some(&b"/*\n  X-Frame-Options: DENY\n"[..])
    );
}

/// Every file of an output folder, by path under it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(dir)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .expect("brotli");
    out
}

/// Checks that every text file of the folder has a `.br` and a `.gz` holding its bytes,
/// and that no other file has.
fn assert_precompressed(dir: &Path) {
    let files = files(dir);
    let mut texts = 0;
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        if name.ends_with(".br") || name.ends_with(".gz") {
            let original = PathBuf::from(&name[..name.len() - 3]);
            assert!(files.contains_key(&original), "{name} of nothing");
            continue;
        }
        let br = files.get(&PathBuf::from(format!("{name}.br")));
        let gz = files.get(&PathBuf::from(format!("{name}.gz")));
        if kiosque::output::is_compressible(&name) {
            texts += 1;
            assert_eq!(&unbrotli(br.expect("a .br")), bytes, "{name}.br");
            assert_eq!(&gunzip(gz.expect("a .gz")), bytes, "{name}.gz");
        } else {
            assert!(br.is_none() && gz.is_none(), "{name} compressed");
        }
    }
    assert!(texts > 50, "{texts} text files");
}

#[test]
fn precompressed_files_decompress_to_the_original_bytes_and_the_cache_keeps_them_identical() {
    // Several builds of the example site: not beside the tests that time the preview.
    let _alone = heavy();
    let site = new_site("precompress = true");
    let root = site.path();
    let cached = BuildOptions {
        output: Some(root.join("public")),
        cache: true,
        ..hashed(root)
    };
    build(&cached);
    assert_precompressed(&root.join("public"));
    // An image is not compressed again.
    assert!(root.join("public/images/welcome.svg.br").is_file());
    assert!(!root.join("public/.kiosque-output.gz").exists());
    assert!(!root.join("public/_headers.br").exists());

    // A stylesheet edited: a new name in every page, and the same bytes as a clean build.
    let before = files(&root.join("public"));
    fs::create_dir_all(root.join("static")).expect("static");
    let theme_css = fs::read_to_string(example_root().join("themes/default/static/style.css"))
        .expect("theme css");
    fs::write(
        root.join("static/style.css"),
        format!("{theme_css}\n.x {{}}\n"),
    )
    .expect("css");
    build(&cached);
    let clean = BuildOptions {
        output: Some(root.join("clean")),
        cache: false,
        ..cached.clone()
    };
    build(&clean);
    let (public, clean) = (files(&root.join("public")), files(&root.join("clean")));
    let differing = differing(&public, &clean);
    assert!(
        differing.is_empty(),
        "cached and clean builds differ in {differing:?}"
    );
    assert_precompressed(&root.join("public"));
    let home = String::from_utf8(public[&PathBuf::from("index.html")].clone()).expect("utf-8");
    let old_home = String::from_utf8(before[&PathBuf::from("index.html")].clone()).expect("utf-8");
    assert_ne!(home, old_home, "the home page links the new stylesheet");
    let html = Html::parse_document(&home);
    for file in linked(&html, "/") {
        assert!(public.contains_key(&PathBuf::from(&file)), "{file} missing");
    }
}

#[test]
fn a_copy_of_the_theme_on_disk_is_hashed_like_the_built_in_one() {
    let site = new_site("");
    let root = site.path();
    let builtin = hashed_files(&build_in_memory(&hashed(root)));
    copy_dir(
        &example_root().join("themes/default"),
        &root.join("themes/default"),
    );
    let on_disk = hashed_files(&build_in_memory(&hashed(root)));
    assert_eq!(builtin, on_disk);
}
