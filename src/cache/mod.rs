//! What `kiosque build` keeps between runs in `.kiosque-cache/build/`: article bodies as the
//! Markdown stage rendered them, keyed by their source and everything they were rendered
//! with ([`BodyCache`]), code blocks as the highlighter coloured them (`code.rs`), and a
//! record of the output folder the last build wrote: each file's fingerprint (serve's
//! dependency model, [`crate::incremental`]), a digest of its bytes, and its identity on disk
//! ([`Record`]). A build with it re-renders only what changed and links the rest from the
//! previous output.
//!
//! It only ever accelerates: a build with it is byte-identical to one without. Every file
//! starts with a line naming the Kiosque binary and the site that wrote it, then a checksum;
//! a file written by another binary or for another site, or damaged, is ignored with one
//! warning, and what it held is made again.

mod bodies;
mod code;
mod mapped;
mod outputs;
mod sources;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::diagnostics::{CacheIgnored as Ignored, Diagnostic, Location, Problem};
use crate::fingerprint::fingerprint;
use crate::highlight::CodeCache;
pub(crate) use bodies::BodyCache;
use code::KeptCode;
use mapped::Mapped;
pub(crate) use outputs::{Keeper, Record, Recorded};
use sources::SourceCache;

/// Folder of the build cache, under the site root.
pub const BUILD_CACHE: &str = ".kiosque-cache/build";

/// Folder of the bodies and front matter `kiosque serve` rendered, under the site root: the
/// preview renders with its own address and with the drafts, so not the bodies of a build.
pub const SERVE_CACHE: &str = ".kiosque-cache/serve";

/// Version of the layout of the files below; another layout is another version.
const FORMAT: u32 = 2;

/// First word of every cache file.
const MAGIC: &str = "kiosque-cache";

/// Who writes and may read a cache file: this binary, for this site.
#[derive(Debug, Clone)]
struct Identity {
    /// The Kiosque version, and a fingerprint of the executable's size and modification
    /// time: two builds of one version from different code must not share fingerprints.
    binary: String,
    /// The site root, canonical.
    site: String,
}

impl Identity {
    fn of(root: &Path) -> Identity {
        let exe = std::env::current_exe().and_then(fs::metadata);
        let stamp = exe.map(|m| (m.len(), m.modified().ok())).ok();
        let site = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Identity {
            binary: format!("{}+{:016x}", env!("CARGO_PKG_VERSION"), fingerprint(stamp)),
            site: site.to_string_lossy().into_owned(),
        }
    }

    fn line(&self) -> String {
        format!("{MAGIC} {FORMAT} {} {}\n", self.binary, self.site)
    }

    /// Checks a file's first line against this identity.
    fn check(&self, line: &str) -> Result<(), Ignored> {
        let mut words = line.splitn(4, ' ');
        let (magic, format, binary, site) =
            (words.next(), words.next(), words.next(), words.next());
        if magic != Some(MAGIC) {
            return Err(Ignored::Damaged("not a Kiosque cache file".into()));
        }
        if format != Some(&FORMAT.to_string()) || binary != Some(self.binary.as_str()) {
            return Err(Ignored::Version(binary.unwrap_or_default().to_string()));
        }
        if site != Some(self.site.as_str()) {
            return Err(Ignored::Site(site.unwrap_or_default().to_string()));
        }
        Ok(())
    }
}

/// The build cache of one site, as read at the start of a build.
pub(crate) struct BuildCache {
    /// Its folder, relative to the site root.
    folder: &'static str,
    dir: PathBuf,
    identity: Identity,
    /// Rendered bodies, by source path.
    pub(crate) bodies: BodyCache,
    /// Parsed front matter, by file and YAML, and the files read as they were.
    pub(crate) sources: SourceCache,
    /// Highlighted code blocks kept by earlier builds.
    code: Arc<KeptCode>,
    /// This build's cache of highlighted blocks, backed by `code`, once the highlighter has
    /// asked for it.
    blocks: Option<Arc<CodeCache>>,
    /// The record of the output folder the last build wrote, being read: it is needed only
    /// once the site is loaded.
    record: Option<JoinHandle<Read<Record>>>,
    /// Why a file was ignored, the first time one was: the one warning.
    ignored: Option<(PathBuf, Ignored)>,
}

/// What reading one file of the cache found: nothing, or why it is ignored.
type Read<T> = Result<Option<T>, Ignored>;

impl BuildCache {
    /// Reads the cache of the site at `root`; what is missing or ignored is empty.
    pub(crate) fn open(root: &Path) -> BuildCache {
        BuildCache::open_in(root, BUILD_CACHE)
    }

    /// Reads the cache kept in `folder` (relative to `root`) of the site at `root`.
    pub(crate) fn open_in(root: &Path, folder: &'static str) -> BuildCache {
        let dir = root.join(folder);
        let identity = Identity::of(root);
        let record = {
            let (dir, identity) = (dir.clone(), identity.clone());
            std::thread::spawn(move || decode(&dir, &identity, outputs::RECORD_FILE))
        };
        let mut cache = BuildCache {
            folder,
            code: Arc::new(KeptCode::new(dir.clone(), identity.clone())),
            blocks: None,
            identity,
            bodies: BodyCache::default(),
            sources: SourceCache::default(),
            record: None,
            ignored: None,
            dir,
        };
        let (bodies, sources) = rayon::join(
            || BodyCache::read(&cache),
            || {
                cache
                    .payload(sources::SOURCES_FILE)
                    .and_then(SourceCache::open)
            },
        );
        cache.bodies = BodyCache::open(&mut cache, bodies);
        let sources = cache.keep_why(sources::SOURCES_FILE, sources);
        cache.sources = sources.unwrap_or_default();
        cache.record = Some(record);
        cache
    }

    /// The record of the output folder the last build wrote, if it is known; once.
    pub(crate) fn take_record(&mut self) -> Option<Record> {
        let read = self.record.take()?.join();
        let read = read.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        self.keep_why(outputs::RECORD_FILE, read).flatten()
    }

    /// The highlighter's cache for this build: the blocks earlier builds kept, and those
    /// this build highlights, which [`BuildCache::save_bodies`] keeps.
    pub(crate) fn code_cache(&mut self) -> Arc<CodeCache> {
        let code = &self.code;
        let blocks = self
            .blocks
            .get_or_insert_with(|| Arc::new(CodeCache::backed_by(code.clone())));
        blocks.clone()
    }

    /// The warning that a file of the cache was ignored, if one was (the code blocks read
    /// so far included).
    pub(crate) fn warning(&self) -> Option<Diagnostic> {
        let (file, why) = self.ignored.clone().or_else(|| self.code.ignored())?;
        let path = Path::new(self.folder).join(file);
        Some(Diagnostic::warning(
            Location::file(path),
            Problem::CacheIgnored(why),
        ))
    }

    /// The value, or `None` and the first reason a file was ignored kept.
    fn keep_why<T>(&mut self, file: &str, found: Result<T, Ignored>) -> Option<T> {
        found
            .map_err(|why| self.ignored.get_or_insert((PathBuf::from(file), why)))
            .ok()
    }

    /// The payload of one file of the cache once its header and checksum are checked;
    /// `None` when the file does not exist.
    fn payload(&self, file: &str) -> Read<Mapped> {
        payload(&self.dir, &self.identity, file)
    }

    /// Writes one file of the cache in one step: a reader sees the old file or the new one.
    fn write<T: Serialize>(&self, file: &str, value: &T) -> std::io::Result<()> {
        let payload = postcard::to_stdvec(value).map_err(std::io::Error::other)?;
        self.write_payload(file, &payload)
    }

    fn write_payload(&self, file: &str, payload: &[u8]) -> std::io::Result<()> {
        let mut head = self.identity.line().into_bytes();
        head.extend_from_slice(&fingerprint(payload).to_le_bytes());
        fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        // The payload is written as it is, not copied after its header first: it is tens
        // of megabytes at 10,000 articles.
        let written = fs::File::create(&temporary).and_then(|mut to| {
            to.write_all(&head)?;
            to.write_all(payload)
        });
        let renamed = written.and_then(|()| fs::rename(&temporary, &path));
        renamed.inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
    }

    /// Sets what every body and front matter is made with besides its source: the site's
    /// settings (`site.toml`, a `--base-url`) and syntaxes.
    pub(crate) fn set_settings(&mut self, settings: u64) {
        self.bodies.set_settings(settings);
        self.sources.set_settings(settings);
    }

    /// Writes the bodies, front matter and code blocks this build has for the next one, and
    /// forgets them.
    pub(crate) fn save_bodies(&mut self) -> std::io::Result<()> {
        // A file ignored once would be ignored again, with its warning, at every build.
        let ignored = self.ignored.is_some();
        if ignored {
            let _ = fs::remove_dir_all(&self.dir);
        }
        let saved = self.bodies.save(self, ignored);
        let saved = saved.and_then(|()| self.sources.save(self, ignored));
        let blocks = self.blocks.take();
        let saved = saved.and_then(|()| match &blocks {
            Some(blocks) => self.code.save(self, blocks, ignored),
            None => Ok(()),
        });
        self.bodies = BodyCache::default();
        self.sources = SourceCache::default();
        saved
    }

    /// Writes the record of the output folder this build wrote, for the next one.
    pub(crate) fn save(&self, record: &Recorded) -> std::io::Result<()> {
        self.write(outputs::RECORD_FILE, record)
    }
}

/// Bytes written as bytes, in one piece: serde writes a slice of bytes one byte at a time,
/// a tenth of a second for the 64 shards of bodies at 10,000 articles. Read back as `&[u8]`.
pub(super) struct Blob<'a>(pub(super) &'a [u8]);

impl Serialize for Blob<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// Reads and decodes one file of the cache in `dir`, written by `identity`.
fn decode<T: DeserializeOwned>(dir: &Path, identity: &Identity, file: &str) -> Read<T> {
    let Some(payload) = payload(dir, identity, file)? else {
        return Ok(None);
    };
    let decoded = postcard::from_bytes(&payload);
    decoded
        .map(Some)
        .map_err(|e| Ignored::Damaged(e.to_string()))
}

/// The payload of one file of the cache in `dir` once its header (naming `identity`) and
/// checksum are checked; `None` when the file does not exist.
fn payload(dir: &Path, identity: &Identity, file: &str) -> Read<Mapped> {
    let Some(bytes) = Mapped::open(&dir.join(file)) else {
        return Ok(None);
    };
    let damaged = |what: &str| Ignored::Damaged(what.to_string());
    let newline = bytes.iter().position(|&b| b == b'\n');
    let newline = newline.ok_or_else(|| damaged("no header"))?;
    let line = std::str::from_utf8(&bytes[..newline]).map_err(|_| damaged("header"))?;
    identity.check(line)?;
    let start = newline + 1 + 8;
    let sum = bytes
        .get(newline + 1..start)
        .ok_or_else(|| damaged("truncated"))?;
    let sum = u64::from_le_bytes(sum.try_into().map_err(|_| damaged("truncated"))?);
    if sum != fingerprint(&bytes[start..]) {
        return Err(damaged("checksum mismatch"));
    }
    Ok(Some(bytes.skip(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            binary: "1.0.0+00000000000000ab".into(),
            site: "/sites/une maison".into(),
        }
    }

    #[test]
    fn a_header_names_the_binary_and_the_site_it_was_written_by() {
        let me = identity();
        assert_eq!(me.check(me.line().trim_end()), Ok(()));
        let other = Identity {
            binary: "1.0.1+00000000000000ab".into(),
            ..identity()
        };
        assert_eq!(
            me.check(other.line().trim_end()),
            Err(Ignored::Version("1.0.1+00000000000000ab".into()))
        );
        let elsewhere = Identity {
            site: "/sites/autre".into(),
            ..identity()
        };
        assert_eq!(
            me.check(elsewhere.line().trim_end()),
            Err(Ignored::Site("/sites/autre".into()))
        );
        assert!(matches!(me.check("PNG"), Err(Ignored::Damaged(_))));
    }
}
