//! Rendering of one block: its markup (caption, line numbers, marked lines) and its text in
//! flat spans, one for each run of text that one of the two themes colours differently from
//! its plain text, classed by the themes' palettes (`themes.rs`).
//!
//! Each theme resolves the style of every token from its whole scope stack, as syntect does,
//! so the page shows what the theme means and not what a cascade of scope classes makes of
//! it. Scopes no theme styles, nesting and empty spans do not reach the page.

use std::fmt::Write;
use std::sync::MutexGuard;

use syntect::highlighting::{Highlighter as Resolver, Style};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, ParsingError, ScopeError, ScopeStack, ScopeStackOp,
    SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

use super::themes::{Resolved, Themes};
use super::{Fence, PREFIX};
use crate::html::escape;

/// A block as escaped text, with its options, for sites that turn highlighting off.
pub fn plain(fence: &Fence, code: &str) -> String {
    block(fence, fence.lang.as_deref(), code, None)
}

/// The markup of a block: `lang` names its language when known, `colours` colours it.
pub(super) fn block(
    fence: &Fence,
    lang: Option<&str>,
    code: &str,
    mut colours: Option<&mut Colours<'_>>,
) -> String {
    let mut html = String::with_capacity(code.len() * 3 + 160);
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
        match colours.as_deref_mut() {
            Some(colours) if per_line => {
                // Each line stands alone: a run still going at its end closes there, and the
                // next line opens its own, so a comment over two lines is coloured in both.
                colours.line(line, text.len(), &mut html);
                colours.close(&mut html);
                html.push_str("</span>");
                html.push_str(newline);
            }
            Some(colours) => colours.line(line, line.len(), &mut html),
            None => {
                html.push_str(&escape(text));
                if per_line {
                    html.push_str("</span>");
                }
                html.push_str(newline);
            }
        }
    }
    if let (Some(colours), false) = (colours, per_line) {
        colours.close(&mut html);
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

/// Parses lines and writes them as runs of text in spans classed by both themes.
pub(super) struct Colours<'s> {
    set: &'s SyntaxSet,
    parse: ParseState,
    /// The scopes open; a syntax that closes a scope it never opened fails the block.
    stack: ScopeStack,
    themes: &'s Themes,
    light: Resolver<'s>,
    dark: Resolver<'s>,
    /// The light and dark styles of each scope open, the themes' defaults first.
    styles: Vec<(Style, Style)>,
    /// The styles of the scope stacks met so far (see [`Themes::resolved`]).
    resolved: MutexGuard<'s, Resolved>,
    /// The light and dark styles of the span open now, if one is.
    open: Option<(Style, Style)>,
    /// Why parsing failed, if it did; the block is then shown as plain text.
    pub(super) failure: Option<SyntaxFailure>,
}

impl<'s> Colours<'s> {
    /// Ready for the first line of a block in `syntax`.
    pub(super) fn new(set: &'s SyntaxSet, syntax: &SyntaxReference, themes: &'s Themes) -> Self {
        let light = Resolver::new(&themes.light);
        let dark = Resolver::new(&themes.dark);
        Colours {
            set,
            parse: ParseState::new(syntax),
            stack: ScopeStack::new(),
            themes,
            styles: vec![(light.get_default(), dark.get_default())],
            resolved: themes.resolved(),
            light,
            dark,
            open: None,
            failure: None,
        }
    }

    /// Writes `line` up to byte `end` (before its newline, when lines are wrapped).
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
        // Each piece of the line runs up to the next scope change, in the styles of the
        // scopes open before it (as syntect's highlighting iterator cuts it).
        let mut start = 0;
        let last = (line.len(), ScopeStackOp::Noop);
        for (at, op) in ops.iter().chain(std::iter::once(&last)) {
            let styles = self.styles.last().copied();
            let styles = styles.unwrap_or((self.light.get_default(), self.dark.get_default()));
            if start < *at && start < end {
                self.write(&line[start..(*at).min(end)], styles, html);
            }
            start = *at;
            if let Err(error) = self.apply(op) {
                self.failure = Some(error.into());
                return;
            }
        }
    }

    /// Applies a scope change to the stack and to the styles of the scopes open.
    fn apply(&mut self, op: &ScopeStackOp) -> Result<(), ScopeError> {
        let (styles, resolved) = (&mut self.styles, &mut *self.resolved);
        let (light, dark) = (&self.light, &self.dark);
        self.stack.apply_with_hook(op, |basic, stack| match basic {
            BasicScopeStackOp::Push(_) => {
                let known = resolved.get(stack).copied();
                let pair = known.unwrap_or_else(|| {
                    let pair = (light.style_for_stack(stack), dark.style_for_stack(stack));
                    resolved.insert(stack.to_vec(), pair);
                    pair
                });
                styles.push(pair);
            }
            BasicScopeStackOp::Pop => {
                styles.pop();
            }
        })
    }

    /// Writes `text` in the light and dark `styles`, in the span open if it has them, or if
    /// `text` is white space on which neither shows; else in a new span, or none for plain text.
    fn write(&mut self, text: &str, styles: (Style, Style), html: &mut String) {
        let themes = self.themes;
        let (light, dark) = (&themes.light_palette, &themes.dark_palette);
        let blank = |(l, d): (Style, Style)| light.blank_on_space(l) && dark.blank_on_space(d);
        let wanted = (styles != (light.default, dark.default)).then_some(styles);
        let joins =
            blank(styles) && self.open.is_none_or(blank) && text.chars().all(char::is_whitespace);
        if !joins && wanted != self.open {
            self.close(html);
            if let Some((l, d)) = wanted {
                html.push_str("<span class=\"");
                let start = html.len();
                light.classes(l, html);
                dark.classes(d, html);
                // Each class came after a space; the first needs none.
                html.remove(start);
                html.push_str("\">");
                self.open = wanted;
            }
        }
        html.push_str(&escape(text));
    }

    /// Closes the span open now, if one is.
    fn close(&mut self, html: &mut String) {
        if self.open.take().is_some() {
            html.push_str("</span>");
        }
    }
}
