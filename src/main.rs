//! The `kiosque` command: parses arguments, runs the library, prints diagnostics.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use kiosque::{BuildOptions, Diagnostic, Error};

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
    },
    /// Create a new file from a template.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
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
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                future,
                now: None,
                code_cache: None,
            };
            build(&options)
        }
        Command::New {
            what: NewCommand::Article { title, root },
        } => new_article(&root, &title),
    }
}

fn build(options: &BuildOptions) -> ExitCode {
    let result = kiosque::build_in_memory(options).and_then(|built| {
        let started = Instant::now();
        kiosque::output::write_to_disk(&built.outputs, &built.site.config.output)?;
        Ok((built, started.elapsed().as_millis()))
    });
    match result {
        Ok((built, write_millis)) => {
            for warning in &built.warnings {
                print_diagnostic(warning, &options.root);
            }
            println!(
                "Built {} articles into {} ({} files, {:.1} MB): rendered in {} ms, written in {} ms",
                built.site.articles.len(),
                built.site.config.output.display(),
                built.outputs.len(),
                built.outputs.total_bytes() as f64 / 1_000_000.0,
                built.millis,
                write_millis,
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error, &options.root);
            ExitCode::FAILURE
        }
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
    let location = &diagnostic.location;
    let Some(line_number) = location.line else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(root.join(&location.path)) else {
        return;
    };
    let Some(line) = text.lines().nth(line_number.saturating_sub(1)) else {
        return;
    };
    let gutter = line_number.to_string().len();
    eprintln!("{:gutter$} |", "");
    eprintln!("{line_number} | {line}");
    if let Some(column) = location.column {
        let pad: String = line
            .chars()
            .take(column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        eprintln!("{:gutter$} | {pad}^", "");
    }
    eprintln!();
}

fn new_article(root: &Path, title: &str) -> ExitCode {
    let slug = kiosque::slug::slugify(title);
    if slug.is_empty() {
        eprintln!("error: the title `{title}` has no letter or digit to make a file name from");
        return ExitCode::FAILURE;
    }
    let now = jiff::Zoned::now();
    let dir = root.join("content").join(now.year().to_string());
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        eprintln!("error: {} already exists", path.display());
        return ExitCode::FAILURE;
    }
    let front_matter = format!(
        "---\ntitle: {}\ndate: {}\ndraft: true\ntags: []\ndescription: \"\"\n---\n\n",
        serde_json::to_string(title).unwrap_or_default(),
        now.strftime("%Y-%m-%dT%H:%M:%S%:z"),
    );
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, front_matter)) {
        Ok(()) => {
            println!("Created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot create {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}
