//! The pipeline, in order: config → content → markdown → site model → render → output.

use std::time::Instant;

use rayon::prelude::*;

use crate::config::{BuildOptions, Config};
use crate::content::{self, Source};
use crate::diagnostics::{Diagnostic, Error, Location, Problem};
use crate::embeds::Embed;
use crate::highlight::Highlighter;
use crate::markdown::{self, Rendered, Snippets};
use crate::output::{self, Outputs};
use crate::render::{self, Renderer};
use crate::shortcodes::Call;
use crate::site::{self, SYNTAX_CSS_PATH, Site, output_file};
use crate::theme::Theme;

/// What a finished build produced.
#[derive(Debug)]
pub struct Built {
    /// The model the outputs were rendered from.
    pub site: Site,
    /// Every output file.
    pub outputs: Outputs,
    /// Milliseconds spent.
    pub millis: u128,
    /// Problems that did not fail the build, in file and line order.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site in memory: nothing is written.
///
/// Every stage runs on whatever input is valid, so one run reports the problems of all stages:
/// front matter, Markdown, duplicate URLs, templates and static files.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Error> {
    let started = Instant::now();
    let config = Config::load(options)?;
    let (sources, mut errors) = content::load(&config);
    let theme = Theme::load(&config)
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let mut renderer = theme.as_ref().and_then(|theme| {
        Renderer::new(theme, &config)
            .map_err(|mut e| errors.append(&mut e))
            .ok()
    });

    let published: Vec<Source> = sources
        .into_iter()
        .filter(|s| content::is_published(&s.front, &config))
        .collect();
    let snippets: &dyn Snippets = match renderer.as_ref() {
        Some(renderer) => renderer,
        None => &Unchecked,
    };
    let highlighter = match (config.highlight.enabled, config.root.join(SYNTAXES_DIR)) {
        (false, _) => None,
        (true, folder) if folder.is_dir() => Some(
            Highlighter::with_folder(&folder).unwrap_or_else(|(path, message)| {
                let path = path.strip_prefix(&config.root).unwrap_or(&path);
                errors.push(Diagnostic::new(
                    syntax_error_location(path, &message),
                    Problem::CodeBlock(format!("invalid syntax definition: {message}")),
                ));
                // The other code blocks are still checked.
                Highlighter::builtin()
            }),
        ),
        (true, _) => Some(Highlighter::builtin()),
    };
    let highlighter = match (highlighter, &options.code_cache) {
        (Some(highlighter), Some(cache)) => Some(highlighter.with_cache(cache.clone())),
        (highlighter, _) => highlighter,
    };
    let (rendered, mut markdown_errors, warnings) =
        render_markdown(published, &config, snippets, highlighter.as_ref());
    errors.append(&mut markdown_errors);
    let (site, mut url_errors) = site::build(config, rendered);
    errors.append(&mut url_errors);

    let mut outputs = Outputs::default();
    if let Some(renderer) = renderer.as_mut() {
        match render::render_site(&site, renderer) {
            Ok(rendered) => outputs = rendered,
            Err(mut e) => errors.append(&mut e),
        }
    }
    for (path, file) in theme.map(|t| t.static_files).unwrap_or_default() {
        // A theme's or site's own code colours replace the generated ones.
        if output_file(SYNTAX_CSS_PATH) == path {
            outputs.insert(SYNTAX_CSS_PATH, file.bytes);
            continue;
        }
        if !outputs.insert_file(&path, file.bytes) {
            errors.push(Diagnostic::new(
                Location::file(file.path),
                Problem::DuplicateUrl {
                    url: site.permalink(&path),
                    other: "a page the site generates (a static file may not replace it)"
                        .to_string(),
                },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(sorted(errors)));
    }
    Ok(Built {
        site,
        outputs,
        millis: started.elapsed().as_millis(),
        warnings: sorted(warnings),
    })
}

/// Builds the site and writes it to the output folder, replacing the previous build whole.
pub fn build(options: &BuildOptions) -> Result<Built, Error> {
    let built = build_in_memory(options)?;
    output::write_to_disk(&built.outputs, &built.site.config.output)?;
    Ok(built)
}

/// Stands in for the theme when it failed to load, so the Markdown stage can still report its
/// own problems: every shortcode is taken to exist and renders to nothing.
struct Unchecked;

impl Snippets for Unchecked {
    fn embed(&self, _: &Embed, _: &str) -> Result<String, String> {
        Ok(String::new())
    }

    fn shortcode(&self, _: &Call, _: &str, _: usize) -> Option<Result<String, String>> {
        Some(Ok(String::new()))
    }
}

/// Folder of a site's own `.sublime-syntax` files.
const SYNTAXES_DIR: &str = "syntaxes";

/// Renders every body: the rendered ones, the errors, the warnings.
fn render_markdown(
    sources: Vec<Source>,
    config: &Config,
    snippets: &dyn Snippets,
    highlighter: Option<&Highlighter>,
) -> (Vec<(Source, Rendered)>, Vec<Diagnostic>, Vec<Diagnostic>) {
    let results: Vec<Result<(Source, Rendered), Vec<Diagnostic>>> = sources
        .into_par_iter()
        .map(|source| {
            let lang = source.front.lang.as_deref().unwrap_or(&config.language);
            let rendered = markdown::render(&markdown::Input {
                path: &source.path,
                body: &source.body,
                body_line: source.body_line,
                base_path: config.base_path(),
                lang,
                snippets,
                highlighter,
            })?;
            Ok((source, rendered))
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for result in results {
        match result {
            Ok((source, mut body)) => {
                warnings.append(&mut body.warnings);
                rendered.push((source, body));
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    (rendered, errors, warnings)
}

/// syntect's YAML errors end with `at line L column C`.
fn syntax_error_location(path: &std::path::Path, message: &str) -> Location {
    let position = message.rsplit_once("at line ").and_then(|(_, rest)| {
        let (line, column) = rest.split_once(" column ")?;
        Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
    });
    match position {
        Some((line, column)) => Location::at(path, line, column),
        None => Location::file(path),
    }
}

/// Diagnostics in file and line order, so output is stable across parallel runs.
fn sorted(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
        ))
    });
    errors
}
