//! Content stage: finds the Markdown sources under `content/`, splits and validates their front
//! matter, and keeps each body with the line it starts on so later errors can point into it.
//!
//! Markdown rendering is left to [`crate::markdown`]; URLs and lists to [`crate::site`].

mod dates;
mod find;
mod front_matter;
mod limits;
mod read;
mod values;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

mod comments;

pub use comments::{COMMENTS_SUFFIX, Comment, archive_of, article_of};
pub use find::find;
use find::walk;
pub use front_matter::{
    Discussion, FrontKeys, FrontMatter, Image, MastodonThread, Menu, MenuPlace, PageFront,
    ProfileFront,
};
use read::read_source;
pub use read::{KnownSources, Stamp, read_all, read_body};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};

/// Folder under the site root that holds articles.
pub const CONTENT_DIR: &str = "content";

/// Folder under `content/` that holds author profiles, which are not articles.
pub const AUTHORS_DIR: &str = "authors";

/// Folder under `content/` that holds standalone pages (about, legal notice), not articles.
pub const PAGES_DIR: &str = "pages";

/// Largest source file read, in bytes (16 MiB): a bigger one is refused from its size alone,
/// before anything of it is read.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// An author profile, `content/authors/<slug>.md`: front matter and the bio in Markdown.
#[derive(Debug, Clone)]
pub struct ProfileSource {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// Slug of the author name it describes: the file name's.
    pub slug: String,
    /// Validated front matter.
    pub front: ProfileFront,
    /// The bio, in Markdown.
    pub body: String,
    /// 1-based line of the file where the bio starts.
    pub body_line: usize,
    /// Hash of the file's bytes.
    pub digest: u64,
}

/// Reads every author profile, with a diagnostic for each problem.
pub fn load_profiles(config: &Config) -> (Vec<ProfileSource>, Vec<Diagnostic>) {
    let (files, diagnostics) = read_kind(config, AUTHORS_DIR, front_matter::parse_profile);
    let profiles = files
        .into_iter()
        .map(|file| ProfileSource {
            path: file.path,
            slug: file.slug,
            front: file.front,
            body: file.body,
            body_line: file.body_line,
            digest: file.digest,
        })
        .collect();
    (profiles, diagnostics)
}

/// A standalone page, `content/pages/<slug>.md`: front matter and the text in Markdown.
#[derive(Debug, Clone)]
pub struct PageSource {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// The file name's slug, unless the front matter gives one.
    pub slug: String,
    /// Validated front matter.
    pub front: PageFront,
    /// The text, in Markdown.
    pub body: String,
    /// 1-based line of the file where the text starts.
    pub body_line: usize,
    /// Hash of the file's bytes.
    pub digest: u64,
}

/// Reads every standalone page, drafts included, with a diagnostic for each problem.
pub fn load_pages(config: &Config) -> (Vec<PageSource>, Vec<Diagnostic>) {
    let (files, diagnostics) = read_kind(config, PAGES_DIR, front_matter::parse_page);
    let pages = files
        .into_iter()
        .map(|file| PageSource {
            slug: file
                .front
                .slug
                .as_deref()
                .map(crate::slug::slugify)
                .unwrap_or(file.slug),
            path: file.path,
            front: file.front,
            body: file.body,
            body_line: file.body_line,
            digest: file.digest,
        })
        .collect();
    (pages, diagnostics)
}

/// Whether a path (relative to the root) is in the folder of standalone pages.
pub fn is_page(path: &Path) -> bool {
    path.starts_with(Path::new(CONTENT_DIR).join(PAGES_DIR))
}

/// A file of one of the kinds under `content/` that are not articles, read and parsed.
struct KindFile<F> {
    path: PathBuf,
    /// Slug of the file name.
    slug: String,
    front: F,
    body: String,
    body_line: usize,
    digest: u64,
}

/// Reads every `.md` file of `content/<dir>/` with `parse` for its front matter.
fn read_kind<F>(
    config: &Config,
    dir: &str,
    parse: impl Fn(&Path, &str) -> (Option<F>, Vec<Diagnostic>),
) -> (Vec<KindFile<F>>, Vec<Diagnostic>) {
    let dir = config.root.join(CONTENT_DIR).join(dir);
    let (files, mut diagnostics) = walk(config, &dir, &[]);
    let mut read = Vec::with_capacity(files.len());
    for file in files {
        let path = relative(&config.root, &file);
        let bytes = match read_source(&file) {
            Ok(bytes) => bytes,
            Err(problem) => {
                diagnostics.push(Diagnostic::new(Location::file(&path), problem));
                continue;
            }
        };
        let Some(text) = text_of(&path, &bytes, &mut diagnostics) else {
            continue;
        };
        let split = match split_front_matter(&text) {
            Ok(split) => split,
            Err(problem) => {
                diagnostics.push(Diagnostic::new(Location::at(&path, 1, 1), problem));
                continue;
            }
        };
        let (front, mut errors) = parse(&path, split.yaml);
        diagnostics.append(&mut errors);
        let slug = path
            .file_stem()
            .map(|stem| crate::slug::slugify(&stem.to_string_lossy()))
            .unwrap_or_default();
        if let (Some(front), false) = (front, slug.is_empty()) {
            read.push(KindFile {
                body: text[split.body_start..].to_string(),
                body_line: split.body_line,
                digest: digest(&bytes),
                slug,
                front,
                path,
            });
        }
    }
    (read, diagnostics)
}

/// Whether a path (relative to the root) is in the folder of author profiles.
pub fn is_profile(path: &Path) -> bool {
    path.starts_with(Path::new(CONTENT_DIR).join(AUTHORS_DIR))
}

/// One article source: validated front matter and the Markdown body.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, as shown in messages.
    pub path: PathBuf,
    /// Validated front matter.
    pub front: FrontMatter,
    /// Markdown after the front matter, with `\n` line endings; `None` when the file was
    /// not read again, being as an earlier build read it ([`read_body`] reads it).
    pub body: Option<String>,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// Hash of the file's bytes (and of its comment archive's): equal digests, equal sources.
    pub digest: u64,
    /// The comments archived beside it (`<name>.comments.yaml`), in the archive's order.
    pub comments: Vec<Comment>,
}

/// Whether an article is published in this build (drafts and future articles need flags).
pub fn is_published(front: &FrontMatter, config: &Config) -> bool {
    (config.drafts || !front.draft) && (config.future || front.date.timestamp() <= config.now)
}

/// Whether a path names an article source: `.md`, not hidden.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        && !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Splits and validates one file's bytes, with every problem found.
///
/// A source whose front matter has problems but a title and a date is still returned, so the
/// later stages report the body's problems too; the build fails on the problems anyway.
pub fn parse_source(
    path: PathBuf,
    bytes: &[u8],
    config: &Config,
) -> (Option<Source>, Vec<Diagnostic>) {
    parse_source_with(path, bytes, config, None, None)
}

/// [`parse_source`], front matter `known` already not parsed again; what is read of a file
/// with a `settled` stamp, and without a problem, is kept in `known` for the next build.
fn parse_source_with(
    path: PathBuf,
    bytes: &[u8],
    config: &Config,
    known: Option<&dyn KnownSources>,
    settled: Option<Stamp>,
) -> (Option<Source>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let Some(text) = text_of(&path, bytes, &mut errors) else {
        return (None, errors);
    };
    let split = match split_front_matter(&text) {
        Ok(split) => split,
        Err(problem) => {
            return (
                None,
                vec![Diagnostic::new(Location::at(&path, 1, 1), problem)],
            );
        }
    };
    let known_front = known.and_then(|known| known.front(&path, split.yaml));
    let (front, errors) = match known_front {
        Some(front) => (Some(front), Vec::new()),
        None => {
            let (front, errors) = front_matter::parse(&path, split.yaml, config);
            if let (Some(known), Some(front), true) = (known, &front, errors.is_empty()) {
                known.keep_front(&path, split.yaml, front);
            }
            (front, errors)
        }
    };
    let source = front.map(|front| Source {
        body: Some(text[split.body_start..].to_string()),
        body_line: split.body_line,
        digest: digest(bytes),
        path,
        front,
        comments: Vec::new(),
    });
    let Some(mut source) = source else {
        return (None, errors);
    };
    // A file read with a problem is read again next time, to report it again.
    if let (Some(known), Some(stamp), true) = (known, settled, errors.is_empty()) {
        known.keep_read(&stamp, split.yaml, &source);
    }
    with_dimensions(config, &mut source.front);
    (Some(source), errors)
}

/// Sets the size of a front matter's image, read from its file now: it may have changed
/// since the front matter was parsed.
fn with_dimensions(config: &Config, front: &mut FrontMatter) {
    if let Some(image) = &mut front.image {
        image.dimensions = image_dimensions(config, &image.src);
    }
}

/// Width and height of an image the site serves (`/images/a.jpg`: the site's `static/`, else
/// the theme's), from its header alone; `None` for another host's image, a path climbing out
/// of the site, or a file missing or of a format whose size is not read (SVG).
///
/// Until images are processed, this lets pages reserve the image's box before it loads.
fn image_dimensions(config: &Config, src: &str) -> Option<(u32, u32)> {
    let path = src
        .strip_prefix('/')
        .filter(|rest| !rest.starts_with('/'))?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let relative = Path::new(path);
    if !relative
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    let theme = config
        .root
        .join("themes")
        .join(&config.theme)
        .join("static");
    [config.root.join("static"), theme]
        .iter()
        .map(|dir| dir.join(relative))
        .find(|file| file.is_file())
        .and_then(|file| imagesize::size(file).ok())
        .and_then(|size| Some((size.width.try_into().ok()?, size.height.try_into().ok()?)))
}

/// A hash of bytes, stable within one process.
pub fn digest(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::default().hash_one(bytes)
}

/// A file's text without byte order mark, with `\n` line endings; `None` (and the
/// problem) when it is binary (NUL bytes), not UTF-8, or empty.
fn text_of<'b>(path: &Path, bytes: &'b [u8], errors: &mut Vec<Diagnostic>) -> Option<Cow<'b, str>> {
    if bytes.contains(&0) {
        errors.push(Diagnostic::new(Location::file(path), Problem::Binary));
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let location =
                Location::at_offset(path, &String::from_utf8_lossy(bytes), e.valid_up_to(), 1);
            errors.push(Diagnostic::new(location, Problem::NotUtf8));
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        errors.push(Diagnostic::new(Location::file(path), Problem::Empty));
        return None;
    }
    Some(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

struct Split<'a> {
    yaml: &'a str,
    body_start: usize,
    body_line: usize,
}

/// Finds the YAML between the opening `---` line and the next `---` line.
fn split_front_matter(text: &str) -> Result<Split<'_>, Problem> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(Problem::MissingFrontMatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body_start: offset + line.len(),
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Problem::UnclosedFrontMatter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_line() {
        let split = split_front_matter("---\ntitle: A\ndate: 2025-01-01\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\ndate: 2025-01-01\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn binary_empty_and_non_utf8_files_say_so() {
        let problem = |bytes: &[u8]| {
            let mut errors = Vec::new();
            assert!(text_of(Path::new("a.md"), bytes, &mut errors).is_none());
            errors.pop().unwrap().problem
        };
        assert!(matches!(problem(b"---\ntitle: a\0b\n"), Problem::Binary));
        assert!(matches!(problem(b"\x89PNG\r\n\x1a\n\0\0"), Problem::Binary));
        assert!(matches!(problem(b""), Problem::Empty));
        assert!(matches!(problem(b"\xef\xbb\xbf \n\t\n"), Problem::Empty));
        assert!(matches!(problem(b"caf\xe9"), Problem::NotUtf8));
    }

    #[test]
    fn image_sizes_are_read_only_from_files_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let images = dir.path().join("static/images");
        std::fs::create_dir_all(&images).unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images");
        std::fs::copy(
            fixture.join("static/images/carte.png"),
            images.join("a.png"),
        )
        .unwrap();
        std::fs::copy(
            fixture.join("static/images/carte.png"),
            dir.path().join("out.png"),
        )
        .unwrap();
        let options = crate::config::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let config =
            Config::parse("title = \"T\"\nbase_url = \"https://a.b/\"\n", &options).unwrap();
        assert_eq!(image_dimensions(&config, "/images/a.png"), Some((30, 20)));
        assert_eq!(
            image_dimensions(&config, "/images/a.png?v=2"),
            Some((30, 20))
        );
        for src in [
            "/images/../../out.png",
            "//cdn.example/images/a.png",
            "https://cdn.example/images/a.png",
            "images/a.png",
            "/images/none.png",
        ] {
            assert_eq!(image_dimensions(&config, src), None, "{src}");
        }
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert!(matches!(
            split_front_matter("# Title\n"),
            Err(Problem::MissingFrontMatter)
        ));
        assert!(matches!(
            split_front_matter("---\ntitle: A\n"),
            Err(Problem::UnclosedFrontMatter)
        ));
    }
}
