//! Class-based rendering of one block: its markup (caption, line numbers, marked lines) and the
//! spans of syntect's scopes, written as they open and close.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, RwLock};

use syntect::parsing::{
    BasicScopeStackOp, ParseState, ParsingError, Scope, ScopeError, ScopeStack, SyntaxReference,
    SyntaxSet,
};
use syntect::util::LinesWithEndings;

use super::{Fence, PREFIX};
use crate::html::escape;

/// A block as escaped text, with its options, for sites that turn highlighting off.
pub fn plain(fence: &Fence, code: &str) -> String {
    block(fence, fence.lang.as_deref(), code, None)
}

/// The markup of a block: `lang` names its language when known, `classes` colours it.
pub(super) fn block(
    fence: &Fence,
    lang: Option<&str>,
    code: &str,
    mut classes: Option<&mut Classes<'_>>,
) -> String {
    let mut html = String::with_capacity(code.len() * 8 + 160);
    if let Some(name) = &fence.name {
        let _ = write!(
            html,
            "<figure class=\"code-file\"><figcaption class=\"code-file__name\">{}</figcaption>",
            escape(name)
        );
    }
    let _ = write!(html, "<pre class=\"code {PREFIX}code\"");
    if let Some(lang) = lang {
        let _ = write!(html, " data-lang=\"{}\"", escape(lang));
    }
    html.push_str("><code");
    let mut class_names = Vec::new();
    if let Some(lang) = lang {
        class_names.push(format!("language-{}", escape(lang)));
    }
    if fence.linenos {
        class_names.push("code--linenos".to_string());
    }
    if !class_names.is_empty() {
        let _ = write!(html, " class=\"{}\"", class_names.join(" "));
    }
    html.push('>');
    let per_line = fence.linenos || !fence.hl_lines.is_empty();
    let marked = if per_line {
        fence.marked(code.lines().count())
    } else {
        Vec::new()
    };
    for (index, line) in LinesWithEndings::from(code).enumerate() {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        if per_line {
            html.push_str(if marked.get(index + 1) == Some(&true) {
                "<span class=\"code__line code__line--hl\">"
            } else {
                "<span class=\"code__line\">"
            });
        }
        match classes.as_deref_mut() {
            Some(classes) if per_line => {
                // Each line stands alone: the scopes open at its end close there and open
                // again on the next line, so a comment over two lines stays inside both.
                classes.reopen(&mut html);
                classes.line(line, text.len(), &mut html);
                classes.close(&mut html);
                html.push_str("</span>");
                html.push_str(newline);
            }
            Some(classes) => classes.line(line, line.len(), &mut html),
            None => {
                html.push_str(&escape(text));
                if per_line {
                    html.push_str("</span>");
                }
                html.push_str(newline);
            }
        }
    }
    if let (Some(classes), false) = (classes, per_line) {
        // Scopes still open at the end of the block (`source.rust` always is).
        classes.close(&mut html);
    }
    html.push_str("</code></pre>");
    if fence.name.is_some() {
        html.push_str("</figure>");
    }
    html.push('\n');
    html
}

/// Why a syntax failed on a block (a broken site syntax), as syntect said.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxFailure {
    /// The parser lost its way in the syntax's contexts.
    #[error(transparent)]
    Parse(#[from] ParsingError),
    /// The syntax restored scopes it had not cleared.
    #[error(transparent)]
    Scope(#[from] ScopeError),
}

/// Parses lines and writes them as classed spans.
pub(super) struct Classes<'s> {
    set: &'s SyntaxSet,
    parse: ParseState,
    stack: ScopeStack,
    tags: BlockTags<'s>,
    /// Why parsing failed, if it did; the block is then shown as plain text.
    pub(super) failure: Option<SyntaxFailure>,
}

impl<'s> Classes<'s> {
    pub(super) fn new(set: &'s SyntaxSet, syntax: &SyntaxReference, tags: &'s Tags) -> Self {
        Classes {
            set,
            parse: ParseState::new(syntax),
            stack: ScopeStack::new(),
            tags: BlockTags {
                shared: tags,
                known: HashMap::new(),
            },
            failure: None,
        }
    }

    /// Writes `line` up to byte `end` (before its newline, when lines are wrapped); scopes
    /// changing after `end` change at `end`.
    fn line(&mut self, line: &str, end: usize, html: &mut String) {
        if self.failure.is_some() {
            return;
        }
        let ops = match self.parse.parse_line(line, self.set) {
            Ok(ops) => ops,
            Err(error) => {
                self.failure = Some(error.into());
                return;
            }
        };
        let mut at = 0;
        for (index, op) in ops {
            let index = index.min(end);
            if index > at {
                html.push_str(&escape(&line[at..index]));
                at = index;
            }
            let applied = self.stack.apply_with_hook(&op, |basic, _| match basic {
                BasicScopeStackOp::Push(scope) => self.tags.open(scope, html),
                BasicScopeStackOp::Pop => html.push_str("</span>"),
            });
            if let Err(error) = applied {
                self.failure = Some(error.into());
                return;
            }
        }
        if end > at {
            html.push_str(&escape(&line[at..end]));
        }
    }

    /// Opens a span for every scope open now, at the start of a wrapped line.
    fn reopen(&mut self, html: &mut String) {
        for scope in self.stack.as_slice() {
            self.tags.open(*scope, html);
        }
    }

    /// Closes every span open now.
    fn close(&self, html: &mut String) {
        for _ in 0..self.stack.len() {
            html.push_str("</span>");
        }
    }
}

/// The opening tags of scopes (`<span class="hl-keyword hl-control">`), built once per
/// highlighter: building one takes the lock of syntect's scope names, which page workers share.
#[derive(Default)]
pub(super) struct Tags(RwLock<HashMap<Scope, Arc<str>>>);

impl Tags {
    fn get(&self, scope: Scope) -> Arc<str> {
        let known = self
            .0
            .read()
            .ok()
            .and_then(|tags| tags.get(&scope).cloned());
        known.unwrap_or_else(|| {
            let classes: Vec<String> = scope
                .build_string()
                .split('.')
                .map(|atom| format!("{PREFIX}{}", escape(atom)))
                .collect();
            let tag: Arc<str> = format!("<span class=\"{}\">", classes.join(" ")).into();
            if let Ok(mut tags) = self.0.write() {
                tags.insert(scope, tag.clone());
            }
            tag
        })
    }
}

/// The tags one block has used, so that writing a span takes no lock.
struct BlockTags<'s> {
    shared: &'s Tags,
    known: HashMap<Scope, Arc<str>>,
}

impl BlockTags<'_> {
    fn open(&mut self, scope: Scope, html: &mut String) {
        let shared = self.shared;
        html.push_str(self.known.entry(scope).or_insert_with(|| shared.get(scope)));
    }
}
