//! Where a new site is published, and the ready files `kiosque init --host` writes for it:
//! each builds with the Kiosque version that wrote it and publishes `public/`.

use std::fmt;

/// A host `kiosque init --host` writes a deploy recipe for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// GitHub Pages, through an Actions workflow and the official Pages actions.
    GithubPages,
    /// GitLab Pages, through `.gitlab-ci.yml`.
    GitlabPages,
    /// Netlify, through `netlify.toml`.
    Netlify,
    /// Cloudflare Pages, built on GitHub Actions and uploaded with Wrangler.
    CloudflarePages,
    /// Any server reached over SSH, with rsync.
    Rsync,
    /// An S3 bucket, with the AWS CLI.
    S3,
}

/// A file of a deploy recipe.
pub(super) struct RecipeFile {
    /// Path under the site root.
    pub(super) path: &'static str,
    /// Its text, with `@@VERSION@@` for the Kiosque version.
    pub(super) template: &'static str,
    /// Whether it is a script to run.
    pub(super) executable: bool,
}

impl Host {
    /// Every host, in the order `--help` and the questions list them.
    pub const ALL: [Host; 6] = [
        Host::GithubPages,
        Host::GitlabPages,
        Host::Netlify,
        Host::CloudflarePages,
        Host::Rsync,
        Host::S3,
    ];

    /// Its name on the command line (`--host github`).
    pub fn name(self) -> &'static str {
        match self {
            Host::GithubPages => "github",
            Host::GitlabPages => "gitlab",
            Host::Netlify => "netlify",
            Host::CloudflarePages => "cloudflare",
            Host::Rsync => "rsync",
            Host::S3 => "s3",
        }
    }

    /// The host of a command-line name.
    pub fn from_name(name: &str) -> Option<Host> {
        Host::ALL
            .into_iter()
            .find(|h| h.name().eq_ignore_ascii_case(name.trim()))
    }

    /// What it is, for the questions.
    pub fn description(self) -> &'static str {
        match self {
            Host::GithubPages => "GitHub Pages (an Actions workflow)",
            Host::GitlabPages => "GitLab Pages (.gitlab-ci.yml)",
            Host::Netlify => "Netlify (netlify.toml)",
            Host::CloudflarePages => "Cloudflare Pages (built on GitHub Actions)",
            Host::Rsync => "your own server, over SSH with rsync (deploy.sh)",
            Host::S3 => "an S3 bucket, with the AWS CLI (deploy.sh)",
        }
    }

    /// The files of its recipe.
    pub(super) fn files(self) -> Vec<RecipeFile> {
        let file = |path, template, executable| RecipeFile {
            path,
            template,
            executable,
        };
        match self {
            Host::GithubPages => vec![file(
                WORKFLOW,
                include_str!("files/deploy/github-pages.yml"),
                false,
            )],
            Host::GitlabPages => vec![file(
                ".gitlab-ci.yml",
                include_str!("files/deploy/gitlab-ci.yml"),
                false,
            )],
            Host::Netlify => vec![file(
                "netlify.toml",
                include_str!("files/deploy/netlify.toml"),
                false,
            )],
            Host::CloudflarePages => vec![file(
                WORKFLOW,
                include_str!("files/deploy/cloudflare-pages.yml"),
                false,
            )],
            Host::Rsync => vec![file(
                "deploy.sh",
                include_str!("files/deploy/rsync.sh"),
                true,
            )],
            Host::S3 => vec![file("deploy.sh", include_str!("files/deploy/s3.sh"), true)],
        }
    }
}

/// The GitHub Actions workflow of the GitHub and Cloudflare recipes.
const WORKFLOW: &str = ".github/workflows/publish.yml";

impl std::str::FromStr for Host {
    type Err = String;

    fn from_str(name: &str) -> Result<Host, String> {
        Host::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Host::ALL.iter().map(|h| h.name()).collect();
            format!("expected one of {}", names.join(", "))
        })
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
