//! The `kiosque` command: parses arguments, runs the library, prints diagnostics.

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use kiosque::serve::Rebuilt;
use kiosque::{BuildOptions, Diagnostic, Error};

/// The allocator: see `mimalloc` in Cargo.toml for the figures that chose it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kiosque",
    version,
    about = "A static site generator for tech-news sites"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Site root, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: public/ under the root).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace base_url from site.toml (e.g. for a staging host).
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked draft: true.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future.
        #[arg(long)]
        future: bool,
        /// Neither use nor write the build cache (.kiosque-cache/build/): render everything
        /// and write every file.
        #[arg(long)]
        no_cache: bool,
    },
    /// Build the site in memory, drafts included, and preview it over HTTP.
    Serve {
        /// Site root, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to try first; the next free one is taken if it is busy.
        #[arg(long, default_value_t = kiosque::serve::DEFAULT_PORT)]
        port: u16,
        /// Address to listen on; 0.0.0.0 shows the preview to the whole network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Leave drafts out, as `build` does.
        #[arg(long)]
        no_drafts: bool,
    },
    /// Build the site in memory, write nothing, and report broken links, missing images,
    /// missing alt text, duplicate titles and front matter worth a look; exit 1 on any error.
    Check {
        /// Site root, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
        /// Check articles dated in the future as if published.
        #[arg(long)]
        future: bool,
        /// How to print the report: `text` like a compiler, or `json` for CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also request every link to another site (results kept for a day in
        /// .kiosque-cache/links.json under the root).
        #[arg(long)]
        external: bool,
        /// With --external: most requests in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// With --external: least milliseconds between two requests to one host.
        #[arg(long, default_value_t = 500)]
        host_interval: u64,
        /// With --external: seconds before a request is given up.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
    },
    /// Create a new site in DIR (the current folder by default): settings, a first article,
    /// an author, the about and legal pages, and the deploy files for --host.
    Init {
        /// Folder of the new site; created if missing, refused if it holds files.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Name of the site (asked in a terminal when not given).
        #[arg(long)]
        title: Option<String>,
        /// Language of the site, a BCP 47 tag: fr, en, en-GB… (asked when not given).
        #[arg(long)]
        language: Option<String>,
        /// Address the site will be served at (asked when not given).
        #[arg(long)]
        base_url: Option<String>,
        /// IANA time zone of the site's dates (default: the system's, else UTC).
        #[arg(long)]
        timezone: Option<String>,
        /// Write the deploy files for this host (asked when not given).
        #[arg(long)]
        host: Option<kiosque::init::Host>,
        /// Add the site's files to a folder that holds others; no file is ever replaced.
        #[arg(long)]
        force: bool,
    },
    /// Create a new file from a template.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Bring another system's site over as sources of this one.
    Import {
        #[command(subcommand)]
        from: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Read a WordPress export (Tools → Export) and write its posts, pages, authors,
    /// comments and media as sources of the site; nothing is written if anything fails.
    Wordpress {
        /// The export file (WXR).
        export: PathBuf,
        /// Site root to import into (its site.toml is written from the export when missing).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// A copy of the old site's wp-content/uploads/ folder, to copy the media from.
        #[arg(long)]
        uploads: Option<PathBuf>,
        /// Download from the old site the media --uploads does not have.
        #[arg(long)]
        download_media: bool,
        /// Keep pingbacks and trackbacks with the comments.
        #[arg(long)]
        with_pingbacks: bool,
        /// Replace files that exist with other content.
        #[arg(long)]
        force: bool,
        /// How to print the report: `text`, or `json` for scripts.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// How `kiosque check` prints its report.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum NewCommand {
    /// Create content/<year>/<slug>.md with front matter for a new draft article.
    Article {
        /// Title of the article.
        title: String,
        /// Site root, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Language of the article, when not the site's.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Create content/pages/<slug>.md with front matter for a new draft page.
    Page {
        /// Title of the page.
        title: String,
        /// Site root, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Language of the page, when not the site's.
        #[arg(long)]
        lang: Option<String>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            no_cache,
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                future,
                now: None,
                code_cache: None,
                cache: !no_cache,
                hashed_assets: true,
            };
            build(&options)
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            no_drafts,
        } => serve(root, bind, port, open, !no_drafts),
        Command::Check {
            root,
            drafts,
            future,
            format,
            external,
            concurrency,
            host_interval,
            timeout,
        } => {
            if external && !kiosque::check::external::AVAILABLE {
                eprintln!("error: {}", kiosque::check::external::UNAVAILABLE);
                return ExitCode::FAILURE;
            }
            let external = external.then(|| kiosque::check::external::Settings {
                concurrency,
                per_host_interval: Duration::from_millis(host_interval),
                timeout: Duration::from_secs(timeout),
                cache: Some(root.join(kiosque::check::LINK_CACHE)),
                ..Default::default()
            });
            let options = kiosque::check::CheckOptions {
                build: BuildOptions {
                    root,
                    drafts,
                    future,
                    hashed_assets: true,
                    ..BuildOptions::default()
                },
                external,
            };
            check(&options, format)
        }
        Command::Init {
            dir,
            title,
            language,
            base_url,
            timezone,
            host,
            force,
        } => init(
            kiosque::init::Asked {
                dir,
                title,
                language,
                base_url,
                timezone,
                host,
            },
            force,
        ),
        Command::New { what } => {
            let (made, root) = match what {
                NewCommand::Article { title, root, lang } => (
                    kiosque::init::new_article(&root, &title, lang.as_deref()),
                    root,
                ),
                NewCommand::Page { title, root, lang } => (
                    kiosque::init::new_page(&root, &title, lang.as_deref()),
                    root,
                ),
            };
            new_file(made, &root)
        }
        Command::Import {
            from:
                ImportCommand::Wordpress {
                    export,
                    root,
                    uploads,
                    download_media,
                    with_pingbacks,
                    force,
                    format,
                },
        } => {
            let options = kiosque::import::wordpress::Options {
                export,
                root,
                uploads,
                download_media,
                with_pingbacks,
                force,
            };
            import_wordpress(&options, format)
        }
    }
}

/// Runs `kiosque import wordpress` and prints its report.
fn import_wordpress(options: &kiosque::import::wordpress::Options, format: Format) -> ExitCode {
    match kiosque::import::wordpress::import(options) {
        Ok(report) => {
            match format {
                Format::Text => print!("{report}"),
                Format::Json => match serde_json::to_string_pretty(&report) {
                    Ok(json) => println!("{json}"),
                    Err(e) => eprintln!("error: cannot print the report: {e}"),
                },
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", kiosque::diagnostics::error_chain(&error));
            if let kiosque::import::wordpress::ImportError::Config(diagnostics) = &error {
                for diagnostic in diagnostics {
                    print_diagnostic(diagnostic, &options.root);
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// Builds in memory with the preview's address as base URL, then serves until Ctrl-C.
fn serve(root: PathBuf, bind: IpAddr, port: u16, open: bool, drafts: bool) -> ExitCode {
    let listener = match kiosque::serve::bind(bind, port) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {bind} from port {port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(addr) = listener.local_addr() else {
        eprintln!("error: the listening socket has no address");
        return ExitCode::FAILURE;
    };
    let started = match kiosque::serve::first_build(root.clone(), drafts, addr) {
        Ok(started) => started,
        Err(error) => {
            report(&error, &root);
            return ExitCode::FAILURE;
        }
    };
    for warning in &started.project.warnings() {
        print_diagnostic(warning, &root);
    }
    if bind.is_unspecified() {
        eprintln!(
            "warning: listening on all interfaces: anyone on this network can read the preview, drafts included"
        );
    }
    let (url, millis, pages) = (started.url, started.millis, started.served.outputs.len());
    let server = match kiosque::serve::Server::start(listener, started.served) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot start the preview server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let preview = kiosque::serve::preview(started.project, server, move |rebuilt| match rebuilt {
        Rebuilt::Done {
            changed,
            rendered,
            files,
            millis,
        } => {
            // A rebuild with nothing changed is the background's photos being ready.
            let what = match changed.as_slice() {
                [] => "photos processed".to_string(),
                [one] => format!("{} changed", one.display()),
                [first, rest @ ..] => {
                    format!("{} and {} more changed", first.display(), rest.len())
                }
            };
            // A closed terminal must not stop the rebuilds.
            let _ = writeln!(
                std::io::stdout(),
                "{what}: {rendered} rendered, {files} files updated in {millis} ms"
            );
        }
        Rebuilt::Failed(diagnostics) => {
            for diagnostic in diagnostics {
                print_diagnostic(diagnostic, &root);
            }
            eprintln!("error: rebuild failed; still serving the last good build");
        }
    });
    let preview = match preview {
        Ok(preview) => preview,
        Err(e) => {
            eprintln!("error: cannot watch the site for changes: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Serving {pages} files at {url} (built in {millis} ms), rebuilding on changes; Ctrl-C to stop"
    );
    if open {
        open_in_browser(&url);
    }
    match preview.run_until_interrupted() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the preview server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}

fn build(options: &BuildOptions) -> ExitCode {
    match kiosque::build::build(options) {
        Ok(built) => {
            for warning in &built.warnings {
                print_diagnostic(warning, &options.root);
            }
            let kept = match built.outputs.kept() {
                0 => String::new(),
                kept => format!(", {kept} unchanged"),
            };
            let languages = built.languages.iter();
            let articles =
                built.site.articles.len() + languages.map(|s| s.articles.len()).sum::<usize>();
            let plural = if articles == 1 { "" } else { "s" };
            println!(
                "Built {articles} article{plural} into {} ({} files{kept}, {:.1} MB): rendered in {} ms, written in {} ms",
                built.site.config.output.display(),
                built.outputs.len(),
                built.outputs.total_bytes() as f64 / 1_000_000.0,
                built.millis,
                built.written_millis,
            );
            let images = built.images;
            if images.pictures > 0 {
                println!(
                    "Images: {} shown, {} processed ({} encodes), {} from the cache",
                    images.pictures,
                    images.processed,
                    images.encodes,
                    images.pictures.saturating_sub(images.processed),
                );
            }
            // The process ends here: freeing the model and outputs of 10,000 articles one by
            // one would take a tenth of a second that the system does at once.
            std::mem::forget(built);
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error, &options.root);
            ExitCode::FAILURE
        }
    }
}

/// Runs `kiosque check` and prints its report; fails on any error.
fn check(options: &kiosque::check::CheckOptions, format: Format) -> ExitCode {
    let root = &options.build.root;
    let report = match kiosque::check::check(options) {
        Ok(report) => report,
        Err(error) => {
            if format == Format::Json
                && let Error::Input(diagnostics) = &error
            {
                let report = kiosque::check::Report {
                    diagnostics: diagnostics.clone(),
                    ..Default::default()
                };
                println!("{:#}", report.to_json());
            } else {
                report(&error, root);
            }
            return ExitCode::FAILURE;
        }
    };
    match format {
        Format::Json => println!("{:#}", report.to_json()),
        Format::Text => {
            for diagnostic in &report.diagnostics {
                print_diagnostic(diagnostic, root);
            }
            let plural =
                |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
            let external = if options.external.is_some() {
                format!(
                    ", {} to other sites ({} requests, {} from the cache)",
                    plural(report.external_links, "link"),
                    report.requests,
                    report.from_cache
                )
            } else {
                String::new()
            };
            println!(
                "Checked {}, {}{external}: {}, {}",
                plural(report.articles, "article"),
                plural(report.pages, "page"),
                plural(report.errors(), "error"),
                plural(report.warnings(), "warning"),
            );
        }
    }
    if report.errors() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints each problem like a compiler: location, message, then the offending line.
fn report(error: &Error, root: &Path) {
    match error {
        Error::Input(diagnostics) => {
            for diagnostic in diagnostics {
                print_diagnostic(diagnostic, root);
            }
            eprintln!("error: build failed: {error}; nothing was written");
        }
        Error::Output { .. } => {
            eprintln!("error: {}", kiosque::diagnostics::error_chain(error));
        }
    }
}

fn print_diagnostic(diagnostic: &Diagnostic, root: &Path) {
    eprintln!("{diagnostic}");
    if let Some(excerpt) = diagnostic.excerpt(root) {
        eprintln!("{excerpt}");
    }
}

/// Runs `kiosque init`: the questions, then the files.
fn init(asked: kiosque::init::Asked, force: bool) -> ExitCode {
    match kiosque::init::init(asked, force, jiff::Timestamp::now()) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", kiosque::diagnostics::error_chain(&error));
            ExitCode::FAILURE
        }
    }
}

/// Reports the file `kiosque new` made.
fn new_file(made: Result<PathBuf, kiosque::init::NewError>, root: &Path) -> ExitCode {
    match made {
        Ok(path) => {
            println!("Created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            if let kiosque::init::NewError::Config(diagnostics) = &error {
                for diagnostic in diagnostics {
                    print_diagnostic(diagnostic, root);
                }
            }
            eprintln!("error: {}", kiosque::diagnostics::error_chain(&error));
            ExitCode::FAILURE
        }
    }
}
