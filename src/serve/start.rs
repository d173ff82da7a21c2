//! The first build of a preview: the pipeline run in memory with the preview's address as
//! base URL, drafts included unless asked otherwise, kept as the incremental cache that later
//! saves update.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use super::Served;
use crate::config::{BuildOptions, Config};
use crate::diagnostics::Error;
use crate::incremental::Project;
use crate::output::Outputs;

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
    let mut project = Project::load_cached(&options)?;
    let mut outputs = Outputs::default();
    outputs.apply(project.render().map_err(Error::Input)?);
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
