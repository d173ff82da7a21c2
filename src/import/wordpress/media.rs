//! Media the imported sources reference, brought under `static/uploads/`: copied from a copy
//! of the old site's `wp-content/uploads/` (`--uploads DIR`), or downloaded from the old site
//! (`--download-media`: a few at a time, each tried three times); without either, they were
//! left pointing at the old host when the sources were planned, and are listed as missing.

use std::path::{Component, Path, PathBuf};

use super::plan::{MISSING, Plan};
use super::report::Report;
use super::{Options, Planned};

/// Copies every referenced medium found under `--uploads` into the plan, and downloads the
/// others with `--download-media`.
pub(super) fn gather(plan: &mut Plan, options: &Options, report: &mut Report) {
    let media = std::mem::take(&mut plan.media);
    let mut downloads = Vec::new();
    for (site_path, old) in media {
        if site_path.starts_with(MISSING) {
            report.media_missing.push(old);
            continue;
        }
        let Some(relative) = site_path.strip_prefix("/uploads/").and_then(plain) else {
            report.media_missing.push(old);
            continue;
        };
        let bytes = options
            .uploads
            .as_ref()
            .map(|dir| dir.join(&relative))
            .filter(|file| file.is_file())
            .and_then(|file| std::fs::read(file).ok());
        let path = Path::new("static").join("uploads").join(&relative);
        match bytes {
            Some(bytes) => {
                plan.files.push(Planned { path, bytes });
                report.media_copied += 1;
            }
            None if options.download_media => downloads.push((path, old)),
            None => report.media_missing.push(old),
        }
    }
    for (path, result) in download::all(downloads) {
        match result {
            Ok(bytes) => {
                plan.files.push(Planned { path, bytes });
                report.media_downloaded += 1;
            }
            Err((url, reason)) => {
                report.warn(format!("cannot download {url}: {reason}"));
                report.media_missing.push(url);
            }
        }
    }
}

/// Downloading media from the old site, with the HTTP client `kiosque check --external` uses.
#[cfg(feature = "external-links")]
mod download {
    use std::path::PathBuf;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Media downloaded at once: enough to hide latency, few enough for a small old host.
    const CONCURRENCY: usize = 4;
    /// Tries of one download before it is reported.
    const TRIES: u32 = 3;
    /// Largest medium downloaded.
    const MAX_BYTES: u64 = 64 * 1024 * 1024;

    /// A download's bytes, or its URL and why it failed.
    pub(super) type Downloaded = Result<Vec<u8>, (String, String)>;

    /// Downloads every (path, URL), a few at a time; results in the order given.
    pub(super) fn all(jobs: Vec<(PathBuf, String)>) -> Vec<(PathBuf, Downloaded)> {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .user_agent(concat!("kiosque/", env!("CARGO_PKG_VERSION"), " (import)"))
            .build()
            .new_agent();
        let queue = Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
        let done = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..CONCURRENCY {
                scope.spawn(|| {
                    // The guard is dropped before the download: the others go on meanwhile.
                    while let Some((place, (path, url))) =
                        queue.lock().ok().and_then(|mut q| q.pop())
                    {
                        let result = fetch(&agent, &url).map_err(|reason| (url, reason));
                        if let Ok(mut done) = done.lock() {
                            done.push((place, path, result));
                        }
                    }
                });
            }
        });
        let mut done = done.into_inner().unwrap_or_default();
        done.sort_by_key(|(place, _, _)| *place);
        done.into_iter()
            .map(|(_, path, result)| (path, result))
            .collect()
    }

    /// One medium, tried again after a failure that may pass (a timeout, a 5xx).
    fn fetch(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, String> {
        let mut last = String::new();
        for attempt in 0..TRIES {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200 << attempt));
            }
            match agent.get(url).call() {
                Ok(mut response) => {
                    return response
                        .body_mut()
                        .with_config()
                        .limit(MAX_BYTES)
                        .read_to_vec()
                        .map_err(|e| e.to_string());
                }
                Err(ureq::Error::StatusCode(status)) if status < 500 => {
                    return Err(format!("the old site answered {status}"));
                }
                Err(error) => last = error.to_string(),
            }
        }
        Err(last)
    }
}

/// Without the HTTP client (built without `external-links`), nothing can be downloaded.
#[cfg(not(feature = "external-links"))]
mod download {
    use std::path::PathBuf;

    /// A download's bytes, or its URL and why it failed.
    pub(super) type Downloaded = Result<Vec<u8>, (String, String)>;

    /// Every download fails, saying why.
    pub(super) fn all(jobs: Vec<(PathBuf, String)>) -> Vec<(PathBuf, Downloaded)> {
        let why = "this build of kiosque has no HTTP client (the external-links feature)";
        jobs.into_iter()
            .map(|(path, url)| (path, Err((url, why.to_string()))))
            .collect()
    }
}

/// A relative path of plain names only: no `..`, no root, nothing that leads out.
pub(super) fn plain(path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_path_buf())
        .filter(|p| p.components().next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_paths_stay_inside() {
        assert_eq!(plain("2025/02/a.jpg"), Some(PathBuf::from("2025/02/a.jpg")));
        for bad in ["../etc/passwd", "/etc/passwd", "2025/../../x", ""] {
            assert_eq!(plain(bad), None, "{bad}");
        }
    }
}
