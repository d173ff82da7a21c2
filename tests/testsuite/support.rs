//! Shared helpers: fixture locations, builds with a fixed clock, HTML and feed readers, the CLI.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use kiosque::{BuildOptions, Built, Error};
use scraper::{ElementRef, Html, Selector};

/// The fixed build time of every library build: 2026-01-01T00:00:00Z.
pub(crate) fn now() -> jiff::Timestamp {
    "2026-01-01T00:00:00Z".parse().expect("valid timestamp")
}

/// The repository root, which is itself the example site.
pub(crate) fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    example_root().join("tests").join("fixtures").join(name)
}

/// Build options for a site root with the fixed clock and nothing else set.
pub(crate) fn options(root: impl Into<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: root.into(),
        now: Some(now()),
        ..BuildOptions::default()
    }
}

/// Builds in memory, panicking with every diagnostic if the build fails.
pub(crate) fn build_with(options: &BuildOptions) -> Built {
    match kiosque::build_in_memory(options) {
        Ok(built) => built,
        Err(error) => panic!(
            "build of {} failed: {}",
            options.root.display(),
            describe(&error)
        ),
    }
}

/// Builds a fixture in memory with the fixed clock.
pub(crate) fn build_fixture(name: &str) -> Built {
    build_with(&options(fixture(name)))
}

/// The example site (repository root), built once in memory for every test that reads it.
pub(crate) fn example() -> &'static Built {
    static EXAMPLE: OnceLock<Built> = OnceLock::new();
    EXAMPLE.get_or_init(|| build_with(&options(example_root())))
}

/// An error with every diagnostic, one per line.
pub(crate) fn describe(error: &Error) -> String {
    match error {
        Error::Input(diagnostics) => {
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            format!("{error}:\n{}", lines.join("\n"))
        }
        other => other.to_string(),
    }
}

/// The diagnostics of a failed build, displayed; panics if the build succeeded.
pub(crate) fn diagnostics(options: &BuildOptions) -> Vec<String> {
    match kiosque::build_in_memory(options) {
        Ok(built) => panic!(
            "expected the build of {} to fail, it produced {} files",
            options.root.display(),
            built.outputs.len()
        ),
        Err(Error::Input(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected input diagnostics, got {other}"),
    }
}

/// Rewrites a file of a site with `change`.
pub(crate) fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, change(text)).unwrap();
}

/// Copies a folder recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        // A build of the fixture in place leaves its image cache: a copy starts without it.
        if entry.file_name() == ".kiosque-cache" {
            continue;
        }
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// A temporary folder holding a copy of a fixture (the site root is the folder itself).
pub(crate) fn temp_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Every file under a folder, by relative path, with its bytes.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("readable folder") {
            let entry = entry.expect("directory entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                walk(root, &path, files);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                files.insert(relative, fs::read(&path).expect("readable file"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Runs the `kiosque` binary.
pub(crate) fn kiosque(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(args)
        .output()
        .expect("the kiosque binary runs")
}

/// Standard error of a process, as text.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A CSS selector (panics on a typo in the test).
pub(crate) fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// An output file as text (a static file read from where it is copied from), panicking with
/// the list of outputs if it is missing.
pub(crate) fn text<'a>(built: &'a Built, path: &str) -> std::borrow::Cow<'a, str> {
    let bytes = built.outputs.read(path).unwrap_or_else(|| {
        let paths: Vec<&str> = built.outputs.paths().collect();
        panic!("no output `{path}`; outputs are:\n{}", paths.join("\n"))
    });
    match bytes {
        std::borrow::Cow::Borrowed(bytes) => {
            std::borrow::Cow::Borrowed(std::str::from_utf8(bytes).expect("UTF-8"))
        }
        std::borrow::Cow::Owned(bytes) => {
            std::borrow::Cow::Owned(String::from_utf8(bytes).expect("UTF-8"))
        }
    }
}

/// An output HTML file, parsed.
pub(crate) fn page(built: &Built, path: &str) -> Html {
    Html::parse_document(&text(built, path))
}

/// Output paths of HTML files.
pub(crate) fn html_paths(built: &Built) -> Vec<String> {
    built
        .outputs
        .paths()
        .filter(|p| p.ends_with(".html"))
        .map(str::to_string)
        .collect()
}

/// Whether an HTML output is an alias redirect page.
pub(crate) fn is_redirect(html: &Html) -> bool {
    html.select(&sel("meta[http-equiv=refresh]"))
        .next()
        .is_some()
}

/// Elements matching a selector.
pub(crate) fn all<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = sel(css);
    html.select(&selector).collect()
}

/// Elements matching a selector, at least one (panics if none): for loops whose body asserts,
/// which an empty selection would pass without checking anything.
pub(crate) fn select_some<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let found = all(html, css);
    assert!(!found.is_empty(), "no element matches `{css}`");
    found
}

/// The one element matching a selector (panics if none).
pub(crate) fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    all(html, css)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no element matches `{css}` in:\n{}", html.html()))
}

/// Text content of an element, whitespace collapsed.
pub(crate) fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of every element matching a selector.
pub(crate) fn texts(html: &Html, css: &str) -> Vec<String> {
    all(html, css).into_iter().map(text_of).collect()
}

/// An attribute of every element matching a selector.
pub(crate) fn attrs(html: &Html, css: &str, name: &str) -> Vec<String> {
    all(html, css)
        .into_iter()
        .filter_map(|e| e.attr(name).map(str::to_string))
        .collect()
}

/// An attribute of the first element matching a selector.
pub(crate) fn attr(html: &Html, css: &str, name: &str) -> String {
    one(html, css)
        .attr(name)
        .unwrap_or_else(|| panic!("`{css}` has no `{name}` attribute"))
        .to_string()
}

/// Output path of a root-relative URL of a site at base path `/`: `/a/b/` → `a/b/index.html`.
pub(crate) fn output_path(url: &str) -> String {
    let relative = url.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

/// Article links of the cards on a list page (home, term), in order.
pub(crate) fn card_links(built: &Built, path: &str) -> Vec<String> {
    attrs(&page(built, path), ".card .card__title a", "href")
}

/// Article links of the cards on every page of a paginated list, following `rel=next`.
pub(crate) fn card_links_across_pages(built: &Built, first: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut path = first.to_string();
    let mut seen = Vec::new();
    loop {
        assert!(!seen.contains(&path), "pagination loops back to {path}");
        seen.push(path.clone());
        let html = page(built, &path);
        links.extend(attrs(&html, ".card .card__title a", "href"));
        match all(&html, ".paginator a[rel=next]").first() {
            Some(next) => path = output_path(next.attr("href").expect("href")),
            None => return links,
        }
    }
}

/// An output feed, parsed by feed-rs as a feed reader would.
pub(crate) fn feed(built: &Built, path: &str) -> feed_rs::model::Feed {
    let bytes = built
        .outputs
        .get(path)
        .unwrap_or_else(|| panic!("no feed `{path}`"));
    feed_rs::parser::parse(bytes).unwrap_or_else(|e| panic!("feed `{path}` does not parse: {e}"))
}

/// Titles of a parsed feed's entries.
pub(crate) fn entry_titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// First link of each of a parsed feed's entries.
pub(crate) fn entry_links(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.links.first().map(|l| l.href.clone()).unwrap_or_default())
        .collect()
}

/// `<loc>` values of a sitemap.
pub(crate) fn sitemap_locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|rest| {
            rest.split("</loc>")
                .next()
                .expect("closing loc")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The `.card__summary` of the card linking to `href` on a list page.
pub(crate) fn card_summary<'a>(html: &'a Html, href: &str) -> ElementRef<'a> {
    let link = sel(".card__title a");
    let summary = sel(".card__summary");
    all(html, ".card")
        .into_iter()
        .find(|card| card.select(&link).any(|a| a.attr("href") == Some(href)))
        .and_then(|card| card.select(&summary).next())
        .unwrap_or_else(|| panic!("no card with a summary links to {href}"))
}

/// Panics unless `xml` is well-formed XML 1.0, read strictly (feed-rs forgives a lot): legal
/// characters only, matching tags, one root element, no text outside it, known entities,
/// attributes quoted, unique and without `<`, no `]]>` in text.
pub(crate) fn assert_well_formed_xml(path: &str, xml: &str) {
    use quick_xml::events::{BytesStart, Event};
    let legal = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    if let Some((at, c)) = xml.char_indices().find(|&(_, c)| !legal(c)) {
        panic!("{path}: character {c:?} at byte {at} is not allowed in XML");
    }
    let attributes = |element: &BytesStart<'_>, decoder, at: u64| {
        for attribute in element.attributes() {
            let attribute =
                attribute.unwrap_or_else(|e| panic!("{path}: bad attribute at byte {at}: {e}"));
            assert!(
                !attribute.value.contains(&b'<'),
                "{path}: `<` in an attribute at byte {at}"
            );
            attribute
                .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
                .unwrap_or_else(|e| panic!("{path}: bad attribute value at byte {at}: {e}"));
        }
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_comments = true;
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{path}: not well-formed XML at byte {at}: {e}"));
        match event {
            Event::Eof => break,
            Event::Start(element) => {
                roots += usize::from(depth == 0);
                depth += 1;
                attributes(&element, reader.decoder(), at);
            }
            Event::Empty(element) => {
                roots += usize::from(depth == 0);
                attributes(&element, reader.decoder(), at);
            }
            Event::End(_) => depth -= 1,
            Event::Text(text) => {
                let text = text.decode().expect("UTF-8 text");
                assert!(
                    depth > 0 || text.trim().is_empty(),
                    "{path}: text outside the root element at byte {at}"
                );
                assert!(!text.contains("]]>"), "{path}: `]]>` in text at byte {at}");
            }
            Event::GeneralRef(reference) => {
                assert!(depth > 0, "{path}: reference outside the root at byte {at}");
                match reference.resolve_char_ref() {
                    Ok(Some(c)) => assert!(legal(c), "{path}: &#{:x}; at byte {at}", c as u32),
                    Ok(None) => {
                        let name = reference.decode().expect("UTF-8 name");
                        assert!(
                            matches!(&*name, "amp" | "lt" | "gt" | "quot" | "apos"),
                            "{path}: undefined entity &{name}; at byte {at}"
                        );
                    }
                    Err(e) => panic!("{path}: bad character reference at byte {at}: {e}"),
                }
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{path}: elements left open");
    assert_eq!(roots, 1, "{path}: expected one root element");
}

/// The keys whose values differ between two snapshots, those in one only included.
pub(crate) fn differing<'a, K: Ord, V: PartialEq>(
    a: &'a BTreeMap<K, V>,
    b: &'a BTreeMap<K, V>,
) -> Vec<&'a K> {
    let keys = a.keys().chain(b.keys());
    keys.filter(|key| a.get(*key) != b.get(*key)).collect()
}

/// Tests that load the machine and tests whose timing matters never run at the same time.
static HEAVY: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Held by a test that loads the machine for long (builds of a 2,000-article corpus): no
/// timing-sensitive test runs meanwhile.
pub(crate) fn heavy() -> std::sync::RwLockWriteGuard<'static, ()> {
    HEAVY
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Held by a test whose outcome depends on timing (a burst of saves seen as one rebuild by
/// the file watcher's debouncer): no heavy test runs meanwhile; such tests run together.
pub(crate) fn timing_sensitive() -> std::sync::RwLockReadGuard<'static, ()> {
    HEAVY
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes the search index the preview would make in the background, then serves it, as
/// `kiosque serve` does once indexing is done: the files then match a build's.
pub(crate) fn index_search(project: &mut kiosque::Project, outputs: &mut kiosque::output::Outputs) {
    while let Some(jobs) = project.take_search_jobs() {
        project.search_done(jobs.run());
        outputs.apply(project.render().expect("the index is served"));
    }
}

/// A site being edited as `kiosque serve` follows it: the incremental cache and the files it
/// handed out so far.
pub(crate) struct Following {
    options: BuildOptions,
    project: kiosque::Project,
    /// The files handed out so far, kept up to date by patches.
    pub(crate) outputs: kiosque::output::Outputs,
}

impl Following {
    /// Loads a site and hands out its first build.
    pub(crate) fn start(options: BuildOptions) -> Following {
        let mut project = kiosque::Project::load(&options).expect("loads");
        let mut outputs = kiosque::output::Outputs::default();
        outputs.apply(project.render().expect("builds"));
        index_search(&mut project, &mut outputs);
        Following {
            options,
            project,
            outputs,
        }
    }

    /// Tells the cache a path (relative to the root) changed, applies the patch, and checks
    /// that the files kept are then byte for byte a build from scratch; returns those written.
    pub(crate) fn changed(&mut self, path: &str, what: &str) -> Vec<String> {
        let changed = [PathBuf::from(path)];
        kiosque::serve::changes::update(&mut self.project, &changed).expect("site.toml is fine");
        let patch = self
            .project
            .render()
            .unwrap_or_else(|e| panic!("{what}: {e:#?}"));
        let written = patch.files.iter().map(|(p, _)| p.clone()).collect();
        self.outputs.apply(patch);
        index_search(&mut self.project, &mut self.outputs);
        let fresh = build_with(&self.options).outputs;
        let kept: Vec<&str> = self.outputs.paths().collect();
        assert_eq!(
            kept,
            fresh.paths().collect::<Vec<_>>(),
            "{what}: the same files"
        );
        for path in kept {
            assert!(
                self.outputs.read(path) == fresh.read(path),
                "{what}: {path} differs from a build from scratch"
            );
        }
        written
    }
}

/// A copy of `minimal` built once, then given `site.toml` with `table` appended: the build
/// must fail at `line` of `site.toml` with a message holding every part, through the library
/// and the binary (status 1), leaving the previous `public/` as it was.
pub(crate) fn assert_config_rejected(table: &str, line: usize, parts: &[&str]) {
    let dir = temp_site("minimal");
    kiosque::build(&options(dir.path())).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let before = snapshot(&dir.path().join("public"));
    let config = dir.path().join("site.toml");
    let head = std::fs::read_to_string(&config).unwrap();
    assert_eq!(head.lines().count(), 6, "minimal's site.toml has 6 lines");
    std::fs::write(&config, format!("{head}{table}")).unwrap();

    let prefix = format!("site.toml:{line}:");
    let matches = |line: &str| {
        line.starts_with(&prefix)
            && line.contains(": error: ")
            && parts.iter().all(|part| line.contains(part))
    };
    let diagnostics = diagnostics(&options(dir.path()));
    assert!(
        diagnostics.iter().any(|d| matches(d)),
        "expected {prefix} with {parts:?}, got:\n{}",
        diagnostics.join("\n")
    );
    let output = kiosque(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(
        stderr.lines().any(matches),
        "expected on stderr {prefix} with {parts:?}, got:\n{stderr}"
    );
    assert!(
        snapshot(&dir.path().join("public")) == before,
        "public/ changed"
    );
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.contains("staging") && !name.ends_with(".old"),
            "left behind: {name}"
        );
    }
}
