//! The first build of a preview: the pipeline run with the preview's address as base URL,
//! drafts included unless asked otherwise, kept in memory as the incremental cache that later
//! saves update; the pages it renders are kept on disk for the next preview.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use super::Served;
use crate::build::store::Store;
use crate::cache::{BuildCache, Keeper, SERVE_CACHE};
use crate::config::{BuildOptions, Config};
use crate::diagnostics::Error;
use crate::incremental::Project;
use crate::output::{Body, Outputs, Patch, Previous, Staging};

/// A site built for previewing, ready to serve and to follow saves.
pub struct Started {
    /// The incremental cache the watcher updates.
    pub project: Project,
    /// What the server serves first.
    pub served: Served,
    /// The preview's address, with the site's base path.
    pub url: String,
    /// Milliseconds the first build took.
    pub millis: u128,
}

/// Builds the site at `root` for a preview served at `addr`.
pub fn first_build(root: PathBuf, drafts: bool, addr: SocketAddr) -> Result<Started, Error> {
    let mut options = BuildOptions {
        root,
        drafts,
        ..BuildOptions::default()
    };
    // Links keep the site's path (`/news/`) but point at the preview.
    let path = Config::load(&options)
        .map(|config| config.base_path().to_string())
        .unwrap_or_else(|_| "/".to_string());
    let url = format!("http://{addr}{path}");
    options.base_url = Some(url.clone());
    options.code_cache = Some(Default::default());
    let started = Instant::now();
    let mut cache = BuildCache::open_in(&options.root, SERVE_CACHE);
    let mut project = Project::load_in(&options, &mut cache)?;
    let mut outputs = Outputs::default();
    outputs.apply(render_first(&mut project, &mut cache, addr.port())?);
    let served = Served {
        base_path: project.site().config.base_path().to_string(),
        outputs,
    };
    Ok(Started {
        project,
        served,
        url,
        millis: started.elapsed().as_millis(),
    })
}

/// The first render of a preview. The pages it renders are kept on disk, in a folder of the
/// preview's cache for its port (their links lead to it), as a build keeps its output; the
/// next preview on that port links those whose fingerprint did not change instead of
/// rendering them, and serves them from there. At 10,000 articles, rendering every page
/// was most of a preview's start.
fn render_first(project: &mut Project, cache: &mut BuildCache, port: u16) -> Result<Patch, Error> {
    let target = project
        .root()
        .join(SERVE_CACHE)
        .join(format!("pages-{port}"));
    // A site the preview cannot write to (a read-only copy) is still previewed, from memory.
    let Ok(staging) = Staging::open(&target, Previous::Spare) else {
        return project.render().map_err(Error::Input);
    };
    let keeper = Keeper::new(cache.take_record(), &target, project.settings());
    let store = Store {
        keeper: Some(&keeper),
        staging: Some(&staging),
        precompress: false,
    };
    let mut patch = project.render_storing(Some(store)).map_err(Error::Input)?;
    let mut pages = Outputs::default();
    for (path, body) in &patch.files {
        if let Body::Written(_) | Body::Link(_) = body {
            pages.insert_file(path, body.clone());
        }
    }
    staging.finish(&pages)?;
    for (path, body) in &mut patch.files {
        if let Body::Written(_) = body {
            *body = Body::Copy(target.join(path.as_str()));
        }
    }
    // The cache only ever speeds up: one that cannot be written is made again next time.
    let _ = cache.save(&keeper.record());
    Ok(patch)
}
