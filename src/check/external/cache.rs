//! The cache of `kiosque check --external`: last results by URL in one JSON file, so that links
//! found good recently are not asked again on every run.
//!
//! `{ "version": 1, "entries": { "<url>": { "checked": <unix seconds>, "status": … } } }`.
//! The file is replaced whole (temporary file, then rename); one that cannot be read is left as
//! it is.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{CACHE_VERSION, CacheError, Status};

/// The cache file as written.
#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    version: u64,
    entries: BTreeMap<String, CacheEntry>,
}

/// One URL's last result.
#[derive(Debug, Serialize, Deserialize)]
struct CacheEntry {
    /// When it was checked, in seconds since 1970 (UTC).
    checked: u64,
    status: Status,
}

/// The cache as loaded, and where it goes back.
pub(super) struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, CacheEntry>,
}

impl Cache {
    /// The cache at `path`; empty if the file does not exist yet.
    pub(super) fn load(path: &Path) -> Result<Cache, CacheError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(Cache {
                    path: path.to_path_buf(),
                    entries: BTreeMap::new(),
                });
            }
            Err(source) => {
                return Err(CacheError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let parse_error = |source| CacheError::Parse {
            path: path.to_path_buf(),
            source,
        };
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(parse_error)?;
        if value.get("version").and_then(serde_json::Value::as_u64) != Some(CACHE_VERSION) {
            return Err(CacheError::Version {
                path: path.to_path_buf(),
            });
        }
        let file: CacheFile = serde_json::from_value(value).map_err(parse_error)?;
        Ok(Cache {
            path: path.to_path_buf(),
            entries: file.entries,
        })
    }

    /// Whether the URL was found good less than `max_age` ago.
    pub(super) fn trusts(&self, url: &str, now: u64, max_age: Duration) -> bool {
        self.entries
            .get(url)
            .is_some_and(|entry| entry.status.is_ok() && is_fresh(entry, now, max_age))
    }

    /// Writes back the entries still fresh at `now` and this run's results.
    pub(super) fn save(
        mut self,
        checked: &HashMap<String, Status>,
        now: u64,
        max_age: Duration,
    ) -> Result<(), CacheError> {
        self.entries
            .retain(|_, entry| is_fresh(entry, now, max_age));
        let checked_at = unix_now();
        for (url, status) in checked {
            let entry = CacheEntry {
                checked: checked_at,
                status: status.clone(),
            };
            self.entries.insert(url.clone(), entry);
        }
        let file = CacheFile {
            version: CACHE_VERSION,
            entries: self.entries,
        };
        save_cache(&self.path, &file)
    }
}

/// Whether a cached result is younger than `max_age`; one from the future (a clock set back) is
/// not trusted.
fn is_fresh(entry: &CacheEntry, now: u64, max_age: Duration) -> bool {
    now.checked_sub(entry.checked)
        .is_some_and(|age| Duration::from_secs(age) < max_age)
}

/// Now, in seconds since 1970 (UTC).
pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Writes the cache file whole: to a temporary file beside it, synced, then renamed over it, so
/// an interrupted run leaves the previous cache.
fn save_cache(path: &Path, file: &CacheFile) -> Result<(), CacheError> {
    let write_error = |source| CacheError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes =
        serde_json::to_vec_pretty(file).map_err(|e| write_error(io::Error::other(e)))?;
    bytes.push(b'\n');
    let Some(name) = path.file_name() else {
        return Err(write_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "expected a file path",
        )));
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(write_error)?;
    }
    let mut temp_name = OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let written = fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(&bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(write_error)
}
