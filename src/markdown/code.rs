//! Highlighting: a fenced or indented code block becomes the [`Highlighter`]'s HTML, one
//! event for the whole block. An unknown language is a warning and plain text, never a
//! failed build.
//!
//! [`Highlighter`]: crate::highlight::Highlighter

use pulldown_cmark::CodeBlockKind;

use super::Input;
use super::problems::MAX_ERRORS;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::highlight::{self, Fence, Outcome};

/// A code block as HTML, and whether the highlighter wrote it (so the page needs the code
/// stylesheet). Problems with it are added to `warnings`, at byte `at` of the body.
pub(super) fn block(
    input: &Input<'_>,
    kind: &CodeBlockKind<'_>,
    code: &str,
    at: usize,
    warnings: &mut Vec<Diagnostic>,
) -> (String, bool) {
    let (fence, problems) = match kind {
        CodeBlockKind::Indented => (Fence::default(), Vec::new()),
        CodeBlockKind::Fenced(info) => Fence::parse(info),
    };
    let Some(highlighter) = input.highlighter else {
        return (highlight::plain(&fence, code), false);
    };
    let highlighted = highlighter.highlight(&fence, code);
    let mut found: Vec<Problem> = problems.into_iter().map(Problem::CodeBlock).collect();
    match highlighted.outcome {
        Outcome::Done => {}
        Outcome::UnknownLanguage => found.push(Problem::UnknownLanguage(
            fence.lang.clone().unwrap_or_default(),
        )),
        Outcome::Failed(cause) => found.push(Problem::SyntaxFailed {
            lang: fence.lang.clone().unwrap_or_default(),
            cause,
        }),
    }
    for problem in found {
        if warnings.len() < MAX_ERRORS {
            let location = Location::at_offset(input.path, input.body, at, input.body_line);
            warnings.push(Diagnostic::warning(location, problem));
        }
    }
    (highlighted.html.to_string(), true)
}
