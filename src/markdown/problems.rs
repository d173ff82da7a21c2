//! The errors of one body, bounded: hostile input (thousands of broken calls) must not make
//! the build, or its report, quadratic.

use super::Input;
use crate::diagnostics::{Diagnostic, Location, Problem};

/// Problems reported for one body at most.
pub(super) const MAX_ERRORS: usize = 50;

/// Errors of one kind, in the order met; past [`MAX_ERRORS`] only the first one more is kept,
/// to say where the report stops.
#[derive(Default)]
pub(super) struct Problems(Vec<Diagnostic>);

impl Problems {
    /// Keeps a problem at byte `at` of the body unless this list is already full; the
    /// location is only worked out for problems kept.
    pub(super) fn report(&mut self, input: &Input<'_>, at: usize, problem: Problem) {
        if !self.is_full() {
            let location = Location::at_offset(input.path, input.body, at, input.body_line);
            self.0.push(Diagnostic::new(location, problem));
        }
    }

    /// Whether more reports would be dropped, so finding more is wasted work.
    pub(super) fn is_full(&self) -> bool {
        self.0.len() > MAX_ERRORS
    }
}

/// The lists joined in the order given, cut at [`MAX_ERRORS`] with a note saying so.
pub(super) fn joined(lists: impl IntoIterator<Item = Problems>) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = lists.into_iter().flat_map(|list| list.0).collect();
    if all.len() > MAX_ERRORS {
        all.truncate(MAX_ERRORS + 1);
        if let Some(first_left_out) = all.pop() {
            let note = Problem::Shortcode(format!(
                "more problems in this file; the first {MAX_ERRORS} are shown"
            ));
            all.push(Diagnostic::new(first_left_out.location, note));
        }
    }
    all
}
