//! Reading article sources from disk, and not reading those an earlier build read: a file
//! whose [`Stamp`] is the one it had then is taken as that build parsed it, its body left
//! unread until something needs it ([`read_body`]).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    FrontMatter, MAX_FILE_SIZE, Source, comments, digest, parse_source_with, relative,
    split_front_matter, text_of, with_dimensions,
};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};

/// How long after its last change a file's stamp is trusted: any later change then gets a
/// later time, on file systems whose times are as coarse as FAT's two seconds too.
const SETTLE: Duration = Duration::from_secs(2);

/// How many files are read at once. Reading waits on the disk more than on the processor:
/// with the page cache cold, 100,000 sources took 4.0 s to read 16 at a time and 24.6 s two
/// at a time (`xargs -P` over `cat`, on this project's 2-core benchmark machine).
const READERS: usize = 16;

/// What an earlier build read of the sources, and where this build keeps what it reads (see
/// `crate::cache`).
pub trait KnownSources: Sync {
    /// The front matter parsed from this YAML of this file, if it is known.
    fn front(&self, path: &Path, yaml: &str) -> Option<FrontMatter>;
    /// Keeps a front matter parsed without a problem.
    fn keep_front(&self, path: &Path, yaml: &str, front: &FrontMatter);
    /// The source an earlier build read from this file, its body unread, if the file has the
    /// stamp it had then.
    fn unchanged(&self, path: &Path, stamp: &Stamp) -> Option<Source>;
    /// Keeps what was read of a file with a settled stamp, its front matter from this YAML.
    fn keep_read(&self, stamp: &Stamp, yaml: &str, source: &Source);
}

/// A file's identity and times, as its metadata gives them without reading it. The change
/// time is set by the system at every write or rename, never by a program, so a file with
/// the same stamp as before has the same bytes once the stamp has [settled](Stamp::settled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of a file, from its metadata.
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        Stamp {
            device: metadata.dev(),
            inode: metadata.ino(),
            size: metadata.size(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
            changed: (metadata.ctime(), metadata.ctime_nsec()),
        }
    }

    /// Whether the file last changed [`SETTLE`] or more before `now`: a change that came
    /// just after it was read could otherwise bear the same times.
    pub fn settled(&self, now: SystemTime) -> bool {
        let Ok(now) = now.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let limit = now.saturating_sub(SETTLE);
        let at = |(seconds, nanos): (i64, i64)| -> Option<Duration> {
            Some(Duration::new(
                u64::try_from(seconds).ok()?,
                u32::try_from(nanos).ok()?,
            ))
        };
        [self.modified, self.changed]
            .into_iter()
            .all(|time| at(time).is_some_and(|time| time <= limit))
    }
}

/// Reads and validates these files in parallel: for each, its source if usable and its
/// problems, in the order given. A file `known` as it is now is not read again.
pub fn read_all(
    config: &Config,
    files: &[PathBuf],
    known: Option<&dyn KnownSources>,
) -> Vec<(Option<Source>, Vec<Diagnostic>)> {
    // Taken before any file is read: a file changed after it is not settled.
    let now = SystemTime::now();
    let read = || {
        files
            .par_iter()
            .map(|file| read_one(config, file, known, now))
            .collect()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS)
        .thread_name(|i| format!("kiosque-read-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(read),
        Err(_) => read(),
    }
}

/// Reads one file of [`read_all`], unless `known` knows it as it is now.
fn read_one(
    config: &Config,
    file: &Path,
    known: Option<&dyn KnownSources>,
    now: SystemTime,
) -> (Option<Source>, Vec<Diagnostic>) {
    let path = relative(&config.root, file);
    let metadata = match metadata(file) {
        Ok(metadata) => metadata,
        Err(problem) => {
            return (None, vec![Diagnostic::new(Location::file(&path), problem)]);
        }
    };
    let archive = comments::archive_of(file);
    // A comment archive is part of the source; only files without one are kept.
    let stamp = (!archive.is_file()).then(|| Stamp::of(&metadata));
    let unchanged = stamp
        .zip(known)
        .and_then(|(stamp, known)| known.unchanged(&path, &stamp));
    if let Some(mut source) = unchanged {
        with_dimensions(config, &mut source.front);
        return (Some(source), Vec::new());
    }
    let settled = stamp.filter(|stamp| stamp.settled(now));
    let (mut source, mut problems) = match read_bytes(file, &metadata) {
        Ok(bytes) => parse_source_with(path, &bytes, config, known, settled),
        Err(problem) => (None, vec![Diagnostic::new(Location::file(&path), problem)]),
    };
    if let (Some(source), None) = (&mut source, stamp) {
        read_comments(config, &archive, source, &mut problems);
    }
    (source, problems)
}

/// The Markdown body of a source read without it: its file read again, refused if its bytes
/// are no longer those the source was read from.
pub fn read_body(config: &Config, source: &Source) -> Result<String, Vec<Diagnostic>> {
    let at = |problem| vec![Diagnostic::new(Location::file(&source.path), problem)];
    let bytes = read_source(&config.root.join(&source.path)).map_err(at)?;
    if digest(&bytes) != source.digest {
        return Err(at(Problem::ChangedWhileBuilding));
    }
    let mut problems = Vec::new();
    let text = text_of(&source.path, &bytes, &mut problems).ok_or(problems)?;
    let split = split_front_matter(&text).map_err(at)?;
    Ok(text[split.body_start..].to_string())
}

/// Reads the comment archive beside an article into its source: the comments become part of
/// what the article is made of, and of its digest.
fn read_comments(
    config: &Config,
    archive: &Path,
    source: &mut Source,
    problems: &mut Vec<Diagnostic>,
) {
    let path = relative(&config.root, archive);
    let bytes = match read_source(archive) {
        Ok(bytes) => bytes,
        Err(problem) => return problems.push(Diagnostic::new(Location::file(&path), problem)),
    };
    let Some(text) = text_of(&path, &bytes, problems) else {
        return;
    };
    let (read, mut errors) = comments::parse(&path, &text);
    problems.append(&mut errors);
    source.comments = read;
    source.digest ^= digest(&bytes).rotate_left(7);
}

/// A source file's bytes; a file over [`MAX_FILE_SIZE`] is refused from its size before
/// anything is read, and anything but a regular file (a FIFO would block) is not opened.
pub(super) fn read_source(file: &Path) -> Result<Vec<u8>, Problem> {
    read_bytes(file, &metadata(file)?)
}

/// A source file's metadata, refused unless it is a regular file within the size limit.
fn metadata(file: &Path) -> Result<std::fs::Metadata, Problem> {
    let metadata = std::fs::metadata(file).map_err(io)?;
    if !metadata.is_file() {
        return Err(io(std::io::Error::other("not a regular file")));
    }
    if metadata.len() > MAX_FILE_SIZE {
        return Err(too_large(metadata.len()));
    }
    Ok(metadata)
}

/// The bytes of a file whose metadata [`metadata`] accepted.
fn read_bytes(file: &Path, metadata: &std::fs::Metadata) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    // The file may grow between the two calls: never read more than the limit allows.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or_default());
    std::fs::File::open(file)
        .and_then(|handle| handle.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn io(error: std::io::Error) -> Problem {
    Problem::Read(error.into())
}

fn too_large(size: u64) -> Problem {
    Problem::TooLarge {
        size,
        limit: MAX_FILE_SIZE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_file_over_the_limit_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        // Sparse files: their size is known without writing or reading 16 MiB.
        let handle = std::fs::File::create(&file).unwrap();
        handle.set_len(MAX_FILE_SIZE + 1).unwrap();
        match read_source(&file) {
            Err(Problem::TooLarge { size, limit }) => {
                assert_eq!((size, limit), (MAX_FILE_SIZE + 1, MAX_FILE_SIZE));
            }
            other => panic!("{other:?}"),
        }
        handle.set_len(MAX_FILE_SIZE).unwrap();
        assert_eq!(read_source(&file).unwrap().len() as u64, MAX_FILE_SIZE);
        assert!(read_source(dir.path()).is_err(), "a folder is not read");
    }

    #[test]
    fn a_stamp_settles_two_seconds_after_the_last_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "---\n").unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&file).unwrap());
        let now = SystemTime::now();
        assert!(!stamp.settled(now));
        assert!(!stamp.settled(now + SETTLE - Duration::from_millis(50)));
        assert!(stamp.settled(now + SETTLE));
    }

    #[test]
    fn any_write_gives_a_file_another_stamp_even_with_its_old_size_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "avant").unwrap();
        let before = std::fs::metadata(&file).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&file, "apres").unwrap();
        let handle = std::fs::File::options().write(true).open(&file).unwrap();
        handle.set_modified(before.modified().unwrap()).unwrap();
        let after = std::fs::metadata(&file).unwrap();
        assert_eq!(
            (after.len(), after.modified().unwrap()),
            (before.len(), before.modified().unwrap())
        );
        assert_ne!(Stamp::of(&after), Stamp::of(&before));
    }

    /// Sources known by path, and the stamps of the files it was asked about and told of.
    #[derive(Default)]
    struct Known {
        sources: Vec<Source>,
        asked: std::sync::Mutex<Vec<PathBuf>>,
        kept: std::sync::Mutex<Vec<PathBuf>>,
    }

    impl KnownSources for Known {
        fn front(&self, _: &Path, _: &str) -> Option<FrontMatter> {
            None
        }
        fn keep_front(&self, _: &Path, _: &str, _: &FrontMatter) {}
        fn unchanged(&self, path: &Path, _: &Stamp) -> Option<Source> {
            self.asked.lock().unwrap().push(path.to_path_buf());
            self.sources.iter().find(|s| s.path == path).cloned()
        }
        fn keep_read(&self, _: &Stamp, _: &str, source: &Source) {
            self.kept.lock().unwrap().push(source.path.clone());
        }
    }

    fn site() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let options = crate::config::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let toml = "title = \"T\"\nbase_url = \"https://a.b/\"\n";
        let config = Config::parse(toml, &options).unwrap();
        (dir, config)
    }

    const TEXT: &str = "---\ntitle: A\ndate: 2025-01-01\n---\n\nCorps.\n";

    #[test]
    fn a_known_file_is_not_read_and_one_with_comments_is_always_read() {
        let (dir, config) = site();
        let content = dir.path().join("content");
        // Not Markdown: reading it would be an error.
        std::fs::write(content.join("a.md"), b"\0\0").unwrap();
        std::fs::write(content.join("b.md"), TEXT).unwrap();
        std::fs::write(content.join("b.comments.yaml"), "[]\n").unwrap();
        let (known_a, _) =
            crate::content::parse_source(PathBuf::from("content/a.md"), TEXT.as_bytes(), &config);
        let mut known_a = known_a.unwrap();
        known_a.body = None;
        let known = Known {
            sources: vec![known_a],
            ..Known::default()
        };
        let files = [content.join("a.md"), content.join("b.md")];
        let read = read_all(&config, &files, Some(&known));
        let (a, problems) = &read[0];
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(a.as_ref().unwrap().body, None);
        assert_eq!(
            *known.asked.lock().unwrap(),
            [PathBuf::from("content/a.md")]
        );
        let (b, problems) = &read[1];
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(b.as_ref().unwrap().body.as_deref(), Some("\nCorps.\n"));
        // Just written: its stamp has not settled, nothing is kept of it.
        assert!(known.kept.lock().unwrap().is_empty());
    }

    #[test]
    fn a_body_read_later_is_refused_if_the_file_changed_meanwhile() {
        let (dir, config) = site();
        let file = dir.path().join("content/a.md");
        std::fs::write(&file, TEXT).unwrap();
        let read = read_all(&config, std::slice::from_ref(&file), None);
        let mut source = read.into_iter().next().unwrap().0.unwrap();
        let body = source.body.take();
        assert_eq!(read_body(&config, &source).ok(), body);

        std::fs::write(&file, TEXT.replace("Corps", "Texte")).unwrap();
        let problems = read_body(&config, &source).unwrap_err();
        let message = problems[0].to_string();
        assert!(message.contains("content/a.md"), "{message}");
        assert!(matches!(problems[0].problem, Problem::ChangedWhileBuilding));
    }
}
