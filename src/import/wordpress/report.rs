//! What an import did, for the terminal and for machines (`--format json`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::import::wxr::Item;

/// Missing media named one by one in the text report.
const SHOWN: usize = 20;

/// Counts of what was imported, skipped and left unconverted.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Report {
    /// Articles written, drafts and scheduled ones included.
    pub posts: usize,
    /// Standalone pages written.
    pub pages: usize,
    /// Of those, drafts (draft, pending, private or password-protected on WordPress).
    pub drafts: usize,
    /// Of those, scheduled (dated in the future).
    pub scheduled: usize,
    /// Items not imported, by reason (`trash`, `revision`, `nav_menu_item`…).
    pub skipped: BTreeMap<String, usize>,
    /// Author profiles written.
    pub authors: usize,
    /// Comments kept.
    pub comments: usize,
    /// Comments left out: spam, unapproved, trashed, pingbacks without `--with-pingbacks`.
    pub comments_skipped: usize,
    /// Media files copied from `--uploads`.
    pub media_copied: usize,
    /// Media files downloaded from the old site (`--download-media`).
    pub media_downloaded: usize,
    /// Media the sources reference that could not be brought, by old URL: the sources still
    /// point there.
    pub media_missing: Vec<String>,
    /// Shortcodes and blocks kept as HTML, by name, with how many and the first file.
    pub unconverted: BTreeMap<String, Unconverted>,
    /// Files written.
    pub written: usize,
    /// Files already there with the same content, left alone.
    pub unchanged: usize,
    /// Things the writer should know (password-protected posts made drafts).
    pub warnings: Vec<String>,
}

/// One kind of content the converter kept as HTML.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Unconverted {
    /// How many times.
    pub count: usize,
    /// The first source that has it.
    pub first: PathBuf,
}

impl Report {
    /// Notes a shortcode or block kept as HTML in `file`.
    pub(super) fn unconverted(&mut self, name: &str, file: &Path) {
        let entry = self
            .unconverted
            .entry(name.to_string())
            .or_insert_with(|| Unconverted {
                count: 0,
                first: file.to_path_buf(),
            });
        entry.count += 1;
    }

    /// Notes an item left out, and why.
    pub(super) fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
    }

    /// Notes something the writer should know.
    pub(super) fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    /// Counts an imported post or page.
    pub(super) fn count(&mut self, item: &Item, page: bool, draft: bool) {
        if page {
            self.pages += 1;
        } else {
            self.posts += 1;
        }
        self.drafts += usize::from(draft);
        self.scheduled += usize::from(item.status == "future" && !draft);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Imported {} posts ({} drafts, {} scheduled), {} pages, {} authors, {} comments \
             ({} left out)",
            self.posts,
            self.drafts,
            self.scheduled,
            self.pages,
            self.authors,
            self.comments,
            self.comments_skipped
        )?;
        writeln!(
            f,
            "Media: {} copied, {} downloaded, {} missing; files: {} written, {} unchanged",
            self.media_copied,
            self.media_downloaded,
            self.media_missing.len(),
            self.written,
            self.unchanged
        )?;
        for (reason, count) in &self.skipped {
            writeln!(f, "skipped: {count} {reason}")?;
        }
        for (name, unconverted) in &self.unconverted {
            writeln!(
                f,
                "kept as HTML: {name} ×{} (first in {})",
                unconverted.count,
                unconverted.first.display()
            )?;
        }
        // The first ones say enough in a terminal; the JSON report lists them all.
        for path in self.media_missing.iter().take(SHOWN) {
            writeln!(f, "missing media: {path} (still linked at the old host)")?;
        }
        if self.media_missing.len() > SHOWN {
            let more = self.media_missing.len() - SHOWN;
            writeln!(
                f,
                "missing media: {more} more (--format json lists them all)"
            )?;
        }
        if !self.media_missing.is_empty() {
            writeln!(
                f,
                "give --uploads a copy of the old wp-content/uploads/ to bring them"
            )?;
        }
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        Ok(())
    }
}
