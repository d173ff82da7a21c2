//! Where each file a build makes goes: linked from the previous output when it holds the
//! same bytes, else written to the staging folder as soon as it is made (held in memory for
//! a build that writes nothing); and, with `precompress = true`, its `.br` and `.gz` copies
//! beside it ([`crate::output::COPIES`]). A copy is known by a digest made from the digest
//! of the file it compresses, so that a copy the previous output holds for the same bytes is
//! linked, not compressed again: a rebuild after one edit compresses only what changed.

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::cache::Keeper;
use crate::diagnostics::Error;
use crate::fingerprint::fingerprint;
use crate::output::{Body, COPIES, Outputs, Staging, is_compressible};

/// What becomes of the files of one build.
#[derive(Clone, Copy)]
pub(crate) struct Store<'a> {
    /// The previous output, for a build with the cache.
    pub(crate) keeper: Option<&'a Keeper>,
    /// The folder being written, for a build on disk.
    pub(crate) staging: Option<&'a Staging>,
    /// Whether text files get compressed copies.
    pub(crate) precompress: bool,
}

impl Store<'_> {
    /// A file made now, its fingerprint `print` if it is rendered from the model: the file,
    /// then its copies.
    pub(crate) fn file(
        &self,
        path: String,
        print: Option<u64>,
        bytes: Vec<u8>,
    ) -> Vec<(String, Body)> {
        let digest = (self.keeper.is_some() || self.precompress).then(|| fingerprint(&bytes[..]));
        let mut files = match digest.filter(|_| self.precompress) {
            // Reading bytes in memory cannot fail.
            Some(digest) => self
                .copies(&path, digest, || Ok(Cow::Borrowed(&bytes[..])))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let old = self
            .keeper
            .zip(digest)
            .and_then(|(k, d)| k.same(&path, print, d));
        let body = match old {
            Some(old) => Body::Link(old),
            None => self.write(&path, bytes),
        };
        files.insert(0, (path, body));
        files
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Body {
        match self.staging {
            Some(staging) => staging.write(path, bytes),
            None => Body::Bytes(bytes),
        }
    }

    /// The copies of the file at `path`, of bytes of this `digest`: each linked from the
    /// previous output if it holds it, else made from `bytes`, read once.
    fn copies<'b>(
        &self,
        path: &str,
        digest: u64,
        bytes: impl Fn() -> std::io::Result<Cow<'b, [u8]>>,
    ) -> std::io::Result<Vec<(String, Body)>> {
        if !is_compressible(path) {
            return Ok(Vec::new());
        }
        let mut read = None;
        let mut copies = Vec::with_capacity(COPIES.len());
        for (extension, compress) in COPIES {
            let copy = format!("{path}.{extension}");
            let old = self
                .keeper
                .and_then(|k| k.same(&copy, None, fingerprint((digest, extension))));
            let body = match old {
                Some(old) => Body::Link(old),
                None => {
                    let bytes = match &read {
                        Some(bytes) => bytes,
                        None => read.insert(bytes()?),
                    };
                    self.write(&copy, compress(bytes))
                }
            };
            copies.push((copy, body));
        }
        Ok(copies)
    }

    /// Adds the copies of every text file of `sink` that has none yet: the files not made by
    /// [`Store::file`] (kept without rendering, static, processed images).
    pub(crate) fn complete(&self, sink: &mut Outputs) -> Result<(), Error> {
        if !self.precompress {
            return Ok(());
        }
        // A file kept from the previous output has the digest its record gives.
        let digests = self.keeper.map(Keeper::digests).unwrap_or_default();
        let missing: Vec<(&str, &Body)> = sink
            .paths()
            .filter(|path| is_compressible(path))
            .filter(|path| !sink.has_file(&format!("{path}.{}", COPIES[0].0)))
            .filter_map(|path| Some((path, sink.body(path)?)))
            .collect();
        let made: Vec<Result<Vec<(String, Body)>, Error>> = missing
            .into_par_iter()
            .map(|(path, body)| {
                let io = |source| Error::Output {
                    path: PathBuf::from(path),
                    source,
                };
                let digest = match (body, digests.get(path)) {
                    (Body::Link(_), Some(&digest)) => digest,
                    _ => fingerprint(&body.read().map_err(io)?[..]),
                };
                self.copies(path, digest, || body.read()).map_err(io)
            })
            .collect();
        for copies in made {
            for (path, body) in copies? {
                sink.insert_file(&path, body);
            }
        }
        Ok(())
    }
}
