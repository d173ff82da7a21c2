//! Loading syntaxes: the built-in set (syntect's and bat's, a dump in the binary) and a site's
//! own `.sublime-syntax` files, linked with the built-in ones when a block first needs one.
//!
//! A [`Syntaxes`] owns what it loads and links; a process that builds again (`serve`) passes
//! the [`CodeCache`] it keeps, which holds the built-in set and the latest linked set, so a
//! rebuild neither loads nor links again, and an edited syntax replaces the set it linked.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use syntect::parsing::{ParseSyntaxError, SyntaxDefinition, SyntaxSet};

use super::{CodeCache, lock};

/// Why a site's syntax folder could not be loaded: the file at fault and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("cannot load the syntax definitions at {}", path.display())]
pub struct SyntaxFileError {
    /// The file (or the folder, when it could not be walked).
    pub path: PathBuf,
    /// What went wrong.
    #[source]
    pub cause: SyntaxLoadError,
}

impl SyntaxFileError {
    /// 1-based line and column in the file, when the YAML parser gave them.
    pub fn position(&self) -> Option<(usize, usize)> {
        match &self.cause {
            SyntaxLoadError::Parse(ParseSyntaxError::InvalidYaml(error)) => {
                let mark = error.marker();
                Some((mark.line(), mark.col() + 1))
            }
            _ => None,
        }
    }
}

/// What went wrong loading a syntax definition. Each shows its own cause in its message, as
/// the errors it wraps do (syntect's also chain it), so it has no source.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxLoadError {
    /// The folder could not be walked.
    #[error("{0}")]
    Walk(walkdir::Error),
    /// A file could not be read.
    #[error("{0}")]
    Read(std::io::Error),
    /// A file is not a valid `.sublime-syntax` definition.
    #[error("{0}")]
    Parse(ParseSyntaxError),
}

/// The built-in syntaxes and the `.sublime-syntax` files of `folder`, read in name order.
pub(super) fn read_folder(folder: &Path) -> Result<Syntaxes, SyntaxFileError> {
    let fail = |path: &Path, cause| SyntaxFileError {
        path: path.to_path_buf(),
        cause,
    };
    let mut custom = Vec::new();
    let mut hasher = DefaultHasher::new();
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.map_err(|e| fail(folder, SyntaxLoadError::Walk(e)))?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "sublime-syntax") {
            continue;
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| fail(path, SyntaxLoadError::Read(e)))?;
        let name = path.file_stem().and_then(|s| s.to_str());
        let definition = SyntaxDefinition::load_from_str(&text, true, name)
            .map_err(|e| fail(path, SyntaxLoadError::Parse(e)))?;
        (path, &text).hash(&mut hasher);
        custom.push(definition);
    }
    Ok(Syntaxes {
        custom,
        fingerprint: hasher.finish() | 1,
        ..Syntaxes::default()
    })
}

/// The syntaxes of one highlighter, loaded and linked when first needed.
#[derive(Default)]
pub(super) struct Syntaxes {
    /// Definitions a site adds in `syntaxes/`, checked when the build starts.
    pub(super) custom: Vec<SyntaxDefinition>,
    /// A hash of the site definitions' paths and texts, telling one set from another; 0
    /// without any.
    pub(super) fingerprint: u64,
    builtin: OnceLock<Arc<SyntaxSet>>,
    linked: OnceLock<Arc<SyntaxSet>>,
}

impl Syntaxes {
    /// The built-in set: the cache's, else loaded for this highlighter.
    pub(super) fn builtin(&self, cache: Option<&CodeCache>) -> &SyntaxSet {
        self.builtin.get_or_init(|| match cache {
            Some(cache) => cache.builtin.get_or_init(load_builtin).clone(),
            None => load_builtin(),
        })
    }

    /// The built-in set linked with the site's definitions: the cache's if it linked these
    /// very definitions, else linked now (which takes longer than the rest of a small build)
    /// and handed to the cache in place of the one it had.
    pub(super) fn linked(&self, cache: Option<&CodeCache>) -> &SyntaxSet {
        self.linked.get_or_init(|| {
            if let Some(cache) = cache
                && let Some((fingerprint, set)) = lock(&cache.linked).as_ref()
                && *fingerprint == self.fingerprint
            {
                return set.clone();
            }
            let mut builder = self.builtin(cache).clone().into_builder();
            for definition in &self.custom {
                builder.add(definition.clone());
            }
            let set = Arc::new(builder.build());
            if let Some(cache) = cache {
                *lock(&cache.linked) = Some((self.fingerprint, set.clone()));
            }
            set
        })
    }
}

fn load_builtin() -> Arc<SyntaxSet> {
    Arc::new(two_face::syntax::extra_newlines())
}
