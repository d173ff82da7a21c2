//! Template compilation that reports every broken template of a build, each at its file, line
//! and column, rather than Tera's first error only.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, Location, Problem, error_chain};
use crate::theme::{TemplateFile, Theme, builtin_template};

/// Compiles every template of the theme into `tera`, which has its filters and functions.
pub(super) fn compile(tera: &mut Tera, theme: &Theme) -> Result<(), Vec<Diagnostic>> {
    let sources: BTreeMap<&str, &str> = theme
        .templates
        .values()
        .map(|t| (t.name.as_str(), t.source.as_str()))
        .collect();
    if tera
        .add_raw_templates(sources.iter().map(|(n, s)| (*n, *s)))
        .is_ok()
    {
        return Ok(());
    }
    let locate = Locator::new(theme);

    // Syntax errors show when a template is parsed alone; other errors need the whole set.
    let mut errors = Vec::new();
    let mut candidates = sources.clone();
    for (name, source) in &sources {
        let mut alone = tera.clone();
        if let Err(error) = alone.add_raw_template(name, source)
            && matches!(error.kind(), ErrorKind::SyntaxError(_))
        {
            errors.extend(locate.error(&error, None));
            // A replacement keeps the templates that extend or include this one checkable.
            match builtin_template(name) {
                Some(builtin) => candidates.insert(name, builtin),
                None => candidates.remove(name),
            };
        }
    }
    // Each round drops the template an inheritance error names, until the rest compiles.
    for _ in 0..=sources.len() {
        let mut attempt = tera.clone();
        let Err(error) = attempt.add_raw_templates(candidates.iter().map(|(n, s)| (*n, *s))) else {
            break;
        };
        errors.extend(locate.error(&error, None));
        match error.kind() {
            ErrorKind::MissingParent { current, .. } => {
                candidates.remove(current.as_str());
            }
            ErrorKind::SyntaxError(report) => {
                candidates.remove(report.filename());
            }
            _ => break,
        }
    }
    Err(errors)
}

/// Turns Tera errors into diagnostics that name the template's file.
pub(super) struct Locator {
    templates: BTreeMap<String, TemplateFile>,
}

impl Locator {
    pub(super) fn new(theme: &Theme) -> Self {
        Locator {
            templates: theme.templates.clone(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.templates
            .get(name)
            .map_or_else(|| PathBuf::from("templates").join(name), |t| t.path.clone())
    }

    /// Every problem in a Tera error; `page` says which output was being rendered.
    pub(super) fn error(&self, error: &tera::Error, page: Option<&str>) -> Vec<Diagnostic> {
        let context = page
            .map(|p| format!(" (while rendering {p})"))
            .unwrap_or_default();
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                vec![Diagnostic::new(
                    Location::at(
                        self.path(report.filename()),
                        span.start_line,
                        span.start_col + 1,
                    ),
                    Problem::Template(format!("{}{context}", report.message())),
                )]
            }
            ErrorKind::MissingParent { current, parent } => {
                let location = match self.templates.get(current.as_str()) {
                    Some(t) => match t.source.find(parent.as_str()) {
                        Some(offset) => Location::at_offset(&t.path, &t.source, offset, 1),
                        None => Location::file(&t.path),
                    },
                    None => Location::file(self.path(current)),
                };
                vec![Diagnostic::new(
                    location,
                    Problem::UnknownTemplate(parent.clone()),
                )]
            }
            ErrorKind::TemplateNotFound(name) => {
                vec![Diagnostic::new(
                    Location::file(self.path(name)),
                    Problem::UnknownTemplate(name.clone()),
                )]
            }
            _ => {
                let message = error_chain(error);
                let located = parse_reports(&message, |name| self.path(name));
                if located.is_empty() {
                    vec![Diagnostic::new(
                        Location::file("templates"),
                        Problem::Template(format!("{message}{context}")),
                    )]
                } else {
                    located
                }
            }
        }
    }
}

/// Tera folds its reference checks (unknown template, filter, test, function, block) into one
/// text of reports, `error: MESSAGE` then ` --> NAME:LINE:COLUMN`; this reads them back.
fn parse_reports(text: &str, path: impl Fn(&str) -> PathBuf) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(at) = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = at.rsplitn(3, ':');
        let (Some(column), Some(line_number), Some(name)) =
            (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line_number), Ok(column)) = (line_number.parse(), column.parse()) else {
            continue;
        };
        let problem = match message
            .strip_prefix("Unknown template `")
            .and_then(|m| m.strip_suffix('`'))
        {
            Some(template) => Problem::UnknownTemplate(template.to_string()),
            None => Problem::Template(message.to_string()),
        };
        diagnostics.push(Diagnostic::new(
            Location::at(path(name), line_number, column),
            problem,
        ));
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn reads_folded_reports_back() {
        let text = "error: Unknown template `partials/absent.html`\n --> tags.html:3:12\n  |\n3 | {% include \"partials/absent.html\" %}\n  |            ^^^^\n\nerror: Unknown filter `nope`\n --> article.html:7:24\n  |";
        let found = parse_reports(text, |name| Path::new("templates").join(name));
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2);
        assert!(
            shown[0].starts_with(
                "templates/tags.html:3:12: error: template `partials/absent.html` not found"
            ),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].starts_with(
                "templates/article.html:7:24: error: template error: Unknown filter `nope`"
            ),
            "{}",
            shown[1]
        );
    }
}
