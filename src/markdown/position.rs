//! Where a byte of a body is in its file, for everything the Markdown stage records.
//!
//! Links, images and calls are met in the order they are written, so a cursor that moves
//! from the last offset it gave keeps a body with thousands of links linear, where computing
//! each location from the top of the body would make it quadratic.

use std::path::Path;

use crate::diagnostics::Location;

/// A cursor over a body turning byte offsets into file locations.
pub(super) struct Positions<'a> {
    path: &'a Path,
    body: &'a str,
    /// Line of the file where the body starts.
    first_line: usize,
    /// Offset of the last location given, and its 1-based line (in the body) and column.
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> Positions<'a> {
    /// A cursor at the top of `body`, whose first line is line `first_line` of `path`.
    pub(super) fn new(path: &'a Path, body: &'a str, first_line: usize) -> Self {
        Positions {
            path,
            body,
            first_line,
            at: 0,
            line: 1,
            column: 1,
        }
    }

    /// The location of byte `offset`, column counted in characters, as
    /// [`Location::at_offset`] gives it.
    pub(super) fn locate(&mut self, offset: usize) -> Location {
        let mut offset = offset.min(self.body.len());
        while !self.body.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset >= self.at {
            let between = &self.body[self.at..offset];
            match between.rfind('\n') {
                Some(last) => {
                    self.line += between.matches('\n').count();
                    self.column = between[last + 1..].chars().count() + 1;
                }
                None => self.column += between.chars().count(),
            }
        } else {
            // An image inside a link comes after the link's address: a short step back.
            self.line -= self.body[offset..self.at].matches('\n').count();
            let line_start = self.body[..offset].rfind('\n').map_or(0, |i| i + 1);
            self.column = self.body[line_start..offset].chars().count() + 1;
        }
        self.at = offset;
        Location::at(self.path, self.first_line + self.line - 1, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_agrees_with_a_search_from_the_top_both_ways() {
        let path = Path::new("content/a.md");
        let body = "Été\r\n\r\nà «b» 😀 c\nd\r\n";
        let mut cursor = Positions::new(path, body, 7);
        let forward = 0..=body.len() + 2;
        let offsets = forward
            .clone()
            .chain(forward.rev())
            .chain([3, 12, 1, 20, 0]);
        for offset in offsets {
            assert_eq!(
                cursor.locate(offset),
                Location::at_offset(path, body, offset, 7),
                "at {offset}"
            );
        }
    }
}
